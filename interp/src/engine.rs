//! [`Engine`] and its [`Config`]: the settings shared by modules and stores, and the
//! registry that gives every distinct function type one engine-wide id so that
//! `call_indirect` checks a signature with a single integer compare.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use wasmparser::WasmFeatures;

use crate::types::FuncType;

/// The features interp executes: WebAssembly 2.0 (SIMD included), relaxed
/// SIMD, tail calls, extended constant expressions, wide arithmetic, the
/// memories of WebAssembly 3.0 (multi-memory, memory64), custom page sizes
/// and exception handling.
pub(crate) const SUPPORTED_FEATURES: WasmFeatures = WasmFeatures::MVP
    .union(WasmFeatures::MUTABLE_GLOBAL)
    .union(WasmFeatures::SATURATING_FLOAT_TO_INT)
    .union(WasmFeatures::SIGN_EXTENSION)
    .union(WasmFeatures::MULTI_VALUE)
    .union(WasmFeatures::BULK_MEMORY)
    .union(WasmFeatures::REFERENCE_TYPES)
    .union(WasmFeatures::SIMD)
    .union(WasmFeatures::RELAXED_SIMD)
    .union(WasmFeatures::TAIL_CALL)
    .union(WasmFeatures::EXTENDED_CONST)
    .union(WasmFeatures::WIDE_ARITHMETIC)
    .union(WasmFeatures::MULTI_MEMORY)
    .union(WasmFeatures::MEMORY64)
    .union(WasmFeatures::CUSTOM_PAGE_SIZES)
    .union(WasmFeatures::EXCEPTIONS);

/// Engine settings.
///
/// # Example
///
/// ```
/// let mut config = interp::Config::default();
/// config.consume_fuel(true).max_call_depth(10_000);
/// let engine = interp::Engine::new(&config);
/// ```
#[derive(Debug, Clone)]
pub struct Config {
    pub(crate) features: wasmparser::WasmFeatures,
    pub(crate) consume_fuel: bool,
    pub(crate) max_call_depth: usize,
    pub(crate) max_stack_cells: usize,
    pub(crate) max_host_reentrancy: usize,
    pub(crate) trace_execution: bool,
    pub(crate) verify_translation: bool,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            features: SUPPORTED_FEATURES,
            consume_fuel: false,
            max_call_depth: 100_000,
            max_stack_cells: 1 << 23,
            max_host_reentrancy: 200,
            trace_execution: false,
            verify_translation: cfg!(debug_assertions),
        }
    }
}

macro_rules! feature_toggle {
    ($(#[$doc:meta])* $name:ident => $flag:ident) => {
        $(#[$doc])*
        pub fn $name(&mut self, enable: bool) -> &mut Config {
            self.features.set(wasmparser::WasmFeatures::$flag, enable);
            self
        }
    };
}

impl Config {
    feature_toggle! {
        /// Whether globals may be imported and exported mutably (on by default).
        wasm_mutable_global => MUTABLE_GLOBAL
    }
    feature_toggle! {
        /// Whether the saturating float-to-int conversions are accepted (on by default).
        wasm_saturating_float_to_int => SATURATING_FLOAT_TO_INT
    }
    feature_toggle! {
        /// Whether the sign-extension operators are accepted (on by default).
        wasm_sign_extension => SIGN_EXTENSION
    }
    feature_toggle! {
        /// Whether blocks and functions may have several results (on by default).
        wasm_multi_value => MULTI_VALUE
    }
    feature_toggle! {
        /// Whether bulk memory operations are accepted (on by default). When off,
        /// instantiation follows WebAssembly 1.0: every active segment is checked
        /// before any is written, and one that does not fit is a link error.
        wasm_bulk_memory => BULK_MEMORY
    }
    feature_toggle! {
        /// Whether reference types (and several tables) are accepted (on by default).
        wasm_reference_types => REFERENCE_TYPES
    }
    feature_toggle! {
        /// Whether the fixed-width SIMD operators and the `v128` type are
        /// accepted (on by default).
        wasm_simd => SIMD
    }
    feature_toggle! {
        /// Whether the relaxed SIMD operators are accepted (on by default; they
        /// need [`wasm_simd`](Config::wasm_simd) too). Each implementation-defined
        /// choice has one fixed result on every host.
        wasm_relaxed_simd => RELAXED_SIMD
    }
    feature_toggle! {
        /// Whether tail calls (`return_call`, `return_call_indirect`) are
        /// accepted (on by default).
        wasm_tail_call => TAIL_CALL
    }
    feature_toggle! {
        /// Whether constant expressions may use `i32`/`i64` `add`, `sub` and
        /// `mul` (the extended-const proposal; on by default).
        wasm_extended_const => EXTENDED_CONST
    }
    feature_toggle! {
        /// Whether the wide arithmetic operators (`i64.add128`, `i64.sub128`,
        /// `i64.mul_wide_s`, `i64.mul_wide_u`) are accepted (on by default).
        wasm_wide_arithmetic => WIDE_ARITHMETIC
    }
    feature_toggle! {
        /// Whether a module may have several memories, and memory instructions
        /// and data segments name the memory they use (on by default).
        wasm_multi_memory => MULTI_MEMORY
    }
    feature_toggle! {
        /// Whether memories and tables may have 64-bit addresses and indices
        /// (the memory64 proposal, with table64; on by default).
        wasm_memory64 => MEMORY64
    }
    feature_toggle! {
        /// Whether memory types may declare a page size other than 64 KiB (1
        /// byte, the custom-page-sizes proposal; on by default).
        wasm_custom_page_sizes => CUSTOM_PAGE_SIZES
    }
    feature_toggle! {
        /// Whether exception handling (tags, `throw`, `throw_ref`,
        /// `try_table` and `exnref`) is accepted (on by default).
        wasm_exceptions => EXCEPTIONS
    }

    /// Whether modules are translated with a trace point before every wasm
    /// operator, reported to the tracer set with
    /// [`Store::set_tracer`](crate::Store::set_tracer). Off by default: tracing
    /// disables the translator's optimisations and calls the tracer once per
    /// executed operator.
    pub fn trace_execution(&mut self, enable: bool) -> &mut Config {
        self.trace_execution = enable;
        self
    }

    /// Whether every translated function is checked by the IR verifier before
    /// the module is returned: frame slots, branch targets, paired instructions
    /// and indices, everything the executor relies on without checking at run
    /// time. A function that fails the check is a bug in interp, reported as
    /// [`ErrorKind::TranslationBug`](crate::ErrorKind::TranslationBug) instead of
    /// running code that could corrupt memory. On by default in debug builds,
    /// off in release builds (it costs a pass over the code at compile time,
    /// nothing at run time).
    pub fn verify_translation(&mut self, enable: bool) -> &mut Config {
        self.verify_translation = enable;
        self
    }

    /// Whether the bulk memory proposal's instantiation semantics apply.
    pub(crate) fn bulk_memory(&self) -> bool {
        self.features.contains(wasmparser::WasmFeatures::BULK_MEMORY)
    }

    /// Whether execution consumes fuel from the store (see
    /// [`Store::set_fuel`](crate::Store::set_fuel)). Off by default: metering
    /// adds instructions to every block, loop and call.
    pub fn consume_fuel(&mut self, enable: bool) -> &mut Config {
        self.consume_fuel = enable;
        self
    }

    /// The deepest chain of active wasm calls before execution traps with
    /// "call stack exhausted". Default: 100,000.
    pub fn max_call_depth(&mut self, depth: usize) -> &mut Config {
        self.max_call_depth = depth.max(1);
        self
    }

    /// The number of 8-byte value cells (locals and temporaries of all active
    /// calls) before execution traps with "call stack exhausted". Default: 8Mi
    /// cells (64 MiB, committed by the OS only as it is touched).
    pub fn max_stack_cells(&mut self, cells: usize) -> &mut Config {
        self.max_stack_cells = cells.max(1024);
        self
    }

    /// How deeply host functions may call back into wasm (each level uses
    /// native stack) before such a call fails with "call stack exhausted".
    /// Default: 200.
    pub fn max_host_reentrancy(&mut self, depth: usize) -> &mut Config {
        self.max_host_reentrancy = depth;
        self
    }
}

/// Compiles modules and owns the settings and type registry they share.
///
/// Cheap to clone; modules and stores keep their engine alive.
#[derive(Debug, Clone, Default)]
pub struct Engine {
    inner: Arc<EngineInner>,
}

#[derive(Debug, Default)]
struct EngineInner {
    config: Config,
    types: Mutex<TypeRegistry>,
}

#[derive(Debug, Default)]
struct TypeRegistry {
    ids: HashMap<FuncType, u32>,
    types: Vec<FuncType>,
}

impl Engine {
    /// An engine with the given settings.
    pub fn new(config: &Config) -> Engine {
        Engine {
            inner: Arc::new(EngineInner { config: config.clone(), types: Default::default() }),
        }
    }

    /// The engine's settings.
    pub fn config(&self) -> &Config {
        &self.inner.config
    }

    /// Whether two handles refer to the same engine.
    pub fn same(a: &Engine, b: &Engine) -> bool {
        Arc::ptr_eq(&a.inner, &b.inner)
    }

    /// The engine-wide id of a function type; equal types get equal ids.
    pub(crate) fn intern_type(&self, ty: &FuncType) -> u32 {
        let mut reg = self.inner.types.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(&id) = reg.ids.get(ty) {
            return id;
        }
        let id = u32::try_from(reg.types.len()).expect("more than 2^32 distinct function types");
        reg.types.push(ty.clone());
        reg.ids.insert(ty.clone(), id);
        id
    }

    /// The function type with the given engine-wide id.
    pub(crate) fn resolve_type(&self, id: u32) -> FuncType {
        let reg = self.inner.types.lock().unwrap_or_else(|e| e.into_inner());
        reg.types[id as usize].clone()
    }
}

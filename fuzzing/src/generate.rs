//! Module generation: the wasm-smith configuration of each fuzz target.
//!
//! Every configuration starts from wasm-smith's `Arbitrary` config (swarm
//! testing: the fuzz input picks which instruction kinds and how many items of
//! each kind a module may have), then pins the proposals to what the engines
//! execute ([`Proposals`]) and bounds sizes so that no run spends its time
//! allocating: memories and tables always have a small maximum, so
//! `memory.grow` and `table.grow` stay cheap. Most modules take their imports
//! from the linked world's offer ([`crate::link`]).

use arbitrary::{Result, Unstructured};
use wasm_smith::{Config, Module};

use crate::link;

/// The WebAssembly proposals a generated module may use (beyond the MVP and
/// mutable globals, which wasm-smith always uses).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Proposals {
    pub sign_extension: bool,
    pub saturating_float_to_int: bool,
    pub multi_value: bool,
    pub bulk_memory: bool,
    pub reference_types: bool,
    pub simd: bool,
    pub relaxed_simd: bool,
    pub tail_call: bool,
    pub extended_const: bool,
    pub multi_memory: bool,
    pub memory64: bool,
    pub custom_page_sizes: bool,
    pub wide_arithmetic: bool,
    pub threads: bool,
    pub exceptions: bool,
    pub gc: bool,
}

impl Proposals {
    /// What interp executes: WebAssembly 2.0, relaxed SIMD, tail calls,
    /// extended constants, wide arithmetic, several memories, 64-bit memories
    /// and tables, custom page sizes and exception handling. When interp
    /// learns a proposal, turn it on here; the `execute` target then generates
    /// it, and so does `differential` if wasmi executes it too.
    pub const INTERP: Proposals = Proposals {
        sign_extension: true,
        saturating_float_to_int: true,
        multi_value: true,
        bulk_memory: true,
        reference_types: true,
        simd: true,
        relaxed_simd: true,
        tail_call: true,
        extended_const: true,
        multi_memory: true,
        memory64: true,
        custom_page_sizes: true,
        wide_arithmetic: true,
        threads: false,
        exceptions: true,
        gc: false,
    };

    /// What wasmi 2.x executes as [`crate::engine::wasmi`] configures it
    /// (its default features, `simd`, custom page sizes and wide arithmetic:
    /// no threads, exceptions or GC). Of relaxed SIMD, the differential keeps
    /// only the operators on which wasmi and interp make the same choice (see
    /// [`agreed_relaxed_simd`]).
    pub const WASMI: Proposals = Proposals {
        sign_extension: true,
        saturating_float_to_int: true,
        multi_value: true,
        bulk_memory: true,
        reference_types: true,
        simd: true,
        relaxed_simd: true,
        tail_call: true,
        extended_const: true,
        multi_memory: true,
        memory64: true,
        custom_page_sizes: true,
        wide_arithmetic: true,
        threads: false,
        exceptions: false,
        gc: false,
    };

    /// Proposals both `self` and `other` execute.
    pub const fn intersection(self, other: Proposals) -> Proposals {
        Proposals {
            sign_extension: self.sign_extension && other.sign_extension,
            saturating_float_to_int: self.saturating_float_to_int && other.saturating_float_to_int,
            multi_value: self.multi_value && other.multi_value,
            bulk_memory: self.bulk_memory && other.bulk_memory,
            reference_types: self.reference_types && other.reference_types,
            simd: self.simd && other.simd,
            relaxed_simd: self.relaxed_simd && other.relaxed_simd,
            tail_call: self.tail_call && other.tail_call,
            extended_const: self.extended_const && other.extended_const,
            multi_memory: self.multi_memory && other.multi_memory,
            memory64: self.memory64 && other.memory64,
            custom_page_sizes: self.custom_page_sizes && other.custom_page_sizes,
            wide_arithmetic: self.wide_arithmetic && other.wide_arithmetic,
            threads: self.threads && other.threads,
            exceptions: self.exceptions && other.exceptions,
            gc: self.gc && other.gc,
        }
    }

    /// Restricts `config` to these proposals. A proposal the swarm config
    /// already switched off stays off; custom page sizes, which wasm-smith's
    /// swarm config never switches on, are on where allowed (wasm-smith then
    /// gives some memories 1-byte pages).
    pub fn restrict(self, config: &mut Config) {
        config.sign_extension_ops_enabled &= self.sign_extension;
        config.saturating_float_to_int_enabled &= self.saturating_float_to_int;
        config.multi_value_enabled &= self.multi_value;
        config.bulk_memory_enabled &= self.bulk_memory;
        config.reference_types_enabled &= self.reference_types;
        config.simd_enabled &= self.simd;
        config.relaxed_simd_enabled &= self.relaxed_simd && self.simd;
        config.tail_call_enabled &= self.tail_call;
        config.extended_const_enabled &= self.extended_const;
        config.memory64_enabled &= self.memory64;
        config.custom_page_sizes_enabled = self.custom_page_sizes;
        config.wide_arithmetic_enabled &= self.wide_arithmetic;
        config.threads_enabled &= self.threads;
        config.exceptions_enabled &= self.exceptions;
        config.gc_enabled &= self.gc && config.reference_types_enabled;
        if !self.multi_memory {
            config.max_memories = config.max_memories.min(1);
        }
        if !config.reference_types_enabled {
            config.max_tables = config.max_tables.min(1);
        }
        // Proposals with no entry above, none of which any engine here runs.
        config.compact_imports_enabled = false;
        config.shared_everything_threads_enabled = false;
        config.custom_descriptors_enabled = false;
        config.acquire_release_atomics_enabled = false;
        config.multibyte_array_access_enabled = false;
    }

    /// Turns on, as the input decides, the proposals of `self` that
    /// wasm-smith's `Arbitrary` config always leaves off (those not yet at
    /// stage 4 when it was released): wide arithmetic.
    ///
    /// # Errors
    ///
    /// If the input runs out.
    pub fn opt_in(self, u: &mut Unstructured<'_>, config: &mut Config) -> Result<()> {
        if self.wide_arithmetic {
            config.wide_arithmetic_enabled = u.arbitrary()?;
        }
        Ok(())
    }
}

/// The proposals of the `differential` target: everything both interp and
/// wasmi execute.
pub const fn differential_proposals() -> Proposals {
    Proposals::INTERP.intersection(Proposals::WASMI)
}

/// Largest memory, in bytes, of a differential module (16 pages): memories
/// are compared byte for byte after every call.
const DIFFERENTIAL_MEMORY_BYTES: u64 = 16 * 65536;

/// Largest memory of an `execute` module (64 pages).
const EXECUTE_MEMORY_BYTES: u64 = 64 * 65536;

/// Largest table, in elements.
const MAX_TABLE_ELEMENTS: u64 = 1_000;

/// Most memories in a module: each is compared byte for byte.
const MAX_MEMORIES: usize = 4;

/// Bounds that keep every generated module cheap to build and run, and a
/// minimum number of functions drawn from the input: wasm-smith stops adding
/// items at the first "no" from the input, which leaves half the modules
/// without a function of their own.
fn bound_sizes(u: &mut Unstructured<'_>, config: &mut Config, memory_bytes: u64) -> Result<()> {
    config.max_memory32_bytes = config.max_memory32_bytes.min(memory_bytes);
    config.max_memory64_bytes = config.max_memory64_bytes.min(u128::from(memory_bytes));
    config.memory_max_size_required = true;
    config.max_memories = config.max_memories.min(MAX_MEMORIES);
    config.max_table_elements = config.max_table_elements.min(MAX_TABLE_ELEMENTS);
    config.table_max_size_required = true;
    config.max_funcs = config.max_funcs.clamp(1, 100);
    config.min_funcs = u.int_in_range(1..=config.max_funcs.min(10))?;
    // Functions need a type to have: at least one.
    config.max_types = config.max_types.clamp(1, 100);
    config.min_types = 1;
    config.max_imports = config.max_imports.min(20);
    config.max_globals = config.max_globals.min(100);
    config.max_exports = config.max_exports.min(100);
    config.max_data_segments = config.max_data_segments.min(50);
    config.max_element_segments = config.max_element_segments.min(50);
    config.max_elements = config.max_elements.min(100);
    config.max_instructions = config.max_instructions.min(1_000);
    Ok(())
}

/// Makes the module's imports come from [`link::available_imports`]: the
/// provider's memory, table, globals and functions, and host functions
/// (wasm-smith takes each with probability 1/2, and copies their types into
/// the module, so its `call_indirect`s use them). Room for one memory and one
/// table, so that the provider's can be imported.
fn offer_links(config: &mut Config) {
    config.available_imports = Some(link::available_imports().to_vec());
    config.max_memories = config.max_memories.max(1);
    config.max_tables = config.max_tables.max(1);
}

/// The wasm-smith config of the `differential` target.
///
/// # Errors
///
/// If the input runs out (libFuzzer then tries another).
pub fn differential_config(u: &mut Unstructured<'_>) -> Result<Config> {
    let mut config: Config = u.arbitrary()?;
    differential_proposals().restrict(&mut config);
    differential_proposals().opt_in(u, &mut config)?;
    bound_sizes(u, &mut config, DIFFERENTIAL_MEMORY_BYTES)?;
    if u.ratio(3, 4)? {
        offer_links(&mut config);
    }
    // Arithmetic NaNs have nondeterministic bits in the spec: wasm-smith
    // canonicalises the result of every float operation that may produce one,
    // so results, globals and memories can be compared bit for bit. Operations
    // whose NaN bits the spec fixes (abs, neg, copysign, loads, stores,
    // reinterpretations) are left alone and so are checked exactly.
    config.canonicalize_nans = true;
    // Everything observable is exported: every function is called, and every
    // memory, global and table is compared.
    config.export_everything = true;
    Ok(config)
}

/// The wasm-smith config of the `execute` target: every proposal interp
/// executes, NaNs as they come, exports as the input chooses.
///
/// # Errors
///
/// If the input runs out.
pub fn execute_config(u: &mut Unstructured<'_>) -> Result<Config> {
    let mut config: Config = u.arbitrary()?;
    Proposals::INTERP.restrict(&mut config);
    Proposals::INTERP.opt_in(u, &mut config)?;
    bound_sizes(u, &mut config, EXECUTE_MEMORY_BYTES)?;
    if u.ratio(1, 2)? {
        offer_links(&mut config);
    }
    config.export_everything = u.arbitrary()?;
    config.generate_custom_sections = u.arbitrary()?;
    Ok(config)
}

/// Generates a module with `config`, as binary.
///
/// # Errors
///
/// If the input runs out before the module is complete.
pub fn module(config: Config, u: &mut Unstructured<'_>) -> Result<Vec<u8>> {
    Ok(Module::new(config, u)?.to_bytes())
}

/// Whether `wasm` (a valid module) uses SIMD, and relaxed SIMD: whether it
/// fails to validate without them.
pub fn uses_simd(wasm: &[u8]) -> (bool, bool) {
    use wasmparser::{Validator, WasmFeatures};
    let without = |features: WasmFeatures| {
        Validator::new_with_features(WasmFeatures::all().difference(features))
            .validate_all(wasm)
            .is_err()
    };
    let relaxed = without(WasmFeatures::RELAXED_SIMD);
    (relaxed || without(WasmFeatures::SIMD), relaxed)
}

/// The relaxed SIMD operators whose implementation-defined choice differs
/// between interp and wasmi 2.0, with the deterministic operator of the same
/// type that stands in for each in differential modules:
/// - `f32x4`/`f64x2` `relaxed_madd`/`relaxed_nmadd`: wasmi fuses the multiply
///   and add (one rounding), interp follows the deterministic profile (two);
/// - `i16x8.relaxed_dot_i8x16_i7x16_s` and `i32x4.relaxed_dot_i8x16_i7x16_add_s`:
///   for second-operand lanes of -128 (outside i7) wasmi wraps the pair sums
///   to i16, interp saturates them.
///
/// The other 14 relaxed operators (swizzle, the four truncations, the four
/// lane selects, min/max, `q15mulr`) make the same choice in both (the
/// non-relaxed operator's result) and stay in differential modules. The
/// `execute` target generates all 20, and the spec suite's relaxed-simd
/// tests check every one.
fn divergent_relaxed(op: &wasmparser::Operator<'_>) -> Option<wasm_encoder::Instruction<'static>> {
    use wasm_encoder::Instruction as I;
    use wasmparser::Operator as O;
    match op {
        O::F32x4RelaxedMadd
        | O::F32x4RelaxedNmadd
        | O::F64x2RelaxedMadd
        | O::F64x2RelaxedNmadd
        | O::I32x4RelaxedDotI8x16I7x16AddS => Some(I::V128Bitselect),
        O::I16x8RelaxedDotI8x16I7x16S => Some(I::I32x4DotI16x8S),
        _ => None,
    }
}

/// `wasm` with every relaxed SIMD operator on which interp and wasmi 2.0
/// choose differently replaced by a deterministic one of the same type (see
/// `divergent_relaxed`); `wasm` itself if it has none (or does not parse).
pub fn agreed_relaxed_simd(wasm: Vec<u8>) -> Vec<u8> {
    use wasm_encoder::reencode::{Error, Reencode};

    struct Replacer {
        replaced: bool,
    }
    impl Reencode for Replacer {
        type Error = std::convert::Infallible;

        fn instruction<'a>(
            &mut self,
            op: wasmparser::Operator<'a>,
        ) -> std::result::Result<wasm_encoder::Instruction<'a>, Error<Self::Error>> {
            match divergent_relaxed(&op) {
                Some(instruction) => {
                    self.replaced = true;
                    Ok(instruction)
                }
                None => wasm_encoder::reencode::utils::instruction(self, op),
            }
        }
    }

    let mut replacer = Replacer { replaced: false };
    let mut module = wasm_encoder::Module::new();
    match replacer.parse_core_module(&mut module, wasmparser::Parser::new(0), &wasm) {
        Ok(()) if replacer.replaced => module.finish(),
        _ => wasm,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn divergent_relaxed_operators_are_replaced() {
        let text = r#"(module
            (func (export "f") (param v128 v128 v128) (result v128)
              (f32x4.relaxed_madd (local.get 0) (local.get 1) (local.get 2))
              (i16x8.relaxed_dot_i8x16_i7x16_s (local.get 1))
              (f32x4.relaxed_min (local.get 2))))"#;
        let wasm = wat::parse_str(text).unwrap();
        let replaced = agreed_relaxed_simd(wasm.clone());
        let printed = wasmprinter::print_bytes(&replaced).unwrap();
        assert!(printed.contains("v128.bitselect"), "{printed}");
        assert!(printed.contains("i32x4.dot_i16x8_s"), "{printed}");
        // Operators both engines agree on stay.
        assert!(printed.contains("f32x4.relaxed_min"), "{printed}");
        assert!(!printed.contains("madd") && !printed.contains("relaxed_dot"), "{printed}");
        // A module without them is returned as it was.
        let plain = wat::parse_str("(module (func (drop (f32x4.relaxed_min (v128.const i64x2 0 0) (v128.const i64x2 0 0)))))").unwrap();
        assert_eq!(agreed_relaxed_simd(plain.clone()), plain);
    }

    #[test]
    fn restricted_configs_validate_with_interps_features() {
        // A generated module must never need a proposal interp lacks.
        let engine = interp::Engine::default();
        let mut seen = 0;
        for seed in 0..50u64 {
            let data = crate::seed_bytes(seed, 4096);
            let mut u = Unstructured::new(&data);
            let Ok(config) = execute_config(&mut u) else { continue };
            let Ok(wasm) = module(config, &mut u) else { continue };
            if let Err(e) = interp::Module::validate(&engine, &wasm) {
                panic!("seed {seed}: generated module rejected: {e}");
            }
            seen += 1;
        }
        assert!(seen > 40, "only {seen} of 50 seeds produced a module");
    }

    /// Which of the proposals interp learned after WebAssembly 2.0 a module
    /// uses: tail calls, wide arithmetic, extended constant expressions.
    fn later_proposals(wasm: &[u8]) -> [bool; 3] {
        use wasmparser::{Operator as O, Payload};
        let mut used = [false; 3];
        let mut note = |op: &O<'_>, in_const: bool| match op {
            O::ReturnCall { .. } | O::ReturnCallIndirect { .. } => used[0] = true,
            O::I64Add128 | O::I64Sub128 | O::I64MulWideS | O::I64MulWideU => used[1] = true,
            O::I32Add | O::I32Sub | O::I32Mul | O::I64Add | O::I64Sub | O::I64Mul if in_const => {
                used[2] = true
            }
            _ => {}
        };
        let mut scan = |mut reader: wasmparser::OperatorsReader<'_>, in_const: bool| {
            while let Ok(op) = reader.read() {
                note(&op, in_const);
            }
        };
        for payload in wasmparser::Parser::new(0).parse_all(wasm).flatten() {
            match payload {
                Payload::CodeSectionEntry(body) => {
                    scan(body.get_operators_reader().expect("a body"), false)
                }
                Payload::GlobalSection(globals) => {
                    for global in globals.into_iter().flatten() {
                        scan(global.init_expr.get_operators_reader(), true);
                    }
                }
                Payload::DataSection(data) => {
                    for segment in data.into_iter().flatten() {
                        if let wasmparser::DataKind::Active { offset_expr, .. } = segment.kind {
                            scan(offset_expr.get_operators_reader(), true);
                        }
                    }
                }
                Payload::ElementSection(elements) => {
                    for segment in elements.into_iter().flatten() {
                        if let wasmparser::ElementKind::Active { offset_expr, .. } = segment.kind {
                            scan(offset_expr.get_operators_reader(), true);
                        }
                    }
                }
                _ => {}
            }
        }
        used
    }

    #[test]
    fn execute_generates_exception_handling_and_differential_does_not() {
        // wasmi, the differential's reference, runs no exception handling.
        use wasmparser::{Operator as O, Payload};
        let uses_eh = |wasm: &[u8]| {
            wasmparser::Parser::new(0).parse_all(wasm).flatten().any(|payload| match payload {
                Payload::TagSection(_) => true,
                Payload::CodeSectionEntry(body) => {
                    let mut ops = body.get_operators_reader().expect("a body");
                    std::iter::from_fn(|| ops.read().ok())
                        .any(|op| matches!(op, O::TryTable { .. } | O::Throw { .. } | O::ThrowRef))
                }
                _ => false,
            })
        };
        type MakeConfig = fn(&mut Unstructured<'_>) -> Result<Config>;
        let count = |make: MakeConfig| {
            (0..200u64)
                .filter(|&seed| {
                    let data = crate::seed_bytes(seed, 8192);
                    let mut u = Unstructured::new(&data);
                    let Ok(config) = make(&mut u) else { return false };
                    module(config, &mut u).is_ok_and(|wasm| uses_eh(&wasm))
                })
                .count()
        };
        let execute = count(execute_config);
        assert!(execute >= 20, "only {execute} of 200 execute modules use exception handling");
        assert_eq!(count(differential_config), 0);
    }

    #[test]
    fn both_targets_generate_the_later_proposals_interp_executes() {
        // Tail calls, wide arithmetic and extended constants each appear in
        // some modules of both targets (about 1 in 4, 1 in 4 and 1 in 10 of
        // 200 seeds when this was written) (wasm-smith's own config never turns
        // wide arithmetic on: `Proposals::opt_in` does).
        type MakeConfig = fn(&mut Unstructured<'_>) -> Result<Config>;
        let configs: [(&str, MakeConfig); 2] =
            [("differential", differential_config), ("execute", execute_config)];
        for (target, make) in configs {
            let mut seen = [0; 3];
            for seed in 0..200u64 {
                let data = crate::seed_bytes(seed, 8192);
                let mut u = Unstructured::new(&data);
                let Ok(config) = make(&mut u) else { continue };
                let Ok(wasm) = module(config, &mut u) else { continue };
                for (count, used) in seen.iter_mut().zip(later_proposals(&wasm)) {
                    *count += usize::from(used);
                }
            }
            assert!(seen.iter().all(|&n| n >= 10), "{target}: {seen:?}");
        }
    }

    #[test]
    fn differential_modules_use_the_memory_proposals() {
        // Several memories, 64-bit memories and tables, and 1-byte pages all
        // reach the differential oracle, within its size bounds.
        let (mut multi, mut wide, mut bytes, mut table64) = (0, 0, 0, 0);
        for seed in 0..200u64 {
            let data = crate::seed_bytes(seed, 4096);
            let mut u = Unstructured::new(&data);
            let Ok(config) = differential_config(&mut u) else { continue };
            let Ok(wasm) = module(config, &mut u) else { continue };
            let mut memories = Vec::new();
            for payload in wasmparser::Parser::new(0).parse_all(&wasm) {
                match payload.expect("generated modules parse") {
                    wasmparser::Payload::MemorySection(reader) => {
                        memories.extend(reader.into_iter().map(|m| m.expect("memory")));
                    }
                    wasmparser::Payload::TableSection(reader) => {
                        table64 +=
                            reader.into_iter().filter(|t| t.as_ref().unwrap().ty.table64).count();
                    }
                    _ => {}
                }
            }
            multi += usize::from(memories.len() > 1);
            wide += memories.iter().filter(|m| m.memory64).count();
            bytes += memories.iter().filter(|m| m.page_size_log2 == Some(0)).count();
            for m in &memories {
                let page = 1u64 << m.page_size_log2.unwrap_or(16);
                let max = m.maximum.expect("a maximum is required");
                assert!(max * page <= DIFFERENTIAL_MEMORY_BYTES, "seed {seed}: {m:?}");
            }
        }
        assert!(
            multi > 10 && wide > 10 && bytes > 10 && table64 > 5,
            "{multi} {wide} {bytes} {table64}"
        );
    }
}

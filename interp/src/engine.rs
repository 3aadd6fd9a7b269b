//! [`Engine`] and its [`Config`]: the settings shared by modules and stores, and the
//! registry that gives every distinct function type one engine-wide id so that
//! `call_indirect` checks a signature with a single integer compare.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use crate::value::FuncType;

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
    pub(crate) consume_fuel: bool,
    pub(crate) max_call_depth: usize,
    pub(crate) max_stack_cells: usize,
    pub(crate) max_host_reentrancy: usize,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            consume_fuel: false,
            max_call_depth: 100_000,
            max_stack_cells: 1 << 23,
            max_host_reentrancy: 200,
        }
    }
}

impl Config {
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
            inner: Arc::new(EngineInner {
                config: config.clone(),
                types: Default::default(),
            }),
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

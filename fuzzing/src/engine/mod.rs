//! The engines an oracle drives, behind one interface: [`DiffEngine`]
//! instantiates a [`World`] (one or two linked modules and the host functions
//! they import), [`DiffInstance`] calls its exports and reads its exported
//! state. One file per engine ([`interp`], [`wasmi`] and [`wasmi_legacy`],
//! which runs wide arithmetic [`lower`]ed to WebAssembly 2.0, and which with
//! wasmi 2 on select-free modules makes the [`tie_breaker`]); each converts
//! its own values, traps and errors into the
//! shared vocabulary here and in [`crate::value`], and runs the host functions
//! of [`host`], which behave identically in every engine.
//!
//! Imports a world does not link to another module or a host function are
//! dummies that every engine builds alike from the import's type: globals
//! holding zero or null, memories of the requested minimum size, and tables of
//! the requested minimum size whose first elements (in `funcref` tables) are
//! the world's table host functions, the rest null.

pub mod host;
pub mod interp;
pub mod lower;
pub mod tie_breaker;
pub mod wasmi;
pub mod wasmi_legacy;

use std::fmt;

pub use ::interp::TrapCode;

use crate::value::{Signature, Value};

/// The fuel of one call (or one instantiation) in a first run. Engines count
/// it differently (interp one unit per operator, wasmi per instruction and per
/// bulk-operation element), so running out is only comparable where both
/// sides run out; see [`crate::differential`].
pub const FUEL: u64 = 100_000;

/// The fuel of a call replayed because only one side ran out: 100 times
/// [`FUEL`].
pub const REPLAY_FUEL: u64 = 100 * FUEL;

/// How much call stack an engine gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stack {
    /// The first run's limits (each engine's own; interp's value stack is
    /// 2^16 cells so that a store stays cheap under the address sanitizer).
    Normal,
    /// At least 16 times more frames and value cells, for replaying a call
    /// where only one side exhausted its stack.
    Large,
}

/// Where a trap was raised, as far as an engine tells.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Site {
    /// In a `call_indirect` or `return_call_indirect` instruction (by the
    /// opcode at interp's backtrace offset).
    CallIndirect,
    /// In another instruction, whose opcode (first byte) is given.
    Other(u8),
    /// Outside any wasm frame: during instantiation (segment initialisation).
    NoFrame,
}

/// A trap in interp's vocabulary, with where it happened when the engine
/// reports that (interp does; the wasmis do not).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Trap {
    pub code: TrapCode,
    pub site: Option<Site>,
}

/// Why an instantiation or a call did not produce results.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// Execution trapped.
    Trap(Trap),
    /// Execution ran out of fuel or call stack (the code says which).
    Exhausted(TrapCode),
    /// A wasm exception escaped, carrying these values (only interp runs
    /// exception handling).
    Exception(Vec<Value>),
    /// Anything else: the module was rejected, an import did not link, an
    /// implementation limit was reached. The message is the engine's.
    Error(String),
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::Trap(Trap { code, site: None }) => write!(f, "trap: {code}"),
            Failure::Trap(Trap { code, site: Some(Site::CallIndirect) }) => {
                write!(f, "trap: {code} (in call_indirect)")
            }
            Failure::Trap(Trap { code, site: Some(Site::Other(op)) }) => {
                write!(f, "trap: {code} (in opcode {op:#04x})")
            }
            Failure::Trap(Trap { code, site: Some(Site::NoFrame) }) => {
                write!(f, "trap: {code} (outside any function)")
            }
            Failure::Exhausted(code) => write!(f, "exhausted: {code}"),
            Failure::Exception(payload) => {
                write!(f, "uncaught exception [{}]", crate::value::display_values(payload))
            }
            Failure::Error(message) => write!(f, "error: {message}"),
        }
    }
}

impl Failure {
    /// Classifies a trap code: fuel and stack exhaustion are limits, everything
    /// else is a trap (at `site`, if known).
    pub fn from_trap(code: TrapCode, site: Option<Site>) -> Failure {
        match code {
            TrapCode::OutOfFuel | TrapCode::StackOverflow => Failure::Exhausted(code),
            code => Failure::Trap(Trap { code, site }),
        }
    }

    /// Whether this is exhaustion (of fuel or stack).
    pub fn is_exhausted(&self) -> bool {
        matches!(self, Failure::Exhausted(_))
    }
}

/// A call's or an instantiation's outcome.
pub type Outcome<T> = Result<T, Failure>;

/// The kind of an export, with what the oracle needs to use it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExportKind {
    Func(Signature),
    Global,
    Memory,
    Table,
    /// A tag (exception handling): nothing to compare but its presence.
    Tag,
}

/// One export of an instance of a world.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Export {
    /// The index of the module in [`World::modules`].
    pub module: usize,
    pub name: String,
    pub kind: ExportKind,
}

/// Where one import of a world's module comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// The host function [`World::hosts`]`[i]`.
    Host(usize),
    /// The export `name` of the instance of an earlier module of the world.
    Export { module: usize, name: String },
    /// A dummy built from the import's type (not a function).
    Dummy,
}

/// One import of a world's module and where it comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub module: String,
    pub name: String,
    pub source: Source,
}

/// One module of a world and where each of its imports comes from.
#[derive(Debug, Clone)]
pub struct ModuleSpec {
    /// A short name for reports (`"p"`, `"main"`).
    pub name: &'static str,
    pub wasm: Vec<u8>,
    /// One link per import (no two imports of a module share both names).
    pub imports: Vec<Link>,
}

impl ModuleSpec {
    /// Where the import `module` `name` comes from.
    ///
    /// # Panics
    ///
    /// If the module has no such import.
    pub fn source(&self, module: &str, name: &str) -> &Source {
        let link = self.imports.iter().find(|l| l.module == module && l.name == name);
        &link.unwrap_or_else(|| panic!("no import {module:?} {name:?}")).source
    }
}

/// Everything an engine instantiates for one oracle run, in one store: the
/// host functions (their behaviour is [`host::call`] keyed by index), then
/// each module in order, linked as its [`ModuleSpec::imports`] say.
#[derive(Debug, Clone)]
pub struct World {
    /// The signature of each host function.
    pub hosts: Vec<Signature>,
    /// The host functions put in the first elements of dummy `funcref` tables.
    pub table_hosts: Vec<usize>,
    pub modules: Vec<ModuleSpec>,
}

impl World {
    /// The generated module: the last one.
    pub fn main_module(&self) -> &ModuleSpec {
        self.modules.last().expect("a world has a module")
    }
}

/// An engine that can instantiate worlds.
pub trait DiffEngine {
    /// The engine's name, for reports.
    fn name(&self) -> &'static str;

    /// Creates the host functions and instantiates every module of `world`
    /// in one store, running start functions with `fuel` (`None` for an
    /// engine that does not meter).
    ///
    /// # Errors
    ///
    /// If a module is rejected, does not link, or instantiation traps or
    /// exhausts a limit.
    fn instantiate(&mut self, world: &World, fuel: Option<u64>) -> Outcome<Box<dyn DiffInstance>>;
}

/// The instances of a world in one engine, owning their store.
pub trait DiffInstance {
    /// Every export of every module, modules in world order, each module's
    /// exports sorted by name.
    fn exports(&self) -> Vec<Export>;

    /// Calls the exported function `name` of `module` with `args` (which
    /// match its type), with `fuel` (`None` for an engine that does not
    /// meter).
    ///
    /// # Errors
    ///
    /// If the call traps, exhausts a limit or fails.
    fn call(
        &mut self,
        module: usize,
        name: &str,
        args: &[Value],
        fuel: Option<u64>,
    ) -> Outcome<Vec<Value>>;

    /// The fuel the last call (or the instantiation) consumed, if metered.
    fn fuel_used(&self) -> Option<u64>;

    /// The value of the exported global `name` of `module`.
    fn global(&self, module: usize, name: &str) -> Value;

    /// The bytes of the exported memory `name` of `module`.
    fn memory(&self, module: usize, name: &str) -> &[u8];

    /// The elements of the exported table `name` of `module`.
    fn table(&self, module: usize, name: &str) -> Vec<Value>;

    /// How many times each host function has been called.
    fn host_calls(&self) -> &[u64];
}

/// The dummy value of an imported global.
pub(crate) fn zero(ty: crate::value::Type) -> Value {
    use crate::value::Type;
    match ty {
        Type::I32 => Value::I32(0),
        Type::I64 => Value::I64(0),
        Type::F32 => Value::F32(0),
        Type::F64 => Value::F64(0),
        Type::V128 => Value::V128(0),
        Type::FuncRef => Value::FuncRef(None),
        Type::ExternRef => Value::ExternRef(None),
        Type::ExnRef => Value::ExnRef(None),
    }
}

/// Which function a `funcref` refers to, given how an engine identifies its
/// functions: host functions by index, then exported functions by their
/// first export name (modules in world order, names in sorted order), else
/// by type. Each engine builds this lookup the same way.
pub(crate) struct FuncNames<K> {
    names: std::collections::HashMap<K, crate::value::FuncId>,
}

impl<K: std::hash::Hash + Eq> FuncNames<K> {
    pub fn new() -> Self {
        FuncNames { names: std::collections::HashMap::new() }
    }

    /// Records `key` as the host function `index`.
    pub fn host(&mut self, key: K, index: usize) {
        self.names.insert(key, crate::value::FuncId::Host(index));
    }

    /// Records `key` as export `name` of `module`, unless already known.
    pub fn export(&mut self, key: K, module: usize, name: &str) {
        self.names
            .entry(key)
            .or_insert_with(|| crate::value::FuncId::Export { module, name: name.to_string() });
    }

    /// The identity of `key`, or `None` for a function that is neither a
    /// host function nor exported.
    pub fn get(&self, key: &K) -> Option<&crate::value::FuncId> {
        self.names.get(key)
    }
}

//! The engines an oracle drives, behind one interface: [`DiffEngine`] compiles
//! and instantiates a module, [`DiffInstance`] calls its exports and reads its
//! exported state. One file per engine ([`interp`], [`wasmi`] and the
//! tie-breaker [`wasmi_legacy`]); each converts its own values, traps and
//! errors into the shared vocabulary here and in [`crate::value`].
//!
//! Imports are satisfied by dummies that both engines build alike from the
//! import's type: functions that return zeros and nulls, globals holding zero
//! or null, and memories and tables of the requested minimum size.

pub mod interp;
pub mod wasmi;
pub mod wasmi_legacy;

use std::fmt;

pub use ::interp::TrapCode;

use crate::value::{Signature, Value};

/// The fuel each store starts with. Both engines count it differently (interp
/// per operator at block, loop and call boundaries; wasmi per instruction), so
/// running out is never compared: it only bounds the work of one run.
pub const FUEL: u64 = 1_000_000;

/// Why an instantiation or a call did not produce results.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// Execution trapped, with the trap in interp's vocabulary.
    Trap(TrapCode),
    /// Execution hit a resource limit whose exact point differs between
    /// engines (fuel, call stack depth): the outcome is not comparable.
    Exhausted(TrapCode),
    /// Anything else: the module was rejected, an import did not link, an
    /// implementation limit was reached. The message is the engine's.
    Error(String),
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::Trap(code) => write!(f, "trap: {code}"),
            Failure::Exhausted(code) => write!(f, "exhausted: {code}"),
            Failure::Error(message) => write!(f, "error: {message}"),
        }
    }
}

impl Failure {
    /// Classifies a trap code: fuel and stack exhaustion are limits, everything
    /// else is a trap.
    pub fn from_trap(code: TrapCode) -> Failure {
        match code {
            TrapCode::OutOfFuel | TrapCode::StackOverflow => Failure::Exhausted(code),
            code => Failure::Trap(code),
        }
    }
}

/// The kind of an export, with what the oracle needs to use it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExportKind {
    Func(Signature),
    Global,
    Memory,
    Table,
}

/// One export of an instance, in the module's export order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Export {
    pub name: String,
    pub kind: ExportKind,
}

/// An engine that can instantiate modules.
pub trait DiffEngine {
    /// The engine's name, for reports.
    fn name(&self) -> &'static str;

    /// Compiles `wasm`, instantiates it with dummy imports and runs its start
    /// function, all under [`FUEL`].
    ///
    /// # Errors
    ///
    /// If the module is rejected, does not link, or instantiation traps.
    fn instantiate(&mut self, wasm: &[u8]) -> Result<Box<dyn DiffInstance>, Failure>;
}

/// An instance of a module in one engine, owning its store.
pub trait DiffInstance {
    /// Every export, in the module's order.
    fn exports(&self) -> Vec<Export>;

    /// Calls the exported function `name` with `args` (which match its type).
    ///
    /// # Errors
    ///
    /// If the call traps, exhausts a limit or fails.
    fn call(&mut self, name: &str, args: &[Value]) -> Result<Vec<Value>, Failure>;

    /// The value of the exported global `name`.
    fn global(&self, name: &str) -> Value;

    /// The bytes of the exported memory `name`.
    fn memory(&self, name: &str) -> &[u8];

    /// The elements of the exported table `name`.
    fn table(&self, name: &str) -> Vec<Value>;

    /// The fuel left in the store.
    fn fuel(&self) -> u64;
}

/// The dummy value of an imported global or a dummy function's result.
pub(crate) fn zero(ty: crate::value::Type) -> Value {
    use crate::value::Type;
    match ty {
        Type::I32 => Value::I32(0),
        Type::I64 => Value::I64(0),
        Type::F32 => Value::F32(0),
        Type::F64 => Value::F64(0),
        Type::FuncRef => Value::FuncRef(None),
        Type::ExternRef => Value::ExternRef(None),
    }
}

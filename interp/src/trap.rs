//! Traps: why WebAssembly execution stopped abnormally, and where.
//!
//! The executor reports a bare [`TrapCode`] on its hot path; the code is turned
//! into a [`Trap`] with a wasm backtrace at the API boundary. [`TrapCode::message`]
//! is the one table of canonical spec messages: the spec harness matches on it.

use std::fmt;

/// The kind of a trap.
#[derive(Debug, Copy, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TrapCode {
    /// An `unreachable` instruction was executed.
    Unreachable,
    /// A load, store or bulk memory operation went out of bounds.
    MemoryOutOfBounds,
    /// A table access or bulk table operation went out of bounds.
    TableOutOfBounds,
    /// `call_indirect` with an index past the end of the table.
    UndefinedElement,
    /// `call_indirect` on a null table entry.
    UninitializedElement,
    /// `call_indirect` whose callee has a different type than expected.
    IndirectCallTypeMismatch,
    /// Signed division overflow, or a float-to-int conversion out of range.
    IntegerOverflow,
    /// Integer division or remainder by zero.
    IntegerDivideByZero,
    /// A float-to-int conversion of NaN.
    InvalidConversionToInteger,
    /// The call stack (frames or value cells) reached its configured limit.
    StackOverflow,
    /// The store ran out of fuel.
    OutOfFuel,
    /// A null reference was dereferenced.
    NullReference,
}

impl TrapCode {
    /// The canonical message the WebAssembly specification's test suite uses.
    pub fn message(self) -> &'static str {
        match self {
            TrapCode::Unreachable => "unreachable",
            TrapCode::MemoryOutOfBounds => "out of bounds memory access",
            TrapCode::TableOutOfBounds => "out of bounds table access",
            TrapCode::UndefinedElement => "undefined element",
            TrapCode::UninitializedElement => "uninitialized element",
            TrapCode::IndirectCallTypeMismatch => "indirect call type mismatch",
            TrapCode::IntegerOverflow => "integer overflow",
            TrapCode::IntegerDivideByZero => "integer divide by zero",
            TrapCode::InvalidConversionToInteger => "invalid conversion to integer",
            TrapCode::StackOverflow => "call stack exhausted",
            TrapCode::OutOfFuel => "all fuel consumed",
            TrapCode::NullReference => "null reference",
        }
    }

    /// Every trap code, for tables and tests.
    pub const ALL: [TrapCode; 12] = [
        TrapCode::Unreachable,
        TrapCode::MemoryOutOfBounds,
        TrapCode::TableOutOfBounds,
        TrapCode::UndefinedElement,
        TrapCode::UninitializedElement,
        TrapCode::IndirectCallTypeMismatch,
        TrapCode::IntegerOverflow,
        TrapCode::IntegerDivideByZero,
        TrapCode::InvalidConversionToInteger,
        TrapCode::StackOverflow,
        TrapCode::OutOfFuel,
        TrapCode::NullReference,
    ];
}

impl fmt::Display for TrapCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message())
    }
}

/// One frame of a wasm backtrace, innermost first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FrameInfo {
    /// The function's index in its module's function index space.
    pub func_index: u32,
    /// The function's name from the module's name section, if any.
    pub func_name: Option<String>,
    /// The module's name from the name section, if any.
    pub module_name: Option<String>,
    /// Byte offset of the executing instruction in the module binary.
    pub offset: Option<usize>,
}

impl fmt::Display for FrameInfo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.offset {
            Some(offset) => write!(f, "{offset:#x} - ")?,
            None => f.write_str("<host> - ")?,
        }
        if let Some(module) = &self.module_name {
            write!(f, "{module}!")?;
        }
        match &self.func_name {
            Some(name) => write!(f, "{name}"),
            None => write!(f, "func[{}]", self.func_index),
        }
    }
}

/// A trap: its kind and the wasm frames that were active.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Trap {
    code: TrapCode,
    trace: Vec<FrameInfo>,
    /// Frames left out of `trace` (between its innermost and outermost parts)
    /// because the call stack was very deep.
    omitted: usize,
}

impl Trap {
    /// A trap without backtrace, e.g. raised by the host.
    pub fn new(code: TrapCode) -> Trap {
        Trap { code, trace: Vec::new(), omitted: 0 }
    }

    pub(crate) fn with_trace(code: TrapCode, trace: Vec<FrameInfo>, omitted: usize) -> Trap {
        Trap { code, trace, omitted }
    }

    /// The kind of trap.
    pub fn code(&self) -> TrapCode {
        self.code
    }

    /// The wasm frames active when the trap happened, innermost first. For very
    /// deep call stacks only the innermost and outermost frames are kept; see
    /// [`Trap::omitted_frames`].
    pub fn trace(&self) -> &[FrameInfo] {
        &self.trace
    }

    /// How many frames were left out of [`Trap::trace`].
    pub fn omitted_frames(&self) -> usize {
        self.omitted
    }
}

impl fmt::Display for Trap {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "wasm trap: {}", self.code.message())?;
        if !self.trace.is_empty() {
            f.write_str("\nwasm backtrace:")?;
            for (i, frame) in self.trace.iter().enumerate() {
                if self.omitted > 0 && i == crate::exec::BACKTRACE_INNER {
                    write!(f, "\n      ... {} frames omitted ...", self.omitted)?;
                }
                let n = if self.omitted > 0 && i >= crate::exec::BACKTRACE_INNER {
                    i + self.omitted
                } else {
                    i
                };
                write!(f, "\n  {n:>2}: {frame}")?;
            }
        }
        Ok(())
    }
}

impl std::error::Error for Trap {}

impl From<TrapCode> for Trap {
    fn from(code: TrapCode) -> Trap {
        Trap::new(code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_has_a_distinct_message() {
        let mut seen = std::collections::HashSet::new();
        for code in TrapCode::ALL {
            assert!(seen.insert(code.message()), "duplicate message for {code:?}");
        }
    }

    #[test]
    fn backtrace_display() {
        let trap = Trap::with_trace(
            TrapCode::Unreachable,
            vec![FrameInfo {
                func_index: 3,
                func_name: Some("inner".into()),
                module_name: None,
                offset: Some(0x2a),
            }],
            0,
        );
        assert_eq!(trap.to_string(), "wasm trap: unreachable\nwasm backtrace:\n   0: 0x2a - inner");
    }
}

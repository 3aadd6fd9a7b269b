//! Traps: why WebAssembly execution stopped abnormally, and where.
//!
//! The executor reports a bare [`TrapCode`] on its hot path; the code is turned
//! into a [`Trap`] with a wasm backtrace at the API boundary. The `trap_codes!`
//! table below is the one list of trap codes and their canonical spec messages
//! ([`TrapCode::message`]): the spec harness matches on it.

use std::fmt;

/// A backtrace keeps this many innermost frames...
pub(crate) const BACKTRACE_INNER: usize = 32;
/// ...and this many outermost ones; the frames in between are counted, not kept.
pub(crate) const BACKTRACE_OUTER: usize = 8;

/// Defines [`TrapCode`], its canonical messages and [`TrapCode::ALL`] from one
/// table, so that no code can be missing from `ALL` or lack a message. (A
/// macro because nothing else can enumerate an enum's variants: a hand-kept
/// `ALL` is a convention, and an exhaustive match cannot tell which variants
/// an array leaves out.)
macro_rules! trap_codes {
    ($($(#[doc = $doc:literal])* $name:ident => $message:literal,)*) => {
        /// The kind of a trap.
        #[derive(Debug, Copy, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum TrapCode {
            $($(#[doc = $doc])* $name,)*
        }

        impl TrapCode {
            /// Every trap code, in declaration order, for tables and tests.
            pub const ALL: [TrapCode; [$(TrapCode::$name),*].len()] = [$(TrapCode::$name),*];

            /// The canonical message the WebAssembly specification's test suite uses.
            pub fn message(self) -> &'static str {
                match self {
                    $(TrapCode::$name => $message,)*
                }
            }
        }
    };
}

trap_codes! {
    /// An `unreachable` instruction was executed.
    Unreachable => "unreachable",
    /// A load, store or bulk memory operation went out of bounds.
    MemoryOutOfBounds => "out of bounds memory access",
    /// A table access or bulk table operation went out of bounds.
    TableOutOfBounds => "out of bounds table access",
    /// `call_indirect` with an index past the end of the table.
    UndefinedElement => "undefined element",
    /// `call_indirect` on a null table entry.
    UninitializedElement => "uninitialized element",
    /// `call_indirect` whose callee has a different type than expected.
    IndirectCallTypeMismatch => "indirect call type mismatch",
    /// Signed division overflow, or a float-to-int conversion out of range.
    IntegerOverflow => "integer overflow",
    /// Integer division or remainder by zero.
    IntegerDivideByZero => "integer divide by zero",
    /// A float-to-int conversion of NaN.
    InvalidConversionToInteger => "invalid conversion to integer",
    /// The call stack (frames or value cells) reached its configured limit.
    StackOverflow => "call stack exhausted",
    /// The store ran out of fuel.
    OutOfFuel => "all fuel consumed",
    /// A null reference was dereferenced.
    NullReference => "null reference",
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
                if self.omitted > 0 && i == BACKTRACE_INNER {
                    write!(f, "\n      ... {} frames omitted ...", self.omitted)?;
                }
                let n = if self.omitted > 0 && i >= BACKTRACE_INNER { i + self.omitted } else { i };
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

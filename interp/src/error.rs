//! The crate's error type.
//!
//! [`Error`] is one pointer wide so that `Result<T, Error>` stays small on every
//! API path; the hot executor path never builds one (it returns a bare
//! [`TrapCode`]) and converts at the boundary.

use std::fmt;

use crate::trap::{Trap, TrapCode};

/// An error from decoding, validating, linking, instantiating or running WebAssembly.
pub struct Error {
    kind: Box<ErrorKind>,
}

/// What went wrong.
#[derive(Debug)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The module binary is malformed or invalid.
    Wasm {
        /// The decoder's or validator's message.
        message: String,
        /// Byte offset in the module binary.
        offset: usize,
    },
    /// The module uses a WebAssembly proposal this engine does not execute, or
    /// one its [`Config`](crate::Config) turns off: it was first rejected by a
    /// feature check, not for being invalid.
    UnsupportedProposal {
        /// The proposals' names, e.g. `simd`: one, or all those a module valid
        /// only with several of them needs.
        proposals: Vec<&'static str>,
        /// Byte offset in the module binary of the first use.
        offset: usize,
    },
    /// The WebAssembly text could not be parsed.
    Text(String),
    /// An import could not be satisfied.
    Link(String),
    /// Execution trapped.
    Trap(Trap),
    /// A wasm exception escaped the outermost wasm frame (or was thrown by a
    /// host function that wasm did not call).
    Exception(Box<crate::runtime::Exception>),
    /// The guest asked to exit with a status code (WASI `proc_exit`).
    Exit(i32),
    /// An implementation or resource limit was reached.
    Limit(String),
    /// The API was used incorrectly, e.g. a value of the wrong type was passed.
    Usage(String),
    /// An error raised by a host function.
    Host(Box<dyn std::error::Error + Send + Sync>),
    /// interp translated a function into code that breaks the executor's
    /// invariants: a bug in interp, not in the module. Found by the IR verifier
    /// (see [`Config::verify_translation`](crate::Config::verify_translation)).
    TranslationBug {
        /// The function's index in the module's function index space.
        func_index: u32,
        /// The offending instruction, or `None` for the function as a whole.
        instr_index: Option<usize>,
        /// What is wrong.
        problem: String,
        /// The translated code around the offending instruction.
        disassembly: String,
    },
}

impl Error {
    #[cold]
    pub(crate) fn from_kind(kind: ErrorKind) -> Error {
        Error { kind: Box::new(kind) }
    }

    /// An error with a custom message, e.g. from a host function.
    #[cold]
    pub fn msg(message: impl fmt::Display) -> Error {
        Error::from_kind(ErrorKind::Host(message.to_string().into()))
    }

    /// Wraps an error raised by a host function.
    #[cold]
    pub fn host(error: impl std::error::Error + Send + Sync + 'static) -> Error {
        Error::from_kind(ErrorKind::Host(Box::new(error)))
    }

    /// An error that ends execution with the given exit status (WASI `proc_exit`).
    #[cold]
    pub fn exit(status: i32) -> Error {
        Error::from_kind(ErrorKind::Exit(status))
    }

    /// A trap raised by a host function.
    #[cold]
    pub fn trap(code: TrapCode) -> Error {
        Error::from_kind(ErrorKind::Trap(Trap::new(code)))
    }

    #[cold]
    pub(crate) fn wasm(message: impl Into<String>, offset: impl TryInto<usize>) -> Error {
        let offset = offset.try_into().unwrap_or(usize::MAX);
        Error::from_kind(ErrorKind::Wasm { message: message.into(), offset })
    }

    #[cold]
    pub(crate) fn link(message: impl Into<String>) -> Error {
        Error::from_kind(ErrorKind::Link(message.into()))
    }

    #[cold]
    pub(crate) fn limit(message: impl Into<String>) -> Error {
        Error::from_kind(ErrorKind::Limit(message.into()))
    }

    #[cold]
    pub(crate) fn translation_bug(
        func_index: u32,
        instr_index: Option<usize>,
        problem: String,
        disassembly: String,
    ) -> Error {
        Error::from_kind(ErrorKind::TranslationBug {
            func_index,
            instr_index,
            problem,
            disassembly,
        })
    }

    #[cold]
    pub(crate) fn usage(message: impl Into<String>) -> Error {
        Error::from_kind(ErrorKind::Usage(message.into()))
    }

    /// What went wrong.
    pub fn kind(&self) -> &ErrorKind {
        &self.kind
    }

    /// Consumes the error, returning what went wrong.
    pub fn into_kind(self) -> ErrorKind {
        *self.kind
    }

    /// The trap, if this error is one.
    pub fn as_trap(&self) -> Option<&Trap> {
        match &*self.kind {
            ErrorKind::Trap(trap) => Some(trap),
            _ => None,
        }
    }

    /// The uncaught wasm exception, if this error is one.
    pub fn as_exception(&self) -> Option<&crate::runtime::Exception> {
        match &*self.kind {
            ErrorKind::Exception(exception) => Some(exception),
            _ => None,
        }
    }

    /// The trap code, if this error is a trap.
    pub fn trap_code(&self) -> Option<TrapCode> {
        self.as_trap().map(Trap::code)
    }

    /// The exit status, if the guest exited through WASI `proc_exit`.
    pub fn i32_exit_status(&self) -> Option<i32> {
        match &*self.kind {
            ErrorKind::Exit(status) => Some(*status),
            _ => None,
        }
    }

    /// Whether the module failed to decode or validate (including unsupported proposals).
    pub fn is_invalid_module(&self) -> bool {
        matches!(
            &*self.kind,
            ErrorKind::Wasm { .. } | ErrorKind::UnsupportedProposal { .. } | ErrorKind::Text(_)
        )
    }

    /// Whether an import could not be satisfied.
    pub fn is_link(&self) -> bool {
        matches!(&*self.kind, ErrorKind::Link(_))
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &*self.kind {
            ErrorKind::Wasm { message, offset } => write!(f, "{message} (at offset {offset:#x})"),
            ErrorKind::UnsupportedProposal { proposals, offset } => match proposals.as_slice() {
                [one] => write!(f, "unsupported proposal: {one} (at offset {offset:#x})"),
                several => {
                    write!(
                        f,
                        "unsupported proposals: {} (at offset {offset:#x})",
                        several.join(", ")
                    )
                }
            },
            ErrorKind::Text(message) => write!(f, "{message}"),
            ErrorKind::Link(message) => f.write_str(message),
            ErrorKind::Trap(trap) => fmt::Display::fmt(trap, f),
            ErrorKind::Exception(exception) => fmt::Display::fmt(exception, f),
            ErrorKind::Exit(status) => write!(f, "exited with status {status}"),
            ErrorKind::Limit(message) => write!(f, "limit exceeded: {message}"),
            ErrorKind::Usage(message) => f.write_str(message),
            ErrorKind::Host(error) => fmt::Display::fmt(error, f),
            ErrorKind::TranslationBug { func_index, instr_index, problem, disassembly } => {
                write!(f, "translation bug (in interp, not in the module): func[{func_index}]")?;
                if let Some(at) = instr_index {
                    write!(f, " instruction {at}")?;
                }
                write!(f, ": {problem}\n{}", disassembly.trim_end())
            }
        }
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &*self.kind {
            ErrorKind::Trap(trap) => Some(trap),
            ErrorKind::Exception(exception) => Some(&**exception),
            ErrorKind::Host(error) => Some(&**error),
            _ => None,
        }
    }
}

impl From<Trap> for Error {
    #[cold]
    fn from(trap: Trap) -> Error {
        Error::from_kind(ErrorKind::Trap(trap))
    }
}

impl From<TrapCode> for Error {
    #[cold]
    fn from(code: TrapCode) -> Error {
        Error::trap(code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_is_one_word() {
        assert_eq!(std::mem::size_of::<Error>(), std::mem::size_of::<usize>());
        assert_eq!(std::mem::size_of::<Result<(), Error>>(), std::mem::size_of::<usize>());
    }

    #[test]
    fn offsets_print_in_hex() {
        let e = Error::wasm("type mismatch", 0x1f);
        assert_eq!(e.to_string(), "type mismatch (at offset 0x1f)");
    }
}

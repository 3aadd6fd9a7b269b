//! WASI error numbers and the mapping from host errors to them.
//!
//! Every WASI function body returns `Result<_, WasiError>`: either an
//! [`Errno`] the guest sees as the function's return value, or an [`Error`]
//! (a trap such as a bad guest pointer, or `proc_exit`) that ends execution.
//! Host I/O errors map by their OS error code first, then by
//! [`io::ErrorKind`] (for errors without a code, e.g. cap-std's "a path led
//! outside of the filesystem", which is `EPERM` as in wasmtime).

use std::fmt;
use std::io;

use rustix::io::Errno as Os;

use crate::{Error, TrapCode};

macro_rules! errnos {
    ($($name:ident = $value:literal, $text:literal;)*) => {
        /// A WASI `errno` value (`wasi_snapshot_preview1`).
        #[derive(Debug, Copy, Clone, PartialEq, Eq, Hash)]
        #[repr(u16)]
        #[allow(missing_docs)]
        pub enum Errno {
            $($name = $value,)*
        }

        impl Errno {
            /// The name the WASI specification gives this value, e.g. `badf`.
            pub fn name(self) -> &'static str {
                match self {
                    $(Errno::$name => $text,)*
                }
            }
        }
    };
}

errnos! {
    Success = 0, "success"; TooBig = 1, "2big"; Acces = 2, "acces"; Addrinuse = 3, "addrinuse";
    Addrnotavail = 4, "addrnotavail"; Afnosupport = 5, "afnosupport"; Again = 6, "again";
    Already = 7, "already"; Badf = 8, "badf"; Badmsg = 9, "badmsg"; Busy = 10, "busy";
    Canceled = 11, "canceled"; Child = 12, "child"; Connaborted = 13, "connaborted";
    Connrefused = 14, "connrefused"; Connreset = 15, "connreset"; Deadlk = 16, "deadlk";
    Destaddrreq = 17, "destaddrreq"; Dom = 18, "dom"; Dquot = 19, "dquot"; Exist = 20, "exist";
    Fault = 21, "fault"; Fbig = 22, "fbig"; Hostunreach = 23, "hostunreach"; Idrm = 24, "idrm";
    Ilseq = 25, "ilseq"; Inprogress = 26, "inprogress"; Intr = 27, "intr"; Inval = 28, "inval";
    Io = 29, "io"; Isconn = 30, "isconn"; Isdir = 31, "isdir"; Loop = 32, "loop";
    Mfile = 33, "mfile"; Mlink = 34, "mlink"; Msgsize = 35, "msgsize"; Multihop = 36, "multihop";
    Nametoolong = 37, "nametoolong"; Netdown = 38, "netdown"; Netreset = 39, "netreset";
    Netunreach = 40, "netunreach"; Nfile = 41, "nfile"; Nobufs = 42, "nobufs";
    Nodev = 43, "nodev"; Noent = 44, "noent"; Noexec = 45, "noexec"; Nolck = 46, "nolck";
    Nolink = 47, "nolink"; Nomem = 48, "nomem"; Nomsg = 49, "nomsg";
    Noprotoopt = 50, "noprotoopt"; Nospc = 51, "nospc"; Nosys = 52, "nosys";
    Notconn = 53, "notconn"; Notdir = 54, "notdir"; Notempty = 55, "notempty";
    Notrecoverable = 56, "notrecoverable"; Notsock = 57, "notsock"; Notsup = 58, "notsup";
    Notty = 59, "notty"; Nxio = 60, "nxio"; Overflow = 61, "overflow";
    Ownerdead = 62, "ownerdead"; Perm = 63, "perm"; Pipe = 64, "pipe"; Proto = 65, "proto";
    Protonosupport = 66, "protonosupport"; Prototype = 67, "prototype"; Range = 68, "range";
    Rofs = 69, "rofs"; Spipe = 70, "spipe"; Srch = 71, "srch"; Stale = 72, "stale";
    Timedout = 73, "timedout"; Txtbsy = 74, "txtbsy"; Xdev = 75, "xdev";
    Notcapable = 76, "notcapable";
}

impl fmt::Display for Errno {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl Errno {
    /// The errno for a host OS error code, if it has a WASI equivalent.
    fn from_os(code: Os) -> Option<Errno> {
        Some(match code {
            Os::TOOBIG => Errno::TooBig,
            Os::ACCESS => Errno::Acces,
            Os::ADDRINUSE => Errno::Addrinuse,
            Os::ADDRNOTAVAIL => Errno::Addrnotavail,
            Os::AFNOSUPPORT => Errno::Afnosupport,
            Os::AGAIN => Errno::Again,
            Os::ALREADY => Errno::Already,
            Os::BADF => Errno::Badf,
            Os::BADMSG => Errno::Badmsg,
            Os::BUSY => Errno::Busy,
            Os::CANCELED => Errno::Canceled,
            Os::CHILD => Errno::Child,
            Os::CONNABORTED => Errno::Connaborted,
            Os::CONNREFUSED => Errno::Connrefused,
            Os::CONNRESET => Errno::Connreset,
            Os::DEADLK => Errno::Deadlk,
            Os::DESTADDRREQ => Errno::Destaddrreq,
            Os::DOM => Errno::Dom,
            Os::DQUOT => Errno::Dquot,
            Os::EXIST => Errno::Exist,
            Os::FAULT => Errno::Fault,
            Os::FBIG => Errno::Fbig,
            Os::HOSTUNREACH => Errno::Hostunreach,
            Os::IDRM => Errno::Idrm,
            Os::ILSEQ => Errno::Ilseq,
            Os::INPROGRESS => Errno::Inprogress,
            Os::INTR => Errno::Intr,
            Os::INVAL => Errno::Inval,
            Os::IO => Errno::Io,
            Os::ISCONN => Errno::Isconn,
            Os::ISDIR => Errno::Isdir,
            Os::LOOP => Errno::Loop,
            Os::MFILE => Errno::Mfile,
            Os::MLINK => Errno::Mlink,
            Os::MSGSIZE => Errno::Msgsize,
            Os::MULTIHOP => Errno::Multihop,
            Os::NAMETOOLONG => Errno::Nametoolong,
            Os::NETDOWN => Errno::Netdown,
            Os::NETRESET => Errno::Netreset,
            Os::NETUNREACH => Errno::Netunreach,
            Os::NFILE => Errno::Nfile,
            Os::NOBUFS => Errno::Nobufs,
            Os::NODEV => Errno::Nodev,
            Os::NOENT => Errno::Noent,
            Os::NOEXEC => Errno::Noexec,
            Os::NOLCK => Errno::Nolck,
            Os::NOLINK => Errno::Nolink,
            Os::NOMEM => Errno::Nomem,
            Os::NOMSG => Errno::Nomsg,
            Os::NOPROTOOPT => Errno::Noprotoopt,
            Os::NOSPC => Errno::Nospc,
            Os::NOSYS => Errno::Nosys,
            Os::NOTCONN => Errno::Notconn,
            Os::NOTDIR => Errno::Notdir,
            Os::NOTEMPTY => Errno::Notempty,
            Os::NOTRECOVERABLE => Errno::Notrecoverable,
            Os::NOTSOCK => Errno::Notsock,
            Os::NOTSUP => Errno::Notsup,
            Os::NOTTY => Errno::Notty,
            Os::NXIO => Errno::Nxio,
            Os::OVERFLOW => Errno::Overflow,
            Os::OWNERDEAD => Errno::Ownerdead,
            Os::PERM => Errno::Perm,
            Os::PIPE => Errno::Pipe,
            Os::PROTO => Errno::Proto,
            Os::PROTONOSUPPORT => Errno::Protonosupport,
            Os::PROTOTYPE => Errno::Prototype,
            Os::RANGE => Errno::Range,
            Os::ROFS => Errno::Rofs,
            Os::SPIPE => Errno::Spipe,
            Os::SRCH => Errno::Srch,
            Os::STALE => Errno::Stale,
            Os::TIMEDOUT => Errno::Timedout,
            Os::TXTBSY => Errno::Txtbsy,
            Os::XDEV => Errno::Xdev,
            _ => return None,
        })
    }

    fn from_kind(kind: io::ErrorKind) -> Errno {
        use io::ErrorKind as K;
        match kind {
            K::NotFound => Errno::Noent,
            K::PermissionDenied => Errno::Perm,
            K::AlreadyExists => Errno::Exist,
            K::InvalidInput => Errno::Inval,
            K::WouldBlock => Errno::Again,
            K::Interrupted => Errno::Intr,
            K::BrokenPipe => Errno::Pipe,
            K::ConnectionRefused => Errno::Connrefused,
            K::ConnectionReset => Errno::Connreset,
            K::ConnectionAborted => Errno::Connaborted,
            K::NotConnected => Errno::Notconn,
            K::AddrInUse => Errno::Addrinuse,
            K::AddrNotAvailable => Errno::Addrnotavail,
            K::TimedOut => Errno::Timedout,
            K::OutOfMemory => Errno::Nomem,
            K::Unsupported => Errno::Notsup,
            K::NotADirectory => Errno::Notdir,
            K::IsADirectory => Errno::Isdir,
            K::DirectoryNotEmpty => Errno::Notempty,
            K::ReadOnlyFilesystem => Errno::Rofs,
            K::StorageFull => Errno::Nospc,
            K::FileTooLarge => Errno::Fbig,
            K::InvalidFilename => Errno::Nametoolong,
            K::CrossesDevices => Errno::Xdev,
            K::TooManyLinks => Errno::Mlink,
            K::ArgumentListTooLong => Errno::TooBig,
            K::Deadlock => Errno::Deadlk,
            K::ResourceBusy => Errno::Busy,
            K::ExecutableFileBusy => Errno::Txtbsy,
            K::NotSeekable => Errno::Spipe,
            K::InvalidData => Errno::Ilseq,
            _ => Errno::Io,
        }
    }
}

impl From<io::Error> for Errno {
    fn from(err: io::Error) -> Errno {
        if let Some(errno) =
            err.raw_os_error().and_then(|code| Errno::from_os(Os::from_raw_os_error(code)))
        {
            return errno;
        }
        Errno::from_kind(err.kind())
    }
}

impl From<Os> for Errno {
    fn from(err: Os) -> Errno {
        Errno::from_os(err).unwrap_or(Errno::Io)
    }
}

/// Why a WASI call did not succeed: an errno for the guest, or an error that
/// ends execution (a trap, or `proc_exit`).
#[derive(Debug)]
pub(crate) enum WasiError {
    Errno(Errno),
    Fatal(Error),
}

impl WasiError {
    /// A guest pointer or length that does not fit in memory, or a misaligned
    /// pointer: a trap, as the witx ABI documents and wasmtime does.
    pub fn bad_pointer() -> WasiError {
        WasiError::Fatal(Error::trap(TrapCode::MemoryOutOfBounds))
    }
}

impl From<Errno> for WasiError {
    fn from(errno: Errno) -> WasiError {
        WasiError::Errno(errno)
    }
}

impl From<io::Error> for WasiError {
    fn from(err: io::Error) -> WasiError {
        WasiError::Errno(err.into())
    }
}

impl From<Os> for WasiError {
    fn from(err: Os) -> WasiError {
        WasiError::Errno(err.into())
    }
}

/// The result of a WASI function body.
pub(crate) type WasiResult<T> = Result<T, WasiError>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn os_code_wins_over_kind() {
        let e = io::Error::from_raw_os_error(Os::ACCESS.raw_os_error());
        assert_eq!(e.kind(), io::ErrorKind::PermissionDenied);
        assert_eq!(Errno::from(e), Errno::Acces);
        let escape = io::Error::new(io::ErrorKind::PermissionDenied, "a path led outside");
        assert_eq!(Errno::from(escape), Errno::Perm);
    }

    #[test]
    fn names_follow_the_spec() {
        assert_eq!(Errno::TooBig.name(), "2big");
        assert_eq!(Errno::Notcapable as u16, 76);
    }
}

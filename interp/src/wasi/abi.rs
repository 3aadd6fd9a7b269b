//! The `wasi_snapshot_preview1` ABI: flag and enum values and the layouts of
//! the structs WASI functions write to guest memory, as the witx files define
//! them. Nothing here does I/O.

#![allow(missing_docs)]

use std::fmt;

use super::errno::WasiResult;
use super::guest::GuestMemory;

/// `rights` bits.
pub mod rights {
    pub const FD_DATASYNC: u64 = 1 << 0;
    pub const FD_READ: u64 = 1 << 1;
    pub const FD_SEEK: u64 = 1 << 2;
    pub const FD_FDSTAT_SET_FLAGS: u64 = 1 << 3;
    pub const FD_SYNC: u64 = 1 << 4;
    pub const FD_TELL: u64 = 1 << 5;
    pub const FD_WRITE: u64 = 1 << 6;
    pub const FD_ADVISE: u64 = 1 << 7;
    pub const FD_ALLOCATE: u64 = 1 << 8;
    pub const PATH_CREATE_DIRECTORY: u64 = 1 << 9;
    pub const PATH_CREATE_FILE: u64 = 1 << 10;
    pub const PATH_LINK_SOURCE: u64 = 1 << 11;
    pub const PATH_LINK_TARGET: u64 = 1 << 12;
    pub const PATH_OPEN: u64 = 1 << 13;
    pub const FD_READDIR: u64 = 1 << 14;
    pub const PATH_READLINK: u64 = 1 << 15;
    pub const PATH_RENAME_SOURCE: u64 = 1 << 16;
    pub const PATH_RENAME_TARGET: u64 = 1 << 17;
    pub const PATH_FILESTAT_GET: u64 = 1 << 18;
    pub const PATH_FILESTAT_SET_SIZE: u64 = 1 << 19;
    pub const PATH_FILESTAT_SET_TIMES: u64 = 1 << 20;
    pub const FD_FILESTAT_GET: u64 = 1 << 21;
    pub const FD_FILESTAT_SET_SIZE: u64 = 1 << 22;
    pub const FD_FILESTAT_SET_TIMES: u64 = 1 << 23;
    pub const PATH_SYMLINK: u64 = 1 << 24;
    pub const PATH_REMOVE_DIRECTORY: u64 = 1 << 25;
    pub const PATH_UNLINK_FILE: u64 = 1 << 26;
    pub const POLL_FD_READWRITE: u64 = 1 << 27;
    pub const SOCK_SHUTDOWN: u64 = 1 << 28;
    pub const SOCK_ACCEPT: u64 = 1 << 29;

    /// Every right (the 30 bits witx defines).
    pub const ALL: u64 = (1 << 30) - 1;

    /// What wasmtime reports for a preopened directory: the hard-coded set
    /// of wasmtime's default preview 1 implementation (crates/wasi p1,
    /// `fd_fdstat_get`), which wasi-common reports for every directory too.
    pub const PREOPEN: u64 = PATH_CREATE_DIRECTORY
        | PATH_CREATE_FILE
        | PATH_LINK_SOURCE
        | PATH_LINK_TARGET
        | PATH_OPEN
        | FD_READDIR
        | PATH_READLINK
        | PATH_RENAME_SOURCE
        | PATH_RENAME_TARGET
        | PATH_SYMLINK
        | PATH_REMOVE_DIRECTORY
        | PATH_UNLINK_FILE
        | PATH_FILESTAT_GET
        | PATH_FILESTAT_SET_TIMES
        | FD_FILESTAT_GET
        | FD_FILESTAT_SET_TIMES;

    /// The inheriting rights wasmtime reports for a preopened directory.
    pub const PREOPEN_INHERITING: u64 = PREOPEN
        | FD_DATASYNC
        | FD_READ
        | FD_SEEK
        | FD_FDSTAT_SET_FLAGS
        | FD_SYNC
        | FD_TELL
        | FD_WRITE
        | FD_ADVISE
        | FD_ALLOCATE
        | FD_FILESTAT_GET
        | FD_FILESTAT_SET_SIZE
        | FD_FILESTAT_SET_TIMES
        | POLL_FD_READWRITE;

    const _: () = assert!(PREOPEN == 0x7b7_fe00 && PREOPEN_INHERITING == 0xff7_ffff);

    /// Standard input, as p1 reports it (base and inheriting alike).
    pub const STDIN: u64 = FD_READ;

    /// Standard output and error, as p1 reports them (base and inheriting).
    pub const STDOUT: u64 = FD_WRITE;

    /// A socket, listening or connected, as wasi-common reports it (p1 has
    /// no sockets); its inheriting rights are empty.
    pub const SOCKET: u64 = FD_READ | FD_WRITE;

    /// The base rights of a descriptor `path_open` made, derived as p1
    /// derives them: every right, less `FD_SEEK` and the size rights for a
    /// directory, less `FD_READ` and `FD_READDIR` unless it was opened for
    /// reading, less `FD_WRITE` unless it is a file opened for writing.
    /// `write` is whether the guest asked for `FD_WRITE`: p1 also counts a
    /// file opened with `CREAT` or `TRUNC` as opened for writing, we do not
    /// (see `path::path_open`).
    pub fn opened(is_dir: bool, read: bool, write: bool) -> u64 {
        let mut r = ALL;
        if is_dir {
            r &= !(FD_SEEK | FD_FILESTAT_SET_SIZE | PATH_FILESTAT_SET_SIZE);
        }
        if !read {
            r &= !(FD_READ | FD_READDIR);
        }
        if is_dir || !write {
            r &= !FD_WRITE;
        }
        r
    }

    /// The inheriting rights of a descriptor `path_open` made, with base
    /// rights `base`: the same for a file, as p1 reports them; every right
    /// for a directory, since what is opened through it may get any. (p1
    /// reports a directory's base rights here too, which lack `FD_SEEK` and
    /// `FD_WRITE` although files opened through it get them; narrowing to
    /// that set would then take those rights from every file opened through
    /// the directory.)
    pub fn opened_inheriting(is_dir: bool, base: u64) -> u64 {
        if is_dir { ALL } else { base }
    }
}

/// `filetype` values.
pub mod filetype {
    pub const UNKNOWN: u8 = 0;
    pub const BLOCK_DEVICE: u8 = 1;
    pub const CHARACTER_DEVICE: u8 = 2;
    pub const DIRECTORY: u8 = 3;
    pub const REGULAR_FILE: u8 = 4;
    pub const SOCKET_DGRAM: u8 = 5;
    pub const SOCKET_STREAM: u8 = 6;
    pub const SYMBOLIC_LINK: u8 = 7;
}

/// `fdflags` bits.
pub mod fdflags {
    pub const APPEND: u16 = 1 << 0;
    pub const DSYNC: u16 = 1 << 1;
    pub const NONBLOCK: u16 = 1 << 2;
    pub const RSYNC: u16 = 1 << 3;
    pub const SYNC: u16 = 1 << 4;
    pub const ALL: u16 = (1 << 5) - 1;
}

/// `oflags` bits.
pub mod oflags {
    pub const CREAT: u16 = 1 << 0;
    pub const DIRECTORY: u16 = 1 << 1;
    pub const EXCL: u16 = 1 << 2;
    pub const TRUNC: u16 = 1 << 3;
    pub const ALL: u16 = (1 << 4) - 1;
}

/// `lookupflags` bits.
pub mod lookupflags {
    pub const SYMLINK_FOLLOW: u32 = 1 << 0;
}

/// `fstflags` bits.
pub mod fstflags {
    pub const ATIM: u16 = 1 << 0;
    pub const ATIM_NOW: u16 = 1 << 1;
    pub const MTIM: u16 = 1 << 2;
    pub const MTIM_NOW: u16 = 1 << 3;
    pub const ALL: u16 = (1 << 4) - 1;
}

/// `whence` values.
pub mod whence {
    pub const SET: u32 = 0;
    pub const CUR: u32 = 1;
    pub const END: u32 = 2;
}

/// `clockid` values.
pub mod clockid {
    pub const REALTIME: u32 = 0;
    pub const MONOTONIC: u32 = 1;
    pub const PROCESS_CPUTIME_ID: u32 = 2;
    pub const THREAD_CPUTIME_ID: u32 = 3;
}

/// `eventtype` values.
pub mod eventtype {
    pub const CLOCK: u8 = 0;
    pub const FD_READ: u8 = 1;
    pub const FD_WRITE: u8 = 2;
}

/// `subclockflags` bits.
pub const SUBSCRIPTION_CLOCK_ABSTIME: u16 = 1;
/// `eventrwflags` bits.
pub const FD_READWRITE_HANGUP: u16 = 1;
/// `riflags` bits.
pub const RECV_PEEK: u32 = 1;
pub const RECV_WAITALL: u32 = 2;
/// `sdflags` bits.
pub const SHUT_RD: u32 = 1;
pub const SHUT_WR: u32 = 2;

/// `filestat`: 64 bytes, aligned to 8.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Filestat {
    pub dev: u64,
    pub ino: u64,
    pub filetype: u8,
    pub nlink: u64,
    pub size: u64,
    pub atim: u64,
    pub mtim: u64,
    pub ctim: u64,
}

impl fmt::Display for Filestat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{{dev={}, ino={}, filetype={}, nlink={}, size={}, atim={}, mtim={}, ctim={}}}",
            self.dev,
            self.ino,
            filetype_name(self.filetype),
            self.nlink,
            self.size,
            self.atim,
            self.mtim,
            self.ctim
        )
    }
}

/// `fdstat`: 24 bytes, aligned to 8.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fdstat {
    pub filetype: u8,
    pub flags: u16,
    pub rights_base: u64,
    pub rights_inheriting: u64,
}

impl fmt::Display for Fdstat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{{filetype={}, flags={:#x}, rights_base={:#x}, rights_inheriting={:#x}}}",
            filetype_name(self.filetype),
            self.flags,
            self.rights_base,
            self.rights_inheriting
        )
    }
}

/// `prestat` of a preopened directory: 8 bytes, aligned to 4.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Prestat {
    pub name_len: u32,
}

impl fmt::Display for Prestat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{{tag=dir, pr_name_len={}}}", self.name_len)
    }
}

/// A value a WASI function returns through a result pointer.
pub(crate) trait GuestResult: fmt::Display {
    fn write(&self, mem: &mut GuestMemory<'_>, ptr: u32) -> WasiResult<()>;
}

impl GuestResult for u32 {
    fn write(&self, mem: &mut GuestMemory<'_>, ptr: u32) -> WasiResult<()> {
        mem.write_u32(ptr, *self)
    }
}

impl GuestResult for u64 {
    fn write(&self, mem: &mut GuestMemory<'_>, ptr: u32) -> WasiResult<()> {
        mem.write_u64(ptr, *self)
    }
}

impl GuestResult for u16 {
    fn write(&self, mem: &mut GuestMemory<'_>, ptr: u32) -> WasiResult<()> {
        mem.write_u16(ptr, *self)
    }
}

impl GuestResult for Filestat {
    fn write(&self, mem: &mut GuestMemory<'_>, ptr: u32) -> WasiResult<()> {
        mem.check_struct(ptr, 64, 8)?;
        mem.write_u64(ptr, self.dev)?;
        mem.write_u64(ptr + 8, self.ino)?;
        mem.slice_mut(ptr + 16, 8)?.fill(0);
        mem.write_u8(ptr + 16, self.filetype)?;
        mem.write_u64(ptr + 24, self.nlink)?;
        mem.write_u64(ptr + 32, self.size)?;
        mem.write_u64(ptr + 40, self.atim)?;
        mem.write_u64(ptr + 48, self.mtim)?;
        mem.write_u64(ptr + 56, self.ctim)
    }
}

impl GuestResult for Fdstat {
    fn write(&self, mem: &mut GuestMemory<'_>, ptr: u32) -> WasiResult<()> {
        mem.check_struct(ptr, 24, 8)?;
        mem.slice_mut(ptr, 8)?.fill(0);
        mem.write_u8(ptr, self.filetype)?;
        mem.write_u16(ptr + 2, self.flags)?;
        mem.write_u64(ptr + 8, self.rights_base)?;
        mem.write_u64(ptr + 16, self.rights_inheriting)
    }
}

impl GuestResult for Prestat {
    fn write(&self, mem: &mut GuestMemory<'_>, ptr: u32) -> WasiResult<()> {
        mem.check_struct(ptr, 8, 4)?;
        mem.slice_mut(ptr, 4)?.fill(0);
        mem.write_u32(ptr + 4, self.name_len)
    }
}

/// The name the WASI specification gives a `filetype`.
pub fn filetype_name(t: u8) -> &'static str {
    match t {
        filetype::BLOCK_DEVICE => "block_device",
        filetype::CHARACTER_DEVICE => "character_device",
        filetype::DIRECTORY => "directory",
        filetype::REGULAR_FILE => "regular_file",
        filetype::SOCKET_DGRAM => "socket_dgram",
        filetype::SOCKET_STREAM => "socket_stream",
        filetype::SYMBOLIC_LINK => "symbolic_link",
        _ => "unknown",
    }
}

/// Size of a `dirent` header.
pub const DIRENT_SIZE: usize = 24;
/// Size of a `subscription`.
pub const SUBSCRIPTION_SIZE: u32 = 48;
/// Size of an `event`.
pub const EVENT_SIZE: u32 = 32;

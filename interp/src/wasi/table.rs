//! The descriptor table: what each guest file descriptor refers to, with its
//! rights.
//!
//! Descriptors are an [`enum Descriptor`](Descriptor), not a type-erased map,
//! so every operation states which kinds of descriptor it accepts.
//!
//! # Rights
//!
//! Each entry carries the `rights_base` and `rights_inheriting` that
//! `fd_fdstat_get` reports, and they start as wasmtime reports them: the
//! values of wasmtime's default preview 1 implementation (crates/wasi p1) for
//! stdio, preopened directories and what `path_open` returns, and
//! wasi-common's for sockets (see [`rights`](super::abi::rights)). Neither
//! wasmtime implementation enforces rights any more (both answer `ENOTSUP` to
//! `fd_fdstat_set_rights`); we do, reconciled with those values like this:
//!
//! - An operation first checks the descriptor's kind and answers as p1 does
//!   for a kind it does not support (`EBADF`, or `ESPIPE` for a seek on a
//!   stream), and only then its rights.
//! - p1 reports no right for some operations it does perform: `poll_oneoff`
//!   and `fd_filestat_get` on stdio, `path_open` with `TRUNC` through a
//!   directory (`PATH_FILESTAT_SET_SIZE`), and `fd_fdstat_set_flags`,
//!   `fd_filestat_get`, `poll_oneoff`, `sock_accept`, `sock_shutdown` on
//!   sockets, for which wasi-common reports only `FD_READ | FD_WRITE`. Those
//!   rights are implied by the kind ([`implied`]): never reported, so the
//!   guest cannot drop them.
//! - `fd_fdstat_set_rights` narrows the rights; a right the guest dropped is
//!   refused with `ENOTCAPABLE` on the descriptor. Narrowing the inheriting
//!   rights bounds everything later opened through it (and through what
//!   that opens): they get no right outside the new inheriting set. A right
//!   a descriptor never had is `EBADF`, which is what wasmtime answers when
//!   the host refuses, e.g. reading a file opened only for writing.
//! - `path_open` derives the new descriptor's rights from what was opened and
//!   how, as p1 does, with two differences that make the rights the guest
//!   sees mean what they say (the official wasi-testsuite checks both on a
//!   host that supports rights; p1 does not, so it is never asked):
//!   - a file has `FD_WRITE` only if the guest asked for it: p1 also opens a
//!     file for writing when `oflags` has `CREAT` or `TRUNC`, so a file
//!     created for reading would report other rights than the same file
//!     opened again through a hard link;
//!   - a directory's inheriting rights are every right, not its own base
//!     rights as p1 reports (those lack `FD_SEEK` and `FD_WRITE`, so a
//!     guest narrowing to the rights it was told would take them from every
//!     file it then opens through the directory).
//!
//!   Requesting a right that the directory's inheriting rights were narrowed
//!   to exclude is `ENOTCAPABLE`; other requested rights are not checked, as
//!   p1 ignores them. Every other value reported before the guest narrows
//!   anything is exactly wasmtime's, and narrowing to the values reported
//!   takes away no right that an operation on the descriptor, or on what is
//!   opened through it, uses.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{self, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex, MutexGuard};

use super::abi::rights;
use super::errno::{Errno, WasiResult};

/// An in-memory input stream for a guest's stdin.
#[derive(Debug, Clone, Default)]
pub struct ReadPipe {
    data: Vec<u8>,
    pos: usize,
}

impl ReadPipe {
    /// A pipe that yields `data`, then end of file.
    pub fn new(data: impl Into<Vec<u8>>) -> ReadPipe {
        ReadPipe { data: data.into(), pos: 0 }
    }

    /// Bytes not read yet.
    pub fn remaining(&self) -> usize {
        self.data.len() - self.pos
    }
}

impl Read for ReadPipe {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = buf.len().min(self.remaining());
        buf[..n].copy_from_slice(&self.data[self.pos..self.pos + n]);
        self.pos += n;
        Ok(n)
    }
}

/// An in-memory output stream for a guest's stdout or stderr; clones share the
/// same buffer, so the host keeps one and reads what the guest wrote.
#[derive(Debug, Clone, Default)]
pub struct WritePipe {
    data: Arc<Mutex<Vec<u8>>>,
}

impl WritePipe {
    /// An empty pipe.
    pub fn new() -> WritePipe {
        WritePipe::default()
    }

    fn lock(&self) -> MutexGuard<'_, Vec<u8>> {
        self.data.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Everything written so far.
    pub fn contents(&self) -> Vec<u8> {
        self.lock().clone()
    }

    /// Everything written so far, as text (invalid UTF-8 replaced).
    pub fn contents_lossy(&self) -> String {
        String::from_utf8_lossy(&self.lock()).into_owned()
    }
}

impl Write for WritePipe {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.lock().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn write_vectored(&mut self, bufs: &[io::IoSlice<'_>]) -> io::Result<usize> {
        let mut data = self.lock();
        for buf in bufs {
            data.extend_from_slice(buf);
        }
        Ok(bufs.iter().map(|b| b.len()).sum())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Where a standard input stream comes from.
#[derive(Debug)]
pub(crate) enum Input {
    /// The host process's stdin.
    Inherit,
    /// An in-memory pipe.
    Pipe(ReadPipe),
}

/// Where a standard output stream goes.
#[derive(Debug)]
pub(crate) enum Output {
    /// The host process's stdout.
    Stdout,
    /// The host process's stderr.
    Stderr,
    /// An in-memory pipe.
    Pipe(WritePipe),
}

/// A directory descriptor: a capability for everything beneath it.
#[derive(Debug)]
pub(crate) struct DirDesc {
    pub dir: cap_std::fs::Dir,
    /// The guest path, for preopened directories.
    pub preopen: Option<String>,
}

/// What a file descriptor refers to.
#[derive(Debug)]
pub(crate) enum Descriptor {
    Input(Input),
    Output(Output),
    File(File),
    Dir(DirDesc),
    Listener(TcpListener),
    Stream(TcpStream),
}

/// One slot of the table.
#[derive(Debug)]
pub(crate) struct Entry {
    pub desc: Descriptor,
    pub rights_base: u64,
    pub rights_inheriting: u64,
    /// Rights the guest dropped from `rights_base`, or from the inheriting
    /// rights of the directory this descriptor was opened through.
    pub revoked_base: u64,
    /// Rights the guest dropped from `rights_inheriting` (here or on the
    /// directory this one was opened through): descriptors opened through
    /// this one never get them.
    pub revoked_inheriting: u64,
    /// `fdflags` of descriptors whose flags the host OS does not hold for us
    /// (sockets) or that were chosen at `path_open`; files keep `APPEND` and
    /// `NONBLOCK` in the OS too.
    pub flags: u16,
}

/// The rights an operation needs that wasmtime does not report for a kind of
/// descriptor but performs anyway (see the module documentation).
pub(crate) fn implied(desc: &Descriptor) -> u64 {
    match desc {
        Descriptor::File(_) => 0,
        Descriptor::Dir(_) => rights::PATH_FILESTAT_SET_SIZE,
        Descriptor::Input(_) | Descriptor::Output(_) => {
            rights::FD_FILESTAT_GET | rights::POLL_FD_READWRITE
        }
        Descriptor::Listener(_) | Descriptor::Stream(_) => {
            rights::FD_FDSTAT_SET_FLAGS
                | rights::FD_FILESTAT_GET
                | rights::POLL_FD_READWRITE
                | rights::SOCK_SHUTDOWN
                | rights::SOCK_ACCEPT
        }
    }
}

impl Entry {
    pub fn new(desc: Descriptor, rights_base: u64, rights_inheriting: u64) -> Entry {
        Entry {
            desc,
            rights_base,
            rights_inheriting,
            revoked_base: 0,
            revoked_inheriting: 0,
            flags: 0,
        }
    }

    /// Checks that the entry has every right in `rights`: `ENOTCAPABLE` if
    /// the guest dropped one of them, `EBADF` if the descriptor never had it.
    pub fn require(&self, rights: u64) -> WasiResult<()> {
        let missing = rights & !(self.rights_base | implied(&self.desc));
        if missing == 0 {
            Ok(())
        } else if missing & self.revoked_base != 0 {
            Err(Errno::Notcapable.into())
        } else {
            Err(Errno::Badf.into())
        }
    }

    /// Narrows the rights to `base` and `inheriting` (`ENOTCAPABLE` if that
    /// would add any) and remembers what was dropped. From then on,
    /// descriptors opened through this one get at most `inheriting`, even
    /// rights p1 would derive for them but not list here.
    pub fn narrow(&mut self, base: u64, inheriting: u64) -> WasiResult<()> {
        if base & !self.rights_base != 0 || inheriting & !self.rights_inheriting != 0 {
            return Err(Errno::Notcapable.into());
        }
        self.revoked_base |= self.rights_base & !base;
        self.revoked_inheriting |= rights::ALL & !inheriting;
        self.rights_base = base;
        self.rights_inheriting = inheriting;
        Ok(())
    }

    /// The entry for a descriptor opened through this directory entry, with
    /// rights `base` and `inheriting` (before what the guest dropped here is
    /// taken away).
    pub fn child(&self, desc: Descriptor, base: u64, inheriting: u64) -> Entry {
        Entry {
            desc,
            rights_base: base & !self.revoked_inheriting,
            rights_inheriting: inheriting & !self.revoked_inheriting,
            revoked_base: self.revoked_inheriting,
            revoked_inheriting: self.revoked_inheriting,
            flags: 0,
        }
    }
}

/// The guest's file descriptors.
#[derive(Debug, Default)]
pub(crate) struct FdTable {
    entries: BTreeMap<u32, Entry>,
}

/// The most descriptors one guest may hold open.
const MAX_FDS: usize = 1 << 16;

impl FdTable {
    /// The entry for `fd`, or `EBADF`.
    pub fn entry(&self, fd: u32) -> WasiResult<&Entry> {
        self.entries.get(&fd).ok_or(Errno::Badf.into())
    }

    /// The entry for `fd` mutably, or `EBADF`.
    pub fn entry_mut(&mut self, fd: u32) -> WasiResult<&mut Entry> {
        self.entries.get_mut(&fd).ok_or(Errno::Badf.into())
    }

    /// The directory `fd` refers to, if it has `rights`: `EBADF` for other
    /// descriptors, as wasmtime answers for path operations on them.
    pub fn dir(&self, fd: u32, rights: u64) -> WasiResult<&DirDesc> {
        let e = self.entry(fd)?;
        let Descriptor::Dir(d) = &e.desc else {
            return Err(Errno::Badf.into());
        };
        e.require(rights)?;
        Ok(d)
    }

    /// Puts `entry` at the lowest free descriptor number and returns it.
    pub fn push(&mut self, entry: Entry) -> WasiResult<u32> {
        if self.entries.len() >= MAX_FDS {
            return Err(Errno::Nfile.into());
        }
        let mut fd = 0;
        for &used in self.entries.keys() {
            if used != fd {
                break;
            }
            fd += 1;
        }
        self.entries.insert(fd, entry);
        Ok(fd)
    }

    /// Puts `entry` at `fd`, replacing (and closing) what was there.
    pub fn insert_at(&mut self, fd: u32, entry: Entry) {
        self.entries.insert(fd, entry);
    }

    /// Removes and returns the entry for `fd`.
    pub fn remove(&mut self, fd: u32) -> WasiResult<Entry> {
        self.entries.remove(&fd).ok_or(Errno::Badf.into())
    }

    /// Whether `fd` is open.
    pub fn contains(&self, fd: u32) -> bool {
        self.entries.contains_key(&fd)
    }

    /// Descriptor numbers in use, ascending.
    pub fn fds(&self) -> impl Iterator<Item = u32> + '_ {
        self.entries.keys().copied()
    }
}

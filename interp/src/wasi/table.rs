//! The descriptor table: what each guest file descriptor refers to, with its
//! rights.
//!
//! Descriptors are an [`enum Descriptor`](Descriptor), not a type-erased map,
//! so every operation states which kinds of descriptor it accepts. Each entry
//! carries `rights_base` and `rights_inheriting`; [`FdTable::get`] checks the
//! rights an operation needs and answers `EBADF` or `ENOTCAPABLE`.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{self, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex, MutexGuard};

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
    /// `fdflags` of descriptors whose flags the host OS does not hold for us
    /// (pipes and inherited stdio, sockets); files keep theirs in the OS.
    pub flags: u16,
}

impl Entry {
    pub fn new(desc: Descriptor, rights_base: u64, rights_inheriting: u64) -> Entry {
        Entry { desc, rights_base, rights_inheriting, flags: 0 }
    }

    /// Fails with `ENOTCAPABLE` unless the entry has every right in `rights`.
    pub fn require(&self, rights: u64) -> WasiResult<()> {
        if self.rights_base & rights == rights { Ok(()) } else { Err(Errno::Notcapable.into()) }
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

    /// The entry for `fd` if it has `rights` (`EBADF`, `ENOTCAPABLE` otherwise).
    pub fn get(&self, fd: u32, rights: u64) -> WasiResult<&Entry> {
        let e = self.entry(fd)?;
        e.require(rights)?;
        Ok(e)
    }

    /// Like [`FdTable::get`], mutably.
    pub fn get_mut(&mut self, fd: u32, rights: u64) -> WasiResult<&mut Entry> {
        let e = self.entry_mut(fd)?;
        e.require(rights)?;
        Ok(e)
    }

    /// The entry for `fd` for a byte-stream operation: `EBADF` for a
    /// directory (as wasmtime answers), then the rights check.
    pub fn stream(&self, fd: u32, rights: u64) -> WasiResult<&Entry> {
        let e = self.entry(fd)?;
        if let Descriptor::Dir(_) = e.desc {
            return Err(Errno::Badf.into());
        }
        e.require(rights)?;
        Ok(e)
    }

    /// Like [`FdTable::stream`], mutably.
    pub fn stream_mut(&mut self, fd: u32, rights: u64) -> WasiResult<&mut Entry> {
        let e = self.entry_mut(fd)?;
        if let Descriptor::Dir(_) = e.desc {
            return Err(Errno::Badf.into());
        }
        e.require(rights)?;
        Ok(e)
    }

    /// The directory `fd` refers to, if it has `rights`: `ENOTDIR` for other
    /// descriptors, as path operations on them would fail in POSIX.
    pub fn dir(&self, fd: u32, rights: u64) -> WasiResult<&DirDesc> {
        let e = self.entry(fd)?;
        let Descriptor::Dir(d) = &e.desc else {
            return Err(Errno::Notdir.into());
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

//! Descriptor operations: `fd_*` (all but `fd_readdir`, which lives with the
//! path operations in `path`).
//!
//! Each function looks the descriptor up with the rights it needs (`EBADF`,
//! `ENOTCAPABLE`), then acts on the [`Descriptor`] kind. Where WASI leaves
//! the answer for a kind open, we answer as wasmtime: byte-stream operations
//! on a directory are `EBADF`, positioned operations on a stream are `ESPIPE`.
//! Files are read and written with direct system calls (no buffering), and
//! host stdout/stderr are flushed on every write, so nothing the guest wrote is
//! lost when it exits or traps.

use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::num::NonZeroU64;
use std::os::fd::{AsFd, BorrowedFd};
use std::os::unix::fs::{FileExt, FileTypeExt, MetadataExt};

use rustix::fs::{Advice, FallocateFlags, Timestamps, UTIME_NOW, UTIME_OMIT};
use rustix::time::Timespec;

use super::WasiCtx;
use super::abi::{Fdstat, Filestat, Prestat, fdflags, filetype, fstflags, rights, whence};
use super::errno::{Errno, WasiResult};
use super::guest::{GuestMemory, iovecs_len};
use super::table::{Descriptor, Entry, Input, Output};

/// The host descriptor behind an entry, for descriptors backed by one.
pub(crate) fn host_fd(desc: &Descriptor) -> Option<BorrowedFd<'_>> {
    Some(match desc {
        Descriptor::File(f) => f.as_fd(),
        Descriptor::Dir(d) => d.dir.as_fd(),
        Descriptor::Listener(l) => l.as_fd(),
        Descriptor::Stream(s) => s.as_fd(),
        Descriptor::Input(Input::Inherit) => rustix::stdio::stdin(),
        Descriptor::Output(Output::Stdout) => rustix::stdio::stdout(),
        Descriptor::Output(Output::Stderr) => rustix::stdio::stderr(),
        Descriptor::Input(Input::Pipe(_)) | Descriptor::Output(Output::Pipe(_)) => return None,
    })
}

/// The WASI filetype of a host file type.
pub(crate) fn filetype_of(t: std::fs::FileType) -> u8 {
    if t.is_dir() {
        filetype::DIRECTORY
    } else if t.is_file() {
        filetype::REGULAR_FILE
    } else if t.is_symlink() {
        filetype::SYMBOLIC_LINK
    } else if t.is_char_device() {
        filetype::CHARACTER_DEVICE
    } else if t.is_block_device() {
        filetype::BLOCK_DEVICE
    } else if t.is_socket() {
        filetype::SOCKET_STREAM
    } else {
        filetype::UNKNOWN
    }
}

pub(crate) fn timestamp(secs: i64, nsecs: i64) -> u64 {
    u64::try_from(secs)
        .unwrap_or(0)
        .saturating_mul(1_000_000_000)
        .saturating_add(u64::try_from(nsecs).unwrap_or(0))
}

/// The `filestat` of a host descriptor.
pub(crate) fn filestat_of(fd: BorrowedFd<'_>) -> WasiResult<Filestat> {
    let meta = File::from(fd.try_clone_to_owned()?).metadata()?;
    let filetype = filetype_of(meta.file_type());
    Ok(Filestat {
        dev: meta.dev(),
        ino: meta.ino(),
        filetype,
        nlink: meta.nlink(),
        size: meta.size(),
        atim: timestamp(meta.atime(), meta.atime_nsec()),
        mtim: timestamp(meta.mtime(), meta.mtime_nsec()),
        ctim: timestamp(meta.ctime(), meta.ctime_nsec()),
    })
}

fn filetype_of_desc(desc: &Descriptor) -> WasiResult<u8> {
    Ok(match desc {
        Descriptor::Dir(_) => filetype::DIRECTORY,
        Descriptor::Listener(_) | Descriptor::Stream(_) => filetype::SOCKET_STREAM,
        Descriptor::Input(Input::Pipe(_)) | Descriptor::Output(Output::Pipe(_)) => {
            filetype::UNKNOWN
        }
        other => match host_fd(other) {
            Some(fd) => filestat_of(fd)?.filetype,
            None => filetype::UNKNOWN,
        },
    })
}

/// `fd_advise`.
pub(crate) fn fd_advise(
    ctx: &mut WasiCtx,
    fd: u32,
    offset: u64,
    len: u64,
    advice: u32,
) -> WasiResult<()> {
    let advice = match advice {
        0 => Advice::Normal,
        1 => Advice::Sequential,
        2 => Advice::Random,
        3 => Advice::WillNeed,
        4 => Advice::DontNeed,
        5 => Advice::NoReuse,
        _ => return Err(Errno::Inval.into()),
    };
    let e = ctx.table.stream(fd, rights::FD_ADVISE)?;
    match &e.desc {
        Descriptor::File(f) => Ok(rustix::fs::fadvise(f, offset, NonZeroU64::new(len), advice)?),
        Descriptor::Dir(_) => Err(Errno::Badf.into()),
        _ => Err(Errno::Spipe.into()),
    }
}

/// `fd_allocate`: makes sure the file has space for `offset..offset+len`
/// (`posix_fallocate`), growing it if needed.
pub(crate) fn fd_allocate(ctx: &mut WasiCtx, fd: u32, offset: u64, len: u64) -> WasiResult<()> {
    let e = ctx.table.stream(fd, rights::FD_ALLOCATE)?;
    match &e.desc {
        Descriptor::File(f) => {
            if len == 0 || offset.checked_add(len).is_none_or(|end| end > i64::MAX as u64) {
                return Err(Errno::Inval.into());
            }
            Ok(rustix::fs::fallocate(f, FallocateFlags::empty(), offset, len)?)
        }
        Descriptor::Dir(_) => Err(Errno::Badf.into()),
        _ => Err(Errno::Spipe.into()),
    }
}

/// `fd_close`. Preopened directories may be closed too, as in wasmtime.
pub(crate) fn fd_close(ctx: &mut WasiCtx, fd: u32) -> WasiResult<()> {
    let entry = ctx.table.remove(fd)?;
    if let Descriptor::Output(Output::Stdout | Output::Stderr) = entry.desc {
        ctx.flush()?;
    }
    Ok(())
}

fn sync(ctx: &mut WasiCtx, fd: u32, right: u64, data_only: bool) -> WasiResult<()> {
    let e = ctx.table.get(fd, right)?;
    match &e.desc {
        Descriptor::File(f) if data_only => Ok(f.sync_data()?),
        Descriptor::File(f) => Ok(f.sync_all()?),
        Descriptor::Dir(d) if data_only => Ok(rustix::fs::fdatasync(&d.dir)?),
        Descriptor::Dir(d) => Ok(rustix::fs::fsync(&d.dir)?),
        Descriptor::Output(Output::Stdout | Output::Stderr) => Ok(ctx.flush()?),
        _ => Err(Errno::Inval.into()),
    }
}

/// `fd_datasync`.
pub(crate) fn fd_datasync(ctx: &mut WasiCtx, fd: u32) -> WasiResult<()> {
    sync(ctx, fd, rights::FD_DATASYNC, true)
}

/// `fd_sync`.
pub(crate) fn fd_sync(ctx: &mut WasiCtx, fd: u32) -> WasiResult<()> {
    sync(ctx, fd, rights::FD_SYNC, false)
}

/// `fd_fdstat_get`.
pub(crate) fn fd_fdstat_get(ctx: &mut WasiCtx, fd: u32) -> WasiResult<Fdstat> {
    let e = ctx.table.entry(fd)?;
    Ok(Fdstat {
        filetype: filetype_of_desc(&e.desc)?,
        flags: e.flags,
        rights_base: e.rights_base,
        rights_inheriting: e.rights_inheriting,
    })
}

/// `fd_fdstat_set_flags`: `APPEND` and `NONBLOCK` can be changed on files;
/// `NONBLOCK` on sockets and stdio. The synchronized-I/O flags can only be
/// chosen at `path_open` (Linux cannot change them later), so changing them
/// is `ENOTSUP`, as in wasmtime.
pub(crate) fn fd_fdstat_set_flags(ctx: &mut WasiCtx, fd: u32, flags: u32) -> WasiResult<()> {
    let flags = u16::try_from(flags).map_err(|_| Errno::Inval)?;
    if flags & !fdflags::ALL != 0 {
        return Err(Errno::Inval.into());
    }
    let e = ctx.table.get_mut(fd, rights::FD_FDSTAT_SET_FLAGS)?;
    let sync = fdflags::DSYNC | fdflags::RSYNC | fdflags::SYNC;
    if flags & sync != e.flags & sync {
        return Err(Errno::Notsup.into());
    }
    let nonblock = flags & fdflags::NONBLOCK != 0;
    match &e.desc {
        Descriptor::File(f) => {
            let mut os = rustix::fs::fcntl_getfl(f)?;
            os.set(rustix::fs::OFlags::APPEND, flags & fdflags::APPEND != 0);
            os.set(rustix::fs::OFlags::NONBLOCK, nonblock);
            rustix::fs::fcntl_setfl(f, os)?;
        }
        Descriptor::Listener(l) if flags & fdflags::APPEND == 0 => l.set_nonblocking(nonblock)?,
        Descriptor::Stream(s) if flags & fdflags::APPEND == 0 => s.set_nonblocking(nonblock)?,
        Descriptor::Input(_) | Descriptor::Output(_) => {}
        _ if flags == e.flags => {}
        _ => return Err(Errno::Notsup.into()),
    }
    e.flags = flags;
    Ok(())
}

/// `fd_fdstat_set_rights`: rights can only be dropped, never gained
/// (`ENOTCAPABLE`).
pub(crate) fn fd_fdstat_set_rights(
    ctx: &mut WasiCtx,
    fd: u32,
    base: u64,
    inheriting: u64,
) -> WasiResult<()> {
    let e = ctx.table.entry_mut(fd)?;
    if base & !e.rights_base != 0 || inheriting & !e.rights_inheriting != 0 {
        return Err(Errno::Notcapable.into());
    }
    e.rights_base = base;
    e.rights_inheriting = inheriting;
    Ok(())
}

/// `fd_filestat_get`. In-memory pipes have no host file: all zeros, filetype
/// `unknown`.
pub(crate) fn fd_filestat_get(ctx: &mut WasiCtx, fd: u32) -> WasiResult<Filestat> {
    let e = ctx.table.get(fd, rights::FD_FILESTAT_GET)?;
    match host_fd(&e.desc) {
        Some(host) => {
            let mut stat = filestat_of(host)?;
            if matches!(e.desc, Descriptor::Listener(_) | Descriptor::Stream(_)) {
                stat.filetype = filetype::SOCKET_STREAM;
            }
            Ok(stat)
        }
        None => Ok(Filestat::default()),
    }
}

/// `fd_filestat_set_size`: truncates or zero-extends a file.
pub(crate) fn fd_filestat_set_size(ctx: &mut WasiCtx, fd: u32, size: u64) -> WasiResult<()> {
    let e = ctx.table.stream(fd, rights::FD_FILESTAT_SET_SIZE)?;
    match &e.desc {
        Descriptor::File(f) => Ok(f.set_len(size)?),
        Descriptor::Dir(_) => Err(Errno::Badf.into()),
        _ => Err(Errno::Inval.into()),
    }
}

/// The `Timestamps` for `futimens`/`utimensat` from WASI times and `fstflags`.
pub(crate) fn timestamps(atim: u64, mtim: u64, flags: u32) -> WasiResult<Timestamps> {
    let flags = u16::try_from(flags).map_err(|_| Errno::Inval)?;
    if flags & !fstflags::ALL != 0
        || flags & (fstflags::ATIM | fstflags::ATIM_NOW) == fstflags::ATIM | fstflags::ATIM_NOW
        || flags & (fstflags::MTIM | fstflags::MTIM_NOW) == fstflags::MTIM | fstflags::MTIM_NOW
    {
        return Err(Errno::Inval.into());
    }
    let spec = |t: u64, set: u16, now: u16| -> Timespec {
        if flags & set != 0 {
            Timespec { tv_sec: (t / 1_000_000_000) as i64, tv_nsec: (t % 1_000_000_000) as _ }
        } else {
            Timespec {
                tv_sec: 0,
                tv_nsec: if flags & now != 0 { UTIME_NOW } else { UTIME_OMIT } as _,
            }
        }
    };
    Ok(Timestamps {
        last_access: spec(atim, fstflags::ATIM, fstflags::ATIM_NOW),
        last_modification: spec(mtim, fstflags::MTIM, fstflags::MTIM_NOW),
    })
}

/// `fd_filestat_set_times`.
pub(crate) fn fd_filestat_set_times(
    ctx: &mut WasiCtx,
    fd: u32,
    atim: u64,
    mtim: u64,
    flags: u32,
) -> WasiResult<()> {
    let times = timestamps(atim, mtim, flags)?;
    let e = ctx.table.get(fd, rights::FD_FILESTAT_SET_TIMES)?;
    match host_fd(&e.desc) {
        Some(host) => Ok(rustix::fs::futimens(host, &times)?),
        None => Err(Errno::Badf.into()),
    }
}

/// Reads from a file at `offset` into the iovecs (each in turn, until a short read).
fn read_file_at(
    f: &File,
    mem: &mut GuestMemory<'_>,
    iovs: &[(u32, u32)],
    mut offset: u64,
) -> WasiResult<u32> {
    let mut total = 0u32;
    for &(buf, len) in iovs {
        let n = f.read_at(mem.slice_mut(buf, len)?, offset)?;
        total += n as u32;
        offset += n as u64;
        if n < len as usize {
            break;
        }
    }
    Ok(total)
}

/// `fd_pread`: reads at an offset without moving the file position.
pub(crate) fn fd_pread(
    ctx: &mut WasiCtx,
    mem: &mut GuestMemory<'_>,
    fd: u32,
    iovs: u32,
    iovs_len: u32,
    offset: u64,
) -> WasiResult<u32> {
    let iovs = mem.iovecs(iovs, iovs_len)?;
    let e = ctx.table.stream(fd, rights::FD_READ | rights::FD_SEEK)?;
    match &e.desc {
        Descriptor::File(f) => read_file_at(f, mem, &iovs, offset),
        Descriptor::Dir(_) => Err(Errno::Badf.into()),
        _ => Err(Errno::Spipe.into()),
    }
}

/// `fd_pwrite`: writes at an offset without moving the file position. (On a
/// file opened for appending, Linux appends, as `pwrite(2)` documents.)
pub(crate) fn fd_pwrite(
    ctx: &mut WasiCtx,
    mem: &mut GuestMemory<'_>,
    fd: u32,
    iovs: u32,
    iovs_len: u32,
    offset: u64,
) -> WasiResult<u32> {
    let data = mem.gather(iovs, iovs_len)?;
    let e = ctx.table.stream(fd, rights::FD_WRITE | rights::FD_SEEK)?;
    match &e.desc {
        Descriptor::File(f) => Ok(f.write_at(&data, offset)? as u32),
        Descriptor::Dir(_) => Err(Errno::Badf.into()),
        _ => Err(Errno::Spipe.into()),
    }
}

/// `fd_prestat_get`: describes a preopened directory (`EBADF` for anything else).
pub(crate) fn fd_prestat_get(ctx: &mut WasiCtx, fd: u32) -> WasiResult<Prestat> {
    match &ctx.table.entry(fd)?.desc {
        Descriptor::Dir(d) => match &d.preopen {
            Some(name) => Ok(Prestat { name_len: name.len() as u32 }),
            None => Err(Errno::Badf.into()),
        },
        _ => Err(Errno::Badf.into()),
    }
}

/// `fd_prestat_dir_name`: the guest path of a preopened directory, without a
/// NUL; `ENAMETOOLONG` if the buffer is too small.
pub(crate) fn fd_prestat_dir_name(
    ctx: &mut WasiCtx,
    mem: &mut GuestMemory<'_>,
    fd: u32,
    path: u32,
    path_len: u32,
) -> WasiResult<()> {
    let Descriptor::Dir(d) = &ctx.table.entry(fd)?.desc else {
        return Err(Errno::Badf.into());
    };
    let name = d.preopen.as_deref().ok_or(Errno::Badf)?;
    if name.len() > path_len as usize {
        return Err(Errno::Nametoolong.into());
    }
    mem.slice_mut(path, name.len() as u32)?.copy_from_slice(name.as_bytes());
    Ok(())
}

/// Whether inherited stdin has data (or end of file) to read now.
fn stdin_ready() -> WasiResult<bool> {
    let stdin = rustix::stdio::stdin();
    let mut fds = [rustix::event::PollFd::new(&stdin, rustix::event::PollFlags::IN)];
    let zero = Timespec { tv_sec: 0, tv_nsec: 0 };
    Ok(rustix::event::poll(&mut fds, Some(&zero))? > 0)
}

/// Reads once from a stream into the first non-empty iovec.
fn read_stream(
    mem: &mut GuestMemory<'_>,
    iovs: &[(u32, u32)],
    read: impl FnOnce(&mut [u8]) -> io::Result<usize>,
) -> WasiResult<u32> {
    match iovs.iter().find(|&&(_, len)| len > 0) {
        Some(&(buf, len)) => Ok(read(mem.slice_mut(buf, len)?)? as u32),
        None => Ok(0),
    }
}

/// `fd_read`: reads from the current position (files) or the stream. At end
/// of file it reads 0 bytes.
pub(crate) fn fd_read(
    ctx: &mut WasiCtx,
    mem: &mut GuestMemory<'_>,
    fd: u32,
    iovs: u32,
    iovs_len: u32,
) -> WasiResult<u32> {
    let iovs = mem.iovecs(iovs, iovs_len)?;
    let e = ctx.table.stream_mut(fd, rights::FD_READ)?;
    let nonblock = e.flags & fdflags::NONBLOCK != 0;
    match &mut e.desc {
        Descriptor::File(f) => {
            let mut total = 0u32;
            for &(buf, len) in &iovs {
                let n = f.read(mem.slice_mut(buf, len)?)?;
                total += n as u32;
                if n < len as usize {
                    break;
                }
            }
            Ok(total)
        }
        Descriptor::Input(Input::Pipe(p)) => {
            let mut data = vec![0u8; iovecs_len(&iovs).min(p.remaining())];
            let n = p.read(&mut data)?;
            Ok(mem.scatter(&iovs, &data[..n])? as u32)
        }
        Descriptor::Input(Input::Inherit) => {
            if nonblock && iovecs_len(&iovs) > 0 && !stdin_ready()? {
                return Err(Errno::Again.into());
            }
            read_stream(mem, &iovs, |buf| {
                rustix::io::read(rustix::stdio::stdin(), buf).map_err(Into::into)
            })
        }
        Descriptor::Stream(s) => read_stream(mem, &iovs, |buf| s.read(buf)),
        Descriptor::Listener(l) => {
            read_stream(mem, &iovs, |buf| rustix::io::read(&*l, buf).map_err(Into::into))
        }
        Descriptor::Dir(_) | Descriptor::Output(_) => Err(Errno::Badf.into()),
    }
}

/// `fd_renumber`: moves descriptor `from` to number `to`, closing what `to`
/// was; both must be open (`EBADF`).
pub(crate) fn fd_renumber(ctx: &mut WasiCtx, from: u32, to: u32) -> WasiResult<()> {
    if !ctx.table.contains(from) || !ctx.table.contains(to) {
        return Err(Errno::Badf.into());
    }
    if from != to {
        let entry = ctx.table.remove(from)?;
        ctx.table.insert_at(to, entry);
    }
    Ok(())
}

/// `fd_seek`: moves the file position; a resulting negative offset is
/// `EINVAL`. Seeking by 0 from the current position needs only `FD_TELL`.
pub(crate) fn fd_seek(ctx: &mut WasiCtx, fd: u32, offset: i64, how: u32) -> WasiResult<u64> {
    let right = if offset == 0 && how == whence::CUR { rights::FD_TELL } else { rights::FD_SEEK };
    let pos = match how {
        whence::SET => SeekFrom::Start(u64::try_from(offset).map_err(|_| Errno::Inval)?),
        whence::CUR => SeekFrom::Current(offset),
        whence::END => SeekFrom::End(offset),
        _ => return Err(Errno::Inval.into()),
    };
    let e = ctx.table.stream_mut(fd, right)?;
    match &mut e.desc {
        Descriptor::File(f) => Ok(f.seek(pos)?),
        Descriptor::Dir(_) => Err(Errno::Badf.into()),
        _ => Err(Errno::Spipe.into()),
    }
}

/// `fd_tell`: the file position.
pub(crate) fn fd_tell(ctx: &mut WasiCtx, fd: u32) -> WasiResult<u64> {
    let e = ctx.table.stream_mut(fd, rights::FD_TELL)?;
    match &mut e.desc {
        Descriptor::File(f) => Ok(f.stream_position()?),
        Descriptor::Dir(_) => Err(Errno::Badf.into()),
        _ => Err(Errno::Spipe.into()),
    }
}

/// Writes `data` to a descriptor; returns the bytes written.
pub(crate) fn write_desc(e: &mut Entry, data: &[u8]) -> WasiResult<u32> {
    match &mut e.desc {
        Descriptor::File(f) => Ok(f.write(data)? as u32),
        Descriptor::Output(Output::Pipe(p)) => Ok(p.write(data)? as u32),
        Descriptor::Output(Output::Stdout) => {
            let mut out = io::stdout().lock();
            out.write_all(data)?;
            out.flush()?;
            Ok(data.len() as u32)
        }
        Descriptor::Output(Output::Stderr) => {
            let mut out = io::stderr().lock();
            out.write_all(data)?;
            out.flush()?;
            Ok(data.len() as u32)
        }
        Descriptor::Stream(s) => Ok(s.write(data)? as u32),
        Descriptor::Listener(l) => Ok(rustix::io::write(&*l, data)? as u32),
        Descriptor::Dir(_) | Descriptor::Input(_) => Err(Errno::Badf.into()),
    }
}

/// `fd_write`: writes at the current position (or the end, in append mode)
/// or to the stream. Writing past the end of a file leaves a zero-filled gap.
pub(crate) fn fd_write(
    ctx: &mut WasiCtx,
    mem: &mut GuestMemory<'_>,
    fd: u32,
    iovs: u32,
    iovs_len: u32,
) -> WasiResult<u32> {
    let data = mem.gather(iovs, iovs_len)?;
    let e = ctx.table.stream_mut(fd, rights::FD_WRITE)?;
    write_desc(e, &data)
}

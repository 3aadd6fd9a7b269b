//! Path operations: `path_*` and `fd_readdir`.
//!
//! Every path is a UTF-8 string (`EILSEQ` otherwise) resolved by cap-std
//! relative to a directory descriptor, so it cannot name anything outside that
//! directory: `..` past the root, absolute paths and symlinks that lead out are
//! refused with `EPERM`, symlink loops with `ELOOP`. Both wasmtime
//! implementations resolve paths with the same cap-std calls, so they answer
//! the same.
//!
//! A descriptor that is not a directory is `EBADF` (`path_open` answers
//! `ENOTDIR` for a regular file, as wasmtime's default preview 1
//! implementation, crates/wasi p1, does). As in p1, the descriptor is looked
//! up before the path is read from memory, except by `path_open`.

use std::time::{Duration, SystemTime};

use cap_fs_ext::{
    DirExt, FollowSymlinks, OpenOptionsFollowExt, OpenOptionsMaybeDirExt, OpenOptionsSyncExt,
    SystemTimeSpec,
};
use cap_std::fs::{Dir, MetadataExt, OpenOptions};
use rustix::fs::OFlags;

use super::WasiCtx;
use super::abi::filetype;
use super::abi::{DIRENT_SIZE, Filestat, fdflags, fstflags, lookupflags, oflags, rights};
use super::errno::{Errno, WasiResult};
use super::guest::GuestMemory;
use super::table::{Descriptor, DirDesc};

/// Decodes `lookupflags`: whether to follow a final symlink; `EINVAL` for
/// unknown bits.
fn follow(flags: u32) -> WasiResult<bool> {
    if flags & !lookupflags::SYMLINK_FOLLOW != 0 {
        return Err(Errno::Inval.into());
    }
    Ok(flags & lookupflags::SYMLINK_FOLLOW != 0)
}

/// The WASI filetype of a file type cap-std reports. FIFOs are `unknown`:
/// preview 1 has no code for them.
fn filetype_of(t: cap_std::fs::FileType) -> u8 {
    use cap_std::fs::FileTypeExt;
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

/// Nanoseconds since the epoch from `stat` seconds and nanoseconds (0 for
/// times before the epoch, saturating far after it).
fn timestamp(secs: i64, nsecs: i64) -> u64 {
    u64::try_from(secs)
        .unwrap_or(0)
        .saturating_mul(1_000_000_000)
        .saturating_add(u64::try_from(nsecs).unwrap_or(0))
}

/// The filestat of cap-std metadata.
pub(crate) fn filestat_of_meta(meta: &cap_std::fs::Metadata) -> Filestat {
    Filestat {
        dev: meta.dev(),
        ino: meta.ino(),
        filetype: filetype_of(meta.file_type()),
        nlink: meta.nlink(),
        size: meta.size(),
        atim: timestamp(meta.atime(), meta.atime_nsec()),
        mtim: timestamp(meta.mtime(), meta.mtime_nsec()),
        ctim: timestamp(meta.ctime(), meta.ctime_nsec()),
    }
}

/// `path_create_directory`.
pub(crate) fn path_create_directory(
    ctx: &mut WasiCtx,
    mem: &mut GuestMemory<'_>,
    fd: u32,
    path: u32,
    path_len: u32,
) -> WasiResult<()> {
    let d = ctx.table.dir(fd, rights::PATH_CREATE_DIRECTORY)?;
    let path = mem.str(path, path_len)?;
    Ok(d.dir.create_dir(path)?)
}

/// `path_filestat_get`: following a final symlink only with `SYMLINK_FOLLOW`.
/// Without it, a symlink that points outside the sandbox describes the link
/// itself (its length as the size), which is inside.
pub(crate) fn path_filestat_get(
    ctx: &mut WasiCtx,
    mem: &mut GuestMemory<'_>,
    fd: u32,
    flags: u32,
    path: u32,
    path_len: u32,
) -> WasiResult<Filestat> {
    let follow = follow(flags)?;
    let d = ctx.table.dir(fd, rights::PATH_FILESTAT_GET)?;
    let path = mem.str(path, path_len)?;
    let meta = if follow { d.dir.metadata(path)? } else { d.dir.symlink_metadata(path)? };
    Ok(filestat_of_meta(&meta))
}

/// The access and modification times for cap-std from WASI times and
/// `fstflags` (already validated).
pub(crate) fn time_specs(
    atim: u64,
    mtim: u64,
    fst: u16,
) -> (Option<SystemTimeSpec>, Option<SystemTimeSpec>) {
    (
        time_spec(atim, fst, fstflags::ATIM, fstflags::ATIM_NOW),
        time_spec(mtim, fst, fstflags::MTIM, fstflags::MTIM_NOW),
    )
}

fn time_spec(t: u64, flags: u16, set: u16, now: u16) -> Option<SystemTimeSpec> {
    if flags & set != 0 {
        let time = SystemTime::UNIX_EPOCH + Duration::from_nanos(t);
        Some(SystemTimeSpec::Absolute(cap_std::time::SystemTime::from_std(time)))
    } else if flags & now != 0 {
        Some(SystemTimeSpec::SymbolicNow)
    } else {
        None
    }
}

/// `path_filestat_set_times`.
#[allow(clippy::too_many_arguments)]
pub(crate) fn path_filestat_set_times(
    ctx: &mut WasiCtx,
    mem: &mut GuestMemory<'_>,
    fd: u32,
    flags: u32,
    path: u32,
    path_len: u32,
    atim: u64,
    mtim: u64,
    fst: u32,
) -> WasiResult<()> {
    let follow = follow(flags)?;
    super::fd::timestamps(atim, mtim, fst)?; // validates the flags
    let (atime, mtime) = time_specs(atim, mtim, fst as u16);
    let d = ctx.table.dir(fd, rights::PATH_FILESTAT_SET_TIMES)?;
    let path = mem.str(path, path_len)?;
    if follow {
        d.dir.set_times(path, atime, mtime)?;
    } else {
        d.dir.set_symlink_times(path, atime, mtime)?;
    }
    Ok(())
}

/// `path_link`: a hard link, also between two directories (preopened or
/// not) on one file system. `SYMLINK_FOLLOW` is `EINVAL`, as in both wasmtime
/// implementations: a final symlink is linked itself.
#[allow(clippy::too_many_arguments)]
pub(crate) fn path_link(
    ctx: &mut WasiCtx,
    mem: &mut GuestMemory<'_>,
    old_fd: u32,
    old_flags: u32,
    old_path: u32,
    old_path_len: u32,
    new_fd: u32,
    new_path: u32,
    new_path_len: u32,
) -> WasiResult<()> {
    let follow = follow(old_flags)?;
    let old = ctx.table.dir(old_fd, rights::PATH_LINK_SOURCE)?;
    let new = ctx.table.dir(new_fd, rights::PATH_LINK_TARGET)?;
    let old_path = mem.str(old_path, old_path_len)?;
    let new_path = mem.str(new_path, new_path_len)?;
    if follow {
        return Err(Errno::Inval.into());
    }
    Ok(old.dir.hard_link(old_path, &new.dir, new_path)?)
}

/// `path_open`.
///
/// The directory needs `PATH_OPEN` (and `PATH_CREATE_FILE` with `CREAT`,
/// `PATH_FILESTAT_SET_SIZE` with `TRUNC`, which a directory implies). The
/// guest may write the new descriptor if the requested rights include
/// `FD_WRITE`, and read it if they include `FD_READ` or not `FD_WRITE`, as
/// p1 does; its rights follow from that ([`rights::opened`]), less whatever
/// the guest dropped from the directory's inheriting rights. Requesting a
/// dropped right (and `TRUNC` counts as requesting `FD_WRITE`) is
/// `ENOTCAPABLE`; other requested rights are not checked, as p1 ignores
/// them.
///
/// The host file is also opened for writing with `CREAT` or `TRUNC`, which
/// need it, but unlike p1 that gives the guest no `FD_WRITE`: a file opened
/// for reading has the same rights whether or not this call created it (see
/// the [table](super::table) documentation).
///
/// `APPEND` is set on the host file once it is open, as
/// `fd_fdstat_set_flags` sets it, so that it combines with `TRUNC`
/// (`open(O_TRUNC | O_APPEND)`; the standard library's `OpenOptions` refuses
/// that pair with `EINVAL`). A directory ignores it, as in p1.
///
/// The synchronized-I/O `fdflags` (`DSYNC`, `RSYNC`, `SYNC`) are honoured:
/// the file is opened with `O_DSYNC`/`O_RSYNC`/`O_SYNC`. A deliberate
/// divergence: p1 answers `ENOTSUP`, which is no behaviour at all.
#[allow(clippy::too_many_arguments)]
pub(crate) fn path_open(
    ctx: &mut WasiCtx,
    mem: &mut GuestMemory<'_>,
    fd: u32,
    dirflags: u32,
    path: u32,
    path_len: u32,
    oflags: u32,
    base: u64,
    inheriting: u64,
    fdflags: u32,
) -> WasiResult<u32> {
    let follow = follow(dirflags)?;
    let oflags = u16::try_from(oflags).map_err(|_| Errno::Inval)?;
    let fdflags = u16::try_from(fdflags).map_err(|_| Errno::Inval)?;
    if oflags & !oflags::ALL != 0 || fdflags & !fdflags::ALL != 0 {
        return Err(Errno::Inval.into());
    }
    let path = mem.str(path, path_len)?;
    let dir_entry = ctx.table.entry(fd)?;
    let d = match &dir_entry.desc {
        Descriptor::Dir(d) => d,
        Descriptor::File(_) => return Err(Errno::Notdir.into()),
        _ => return Err(Errno::Badf.into()),
    };
    let mut needed = rights::PATH_OPEN;
    if oflags & oflags::CREAT != 0 {
        needed |= rights::PATH_CREATE_FILE;
    }
    if oflags & oflags::TRUNC != 0 {
        needed |= rights::PATH_FILESTAT_SET_SIZE;
    }
    dir_entry.require(needed)?;
    // Truncating writes the file, so it asks for `FD_WRITE` too.
    let truncate = if oflags & oflags::TRUNC != 0 { rights::FD_WRITE } else { 0 };
    if (base | inheriting | truncate) & dir_entry.revoked_inheriting != 0 {
        return Err(Errno::Notcapable.into());
    }
    if oflags & oflags::DIRECTORY != 0
        && oflags & (oflags::CREAT | oflags::EXCL | oflags::TRUNC) != 0
    {
        return Err(Errno::Inval.into());
    }

    let write = base & rights::FD_WRITE != 0;
    let read = base & rights::FD_READ != 0 || !write;
    let mut opts = OpenOptions::new();
    opts.maybe_dir(true);
    opts.follow(if follow { FollowSymlinks::Yes } else { FollowSymlinks::No });
    if oflags & oflags::CREAT != 0 {
        if oflags & oflags::EXCL != 0 {
            opts.create_new(true);
        } else {
            opts.create(true);
        }
    }
    if oflags & oflags::TRUNC != 0 {
        opts.truncate(true);
    }
    opts.read(read).write(write || oflags & (oflags::CREAT | oflags::TRUNC) != 0);
    opts.dsync(fdflags & fdflags::DSYNC != 0)
        .rsync(fdflags & fdflags::RSYNC != 0)
        .sync(fdflags & fdflags::SYNC != 0)
        .nonblock(fdflags & fdflags::NONBLOCK != 0);

    let file = d.dir.open_with(path, &opts)?.into_std();
    let is_dir = file.metadata()?.is_dir();
    let mut flags = fdflags;
    let desc = if is_dir {
        flags &= !fdflags::APPEND;
        Descriptor::Dir(DirDesc { dir: Dir::from_std_file(file), preopen: None })
    } else if oflags & oflags::DIRECTORY != 0 {
        return Err(Errno::Notdir.into());
    } else {
        if fdflags & fdflags::APPEND != 0 {
            super::fd::set_os_flags(&file, OFlags::APPEND, OFlags::empty())?;
        }
        Descriptor::File(file)
    };
    let opened = rights::opened(is_dir, read, write);
    let mut entry = dir_entry.child(desc, opened, rights::opened_inheriting(is_dir, opened));
    entry.flags = flags;
    ctx.table.push(entry)
}

/// `path_readlink`: the contents of a symlink, truncated to the buffer like
/// `readlink(2)`. An absolute target is `EPERM` (cap-std's `read_link`, as
/// both wasmtime implementations use): it names a host path, which the guest
/// must not learn. A target that is not UTF-8 is `EILSEQ`, as p1.
#[allow(clippy::too_many_arguments)]
pub(crate) fn path_readlink(
    ctx: &mut WasiCtx,
    mem: &mut GuestMemory<'_>,
    fd: u32,
    path: u32,
    path_len: u32,
    buf: u32,
    buf_len: u32,
) -> WasiResult<u32> {
    let d = ctx.table.dir(fd, rights::PATH_READLINK)?;
    let path = mem.str(path, path_len)?;
    let target = d.dir.read_link(path)?;
    let target = target.to_str().ok_or(Errno::Ilseq)?;
    let bytes = target.as_bytes();
    let n = bytes.len().min(buf_len as usize);
    mem.slice_mut(buf, n as u32)?.copy_from_slice(&bytes[..n]);
    Ok(n as u32)
}

/// `path_remove_directory`: removes an empty directory.
pub(crate) fn path_remove_directory(
    ctx: &mut WasiCtx,
    mem: &mut GuestMemory<'_>,
    fd: u32,
    path: u32,
    path_len: u32,
) -> WasiResult<()> {
    let d = ctx.table.dir(fd, rights::PATH_REMOVE_DIRECTORY)?;
    let path = mem.str(path, path_len)?;
    Ok(d.dir.remove_dir(path)?)
}

/// `path_rename`, also between two directories (preopened or not) on one
/// file system.
#[allow(clippy::too_many_arguments)]
pub(crate) fn path_rename(
    ctx: &mut WasiCtx,
    mem: &mut GuestMemory<'_>,
    fd: u32,
    old_path: u32,
    old_path_len: u32,
    new_fd: u32,
    new_path: u32,
    new_path_len: u32,
) -> WasiResult<()> {
    let old = ctx.table.dir(fd, rights::PATH_RENAME_SOURCE)?;
    let new = ctx.table.dir(new_fd, rights::PATH_RENAME_TARGET)?;
    let old_path = mem.str(old_path, old_path_len)?;
    let new_path = mem.str(new_path, new_path_len)?;
    Ok(old.dir.rename(old_path, &new.dir, new_path)?)
}

/// `path_symlink`: creates `new_path` pointing to `old_path`. An absolute
/// target is refused (`EPERM`, cap-std's `symlink`, as both wasmtime
/// implementations use): it could never resolve inside the sandbox. A
/// relative target is stored as given, even one that leads out (into another
/// preopen, say); following it is refused like any other escape.
pub(crate) fn path_symlink(
    ctx: &mut WasiCtx,
    mem: &mut GuestMemory<'_>,
    old_path: u32,
    old_path_len: u32,
    fd: u32,
    new_path: u32,
    new_path_len: u32,
) -> WasiResult<()> {
    let d = ctx.table.dir(fd, rights::PATH_SYMLINK)?;
    let old_path = mem.str(old_path, old_path_len)?;
    let new_path = mem.str(new_path, new_path_len)?;
    Ok(d.dir.symlink(old_path, new_path)?)
}

/// `path_unlink_file`: removes a file or symlink (`EISDIR` for directories).
pub(crate) fn path_unlink_file(
    ctx: &mut WasiCtx,
    mem: &mut GuestMemory<'_>,
    fd: u32,
    path: u32,
    path_len: u32,
) -> WasiResult<()> {
    let d = ctx.table.dir(fd, rights::PATH_UNLINK_FILE)?;
    let path = mem.str(path, path_len)?;
    Ok(d.dir.remove_file_or_symlink(path)?)
}

/// `fd_readdir`: directory entries from `cookie` on, as `dirent` headers each
/// followed by the name, until `buf_len` bytes are filled. The last entry may
/// be cut short; a result equal to `buf_len` tells the guest to call again
/// (with the cookie of the last whole entry) or with a larger buffer.
///
/// `.` and `..` come first, as in both wasmtime implementations. The other
/// entries are sorted by name (a deliberate divergence: wasmtime lists them
/// in the host's order) so that cookies (an entry's position plus one) are
/// stable between calls and runs are deterministic. `..` reports the
/// directory's own inode, as p1 does, since its parent may be outside the
/// sandbox. `EBADF` for a descriptor that is not a directory, as p1.
pub(crate) fn fd_readdir(
    ctx: &mut WasiCtx,
    mem: &mut GuestMemory<'_>,
    fd: u32,
    buf: u32,
    buf_len: u32,
    cookie: u64,
) -> WasiResult<u32> {
    let d = ctx.table.dir(fd, rights::FD_READDIR)?;
    let dir_ino = d.dir.dir_metadata()?.ino();
    let mut entries: Vec<(Vec<u8>, u64, u8)> = Vec::new();
    for entry in d.dir.entries()? {
        let entry = entry?;
        let name = entry.file_name().into_encoded_bytes();
        let ino = entry.metadata()?.ino();
        let ty = filetype_of(entry.file_type()?);
        entries.push((name, ino, ty));
    }
    entries.sort();
    let dot = |name: &[u8]| (name.to_vec(), dir_ino, filetype::DIRECTORY);
    let all = [dot(b"."), dot(b"..")].into_iter().chain(entries);

    let out = mem.slice_mut(buf, buf_len)?;
    let mut used = 0usize;
    for (i, (name, ino, ty)) in all.enumerate().skip(usize::try_from(cookie).unwrap_or(usize::MAX))
    {
        let mut dirent = [0u8; DIRENT_SIZE];
        dirent[0..8].copy_from_slice(&(i as u64 + 1).to_le_bytes());
        dirent[8..16].copy_from_slice(&ino.to_le_bytes());
        dirent[16..20].copy_from_slice(&(name.len() as u32).to_le_bytes());
        dirent[20] = ty;
        for part in [&dirent[..], &name[..]] {
            let n = part.len().min(out.len() - used);
            out[used..used + n].copy_from_slice(&part[..n]);
            used += n;
        }
        if used == out.len() {
            break;
        }
    }
    Ok(used as u32)
}

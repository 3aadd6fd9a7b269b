//! Path operations: `path_*` and `fd_readdir`.
//!
//! Every path is a UTF-8 string (`EILSEQ` otherwise) resolved by cap-std
//! relative to a directory descriptor, so it cannot name anything outside that
//! directory: `..` past the root, absolute paths and symlinks that lead out are
//! refused with `EPERM` (as in wasmtime), symlink loops with `ELOOP`.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use cap_fs_ext::{
    DirExt, FollowSymlinks, OpenOptionsFollowExt, OpenOptionsMaybeDirExt, OpenOptionsSyncExt,
    SystemTimeSpec,
};
use cap_std::fs::{Dir, MetadataExt, OpenOptions};

use super::WasiCtx;
use super::abi::filetype;
use super::abi::{DIRENT_SIZE, Filestat, fdflags, fstflags, lookupflags, oflags, rights};
use super::errno::{Errno, WasiResult};
use super::fd::timestamp;
use super::guest::GuestMemory;
use super::table::{Descriptor, DirDesc, Entry};

fn follow(flags: u32) -> WasiResult<bool> {
    if flags & !lookupflags::SYMLINK_FOLLOW != 0 {
        return Err(Errno::Inval.into());
    }
    Ok(flags & lookupflags::SYMLINK_FOLLOW != 0)
}

/// The WASI filetype of a file type cap-std reports.
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

fn filestat_of_meta(meta: &cap_std::fs::Metadata) -> Filestat {
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
    let path = mem.str(path, path_len)?;
    let d = ctx.table.dir(fd, rights::PATH_CREATE_DIRECTORY)?;
    Ok(d.dir.create_dir(path)?)
}

/// `path_filestat_get`: following a final symlink only with `SYMLINK_FOLLOW`.
pub(crate) fn path_filestat_get(
    ctx: &mut WasiCtx,
    mem: &mut GuestMemory<'_>,
    fd: u32,
    flags: u32,
    path: u32,
    path_len: u32,
) -> WasiResult<Filestat> {
    let follow = follow(flags)?;
    let path = mem.str(path, path_len)?;
    let d = ctx.table.dir(fd, rights::PATH_FILESTAT_GET)?;
    let meta = if follow { d.dir.metadata(path)? } else { d.dir.symlink_metadata(path)? };
    Ok(filestat_of_meta(&meta))
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
    super::fd::timestamps(atim, mtim, fst)?; // validates the flags
    let fst = fst as u16;
    let follow = follow(flags)?;
    let path = mem.str(path, path_len)?;
    let d = ctx.table.dir(fd, rights::PATH_FILESTAT_SET_TIMES)?;
    let atime = time_spec(atim, fst, fstflags::ATIM, fstflags::ATIM_NOW);
    let mtime = time_spec(mtim, fst, fstflags::MTIM, fstflags::MTIM_NOW);
    if follow {
        d.dir.set_times(path, atime, mtime)?;
    } else {
        d.dir.set_symlink_times(path, atime, mtime)?;
    }
    Ok(())
}

/// Resolves the symlinks at the end of `path` within `dir` (each step
/// through cap-std, so the result is still beneath `dir`).
fn resolve_final_symlinks(dir: &Dir, path: &str) -> WasiResult<PathBuf> {
    let mut path = PathBuf::from(path);
    for _ in 0..40 {
        match dir.symlink_metadata(&path) {
            Ok(meta) if meta.file_type().is_symlink() => {
                let target = dir.read_link(&path)?;
                path = path.parent().unwrap_or(Path::new("")).join(target);
            }
            _ => return Ok(path),
        }
    }
    Err(Errno::Loop.into())
}

/// `path_link`: a hard link. With `SYMLINK_FOLLOW` the link is made to what
/// a final symlink of the old path points to (resolved inside the sandbox).
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
    let old_path = mem.str(old_path, old_path_len)?;
    let new_path = mem.str(new_path, new_path_len)?;
    let old = ctx.table.dir(old_fd, rights::PATH_LINK_SOURCE)?;
    let new = ctx.table.dir(new_fd, rights::PATH_LINK_TARGET)?;
    let src =
        if follow { resolve_final_symlinks(&old.dir, old_path)? } else { PathBuf::from(old_path) };
    Ok(old.dir.hard_link(src, &new.dir, new_path)?)
}

/// `path_open`.
///
/// The dirfd needs `PATH_OPEN` (and `PATH_CREATE_FILE` with `CREAT`,
/// `PATH_FILESTAT_SET_SIZE` with `TRUNC`); the requested rights must be among
/// its inheriting rights (`ENOTCAPABLE`). The new descriptor gets the
/// requested rights that apply to what was opened (a file or a directory), as
/// the specification allows. The host file is opened for writing if the
/// rights include writing, else for reading, as wasmtime does.
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
    if oflags & oflags::DIRECTORY != 0
        && oflags & (oflags::CREAT | oflags::EXCL | oflags::TRUNC) != 0
    {
        return Err(Errno::Inval.into());
    }
    let path = mem.str(path, path_len)?;
    let mut needed = rights::PATH_OPEN;
    if oflags & oflags::CREAT != 0 {
        needed |= rights::PATH_CREATE_FILE;
    }
    if oflags & oflags::TRUNC != 0 {
        needed |= rights::PATH_FILESTAT_SET_SIZE;
    }
    let dir_entry = ctx.table.entry(fd)?;
    let d = ctx.table.dir(fd, needed)?;
    if (base | inheriting) & !dir_entry.rights_inheriting != 0 {
        return Err(Errno::Notcapable.into());
    }

    let read = base & (rights::FD_READ | rights::FD_READDIR) != 0;
    // A directory is never opened for writing; its write rights only pass on.
    let write = oflags & oflags::DIRECTORY == 0
        && base & (rights::FD_WRITE | rights::FD_ALLOCATE | rights::FD_FILESTAT_SET_SIZE) != 0;
    let mut opts = OpenOptions::new();
    opts.maybe_dir(true);
    opts.follow(if follow { FollowSymlinks::Yes } else { FollowSymlinks::No });
    if oflags & oflags::CREAT != 0 {
        if oflags & oflags::EXCL != 0 {
            opts.create_new(true);
        } else {
            opts.create(true);
        }
        opts.write(true);
    }
    if oflags & oflags::TRUNC != 0 {
        opts.truncate(true).write(true);
    }
    if write {
        opts.write(true);
    }
    if read || !write {
        opts.read(true);
    }
    if fdflags & fdflags::APPEND != 0 {
        opts.append(true);
    }
    opts.dsync(fdflags & fdflags::DSYNC != 0)
        .rsync(fdflags & fdflags::RSYNC != 0)
        .sync(fdflags & fdflags::SYNC != 0)
        .nonblock(fdflags & fdflags::NONBLOCK != 0);

    let file = d.dir.open_with(path, &opts)?.into_std();
    let is_dir = file.metadata()?.is_dir();
    let mut entry = if is_dir {
        let dir = Dir::from_std_file(file);
        let desc = Descriptor::Dir(DirDesc { dir, preopen: None });
        Entry::new(desc, base & rights::DIRECTORY, inheriting & rights::DIRECTORY_INHERITING)
    } else if oflags & oflags::DIRECTORY != 0 {
        return Err(Errno::Notdir.into());
    } else {
        Entry::new(
            Descriptor::File(file),
            base & rights::REGULAR_FILE,
            inheriting & rights::DIRECTORY_INHERITING,
        )
    };
    entry.flags = fdflags;
    ctx.table.push(entry)
}

/// `path_readlink`: the contents of a symlink, truncated to the buffer like
/// `readlink(2)`.
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
    let path = mem.str(path, path_len)?;
    let d = ctx.table.dir(fd, rights::PATH_READLINK)?;
    let target = d.dir.read_link_contents(path)?;
    let bytes = target.as_os_str().as_encoded_bytes();
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
    let path = mem.str(path, path_len)?;
    let d = ctx.table.dir(fd, rights::PATH_REMOVE_DIRECTORY)?;
    Ok(d.dir.remove_dir(path)?)
}

/// `path_rename`.
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
    let old_path = mem.str(old_path, old_path_len)?;
    let new_path = mem.str(new_path, new_path_len)?;
    let old = ctx.table.dir(fd, rights::PATH_RENAME_SOURCE)?;
    let new = ctx.table.dir(new_fd, rights::PATH_RENAME_TARGET)?;
    Ok(old.dir.rename(old_path, &new.dir, new_path)?)
}

/// `path_symlink`: creates `new_path` pointing to `old_path`. An absolute
/// target is refused (`EPERM`), as in wasmtime: it could never resolve inside
/// the sandbox.
pub(crate) fn path_symlink(
    ctx: &mut WasiCtx,
    mem: &mut GuestMemory<'_>,
    old_path: u32,
    old_path_len: u32,
    fd: u32,
    new_path: u32,
    new_path_len: u32,
) -> WasiResult<()> {
    let old_path = mem.str(old_path, old_path_len)?;
    let new_path = mem.str(new_path, new_path_len)?;
    let d = ctx.table.dir(fd, rights::PATH_SYMLINK)?;
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
    let path = mem.str(path, path_len)?;
    let d = ctx.table.dir(fd, rights::PATH_UNLINK_FILE)?;
    Ok(d.dir.remove_file_or_symlink(path)?)
}

/// `fd_readdir`: directory entries from `cookie` on, as `dirent` headers each
/// followed by the name, until `buf_len` bytes are filled. The last entry may
/// be cut short; a result equal to `buf_len` tells the guest to call again
/// (with the cookie of the last whole entry) or with a larger buffer.
///
/// `.` and `..` come first, as in wasmtime; the other entries are sorted by
/// name so that cookies (an entry's position plus one) are stable between
/// calls and runs are deterministic. `..` reports the directory's own inode,
/// as wasmtime does, since its parent may be outside the sandbox.
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

//! Arguments and environment: `args_get`, `args_sizes_get`, `environ_get`,
//! `environ_sizes_get`.
//!
//! Both are lists of byte strings held by the context; the guest first asks
//! for the count and total size, then passes a pointer array and a buffer that
//! receive the NUL-terminated strings.

use super::WasiCtx;
use super::errno::WasiResult;
use super::guest::GuestMemory;

/// Writes `list` as pointers at `ptrs` into NUL-terminated strings at `buf`.
fn write_list(mem: &mut GuestMemory<'_>, list: &[Vec<u8>], ptrs: u32, buf: u32) -> WasiResult<()> {
    let mut ptr = ptrs;
    let mut at = buf;
    for item in list {
        let len = u32::try_from(item.len() + 1).map_err(|_| super::Errno::Overflow)?;
        let dst = mem.slice_mut(at, len)?;
        dst[..item.len()].copy_from_slice(item);
        dst[item.len()] = 0;
        mem.write_u32(ptr, at)?;
        ptr = ptr.checked_add(4).ok_or_else(super::errno::WasiError::bad_pointer)?;
        at += len;
    }
    Ok(())
}

/// The count and total size (with NULs) of a list.
fn sizes(list: &[Vec<u8>]) -> (u32, u32) {
    let size: usize = list.iter().map(|a| a.len() + 1).sum();
    (list.len() as u32, size as u32)
}

/// `args_get`.
pub(crate) fn args_get(
    ctx: &mut WasiCtx,
    mem: &mut GuestMemory<'_>,
    argv: u32,
    argv_buf: u32,
) -> WasiResult<()> {
    write_list(mem, &ctx.args, argv, argv_buf)
}

/// `args_sizes_get`: the number of arguments and their total size.
pub(crate) fn args_sizes_get(ctx: &mut WasiCtx) -> WasiResult<(u32, u32)> {
    Ok(sizes(&ctx.args))
}

/// `environ_get`.
pub(crate) fn environ_get(
    ctx: &mut WasiCtx,
    mem: &mut GuestMemory<'_>,
    environ: u32,
    environ_buf: u32,
) -> WasiResult<()> {
    write_list(mem, &ctx.env, environ, environ_buf)
}

/// `environ_sizes_get`: the number of variables and their total size.
pub(crate) fn environ_sizes_get(ctx: &mut WasiCtx) -> WasiResult<(u32, u32)> {
    Ok(sizes(&ctx.env))
}

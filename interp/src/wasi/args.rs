//! Arguments and environment: `args_get`, `args_sizes_get`, `environ_get`,
//! `environ_sizes_get`.
//!
//! Both are lists of byte strings held by the context; the guest first asks
//! for the count and total size, then passes a pointer array and a buffer that
//! receive the NUL-terminated strings.

use super::WasiCtx;
use super::errno::{Errno, WasiError, WasiResult};
use super::guest::GuestMemory;

/// Writes `list` as pointers at `ptrs` into NUL-terminated strings at `buf`.
///
/// The next string's address is kept as a `u64`, so a string that ends
/// exactly at the 4 GiB end of memory is fine; a string or pointer that does
/// not fit traps like every out-of-bounds guest pointer.
fn write_list(mem: &mut GuestMemory<'_>, list: &[Vec<u8>], ptrs: u32, buf: u32) -> WasiResult<()> {
    let mut ptr = u64::from(ptrs);
    let mut at = u64::from(buf);
    for item in list {
        let len = u32::try_from(item.len() + 1).map_err(|_| WasiError::bad_pointer())?;
        let start = u32::try_from(at).map_err(|_| WasiError::bad_pointer())?;
        let dst = mem.slice_mut(start, len)?;
        dst[..item.len()].copy_from_slice(item);
        dst[item.len()] = 0;
        mem.write_u32(u32::try_from(ptr).map_err(|_| WasiError::bad_pointer())?, start)?;
        ptr += 4;
        at += u64::from(len);
    }
    Ok(())
}

/// The count and total size (with NULs) of a list; `EOVERFLOW` if either
/// does not fit in 32 bits, as wasmtime's default preview 1 implementation
/// (crates/wasi p1) answers.
fn sizes(list: &[Vec<u8>]) -> WasiResult<(u32, u32)> {
    let size: usize = list.iter().map(|a| a.len() + 1).sum();
    let overflow = |_| Errno::Overflow;
    Ok((u32::try_from(list.len()).map_err(overflow)?, u32::try_from(size).map_err(overflow)?))
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
    sizes(&ctx.args)
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
    sizes(&ctx.env)
}

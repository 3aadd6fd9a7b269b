//! The executor's instructions for any memory (the `*Mem` family of
//! [`crate::ir::Instr`]): memories other than memory 0, memories with 64-bit
//! addresses, and `memory.size`/`memory.grow` in pages other than 64 KiB. The
//! hot memory-0 instructions use the loop's cache of memory 0 instead (see
//! `run.rs`) and never come here.
//!
//! Everything here is safe code: each operation looks its memory up in the
//! store and checks its whole range in 64-bit arithmetic that cannot wrap (an
//! address plus an offset plus a width past `u64::MAX` is out of bounds, as
//! is anything past the memory's end) before it reads or writes a byte.
//! Addresses, sizes and lengths arrive widened to `u64` (zero-extended for a
//! 32-bit memory).

use std::ops::Range;

use crate::ir::Mem;
use crate::runtime::StoreInner;
use crate::trap::TrapCode;

/// The store index of memory `mem` of `instance`.
fn store_index(store: &StoreInner, instance: u32, mem: Mem) -> usize {
    store.instances[instance as usize].memories[usize::from(mem.index)] as usize
}

/// `start..start+len` if it lies within `size` bytes, else a memory trap.
fn range(start: u64, len: u64, size: usize) -> Result<Range<usize>, TrapCode> {
    match start.checked_add(len) {
        // Both ends are at most `size`, a `usize`.
        Some(end) if end <= size as u64 => Ok(start as usize..end as usize),
        _ => Err(TrapCode::MemoryOutOfBounds),
    }
}

/// The bytes of an `N`-byte access at `addr + offset`.
fn access(addr: u64, offset: u64, n: usize, size: usize) -> Result<Range<usize>, TrapCode> {
    let start = addr.checked_add(offset).ok_or(TrapCode::MemoryOutOfBounds)?;
    range(start, n as u64, size)
}

/// Loads `N` bytes from `addr + offset` in memory `mem`.
pub(super) fn load<const N: usize>(
    store: &StoreInner,
    instance: u32,
    mem: Mem,
    addr: u64,
    offset: u64,
) -> Result<[u8; N], TrapCode> {
    let data = &store.memories[store_index(store, instance, mem)].data;
    let range = access(addr, offset, N, data.len())?;
    let mut bytes = [0; N];
    bytes.copy_from_slice(&data[range]);
    Ok(bytes)
}

/// Stores `bytes` at `addr + offset` in memory `mem`.
pub(super) fn store<const N: usize>(
    store: &mut StoreInner,
    instance: u32,
    mem: Mem,
    addr: u64,
    offset: u64,
    bytes: [u8; N],
) -> Result<(), TrapCode> {
    let index = store_index(store, instance, mem);
    let data = &mut store.memories[index].data;
    let range = access(addr, offset, N, data.len())?;
    data[range].copy_from_slice(&bytes);
    Ok(())
}

/// `memory.size`: the size in the memory's pages.
pub(super) fn size(store: &StoreInner, instance: u32, mem: Mem) -> u64 {
    store.memories[store_index(store, instance, mem)].pages()
}

/// `memory.grow`: the old size in the memory's pages, or -1 (as an `i32` or
/// an `i64`, by the memory's address width) on failure.
pub(super) fn grow(store: &mut StoreInner, instance: u32, mem: Mem, delta: u64) -> u64 {
    let index = store_index(store, instance, mem);
    match store.memories[index].grow(delta) {
        Some(old) => old,
        None if mem.addr64 => u64::MAX,
        None => u64::from(u32::MAX),
    }
}

/// `memory.fill`: sets `len` bytes from `dst` to `value`.
pub(super) fn fill(
    store: &mut StoreInner,
    instance: u32,
    mem: Mem,
    dst: u64,
    value: u8,
    len: u64,
) -> Result<(), TrapCode> {
    let index = store_index(store, instance, mem);
    let data = &mut store.memories[index].data;
    let range = range(dst, len, data.len())?;
    data[range].fill(value);
    Ok(())
}

/// `memory.copy`: copies `len` bytes from `src` in `src_mem` to `dst` in
/// `dst_mem`, which may be the same memory (the ranges may then overlap).
pub(super) fn copy(
    store: &mut StoreInner,
    instance: u32,
    (dst_mem, dst): (Mem, u64),
    (src_mem, src): (Mem, u64),
    len: u64,
) -> Result<(), TrapCode> {
    let (d, s) = (store_index(store, instance, dst_mem), store_index(store, instance, src_mem));
    if d == s {
        let data = &mut store.memories[d].data;
        let src = range(src, len, data.len())?;
        let dst = range(dst, len, data.len())?;
        data.copy_within(src, dst.start);
        return Ok(());
    }
    let [to, from] =
        store.memories.get_disjoint_mut([d, s]).expect("distinct in-range memory indices");
    let src = range(src, len, from.data.len())?;
    let dst = range(dst, len, to.data.len())?;
    to.data[dst].copy_from_slice(&from.data[src]);
    Ok(())
}

/// `memory.init`: copies `len` bytes from `src` in data segment `segment` to
/// `dst` in memory `mem`.
pub(super) fn init(
    store: &mut StoreInner,
    instance: u32,
    (mem, dst): (Mem, u64),
    (segment, src): (u32, u64),
    len: u64,
) -> Result<(), TrapCode> {
    let index = store_index(store, instance, mem);
    let StoreInner { instances, memories, .. } = store;
    let bytes = &instances[instance as usize].data[segment as usize];
    let data = &mut memories[index].data;
    let src = range(src, len, bytes.len())?;
    let dst = range(dst, len, data.len())?;
    data[dst].copy_from_slice(&bytes[src]);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::{access, range};
    use crate::trap::TrapCode::MemoryOutOfBounds;

    #[test]
    fn ranges_never_wrap() {
        assert_eq!(range(0, 4, 4), Ok(0..4));
        assert_eq!(range(4, 0, 4), Ok(4..4));
        assert_eq!(range(4, 1, 4), Err(MemoryOutOfBounds));
        assert_eq!(range(u64::MAX, 2, 4), Err(MemoryOutOfBounds));
        // An address and an offset that wrap to 0 in 64 bits are out of bounds.
        assert_eq!(access(u64::MAX, 1, 1, 16), Err(MemoryOutOfBounds));
        assert_eq!(access(1 << 63, 1 << 63, 8, 16), Err(MemoryOutOfBounds));
        assert_eq!(access(u64::MAX - 7, 0, 8, usize::MAX), Err(MemoryOutOfBounds));
        assert_eq!(access(8, 4, 4, 16), Ok(12..16));
        assert_eq!(access(8, 5, 4, 16), Err(MemoryOutOfBounds));
    }
}

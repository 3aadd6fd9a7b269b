//! The executor's instructions for any memory (the `*Mem` family of
//! [`crate::ir::Instr`]): memories other than memory 0, memories with 64-bit
//! addresses, and `memory.size`/`memory.grow` in pages other than 64 KiB;
//! also the vector loads and stores of such memories (through
//! [`VectorMemory`]). The hot memory-0 instructions use the loop's cache of memory 0 instead (see
//! `run.rs`) and never come here.
//!
//! Everything here is safe code: each operation looks its memory up in the
//! store and checks its whole range in 64-bit arithmetic that cannot wrap (an
//! address plus an offset plus a width past `u64::MAX` is out of bounds, as
//! is anything past the memory's end) before it reads or writes a byte.
//! Addresses, sizes and lengths arrive widened to `u64` (zero-extended for a
//! 32-bit memory).

use std::ops::Range;

use super::run::Frame;
use super::simd_run::{self, VectorMemory};
use crate::ir::{Instr, Mem, Slot};
use crate::runtime::StoreInner;
use crate::trap::TrapCode;

/// What the interpreter loop does after a `*Mem` instruction.
pub(super) enum After {
    /// Steps over this many data words after the instruction.
    Skip(usize),
    /// Restarts with its cache reloaded: a memory grew.
    Reload,
}

/// Executes the `*Mem` instruction at `ip` in frame `fr`. Out of line, so
/// that the interpreter loop keeps its hot instructions' code as it was.
#[inline(never)]
pub(super) fn execute(
    store: &mut StoreInner,
    instance: u32,
    fr: Frame,
    ip: *const Instr,
) -> Result<After, TrapCode> {
    // SAFETY: `ip` points into the running function's code (see `run.rs`).
    let instr = unsafe { *ip };
    let at = |addr: Slot, mem: Mem| (fr.addr(addr, mem.addr64), offset64(ip));
    let s = store;
    use Instr::*;
    match instr {
        Load8SMem { dst, addr, mem } => {
            let [b] = read(s, instance, mem, at(addr, mem))?;
            fr.set(dst, b as i8 as u64);
            Ok(After::Skip(1))
        }
        Load8UMem { dst, addr, mem } => {
            let [b] = read(s, instance, mem, at(addr, mem))?;
            fr.set(dst, u64::from(b));
            Ok(After::Skip(1))
        }
        Load16SMem { dst, addr, mem } => {
            fr.set(dst, i16::from_le_bytes(read(s, instance, mem, at(addr, mem))?) as u64);
            Ok(After::Skip(1))
        }
        Load16UMem { dst, addr, mem } => {
            fr.set(dst, u64::from(u16::from_le_bytes(read(s, instance, mem, at(addr, mem))?)));
            Ok(After::Skip(1))
        }
        Load32SMem { dst, addr, mem } => {
            fr.set(dst, i32::from_le_bytes(read(s, instance, mem, at(addr, mem))?) as u64);
            Ok(After::Skip(1))
        }
        Load32Mem { dst, addr, mem } => {
            fr.set(dst, u64::from(u32::from_le_bytes(read(s, instance, mem, at(addr, mem))?)));
            Ok(After::Skip(1))
        }
        Load64Mem { dst, addr, mem } => {
            fr.set(dst, u64::from_le_bytes(read(s, instance, mem, at(addr, mem))?));
            Ok(After::Skip(1))
        }
        Store8Mem { addr, value, mem } => {
            write(s, instance, mem, at(addr, mem), [fr.get(value) as u8])?;
            Ok(After::Skip(1))
        }
        Store16Mem { addr, value, mem } => {
            write(s, instance, mem, at(addr, mem), (fr.get(value) as u16).to_le_bytes())?;
            Ok(After::Skip(1))
        }
        Store32Mem { addr, value, mem } => {
            write(s, instance, mem, at(addr, mem), fr.u32(value).to_le_bytes())?;
            Ok(After::Skip(1))
        }
        Store64Mem { addr, value, mem } => {
            write(s, instance, mem, at(addr, mem), fr.get(value).to_le_bytes())?;
            Ok(After::Skip(1))
        }
        MemorySizeMem { dst, mem } => {
            fr.set(dst, size(s, instance, mem));
            Ok(After::Skip(0))
        }
        MemoryGrowMem { dst, delta, mem } => {
            fr.set(dst, grow(s, instance, mem, fr.addr(delta, mem.addr64)));
            Ok(After::Reload)
        }
        MemoryFillMem { dst, value, len, mem } => {
            let (d, n) = (fr.addr(dst, mem.addr64), fr.addr(len, mem.addr64));
            fill(s, instance, mem, d, fr.get(value) as u8, n)?;
            Ok(After::Skip(0))
        }
        MemoryCopyMem { dst, src, len, dst_mem, src_mem } => {
            let d = (dst_mem, fr.addr(dst, dst_mem.addr64));
            let from = (src_mem, fr.addr(src, src_mem.addr64));
            copy(s, instance, d, from, fr.addr(len, dst_mem.addr64 && src_mem.addr64))?;
            Ok(After::Skip(0))
        }
        MemoryInitMem { dst, src, len, mem } => {
            let (segment, _) = data_word(ip);
            let d = (mem, fr.addr(dst, mem.addr64));
            init(s, instance, d, (segment, u64::from(fr.u32(src))), u64::from(fr.u32(len)))?;
            Ok(After::Skip(1))
        }
        V128LoadMem { op, dst, addr, mem } => {
            simd_run::exec_load(fr, AnyMemory::new(s, instance, mem, at(addr, mem)), op, dst)?;
            Ok(After::Skip(1))
        }
        V128StoreMem { addr, value, mem } => {
            simd_run::exec_store(fr, AnyMemory::new(s, instance, mem, at(addr, mem)), value)?;
            Ok(After::Skip(1))
        }
        V128LoadLaneMem { op, lane, dst, addr, src, mem } => {
            let m = AnyMemory::new(s, instance, mem, at(addr, mem));
            simd_run::exec_load_lane(fr, m, (op, lane), [dst, src])?;
            Ok(After::Skip(1))
        }
        V128StoreLaneMem { op, lane, addr, value, mem } => {
            let m = AnyMemory::new(s, instance, mem, at(addr, mem));
            simd_run::exec_store_lane(fr, m, (op, lane), value)?;
            Ok(After::Skip(1))
        }
        // The loop sends only the instructions above here.
        other => unreachable!("{other:?} is not an instruction of the *Mem family"),
    }
}

impl Frame {
    /// An address, size or length of a memory with 64-bit (`wide`) or 32-bit
    /// addresses, widened to 64 bits.
    fn addr(self, s: Slot, wide: bool) -> u64 {
        if wide { self.get(s) } else { u64::from(self.u32(s)) }
    }
}

/// The data word after the instruction at `ip`.
fn data_word(ip: *const Instr) -> (u32, u32) {
    // SAFETY: an instruction whose flow is `NextAfterData` is followed by its
    // data word (translation; checked by the IR verifier), so `ip + 1` is in
    // the running function's code.
    match unsafe { *ip.add(1) } {
        Instr::Data { a, b } => (a, b),
        _ => unreachable!("a data word follows the instruction"),
    }
}

/// The 64-bit offset in the data word after the load or store at `ip`.
fn offset64(ip: *const Instr) -> u64 {
    let (lo, hi) = data_word(ip);
    u64::from(lo) | (u64::from(hi) << 32)
}

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

/// Reads `N` bytes at `addr + offset` in memory `mem`.
fn read<const N: usize>(
    store: &StoreInner,
    instance: u32,
    mem: Mem,
    (addr, offset): (u64, u64),
) -> Result<[u8; N], TrapCode> {
    let data = &store.memories[store_index(store, instance, mem)].data;
    let range = access(addr, offset, N, data.len())?;
    let mut bytes = [0; N];
    bytes.copy_from_slice(&data[range]);
    Ok(bytes)
}

/// Writes `bytes` at `addr + offset` in memory `mem`.
fn write<const N: usize>(
    store: &mut StoreInner,
    instance: u32,
    mem: Mem,
    (addr, offset): (u64, u64),
    bytes: [u8; N],
) -> Result<(), TrapCode> {
    let index = store_index(store, instance, mem);
    let data = &mut store.memories[index].data;
    let range = access(addr, offset, N, data.len())?;
    data[range].copy_from_slice(&bytes);
    Ok(())
}

/// The bytes of a vector load or store in memory `mem` at `addr + offset`.
struct AnyMemory<'s> {
    store: &'s mut StoreInner,
    instance: u32,
    mem: Mem,
    at: (u64, u64),
}

impl<'s> AnyMemory<'s> {
    fn new(store: &'s mut StoreInner, instance: u32, mem: Mem, at: (u64, u64)) -> Self {
        AnyMemory { store, instance, mem, at }
    }
}

impl VectorMemory for AnyMemory<'_> {
    fn load<const N: usize>(&mut self) -> Result<[u8; N], TrapCode> {
        read(self.store, self.instance, self.mem, self.at)
    }

    fn store<const N: usize>(&mut self, bytes: [u8; N]) -> Result<(), TrapCode> {
        write(self.store, self.instance, self.mem, self.at, bytes)
    }
}

/// `memory.size`: the size in the memory's pages.
fn size(store: &StoreInner, instance: u32, mem: Mem) -> u64 {
    store.memories[store_index(store, instance, mem)].pages()
}

/// `memory.grow`: the old size in the memory's pages, or -1 (as an `i32` or
/// an `i64`, by the memory's address width) on failure.
fn grow(store: &mut StoreInner, instance: u32, mem: Mem, delta: u64) -> u64 {
    let index = store_index(store, instance, mem);
    match store.memories[index].grow(delta) {
        Some(old) => old,
        None if mem.addr64 => u64::MAX,
        None => u64::from(u32::MAX),
    }
}

/// `memory.fill`: sets `len` bytes from `dst` to `value`.
fn fill(
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
fn copy(
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
fn init(
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

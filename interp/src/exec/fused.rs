//! Helpers for the fused instructions of [`crate::ir::Instr`] (address
//! arithmetic fused into memory-0 accesses, loop steps fused into their
//! branches, comparisons into `select`): the addresses they compute, the
//! cells their loads write, the step and the selection. The instructions' arms are in `run.rs`, next
//! to the plain accesses they share [`super::run::Cache`] with.

use super::run::Frame;
use crate::ir::Slot;

impl Frame {
    /// `lhs + rhs` as `i32.add` computes it: wrapping at 32 bits.
    #[inline(always)]
    pub(super) fn sum(self, lhs: Slot, rhs: Slot) -> u32 {
        self.u32(lhs).wrapping_add(self.u32(rhs))
    }

    /// `var = var + step` (wrapping i32), returning the new value.
    #[inline(always)]
    pub(super) fn step(self, var: Slot, step: i16) -> u32 {
        let v = self.u32(var).wrapping_add(i32::from(step) as u32);
        self.set_u32(var, v);
        v
    }

    /// `var = var + step` (wrapping i32) with the step in a slot, returning
    /// the new value.
    #[inline(always)]
    pub(super) fn step_by(self, var: Slot, step: Slot) -> u32 {
        let v = self.u32(var).wrapping_add(self.u32(step));
        self.set_u32(var, v);
        v
    }

    /// `dst = if cond { a } else { b }`.
    #[inline(always)]
    pub(super) fn select(self, dst: Slot, cond: bool, a: Slot, b: Slot) {
        self.set(dst, if cond { self.get(a) } else { self.get(b) })
    }

    /// `base + disp` as `i32.add` of a constant computes it.
    #[inline(always)]
    pub(super) fn disp(self, base: Slot, disp: i32) -> u32 {
        self.u32(base).wrapping_add(disp as u32)
    }
}

/// The cell a load of each width and extension writes.
#[inline(always)]
pub(super) fn cell_s8([b]: [u8; 1]) -> u64 {
    b as i8 as u64
}

#[inline(always)]
pub(super) fn cell_u8([b]: [u8; 1]) -> u64 {
    u64::from(b)
}

#[inline(always)]
pub(super) fn cell_s16(b: [u8; 2]) -> u64 {
    i16::from_le_bytes(b) as u64
}

#[inline(always)]
pub(super) fn cell_u16(b: [u8; 2]) -> u64 {
    u64::from(u16::from_le_bytes(b))
}

#[inline(always)]
pub(super) fn cell_s32(b: [u8; 4]) -> u64 {
    i32::from_le_bytes(b) as u64
}

#[inline(always)]
pub(super) fn cell_u32(b: [u8; 4]) -> u64 {
    u64::from(u32::from_le_bytes(b))
}

#[inline(always)]
pub(super) fn cell_u64(b: [u8; 8]) -> u64 {
    u64::from_le_bytes(b)
}

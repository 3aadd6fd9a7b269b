//! The SIMD instructions of the interpreter loop ([`super::run`]): reading and
//! writing `v128` values in frames (two cells each), applying the operators of
//! [`crate::ir::simd`](crate::ir) through their functions in [`super::simd`],
//! and the vector loads and stores (of memory 0 through the loop's cache, of
//! any other memory through `exec/memory.rs`).
//!
//! The loop's arms for SIMD instructions are one-line calls into this file.
//! The entry points that hold a whole operator table (`exec_unary`,
//! `exec_binary`, ...) are kept out of line, so that the scalar instructions'
//! code in the loop is what it is without SIMD.

use super::run::{Cache, Frame};
use super::simd;
use crate::V128;
use crate::ir::{
    CompiledFunc, SimdBinary, SimdExtract, SimdLane, SimdLoad, SimdReplace, SimdShift, SimdSplat,
    SimdTernary, SimdTest, SimdUnary, Slot,
};
use crate::trap::TrapCode;

impl Frame {
    /// The `v128` in the two cells from `s`.
    #[inline(always)]
    pub(super) fn v128(self, s: Slot) -> V128 {
        // SAFETY: a `v128` slot and the cell after it are below the running
        // function's frame size (translation; `ir::verify` checks both cells)
        // and the frame lies within the stack (call check).
        unsafe {
            let p = self.at(s);
            V128::from_u64x2([*p, *p.add(1)])
        }
    }

    /// Writes a `v128` to the two cells from `s`.
    #[inline(always)]
    pub(super) fn set_v128(self, s: Slot, v: V128) {
        let [lo, hi] = v.to_u64x2();
        // SAFETY: as for `v128`.
        unsafe {
            let p = self.at(s);
            *p = lo;
            *p.add(1) = hi;
        }
    }
}

/// Entry `index` of the running function's constant pool (`V128Const`,
/// `I8x16Shuffle`).
///
/// # Safety
///
/// `func` points to the running function and `index` is below the length of
/// its pool.
#[inline(always)]
pub(super) unsafe fn pool(func: *const CompiledFunc, index: u32) -> V128 {
    // SAFETY: guaranteed by the caller.
    unsafe {
        let func = &*func;
        *func.consts.get_unchecked(index as usize)
    }
}

// ---- entry points from the loop ------------------------------------------------
// Each reads its operands before it writes its result: the result slot may
// overlap them (a result takes the temporary of its first operand).

#[inline(never)]
pub(super) fn exec_unary(fr: Frame, op: SimdUnary, dst: Slot, src: Slot) {
    fr.set_v128(dst, unary(op, fr.v128(src)))
}

#[inline(never)]
pub(super) fn exec_binary(fr: Frame, op: SimdBinary, dst: Slot, lhs: Slot, rhs: Slot) {
    fr.set_v128(dst, binary(op, fr.v128(lhs), fr.v128(rhs)))
}

#[inline(never)]
pub(super) fn exec_ternary(fr: Frame, op: SimdTernary, dst: Slot, [a, b, c]: [Slot; 3]) {
    fr.set_v128(dst, ternary(op, fr.v128(a), fr.v128(b), fr.v128(c)))
}

#[inline(never)]
pub(super) fn exec_shift(fr: Frame, op: SimdShift, dst: Slot, lhs: Slot, rhs: Slot) {
    fr.set_v128(dst, shift(op, fr.v128(lhs), fr.u32(rhs)))
}

#[inline(never)]
pub(super) fn exec_test(fr: Frame, op: SimdTest, dst: Slot, src: Slot) {
    fr.set_u32(dst, test(op, fr.v128(src)))
}

#[inline(never)]
pub(super) fn exec_splat(fr: Frame, op: SimdSplat, dst: Slot, src: Slot) {
    fr.set_v128(dst, splat(op, fr.get(src)))
}

#[inline(never)]
pub(super) fn exec_extract(fr: Frame, op: SimdExtract, lane: u8, dst: Slot, src: Slot) {
    fr.set(dst, extract(op, fr.v128(src), lane))
}

#[inline(never)]
pub(super) fn exec_replace(
    fr: Frame,
    op: SimdReplace,
    lane: u8,
    dst: Slot,
    [src, value]: [Slot; 2],
) {
    fr.set_v128(dst, replace(op, fr.v128(src), lane, fr.get(value)))
}

#[inline(never)]
pub(super) fn exec_shuffle(fr: Frame, dst: Slot, lhs: Slot, rhs: Slot, lanes: V128) {
    fr.set_v128(dst, simd::i8x16_shuffle(fr.v128(lhs), fr.v128(rhs), lanes.to_le_bytes()))
}

/// The bytes a vector load or store accesses: `N` bytes at one effective
/// address, which the implementation checks against its memory's bounds.
/// Memory 0 goes through the loop's cache ([`Memory0`]); every other memory
/// through the store (`exec/memory.rs`).
pub(super) trait VectorMemory {
    fn load<const N: usize>(&mut self) -> Result<[u8; N], TrapCode>;
    fn store<const N: usize>(&mut self, bytes: [u8; N]) -> Result<(), TrapCode>;
}

/// Memory 0 through the loop's cache, at `addr + offset`.
pub(super) struct Memory0<'c> {
    pub c: &'c Cache,
    pub addr: u32,
    pub offset: u32,
}

impl VectorMemory for Memory0<'_> {
    #[inline(always)]
    fn load<const N: usize>(&mut self) -> Result<[u8; N], TrapCode> {
        self.c.load::<N>(self.addr, self.offset)
    }

    #[inline(always)]
    fn store<const N: usize>(&mut self, bytes: [u8; N]) -> Result<(), TrapCode> {
        self.c.store(self.addr, self.offset, bytes)
    }
}

/// `v128.load` and the extending, splatting and zero-filling loads.
#[inline(never)]
pub(super) fn exec_load(
    fr: Frame,
    mut m: impl VectorMemory,
    op: SimdLoad,
    dst: Slot,
) -> Result<(), TrapCode> {
    use SimdLoad as L;
    let low = |bytes: [u8; 8]| V128::from_u64x2([u64::from_le_bytes(bytes), 0]);
    let v = match op {
        L::V128Load => V128::from_le_bytes(m.load::<16>()?),
        L::V128Load8x8S => simd::i16x8_extend_low_i8x16_s(low(m.load::<8>()?)),
        L::V128Load8x8U => simd::i16x8_extend_low_i8x16_u(low(m.load::<8>()?)),
        L::V128Load16x4S => simd::i32x4_extend_low_i16x8_s(low(m.load::<8>()?)),
        L::V128Load16x4U => simd::i32x4_extend_low_i16x8_u(low(m.load::<8>()?)),
        L::V128Load32x2S => simd::i64x2_extend_low_i32x4_s(low(m.load::<8>()?)),
        L::V128Load32x2U => simd::i64x2_extend_low_i32x4_u(low(m.load::<8>()?)),
        L::V128Load8Splat => simd::i8x16_splat(u32::from(m.load::<1>()?[0])),
        L::V128Load16Splat => simd::i16x8_splat(u32::from(u16::from_le_bytes(m.load::<2>()?))),
        L::V128Load32Splat => simd::i32x4_splat(u32::from_le_bytes(m.load::<4>()?)),
        L::V128Load64Splat => simd::i64x2_splat(u64::from_le_bytes(m.load::<8>()?)),
        L::V128Load32Zero => {
            let lane = u32::from_le_bytes(m.load::<4>()?);
            V128::from_u64x2([u64::from(lane), 0])
        }
        L::V128Load64Zero => low(m.load::<8>()?),
    };
    fr.set_v128(dst, v);
    Ok(())
}

/// `v128.store`.
#[inline(always)]
pub(super) fn exec_store(fr: Frame, mut m: impl VectorMemory, value: Slot) -> Result<(), TrapCode> {
    m.store(fr.v128(value).to_le_bytes())
}

/// `v128.loadN_lane`: `dst` = `src` with one lane loaded from memory.
#[inline(never)]
pub(super) fn exec_load_lane(
    fr: Frame,
    mut m: impl VectorMemory,
    (op, lane): (SimdLane, u8),
    [dst, src]: [Slot; 2],
) -> Result<(), TrapCode> {
    let v = fr.v128(src);
    let v = match op {
        SimdLane::Lane8 => simd::i8x16_replace_lane(v, lane, u64::from(m.load::<1>()?[0])),
        SimdLane::Lane16 => {
            let x = u16::from_le_bytes(m.load::<2>()?);
            simd::i16x8_replace_lane(v, lane, u64::from(x))
        }
        SimdLane::Lane32 => {
            let x = u32::from_le_bytes(m.load::<4>()?);
            simd::i32x4_replace_lane(v, lane, u64::from(x))
        }
        SimdLane::Lane64 => simd::i64x2_replace_lane(v, lane, u64::from_le_bytes(m.load::<8>()?)),
    };
    fr.set_v128(dst, v);
    Ok(())
}

/// `v128.storeN_lane`: one lane of `value` to memory.
#[inline(never)]
pub(super) fn exec_store_lane(
    fr: Frame,
    mut m: impl VectorMemory,
    (op, lane): (SimdLane, u8),
    value: Slot,
) -> Result<(), TrapCode> {
    let v = fr.v128(value);
    match op {
        SimdLane::Lane8 => m.store([simd::i8x16_extract_lane_u(v, lane) as u8]),
        SimdLane::Lane16 => m.store((simd::i16x8_extract_lane_u(v, lane) as u16).to_le_bytes()),
        SimdLane::Lane32 => m.store((simd::i32x4_extract_lane(v, lane) as u32).to_le_bytes()),
        SimdLane::Lane64 => m.store(simd::i64x2_extract_lane(v, lane).to_le_bytes()),
    }
}

// ---- operator tables -------------------------------------------------------------

/// Applies a `SimdUnary` operator.
#[inline(always)]
fn unary(op: SimdUnary, a: V128) -> V128 {
    use SimdUnary as U;
    match op {
        U::V128Not => simd::v128_not(a),
        U::I8x16Abs => simd::i8x16_abs(a),
        U::I8x16Neg => simd::i8x16_neg(a),
        U::I8x16Popcnt => simd::i8x16_popcnt(a),
        U::I16x8ExtAddPairwiseI8x16S => simd::i16x8_extadd_pairwise_i8x16_s(a),
        U::I16x8ExtAddPairwiseI8x16U => simd::i16x8_extadd_pairwise_i8x16_u(a),
        U::I16x8Abs => simd::i16x8_abs(a),
        U::I16x8Neg => simd::i16x8_neg(a),
        U::I16x8ExtendLowI8x16S => simd::i16x8_extend_low_i8x16_s(a),
        U::I16x8ExtendHighI8x16S => simd::i16x8_extend_high_i8x16_s(a),
        U::I16x8ExtendLowI8x16U => simd::i16x8_extend_low_i8x16_u(a),
        U::I16x8ExtendHighI8x16U => simd::i16x8_extend_high_i8x16_u(a),
        U::I32x4ExtAddPairwiseI16x8S => simd::i32x4_extadd_pairwise_i16x8_s(a),
        U::I32x4ExtAddPairwiseI16x8U => simd::i32x4_extadd_pairwise_i16x8_u(a),
        U::I32x4Abs => simd::i32x4_abs(a),
        U::I32x4Neg => simd::i32x4_neg(a),
        U::I32x4ExtendLowI16x8S => simd::i32x4_extend_low_i16x8_s(a),
        U::I32x4ExtendHighI16x8S => simd::i32x4_extend_high_i16x8_s(a),
        U::I32x4ExtendLowI16x8U => simd::i32x4_extend_low_i16x8_u(a),
        U::I32x4ExtendHighI16x8U => simd::i32x4_extend_high_i16x8_u(a),
        U::I64x2Abs => simd::i64x2_abs(a),
        U::I64x2Neg => simd::i64x2_neg(a),
        U::I64x2ExtendLowI32x4S => simd::i64x2_extend_low_i32x4_s(a),
        U::I64x2ExtendHighI32x4S => simd::i64x2_extend_high_i32x4_s(a),
        U::I64x2ExtendLowI32x4U => simd::i64x2_extend_low_i32x4_u(a),
        U::I64x2ExtendHighI32x4U => simd::i64x2_extend_high_i32x4_u(a),
        U::F32x4Ceil => simd::f32x4_ceil(a),
        U::F32x4Floor => simd::f32x4_floor(a),
        U::F32x4Trunc => simd::f32x4_trunc(a),
        U::F32x4Nearest => simd::f32x4_nearest(a),
        U::F32x4Abs => simd::f32x4_abs(a),
        U::F32x4Neg => simd::f32x4_neg(a),
        U::F32x4Sqrt => simd::f32x4_sqrt(a),
        U::F64x2Ceil => simd::f64x2_ceil(a),
        U::F64x2Floor => simd::f64x2_floor(a),
        U::F64x2Trunc => simd::f64x2_trunc(a),
        U::F64x2Nearest => simd::f64x2_nearest(a),
        U::F64x2Abs => simd::f64x2_abs(a),
        U::F64x2Neg => simd::f64x2_neg(a),
        U::F64x2Sqrt => simd::f64x2_sqrt(a),
        U::I32x4TruncSatF32x4S => simd::i32x4_trunc_sat_f32x4_s(a),
        U::I32x4TruncSatF32x4U => simd::i32x4_trunc_sat_f32x4_u(a),
        U::F32x4ConvertI32x4S => simd::f32x4_convert_i32x4_s(a),
        U::F32x4ConvertI32x4U => simd::f32x4_convert_i32x4_u(a),
        U::I32x4TruncSatF64x2SZero => simd::i32x4_trunc_sat_f64x2_s_zero(a),
        U::I32x4TruncSatF64x2UZero => simd::i32x4_trunc_sat_f64x2_u_zero(a),
        U::F64x2ConvertLowI32x4S => simd::f64x2_convert_low_i32x4_s(a),
        U::F64x2ConvertLowI32x4U => simd::f64x2_convert_low_i32x4_u(a),
        U::F32x4DemoteF64x2Zero => simd::f32x4_demote_f64x2_zero(a),
        U::F64x2PromoteLowF32x4 => simd::f64x2_promote_low_f32x4(a),
        U::I32x4RelaxedTruncF32x4S => simd::i32x4_relaxed_trunc_f32x4_s(a),
        U::I32x4RelaxedTruncF32x4U => simd::i32x4_relaxed_trunc_f32x4_u(a),
        U::I32x4RelaxedTruncF64x2SZero => simd::i32x4_relaxed_trunc_f64x2_s_zero(a),
        U::I32x4RelaxedTruncF64x2UZero => simd::i32x4_relaxed_trunc_f64x2_u_zero(a),
    }
}

/// Applies a `SimdBinary` operator.
#[inline(always)]
fn binary(op: SimdBinary, a: V128, b: V128) -> V128 {
    use SimdBinary as B;
    match op {
        B::I8x16Swizzle => simd::i8x16_swizzle(a, b),
        B::I8x16Eq => simd::i8x16_eq(a, b),
        B::I8x16Ne => simd::i8x16_ne(a, b),
        B::I8x16LtS => simd::i8x16_lt_s(a, b),
        B::I8x16LtU => simd::i8x16_lt_u(a, b),
        B::I8x16GtS => simd::i8x16_gt_s(a, b),
        B::I8x16GtU => simd::i8x16_gt_u(a, b),
        B::I8x16LeS => simd::i8x16_le_s(a, b),
        B::I8x16LeU => simd::i8x16_le_u(a, b),
        B::I8x16GeS => simd::i8x16_ge_s(a, b),
        B::I8x16GeU => simd::i8x16_ge_u(a, b),
        B::I16x8Eq => simd::i16x8_eq(a, b),
        B::I16x8Ne => simd::i16x8_ne(a, b),
        B::I16x8LtS => simd::i16x8_lt_s(a, b),
        B::I16x8LtU => simd::i16x8_lt_u(a, b),
        B::I16x8GtS => simd::i16x8_gt_s(a, b),
        B::I16x8GtU => simd::i16x8_gt_u(a, b),
        B::I16x8LeS => simd::i16x8_le_s(a, b),
        B::I16x8LeU => simd::i16x8_le_u(a, b),
        B::I16x8GeS => simd::i16x8_ge_s(a, b),
        B::I16x8GeU => simd::i16x8_ge_u(a, b),
        B::I32x4Eq => simd::i32x4_eq(a, b),
        B::I32x4Ne => simd::i32x4_ne(a, b),
        B::I32x4LtS => simd::i32x4_lt_s(a, b),
        B::I32x4LtU => simd::i32x4_lt_u(a, b),
        B::I32x4GtS => simd::i32x4_gt_s(a, b),
        B::I32x4GtU => simd::i32x4_gt_u(a, b),
        B::I32x4LeS => simd::i32x4_le_s(a, b),
        B::I32x4LeU => simd::i32x4_le_u(a, b),
        B::I32x4GeS => simd::i32x4_ge_s(a, b),
        B::I32x4GeU => simd::i32x4_ge_u(a, b),
        B::I64x2Eq => simd::i64x2_eq(a, b),
        B::I64x2Ne => simd::i64x2_ne(a, b),
        B::I64x2LtS => simd::i64x2_lt_s(a, b),
        B::I64x2GtS => simd::i64x2_gt_s(a, b),
        B::I64x2LeS => simd::i64x2_le_s(a, b),
        B::I64x2GeS => simd::i64x2_ge_s(a, b),
        B::F32x4Eq => simd::f32x4_eq(a, b),
        B::F32x4Ne => simd::f32x4_ne(a, b),
        B::F32x4Lt => simd::f32x4_lt(a, b),
        B::F32x4Gt => simd::f32x4_gt(a, b),
        B::F32x4Le => simd::f32x4_le(a, b),
        B::F32x4Ge => simd::f32x4_ge(a, b),
        B::F64x2Eq => simd::f64x2_eq(a, b),
        B::F64x2Ne => simd::f64x2_ne(a, b),
        B::F64x2Lt => simd::f64x2_lt(a, b),
        B::F64x2Gt => simd::f64x2_gt(a, b),
        B::F64x2Le => simd::f64x2_le(a, b),
        B::F64x2Ge => simd::f64x2_ge(a, b),
        B::V128And => simd::v128_and(a, b),
        B::V128AndNot => simd::v128_andnot(a, b),
        B::V128Or => simd::v128_or(a, b),
        B::V128Xor => simd::v128_xor(a, b),
        B::I8x16NarrowI16x8S => simd::i8x16_narrow_i16x8_s(a, b),
        B::I8x16NarrowI16x8U => simd::i8x16_narrow_i16x8_u(a, b),
        B::I8x16Add => simd::i8x16_add(a, b),
        B::I8x16AddSatS => simd::i8x16_add_sat_s(a, b),
        B::I8x16AddSatU => simd::i8x16_add_sat_u(a, b),
        B::I8x16Sub => simd::i8x16_sub(a, b),
        B::I8x16SubSatS => simd::i8x16_sub_sat_s(a, b),
        B::I8x16SubSatU => simd::i8x16_sub_sat_u(a, b),
        B::I8x16MinS => simd::i8x16_min_s(a, b),
        B::I8x16MinU => simd::i8x16_min_u(a, b),
        B::I8x16MaxS => simd::i8x16_max_s(a, b),
        B::I8x16MaxU => simd::i8x16_max_u(a, b),
        B::I8x16AvgrU => simd::i8x16_avgr_u(a, b),
        B::I16x8Q15MulrSatS => simd::i16x8_q15mulr_sat_s(a, b),
        B::I16x8NarrowI32x4S => simd::i16x8_narrow_i32x4_s(a, b),
        B::I16x8NarrowI32x4U => simd::i16x8_narrow_i32x4_u(a, b),
        B::I16x8Add => simd::i16x8_add(a, b),
        B::I16x8AddSatS => simd::i16x8_add_sat_s(a, b),
        B::I16x8AddSatU => simd::i16x8_add_sat_u(a, b),
        B::I16x8Sub => simd::i16x8_sub(a, b),
        B::I16x8SubSatS => simd::i16x8_sub_sat_s(a, b),
        B::I16x8SubSatU => simd::i16x8_sub_sat_u(a, b),
        B::I16x8Mul => simd::i16x8_mul(a, b),
        B::I16x8MinS => simd::i16x8_min_s(a, b),
        B::I16x8MinU => simd::i16x8_min_u(a, b),
        B::I16x8MaxS => simd::i16x8_max_s(a, b),
        B::I16x8MaxU => simd::i16x8_max_u(a, b),
        B::I16x8AvgrU => simd::i16x8_avgr_u(a, b),
        B::I16x8ExtMulLowI8x16S => simd::i16x8_extmul_low_i8x16_s(a, b),
        B::I16x8ExtMulHighI8x16S => simd::i16x8_extmul_high_i8x16_s(a, b),
        B::I16x8ExtMulLowI8x16U => simd::i16x8_extmul_low_i8x16_u(a, b),
        B::I16x8ExtMulHighI8x16U => simd::i16x8_extmul_high_i8x16_u(a, b),
        B::I32x4Add => simd::i32x4_add(a, b),
        B::I32x4Sub => simd::i32x4_sub(a, b),
        B::I32x4Mul => simd::i32x4_mul(a, b),
        B::I32x4MinS => simd::i32x4_min_s(a, b),
        B::I32x4MinU => simd::i32x4_min_u(a, b),
        B::I32x4MaxS => simd::i32x4_max_s(a, b),
        B::I32x4MaxU => simd::i32x4_max_u(a, b),
        B::I32x4DotI16x8S => simd::i32x4_dot_i16x8_s(a, b),
        B::I32x4ExtMulLowI16x8S => simd::i32x4_extmul_low_i16x8_s(a, b),
        B::I32x4ExtMulHighI16x8S => simd::i32x4_extmul_high_i16x8_s(a, b),
        B::I32x4ExtMulLowI16x8U => simd::i32x4_extmul_low_i16x8_u(a, b),
        B::I32x4ExtMulHighI16x8U => simd::i32x4_extmul_high_i16x8_u(a, b),
        B::I64x2Add => simd::i64x2_add(a, b),
        B::I64x2Sub => simd::i64x2_sub(a, b),
        B::I64x2Mul => simd::i64x2_mul(a, b),
        B::I64x2ExtMulLowI32x4S => simd::i64x2_extmul_low_i32x4_s(a, b),
        B::I64x2ExtMulHighI32x4S => simd::i64x2_extmul_high_i32x4_s(a, b),
        B::I64x2ExtMulLowI32x4U => simd::i64x2_extmul_low_i32x4_u(a, b),
        B::I64x2ExtMulHighI32x4U => simd::i64x2_extmul_high_i32x4_u(a, b),
        B::F32x4Add => simd::f32x4_add(a, b),
        B::F32x4Sub => simd::f32x4_sub(a, b),
        B::F32x4Mul => simd::f32x4_mul(a, b),
        B::F32x4Div => simd::f32x4_div(a, b),
        B::F32x4Min => simd::f32x4_min(a, b),
        B::F32x4Max => simd::f32x4_max(a, b),
        B::F32x4PMin => simd::f32x4_pmin(a, b),
        B::F32x4PMax => simd::f32x4_pmax(a, b),
        B::F64x2Add => simd::f64x2_add(a, b),
        B::F64x2Sub => simd::f64x2_sub(a, b),
        B::F64x2Mul => simd::f64x2_mul(a, b),
        B::F64x2Div => simd::f64x2_div(a, b),
        B::F64x2Min => simd::f64x2_min(a, b),
        B::F64x2Max => simd::f64x2_max(a, b),
        B::F64x2PMin => simd::f64x2_pmin(a, b),
        B::F64x2PMax => simd::f64x2_pmax(a, b),
        B::I8x16RelaxedSwizzle => simd::i8x16_relaxed_swizzle(a, b),
        B::F32x4RelaxedMin => simd::f32x4_relaxed_min(a, b),
        B::F32x4RelaxedMax => simd::f32x4_relaxed_max(a, b),
        B::F64x2RelaxedMin => simd::f64x2_relaxed_min(a, b),
        B::F64x2RelaxedMax => simd::f64x2_relaxed_max(a, b),
        B::I16x8RelaxedQ15mulrS => simd::i16x8_relaxed_q15mulr_s(a, b),
        B::I16x8RelaxedDotI8x16I7x16S => simd::i16x8_relaxed_dot_i8x16_i7x16_s(a, b),
    }
}

/// Applies a `SimdTernary` operator.
#[inline(always)]
fn ternary(op: SimdTernary, a: V128, b: V128, c: V128) -> V128 {
    use SimdTernary as T;
    match op {
        T::V128Bitselect => simd::v128_bitselect(a, b, c),
        T::F32x4RelaxedMadd => simd::f32x4_relaxed_madd(a, b, c),
        T::F32x4RelaxedNmadd => simd::f32x4_relaxed_nmadd(a, b, c),
        T::F64x2RelaxedMadd => simd::f64x2_relaxed_madd(a, b, c),
        T::F64x2RelaxedNmadd => simd::f64x2_relaxed_nmadd(a, b, c),
        T::I8x16RelaxedLaneselect => simd::i8x16_relaxed_laneselect(a, b, c),
        T::I16x8RelaxedLaneselect => simd::i16x8_relaxed_laneselect(a, b, c),
        T::I32x4RelaxedLaneselect => simd::i32x4_relaxed_laneselect(a, b, c),
        T::I64x2RelaxedLaneselect => simd::i64x2_relaxed_laneselect(a, b, c),
        T::I32x4RelaxedDotI8x16I7x16AddS => simd::i32x4_relaxed_dot_i8x16_i7x16_add_s(a, b, c),
    }
}

/// Applies a `SimdShift` operator.
#[inline(always)]
fn shift(op: SimdShift, a: V128, n: u32) -> V128 {
    use SimdShift as S;
    match op {
        S::I8x16Shl => simd::i8x16_shl(a, n),
        S::I8x16ShrS => simd::i8x16_shr_s(a, n),
        S::I8x16ShrU => simd::i8x16_shr_u(a, n),
        S::I16x8Shl => simd::i16x8_shl(a, n),
        S::I16x8ShrS => simd::i16x8_shr_s(a, n),
        S::I16x8ShrU => simd::i16x8_shr_u(a, n),
        S::I32x4Shl => simd::i32x4_shl(a, n),
        S::I32x4ShrS => simd::i32x4_shr_s(a, n),
        S::I32x4ShrU => simd::i32x4_shr_u(a, n),
        S::I64x2Shl => simd::i64x2_shl(a, n),
        S::I64x2ShrS => simd::i64x2_shr_s(a, n),
        S::I64x2ShrU => simd::i64x2_shr_u(a, n),
    }
}

/// Applies a `SimdTest` operator.
#[inline(always)]
fn test(op: SimdTest, a: V128) -> u32 {
    use SimdTest as T;
    match op {
        T::V128AnyTrue => simd::v128_any_true(a),
        T::I8x16AllTrue => simd::i8x16_all_true(a),
        T::I8x16Bitmask => simd::i8x16_bitmask(a),
        T::I16x8AllTrue => simd::i16x8_all_true(a),
        T::I16x8Bitmask => simd::i16x8_bitmask(a),
        T::I32x4AllTrue => simd::i32x4_all_true(a),
        T::I32x4Bitmask => simd::i32x4_bitmask(a),
        T::I64x2AllTrue => simd::i64x2_all_true(a),
        T::I64x2Bitmask => simd::i64x2_bitmask(a),
    }
}

/// Applies a `SimdSplat` operator to a scalar cell.
#[inline(always)]
fn splat(op: SimdSplat, x: u64) -> V128 {
    use SimdSplat as S;
    match op {
        S::I8x16Splat => simd::i8x16_splat(x as u32),
        S::I16x8Splat => simd::i16x8_splat(x as u32),
        S::I32x4Splat => simd::i32x4_splat(x as u32),
        S::I64x2Splat => simd::i64x2_splat(x),
        S::F32x4Splat => simd::f32x4_splat(x as u32),
        S::F64x2Splat => simd::f64x2_splat(x),
    }
}

/// Applies a `SimdExtract` operator.
#[inline(always)]
fn extract(op: SimdExtract, a: V128, lane: u8) -> u64 {
    use SimdExtract as E;
    match op {
        E::I8x16ExtractLaneS => simd::i8x16_extract_lane_s(a, lane),
        E::I8x16ExtractLaneU => simd::i8x16_extract_lane_u(a, lane),
        E::I16x8ExtractLaneS => simd::i16x8_extract_lane_s(a, lane),
        E::I16x8ExtractLaneU => simd::i16x8_extract_lane_u(a, lane),
        E::I32x4ExtractLane => simd::i32x4_extract_lane(a, lane),
        E::I64x2ExtractLane => simd::i64x2_extract_lane(a, lane),
        E::F32x4ExtractLane => simd::f32x4_extract_lane(a, lane),
        E::F64x2ExtractLane => simd::f64x2_extract_lane(a, lane),
    }
}

/// Applies a `SimdReplace` operator.
#[inline(always)]
fn replace(op: SimdReplace, a: V128, lane: u8, x: u64) -> V128 {
    use SimdReplace as R;
    match op {
        R::I8x16ReplaceLane => simd::i8x16_replace_lane(a, lane, x),
        R::I16x8ReplaceLane => simd::i16x8_replace_lane(a, lane, x),
        R::I32x4ReplaceLane => simd::i32x4_replace_lane(a, lane, x),
        R::I64x2ReplaceLane => simd::i64x2_replace_lane(a, lane, x),
        R::F32x4ReplaceLane => simd::f32x4_replace_lane(a, lane, x),
        R::F64x2ReplaceLane => simd::f64x2_replace_lane(a, lane, x),
    }
}

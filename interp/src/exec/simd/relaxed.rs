//! Relaxed SIMD (WebAssembly 3.0): operators whose result the spec lets an
//! implementation choose from a short list.
//!
//! interp makes the choice of the spec's *deterministic profile* for every
//! one of them: the first entry of each list (`relaxed(R)[A_0, ..] = A_0`,
//! "Relaxed Operations" in the 3.0 numerics chapter), the same on every
//! host. Each operator's doc comment names its choice; in short, each is
//! its non-relaxed counterpart where one exists, and `madd` is not fused.
//!
//! | operator | spec's choices | interp (deterministic profile) |
//! |---|---|---|
//! | `relaxed_swizzle` | index >= 16: 0 or `a[i % 16]` | 0: `i8x16.swizzle` |
//! | `relaxed_trunc*` | NaN/out of range: saturate or any | saturate: `trunc_sat*` |
//! | `relaxed_madd/nmadd` | `a*b + c` rounded twice, or fused | rounded twice (not fused) |
//! | `relaxed_laneselect` | bitwise select or by top bit | bitwise: `v128.bitselect` |
//! | `relaxed_min/max` | NaN, ±0: wasm min/max or x86 minps-like | wasm `min`/`max` |
//! | `relaxed_q15mulr_s` | `-32768 * -32768`: saturate or wrap | saturate: `q15mulr_sat_s` |
//! | `relaxed_dot*` | second operand signed or unsigned | signed; pair sums saturate to i16 |

use super::bitwise::v128_bitselect;
use super::convert::{
    i32x4_trunc_sat_f32x4_s, i32x4_trunc_sat_f32x4_u, i32x4_trunc_sat_f64x2_s_zero,
    i32x4_trunc_sat_f64x2_u_zero,
};
use super::float::{f32x4_max, f32x4_min, f64x2_max, f64x2_min};
use super::int::{i16x8_q15mulr_sat_s, i32x4_add};
use super::lanes::i8x16_swizzle;
use super::shape::zip3;
use super::widen::{dot_i8x16_s_sat, i32x4_extadd_pairwise_i16x8_s};
use crate::V128;

/// As `i8x16.swizzle`: an index of 16 or more selects 0.
pub(crate) fn i8x16_relaxed_swizzle(a: V128, s: V128) -> V128 {
    i8x16_swizzle(a, s)
}

/// As `i32x4.trunc_sat_f32x4_s`: NaN gives 0, out of range saturates.
pub(crate) fn i32x4_relaxed_trunc_f32x4_s(v: V128) -> V128 {
    i32x4_trunc_sat_f32x4_s(v)
}

/// As `i32x4.trunc_sat_f32x4_u`: NaN gives 0, out of range saturates.
pub(crate) fn i32x4_relaxed_trunc_f32x4_u(v: V128) -> V128 {
    i32x4_trunc_sat_f32x4_u(v)
}

/// As `i32x4.trunc_sat_f64x2_s_zero`: NaN gives 0, out of range saturates.
pub(crate) fn i32x4_relaxed_trunc_f64x2_s_zero(v: V128) -> V128 {
    i32x4_trunc_sat_f64x2_s_zero(v)
}

/// As `i32x4.trunc_sat_f64x2_u_zero`: NaN gives 0, out of range saturates.
pub(crate) fn i32x4_relaxed_trunc_f64x2_u_zero(v: V128) -> V128 {
    i32x4_trunc_sat_f64x2_u_zero(v)
}

/// `a * b + c` with two roundings, as `f32x4.mul` then `f32x4.add` (not
/// fused; Rust never contracts the two into one).
pub(crate) fn f32x4_relaxed_madd(a: V128, b: V128, c: V128) -> V128 {
    zip3(a, b, c, |x: f32, y, z| x * y + z)
}

/// `-a * b + c` with two roundings (not fused).
pub(crate) fn f32x4_relaxed_nmadd(a: V128, b: V128, c: V128) -> V128 {
    zip3(a, b, c, |x: f32, y, z| -x * y + z)
}

/// `a * b + c` with two roundings, as `f64x2.mul` then `f64x2.add` (not
/// fused).
pub(crate) fn f64x2_relaxed_madd(a: V128, b: V128, c: V128) -> V128 {
    zip3(a, b, c, |x: f64, y, z| x * y + z)
}

/// `-a * b + c` with two roundings (not fused).
pub(crate) fn f64x2_relaxed_nmadd(a: V128, b: V128, c: V128) -> V128 {
    zip3(a, b, c, |x: f64, y, z| -x * y + z)
}

/// As `v128.bitselect(a, b, mask)`, bit by bit, whatever the mask lanes hold.
pub(crate) fn i8x16_relaxed_laneselect(a: V128, b: V128, mask: V128) -> V128 {
    v128_bitselect(a, b, mask)
}

/// As `v128.bitselect(a, b, mask)`, bit by bit, whatever the mask lanes hold.
pub(crate) fn i16x8_relaxed_laneselect(a: V128, b: V128, mask: V128) -> V128 {
    v128_bitselect(a, b, mask)
}

/// As `v128.bitselect(a, b, mask)`, bit by bit, whatever the mask lanes hold.
pub(crate) fn i32x4_relaxed_laneselect(a: V128, b: V128, mask: V128) -> V128 {
    v128_bitselect(a, b, mask)
}

/// As `v128.bitselect(a, b, mask)`, bit by bit, whatever the mask lanes hold.
pub(crate) fn i64x2_relaxed_laneselect(a: V128, b: V128, mask: V128) -> V128 {
    v128_bitselect(a, b, mask)
}

/// As `f32x4.min`: NaN propagates, `-0 < +0`.
pub(crate) fn f32x4_relaxed_min(a: V128, b: V128) -> V128 {
    f32x4_min(a, b)
}

/// As `f32x4.max`: NaN propagates, `-0 < +0`.
pub(crate) fn f32x4_relaxed_max(a: V128, b: V128) -> V128 {
    f32x4_max(a, b)
}

/// As `f64x2.min`: NaN propagates, `-0 < +0`.
pub(crate) fn f64x2_relaxed_min(a: V128, b: V128) -> V128 {
    f64x2_min(a, b)
}

/// As `f64x2.max`: NaN propagates, `-0 < +0`.
pub(crate) fn f64x2_relaxed_max(a: V128, b: V128) -> V128 {
    f64x2_max(a, b)
}

/// As `i16x8.q15mulr_sat_s`: `-32768 * -32768` saturates to 32767.
pub(crate) fn i16x8_relaxed_q15mulr_s(a: V128, b: V128) -> V128 {
    i16x8_q15mulr_sat_s(a, b)
}

/// Result lane `i` is `a[2i] * b[2i] + a[2i+1] * b[2i+1]`, both operands
/// signed, the sum saturated to `i16` (it can only overflow when all four
/// bytes are -128, giving 32767).
pub(crate) fn i16x8_relaxed_dot_i8x16_i7x16_s(a: V128, b: V128) -> V128 {
    dot_i8x16_s_sat(a, b)
}

/// The `i16x8` relaxed dot product (signed, saturated), then
/// `i32x4.extadd_pairwise_i16x8_s`, then `i32x4.add` of `c` (wrapping).
pub(crate) fn i32x4_relaxed_dot_i8x16_i7x16_add_s(a: V128, b: V128, c: V128) -> V128 {
    i32x4_add(i32x4_extadd_pairwise_i16x8_s(dot_i8x16_s_sat(a, b)), c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn madd_rounds_twice() {
        // The spec test's witnesses: fused and unfused results differ.
        let max = V128::from_f32x4([f32::MAX; 4]);
        let two = V128::from_f32x4([2.0; 4]);
        let neg_max = V128::from_f32x4([-f32::MAX; 4]);
        // f32::MAX * 2 overflows to infinity before the add.
        assert_eq!(f32x4_relaxed_madd(max, two, neg_max).to_f32x4(), [f32::INFINITY; 4]);
        assert_eq!(f32x4_relaxed_nmadd(neg_max, two, neg_max).to_f32x4(), [f32::INFINITY; 4]);

        let x = V128::from_f32x4([f32::from_bits(0x3f80_0002); 4]); // 1 + 2^-22
        let y = V128::from_f32x4([f32::from_bits(0x3f80_0100); 4]); // 1 + 2^-15
        let z = V128::from_f32x4([-f32::from_bits(0x3f80_0102); 4]); // -(1 + 2^-15 + 2^-22)
        // x * y rounds away its 2^-37 term, so the sum is exactly zero (fused: 2^-37).
        assert_eq!(f32x4_relaxed_madd(x, y, z).to_f32x4(), [0.0; 4]);
        let neg_x = V128::from_f32x4([-f32::from_bits(0x3f80_0002); 4]);
        assert_eq!(f32x4_relaxed_nmadd(neg_x, y, z).to_f32x4(), [0.0; 4]);

        let max = V128::from_f64x2([f64::MAX; 2]);
        let two = V128::from_f64x2([2.0; 2]);
        let neg_max = V128::from_f64x2([-f64::MAX; 2]);
        assert_eq!(f64x2_relaxed_madd(max, two, neg_max).to_f64x2(), [f64::INFINITY; 2]);
        let x = V128::from_f64x2([1.0 + f64::powi(2.0, -30); 2]);
        let y = V128::from_f64x2([1.0 + f64::powi(2.0, -23); 2]);
        let z = V128::from_f64x2([-(1.0 + f64::powi(2.0, -23) + f64::powi(2.0, -30)); 2]);
        assert_eq!(f64x2_relaxed_madd(x, y, z).to_f64x2(), [0.0; 2]);
        let neg_x = V128::from_f64x2([-(1.0 + f64::powi(2.0, -30)); 2]);
        assert_eq!(f64x2_relaxed_nmadd(neg_x, y, z).to_f64x2(), [0.0; 2]);
    }

    #[test]
    fn madd_per_lane() {
        let a = V128::from_f32x4([1.0, 2.0, -3.0, 0.5]);
        let b = V128::from_f32x4([4.0, -5.0, 6.0, 0.5]);
        let c = V128::from_f32x4([0.5, 1.0, 10.0, -0.25]);
        assert_eq!(f32x4_relaxed_madd(a, b, c).to_f32x4(), [4.5, -9.0, -8.0, 0.0]);
        assert_eq!(f32x4_relaxed_nmadd(a, b, c).to_f32x4(), [-3.5, 11.0, 28.0, -0.5]);
        let a = V128::from_f64x2([3.0, -1.5]);
        let b = V128::from_f64x2([2.0, 2.0]);
        let c = V128::from_f64x2([1.0, 1.0]);
        assert_eq!(f64x2_relaxed_madd(a, b, c).to_f64x2(), [7.0, -2.0]);
        assert_eq!(f64x2_relaxed_nmadd(a, b, c).to_f64x2(), [-5.0, 4.0]);
    }

    #[test]
    fn laneselect_is_bitwise_even_for_mixed_masks() {
        let a = V128::from_u128(u128::MAX);
        let b = V128::from_u128(0);
        // A mask lane whose top bit is clear but other bits set: a bitwise
        // select takes those bits from `a` (a top-bit select would take all of `b`).
        let mask = V128::from_u128(0x0000_0000_0000_00ff_7fff_ffff_0000_8001);
        for op in [
            i8x16_relaxed_laneselect,
            i16x8_relaxed_laneselect,
            i32x4_relaxed_laneselect,
            i64x2_relaxed_laneselect,
        ] {
            assert_eq!(op(a, b, mask), mask);
        }
    }

    #[test]
    fn dot_treats_second_operand_as_signed_and_saturates() {
        // The spec test's case: -128 * -127 twice, signed: 32512.
        let mut a = [0i8; 16];
        let mut b = [0i8; 16];
        a[..4].copy_from_slice(&[-128; 4]);
        b[..4].copy_from_slice(&[-127; 4]);
        let (a, b) = (V128::from_i8x16(a), V128::from_i8x16(b));
        assert_eq!(
            i16x8_relaxed_dot_i8x16_i7x16_s(a, b).to_i16x8(),
            [32512, 32512, 0, 0, 0, 0, 0, 0]
        );
        let c = V128::from_i32x4([1, 2, 3, 4]);
        assert_eq!(i32x4_relaxed_dot_i8x16_i7x16_add_s(a, b, c).to_i32x4(), [65025, 2, 3, 4]);

        // All -128: each i16 pair sum saturates to 32767 before the i32 sum.
        let min = V128::from_i8x16([-128; 16]);
        assert_eq!(i16x8_relaxed_dot_i8x16_i7x16_s(min, min).to_i16x8(), [i16::MAX; 8]);
        let c = V128::from_i32x4([i32::MAX, 0, -65534, 1]);
        assert_eq!(
            i32x4_relaxed_dot_i8x16_i7x16_add_s(min, min, c).to_i32x4(),
            [i32::MAX.wrapping_add(65534), 65534, 0, 65535]
        );

        let a = V128::from_i8x16([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]);
        let c = V128::from_i32x4([0, 1, 2, 3]);
        assert_eq!(
            i32x4_relaxed_dot_i8x16_i7x16_add_s(a, a, c).to_i32x4(),
            [14, 126 + 1, 366 + 2, 734 + 3]
        );
    }

    #[test]
    fn other_choices_are_the_non_relaxed_operators() {
        let s = V128::from_le_bytes([0, 16, 17, 0x80, 0xff, 15, 31, 32, 1, 2, 3, 4, 5, 6, 7, 8]);
        let a = V128::from_u128(0x0f0e_0d0c_0b0a_0908_0706_0504_0302_0100);
        assert_eq!(
            i8x16_relaxed_swizzle(a, s).to_le_bytes(),
            [0, 0, 0, 0, 0, 15, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8]
        );
        let f = V128::from_f32x4([f32::NAN, 3e9, -3e9, -1.5]);
        assert_eq!(i32x4_relaxed_trunc_f32x4_s(f).to_i32x4(), [0, i32::MAX, i32::MIN, -1]);
        assert_eq!(i32x4_relaxed_trunc_f32x4_u(f).to_i32x4(), [0, -1294967296, 0, 0]);
        let d = V128::from_f64x2([f64::NAN, -5e9]);
        assert_eq!(i32x4_relaxed_trunc_f64x2_s_zero(d).to_i32x4(), [0, i32::MIN, 0, 0]);
        assert_eq!(i32x4_relaxed_trunc_f64x2_u_zero(d).to_i32x4(), [0, 0, 0, 0]);
        let d = V128::from_f64x2([5e9, 7.9]);
        assert_eq!(i32x4_relaxed_trunc_f64x2_u_zero(d).to_i32x4(), [-1, 7, 0, 0]);

        let a = V128::from_f32x4([-0.0, 0.0, f32::NAN, 1.0]);
        let b = V128::from_f32x4([0.0, -0.0, 1.0, 2.0]);
        let min = f32x4_relaxed_min(a, b).to_f32x4();
        let max = f32x4_relaxed_max(a, b).to_f32x4();
        assert!(min[0].is_sign_negative() && min[1].is_sign_negative() && min[2].is_nan());
        assert!(max[0].is_sign_positive() && max[1].is_sign_positive() && max[2].is_nan());
        assert_eq!((min[3], max[3]), (1.0, 2.0));
        let a = V128::from_f64x2([0.0, f64::NAN]);
        let b = V128::from_f64x2([-0.0, -1.0]);
        assert!(f64x2_relaxed_min(a, b).to_f64x2()[0].is_sign_negative());
        assert!(f64x2_relaxed_max(b, a).to_f64x2()[0].is_sign_positive());
        assert!(f64x2_relaxed_min(b, a).to_f64x2()[1].is_nan());
        assert!(f64x2_relaxed_max(a, b).to_f64x2()[1].is_nan());

        let q = V128::from_i16x8([i16::MIN, 0x4000, 0, 0, 0, 0, 0, 0]);
        let r = V128::from_i16x8([i16::MIN, 0x4000, 0, 0, 0, 0, 0, 0]);
        assert_eq!(i16x8_relaxed_q15mulr_s(q, r).to_i16x8()[..2], [i16::MAX, 0x2000]);
    }
}

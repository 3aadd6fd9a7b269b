//! Lane-wise float arithmetic for `f32x4` and `f64x2`.
//!
//! NaN results follow the scalar operators exactly (the same functions from
//! `exec::numeric`, or the same Rust operators): arithmetic produces a quiet
//! NaN, canonical when every NaN operand is canonical; rounding quiets a
//! signalling NaN; `min`/`max` propagate NaN and order `-0 < +0`. `abs` and
//! `neg` change only the sign bit, and `pmin`/`pmax` return one operand's
//! bits unchanged, so they work on integer lanes and keep NaN payloads.

use super::shape::{map, zip};
use crate::V128;
use crate::exec::numeric::{
    F32_SIGN, F64_SIGN, f32_ceil, f32_floor, f32_max, f32_min, f32_nearest, f32_trunc, f64_ceil,
    f64_floor, f64_max, f64_min, f64_nearest, f64_trunc,
};

// f32x4

pub(crate) fn f32x4_ceil(v: V128) -> V128 {
    map(v, f32_ceil)
}

pub(crate) fn f32x4_floor(v: V128) -> V128 {
    map(v, f32_floor)
}

pub(crate) fn f32x4_trunc(v: V128) -> V128 {
    map(v, f32_trunc)
}

/// Rounds to the nearest integer, ties to even.
pub(crate) fn f32x4_nearest(v: V128) -> V128 {
    map(v, f32_nearest)
}

pub(crate) fn f32x4_abs(v: V128) -> V128 {
    map(v, |x: u32| x & !F32_SIGN)
}

pub(crate) fn f32x4_neg(v: V128) -> V128 {
    map(v, |x: u32| x ^ F32_SIGN)
}

pub(crate) fn f32x4_sqrt(v: V128) -> V128 {
    map(v, f32::sqrt)
}

pub(crate) fn f32x4_add(a: V128, b: V128) -> V128 {
    zip(a, b, |x: f32, y| x + y)
}

pub(crate) fn f32x4_sub(a: V128, b: V128) -> V128 {
    zip(a, b, |x: f32, y| x - y)
}

pub(crate) fn f32x4_mul(a: V128, b: V128) -> V128 {
    zip(a, b, |x: f32, y| x * y)
}

pub(crate) fn f32x4_div(a: V128, b: V128) -> V128 {
    zip(a, b, |x: f32, y| x / y)
}

pub(crate) fn f32x4_min(a: V128, b: V128) -> V128 {
    zip(a, b, f32_min)
}

pub(crate) fn f32x4_max(a: V128, b: V128) -> V128 {
    zip(a, b, f32_max)
}

/// Pseudo-minimum, as C's `b < a ? b : a`: `a` unless `b` is less.
pub(crate) fn f32x4_pmin(a: V128, b: V128) -> V128 {
    zip(a, b, |x: u32, y| if f32::from_bits(y) < f32::from_bits(x) { y } else { x })
}

/// Pseudo-maximum, as C's `a < b ? b : a`: `a` unless `b` is greater.
pub(crate) fn f32x4_pmax(a: V128, b: V128) -> V128 {
    zip(a, b, |x: u32, y| if f32::from_bits(x) < f32::from_bits(y) { y } else { x })
}

// f64x2

pub(crate) fn f64x2_ceil(v: V128) -> V128 {
    map(v, f64_ceil)
}

pub(crate) fn f64x2_floor(v: V128) -> V128 {
    map(v, f64_floor)
}

pub(crate) fn f64x2_trunc(v: V128) -> V128 {
    map(v, f64_trunc)
}

/// Rounds to the nearest integer, ties to even.
pub(crate) fn f64x2_nearest(v: V128) -> V128 {
    map(v, f64_nearest)
}

pub(crate) fn f64x2_abs(v: V128) -> V128 {
    map(v, |x: u64| x & !F64_SIGN)
}

pub(crate) fn f64x2_neg(v: V128) -> V128 {
    map(v, |x: u64| x ^ F64_SIGN)
}

pub(crate) fn f64x2_sqrt(v: V128) -> V128 {
    map(v, f64::sqrt)
}

pub(crate) fn f64x2_add(a: V128, b: V128) -> V128 {
    zip(a, b, |x: f64, y| x + y)
}

pub(crate) fn f64x2_sub(a: V128, b: V128) -> V128 {
    zip(a, b, |x: f64, y| x - y)
}

pub(crate) fn f64x2_mul(a: V128, b: V128) -> V128 {
    zip(a, b, |x: f64, y| x * y)
}

pub(crate) fn f64x2_div(a: V128, b: V128) -> V128 {
    zip(a, b, |x: f64, y| x / y)
}

pub(crate) fn f64x2_min(a: V128, b: V128) -> V128 {
    zip(a, b, f64_min)
}

pub(crate) fn f64x2_max(a: V128, b: V128) -> V128 {
    zip(a, b, f64_max)
}

/// Pseudo-minimum, as C's `b < a ? b : a`: `a` unless `b` is less.
pub(crate) fn f64x2_pmin(a: V128, b: V128) -> V128 {
    zip(a, b, |x: u64, y| if f64::from_bits(y) < f64::from_bits(x) { y } else { x })
}

/// Pseudo-maximum, as C's `a < b ? b : a`: `a` unless `b` is greater.
pub(crate) fn f64x2_pmax(a: V128, b: V128) -> V128 {
    zip(a, b, |x: u64, y| if f64::from_bits(x) < f64::from_bits(y) { y } else { x })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A signalling NaN with a payload, and a quiet one with the sign set.
    const SNAN32: u32 = 0x7f80_0001;
    const QNAN32_NEG: u32 = 0xffc0_1234;
    const CANON32: u32 = 0x7fc0_0000;
    const SNAN64: u64 = 0x7ff0_0000_0000_0001;
    const CANON64: u64 = 0x7ff8_0000_0000_0000;

    fn f32s(l: [f32; 4]) -> V128 {
        V128::from_f32x4(l)
    }

    fn bits32(v: V128) -> [u32; 4] {
        v.to_i32x4().map(|l| l as u32)
    }

    fn bits64(v: V128) -> [u64; 2] {
        v.to_u64x2()
    }

    fn is_quiet_nan32(b: u32) -> bool {
        f32::from_bits(b).is_nan() && b & 0x0040_0000 != 0
    }

    fn is_quiet_nan64(b: u64) -> bool {
        f64::from_bits(b).is_nan() && b & 0x0008_0000_0000_0000 != 0
    }

    #[test]
    fn rounding_per_lane_ties_to_even() {
        let v = f32s([2.5, -2.5, 3.5, -0.4]);
        assert_eq!(f32x4_nearest(v).to_f32x4(), [2.0, -2.0, 4.0, -0.0]);
        assert!(f32x4_nearest(v).to_f32x4()[3].is_sign_negative());
        assert_eq!(f32x4_ceil(v).to_f32x4(), [3.0, -2.0, 4.0, -0.0]);
        assert!(f32x4_ceil(v).to_f32x4()[3].is_sign_negative());
        assert_eq!(f32x4_floor(v).to_f32x4(), [2.0, -3.0, 3.0, -1.0]);
        assert_eq!(f32x4_trunc(v).to_f32x4(), [2.0, -2.0, 3.0, -0.0]);
        // Above 2^23 every f32 is an integer already.
        let big = f32s([8388609.0, -16777216.0, f32::INFINITY, 0.5]);
        assert_eq!(f32x4_nearest(big).to_f32x4(), [8388609.0, -16777216.0, f32::INFINITY, 0.0]);

        let v = V128::from_f64x2([0.5, -1.5]);
        assert_eq!(f64x2_nearest(v).to_f64x2(), [0.0, -2.0]);
        assert_eq!(f64x2_ceil(v).to_f64x2(), [1.0, -1.0]);
        assert_eq!(f64x2_floor(v).to_f64x2(), [0.0, -2.0]);
        assert_eq!(f64x2_trunc(v).to_f64x2(), [0.0, -1.0]);
        let v = V128::from_f64x2([4503599627370497.0, -2.5]);
        assert_eq!(f64x2_nearest(v).to_f64x2(), [4503599627370497.0, -2.0]);
    }

    #[test]
    fn rounding_quiets_signalling_nans() {
        let v = V128::from_i32x4([SNAN32 as i32, QNAN32_NEG as i32, 0, 0]);
        for op in [f32x4_ceil, f32x4_floor, f32x4_trunc, f32x4_nearest, f32x4_sqrt] {
            let r = bits32(op(v));
            assert!(is_quiet_nan32(r[0]) && is_quiet_nan32(r[1]), "{r:x?}");
        }
        let v = V128::from_u64x2([SNAN64, 0]);
        for op in [f64x2_ceil, f64x2_floor, f64x2_trunc, f64x2_nearest, f64x2_sqrt] {
            assert!(is_quiet_nan64(bits64(op(v))[0]));
        }
    }

    #[test]
    fn abs_and_neg_touch_only_the_sign_bit() {
        let v = V128::from_i32x4([SNAN32 as i32, QNAN32_NEG as i32, 0, (-1.5f32).to_bits() as i32]);
        assert_eq!(bits32(f32x4_abs(v)), [SNAN32, QNAN32_NEG & !F32_SIGN, 0, 1.5f32.to_bits()]);
        assert_eq!(
            bits32(f32x4_neg(v)),
            [SNAN32 | F32_SIGN, QNAN32_NEG & !F32_SIGN, F32_SIGN, 1.5f32.to_bits()]
        );
        let v = V128::from_u64x2([SNAN64 | F64_SIGN, 0]);
        assert_eq!(bits64(f64x2_abs(v)), [SNAN64, 0]);
        assert_eq!(bits64(f64x2_neg(v)), [SNAN64, F64_SIGN]);
    }

    #[test]
    fn arithmetic_per_lane() {
        let a = f32s([1.5, -2.0, f32::INFINITY, 1.0]);
        let b = f32s([0.25, 8.0, f32::INFINITY, 0.0]);
        assert_eq!(f32x4_add(a, b).to_f32x4(), [1.75, 6.0, f32::INFINITY, 1.0]);
        let d = f32x4_sub(a, b).to_f32x4();
        assert_eq!(d[..2], [1.25, -10.0]);
        assert!(d[2].is_nan() && d[3] == 1.0);
        assert_eq!(f32x4_mul(a, b).to_f32x4(), [0.375, -16.0, f32::INFINITY, 0.0]);
        let q = f32x4_div(a, b).to_f32x4();
        assert_eq!([q[0], q[1], q[3]], [6.0, -0.25, f32::INFINITY]);
        assert!(q[2].is_nan());
        assert_eq!(f32x4_sqrt(f32s([4.0, 2.25, 0.0, -0.0])).to_f32x4(), [2.0, 1.5, 0.0, -0.0]);
        assert!(f32x4_sqrt(f32s([-1.0, 0.0, 0.0, 0.0])).to_f32x4()[0].is_nan());

        let a = V128::from_f64x2([0.1, 1e308]);
        let b = V128::from_f64x2([0.2, 1e308]);
        assert_eq!(f64x2_add(a, b).to_f64x2(), [0.1 + 0.2, f64::INFINITY]);
        assert_eq!(f64x2_sub(a, b).to_f64x2(), [0.1 - 0.2, 0.0]);
        assert_eq!(f64x2_mul(a, b).to_f64x2(), [0.1 * 0.2, f64::INFINITY]);
        assert_eq!(f64x2_div(a, b).to_f64x2(), [0.5, 1.0]);
        assert_eq!(f64x2_sqrt(V128::from_f64x2([2.0, 1e-320])).to_f64x2()[0], 2f64.sqrt());
    }

    #[test]
    fn arithmetic_nans_are_quiet_and_canonical_from_canonical() {
        // inf - inf makes a new NaN: canonical (either sign).
        let r = bits32(f32x4_sub(f32s([f32::INFINITY; 4]), f32s([f32::INFINITY; 4])));
        assert!(r.iter().all(|&b| b & !F32_SIGN == CANON32), "{r:x?}");
        // A signalling operand comes out quiet.
        let s = V128::from_i32x4([SNAN32 as i32; 4]);
        for op in [f32x4_add, f32x4_sub, f32x4_mul, f32x4_div, f32x4_min, f32x4_max] {
            assert!(bits32(op(s, f32s([1.0; 4]))).iter().all(|&b| is_quiet_nan32(b)));
            assert!(bits32(op(f32s([1.0; 4]), s)).iter().all(|&b| is_quiet_nan32(b)));
        }
        let s = V128::from_u64x2([SNAN64; 2]);
        let one = V128::from_f64x2([1.0; 2]);
        for op in [f64x2_add, f64x2_sub, f64x2_mul, f64x2_div, f64x2_min, f64x2_max] {
            assert!(bits64(op(s, one)).iter().all(|&b| is_quiet_nan64(b)));
        }
        let c = V128::from_u64x2([CANON64; 2]);
        assert!(bits64(f64x2_mul(c, one)).iter().all(|&b| b & !F64_SIGN == CANON64));
    }

    #[test]
    fn min_max_propagate_nan_and_order_zeros() {
        let a = f32s([-0.0, 0.0, f32::NAN, 1.0]);
        let b = f32s([0.0, -0.0, 1.0, f32::NAN]);
        let min = bits32(f32x4_min(a, b));
        let max = bits32(f32x4_max(a, b));
        assert_eq!(min[..2], [F32_SIGN, F32_SIGN]);
        assert_eq!(max[..2], [0, 0]);
        assert!(min[2..].iter().chain(&max[2..]).all(|&b| b & !F32_SIGN == CANON32));
        let a = f32s([1.0, -5.0, f32::NEG_INFINITY, 3.0]);
        let b = f32s([2.0, -6.0, 0.0, 3.0]);
        assert_eq!(f32x4_min(a, b).to_f32x4(), [1.0, -6.0, f32::NEG_INFINITY, 3.0]);
        assert_eq!(f32x4_max(a, b).to_f32x4(), [2.0, -5.0, 0.0, 3.0]);

        let a = V128::from_f64x2([-0.0, f64::NAN]);
        let b = V128::from_f64x2([0.0, f64::INFINITY]);
        assert_eq!(bits64(f64x2_min(a, b))[0], F64_SIGN);
        assert_eq!(bits64(f64x2_max(a, b))[0], 0);
        assert!(f64x2_min(a, b).to_f64x2()[1].is_nan());
        assert!(f64x2_max(b, a).to_f64x2()[1].is_nan());
    }

    #[test]
    fn pmin_pmax_return_first_operand_unless_strictly_ordered() {
        // -0/+0 compare equal, so the first operand wins; NaN compares false,
        // so the first operand wins, bit for bit, even when it is the NaN.
        let a = V128::from_i32x4([F32_SIGN as i32, 0, SNAN32 as i32, 1f32.to_bits() as i32]);
        let b = V128::from_i32x4([0, F32_SIGN as i32, 1f32.to_bits() as i32, SNAN32 as i32]);
        assert_eq!(bits32(f32x4_pmin(a, b)), [F32_SIGN, 0, SNAN32, 1f32.to_bits()]);
        assert_eq!(bits32(f32x4_pmax(a, b)), [F32_SIGN, 0, SNAN32, 1f32.to_bits()]);
        let a = f32s([1.0, 2.0, -1.0, f32::NEG_INFINITY]);
        let b = f32s([2.0, 1.0, -2.0, f32::INFINITY]);
        assert_eq!(f32x4_pmin(a, b).to_f32x4(), [1.0, 1.0, -2.0, f32::NEG_INFINITY]);
        assert_eq!(f32x4_pmax(a, b).to_f32x4(), [2.0, 2.0, -1.0, f32::INFINITY]);

        let a = V128::from_u64x2([SNAN64, F64_SIGN]);
        let b = V128::from_u64x2([1f64.to_bits(), 0]);
        assert_eq!(bits64(f64x2_pmin(a, b)), [SNAN64, F64_SIGN]);
        assert_eq!(bits64(f64x2_pmax(a, b)), [SNAN64, F64_SIGN]);
        assert_eq!(bits64(f64x2_pmin(b, a)), [1f64.to_bits(), 0]);
        let a = V128::from_f64x2([1.0, 5.0]);
        let b = V128::from_f64x2([2.0, -5.0]);
        assert_eq!(f64x2_pmin(a, b).to_f64x2(), [1.0, -5.0]);
        assert_eq!(f64x2_pmax(a, b).to_f64x2(), [2.0, 5.0]);
    }
}

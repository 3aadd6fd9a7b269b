//! Lane-wise integer arithmetic: wrapping and saturating add/sub, mul,
//! min/max, `avgr_u`, abs/neg, `popcnt`, `q15mulr_sat_s` and the shifts.
//!
//! Wrapping operators wrap in the lane width; `abs` and `neg` of the lane's
//! minimum give the minimum back. A shift count is taken modulo the lane
//! width, as Rust's `wrapping_shl`/`wrapping_shr` do.

use super::shape::{map, zip};
use crate::V128;

// i8x16

pub(crate) fn i8x16_add(a: V128, b: V128) -> V128 {
    zip(a, b, i8::wrapping_add)
}

pub(crate) fn i8x16_add_sat_s(a: V128, b: V128) -> V128 {
    zip(a, b, i8::saturating_add)
}

pub(crate) fn i8x16_add_sat_u(a: V128, b: V128) -> V128 {
    zip(a, b, u8::saturating_add)
}

pub(crate) fn i8x16_sub(a: V128, b: V128) -> V128 {
    zip(a, b, i8::wrapping_sub)
}

pub(crate) fn i8x16_sub_sat_s(a: V128, b: V128) -> V128 {
    zip(a, b, i8::saturating_sub)
}

pub(crate) fn i8x16_sub_sat_u(a: V128, b: V128) -> V128 {
    zip(a, b, u8::saturating_sub)
}

pub(crate) fn i8x16_min_s(a: V128, b: V128) -> V128 {
    zip(a, b, i8::min)
}

pub(crate) fn i8x16_min_u(a: V128, b: V128) -> V128 {
    zip(a, b, u8::min)
}

pub(crate) fn i8x16_max_s(a: V128, b: V128) -> V128 {
    zip(a, b, i8::max)
}

pub(crate) fn i8x16_max_u(a: V128, b: V128) -> V128 {
    zip(a, b, u8::max)
}

/// Unsigned average rounding up: `(a + b + 1) / 2` without overflow.
pub(crate) fn i8x16_avgr_u(a: V128, b: V128) -> V128 {
    zip(a, b, |x: u8, y| ((u16::from(x) + u16::from(y) + 1) >> 1) as u8)
}

pub(crate) fn i8x16_abs(v: V128) -> V128 {
    map(v, i8::wrapping_abs)
}

pub(crate) fn i8x16_neg(v: V128) -> V128 {
    map(v, i8::wrapping_neg)
}

pub(crate) fn i8x16_popcnt(v: V128) -> V128 {
    map(v, |x: u8| x.count_ones() as u8)
}

pub(crate) fn i8x16_shl(v: V128, n: u32) -> V128 {
    map(v, |x: i8| x.wrapping_shl(n))
}

pub(crate) fn i8x16_shr_s(v: V128, n: u32) -> V128 {
    map(v, |x: i8| x.wrapping_shr(n))
}

pub(crate) fn i8x16_shr_u(v: V128, n: u32) -> V128 {
    map(v, |x: u8| x.wrapping_shr(n))
}

// i16x8

pub(crate) fn i16x8_add(a: V128, b: V128) -> V128 {
    zip(a, b, i16::wrapping_add)
}

pub(crate) fn i16x8_add_sat_s(a: V128, b: V128) -> V128 {
    zip(a, b, i16::saturating_add)
}

pub(crate) fn i16x8_add_sat_u(a: V128, b: V128) -> V128 {
    zip(a, b, u16::saturating_add)
}

pub(crate) fn i16x8_sub(a: V128, b: V128) -> V128 {
    zip(a, b, i16::wrapping_sub)
}

pub(crate) fn i16x8_sub_sat_s(a: V128, b: V128) -> V128 {
    zip(a, b, i16::saturating_sub)
}

pub(crate) fn i16x8_sub_sat_u(a: V128, b: V128) -> V128 {
    zip(a, b, u16::saturating_sub)
}

pub(crate) fn i16x8_mul(a: V128, b: V128) -> V128 {
    zip(a, b, i16::wrapping_mul)
}

pub(crate) fn i16x8_min_s(a: V128, b: V128) -> V128 {
    zip(a, b, i16::min)
}

pub(crate) fn i16x8_min_u(a: V128, b: V128) -> V128 {
    zip(a, b, u16::min)
}

pub(crate) fn i16x8_max_s(a: V128, b: V128) -> V128 {
    zip(a, b, i16::max)
}

pub(crate) fn i16x8_max_u(a: V128, b: V128) -> V128 {
    zip(a, b, u16::max)
}

/// Unsigned average rounding up: `(a + b + 1) / 2` without overflow.
pub(crate) fn i16x8_avgr_u(a: V128, b: V128) -> V128 {
    zip(a, b, |x: u16, y| ((u32::from(x) + u32::from(y) + 1) >> 1) as u16)
}

pub(crate) fn i16x8_abs(v: V128) -> V128 {
    map(v, i16::wrapping_abs)
}

pub(crate) fn i16x8_neg(v: V128) -> V128 {
    map(v, i16::wrapping_neg)
}

/// The Q15 fixed-point product rounded to nearest (ties up), saturated:
/// `sat((a * b + 0x4000) >> 15)`. Only `-32768 * -32768` saturates.
pub(crate) fn i16x8_q15mulr_sat_s(a: V128, b: V128) -> V128 {
    zip(a, b, q15mulr_sat)
}

pub(super) fn q15mulr_sat(x: i16, y: i16) -> i16 {
    let product = (i32::from(x) * i32::from(y) + 0x4000) >> 15;
    product.clamp(i16::MIN.into(), i16::MAX.into()) as i16
}

pub(crate) fn i16x8_shl(v: V128, n: u32) -> V128 {
    map(v, |x: i16| x.wrapping_shl(n))
}

pub(crate) fn i16x8_shr_s(v: V128, n: u32) -> V128 {
    map(v, |x: i16| x.wrapping_shr(n))
}

pub(crate) fn i16x8_shr_u(v: V128, n: u32) -> V128 {
    map(v, |x: u16| x.wrapping_shr(n))
}

// i32x4

pub(crate) fn i32x4_add(a: V128, b: V128) -> V128 {
    zip(a, b, i32::wrapping_add)
}

pub(crate) fn i32x4_sub(a: V128, b: V128) -> V128 {
    zip(a, b, i32::wrapping_sub)
}

pub(crate) fn i32x4_mul(a: V128, b: V128) -> V128 {
    zip(a, b, i32::wrapping_mul)
}

pub(crate) fn i32x4_min_s(a: V128, b: V128) -> V128 {
    zip(a, b, i32::min)
}

pub(crate) fn i32x4_min_u(a: V128, b: V128) -> V128 {
    zip(a, b, u32::min)
}

pub(crate) fn i32x4_max_s(a: V128, b: V128) -> V128 {
    zip(a, b, i32::max)
}

pub(crate) fn i32x4_max_u(a: V128, b: V128) -> V128 {
    zip(a, b, u32::max)
}

pub(crate) fn i32x4_abs(v: V128) -> V128 {
    map(v, i32::wrapping_abs)
}

pub(crate) fn i32x4_neg(v: V128) -> V128 {
    map(v, i32::wrapping_neg)
}

pub(crate) fn i32x4_shl(v: V128, n: u32) -> V128 {
    map(v, |x: i32| x.wrapping_shl(n))
}

pub(crate) fn i32x4_shr_s(v: V128, n: u32) -> V128 {
    map(v, |x: i32| x.wrapping_shr(n))
}

pub(crate) fn i32x4_shr_u(v: V128, n: u32) -> V128 {
    map(v, |x: u32| x.wrapping_shr(n))
}

// i64x2

pub(crate) fn i64x2_add(a: V128, b: V128) -> V128 {
    zip(a, b, i64::wrapping_add)
}

pub(crate) fn i64x2_sub(a: V128, b: V128) -> V128 {
    zip(a, b, i64::wrapping_sub)
}

pub(crate) fn i64x2_mul(a: V128, b: V128) -> V128 {
    zip(a, b, i64::wrapping_mul)
}

pub(crate) fn i64x2_abs(v: V128) -> V128 {
    map(v, i64::wrapping_abs)
}

pub(crate) fn i64x2_neg(v: V128) -> V128 {
    map(v, i64::wrapping_neg)
}

pub(crate) fn i64x2_shl(v: V128, n: u32) -> V128 {
    map(v, |x: i64| x.wrapping_shl(n))
}

pub(crate) fn i64x2_shr_s(v: V128, n: u32) -> V128 {
    map(v, |x: i64| x.wrapping_shr(n))
}

pub(crate) fn i64x2_shr_u(v: V128, n: u32) -> V128 {
    map(v, |x: u64| x.wrapping_shr(n))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn i8s(l: [i8; 16]) -> V128 {
        V128::from_i8x16(l)
    }

    fn u8s(l: [u8; 16]) -> V128 {
        V128::from_le_bytes(l)
    }

    fn i16s(l: [i16; 8]) -> V128 {
        V128::from_i16x8(l)
    }

    fn u16s(v: V128) -> [u16; 8] {
        v.to_i16x8().map(|l| l as u16)
    }

    /// A vector with `head` in its first lanes and zeros after.
    fn i8_head(head: &[i8]) -> V128 {
        let mut l = [0; 16];
        l[..head.len()].copy_from_slice(head);
        i8s(l)
    }

    #[test]
    fn i8_wrapping_and_saturating() {
        let a = i8_head(&[127, -128, 100, -100, 1, -1]);
        let b = i8_head(&[1, -1, 100, -100, -1, 1]);
        assert_eq!(&i8x16_add(a, b).to_i8x16()[..6], [-128, 127, -56, 56, 0, 0]);
        assert_eq!(&i8x16_add_sat_s(a, b).to_i8x16()[..6], [127, -128, 127, -128, 0, 0]);
        assert_eq!(&i8x16_sub(a, b).to_i8x16()[..6], [126, -127, 0, 0, 2, -2]);
        assert_eq!(&i8x16_sub_sat_s(b, a).to_i8x16()[..6], [-126, 127, 0, 0, -2, 2]);
        assert_eq!(i8x16_sub_sat_s(i8_head(&[-128]), i8_head(&[1])).to_i8x16()[0], -128);
        // Unsigned: 0xff + 1 saturates at 0xff, 1 - 0xff at 0.
        let a = u8s([0xff, 1, 200, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        let b = u8s([1, 0xff, 100, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        assert_eq!(&i8x16_add_sat_u(a, b).to_le_bytes()[..3], [0xff, 0xff, 0xff]);
        assert_eq!(&i8x16_sub_sat_u(a, b).to_le_bytes()[..3], [0xfe, 0, 100]);
        assert_eq!(&i8x16_add(a, b).to_le_bytes()[..3], [0, 0, 44]);
    }

    #[test]
    fn i16_wrapping_and_saturating() {
        let a = i16s([i16::MAX, i16::MIN, 30000, -30000, 300, -1, 0, 2]);
        let b = i16s([1, -1, 30000, 30000, 300, -1, 0, 3]);
        assert_eq!(i16x8_add(a, b).to_i16x8(), [i16::MIN, i16::MAX, -5536, 0, 600, -2, 0, 5]);
        assert_eq!(
            i16x8_add_sat_s(a, b).to_i16x8(),
            [i16::MAX, i16::MIN, i16::MAX, 0, 600, -2, 0, 5]
        );
        assert_eq!(
            i16x8_sub_sat_s(a, b).to_i16x8(),
            [32766, i16::MIN + 1, 0, i16::MIN, 0, 0, 0, -1]
        );
        assert_eq!(i16x8_mul(a, b).to_i16x8(), [i16::MAX, i16::MIN, -5888, 5888, 24464, 1, 0, 6]);
        // Unsigned views of the same bits: 0x7fff + 1, 0x8000 + 0xffff, ...
        assert_eq!(u16s(i16x8_add_sat_u(a, b)), [0x8000, 0xffff, 60000, 65535, 600, 65535, 0, 5]);
        assert_eq!(u16s(i16x8_sub_sat_u(a, b)), [0x7ffe, 0, 0, 5536, 0, 0, 0, 0]);
    }

    #[test]
    fn wide_lanes_wrap() {
        let a = V128::from_i32x4([i32::MAX, i32::MIN, 0x10000, -7]);
        let b = V128::from_i32x4([1, 1, 0x10000, 3]);
        assert_eq!(i32x4_add(a, b).to_i32x4(), [i32::MIN, i32::MIN + 1, 0x20000, -4]);
        assert_eq!(i32x4_sub(a, b).to_i32x4(), [i32::MAX - 1, i32::MAX, 0, -10]);
        assert_eq!(i32x4_mul(a, b).to_i32x4(), [i32::MAX, i32::MIN, 0, -21]);
        let a = V128::from_i64x2([i64::MAX, 0x1_0000_0001]);
        let b = V128::from_i64x2([2, 0x1_0000_0001]);
        assert_eq!(i64x2_add(a, b).to_i64x2(), [i64::MIN + 1, 0x2_0000_0002]);
        assert_eq!(i64x2_sub(b, a).to_i64x2(), [i64::MIN + 3, 0]);
        assert_eq!(i64x2_mul(a, b).to_i64x2(), [-2, 0x2_0000_0001]);
    }

    #[test]
    fn min_max_signed_and_unsigned() {
        let a = i8_head(&[-1, 5, -128, 127]);
        let b = i8_head(&[1, 5, 0, -128]);
        assert_eq!(&i8x16_min_s(a, b).to_i8x16()[..4], [-1, 5, -128, -128]);
        assert_eq!(&i8x16_max_s(a, b).to_i8x16()[..4], [1, 5, 0, 127]);
        // Unsigned: -1 is 255, -128 is 128.
        assert_eq!(&i8x16_min_u(a, b).to_i8x16()[..4], [1, 5, 0, 127]);
        assert_eq!(&i8x16_max_u(a, b).to_i8x16()[..4], [-1, 5, -128, -128]);
        let a = i16s([-1, 1, i16::MIN, 0, 0, 0, 0, 0]);
        let b = i16s([1, -1, i16::MAX, 0, 0, 0, 0, 0]);
        assert_eq!(i16x8_min_s(a, b).to_i16x8()[..3], [-1, -1, i16::MIN]);
        assert_eq!(i16x8_max_s(a, b).to_i16x8()[..3], [1, 1, i16::MAX]);
        assert_eq!(i16x8_min_u(a, b).to_i16x8()[..3], [1, 1, i16::MAX]);
        assert_eq!(i16x8_max_u(a, b).to_i16x8()[..3], [-1, -1, i16::MIN]);
        let a = V128::from_i32x4([-1, 1, i32::MIN, 7]);
        let b = V128::from_i32x4([1, -1, i32::MAX, 7]);
        assert_eq!(i32x4_min_s(a, b).to_i32x4(), [-1, -1, i32::MIN, 7]);
        assert_eq!(i32x4_max_s(a, b).to_i32x4(), [1, 1, i32::MAX, 7]);
        assert_eq!(i32x4_min_u(a, b).to_i32x4(), [1, 1, i32::MAX, 7]);
        assert_eq!(i32x4_max_u(a, b).to_i32x4(), [-1, -1, i32::MIN, 7]);
    }

    #[test]
    fn avgr_u_rounds_up_without_overflow() {
        let a = u8s([255, 0, 1, 2, 254, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        let b = u8s([255, 1, 2, 2, 255, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        assert_eq!(&i8x16_avgr_u(a, b).to_le_bytes()[..5], [255, 1, 2, 2, 255]);
        let a = V128::from_i16x8([-1, 0, 3, 0, 0, 0, 0, 0]);
        let b = V128::from_i16x8([-1, 1, 6, 0, 0, 0, 0, 0]);
        assert_eq!(&u16s(i16x8_avgr_u(a, b))[..3], [0xffff, 1, 5]);
    }

    #[test]
    fn abs_neg_of_minimum_wrap() {
        let v = i8_head(&[i8::MIN, -1, 1, i8::MAX]);
        assert_eq!(&i8x16_abs(v).to_i8x16()[..4], [i8::MIN, 1, 1, i8::MAX]);
        assert_eq!(&i8x16_neg(v).to_i8x16()[..4], [i8::MIN, 1, -1, -i8::MAX]);
        let v = i16s([i16::MIN, -2, 2, 0, 0, 0, 0, 0]);
        assert_eq!(i16x8_abs(v).to_i16x8()[..3], [i16::MIN, 2, 2]);
        assert_eq!(i16x8_neg(v).to_i16x8()[..3], [i16::MIN, 2, -2]);
        let v = V128::from_i32x4([i32::MIN, -3, 3, 0]);
        assert_eq!(i32x4_abs(v).to_i32x4(), [i32::MIN, 3, 3, 0]);
        assert_eq!(i32x4_neg(v).to_i32x4(), [i32::MIN, 3, -3, 0]);
        let v = V128::from_i64x2([i64::MIN, -4]);
        assert_eq!(i64x2_abs(v).to_i64x2(), [i64::MIN, 4]);
        assert_eq!(i64x2_neg(v).to_i64x2(), [i64::MIN, 4]);
    }

    #[test]
    fn popcnt_counts_bits_per_byte() {
        let v = u8s([0, 1, 3, 0x80, 0xff, 0x55, 0xf0, 7, 0, 0, 0, 0, 0, 0, 0, 0xfe]);
        assert_eq!(i8x16_popcnt(v).to_le_bytes(), [0, 1, 2, 1, 8, 4, 4, 3, 0, 0, 0, 0, 0, 0, 0, 7]);
    }

    #[test]
    fn q15mulr_rounds_and_saturates() {
        let a = i16s([i16::MIN, i16::MIN, 0x4000, 0x4000, -0x4000, 1, 0x7fff, 3]);
        let b = i16s([i16::MIN, i16::MAX, 0x4000, 1, 1, 0x4000, 0x7fff, -0x4000]);
        // 0x4000 * 1 = 0x4000: (0x4000 + 0x4000) >> 15 = 1 (half rounds up);
        // -0x4000 * 1: (-0x4000 + 0x4000) >> 15 = 0; 3 * -0x4000 = -0xc000,
        // (-0xc000 + 0x4000) >> 15 = -1.
        assert_eq!(
            i16x8_q15mulr_sat_s(a, b).to_i16x8(),
            [i16::MAX, -i16::MAX, 0x2000, 1, 0, 1, 0x7ffe, -1]
        );
    }

    #[test]
    fn shifts_take_count_modulo_lane_width() {
        let v = i8_head(&[1, -128, -2, 0x40]);
        assert_eq!(&i8x16_shl(v, 1).to_i8x16()[..4], [2, 0, -4, -128]);
        assert_eq!(&i8x16_shl(v, 9).to_i8x16()[..4], [2, 0, -4, -128]);
        assert_eq!(&i8x16_shl(v, 8).to_i8x16()[..4], [1, -128, -2, 0x40]);
        assert_eq!(&i8x16_shr_s(v, 7).to_i8x16()[..4], [0, -1, -1, 0]);
        assert_eq!(&i8x16_shr_s(v, 0xffff_ffff).to_i8x16()[..4], [0, -1, -1, 0]);
        assert_eq!(&i8x16_shr_u(v, 7).to_i8x16()[..4], [0, 1, 1, 0]);
        assert_eq!(&i8x16_shr_u(v, 15).to_i8x16()[..4], [0, 1, 1, 0]);

        let v = i16s([1, i16::MIN, -2, 0x4000, 0, 0, 0, 0]);
        assert_eq!(i16x8_shl(v, 17).to_i16x8()[..4], [2, 0, -4, i16::MIN]);
        assert_eq!(i16x8_shr_s(v, 31).to_i16x8()[..4], [0, -1, -1, 0]);
        assert_eq!(u16s(i16x8_shr_u(v, 16 + 15))[..4], [0, 1, 1, 0]);

        let v = V128::from_i32x4([1, i32::MIN, -2, 3]);
        assert_eq!(i32x4_shl(v, 32).to_i32x4(), [1, i32::MIN, -2, 3]);
        assert_eq!(i32x4_shl(v, 33).to_i32x4(), [2, 0, -4, 6]);
        assert_eq!(i32x4_shr_s(v, 63).to_i32x4(), [0, -1, -1, 0]);
        assert_eq!(i32x4_shr_u(v, 31).to_i32x4(), [0, 1, 1, 0]);

        let v = V128::from_i64x2([-2, i64::MIN]);
        assert_eq!(i64x2_shl(v, 65).to_i64x2(), [-4, 0]);
        assert_eq!(i64x2_shr_s(v, 64 + 63).to_i64x2(), [-1, -1]);
        assert_eq!(i64x2_shr_u(v, 63).to_i64x2(), [1, 1]);
        assert_eq!(i64x2_shr_u(v, 64).to_i64x2(), [-2, i64::MIN]);
    }
}

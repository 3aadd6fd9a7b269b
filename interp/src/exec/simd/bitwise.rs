//! Whole-vector bit operations (`v128.not` ... `v128.bitselect`) and the
//! tests that reduce a vector to an `i32`: `v128.any_true`, `*.all_true` and
//! `*.bitmask`.

use super::shape::Lane;
use crate::V128;

fn bits(f: impl Fn(u128) -> u128, v: V128) -> V128 {
    V128::from_u128(f(v.as_u128()))
}

pub(crate) fn v128_not(a: V128) -> V128 {
    bits(|a| !a, a)
}

pub(crate) fn v128_and(a: V128, b: V128) -> V128 {
    bits(|a| a & b.as_u128(), a)
}

/// `a & !b`.
pub(crate) fn v128_andnot(a: V128, b: V128) -> V128 {
    bits(|a| a & !b.as_u128(), a)
}

pub(crate) fn v128_or(a: V128, b: V128) -> V128 {
    bits(|a| a | b.as_u128(), a)
}

pub(crate) fn v128_xor(a: V128, b: V128) -> V128 {
    bits(|a| a ^ b.as_u128(), a)
}

/// Each bit from `a` where the same bit of `mask` is set, else from `b`.
pub(crate) fn v128_bitselect(a: V128, b: V128, mask: V128) -> V128 {
    let m = mask.as_u128();
    V128::from_u128(a.as_u128() & m | b.as_u128() & !m)
}

/// 1 if any bit is set.
pub(crate) fn v128_any_true(v: V128) -> u32 {
    u32::from(v.as_u128() != 0)
}

fn all_true<L: Lane + Default + PartialEq>(v: V128) -> u32 {
    u32::from(L::split(v).as_ref().iter().all(|&l| l != L::default()))
}

pub(crate) fn i8x16_all_true(v: V128) -> u32 {
    all_true::<u8>(v)
}

pub(crate) fn i16x8_all_true(v: V128) -> u32 {
    all_true::<u16>(v)
}

pub(crate) fn i32x4_all_true(v: V128) -> u32 {
    all_true::<u32>(v)
}

pub(crate) fn i64x2_all_true(v: V128) -> u32 {
    all_true::<u64>(v)
}

/// Bit `i` of the result is the sign bit of lane `i`.
fn bitmask<L: Lane + Default + PartialOrd>(v: V128) -> u32 {
    L::split(v)
        .as_ref()
        .iter()
        .enumerate()
        .fold(0, |mask, (i, &l)| mask | u32::from(l < L::default()) << i)
}

pub(crate) fn i8x16_bitmask(v: V128) -> u32 {
    bitmask::<i8>(v)
}

pub(crate) fn i16x8_bitmask(v: V128) -> u32 {
    bitmask::<i16>(v)
}

pub(crate) fn i32x4_bitmask(v: V128) -> u32 {
    bitmask::<i32>(v)
}

pub(crate) fn i64x2_bitmask(v: V128) -> u32 {
    bitmask::<i64>(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: V128 = V128::from_u128(0xff00_f0f0_1234_5678_0000_ffff_aaaa_5555);
    const B: V128 = V128::from_u128(0x0f0f_ff00_ffff_0000_8765_4321_5555_5555);

    #[test]
    fn bit_operations() {
        let (a, b) = (A.as_u128(), B.as_u128());
        assert_eq!(v128_not(A).as_u128(), !a);
        assert_eq!(v128_and(A, B).as_u128(), a & b);
        assert_eq!(v128_or(A, B).as_u128(), a | b);
        assert_eq!(v128_xor(A, B).as_u128(), a ^ b);
        // andnot clears the bits set in its second operand, not its first.
        assert_eq!(v128_andnot(A, B).as_u128(), 0xf000_00f0_0000_5678_0000_bcde_aaaa_0000);
        assert_eq!(v128_andnot(A, V128::from_u128(0)), A);
    }

    #[test]
    fn bitselect_takes_first_operand_where_mask_is_set() {
        let mask = V128::from_u128(0xffff_ffff_0000_0000_f0f0_f0f0_0000_ffff);
        assert_eq!(v128_bitselect(A, B, mask).as_u128(), 0xff00_f0f0_ffff_0000_0705_f3f1_5555_5555);
        assert_eq!(v128_bitselect(A, B, V128::from_u128(u128::MAX)), A);
        assert_eq!(v128_bitselect(A, B, V128::from_u128(0)), B);
    }

    #[test]
    fn any_and_all_true() {
        assert_eq!(v128_any_true(V128::from_u128(0)), 0);
        assert_eq!(v128_any_true(V128::from_u128(1 << 127)), 1);
        // One zero byte makes i8x16.all_true false but not the wider shapes.
        let one_zero_byte = V128::from_u128(0x0101_0101_0101_0101_0101_0101_0101_0001);
        assert_eq!(i8x16_all_true(one_zero_byte), 0);
        assert_eq!(i16x8_all_true(one_zero_byte), 1);
        let one_zero_half = V128::from_i16x8([1, 1, 1, 1, 1, 0, 1, 1]);
        assert_eq!(i16x8_all_true(one_zero_half), 0);
        assert_eq!(i32x4_all_true(one_zero_half), 1);
        assert_eq!(i32x4_all_true(V128::from_i32x4([1, 1, 0, 1])), 0);
        assert_eq!(i64x2_all_true(V128::from_i32x4([1, 0, 0, 1])), 1);
        assert_eq!(i64x2_all_true(V128::from_i64x2([i64::MIN, 0])), 0);
        assert_eq!(i8x16_all_true(V128::from_u128(u128::MAX)), 1);
    }

    #[test]
    fn bitmask_bit_i_is_sign_of_lane_i() {
        let mut lanes = [0i8; 16];
        lanes[0] = -1;
        lanes[3] = i8::MIN;
        lanes[15] = -128;
        lanes[4] = i8::MAX;
        assert_eq!(i8x16_bitmask(V128::from_i8x16(lanes)), 0b1000_0000_0000_1001);
        assert_eq!(i16x8_bitmask(V128::from_i16x8([0, -1, 0, 0, 0, 0, 1, i16::MIN])), 0b1000_0010);
        assert_eq!(i32x4_bitmask(V128::from_i32x4([-5, 5, i32::MAX, -1])), 0b1001);
        assert_eq!(i64x2_bitmask(V128::from_i64x2([1, -1])), 0b10);
        assert_eq!(i8x16_bitmask(V128::from_u128(u128::MAX)), 0xffff);
    }
}

//! Lane-wise comparisons. Each result lane is all ones where the comparison
//! holds and zero where it does not; a float comparison with a NaN operand
//! holds only for `ne`.

use super::shape::compare;
use crate::V128;

// i8x16

pub(crate) fn i8x16_eq(a: V128, b: V128) -> V128 {
    compare::<i8, i8>(a, b, |x, y| x == y)
}

pub(crate) fn i8x16_ne(a: V128, b: V128) -> V128 {
    compare::<i8, i8>(a, b, |x, y| x != y)
}

pub(crate) fn i8x16_lt_s(a: V128, b: V128) -> V128 {
    compare::<i8, i8>(a, b, |x, y| x < y)
}

pub(crate) fn i8x16_lt_u(a: V128, b: V128) -> V128 {
    compare::<u8, i8>(a, b, |x, y| x < y)
}

pub(crate) fn i8x16_gt_s(a: V128, b: V128) -> V128 {
    compare::<i8, i8>(a, b, |x, y| x > y)
}

pub(crate) fn i8x16_gt_u(a: V128, b: V128) -> V128 {
    compare::<u8, i8>(a, b, |x, y| x > y)
}

pub(crate) fn i8x16_le_s(a: V128, b: V128) -> V128 {
    compare::<i8, i8>(a, b, |x, y| x <= y)
}

pub(crate) fn i8x16_le_u(a: V128, b: V128) -> V128 {
    compare::<u8, i8>(a, b, |x, y| x <= y)
}

pub(crate) fn i8x16_ge_s(a: V128, b: V128) -> V128 {
    compare::<i8, i8>(a, b, |x, y| x >= y)
}

pub(crate) fn i8x16_ge_u(a: V128, b: V128) -> V128 {
    compare::<u8, i8>(a, b, |x, y| x >= y)
}

// i16x8

pub(crate) fn i16x8_eq(a: V128, b: V128) -> V128 {
    compare::<i16, i16>(a, b, |x, y| x == y)
}

pub(crate) fn i16x8_ne(a: V128, b: V128) -> V128 {
    compare::<i16, i16>(a, b, |x, y| x != y)
}

pub(crate) fn i16x8_lt_s(a: V128, b: V128) -> V128 {
    compare::<i16, i16>(a, b, |x, y| x < y)
}

pub(crate) fn i16x8_lt_u(a: V128, b: V128) -> V128 {
    compare::<u16, i16>(a, b, |x, y| x < y)
}

pub(crate) fn i16x8_gt_s(a: V128, b: V128) -> V128 {
    compare::<i16, i16>(a, b, |x, y| x > y)
}

pub(crate) fn i16x8_gt_u(a: V128, b: V128) -> V128 {
    compare::<u16, i16>(a, b, |x, y| x > y)
}

pub(crate) fn i16x8_le_s(a: V128, b: V128) -> V128 {
    compare::<i16, i16>(a, b, |x, y| x <= y)
}

pub(crate) fn i16x8_le_u(a: V128, b: V128) -> V128 {
    compare::<u16, i16>(a, b, |x, y| x <= y)
}

pub(crate) fn i16x8_ge_s(a: V128, b: V128) -> V128 {
    compare::<i16, i16>(a, b, |x, y| x >= y)
}

pub(crate) fn i16x8_ge_u(a: V128, b: V128) -> V128 {
    compare::<u16, i16>(a, b, |x, y| x >= y)
}

// i32x4

pub(crate) fn i32x4_eq(a: V128, b: V128) -> V128 {
    compare::<i32, i32>(a, b, |x, y| x == y)
}

pub(crate) fn i32x4_ne(a: V128, b: V128) -> V128 {
    compare::<i32, i32>(a, b, |x, y| x != y)
}

pub(crate) fn i32x4_lt_s(a: V128, b: V128) -> V128 {
    compare::<i32, i32>(a, b, |x, y| x < y)
}

pub(crate) fn i32x4_lt_u(a: V128, b: V128) -> V128 {
    compare::<u32, i32>(a, b, |x, y| x < y)
}

pub(crate) fn i32x4_gt_s(a: V128, b: V128) -> V128 {
    compare::<i32, i32>(a, b, |x, y| x > y)
}

pub(crate) fn i32x4_gt_u(a: V128, b: V128) -> V128 {
    compare::<u32, i32>(a, b, |x, y| x > y)
}

pub(crate) fn i32x4_le_s(a: V128, b: V128) -> V128 {
    compare::<i32, i32>(a, b, |x, y| x <= y)
}

pub(crate) fn i32x4_le_u(a: V128, b: V128) -> V128 {
    compare::<u32, i32>(a, b, |x, y| x <= y)
}

pub(crate) fn i32x4_ge_s(a: V128, b: V128) -> V128 {
    compare::<i32, i32>(a, b, |x, y| x >= y)
}

pub(crate) fn i32x4_ge_u(a: V128, b: V128) -> V128 {
    compare::<u32, i32>(a, b, |x, y| x >= y)
}

// i64x2 (signed only)

pub(crate) fn i64x2_eq(a: V128, b: V128) -> V128 {
    compare::<i64, i64>(a, b, |x, y| x == y)
}

pub(crate) fn i64x2_ne(a: V128, b: V128) -> V128 {
    compare::<i64, i64>(a, b, |x, y| x != y)
}

pub(crate) fn i64x2_lt_s(a: V128, b: V128) -> V128 {
    compare::<i64, i64>(a, b, |x, y| x < y)
}

pub(crate) fn i64x2_gt_s(a: V128, b: V128) -> V128 {
    compare::<i64, i64>(a, b, |x, y| x > y)
}

pub(crate) fn i64x2_le_s(a: V128, b: V128) -> V128 {
    compare::<i64, i64>(a, b, |x, y| x <= y)
}

pub(crate) fn i64x2_ge_s(a: V128, b: V128) -> V128 {
    compare::<i64, i64>(a, b, |x, y| x >= y)
}

// f32x4

pub(crate) fn f32x4_eq(a: V128, b: V128) -> V128 {
    compare::<f32, i32>(a, b, |x, y| x == y)
}

pub(crate) fn f32x4_ne(a: V128, b: V128) -> V128 {
    compare::<f32, i32>(a, b, |x, y| x != y)
}

pub(crate) fn f32x4_lt(a: V128, b: V128) -> V128 {
    compare::<f32, i32>(a, b, |x, y| x < y)
}

pub(crate) fn f32x4_gt(a: V128, b: V128) -> V128 {
    compare::<f32, i32>(a, b, |x, y| x > y)
}

pub(crate) fn f32x4_le(a: V128, b: V128) -> V128 {
    compare::<f32, i32>(a, b, |x, y| x <= y)
}

pub(crate) fn f32x4_ge(a: V128, b: V128) -> V128 {
    compare::<f32, i32>(a, b, |x, y| x >= y)
}

// f64x2

pub(crate) fn f64x2_eq(a: V128, b: V128) -> V128 {
    compare::<f64, i64>(a, b, |x, y| x == y)
}

pub(crate) fn f64x2_ne(a: V128, b: V128) -> V128 {
    compare::<f64, i64>(a, b, |x, y| x != y)
}

pub(crate) fn f64x2_lt(a: V128, b: V128) -> V128 {
    compare::<f64, i64>(a, b, |x, y| x < y)
}

pub(crate) fn f64x2_gt(a: V128, b: V128) -> V128 {
    compare::<f64, i64>(a, b, |x, y| x > y)
}

pub(crate) fn f64x2_le(a: V128, b: V128) -> V128 {
    compare::<f64, i64>(a, b, |x, y| x <= y)
}

pub(crate) fn f64x2_ge(a: V128, b: V128) -> V128 {
    compare::<f64, i64>(a, b, |x, y| x >= y)
}

#[cfg(test)]
mod tests {
    use super::*;

    type Cmp = fn(V128, V128) -> V128;

    /// Runs comparisons on `a` and `b` and gives each result as one bool
    /// per lane, checking that every lane is all ones or all zeros.
    fn truth<const N: usize>(ops: &[Cmp], a: V128, b: V128) -> Vec<[bool; N]> {
        let width = 128 / N;
        let lane_ones = u128::MAX >> (128 - width);
        ops.iter()
            .map(|op| {
                let r = op(a, b).as_u128();
                std::array::from_fn(|i| match (r >> (i * width)) & lane_ones {
                    0 => false,
                    l if l == lane_ones => true,
                    l => panic!("lane {i} is {l:#x}, neither all ones nor zero"),
                })
            })
            .collect()
    }

    const T: bool = true;
    const F: bool = false;

    #[test]
    fn i8_signed_and_unsigned_orders() {
        let ops: [Cmp; 10] = [
            i8x16_eq, i8x16_ne, i8x16_lt_s, i8x16_lt_u, i8x16_gt_s, i8x16_gt_u, i8x16_le_s,
            i8x16_le_u, i8x16_ge_s, i8x16_ge_u,
        ];
        // Lanes: -1 vs 1 (signed less, unsigned greater), equal, 127 vs -128.
        let mut a = [0i8; 16];
        let mut b = [0i8; 16];
        (a[0], b[0]) = (-1, 1);
        (a[1], b[1]) = (5, 5);
        (a[2], b[2]) = (127, -128);
        let r = truth::<16>(&ops, V128::from_i8x16(a), V128::from_i8x16(b));
        let lanes = |i: usize| r.iter().map(|l| l[i]).collect::<Vec<_>>();
        assert_eq!(lanes(0), [F, T, T, F, F, T, T, F, F, T]);
        assert_eq!(lanes(1), [T, F, F, F, F, F, T, T, T, T]);
        assert_eq!(lanes(2), [F, T, F, T, T, F, F, T, T, F]);
        assert_eq!(lanes(15), lanes(1));
    }

    #[test]
    fn wider_signed_and_unsigned_orders() {
        let ops: [Cmp; 10] = [
            i16x8_eq, i16x8_ne, i16x8_lt_s, i16x8_lt_u, i16x8_gt_s, i16x8_gt_u, i16x8_le_s,
            i16x8_le_u, i16x8_ge_s, i16x8_ge_u,
        ];
        let a = V128::from_i16x8([-1, 7, i16::MAX, 0, 0, 0, 0, 0]);
        let b = V128::from_i16x8([1, 7, i16::MIN, 0, 0, 0, 0, 0]);
        let r = truth::<8>(&ops, a, b);
        let lanes = |i: usize| r.iter().map(|l| l[i]).collect::<Vec<_>>();
        assert_eq!(lanes(0), [F, T, T, F, F, T, T, F, F, T]);
        assert_eq!(lanes(1), [T, F, F, F, F, F, T, T, T, T]);
        assert_eq!(lanes(2), [F, T, F, T, T, F, F, T, T, F]);

        let ops: [Cmp; 10] = [
            i32x4_eq, i32x4_ne, i32x4_lt_s, i32x4_lt_u, i32x4_gt_s, i32x4_gt_u, i32x4_le_s,
            i32x4_le_u, i32x4_ge_s, i32x4_ge_u,
        ];
        let a = V128::from_i32x4([-1, 7, i32::MAX, 0]);
        let b = V128::from_i32x4([1, 7, i32::MIN, 0]);
        let r = truth::<4>(&ops, a, b);
        let lanes = |i: usize| r.iter().map(|l| l[i]).collect::<Vec<_>>();
        assert_eq!(lanes(0), [F, T, T, F, F, T, T, F, F, T]);
        assert_eq!(lanes(1), [T, F, F, F, F, F, T, T, T, T]);
        assert_eq!(lanes(2), [F, T, F, T, T, F, F, T, T, F]);

        let ops: [Cmp; 6] = [i64x2_eq, i64x2_ne, i64x2_lt_s, i64x2_gt_s, i64x2_le_s, i64x2_ge_s];
        let r = truth::<2>(&ops, V128::from_i64x2([-1, 3]), V128::from_i64x2([1, 3]));
        let lanes = |i: usize| r.iter().map(|l| l[i]).collect::<Vec<_>>();
        assert_eq!(lanes(0), [F, T, T, F, T, F]);
        assert_eq!(lanes(1), [T, F, F, F, T, T]);
        let r = truth::<2>(&ops, V128::from_i64x2([i64::MIN, 0]), V128::from_i64x2([i64::MAX, 0]));
        assert_eq!(r.iter().map(|l| l[0]).collect::<Vec<_>>(), [F, T, T, F, T, F]);
    }

    #[test]
    fn float_comparisons_with_nan_and_zeros() {
        let ops: [Cmp; 6] = [f32x4_eq, f32x4_ne, f32x4_lt, f32x4_gt, f32x4_le, f32x4_ge];
        // NaN vs NaN (same bits), -0 vs +0, 1 vs 2, -inf vs NaN.
        let a = V128::from_f32x4([f32::NAN, -0.0, 1.0, f32::NEG_INFINITY]);
        let b = V128::from_f32x4([f32::NAN, 0.0, 2.0, -f32::NAN]);
        let r = truth::<4>(&ops, a, b);
        let lanes = |i: usize| r.iter().map(|l| l[i]).collect::<Vec<_>>();
        assert_eq!(lanes(0), [F, T, F, F, F, F]);
        assert_eq!(lanes(1), [T, F, F, F, T, T]);
        assert_eq!(lanes(2), [F, T, T, F, T, F]);
        assert_eq!(lanes(3), [F, T, F, F, F, F]);

        let ops: [Cmp; 6] = [f64x2_eq, f64x2_ne, f64x2_lt, f64x2_gt, f64x2_le, f64x2_ge];
        let a = V128::from_f64x2([f64::NAN, f64::INFINITY]);
        let b = V128::from_f64x2([0.0, f64::MAX]);
        let r = truth::<2>(&ops, a, b);
        let lanes = |i: usize| r.iter().map(|l| l[i]).collect::<Vec<_>>();
        assert_eq!(lanes(0), [F, T, F, F, F, F]);
        assert_eq!(lanes(1), [F, T, F, T, F, T]);
        let r = truth::<2>(&ops, V128::from_f64x2([0.0, 1.0]), V128::from_f64x2([-0.0, 1.0]));
        assert_eq!(r.iter().map(|l| l[0]).collect::<Vec<_>>(), [T, F, F, F, T, T]);
    }
}

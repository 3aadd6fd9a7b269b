//! Operators between integer shapes of different widths: `narrow`,
//! `extend_low/high`, `extmul_low/high`, `extadd_pairwise` and `dot`.
//!
//! Lane order follows the spec: a `low` operator reads the lower half of its
//! input's lanes (lane 0 up), a `high` one the upper half; `narrow` puts the
//! first operand's lanes below the second's; pairwise operators combine
//! lanes `2i` and `2i + 1` into result lane `i`.

use super::shape::Lane;
use crate::V128;

/// Which half of the narrow lanes an `extend` or `extmul` reads.
#[derive(Copy, Clone)]
enum Half {
    Low,
    High,
}

/// Result lane `i` is `f` of lane `i` of the chosen half of `v`.
#[inline(always)]
fn widen<N: Lane, W: Lane>(v: V128, half: Half, f: impl Fn(N) -> W) -> V128 {
    widen2(v, v, half, |x, _| f(x))
}

/// Result lane `i` is `f` of lane `i` of the chosen halves of `a` and `b`.
#[inline(always)]
fn widen2<N: Lane, W: Lane>(a: V128, b: V128, half: Half, f: impl Fn(N, N) -> W) -> V128 {
    let (a, b) = (N::split(a), N::split(b));
    let mut out = W::split(V128::from_u128(0));
    let len = out.as_ref().len();
    let from = match half {
        Half::Low => 0,
        Half::High => len,
    };
    let pairs = a.as_ref()[from..from + len].iter().zip(&b.as_ref()[from..from + len]);
    for (o, (&x, &y)) in out.as_mut().iter_mut().zip(pairs) {
        *o = f(x, y);
    }
    W::join(out)
}

/// Result lane `i` is `f` of lanes `2i` and `2i + 1` of `a` and of `b`.
#[inline(always)]
fn pairwise2<N: Lane, W: Lane>(a: V128, b: V128, f: impl Fn([N; 2], [N; 2]) -> W) -> V128 {
    let (a, b) = (N::split(a), N::split(b));
    let mut out = W::split(V128::from_u128(0));
    let pairs = a.as_ref().chunks_exact(2).zip(b.as_ref().chunks_exact(2));
    for (o, (x, y)) in out.as_mut().iter_mut().zip(pairs) {
        *o = f([x[0], x[1]], [y[0], y[1]]);
    }
    W::join(out)
}

/// Result lanes are `f` of `a`'s lanes, then `f` of `b`'s.
#[inline(always)]
fn narrow<W: Lane, N: Lane>(a: V128, b: V128, f: impl Fn(W) -> N) -> V128 {
    let (a, b) = (W::split(a), W::split(b));
    let mut out = N::split(V128::from_u128(0));
    for (o, &x) in out.as_mut().iter_mut().zip(a.as_ref().iter().chain(b.as_ref())) {
        *o = f(x);
    }
    N::join(out)
}

// narrow: signed input, saturated to the signed or unsigned narrow range.

pub(crate) fn i8x16_narrow_i16x8_s(a: V128, b: V128) -> V128 {
    narrow(a, b, |x: i16| x.clamp(i8::MIN.into(), i8::MAX.into()) as i8)
}

pub(crate) fn i8x16_narrow_i16x8_u(a: V128, b: V128) -> V128 {
    narrow(a, b, |x: i16| x.clamp(0, u8::MAX.into()) as u8)
}

pub(crate) fn i16x8_narrow_i32x4_s(a: V128, b: V128) -> V128 {
    narrow(a, b, |x: i32| x.clamp(i16::MIN.into(), i16::MAX.into()) as i16)
}

pub(crate) fn i16x8_narrow_i32x4_u(a: V128, b: V128) -> V128 {
    narrow(a, b, |x: i32| x.clamp(0, u16::MAX.into()) as u16)
}

// extend

pub(crate) fn i16x8_extend_low_i8x16_s(v: V128) -> V128 {
    widen::<i8, i16>(v, Half::Low, i16::from)
}

pub(crate) fn i16x8_extend_high_i8x16_s(v: V128) -> V128 {
    widen::<i8, i16>(v, Half::High, i16::from)
}

pub(crate) fn i16x8_extend_low_i8x16_u(v: V128) -> V128 {
    widen::<u8, u16>(v, Half::Low, u16::from)
}

pub(crate) fn i16x8_extend_high_i8x16_u(v: V128) -> V128 {
    widen::<u8, u16>(v, Half::High, u16::from)
}

pub(crate) fn i32x4_extend_low_i16x8_s(v: V128) -> V128 {
    widen::<i16, i32>(v, Half::Low, i32::from)
}

pub(crate) fn i32x4_extend_high_i16x8_s(v: V128) -> V128 {
    widen::<i16, i32>(v, Half::High, i32::from)
}

pub(crate) fn i32x4_extend_low_i16x8_u(v: V128) -> V128 {
    widen::<u16, u32>(v, Half::Low, u32::from)
}

pub(crate) fn i32x4_extend_high_i16x8_u(v: V128) -> V128 {
    widen::<u16, u32>(v, Half::High, u32::from)
}

pub(crate) fn i64x2_extend_low_i32x4_s(v: V128) -> V128 {
    widen::<i32, i64>(v, Half::Low, i64::from)
}

pub(crate) fn i64x2_extend_high_i32x4_s(v: V128) -> V128 {
    widen::<i32, i64>(v, Half::High, i64::from)
}

pub(crate) fn i64x2_extend_low_i32x4_u(v: V128) -> V128 {
    widen::<u32, u64>(v, Half::Low, u64::from)
}

pub(crate) fn i64x2_extend_high_i32x4_u(v: V128) -> V128 {
    widen::<u32, u64>(v, Half::High, u64::from)
}

// extmul: the full product of the extended lanes (it always fits).

pub(crate) fn i16x8_extmul_low_i8x16_s(a: V128, b: V128) -> V128 {
    widen2(a, b, Half::Low, |x: i8, y| i16::from(x) * i16::from(y))
}

pub(crate) fn i16x8_extmul_high_i8x16_s(a: V128, b: V128) -> V128 {
    widen2(a, b, Half::High, |x: i8, y| i16::from(x) * i16::from(y))
}

pub(crate) fn i16x8_extmul_low_i8x16_u(a: V128, b: V128) -> V128 {
    widen2(a, b, Half::Low, |x: u8, y| u16::from(x) * u16::from(y))
}

pub(crate) fn i16x8_extmul_high_i8x16_u(a: V128, b: V128) -> V128 {
    widen2(a, b, Half::High, |x: u8, y| u16::from(x) * u16::from(y))
}

pub(crate) fn i32x4_extmul_low_i16x8_s(a: V128, b: V128) -> V128 {
    widen2(a, b, Half::Low, |x: i16, y| i32::from(x) * i32::from(y))
}

pub(crate) fn i32x4_extmul_high_i16x8_s(a: V128, b: V128) -> V128 {
    widen2(a, b, Half::High, |x: i16, y| i32::from(x) * i32::from(y))
}

pub(crate) fn i32x4_extmul_low_i16x8_u(a: V128, b: V128) -> V128 {
    widen2(a, b, Half::Low, |x: u16, y| u32::from(x) * u32::from(y))
}

pub(crate) fn i32x4_extmul_high_i16x8_u(a: V128, b: V128) -> V128 {
    widen2(a, b, Half::High, |x: u16, y| u32::from(x) * u32::from(y))
}

pub(crate) fn i64x2_extmul_low_i32x4_s(a: V128, b: V128) -> V128 {
    widen2(a, b, Half::Low, |x: i32, y| i64::from(x) * i64::from(y))
}

pub(crate) fn i64x2_extmul_high_i32x4_s(a: V128, b: V128) -> V128 {
    widen2(a, b, Half::High, |x: i32, y| i64::from(x) * i64::from(y))
}

pub(crate) fn i64x2_extmul_low_i32x4_u(a: V128, b: V128) -> V128 {
    widen2(a, b, Half::Low, |x: u32, y| u64::from(x) * u64::from(y))
}

pub(crate) fn i64x2_extmul_high_i32x4_u(a: V128, b: V128) -> V128 {
    widen2(a, b, Half::High, |x: u32, y| u64::from(x) * u64::from(y))
}

// extadd_pairwise: the sum of two extended lanes (it always fits).

pub(crate) fn i16x8_extadd_pairwise_i8x16_s(v: V128) -> V128 {
    pairwise2(v, v, |[x, y]: [i8; 2], _| i16::from(x) + i16::from(y))
}

pub(crate) fn i16x8_extadd_pairwise_i8x16_u(v: V128) -> V128 {
    pairwise2(v, v, |[x, y]: [u8; 2], _| u16::from(x) + u16::from(y))
}

pub(crate) fn i32x4_extadd_pairwise_i16x8_s(v: V128) -> V128 {
    pairwise2(v, v, |[x, y]: [i16; 2], _| i32::from(x) + i32::from(y))
}

pub(crate) fn i32x4_extadd_pairwise_i16x8_u(v: V128) -> V128 {
    pairwise2(v, v, |[x, y]: [u16; 2], _| u32::from(x) + u32::from(y))
}

/// Sums the two signed products of each lane pair, wrapping: only
/// `(-32768 * -32768) * 2` overflows, to `i32::MIN`.
pub(crate) fn i32x4_dot_i16x8_s(a: V128, b: V128) -> V128 {
    pairwise2(a, b, |x: [i16; 2], y: [i16; 2]| {
        (i32::from(x[0]) * i32::from(y[0])).wrapping_add(i32::from(x[1]) * i32::from(y[1]))
    })
}

/// The relaxed dot product's deterministic choice (both operands signed,
/// pair sums saturated to `i16`), shared with [`super::relaxed`].
pub(super) fn dot_i8x16_s_sat(a: V128, b: V128) -> V128 {
    pairwise2(a, b, |x: [i8; 2], y: [i8; 2]| {
        let products = i16::from(x[0]) * i16::from(y[0]);
        products.saturating_add(i16::from(x[1]) * i16::from(y[1]))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Bytes 0..16 with the top bit set in odd lanes: lane `i` is `i` for
    /// even `i` and `i - 128` (as i8) for odd `i`.
    fn ramp_i8() -> V128 {
        V128::from_le_bytes(std::array::from_fn(|i| i as u8 | if i % 2 == 1 { 0x80 } else { 0 }))
    }

    #[test]
    fn narrow_saturates_and_orders_first_operand_low() {
        let a = V128::from_i16x8([0, 127, 128, -128, -129, 255, 256, -1]);
        let b = V128::from_i16x8([i16::MAX, i16::MIN, 1, 2, 3, 4, 5, 6]);
        assert_eq!(
            i8x16_narrow_i16x8_s(a, b).to_i8x16(),
            [0, 127, 127, -128, -128, 127, 127, -1, 127, -128, 1, 2, 3, 4, 5, 6]
        );
        assert_eq!(
            i8x16_narrow_i16x8_u(a, b).to_le_bytes(),
            [0, 127, 128, 0, 0, 255, 255, 0, 255, 0, 1, 2, 3, 4, 5, 6]
        );
        let a = V128::from_i32x4([32767, 32768, -32768, -32769]);
        let b = V128::from_i32x4([65535, 65536, -1, 7]);
        assert_eq!(
            i16x8_narrow_i32x4_s(a, b).to_i16x8(),
            [32767, 32767, -32768, -32768, 32767, 32767, -1, 7]
        );
        assert_eq!(
            i16x8_narrow_i32x4_u(a, b).to_i16x8().map(|l| l as u16),
            [32767, 32768, 0, 0, 65535, 65535, 0, 7]
        );
    }

    #[test]
    fn extend_reads_the_named_half() {
        let v = ramp_i8();
        assert_eq!(i16x8_extend_low_i8x16_s(v).to_i16x8(), [0, -127, 2, -125, 4, -123, 6, -121]);
        assert_eq!(
            i16x8_extend_high_i8x16_s(v).to_i16x8(),
            [8, -119, 10, -117, 12, -115, 14, -113]
        );
        assert_eq!(i16x8_extend_low_i8x16_u(v).to_i16x8(), [0, 129, 2, 131, 4, 133, 6, 135]);
        assert_eq!(i16x8_extend_high_i8x16_u(v).to_i16x8(), [8, 137, 10, 139, 12, 141, 14, 143]);

        let v = V128::from_i16x8([-1, 1, i16::MIN, 3, 4, -5, 6, i16::MAX]);
        assert_eq!(i32x4_extend_low_i16x8_s(v).to_i32x4(), [-1, 1, -32768, 3]);
        assert_eq!(i32x4_extend_high_i16x8_s(v).to_i32x4(), [4, -5, 6, 32767]);
        assert_eq!(i32x4_extend_low_i16x8_u(v).to_i32x4(), [65535, 1, 32768, 3]);
        assert_eq!(i32x4_extend_high_i16x8_u(v).to_i32x4(), [4, 65531, 6, 32767]);

        let v = V128::from_i32x4([-1, 2, i32::MIN, 4]);
        assert_eq!(i64x2_extend_low_i32x4_s(v).to_i64x2(), [-1, 2]);
        assert_eq!(i64x2_extend_high_i32x4_s(v).to_i64x2(), [-(1 << 31), 4]);
        assert_eq!(i64x2_extend_low_i32x4_u(v).to_i64x2(), [0xffff_ffff, 2]);
        assert_eq!(i64x2_extend_high_i32x4_u(v).to_i64x2(), [1 << 31, 4]);
    }

    #[test]
    fn extmul_multiplies_matching_lanes_of_the_named_half() {
        let a = ramp_i8();
        let b = V128::from_i8x16([-1, 2, -128, 3, 1, 1, 1, 1, -128, -128, 127, 2, 0, 0, 0, -1]);
        assert_eq!(
            i16x8_extmul_low_i8x16_s(a, b).to_i16x8(),
            [0, -254, -256, -375, 4, -123, 6, -121]
        );
        assert_eq!(
            i16x8_extmul_high_i8x16_s(a, b).to_i16x8(),
            [-1024, 15232, 1270, -234, 0, 0, 0, 113]
        );
        assert_eq!(
            i16x8_extmul_low_i8x16_u(a, b).to_i16x8().map(|l| l as u16),
            [0, 258, 256, 393, 4, 133, 6, 135]
        );
        assert_eq!(
            i16x8_extmul_high_i8x16_u(a, b).to_i16x8().map(|l| l as u16),
            [1024, 17536, 1270, 278, 0, 0, 0, 36465]
        );

        let a = V128::from_i16x8([i16::MIN, -1, 2, 3, -1, 5, i16::MIN, 7]);
        let b = V128::from_i16x8([i16::MIN, -1, -2, 3, -1, 6, i16::MAX, 8]);
        assert_eq!(i32x4_extmul_low_i16x8_s(a, b).to_i32x4(), [1 << 30, 1, -4, 9]);
        assert_eq!(i32x4_extmul_high_i16x8_s(a, b).to_i32x4(), [1, 30, -32768 * 32767, 56]);
        assert_eq!(
            i32x4_extmul_low_i16x8_u(a, b).to_i32x4().map(|l| l as u32),
            [1 << 30, 0xfffe_0001, 2 * 65534, 9]
        );
        assert_eq!(
            i32x4_extmul_high_i16x8_u(a, b).to_i32x4().map(|l| l as u32),
            [0xfffe_0001, 30, 32768 * 32767, 56]
        );

        let a = V128::from_i32x4([i32::MIN, -1, 3, -4]);
        let b = V128::from_i32x4([i32::MIN, -1, 5, 6]);
        assert_eq!(i64x2_extmul_low_i32x4_s(a, b).to_i64x2(), [1 << 62, 1]);
        assert_eq!(i64x2_extmul_high_i32x4_s(a, b).to_i64x2(), [15, -24]);
        assert_eq!(
            i64x2_extmul_low_i32x4_u(a, b).to_i64x2().map(|l| l as u64),
            [1 << 62, 0xffff_fffe_0000_0001]
        );
        assert_eq!(
            i64x2_extmul_high_i32x4_u(a, b).to_i64x2().map(|l| l as u64),
            [15, 0xffff_fffc * 6]
        );
    }

    #[test]
    fn extadd_pairwise_sums_adjacent_lanes() {
        let v = ramp_i8();
        // Pairs (0, -127), (2, -125), ...: signed sums are 2i*2 - 127.
        assert_eq!(
            i16x8_extadd_pairwise_i8x16_s(v).to_i16x8(),
            [-127, -123, -119, -115, -111, -107, -103, -99]
        );
        assert_eq!(
            i16x8_extadd_pairwise_i8x16_u(v).to_i16x8(),
            [129, 133, 137, 141, 145, 149, 153, 157]
        );
        let all = V128::from_u128(u128::MAX);
        assert_eq!(i16x8_extadd_pairwise_i8x16_s(all).to_i16x8(), [-2; 8]);
        assert_eq!(i16x8_extadd_pairwise_i8x16_u(all).to_i16x8(), [510; 8]);
        let v = V128::from_i16x8([i16::MIN, i16::MIN, i16::MAX, i16::MAX, -1, 1, 5, -7]);
        assert_eq!(i32x4_extadd_pairwise_i16x8_s(v).to_i32x4(), [-65536, 65534, 0, -2]);
        assert_eq!(i32x4_extadd_pairwise_i16x8_u(v).to_i32x4(), [65536, 65534, 65536, 65534]);
    }

    #[test]
    fn dot_sums_pairs_of_products_and_wraps() {
        let a = V128::from_i16x8([1, 2, -3, 4, i16::MIN, i16::MIN, i16::MAX, i16::MIN]);
        let b = V128::from_i16x8([5, 6, 7, -8, i16::MIN, i16::MIN, i16::MAX, i16::MIN]);
        assert_eq!(
            i32x4_dot_i16x8_s(a, b).to_i32x4(),
            [17, -53, i32::MIN, 32767 * 32767 + (1 << 30)]
        );
    }

    #[test]
    fn relaxed_dot_choice_saturates_pair_sums() {
        let a = V128::from_i8x16([-128, -128, -128, 127, 1, 2, 3, 4, -128, -128, 0, 0, 0, 0, 0, 0]);
        let b =
            V128::from_i8x16([-128, -128, -127, -128, 5, 6, 7, 8, -128, -127, 0, 0, 0, 0, 0, 0]);
        assert_eq!(
            dot_i8x16_s_sat(a, b).to_i16x8(),
            [i16::MAX, 16256 - 16256, 17, 53, 32640, 0, 0, 0]
        );
    }
}

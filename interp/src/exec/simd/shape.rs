//! Lane shapes: how a [`V128`] splits into lanes of one type and joins back,
//! and the lane-wise loops every operator family is written with.
//!
//! Each loop is a plain fixed-length loop over an array, which LLVM unrolls
//! and usually turns into the host's own vector instructions. Float lanes are
//! only ever used where an operator does float arithmetic or comparison;
//! operators that pass lanes through unchanged use integer lanes, so NaN
//! payloads cannot change on the way.

use crate::V128;

/// A lane type: one of the eight integer and two float interpretations of
/// a vector's bits.
pub(super) trait Lane: Copy {
    /// All lanes of one vector, lane 0 first.
    type Lanes: AsRef<[Self]> + AsMut<[Self]>;

    /// The vector's lanes.
    fn split(v: V128) -> Self::Lanes;

    /// The vector with these lanes.
    fn join(lanes: Self::Lanes) -> V128;
}

impl Lane for i8 {
    type Lanes = [i8; 16];
    fn split(v: V128) -> [i8; 16] {
        v.to_i8x16()
    }
    fn join(lanes: [i8; 16]) -> V128 {
        V128::from_i8x16(lanes)
    }
}

impl Lane for u8 {
    type Lanes = [u8; 16];
    fn split(v: V128) -> [u8; 16] {
        v.to_le_bytes()
    }
    fn join(lanes: [u8; 16]) -> V128 {
        V128::from_le_bytes(lanes)
    }
}

impl Lane for i16 {
    type Lanes = [i16; 8];
    fn split(v: V128) -> [i16; 8] {
        v.to_i16x8()
    }
    fn join(lanes: [i16; 8]) -> V128 {
        V128::from_i16x8(lanes)
    }
}

impl Lane for u16 {
    type Lanes = [u16; 8];
    fn split(v: V128) -> [u16; 8] {
        v.to_i16x8().map(|l| l as u16)
    }
    fn join(lanes: [u16; 8]) -> V128 {
        V128::from_i16x8(lanes.map(|l| l as i16))
    }
}

impl Lane for i32 {
    type Lanes = [i32; 4];
    fn split(v: V128) -> [i32; 4] {
        v.to_i32x4()
    }
    fn join(lanes: [i32; 4]) -> V128 {
        V128::from_i32x4(lanes)
    }
}

impl Lane for u32 {
    type Lanes = [u32; 4];
    fn split(v: V128) -> [u32; 4] {
        v.to_i32x4().map(|l| l as u32)
    }
    fn join(lanes: [u32; 4]) -> V128 {
        V128::from_i32x4(lanes.map(|l| l as i32))
    }
}

impl Lane for i64 {
    type Lanes = [i64; 2];
    fn split(v: V128) -> [i64; 2] {
        v.to_i64x2()
    }
    fn join(lanes: [i64; 2]) -> V128 {
        V128::from_i64x2(lanes)
    }
}

impl Lane for u64 {
    type Lanes = [u64; 2];
    fn split(v: V128) -> [u64; 2] {
        v.to_u64x2()
    }
    fn join(lanes: [u64; 2]) -> V128 {
        V128::from_u64x2(lanes)
    }
}

impl Lane for f32 {
    type Lanes = [f32; 4];
    fn split(v: V128) -> [f32; 4] {
        v.to_f32x4()
    }
    fn join(lanes: [f32; 4]) -> V128 {
        V128::from_f32x4(lanes)
    }
}

impl Lane for f64 {
    type Lanes = [f64; 2];
    fn split(v: V128) -> [f64; 2] {
        v.to_f64x2()
    }
    fn join(lanes: [f64; 2]) -> V128 {
        V128::from_f64x2(lanes)
    }
}

/// A signed integer lane, which can hold a comparison's all-ones or all-zeros
/// result.
pub(super) trait Mask: Lane {
    /// All bits set if `b`, else zero.
    fn mask(b: bool) -> Self;
}

impl Mask for i8 {
    fn mask(b: bool) -> i8 {
        -i8::from(b)
    }
}

impl Mask for i16 {
    fn mask(b: bool) -> i16 {
        -i16::from(b)
    }
}

impl Mask for i32 {
    fn mask(b: bool) -> i32 {
        -i32::from(b)
    }
}

impl Mask for i64 {
    fn mask(b: bool) -> i64 {
        -i64::from(b)
    }
}

/// Applies `f` to every lane.
#[inline(always)]
pub(super) fn map<L: Lane>(v: V128, f: impl Fn(L) -> L) -> V128 {
    let mut lanes = L::split(v);
    for l in lanes.as_mut() {
        *l = f(*l);
    }
    L::join(lanes)
}

/// Applies `f` to every pair of lanes at the same index.
#[inline(always)]
pub(super) fn zip<L: Lane>(a: V128, b: V128, f: impl Fn(L, L) -> L) -> V128 {
    let mut lanes = L::split(a);
    for (x, &y) in lanes.as_mut().iter_mut().zip(L::split(b).as_ref()) {
        *x = f(*x, y);
    }
    L::join(lanes)
}

/// Applies `f` to every triple of lanes at the same index.
#[inline(always)]
pub(super) fn zip3<L: Lane>(a: V128, b: V128, c: V128, f: impl Fn(L, L, L) -> L) -> V128 {
    let mut lanes = L::split(a);
    let (b, c) = (L::split(b), L::split(c));
    for ((x, &y), &z) in lanes.as_mut().iter_mut().zip(b.as_ref()).zip(c.as_ref()) {
        *x = f(*x, y, z);
    }
    L::join(lanes)
}

/// Compares lanes of type `L` pairwise; a lane of the result (`M`, a signed
/// integer of the same width) is all ones where `f` holds and zero elsewhere.
#[inline(always)]
pub(super) fn compare<L: Lane, M: Mask>(a: V128, b: V128, f: impl Fn(L, L) -> bool) -> V128 {
    let (a, b) = (L::split(a), L::split(b));
    let mut out = M::split(V128::from_u128(0));
    debug_assert_eq!(a.as_ref().len(), out.as_ref().len(), "lane types of different widths");
    for ((o, &x), &y) in out.as_mut().iter_mut().zip(a.as_ref()).zip(b.as_ref()) {
        *o = M::mask(f(x, y));
    }
    M::join(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unsigned_lanes_are_the_signed_bits() {
        let v = V128::from_u128(0x8001_7fff_ffff_0000_8000_0000_0000_00ff);
        assert_eq!(<u8 as Lane>::split(v)[0], 0xff);
        assert_eq!(<u16 as Lane>::split(v)[7], 0x8001);
        assert_eq!(<u32 as Lane>::split(v)[2], 0xffff_0000);
        assert_eq!(<u64 as Lane>::split(v)[1], 0x8001_7fff_ffff_0000);
        assert_eq!(<u16 as Lane>::join(<u16 as Lane>::split(v)), v);
        assert_eq!(<u32 as Lane>::join(<u32 as Lane>::split(v)), v);
    }

    #[test]
    fn loops_keep_lane_positions() {
        let a = V128::from_i16x8([0, 1, 2, 3, 4, 5, 6, 7]);
        let b = V128::from_i16x8([0, 10, 20, 30, 40, 50, 60, 70]);
        let c = V128::from_i16x8([0, 100, 200, 300, 400, 500, 600, 700]);
        assert_eq!(map(a, |x: i16| x * 2).to_i16x8(), [0, 2, 4, 6, 8, 10, 12, 14]);
        assert_eq!(zip(a, b, |x: i16, y| y - x).to_i16x8(), [0, 9, 18, 27, 36, 45, 54, 63]);
        let sum = zip3(a, b, c, |x: i16, y, z| x + y + z);
        assert_eq!(sum.to_i16x8(), [0, 111, 222, 333, 444, 555, 666, 777]);
        let odd = compare::<i16, i16>(a, b, |x, _| x % 2 == 1);
        assert_eq!(odd.to_i16x8(), [0, -1, 0, -1, 0, -1, 0, -1]);
    }
}

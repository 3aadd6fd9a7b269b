//! Moving lanes: `splat`, `extract_lane`, `replace_lane`, `i8x16.shuffle`
//! and `i8x16.swizzle`.
//!
//! Scalars enter and leave as value cells (`u64`): an `i32` or `f32` in the
//! low 32 bits with the high bits zero, an `i64` or `f64` in all 64. Lane
//! indices are immediates that validation has checked against the lane count;
//! they are reduced modulo that count here anyway, so no input can panic.

use crate::V128;

pub(crate) fn i8x16_splat(x: u32) -> V128 {
    V128::from_le_bytes([x as u8; 16])
}

pub(crate) fn i16x8_splat(x: u32) -> V128 {
    V128::from_i16x8([x as i16; 8])
}

pub(crate) fn i32x4_splat(x: u32) -> V128 {
    V128::from_i32x4([x as i32; 4])
}

pub(crate) fn i64x2_splat(x: u64) -> V128 {
    V128::from_u64x2([x; 2])
}

/// `x` is the float's bits.
pub(crate) fn f32x4_splat(x: u32) -> V128 {
    i32x4_splat(x)
}

/// `x` is the float's bits.
pub(crate) fn f64x2_splat(x: u64) -> V128 {
    i64x2_splat(x)
}

/// The cell of an `i32` result.
fn i32_cell(x: i32) -> u64 {
    u64::from(x as u32)
}

pub(crate) fn i8x16_extract_lane_s(v: V128, lane: u8) -> u64 {
    i32_cell(v.to_i8x16()[usize::from(lane) % 16].into())
}

pub(crate) fn i8x16_extract_lane_u(v: V128, lane: u8) -> u64 {
    v.to_le_bytes()[usize::from(lane) % 16].into()
}

pub(crate) fn i16x8_extract_lane_s(v: V128, lane: u8) -> u64 {
    i32_cell(v.to_i16x8()[usize::from(lane) % 8].into())
}

pub(crate) fn i16x8_extract_lane_u(v: V128, lane: u8) -> u64 {
    (v.to_i16x8()[usize::from(lane) % 8] as u16).into()
}

pub(crate) fn i32x4_extract_lane(v: V128, lane: u8) -> u64 {
    i32_cell(v.to_i32x4()[usize::from(lane) % 4])
}

pub(crate) fn i64x2_extract_lane(v: V128, lane: u8) -> u64 {
    v.to_u64x2()[usize::from(lane) % 2]
}

/// The lane's bits.
pub(crate) fn f32x4_extract_lane(v: V128, lane: u8) -> u64 {
    i32x4_extract_lane(v, lane)
}

/// The lane's bits.
pub(crate) fn f64x2_extract_lane(v: V128, lane: u8) -> u64 {
    i64x2_extract_lane(v, lane)
}

pub(crate) fn i8x16_replace_lane(v: V128, lane: u8, x: u64) -> V128 {
    let mut lanes = v.to_le_bytes();
    lanes[usize::from(lane) % 16] = x as u8;
    V128::from_le_bytes(lanes)
}

pub(crate) fn i16x8_replace_lane(v: V128, lane: u8, x: u64) -> V128 {
    let mut lanes = v.to_i16x8();
    lanes[usize::from(lane) % 8] = x as i16;
    V128::from_i16x8(lanes)
}

pub(crate) fn i32x4_replace_lane(v: V128, lane: u8, x: u64) -> V128 {
    let mut lanes = v.to_i32x4();
    lanes[usize::from(lane) % 4] = x as i32;
    V128::from_i32x4(lanes)
}

pub(crate) fn i64x2_replace_lane(v: V128, lane: u8, x: u64) -> V128 {
    let mut lanes = v.to_u64x2();
    lanes[usize::from(lane) % 2] = x;
    V128::from_u64x2(lanes)
}

/// `x` holds the float's bits.
pub(crate) fn f32x4_replace_lane(v: V128, lane: u8, x: u64) -> V128 {
    i32x4_replace_lane(v, lane, x)
}

/// `x` holds the float's bits.
pub(crate) fn f64x2_replace_lane(v: V128, lane: u8, x: u64) -> V128 {
    i64x2_replace_lane(v, lane, x)
}

/// Result byte `i` is byte `lanes[i]` of the 32 bytes of `a` followed by
/// `b` (validation keeps every index below 32).
pub(crate) fn i8x16_shuffle(a: V128, b: V128, lanes: [u8; 16]) -> V128 {
    let (a, b) = (a.to_le_bytes(), b.to_le_bytes());
    V128::from_le_bytes(lanes.map(|l| match usize::from(l) % 32 {
        l @ 0..16 => a[l],
        l => b[l - 16],
    }))
}

/// Result byte `i` is byte `s[i]` of `a`, or 0 where `s[i]` is 16 or more.
pub(crate) fn i8x16_swizzle(a: V128, s: V128) -> V128 {
    let a = a.to_le_bytes();
    V128::from_le_bytes(s.to_le_bytes().map(|l| a.get(usize::from(l)).copied().unwrap_or(0)))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Byte `i` is `i`, so a result byte names the byte it came from.
    const IOTA: V128 = V128::from_u128(0x0f0e_0d0c_0b0a_0908_0706_0504_0302_0100);
    /// Byte `i` is `0x10 + i`.
    const IOTA_B: V128 = V128::from_u128(0x1f1e_1d1c_1b1a_1918_1716_1514_1312_1110);

    #[test]
    fn splat_takes_the_low_bits() {
        assert_eq!(i8x16_splat(0x1234_5681).to_i8x16(), [0x81u8 as i8; 16]);
        assert_eq!(i16x8_splat(0xffff_8001).to_i16x8(), [-0x7fff; 8]);
        assert_eq!(i32x4_splat(0x8000_0001).to_i32x4(), [i32::MIN + 1; 4]);
        assert_eq!(i64x2_splat(u64::MAX - 1).to_i64x2(), [-2; 2]);
        // Float splats keep the bits, a signalling NaN included.
        assert_eq!(f32x4_splat(0x7f80_0001).to_i32x4(), [0x7f80_0001; 4]);
        assert_eq!(f64x2_splat(0xfff0_0000_0000_0001).to_u64x2(), [0xfff0_0000_0000_0001; 2]);
    }

    #[test]
    fn extract_lane_extends_into_an_i32_cell() {
        let v = V128::from_i8x16([0, -1, 2, -128, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 127]);
        assert_eq!(i8x16_extract_lane_s(v, 1), 0xffff_ffff);
        assert_eq!(i8x16_extract_lane_u(v, 1), 0xff);
        assert_eq!(i8x16_extract_lane_s(v, 3), 0xffff_ff80);
        assert_eq!(i8x16_extract_lane_u(v, 3), 0x80);
        assert_eq!(i8x16_extract_lane_s(v, 15), 127);
        assert_eq!(i8x16_extract_lane_u(v, 2), 2);
        let v = V128::from_i16x8([0, 0, 0, 0, 0, i16::MIN, 0, -2]);
        assert_eq!(i16x8_extract_lane_s(v, 5), 0xffff_8000);
        assert_eq!(i16x8_extract_lane_u(v, 5), 0x8000);
        assert_eq!(i16x8_extract_lane_s(v, 7), 0xffff_fffe);
        assert_eq!(i16x8_extract_lane_u(v, 7), 0xfffe);
        let v = V128::from_i32x4([1, -1, 3, 0x7fc0_0001]);
        assert_eq!(i32x4_extract_lane(v, 1), 0xffff_ffff);
        assert_eq!(i32x4_extract_lane(v, 2), 3);
        assert_eq!(f32x4_extract_lane(v, 3), 0x7fc0_0001);
        let v = V128::from_i64x2([5, -1]);
        assert_eq!(i64x2_extract_lane(v, 0), 5);
        assert_eq!(i64x2_extract_lane(v, 1), u64::MAX);
        assert_eq!(f64x2_extract_lane(v, 1), u64::MAX);
    }

    #[test]
    fn replace_lane_changes_one_lane_from_the_cells_low_bits() {
        let r = i8x16_replace_lane(IOTA, 15, 0xffff_ff80);
        assert_eq!(r.as_u128(), IOTA.as_u128() & !(0xff << 120) | 0x80 << 120);
        let r = i16x8_replace_lane(IOTA, 1, 0x1_abcd);
        assert_eq!(r.to_i16x8()[1] as u16, 0xabcd);
        assert_eq!(r.as_u128() & !(0xffff << 16), IOTA.as_u128() & !(0xffff << 16));
        let r = i32x4_replace_lane(IOTA, 2, 0xffff_ffff_8765_4321);
        assert_eq!(r.to_i32x4(), [0x0302_0100, 0x0706_0504, 0x8765_4321u32 as i32, 0x0f0e_0d0c]);
        let r = f32x4_replace_lane(IOTA, 0, 0x7f80_0001);
        assert_eq!(r.to_i32x4()[0], 0x7f80_0001);
        let r = i64x2_replace_lane(IOTA, 1, 42);
        assert_eq!(r.to_u64x2(), [0x0706_0504_0302_0100, 42]);
        let r = f64x2_replace_lane(IOTA, 0, 0xfff0_0000_0000_0001);
        assert_eq!(r.to_u64x2(), [0xfff0_0000_0000_0001, 0x0f0e_0d0c_0b0a_0908]);
    }

    #[test]
    fn shuffle_indexes_both_operands() {
        let lanes = [31, 0, 16, 15, 1, 17, 2, 18, 3, 19, 30, 29, 14, 13, 5, 5];
        let expected = [0x1f, 0, 0x10, 15, 1, 0x11, 2, 0x12, 3, 0x13, 0x1e, 0x1d, 14, 13, 5, 5];
        assert_eq!(i8x16_shuffle(IOTA, IOTA_B, lanes).to_le_bytes(), expected);
        let identity = std::array::from_fn(|i| i as u8);
        assert_eq!(i8x16_shuffle(IOTA, IOTA_B, identity), IOTA);
        assert_eq!(i8x16_shuffle(IOTA, IOTA_B, identity.map(|i| i + 16)), IOTA_B);
    }

    #[test]
    fn swizzle_zeroes_out_of_range_indices() {
        let s = V128::from_le_bytes([15, 0, 16, 255, 128, 3, 17, 7, 1, 1, 0x80, 0x7f, 14, 2, 9, 8]);
        let a = IOTA_B;
        assert_eq!(
            i8x16_swizzle(a, s).to_le_bytes(),
            [0x1f, 0x10, 0, 0, 0, 0x13, 0, 0x17, 0x11, 0x11, 0, 0, 0x1e, 0x12, 0x19, 0x18]
        );
    }
}

//! [`V128`]: the value of WebAssembly's 128-bit vector type.
//!
//! A leaf module, like [`crate::types`]: the executor's SIMD operations
//! (`exec::simd`), the embedding API ([`crate::Val::V128`] and typed function
//! parameters) and the spec harness all use this one type.
//!
//! The bits are the vector's 16 bytes in little-endian lane order, exactly as
//! `v128.store` writes them to linear memory: lane 0 of every shape is the
//! least significant part of the `u128`.

use std::fmt;

/// A 128-bit SIMD vector value.
///
/// # Example
///
/// ```
/// use interp::V128;
///
/// let v = V128::from_i32x4([1, 2, 3, 4]);
/// assert_eq!(v.to_i32x4(), [1, 2, 3, 4]);
/// assert_eq!(v.as_u128(), 0x0000_0004_0000_0003_0000_0002_0000_0001);
/// assert_eq!(v.to_le_bytes()[4], 2);
/// ```
#[derive(Copy, Clone, PartialEq, Eq, Hash, Default)]
pub struct V128(u128);

impl V128 {
    /// The vector whose bits are `bits` (lane 0 in the least significant bits).
    pub const fn from_u128(bits: u128) -> V128 {
        V128(bits)
    }

    /// The vector's bits (lane 0 in the least significant bits).
    pub const fn as_u128(self) -> u128 {
        self.0
    }

    /// The vector stored in memory as these 16 bytes.
    pub const fn from_le_bytes(bytes: [u8; 16]) -> V128 {
        V128(u128::from_le_bytes(bytes))
    }

    /// The 16 bytes `v128.store` writes.
    pub const fn to_le_bytes(self) -> [u8; 16] {
        self.0.to_le_bytes()
    }

    /// The vector as two 64-bit halves, low half first (how it sits in two
    /// value cells).
    pub const fn to_u64x2(self) -> [u64; 2] {
        [self.0 as u64, (self.0 >> 64) as u64]
    }

    /// The vector from two 64-bit halves, low half first.
    pub const fn from_u64x2(halves: [u64; 2]) -> V128 {
        V128(halves[0] as u128 | (halves[1] as u128) << 64)
    }

    /// The 16 lanes as signed bytes.
    pub fn to_i8x16(self) -> [i8; 16] {
        self.to_le_bytes().map(|b| b as i8)
    }

    /// The vector with these 16 byte lanes.
    pub fn from_i8x16(lanes: [i8; 16]) -> V128 {
        V128::from_le_bytes(lanes.map(|l| l as u8))
    }

    /// The 8 lanes as signed 16-bit integers.
    pub fn to_i16x8(self) -> [i16; 8] {
        let b = self.to_le_bytes();
        std::array::from_fn(|i| i16::from_le_bytes([b[2 * i], b[2 * i + 1]]))
    }

    /// The vector with these 8 lanes.
    pub fn from_i16x8(lanes: [i16; 8]) -> V128 {
        let mut b = [0u8; 16];
        for (i, l) in lanes.iter().enumerate() {
            b[2 * i..2 * i + 2].copy_from_slice(&l.to_le_bytes());
        }
        V128::from_le_bytes(b)
    }

    /// The 4 lanes as signed 32-bit integers.
    pub fn to_i32x4(self) -> [i32; 4] {
        std::array::from_fn(|i| (self.0 >> (32 * i)) as u32 as i32)
    }

    /// The vector with these 4 lanes.
    pub fn from_i32x4(lanes: [i32; 4]) -> V128 {
        V128(lanes.iter().enumerate().fold(0, |acc, (i, &l)| acc | (l as u32 as u128) << (32 * i)))
    }

    /// The 2 lanes as signed 64-bit integers.
    pub fn to_i64x2(self) -> [i64; 2] {
        self.to_u64x2().map(|l| l as i64)
    }

    /// The vector with these 2 lanes.
    pub fn from_i64x2(lanes: [i64; 2]) -> V128 {
        V128::from_u64x2(lanes.map(|l| l as u64))
    }

    /// The 4 lanes as 32-bit floats (bits preserved, NaN payloads included).
    pub fn to_f32x4(self) -> [f32; 4] {
        self.to_i32x4().map(|l| f32::from_bits(l as u32))
    }

    /// The vector with these 4 float lanes (bits preserved).
    pub fn from_f32x4(lanes: [f32; 4]) -> V128 {
        V128::from_i32x4(lanes.map(|l| l.to_bits() as i32))
    }

    /// The 2 lanes as 64-bit floats (bits preserved, NaN payloads included).
    pub fn to_f64x2(self) -> [f64; 2] {
        self.to_u64x2().map(f64::from_bits)
    }

    /// The vector with these 2 float lanes (bits preserved).
    pub fn from_f64x2(lanes: [f64; 2]) -> V128 {
        V128::from_u64x2(lanes.map(f64::to_bits))
    }
}

impl From<u128> for V128 {
    fn from(bits: u128) -> V128 {
        V128(bits)
    }
}

impl From<V128> for u128 {
    fn from(v: V128) -> u128 {
        v.0
    }
}

impl fmt::Debug for V128 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "V128({:#034x})", self.0)
    }
}

/// As the text format's `v128.const i32x4 ...`, in hexadecimal lanes.
impl fmt::Display for V128 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let [a, b, c, d] = self.to_i32x4().map(|l| l as u32);
        write!(f, "i32x4 {a:#010x} {b:#010x} {c:#010x} {d:#010x}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lane_zero_is_least_significant_in_every_shape() {
        let v = V128::from_u128(0x0f0e_0d0c_0b0a_0908_0706_0504_0302_0100);
        assert_eq!(v.to_le_bytes(), std::array::from_fn(|i| i as u8));
        assert_eq!(v.to_i8x16()[15], 0x0f);
        assert_eq!(v.to_i16x8()[0], 0x0100);
        assert_eq!(v.to_i32x4()[1], 0x0706_0504);
        assert_eq!(v.to_i64x2()[1], 0x0f0e_0d0c_0b0a_0908);
        assert_eq!(v.to_u64x2(), [0x0706_0504_0302_0100, 0x0f0e_0d0c_0b0a_0908]);
    }

    #[test]
    fn shapes_round_trip() {
        let v = V128::from_u128(0x8000_0001_ffff_fffe_7fc0_0001_0000_0000);
        assert_eq!(V128::from_i8x16(v.to_i8x16()), v);
        assert_eq!(V128::from_i16x8(v.to_i16x8()), v);
        assert_eq!(V128::from_i32x4(v.to_i32x4()), v);
        assert_eq!(V128::from_i64x2(v.to_i64x2()), v);
        assert_eq!(V128::from_u64x2(v.to_u64x2()), v);
        // Float lanes keep NaN payloads bit for bit.
        assert_eq!(V128::from_f32x4(v.to_f32x4()), v);
        assert_eq!(V128::from_f64x2(v.to_f64x2()), v);
        assert_eq!(V128::from_le_bytes(v.to_le_bytes()), v);
    }

    #[test]
    fn display_is_text_format_lanes() {
        let v = V128::from_i32x4([1, -1, 0, 0x7fff_ffff]);
        assert_eq!(v.to_string(), "i32x4 0x00000001 0xffffffff 0x00000000 0x7fffffff");
    }
}

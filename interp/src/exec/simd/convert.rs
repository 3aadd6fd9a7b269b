//! Conversions between float and integer lanes: `trunc_sat`, `convert`,
//! `demote` and `promote`.
//!
//! Rust's `as` casts are exactly the spec's operators here: float-to-int
//! casts saturate and map NaN to 0 (`trunc_sat`), int-to-float and
//! `f64`-to-`f32` casts round to nearest, ties to even, and a NaN stays a
//! quiet NaN, as in the scalar `convert`/`demote`/`promote` instructions.
//! The `_zero` forms fill the upper two result lanes with zeros; the `_low`
//! forms read the lower two input lanes.

use super::shape::{Lane, map};
use crate::V128;

/// Converts the two `f64` lanes into the low two lanes of a four-lane result
/// whose upper lanes are zero.
#[inline(always)]
fn from_f64x2_zero<L: Lane<Lanes = [L; 4]> + Default>(v: V128, f: impl Fn(f64) -> L) -> V128 {
    let [x, y] = v.to_f64x2();
    L::join([f(x), f(y), L::default(), L::default()])
}

pub(crate) fn i32x4_trunc_sat_f32x4_s(v: V128) -> V128 {
    V128::from_i32x4(v.to_f32x4().map(|x| x as i32))
}

pub(crate) fn i32x4_trunc_sat_f32x4_u(v: V128) -> V128 {
    <u32 as Lane>::join(v.to_f32x4().map(|x| x as u32))
}

pub(crate) fn i32x4_trunc_sat_f64x2_s_zero(v: V128) -> V128 {
    from_f64x2_zero(v, |x| x as i32)
}

pub(crate) fn i32x4_trunc_sat_f64x2_u_zero(v: V128) -> V128 {
    from_f64x2_zero(v, |x| x as u32)
}

pub(crate) fn f32x4_convert_i32x4_s(v: V128) -> V128 {
    V128::from_f32x4(v.to_i32x4().map(|x| x as f32))
}

pub(crate) fn f32x4_convert_i32x4_u(v: V128) -> V128 {
    map(v, |x: u32| (x as f32).to_bits())
}

pub(crate) fn f64x2_convert_low_i32x4_s(v: V128) -> V128 {
    let [x, y, ..] = v.to_i32x4();
    V128::from_f64x2([x.into(), y.into()])
}

pub(crate) fn f64x2_convert_low_i32x4_u(v: V128) -> V128 {
    let [x, y, ..] = <u32 as Lane>::split(v);
    V128::from_f64x2([x.into(), y.into()])
}

pub(crate) fn f32x4_demote_f64x2_zero(v: V128) -> V128 {
    from_f64x2_zero(v, |x| x as f32)
}

pub(crate) fn f64x2_promote_low_f32x4(v: V128) -> V128 {
    let [x, y, ..] = v.to_f32x4();
    V128::from_f64x2([x.into(), y.into()])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trunc_sat_f32_saturates_and_maps_nan_to_zero() {
        let v = V128::from_f32x4([f32::NAN, 2147483648.0, -2147483904.0, -1.9]);
        assert_eq!(i32x4_trunc_sat_f32x4_s(v).to_i32x4(), [0, i32::MAX, i32::MIN, -1]);
        let v = V128::from_f32x4([-f32::NAN, f32::INFINITY, f32::NEG_INFINITY, 2147483520.0]);
        assert_eq!(i32x4_trunc_sat_f32x4_s(v).to_i32x4(), [0, i32::MAX, i32::MIN, 2147483520]);
        let v = V128::from_f32x4([-0.9, 4294967296.0, -1.0, 4294967040.0]);
        assert_eq!(
            i32x4_trunc_sat_f32x4_u(v).to_i32x4().map(|l| l as u32),
            [0, u32::MAX, 0, 4294967040]
        );
        let v = V128::from_f32x4([f32::NAN, f32::INFINITY, 1.99, -f32::INFINITY]);
        assert_eq!(i32x4_trunc_sat_f32x4_u(v).to_i32x4().map(|l| l as u32), [0, u32::MAX, 1, 0]);
    }

    #[test]
    fn trunc_sat_f64_zero_fills_upper_lanes() {
        let v = V128::from_f64x2([-2147483648.9, 2147483647.9]);
        assert_eq!(i32x4_trunc_sat_f64x2_s_zero(v).to_i32x4(), [i32::MIN, i32::MAX, 0, 0]);
        let v = V128::from_f64x2([-2147483649.0, f64::NAN]);
        assert_eq!(i32x4_trunc_sat_f64x2_s_zero(v).to_i32x4(), [i32::MIN, 0, 0, 0]);
        let v = V128::from_f64x2([4294967295.9, 4294967296.0]);
        assert_eq!(i32x4_trunc_sat_f64x2_u_zero(v).to_i32x4(), [-1, -1, 0, 0]);
        let v = V128::from_f64x2([-0.99, -f64::NAN]);
        assert_eq!(i32x4_trunc_sat_f64x2_u_zero(v).to_i32x4(), [0, 0, 0, 0]);
    }

    #[test]
    fn convert_rounds_to_nearest_even() {
        // 2^24 + 1 is halfway between two f32s: ties to even (2^24).
        let v = V128::from_i32x4([16777217, -16777219, i32::MIN, i32::MAX]);
        assert_eq!(
            f32x4_convert_i32x4_s(v).to_f32x4(),
            [16777216.0, -16777220.0, -2147483648.0, 2147483648.0]
        );
        assert_eq!(
            f32x4_convert_i32x4_u(v).to_f32x4(),
            [16777216.0, 4278190080.0, 2147483648.0, 2147483648.0]
        );
        let v = V128::from_i32x4([-1, i32::MIN, 7, 7]);
        assert_eq!(f32x4_convert_i32x4_u(v).to_f32x4()[0], 4294967296.0);
        assert_eq!(f64x2_convert_low_i32x4_s(v).to_f64x2(), [-1.0, -2147483648.0]);
        assert_eq!(f64x2_convert_low_i32x4_u(v).to_f64x2(), [4294967295.0, 2147483648.0]);
    }

    #[test]
    fn demote_and_promote() {
        // f64 just above 1 + 2^-24 (half an f32 ulp) rounds up; exactly half
        // rounds to even (down).
        let half_ulp = 1.0 + f64::powi(2.0, -24);
        let v = V128::from_f64x2([half_ulp, half_ulp + f64::EPSILON]);
        assert_eq!(f32x4_demote_f64x2_zero(v).to_f32x4(), [1.0, 1.0 + f32::EPSILON, 0.0, 0.0]);
        let v = V128::from_f64x2([1e300, -1e-300]);
        let r = f32x4_demote_f64x2_zero(v);
        assert_eq!(r.to_f32x4()[0], f32::INFINITY);
        assert_eq!(r.to_i32x4()[1..], [i32::MIN, 0, 0]);
        let r = f32x4_demote_f64x2_zero(V128::from_u64x2([0x7ff8_0000_0000_0000, 1]));
        assert_eq!(r.to_i32x4()[0] as u32 & 0x7fff_ffff, 0x7fc0_0000);
        assert_eq!(r.to_i32x4()[1], 0);

        let v = V128::from_f32x4([1.5, -0.0, 99.0, 99.0]);
        let r = f64x2_promote_low_f32x4(v);
        assert_eq!(r.to_f64x2(), [1.5, -0.0]);
        assert!(r.to_f64x2()[1].is_sign_negative());
        let r = f64x2_promote_low_f32x4(V128::from_i32x4([0x7fc0_0000, 0x7f80_0001, 0, 0]));
        assert_eq!(r.to_u64x2()[0] & !(1 << 63), 0x7ff8_0000_0000_0000);
        let quiet = 0x0008_0000_0000_0000;
        assert!(r.to_f64x2()[1].is_nan() && r.to_u64x2()[1] & quiet != 0);
    }
}

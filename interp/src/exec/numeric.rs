//! Numeric semantics that differ from Rust's operators: trapping division,
//! wasm `min`/`max`, sign-exact bit operations and trapping float-to-int
//! conversions, and wide arithmetic (kept out of the interpreter loop).

use crate::trap::TrapCode;

macro_rules! int_div {
    ($div_s:ident, $div_u:ident, $rem_s:ident, $rem_u:ident, $s:ty, $u:ty) => {
        #[inline(always)]
        pub fn $div_s(a: $s, b: $s) -> Result<$s, TrapCode> {
            if b == 0 {
                return Err(TrapCode::IntegerDivideByZero);
            }
            if a == <$s>::MIN && b == -1 {
                return Err(TrapCode::IntegerOverflow);
            }
            Ok(a / b)
        }

        #[inline(always)]
        pub fn $div_u(a: $u, b: $u) -> Result<$u, TrapCode> {
            if b == 0 {
                return Err(TrapCode::IntegerDivideByZero);
            }
            Ok(a / b)
        }

        #[inline(always)]
        pub fn $rem_s(a: $s, b: $s) -> Result<$s, TrapCode> {
            if b == 0 {
                return Err(TrapCode::IntegerDivideByZero);
            }
            Ok(a.wrapping_rem(b))
        }

        #[inline(always)]
        pub fn $rem_u(a: $u, b: $u) -> Result<$u, TrapCode> {
            if b == 0 {
                return Err(TrapCode::IntegerDivideByZero);
            }
            Ok(a % b)
        }
    };
}

int_div!(i32_div_s, i32_div_u, i32_rem_s, i32_rem_u, i32, u32);
int_div!(i64_div_s, i64_div_u, i64_rem_s, i64_rem_u, i64, u64);

macro_rules! float_ops {
    ($min:ident, $max:ident, $f:ty) => {
        /// wasm `min`: NaN if either operand is NaN, and `-0 < +0`.
        #[inline(always)]
        pub fn $min(a: $f, b: $f) -> $f {
            if a.is_nan() || b.is_nan() {
                return a + b;
            }
            if a == b {
                // Equal: only the signs of zeros can differ; prefer negative.
                return <$f>::from_bits(a.to_bits() | b.to_bits());
            }
            if a < b { a } else { b }
        }

        /// wasm `max`: NaN if either operand is NaN, and `+0 > -0`.
        #[inline(always)]
        pub fn $max(a: $f, b: $f) -> $f {
            if a.is_nan() || b.is_nan() {
                return a + b;
            }
            if a == b {
                return <$f>::from_bits(a.to_bits() & b.to_bits());
            }
            if a > b { a } else { b }
        }
    };
}

float_ops!(f32_min, f32_max, f32);
float_ops!(f64_min, f64_max, f64);

/// Applies a rounding function, making a NaN result quiet: libm's rounding
/// functions return a signalling NaN operand unchanged, but wasm requires an
/// arithmetic (quiet) NaN.
macro_rules! rounding {
    ($($name:ident: $f:ty => $op:ident;)*) => {$(
        #[inline(always)]
        pub fn $name(x: $f) -> $f {
            let r = x.$op();
            if r.is_nan() { r + r } else { r }
        }
    )*};
}

rounding! {
    f32_ceil: f32 => ceil;
    f32_floor: f32 => floor;
    f32_trunc: f32 => trunc;
    f32_nearest: f32 => round_ties_even;
    f64_ceil: f64 => ceil;
    f64_floor: f64 => floor;
    f64_trunc: f64 => trunc;
    f64_nearest: f64 => round_ties_even;
}

/// Sign-bit operations act on bits only, so NaN payloads pass through unchanged.
pub const F32_SIGN: u32 = 0x8000_0000;
pub const F64_SIGN: u64 = 0x8000_0000_0000_0000;

/// Defines a trapping float-to-int conversion: NaN is invalid, and values whose
/// truncation falls outside `(lo, hi)` (exclusive bounds, exactly representable
/// in the float type) overflow.
macro_rules! trunc {
    ($name:ident, $f:ty => $i:ty, $lo:expr, $hi:expr) => {
        #[inline(always)]
        pub fn $name(x: $f) -> Result<$i, TrapCode> {
            if x.is_nan() {
                return Err(TrapCode::InvalidConversionToInteger);
            }
            if !(x > $lo && x < $hi) {
                return Err(TrapCode::IntegerOverflow);
            }
            Ok(x as $i)
        }
    };
}

trunc!(i32_trunc_f32_s, f32 => i32, -2147483904.0_f32, 2147483648.0_f32);
trunc!(i32_trunc_f32_u, f32 => u32, -1.0_f32, 4294967296.0_f32);
trunc!(i32_trunc_f64_s, f64 => i32, -2147483649.0_f64, 2147483648.0_f64);
trunc!(i32_trunc_f64_u, f64 => u32, -1.0_f64, 4294967296.0_f64);
trunc!(i64_trunc_f32_s, f32 => i64, -9223373136366403584.0_f32, 9223372036854775808.0_f32);
trunc!(i64_trunc_f32_u, f32 => u64, -1.0_f32, 18446744073709551616.0_f32);
trunc!(i64_trunc_f64_s, f64 => i64, -9223372036854777856.0_f64, 9223372036854775808.0_f64);
trunc!(i64_trunc_f64_u, f64 => u64, -1.0_f64, 18446744073709551616.0_f64);

// Wide arithmetic on 128-bit values (two cells, low half first). Not inlined:
// these run rarely, and their code (128-bit multiplies use fixed registers)
// would otherwise sit inside the interpreter loop and change how its hot
// paths are compiled.

#[inline(never)]
pub fn i64_add128(a: u128, b: u128) -> u128 {
    a.wrapping_add(b)
}

#[inline(never)]
pub fn i64_sub128(a: u128, b: u128) -> u128 {
    a.wrapping_sub(b)
}

#[inline(never)]
pub fn i64_mul_wide_s(a: i64, b: i64) -> u128 {
    (i128::from(a) * i128::from(b)) as u128
}

#[inline(never)]
pub fn i64_mul_wide_u(a: u64, b: u64) -> u128 {
    u128::from(a) * u128::from(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signed_division_edge_cases() {
        assert_eq!(i32_div_s(i32::MIN, -1), Err(TrapCode::IntegerOverflow));
        assert_eq!(i32_rem_s(i32::MIN, -1), Ok(0));
        assert_eq!(i64_div_u(1, 0), Err(TrapCode::IntegerDivideByZero));
        assert_eq!(i32_rem_s(-7, 2), Ok(-1));
    }

    #[test]
    fn min_max_zero_signs() {
        assert!(f32_min(0.0, -0.0).is_sign_negative());
        assert!(f32_max(-0.0, 0.0).is_sign_positive());
        assert!(f64_min(f64::NAN, 1.0).is_nan());
    }

    #[test]
    fn trunc_bounds() {
        assert_eq!(i32_trunc_f32_s(-2147483648.0), Ok(i32::MIN));
        assert_eq!(i32_trunc_f32_s(2147483648.0), Err(TrapCode::IntegerOverflow));
        assert_eq!(i32_trunc_f64_s(-2147483648.9), Ok(i32::MIN));
        assert_eq!(i32_trunc_f64_u(-0.9), Ok(0));
        assert_eq!(i64_trunc_f32_s(-9223372036854775808.0), Ok(i64::MIN));
        assert_eq!(i64_trunc_f64_s(-9223372036854775808.0), Ok(i64::MIN));
        assert_eq!(i64_trunc_f64_u(f64::NAN), Err(TrapCode::InvalidConversionToInteger));
    }
}

//! The semantics of WebAssembly's SIMD operators: one pure function per
//! operator of the fixed-width SIMD proposal (WebAssembly 2.0) and of relaxed
//! SIMD (3.0), except memory accesses and `v128.const`.
//!
//! Each function is named after its operator with `.` replaced by `_`
//! (`i8x16.add_sat_s` is [`i8x16_add_sat_s`]) and takes and returns
//! [`V128`](crate::V128) values, `u32`/`u64` scalars in value-cell form and
//! lane immediates; [`OPERATORS`] lists all of them by signature, and a test
//! checks that list against wasmparser's. The executor calls these functions;
//! they know nothing of frames, traps or memory. All are portable Rust, lane
//! loops over arrays that LLVM turns into host vector code where it can.
//!
//! Families, one file each: [`bitwise`] (whole-vector bit operations and
//! `any_true`/`all_true`/`bitmask`), [`int`] (lane-wise integer
//! arithmetic and shifts), [`compare`], [`widen`] (narrow, extend, extmul,
//! extadd, dot), [`float`], [`convert`], [`lanes`] (splat, extract, replace,
//! shuffle, swizzle) and [`relaxed`]; [`shape`] holds the lane loops.
//!
//! Floats follow the scalar operators of `exec::numeric` exactly, so SIMD and
//! scalar code agree on NaN results. Relaxed operators make the spec's
//! deterministic-profile choice on every host (see [`relaxed`]).

mod bitwise;
mod compare;
mod convert;
mod float;
mod int;
mod lanes;
#[cfg(test)]
mod ops;
mod relaxed;
mod shape;
mod widen;

pub(crate) use bitwise::*;
pub(crate) use compare::*;
pub(crate) use convert::*;
pub(crate) use float::*;
pub(crate) use int::*;
pub(crate) use lanes::*;
#[cfg(test)]
pub(crate) use ops::{OPERATORS, SimdOp};
pub(crate) use relaxed::*;
pub(crate) use widen::*;

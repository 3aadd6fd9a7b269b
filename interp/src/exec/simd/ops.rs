//! [`OPERATORS`]: every SIMD operator function by name and signature, so the
//! translator (and its tests) can check that each operator is covered.
//!
//! The test below walks wasmparser's own list of SIMD and relaxed SIMD
//! operators (`for_each_visit_simd_operator!`) and checks that the table holds
//! exactly the operators that are not memory accesses or `v128.const`, each
//! with an operand count that matches wasmparser's.

use super::*;
use crate::V128;

/// A SIMD operator function, by signature.
#[derive(Copy, Clone, Debug)]
pub(crate) enum SimdOp {
    /// `v128 -> v128`.
    Unary(fn(V128) -> V128),
    /// `v128 v128 -> v128`.
    Binary(fn(V128, V128) -> V128),
    /// `v128 v128 v128 -> v128`.
    Ternary(fn(V128, V128, V128) -> V128),
    /// `v128 -> i32`: `any_true`, `all_true`, `bitmask`.
    Test(fn(V128) -> u32),
    /// `v128 i32 -> v128`: the shift count is the raw `i32` operand.
    Shift(fn(V128, u32) -> V128),
    /// `i32 -> v128` or `f32 -> v128` (the float's bits).
    Splat32(fn(u32) -> V128),
    /// `i64 -> v128` or `f64 -> v128` (the float's bits).
    Splat64(fn(u64) -> V128),
    /// `v128 -> scalar` with a lane immediate; the result is a value cell.
    ExtractLane(fn(V128, u8) -> u64),
    /// `v128 scalar -> v128` with a lane immediate; the scalar is a value cell.
    ReplaceLane(fn(V128, u8, u64) -> V128),
    /// `v128 v128 -> v128` with 16 lane immediates.
    Shuffle(fn(V128, V128, [u8; 16]) -> V128),
}

/// Builds `(name, SimdOp::Kind(function))` entries from function names, so a
/// name cannot disagree with the function it labels.
macro_rules! table {
    ($($kind:ident: $($name:ident),* ;)*) => {
        &[$($((stringify!($name), SimdOp::$kind($name)),)*)*]
    };
}

/// Every SIMD and relaxed SIMD operator except memory accesses and
/// `v128.const`: its name (the operator's text name with `.` replaced by
/// `_`, which is also the function's name and wasmparser's `visit_` method
/// name without the prefix) and its function.
pub(crate) const OPERATORS: &[(&str, SimdOp)] = table! {
    Unary:
        v128_not,
        i8x16_abs, i8x16_neg, i8x16_popcnt,
        i16x8_abs, i16x8_neg, i32x4_abs, i32x4_neg, i64x2_abs, i64x2_neg,
        i16x8_extadd_pairwise_i8x16_s, i16x8_extadd_pairwise_i8x16_u,
        i32x4_extadd_pairwise_i16x8_s, i32x4_extadd_pairwise_i16x8_u,
        i16x8_extend_low_i8x16_s, i16x8_extend_high_i8x16_s,
        i16x8_extend_low_i8x16_u, i16x8_extend_high_i8x16_u,
        i32x4_extend_low_i16x8_s, i32x4_extend_high_i16x8_s,
        i32x4_extend_low_i16x8_u, i32x4_extend_high_i16x8_u,
        i64x2_extend_low_i32x4_s, i64x2_extend_high_i32x4_s,
        i64x2_extend_low_i32x4_u, i64x2_extend_high_i32x4_u,
        f32x4_ceil, f32x4_floor, f32x4_trunc, f32x4_nearest, f32x4_abs, f32x4_neg, f32x4_sqrt,
        f64x2_ceil, f64x2_floor, f64x2_trunc, f64x2_nearest, f64x2_abs, f64x2_neg, f64x2_sqrt,
        i32x4_trunc_sat_f32x4_s, i32x4_trunc_sat_f32x4_u,
        i32x4_trunc_sat_f64x2_s_zero, i32x4_trunc_sat_f64x2_u_zero,
        f32x4_convert_i32x4_s, f32x4_convert_i32x4_u,
        f64x2_convert_low_i32x4_s, f64x2_convert_low_i32x4_u,
        f32x4_demote_f64x2_zero, f64x2_promote_low_f32x4,
        i32x4_relaxed_trunc_f32x4_s, i32x4_relaxed_trunc_f32x4_u,
        i32x4_relaxed_trunc_f64x2_s_zero, i32x4_relaxed_trunc_f64x2_u_zero;
    Binary:
        v128_and, v128_andnot, v128_or, v128_xor,
        i8x16_swizzle, i8x16_relaxed_swizzle,
        i8x16_eq, i8x16_ne, i8x16_lt_s, i8x16_lt_u, i8x16_gt_s, i8x16_gt_u,
        i8x16_le_s, i8x16_le_u, i8x16_ge_s, i8x16_ge_u,
        i16x8_eq, i16x8_ne, i16x8_lt_s, i16x8_lt_u, i16x8_gt_s, i16x8_gt_u,
        i16x8_le_s, i16x8_le_u, i16x8_ge_s, i16x8_ge_u,
        i32x4_eq, i32x4_ne, i32x4_lt_s, i32x4_lt_u, i32x4_gt_s, i32x4_gt_u,
        i32x4_le_s, i32x4_le_u, i32x4_ge_s, i32x4_ge_u,
        i64x2_eq, i64x2_ne, i64x2_lt_s, i64x2_gt_s, i64x2_le_s, i64x2_ge_s,
        f32x4_eq, f32x4_ne, f32x4_lt, f32x4_gt, f32x4_le, f32x4_ge,
        f64x2_eq, f64x2_ne, f64x2_lt, f64x2_gt, f64x2_le, f64x2_ge,
        i8x16_narrow_i16x8_s, i8x16_narrow_i16x8_u, i16x8_narrow_i32x4_s, i16x8_narrow_i32x4_u,
        i8x16_add, i8x16_add_sat_s, i8x16_add_sat_u, i8x16_sub, i8x16_sub_sat_s, i8x16_sub_sat_u,
        i8x16_min_s, i8x16_min_u, i8x16_max_s, i8x16_max_u, i8x16_avgr_u,
        i16x8_add, i16x8_add_sat_s, i16x8_add_sat_u, i16x8_sub, i16x8_sub_sat_s, i16x8_sub_sat_u,
        i16x8_mul, i16x8_min_s, i16x8_min_u, i16x8_max_s, i16x8_max_u, i16x8_avgr_u,
        i16x8_q15mulr_sat_s,
        i16x8_extmul_low_i8x16_s, i16x8_extmul_high_i8x16_s,
        i16x8_extmul_low_i8x16_u, i16x8_extmul_high_i8x16_u,
        i32x4_add, i32x4_sub, i32x4_mul, i32x4_min_s, i32x4_min_u, i32x4_max_s, i32x4_max_u,
        i32x4_dot_i16x8_s,
        i32x4_extmul_low_i16x8_s, i32x4_extmul_high_i16x8_s,
        i32x4_extmul_low_i16x8_u, i32x4_extmul_high_i16x8_u,
        i64x2_add, i64x2_sub, i64x2_mul,
        i64x2_extmul_low_i32x4_s, i64x2_extmul_high_i32x4_s,
        i64x2_extmul_low_i32x4_u, i64x2_extmul_high_i32x4_u,
        f32x4_add, f32x4_sub, f32x4_mul, f32x4_div, f32x4_min, f32x4_max, f32x4_pmin, f32x4_pmax,
        f64x2_add, f64x2_sub, f64x2_mul, f64x2_div, f64x2_min, f64x2_max, f64x2_pmin, f64x2_pmax,
        f32x4_relaxed_min, f32x4_relaxed_max, f64x2_relaxed_min, f64x2_relaxed_max,
        i16x8_relaxed_q15mulr_s, i16x8_relaxed_dot_i8x16_i7x16_s;
    Ternary:
        v128_bitselect,
        f32x4_relaxed_madd, f32x4_relaxed_nmadd, f64x2_relaxed_madd, f64x2_relaxed_nmadd,
        i8x16_relaxed_laneselect, i16x8_relaxed_laneselect,
        i32x4_relaxed_laneselect, i64x2_relaxed_laneselect,
        i32x4_relaxed_dot_i8x16_i7x16_add_s;
    Test:
        v128_any_true,
        i8x16_all_true, i16x8_all_true, i32x4_all_true, i64x2_all_true,
        i8x16_bitmask, i16x8_bitmask, i32x4_bitmask, i64x2_bitmask;
    Shift:
        i8x16_shl, i8x16_shr_s, i8x16_shr_u, i16x8_shl, i16x8_shr_s, i16x8_shr_u,
        i32x4_shl, i32x4_shr_s, i32x4_shr_u, i64x2_shl, i64x2_shr_s, i64x2_shr_u;
    Splat32: i8x16_splat, i16x8_splat, i32x4_splat, f32x4_splat;
    Splat64: i64x2_splat, f64x2_splat;
    ExtractLane:
        i8x16_extract_lane_s, i8x16_extract_lane_u, i16x8_extract_lane_s, i16x8_extract_lane_u,
        i32x4_extract_lane, i64x2_extract_lane, f32x4_extract_lane, f64x2_extract_lane;
    ReplaceLane:
        i8x16_replace_lane, i16x8_replace_lane, i32x4_replace_lane, i64x2_replace_lane,
        f32x4_replace_lane, f64x2_replace_lane;
    Shuffle: i8x16_shuffle;
};

#[cfg(test)]
mod tests {
    use super::*;
    // The path the translator's tests use.
    use crate::exec::simd::{OPERATORS, SimdOp};
    use std::collections::{BTreeMap, BTreeSet};

    /// One wasmparser SIMD operator: proposal, `visit_` method name, immediate
    /// argument names and arity annotation (e.g. `arity 2 -> 1`).
    type ParserOp = (&'static str, &'static str, &'static [&'static str], &'static str);

    macro_rules! parser_ops {
        ($( @$proposal:ident $op:ident $({ $($arg:ident: $argty:ty),* })? => $visit:ident ($($ann:tt)*))*) => {
            &[$((
                stringify!($proposal),
                stringify!($visit),
                &[$($(stringify!($arg)),*)?],
                stringify!($($ann)*),
            )),*]
        };
    }

    const PARSER_OPS: &[ParserOp] = wasmparser::for_each_visit_simd_operator!(parser_ops);

    /// wasmparser's operators that have a function here, by name, with their
    /// operand count, counted per proposal.
    fn computational() -> (BTreeMap<&'static str, usize>, BTreeMap<&'static str, usize>) {
        let mut ops = BTreeMap::new();
        let mut per_proposal = BTreeMap::new();
        for &(proposal, visit, args, arity) in PARSER_OPS {
            let name = visit.strip_prefix("visit_").expect("visit_ method");
            *per_proposal.entry(proposal).or_default() += 1;
            if args.contains(&"memarg") || name == "v128_const" {
                continue;
            }
            let operands = arity
                .strip_prefix("arity ")
                .and_then(|a| a.split_once(" -> "))
                .filter(|(_, results)| results.trim() == "1")
                .and_then(|(operands, _)| operands.trim().parse().ok())
                .unwrap_or_else(|| panic!("{name}: unexpected arity `{arity}`"));
            assert!(ops.insert(name, operands).is_none(), "{name} listed twice by wasmparser");
        }
        (ops, per_proposal)
    }

    #[test]
    fn every_computational_simd_operator_has_a_function() {
        let (expected, per_proposal) = computational();
        // 236 fixed-width operators and 20 relaxed ones, as the proposals say.
        assert_eq!(per_proposal.get("simd"), Some(&236));
        assert_eq!(per_proposal.get("relaxed_simd"), Some(&20));
        // Minus 22 loads and stores and v128.const.
        assert_eq!(expected.len(), 236 - 23 + 20);

        let ours: BTreeSet<&str> = OPERATORS.iter().map(|&(name, _)| name).collect();
        assert_eq!(ours.len(), OPERATORS.len(), "a name is listed twice");
        let theirs: BTreeSet<&str> = expected.keys().copied().collect();
        let missing: Vec<_> = theirs.difference(&ours).collect();
        let extra: Vec<_> = ours.difference(&theirs).collect();
        assert!(missing.is_empty() && extra.is_empty(), "missing {missing:?}, extra {extra:?}");

        for &(name, op) in OPERATORS {
            let operands = match op {
                SimdOp::Unary(_) | SimdOp::Test(_) | SimdOp::Splat32(_) | SimdOp::Splat64(_) => 1,
                SimdOp::ExtractLane(_) => 1,
                SimdOp::Binary(_) | SimdOp::Shift(_) | SimdOp::ReplaceLane(_) => 2,
                SimdOp::Shuffle(_) => 2,
                SimdOp::Ternary(_) => 3,
            };
            assert_eq!(operands, expected[name], "{name}: operand count");
        }
    }

    #[test]
    fn immediates_match_the_signature() {
        for &(_, visit, args, _) in PARSER_OPS {
            let name = &visit["visit_".len()..];
            let Some(&(_, op)) = OPERATORS.iter().find(|(n, _)| *n == name) else { continue };
            let expected: &[&str] = match op {
                SimdOp::ExtractLane(_) | SimdOp::ReplaceLane(_) => &["lane"],
                SimdOp::Shuffle(_) => &["lanes"],
                _ => &[],
            };
            assert_eq!(args, expected, "{name}: immediates");
        }
    }

    /// A small deterministic generator of test vectors.
    fn vectors() -> impl Iterator<Item = V128> {
        let special = [0, u128::MAX, 1 << 127, 0x7fc0_0000_7f80_0001_ff80_0000_8000_0000];
        let mut state = 0x9e37_79b9_7f4a_7c15_u64;
        let random = std::iter::repeat_with(move || {
            let mut next = || {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                state
            };
            V128::from_u64x2([next(), next()])
        });
        special.into_iter().map(V128::from_u128).chain(random.take(60))
    }

    #[test]
    fn every_operator_runs_on_any_input() {
        // Out-of-range immediates must not panic either (validation rules
        // them out, but the functions stay total).
        let vs: Vec<V128> = vectors().collect();
        for &(name, op) in OPERATORS {
            for (i, &a) in vs.iter().enumerate() {
                let b = vs[(i + 1) % vs.len()];
                let c = vs[(i + 2) % vs.len()];
                let x = b.to_u64x2()[0];
                match op {
                    SimdOp::Unary(f) => drop(f(a)),
                    SimdOp::Binary(f) => drop(f(a, b)),
                    SimdOp::Ternary(f) => drop(f(a, b, c)),
                    SimdOp::Test(f) => assert!(f(a) <= 0xffff, "{name}"),
                    SimdOp::Shift(f) => drop(f(a, x as u32)),
                    SimdOp::Splat32(f) => drop(f(x as u32)),
                    SimdOp::Splat64(f) => drop(f(x)),
                    SimdOp::ExtractLane(f) => drop(f(a, x as u8)),
                    SimdOp::ReplaceLane(f) => drop(f(a, x as u8, x)),
                    SimdOp::Shuffle(f) => drop(f(a, b, c.to_le_bytes())),
                }
            }
        }
    }

    #[test]
    fn relaxed_operators_equal_their_deterministic_counterparts() {
        let find = |name: &str| OPERATORS.iter().find(|(n, _)| *n == name).unwrap().1;
        let pairs = [
            ("i8x16_relaxed_swizzle", "i8x16_swizzle"),
            ("i32x4_relaxed_trunc_f32x4_s", "i32x4_trunc_sat_f32x4_s"),
            ("i32x4_relaxed_trunc_f32x4_u", "i32x4_trunc_sat_f32x4_u"),
            ("i32x4_relaxed_trunc_f64x2_s_zero", "i32x4_trunc_sat_f64x2_s_zero"),
            ("i32x4_relaxed_trunc_f64x2_u_zero", "i32x4_trunc_sat_f64x2_u_zero"),
            ("i8x16_relaxed_laneselect", "v128_bitselect"),
            ("i16x8_relaxed_laneselect", "v128_bitselect"),
            ("i32x4_relaxed_laneselect", "v128_bitselect"),
            ("i64x2_relaxed_laneselect", "v128_bitselect"),
            ("f32x4_relaxed_min", "f32x4_min"),
            ("f32x4_relaxed_max", "f32x4_max"),
            ("f64x2_relaxed_min", "f64x2_min"),
            ("f64x2_relaxed_max", "f64x2_max"),
            ("i16x8_relaxed_q15mulr_s", "i16x8_q15mulr_sat_s"),
        ];
        let vs: Vec<V128> = vectors().collect();
        for (relaxed, plain) in pairs {
            for (i, &a) in vs.iter().enumerate() {
                let (b, c) = (vs[(i + 1) % vs.len()], vs[(i + 2) % vs.len()]);
                let (r, p) = match (find(relaxed), find(plain)) {
                    (SimdOp::Unary(r), SimdOp::Unary(p)) => (r(a), p(a)),
                    (SimdOp::Binary(r), SimdOp::Binary(p)) => (r(a, b), p(a, b)),
                    (SimdOp::Ternary(r), SimdOp::Ternary(p)) => (r(a, b, c), p(a, b, c)),
                    _ => panic!("{relaxed} and {plain} differ in signature"),
                };
                // NaN lanes may differ in payload only if the host's NaN
                // propagation is not deterministic; on one host it is.
                assert_eq!(r, p, "{relaxed} vs {plain} on {a:?} {b:?} {c:?}");
            }
        }
    }
}

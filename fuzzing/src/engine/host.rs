//! The behaviour of the oracles' host functions, the same in every engine.
//!
//! A host function is known by its index in [`super::World::hosts`]. Each
//! call counts towards its store's per-function counter (compared like
//! exported state), and returns a deterministic function of its index, how
//! many times it was called before, and its arguments: often an edge value
//! (see [`crate::value`]), sometimes one of its arguments passed through,
//! otherwise mixed bits. About one call in a hundred traps with
//! `unreachable`, so that traps cross the host boundary too.
//!
//! Engines hand the arguments over as [`Param`]s and build their results
//! from the [`HostResult`]s.

use crate::engine::TrapCode;
use crate::value::{INTERESTING_F32, INTERESTING_F64, INTERESTING_I64, Signature, Type};

/// A first argument (`i32` or `i64`) that makes every host function trap.
pub const TRAP_ARGUMENT: u64 = 0x7fff_fffe;

/// An argument as the host behaviour sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Param {
    /// A number's bits (an `f32` or `i32` in the low 32 bits).
    Bits(u64),
    /// A vector's bits.
    V128(u128),
    /// A reference, null or not (its identity is not looked at).
    Ref { null: bool },
}

/// One result, for the engine to build.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HostResult {
    /// A number's bits, for the result's type.
    Bits(u64),
    /// A vector's bits.
    V128(u128),
    /// The argument at this index, passed through (same type).
    Param(usize),
    /// A null reference.
    Null,
}

/// SplitMix64's finaliser: a cheap, well-mixed hash step.
fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// The results of a call of host function `index` with signature `sig`,
/// called `count` times before, with `params`.
///
/// # Errors
///
/// The trap the call raises (`unreachable`), for about one call in a hundred.
pub fn call(
    index: usize,
    count: u64,
    sig: &Signature,
    params: &[Param],
) -> Result<Vec<HostResult>, TrapCode> {
    let mut h = mix(index as u64 ^ (count << 20) ^ 0x5eed);
    for param in params {
        h = mix(h ^ match param {
            Param::Bits(bits) => *bits,
            Param::V128(bits) => mix(*bits as u64) ^ (*bits >> 64) as u64,
            Param::Ref { null } => u64::from(*null) + 0x1234,
        });
    }
    if h.is_multiple_of(97) || params.first() == Some(&Param::Bits(TRAP_ARGUMENT)) {
        return Err(TrapCode::Unreachable);
    }
    let results = sig
        .results
        .iter()
        .enumerate()
        .map(|(j, &ty)| {
            let v = mix(h ^ (j as u64 + 1));
            let same_type = sig.params.iter().position(|&p| p == ty);
            match ty {
                Type::FuncRef | Type::ExternRef | Type::ExnRef => match same_type {
                    Some(i) if v & 1 == 1 => HostResult::Param(i),
                    _ => HostResult::Null,
                },
                Type::V128 => match (v & 3, same_type) {
                    (1, Some(i)) => HostResult::Param(i),
                    // An edge value in every 32-bit lane, or mixed bits.
                    (0 | 1, _) => HostResult::V128((0..4).fold(0, |acc, k| {
                        acc | u128::from(edge(Type::F32, mix(v ^ k)) as u32) << (32 * k)
                    })),
                    _ => HostResult::V128(u128::from(v) | u128::from(mix(v)) << 64),
                },
                _ => match (v & 3, same_type) {
                    (1, Some(i)) => HostResult::Param(i),
                    (0 | 1, _) => HostResult::Bits(edge(ty, v >> 2)),
                    _ => HostResult::Bits(v),
                },
            }
        })
        .collect();
    Ok(results)
}

/// An edge value of a numeric type, chosen by `v`.
fn edge(ty: Type, v: u64) -> u64 {
    let pick = |len: usize| (v % len as u64) as usize;
    match ty {
        Type::I32 | Type::I64 => INTERESTING_I64[pick(INTERESTING_I64.len())] as u64,
        Type::F32 => u64::from(INTERESTING_F32[pick(INTERESTING_F32.len())]),
        Type::F64 => INTERESTING_F64[pick(INTERESTING_F64.len())],
        Type::V128 | Type::FuncRef | Type::ExternRef | Type::ExnRef => {
            unreachable!("not a scalar number")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sig(params: &[Type], results: &[Type]) -> Signature {
        Signature { params: params.to_vec(), results: results.to_vec() }
    }

    #[test]
    fn deterministic_and_sensitive_to_every_input() {
        let s = sig(&[Type::I32, Type::ExternRef], &[Type::I64, Type::ExternRef]);
        let args = [Param::Bits(7), Param::Ref { null: false }];
        let first = call(3, 0, &s, &args);
        assert_eq!(first, call(3, 0, &s, &args));
        let variants = [
            call(4, 0, &s, &args),
            call(3, 1, &s, &args),
            call(3, 0, &s, &[Param::Bits(8), Param::Ref { null: false }]),
            call(3, 0, &s, &[Param::Bits(7), Param::Ref { null: true }]),
        ];
        assert!(variants.iter().all(|v| *v != first), "{first:?} vs {variants:?}");
    }

    #[test]
    fn the_trap_argument_traps() {
        let s = sig(&[Type::I32], &[]);
        for count in 0..100 {
            assert_eq!(
                call(5, count, &s, &[Param::Bits(TRAP_ARGUMENT)]),
                Err(TrapCode::Unreachable)
            );
        }
    }

    #[test]
    fn results_cover_edges_pass_through_and_traps() {
        let s = sig(&[Type::I32], &[Type::I32, Type::FuncRef]);
        let (mut edges, mut passed, mut traps, mut refs) = (0, 0, 0, 0);
        for count in 0..2000 {
            match call(0, count, &s, &[Param::Bits(count * 31)]) {
                Err(_) => traps += 1,
                Ok(r) => {
                    assert_eq!(r.len(), 2);
                    match r[0] {
                        HostResult::Param(0) => passed += 1,
                        HostResult::Bits(b) if INTERESTING_I64.contains(&(b as i64)) => edges += 1,
                        _ => {}
                    }
                    // No funcref parameter: always null.
                    assert_eq!(r[1], HostResult::Null);
                    refs += 1;
                }
            }
        }
        assert!(
            edges > 500 && passed > 200 && traps > 5 && refs > 1900,
            "{edges} {passed} {traps}"
        );
    }
}

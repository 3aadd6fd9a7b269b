//! Turning `.wast` arguments into values and matching results against
//! `.wast` result patterns, including the NaN patterns (for `v128` results,
//! lane by lane).

use interp::{ExternRef, Store, V128, Val};
use wast::WastArg;
use wast::core::{AbstractHeapType, HeapType, NanPattern, V128Pattern, WastArgCore, WastRetCore};

/// Converts an argument; extern references become host values in `store`.
pub(crate) fn arg(store: &mut Store<()>, arg: &WastArg<'_>) -> Result<Val, String> {
    let WastArg::Core(core) = arg else {
        return Err("component-model arguments are not supported".into());
    };
    Ok(match core {
        WastArgCore::I32(v) => Val::I32(*v),
        WastArgCore::I64(v) => Val::I64(*v),
        WastArgCore::F32(v) => Val::F32(v.bits),
        WastArgCore::F64(v) => Val::F64(v.bits),
        WastArgCore::RefNull(ty) => match heap_kind(ty)? {
            RefKind::Func => Val::FuncRef(None),
            RefKind::Extern => Val::ExternRef(None),
            RefKind::Exn => Val::ExnRef(None),
        },
        WastArgCore::RefExtern(n) => Val::ExternRef(Some(ExternRef::new(store, *n))),
        WastArgCore::V128(v) => Val::V128(V128::from_le_bytes(v.to_le_bytes())),
        WastArgCore::RefHost(_) => return Err("ref.host arguments are not supported".into()),
    })
}

enum RefKind {
    Func,
    Extern,
    Exn,
}

fn heap_kind(ty: &HeapType<'_>) -> Result<RefKind, String> {
    match ty {
        HeapType::Abstract { shared: false, ty: AbstractHeapType::Func } => Ok(RefKind::Func),
        HeapType::Abstract { shared: false, ty: AbstractHeapType::Extern } => Ok(RefKind::Extern),
        HeapType::Abstract { shared: false, ty: AbstractHeapType::Exn } => Ok(RefKind::Exn),
        other => Err(format!("reference type {other:?} is not supported")),
    }
}

/// Whether `actual` matches the expected pattern.
pub(crate) fn matches(
    store: &Store<()>,
    expected: &WastRetCore<'_>,
    actual: &Val,
) -> Result<bool, String> {
    Ok(match (expected, actual) {
        (WastRetCore::I32(e), Val::I32(a)) => e == a,
        (WastRetCore::I64(e), Val::I64(a)) => e == a,
        (WastRetCore::F32(e), Val::F32(a)) => f32_matches(e, *a),
        (WastRetCore::F64(e), Val::F64(a)) => f64_matches(e, *a),
        (WastRetCore::V128(e), Val::V128(a)) => v128_matches(e, *a),
        (WastRetCore::RefNull(None), Val::FuncRef(r)) => r.is_none(),
        (WastRetCore::RefNull(None), Val::ExternRef(r)) => r.is_none(),
        (WastRetCore::RefNull(None), Val::ExnRef(r)) => r.is_none(),
        (WastRetCore::RefNull(Some(ty)), actual) => match (heap_kind(ty)?, actual) {
            (RefKind::Func, Val::FuncRef(r)) => r.is_none(),
            (RefKind::Extern, Val::ExternRef(r)) => r.is_none(),
            (RefKind::Exn, Val::ExnRef(r)) => r.is_none(),
            _ => false,
        },
        (WastRetCore::RefFunc(_), Val::FuncRef(r)) => r.is_some(),
        (WastRetCore::RefExtern(None), Val::ExternRef(r)) => r.is_some(),
        (WastRetCore::RefExtern(Some(n)), Val::ExternRef(Some(r))) => {
            r.data(store).downcast_ref::<u32>() == Some(n)
        }
        (WastRetCore::Either(cases), actual) => {
            for case in cases {
                if matches(store, case, actual)? {
                    return Ok(true);
                }
            }
            false
        }
        (
            WastRetCore::RefAny
            | WastRetCore::RefEq
            | WastRetCore::RefArray
            | WastRetCore::RefStruct
            | WastRetCore::RefI31
            | WastRetCore::RefI31Shared
            | WastRetCore::RefHost(_),
            _,
        ) => return Err(format!("result pattern {expected:?} is not supported")),
        _ => false,
    })
}

fn f32_matches(expected: &NanPattern<wast::token::F32>, bits: u32) -> bool {
    match expected {
        NanPattern::CanonicalNan => bits & 0x7fff_ffff == 0x7fc0_0000,
        NanPattern::ArithmeticNan => bits & 0x7fc0_0000 == 0x7fc0_0000,
        NanPattern::Value(v) => v.bits == bits,
    }
}

fn f64_matches(expected: &NanPattern<wast::token::F64>, bits: u64) -> bool {
    match expected {
        NanPattern::CanonicalNan => bits & 0x7fff_ffff_ffff_ffff == 0x7ff8_0000_0000_0000,
        NanPattern::ArithmeticNan => bits & 0x7ff8_0000_0000_0000 == 0x7ff8_0000_0000_0000,
        NanPattern::Value(v) => v.bits == bits,
    }
}

/// Whether a `v128` result matches a `v128.const` pattern: integer lanes
/// exactly, float lanes each by its own value or NaN pattern.
fn v128_matches(expected: &V128Pattern, actual: V128) -> bool {
    match expected {
        V128Pattern::I8x16(e) => actual.to_i8x16() == *e,
        V128Pattern::I16x8(e) => actual.to_i16x8() == *e,
        V128Pattern::I32x4(e) => actual.to_i32x4() == *e,
        V128Pattern::I64x2(e) => actual.to_i64x2() == *e,
        V128Pattern::F32x4(e) => {
            e.iter().zip(actual.to_f32x4()).all(|(e, a)| f32_matches(e, a.to_bits()))
        }
        V128Pattern::F64x2(e) => {
            e.iter().zip(actual.to_f64x2()).all(|(e, a)| f64_matches(e, a.to_bits()))
        }
    }
}

/// A short rendering of a value for failure messages.
pub(crate) fn show(val: &Val) -> String {
    match val {
        Val::I32(v) => format!("i32:{v}"),
        Val::I64(v) => format!("i64:{v}"),
        Val::F32(b) => format!("f32:{} ({b:#010x})", f32::from_bits(*b)),
        Val::F64(b) => format!("f64:{} ({b:#018x})", f64::from_bits(*b)),
        Val::V128(v) => format!("v128:{v}"),
        Val::FuncRef(None) => "ref.null func".into(),
        Val::FuncRef(Some(_)) => "ref.func".into(),
        Val::ExternRef(None) => "ref.null extern".into(),
        Val::ExternRef(Some(_)) => "ref.extern".into(),
        Val::ExnRef(None) => "ref.null exn".into(),
        Val::ExnRef(Some(_)) => "ref.exn".into(),
    }
}

//! Turning `.wast` arguments into values and matching results against
//! `.wast` result patterns, including the NaN patterns.

use interp::{ExternRef, Store, Val};
use wast::WastArg;
use wast::core::{AbstractHeapType, HeapType, NanPattern, WastArgCore, WastRetCore};

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
        WastArgCore::V128(_) => return Err("v128 arguments are not supported".into()),
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
        (WastRetCore::F32(e), Val::F32(a)) => match e {
            NanPattern::CanonicalNan => a & 0x7fff_ffff == 0x7fc0_0000,
            NanPattern::ArithmeticNan => a & 0x7fc0_0000 == 0x7fc0_0000,
            NanPattern::Value(v) => v.bits == *a,
        },
        (WastRetCore::F64(e), Val::F64(a)) => match e {
            NanPattern::CanonicalNan => a & 0x7fff_ffff_ffff_ffff == 0x7ff8_0000_0000_0000,
            NanPattern::ArithmeticNan => a & 0x7ff8_0000_0000_0000 == 0x7ff8_0000_0000_0000,
            NanPattern::Value(v) => v.bits == *a,
        },
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
        (WastRetCore::V128(_), _) => return Err("v128 results are not supported".into()),
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

/// A short rendering of a value for failure messages.
pub(crate) fn show(val: &Val) -> String {
    match val {
        Val::I32(v) => format!("i32:{v}"),
        Val::I64(v) => format!("i64:{v}"),
        Val::F32(b) => format!("f32:{} ({b:#010x})", f32::from_bits(*b)),
        Val::F64(b) => format!("f64:{} ({b:#018x})", f64::from_bits(*b)),
        Val::FuncRef(None) => "ref.null func".into(),
        Val::FuncRef(Some(_)) => "ref.func".into(),
        Val::ExternRef(None) => "ref.null extern".into(),
        Val::ExternRef(Some(_)) => "ref.extern".into(),
        Val::ExnRef(None) => "ref.null exn".into(),
        Val::ExnRef(Some(_)) => "ref.exn".into(),
    }
}

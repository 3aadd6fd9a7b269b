//! What "the same" means between interp and a reference engine: outcomes
//! (results bit for bit, or the same trap, mapped exactly between the two
//! vocabularies) and exported state (globals, memories, tables, and the
//! host functions' call counters).

use crate::engine::{DiffInstance, Export, ExportKind, Failure, Outcome, Site, Trap, TrapCode};
use crate::value::{Value, display_values};

/// The trap code a reference engine (wasmi 2 or 0.31) reports where interp
/// raised `trap`, or `None` if interp's trap is impossible at its site, so
/// that no reference trap can agree with it.
///
/// wasmi reports a `call_indirect` (or `return_call_indirect`) index past
/// the table's end as `TableOutOfBounds`; the spec (and interp) say
/// "undefined element", which only these indirect calls raise, as they alone
/// raise "uninitialized element" and "indirect call type mismatch". interp's
/// site tells which instruction trapped, so each pair maps to exactly one
/// reference code.
pub(super) fn reference_code(trap: Trap) -> Option<TrapCode> {
    let at_call_indirect = trap.site == Some(Site::CallIndirect);
    match trap.code {
        TrapCode::UndefinedElement if at_call_indirect => Some(TrapCode::TableOutOfBounds),
        TrapCode::UndefinedElement => None,
        TrapCode::TableOutOfBounds if at_call_indirect => None,
        TrapCode::UninitializedElement | TrapCode::IndirectCallTypeMismatch
            if !at_call_indirect =>
        {
            None
        }
        code => Some(code),
    }
}

/// Whether interp's outcome and a reference's agree: equal results, or
/// traps that map onto each other ([`reference_code`]).
pub(super) fn agree<T: PartialEq>(interp: &Outcome<T>, reference: &Outcome<T>) -> bool {
    match (interp, reference) {
        (Ok(x), Ok(y)) => x == y,
        (Err(Failure::Trap(x)), Err(Failure::Trap(y))) => reference_code(*x) == Some(y.code),
        _ => false,
    }
}

/// An outcome, for reports.
pub(super) fn outcome(result: &Outcome<Vec<Value>>) -> String {
    match result {
        Ok(values) => format!("returned [{}]", display_values(values)),
        Err(failure) => failure.to_string(),
    }
}

/// An instantiation outcome, for reports.
pub(super) fn instantiated<T>(result: &Outcome<T>) -> String {
    match result {
        Ok(_) => "instantiated".to_string(),
        Err(failure) => failure.to_string(),
    }
}

pub(super) fn describe_exports(exports: &[Export]) -> String {
    let items: Vec<String> = exports
        .iter()
        .map(|e| match &e.kind {
            ExportKind::Func(sig) => format!("{}.{:?}: func {sig}", e.module, e.name),
            kind => format!("{}.{:?}: {kind:?}", e.module, e.name),
        })
        .collect();
    items.join("; ")
}

/// The first exported global, memory or table, or host call counter, that
/// differs between two instances: what it is (its module named from
/// `modules`), and each side's view of it.
pub(super) fn state_difference(
    exports: &[Export],
    modules: &[&str],
    a: &dyn DiffInstance,
    b: &dyn DiffInstance,
) -> Option<(String, String, String)> {
    for export in exports {
        let (module, name) = (export.module, &export.name);
        let what = |kind: &str| match modules.get(module) {
            Some(m) => format!("{kind} {m}.{name:?}"),
            None => format!("{kind} {module}.{name:?}"),
        };
        match export.kind {
            ExportKind::Func(_) | ExportKind::Tag => {}
            ExportKind::Global => {
                let (x, y) = (a.global(module, name), b.global(module, name));
                if x != y {
                    return Some((what("global"), x.to_string(), y.to_string()));
                }
            }
            ExportKind::Memory => {
                let (x, y) = (a.memory(module, name), b.memory(module, name));
                if x != y {
                    let (x, y) = describe_memory_difference(x, y);
                    return Some((what("memory"), x, y));
                }
            }
            ExportKind::Table => {
                let (x, y) = (a.table(module, name), b.table(module, name));
                if x != y {
                    let (x, y) = describe_table_difference(&x, &y);
                    return Some((what("table"), x, y));
                }
            }
        }
    }
    let (x, y) = (a.host_calls(), b.host_calls());
    if x != y {
        let i = x.iter().zip(y).position(|(p, q)| p != q).unwrap_or(0);
        let calls = |v: &[u64]| format!("{} calls", v.get(i).copied().unwrap_or(0));
        return Some((format!("calls of host function {i}"), calls(x), calls(y)));
    }
    None
}

/// The sizes of two memories, or their first differing bytes.
fn describe_memory_difference(a: &[u8], b: &[u8]) -> (String, String) {
    if a.len() != b.len() {
        return (format!("{} bytes", a.len()), format!("{} bytes", b.len()));
    }
    let first = a.iter().zip(b).position(|(x, y)| x != y).unwrap_or(0);
    let last = a.len() - a.iter().rev().zip(b.iter().rev()).position(|(x, y)| x != y).unwrap_or(0);
    let window = |m: &[u8]| {
        let end = (first + 16).min(m.len());
        format!(
            "bytes {first:#x}..{end:#x} = {:02x?} (last difference at {:#x})",
            &m[first..end],
            last - 1
        )
    };
    (window(a), window(b))
}

/// The sizes of two tables, or their first differing element.
fn describe_table_difference(a: &[Value], b: &[Value]) -> (String, String) {
    if a.len() != b.len() {
        return (format!("{} elements", a.len()), format!("{} elements", b.len()));
    }
    let i = a.iter().zip(b).position(|(x, y)| x != y).unwrap_or(0);
    (format!("element {i} = {}", a[i]), format!("element {i} = {}", b[i]))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn trap(code: TrapCode, site: Option<Site>) -> Outcome<Vec<Value>> {
        Err(Failure::Trap(Trap { code, site }))
    }

    #[test]
    fn table_traps_map_exactly_by_site() {
        let wasmi = |code| trap(code, None);
        let ci = Some(Site::CallIndirect);
        let get = Some(Site::Other(0x25));
        // call_indirect past the end: undefined element in interp, table out
        // of bounds in wasmi.
        assert!(agree(&trap(TrapCode::UndefinedElement, ci), &wasmi(TrapCode::TableOutOfBounds)));
        assert!(!agree(&trap(TrapCode::UndefinedElement, ci), &wasmi(TrapCode::UndefinedElement)));
        // interp must not report "out of bounds table access" for a
        // call_indirect, nor "undefined element" for anything else.
        assert!(!agree(&trap(TrapCode::TableOutOfBounds, ci), &wasmi(TrapCode::TableOutOfBounds)));
        assert!(!agree(&trap(TrapCode::UndefinedElement, get), &wasmi(TrapCode::TableOutOfBounds)));
        assert!(agree(&trap(TrapCode::TableOutOfBounds, get), &wasmi(TrapCode::TableOutOfBounds)));
        // Segment initialisation at instantiation has no frame.
        let none = Some(Site::NoFrame);
        assert!(agree(&trap(TrapCode::TableOutOfBounds, none), &wasmi(TrapCode::TableOutOfBounds)));
        // Only call_indirect raises the other two indirect-call traps.
        for code in [TrapCode::UninitializedElement, TrapCode::IndirectCallTypeMismatch] {
            assert!(agree(&trap(code, ci), &wasmi(code)));
            assert!(!agree(&trap(code, get), &wasmi(code)));
        }
        assert!(agree(&trap(TrapCode::Unreachable, get), &wasmi(TrapCode::Unreachable)));
        assert!(!agree(&trap(TrapCode::Unreachable, get), &wasmi(TrapCode::IntegerOverflow)));
    }

    #[test]
    fn exhaustion_and_errors_never_agree() {
        let exhausted: Outcome<Vec<Value>> = Err(Failure::Exhausted(TrapCode::OutOfFuel));
        assert!(!agree(&exhausted, &exhausted));
        let error: Outcome<Vec<Value>> = Err(Failure::Error("x".into()));
        assert!(!agree(&error, &error));
        assert!(agree(&Ok(vec![Value::I32(1)]), &Ok(vec![Value::I32(1)])));
        assert!(!agree(&Ok(vec![Value::F32(0x7fc0_0000)]), &Ok(vec![Value::F32(0x7fc0_0001)])));
    }
}

//! A stable text form of translated code, for snapshots, `--trace` and debugging.

use std::fmt::Write;

use super::Instr;

/// Renders `code` one instruction per line as `index: Instr`, with each branch's
/// absolute target appended as `-> N`.
pub fn disassemble(code: &[Instr]) -> String {
    let mut out = String::new();
    for at in 0..code.len() {
        line(&mut out, code, at);
    }
    out
}

/// The lines of [`disassemble`] within `radius` instructions of `at`, with a
/// `>` before the instruction at `at`; the first `2 * radius + 1` lines when
/// `at` is `None`. For error messages about one instruction.
pub(crate) fn disassemble_around(code: &[Instr], at: Option<usize>, radius: usize) -> String {
    let (start, end) = match at {
        Some(at) => (at.saturating_sub(radius), at.saturating_add(radius + 1)),
        None => (0, 2 * radius + 1),
    };
    let mut out = String::new();
    if start > 0 {
        out.push_str("   ...\n");
    }
    for i in start..end.min(code.len()) {
        out.push_str(if Some(i) == at { ">" } else { " " });
        line(&mut out, code, i);
    }
    if end < code.len() {
        out.push_str("   ...\n");
    }
    out
}

fn line(out: &mut String, code: &[Instr], at: usize) {
    let instr = &code[at];
    let _ = write!(out, "{at:4}: {instr:?}");
    if let Some(offset) = instr.branch_offset() {
        let _ = write!(out, "  -> {}", at as i64 + i64::from(offset));
    }
    out.push('\n');
}

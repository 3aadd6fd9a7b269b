//! A stable text form of translated code, for snapshots, `--trace` and debugging.

use std::fmt::Write;

use super::Instr;

/// Renders `code` one instruction per line as `index: Instr`, with each branch's
/// absolute target appended as `-> N`.
pub fn disassemble(code: &[Instr]) -> String {
    let mut out = String::new();
    for (i, instr) in code.iter().enumerate() {
        let _ = write!(out, "{i:4}: {instr:?}");
        if let Some(offset) = branch_offset(instr) {
            let _ = write!(out, "  -> {}", i as i64 + i64::from(offset));
        }
        out.push('\n');
    }
    out
}

/// The relative branch offset of a branch instruction.
pub(crate) fn branch_offset(instr: &Instr) -> Option<i32> {
    let mut copy = *instr;
    branch_offset_mut(&mut copy).copied()
}

/// Mutable access to a branch instruction's offset, for patching forward jumps.
pub(crate) fn branch_offset_mut(instr: &mut Instr) -> Option<&mut i32> {
    use Instr::*;
    match instr {
        Br { offset }
        | BrIfEqz { offset, .. }
        | BrIfNez { offset, .. }
        | BrIfI32Eq { offset, .. }
        | BrIfI32Ne { offset, .. }
        | BrIfI32LtS { offset, .. }
        | BrIfI32LtU { offset, .. }
        | BrIfI32LeS { offset, .. }
        | BrIfI32LeU { offset, .. }
        | BrIfI64Eq { offset, .. }
        | BrIfI64Ne { offset, .. }
        | BrIfI64LtS { offset, .. }
        | BrIfI64LtU { offset, .. }
        | BrIfI64LeS { offset, .. }
        | BrIfI64LeU { offset, .. }
        | BrIfI32EqImm { offset, .. }
        | BrIfI32NeImm { offset, .. }
        | BrIfI32LtSImm { offset, .. }
        | BrIfI32LtUImm { offset, .. }
        | BrIfI32GtSImm { offset, .. }
        | BrIfI32GtUImm { offset, .. }
        | BrIfI32LeSImm { offset, .. }
        | BrIfI32LeUImm { offset, .. }
        | BrIfI32GeSImm { offset, .. }
        | BrIfI32GeUImm { offset, .. }
        | BrIfI64EqImm { offset, .. }
        | BrIfI64NeImm { offset, .. }
        | BrIfI64LtSImm { offset, .. }
        | BrIfI64LtUImm { offset, .. }
        | BrIfI64GtSImm { offset, .. }
        | BrIfI64GtUImm { offset, .. }
        | BrIfI64LeSImm { offset, .. }
        | BrIfI64LeUImm { offset, .. }
        | BrIfI64GeSImm { offset, .. }
        | BrIfI64GeUImm { offset, .. } => Some(offset),
        _ => None,
    }
}

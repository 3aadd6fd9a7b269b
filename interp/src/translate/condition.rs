//! Branch conditions: what a conditional branch tests, and the fused
//! compare-and-branch instruction that tests it.
//!
//! `br_if` and `if` pop an i32; when the instruction just emitted computed it
//! with a comparison ([`as_condition`]), the translator removes that
//! instruction and branches on the comparison itself ([`Cond::branch`]).

use crate::ir::{Instr, Offset, Slot};

/// An integer comparison a conditional branch can test directly.
#[derive(Debug, Copy, Clone, PartialEq, Eq)]
pub(super) enum Cmp {
    Eq,
    Ne,
    LtS,
    LtU,
    GtS,
    GtU,
    LeS,
    LeU,
    GeS,
    GeU,
}

impl Cmp {
    pub(super) fn negate(self) -> Cmp {
        match self {
            Cmp::Eq => Cmp::Ne,
            Cmp::Ne => Cmp::Eq,
            Cmp::LtS => Cmp::GeS,
            Cmp::LtU => Cmp::GeU,
            Cmp::GtS => Cmp::LeS,
            Cmp::GtU => Cmp::LeU,
            Cmp::LeS => Cmp::GtS,
            Cmp::LeU => Cmp::GtU,
            Cmp::GeS => Cmp::LtS,
            Cmp::GeU => Cmp::LtU,
        }
    }
}

/// How a branch condition is tested.
#[derive(Debug, Copy, Clone)]
pub(super) enum Cond {
    /// The i32 in the slot is non-zero.
    Nez(Slot),
    /// The i32 in the slot is zero.
    Eqz(Slot),
    /// A comparison of two slots; `wide` for i64.
    Cmp { op: Cmp, wide: bool, lhs: Slot, rhs: Slot },
    /// A comparison of a slot with an immediate.
    CmpImm { op: Cmp, wide: bool, lhs: Slot, imm: i32 },
    /// Known at translation time.
    Always(bool),
}

impl Cond {
    pub(super) fn negate(self) -> Cond {
        match self {
            Cond::Nez(s) => Cond::Eqz(s),
            Cond::Eqz(s) => Cond::Nez(s),
            Cond::Cmp { op, wide, lhs, rhs } => Cond::Cmp { op: op.negate(), wide, lhs, rhs },
            Cond::CmpImm { op, wide, lhs, imm } => Cond::CmpImm { op: op.negate(), wide, lhs, imm },
            Cond::Always(b) => Cond::Always(!b),
        }
    }

    /// The branch instruction testing this condition (not `Always`).
    pub(super) fn branch(self, offset: Offset) -> Instr {
        use Instr::*;
        match self {
            Cond::Nez(cond) => BrIfNez { cond, offset },
            Cond::Eqz(cond) => BrIfEqz { cond, offset },
            Cond::Always(_) => Br { offset },
            Cond::Cmp { op, wide, lhs, rhs } => {
                // `>` and `>=` are `<` and `<=` with the operands swapped.
                let (op, lhs, rhs) = match op {
                    Cmp::GtS => (Cmp::LtS, rhs, lhs),
                    Cmp::GtU => (Cmp::LtU, rhs, lhs),
                    Cmp::GeS => (Cmp::LeS, rhs, lhs),
                    Cmp::GeU => (Cmp::LeU, rhs, lhs),
                    op => (op, lhs, rhs),
                };
                match (wide, op) {
                    (false, Cmp::Eq) => BrIfI32Eq { lhs, rhs, offset },
                    (false, Cmp::Ne) => BrIfI32Ne { lhs, rhs, offset },
                    (false, Cmp::LtS) => BrIfI32LtS { lhs, rhs, offset },
                    (false, Cmp::LtU) => BrIfI32LtU { lhs, rhs, offset },
                    (false, Cmp::LeS) => BrIfI32LeS { lhs, rhs, offset },
                    (false, Cmp::LeU) => BrIfI32LeU { lhs, rhs, offset },
                    (true, Cmp::Eq) => BrIfI64Eq { lhs, rhs, offset },
                    (true, Cmp::Ne) => BrIfI64Ne { lhs, rhs, offset },
                    (true, Cmp::LtS) => BrIfI64LtS { lhs, rhs, offset },
                    (true, Cmp::LtU) => BrIfI64LtU { lhs, rhs, offset },
                    (true, Cmp::LeS) => BrIfI64LeS { lhs, rhs, offset },
                    (true, Cmp::LeU) => BrIfI64LeU { lhs, rhs, offset },
                    (_, Cmp::GtS | Cmp::GtU | Cmp::GeS | Cmp::GeU) => unreachable!("swapped above"),
                }
            }
            Cond::CmpImm { op, wide, lhs, imm } => match (wide, op) {
                (false, Cmp::Eq) => BrIfI32EqImm { lhs, imm, offset },
                (false, Cmp::Ne) => BrIfI32NeImm { lhs, imm, offset },
                (false, Cmp::LtS) => BrIfI32LtSImm { lhs, imm, offset },
                (false, Cmp::LtU) => BrIfI32LtUImm { lhs, imm, offset },
                (false, Cmp::GtS) => BrIfI32GtSImm { lhs, imm, offset },
                (false, Cmp::GtU) => BrIfI32GtUImm { lhs, imm, offset },
                (false, Cmp::LeS) => BrIfI32LeSImm { lhs, imm, offset },
                (false, Cmp::LeU) => BrIfI32LeUImm { lhs, imm, offset },
                (false, Cmp::GeS) => BrIfI32GeSImm { lhs, imm, offset },
                (false, Cmp::GeU) => BrIfI32GeUImm { lhs, imm, offset },
                (true, Cmp::Eq) => BrIfI64EqImm { lhs, imm, offset },
                (true, Cmp::Ne) => BrIfI64NeImm { lhs, imm, offset },
                (true, Cmp::LtS) => BrIfI64LtSImm { lhs, imm, offset },
                (true, Cmp::LtU) => BrIfI64LtUImm { lhs, imm, offset },
                (true, Cmp::GtS) => BrIfI64GtSImm { lhs, imm, offset },
                (true, Cmp::GtU) => BrIfI64GtUImm { lhs, imm, offset },
                (true, Cmp::LeS) => BrIfI64LeSImm { lhs, imm, offset },
                (true, Cmp::LeU) => BrIfI64LeUImm { lhs, imm, offset },
                (true, Cmp::GeS) => BrIfI64GeSImm { lhs, imm, offset },
                (true, Cmp::GeU) => BrIfI64GeUImm { lhs, imm, offset },
            },
        }
    }
}

/// `select` on this condition as one instruction, `dst = if cond { a } else
/// { b }`: a comparison of two slots becomes a `Select*` comparing them
/// (`>` and `>=`... as `<` with the operands or the arms swapped), `eqz`
/// a plain `Select` with the arms swapped. `None` for the rest.
pub(super) fn select_on(cond: Cond, dst: Slot, a: Slot, b: Slot) -> Option<Instr> {
    use Instr::*;
    let Cond::Cmp { op, wide, lhs, rhs } = cond else {
        return match cond {
            Cond::Eqz(cond) => Some(Select { dst, cond, a: b, b: a }),
            _ => None,
        };
    };
    // (comparison, operands swapped, arms swapped)
    let (base, swap_operands, swap_arms) = match op {
        Cmp::Eq => (Cmp::Eq, false, false),
        Cmp::Ne => (Cmp::Eq, false, true),
        Cmp::LtS => (Cmp::LtS, false, false),
        Cmp::LtU => (Cmp::LtU, false, false),
        Cmp::GtS => (Cmp::LtS, true, false),
        Cmp::GtU => (Cmp::LtU, true, false),
        Cmp::GeS => (Cmp::LtS, false, true),
        Cmp::GeU => (Cmp::LtU, false, true),
        Cmp::LeS => (Cmp::LtS, true, true),
        Cmp::LeU => (Cmp::LtU, true, true),
    };
    let (lhs, rhs) = if swap_operands { (rhs, lhs) } else { (lhs, rhs) };
    let (a, b) = if swap_arms { (b, a) } else { (a, b) };
    Some(match (wide, base) {
        (false, Cmp::Eq) => SelectI32Eq { dst, lhs, rhs, a, b },
        (false, Cmp::LtS) => SelectI32LtS { dst, lhs, rhs, a, b },
        (false, Cmp::LtU) => SelectI32LtU { dst, lhs, rhs, a, b },
        (true, Cmp::Eq) => SelectI64Eq { dst, lhs, rhs, a, b },
        (true, Cmp::LtS) => SelectI64LtS { dst, lhs, rhs, a, b },
        (true, Cmp::LtU) => SelectI64LtU { dst, lhs, rhs, a, b },
        (_, _) => unreachable!("reduced to Eq, LtS and LtU above"),
    })
}

/// Recognises an instruction that computes an i32 condition, so a branch on its
/// result can test the operands directly.
pub(super) fn as_condition(instr: &Instr) -> Option<Cond> {
    use Instr::*;
    let cmp = |op, wide, lhs, rhs| Some(Cond::Cmp { op, wide, lhs, rhs });
    let imm = |op, wide, lhs, imm| Some(Cond::CmpImm { op, wide, lhs, imm });
    match *instr {
        I32Eqz { src, .. } => Some(Cond::Eqz(src)),
        I32Eq { lhs, rhs, .. } => cmp(Cmp::Eq, false, lhs, rhs),
        I32Ne { lhs, rhs, .. } => cmp(Cmp::Ne, false, lhs, rhs),
        I32LtS { lhs, rhs, .. } => cmp(Cmp::LtS, false, lhs, rhs),
        I32LtU { lhs, rhs, .. } => cmp(Cmp::LtU, false, lhs, rhs),
        I32GtS { lhs, rhs, .. } => cmp(Cmp::GtS, false, lhs, rhs),
        I32GtU { lhs, rhs, .. } => cmp(Cmp::GtU, false, lhs, rhs),
        I32LeS { lhs, rhs, .. } => cmp(Cmp::LeS, false, lhs, rhs),
        I32LeU { lhs, rhs, .. } => cmp(Cmp::LeU, false, lhs, rhs),
        I32GeS { lhs, rhs, .. } => cmp(Cmp::GeS, false, lhs, rhs),
        I32GeU { lhs, rhs, .. } => cmp(Cmp::GeU, false, lhs, rhs),
        I64Eq { lhs, rhs, .. } => cmp(Cmp::Eq, true, lhs, rhs),
        I64Ne { lhs, rhs, .. } => cmp(Cmp::Ne, true, lhs, rhs),
        I64LtS { lhs, rhs, .. } => cmp(Cmp::LtS, true, lhs, rhs),
        I64LtU { lhs, rhs, .. } => cmp(Cmp::LtU, true, lhs, rhs),
        I64GtS { lhs, rhs, .. } => cmp(Cmp::GtS, true, lhs, rhs),
        I64GtU { lhs, rhs, .. } => cmp(Cmp::GtU, true, lhs, rhs),
        I64LeS { lhs, rhs, .. } => cmp(Cmp::LeS, true, lhs, rhs),
        I64LeU { lhs, rhs, .. } => cmp(Cmp::LeU, true, lhs, rhs),
        I64GeS { lhs, rhs, .. } => cmp(Cmp::GeS, true, lhs, rhs),
        I64GeU { lhs, rhs, .. } => cmp(Cmp::GeU, true, lhs, rhs),
        I32EqImm { lhs, imm: i, .. } => imm(Cmp::Eq, false, lhs, i),
        I32NeImm { lhs, imm: i, .. } => imm(Cmp::Ne, false, lhs, i),
        I32LtSImm { lhs, imm: i, .. } => imm(Cmp::LtS, false, lhs, i),
        I32LtUImm { lhs, imm: i, .. } => imm(Cmp::LtU, false, lhs, i),
        I32GtSImm { lhs, imm: i, .. } => imm(Cmp::GtS, false, lhs, i),
        I32GtUImm { lhs, imm: i, .. } => imm(Cmp::GtU, false, lhs, i),
        I32LeSImm { lhs, imm: i, .. } => imm(Cmp::LeS, false, lhs, i),
        I32LeUImm { lhs, imm: i, .. } => imm(Cmp::LeU, false, lhs, i),
        I32GeSImm { lhs, imm: i, .. } => imm(Cmp::GeS, false, lhs, i),
        I32GeUImm { lhs, imm: i, .. } => imm(Cmp::GeU, false, lhs, i),
        I64EqImm { lhs, imm: i, .. } => imm(Cmp::Eq, true, lhs, i),
        I64NeImm { lhs, imm: i, .. } => imm(Cmp::Ne, true, lhs, i),
        I64LtSImm { lhs, imm: i, .. } => imm(Cmp::LtS, true, lhs, i),
        I64LtUImm { lhs, imm: i, .. } => imm(Cmp::LtU, true, lhs, i),
        I64GtSImm { lhs, imm: i, .. } => imm(Cmp::GtS, true, lhs, i),
        I64GtUImm { lhs, imm: i, .. } => imm(Cmp::GtU, true, lhs, i),
        I64LeSImm { lhs, imm: i, .. } => imm(Cmp::LeS, true, lhs, i),
        I64LeUImm { lhs, imm: i, .. } => imm(Cmp::LeU, true, lhs, i),
        I64GeSImm { lhs, imm: i, .. } => imm(Cmp::GeS, true, lhs, i),
        I64GeUImm { lhs, imm: i, .. } => imm(Cmp::GeU, true, lhs, i),
        I64Eqz { src, .. } => imm(Cmp::Eq, true, src, 0),
        // Everything else computes no i32 condition from a comparison.
        Trap { .. }
        | Trace { .. }
        | ConsumeFuel { .. }
        | Br { .. }
        | BrIfEqz { .. }
        | BrIfNez { .. }
        | BrIfI32Eq { .. }
        | BrIfI32Ne { .. }
        | BrIfI32LtS { .. }
        | BrIfI32LtU { .. }
        | BrIfI32LeS { .. }
        | BrIfI32LeU { .. }
        | BrIfI64Eq { .. }
        | BrIfI64Ne { .. }
        | BrIfI64LtS { .. }
        | BrIfI64LtU { .. }
        | BrIfI64LeS { .. }
        | BrIfI64LeU { .. }
        | BrIfI32EqImm { .. }
        | BrIfI32NeImm { .. }
        | BrIfI32LtSImm { .. }
        | BrIfI32LtUImm { .. }
        | BrIfI32GtSImm { .. }
        | BrIfI32GtUImm { .. }
        | BrIfI32LeSImm { .. }
        | BrIfI32LeUImm { .. }
        | BrIfI32GeSImm { .. }
        | BrIfI32GeUImm { .. }
        | BrIfI64EqImm { .. }
        | BrIfI64NeImm { .. }
        | BrIfI64LtSImm { .. }
        | BrIfI64LtUImm { .. }
        | BrIfI64GtSImm { .. }
        | BrIfI64GtUImm { .. }
        | BrIfI64LeSImm { .. }
        | BrIfI64LeUImm { .. }
        | BrIfI64GeSImm { .. }
        | BrIfI64GeUImm { .. }
        | StepBrIfNez { .. }
        | StepBrIfI32Ne { .. }
        | StepBrIfI32LtU { .. }
        | StepBrIfI32NeImm { .. }
        | AddBrIfI32Ne { .. }
        | AddBrIfI32LtU { .. }
        | BrTable { .. }
        | Return
        | ReturnSlot { .. }
        | ReturnSpan { .. }
        | ReturnImm32 { .. }
        | Call { .. }
        | CallImported { .. }
        | CallIndirect { .. }
        | ReturnCall { .. }
        | ReturnCallImported { .. }
        | ReturnCallIndirect { .. }
        | Throw { .. }
        | ThrowRef { .. }
        | Copy { .. }
        | CopySpan { .. }
        | Const32 { .. }
        | Const64 { .. }
        | Select { .. }
        | GlobalGet { .. }
        | GlobalSet { .. }
        | Load8S { .. }
        | Load8U { .. }
        | Load16S { .. }
        | Load16U { .. }
        | Load32S { .. }
        | Load32 { .. }
        | Load64 { .. }
        | Load8SSum { .. }
        | Load8USum { .. }
        | Load16SSum { .. }
        | Load16USum { .. }
        | Load32SSum { .. }
        | Load32Sum { .. }
        | Load64Sum { .. }
        | Load8SDisp { .. }
        | Load8UDisp { .. }
        | Load16SDisp { .. }
        | Load16UDisp { .. }
        | Load32SDisp { .. }
        | Load32Disp { .. }
        | Load64Disp { .. }
        | Store8Sum { .. }
        | Store16Sum { .. }
        | Store32Sum { .. }
        | Store64Sum { .. }
        | Store8Disp { .. }
        | Store16Disp { .. }
        | Store32Disp { .. }
        | Store64Disp { .. }
        | I32AddShl { .. }
        | Copy2 { .. }
        | SelectI32Eq { .. }
        | SelectI32LtS { .. }
        | SelectI32LtU { .. }
        | SelectI64Eq { .. }
        | SelectI64LtS { .. }
        | SelectI64LtU { .. }
        | Store8 { .. }
        | Store16 { .. }
        | Store32 { .. }
        | Store64 { .. }
        | Load8SMem { .. }
        | Load8UMem { .. }
        | Load16SMem { .. }
        | Load16UMem { .. }
        | Load32SMem { .. }
        | Load32Mem { .. }
        | Load64Mem { .. }
        | Store8Mem { .. }
        | Store16Mem { .. }
        | Store32Mem { .. }
        | Store64Mem { .. }
        | MemorySizeMem { .. }
        | MemoryGrowMem { .. }
        | MemoryFillMem { .. }
        | MemoryCopyMem { .. }
        | MemoryInitMem { .. }
        | V128LoadMem { .. }
        | V128StoreMem { .. }
        | V128LoadLaneMem { .. }
        | V128StoreLaneMem { .. }
        | NarrowIndex64 { .. }
        | Store8Imm { .. }
        | Store16Imm { .. }
        | Store32Imm { .. }
        | Store64Imm { .. }
        | MemorySize { .. }
        | MemoryGrow { .. }
        | MemoryFill { .. }
        | MemoryCopy { .. }
        | MemoryInit { .. }
        | DataDrop { .. }
        | TableGet { .. }
        | TableSet { .. }
        | TableSize { .. }
        | TableGrow { .. }
        | TableFill { .. }
        | TableCopy { .. }
        | TableInit { .. }
        | ElemDrop { .. }
        | RefFunc { .. }
        | RefIsNull { .. }
        | Data { .. }
        | I64Add128 { .. }
        | I64Sub128 { .. }
        | I64MulWideS { .. }
        | I64MulWideU { .. }
        | I32Clz { .. }
        | I32Ctz { .. }
        | I32Popcnt { .. }
        | I32Extend8S { .. }
        | I32Extend16S { .. }
        | I32Add { .. }
        | I32Sub { .. }
        | I32Mul { .. }
        | I32DivS { .. }
        | I32DivU { .. }
        | I32RemS { .. }
        | I32RemU { .. }
        | I32And { .. }
        | I32Or { .. }
        | I32Xor { .. }
        | I32Shl { .. }
        | I32ShrS { .. }
        | I32ShrU { .. }
        | I32Rotl { .. }
        | I32Rotr { .. }
        | I32AddImm { .. }
        | I32RSubImm { .. }
        | I32MulImm { .. }
        | I32DivSImm { .. }
        | I32DivUImm { .. }
        | I32RemSImm { .. }
        | I32RemUImm { .. }
        | I32AndImm { .. }
        | I32OrImm { .. }
        | I32XorImm { .. }
        | I32ShlImm { .. }
        | I32ShrSImm { .. }
        | I32ShrUImm { .. }
        | I32RotlImm { .. }
        | I32RotrImm { .. }
        | I64Clz { .. }
        | I64Ctz { .. }
        | I64Popcnt { .. }
        | I64Extend8S { .. }
        | I64Extend16S { .. }
        | I64Extend32S { .. }
        | I64ExtendI32U { .. }
        | I64Add { .. }
        | I64Sub { .. }
        | I64Mul { .. }
        | I64DivS { .. }
        | I64DivU { .. }
        | I64RemS { .. }
        | I64RemU { .. }
        | I64And { .. }
        | I64Or { .. }
        | I64Xor { .. }
        | I64Shl { .. }
        | I64ShrS { .. }
        | I64ShrU { .. }
        | I64Rotl { .. }
        | I64Rotr { .. }
        | I64AddImm { .. }
        | I64RSubImm { .. }
        | I64MulImm { .. }
        | I64DivSImm { .. }
        | I64DivUImm { .. }
        | I64RemSImm { .. }
        | I64RemUImm { .. }
        | I64AndImm { .. }
        | I64OrImm { .. }
        | I64XorImm { .. }
        | I64ShlImm { .. }
        | I64ShrSImm { .. }
        | I64ShrUImm { .. }
        | I64RotlImm { .. }
        | I64RotrImm { .. }
        | F32Abs { .. }
        | F32Neg { .. }
        | F32Ceil { .. }
        | F32Floor { .. }
        | F32Trunc { .. }
        | F32Nearest { .. }
        | F32Sqrt { .. }
        | F32Eq { .. }
        | F32Ne { .. }
        | F32Lt { .. }
        | F32Gt { .. }
        | F32Le { .. }
        | F32Ge { .. }
        | F32Add { .. }
        | F32Sub { .. }
        | F32Mul { .. }
        | F32Div { .. }
        | F32Min { .. }
        | F32Max { .. }
        | F32Copysign { .. }
        | F64Abs { .. }
        | F64Neg { .. }
        | F64Ceil { .. }
        | F64Floor { .. }
        | F64Trunc { .. }
        | F64Nearest { .. }
        | F64Sqrt { .. }
        | F64Eq { .. }
        | F64Ne { .. }
        | F64Lt { .. }
        | F64Gt { .. }
        | F64Le { .. }
        | F64Ge { .. }
        | F64Add { .. }
        | F64Sub { .. }
        | F64Mul { .. }
        | F64Div { .. }
        | F64Min { .. }
        | F64Max { .. }
        | F64Copysign { .. }
        | I32TruncF32S { .. }
        | I32TruncF32U { .. }
        | I32TruncF64S { .. }
        | I32TruncF64U { .. }
        | I64TruncF32S { .. }
        | I64TruncF32U { .. }
        | I64TruncF64S { .. }
        | I64TruncF64U { .. }
        | I32TruncSatF32S { .. }
        | I32TruncSatF32U { .. }
        | I32TruncSatF64S { .. }
        | I32TruncSatF64U { .. }
        | I64TruncSatF32S { .. }
        | I64TruncSatF32U { .. }
        | I64TruncSatF64S { .. }
        | I64TruncSatF64U { .. }
        | F32ConvertI32S { .. }
        | F32ConvertI32U { .. }
        | F32ConvertI64S { .. }
        | F32ConvertI64U { .. }
        | F32DemoteF64 { .. }
        | F64ConvertI32S { .. }
        | F64ConvertI32U { .. }
        | F64ConvertI64S { .. }
        | F64ConvertI64U { .. }
        | F64PromoteF32 { .. }
        | V128Copy { .. }
        | V128Const { .. }
        | V128Select { .. }
        | V128GlobalGet { .. }
        | V128GlobalSet { .. }
        | V128Unary { .. }
        | V128Binary { .. }
        | V128Ternary { .. }
        | V128Shift { .. }
        | V128Test { .. }
        | V128Splat { .. }
        | V128ExtractLane { .. }
        | V128ReplaceLane { .. }
        | I8x16Shuffle { .. }
        | V128Load { .. }
        | V128Store { .. }
        | V128LoadLane { .. }
        | V128StoreLane { .. } => None,
    }
}

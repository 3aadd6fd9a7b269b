//! What each instruction reads, writes and refers to, and how control leaves
//! it: [`Instr::operands`], one exhaustive match over the instruction set.
//!
//! Every question about instructions in general is answered from this one
//! table: the result slot the translator retargets into a local
//! ([`Instr::result_slot_mut`]), whether an instruction needs a source offset
//! for backtraces ([`Instr::may_trap`]), the branch offset the translator
//! patches ([`Instr::branch_offset_mut`]), the control flow the peephole pass
//! and the verifier ([`super::verify`]) follow, and every slot and index the
//! verifier checks. A new variant does not compile until it is described here.

use super::{Instr, Mem, Offset, Slot};

/// How control leaves an instruction.
#[derive(Debug, Copy, Clone, PartialEq, Eq)]
pub(crate) enum Flow {
    /// Continues with the next instruction (calls return to it).
    Next,
    /// Continues after the data word that follows it, which holds `DataWord`.
    NextAfterData(DataWord),
    /// Branches or continues with the next instruction.
    Branch,
    /// Always branches.
    Jump,
    /// Jumps to one of the `len + 1` entries that follow it.
    Table { len: u32 },
    /// Returns from the function; `results` is how many values it returns, or
    /// `None` when it returns whatever the function's result slots hold.
    Return { results: Option<u32> },
    /// Leaves the function by a tail call: the callee replaces its frame and
    /// returns to its caller.
    TailCall,
    /// Traps.
    Trap,
    /// Throws an exception: control continues at a handler of this function
    /// (from its handler table) or of a caller, never at the next instruction.
    Throw,
    /// Not executed: the data word of the instruction before it.
    Data,
}

/// What the data word after an instruction holds.
#[derive(Debug, Copy, Clone, PartialEq, Eq)]
pub(crate) enum DataWord {
    /// `a` is a table index (`TableInit`).
    TableIndex,
    /// `a` and `b` are the low and high halves of a memory offset
    /// (`V128LoadLane`, whose `b` is 0, and the loads and stores of the `*Mem`
    /// family).
    Offset,
    /// `a` is a data segment index (`MemoryInitMem`).
    DataSegment,
}

/// Something outside the frame an instruction refers to by index.
#[derive(Debug, Copy, Clone, PartialEq, Eq)]
pub(crate) enum Ref {
    /// A function in the module's function index space (imports first).
    Func(u32),
    /// A function the module defines: an index into its code.
    DefinedFunc(u32),
    /// An imported function: an index into the function index space below
    /// the first defined function.
    ImportedFunc(u32),
    /// A function type, by engine-wide id.
    Sig(u32),
    /// A global, read or written.
    Global { index: u32, write: bool },
    /// A table.
    Table(u32),
    /// A table of function references (the table of a `call_indirect`).
    FuncTable(u32),
    /// Memory 0, with 32-bit addresses: the hot instructions, which use the
    /// executor's cache of memory 0.
    Memory,
    /// Memory 0, with 32-bit addresses and 64 KiB pages: `MemorySize` and
    /// `MemoryGrow`, which count 64 KiB pages.
    MemoryPages,
    /// Any memory, with the given address width (the `*Mem` family).
    Mem(Mem),
    /// A data segment.
    Data(u32),
    /// An element segment.
    Elem(u32),
    /// A trace point of the function.
    TracePoint(u32),
    /// An entry of the function's constant pool (`v128` constants and
    /// shuffle lane indices).
    Const(u32),
    /// A tag (exception handling), by module tag index.
    Tag(u32),
}

/// The control flow of an instruction and whether it can trap.
#[derive(Debug, Copy, Clone, PartialEq, Eq)]
pub(crate) struct Effect {
    pub flow: Flow,
    /// Whether executing it can trap or call (such instructions get a source
    /// offset recorded for backtraces).
    pub may_trap: bool,
}

impl Effect {
    const NEXT: Effect = Effect::flow(Flow::Next);
    const BRANCH: Effect = Effect::flow(Flow::Branch);

    const fn flow(flow: Flow) -> Effect {
        Effect { flow, may_trap: false }
    }

    const fn trapping(self) -> Effect {
        Effect { may_trap: true, ..self }
    }
}

/// Receives the operands of one instruction from [`Instr::operands`]. Every
/// method does nothing by default.
pub(crate) trait Operands<'a> {
    /// A slot the instruction reads.
    fn read(&mut self, _slot: &'a mut Slot) {}
    /// The one slot the instruction writes: its result.
    fn write(&mut self, _slot: &'a mut Slot) {}
    /// A `v128` the instruction reads: the two cells from `slot`. By default
    /// reported as a [`read`](Operands::read) of its first cell.
    fn read_v128(&mut self, slot: &'a mut Slot) {
        self.read(slot);
    }
    /// The `v128` result the instruction writes: the two cells from `slot`.
    /// By default reported as a [`write`](Operands::write) of its first cell.
    fn write_v128(&mut self, slot: &'a mut Slot) {
        self.write(slot);
    }
    /// A lane immediate of a vector shape with `lanes` lanes.
    fn lane(&mut self, _lane: u8, _lanes: u8) {}
    /// `len` consecutive slots from `first`, read or written (a two-slot
    /// 128-bit result is a span, so it is never retargeted as a single slot).
    fn span(&mut self, _first: Slot, _len: u32) {}
    /// A call whose arguments and results occupy the slots from `base`, as
    /// many as the callee's type needs.
    fn call(&mut self, _base: Slot, _callee: Ref) {}
    /// A branch offset, relative to the instruction.
    fn branch(&mut self, _offset: &'a mut Offset) {}
    /// Something outside the frame, referred to by index.
    fn refer(&mut self, _item: Ref) {}
    /// A `throw` of tag `tag` whose payload occupies the slots from `base`,
    /// as many as the tag has parameters.
    fn throw(&mut self, _base: Slot, _tag: u32) {}
}

fn unary<'a>(v: &mut impl Operands<'a>, dst: &'a mut Slot, src: &'a mut Slot) -> Effect {
    v.read(src);
    v.write(dst);
    Effect::NEXT
}

fn binary<'a>(
    v: &mut impl Operands<'a>,
    dst: &'a mut Slot,
    lhs: &'a mut Slot,
    rhs: &'a mut Slot,
) -> Effect {
    v.read(lhs);
    v.read(rhs);
    v.write(dst);
    Effect::NEXT
}

fn unary_v128<'a>(v: &mut impl Operands<'a>, dst: &'a mut Slot, src: &'a mut Slot) -> Effect {
    v.read_v128(src);
    v.write_v128(dst);
    Effect::NEXT
}

/// Reads the three operands of a bulk memory or table operation.
fn read3<'a>(v: &mut impl Operands<'a>, a: &'a mut Slot, b: &'a mut Slot, c: &'a mut Slot) {
    v.read(a);
    v.read(b);
    v.read(c);
}

impl Instr {
    /// Reports this instruction's operands to `v` and returns its effect.
    pub(crate) fn operands<'a>(&'a mut self, v: &mut impl Operands<'a>) -> Effect {
        use Instr::*;
        match self {
            // ---- control ----
            Trap { .. } => Effect::flow(Flow::Trap).trapping(),
            Trace { op } => {
                v.refer(Ref::TracePoint(*op));
                Effect::NEXT
            }
            ConsumeFuel { .. } => Effect::NEXT.trapping(),
            Br { offset } => {
                v.branch(offset);
                Effect::flow(Flow::Jump)
            }
            BrIfEqz { cond, offset } | BrIfNez { cond, offset } => {
                v.read(cond);
                v.branch(offset);
                Effect::BRANCH
            }
            // `var` is read and written in place: a one-slot span, which is
            // never retargeted as a result.
            StepBrIfNez { var, offset, .. } | StepBrIfI32NeImm { var, offset, .. } => {
                v.span(*var, 1);
                v.branch(offset);
                Effect::BRANCH
            }
            StepBrIfI32Ne { var, rhs, offset, .. } | StepBrIfI32LtU { var, rhs, offset, .. } => {
                v.span(*var, 1);
                v.read(rhs);
                v.branch(offset);
                Effect::BRANCH
            }
            AddBrIfI32Ne { var, step, rhs, offset } | AddBrIfI32LtU { var, step, rhs, offset } => {
                v.span(*var, 1);
                v.read(step);
                v.read(rhs);
                v.branch(offset);
                Effect::BRANCH
            }
            BrTable { index, len } => {
                v.read(index);
                Effect::flow(Flow::Table { len: *len })
            }
            Return => Effect::flow(Flow::Return { results: None }),
            ReturnSlot { src } => {
                v.read(src);
                Effect::flow(Flow::Return { results: Some(1) })
            }
            ReturnSpan { src, len } => {
                v.span(*src, u32::from(*len));
                Effect::flow(Flow::Return { results: Some(u32::from(*len)) })
            }
            ReturnImm32 { .. } => Effect::flow(Flow::Return { results: Some(1) }),
            Call { base, func } => {
                v.call(*base, Ref::DefinedFunc(*func));
                Effect::NEXT.trapping()
            }
            CallImported { base, func } => {
                v.call(*base, Ref::ImportedFunc(*func));
                Effect::NEXT.trapping()
            }
            CallIndirect { base, index, table, sig } => {
                v.read(index);
                v.refer(Ref::FuncTable(u32::from(*table)));
                v.call(*base, Ref::Sig(*sig));
                Effect::NEXT.trapping()
            }
            ReturnCall { base, func } => {
                v.call(*base, Ref::DefinedFunc(*func));
                Effect::flow(Flow::TailCall).trapping()
            }
            ReturnCallImported { base, func } => {
                v.call(*base, Ref::ImportedFunc(*func));
                Effect::flow(Flow::TailCall).trapping()
            }
            ReturnCallIndirect { base, index, table, sig } => {
                v.read(index);
                v.refer(Ref::FuncTable(u32::from(*table)));
                v.call(*base, Ref::Sig(*sig));
                Effect::flow(Flow::TailCall).trapping()
            }

            Throw { base, tag } => {
                v.refer(Ref::Tag(*tag));
                v.throw(*base, *tag);
                Effect::flow(Flow::Throw).trapping()
            }
            ThrowRef { exn } => {
                v.read(exn);
                Effect::flow(Flow::Throw).trapping()
            }

            // ---- moves ----
            CopySpan { dst, src, len } => {
                v.span(*src, u32::from(*len));
                v.span(*dst, u32::from(*len));
                Effect::NEXT
            }
            Const32 { dst, .. } | Const64 { dst, .. } => {
                v.write(dst);
                Effect::NEXT
            }
            Select { dst, cond, a, b } => {
                read3(v, cond, a, b);
                v.write(dst);
                Effect::NEXT
            }
            GlobalGet { dst, global } => {
                v.refer(Ref::Global { index: *global, write: false });
                v.write(dst);
                Effect::NEXT
            }
            GlobalSet { src, global } => {
                v.refer(Ref::Global { index: *global, write: true });
                v.read(src);
                Effect::NEXT
            }

            // ---- memory 0 ----
            MemorySize { dst } => {
                v.refer(Ref::MemoryPages);
                v.write(dst);
                Effect::NEXT
            }
            MemoryGrow { dst, delta } => {
                v.refer(Ref::MemoryPages);
                unary(v, dst, delta)
            }
            MemoryFill { dst, value: src, len } | MemoryCopy { dst, src, len } => {
                v.refer(Ref::Memory);
                read3(v, dst, src, len);
                Effect::NEXT.trapping()
            }
            MemoryInit { dst, src, len, data } => {
                v.refer(Ref::Memory);
                v.refer(Ref::Data(*data));
                read3(v, dst, src, len);
                Effect::NEXT.trapping()
            }
            DataDrop { data } => {
                v.refer(Ref::Data(*data));
                Effect::NEXT
            }

            // ---- any memory ----
            Load8SMem { dst, addr, mem }
            | Load8UMem { dst, addr, mem }
            | Load16SMem { dst, addr, mem }
            | Load16UMem { dst, addr, mem }
            | Load32SMem { dst, addr, mem }
            | Load32Mem { dst, addr, mem }
            | Load64Mem { dst, addr, mem } => {
                v.refer(Ref::Mem(*mem));
                v.read(addr);
                v.write(dst);
                Effect::flow(Flow::NextAfterData(DataWord::Offset)).trapping()
            }
            Store8Mem { addr, value, mem }
            | Store16Mem { addr, value, mem }
            | Store32Mem { addr, value, mem }
            | Store64Mem { addr, value, mem } => {
                v.refer(Ref::Mem(*mem));
                v.read(addr);
                v.read(value);
                Effect::flow(Flow::NextAfterData(DataWord::Offset)).trapping()
            }
            MemorySizeMem { dst, mem } => {
                v.refer(Ref::Mem(*mem));
                v.write(dst);
                Effect::NEXT
            }
            MemoryGrowMem { dst, delta, mem } => {
                v.refer(Ref::Mem(*mem));
                unary(v, dst, delta)
            }
            MemoryFillMem { dst, value, len, mem } => {
                v.refer(Ref::Mem(*mem));
                read3(v, dst, value, len);
                Effect::NEXT.trapping()
            }
            MemoryCopyMem { dst, src, len, dst_mem, src_mem } => {
                v.refer(Ref::Mem(*dst_mem));
                v.refer(Ref::Mem(*src_mem));
                read3(v, dst, src, len);
                Effect::NEXT.trapping()
            }
            MemoryInitMem { dst, src, len, mem } => {
                v.refer(Ref::Mem(*mem));
                read3(v, dst, src, len);
                Effect::flow(Flow::NextAfterData(DataWord::DataSegment)).trapping()
            }
            V128LoadMem { dst, addr, mem, .. } => {
                v.refer(Ref::Mem(*mem));
                v.read(addr);
                v.write_v128(dst);
                Effect::flow(Flow::NextAfterData(DataWord::Offset)).trapping()
            }
            V128StoreMem { addr, value, mem } => {
                v.refer(Ref::Mem(*mem));
                v.read(addr);
                v.read_v128(value);
                Effect::flow(Flow::NextAfterData(DataWord::Offset)).trapping()
            }
            V128LoadLaneMem { op, lane, dst, addr, src, mem } => {
                v.refer(Ref::Mem(*mem));
                v.lane(*lane, op.lanes());
                v.read(addr);
                v.read_v128(src);
                v.write_v128(dst);
                Effect::flow(Flow::NextAfterData(DataWord::Offset)).trapping()
            }
            V128StoreLaneMem { op, lane, addr, value, mem } => {
                v.refer(Ref::Mem(*mem));
                v.lane(*lane, op.lanes());
                v.read(addr);
                v.read_v128(value);
                Effect::flow(Flow::NextAfterData(DataWord::Offset)).trapping()
            }

            // ---- tables and references ----
            TableGet { dst, index, table } => {
                v.refer(Ref::Table(*table));
                unary(v, dst, index).trapping()
            }
            TableSet { index, value, table } => {
                v.refer(Ref::Table(*table));
                v.read(index);
                v.read(value);
                Effect::NEXT.trapping()
            }
            TableSize { dst, table } => {
                v.refer(Ref::Table(*table));
                v.write(dst);
                Effect::NEXT
            }
            TableGrow { dst, init, delta, table } => {
                v.refer(Ref::Table(*table));
                binary(v, dst, init, delta)
            }
            TableFill { dst, value, len, table } => {
                v.refer(Ref::Table(*table));
                read3(v, dst, value, len);
                Effect::NEXT.trapping()
            }
            TableCopy { dst, src, len, dst_table, src_table } => {
                v.refer(Ref::Table(u32::from(*dst_table)));
                v.refer(Ref::Table(u32::from(*src_table)));
                read3(v, dst, src, len);
                Effect::NEXT.trapping()
            }
            TableInit { dst, src, len, elem } => {
                v.refer(Ref::Elem(*elem));
                read3(v, dst, src, len);
                Effect::flow(Flow::NextAfterData(DataWord::TableIndex)).trapping()
            }
            ElemDrop { elem } => {
                v.refer(Ref::Elem(*elem));
                Effect::NEXT
            }
            RefFunc { dst, func } => {
                v.refer(Ref::Func(*func));
                v.write(dst);
                Effect::NEXT
            }
            Data { .. } => Effect::flow(Flow::Data),

            // ---- wide arithmetic: 128-bit values in two consecutive slots ----
            I64Add128 { dst, lhs, rhs } | I64Sub128 { dst, lhs, rhs } => {
                v.span(*lhs, 2);
                v.span(*rhs, 2);
                v.span(*dst, 2);
                Effect::NEXT
            }
            I64MulWideS { dst, lhs, rhs } | I64MulWideU { dst, lhs, rhs } => {
                v.read(lhs);
                v.read(rhs);
                v.span(*dst, 2);
                Effect::NEXT
            }

            // ---- fused compare-and-branch ----
            BrIfI32Eq { lhs, rhs, offset }
            | BrIfI32Ne { lhs, rhs, offset }
            | BrIfI32LtS { lhs, rhs, offset }
            | BrIfI32LtU { lhs, rhs, offset }
            | BrIfI32LeS { lhs, rhs, offset }
            | BrIfI32LeU { lhs, rhs, offset }
            | BrIfI64Eq { lhs, rhs, offset }
            | BrIfI64Ne { lhs, rhs, offset }
            | BrIfI64LtS { lhs, rhs, offset }
            | BrIfI64LtU { lhs, rhs, offset }
            | BrIfI64LeS { lhs, rhs, offset }
            | BrIfI64LeU { lhs, rhs, offset } => {
                v.read(lhs);
                v.read(rhs);
                v.branch(offset);
                Effect::BRANCH
            }
            BrIfI32EqImm { lhs, offset, .. }
            | BrIfI32NeImm { lhs, offset, .. }
            | BrIfI32LtSImm { lhs, offset, .. }
            | BrIfI32LtUImm { lhs, offset, .. }
            | BrIfI32GtSImm { lhs, offset, .. }
            | BrIfI32GtUImm { lhs, offset, .. }
            | BrIfI32LeSImm { lhs, offset, .. }
            | BrIfI32LeUImm { lhs, offset, .. }
            | BrIfI32GeSImm { lhs, offset, .. }
            | BrIfI32GeUImm { lhs, offset, .. }
            | BrIfI64EqImm { lhs, offset, .. }
            | BrIfI64NeImm { lhs, offset, .. }
            | BrIfI64LtSImm { lhs, offset, .. }
            | BrIfI64LtUImm { lhs, offset, .. }
            | BrIfI64GtSImm { lhs, offset, .. }
            | BrIfI64GtUImm { lhs, offset, .. }
            | BrIfI64LeSImm { lhs, offset, .. }
            | BrIfI64LeUImm { lhs, offset, .. }
            | BrIfI64GeSImm { lhs, offset, .. }
            | BrIfI64GeUImm { lhs, offset, .. } => {
                v.read(lhs);
                v.branch(offset);
                Effect::BRANCH
            }

            // ---- loads and stores ----
            Load8S { dst, addr, .. }
            | Load8U { dst, addr, .. }
            | Load16S { dst, addr, .. }
            | Load16U { dst, addr, .. }
            | Load32S { dst, addr, .. }
            | Load32 { dst, addr, .. }
            | Load64 { dst, addr, .. } => {
                v.refer(Ref::Memory);
                unary(v, dst, addr).trapping()
            }
            Store8 { addr, value, .. }
            | Store16 { addr, value, .. }
            | Store32 { addr, value, .. }
            | Store64 { addr, value, .. } => {
                v.refer(Ref::Memory);
                v.read(addr);
                v.read(value);
                Effect::NEXT.trapping()
            }
            Load8SSum { dst, lhs, rhs, .. }
            | Load8USum { dst, lhs, rhs, .. }
            | Load16SSum { dst, lhs, rhs, .. }
            | Load16USum { dst, lhs, rhs, .. }
            | Load32SSum { dst, lhs, rhs, .. }
            | Load32Sum { dst, lhs, rhs, .. }
            | Load64Sum { dst, lhs, rhs, .. } => {
                v.refer(Ref::Memory);
                binary(v, dst, lhs, rhs).trapping()
            }
            Load8SDisp { dst, base, .. }
            | Load8UDisp { dst, base, .. }
            | Load16SDisp { dst, base, .. }
            | Load16UDisp { dst, base, .. }
            | Load32SDisp { dst, base, .. }
            | Load32Disp { dst, base, .. }
            | Load64Disp { dst, base, .. } => {
                v.refer(Ref::Memory);
                unary(v, dst, base).trapping()
            }
            Store8Sum { lhs, rhs, value, .. }
            | Store16Sum { lhs, rhs, value, .. }
            | Store32Sum { lhs, rhs, value, .. }
            | Store64Sum { lhs, rhs, value, .. } => {
                v.refer(Ref::Memory);
                v.read(lhs);
                v.read(rhs);
                v.read(value);
                Effect::NEXT.trapping()
            }
            Store8Disp { base, value, .. }
            | Store16Disp { base, value, .. }
            | Store32Disp { base, value, .. }
            | Store64Disp { base, value, .. } => {
                v.refer(Ref::Memory);
                v.read(base);
                v.read(value);
                Effect::NEXT.trapping()
            }
            I32AddShl { dst, lhs, rhs, .. } => binary(v, dst, lhs, rhs),
            SelectI32Eq { dst, lhs, rhs, a, b }
            | SelectI32LtS { dst, lhs, rhs, a, b }
            | SelectI32LtU { dst, lhs, rhs, a, b }
            | SelectI64Eq { dst, lhs, rhs, a, b }
            | SelectI64LtS { dst, lhs, rhs, a, b }
            | SelectI64LtU { dst, lhs, rhs, a, b } => {
                v.read(lhs);
                v.read(rhs);
                v.read(a);
                v.read(b);
                v.write(dst);
                Effect::NEXT
            }
            // Two results: reported as one-slot spans, never retargeted.
            Copy2 { dst, src, dst2, src2 } => {
                v.read(src);
                v.read(src2);
                v.span(*dst, 1);
                v.span(*dst2, 1);
                Effect::NEXT
            }
            Store8Imm { addr, .. }
            | Store16Imm { addr, .. }
            | Store32Imm { addr, .. }
            | Store64Imm { addr, .. } => {
                v.refer(Ref::Memory);
                v.read(addr);
                Effect::NEXT.trapping()
            }

            // ---- one operand and a result (moves, numeric operators, conversions) ----
            Copy { dst, src }
            | RefIsNull { dst, src }
            | NarrowIndex64 { dst, src }
            | I32Eqz { dst, src }
            | I32Clz { dst, src }
            | I32Ctz { dst, src }
            | I32Popcnt { dst, src }
            | I32Extend8S { dst, src }
            | I32Extend16S { dst, src }
            | I64Eqz { dst, src }
            | I64Clz { dst, src }
            | I64Ctz { dst, src }
            | I64Popcnt { dst, src }
            | I64Extend8S { dst, src }
            | I64Extend16S { dst, src }
            | I64Extend32S { dst, src }
            | I64ExtendI32U { dst, src }
            | F32Abs { dst, src }
            | F32Neg { dst, src }
            | F32Ceil { dst, src }
            | F32Floor { dst, src }
            | F32Trunc { dst, src }
            | F32Nearest { dst, src }
            | F32Sqrt { dst, src }
            | F64Abs { dst, src }
            | F64Neg { dst, src }
            | F64Ceil { dst, src }
            | F64Floor { dst, src }
            | F64Trunc { dst, src }
            | F64Nearest { dst, src }
            | F64Sqrt { dst, src }
            | I32TruncSatF32S { dst, src }
            | I32TruncSatF32U { dst, src }
            | I32TruncSatF64S { dst, src }
            | I32TruncSatF64U { dst, src }
            | I64TruncSatF32S { dst, src }
            | I64TruncSatF32U { dst, src }
            | I64TruncSatF64S { dst, src }
            | I64TruncSatF64U { dst, src }
            | F32ConvertI32S { dst, src }
            | F32ConvertI32U { dst, src }
            | F32ConvertI64S { dst, src }
            | F32ConvertI64U { dst, src }
            | F32DemoteF64 { dst, src }
            | F64ConvertI32S { dst, src }
            | F64ConvertI32U { dst, src }
            | F64ConvertI64S { dst, src }
            | F64ConvertI64U { dst, src }
            | F64PromoteF32 { dst, src } => unary(v, dst, src),
            I32TruncF32S { dst, src }
            | I32TruncF32U { dst, src }
            | I32TruncF64S { dst, src }
            | I32TruncF64U { dst, src }
            | I64TruncF32S { dst, src }
            | I64TruncF32U { dst, src }
            | I64TruncF64S { dst, src }
            | I64TruncF64U { dst, src } => unary(v, dst, src).trapping(),

            // ---- two operands and a result ----
            I32Eq { dst, lhs, rhs }
            | I32Ne { dst, lhs, rhs }
            | I32LtS { dst, lhs, rhs }
            | I32LtU { dst, lhs, rhs }
            | I32GtS { dst, lhs, rhs }
            | I32GtU { dst, lhs, rhs }
            | I32LeS { dst, lhs, rhs }
            | I32LeU { dst, lhs, rhs }
            | I32GeS { dst, lhs, rhs }
            | I32GeU { dst, lhs, rhs }
            | I32Add { dst, lhs, rhs }
            | I32Sub { dst, lhs, rhs }
            | I32Mul { dst, lhs, rhs }
            | I32And { dst, lhs, rhs }
            | I32Or { dst, lhs, rhs }
            | I32Xor { dst, lhs, rhs }
            | I32Shl { dst, lhs, rhs }
            | I32ShrS { dst, lhs, rhs }
            | I32ShrU { dst, lhs, rhs }
            | I32Rotl { dst, lhs, rhs }
            | I32Rotr { dst, lhs, rhs }
            | I64Eq { dst, lhs, rhs }
            | I64Ne { dst, lhs, rhs }
            | I64LtS { dst, lhs, rhs }
            | I64LtU { dst, lhs, rhs }
            | I64GtS { dst, lhs, rhs }
            | I64GtU { dst, lhs, rhs }
            | I64LeS { dst, lhs, rhs }
            | I64LeU { dst, lhs, rhs }
            | I64GeS { dst, lhs, rhs }
            | I64GeU { dst, lhs, rhs }
            | I64Add { dst, lhs, rhs }
            | I64Sub { dst, lhs, rhs }
            | I64Mul { dst, lhs, rhs }
            | I64And { dst, lhs, rhs }
            | I64Or { dst, lhs, rhs }
            | I64Xor { dst, lhs, rhs }
            | I64Shl { dst, lhs, rhs }
            | I64ShrS { dst, lhs, rhs }
            | I64ShrU { dst, lhs, rhs }
            | I64Rotl { dst, lhs, rhs }
            | I64Rotr { dst, lhs, rhs }
            | F32Eq { dst, lhs, rhs }
            | F32Ne { dst, lhs, rhs }
            | F32Lt { dst, lhs, rhs }
            | F32Gt { dst, lhs, rhs }
            | F32Le { dst, lhs, rhs }
            | F32Ge { dst, lhs, rhs }
            | F32Add { dst, lhs, rhs }
            | F32Sub { dst, lhs, rhs }
            | F32Mul { dst, lhs, rhs }
            | F32Div { dst, lhs, rhs }
            | F32Min { dst, lhs, rhs }
            | F32Max { dst, lhs, rhs }
            | F32Copysign { dst, lhs, rhs }
            | F64Eq { dst, lhs, rhs }
            | F64Ne { dst, lhs, rhs }
            | F64Lt { dst, lhs, rhs }
            | F64Gt { dst, lhs, rhs }
            | F64Le { dst, lhs, rhs }
            | F64Ge { dst, lhs, rhs }
            | F64Add { dst, lhs, rhs }
            | F64Sub { dst, lhs, rhs }
            | F64Mul { dst, lhs, rhs }
            | F64Div { dst, lhs, rhs }
            | F64Min { dst, lhs, rhs }
            | F64Max { dst, lhs, rhs }
            | F64Copysign { dst, lhs, rhs } => binary(v, dst, lhs, rhs),
            I32DivS { dst, lhs, rhs }
            | I32DivU { dst, lhs, rhs }
            | I32RemS { dst, lhs, rhs }
            | I32RemU { dst, lhs, rhs }
            | I64DivS { dst, lhs, rhs }
            | I64DivU { dst, lhs, rhs }
            | I64RemS { dst, lhs, rhs }
            | I64RemU { dst, lhs, rhs } => binary(v, dst, lhs, rhs).trapping(),

            // ---- an operand, an immediate and a result ----
            I32EqImm { dst, lhs, .. }
            | I32NeImm { dst, lhs, .. }
            | I32LtSImm { dst, lhs, .. }
            | I32LtUImm { dst, lhs, .. }
            | I32GtSImm { dst, lhs, .. }
            | I32GtUImm { dst, lhs, .. }
            | I32LeSImm { dst, lhs, .. }
            | I32LeUImm { dst, lhs, .. }
            | I32GeSImm { dst, lhs, .. }
            | I32GeUImm { dst, lhs, .. }
            | I32AddImm { dst, lhs, .. }
            | I32RSubImm { dst, lhs, .. }
            | I32MulImm { dst, lhs, .. }
            | I32AndImm { dst, lhs, .. }
            | I32OrImm { dst, lhs, .. }
            | I32XorImm { dst, lhs, .. }
            | I32ShlImm { dst, lhs, .. }
            | I32ShrSImm { dst, lhs, .. }
            | I32ShrUImm { dst, lhs, .. }
            | I32RotlImm { dst, lhs, .. }
            | I32RotrImm { dst, lhs, .. }
            | I64EqImm { dst, lhs, .. }
            | I64NeImm { dst, lhs, .. }
            | I64LtSImm { dst, lhs, .. }
            | I64LtUImm { dst, lhs, .. }
            | I64GtSImm { dst, lhs, .. }
            | I64GtUImm { dst, lhs, .. }
            | I64LeSImm { dst, lhs, .. }
            | I64LeUImm { dst, lhs, .. }
            | I64GeSImm { dst, lhs, .. }
            | I64GeUImm { dst, lhs, .. }
            | I64AddImm { dst, lhs, .. }
            | I64RSubImm { dst, lhs, .. }
            | I64MulImm { dst, lhs, .. }
            | I64AndImm { dst, lhs, .. }
            | I64OrImm { dst, lhs, .. }
            | I64XorImm { dst, lhs, .. }
            | I64ShlImm { dst, lhs, .. }
            | I64ShrSImm { dst, lhs, .. }
            | I64ShrUImm { dst, lhs, .. }
            | I64RotlImm { dst, lhs, .. }
            | I64RotrImm { dst, lhs, .. } => unary(v, dst, lhs),
            I32DivSImm { dst, lhs, .. }
            | I32DivUImm { dst, lhs, .. }
            | I32RemSImm { dst, lhs, .. }
            | I32RemUImm { dst, lhs, .. }
            | I64DivSImm { dst, lhs, .. }
            | I64DivUImm { dst, lhs, .. }
            | I64RemSImm { dst, lhs, .. }
            | I64RemUImm { dst, lhs, .. } => unary(v, dst, lhs).trapping(),

            // ---- simd ----
            V128Copy { dst, src } | V128Unary { dst, src, .. } => unary_v128(v, dst, src),
            V128Const { dst, index } => {
                v.refer(Ref::Const(*index));
                v.write_v128(dst);
                Effect::NEXT
            }
            V128Select { dst, cond, a, b } => {
                v.read(cond);
                v.read_v128(a);
                v.read_v128(b);
                v.write_v128(dst);
                Effect::NEXT
            }
            V128GlobalGet { dst, global } => {
                v.refer(Ref::Global { index: *global, write: false });
                v.write_v128(dst);
                Effect::NEXT
            }
            V128GlobalSet { src, global } => {
                v.refer(Ref::Global { index: *global, write: true });
                v.read_v128(src);
                Effect::NEXT
            }
            V128Binary { dst, lhs, rhs, .. } => {
                v.read_v128(lhs);
                v.read_v128(rhs);
                v.write_v128(dst);
                Effect::NEXT
            }
            V128Ternary { dst, a, b, c, .. } => {
                v.read_v128(a);
                v.read_v128(b);
                v.read_v128(c);
                v.write_v128(dst);
                Effect::NEXT
            }
            V128Shift { dst, lhs, rhs, .. } => {
                v.read_v128(lhs);
                v.read(rhs);
                v.write_v128(dst);
                Effect::NEXT
            }
            V128Test { dst, src, .. } => {
                v.read_v128(src);
                v.write(dst);
                Effect::NEXT
            }
            V128Splat { dst, src, .. } => {
                v.read(src);
                v.write_v128(dst);
                Effect::NEXT
            }
            V128ExtractLane { op, lane, dst, src } => {
                v.lane(*lane, op.lanes());
                v.read_v128(src);
                v.write(dst);
                Effect::NEXT
            }
            V128ReplaceLane { op, lane, dst, src, value } => {
                v.lane(*lane, op.lanes());
                v.read_v128(src);
                v.read(value);
                v.write_v128(dst);
                Effect::NEXT
            }
            I8x16Shuffle { dst, lhs, rhs, lanes } => {
                v.refer(Ref::Const(*lanes));
                v.read_v128(lhs);
                v.read_v128(rhs);
                v.write_v128(dst);
                Effect::NEXT
            }
            V128Load { dst, addr, .. } => {
                v.refer(Ref::Memory);
                v.read(addr);
                v.write_v128(dst);
                Effect::NEXT.trapping()
            }
            V128Store { addr, value, .. } => {
                v.refer(Ref::Memory);
                v.read(addr);
                v.read_v128(value);
                Effect::NEXT.trapping()
            }
            V128LoadLane { op, lane, dst, addr, src } => {
                v.refer(Ref::Memory);
                v.lane(*lane, op.lanes());
                v.read(addr);
                v.read_v128(src);
                v.write_v128(dst);
                Effect::flow(Flow::NextAfterData(DataWord::Offset)).trapping()
            }
            V128StoreLane { op, lane, addr, value, .. } => {
                v.refer(Ref::Memory);
                v.lane(*lane, op.lanes());
                v.read(addr);
                v.read_v128(value);
                Effect::NEXT.trapping()
            }
        }
    }

    /// The slot a single-result instruction writes, for retargeting a result
    /// straight into a local. `None` for instructions without such a result.
    pub fn result_slot_mut(&mut self) -> Option<&mut Slot> {
        struct Result<'a>(Option<&'a mut Slot>);
        impl<'a> Operands<'a> for Result<'a> {
            fn write(&mut self, slot: &'a mut Slot) {
                self.0 = Some(slot);
            }
        }
        let mut result = Result(None);
        self.operands(&mut result);
        result.0
    }

    /// Mutable access to a branch instruction's offset, for patching forward
    /// jumps. `None` for instructions that do not branch.
    pub(crate) fn branch_offset_mut(&mut self) -> Option<&mut Offset> {
        struct Branch<'a>(Option<&'a mut Offset>);
        impl<'a> Operands<'a> for Branch<'a> {
            fn branch(&mut self, offset: &'a mut Offset) {
                self.0 = Some(offset);
            }
        }
        let mut branch = Branch(None);
        self.operands(&mut branch);
        branch.0
    }

    /// The relative branch offset of a branch instruction.
    pub(crate) fn branch_offset(&self) -> Option<Offset> {
        let mut copy = *self;
        copy.branch_offset_mut().copied()
    }

    /// How control leaves this instruction, and whether it can trap.
    pub(crate) fn effect(&self) -> Effect {
        struct Ignore;
        impl Operands<'_> for Ignore {}
        let mut copy = *self;
        copy.operands(&mut Ignore)
    }

    /// Whether executing this instruction can trap or call (such instructions
    /// get a source offset recorded for backtraces).
    pub fn may_trap(&self) -> bool {
        self.effect().may_trap
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::Instr::*;
    use crate::ir::Slot as S;

    #[test]
    fn results_can_be_retargeted() {
        let mut add = I32Add { dst: S(3), lhs: S(1), rhs: S(2) };
        *add.result_slot_mut().expect("a result") = S(0);
        assert_eq!(add, I32Add { dst: S(0), lhs: S(1), rhs: S(2) });
        // The `dst` of a bulk operation is an address it reads, not a result;
        // spans, calls and returns have no single result either.
        for mut instr in [
            MemoryFill { dst: S(0), value: S(1), len: S(2) },
            TableCopy { dst: S(0), src: S(1), len: S(2), dst_table: 0, src_table: 0 },
            CopySpan { dst: S(0), src: S(1), len: 2 },
            Call { base: S(0), func: 0 },
            ReturnSlot { src: S(0) },
            // Two-slot results are spans: retargeting one slot would split them.
            I64Add128 { dst: S(0), lhs: S(0), rhs: S(2) },
            I64MulWideU { dst: S(0), lhs: S(0), rhs: S(1) },
        ] {
            let shown = format!("{instr:?}");
            assert_eq!(instr.result_slot_mut(), None, "{shown}");
        }
    }

    #[test]
    fn vector_results_can_be_retargeted() {
        use crate::ir::{SimdBinary, SimdTest};
        let mut add = V128Binary { op: SimdBinary::I16x8Add, dst: S(6), lhs: S(0), rhs: S(2) };
        *add.result_slot_mut().expect("a result") = S(4);
        assert_eq!(add, V128Binary { op: SimdBinary::I16x8Add, dst: S(4), lhs: S(0), rhs: S(2) });
        // A test's result is an i32; a store has none.
        let mut test = V128Test { op: SimdTest::V128AnyTrue, dst: S(5), src: S(0) };
        assert_eq!(test.result_slot_mut(), Some(&mut S(5)));
        let mut store = V128Store { addr: S(0), value: S(1), offset: 0 };
        assert_eq!(store.result_slot_mut(), None);
        assert!(store.may_trap() && !add.may_trap());
    }

    #[test]
    fn trap_sites() {
        let traps = [
            I32RemUImm { dst: S(0), lhs: S(0), imm: 3 },
            I64TruncF64U { dst: S(0), src: S(0) },
            Store8Imm { addr: S(0), value: 1, offset: 0 },
            CallImported { base: S(0), func: 0 },
            TableGet { dst: S(0), index: S(0), table: 0 },
        ];
        let never = [
            I64TruncSatF64U { dst: S(0), src: S(0) },
            MemoryGrow { dst: S(0), delta: S(0) },
            TableGrow { dst: S(0), init: S(0), delta: S(0), table: 0 },
            I32MulImm { dst: S(0), lhs: S(0), imm: 0 },
        ];
        assert!(traps.iter().all(Instr::may_trap));
        assert!(!never.iter().any(Instr::may_trap));
    }

    #[test]
    fn branch_offsets_and_control_flow() {
        let mut branch = BrIfI64GeUImm { lhs: S(0), imm: 1, offset: 5 };
        *branch.branch_offset_mut().expect("a branch") = -2;
        assert_eq!(branch.branch_offset(), Some(-2));
        assert_eq!(branch.effect().flow, Flow::Branch);
        // A br_table's targets are the branches that follow it.
        let table = BrTable { index: S(0), len: 4 };
        assert_eq!(table.branch_offset(), None);
        assert_eq!(table.effect().flow, Flow::Table { len: 4 });
        let init = TableInit { dst: S(0), src: S(0), len: S(0), elem: 0 };
        assert_eq!(init.effect().flow, Flow::NextAfterData(DataWord::TableIndex));
        assert_eq!(Return.effect().flow, Flow::Return { results: None });
        let span = ReturnSpan { src: S(2), len: 3 };
        assert_eq!(span.effect().flow, Flow::Return { results: Some(3) });
        assert_eq!(Data { a: 0, b: 0 }.effect().flow, Flow::Data);
    }

    #[test]
    fn tail_calls_leave_the_function_and_can_trap() {
        for call in [
            ReturnCall { base: S(1), func: 0 },
            ReturnCallImported { base: S(1), func: 0 },
            ReturnCallIndirect { base: S(1), index: S(0), table: 0, sig: 0 },
        ] {
            // Not a return: the peephole pass must not copy it over a branch,
            // which would leave it without a source offset.
            assert_eq!(call.effect().flow, Flow::TailCall, "{call:?}");
            assert!(call.may_trap(), "{call:?}");
        }
    }

    #[test]
    fn throws_leave_the_function_and_need_a_source_offset() {
        for throw in [Throw { base: S(1), tag: 0 }, ThrowRef { exn: S(2) }] {
            assert_eq!(throw.effect().flow, Flow::Throw, "{throw:?}");
            assert!(throw.may_trap(), "{throw:?}");
            assert_eq!(throw.branch_offset(), None);
        }
    }

    #[test]
    fn wide_arithmetic_reads_and_writes_slot_pairs() {
        #[derive(Default)]
        struct Spans(Vec<(u16, u32)>, Vec<u16>);
        impl<'a> Operands<'a> for Spans {
            fn read(&mut self, slot: &'a mut Slot) {
                self.1.push(slot.0);
            }
            fn span(&mut self, first: Slot, len: u32) {
                self.0.push((first.0, len));
            }
        }
        let mut spans = Spans::default();
        I64Sub128 { dst: S(4), lhs: S(6), rhs: S(8) }.operands(&mut spans);
        assert_eq!(spans.0, [(6, 2), (8, 2), (4, 2)]);
        let mut spans = Spans::default();
        I64MulWideS { dst: S(4), lhs: S(1), rhs: S(2) }.operands(&mut spans);
        assert_eq!((spans.0, spans.1), (vec![(4, 2)], vec![1, 2]));
    }
}

//! The verifier on hand-built code: each test breaks one invariant and checks
//! that exactly that defect is reported, at the right instruction.

use super::*;
use crate::ir::Instr::*;
use crate::ir::Slot as S;
use crate::ir::{Handler, TracePoint};
use crate::trap::TrapCode;

/// A module with two functions (one imported, each needing 2 call cells), one
/// type (engine id 7, 2 cells), a funcref table and an externref table, a
/// mutable and an immutable global, one memory, one data and one element
/// segment, and one tag carrying two values.
fn facts() -> ModuleFacts {
    ModuleFacts {
        func_cells: vec![2, 2],
        num_imported_funcs: 1,
        sig_cells: HashMap::from([(7, 2)]),
        func_tables: vec![true, false],
        mutable_globals: vec![true, false],
        memories: vec![MemoryFacts::CLASSIC],
        num_data: 1,
        num_elems: 1,
        tag_params: vec![2],
    }
}

/// A function with no parameters, locals or results and a frame of
/// `frame_size` slots, with a source offset for every instruction that can trap.
fn func(code: &[Instr], frame_size: u32) -> CompiledFunc {
    let offsets = code
        .iter()
        .enumerate()
        .filter(|(_, instr)| instr.may_trap())
        .map(|(at, _)| (at as u32, 0))
        .collect();
    CompiledFunc {
        index: 0,
        code: code.into(),
        num_params: 0,
        num_locals: 0,
        num_results: 0,
        frame_size,
        consts: Box::new([]),
        offsets,
        trace: Box::new([]),
        handlers: Box::new([]),
    }
}

fn check(code: &[Instr], frame_size: u32) -> Result<(), Defect> {
    verify(&func(code, frame_size), &facts())
}

fn defect_at(at: usize, problem: Problem) -> Result<(), Defect> {
    Err(Defect { at: Some(at), problem })
}

#[test]
fn accepts_code_using_every_kind_of_operand() {
    let code = [
        ConsumeFuel { amount: 3 },
        Const32 { dst: S(0), value: 1 },
        BrIfEqz { cond: S(0), offset: 2 },
        Br { offset: -1 },
        BrTable { index: S(0), len: 2 },
        Br { offset: 3 },
        Return,
        Br { offset: -3 },
        TableInit { dst: S(0), src: S(1), len: S(2), elem: 0 },
        Data { a: 0, b: 0 },
        Call { base: S(1), func: 0 },
        CallImported { base: S(1), func: 0 },
        CallIndirect { base: S(1), index: S(0), table: 0, sig: 7 },
        CopySpan { dst: S(0), src: S(1), len: 2 },
        GlobalSet { src: S(0), global: 0 },
        GlobalGet { dst: S(0), global: 1 },
        Load32 { dst: S(2), addr: S(0), offset: 4 },
        MemoryInit { dst: S(0), src: S(1), len: S(2), data: 0 },
        TableCopy { dst: S(0), src: S(1), len: S(2), dst_table: 1, src_table: 0 },
        RefFunc { dst: S(0), func: 1 },
        I64DivSImm { dst: S(2), lhs: S(1), imm: 3 },
        BrIfI32LtUImm { lhs: S(2), imm: 9, offset: -20 },
        Trap { code: TrapCode::Unreachable },
    ];
    assert_eq!(check(&code, 3), Ok(()));
}

#[test]
fn slot_outside_the_frame() {
    let code = [I32Add { dst: S(0), lhs: S(1), rhs: S(4) }, Return];
    assert_eq!(check(&code, 4), defect_at(0, Problem::SlotOutsideFrame { slot: 4, frame_size: 4 }));
    let code = [Const32 { dst: S(0), value: 0 }, I64Eqz { dst: S(9), src: S(0) }, Return];
    assert_eq!(check(&code, 4), defect_at(1, Problem::SlotOutsideFrame { slot: 9, frame_size: 4 }));
    // The first slot past the frame, in a branch condition.
    let code = [BrIfNez { cond: S(2), offset: 1 }, Return];
    assert_eq!(check(&code, 2), defect_at(0, Problem::SlotOutsideFrame { slot: 2, frame_size: 2 }));
}

#[test]
fn vectors_need_both_cells_inside_the_frame() {
    use crate::ir::{SimdBinary, SimdExtract, SimdLane};
    let mut f = func(
        &[
            V128Const { dst: S(0), index: 0 },
            V128Binary { op: SimdBinary::I8x16Add, dst: S(2), lhs: S(0), rhs: S(2) },
            V128ExtractLane { op: SimdExtract::I32x4ExtractLane, lane: 3, dst: S(1), src: S(2) },
            V128LoadLane { op: SimdLane::Lane8, lane: 15, dst: S(0), addr: S(1), src: S(2) },
            Data { a: 0, b: 0 },
            Return,
        ],
        4,
    );
    f.consts = Box::new([crate::V128::from_u128(7)]);
    assert_eq!(verify(&f, &facts()), Ok(()));
    // Slot 3 is inside a frame of 4, its second cell is not: as a result...
    let code = [V128Copy { dst: S(3), src: S(0) }, Return];
    let problem = Problem::V128OutsideFrame { slot: 3, frame_size: 4 };
    assert_eq!(check(&code, 4), defect_at(0, problem.clone()));
    // ... and as an operand.
    let code = [V128GlobalSet { src: S(3), global: 0 }, Return];
    assert_eq!(check(&code, 4), defect_at(0, problem));
    // A lane past the shape's lanes, and a constant the pool lacks.
    let code = [
        V128ExtractLane { op: SimdExtract::I64x2ExtractLane, lane: 2, dst: S(0), src: S(0) },
        Return,
    ];
    assert_eq!(check(&code, 4), defect_at(0, Problem::LaneOutOfRange { lane: 2, lanes: 2 }));
    let code = [V128Const { dst: S(0), index: 1 }, Return];
    assert_eq!(check(&code, 4), defect_at(0, Problem::UnknownItem(Ref::Const(1))));
    // A lane load needs its data word.
    let code =
        [V128LoadLane { op: SimdLane::Lane64, lane: 1, dst: S(0), addr: S(0), src: S(0) }, Return];
    assert_eq!(check(&code, 4), defect_at(0, Problem::MissingData));
}

#[test]
fn span_or_call_outside_the_frame() {
    let code = [CopySpan { dst: S(2), src: S(0), len: 3 }, Return];
    let problem = Problem::SpanOutsideFrame { first: 2, len: 3, frame_size: 4 };
    assert_eq!(check(&code, 4), defect_at(0, problem));
    // A host function's two cells from slot 3 would reach slot 4.
    let code = [CallImported { base: S(3), func: 0 }, Return];
    let problem = Problem::CallOutsideFrame { base: 3, cells: 2, frame_size: 4 };
    assert_eq!(check(&code, 4), defect_at(0, problem));
    assert_eq!(check(&[CallImported { base: S(2), func: 0 }, Return], 4), Ok(()));
    // The same for tail calls, which end the code.
    let code = [ReturnCallIndirect { base: S(3), index: S(0), table: 0, sig: 7 }];
    let problem = Problem::CallOutsideFrame { base: 3, cells: 2, frame_size: 4 };
    assert_eq!(check(&code, 4), defect_at(0, problem));
    assert_eq!(check(&[ReturnCallImported { base: S(2), func: 0 }], 4), Ok(()));
    assert_eq!(check(&[ReturnCall { base: S(2), func: 0 }], 4), Ok(()));
    // Both slots of a 128-bit operand or result lie within the frame.
    let code = [I64Add128 { dst: S(0), lhs: S(0), rhs: S(3) }, Return];
    let problem = Problem::SpanOutsideFrame { first: 3, len: 2, frame_size: 4 };
    assert_eq!(check(&code, 4), defect_at(0, problem));
    let code = [I64MulWideU { dst: S(3), lhs: S(0), rhs: S(1) }, Return];
    let problem = Problem::SpanOutsideFrame { first: 3, len: 2, frame_size: 4 };
    assert_eq!(check(&code, 4), defect_at(0, problem));
}

#[test]
fn branch_outside_the_code() {
    let code = [Br { offset: 2 }, Return];
    assert_eq!(check(&code, 1), defect_at(0, Problem::BranchOutsideCode { target: 2, len: 2 }));
    let code = [Return, BrIfI64EqImm { lhs: S(0), imm: 0, offset: -2 }, Return];
    assert_eq!(check(&code, 1), defect_at(1, Problem::BranchOutsideCode { target: -1, len: 3 }));
}

#[test]
fn branch_onto_a_data_word() {
    let code = [
        BrIfNez { cond: S(0), offset: 2 },
        TableInit { dst: S(0), src: S(0), len: S(0), elem: 0 },
        Data { a: 0, b: 0 },
        Return,
    ];
    assert_eq!(check(&code, 1), defect_at(0, Problem::BranchToData { target: 2 }));
}

#[test]
fn branch_onto_a_table_entry() {
    let code =
        [BrTable { index: S(0), len: 1 }, Br { offset: 2 }, Br { offset: 1 }, Br { offset: -1 }];
    assert_eq!(check(&code, 1), defect_at(3, Problem::BranchToTableEntry { target: 2 }));
}

#[test]
fn code_without_a_terminator() {
    let code = [Const32 { dst: S(0), value: 1 }, I32AddImm { dst: S(0), lhs: S(0), imm: 1 }];
    assert_eq!(check(&code, 1), defect_at(1, Problem::FallsOffEnd));
    // A conditional branch continues when not taken; a call returns.
    let code = [BrIfEqz { cond: S(0), offset: 0 }];
    assert_eq!(check(&code, 1), defect_at(0, Problem::FallsOffEnd));
    let code = [Call { base: S(0), func: 0 }];
    assert_eq!(check(&code, 2), defect_at(0, Problem::FallsOffEnd));
    // An instruction with a data word continues after it.
    let code = [TableInit { dst: S(0), src: S(0), len: S(0), elem: 0 }, Data { a: 0, b: 0 }];
    assert_eq!(check(&code, 1), defect_at(0, Problem::FallsOffEnd));
    assert_eq!(
        verify(&func(&[], 1), &facts()),
        Err(Defect { at: None, problem: Problem::EmptyCode })
    );
}

#[test]
fn missing_or_stray_data_word() {
    let code = [TableInit { dst: S(0), src: S(0), len: S(0), elem: 0 }, Return];
    assert_eq!(check(&code, 1), defect_at(0, Problem::MissingData));
    let code = [TableInit { dst: S(0), src: S(0), len: S(0), elem: 0 }];
    assert_eq!(check(&code, 1), defect_at(0, Problem::MissingData));
    let code = [Const32 { dst: S(0), value: 0 }, Data { a: 0, b: 0 }, Return];
    assert_eq!(check(&code, 1), defect_at(1, Problem::StrayData));
    let code = [
        TableInit { dst: S(0), src: S(0), len: S(0), elem: 0 },
        Data { a: 0, b: 0 },
        Data { a: 0, b: 0 },
        Return,
    ];
    assert_eq!(check(&code, 1), defect_at(2, Problem::StrayData));
}

#[test]
fn incomplete_or_malformed_br_table() {
    // Three entries needed, two present.
    let code = [BrTable { index: S(0), len: 2 }, Return, Return];
    assert_eq!(check(&code, 1), defect_at(0, Problem::IncompleteTable { len: 2, available: 2 }));
    let code = [BrTable { index: S(0), len: u32::MAX }, Return];
    let problem = Problem::IncompleteTable { len: u32::MAX, available: 1 };
    assert_eq!(check(&code, 1), defect_at(0, problem));
    // An entry that would fall through into the next one.
    let code =
        [BrTable { index: S(0), len: 1 }, Br { offset: 2 }, Copy { dst: S(0), src: S(0) }, Return];
    assert_eq!(check(&code, 1), defect_at(2, Problem::BadTableEntry { table: 0 }));
}

#[test]
fn return_of_the_wrong_count() {
    let mut f = func(&[ReturnSpan { src: S(0), len: 2 }], 3);
    f.num_results = 3;
    let problem = Problem::WrongResultCount { returns: 2, results: 3 };
    assert_eq!(verify(&f, &facts()), defect_at(0, problem));
    f.code = [Return].into();
    f.frame_size = 2;
    let problem = Problem::ResultsOutsideFrame { results: 3, frame_size: 2 };
    assert_eq!(verify(&f, &facts()), defect_at(0, problem));
    // A function that never returns needs no room for its results.
    f.code = [Trap { code: TrapCode::Unreachable }].into();
    f.offsets = [(0, 0)].into();
    assert_eq!(verify(&f, &facts()), Ok(()));
}

#[test]
fn locals_outside_the_frame() {
    let mut f = func(&[Return], 3);
    f.num_params = 2;
    f.num_locals = 2;
    let problem = Problem::LocalsOutsideFrame { locals: 4, frame_size: 3 };
    assert_eq!(verify(&f, &facts()), Err(Defect { at: None, problem }));
}

#[test]
fn references_to_items_the_module_lacks() {
    let cases = [
        (Call { base: S(0), func: 1 }, Problem::UnknownItem(Ref::DefinedFunc(1))),
        (Call { base: S(0), func: u32::MAX }, Problem::UnknownItem(Ref::DefinedFunc(u32::MAX))),
        (CallImported { base: S(0), func: 1 }, Problem::UnknownItem(Ref::ImportedFunc(1))),
        (
            CallIndirect { base: S(0), index: S(0), table: 0, sig: 8 },
            Problem::UnknownItem(Ref::Sig(8)),
        ),
        (CallIndirect { base: S(0), index: S(0), table: 1, sig: 7 }, Problem::NotAFuncTable(1)),
        (RefFunc { dst: S(0), func: 2 }, Problem::UnknownItem(Ref::Func(2))),
        (
            GlobalGet { dst: S(0), global: 2 },
            Problem::UnknownItem(Ref::Global { index: 2, write: false }),
        ),
        (GlobalSet { src: S(0), global: 1 }, Problem::ImmutableGlobal(1)),
        (TableSize { dst: S(0), table: 2 }, Problem::UnknownItem(Ref::Table(2))),
        (DataDrop { data: 1 }, Problem::UnknownItem(Ref::Data(1))),
        (ElemDrop { elem: 1 }, Problem::UnknownItem(Ref::Elem(1))),
        (Trace { op: 0 }, Problem::UnknownItem(Ref::TracePoint(0))),
    ];
    for (instr, problem) in cases {
        assert_eq!(check(&[instr, Return], 2), defect_at(0, problem), "{instr:?}");
    }
    // The table index in `TableInit`'s data word is checked too.
    let code =
        [TableInit { dst: S(0), src: S(0), len: S(0), elem: 0 }, Data { a: 2, b: 0 }, Return];
    assert_eq!(check(&code, 1), defect_at(0, Problem::UnknownItem(Ref::Table(2))));
    // Memory instructions need a memory.
    let without_memory = ModuleFacts { memories: vec![], ..facts() };
    let f = func(&[MemorySize { dst: S(0) }, Return], 1);
    assert_eq!(verify(&f, &without_memory), defect_at(0, Problem::UnknownItem(Ref::MemoryPages)));
    // Trace points exist when the function has them.
    let mut f = func(&[Trace { op: 0 }, Return], 1);
    f.trace = [TracePoint { offset: 0, operator: "nop".into() }].into();
    assert_eq!(verify(&f, &facts()), Ok(()));
}

#[test]
fn source_offsets_cover_every_trap_site() {
    let mut f = func(
        &[Const32 { dst: S(0), value: 0 }, I32DivU { dst: S(0), lhs: S(0), rhs: S(0) }, Return],
        1,
    );
    assert_eq!(f.offsets.as_ref(), [(1, 0)]);
    f.offsets = Box::new([]);
    assert_eq!(verify(&f, &facts()), defect_at(1, Problem::MissingSourceOffset));
    f.offsets = [(1, 0), (1, 4)].into();
    assert_eq!(verify(&f, &facts()), Err(Defect { at: None, problem: Problem::BadOffsetTable }));
    f.offsets = [(1, 0), (3, 4)].into();
    assert_eq!(verify(&f, &facts()), Err(Defect { at: None, problem: Problem::BadOffsetTable }));
}

#[test]
fn problems_read_as_sentences() {
    let problem = Problem::BranchOutsideCode { target: 12, len: 12 };
    assert_eq!(problem.to_string(), "branch target 12 is outside the code (instructions 0..12)");
    let problem = Problem::IncompleteTable { len: 2, available: 1 };
    assert_eq!(
        problem.to_string(),
        "the br_table needs 3 entries but only 1 instructions follow it"
    );
}

#[test]
fn memory_instructions_match_their_memories() {
    use crate::ir::Mem;
    let wide = MemoryFacts { addr64: true, page_size_log2: 16 };
    let bytes = MemoryFacts { addr64: false, page_size_log2: 0 };
    let facts = ModuleFacts { memories: vec![MemoryFacts::CLASSIC, wide], ..facts() };
    let check = |code: &[Instr], facts: &ModuleFacts| verify(&func(code, 2), facts);
    let m1 = Mem { index: 1, addr64: true };
    let offset = Data { a: 0, b: 1 };
    assert_eq!(
        check(&[Load32Mem { dst: S(0), addr: S(1), mem: m1 }, offset, Return], &facts),
        Ok(())
    );
    // The address width is the memory's, the memory exists, the offset follows.
    let narrow = Mem { addr64: false, ..m1 };
    let width = Problem::AddressWidth { memory: 1, addr64: false };
    let code = [Store8Mem { addr: S(0), value: S(1), mem: narrow }, offset, Return];
    assert_eq!(check(&code, &facts), defect_at(0, width.clone()));
    let missing = Mem { index: 2, addr64: true };
    let code = [MemorySizeMem { dst: S(0), mem: missing }, Return];
    assert_eq!(check(&code, &facts), defect_at(0, Problem::UnknownItem(Ref::Mem(missing))));
    let code = [Load8UMem { dst: S(0), addr: S(1), mem: m1 }, Return];
    assert_eq!(check(&code, &facts), defect_at(0, Problem::MissingData));
    let code =
        [MemoryCopyMem { dst: S(0), src: S(0), len: S(0), dst_mem: m1, src_mem: narrow }, Return];
    assert_eq!(check(&code, &facts), defect_at(0, width));
    // `MemoryInitMem`'s data word names an existing data segment.
    let code =
        [MemoryInitMem { dst: S(0), src: S(0), len: S(0), mem: m1 }, Data { a: 1, b: 0 }, Return];
    assert_eq!(check(&code, &facts), defect_at(0, Problem::UnknownItem(Ref::Data(1))));
    // The hot memory-0 instructions need a 32-bit memory 0, and `MemorySize`
    // and `MemoryGrow` 64 KiB pages.
    let wide0 = ModuleFacts { memories: vec![wide], ..facts.clone() };
    let width0 = Problem::AddressWidth { memory: 0, addr64: false };
    assert_eq!(
        check(&[Load8U { dst: S(0), addr: S(0), offset: 0 }, Return], &wide0),
        defect_at(0, width0)
    );
    let bytes0 = ModuleFacts { memories: vec![bytes], ..facts.clone() };
    assert_eq!(check(&[Load8U { dst: S(0), addr: S(0), offset: 0 }, Return], &bytes0), Ok(()));
    let code = [MemoryGrow { dst: S(0), delta: S(0) }, Return];
    assert_eq!(check(&code, &bytes0), defect_at(0, Problem::PageSize { memory: 0 }));
    let code = [MemorySizeMem { dst: S(0), mem: Mem { index: 0, addr64: false } }, Return];
    assert_eq!(check(&code, &bytes0), Ok(()));
}

/// A function whose code is `code`, with the given handler table.
fn with_handlers(code: &[Instr], frame_size: u32, handlers: &[Handler]) -> Result<(), Defect> {
    let mut f = func(code, frame_size);
    f.handlers = handlers.into();
    verify(&f, &facts())
}

#[test]
fn throws_and_handler_tables() {
    // Tag 0 carries two values: the payload is read from two slots.
    let code = [Throw { base: S(2), tag: 0 }];
    let problem = Problem::SpanOutsideFrame { first: 2, len: 2, frame_size: 3 };
    assert_eq!(check(&code, 3), defect_at(0, problem));
    assert_eq!(check(&code, 4), Ok(()));
    assert_eq!(
        check(&[Throw { base: S(0), tag: 1 }], 4),
        defect_at(0, Problem::UnknownItem(Ref::Tag(1)))
    );
    assert_eq!(
        check(&[ThrowRef { exn: S(4) }], 4),
        defect_at(0, Problem::SlotOutsideFrame { slot: 4, frame_size: 4 })
    );

    let code = [Call { base: S(0), func: 0 }, Throw { base: S(0), tag: 0 }, Return];
    let catch = Handler { start: 0, end: 2, tag: 0, with_ref: true, dst: S(1), target: 2 };
    assert_eq!(with_handlers(&code, 4, &[catch]), Ok(()));
    // Two payload cells and the reference from slot 2 reach slot 4.
    let problem = Problem::HandlerOutsideFrame { handler: 0, first: 2, len: 3, frame_size: 4 };
    let wide = Handler { dst: S(2), ..catch };
    assert_eq!(with_handlers(&code, 4, &[wide]), Err(Defect { at: None, problem }));
    // catch_all carries no payload.
    let all = Handler { tag: Handler::CATCH_ALL, with_ref: false, dst: S(3), ..catch };
    assert_eq!(with_handlers(&code, 4, &[all]), Ok(()));
    let bad = [
        (Handler { end: 4, ..catch }, Problem::BadHandlerRange { handler: 0 }),
        (Handler { start: 2, end: 2, ..catch }, Problem::BadHandlerRange { handler: 0 }),
        (Handler { target: 3, ..catch }, Problem::BadHandlerTarget { handler: 0 }),
        (Handler { tag: 5, ..catch }, Problem::UnknownItem(Ref::Tag(5))),
    ];
    for (handler, problem) in bad {
        assert_eq!(with_handlers(&code, 4, &[handler]), Err(Defect { at: None, problem }));
    }
    // A handler may not continue at a data word either.
    let code = [
        TableInit { dst: S(0), src: S(0), len: S(0), elem: 0 },
        Data { a: 0, b: 0 },
        Throw { base: S(0), tag: 0 },
    ];
    let onto_data = Handler { start: 2, end: 3, target: 1, ..catch };
    let problem = Problem::BadHandlerTarget { handler: 0 };
    assert_eq!(with_handlers(&code, 4, &[onto_data]), Err(Defect { at: None, problem }));
}

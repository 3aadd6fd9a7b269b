//! The IR verifier: checks a translated function against every invariant the
//! executor relies on instead of checking at run time.
//!
//! The executor reads frame slots, follows branches and steps from one
//! instruction to the next without bounds checks (see the `// SAFETY:` notes in
//! `exec/`). Those accesses are sound only if the translator produced code that
//! keeps to the rules below; [`verify`] checks them, so a translator bug becomes
//! a clear error at compile time instead of memory corruption at run time.
//!
//! The checks, per function:
//! - the frame holds the parameters and declared locals (they are zeroed on
//!   entry), and the results if the function can return (they are returned in
//!   slots `0..n`);
//! - every slot an instruction reads or writes, both cells of every `v128`
//!   operand and result, and every span of slots (`CopySpan`, `ReturnSpan`),
//!   lie below the frame size;
//! - every lane immediate is below its vector shape's lane count;
//! - a call's arguments and results (as many cells as the callee's type needs,
//!   from its base slot) lie within the frame: host calls read and write them
//!   there (a tail call moves them to slot 0 first, which is within the frame
//!   too);
//! - every branch target (`Br`, `BrIf*`, `br_table` entries and stubs) lies
//!   inside the code and is an instruction: neither a data word nor a
//!   `br_table` entry;
//! - an instruction that needs a data word is followed by one, data words
//!   appear nowhere else, and each `BrTable` is followed by all its `len + 1`
//!   entries, each a `Br` or a return;
//! - no instruction continues past the end of the code (the last one, before
//!   any data word, is a branch, a return, a tail call or a trap);
//! - a return with a known count returns the function's result count;
//! - every index refers to something the module has: defined and imported
//!   functions, function types (`call_indirect`), globals (and only mutable
//!   ones are written), tables (`call_indirect` reads a table of function
//!   references), memories (memory 0 for the hot memory instructions, which
//!   need it to have 32-bit addresses, and 64 KiB pages for `MemorySize` and
//!   `MemoryGrow`; any memory for the `*Mem` family, whose address width must
//!   be the memory's), data and element segments (also in `MemoryInitMem`'s
//!   data word), trace points, entries of the function's constant pool;
//! - the source-offset table is sorted, points into the code, and covers every
//!   instruction that can trap (backtraces look up trap sites in it).
//!
//! The verifier knows instructions only through [`Instr::operands`], the one
//! exhaustive description of the instruction set.

use std::collections::HashMap;
use std::fmt;

use super::{CompiledFunc, DataWord, Flow, Instr, Offset, Operands, Ref, Slot};

/// What verification needs to know about the module around a function. Built
/// once per module; every field is plain data so tests can make one by hand.
#[derive(Debug, Default, Clone)]
pub(crate) struct ModuleFacts {
    /// For each function (imports first): the cells a call to it needs, the
    /// larger of its parameter and result counts.
    pub func_cells: Vec<u32>,
    pub num_imported_funcs: u32,
    /// For each engine-wide function type id the module uses: the cells a call
    /// through it needs.
    pub sig_cells: HashMap<u32, u32>,
    /// For each table: whether it holds function references.
    pub func_tables: Vec<bool>,
    /// For each global: whether it is mutable.
    pub mutable_globals: Vec<bool>,
    /// For each memory: the width of its addresses and its page size.
    pub memories: Vec<MemoryFacts>,
    pub num_data: u32,
    pub num_elems: u32,
    /// For each tag (imports first): how many values its exceptions carry.
    pub tag_params: Vec<u32>,
}

/// What verification needs to know about a memory.
#[derive(Debug, Copy, Clone, PartialEq, Eq)]
pub(crate) struct MemoryFacts {
    /// Whether its addresses are 64-bit.
    pub addr64: bool,
    /// The base-2 logarithm of its page size.
    pub page_size_log2: u8,
}

impl MemoryFacts {
    /// A 32-bit memory of 64 KiB pages.
    #[cfg(test)]
    pub const CLASSIC: MemoryFacts = MemoryFacts { addr64: false, page_size_log2: 16 };
}

/// A broken invariant, at an instruction or (`at == None`) of the function as
/// a whole.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Defect {
    pub at: Option<usize>,
    pub problem: Problem,
}

/// What is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Problem {
    /// The function has no code.
    EmptyCode,
    /// The frame cannot hold the parameters and declared locals.
    LocalsOutsideFrame { locals: u32, frame_size: u32 },
    /// A return, but the frame cannot hold the results.
    ResultsOutsideFrame { results: u32, frame_size: u32 },
    /// A slot at or above the frame size.
    SlotOutsideFrame { slot: u16, frame_size: u32 },
    /// A `v128` operand or result whose second cell is outside the frame.
    V128OutsideFrame { slot: u16, frame_size: u32 },
    /// A lane immediate not below its shape's lane count.
    LaneOutOfRange { lane: u8, lanes: u8 },
    /// A span of slots reaching past the frame.
    SpanOutsideFrame { first: u16, len: u32, frame_size: u32 },
    /// A call's arguments and results reaching past the frame.
    CallOutsideFrame { base: u16, cells: u32, frame_size: u32 },
    /// A branch to a place outside the code.
    BranchOutsideCode { target: i64, len: usize },
    /// A branch onto a data word.
    BranchToData { target: usize },
    /// A branch onto an entry of a `br_table`.
    BranchToTableEntry { target: usize },
    /// The instruction continues past the end of the code.
    FallsOffEnd,
    /// An instruction that needs a data word is not followed by one.
    MissingData,
    /// A data word that follows no instruction needing one.
    StrayData,
    /// A `br_table` with fewer than `len + 1` instructions after it.
    IncompleteTable { len: u32, available: usize },
    /// A `br_table` entry that is neither a `Br` nor a return.
    BadTableEntry { table: usize },
    /// A return of a number of values other than the function's result count.
    WrongResultCount { returns: u32, results: u32 },
    /// An index the module has no item for.
    UnknownItem(Ref),
    /// A write to an immutable global.
    ImmutableGlobal(u32),
    /// `call_indirect` through a table that does not hold function references.
    NotAFuncTable(u32),
    /// A memory instruction whose address width is not its memory's.
    AddressWidth { memory: u32, addr64: bool },
    /// `MemorySize` or `MemoryGrow` (which count 64 KiB pages) on a memory 0
    /// with another page size.
    PageSize { memory: u32 },
    /// The source-offset table is not sorted by instruction index or points
    /// outside the code.
    BadOffsetTable,
    /// An instruction that can trap has no source offset.
    MissingSourceOffset,
    /// A handler covering instructions outside the code, or an empty range.
    BadHandlerRange { handler: usize },
    /// A handler whose target is not an instruction of the code.
    BadHandlerTarget { handler: usize },
    /// A handler whose payload (and reference) slots reach past the frame.
    HandlerOutsideFrame { handler: usize, first: u16, len: u32, frame_size: u32 },
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Problem::EmptyCode => f.write_str("the function has no code"),
            Problem::LocalsOutsideFrame { locals, frame_size } => write!(
                f,
                "the frame of {frame_size} slots cannot hold {locals} parameters and locals"
            ),
            Problem::ResultsOutsideFrame { results, frame_size } => {
                write!(f, "the frame of {frame_size} slots cannot hold {results} results")
            }
            Problem::SlotOutsideFrame { slot, frame_size } => {
                write!(f, "slot {slot} is outside the frame of {frame_size} slots")
            }
            Problem::V128OutsideFrame { slot, frame_size } => write!(
                f,
                "the v128 in slots {slot} and {} reaches past the frame of {frame_size} slots",
                u32::from(*slot) + 1
            ),
            Problem::LaneOutOfRange { lane, lanes } => {
                write!(f, "lane {lane} of a vector with {lanes} lanes")
            }
            Problem::SpanOutsideFrame { first, len, frame_size } => write!(
                f,
                "the {len} slots from slot {first} reach past the frame of {frame_size} slots"
            ),
            Problem::CallOutsideFrame { base, cells, frame_size } => write!(
                f,
                "the call's {cells} argument and result slots from slot {base} reach past the \
                 frame of {frame_size} slots"
            ),
            Problem::BranchOutsideCode { target, len } => {
                write!(f, "branch target {target} is outside the code (instructions 0..{len})")
            }
            Problem::BranchToData { target } => {
                write!(f, "branch target {target} is a data word")
            }
            Problem::BranchToTableEntry { target } => {
                write!(f, "branch target {target} is an entry of a br_table")
            }
            Problem::FallsOffEnd => f.write_str("execution continues past the end of the code"),
            Problem::MissingData => f.write_str("the instruction is not followed by its data word"),
            Problem::StrayData => f.write_str("a data word follows no instruction that needs one"),
            Problem::IncompleteTable { len, available } => write!(
                f,
                "the br_table needs {} entries but only {available} instructions follow it",
                u64::from(*len) + 1
            ),
            Problem::BadTableEntry { table } => {
                write!(f, "entry of the br_table at {table} is neither a Br nor a return")
            }
            Problem::WrongResultCount { returns, results } => {
                write!(f, "returns {returns} values from a function with {results} results")
            }
            Problem::UnknownItem(item) => write!(f, "refers to {item:?}, which does not exist"),
            Problem::ImmutableGlobal(index) => write!(f, "writes immutable global {index}"),
            Problem::NotAFuncTable(index) => {
                write!(f, "calls through table {index}, which does not hold function references")
            }
            Problem::AddressWidth { memory, addr64 } => {
                let (used, has) = if *addr64 { (64, 32) } else { (32, 64) };
                write!(
                    f,
                    "uses {used}-bit addresses in memory {memory}, which has {has}-bit addresses"
                )
            }
            Problem::PageSize { memory } => {
                write!(f, "counts 64 KiB pages of memory {memory}, which has another page size")
            }
            Problem::BadOffsetTable => {
                f.write_str("the source-offset table is unsorted or points outside the code")
            }
            Problem::MissingSourceOffset => {
                f.write_str("the instruction can trap but has no source offset")
            }
            Problem::BadHandlerRange { handler } => {
                write!(f, "handler {handler} covers an empty range or one outside the code")
            }
            Problem::BadHandlerTarget { handler } => {
                write!(f, "handler {handler} continues at something that is not an instruction")
            }
            Problem::HandlerOutsideFrame { handler, first, len, frame_size } => write!(
                f,
                "handler {handler} writes {len} slots from slot {first}, past the frame of \
                 {frame_size} slots"
            ),
        }
    }
}

/// What an instruction index holds.
#[derive(Debug, Copy, Clone, PartialEq, Eq)]
enum Role {
    Instr,
    /// The data word of the instruction before it.
    Data,
    /// An entry of the `br_table` at this index.
    Entry(usize),
}

/// Checks `func` against the invariants listed in the module documentation.
///
/// # Errors
///
/// The first broken invariant found.
pub(crate) fn verify(func: &CompiledFunc, module: &ModuleFacts) -> Result<(), Defect> {
    let whole = |problem| Defect { at: None, problem };
    let code = &func.code;
    if code.is_empty() {
        return Err(whole(Problem::EmptyCode));
    }
    let locals = u64::from(func.num_params) + u64::from(func.num_locals);
    if locals > u64::from(func.frame_size) {
        return Err(whole(Problem::LocalsOutsideFrame {
            locals: locals.try_into().unwrap_or(u32::MAX),
            frame_size: func.frame_size,
        }));
    }
    let roles = roles(code)?;
    let mut check = Check { func, module, problem: None };
    for (at, instr) in code.iter().enumerate() {
        let defect = |problem| Defect { at: Some(at), problem };
        check.instruction(at, instr, &roles).map_err(defect)?;
    }
    check.offsets().map_err(whole)?;
    check.handlers(&roles).map_err(whole)
}

/// Classifies every index as an instruction, a data word or a `br_table`
/// entry, checking that data words and entries are where they must be.
fn roles(code: &[Instr]) -> Result<Vec<Role>, Defect> {
    let mut roles = vec![Role::Instr; code.len()];
    for (at, instr) in code.iter().enumerate() {
        let defect = |problem| Defect { at: Some(at), problem };
        match instr.effect().flow {
            Flow::NextAfterData(_) => match code.get(at + 1) {
                Some(Instr::Data { .. }) => roles[at + 1] = Role::Data,
                _ => return Err(defect(Problem::MissingData)),
            },
            Flow::Table { len } => {
                let available = code.len() - at - 1;
                if u64::from(len) + 1 > available as u64 {
                    return Err(defect(Problem::IncompleteTable { len, available }));
                }
                roles[at + 1..=at + 1 + len as usize].fill(Role::Entry(at));
            }
            Flow::Data if roles[at] != Role::Data => return Err(defect(Problem::StrayData)),
            Flow::Next
            | Flow::Branch
            | Flow::Jump
            | Flow::Return { .. }
            | Flow::TailCall
            | Flow::Trap
            | Flow::Throw
            | Flow::Data => {}
        }
    }
    Ok(roles)
}

/// The per-instruction checks; the operand checks run as an [`Operands`]
/// visitor, which records the first problem it finds.
struct Check<'f> {
    func: &'f CompiledFunc,
    module: &'f ModuleFacts,
    problem: Option<Problem>,
}

impl Check<'_> {
    fn instruction(&mut self, at: usize, instr: &Instr, roles: &[Role]) -> Result<(), Problem> {
        if roles[at] == Role::Data {
            return Ok(());
        }
        let mut copy = *instr;
        let effect = copy.operands(self);
        if let Some(problem) = self.problem.take() {
            return Err(problem);
        }
        if let Some(offset) = instr.branch_offset() {
            self.target(at, offset, roles)?;
        }
        let len = self.func.code.len();
        match effect.flow {
            Flow::Next | Flow::Branch if at + 1 >= len => return Err(Problem::FallsOffEnd),
            Flow::NextAfterData(word) => {
                if at + 2 >= len {
                    return Err(Problem::FallsOffEnd);
                }
                if let Instr::Data { a, .. } = self.func.code[at + 1] {
                    match word {
                        DataWord::TableIndex => self.refer(Ref::Table(a)),
                        DataWord::DataSegment => self.refer(Ref::Data(a)),
                        DataWord::Offset => {}
                    }
                }
            }
            Flow::Return { results: Some(returns) } if returns != self.func.num_results => {
                return Err(Problem::WrongResultCount { returns, results: self.func.num_results });
            }
            Flow::Return { .. } if self.func.num_results > self.func.frame_size => {
                let (results, frame_size) = (self.func.num_results, self.func.frame_size);
                return Err(Problem::ResultsOutsideFrame { results, frame_size });
            }
            Flow::Next
            | Flow::Branch
            | Flow::Jump
            | Flow::Table { .. }
            | Flow::Return { .. }
            | Flow::TailCall
            | Flow::Trap
            | Flow::Throw
            | Flow::Data => {}
        }
        if let Role::Entry(table) = roles[at]
            && !matches!(effect.flow, Flow::Jump | Flow::Return { .. })
        {
            return Err(Problem::BadTableEntry { table });
        }
        if effect.may_trap
            && self.func.offsets.binary_search_by_key(&(at as u64), |&(i, _)| u64::from(i)).is_err()
        {
            return Err(Problem::MissingSourceOffset);
        }
        self.problem.take().map_or(Ok(()), Err)
    }

    /// Checks the branch from `at` by `offset`.
    fn target(&self, at: usize, offset: Offset, roles: &[Role]) -> Result<(), Problem> {
        let target = at as i64 + i64::from(offset);
        let len = self.func.code.len();
        let index = usize::try_from(target)
            .ok()
            .filter(|&t| t < len)
            .ok_or(Problem::BranchOutsideCode { target, len })?;
        match roles[index] {
            Role::Instr => Ok(()),
            Role::Data => Err(Problem::BranchToData { target: index }),
            Role::Entry(_) => Err(Problem::BranchToTableEntry { target: index }),
        }
    }

    /// Checks the source-offset table.
    fn offsets(&self) -> Result<(), Problem> {
        let offsets = &self.func.offsets;
        let sorted = offsets.windows(2).all(|w| w[0].0 < w[1].0);
        let inside = offsets.last().is_none_or(|&(i, _)| (i as usize) < self.func.code.len());
        if sorted && inside { Ok(()) } else { Err(Problem::BadOffsetTable) }
    }

    /// Checks the handler table: ranges and targets inside the code, tags
    /// that exist, payload slots inside the frame.
    fn handlers(&mut self, roles: &[Role]) -> Result<(), Problem> {
        let len = self.func.code.len();
        let frame_size = self.func.frame_size;
        for (handler, h) in self.func.handlers.iter().enumerate() {
            if h.start >= h.end || h.end as usize > len {
                return Err(Problem::BadHandlerRange { handler });
            }
            if roles.get(h.target as usize) != Some(&Role::Instr) {
                return Err(Problem::BadHandlerTarget { handler });
            }
            let params = if h.tag == super::Handler::CATCH_ALL {
                0
            } else {
                match self.module.tag_params.get(h.tag as usize) {
                    Some(&n) => n,
                    None => return Err(Problem::UnknownItem(Ref::Tag(h.tag))),
                }
            };
            let cells = params + u32::from(h.with_ref);
            if u64::from(h.dst.0) + u64::from(cells) > u64::from(frame_size) {
                let first = h.dst.0;
                return Err(Problem::HandlerOutsideFrame {
                    handler,
                    first,
                    len: cells,
                    frame_size,
                });
            }
        }
        Ok(())
    }

    fn fail(&mut self, problem: Problem) {
        self.problem.get_or_insert(problem);
    }

    fn slot(&mut self, slot: Slot) {
        let frame_size = self.func.frame_size;
        if u32::from(slot.0) >= frame_size {
            self.fail(Problem::SlotOutsideFrame { slot: slot.0, frame_size });
        }
    }

    /// Both cells of a `v128` from `slot`.
    fn v128(&mut self, slot: Slot) {
        self.slot(slot);
        let frame_size = self.func.frame_size;
        if u32::from(slot.0) + 1 >= frame_size {
            self.fail(Problem::V128OutsideFrame { slot: slot.0, frame_size });
        }
    }

    /// The cells a call to `callee` needs, if `callee` exists.
    fn call_cells(&self, callee: Ref) -> Option<u32> {
        let m = self.module;
        match callee {
            Ref::DefinedFunc(f) => {
                m.func_cells.get(usize::try_from(m.num_imported_funcs.checked_add(f)?).ok()?)
            }
            Ref::ImportedFunc(f) if f < m.num_imported_funcs => m.func_cells.get(f as usize),
            Ref::Sig(id) => m.sig_cells.get(&id),
            _ => None,
        }
        .copied()
    }
}

impl<'a> Operands<'a> for Check<'_> {
    fn read(&mut self, slot: &'a mut Slot) {
        self.slot(*slot);
    }

    fn write(&mut self, slot: &'a mut Slot) {
        self.slot(*slot);
    }

    fn read_v128(&mut self, slot: &'a mut Slot) {
        self.v128(*slot);
    }

    fn write_v128(&mut self, slot: &'a mut Slot) {
        self.v128(*slot);
    }

    fn lane(&mut self, lane: u8, lanes: u8) {
        if lane >= lanes {
            self.fail(Problem::LaneOutOfRange { lane, lanes });
        }
    }

    fn span(&mut self, first: Slot, len: u32) {
        let frame_size = self.func.frame_size;
        if u64::from(first.0) + u64::from(len) > u64::from(frame_size) {
            self.fail(Problem::SpanOutsideFrame { first: first.0, len, frame_size });
        }
    }

    fn call(&mut self, base: Slot, callee: Ref) {
        let Some(cells) = self.call_cells(callee) else {
            return self.fail(Problem::UnknownItem(callee));
        };
        let frame_size = self.func.frame_size;
        if u64::from(base.0) + u64::from(cells) > u64::from(frame_size) {
            self.fail(Problem::CallOutsideFrame { base: base.0, cells, frame_size });
        }
    }

    fn throw(&mut self, base: Slot, tag: u32) {
        if let Some(&cells) = self.module.tag_params.get(tag as usize) {
            self.span(base, cells);
        }
    }

    fn refer(&mut self, item: Ref) {
        let m = self.module;
        let below = |index: u32, count: usize| (index as usize) < count;
        let exists = match item {
            Ref::Func(f) => below(f, m.func_cells.len()),
            Ref::DefinedFunc(_) | Ref::ImportedFunc(_) | Ref::Sig(_) => {
                self.call_cells(item).is_some()
            }
            Ref::Global { index, write } => match m.mutable_globals.get(index as usize) {
                Some(false) if write => return self.fail(Problem::ImmutableGlobal(index)),
                Some(_) => true,
                None => false,
            },
            Ref::Table(t) => below(t, m.func_tables.len()),
            Ref::FuncTable(t) => match m.func_tables.get(t as usize) {
                Some(false) => return self.fail(Problem::NotAFuncTable(t)),
                Some(true) => true,
                None => false,
            },
            Ref::Memory | Ref::MemoryPages => match m.memories.first() {
                Some(memory) if memory.addr64 => {
                    return self.fail(Problem::AddressWidth { memory: 0, addr64: false });
                }
                Some(memory) if item == Ref::MemoryPages && memory.page_size_log2 != 16 => {
                    return self.fail(Problem::PageSize { memory: 0 });
                }
                Some(_) => true,
                None => false,
            },
            Ref::Mem(mem) => match m.memories.get(usize::from(mem.index)) {
                Some(memory) if memory.addr64 != mem.addr64 => {
                    let memory = u32::from(mem.index);
                    return self.fail(Problem::AddressWidth { memory, addr64: mem.addr64 });
                }
                Some(_) => true,
                None => false,
            },
            Ref::Data(d) => d < m.num_data,
            Ref::Elem(e) => e < m.num_elems,
            Ref::TracePoint(p) => below(p, self.func.trace.len()),
            Ref::Const(k) => below(k, self.func.consts.len()),
            Ref::Tag(t) => below(t, m.tag_params.len()),
        };
        if !exists {
            self.fail(Problem::UnknownItem(item));
        }
    }
}

#[cfg(test)]
#[path = "verify_tests.rs"]
mod tests;

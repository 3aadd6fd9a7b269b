//! The instruction set the executor runs: one hand-written enum, defined here only.
//!
//! The translator (`translate`) turns each wasm function body into a
//! `Box<[Instr]>`; the executor (`exec`) runs it. Operands are frame
//! [`Slot`]s: a frame holds the function's parameters, then its declared locals,
//! then temporaries, each one untyped 64-bit cell. Validation has checked every
//! type, so instructions carry no type information beyond their opcode.
//!
//! Conventions:
//! - `dst` is written, all other slots are read.
//! - `offset` on branches is relative to the branch instruction's own index.
//! - An `i32` in a cell is its low 32 bits; readers truncate, the upper half is
//!   unspecified. `f32` is the same with float bits; `i64`/`f64` use all 64.
//! - References are cells too: `0` is null, a function reference is its store
//!   index + 1, an extern reference its store index + 1.
//! - A `v128` takes two consecutive cells from its slot: the low 64 bits
//!   (lanes 0.. in little-endian order), then the high 64 bits. Parameters,
//!   locals and temporaries are laid out by width, so a function without
//!   `v128` values has exactly the one-cell-per-value frame described above.
//! - Instructions that need more immediates than fit in 12 bytes are followed by
//!   a data word ([`Instr::Data`]); the executor steps over it.

mod disasm;
mod effects;
mod func;
mod simd;
pub(crate) mod verify;

pub use disasm::disassemble;
pub(crate) use disasm::disassemble_around;
pub(crate) use effects::{DataWord, Flow, Operands, Ref};
pub(crate) use func::{CompiledFunc, Handler, TracePoint};
pub use simd::{
    SimdBinary, SimdExtract, SimdLane, SimdLoad, SimdReplace, SimdShift, SimdSplat, SimdTernary,
    SimdTest, SimdUnary,
};

use crate::trap::TrapCode;

/// A frame slot index.
#[derive(Debug, Copy, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[repr(transparent)]
pub struct Slot(pub u16);

impl Slot {
    /// The slot as an index into the frame.
    #[inline(always)]
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// A branch distance in instructions, relative to the branching instruction.
pub type Offset = i32;

/// A memory of the running instance and the width of its addresses: the
/// operand of the instructions for any memory (the `*Mem` family), which serve
/// every memory but a 32-bit memory 0 (the cached, hot one).
#[derive(Debug, Copy, Clone, PartialEq, Eq, Hash)]
pub struct Mem {
    /// The memory's index in the module's memory index space (validation
    /// allows at most 100 memories).
    pub index: u8,
    /// Whether addresses, sizes and lengths in this memory are `i64`.
    pub addr64: bool,
}

/// One executor instruction. 12 bytes (see the size test below).
///
/// Variants are grouped by family; the comments in the source describe each
/// group's operands and any instruction whose meaning is not in its name.
/// Families added after WebAssembly 2.0 come last, so that the discriminants
/// (and the dispatch code) of the ones before stay as they were.
#[derive(Debug, Copy, Clone, PartialEq)]
pub enum Instr {
    // ---- control --------------------------------------------------------------
    // Trap unconditionally.
    Trap { code: TrapCode },
    // Report wasm operator `op` of the function's trace table to the store's
    // tracer (only emitted when `Config::trace_execution` is on).
    Trace { op: u32 },
    // Charge `amount` fuel; trap with `OutOfFuel` if the store has less.
    ConsumeFuel { amount: u32 },
    // Jump.
    Br { offset: Offset },
    // Jump if the i32 in `cond` is zero.
    BrIfEqz { cond: Slot, offset: Offset },
    // Jump if the i32 in `cond` is not zero.
    BrIfNez { cond: Slot, offset: Offset },
    // Fused compare-and-branch on two i32 slots (`>`/`>=` are emitted with the
    // operands swapped).
    BrIfI32Eq { lhs: Slot, rhs: Slot, offset: Offset },
    BrIfI32Ne { lhs: Slot, rhs: Slot, offset: Offset },
    BrIfI32LtS { lhs: Slot, rhs: Slot, offset: Offset },
    BrIfI32LtU { lhs: Slot, rhs: Slot, offset: Offset },
    BrIfI32LeS { lhs: Slot, rhs: Slot, offset: Offset },
    BrIfI32LeU { lhs: Slot, rhs: Slot, offset: Offset },
    BrIfI64Eq { lhs: Slot, rhs: Slot, offset: Offset },
    BrIfI64Ne { lhs: Slot, rhs: Slot, offset: Offset },
    BrIfI64LtS { lhs: Slot, rhs: Slot, offset: Offset },
    BrIfI64LtU { lhs: Slot, rhs: Slot, offset: Offset },
    BrIfI64LeS { lhs: Slot, rhs: Slot, offset: Offset },
    BrIfI64LeU { lhs: Slot, rhs: Slot, offset: Offset },
    // Fused compare-with-immediate-and-branch on an i32 slot.
    BrIfI32EqImm { lhs: Slot, imm: i32, offset: Offset },
    BrIfI32NeImm { lhs: Slot, imm: i32, offset: Offset },
    BrIfI32LtSImm { lhs: Slot, imm: i32, offset: Offset },
    BrIfI32LtUImm { lhs: Slot, imm: i32, offset: Offset },
    BrIfI32GtSImm { lhs: Slot, imm: i32, offset: Offset },
    BrIfI32GtUImm { lhs: Slot, imm: i32, offset: Offset },
    BrIfI32LeSImm { lhs: Slot, imm: i32, offset: Offset },
    BrIfI32LeUImm { lhs: Slot, imm: i32, offset: Offset },
    BrIfI32GeSImm { lhs: Slot, imm: i32, offset: Offset },
    BrIfI32GeUImm { lhs: Slot, imm: i32, offset: Offset },
    // Fused compare-with-immediate-and-branch on an i64 slot (immediate sign-extended).
    BrIfI64EqImm { lhs: Slot, imm: i32, offset: Offset },
    BrIfI64NeImm { lhs: Slot, imm: i32, offset: Offset },
    BrIfI64LtSImm { lhs: Slot, imm: i32, offset: Offset },
    BrIfI64LtUImm { lhs: Slot, imm: i32, offset: Offset },
    BrIfI64GtSImm { lhs: Slot, imm: i32, offset: Offset },
    BrIfI64GtUImm { lhs: Slot, imm: i32, offset: Offset },
    BrIfI64LeSImm { lhs: Slot, imm: i32, offset: Offset },
    BrIfI64LeUImm { lhs: Slot, imm: i32, offset: Offset },
    BrIfI64GeSImm { lhs: Slot, imm: i32, offset: Offset },
    BrIfI64GeUImm { lhs: Slot, imm: i32, offset: Offset },
    // The step of a counting loop and its test, fused: `var = var + step`
    // (wrapping i32), then jump if the new `var` is non-zero, `!= rhs`,
    // `< rhs` (unsigned) or `!= limit` (sign-extended).
    StepBrIfNez { var: Slot, step: i16, offset: Offset },
    StepBrIfI32Ne { var: Slot, step: i16, rhs: Slot, offset: Offset },
    StepBrIfI32LtU { var: Slot, step: i16, rhs: Slot, offset: Offset },
    StepBrIfI32NeImm { var: Slot, step: i16, limit: i16, offset: Offset },
    // The same with the step in a slot: `var = var + step`, then jump if the
    // new `var != rhs` or `< rhs` (unsigned).
    AddBrIfI32Ne { var: Slot, step: Slot, rhs: Slot, offset: Offset },
    AddBrIfI32LtU { var: Slot, step: Slot, rhs: Slot, offset: Offset },
    // Jump to entry `min(index, len)` of the `len + 1` [`Instr::Br`] entries
    // that follow (the last is the default).
    BrTable { index: Slot, len: u32 },
    // Return; results are already in slots `0..n`.
    Return,
    // Copy `src` to slot 0 and return.
    ReturnSlot { src: Slot },
    // Copy `len` slots from `src` to `0..len` and return.
    ReturnSpan { src: Slot, len: u16 },
    // Write an immediate to slot 0 and return.
    ReturnImm32 { value: u32 },
    // Call a function defined in the current module (index into its code);
    // arguments are at `base..`, and results are written back there.
    Call { base: Slot, func: u32 },
    // Call through the instance's function index space (an imported function).
    CallImported { base: Slot, func: u32 },
    // Call the function at `table[index]`, which must have engine type `sig`.
    CallIndirect { base: Slot, index: Slot, table: u16, sig: u32 },
    // Tail calls: as the calls above, but the callee replaces the current
    // frame. Its arguments move from `base..` to slot 0, where the caller of
    // the current function expects the results; the frame stack does not grow.
    ReturnCall { base: Slot, func: u32 },
    ReturnCallImported { base: Slot, func: u32 },
    ReturnCallIndirect { base: Slot, index: Slot, table: u16, sig: u32 },
    // Throw a new exception with the module's tag `tag`; its payload (as many
    // cells as the tag has parameters) is at `base..`. Control continues at
    // the handler the function's [`Handler`] table or a caller's names.
    Throw { base: Slot, tag: u32 },
    // Rethrow the exception referenced by `exn`; trap if it is null.
    ThrowRef { exn: Slot },

    // ---- moves ----------------------------------------------------------------
    Copy { dst: Slot, src: Slot },
    // Two copies, one after the other: `dst = src`, then `dst2 = src2`.
    Copy2 { dst: Slot, src: Slot, dst2: Slot, src2: Slot },
    // Copy `len` slots, as by `memmove`.
    CopySpan { dst: Slot, src: Slot, len: u16 },
    // Write a 32-bit constant (zero-extended).
    Const32 { dst: Slot, value: u32 },
    // Write a 64-bit constant.
    Const64 { dst: Slot, lo: u32, hi: u32 },
    // `dst = if cond != 0 { a } else { b }`.
    Select { dst: Slot, cond: Slot, a: Slot, b: Slot },
    // `select` on a comparison, fused: `dst = if lhs OP rhs { a } else { b }`.
    SelectI32Eq { dst: Slot, lhs: Slot, rhs: Slot, a: Slot, b: Slot },
    SelectI32LtS { dst: Slot, lhs: Slot, rhs: Slot, a: Slot, b: Slot },
    SelectI32LtU { dst: Slot, lhs: Slot, rhs: Slot, a: Slot, b: Slot },
    SelectI64Eq { dst: Slot, lhs: Slot, rhs: Slot, a: Slot, b: Slot },
    SelectI64LtS { dst: Slot, lhs: Slot, rhs: Slot, a: Slot, b: Slot },
    SelectI64LtU { dst: Slot, lhs: Slot, rhs: Slot, a: Slot, b: Slot },
    GlobalGet { dst: Slot, global: u32 },
    GlobalSet { src: Slot, global: u32 },

    // ---- memory 0 -------------------------------------------------------------
    // Loads: `dst = mem[addr + offset]`, extended to the cell as the name says.
    Load8S { dst: Slot, addr: Slot, offset: u32 },
    Load8U { dst: Slot, addr: Slot, offset: u32 },
    Load16S { dst: Slot, addr: Slot, offset: u32 },
    Load16U { dst: Slot, addr: Slot, offset: u32 },
    Load32S { dst: Slot, addr: Slot, offset: u32 },
    Load32 { dst: Slot, addr: Slot, offset: u32 },
    Load64 { dst: Slot, addr: Slot, offset: u32 },
    // Stores: `mem[addr + offset] = value`, truncated to the width in the name.
    Store8 { addr: Slot, value: Slot, offset: u32 },
    Store16 { addr: Slot, value: Slot, offset: u32 },
    Store32 { addr: Slot, value: Slot, offset: u32 },
    Store64 { addr: Slot, value: Slot, offset: u32 },
    Store8Imm { addr: Slot, value: i32, offset: u32 },
    Store16Imm { addr: Slot, value: i32, offset: u32 },
    Store32Imm { addr: Slot, value: i32, offset: u32 },
    // The immediate is sign-extended to 64 bits.
    Store64Imm { addr: Slot, value: i32, offset: u32 },
    MemorySize { dst: Slot },
    MemoryGrow { dst: Slot, delta: Slot },
    MemoryFill { dst: Slot, value: Slot, len: Slot },
    MemoryCopy { dst: Slot, src: Slot, len: Slot },
    MemoryInit { dst: Slot, src: Slot, len: Slot, data: u32 },
    DataDrop { data: u32 },

    // ---- tables and references ---------------------------------------------------
    TableGet { dst: Slot, index: Slot, table: u32 },
    TableSet { index: Slot, value: Slot, table: u32 },
    TableSize { dst: Slot, table: u32 },
    TableGrow { dst: Slot, init: Slot, delta: Slot, table: u32 },
    TableFill { dst: Slot, value: Slot, len: Slot, table: u32 },
    TableCopy { dst: Slot, src: Slot, len: Slot, dst_table: u16, src_table: u16 },
    // Followed by a [`Instr::Data`] word holding the table index.
    TableInit { dst: Slot, src: Slot, len: Slot, elem: u32 },
    ElemDrop { elem: u32 },
    RefFunc { dst: Slot, func: u32 },
    RefIsNull { dst: Slot, src: Slot },
    // Extra immediates for the preceding instruction; never executed.
    Data { a: u32, b: u32 },

    // ---- i32 ------------------------------------------------------------------
    I32Eqz { dst: Slot, src: Slot },
    I32Clz { dst: Slot, src: Slot },
    I32Ctz { dst: Slot, src: Slot },
    I32Popcnt { dst: Slot, src: Slot },
    I32Extend8S { dst: Slot, src: Slot },
    I32Extend16S { dst: Slot, src: Slot },
    I32Eq { dst: Slot, lhs: Slot, rhs: Slot },
    I32Ne { dst: Slot, lhs: Slot, rhs: Slot },
    I32LtS { dst: Slot, lhs: Slot, rhs: Slot },
    I32LtU { dst: Slot, lhs: Slot, rhs: Slot },
    I32GtS { dst: Slot, lhs: Slot, rhs: Slot },
    I32GtU { dst: Slot, lhs: Slot, rhs: Slot },
    I32LeS { dst: Slot, lhs: Slot, rhs: Slot },
    I32LeU { dst: Slot, lhs: Slot, rhs: Slot },
    I32GeS { dst: Slot, lhs: Slot, rhs: Slot },
    I32GeU { dst: Slot, lhs: Slot, rhs: Slot },
    I32Add { dst: Slot, lhs: Slot, rhs: Slot },
    I32Sub { dst: Slot, lhs: Slot, rhs: Slot },
    I32Mul { dst: Slot, lhs: Slot, rhs: Slot },
    I32DivS { dst: Slot, lhs: Slot, rhs: Slot },
    I32DivU { dst: Slot, lhs: Slot, rhs: Slot },
    I32RemS { dst: Slot, lhs: Slot, rhs: Slot },
    I32RemU { dst: Slot, lhs: Slot, rhs: Slot },
    I32And { dst: Slot, lhs: Slot, rhs: Slot },
    I32Or { dst: Slot, lhs: Slot, rhs: Slot },
    I32Xor { dst: Slot, lhs: Slot, rhs: Slot },
    I32Shl { dst: Slot, lhs: Slot, rhs: Slot },
    I32ShrS { dst: Slot, lhs: Slot, rhs: Slot },
    I32ShrU { dst: Slot, lhs: Slot, rhs: Slot },
    I32Rotl { dst: Slot, lhs: Slot, rhs: Slot },
    I32Rotr { dst: Slot, lhs: Slot, rhs: Slot },
    I32EqImm { dst: Slot, lhs: Slot, imm: i32 },
    I32NeImm { dst: Slot, lhs: Slot, imm: i32 },
    I32LtSImm { dst: Slot, lhs: Slot, imm: i32 },
    I32LtUImm { dst: Slot, lhs: Slot, imm: i32 },
    I32GtSImm { dst: Slot, lhs: Slot, imm: i32 },
    I32GtUImm { dst: Slot, lhs: Slot, imm: i32 },
    I32LeSImm { dst: Slot, lhs: Slot, imm: i32 },
    I32LeUImm { dst: Slot, lhs: Slot, imm: i32 },
    I32GeSImm { dst: Slot, lhs: Slot, imm: i32 },
    I32GeUImm { dst: Slot, lhs: Slot, imm: i32 },
    I32AddImm { dst: Slot, lhs: Slot, imm: i32 },
    // `dst = imm - lhs`.
    I32RSubImm { dst: Slot, lhs: Slot, imm: i32 },
    I32MulImm { dst: Slot, lhs: Slot, imm: i32 },
    I32DivSImm { dst: Slot, lhs: Slot, imm: i32 },
    I32DivUImm { dst: Slot, lhs: Slot, imm: i32 },
    I32RemSImm { dst: Slot, lhs: Slot, imm: i32 },
    I32RemUImm { dst: Slot, lhs: Slot, imm: i32 },
    I32AndImm { dst: Slot, lhs: Slot, imm: i32 },
    I32OrImm { dst: Slot, lhs: Slot, imm: i32 },
    I32XorImm { dst: Slot, lhs: Slot, imm: i32 },
    I32ShlImm { dst: Slot, lhs: Slot, imm: i32 },
    I32ShrSImm { dst: Slot, lhs: Slot, imm: i32 },
    I32ShrUImm { dst: Slot, lhs: Slot, imm: i32 },
    I32RotlImm { dst: Slot, lhs: Slot, imm: i32 },
    I32RotrImm { dst: Slot, lhs: Slot, imm: i32 },

    // ---- i64 ------------------------------------------------------------------
    I64Eqz { dst: Slot, src: Slot },
    I64Clz { dst: Slot, src: Slot },
    I64Ctz { dst: Slot, src: Slot },
    I64Popcnt { dst: Slot, src: Slot },
    I64Extend8S { dst: Slot, src: Slot },
    I64Extend16S { dst: Slot, src: Slot },
    I64Extend32S { dst: Slot, src: Slot },
    I64ExtendI32U { dst: Slot, src: Slot },
    I64Eq { dst: Slot, lhs: Slot, rhs: Slot },
    I64Ne { dst: Slot, lhs: Slot, rhs: Slot },
    I64LtS { dst: Slot, lhs: Slot, rhs: Slot },
    I64LtU { dst: Slot, lhs: Slot, rhs: Slot },
    I64GtS { dst: Slot, lhs: Slot, rhs: Slot },
    I64GtU { dst: Slot, lhs: Slot, rhs: Slot },
    I64LeS { dst: Slot, lhs: Slot, rhs: Slot },
    I64LeU { dst: Slot, lhs: Slot, rhs: Slot },
    I64GeS { dst: Slot, lhs: Slot, rhs: Slot },
    I64GeU { dst: Slot, lhs: Slot, rhs: Slot },
    I64Add { dst: Slot, lhs: Slot, rhs: Slot },
    I64Sub { dst: Slot, lhs: Slot, rhs: Slot },
    I64Mul { dst: Slot, lhs: Slot, rhs: Slot },
    I64DivS { dst: Slot, lhs: Slot, rhs: Slot },
    I64DivU { dst: Slot, lhs: Slot, rhs: Slot },
    I64RemS { dst: Slot, lhs: Slot, rhs: Slot },
    I64RemU { dst: Slot, lhs: Slot, rhs: Slot },
    I64And { dst: Slot, lhs: Slot, rhs: Slot },
    I64Or { dst: Slot, lhs: Slot, rhs: Slot },
    I64Xor { dst: Slot, lhs: Slot, rhs: Slot },
    I64Shl { dst: Slot, lhs: Slot, rhs: Slot },
    I64ShrS { dst: Slot, lhs: Slot, rhs: Slot },
    I64ShrU { dst: Slot, lhs: Slot, rhs: Slot },
    I64Rotl { dst: Slot, lhs: Slot, rhs: Slot },
    I64Rotr { dst: Slot, lhs: Slot, rhs: Slot },
    I64EqImm { dst: Slot, lhs: Slot, imm: i32 },
    I64NeImm { dst: Slot, lhs: Slot, imm: i32 },
    I64LtSImm { dst: Slot, lhs: Slot, imm: i32 },
    I64LtUImm { dst: Slot, lhs: Slot, imm: i32 },
    I64GtSImm { dst: Slot, lhs: Slot, imm: i32 },
    I64GtUImm { dst: Slot, lhs: Slot, imm: i32 },
    I64LeSImm { dst: Slot, lhs: Slot, imm: i32 },
    I64LeUImm { dst: Slot, lhs: Slot, imm: i32 },
    I64GeSImm { dst: Slot, lhs: Slot, imm: i32 },
    I64GeUImm { dst: Slot, lhs: Slot, imm: i32 },
    I64AddImm { dst: Slot, lhs: Slot, imm: i32 },
    I64RSubImm { dst: Slot, lhs: Slot, imm: i32 },
    I64MulImm { dst: Slot, lhs: Slot, imm: i32 },
    I64DivSImm { dst: Slot, lhs: Slot, imm: i32 },
    I64DivUImm { dst: Slot, lhs: Slot, imm: i32 },
    I64RemSImm { dst: Slot, lhs: Slot, imm: i32 },
    I64RemUImm { dst: Slot, lhs: Slot, imm: i32 },
    I64AndImm { dst: Slot, lhs: Slot, imm: i32 },
    I64OrImm { dst: Slot, lhs: Slot, imm: i32 },
    I64XorImm { dst: Slot, lhs: Slot, imm: i32 },
    I64ShlImm { dst: Slot, lhs: Slot, imm: i32 },
    I64ShrSImm { dst: Slot, lhs: Slot, imm: i32 },
    I64ShrUImm { dst: Slot, lhs: Slot, imm: i32 },
    I64RotlImm { dst: Slot, lhs: Slot, imm: i32 },
    I64RotrImm { dst: Slot, lhs: Slot, imm: i32 },

    // ---- wide arithmetic ---------------------------------------------------------
    // A 128-bit value occupies two slots, `s` (low half) and `s + 1` (high
    // half); each of these writes its two-cell result to `dst` and `dst + 1`.
    // `dst:dst+1 = lhs:lhs+1 + rhs:rhs+1` (wrapping), and the difference.
    I64Add128 { dst: Slot, lhs: Slot, rhs: Slot },
    I64Sub128 { dst: Slot, lhs: Slot, rhs: Slot },
    // The full 128-bit product of two i64 slots, signed or unsigned.
    I64MulWideS { dst: Slot, lhs: Slot, rhs: Slot },
    I64MulWideU { dst: Slot, lhs: Slot, rhs: Slot },

    // ---- f32 ------------------------------------------------------------------
    F32Abs { dst: Slot, src: Slot },
    F32Neg { dst: Slot, src: Slot },
    F32Ceil { dst: Slot, src: Slot },
    F32Floor { dst: Slot, src: Slot },
    F32Trunc { dst: Slot, src: Slot },
    F32Nearest { dst: Slot, src: Slot },
    F32Sqrt { dst: Slot, src: Slot },
    F32Eq { dst: Slot, lhs: Slot, rhs: Slot },
    F32Ne { dst: Slot, lhs: Slot, rhs: Slot },
    F32Lt { dst: Slot, lhs: Slot, rhs: Slot },
    F32Gt { dst: Slot, lhs: Slot, rhs: Slot },
    F32Le { dst: Slot, lhs: Slot, rhs: Slot },
    F32Ge { dst: Slot, lhs: Slot, rhs: Slot },
    F32Add { dst: Slot, lhs: Slot, rhs: Slot },
    F32Sub { dst: Slot, lhs: Slot, rhs: Slot },
    F32Mul { dst: Slot, lhs: Slot, rhs: Slot },
    F32Div { dst: Slot, lhs: Slot, rhs: Slot },
    F32Min { dst: Slot, lhs: Slot, rhs: Slot },
    F32Max { dst: Slot, lhs: Slot, rhs: Slot },
    F32Copysign { dst: Slot, lhs: Slot, rhs: Slot },

    // ---- f64 ------------------------------------------------------------------
    F64Abs { dst: Slot, src: Slot },
    F64Neg { dst: Slot, src: Slot },
    F64Ceil { dst: Slot, src: Slot },
    F64Floor { dst: Slot, src: Slot },
    F64Trunc { dst: Slot, src: Slot },
    F64Nearest { dst: Slot, src: Slot },
    F64Sqrt { dst: Slot, src: Slot },
    F64Eq { dst: Slot, lhs: Slot, rhs: Slot },
    F64Ne { dst: Slot, lhs: Slot, rhs: Slot },
    F64Lt { dst: Slot, lhs: Slot, rhs: Slot },
    F64Gt { dst: Slot, lhs: Slot, rhs: Slot },
    F64Le { dst: Slot, lhs: Slot, rhs: Slot },
    F64Ge { dst: Slot, lhs: Slot, rhs: Slot },
    F64Add { dst: Slot, lhs: Slot, rhs: Slot },
    F64Sub { dst: Slot, lhs: Slot, rhs: Slot },
    F64Mul { dst: Slot, lhs: Slot, rhs: Slot },
    F64Div { dst: Slot, lhs: Slot, rhs: Slot },
    F64Min { dst: Slot, lhs: Slot, rhs: Slot },
    F64Max { dst: Slot, lhs: Slot, rhs: Slot },
    F64Copysign { dst: Slot, lhs: Slot, rhs: Slot },

    // ---- conversions --------------------------------------------------------------
    I32TruncF32S { dst: Slot, src: Slot },
    I32TruncF32U { dst: Slot, src: Slot },
    I32TruncF64S { dst: Slot, src: Slot },
    I32TruncF64U { dst: Slot, src: Slot },
    I64TruncF32S { dst: Slot, src: Slot },
    I64TruncF32U { dst: Slot, src: Slot },
    I64TruncF64S { dst: Slot, src: Slot },
    I64TruncF64U { dst: Slot, src: Slot },
    I32TruncSatF32S { dst: Slot, src: Slot },
    I32TruncSatF32U { dst: Slot, src: Slot },
    I32TruncSatF64S { dst: Slot, src: Slot },
    I32TruncSatF64U { dst: Slot, src: Slot },
    I64TruncSatF32S { dst: Slot, src: Slot },
    I64TruncSatF32U { dst: Slot, src: Slot },
    I64TruncSatF64S { dst: Slot, src: Slot },
    I64TruncSatF64U { dst: Slot, src: Slot },
    F32ConvertI32S { dst: Slot, src: Slot },
    F32ConvertI32U { dst: Slot, src: Slot },
    F32ConvertI64S { dst: Slot, src: Slot },
    F32ConvertI64U { dst: Slot, src: Slot },
    F32DemoteF64 { dst: Slot, src: Slot },
    F64ConvertI32S { dst: Slot, src: Slot },
    F64ConvertI32U { dst: Slot, src: Slot },
    F64ConvertI64S { dst: Slot, src: Slot },
    F64ConvertI64U { dst: Slot, src: Slot },
    F64PromoteF32 { dst: Slot, src: Slot },

    // ---- simd -----------------------------------------------------------------
    // Every slot named for a `v128` operand or result is the first of its two
    // cells; scalar operands and results take one cell as elsewhere. The `op`
    // enums are in `ir/simd.rs`.
    V128Copy { dst: Slot, src: Slot },
    // Write constant `index` of the function's constant pool.
    V128Const { dst: Slot, index: u32 },
    // `dst = if cond != 0 { a } else { b }` on vectors.
    V128Select { dst: Slot, cond: Slot, a: Slot, b: Slot },
    V128GlobalGet { dst: Slot, global: u32 },
    V128GlobalSet { src: Slot, global: u32 },
    V128Unary { op: SimdUnary, dst: Slot, src: Slot },
    V128Binary { op: SimdBinary, dst: Slot, lhs: Slot, rhs: Slot },
    V128Ternary { op: SimdTernary, dst: Slot, a: Slot, b: Slot, c: Slot },
    // `lhs` is the vector, `rhs` the i32 shift count.
    V128Shift { op: SimdShift, dst: Slot, lhs: Slot, rhs: Slot },
    // A vector to an i32 (`any_true`, `all_true`, `bitmask`).
    V128Test { op: SimdTest, dst: Slot, src: Slot },
    // A scalar in every lane.
    V128Splat { op: SimdSplat, dst: Slot, src: Slot },
    V128ExtractLane { op: SimdExtract, lane: u8, dst: Slot, src: Slot },
    // `dst` = `src` with lane `lane` replaced by the scalar `value`.
    V128ReplaceLane { op: SimdReplace, lane: u8, dst: Slot, src: Slot, value: Slot },
    // The 16 lane indices are constant `lanes` of the function's constant
    // pool, one per byte.
    I8x16Shuffle { dst: Slot, lhs: Slot, rhs: Slot, lanes: u32 },
    // Memory 0: `dst = load(mem[addr + offset])` as `op` says.
    V128Load { op: SimdLoad, dst: Slot, addr: Slot, offset: u32 },
    V128Store { addr: Slot, value: Slot, offset: u32 },
    // `dst` = `src` with lane `lane` loaded from `mem[addr + offset]`.
    // Followed by a [`Instr::Data`] word holding the offset in `a`.
    V128LoadLane { op: SimdLane, lane: u8, dst: Slot, addr: Slot, src: Slot },
    // `mem[addr + offset]` = lane `lane` of `value`.
    V128StoreLane { op: SimdLane, lane: u8, addr: Slot, value: Slot, offset: u32 },
    // ---- any memory: memories other than 0, 64-bit addresses, custom page sizes ----
    // Loads and stores as above, in memory `mem`, each followed by a
    // [`Instr::Data`] word holding the 64-bit offset (`a` its low half, `b` its
    // high half). The effective address is computed without wrapping.
    Load8SMem { dst: Slot, addr: Slot, mem: Mem },
    Load8UMem { dst: Slot, addr: Slot, mem: Mem },
    Load16SMem { dst: Slot, addr: Slot, mem: Mem },
    Load16UMem { dst: Slot, addr: Slot, mem: Mem },
    Load32SMem { dst: Slot, addr: Slot, mem: Mem },
    Load32Mem { dst: Slot, addr: Slot, mem: Mem },
    Load64Mem { dst: Slot, addr: Slot, mem: Mem },
    Store8Mem { addr: Slot, value: Slot, mem: Mem },
    Store16Mem { addr: Slot, value: Slot, mem: Mem },
    Store32Mem { addr: Slot, value: Slot, mem: Mem },
    Store64Mem { addr: Slot, value: Slot, mem: Mem },
    // Sizes and deltas in the memory's own pages.
    MemorySizeMem { dst: Slot, mem: Mem },
    MemoryGrowMem { dst: Slot, delta: Slot, mem: Mem },
    MemoryFillMem { dst: Slot, value: Slot, len: Slot, mem: Mem },
    // `len` is an `i64` only when both memories are 64-bit.
    MemoryCopyMem { dst: Slot, src: Slot, len: Slot, dst_mem: Mem, src_mem: Mem },
    // Followed by a [`Instr::Data`] word holding the data segment index in `a`.
    MemoryInitMem { dst: Slot, src: Slot, len: Slot, mem: Mem },
    // The vector loads and stores of the simd family, in memory `mem`, each
    // followed by its 64-bit offset as the loads and stores above.
    V128LoadMem { op: SimdLoad, dst: Slot, addr: Slot, mem: Mem },
    V128StoreMem { addr: Slot, value: Slot, mem: Mem },
    V128LoadLaneMem { op: SimdLane, lane: u8, dst: Slot, addr: Slot, src: Slot, mem: Mem },
    V128StoreLaneMem { op: SimdLane, lane: u8, addr: Slot, value: Slot, mem: Mem },

    // ---- 64-bit tables ------------------------------------------------------------
    // `dst = min(src, u32::MAX)`: a 64-bit table index, length or delta
    // narrowed for the table instructions, which take 32 bits. No table
    // reaches `u32::MAX` elements, so a narrowed index stays out of bounds.
    NarrowIndex64 { dst: Slot, src: Slot },

    // ---- memory 0, address arithmetic fused in ----------------------------------
    // Compiled code computes most addresses with an `i32.add` just before the
    // access; these do both in one instruction. The sum wraps at 32 bits as
    // `i32.add` does, and only then is the offset added (without wrapping).
    // `dst = mem[(lhs + rhs) mod 2^32 + offset]`, extended as the loads above.
    Load8SSum { dst: Slot, lhs: Slot, rhs: Slot, offset: u32 },
    Load8USum { dst: Slot, lhs: Slot, rhs: Slot, offset: u32 },
    Load16SSum { dst: Slot, lhs: Slot, rhs: Slot, offset: u32 },
    Load16USum { dst: Slot, lhs: Slot, rhs: Slot, offset: u32 },
    Load32SSum { dst: Slot, lhs: Slot, rhs: Slot, offset: u32 },
    Load32Sum { dst: Slot, lhs: Slot, rhs: Slot, offset: u32 },
    Load64Sum { dst: Slot, lhs: Slot, rhs: Slot, offset: u32 },
    // `dst = mem[(base + disp) mod 2^32]` (an `i32.add` of a constant, then a
    // load with offset 0).
    Load8SDisp { dst: Slot, base: Slot, disp: i32 },
    Load8UDisp { dst: Slot, base: Slot, disp: i32 },
    Load16SDisp { dst: Slot, base: Slot, disp: i32 },
    Load16UDisp { dst: Slot, base: Slot, disp: i32 },
    Load32SDisp { dst: Slot, base: Slot, disp: i32 },
    Load32Disp { dst: Slot, base: Slot, disp: i32 },
    Load64Disp { dst: Slot, base: Slot, disp: i32 },
    // `mem[(lhs + rhs) mod 2^32 + offset] = value`, truncated as the stores above.
    Store8Sum { lhs: Slot, rhs: Slot, value: Slot, offset: u32 },
    Store16Sum { lhs: Slot, rhs: Slot, value: Slot, offset: u32 },
    Store32Sum { lhs: Slot, rhs: Slot, value: Slot, offset: u32 },
    Store64Sum { lhs: Slot, rhs: Slot, value: Slot, offset: u32 },
    // `mem[(base + disp) mod 2^32] = value`.
    Store8Disp { base: Slot, value: Slot, disp: i32 },
    Store16Disp { base: Slot, value: Slot, disp: i32 },
    Store32Disp { base: Slot, value: Slot, disp: i32 },
    Store64Disp { base: Slot, value: Slot, disp: i32 },
    // `dst = lhs + (rhs << shift)` (i32, wrapping; `shift < 32`): the address
    // of an array element, an `i32.shl` by a constant fused into its `i32.add`.
    I32AddShl { dst: Slot, lhs: Slot, rhs: Slot, shift: u8 },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instr_is_twelve_bytes() {
        assert_eq!(std::mem::size_of::<Instr>(), 12);
        assert_eq!(std::mem::align_of::<Instr>(), 4);
    }
}

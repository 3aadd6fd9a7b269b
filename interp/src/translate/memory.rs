//! Linear memory, table and reference operators.

use super::FuncTranslator;
use super::stack::{Const, Operand};
use crate::ir::{Instr, Slot};

type Load = fn(Slot, Slot, u32) -> Instr;
type Store = fn(Slot, Slot, u32) -> Instr;
type StoreImm = fn(Slot, i32, u32) -> Instr;

macro_rules! load {
    ($op:ident) => {
        (|dst, addr, offset| Instr::$op { dst, addr, offset }) as Load
    };
}
macro_rules! store {
    ($op:ident, $imm:ident) => {
        (
            (|addr, value, offset| Instr::$op { addr, value, offset }) as Store,
            (|addr, value, offset| Instr::$imm { addr, value, offset }) as StoreImm,
        )
    };
}

impl FuncTranslator<'_> {
    fn load(&mut self, memarg: &wasmparser::MemArg, make: Load) {
        let addr = self.pop_slot();
        // Validation (without memory64) bounds the offset by u32.
        let offset = memarg.offset as u32;
        self.emit_result(|dst| make(dst, addr, offset));
    }

    /// A store; `wide` stores all 64 bits, so only constants that sign-extend
    /// from 32 bits can be immediates. Narrower stores truncate any constant.
    fn store(&mut self, memarg: &wasmparser::MemArg, (rr, ri): (Store, StoreImm), wide: bool) {
        let offset = memarg.offset as u32;
        if let Operand::Const(c) = self.stack.peek(0) {
            let imm = if wide { c.as_imm() } else { Some(c.bits() as u32 as i32) };
            if let Some(imm) = imm {
                self.stack.pop();
                let addr = self.pop_slot();
                self.emit(ri(addr, imm, offset));
                return;
            }
        }
        let value = self.pop_slot();
        let addr = self.pop_slot();
        self.emit(rr(addr, value, offset));
    }

    /// Pops three operands (top last) and returns their slots in push order.
    fn pop3(&mut self) -> (Slot, Slot, Slot) {
        let c = self.pop_slot();
        let b = self.pop_slot();
        let a = self.pop_slot();
        (a, b, c)
    }

    pub(super) fn visit_ref_is_null(&mut self) {
        if let Operand::Const(c) = self.stack.peek(0) {
            self.stack.pop();
            self.push_const(Const::W32(u32::from(c.bits() == 0)));
            return;
        }
        let src = self.pop_slot();
        self.emit_result(|dst| Instr::RefIsNull { dst, src });
    }

    /// Translates a memory, table or reference operator; returns `false` if
    /// `op` is not one.
    pub(super) fn translate_memory(&mut self, op: &wasmparser::Operator<'_>) -> bool {
        use wasmparser::Operator as O;
        match op {
            O::I32Load { memarg } | O::F32Load { memarg } | O::I64Load32U { memarg } => {
                self.load(memarg, load!(Load32))
            }
            O::I64Load { memarg } | O::F64Load { memarg } => self.load(memarg, load!(Load64)),
            O::I32Load8S { memarg } | O::I64Load8S { memarg } => self.load(memarg, load!(Load8S)),
            O::I32Load8U { memarg } | O::I64Load8U { memarg } => self.load(memarg, load!(Load8U)),
            O::I32Load16S { memarg } | O::I64Load16S { memarg } => {
                self.load(memarg, load!(Load16S))
            }
            O::I32Load16U { memarg } | O::I64Load16U { memarg } => {
                self.load(memarg, load!(Load16U))
            }
            O::I64Load32S { memarg } => self.load(memarg, load!(Load32S)),
            O::I32Store8 { memarg } | O::I64Store8 { memarg } => {
                self.store(memarg, store!(Store8, Store8Imm), false)
            }
            O::I32Store16 { memarg } | O::I64Store16 { memarg } => {
                self.store(memarg, store!(Store16, Store16Imm), false)
            }
            O::I32Store { memarg } | O::F32Store { memarg } | O::I64Store32 { memarg } => {
                self.store(memarg, store!(Store32, Store32Imm), false)
            }
            O::I64Store { memarg } | O::F64Store { memarg } => {
                self.store(memarg, store!(Store64, Store64Imm), true)
            }
            O::MemorySize { .. } => self.emit_result(|dst| Instr::MemorySize { dst }),
            O::MemoryGrow { .. } => {
                let delta = self.pop_slot();
                self.emit_result(|dst| Instr::MemoryGrow { dst, delta });
            }
            O::MemoryFill { .. } => {
                let (dst, value, len) = self.pop3();
                self.emit(Instr::MemoryFill { dst, value, len });
            }
            O::MemoryCopy { .. } => {
                let (dst, src, len) = self.pop3();
                self.emit(Instr::MemoryCopy { dst, src, len });
            }
            O::MemoryInit { data_index, .. } => {
                let (dst, src, len) = self.pop3();
                self.emit(Instr::MemoryInit { dst, src, len, data: *data_index });
            }
            O::DataDrop { data_index } => {
                self.emit(Instr::DataDrop { data: *data_index });
            }
            O::TableGet { table } => {
                let index = self.pop_slot();
                let table = *table;
                self.emit_result(|dst| Instr::TableGet { dst, index, table });
            }
            O::TableSet { table } => {
                let value = self.pop_slot();
                let index = self.pop_slot();
                self.emit(Instr::TableSet { index, value, table: *table });
            }
            O::TableSize { table } => {
                let table = *table;
                self.emit_result(|dst| Instr::TableSize { dst, table });
            }
            O::TableGrow { table } => {
                let delta = self.pop_slot();
                let init = self.pop_slot();
                let table = *table;
                self.emit_result(|dst| Instr::TableGrow { dst, init, delta, table });
            }
            O::TableFill { table } => {
                let (dst, value, len) = self.pop3();
                self.emit(Instr::TableFill { dst, value, len, table: *table });
            }
            O::TableCopy { dst_table, src_table } => {
                let (dst, src, len) = self.pop3();
                // Validation bounds table indices far below 2^16.
                let (dst_table, src_table) = (*dst_table as u16, *src_table as u16);
                self.emit(Instr::TableCopy { dst, src, len, dst_table, src_table });
            }
            O::TableInit { elem_index, table } => {
                let (dst, src, len) = self.pop3();
                self.emit(Instr::TableInit { dst, src, len, elem: *elem_index });
                self.emit(Instr::Data { a: *table, b: 0 });
            }
            O::ElemDrop { elem_index } => {
                self.emit(Instr::ElemDrop { elem: *elem_index });
            }
            _ => return false,
        }
        true
    }
}

//! Locals, calls and indirect calls.
//!
//! Calls use overlapping frames: the arguments are the caller's topmost
//! temporaries, the callee's frame starts at the first of them, and the callee
//! leaves its results there. No arguments or results are copied between frames.

use super::FuncTranslator;
use super::stack::Operand;
use crate::ir::{Instr, Slot};

impl FuncTranslator<'_> {
    /// `local.set x` (or `local.tee x`). When the value is the result of the
    /// instruction just emitted, that instruction writes `x` directly.
    pub(super) fn visit_local_set(&mut self, x: u32, tee: bool) {
        let depth = self.stack.height() - 1;
        let value = self.stack.get(depth);
        if value == Operand::Local(x) {
            if !tee {
                self.stack.pop();
            }
            return;
        }
        let preserved = self.preserve_local(x);
        let top_slot = self.temp_slot(depth);
        if !preserved
            && value == Operand::Temp
            && let Some(i) = self.last_result
            && i + 1 == self.code.len()
            && let Some(dst) = self.code[i].result_slot_mut()
            && *dst == top_slot
        {
            *dst = Slot(x as u16);
            self.last_result = None;
            self.stack.pop();
            if tee {
                self.stack.push(Operand::Local(x));
            }
            return;
        }
        self.copy_operand(depth, Slot(x as u16));
        if !tee {
            self.stack.pop();
        }
    }

    /// Moves the top `n` operands into their own temporaries (call arguments),
    /// pops them and returns the first one's depth.
    fn pop_args(&mut self, n: u32) -> u32 {
        let base = self.materialize_top(n);
        self.stack.truncate(base);
        base
    }

    fn push_results(&mut self, n: usize) {
        for _ in 0..n {
            self.stack.push(Operand::Temp);
        }
    }

    pub(super) fn visit_call(&mut self, func: u32) {
        let ty = self.module.func_type(func);
        let (params, results) = (ty.params().len() as u32, ty.results().len());
        let first = self.pop_args(params);
        let base = self.temp_slot(first);
        if func < self.module.num_imported_funcs {
            self.emit(Instr::CallImported { base, func });
        } else {
            let func = func - self.module.num_imported_funcs;
            self.emit(Instr::Call { base, func });
        }
        self.push_results(results);
    }

    pub(super) fn visit_call_indirect(&mut self, type_index: u32, table: u32) {
        let index = self.pop_index(self.table64(table));
        let ty = &self.module.types[type_index as usize];
        let (params, results) = (ty.params().len() as u32, ty.results().len());
        let sig = self.module.type_ids[type_index as usize];
        let first = self.pop_args(params);
        let base = self.temp_slot(first);
        // Validation bounds table indices far below 2^16.
        self.emit(Instr::CallIndirect { base, index, table: table as u16, sig });
        self.push_results(results);
    }
}

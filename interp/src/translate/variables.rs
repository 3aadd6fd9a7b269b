//! Locals, calls, indirect calls and tail calls.
//!
//! Calls use overlapping frames: the arguments are the caller's topmost
//! temporaries, the callee's frame starts at the first of them, and the callee
//! leaves its results there. No arguments or results are copied between frames.
//! A tail call (`return_call`, `return_call_indirect`) passes its arguments the
//! same way; the executor moves them to slot 0 and runs the callee in the
//! current frame, so its results land where the current function's caller
//! expects them.

use super::FuncTranslator;
use super::stack::Operand;
use crate::ir::Instr;

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
        let local = self.local_slot(x);
        if !preserved
            && value == Operand::Temp
            && let Some(i) = self.last_result
            && i + 1 == self.code.len()
            && let Some(dst) = self.code[i].result_slot_mut()
            && *dst == top_slot
        {
            *dst = local;
            self.last_result = None;
            self.stack.pop();
            if tee {
                self.push_local(x);
            }
            return;
        }
        self.copy_operand(depth, local);
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

    pub(super) fn visit_call(&mut self, func: u32) {
        let module = self.module;
        let ty = module.func_type(func);
        let first = self.pop_args(ty.params().len() as u32);
        let base = self.temp_slot(first);
        if func < module.num_imported_funcs {
            self.emit(Instr::CallImported { base, func });
        } else {
            let func = func - module.num_imported_funcs;
            self.emit(Instr::Call { base, func });
        }
        self.push_temps(ty.results());
    }

    pub(super) fn visit_call_indirect(&mut self, type_index: u32, table: u32) {
        let index = self.pop_index(self.table64(table));
        let module = self.module;
        let ty = &module.types[type_index as usize];
        let sig = module.type_ids[type_index as usize];
        let first = self.pop_args(ty.params().len() as u32);
        let base = self.temp_slot(first);
        // Validation bounds table indices far below 2^16.
        self.emit(Instr::CallIndirect { base, index, table: table as u16, sig });
        self.push_temps(ty.results());
    }

    /// `global.get`: a `v128` global takes two cells.
    pub(super) fn visit_global_get(&mut self, global: u32) {
        if self.global_is_v128(global) {
            self.emit_result_of(2, |dst| Instr::V128GlobalGet { dst, global });
        } else {
            self.emit_result(|dst| Instr::GlobalGet { dst, global });
        }
    }

    pub(super) fn visit_global_set(&mut self, global: u32) {
        let src = self.pop_slot();
        if self.global_is_v128(global) {
            self.emit(Instr::V128GlobalSet { src, global });
        } else {
            self.emit(Instr::GlobalSet { src, global });
        }
    }

    fn global_is_v128(&self, global: u32) -> bool {
        self.module.globals[global as usize].ty.content() == crate::types::ValType::V128
    }

    pub(super) fn visit_return_call(&mut self, func: u32) {
        let module = self.module;
        let ty = module.func_type(func);
        let first = self.pop_args(ty.params().len() as u32);
        let base = self.temp_slot(first);
        if func < self.module.num_imported_funcs {
            self.emit(Instr::ReturnCallImported { base, func });
        } else {
            let func = func - self.module.num_imported_funcs;
            self.emit(Instr::ReturnCall { base, func });
        }
        self.end_tail_call(ty.results());
    }

    pub(super) fn visit_return_call_indirect(&mut self, type_index: u32, table: u32) {
        let index = self.pop_index(self.table64(table));
        let module = self.module;
        let ty = &module.types[type_index as usize];
        let sig = module.type_ids[type_index as usize];
        let first = self.pop_args(ty.params().len() as u32);
        let base = self.temp_slot(first);
        // Validation bounds table indices far below 2^16.
        self.emit(Instr::ReturnCallIndirect { base, index, table: table as u16, sig });
        self.end_tail_call(ty.results());
    }

    /// Makes room in the frame for the callee's results above the call's
    /// base, as an ordinary call does: a host function called by a tail call
    /// takes its parameters and results in as many cells as that, moved down
    /// from the base (a wasm callee needs only its parameters there). The
    /// code after the tail call is unreachable.
    fn end_tail_call(&mut self, results: &[crate::types::ValType]) {
        self.push_temps(results);
        self.reachable = false;
    }
}

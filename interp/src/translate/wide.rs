//! Wide arithmetic: `i64.add128`, `i64.sub128`, `i64.mul_wide_s` and
//! `i64.mul_wide_u`, the operators with two results.
//!
//! A 128-bit value is two i64 operands, low half below high half; the
//! instructions read and write such pairs in two consecutive slots (see
//! [`Instr::I64Add128`]). The results take the temporaries of the first two
//! operands, so the operand stack ends as wasm's does: low half, then high.

use super::FuncTranslator;
use super::stack::Operand;
use crate::ir::{Instr, Slot};

impl FuncTranslator<'_> {
    /// Translates `op` if it is a wide-arithmetic operator.
    pub(super) fn translate_wide(&mut self, op: &wasmparser::Operator<'_>) -> bool {
        use wasmparser::Operator as O;
        match op {
            O::I64Add128 => self.pair_op(|dst, lhs, rhs| Instr::I64Add128 { dst, lhs, rhs }),
            O::I64Sub128 => self.pair_op(|dst, lhs, rhs| Instr::I64Sub128 { dst, lhs, rhs }),
            O::I64MulWideS => self.mul_wide(|dst, lhs, rhs| Instr::I64MulWideS { dst, lhs, rhs }),
            O::I64MulWideU => self.mul_wide(|dst, lhs, rhs| Instr::I64MulWideU { dst, lhs, rhs }),
            _ => return false,
        }
        true
    }

    /// `[lo1 hi1 lo2 hi2] -> [lo hi]`: the four operands move to their own
    /// (consecutive) temporaries, which makes each pair two adjacent slots.
    fn pair_op(&mut self, make: fn(Slot, Slot, Slot) -> Instr) {
        let first = self.materialize_top(4);
        // The slots are read before truncating: a depth above the stack's
        // height has no slot of its own.
        let (lhs, rhs) = (self.temp_slot(first), self.temp_slot(first + 2));
        self.stack.truncate(first);
        self.emit(make(lhs, lhs, rhs));
        self.push_pair();
    }

    /// `[a b] -> [lo hi]`: the operands are read where they are; the result
    /// pair takes their temporaries.
    fn mul_wide(&mut self, make: fn(Slot, Slot, Slot) -> Instr) {
        let rhs = self.pop_slot();
        let lhs = self.pop_slot();
        let dst = self.temp_slot(self.stack.height());
        self.emit(make(dst, lhs, rhs));
        self.push_pair();
    }

    fn push_pair(&mut self) {
        self.stack.push(Operand::Temp, 1);
        self.stack.push(Operand::Temp, 1);
    }
}

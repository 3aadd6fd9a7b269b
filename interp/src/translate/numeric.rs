//! Numeric operators: each becomes one instruction on slots, with an immediate
//! form when one operand is a small constant.

use super::FuncTranslator;
use super::stack::{Const, Operand};
use crate::ir::{Instr, Slot};

type Rr = fn(Slot, Slot, Slot) -> Instr;
type Ri = fn(Slot, Slot, i32) -> Instr;
type Un = fn(Slot, Slot) -> Instr;

/// What to do when the *left* operand is the constant.
#[derive(Copy, Clone)]
enum LhsImm {
    /// `c op x == x op c`: use the immediate form with the operands swapped.
    Commutes,
    /// Use this immediate form on `x` instead (e.g. `c < x` is `x > c`, `c - x`
    /// is a reverse subtract).
    Via(Ri),
    /// No immediate form: write the constant to a slot.
    None,
}

macro_rules! rr {
    ($op:ident) => {
        (|dst, lhs, rhs| Instr::$op { dst, lhs, rhs }) as Rr
    };
}
macro_rules! ri {
    ($op:ident) => {
        (|dst, lhs, imm| Instr::$op { dst, lhs, imm }) as Ri
    };
}
macro_rules! un {
    ($op:ident) => {
        (|dst, src| Instr::$op { dst, src }) as Un
    };
}

impl FuncTranslator<'_> {
    /// Emits a binary operator: `rr` on two slots, `ri` when the right operand
    /// is a constant that fits an immediate, and `lhs_imm` when the left one is.
    fn binary(&mut self, rr: Rr, ri: Option<Ri>, lhs_imm: LhsImm) {
        if let Some(ri) = ri
            && let Operand::Const(c) = self.stack.peek(0)
            && let Some(imm) = c.as_imm()
        {
            self.stack.pop();
            let lhs = self.pop_slot();
            self.emit_result(|dst| ri(dst, lhs, imm));
            return;
        }
        let swapped = match lhs_imm {
            LhsImm::Commutes => ri,
            LhsImm::Via(f) => Some(f),
            LhsImm::None => None,
        };
        if let Some(f) = swapped
            && let Operand::Const(c) = self.stack.peek(1)
            && let Some(imm) = c.as_imm()
        {
            let rhs = self.pop_slot();
            self.stack.pop();
            self.emit_result(|dst| f(dst, rhs, imm));
            return;
        }
        let rhs = self.pop_slot();
        let lhs = self.pop_slot();
        self.emit_result(|dst| rr(dst, lhs, rhs));
    }

    /// `i32.add` of a value and an index shifted left by a constant (an
    /// array element's address): one [`Instr::I32AddShl`] when the shift was
    /// the last instruction emitted, into the temporary the add consumes,
    /// and the other operand needs no code. Returns whether it emitted it.
    fn add_shifted(&mut self) -> bool {
        let top = self.stack.height() - 1;
        let Some(i) = self.last_result.filter(|&i| i + 1 == self.code.len()) else {
            return false;
        };
        let Instr::I32ShlImm { dst: shifted, lhs: index, imm } = self.code[i] else {
            return false;
        };
        // The shifted index is the top operand or the one below it; the
        // other must be a local or a temporary (popping it emits nothing).
        let (shifted_depth, other_depth) = (0..2)
            .map(|d| (top - d, top - (1 - d)))
            .find(|&(s, _)| self.stack.get(s) == Operand::Temp && self.temp_slot(s) == shifted)
            .unwrap_or((u32::MAX, u32::MAX));
        if shifted_depth == u32::MAX || matches!(self.stack.get(other_depth), Operand::Const(_)) {
            return false;
        }
        let base = match self.stack.get(other_depth) {
            Operand::Local(x) => self.local_slot(x),
            _ => self.temp_slot(other_depth),
        };
        self.unemit_last();
        self.stack.pop();
        self.stack.pop();
        let shift = (imm & 31) as u8;
        self.emit_result(|dst| Instr::I32AddShl { dst, lhs: base, rhs: index, shift });
        true
    }

    /// `x - c` is `x + (-c)`; `c - x` is a reverse subtract.
    fn sub(&mut self, wide: bool) {
        if let Operand::Const(c) = self.stack.peek(0)
            && let Some(imm) = c.as_imm()
            && (!wide || imm != i32::MIN)
        {
            self.stack.pop();
            let lhs = self.pop_slot();
            let imm = imm.wrapping_neg();
            self.emit_result(|dst| {
                if wide {
                    Instr::I64AddImm { dst, lhs, imm }
                } else {
                    Instr::I32AddImm { dst, lhs, imm }
                }
            });
            return;
        }
        if wide {
            self.binary(rr!(I64Sub), None, LhsImm::Via(ri!(I64RSubImm)));
        } else {
            self.binary(rr!(I32Sub), None, LhsImm::Via(ri!(I32RSubImm)));
        }
    }

    /// Emits a unary operator.
    fn unary(&mut self, make: Un) {
        let src = self.pop_slot();
        self.emit_result(|dst| make(dst, src));
    }

    /// `i32.wrap_i64`: the low half of the cell already is the result.
    fn wrap(&mut self) {
        if let Operand::Const(c) = self.stack.peek(0) {
            self.stack.pop();
            self.push_const(Const::W32(c.bits() as u32));
        }
    }

    /// Translates a numeric operator; returns `false` if `op` is not one.
    pub(super) fn translate_numeric(&mut self, op: &wasmparser::Operator<'_>) -> bool {
        use LhsImm::{Commutes, None as NoImm, Via};
        use wasmparser::Operator as O;
        match op {
            // i32 comparisons
            O::I32Eqz => self.unary(un!(I32Eqz)),
            O::I32Eq => self.binary(rr!(I32Eq), Some(ri!(I32EqImm)), Commutes),
            O::I32Ne => self.binary(rr!(I32Ne), Some(ri!(I32NeImm)), Commutes),
            O::I32LtS => self.binary(rr!(I32LtS), Some(ri!(I32LtSImm)), Via(ri!(I32GtSImm))),
            O::I32LtU => self.binary(rr!(I32LtU), Some(ri!(I32LtUImm)), Via(ri!(I32GtUImm))),
            O::I32GtS => self.binary(rr!(I32GtS), Some(ri!(I32GtSImm)), Via(ri!(I32LtSImm))),
            O::I32GtU => self.binary(rr!(I32GtU), Some(ri!(I32GtUImm)), Via(ri!(I32LtUImm))),
            O::I32LeS => self.binary(rr!(I32LeS), Some(ri!(I32LeSImm)), Via(ri!(I32GeSImm))),
            O::I32LeU => self.binary(rr!(I32LeU), Some(ri!(I32LeUImm)), Via(ri!(I32GeUImm))),
            O::I32GeS => self.binary(rr!(I32GeS), Some(ri!(I32GeSImm)), Via(ri!(I32LeSImm))),
            O::I32GeU => self.binary(rr!(I32GeU), Some(ri!(I32GeUImm)), Via(ri!(I32LeUImm))),
            // i32 arithmetic
            O::I32Clz => self.unary(un!(I32Clz)),
            O::I32Ctz => self.unary(un!(I32Ctz)),
            O::I32Popcnt => self.unary(un!(I32Popcnt)),
            O::I32Add => {
                if !self.add_shifted() {
                    self.binary(rr!(I32Add), Some(ri!(I32AddImm)), Commutes)
                }
            }
            O::I32Sub => self.sub(false),
            O::I32Mul => self.binary(rr!(I32Mul), Some(ri!(I32MulImm)), Commutes),
            O::I32DivS => self.binary(rr!(I32DivS), Some(ri!(I32DivSImm)), NoImm),
            O::I32DivU => self.binary(rr!(I32DivU), Some(ri!(I32DivUImm)), NoImm),
            O::I32RemS => self.binary(rr!(I32RemS), Some(ri!(I32RemSImm)), NoImm),
            O::I32RemU => self.binary(rr!(I32RemU), Some(ri!(I32RemUImm)), NoImm),
            O::I32And => self.binary(rr!(I32And), Some(ri!(I32AndImm)), Commutes),
            O::I32Or => self.binary(rr!(I32Or), Some(ri!(I32OrImm)), Commutes),
            O::I32Xor => self.binary(rr!(I32Xor), Some(ri!(I32XorImm)), Commutes),
            O::I32Shl => self.binary(rr!(I32Shl), Some(ri!(I32ShlImm)), NoImm),
            O::I32ShrS => self.binary(rr!(I32ShrS), Some(ri!(I32ShrSImm)), NoImm),
            O::I32ShrU => self.binary(rr!(I32ShrU), Some(ri!(I32ShrUImm)), NoImm),
            O::I32Rotl => self.binary(rr!(I32Rotl), Some(ri!(I32RotlImm)), NoImm),
            O::I32Rotr => self.binary(rr!(I32Rotr), Some(ri!(I32RotrImm)), NoImm),
            O::I32Extend8S => self.unary(un!(I32Extend8S)),
            O::I32Extend16S => self.unary(un!(I32Extend16S)),

            // i64 comparisons
            O::I64Eqz => self.unary(un!(I64Eqz)),
            O::I64Eq => self.binary(rr!(I64Eq), Some(ri!(I64EqImm)), Commutes),
            O::I64Ne => self.binary(rr!(I64Ne), Some(ri!(I64NeImm)), Commutes),
            O::I64LtS => self.binary(rr!(I64LtS), Some(ri!(I64LtSImm)), Via(ri!(I64GtSImm))),
            O::I64LtU => self.binary(rr!(I64LtU), Some(ri!(I64LtUImm)), Via(ri!(I64GtUImm))),
            O::I64GtS => self.binary(rr!(I64GtS), Some(ri!(I64GtSImm)), Via(ri!(I64LtSImm))),
            O::I64GtU => self.binary(rr!(I64GtU), Some(ri!(I64GtUImm)), Via(ri!(I64LtUImm))),
            O::I64LeS => self.binary(rr!(I64LeS), Some(ri!(I64LeSImm)), Via(ri!(I64GeSImm))),
            O::I64LeU => self.binary(rr!(I64LeU), Some(ri!(I64LeUImm)), Via(ri!(I64GeUImm))),
            O::I64GeS => self.binary(rr!(I64GeS), Some(ri!(I64GeSImm)), Via(ri!(I64LeSImm))),
            O::I64GeU => self.binary(rr!(I64GeU), Some(ri!(I64GeUImm)), Via(ri!(I64LeUImm))),
            // i64 arithmetic
            O::I64Clz => self.unary(un!(I64Clz)),
            O::I64Ctz => self.unary(un!(I64Ctz)),
            O::I64Popcnt => self.unary(un!(I64Popcnt)),
            O::I64Add => self.binary(rr!(I64Add), Some(ri!(I64AddImm)), Commutes),
            O::I64Sub => self.sub(true),
            O::I64Mul => self.binary(rr!(I64Mul), Some(ri!(I64MulImm)), Commutes),
            O::I64DivS => self.binary(rr!(I64DivS), Some(ri!(I64DivSImm)), NoImm),
            O::I64DivU => self.binary(rr!(I64DivU), Some(ri!(I64DivUImm)), NoImm),
            O::I64RemS => self.binary(rr!(I64RemS), Some(ri!(I64RemSImm)), NoImm),
            O::I64RemU => self.binary(rr!(I64RemU), Some(ri!(I64RemUImm)), NoImm),
            O::I64And => self.binary(rr!(I64And), Some(ri!(I64AndImm)), Commutes),
            O::I64Or => self.binary(rr!(I64Or), Some(ri!(I64OrImm)), Commutes),
            O::I64Xor => self.binary(rr!(I64Xor), Some(ri!(I64XorImm)), Commutes),
            O::I64Shl => self.binary(rr!(I64Shl), Some(ri!(I64ShlImm)), NoImm),
            O::I64ShrS => self.binary(rr!(I64ShrS), Some(ri!(I64ShrSImm)), NoImm),
            O::I64ShrU => self.binary(rr!(I64ShrU), Some(ri!(I64ShrUImm)), NoImm),
            O::I64Rotl => self.binary(rr!(I64Rotl), Some(ri!(I64RotlImm)), NoImm),
            O::I64Rotr => self.binary(rr!(I64Rotr), Some(ri!(I64RotrImm)), NoImm),
            O::I64Extend8S => self.unary(un!(I64Extend8S)),
            O::I64Extend16S => self.unary(un!(I64Extend16S)),
            O::I64Extend32S | O::I64ExtendI32S => self.unary(un!(I64Extend32S)),
            O::I64ExtendI32U => self.unary(un!(I64ExtendI32U)),
            O::I32WrapI64 => self.wrap(),

            // f32
            O::F32Abs => self.unary(un!(F32Abs)),
            O::F32Neg => self.unary(un!(F32Neg)),
            O::F32Ceil => self.unary(un!(F32Ceil)),
            O::F32Floor => self.unary(un!(F32Floor)),
            O::F32Trunc => self.unary(un!(F32Trunc)),
            O::F32Nearest => self.unary(un!(F32Nearest)),
            O::F32Sqrt => self.unary(un!(F32Sqrt)),
            O::F32Eq => self.binary(rr!(F32Eq), None, NoImm),
            O::F32Ne => self.binary(rr!(F32Ne), None, NoImm),
            O::F32Lt => self.binary(rr!(F32Lt), None, NoImm),
            O::F32Gt => self.binary(rr!(F32Gt), None, NoImm),
            O::F32Le => self.binary(rr!(F32Le), None, NoImm),
            O::F32Ge => self.binary(rr!(F32Ge), None, NoImm),
            O::F32Add => self.binary(rr!(F32Add), None, NoImm),
            O::F32Sub => self.binary(rr!(F32Sub), None, NoImm),
            O::F32Mul => self.binary(rr!(F32Mul), None, NoImm),
            O::F32Div => self.binary(rr!(F32Div), None, NoImm),
            O::F32Min => self.binary(rr!(F32Min), None, NoImm),
            O::F32Max => self.binary(rr!(F32Max), None, NoImm),
            O::F32Copysign => self.binary(rr!(F32Copysign), None, NoImm),

            // f64
            O::F64Abs => self.unary(un!(F64Abs)),
            O::F64Neg => self.unary(un!(F64Neg)),
            O::F64Ceil => self.unary(un!(F64Ceil)),
            O::F64Floor => self.unary(un!(F64Floor)),
            O::F64Trunc => self.unary(un!(F64Trunc)),
            O::F64Nearest => self.unary(un!(F64Nearest)),
            O::F64Sqrt => self.unary(un!(F64Sqrt)),
            O::F64Eq => self.binary(rr!(F64Eq), None, NoImm),
            O::F64Ne => self.binary(rr!(F64Ne), None, NoImm),
            O::F64Lt => self.binary(rr!(F64Lt), None, NoImm),
            O::F64Gt => self.binary(rr!(F64Gt), None, NoImm),
            O::F64Le => self.binary(rr!(F64Le), None, NoImm),
            O::F64Ge => self.binary(rr!(F64Ge), None, NoImm),
            O::F64Add => self.binary(rr!(F64Add), None, NoImm),
            O::F64Sub => self.binary(rr!(F64Sub), None, NoImm),
            O::F64Mul => self.binary(rr!(F64Mul), None, NoImm),
            O::F64Div => self.binary(rr!(F64Div), None, NoImm),
            O::F64Min => self.binary(rr!(F64Min), None, NoImm),
            O::F64Max => self.binary(rr!(F64Max), None, NoImm),
            O::F64Copysign => self.binary(rr!(F64Copysign), None, NoImm),

            // conversions
            O::I32TruncF32S => self.unary(un!(I32TruncF32S)),
            O::I32TruncF32U => self.unary(un!(I32TruncF32U)),
            O::I32TruncF64S => self.unary(un!(I32TruncF64S)),
            O::I32TruncF64U => self.unary(un!(I32TruncF64U)),
            O::I64TruncF32S => self.unary(un!(I64TruncF32S)),
            O::I64TruncF32U => self.unary(un!(I64TruncF32U)),
            O::I64TruncF64S => self.unary(un!(I64TruncF64S)),
            O::I64TruncF64U => self.unary(un!(I64TruncF64U)),
            O::I32TruncSatF32S => self.unary(un!(I32TruncSatF32S)),
            O::I32TruncSatF32U => self.unary(un!(I32TruncSatF32U)),
            O::I32TruncSatF64S => self.unary(un!(I32TruncSatF64S)),
            O::I32TruncSatF64U => self.unary(un!(I32TruncSatF64U)),
            O::I64TruncSatF32S => self.unary(un!(I64TruncSatF32S)),
            O::I64TruncSatF32U => self.unary(un!(I64TruncSatF32U)),
            O::I64TruncSatF64S => self.unary(un!(I64TruncSatF64S)),
            O::I64TruncSatF64U => self.unary(un!(I64TruncSatF64U)),
            O::F32ConvertI32S => self.unary(un!(F32ConvertI32S)),
            O::F32ConvertI32U => self.unary(un!(F32ConvertI32U)),
            O::F32ConvertI64S => self.unary(un!(F32ConvertI64S)),
            O::F32ConvertI64U => self.unary(un!(F32ConvertI64U)),
            O::F32DemoteF64 => self.unary(un!(F32DemoteF64)),
            O::F64ConvertI32S => self.unary(un!(F64ConvertI32S)),
            O::F64ConvertI32U => self.unary(un!(F64ConvertI32U)),
            O::F64ConvertI64S => self.unary(un!(F64ConvertI64S)),
            O::F64ConvertI64U => self.unary(un!(F64ConvertI64U)),
            O::F64PromoteF32 => self.unary(un!(F64PromoteF32)),
            // Reinterpretations keep the bits: the operand is already the result.
            O::I32ReinterpretF32
            | O::F32ReinterpretI32
            | O::I64ReinterpretF64
            | O::F64ReinterpretI64 => {}
            _ => return false,
        }
        true
    }
}

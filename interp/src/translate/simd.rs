//! SIMD operators: `v128` constants, lane operations, vector arithmetic and
//! the vector loads and stores of memory 0.
//!
//! A `v128` operand takes two cells (see [`super::stack`]); every operator here
//! becomes one instruction whose `v128` slots name the first of the two. Vector
//! constants are written to their temporary at once from the function's
//! constant pool instead of waiting as [`super::stack::Const`] operands: no
//! SIMD instruction takes an immediate vector.

use super::FuncTranslator;
use super::memory::memory_of;
use crate::V128;
use crate::ir::{
    Instr, SimdBinary as B, SimdExtract as E, SimdLane, SimdLoad, SimdReplace as R,
    SimdShift as Sh, SimdSplat as Sp, SimdTernary as T, SimdTest as Te, SimdUnary as U,
};

impl FuncTranslator<'_> {
    /// Adds `value` to the function's constant pool and returns its index.
    fn add_const(&mut self, value: V128) -> u32 {
        // Translation reads at least one byte per constant, so the pool of one
        // function stays far below 2^32 entries.
        let index = self.consts.len() as u32;
        self.consts.push(value);
        index
    }

    fn v128_const(&mut self, value: V128) {
        let index = self.add_const(value);
        self.emit_result_of(2, |dst| Instr::V128Const { dst, index });
    }

    fn shuffle(&mut self, lanes: [u8; 16]) {
        let lanes = self.add_const(V128::from_le_bytes(lanes));
        let rhs = self.pop_slot();
        let lhs = self.pop_slot();
        self.emit_result_of(2, |dst| Instr::I8x16Shuffle { dst, lhs, rhs, lanes });
    }

    fn unary_v128(&mut self, op: U) {
        let src = self.pop_slot();
        self.emit_result_of(2, |dst| Instr::V128Unary { op, dst, src });
    }

    fn binary_v128(&mut self, op: B) {
        let rhs = self.pop_slot();
        let lhs = self.pop_slot();
        self.emit_result_of(2, |dst| Instr::V128Binary { op, dst, lhs, rhs });
    }

    fn ternary_v128(&mut self, op: T) {
        let c = self.pop_slot();
        let b = self.pop_slot();
        let a = self.pop_slot();
        self.emit_result_of(2, |dst| Instr::V128Ternary { op, dst, a, b, c });
    }

    fn shift_v128(&mut self, op: Sh) {
        let rhs = self.pop_slot();
        let lhs = self.pop_slot();
        self.emit_result_of(2, |dst| Instr::V128Shift { op, dst, lhs, rhs });
    }

    fn test_v128(&mut self, op: Te) {
        let src = self.pop_slot();
        self.emit_result(|dst| Instr::V128Test { op, dst, src });
    }

    fn splat(&mut self, op: Sp) {
        let src = self.pop_slot();
        self.emit_result_of(2, |dst| Instr::V128Splat { op, dst, src });
    }

    fn extract_lane(&mut self, op: E, lane: u8) {
        let src = self.pop_slot();
        self.emit_result(|dst| Instr::V128ExtractLane { op, lane, dst, src });
    }

    fn replace_lane(&mut self, op: R, lane: u8) {
        let value = self.pop_slot();
        let src = self.pop_slot();
        self.emit_result_of(2, |dst| Instr::V128ReplaceLane { op, lane, dst, src, value });
    }

    /// A vector load, in the hot memory 0 or any other memory; `false` if
    /// `memarg` names no memory (a GC array access, which validation
    /// rejects), as for the scalar loads. The stores below likewise.
    fn v128_load(&mut self, memarg: &wasmparser::MemArg, op: SimdLoad) -> bool {
        let Some(memory) = memory_of(memarg) else { return false };
        let addr = self.pop_slot();
        match self.accessed(memory) {
            None => {
                // Validation bounds the offset of a 32-bit memory by u32.
                let offset = memarg.offset as u32;
                self.emit_result_of(2, |dst| Instr::V128Load { op, dst, addr, offset });
            }
            Some(mem) => {
                self.emit_result_of(2, |dst| Instr::V128LoadMem { op, dst, addr, mem });
                self.emit_offset(memarg.offset);
            }
        }
        true
    }

    fn v128_store(&mut self, memarg: &wasmparser::MemArg) -> bool {
        let Some(memory) = memory_of(memarg) else { return false };
        let value = self.pop_slot();
        let addr = self.pop_slot();
        match self.accessed(memory) {
            None => {
                let offset = memarg.offset as u32;
                self.emit(Instr::V128Store { addr, value, offset });
            }
            Some(mem) => {
                self.emit(Instr::V128StoreMem { addr, value, mem });
                self.emit_offset(memarg.offset);
            }
        }
        true
    }

    fn load_lane(&mut self, memarg: &wasmparser::MemArg, op: SimdLane, lane: u8) -> bool {
        let Some(memory) = memory_of(memarg) else { return false };
        let src = self.pop_slot();
        let addr = self.pop_slot();
        match self.accessed(memory) {
            None => {
                let offset = memarg.offset as u32;
                self.emit_result_of(2, |dst| Instr::V128LoadLane { op, lane, dst, addr, src });
                self.emit(Instr::Data { a: offset, b: 0 });
            }
            Some(mem) => {
                let make = |dst| Instr::V128LoadLaneMem { op, lane, dst, addr, src, mem };
                self.emit_result_of(2, make);
                self.emit_offset(memarg.offset);
            }
        }
        true
    }

    fn store_lane(&mut self, memarg: &wasmparser::MemArg, op: SimdLane, lane: u8) -> bool {
        let Some(memory) = memory_of(memarg) else { return false };
        let value = self.pop_slot();
        let addr = self.pop_slot();
        match self.accessed(memory) {
            None => {
                let offset = memarg.offset as u32;
                self.emit(Instr::V128StoreLane { op, lane, addr, value, offset });
            }
            Some(mem) => {
                self.emit(Instr::V128StoreLaneMem { op, lane, addr, value, mem });
                self.emit_offset(memarg.offset);
            }
        }
        true
    }

    /// Translates a SIMD operator; returns `false` if `op` is not one.
    pub(super) fn translate_simd(&mut self, op: &wasmparser::Operator<'_>) -> bool {
        use wasmparser::Operator as O;
        if let Some(translated) = self.translate_simd_access(op) {
            return translated;
        }
        match op {
            O::V128Const { value } => self.v128_const(V128::from_le_bytes(*value.bytes())),
            O::I8x16Shuffle { lanes } => self.shuffle(*lanes),
            O::V128Not => self.unary_v128(U::V128Not),
            O::I8x16Abs => self.unary_v128(U::I8x16Abs),
            O::I8x16Neg => self.unary_v128(U::I8x16Neg),
            O::I8x16Popcnt => self.unary_v128(U::I8x16Popcnt),
            O::I16x8ExtAddPairwiseI8x16S => self.unary_v128(U::I16x8ExtAddPairwiseI8x16S),
            O::I16x8ExtAddPairwiseI8x16U => self.unary_v128(U::I16x8ExtAddPairwiseI8x16U),
            O::I16x8Abs => self.unary_v128(U::I16x8Abs),
            O::I16x8Neg => self.unary_v128(U::I16x8Neg),
            O::I16x8ExtendLowI8x16S => self.unary_v128(U::I16x8ExtendLowI8x16S),
            O::I16x8ExtendHighI8x16S => self.unary_v128(U::I16x8ExtendHighI8x16S),
            O::I16x8ExtendLowI8x16U => self.unary_v128(U::I16x8ExtendLowI8x16U),
            O::I16x8ExtendHighI8x16U => self.unary_v128(U::I16x8ExtendHighI8x16U),
            O::I32x4ExtAddPairwiseI16x8S => self.unary_v128(U::I32x4ExtAddPairwiseI16x8S),
            O::I32x4ExtAddPairwiseI16x8U => self.unary_v128(U::I32x4ExtAddPairwiseI16x8U),
            O::I32x4Abs => self.unary_v128(U::I32x4Abs),
            O::I32x4Neg => self.unary_v128(U::I32x4Neg),
            O::I32x4ExtendLowI16x8S => self.unary_v128(U::I32x4ExtendLowI16x8S),
            O::I32x4ExtendHighI16x8S => self.unary_v128(U::I32x4ExtendHighI16x8S),
            O::I32x4ExtendLowI16x8U => self.unary_v128(U::I32x4ExtendLowI16x8U),
            O::I32x4ExtendHighI16x8U => self.unary_v128(U::I32x4ExtendHighI16x8U),
            O::I64x2Abs => self.unary_v128(U::I64x2Abs),
            O::I64x2Neg => self.unary_v128(U::I64x2Neg),
            O::I64x2ExtendLowI32x4S => self.unary_v128(U::I64x2ExtendLowI32x4S),
            O::I64x2ExtendHighI32x4S => self.unary_v128(U::I64x2ExtendHighI32x4S),
            O::I64x2ExtendLowI32x4U => self.unary_v128(U::I64x2ExtendLowI32x4U),
            O::I64x2ExtendHighI32x4U => self.unary_v128(U::I64x2ExtendHighI32x4U),
            O::F32x4Ceil => self.unary_v128(U::F32x4Ceil),
            O::F32x4Floor => self.unary_v128(U::F32x4Floor),
            O::F32x4Trunc => self.unary_v128(U::F32x4Trunc),
            O::F32x4Nearest => self.unary_v128(U::F32x4Nearest),
            O::F32x4Abs => self.unary_v128(U::F32x4Abs),
            O::F32x4Neg => self.unary_v128(U::F32x4Neg),
            O::F32x4Sqrt => self.unary_v128(U::F32x4Sqrt),
            O::F64x2Ceil => self.unary_v128(U::F64x2Ceil),
            O::F64x2Floor => self.unary_v128(U::F64x2Floor),
            O::F64x2Trunc => self.unary_v128(U::F64x2Trunc),
            O::F64x2Nearest => self.unary_v128(U::F64x2Nearest),
            O::F64x2Abs => self.unary_v128(U::F64x2Abs),
            O::F64x2Neg => self.unary_v128(U::F64x2Neg),
            O::F64x2Sqrt => self.unary_v128(U::F64x2Sqrt),
            O::I32x4TruncSatF32x4S => self.unary_v128(U::I32x4TruncSatF32x4S),
            O::I32x4TruncSatF32x4U => self.unary_v128(U::I32x4TruncSatF32x4U),
            O::F32x4ConvertI32x4S => self.unary_v128(U::F32x4ConvertI32x4S),
            O::F32x4ConvertI32x4U => self.unary_v128(U::F32x4ConvertI32x4U),
            O::I32x4TruncSatF64x2SZero => self.unary_v128(U::I32x4TruncSatF64x2SZero),
            O::I32x4TruncSatF64x2UZero => self.unary_v128(U::I32x4TruncSatF64x2UZero),
            O::F64x2ConvertLowI32x4S => self.unary_v128(U::F64x2ConvertLowI32x4S),
            O::F64x2ConvertLowI32x4U => self.unary_v128(U::F64x2ConvertLowI32x4U),
            O::F32x4DemoteF64x2Zero => self.unary_v128(U::F32x4DemoteF64x2Zero),
            O::F64x2PromoteLowF32x4 => self.unary_v128(U::F64x2PromoteLowF32x4),
            O::I32x4RelaxedTruncF32x4S => self.unary_v128(U::I32x4RelaxedTruncF32x4S),
            O::I32x4RelaxedTruncF32x4U => self.unary_v128(U::I32x4RelaxedTruncF32x4U),
            O::I32x4RelaxedTruncF64x2SZero => self.unary_v128(U::I32x4RelaxedTruncF64x2SZero),
            O::I32x4RelaxedTruncF64x2UZero => self.unary_v128(U::I32x4RelaxedTruncF64x2UZero),
            O::I8x16Swizzle => self.binary_v128(B::I8x16Swizzle),
            O::I8x16Eq => self.binary_v128(B::I8x16Eq),
            O::I8x16Ne => self.binary_v128(B::I8x16Ne),
            O::I8x16LtS => self.binary_v128(B::I8x16LtS),
            O::I8x16LtU => self.binary_v128(B::I8x16LtU),
            O::I8x16GtS => self.binary_v128(B::I8x16GtS),
            O::I8x16GtU => self.binary_v128(B::I8x16GtU),
            O::I8x16LeS => self.binary_v128(B::I8x16LeS),
            O::I8x16LeU => self.binary_v128(B::I8x16LeU),
            O::I8x16GeS => self.binary_v128(B::I8x16GeS),
            O::I8x16GeU => self.binary_v128(B::I8x16GeU),
            O::I16x8Eq => self.binary_v128(B::I16x8Eq),
            O::I16x8Ne => self.binary_v128(B::I16x8Ne),
            O::I16x8LtS => self.binary_v128(B::I16x8LtS),
            O::I16x8LtU => self.binary_v128(B::I16x8LtU),
            O::I16x8GtS => self.binary_v128(B::I16x8GtS),
            O::I16x8GtU => self.binary_v128(B::I16x8GtU),
            O::I16x8LeS => self.binary_v128(B::I16x8LeS),
            O::I16x8LeU => self.binary_v128(B::I16x8LeU),
            O::I16x8GeS => self.binary_v128(B::I16x8GeS),
            O::I16x8GeU => self.binary_v128(B::I16x8GeU),
            O::I32x4Eq => self.binary_v128(B::I32x4Eq),
            O::I32x4Ne => self.binary_v128(B::I32x4Ne),
            O::I32x4LtS => self.binary_v128(B::I32x4LtS),
            O::I32x4LtU => self.binary_v128(B::I32x4LtU),
            O::I32x4GtS => self.binary_v128(B::I32x4GtS),
            O::I32x4GtU => self.binary_v128(B::I32x4GtU),
            O::I32x4LeS => self.binary_v128(B::I32x4LeS),
            O::I32x4LeU => self.binary_v128(B::I32x4LeU),
            O::I32x4GeS => self.binary_v128(B::I32x4GeS),
            O::I32x4GeU => self.binary_v128(B::I32x4GeU),
            O::I64x2Eq => self.binary_v128(B::I64x2Eq),
            O::I64x2Ne => self.binary_v128(B::I64x2Ne),
            O::I64x2LtS => self.binary_v128(B::I64x2LtS),
            O::I64x2GtS => self.binary_v128(B::I64x2GtS),
            O::I64x2LeS => self.binary_v128(B::I64x2LeS),
            O::I64x2GeS => self.binary_v128(B::I64x2GeS),
            O::F32x4Eq => self.binary_v128(B::F32x4Eq),
            O::F32x4Ne => self.binary_v128(B::F32x4Ne),
            O::F32x4Lt => self.binary_v128(B::F32x4Lt),
            O::F32x4Gt => self.binary_v128(B::F32x4Gt),
            O::F32x4Le => self.binary_v128(B::F32x4Le),
            O::F32x4Ge => self.binary_v128(B::F32x4Ge),
            O::F64x2Eq => self.binary_v128(B::F64x2Eq),
            O::F64x2Ne => self.binary_v128(B::F64x2Ne),
            O::F64x2Lt => self.binary_v128(B::F64x2Lt),
            O::F64x2Gt => self.binary_v128(B::F64x2Gt),
            O::F64x2Le => self.binary_v128(B::F64x2Le),
            O::F64x2Ge => self.binary_v128(B::F64x2Ge),
            O::V128And => self.binary_v128(B::V128And),
            O::V128AndNot => self.binary_v128(B::V128AndNot),
            O::V128Or => self.binary_v128(B::V128Or),
            O::V128Xor => self.binary_v128(B::V128Xor),
            O::I8x16NarrowI16x8S => self.binary_v128(B::I8x16NarrowI16x8S),
            O::I8x16NarrowI16x8U => self.binary_v128(B::I8x16NarrowI16x8U),
            O::I8x16Add => self.binary_v128(B::I8x16Add),
            O::I8x16AddSatS => self.binary_v128(B::I8x16AddSatS),
            O::I8x16AddSatU => self.binary_v128(B::I8x16AddSatU),
            O::I8x16Sub => self.binary_v128(B::I8x16Sub),
            O::I8x16SubSatS => self.binary_v128(B::I8x16SubSatS),
            O::I8x16SubSatU => self.binary_v128(B::I8x16SubSatU),
            O::I8x16MinS => self.binary_v128(B::I8x16MinS),
            O::I8x16MinU => self.binary_v128(B::I8x16MinU),
            O::I8x16MaxS => self.binary_v128(B::I8x16MaxS),
            O::I8x16MaxU => self.binary_v128(B::I8x16MaxU),
            O::I8x16AvgrU => self.binary_v128(B::I8x16AvgrU),
            O::I16x8Q15MulrSatS => self.binary_v128(B::I16x8Q15MulrSatS),
            O::I16x8NarrowI32x4S => self.binary_v128(B::I16x8NarrowI32x4S),
            O::I16x8NarrowI32x4U => self.binary_v128(B::I16x8NarrowI32x4U),
            O::I16x8Add => self.binary_v128(B::I16x8Add),
            O::I16x8AddSatS => self.binary_v128(B::I16x8AddSatS),
            O::I16x8AddSatU => self.binary_v128(B::I16x8AddSatU),
            O::I16x8Sub => self.binary_v128(B::I16x8Sub),
            O::I16x8SubSatS => self.binary_v128(B::I16x8SubSatS),
            O::I16x8SubSatU => self.binary_v128(B::I16x8SubSatU),
            O::I16x8Mul => self.binary_v128(B::I16x8Mul),
            O::I16x8MinS => self.binary_v128(B::I16x8MinS),
            O::I16x8MinU => self.binary_v128(B::I16x8MinU),
            O::I16x8MaxS => self.binary_v128(B::I16x8MaxS),
            O::I16x8MaxU => self.binary_v128(B::I16x8MaxU),
            O::I16x8AvgrU => self.binary_v128(B::I16x8AvgrU),
            O::I16x8ExtMulLowI8x16S => self.binary_v128(B::I16x8ExtMulLowI8x16S),
            O::I16x8ExtMulHighI8x16S => self.binary_v128(B::I16x8ExtMulHighI8x16S),
            O::I16x8ExtMulLowI8x16U => self.binary_v128(B::I16x8ExtMulLowI8x16U),
            O::I16x8ExtMulHighI8x16U => self.binary_v128(B::I16x8ExtMulHighI8x16U),
            O::I32x4Add => self.binary_v128(B::I32x4Add),
            O::I32x4Sub => self.binary_v128(B::I32x4Sub),
            O::I32x4Mul => self.binary_v128(B::I32x4Mul),
            O::I32x4MinS => self.binary_v128(B::I32x4MinS),
            O::I32x4MinU => self.binary_v128(B::I32x4MinU),
            O::I32x4MaxS => self.binary_v128(B::I32x4MaxS),
            O::I32x4MaxU => self.binary_v128(B::I32x4MaxU),
            O::I32x4DotI16x8S => self.binary_v128(B::I32x4DotI16x8S),
            O::I32x4ExtMulLowI16x8S => self.binary_v128(B::I32x4ExtMulLowI16x8S),
            O::I32x4ExtMulHighI16x8S => self.binary_v128(B::I32x4ExtMulHighI16x8S),
            O::I32x4ExtMulLowI16x8U => self.binary_v128(B::I32x4ExtMulLowI16x8U),
            O::I32x4ExtMulHighI16x8U => self.binary_v128(B::I32x4ExtMulHighI16x8U),
            O::I64x2Add => self.binary_v128(B::I64x2Add),
            O::I64x2Sub => self.binary_v128(B::I64x2Sub),
            O::I64x2Mul => self.binary_v128(B::I64x2Mul),
            O::I64x2ExtMulLowI32x4S => self.binary_v128(B::I64x2ExtMulLowI32x4S),
            O::I64x2ExtMulHighI32x4S => self.binary_v128(B::I64x2ExtMulHighI32x4S),
            O::I64x2ExtMulLowI32x4U => self.binary_v128(B::I64x2ExtMulLowI32x4U),
            O::I64x2ExtMulHighI32x4U => self.binary_v128(B::I64x2ExtMulHighI32x4U),
            O::F32x4Add => self.binary_v128(B::F32x4Add),
            O::F32x4Sub => self.binary_v128(B::F32x4Sub),
            O::F32x4Mul => self.binary_v128(B::F32x4Mul),
            O::F32x4Div => self.binary_v128(B::F32x4Div),
            O::F32x4Min => self.binary_v128(B::F32x4Min),
            O::F32x4Max => self.binary_v128(B::F32x4Max),
            O::F32x4PMin => self.binary_v128(B::F32x4PMin),
            O::F32x4PMax => self.binary_v128(B::F32x4PMax),
            O::F64x2Add => self.binary_v128(B::F64x2Add),
            O::F64x2Sub => self.binary_v128(B::F64x2Sub),
            O::F64x2Mul => self.binary_v128(B::F64x2Mul),
            O::F64x2Div => self.binary_v128(B::F64x2Div),
            O::F64x2Min => self.binary_v128(B::F64x2Min),
            O::F64x2Max => self.binary_v128(B::F64x2Max),
            O::F64x2PMin => self.binary_v128(B::F64x2PMin),
            O::F64x2PMax => self.binary_v128(B::F64x2PMax),
            O::I8x16RelaxedSwizzle => self.binary_v128(B::I8x16RelaxedSwizzle),
            O::F32x4RelaxedMin => self.binary_v128(B::F32x4RelaxedMin),
            O::F32x4RelaxedMax => self.binary_v128(B::F32x4RelaxedMax),
            O::F64x2RelaxedMin => self.binary_v128(B::F64x2RelaxedMin),
            O::F64x2RelaxedMax => self.binary_v128(B::F64x2RelaxedMax),
            O::I16x8RelaxedQ15mulrS => self.binary_v128(B::I16x8RelaxedQ15mulrS),
            O::I16x8RelaxedDotI8x16I7x16S => self.binary_v128(B::I16x8RelaxedDotI8x16I7x16S),
            O::V128Bitselect => self.ternary_v128(T::V128Bitselect),
            O::F32x4RelaxedMadd => self.ternary_v128(T::F32x4RelaxedMadd),
            O::F32x4RelaxedNmadd => self.ternary_v128(T::F32x4RelaxedNmadd),
            O::F64x2RelaxedMadd => self.ternary_v128(T::F64x2RelaxedMadd),
            O::F64x2RelaxedNmadd => self.ternary_v128(T::F64x2RelaxedNmadd),
            O::I8x16RelaxedLaneselect => self.ternary_v128(T::I8x16RelaxedLaneselect),
            O::I16x8RelaxedLaneselect => self.ternary_v128(T::I16x8RelaxedLaneselect),
            O::I32x4RelaxedLaneselect => self.ternary_v128(T::I32x4RelaxedLaneselect),
            O::I64x2RelaxedLaneselect => self.ternary_v128(T::I64x2RelaxedLaneselect),
            O::I32x4RelaxedDotI8x16I7x16AddS => self.ternary_v128(T::I32x4RelaxedDotI8x16I7x16AddS),
            O::I8x16Shl => self.shift_v128(Sh::I8x16Shl),
            O::I8x16ShrS => self.shift_v128(Sh::I8x16ShrS),
            O::I8x16ShrU => self.shift_v128(Sh::I8x16ShrU),
            O::I16x8Shl => self.shift_v128(Sh::I16x8Shl),
            O::I16x8ShrS => self.shift_v128(Sh::I16x8ShrS),
            O::I16x8ShrU => self.shift_v128(Sh::I16x8ShrU),
            O::I32x4Shl => self.shift_v128(Sh::I32x4Shl),
            O::I32x4ShrS => self.shift_v128(Sh::I32x4ShrS),
            O::I32x4ShrU => self.shift_v128(Sh::I32x4ShrU),
            O::I64x2Shl => self.shift_v128(Sh::I64x2Shl),
            O::I64x2ShrS => self.shift_v128(Sh::I64x2ShrS),
            O::I64x2ShrU => self.shift_v128(Sh::I64x2ShrU),
            O::V128AnyTrue => self.test_v128(Te::V128AnyTrue),
            O::I8x16AllTrue => self.test_v128(Te::I8x16AllTrue),
            O::I8x16Bitmask => self.test_v128(Te::I8x16Bitmask),
            O::I16x8AllTrue => self.test_v128(Te::I16x8AllTrue),
            O::I16x8Bitmask => self.test_v128(Te::I16x8Bitmask),
            O::I32x4AllTrue => self.test_v128(Te::I32x4AllTrue),
            O::I32x4Bitmask => self.test_v128(Te::I32x4Bitmask),
            O::I64x2AllTrue => self.test_v128(Te::I64x2AllTrue),
            O::I64x2Bitmask => self.test_v128(Te::I64x2Bitmask),
            O::I8x16Splat => self.splat(Sp::I8x16Splat),
            O::I16x8Splat => self.splat(Sp::I16x8Splat),
            O::I32x4Splat => self.splat(Sp::I32x4Splat),
            O::I64x2Splat => self.splat(Sp::I64x2Splat),
            O::F32x4Splat => self.splat(Sp::F32x4Splat),
            O::F64x2Splat => self.splat(Sp::F64x2Splat),
            O::I8x16ExtractLaneS { lane } => self.extract_lane(E::I8x16ExtractLaneS, *lane),
            O::I8x16ExtractLaneU { lane } => self.extract_lane(E::I8x16ExtractLaneU, *lane),
            O::I16x8ExtractLaneS { lane } => self.extract_lane(E::I16x8ExtractLaneS, *lane),
            O::I16x8ExtractLaneU { lane } => self.extract_lane(E::I16x8ExtractLaneU, *lane),
            O::I32x4ExtractLane { lane } => self.extract_lane(E::I32x4ExtractLane, *lane),
            O::I64x2ExtractLane { lane } => self.extract_lane(E::I64x2ExtractLane, *lane),
            O::F32x4ExtractLane { lane } => self.extract_lane(E::F32x4ExtractLane, *lane),
            O::F64x2ExtractLane { lane } => self.extract_lane(E::F64x2ExtractLane, *lane),
            O::I8x16ReplaceLane { lane } => self.replace_lane(R::I8x16ReplaceLane, *lane),
            O::I16x8ReplaceLane { lane } => self.replace_lane(R::I16x8ReplaceLane, *lane),
            O::I32x4ReplaceLane { lane } => self.replace_lane(R::I32x4ReplaceLane, *lane),
            O::I64x2ReplaceLane { lane } => self.replace_lane(R::I64x2ReplaceLane, *lane),
            O::F32x4ReplaceLane { lane } => self.replace_lane(R::F32x4ReplaceLane, *lane),
            O::F64x2ReplaceLane { lane } => self.replace_lane(R::F64x2ReplaceLane, *lane),
            _ => return false,
        }
        true
    }

    /// Translates a SIMD load or store: `None` if `op` is not one, else
    /// whether it was translated (see [`Self::v128_load`]).
    fn translate_simd_access(&mut self, op: &wasmparser::Operator<'_>) -> Option<bool> {
        use wasmparser::Operator as O;
        Some(match op {
            O::V128Load { memarg } => self.v128_load(memarg, SimdLoad::V128Load),
            O::V128Load8x8S { memarg } => self.v128_load(memarg, SimdLoad::V128Load8x8S),
            O::V128Load8x8U { memarg } => self.v128_load(memarg, SimdLoad::V128Load8x8U),
            O::V128Load16x4S { memarg } => self.v128_load(memarg, SimdLoad::V128Load16x4S),
            O::V128Load16x4U { memarg } => self.v128_load(memarg, SimdLoad::V128Load16x4U),
            O::V128Load32x2S { memarg } => self.v128_load(memarg, SimdLoad::V128Load32x2S),
            O::V128Load32x2U { memarg } => self.v128_load(memarg, SimdLoad::V128Load32x2U),
            O::V128Load8Splat { memarg } => self.v128_load(memarg, SimdLoad::V128Load8Splat),
            O::V128Load16Splat { memarg } => self.v128_load(memarg, SimdLoad::V128Load16Splat),
            O::V128Load32Splat { memarg } => self.v128_load(memarg, SimdLoad::V128Load32Splat),
            O::V128Load64Splat { memarg } => self.v128_load(memarg, SimdLoad::V128Load64Splat),
            O::V128Load32Zero { memarg } => self.v128_load(memarg, SimdLoad::V128Load32Zero),
            O::V128Load64Zero { memarg } => self.v128_load(memarg, SimdLoad::V128Load64Zero),
            O::V128Store { memarg } => self.v128_store(memarg),
            O::V128Load8Lane { memarg, lane } => self.load_lane(memarg, SimdLane::Lane8, *lane),
            O::V128Load16Lane { memarg, lane } => self.load_lane(memarg, SimdLane::Lane16, *lane),
            O::V128Load32Lane { memarg, lane } => self.load_lane(memarg, SimdLane::Lane32, *lane),
            O::V128Load64Lane { memarg, lane } => self.load_lane(memarg, SimdLane::Lane64, *lane),
            O::V128Store8Lane { memarg, lane } => self.store_lane(memarg, SimdLane::Lane8, *lane),
            O::V128Store16Lane { memarg, lane } => self.store_lane(memarg, SimdLane::Lane16, *lane),
            O::V128Store32Lane { memarg, lane } => self.store_lane(memarg, SimdLane::Lane32, *lane),
            O::V128Store64Lane { memarg, lane } => self.store_lane(memarg, SimdLane::Lane64, *lane),
            _ => return None,
        })
    }
}

//! Translation of wasm function bodies into [`crate::ir`] code.
//!
//! [`translate_function`] reads one body operator by operator; wasmparser's
//! `FuncValidator` checks each operator first, then [`FuncTranslator`] emits code
//! for it, so a body is validated and translated in a single linear pass.
//!
//! The translator tracks where each wasm operand lives ([`stack`]) instead of
//! mirroring the wasm stack at run time; families of operators live in their own
//! files: [`control`] (blocks, branches, returns), [`numeric`], [`memory`]
//! (linear memory, tables and references), [`variables`] (locals, globals and
//! calls) and [`wide`] (wide arithmetic).

mod condition;
mod control;
mod exceptions;
mod memory;
mod numeric;
mod peephole;
mod simd;
mod stack;
mod variables;
mod wide;

use wasmparser::{FuncToValidate, FuncValidatorAllocations, FunctionBody, ValidatorResources};

use self::control::{ControlFrame, Label, LabelState};
use self::stack::{Const, Operand, OperandStack, temp_slot};
use crate::engine::Engine;
use crate::error::Error;
use crate::ir::{CompiledFunc, Instr, Slot, TracePoint};
use crate::module::{ModuleInner, wasm_error};

/// Buffers reused from one function body to the next.
#[derive(Default)]
pub(crate) struct Allocations {
    validator: FuncValidatorAllocations,
    stack: OperandStack,
    control: Vec<ControlFrame>,
    labels: Vec<LabelState>,
    local_cells: Vec<u32>,
}

/// The largest frame (parameters, locals and temporaries) a function may have:
/// slots are 16-bit indices.
const MAX_FRAME_SLOTS: u32 = u16::MAX as u32;

/// Validates and translates one function body.
pub(crate) fn translate_function(
    engine: &Engine,
    module: &ModuleInner,
    to_validate: FuncToValidate<ValidatorResources>,
    body: FunctionBody<'_>,
    allocs: Allocations,
) -> Result<(CompiledFunc, Allocations), Error> {
    let func_index = to_validate.index;
    let mut validator = to_validate.into_validator(allocs.validator);
    let ty = module.func_type(func_index);
    let num_params = ty.param_cells();
    let num_results = ty.result_cells();

    // The first cell of each local (parameters first), and after the last
    // one the cells all locals take: a `v128` takes two.
    let too_large = |what: &str| {
        Error::limit(format!(
            "function {func_index} is too large: its {what} need more than {MAX_FRAME_SLOTS} value slots"
        ))
    };
    let mut local_cells = allocs.local_cells;
    local_cells.clear();
    let mut cells = 0u32;
    for param in ty.params() {
        local_cells.push(cells);
        cells += param.cells();
    }
    let mut locals = body.get_locals_reader().map_err(wasm_error)?;
    for _ in 0..locals.get_count() {
        let offset = locals.original_position();
        let (count, ty) = locals.read().map_err(wasm_error)?;
        validator.define_locals(offset, count, ty).map_err(wasm_error)?;
        // Validation bounds the number of locals far below 2^32 and rejects
        // types the engine has no `ValType` for.
        let width = crate::types::ValType::from_wasmparser(ty).map_or(1, |t| t.cells());
        for _ in 0..count {
            local_cells.push(cells);
            cells = cells.saturating_add(width);
            if cells > MAX_FRAME_SLOTS {
                return Err(too_large("locals"));
            }
        }
    }
    let num_locals = local_cells.len() as u32;
    local_cells.push(cells);
    let local_cell_count = cells;

    let mut t = FuncTranslator {
        module,
        func_ty: ty,
        fuel: engine.config().consume_fuel,
        trace: engine.config().trace_execution.then(Vec::new),
        code: Vec::new(),
        offsets: Vec::new(),
        stack: allocs.stack,
        control: allocs.control,
        labels: allocs.labels,
        consts: Vec::new(),
        local_cells,
        local_cell_count,
        num_results,
        reachable: true,
        pos: 0,
        last_result: None,
        label_at: None,
        fuel_instr: None,
        open_catches: Vec::new(),
        catches: Vec::new(),
        caught_labels: Vec::new(),
    };
    t.stack.reset(num_locals);
    t.control.clear();
    t.labels.clear();
    t.begin_function();

    let mut reader = body.get_operators_reader().map_err(wasm_error)?;
    while !reader.eof() {
        let (op, offset) = reader.read_with_offset().map_err(wasm_error)?;
        validator.op(offset, &op).map_err(wasm_error)?;
        t.pos = offset as u32;
        t.translate(op)?;
    }
    reader.finish().map_err(wasm_error)?;

    let frame_size = local_cell_count + t.stack.max_cells() + 1;
    if frame_size > MAX_FRAME_SLOTS {
        return Err(too_large("operands"));
    }
    let handlers = t.finish_handlers();
    peephole::optimize(&mut t.code);
    let func = CompiledFunc {
        index: func_index,
        code: std::mem::take(&mut t.code).into_boxed_slice(),
        num_params,
        num_locals: local_cell_count - num_params,
        num_results,
        consts: std::mem::take(&mut t.consts).into_boxed_slice(),
        frame_size,
        offsets: std::mem::take(&mut t.offsets).into_boxed_slice(),
        trace: t.trace.take().unwrap_or_default().into_boxed_slice(),
        handlers,
    };
    let allocs = Allocations {
        validator: validator.into_allocations(),
        stack: t.stack,
        control: t.control,
        labels: t.labels,
        local_cells: t.local_cells,
    };
    Ok((func, allocs))
}

/// Translation state for one function body.
pub(crate) struct FuncTranslator<'m> {
    module: &'m ModuleInner,
    /// The type of the function being translated.
    func_ty: &'m crate::types::FuncType,
    /// Whether to emit fuel metering.
    fuel: bool,
    /// With execution tracing: the operators of the trace points emitted so far.
    trace: Option<Vec<TracePoint>>,
    code: Vec<Instr>,
    offsets: Vec<(u32, u32)>,
    stack: OperandStack,
    control: Vec<ControlFrame>,
    labels: Vec<LabelState>,
    /// The first cell of each local (parameters first), then the number of
    /// cells they all take.
    local_cells: Vec<u32>,
    /// The cells of the parameters and declared locals; temporaries start at
    /// this slot.
    local_cell_count: u32,
    /// The cells of the function's results.
    num_results: u32,
    /// The function's `v128` constants and shuffle masks
    /// ([`CompiledFunc::consts`]).
    consts: Vec<crate::V128>,
    /// Whether the next operator can execute.
    reachable: bool,
    /// Byte offset of the operator being translated.
    pos: u32,
    /// Index of the last emitted instruction when its `dst` is the top operand's
    /// temporary and no label has been placed since: `local.set` may retarget it.
    last_result: Option<usize>,
    /// Where the last label was placed: an instruction index that branches
    /// may target, so the instruction there is not fused into the one before.
    label_at: Option<u32>,
    /// The `ConsumeFuel` instruction charged for the operators being translated.
    fuel_instr: Option<usize>,
    /// Catch clauses of the `try_table`s being translated.
    open_catches: Vec<exceptions::PendingCatch>,
    /// Catch clauses of the `try_table`s translated so far.
    catches: Vec<exceptions::PendingCatch>,
    /// Labels some catch clause continues at: merge points even if no branch
    /// targets them.
    caught_labels: Vec<Label>,
}

impl FuncTranslator<'_> {
    /// Appends an instruction, recording its source offset if it can trap.
    fn emit(&mut self, instr: Instr) -> usize {
        let index = self.code.len();
        if instr.may_trap() {
            self.offsets.push((index as u32, self.pos));
        }
        self.code.push(instr);
        self.last_result = None;
        index
    }

    /// Removes the last emitted instruction (fused into its consumer).
    fn unemit_last(&mut self) {
        let index = self.code.len() - 1;
        self.code.pop();
        if self.offsets.last().is_some_and(|&(i, _)| i as usize == index) {
            self.offsets.pop();
        }
        self.last_result = None;
    }

    /// Emits an instruction that writes a new one-cell temporary on top of the
    /// stack; the closure receives the destination slot.
    fn emit_result(&mut self, make: impl FnOnce(Slot) -> Instr) {
        self.emit_result_of(1, make);
    }

    /// Emits an instruction that writes a new temporary `width` cells wide
    /// on top of the stack.
    fn emit_result_of(&mut self, width: u32, make: impl FnOnce(Slot) -> Instr) {
        let dst = self.push_temp(width);
        let index = self.emit(make(dst));
        self.last_result = Some(index);
    }

    /// Pushes a temporary `width` cells wide and returns its slot.
    fn push_temp(&mut self, width: u32) -> Slot {
        let cell = self.stack.cell(self.stack.height());
        self.stack.push(Operand::Temp, width);
        temp_slot(self.local_cell_count, cell)
    }

    /// Pushes temporaries of the given types (results of a call or a block).
    fn push_temps(&mut self, types: &[crate::types::ValType]) {
        for ty in types {
            self.stack.push(Operand::Temp, ty.cells());
        }
    }

    /// The slot of the temporary of the operand at `depth`.
    fn temp_slot(&self, depth: u32) -> Slot {
        temp_slot(self.local_cell_count, self.stack.cell(depth))
    }

    /// The first slot of local `x`.
    fn local_slot(&self, x: u32) -> Slot {
        Slot(self.local_cells[x as usize] as u16)
    }

    /// The width in cells of local `x`.
    fn local_width(&self, x: u32) -> u32 {
        self.local_cells[x as usize + 1] - self.local_cells[x as usize]
    }

    /// Pushes `local.get x`.
    fn push_local(&mut self, x: u32) {
        let width = self.local_width(x);
        self.stack.push(Operand::Local(x), width);
    }

    /// Copies `width` cells from `src` to `dst`.
    fn emit_copy(&mut self, dst: Slot, src: Slot, width: u32) {
        if width == 2 {
            self.emit(Instr::V128Copy { dst, src });
        } else {
            // Two copies in a row (the moves at the end of a loop body) are
            // one instruction, unless a branch targets the second.
            let at = self.code.len();
            if self.label_at != Some(at as u32)
                && let Some(&Instr::Copy { dst: first, src: from }) = self.code.last()
            {
                self.code[at - 1] = Instr::Copy2 { dst: first, src: from, dst2: dst, src2: src };
                self.last_result = None;
                return;
            }
            self.emit(Instr::Copy { dst, src });
        }
    }

    /// The slot holding the operand at `depth`, writing a constant to the
    /// operand's own temporary first if needed.
    fn slot_at(&mut self, depth: u32) -> Slot {
        match self.stack.get(depth) {
            Operand::Local(x) => self.local_slot(x),
            Operand::Temp => self.temp_slot(depth),
            Operand::Const(c) => {
                let dst = self.temp_slot(depth);
                self.emit_const(dst, c);
                self.stack.set(depth, Operand::Temp);
                dst
            }
        }
    }

    /// Pops the top operand and returns the slot holding it (see [`Self::slot_at`]).
    fn pop_slot(&mut self) -> Slot {
        let depth = self.stack.height() - 1;
        let slot = self.slot_at(depth);
        self.stack.pop();
        slot
    }

    /// Pushes a constant operand (one cell; `v128` constants are written to
    /// their temporaries at once, see [`simd`]).
    fn push_const(&mut self, c: Const) {
        self.stack.push(Operand::Const(c), 1);
    }

    fn emit_const(&mut self, dst: Slot, c: Const) {
        match c {
            Const::W32(value) => self.emit(Instr::Const32 { dst, value }),
            Const::W64(v) => self.emit(Instr::Const64 { dst, lo: v as u32, hi: (v >> 32) as u32 }),
        };
    }

    /// Copies the operand at `depth` into `dst` (no code if it is already there).
    fn copy_operand(&mut self, depth: u32, dst: Slot) {
        let width = self.stack.width(depth);
        match self.stack.get(depth) {
            Operand::Local(x) => {
                let src = self.local_slot(x);
                self.emit_copy(dst, src, width);
            }
            Operand::Temp => {
                let src = self.temp_slot(depth);
                if src != dst {
                    self.emit_copy(dst, src, width);
                }
            }
            Operand::Const(c) => self.emit_const(dst, c),
        }
    }

    /// Copies the top `n` operands to the temporaries of depths `height..height+n`
    /// (a branch target's slots), without popping them. Runs of temporaries move
    /// with one `CopySpan`. Sources are never below their destinations, so
    /// copying upwards in order is safe.
    fn copy_top_to(&mut self, height: u32, n: u32) {
        let first = self.stack.height() - n;
        // The target's values take the same cells as the operands moving
        // there, from the cell where the operand at `height` starts now.
        let base = self.stack.cell(height);
        let dst_of = |t: &Self, depth: u32| {
            temp_slot(t.local_cell_count, base + t.stack.cell(depth) - t.stack.cell(first))
        };
        let mut i = 0;
        while i < n {
            let depth = first + i;
            let dst = dst_of(self, depth);
            if self.stack.get(depth) == Operand::Temp && first != height {
                let mut run = 1;
                while i + run < n && self.stack.get(depth + run) == Operand::Temp {
                    run += 1;
                }
                if run == 1 {
                    self.copy_operand(depth, dst);
                } else {
                    let src = self.temp_slot(depth);
                    let len = self.stack.cell(depth + run) - self.stack.cell(depth);
                    self.emit(Instr::CopySpan { dst, src, len: len as u16 });
                }
                i += run;
            } else {
                self.copy_operand(depth, dst);
                i += 1;
            }
        }
    }

    /// Moves each of the top `n` operands that is not in its own temporary there
    /// (a local or a constant), and returns the depth of the first of them.
    fn materialize_top(&mut self, n: u32) -> u32 {
        let first = self.stack.height() - n;
        for depth in first..first + n {
            if self.stack.get(depth) != Operand::Temp {
                let dst = self.temp_slot(depth);
                self.copy_operand(depth, dst);
                self.stack.set(depth, Operand::Temp);
            }
        }
        first
    }

    /// Writes every operand that still refers to a local into its own temporary.
    fn preserve_all_locals(&mut self) {
        if !self.stack.has_lazy_locals() {
            return;
        }
        for (depth, x) in self.stack.lazy_local_depths(None) {
            let dst = self.temp_slot(depth);
            let (src, width) = (self.local_slot(x), self.local_width(x));
            self.emit_copy(dst, src, width);
            self.stack.set(depth, Operand::Temp);
        }
    }

    /// Writes every operand that refers to local `x` into its own temporary, so
    /// that `x` can be overwritten. Returns whether anything was copied.
    fn preserve_local(&mut self, x: u32) -> bool {
        if !self.stack.refers_to_local(x) {
            return false;
        }
        for (depth, _) in self.stack.lazy_local_depths(Some(x)) {
            let dst = self.temp_slot(depth);
            let (src, width) = (self.local_slot(x), self.local_width(x));
            self.emit_copy(dst, src, width);
            self.stack.set(depth, Operand::Temp);
        }
        true
    }

    /// Charges one unit of fuel for the operator being translated.
    fn charge_fuel(&mut self) {
        if let Some(i) = self.fuel_instr
            && let Instr::ConsumeFuel { amount } = &mut self.code[i]
        {
            *amount = amount.saturating_add(1);
        }
    }

    /// Starts a new fuel charge at the current position (a merge point or the
    /// start of a loop body or branch arm).
    fn begin_fuel_block(&mut self) {
        if self.fuel && self.reachable {
            let i = self.emit(Instr::ConsumeFuel { amount: 0 });
            self.fuel_instr = Some(i);
        }
    }

    fn translate(&mut self, op: wasmparser::Operator<'_>) -> Result<(), Error> {
        use wasmparser::Operator as O;
        if !self.reachable {
            return self.translate_unreachable(op);
        }
        self.charge_fuel();
        if let Some(trace) = &mut self.trace {
            let point = TracePoint { offset: self.pos, operator: operator_name(&op).into() };
            let op = trace.len() as u32;
            trace.push(point);
            self.emit(Instr::Trace { op });
        }
        match op {
            // control
            O::Unreachable => self.visit_unreachable(),
            O::Nop => {}
            O::Block { blockty } => self.visit_block(blockty),
            O::Loop { blockty } => self.visit_loop(blockty),
            O::If { blockty } => self.visit_if(blockty),
            O::Else => self.visit_else(),
            O::End => self.visit_end(),
            O::Br { relative_depth } => self.visit_br(relative_depth),
            O::BrIf { relative_depth } => self.visit_br_if(relative_depth),
            O::BrTable { targets } => self.visit_br_table(&targets)?,
            O::Return => self.visit_return(),
            O::Call { function_index } => self.visit_call(function_index),
            O::CallIndirect { type_index, table_index } => {
                self.visit_call_indirect(type_index, table_index)
            }
            O::ReturnCall { function_index } => self.visit_return_call(function_index),
            O::ReturnCallIndirect { type_index, table_index } => {
                self.visit_return_call_indirect(type_index, table_index)
            }
            O::Throw { tag_index } => self.visit_throw(tag_index),
            O::ThrowRef => self.visit_throw_ref(),
            O::TryTable { try_table } => self.visit_try_table(&try_table),
            O::Drop => {
                self.stack.pop();
            }
            O::Select | O::TypedSelect { .. } => self.visit_select(),

            // variables
            O::LocalGet { local_index } => self.push_local(local_index),
            O::LocalSet { local_index } => self.visit_local_set(local_index, false),
            O::LocalTee { local_index } => self.visit_local_set(local_index, true),
            O::GlobalGet { global_index } => self.visit_global_get(global_index),
            O::GlobalSet { global_index } => self.visit_global_set(global_index),

            // constants
            O::I32Const { value } => self.push_const(Const::W32(value as u32)),
            O::I64Const { value } => self.push_const(Const::W64(value as u64)),
            O::F32Const { value } => self.push_const(Const::W32(value.bits())),
            O::F64Const { value } => self.push_const(Const::W64(value.bits())),

            // references
            O::RefNull { .. } => self.push_const(Const::W64(0)),
            O::RefIsNull => self.visit_ref_is_null(),
            O::RefFunc { function_index } => {
                self.emit_result(|dst| Instr::RefFunc { dst, func: function_index })
            }

            op => {
                if !self.translate_memory(&op)
                    && !self.translate_numeric(&op)
                    && !self.translate_simd(&op)
                    && !self.translate_wide(&op)
                {
                    return Err(Error::wasm(
                        format!("operator {op:?} is not supported"),
                        self.pos as usize,
                    ));
                }
            }
        }
        Ok(())
    }

    /// Current label bookkeeping access for sibling modules.
    fn label_state(&mut self, label: Label) -> &mut LabelState {
        &mut self.labels[label.0 as usize]
    }
}

/// An operator in text-format style for traces: `I32Add` becomes `i32.add`,
/// `LocalGet { local_index: 0 }` becomes `local.get local_index=0`.
fn operator_name(op: &wasmparser::Operator<'_>) -> String {
    let debug = format!("{op:?}");
    let (variant, fields) = match debug.split_once(' ') {
        Some((v, rest)) => (v, rest.trim_start_matches('{').trim_end_matches('}').trim()),
        None => (debug.as_str(), ""),
    };
    // Split the CamelCase variant into lower-case words (digits stay with the
    // word before them: `I32`, `F64`).
    let mut words: Vec<String> = Vec::new();
    for c in variant.chars() {
        if c.is_ascii_uppercase() || words.is_empty() {
            words.push(c.to_ascii_lowercase().to_string());
        } else if let Some(last) = words.last_mut() {
            last.push(c);
        }
    }
    const PREFIXES: [&str; 17] = [
        "i32", "i64", "f32", "f64", "local", "global", "memory", "table", "ref", "data", "v128",
        "i8x16", "i16x8", "i32x4", "i64x2", "f32x4", "f64x2",
    ];
    let mut name = match words.split_first() {
        Some((first, rest))
            if (PREFIXES.contains(&first.as_str()) || first == "elem") && !rest.is_empty() =>
        {
            format!("{first}.{}", rest.join("_"))
        }
        _ => words.join("_"),
    };
    if name == "typed_select" {
        name = "select".into();
    }
    if !fields.is_empty() {
        name.push(' ');
        name.push_str(&fields.replace(": ", "=").replace(", ", " "));
    }
    name
}

#[cfg(test)]
mod tests {
    use super::operator_name;
    use wasmparser::Operator as O;

    #[test]
    fn operator_names_follow_the_text_format() {
        assert_eq!(operator_name(&O::I32Add), "i32.add");
        assert_eq!(operator_name(&O::LocalGet { local_index: 3 }), "local.get local_index=3");
        assert_eq!(operator_name(&O::BrIf { relative_depth: 1 }), "br_if relative_depth=1");
        assert_eq!(operator_name(&O::I32TruncSatF32S), "i32.trunc_sat_f32_s");
        assert_eq!(operator_name(&O::RefIsNull), "ref.is_null");
        assert_eq!(operator_name(&O::Return), "return");
        assert_eq!(operator_name(&O::I8x16AddSatS), "i8x16.add_sat_s");
        assert_eq!(operator_name(&O::I32x4ExtractLane { lane: 3 }), "i32x4.extract_lane lane=3");
    }
}

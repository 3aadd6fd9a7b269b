//! Structured control flow: blocks, loops, `if`, branches, `br_table` and returns.
//!
//! Every control frame has a *height*: the operand depth at its entry, below
//! its parameters. A branch to the frame moves its values to the temporaries of
//! depths `height..height+arity`, so all paths into a merge point agree on where
//! the values are. Forward branch targets are [`Label`]s patched when placed.

use super::FuncTranslator;
use super::condition::{Cond, as_condition, select_on};
use super::stack::{Const, Operand};
use crate::ir::{Instr, Offset, Slot};
use crate::trap::TrapCode;

/// A branch target within the function being translated.
#[derive(Debug, Copy, Clone, PartialEq, Eq)]
pub(crate) struct Label(pub u32);

#[derive(Debug)]
pub(crate) enum LabelState {
    /// Placed at an instruction index.
    Pinned(u32),
    /// Not placed yet; these branch instructions jump to it.
    Unpinned(Vec<u32>),
}

#[derive(Debug, Copy, Clone, PartialEq, Eq)]
pub(crate) enum FrameKind {
    Function,
    Block,
    Loop,
    If {
        else_label: Label,
        has_else: bool,
    },
    /// A `try_table`; its catch clauses are the translator's open catches
    /// from `first_catch` on (see [`super::exceptions`]).
    TryTable {
        first_catch: u32,
    },
}

#[derive(Debug)]
pub(crate) struct ControlFrame {
    pub(super) kind: FrameKind,
    /// The block's type (`Empty` for the function itself), for the widths of
    /// its parameters and results.
    ty: wasmparser::BlockType,
    /// Operand depth at entry, below the parameters.
    pub(super) height: u32,
    params: u32,
    results: u32,
    /// Where branches to this frame go: the start of a loop, else the end.
    pub(super) label: Label,
    /// Whether the frame was entered in reachable code.
    live: bool,
}

impl ControlFrame {
    /// Number of values a branch to this frame carries.
    fn branch_arity(&self) -> u32 {
        if self.kind == FrameKind::Loop { self.params } else { self.results }
    }
}

impl FuncTranslator<'_> {
    // ---- labels -------------------------------------------------------------------

    pub(super) fn new_label(&mut self) -> Label {
        let label = Label(self.labels.len() as u32);
        self.labels.push(LabelState::Unpinned(Vec::new()));
        label
    }

    fn new_pinned_label(&mut self) -> Label {
        let label = Label(self.labels.len() as u32);
        self.labels.push(LabelState::Pinned(self.code.len() as u32));
        self.label_at = Some(self.code.len() as u32);
        label
    }

    /// Places `label` at the next instruction and patches the branches to it.
    fn pin_label(&mut self, label: Label) {
        let here = self.code.len() as u32;
        self.label_at = Some(here);
        let state = std::mem::replace(self.label_state(label), LabelState::Pinned(here));
        if let LabelState::Unpinned(uses) = state {
            for at in uses {
                let offset = here as i64 - i64::from(at);
                if let Some(o) = self.code[at as usize].branch_offset_mut() {
                    *o = offset as Offset;
                }
            }
        }
        // Values arriving from several paths: the last instruction's result
        // slot is no longer the only way the top operand was written.
        self.last_result = None;
    }

    /// Whether any branch targets `label` (pinned labels count as used).
    fn label_used(&self, label: Label) -> bool {
        match &self.labels[label.0 as usize] {
            LabelState::Pinned(_) => true,
            LabelState::Unpinned(uses) => !uses.is_empty() || self.caught_labels.contains(&label),
        }
    }

    /// Emits a branch built by `make` to `label`, fused with the loop step
    /// just before it when [`step_branch`] can.
    fn emit_branch_to(&mut self, label: Label, make: impl FnOnce(Offset) -> Instr) {
        let mut instr = make(0);
        let mut at = self.code.len() as u32;
        if self.label_at != Some(at)
            && let Some(&step) = self.code.last()
            && let Some(fused) = step_branch(step, instr)
        {
            self.unemit_last();
            (at, instr) = (at - 1, fused);
        }
        match self.label_state(label) {
            LabelState::Pinned(target) => {
                let offset = i64::from(*target) - i64::from(at);
                if let Some(o) = instr.branch_offset_mut() {
                    *o = offset as Offset;
                }
            }
            LabelState::Unpinned(uses) => uses.push(at),
        }
        self.emit(instr);
    }

    // ---- frames -------------------------------------------------------------------

    pub(super) fn block_arity(&self, ty: wasmparser::BlockType) -> (u32, u32) {
        match ty {
            wasmparser::BlockType::Empty => (0, 0),
            wasmparser::BlockType::Type(_) => (0, 1),
            wasmparser::BlockType::FuncType(i) => {
                let ty = &self.module.types[i as usize];
                (ty.params().len() as u32, ty.results().len() as u32)
            }
        }
    }

    /// Pushes temporaries for a block's parameters (`results == false`) or
    /// results, each as wide as its type.
    fn push_block_values(&mut self, ty: wasmparser::BlockType, results: bool) {
        match ty {
            wasmparser::BlockType::Empty => {}
            wasmparser::BlockType::Type(t) => {
                if results {
                    // Validation rejects types the engine has no `ValType` for.
                    let width = crate::types::ValType::from_wasmparser(t).map_or(1, |t| t.cells());
                    self.stack.push(Operand::Temp, width);
                }
            }
            wasmparser::BlockType::FuncType(i) => {
                let module = self.module;
                let ty = &module.types[i as usize];
                self.push_temps(if results { ty.results() } else { ty.params() });
            }
        }
    }

    pub(super) fn begin_function(&mut self) {
        let label = self.new_label();
        self.control.push(ControlFrame {
            kind: FrameKind::Function,
            ty: wasmparser::BlockType::Empty,
            height: 0,
            params: 0,
            results: self.func_ty.results().len() as u32,
            label,
            live: true,
        });
        self.begin_fuel_block();
    }

    /// Makes the frame's entry state uniform: no operand refers to a local (a
    /// local written on one path must not change a value another path sees) and
    /// the parameters sit in their own temporaries.
    pub(super) fn enter_frame(&mut self, params: u32) {
        self.preserve_all_locals();
        let height = self.stack.height() - params;
        for depth in height..self.stack.height() {
            if let Operand::Const(_) = self.stack.get(depth) {
                self.slot_at(depth);
            }
        }
    }

    pub(super) fn push_frame(&mut self, kind: FrameKind, ty: wasmparser::BlockType, label: Label) {
        let (params, results) = self.block_arity(ty);
        let height = self.stack.height() - params;
        self.control.push(ControlFrame { kind, ty, height, params, results, label, live: true });
    }

    pub(super) fn visit_block(&mut self, ty: wasmparser::BlockType) {
        let (params, _) = self.block_arity(ty);
        self.enter_frame(params);
        let label = self.new_label();
        self.push_frame(FrameKind::Block, ty, label);
    }

    pub(super) fn visit_loop(&mut self, ty: wasmparser::BlockType) {
        let (params, _) = self.block_arity(ty);
        self.enter_frame(params);
        let label = self.new_pinned_label();
        self.last_result = None;
        self.push_frame(FrameKind::Loop, ty, label);
        self.begin_fuel_block();
    }

    pub(super) fn visit_if(&mut self, ty: wasmparser::BlockType) {
        let cond = self.pop_condition();
        let (params, _) = self.block_arity(ty);
        self.enter_frame(params);
        let else_label = self.new_label();
        let end_label = self.new_label();
        match cond {
            Cond::Always(true) => {}
            cond => self.emit_branch_to(else_label, |o| cond.negate().branch(o)),
        }
        self.push_frame(FrameKind::If { else_label, has_else: false }, ty, end_label);
        if let Cond::Always(false) = cond {
            self.reachable = false;
        }
        self.begin_fuel_block();
    }

    pub(super) fn visit_else(&mut self) {
        let frame = self.control.last_mut().expect("validated: else inside if");
        let FrameKind::If { else_label, .. } = frame.kind else {
            unreachable!("validated: else follows if");
        };
        frame.kind = FrameKind::If { else_label, has_else: true };
        let (ty, height, results, end_label, live) =
            (frame.ty, frame.height, frame.results, frame.label, frame.live);
        if self.reachable {
            self.copy_top_to(height, results);
            self.emit_branch_to(end_label, |offset| Instr::Br { offset });
        }
        self.stack.truncate(height);
        self.push_block_values(ty, false);
        self.pin_label(else_label);
        self.reachable = live && self.label_used(else_label);
        self.begin_fuel_block();
    }

    pub(super) fn visit_end(&mut self) {
        let frame = self.control.pop().expect("validated: end matches a frame");
        match frame.kind {
            FrameKind::Function => {
                if self.reachable {
                    self.emit_return();
                }
                return;
            }
            FrameKind::Loop => {
                // No branch targets a loop's end: values simply fall through.
                return;
            }
            FrameKind::TryTable { first_catch } => self.end_try_table(first_catch),
            FrameKind::Block | FrameKind::If { .. } => {}
        }
        let fallthrough = self.reachable;
        if fallthrough {
            self.copy_top_to(frame.height, frame.results);
        }
        self.stack.truncate(frame.height);
        self.push_block_values(frame.ty, true);
        let mut reachable = fallthrough || self.label_used(frame.label);
        if let FrameKind::If { else_label, has_else: false } = frame.kind {
            // The missing else passes the parameters through as results; they are
            // already in the result slots.
            reachable |= self.label_used(else_label);
            self.pin_label(else_label);
        }
        self.pin_label(frame.label);
        self.reachable = reachable;
        self.begin_fuel_block();
    }

    /// Handles operators in unreachable code: only nesting is tracked.
    pub(super) fn translate_unreachable(
        &mut self,
        op: wasmparser::Operator<'_>,
    ) -> Result<(), crate::Error> {
        use wasmparser::Operator as O;
        match op {
            O::Block { .. } | O::Loop { .. } | O::If { .. } | O::TryTable { .. } => {
                let label = self.new_label();
                let height = self.stack.height();
                self.control.push(ControlFrame {
                    kind: FrameKind::Block,
                    ty: wasmparser::BlockType::Empty,
                    height,
                    params: 0,
                    results: 0,
                    label,
                    live: false,
                });
            }
            O::Else if self.control.last().is_some_and(|f| f.live) => self.visit_else(),
            O::End => {
                if self.control.last().is_some_and(|f| f.live) {
                    self.visit_end();
                } else {
                    self.control.pop();
                }
            }
            _ => {}
        }
        Ok(())
    }

    // ---- branches -------------------------------------------------------------------

    /// Pops an i32 condition, fusing it with the instruction that computed it
    /// when that instruction was the last one emitted.
    pub(super) fn pop_condition(&mut self) -> Cond {
        let top = self.stack.height() - 1;
        match self.stack.get(top) {
            Operand::Const(c) => {
                self.stack.pop();
                return Cond::Always(c.bits() as u32 != 0);
            }
            Operand::Temp => {
                if let Some(i) = self.last_result
                    && i + 1 == self.code.len()
                    && let Some(cond) = as_condition(&self.code[i])
                {
                    self.unemit_last();
                    self.last_result = None;
                    self.stack.pop();
                    return cond;
                }
            }
            Operand::Local(_) => {}
        }
        Cond::Nez(self.pop_slot())
    }

    /// Whether a branch to `frame` needs no copies: its values already sit in the
    /// frame's result slots.
    fn branch_values_in_place(&self, frame: usize) -> bool {
        let frame = &self.control[frame];
        let arity = frame.branch_arity();
        let first = self.stack.height() - arity;
        arity == 0
            || (first == frame.height
                && (first..first + arity).all(|d| self.stack.get(d) == Operand::Temp))
    }

    /// Emits an unconditional branch to the frame `depth` levels up, moving its
    /// values first.
    fn emit_br(&mut self, depth: u32) {
        let index = self.control.len() - 1 - depth as usize;
        let frame = &self.control[index];
        if frame.kind == FrameKind::Function {
            self.emit_return();
            return;
        }
        let (height, arity, label) = (frame.height, frame.branch_arity(), frame.label);
        self.copy_top_to(height, arity);
        self.emit_branch_to(label, |offset| Instr::Br { offset });
    }

    pub(super) fn visit_br(&mut self, depth: u32) {
        self.emit_br(depth);
        self.reachable = false;
    }

    pub(super) fn visit_br_if(&mut self, depth: u32) {
        let cond = self.pop_condition();
        match cond {
            Cond::Always(false) => return,
            Cond::Always(true) => {
                self.emit_br(depth);
                self.reachable = false;
                return;
            }
            _ => {}
        }
        let index = self.control.len() - 1 - depth as usize;
        let is_function = self.control[index].kind == FrameKind::Function;
        if !is_function && self.branch_values_in_place(index) {
            let label = self.control[index].label;
            self.emit_branch_to(label, |o| cond.branch(o));
        } else {
            // Copies are needed only when the branch is taken: skip over them
            // otherwise.
            let skip = self.new_label();
            self.emit_branch_to(skip, |o| cond.negate().branch(o));
            // The taken path may move the branch values into their temporaries
            // and record that on the operand stack (returning from the function
            // materialises constants and locals). Those moves are skipped when
            // the branch is not taken, so the fall-through path must keep the
            // operands as they were. (Fuzz finding: `i64.const 5; local.get 0;
            // br_if 0` at function level returned 0 when not taken.)
            let arity = self.control[index].branch_arity();
            let first = self.stack.height() - arity;
            let before: Vec<Operand> = (first..first + arity).map(|d| self.stack.get(d)).collect();
            self.emit_br(depth);
            for (d, op) in (first..).zip(before) {
                self.stack.set(d, op);
            }
            self.pin_label(skip);
        }
    }

    pub(super) fn visit_br_table(
        &mut self,
        targets: &wasmparser::BrTable<'_>,
    ) -> Result<(), crate::Error> {
        let depths = targets
            .targets()
            .chain(std::iter::once(Ok(targets.default())))
            .collect::<Result<Vec<u32>, _>>()
            .map_err(crate::module::wasm_error)?;
        let top = self.stack.height() - 1;
        if let Operand::Const(c) = self.stack.get(top) {
            self.stack.pop();
            let i = (c.bits() as u32).min(depths.len() as u32 - 1);
            self.visit_br(depths[i as usize]);
            return Ok(());
        }
        let index = self.pop_slot();
        // Every target takes the same number of values: move the ones still
        // in locals or constants to their temporaries once, here, so that
        // targets at this height need no stub.
        let arity = self.control[self.control.len() - 1 - depths[0] as usize].branch_arity();
        let first = self.materialize_top(arity);
        let len = depths.len() as u32 - 1;
        self.emit(Instr::BrTable { index, len });
        // One entry per target. With the values now in their temporaries, a
        // target whose frame starts where they do needs no copies; the others
        // go through one stub per distinct target, emitted after the table.
        let mut stubs: Vec<(u32, Label)> = Vec::new();
        let mut stub_of: std::collections::HashMap<u32, Label> = std::collections::HashMap::new();
        for &depth in &depths {
            let frame = &self.control[self.control.len() - 1 - depth as usize];
            let direct = frame.kind != FrameKind::Function && (arity == 0 || frame.height == first);
            let label = if direct {
                frame.label
            } else if let Some(&stub) = stub_of.get(&depth) {
                stub
            } else {
                let stub = self.new_label();
                stub_of.insert(depth, stub);
                stubs.push((depth, stub));
                stub
            };
            self.emit_branch_to(label, |offset| Instr::Br { offset });
        }
        for (depth, stub) in stubs {
            self.pin_label(stub);
            self.emit_br(depth);
        }
        self.reachable = false;
        Ok(())
    }

    /// Returns the function's results, the top operands.
    pub(super) fn emit_return(&mut self) {
        let n = self.func_ty.results().len() as u32;
        match n {
            0 => {
                self.emit(Instr::Return);
            }
            1 if self.num_results == 1 => {
                let depth = self.stack.height() - 1;
                match self.stack.get(depth) {
                    Operand::Const(Const::W32(value)) => {
                        self.emit(Instr::ReturnImm32 { value });
                    }
                    _ => {
                        let src = self.slot_at(depth);
                        self.emit(Instr::ReturnSlot { src });
                    }
                }
            }
            _ => {
                // Several results, or one `v128`: move them to consecutive
                // temporaries and return their cells.
                let first = self.materialize_top(n);
                let src = self.temp_slot(first);
                self.emit(Instr::ReturnSpan { src, len: self.num_results as u16 });
            }
        }
    }

    pub(super) fn visit_return(&mut self) {
        self.emit_return();
        self.reachable = false;
    }

    pub(super) fn visit_unreachable(&mut self) {
        self.emit(Instr::Trap { code: TrapCode::Unreachable });
        self.reachable = false;
    }

    pub(super) fn visit_select(&mut self) {
        let top = self.stack.height() - 1;
        if let Operand::Const(c) = self.stack.get(top) {
            // Known condition: keep `a` in place, or move `b` into its place.
            self.stack.pop();
            let b_depth = self.stack.height() - 1;
            let b = self.stack.get(b_depth);
            if c.bits() as u32 == 0 {
                match b {
                    Operand::Temp => {
                        let (dst, src) = (self.temp_slot(b_depth - 1), self.temp_slot(b_depth));
                        let width = self.stack.width(b_depth);
                        self.emit_copy(dst, src, width);
                        self.stack.set(b_depth - 1, Operand::Temp);
                    }
                    other => self.stack.set(b_depth - 1, other),
                }
            }
            self.stack.pop();
            return;
        }
        if let Some(cond) = self.fusable_select_condition(top) {
            // The comparison's operands are locals or temporaries above the
            // arms', so writing a constant arm to its temporary keeps them.
            self.unemit_last();
            self.stack.pop();
            let b_depth = self.stack.height() - 1;
            let b = self.slot_at(b_depth);
            let a = self.slot_at(b_depth - 1);
            self.stack.pop();
            self.stack.pop();
            let dst = self.push_temp(1);
            let fused = select_on(cond, dst, a, b).expect("checked by fusable_select_condition");
            let index = self.emit(fused);
            self.last_result = Some(index);
            return;
        }
        let cond = self.pop_slot();
        let b_depth = self.stack.height() - 1;
        let width = self.stack.width(b_depth);
        let b = self.slot_at(b_depth);
        let a = self.slot_at(b_depth - 1);
        self.stack.pop();
        self.stack.pop();
        if width == 2 {
            self.emit_result_of(2, |dst| Instr::V128Select { dst, cond, a, b });
        } else {
            self.emit_result(|dst| Instr::Select { dst, cond, a, b });
        }
    }
}

impl FuncTranslator<'_> {
    /// The condition of a one-cell `select` whose i32 operand at `top` the
    /// last instruction emitted computed with a comparison [`select_on`]
    /// can fuse.
    fn fusable_select_condition(&self, top: u32) -> Option<Cond> {
        if self.stack.get(top) != Operand::Temp || self.stack.width(top - 1) != 1 {
            return None;
        }
        let i = self.last_result.filter(|&i| i + 1 == self.code.len())?;
        let mut computed = self.code[i];
        let cond = as_condition(&computed)?;
        let temp = self.temp_slot(top);
        (computed.result_slot_mut().copied() == Some(temp)
            && select_on(cond, temp, temp, temp).is_some())
        .then_some(cond)
    }
}

/// `step` (`x = x + c`, the step of a counting loop, or `x = x + s` with `s`
/// in a slot) and the conditional `branch` right after it as one
/// instruction, when the branch tests the new `x` in a way the `StepBrIf*`
/// (`c` fits 16 bits) or `AddBrIf*` instructions cover. The branch offset is
/// left for the caller to set.
fn step_branch(step: Instr, branch: Instr) -> Option<Instr> {
    use Instr::*;
    if let I32Add { dst: var, lhs, rhs } = step {
        // A step in a slot: `x = x + s` or `x = s + x`.
        let step = match (lhs == var, rhs == var) {
            (true, false) => rhs,
            (false, true) => lhs,
            _ => return None,
        };
        let fused = |rhs: Slot, offset, lt: bool| {
            if lt {
                AddBrIfI32LtU { var, step, rhs, offset }
            } else {
                AddBrIfI32Ne { var, step, rhs, offset }
            }
        };
        return match branch {
            BrIfI32Ne { lhs, rhs, offset } if lhs == var && rhs != var => {
                Some(fused(rhs, offset, false))
            }
            BrIfI32Ne { lhs, rhs, offset } if rhs == var && lhs != var => {
                Some(fused(lhs, offset, false))
            }
            BrIfI32LtU { lhs, rhs, offset } if lhs == var && rhs != var => {
                Some(fused(rhs, offset, true))
            }
            _ => None,
        };
    }
    let I32AddImm { dst: var, lhs, imm } = step else { return None };
    let step = i16::try_from(imm).ok().filter(|_| lhs == var)?;
    match branch {
        BrIfNez { cond, offset } if cond == var => Some(StepBrIfNez { var, step, offset }),
        BrIfI32Ne { lhs, rhs, offset } if lhs == var && rhs != var => {
            Some(StepBrIfI32Ne { var, step, rhs, offset })
        }
        BrIfI32Ne { lhs, rhs, offset } if rhs == var && lhs != var => {
            Some(StepBrIfI32Ne { var, step, rhs: lhs, offset })
        }
        BrIfI32LtU { lhs, rhs, offset } if lhs == var && rhs != var => {
            Some(StepBrIfI32LtU { var, step, rhs, offset })
        }
        BrIfI32NeImm { lhs, imm, offset } if lhs == var => {
            let limit = i16::try_from(imm).ok()?;
            Some(StepBrIfI32NeImm { var, step, limit, offset })
        }
        _ => None,
    }
}

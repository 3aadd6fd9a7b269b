//! Exception handling: `throw`, `throw_ref` and `try_table`.
//!
//! A `try_table` is a block whose catch clauses become entries of the
//! function's handler table ([`crate::ir::Handler`]), not code: the executor
//! consults the table only when an exception unwinds into the function, so a
//! `try_table` costs nothing when nothing is thrown. A clause catching into
//! the frame `label` levels out writes its values where a branch to that frame
//! would have moved them (the frame's temporaries from its height) and
//! continues at the frame's label, so the code there sees exactly what a `br`
//! would have left. A clause targeting the function's own frame returns: its
//! values are written to slots `0..n` and it continues at a `Return` appended
//! to the code.
//!
//! Clauses are recorded when their `try_table` ends, so inner `try_table`s'
//! handlers come before outer ones' and the executor takes the first match.
//! Targets are resolved when the body is finished and every label is placed.

use super::FuncTranslator;
use super::control::{FrameKind, Label, LabelState};
use crate::ir::{Handler, Instr, Slot};

/// Where a catch clause continues.
#[derive(Debug, Copy, Clone, PartialEq, Eq)]
pub(crate) enum CatchTarget {
    /// At a frame's label.
    Label(Label),
    /// By returning from the function.
    Return,
}

/// A catch clause whose target may not be placed yet.
#[derive(Debug, Copy, Clone)]
pub(crate) struct PendingCatch {
    pub tag: u32,
    pub with_ref: bool,
    pub dst: Slot,
    pub target: CatchTarget,
    /// The covered instructions; `end` is set when the `try_table` ends.
    pub start: u32,
    pub end: u32,
}

impl FuncTranslator<'_> {
    pub(super) fn visit_throw(&mut self, tag: u32) {
        let ty = &self.module.types[self.module.tags[tag as usize] as usize];
        let n = ty.params().len() as u32;
        let base = if n == 0 {
            Slot(0)
        } else {
            let first = self.materialize_top(n);
            self.temp_slot(first)
        };
        self.stack.truncate(self.stack.height() - n);
        self.emit(Instr::Throw { base, tag });
        self.reachable = false;
    }

    pub(super) fn visit_throw_ref(&mut self) {
        let exn = self.pop_slot();
        self.emit(Instr::ThrowRef { exn });
        self.reachable = false;
    }

    pub(super) fn visit_try_table(&mut self, try_table: &wasmparser::TryTable) {
        let (params, _) = self.block_arity(try_table.ty);
        self.enter_frame(params);
        // Nothing before the try_table fuses with what it covers: the covered
        // range starts at this index.
        self.last_result = None;
        let start = self.code.len() as u32;
        let first_catch = self.open_catches.len() as u32;
        for catch in &try_table.catches {
            use wasmparser::Catch;
            let (tag, with_ref, label) = match *catch {
                Catch::One { tag, label } => (tag, false, label),
                Catch::OneRef { tag, label } => (tag, true, label),
                Catch::All { label } => (Handler::CATCH_ALL, false, label),
                Catch::AllRef { label } => (Handler::CATCH_ALL, true, label),
            };
            // Catch labels are relative to the frame around the try_table.
            let frame = &self.control[self.control.len() - 1 - label as usize];
            let (dst, target) = if frame.kind == FrameKind::Function {
                (Slot(0), CatchTarget::Return)
            } else {
                (self.temp_slot(frame.height), CatchTarget::Label(frame.label))
            };
            if let CatchTarget::Label(label) = target {
                self.caught_labels.push(label);
            }
            self.open_catches.push(PendingCatch { tag, with_ref, dst, target, start, end: start });
        }
        let label = self.new_label();
        self.push_frame(FrameKind::TryTable { first_catch }, try_table.ty, label);
    }

    /// Records the clauses of the `try_table` ending here as handlers.
    pub(super) fn end_try_table(&mut self, first_catch: u32) {
        let end = self.code.len() as u32;
        for mut catch in self.open_catches.drain(first_catch as usize..) {
            if catch.start < end {
                catch.end = end;
                self.catches.push(catch);
            }
        }
    }

    /// The function's handler table, once every label is placed; appends the
    /// `Return` that clauses catching into the function frame continue at.
    pub(super) fn finish_handlers(&mut self) -> Box<[Handler]> {
        let mut return_at = None;
        let mut handlers = Vec::with_capacity(self.catches.len());
        for catch in std::mem::take(&mut self.catches) {
            let target = match catch.target {
                CatchTarget::Label(label) => match &self.labels[label.0 as usize] {
                    LabelState::Pinned(at) => *at,
                    LabelState::Unpinned(_) => unreachable!("every label is placed at the end"),
                },
                CatchTarget::Return => *return_at.get_or_insert_with(|| {
                    self.code.push(Instr::Return);
                    self.code.len() as u32 - 1
                }),
            };
            handlers.push(Handler {
                start: catch.start,
                end: catch.end,
                tag: catch.tag,
                with_ref: catch.with_ref,
                dst: catch.dst,
                target,
            });
        }
        handlers.into_boxed_slice()
    }
}

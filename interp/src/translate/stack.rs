//! The translator's model of the wasm operand stack.
//!
//! Each entry says where its value is *now*, without emitting code for it:
//! - `Local(x)`: still in local `x` (a `local.get` that has not been copied);
//! - `Temp`: in the entry's own temporary slot, the first cell after the
//!   locals' cells plus the cells of the entries below it;
//! - `Const(c)`: a constant not yet written anywhere.
//!
//! Every entry also has a width in cells: two for a `v128`, one for every other
//! type. In a function without `v128` values every width is one, so an entry's
//! temporary is simply `num_locals + depth`.
//!
//! Deferring `local.get` and constants lets most of them become direct operands
//! or immediates of the instruction that consumes them. A `Local(x)` entry must
//! be copied to its temporary slot ("preserved") before `x` is written, and at
//! control-flow boundaries; the per-local reference counts make those checks
//! cheap.

use crate::ir::Slot;

/// A constant operand, as the cell it would occupy and its width.
#[derive(Debug, Copy, Clone, PartialEq, Eq)]
pub(super) enum Const {
    /// An `i32` or `f32` (bits).
    W32(u32),
    /// An `i64`, `f64` (bits) or a null reference (0).
    W64(u64),
}

impl Const {
    /// The value as an `i32` immediate, if it fits one for an operation of the
    /// given width (64-bit immediates are sign-extended from 32 bits).
    pub fn as_imm(self) -> Option<i32> {
        match self {
            Const::W32(v) => Some(v as i32),
            Const::W64(v) => {
                let v = v as i64;
                i32::try_from(v).ok()
            }
        }
    }

    pub fn bits(self) -> u64 {
        match self {
            Const::W32(v) => u64::from(v),
            Const::W64(v) => v,
        }
    }
}

#[derive(Debug, Copy, Clone, PartialEq, Eq)]
pub(super) enum Operand {
    Local(u32),
    Temp,
    Const(Const),
}

#[derive(Debug, Default)]
pub(super) struct OperandStack {
    entries: Vec<Operand>,
    /// The first cell of each entry's temporary, counted from the first
    /// temporary.
    cells: Vec<u32>,
    /// The cells all entries occupy.
    cell_height: u32,
    /// How many `Local(x)` entries are on the stack, per local.
    local_refs: Vec<u32>,
    /// Sum of `local_refs`.
    lazy_locals: u32,
    /// The most cells the stack has occupied, for the frame size.
    max_cells: u32,
}

impl OperandStack {
    pub fn reset(&mut self, num_locals: u32) {
        self.entries.clear();
        self.cells.clear();
        self.cell_height = 0;
        self.local_refs.clear();
        self.local_refs.resize(num_locals as usize, 0);
        self.lazy_locals = 0;
        self.max_cells = 0;
    }

    pub fn height(&self) -> u32 {
        self.entries.len() as u32
    }

    /// The most cells the temporaries have needed.
    pub fn max_cells(&self) -> u32 {
        self.max_cells
    }

    /// Pushes an entry `width` cells wide.
    pub fn push(&mut self, op: Operand, width: u32) {
        if let Operand::Local(x) = op {
            self.local_refs[x as usize] += 1;
            self.lazy_locals += 1;
        }
        self.entries.push(op);
        self.cells.push(self.cell_height);
        self.cell_height += width;
        self.max_cells = self.max_cells.max(self.cell_height);
    }

    /// Pops the top entry.
    ///
    /// Validation guarantees the stack is not empty when an operator pops.
    pub fn pop(&mut self) -> Operand {
        let op = self.entries.pop().expect("validated: operand stack underflow");
        self.cell_height = self.cells.pop().expect("one cell start per entry");
        self.forget(op);
        op
    }

    /// The first cell of the temporary of the entry at `depth`, counted from
    /// the first temporary; at `depth == height()`, where the next entry's
    /// temporary would start.
    pub fn cell(&self, depth: u32) -> u32 {
        match self.cells.get(depth as usize) {
            Some(&cell) => cell,
            None => self.cell_height,
        }
    }

    /// The width in cells of the entry at `depth`.
    pub fn width(&self, depth: u32) -> u32 {
        self.cell(depth + 1) - self.cell(depth)
    }

    fn forget(&mut self, op: Operand) {
        if let Operand::Local(x) = op {
            self.local_refs[x as usize] -= 1;
            self.lazy_locals -= 1;
        }
    }

    /// The entry `n` below the top (0 is the top).
    pub fn peek(&self, n: u32) -> Operand {
        self.entries[self.entries.len() - 1 - n as usize]
    }

    pub fn get(&self, depth: u32) -> Operand {
        self.entries[depth as usize]
    }

    /// Replaces the entry at `depth`, keeping the reference counts right.
    pub fn set(&mut self, depth: u32, op: Operand) {
        let old = self.entries[depth as usize];
        self.forget(old);
        if let Operand::Local(x) = op {
            self.local_refs[x as usize] += 1;
            self.lazy_locals += 1;
        }
        self.entries[depth as usize] = op;
    }

    /// Drops entries above `height`.
    pub fn truncate(&mut self, height: u32) {
        while self.height() > height {
            self.pop();
        }
    }

    /// Whether any entry still refers to local `x`.
    pub fn refers_to_local(&self, x: u32) -> bool {
        self.local_refs[x as usize] > 0
    }

    /// Whether any entry refers to any local.
    pub fn has_lazy_locals(&self) -> bool {
        self.lazy_locals > 0
    }

    /// Depths of entries referring to local `x` (all of them when `x` is
    /// `None`), searching from the top and stopping once all are found.
    pub fn lazy_local_depths(&self, x: Option<u32>) -> Vec<(u32, u32)> {
        let mut remaining = match x {
            Some(x) => self.local_refs[x as usize],
            None => self.lazy_locals,
        };
        let mut out = Vec::new();
        for (depth, op) in self.entries.iter().enumerate().rev() {
            if remaining == 0 {
                break;
            }
            if let Operand::Local(l) = *op
                && x.is_none_or(|x| x == l)
            {
                out.push((depth as u32, l));
                remaining -= 1;
            }
        }
        out
    }
}

/// The slot of the temporary `cell` cells above the first one, in a frame whose
/// locals take `local_cells` cells.
///
/// Slots above `u16::MAX` wrap here; the translator rejects such functions
/// before their code is used.
pub(super) fn temp_slot(local_cells: u32, cell: u32) -> Slot {
    Slot((local_cells + cell) as u16)
}

//! [`CompiledFunc`]: one function's translated code and what the executor needs
//! to run it (frame layout, source offsets for backtraces, trace points).

use super::{Instr, Slot};

/// A function body after translation.
#[derive(Debug)]
pub(crate) struct CompiledFunc {
    /// Index in the module's function index space.
    pub index: u32,
    pub code: Box<[Instr]>,
    /// The cells the parameters take (a `v128` takes two, other values one).
    pub num_params: u32,
    /// The cells of the declared locals (excluding parameters); zeroed on entry.
    pub num_locals: u32,
    /// The cells the results take; they are returned in slots `0..num_results`.
    pub num_results: u32,
    /// Slots the frame needs: parameters, locals and temporaries.
    pub frame_size: u32,
    /// The `v128` constants and shuffle lane indices the code refers to by
    /// index (`V128Const`, `I8x16Shuffle`); empty without SIMD.
    pub consts: Box<[crate::V128]>,
    /// `(instruction index, byte offset in the module)` for every instruction that
    /// can trap or call, sorted by instruction index.
    pub offsets: Box<[(u32, u32)]>,
    /// With `Config::trace_execution`: the operator each `Instr::Trace` reports.
    pub trace: Box<[TracePoint]>,
    /// The catch clauses of the function's `try_table`s, innermost first and
    /// in clause order within one `try_table`: an exception raised at an
    /// instruction goes to the first handler that covers it and matches.
    pub handlers: Box<[Handler]>,
}

/// One catch clause of a `try_table`, as the executor looks it up when an
/// exception unwinds into the function.
#[derive(Debug, Copy, Clone, PartialEq, Eq)]
pub(crate) struct Handler {
    /// The instructions `start..end` it covers (the `try_table`'s body).
    pub start: u32,
    pub end: u32,
    /// The module's tag it catches, or [`Handler::CATCH_ALL`].
    pub tag: u32,
    /// Whether the exception reference is passed too (`catch_ref`,
    /// `catch_all_ref`), after the payload.
    pub with_ref: bool,
    /// Where the payload (then the reference) is written: the branch target's
    /// slots.
    pub dst: Slot,
    /// The instruction control continues at: the branch target.
    pub target: u32,
}

impl Handler {
    /// The `tag` of `catch_all` and `catch_all_ref` clauses.
    pub const CATCH_ALL: u32 = u32::MAX;

    /// Whether the handler covers instruction `pc`.
    #[inline]
    pub fn covers(&self, pc: u32) -> bool {
        self.start <= pc && pc < self.end
    }
}

/// A wasm operator as reported by execution tracing.
#[derive(Debug)]
pub(crate) struct TracePoint {
    /// Byte offset of the operator in the module.
    pub offset: u32,
    /// The operator in text-format style, e.g. `i32.add` or `local.get 0`.
    pub operator: Box<str>,
}

impl CompiledFunc {
    /// The module byte offset of the instruction at `pc`.
    pub fn source_offset(&self, pc: usize) -> Option<usize> {
        let pc = u32::try_from(pc).ok()?;
        let i = match self.offsets.binary_search_by_key(&pc, |&(p, _)| p) {
            Ok(i) => i,
            Err(0) => return None,
            Err(i) => i - 1,
        };
        Some(self.offsets[i].1 as usize)
    }
}

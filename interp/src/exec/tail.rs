//! Tail calls' frame replacement, kept out of the interpreter loop's line.
//!
//! A tail call (`return_call`, `return_call_indirect`) runs its callee in the
//! frame of the function that makes it: the arguments move from the call's
//! base slot down to slot 0, where the caller of the replaced function expects
//! the results, so neither the frame stack nor the value stack grows. The
//! loop ([`super::run`]) only updates its registers from what [`prepare`]
//! returns; the work lives in these functions, which are never inlined, so
//! that tail calls add no code to the loop's hot paths (ordinary calls and
//! returns are untouched).

use crate::ir::CompiledFunc;
use crate::runtime::{FuncEntity, StoreInner};

/// A tail call with its frame prepared.
pub(super) enum TailCall {
    /// Run this wasm function (of this instance) from the start of its code.
    Wasm(*const CompiledFunc, u32),
    /// Call this host function with its `len` cells at the start of the frame.
    Host(u32, usize),
    /// The callee's frame does not fit in the value stack.
    Exhausted,
}

/// Prepares the tail call of store function `func` made from the frame at
/// `frame`, whose arguments start at `args` (see [`prepare_wasm`]).
///
/// # Safety
///
/// As for [`prepare_wasm`]; for a host callee, its parameter and result cells
/// from `args` lie within the frame (the translator sizes frames for them).
#[inline(never)]
pub(super) unsafe fn prepare(
    store: &StoreInner,
    func: u32,
    frame: *mut u64,
    args: *mut u64,
    stack_end: *mut u64,
) -> TailCall {
    match &store.funcs[func as usize] {
        FuncEntity::Wasm { instance, module, code, .. } => {
            let callee: &CompiledFunc = &module.code[*code as usize];
            // SAFETY: the caller's guarantees.
            match unsafe { prepare_wasm(callee, frame, args, stack_end) } {
                true => TailCall::Wasm(callee, instance.0),
                false => TailCall::Exhausted,
            }
        }
        FuncEntity::Host { host, cells, .. } => {
            let len = *cells as usize;
            // SAFETY: both ranges lie within the frame (the caller's
            // guarantee, and `frame <= args`); `copy` allows overlap.
            unsafe { std::ptr::copy(args, frame, len) };
            TailCall::Host(*host, len)
        }
    }
}

/// Replaces the frame at `frame` by `callee`'s: moves its arguments from
/// `args` to the start of the frame and zeroes its declared locals. Returns
/// `false` (and changes nothing) if the callee's frame does not fit below
/// `stack_end`.
///
/// # Safety
///
/// `frame <= args`, the arguments from `args` lie within the running
/// function's frame, which starts at `frame` and lies below `stack_end`.
#[inline(never)]
pub(super) unsafe fn prepare_wasm(
    callee: &CompiledFunc,
    frame: *mut u64,
    args: *mut u64,
    stack_end: *mut u64,
) -> bool {
    let room = (stack_end as usize - frame as usize) / 8;
    if room < callee.frame_size as usize {
        return false;
    }
    let params = callee.num_params as usize;
    // SAFETY: the arguments lie within the current frame (the caller's
    // guarantee) and the new frame within the stack (checked above); `copy`
    // allows overlap.
    unsafe {
        std::ptr::copy(args, frame, params);
        std::ptr::write_bytes(frame.add(params), 0, callee.num_locals as usize);
    }
    true
}

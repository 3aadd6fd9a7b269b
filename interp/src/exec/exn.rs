//! Exceptions in the executor: allocating a thrown exception and unwinding
//! to its handler, kept out of the interpreter loop's line.
//!
//! Unwinding walks the explicit frame stack from the throw site outwards and
//! looks each frame's instruction up in its function's handler table (built
//! by the translator, see [`crate::ir::Handler`]): no code is scanned, nothing
//! recurses, and the work is proportional to the frames unwound. Only when a
//! handler is found are the frames above it dropped; an exception that no
//! frame catches leaves the frames intact, so the error it becomes carries the
//! backtrace of its throw site. Traps never come here: they are not
//! exceptions and no handler sees them.

use super::{CallFrame, Regs};
use crate::error::Error;
use crate::ir::{CompiledFunc, Handler, Instr};
use crate::runtime::StoreInner;

/// Allocates the exception a `throw` of the module's tag `tag` in instance
/// `instance` raises, with its payload read from `payload`.
///
/// # Safety
///
/// `payload` points to as many readable cells as the tag has parameters.
#[cold]
#[inline(never)]
pub(super) unsafe fn throw_new(
    store: &mut StoreInner,
    instance: u32,
    tag: u32,
    payload: *const u64,
) -> u32 {
    let tag = store.instances[instance as usize].tags[tag as usize];
    let n = store.tags[tag as usize].params as usize;
    // SAFETY: the caller's guarantee.
    let payload = unsafe { std::slice::from_raw_parts(payload, n) };
    store.alloc_exn(tag, payload)
}

/// The index of the instruction `ip` points to in `func`'s code.
fn pc(func: &CompiledFunc, ip: *const Instr) -> u32 {
    ((ip as usize - func.code.as_ptr() as usize) / std::mem::size_of::<Instr>()) as u32
}

/// Unwinds exception `exn` thrown at the instruction `regs.ip` points to:
/// finds the innermost handler that catches it, drops the frames above that
/// handler's, writes the payload (and reference) where the handler wants
/// them and points `regs` at the handler's target.
///
/// # Errors
///
/// The [`Exception`](crate::Exception) error, with the throw site's
/// backtrace, when no frame of this stack catches it.
#[cold]
#[inline(never)]
pub(super) fn unwind(
    store: &mut StoreInner,
    frames: &mut Vec<CallFrame>,
    regs: &mut Regs,
    exn: u32,
) -> Result<(), Error> {
    let tag = store.exns[exn as usize].tag;
    let found = (0..=frames.len()).find_map(|depth| {
        let (func, site, instance) = match depth {
            0 => (regs.func, regs.ip, regs.instance),
            // A caller's saved ip is the instruction after its call.
            _ => {
                let f = &frames[frames.len() - depth];
                (f.func, f.ip.wrapping_sub(1), f.instance)
            }
        };
        // SAFETY: `func` points to a compiled function of a module kept alive
        // by the store's instances, and `site` into its code.
        let func = unsafe { &*func };
        let pc = pc(func, site);
        let tags = &store.instances[instance as usize].tags;
        let catches = |h: &&Handler| {
            h.covers(pc) && (h.tag == Handler::CATCH_ALL || tags[h.tag as usize] == tag)
        };
        func.handlers.iter().find(catches).map(|h| (depth, *h))
    });
    let Some((depth, handler)) = found else {
        let (trace, omitted) = super::backtrace(store, frames, regs);
        return Err(store.exception_error(exn, trace, omitted));
    };
    if depth > 0 {
        let f = frames[frames.len() - depth];
        frames.truncate(frames.len() - depth);
        *regs = Regs { ip: f.ip, sp: f.sp, func: f.func, instance: f.instance };
    }
    // SAFETY: as above; the handler's target is an instruction of the code
    // (translation; the verifier checks handler tables).
    let func = unsafe { &*regs.func };
    regs.ip = func.code[handler.target as usize..].as_ptr();
    let entity = &mut store.exns[exn as usize];
    let n = if handler.tag == Handler::CATCH_ALL { 0 } else { entity.payload.len() };
    let dst = regs.sp.wrapping_add(handler.dst.index());
    // SAFETY: the handler's slots (payload, then reference) lie within the
    // frame (translation; the verifier checks them against the frame size),
    // and the frame lies within the stack.
    unsafe { std::ptr::copy_nonoverlapping(entity.payload.as_ptr(), dst, n) };
    if handler.with_ref {
        entity.escaped = true;
        // SAFETY: as for the payload.
        unsafe { *dst.add(n) = u64::from(exn) + 1 };
    } else {
        store.consume_exn(exn);
    }
    Ok(())
}

/// Continues the unwinding of an exception a host function raised (or let
/// through from wasm it called) at the call instruction `regs.ip` points to.
/// Any other error is returned as it is.
///
/// # Errors
///
/// `err` if it is not an exception of this store; the exception, with the
/// frames it has now unwound added to its backtrace, if no frame catches it.
#[cold]
#[inline(never)]
pub(super) fn unwind_host_error(
    store: &mut StoreInner,
    frames: &mut Vec<CallFrame>,
    regs: &mut Regs,
    err: Error,
) -> Result<(), Error> {
    let Some(exception) = err.as_exception() else {
        return Err(err);
    };
    let exn = exception.exn();
    if exn.store_id() != store.id {
        return Err(Error::usage("a host function threw an exception of another store"));
    }
    match unwind(store, frames, regs, exn.index()) {
        Ok(()) => Ok(()),
        Err(outer) => {
            let outer = outer.as_exception().expect("unwind fails only with an exception");
            let unwound = exception.unwound_through(outer.trace().to_vec(), outer.omitted());
            Err(Error::from_kind(crate::ErrorKind::Exception(Box::new(unwound))))
        }
    }
}

//! Execution: runs translated code ([`crate::ir`]) against a store.
//!
//! [`invoke`] is the only way in: it takes a value stack from the store's pool,
//! copies the arguments onto it and drives [`run::run`], the interpreter loop.
//! Wasm-to-wasm calls push a [`CallFrame`] onto an explicit frame stack instead of
//! recursing, so deep recursion ends in a "call stack exhausted" trap at the
//! configured limits; a tail call replaces the running frame instead of pushing
//! one. The loop returns to [`invoke`] for host calls (which need
//! the whole store, typed by its data) and resumes afterwards; a host function
//! calling back into wasm re-enters [`invoke`] with a fresh stack, which is the
//! only native recursion, bounded by `Config::max_host_reentrancy`.

mod bulk;
mod exn;
mod fused;
mod memory;
mod numeric;
mod run;
pub(crate) mod simd;
mod simd_run;
mod tail;

use crate::error::Error;
use crate::ir::{CompiledFunc, Instr};
use crate::runtime::{FuncEntity, InstanceIdx, StoreCtx, StoreInner};
use crate::trap::{BACKTRACE_INNER, BACKTRACE_OUTER, FrameInfo, Trap, TrapCode};

/// One value stack and its call frames, reused across calls.
pub(crate) struct Stack {
    cells: Vec<u64>,
    frames: Vec<CallFrame>,
}

impl Stack {
    fn new(cells: usize) -> Stack {
        // Zeroed allocations this large come straight from the OS and are
        // committed only as the stack is used.
        Stack { cells: vec![0u64; cells], frames: Vec::new() }
    }
}

/// A suspended caller: where to resume when the callee returns.
#[derive(Copy, Clone)]
struct CallFrame {
    /// The caller's next instruction.
    ip: *const Instr,
    /// The caller's frame base.
    sp: *mut u64,
    func: *const CompiledFunc,
    instance: u32,
}

/// The interpreter's registers, saved while the loop is not running.
#[derive(Copy, Clone)]
struct Regs {
    ip: *const Instr,
    sp: *mut u64,
    func: *const CompiledFunc,
    instance: u32,
}

/// Why the interpreter loop stopped.
enum Exit {
    /// The outermost function returned.
    Return,
    /// Execution trapped at `regs.ip`.
    Trap(TrapCode),
    /// A host function must be called with its arguments at `base`; the loop
    /// resumes at `regs.ip` afterwards.
    Host { host: u32, base: *mut u64, len: usize },
    /// A function of `instance` tail-called a host function. Its frame is
    /// gone: the host function's results go to `base`, where that function's
    /// caller expects them, and the loop resumes at `regs`, the caller, or,
    /// when `last` (the outermost function made the tail call), execution
    /// returns them.
    TailHost { host: u32, base: *mut u64, len: usize, instance: u32, last: bool },
    /// A memory grew: the loop resumes at `regs.ip` with its cache of memory 0
    /// reloaded. (Reloading in place would cost the hot instructions
    /// registers.)
    Reload,
    /// Exception `.0` (a store index) was thrown at `regs.ip`.
    Throw(u32),
}

/// Calls store function `func`; `cells` holds the arguments on entry and the
/// results on return (its length is the larger of the two counts).
pub(crate) fn invoke(ctx: &mut dyn StoreCtx, func: u32, cells: &mut [u64]) -> Result<(), Error> {
    let store = ctx.inner();
    let (instance, module, code) = match &store.funcs[func as usize] {
        FuncEntity::Host { host, .. } => {
            let host = *host;
            return ctx.call_host(host, None, cells);
        }
        FuncEntity::Wasm { instance, module, code, .. } => (*instance, module.clone(), *code),
    };
    let config = store.engine.config().clone();
    if store.reentrancy >= config.max_host_reentrancy {
        return Err(Trap::new(TrapCode::StackOverflow).into());
    }
    let mut stack = store.stacks.pop().unwrap_or_else(|| Stack::new(config.max_stack_cells));
    store.reentrancy += 1;
    let result = execute(ctx, &mut stack, instance, &module.code[code as usize], cells, &config);
    let store = ctx.inner();
    store.reentrancy -= 1;
    stack.frames.clear();
    store.stacks.push(stack);
    result
}

fn execute(
    ctx: &mut dyn StoreCtx,
    stack: &mut Stack,
    instance: InstanceIdx,
    func: &CompiledFunc,
    cells: &mut [u64],
    config: &crate::Config,
) -> Result<(), Error> {
    if func.frame_size as usize > stack.cells.len() {
        return Err(Trap::new(TrapCode::StackOverflow).into());
    }
    let params = func.num_params as usize;
    stack.cells[..params].copy_from_slice(&cells[..params]);
    stack.cells[params..params + func.num_locals as usize].fill(0);
    let mut regs =
        Regs { ip: func.code.as_ptr(), sp: stack.cells.as_mut_ptr(), func, instance: instance.0 };
    let limits = run::Limits {
        max_frames: config.max_call_depth,
        stack_end: stack.cells.as_mut_ptr_range().end,
    };
    loop {
        let exit = run::run(ctx.inner(), &mut stack.frames, &mut regs, &limits);
        match exit {
            Exit::Return => {
                let results = func.num_results as usize;
                cells[..results].copy_from_slice(&stack.cells[..results]);
                return Ok(());
            }
            Exit::Trap(code) => {
                let (trace, omitted) = backtrace(ctx.inner(), &stack.frames, &regs);
                return Err(Trap::with_trace(code, trace, omitted).into());
            }
            Exit::Reload => {}
            Exit::Throw(exn) => exn::unwind(ctx.inner(), &mut stack.frames, &mut regs, exn)?,
            Exit::Host { host, base, len } => {
                // SAFETY: `base..base+len` lies within the caller's frame, which
                // the translator sized to hold the host function's parameters
                // and results; the loop is suspended, so nothing else accesses
                // the stack until it resumes.
                let args = unsafe { std::slice::from_raw_parts_mut(base, len) };
                if let Err(err) = ctx.call_host(host, Some(InstanceIdx(regs.instance)), args) {
                    if err.as_exception().is_none() {
                        return Err(with_backtrace(ctx.inner(), &stack.frames, &regs, err));
                    }
                    // Unwind from the call: the saved ip is the instruction after it.
                    regs.ip = regs.ip.wrapping_sub(1);
                    exn::unwind_host_error(ctx.inner(), &mut stack.frames, &mut regs, err)?;
                }
            }
            Exit::TailHost { host, base, len, instance, last } => {
                // SAFETY: as for `Exit::Host`: `base..base+len` is the start of
                // the frame the tail call replaced, which the translator sized
                // to hold the host function's parameters and results.
                let args = unsafe { std::slice::from_raw_parts_mut(base, len) };
                let result = ctx.call_host(host, Some(InstanceIdx(instance)), args);
                match result {
                    // No wasm frame is left: the trap has no wasm backtrace.
                    Err(err) if last => return Err(err),
                    Err(err) if err.as_exception().is_some() => {
                        // The caller resumes after its call instruction.
                        regs.ip = regs.ip.wrapping_sub(1);
                        exn::unwind_host_error(ctx.inner(), &mut stack.frames, &mut regs, err)?;
                    }
                    Err(err) => return Err(with_backtrace(ctx.inner(), &stack.frames, &regs, err)),
                    Ok(()) if last => {
                        let results = func.num_results as usize;
                        cells[..results].copy_from_slice(&stack.cells[..results]);
                        return Ok(());
                    }
                    Ok(()) => {}
                }
            }
        }
    }
}

/// Adds the wasm backtrace to a trap raised by a host function.
#[cold]
fn with_backtrace(store: &StoreInner, frames: &[CallFrame], regs: &Regs, err: Error) -> Error {
    match err.as_trap() {
        Some(trap) if trap.trace().is_empty() => {
            // The saved ip is the instruction after the host call, as for
            // the outer frames.
            let at_call = Regs { ip: regs.ip.wrapping_sub(1), ..*regs };
            let (trace, omitted) = backtrace(store, frames, &at_call);
            Trap::with_trace(trap.code(), trace, omitted).into()
        }
        _ => err,
    }
}

/// The wasm frames active at `regs`, innermost first, and how many frames in
/// the middle of a very deep stack were left out.
#[cold]
fn backtrace(store: &StoreInner, frames: &[CallFrame], regs: &Regs) -> (Vec<FrameInfo>, usize) {
    let frame_info = |func: *const CompiledFunc, ip: *const Instr, instance: u32| {
        // SAFETY: `func` points to a compiled function of a module kept alive by
        // the store's instances, and `ip` into its code.
        let func = unsafe { &*func };
        let pc = (ip as usize - func.code.as_ptr() as usize) / std::mem::size_of::<Instr>();
        let module = &store.instances[instance as usize].module;
        FrameInfo {
            func_index: func.index,
            func_name: module.func_names.get(&func.index).cloned(),
            module_name: module.name.clone(),
            offset: func.source_offset(pc),
        }
    };
    let total = frames.len() + 1;
    let omitted = total.saturating_sub(BACKTRACE_INNER + BACKTRACE_OUTER);
    let mut trace = vec![frame_info(regs.func, regs.ip, regs.instance)];
    for (depth, frame) in frames.iter().rev().enumerate() {
        let depth = depth + 1;
        if omitted > 0 && (BACKTRACE_INNER..BACKTRACE_INNER + omitted).contains(&depth) {
            continue;
        }
        // The saved ip is the instruction after the call.
        trace.push(frame_info(frame.func, frame.ip.wrapping_sub(1), frame.instance));
    }
    (trace, omitted)
}

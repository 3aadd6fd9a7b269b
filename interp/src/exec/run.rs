//! The interpreter loop: `loop { match *ip { ... } }` over [`Instr`].
//! SIMD instructions' arms call into [`super::simd_run`], which owns how a
//! `v128` is read from and written to its two frame cells.
//!
//! Registers live in local variables: `ip` (next instruction), `fr` (the frame
//! base), the current function and instance, and a [`Cache`] of the current
//! instance's memory and index maps. The cache is reloaded whenever the instance
//! changes or memory may have moved (after `memory.grow` and bulk memory
//! operations, or, for `memory.grow` of any memory, by leaving the loop and
//! starting it afresh: [`super::Exit::Reload`]); host calls leave the loop
//! entirely (see [`super::Exit::Host`]).
//!
//! Soundness rests on invariants established before code runs:
//! - validation + translation: every slot an instruction names is below its
//!   function's `frame_size`, every branch lands on an instruction of the
//!   function's code, code never runs off its end (every path ends in a
//!   return, branch or trap), data words follow the instructions that read
//!   them, and every index (function, global, table, segment) exists. The IR
//!   verifier (`ir::verify`) checks all of this for every function when
//!   `Config::verify_translation` is on (debug builds, the fuzzers);
//! - calls: a frame is entered only after checking that `frame_size` cells fit
//!   between its base and the end of the stack allocation;
//! - the store's arenas (`globals`, `funcs`, `instances`, instance index maps,
//!   module code) are not resized or freed while the loop runs: the loop is the
//!   only user of the store until it returns.

use super::exn;
use super::fused::*;
use super::numeric::*;
use super::simd_run::*;
use super::tail::{self, TailCall};
use super::{CallFrame, Exit, Regs};
use super::{bulk, memory};
use crate::ir::{CompiledFunc, Instr, Slot};
use crate::runtime::{FuncEntity, StoreInner};
use crate::trap::TrapCode;

pub(super) struct Limits {
    pub max_frames: usize,
    /// One past the last cell of the value stack.
    pub stack_end: *mut u64,
}

/// The current frame: a base pointer into the value stack.
#[derive(Copy, Clone)]
pub(super) struct Frame(*mut u64);

impl Frame {
    #[inline(always)]
    pub(super) fn get(self, s: Slot) -> u64 {
        // SAFETY: slots are below the running function's frame size
        // (translation) and the frame lies within the stack (call check).
        unsafe { *self.0.add(s.index()) }
    }

    #[inline(always)]
    pub(super) fn set(self, s: Slot, v: u64) {
        // SAFETY: as for `get`.
        unsafe { *self.0.add(s.index()) = v }
    }

    #[inline(always)]
    pub(super) fn at(self, s: Slot) -> *mut u64 {
        self.0.wrapping_add(s.index())
    }

    #[inline(always)]
    pub(super) fn u32(self, s: Slot) -> u32 {
        self.get(s) as u32
    }

    #[inline(always)]
    fn i32(self, s: Slot) -> i32 {
        self.get(s) as u32 as i32
    }

    #[inline(always)]
    fn i64(self, s: Slot) -> i64 {
        self.get(s) as i64
    }

    #[inline(always)]
    fn f32(self, s: Slot) -> f32 {
        f32::from_bits(self.get(s) as u32)
    }

    #[inline(always)]
    fn f64(self, s: Slot) -> f64 {
        f64::from_bits(self.get(s))
    }

    #[inline(always)]
    fn set_i32(self, s: Slot, v: i32) {
        self.set(s, v as u32 as u64)
    }

    #[inline(always)]
    pub(super) fn set_u32(self, s: Slot, v: u32) {
        self.set(s, u64::from(v))
    }

    #[inline(always)]
    fn set_i64(self, s: Slot, v: i64) {
        self.set(s, v as u64)
    }

    #[inline(always)]
    fn set_bool(self, s: Slot, v: bool) {
        self.set(s, u64::from(v))
    }

    #[inline(always)]
    fn set_f32(self, s: Slot, v: f32) {
        self.set(s, u64::from(v.to_bits()))
    }

    #[inline(always)]
    fn set_f64(self, s: Slot, v: f64) {
        self.set(s, v.to_bits())
    }

    /// The 128-bit value in slots `s` (low half) and `s + 1` (high half).
    #[inline(always)]
    fn u128(self, s: Slot) -> u128 {
        // SAFETY: as for `get`: both slots of a 128-bit operand are below the
        // frame size (translation; the verifier checks the span).
        let (lo, hi) = unsafe { (*self.0.add(s.index()), *self.0.add(s.index() + 1)) };
        u128::from(lo) | (u128::from(hi) << 64)
    }

    #[inline(always)]
    fn set_u128(self, s: Slot, v: u128) {
        // SAFETY: as for `u128`.
        unsafe {
            *self.0.add(s.index()) = v as u64;
            *self.0.add(s.index() + 1) = (v >> 64) as u64;
        }
    }
}

/// What the loop caches about the current instance.
pub(super) struct Cache {
    /// Memory 0's bytes (dangling with `mem_len == 0` if there is none).
    mem: *mut u8,
    mem_len: usize,
    /// Store index of memory 0, or `u32::MAX`.
    mem_index: u32,
    /// Store indices of the instance's functions, tables and globals.
    funcs: *const u32,
    tables: *const u32,
    globals: *const u32,
    /// The instance's module code, indexed by defined-function index.
    code: *const CompiledFunc,
}

impl Cache {
    fn new(store: &mut StoreInner, instance: u32) -> Cache {
        let inst = &store.instances[instance as usize];
        let mem_index = inst.memories.first().copied().unwrap_or(u32::MAX);
        let (funcs, tables, globals, code) = (
            inst.funcs.as_ptr(),
            inst.tables.as_ptr(),
            inst.globals.as_ptr(),
            inst.module.code.as_ptr(),
        );
        let (mem, mem_len) = match store.memories.get_mut(mem_index as usize) {
            Some(m) => (m.data.as_mut_ptr(), m.data.len()),
            None => (std::ptr::NonNull::dangling().as_ptr(), 0),
        };
        Cache { mem, mem_len, mem_index, funcs, tables, globals, code }
    }

    #[inline(always)]
    fn func(&self, index: u32) -> u32 {
        // SAFETY: validation bounds `index` by the instance's function count.
        unsafe { *self.funcs.add(index as usize) }
    }

    #[inline(always)]
    fn table(&self, index: u32) -> u32 {
        // SAFETY: validation bounds `index` by the instance's table count.
        unsafe { *self.tables.add(index as usize) }
    }

    #[inline(always)]
    fn global(&self, index: u32) -> usize {
        // SAFETY: validation bounds `index` by the instance's global count.
        unsafe { *self.globals.add(index as usize) as usize }
    }

    /// The effective address of an `N`-byte access, if it is in bounds.
    #[inline(always)]
    fn addr<const N: usize>(&self, addr: u32, offset: u32) -> Result<usize, TrapCode> {
        let ea = u64::from(addr) + u64::from(offset);
        if ea + N as u64 > self.mem_len as u64 {
            return Err(TrapCode::MemoryOutOfBounds);
        }
        Ok(ea as usize)
    }

    #[inline(always)]
    pub(super) fn load<const N: usize>(&self, addr: u32, offset: u32) -> Result<[u8; N], TrapCode> {
        let ea = self.addr::<N>(addr, offset)?;
        // SAFETY: `ea + N <= mem_len`, the length of the buffer `mem` points to.
        Ok(unsafe { std::ptr::read_unaligned(self.mem.add(ea) as *const [u8; N]) })
    }

    #[inline(always)]
    pub(super) fn store<const N: usize>(
        &self,
        addr: u32,
        offset: u32,
        v: [u8; N],
    ) -> Result<(), TrapCode> {
        let ea = self.addr::<N>(addr, offset)?;
        // SAFETY: `ea + N <= mem_len`, the length of the buffer `mem` points to.
        unsafe { std::ptr::write_unaligned(self.mem.add(ea) as *mut [u8; N], v) };
        Ok(())
    }
}

/// Where a call goes.
enum Target {
    Wasm(*const CompiledFunc, u32),
    Host(u32, usize),
}

/// The store function a `call_indirect` through store table `table` calls,
/// after the checks the spec makes.
#[inline(always)]
fn indirect_callee(store: &StoreInner, table: u32, index: u32, sig: u32) -> Result<u32, TrapCode> {
    let elements = &store.tables[table as usize].elements;
    let Some(&cell) = elements.get(index as usize) else {
        return Err(TrapCode::UndefinedElement);
    };
    if cell == 0 {
        return Err(TrapCode::UninitializedElement);
    }
    let f = (cell - 1) as u32;
    if store.funcs[f as usize].type_id() != sig {
        return Err(TrapCode::IndirectCallTypeMismatch);
    }
    Ok(f)
}

fn resolve(store: &StoreInner, func: u32) -> Target {
    match &store.funcs[func as usize] {
        FuncEntity::Wasm { instance, module, code, .. } => {
            Target::Wasm(&module.code[*code as usize], instance.0)
        }
        FuncEntity::Host { host, cells, .. } => Target::Host(*host, *cells as usize),
    }
}

/// Runs until the outermost function returns, a trap, or a host call.
pub(super) fn run(
    store: &mut StoreInner,
    frames: &mut Vec<CallFrame>,
    regs: &mut Regs,
    limits: &Limits,
) -> Exit {
    let mut ip = regs.ip;
    let mut fr = Frame(regs.sp);
    let mut func = regs.func;
    let mut inst = regs.instance;
    let mut c = Cache::new(store, inst);
    let globals = store.globals.as_mut_ptr();
    let mut fuel = store.fuel;

    macro_rules! save {
        () => {{
            regs.ip = ip;
            regs.sp = fr.0;
            regs.func = func;
            regs.instance = inst;
            store.fuel = fuel;
        }};
    }
    macro_rules! trap {
        ($code:expr) => {{
            save!();
            return Exit::Trap($code);
        }};
    }
    macro_rules! tri {
        ($e:expr) => {
            match $e {
                Ok(v) => v,
                Err(code) => trap!(code),
            }
        };
    }
    macro_rules! jump {
        ($offset:expr) => {{
            ip = ip.wrapping_offset($offset as isize);
            continue;
        }};
    }
    // Enters a wasm function whose frame starts at slot `base` of this frame.
    macro_rules! call_wasm {
        ($callee:expr, $instance:expr, $base:expr) => {{
            // SAFETY: the pointer comes from a module kept alive by the store.
            let callee: &CompiledFunc = unsafe { &*$callee };
            let sp = fr.at($base);
            let room = (limits.stack_end as usize - sp as usize) / 8;
            if frames.len() >= limits.max_frames || room < callee.frame_size as usize {
                trap!(TrapCode::StackOverflow);
            }
            frames.push(CallFrame { ip: ip.wrapping_add(1), sp: fr.0, func, instance: inst });
            if callee.num_locals != 0 {
                // SAFETY: the frame fits (checked above); zero the declared locals.
                unsafe {
                    std::ptr::write_bytes(
                        sp.add(callee.num_params as usize),
                        0,
                        callee.num_locals as usize,
                    )
                };
            }
            fr = Frame(sp);
            ip = callee.code.as_ptr();
            func = callee;
            if $instance != inst {
                inst = $instance;
                c = Cache::new(store, inst);
            }
            continue;
        }};
    }
    // Replaces the running function's frame by the callee's (see `tail`); a
    // host callee is called once the frame is popped (see `Exit::TailHost`).
    macro_rules! tail_call {
        ($func:expr, $base:expr) => {{
            // SAFETY: the call's cells lie within the frame (translation).
            let prepared =
                unsafe { tail::prepare(store, $func, fr.0, fr.at($base), limits.stack_end) };
            match prepared {
                TailCall::Wasm(callee, instance) => {
                    // SAFETY: the pointer comes from a module kept alive by the store.
                    ip = unsafe { (*callee).code.as_ptr() };
                    func = callee;
                    if instance != inst {
                        inst = instance;
                        c = Cache::new(store, inst);
                    }
                    continue;
                }
                TailCall::Host(host, len) => {
                    let (base, instance) = (fr.0, inst);
                    let last = frames.is_empty();
                    if let Some(f) = frames.pop() {
                        (ip, fr, func, inst) = (f.ip, Frame(f.sp), f.func, f.instance);
                    }
                    save!();
                    return Exit::TailHost { host, base, len, instance, last };
                }
                TailCall::Exhausted => trap!(TrapCode::StackOverflow),
            }
        }};
    }
    macro_rules! call_func {
        ($func:expr, $base:expr) => {{
            match resolve(store, $func) {
                Target::Wasm(callee, instance) => call_wasm!(callee, instance, $base),
                Target::Host(host, len) => {
                    ip = ip.wrapping_add(1);
                    save!();
                    return Exit::Host { host, base: fr.at($base), len };
                }
            }
        }};
    }
    macro_rules! ret {
        () => {{
            match frames.pop() {
                None => {
                    save!();
                    return Exit::Return;
                }
                Some(f) => {
                    ip = f.ip;
                    fr = Frame(f.sp);
                    func = f.func;
                    if f.instance != inst {
                        inst = f.instance;
                        c = Cache::new(store, inst);
                    }
                    continue;
                }
            }
        }};
    }
    macro_rules! cmp_branch {
        ($cond:expr, $offset:expr) => {
            if $cond {
                jump!($offset)
            }
        };
    }

    loop {
        // SAFETY: `ip` points into the running function's code (see module docs).
        let instr: &Instr = unsafe { &*ip };
        use Instr::*;
        match *instr {
            // ---- control ----
            Trap { code } => trap!(code),
            Trace { op } => {
                let StoreInner { tracer, instances, .. } = &mut *store;
                if let Some(tracer) = tracer {
                    // SAFETY: `func` is the running function (see module docs).
                    let f = unsafe { &*func };
                    let point = &f.trace[op as usize];
                    let module = &instances[inst as usize].module;
                    tracer(&crate::TraceEvent {
                        func_index: f.index,
                        func_name: module.func_names.get(&f.index).map(String::as_str),
                        offset: point.offset as usize,
                        operator: &point.operator,
                    });
                }
            }
            ConsumeFuel { amount } => {
                let amount = u64::from(amount);
                if fuel < amount {
                    trap!(TrapCode::OutOfFuel);
                }
                fuel -= amount;
            }
            Br { offset } => jump!(offset),
            BrIfEqz { cond, offset } => cmp_branch!(fr.u32(cond) == 0, offset),
            BrIfNez { cond, offset } => cmp_branch!(fr.u32(cond) != 0, offset),
            BrIfI32Eq { lhs, rhs, offset } => cmp_branch!(fr.u32(lhs) == fr.u32(rhs), offset),
            BrIfI32Ne { lhs, rhs, offset } => cmp_branch!(fr.u32(lhs) != fr.u32(rhs), offset),
            BrIfI32LtS { lhs, rhs, offset } => cmp_branch!(fr.i32(lhs) < fr.i32(rhs), offset),
            BrIfI32LtU { lhs, rhs, offset } => cmp_branch!(fr.u32(lhs) < fr.u32(rhs), offset),
            BrIfI32LeS { lhs, rhs, offset } => cmp_branch!(fr.i32(lhs) <= fr.i32(rhs), offset),
            BrIfI32LeU { lhs, rhs, offset } => cmp_branch!(fr.u32(lhs) <= fr.u32(rhs), offset),
            BrIfI64Eq { lhs, rhs, offset } => cmp_branch!(fr.get(lhs) == fr.get(rhs), offset),
            BrIfI64Ne { lhs, rhs, offset } => cmp_branch!(fr.get(lhs) != fr.get(rhs), offset),
            BrIfI64LtS { lhs, rhs, offset } => cmp_branch!(fr.i64(lhs) < fr.i64(rhs), offset),
            BrIfI64LtU { lhs, rhs, offset } => cmp_branch!(fr.get(lhs) < fr.get(rhs), offset),
            BrIfI64LeS { lhs, rhs, offset } => cmp_branch!(fr.i64(lhs) <= fr.i64(rhs), offset),
            BrIfI64LeU { lhs, rhs, offset } => cmp_branch!(fr.get(lhs) <= fr.get(rhs), offset),
            BrIfI32EqImm { lhs, imm, offset } => cmp_branch!(fr.i32(lhs) == imm, offset),
            BrIfI32NeImm { lhs, imm, offset } => cmp_branch!(fr.i32(lhs) != imm, offset),
            BrIfI32LtSImm { lhs, imm, offset } => cmp_branch!(fr.i32(lhs) < imm, offset),
            BrIfI32LtUImm { lhs, imm, offset } => cmp_branch!(fr.u32(lhs) < imm as u32, offset),
            BrIfI32GtSImm { lhs, imm, offset } => cmp_branch!(fr.i32(lhs) > imm, offset),
            BrIfI32GtUImm { lhs, imm, offset } => cmp_branch!(fr.u32(lhs) > imm as u32, offset),
            BrIfI32LeSImm { lhs, imm, offset } => cmp_branch!(fr.i32(lhs) <= imm, offset),
            BrIfI32LeUImm { lhs, imm, offset } => cmp_branch!(fr.u32(lhs) <= imm as u32, offset),
            BrIfI32GeSImm { lhs, imm, offset } => cmp_branch!(fr.i32(lhs) >= imm, offset),
            BrIfI32GeUImm { lhs, imm, offset } => cmp_branch!(fr.u32(lhs) >= imm as u32, offset),
            BrIfI64EqImm { lhs, imm, offset } => cmp_branch!(fr.i64(lhs) == i64::from(imm), offset),
            BrIfI64NeImm { lhs, imm, offset } => cmp_branch!(fr.i64(lhs) != i64::from(imm), offset),
            BrIfI64LtSImm { lhs, imm, offset } => cmp_branch!(fr.i64(lhs) < imm.into(), offset),
            BrIfI64LtUImm { lhs, imm, offset } => {
                cmp_branch!(fr.get(lhs) < i64::from(imm) as u64, offset)
            }
            BrIfI64GtSImm { lhs, imm, offset } => cmp_branch!(fr.i64(lhs) > imm.into(), offset),
            BrIfI64GtUImm { lhs, imm, offset } => {
                cmp_branch!(fr.get(lhs) > i64::from(imm) as u64, offset)
            }
            BrIfI64LeSImm { lhs, imm, offset } => cmp_branch!(fr.i64(lhs) <= imm.into(), offset),
            BrIfI64LeUImm { lhs, imm, offset } => {
                cmp_branch!(fr.get(lhs) <= i64::from(imm) as u64, offset)
            }
            BrIfI64GeSImm { lhs, imm, offset } => cmp_branch!(fr.i64(lhs) >= imm.into(), offset),
            BrIfI64GeUImm { lhs, imm, offset } => {
                cmp_branch!(fr.get(lhs) >= i64::from(imm) as u64, offset)
            }
            StepBrIfNez { var, step, offset } => {
                let v = fr.step(var, step);
                cmp_branch!(v != 0, offset)
            }
            StepBrIfI32Ne { var, step, rhs, offset } => {
                let v = fr.step(var, step);
                cmp_branch!(v != fr.u32(rhs), offset)
            }
            StepBrIfI32LtU { var, step, rhs, offset } => {
                let v = fr.step(var, step);
                cmp_branch!(v < fr.u32(rhs), offset)
            }
            StepBrIfI32NeImm { var, step, limit, offset } => {
                let v = fr.step(var, step);
                cmp_branch!(v != i32::from(limit) as u32, offset)
            }
            AddBrIfI32Ne { var, step, rhs, offset } => {
                let v = fr.step_by(var, step);
                cmp_branch!(v != fr.u32(rhs), offset)
            }
            AddBrIfI32LtU { var, step, rhs, offset } => {
                let v = fr.step_by(var, step);
                cmp_branch!(v < fr.u32(rhs), offset)
            }
            BrTable { index, len } => {
                let i = fr.u32(index).min(len);
                jump!(1 + i as usize)
            }
            Return => ret!(),
            ReturnSlot { src } => {
                fr.set(Slot(0), fr.get(src));
                ret!()
            }
            ReturnSpan { src, len } => {
                // SAFETY: both ranges lie within the frame; `copy` allows overlap.
                unsafe { std::ptr::copy(fr.at(src), fr.0, len as usize) };
                ret!()
            }
            ReturnImm32 { value } => {
                fr.set_u32(Slot(0), value);
                ret!()
            }
            Call { base, func: f } => {
                // SAFETY: validation bounds `f` by the module's defined functions.
                let callee = unsafe { c.code.add(f as usize) };
                call_wasm!(callee, inst, base)
            }
            CallImported { base, func: f } => call_func!(c.func(f), base),
            CallIndirect { base, index, table, sig } => {
                let t = c.table(u32::from(table));
                call_func!(tri!(indirect_callee(store, t, fr.u32(index), sig)), base)
            }
            ReturnCall { base, func: f } => {
                // SAFETY: validation bounds `f` by the module's defined
                // functions; the arguments lie within the frame (translation).
                let callee = unsafe { &*c.code.add(f as usize) };
                if !unsafe { tail::prepare_wasm(callee, fr.0, fr.at(base), limits.stack_end) } {
                    trap!(TrapCode::StackOverflow);
                }
                ip = callee.code.as_ptr();
                func = callee;
                continue;
            }
            ReturnCallImported { base, func: f } => tail_call!(c.func(f), base),
            Throw { base, tag } => {
                // SAFETY: the payload lies within the frame (translation).
                let exn = unsafe { exn::throw_new(store, inst, tag, fr.at(base)) };
                save!();
                return Exit::Throw(exn);
            }
            ThrowRef { exn } => match fr.get(exn) {
                0 => trap!(TrapCode::NullReference),
                cell => {
                    save!();
                    return Exit::Throw((cell - 1) as u32);
                }
            },
            ReturnCallIndirect { base, index, table, sig } => {
                let t = c.table(u32::from(table));
                tail_call!(tri!(indirect_callee(store, t, fr.u32(index), sig)), base)
            }

            // ---- moves ----
            Copy { dst, src } => fr.set(dst, fr.get(src)),
            Copy2 { dst, src, dst2, src2 } => {
                fr.set(dst, fr.get(src));
                fr.set(dst2, fr.get(src2))
            }
            CopySpan { dst, src, len } => {
                // SAFETY: both ranges lie within the frame; `copy` allows overlap.
                unsafe { std::ptr::copy(fr.at(src), fr.at(dst), len as usize) }
            }
            Const32 { dst, value } => fr.set_u32(dst, value),
            Const64 { dst, lo, hi } => fr.set(dst, u64::from(lo) | (u64::from(hi) << 32)),
            Select { dst, cond, a, b } => {
                let v = if fr.u32(cond) != 0 { fr.get(a) } else { fr.get(b) };
                fr.set(dst, v)
            }
            SelectI32Eq { dst, lhs, rhs, a, b } => fr.select(dst, fr.u32(lhs) == fr.u32(rhs), a, b),
            SelectI32LtS { dst, lhs, rhs, a, b } => fr.select(dst, fr.i32(lhs) < fr.i32(rhs), a, b),
            SelectI32LtU { dst, lhs, rhs, a, b } => fr.select(dst, fr.u32(lhs) < fr.u32(rhs), a, b),
            SelectI64Eq { dst, lhs, rhs, a, b } => fr.select(dst, fr.get(lhs) == fr.get(rhs), a, b),
            SelectI64LtS { dst, lhs, rhs, a, b } => fr.select(dst, fr.i64(lhs) < fr.i64(rhs), a, b),
            SelectI64LtU { dst, lhs, rhs, a, b } => fr.select(dst, fr.get(lhs) < fr.get(rhs), a, b),
            GlobalGet { dst, global } => {
                // SAFETY: the index comes from the instance's global map.
                let value = unsafe { (*globals.add(c.global(global))).value };
                fr.set(dst, value)
            }
            GlobalSet { src, global } => {
                // SAFETY: as for `GlobalGet`.
                unsafe { (*globals.add(c.global(global))).value = fr.get(src) }
            }

            // ---- memory ----
            Load8S { dst, addr, offset } => {
                let b = tri!(c.load::<1>(fr.u32(addr), offset));
                fr.set_i64(dst, i64::from(b[0] as i8))
            }
            Load8U { dst, addr, offset } => {
                let b = tri!(c.load::<1>(fr.u32(addr), offset));
                fr.set(dst, u64::from(b[0]))
            }
            Load16S { dst, addr, offset } => {
                let b = tri!(c.load::<2>(fr.u32(addr), offset));
                fr.set_i64(dst, i64::from(i16::from_le_bytes(b)))
            }
            Load16U { dst, addr, offset } => {
                let b = tri!(c.load::<2>(fr.u32(addr), offset));
                fr.set(dst, u64::from(u16::from_le_bytes(b)))
            }
            Load32S { dst, addr, offset } => {
                let b = tri!(c.load::<4>(fr.u32(addr), offset));
                fr.set_i64(dst, i64::from(i32::from_le_bytes(b)))
            }
            Load32 { dst, addr, offset } => {
                let b = tri!(c.load::<4>(fr.u32(addr), offset));
                fr.set_u32(dst, u32::from_le_bytes(b))
            }
            Load64 { dst, addr, offset } => {
                let b = tri!(c.load::<8>(fr.u32(addr), offset));
                fr.set(dst, u64::from_le_bytes(b))
            }
            Store8 { addr, value, offset } => {
                tri!(c.store::<1>(fr.u32(addr), offset, [fr.get(value) as u8]))
            }
            Store16 { addr, value, offset } => {
                tri!(c.store(fr.u32(addr), offset, (fr.get(value) as u16).to_le_bytes()))
            }
            Store32 { addr, value, offset } => {
                tri!(c.store(fr.u32(addr), offset, fr.u32(value).to_le_bytes()))
            }
            Store64 { addr, value, offset } => {
                tri!(c.store(fr.u32(addr), offset, fr.get(value).to_le_bytes()))
            }
            Store8Imm { addr, value, offset } => {
                tri!(c.store::<1>(fr.u32(addr), offset, [value as u8]))
            }
            Store16Imm { addr, value, offset } => {
                tri!(c.store(fr.u32(addr), offset, (value as u16).to_le_bytes()))
            }
            Store32Imm { addr, value, offset } => {
                tri!(c.store(fr.u32(addr), offset, value.to_le_bytes()))
            }
            Store64Imm { addr, value, offset } => {
                tri!(c.store(fr.u32(addr), offset, i64::from(value).to_le_bytes()))
            }
            MemorySize { dst } => fr.set_u32(dst, (c.mem_len / crate::PAGE_SIZE as usize) as u32),
            MemoryGrow { dst, delta } => {
                let old = bulk::memory_grow(store, c.mem_index, fr.u32(delta));
                c = Cache::new(store, inst);
                fr.set_u32(dst, old)
            }
            MemoryFill { dst, value, len } => {
                let r = bulk::memory_fill(
                    store,
                    c.mem_index,
                    fr.u32(dst),
                    fr.get(value) as u8,
                    fr.u32(len),
                );
                c = Cache::new(store, inst);
                tri!(r)
            }
            MemoryCopy { dst, src, len } => {
                let r =
                    bulk::memory_copy(store, c.mem_index, fr.u32(dst), fr.u32(src), fr.u32(len));
                c = Cache::new(store, inst);
                tri!(r)
            }
            MemoryInit { dst, src, len, data } => {
                let (d, s, n) = (fr.u32(dst), fr.u32(src), fr.u32(len));
                let r = bulk::memory_init(store, inst, c.mem_index, data, d, s, n);
                c = Cache::new(store, inst);
                tri!(r)
            }
            DataDrop { data } => bulk::data_drop(store, inst, data),

            // ---- memory 0, address arithmetic fused in (helpers in exec/fused.rs) ----
            Load8SSum { dst, lhs, rhs, offset } => {
                fr.set(dst, cell_s8(tri!(c.load(fr.sum(lhs, rhs), offset))))
            }
            Load8USum { dst, lhs, rhs, offset } => {
                fr.set(dst, cell_u8(tri!(c.load(fr.sum(lhs, rhs), offset))))
            }
            Load16SSum { dst, lhs, rhs, offset } => {
                fr.set(dst, cell_s16(tri!(c.load(fr.sum(lhs, rhs), offset))))
            }
            Load16USum { dst, lhs, rhs, offset } => {
                fr.set(dst, cell_u16(tri!(c.load(fr.sum(lhs, rhs), offset))))
            }
            Load32SSum { dst, lhs, rhs, offset } => {
                fr.set(dst, cell_s32(tri!(c.load(fr.sum(lhs, rhs), offset))))
            }
            Load32Sum { dst, lhs, rhs, offset } => {
                fr.set(dst, cell_u32(tri!(c.load(fr.sum(lhs, rhs), offset))))
            }
            Load64Sum { dst, lhs, rhs, offset } => {
                fr.set(dst, cell_u64(tri!(c.load(fr.sum(lhs, rhs), offset))))
            }
            Load8SDisp { dst, base, disp } => {
                fr.set(dst, cell_s8(tri!(c.load(fr.disp(base, disp), 0))))
            }
            Load8UDisp { dst, base, disp } => {
                fr.set(dst, cell_u8(tri!(c.load(fr.disp(base, disp), 0))))
            }
            Load16SDisp { dst, base, disp } => {
                fr.set(dst, cell_s16(tri!(c.load(fr.disp(base, disp), 0))))
            }
            Load16UDisp { dst, base, disp } => {
                fr.set(dst, cell_u16(tri!(c.load(fr.disp(base, disp), 0))))
            }
            Load32SDisp { dst, base, disp } => {
                fr.set(dst, cell_s32(tri!(c.load(fr.disp(base, disp), 0))))
            }
            Load32Disp { dst, base, disp } => {
                fr.set(dst, cell_u32(tri!(c.load(fr.disp(base, disp), 0))))
            }
            Load64Disp { dst, base, disp } => {
                fr.set(dst, cell_u64(tri!(c.load(fr.disp(base, disp), 0))))
            }

            Store8Sum { lhs, rhs, value, offset } => {
                tri!(c.store::<1>(fr.sum(lhs, rhs), offset, [fr.get(value) as u8]))
            }
            Store16Sum { lhs, rhs, value, offset } => {
                tri!(c.store(fr.sum(lhs, rhs), offset, (fr.get(value) as u16).to_le_bytes()))
            }
            Store32Sum { lhs, rhs, value, offset } => {
                tri!(c.store(fr.sum(lhs, rhs), offset, fr.u32(value).to_le_bytes()))
            }
            Store64Sum { lhs, rhs, value, offset } => {
                tri!(c.store(fr.sum(lhs, rhs), offset, fr.get(value).to_le_bytes()))
            }
            Store8Disp { base, value, disp } => {
                tri!(c.store::<1>(fr.disp(base, disp), 0, [fr.get(value) as u8]))
            }
            Store16Disp { base, value, disp } => {
                tri!(c.store(fr.disp(base, disp), 0, (fr.get(value) as u16).to_le_bytes()))
            }
            Store32Disp { base, value, disp } => {
                tri!(c.store(fr.disp(base, disp), 0, fr.u32(value).to_le_bytes()))
            }
            Store64Disp { base, value, disp } => {
                tri!(c.store(fr.disp(base, disp), 0, fr.get(value).to_le_bytes()))
            }

            // ---- any memory: out of line, off the hot path ----
            Load8SMem { .. }
            | Load8UMem { .. }
            | Load16SMem { .. }
            | Load16UMem { .. }
            | Load32SMem { .. }
            | Load32Mem { .. }
            | Load64Mem { .. }
            | Store8Mem { .. }
            | Store16Mem { .. }
            | Store32Mem { .. }
            | Store64Mem { .. }
            | MemorySizeMem { .. }
            | MemoryGrowMem { .. }
            | MemoryFillMem { .. }
            | MemoryCopyMem { .. }
            | MemoryInitMem { .. }
            | V128LoadMem { .. }
            | V128StoreMem { .. }
            | V128LoadLaneMem { .. }
            | V128StoreLaneMem { .. } => {
                match tri!(memory::execute(store, inst, fr, ip)) {
                    memory::After::Skip(data_words) => ip = ip.wrapping_add(data_words),
                    memory::After::Reload => {
                        // A memory grew, maybe memory 0 too (imported twice):
                        // the loop restarts with its cache reloaded.
                        ip = ip.wrapping_add(1);
                        save!();
                        return Exit::Reload;
                    }
                }
            }

            // ---- tables and references ----
            TableGet { dst, index, table } => {
                fr.set(dst, tri!(bulk::table_get(store, c.table(table), fr.u32(index))))
            }
            TableSet { index, value, table } => {
                tri!(bulk::table_set(store, c.table(table), fr.u32(index), fr.get(value)))
            }
            TableSize { dst, table } => fr.set_u32(dst, bulk::table_size(store, c.table(table))),
            TableGrow { dst, init, delta, table } => {
                let old = bulk::table_grow(store, c.table(table), fr.get(init), fr.u32(delta));
                fr.set_u32(dst, old)
            }
            TableFill { dst, value, len, table } => tri!(bulk::table_fill(
                store,
                c.table(table),
                fr.u32(dst),
                fr.get(value),
                fr.u32(len)
            )),
            TableCopy { dst, src, len, dst_table, src_table } => tri!(bulk::table_copy(
                store,
                c.table(u32::from(dst_table)),
                c.table(u32::from(src_table)),
                fr.u32(dst),
                fr.u32(src),
                fr.u32(len)
            )),
            TableInit { dst, src, len, elem } => {
                // SAFETY: the translator always follows `TableInit` with its data word.
                let Data { a: table, .. } = (unsafe { *ip.add(1) }) else {
                    unreachable!("TableInit is followed by its table index")
                };
                let (d, s, n) = (fr.u32(dst), fr.u32(src), fr.u32(len));
                tri!(bulk::table_init(store, inst, c.table(table), elem, d, s, n));
                ip = ip.wrapping_add(1);
            }
            ElemDrop { elem } => bulk::elem_drop(store, inst, elem),
            NarrowIndex64 { dst, src } => {
                fr.set_u32(dst, u32::try_from(fr.get(src)).unwrap_or(u32::MAX))
            }
            RefFunc { dst, func: f } => fr.set(dst, u64::from(c.func(f)) + 1),
            RefIsNull { dst, src } => fr.set_bool(dst, fr.get(src) == 0),
            Data { .. } => {}

            // ---- i32 ----
            I32Eqz { dst, src } => fr.set_bool(dst, fr.u32(src) == 0),
            I32Clz { dst, src } => fr.set_u32(dst, fr.u32(src).leading_zeros()),
            I32Ctz { dst, src } => fr.set_u32(dst, fr.u32(src).trailing_zeros()),
            I32Popcnt { dst, src } => fr.set_u32(dst, fr.u32(src).count_ones()),
            I32Extend8S { dst, src } => fr.set_i32(dst, i32::from(fr.u32(src) as i8)),
            I32Extend16S { dst, src } => fr.set_i32(dst, i32::from(fr.u32(src) as i16)),
            I32Eq { dst, lhs, rhs } => fr.set_bool(dst, fr.u32(lhs) == fr.u32(rhs)),
            I32Ne { dst, lhs, rhs } => fr.set_bool(dst, fr.u32(lhs) != fr.u32(rhs)),
            I32LtS { dst, lhs, rhs } => fr.set_bool(dst, fr.i32(lhs) < fr.i32(rhs)),
            I32LtU { dst, lhs, rhs } => fr.set_bool(dst, fr.u32(lhs) < fr.u32(rhs)),
            I32GtS { dst, lhs, rhs } => fr.set_bool(dst, fr.i32(lhs) > fr.i32(rhs)),
            I32GtU { dst, lhs, rhs } => fr.set_bool(dst, fr.u32(lhs) > fr.u32(rhs)),
            I32LeS { dst, lhs, rhs } => fr.set_bool(dst, fr.i32(lhs) <= fr.i32(rhs)),
            I32LeU { dst, lhs, rhs } => fr.set_bool(dst, fr.u32(lhs) <= fr.u32(rhs)),
            I32GeS { dst, lhs, rhs } => fr.set_bool(dst, fr.i32(lhs) >= fr.i32(rhs)),
            I32GeU { dst, lhs, rhs } => fr.set_bool(dst, fr.u32(lhs) >= fr.u32(rhs)),
            I32Add { dst, lhs, rhs } => fr.set_u32(dst, fr.u32(lhs).wrapping_add(fr.u32(rhs))),
            I32Sub { dst, lhs, rhs } => fr.set_u32(dst, fr.u32(lhs).wrapping_sub(fr.u32(rhs))),
            I32Mul { dst, lhs, rhs } => fr.set_u32(dst, fr.u32(lhs).wrapping_mul(fr.u32(rhs))),
            I32DivS { dst, lhs, rhs } => fr.set_i32(dst, tri!(i32_div_s(fr.i32(lhs), fr.i32(rhs)))),
            I32DivU { dst, lhs, rhs } => fr.set_u32(dst, tri!(i32_div_u(fr.u32(lhs), fr.u32(rhs)))),
            I32RemS { dst, lhs, rhs } => fr.set_i32(dst, tri!(i32_rem_s(fr.i32(lhs), fr.i32(rhs)))),
            I32RemU { dst, lhs, rhs } => fr.set_u32(dst, tri!(i32_rem_u(fr.u32(lhs), fr.u32(rhs)))),
            I32And { dst, lhs, rhs } => fr.set_u32(dst, fr.u32(lhs) & fr.u32(rhs)),
            I32Or { dst, lhs, rhs } => fr.set_u32(dst, fr.u32(lhs) | fr.u32(rhs)),
            I32Xor { dst, lhs, rhs } => fr.set_u32(dst, fr.u32(lhs) ^ fr.u32(rhs)),
            I32Shl { dst, lhs, rhs } => fr.set_u32(dst, fr.u32(lhs).wrapping_shl(fr.u32(rhs))),
            I32ShrS { dst, lhs, rhs } => fr.set_i32(dst, fr.i32(lhs).wrapping_shr(fr.u32(rhs))),
            I32ShrU { dst, lhs, rhs } => fr.set_u32(dst, fr.u32(lhs).wrapping_shr(fr.u32(rhs))),
            I32Rotl { dst, lhs, rhs } => fr.set_u32(dst, fr.u32(lhs).rotate_left(fr.u32(rhs))),
            I32Rotr { dst, lhs, rhs } => fr.set_u32(dst, fr.u32(lhs).rotate_right(fr.u32(rhs))),
            I32EqImm { dst, lhs, imm } => fr.set_bool(dst, fr.i32(lhs) == imm),
            I32NeImm { dst, lhs, imm } => fr.set_bool(dst, fr.i32(lhs) != imm),
            I32LtSImm { dst, lhs, imm } => fr.set_bool(dst, fr.i32(lhs) < imm),
            I32LtUImm { dst, lhs, imm } => fr.set_bool(dst, fr.u32(lhs) < imm as u32),
            I32GtSImm { dst, lhs, imm } => fr.set_bool(dst, fr.i32(lhs) > imm),
            I32GtUImm { dst, lhs, imm } => fr.set_bool(dst, fr.u32(lhs) > imm as u32),
            I32LeSImm { dst, lhs, imm } => fr.set_bool(dst, fr.i32(lhs) <= imm),
            I32LeUImm { dst, lhs, imm } => fr.set_bool(dst, fr.u32(lhs) <= imm as u32),
            I32GeSImm { dst, lhs, imm } => fr.set_bool(dst, fr.i32(lhs) >= imm),
            I32GeUImm { dst, lhs, imm } => fr.set_bool(dst, fr.u32(lhs) >= imm as u32),
            I32AddImm { dst, lhs, imm } => fr.set_i32(dst, fr.i32(lhs).wrapping_add(imm)),
            I32RSubImm { dst, lhs, imm } => fr.set_i32(dst, imm.wrapping_sub(fr.i32(lhs))),
            I32MulImm { dst, lhs, imm } => fr.set_i32(dst, fr.i32(lhs).wrapping_mul(imm)),
            I32DivSImm { dst, lhs, imm } => fr.set_i32(dst, tri!(i32_div_s(fr.i32(lhs), imm))),
            I32DivUImm { dst, lhs, imm } => {
                fr.set_u32(dst, tri!(i32_div_u(fr.u32(lhs), imm as u32)))
            }
            I32RemSImm { dst, lhs, imm } => fr.set_i32(dst, tri!(i32_rem_s(fr.i32(lhs), imm))),
            I32RemUImm { dst, lhs, imm } => {
                fr.set_u32(dst, tri!(i32_rem_u(fr.u32(lhs), imm as u32)))
            }
            I32AndImm { dst, lhs, imm } => fr.set_i32(dst, fr.i32(lhs) & imm),
            I32OrImm { dst, lhs, imm } => fr.set_i32(dst, fr.i32(lhs) | imm),
            I32XorImm { dst, lhs, imm } => fr.set_i32(dst, fr.i32(lhs) ^ imm),
            I32ShlImm { dst, lhs, imm } => fr.set_u32(dst, fr.u32(lhs).wrapping_shl(imm as u32)),
            I32ShrSImm { dst, lhs, imm } => fr.set_i32(dst, fr.i32(lhs).wrapping_shr(imm as u32)),
            I32ShrUImm { dst, lhs, imm } => fr.set_u32(dst, fr.u32(lhs).wrapping_shr(imm as u32)),
            I32RotlImm { dst, lhs, imm } => fr.set_u32(dst, fr.u32(lhs).rotate_left(imm as u32)),
            I32AddShl { dst, lhs, rhs, shift } => {
                fr.set_u32(dst, fr.u32(lhs).wrapping_add(fr.u32(rhs) << (shift & 31)))
            }
            I32RotrImm { dst, lhs, imm } => fr.set_u32(dst, fr.u32(lhs).rotate_right(imm as u32)),

            // ---- i64 ----
            I64Eqz { dst, src } => fr.set_bool(dst, fr.get(src) == 0),
            I64Clz { dst, src } => fr.set(dst, u64::from(fr.get(src).leading_zeros())),
            I64Ctz { dst, src } => fr.set(dst, u64::from(fr.get(src).trailing_zeros())),
            I64Popcnt { dst, src } => fr.set(dst, u64::from(fr.get(src).count_ones())),
            I64Extend8S { dst, src } => fr.set_i64(dst, i64::from(fr.get(src) as i8)),
            I64Extend16S { dst, src } => fr.set_i64(dst, i64::from(fr.get(src) as i16)),
            I64Extend32S { dst, src } => fr.set_i64(dst, i64::from(fr.get(src) as i32)),
            I64ExtendI32U { dst, src } => fr.set(dst, u64::from(fr.u32(src))),
            I64Eq { dst, lhs, rhs } => fr.set_bool(dst, fr.get(lhs) == fr.get(rhs)),
            I64Ne { dst, lhs, rhs } => fr.set_bool(dst, fr.get(lhs) != fr.get(rhs)),
            I64LtS { dst, lhs, rhs } => fr.set_bool(dst, fr.i64(lhs) < fr.i64(rhs)),
            I64LtU { dst, lhs, rhs } => fr.set_bool(dst, fr.get(lhs) < fr.get(rhs)),
            I64GtS { dst, lhs, rhs } => fr.set_bool(dst, fr.i64(lhs) > fr.i64(rhs)),
            I64GtU { dst, lhs, rhs } => fr.set_bool(dst, fr.get(lhs) > fr.get(rhs)),
            I64LeS { dst, lhs, rhs } => fr.set_bool(dst, fr.i64(lhs) <= fr.i64(rhs)),
            I64LeU { dst, lhs, rhs } => fr.set_bool(dst, fr.get(lhs) <= fr.get(rhs)),
            I64GeS { dst, lhs, rhs } => fr.set_bool(dst, fr.i64(lhs) >= fr.i64(rhs)),
            I64GeU { dst, lhs, rhs } => fr.set_bool(dst, fr.get(lhs) >= fr.get(rhs)),
            I64Add { dst, lhs, rhs } => fr.set(dst, fr.get(lhs).wrapping_add(fr.get(rhs))),
            I64Sub { dst, lhs, rhs } => fr.set(dst, fr.get(lhs).wrapping_sub(fr.get(rhs))),
            I64Mul { dst, lhs, rhs } => fr.set(dst, fr.get(lhs).wrapping_mul(fr.get(rhs))),
            I64DivS { dst, lhs, rhs } => fr.set_i64(dst, tri!(i64_div_s(fr.i64(lhs), fr.i64(rhs)))),
            I64DivU { dst, lhs, rhs } => fr.set(dst, tri!(i64_div_u(fr.get(lhs), fr.get(rhs)))),
            I64RemS { dst, lhs, rhs } => fr.set_i64(dst, tri!(i64_rem_s(fr.i64(lhs), fr.i64(rhs)))),
            I64RemU { dst, lhs, rhs } => fr.set(dst, tri!(i64_rem_u(fr.get(lhs), fr.get(rhs)))),
            I64And { dst, lhs, rhs } => fr.set(dst, fr.get(lhs) & fr.get(rhs)),
            I64Or { dst, lhs, rhs } => fr.set(dst, fr.get(lhs) | fr.get(rhs)),
            I64Xor { dst, lhs, rhs } => fr.set(dst, fr.get(lhs) ^ fr.get(rhs)),
            I64Shl { dst, lhs, rhs } => fr.set(dst, fr.get(lhs).wrapping_shl(fr.u32(rhs))),
            I64ShrS { dst, lhs, rhs } => fr.set_i64(dst, fr.i64(lhs).wrapping_shr(fr.u32(rhs))),
            I64ShrU { dst, lhs, rhs } => fr.set(dst, fr.get(lhs).wrapping_shr(fr.u32(rhs))),
            I64Rotl { dst, lhs, rhs } => fr.set(dst, fr.get(lhs).rotate_left(fr.u32(rhs))),
            I64Rotr { dst, lhs, rhs } => fr.set(dst, fr.get(lhs).rotate_right(fr.u32(rhs))),
            I64EqImm { dst, lhs, imm } => fr.set_bool(dst, fr.i64(lhs) == i64::from(imm)),
            I64NeImm { dst, lhs, imm } => fr.set_bool(dst, fr.i64(lhs) != i64::from(imm)),
            I64LtSImm { dst, lhs, imm } => fr.set_bool(dst, fr.i64(lhs) < imm.into()),
            I64LtUImm { dst, lhs, imm } => fr.set_bool(dst, fr.get(lhs) < i64::from(imm) as u64),
            I64GtSImm { dst, lhs, imm } => fr.set_bool(dst, fr.i64(lhs) > imm.into()),
            I64GtUImm { dst, lhs, imm } => fr.set_bool(dst, fr.get(lhs) > i64::from(imm) as u64),
            I64LeSImm { dst, lhs, imm } => fr.set_bool(dst, fr.i64(lhs) <= imm.into()),
            I64LeUImm { dst, lhs, imm } => fr.set_bool(dst, fr.get(lhs) <= i64::from(imm) as u64),
            I64GeSImm { dst, lhs, imm } => fr.set_bool(dst, fr.i64(lhs) >= imm.into()),
            I64GeUImm { dst, lhs, imm } => fr.set_bool(dst, fr.get(lhs) >= i64::from(imm) as u64),
            I64AddImm { dst, lhs, imm } => fr.set_i64(dst, fr.i64(lhs).wrapping_add(imm.into())),
            I64RSubImm { dst, lhs, imm } => {
                fr.set_i64(dst, i64::from(imm).wrapping_sub(fr.i64(lhs)))
            }
            I64MulImm { dst, lhs, imm } => fr.set_i64(dst, fr.i64(lhs).wrapping_mul(imm.into())),
            I64DivSImm { dst, lhs, imm } => {
                fr.set_i64(dst, tri!(i64_div_s(fr.i64(lhs), imm.into())))
            }
            I64DivUImm { dst, lhs, imm } => {
                fr.set(dst, tri!(i64_div_u(fr.get(lhs), i64::from(imm) as u64)))
            }
            I64RemSImm { dst, lhs, imm } => {
                fr.set_i64(dst, tri!(i64_rem_s(fr.i64(lhs), imm.into())))
            }
            I64RemUImm { dst, lhs, imm } => {
                fr.set(dst, tri!(i64_rem_u(fr.get(lhs), i64::from(imm) as u64)))
            }
            I64AndImm { dst, lhs, imm } => fr.set_i64(dst, fr.i64(lhs) & i64::from(imm)),
            I64OrImm { dst, lhs, imm } => fr.set_i64(dst, fr.i64(lhs) | i64::from(imm)),
            I64XorImm { dst, lhs, imm } => fr.set_i64(dst, fr.i64(lhs) ^ i64::from(imm)),
            I64ShlImm { dst, lhs, imm } => fr.set(dst, fr.get(lhs).wrapping_shl(imm as u32)),
            I64ShrSImm { dst, lhs, imm } => fr.set_i64(dst, fr.i64(lhs).wrapping_shr(imm as u32)),
            I64ShrUImm { dst, lhs, imm } => fr.set(dst, fr.get(lhs).wrapping_shr(imm as u32)),
            I64RotlImm { dst, lhs, imm } => fr.set(dst, fr.get(lhs).rotate_left(imm as u32)),
            I64RotrImm { dst, lhs, imm } => fr.set(dst, fr.get(lhs).rotate_right(imm as u32)),

            // ---- wide arithmetic ----
            I64Add128 { dst, lhs, rhs } => fr.set_u128(dst, i64_add128(fr.u128(lhs), fr.u128(rhs))),
            I64Sub128 { dst, lhs, rhs } => fr.set_u128(dst, i64_sub128(fr.u128(lhs), fr.u128(rhs))),
            I64MulWideS { dst, lhs, rhs } => {
                fr.set_u128(dst, i64_mul_wide_s(fr.i64(lhs), fr.i64(rhs)))
            }
            I64MulWideU { dst, lhs, rhs } => {
                fr.set_u128(dst, i64_mul_wide_u(fr.get(lhs), fr.get(rhs)))
            }

            // ---- f32 ----
            F32Abs { dst, src } => fr.set_u32(dst, fr.u32(src) & !F32_SIGN),
            F32Neg { dst, src } => fr.set_u32(dst, fr.u32(src) ^ F32_SIGN),
            F32Ceil { dst, src } => fr.set_f32(dst, f32_ceil(fr.f32(src))),
            F32Floor { dst, src } => fr.set_f32(dst, f32_floor(fr.f32(src))),
            F32Trunc { dst, src } => fr.set_f32(dst, f32_trunc(fr.f32(src))),
            F32Nearest { dst, src } => fr.set_f32(dst, f32_nearest(fr.f32(src))),
            F32Sqrt { dst, src } => fr.set_f32(dst, fr.f32(src).sqrt()),
            F32Eq { dst, lhs, rhs } => fr.set_bool(dst, fr.f32(lhs) == fr.f32(rhs)),
            F32Ne { dst, lhs, rhs } => fr.set_bool(dst, fr.f32(lhs) != fr.f32(rhs)),
            F32Lt { dst, lhs, rhs } => fr.set_bool(dst, fr.f32(lhs) < fr.f32(rhs)),
            F32Gt { dst, lhs, rhs } => fr.set_bool(dst, fr.f32(lhs) > fr.f32(rhs)),
            F32Le { dst, lhs, rhs } => fr.set_bool(dst, fr.f32(lhs) <= fr.f32(rhs)),
            F32Ge { dst, lhs, rhs } => fr.set_bool(dst, fr.f32(lhs) >= fr.f32(rhs)),
            F32Add { dst, lhs, rhs } => fr.set_f32(dst, fr.f32(lhs) + fr.f32(rhs)),
            F32Sub { dst, lhs, rhs } => fr.set_f32(dst, fr.f32(lhs) - fr.f32(rhs)),
            F32Mul { dst, lhs, rhs } => fr.set_f32(dst, fr.f32(lhs) * fr.f32(rhs)),
            F32Div { dst, lhs, rhs } => fr.set_f32(dst, fr.f32(lhs) / fr.f32(rhs)),
            F32Min { dst, lhs, rhs } => fr.set_f32(dst, f32_min(fr.f32(lhs), fr.f32(rhs))),
            F32Max { dst, lhs, rhs } => fr.set_f32(dst, f32_max(fr.f32(lhs), fr.f32(rhs))),
            F32Copysign { dst, lhs, rhs } => {
                fr.set_u32(dst, (fr.u32(lhs) & !F32_SIGN) | (fr.u32(rhs) & F32_SIGN))
            }

            // ---- f64 ----
            F64Abs { dst, src } => fr.set(dst, fr.get(src) & !F64_SIGN),
            F64Neg { dst, src } => fr.set(dst, fr.get(src) ^ F64_SIGN),
            F64Ceil { dst, src } => fr.set_f64(dst, f64_ceil(fr.f64(src))),
            F64Floor { dst, src } => fr.set_f64(dst, f64_floor(fr.f64(src))),
            F64Trunc { dst, src } => fr.set_f64(dst, f64_trunc(fr.f64(src))),
            F64Nearest { dst, src } => fr.set_f64(dst, f64_nearest(fr.f64(src))),
            F64Sqrt { dst, src } => fr.set_f64(dst, fr.f64(src).sqrt()),
            F64Eq { dst, lhs, rhs } => fr.set_bool(dst, fr.f64(lhs) == fr.f64(rhs)),
            F64Ne { dst, lhs, rhs } => fr.set_bool(dst, fr.f64(lhs) != fr.f64(rhs)),
            F64Lt { dst, lhs, rhs } => fr.set_bool(dst, fr.f64(lhs) < fr.f64(rhs)),
            F64Gt { dst, lhs, rhs } => fr.set_bool(dst, fr.f64(lhs) > fr.f64(rhs)),
            F64Le { dst, lhs, rhs } => fr.set_bool(dst, fr.f64(lhs) <= fr.f64(rhs)),
            F64Ge { dst, lhs, rhs } => fr.set_bool(dst, fr.f64(lhs) >= fr.f64(rhs)),
            F64Add { dst, lhs, rhs } => fr.set_f64(dst, fr.f64(lhs) + fr.f64(rhs)),
            F64Sub { dst, lhs, rhs } => fr.set_f64(dst, fr.f64(lhs) - fr.f64(rhs)),
            F64Mul { dst, lhs, rhs } => fr.set_f64(dst, fr.f64(lhs) * fr.f64(rhs)),
            F64Div { dst, lhs, rhs } => fr.set_f64(dst, fr.f64(lhs) / fr.f64(rhs)),
            F64Min { dst, lhs, rhs } => fr.set_f64(dst, f64_min(fr.f64(lhs), fr.f64(rhs))),
            F64Max { dst, lhs, rhs } => fr.set_f64(dst, f64_max(fr.f64(lhs), fr.f64(rhs))),
            F64Copysign { dst, lhs, rhs } => {
                fr.set(dst, (fr.get(lhs) & !F64_SIGN) | (fr.get(rhs) & F64_SIGN))
            }

            // ---- conversions ----
            I32TruncF32S { dst, src } => fr.set_i32(dst, tri!(i32_trunc_f32_s(fr.f32(src)))),
            I32TruncF32U { dst, src } => fr.set_u32(dst, tri!(i32_trunc_f32_u(fr.f32(src)))),
            I32TruncF64S { dst, src } => fr.set_i32(dst, tri!(i32_trunc_f64_s(fr.f64(src)))),
            I32TruncF64U { dst, src } => fr.set_u32(dst, tri!(i32_trunc_f64_u(fr.f64(src)))),
            I64TruncF32S { dst, src } => fr.set_i64(dst, tri!(i64_trunc_f32_s(fr.f32(src)))),
            I64TruncF32U { dst, src } => fr.set(dst, tri!(i64_trunc_f32_u(fr.f32(src)))),
            I64TruncF64S { dst, src } => fr.set_i64(dst, tri!(i64_trunc_f64_s(fr.f64(src)))),
            I64TruncF64U { dst, src } => fr.set(dst, tri!(i64_trunc_f64_u(fr.f64(src)))),
            // Rust's float-to-int `as` saturates and maps NaN to 0, exactly as
            // the saturating conversions require.
            I32TruncSatF32S { dst, src } => fr.set_i32(dst, fr.f32(src) as i32),
            I32TruncSatF32U { dst, src } => fr.set_u32(dst, fr.f32(src) as u32),
            I32TruncSatF64S { dst, src } => fr.set_i32(dst, fr.f64(src) as i32),
            I32TruncSatF64U { dst, src } => fr.set_u32(dst, fr.f64(src) as u32),
            I64TruncSatF32S { dst, src } => fr.set_i64(dst, fr.f32(src) as i64),
            I64TruncSatF32U { dst, src } => fr.set(dst, fr.f32(src) as u64),
            I64TruncSatF64S { dst, src } => fr.set_i64(dst, fr.f64(src) as i64),
            I64TruncSatF64U { dst, src } => fr.set(dst, fr.f64(src) as u64),
            F32ConvertI32S { dst, src } => fr.set_f32(dst, fr.i32(src) as f32),
            F32ConvertI32U { dst, src } => fr.set_f32(dst, fr.u32(src) as f32),
            F32ConvertI64S { dst, src } => fr.set_f32(dst, fr.i64(src) as f32),
            F32ConvertI64U { dst, src } => fr.set_f32(dst, fr.get(src) as f32),
            F32DemoteF64 { dst, src } => fr.set_f32(dst, fr.f64(src) as f32),
            F64ConvertI32S { dst, src } => fr.set_f64(dst, f64::from(fr.i32(src))),
            F64ConvertI32U { dst, src } => fr.set_f64(dst, f64::from(fr.u32(src))),
            F64ConvertI64S { dst, src } => fr.set_f64(dst, fr.i64(src) as f64),
            F64ConvertI64U { dst, src } => fr.set_f64(dst, fr.get(src) as f64),
            F64PromoteF32 { dst, src } => fr.set_f64(dst, f64::from(fr.f32(src))),

            // ---- simd (exec/simd_run.rs) ----
            V128Copy { dst, src } => fr.set_v128(dst, fr.v128(src)),
            V128Const { dst, index } => {
                // SAFETY: `func` is the running function and `index` is in its
                // constant pool (translation).
                fr.set_v128(dst, unsafe { pool(func, index) })
            }
            V128Select { dst, cond, a, b } => {
                let v = if fr.u32(cond) != 0 { fr.v128(a) } else { fr.v128(b) };
                fr.set_v128(dst, v)
            }
            V128GlobalGet { dst, global } => {
                // SAFETY: as for `GlobalGet`.
                let g = unsafe { &*globals.add(c.global(global)) };
                fr.set_v128(dst, crate::V128::from_u64x2([g.value, g.high]))
            }
            V128GlobalSet { src, global } => {
                let [lo, hi] = fr.v128(src).to_u64x2();
                // SAFETY: as for `GlobalGet`.
                let g = unsafe { &mut *globals.add(c.global(global)) };
                (g.value, g.high) = (lo, hi);
            }
            V128Unary { op, dst, src } => exec_unary(fr, op, dst, src),
            V128Binary { op, dst, lhs, rhs } => exec_binary(fr, op, dst, lhs, rhs),
            V128Ternary { op, dst, a, b, c: z } => exec_ternary(fr, op, dst, [a, b, z]),
            V128Shift { op, dst, lhs, rhs } => exec_shift(fr, op, dst, lhs, rhs),
            V128Test { op, dst, src } => exec_test(fr, op, dst, src),
            V128Splat { op, dst, src } => exec_splat(fr, op, dst, src),
            V128ExtractLane { op, lane, dst, src } => exec_extract(fr, op, lane, dst, src),
            V128ReplaceLane { op, lane, dst, src, value } => {
                exec_replace(fr, op, lane, dst, [src, value])
            }
            I8x16Shuffle { dst, lhs, rhs, lanes } => {
                // SAFETY: as for `V128Const`.
                let lanes = unsafe { pool(func, lanes) };
                exec_shuffle(fr, dst, lhs, rhs, lanes)
            }
            V128Load { op, dst, addr, offset } => {
                tri!(exec_load(fr, Memory0 { c: &c, addr: fr.u32(addr), offset }, op, dst))
            }
            V128Store { addr, value, offset } => {
                tri!(exec_store(fr, Memory0 { c: &c, addr: fr.u32(addr), offset }, value))
            }
            V128LoadLane { op, lane, dst, addr, src } => {
                // SAFETY: the translator always follows `V128LoadLane` with its data word.
                let Data { a: offset, .. } = (unsafe { *ip.add(1) }) else {
                    unreachable!("V128LoadLane is followed by its offset")
                };
                let m = Memory0 { c: &c, addr: fr.u32(addr), offset };
                tri!(exec_load_lane(fr, m, (op, lane), [dst, src]));
                ip = ip.wrapping_add(1);
            }
            V128StoreLane { op, lane, addr, value, offset } => {
                let m = Memory0 { c: &c, addr: fr.u32(addr), offset };
                tri!(exec_store_lane(fr, m, (op, lane), value))
            }
        }
        ip = ip.wrapping_add(1);
    }
}

//! Binds the WASI functions to their `wasi_snapshot_preview1` wasm signatures
//! and traces calls.
//!
//! Each function is declared once below with its parameters (by kind: a
//! plain number, a pointer, a flag set) and its results, which the wasm ABI
//! passes as pointers after the parameters. The glue reads the parameters,
//! borrows the caller's `memory` export and the [`WasiCtx`], runs the body,
//! writes the results to their pointers on success, and returns the errno.
//! With a trace sink it also writes one line per call:
//! `fd_write(fd=1, iovs=0x100, iovs_len=1) -> success (nwritten=6)`.

use std::fmt::Write as _;
use std::io::Write as _;

use super::abi::{Fdstat, Filestat, GuestResult, Prestat};
use super::errno::{Errno, WasiError, WasiResult};
use super::guest::GuestMemory;
use super::{WasiCtx, args, clocks, fd, path, poll, proc, random, sock};
use crate::{Caller, Error, Extern, ExternType, Linker, Module, WasmTy};

/// The import module name of WASI Preview 1.
pub const MODULE: &str = "wasi_snapshot_preview1";

/// Every function of `wasi_snapshot_preview1`, in the specification's order.
pub const IMPORTS: [&str; 46] = [
    "args_get",
    "args_sizes_get",
    "environ_get",
    "environ_sizes_get",
    "clock_res_get",
    "clock_time_get",
    "fd_advise",
    "fd_allocate",
    "fd_close",
    "fd_datasync",
    "fd_fdstat_get",
    "fd_fdstat_set_flags",
    "fd_fdstat_set_rights",
    "fd_filestat_get",
    "fd_filestat_set_size",
    "fd_filestat_set_times",
    "fd_pread",
    "fd_prestat_get",
    "fd_prestat_dir_name",
    "fd_pwrite",
    "fd_read",
    "fd_readdir",
    "fd_renumber",
    "fd_seek",
    "fd_sync",
    "fd_tell",
    "fd_write",
    "path_create_directory",
    "path_filestat_get",
    "path_filestat_set_times",
    "path_link",
    "path_open",
    "path_readlink",
    "path_remove_directory",
    "path_rename",
    "path_symlink",
    "path_unlink_file",
    "poll_oneoff",
    "proc_exit",
    "proc_raise",
    "sched_yield",
    "random_get",
    "sock_accept",
    "sock_recv",
    "sock_send",
    "sock_shutdown",
];

/// A parameter kind: how it arrives in wasm and how it is traced.
trait Param: Copy {
    type Abi: WasmTy;
    type Value;
    fn from_abi(abi: Self::Abi) -> Self;
    fn value(self) -> Self::Value;
    fn trace(self, out: &mut String, mem: &GuestMemory<'_>, last_ptr: &mut u32);
}

impl Param for u32 {
    type Abi = i32;
    type Value = u32;
    fn from_abi(abi: i32) -> u32 {
        abi as u32
    }
    fn value(self) -> u32 {
        self
    }
    fn trace(self, out: &mut String, _: &GuestMemory<'_>, _: &mut u32) {
        let _ = write!(out, "{self}");
    }
}

impl Param for u64 {
    type Abi = i64;
    type Value = u64;
    fn from_abi(abi: i64) -> u64 {
        abi as u64
    }
    fn value(self) -> u64 {
        self
    }
    fn trace(self, out: &mut String, _: &GuestMemory<'_>, _: &mut u32) {
        let _ = write!(out, "{self}");
    }
}

impl Param for i64 {
    type Abi = i64;
    type Value = i64;
    fn from_abi(abi: i64) -> i64 {
        abi
    }
    fn value(self) -> i64 {
        self
    }
    fn trace(self, out: &mut String, _: &GuestMemory<'_>, _: &mut u32) {
        let _ = write!(out, "{self}");
    }
}

/// A pointer into guest memory (traced in hex).
#[derive(Clone, Copy)]
struct Ptr(u32);

impl Param for Ptr {
    type Abi = i32;
    type Value = u32;
    fn from_abi(abi: i32) -> Ptr {
        Ptr(abi as u32)
    }
    fn value(self) -> u32 {
        self.0
    }
    fn trace(self, out: &mut String, _: &GuestMemory<'_>, last_ptr: &mut u32) {
        *last_ptr = self.0;
        let _ = write!(out, "{:#x}", self.0);
    }
}

/// The length of the string at the preceding [`Ptr`] (a path): traced as the
/// number and the string itself.
#[derive(Clone, Copy)]
struct StrLen(u32);

impl Param for StrLen {
    type Abi = i32;
    type Value = u32;
    fn from_abi(abi: i32) -> StrLen {
        StrLen(abi as u32)
    }
    fn value(self) -> u32 {
        self.0
    }
    fn trace(self, out: &mut String, mem: &GuestMemory<'_>, last_ptr: &mut u32) {
        let _ = write!(out, "{}", self.0);
        if let Ok(bytes) = mem.slice(*last_ptr, self.0.min(256)) {
            let _ = write!(out, " {:?}", String::from_utf8_lossy(bytes));
        }
    }
}

/// A flag set (traced in hex).
#[derive(Clone, Copy)]
struct Flags(u32);

impl Param for Flags {
    type Abi = i32;
    type Value = u32;
    fn from_abi(abi: i32) -> Flags {
        Flags(abi as u32)
    }
    fn value(self) -> u32 {
        self.0
    }
    fn trace(self, out: &mut String, _: &GuestMemory<'_>, _: &mut u32) {
        let _ = write!(out, "{:#x}", self.0);
    }
}

/// A 64-bit flag set: rights (traced in hex).
#[derive(Clone, Copy)]
struct Rights(u64);

impl Param for Rights {
    type Abi = i64;
    type Value = u64;
    fn from_abi(abi: i64) -> Rights {
        Rights(abi as u64)
    }
    fn value(self) -> u64 {
        self.0
    }
    fn trace(self, out: &mut String, _: &GuestMemory<'_>, _: &mut u32) {
        let _ = write!(out, "{:#x}", self.0);
    }
}

/// What a body returns: nothing, one value or two, each written to its
/// result pointer.
trait Outputs {
    fn write(&self, mem: &mut GuestMemory<'_>, ptrs: &[u32]) -> WasiResult<()>;
    fn trace(&self, names: &[&str], out: &mut String);
}

impl Outputs for () {
    fn write(&self, _: &mut GuestMemory<'_>, _: &[u32]) -> WasiResult<()> {
        Ok(())
    }
    fn trace(&self, _: &[&str], _: &mut String) {}
}

macro_rules! single_output {
    ($($t:ty),*) => {$(
        impl Outputs for $t {
            fn write(&self, mem: &mut GuestMemory<'_>, ptrs: &[u32]) -> WasiResult<()> {
                GuestResult::write(self, mem, ptrs[0])
            }
            fn trace(&self, names: &[&str], out: &mut String) {
                let _ = write!(out, " ({}={})", names[0], self);
            }
        }
    )*};
}

single_output!(u32, u64, Filestat, Fdstat, Prestat, poll::Events);

impl<A: GuestResult, B: GuestResult> Outputs for (A, B) {
    fn write(&self, mem: &mut GuestMemory<'_>, ptrs: &[u32]) -> WasiResult<()> {
        self.0.write(mem, ptrs[0])?;
        self.1.write(mem, ptrs[1])
    }
    fn trace(&self, names: &[&str], out: &mut String) {
        let _ = write!(out, " ({}={}, {}={})", names[0], self.0, names[1], self.1);
    }
}

/// Runs one WASI call for `caller`: see the module documentation.
fn dispatch<T, O: Outputs>(
    caller: &mut Caller<'_, T>,
    get: &impl Fn(&mut T) -> &mut WasiCtx,
    name: &str,
    trace_args: impl FnOnce(&mut String, &GuestMemory<'_>),
    result_names: &[&str],
    result_ptrs: &[u32],
    body: impl FnOnce(&mut WasiCtx, &mut GuestMemory<'_>) -> WasiResult<O>,
) -> Result<i32, Error> {
    let memory = caller.get_export("memory").and_then(Extern::into_memory);
    // `add_to_linker` rejects such modules at instantiation; this catches an
    // instance made without the linker's check (`Instance::new`).
    if let Some(memory) = memory
        && memory.ty(&*caller).is_64()
    {
        return Err(memory64_error());
    }
    let (bytes, data): (&mut [u8], &mut T) = match memory {
        Some(memory) => memory.data_and_store_mut(&mut *caller),
        None => (&mut [], caller.data_mut()),
    };
    let ctx = get(data);
    let mut mem = GuestMemory::new(bytes);
    let result = body(ctx, &mut mem).and_then(|out| {
        out.write(&mut mem, result_ptrs)?;
        Ok(out)
    });
    if ctx.trace.is_some() {
        let mut line = String::new();
        line.push_str(name);
        line.push('(');
        trace_args(&mut line, &mem);
        line.push_str(") -> ");
        match &result {
            Ok(out) => {
                line.push_str(Errno::Success.name());
                out.trace(result_names, &mut line);
            }
            Err(WasiError::Errno(errno)) => line.push_str(errno.name()),
            Err(WasiError::Fatal(err)) => match err.i32_exit_status() {
                Some(status) => {
                    let _ = write!(line, "exit({status})");
                }
                None => {
                    let message = err.to_string();
                    let _ = write!(line, "error: {}", message.lines().next().unwrap_or(""));
                }
            },
        }
        if let Some(trace) = &mut ctx.trace {
            let _ = writeln!(trace, "{line}");
        }
    }
    match result {
        Ok(_) => Ok(0),
        Err(WasiError::Errno(errno)) => Ok(i32::from(errno as u16)),
        Err(WasiError::Fatal(err)) => {
            let _ = ctx.flush();
            Err(err)
        }
    }
}

/// Calls a body with or without guest memory.
macro_rules! call_body {
    (mem, $f:path, $ctx:ident, $mem:ident, $($a:expr),*) => { $f($ctx, $mem, $($a),*) };
    (nomem, $f:path, $ctx:ident, $mem:ident, $($a:expr),*) => {{ let _ = $mem; $f($ctx, $($a),*) }};
}

/// Defines one WASI function in the linker.
macro_rules! define {
    ($linker:ident, $get:ident, $name:literal, $f:path, $mem:ident,
     ($($arg:ident: $ty:ty),*) -> ($($res:ident),*)) => {
        $linker.func_wrap(MODULE, $name, move |mut caller: Caller<'_, T>, $($arg: <$ty as Param>::Abi,)* $($res: i32,)*| -> Result<i32, Error> {
            $(let $arg = <$ty as Param>::from_abi($arg);)*
            let trace_args = |_out: &mut String, _mem: &GuestMemory<'_>| {
                let mut _first = true;
                let mut _last_ptr = 0u32;
                $(
                    if !_first { _out.push_str(", "); }
                    _first = false;
                    _out.push_str(concat!(stringify!($arg), "="));
                    $arg.trace(_out, _mem, &mut _last_ptr);
                )*
            };
            dispatch(
                &mut caller,
                &$get,
                $name,
                trace_args,
                &[$(stringify!($res)),*],
                &[$($res as u32),*],
                |ctx, mem| call_body!($mem, $f, ctx, mem, $($arg.value()),*),
            )
        })?;
    };
}

/// The error for a module whose `memory` export has 64-bit addresses.
fn memory64_error() -> Error {
    Error::link(
        "WASI preview 1 needs a 32-bit memory, but the module's `memory` export is a 64-bit \
         memory (memory64): preview 1 passes 32-bit pointers",
    )
}

/// Rejects a module that imports WASI functions and exports a 64-bit memory as
/// `memory`, the memory those functions would read and write.
fn check_module(module: &Module) -> Result<(), Error> {
    if !module.imports().any(|import| import.module() == MODULE) {
        return Ok(());
    }
    match module.get_export("memory") {
        Some(ExternType::Memory(ty)) if ty.is_64() => Err(memory64_error()),
        _ => Ok(()),
    }
}

/// Defines all 46 functions of `wasi_snapshot_preview1` in `linker`; `get`
/// finds the [`WasiCtx`] in the store's data.
///
/// The functions read and write the memory the calling instance exports as
/// `memory`, whichever of its memories that is (as wasmtime's preview 1
/// does). Preview 1 passes 32-bit pointers, so the linker then refuses to
/// instantiate a module that imports any of these functions and exports a
/// 64-bit memory as `memory`: a link error, before anything runs.
///
/// # Errors
///
/// If one of the names is already defined in `linker` (and shadowing is off).
pub fn add_to_linker<T: 'static>(
    linker: &mut Linker<T>,
    get: impl Fn(&mut T) -> &mut WasiCtx + Send + Sync + Copy + 'static,
) -> Result<(), Error> {
    linker.add_module_check(check_module);
    let l = linker;
    define!(l, get, "args_get", args::args_get, mem, (argv: Ptr, argv_buf: Ptr) -> ());
    define!(l, get, "args_sizes_get", args::args_sizes_get, nomem, () -> (argc, argv_buf_size));
    define!(l, get, "environ_get", args::environ_get, mem, (environ: Ptr, environ_buf: Ptr) -> ());
    define!(l, get, "environ_sizes_get", args::environ_sizes_get, nomem, () -> (environc, environ_buf_size));
    define!(l, get, "clock_res_get", clocks::clock_res_get, nomem, (id: u32) -> (resolution));
    define!(l, get, "clock_time_get", clocks::clock_time_get, nomem, (id: u32, precision: u64) -> (time));
    define!(l, get, "fd_advise", fd::fd_advise, nomem, (fd: u32, offset: u64, len: u64, advice: u32) -> ());
    define!(l, get, "fd_allocate", fd::fd_allocate, nomem, (fd: u32, offset: u64, len: u64) -> ());
    define!(l, get, "fd_close", fd::fd_close, nomem, (fd: u32) -> ());
    define!(l, get, "fd_datasync", fd::fd_datasync, nomem, (fd: u32) -> ());
    define!(l, get, "fd_fdstat_get", fd::fd_fdstat_get, nomem, (fd: u32) -> (stat));
    define!(l, get, "fd_fdstat_set_flags", fd::fd_fdstat_set_flags, nomem, (fd: u32, flags: Flags) -> ());
    define!(l, get, "fd_fdstat_set_rights", fd::fd_fdstat_set_rights, nomem, (fd: u32, fs_rights_base: Rights, fs_rights_inheriting: Rights) -> ());
    define!(l, get, "fd_filestat_get", fd::fd_filestat_get, nomem, (fd: u32) -> (stat));
    define!(l, get, "fd_filestat_set_size", fd::fd_filestat_set_size, nomem, (fd: u32, size: u64) -> ());
    define!(l, get, "fd_filestat_set_times", fd::fd_filestat_set_times, nomem, (fd: u32, atim: u64, mtim: u64, fst_flags: Flags) -> ());
    define!(l, get, "fd_pread", fd::fd_pread, mem, (fd: u32, iovs: Ptr, iovs_len: u32, offset: u64) -> (nread));
    define!(l, get, "fd_prestat_get", fd::fd_prestat_get, nomem, (fd: u32) -> (prestat));
    define!(l, get, "fd_prestat_dir_name", fd::fd_prestat_dir_name, mem, (fd: u32, path: Ptr, path_len: StrLen) -> ());
    define!(l, get, "fd_pwrite", fd::fd_pwrite, mem, (fd: u32, iovs: Ptr, iovs_len: u32, offset: u64) -> (nwritten));
    define!(l, get, "fd_read", fd::fd_read, mem, (fd: u32, iovs: Ptr, iovs_len: u32) -> (nread));
    define!(l, get, "fd_readdir", path::fd_readdir, mem, (fd: u32, buf: Ptr, buf_len: u32, cookie: u64) -> (bufused));
    define!(l, get, "fd_renumber", fd::fd_renumber, nomem, (fd: u32, to: u32) -> ());
    define!(l, get, "fd_seek", fd::fd_seek, nomem, (fd: u32, offset: i64, whence: u32) -> (newoffset));
    define!(l, get, "fd_sync", fd::fd_sync, nomem, (fd: u32) -> ());
    define!(l, get, "fd_tell", fd::fd_tell, nomem, (fd: u32) -> (offset));
    define!(l, get, "fd_write", fd::fd_write, mem, (fd: u32, iovs: Ptr, iovs_len: u32) -> (nwritten));
    define!(l, get, "path_create_directory", path::path_create_directory, mem, (fd: u32, path: Ptr, path_len: StrLen) -> ());
    define!(l, get, "path_filestat_get", path::path_filestat_get, mem, (fd: u32, flags: Flags, path: Ptr, path_len: StrLen) -> (stat));
    define!(l, get, "path_filestat_set_times", path::path_filestat_set_times, mem, (fd: u32, flags: Flags, path: Ptr, path_len: StrLen, atim: u64, mtim: u64, fst_flags: Flags) -> ());
    define!(l, get, "path_link", path::path_link, mem, (old_fd: u32, old_flags: Flags, old_path: Ptr, old_path_len: StrLen, new_fd: u32, new_path: Ptr, new_path_len: StrLen) -> ());
    define!(l, get, "path_open", path::path_open, mem, (fd: u32, dirflags: Flags, path: Ptr, path_len: StrLen, oflags: Flags, fs_rights_base: Rights, fs_rights_inheriting: Rights, fdflags: Flags) -> (opened_fd));
    define!(l, get, "path_readlink", path::path_readlink, mem, (fd: u32, path: Ptr, path_len: StrLen, buf: Ptr, buf_len: u32) -> (bufused));
    define!(l, get, "path_remove_directory", path::path_remove_directory, mem, (fd: u32, path: Ptr, path_len: StrLen) -> ());
    define!(l, get, "path_rename", path::path_rename, mem, (fd: u32, old_path: Ptr, old_path_len: StrLen, new_fd: u32, new_path: Ptr, new_path_len: StrLen) -> ());
    define!(l, get, "path_symlink", path::path_symlink, mem, (old_path: Ptr, old_path_len: StrLen, fd: u32, new_path: Ptr, new_path_len: StrLen) -> ());
    define!(l, get, "path_unlink_file", path::path_unlink_file, mem, (fd: u32, path: Ptr, path_len: StrLen) -> ());
    define!(l, get, "poll_oneoff", poll::poll_oneoff, mem, (subscriptions: Ptr, events: Ptr, nsubscriptions: u32) -> (nevents));
    l.func_wrap(
        MODULE,
        "proc_exit",
        move |mut caller: Caller<'_, T>, rval: i32| -> Result<(), Error> {
            let rval = rval as u32;
            let trace_args = |out: &mut String, _: &GuestMemory<'_>| {
                let _ = write!(out, "rval={rval}");
            };
            let body = |ctx: &mut WasiCtx, _: &mut GuestMemory<'_>| -> WasiResult<()> {
                Err(proc::proc_exit(ctx, rval))
            };
            dispatch(&mut caller, &get, "proc_exit", trace_args, &[], &[], body).map(|_| ())
        },
    )?;
    define!(l, get, "proc_raise", proc::proc_raise, nomem, (sig: u32) -> ());
    define!(l, get, "sched_yield", proc::sched_yield, nomem, () -> ());
    define!(l, get, "random_get", random::random_get, mem, (buf: Ptr, buf_len: u32) -> ());
    define!(l, get, "sock_accept", sock::sock_accept, nomem, (fd: u32, flags: Flags) -> (result_fd));
    define!(l, get, "sock_recv", sock::sock_recv, mem, (fd: u32, ri_data: Ptr, ri_data_len: u32, ri_flags: Flags) -> (ro_datalen, ro_flags));
    define!(l, get, "sock_send", sock::sock_send, mem, (fd: u32, si_data: Ptr, si_data_len: u32, si_flags: Flags) -> (so_datalen));
    define!(l, get, "sock_shutdown", sock::sock_shutdown, nomem, (fd: u32, how: Flags) -> ());
    Ok(())
}

//! WASI Preview 1 (`wasi_snapshot_preview1`): all 46 functions, sandboxed.
//!
//! A [`WasiCtx`] holds a guest's view of the world: arguments, environment,
//! the descriptor table (stdio, preopened directories, listening sockets) and
//! pluggable clock and random sources. [`add_to_linker`] defines every WASI
//! function in a [`Linker`](crate::Linker); each call borrows the calling
//! instance's `memory` export and the context from the store's data.
//!
//! Files: `args` (arguments and environment), `clocks`, `random`, `fd`
//! (descriptor operations), `path` (path operations), `poll`, `proc`, `sock`;
//! `table` is the descriptor table and its rights, `errno` maps host errors,
//! `guest` checks guest pointers, `abi` holds the witx layouts, and `linker`
//! binds the functions to their wasm signatures and traces calls.
//!
//! # Sandboxing
//!
//! Every path is resolved by [cap-std](https://docs.rs/cap-std) relative to a
//! directory handle the guest holds, never as a host path string: `..`,
//! absolute paths and symlinks (absolute or relative, at any depth) cannot
//! leave the preopened directory, and symlink loops end in `ELOOP`. On Linux
//! cap-std uses `openat2` with `RESOLVE_BENEATH` where the kernel has it and
//! otherwise walks the path one component at a time with `O_NOFOLLOW`.
//!
//! # Example
//!
//! ```
//! use interp::{Engine, Linker, Module, Store};
//! use interp::wasi::{WasiCtx, WritePipe};
//!
//! let engine = Engine::default();
//! let module = Module::new(&engine, r#"
//!   (module
//!     (import "wasi_snapshot_preview1" "fd_write"
//!       (func $fd_write (param i32 i32 i32 i32) (result i32)))
//!     (memory (export "memory") 1)
//!     (data (i32.const 16) "hello\n")
//!     (func (export "_start")
//!       (i32.store (i32.const 0) (i32.const 16))
//!       (i32.store (i32.const 4) (i32.const 6))
//!       (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))))
//! "#)?;
//! let stdout = WritePipe::new();
//! let ctx = WasiCtx::builder().stdout(stdout.clone()).build();
//! let mut linker = Linker::new(&engine);
//! interp::wasi::add_to_linker(&mut linker, |ctx: &mut WasiCtx| ctx)?;
//! let mut store = Store::new(&engine, ctx);
//! let instance = linker.instantiate(&mut store, &module)?;
//! instance.get_typed_func::<(), ()>(&store, "_start")?.call(&mut store, ())?;
//! assert_eq!(stdout.contents(), b"hello\n");
//! # Ok::<(), interp::Error>(())
//! ```

mod abi;
mod args;
mod clocks;
mod errno;
mod fd;
mod guest;
mod linker;
mod path;
mod poll;
mod proc;
mod random;
mod sock;
mod table;

use std::fmt;
use std::io::{self, Write};
use std::net::TcpListener;
use std::path::Path;

pub use clocks::{FixedClock, SystemClock, WasiClock};
pub use errno::Errno;
pub use linker::{IMPORTS, MODULE, add_to_linker};
pub use random::{OsRandom, SeededRandom, WasiRandom};
pub use table::{ReadPipe, WritePipe};

use abi::rights;
use table::{Descriptor, DirDesc, Entry, FdTable, Input, Output};

/// The state of one WASI guest. Build it with [`WasiCtx::builder`].
pub struct WasiCtx {
    args: Vec<Vec<u8>>,
    env: Vec<Vec<u8>>,
    table: FdTable,
    clock: Box<dyn WasiClock>,
    random: Box<dyn WasiRandom>,
    trace: Option<Box<dyn Write + Send>>,
}

impl fmt::Debug for WasiCtx {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WasiCtx")
            .field("args", &self.args.len())
            .field("env", &self.env.len())
            .field("fds", &self.table.fds().collect::<Vec<_>>())
            .finish_non_exhaustive()
    }
}

impl WasiCtx {
    /// A builder with no arguments, environment or preopens, stdio connected
    /// to empty in-memory pipes, the system clock and the OS random source.
    pub fn builder() -> WasiCtxBuilder {
        WasiCtxBuilder::default()
    }

    /// Flushes the host's stdout and stderr if the guest writes to them.
    /// Files are written without buffering, so nothing else is pending.
    ///
    /// # Errors
    ///
    /// If flushing fails.
    pub fn flush(&mut self) -> io::Result<()> {
        io::stdout().flush()?;
        io::stderr().flush()?;
        if let Some(trace) = &mut self.trace {
            trace.flush()?;
        }
        Ok(())
    }
}

/// Builds a [`WasiCtx`].
///
/// # Example
///
/// ```
/// use interp::wasi::{FixedClock, ReadPipe, SeededRandom, WasiCtx, WritePipe};
/// let stdout = WritePipe::new();
/// let ctx = WasiCtx::builder()
///     .arg("prog.wasm")
///     .arg("--flag")
///     .env("LANG", "C.UTF-8")
///     .stdin(ReadPipe::new("input"))
///     .stdout(stdout.clone())
///     .clock(FixedClock::default())
///     .random(SeededRandom::new(7))
///     .build();
/// # let _ = ctx;
/// ```
pub struct WasiCtxBuilder {
    args: Vec<Vec<u8>>,
    env: Vec<Vec<u8>>,
    stdin: Input,
    stdout: Output,
    stderr: Output,
    sockets: Vec<TcpListener>,
    dirs: Vec<(cap_std::fs::Dir, String)>,
    clock: Box<dyn WasiClock>,
    random: Box<dyn WasiRandom>,
    trace: Option<Box<dyn Write + Send>>,
}

impl fmt::Debug for WasiCtxBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WasiCtxBuilder").finish_non_exhaustive()
    }
}

impl Default for WasiCtxBuilder {
    fn default() -> WasiCtxBuilder {
        WasiCtxBuilder {
            args: Vec::new(),
            env: Vec::new(),
            stdin: Input::Pipe(ReadPipe::default()),
            stdout: Output::Pipe(WritePipe::new()),
            stderr: Output::Pipe(WritePipe::new()),
            sockets: Vec::new(),
            dirs: Vec::new(),
            clock: Box::new(SystemClock),
            random: Box::new(OsRandom),
            trace: None,
        }
    }
}

impl WasiCtxBuilder {
    /// Appends one argument (the first is the program name, `argv[0]`).
    pub fn arg(mut self, arg: impl AsRef<[u8]>) -> Self {
        self.args.push(arg.as_ref().to_vec());
        self
    }

    /// Appends arguments.
    pub fn args<I: IntoIterator<Item = A>, A: AsRef<[u8]>>(mut self, args: I) -> Self {
        self.args.extend(args.into_iter().map(|a| a.as_ref().to_vec()));
        self
    }

    /// Adds the environment variable `key=value`.
    pub fn env(mut self, key: impl AsRef<[u8]>, value: impl AsRef<[u8]>) -> Self {
        let mut kv = key.as_ref().to_vec();
        kv.push(b'=');
        kv.extend_from_slice(value.as_ref());
        self.env.push(kv);
        self
    }

    /// Connects stdin, stdout and stderr to the host process's.
    pub fn inherit_stdio(mut self) -> Self {
        self.stdin = Input::Inherit;
        self.stdout = Output::Stdout;
        self.stderr = Output::Stderr;
        self
    }

    /// Reads stdin from an in-memory pipe.
    pub fn stdin(mut self, pipe: ReadPipe) -> Self {
        self.stdin = Input::Pipe(pipe);
        self
    }

    /// Writes stdout to an in-memory pipe (keep a clone to read it).
    pub fn stdout(mut self, pipe: WritePipe) -> Self {
        self.stdout = Output::Pipe(pipe);
        self
    }

    /// Writes stderr to an in-memory pipe (keep a clone to read it).
    pub fn stderr(mut self, pipe: WritePipe) -> Self {
        self.stderr = Output::Pipe(pipe);
        self
    }

    /// Preopens the host directory `host` for the guest under the name `guest`.
    ///
    /// Descriptors are numbered from 3: listening sockets first, then
    /// directories, each in the order added (as wasmtime's `--tcplisten` and
    /// `--dir`).
    ///
    /// # Errors
    ///
    /// If the directory cannot be opened.
    pub fn preopened_dir(
        mut self,
        host: impl AsRef<Path>,
        guest: impl Into<String>,
    ) -> io::Result<Self> {
        let dir = cap_std::fs::Dir::open_ambient_dir(host, cap_std::ambient_authority())?;
        self.dirs.push((dir, guest.into()));
        Ok(self)
    }

    /// Hands the guest a listening TCP socket, for `sock_accept`.
    pub fn preopened_socket(mut self, listener: TcpListener) -> Self {
        self.sockets.push(listener);
        self
    }

    /// Uses `clock` for `clock_time_get`, `clock_res_get` and `poll_oneoff`.
    pub fn clock(mut self, clock: impl WasiClock + 'static) -> Self {
        self.clock = Box::new(clock);
        self
    }

    /// Uses `random` for `random_get`.
    pub fn random(mut self, random: impl WasiRandom + 'static) -> Self {
        self.random = Box::new(random);
        self
    }

    /// Writes one line per WASI call (name, arguments, errno, results) to `out`.
    pub fn trace_syscalls(mut self, out: impl Write + Send + 'static) -> Self {
        self.trace = Some(Box::new(out));
        self
    }

    /// The context.
    pub fn build(self) -> WasiCtx {
        let mut table = FdTable::default();
        let stdio = rights::STDIO;
        table.insert_at(0, Entry::new(Descriptor::Input(self.stdin), stdio, 0));
        table.insert_at(1, Entry::new(Descriptor::Output(self.stdout), stdio, 0));
        table.insert_at(2, Entry::new(Descriptor::Output(self.stderr), stdio, 0));
        let mut fd = 3;
        for listener in self.sockets {
            table.insert_at(fd, Entry::new(Descriptor::Listener(listener), rights::LISTENER, 0));
            fd += 1;
        }
        for (dir, guest) in self.dirs {
            let desc = Descriptor::Dir(DirDesc { dir, preopen: Some(guest) });
            table.insert_at(fd, Entry::new(desc, rights::DIRECTORY, rights::DIRECTORY_INHERITING));
            fd += 1;
        }
        WasiCtx {
            args: self.args,
            env: self.env,
            table,
            clock: self.clock,
            random: self.random,
            trace: self.trace,
        }
    }
}

//! interp: a WebAssembly interpreter with WASI Preview 1.
//!
//! Modules are decoded and validated with wasmparser, translated once into a
//! compact register-style instruction set ([`ir`]) and run by a loop over it
//! that never recurses on the native stack for wasm calls.
//!
//! # Example
//!
//! ```
//! use interp::{Engine, Linker, Module, Store};
//!
//! let engine = Engine::default();
//! let module = Module::new(&engine, r#"
//!     (module
//!       (func $fib (export "fib") (param i32) (result i32)
//!         (if (result i32) (i32.lt_u (local.get 0) (i32.const 2))
//!           (then (local.get 0))
//!           (else (i32.add (call $fib (i32.sub (local.get 0) (i32.const 1)))
//!                          (call $fib (i32.sub (local.get 0) (i32.const 2))))))))
//! "#)?;
//! let mut store = Store::new(&engine, ());
//! let instance = Linker::new(&engine).instantiate(&mut store, &module)?;
//! let fib = instance.get_typed_func::<i32, i32>(&store, "fib")?;
//! assert_eq!(fib.call(&mut store, 20)?, 6765);
//! # Ok::<(), interp::Error>(())
//! ```
//!
//! Data flows one way: bytes → [`Module`] (immutable, shared) → [`Instance`] in a
//! [`Store`] (which owns every runtime object) → [`Func::call`] → results or a
//! [`Trap`].

mod engine;
mod error;
mod exec;
pub mod ir;
mod module;
mod runtime;
mod translate;
mod trap;
mod types;
mod v128;
#[cfg(feature = "wasi")]
pub mod wasi;

pub use engine::{Config, Engine};
pub use error::{Error, ErrorKind};
pub use module::{ExportType, ImportType, Module};
pub use runtime::{
    AsContext, AsContextMut, Caller, Exception, ExnRef, Extern, ExternRef, Func, Global,
    HostReturn, Instance, IntoFunc, Linker, MAX_MEMORY64_BYTES, Memory, PAGE_SIZE, Store,
    StoreContext, StoreContextMut, Table, Tag, TraceEvent, Tracer, TypedFunc, Val, WasmParams,
    WasmResults, WasmTy,
};
pub use trap::{FrameInfo, Trap, TrapCode};
pub use types::{
    ExternType, FuncType, GlobalType, MemoryType, MemoryTypeBuilder, Mutability, TableType,
    TagType, ValType,
};
pub use v128::V128;

/// The README's Rust examples, compiled and run as doc tests.
#[doc = include_str!("../../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;

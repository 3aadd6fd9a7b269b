//! The embedding API: objects shared between host and module, import limits,
//! host functions, traps and resource limits.

use interp::{
    Caller, Config, Engine, Error, Extern, Func, FuncType, Global, GlobalType, Instance, Linker,
    Memory, MemoryType, Module, Mutability, Store, Table, TableType, TrapCode, Val, ValType,
};

fn module(engine: &Engine, wat: &str) -> Module {
    Module::new(engine, wat).expect("test module compiles")
}

const USES_IMPORTS: &str = r#"
(module
  (import "host" "mem" (memory 1))
  (import "host" "tab" (table 2 funcref))
  (import "host" "g" (global $g (mut i64)))
  (func $nine (result i32) (i32.const 9))
  (elem declare func $nine)
  (func (export "load") (param i32) (result i32) (i32.load (local.get 0)))
  (func (export "store") (param i32 i32) (i32.store (local.get 0) (local.get 1)))
  (func (export "size") (result i32) (memory.size))
  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
  (func (export "get_g") (result i64) (global.get $g))
  (func (export "set_g") (param i64) (global.set $g (local.get 0)))
  (func (export "tsize") (result i32) (table.size))
  (func (export "install") (param i32) (table.set (local.get 0) (ref.func $nine)))
)"#;

#[derive(Debug)]
struct Shared {
    store: Store<()>,
    instance: Instance,
    memory: Memory,
    table: Table,
    global: Global,
}

fn shared(memory_ty: MemoryType, table_ty: TableType) -> Result<Shared, Error> {
    let engine = Engine::default();
    let mut store = Store::new(&engine, ());
    let memory = Memory::new(&mut store, memory_ty)?;
    let table = Table::new(&mut store, table_ty, Val::FuncRef(None))?;
    let global =
        Global::new(&mut store, GlobalType::new(ValType::I64, Mutability::Var), Val::I64(1))?;
    let mut linker = Linker::new(&engine);
    linker
        .define("host", "mem", memory)?
        .define("host", "tab", table)?
        .define("host", "g", global)?;
    let instance = linker.instantiate(&mut store, &module(&engine, USES_IMPORTS))?;
    Ok(Shared { store, instance, memory, table, global })
}

#[test]
fn host_and_module_share_memory_without_copies() -> Result<(), Error> {
    let Shared { mut store, instance, memory, .. } =
        shared(MemoryType::new(1, Some(4)), TableType::new(ValType::FuncRef, 2, None))?;
    let load = instance.get_typed_func::<i32, i32>(&store, "load")?;
    let store_fn = instance.get_typed_func::<(i32, i32), ()>(&store, "store")?;
    let grow = instance.get_typed_func::<i32, i32>(&store, "grow")?;
    let size = instance.get_typed_func::<(), i32>(&store, "size")?;

    // Host writes are visible to the module...
    memory.write(&mut store, 100, &0x0102_0304u32.to_le_bytes())?;
    assert_eq!(load.call(&mut store, 100)?, 0x0102_0304);
    // ...and module writes to the host.
    store_fn.call(&mut store, (200, -5))?;
    assert_eq!(&memory.data(&store)[200..204], &(-5i32).to_le_bytes());

    // Growth by the host is seen by the module and the reverse.
    assert_eq!(memory.grow(&mut store, 1)?, 1);
    assert_eq!(size.call(&mut store, ())?, 2);
    store_fn.call(&mut store, (0x1_fffc, 77))?;
    assert_eq!(grow.call(&mut store, 2)?, 2);
    assert_eq!(memory.size(&store), 4);
    assert_eq!(memory.data_size(&store), 4 * 65536);
    assert_eq!(memory.data(&store)[0x1_fffc], 77);
    // The host's maximum binds the module.
    assert_eq!(grow.call(&mut store, 1)?, -1);
    assert!(memory.grow(&mut store, 1).is_err());
    Ok(())
}

#[test]
fn host_and_module_share_tables_and_globals() -> Result<(), Error> {
    let Shared { mut store, instance, table, global, .. } =
        shared(MemoryType::new(1, None), TableType::new(ValType::FuncRef, 2, Some(10)))?;
    let get_g = instance.get_typed_func::<(), i64>(&store, "get_g")?;
    let set_g = instance.get_typed_func::<i64, ()>(&store, "set_g")?;
    global.set(&mut store, Val::I64(-8))?;
    assert_eq!(get_g.call(&mut store, ())?, -8);
    set_g.call(&mut store, 123)?;
    assert_eq!(global.get(&store), Val::I64(123));

    let install = instance.get_typed_func::<i32, ()>(&store, "install")?;
    let tsize = instance.get_typed_func::<(), i32>(&store, "tsize")?;
    install.call(&mut store, 1)?;
    let Some(Val::FuncRef(Some(nine))) = table.get(&store, 1) else {
        panic!("the module's write is visible in the host's table");
    };
    assert_eq!(nine.typed::<(), i32>(&store)?.call(&mut store, ())?, 9);
    assert_eq!(table.grow(&mut store, 3, Val::FuncRef(None))?, 2);
    assert_eq!(tsize.call(&mut store, ())?, 5);
    Ok(())
}

#[test]
fn hosts_may_offer_larger_limits_but_not_smaller() -> Result<(), Error> {
    // The import asks for (memory 1) and (table 2): more is fine.
    assert!(
        shared(MemoryType::new(3, Some(10)), TableType::new(ValType::FuncRef, 5, None)).is_ok()
    );

    let err = shared(MemoryType::new(0, None), TableType::new(ValType::FuncRef, 2, None))
        .expect_err("a memory smaller than the import asks for");
    assert!(err.is_link(), "{err}");
    let msg = err.to_string();
    assert!(msg.contains("incompatible import type") && msg.contains("`host::mem`"), "{msg}");

    let err = shared(MemoryType::new(1, None), TableType::new(ValType::FuncRef, 1, None))
        .expect_err("a table smaller than the import asks for");
    assert!(err.to_string().contains("`host::tab`"), "{err}");
    Ok(())
}

#[test]
fn maximum_limits_are_checked_too() -> Result<(), Error> {
    let engine = Engine::default();
    let m = module(&engine, r#"(module (import "host" "mem" (memory 1 2)))"#);
    let mut linker = Linker::new(&engine);
    let mut store = Store::new(&engine, ());
    let unbounded = Memory::new(&mut store, MemoryType::new(1, None))?;
    linker.define("host", "mem", unbounded)?;
    let err = linker.instantiate(&mut store, &m).expect_err("no maximum where one is required");
    assert!(err.is_link(), "{err}");

    let mut linker = Linker::new(&engine);
    let bounded = Memory::new(&mut store, MemoryType::new(2, Some(2)))?;
    linker.define("host", "mem", bounded)?;
    linker.instantiate(&mut store, &m)?;
    Ok(())
}

#[test]
fn unknown_imports_are_named() {
    let engine = Engine::default();
    let m = module(&engine, r#"(module (import "wasi_snapshot_preview1" "fd_write" (func)))"#);
    let mut store = Store::new(&engine, ());
    let err = Linker::<()>::new(&engine).instantiate(&mut store, &m).expect_err("unlinkable");
    assert_eq!(
        err.to_string(),
        "unknown import: `wasi_snapshot_preview1::fd_write` has not been defined"
    );
}

#[test]
fn host_functions_get_typed_arguments_and_the_caller() -> Result<(), Error> {
    let engine = Engine::default();
    let m = module(
        &engine,
        r#"(module
             (import "env" "add" (func $add (param i32 i64 f32 f64) (result f64)))
             (import "env" "peek" (func $peek (param i32) (result i32)))
             (memory (export "memory") 1)
             (data (i32.const 8) "\2a")
             (func (export "run") (result f64)
               (call $add (i32.const 1) (i64.const 2) (f32.const 0.5) (f64.const 0.25)))
             (func (export "peek8") (result i32) (call $peek (i32.const 8))))"#,
    );
    let mut linker = Linker::new(&engine);
    linker.func_wrap("env", "add", |caller: Caller<'_, u32>, a: i32, b: i64, c: f32, d: f64| {
        f64::from(a) + b as f64 + f64::from(c) + d + f64::from(*caller.data())
    })?;
    linker.func_wrap(
        "env",
        "peek",
        |mut caller: Caller<'_, u32>, addr: i32| -> Result<i32, Error> {
            let memory = caller
                .get_export("memory")
                .and_then(Extern::into_memory)
                .ok_or_else(|| Error::msg("no memory"))?;
            let (bytes, data) = memory.data_and_store_mut(&mut caller);
            *data += 1;
            Ok(i32::from(bytes[addr as usize]))
        },
    )?;
    let mut store = Store::new(&engine, 100u32);
    let instance = linker.instantiate(&mut store, &m)?;
    let run = instance.get_typed_func::<(), f64>(&store, "run")?;
    assert_eq!(run.call(&mut store, ())?, 103.75);
    let peek = instance.get_typed_func::<(), i32>(&store, "peek8")?;
    assert_eq!(peek.call(&mut store, ())?, 42);
    assert_eq!(*store.data(), 101);
    Ok(())
}

#[test]
fn untyped_host_functions_and_calls_check_types() -> Result<(), Error> {
    let engine = Engine::default();
    let mut store = Store::new(&engine, ());
    let ty = FuncType::new([ValType::I32, ValType::I32], [ValType::I32, ValType::I32]);
    let swap = Func::new(&mut store, ty, |_, params, results| {
        results[0] = params[1];
        results[1] = params[0];
        Ok(())
    });
    let mut out = [Val::I32(0), Val::I32(0)];
    swap.call(&mut store, &[Val::I32(1), Val::I32(2)], &mut out)?;
    assert_eq!(out, [Val::I32(2), Val::I32(1)]);
    assert!(swap.call(&mut store, &[Val::I64(1), Val::I32(2)], &mut out).is_err());
    assert!(swap.call(&mut store, &[Val::I32(1)], &mut out).is_err());
    assert!(swap.typed::<(i32, i32), i32>(&store).is_err());
    Ok(())
}

#[test]
fn traps_carry_kind_and_wasm_backtrace() -> Result<(), Error> {
    let engine = Engine::default();
    let m = module(
        &engine,
        r#"(module $m
             (func $outer (export "outer") (param i32) (result i32) (call $inner (local.get 0)))
             (func $inner (param i32) (result i32) (i32.div_s (i32.const 1) (local.get 0))))"#,
    );
    let mut store = Store::new(&engine, ());
    let instance = Linker::new(&engine).instantiate(&mut store, &m)?;
    let outer = instance.get_typed_func::<i32, i32>(&store, "outer")?;
    let err = outer.call(&mut store, 0).expect_err("division by zero");
    let trap = err.as_trap().expect("a trap");
    assert_eq!(trap.code(), TrapCode::IntegerDivideByZero);
    let names: Vec<_> = trap.trace().iter().map(|f| f.func_name.clone().unwrap()).collect();
    assert_eq!(names, ["inner", "outer"]);
    assert!(
        trap.trace().iter().all(|f| f.offset.is_some() && f.module_name.as_deref() == Some("m"))
    );
    // The store stays usable.
    assert_eq!(outer.call(&mut store, 1)?, 1);
    Ok(())
}

#[test]
fn host_traps_get_the_wasm_backtrace() -> Result<(), Error> {
    let engine = Engine::default();
    let m = module(
        &engine,
        r#"(module (import "env" "fail" (func $fail)) (func $f (export "f") (call $fail)))"#,
    );
    let mut linker = Linker::new(&engine);
    linker.func_wrap("env", "fail", || -> Result<(), Error> {
        Err(Error::trap(TrapCode::Unreachable))
    })?;
    let mut store = Store::new(&engine, ());
    let instance = linker.instantiate(&mut store, &m)?;
    let err = instance.get_typed_func::<(), ()>(&store, "f")?.call(&mut store, ()).unwrap_err();
    let trap = err.as_trap().expect("a trap");
    assert_eq!(trap.trace()[0].func_name.as_deref(), Some("f"));
    Ok(())
}

#[test]
fn fuel_bounds_execution() -> Result<(), Error> {
    let mut config = Config::default();
    config.consume_fuel(true);
    let engine = Engine::new(&config);
    let m = module(&engine, r#"(module (func (export "spin") (loop (br 0))))"#);
    let mut store = Store::new(&engine, ());
    store.set_fuel(10_000)?;
    let instance = Linker::new(&engine).instantiate(&mut store, &m)?;
    let err = instance.get_typed_func::<(), ()>(&store, "spin")?.call(&mut store, ()).unwrap_err();
    assert_eq!(err.trap_code(), Some(TrapCode::OutOfFuel));
    assert!(store.get_fuel()? < 10);
    // Without fuel metering, the API says so instead of ignoring the request.
    let mut plain = Store::new(&Engine::default(), ());
    assert!(plain.set_fuel(1).is_err());
    Ok(())
}

#[test]
fn host_reentrancy_is_bounded() -> Result<(), Error> {
    let mut config = Config::default();
    config.max_host_reentrancy(50);
    let engine = Engine::new(&config);
    let m = module(
        &engine,
        r#"(module (import "env" "again" (func $again)) (func (export "f") (call $again)))"#,
    );
    let mut linker = Linker::<Option<Func>>::new(&engine);
    linker.func_wrap(
        "env",
        "again",
        |mut caller: Caller<'_, Option<Func>>| -> Result<(), Error> {
            let f = caller.data().expect("set before the call");
            f.call(&mut caller, &[], &mut [])
        },
    )?;
    let mut store = Store::new(&engine, None);
    let instance = linker.instantiate(&mut store, &m)?;
    let f = instance.get_func(&store, "f").expect("exported");
    *store.data_mut() = Some(f);
    let err = f.call(&mut store, &[], &mut []).expect_err("unbounded re-entrance");
    assert_eq!(err.trap_code(), Some(TrapCode::StackOverflow));
    Ok(())
}

#[test]
fn unsupported_proposals_are_named() {
    let mut config = Config::default();
    config.wasm_simd(false);
    let no_simd = Engine::new(&config);
    let err = Module::new(&no_simd, r#"(module (func (result v128) (v128.const i64x2 0 0)))"#)
        .expect_err("SIMD is turned off");
    assert!(err.to_string().starts_with("unsupported proposal: simd"), "{err}");
    let mut config = Config::default();
    config.wasm_exceptions(false);
    let err = Module::new(&Engine::new(&config), r#"(module (tag))"#)
        .expect_err("exception handling turned off");
    assert!(err.to_string().starts_with("unsupported proposal: exceptions"), "{err}");
    let err = Module::new(&Engine::default(), b"\0asm\x01\0\0\0\x01").expect_err("truncated");
    assert!(err.is_invalid_module());
    assert!(err.to_string().contains("(at offset 0x"), "{err}");
}

#[test]
fn objects_from_another_store_are_rejected() -> Result<(), Error> {
    let engine = Engine::default();
    let mut a = Store::new(&engine, ());
    let mut b = Store::new(&engine, ());
    let memory = Memory::new(&mut a, MemoryType::new(1, None))?;
    let m = module(&engine, r#"(module (import "x" "m" (memory 1)))"#);
    let err = Instance::new(&mut b, &m, &[memory.into()]).expect_err("wrong store");
    assert!(err.to_string().contains("wrong store"), "{err}");
    Ok(())
}

#[test]
fn huge_memories_are_allocated_lazily() -> Result<(), Error> {
    // 65536 pages is 4 GiB: declaring or growing to it must not touch it all.
    let engine = Engine::default();
    let m = module(
        &engine,
        r#"(module (memory (export "m") 32768)
             (func (export "grow") (result i32) (memory.grow (i32.const 32768)))
             (func (export "poke") (i32.store (i32.const 0xfffffffc) (i32.const 7))))"#,
    );
    let mut store = Store::new(&engine, ());
    let instance = Linker::new(&engine).instantiate(&mut store, &m)?;
    assert_eq!(instance.get_typed_func::<(), i32>(&store, "grow")?.call(&mut store, ())?, 32768);
    instance.get_typed_func::<(), ()>(&store, "poke")?.call(&mut store, ())?;
    let memory = instance.get_memory(&store, "m").expect("exported");
    assert_eq!(memory.data_size(&store), 1 << 32);
    assert_eq!(memory.data(&store)[(1 << 32) - 4], 7);
    assert_eq!(memory.data(&store)[(1 << 31) + 12345], 0);
    Ok(())
}

//! Several memories, 64-bit memories and tables, and custom page sizes through
//! the embedding API and WASI: memory and table types, `Memory` handles of one
//! instance, host functions reaching a memory other than 0 through `Caller`,
//! import matching, and WASI's need of a 32-bit `memory` export.

use interp::wasi::{WasiCtx, WritePipe};
use interp::{
    Caller, Engine, Error, ErrorKind, Extern, Linker, MAX_MEMORY64_BYTES, Memory, MemoryType,
    MemoryTypeBuilder, Module, Store, Table, TableType, TrapCode, Val, ValType,
};

fn module(engine: &Engine, wat: &str) -> Module {
    Module::new(engine, wat).expect("test module compiles")
}

fn trap_code(err: &Error) -> Option<TrapCode> {
    err.as_trap().map(|t| t.code())
}

fn link_message(err: Error) -> String {
    match err.into_kind() {
        ErrorKind::Link(message) => message,
        other => panic!("expected a link error, got {other:?}"),
    }
}

/// A host-made 64-bit memory of 4 GiB and a page, imported by a module that
/// stores above 4 GiB: the host sees the bytes there, and one byte past the
/// end traps.
#[test]
fn a_64_bit_memory_is_used_above_4_gib_and_traps_one_byte_past_its_end() -> Result<(), Error> {
    let engine = Engine::default();
    let mut store = Store::new(&engine, ());
    let memory = Memory::new(&mut store, MemoryType::new64(65537, Some(65537)))?;
    assert_eq!(memory.data_size(&store), (1 << 32) + 65536);
    let m = module(
        &engine,
        r#"(module
            (import "host" "mem" (memory i64 65537))
            (func (export "store") (param i64 i64) (i64.store (local.get 0) (local.get 1)))
            (func (export "load") (param i64) (result i64) (i64.load (local.get 0)))
            (func (export "load8") (param i64) (result i32) (i32.load8_u (local.get 0))))"#,
    );
    let mut linker = Linker::new(&engine);
    linker.define("host", "mem", memory)?;
    let instance = linker.instantiate(&mut store, &m)?;
    let store_fn = instance.get_typed_func::<(i64, i64), ()>(&store, "store")?;
    let load = instance.get_typed_func::<i64, i64>(&store, "load")?;
    let load8 = instance.get_typed_func::<i64, i32>(&store, "load8")?;

    let high = (1i64 << 32) + 8;
    store_fn.call(&mut store, (high, 0x1122_3344_5566_7788))?;
    assert_eq!(load.call(&mut store, high)?, 0x1122_3344_5566_7788);
    assert_eq!(&memory.data(&store)[high as usize..][..2], &[0x88, 0x77]);
    // Below 4 GiB, at the same address modulo 2^32, nothing was written.
    assert_eq!(load.call(&mut store, 8)?, 0);
    memory.write(&mut store, (1 << 32) + 65535, &[5])?;
    assert_eq!(load8.call(&mut store, (1 << 32) + 65535)?, 5);
    let past = load8.call(&mut store, (1 << 32) + 65536).unwrap_err();
    assert_eq!(trap_code(&past), Some(TrapCode::MemoryOutOfBounds));
    let straddling = load.call(&mut store, (1 << 32) + 65529).unwrap_err();
    assert_eq!(trap_code(&straddling), Some(TrapCode::MemoryOutOfBounds));
    assert!(memory.read(&store, (1 << 32) + 65536, &mut [0]).is_err());
    Ok(())
}

/// One instance with three memories: a host function reaches memory 1
/// through `Caller::get_export`, and each `Memory` handle has its own type
/// and bytes.
#[test]
fn several_memories_per_instance() -> Result<(), Error> {
    let engine = Engine::default();
    let m = module(
        &engine,
        r#"(module
            (import "host" "poke1" (func $poke1 (param i32 i32)))
            (memory $m0 (export "m0") 1)
            (memory $m1 (export "m1") 2 3)
            (memory $m2 (export "m2") i64 5 (pagesize 1))
            (func (export "run") (result i32)
              (call $poke1 (i32.const 70000) (i32.const 9))
              (i32.store8 $m2 (i64.const 4) (i32.load8_u $m1 (i32.const 70000)))
              (i32.add (i32.load8_u $m0 (i32.const 70000 ))
                       (i32.load8_u $m2 (i64.const 4)))))"#,
    );
    let mut linker = Linker::new(&engine);
    linker.func_wrap("host", "poke1", |mut caller: Caller<'_, ()>, at: i32, value: i32| {
        let memory = caller.get_export("m1").and_then(Extern::into_memory).expect("m1");
        memory.data_mut(&mut caller)[at as usize] = value as u8;
    })?;
    let mut store = Store::new(&engine, ());
    let instance = linker.instantiate(&mut store, &m)?;
    // Memory 0 has one page: 70000 is past its end.
    let run = instance.get_typed_func::<(), i32>(&store, "run")?;
    assert_eq!(
        trap_code(&run.call(&mut store, ()).unwrap_err()),
        Some(TrapCode::MemoryOutOfBounds)
    );

    let [m0, m1, m2] =
        ["m0", "m1", "m2"].map(|name| instance.get_memory(&store, name).expect("exported"));
    assert_ne!(m0, m1);
    assert_eq!(m1.data(&store)[70000], 9, "the host function wrote memory 1");
    assert_eq!(m2.data(&store)[4], 9, "memory 1 was copied to memory 2");
    assert!(m0.data(&store).iter().all(|&b| b == 0));
    assert_eq!(m0.ty(&store), MemoryType::new(1, None));
    assert_eq!(m1.ty(&store), MemoryType::new(2, Some(3)));
    let ty = m2.ty(&store);
    assert!(ty.is_64());
    assert_eq!((ty.minimum(), ty.page_size()), (5, 1));
    assert_eq!(m2.size(&store), 5);
    assert_eq!(m2.grow(&mut store, 3)?, 5);
    assert_eq!((m2.size(&store), m2.data_size(&store)), (8, 8));
    assert_eq!(m1.grow(&mut store, 1)?, 2);
    assert!(m1.grow(&mut store, 1).is_err(), "past the maximum of 3 pages");
    Ok(())
}

/// Imports of several memories: each import gets the object given for it,
/// and an import's address width and page size must match exactly.
#[test]
fn imports_of_several_memories_match_width_and_page_size() -> Result<(), Error> {
    let engine = Engine::default();
    let mut store = Store::new(&engine, ());
    let a = Memory::new(&mut store, MemoryType::new(1, None))?;
    let b = Memory::new(&mut store, MemoryType::new64(1, Some(2)))?;
    let bytes = MemoryTypeBuilder::new().min(16).page_size_log2(0).build()?;
    let c = Memory::new(&mut store, bytes)?;
    let m = module(
        &engine,
        r#"(module
            (import "host" "a" (memory 1))
            (import "host" "b" (memory i64 1 2))
            (import "host" "c" (memory 10 (pagesize 1)))
            (func (export "copy_b_to_a") (memory.copy 0 1 (i32.const 0) (i64.const 8) (i32.const 4)))
            (func (export "size_c") (result i32) (memory.size 2)))"#,
    );
    let mut linker = Linker::new(&engine);
    linker.define("host", "a", a)?.define("host", "b", b)?.define("host", "c", c)?;
    let instance = linker.instantiate(&mut store, &m)?;
    b.write(&mut store, 8, b"wxyz")?;
    instance.get_typed_func::<(), ()>(&store, "copy_b_to_a")?.call(&mut store, ())?;
    assert_eq!(&a.data(&store)[..4], b"wxyz");
    assert_eq!(instance.get_typed_func::<(), i32>(&store, "size_c")?.call(&mut store, ())?, 16);

    // The same module with the memories swapped around does not link.
    let mut swapped = Linker::new(&engine);
    swapped.define("host", "a", b)?.define("host", "b", a)?.define("host", "c", c)?;
    let message = link_message(swapped.instantiate(&mut store, &m).unwrap_err());
    assert!(message.contains("(memory i64 1 2)"), "{message}");
    let mut wrong_pages = Linker::new(&engine);
    wrong_pages.define("host", "a", a)?.define("host", "b", b)?.define("host", "c", a)?;
    let message = link_message(wrong_pages.instantiate(&mut store, &m).unwrap_err());
    assert!(message.contains("(memory 10 (pagesize 1))"), "{message}");
    Ok(())
}

#[test]
fn memory_types_check_their_limits() -> Result<(), Error> {
    let mut b = MemoryTypeBuilder::new();
    assert_eq!(b.build()?, MemoryType::new(0, None));
    assert!(b.min(65536).build().is_ok());
    assert!(b.min(65537).build().is_err(), "more than 4 GiB of 32-bit addresses");
    assert!(b.memory64(true).build().is_ok());
    assert!(b.min(1 << 48).build().is_ok());
    assert!(b.min((1 << 48) + 1).build().is_err(), "more than 2^64 bytes");
    assert!(b.min(u64::MAX).page_size_log2(0).build().is_ok());
    assert!(b.memory64(false).build().is_err());
    assert!(b.min(u64::from(u32::MAX)).build().is_ok());
    assert!(b.page_size_log2(8).build().is_err(), "only 1 byte and 64 KiB pages");
    assert!(b.page_size_log2(16).min(3).max(Some(2)).build().is_err(), "minimum above maximum");

    // Memory::new checks types made without the builder, without panicking.
    let mut store = Store::new(&Engine::default(), ());
    let err = Memory::new(&mut store, MemoryType::new64(3, Some(2))).unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::Usage(_)), "{err}");
    assert!(Memory::new(&mut store, MemoryType::new(0, Some(65537))).is_err());
    assert_eq!(MemoryType::new64(1, None).to_string(), "(memory i64 1)");
    Ok(())
}

/// A 64-bit memory's address space is reserved up front, so it has a bound:
/// growing past `MAX_MEMORY64_BYTES` fails, a larger minimum does not
/// allocate, and neither panics.
#[test]
fn a_64_bit_memory_grows_up_to_the_implementation_limit() -> Result<(), Error> {
    let mut store = Store::new(&Engine::default(), ());
    let memory = Memory::new(&mut store, MemoryType::new64(0, None))?;
    let pages = MAX_MEMORY64_BYTES / interp::PAGE_SIZE;
    assert_eq!(memory.grow(&mut store, pages)?, 0);
    assert!(memory.grow(&mut store, 1).is_err());
    assert_eq!(memory.data_size(&store) as u64, MAX_MEMORY64_BYTES);
    let err = Memory::new(&mut store, MemoryType::new64(pages + 1, None)).unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::Limit(_)), "{err}");
    Ok(())
}

/// Tables with 64-bit indices: made by the host, imported with a matching
/// type only, and indexed with `i64`s that never alias a smaller index.
#[test]
fn tables_with_64_bit_indices() -> Result<(), Error> {
    let engine = Engine::default();
    let mut store = Store::new(&engine, ());
    let ty = TableType::new64(ValType::FuncRef, 2, Some(1 << 40));
    let table = Table::new(&mut store, ty, Val::FuncRef(None))?;
    assert_eq!(table.ty(&store), ty);
    let m = module(
        &engine,
        r#"(module
            (import "host" "t" (table i64 2 funcref))
            (func (export "grow") (param i64) (result i64) (table.grow (ref.null func) (local.get 0)))
            (func (export "null") (param i64) (result i32) (ref.is_null (table.get (local.get 0)))))"#,
    );
    let mut linker = Linker::new(&engine);
    linker.define("host", "t", table)?;
    let instance = linker.instantiate(&mut store, &m)?;
    let grow = instance.get_typed_func::<i64, i64>(&store, "grow")?;
    let null = instance.get_typed_func::<i64, i32>(&store, "null")?;
    assert_eq!(grow.call(&mut store, 3)?, 2);
    assert_eq!(grow.call(&mut store, 1 << 33)?, -1);
    assert_eq!(table.size(&store), 5);
    assert_eq!(null.call(&mut store, 4)?, 1);
    let err = null.call(&mut store, (1 << 32) + 4).unwrap_err();
    assert_eq!(trap_code(&err), Some(TrapCode::TableOutOfBounds));

    let narrow =
        Table::new(&mut store, TableType::new(ValType::FuncRef, 2, None), Val::FuncRef(None))?;
    let mut linker = Linker::new(&engine);
    linker.define("host", "t", narrow)?;
    let message = link_message(linker.instantiate(&mut store, &m).unwrap_err());
    assert!(message.contains("expected table (table i64 2 funcref)"), "{message}");
    let bad = TableType::new64(ValType::FuncRef, 3, Some(2));
    assert!(Table::new(&mut store, bad, Val::FuncRef(None)).is_err());
    Ok(())
}

/// Runs `_start` of `wat` with WASI and returns what it wrote to stdout.
fn run_wasi(wat: &str) -> Result<Vec<u8>, Error> {
    let engine = Engine::default();
    let stdout = WritePipe::new();
    let mut linker = Linker::new(&engine);
    interp::wasi::add_to_linker(&mut linker, |ctx: &mut WasiCtx| ctx)?;
    let mut store = Store::new(&engine, WasiCtx::builder().stdout(stdout.clone()).build());
    let instance = linker.instantiate(&mut store, &module(&engine, wat))?;
    instance.get_typed_func::<(), ()>(&store, "_start")?.call(&mut store, ())?;
    Ok(stdout.contents())
}

/// `fd_write` of "hello\n" from the memory `$out`, with an unrelated memory
/// `$other` holding "wrong!" at the same addresses.
fn wasi_guest(memories: &str) -> String {
    format!(
        r#"(module
            (import "wasi_snapshot_preview1" "fd_write"
              (func $fd_write (param i32 i32 i32 i32) (result i32)))
            {memories}
            (data (memory $out) (i32.const 16) "hello\n")
            (func (export "_start")
              (i32.store $out (i32.const 0) (i32.const 16))
              (i32.store $out (i32.const 4) (i32.const 6))
              (i64.store $other (i64.const 0) (i64.const 0x0000_0006_0000_0010))
              (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))))"#
    )
}

/// WASI uses the memory exported as `memory`, whichever index it has; other
/// memories, 64-bit ones included, do not get in its way.
#[test]
fn wasi_uses_the_memory_exported_as_memory_among_several() -> Result<(), Error> {
    let first = wasi_guest(
        r#"(memory $out (export "memory") 1)
           (memory $other i64 1)
           (data (memory $other) (i64.const 16) "wrong!")"#,
    );
    assert_eq!(run_wasi(&first)?, b"hello\n");
    let second = wasi_guest(
        r#"(memory $other i64 1)
           (memory $out (export "memory") 1)
           (data (memory $other) (i64.const 16) "wrong!")"#,
    );
    assert_eq!(run_wasi(&second)?, b"hello\n");
    Ok(())
}

/// A module that imports WASI and exports a 64-bit memory as `memory` is
/// refused when it is instantiated, before anything runs.
#[test]
fn wasi_rejects_a_64_bit_memory_at_instantiation() -> Result<(), Error> {
    let engine = Engine::default();
    let mut linker = Linker::new(&engine);
    interp::wasi::add_to_linker(&mut linker, |ctx: &mut WasiCtx| ctx)?;
    let mut store = Store::new(&engine, WasiCtx::builder().build());
    let wasi = module(
        &engine,
        r#"(module
            (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
            (memory (export "memory") i64 1)
            (func (export "_start") (call $exit (i32.const 3))))"#,
    );
    let message = link_message(linker.instantiate(&mut store, &wasi).unwrap_err());
    assert!(message.contains("WASI preview 1 needs a 32-bit memory"), "{message}");
    assert!(message.contains("64-bit"), "{message}");
    // The same memory without WASI imports instantiates.
    let plain = module(&engine, r#"(module (memory (export "memory") i64 1))"#);
    assert!(linker.instantiate(&mut store, &plain).is_ok());
    Ok(())
}

/// Without the linker's check (positional imports), a WASI call from a module
/// whose `memory` export is 64-bit fails with the same error instead of
/// reading 32-bit pointers from it.
#[test]
fn a_wasi_call_with_a_64_bit_memory_fails_without_the_linkers_check() -> Result<(), Error> {
    let engine = Engine::default();
    let mut linker = Linker::new(&engine);
    interp::wasi::add_to_linker(&mut linker, |ctx: &mut WasiCtx| ctx)?;
    let mut store = Store::new(&engine, WasiCtx::builder().build());
    let m = module(
        &engine,
        r#"(module
            (import "wasi_snapshot_preview1" "random_get" (func $random (param i32 i32) (result i32)))
            (memory (export "memory") i64 1)
            (func (export "run") (result i32) (call $random (i32.const 0) (i32.const 8))))"#,
    );
    let random = linker.get(&mut store, "wasi_snapshot_preview1", "random_get").expect("defined");
    let instance = interp::Instance::new(&mut store, &m, &[random])?;
    let err = instance.get_typed_func::<(), i32>(&store, "run")?.call(&mut store, ()).unwrap_err();
    assert!(err.to_string().contains("WASI preview 1 needs a 32-bit memory"), "{err}");
    Ok(())
}

/// The vector loads and stores in memories other than a 32-bit memory 0: a
/// `v128` stored in memory 1 leaves memory 0 untouched and reads back through
/// each load form (plain, splat, lane, zero-filling); in a 64-bit memory it
/// goes above 4 GiB, and one byte past the end traps.
#[test]
fn vectors_in_memory_1_and_above_4_gib() -> Result<(), Error> {
    let engine = Engine::default();
    let mut store = Store::new(&engine, ());
    let wide = Memory::new(&mut store, MemoryType::new64(65537, Some(65537)))?;
    let m = module(
        &engine,
        r#"(module
            (import "host" "wide" (memory $w i64 65537))
            (memory $a 1)
            (memory $b 1)
            (func (export "mem1") (param i32 v128) (result v128 v128 v128 i32)
              (v128.store $b offset=3 (local.get 0) (local.get 1))
              (v128.load $b offset=3 (local.get 0))
              (v128.load32_splat $b offset=7 (local.get 0))
              (v128.load16_lane $b offset=3 7 (local.get 0) (v128.const i64x2 0 0))
              (i32.load $a offset=3 (local.get 0)))
            (func (export "wide") (param i64 v128) (result v128 v128)
              (v128.store8_lane $w 15 (i64.const 0) (local.get 1))
              (v128.store $w (local.get 0) (local.get 1))
              (v128.load $w (local.get 0))
              (v128.load64_zero $w offset=8 (local.get 0))))"#,
    );
    let mut linker = Linker::new(&engine);
    linker.define("host", "wide", wide)?;
    let instance = linker.instantiate(&mut store, &m)?;
    let x = interp::V128::from_u64x2([0x0706_0504_0302_0100, 0x0f0e_0d0c_0b0a_0908]);

    let mem1 = instance
        .get_typed_func::<(i32, interp::V128), (interp::V128, interp::V128, interp::V128, i32)>(
            &store, "mem1",
        )?;
    let (back, splat, lane, untouched) = mem1.call(&mut store, (100, x))?;
    assert_eq!(back, x);
    assert_eq!(splat, interp::V128::from_i32x4([0x0706_0504; 4]));
    assert_eq!(lane, interp::V128::from_u64x2([0, 0x0100_u64 << 48]));
    assert_eq!(untouched, 0, "memory 0 is not memory 1");
    // 65536 - 16 is the last address a vector fits at in one page.
    assert!(mem1.call(&mut store, (65520 - 3, x)).is_ok());
    let past = mem1.call(&mut store, (65520 - 2, x)).unwrap_err();
    assert_eq!(trap_code(&past), Some(TrapCode::MemoryOutOfBounds));

    let wide_fn = instance
        .get_typed_func::<(i64, interp::V128), (interp::V128, interp::V128)>(&store, "wide")?;
    let high = (1i64 << 32) + 32;
    let (back, zero) = wide_fn.call(&mut store, (high, x))?;
    assert_eq!(back, x);
    assert_eq!(zero, interp::V128::from_u64x2([0x0f0e_0d0c_0b0a_0908, 0]));
    assert_eq!(&wide.data(&store)[high as usize..][..3], &[0, 1, 2]);
    assert_eq!(wide.data(&store)[0], 0x0f, "lane 15 stored at address 0");
    let last = (1i64 << 32) + 65536 - 16;
    assert!(wide_fn.call(&mut store, (last, x)).is_ok());
    let past = wide_fn.call(&mut store, (last + 1, x)).unwrap_err();
    assert_eq!(trap_code(&past), Some(TrapCode::MemoryOutOfBounds));
    Ok(())
}

//! A small tour of the executor's unsafe paths (frames, calls, memory, tables,
//! host calls, traps and growth) with small limits, sized to run under Miri:
//! `cargo +nightly miri test -p interp --test miri`.

use interp::{Caller, Config, Engine, Error, Linker, Module, Store, TrapCode, V128};

const PROGRAM: &str = r#"
(module
  (import "env" "host" (func $host (param i32) (result i32)))
  (memory (export "mem") 1 3)
  (table 4 funcref)
  (type $ii (func (param i32) (result i32)))
  (elem (i32.const 0) $double $host)
  (data (i32.const 16) "abcdefgh")
  (global $g (mut i64) (i64.const 5))
  (func $double (type $ii) (i32.mul (local.get 0) (i32.const 2)))
  (func $fib (param i32) (result i32)
    (if (result i32) (i32.lt_u (local.get 0) (i32.const 2))
      (then (local.get 0))
      (else (i32.add (call $fib (i32.sub (local.get 0) (i32.const 1)))
                     (call $fib (i32.sub (local.get 0) (i32.const 2)))))))
  (func (export "run") (param i32) (result i64)
    (local $acc i64)
    (local.set $acc (i64.extend_i32_u (call $fib (local.get 0))))
    (local.set $acc (i64.add (local.get $acc)
      (i64.extend_i32_u (call_indirect (type $ii) (i32.const 21) (i32.const 0)))))
    (local.set $acc (i64.add (local.get $acc)
      (i64.extend_i32_u (call_indirect (type $ii) (i32.const 3) (i32.const 1)))))
    (drop (memory.grow (i32.const 1)))
    (i64.store offset=8 (i32.const 65536) (local.get $acc))
    (memory.copy (i32.const 100) (i32.const 16) (i32.const 8))
    (memory.fill (i32.const 200) (i32.const 7) (i32.const 4))
    (global.set $g (i64.add (global.get $g) (i64.load offset=8 (i32.const 65536))))
    (i64.add (global.get $g) (i64.load8_u (i32.const 203))))
  (func $rec (export "rec") (call $rec))
  (func (export "oob") (result i32) (i32.load (i32.const 0x7fffffff)))
)"#;

#[test]
fn tour() -> Result<(), Error> {
    let mut config = Config::default();
    config.max_stack_cells(4096).max_call_depth(64);
    let engine = Engine::new(&config);
    let module = Module::new(&engine, PROGRAM)?;
    let mut linker = Linker::new(&engine);
    linker.func_wrap(
        "env",
        "host",
        |mut caller: Caller<'_, ()>, x: i32| -> Result<i32, Error> {
            let mem = caller.get_export("mem").and_then(|e| e.into_memory()).expect("memory");
            let byte = mem.data(&caller)[16];
            mem.data_mut(&mut caller)[17] = b'!';
            Ok(x + i32::from(byte))
        },
    )?;
    let mut store = Store::new(&engine, ());
    let instance = linker.instantiate(&mut store, &module)?;
    let run = instance.get_typed_func::<i32, i64>(&store, "run")?;
    // acc = fib(10) + double(21) + host(3) = 55 + 42 + (3 + 'a') = 197;
    // the global becomes 5 + 197, and the filled byte adds 7.
    assert_eq!(run.call(&mut store, 10)?, 5 + 197 + 7);
    let rec = instance.get_typed_func::<(), ()>(&store, "rec")?;
    assert_eq!(rec.call(&mut store, ()).unwrap_err().trap_code(), Some(TrapCode::StackOverflow));
    let oob = instance.get_typed_func::<(), i32>(&store, "oob")?;
    assert_eq!(
        oob.call(&mut store, ()).unwrap_err().trap_code(),
        Some(TrapCode::MemoryOutOfBounds)
    );
    let mem = instance.get_memory(&store, "mem").expect("memory");
    assert_eq!(&mem.data(&store)[100..108], b"a!cdefgh");
    Ok(())
}

/// The SIMD paths: vectors in two frame cells (parameters, locals, block
/// results, select, calls and returns), the constant pool (constants and
/// shuffle masks), vector globals, and vector loads and stores including the
/// lane forms, in bounds and one byte past the end.
const SIMD: &str = r#"
(module
  (import "env" "swap" (func $swap (param v128) (result v128)))
  (memory 1)
  (global $g (mut v128) (v128.const i32x4 1 2 3 4))
  (func $twice (param v128 i32) (result i32 v128)
    (local.get 1) (i32x4.add (local.get 0) (local.get 0)))
  (func (export "run") (param $x v128) (param $k i32) (result v128)
    (local $t v128)
    (v128.store offset=3 (i32.const 65517) (local.get $x))
    (local.set $t (v128.load32_lane 2 (i32.const 65532) (global.get $g)))
    (v128.store16_lane 5 (i32.const 0) (local.get $t))
    (global.set $g (call $swap (local.get $t)))
    (block $b (result v128)
      (br_if $b (v128.load8_splat (i32.const 1)) (local.get $k))
      (drop)
      (call $twice (local.get $t) (local.get $k))
      (drop)
      (drop)
      (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (global.get $g) (local.get $t)))
    (select (result v128) (local.get $x) (v128.const i64x2 -1 -1) (local.get $k))
    (v128.xor))
  (func (export "oob") (v128.store (i32.const 65521) (v128.const i64x2 0 0))))"#;

#[test]
fn simd_tour() -> Result<(), Error> {
    let mut config = Config::default();
    config.max_stack_cells(4096).max_call_depth(64);
    let engine = Engine::new(&config);
    let module = Module::new(&engine, SIMD)?;
    let mut linker = Linker::new(&engine);
    linker.func_wrap("env", "swap", |v: V128| {
        let [a, b] = v.to_u64x2();
        V128::from_u64x2([b, a])
    })?;
    let mut store = Store::new(&engine, ());
    let instance = linker.instantiate(&mut store, &module)?;
    let run = instance.get_typed_func::<(V128, i32), V128>(&store, "run")?;
    let x = V128::from_i32x4([10, 20, 30, 40]);
    // k = 0: t = [1, 2, x's lane 3 (stored at 65520.., read from 65532), 4];
    // the global becomes t with its halves swapped, [40, 4, 1, 2]; the
    // shuffle takes lanes 0 and 1 of it and of t; the select picks all ones.
    let mixed = V128::from_i32x4([40, 1, 4, 2]);
    assert_eq!(run.call(&mut store, (x, 0))?.as_u128(), !mixed.as_u128());
    // k = 1: the branch carries the splat of byte 1 (the high byte of lane 5
    // of t, stored at 0..2: 0); the select picks x.
    assert_eq!(run.call(&mut store, (x, 1))?, x);
    let oob = instance.get_typed_func::<(), ()>(&store, "oob")?;
    assert_eq!(
        oob.call(&mut store, ()).unwrap_err().trap_code(),
        Some(TrapCode::MemoryOutOfBounds)
    );
    Ok(())
}

/// Several memories: one memory imported twice (growing it through index 1
/// may move the bytes memory 0's cached accesses use: a `Vec` under Miri) and
/// a 64-bit memory, through the executor's `*Mem` instructions.
const MEMORIES: &str = r#"
(module
  (import "env" "mem" (memory $a 1 4))
  (import "env" "mem" (memory $b 1 4))
  (memory $w i64 1 2)
  (func (export "run") (result i64)
    (i32.store $a (i32.const 8) (i32.const 5))
    (drop (memory.grow $b (i32.const 1)))
    (i32.store $a (i32.const 65540) (i32.const 7))
    (memory.copy $w $b (i64.const 16) (i32.const 65540) (i32.const 4))
    (drop (memory.grow $w (i64.const 1)))
    (i64.store $w (i64.const 65536) (i64.const 9))
    (i64.add (i64.load32_u $w (i64.const 16))
      (i64.add (i64.load $w (i64.const 65536)) (i64.load32_u $a (i32.const 8)))))
  (func (export "oob") (result i32) (i32.load $w offset=0xffff_ffff_ffff_fffc (i64.const 4)))
)"#;

#[test]
fn memories_tour() -> Result<(), Error> {
    let engine = Engine::default();
    let module = Module::new(&engine, MEMORIES)?;
    let mut store = Store::new(&engine, ());
    let mem = interp::Memory::new(&mut store, interp::MemoryType::new(1, Some(4)))?;
    let mut linker = Linker::new(&engine);
    linker.define("env", "mem", mem)?;
    let instance = linker.instantiate(&mut store, &module)?;
    let run = instance.get_typed_func::<(), i64>(&store, "run")?;
    assert_eq!(run.call(&mut store, ())?, 7 + 9 + 5);
    assert_eq!(mem.size(&store), 2);
    let oob = instance.get_typed_func::<(), i32>(&store, "oob")?;
    assert_eq!(
        oob.call(&mut store, ()).unwrap_err().trap_code(),
        Some(TrapCode::MemoryOutOfBounds)
    );
    Ok(())
}

/// Tail calls: frames replaced in place (directly, through a table, to a
/// host function from the outermost frame and from a nested one) and wide
/// arithmetic's slot pairs.
const TAIL_CALLS: &str = r#"
(module
  (import "env" "host" (func $host (param i32) (result i32)))
  (type $ii (func (param i32) (result i32)))
  (table 2 funcref)
  (elem (i32.const 0) $count $host)
  (func $count (param $n i32) (result i32)
    (local $unused i64)
    (if (i32.eqz (local.get $n)) (then (return_call $host (i32.const 1))))
    (return_call_indirect (type $ii) (i32.sub (local.get $n) (i32.const 1)) (i32.const 0)))
  (func (export "count") (param i32) (result i32)
    (i32.add (call $count (local.get 0)) (i32.const 1)))
  (func (export "host_tail") (param i32) (result i32)
    (return_call_indirect (type $ii) (local.get 0) (i32.const 1)))
  (func (export "wide") (param i64 i64) (result i64 i64)
    (i64.add128 (local.get 0) (local.get 1) (local.get 1) (local.get 0))
    (i64.mul_wide_u)))
"#;

#[test]
fn tail_call_tour() -> Result<(), Error> {
    let mut config = Config::default();
    config.max_stack_cells(1024).max_call_depth(2);
    let engine = Engine::new(&config);
    let module = Module::new(&engine, TAIL_CALLS)?;
    let mut linker = Linker::new(&engine);
    linker.func_wrap("env", "host", |x: i32| -> Result<i32, Error> { Ok(x + 40) })?;
    let mut store = Store::new(&engine, ());
    let instance = linker.instantiate(&mut store, &module)?;
    let count = instance.get_typed_func::<i32, i32>(&store, "count")?;
    assert_eq!(count.call(&mut store, 50)?, 42);
    let host_tail = instance.get_typed_func::<i32, i32>(&store, "host_tail")?;
    assert_eq!(host_tail.call(&mut store, 2)?, 42);
    let wide = instance.get_typed_func::<(i64, i64), (i64, i64)>(&store, "wide")?;
    // (2 + 3 * 2^64) + (3 + 2 * 2^64) = 5 + 5 * 2^64; 5 * 5 = 25.
    assert_eq!(wide.call(&mut store, (2, 3))?, (25, 0));
    Ok(())
}

//! `v128` values through the embedding API and through every way the
//! translator moves values: locals mixed with scalars, block results and
//! parameters, branches (`br`, `br_if`, `br_table`), `if`/`else`, `select`,
//! calls (direct, indirect, imported), returns and globals. The spec suite
//! (`proposals/simd`) checks the operators; these check where the two cells
//! of a vector go.

use interp::{
    Caller, Config, Engine, Error, Func, FuncType, Global, GlobalType, Linker, Module, Mutability,
    Store, TrapCode, V128, Val, ValType,
};

fn v(lanes: [i32; 4]) -> V128 {
    V128::from_i32x4(lanes)
}

fn instantiate(wat: &str) -> (Store<()>, interp::Instance) {
    let engine = Engine::default();
    let module = Module::new(&engine, wat).expect("test module compiles");
    let mut store = Store::new(&engine, ());
    let instance = Linker::new(&engine).instantiate(&mut store, &module).expect("instantiates");
    (store, instance)
}

#[test]
fn typed_calls_mix_vectors_and_scalars() -> Result<(), Error> {
    let (mut store, instance) = instantiate(
        r#"(module
             (func (export "f") (param i32 v128 i64) (result v128 i32 i64)
               (i32x4.add (local.get 1) (i32x4.splat (local.get 0)))
               (i32x4.extract_lane 3 (local.get 1))
               (local.get 2)))"#,
    );
    let f = instance.get_typed_func::<(i32, V128, i64), (V128, i32, i64)>(&store, "f")?;
    let (sum, lane, wide) = f.call(&mut store, (10, v([1, 2, 3, 4]), -5))?;
    assert_eq!(sum, v([11, 12, 13, 14]));
    assert_eq!((lane, wide), (4, -5));
    // The untyped form agrees.
    let f = instance.get_func(&store, "f").expect("exported");
    let mut results = [Val::I32(0), Val::I32(0), Val::I32(0)];
    results[0] = Val::V128(V128::from_u128(0));
    f.call(&mut store, &[Val::I32(1), Val::V128(v([0, 0, 0, 7])), Val::I64(9)], &mut results)?;
    assert_eq!(results, [Val::V128(v([1, 1, 1, 8])), Val::I32(7), Val::I64(9)]);
    assert_eq!(f.ty(&store).results(), [ValType::V128, ValType::I32, ValType::I64]);
    Ok(())
}

#[test]
fn host_functions_take_and_return_vectors() -> Result<(), Error> {
    let engine = Engine::default();
    let mut store = Store::new(&engine, ());
    let mut linker = Linker::new(&engine);
    // Typed: a scalar before and after the vector checks the cell layout.
    let swap = Func::wrap(&mut store, |_: Caller<'_, ()>, a: i32, x: V128, b: i64| {
        let [l0, l1, l2, l3] = x.to_i32x4();
        (b, V128::from_i32x4([l3, l2, l1, l0]), a)
    });
    linker.define("host", "swap", swap)?;
    // Untyped.
    let ty = FuncType::new([ValType::V128, ValType::V128], [ValType::V128]);
    let xor = Func::new(&mut store, ty, |_, params, results| {
        let (a, b) = (params[0].unwrap_v128(), params[1].unwrap_v128());
        results[0] = Val::V128(V128::from_u128(a.as_u128() ^ b.as_u128()));
        Ok(())
    });
    linker.define("host", "xor", xor)?;
    let module = Module::new(
        &engine,
        r#"(module
             (import "host" "swap" (func $swap (param i32 v128 i64) (result i64 v128 i32)))
             (import "host" "xor" (func $xor (param v128 v128) (result v128)))
             (func (export "run") (param v128) (result v128 i64 i32)
               (local $w i64) (local $n i32)
               (call $swap (i32.const 3) (local.get 0) (i64.const 4))
               (local.set $n)
               (call $xor (v128.const i32x4 0 0 0 -1))
               (local.set 0)
               (local.set $w)
               (local.get 0) (local.get $w) (local.get $n)))"#,
    )?;
    let instance = linker.instantiate(&mut store, &module)?;
    let run = instance.get_typed_func::<V128, (V128, i64, i32)>(&store, "run")?;
    let (x, w, n) = run.call(&mut store, v([1, 2, 3, 4]))?;
    assert_eq!(x, v([4, 3, 2, !1]));
    assert_eq!((w, n), (4, 3));
    Ok(())
}

#[test]
fn vector_globals() -> Result<(), Error> {
    let engine = Engine::default();
    let mut store = Store::new(&engine, ());
    let imported = Global::new(
        &mut store,
        GlobalType::new(ValType::V128, Mutability::Const),
        Val::V128(v([5, 6, 7, 8])),
    )?;
    let mut linker = Linker::new(&engine);
    linker.define("env", "g", imported)?;
    let module = Module::new(
        &engine,
        r#"(module
             (import "env" "g" (global $g v128))
             (global $copy (export "copy") v128 (global.get $g))
             (global $m (export "m") (mut v128) (v128.const i64x2 1 2))
             (global $after (mut i64) (i64.const 99))
             (func (export "bump") (result v128 i64)
               (global.set $m (i64x2.add (global.get $m) (global.get $copy)))
               (global.get $m) (global.get $after)))"#,
    )?;
    let instance = linker.instantiate(&mut store, &module)?;
    let copy = instance.get_global(&store, "copy").expect("exported");
    assert_eq!(copy.get(&store), Val::V128(v([5, 6, 7, 8])));
    let m = instance.get_global(&store, "m").expect("exported");
    assert_eq!(m.get(&store), Val::V128(V128::from_i64x2([1, 2])));
    let bump = instance.get_typed_func::<(), (V128, i64)>(&store, "bump")?;
    let (sum, after) = bump.call(&mut store, ())?;
    let [a, b] = v([5, 6, 7, 8]).to_i64x2();
    assert_eq!(sum, V128::from_i64x2([1 + a, 2 + b]));
    assert_eq!(after, 99, "the next global is untouched");
    // The host sees the write and can write too.
    assert_eq!(m.get(&store), Val::V128(sum));
    m.set(&mut store, Val::V128(V128::from_u128(u128::MAX)))?;
    let (sum, _) = bump.call(&mut store, ())?;
    assert_eq!(sum, V128::from_i64x2([a - 1, b - 1]));
    let err = m.set(&mut store, Val::I64(0)).expect_err("wrong type");
    assert!(err.to_string().contains("v128"), "{err}");
    Ok(())
}

#[test]
fn vectors_through_blocks_branches_and_select() -> Result<(), Error> {
    let (mut store, instance) = instantiate(
        r#"(module
             (func (export "pick") (param $k i32) (param $a v128) (param $b v128) (result v128)
               (local $x i64) (local $t v128) (local $y i32)
               (local.set $x (i64.const 77))
               (local.set $y (i32.const 5))
               (block $done (result v128)
                 (block $two (result v128)
                   (block $one (result v128)
                     (block $zero (result v128)
                       (local.get $a)
                       (local.get $k)
                       (br_table $zero $one $two $done))
                     ;; k = 0: a + b, through a br_if that is taken
                     (local.set $t (i32x4.add (local.get $b)))
                     (br_if $done (local.get $t) (i32.const 1))
                     (unreachable))
                   ;; k = 1: select on vectors, then a loop that carries a vector
                   (local.set $t)
                   (select (result v128) (local.get $b) (local.get $t) (local.get $y))
                   (loop $l (param v128) (result v128)
                     (local.set $y (i32.sub (local.get $y) (i32.const 1)))
                     (i32x4.add (v128.const i32x4 1 1 1 1))
                     (br_if $l (local.get $y)))
                   (br $done))
                 ;; k = 2: if/else with vector results and a br_if not taken
                 (local.set $t)
                 (if (result v128) (i32.eqz (local.get $k))
                   (then (local.get $t))
                   (else
                     (br_if $done (local.get $t) (i32.const 0))
                     (drop)
                     (i32x4.sub (local.get $t) (local.get $b)))))
               ;; scalars next to the vectors survived every move
               (i32x4.replace_lane 0 (i32.wrap_i64 (local.get $x)))))"#,
    );
    let pick = instance.get_typed_func::<(i32, V128, V128), V128>(&store, "pick")?;
    let (a, b) = (v([1, 2, 3, 4]), v([10, 20, 30, 40]));
    assert_eq!(pick.call(&mut store, (0, a, b))?, v([77, 22, 33, 44]));
    // select picks b (y = 5), the loop adds 1 five times.
    assert_eq!(pick.call(&mut store, (1, a, b))?, v([77, 25, 35, 45]));
    assert_eq!(pick.call(&mut store, (2, a, b))?, v([77, -18, -27, -36]));
    assert_eq!(pick.call(&mut store, (3, a, b))?, v([77, 2, 3, 4]));
    Ok(())
}

#[test]
fn vectors_through_calls_and_returns() -> Result<(), Error> {
    let (mut store, instance) = instantiate(
        r#"(module
             (type $vv (func (param v128 i32) (result i32 v128)))
             (table funcref (elem $twice))
             (func $twice (param v128 i32) (result i32 v128)
               (local.get 1)
               (if (i32.gt_s (local.get 1) (i32.const 100))
                 (then (return (i32.const -1) (local.get 0))))
               (i32x4.add (local.get 0) (local.get 0)))
             (func $fold (export "fold") (param $n i32) (result v128)
               (local $acc v128)
               (local.set $acc (v128.const i32x4 1 2 3 4))
               (block $out
                 (loop $top
                   (br_if $out (i32.eqz (local.get $n)))
                   (call $twice (local.get $acc) (local.get $n))
                   (local.set $acc)
                   (local.set $n (i32.sub (i32.const 1)))
                   (call_indirect (type $vv) (local.get $acc) (local.get $n) (i32.const 0))
                   (local.set $acc)
                   (drop)
                   (br $top)))
               (return (local.get $acc)))
             (func (export "early") (param i32) (result v128)
               (return (call $twice (v128.const i64x2 3 -3) (local.get 0)))
               (unreachable)))"#,
    );
    let fold = instance.get_typed_func::<i32, V128>(&store, "fold")?;
    // n = 2: twice(acc, 2) is acc*2, n becomes 1, call_indirect twice(acc*2, 1)
    // is acc*4; n = 1: acc*8, n becomes 0, acc*16; n = 0 ends the loop.
    assert_eq!(fold.call(&mut store, 2)?, v([16, 32, 48, 64]));
    assert_eq!(fold.call(&mut store, 0)?, v([1, 2, 3, 4]));
    // `return` of the top operand of two; twice's early return of two values.
    let early = instance.get_typed_func::<i32, V128>(&store, "early")?;
    // (i32x4 lanes of i64x2 [3, -3] are [3, 0, -3, -1].)
    assert_eq!(early.call(&mut store, 5)?, v([6, 0, -6, -2]));
    assert_eq!(early.call(&mut store, 101)?, V128::from_i64x2([3, -3]));
    Ok(())
}

#[test]
fn vector_memory_accesses_trap_out_of_bounds() -> Result<(), Error> {
    let (mut store, instance) = instantiate(
        r#"(module
             (memory 1)
             (func (export "store") (param i32 v128) (v128.store offset=1 (local.get 0) (local.get 1)))
             (func (export "load") (param i32) (result v128) (v128.load (local.get 0)))
             (func (export "lane") (param i32 v128) (result v128)
               (v128.load16_lane 3 (local.get 0) (local.get 1)))
             (func (export "store_lane") (param i32 v128)
               (v128.store64_lane 1 (local.get 0) (local.get 1))))"#,
    );
    let store_fn = instance.get_typed_func::<(i32, V128), ()>(&store, "store")?;
    let load = instance.get_typed_func::<i32, V128>(&store, "load")?;
    let lane = instance.get_typed_func::<(i32, V128), V128>(&store, "lane")?;
    let store_lane = instance.get_typed_func::<(i32, V128), ()>(&store, "store_lane")?;
    let x = V128::from_u128(0x0f0e_0d0c_0b0a_0908_0706_0504_0302_0100);
    store_fn.call(&mut store, (15, x))?;
    assert_eq!(load.call(&mut store, 16)?, x);
    // The last 16 bytes of the page are in bounds, one more is not.
    store_fn.call(&mut store, (65535 - 16, x))?;
    let err = store_fn.call(&mut store, (65535 - 15, x)).expect_err("past the end");
    assert_eq!(err.trap_code(), Some(TrapCode::MemoryOutOfBounds));
    let err = load.call(&mut store, 65521).expect_err("past the end");
    assert_eq!(err.trap_code(), Some(TrapCode::MemoryOutOfBounds));
    // Lane 3 of 16-bit lanes is bytes 6..8.
    let got = lane.call(&mut store, (16 + 4, V128::from_u128(0)))?;
    assert_eq!(got.to_i16x8()[3], 0x0504);
    assert_eq!(got.as_u128() & !(0xffff << 48), 0);
    let err = lane.call(&mut store, (65535, x)).expect_err("past the end");
    assert_eq!(err.trap_code(), Some(TrapCode::MemoryOutOfBounds));
    store_lane.call(&mut store, (0, x))?;
    assert_eq!(load.call(&mut store, 0)?.to_u64x2()[0], x.to_u64x2()[1]);
    let err = store_lane.call(&mut store, (65529, x)).expect_err("past the end");
    assert_eq!(err.trap_code(), Some(TrapCode::MemoryOutOfBounds));
    Ok(())
}

#[test]
fn simd_can_be_turned_off() {
    let mut config = Config::default();
    config.wasm_relaxed_simd(false);
    let engine = Engine::new(&config);
    let relaxed = r#"(module (func (param v128) (result v128)
                       (f32x4.relaxed_madd (local.get 0) (local.get 0) (local.get 0))))"#;
    let err = Module::new(&engine, relaxed).expect_err("relaxed SIMD is off");
    assert!(err.to_string().starts_with("unsupported proposal: relaxed-simd"), "{err}");
    assert!(Module::new(&Engine::default(), relaxed).is_ok());
}

//! Exception handling through the embedding API: deep unwinding without
//! native recursion, many throws, traps that no handler catches, tags shared
//! through the linker, host functions that throw and exceptions that cross
//! host calls, `exnref` values in globals and tables, and the error an
//! uncaught exception becomes.

use interp::{
    Caller, Engine, Error, ExnRef, Extern, FuncType, Instance, Linker, Module, Store, Tag, TagType,
    TrapCode, Val, ValType,
};

fn instantiate(wat: &str) -> Result<(Store<()>, Instance), Error> {
    let engine = Engine::default();
    let module = Module::new(&engine, wat)?;
    let mut store = Store::new(&engine, ());
    let instance = Linker::new(&engine).instantiate(&mut store, &module)?;
    Ok((store, instance))
}

/// `$down n` recurses `n` frames, then throws `$e` carrying `payload`; no
/// frame on the way has a handler.
const DOWN: &str = r#"
  (tag $e (export "e") (param i32))
  (func $down (param $n i32) (param $payload i32)
    (if (i32.eqz (local.get $n)) (then (throw $e (local.get $payload))))
    (call $down (i32.sub (local.get $n) (i32.const 1)) (local.get $payload)))
  (func (export "catch_at_bottom") (param $depth i32) (param $payload i32) (result i32)
    (block $h (result i32)
      (try_table (catch $e $h) (call $down (local.get $depth) (local.get $payload)))
      (i32.const -1)))
"#;

/// Runs `f` on a thread whose native stack is far too small for one native
/// frame per wasm frame unwound.
fn on_small_stack<R: Send + 'static>(f: impl FnOnce() -> R + Send + 'static) -> R {
    std::thread::Builder::new()
        .stack_size(512 * 1024)
        .spawn(f)
        .expect("spawn")
        .join()
        .expect("no native stack overflow")
}

#[test]
fn an_exception_thrown_50000_frames_deep_is_caught_at_the_bottom() {
    let result = on_small_stack(|| -> Result<i32, Error> {
        let (mut store, instance) = instantiate(&format!("(module {DOWN})"))?;
        let f = instance.get_typed_func::<(i32, i32), i32>(&store, "catch_at_bottom")?;
        f.call(&mut store, (50_000, 1234))
    });
    assert_eq!(result.expect("caught"), 1234);
}

#[test]
fn ten_thousand_throws_each_caught_100_frames_up() -> Result<(), Error> {
    let wat = format!(
        r#"(module {DOWN}
          (func (export "many") (param $count i32) (result i64)
            (local $i i32) (local $sum i64)
            (loop $next
              (local.set $sum (i64.add (local.get $sum) (i64.extend_i32_u
                (call 1 (i32.const 100) (local.get $i)))))
              (local.set $i (i32.add (local.get $i) (i32.const 1)))
              (br_if $next (i32.lt_u (local.get $i) (local.get $count))))
            (local.get $sum)))"#
    );
    let (mut store, instance) = instantiate(&wat)?;
    let many = instance.get_typed_func::<i32, i64>(&store, "many")?;
    // Each throw's payload is its loop index: the sum shows every one of
    // them was caught with its own payload.
    assert_eq!(many.call(&mut store, 10_000)?, (0..10_000i64).sum());
    Ok(())
}

#[test]
fn traps_inside_try_table_are_not_caught() -> Result<(), Error> {
    let (mut store, instance) = instantiate(
        r#"(module
          (func $div (param i32 i32) (result i32) (i32.div_u (local.get 0) (local.get 1)))
          (func (export "unreachable") (result i32)
            (block $h
              (try_table (catch_all $h) (unreachable)))
            (i32.const 1))
          (func (export "divide") (param i32) (result i32)
            (block $h (result exnref)
              (try_table (catch_all_ref $h)
                (return (call $div (i32.const 10) (local.get 0))))
              (ref.null exn))
            (drop)
            (i32.const -1)))"#,
    )?;
    let f = instance.get_typed_func::<(), i32>(&store, "unreachable")?;
    assert_eq!(f.call(&mut store, ()).unwrap_err().trap_code(), Some(TrapCode::Unreachable));
    let f = instance.get_typed_func::<i32, i32>(&store, "divide")?;
    assert_eq!(f.call(&mut store, 2)?, 5);
    let err = f.call(&mut store, 0).unwrap_err();
    assert_eq!(err.trap_code(), Some(TrapCode::IntegerDivideByZero), "{err}");
    Ok(())
}

#[test]
fn an_uncaught_exception_returns_its_tag_payload_and_backtrace() -> Result<(), Error> {
    let (mut store, instance) = instantiate(
        r#"(module
          (tag $e (export "e") (param i32 i64))
          (func $inner (param i32) (throw $e (local.get 0) (i64.const -5)))
          (func $outer (export "outer") (param i32) (call $inner (local.get 0))))"#,
    )?;
    let outer = instance.get_typed_func::<i32, ()>(&store, "outer")?;
    let err = outer.call(&mut store, 7).unwrap_err();
    assert!(err.as_trap().is_none());
    let exception = err.as_exception().expect("an exception");
    assert_eq!(Some(exception.tag()), instance.get_tag(&store, "e"));
    assert_eq!(exception.payload(), [Val::I32(7), Val::I64(-5)]);
    let names: Vec<_> = exception.trace().iter().map(|f| f.func_name.clone()).collect();
    assert_eq!(names, [Some("inner".to_string()), Some("outer".to_string())]);
    assert_eq!(exception.exn().payload(&store), [Val::I32(7), Val::I64(-5)]);
    assert!(err.to_string().starts_with("uncaught wasm exception"), "{err}");
    Ok(())
}

#[test]
fn host_functions_throw_and_exceptions_cross_host_calls() -> Result<(), Error> {
    let engine = Engine::default();
    let mut store = Store::new(&engine, ());
    let tag = Tag::new(&mut store, &TagType::new(FuncType::new([ValType::I32], [])));
    let mut linker = Linker::new(&engine);
    linker.define("host", "e", tag)?;
    // Throws `e` with its argument.
    linker.func_wrap(
        "host",
        "throw",
        move |mut caller: Caller<'_, ()>, x: i32| -> Result<(), Error> {
            let exn = ExnRef::new(&mut caller, tag, &[Val::I32(x)])?;
            Err(exn.throw(&caller))
        },
    )?;
    // Calls the wasm export `inner`, letting whatever it throws through.
    linker.func_wrap(
        "host",
        "reenter",
        |mut caller: Caller<'_, ()>, x: i32| -> Result<(), Error> {
            let Some(Extern::Func(inner)) = caller.get_export("inner") else {
                return Err(Error::msg("no inner"));
            };
            inner.call(&mut caller, &[Val::I32(x)], &mut [])
        },
    )?;
    let module = Module::new(
        &engine,
        r#"(module
          (import "host" "e" (tag $e (param i32)))
          (import "host" "throw" (func $throw (param i32)))
          (import "host" "reenter" (func $reenter (param i32)))
          (func (export "inner") (param i32) (throw $e (i32.mul (local.get 0) (i32.const 2))))
          (func (export "catch_host") (param i32) (result i32)
            (block $h (result i32)
              (try_table (catch $e $h) (call $throw (local.get 0)))
              (i32.const -1)))
          (func (export "through_host") (param i32) (result i32)
            (block $h (result i32)
              (try_table (catch $e $h) (call $reenter (local.get 0)))
              (i32.const -1)))
          (func (export "tail_through_host") (param i32)
            (return_call $reenter (local.get 0))))"#,
    )?;
    let instance = linker.instantiate(&mut store, &module)?;
    let catch_host = instance.get_typed_func::<i32, i32>(&store, "catch_host")?;
    assert_eq!(catch_host.call(&mut store, 42)?, 42);
    let through_host = instance.get_typed_func::<i32, i32>(&store, "through_host")?;
    assert_eq!(through_host.call(&mut store, 21)?, 42);
    // Uncaught, an exception thrown below a host call keeps the frames it
    // unwound on both sides.
    let tail = instance.get_typed_func::<i32, ()>(&store, "tail_through_host")?;
    let err = tail.call(&mut store, 4).unwrap_err();
    let exception = err.as_exception().expect("an exception");
    assert_eq!(exception.tag(), tag);
    assert_eq!(exception.payload(), [Val::I32(8)]);
    assert_eq!(exception.trace()[0].func_name, None);
    Ok(())
}

#[test]
fn tags_are_identities_shared_through_imports() -> Result<(), Error> {
    let engine = Engine::default();
    let mut store = Store::new(&engine, ());
    let mut linker = Linker::new(&engine);
    let a = Module::new(
        &engine,
        r#"(module (tag $e (export "e") (param i32))
             (func (export "throw") (param i32) (throw $e (local.get 0))))"#,
    )?;
    let a = linker.instantiate(&mut store, &a)?;
    linker.instance(&store, "a", a)?;
    let b = Module::new(
        &engine,
        r#"(module
          (import "a" "e" (tag $imported (param i32)))
          (import "a" "throw" (func $throw (param i32)))
          (tag $own (param i32))
          (func (export "by_import") (param i32) (result i32)
            (block $h (result i32)
              (try_table (catch $own $h) (catch $imported $h) (call $throw (local.get 0)))
              (i32.const -1)))
          (func (export "by_own") (param i32) (result i32)
            (block $all
              (block $h (result i32)
                (try_table (catch $own $h) (catch_all $all) (call $throw (local.get 0)))
                (i32.const -1))
              (return))
            (i32.const -2)))"#,
    )?;
    let b = linker.instantiate(&mut store, &b)?;
    assert_eq!(b.get_typed_func::<i32, i32>(&store, "by_import")?.call(&mut store, 3)?, 3);
    // A tag of the same type defined elsewhere is another tag.
    assert_eq!(b.get_typed_func::<i32, i32>(&store, "by_own")?.call(&mut store, 3)?, -2);
    // Importing a tag of another type does not link.
    let c = Module::new(&engine, r#"(module (import "a" "e" (tag (param i64))))"#)?;
    let err = linker.instantiate(&mut store, &c).unwrap_err();
    assert!(err.is_link(), "{err}");
    assert!(err.to_string().contains("incompatible import type"), "{err}");
    Ok(())
}

#[test]
fn exnref_values_live_in_locals_globals_and_tables() -> Result<(), Error> {
    let (mut store, instance) = instantiate(
        r#"(module
          (tag $e (param i32))
          (global $g (mut exnref) (ref.null exn))
          (table $t 2 exnref)
          (func $catch (param i32) (result exnref)
            (local $r exnref)
            (block $h (result i32 exnref)
              (try_table (catch_ref $e $h) (throw $e (local.get 0)))
              (unreachable))
            (local.set $r)
            (drop)
            (local.get $r))
          (func (export "keep") (param i32)
            (global.set $g (call $catch (local.get 0)))
            (table.set $t (i32.const 1) (call $catch (i32.add (local.get 0) (i32.const 1)))))
          (func $rethrow (param exnref) (result i32)
            (block $h (result i32)
              (try_table (catch $e $h) (throw_ref (local.get 0)))
              (i32.const -1)))
          (func (export "from_global") (result i32) (call $rethrow (global.get $g)))
          (func (export "from_table") (result i32) (call $rethrow (table.get $t (i32.const 1))))
          (func (export "null") (result i32) (call $rethrow (ref.null exn)))
          (func (export "get") (result exnref) (global.get $g)))"#,
    )?;
    instance.get_typed_func::<i32, ()>(&store, "keep")?.call(&mut store, 10)?;
    assert_eq!(
        instance.get_typed_func::<(), i32>(&store, "from_global")?.call(&mut store, ())?,
        10
    );
    assert_eq!(instance.get_typed_func::<(), i32>(&store, "from_table")?.call(&mut store, ())?, 11);
    // Rethrowing keeps the exception: it can be caught again.
    assert_eq!(
        instance.get_typed_func::<(), i32>(&store, "from_global")?.call(&mut store, ())?,
        10
    );
    let err = instance.get_typed_func::<(), i32>(&store, "null")?.call(&mut store, ()).unwrap_err();
    assert_eq!(err.trap_code(), Some(TrapCode::NullReference));
    let get = instance.get_func(&store, "get").expect("exported");
    let mut out = [Val::ExnRef(None)];
    get.call(&mut store, &[], &mut out)?;
    let Val::ExnRef(Some(exn)) = out[0] else { panic!("expected an exception, got {:?}", out[0]) };
    assert_eq!(exn.payload(&store), [Val::I32(10)]);
    Ok(())
}

/// A `v128` in a payload takes two cells like everywhere else: caught by
/// `catch` and `catch_ref` (then rethrown) beside scalars, thrown by a host
/// function, and reported whole when it escapes.
#[test]
fn vectors_in_payloads() -> Result<(), Error> {
    let engine = Engine::default();
    let mut store = Store::new(&engine, ());
    let ty = TagType::new(FuncType::new([ValType::I32, ValType::V128, ValType::I64], []));
    let tag = Tag::new(&mut store, &ty);
    let mut linker = Linker::new(&engine);
    linker.define("host", "e", tag)?;
    linker.func_wrap(
        "host",
        "throw",
        move |mut caller: Caller<'_, ()>, v: interp::V128| -> Result<(), Error> {
            let payload = [Val::I32(1), Val::V128(v), Val::I64(2)];
            Err(ExnRef::new(&mut caller, tag, &payload)?.throw(&caller))
        },
    )?;
    let module = Module::new(
        &engine,
        r#"(module
          (import "host" "e" (tag $e (param i32 v128 i64)))
          (import "host" "throw" (func $throw (param v128)))
          (func $sum (param i32 v128 i64) (result v128)
            (i32x4.add (local.get 1)
              (i32x4.splat (i32.add (local.get 0) (i32.wrap_i64 (local.get 2))))))
          (func (export "wasm") (param v128) (result v128)
            (block $h (result i32 v128 i64)
              (try_table (catch $e $h) (throw $e (i32.const 10) (local.get 0) (i64.const 20)))
              (unreachable))
            (call $sum))
          (func (export "host") (param v128) (result v128)
            (block $h (result i32 v128 i64 exnref)
              (try_table (catch_ref $e $h) (call $throw (local.get 0)))
              (unreachable))
            (drop)
            (call $sum))
          (func (export "rethrow") (param v128)
            (block $h (result exnref)
              (try_table (catch_all_ref $h) (call $throw (local.get 0)))
              (unreachable))
            (throw_ref))
          (func $deep (param v128)
            (throw $e (i32.const 3) (i32x4.mul (local.get 0) (local.get 0)) (i64.const -4)))
          (func (export "escape") (param v128) (call $deep (local.get 0))))"#,
    )?;
    let instance = linker.instantiate(&mut store, &module)?;
    let x = interp::V128::from_i32x4([1, 2, 3, 4]);
    let wasm = instance.get_typed_func::<interp::V128, interp::V128>(&store, "wasm")?;
    assert_eq!(wasm.call(&mut store, x)?, interp::V128::from_i32x4([31, 32, 33, 34]));
    let host = instance.get_typed_func::<interp::V128, interp::V128>(&store, "host")?;
    assert_eq!(host.call(&mut store, x)?, interp::V128::from_i32x4([4, 5, 6, 7]));
    let rethrow = instance.get_typed_func::<interp::V128, ()>(&store, "rethrow")?;
    let err = rethrow.call(&mut store, x).unwrap_err();
    let exception = err.as_exception().expect("an exception");
    assert_eq!(exception.payload(), [Val::I32(1), Val::V128(x), Val::I64(2)]);
    let escape = instance.get_typed_func::<interp::V128, ()>(&store, "escape")?;
    let err = escape.call(&mut store, x).unwrap_err();
    let squares = interp::V128::from_i32x4([1, 4, 9, 16]);
    let exception = err.as_exception().expect("an exception");
    assert_eq!(exception.payload(), [Val::I32(3), Val::V128(squares), Val::I64(-4)]);
    Ok(())
}

//! Tail calls (`return_call`, `return_call_indirect`): the callee replaces the
//! caller's frame, so unbounded tail recursion runs in constant stack space,
//! also across host functions; traps and backtraces as the spec says.

use interp::{
    Caller, Config, Engine, Error, Extern, Func, Instance, Linker, Module, Store, TrapCode, Val,
};

fn module(engine: &Engine, wat: &str) -> Module {
    Module::new(engine, wat).expect("test module compiles")
}

/// `ping`/`pong` call each other `n` times by `return_call`, and the
/// `_indirect` pair through a table; each call adds one to the count it
/// passes on, which the last one returns. `via_call` reaches them through an
/// ordinary call, so that they run one frame deep.
const MUTUAL: &str = r#"
(module
  (type $step (func (param i64 i64) (result i64)))
  (table $t funcref (elem $ping_indirect $pong_indirect))
  (func $ping (export "ping") (param $n i64) (param $count i64) (result i64)
    (if (i64.eqz (local.get $n)) (then (return (local.get $count))))
    (return_call $pong (i64.sub (local.get $n) (i64.const 1))
                       (i64.add (local.get $count) (i64.const 1))))
  (func $pong (param $n i64) (param $count i64) (result i64)
    (if (i64.eqz (local.get $n)) (then (return (local.get $count))))
    (return_call $ping (i64.sub (local.get $n) (i64.const 1))
                       (i64.add (local.get $count) (i64.const 1))))
  (func $ping_indirect (export "ping_indirect") (param $n i64) (param $count i64) (result i64)
    (if (i64.eqz (local.get $n)) (then (return (local.get $count))))
    (return_call_indirect $t (type $step)
      (i64.sub (local.get $n) (i64.const 1))
      (i64.add (local.get $count) (i64.const 1))
      (i32.const 1)))
  (func $pong_indirect (param $n i64) (param $count i64) (result i64)
    (local $unused i64)
    (if (i64.eqz (local.get $n)) (then (return (local.get $count))))
    (return_call_indirect $t (type $step)
      (i64.sub (local.get $n) (i64.const 1))
      (i64.add (local.get $count) (i64.const 1))
      (i32.const 0)))
  (func (export "via_call") (param $n i64) (param $indirect i32) (result i64)
    (if (result i64) (local.get $indirect)
      (then (call $ping_indirect (local.get $n) (i64.const 0)))
      (else (call $ping (local.get $n) (i64.const 0)))))
)"#;

const TEN_MILLION: i64 = 10_000_000;

#[test]
fn ten_million_mutual_return_calls_fit_the_default_limits() -> Result<(), Error> {
    // The default limits allow 100,000 frames and 8Mi value cells: a tail
    // call that kept its caller's frame, or one cell of it, would exhaust
    // them long before the last of the ten million calls.
    let engine = Engine::default();
    let mut store = Store::new(&engine, ());
    let instance = Linker::new(&engine).instantiate(&mut store, &module(&engine, MUTUAL))?;
    let ping = instance.get_typed_func::<(i64, i64), i64>(&store, "ping")?;
    assert_eq!(ping.call(&mut store, (TEN_MILLION, 0))?, TEN_MILLION);
    Ok(())
}

#[test]
fn ten_million_mutual_return_call_indirects_fit_the_default_limits() -> Result<(), Error> {
    let engine = Engine::default();
    let mut store = Store::new(&engine, ());
    let instance = Linker::new(&engine).instantiate(&mut store, &module(&engine, MUTUAL))?;
    let ping = instance.get_typed_func::<(i64, i64), i64>(&store, "ping_indirect")?;
    assert_eq!(ping.call(&mut store, (TEN_MILLION, 0))?, TEN_MILLION);
    Ok(())
}

#[test]
fn tail_recursion_needs_one_frame_and_no_extra_cells() -> Result<(), Error> {
    // One frame below the outermost and the smallest value stack: every call
    // made by `return_call` must reuse the frame it replaces, cell for cell.
    let mut config = Config::default();
    config.max_call_depth(1).max_stack_cells(1024);
    let engine = Engine::new(&config);
    let mut store = Store::new(&engine, ());
    let instance = Linker::new(&engine).instantiate(&mut store, &module(&engine, MUTUAL))?;
    let via_call = instance.get_typed_func::<(i64, i32), i64>(&store, "via_call")?;
    assert_eq!(via_call.call(&mut store, (100_000, 0))?, 100_000);
    assert_eq!(via_call.call(&mut store, (100_000, 1))?, 100_000);
    // An ordinary call one level deeper than the limit still traps.
    let deeper = module(
        &engine,
        r#"(module (func $leaf) (func $mid (call $leaf)) (func (export "f") (call $mid)))"#,
    );
    let instance = Linker::new(&engine).instantiate(&mut store, &deeper)?;
    let err = instance.get_typed_func::<(), ()>(&store, "f")?.call(&mut store, ()).unwrap_err();
    assert_eq!(err.trap_code(), Some(TrapCode::StackOverflow));
    Ok(())
}

/// Host functions of the tests below: `double` returns twice its argument,
/// `split` returns an i64 as two i32 halves and `three` returns 1, 2 and 3
/// (more results than parameters),
/// `fail` traps, `first_byte` reads byte 0 of the calling instance's memory.
fn host_linker(engine: &Engine) -> Result<Linker<()>, Error> {
    let mut linker = Linker::new(engine);
    linker.func_wrap("host", "double", |x: i32| -> Result<i32, Error> { Ok(x.wrapping_mul(2)) })?;
    linker.func_wrap("host", "split", |x: i64| -> Result<(i32, i32), Error> {
        Ok((x as i32, (x >> 32) as i32))
    })?;
    linker.func_wrap("host", "three", || -> Result<(i32, i64, i32), Error> { Ok((1, 2, 3)) })?;
    linker.func_wrap("host", "fail", |_: i32| -> Result<i32, Error> {
        Err(Error::trap(TrapCode::Unreachable))
    })?;
    linker.func_wrap("host", "first_byte", |caller: Caller<'_, ()>| -> Result<i32, Error> {
        let Some(Extern::Memory(memory)) = caller.get_export("mem") else {
            return Err(Error::trap(TrapCode::Unreachable));
        };
        Ok(i32::from(memory.data(&caller)[0]))
    })?;
    Ok(linker)
}

const TAIL_CALLS_HOST: &str = r#"
(module $m
  (import "host" "double" (func $double (param i32) (result i32)))
  (import "host" "split" (func $split (param i64) (result i32 i32)))
  (import "host" "fail" (func $fail (param i32) (result i32)))
  (import "host" "three" (func $three (result i32 i64 i32)))
  (type $unary (func (param i32) (result i32)))
  (table $t funcref (elem $double $fail))
  (func $direct (export "direct") (param i32) (result i32)
    (return_call $double (local.get 0)))
  (func $indirect (export "indirect") (param i32 i32) (result i32)
    (return_call_indirect $t (type $unary) (local.get 0) (local.get 1)))
  (func $split_tail (export "split") (param i64) (result i32 i32)
    (return_call $split (local.get 0)))
  ;; An ordinary caller of a tail-calling function: it must resume after the
  ;; host function returns, with the host's results where its call left them.
  (func $outer (export "outer") (param i32) (result i32)
    (local $keep i32)
    (local.set $keep (i32.const 1000))
    (i32.add (i32.add (call $direct (local.get 0)) (local.get $keep))
             (call $indirect (local.get 0) (i32.const 0))))
  ;; No operands in the frame: it must still hold the three results.
  (func $three_tail (export "three") (result i32 i64 i32) (return_call $three))
  (func (export "outer_three") (result i64)
    (local $keep i64) (local $a i32) (local $b i64) (local $c i32)
    (local.set $keep (i64.const 100))
    (call $three_tail)
    (local.set $c)
    (local.set $b)
    (local.set $a)
    (i64.add
      (i64.add (local.get $keep) (local.get $b))
      (i64.extend_i32_u (i32.add (i32.mul (local.get $a) (i32.const 10)) (local.get $c)))))
  (func (export "outer_split") (param i64) (result i32)
    (call $split_tail (local.get 0))
    (i32.sub))
  (func $middle (param i32) (result i32) (return_call $fail (local.get 0)))
  (func $caller_of_middle (export "caller_of_middle") (param i32) (result i32)
    (call $middle (local.get 0)))
  (func (export "tail_fail") (param i32) (result i32) (return_call $fail (local.get 0)))
)"#;

#[test]
fn func_call_and_typed_func_of_an_export_that_tail_calls_the_host() -> Result<(), Error> {
    let engine = Engine::default();
    let mut store = Store::new(&engine, ());
    let instance =
        host_linker(&engine)?.instantiate(&mut store, &module(&engine, TAIL_CALLS_HOST))?;
    let direct = instance.get_typed_func::<i32, i32>(&store, "direct")?;
    assert_eq!(direct.call(&mut store, 21)?, 42);
    let func = instance.get_func(&store, "direct").expect("exported");
    let mut out = [Val::I32(0)];
    func.call(&mut store, &[Val::I32(-4)], &mut out)?;
    assert_eq!(out, [Val::I32(-8)]);
    let indirect = instance.get_typed_func::<(i32, i32), i32>(&store, "indirect")?;
    assert_eq!(indirect.call(&mut store, (5, 0))?, 10);
    // More results than parameters: both come back.
    let split = instance.get_typed_func::<i64, (i32, i32)>(&store, "split")?;
    assert_eq!(split.call(&mut store, 0x0000_0007_0000_0009)?, (9, 7));
    let func = instance.get_func(&store, "split").expect("exported");
    let mut out = [Val::I32(0), Val::I32(0)];
    func.call(&mut store, &[Val::I64(-1)], &mut out)?;
    assert_eq!(out, [Val::I32(-1), Val::I32(-1)]);
    Ok(())
}

#[test]
fn a_wasm_caller_resumes_after_a_tail_called_host_function() -> Result<(), Error> {
    let engine = Engine::default();
    let mut store = Store::new(&engine, ());
    let instance =
        host_linker(&engine)?.instantiate(&mut store, &module(&engine, TAIL_CALLS_HOST))?;
    let outer = instance.get_typed_func::<i32, i32>(&store, "outer")?;
    assert_eq!(outer.call(&mut store, 3)?, 6 + 1000 + 6);
    let outer_split = instance.get_typed_func::<i64, i32>(&store, "outer_split")?;
    assert_eq!(outer_split.call(&mut store, 0x0000_0002_0000_0009)?, 7);
    let outer_three = instance.get_typed_func::<(), i64>(&store, "outer_three")?;
    assert_eq!(outer_three.call(&mut store, ())?, 100 + 2 + 13);
    let three = instance.get_typed_func::<(), (i32, i64, i32)>(&store, "three")?;
    assert_eq!(three.call(&mut store, ())?, (1, 2, 3));
    Ok(())
}

#[test]
fn a_tail_called_host_trap_leaves_out_the_replaced_frame() -> Result<(), Error> {
    let engine = Engine::default();
    let mut store = Store::new(&engine, ());
    let instance =
        host_linker(&engine)?.instantiate(&mut store, &module(&engine, TAIL_CALLS_HOST))?;
    let names = |err: &Error| -> Vec<String> {
        let trap = err.as_trap().expect("a trap");
        assert_eq!(trap.code(), TrapCode::Unreachable);
        trap.trace().iter().map(|f| f.func_name.clone().unwrap_or_default()).collect()
    };
    // `middle` tail-called `fail`: its frame is gone, its caller's is not.
    let f = instance.get_typed_func::<i32, i32>(&store, "caller_of_middle")?;
    let err = f.call(&mut store, 1).unwrap_err();
    assert_eq!(names(&err), ["caller_of_middle"]);
    let trap = err.as_trap().expect("a trap");
    assert!(trap.trace()[0].offset.is_some());
    // The outermost function tail-called it: no wasm frame is left.
    let f = instance.get_typed_func::<i32, i32>(&store, "tail_fail")?;
    assert!(names(&f.call(&mut store, 1).unwrap_err()).is_empty());
    // Through the table, too.
    let f = instance.get_typed_func::<(i32, i32), i32>(&store, "indirect")?;
    assert!(names(&f.call(&mut store, (1, 1)).unwrap_err()).is_empty());
    // The store stays usable.
    assert_eq!(instance.get_typed_func::<i32, i32>(&store, "direct")?.call(&mut store, 2)?, 4);
    Ok(())
}

#[test]
fn return_call_indirect_checks_the_table_entry() -> Result<(), Error> {
    let engine = Engine::default();
    let m = module(
        &engine,
        r#"(module $m
             (type $unary (func (param i32) (result i32)))
             (table $t 3 funcref)
             (elem (table $t) (i32.const 0) func $id $nullary)
             (func $id (param i32) (result i32) (local.get 0))
             (func $nullary (result i32) (i32.const 7))
             (func $dispatch (export "dispatch") (param i32) (result i32)
               (return_call_indirect $t (type $unary) (i32.const 5) (local.get 0)))
             (func (export "outer") (param i32) (result i32)
               (i32.add (i32.const 1) (call $dispatch (local.get 0)))))"#,
    );
    let mut store = Store::new(&engine, ());
    let instance = Linker::new(&engine).instantiate(&mut store, &m)?;
    let dispatch = instance.get_typed_func::<i32, i32>(&store, "dispatch")?;
    assert_eq!(dispatch.call(&mut store, 0)?, 5);
    let mut trap = |index| dispatch.call(&mut store, index).unwrap_err().trap_code();
    assert_eq!(trap(1), Some(TrapCode::IndirectCallTypeMismatch));
    assert_eq!(trap(2), Some(TrapCode::UninitializedElement));
    assert_eq!(trap(3), Some(TrapCode::UndefinedElement));
    assert_eq!(trap(-1), Some(TrapCode::UndefinedElement));
    // A trap at the tail call is the tail-calling function's: it still runs.
    let outer = instance.get_typed_func::<i32, i32>(&store, "outer")?;
    assert_eq!(outer.call(&mut store, 0)?, 6);
    let err = outer.call(&mut store, 2).unwrap_err();
    let names: Vec<_> =
        err.as_trap().expect("a trap").trace().iter().map(|f| f.func_index).collect();
    assert_eq!(names, [2, 3]);
    Ok(())
}

#[test]
fn a_tail_called_host_function_sees_the_tail_callers_instance() -> Result<(), Error> {
    // `reader` (instance A, which exports memory "mem") tail-calls the host
    // from a call made by instance B, which has no memory: the host's caller
    // is A, whose frame the tail call replaced.
    let engine = Engine::default();
    let a = module(
        &engine,
        r#"(module
             (import "host" "first_byte" (func $first_byte (result i32)))
             (memory (export "mem") 1)
             (data (i32.const 0) "\2a")
             (func (export "reader") (result i32) (return_call $first_byte)))"#,
    );
    let b = module(
        &engine,
        r#"(module
             (import "a" "reader" (func $reader (result i32)))
             (func (export "run") (result i32) (i32.add (call $reader) (i32.const 1))))"#,
    );
    let mut store = Store::new(&engine, ());
    let mut linker = host_linker(&engine)?;
    let instance_a = linker.instantiate(&mut store, &a)?;
    linker.instance(&mut store, "a", instance_a)?;
    let instance_b = linker.instantiate(&mut store, &b)?;
    let run = instance_b.get_typed_func::<(), i32>(&store, "run")?;
    assert_eq!(run.call(&mut store, ())?, 43);
    let reader = instance_a.get_typed_func::<(), i32>(&store, "reader")?;
    assert_eq!(reader.call(&mut store, ())?, 42);
    Ok(())
}

#[test]
fn a_host_function_calls_wasm_that_tail_calls() -> Result<(), Error> {
    // wasm `start` calls the host, which calls wasm `spin` back; `spin` tail
    // calls itself a million times and then tail-calls the host's `double`.
    let engine = Engine::default();
    let m = module(
        &engine,
        r#"(module
             (import "host" "double" (func $double (param i32) (result i32)))
             (import "host" "reenter" (func $reenter (param i32) (result i32)))
             (func $spin (export "spin") (param $n i32) (param $x i32) (result i32)
               (if (i32.eqz (local.get $n)) (then (return_call $double (local.get $x))))
               (return_call $spin (i32.sub (local.get $n) (i32.const 1))
                                  (i32.add (local.get $x) (i32.const 1))))
             (func (export "start") (param i32) (result i32)
               (i32.add (call $reenter (local.get 0)) (i32.const 1))))"#,
    );
    let mut linker = host_linker(&engine)?;
    linker.func_wrap(
        "host",
        "reenter",
        |mut caller: Caller<'_, ()>, n: i32| -> Result<i32, Error> {
            let Some(Extern::Func(spin)) = caller.get_export("spin") else {
                return Err(Error::trap(TrapCode::Unreachable));
            };
            spin.typed::<(i32, i32), i32>(&caller)?.call(&mut caller, (n, 0))
        },
    )?;
    let mut store = Store::new(&engine, ());
    let instance = linker.instantiate(&mut store, &m)?;
    let start = instance.get_typed_func::<i32, i32>(&store, "start")?;
    assert_eq!(start.call(&mut store, 1_000_000)?, 2_000_001);
    Ok(())
}

/// Runs `f` with a host function that is also placed in a table, so that a
/// `return_call_indirect` reaches a host function through a funcref.
#[test]
fn return_call_indirect_to_a_host_function_in_a_table() -> Result<(), Error> {
    let engine = Engine::default();
    let m = module(
        &engine,
        r#"(module
             (type $unary (func (param i32) (result i32)))
             (import "host" "table" (table $t 1 funcref))
             (func (export "f") (param i32) (result i32)
               (return_call_indirect $t (type $unary) (local.get 0) (i32.const 0))))"#,
    );
    let mut store = Store::new(&engine, ());
    let triple = Func::wrap(&mut store, |x: i32| -> Result<i32, Error> { Ok(3 * x) });
    let table = interp::Table::new(
        &mut store,
        interp::TableType::new(interp::ValType::FuncRef, 1, None),
        Val::FuncRef(Some(triple)),
    )?;
    let mut linker = Linker::new(&engine);
    linker.define("host", "table", table)?;
    let instance: Instance = linker.instantiate(&mut store, &m)?;
    let f = instance.get_typed_func::<i32, i32>(&store, "f")?;
    assert_eq!(f.call(&mut store, 14)?, 42);
    Ok(())
}

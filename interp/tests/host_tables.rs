//! Host functions in tables, called through `call_indirect` with matching and
//! wrong types, and traps raised by host functions: in both translations
//! (the default one and the fuel-metered one), which must agree.
//!
//! The differential fuzz oracle does the same with generated modules; these
//! are the fixed cases, including the regression for the backtrace of a trap
//! raised by a host function (it named the instruction after the call).

use interp::{
    Caller, Config, Engine, Error, Func, FuncType, Linker, Module, Store, Table, TableType,
    TrapCode, Val, ValType,
};

const MODULE: &str = r#"
(module
  (type $i2i (func (param i32) (result i32)))
  (type $l2l (func (param i64) (result i64)))
  (import "host" "double" (func $double (type $i2i)))
  (import "host" "fail" (func $fail (type $i2i)))
  (import "host" "table" (table $ht 2 funcref))
  (table $t 4 funcref)
  (elem (table $t) (i32.const 0) func $double $fail)
  (func (export "call") (param $x i32) (param $slot i32) (result i32)
    (call_indirect $t (type $i2i) (local.get $x) (local.get $slot)))
  (func (export "call_wide") (param $slot i32) (result i64)
    (call_indirect $t (type $l2l) (i64.const 1) (local.get $slot)))
  (func (export "call_host_table") (param $x i32) (param $slot i32) (result i32)
    (call_indirect $ht (type $i2i) (local.get $x) (local.get $slot)))
  (func (export "fail_directly") (param i32) (result i32)
    (i32.div_s (call $fail (local.get 0)) (local.get 0)))
  (func (export "fail_indirectly") (param i32) (result i32)
    (i32.div_s (call_indirect $t (type $i2i) (local.get 0) (i32.const 1)) (local.get 0)))
)"#;

/// The module instantiated with host functions that count their calls in
/// the store's data: `double` (x -> 2x + 1) and `fail` (traps), both in the
/// module's table, and a host-made table holding a host function of another
/// type, `(i64) -> i64`, in slot 0 and `double` in slot 1.
fn setup(fuel: bool) -> Result<(Store<u32>, interp::Instance, Vec<u8>), Error> {
    let mut config = Config::default();
    config.consume_fuel(fuel);
    let engine = Engine::new(&config);
    let wasm = wat::parse_str(MODULE).expect("the module parses");
    let module = Module::from_binary(&engine, &wasm)?;
    let mut store = Store::new(&engine, 0u32);
    if fuel {
        store.set_fuel(1_000_000)?;
    }
    let double = Func::wrap(&mut store, |mut caller: Caller<'_, u32>, x: i32| {
        *caller.data_mut() += 1;
        x.wrapping_mul(2).wrapping_add(1)
    });
    let fail = Func::new(
        &mut store,
        FuncType::new([ValType::I32], [ValType::I32]),
        |mut caller, _params, _results| {
            *caller.data_mut() += 1;
            Err(Error::trap(TrapCode::Unreachable))
        },
    );
    let wide = Func::wrap(&mut store, |x: i64| x + 1);
    let table =
        Table::new(&mut store, TableType::new(ValType::FuncRef, 2, None), Val::FuncRef(None))?;
    table.set(&mut store, 0, Val::FuncRef(Some(wide)))?;
    table.set(&mut store, 1, Val::FuncRef(Some(double)))?;
    let mut linker = Linker::new(&engine);
    linker
        .define("host", "double", double)?
        .define("host", "fail", fail)?
        .define("host", "table", table)?;
    let instance = linker.instantiate(&mut store, &module)?;
    Ok((store, instance, wasm))
}

fn trap_code<T: std::fmt::Debug>(result: Result<T, Error>) -> TrapCode {
    result.expect_err("a trap").trap_code().expect("a trap")
}

#[test]
fn host_functions_in_tables_with_matching_and_wrong_types() -> Result<(), Error> {
    for fuel in [false, true] {
        let (mut store, instance, _) = setup(fuel)?;
        let call = instance.get_typed_func::<(i32, i32), i32>(&store, "call")?;
        let call_wide = instance.get_typed_func::<i32, i64>(&store, "call_wide")?;
        let host_table = instance.get_typed_func::<(i32, i32), i32>(&store, "call_host_table")?;
        // Matching type: the host function runs.
        assert_eq!(call.call(&mut store, (20, 0))?, 41);
        assert_eq!(host_table.call(&mut store, (5, 1))?, 11);
        assert_eq!(*store.data(), 2);
        // A trap raised by a host function called through the table.
        assert_eq!(trap_code(call.call(&mut store, (1, 1))), TrapCode::Unreachable);
        assert_eq!(*store.data(), 3);
        // Wrong types: host functions of (i32) -> i32 called as (i64) -> i64,
        // and a host function of (i64) -> i64 called as (i32) -> i32. They
        // do not run.
        for slot in [0, 1] {
            let wrong = trap_code(call_wide.call(&mut store, slot));
            assert_eq!(wrong, TrapCode::IndirectCallTypeMismatch, "fuel: {fuel}");
        }
        let wrong = trap_code(host_table.call(&mut store, (5, 0)));
        assert_eq!(wrong, TrapCode::IndirectCallTypeMismatch);
        assert_eq!(*store.data(), 3);
        // Null and missing slots.
        assert_eq!(trap_code(call.call(&mut store, (1, 2))), TrapCode::UninitializedElement);
        assert_eq!(trap_code(call.call(&mut store, (1, 4))), TrapCode::UndefinedElement);
        assert_eq!(trap_code(host_table.call(&mut store, (1, 2))), TrapCode::UndefinedElement);
        // The store stays usable.
        assert_eq!(call.call(&mut store, (-1, 0))?, -1);
    }
    Ok(())
}

#[test]
fn a_trap_raised_by_a_host_function_points_at_the_call() -> Result<(), Error> {
    // Regression (execute fuzz oracle): the innermost frame's offset named
    // the next instruction that may trap after the call (here `i32.div_s`),
    // and which one depended on the translation.
    for fuel in [false, true] {
        let (mut store, instance, wasm) = setup(fuel)?;
        for (name, opcode) in [("fail_directly", 0x10), ("fail_indirectly", 0x11)] {
            let f = instance.get_typed_func::<i32, i32>(&store, name)?;
            let err = f.call(&mut store, 7).expect_err("the host function traps");
            let trap = err.as_trap().expect("a trap");
            assert_eq!(trap.code(), TrapCode::Unreachable);
            let offset = trap.trace()[0].offset.expect("a wasm frame");
            assert_eq!(wasm[offset], opcode, "{name}, fuel: {fuel}: {trap}");
        }
    }
    Ok(())
}

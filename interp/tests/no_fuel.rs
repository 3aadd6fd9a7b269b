//! The code users run by default: an engine without fuel translates without
//! any fuel instruction, and runs loops, branches, block results, calls and
//! memory growth to the same results as the fuel-metered translation.
//!
//! Fuel changes the translated code (a charge at every merge point), so
//! anything tested only with fuel on says little about the default
//! translation; the spec suite and the fuzz oracles run both.

use interp::{Config, Engine, Linker, Module, Store, Val};

const PROGRAMS: &str = r#"
(module
  (memory 1 3)
  (table 2 funcref)
  (elem (i32.const 0) $fib $sum_to)
  (type $i_i (func (param i32) (result i32)))
  (func $fib (export "fib") (param $n i32) (result i32)
    (if (result i32) (i32.lt_u (local.get $n) (i32.const 2))
      (then (local.get $n))
      (else (i32.add (call $fib (i32.sub (local.get $n) (i32.const 1)))
                     (call $fib (i32.sub (local.get $n) (i32.const 2)))))))
  ;; A counting loop closed by br_if.
  (func $sum_to (export "sum_to") (param $n i32) (result i32)
    (local $i i32) (local $acc i32)
    (block $done
      (loop $top
        (br_if $done (i32.gt_u (local.get $i) (local.get $n)))
        (local.set $acc (i32.add (local.get $acc) (local.get $i)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $top)))
    (local.get $acc))
  ;; br_table into blocks with results, inside a loop.
  (func (export "dispatch") (param $k i32) (result i32)
    (local $rounds i32) (local $acc i32)
    (loop $again
      (local.set $acc
        (i32.add (local.get $acc)
          (block $c (result i32)
            (block $b (result i32)
              (block $a (result i32)
                (br_table $a $b $c (i32.const 1) (local.get $k)))
              (i32.add (i32.const 10)))
            (i32.add (i32.const 20)))))
      (local.set $rounds (i32.add (local.get $rounds) (i32.const 1)))
      (br_if $again (i32.lt_u (local.get $rounds) (i32.const 3))))
    (local.get $acc))
  ;; Indirect calls, and a value kept across them.
  (func (export "indirect") (param $slot i32) (param $x i32) (result i32)
    (i32.add (local.get $x)
      (call_indirect (type $i_i) (local.get $x) (local.get $slot))))
  ;; Memory growth inside a loop, then a load from the last page.
  (func (export "grow_and_touch") (result i32)
    (loop $grow
      (br_if $grow (i32.ne (memory.grow (i32.const 1)) (i32.const -1))))
    (i32.store (i32.const 196604) (i32.const 123))
    (i32.add (memory.size) (i32.load (i32.const 196604))))
)"#;

/// (export, arguments, expected result)
const CASES: &[(&str, &[i32], i32)] = &[
    ("fib", &[20], 6765),
    ("sum_to", &[100], 5050),
    ("sum_to", &[0], 0),
    ("dispatch", &[0], 93),
    ("dispatch", &[1], 63),
    ("dispatch", &[2], 3),
    ("dispatch", &[7], 3),
    ("indirect", &[0, 10], 65),
    ("indirect", &[1, 10], 65),
    ("grow_and_touch", &[], 126),
];

fn run(fuel: bool) -> Vec<i32> {
    let mut config = Config::default();
    config.consume_fuel(fuel);
    let engine = Engine::new(&config);
    let module = Module::new(&engine, PROGRAMS).expect("the programs compile");
    let mut store = Store::new(&engine, ());
    if fuel {
        store.set_fuel(10_000_000).expect("fuel is on");
    } else {
        assert!(store.get_fuel().is_err(), "a default store has no fuel");
    }
    CASES
        .iter()
        .map(|(name, args, _)| {
            // A fresh instance per case: "grow_and_touch" changes the memory.
            let instance = Linker::new(&engine).instantiate(&mut store, &module).expect("links");
            let func = instance.get_func(&store, name).expect("exported");
            let params: Vec<Val> = args.iter().map(|&a| Val::I32(a)).collect();
            let mut results = [Val::I32(0)];
            func.call(&mut store, &params, &mut results).expect("returns");
            let Val::I32(result) = results[0] else { panic!("{name} returned {results:?}") };
            result
        })
        .collect()
}

#[test]
fn the_default_translation_has_no_fuel_instructions() {
    let default = Module::new(&Engine::default(), PROGRAMS).expect("compiles").disassemble();
    let mut config = Config::default();
    config.consume_fuel(true);
    let metered = Module::new(&Engine::new(&config), PROGRAMS).expect("compiles").disassemble();
    assert!(!default.contains("ConsumeFuel"), "{default}");
    assert!(metered.contains("ConsumeFuel"), "{metered}");
}

#[test]
fn the_default_translation_computes_what_the_metered_one_does() {
    let expected: Vec<i32> = CASES.iter().map(|c| c.2).collect();
    assert_eq!(run(false), expected, "default translation");
    assert_eq!(run(true), expected, "metered translation");
}

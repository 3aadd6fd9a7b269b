//! Snapshots of the translated code for small functions: a readable record of
//! what the translator emits (`cargo insta review` after a deliberate change).

use interp::{Engine, Module};

fn disassemble(wat: &str) -> String {
    let engine = Engine::default();
    Module::new(&engine, wat).expect("test module compiles").disassemble()
}

#[test]
fn recursive_fib() {
    insta::assert_snapshot!(disassemble(include_str!("../../examples/fib.wat")));
}

#[test]
fn counting_loop_with_memory() {
    insta::assert_snapshot!(disassemble(
        r#"(module
             (memory 1)
             (func $sum (export "sum") (param $n i32) (result i64)
               (local $i i32) (local $acc i64)
               (loop $top
                 (local.set $acc
                   (i64.add (local.get $acc) (i64.load (i32.shl (local.get $i) (i32.const 3)))))
                 (local.set $i (i32.add (local.get $i) (i32.const 1)))
                 (br_if $top (i32.lt_u (local.get $i) (local.get $n))))
               (local.get $acc)))"#
    ));
}

#[test]
fn block_results_and_br_table() {
    insta::assert_snapshot!(disassemble(
        r#"(module
             (func $dispatch (param i32 i32) (result i32)
               (block $c (result i32)
                 (block $b (result i32)
                   (block $a (result i32)
                     (br_table $a $b $c (local.get 1) (local.get 0)))
                   (i32.add (i32.const 1)))
                 (i32.mul (i32.const 2)))))"#
    ));
}

#[test]
fn calls_and_multi_value() {
    insta::assert_snapshot!(disassemble(
        r#"(module
             (type $t (func (param i32) (result i32)))
             (table 1 funcref)
             (func $pair (param i32 i32) (result i32 i32) (local.get 1) (local.get 0))
             (func $use (param i32) (result i32)
               (call $pair (i32.const 7) (local.get 0))
               (i32.sub)
               (call_indirect (type $t) (i32.const 0))))"#
    ));
}

#[test]
fn tail_calls() {
    insta::assert_snapshot!(disassemble(
        r#"(module
             (import "host" "f" (func $host (param i32) (result i32)))
             (type $t (func (param i32) (result i32)))
             (table 1 funcref)
             (func $even (param i32) (result i32)
               (if (result i32) (i32.eqz (local.get 0))
                 (then (i32.const 1))
                 (else (return_call $odd (i32.sub (local.get 0) (i32.const 1))))))
             (func $odd (param i32) (result i32)
               (return_call_indirect (type $t) (local.get 0) (i32.const 0)))
             (func $to_host (param i32 i32) (result i32)
               (return_call $host (i32.add (local.get 1) (local.get 0)))))"#
    ));
}

#[test]
fn wide_arithmetic() {
    insta::assert_snapshot!(disassemble(
        r#"(module
             (func $add (param i64 i64 i64) (result i64 i64)
               (i64.add128 (local.get 0) (local.get 1) (i64.const 1) (local.get 2)))
             (func $mul (param i64 i64) (result i64)
               (local $lo i64)
               (i64.mul_wide_s (local.get 0) (local.get 1))
               (local.set $lo)
               (local.get $lo)
               (i64.add)))"#
    ));
}

#[test]
fn exception_handling() {
    // The catch clauses are a handler table after the code: the inner
    // try_table's clause first, a catch into the function frame continuing
    // at the appended `Return` with its payload in slot 0.
    insta::assert_snapshot!(disassemble(
        r#"(module
             (tag $e (param i32))
             (func $f (param i32) (result i32)
               (block $h (result i32 exnref)
                 (try_table (catch_ref $e $h)
                   (try_table (catch $e 2)
                     (throw $e (local.get 0))))
                   (unreachable))
               (drop))
             (func $g (param exnref) (throw_ref (local.get 0))))"#
    ));
}

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
fn vectors_take_two_cells() {
    // Parameters, locals and temporaries are laid out by width: the i32
    // parameter after the v128 one is slot 2, the i64 local after the v128
    // local is slot 6, and the block's v128 result is copied as one unit.
    insta::assert_snapshot!(disassemble(
        r#"(module
             (func $mix (param $a v128) (param $n i32) (result v128 i32)
               (local $t v128) (local $x i64)
               (local.set $t (i32x4.add (local.get $a) (v128.const i32x4 1 2 3 4)))
               (block $b (result v128)
                 (br_if $b (local.get $t) (local.get $n))
                 (drop)
                 (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23
                   (local.get $a) (local.get $t)))
               (i32.wrap_i64 (local.get $x))))"#
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
fn memories_other_than_a_32_bit_memory_0() {
    // Memory 0 keeps the cached instructions; memory 1, 64-bit addresses
    // (with a 64-bit offset in a data word) and 1-byte pages get the `*Mem`
    // family; a 64-bit table index is narrowed first.
    insta::assert_snapshot!(disassemble(
        r#"(module
             (memory $m0 1)
             (memory $m1 i64 1)
             (memory $m2 1 (pagesize 1))
             (table $t i64 1 funcref)
             (func (param $a i32) (param $b i64) (result i32)
               (i32.store $m0 (local.get $a) (i32.load $m0 offset=4 (local.get $a)))
               (i64.store $m1 offset=0x1_0000_0000 (local.get $b) (i64.const 7))
               (memory.copy $m0 $m1 (local.get $a) (local.get $b) (i32.const 8))
               (drop (memory.grow $m1 (local.get $b)))
               (drop (memory.size $m2))
               (drop (table.get $t (local.get $b)))
               (i32.load8_u $m2 (local.get $a))))"#
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

#[test]
fn address_arithmetic_fused_into_accesses() {
    // The `i32.add` computing an address becomes part of the load or store
    // (`*Sum`, `*Disp`); not when its result is kept in a local, nor a
    // constant with an offset, nor for a store of a constant. A shifted index
    // is added by `I32AddShl`.
    insta::assert_snapshot!(disassemble(
        r#"(module
             (memory 1)
             (func (param $p i32) (param $i i32) (result i64)
               (local $q i32)
               (i64.load offset=8 (i32.add (local.get $p) (local.get $i)))
               (i64.load8_u (i32.add (local.get $p) (i32.const 16)))
               (i64.add)
               (i64.load16_s offset=2 (i32.add (local.get $p) (i32.const 16)))
               (i64.add)
               (i64.load32_u (local.tee $q (i32.add (local.get $p) (i32.const 4))))
               (i64.add)
               (i64.extend_i32_u (local.get $q))
               (i64.add))
             (func (param $p i32) (param $i i32) (param $v i64)
               (i64.store offset=8 (i32.add (local.get $p) (local.get $i)) (local.get $v))
               (i32.store16 (i32.add (local.get $p) (i32.const -2)) (local.get $i))
               (i64.store (i32.add (local.get $p) (local.get $i)) (i64.const 7))
               (i64.store (i32.add (local.get $p) (i32.shl (local.get $i) (i32.const 3)))
                          (local.get $v))))"#
    ));
}

#[test]
fn loop_step_fused_into_its_branch() {
    // `x = x + c` followed by a `br_if` on the new `x` is one `StepBrIf*`;
    // with the step in a slot, one `AddBrIf*` (but not against a constant).
    insta::assert_snapshot!(disassemble(
        r#"(module
             (func (param $x i32) (param $n i32) (result i32)
               (loop $l
                 (local.set $x (i32.add (local.get $x) (i32.const 4)))
                 (br_if $l (i32.lt_u (local.get $x) (local.get $n))))
               (loop $l
                 (br_if $l (local.tee $n (i32.add (local.get $n) (i32.const -1)))))
               (loop $l
                 (local.set $x (i32.add (local.get $x) (local.get $n)))
                 (br_if $l (i32.ne (local.get $x) (i32.const 1000))))
               (local.get $x)))"#
    ));
}

#[test]
fn comparison_fused_into_select() {
    // `select` on a comparison is one `Select*`; on `eqz`, a plain `Select`
    // with its arms swapped; `>=` is `<` with the arms swapped.
    insta::assert_snapshot!(disassemble(
        r#"(module
             (func (param $x i32) (param $y i32) (param $p i64) (result i32 i32 i64)
               (select (local.get $x) (local.get $y) (i32.lt_u (local.get $x) (local.get $y)))
               (select (local.get $x) (i32.const 7) (i32.eqz (local.get $y)))
               (select (local.get $p) (i64.const 1) (i64.ge_s (local.get $p) (i64.const 0)))))"#
    ));
}

//! The benchmark programs (`benches/programs/`) on small workloads, checked
//! against checksums computed independently of any wasm engine (a Python model
//! of each program, and `hashlib.sha256` for `hash`), so a wrong answer in the
//! side-by-side benchmark cannot go unnoticed even when both engines agree.

use interp::{Engine, Linker, Module, Store};

fn run(wat: &str, arg: i32) -> i64 {
    let engine = Engine::default();
    let module = Module::new(&engine, wat).unwrap();
    let mut store = Store::new(&engine, ());
    let instance = Linker::new(&engine).instantiate(&mut store, &module).unwrap();
    let run = instance.get_typed_func::<i32, i64>(&store, "run").unwrap();
    run.call(&mut store, arg).unwrap()
}

#[test]
fn fib() {
    assert_eq!(run(include_str!("../benches/programs/fib.wat"), 20), 6765);
}

#[test]
fn sieve() {
    // 78498 primes below 1_000_000, summing to 37550402023.
    let expected = (78498 << 32) + (37_550_402_023i64 & 0xffff_ffff);
    assert_eq!(run(include_str!("../benches/programs/sieve.wat"), 1), expected);
}

#[test]
fn matmul() {
    let sum = run(include_str!("../benches/programs/matmul.wat"), 20);
    assert_eq!(sum as u64, 0x40c1_69f0_0000_0000);
}

#[test]
fn hash() {
    // Folded digests of the 16 KiB message with its first word set to 0, 1, 2.
    let hash = include_str!("../benches/programs/hash.wat");
    assert_eq!(run(hash, 1) as u64, 0x6d00_0676_4a42_f325);
    assert_eq!(run(hash, 3) as u64, 0xcd64_fa05_0b69_4c4a);
}

#[test]
fn vm() {
    assert_eq!(run(include_str!("../benches/programs/vm.wat"), 1000) as u64, 0xb485_613f_15f2_959a);
}

#[test]
fn indirect() {
    let x = run(include_str!("../benches/programs/indirect.wat"), 1000);
    assert_eq!(x as u64, 0xf227_3859_2668_e5b8);
}

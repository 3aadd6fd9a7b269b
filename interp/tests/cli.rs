//! The `interp` command line: results, traps, exit codes and errors.

use std::process::{Command, Output};

fn interp(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_interp")).args(args).output().expect("interp runs")
}

/// A `.wat` file in the temporary directory, removed when dropped.
struct TempWat(std::path::PathBuf);

impl TempWat {
    fn path(&self) -> &str {
        self.0.to_str().expect("UTF-8 temp path")
    }
}

impl Drop for TempWat {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

fn write_wat(name: &str, text: &str) -> TempWat {
    let path = std::env::temp_dir().join(format!("interp-cli-{}-{name}", std::process::id()));
    std::fs::write(&path, text).unwrap();
    TempWat(path)
}

#[test]
fn invoke_prints_results_one_per_line() {
    let fib = concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/fib.wat");
    let out = interp(&["run", "--invoke", "fib", fib, "20"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(String::from_utf8_lossy(&out.stdout), "6765\n");

    let path = write_wat(
        "multi.wat",
        r#"(module (func (export "f") (param i64 f32) (result i64 f32 i32)
             (local.get 0) (local.get 1) (i32.const -1)))"#,
    );
    let out = interp(&["run", "--invoke", "f", path.path(), "0x10", "-1.5"]);
    assert_eq!(String::from_utf8_lossy(&out.stdout), "16\n-1.5\n-1\n");
}

#[test]
fn invoke_takes_and_prints_vectors() {
    let path = write_wat(
        "v128.wat",
        r#"(module (func (export "f") (param v128 i32 v128) (result v128 i32)
             (i32x4.add (local.get 0) (local.get 2)) (local.get 1)))"#,
    );
    // Lane shapes with `:` and commas, or the text format's spaces, or hex.
    let args = ["i32x4:1,2,3,-1", "7", "i8x16 1 0 0 0 1 0 0 0 1 0 0 0 0xff 255 255 255"];
    let out = interp(&["run", "--invoke", "f", path.path(), args[0], args[1], args[2]]);
    let printed = "i32x4 0x00000002 0x00000003 0x00000004 0xfffffffe\n7\n";
    assert_eq!(String::from_utf8_lossy(&out.stdout), printed);
    // What it prints reads back in.
    let hex = "0x0000000100000002000000030000000a";
    let out = interp(&["run", "--invoke", "f", path.path(), hex, "0", "i64x2:0,0"]);
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "i32x4 0x0000000a 0x00000003 0x00000002 0x00000001\n0\n"
    );
    let out = interp(&["run", "--invoke", "f", path.path(), "f32x4:1.5,-0,inf,nan", "0", "0x0"]);
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "i32x4 0x3fc00000 0x80000000 0x7f800000 0x7fc00000\n0\n"
    );
    for bad in ["i32x4:1,2,3", "i8x16:256,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0", "i33x4:1,2,3,4", "0x1g"] {
        let out = interp(&["run", "--invoke", "f", path.path(), bad, "0", "0x0"]);
        assert_eq!(out.status.code(), Some(1), "{bad}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains("cannot parse") && stderr.contains("v128"), "{bad}: {stderr}");
    }
}

#[test]
fn traps_print_kind_and_backtrace_and_exit_134() {
    let path = write_wat(
        "trap.wat",
        r#"(module (func $inner unreachable) (func $outer (export "go") (call $inner)))"#,
    );
    let out = interp(&["run", "--invoke", "go", path.path()]);
    assert_eq!(out.status.code(), Some(134));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("wasm trap: unreachable"), "{stderr}");
    assert!(
        stderr.contains("0: ") && stderr.contains("inner") && stderr.contains("outer"),
        "{stderr}"
    );
}

#[test]
fn start_runs_by_default() {
    let path = write_wat("start.wat", r#"(module (func (export "_start") unreachable))"#);
    let out = interp(&["run", path.path()]);
    assert_eq!(out.status.code(), Some(134));
}

#[test]
fn bad_input_gives_errors_not_panics() {
    let path = write_wat("bad.wat", "(module (func (result i32)))");
    let out = interp(&["run", path.path()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).starts_with("error: "));

    let out = interp(&["run", "/nonexistent/module.wasm"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("failed to read"));

    let fib = concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/fib.wat");
    let out = interp(&["run", "--invoke", "fib", fib, "ten"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot parse `ten` as i32"));
}

/// The hand-written C++-style exception handling program: cleanup handlers
/// that rethrow with `throw_ref`, catch by type, nested `try_table`s.
#[test]
fn the_exceptions_program_prints_the_expected_output() {
    let program = concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/exceptions.wat");
    let out = interp(&["run", program]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let expected = include_str!("../../examples/exceptions.expected");
    assert_eq!(String::from_utf8_lossy(&out.stdout), expected);
}

#[test]
fn uncaught_exceptions_print_tag_payload_and_backtrace_and_exit_134() {
    let path = write_wat(
        "exception.wat",
        r#"(module (tag $e (param i32 f64))
             (func $inner (throw $e (i32.const 7) (f64.const 2.5)))
             (func $outer (export "go") (call $inner)))"#,
    );
    let out = interp(&["run", "--invoke", "go", path.path()]);
    assert_eq!(out.status.code(), Some(134));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr
            .contains("uncaught wasm exception: tag 0 (tag (param i32 f64)) with payload [7, 2.5]"),
        "{stderr}"
    );
    assert!(
        stderr.contains("0: ") && stderr.contains("inner") && stderr.contains("1: "),
        "{stderr}"
    );
    assert!(stderr.contains("outer"), "{stderr}");
    let out = interp(&["run", "--json", "--invoke", "go", path.path()]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains(r#""outcome":"exception""#), "{stderr}");
    assert!(stderr.contains(r#""payload":["7","2.5"]"#), "{stderr}");
}

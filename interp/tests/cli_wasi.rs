//! The `interp run` runner with WASI: exit codes, preopens, environment, and
//! the `--fuel`, `--json`, `--dump-memory`, `--trace`, `--trace-syscalls` and
//! `--tcplisten` flags.

use std::path::PathBuf;
use std::process::{Command, Output};

fn guest(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../snapshots/guests").join(name)
}

fn interp(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_interp")).args(args).output().expect("run interp")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn a_module_importing_all_46_functions_runs() {
    let out = interp(&["run", guest("all_imports.wat").to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
}

#[test]
fn the_exit_code_is_the_guests() {
    let proc = guest("proc.wat");
    let out = interp(&["run", "--invoke", "exit_7", proc.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(7));
    assert_eq!(text(&out.stdout), "before exit\n");
    let out = interp(&["run", "--invoke", "raise_term", proc.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(143));
    let out = interp(&["run", "--invoke", "exit_126", proc.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn args_and_env_reach_the_guest() {
    let out = interp(&[
        "run",
        "--env",
        "GREETING=grüß dich",
        guest("args_env.wat").to_str().unwrap(),
        "one",
        "zwei ✓",
    ]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(text(&out.stdout), "args_env.wat\none\nzwei ✓\nGREETING=grüß dich\n");
}

#[test]
fn dir_preopens_a_host_directory() {
    let dir = std::env::temp_dir().join(format!("interp-cli-dir-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("docs")).unwrap();
    std::fs::write(dir.join("input.txt"), "first line\nsecond line\n").unwrap();
    std::fs::write(dir.join("docs/a.md"), "x").unwrap();
    let spec = format!("{}::/sandbox", dir.display());
    let out = interp(&[
        "run",
        "--dir",
        &spec,
        guest("fileops/fileops.wasm").to_str().unwrap(),
        "/sandbox",
    ]);
    let _ = std::fs::remove_dir_all(&dir);
    let expected = std::fs::read_to_string(guest("fileops/expected.txt")).unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), expected);
}

#[test]
fn trace_syscalls_and_dump_memory_write_to_stderr() {
    let out = interp(&[
        "run",
        "--trace-syscalls",
        "--dump-memory",
        "0x130..0x132",
        "--invoke",
        "exit_0",
        guest("proc.wat").to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("fd_write(fd=1, iovs=0x0, iovs_len=1) -> success (nwritten=12)\n"),
        "{stderr}"
    );
    assert!(stderr.contains("proc_exit(rval=0) -> exit(0)\n"), "{stderr}");
    assert!(stderr.contains("00000130  0a 20 "), "{stderr}");
}

#[test]
fn json_reports_traps_with_backtrace_and_fuel() {
    let fib = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../examples/fib.wat");
    let out = interp(&[
        "run",
        "--json",
        "--fuel",
        "1000",
        "--invoke",
        "fib",
        fib.to_str().unwrap(),
        "30",
    ]);
    assert_eq!(out.status.code(), Some(134));
    let json: serde_json::Value =
        serde_json::from_slice(out.stderr.trim_ascii()).expect("one JSON object");
    assert_eq!(json["outcome"], "trap");
    assert_eq!(json["trap"], "all fuel consumed");
    assert_eq!(json["exit_code"], 134);
    assert!(json["fuel_used"].as_u64().unwrap() <= 1000);
    assert!(!json["backtrace"].as_array().unwrap().is_empty());

    let out = interp(&["run", "--json", "--invoke", "exit_7", guest("proc.wat").to_str().unwrap()]);
    let json: serde_json::Value =
        serde_json::from_slice(out.stderr.trim_ascii()).expect("one JSON object");
    assert_eq!(json["outcome"], "exit");
    assert_eq!(json["exit_code"], 7);
}

#[test]
fn trace_prints_each_instruction() {
    let out =
        interp(&["run", "--trace", "--invoke", "exit_0", guest("proc.wat").to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0));
    let stderr = text(&out.stderr);
    assert!(
        stderr.lines().any(|l| l.starts_with("trace: func[") && l.contains("call")),
        "{stderr}"
    );
}

#[test]
fn tcplisten_hands_the_guest_a_socket() {
    let out = interp(&[
        "run",
        "--tcplisten",
        "127.0.0.1:0",
        "--trace-syscalls",
        guest("all_imports.wat").to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
}

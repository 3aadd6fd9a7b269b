//! The compiled-program benchmark's guests (`benches/compiled/`) on
//! `interp run` at their quick sizes, each checked against what the native
//! (x86_64) build of the same source printed (`checksums.txt`, written by
//! `build.sh`): a wrong answer cannot hide behind two engines agreeing.
//! Also checks that the program list, the modules and the checksums agree.
//! The SIMD programs among them (`simd_*`, built with `+simd128`) need an
//! interp that executes SIMD; `simd_programs.rs` checks that they take
//! their SIMD paths.

use std::path::{Path, PathBuf};
use std::process::Command;

fn compiled() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/compiled")
}

/// Non-comment lines of a file in `benches/compiled/`, split at whitespace.
fn rows(file: &str) -> Vec<Vec<String>> {
    let text = std::fs::read_to_string(compiled().join(file)).unwrap();
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| l.split_whitespace().map(str::to_string).collect())
        .collect()
}

/// (name, full size, quick size) per program.
fn programs() -> Vec<(String, String, String)> {
    rows("programs.txt").into_iter().map(|r| (r[0].clone(), r[1].clone(), r[2].clone())).collect()
}

fn native_checksum(name: &str, size: &str) -> Option<String> {
    rows("checksums.txt").into_iter().find(|r| r[0] == name && r[1] == size).map(|r| r[2].clone())
}

/// Runs `benches/compiled/wasm/NAME.wasm ARGS` on interp; returns stdout.
fn run(name: &str, args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_interp"))
        .arg("run")
        .arg(compiled().join("wasm").join(format!("{name}.wasm")))
        .args(args)
        .output()
        .expect("run interp");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{name} {args:?}: {}: {stderr}", out.status);
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn every_program_prints_the_native_checksum() {
    let mut failures = Vec::new();
    for (name, _, quick) in programs() {
        let want = native_checksum(&name, &quick).expect("build.sh records the quick size");
        let got = run(&name, &[&quick]);
        if got.trim() != want {
            failures.push(format!("{name} {quick}: interp printed {got:?}, native {want}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_list_the_modules_and_the_checksums_agree() {
    let programs = programs();
    assert!(programs.len() >= 10, "the benchmark needs at least ten programs");
    for (name, full, quick) in &programs {
        assert!(
            sources().iter().any(|s| s.file_stem().unwrap() == name.as_str()),
            "{name}: source"
        );
        assert!(compiled().join("wasm").join(format!("{name}.wasm")).exists(), "{name}: module");
        for size in [full, quick] {
            assert!(native_checksum(name, size).is_some(), "{name} {size}: no native checksum");
        }
    }
    // Every guest source is a listed program, the start-up command, or a
    // command-line tool of `real-programs.txt` (`simd_programs.rs`).
    let tools = std::fs::read_to_string(compiled().join("real-programs.txt")).unwrap();
    for path in sources() {
        let stem = path.file_stem().unwrap().to_str().unwrap().to_string();
        let tool = tools.lines().any(|l| l.split_whitespace().nth(1) == Some(stem.as_str()));
        assert!(
            stem == "hello" || tool || programs.iter().any(|p| p.0 == stem),
            "{stem} is not listed"
        );
        assert!(compiled().join("wasm").join(format!("{stem}.wasm")).exists(), "{stem}: module");
    }
}

/// The guests' sources: `src/bin/` (built without SIMD) and
/// `simd/src/bin/` (built with `+simd128`).
fn sources() -> Vec<PathBuf> {
    let mut sources = Vec::new();
    for dir in ["src/bin", "simd/src/bin"] {
        for entry in std::fs::read_dir(compiled().join(dir)).unwrap() {
            sources.push(entry.unwrap().path());
        }
    }
    sources
}

#[test]
fn a_missing_size_is_a_usage_error() {
    let out = Command::new(env!("CARGO_BIN_EXE_interp"))
        .arg("run")
        .arg(compiled().join("wasm/fib.wasm"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("usage: fib.wasm SIZE"));
}

#[test]
fn hello_prints_its_line() {
    assert_eq!(run("hello", &[]), "hello, world\n");
}

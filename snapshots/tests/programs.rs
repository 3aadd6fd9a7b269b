//! Real programs built with a standard WASI libc behave on interp as on the
//! host.

use std::path::Path;
use std::process::Command;

use snapshots::{Setup, guests_dir, run};

/// The directory the program starts with.
fn setup() -> Setup {
    Setup {
        args: vec!["/sandbox".into()],
        files: vec![("input.txt", b"first line\nsecond line\n"), ("docs/a.md", b"x")],
        dirs: vec!["docs"],
        ..Setup::default()
    }
}

/// The stdout section of a rendered run.
fn stdout_of(rendered: &str) -> &str {
    let start = rendered.find("--- stdout\n").expect("stdout section") + "--- stdout\n".len();
    let end = rendered[start..].find("--- stderr\n").expect("stderr section");
    &rendered[start..start + end]
}

#[test]
fn fileops_snapshot() {
    insta::assert_snapshot!(run("fileops/fileops.wasm", setup()));
}

#[test]
fn fileops_prints_what_the_host_build_prints() {
    let rendered = run("fileops/fileops.wasm", setup());
    // wasi-libc returns from `_start` when `main` returns 0.
    assert!(rendered.starts_with("outcome: returned\n"), "{rendered}");
    let expected =
        std::fs::read_to_string(guests_dir().join("fileops/expected.txt")).expect("expected.txt");
    assert_eq!(stdout_of(&rendered), expected);
}

/// Where a C compiler for the host exists, build the same source natively and
/// compare with a live run too (the committed expected.txt covers machines
/// without one).
#[test]
fn fileops_matches_a_native_build() {
    let dir = std::env::temp_dir().join(format!("interp-fileops-native-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("data/docs")).expect("mkdir");
    let exe = dir.join("fileops");
    let source = guests_dir().join("fileops/fileops.c");
    let built = Command::new("cc").arg("-O2").arg("-o").arg(&exe).arg(&source).status();
    if !matches!(built, Ok(s) if s.success()) {
        eprintln!("no host C compiler: compared with expected.txt only");
        return;
    }
    std::fs::write(dir.join("data/input.txt"), "first line\nsecond line\n").expect("write");
    std::fs::write(dir.join("data/docs/a.md"), "x").expect("write");
    let native = Command::new(&exe).arg(dir.join("data")).output().expect("run native");
    let _ = std::fs::remove_dir_all(&dir);
    let rendered = run("fileops/fileops.wasm", setup());
    assert_eq!(stdout_of(&rendered), String::from_utf8_lossy(&native.stdout));
    assert!(Path::new(&source).exists());
}

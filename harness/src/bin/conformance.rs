//! Prints the conformance report: per folder, files fully passing and
//! directives passed, failed, not run and text-only.
//!
//! ```text
//! cargo run --release -p harness --bin conformance            # Markdown table
//! cargo run --release -p harness --bin conformance -- --json  # JSON
//! cargo run --release -p harness --bin conformance -- --dir path/to/wast/files
//! cargo run --release -p harness --bin conformance -- --manifest
//! cargo run --release -p harness --bin conformance -- --failures  # every failing directive
//! ```
//!
//! `--manifest` rewrites `spec-tests/expected-failures.toml` from the results:
//! the failing and not-run directives of every file, the features the
//! not-run ones need, and the reasons already written; a new failing entry
//! gets a placeholder reason that the test suite refuses until a person
//! replaces it.
//!
//! Without `--dir`, it runs the official suite and `spec-tests/`. Each file
//! runs under the same time limit as in `cargo test` (see
//! `harness::watchdog`).

use std::path::PathBuf;
use std::sync::Mutex;
use std::time::Duration;

use harness::manifest::Manifest;
use harness::{FileResult, WastFile, discover, report, watchdog};

fn main() {
    let mut json = false;
    let mut manifest = false;
    let mut failures = false;
    let mut dirs: Vec<PathBuf> = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--json" => json = true,
            "--manifest" => manifest = true,
            "--failures" => failures = true,
            "--dir" => match args.next() {
                Some(dir) => dirs.push(dir.into()),
                None => fail("--dir needs a directory"),
            },
            "-h" | "--help" => {
                println!(
                    "usage: conformance [--json | --failures] [--dir DIR]... | conformance --manifest"
                );
                return;
            }
            other => fail(&format!("unknown argument `{other}`")),
        }
    }
    if manifest && !dirs.is_empty() {
        fail(
            "--manifest regenerates the manifest of the official suite and spec-tests/; drop --dir",
        );
    }
    let limit = watchdog::limit().unwrap_or_else(|e| fail(&e));
    let files = if dirs.is_empty() {
        let mut files = discover::official();
        files.extend(
            discover::directory(&discover::spec_tests_dir(), "spec-tests")
                .unwrap_or_else(|e| fail(&format!("cannot read spec-tests/: {e}"))),
        );
        files
    } else {
        let mut files = Vec::new();
        for dir in &dirs {
            let prefix =
                dir.file_name().map_or("wast".into(), |n| n.to_string_lossy().into_owned());
            files.extend(
                discover::directory(dir, &prefix)
                    .unwrap_or_else(|e| fail(&format!("cannot read {}: {e}", dir.display()))),
            );
        }
        files
    };
    let results = run_all(&files, limit);
    for (file, result) in files.iter().zip(&results) {
        if let Some(problem) = &result.problem {
            eprintln!("conformance: {}: {problem}", file.name);
        }
    }
    if failures {
        for (file, result) in files.iter().zip(&results) {
            print!("{}", result.describe_failures(&file.name, usize::MAX));
        }
        return;
    }
    if manifest {
        if results.iter().any(|r| r.problem.is_some()) {
            fail("not writing the manifest: the files above could not be run as a whole");
        }
        let path = discover::spec_tests_dir().join("expected-failures.toml");
        let old = Manifest::load(&path).unwrap_or_else(|e| {
            eprintln!("conformance: {e}; starting from an empty manifest");
            Manifest::default()
        });
        let text = old.regenerate(files.iter().zip(&results).map(|(f, r)| (f.name.as_str(), r)));
        std::fs::write(&path, text)
            .unwrap_or_else(|e| fail(&format!("cannot write {}: {e}", path.display())));
        eprintln!("conformance: wrote {}", path.display());
        return;
    }
    let stats = report::aggregate(files.iter().zip(&results));
    if json {
        println!("{}", report::json(&stats));
    } else {
        print!("{}", report::markdown(&stats));
    }
}

/// Runs every file, as many at a time as there are cores.
fn run_all(files: &[WastFile], limit: Duration) -> Vec<FileResult> {
    let next = Mutex::new(0usize);
    let results = Mutex::new(vec![FileResult::default(); files.len()]);
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get());
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                loop {
                    let i = {
                        let mut next = next.lock().unwrap();
                        let i = *next;
                        *next += 1;
                        i
                    };
                    let Some(file) = files.get(i) else { break };
                    let result = watchdog::run_bounded(file, limit);
                    results.lock().unwrap()[i] = result;
                }
            });
        }
    });
    results.into_inner().unwrap()
}

fn fail(message: &str) -> ! {
    eprintln!("conformance: {message}");
    std::process::exit(2)
}

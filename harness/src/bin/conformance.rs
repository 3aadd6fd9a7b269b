//! Prints the conformance report: per folder, files fully passing and
//! directives passed out of total.
//!
//! ```text
//! cargo run --release -p harness --bin conformance            # Markdown table
//! cargo run --release -p harness --bin conformance -- --json  # JSON
//! cargo run --release -p harness --bin conformance -- --dir path/to/wast/files
//! cargo run --release -p harness --bin conformance -- --manifest  # draft expected-failures entries
//! ```
//!
//! `--manifest` prints an `expected-failures.toml` entry for every file that
//! does not fully pass, with its exact failure count and a reason derived from
//! the failure messages; review the reasons before committing them.
//!
//! Without `--dir`, it runs the official suite and `spec-tests/`.

use std::path::PathBuf;
use std::sync::Mutex;

use harness::{FileResult, WastFile, discover, report, run_file};

fn main() {
    let mut json = false;
    let mut manifest = false;
    let mut dirs: Vec<PathBuf> = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--json" => json = true,
            "--manifest" => manifest = true,
            "--dir" => match args.next() {
                Some(dir) => dirs.push(dir.into()),
                None => fail("--dir needs a directory"),
            },
            "-h" | "--help" => {
                println!("usage: conformance [--json | --manifest] [--dir DIR]...");
                return;
            }
            other => fail(&format!("unknown argument `{other}`")),
        }
    }
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
    let results = run_all(&files);
    if manifest {
        for (file, result) in files.iter().zip(&results) {
            if !result.failures.is_empty() {
                println!("[\"{}\"]", file.name);
                println!("failures = {}", result.failures.len());
                println!("reason = {:?}\n", report::reason(result));
            }
        }
        return;
    }
    let stats = report::aggregate(files.iter().zip(&results));
    if json {
        println!("{}", report::json(&stats));
    } else {
        print!("{}", report::markdown(&stats));
    }
}

/// Runs every file on all cores, each on a thread with a large stack.
fn run_all(files: &[WastFile]) -> Vec<FileResult> {
    let next = Mutex::new(0usize);
    let results = Mutex::new(vec![FileResult::default(); files.len()]);
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get());
    std::thread::scope(|scope| {
        for _ in 0..workers {
            std::thread::Builder::new()
                .stack_size(64 << 20)
                .spawn_scoped(scope, || {
                    loop {
                        let i = {
                            let mut next = next.lock().unwrap();
                            let i = *next;
                            *next += 1;
                            i
                        };
                        let Some(file) = files.get(i) else { break };
                        let result = run_file(&file.text, &file.config());
                        results.lock().unwrap()[i] = result;
                    }
                })
                .expect("spawn worker");
        }
    });
    results.into_inner().unwrap()
}

fn fail(message: &str) -> ! {
    eprintln!("conformance: {message}");
    std::process::exit(2)
}

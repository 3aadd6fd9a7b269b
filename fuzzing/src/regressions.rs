//! Saved fuzzer findings and cases, replayed by `cargo test`, each with the
//! outcome it must have.
//!
//! `fuzz/regressions/<target>/` holds one file per case, in one of two forms:
//! - a raw fuzz input (any name without a `.wasm` or `.wat` extension, as
//!   `cargo fuzz` writes them to `fuzz/artifacts/<target>/`, ideally minimised
//!   with `cargo fuzz tmin`), replayed through the target's entry point. It
//!   reproduces only with the wasm-smith and arbitrary versions that produced
//!   it, which the workspace pins exactly;
//! - a module (`.wasm`, or `.wat` text), run through the target's module-level
//!   oracle with no call data (so every argument is zero or null). This form
//!   survives generator upgrades and can be read in review: prefer it, with the
//!   triggering arguments written into an exported function that takes none.
//!
//! Beside each case, `<file>.expect` holds the outcome the replay must
//! report, on one line (for `differential` and `execute` the run's
//! [`crate::Stats::summary`], e.g. `compared: 3 calls agree (2 returned, 1
//! trapped)` or `excused: 1 reference bugs; ...`; for `validate` the verdict).
//! A folder that is missing or empty, or a case without its `.expect`, fails
//! the replay, so it can never pass vacuously. `INTERP_FUZZ_BLESS=1` writes
//! the actual outcomes into the `.expect` files instead of comparing (review
//! the diff before committing it).

use std::path::{Path, PathBuf};

/// One saved case.
#[derive(Debug, Clone)]
pub enum Regression {
    /// A raw fuzz input.
    Input(Vec<u8>),
    /// A module binary (converted from text for `.wat` files).
    Module(Vec<u8>),
}

/// The regressions folder of `target`.
pub fn dir(target: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz/regressions").join(target)
}

/// The sidecar file holding the expected outcome of the case at `path`.
pub fn expect_path(path: &Path) -> PathBuf {
    let mut name = path.file_name().expect("a file").to_os_string();
    name.push(".expect");
    path.with_file_name(name)
}

/// Every saved case of `target`, by path, in name order.
///
/// # Panics
///
/// If the folder is missing or holds no case, or a file cannot be read or a
/// `.wat` file does not parse.
pub fn load(target: &str) -> Vec<(PathBuf, Regression)> {
    let dir = dir(target);
    let entries = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("no regressions folder {}: {e}", dir.display()));
    let mut paths: Vec<PathBuf> = entries
        .map(|entry| entry.expect("readable regressions folder").path())
        .filter(|path| path.is_file())
        .filter(|path| path.file_name().is_some_and(|n| !n.to_string_lossy().starts_with('.')))
        .filter(|path| path.extension().is_none_or(|e| e != "md" && e != "expect"))
        .collect();
    paths.sort();
    assert!(!paths.is_empty(), "no regression cases in {}", dir.display());
    paths
        .into_iter()
        .map(|path| {
            let bytes = std::fs::read(&path)
                .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
            let regression = match path.extension().and_then(|e| e.to_str()) {
                Some("wasm") => Regression::Module(bytes),
                Some("wat") => Regression::Module(
                    wat::parse_bytes(&bytes)
                        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
                        .into_owned(),
                ),
                _ => Regression::Input(bytes),
            };
            (path, regression)
        })
        .collect()
}

/// Checks the outcome of the case at `path` against its `.expect` file (or,
/// with `INTERP_FUZZ_BLESS` set, writes it there).
///
/// # Panics
///
/// If the `.expect` file is missing or empty, or says otherwise.
pub fn check(path: &Path, actual: &str) {
    let sidecar = expect_path(path);
    if std::env::var_os("INTERP_FUZZ_BLESS").is_some() {
        std::fs::write(&sidecar, format!("{actual}\n"))
            .unwrap_or_else(|e| panic!("cannot write {}: {e}", sidecar.display()));
        return;
    }
    let expected = std::fs::read_to_string(&sidecar).unwrap_or_else(|e| {
        panic!("{}: no expected outcome in {}: {e}", path.display(), sidecar.display())
    });
    let expected = expected.trim();
    assert!(!expected.is_empty(), "{} is empty", sidecar.display());
    assert_eq!(actual, expected, "{}: outcome differs from {}", path.display(), sidecar.display());
}

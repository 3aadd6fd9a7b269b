//! Saved fuzzer findings, replayed by `cargo test`.
//!
//! `fuzz/regressions/<target>/` holds one file per finding, in one of two forms:
//! - a raw fuzz input (any name without a `.wasm` or `.wat` extension, as
//!   `cargo fuzz` writes them to `fuzz/artifacts/<target>/`, ideally minimised
//!   with `cargo fuzz tmin`), replayed through the target's entry point. It
//!   reproduces only with the wasm-smith and arbitrary versions that produced
//!   it, which the workspace pins exactly;
//! - a module (`.wasm`, or `.wat` text), run through the target's module-level
//!   oracle with no call data (so every argument is zero or null). This form
//!   survives generator upgrades and can be read in review: prefer it, with the
//!   triggering arguments written into an exported function that takes none.

use std::path::{Path, PathBuf};

/// One saved finding.
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

/// Every saved finding of `target`, by path, in name order. A missing folder
/// has none.
///
/// # Panics
///
/// If a file cannot be read or a `.wat` file does not parse.
pub fn load(target: &str) -> Vec<(PathBuf, Regression)> {
    let Ok(entries) = std::fs::read_dir(dir(target)) else { return Vec::new() };
    let mut paths: Vec<PathBuf> = entries
        .map(|entry| entry.expect("readable regressions folder").path())
        .filter(|path| path.is_file())
        .filter(|path| path.file_name().is_some_and(|n| !n.to_string_lossy().starts_with('.')))
        .filter(|path| path.extension().is_none_or(|e| e != "md"))
        .collect();
    paths.sort();
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

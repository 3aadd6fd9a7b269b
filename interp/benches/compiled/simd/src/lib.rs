//! What the SIMD guests share: kernels written with explicit
//! `core::arch::wasm32` intrinsics beside portable twins ([`vecops`]), text
//! search with the `memchr` crate ([`search`]), and listing files.
//!
//! `simd_kernels` and `simd_memchr` are benchmark guests like those of
//! `bench_guests` (`NAME SIZE`, one checksum line); `simd_grep` and
//! `simd_stat` are command-line tools over files, whose native output
//! `build.sh` records in `expected/` (see `real-programs.txt`).

use std::path::{Path, PathBuf};

pub mod search;
pub mod vecops;

/// Appends the files under `path` to `out` (`path` itself if it is not a
/// directory), directories recursively with their entries in name order, so
/// that the order does not depend on how the file system lists them.
pub fn files_under(path: &Path, out: &mut Vec<PathBuf>) -> Result<(), String> {
    let meta = std::fs::metadata(path).map_err(|e| format!("{}: {e}", path.display()))?;
    if !meta.is_dir() {
        out.push(path.to_path_buf());
        return Ok(());
    }
    let mut entries = std::fs::read_dir(path)
        .and_then(|dir| dir.map(|e| e.map(|e| e.path())).collect::<Result<Vec<_>, _>>())
        .map_err(|e| format!("{}: {e}", path.display()))?;
    entries.sort();
    for entry in entries {
        files_under(&entry, out)?;
    }
    Ok(())
}

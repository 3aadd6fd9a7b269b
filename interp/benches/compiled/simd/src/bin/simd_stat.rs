//! Statistics of files computed with explicit `core::arch::wasm32` SIMD
//! intrinsics (see `simd_guests::vecops`): for each file under PATH...
//! (directories recursively, entries in name order) its byte classes,
//! Adler-32, hashes of its case-swapped, hex, tone-mapped and delta-coded
//! forms, its bytes as `f32` and as `i16` samples, and as 8-byte records.
//!
//! ```text
//! simd_stat PATH...
//! ```
//!
//! Built for wasm32 with `-C target-feature=+simd128` it runs the SIMD
//! kernels; natively, their portable twins. Both print the same.

use std::io::{BufWriter, Write};
use std::path::Path;
use std::process::ExitCode;

use simd_guests::files_under;
use simd_guests::vecops::Report;

fn run(paths: &[String]) -> Result<(), String> {
    if paths.is_empty() {
        return Err("usage: simd_stat PATH...".to_string());
    }
    let mut files_found = Vec::new();
    for path in paths {
        files_under(Path::new(path), &mut files_found)?;
    }
    let stdout = std::io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let mut all = Vec::new();
    for path in &files_found {
        let data = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
        let report = Report::new(&data);
        let written = writeln!(out, "{}", path.display())
            .and_then(|()| report.lines().iter().try_for_each(|line| writeln!(out, "{line}")));
        written.map_err(|e| format!("stdout: {e}"))?;
        all.extend_from_slice(&data);
    }
    // The files end to end, so blocks straddle file boundaries.
    let report = Report::new(&all);
    let written = writeln!(out, "== {} files together", files_found.len())
        .and_then(|()| report.lines().iter().try_for_each(|line| writeln!(out, "{line}")))
        .and_then(|()| out.flush());
    written.map_err(|e| format!("stdout: {e}"))
}

fn main() -> ExitCode {
    let paths: Vec<String> = std::env::args().skip(1).collect();
    match run(&paths) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("simd_stat: {err}");
            ExitCode::from(2)
        }
    }
}

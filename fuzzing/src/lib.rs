//! Fuzz oracles for interp, shared by the cargo-fuzz targets in `fuzz/` and by
//! `cargo test`.
//!
//! Three oracles, one per fuzz target, each a plain function of the fuzz
//! input:
//! - [`differential::differential`]: a wasm-smith module runs in interp and in
//!   wasmi; results, traps and exported state must agree;
//! - [`execute::execute`]: a wasm-smith module with every proposal interp
//!   executes runs in interp under fuel and varied configurations: it must not
//!   panic or crash;
//! - [`validate::validate`]: arbitrary bytes (or a possibly invalid wasm-smith
//!   module) are decoded, validated and translated: errors are fine, panics are
//!   not, and interp must accept exactly what wasmparser accepts.
//!
//! The fuzz targets are one-line wrappers; `tests/` runs the same functions
//! over fixed seeds ([`seed_bytes`]) and over every saved input in
//! `fuzz/regressions/<target>/` ([`regressions`]), so stable `cargo test`
//! exercises them without nightly or libFuzzer.

pub mod differential;
pub mod engine;
pub mod execute;
pub mod generate;
pub mod link;
pub mod regressions;
pub mod validate;
pub mod value;
pub mod watchdog;

use std::hash::{Hash, Hasher};
use std::ops::AddAssign;
use std::path::{Path, PathBuf};

/// What oracle runs did, summed over runs: tests check that the seeded runs
/// exercise the engines rather than skipping everything, and bound how many
/// runs were excused.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Stats {
    /// Inputs that produced a module.
    pub modules: usize,
    /// Worlds instantiated.
    pub instantiated: usize,
    /// Instantiations that trapped (in both engines alike, for `differential`).
    pub instantiation_traps: usize,
    /// Calls that returned.
    pub returned: usize,
    /// Calls that trapped.
    pub trapped: usize,
    /// Calls that ended in an uncaught wasm exception (`execute` only).
    pub exceptions: usize,
    /// Calls (or instantiations) that exhausted fuel or stack on both sides:
    /// not compared. The world is instantiated afresh and the run goes on.
    pub exhausted: usize,
    /// Calls (or instantiations) that exhausted fuel or stack on one side
    /// only, replayed with 100 times the fuel and a larger stack, and then
    /// compared.
    pub replays: usize,
    /// Calls run in interp's fuel-metered translation and compared (with its
    /// default translation, or with the reference).
    pub metered_calls: usize,
    /// Reference bugs met: wasmi 2 disagreed with interp and wasmi 0.31 sided
    /// with interp, or wasmi 2 panicked; the run went on against wasmi 0.31.
    pub reference_bugs: usize,
    /// Runs with at least one excuse (exhaustion on both sides, a reference
    /// bug): the seeded tests bound this.
    pub excused_runs: usize,
    /// Runs whose module imports from the provider (see [`link`]).
    pub linked: usize,
    /// Linked runs that share the provider's memory.
    pub shared_memory: usize,
    /// Linked runs that share the provider's table.
    pub shared_table: usize,
    /// Calls of the generated module's exports during which a provider
    /// function ran (called directly or through a table).
    pub cross_calls: usize,
    /// Such calls during which the provider grew the memory it shares.
    pub callee_grows: usize,
    /// Calls of table-only host functions: `call_indirect`s of a matching
    /// type that reached a host function.
    pub host_indirect: usize,
    /// `call_indirect`s (by the provider's probes) that reached a host
    /// function of another type and trapped with "indirect call type
    /// mismatch".
    pub host_mismatches: usize,
    /// Runs whose module uses SIMD (a `v128` type or a SIMD operator).
    pub simd: usize,
    /// Runs whose module uses relaxed SIMD operators.
    pub relaxed_simd: usize,
}

impl AddAssign for Stats {
    fn add_assign(&mut self, other: Stats) {
        let Stats {
            modules,
            instantiated,
            instantiation_traps,
            returned,
            trapped,
            exceptions,
            exhausted,
            replays,
            metered_calls,
            reference_bugs,
            excused_runs,
            linked,
            shared_memory,
            shared_table,
            cross_calls,
            callee_grows,
            host_indirect,
            host_mismatches,
            simd,
            relaxed_simd,
        } = other;
        self.modules += modules;
        self.instantiated += instantiated;
        self.instantiation_traps += instantiation_traps;
        self.returned += returned;
        self.trapped += trapped;
        self.exceptions += exceptions;
        self.exhausted += exhausted;
        self.replays += replays;
        self.metered_calls += metered_calls;
        self.reference_bugs += reference_bugs;
        self.excused_runs += excused_runs;
        self.linked += linked;
        self.shared_memory += shared_memory;
        self.shared_table += shared_table;
        self.cross_calls += cross_calls;
        self.callee_grows += callee_grows;
        self.host_indirect += host_indirect;
        self.host_mismatches += host_mismatches;
        self.simd += simd;
        self.relaxed_simd += relaxed_simd;
    }
}

impl Stats {
    /// A one-line account of one run, as regression sidecar files record it:
    /// whether anything was excused, and how many calls were compared.
    pub fn summary(&self) -> String {
        let mut excuses = Vec::new();
        if self.exhausted > 0 {
            excuses.push(format!("{} exhausted on both sides", self.exhausted));
        }
        if self.reference_bugs > 0 {
            excuses.push(format!("{} reference bugs", self.reference_bugs));
        }
        let threw = match self.exceptions {
            0 => String::new(),
            n => format!(", {n} threw"),
        };
        let calls = format!(
            "{} calls agree ({} returned, {} trapped{threw})",
            self.returned + self.trapped + self.exceptions,
            self.returned,
            self.trapped
        );
        if self.modules == 0 {
            return "no module".to_string();
        }
        let start = if self.instantiation_traps > 0 {
            "instantiation traps; "
        } else if self.instantiated > 0 {
            ""
        } else {
            "not instantiated; "
        };
        if excuses.is_empty() {
            format!("compared: {start}{calls}")
        } else {
            format!("excused: {}; {start}{calls}", excuses.join(", "))
        }
    }
}

/// Splits a fuzz input into the part that builds the module and the part that
/// drives the calls (its last quarter, at most 1 KiB), so that wasm-smith
/// using up its part still leaves arguments to draw.
pub fn split_input(data: &[u8]) -> (&[u8], &[u8]) {
    let calls = (data.len() / 4).min(1024);
    data.split_at(data.len() - calls)
}

/// A deterministic pseudo-random fuzz input for `seed` (SplitMix64), for the
/// seeded test runs.
pub fn seed_bytes(seed: u64, len: usize) -> Vec<u8> {
    let mut state = seed;
    let mut next = move || {
        state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    };
    let mut bytes = Vec::with_capacity(len + 8);
    while bytes.len() < len {
        bytes.extend_from_slice(&next().to_le_bytes());
    }
    bytes.truncate(len);
    bytes
}

/// Where fuzz targets save the modules of their findings: `$INTERP_FUZZ_ARTIFACTS`
/// if set, else `fuzz/artifacts/<target>/` in this repository (where
/// `cargo fuzz` also puts the inputs that crashed).
pub fn artifacts_dir(target: &str) -> PathBuf {
    match std::env::var_os("INTERP_FUZZ_ARTIFACTS") {
        Some(dir) => PathBuf::from(dir),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz/artifacts").join(target),
    }
}

/// A hash of `bytes`, for file names.
pub fn hash(bytes: &[u8]) -> u64 {
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    bytes.hash(&mut hasher);
    hasher.finish()
}

/// Writes `wasm` as `<prefix>-<hash>.wasm` and its text form as `.wat` beside
/// it (or the printer's error, for bytes that are not a module), returning the
/// path of the `.wasm`.
///
/// # Errors
///
/// If the directory or the files cannot be written.
pub fn save_module(dir: &Path, prefix: &str, wasm: &[u8]) -> std::io::Result<PathBuf> {
    std::fs::create_dir_all(dir)?;
    let path = dir.join(format!("{prefix}-{:016x}.wasm", hash(wasm)));
    std::fs::write(&path, wasm)?;
    let wat = wasmprinter::print_bytes(wasm)
        .unwrap_or_else(|e| format!(";; wasmprinter could not print this module: {e}\n"));
    std::fs::write(path.with_extension("wat"), wat)?;
    Ok(path)
}

/// Reports a finding of a no-panic oracle: saves the module in
/// [`artifacts_dir`] and panics with `message`.
///
/// # Panics
///
/// Always.
pub fn save_and_panic(target: &str, wasm: &[u8], message: &str) -> ! {
    match save_module(&artifacts_dir(target), target, wasm) {
        Ok(path) => eprintln!("module saved as {} (and .wat beside it)", path.display()),
        Err(e) => eprintln!("could not save the module: {e}"),
    }
    panic!("{message}");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_keeps_a_quarter_for_calls() {
        assert_eq!(split_input(&[0; 8]), (&[0u8; 6][..], &[0u8; 2][..]));
        assert_eq!(split_input(&[0; 10_000]).1.len(), 1024);
        assert_eq!(split_input(&[]), (&[][..], &[][..]));
    }

    #[test]
    fn seed_bytes_are_deterministic() {
        assert_eq!(seed_bytes(7, 13), seed_bytes(7, 13));
        assert_ne!(seed_bytes(7, 13), seed_bytes(8, 13));
        assert_eq!(seed_bytes(1, 5).len(), 5);
    }
}

//! The expected-failures manifest: a ratchet.
//!
//! `spec-tests/expected-failures.toml` records, for every official file that
//! does not fully pass, how many of its directives fail and why:
//!
//! ```toml
//! ["proposals/simd/simd_lane.wast"]
//! failures = 412
//! reason = "unsupported proposal: simd"
//! ```
//!
//! [`Manifest::check`] fails a file whose real count differs from the record in
//! either direction: a regression cannot hide behind an old entry, and progress
//! must be written down.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

/// One file's record.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    /// Exactly how many directives fail.
    pub failures: usize,
    /// Why they fail.
    pub reason: String,
}

/// The whole manifest, keyed by trial name.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Manifest {
    /// Entries by trial name (`folder/file.wast`).
    pub entries: BTreeMap<String, Entry>,
}

impl Manifest {
    /// Parses a manifest.
    ///
    /// # Errors
    ///
    /// If the text is not valid TOML of the expected shape.
    pub fn parse(text: &str) -> Result<Manifest, String> {
        let entries: BTreeMap<String, Entry> =
            toml::from_str(text).map_err(|e| format!("invalid expected-failures manifest: {e}"))?;
        for (name, entry) in &entries {
            if entry.failures == 0 {
                return Err(format!("`{name}`: an entry must record at least one failure"));
            }
            if entry.reason.trim().is_empty() {
                return Err(format!("`{name}`: an entry must give a reason"));
            }
        }
        Ok(Manifest { entries })
    }

    /// Reads and parses a manifest file.
    ///
    /// # Errors
    ///
    /// If the file cannot be read or parsed.
    pub fn load(path: &Path) -> Result<Manifest, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        Manifest::parse(&text)
    }

    /// Checks a file's real failure count against its record (none means zero).
    ///
    /// # Errors
    ///
    /// A message saying how reality differs from the record.
    pub fn check(&self, name: &str, failures: usize) -> Result<(), String> {
        match (self.entries.get(name), failures) {
            (None, 0) => Ok(()),
            (None, n) => Err(format!(
                "{n} directives failed; the file is not listed in expected-failures.toml"
            )),
            (Some(entry), n) if n == entry.failures => Ok(()),
            (Some(entry), 0) => Err(format!(
                "expected-failures.toml records {} failures ({}), but the file now passes: \
                 remove its entry",
                entry.failures, entry.reason
            )),
            (Some(entry), n) if n < entry.failures => Err(format!(
                "{n} directives failed but expected-failures.toml records {} ({}): \
                 progress! lower the recorded count to {n}",
                entry.failures, entry.reason
            )),
            (Some(entry), n) => Err(format!(
                "{n} directives failed but expected-failures.toml records only {} ({}): \
                 a regression",
                entry.failures, entry.reason
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = r#"
["proposals/simd/simd_lane.wast"]
failures = 3
reason = "unsupported proposal: simd"
"#;

    #[test]
    fn exact_count_passes() {
        let m = Manifest::parse(SAMPLE).unwrap();
        assert!(m.check("proposals/simd/simd_lane.wast", 3).is_ok());
        assert!(m.check("wasm-v2/i32.wast", 0).is_ok());
    }

    #[test]
    fn more_failures_than_recorded_is_a_regression() {
        let m = Manifest::parse(SAMPLE).unwrap();
        let err = m.check("proposals/simd/simd_lane.wast", 4).unwrap_err();
        assert!(err.contains("regression"), "{err}");
    }

    #[test]
    fn fewer_failures_than_recorded_must_be_written_down() {
        let m = Manifest::parse(SAMPLE).unwrap();
        let err = m.check("proposals/simd/simd_lane.wast", 2).unwrap_err();
        assert!(err.contains("lower the recorded count to 2"), "{err}");
        let err = m.check("proposals/simd/simd_lane.wast", 0).unwrap_err();
        assert!(err.contains("remove its entry"), "{err}");
    }

    #[test]
    fn unlisted_failures_fail() {
        let m = Manifest::parse(SAMPLE).unwrap();
        assert!(m.check("wasm-v2/i32.wast", 1).is_err());
    }

    #[test]
    fn entries_need_counts_and_reasons() {
        assert!(Manifest::parse("[\"a.wast\"]\nfailures = 0\nreason = \"x\"\n").is_err());
        assert!(Manifest::parse("[\"a.wast\"]\nfailures = 1\nreason = \" \"\n").is_err());
        assert!(Manifest::parse("[\"a.wast\"]\nfailures = 1\n").is_err());
    }
}

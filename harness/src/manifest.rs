//! The expected-failures manifest: a ratchet on which directives fail and
//! which are not run.
//!
//! `spec-tests/expected-failures.toml` has an entry for every file with a
//! directive that fails or is not run:
//!
//! ```toml
//! ["proposals/reference-types/unreached-invalid.wast"]
//! failing = "539"
//! reason = "written by hand: why these directives fail"
//! not_run = "12-40, 55, 181:59"
//! not_run_features = ["simd"]
//! ```
//!
//! `failing` and `not_run` list directives by the line they start on (see
//! [`crate::lines`] for the format: `L`, `A-B` for every directive on lines A
//! to B, `L:C` for one of several directives on a line). A failing list needs
//! a reason written by a person: the generator keeps the reasons already
//! there and writes [`PLACEHOLDER`] for new ones, which [`Manifest::parse`]
//! refuses. A not-run list carries the features the runner found the
//! directives need (each not-run directive's features are among them, and
//! each listed feature is needed by one), so its reason is checked rather
//! than written.
//!
//! [`Manifest::check`] fails a file whose failing or not-run directives
//! differ from the record in either direction, naming the lines that
//! changed. It only judges directives: a file that does not parse, a
//! spectest module that cannot be set up, an engine panic or a run that does
//! not finish fail the trial whatever the manifest says.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;
use std::path::Path;

use serde::Deserialize;

use crate::lines;
use crate::outcome::{FileResult, Position};

/// The reason the generator writes for failures nobody has explained yet;
/// the parser refuses it.
pub const PLACEHOLDER: &str = "TODO: write why these directives fail";

/// The comment at the top of the manifest file.
pub const HEADER: &str = "\
# Expected failures and not-run directives of the .wast files: a ratchet.
#
# Every file with a directive that fails or is not run has an entry:
#   failing           the directives that fail, by line (see below)
#   reason            why they fail, written by hand
#   not_run           the directives not run: they need a feature interp does
#                     not execute, shown by the engine's answer (a module it
#                     rejects as an unsupported proposal, or a directive that
#                     needs such a module)
#   not_run_features  the features those directives need, as the runner found
#
# Directive lists: `L` is every directive starting on line L, `A-B` every
# directive starting on lines A to B, `L:C` the directive starting at line L,
# column C (for a line with several directives that differ).
#
# `cargo test` fails a file whose failing or not-run directives differ from
# its entry in either direction, so a regression cannot hide and progress must
# be written down. A file that does not parse, whose spectest module cannot be
# set up, that panics the engine or does not finish fails whatever this says.
# Regenerate the lists (reasons are kept; new ones must be written) with
#   cargo run --release -p harness --bin conformance -- --manifest
";

/// One file's record.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    /// The failing directives.
    pub failing: Option<String>,
    /// Why they fail, written by hand.
    pub reason: Option<String>,
    /// The directives not run.
    pub not_run: Option<String>,
    /// The features the not-run directives need.
    pub not_run_features: Option<Vec<String>>,
}

/// The whole manifest, keyed by trial name.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Manifest {
    /// Entries by trial name (`folder/file.wast`).
    pub entries: BTreeMap<String, Entry>,
}

fn check_entry(name: &str, entry: &Entry) -> Result<(), String> {
    let fail = |message: &str| Err(format!("`{name}`: {message}"));
    match (&entry.failing, &entry.reason) {
        (Some(list), Some(reason)) => {
            lines::validate(list).map_err(|e| format!("`{name}`: failing: {e}"))?;
            if reason.trim().is_empty() || reason.starts_with(PLACEHOLDER) {
                return fail("write the reason these directives fail by hand");
            }
        }
        (Some(_), None) => return fail("failing directives need a reason"),
        (None, Some(_)) => return fail("a reason without failing directives"),
        (None, None) => {}
    }
    match (&entry.not_run, &entry.not_run_features) {
        (Some(list), Some(features)) => {
            lines::validate(list).map_err(|e| format!("`{name}`: not_run: {e}"))?;
            if features.is_empty() {
                return fail("not-run directives need the features they need");
            }
        }
        (Some(_), None) => return fail("not-run directives need their not_run_features"),
        (None, Some(_)) => return fail("not_run_features without not-run directives"),
        (None, None) => {}
    }
    if entry.failing.is_none() && entry.not_run.is_none() {
        return fail("an entry must list failing or not-run directives");
    }
    Ok(())
}

/// How the directives in `actual` differ from those in `recorded`, or `None`.
fn difference(
    what: &str,
    recorded: &BTreeSet<Position>,
    actual: &BTreeSet<Position>,
    all: &[Position],
) -> Option<String> {
    let new: BTreeSet<Position> = actual.difference(recorded).copied().collect();
    let gone: BTreeSet<Position> = recorded.difference(actual).copied().collect();
    let mut parts = Vec::new();
    if !new.is_empty() {
        parts.push(format!("{what} but not recorded: line {}", lines::show(&new, all)));
    }
    if !gone.is_empty() {
        parts.push(format!("recorded as {what} but not: line {}", lines::show(&gone, all)));
    }
    (!parts.is_empty()).then(|| parts.join("; "))
}

impl Manifest {
    /// Parses a manifest.
    ///
    /// # Errors
    ///
    /// If the text is not valid TOML of the expected shape, or an entry is
    /// incomplete (see [`Entry`]).
    pub fn parse(text: &str) -> Result<Manifest, String> {
        let entries: BTreeMap<String, Entry> =
            toml::from_str(text).map_err(|e| format!("invalid expected-failures manifest: {e}"))?;
        for (name, entry) in &entries {
            check_entry(name, entry)?;
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

    /// Checks a file's failing and not-run directives against its record
    /// (none means every directive passes or is text-only).
    ///
    /// # Errors
    ///
    /// A message naming the lines that differ, what to write instead, or a
    /// list that does not fit the file.
    pub fn check(&self, name: &str, result: &FileResult) -> Result<(), String> {
        let all = result.all_positions();
        let entry = self.entries.get(name).cloned().unwrap_or_default();
        let recorded = |list: &Option<String>, what: &str| match list {
            Some(list) => lines::select(list, &all)
                .map_err(|e| format!("expected-failures.toml, {what} of `{name}`: {e}")),
            None => Ok(BTreeSet::new()),
        };
        let failing = recorded(&entry.failing, "failing")?;
        let not_run = recorded(&entry.not_run, "not_run")?;
        let actual_failing: BTreeSet<Position> = result.failed().into_iter().collect();
        let actual_not_run: BTreeSet<Position> = result.not_run().into_iter().collect();
        let mut problems = Vec::new();
        problems.extend(difference("failing", &failing, &actual_failing, &all));
        problems.extend(difference("not run", &not_run, &actual_not_run, &all));
        let features: BTreeSet<String> = entry.not_run_features.iter().flatten().cloned().collect();
        let actual_features = result.not_run_features();
        if features != actual_features {
            problems.push(format!(
                "the not-run directives need the features [{}], but not_run_features says [{}]",
                actual_features.into_iter().collect::<Vec<_>>().join(", "),
                features.into_iter().collect::<Vec<_>>().join(", ")
            ));
        }
        if problems.is_empty() {
            return Ok(());
        }
        let mut message =
            format!("the directives differ from expected-failures.toml: {}", problems.join("; "));
        let _ = write!(
            message,
            "\nthe entry should read:\n{}",
            entry_text(name, result, entry.reason.as_deref()).unwrap_or_else(|| "(none)\n".into())
        );
        Err(message)
    }

    /// The manifest for `results` (every file's name and result), keeping the
    /// reasons of this one's entries.
    pub fn regenerate<'a>(
        &self,
        results: impl IntoIterator<Item = (&'a str, &'a FileResult)>,
    ) -> String {
        let mut out = String::from(HEADER);
        let mut sorted: Vec<(&str, &FileResult)> = results.into_iter().collect();
        sorted.sort_by_key(|(name, _)| *name);
        for (name, result) in sorted {
            let reason = self.entries.get(name).and_then(|e| e.reason.as_deref());
            if let Some(text) = entry_text(name, result, reason) {
                out.push('\n');
                out.push_str(&text);
            }
        }
        out
    }
}

/// The entry for a file's result, or `None` if it needs none.
fn entry_text(name: &str, result: &FileResult, reason: Option<&str>) -> Option<String> {
    let all = result.all_positions();
    let failing: BTreeSet<Position> = result.failed().into_iter().collect();
    let not_run: BTreeSet<Position> = result.not_run().into_iter().collect();
    if failing.is_empty() && not_run.is_empty() {
        return None;
    }
    let quote = |s: &str| toml::Value::String(s.to_string()).to_string();
    let mut out = format!("[{}]\n", quote(name));
    if !failing.is_empty() {
        let _ = writeln!(out, "failing = {}", quote(&lines::format(&failing, &all)));
        let _ = writeln!(out, "reason = {}", quote(reason.unwrap_or(PLACEHOLDER)));
    }
    if !not_run.is_empty() {
        let _ = writeln!(out, "not_run = {}", quote(&lines::format(&not_run, &all)));
        let features: Vec<String> = result.not_run_features().iter().map(|f| quote(f)).collect();
        let _ = writeln!(out, "not_run_features = [{}]", features.join(", "));
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::outcome::{Directive, NotRun, Outcome};

    /// A file of six directives on lines 1 to 6 with the given outcomes.
    fn result(outcomes: [Outcome; 6]) -> FileResult {
        FileResult {
            directives: outcomes
                .into_iter()
                .enumerate()
                .map(|(i, outcome)| Directive {
                    at: Position { line: i + 1, column: 1 },
                    kind: "assert_return",
                    outcome,
                })
                .collect(),
            problem: None,
        }
    }

    fn pass() -> Outcome {
        Outcome::Passed
    }

    fn fail() -> Outcome {
        Outcome::Failed("wrong".into())
    }

    fn simd() -> Outcome {
        Outcome::NotRun(NotRun::new(["simd"], "unsupported proposal: simd"))
    }

    const SAMPLE: &str = r#"
["a.wast"]
failing = "2-3"
reason = "the engine gets these wrong"
not_run = "5"
not_run_features = ["simd"]
"#;

    #[test]
    fn the_recorded_directives_pass_the_check() {
        let m = Manifest::parse(SAMPLE).unwrap();
        let r = result([pass(), fail(), fail(), pass(), simd(), Outcome::TextOnly]);
        assert_eq!(m.check("a.wast", &r), Ok(()));
        let clean = result([pass(), pass(), pass(), pass(), pass(), Outcome::TextOnly]);
        assert_eq!(m.check("b.wast", &clean), Ok(()));
    }

    #[test]
    fn swapping_one_failing_directive_for_another_fails() {
        let m = Manifest::parse(SAMPLE).unwrap();
        // Still two failures, but line 3 now passes and line 4 fails.
        let r = result([pass(), fail(), pass(), fail(), simd(), pass()]);
        let err = m.check("a.wast", &r).unwrap_err();
        assert!(err.contains("failing but not recorded: line 4"), "{err}");
        assert!(err.contains("recorded as failing but not: line 3"), "{err}");
        assert!(err.contains("failing = \"2, 4\""), "{err}");
    }

    #[test]
    fn not_run_directives_are_checked_by_line_and_feature() {
        let m = Manifest::parse(SAMPLE).unwrap();
        let moved = result([pass(), fail(), fail(), simd(), pass(), pass()]);
        let err = m.check("a.wast", &moved).unwrap_err();
        assert!(err.contains("not run but not recorded: line 4"), "{err}");
        assert!(err.contains("recorded as not run but not: line 5"), "{err}");
        let gc = Outcome::NotRun(NotRun::new(["gc"], "unsupported proposal: gc"));
        let other = result([pass(), fail(), fail(), pass(), gc, pass()]);
        let err = m.check("a.wast", &other).unwrap_err();
        assert!(err.contains("need the features [gc], but not_run_features says [simd]"), "{err}");
    }

    #[test]
    fn unlisted_failures_and_passing_listed_files_fail() {
        let m = Manifest::parse(SAMPLE).unwrap();
        let r = result([pass(), pass(), pass(), pass(), pass(), fail()]);
        let err = m.check("b.wast", &r).unwrap_err();
        assert!(err.contains("failing but not recorded: line 6"), "{err}");
        let err = m.check("a.wast", &r).unwrap_err();
        assert!(err.contains("recorded as failing but not: line 2, 3"), "{err}");
        assert!(err.contains("recorded as not run but not: line 5"), "{err}");
    }

    #[test]
    fn a_list_that_selects_nothing_fails() {
        let m = Manifest::parse("[\"a.wast\"]\nfailing = \"9\"\nreason = \"r\"\n").unwrap();
        let r = result([pass(), pass(), pass(), pass(), pass(), pass()]);
        let err = m.check("a.wast", &r).unwrap_err();
        assert!(err.contains("`9` selects no directive"), "{err}");
    }

    #[test]
    fn entries_need_hand_written_reasons_and_features() {
        let entry = |body: &str| Manifest::parse(&format!("[\"a.wast\"]\n{body}"));
        assert!(entry("failing = \"1\"\n").is_err());
        assert!(entry("failing = \"1\"\nreason = \" \"\n").is_err());
        assert!(entry(&format!("failing = \"1\"\nreason = \"{PLACEHOLDER}\"\n")).is_err());
        assert!(entry("not_run = \"1\"\n").is_err());
        assert!(entry("not_run = \"1\"\nnot_run_features = []\n").is_err());
        assert!(entry("reason = \"r\"\n").is_err());
        assert!(entry("").is_err());
        assert!(entry("failing = \"x\"\nreason = \"r\"\n").is_err());
        assert!(entry("failures = 3\nreason = \"r\"\n").is_err());
        assert!(entry("not_run = \"1-4\"\nnot_run_features = [\"simd\"]\n").is_ok());
    }

    #[test]
    fn regenerating_keeps_reasons_and_marks_new_failures() {
        let m = Manifest::parse(SAMPLE).unwrap();
        let a = result([pass(), fail(), fail(), fail(), simd(), simd()]);
        let b = result([fail(), pass(), pass(), pass(), pass(), pass()]);
        let c = result([pass(), pass(), pass(), pass(), pass(), pass()]);
        let text = m.regenerate([("b.wast", &b), ("a.wast", &a), ("c.wast", &c)]);
        assert!(text.starts_with(HEADER));
        let body = &text[HEADER.len()..];
        assert_eq!(
            body,
            format!(
                "\n[\"a.wast\"]\nfailing = \"2-4\"\nreason = \"the engine gets these wrong\"\n\
                 not_run = \"5-6\"\nnot_run_features = [\"simd\"]\n\
                 \n[\"b.wast\"]\nfailing = \"1\"\nreason = \"{PLACEHOLDER}\"\n"
            )
        );
        // The placeholder must be replaced before the manifest is accepted.
        assert!(Manifest::parse(&text).is_err());
    }
}

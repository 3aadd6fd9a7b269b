//! One spec trial: run a file within the time limit and hold its result
//! against the expected-failures manifest.

use std::time::Duration;

use crate::WastFile;
use crate::manifest::Manifest;
use crate::watchdog::run_bounded;

/// Failing directives shown per trial.
const SHOWN_FAILURES: usize = 40;

/// Runs `file` for at most `limit` and checks it against `manifest`.
///
/// # Errors
///
/// A report: the problem of the file as a whole (it does not parse, its
/// spectest module cannot be set up, the engine panicked, the run did not
/// finish), which no entry can excuse, or how its failing and not-run
/// directives differ from the record; with the failing directives.
pub fn check_file(file: &WastFile, manifest: &Manifest, limit: Duration) -> Result<(), String> {
    let result = run_bounded(file, limit);
    let details = result.describe_failures(&file.name, SHOWN_FAILURES);
    if let Some(problem) = &result.problem {
        return Err(format!("{}: {problem}\n{details}", file.name));
    }
    manifest.check(&file.name, &result).map_err(|message| format!("{message}\n{details}"))
}

/// The manifest's entries for files that do not exist, as an error.
///
/// # Errors
///
/// Naming the stale entries.
pub fn check_names(manifest: &Manifest, files: &[WastFile]) -> Result<(), String> {
    let stale: Vec<&String> =
        manifest.entries.keys().filter(|k| !files.iter().any(|f| &f.name == *k)).collect();
    if stale.is_empty() {
        Ok(())
    } else {
        Err(format!("expected-failures.toml has entries for files that do not exist: {stale:?}"))
    }
}

#[cfg(test)]
mod tests {
    use std::borrow::Cow;

    use super::*;

    fn file(text: &'static str) -> WastFile {
        WastFile { name: "x/a.wast".into(), folder: "x".into(), text: Cow::Borrowed(text) }
    }

    #[test]
    fn a_parse_failure_cannot_be_excused() {
        let manifest =
            Manifest::parse("[\"x/a.wast\"]\nfailing = \"1\"\nreason = \"broken on purpose\"\n")
                .unwrap();
        let err = check_file(&file("(module"), &manifest, Duration::from_secs(60)).unwrap_err();
        assert!(err.contains("the file cannot be parsed"), "{err}");
    }

    #[test]
    fn recorded_failures_pass_and_unrecorded_ones_fail() {
        let text = "(module (func (export \"f\") (result i32) (i32.const 1)))\n\
                    (assert_return (invoke \"f\") (i32.const 2))\n";
        let err =
            check_file(&file(text), &Manifest::default(), Duration::from_secs(60)).unwrap_err();
        assert!(err.contains("failing but not recorded: line 2"), "{err}");
        assert!(err.contains("x/a.wast:2:2: assert_return: result 0: expected"), "{err}");
        let manifest =
            Manifest::parse("[\"x/a.wast\"]\nfailing = \"2\"\nreason = \"wrong on purpose\"\n")
                .unwrap();
        assert_eq!(check_file(&file(text), &manifest, Duration::from_secs(60)), Ok(()));
    }

    #[test]
    fn stale_entries_are_named() {
        let manifest =
            Manifest::parse("[\"x/gone.wast\"]\nfailing = \"1\"\nreason = \"r\"\n").unwrap();
        let err = check_names(&manifest, &[file("")]).unwrap_err();
        assert!(err.contains("x/gone.wast"), "{err}");
    }
}

//! The conformance report: per folder, files fully passing and directives
//! passed out of total.

use std::collections::BTreeMap;
use std::fmt::Write;

use serde::Serialize;

use crate::{FileResult, WastFile};

/// Totals for one folder.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct FolderStats {
    /// The folder, e.g. `wasm-v2` or `proposals/simd`.
    pub folder: String,
    /// Files in the folder.
    pub files: usize,
    /// Files whose every directive passed.
    pub files_passing: usize,
    /// Directives in all files.
    pub directives: usize,
    /// Directives that passed.
    pub directives_passed: usize,
}

/// Sums results per folder, in folder order.
pub fn aggregate<'a>(
    results: impl IntoIterator<Item = (&'a WastFile, &'a FileResult)>,
) -> Vec<FolderStats> {
    let mut folders: BTreeMap<String, FolderStats> = BTreeMap::new();
    for (file, result) in results {
        let stats = folders
            .entry(file.folder.clone())
            .or_insert_with(|| FolderStats { folder: file.folder.clone(), ..Default::default() });
        stats.files += 1;
        stats.files_passing += usize::from(result.failures.is_empty());
        stats.directives += result.total;
        stats.directives_passed += result.passed();
    }
    folders.into_values().collect()
}

/// The report as a Markdown table with a total row.
pub fn markdown(stats: &[FolderStats]) -> String {
    let mut out =
        String::from("| folder | files fully passing | directives passed |\n|---|---:|---:|\n");
    let mut total = FolderStats { folder: "**total**".into(), ..Default::default() };
    for s in stats {
        row(&mut out, s);
        total.files += s.files;
        total.files_passing += s.files_passing;
        total.directives += s.directives;
        total.directives_passed += s.directives_passed;
    }
    row(&mut out, &total);
    out
}

fn row(out: &mut String, s: &FolderStats) {
    // Rounded down, so that anything short of every directive shows below 100%.
    let pct = if s.directives == 0 {
        100.0
    } else {
        (1000.0 * s.directives_passed as f64 / s.directives as f64).floor() / 10.0
    };
    let _ = writeln!(
        out,
        "| {} | {}/{} | {}/{} ({pct:.1}%) |",
        s.folder, s.files_passing, s.files, s.directives_passed, s.directives
    );
}

/// A one-line reason for a file's failures, derived from their messages:
/// the proposals interp does not execute that the file's modules use, or the
/// kinds of directive it cannot run.
pub fn reason(result: &FileResult) -> String {
    let mut causes: Vec<String> = Vec::new();
    let mut add = |cause: String| {
        if !causes.contains(&cause) {
            causes.push(cause);
        }
    };
    for failure in &result.failures {
        let m = &failure.message;
        if let Some(rest) = m.split("unsupported proposals: ").nth(1) {
            for p in rest.split(" (at").next().unwrap_or("").split(", ") {
                add(p.to_string());
            }
        } else if let Some(rest) = m.split("unsupported proposal: ").nth(1) {
            add(rest.split(' ').next().unwrap_or("").to_string());
        } else if m.contains("v128") {
            add("simd".into());
        } else if m.contains("components are not supported") {
            add("component-model".into());
        } else if m.contains("(exception-handling proposal)") {
            add("exceptions".into());
        } else if m.contains("(threads proposal)") {
            add("threads".into());
        }
    }
    if causes.is_empty() {
        "UNEXPLAINED: review the failures".into()
    } else {
        format!(
            "uses proposals interp does not execute ({}); the other failing directives use \
             the modules that fail to compile",
            causes.join(", ")
        )
    }
}

/// The report as JSON: `{"folders": [...]}`.
pub fn json(stats: &[FolderStats]) -> String {
    #[derive(Serialize)]
    struct Report<'a> {
        folders: &'a [FolderStats],
    }
    serde_json::to_string_pretty(&Report { folders: stats }).expect("serialisable report")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Failure;

    #[test]
    fn sums_per_folder() {
        let file = |name: &str, folder: &str| WastFile {
            name: name.into(),
            folder: folder.into(),
            text: "".into(),
        };
        let a = file("x/a.wast", "x");
        let b = file("x/b.wast", "x");
        let pass = FileResult { total: 3, failures: vec![], panicked: false };
        let fail = FileResult {
            total: 2,
            failures: vec![Failure { line: 1, directive: "invoke", message: "m".into() }],
            panicked: false,
        };
        let stats = aggregate([(&a, &pass), (&b, &fail)]);
        assert_eq!(stats.len(), 1);
        assert_eq!((stats[0].files, stats[0].files_passing), (2, 1));
        assert_eq!((stats[0].directives, stats[0].directives_passed), (5, 4));
        assert!(markdown(&stats).contains("| x | 1/2 | 4/5 (80.0%) |"));
        assert!(json(&stats).contains("\"directives_passed\": 4"));
    }
}

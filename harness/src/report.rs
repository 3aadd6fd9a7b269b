//! The conformance report: per folder, files fully passing and directives
//! passed, failed, not run and text-only.

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
    /// Files with no failing and no not-run directive (and no problem).
    pub files_passing: usize,
    /// Directives in all files.
    pub directives: usize,
    /// Directives that passed.
    pub passed: usize,
    /// Directives that failed.
    pub failed: usize,
    /// Directives not run: they need a feature interp does not execute.
    pub not_run: usize,
    /// `assert_malformed`/`assert_invalid` directives whose module text the
    /// text parser rejects: they test the parser, not the engine.
    pub text_only: usize,
    /// Files that could not be run as a whole (they do not parse, panic the
    /// engine or do not finish); their directives are not counted.
    pub broken_files: usize,
}

impl FolderStats {
    fn add(&mut self, other: &FolderStats) {
        self.files += other.files;
        self.files_passing += other.files_passing;
        self.directives += other.directives;
        self.passed += other.passed;
        self.failed += other.failed;
        self.not_run += other.not_run;
        self.text_only += other.text_only;
        self.broken_files += other.broken_files;
    }
}

/// Sums results per folder, in folder order.
pub fn aggregate<'a>(
    results: impl IntoIterator<Item = (&'a WastFile, &'a FileResult)>,
) -> Vec<FolderStats> {
    let mut folders: BTreeMap<String, FolderStats> = BTreeMap::new();
    for (file, result) in results {
        let counts = result.counts();
        let stats = folders
            .entry(file.folder.clone())
            .or_insert_with(|| FolderStats { folder: file.folder.clone(), ..Default::default() });
        stats.add(&FolderStats {
            folder: String::new(),
            files: 1,
            files_passing: usize::from(result.fully_passing()),
            directives: result.directives.len(),
            passed: counts.passed,
            failed: counts.failed,
            not_run: counts.not_run,
            text_only: counts.text_only,
            broken_files: usize::from(result.problem.is_some()),
        });
    }
    folders.into_values().collect()
}

/// The report as a Markdown table with a total row.
pub fn markdown(stats: &[FolderStats]) -> String {
    let mut out = String::from(
        "| folder | files fully passing | passed | failed | not run | text-only |\n\
         |---|---:|---:|---:|---:|---:|\n",
    );
    let mut total = FolderStats { folder: "**total**".into(), ..Default::default() };
    for s in stats {
        row(&mut out, s);
        total.add(s);
    }
    row(&mut out, &total);
    out
}

fn row(out: &mut String, s: &FolderStats) {
    let broken = if s.broken_files > 0 {
        format!(" ({} not run as a whole)", s.broken_files)
    } else {
        String::new()
    };
    let _ = writeln!(
        out,
        "| {} | {}/{}{broken} | {} | {} | {} | {} |",
        s.folder, s.files_passing, s.files, s.passed, s.failed, s.not_run, s.text_only
    );
}

/// The report as JSON: `{"folders": [...], "total": {...}}`.
pub fn json(stats: &[FolderStats]) -> String {
    #[derive(Serialize)]
    struct Report<'a> {
        folders: &'a [FolderStats],
        total: FolderStats,
    }
    let mut total = FolderStats { folder: "total".into(), ..Default::default() };
    for s in stats {
        total.add(s);
    }
    serde_json::to_string_pretty(&Report { folders: stats, total }).expect("serialisable report")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Directive, NotRun, Outcome, Position};

    fn result(outcomes: Vec<Outcome>) -> FileResult {
        FileResult {
            directives: outcomes
                .into_iter()
                .enumerate()
                .map(|(i, outcome)| Directive {
                    at: Position { line: i + 1, column: 1 },
                    kind: "module",
                    outcome,
                })
                .collect(),
            problem: None,
        }
    }

    #[test]
    fn sums_per_folder() {
        let file = |name: &str, folder: &str| WastFile {
            name: name.into(),
            folder: folder.into(),
            text: "".into(),
        };
        let a = file("x/a.wast", "x");
        let b = file("x/b.wast", "x");
        let c = file("y/c.wast", "y");
        let pass = result(vec![Outcome::Passed, Outcome::TextOnly, Outcome::Passed]);
        let mixed = result(vec![
            Outcome::Passed,
            Outcome::Failed("m".into()),
            Outcome::NotRun(NotRun::new(["simd"], "r")),
        ]);
        let broken = FileResult::broken("does not parse");
        let stats = aggregate([(&a, &pass), (&b, &mixed), (&c, &broken)]);
        assert_eq!(stats.len(), 2);
        let x = &stats[0];
        assert_eq!((x.files, x.files_passing, x.directives), (2, 1, 6));
        assert_eq!((x.passed, x.failed, x.not_run, x.text_only), (3, 1, 1, 1));
        let table = markdown(&stats);
        assert!(table.contains("| x | 1/2 | 3 | 1 | 1 | 1 |"), "{table}");
        assert!(table.contains("| y | 0/1 (1 not run as a whole) | 0 | 0 | 0 | 0 |"), "{table}");
        assert!(
            table.contains("| **total** | 1/3 (1 not run as a whole) | 3 | 1 | 1 | 1 |"),
            "{table}"
        );
        let json = json(&stats);
        assert!(json.contains("\"not_run\": 1"), "{json}");
        assert!(json.contains("\"folder\": \"total\""), "{json}");
    }
}

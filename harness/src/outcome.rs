//! What running a `.wast` file produced: one [`Outcome`] per directive, and
//! the problems of a file as a whole that no expected-failures entry can
//! excuse.

use std::collections::BTreeSet;
use std::fmt;

/// What became of one directive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The engine did what the directive asserts.
    Passed,
    /// The engine did something else; the message says what was expected and
    /// what happened.
    Failed(String),
    /// The directive needs a feature interp does not execute, shown by the
    /// engine's own answer (see [`NotRun`]).
    NotRun(NotRun),
    /// An `assert_malformed` or `assert_invalid` whose module text the `wast`
    /// text parser rejects: it tests the text parser, and interp never sees
    /// a module. Neither a pass nor a failure.
    TextOnly,
}

/// Why a directive was not run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotRun {
    /// The features it needs that interp does not execute, e.g. `simd` (the
    /// proposal names interp's `UnsupportedProposal` reports, or
    /// `component-model`, `threads`, `stack-switching`).
    pub features: BTreeSet<String>,
    /// The evidence: the engine's rejection, or the earlier directive whose
    /// module was not run.
    pub reason: String,
}

impl NotRun {
    /// Not run because of `features`, for `reason`.
    pub fn new<'a>(features: impl IntoIterator<Item = &'a str>, reason: impl Into<String>) -> Self {
        NotRun {
            features: features.into_iter().map(str::to_string).collect(),
            reason: reason.into(),
        }
    }

    /// The features, comma-separated.
    pub fn feature_list(&self) -> String {
        self.features.iter().map(String::as_str).collect::<Vec<_>>().join(", ")
    }
}

/// Where a directive starts in its file: the line and column (both 1-based)
/// of its keyword, just after the opening parenthesis.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Position {
    /// The line.
    pub line: usize,
    /// The column.
    pub column: usize,
}

impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.line, self.column)
    }
}

/// One directive's result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Directive {
    /// Where it starts.
    pub at: Position,
    /// Its keyword, e.g. `assert_return`.
    pub kind: &'static str,
    /// What became of it.
    pub outcome: Outcome,
}

/// The outcome of running one file.
#[derive(Debug, Clone, Default)]
pub struct FileResult {
    /// Every directive of the file, in order.
    pub directives: Vec<Directive>,
    /// A failure of the file as a whole, which no expected-failures entry can
    /// excuse: the file does not parse, the spectest module cannot be set
    /// up, the engine panicked, or the run did not finish in time.
    pub problem: Option<String>,
}

/// Directive counts by outcome.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// Directives that passed.
    pub passed: usize,
    /// Directives that failed.
    pub failed: usize,
    /// Directives not run.
    pub not_run: usize,
    /// Directives that only test the text parser.
    pub text_only: usize,
}

impl FileResult {
    /// A result for a file that could not be run at all.
    pub fn broken(problem: impl Into<String>) -> FileResult {
        FileResult { directives: Vec::new(), problem: Some(problem.into()) }
    }

    /// Directive counts by outcome.
    pub fn counts(&self) -> Counts {
        let mut counts = Counts::default();
        for d in &self.directives {
            match d.outcome {
                Outcome::Passed => counts.passed += 1,
                Outcome::Failed(_) => counts.failed += 1,
                Outcome::NotRun(_) => counts.not_run += 1,
                Outcome::TextOnly => counts.text_only += 1,
            }
        }
        counts
    }

    /// Whether every directive passed or only tests the text parser, and the
    /// file as a whole had no problem.
    pub fn fully_passing(&self) -> bool {
        let counts = self.counts();
        self.problem.is_none() && counts.failed == 0 && counts.not_run == 0
    }

    /// The positions of the failed directives.
    pub fn failed(&self) -> Vec<Position> {
        self.positions(|o| matches!(o, Outcome::Failed(_)))
    }

    /// The positions of the directives not run.
    pub fn not_run(&self) -> Vec<Position> {
        self.positions(|o| matches!(o, Outcome::NotRun(_)))
    }

    /// The positions of every directive.
    pub fn all_positions(&self) -> Vec<Position> {
        self.positions(|_| true)
    }

    fn positions(&self, select: impl Fn(&Outcome) -> bool) -> Vec<Position> {
        self.directives.iter().filter(|d| select(&d.outcome)).map(|d| d.at).collect()
    }

    /// The features the not-run directives need, all together.
    pub fn not_run_features(&self) -> std::collections::BTreeSet<String> {
        let mut features = BTreeSet::new();
        for d in &self.directives {
            if let Outcome::NotRun(n) = &d.outcome {
                features.extend(n.features.iter().cloned());
            }
        }
        features
    }

    /// The failed directives, one per line as `name:line:column: directive:
    /// message`, at most `limit` of them.
    pub fn describe_failures(&self, name: &str, limit: usize) -> String {
        let failures: Vec<(&Directive, &String)> = self
            .directives
            .iter()
            .filter_map(|d| match &d.outcome {
                Outcome::Failed(message) => Some((d, message)),
                _ => None,
            })
            .collect();
        let mut out = String::new();
        for (d, message) in failures.iter().take(limit) {
            out.push_str(&format!("{name}:{}: {}: {message}\n", d.at, d.kind));
        }
        if failures.len() > limit {
            out.push_str(&format!("... and {} more\n", failures.len() - limit));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn directive(line: usize, outcome: Outcome) -> Directive {
        Directive { at: Position { line, column: 1 }, kind: "invoke", outcome }
    }

    #[test]
    fn counts_and_positions_by_outcome() {
        let result = FileResult {
            directives: vec![
                directive(1, Outcome::Passed),
                directive(2, Outcome::Failed("boom".into())),
                directive(3, Outcome::NotRun(NotRun::new(["simd"], "unsupported"))),
                directive(4, Outcome::TextOnly),
                directive(5, Outcome::NotRun(NotRun::new(["gc", "exceptions"], "unsupported"))),
            ],
            problem: None,
        };
        let counts = result.counts();
        assert_eq!((counts.passed, counts.failed, counts.not_run, counts.text_only), (1, 1, 2, 1));
        assert_eq!(result.failed(), vec![Position { line: 2, column: 1 }]);
        assert_eq!(result.not_run().iter().map(|p| p.line).collect::<Vec<_>>(), vec![3, 5]);
        assert_eq!(
            result.not_run_features().into_iter().collect::<Vec<_>>(),
            vec!["exceptions", "gc", "simd"]
        );
        assert!(!result.fully_passing());
        assert_eq!(result.describe_failures("a.wast", 10), "a.wast:2:1: invoke: boom\n");
    }

    #[test]
    fn text_only_directives_do_not_spoil_a_passing_file() {
        let result = FileResult {
            directives: vec![directive(1, Outcome::Passed), directive(2, Outcome::TextOnly)],
            problem: None,
        };
        assert!(result.fully_passing());
        let broken = FileResult { problem: Some("does not parse".into()), ..result };
        assert!(!broken.fully_passing());
    }
}

//! Runs the directives of one `.wast` file against interp.
//!
//! Every directive is executed in order and gets an [`Outcome`]: passed,
//! failed, not run (it needs a feature interp does not execute, shown by the
//! engine's answer) or text-only (a module text the `wast` parser rejects).
//! Each directive runs under `catch_unwind`: an engine panic fails the
//! directive and is a problem of the whole file, which no manifest entry can
//! excuse; so are a file that does not parse and a spectest module that
//! cannot be set up.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Mutex;

use wast::lexer::Lexer;
use wast::parser::{self, ParseBuffer};
use wast::{Wast, WastDirective};

use crate::WastFile;
use crate::context::Context;
use crate::outcome::{Directive, FileResult, Outcome, Position};

/// The directive a run has started last, for reporting a run that does not
/// finish.
#[derive(Debug, Default)]
pub struct Progress {
    last: Mutex<Option<(Position, &'static str)>>,
}

impl Progress {
    /// Where the last directive started, and its keyword.
    pub fn last_started(&self) -> Option<(Position, &'static str)> {
        *self.last.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn start(&self, at: Position, kind: &'static str) {
        *self.last.lock().unwrap_or_else(|e| e.into_inner()) = Some((at, kind));
    }
}

/// Runs every directive of `file` on an engine with the file's configuration.
pub fn run_file(file: &WastFile) -> FileResult {
    run_file_with_progress(file, &Progress::default())
}

/// Runs every directive of `file` on an engine with the file's configuration,
/// recording in `progress` each directive as it starts.
pub fn run_file_with_progress(file: &WastFile, progress: &Progress) -> FileResult {
    let text: &str = &file.text;
    // Some files (names.wast) deliberately contain bidirectional-text
    // characters in strings.
    let mut lexer = Lexer::new(text);
    lexer.allow_confusing_unicode(true);
    let buf = match ParseBuffer::new_with_lexer(lexer) {
        Ok(buf) => buf,
        Err(e) => return unparsable(text, &e),
    };
    let wast = match parser::parse::<Wast<'_>>(&buf) {
        Ok(wast) => wast,
        Err(e) => return unparsable(text, &e),
    };
    let mut ctx = match Context::new(&file.config(), file.assumed_proposals()) {
        Ok(ctx) => ctx,
        Err(e) => return FileResult::broken(format!("cannot set up the spectest module: {e}")),
    };
    let mut result = FileResult::default();
    for directive in wast.directives {
        let (line, column) = directive.span().linecol_in(text);
        let at = Position { line: line + 1, column: column + 1 };
        let kind = directive_name(&directive);
        progress.start(at, kind);
        let outcome = match catch_unwind(AssertUnwindSafe(|| ctx.run(directive))) {
            Ok(outcome) => outcome,
            Err(panic) => {
                let text = panic
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                    .unwrap_or_default();
                result
                    .problem
                    .get_or_insert_with(|| format!("the engine panicked at line {}", at.line));
                Outcome::Failed(format!("PANIC in the engine: {text}"))
            }
        };
        result.directives.push(Directive { at, kind, outcome });
    }
    result
}

fn unparsable(text: &str, e: &wast::Error) -> FileResult {
    let (line, _) = e.span().linecol_in(text);
    FileResult::broken(format!("the file cannot be parsed (line {}): {}", line + 1, e.message()))
}

fn directive_name(d: &WastDirective<'_>) -> &'static str {
    match d {
        WastDirective::Module(_) => "module",
        WastDirective::ModuleDefinition(_) => "module definition",
        WastDirective::ModuleInstance { .. } => "module instance",
        WastDirective::AssertMalformed { .. } => "assert_malformed",
        WastDirective::AssertInvalid { .. } => "assert_invalid",
        WastDirective::AssertInvalidCustom { .. } => "assert_invalid_custom",
        WastDirective::AssertMalformedCustom { .. } => "assert_malformed_custom",
        WastDirective::Register { .. } => "register",
        WastDirective::Invoke(_) => "invoke",
        WastDirective::AssertTrap { .. } => "assert_trap",
        WastDirective::AssertReturn { .. } => "assert_return",
        WastDirective::AssertExhaustion { .. } => "assert_exhaustion",
        WastDirective::AssertUnlinkable { .. } => "assert_unlinkable",
        WastDirective::AssertException { .. } => "assert_exception",
        WastDirective::AssertSuspension { .. } => "assert_suspension",
        WastDirective::Thread(_) => "thread",
        WastDirective::Wait { .. } => "wait",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each directive's line and outcome, failures and not-run ones with
    /// their message.
    fn file(text: &str) -> WastFile {
        WastFile { name: "x/a.wast".into(), folder: "x".into(), text: text.to_string().into() }
    }

    fn run(text: &str) -> Vec<(usize, String)> {
        let result = run_file(&file(text));
        assert_eq!(result.problem, None);
        result
            .directives
            .into_iter()
            .map(|d| {
                let outcome = match d.outcome {
                    Outcome::Passed => "passed".to_string(),
                    Outcome::Failed(m) => format!("failed: {m}"),
                    Outcome::NotRun(n) => format!("not run [{}]: {}", n.feature_list(), n.reason),
                    Outcome::TextOnly => "text-only".to_string(),
                };
                (d.at.line, outcome)
            })
            .collect()
    }

    fn outcome(results: &[(usize, String)], line: usize) -> &str {
        &results.iter().find(|(l, _)| *l == line).unwrap_or_else(|| panic!("line {line}")).1
    }

    #[test]
    fn a_failed_module_replaces_the_current_one() {
        let results = run(r#"
(module (func (export "f") (result i32) (i32.const 1)))
(assert_return (invoke "f") (i32.const 1))
(module (import "nowhere" "g" (func)) (func (export "f") (result i32) (i32.const 1)))
(assert_return (invoke "f") (i32.const 1))
(invoke "f")
"#);
        assert_eq!(outcome(&results, 3), "passed");
        assert!(outcome(&results, 4).starts_with("failed: instantiation failed: unknown import"));
        // The first module's f would return 1: it must not be called.
        assert!(
            outcome(&results, 5).starts_with("failed: module failed earlier: instantiation failed"),
            "{results:?}"
        );
        assert!(outcome(&results, 6).starts_with("failed: module failed earlier:"));
    }

    #[test]
    fn a_failed_named_module_replaces_an_older_one_of_the_same_name() {
        let results = run(r#"
(module $M (func (export "f") (result i32) (i32.const 1)))
(module $M (func (export "f") (result i32) (i64.const 1)))
(module $Other)
(assert_return (invoke $M "f") (i32.const 1))
(register "M" $M)
(module (import "M" "f" (func (result i32))))
"#);
        assert!(outcome(&results, 3).starts_with("failed: compilation failed: type mismatch"));
        assert!(
            outcome(&results, 5).starts_with("failed: module failed earlier: compilation failed")
        );
        assert!(outcome(&results, 6).starts_with("failed: module failed earlier:"));
        // "M" was never registered; it is poisoned, not missing.
        assert!(
            outcome(&results, 7).starts_with(
                "failed: imports from \"M\", registered from a module that failed: compilation failed"
            ),
            "{results:?}"
        );
    }

    #[test]
    fn a_module_needing_an_unexecuted_feature_is_not_run_and_so_is_what_needs_it() {
        let results = run(r#"
(module $A (func (export "f") (result i32) (i32.const 1)))
(register "A" $A)
(module $S (type $t (struct)) (func (export "f") (result i32) (drop (struct.new $t)) (i32.const 1)))
(assert_return (invoke "f") (i32.const 1))
(assert_trap (invoke $S "f") "unreachable")
(register "A" $S)
(module (import "A" "f" (func (result i32))))
(assert_unlinkable (module (import "A" "g" (func))) "unknown import")
(assert_invalid (module (type $t (struct)) (func (result i32) (struct.new $t))) "type mismatch")
(assert_malformed (module quote "(func (i32.const))") "unexpected token")
(assert_invalid (module (func (result i32) (i64.const 0))) "type mismatch")
"#);
        assert_eq!(outcome(&results, 4), "not run [gc]: unsupported proposal: gc (at offset 0xb)");
        assert_eq!(outcome(&results, 5), "not run [gc]: module failed earlier (not run: gc)");
        assert_eq!(outcome(&results, 6), "not run [gc]: module failed earlier (not run: gc)");
        assert_eq!(outcome(&results, 7), "not run [gc]: module failed earlier (not run: gc)");
        // "A" held $A's f, which this import would link against.
        assert_eq!(
            outcome(&results, 8),
            "not run [gc]: imports from \"A\", registered from a module that was not run (gc)"
        );
        // Linking must not pass because the name is poisoned.
        assert!(outcome(&results, 9).starts_with("not run [gc]: imports from \"A\""));
        assert!(outcome(&results, 10).starts_with("not run [gc]: unsupported proposal: gc"));
        assert_eq!(outcome(&results, 11), "text-only");
        assert_eq!(outcome(&results, 12), "passed");
    }

    #[test]
    fn a_module_not_run_taints_the_state_it_imports() {
        let results = run(r#"
(module $M (memory (export "mem") 1) (func (export "read") (result i32) (i32.load8_u (i32.const 0))))
(register "M" $M)
(module $F (func (export "f") (result i32) (i32.const 7)))
(register "F" $F)
(module
  (import "F" "f" (func (result i32)))
  (memory (import "M" "mem") 1)
  (data (i32.const 0) "\01")
  (type $t (struct))
  (func (drop (struct.new $t))))
(assert_return (invoke $M "read") (i32.const 1))
(module $N (memory (import "M" "mem") 1) (func (export "read") (result i32) (i32.load8_u (i32.const 0))))
(assert_return (invoke $N "read") (i32.const 1))
(assert_return (invoke $F "f") (i32.const 7))
"#);
        assert!(outcome(&results, 6).starts_with("not run [gc]: unsupported proposal"));
        // The data segment would have written 1 into $M's memory.
        assert_eq!(
            outcome(&results, 12),
            "not run [gc]: its state (registered as \"M\") is shared with a module that was \
             not run (gc)"
        );
        assert_eq!(outcome(&results, 13), "passed");
        assert!(outcome(&results, 14).starts_with("not run [gc]: its state"));
        // Importing a function shares no state.
        assert_eq!(outcome(&results, 15), "passed");
    }

    #[test]
    fn re_registering_a_name_drops_the_older_exports() {
        let results = run(r#"
(module $A (func (export "f")) (func (export "g")))
(register "M" $A)
(module $B (func (export "f")))
(register "M" $B)
(assert_unlinkable (module (import "M" "g" (func))) "unknown import")
(module (import "M" "f" (func)))
"#);
        assert_eq!(outcome(&results, 6), "passed", "{results:?}");
        assert_eq!(outcome(&results, 7), "passed");
    }

    #[test]
    fn threads_components_and_shared_memories_are_not_run() {
        let results = run(r#"
(module)
(thread $T (invoke "f"))
(wait $T)
(component)
(assert_unlinkable (module (import "spectest" "shared_memory" (memory 1 2))) "incompatible import type")
"#);
        assert!(outcome(&results, 3).starts_with("not run [threads]"), "{results:?}");
        assert!(outcome(&results, 4).starts_with("not run [threads]"));
        assert!(outcome(&results, 5).starts_with("not run [component-model]"));
        // The threads proposal's spectest module has a shared memory.
        assert_eq!(
            outcome(&results, 6),
            "not run [threads]: imports spectest's shared_memory, which needs threads"
        );
    }

    #[test]
    fn files_that_do_not_parse_are_a_problem() {
        let result = run_file(&file("(module"));
        assert!(result.problem.unwrap().starts_with("the file cannot be parsed (line 1)"));
        assert!(result.directives.is_empty());
    }
}

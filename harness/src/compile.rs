//! Compiling a directive's module, and deciding what a rejection means.
//!
//! interp reports a module rejected because it needs a proposal the engine
//! does not execute, or one the file's configuration turns off, as
//! [`ErrorKind::UnsupportedProposal`] (a *feature gate*), and an invalid or
//! malformed module as [`ErrorKind::Wasm`]. interp decides which by validating
//! again with more proposals enabled, not by reading messages (see
//! `interp/src/module/unsupported.rs`: wasmparser words feature gates in too
//! many ways for a list of messages to be complete).
//!
//! Each file runs with its folder's configuration (e.g. WebAssembly 1.0 plus
//! one proposal); a gate there is checked again with every feature interp
//! executes ([`Config::default`]). Only a gate that holds then is evidence
//! that a directive cannot be run.

use interp::{Config, Engine, Error, ErrorKind, Module};

use crate::outcome::{NotRun, Outcome};

/// Why a module a directive needs is missing.
#[derive(Debug, Clone)]
pub(crate) enum Unavailable {
    /// It needs a feature interp does not execute.
    NotRun(NotRun),
    /// It failed to compile, link or instantiate for another reason.
    Failed(String),
}

impl Unavailable {
    /// The outcome of the directive that tried to create the module.
    pub(crate) fn own_outcome(&self) -> Outcome {
        match self {
            Unavailable::NotRun(not_run) => Outcome::NotRun(not_run.clone()),
            Unavailable::Failed(reason) => Outcome::Failed(reason.clone()),
        }
    }

    /// The outcome of a later directive that needs the module.
    pub(crate) fn dependent_outcome(&self) -> Outcome {
        match self {
            Unavailable::NotRun(not_run) => Outcome::NotRun(NotRun {
                features: not_run.features.clone(),
                reason: format!("module failed earlier (not run: {})", not_run.feature_list()),
            }),
            Unavailable::Failed(reason) => {
                Outcome::Failed(format!("module failed earlier: {reason}"))
            }
        }
    }

    /// Why a module importing from the name this module was registered
    /// under, `registered`, is missing too.
    pub(crate) fn imported_as(&self, registered: &str) -> Unavailable {
        match self {
            Unavailable::NotRun(not_run) => Unavailable::NotRun(NotRun {
                features: not_run.features.clone(),
                reason: format!(
                    "imports from \"{registered}\", registered from a module that was not run ({})",
                    not_run.feature_list()
                ),
            }),
            Unavailable::Failed(reason) => Unavailable::Failed(format!(
                "imports from \"{registered}\", registered from a module that failed: {reason}"
            )),
        }
    }
}

/// The proposals of a feature-gate rejection, if `error` is one.
fn gate(error: &Error) -> Option<&[&'static str]> {
    match error.kind() {
        ErrorKind::UnsupportedProposal { proposals, .. } => Some(proposals),
        _ => None,
    }
}

/// Whether `error` says the module is malformed or invalid (not a gate, not
/// an implementation limit).
fn is_rejection(error: &Error) -> bool {
    matches!(error.kind(), ErrorKind::Wasm { .. })
}

/// Compiles modules with a file's configuration, and with every feature
/// interp executes to judge feature gates.
pub(crate) struct Compiler {
    folder: Engine,
    full: Engine,
    assumed: Option<&'static [&'static str]>,
}

impl Compiler {
    /// A compiler for files run with `config` whose tests assume the
    /// proposals `assumed` (see [`WastFile::assumed_proposals`](crate::WastFile::assumed_proposals)).
    pub(crate) fn new(config: &Config, assumed: Option<&'static [&'static str]>) -> Compiler {
        Compiler { folder: Engine::new(config), full: Engine::new(&Config::default()), assumed }
    }

    /// Whether the file's tests assume an engine without any of `proposals`.
    fn assumed_without(&self, proposals: &[&str]) -> bool {
        self.assumed.is_some_and(|assumed| proposals.iter().all(|p| !assumed.contains(p)))
    }

    /// The engine the file runs on.
    pub(crate) fn engine(&self) -> &Engine {
        &self.folder
    }

    /// Compiles a module the file goes on to use.
    pub(crate) fn compile(&self, bytes: &[u8]) -> Result<Module, Unavailable> {
        let error = match Module::from_binary(&self.folder, bytes) {
            Ok(module) => return Ok(module),
            Err(error) => error,
        };
        if gate(&error).is_none() {
            return Err(Unavailable::Failed(format!("compilation failed: {error}")));
        }
        match Module::from_binary(&self.full, bytes) {
            Err(full) => match gate(&full) {
                Some(proposals) => Err(Unavailable::NotRun(NotRun::new(
                    proposals.iter().copied(),
                    full.to_string(),
                ))),
                None => Err(Unavailable::Failed(format!(
                    "compilation failed: {error}; with every feature interp executes: {full}"
                ))),
            },
            Ok(_) => Err(Unavailable::Failed(format!(
                "compilation failed: {error}; the module is valid with every feature interp \
                 executes, so this folder's configuration leaves out one the file needs"
            ))),
        }
    }

    /// `assert_invalid` / `assert_malformed` of a module that encodes to
    /// `bytes`: passes when interp rejects it as malformed or invalid under the
    /// file's configuration, or rejects it there by a feature gate for a
    /// feature interp executes or the file's tests assume absent (the test was
    /// written for an engine without it). A module interp can only reject
    /// because it needs a feature interp does not execute is not run. The
    /// expected message is not compared: wasmparser words its errors
    /// differently from the reference interpreter.
    pub(crate) fn expect_rejected(&self, bytes: &[u8], message: &str) -> Outcome {
        let error = match Module::from_binary(&self.folder, bytes) {
            Ok(_) => {
                return Outcome::Failed(format!("expected \"{message}\", but the module compiled"));
            }
            Err(error) => error,
        };
        if is_rejection(&error) {
            return Outcome::Passed;
        }
        match gate(&error) {
            None => {
                return Outcome::Failed(format!(
                    "expected \"{message}\", got a different error: {error}"
                ));
            }
            Some(proposals) if self.assumed_without(proposals) => return Outcome::Passed,
            Some(_) => {}
        }
        match Module::from_binary(&self.full, bytes) {
            // The folder's configuration leaves out a feature interp executes,
            // and the test expects the module rejected without it.
            Ok(_) => Outcome::Passed,
            Err(full) if is_rejection(&full) => Outcome::Passed,
            Err(full) => match gate(&full) {
                Some(proposals) if self.assumed_without(proposals) => Outcome::Passed,
                Some(proposals) => {
                    Outcome::NotRun(NotRun::new(proposals.iter().copied(), full.to_string()))
                }
                None => Outcome::Failed(format!(
                    "expected \"{message}\", got a different error: {full}"
                )),
            },
        }
    }
}

/// What a module binary imports, read without validating so that it works
/// for modules interp does not run.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Imports {
    /// The module names it imports anything from.
    pub(crate) all: Vec<String>,
    /// The module names whose state it could change when instantiated: it
    /// imports a memory, table or global from them, or anything at all if it
    /// has a start function (which may call what it imports).
    pub(crate) writes: Vec<String>,
}

/// The imports of a module binary; those read before a part that cannot be
/// read.
pub(crate) fn imports(bytes: &[u8]) -> Imports {
    let mut parser = wasmparser::Parser::new(0);
    parser.set_features(wasmparser::WasmFeatures::all());
    let mut found = Imports::default();
    let mut start = false;
    for payload in parser.parse_all(bytes) {
        match payload {
            Ok(wasmparser::Payload::ImportSection(reader)) => {
                for import in reader.into_imports() {
                    let Ok(import) = import else { break };
                    let name = import.module.to_string();
                    if !matches!(import.ty, wasmparser::TypeRef::Func(_)) {
                        found.writes.push(name.clone());
                    }
                    found.all.push(name);
                }
            }
            Ok(wasmparser::Payload::StartSection { .. }) => start = true,
            Ok(wasmparser::Payload::CodeSectionStart { .. }) | Err(_) => break,
            Ok(_) => {}
        }
    }
    if start {
        found.writes.clone_from(&found.all);
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wat(text: &str) -> Vec<u8> {
        wast::parser::parse::<wast::Wat<'_>>(&wast::parser::ParseBuffer::new(text).unwrap())
            .unwrap()
            .encode()
            .unwrap()
    }

    fn mvp() -> Config {
        let mut config = Config::default();
        config
            .wasm_saturating_float_to_int(false)
            .wasm_sign_extension(false)
            .wasm_multi_value(false)
            .wasm_bulk_memory(false)
            .wasm_reference_types(false);
        config
    }

    #[test]
    fn an_invalid_module_is_rejected() {
        let bytes = wat("(module (func (result i32) (i64.const 0)))");
        assert_eq!(
            Compiler::new(&Config::default(), None).expect_rejected(&bytes, "type mismatch"),
            Outcome::Passed
        );
    }

    #[test]
    fn a_valid_module_fails_the_assertion() {
        let bytes = wat("(module (func (result i32) (i32.const 0)))");
        let outcome =
            Compiler::new(&Config::default(), None).expect_rejected(&bytes, "type mismatch");
        assert!(matches!(outcome, Outcome::Failed(m) if m.contains("the module compiled")));
    }

    #[test]
    fn an_invalid_module_using_an_unexecuted_proposal_is_not_run() {
        // Invalid (the result is not an i32), but what interp rejects first
        // is the GC type it does not execute.
        let bytes = wat("(module (type $t (struct)) (func (result i32) (struct.new $t)))");
        match Compiler::new(&Config::default(), None).expect_rejected(&bytes, "type mismatch") {
            Outcome::NotRun(not_run) => {
                assert_eq!(not_run.feature_list(), "gc");
                assert!(not_run.reason.contains("unsupported proposal: gc"), "{}", not_run.reason);
            }
            other => panic!("expected not run, got {other:?}"),
        }
        // Same for a non-null reference (typed function references).
        let bytes = wat(
            "(module (func (result i32) (ref.as_non_null (ref.null func)) (drop) (i64.const 0)))",
        );
        let outcome =
            Compiler::new(&Config::default(), None).expect_rejected(&bytes, "type mismatch");
        assert!(
            matches!(&outcome, Outcome::NotRun(n) if n.feature_list() == "function-references"),
            "{outcome:?}"
        );
    }

    #[test]
    fn a_gate_for_a_feature_interp_executes_counts_as_a_rejection() {
        // Multi-value is off in a WebAssembly 1.0 folder; the test expects the
        // module rejected there.
        let bytes = wat("(module (func (result i32 i32) (i32.const 0) (i32.const 1)))");
        assert_eq!(
            Compiler::new(&mvp(), None).expect_rejected(&bytes, "invalid result arity"),
            Outcome::Passed
        );
        // But a module the file goes on to use must compile.
        let unavailable = Compiler::new(&mvp(), None).compile(&bytes).unwrap_err();
        assert!(
            matches!(&unavailable, Unavailable::Failed(m) if m.contains("configuration leaves out")),
            "{unavailable:?}"
        );
    }

    #[test]
    fn a_gate_for_a_proposal_the_tests_assume_absent_counts_as_a_rejection() {
        // A shared memory: invalid in WebAssembly 1.0 and 2.0, valid with
        // threads, which interp does not execute.
        let bytes = wat("(module (memory 1 1 shared))");
        let v1 = Compiler::new(&Config::default(), Some(&["mutable-global"]));
        assert_eq!(v1.expect_rejected(&bytes, "shared memory"), Outcome::Passed);
        let unknown = Compiler::new(&Config::default(), None);
        let outcome = unknown.expect_rejected(&bytes, "shared memory");
        assert!(
            matches!(&outcome, Outcome::NotRun(n) if n.feature_list() == "threads"),
            "{outcome:?}"
        );
        // A module the file needs is not run either way.
        assert!(matches!(v1.compile(&bytes), Err(Unavailable::NotRun(_))));
    }

    #[test]
    fn imports_that_may_change_other_instances_are_found() {
        let bytes = wat(r#"(module (import "a" "f" (func)) (import "b" "m" (memory 1))
                             (import "c" "t" (table 1 funcref)) (import "d" "g" (global i32)))"#);
        let found = imports(&bytes);
        assert_eq!(found.all, ["a", "b", "c", "d"]);
        assert_eq!(found.writes, ["b", "c", "d"]);
        let bytes = wat(r#"(module (import "a" "f" (func $f)) (start $f))"#);
        assert_eq!(imports(&bytes).writes, ["a"]);
    }

    #[test]
    fn a_module_needing_an_unexecuted_proposal_is_not_run() {
        let bytes = wat("(module (type $t (struct)) (func (drop (struct.new $t))))");
        let unavailable = Compiler::new(&mvp(), None).compile(&bytes).unwrap_err();
        let Unavailable::NotRun(not_run) = &unavailable else { panic!("{unavailable:?}") };
        assert_eq!(not_run.feature_list(), "gc");
        let Outcome::NotRun(dependent) = unavailable.dependent_outcome() else { panic!() };
        assert_eq!(dependent.reason, "module failed earlier (not run: gc)");
    }
}

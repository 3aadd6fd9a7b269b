//! Runs the directives of one `.wast` file against interp.
//!
//! Every directive is executed; none is skipped. A directive interp cannot
//! carry out (an unsupported proposal, a component, threads) is a failure like
//! any other, so the expected-failures manifest counts it. Each directive runs
//! under `catch_unwind`: an engine panic is recorded as a failure and marks the
//! whole file as panicked, which no manifest entry can excuse.

use std::collections::HashMap;
use std::fmt;
use std::panic::{AssertUnwindSafe, catch_unwind};

use interp::{Config, Engine, Error, Instance, Linker, Module, Store, TrapCode, Val};
use wast::lexer::Lexer;
use wast::parser::{self, ParseBuffer};
use wast::{QuoteWat, Wast, WastDirective, WastExecute, WastInvoke, WastRet, Wat};

use crate::{spectest, values};

/// One failing directive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// 1-based line of the directive.
    pub line: usize,
    /// The directive's keyword, e.g. `assert_return`.
    pub directive: &'static str,
    /// What was expected and what happened.
    pub message: String,
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}: {}", self.line, self.directive, self.message)
    }
}

/// The outcome of running one file.
#[derive(Debug, Clone, Default)]
pub struct FileResult {
    /// Directives run (1 if the file did not parse).
    pub total: usize,
    /// The directives that failed, in file order.
    pub failures: Vec<Failure>,
    /// Whether the engine panicked on any directive.
    pub panicked: bool,
}

impl FileResult {
    /// Directives that passed.
    pub fn passed(&self) -> usize {
        self.total - self.failures.len()
    }

    /// A report of the failures, each prefixed by `name:line`.
    pub fn describe(&self, name: &str, limit: usize) -> String {
        let mut out = String::new();
        for failure in self.failures.iter().take(limit) {
            out.push_str(&format!(
                "{name}:{}: {}: {}\n",
                failure.line, failure.directive, failure.message
            ));
        }
        if self.failures.len() > limit {
            out.push_str(&format!("... and {} more\n", self.failures.len() - limit));
        }
        out
    }
}

/// Runs every directive of `text` on an engine with `config`.
pub fn run_file(text: &str, config: &Config) -> FileResult {
    let mut result = FileResult::default();
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
    let mut ctx = match Context::new(config) {
        Ok(ctx) => ctx,
        Err(e) => {
            result.total = 1;
            result.failures.push(Failure {
                line: 1,
                directive: "spectest",
                message: format!("cannot set up the spectest module: {e}"),
            });
            return result;
        }
    };
    for directive in wast.directives {
        let (line, _) = directive.span().linecol_in(text);
        let name = directive_name(&directive);
        result.total += 1;
        let outcome = catch_unwind(AssertUnwindSafe(|| ctx.run(directive)));
        let message = match outcome {
            Ok(Ok(())) => continue,
            Ok(Err(message)) => message,
            Err(panic) => {
                result.panicked = true;
                let text = panic
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                    .unwrap_or_default();
                format!("PANIC in the engine: {text}")
            }
        };
        result.failures.push(Failure { line: line + 1, directive: name, message });
    }
    result
}

fn unparsable(text: &str, e: &wast::Error) -> FileResult {
    let (line, _) = e.span().linecol_in(text);
    FileResult {
        total: 1,
        failures: vec![Failure {
            line: line + 1,
            directive: "parse",
            message: format!("the file cannot be parsed: {}", e.message()),
        }],
        panicked: false,
    }
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

/// What executing an action produced.
enum Outcome {
    Values(Vec<Val>),
    Trap(Error),
}

/// Whether a trap message matches the spec's expected message. Spec messages
/// are sometimes longer ("uninitialized element 2") or shorter ("out of
/// bounds") than the canonical ones.
fn trap_matches(actual: TrapCode, expected: &str) -> bool {
    let actual = actual.message();
    actual.starts_with(expected) || expected.starts_with(actual)
}

/// The state of one file's run: a store with the spectest module, the modules
/// registered so far, and the named and current instances.
struct Context {
    engine: Engine,
    store: Store<()>,
    linker: Linker<()>,
    current: Option<Instance>,
    instances: HashMap<String, Instance>,
    definitions: HashMap<String, Module>,
    last_definition: Option<Module>,
}

impl Context {
    fn new(config: &Config) -> Result<Context, Error> {
        let engine = Engine::new(config);
        let mut store = Store::new(&engine, ());
        let mut linker = Linker::new(&engine);
        linker.allow_shadowing(true);
        spectest::define(&mut linker, &mut store)?;
        Ok(Context {
            engine,
            store,
            linker,
            current: None,
            instances: HashMap::new(),
            definitions: HashMap::new(),
            last_definition: None,
        })
    }

    fn run(&mut self, directive: WastDirective<'_>) -> Result<(), String> {
        match directive {
            WastDirective::Module(mut module) => {
                let name = module.name().map(|id| id.name().to_string());
                let compiled = self.compile_quote(&mut module)?;
                let instance = self
                    .linker
                    .instantiate(&mut self.store, &compiled)
                    .map_err(|e| format!("instantiation failed: {e}"))?;
                self.set_current(name, instance);
                Ok(())
            }
            WastDirective::ModuleDefinition(mut module) => {
                let name = module.name().map(|id| id.name().to_string());
                let compiled = self.compile_quote(&mut module)?;
                if let Some(name) = name {
                    self.definitions.insert(name, compiled.clone());
                }
                self.last_definition = Some(compiled);
                Ok(())
            }
            WastDirective::ModuleInstance { instance, module, .. } => {
                let definition = match module {
                    Some(id) => self.definitions.get(id.name()).cloned(),
                    None => self.last_definition.clone(),
                }
                .ok_or("no such module definition")?;
                let inst = self
                    .linker
                    .instantiate(&mut self.store, &definition)
                    .map_err(|e| format!("instantiation failed: {e}"))?;
                self.set_current(instance.map(|id| id.name().to_string()), inst);
                Ok(())
            }
            WastDirective::AssertMalformed { module, message, .. }
            | WastDirective::AssertInvalid { module, message, .. } => {
                self.expect_rejected(module, message)
            }
            WastDirective::AssertInvalidCustom { mut module, .. }
            | WastDirective::AssertMalformedCustom { mut module, .. } => {
                // The module itself is valid; only a custom section is wrong,
                // and custom sections do not affect validity.
                self.compile_quote(&mut module).map(drop)
            }
            WastDirective::Register { name, module, .. } => {
                let instance = self.instance(module.map(|id| id.name()))?;
                self.linker
                    .instance(&self.store, name, instance)
                    .map_err(|e| format!("register failed: {e}"))?;
                Ok(())
            }
            WastDirective::Invoke(invoke) => match self.invoke(invoke)? {
                Outcome::Values(_) => Ok(()),
                Outcome::Trap(e) => Err(format!("unexpected trap: {e}")),
            },
            WastDirective::AssertReturn { exec, results, .. } => match self.execute(exec)? {
                Outcome::Values(values) => self.check_results(&results, &values),
                Outcome::Trap(e) => Err(format!("expected values, got trap: {e}")),
            },
            WastDirective::AssertTrap { exec, message, .. } => match self.execute(exec)? {
                Outcome::Trap(e) if e.trap_code().is_some_and(|c| trap_matches(c, message)) => {
                    Ok(())
                }
                Outcome::Trap(e) => Err(format!("expected trap \"{message}\", got: {e}")),
                Outcome::Values(values) => Err(format!(
                    "expected trap \"{message}\", got values [{}]",
                    values.iter().map(values::show).collect::<Vec<_>>().join(", ")
                )),
            },
            WastDirective::AssertExhaustion { call, message, .. } => match self.invoke(call)? {
                Outcome::Trap(e) if e.trap_code() == Some(TrapCode::StackOverflow) => Ok(()),
                Outcome::Trap(e) => Err(format!("expected \"{message}\", got: {e}")),
                Outcome::Values(_) => Err(format!("expected \"{message}\", but the call returned")),
            },
            WastDirective::AssertUnlinkable { module, message, .. } => {
                let compiled = self.compile_wat(module)?;
                match self.linker.instantiate(&mut self.store, &compiled) {
                    Err(e) if e.is_link() => {
                        let actual = e.to_string();
                        if actual.starts_with(message) {
                            Ok(())
                        } else {
                            Err(format!("expected link error \"{message}\", got: {actual}"))
                        }
                    }
                    Err(e) => Err(format!("expected link error \"{message}\", got: {e}")),
                    Ok(_) => Err(format!("expected link error \"{message}\", but it linked")),
                }
            }
            WastDirective::AssertException { .. } => {
                Err("exceptions are not supported (exception-handling proposal)".into())
            }
            WastDirective::AssertSuspension { .. } => {
                Err("suspensions are not supported (stack-switching proposal)".into())
            }
            WastDirective::Thread(_) | WastDirective::Wait { .. } => {
                Err("threads are not supported (threads proposal)".into())
            }
        }
    }

    fn set_current(&mut self, name: Option<String>, instance: Instance) {
        if let Some(name) = name {
            self.instances.insert(name, instance);
        }
        self.current = Some(instance);
    }

    fn instance(&self, name: Option<&str>) -> Result<Instance, String> {
        match name {
            Some(name) => {
                self.instances.get(name).copied().ok_or_else(|| format!("no module named ${name}"))
            }
            None => self.current.ok_or_else(|| "no module instantiated yet".into()),
        }
    }

    fn compile_bytes(&self, bytes: &[u8]) -> Result<Module, String> {
        Module::from_binary(&self.engine, bytes).map_err(|e| format!("compilation failed: {e}"))
    }

    fn compile_quote(&self, module: &mut QuoteWat<'_>) -> Result<Module, String> {
        if let QuoteWat::QuoteComponent(..) = module {
            return Err("components are not supported".into());
        }
        let bytes = module.encode().map_err(|e| format!("cannot encode module: {e}"))?;
        self.compile_bytes(&bytes)
    }

    fn compile_wat(&self, mut module: Wat<'_>) -> Result<Module, String> {
        if let Wat::Component(_) = module {
            return Err("components are not supported".into());
        }
        let bytes = module.encode().map_err(|e| format!("cannot encode module: {e}"))?;
        self.compile_bytes(&bytes)
    }

    /// `assert_malformed` / `assert_invalid`: the text must fail to encode or
    /// the binary must fail to decode or validate.
    fn expect_rejected(&self, mut module: QuoteWat<'_>, message: &str) -> Result<(), String> {
        if let QuoteWat::QuoteComponent(..) = module {
            return Err("components are not supported".into());
        }
        let Ok(bytes) = module.encode() else {
            return Ok(());
        };
        match Module::from_binary(&self.engine, &bytes) {
            Err(e) if e.is_invalid_module() => Ok(()),
            Err(e) => Err(format!("expected \"{message}\", got a different error: {e}")),
            Ok(_) => Err(format!("expected \"{message}\", but the module compiled")),
        }
    }

    fn invoke(&mut self, invoke: WastInvoke<'_>) -> Result<Outcome, String> {
        let instance = self.instance(invoke.module.map(|id| id.name()))?;
        let func = instance
            .get_func(&self.store, invoke.name)
            .ok_or_else(|| format!("no exported function \"{}\"", invoke.name))?;
        let params = invoke
            .args
            .iter()
            .map(|a| values::arg(&mut self.store, a))
            .collect::<Result<Vec<_>, _>>()?;
        let ty = func.ty(&self.store);
        let mut results: Vec<Val> = ty.results().iter().map(|t| t.default_value()).collect();
        match func.call(&mut self.store, &params, &mut results) {
            Ok(()) => Ok(Outcome::Values(results)),
            Err(e) if e.as_trap().is_some() => Ok(Outcome::Trap(e)),
            Err(e) => Err(format!("call failed: {e}")),
        }
    }

    fn execute(&mut self, exec: WastExecute<'_>) -> Result<Outcome, String> {
        match exec {
            WastExecute::Invoke(invoke) => self.invoke(invoke),
            WastExecute::Wat(module) => {
                let compiled = self.compile_wat(module)?;
                match self.linker.instantiate(&mut self.store, &compiled) {
                    Ok(_) => Ok(Outcome::Values(Vec::new())),
                    Err(e) if e.as_trap().is_some() => Ok(Outcome::Trap(e)),
                    Err(e) => Err(format!("instantiation failed: {e}")),
                }
            }
            WastExecute::Get { module, global, .. } => {
                let instance = self.instance(module.map(|id| id.name()))?;
                let g = instance
                    .get_global(&self.store, global)
                    .ok_or_else(|| format!("no exported global \"{global}\""))?;
                Ok(Outcome::Values(vec![g.get(&self.store)]))
            }
        }
    }

    fn check_results(&self, expected: &[WastRet<'_>], actual: &[Val]) -> Result<(), String> {
        let show = || actual.iter().map(values::show).collect::<Vec<_>>().join(", ");
        if expected.len() != actual.len() {
            return Err(format!("expected {} results, got [{}]", expected.len(), show()));
        }
        for (i, (e, a)) in expected.iter().zip(actual).enumerate() {
            let WastRet::Core(e) = e else {
                return Err("component-model results are not supported".into());
            };
            if !values::matches(&self.store, e, a)? {
                return Err(format!("result {i}: expected {e:?}, got [{}]", show()));
            }
        }
        Ok(())
    }
}

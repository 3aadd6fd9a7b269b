//! The state of one file's run and the execution of each directive.
//!
//! Every module a directive creates fills its slot whether it succeeds or
//! not: a module that fails to compile, link or instantiate replaces the
//! current module and its `$name`, so later directives that need it report
//! "module failed earlier" instead of running against an older instance. A
//! module registered under a name that failed *poisons* the name: a module
//! importing from it is not instantiated (it would link against whatever was
//! registered there before) and takes the poison's outcome.
//!
//! A module that is not run but imports a memory, table or global from a
//! registered instance (or anything, if it has a start function) could have
//! changed that instance's state with its segments or start function: the
//! instance is *tainted*, and later directives that use it are not run
//! either, nor are those using instances that import from it. Only the
//! spectest module's state is exempt.

use std::collections::HashMap;

use interp::{Config, Error, Instance, Linker, Module, Store, TrapCode, Val};
use wast::{QuoteWat, WastDirective, WastExecute, WastInvoke, WastRet, Wat};

use crate::compile::{Compiler, Unavailable, imports};
use crate::outcome::{NotRun, Outcome};
use crate::{spectest, values};

/// A module or instance, or why it is missing.
type Slot<T> = Result<T, Unavailable>;

/// A module definition and its binary (empty if it could not be encoded).
type Definition = (Slot<Module>, Vec<u8>);

/// What executing an action produced.
enum Action {
    Values(Vec<Val>),
    Trap(Error),
    /// A wasm exception escaped.
    Exception(Error),
}

/// Whether a trap message matches the spec's expected message. Spec messages
/// are sometimes longer ("uninitialized element 2") or shorter ("out of
/// bounds") than the canonical ones.
fn trap_matches(actual: TrapCode, expected: &str) -> bool {
    let actual = actual.message();
    actual.starts_with(expected) || expected.starts_with(actual)
}

fn show(values: &[Val]) -> String {
    values.iter().map(values::show).collect::<Vec<_>>().join(", ")
}

/// A directive interp cannot carry out because it executes no such feature.
fn not_run(feature: &str, reason: &str) -> Outcome {
    Outcome::NotRun(NotRun::new([feature], reason))
}

/// The state of one file's run: a store with the spectest module, the
/// modules registered so far, and the named and current instances.
pub(crate) struct Context {
    compiler: Compiler,
    store: Store<()>,
    /// The linker with only the spectest module, to rebuild from.
    base: Linker<()>,
    linker: Linker<()>,
    /// The instances registered by name, in order.
    registered: Vec<(String, Instance)>,
    /// Registered names whose module failed or was not run.
    poisoned: HashMap<String, Unavailable>,
    /// Instances whose state a module that was not run would have changed.
    tainted: HashMap<Instance, NotRun>,
    current: Option<Slot<Instance>>,
    instances: HashMap<String, Slot<Instance>>,
    definitions: HashMap<String, Definition>,
    last_definition: Option<Definition>,
}

impl Context {
    pub(crate) fn new(
        config: &Config,
        assumed: Option<&'static [&'static str]>,
    ) -> Result<Context, Error> {
        let compiler = Compiler::new(config, assumed);
        let mut store = Store::new(compiler.engine(), ());
        let mut base = Linker::new(compiler.engine());
        base.allow_shadowing(true);
        spectest::define(&mut base, &mut store)?;
        Ok(Context {
            compiler,
            store,
            linker: base.clone(),
            base,
            registered: Vec::new(),
            poisoned: HashMap::new(),
            tainted: HashMap::new(),
            current: None,
            instances: HashMap::new(),
            definitions: HashMap::new(),
            last_definition: None,
        })
    }

    pub(crate) fn run(&mut self, directive: WastDirective<'_>) -> Outcome {
        match directive {
            WastDirective::Module(mut module) => {
                let name = module.name().map(|id| id.name().to_string());
                let slot = self.quote_bytes(&mut module).and_then(|bytes| {
                    let slot = self.instantiate(&bytes);
                    self.taint(&slot, &bytes);
                    slot
                });
                let outcome = own_outcome(&slot);
                self.set_current(name, slot);
                outcome
            }
            WastDirective::ModuleDefinition(mut module) => {
                let name = module.name().map(|id| id.name().to_string());
                let (slot, bytes) = match self.quote_bytes(&mut module) {
                    Ok(bytes) => (self.compiler.compile(&bytes), bytes),
                    Err(unavailable) => (Err(unavailable), Vec::new()),
                };
                let outcome = own_outcome(&slot);
                if let Some(name) = name {
                    self.definitions.insert(name, (slot.clone(), bytes.clone()));
                }
                self.last_definition = Some((slot, bytes));
                outcome
            }
            WastDirective::ModuleInstance { instance, module, .. } => {
                let definition = match module {
                    Some(id) => self.definitions.get(id.name()).cloned(),
                    None => self.last_definition.clone(),
                };
                let (slot, outcome) = match definition {
                    None => {
                        let failed = Unavailable::Failed("no such module definition".into());
                        (Err(failed.clone()), failed.own_outcome())
                    }
                    Some((Err(unavailable), bytes)) => {
                        let outcome = unavailable.dependent_outcome();
                        let slot = Err(unavailable);
                        self.taint(&slot, &bytes);
                        (slot, outcome)
                    }
                    Some((Ok(module), bytes)) => {
                        let slot = self.link(&module);
                        self.taint(&slot, &bytes);
                        let outcome = own_outcome(&slot);
                        (slot, outcome)
                    }
                };
                self.set_current(instance.map(|id| id.name().to_string()), slot);
                outcome
            }
            WastDirective::AssertMalformed { mut module, message, .. }
            | WastDirective::AssertInvalid { mut module, message, .. } => {
                if is_component(&module) {
                    return not_run("component-model", "a component");
                }
                match module.encode() {
                    Ok(bytes) => self.compiler.expect_rejected(&bytes, message),
                    Err(_) => Outcome::TextOnly,
                }
            }
            WastDirective::AssertInvalidCustom { mut module, .. }
            | WastDirective::AssertMalformedCustom { mut module, .. } => {
                // The module itself is valid; only a custom section is wrong,
                // and custom sections do not affect validity.
                let slot = self.quote_bytes(&mut module).and_then(|b| self.compiler.compile(&b));
                own_outcome(&slot)
            }
            WastDirective::Register { name, module, .. } => {
                match self.slot(module.map(|id| id.name())) {
                    Ok(Ok(instance)) => self.register(name, *instance),
                    Ok(Err(unavailable)) => {
                        let outcome = unavailable.dependent_outcome();
                        self.poisoned.insert(name.to_string(), unavailable.clone());
                        outcome
                    }
                    Err(outcome) => outcome,
                }
            }
            WastDirective::Invoke(invoke) => match self.invoke(invoke) {
                Ok(Action::Values(_)) => Outcome::Passed,
                Ok(Action::Trap(e)) => Outcome::Failed(format!("unexpected trap: {e}")),
                Ok(Action::Exception(e)) => Outcome::Failed(format!("unexpected exception: {e}")),
                Err(outcome) => outcome,
            },
            WastDirective::AssertReturn { exec, results, .. } => match self.execute(exec) {
                Ok(Action::Values(values)) => self.check_results(&results, &values),
                Ok(Action::Trap(e) | Action::Exception(e)) => {
                    Outcome::Failed(format!("expected values, got: {e}"))
                }
                Err(outcome) => outcome,
            },
            WastDirective::AssertTrap { exec, message, .. } => match self.execute(exec) {
                Ok(Action::Trap(e)) if e.trap_code().is_some_and(|c| trap_matches(c, message)) => {
                    Outcome::Passed
                }
                Ok(Action::Trap(e) | Action::Exception(e)) => {
                    Outcome::Failed(format!("expected trap \"{message}\", got: {e}"))
                }
                Ok(Action::Values(values)) => Outcome::Failed(format!(
                    "expected trap \"{message}\", got values [{}]",
                    show(&values)
                )),
                Err(outcome) => outcome,
            },
            WastDirective::AssertExhaustion { call, message, .. } => match self.invoke(call) {
                Ok(Action::Trap(e)) if e.trap_code() == Some(TrapCode::StackOverflow) => {
                    Outcome::Passed
                }
                Ok(Action::Trap(e) | Action::Exception(e)) => {
                    Outcome::Failed(format!("expected \"{message}\", got: {e}"))
                }
                Ok(Action::Values(_)) => {
                    Outcome::Failed(format!("expected \"{message}\", but the call returned"))
                }
                Err(outcome) => outcome,
            },
            WastDirective::AssertUnlinkable { module, message, .. } => {
                self.expect_unlinkable(module, message)
            }
            WastDirective::AssertException { exec, .. } => match self.execute(exec) {
                Ok(Action::Exception(_)) => Outcome::Passed,
                Ok(Action::Values(values)) => Outcome::Failed(format!(
                    "expected an exception, got values [{}]",
                    show(&values)
                )),
                Ok(Action::Trap(e)) => Outcome::Failed(format!("expected an exception, got: {e}")),
                Err(outcome) => outcome,
            },
            // interp has no stack switching, so the modules that could
            // suspend are not run, and so are these directives; one whose
            // module did run cannot pass.
            WastDirective::AssertSuspension { exec, .. } => match self.execute(exec) {
                Ok(Action::Values(values)) => Outcome::Failed(format!(
                    "expected a suspension, got values [{}]",
                    show(&values)
                )),
                Ok(Action::Trap(e) | Action::Exception(e)) => {
                    Outcome::Failed(format!("expected a suspension, got: {e}"))
                }
                Err(outcome) => outcome,
            },
            WastDirective::Thread(_) | WastDirective::Wait { .. } => {
                not_run("threads", "interp executes no threads (threads proposal)")
            }
        }
    }

    fn set_current(&mut self, name: Option<String>, slot: Slot<Instance>) {
        if let Some(name) = name {
            self.instances.insert(name, slot.clone());
        }
        self.current = Some(slot);
    }

    /// The current instance's slot, or that of the one named `name`.
    fn slot(&self, name: Option<&str>) -> Result<&Slot<Instance>, Outcome> {
        match name {
            Some(name) => self
                .instances
                .get(name)
                .ok_or_else(|| Outcome::Failed(format!("no module named ${name}"))),
            None => self
                .current
                .as_ref()
                .ok_or_else(|| Outcome::Failed("no module instantiated yet".into())),
        }
    }

    /// The instance a directive acts on; the directive's outcome if it is
    /// missing or tainted.
    fn instance(&self, name: Option<&str>) -> Result<Instance, Outcome> {
        match self.slot(name)? {
            Ok(instance) => match self.tainted.get(instance) {
                Some(not_run) => Err(Outcome::NotRun(not_run.clone())),
                None => Ok(*instance),
            },
            Err(unavailable) => Err(unavailable.dependent_outcome()),
        }
    }

    /// After a module directive: taints the registered instances whose state
    /// the module could have changed if it was not run, and the new instance
    /// if it imports anything from a tainted one.
    fn taint(&mut self, slot: &Slot<Instance>, bytes: &[u8]) {
        let found = imports(bytes);
        let registered = |names: &[String]| -> Vec<(String, Instance)> {
            names
                .iter()
                .filter_map(|name| {
                    let (_, instance) = self.registered.iter().find(|(n, _)| n == name)?;
                    Some((name.clone(), *instance))
                })
                .collect()
        };
        match slot {
            Err(Unavailable::NotRun(not_run)) => {
                for (name, instance) in registered(&found.writes) {
                    self.tainted.entry(instance).or_insert_with(|| NotRun {
                        features: not_run.features.clone(),
                        reason: format!(
                            "its state (registered as \"{name}\") is shared with a module that \
                             was not run ({})",
                            not_run.feature_list()
                        ),
                    });
                }
            }
            Ok(instance) => {
                let sources = registered(&found.all);
                if let Some(not_run) = sources.iter().find_map(|(_, i)| self.tainted.get(i)) {
                    let not_run = not_run.clone();
                    self.tainted.insert(*instance, not_run);
                }
            }
            Err(Unavailable::Failed(_)) => {}
        }
    }

    fn register(&mut self, name: &str, instance: Instance) -> Outcome {
        self.poisoned.remove(name);
        let replaces = self.registered.iter().any(|(n, _)| n == name);
        self.registered.retain(|(n, _)| n != name);
        self.registered.push((name.to_string(), instance));
        let result = if replaces {
            // Drop every export of the instance registered before.
            self.linker = self.base.clone();
            self.registered
                .iter()
                .try_for_each(|(n, i)| self.linker.instance(&self.store, n, *i).map(drop))
        } else {
            self.linker.instance(&self.store, name, instance).map(drop)
        };
        match result {
            Ok(()) => Outcome::Passed,
            Err(e) => Outcome::Failed(format!("register failed: {e}")),
        }
    }

    /// The binary of a directive's module; components are not run.
    fn quote_bytes(&self, module: &mut QuoteWat<'_>) -> Slot<Vec<u8>> {
        if is_component(module) {
            return Err(Unavailable::NotRun(NotRun::new(["component-model"], "a component")));
        }
        module.encode().map_err(|e| Unavailable::Failed(format!("cannot encode module: {e}")))
    }

    fn wat_bytes(&self, module: &mut Wat<'_>) -> Slot<Vec<u8>> {
        if let Wat::Component(_) = module {
            return Err(Unavailable::NotRun(NotRun::new(["component-model"], "a component")));
        }
        module.encode().map_err(|e| Unavailable::Failed(format!("cannot encode module: {e}")))
    }

    /// Fails with the poison of the first registered name `module` imports
    /// from that failed or was not run, or the feature a spectest export it
    /// imports needs that interp does not execute.
    fn check_imports(&self, module: &Module) -> Slot<()> {
        for import in module.imports() {
            let missing = spectest::MISSING.iter().find(|(name, _)| *name == import.name());
            if let (true, Some((name, feature))) = (import.module() == "spectest", missing) {
                return Err(Unavailable::NotRun(NotRun::new(
                    [*feature],
                    format!("imports spectest's {name}, which needs {feature}"),
                )));
            }
            if let Some(poison) = self.poisoned.get(import.module()) {
                return Err(poison.imported_as(import.module()));
            }
        }
        Ok(())
    }

    fn instantiate(&mut self, bytes: &[u8]) -> Slot<Instance> {
        let module = self.compiler.compile(bytes)?;
        self.link(&module)
    }

    fn link(&mut self, module: &Module) -> Slot<Instance> {
        self.check_imports(module)?;
        self.linker
            .instantiate(&mut self.store, module)
            .map_err(|e| Unavailable::Failed(format!("instantiation failed: {e}")))
    }

    fn expect_unlinkable(&mut self, mut module: Wat<'_>, message: &str) -> Outcome {
        let compiled = match self.wat_bytes(&mut module).and_then(|b| self.compiler.compile(&b)) {
            Ok(compiled) => compiled,
            Err(unavailable) => return unavailable.own_outcome(),
        };
        if let Err(unavailable) = self.check_imports(&compiled) {
            return unavailable.own_outcome();
        }
        match self.linker.instantiate(&mut self.store, &compiled) {
            Err(e) if e.is_link() => {
                let actual = e.to_string();
                if actual.starts_with(message) {
                    Outcome::Passed
                } else {
                    Outcome::Failed(format!("expected link error \"{message}\", got: {actual}"))
                }
            }
            Err(e) => Outcome::Failed(format!("expected link error \"{message}\", got: {e}")),
            Ok(_) => Outcome::Failed(format!("expected link error \"{message}\", but it linked")),
        }
    }

    fn invoke(&mut self, invoke: WastInvoke<'_>) -> Result<Action, Outcome> {
        let instance = self.instance(invoke.module.map(|id| id.name()))?;
        let func = instance
            .get_func(&self.store, invoke.name)
            .ok_or_else(|| Outcome::Failed(format!("no exported function \"{}\"", invoke.name)))?;
        let params = invoke
            .args
            .iter()
            .map(|a| values::arg(&mut self.store, a))
            .collect::<Result<Vec<_>, _>>()
            .map_err(Outcome::Failed)?;
        let ty = func.ty(&self.store);
        let mut results: Vec<Val> = ty.results().iter().map(|t| t.default_value()).collect();
        match func.call(&mut self.store, &params, &mut results) {
            Ok(()) => Ok(Action::Values(results)),
            Err(e) if e.as_trap().is_some() => Ok(Action::Trap(e)),
            Err(e) if e.as_exception().is_some() => Ok(Action::Exception(e)),
            Err(e) => Err(Outcome::Failed(format!("call failed: {e}"))),
        }
    }

    fn execute(&mut self, exec: WastExecute<'_>) -> Result<Action, Outcome> {
        match exec {
            WastExecute::Invoke(invoke) => self.invoke(invoke),
            WastExecute::Wat(mut module) => {
                let bytes = self.wat_bytes(&mut module).map_err(|u| u.own_outcome())?;
                let compiled = self
                    .compiler
                    .compile(&bytes)
                    .and_then(|m| self.check_imports(&m).map(|()| m))
                    .map_err(|unavailable| {
                        // A module instantiated for its trap may write to
                        // what it imports before trapping.
                        let slot = Err(unavailable);
                        self.taint(&slot, &bytes);
                        own_outcome(&slot)
                    })?;
                match self.linker.instantiate(&mut self.store, &compiled) {
                    Ok(_) => Ok(Action::Values(Vec::new())),
                    Err(e) if e.as_trap().is_some() => Ok(Action::Trap(e)),
                    Err(e) if e.as_exception().is_some() => Ok(Action::Exception(e)),
                    Err(e) => Err(Outcome::Failed(format!("instantiation failed: {e}"))),
                }
            }
            WastExecute::Get { module, global, .. } => {
                let instance = self.instance(module.map(|id| id.name()))?;
                let g = instance
                    .get_global(&self.store, global)
                    .ok_or_else(|| Outcome::Failed(format!("no exported global \"{global}\"")))?;
                Ok(Action::Values(vec![g.get(&self.store)]))
            }
        }
    }

    fn check_results(&self, expected: &[WastRet<'_>], actual: &[Val]) -> Outcome {
        if expected.len() != actual.len() {
            return Outcome::Failed(format!(
                "expected {} results, got [{}]",
                expected.len(),
                show(actual)
            ));
        }
        for (i, (e, a)) in expected.iter().zip(actual).enumerate() {
            let WastRet::Core(e) = e else {
                return not_run("component-model", "a component-model result");
            };
            match values::matches(&self.store, e, a) {
                Ok(true) => {}
                Ok(false) => {
                    return Outcome::Failed(format!(
                        "result {i}: expected {e:?}, got [{}]",
                        show(actual)
                    ));
                }
                Err(message) => return Outcome::Failed(message),
            }
        }
        Outcome::Passed
    }
}

fn is_component(module: &QuoteWat<'_>) -> bool {
    matches!(module, QuoteWat::QuoteComponent(..) | QuoteWat::Wat(Wat::Component(_)))
}

fn own_outcome<T>(slot: &Slot<T>) -> Outcome {
    match slot {
        Ok(_) => Outcome::Passed,
        Err(unavailable) => unavailable.own_outcome(),
    }
}

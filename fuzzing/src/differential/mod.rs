//! The differential oracle: one generated module, run in interp and in wasmi,
//! must behave the same.
//!
//! A run builds the module's world ([`crate::link`]: often a provider
//! instance it shares a memory and a table with, and host functions, some of
//! them in tables), instantiates it in both engines, then calls every
//! exported function of the module with arguments drawn from the input, then
//! a few more calls chosen by the input (of the module's or the provider's
//! functions). After instantiation and after every call it compares:
//! - the outcome: results bit for bit, or the same trap, mapped exactly
//!   between the engines' vocabularies (see `compare::reference_code`);
//! - every exported global, memory (size and bytes) and table (size and
//!   elements) of both instances, and how often each host function ran.
//!
//! interp runs in both of its translations, in lockstep: the fuel-metered one
//! and the default one, the code users run, which has no fuel. Each call runs
//! first in the reference, with [`FUEL`]:
//! - if the reference finishes (returns or traps), interp's metered
//!   translation runs the call with 100 times that fuel, then the default
//!   translation runs it under a [`watchdog`] that aborts the process with a
//!   report if it does not finish; both translations must do exactly the same
//!   (outcome, trap site, state), and the reference must agree with them;
//! - if the reference runs out of fuel or stack, the metered translation runs
//!   the call with [`FUEL`]: if it runs out too, exhaustion on both sides is
//!   not compared: the run counts it as excused, instantiates the world afresh
//!   and goes on with the remaining calls. If it finishes, the default
//!   translation must match it, and the reference replays the call on fresh
//!   instances (replaying the calls since instantiation first) with 100 times
//!   the fuel and a 16 times larger stack (see `replay.rs`), and is compared.
//!
//! Where interp runs out of stack but the reference finished, interp replays
//! the calls since instantiation and the call on fresh instances with a 16
//! times larger stack. Where interp still cannot finish (or the replayed
//! reference still cannot), the tie-breaker decides: only exhaustion on both
//! sides is ever left uncompared.
//!
//! Any other difference is a [`Divergence`], unless the tie-breaker (wasmi
//! 0.31, or, for worlds with a module wasmi 0.31 does not run, such as one
//! with several or 64-bit memories, wasmi 2 on select-free rewrites of the
//! modules: see [`crate::engine::tie_breaker`]) replays the calls since
//! instantiation and sides with interp at every step: then wasmi 2 is wrong,
//! [`Stats::reference_bugs`] counts it, and the run goes on against the
//! tie-breaker (so a tie-break at instantiation no longer ends the run). A
//! panic in wasmi 2 counts the same way. Excused runs (reference bugs, exhaustion on
//! both sides) are counted in [`Stats::excused_runs`], and their modules are
//! saved with the reasons in [`excused_dir`] (`fuzz/artifacts/differential/excused/`).
//!
//! [`FUEL`]: crate::engine::FUEL
//! [`watchdog`]: crate::watchdog

mod compare;
mod replay;
mod report;

use std::cell::Cell;
use std::sync::{Arc, Once};

use arbitrary::Unstructured;

pub use self::report::{Divergence, excused_dir};
use crate::engine::interp::{InterpEngine, Translation};
use crate::engine::tie_breaker::TieBreaker;
use crate::engine::wasmi::WasmiEngine;
use crate::engine::{
    DiffEngine, DiffInstance, Export, ExportKind, Failure, Outcome, Stack, TrapCode, World,
};
use crate::value::{ArgContext, FuncId, Signature, Value, arbitrary_value, display_values};
use crate::{Stats, generate, link, split_input};

/// At most this many calls beyond one call of every export.
const MAX_EXTRA_CALLS: usize = 20;

/// Runs the oracle on a fuzz input: the input is turned into a module and into
/// the arguments of each call.
///
/// # Errors
///
/// If the engines diverge.
pub fn differential(data: &[u8]) -> Result<Stats, Box<Divergence>> {
    let (module_data, call_data) = split_input(data);
    let mut u = Unstructured::new(module_data);
    let Ok(config) = generate::differential_config(&mut u) else { return Ok(Stats::default()) };
    let Ok(wasm) = generate::module(config, &mut u) else { return Ok(Stats::default()) };
    differential_module(&wasm, &mut Unstructured::new(call_data))
}

/// Runs the oracle on a given module, drawing call arguments (and the extra
/// calls) from `u`; an empty `u` gives zero and null arguments.
///
/// # Errors
///
/// If the engines diverge.
pub fn differential_module(
    wasm: &[u8],
    u: &mut Unstructured<'_>,
) -> Result<Stats, Box<Divergence>> {
    let mut run = Run::new(link::world(wasm));
    let result = run.run(u);
    if !run.excuses.is_empty() {
        run.stats.excused_runs += 1;
        report::save_excused(&run.wasm, &run.excuses);
    }
    result.map(|()| run.stats)
}

/// Runs `f`, a call into wasmi 2, and returns `None` if it panics: a
/// reference bug (wasmi 2.0.0 hits an `unreachable!` translating some
/// `i32.store16`s), not a finding about interp. Panics on this thread
/// meanwhile skip the panic hook, since libFuzzer's hook aborts before
/// unwinding; other threads' panics are reported as usual.
pub(crate) fn catch_panic<T>(f: impl FnOnce() -> T) -> Option<T> {
    thread_local! {
        static IN_REFERENCE: Cell<bool> = const { Cell::new(false) };
    }
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !IN_REFERENCE.with(Cell::get) {
                previous(info);
            }
        }));
    });
    IN_REFERENCE.with(|flag| flag.set(true));
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
    IN_REFERENCE.with(|flag| flag.set(false));
    result.ok()
}

/// Prints a message when `INTERP_FUZZ_VERBOSE` is set.
fn verbose(message: std::fmt::Arguments<'_>) {
    if std::env::var_os("INTERP_FUZZ_VERBOSE").is_some() {
        eprintln!("{message}");
    }
}

/// One call of a run.
#[derive(Debug, Clone)]
struct Call {
    module: usize,
    name: String,
    args: Vec<Value>,
}

impl Call {
    fn describe(&self, world: &World) -> String {
        let module = world.modules[self.module].name;
        format!("{module}.{:?}({})", self.name, display_values(&self.args))
    }
}

/// A call both sides agreed on, with interp's outcome.
struct Step {
    call: Call,
    interp: Outcome<Vec<Value>>,
}

/// Which engine is the reference.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reference {
    Wasmi2,
    Legacy,
}

/// The engines of a run, each made on first use (each keeps the world's
/// compiled modules).
#[derive(Default)]
struct Engines {
    slots: Vec<(Which, Box<dyn DiffEngine>)>,
}

/// An engine and its configuration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Which {
    Interp(Translation, Stack),
    Wasmi(Stack),
    Legacy(Stack),
}

impl Engines {
    fn get(&mut self, which: Which) -> &mut dyn DiffEngine {
        let i = match self.slots.iter().position(|(w, _)| *w == which) {
            Some(i) => i,
            None => {
                let engine: Box<dyn DiffEngine> = match which {
                    Which::Interp(translation, stack) => {
                        Box::new(InterpEngine::new(translation, stack))
                    }
                    Which::Wasmi(stack) => Box::new(WasmiEngine::new(stack)),
                    Which::Legacy(stack) => Box::new(TieBreaker::new(stack)),
                };
                self.slots.push((which, engine));
                self.slots.len() - 1
            }
        };
        &mut *self.slots[i].1
    }
}

/// The state of one oracle run.
struct Run {
    world: World,
    /// The generated module, for reports and saving.
    wasm: Arc<Vec<u8>>,
    engines: Engines,
    /// interp's two translations (`None` before instantiation, or once the
    /// world cannot be instantiated).
    interp: Option<replay::Pair>,
    reference: Option<Box<dyn DiffInstance>>,
    reference_kind: Reference,
    exports: Vec<Export>,
    /// The calls since the world was last instantiated.
    epoch: Vec<Step>,
    /// Every compared call, for reports.
    history: Vec<String>,
    /// What was excused, by kind.
    excuses: Vec<(&'static str, String)>,
    stats: Stats,
}

impl Run {
    fn new(world: World) -> Run {
        let wasm = Arc::new(world.main_module().wasm.clone());
        Run {
            world,
            wasm,
            engines: Engines::default(),
            interp: None,
            reference: None,
            reference_kind: Reference::Wasmi2,
            exports: Vec::new(),
            epoch: Vec::new(),
            history: Vec::new(),
            excuses: Vec::new(),
            stats: Stats { modules: 1, ..Stats::default() },
        }
    }

    /// The world's module names, by index, for reports.
    fn module_names(&self) -> Vec<&'static str> {
        self.world.modules.iter().map(|m| m.name).collect()
    }

    fn main(&self) -> usize {
        self.world.modules.len() - 1
    }

    fn linked(&self) -> bool {
        self.world.modules.len() > 1
    }

    fn run(&mut self, u: &mut Unstructured<'_>) -> Result<(), Box<Divergence>> {
        if self.linked() {
            self.stats.linked += 1;
            let imports = &self.world.main_module().imports;
            let from_provider = |name: &str| {
                imports.iter().any(
                    |l| matches!(&l.source, crate::engine::Source::Export { name: n, .. } if n == name),
                )
            };
            self.stats.shared_memory += usize::from(from_provider("memory"));
            self.stats.shared_table += usize::from(from_provider("table"));
        }
        if !self.start()? {
            return Ok(());
        }
        let funcs: Vec<(usize, String, Signature)> = self
            .exports
            .iter()
            .filter_map(|e| match &e.kind {
                ExportKind::Func(sig) => Some((e.module, e.name.clone(), sig.clone())),
                _ => None,
            })
            .collect();
        let main = self.main();
        let main_funcs: Vec<usize> = (0..funcs.len()).filter(|&i| funcs[i].0 == main).collect();
        let provider_funcs: Vec<usize> = (0..funcs.len()).filter(|&i| funcs[i].0 != main).collect();
        let mut plan = main_funcs.clone();
        while !funcs.is_empty()
            && plan.len() < main_funcs.len() + MAX_EXTRA_CALLS
            && u.arbitrary() == Ok(true)
        {
            let from = if provider_funcs.is_empty()
                || (!main_funcs.is_empty() && u.ratio(2, 3).unwrap_or(true))
            {
                &main_funcs
            } else {
                &provider_funcs
            };
            plan.push(from[u.choose_index(from.len()).unwrap_or(0)]);
        }
        let mut cx = ArgContext {
            funcs: funcs.iter().map(|(m, name, _)| (*m, name.clone())).collect(),
            ..ArgContext::default()
        };
        for index in plan {
            let Some(interp) = self.interp.as_ref().map(|p| &p.default) else { break };
            let (module, name, sig) = &funcs[index];
            cx.memory_bytes = self
                .exports
                .iter()
                .filter(|e| e.kind == ExportKind::Memory)
                .map(|e| interp.memory(e.module, &e.name).len() as u64)
                .collect();
            let mut args: Vec<Value> = sig
                .params
                .iter()
                .map(|&ty| arbitrary_value(u, ty, &mut cx))
                .collect::<Result<_, _>>()
                .expect("an exhausted input gives zeros");
            // A provider probe's last argument is a table slot: half the
            // time one of the host functions' (0-7) or the provider's (8-15).
            if *module != main && name.starts_with("probe") && u.arbitrary().unwrap_or(false) {
                let slot = u.int_in_range(0..=15).unwrap_or(0);
                *args.last_mut().expect("a probe takes a slot") = Value::I32(slot);
            }
            self.step(Call { module: *module, name: name.clone(), args })?;
        }
        Ok(())
    }

    /// Counters the stats look at, read from interp: the provider's `calls`
    /// and `grows` globals, and the table-only host functions' calls.
    fn counters(&self) -> Option<(Value, Value, u64)> {
        let interp = &self.interp.as_ref()?.default;
        let hosts = interp.host_calls()[..link::SIGNATURES].iter().sum();
        if !self.linked() {
            return Some((Value::I32(0), Value::I32(0), hosts));
        }
        Some((interp.global(0, "calls"), interp.global(0, "grows"), hosts))
    }

    /// Whether `call` is a provider probe that will reach a host function of
    /// another signature (the probe's number) in the shared table.
    fn probes_mismatching_host(&self, call: &Call) -> bool {
        let Some(k) = call.name.strip_prefix("probe").and_then(|k| k.parse::<usize>().ok()) else {
            return false;
        };
        let (Some(pair), true) = (&self.interp, self.linked() && call.module == 0) else {
            return false;
        };
        let interp = &pair.default;
        let Some(Value::I32(slot)) = call.args.last() else { return false };
        let table = interp.table(0, "table");
        matches!(table.get(*slot as u32 as usize),
            Some(Value::FuncRef(Some(FuncId::Host(h)))) if *h < link::SIGNATURES && *h != k)
    }

    /// Runs one call on both sides and compares.
    fn step(&mut self, call: Call) -> Result<(), Box<Divergence>> {
        let before = self.counters();
        let mismatch = self.probes_mismatching_host(&call);
        let epochs = self.stats.instantiated;
        self.run_call(call.clone())?;
        // Stats, unless the world was instantiated afresh meanwhile.
        if let (Some((calls, grows, hosts)), Some(after), true) =
            (before, self.counters(), self.stats.instantiated == epochs)
        {
            self.stats.host_indirect += (after.2 - hosts) as usize;
            if call.module == self.main() && self.linked() {
                self.stats.cross_calls += usize::from(after.0 != calls);
                let shared = self.stats.shared_memory > 0;
                self.stats.callee_grows += usize::from(shared && after.1 != grows);
            }
            let last = self.epoch.last().map(|s| &s.interp);
            if mismatch
                && matches!(last, Some(Err(Failure::Trap(t))) if t.code == TrapCode::IndirectCallTypeMismatch)
            {
                self.stats.host_mismatches += 1;
            }
        }
        Ok(())
    }

    /// The reference's outcome of `call`, with [`crate::engine::FUEL`]. If
    /// wasmi 2 panics, the run switches to wasmi 0.31 (replaying the calls
    /// since instantiation) and returns its outcome.
    fn reference_call(&mut self, call: &Call) -> Result<Outcome<Vec<Value>>, Box<Divergence>> {
        let fuel = Some(crate::engine::FUEL);
        let instance = self.reference.as_mut().expect("instantiated");
        let args = (call.module, call.name.as_str(), call.args.as_slice());
        match self.reference_kind {
            Reference::Legacy => Ok(instance.call(args.0, args.1, args.2, fuel)),
            Reference::Wasmi2 => {
                match catch_panic(|| instance.call(args.0, args.1, args.2, fuel)) {
                    Some(outcome) => Ok(outcome),
                    None => {
                        let why =
                            format!("wasmi 2 panicked calling {}", call.describe(&self.world));
                        verbose(format_args!("{why}; going on against the tie-breaker"));
                        self.excuse("reference-panic", why);
                        self.stats.reference_bugs += 1;
                        self.reference_kind = Reference::Legacy;
                        let engine = self.engines.get(Which::Legacy(Stack::Normal));
                        let instance = engine.instantiate(&self.world, None);
                        match replay::replay_with(instance, &self.epoch, call, fuel) {
                            Ok((legacy, outcome)) => {
                                self.reference = Some(legacy);
                                Ok(outcome)
                            }
                            Err(why) => Err(self.divergence(
                                self.call_point(call),
                                "(not run yet)".into(),
                                "a panic".into(),
                                why,
                            )),
                        }
                    }
                }
            }
        }
    }

    /// Records an excuse.
    fn excuse(&mut self, kind: &'static str, why: String) {
        self.excuses.push((kind, why));
    }

    /// Compares interp's and the reference's outcome of `call` and the state
    /// after it; on a difference, consults the tie-breaker.
    fn record(
        &mut self,
        call: Call,
        interp: Outcome<Vec<Value>>,
        reference: Outcome<Vec<Value>>,
    ) -> Result<(), Box<Divergence>> {
        let state = || {
            let (a, b) = (&*self.interp.as_ref()?.default, self.reference.as_deref()?);
            compare::state_difference(&self.exports, &self.module_names(), a, b)
        };
        let difference = if compare::agree(&interp, &reference) {
            state().map(|(what, a, b)| (format!("{what} after"), a, b))
        } else {
            Some((String::new(), compare::outcome(&interp), compare::outcome(&reference)))
        };
        match difference {
            None => self.push_step(call, interp),
            Some((what, a, b)) => {
                let point = format!("{what} {}", self.call_point(&call)).trim().to_string();
                self.tie_break_call(call, interp, &point, a, b)?;
            }
        }
        Ok(())
    }

    fn call_point(&self, call: &Call) -> String {
        format!("call {}: {}", self.history.len() + 1, call.describe(&self.world))
    }

    /// Adds an agreed step to the epoch and the history.
    fn push_step(&mut self, call: Call, interp: Outcome<Vec<Value>>) {
        match &interp {
            Ok(_) => self.stats.returned += 1,
            Err(_) => self.stats.trapped += 1,
        }
        let line = format!("{} -> {}", self.call_point(&call), compare::outcome(&interp));
        self.history.push(line);
        self.epoch.push(Step { call, interp });
    }

    /// Which engine the tie-breaker is for this run's world (see
    /// [`crate::engine::tie_breaker`]).
    fn tie_breaker_name(&self) -> &'static str {
        crate::engine::tie_breaker::name_for(&self.world)
    }

    /// A divergence report.
    fn divergence(
        &self,
        what: String,
        interp: String,
        reference: String,
        tie_breaker: String,
    ) -> Box<Divergence> {
        Box::new(Divergence {
            what,
            interp,
            wasmi: reference,
            reference: match self.reference_kind {
                Reference::Wasmi2 => "wasmi",
                Reference::Legacy => self.tie_breaker_name(),
            },
            tie_breaker,
            tie_breaker_name: self.tie_breaker_name(),
            history: self.history.clone(),
            wasm: self.wasm.to_vec(),
        })
    }
}

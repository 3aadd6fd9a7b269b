//! The execute oracle: interp runs a module with every proposal it executes,
//! in its world ([`crate::link`]: host functions, often a provider instance),
//! under a configuration drawn from the input (small call-depth and
//! value-stack limits, tracing translation), in both of its translations:
//! - each call runs first in the fuel-metered translation, with
//!   `FUEL`;
//! - if that call finishes (returns, traps or exhausts the call stack), the
//!   default translation, the code users run, which has no fuel, runs it
//!   under the watchdog and must produce exactly the
//!   same outcome and exported state;
//! - if it runs out of fuel, both are instantiated afresh and the run goes on
//!   with the next export.
//!
//! Beyond that the oracle is that interp neither panics nor crashes (native
//! stack overflow, or a memory error under the address sanitizer), that fuel
//! only ever goes down, and that results have the function's types. Calls
//! continue after a trap or a stack overflow, so the executor's recovery from
//! them is exercised too.

use std::sync::Arc;

use arbitrary::{Result, Unstructured};
use interp::Config;

use crate::engine::interp::{InterpEngine, Translation};
use crate::engine::{
    DiffEngine, DiffInstance, ExportKind, FUEL, Failure, Outcome, TrapCode, World,
};
use crate::value::{ArgContext, Value, arbitrary_value};
use crate::watchdog::{self, Report};
use crate::{Stats, generate, link, split_input};

/// Runs the oracle on a fuzz input.
///
/// # Panics
///
/// If interp misbehaves (see the module documentation).
pub fn execute(data: &[u8]) -> Stats {
    let (module_data, call_data) = split_input(data);
    let mut u = Unstructured::new(module_data);
    let Ok(config) = interp_config(&mut u) else { return Stats::default() };
    let Ok(smith) = generate::execute_config(&mut u) else { return Stats::default() };
    let Ok(wasm) = generate::module(smith, &mut u) else { return Stats::default() };
    execute_module(&wasm, config, &mut Unstructured::new(call_data))
}

/// An interp configuration: the defaults, or limits small enough that
/// generated modules reach them. The value stack is at most 2^18 cells
/// (2 MiB) rather than the default 2^23: a store allocates its whole stack up
/// front, which under the address sanitizer would cost more than the run.
fn interp_config(u: &mut Unstructured<'_>) -> Result<Config> {
    let mut config = Config::default();
    // Every translated function passes the IR verifier, in release builds too.
    config.verify_translation(true);
    if u.ratio(1, 4)? {
        config.max_call_depth(u.int_in_range(1..=500)?);
    }
    let cells = if u.ratio(1, 4)? { u.int_in_range(1024..=1 << 16)? } else { 1 << 18 };
    config.max_stack_cells(cells);
    config.trace_execution(u.ratio(1, 8)?);
    Ok(config)
}

/// The two translations of one world, instantiated in lockstep.
struct Pair {
    metered: Box<dyn DiffInstance>,
    default: Box<dyn DiffInstance>,
}

/// The state of one run.
struct Run {
    world: World,
    wasm: Arc<Vec<u8>>,
    metered: InterpEngine,
    default: InterpEngine,
    stats: Stats,
}

impl Run {
    /// Reports a finding: saves the module and panics.
    fn finding(&self, message: &str) -> ! {
        crate::save_and_panic("execute", &self.wasm, message)
    }

    fn report(&self, what: &str, fuel: Option<u64>) -> Report {
        Report {
            target: "execute",
            wasm: self.wasm.clone(),
            message: format!(
                "{}interp's default translation did not finish {what} where its metered \
                 translation finished using {} fuel",
                watchdog::label(),
                fuel.map_or("unknown".to_string(), |f| f.to_string())
            ),
        }
    }

    /// Instantiates both translations; `None` if the world does not
    /// instantiate (alike in both) or the metered one runs out of fuel.
    fn instantiate(&mut self) -> Option<Pair> {
        let metered = self.metered.instantiate(&self.world, Some(FUEL));
        match &metered {
            Err(Failure::Error(e)) => self.finding(&format!("interp rejected the module: {e}")),
            Err(Failure::Exhausted(TrapCode::OutOfFuel)) => {
                self.stats.exhausted += 1;
                return None;
            }
            _ => {}
        }
        let report =
            self.report("instantiating", metered.as_ref().ok().and_then(|m| m.fuel_used()));
        let default = watchdog::watch(report, || self.default.instantiate(&self.world, None));
        match (metered, default) {
            (Ok(metered), Ok(default)) => {
                self.stats.instantiated += 1;
                let pair = Pair { metered, default };
                self.compare_state(&pair, "instantiation");
                Some(pair)
            }
            (Err(a), Err(b)) if a == b => {
                self.stats.instantiation_traps += 1;
                None
            }
            (a, b) => self.finding(&format!(
                "interp's translations disagree instantiating: metered {}, default {}",
                describe(&a.map(|_| Vec::new())),
                describe(&b.map(|_| Vec::new()))
            )),
        }
    }

    /// Both translations' exported state must be the same.
    fn compare_state(&self, pair: &Pair, after: &str) {
        let exports = pair.metered.exports();
        if exports != pair.default.exports() {
            self.finding(&format!("interp's translations export differently after {after}"));
        }
        for export in &exports {
            let (m, name) = (export.module, &export.name);
            let same = match export.kind {
                ExportKind::Func(_) | ExportKind::Tag => true,
                ExportKind::Global => pair.metered.global(m, name) == pair.default.global(m, name),
                ExportKind::Memory => pair.metered.memory(m, name) == pair.default.memory(m, name),
                ExportKind::Table => pair.metered.table(m, name) == pair.default.table(m, name),
            };
            if !same {
                self.finding(&format!(
                    "interp's translations disagree on {m}.{name:?} after {after}"
                ));
            }
        }
        if pair.metered.host_calls() != pair.default.host_calls() {
            self.finding(&format!(
                "interp's translations call host functions differently after {after}"
            ));
        }
    }
}

fn describe(outcome: &Outcome<Vec<Value>>) -> String {
    match outcome {
        Ok(values) => format!("returned [{}]", crate::value::display_values(values)),
        Err(failure) => failure.to_string(),
    }
}

/// Runs `wasm` in interp with `config`, calling every exported function of
/// the module with arguments from `u`.
///
/// # Panics
///
/// If interp rejects the module, panics, its two translations disagree or
/// its fuel goes up.
pub fn execute_module(wasm: &[u8], config: Config, u: &mut Unstructured<'_>) -> Stats {
    let world = link::world(wasm);
    let mut run = Run {
        wasm: Arc::new(wasm.to_vec()),
        world,
        metered: InterpEngine::with_config(config.clone(), Translation::Metered),
        default: InterpEngine::with_config(config, Translation::Default),
        stats: Stats { modules: 1, ..Stats::default() },
    };
    run.stats.linked += usize::from(run.world.modules.len() > 1);
    let (simd, relaxed_simd) = generate::uses_simd(wasm);
    run.stats.simd = usize::from(simd);
    run.stats.relaxed_simd = usize::from(relaxed_simd);
    let Some(mut pair) = run.instantiate() else { return run.stats };
    let main = run.world.modules.len() - 1;
    let exports = pair.metered.exports();
    let mut cx = ArgContext {
        funcs: exports
            .iter()
            .filter(|e| matches!(e.kind, ExportKind::Func(_)))
            .map(|e| (e.module, e.name.clone()))
            .collect(),
        ..ArgContext::default()
    };
    for export in exports.iter().filter(|e| e.module == main) {
        let ExportKind::Func(sig) = &export.kind else { continue };
        cx.memory_bytes = exports
            .iter()
            .filter(|e| e.kind == ExportKind::Memory)
            .map(|e| pair.default.memory(e.module, &e.name).len() as u64)
            .collect();
        let args: Vec<Value> = sig
            .params
            .iter()
            .map(|&ty| arbitrary_value(u, ty, &mut cx))
            .collect::<Result<_>>()
            .expect("an exhausted input gives zeros");
        let name = &export.name;
        let metered = pair.metered.call(main, name, &args, Some(FUEL));
        if metered == Err(Failure::Exhausted(TrapCode::OutOfFuel)) {
            // The default translation would run as long: not run. Both start
            // afresh for the next export.
            run.stats.exhausted += 1;
            match run.instantiate() {
                Some(fresh) => pair = fresh,
                None => return run.stats,
            }
            continue;
        }
        let call = format!("{name:?}({})", crate::value::display_values(&args));
        let report = run.report(&call, pair.metered.fuel_used());
        let default = watchdog::watch(report, || pair.default.call(main, name, &args, None));
        if metered != default {
            run.finding(&format!(
                "interp's translations disagree on {call}: metered {}, default {}",
                describe(&metered),
                describe(&default)
            ));
        }
        run.stats.metered_calls += 1;
        run.compare_state(&pair, &call);
        match default {
            Ok(results) => {
                let types: Vec<_> = results.iter().map(Value::ty).collect();
                if types != sig.results {
                    run.finding(&format!("{name} returned {types:?} for {sig}"));
                }
                run.stats.returned += 1;
            }
            // Stack exhaustion is recoverable: later calls start afresh.
            Err(Failure::Trap(_) | Failure::Exhausted(_)) => run.stats.trapped += 1,
            Err(Failure::Exception(_)) => run.stats.exceptions += 1,
            Err(Failure::Error(e)) => run.finding(&format!("{name} failed: {e}")),
        }
    }
    run.stats
}

//! The execute oracle: interp runs a module with every proposal it executes,
//! under fuel and a configuration drawn from the input (small call-depth and
//! value-stack limits, tracing translation). Outcomes are not compared with
//! anything: the oracle is that interp neither panics nor crashes (native stack
//! overflow, or a memory error under the address sanitizer), and that fuel
//! only ever goes down.
//!
//! Unlike `differential`, calls continue after a trap or a stack overflow, so
//! the executor's recovery from them is exercised too.

use arbitrary::{Result, Unstructured};
use interp::Config;

use crate::engine::interp::InterpEngine;
use crate::engine::{DiffEngine, ExportKind, Failure, TrapCode};
use crate::value::{Value, arbitrary_value};
use crate::{Stats, generate, split_input};

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

/// Runs `wasm` in interp with `config`, calling every exported function with
/// arguments from `u`.
///
/// # Panics
///
/// If interp rejects the module, panics, or its fuel goes up.
pub fn execute_module(wasm: &[u8], config: Config, u: &mut Unstructured<'_>) -> Stats {
    let mut stats = Stats { modules: 1, ..Stats::default() };
    let mut instance = match InterpEngine::with_config(config).instantiate(wasm) {
        Ok(instance) => instance,
        Err(Failure::Error(e)) => {
            crate::save_and_panic("execute", wasm, &format!("interp rejected the module: {e}"))
        }
        Err(Failure::Trap(_)) => {
            stats.instantiation_traps += 1;
            return stats;
        }
        Err(Failure::Exhausted(_)) => {
            stats.exhausted += 1;
            return stats;
        }
    };
    stats.instantiated += 1;
    let exports = instance.exports();
    let func_names: Vec<String> = exports
        .iter()
        .filter(|e| matches!(e.kind, ExportKind::Func(_)))
        .map(|e| e.name.clone())
        .collect();
    let mut next_extern = 0;
    for export in &exports {
        let ExportKind::Func(sig) = &export.kind else { continue };
        let args: Vec<Value> = sig
            .params
            .iter()
            .map(|&ty| arbitrary_value(u, ty, &func_names, &mut next_extern))
            .collect::<Result<_>>()
            .expect("an exhausted input gives zeros");
        let fuel_before = instance.fuel();
        let outcome = instance.call(&export.name, &args);
        let fuel_after = instance.fuel();
        if fuel_after > fuel_before {
            let message = format!("fuel went up from {fuel_before} to {fuel_after}");
            crate::save_and_panic("execute", wasm, &message);
        }
        match outcome {
            Ok(results) => {
                let types: Vec<_> = results.iter().map(Value::ty).collect();
                if types != sig.results {
                    let message = format!("{} returned {types:?} for {sig}", export.name);
                    crate::save_and_panic("execute", wasm, &message);
                }
                stats.returned += 1;
            }
            Err(Failure::Trap(_)) => stats.trapped += 1,
            Err(Failure::Exhausted(TrapCode::OutOfFuel)) => {
                stats.exhausted += 1;
                return stats;
            }
            // Stack exhaustion is recoverable: later calls start afresh.
            Err(Failure::Exhausted(_)) => stats.exhausted += 1,
            Err(Failure::Error(e)) => {
                crate::save_and_panic("execute", wasm, &format!("{} failed: {e}", export.name))
            }
        }
    }
    stats
}

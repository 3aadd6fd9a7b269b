//! interp against wasmi on a wasm-smith module: see `fuzzing::differential`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Err(divergence) = fuzzing::differential::differential(data) {
        // Prints both outcomes, saves the module as .wasm and .wat, panics.
        divergence.report();
    }
});

//! interp alone on a wasm-smith module, under fuel: see `fuzzing::execute`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    fuzzing::execute::execute(data);
});

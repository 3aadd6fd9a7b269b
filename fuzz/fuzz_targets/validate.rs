//! Bytes through decode, validate and translate: see `fuzzing::validate`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = fuzzing::validate::validate(data);
});

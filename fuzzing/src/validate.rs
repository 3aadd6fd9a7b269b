//! The validate oracle: bytes go through interp's decoder, validator and
//! translator. Errors are expected; panics are findings, and so is any
//! disagreement with wasmparser's validator run alone with interp's features
//! (interp must accept exactly the valid modules, up to its implementation
//! limits).
//!
//! Half the inputs are used as raw bytes; the other half build a wasm-smith
//! module with any proposal (most of which interp must reject as unsupported)
//! and sometimes invalid function bodies, which reach the validator's and the
//! translator's deeper paths that random bytes rarely get past the decoder to.

use arbitrary::Unstructured;
use interp::{Engine, ErrorKind, Module};
use wasmparser::{Validator, WasmFeatures};

/// The features interp validates with by default: WebAssembly 2.0, relaxed
/// SIMD, tail calls, extended constants, wide arithmetic, several memories,
/// 64-bit memories and tables, custom page sizes and exception handling.
const INTERP_FEATURES: WasmFeatures = WasmFeatures::WASM2
    .union(WasmFeatures::RELAXED_SIMD)
    .union(WasmFeatures::TAIL_CALL)
    .union(WasmFeatures::EXTENDED_CONST)
    .union(WasmFeatures::WIDE_ARITHMETIC)
    .union(WasmFeatures::MULTI_MEMORY)
    .union(WasmFeatures::MEMORY64)
    .union(WasmFeatures::CUSTOM_PAGE_SIZES)
    .union(WasmFeatures::EXCEPTIONS);

/// Runs the oracle on a fuzz input: raw bytes when the first byte is even
/// (which includes every input that starts with the `\0asm` magic), else a
/// generated module built from the rest. Returns interp's verdict (see
/// [`validate_module`]), or `None` if the input made no module.
///
/// # Panics
///
/// If interp panics or disagrees with wasmparser.
pub fn validate(data: &[u8]) -> Option<String> {
    match data.split_first() {
        Some((&mode, rest)) if mode & 1 == 1 => Some(validate_module(&arbitrary_module(rest)?)),
        _ => Some(validate_module(data)),
    }
}

/// A wasm-smith module with whatever proposals the input picks, and possibly
/// invalid function bodies.
fn arbitrary_module(data: &[u8]) -> Option<Vec<u8>> {
    let mut u = Unstructured::new(data);
    let mut config: wasm_smith::Config = u.arbitrary().ok()?;
    config.allow_invalid_funcs = u.ratio(1, 4).ok()?;
    config.max_memory32_bytes = config.max_memory32_bytes.min(1 << 20);
    config.max_table_elements = config.max_table_elements.min(1_000);
    crate::generate::module(config, &mut u).ok()
}

/// Decodes, validates and translates `bytes` with interp's default engine, and
/// checks the verdict against wasmparser's. Returns the verdict: `accepted`,
/// or `rejected:` and why (`invalid at offset ...`, `unsupported proposal
/// ...` or `implementation limit`).
///
/// # Panics
///
/// If interp panics or disagrees with wasmparser.
pub fn validate_module(bytes: &[u8]) -> String {
    let engine = Engine::default();
    let interp = Module::from_binary(&engine, bytes);
    let reference = Validator::new_with_features(INTERP_FEATURES).validate_all(bytes);
    match (&interp, &reference) {
        (Ok(_), Err(e)) => crate::save_and_panic(
            "validate",
            bytes,
            &format!("interp accepts an invalid module: {e}"),
        ),
        (Err(e), Ok(_)) if !matches!(e.kind(), ErrorKind::Limit(_)) => {
            crate::save_and_panic("validate", bytes, &format!("interp rejects a valid module: {e}"))
        }
        _ => {}
    }
    // `validate` is `from_binary` without keeping the result.
    if Module::validate(&engine, bytes).is_ok() != interp.is_ok() {
        crate::save_and_panic(
            "validate",
            bytes,
            "Module::validate and Module::from_binary disagree",
        );
    }
    match interp.as_ref().map_err(|e| e.kind()) {
        Ok(_) => "accepted".to_string(),
        Err(ErrorKind::Wasm { offset, .. }) => format!("rejected: invalid at offset {offset:#x}"),
        Err(ErrorKind::UnsupportedProposal { proposals, .. }) => {
            format!("rejected: unsupported proposals {}", proposals.join(", "))
        }
        Err(ErrorKind::Limit(_)) => "rejected: implementation limit".to_string(),
        Err(other) => format!("rejected: {other:?}"),
    }
}

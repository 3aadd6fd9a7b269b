//! Telling a module that needs a proposal the engine does not execute from a
//! module that is invalid.
//!
//! wasmparser reports a disabled feature in many ways: "SIMD support is not
//! enabled", "tail calls support is not enabled", but also "multiple memories",
//! "zero byte expected" (a `call_indirect` table index without reference
//! types), "gc proposal must be enabled to use subtypes", "legacy_exceptions
//! feature required for try instruction", or a malformed-section message when
//! a proposal changed an encoding. No list of messages is complete, so this
//! module decides by validating again: a rejection is a feature gate when
//! enabling some proposal changes where or why the module is first rejected.
//! Such rejections become [`ErrorKind::UnsupportedProposal`]; every other
//! rejection is returned as it was, so "invalid" means invalid whatever the
//! engine's features.

use wasmparser::{Parser, ValidPayload, Validator, WasmFeatures};

use crate::error::{Error, ErrorKind};

/// A proposal a [`Config`](crate::Config) may lack: its name, the feature
/// flag that is the proposal itself, and every flag enabling it needs.
struct Proposal {
    name: &'static str,
    own: WasmFeatures,
    needs: WasmFeatures,
}

const fn proposal(name: &'static str, own: WasmFeatures, builds_on: WasmFeatures) -> Proposal {
    Proposal { name, own, needs: own.union(builds_on) }
}

/// The proposals of WebAssembly 3.0 and the others interp means to execute
/// (the official test suite's proposal folders): first those it executes (a
/// configuration may turn them off), then those it does not. wasmparser's
/// other features (legacy exceptions, shared-everything threads, ...) are not
/// WebAssembly that interp will run: a module rejected for needing one of them
/// is rejected for good, so such a rejection stays an ordinary one.
const PROPOSALS: &[Proposal] = &[
    proposal("mutable-global", WasmFeatures::MUTABLE_GLOBAL, WasmFeatures::empty()),
    proposal(
        "nontrapping-float-to-int-conversions",
        WasmFeatures::SATURATING_FLOAT_TO_INT,
        WasmFeatures::empty(),
    ),
    proposal("sign-extension-ops", WasmFeatures::SIGN_EXTENSION, WasmFeatures::empty()),
    proposal("multi-value", WasmFeatures::MULTI_VALUE, WasmFeatures::empty()),
    proposal("bulk-memory", WasmFeatures::BULK_MEMORY, WasmFeatures::empty()),
    proposal("reference-types", WasmFeatures::REFERENCE_TYPES, WasmFeatures::empty()),
    proposal("simd", WasmFeatures::SIMD, WasmFeatures::empty()),
    proposal("relaxed-simd", WasmFeatures::RELAXED_SIMD, WasmFeatures::SIMD),
    proposal("threads", WasmFeatures::THREADS, WasmFeatures::empty()),
    proposal("tail-call", WasmFeatures::TAIL_CALL, WasmFeatures::empty()),
    proposal("multi-memory", WasmFeatures::MULTI_MEMORY, WasmFeatures::empty()),
    proposal("memory64", WasmFeatures::MEMORY64, WasmFeatures::empty()),
    proposal("extended-const", WasmFeatures::EXTENDED_CONST, WasmFeatures::empty()),
    proposal("custom-page-sizes", WasmFeatures::CUSTOM_PAGE_SIZES, WasmFeatures::empty()),
    proposal("wide-arithmetic", WasmFeatures::WIDE_ARITHMETIC, WasmFeatures::empty()),
    proposal("exceptions", WasmFeatures::EXCEPTIONS, WasmFeatures::empty()),
    proposal("function-references", WasmFeatures::FUNCTION_REFERENCES, WasmFeatures::empty()),
    proposal("gc", WasmFeatures::GC, WasmFeatures::FUNCTION_REFERENCES),
    proposal(
        "custom-descriptors",
        WasmFeatures::CUSTOM_DESCRIPTORS,
        WasmFeatures::GC.union(WasmFeatures::FUNCTION_REFERENCES),
    ),
];

/// Where and why validation with some features first rejects a module.
type Rejection = (usize, String);

/// Validates `bytes` in the order the engine does (each function body when
/// the code section reaches it), returning the first rejection.
fn first_rejection(bytes: &[u8], features: WasmFeatures) -> Option<Rejection> {
    let rejection = |e: wasmparser::BinaryReaderError| {
        Some((usize::try_from(e.offset()).unwrap_or(usize::MAX), e.message().to_string()))
    };
    let mut validator = Validator::new_with_features(features);
    let mut parser = Parser::new(0);
    parser.set_features(features);
    for payload in parser.parse_all(bytes) {
        let payload = match payload {
            Ok(payload) => payload,
            Err(e) => return rejection(e),
        };
        match validator.payload(&payload) {
            Ok(ValidPayload::Func(func, body)) => {
                if let Err(e) = func.into_validator(Default::default()).validate(&body) {
                    return rejection(e);
                }
            }
            Ok(_) => {}
            Err(e) => return rejection(e),
        }
    }
    None
}

/// Turns a validation failure under `features` into "unsupported proposal: X"
/// when proposal X is what the module was first rejected for: the module is
/// valid once X is enabled, or enabling X moves or changes its first rejection
/// (the module is invalid for another reason too, later). A module valid only
/// with several proposals is reported with all of them.
#[cold]
pub(crate) fn classify(bytes: &[u8], features: WasmFeatures, err: Error) -> Error {
    let ErrorKind::Wasm { offset, .. } = err.kind() else {
        return err;
    };
    let offset = *offset;
    // The translator's own rejections of a module wasmparser accepts are not
    // feature gates of the validator.
    let Some(base) = first_rejection(bytes, features) else {
        return err;
    };
    let candidates: Vec<&Proposal> =
        PROPOSALS.iter().filter(|p| !features.contains(p.needs)).collect();
    let unsupported = |proposals: Vec<&Proposal>| {
        let proposals = proposals.iter().map(|p| p.name).collect();
        Error::from_kind(ErrorKind::UnsupportedProposal { proposals, offset })
    };
    if let Some(p) =
        candidates.iter().find(|p| first_rejection(bytes, features | p.needs).is_none())
    {
        return unsupported(vec![p]);
    }
    let all = candidates.iter().fold(features, |acc, p| acc | p.needs);
    let without = |p: &Proposal| first_rejection(bytes, all.difference(p.own) | features);
    match first_rejection(bytes, all) {
        // Valid with everything: name the proposals it cannot do without,
        // leaving out those another needed one builds on.
        None => {
            let needed: Vec<&Proposal> =
                candidates.iter().copied().filter(|p| without(p).is_some()).collect();
            let needed: Vec<&Proposal> = needed
                .iter()
                .copied()
                .filter(|p| !needed.iter().any(|q| q.name != p.name && q.needs.contains(p.needs)))
                .collect();
            if needed.is_empty() { err } else { unsupported(needed) }
        }
        // Rejected for the same reason at the same place whatever the
        // features: invalid.
        Some(with_all) if with_all == base => err,
        // Enabling proposals moves the first rejection: the module is invalid
        // anyway, but what rejected it first is a feature it uses. Name the
        // proposals that move it, leaving out those that build on another one.
        Some(_) => {
            let moving: Vec<&Proposal> = candidates
                .iter()
                .copied()
                .filter(|p| first_rejection(bytes, features | p.needs).as_ref() != Some(&base))
                .collect();
            let moving: Vec<&Proposal> = moving
                .iter()
                .copied()
                .filter(|p| !moving.iter().any(|q| q.name != p.name && p.needs.contains(q.needs)))
                .collect();
            if !moving.is_empty() {
                return unsupported(moving);
            }
            // Only a combination moves it: the proposals without which it
            // stays where it is.
            let needed: Vec<&Proposal> =
                candidates.iter().copied().filter(|p| without(p).as_ref() == Some(&base)).collect();
            if needed.is_empty() { unsupported(candidates) } else { unsupported(needed) }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::{Config, Engine, ErrorKind, Module};

    /// What compiling `text` with `config` says: the proposals of a feature
    /// gate, or the message of another rejection.
    fn verdict(config: &Config, text: &str) -> Result<Vec<&'static str>, String> {
        let bytes = wat::parse_str(text).unwrap();
        let err = Module::from_binary(&Engine::new(config), &bytes).unwrap_err();
        match err.into_kind() {
            ErrorKind::UnsupportedProposal { proposals, .. } => Ok(proposals),
            ErrorKind::Wasm { message, .. } => Err(message),
            other => panic!("unexpected error kind {other:?}"),
        }
    }

    fn all() -> Config {
        Config::default()
    }

    /// The default configuration with SIMD turned off: the examples below use
    /// SIMD as the proposal a module needs.
    fn no_simd() -> Config {
        let mut config = Config::default();
        config.wasm_simd(false);
        config
    }

    #[test]
    fn a_module_valid_with_one_proposal_names_it() {
        assert_eq!(
            verdict(&no_simd(), "(module (func (drop (v128.const i64x2 0 0))))"),
            Ok(vec!["simd"])
        );
        assert_eq!(verdict(&all(), "(module (memory 1 1 shared))"), Ok(vec!["threads"]));
    }

    #[test]
    fn a_module_valid_only_with_several_proposals_names_each() {
        let text = "(module (memory 1 1 shared) (type (struct)))";
        assert_eq!(verdict(&all(), text), Ok(vec!["threads", "gc"]));
    }

    #[test]
    fn an_invalid_module_first_rejected_by_a_gate_names_the_gate() {
        // Invalid with SIMD too (an i32 result from a v128), but what interp
        // meets first is the SIMD instruction.
        let text = "(module (func (result i32) (v128.const i64x2 0 0)))";
        assert_eq!(verdict(&no_simd(), text), Ok(vec!["simd"]));
        // With SIMD on, the same module is simply invalid.
        assert_eq!(verdict(&all(), text), Err("type mismatch: expected i32, found v128".into()));
    }

    #[test]
    fn an_invalid_module_is_invalid_whatever_the_features() {
        let text = "(module (func (result i32) (i64.const 0)))";
        assert_eq!(verdict(&all(), text), Err("type mismatch: expected i32, found i64".into()));
        // Invalid before it uses SIMD: the rejection does not depend on it.
        let text =
            "(module (func (result i32) (i64.const 0)) (func (drop (v128.const i64x2 0 0))))";
        assert_eq!(verdict(&no_simd(), text), Err("type mismatch: expected i32, found i64".into()));
    }

    #[test]
    fn a_proposal_the_configuration_turns_off_is_a_gate() {
        let mut config = Config::default();
        config.wasm_bulk_memory(false);
        let text =
            "(module (memory 1) (func (memory.fill (i32.const 0) (i32.const 0) (i32.const 0))))";
        assert_eq!(verdict(&config, text), Ok(vec!["bulk-memory"]));
        let mut config = Config::default();
        config.wasm_tail_call(false).wasm_extended_const(false).wasm_wide_arithmetic(false);
        let text = "(module (func (return_call 0)))";
        assert_eq!(verdict(&config, text), Ok(vec!["tail-call"]));
        let text = "(module (global i32 (i32.add (i32.const 1) (i32.const 2))))";
        assert_eq!(verdict(&config, text), Ok(vec!["extended-const"]));
        let text = "(module (func (param i64 i64) (result i64 i64) \
                    (i64.mul_wide_u (local.get 0) (local.get 1))))";
        assert_eq!(verdict(&config, text), Ok(vec!["wide-arithmetic"]));
    }

    #[test]
    fn features_outside_the_proposals_interp_means_to_run_are_not_gates() {
        // Legacy exception handling: a catch_all opcode outside any try block.
        let bytes = [
            0, 97, 115, 109, 1, 0, 0, 0, // header
            1, 4, 1, 96, 0, 0, // type section: (func)
            3, 2, 1, 0, // function section
            10, 5, 1, 3, 0, 0x19, 0x0b, // code: catch_all end
        ];
        let err = Module::from_binary(&Engine::default(), &bytes).unwrap_err();
        assert!(matches!(err.kind(), ErrorKind::Wasm { .. }), "{err}");
    }
}

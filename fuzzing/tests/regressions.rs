//! Every saved fuzzer finding in `fuzz/regressions/<target>/`, through the
//! oracle that found it (see `fuzzing::regressions` for the two file forms).

use arbitrary::Unstructured;
use fuzzing::regressions::{self, Regression};

#[test]
fn differential_regressions() {
    for (path, regression) in regressions::load("differential") {
        let result = match &regression {
            Regression::Input(data) => fuzzing::differential::differential(data),
            Regression::Module(wasm) => {
                fuzzing::differential::differential_module(wasm, &mut Unstructured::new(&[]))
            }
        };
        if let Err(divergence) = result {
            panic!("{}: {divergence}", path.display());
        }
    }
}

#[test]
fn execute_regressions() {
    for (path, regression) in regressions::load("execute") {
        eprintln!("{}", path.display());
        match &regression {
            Regression::Input(data) => drop(fuzzing::execute::execute(data)),
            Regression::Module(wasm) => drop(fuzzing::execute::execute_module(
                wasm,
                interp::Config::default(),
                &mut Unstructured::new(&[]),
            )),
        }
    }
}

#[test]
fn validate_regressions() {
    for (path, regression) in regressions::load("validate") {
        eprintln!("{}", path.display());
        match &regression {
            Regression::Input(data) => fuzzing::validate::validate(data),
            Regression::Module(wasm) => fuzzing::validate::validate_module(wasm),
        }
    }
}

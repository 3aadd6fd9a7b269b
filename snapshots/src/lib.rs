//! Helpers for the WASI snapshot tests.

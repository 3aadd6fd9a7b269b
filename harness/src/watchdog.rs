//! Bounding a file's run in time without changing the code interp runs.
//!
//! Fuel would bound every run deterministically, but metering changes the
//! translated code, and the spec suite must test the translation users get by
//! default. So each file runs on a thread of its own, and the caller waits
//! for it with a deadline. A run that misses it is reported as "did not
//! finish" with the directive it started last; its thread cannot be stopped
//! and spins until the process exits, while the caller goes on.

use std::sync::Arc;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::Duration;

use crate::WastFile;
use crate::outcome::FileResult;
use crate::runner::{Progress, run_file_with_progress};

/// Environment variable overriding [`DEFAULT_LIMIT`], in seconds.
pub const LIMIT_ENV: &str = "INTERP_SPEC_TIMEOUT";

/// How long one file may run. The slowest official file
/// (`proposals/simd/simd_f64x2_pmin_pmax.wast`, mostly parsing) takes 1.9 s
/// under `cargo test` (interp unoptimised, dependencies at `opt-level` 2) on
/// a two-core machine with a load average of 7; the limit is 60 times that,
/// room for slower machines and for files that run more once SIMD lands.
pub const DEFAULT_LIMIT: Duration = Duration::from_secs(120);

/// Native stack for a file's thread: deeply nested modules need more than a
/// test thread has.
const STACK_SIZE: usize = 64 << 20;

/// The limit: [`LIMIT_ENV`] if set, else [`DEFAULT_LIMIT`].
///
/// # Errors
///
/// If the variable is set but not a positive number of seconds.
pub fn limit() -> Result<Duration, String> {
    match std::env::var(LIMIT_ENV) {
        Ok(text) => match text.trim().parse::<f64>() {
            Ok(secs) if secs > 0.0 && secs.is_finite() => Ok(Duration::from_secs_f64(secs)),
            _ => Err(format!("{LIMIT_ENV}={text}: expected a positive number of seconds")),
        },
        Err(_) => Ok(DEFAULT_LIMIT),
    }
}

/// Runs `file` on a thread of its own and waits at most `limit` for it. A run
/// that does not finish in time, or whose harness panicked, is returned as a
/// result with a [`problem`](FileResult::problem).
pub fn run_bounded(file: &WastFile, limit: Duration) -> FileResult {
    let progress = Arc::new(Progress::default());
    let (send, receive) = mpsc::channel();
    let owned = file.clone();
    let thread_progress = Arc::clone(&progress);
    let spawned = std::thread::Builder::new().name(file.name.clone()).stack_size(STACK_SIZE).spawn(
        move || {
            let result = run_file_with_progress(&owned, &thread_progress);
            // The receiver is gone if the caller stopped waiting.
            let _ = send.send(result);
        },
    );
    let handle = match spawned {
        Ok(handle) => handle,
        Err(e) => return FileResult::broken(format!("cannot start a thread for the file: {e}")),
    };
    match receive.recv_timeout(limit) {
        Ok(result) => result,
        Err(RecvTimeoutError::Timeout) => {
            let last = match progress.last_started() {
                Some((at, kind)) => format!("{}:{at} {kind}", file.name),
                None => "none: the file was still being parsed".into(),
            };
            FileResult::broken(format!(
                "did not finish within {} s (last directive started: {last}); raise {LIMIT_ENV} \
                 if the machine is just slow",
                limit.as_secs_f64()
            ))
        }
        Err(RecvTimeoutError::Disconnected) => {
            let panic = handle.join().err();
            let message = panic
                .as_ref()
                .and_then(|p| {
                    p.downcast_ref::<String>()
                        .cloned()
                        .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
                })
                .unwrap_or_default();
            FileResult::broken(format!("the harness panicked: {message}"))
        }
    }
}

#[cfg(test)]
mod tests {
    use std::borrow::Cow;
    use std::time::Instant;

    use super::*;

    fn file(text: &'static str) -> WastFile {
        WastFile { name: "x/loop.wast".into(), folder: "x".into(), text: Cow::Borrowed(text) }
    }

    #[test]
    fn a_run_that_finishes_returns_its_result() {
        let result = run_bounded(
            &file(
                "(module (func (export \"f\") (result i32) (i32.const 1)))\n(assert_return (invoke \"f\") (i32.const 1))",
            ),
            Duration::from_secs(60),
        );
        assert_eq!(result.problem, None);
        assert_eq!(result.counts().passed, 2);
    }

    #[test]
    fn a_run_that_loops_forever_is_reported_and_left_behind() {
        // Without fuel, interp runs this loop until the process exits.
        let text = "(module (func (export \"spin\") (loop (br 0))))\n\n(invoke \"spin\")\n";
        let start = Instant::now();
        let result = run_bounded(&file(text), Duration::from_millis(500));
        assert!(start.elapsed() < Duration::from_secs(30));
        let problem = result.problem.expect("a problem");
        assert!(
            problem.starts_with(
                "did not finish within 0.5 s (last directive started: x/loop.wast:3:2 invoke)"
            ),
            "{problem}"
        );
    }
}

//! A process watchdog for code that runs without fuel.
//!
//! The oracles run interp's default translation, which has no fuel, only
//! where a metered run (wasmi's, or interp's own metered translation) has
//! already finished the same call; interp must then finish too. [`watch`]
//! arms a deadline for one such call: if the call is still running when the
//! deadline passes, a single watchdog thread prints the report, saves the
//! module in [`crate::artifacts_dir`] and aborts the process, so that
//! libFuzzer records a crash and `cargo test` fails loudly instead of hanging.
//!
//! The deadline is [`DEADLINE`] (or `$INTERP_FUZZ_WATCHDOG_SECS` seconds),
//! generous even for the unoptimised build of `cargo test` with every core
//! busy: a call that finished in a metered run takes milliseconds.

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

/// How long a watched call may run.
pub const DEADLINE: Duration = Duration::from_secs(15);

thread_local! {
    static LABEL: RefCell<String> = const { RefCell::new(String::new()) };
}

/// Sets a label (e.g. `"seed 42"`) that reports of watched calls on this
/// thread start with, so that a hang in a seeded test names its seed.
pub fn set_label(label: String) {
    LABEL.with(|l| *l.borrow_mut() = label);
}

/// The label set on this thread, followed by `": "`, or nothing.
pub fn label() -> String {
    LABEL.with(|l| {
        let l = l.borrow();
        if l.is_empty() { String::new() } else { format!("{l}: ") }
    })
}

/// What the watchdog reports if a call does not finish.
#[derive(Debug)]
pub struct Report {
    /// The fuzz target, for the artifacts folder.
    pub target: &'static str,
    /// The module to save.
    pub wasm: Arc<Vec<u8>>,
    /// What did not finish, and why it should have.
    pub message: String,
}

struct Armed {
    deadline: Instant,
    report: Report,
}

fn armed() -> &'static Mutex<HashMap<u64, Armed>> {
    static ARMED: OnceLock<Mutex<HashMap<u64, Armed>>> = OnceLock::new();
    static THREAD: OnceLock<()> = OnceLock::new();
    let map = ARMED.get_or_init(|| Mutex::new(HashMap::new()));
    THREAD.get_or_init(|| {
        std::thread::Builder::new()
            .name("interp-fuzz-watchdog".into())
            .spawn(|| {
                loop {
                    std::thread::sleep(Duration::from_millis(250));
                    let now = Instant::now();
                    let map = armed().lock().unwrap_or_else(|e| e.into_inner());
                    if let Some(expired) = map.values().find(|a| a.deadline <= now) {
                        fire(&expired.report);
                    }
                }
            })
            .expect("the watchdog thread starts");
    });
    map
}

/// The deadline in force.
fn deadline() -> Duration {
    std::env::var("INTERP_FUZZ_WATCHDOG_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .map_or(DEADLINE, Duration::from_secs)
}

/// Prints the report, saves the module and aborts the process. Printing
/// goes to the process's stderr directly, not through `eprintln!`, which a
/// test harness may be capturing (and would lose at the abort).
fn fire(report: &Report) -> ! {
    use std::io::Write;
    let saved = match crate::save_module(&crate::artifacts_dir(report.target), "hang", &report.wasm)
    {
        Ok(path) => format!("module saved as {} (and .wat beside it)", path.display()),
        Err(e) => format!("could not save the module: {e}"),
    };
    let text = format!(
        "\nWATCHDOG: {} (still running after {} s)\nWATCHDOG: {saved}\nWATCHDOG: aborting the process\n",
        report.message,
        deadline().as_secs()
    );
    let _ = std::io::stderr().write_all(text.as_bytes());
    std::process::abort();
}

/// Runs `f` with the watchdog armed: if it has not returned after the
/// deadline, the report is printed and the process aborts. The report is
/// built before `f` runs (a hung thread cannot build it later), so keep it
/// cheap.
pub fn watch<R>(report: Report, f: impl FnOnce() -> R) -> R {
    /// Disarms on drop, so that a panic in `f` does not leave it armed.
    struct Disarm(u64);
    impl Drop for Disarm {
        fn drop(&mut self) {
            armed().lock().unwrap_or_else(|e| e.into_inner()).remove(&self.0);
        }
    }
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let id = NEXT.fetch_add(1, Ordering::Relaxed);
    let deadline = Instant::now() + deadline();
    armed().lock().unwrap_or_else(|e| e.into_inner()).insert(id, Armed { deadline, report });
    let _disarm = Disarm(id);
    f()
}

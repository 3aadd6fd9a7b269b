//! What a run reports: a [`Divergence`] (a finding), or the excuses it made
//! (saved for review in `excused/` under the artifacts folder).

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

/// interp and the reference disagree: both outcomes, what led there, and the
/// module.
#[derive(Debug, Clone)]
pub struct Divergence {
    /// What was compared: the instantiation, a call, or a piece of state
    /// after a call.
    pub what: String,
    /// interp's side.
    pub interp: String,
    /// The reference's side.
    pub wasmi: String,
    /// Which reference that was (`"wasmi"`, `"wasmi 0.31"`, or interp's own
    /// metered translation).
    pub reference: &'static str,
    /// Why the tie-breaker did not settle it: where it parted from interp on
    /// replay, or why it was not consulted.
    pub tie_breaker: String,
    /// Which engine the tie-breaker is for this world: `wasmi 0.31`, or
    /// wasmi 2 on select-free modules (see [`crate::engine::tie_breaker`]).
    pub tie_breaker_name: &'static str,
    /// The steps both engines agreed on before, in order.
    pub history: Vec<String>,
    /// The generated module, as binary (the world is rebuilt from it).
    pub wasm: Vec<u8>,
}

impl fmt::Display for Divergence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "interp and {} diverge at {}", self.reference, self.what)?;
        writeln!(f, "  interp: {}", self.interp)?;
        writeln!(f, "  {}: {}", self.reference, self.wasmi)?;
        writeln!(f, "  ({}: {})", self.tie_breaker_name, self.tie_breaker)?;
        if self.history.is_empty() {
            writeln!(f, "no call before this one")?;
        } else {
            writeln!(f, "agreed before:")?;
            for step in &self.history {
                writeln!(f, "  {step}")?;
            }
        }
        write!(f, "module: {} bytes", self.wasm.len())
    }
}

impl Divergence {
    /// Saves the module as `divergence-<hash>.wasm` and `.wat` in `dir`,
    /// returning the path of the `.wasm`.
    ///
    /// # Errors
    ///
    /// If the files cannot be written.
    pub fn save(&self, dir: &Path) -> std::io::Result<PathBuf> {
        crate::save_module(dir, "divergence", &self.wasm)
    }

    /// Prints the report, saves the module in [`crate::artifacts_dir`], and
    /// panics, which is how a fuzz target reports a finding.
    ///
    /// # Panics
    ///
    /// Always.
    pub fn report(&self) -> ! {
        eprintln!("{self}");
        match self.save(&crate::artifacts_dir("differential")) {
            Ok(path) => eprintln!("module saved as {} (and .wat beside it)", path.display()),
            Err(e) => eprintln!("could not save the module: {e}"),
        }
        panic!("interp and {} diverge at {}", self.reference, self.what);
    }
}

/// At most this many excused modules are saved per process, so that a long
/// fuzzing session keeps a sample rather than filling the disk.
const MAX_SAVED_EXCUSES: usize = 2000;

/// The folder excused modules are saved in: `excused/` in the
/// differential target's artifacts folder.
pub fn excused_dir() -> PathBuf {
    crate::artifacts_dir("differential").join("excused")
}

/// Saves an excused run's module as `excused/<kind>-<hash>.wasm` with the
/// reasons in a `.txt` beside it. `kind` is the first excuse's kind.
pub(super) fn save_excused(wasm: &[u8], excuses: &[(&'static str, String)]) {
    static SAVED: AtomicUsize = AtomicUsize::new(0);
    let Some((kind, _)) = excuses.first() else { return };
    if SAVED.fetch_add(1, Ordering::Relaxed) >= MAX_SAVED_EXCUSES {
        return;
    }
    let write = || -> std::io::Result<()> {
        let dir = excused_dir();
        std::fs::create_dir_all(&dir)?;
        let path = dir.join(format!("{kind}-{:016x}.wasm", crate::hash(wasm)));
        std::fs::write(&path, wasm)?;
        let reasons: Vec<String> = excuses.iter().map(|(k, why)| format!("{k}: {why}\n")).collect();
        std::fs::write(path.with_extension("txt"), reasons.concat())
    };
    if let Err(e) = write() {
        eprintln!("could not save an excused module: {e}");
    }
}

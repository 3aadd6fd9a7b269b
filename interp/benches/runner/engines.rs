//! The two command-line engines and how one run of a WASI command on them is
//! measured: wall time from spawn to exit, the child's peak memory, and what
//! it printed.
//!
//! interp is the `interp` binary cargo built for this bench; with
//! `--interp-before PATH` another interp binary (say, a build of an earlier
//! commit) runs beside it. wasmi is `wasmi_cli` 2.0.0 with its `simd`
//! feature, installed by `cargo install` into `<target dir>/bench-tools`
//! (the runner does it when the binary is missing or cannot run SIMD).
//! Peak memory and CPU time (user + system) are the child's, as GNU `time`
//! (`/usr/bin/time -f '%M %U %S'`) reports them; without that tool those
//! columns stay empty.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

/// The wasmi release measured against.
pub const WASMI_CLI_VERSION: &str = "2.0.0";

#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Engine {
    Interp,
    /// The interp binary given with `--interp-before`.
    InterpBefore,
    Wasmi,
    /// wasmi with `--compilation-mode eager` (translates every function
    /// before running, as interp does).
    WasmiEager,
}

impl Engine {
    pub fn name(self) -> &'static str {
        match self {
            Engine::Interp => "interp",
            Engine::InterpBefore => "interp-before",
            Engine::Wasmi => "wasmi",
            Engine::WasmiEager => "wasmi-eager",
        }
    }
}

/// Paths of everything outside this crate that the runs need.
#[derive(Debug)]
pub struct Tools {
    pub interp: PathBuf,
    pub interp_before: Option<PathBuf>,
    pub wasmi: Option<PathBuf>,
    /// GNU time, for peak memory.
    pub time: Option<PathBuf>,
    /// `<target dir>/bench-tools`: downloads and installs go here.
    pub root: PathBuf,
    /// Print every command line before running it.
    pub verbose: bool,
}

/// The target directory's `bench-tools` folder, found from the `interp`
/// binary's path (`<target dir>/<profile>/interp`).
pub fn tools_root() -> PathBuf {
    let interp = Path::new(env!("CARGO_BIN_EXE_interp"));
    interp
        .parent()
        .and_then(Path::parent)
        .expect("the interp binary lies in <target dir>/<profile>/")
        .join("bench-tools")
}

/// The `wasmi` binary of `wasmi_cli` [`WASMI_CLI_VERSION`] under `root`,
/// installed there first if it is missing or was built without the `simd`
/// feature (which wasmi_cli leaves off by default; cargo reinstalls when
/// the features differ).
pub fn ensure_wasmi(root: &Path) -> Result<PathBuf, String> {
    let bin = root.join("bin").join("wasmi");
    if !bin.exists() || !runs_simd(root, &bin)? {
        eprintln!(
            "installing wasmi_cli {WASMI_CLI_VERSION} with SIMD into {} (once; a few minutes)",
            root.display()
        );
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        let status = Command::new(cargo)
            .args(["install", "wasmi_cli", "--locked", "--features", "simd", "--version"])
            .arg(format!("={WASMI_CLI_VERSION}"))
            .arg("--root")
            .arg(root)
            .env("CARGO_TARGET_DIR", root.join("build"))
            .status()
            .map_err(|e| format!("cannot run cargo install: {e}"))?;
        if !status.success() {
            return Err(format!("cargo install wasmi_cli failed ({status})"));
        }
    }
    let version = Command::new(&bin)
        .arg("--version")
        .output()
        .map_err(|e| format!("cannot run {}: {e}", bin.display()))?;
    let version = String::from_utf8_lossy(&version.stdout);
    if version.trim() != format!("wasmi {WASMI_CLI_VERSION}") {
        return Err(format!(
            "{} is `{}`, not wasmi {WASMI_CLI_VERSION}: remove it to reinstall",
            bin.display(),
            version.trim()
        ));
    }
    if !runs_simd(root, &bin)? {
        return Err(format!("{} does not run SIMD: remove it to reinstall", bin.display()));
    }
    Ok(bin)
}

/// Whether `wasmi` runs a module with a SIMD instruction (a build without
/// the `simd` feature rejects it).
fn runs_simd(root: &Path, wasmi: &Path) -> Result<bool, String> {
    let probe = root.join("simd-probe.wat");
    std::fs::write(
        &probe,
        "(module (func (export \"probe\") (result i32)\n  \
         (i32x4.extract_lane 2 (i32x4.add (v128.const i32x4 1 2 3 4) (v128.const i32x4 5 6 7 8)))))\n",
    )
    .map_err(|e| format!("{}: {e}", probe.display()))?;
    let out = Command::new(wasmi)
        .args(["run", "--invoke", "probe"])
        .arg(&probe)
        .output()
        .map_err(|e| format!("cannot run {}: {e}", wasmi.display()))?;
    Ok(out.status.success() && String::from_utf8_lossy(&out.stdout).trim() == "10")
}

pub fn find_time() -> Option<PathBuf> {
    let time = PathBuf::from("/usr/bin/time");
    let works = Command::new(&time)
        .args(["-f", "%M %U %S", "true"])
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    works.then_some(time)
}

/// A WASI command to run: module, guest arguments, and what the guest may
/// see of the host.
#[derive(Debug, Default)]
pub struct Guest {
    pub module: PathBuf,
    pub args: Vec<String>,
    /// Host directories preopened under their own path.
    pub dirs: Vec<PathBuf>,
    pub env: Vec<(String, String)>,
}

/// One finished run.
#[derive(Debug)]
pub struct Run {
    pub millis: f64,
    /// Peak resident memory of the engine process, in KiB.
    pub max_rss_kib: Option<u64>,
    /// User plus system CPU time of the engine process (10 ms resolution).
    pub cpu_millis: Option<f64>,
    pub stdout: String,
}

impl Tools {
    fn argv(&self, engine: Engine, guest: &Guest) -> Result<Vec<OsString>, String> {
        let mut argv: Vec<OsString> = Vec::new();
        match engine {
            Engine::Interp => argv.push(self.interp.clone().into()),
            Engine::InterpBefore => {
                let before = self.interp_before.as_ref().ok_or("no --interp-before binary")?;
                argv.push(before.clone().into());
            }
            Engine::Wasmi | Engine::WasmiEager => {
                let wasmi = self.wasmi.as_ref().ok_or("wasmi is not available")?;
                argv.push(wasmi.clone().into());
            }
        }
        argv.push("run".into());
        if engine == Engine::WasmiEager {
            argv.extend(["--compilation-mode".into(), "eager".into()]);
        }
        for dir in &guest.dirs {
            argv.extend(["--dir".into(), dir.clone().into()]);
        }
        for (key, value) in &guest.env {
            argv.extend(["--env".into(), format!("{key}={value}").into()]);
        }
        argv.push(guest.module.clone().into());
        argv.extend(guest.args.iter().map(OsString::from));
        Ok(argv)
    }

    /// Runs `guest` on `engine` once; an error if it fails to start or exits
    /// with a failure status. With `rusage`, the run goes through GNU time
    /// (when present) to read peak memory and CPU time, which adds the
    /// wrapper's start-up (about a millisecond) to the wall time.
    pub fn run(&self, engine: Engine, guest: &Guest, rusage: bool) -> Result<Run, String> {
        let argv = self.argv(engine, guest)?;
        if self.verbose {
            let shown: Vec<_> = argv.iter().map(|a| a.to_string_lossy()).collect();
            eprintln!("+ {}", shown.join(" "));
        }
        let rusage_file = self.root.join(format!("rusage-{}.txt", std::process::id()));
        let mut command = match (&self.time, rusage) {
            (Some(time), true) => {
                let mut c = Command::new(time);
                c.args(["-f", "%M %U %S", "-o"]).arg(&rusage_file).args(&argv);
                c
            }
            _ => {
                let mut c = Command::new(&argv[0]);
                c.args(&argv[1..]);
                c
            }
        };
        command.stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped());
        let start = Instant::now();
        let output = command.output().map_err(|e| format!("cannot start {engine:?}: {e}"))?;
        let millis = start.elapsed().as_secs_f64() * 1e3;
        if !output.status.success() {
            return Err(format!(
                "{} failed ({}): {}",
                engine.name(),
                output.status,
                String::from_utf8_lossy(&output.stderr).trim()
            ));
        }
        let (mut max_rss_kib, mut cpu_millis) = (None, None);
        if self.time.is_some() && rusage {
            let text = std::fs::read_to_string(&rusage_file)
                .map_err(|e| format!("{}: {e}", rusage_file.display()))?;
            let _ = std::fs::remove_file(&rusage_file);
            let fields: Vec<&str> = text.lines().last().unwrap_or("").split_whitespace().collect();
            if let [rss, user, system] = fields.as_slice() {
                max_rss_kib = rss.parse().ok();
                cpu_millis = user
                    .parse::<f64>()
                    .ok()
                    .zip(system.parse::<f64>().ok())
                    .map(|(u, s)| (u + s) * 1e3);
            }
        }
        let stdout = String::from_utf8(output.stdout).map_err(|e| format!("stdout: {e}"))?;
        Ok(Run { millis, max_rss_kib, cpu_millis, stdout })
    }
}

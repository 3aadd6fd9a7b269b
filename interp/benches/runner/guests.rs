//! The committed guests of `benches/compiled/`: the program list with its
//! sizes (`programs.txt`), the native checksums (`checksums.txt`) and the
//! paths of the `.wasm` modules. Both text files are written for people and
//! for `build.sh`; this module only reads them.

use std::path::PathBuf;

/// Where the guest workspace lives.
pub fn dir() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/benches/compiled"))
}

/// The committed module of guest `name`.
pub fn wasm(name: &str) -> PathBuf {
    dir().join("wasm").join(format!("{name}.wasm"))
}

/// One line of `programs.txt`.
#[derive(Debug)]
pub struct Program {
    pub name: String,
    pub full: u64,
    pub quick: u64,
}

const PROGRAMS: &str = include_str!("../compiled/programs.txt");
const CHECKSUMS: &str = include_str!("../compiled/checksums.txt");

/// Lines that are neither blank nor `#` comments, split at whitespace.
fn rows(text: &str) -> impl Iterator<Item = Vec<&str>> {
    text.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .map(|line| line.split_whitespace().collect())
}

fn number(text: &str, what: &str) -> u64 {
    text.parse().unwrap_or_else(|_| panic!("{what}: `{text}` is not a number"))
}

pub fn programs() -> Vec<Program> {
    rows(PROGRAMS)
        .map(|fields| {
            // What follows the sizes describes the program, for people.
            let [name, full, quick, ..] = fields.as_slice() else {
                panic!("programs.txt: a line needs name, full, quick: {fields:?}");
            };
            Program {
                name: name.to_string(),
                full: number(full, "programs.txt"),
                quick: number(quick, "programs.txt"),
            }
        })
        .collect()
}

/// What the native build printed for `name` at `size`, if `build.sh`
/// recorded that size.
pub fn native_checksum(name: &str, size: u64) -> Option<String> {
    rows(CHECKSUMS).find_map(|fields| match fields.as_slice() {
        [n, s, checksum] if *n == name && number(s, "checksums.txt") == size => {
            Some(checksum.to_string())
        }
        _ => None,
    })
}

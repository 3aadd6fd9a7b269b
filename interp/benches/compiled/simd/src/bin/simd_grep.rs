//! A small grep built with the `memchr` crate's SIMD search (see
//! `simd_guests::search`): prints every line of the files under PATH...
//! that contains one of the patterns, as `path:line:text`, then a summary
//! of what it read.
//!
//! ```text
//! simd_grep [-c] [-e PATTERN]... [PATTERN] PATH...
//! ```
//!
//! `-e` gives a pattern (repeat it for more); without `-e` the first
//! operand is the pattern. `-c` prints `path:count` of matching lines per
//! file instead of the lines. Directories are searched recursively, their
//! entries in name order, so the output does not depend on the order the
//! file system lists them in. Exit status: 0 if a line matched, 1 if none
//! did, 2 on a usage or I/O error.

use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use simd_guests::files_under;
use simd_guests::search::{Scan, finders, scan};

const USAGE: &str = "usage: simd_grep [-c] [-e PATTERN]... [PATTERN] PATH...";

struct Options {
    count: bool,
    patterns: Vec<Vec<u8>>,
    paths: Vec<PathBuf>,
}

fn parse_args() -> Result<Options, String> {
    let mut options = Options { count: false, patterns: Vec::new(), paths: Vec::new() };
    let mut operands = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "-c" => options.count = true,
            "-e" => options.patterns.push(args.next().ok_or("-e needs a pattern")?.into_bytes()),
            flag if flag.starts_with('-') && flag.len() > 1 => {
                return Err(format!("unknown flag `{flag}`"));
            }
            _ => operands.push(arg),
        }
    }
    let mut operands = operands.into_iter();
    if options.patterns.is_empty() {
        options.patterns.push(operands.next().ok_or("no pattern")?.into_bytes());
    }
    options.paths = operands.map(PathBuf::from).collect();
    if options.paths.is_empty() {
        return Err("no path".to_string());
    }
    Ok(options)
}

fn run(options: &Options) -> Result<bool, String> {
    let finders = finders(&options.patterns)?;
    let mut paths = Vec::new();
    for path in &options.paths {
        files_under(path, &mut paths)?;
    }
    let stdout = std::io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let mut total = Scan::default();
    let (mut bytes, mut matching) = (0, 0);
    for path in &paths {
        let data = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
        let found = scan(&data, &finders);
        let shown = path.display();
        let written = if options.count {
            writeln!(out, "{shown}:{}", found.matching.len())
        } else {
            found.matching.iter().try_for_each(|(line, range)| {
                writeln!(out, "{shown}:{line}:{}", String::from_utf8_lossy(&data[range.clone()]))
            })
        };
        written.map_err(|e| format!("stdout: {e}"))?;
        bytes += data.len();
        matching += found.matching.len();
        total.lines += found.lines;
        total.sentence_ends += found.sentence_ends;
        total.parens += found.parens;
        total.matches += found.matches;
    }
    writeln!(
        out,
        "== {} files, {bytes} bytes, {} lines, {} sentence ends, {} parentheses, {matching} matching lines, {} matches",
        paths.len(),
        total.lines,
        total.sentence_ends,
        total.parens,
        total.matches
    )
    .and_then(|()| out.flush())
    .map_err(|e| format!("stdout: {e}"))?;
    Ok(matching > 0)
}

fn main() -> ExitCode {
    let result = parse_args().map_err(|e| format!("{e}\n{USAGE}")).and_then(|o| run(&o));
    match result {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(err) => {
            eprintln!("simd_grep: {err}");
            ExitCode::from(2)
        }
    }
}

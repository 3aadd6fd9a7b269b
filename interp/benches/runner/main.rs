//! The compiled-program benchmark, interp against wasmi 2.0, plus start-up,
//! peak memory and host-to-wasm call overhead.
//!
//! ```sh
//! cargo bench -p interp --bench programs                  # every table
//! cargo bench -p interp --bench programs -- json sort     # rows whose name contains "json" or "sort"
//! cargo bench -p interp --bench programs -- --quick       # small sizes, 2 runs: a smoke test
//! cargo bench -p interp --bench programs -- --runs 9      # more timed runs per engine (default 5)
//! cargo bench -p interp --bench programs -- --engine interp lz77   # one engine; prints its command line
//! cargo bench -p interp --bench programs -- --interp-before OLD/interp   # and another interp build
//! ```
//!
//! Tables, each row selected by the name filters (none: all rows):
//! - **compiled programs**: every program of `benches/compiled/programs.txt`
//!   (rustc-compiled WASI commands, committed as `.wasm`) run as `interp run`
//!   and as `wasmi run` (wasmi_cli 2.0.0, default lazy translation), engines
//!   taking turns for `--runs` runs each; median wall time per engine, the
//!   ratio interp/wasmi, the spread ((slowest - fastest) / median, the larger
//!   of the two engines'), the ratio of median CPU times (user + system: a
//!   cross-check that waiting for a busy machine's cores did not skew the
//!   wall times) and the geometric mean of the ratios. Every run's checksum
//!   must equal the native build's (`checksums.txt`). With `--interp-before
//!   PATH`, that interp binary takes its turns too, and the table adds its
//!   median time and the ratios interp/before (wall and CPU): a before/after
//!   comparison measured in one run (`--engine interp` leaves wasmi out).
//! - **peak memory**: the median of the same runs' maximum resident set size.
//! - **start-up**: `hello` (a Rust hello-world command) and `python`
//!   (CPython 3.11 for WASI, 20 MB, running a one-line script), also on wasmi
//!   with eager translation.
//! - **host calls**: `call-*` rows, nanoseconds per `TypedFunc::call` /
//!   `Func::call` of trivial exports, both engines as libraries.
//!
//! The `.wat` programs have their own bench: `cargo bench -p interp --bench
//! compare` (`cargo bench -p interp` runs both). Nothing here asserts on time.

mod calls;
mod engines;
mod guests;
mod python;
mod stats;

use std::process::ExitCode;

use engines::{Engine, Guest, Tools};
use stats::{Samples, cell, geomean, ratio, ratio_cell};

struct Options {
    filters: Vec<String>,
    quick: bool,
    /// Runs per engine and program (`--runs`, default 5; 2 with `--quick`).
    runs: usize,
    /// `None`: both engines.
    engine: Option<Engine>,
    /// Another interp binary to compare with (`--interp-before`).
    interp_before: Option<std::path::PathBuf>,
}

const USAGE: &str = "usage: programs [FILTER...] [--quick] [--runs N] [--engine interp|wasmi] \
                     [--interp-before PATH]";

fn parse_args() -> Result<Options, String> {
    let mut options =
        Options { filters: Vec::new(), quick: false, runs: 0, engine: None, interp_before: None };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--quick" => options.quick = true,
            "--runs" => {
                let n = args.next().ok_or("--runs needs a number")?;
                options.runs = n
                    .parse()
                    .ok()
                    .filter(|&n| n > 0)
                    .ok_or_else(|| format!("--runs: `{n}` is not a positive number"))?;
            }
            "--engine" => {
                options.engine = Some(match args.next().as_deref() {
                    Some("interp") => Engine::Interp,
                    Some("wasmi") => Engine::Wasmi,
                    other => {
                        return Err(format!("--engine: expected interp or wasmi, got {other:?}"));
                    }
                })
            }
            "--interp-before" => {
                let path =
                    args.next().ok_or("--interp-before needs the path of an interp binary")?;
                let path = std::path::PathBuf::from(path);
                if !path.is_file() {
                    return Err(format!("--interp-before: {} is not a file", path.display()));
                }
                options.interp_before = Some(path);
            }
            // `cargo bench` passes `--bench` to every bench binary.
            "--bench" => {}
            flag if flag.starts_with("--") => return Err(format!("unknown flag `{flag}`")),
            name => options.filters.push(name.to_string()),
        }
    }
    if options.runs == 0 {
        options.runs = if options.quick { 2 } else { 5 };
    }
    Ok(options)
}

impl Options {
    fn selected(&self, name: &str) -> bool {
        self.filters.is_empty() || self.filters.iter().any(|f| name.contains(f.as_str()))
    }

    fn uses(&self, engine: Engine) -> bool {
        match engine {
            // The before binary runs beside interp.
            Engine::InterpBefore => self.interp_before.is_some() && self.uses(Engine::Interp),
            _ => self.engine.is_none_or(|e| e == engine),
        }
    }
}

/// The engines' measurements of one row (`before`: `--interp-before`).
#[derive(Default)]
struct Pair {
    interp: Samples,
    before: Samples,
    wasmi: Samples,
}

impl Pair {
    fn samples(&mut self, engine: Engine) -> &mut Samples {
        match engine {
            Engine::Interp => &mut self.interp,
            Engine::InterpBefore => &mut self.before,
            Engine::Wasmi | Engine::WasmiEager => &mut self.wasmi,
        }
    }

    fn ratio(&self) -> Option<f64> {
        ratio(&self.interp, &self.wasmi)
    }

    fn ratio_to_before(&self) -> Option<f64> {
        ratio(&self.interp, &self.before)
    }
}

/// The engines of a comparison, in the order they run in round `round`:
/// taking turns, so none always runs first. `with_before`: include the
/// `--interp-before` binary, if given.
fn order(options: &Options, round: usize, with_before: bool) -> Vec<Engine> {
    let mut engines: Vec<Engine> = [Engine::Interp, Engine::InterpBefore, Engine::Wasmi]
        .into_iter()
        .filter(|&e| options.uses(e) && (with_before || e != Engine::InterpBefore))
        .collect();
    if !engines.is_empty() {
        let n = engines.len();
        engines.rotate_left(round % n);
    }
    engines
}

fn kib_to_mib(kib: u64) -> f64 {
    kib as f64 / 1024.0
}

fn compiled_programs(options: &Options, tools: &Tools) -> Result<(), String> {
    let programs: Vec<_> =
        guests::programs().into_iter().filter(|p| options.selected(&p.name)).collect();
    if programs.is_empty() {
        return Ok(());
    }
    println!(
        "Compiled programs: {} runs per engine, median wall time{}",
        options.runs,
        if options.quick { " (--quick sizes)" } else { "" }
    );
    let before = options.uses(Engine::InterpBefore);
    if before {
        println!(
            "(before: {}; interp/before below 1: this build is faster)",
            tools.interp_before.as_ref().map_or(String::new(), |p| p.display().to_string())
        );
    }
    println!(
        "{:<12} {:>8} {:>10} {:>10} {:>13} {:>7} {:>6}{}  checksum",
        "program",
        "size",
        "interp ms",
        "wasmi ms",
        "interp/wasmi",
        "spread",
        "cpu",
        if before {
            format!(" {:>10} {:>13} {:>6}", "before ms", "interp/before", "cpu")
        } else {
            String::new()
        }
    );
    let (mut ratios, mut cpu_ratios) = (Vec::new(), Vec::new());
    let (mut before_ratios, mut before_cpu_ratios) = (Vec::new(), Vec::new());
    let mut before_failures = Vec::new();
    let mut memory = Vec::new();
    for program in &programs {
        let size = if options.quick { program.quick } else { program.full };
        let guest = Guest {
            module: guests::wasm(&program.name),
            args: vec![size.to_string()],
            ..Guest::default()
        };
        let native = guests::native_checksum(&program.name, size);
        let mut expected = native.clone();
        let (mut time, mut cpu, mut rss) = (Pair::default(), Pair::default(), Pair::default());
        // The before binary may lack what a program needs (a feature added
        // since): it is left out of that program's row.
        let mut before_failed = None;
        for round in 0..options.runs {
            for engine in order(options, round, before_failed.is_none()) {
                let run = match tools.run(engine, &guest, true) {
                    Err(err) if engine == Engine::InterpBefore => {
                        before_failed = Some(err);
                        continue;
                    }
                    run => run?,
                };
                let got = run.stdout.trim();
                match &expected {
                    Some(want) if want != got => {
                        return Err(format!(
                            "{} {size}: {} printed `{got}`, expected `{want}`{}",
                            program.name,
                            engine.name(),
                            if native.is_some() { " (native build)" } else { " (earlier run)" }
                        ));
                    }
                    Some(_) => {}
                    None => expected = Some(got.to_string()),
                }
                time.samples(engine).push(run.millis);
                if let Some(millis) = run.cpu_millis {
                    cpu.samples(engine).push(millis);
                }
                if let Some(kib) = run.max_rss_kib {
                    rss.samples(engine).push(kib_to_mib(kib));
                }
            }
        }
        let spread = [&time.interp, &time.before, &time.wasmi]
            .into_iter()
            .filter(|s| !s.is_empty())
            .map(Samples::spread)
            .fold(0.0, f64::max);
        ratios.extend(time.ratio());
        cpu_ratios.extend(cpu.ratio());
        before_ratios.extend(time.ratio_to_before());
        before_cpu_ratios.extend(cpu.ratio_to_before());
        println!(
            "{:<12} {:>8} {:>10} {:>10} {:>13} {:>6.0}% {:>6}{}  {}{}",
            program.name,
            size,
            cell(&time.interp, 1),
            cell(&time.wasmi, 1),
            ratio_cell(time.ratio()),
            spread * 100.0,
            ratio_cell(cpu.ratio()),
            if before {
                format!(
                    " {:>10} {:>13} {:>6}",
                    cell(&time.before, 1),
                    ratio_cell(time.ratio_to_before()),
                    ratio_cell(cpu.ratio_to_before())
                )
            } else {
                String::new()
            },
            expected.unwrap_or_default(),
            if native.is_some() { " = native" } else { "" }
        );
        memory.push((program.name.clone(), rss));
        if let Some(err) = before_failed {
            let first = err.lines().next().unwrap_or_default().to_string();
            before_failures.push(format!("{}: {first}", program.name));
        }
    }
    let mean = |ratios: &[f64]| {
        if ratios.is_empty() { "-".to_string() } else { format!("{:.2}", geomean(ratios)) }
    };
    if !ratios.is_empty() || !before_ratios.is_empty() {
        let largest = |ratios: &[f64]| ratios.iter().copied().fold(0.0, f64::max);
        println!(
            "{:<12} {:>8} {:>10} {:>10} {:>13} {:>7} {:>6}{}  (largest ratio {})",
            "geomean",
            "",
            "",
            "",
            mean(&ratios),
            "",
            mean(&cpu_ratios),
            if before {
                format!(" {:>10} {:>13} {:>6}", "", mean(&before_ratios), mean(&before_cpu_ratios))
            } else {
                String::new()
            },
            if ratios.is_empty() {
                format!("interp/before {:.2}", largest(&before_ratios))
            } else if before_ratios.is_empty() {
                format!("{:.2}", largest(&ratios))
            } else {
                format!("{:.2}, interp/before {:.2}", largest(&ratios), largest(&before_ratios))
            }
        );
    }
    for failure in &before_failures {
        println!("(interp-before did not run {failure})");
    }

    if memory.iter().all(|(_, rss)| rss.interp.is_empty() && rss.wasmi.is_empty()) {
        println!("\n(peak memory not measured: /usr/bin/time, GNU time, is missing)");
        return Ok(());
    }
    println!("\nPeak memory of the same runs: max RSS of the engine process, median");
    println!("{:<12} {:>11} {:>11} {:>13}", "program", "interp MiB", "wasmi MiB", "interp/wasmi");
    let mut ratios = Vec::new();
    for (name, rss) in &memory {
        ratios.extend(rss.ratio());
        println!(
            "{:<12} {:>11} {:>11} {:>13}",
            name,
            cell(&rss.interp, 1),
            cell(&rss.wasmi, 1),
            ratio_cell(rss.ratio())
        );
    }
    if !ratios.is_empty() {
        println!("{:<12} {:>11} {:>11} {:>13.2}", "geomean", "", "", geomean(&ratios));
    }
    Ok(())
}

/// One start-up row: a command, its expected output and how often to run it.
struct Startup {
    name: &'static str,
    what: String,
    guest: Result<Guest, String>,
    expected: &'static str,
    runs: usize,
}

fn startup(options: &Options, tools: &Tools) -> Result<(), String> {
    let mut rows = Vec::new();
    if options.selected("hello") {
        rows.push(Startup {
            name: "hello",
            what: "Rust hello world".to_string(),
            guest: Ok(Guest { module: guests::wasm("hello"), ..Guest::default() }),
            expected: "hello, world",
            runs: if options.quick { 3 } else { 4 * options.runs + 1 },
        });
    }
    if options.selected("python") {
        rows.push(Startup {
            name: "python",
            what: format!("CPython 3.11 -c '{}'", python::SCRIPT),
            guest: python::guest(&tools.root),
            expected: python::EXPECTED,
            runs: if options.quick { 1 } else { options.runs },
        });
    }
    if rows.is_empty() {
        return Ok(());
    }
    println!("\nStart-up: a whole command, median wall time; wasmi lazy (its default) and eager");
    println!(
        "{:<8} {:>8} {:>10} {:>10} {:>13} {:>10} {:>11} {:>11}  command",
        "module",
        "MB",
        "interp ms",
        "wasmi ms",
        "interp/wasmi",
        "eager ms",
        "interp MiB",
        "wasmi MiB"
    );
    for row in rows {
        let guest = match row.guest {
            Ok(guest) => guest,
            Err(err) => {
                println!("{:<8} (not run: {err})", row.name);
                continue;
            }
        };
        let (mut time, mut eager, mut rss) = (Pair::default(), Samples::default(), Pair::default());
        for round in 0..row.runs {
            let mut engines = order(options, round, false);
            if options.uses(Engine::Wasmi) {
                engines.push(Engine::WasmiEager);
            }
            for engine in engines {
                let run = tools.run(engine, &guest, false)?;
                if run.stdout.trim() != row.expected {
                    return Err(format!(
                        "{}: {} printed `{}`",
                        row.name,
                        engine.name(),
                        run.stdout.trim()
                    ));
                }
                match engine {
                    Engine::WasmiEager => eager.push(run.millis),
                    _ => time.samples(engine).push(run.millis),
                }
            }
        }
        // Memory from one extra run each (through GNU time, whose own
        // start-up would distort the timed runs above).
        for engine in order(options, 0, false) {
            if let Some(kib) = tools.run(engine, &guest, true)?.max_rss_kib {
                rss.samples(engine).push(kib_to_mib(kib));
            }
        }
        let megabytes = std::fs::metadata(&guest.module).map_or(0.0, |m| m.len() as f64 / 1e6);
        println!(
            "{:<8} {:>8.2} {:>10} {:>10} {:>13} {:>10} {:>11} {:>11}  {}",
            row.name,
            megabytes,
            cell(&time.interp, 1),
            cell(&time.wasmi, 1),
            ratio_cell(time.ratio()),
            cell(&eager, 1),
            cell(&rss.interp, 1),
            cell(&rss.wasmi, 1),
            row.what
        );
    }
    Ok(())
}

fn host_calls(options: &Options) {
    let cases: Vec<_> = calls::CASES.iter().filter(|c| options.selected(c.name)).collect();
    if cases.is_empty() {
        return;
    }
    let (count, batches) =
        if options.quick { (10_000, 3) } else { (1_000_000, 2 * options.runs + 1) };
    println!(
        "\nHost-to-wasm calls: {count} calls per batch, {batches} batches per engine, median ns per call"
    );
    println!(
        "{:<13} {:<34} {:>10} {:>10} {:>13}",
        "row", "call", "interp ns", "wasmi ns", "interp/wasmi"
    );
    for case in cases {
        let [interp, wasmi] = calls::measure(
            case,
            count,
            batches,
            options.uses(Engine::Interp),
            options.uses(Engine::Wasmi),
        );
        println!(
            "{:<13} {:<34} {:>10} {:>10} {:>13}",
            case.name,
            case.what,
            cell(&interp, 1),
            cell(&wasmi, 1),
            ratio_cell(ratio(&interp, &wasmi))
        );
    }
}

fn main() -> ExitCode {
    let options = match parse_args() {
        Ok(options) => options,
        Err(err) => {
            eprintln!("programs: {err}\n{USAGE}");
            return ExitCode::FAILURE;
        }
    };
    let root = engines::tools_root();
    if let Err(err) = std::fs::create_dir_all(&root) {
        eprintln!("programs: cannot create {}: {err}", root.display());
        return ExitCode::FAILURE;
    }
    let wasmi = if options.uses(Engine::Wasmi) {
        match engines::ensure_wasmi(&root) {
            Ok(path) => Some(path),
            Err(err) => {
                eprintln!("programs: wasmi: {err}");
                return ExitCode::FAILURE;
            }
        }
    } else {
        None
    };
    let tools = Tools {
        interp: env!("CARGO_BIN_EXE_interp").into(),
        interp_before: options.interp_before.clone(),
        wasmi,
        time: engines::find_time(),
        root,
        verbose: options.engine.is_some(),
    };
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    println!(
        "load average at start: {}",
        load.split_whitespace().take(3).collect::<Vec<_>>().join(" ")
    );
    let result = compiled_programs(&options, &tools).and_then(|()| startup(&options, &tools));
    if let Err(err) = result {
        eprintln!("programs: {err}");
        return ExitCode::FAILURE;
    }
    host_calls(&options);
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    println!(
        "\nload average at end: {}",
        load.split_whitespace().take(3).collect::<Vec<_>>().join(" ")
    );
    ExitCode::SUCCESS
}

//! Side-by-side benchmark: the same compute programs on interp and on wasmi.
//!
//! ```sh
//! cargo bench -p interp --bench compare                    # all programs
//! cargo bench -p interp --bench compare -- sieve           # names containing "sieve"
//! cargo bench -p interp --bench compare -- --quick         # small workloads (smoke test)
//! cargo bench -p interp --bench compare -- --runs 9 vm     # more timed runs
//! cargo bench -p interp --bench compare -- --arg 100 matmul # another workload size
//! cargo bench -p interp --bench compare -- --engine interp fib   # one engine (for a profiler)
//! cargo bench -p interp --bench compare -- --disasm hash   # print interp's IR, run nothing
//! ```
//!
//! Each program in `benches/programs/` exports `run(i32) -> i64`: the argument
//! sizes the workload and the result is a checksum. Per program the text is
//! assembled once and both engines compile the same bytes (not timed); the first
//! call on each engine is a warm-up whose checksums must agree, then the engines
//! take turns for `--runs` timed calls and the table shows each median, the ratio
//! interp/wasmi, and the spread (slowest minus fastest run over the median, the
//! larger of the two engines') as a noise gauge. The last line is the geometric
//! mean of the ratios. Every timed call's checksum is checked too, so a program
//! that depended on state left by an earlier call would be caught. Nothing here
//! asserts on time.

use std::process::ExitCode;
use std::time::{Duration, Instant};

/// One benchmark program.
struct Program {
    name: &'static str,
    wat: &'static str,
    /// The argument to `run` for the full workload (about 0.2–1 s on wasmi).
    full: i32,
    /// The argument under `--quick`.
    quick: i32,
}

const PROGRAMS: &[Program] = &[
    Program { name: "fib", wat: include_str!("programs/fib.wat"), full: 35, quick: 20 },
    Program { name: "sieve", wat: include_str!("programs/sieve.wat"), full: 40, quick: 1 },
    Program { name: "matmul", wat: include_str!("programs/matmul.wat"), full: 400, quick: 20 },
    Program { name: "hash", wat: include_str!("programs/hash.wat"), full: 480, quick: 1 },
    Program { name: "vm", wat: include_str!("programs/vm.wat"), full: 2_500_000, quick: 1_000 },
    Program {
        name: "indirect",
        wat: include_str!("programs/indirect.wat"),
        full: 20_000_000,
        quick: 1_000,
    },
];

#[derive(Copy, Clone, PartialEq, Eq)]
enum Which {
    Both,
    Interp,
    Wasmi,
}

struct Options {
    filter: Option<String>,
    quick: bool,
    runs: usize,
    /// Overrides every selected program's argument.
    arg: Option<i32>,
    which: Which,
    disasm: bool,
}

fn parse_args() -> Result<Options, String> {
    let mut options = Options {
        filter: None,
        quick: false,
        runs: 5,
        arg: None,
        which: Which::Both,
        disasm: false,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--quick" => options.quick = true,
            "--disasm" => options.disasm = true,
            "--runs" => {
                let n = args.next().ok_or("--runs needs a number")?;
                options.runs = n
                    .parse()
                    .ok()
                    .filter(|&n| n > 0)
                    .ok_or_else(|| format!("--runs: `{n}` is not a positive number"))?;
            }
            "--arg" => {
                let n = args.next().ok_or("--arg needs a number")?;
                options.arg = Some(n.parse().map_err(|_| format!("--arg: `{n}` is not an i32"))?);
            }
            "--engine" => {
                options.which = match args.next().as_deref() {
                    Some("interp") => Which::Interp,
                    Some("wasmi") => Which::Wasmi,
                    other => {
                        return Err(format!("--engine: expected interp or wasmi, got {other:?}"));
                    }
                }
            }
            // `cargo bench` passes `--bench` to every bench binary.
            "--bench" => {}
            flag if flag.starts_with("--") => return Err(format!("unknown flag `{flag}`")),
            name => options.filter = Some(name.to_string()),
        }
    }
    Ok(options)
}

/// An instantiated program on one engine.
trait Runner {
    fn call(&mut self, arg: i32) -> i64;
}

struct Interp {
    store: interp::Store<()>,
    run: interp::TypedFunc<i32, i64>,
}

impl Interp {
    fn new(module: &interp::Module) -> Interp {
        let mut store = interp::Store::new(module.engine(), ());
        let instance = interp::Linker::new(module.engine())
            .instantiate(&mut store, module)
            .expect("interp: instantiate");
        let run = instance.get_typed_func::<i32, i64>(&store, "run").expect("interp: export `run`");
        Interp { store, run }
    }
}

impl Runner for Interp {
    fn call(&mut self, arg: i32) -> i64 {
        self.run
            .call(&mut self.store, arg)
            .unwrap_or_else(|err| panic!("interp: run({arg}) failed: {err}"))
    }
}

struct Wasmi {
    store: wasmi::Store<()>,
    run: wasmi::TypedFunc<i32, i64>,
}

impl Wasmi {
    fn new(wasm: &[u8]) -> Wasmi {
        let engine = wasmi::Engine::default();
        let module = wasmi::Module::new(&engine, wasm).expect("wasmi: compile");
        let mut store = wasmi::Store::new(&engine, ());
        let instance = wasmi::Linker::<()>::new(&engine)
            .instantiate_and_start(&mut store, &module)
            .expect("wasmi: instantiate");
        let run = instance.get_typed_func::<i32, i64>(&store, "run").expect("wasmi: export `run`");
        Wasmi { store, run }
    }
}

impl Runner for Wasmi {
    fn call(&mut self, arg: i32) -> i64 {
        self.run
            .call(&mut self.store, arg)
            .unwrap_or_else(|err| panic!("wasmi: run({arg}) failed: {err}"))
    }
}

/// One engine's timed runs of one program.
struct Timings {
    times: Vec<Duration>,
}

impl Timings {
    fn median_ms(&self) -> f64 {
        let mut sorted = self.times.clone();
        sorted.sort();
        let n = sorted.len();
        let median =
            if n % 2 == 1 { sorted[n / 2] } else { (sorted[n / 2 - 1] + sorted[n / 2]) / 2 };
        median.as_secs_f64() * 1e3
    }

    /// (slowest - fastest) / median.
    fn spread(&self) -> f64 {
        let min = self.times.iter().min().unwrap().as_secs_f64() * 1e3;
        let max = self.times.iter().max().unwrap().as_secs_f64() * 1e3;
        (max - min) / self.median_ms()
    }
}

/// Calls `run(arg)` once, checking the checksum; returns the wall time.
fn timed(name: &str, engine: &str, runner: &mut dyn Runner, arg: i32, expected: i64) -> Duration {
    let start = Instant::now();
    let got = runner.call(arg);
    let elapsed = start.elapsed();
    if got != expected {
        panic!("{name}: {engine} returned {got:#018x}, earlier calls returned {expected:#018x}");
    }
    elapsed
}

fn main() -> ExitCode {
    let options = match parse_args() {
        Ok(options) => options,
        Err(err) => {
            eprintln!("compare: {err}");
            eprintln!(
                "usage: compare [FILTER] [--quick] [--runs N] [--arg N] [--engine interp|wasmi] [--disasm]"
            );
            return ExitCode::FAILURE;
        }
    };
    let selected: Vec<&Program> = PROGRAMS
        .iter()
        .filter(|p| options.filter.as_deref().is_none_or(|f| p.name.contains(f)))
        .collect();
    if selected.is_empty() {
        eprintln!("compare: no program matches {:?}", options.filter);
        return ExitCode::FAILURE;
    }

    let interp_engine = interp::Engine::default();
    if options.disasm {
        for program in &selected {
            let module = interp::Module::new(&interp_engine, program.wat).expect("interp: compile");
            println!(";; ---- {} ----", program.name);
            print!("{}", module.disassemble());
        }
        return ExitCode::SUCCESS;
    }

    println!(
        "{} timed runs per engine, median wall time{}",
        options.runs,
        if options.quick { " (--quick workloads)" } else { "" }
    );
    println!(
        "{:<10} {:>9} {:>11} {:>11} {:>13} {:>7}  checksum",
        "program", "arg", "interp ms", "wasmi ms", "interp/wasmi", "spread"
    );
    let mut ratios = Vec::new();
    for program in selected {
        let arg = match options.arg {
            Some(arg) => arg,
            None if options.quick => program.quick,
            None => program.full,
        };
        let wasm = wat::parse_str(program.wat)
            .unwrap_or_else(|err| panic!("{}: not valid text: {err}", program.name));
        let mut engines: Vec<(&str, Box<dyn Runner>)> = Vec::new();
        if options.which != Which::Wasmi {
            let module = interp::Module::new(&interp_engine, &wasm).expect("interp: compile");
            engines.push(("interp", Box::new(Interp::new(&module))));
        }
        if options.which != Which::Interp {
            engines.push(("wasmi", Box::new(Wasmi::new(&wasm))));
        }

        // Warm-up call: both engines must agree on the checksum.
        let checksums: Vec<i64> = engines.iter_mut().map(|(_, r)| r.call(arg)).collect();
        if checksums.windows(2).any(|w| w[0] != w[1]) {
            panic!(
                "{}: checksums differ: interp {:#018x}, wasmi {:#018x}",
                program.name, checksums[0], checksums[1]
            );
        }
        let checksum = checksums[0];

        // Timed calls, engines taking turns so that load from other processes
        // hits both alike.
        let mut timings: Vec<Timings> =
            engines.iter().map(|_| Timings { times: Vec::new() }).collect();
        for _ in 0..options.runs {
            for ((engine, runner), t) in engines.iter_mut().zip(&mut timings) {
                t.times.push(timed(program.name, engine, runner.as_mut(), arg, checksum));
            }
        }

        let cell = |engine: &str| {
            engines
                .iter()
                .position(|(e, _)| *e == engine)
                .map(|i| format!("{:.1}", timings[i].median_ms()))
                .unwrap_or_else(|| "-".to_string())
        };
        let ratio = if timings.len() == 2 {
            let r = timings[0].median_ms() / timings[1].median_ms();
            ratios.push(r);
            format!("{r:.2}")
        } else {
            "-".to_string()
        };
        let spread = timings.iter().map(Timings::spread).fold(0.0, f64::max);
        println!(
            "{:<10} {:>9} {:>11} {:>11} {:>13} {:>6.0}%  {:#018x}",
            program.name,
            arg,
            cell("interp"),
            cell("wasmi"),
            ratio,
            spread * 100.0,
            checksum
        );
    }
    if !ratios.is_empty() {
        let geomean = (ratios.iter().map(|r| r.ln()).sum::<f64>() / ratios.len() as f64).exp();
        println!("{:<10} {:>9} {:>11} {:>11} {:>13.2}", "geomean", "", "", "", geomean);
    }
    ExitCode::SUCCESS
}

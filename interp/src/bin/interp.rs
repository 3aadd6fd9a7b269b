//! The `interp` command-line runner.
//!
//! `interp run [OPTIONS] MODULE [ARGS...]` instantiates a `.wasm` or `.wat`
//! module with WASI Preview 1 and runs its `_start` export, or with `--invoke
//! NAME` the named export with `ARGS` parsed by its parameter types, printing
//! each result on its own line. The guest gets `ARGS` after `argv[0]` (the
//! module's file name, as wasmtime gives it), the environment given with
//! `--env`, the directories given with `--dir` and the sockets given with
//! `--tcplisten`; its stdio is the runner's.
//!
//! The exit status is the guest's `proc_exit` code (0 if it returns). A trap
//! prints its kind and wasm backtrace on stderr and exits with status 134,
//! as wasmtime does; so does an uncaught wasm exception, printed with its tag,
//! payload and backtrace; other errors (a module that does not load or link) exit
//! with 1.

use std::io::Write;
use std::net::TcpListener;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use interp::wasi::WasiCtx;
use interp::{Config, Engine, Error, Func, Instance, Linker, Module, Store, V128, Val, ValType};
use serde_json::json;

#[derive(Parser)]
#[command(name = "interp", version, about = "A WebAssembly interpreter")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run a WebAssembly module.
    Run(RunArgs),
}

#[derive(clap::Args)]
struct RunArgs {
    /// Give the guest the host directory HOST, named GUEST (default: HOST).
    #[arg(long = "dir", value_name = "HOST[::GUEST]")]
    dirs: Vec<String>,
    /// Set the guest environment variable NAME to VAL (`--env NAME` passes
    /// the host's value).
    #[arg(long = "env", value_name = "NAME[=VAL]")]
    envs: Vec<String>,
    /// Listen on a TCP address and give the guest the socket (for `sock_accept`).
    #[arg(long = "tcplisten", value_name = "HOST:PORT")]
    tcplisten: Vec<String>,
    /// Call this export instead of `_start`; ARGS are its parameters: integers
    /// (decimal or 0x hex), floats (`inf`, `nan` too), and v128 values as
    /// `0x` + 32 hex digits or a lane shape and lanes (`i32x4:1,2,3,4`).
    #[arg(long, value_name = "NAME")]
    invoke: Option<String>,
    /// Run with this much fuel (roughly, instructions); a trap when it runs out.
    #[arg(long, value_name = "N")]
    fuel: Option<u64>,
    /// Print every executed wasm instruction (function, offset, operator) on stderr.
    #[arg(long)]
    trace: bool,
    /// Print every WASI call (arguments, errno, results) on stderr.
    #[arg(long)]
    trace_syscalls: bool,
    /// After the run, hex-dump bytes START..END of memory 0 on stderr.
    #[arg(long, value_name = "START..END", value_parser = parse_range)]
    dump_memory: Option<(usize, usize)>,
    /// Print the outcome (exit code or trap with backtrace, fuel used) as one
    /// JSON object on stderr, instead of an error message.
    #[arg(long)]
    json: bool,
    /// The module: a binary `.wasm` or a text `.wat` file.
    module: PathBuf,
    /// Arguments for the guest (or the invoked function).
    #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
    args: Vec<String>,
}

/// Exit status of a run that trapped (128 + SIGABRT, as wasmtime).
const TRAP_STATUS: u8 = 134;

/// How a run ended.
struct Outcome {
    result: Result<Vec<Val>, Error>,
    fuel_used: Option<u64>,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Run(args) => {
            let outcome = run(&args);
            let status = exit_status(&outcome.result);
            if args.json {
                let _ = writeln!(std::io::stderr(), "{}", outcome_json(&outcome, status));
            } else {
                match &outcome.result {
                    Ok(results) => {
                        for result in results {
                            println!("{}", format_val(result));
                        }
                    }
                    Err(err) if err.i32_exit_status().is_some() => {}
                    Err(err) => eprintln!("error: {err}"),
                }
            }
            ExitCode::from(status)
        }
    }
}

fn exit_status(result: &Result<Vec<Val>, Error>) -> u8 {
    match result {
        Ok(_) => 0,
        Err(err) => match err.i32_exit_status() {
            Some(status) => status as u8,
            None if err.as_trap().is_some() || err.as_exception().is_some() => TRAP_STATUS,
            None => 1,
        },
    }
}

fn outcome_json(outcome: &Outcome, status: u8) -> serde_json::Value {
    let mut out = match &outcome.result {
        Ok(results) => json!({
            "outcome": "returned",
            "results": results.iter().map(format_val).collect::<Vec<_>>(),
        }),
        Err(err) => match (err.i32_exit_status(), err.as_trap()) {
            (Some(_), _) => json!({ "outcome": "exit" }),
            (None, Some(trap)) => json!({
                "outcome": "trap",
                "trap": trap.code().message(),
                "backtrace": trap.trace().iter().map(|frame| json!({
                    "func_index": frame.func_index,
                    "func_name": frame.func_name,
                    "offset": frame.offset,
                })).collect::<Vec<_>>(),
            }),
            (None, None) => match err.as_exception() {
                Some(exception) => json!({
                    "outcome": "exception",
                    "payload": exception.payload().iter().map(format_val).collect::<Vec<_>>(),
                    "backtrace": exception.trace().iter().map(|frame| json!({
                        "func_index": frame.func_index,
                        "func_name": frame.func_name,
                        "offset": frame.offset,
                    })).collect::<Vec<_>>(),
                }),
                None => json!({ "outcome": "error", "message": err.to_string() }),
            },
        },
    };
    out["exit_code"] = json!(status);
    out["fuel_used"] = json!(outcome.fuel_used);
    out
}

/// Parses `START..END` (decimal or `0x` hexadecimal).
fn parse_range(s: &str) -> Result<(usize, usize), String> {
    let num = |t: &str| -> Result<usize, String> {
        let t = t.trim();
        match t.strip_prefix("0x").or_else(|| t.strip_prefix("0X")) {
            Some(hex) => usize::from_str_radix(hex, 16),
            None => t.parse(),
        }
        .map_err(|e| format!("`{t}`: {e}"))
    };
    let (start, end) = s.split_once("..").ok_or("expected START..END")?;
    let (start, end) = (num(start)?, num(end)?);
    if start > end {
        return Err(format!("the range {start:#x}..{end:#x} is empty"));
    }
    Ok((start, end))
}

/// The WASI context for the command line: inherited stdio, the host clock
/// and random source.
fn wasi_ctx(args: &RunArgs) -> Result<WasiCtx, Error> {
    let argv0 =
        args.module.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let mut builder = WasiCtx::builder().inherit_stdio().arg(argv0).args(&args.args);
    for env in &args.envs {
        builder = match env.split_once('=') {
            Some((key, value)) => builder.env(key, value),
            None => match std::env::var_os(env) {
                Some(value) => builder.env(env, value.as_encoded_bytes()),
                None => builder,
            },
        };
    }
    for addr in &args.tcplisten {
        let listener = TcpListener::bind(addr)
            .map_err(|e| Error::msg(format!("cannot listen on `{addr}`: {e}")))?;
        builder = builder.preopened_socket(listener);
    }
    for dir in &args.dirs {
        let (host, guest) = dir.split_once("::").unwrap_or((dir, dir));
        builder = builder
            .preopened_dir(host, guest)
            .map_err(|e| Error::msg(format!("cannot open directory `{host}`: {e}")))?;
    }
    if args.trace_syscalls {
        builder = builder.trace_syscalls(std::io::stderr());
    }
    Ok(builder.build())
}

fn run(args: &RunArgs) -> Outcome {
    let mut config = Config::default();
    config.consume_fuel(args.fuel.is_some()).trace_execution(args.trace);
    let engine = Engine::new(&config);
    let mut store = None;
    let result = instantiate_and_call(&engine, args, &mut store);
    let mut fuel_used = None;
    if let Some((store, instance)) = &mut store {
        if let Some(fuel) = args.fuel {
            fuel_used = store.get_fuel().ok().map(|left| fuel - left);
        }
        let _ = store.data_mut().flush();
        if let Some((start, end)) = args.dump_memory {
            dump_memory(store, *instance, start, end);
        }
    }
    Outcome { result, fuel_used }
}

fn instantiate_and_call(
    engine: &Engine,
    args: &RunArgs,
    slot: &mut Option<(Store<WasiCtx>, Option<Instance>)>,
) -> Result<Vec<Val>, Error> {
    let module = Module::from_file(engine, &args.module)?;
    let mut linker = Linker::new(engine);
    interp::wasi::add_to_linker(&mut linker, |ctx: &mut WasiCtx| ctx)?;
    let (store, instance) = slot.insert((Store::new(engine, wasi_ctx(args)?), None));
    if let Some(fuel) = args.fuel {
        store.set_fuel(fuel)?;
    }
    if args.trace {
        store.set_tracer(|event| {
            let name = event.func_name.map(|n| format!(" {n}")).unwrap_or_default();
            eprintln!(
                "trace: func[{}]{name} @{:#x}: {}",
                event.func_index, event.offset, event.operator
            );
        });
    }
    let inst = linker.instantiate(&mut *store, &module)?;
    *instance = Some(inst);
    let name = args.invoke.as_deref().unwrap_or("_start");
    let Some(func) = inst.get_func(&*store, name) else {
        if args.invoke.is_none() {
            // A module without `_start` is only instantiated (its start
            // function, if any, has run).
            return Ok(Vec::new());
        }
        return Err(Error::msg(format!("module has no exported function `{name}`")));
    };
    if args.invoke.is_some() {
        invoke(store, func, &args.args)
    } else {
        func.call(&mut *store, &[], &mut [])?;
        Ok(Vec::new())
    }
}

/// Hex-dumps `start..end` of the instance's memory 0 (its `memory` export, or
/// its first exported memory) on stderr, 16 bytes a line.
fn dump_memory(store: &Store<WasiCtx>, instance: Option<Instance>, start: usize, end: usize) {
    let memory = instance.and_then(|inst| {
        inst.get_memory(store, "memory")
            .or_else(|| inst.exports(store).into_iter().find_map(|(_, ext)| ext.into_memory()))
    });
    let Some(memory) = memory else {
        eprintln!("memory dump: the module exports no memory");
        return;
    };
    let data = memory.data(store);
    let end = end.min(data.len());
    let start = start.min(end);
    let mut err = std::io::stderr().lock();
    let _ = writeln!(err, "memory dump {start:#x}..{end:#x}:");
    for line_start in (start..end).step_by(16) {
        let line = &data[line_start..(line_start + 16).min(end)];
        let hex: Vec<String> = line.iter().map(|b| format!("{b:02x}")).collect();
        let text: String = line
            .iter()
            .map(|&b| if b.is_ascii_graphic() || b == b' ' { b as char } else { '.' })
            .collect();
        let _ = writeln!(err, "{line_start:08x}  {:<47}  |{text}|", hex.join(" "));
    }
}

fn invoke(store: &mut Store<WasiCtx>, func: Func, args: &[String]) -> Result<Vec<Val>, Error> {
    let ty = func.ty(&*store);
    if args.len() != ty.params().len() {
        return Err(Error::msg(format!(
            "function of type {ty} expects {} arguments, got {}",
            ty.params().len(),
            args.len()
        )));
    }
    let params = ty
        .params()
        .iter()
        .zip(args)
        .map(|(ty, arg)| parse_val(*ty, arg))
        .collect::<Result<Vec<_>, _>>()?;
    let mut results: Vec<Val> = ty.results().iter().map(|t| t.default_value()).collect();
    func.call(store, &params, &mut results)?;
    Ok(results)
}

/// Parses a command-line argument as a value of type `ty`: decimal or `0x`
/// hexadecimal integers, and floats in Rust syntax (`inf`, `nan` included).
fn parse_val(ty: ValType, arg: &str) -> Result<Val, Error> {
    let bad = || Error::msg(format!("cannot parse `{arg}` as {ty}"));
    let int = |arg: &str| -> Option<i128> {
        let (neg, digits) = match arg.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, arg),
        };
        let v = match digits.strip_prefix("0x").or_else(|| digits.strip_prefix("0X")) {
            Some(hex) => i128::from_str_radix(&hex.replace('_', ""), 16).ok()?,
            None => digits.replace('_', "").parse::<i128>().ok()?,
        };
        Some(if neg { -v } else { v })
    };
    Ok(match ty {
        ValType::I32 => {
            let v = int(arg).ok_or_else(bad)?;
            if !(i128::from(i32::MIN)..=i128::from(u32::MAX)).contains(&v) {
                return Err(bad());
            }
            Val::I32(v as i32)
        }
        ValType::I64 => {
            let v = int(arg).ok_or_else(bad)?;
            if !(i128::from(i64::MIN)..=i128::from(u64::MAX)).contains(&v) {
                return Err(bad());
            }
            Val::I64(v as i64)
        }
        ValType::F32 => Val::from_f32(arg.parse().map_err(|_| bad())?),
        ValType::F64 => Val::from_f64(arg.parse().map_err(|_| bad())?),
        ValType::V128 => Val::V128(parse_v128(arg, &int).ok_or_else(bad)?),
        ValType::FuncRef | ValType::ExternRef | ValType::ExnRef => {
            return Err(Error::msg(format!("cannot pass a {ty} from the command line")));
        }
    })
}

/// Parses a `v128` argument: `0x` and up to 32 hexadecimal digits (the
/// vector as one 128-bit number, lane 0 in the lowest bits), or a lane shape
/// and its lanes, lane 0 first, as the text format writes `v128.const`:
/// `i32x4:1,2,3,4` or `"i32x4 1 2 3 4"` (shapes `i8x16`, `i16x8`, `i32x4`,
/// `i64x2`, `f32x4`, `f64x2`; integer lanes signed or unsigned).
fn parse_v128(arg: &str, int: &dyn Fn(&str) -> Option<i128>) -> Option<V128> {
    let arg = arg.trim();
    if let Some(hex) = arg.strip_prefix("0x").or_else(|| arg.strip_prefix("0X")) {
        return u128::from_str_radix(&hex.replace('_', ""), 16).ok().map(V128::from_u128);
    }
    let (shape, lanes) = arg.split_once([':', ' '])?;
    let lanes: Vec<&str> =
        lanes.split([',', ' ']).map(str::trim).filter(|l| !l.is_empty()).collect();
    let (count, bits) = match shape {
        "i8x16" => (16, 8),
        "i16x8" => (8, 16),
        "i32x4" | "f32x4" => (4, 32),
        "i64x2" | "f64x2" => (2, 64),
        _ => return None,
    };
    if lanes.len() != count {
        return None;
    }
    let mut bytes = Vec::with_capacity(16);
    for lane in lanes {
        let value: u64 = match shape {
            "f32x4" => u64::from(lane.parse::<f32>().ok()?.to_bits()),
            "f64x2" => lane.parse::<f64>().ok()?.to_bits(),
            _ => {
                let v = int(lane)?;
                let (min, max) = (-(1i128 << (bits - 1)), (1i128 << bits) - 1);
                if !(min..=max).contains(&v) {
                    return None;
                }
                v as u64
            }
        };
        bytes.extend_from_slice(&value.to_le_bytes()[..bits / 8]);
    }
    Some(V128::from_le_bytes(bytes.try_into().ok()?))
}

/// A result as `--invoke` prints it; a `v128` as the text format's
/// `v128.const` lanes, `i32x4 0x00000001 0x00000002 ...`, which
/// [`parse_v128`] reads back.
fn format_val(val: &Val) -> String {
    match val {
        Val::F32(_) | Val::F64(_) | Val::I32(_) | Val::I64(_) | Val::V128(_) => val.to_string(),
        Val::FuncRef(None) | Val::ExternRef(None) | Val::ExnRef(None) => "null".to_string(),
        Val::FuncRef(Some(_)) => "<funcref>".to_string(),
        Val::ExternRef(Some(_)) => "<externref>".to_string(),
        Val::ExnRef(Some(_)) => "<exnref>".to_string(),
    }
}

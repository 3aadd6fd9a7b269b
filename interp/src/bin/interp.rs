//! The `interp` command-line runner.
//!
//! `interp run MODULE [ARGS...]` instantiates a `.wasm` or `.wat` module and runs
//! its `_start` export, or with `--invoke NAME` the named export with `ARGS`
//! parsed by its parameter types, printing each result on its own line. A trap
//! prints its kind and wasm backtrace on stderr and exits with status 134, as
//! wasmtime does.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use interp::{Engine, Error, Func, Linker, Module, Store, Val, ValType};

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
    /// Call this export instead of `_start`; ARGS are its parameters.
    #[arg(long, value_name = "NAME")]
    invoke: Option<String>,
    /// The module: a binary `.wasm` or a text `.wat` file.
    module: PathBuf,
    /// Arguments for the invoked function.
    #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
    args: Vec<String>,
}

/// Exit status of a run that trapped (128 + SIGABRT, as wasmtime).
const TRAP_STATUS: u8 = 134;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Run(args) => match run(&args) {
            Ok(status) => status,
            Err(err) => {
                eprintln!("error: {err}");
                if err.as_trap().is_some() {
                    ExitCode::from(TRAP_STATUS)
                } else {
                    ExitCode::FAILURE
                }
            }
        },
    }
}

fn run(args: &RunArgs) -> Result<ExitCode, Error> {
    let engine = Engine::default();
    let module = Module::from_file(&engine, &args.module)?;
    let mut store = Store::new(&engine, ());
    let linker = Linker::new(&engine);
    let instance = linker.instantiate(&mut store, &module)?;
    let name = args.invoke.as_deref().unwrap_or("_start");
    let Some(func) = instance.get_func(&store, name) else {
        if args.invoke.is_none() {
            // A module without `_start` is only instantiated (its start
            // function, if any, has run).
            return Ok(ExitCode::SUCCESS);
        }
        return Err(Error::msg(format!("module has no exported function `{name}`")));
    };
    let results = invoke(&mut store, func, &args.args)?;
    for result in results {
        println!("{}", format_val(&result));
    }
    Ok(ExitCode::SUCCESS)
}

fn invoke(store: &mut Store<()>, func: Func, args: &[String]) -> Result<Vec<Val>, Error> {
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
        ValType::FuncRef | ValType::ExternRef => {
            return Err(Error::msg(format!("cannot pass a {ty} from the command line")));
        }
    })
}

fn format_val(val: &Val) -> String {
    match val {
        Val::F32(_) | Val::F64(_) | Val::I32(_) | Val::I64(_) => val.to_string(),
        Val::FuncRef(None) | Val::ExternRef(None) => "null".to_string(),
        Val::FuncRef(Some(_)) => "<funcref>".to_string(),
        Val::ExternRef(Some(_)) => "<externref>".to_string(),
    }
}

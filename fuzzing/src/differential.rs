//! The differential oracle: one module, run in interp and in wasmi, must behave
//! the same.
//!
//! A run instantiates the module in both engines (dummy imports, start
//! function, fuel), then calls every exported function with arguments drawn
//! from the input, then a few more chosen by the input. After instantiation and
//! after every call it compares:
//! - the outcome: results bit for bit, or a trap of the same kind;
//! - every exported global, memory (size and bytes) and table (size and
//!   elements).
//!
//! When either engine runs out of fuel or call stack, where exactly that
//! happens differs between engines by design: that outcome is not compared and
//! the run stops there.
//!
//! Any other difference is a [`Divergence`], unless the tie-breaker (wasmi
//! 0.31, see [`crate::engine::wasmi_legacy`]) replays the run and sides with
//! interp at every step: then wasmi 2 is wrong, the run stops, and
//! [`Stats::reference_bugs`] counts it.

use std::cell::Cell;
use std::collections::HashSet;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Once;

use arbitrary::Unstructured;

use crate::engine::interp::InterpEngine;
use crate::engine::wasmi::WasmiEngine;
use crate::engine::wasmi_legacy::WasmiLegacyEngine;
use crate::engine::{DiffEngine, DiffInstance, Export, ExportKind, Failure, TrapCode};
use crate::value::{Signature, Value, arbitrary_value, display_values};
use crate::{Stats, generate, split_input};

/// At most this many calls beyond one call of every export.
const MAX_EXTRA_CALLS: usize = 20;

/// Runs the oracle on a fuzz input: the input is turned into a module and into
/// the arguments of each call.
///
/// # Errors
///
/// If the engines diverge.
pub fn differential(data: &[u8]) -> Result<Stats, Box<Divergence>> {
    let (module_data, call_data) = split_input(data);
    let mut u = Unstructured::new(module_data);
    let Ok(config) = generate::differential_config(&mut u) else { return Ok(Stats::default()) };
    let Ok(wasm) = generate::module(config, &mut u) else { return Ok(Stats::default()) };
    differential_module(&wasm, &mut Unstructured::new(call_data))
}

/// The module with its imports renamed so that no two share a module and item
/// name, or `None` if they already differ (or the module does not parse).
///
/// wasm-smith often repeats short names (`"" ""` for a memory and a global);
/// wasmi 0.31, the tie-breaker, links by name only and could not instantiate
/// such a module. Both engines get the renamed module, and the dummies each
/// side provides are per import, so the names carry no meaning of their own.
fn unique_import_names(wasm: &[u8]) -> Option<Vec<u8>> {
    use wasm_encoder::reencode::{Error, Reencode};

    struct Renamer {
        seen: HashSet<(String, String)>,
        renamed: bool,
    }
    impl Reencode for Renamer {
        type Error = std::convert::Infallible;

        fn parse_import_section(
            &mut self,
            imports: &mut wasm_encoder::ImportSection,
            section: wasmparser::ImportSectionReader<'_>,
        ) -> Result<(), Error<Self::Error>> {
            for import in section.into_imports() {
                let import = import?;
                let mut name = import.name.to_string();
                let mut n = 1;
                while !self.seen.insert((import.module.to_string(), name.clone())) {
                    name = format!("{}#{n}", import.name);
                    n += 1;
                    self.renamed = true;
                }
                imports.import(import.module, &name, self.entity_type(import.ty)?);
            }
            Ok(())
        }
    }

    let mut renamer = Renamer { seen: HashSet::new(), renamed: false };
    let mut module = wasm_encoder::Module::new();
    renamer.parse_core_module(&mut module, wasmparser::Parser::new(0), wasm).ok()?;
    renamer.renamed.then(|| module.finish())
}

/// Runs the oracle on a given module, drawing call arguments (and the extra
/// calls) from `u`; an empty `u` gives zero and null arguments.
///
/// # Errors
///
/// If the engines diverge.
pub fn differential_module(
    wasm: &[u8],
    u: &mut Unstructured<'_>,
) -> Result<Stats, Box<Divergence>> {
    let renamed = unique_import_names(wasm);
    let wasm = renamed.as_deref().unwrap_or(wasm);
    let mut run = Run {
        wasm,
        exports: Vec::new(),
        steps: Vec::new(),
        stats: Stats { modules: 1, ..Stats::default() },
    };
    let interp = InterpEngine::new().instantiate(wasm);
    let wasmi = match reference(|| WasmiEngine::new().instantiate(wasm)) {
        Some(wasmi) => wasmi,
        None => {
            // wasmi 2 cannot translate the module: wasmi 0.31 is the reference.
            run.stats.reference_bugs += 1;
            verbose(format_args!("wasmi 2 panicked instantiating; comparing with wasmi 0.31"));
            WasmiLegacyEngine::new().instantiate(wasm)
        }
    };
    let (mut interp, mut wasmi) = match (interp, wasmi) {
        (Ok(a), Ok(b)) => (a, b),
        (a, b) => {
            let (a, b) = (a.err(), b.err());
            if is_exhausted(a.as_ref()) || is_exhausted(b.as_ref()) {
                run.stats.exhausted += 1;
                return Ok(run.stats);
            }
            return match (a, b) {
                (Some(Failure::Trap(x)), Some(Failure::Trap(y))) if same_trap(x, y) => {
                    run.stats.instantiation_traps += 1;
                    Ok(run.stats)
                }
                (a, b) => run.diverge(
                    Point::Instantiation(a.clone()),
                    None,
                    instantiated(a),
                    instantiated(b),
                ),
            };
        }
    };
    run.stats.instantiated += 1;

    run.exports = interp.exports();
    let wasmi_exports = wasmi.exports();
    if run.exports != wasmi_exports {
        let (a, b) = (describe_exports(&run.exports), describe_exports(&wasmi_exports));
        return run.diverge(Point::Exports, None, a, b);
    }
    if let Some((what, a, b)) = state_difference(&run.exports, &*interp, &*wasmi) {
        return run.diverge(Point::State(what), Some(&*interp), a, b);
    }

    let funcs: Vec<(String, Signature)> = run
        .exports
        .iter()
        .filter_map(|e| match &e.kind {
            ExportKind::Func(sig) => Some((e.name.clone(), sig.clone())),
            _ => None,
        })
        .collect();
    let func_names: Vec<String> = funcs.iter().map(|(name, _)| name.clone()).collect();
    let mut plan: Vec<usize> = (0..funcs.len()).collect();
    while !funcs.is_empty()
        && plan.len() < funcs.len() + MAX_EXTRA_CALLS
        && u.arbitrary() == Ok(true)
    {
        plan.push(u.choose_index(funcs.len()).unwrap_or(0));
    }

    let mut next_extern = 0;
    for index in plan {
        let (name, sig) = &funcs[index];
        let args: Vec<Value> = sig
            .params
            .iter()
            .map(|&ty| arbitrary_value(u, ty, &func_names, &mut next_extern))
            .collect::<Result<_, _>>()
            .expect("an exhausted input gives zeros");
        let a = interp.call(name, &args);
        let Some(b) = reference(|| wasmi.call(name, &args)) else {
            run.stats.reference_bugs += 1;
            verbose(format_args!("the reference panicked calling {name:?}; run stopped"));
            return Ok(run.stats);
        };
        if is_exhausted(a.as_ref().err()) || is_exhausted(b.as_ref().err()) {
            run.stats.exhausted += 1;
            return Ok(run.stats);
        }
        let (a_text, b_text) = (outcome(&a), outcome(&b));
        let agree = agree(&a, &b);
        run.steps.push(Step { name: name.clone(), args, interp: a });
        if !agree {
            return run.diverge(Point::Call, None, a_text, b_text);
        }
        match &run.steps.last().expect("just pushed").interp {
            Ok(_) => run.stats.returned += 1,
            Err(_) => run.stats.trapped += 1,
        }
        if let Some((what, a, b)) = state_difference(&run.exports, &*interp, &*wasmi) {
            return run.diverge(Point::State(what), Some(&*interp), a, b);
        }
    }
    Ok(run.stats)
}

/// Runs `f`, a call into the reference engine, and returns `None` if it
/// panics: a reference bug (wasmi 2.0.0 hits an `unreachable!` translating
/// some `i32.store16`s), not a finding about interp. Panics on this thread
/// meanwhile skip the panic hook, since libFuzzer's hook aborts before
/// unwinding; other threads' panics are reported as usual.
fn reference<T>(f: impl FnOnce() -> T) -> Option<T> {
    thread_local! {
        static IN_REFERENCE: Cell<bool> = const { Cell::new(false) };
    }
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !IN_REFERENCE.with(Cell::get) {
                previous(info);
            }
        }));
    });
    IN_REFERENCE.with(|flag| flag.set(true));
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
    IN_REFERENCE.with(|flag| flag.set(false));
    result.ok()
}

/// Prints a skipped reference bug when `INTERP_FUZZ_VERBOSE` is set.
fn verbose(message: fmt::Arguments<'_>) {
    if std::env::var_os("INTERP_FUZZ_VERBOSE").is_some() {
        eprintln!("{message}");
    }
}

/// Whether two call outcomes agree: equal results, or the same kind of trap.
fn agree(a: &Result<Vec<Value>, Failure>, b: &Result<Vec<Value>, Failure>) -> bool {
    match (a, b) {
        (Ok(x), Ok(y)) => x == y,
        (Err(Failure::Trap(x)), Err(Failure::Trap(y))) => same_trap(*x, *y),
        _ => false,
    }
}

/// Whether two trap codes are the same kind of trap, as far as both engines
/// can tell: wasmi reports a `call_indirect` index past the table's end as an
/// out-of-bounds table access, not as "undefined element".
fn same_trap(interp: TrapCode, wasmi: TrapCode) -> bool {
    let normalise = |code| match code {
        TrapCode::UndefinedElement => TrapCode::TableOutOfBounds,
        code => code,
    };
    normalise(interp) == normalise(wasmi)
}

fn is_exhausted(failure: Option<&Failure>) -> bool {
    matches!(failure, Some(Failure::Exhausted(_)))
}

fn instantiated(failure: Option<Failure>) -> String {
    match failure {
        None => "instantiated".to_string(),
        Some(failure) => failure.to_string(),
    }
}

fn outcome(result: &Result<Vec<Value>, Failure>) -> String {
    match result {
        Ok(values) => format!("returned [{}]", display_values(values)),
        Err(failure) => failure.to_string(),
    }
}

fn describe_exports(exports: &[Export]) -> String {
    let items: Vec<String> = exports
        .iter()
        .map(|e| match &e.kind {
            ExportKind::Func(sig) => format!("{:?}: func {sig}", e.name),
            kind => format!("{:?}: {kind:?}", e.name),
        })
        .collect();
    items.join("; ")
}

/// One call of a run: what was called, and what interp made of it.
struct Step {
    name: String,
    args: Vec<Value>,
    interp: Result<Vec<Value>, Failure>,
}

impl Step {
    fn describe(&self, number: usize) -> String {
        format!("call {number}: {:?}({})", self.name, display_values(&self.args))
    }
}

/// Where the engines disagreed.
enum Point {
    /// Instantiation, with interp's failure if it failed.
    Instantiation(Option<Failure>),
    /// The export lists.
    Exports,
    /// The outcome of the last step.
    Call,
    /// Exported state (described) after the last step, or after
    /// instantiation if there is none.
    State(String),
}

impl Point {
    /// The point, for a report; `steps` are the calls made so far.
    fn describe(&self, steps: &[Step]) -> String {
        match self {
            Point::Instantiation(_) => "instantiation".to_string(),
            Point::Exports => "exports".to_string(),
            Point::Call => steps.last().expect("a call").describe(steps.len()),
            Point::State(what) => match steps.last() {
                None => format!("{what} after instantiation"),
                Some(step) => format!("{what} after {}", step.describe(steps.len())),
            },
        }
    }
}

/// The state of one oracle run.
struct Run<'a> {
    wasm: &'a [u8],
    exports: Vec<Export>,
    /// The calls made so far; the last one may be the diverging one.
    steps: Vec<Step>,
    stats: Stats,
}

impl Run<'_> {
    /// Reports a disagreement, unless the tie-breaker shows wasmi 2 is wrong.
    fn diverge(
        &mut self,
        point: Point,
        interp: Option<&dyn DiffInstance>,
        interp_side: String,
        wasmi_side: String,
    ) -> Result<Stats, Box<Divergence>> {
        let tie_breaker = match self.tie_break(&point, interp) {
            Ok(()) => {
                self.stats.reference_bugs += 1;
                if std::env::var_os("INTERP_FUZZ_VERBOSE").is_some() {
                    let what = point.describe(&self.steps);
                    eprintln!(
                        "wasmi 2 bug at {what}: interp and wasmi 0.31 {interp_side}, wasmi 2 {wasmi_side}"
                    );
                }
                return Ok(self.stats);
            }
            Err(why) => why,
        };
        let what = point.describe(&self.steps);
        let history = match point {
            Point::Call => &self.steps[..self.steps.len() - 1],
            _ => &self.steps[..],
        };
        let history = history
            .iter()
            .enumerate()
            .map(|(i, step)| format!("{} -> {}", step.describe(i + 1), outcome(&step.interp)))
            .collect();
        Err(Box::new(Divergence {
            what,
            interp: interp_side,
            wasmi: wasmi_side,
            tie_breaker,
            history,
            wasm: self.wasm.to_vec(),
        }))
    }

    /// Replays the run in wasmi 0.31 up to `point`. `Ok` if it sides with
    /// interp throughout; otherwise what it did instead.
    fn tie_break(&self, point: &Point, interp: Option<&dyn DiffInstance>) -> Result<(), String> {
        let legacy = WasmiLegacyEngine::new().instantiate(self.wasm);
        let mut legacy = match (point, legacy) {
            (Point::Exports, _) => return Err("not consulted on export lists".to_string()),
            (Point::Instantiation(interp), legacy) => {
                return match (interp, legacy) {
                    (None, Ok(_)) => Ok(()),
                    (Some(Failure::Trap(x)), Err(Failure::Trap(y))) if same_trap(*x, y) => Ok(()),
                    (_, Ok(_)) => Err("instantiated".to_string()),
                    (_, Err(failure)) => Err(failure.to_string()),
                };
            }
            (_, Ok(legacy)) => legacy,
            (_, Err(failure)) => return Err(format!("instantiation: {failure}")),
        };
        if legacy.exports() != self.exports {
            return Err(format!("exports {}", describe_exports(&legacy.exports())));
        }
        for (i, step) in self.steps.iter().enumerate() {
            let result = legacy.call(&step.name, &step.args);
            if !agree(&step.interp, &result) {
                return Err(format!("{} -> {}", step.describe(i + 1), outcome(&result)));
            }
        }
        if let (Point::State(_), Some(interp)) = (point, interp)
            && let Some((what, _, legacy)) = state_difference(&self.exports, interp, &*legacy)
        {
            return Err(format!("{what}: {legacy}"));
        }
        Ok(())
    }
}

/// The first exported global, memory or table that differs between two
/// instances: what it is, and each side's view of it.
fn state_difference(
    exports: &[Export],
    a: &dyn DiffInstance,
    b: &dyn DiffInstance,
) -> Option<(String, String, String)> {
    for export in exports {
        let name = &export.name;
        match export.kind {
            ExportKind::Func(_) => {}
            ExportKind::Global => {
                let (x, y) = (a.global(name), b.global(name));
                if x != y {
                    return Some((format!("global {name:?}"), x.to_string(), y.to_string()));
                }
            }
            ExportKind::Memory => {
                let (x, y) = (a.memory(name), b.memory(name));
                if x != y {
                    let (x, y) = describe_memory_difference(x, y);
                    return Some((format!("memory {name:?}"), x, y));
                }
            }
            ExportKind::Table => {
                let (x, y) = (a.table(name), b.table(name));
                if x != y {
                    let (x, y) = describe_table_difference(&x, &y);
                    return Some((format!("table {name:?}"), x, y));
                }
            }
        }
    }
    None
}

/// The sizes of two memories, or their first differing bytes.
fn describe_memory_difference(a: &[u8], b: &[u8]) -> (String, String) {
    if a.len() != b.len() {
        return (format!("{} bytes", a.len()), format!("{} bytes", b.len()));
    }
    let first = a.iter().zip(b).position(|(x, y)| x != y).unwrap_or(0);
    let last = a.len() - a.iter().rev().zip(b.iter().rev()).position(|(x, y)| x != y).unwrap_or(0);
    let window = |m: &[u8]| {
        let end = (first + 16).min(m.len());
        format!(
            "bytes {first:#x}..{end:#x} = {:02x?} (last difference at {:#x})",
            &m[first..end],
            last - 1
        )
    };
    (window(a), window(b))
}

/// The sizes of two tables, or their first differing element.
fn describe_table_difference(a: &[Value], b: &[Value]) -> (String, String) {
    if a.len() != b.len() {
        return (format!("{} elements", a.len()), format!("{} elements", b.len()));
    }
    let i = a.iter().zip(b).position(|(x, y)| x != y).unwrap_or(0);
    (format!("element {i} = {}", a[i]), format!("element {i} = {}", b[i]))
}

/// interp and wasmi disagree: both outcomes, what led there, and the module.
#[derive(Debug, Clone)]
pub struct Divergence {
    /// What was compared: the instantiation, a call, or a piece of state
    /// after a call.
    pub what: String,
    /// interp's side.
    pub interp: String,
    /// wasmi's side.
    pub wasmi: String,
    /// Where the tie-breaker (wasmi 0.31) parted from interp on replay: the
    /// divergence is reported because it did not side with interp.
    pub tie_breaker: String,
    /// The steps both engines agreed on before, in order.
    pub history: Vec<String>,
    /// The module, as binary.
    pub wasm: Vec<u8>,
}

impl fmt::Display for Divergence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "interp and wasmi diverge at {}", self.what)?;
        writeln!(f, "  interp: {}", self.interp)?;
        writeln!(f, "  wasmi:  {}", self.wasmi)?;
        writeln!(f, "  (wasmi 0.31, replaying: {})", self.tie_breaker)?;
        if self.history.is_empty() {
            writeln!(f, "no call before this one")?;
        } else {
            writeln!(f, "agreed before:")?;
            for step in &self.history {
                writeln!(f, "  {step}")?;
            }
        }
        write!(f, "module: {} bytes", self.wasm.len())
    }
}

impl Divergence {
    /// Saves the module as `divergence-<hash>.wasm` and `.wat` in `dir`,
    /// returning the path of the `.wasm`.
    ///
    /// # Errors
    ///
    /// If the files cannot be written.
    pub fn save(&self, dir: &Path) -> std::io::Result<PathBuf> {
        crate::save_module(dir, "divergence", &self.wasm)
    }

    /// Prints the report, saves the module in [`crate::artifacts_dir`], and
    /// panics, which is how a fuzz target reports a finding.
    ///
    /// # Panics
    ///
    /// Always.
    pub fn report(&self) -> ! {
        eprintln!("{self}");
        match self.save(&crate::artifacts_dir("differential")) {
            Ok(path) => eprintln!("module saved as {} (and .wat beside it)", path.display()),
            Err(e) => eprintln!("could not save the module: {e}"),
        }
        panic!("interp and wasmi diverge at {}", self.what);
    }
}

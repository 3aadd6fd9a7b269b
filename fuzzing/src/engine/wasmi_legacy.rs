//! wasmi 0.31, the tie-breaker, as a [`DiffEngine`], always with fuel.
//!
//! wasmi 2.x is the reference, but it is young and has miscompilations of its
//! own (e.g. `regressions/differential/wasmi2-select-after-local-set.wat`).
//! When interp and wasmi 2 disagree, the oracle replays the run in wasmi 0.31,
//! whose stack-machine translator shares no code with wasmi 2's register
//! machine: if it sides with interp at every step, the disagreement is a
//! wasmi 2 bug, and the rest of the run is compared against wasmi 0.31.
//!
//! wasmi 0.31 has no SIMD: a world with a `v128` anywhere (a module using
//! SIMD, a host function of a `v128` type) fails to instantiate here, which
//! leaves the tie-break inconclusive, so a disagreement about such a module is
//! always reported.

use wasmi_legacy::core::{F32, F64, TrapCode as W, ValueType};
use wasmi_legacy::{
    Config, Engine, Error, Extern, ExternRef, ExternType, Func, FuncRef, FuncType, Global, Linker,
    Memory, Module, StackLimits, Store, Table, Value as Val,
};

use super::host::{self, HostResult, Param};
use super::{
    DiffEngine, DiffInstance, Export, ExportKind, Failure, FuncNames, Outcome, REPLAY_FUEL, Source,
    Stack, Trap, TrapCode, World, zero,
};
use crate::value::{FuncId, Signature, Type, Value};

/// The fuel of a replay (a budget of [`REPLAY_FUEL`] or more): wasmi 0.31
/// charges for a bulk operation's full length before checking its bounds, so
/// a failing `table.grow` by 2^32 - 1 costs 2^29 units without running
/// anything; 2^30 covers every such charge.
const LEGACY_REPLAY_FUEL: u64 = 1 << 30;

/// The fuel wasmi 0.31 gets for a budget of `fuel` (see [`LEGACY_REPLAY_FUEL`]).
fn budget(fuel: Option<u64>) -> u64 {
    match fuel {
        Some(fuel) if fuel < REPLAY_FUEL => fuel,
        Some(fuel) => fuel.max(LEGACY_REPLAY_FUEL),
        None => LEGACY_REPLAY_FUEL,
    }
}

/// wasmi 0.31 with its default features (WebAssembly 2.0 without SIMD) plus
/// tail calls and extended constants, and fuel. It lacks wide arithmetic: it
/// runs modules with their wide arithmetic [`lower`]ed to WebAssembly 2.0.
/// It panics when a tail call reaches a host function ("must have frame on
/// the call stack"): such a panic is an error outcome ([`PANICKED`]), which
/// agrees with nothing, so a tie stays unbroken and the run reports the
/// divergence.
///
/// [`lower`]: super::lower
#[derive(Debug)]
pub struct WasmiLegacyEngine {
    engine: Engine,
    modules: Vec<(Vec<u8>, Module)>,
}

impl WasmiLegacyEngine {
    /// wasmi 0.31 with its defaults plus tail calls and extended constants,
    /// or 16 times its default stack limits for [`Stack::Large`].
    pub fn new(stack: Stack) -> WasmiLegacyEngine {
        let mut config = Config::default();
        config.consume_fuel(true);
        config.wasm_tail_call(true).wasm_extended_const(true);
        if stack == Stack::Large {
            let limits = StackLimits::new(128, 16 * 128 * 1024, 16 * 1024).expect("valid limits");
            config.set_stack_limits(limits);
        }
        WasmiLegacyEngine { engine: Engine::new(&config), modules: Vec::new() }
    }

    /// The index in `self.modules` of `wasm` compiled.
    fn compile(&mut self, wasm: &[u8]) -> Result<usize, Failure> {
        if let Some(i) = self.modules.iter().position(|(bytes, _)| bytes == wasm) {
            return Ok(i);
        }
        let lowered = super::lower::wide_arithmetic(wasm);
        let module =
            Module::new(&self.engine, lowered.as_deref().unwrap_or(wasm)).map_err(failure)?;
        self.modules.push((wasm.to_vec(), module));
        Ok(self.modules.len() - 1)
    }
}

/// The error outcome of a call or instantiation that panicked in wasmi 0.31.
const PANICKED: &str = "wasmi 0.31 panicked (as it does when a tail call reaches a host function)";

/// Makes `fuel` the fuel left in `store`; returns it.
fn set_fuel(store: &mut Store<Vec<u64>>, fuel: u64) -> u64 {
    let left = store.consume_fuel(0).expect("fuel is on");
    if left < fuel {
        store.add_fuel(fuel - left).expect("fuel is on");
    } else {
        store.consume_fuel(left - fuel).expect("fuel is on");
    }
    fuel
}

fn fuel_left(store: &mut Store<Vec<u64>>) -> u64 {
    store.consume_fuel(0).expect("fuel is on")
}

impl DiffEngine for WasmiLegacyEngine {
    fn name(&self) -> &'static str {
        "wasmi 0.31"
    }

    fn instantiate(&mut self, world: &World, fuel: Option<u64>) -> Outcome<Box<dyn DiffInstance>> {
        let v128 =
            |sig: &Signature| sig.params.iter().chain(&sig.results).any(|&t| t == Type::V128);
        if world.hosts.iter().any(v128) {
            return Err(Failure::Error("wasmi 0.31 has no v128 host functions".into()));
        }
        let mut store = Store::new(&self.engine, vec![0u64; world.hosts.len()]);
        let hosts: Vec<Func> =
            world.hosts.iter().enumerate().map(|(i, sig)| host_func(&mut store, i, sig)).collect();
        let fuel = set_fuel(&mut store, budget(fuel));
        let mut instances: Vec<wasmi_legacy::Instance> = Vec::new();
        for spec in &world.modules {
            let index = self.compile(&spec.wasm)?;
            let module = &self.modules[index].1;
            // wasmi 0.31 links only by name: a fresh linker per module, with
            // each import defined under its own name (the oracle makes import
            // names unique).
            let mut linker = Linker::new(&self.engine);
            for import in module.imports() {
                let source = spec.source(import.module(), import.name());
                let item = match source {
                    Source::Host(i) => Extern::Func(hosts[*i]),
                    Source::Export { module, name } => instances[*module]
                        .get_export(&store, name)
                        .ok_or_else(|| Failure::Error(format!("no export {name:?} to import")))?,
                    Source::Dummy => {
                        let fill: Vec<Func> = world.table_hosts.iter().map(|&i| hosts[i]).collect();
                        dummy(&mut store, import.ty(), &fill)?
                    }
                };
                let _ = linker.define(import.module(), import.name(), item);
            }
            let started = crate::differential::catch_panic(|| {
                linker.instantiate(&mut store, module).and_then(|pre| pre.start(&mut store))
            });
            let instance =
                started.ok_or_else(|| Failure::Error(PANICKED.into()))?.map_err(failure)?;
            instances.push(instance);
        }
        let fuel_used = Some(fuel - fuel_left(&mut store));
        let mut exports = Vec::new();
        let mut func_names = FuncNames::new();
        for (i, handle) in hosts.iter().enumerate() {
            func_names.host(key(handle), i);
        }
        for (m, instance) in instances.iter().enumerate() {
            let index = self.compile(&world.modules[m].wasm)?;
            let module = &self.modules[index].1;
            let mut items: Vec<(String, Extern)> = module
                .exports()
                .map(|export| {
                    let name = export.name();
                    let item = instance.get_export(&store, name).expect("every export resolves");
                    (name.to_string(), item)
                })
                .collect();
            items.sort_by(|a, b| a.0.cmp(&b.0));
            for (name, item) in items {
                if let Extern::Func(func) = item {
                    func_names.export(key(&func), m, &name);
                }
                exports.push((m, name, item));
            }
        }
        Ok(Box::new(LegacyInstance { store, exports, func_names, fuel_used }))
    }
}

/// As for wasmi 2: handles have no `PartialEq`, their `Debug` form identifies
/// them within a store.
fn key(func: &Func) -> String {
    format!("{func:?}")
}

/// A host function of the world: counts its calls in the store's data and
/// returns what [`host::call`] says.
fn host_func(store: &mut Store<Vec<u64>>, index: usize, sig: &Signature) -> Func {
    let sig = sig.clone();
    Func::new(&mut *store, func_type(&sig), move |mut caller, params, results| {
        let count = caller.data()[index];
        caller.data_mut()[index] += 1;
        let args: Vec<Param> = params.iter().map(to_param).collect();
        let out = host::call(index, count, &sig, &args)
            .map_err(|_| wasmi_legacy::core::Trap::from(W::UnreachableCodeReached))?;
        for ((slot, result), &ty) in results.iter_mut().zip(out).zip(&sig.results) {
            *slot = match result {
                HostResult::Bits(bits) => from_bits(ty, bits),
                HostResult::V128(_) => unreachable!("no v128 host functions (instantiate)"),
                HostResult::Param(i) => params[i].clone(),
                HostResult::Null => Val::default(to_type(ty)),
            };
        }
        Ok(())
    })
}

fn to_param(val: &Val) -> Param {
    match val {
        Val::I32(v) => Param::Bits(u64::from(*v as u32)),
        Val::I64(v) => Param::Bits(*v as u64),
        Val::F32(v) => Param::Bits(u64::from(v.to_bits())),
        Val::F64(v) => Param::Bits(v.to_bits()),
        Val::FuncRef(r) => Param::Ref { null: r.is_null() },
        Val::ExternRef(r) => Param::Ref { null: r.is_null() },
    }
}

fn from_bits(ty: Type, bits: u64) -> Val {
    match ty {
        Type::I32 => Val::I32(bits as u32 as i32),
        Type::I64 => Val::I64(bits as i64),
        Type::F32 => Val::F32(F32::from_bits(bits as u32)),
        Type::F64 => Val::F64(F64::from_bits(bits)),
        Type::V128 | Type::FuncRef | Type::ExternRef | Type::ExnRef => {
            unreachable!("vectors and references are not made from 64 bits")
        }
    }
}

/// An imported item that needs nothing from the host but its type; `funcref`
/// tables get `fill` in their first elements.
fn dummy(store: &mut Store<Vec<u64>>, ty: &ExternType, fill: &[Func]) -> Outcome<Extern> {
    let error = |e: Error| Failure::Error(e.to_string());
    Ok(match ty {
        ExternType::Func(_) => unreachable!("function imports are host functions"),
        ExternType::Global(ty) => {
            let value = to_val(store, &zero(from_type(ty.content())), &[]);
            Extern::Global(Global::new(&mut *store, value, ty.mutability()))
        }
        ExternType::Memory(ty) => {
            Extern::Memory(Memory::new(&mut *store, *ty).map_err(|e| error(e.into()))?)
        }
        ExternType::Table(ty) => {
            let init = Val::default(ty.element());
            let table = Table::new(&mut *store, *ty, init).map_err(|e| error(e.into()))?;
            if ty.element() == ValueType::FuncRef {
                for (i, func) in fill.iter().take(ty.minimum() as usize).enumerate() {
                    table
                        .set(&mut *store, i as u32, Val::FuncRef(FuncRef::new(*func)))
                        .map_err(|e| error(e.into()))?;
                }
            }
            Extern::Table(table)
        }
    })
}

struct LegacyInstance {
    store: Store<Vec<u64>>,
    exports: Vec<(usize, String, Extern)>,
    func_names: FuncNames<String>,
    fuel_used: Option<u64>,
}

impl LegacyInstance {
    fn export(&self, module: usize, name: &str) -> Extern {
        self.exports
            .iter()
            .find(|(m, n, _)| *m == module && n == name)
            .map(|(_, _, item)| *item)
            .unwrap_or_else(|| panic!("wasmi 0.31 instance has no export {module}.{name:?}"))
    }

    fn value(&self, val: &Val) -> Value {
        match val {
            Val::I32(v) => Value::I32(*v),
            Val::I64(v) => Value::I64(*v),
            Val::F32(v) => Value::F32(v.to_bits()),
            Val::F64(v) => Value::F64(v.to_bits()),
            Val::FuncRef(r) => {
                Value::FuncRef(r.func().map(|func| match self.func_names.get(&key(func)) {
                    Some(id) => id.clone(),
                    None => FuncId::Unexported(signature(&func.ty(&self.store))),
                }))
            }
            Val::ExternRef(r) => Value::ExternRef(r.data(&self.store).map(|data| {
                *data.downcast_ref::<u32>().expect("every externref holds a u32 payload")
            })),
        }
    }
}

impl DiffInstance for LegacyInstance {
    fn exports(&self) -> Vec<Export> {
        self.exports
            .iter()
            .map(|(module, name, item)| {
                let kind = match item {
                    Extern::Func(f) => ExportKind::Func(signature(&f.ty(&self.store))),
                    Extern::Global(_) => ExportKind::Global,
                    Extern::Memory(_) => ExportKind::Memory,
                    Extern::Table(_) => ExportKind::Table,
                };
                Export { module: *module, name: name.clone(), kind }
            })
            .collect()
    }

    fn call(
        &mut self,
        module: usize,
        name: &str,
        args: &[Value],
        fuel: Option<u64>,
    ) -> Outcome<Vec<Value>> {
        let Extern::Func(func) = self.export(module, name) else {
            panic!("{name:?} is not a function")
        };
        let funcs: Vec<(usize, &str, Func)> = self
            .exports
            .iter()
            .filter_map(|(m, n, item)| Some((*m, n.as_str(), item.into_func()?)))
            .collect();
        let params: Vec<Val> = args.iter().map(|a| to_val(&mut self.store, a, &funcs)).collect();
        let ty = func.ty(&self.store);
        let mut results: Vec<Val> = ty.results().iter().map(|&t| Val::default(t)).collect();
        let fuel = set_fuel(&mut self.store, budget(fuel));
        let result =
            crate::differential::catch_panic(|| func.call(&mut self.store, &params, &mut results));
        let Some(result) = result else { return Err(Failure::Error(PANICKED.into())) };
        self.fuel_used = Some(fuel - fuel_left(&mut self.store));
        result.map_err(failure)?;
        Ok(results.iter().map(|v| self.value(v)).collect())
    }

    fn fuel_used(&self) -> Option<u64> {
        self.fuel_used
    }

    fn global(&self, module: usize, name: &str) -> Value {
        let Extern::Global(global) = self.export(module, name) else {
            panic!("{name:?} is not a global")
        };
        self.value(&global.get(&self.store))
    }

    fn memory(&self, module: usize, name: &str) -> &[u8] {
        let Extern::Memory(memory) = self.export(module, name) else {
            panic!("{name:?} is not a memory")
        };
        memory.data(&self.store)
    }

    fn table(&self, module: usize, name: &str) -> Vec<Value> {
        let Extern::Table(table) = self.export(module, name) else {
            panic!("{name:?} is not a table")
        };
        (0..table.size(&self.store))
            .map(|i| self.value(&table.get(&self.store, i).expect("index below the size")))
            .collect()
    }

    fn host_calls(&self) -> &[u64] {
        self.store.data()
    }
}

/// Converts an argument; a `funcref` names an export, found in `funcs`.
fn to_val(store: &mut Store<Vec<u64>>, value: &Value, funcs: &[(usize, &str, Func)]) -> Val {
    match value {
        Value::I32(v) => Val::I32(*v),
        Value::I64(v) => Val::I64(*v),
        Value::F32(bits) => Val::F32(F32::from_bits(*bits)),
        Value::F64(bits) => Val::F64(F64::from_bits(*bits)),
        Value::V128(_) => unreachable!("a world with v128 values does not instantiate here"),
        Value::FuncRef(None) => Val::FuncRef(FuncRef::null()),
        Value::FuncRef(Some(FuncId::Export { module, name })) => {
            let func = funcs.iter().find(|(m, n, _)| m == module && n == name).map(|f| f.2);
            Val::FuncRef(FuncRef::new(func.expect("funcref arguments name exported functions")))
        }
        Value::FuncRef(Some(FuncId::Host(_) | FuncId::Unexported(_))) => {
            unreachable!("arguments only refer to exported functions")
        }
        Value::ExternRef(None) => Val::ExternRef(ExternRef::null()),
        Value::ExternRef(Some(payload)) => Val::ExternRef(ExternRef::new(&mut *store, *payload)),
        Value::ExnRef(_) => unreachable!("wasmi runs no exception handling"),
    }
}

/// Maps wasmi 0.31's errors onto the shared vocabulary. Errors that are not
/// traps make the tie-break inconclusive, and the divergence is reported.
fn failure(error: Error) -> Failure {
    use wasmi_legacy::errors::{InstantiationError, MemoryError, TableError};
    let trap = |code| Failure::Trap(Trap { code, site: None });
    // Segments out of bounds at instantiation are traps in the spec.
    match &error {
        Error::Instantiation(InstantiationError::ElementSegmentDoesNotFit { .. })
        | Error::Table(TableError::AccessOutOfBounds { .. } | TableError::CopyOutOfBounds) => {
            return trap(TrapCode::TableOutOfBounds);
        }
        Error::Memory(MemoryError::OutOfBoundsAccess) => {
            return trap(TrapCode::MemoryOutOfBounds);
        }
        _ => {}
    }
    let Error::Trap(t) = &error else { return Failure::Error(error.to_string()) };
    let Some(code) = t.trap_code() else { return Failure::Error(error.to_string()) };
    Failure::from_trap(
        match code {
            W::UnreachableCodeReached => TrapCode::Unreachable,
            W::MemoryOutOfBounds => TrapCode::MemoryOutOfBounds,
            W::TableOutOfBounds => TrapCode::TableOutOfBounds,
            W::IndirectCallToNull => TrapCode::UninitializedElement,
            W::IntegerDivisionByZero => TrapCode::IntegerDivideByZero,
            W::IntegerOverflow => TrapCode::IntegerOverflow,
            W::BadConversionToInteger => TrapCode::InvalidConversionToInteger,
            W::StackOverflow => TrapCode::StackOverflow,
            W::BadSignature => TrapCode::IndirectCallTypeMismatch,
            W::OutOfFuel => TrapCode::OutOfFuel,
            W::GrowthOperationLimited => return Failure::Error(error.to_string()),
        },
        None,
    )
}

fn from_type(ty: ValueType) -> Type {
    match ty {
        ValueType::I32 => Type::I32,
        ValueType::I64 => Type::I64,
        ValueType::F32 => Type::F32,
        ValueType::F64 => Type::F64,
        ValueType::FuncRef => Type::FuncRef,
        ValueType::ExternRef => Type::ExternRef,
    }
}

fn to_type(ty: Type) -> ValueType {
    match ty {
        Type::I32 => ValueType::I32,
        Type::I64 => ValueType::I64,
        Type::F32 => ValueType::F32,
        Type::F64 => ValueType::F64,
        Type::V128 => unreachable!("a world with v128 values does not instantiate here"),
        Type::FuncRef => ValueType::FuncRef,
        Type::ExternRef => ValueType::ExternRef,
        Type::ExnRef => unreachable!("wasmi runs no exception handling"),
    }
}

fn signature(ty: &FuncType) -> Signature {
    Signature {
        params: ty.params().iter().map(|&t| from_type(t)).collect(),
        results: ty.results().iter().map(|&t| from_type(t)).collect(),
    }
}

fn func_type(sig: &Signature) -> FuncType {
    FuncType::new(sig.params.iter().map(|&t| to_type(t)), sig.results.iter().map(|&t| to_type(t)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_on_a_tail_call_to_the_host_is_an_error_outcome() {
        // `h1` is a host function of type (i32) -> i32.
        let wasm = wat::parse_str(
            r#"(module
                 (import "host" "h1" (func $h (param i32) (result i32)))
                 (func (export "tail") (param i32) (result i32) (return_call $h (local.get 0)))
                 (func (export "plain") (param i32) (result i32) (call $h (local.get 0))))"#,
        )
        .expect("parses");
        let world = crate::link::world(&wasm);
        let mut engine = WasmiLegacyEngine::new(Stack::Normal);
        let mut instance = engine.instantiate(&world, None).expect("instantiates");
        let main = world.modules.len() - 1;
        let tail = instance.call(main, "tail", &[Value::I32(3)], None);
        assert_eq!(tail, Err(Failure::Error(PANICKED.into())));
        // Ordinary calls of host functions work.
        let mut fresh = engine.instantiate(&world, None).expect("instantiates");
        assert!(fresh.call(main, "plain", &[Value::I32(3)], None).is_ok());
    }
}

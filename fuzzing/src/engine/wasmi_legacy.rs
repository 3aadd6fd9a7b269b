//! wasmi 0.31, the tie-breaker, as a [`DiffEngine`].
//!
//! wasmi 2.x is the reference, but it is young and has miscompilations of its
//! own (e.g. `regressions/differential/wasmi2-select-after-local-set.wat`).
//! When interp and wasmi 2 disagree, the oracle replays the run in wasmi 0.31,
//! whose stack-machine translator shares no code with wasmi 2's register
//! machine: if it sides with interp at every step, the disagreement is a
//! wasmi 2 bug and not reported. It is never consulted otherwise.

use std::collections::HashMap;

use wasmi_legacy::core::{F32, F64, TrapCode as W, ValueType};
use wasmi_legacy::{
    Config, Engine, Error, Extern, ExternRef, ExternType, Func, FuncRef, FuncType, Global, Linker,
    Memory, Module, Store, Table, Value as Val,
};

#[cfg(doc)]
use super::FUEL;
use super::{DiffEngine, DiffInstance, Export, ExportKind, Failure, TrapCode, zero};
use crate::value::{FuncId, Signature, Type, Value};

/// The tie-breaker's fuel: in effect unlimited. It only replays calls that
/// interp completed under [`FUEL`], and wasmi 0.31 charges for a bulk
/// operation's full length before checking its bounds, so that a failing
/// `table.grow` by 2^32 - 1 would otherwise exhaust any budget.
const LEGACY_FUEL: u64 = 1 << 60;

/// wasmi 0.31 with its default features (WebAssembly 2.0 without SIMD), plus fuel.
#[derive(Debug)]
pub struct WasmiLegacyEngine {
    engine: Engine,
}

impl WasmiLegacyEngine {
    /// wasmi 0.31 with its defaults and fuel.
    pub fn new() -> WasmiLegacyEngine {
        let mut config = Config::default();
        config.consume_fuel(true);
        WasmiLegacyEngine { engine: Engine::new(&config) }
    }
}

impl Default for WasmiLegacyEngine {
    fn default() -> Self {
        WasmiLegacyEngine::new()
    }
}

impl DiffEngine for WasmiLegacyEngine {
    fn name(&self) -> &'static str {
        "wasmi 0.31"
    }

    fn instantiate(&mut self, wasm: &[u8]) -> Result<Box<dyn DiffInstance>, Failure> {
        let module = Module::new(&self.engine, wasm).map_err(failure)?;
        let mut store = Store::new(&self.engine, ());
        store.add_fuel(LEGACY_FUEL).expect("fuel is enabled");
        // wasmi 0.31 links only by name; `differential_module` renames
        // imports so that no name is imported twice.
        let mut linker = Linker::new(&self.engine);
        for import in module.imports() {
            let item = dummy(&mut store, import.ty())?;
            let _ = linker.define(import.module(), import.name(), item);
        }
        let instance = linker
            .instantiate(&mut store, &module)
            .and_then(|pre| pre.start(&mut store))
            .map_err(failure)?;
        let mut exports: Vec<(String, Extern)> = module
            .exports()
            .map(|export| {
                let name = export.name();
                let item = instance.get_export(&store, name).expect("every export resolves");
                (name.to_string(), item)
            })
            .collect();
        exports.sort_by(|a, b| a.0.cmp(&b.0));
        // As for wasmi 2: handles have no `PartialEq`, their `Debug` form
        // identifies them within a store.
        let mut func_names = HashMap::new();
        for (name, item) in &exports {
            if let Extern::Func(func) = item {
                func_names.entry(format!("{func:?}")).or_insert_with(|| name.clone());
            }
        }
        Ok(Box::new(LegacyInstance { store, exports, func_names }))
    }
}

/// An imported item that needs nothing from the host but its type.
fn dummy(store: &mut Store<()>, ty: &ExternType) -> Result<Extern, Failure> {
    Ok(match ty {
        ExternType::Func(ty) => {
            let results: Vec<Val> = ty.results().iter().map(|&t| Val::default(t)).collect();
            Extern::Func(Func::new(&mut *store, ty.clone(), move |_caller, _params, out| {
                out.clone_from_slice(&results);
                Ok(())
            }))
        }
        ExternType::Global(ty) => {
            let value = to_val(store, &zero(from_type(ty.content())), &[]);
            Extern::Global(Global::new(&mut *store, value, ty.mutability()))
        }
        ExternType::Memory(ty) => Extern::Memory(
            Memory::new(&mut *store, *ty).map_err(|e| Failure::Error(e.to_string()))?,
        ),
        ExternType::Table(ty) => {
            let init = Val::default(ty.element());
            Extern::Table(
                Table::new(&mut *store, *ty, init).map_err(|e| Failure::Error(e.to_string()))?,
            )
        }
    })
}

struct LegacyInstance {
    store: Store<()>,
    exports: Vec<(String, Extern)>,
    func_names: HashMap<String, String>,
}

impl LegacyInstance {
    fn export(&self, name: &str) -> Extern {
        self.exports
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, item)| *item)
            .unwrap_or_else(|| panic!("wasmi 0.31 instance has no export {name:?}"))
    }

    fn value(&self, val: &Val) -> Value {
        match val {
            Val::I32(v) => Value::I32(*v),
            Val::I64(v) => Value::I64(*v),
            Val::F32(v) => Value::F32(v.to_bits()),
            Val::F64(v) => Value::F64(v.to_bits()),
            Val::FuncRef(r) => {
                Value::FuncRef(r.func().map(
                    |func| match self.func_names.get(&format!("{func:?}")) {
                        Some(name) => FuncId::Export(name.clone()),
                        None => FuncId::Unexported(signature(&func.ty(&self.store))),
                    },
                ))
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
            .map(|(name, item)| {
                let kind = match item {
                    Extern::Func(f) => ExportKind::Func(signature(&f.ty(&self.store))),
                    Extern::Global(_) => ExportKind::Global,
                    Extern::Memory(_) => ExportKind::Memory,
                    Extern::Table(_) => ExportKind::Table,
                };
                Export { name: name.clone(), kind }
            })
            .collect()
    }

    fn call(&mut self, name: &str, args: &[Value]) -> Result<Vec<Value>, Failure> {
        let Extern::Func(func) = self.export(name) else { panic!("{name:?} is not a function") };
        let funcs: Vec<(Func, String)> = self
            .exports
            .iter()
            .filter_map(|(n, item)| Some((item.into_func()?, n.clone())))
            .collect();
        let params: Vec<Val> = args.iter().map(|a| to_val(&mut self.store, a, &funcs)).collect();
        let ty = func.ty(&self.store);
        let mut results: Vec<Val> = ty.results().iter().map(|&t| Val::default(t)).collect();
        func.call(&mut self.store, &params, &mut results).map_err(failure)?;
        Ok(results.iter().map(|v| self.value(v)).collect())
    }

    fn global(&self, name: &str) -> Value {
        let Extern::Global(global) = self.export(name) else { panic!("{name:?} is not a global") };
        self.value(&global.get(&self.store))
    }

    fn memory(&self, name: &str) -> &[u8] {
        let Extern::Memory(memory) = self.export(name) else { panic!("{name:?} is not a memory") };
        memory.data(&self.store)
    }

    fn table(&self, name: &str) -> Vec<Value> {
        let Extern::Table(table) = self.export(name) else { panic!("{name:?} is not a table") };
        (0..table.size(&self.store))
            .map(|i| self.value(&table.get(&self.store, i).expect("index below the size")))
            .collect()
    }

    fn fuel(&self) -> u64 {
        LEGACY_FUEL.saturating_sub(self.store.fuel_consumed().unwrap_or(0))
    }
}

/// Converts an argument; a `funcref` names an export, found in `funcs`.
fn to_val(store: &mut Store<()>, value: &Value, funcs: &[(Func, String)]) -> Val {
    match value {
        Value::I32(v) => Val::I32(*v),
        Value::I64(v) => Val::I64(*v),
        Value::F32(bits) => Val::F32(F32::from_bits(*bits)),
        Value::F64(bits) => Val::F64(F64::from_bits(*bits)),
        Value::FuncRef(None) => Val::FuncRef(FuncRef::null()),
        Value::FuncRef(Some(FuncId::Export(name))) => {
            let func = funcs.iter().find(|(_, n)| n == name).map(|(f, _)| *f);
            Val::FuncRef(FuncRef::new(func.expect("funcref arguments name exported functions")))
        }
        Value::FuncRef(Some(FuncId::Unexported(_))) => {
            unreachable!("arguments only refer to exported functions")
        }
        Value::ExternRef(None) => Val::ExternRef(ExternRef::null()),
        Value::ExternRef(Some(payload)) => Val::ExternRef(ExternRef::new(&mut *store, *payload)),
    }
}

/// Maps wasmi 0.31's errors onto the shared vocabulary. Errors that are not
/// traps make the tie-break inconclusive, and the divergence is reported.
fn failure(error: Error) -> Failure {
    use wasmi_legacy::errors::{InstantiationError, MemoryError, TableError};
    // Segments out of bounds at instantiation are traps in the spec.
    match &error {
        Error::Instantiation(InstantiationError::ElementSegmentDoesNotFit { .. })
        | Error::Table(TableError::AccessOutOfBounds { .. } | TableError::CopyOutOfBounds) => {
            return Failure::Trap(TrapCode::TableOutOfBounds);
        }
        Error::Memory(MemoryError::OutOfBoundsAccess) => {
            return Failure::Trap(TrapCode::MemoryOutOfBounds);
        }
        _ => {}
    }
    let Error::Trap(trap) = &error else { return Failure::Error(error.to_string()) };
    let Some(code) = trap.trap_code() else { return Failure::Error(error.to_string()) };
    Failure::from_trap(match code {
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
    })
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

fn signature(ty: &FuncType) -> Signature {
    Signature {
        params: ty.params().iter().map(|&t| from_type(t)).collect(),
        results: ty.results().iter().map(|&t| from_type(t)).collect(),
    }
}

//! wasmi 2.x, the reference engine, as a [`DiffEngine`].
//!
//! wasmi's trap codes are mapped onto interp's [`TrapCode`]. wasmi does not
//! tell "undefined element" (a `call_indirect` index past the table's end)
//! apart from other out-of-bounds table accesses, so both become
//! [`TrapCode::TableOutOfBounds`]; the oracle normalises interp's side the same
//! way before comparing (see [`crate::differential`]).

use std::collections::HashMap;

use wasmi::{
    Config, Engine, Error, Extern, ExternRef, ExternType, F32, F64, Func, FuncType, Global,
    Instance, Memory, Module, Nullable, Ref, RefType, Store, Table, Val, ValType,
};

use super::{DiffEngine, DiffInstance, Export, ExportKind, FUEL, Failure, TrapCode, zero};
use crate::value::{FuncId, Signature, Type, Value};

/// wasmi with its default features, plus fuel.
#[derive(Debug)]
pub struct WasmiEngine {
    engine: Engine,
}

impl WasmiEngine {
    /// wasmi with its defaults, eager translation and fuel.
    pub fn new() -> WasmiEngine {
        let mut config = Config::default();
        config.consume_fuel(true);
        // Translate every function up front, so that a function wasmi cannot
        // translate fails at compile time as in interp, not at its first call.
        config.compilation_mode(wasmi::CompilationMode::Eager);
        WasmiEngine { engine: Engine::new(&config) }
    }
}

impl Default for WasmiEngine {
    fn default() -> Self {
        WasmiEngine::new()
    }
}

impl DiffEngine for WasmiEngine {
    fn name(&self) -> &'static str {
        "wasmi"
    }

    fn instantiate(&mut self, wasm: &[u8]) -> Result<Box<dyn DiffInstance>, Failure> {
        let module = Module::new(&self.engine, wasm).map_err(failure)?;
        let mut store = Store::new(&self.engine, ());
        store.set_fuel(FUEL).expect("fuel is enabled");
        let imports: Vec<Extern> = module
            .imports()
            .map(|import| dummy(&mut store, import.ty()))
            .collect::<Result<_, _>>()?;
        let instance = Instance::new(&mut store, &module, &imports).map_err(failure)?;
        let mut exports: Vec<(String, Extern)> = module
            .exports()
            .map(|export| {
                let name = export.name();
                let item = instance.get_export(&store, name).expect("every export resolves");
                (name.to_string(), item)
            })
            .collect();
        exports.sort_by(|a, b| a.0.cmp(&b.0));
        // wasmi's handles have no `PartialEq`; their `Debug` form names the
        // store and the arena index, which identifies a function.
        let mut func_names = HashMap::new();
        for (name, item) in &exports {
            if let Extern::Func(func) = item {
                func_names.entry(format!("{func:?}")).or_insert_with(|| name.clone());
            }
        }
        Ok(Box::new(WasmiInstance { store, exports, func_names }))
    }
}

/// An imported item that needs nothing from the host but its type.
fn dummy(store: &mut Store<()>, ty: &ExternType) -> Result<Extern, Failure> {
    Ok(match ty {
        ExternType::Func(ty) => {
            let results: Vec<Val> =
                ty.results().iter().map(|&t| to_val(store, &zero(from_type(t)), &[])).collect();
            Extern::Func(Func::new(&mut *store, ty.clone(), move |_caller, _params, out| {
                out.clone_from_slice(&results);
                Ok(())
            }))
        }
        ExternType::Global(ty) => {
            let value = to_val(store, &zero(from_type(ty.content())), &[]);
            Extern::Global(Global::new(&mut *store, value, ty.mutability()))
        }
        ExternType::Memory(ty) => Extern::Memory(Memory::new(&mut *store, *ty).map_err(failure)?),
        ExternType::Table(ty) => {
            let init = match ty.element() {
                RefType::Func => Ref::Func(Nullable::Null),
                RefType::Extern => Ref::Extern(Nullable::Null),
            };
            Extern::Table(Table::new(&mut *store, *ty, init).map_err(failure)?)
        }
    })
}

struct WasmiInstance {
    store: Store<()>,
    exports: Vec<(String, Extern)>,
    /// Exported functions by the `Debug` form of their handle.
    func_names: HashMap<String, String>,
}

impl WasmiInstance {
    fn export(&self, name: &str) -> Extern {
        self.exports
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, item)| *item)
            .unwrap_or_else(|| panic!("wasmi instance has no export {name:?}"))
    }

    fn funcref(&self, func: Nullable<Func>) -> Value {
        match func {
            Nullable::Null => Value::FuncRef(None),
            Nullable::Val(func) => {
                Value::FuncRef(Some(match self.func_names.get(&format!("{func:?}")) {
                    Some(name) => FuncId::Export(name.clone()),
                    None => FuncId::Unexported(signature(&func.ty(&self.store))),
                }))
            }
        }
    }

    fn externref(&self, r: Nullable<ExternRef>) -> Value {
        match r {
            Nullable::Null => Value::ExternRef(None),
            Nullable::Val(r) => {
                let payload = r.data(&self.store).downcast_ref::<u32>();
                Value::ExternRef(Some(*payload.expect("every externref holds a u32 payload")))
            }
        }
    }

    fn value(&self, val: Val) -> Value {
        match val {
            Val::I32(v) => Value::I32(v),
            Val::I64(v) => Value::I64(v),
            Val::F32(v) => Value::F32(v.to_bits()),
            Val::F64(v) => Value::F64(v.to_bits()),
            Val::FuncRef(func) => self.funcref(func),
            Val::ExternRef(r) => self.externref(r),
            Val::V128(_) => unreachable!("SIMD is not generated"),
        }
    }
}

impl DiffInstance for WasmiInstance {
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
        let mut results: Vec<Val> = ty.results().iter().map(|&t| Val::default_for_ty(t)).collect();
        func.call(&mut self.store, &params, &mut results).map_err(failure)?;
        Ok(results.into_iter().map(|v| self.value(v)).collect())
    }

    fn global(&self, name: &str) -> Value {
        let Extern::Global(global) = self.export(name) else { panic!("{name:?} is not a global") };
        self.value(global.get(&self.store))
    }

    fn memory(&self, name: &str) -> &[u8] {
        let Extern::Memory(memory) = self.export(name) else { panic!("{name:?} is not a memory") };
        memory.data(&self.store)
    }

    fn table(&self, name: &str) -> Vec<Value> {
        let Extern::Table(table) = self.export(name) else { panic!("{name:?} is not a table") };
        (0..table.size(&self.store))
            .map(|i| match table.get(&self.store, i).expect("index below the size") {
                Ref::Func(func) => self.funcref(func),
                Ref::Extern(r) => self.externref(r),
            })
            .collect()
    }

    fn fuel(&self) -> u64 {
        self.store.get_fuel().expect("fuel is enabled")
    }
}

/// Converts an argument; a `funcref` names an export, found in `funcs`.
fn to_val(store: &mut Store<()>, value: &Value, funcs: &[(Func, String)]) -> Val {
    match value {
        Value::I32(v) => Val::I32(*v),
        Value::I64(v) => Val::I64(*v),
        Value::F32(bits) => Val::F32(F32::from_bits(*bits)),
        Value::F64(bits) => Val::F64(F64::from_bits(*bits)),
        Value::FuncRef(None) => Val::FuncRef(Nullable::Null),
        Value::FuncRef(Some(FuncId::Export(name))) => {
            let func = funcs.iter().find(|(_, n)| n == name).map(|(f, _)| *f);
            Val::FuncRef(Nullable::Val(func.expect("funcref arguments name exported functions")))
        }
        Value::FuncRef(Some(FuncId::Unexported(_))) => {
            unreachable!("arguments only refer to exported functions")
        }
        Value::ExternRef(None) => Val::ExternRef(Nullable::Null),
        Value::ExternRef(Some(payload)) => {
            Val::ExternRef(Nullable::Val(ExternRef::new(&mut *store, *payload)))
        }
    }
}

/// Maps wasmi's errors onto the shared vocabulary.
fn failure(error: Error) -> Failure {
    use wasmi::TrapCode as W;
    use wasmi::errors::{ErrorKind, InstantiationError};
    // An active element segment out of the table's bounds is a trap in the
    // spec (and in interp); wasmi reports it as an instantiation error.
    if let ErrorKind::Instantiation(InstantiationError::ElementSegmentDoesNotFit { .. }) =
        error.kind()
    {
        return Failure::Trap(TrapCode::TableOutOfBounds);
    }
    let Some(code) = error.as_trap_code() else {
        return Failure::Error(error.to_string());
    };
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
        // Resource limits the oracle never sets, and host allocation failure.
        W::GrowthOperationLimited | W::OutOfSystemMemory => {
            return Failure::Error(error.to_string());
        }
    })
}

fn from_type(ty: ValType) -> Type {
    match ty {
        ValType::I32 => Type::I32,
        ValType::I64 => Type::I64,
        ValType::F32 => Type::F32,
        ValType::F64 => Type::F64,
        ValType::FuncRef => Type::FuncRef,
        ValType::ExternRef => Type::ExternRef,
        ValType::V128 => unreachable!("SIMD is not generated"),
    }
}

fn signature(ty: &FuncType) -> Signature {
    Signature {
        params: ty.params().iter().map(|&t| from_type(t)).collect(),
        results: ty.results().iter().map(|&t| from_type(t)).collect(),
    }
}

//! interp, the engine under test, as a [`DiffEngine`].

use std::collections::HashMap;

use interp::{
    Config, Engine, Error, Extern, ExternRef, ExternType, Func, FuncType, Global, Instance, Memory,
    Module, Store, Table, Val, ValType,
};

use super::{DiffEngine, DiffInstance, Export, ExportKind, FUEL, Failure, zero};
use crate::value::{FuncId, Signature, Type, Value};

/// interp with a given [`Config`]; fuel is always on.
#[derive(Debug)]
pub struct InterpEngine {
    engine: Engine,
}

impl InterpEngine {
    /// interp as an embedder gets it by default, plus fuel, and a value stack
    /// of 2^16 cells (512 KiB) instead of 2^23: a store allocates its whole
    /// stack up front, which under the address sanitizer costs more than the
    /// rest of a run. Exhausting it is not compared anyway.
    pub fn new() -> InterpEngine {
        let mut config = Config::default();
        config.max_stack_cells(1 << 16);
        InterpEngine::with_config(config)
    }

    /// interp with `config`, plus fuel.
    pub fn with_config(mut config: Config) -> InterpEngine {
        config.consume_fuel(true);
        InterpEngine { engine: Engine::new(&config) }
    }
}

impl Default for InterpEngine {
    fn default() -> Self {
        InterpEngine::new()
    }
}

impl DiffEngine for InterpEngine {
    fn name(&self) -> &'static str {
        "interp"
    }

    fn instantiate(&mut self, wasm: &[u8]) -> Result<Box<dyn DiffInstance>, Failure> {
        let module = Module::from_binary(&self.engine, wasm).map_err(failure)?;
        let mut store = Store::new(&self.engine, ());
        store.set_fuel(FUEL).expect("fuel is enabled");
        let imports: Vec<Extern> = module
            .imports()
            .map(|import| dummy(&mut store, import.ty()))
            .collect::<Result<_, _>>()?;
        let instance = Instance::new(&mut store, &module, &imports).map_err(failure)?;
        let mut exports = instance.exports(&store);
        exports.sort_by(|a, b| a.0.cmp(&b.0));
        // The first export name (by name order, as for wasmi, whose export
        // order is its own) of every exported function identifies it in
        // `funcref` values.
        let mut func_names = HashMap::new();
        for (name, item) in &exports {
            if let Extern::Func(func) = item {
                func_names.entry(*func).or_insert_with(|| name.clone());
            }
        }
        Ok(Box::new(InterpInstance { store, exports, func_names }))
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
            Extern::Global(Global::new(&mut *store, *ty, value).map_err(failure)?)
        }
        ExternType::Memory(ty) => Extern::Memory(Memory::new(&mut *store, *ty).map_err(failure)?),
        ExternType::Table(ty) => {
            let init = to_val(store, &zero(from_type(ty.element())), &[]);
            Extern::Table(Table::new(&mut *store, *ty, init).map_err(failure)?)
        }
    })
}

struct InterpInstance {
    store: Store<()>,
    exports: Vec<(String, Extern)>,
    func_names: HashMap<Func, String>,
}

impl InterpInstance {
    fn export(&self, name: &str) -> Extern {
        self.exports
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, item)| *item)
            .unwrap_or_else(|| panic!("interp instance has no export {name:?}"))
    }

    fn value(&self, val: Val) -> Value {
        match val {
            Val::I32(v) => Value::I32(v),
            Val::I64(v) => Value::I64(v),
            Val::F32(bits) => Value::F32(bits),
            Val::F64(bits) => Value::F64(bits),
            Val::FuncRef(None) => Value::FuncRef(None),
            Val::FuncRef(Some(func)) => Value::FuncRef(Some(match self.func_names.get(&func) {
                Some(name) => FuncId::Export(name.clone()),
                None => FuncId::Unexported(signature(&func.ty(&self.store))),
            })),
            Val::ExternRef(None) => Value::ExternRef(None),
            Val::ExternRef(Some(r)) => {
                let payload = r.data(&self.store).downcast_ref::<u32>();
                Value::ExternRef(Some(*payload.expect("every externref holds a u32 payload")))
            }
        }
    }
}

impl DiffInstance for InterpInstance {
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
            .filter_map(|(n, item)| Some(((*item).into_func()?, n.clone())))
            .collect();
        let params: Vec<Val> = args.iter().map(|a| to_val(&mut self.store, a, &funcs)).collect();
        let ty = func.ty(&self.store);
        let mut results: Vec<Val> = ty.results().iter().map(|t| t.default_value()).collect();
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
            .map(|i| self.value(table.get(&self.store, i).expect("index below the size")))
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
        Value::F32(bits) => Val::F32(*bits),
        Value::F64(bits) => Val::F64(*bits),
        Value::FuncRef(None) => Val::FuncRef(None),
        Value::FuncRef(Some(FuncId::Export(name))) => {
            let func = funcs.iter().find(|(_, n)| n == name).map(|(f, _)| *f);
            Val::FuncRef(Some(func.expect("funcref arguments name exported functions")))
        }
        Value::FuncRef(Some(FuncId::Unexported(_))) => {
            unreachable!("arguments only refer to exported functions")
        }
        Value::ExternRef(None) => Val::ExternRef(None),
        Value::ExternRef(Some(payload)) => Val::ExternRef(Some(ExternRef::new(store, *payload))),
    }
}

fn failure(error: Error) -> Failure {
    match error.trap_code() {
        Some(code) => Failure::from_trap(code),
        None => Failure::Error(error.to_string()),
    }
}

fn from_type(ty: ValType) -> Type {
    match ty {
        ValType::I32 => Type::I32,
        ValType::I64 => Type::I64,
        ValType::F32 => Type::F32,
        ValType::F64 => Type::F64,
        ValType::FuncRef => Type::FuncRef,
        ValType::ExternRef => Type::ExternRef,
    }
}

fn signature(ty: &FuncType) -> Signature {
    Signature {
        params: ty.params().iter().map(|&t| from_type(t)).collect(),
        results: ty.results().iter().map(|&t| from_type(t)).collect(),
    }
}

//! interp, the engine under test, as a [`DiffEngine`], in either of its
//! translations: the default one users run (no fuel) or the fuel-metered one.
//!
//! A trap's [`Site`] comes from interp's backtrace: the opcode at the
//! innermost frame's code offset in the binary of the module that frame
//! belongs to (told apart by the module name in the name section, which only
//! the oracles' own modules have).

use interp::{
    Config, Engine, Error, Extern, ExternRef, ExternType, Func, FuncType, Global, Instance, Memory,
    Module, Store, Table, Tag, V128, Val, ValType,
};

use super::host::{self, HostResult, Param};
use super::{
    DiffEngine, DiffInstance, Export, ExportKind, Failure, FuncNames, Outcome, Site, Source, Stack,
    World, zero,
};
use crate::value::{FuncId, Signature, Type, Value};

/// Which of interp's translations runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Translation {
    /// The code users run by default: no fuel metering.
    Default,
    /// Fuel metering on (a `ConsumeFuel` instruction at every merge point).
    Metered,
}

/// interp with a given [`Config`] and translation.
#[derive(Debug)]
pub struct InterpEngine {
    engine: Engine,
    translation: Translation,
    /// Compiled modules, by binary, so that re-instantiating a world does not
    /// translate it again.
    modules: Vec<(Vec<u8>, Module)>,
}

impl InterpEngine {
    /// interp as an embedder gets it by default, in `translation`, with a
    /// value stack of 2^14 cells (128 KiB) instead of 2^23 for
    /// [`Stack::Normal`] (a store allocates and zeroes its whole stack at its
    /// first call, which would cost more than the rest of a run), or 2^18
    /// cells for [`Stack::Large`]. wasmi's default stack allows 1000 nested
    /// calls; where interp runs out first, the oracle replays with
    /// [`Stack::Large`].
    pub fn new(translation: Translation, stack: Stack) -> InterpEngine {
        let mut config = Config::default();
        config.max_stack_cells(match stack {
            Stack::Normal => 1 << 14,
            Stack::Large => 1 << 18,
        });
        InterpEngine::with_config(config, translation)
    }

    /// interp with `config`, in `translation` (which decides fuel metering).
    pub fn with_config(mut config: Config, translation: Translation) -> InterpEngine {
        config.consume_fuel(translation == Translation::Metered);
        InterpEngine { engine: Engine::new(&config), translation, modules: Vec::new() }
    }

    fn compile(&mut self, wasm: &[u8]) -> Result<Module, Failure> {
        if let Some((_, module)) = self.modules.iter().find(|(bytes, _)| bytes == wasm) {
            return Ok(module.clone());
        }
        let module = Module::from_binary(&self.engine, wasm).map_err(|e| failure(e, &[]))?;
        self.modules.push((wasm.to_vec(), module.clone()));
        Ok(module)
    }
}

impl DiffEngine for InterpEngine {
    fn name(&self) -> &'static str {
        match self.translation {
            Translation::Default => "interp",
            Translation::Metered => "interp (metered)",
        }
    }

    fn instantiate(&mut self, world: &World, fuel: Option<u64>) -> Outcome<Box<dyn DiffInstance>> {
        let metered = self.translation == Translation::Metered;
        let mut store = Store::new(&self.engine, vec![0u64; world.hosts.len()]);
        let hosts: Vec<Func> =
            world.hosts.iter().enumerate().map(|(i, sig)| host_func(&mut store, i, sig)).collect();
        let code = world.modules.iter().map(|m| (module_name(&m.wasm), m.wasm.clone())).collect();
        let mut instance = InterpInstance {
            store,
            metered,
            code,
            exports: Vec::new(),
            func_names: FuncNames::new(),
            fuel_used: None,
        };
        if metered {
            instance.store.set_fuel(fuel.unwrap_or(super::REPLAY_FUEL)).expect("fuel is on");
        }
        let mut instances: Vec<Instance> = Vec::new();
        for spec in &world.modules {
            let module = self.compile(&spec.wasm)?;
            let mut imports = Vec::with_capacity(spec.imports.len());
            for import in module.imports() {
                let source = spec.source(import.module(), import.name());
                imports.push(match source {
                    Source::Host(i) => Extern::Func(hosts[*i]),
                    Source::Export { module, name } => instances[*module]
                        .get_export(&instance.store, name)
                        .ok_or_else(|| Failure::Error(format!("no export {name:?} to import")))?,
                    Source::Dummy => {
                        let fill: Vec<Func> = world.table_hosts.iter().map(|&i| hosts[i]).collect();
                        dummy(&mut instance.store, import.ty(), &fill)?
                    }
                });
            }
            let result = Instance::new(&mut instance.store, &module, &imports);
            instance.note_fuel(fuel);
            instances.push(result.map_err(|e| instance.failure(e))?);
        }
        for (i, handle) in hosts.iter().enumerate() {
            instance.func_names.host(*handle, i);
        }
        for (m, handle) in instances.iter().enumerate() {
            let mut exports = handle.exports(&instance.store);
            exports.sort_by(|a, b| a.0.cmp(&b.0));
            for (name, item) in exports {
                if let Extern::Func(func) = item {
                    instance.func_names.export(func, m, &name);
                }
                instance.exports.push((m, name, item));
            }
        }
        Ok(Box::new(instance))
    }
}

/// The module name in a binary's name section, if any.
fn module_name(wasm: &[u8]) -> Option<String> {
    for payload in wasmparser::Parser::new(0).parse_all(wasm) {
        if let Ok(wasmparser::Payload::CustomSection(section)) = payload
            && let wasmparser::KnownCustom::Name(names) = section.as_known()
        {
            for name in names {
                if let Ok(wasmparser::Name::Module { name, .. }) = name {
                    return Some(name.to_string());
                }
            }
        }
    }
    None
}

/// A host function of the world: counts its calls in the store's data and
/// returns what [`host::call`] says.
fn host_func(store: &mut Store<Vec<u64>>, index: usize, sig: &Signature) -> Func {
    let sig = sig.clone();
    Func::new(&mut *store, func_type(&sig), move |mut caller, params, results| {
        let count = caller.data()[index];
        caller.data_mut()[index] += 1;
        let args: Vec<Param> = params.iter().map(to_param).collect();
        let out = host::call(index, count, &sig, &args).map_err(Error::trap)?;
        for ((slot, result), &ty) in results.iter_mut().zip(out).zip(&sig.results) {
            *slot = match result {
                HostResult::Bits(bits) => from_bits(ty, bits),
                HostResult::V128(bits) => Val::V128(V128::from_u128(bits)),
                HostResult::Param(i) => params[i],
                HostResult::Null => to_type(ty).default_value(),
            };
        }
        Ok(())
    })
}

fn to_param(val: &Val) -> Param {
    match val {
        Val::I32(v) => Param::Bits(u64::from(*v as u32)),
        Val::I64(v) => Param::Bits(*v as u64),
        Val::F32(bits) => Param::Bits(u64::from(*bits)),
        Val::F64(bits) => Param::Bits(*bits),
        Val::V128(v) => Param::V128(v.as_u128()),
        Val::FuncRef(r) => Param::Ref { null: r.is_none() },
        Val::ExternRef(r) => Param::Ref { null: r.is_none() },
        Val::ExnRef(r) => Param::Ref { null: r.is_none() },
    }
}

fn from_bits(ty: Type, bits: u64) -> Val {
    match ty {
        Type::I32 => Val::I32(bits as u32 as i32),
        Type::I64 => Val::I64(bits as i64),
        Type::F32 => Val::F32(bits as u32),
        Type::F64 => Val::F64(bits),
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
            Extern::Global(Global::new(&mut *store, *ty, value).map_err(error)?)
        }
        ExternType::Memory(ty) => Extern::Memory(Memory::new(&mut *store, *ty).map_err(error)?),
        ExternType::Table(ty) => {
            let table =
                Table::new(&mut *store, *ty, ty.element().default_value()).map_err(error)?;
            if ty.element() == ValType::FuncRef {
                for (i, func) in fill.iter().take(ty.minimum() as usize).enumerate() {
                    table.set(&mut *store, i as u32, Val::FuncRef(Some(*func))).map_err(error)?;
                }
            }
            Extern::Table(table)
        }
        ExternType::Tag(ty) => Extern::Tag(Tag::new(&mut *store, ty)),
    })
}

struct InterpInstance {
    store: Store<Vec<u64>>,
    metered: bool,
    /// Each module's name-section name and binary, for trap sites.
    code: Vec<(Option<String>, Vec<u8>)>,
    exports: Vec<(usize, String, Extern)>,
    func_names: FuncNames<Func>,
    fuel_used: Option<u64>,
}

impl InterpInstance {
    fn export(&self, module: usize, name: &str) -> Extern {
        self.exports
            .iter()
            .find(|(m, n, _)| *m == module && n == name)
            .map(|(_, _, item)| *item)
            .unwrap_or_else(|| panic!("interp instance has no export {module}.{name:?}"))
    }

    fn value(&self, val: Val) -> Value {
        match val {
            Val::I32(v) => Value::I32(v),
            Val::I64(v) => Value::I64(v),
            Val::F32(bits) => Value::F32(bits),
            Val::F64(bits) => Value::F64(bits),
            Val::V128(v) => Value::V128(v.as_u128()),
            Val::FuncRef(None) => Value::FuncRef(None),
            Val::FuncRef(Some(func)) => Value::FuncRef(Some(match self.func_names.get(&func) {
                Some(id) => id.clone(),
                None => FuncId::Unexported(signature(&func.ty(&self.store))),
            })),
            Val::ExternRef(None) => Value::ExternRef(None),
            Val::ExternRef(Some(r)) => {
                let payload = r.data(&self.store).downcast_ref::<u32>();
                Value::ExternRef(Some(*payload.expect("every externref holds a u32 payload")))
            }
            Val::ExnRef(None) => Value::ExnRef(None),
            Val::ExnRef(Some(exn)) => Value::ExnRef(Some(
                exn.payload(&self.store).into_iter().map(|v| self.value(v)).collect(),
            )),
        }
    }

    /// Records the fuel used since it was set to `fuel`.
    ///
    /// # Panics
    ///
    /// If there is more fuel left than was set: fuel must only go down.
    fn note_fuel(&mut self, fuel: Option<u64>) {
        if self.metered {
            let budget = fuel.unwrap_or(super::REPLAY_FUEL);
            let left = self.store.get_fuel().expect("fuel is on");
            let used = budget.checked_sub(left);
            self.fuel_used =
                Some(used.unwrap_or_else(|| panic!("fuel went up from {budget} to {left}")));
        }
    }

    /// Converts an error, finding a trap's site from the backtrace; an
    /// uncaught exception becomes its payload.
    fn failure(&self, error: Error) -> Failure {
        if let Some(exception) = error.as_exception() {
            return Failure::Exception(
                exception.payload().iter().map(|&v| self.value(v)).collect(),
            );
        }
        failure(error, &self.code)
    }
}

/// Converts an error; `code` holds each module's name and binary, the last
/// being the one a frame without a known module name belongs to.
fn failure(error: Error, code: &[(Option<String>, Vec<u8>)]) -> Failure {
    let Some(trap) = error.as_trap() else { return Failure::Error(error.to_string()) };
    let site = match trap.trace().first() {
        None => Site::NoFrame,
        Some(frame) => {
            let wasm = code
                .iter()
                .find(|(name, _)| name.is_some() && *name == frame.module_name)
                .or(code.last())
                .map(|(_, wasm)| wasm.as_slice());
            match frame.offset.and_then(|offset| wasm?.get(offset)) {
                // call_indirect, return_call_indirect
                Some(0x11 | 0x13) => Site::CallIndirect,
                Some(&op) => Site::Other(op),
                None => Site::NoFrame,
            }
        }
    };
    Failure::from_trap(trap.code(), Some(site))
}

impl DiffInstance for InterpInstance {
    fn exports(&self) -> Vec<Export> {
        self.exports
            .iter()
            .map(|(module, name, item)| {
                let kind = match item {
                    Extern::Func(f) => ExportKind::Func(signature(&f.ty(&self.store))),
                    Extern::Global(_) => ExportKind::Global,
                    Extern::Memory(_) => ExportKind::Memory,
                    Extern::Table(_) => ExportKind::Table,
                    Extern::Tag(_) => ExportKind::Tag,
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
            .filter_map(|(m, n, item)| Some((*m, n.as_str(), (*item).into_func()?)))
            .collect();
        let params: Vec<Val> = args.iter().map(|a| to_val(&mut self.store, a, &funcs)).collect();
        let ty = func.ty(&self.store);
        let mut results: Vec<Val> = ty.results().iter().map(|t| t.default_value()).collect();
        if self.metered {
            self.store.set_fuel(fuel.unwrap_or(super::REPLAY_FUEL)).expect("fuel is on");
        }
        let result = func.call(&mut self.store, &params, &mut results);
        self.note_fuel(fuel);
        result.map_err(|e| self.failure(e))?;
        Ok(results.into_iter().map(|v| self.value(v)).collect())
    }

    fn fuel_used(&self) -> Option<u64> {
        self.fuel_used
    }

    fn global(&self, module: usize, name: &str) -> Value {
        let Extern::Global(global) = self.export(module, name) else {
            panic!("{name:?} is not a global")
        };
        self.value(global.get(&self.store))
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
            .map(|i| self.value(table.get(&self.store, i).expect("index below the size")))
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
        Value::F32(bits) => Val::F32(*bits),
        Value::F64(bits) => Val::F64(*bits),
        Value::V128(bits) => Val::V128(V128::from_u128(*bits)),
        Value::FuncRef(None) => Val::FuncRef(None),
        Value::FuncRef(Some(FuncId::Export { module, name })) => {
            let func = funcs.iter().find(|(m, n, _)| m == module && n == name).map(|f| f.2);
            Val::FuncRef(Some(func.expect("funcref arguments name exported functions")))
        }
        Value::FuncRef(Some(FuncId::Host(_) | FuncId::Unexported(_))) => {
            unreachable!("arguments only refer to exported functions")
        }
        Value::ExternRef(None) => Val::ExternRef(None),
        Value::ExternRef(Some(payload)) => Val::ExternRef(Some(ExternRef::new(store, *payload))),
        Value::ExnRef(None) => Val::ExnRef(None),
        Value::ExnRef(Some(_)) => unreachable!("exnref arguments are null"),
    }
}

fn from_type(ty: ValType) -> Type {
    match ty {
        ValType::I32 => Type::I32,
        ValType::I64 => Type::I64,
        ValType::F32 => Type::F32,
        ValType::F64 => Type::F64,
        ValType::V128 => Type::V128,
        ValType::FuncRef => Type::FuncRef,
        ValType::ExternRef => Type::ExternRef,
        ValType::ExnRef => Type::ExnRef,
    }
}

fn to_type(ty: Type) -> ValType {
    match ty {
        Type::I32 => ValType::I32,
        Type::I64 => ValType::I64,
        Type::F32 => ValType::F32,
        Type::F64 => ValType::F64,
        Type::V128 => ValType::V128,
        Type::FuncRef => ValType::FuncRef,
        Type::ExternRef => ValType::ExternRef,
        Type::ExnRef => ValType::ExnRef,
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

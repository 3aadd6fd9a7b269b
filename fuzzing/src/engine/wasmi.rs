//! wasmi 2.x with its `simd` feature (fixed-width and relaxed SIMD), the
//! reference engine, as a [`DiffEngine`], always with fuel and with custom
//! page sizes and wide arithmetic (off by default in wasmi).
//!
//! wasmi's trap codes are mapped onto interp's [`TrapCode`], without a site.
//! wasmi reports a `call_indirect` index past the table's end as
//! `TableOutOfBounds`, where the spec (and interp) says "undefined element";
//! the oracle knows which instruction trapped from interp's side and maps
//! exactly (see `differential::compare`).

use wasmi::{
    Config, Engine, Error, Extern, ExternRef, ExternType, F32, F64, Func, FuncType, Global,
    Instance, Memory, Module, Nullable, Ref, RefType, Store, Table, V128, Val, ValType,
};

use super::host::{self, HostResult, Param};
use super::{
    DiffEngine, DiffInstance, Export, ExportKind, Failure, FuncNames, Outcome, Source, Stack, Trap,
    TrapCode, World, zero,
};
use crate::value::{FuncId, Signature, Type, Value};

/// wasmi with its default features plus SIMD and wide arithmetic, eager
/// translation and fuel.
#[derive(Debug)]
pub struct WasmiEngine {
    engine: Engine,
    modules: Vec<(Vec<u8>, Module)>,
}

impl WasmiEngine {
    /// wasmi with its defaults plus custom page sizes and wide arithmetic
    /// (off by default), or 16 times its default stack limits for
    /// [`Stack::Large`].
    pub fn new(stack: Stack) -> WasmiEngine {
        let mut config = Config::default();
        config.consume_fuel(true);
        config.wasm_custom_page_sizes(true);
        config.wasm_wide_arithmetic(true);
        // Translate every function up front, so that a function wasmi cannot
        // translate fails at compile time as in interp, not at its first call.
        config.compilation_mode(wasmi::CompilationMode::Eager);
        if stack == Stack::Large {
            config.set_max_recursion_depth(16_000);
            config.set_max_stack_height(16_000_000);
        }
        WasmiEngine { engine: Engine::new(&config), modules: Vec::new() }
    }

    fn compile(&mut self, wasm: &[u8]) -> Result<Module, Failure> {
        if let Some((_, module)) = self.modules.iter().find(|(bytes, _)| bytes == wasm) {
            return Ok(module.clone());
        }
        let module = Module::new(&self.engine, wasm).map_err(failure)?;
        self.modules.push((wasm.to_vec(), module.clone()));
        Ok(module)
    }
}

impl DiffEngine for WasmiEngine {
    fn name(&self) -> &'static str {
        "wasmi"
    }

    fn instantiate(&mut self, world: &World, fuel: Option<u64>) -> Outcome<Box<dyn DiffInstance>> {
        let fuel = fuel.unwrap_or(super::REPLAY_FUEL);
        let mut store = Store::new(&self.engine, vec![0u64; world.hosts.len()]);
        let hosts: Vec<Func> =
            world.hosts.iter().enumerate().map(|(i, sig)| host_func(&mut store, i, sig)).collect();
        store.set_fuel(fuel).expect("fuel is on");
        let mut instances: Vec<Instance> = Vec::new();
        for spec in &world.modules {
            let module = self.compile(&spec.wasm)?;
            let mut imports = Vec::with_capacity(spec.imports.len());
            for import in module.imports() {
                let source = spec.source(import.module(), import.name());
                imports.push(match source {
                    Source::Host(i) => Extern::Func(hosts[*i]),
                    Source::Export { module, name } => instances[*module]
                        .get_export(&store, name)
                        .ok_or_else(|| Failure::Error(format!("no export {name:?} to import")))?,
                    Source::Dummy => {
                        let fill: Vec<Func> = world.table_hosts.iter().map(|&i| hosts[i]).collect();
                        dummy(&mut store, import.ty(), &fill)?
                    }
                });
            }
            instances.push(Instance::new(&mut store, &module, &imports).map_err(failure)?);
        }
        let fuel_used = Some(fuel - store.get_fuel().expect("fuel is on"));
        let mut exports = Vec::new();
        let mut func_names = FuncNames::new();
        for (i, handle) in hosts.iter().enumerate() {
            func_names.host(key(handle), i);
        }
        for (m, instance) in instances.iter().enumerate() {
            let module = self.compile(&world.modules[m].wasm)?;
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
        Ok(Box::new(WasmiInstance { store, exports, func_names, fuel_used }))
    }
}

/// wasmi's handles have no `PartialEq`; their `Debug` form names the store
/// and the arena index, which identifies a function.
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
        let out = host::call(index, count, &sig, &args).map_err(|_| {
            // The only trap host functions raise.
            Error::from(wasmi::TrapCode::UnreachableCodeReached)
        })?;
        for ((slot, result), &ty) in results.iter_mut().zip(out).zip(&sig.results) {
            *slot = match result {
                HostResult::Bits(bits) => from_bits(ty, bits),
                HostResult::V128(bits) => Val::V128(V128::from(bits)),
                HostResult::Param(i) => params[i].clone(),
                HostResult::Null => Val::default_for_ty(to_type(ty)),
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
        Val::V128(v) => Param::V128(v.as_u128()),
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
    Ok(match ty {
        ExternType::Func(_) => unreachable!("function imports are host functions"),
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
            let table = Table::new(&mut *store, *ty, init).map_err(failure)?;
            if ty.element() == RefType::Func {
                for (i, func) in fill.iter().take(ty.minimum() as usize).enumerate() {
                    table
                        .set(&mut *store, i as u64, Ref::Func(Nullable::Val(*func)))
                        .map_err(|e| Failure::Error(e.to_string()))?;
                }
            }
            Extern::Table(table)
        }
    })
}

struct WasmiInstance {
    store: Store<Vec<u64>>,
    exports: Vec<(usize, String, Extern)>,
    func_names: FuncNames<String>,
    fuel_used: Option<u64>,
}

impl WasmiInstance {
    fn export(&self, module: usize, name: &str) -> Extern {
        self.exports
            .iter()
            .find(|(m, n, _)| *m == module && n == name)
            .map(|(_, _, item)| *item)
            .unwrap_or_else(|| panic!("wasmi instance has no export {module}.{name:?}"))
    }

    fn funcref(&self, func: Nullable<Func>) -> Value {
        match func {
            Nullable::Null => Value::FuncRef(None),
            Nullable::Val(func) => Value::FuncRef(Some(match self.func_names.get(&key(&func)) {
                Some(id) => id.clone(),
                None => FuncId::Unexported(signature(&func.ty(&self.store))),
            })),
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
            Val::V128(v) => Value::V128(v.as_u128()),
        }
    }
}

impl DiffInstance for WasmiInstance {
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
        let mut results: Vec<Val> = ty.results().iter().map(|&t| Val::default_for_ty(t)).collect();
        let fuel = fuel.unwrap_or(super::REPLAY_FUEL);
        self.store.set_fuel(fuel).expect("fuel is on");
        let result = func.call(&mut self.store, &params, &mut results);
        self.fuel_used = Some(fuel - self.store.get_fuel().expect("fuel is on"));
        result.map_err(failure)?;
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
            .map(|i| match table.get(&self.store, i).expect("index below the size") {
                Ref::Func(func) => self.funcref(func),
                Ref::Extern(r) => self.externref(r),
            })
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
        Value::V128(bits) => Val::V128(V128::from(*bits)),
        Value::FuncRef(None) => Val::FuncRef(Nullable::Null),
        Value::FuncRef(Some(FuncId::Export { module, name })) => {
            let func = funcs.iter().find(|(m, n, _)| m == module && n == name).map(|f| f.2);
            Val::FuncRef(Nullable::Val(func.expect("funcref arguments name exported functions")))
        }
        Value::FuncRef(Some(FuncId::Host(_) | FuncId::Unexported(_))) => {
            unreachable!("arguments only refer to exported functions")
        }
        Value::ExternRef(None) => Val::ExternRef(Nullable::Null),
        Value::ExternRef(Some(payload)) => {
            Val::ExternRef(Nullable::Val(ExternRef::new(&mut *store, *payload)))
        }
        Value::ExnRef(_) => unreachable!("wasmi runs no exception handling"),
    }
}

/// Maps wasmi's errors onto the shared vocabulary.
fn failure(error: Error) -> Failure {
    use wasmi::TrapCode as W;
    use wasmi::errors::{ErrorKind, InstantiationError};
    let trap = |code| Failure::Trap(Trap { code, site: None });
    // An active element segment out of the table's bounds is a trap in the
    // spec (and in interp); wasmi reports it as an instantiation error.
    if let ErrorKind::Instantiation(InstantiationError::ElementSegmentDoesNotFit { .. }) =
        error.kind()
    {
        return trap(TrapCode::TableOutOfBounds);
    }
    let Some(code) = error.as_trap_code() else {
        return Failure::Error(error.to_string());
    };
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
            // Resource limits the oracle never sets, and host allocation failure.
            W::GrowthOperationLimited | W::OutOfSystemMemory => {
                return Failure::Error(error.to_string());
            }
        },
        None,
    )
}

fn from_type(ty: ValType) -> Type {
    match ty {
        ValType::I32 => Type::I32,
        ValType::I64 => Type::I64,
        ValType::F32 => Type::F32,
        ValType::F64 => Type::F64,
        ValType::FuncRef => Type::FuncRef,
        ValType::ExternRef => Type::ExternRef,
        ValType::V128 => Type::V128,
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

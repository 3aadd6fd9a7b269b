//! Instances: instantiation (import matching, allocation, segment initialisation,
//! start function) and the [`Instance`] handle for reading exports.

use std::collections::HashMap;
use std::sync::Arc;

use super::func::FuncEntity;
use super::global::GlobalEntity;
use super::memory::MemoryEntity;
use super::store::{AsContext, AsContextMut, Store, StoreId, StoreInner};
use super::table::{TableEntity, checked_range};
use super::{Extern, Func, Global, Memory, Table, Tag, TypedFunc, WasmParams, WasmResults};
use crate::error::Error;
use crate::module::{DataMode, ElementMode, EntityIndex, Module, ModuleInner};
use crate::trap::TrapCode;
use crate::types::{ExternType, GlobalType, MemoryType, TableType};

/// Index of an instance in its store.
#[derive(Debug, Copy, Clone, PartialEq, Eq, Hash)]
pub(crate) struct InstanceIdx(pub u32);

/// What a store knows about an instance: the store indices of everything in the
/// module's index spaces, and the runtime state of its segments.
pub(crate) struct InstanceEntity {
    pub module: Arc<ModuleInner>,
    pub funcs: Vec<u32>,
    pub tables: Vec<u32>,
    pub memories: Vec<u32>,
    pub globals: Vec<u32>,
    /// Store indices of the instance's tags.
    pub tags: Vec<u32>,
    /// Passive data segments; dropped (and active, after instantiation) ones are empty.
    pub data: Vec<Arc<[u8]>>,
    /// Element segments as cells; dropped (and active/declared) ones are empty.
    pub elements: Vec<Box<[u64]>>,
    exports: HashMap<String, Extern>,
}

impl InstanceEntity {
    pub fn export(&self, name: &str) -> Option<Extern> {
        self.exports.get(name).copied()
    }
}

/// An instantiated module.
///
/// A small `Copy` handle into the [`Store`] that owns the instance.
#[derive(Debug, Copy, Clone, PartialEq, Eq, Hash)]
pub struct Instance {
    store: StoreId,
    index: u32,
}

impl Instance {
    /// Instantiates `module` with `imports` given in the order of the module's
    /// imports, then runs its start function. Use a [`Linker`](crate::Linker) to
    /// resolve imports by name instead.
    ///
    /// # Errors
    ///
    /// If the imports do not match (a link error), a segment does not fit or the
    /// start function traps.
    pub fn new<T>(
        mut store: impl AsContextMut<Data = T>,
        module: &Module,
        imports: &[Extern],
    ) -> Result<Instance, Error> {
        instantiate(store.as_context_mut().0, module, imports)
    }

    fn entity<'a>(&self, store: &'a StoreInner) -> &'a InstanceEntity {
        assert_eq!(store.id, self.store, "instance used with the wrong store");
        &store.instances[self.index as usize]
    }

    /// The export `name`, if any.
    ///
    /// # Panics
    ///
    /// If `store` does not own this instance (as for every method here).
    pub fn get_export(&self, store: impl AsContext, name: &str) -> Option<Extern> {
        self.entity(&store.as_context().0.inner).export(name)
    }

    /// All exports, in the module's order.
    pub fn exports(&self, store: impl AsContext) -> Vec<(String, Extern)> {
        let entity = self.entity(&store.as_context().0.inner);
        entity
            .module
            .exports
            .iter()
            .filter_map(|(name, _)| Some((name.clone(), entity.export(name)?)))
            .collect()
    }

    /// The exported function `name`, if there is one.
    pub fn get_func(&self, store: impl AsContext, name: &str) -> Option<Func> {
        self.get_export(store, name)?.into_func()
    }

    /// The exported function `name` with a static signature.
    ///
    /// # Errors
    ///
    /// If there is no such function or its type does not match.
    pub fn get_typed_func<Params: WasmParams, Results: WasmResults>(
        &self,
        store: impl AsContext,
        name: &str,
    ) -> Result<TypedFunc<Params, Results>, Error> {
        let func = self
            .get_func(&store, name)
            .ok_or_else(|| Error::usage(format!("no exported function named `{name}`")))?;
        func.typed(&store)
    }

    /// The exported memory `name`, if there is one.
    pub fn get_memory(&self, store: impl AsContext, name: &str) -> Option<Memory> {
        self.get_export(store, name)?.into_memory()
    }

    /// The exported table `name`, if there is one.
    pub fn get_table(&self, store: impl AsContext, name: &str) -> Option<Table> {
        self.get_export(store, name)?.into_table()
    }

    /// The exported tag `name`, if there is one.
    pub fn get_tag(&self, store: impl AsContext, name: &str) -> Option<Tag> {
        self.get_export(store, name)?.into_tag()
    }

    /// The exported global `name`, if there is one.
    pub fn get_global(&self, store: impl AsContext, name: &str) -> Option<Global> {
        self.get_export(store, name)?.into_global()
    }
}

/// The type of an external value as it exists in the store now.
pub(crate) fn extern_type(store: &StoreInner, ext: &Extern) -> ExternType {
    match ext {
        Extern::Func(f) => {
            ExternType::Func(store.engine.resolve_type(store.funcs[f.index() as usize].type_id()))
        }
        Extern::Table(t) => ExternType::Table(store.tables[t.index() as usize].ty()),
        Extern::Memory(m) => ExternType::Memory(store.memories[m.index() as usize].ty()),
        Extern::Global(g) => ExternType::Global(store.globals[g.index() as usize].ty),
        Extern::Tag(t) => ExternType::Tag(store.tag_type(t.index())),
    }
}

/// Whether `actual` limits satisfy `expected` ones (spec import subtyping).
fn limits_match(actual: (u64, Option<u64>), expected: (u64, Option<u64>)) -> bool {
    actual.0 >= expected.0
        && match (actual.1, expected.1) {
            (_, None) => true,
            (Some(a), Some(e)) => a <= e,
            (None, Some(_)) => false,
        }
}

fn import_matches(actual: &ExternType, expected: &ExternType) -> bool {
    match (actual, expected) {
        (ExternType::Func(a), ExternType::Func(e)) => a == e,
        (ExternType::Table(a), ExternType::Table(e)) => table_matches(a, e),
        (ExternType::Memory(a), ExternType::Memory(e)) => memory_matches(a, e),
        (ExternType::Global(a), ExternType::Global(e)) => global_matches(a, e),
        (ExternType::Tag(a), ExternType::Tag(e)) => a == e,
        _ => false,
    }
}

fn table_matches(a: &TableType, e: &TableType) -> bool {
    a.element() == e.element()
        && a.is_64() == e.is_64()
        && limits_match((a.minimum(), a.maximum()), (e.minimum(), e.maximum()))
}

fn memory_matches(a: &MemoryType, e: &MemoryType) -> bool {
    a.is_64() == e.is_64()
        && a.page_size_log2() == e.page_size_log2()
        && limits_match((a.minimum(), a.maximum()), (e.minimum(), e.maximum()))
}

fn global_matches(a: &GlobalType, e: &GlobalType) -> bool {
    a == e
}

fn kind_name(ty: &ExternType) -> &'static str {
    match ty {
        ExternType::Func(_) => "function",
        ExternType::Table(_) => "table",
        ExternType::Memory(_) => "memory",
        ExternType::Global(_) => "global",
        ExternType::Tag(_) => "tag",
    }
}

/// Instantiates `module` with positional `imports` and runs its start function.
pub(crate) fn instantiate<T>(
    store: &mut Store<T>,
    module: &Module,
    imports: &[Extern],
) -> Result<Instance, Error> {
    if !crate::Engine::same(store.engine(), module.engine()) {
        return Err(Error::usage("module and store were created by different engines"));
    }
    let m = module.inner().clone();
    if imports.len() != m.imports.len() {
        return Err(Error::link(format!(
            "module expects {} imports but {} were given",
            m.imports.len(),
            imports.len()
        )));
    }
    let inner = &mut store.inner;
    let mut entity = InstanceEntity {
        module: m.clone(),
        funcs: Vec::with_capacity(m.funcs.len()),
        tables: Vec::with_capacity(m.tables.len()),
        memories: Vec::with_capacity(m.memories.len()),
        globals: Vec::with_capacity(m.globals.len()),
        tags: Vec::with_capacity(m.tags.len()),
        data: Vec::new(),
        elements: Vec::new(),
        exports: HashMap::new(),
    };

    // Imports: check each against the module's expectation.
    for (import, ext) in m.imports.iter().zip(imports) {
        inner.check(ext.store_id())?;
        let expected = m.extern_type(import.index);
        let actual = extern_type(inner, ext);
        if !import_matches(&actual, &expected) {
            return Err(Error::link(format!(
                "incompatible import type for `{}::{}`: expected {} {expected}, found {} {actual}",
                import.module,
                import.name,
                kind_name(&expected),
                kind_name(&actual),
            )));
        }
        match ext {
            Extern::Func(f) => entity.funcs.push(f.index()),
            Extern::Table(t) => entity.tables.push(t.index()),
            Extern::Memory(mem) => entity.memories.push(mem.index()),
            Extern::Global(g) => entity.globals.push(g.index()),
            Extern::Tag(t) => entity.tags.push(t.index()),
        }
    }

    // Allocation of the module's own functions, tables, memories and globals.
    let instance_idx = InstanceIdx(inner.instances.len() as u32);
    for (code, &type_index) in m.funcs[m.num_imported_funcs as usize..].iter().enumerate() {
        let func = inner.push_func(FuncEntity::Wasm {
            type_id: m.type_ids[type_index as usize],
            instance: instance_idx,
            module: m.clone(),
            code: code as u32,
        });
        entity.funcs.push(func.index());
    }
    for ty in &m.tables[m.num_imported_tables as usize..] {
        entity.tables.push(inner.tables.len() as u32);
        inner.tables.push(TableEntity::new(*ty, 0)?);
    }
    for ty in &m.memories[m.num_imported_memories as usize..] {
        let memory = inner.push_memory(MemoryEntity::new(*ty)?);
        entity.memories.push(memory.index());
    }
    for &type_index in &m.tags[m.num_imported_tags as usize..] {
        let tag = inner.push_tag(&m.types[type_index as usize]);
        entity.tags.push(tag.index());
    }
    for decl in &m.globals[m.num_imported_globals as usize..] {
        let init = decl.init.as_ref().expect("defined globals have initialisers");
        let cells = init.eval_cells(
            |g| inner.globals[entity.globals[g as usize] as usize].cells(),
            |f| u64::from(entity.funcs[f as usize]) + 1,
        );
        let global = inner.push_global(GlobalEntity::new(decl.ty, cells));
        entity.globals.push(global.index());
    }

    // Segments: element items are evaluated now; data stays shared with the module.
    entity.elements = m
        .elements
        .iter()
        .map(|seg| {
            seg.items
                .iter()
                .map(|item| {
                    item.eval(
                        |g| inner.globals[entity.globals[g as usize] as usize].value,
                        |f| u64::from(entity.funcs[f as usize]) + 1,
                    )
                })
                .collect()
        })
        .collect();
    entity.data = m.data.iter().map(|seg| seg.bytes.clone()).collect();

    let id = inner.id;
    for (name, index) in &m.exports {
        let ext = match *index {
            EntityIndex::Func(i) => Extern::Func(Func::from_raw(id, entity.funcs[i as usize])),
            EntityIndex::Table(i) => Extern::Table(Table::from_raw(id, entity.tables[i as usize])),
            EntityIndex::Memory(i) => {
                Extern::Memory(Memory::from_raw(id, entity.memories[i as usize]))
            }
            EntityIndex::Global(i) => {
                Extern::Global(Global::from_raw(id, entity.globals[i as usize]))
            }
            EntityIndex::Tag(i) => Extern::Tag(Tag::from_raw(id, entity.tags[i as usize])),
        };
        entity.exports.insert(name.clone(), ext);
    }
    inner.instances.push(entity);
    let instance = Instance { store: id, index: instance_idx.0 };

    if inner.engine.config().bulk_memory() {
        initialize_segments(inner, instance_idx).map_err(Error::trap)?;
    } else {
        initialize_segments_mvp(inner, instance_idx)?;
    }

    if let Some(start) = m.start {
        let func = inner.instances[instance_idx.0 as usize].funcs[start as usize];
        crate::exec::invoke(store, func, &mut [])?;
    }
    Ok(instance)
}

/// Active element segments of an instance: `(segment, store table, offset)`;
/// declared segments have table `u32::MAX`. An offset into a 64-bit table
/// saturates at `u32::MAX`, which is out of bounds of every table.
type ElementWrites = Vec<(usize, u32, u32)>;

/// Active data segments of an instance: `(segment, store memory, offset)`.
type DataWrites = Vec<(usize, u32, u64)>;

fn active_segments(store: &StoreInner, instance: InstanceIdx) -> (ElementWrites, DataWrites) {
    let inst = &store.instances[instance.0 as usize];
    let m = inst.module.clone();
    let global = |g: u32| store.globals[inst.globals[g as usize] as usize].value;
    let func = |f: u32| u64::from(inst.funcs[f as usize]) + 1;
    let mut element_writes = Vec::new();
    for (i, seg) in m.elements.iter().enumerate() {
        match &seg.mode {
            ElementMode::Active { table, offset } => {
                let offset = offset.eval(global, func);
                let offset = if m.tables[*table as usize].is_64() {
                    u32::try_from(offset).unwrap_or(u32::MAX)
                } else {
                    offset as u32
                };
                element_writes.push((i, inst.tables[*table as usize], offset));
            }
            ElementMode::Passive => {}
            ElementMode::Declared => element_writes.push((i, u32::MAX, 0)),
        }
    }
    let mut data_writes = Vec::new();
    for (i, seg) in m.data.iter().enumerate() {
        if let DataMode::Active { memory, offset } = &seg.mode {
            let offset = offset.eval(global, func);
            // An i32 cell's upper half is unspecified.
            let offset = if m.memories[*memory as usize].is_64() {
                offset
            } else {
                u64::from(offset as u32)
            };
            data_writes.push((i, inst.memories[*memory as usize], offset));
        }
    }
    (element_writes, data_writes)
}

/// The byte range a data segment of `len` bytes at `offset` occupies in a
/// memory of `size` bytes, if it fits.
fn data_range(offset: u64, len: usize, size: usize) -> Option<std::ops::Range<usize>> {
    let end = offset.checked_add(len as u64)?;
    (end <= size as u64).then_some(offset as usize..end as usize)
}

/// Applies active element and data segments in order, then drops them (and
/// declared element segments), as instantiation in the spec does since the bulk
/// memory proposal. A segment that does not fit traps; segments applied before
/// it stay applied.
fn initialize_segments(store: &mut StoreInner, instance: InstanceIdx) -> Result<(), TrapCode> {
    let (element_writes, data_writes) = active_segments(store, instance);
    for (segment, table, offset) in element_writes {
        let items = std::mem::take(&mut store.instances[instance.0 as usize].elements[segment]);
        if table == u32::MAX {
            continue; // declared: only dropped
        }
        let elements = &mut store.tables[table as usize].elements;
        let range = checked_range(offset, items.len() as u32, elements.len())?;
        elements[range].copy_from_slice(&items);
    }
    for (segment, memory, offset) in data_writes {
        let bytes = std::mem::replace(
            &mut store.instances[instance.0 as usize].data[segment],
            Arc::from(&[][..]),
        );
        let data = &mut store.memories[memory as usize].data;
        let range =
            data_range(offset, bytes.len(), data.len()).ok_or(TrapCode::MemoryOutOfBounds)?;
        data[range].copy_from_slice(&bytes);
    }
    Ok(())
}

/// WebAssembly 1.0 instantiation (bulk memory disabled): every active segment
/// is checked first, and one that does not fit is a link error with nothing
/// written.
fn initialize_segments_mvp(store: &mut StoreInner, instance: InstanceIdx) -> Result<(), Error> {
    let (element_writes, data_writes) = active_segments(store, instance);
    let inst = &store.instances[instance.0 as usize];
    for &(segment, table, offset) in &element_writes {
        let len = inst.elements[segment].len() as u32;
        if table != u32::MAX
            && checked_range(offset, len, store.tables[table as usize].elements.len()).is_err()
        {
            return Err(Error::link("elements segment does not fit"));
        }
    }
    for &(segment, memory, offset) in &data_writes {
        let size = store.memories[memory as usize].data.len();
        if data_range(offset, inst.data[segment].len(), size).is_none() {
            return Err(Error::link("data segment does not fit"));
        }
    }
    initialize_segments(store, instance).map_err(Error::trap)
}

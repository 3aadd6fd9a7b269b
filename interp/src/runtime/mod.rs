//! Runtime objects and the embedding API: [`Store`], handles to the objects it
//! owns, instantiation and the [`Linker`].

mod bytes;
mod exn;
mod func;
mod global;
mod instance;
mod linker;
mod memory;
mod store;
mod table;
mod val;

pub use exn::{Exception, ExnRef, Tag};
pub use func::{Caller, Func, HostReturn, IntoFunc, TypedFunc, WasmParams, WasmResults, WasmTy};
pub use global::Global;
pub use instance::Instance;
pub use linker::Linker;
pub use memory::{MAX_MEMORY64_BYTES, Memory, PAGE_SIZE};
pub use store::{
    AsContext, AsContextMut, ExternRef, Store, StoreContext, StoreContextMut, TraceEvent, Tracer,
};
pub use table::Table;
pub use val::Val;

pub(crate) use func::FuncEntity;
pub(crate) use instance::InstanceIdx;
pub(crate) use store::{StoreCtx, StoreId, StoreInner};
pub(crate) use table::checked_range;

/// A function, table, memory or global: anything that can be imported or exported.
#[derive(Debug, Copy, Clone, PartialEq, Eq, Hash)]
pub enum Extern {
    /// A function.
    Func(Func),
    /// A table.
    Table(Table),
    /// A linear memory.
    Memory(Memory),
    /// A global.
    Global(Global),
    /// A tag (exception handling).
    Tag(Tag),
}

impl Extern {
    /// The function, if this is one.
    pub fn into_func(self) -> Option<Func> {
        if let Extern::Func(f) = self { Some(f) } else { None }
    }

    /// The table, if this is one.
    pub fn into_table(self) -> Option<Table> {
        if let Extern::Table(t) = self { Some(t) } else { None }
    }

    /// The memory, if this is one.
    pub fn into_memory(self) -> Option<Memory> {
        if let Extern::Memory(m) = self { Some(m) } else { None }
    }

    /// The global, if this is one.
    pub fn into_global(self) -> Option<Global> {
        if let Extern::Global(g) = self { Some(g) } else { None }
    }

    /// The tag, if this is one.
    pub fn into_tag(self) -> Option<Tag> {
        if let Extern::Tag(t) = self { Some(t) } else { None }
    }

    /// The type of the object as it is in `store` now (a memory's minimum is its
    /// current size).
    pub fn ty(&self, store: impl AsContext) -> crate::ExternType {
        instance::extern_type(&store.as_context().0.inner, self)
    }

    pub(crate) fn store_id(&self) -> StoreId {
        match self {
            Extern::Func(f) => f.store_id(),
            Extern::Table(t) => t.store_id(),
            Extern::Memory(m) => m.store_id(),
            Extern::Global(g) => g.store_id(),
            Extern::Tag(t) => t.store_id(),
        }
    }
}

impl From<Func> for Extern {
    fn from(f: Func) -> Extern {
        Extern::Func(f)
    }
}

impl From<Table> for Extern {
    fn from(t: Table) -> Extern {
        Extern::Table(t)
    }
}

impl From<Memory> for Extern {
    fn from(m: Memory) -> Extern {
        Extern::Memory(m)
    }
}

impl From<Global> for Extern {
    fn from(g: Global) -> Extern {
        Extern::Global(g)
    }
}

impl From<Tag> for Extern {
    fn from(t: Tag) -> Extern {
        Extern::Tag(t)
    }
}

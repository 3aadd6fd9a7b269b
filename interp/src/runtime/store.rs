//! [`Store`]: owner of every runtime object.
//!
//! Functions, memories, tables, globals, instances and extern references live in
//! arenas inside [`StoreInner`]; the public handles ([`Func`],
//! [`Memory`](super::Memory), ...) are `Copy` indices tagged with the store's
//! [`StoreId`], so using a handle with the wrong store is caught instead of
//! silently reading another store's object.
//! Host functions are kept beside the arenas in [`Store`] because they are typed
//! by the store's data `T`.

use std::any::Any;
use std::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};

use super::exn::{ExnEntity, TagEntity};
use super::func::{FuncEntity, HostFunc};
use super::global::GlobalEntity;
use super::instance::InstanceEntity;
use super::memory::MemoryEntity;
use super::table::TableEntity;
use super::{Caller, Func};
use crate::engine::Engine;
use crate::error::Error;
use crate::exec::Stack;

/// Identifies one store; handles carry it so cross-store use is detected.
#[derive(Debug, Copy, Clone, PartialEq, Eq, Hash)]
pub struct StoreId(u32);

impl StoreId {
    fn fresh() -> StoreId {
        static NEXT: AtomicU32 = AtomicU32::new(1);
        StoreId(NEXT.fetch_add(1, Ordering::Relaxed))
    }
}

/// The arenas of a store; everything the executor touches.
pub(crate) struct StoreInner {
    pub id: StoreId,
    pub engine: Engine,
    pub funcs: Vec<FuncEntity>,
    pub memories: Vec<MemoryEntity>,
    pub tables: Vec<TableEntity>,
    pub globals: Vec<GlobalEntity>,
    pub instances: Vec<InstanceEntity>,
    pub externs: Vec<Box<dyn Any + Send + Sync>>,
    pub tags: Vec<TagEntity>,
    /// Exceptions thrown so far (see [`super::exn`]).
    pub exns: Vec<ExnEntity>,
    /// Exceptions no reference can reach any more, for reuse.
    pub free_exns: Vec<u32>,
    /// Remaining fuel (only consulted when the engine meters fuel).
    pub fuel: u64,
    /// Value stacks not in use, kept to avoid re-allocating per call.
    pub stacks: Vec<Stack>,
    /// Current depth of host-to-wasm re-entrance.
    pub reentrancy: usize,
    /// Receives every executed operator when execution tracing is on.
    pub tracer: Option<Tracer>,
}

/// A function receiving execution trace events; see [`Store::set_tracer`].
pub type Tracer = Box<dyn FnMut(&TraceEvent<'_>) + Send>;

/// One executed wasm operator, as reported to a tracer.
#[derive(Debug, Clone, Copy)]
pub struct TraceEvent<'a> {
    /// The function's index in its module.
    pub func_index: u32,
    /// The function's name from the name section, if any.
    pub func_name: Option<&'a str>,
    /// Byte offset of the operator in the module.
    pub offset: usize,
    /// The operator in text-format style, with its immediates: `i32.add`,
    /// `local.get local_index=0`.
    pub operator: &'a str,
}

impl StoreInner {
    /// Checks that a handle belongs to this store.
    pub fn check(&self, owner: StoreId) -> Result<(), Error> {
        if owner == self.id {
            Ok(())
        } else {
            Err(Error::usage("object used with the wrong store"))
        }
    }
}

/// Owns all runtime objects and the embedder's data `T`.
///
/// # Example
///
/// ```
/// let engine = interp::Engine::default();
/// let mut store = interp::Store::new(&engine, 0u32);
/// *store.data_mut() += 1;
/// assert_eq!(*store.data(), 1);
/// ```
pub struct Store<T> {
    pub(crate) inner: StoreInner,
    pub(crate) host_funcs: Vec<Arc<HostFunc<T>>>,
    data: T,
}

impl<T> fmt::Debug for Store<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Store").field("id", &self.inner.id).finish_non_exhaustive()
    }
}

impl<T> Store<T> {
    /// A new, empty store.
    pub fn new(engine: &Engine, data: T) -> Store<T> {
        Store {
            inner: StoreInner {
                id: StoreId::fresh(),
                engine: engine.clone(),
                funcs: Vec::new(),
                memories: Vec::new(),
                tables: Vec::new(),
                globals: Vec::new(),
                instances: Vec::new(),
                externs: Vec::new(),
                tags: Vec::new(),
                exns: Vec::new(),
                free_exns: Vec::new(),
                fuel: 0,
                stacks: Vec::new(),
                reentrancy: 0,
                tracer: None,
            },
            host_funcs: Vec::new(),
            data,
        }
    }

    /// The engine this store was created for.
    pub fn engine(&self) -> &Engine {
        &self.inner.engine
    }

    /// The embedder's data.
    pub fn data(&self) -> &T {
        &self.data
    }

    /// The embedder's data, mutably.
    pub fn data_mut(&mut self) -> &mut T {
        &mut self.data
    }

    /// Consumes the store, returning the embedder's data.
    pub fn into_data(self) -> T {
        self.data
    }

    /// Sets the fuel available to execution.
    ///
    /// # Errors
    ///
    /// If the engine was not configured with [`Config::consume_fuel`](crate::Config::consume_fuel).
    pub fn set_fuel(&mut self, fuel: u64) -> Result<(), Error> {
        self.fuel_enabled()?;
        self.inner.fuel = fuel;
        Ok(())
    }

    /// The fuel left.
    ///
    /// # Errors
    ///
    /// If the engine was not configured with [`Config::consume_fuel`](crate::Config::consume_fuel).
    pub fn get_fuel(&self) -> Result<u64, Error> {
        self.fuel_enabled()?;
        Ok(self.inner.fuel)
    }

    fn fuel_enabled(&self) -> Result<(), Error> {
        if self.inner.engine.config().consume_fuel {
            Ok(())
        } else {
            Err(Error::usage("fuel is not enabled: use Config::consume_fuel"))
        }
    }

    /// Sets the function that receives each executed operator of modules
    /// compiled with [`Config::trace_execution`](crate::Config::trace_execution).
    ///
    /// # Example
    ///
    /// ```
    /// use interp::{Config, Engine, Linker, Module, Store};
    /// let mut config = Config::default();
    /// config.trace_execution(true);
    /// let engine = Engine::new(&config);
    /// let module = Module::new(&engine, r#"(module (func (export "f") (result i32) (i32.add (i32.const 1) (i32.const 2))))"#)?;
    /// let mut store = Store::new(&engine, ());
    /// let ops = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    /// let seen = ops.clone();
    /// store.set_tracer(move |event| seen.lock().unwrap().push(event.operator.to_string()));
    /// let instance = Linker::new(&engine).instantiate(&mut store, &module)?;
    /// instance.get_typed_func::<(), i32>(&store, "f")?.call(&mut store, ())?;
    /// assert_eq!(*ops.lock().unwrap(), ["i32.const value=1", "i32.const value=2", "i32.add", "end"]);
    /// # Ok::<(), interp::Error>(())
    /// ```
    pub fn set_tracer(&mut self, tracer: impl FnMut(&TraceEvent<'_>) + Send + 'static) {
        self.inner.tracer = Some(Box::new(tracer));
    }

    /// Removes the tracer.
    pub fn clear_tracer(&mut self) {
        self.inner.tracer = None;
    }

    pub(crate) fn inner_and_data_mut(&mut self) -> (&mut StoreInner, &mut T) {
        (&mut self.inner, &mut self.data)
    }

    pub(crate) fn add_host_func(&mut self, host: Arc<HostFunc<T>>) -> Func {
        let type_id = self.inner.engine.intern_type(host.ty());
        let cells = host.ty().call_cells();
        let index = self.host_funcs.len() as u32;
        self.host_funcs.push(host);
        self.inner.push_func(FuncEntity::Host { type_id, host: index, cells })
    }
}

impl StoreInner {
    pub fn push_func(&mut self, entity: FuncEntity) -> Func {
        let index = u32::try_from(self.funcs.len()).expect("too many functions in one store");
        self.funcs.push(entity);
        Func::from_raw(self.id, index)
    }
}

/// What the executor needs from a store whose data type it does not know.
pub(crate) trait StoreCtx {
    fn inner(&mut self) -> &mut StoreInner;

    /// Calls host function `host`; `cells` holds the parameters on entry and
    /// receives the results.
    fn call_host(
        &mut self,
        host: u32,
        instance: Option<super::InstanceIdx>,
        cells: &mut [u64],
    ) -> Result<(), Error>;
}

impl<T> StoreCtx for Store<T> {
    fn inner(&mut self) -> &mut StoreInner {
        &mut self.inner
    }

    fn call_host(
        &mut self,
        host: u32,
        instance: Option<super::InstanceIdx>,
        cells: &mut [u64],
    ) -> Result<(), Error> {
        let func = self.host_funcs[host as usize].clone();
        func.call(Caller::new(self, instance), cells)
    }
}

/// A shared borrow of a store, as taken by read-only API methods.
pub struct StoreContext<'a, T>(pub(crate) &'a Store<T>);

/// An exclusive borrow of a store, as taken by API methods that run code or
/// change objects.
pub struct StoreContextMut<'a, T>(pub(crate) &'a mut Store<T>);

impl<T> fmt::Debug for StoreContext<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.0, f)
    }
}

impl<T> fmt::Debug for StoreContextMut<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.0, f)
    }
}

impl<'a, T> StoreContext<'a, T> {
    /// The embedder's data.
    pub fn data(&self) -> &'a T {
        self.0.data()
    }
}

impl<T> StoreContextMut<'_, T> {
    /// The embedder's data.
    pub fn data(&self) -> &T {
        self.0.data()
    }

    /// The embedder's data, mutably.
    pub fn data_mut(&mut self) -> &mut T {
        self.0.data_mut()
    }
}

/// Types that give shared access to a store: [`Store`], [`Caller`] and borrows of them.
pub trait AsContext {
    /// The store's data type.
    type Data;
    /// Borrows the store.
    fn as_context(&self) -> StoreContext<'_, Self::Data>;
}

/// Types that give exclusive access to a store.
pub trait AsContextMut: AsContext {
    /// Borrows the store exclusively.
    fn as_context_mut(&mut self) -> StoreContextMut<'_, Self::Data>;
}

impl<T> AsContext for Store<T> {
    type Data = T;
    fn as_context(&self) -> StoreContext<'_, T> {
        StoreContext(self)
    }
}

impl<T> AsContextMut for Store<T> {
    fn as_context_mut(&mut self) -> StoreContextMut<'_, T> {
        StoreContextMut(self)
    }
}

impl<T> AsContext for StoreContext<'_, T> {
    type Data = T;
    fn as_context(&self) -> StoreContext<'_, T> {
        StoreContext(self.0)
    }
}

impl<T> AsContext for StoreContextMut<'_, T> {
    type Data = T;
    fn as_context(&self) -> StoreContext<'_, T> {
        StoreContext(self.0)
    }
}

impl<T> AsContextMut for StoreContextMut<'_, T> {
    fn as_context_mut(&mut self) -> StoreContextMut<'_, T> {
        StoreContextMut(self.0)
    }
}

impl<C: AsContext + ?Sized> AsContext for &C {
    type Data = C::Data;
    fn as_context(&self) -> StoreContext<'_, C::Data> {
        (**self).as_context()
    }
}

impl<C: AsContext + ?Sized> AsContext for &mut C {
    type Data = C::Data;
    fn as_context(&self) -> StoreContext<'_, C::Data> {
        (**self).as_context()
    }
}

impl<C: AsContextMut + ?Sized> AsContextMut for &mut C {
    fn as_context_mut(&mut self) -> StoreContextMut<'_, C::Data> {
        (**self).as_context_mut()
    }
}

impl<'a, T> From<&'a Store<T>> for StoreContext<'a, T> {
    fn from(store: &'a Store<T>) -> Self {
        StoreContext(store)
    }
}

impl<'a, T> From<&'a mut Store<T>> for StoreContext<'a, T> {
    fn from(store: &'a mut Store<T>) -> Self {
        StoreContext(store)
    }
}

impl<'a, T> From<&'a mut Store<T>> for StoreContextMut<'a, T> {
    fn from(store: &'a mut Store<T>) -> Self {
        StoreContextMut(store)
    }
}

impl<'a, T> From<&'a Caller<'_, T>> for StoreContext<'a, T> {
    fn from(caller: &'a Caller<'_, T>) -> Self {
        StoreContext(caller.store())
    }
}

impl<'a, T> From<&'a mut Caller<'_, T>> for StoreContext<'a, T> {
    fn from(caller: &'a mut Caller<'_, T>) -> Self {
        StoreContext(caller.store())
    }
}

impl<'a, T> From<&'a mut Caller<'_, T>> for StoreContextMut<'a, T> {
    fn from(caller: &'a mut Caller<'_, T>) -> Self {
        StoreContextMut(caller.store_mut())
    }
}

impl<'a, T> From<&'a StoreContextMut<'_, T>> for StoreContext<'a, T> {
    fn from(ctx: &'a StoreContextMut<'_, T>) -> Self {
        StoreContext(ctx.0)
    }
}

impl<'a, T> From<&'a mut StoreContextMut<'_, T>> for StoreContextMut<'a, T> {
    fn from(ctx: &'a mut StoreContextMut<'_, T>) -> Self {
        StoreContextMut(ctx.0)
    }
}

/// A reference to a host value, owned by a store.
///
/// # Example
///
/// ```
/// let engine = interp::Engine::default();
/// let mut store = interp::Store::new(&engine, ());
/// let r = interp::ExternRef::new(&mut store, 42u32);
/// assert_eq!(r.data(&store).downcast_ref::<u32>(), Some(&42));
/// ```
#[derive(Debug, Copy, Clone, PartialEq, Eq, Hash)]
pub struct ExternRef {
    store: StoreId,
    index: u32,
}

impl ExternRef {
    /// Moves `value` into the store and returns a reference to it.
    pub fn new<T>(
        mut store: impl AsContextMut<Data = T>,
        value: impl Any + Send + Sync,
    ) -> ExternRef {
        let store = &mut store.as_context_mut().0.inner;
        let index = u32::try_from(store.externs.len()).expect("too many extern references");
        store.externs.push(Box::new(value));
        ExternRef { store: store.id, index }
    }

    /// The host value.
    ///
    /// # Panics
    ///
    /// If `store` is not the store this reference belongs to.
    pub fn data<'a, T: 'a>(
        &self,
        store: impl Into<StoreContext<'a, T>>,
    ) -> &'a (dyn Any + Send + Sync) {
        let store = &store.into().0.inner;
        assert_eq!(store.id, self.store, "extern reference used with the wrong store");
        &*store.externs[self.index as usize]
    }

    pub(crate) fn index(&self) -> u32 {
        self.index
    }

    pub(crate) fn to_cell(self, store: StoreId) -> Result<u64, Error> {
        if store != self.store {
            return Err(Error::usage("extern reference used with the wrong store"));
        }
        Ok(u64::from(self.index) + 1)
    }

    pub(crate) fn from_cell(cell: u64, store: StoreId) -> Option<ExternRef> {
        (cell != 0).then(|| ExternRef { store, index: (cell - 1) as u32 })
    }
}

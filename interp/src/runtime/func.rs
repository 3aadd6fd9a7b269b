//! Functions: the [`Func`] handle, host functions ([`Func::wrap`], [`Func::new`]),
//! typed calls ([`TypedFunc`]) and the [`Caller`] a host function receives.

use std::fmt;
use std::marker::PhantomData;
use std::sync::Arc;

use super::Val;
use super::instance::InstanceIdx;
use super::store::{AsContext, AsContextMut, Store, StoreContext, StoreContextMut, StoreId};
use super::{Extern, ExternRef};
use crate::error::Error;
use crate::module::ModuleInner;
use crate::types::{FuncType, ValType};
use crate::v128::V128;

/// What a store knows about a function.
pub(crate) enum FuncEntity {
    /// A function defined by a module, bound to the instance that defines it.
    Wasm {
        type_id: u32,
        instance: InstanceIdx,
        module: Arc<ModuleInner>,
        /// Index into the module's `code`.
        code: u32,
    },
    /// A host function; `host` indexes the store's host functions, `cells` is
    /// the larger of its parameter and result counts.
    Host { type_id: u32, host: u32, cells: u32 },
}

impl FuncEntity {
    pub fn type_id(&self) -> u32 {
        match self {
            FuncEntity::Wasm { type_id, .. } | FuncEntity::Host { type_id, .. } => *type_id,
        }
    }
}

type HostTrampoline<T> = dyn Fn(Caller<'_, T>, &mut [u64]) -> Result<(), Error> + Send + Sync;

/// A host function of a store with data `T`, untyped: parameters arrive in and
/// results leave through a slice of cells.
#[doc(hidden)]
pub struct HostFunc<T> {
    ty: FuncType,
    trampoline: Box<HostTrampoline<T>>,
}

impl<T> fmt::Debug for HostFunc<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HostFunc").field("ty", &self.ty).finish_non_exhaustive()
    }
}

impl<T> HostFunc<T> {
    pub(crate) fn ty(&self) -> &FuncType {
        &self.ty
    }

    pub(crate) fn call(&self, caller: Caller<'_, T>, cells: &mut [u64]) -> Result<(), Error> {
        (self.trampoline)(caller, cells)
    }

    /// A host function taking and returning [`Val`]s.
    pub(crate) fn new_untyped(
        ty: FuncType,
        func: impl Fn(Caller<'_, T>, &[Val], &mut [Val]) -> Result<(), Error> + Send + Sync + 'static,
    ) -> HostFunc<T> {
        let sig = ty.clone();
        HostFunc {
            ty,
            trampoline: Box::new(move |caller, cells| {
                let store = caller.store.inner.id;
                let params: Vec<Val> = Val::read_cells(sig.params(), cells, store).collect();
                let mut results: Vec<Val> =
                    sig.results().iter().map(|ty| ty.default_value()).collect();
                func(caller, &params, &mut results)?;
                for (result, ty) in results.iter().zip(sig.results()) {
                    if result.ty() != *ty {
                        return Err(Error::usage(format!(
                            "host function returned a {} where its type says {ty}",
                            result.ty()
                        )));
                    }
                }
                Val::write_cells(&results, cells, store)
            }),
        }
    }
}

/// A function: defined by a module or by the host.
///
/// A `Func` is a small `Copy` handle into the [`Store`] that owns the function.
#[derive(Debug, Copy, Clone, PartialEq, Eq, Hash)]
pub struct Func {
    store: StoreId,
    index: u32,
}

impl Func {
    pub(crate) fn from_raw(store: StoreId, index: u32) -> Func {
        Func { store, index }
    }

    pub(crate) fn index(&self) -> u32 {
        self.index
    }

    pub(crate) fn store_id(&self) -> StoreId {
        self.store
    }

    pub(crate) fn to_cell(self, store: StoreId) -> Result<u64, Error> {
        if store != self.store {
            return Err(Error::usage("function used with the wrong store"));
        }
        Ok(u64::from(self.index) + 1)
    }

    pub(crate) fn from_cell(cell: u64, store: StoreId) -> Option<Func> {
        (cell != 0).then(|| Func { store, index: (cell - 1) as u32 })
    }

    /// A host function from a closure with typed parameters and results.
    ///
    /// The closure may take a [`Caller`] first. It returns `()`, a value, a tuple
    /// of values, or a `Result` of those to trap or fail.
    ///
    /// # Example
    ///
    /// ```
    /// use interp::{Caller, Engine, Func, Store};
    /// let mut store = Store::new(&Engine::default(), 10i32);
    /// let add = Func::wrap(&mut store, |caller: Caller<'_, i32>, x: i32| x + *caller.data());
    /// let add = add.typed::<i32, i32>(&store)?;
    /// assert_eq!(add.call(&mut store, 5)?, 15);
    /// # Ok::<(), interp::Error>(())
    /// ```
    pub fn wrap<T, Params, Results>(
        mut store: impl AsContextMut<Data = T>,
        func: impl IntoFunc<T, Params, Results>,
    ) -> Func {
        let host = Arc::new(func.into_host_func());
        store.as_context_mut().0.add_host_func(host)
    }

    /// A host function with a dynamic signature, taking and returning [`Val`]s.
    ///
    /// # Example
    ///
    /// ```
    /// use interp::{Engine, Func, FuncType, Store, Val, ValType};
    /// let mut store = Store::new(&Engine::default(), ());
    /// let ty = FuncType::new([ValType::I64], [ValType::I64]);
    /// let double = Func::new(&mut store, ty, |_caller, params, results| {
    ///     results[0] = Val::I64(params[0].unwrap_i64() * 2);
    ///     Ok(())
    /// });
    /// let mut out = [Val::I64(0)];
    /// double.call(&mut store, &[Val::I64(21)], &mut out)?;
    /// assert_eq!(out[0], Val::I64(42));
    /// # Ok::<(), interp::Error>(())
    /// ```
    pub fn new<T>(
        mut store: impl AsContextMut<Data = T>,
        ty: FuncType,
        func: impl Fn(Caller<'_, T>, &[Val], &mut [Val]) -> Result<(), Error> + Send + Sync + 'static,
    ) -> Func {
        let host = Arc::new(HostFunc::new_untyped(ty, func));
        store.as_context_mut().0.add_host_func(host)
    }

    /// The function's type.
    ///
    /// # Panics
    ///
    /// If `store` does not own this function.
    pub fn ty(&self, store: impl AsContext) -> FuncType {
        let store = &store.as_context().0.inner;
        assert_eq!(store.id, self.store, "function used with the wrong store");
        store.engine.resolve_type(store.funcs[self.index as usize].type_id())
    }

    /// Calls the function with dynamically typed parameters; `results` must have
    /// room for exactly the function's results.
    ///
    /// # Errors
    ///
    /// If the parameters do not match the function's type, `results` has the wrong
    /// length, or the call traps or fails.
    pub fn call(
        &self,
        mut store: impl AsContextMut,
        params: &[Val],
        results: &mut [Val],
    ) -> Result<(), Error> {
        let store = store.as_context_mut().0;
        store.inner.check(self.store)?;
        let ty = self.ty(&*store);
        if params.len() != ty.params().len() || results.len() != ty.results().len() {
            return Err(Error::usage(format!(
                "function of type {ty} called with {} parameters and room for {} results",
                params.len(),
                results.len()
            )));
        }
        for (param, expected) in params.iter().zip(ty.params()) {
            if param.ty() != *expected {
                return Err(Error::usage(format!(
                    "function of type {ty} called with a {} parameter where {expected} is expected",
                    param.ty()
                )));
            }
        }
        let mut cells = vec![0u64; ty.call_cells() as usize];
        Val::write_cells(params, &mut cells, store.inner.id)?;
        crate::exec::invoke(store, self.index, &mut cells)?;
        let id = store.inner.id;
        for (result, value) in results.iter_mut().zip(Val::read_cells(ty.results(), &cells, id)) {
            *result = value;
        }
        Ok(())
    }

    /// A statically typed view of the function.
    ///
    /// # Errors
    ///
    /// If `Params`/`Results` do not match the function's type.
    pub fn typed<Params: WasmParams, Results: WasmResults>(
        &self,
        store: impl AsContext,
    ) -> Result<TypedFunc<Params, Results>, Error> {
        let ty = self.ty(store);
        if !Params::matches(ty.params()) || !Results::matches(ty.results()) {
            return Err(Error::usage(format!(
                "function of type {ty} does not match the requested Rust signature ({}) -> ({})",
                Params::describe(),
                Results::describe()
            )));
        }
        Ok(TypedFunc { func: *self, _marker: PhantomData })
    }
}

/// A function with a statically known signature, for calls without dynamic checks.
pub struct TypedFunc<Params, Results> {
    func: Func,
    _marker: PhantomData<fn(Params) -> Results>,
}

impl<P, R> Clone for TypedFunc<P, R> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<P, R> Copy for TypedFunc<P, R> {}

impl<P, R> fmt::Debug for TypedFunc<P, R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("TypedFunc").field(&self.func).finish()
    }
}

impl<Params: WasmParams, Results: WasmResults> TypedFunc<Params, Results> {
    /// The untyped function.
    pub fn func(&self) -> Func {
        self.func
    }

    /// Calls the function.
    ///
    /// # Errors
    ///
    /// If the call traps or a host function fails.
    pub fn call(&self, mut store: impl AsContextMut, params: Params) -> Result<Results, Error> {
        let store = store.as_context_mut().0;
        store.inner.check(self.func.store)?;
        let id = store.inner.id;
        let mut cells = [0u64; 16];
        let mut heap;
        let n = Params::LEN.max(Results::LEN);
        let cells: &mut [u64] = if n <= cells.len() {
            &mut cells[..n]
        } else {
            heap = vec![0u64; n];
            &mut heap
        };
        params.store_cells(cells, id)?;
        crate::exec::invoke(store, self.func.index, cells)?;
        Ok(Results::load_cells(cells, id))
    }
}

/// The context a host function runs in: the store, and the instance whose code
/// called it.
pub struct Caller<'a, T> {
    pub(crate) store: &'a mut Store<T>,
    instance: Option<InstanceIdx>,
}

impl<T> fmt::Debug for Caller<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Caller").field("instance", &self.instance).finish_non_exhaustive()
    }
}

impl<'a, T> Caller<'a, T> {
    pub(crate) fn new(store: &'a mut Store<T>, instance: Option<InstanceIdx>) -> Self {
        Caller { store, instance }
    }

    pub(crate) fn store(&self) -> &Store<T> {
        self.store
    }

    pub(crate) fn store_mut(&mut self) -> &mut Store<T> {
        self.store
    }

    /// The store's data.
    pub fn data(&self) -> &T {
        self.store.data()
    }

    /// The store's data, mutably.
    pub fn data_mut(&mut self) -> &mut T {
        self.store.data_mut()
    }

    /// The engine.
    pub fn engine(&self) -> &crate::Engine {
        self.store.engine()
    }

    /// An export of the calling instance, e.g. its `memory`; `None` when the
    /// caller is the host itself or has no such export.
    pub fn get_export(&self, name: &str) -> Option<Extern> {
        let instance = self.instance?;
        self.store.inner.instances[instance.0 as usize].export(name)
    }

    /// The fuel left.
    ///
    /// # Errors
    ///
    /// If fuel is not enabled.
    pub fn get_fuel(&self) -> Result<u64, Error> {
        self.store.get_fuel()
    }

    /// Sets the fuel left.
    ///
    /// # Errors
    ///
    /// If fuel is not enabled.
    pub fn set_fuel(&mut self, fuel: u64) -> Result<(), Error> {
        self.store.set_fuel(fuel)
    }
}

impl<T> AsContext for Caller<'_, T> {
    type Data = T;
    fn as_context(&self) -> StoreContext<'_, T> {
        StoreContext(self.store)
    }
}

impl<T> AsContextMut for Caller<'_, T> {
    fn as_context_mut(&mut self) -> StoreContextMut<'_, T> {
        StoreContextMut(self.store)
    }
}

/// A Rust type that maps to one WebAssembly value type.
pub trait WasmTy: Sized + Send + 'static {
    /// The WebAssembly type.
    const TYPE: ValType;
    #[doc(hidden)]
    /// The value's cells (the second is used by `v128` only).
    fn into_cells(self, store: StoreId) -> Result<[u64; 2], Error>;
    #[doc(hidden)]
    fn from_cells(cells: [u64; 2], store: StoreId) -> Self;
}

macro_rules! wasm_ty_numeric {
    ($($ty:ty => $vt:ident, |$v:ident| $to:expr, |$c:ident| $from:expr;)*) => {$(
        impl WasmTy for $ty {
            const TYPE: ValType = ValType::$vt;
            #[inline]
            fn into_cells(self, _: StoreId) -> Result<[u64; 2], Error> {
                let $v = self;
                Ok([$to, 0])
            }
            #[inline]
            fn from_cells(cells: [u64; 2], _: StoreId) -> Self {
                let $c = cells[0];
                $from
            }
        }
    )*};
}

wasm_ty_numeric! {
    i32 => I32, |v| v as u32 as u64, |c| c as u32 as i32;
    u32 => I32, |v| v as u64, |c| c as u32;
    i64 => I64, |v| v as u64, |c| c as i64;
    u64 => I64, |v| v, |c| c;
    f32 => F32, |v| v.to_bits() as u64, |c| f32::from_bits(c as u32);
    f64 => F64, |v| v.to_bits(), |c| f64::from_bits(c);
}

impl WasmTy for V128 {
    const TYPE: ValType = ValType::V128;
    #[inline]
    fn into_cells(self, _: StoreId) -> Result<[u64; 2], Error> {
        Ok(self.to_u64x2())
    }
    #[inline]
    fn from_cells(cells: [u64; 2], _: StoreId) -> Self {
        V128::from_u64x2(cells)
    }
}

impl WasmTy for Option<Func> {
    const TYPE: ValType = ValType::FuncRef;
    fn into_cells(self, store: StoreId) -> Result<[u64; 2], Error> {
        Ok([self.map_or(Ok(0), |f| f.to_cell(store))?, 0])
    }
    fn from_cells(cells: [u64; 2], store: StoreId) -> Self {
        Func::from_cell(cells[0], store)
    }
}

impl WasmTy for Option<ExternRef> {
    const TYPE: ValType = ValType::ExternRef;
    fn into_cells(self, store: StoreId) -> Result<[u64; 2], Error> {
        Ok([self.map_or(Ok(0), |e| e.to_cell(store))?, 0])
    }
    fn from_cells(cells: [u64; 2], store: StoreId) -> Self {
        ExternRef::from_cell(cells[0], store)
    }
}

/// Writes one typed value at cell `at` and returns the cell after it.
#[inline]
fn store_ty<T: WasmTy>(
    value: T,
    cells: &mut [u64],
    at: usize,
    store: StoreId,
) -> Result<usize, Error> {
    let n = T::TYPE.cells() as usize;
    cells[at..at + n].copy_from_slice(&value.into_cells(store)?[..n]);
    Ok(at + n)
}

/// Reads one typed value from cell `at`; returns it and the cell after it.
#[inline]
fn load_ty<T: WasmTy>(cells: &[u64], at: usize, store: StoreId) -> (T, usize) {
    let n = T::TYPE.cells() as usize;
    let mut pair = [0u64; 2];
    pair[..n].copy_from_slice(&cells[at..at + n]);
    (T::from_cells(pair, store), at + n)
}

/// A list of [`WasmTy`]s passed as parameters: a single type or a tuple.
pub trait WasmParams: Sized + Send + 'static {
    #[doc(hidden)]
    /// The cells the values occupy (two for a `v128`, one for the others).
    const LEN: usize;
    #[doc(hidden)]
    fn matches(types: &[ValType]) -> bool;
    #[doc(hidden)]
    fn describe() -> String;
    #[doc(hidden)]
    fn store_cells(self, cells: &mut [u64], store: StoreId) -> Result<(), Error>;
    #[doc(hidden)]
    fn load_cells(cells: &[u64], store: StoreId) -> Self;
    #[doc(hidden)]
    fn types() -> Vec<ValType>;
}

/// A list of [`WasmTy`]s returned as results: `()`, a single type or a tuple.
pub trait WasmResults: WasmParams {}
impl<T: WasmParams> WasmResults for T {}

impl<T: WasmTy> WasmParams for T {
    const LEN: usize = T::TYPE.cells() as usize;
    fn matches(types: &[ValType]) -> bool {
        types == [T::TYPE]
    }
    fn describe() -> String {
        T::TYPE.to_string()
    }
    fn store_cells(self, cells: &mut [u64], store: StoreId) -> Result<(), Error> {
        store_ty(self, cells, 0, store).map(drop)
    }
    fn load_cells(cells: &[u64], store: StoreId) -> Self {
        load_ty(cells, 0, store).0
    }
    fn types() -> Vec<ValType> {
        vec![T::TYPE]
    }
}

macro_rules! wasm_params_tuple {
    ($n:expr; $($t:ident $i:tt),*) => {
        impl<$($t: WasmTy),*> WasmParams for ($($t,)*) {
            const LEN: usize = 0 $(+ $t::TYPE.cells() as usize)*;
            fn matches(types: &[ValType]) -> bool {
                types == [$($t::TYPE),*]
            }
            fn describe() -> String {
                let names: [String; $n] = [$($t::TYPE.to_string()),*];
                names.join(", ")
            }
            #[allow(unused_variables, unused_mut, unused_assignments)]
            fn store_cells(self, cells: &mut [u64], store: StoreId) -> Result<(), Error> {
                let mut at = 0;
                $(at = store_ty(self.$i, cells, at, store)?;)*
                Ok(())
            }
            #[allow(unused_variables, unused_mut, unused_assignments, clippy::unused_unit)]
            fn load_cells(cells: &[u64], store: StoreId) -> Self {
                let mut at = 0;
                ($({
                    let (value, next) = load_ty::<$t>(cells, at, store);
                    at = next;
                    value
                },)*)
            }
            fn types() -> Vec<ValType> {
                vec![$($t::TYPE),*]
            }
        }
    };
}

wasm_params_tuple!(0;);
wasm_params_tuple!(1; A 0);
wasm_params_tuple!(2; A 0, B 1);
wasm_params_tuple!(3; A 0, B 1, C 2);
wasm_params_tuple!(4; A 0, B 1, C 2, D 3);
wasm_params_tuple!(5; A 0, B 1, C 2, D 3, E 4);
wasm_params_tuple!(6; A 0, B 1, C 2, D 3, E 4, F 5);
wasm_params_tuple!(7; A 0, B 1, C 2, D 3, E 4, F 5, G 6);
wasm_params_tuple!(8; A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7);
wasm_params_tuple!(9; A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8);
wasm_params_tuple!(10; A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8, J 9);
wasm_params_tuple!(11; A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8, J 9, K 10);
wasm_params_tuple!(12; A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8, J 9, K 10, L 11);

/// What a host closure may return: results, or a `Result` of them.
pub trait HostReturn: Send + 'static {
    #[doc(hidden)]
    type Results: WasmResults;
    #[doc(hidden)]
    fn into_result(self) -> Result<Self::Results, Error>;
}

impl<R: WasmResults> HostReturn for R {
    type Results = R;
    fn into_result(self) -> Result<R, Error> {
        Ok(self)
    }
}

impl<R: WasmResults> HostReturn for Result<R, Error> {
    type Results = R;
    fn into_result(self) -> Result<R, Error> {
        self
    }
}

/// Closures usable as host functions; see [`Func::wrap`].
pub trait IntoFunc<T, Params, Results>: Send + Sync + 'static {
    #[doc(hidden)]
    fn into_host_func(self) -> HostFunc<T>;
}

/// Marker for closures that take a [`Caller`] first.
#[doc(hidden)]
#[derive(Debug)]
pub struct WithCaller<P>(P);

impl<T> HostFunc<T> {
    /// A host function from a closure over typed parameters `P` (a tuple) and
    /// results; the closure gets the caller and the decoded parameters.
    fn typed<P: WasmParams, R: HostReturn>(
        func: impl Fn(Caller<'_, T>, P) -> R + Send + Sync + 'static,
    ) -> HostFunc<T> {
        HostFunc {
            ty: FuncType::new(P::types(), R::Results::types()),
            trampoline: Box::new(move |caller: Caller<'_, T>, cells: &mut [u64]| {
                let store = caller.store.inner.id;
                let params = P::load_cells(cells, store);
                func(caller, params).into_result()?.store_cells(cells, store)
            }),
        }
    }
}

macro_rules! into_func {
    ($($t:ident $i:tt),*) => {
        impl<T, Fun, R, $($t,)*> IntoFunc<T, ($($t,)*), R> for Fun
        where
            Fun: Fn($($t),*) -> R + Send + Sync + 'static,
            R: HostReturn,
            $($t: WasmTy,)*
        {
            fn into_host_func(self) -> HostFunc<T> {
                #[allow(unused_variables)]
                HostFunc::typed(move |_: Caller<'_, T>, params: ($($t,)*)| (self)($(params.$i),*))
            }
        }

        impl<T, Fun, R, $($t,)*> IntoFunc<T, WithCaller<($($t,)*)>, R> for Fun
        where
            Fun: Fn(Caller<'_, T>, $($t),*) -> R + Send + Sync + 'static,
            R: HostReturn,
            $($t: WasmTy,)*
        {
            fn into_host_func(self) -> HostFunc<T> {
                #[allow(unused_variables)]
                HostFunc::typed(move |caller, params: ($($t,)*)| (self)(caller, $(params.$i),*))
            }
        }
    };
}

into_func!();
into_func!(A 0);
into_func!(A 0, B 1);
into_func!(A 0, B 1, C 2);
into_func!(A 0, B 1, C 2, D 3);
into_func!(A 0, B 1, C 2, D 3, E 4);
into_func!(A 0, B 1, C 2, D 3, E 4, F 5);
into_func!(A 0, B 1, C 2, D 3, E 4, F 5, G 6);
into_func!(A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7);
into_func!(A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8);
into_func!(A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8, J 9);
into_func!(A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8, J 9, K 10);
into_func!(A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8, J 9, K 10, L 11);

//! Globals: the [`Global`] handle and the store-owned [`GlobalEntity`].

use super::Val;
use super::store::{AsContext, AsContextMut, StoreId, StoreInner};
use crate::error::Error;
use crate::types::{GlobalType, Mutability};

pub(crate) struct GlobalEntity {
    pub ty: GlobalType,
    /// The value's cell; for a `v128`, its low 64 bits.
    pub value: u64,
    /// The high 64 bits of a `v128` value; zero for every other type.
    pub high: u64,
}

impl GlobalEntity {
    /// A global holding `cells` (see [`Val::to_cells`]).
    pub fn new(ty: GlobalType, [value, high]: [u64; 2]) -> GlobalEntity {
        GlobalEntity { ty, value, high }
    }

    /// The value's cells.
    pub fn cells(&self) -> [u64; 2] {
        [self.value, self.high]
    }
}

/// A global variable.
///
/// A small `Copy` handle into the [`Store`](crate::Store) that owns the global;
/// an imported global is the same object, so writes by either side are seen by
/// the other.
///
/// # Example
///
/// ```
/// use interp::{Engine, Global, GlobalType, Mutability, Store, Val, ValType};
/// let mut store = Store::new(&Engine::default(), ());
/// let g = Global::new(&mut store, GlobalType::new(ValType::I32, Mutability::Var), Val::I32(1))?;
/// g.set(&mut store, Val::I32(2))?;
/// assert_eq!(g.get(&store), Val::I32(2));
/// # Ok::<(), interp::Error>(())
/// ```
#[derive(Debug, Copy, Clone, PartialEq, Eq, Hash)]
pub struct Global {
    store: StoreId,
    index: u32,
}

impl Global {
    pub(crate) fn from_raw(store: StoreId, index: u32) -> Global {
        Global { store, index }
    }

    pub(crate) fn index(&self) -> u32 {
        self.index
    }

    pub(crate) fn store_id(&self) -> StoreId {
        self.store
    }

    /// Creates a global.
    ///
    /// # Errors
    ///
    /// If `value` does not have the global's content type or belongs to another store.
    pub fn new(mut store: impl AsContextMut, ty: GlobalType, value: Val) -> Result<Global, Error> {
        let inner = &mut store.as_context_mut().0.inner;
        check_type(ty, &value)?;
        let cells = value.to_cells(inner.id)?;
        Ok(inner.push_global(GlobalEntity::new(ty, cells)))
    }

    fn entity<'a>(&self, store: &'a StoreInner) -> &'a GlobalEntity {
        assert_eq!(store.id, self.store, "global used with the wrong store");
        &store.globals[self.index as usize]
    }

    /// The global's type.
    ///
    /// # Panics
    ///
    /// If `store` does not own this global (as for every method here).
    pub fn ty(&self, store: impl AsContext) -> GlobalType {
        self.entity(&store.as_context().0.inner).ty
    }

    /// The current value.
    pub fn get(&self, store: impl AsContext) -> Val {
        let inner = &store.as_context().0.inner;
        let entity = self.entity(inner);
        Val::from_cells(entity.ty.content(), entity.cells(), inner.id)
    }

    /// Sets the value.
    ///
    /// # Errors
    ///
    /// If the global is immutable or `value` has the wrong type.
    pub fn set(&self, mut store: impl AsContextMut, value: Val) -> Result<(), Error> {
        let inner = &mut store.as_context_mut().0.inner;
        let ty = self.entity(inner).ty;
        if ty.mutability() == Mutability::Const {
            return Err(Error::usage("cannot set an immutable global"));
        }
        check_type(ty, &value)?;
        let [value, high] = value.to_cells(inner.id)?;
        let entity = &mut inner.globals[self.index as usize];
        (entity.value, entity.high) = (value, high);
        Ok(())
    }
}

fn check_type(ty: GlobalType, value: &Val) -> Result<(), Error> {
    if value.ty() != ty.content() {
        return Err(Error::usage(format!(
            "a {} value cannot initialise a global of type {}",
            value.ty(),
            ty.content()
        )));
    }
    Ok(())
}

impl StoreInner {
    pub fn push_global(&mut self, entity: GlobalEntity) -> Global {
        let index = u32::try_from(self.globals.len()).expect("too many globals in one store");
        self.globals.push(entity);
        Global::from_raw(self.id, index)
    }
}

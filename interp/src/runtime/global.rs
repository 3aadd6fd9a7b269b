//! Globals: the [`Global`] handle and the store-owned [`GlobalEntity`].

use super::Val;
use super::store::{AsContext, AsContextMut, StoreId, StoreInner};
use crate::error::Error;
use crate::types::{GlobalType, Mutability};

pub(crate) struct GlobalEntity {
    pub ty: GlobalType,
    pub value: u64,
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
        let value = value.to_cell(inner.id)?;
        Ok(inner.push_global(GlobalEntity { ty, value }))
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
        Val::from_cell(entity.ty.content(), entity.value, inner.id)
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
        let cell = value.to_cell(inner.id)?;
        inner.globals[self.index as usize].value = cell;
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

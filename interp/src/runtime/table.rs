//! Tables: the [`Table`] handle and the store-owned [`TableEntity`].
//!
//! Elements are cells: `0` is null, otherwise a store function index + 1 (funcref)
//! or a store extern-reference index + 1 (externref).

use super::Val;
use super::store::{AsContext, AsContextMut, StoreId, StoreInner};
use crate::error::Error;
use crate::trap::TrapCode;
use crate::types::TableType;

/// The largest number of elements a table may grow to. Well below `u32::MAX`:
/// the executor narrows a 64-bit table index or length to 32 bits by
/// saturating, which keeps an index past `u32::MAX` out of bounds.
pub(crate) const MAX_TABLE_ELEMENTS: u32 = 10_000_000;
const _: () = assert!(MAX_TABLE_ELEMENTS < u32::MAX);

pub(crate) struct TableEntity {
    ty: TableType,
    pub elements: Vec<u64>,
}

impl TableEntity {
    pub fn new(ty: TableType, init: u64) -> Result<TableEntity, Error> {
        if ty.minimum() > u64::from(MAX_TABLE_ELEMENTS) {
            return Err(Error::limit(format!(
                "table of {} elements exceeds the limit of {MAX_TABLE_ELEMENTS}",
                ty.minimum()
            )));
        }
        Ok(TableEntity { ty, elements: vec![init; ty.minimum() as usize] })
    }

    /// The table's type, with the current size as its minimum.
    pub fn ty(&self) -> TableType {
        self.ty.with_minimum(u64::from(self.size()))
    }

    pub fn size(&self) -> u32 {
        self.elements.len() as u32
    }

    /// Grows by `delta` elements set to `init`, returning the old size, or `None`
    /// past the maximum.
    pub fn grow(&mut self, delta: u32, init: u64) -> Option<u32> {
        let old = self.size();
        let new = old.checked_add(delta)?;
        if self.ty.maximum().is_some_and(|max| u64::from(new) > max) || new > MAX_TABLE_ELEMENTS {
            return None;
        }
        self.elements.try_reserve(delta as usize).ok()?;
        self.elements.resize(new as usize, init);
        Some(old)
    }

    /// `table.fill`: sets `len` elements from `dst` to `value`.
    pub fn fill(&mut self, dst: u32, value: u64, len: u32) -> Result<(), TrapCode> {
        let range = checked_range(dst, len, self.elements.len())?;
        self.elements[range].fill(value);
        Ok(())
    }
}

/// `start..start+len` if it lies within `size`, else a table out-of-bounds trap.
pub(crate) fn checked_range(
    start: u32,
    len: u32,
    size: usize,
) -> Result<std::ops::Range<usize>, TrapCode> {
    let end = u64::from(start) + u64::from(len);
    if end > size as u64 {
        return Err(TrapCode::TableOutOfBounds);
    }
    Ok(start as usize..end as usize)
}

/// A table of references.
///
/// A small `Copy` handle into the [`Store`](crate::Store) that owns the table;
/// imported tables are shared, not copied.
#[derive(Debug, Copy, Clone, PartialEq, Eq, Hash)]
pub struct Table {
    store: StoreId,
    index: u32,
}

impl Table {
    pub(crate) fn from_raw(store: StoreId, index: u32) -> Table {
        Table { store, index }
    }

    pub(crate) fn index(&self) -> u32 {
        self.index
    }

    pub(crate) fn store_id(&self) -> StoreId {
        self.store
    }

    /// Creates a table of the given type with every element set to `init`.
    ///
    /// # Errors
    ///
    /// If `init` does not match the element type or belongs to another store,
    /// the minimum exceeds the maximum, or the table is too large.
    pub fn new(mut store: impl AsContextMut, ty: TableType, init: Val) -> Result<Table, Error> {
        if ty.maximum().is_some_and(|max| max < ty.minimum()) {
            return Err(Error::usage("table size minimum must not be greater than maximum"));
        }
        let inner = &mut store.as_context_mut().0.inner;
        let init = checked_cell(inner, ty, init)?;
        let entity = TableEntity::new(ty, init)?;
        let index = u32::try_from(inner.tables.len()).expect("too many tables in one store");
        inner.tables.push(entity);
        Ok(Table::from_raw(inner.id, index))
    }

    fn entity<'a>(&self, store: &'a StoreInner) -> &'a TableEntity {
        assert_eq!(store.id, self.store, "table used with the wrong store");
        &store.tables[self.index as usize]
    }

    /// The table's type; its minimum is the current size.
    ///
    /// # Panics
    ///
    /// If `store` does not own this table (as for every method here).
    pub fn ty(&self, store: impl AsContext) -> TableType {
        self.entity(&store.as_context().0.inner).ty()
    }

    /// The number of elements.
    pub fn size(&self, store: impl AsContext) -> u32 {
        self.entity(&store.as_context().0.inner).size()
    }

    /// The element at `index`, or `None` if out of bounds.
    pub fn get(&self, store: impl AsContext, index: u32) -> Option<Val> {
        let inner = &store.as_context().0.inner;
        let entity = self.entity(inner);
        let cell = *entity.elements.get(index as usize)?;
        Some(Val::from_cell(entity.ty.element(), cell, inner.id))
    }

    /// Sets the element at `index`.
    ///
    /// # Errors
    ///
    /// If `index` is out of bounds or `value` has the wrong type.
    pub fn set(&self, mut store: impl AsContextMut, index: u32, value: Val) -> Result<(), Error> {
        let inner = &mut store.as_context_mut().0.inner;
        let ty = self.entity(inner).ty;
        let cell = checked_cell(inner, ty, value)?;
        let slot = inner.tables[self.index as usize]
            .elements
            .get_mut(index as usize)
            .ok_or_else(|| Error::usage("table index out of bounds"))?;
        *slot = cell;
        Ok(())
    }

    /// Grows the table by `delta` elements set to `init`, returning the old size.
    ///
    /// # Errors
    ///
    /// If the table would exceed its maximum, or `init` has the wrong type.
    pub fn grow(&self, mut store: impl AsContextMut, delta: u32, init: Val) -> Result<u32, Error> {
        let inner = &mut store.as_context_mut().0.inner;
        let ty = self.entity(inner).ty;
        let cell = checked_cell(inner, ty, init)?;
        inner.tables[self.index as usize]
            .grow(delta, cell)
            .ok_or_else(|| Error::usage(format!("failed to grow table by {delta} elements")))
    }
}

fn checked_cell(store: &StoreInner, ty: TableType, value: Val) -> Result<u64, Error> {
    if value.ty() != ty.element() {
        return Err(Error::usage(format!(
            "a {} value cannot be stored in a table of {}",
            value.ty(),
            ty.element()
        )));
    }
    value.to_cell(store.id)
}

//! The executor's slower operations on store objects: memory growth, bulk
//! memory and table operations, table access and segment drops. Each checks its
//! whole range before writing anything, as the bulk memory proposal requires.

use std::sync::Arc;

use crate::runtime::{StoreInner, checked_range};
use crate::trap::TrapCode;

/// `start..start+len` within a byte buffer of `size`, or a memory trap.
fn mem_range(start: u32, len: u32, size: usize) -> Result<std::ops::Range<usize>, TrapCode> {
    let end = u64::from(start) + u64::from(len);
    if end > size as u64 {
        return Err(TrapCode::MemoryOutOfBounds);
    }
    Ok(start as usize..end as usize)
}

/// `memory.grow`: the old size in pages, or `u32::MAX` (-1) on failure.
pub(super) fn memory_grow(store: &mut StoreInner, mem: u32, delta: u32) -> u32 {
    match store.memories[mem as usize].grow(u64::from(delta)) {
        Some(old) => old as u32,
        None => u32::MAX,
    }
}

pub(super) fn memory_fill(
    store: &mut StoreInner,
    mem: u32,
    dst: u32,
    value: u8,
    len: u32,
) -> Result<(), TrapCode> {
    let data = &mut store.memories[mem as usize].data;
    let range = mem_range(dst, len, data.len())?;
    data[range].fill(value);
    Ok(())
}

pub(super) fn memory_copy(
    store: &mut StoreInner,
    mem: u32,
    dst: u32,
    src: u32,
    len: u32,
) -> Result<(), TrapCode> {
    let data = &mut store.memories[mem as usize].data;
    let src = mem_range(src, len, data.len())?;
    let dst = mem_range(dst, len, data.len())?;
    data.copy_within(src, dst.start);
    Ok(())
}

pub(super) fn memory_init(
    store: &mut StoreInner,
    instance: u32,
    mem: u32,
    segment: u32,
    dst: u32,
    src: u32,
    len: u32,
) -> Result<(), TrapCode> {
    let bytes = store.instances[instance as usize].data[segment as usize].clone();
    let data = &mut store.memories[mem as usize].data;
    let src = mem_range(src, len, bytes.len())?;
    let dst = mem_range(dst, len, data.len())?;
    data[dst].copy_from_slice(&bytes[src]);
    Ok(())
}

pub(super) fn data_drop(store: &mut StoreInner, instance: u32, segment: u32) {
    store.instances[instance as usize].data[segment as usize] = Arc::from(&[][..]);
}

pub(super) fn table_get(store: &StoreInner, table: u32, index: u32) -> Result<u64, TrapCode> {
    store.tables[table as usize]
        .elements
        .get(index as usize)
        .copied()
        .ok_or(TrapCode::TableOutOfBounds)
}

pub(super) fn table_set(
    store: &mut StoreInner,
    table: u32,
    index: u32,
    value: u64,
) -> Result<(), TrapCode> {
    let slot = store.tables[table as usize]
        .elements
        .get_mut(index as usize)
        .ok_or(TrapCode::TableOutOfBounds)?;
    *slot = value;
    Ok(())
}

pub(super) fn table_size(store: &StoreInner, table: u32) -> u32 {
    store.tables[table as usize].size()
}

/// `table.grow`: the old size, or `u32::MAX` (-1) on failure.
pub(super) fn table_grow(store: &mut StoreInner, table: u32, init: u64, delta: u32) -> u32 {
    store.tables[table as usize].grow(delta, init).unwrap_or(u32::MAX)
}

pub(super) fn table_fill(
    store: &mut StoreInner,
    table: u32,
    dst: u32,
    value: u64,
    len: u32,
) -> Result<(), TrapCode> {
    store.tables[table as usize].fill(dst, value, len)
}

pub(super) fn table_copy(
    store: &mut StoreInner,
    dst_table: u32,
    src_table: u32,
    dst: u32,
    src: u32,
    len: u32,
) -> Result<(), TrapCode> {
    if dst_table == src_table {
        let elements = &mut store.tables[dst_table as usize].elements;
        let src = checked_range(src, len, elements.len())?;
        let dst = checked_range(dst, len, elements.len())?;
        elements.copy_within(src, dst.start);
        return Ok(());
    }
    let [d, s] = store
        .tables
        .get_disjoint_mut([dst_table as usize, src_table as usize])
        .expect("distinct in-range table indices");
    let src = checked_range(src, len, s.elements.len())?;
    let dst = checked_range(dst, len, d.elements.len())?;
    d.elements[dst].copy_from_slice(&s.elements[src]);
    Ok(())
}

pub(super) fn table_init(
    store: &mut StoreInner,
    instance: u32,
    table: u32,
    segment: u32,
    dst: u32,
    src: u32,
    len: u32,
) -> Result<(), TrapCode> {
    let StoreInner { instances, tables, .. } = store;
    let items = &instances[instance as usize].elements[segment as usize];
    let elements = &mut tables[table as usize].elements;
    let src = checked_range(src, len, items.len())?;
    let dst = checked_range(dst, len, elements.len())?;
    elements[dst].copy_from_slice(&items[src]);
    Ok(())
}

pub(super) fn elem_drop(store: &mut StoreInner, instance: u32, segment: u32) {
    store.instances[instance as usize].elements[segment as usize] = Box::new([]);
}

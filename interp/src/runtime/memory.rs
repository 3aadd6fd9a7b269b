//! Linear memories: the [`Memory`] handle and the store-owned [`MemoryEntity`].
//!
//! The bytes live in a [`Bytes`] buffer whose length is always the memory's
//! size. On Unix it never moves; elsewhere growing may move it. Either way the
//! borrow checker ensures no host borrow of the bytes is alive across a grow,
//! and the executor reloads its cached base pointer and length after every
//! operation that can grow memory.

use super::bytes::Bytes;
use super::store::{AsContextMut, StoreContext, StoreContextMut, StoreId, StoreInner};
use crate::error::Error;
use crate::types::MemoryType;

/// Bytes in one WebAssembly page of the default size (64 KiB).
pub const PAGE_SIZE: u64 = 65536;

/// The most bytes a 64-bit memory can have here: its address space is
/// reserved up front, as a 32-bit memory's is, so it needs a bound. Growing
/// past it fails (`memory.grow` returns -1) and a larger minimum does not
/// instantiate.
pub const MAX_MEMORY64_BYTES: u64 = 1 << 34;

pub(crate) struct MemoryEntity {
    ty: MemoryType,
    /// The most bytes the memory may grow to: its maximum, bounded by its
    /// address space and, for 64-bit memories, [`MAX_MEMORY64_BYTES`].
    max_bytes: u64,
    pub data: Bytes,
}

impl MemoryEntity {
    /// A memory of type `ty`, whose limits must be valid (see
    /// [`MemoryType::check`]).
    pub fn new(ty: MemoryType) -> Result<MemoryEntity, Error> {
        let absolute = ty.absolute_max_pages();
        let max_pages = ty.maximum().unwrap_or(absolute).min(absolute);
        let limit = if ty.is_64() { MAX_MEMORY64_BYTES } else { 1 << 32 };
        let max_bytes = bytes(max_pages, ty).min(limit);
        let min_bytes = bytes(ty.minimum(), ty);
        let failed = || {
            Error::limit(format!(
                "failed to allocate {} pages of {} bytes of linear memory",
                ty.minimum(),
                ty.page_size()
            ))
        };
        if min_bytes > max_bytes {
            return Err(failed());
        }
        let data = usize::try_from(min_bytes)
            .ok()
            .zip(usize::try_from(max_bytes).ok())
            .and_then(|(len, max)| Bytes::new(len, max))
            .ok_or_else(failed)?;
        Ok(MemoryEntity { ty, max_bytes, data })
    }

    /// The memory's type, with the current size as its minimum.
    pub fn ty(&self) -> MemoryType {
        self.ty.with_minimum(self.pages())
    }

    /// The size in pages.
    pub fn pages(&self) -> u64 {
        self.data.len() as u64 >> self.ty.page_size_log2()
    }

    /// Grows by `delta` pages, returning the old size, or `None` if the memory
    /// would exceed its maximum or the allocation fails.
    pub fn grow(&mut self, delta: u64) -> Option<u64> {
        let old = self.pages();
        let new = old.checked_add(delta)?;
        let absolute = self.ty.absolute_max_pages();
        if new > self.ty.maximum().unwrap_or(absolute).min(absolute) {
            return None;
        }
        let new_bytes = bytes(new, self.ty);
        if new_bytes > self.max_bytes {
            return None;
        }
        self.data.grow(usize::try_from(new_bytes).ok()?).then_some(old)
    }
}

/// `pages` pages of memory type `ty` in bytes, saturating at `u64::MAX`.
fn bytes(pages: u64, ty: MemoryType) -> u64 {
    u64::try_from(u128::from(pages) << ty.page_size_log2()).unwrap_or(u64::MAX)
}

/// A linear memory.
///
/// A small `Copy` handle into the [`Store`](crate::Store) that owns the memory. A
/// memory imported by a module is this same object: writes and growth by either
/// side are visible to the other.
///
/// # Example
///
/// ```
/// use interp::{Engine, Memory, MemoryType, Store};
/// let mut store = Store::new(&Engine::default(), ());
/// let memory = Memory::new(&mut store, MemoryType::new(1, Some(2)))?;
/// memory.write(&mut store, 8, b"hi")?;
/// assert_eq!(&memory.data(&store)[8..10], b"hi");
/// assert_eq!(memory.grow(&mut store, 1)?, 1);
/// assert!(memory.grow(&mut store, 1).is_err());
/// # Ok::<(), interp::Error>(())
/// ```
#[derive(Debug, Copy, Clone, PartialEq, Eq, Hash)]
pub struct Memory {
    store: StoreId,
    index: u32,
}

impl Memory {
    pub(crate) fn from_raw(store: StoreId, index: u32) -> Memory {
        Memory { store, index }
    }

    pub(crate) fn index(&self) -> u32 {
        self.index
    }

    pub(crate) fn store_id(&self) -> StoreId {
        self.store
    }

    /// Creates a memory of the given type: 32 or 64-bit, with 64 KiB or
    /// 1-byte pages (see [`MemoryType`]).
    ///
    /// Address space for the memory's maximum size is reserved up front and
    /// made accessible as it grows, never committed before the guest touches
    /// it. A 64-bit memory can have at most [`MAX_MEMORY64_BYTES`] bytes here.
    ///
    /// # Errors
    ///
    /// If the type's limits are invalid (a minimum above the maximum, more
    /// pages than the address space holds, a page size other than 1 byte or 64
    /// KiB), or the initial size cannot be allocated.
    pub fn new(mut store: impl AsContextMut, ty: MemoryType) -> Result<Memory, Error> {
        ty.check()?;
        let inner = &mut store.as_context_mut().0.inner;
        Ok(inner.push_memory(MemoryEntity::new(ty)?))
    }

    fn entity<'a>(&self, store: &'a StoreInner) -> &'a MemoryEntity {
        assert_eq!(store.id, self.store, "memory used with the wrong store");
        &store.memories[self.index as usize]
    }

    fn entity_mut<'a>(&self, store: &'a mut StoreInner) -> &'a mut MemoryEntity {
        assert_eq!(store.id, self.store, "memory used with the wrong store");
        &mut store.memories[self.index as usize]
    }

    /// The memory's type; its minimum is the current size.
    ///
    /// # Panics
    ///
    /// If `store` does not own this memory (as for every method here).
    pub fn ty<'a, T: 'a>(&self, store: impl Into<StoreContext<'a, T>>) -> MemoryType {
        self.entity(&store.into().0.inner).ty()
    }

    /// The size in pages (of the memory type's page size).
    pub fn size<'a, T: 'a>(&self, store: impl Into<StoreContext<'a, T>>) -> u64 {
        self.entity(&store.into().0.inner).pages()
    }

    /// The size in bytes.
    pub fn data_size<'a, T: 'a>(&self, store: impl Into<StoreContext<'a, T>>) -> usize {
        self.entity(&store.into().0.inner).data.len()
    }

    /// The memory's bytes.
    pub fn data<'a, T: 'a>(&self, store: impl Into<StoreContext<'a, T>>) -> &'a [u8] {
        &self.entity(&store.into().0.inner).data
    }

    /// The memory's bytes, mutably.
    pub fn data_mut<'a, T: 'a>(&self, store: impl Into<StoreContextMut<'a, T>>) -> &'a mut [u8] {
        &mut self.entity_mut(&mut store.into().0.inner).data
    }

    /// The memory's bytes and the store's data at once, e.g. for a host function
    /// that copies between guest memory and its own state.
    pub fn data_and_store_mut<'a, T: 'a>(
        &self,
        store: impl Into<StoreContextMut<'a, T>>,
    ) -> (&'a mut [u8], &'a mut T) {
        let store = store.into().0;
        assert_eq!(store.inner.id, self.store, "memory used with the wrong store");
        let (inner, data) = store.inner_and_data_mut();
        (&mut inner.memories[self.index as usize].data, data)
    }

    /// Grows the memory by `delta` pages and returns the previous size.
    ///
    /// # Errors
    ///
    /// If the memory would exceed its maximum or the allocation fails.
    pub fn grow(&self, mut store: impl AsContextMut, delta: u64) -> Result<u64, Error> {
        let inner = &mut store.as_context_mut().0.inner;
        self.entity_mut(inner)
            .grow(delta)
            .ok_or_else(|| Error::usage(format!("failed to grow memory by {delta} pages")))
    }

    /// Copies `buf.len()` bytes starting at `offset` into `buf`.
    ///
    /// # Errors
    ///
    /// If the range is out of bounds.
    pub fn read<'a, T: 'a>(
        &self,
        store: impl Into<StoreContext<'a, T>>,
        offset: usize,
        buf: &mut [u8],
    ) -> Result<(), Error> {
        let data = self.data(store);
        let src = offset
            .checked_add(buf.len())
            .and_then(|end| data.get(offset..end))
            .ok_or_else(|| Error::usage("out of bounds memory access"))?;
        buf.copy_from_slice(src);
        Ok(())
    }

    /// Copies `buf` into memory starting at `offset`.
    ///
    /// # Errors
    ///
    /// If the range is out of bounds.
    pub fn write<'a, T: 'a>(
        &self,
        store: impl Into<StoreContextMut<'a, T>>,
        offset: usize,
        buf: &[u8],
    ) -> Result<(), Error> {
        let data = self.data_mut(store);
        let dst = offset
            .checked_add(buf.len())
            .and_then(|end| data.get_mut(offset..end))
            .ok_or_else(|| Error::usage("out of bounds memory access"))?;
        dst.copy_from_slice(buf);
        Ok(())
    }
}

impl StoreInner {
    pub fn push_memory(&mut self, entity: MemoryEntity) -> Memory {
        let index = u32::try_from(self.memories.len()).expect("too many memories in one store");
        self.memories.push(entity);
        Memory::from_raw(self.id, index)
    }
}

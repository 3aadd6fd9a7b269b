//! Exception handling's runtime objects: the [`Tag`] handle and the store's
//! tags, the [`ExnRef`] handle and the store's exceptions, and
//! [`Exception`], the error an exception that escapes wasm becomes.
//!
//! A tag is a store object like a global: a module defines or imports it, and
//! two tags are the same tag only if they are the same store object (an
//! imported tag is its exporter's). An exception is a store object too: `throw`
//! allocates one holding its tag and payload cells; an `exnref` cell is its
//! index + 1 (0 is null). Exceptions are never shared across stores.
//!
//! Without a garbage collector, an exception that was ever handed out as a
//! reference (to a `catch_ref`, to the host) lives as long as the store. One
//! that never was is recycled as soon as a `catch`/`catch_all` consumes it,
//! so code that throws and catches by value runs in constant memory.

use std::fmt;

use super::Val;
use super::store::{AsContext, AsContextMut, StoreId, StoreInner};
use crate::error::Error;
use crate::trap::{BACKTRACE_INNER, FrameInfo};
use crate::types::{FuncType, TagType};

/// What a store knows about a tag.
pub(crate) struct TagEntity {
    /// The engine-wide id of the tag's function type.
    pub type_id: u32,
    /// How many cells an exception with this tag carries.
    pub params: u32,
}

/// What a store knows about an exception.
pub(crate) struct ExnEntity {
    /// The store index of its tag.
    pub tag: u32,
    pub payload: Vec<u64>,
    /// Whether a reference to it was ever handed out; only exceptions that
    /// were not can be recycled.
    pub escaped: bool,
}

impl StoreInner {
    pub(crate) fn push_tag(&mut self, ty: &FuncType) -> Tag {
        let type_id = self.engine.intern_type(ty);
        let index = u32::try_from(self.tags.len()).expect("too many tags in one store");
        self.tags.push(TagEntity { type_id, params: ty.param_cells() });
        Tag { store: self.id, index }
    }

    /// A new exception with tag `tag` and the given payload, reusing a
    /// recycled one when there is one.
    pub(crate) fn alloc_exn(&mut self, tag: u32, payload: &[u64]) -> u32 {
        if let Some(index) = self.free_exns.pop() {
            let exn = &mut self.exns[index as usize];
            exn.tag = tag;
            exn.payload.clear();
            exn.payload.extend_from_slice(payload);
            exn.escaped = false;
            return index;
        }
        let index = u32::try_from(self.exns.len()).expect("too many exceptions in one store");
        self.exns.push(ExnEntity { tag, payload: payload.to_vec(), escaped: false });
        index
    }

    /// Recycles exception `exn` once a handler consumed it, unless a
    /// reference to it may still exist.
    pub(crate) fn consume_exn(&mut self, exn: u32) {
        if !self.exns[exn as usize].escaped {
            self.free_exns.push(exn);
        }
    }

    pub(crate) fn tag_type(&self, tag: u32) -> TagType {
        TagType::new(self.engine.resolve_type(self.tags[tag as usize].type_id))
    }

    /// The [`Exception`] error for exception `exn` escaping wasm, with the
    /// wasm frames it passed through.
    #[cold]
    pub(crate) fn exception_error(
        &mut self,
        exn: u32,
        trace: Vec<FrameInfo>,
        omitted: usize,
    ) -> Error {
        let entity = &mut self.exns[exn as usize];
        entity.escaped = true;
        let tag = entity.tag;
        let ty = self.tag_type(tag);
        let payload =
            Val::read_cells(ty.params(), &self.exns[exn as usize].payload, self.id).collect();
        let exception = Exception {
            exn: ExnRef { store: self.id, index: exn },
            tag: Tag { store: self.id, index: tag },
            tag_type: ty,
            payload,
            trace,
            omitted,
        };
        Error::from_kind(crate::error::ErrorKind::Exception(Box::new(exception)))
    }
}

/// A tag: the identity of a kind of exception and the types of the values it
/// carries (exception handling).
///
/// A small `Copy` handle into the [`Store`](crate::Store) that owns the tag.
/// Two modules catch each other's exceptions only if they use the same tag
/// object: one exports it and the other imports it (directly or through a
/// [`Linker`](crate::Linker)).
///
/// # Example
///
/// ```
/// use interp::{Engine, FuncType, Store, Tag, TagType, ValType};
/// let mut store = Store::new(&Engine::default(), ());
/// let tag = Tag::new(&mut store, &TagType::new(FuncType::new([ValType::I32], [])));
/// assert_eq!(tag.ty(&store).params(), [ValType::I32]);
/// ```
#[derive(Debug, Copy, Clone, PartialEq, Eq, Hash)]
pub struct Tag {
    store: StoreId,
    index: u32,
}

impl Tag {
    pub(crate) fn from_raw(store: StoreId, index: u32) -> Tag {
        Tag { store, index }
    }

    pub(crate) fn index(&self) -> u32 {
        self.index
    }

    pub(crate) fn store_id(&self) -> StoreId {
        self.store
    }

    /// Creates a tag of type `ty` in `store`.
    pub fn new(mut store: impl AsContextMut, ty: &TagType) -> Tag {
        store.as_context_mut().0.inner.push_tag(ty.ty())
    }

    /// The tag's type.
    ///
    /// # Panics
    ///
    /// If `store` does not own this tag.
    pub fn ty(&self, store: impl AsContext) -> TagType {
        let store = &store.as_context().0.inner;
        assert_eq!(store.id, self.store, "tag used with the wrong store");
        store.tag_type(self.index)
    }
}

/// A reference to an exception (`exnref`).
///
/// A small `Copy` handle into the [`Store`](crate::Store) that owns the
/// exception. A host function throws a wasm exception by creating one with
/// [`ExnRef::new`] and returning [`ExnRef::throw`]'s error; a wasm
/// `try_table` above the host call can catch it.
///
/// # Example
///
/// ```
/// use interp::{Engine, ExnRef, FuncType, Store, Tag, TagType, Val, ValType};
/// let mut store = Store::new(&Engine::default(), ());
/// let tag = Tag::new(&mut store, &TagType::new(FuncType::new([ValType::I32], [])));
/// let exn = ExnRef::new(&mut store, tag, &[Val::I32(7)])?;
/// assert_eq!(exn.tag(&store), tag);
/// assert_eq!(exn.payload(&store), [Val::I32(7)]);
/// let error = exn.throw(&store);
/// assert_eq!(error.as_exception().unwrap().payload(), [Val::I32(7)]);
/// # Ok::<(), interp::Error>(())
/// ```
#[derive(Debug, Copy, Clone, PartialEq, Eq, Hash)]
pub struct ExnRef {
    store: StoreId,
    index: u32,
}

impl ExnRef {
    /// A new exception with tag `tag` carrying `payload`.
    ///
    /// # Errors
    ///
    /// If the payload does not match the tag's parameter types, or the tag or
    /// a reference in the payload belongs to another store.
    pub fn new(mut store: impl AsContextMut, tag: Tag, payload: &[Val]) -> Result<ExnRef, Error> {
        let inner = &mut store.as_context_mut().0.inner;
        inner.check(tag.store)?;
        let ty = inner.tag_type(tag.index);
        let types: Vec<_> = payload.iter().map(Val::ty).collect();
        if types != ty.params() {
            return Err(Error::usage(format!(
                "exception payload of types {types:?} does not match tag type {ty}"
            )));
        }
        let mut cells = vec![0; ty.ty().param_cells() as usize];
        Val::write_cells(payload, &mut cells, inner.id)?;
        let index = inner.alloc_exn(tag.index, &cells);
        inner.exns[index as usize].escaped = true;
        Ok(ExnRef { store: inner.id, index })
    }

    /// The exception's tag.
    ///
    /// # Panics
    ///
    /// If `store` does not own this exception (as for every method here).
    pub fn tag(&self, store: impl AsContext) -> Tag {
        let inner = &store.as_context().0.inner;
        assert_eq!(inner.id, self.store, "exception used with the wrong store");
        Tag { store: self.store, index: inner.exns[self.index as usize].tag }
    }

    /// The values the exception carries.
    pub fn payload(&self, store: impl AsContext) -> Vec<Val> {
        let inner = &store.as_context().0.inner;
        assert_eq!(inner.id, self.store, "exception used with the wrong store");
        let exn = &inner.exns[self.index as usize];
        let ty = inner.tag_type(exn.tag);
        Val::read_cells(ty.params(), &exn.payload, inner.id).collect()
    }

    /// The error that throws this exception: returned by a host function, it
    /// unwinds the wasm frames that called it up to a matching handler.
    pub fn throw(self, store: impl AsContext) -> Error {
        let ctx = store.as_context();
        assert_eq!(ctx.0.inner.id, self.store, "exception used with the wrong store");
        let tag = self.tag(&ctx);
        let payload = self.payload(&ctx);
        let tag_type = ctx.0.inner.tag_type(tag.index);
        let exception =
            Exception { exn: self, tag, tag_type, payload, trace: Vec::new(), omitted: 0 };
        Error::from_kind(crate::error::ErrorKind::Exception(Box::new(exception)))
    }

    pub(crate) fn index(&self) -> u32 {
        self.index
    }

    pub(crate) fn store_id(&self) -> StoreId {
        self.store
    }

    pub(crate) fn to_cell(self, store: StoreId) -> Result<u64, Error> {
        if store != self.store {
            return Err(Error::usage("exception used with the wrong store"));
        }
        Ok(u64::from(self.index) + 1)
    }

    pub(crate) fn from_cell(cell: u64, store: StoreId) -> Option<ExnRef> {
        (cell != 0).then(|| ExnRef { store, index: (cell - 1) as u32 })
    }
}

/// A wasm exception that no handler caught: the error
/// ([`ErrorKind::Exception`](crate::ErrorKind::Exception)) a call returns when
/// an exception escapes the outermost wasm frame.
#[derive(Debug, Clone, PartialEq)]
pub struct Exception {
    exn: ExnRef,
    tag: Tag,
    tag_type: TagType,
    payload: Vec<Val>,
    trace: Vec<FrameInfo>,
    omitted: usize,
}

impl Exception {
    /// The exception itself, e.g. to rethrow it from a host function.
    pub fn exn(&self) -> ExnRef {
        self.exn
    }

    /// The exception's tag.
    pub fn tag(&self) -> Tag {
        self.tag
    }

    /// The values the exception carries.
    pub fn payload(&self) -> &[Val] {
        &self.payload
    }

    /// The wasm frames the exception unwound, innermost first (the frames
    /// active where it was thrown), as for a [`Trap`](crate::Trap).
    pub fn trace(&self) -> &[FrameInfo] {
        &self.trace
    }

    pub(crate) fn omitted(&self) -> usize {
        self.omitted
    }

    /// The same exception having unwound further, through the frames of
    /// `outer` too.
    pub(crate) fn unwound_through(&self, outer: Vec<FrameInfo>, omitted: usize) -> Exception {
        let mut trace = self.trace.clone();
        trace.extend(outer);
        Exception { trace, omitted: self.omitted + omitted, ..self.clone() }
    }
}

impl fmt::Display for Exception {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "uncaught wasm exception: tag {} {}", self.tag.index, self.tag_type)?;
        let payload: Vec<String> = self.payload.iter().map(ToString::to_string).collect();
        write!(f, " with payload [{}]", payload.join(", "))?;
        if !self.trace.is_empty() {
            f.write_str("\nwasm backtrace:")?;
            for (i, frame) in self.trace.iter().enumerate() {
                if self.omitted > 0 && i == BACKTRACE_INNER {
                    write!(f, "\n      ... {} frames omitted ...", self.omitted)?;
                }
                let n = if self.omitted > 0 && i >= BACKTRACE_INNER { i + self.omitted } else { i };
                write!(f, "\n  {n:>2}: {frame}")?;
            }
        }
        Ok(())
    }
}

impl std::error::Error for Exception {}

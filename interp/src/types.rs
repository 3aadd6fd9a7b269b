//! Type definitions shared by every layer: value types, function types and the
//! types of memories, tables, globals and imports/exports.
//!
//! A leaf module: it imports nothing from the rest of the crate but the error
//! type (another leaf), so the translator, the module representation and the
//! runtime can all depend on it without tying them together. Runtime values ([`crate::Val`]) hold store
//! handles and live with the runtime.

use std::fmt;
use std::sync::Arc;

use crate::error::Error;

/// The type of a WebAssembly value.
#[derive(Debug, Copy, Clone, PartialEq, Eq, Hash)]
pub enum ValType {
    /// 32-bit integer.
    I32,
    /// 64-bit integer.
    I64,
    /// 32-bit IEEE 754 float.
    F32,
    /// 64-bit IEEE 754 float.
    F64,
    /// 128-bit vector ([`V128`](crate::V128)).
    V128,
    /// A nullable reference to a function.
    FuncRef,
    /// A nullable reference to a host value.
    ExternRef,
    /// A nullable reference to an exception (exception handling).
    ExnRef,
}

impl ValType {
    /// Whether this is a reference type.
    pub fn is_ref(self) -> bool {
        matches!(self, ValType::FuncRef | ValType::ExternRef | ValType::ExnRef)
    }

    /// How many 64-bit cells a value of this type occupies in a frame: two for
    /// a `v128`, one for every other type.
    pub(crate) const fn cells(self) -> u32 {
        match self {
            ValType::V128 => 2,
            ValType::I32
            | ValType::I64
            | ValType::F32
            | ValType::F64
            | ValType::FuncRef
            | ValType::ExternRef
            | ValType::ExnRef => 1,
        }
    }

    pub(crate) fn from_wasmparser(ty: wasmparser::ValType) -> Option<ValType> {
        Some(match ty {
            wasmparser::ValType::I32 => ValType::I32,
            wasmparser::ValType::I64 => ValType::I64,
            wasmparser::ValType::F32 => ValType::F32,
            wasmparser::ValType::F64 => ValType::F64,
            wasmparser::ValType::Ref(r) => ValType::from_ref_type(r)?,
            wasmparser::ValType::V128 => ValType::V128,
        })
    }

    pub(crate) fn from_ref_type(ty: wasmparser::RefType) -> Option<ValType> {
        if ty == wasmparser::RefType::FUNCREF {
            Some(ValType::FuncRef)
        } else if ty == wasmparser::RefType::EXTERNREF {
            Some(ValType::ExternRef)
        } else if ty == wasmparser::RefType::EXNREF {
            Some(ValType::ExnRef)
        } else {
            None
        }
    }
}

impl fmt::Display for ValType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ValType::I32 => "i32",
            ValType::I64 => "i64",
            ValType::F32 => "f32",
            ValType::F64 => "f64",
            ValType::V128 => "v128",
            ValType::FuncRef => "funcref",
            ValType::ExternRef => "externref",
            ValType::ExnRef => "exnref",
        })
    }
}

/// The type of a function: its parameter and result types.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct FuncType {
    /// Parameters followed by results; `len_params` splits them.
    types: Arc<[ValType]>,
    len_params: usize,
}

impl FuncType {
    /// Creates a function type from its parameter and result types.
    pub fn new(
        params: impl IntoIterator<Item = ValType>,
        results: impl IntoIterator<Item = ValType>,
    ) -> FuncType {
        let mut types: Vec<ValType> = params.into_iter().collect();
        let len_params = types.len();
        types.extend(results);
        FuncType { types: types.into(), len_params }
    }

    /// The parameter types.
    pub fn params(&self) -> &[ValType] {
        &self.types[..self.len_params]
    }

    /// The result types.
    pub fn results(&self) -> &[ValType] {
        &self.types[self.len_params..]
    }

    /// The cells the parameters occupy in a frame (see [`ValType::cells`]).
    pub(crate) fn param_cells(&self) -> u32 {
        self.params().iter().map(|t| t.cells()).sum()
    }

    /// The cells the results occupy in a frame.
    pub(crate) fn result_cells(&self) -> u32 {
        self.results().iter().map(|t| t.cells()).sum()
    }

    /// The cells a call with this type needs: its frame starts with the
    /// arguments, which the results then overwrite.
    pub(crate) fn call_cells(&self) -> u32 {
        self.param_cells().max(self.result_cells())
    }
}

impl fmt::Debug for FuncType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl fmt::Display for FuncType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("(func")?;
        if !self.params().is_empty() {
            f.write_str(" (param")?;
            for p in self.params() {
                write!(f, " {p}")?;
            }
            f.write_str(")")?;
        }
        if !self.results().is_empty() {
            f.write_str(" (result")?;
            for r in self.results() {
                write!(f, " {r}")?;
            }
            f.write_str(")")?;
        }
        f.write_str(")")
    }
}

/// The type of a linear memory: its limits in pages, the width of its
/// addresses (32 or 64 bits, the memory64 proposal) and its page size (64 KiB,
/// or 1 byte with the custom-page-sizes proposal).
///
/// The constructors take any limits; [`MemoryTypeBuilder::build`] and
/// [`Memory::new`](crate::Memory::new) check them.
///
/// # Example
///
/// ```
/// use interp::MemoryType;
/// let classic = MemoryType::new(1, Some(2));
/// assert_eq!((classic.minimum(), classic.maximum(), classic.is_64()), (1, Some(2), false));
/// assert_eq!(classic.page_size(), 65536);
///
/// let wide = MemoryType::new64(1, Some(1 << 20));
/// assert!(wide.is_64());
///
/// let bytes = MemoryType::builder().min(100).max(Some(1000)).page_size_log2(0).build()?;
/// assert_eq!(bytes.page_size(), 1);
/// assert_eq!(bytes.to_string(), "(memory 100 1000 (pagesize 1))");
/// # Ok::<(), interp::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct MemoryType {
    minimum: u64,
    maximum: Option<u64>,
    memory64: bool,
    page_size_log2: u8,
}

impl MemoryType {
    /// The largest number of 64 KiB pages a 32-bit memory can have.
    pub const MAX_PAGES: u64 = 65536;

    /// The base-2 logarithm of the default page size (64 KiB).
    pub const DEFAULT_PAGE_SIZE_LOG2: u8 = 16;

    /// A 32-bit memory type with the given limits in 64 KiB pages.
    pub fn new(minimum: u32, maximum: Option<u32>) -> MemoryType {
        MemoryType {
            minimum: u64::from(minimum),
            maximum: maximum.map(u64::from),
            memory64: false,
            page_size_log2: Self::DEFAULT_PAGE_SIZE_LOG2,
        }
    }

    /// A 64-bit memory type (the memory64 proposal) with the given limits in
    /// 64 KiB pages.
    ///
    /// # Example
    ///
    /// ```
    /// use interp::{Engine, Memory, MemoryType, Store};
    /// let mut store = Store::new(&Engine::default(), ());
    /// // 65537 pages: one page past 4 GiB, reserved but not committed.
    /// let memory = Memory::new(&mut store, MemoryType::new64(65537, None))?;
    /// memory.write(&mut store, 1 << 32, b"high")?;
    /// assert_eq!(memory.size(&store), 65537);
    /// # Ok::<(), interp::Error>(())
    /// ```
    pub fn new64(minimum: u64, maximum: Option<u64>) -> MemoryType {
        MemoryType {
            minimum,
            maximum,
            memory64: true,
            page_size_log2: Self::DEFAULT_PAGE_SIZE_LOG2,
        }
    }

    /// A builder for any memory type, e.g. one with a custom page size.
    pub fn builder() -> MemoryTypeBuilder {
        MemoryTypeBuilder::new()
    }

    /// The initial size in pages.
    pub fn minimum(&self) -> u64 {
        self.minimum
    }

    /// The maximum size in pages, if any.
    pub fn maximum(&self) -> Option<u64> {
        self.maximum
    }

    /// Whether addresses are 64-bit (`i64`) rather than 32-bit (`i32`).
    pub fn is_64(&self) -> bool {
        self.memory64
    }

    /// The size of a page in bytes: 65536, or 1 for a custom page size.
    pub fn page_size(&self) -> u64 {
        1 << self.page_size_log2
    }

    /// The base-2 logarithm of [`MemoryType::page_size`]: 16 or 0.
    pub fn page_size_log2(&self) -> u8 {
        self.page_size_log2
    }

    /// The most pages a memory of this address width and page size can
    /// have: its whole address space, less one byte where a full address
    /// space of pages would make `memory.grow`'s result ambiguous.
    pub fn absolute_max_pages(&self) -> u64 {
        let address_space: u128 = if self.memory64 { 1 << 64 } else { 1 << 32 };
        let pages = address_space >> self.page_size_log2;
        let limit = if self.memory64 { u128::from(u64::MAX) } else { u128::from(u32::MAX) };
        pages.min(limit) as u64
    }

    /// The same type with another minimum (a memory's current size).
    pub(crate) fn with_minimum(self, minimum: u64) -> MemoryType {
        MemoryType { minimum, ..self }
    }

    /// Checks the limits against each other and against the address space.
    pub(crate) fn check(&self) -> Result<(), Error> {
        if self.page_size_log2 != 0 && self.page_size_log2 != Self::DEFAULT_PAGE_SIZE_LOG2 {
            return Err(Error::usage(format!(
                "invalid page size 2^{}: only 1 byte and 64 KiB pages exist",
                self.page_size_log2
            )));
        }
        let max = self.absolute_max_pages();
        if self.minimum > max || self.maximum.is_some_and(|m| m > max) {
            return Err(Error::usage(format!(
                "memory size must be at most {max} pages of {} bytes",
                self.page_size()
            )));
        }
        if self.maximum.is_some_and(|m| m < self.minimum) {
            return Err(Error::usage("memory size minimum must not be greater than maximum"));
        }
        Ok(())
    }
}

impl fmt::Display for MemoryType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(if self.memory64 { "(memory i64 " } else { "(memory " })?;
        write!(f, "{}", self.minimum)?;
        if let Some(max) = self.maximum {
            write!(f, " {max}")?;
        }
        if self.page_size_log2 != Self::DEFAULT_PAGE_SIZE_LOG2 {
            write!(f, " (pagesize {})", self.page_size())?;
        }
        f.write_str(")")
    }
}

/// Builds a [`MemoryType`] step by step, in the style of wasmtime's and
/// wasmi's builders: a 32-bit memory of 64 KiB pages with no minimum and no
/// maximum unless told otherwise.
///
/// # Example
///
/// ```
/// use interp::MemoryTypeBuilder;
/// let ty = MemoryTypeBuilder::new().memory64(true).min(2).max(Some(8)).build()?;
/// assert_eq!(ty.to_string(), "(memory i64 2 8)");
/// // Limits are checked: a 32-bit memory has at most 65536 pages of 64 KiB.
/// assert!(MemoryTypeBuilder::new().min(65537).build().is_err());
/// # Ok::<(), interp::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct MemoryTypeBuilder {
    ty: MemoryType,
}

impl Default for MemoryTypeBuilder {
    fn default() -> MemoryTypeBuilder {
        MemoryTypeBuilder::new()
    }
}

impl MemoryTypeBuilder {
    /// A 32-bit memory of 64 KiB pages, minimum 0, no maximum.
    pub fn new() -> MemoryTypeBuilder {
        MemoryTypeBuilder { ty: MemoryType::new(0, None) }
    }

    /// The initial size in pages.
    pub fn min(&mut self, minimum: u64) -> &mut MemoryTypeBuilder {
        self.ty.minimum = minimum;
        self
    }

    /// The maximum size in pages, or `None` for none.
    pub fn max(&mut self, maximum: Option<u64>) -> &mut MemoryTypeBuilder {
        self.ty.maximum = maximum;
        self
    }

    /// Whether addresses are 64-bit (the memory64 proposal).
    pub fn memory64(&mut self, memory64: bool) -> &mut MemoryTypeBuilder {
        self.ty.memory64 = memory64;
        self
    }

    /// The base-2 logarithm of the page size in bytes: 16 (the default, 64
    /// KiB) or 0 (1-byte pages, the custom-page-sizes proposal).
    pub fn page_size_log2(&mut self, page_size_log2: u8) -> &mut MemoryTypeBuilder {
        self.ty.page_size_log2 = page_size_log2;
        self
    }

    /// The memory type.
    ///
    /// # Errors
    ///
    /// If the page size is neither 1 byte nor 64 KiB, a limit exceeds the
    /// address space (e.g. more than 65536 64 KiB pages with 32-bit
    /// addresses), or the minimum exceeds the maximum.
    pub fn build(&self) -> Result<MemoryType, Error> {
        self.ty.check()?;
        Ok(self.ty)
    }
}

/// The element type, size limits and index width of a table.
///
/// # Example
///
/// ```
/// use interp::{TableType, ValType};
/// let ty = TableType::new64(ValType::FuncRef, 1, Some(10));
/// assert!(ty.is_64());
/// assert_eq!(ty.to_string(), "(table i64 1 10 funcref)");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TableType {
    element: ValType,
    minimum: u64,
    maximum: Option<u64>,
    table64: bool,
}

impl TableType {
    /// A table type with 32-bit indices; `element` must be a reference type.
    ///
    /// # Panics
    ///
    /// If `element` is not a reference type.
    pub fn new(element: ValType, minimum: u32, maximum: Option<u32>) -> TableType {
        assert!(element.is_ref(), "table elements must be references, not {element}");
        TableType {
            element,
            minimum: u64::from(minimum),
            maximum: maximum.map(u64::from),
            table64: false,
        }
    }

    /// A table type with 64-bit indices (the memory64 proposal's table64);
    /// `element` must be a reference type.
    ///
    /// # Panics
    ///
    /// If `element` is not a reference type.
    pub fn new64(element: ValType, minimum: u64, maximum: Option<u64>) -> TableType {
        assert!(element.is_ref(), "table elements must be references, not {element}");
        TableType { element, minimum, maximum, table64: true }
    }

    /// The type of the elements.
    pub fn element(&self) -> ValType {
        self.element
    }

    /// The initial number of elements.
    pub fn minimum(&self) -> u64 {
        self.minimum
    }

    /// The maximum number of elements, if any.
    pub fn maximum(&self) -> Option<u64> {
        self.maximum
    }

    /// Whether indices are 64-bit (`i64`) rather than 32-bit (`i32`).
    pub fn is_64(&self) -> bool {
        self.table64
    }

    /// The same type with another minimum (a table's current size).
    pub(crate) fn with_minimum(self, minimum: u64) -> TableType {
        TableType { minimum, ..self }
    }
}

impl fmt::Display for TableType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = if self.table64 { "table i64" } else { "table" };
        write_limits(f, what, self.minimum, self.maximum, Some(self.element))
    }
}

fn write_limits(
    f: &mut fmt::Formatter<'_>,
    what: &str,
    min: u64,
    max: Option<u64>,
    elem: Option<ValType>,
) -> fmt::Result {
    write!(f, "({what} {min}")?;
    if let Some(max) = max {
        write!(f, " {max}")?;
    }
    if let Some(elem) = elem {
        write!(f, " {elem}")?;
    }
    f.write_str(")")
}

/// Whether a global can be written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Mutability {
    /// Immutable.
    Const,
    /// Mutable.
    Var,
}

/// The value type and mutability of a global.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct GlobalType {
    content: ValType,
    mutability: Mutability,
}

impl GlobalType {
    /// A global type.
    pub fn new(content: ValType, mutability: Mutability) -> GlobalType {
        GlobalType { content, mutability }
    }

    /// The type of the value.
    pub fn content(&self) -> ValType {
        self.content
    }

    /// Whether the global can be written.
    pub fn mutability(&self) -> Mutability {
        self.mutability
    }
}

impl fmt::Display for GlobalType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.mutability {
            Mutability::Const => write!(f, "(global {})", self.content),
            Mutability::Var => write!(f, "(global (mut {}))", self.content),
        }
    }
}

/// The type of a tag (exception handling): the types of the values an
/// exception with this tag carries, as the parameters of a function type
/// without results.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TagType {
    ty: FuncType,
}

impl TagType {
    /// A tag type whose exceptions carry values of the parameter types of
    /// `ty` (tags' function types have no results).
    pub fn new(ty: FuncType) -> TagType {
        TagType { ty }
    }

    /// The tag's function type.
    pub fn ty(&self) -> &FuncType {
        &self.ty
    }

    /// The types of the values an exception with this tag carries.
    pub fn params(&self) -> &[ValType] {
        self.ty.params()
    }
}

impl fmt::Display for TagType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("(tag")?;
        if !self.params().is_empty() {
            f.write_str(" (param")?;
            for p in self.params() {
                write!(f, " {p}")?;
            }
            f.write_str(")")?;
        }
        f.write_str(")")
    }
}

/// The type of an import or export.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExternType {
    /// A function.
    Func(FuncType),
    /// A table.
    Table(TableType),
    /// A linear memory.
    Memory(MemoryType),
    /// A global.
    Global(GlobalType),
    /// A tag (exception handling).
    Tag(TagType),
}

impl fmt::Display for ExternType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ExternType::Func(t) => fmt::Display::fmt(t, f),
            ExternType::Table(t) => fmt::Display::fmt(t, f),
            ExternType::Memory(t) => fmt::Display::fmt(t, f),
            ExternType::Global(t) => fmt::Display::fmt(t, f),
            ExternType::Tag(t) => fmt::Display::fmt(t, f),
        }
    }
}

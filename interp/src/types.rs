//! Type definitions shared by every layer: value types, function types and the
//! types of memories, tables, globals and imports/exports.
//!
//! A leaf module: it imports nothing from the rest of the crate, so the
//! translator, the module representation and the runtime can all depend on it
//! without tying them together. Runtime values ([`crate::Val`]) hold store
//! handles and live with the runtime.

use std::fmt;
use std::sync::Arc;

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

    pub(crate) fn from_wasmparser(ty: wasmparser::ValType) -> Option<ValType> {
        Some(match ty {
            wasmparser::ValType::I32 => ValType::I32,
            wasmparser::ValType::I64 => ValType::I64,
            wasmparser::ValType::F32 => ValType::F32,
            wasmparser::ValType::F64 => ValType::F64,
            wasmparser::ValType::Ref(r) => ValType::from_ref_type(r)?,
            wasmparser::ValType::V128 => return None,
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

/// The size limits and shape of a linear memory.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct MemoryType {
    minimum: u64,
    maximum: Option<u64>,
}

impl MemoryType {
    /// The largest number of 64 KiB pages a 32-bit memory can have.
    pub const MAX_PAGES: u64 = 65536;

    /// A memory type with the given limits in 64 KiB pages.
    pub fn new(minimum: u32, maximum: Option<u32>) -> MemoryType {
        MemoryType { minimum: u64::from(minimum), maximum: maximum.map(u64::from) }
    }

    /// The initial size in pages.
    pub fn minimum(&self) -> u64 {
        self.minimum
    }

    /// The maximum size in pages, if any.
    pub fn maximum(&self) -> Option<u64> {
        self.maximum
    }
}

impl fmt::Display for MemoryType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_limits(f, "memory", self.minimum, self.maximum, None)
    }
}

/// The element type and size limits of a table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TableType {
    element: ValType,
    minimum: u32,
    maximum: Option<u32>,
}

impl TableType {
    /// A table type; `element` must be a reference type.
    ///
    /// # Panics
    ///
    /// If `element` is not a reference type.
    pub fn new(element: ValType, minimum: u32, maximum: Option<u32>) -> TableType {
        assert!(element.is_ref(), "table elements must be references, not {element}");
        TableType { element, minimum, maximum }
    }

    /// The type of the elements.
    pub fn element(&self) -> ValType {
        self.element
    }

    /// The initial number of elements.
    pub fn minimum(&self) -> u32 {
        self.minimum
    }

    /// The maximum number of elements, if any.
    pub fn maximum(&self) -> Option<u32> {
        self.maximum
    }
}

impl fmt::Display for TableType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_limits(
            f,
            "table",
            u64::from(self.minimum),
            self.maximum.map(u64::from),
            Some(self.element),
        )
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

//! [`Val`]: a WebAssembly value as the embedding API hands it out.
//!
//! Inside the engine every value is an untyped 64-bit *cell* (see [`crate::exec`]);
//! this module owns the conversion between cells and typed values. References
//! are store handles, which is why values live with the runtime while their
//! types ([`ValType`]) live in the leaf module [`crate::types`].

use std::fmt;

use super::{ExnRef, ExternRef, Func, StoreId};
use crate::types::ValType;
use crate::v128::V128;

/// Defined here rather than beside [`ValType`] so that the type definitions do
/// not depend on the runtime.
impl ValType {
    /// The zero value of this type (`0`, `+0.0` or a null reference).
    pub fn default_value(self) -> Val {
        match self {
            ValType::I32 => Val::I32(0),
            ValType::I64 => Val::I64(0),
            ValType::F32 => Val::F32(0),
            ValType::F64 => Val::F64(0),
            ValType::V128 => Val::V128(V128::from_u128(0)),
            ValType::FuncRef => Val::FuncRef(None),
            ValType::ExternRef => Val::ExternRef(None),
            ValType::ExnRef => Val::ExnRef(None),
        }
    }
}

/// A WebAssembly value as seen by the embedder.
///
/// Floats are carried as their bit patterns so that NaN payloads survive a
/// round trip through the API unchanged; use [`Val::from_f32`] and
/// [`Val::unwrap_f32`] (and the `f64` forms) to work with native floats.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Val {
    /// A 32-bit integer.
    I32(i32),
    /// A 64-bit integer.
    I64(i64),
    /// The bits of a 32-bit float.
    F32(u32),
    /// The bits of a 64-bit float.
    F64(u64),
    /// A 128-bit vector.
    V128(V128),
    /// A function reference, `None` for null.
    FuncRef(Option<Func>),
    /// An external reference, `None` for null.
    ExternRef(Option<ExternRef>),
    /// An exception reference, `None` for null.
    ExnRef(Option<ExnRef>),
}

impl Val {
    /// A float value from a native `f32`.
    pub fn from_f32(value: f32) -> Val {
        Val::F32(value.to_bits())
    }

    /// A float value from a native `f64`.
    pub fn from_f64(value: f64) -> Val {
        Val::F64(value.to_bits())
    }

    /// The type of this value.
    pub fn ty(&self) -> ValType {
        match self {
            Val::I32(_) => ValType::I32,
            Val::I64(_) => ValType::I64,
            Val::F32(_) => ValType::F32,
            Val::F64(_) => ValType::F64,
            Val::V128(_) => ValType::V128,
            Val::FuncRef(_) => ValType::FuncRef,
            Val::ExternRef(_) => ValType::ExternRef,
            Val::ExnRef(_) => ValType::ExnRef,
        }
    }

    /// The `i32` inside, if this is one.
    pub fn i32(&self) -> Option<i32> {
        if let Val::I32(v) = self { Some(*v) } else { None }
    }

    /// The `i64` inside, if this is one.
    pub fn i64(&self) -> Option<i64> {
        if let Val::I64(v) = self { Some(*v) } else { None }
    }

    /// The `f32` inside, if this is one.
    pub fn f32(&self) -> Option<f32> {
        if let Val::F32(v) = self { Some(f32::from_bits(*v)) } else { None }
    }

    /// The `f64` inside, if this is one.
    pub fn f64(&self) -> Option<f64> {
        if let Val::F64(v) = self { Some(f64::from_bits(*v)) } else { None }
    }

    /// The `v128` inside, if this is one.
    pub fn v128(&self) -> Option<V128> {
        if let Val::V128(v) = self { Some(*v) } else { None }
    }

    /// The `v128` inside.
    ///
    /// # Panics
    ///
    /// If this value is not a `v128`.
    pub fn unwrap_v128(&self) -> V128 {
        self.v128().expect("expected a v128 value")
    }

    /// The `i32` inside.
    ///
    /// # Panics
    ///
    /// If this value is not an `i32`.
    pub fn unwrap_i32(&self) -> i32 {
        self.i32().expect("expected an i32 value")
    }

    /// The `i64` inside.
    ///
    /// # Panics
    ///
    /// If this value is not an `i64`.
    pub fn unwrap_i64(&self) -> i64 {
        self.i64().expect("expected an i64 value")
    }

    /// The `f32` inside.
    ///
    /// # Panics
    ///
    /// If this value is not an `f32`.
    pub fn unwrap_f32(&self) -> f32 {
        self.f32().expect("expected an f32 value")
    }

    /// The `f64` inside.
    ///
    /// # Panics
    ///
    /// If this value is not an `f64`.
    pub fn unwrap_f64(&self) -> f64 {
        self.f64().expect("expected an f64 value")
    }

    /// Encodes this value as the engine cells it occupies ([`ValType::cells`]
    /// of them; the second is zero for every type but `v128`). References must
    /// belong to `store`.
    pub(crate) fn to_cells(self, store: StoreId) -> Result<[u64; 2], crate::Error> {
        Ok(match self {
            Val::I32(v) => [v as u32 as u64, 0],
            Val::I64(v) => [v as u64, 0],
            Val::F32(v) => [v as u64, 0],
            Val::F64(v) => [v, 0],
            Val::V128(v) => v.to_u64x2(),
            Val::FuncRef(None) | Val::ExternRef(None) | Val::ExnRef(None) => [0, 0],
            Val::FuncRef(Some(f)) => [f.to_cell(store)?, 0],
            Val::ExternRef(Some(e)) => [e.to_cell(store)?, 0],
            Val::ExnRef(Some(e)) => [e.to_cell(store)?, 0],
        })
    }

    /// Decodes a value of type `ty` from its cells (see [`Val::to_cells`]).
    pub(crate) fn from_cells(ty: ValType, cells: [u64; 2], store: StoreId) -> Val {
        let cell = cells[0];
        match ty {
            ValType::I32 => Val::I32(cell as u32 as i32),
            ValType::I64 => Val::I64(cell as i64),
            ValType::F32 => Val::F32(cell as u32),
            ValType::F64 => Val::F64(cell),
            ValType::V128 => Val::V128(V128::from_u64x2(cells)),
            ValType::FuncRef => Val::FuncRef(Func::from_cell(cell, store)),
            ValType::ExternRef => Val::ExternRef(ExternRef::from_cell(cell, store)),
            ValType::ExnRef => Val::ExnRef(ExnRef::from_cell(cell, store)),
        }
    }

    /// Encodes a value of a one-cell type (a table element, for instance).
    pub(crate) fn to_cell(self, store: StoreId) -> Result<u64, crate::Error> {
        debug_assert_eq!(self.ty().cells(), 1, "a v128 needs two cells");
        Ok(self.to_cells(store)?[0])
    }

    /// Decodes a cell of a one-cell type `ty` that belongs to `store`.
    pub(crate) fn from_cell(ty: ValType, cell: u64, store: StoreId) -> Val {
        Val::from_cells(ty, [cell, 0], store)
    }

    /// Writes `vals` into consecutive cells, each taking as many as its type
    /// needs ([`ValType::cells`]); `cells` must have room for all of them.
    pub(crate) fn write_cells(
        vals: &[Val],
        cells: &mut [u64],
        store: StoreId,
    ) -> Result<(), crate::Error> {
        let mut at = 0;
        for val in vals {
            let n = val.ty().cells() as usize;
            cells[at..at + n].copy_from_slice(&val.to_cells(store)?[..n]);
            at += n;
        }
        Ok(())
    }

    /// Reads values of the given types from consecutive cells.
    pub(crate) fn read_cells<'a>(
        types: &'a [ValType],
        cells: &'a [u64],
        store: StoreId,
    ) -> impl Iterator<Item = Val> + 'a {
        let mut at = 0;
        types.iter().map(move |&ty| {
            let n = ty.cells() as usize;
            let mut pair = [0u64; 2];
            pair[..n].copy_from_slice(&cells[at..at + n]);
            at += n;
            Val::from_cells(ty, pair, store)
        })
    }
}

impl From<i32> for Val {
    fn from(v: i32) -> Val {
        Val::I32(v)
    }
}

impl From<i64> for Val {
    fn from(v: i64) -> Val {
        Val::I64(v)
    }
}

impl From<f32> for Val {
    fn from(v: f32) -> Val {
        Val::from_f32(v)
    }
}

impl From<f64> for Val {
    fn from(v: f64) -> Val {
        Val::from_f64(v)
    }
}

impl From<V128> for Val {
    fn from(v: V128) -> Val {
        Val::V128(v)
    }
}

impl From<Func> for Val {
    fn from(f: Func) -> Val {
        Val::FuncRef(Some(f))
    }
}

impl fmt::Display for Val {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Val::I32(v) => write!(f, "{v}"),
            Val::I64(v) => write!(f, "{v}"),
            Val::F32(v) => write!(f, "{}", f32::from_bits(*v)),
            Val::F64(v) => write!(f, "{}", f64::from_bits(*v)),
            Val::V128(v) => write!(f, "{v}"),
            Val::FuncRef(None) | Val::ExternRef(None) | Val::ExnRef(None) => f.write_str("null"),
            Val::FuncRef(Some(func)) => write!(f, "funcref({})", func.index()),
            Val::ExternRef(Some(e)) => write!(f, "externref({})", e.index()),
            Val::ExnRef(Some(e)) => write!(f, "exnref({})", e.index()),
        }
    }
}

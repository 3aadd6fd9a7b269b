//! Constant expressions (global initialisers, segment offsets and element items),
//! decoded once at parse time and evaluated at instantiation.

use crate::error::Error;

/// One operator of a constant expression.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum ConstOp {
    /// Push a cell (any numeric constant or a null reference).
    Cell(u64),
    /// Push a `v128` constant (its two cells, low half first).
    V128([u64; 2]),
    /// Push a reference to function `index` of the instance.
    RefFunc(u32),
    /// Push the value of global `index` of the instance.
    GlobalGet(u32),
    I32Add,
    I32Sub,
    I32Mul,
    I64Add,
    I64Sub,
    I64Mul,
}

/// A decoded constant expression.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ConstExpr {
    ops: Box<[ConstOp]>,
}

impl ConstExpr {
    /// An expression that pushes a single function reference.
    pub fn ref_func(index: u32) -> ConstExpr {
        ConstExpr { ops: Box::new([ConstOp::RefFunc(index)]) }
    }

    /// Decodes a validated constant expression.
    pub fn decode(expr: &wasmparser::ConstExpr<'_>) -> Result<ConstExpr, Error> {
        use wasmparser::Operator as O;
        let mut ops = Vec::new();
        let mut reader = expr.get_operators_reader();
        while !reader.eof() {
            let (op, offset) = reader.read_with_offset().map_err(super::parse::wasm_error)?;
            ops.push(match op {
                O::I32Const { value } => ConstOp::Cell(value as u32 as u64),
                O::I64Const { value } => ConstOp::Cell(value as u64),
                O::F32Const { value } => ConstOp::Cell(u64::from(value.bits())),
                O::F64Const { value } => ConstOp::Cell(value.bits()),
                O::RefNull { .. } => ConstOp::Cell(0),
                O::V128Const { value } => {
                    ConstOp::V128(crate::V128::from_le_bytes(*value.bytes()).to_u64x2())
                }
                O::RefFunc { function_index } => ConstOp::RefFunc(function_index),
                O::GlobalGet { global_index } => ConstOp::GlobalGet(global_index),
                O::I32Add => ConstOp::I32Add,
                O::I32Sub => ConstOp::I32Sub,
                O::I32Mul => ConstOp::I32Mul,
                O::I64Add => ConstOp::I64Add,
                O::I64Sub => ConstOp::I64Sub,
                O::I64Mul => ConstOp::I64Mul,
                O::End => break,
                other => {
                    return Err(Error::wasm(
                        format!("unsupported constant expression operator {other:?}"),
                        offset as usize,
                    ));
                }
            });
        }
        Ok(ConstExpr { ops: ops.into() })
    }

    /// Evaluates an expression of a one-cell type; `global` and `func` resolve
    /// instance indices to cells.
    pub fn eval(&self, global: impl Fn(u32) -> u64, func: impl Fn(u32) -> u64) -> u64 {
        self.eval_cells(|g| [global(g), 0], func)[0]
    }

    /// Evaluates the expression to the cells of its value (both used by a
    /// `v128`, see [`crate::Val::to_cells`]); `global` resolves an instance's
    /// global index to the global's cells.
    pub fn eval_cells(
        &self,
        global: impl Fn(u32) -> [u64; 2],
        func: impl Fn(u32) -> u64,
    ) -> [u64; 2] {
        if let [op] = *self.ops {
            match op {
                ConstOp::Cell(c) => return [c, 0],
                ConstOp::V128(cells) => return cells,
                ConstOp::RefFunc(i) => return [func(i), 0],
                ConstOp::GlobalGet(i) => return global(i),
                _ => {}
            }
        }
        let mut stack: Vec<[u64; 2]> = Vec::with_capacity(4);
        for op in self.ops.iter() {
            let v = match *op {
                ConstOp::Cell(c) => [c, 0],
                ConstOp::V128(cells) => cells,
                ConstOp::RefFunc(i) => [func(i), 0],
                ConstOp::GlobalGet(i) => global(i),
                binop => {
                    // Validation guarantees two operands of the right type.
                    let b = stack.pop().unwrap_or_default()[0];
                    let a = stack.pop().unwrap_or_default()[0];
                    let cell = match binop {
                        ConstOp::I32Add => (a as u32).wrapping_add(b as u32) as u64,
                        ConstOp::I32Sub => (a as u32).wrapping_sub(b as u32) as u64,
                        ConstOp::I32Mul => (a as u32).wrapping_mul(b as u32) as u64,
                        ConstOp::I64Add => a.wrapping_add(b),
                        ConstOp::I64Sub => a.wrapping_sub(b),
                        ConstOp::I64Mul => a.wrapping_mul(b),
                        ConstOp::Cell(_)
                        | ConstOp::V128(_)
                        | ConstOp::RefFunc(_)
                        | ConstOp::GlobalGet(_) => {
                            unreachable!("handled above")
                        }
                    };
                    [cell, 0]
                }
            };
            stack.push(v);
        }
        stack.pop().unwrap_or_default()
    }
}

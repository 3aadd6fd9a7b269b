//! Wide arithmetic lowered to WebAssembly 2.0 instructions, so that the
//! tie-breaker, wasmi 0.31, which lacks the proposal, can run modules that use
//! it.
//!
//! Every `i64.add128`, `i64.sub128`, `i64.mul_wide_s` and `i64.mul_wide_u`
//! becomes a sequence of i64 operations on scratch locals, six i64 locals that
//! each function gets after its own. Nothing else changes: function, type,
//! global and table indices stay as they were. The sequences work on 32-bit
//! halves and carries, nothing like interp's 128-bit integer arithmetic, so a
//! tie the lowered module breaks in interp's favour is independent evidence.

use wasm_encoder::reencode::{Error, Reencode};
use wasm_encoder::{Function, Instruction as I, ValType};
use wasmparser::{Operator as O, Parser, Payload};

/// `wasm` with its wide arithmetic lowered, or `None` if it has none (or does
/// not parse).
pub fn wide_arithmetic(wasm: &[u8]) -> Option<Vec<u8>> {
    let params = defined_func_params(wasm)?;
    let mut lowering = Lowering { params, next: 0, lowered: false };
    let mut module = wasm_encoder::Module::new();
    lowering.parse_core_module(&mut module, Parser::new(0), wasm).ok()?;
    lowering.lowered.then(|| module.finish())
}

/// The parameter count of each function the module defines, in order.
fn defined_func_params(wasm: &[u8]) -> Option<Vec<u32>> {
    let mut types: Vec<u32> = Vec::new();
    let mut params = Vec::new();
    for payload in Parser::new(0).parse_all(wasm) {
        match payload.ok()? {
            Payload::TypeSection(section) => {
                for ty in section.into_iter_err_on_gc_types() {
                    types.push(ty.ok()?.params().len() as u32);
                }
            }
            Payload::FunctionSection(section) => {
                for index in section {
                    params.push(*types.get(index.ok()? as usize)?);
                }
            }
            _ => {}
        }
    }
    Some(params)
}

struct Lowering {
    params: Vec<u32>,
    /// The defined function whose body comes next.
    next: usize,
    lowered: bool,
}

/// Six scratch i64 locals, from `base`.
#[derive(Clone, Copy)]
struct Scratch {
    base: u32,
}

impl Scratch {
    fn get(self, i: u32) -> I<'static> {
        I::LocalGet(self.base + i)
    }

    fn set(self, i: u32) -> I<'static> {
        I::LocalSet(self.base + i)
    }

    fn tee(self, i: u32) -> I<'static> {
        I::LocalTee(self.base + i)
    }
}

/// `[a_lo a_hi b_lo b_hi] -> [lo hi]`: the sum, with the low halves' carry.
fn add128(s: Scratch) -> Vec<I<'static>> {
    vec![
        s.set(3),
        s.set(2),
        s.set(1),
        s.set(0),
        s.get(0),
        s.get(2),
        I::I64Add,
        s.tee(4),
        s.get(1),
        s.get(3),
        I::I64Add,
        // carry: the low sum wrapped below an addend
        s.get(4),
        s.get(0),
        I::I64LtU,
        I::I64ExtendI32U,
        I::I64Add,
    ]
}

/// `[a_lo a_hi b_lo b_hi] -> [lo hi]`: the difference, with the low halves'
/// borrow.
fn sub128(s: Scratch) -> Vec<I<'static>> {
    vec![
        s.set(3),
        s.set(2),
        s.set(1),
        s.set(0),
        s.get(0),
        s.get(2),
        I::I64Sub,
        s.get(1),
        s.get(3),
        I::I64Sub,
        // borrow: the low subtrahend exceeds the low minuend
        s.get(0),
        s.get(2),
        I::I64LtU,
        I::I64ExtendI32U,
        I::I64Sub,
    ]
}

/// `[a b] -> [lo hi]`: the unsigned product, from the four products of
/// 32-bit halves; for the signed product, the high half then loses `b` if
/// `a` is negative and `a` if `b` is.
fn mul_wide(s: Scratch, signed: bool) -> Vec<I<'static>> {
    let low = |i| [s.get(i), I::I64Const(0xffff_ffff), I::I64And];
    let high = |i| [s.get(i), I::I64Const(32), I::I64ShrU];
    let mut code = vec![s.set(1), s.set(0)];
    // p00 = lo(a) * lo(b), p01 = lo(a) * hi(b), p10 = hi(a) * lo(b)
    code.extend(low(0));
    code.extend(low(1));
    code.extend([I::I64Mul, s.set(2)]);
    code.extend(low(0));
    code.extend(high(1));
    code.extend([I::I64Mul, s.set(3)]);
    code.extend(high(0));
    code.extend(low(1));
    code.extend([I::I64Mul, s.set(4)]);
    // mid = hi(p00) + lo(p01) + lo(p10), below 3 * 2^32
    code.extend(high(2));
    code.extend(low(3));
    code.push(I::I64Add);
    code.extend(low(4));
    code.extend([I::I64Add, s.set(5)]);
    // lo = a * b (wrapping)
    code.extend([s.get(0), s.get(1), I::I64Mul]);
    // hi = hi(a) * hi(b) + hi(p01) + hi(p10) + hi(mid)
    code.extend(high(0));
    code.extend(high(1));
    code.push(I::I64Mul);
    code.extend(high(3));
    code.push(I::I64Add);
    code.extend(high(4));
    code.push(I::I64Add);
    code.extend(high(5));
    code.push(I::I64Add);
    if signed {
        for (sign, other) in [(0, 1), (1, 0)] {
            code.extend([s.get(sign), I::I64Const(63), I::I64ShrS, s.get(other), I::I64And]);
            code.push(I::I64Sub);
        }
    }
    code
}

impl Reencode for Lowering {
    type Error = std::convert::Infallible;

    fn parse_function_body(
        &mut self,
        code: &mut wasm_encoder::CodeSection,
        func: wasmparser::FunctionBody<'_>,
    ) -> Result<(), Error<Self::Error>> {
        let mut locals = Vec::new();
        let mut base = self.params.get(self.next).copied().unwrap_or(0);
        self.next += 1;
        for pair in func.get_locals_reader()? {
            let (count, ty) = pair?;
            base += count;
            locals.push((count, self.val_type(ty)?));
        }
        locals.push((6, ValType::I64));
        let scratch = Scratch { base };
        let mut f = Function::new(locals);
        let mut reader = func.get_operators_reader()?;
        while !reader.eof() {
            let lowered = match reader.read()? {
                O::I64Add128 => add128(scratch),
                O::I64Sub128 => sub128(scratch),
                O::I64MulWideS => mul_wide(scratch, true),
                O::I64MulWideU => mul_wide(scratch, false),
                op => {
                    f.instruction(&self.instruction(op)?);
                    continue;
                }
            };
            self.lowered = true;
            for instruction in &lowered {
                f.instruction(instruction);
            }
        }
        code.function(&f);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const WIDE: &str = r#"(module
      (func (export "add128") (param i64 i64 i64 i64) (result i64 i64)
        (i64.add128 (local.get 0) (local.get 1) (local.get 2) (local.get 3)))
      (func (export "sub128") (param i64 i64 i64 i64) (result i64 i64)
        (local i32)
        (i64.sub128 (local.get 0) (local.get 1) (local.get 2) (local.get 3)))
      (func (export "mul_wide_s") (param i64 i64) (result i64 i64)
        (i64.mul_wide_s (local.get 0) (local.get 1)))
      (func (export "mul_wide_u") (param i64 i64) (result i64 i64)
        (local f64 i64)
        (i64.mul_wide_u (local.get 0) (local.get 1))))"#;

    fn split(v: u128) -> [i64; 2] {
        [v as u64 as i64, (v >> 64) as u64 as i64]
    }

    #[test]
    fn lowered_wide_arithmetic_runs_in_wasmi_031_with_the_proposals_results() {
        use wasmi_legacy::{Engine, Linker, Module, Store, Value};
        let wasm = wide_arithmetic(&wat::parse_str(WIDE).expect("parses")).expect("lowered");
        let engine = Engine::default();
        let module = Module::new(&engine, &wasm[..]).expect("wasmi 0.31 compiles it");
        let mut store = Store::new(&engine, ());
        let instance = Linker::<()>::new(&engine)
            .instantiate(&mut store, &module)
            .and_then(|pre| pre.start(&mut store))
            .expect("instantiates");
        let mut call = |name: &str, args: &[i64]| -> [i64; 2] {
            let func = instance.get_func(&store, name).expect("exported");
            let args: Vec<Value> = args.iter().map(|&a| Value::I64(a)).collect();
            let mut out = [Value::I64(0), Value::I64(0)];
            func.call(&mut store, &args, &mut out).expect("runs");
            out.map(|v| v.i64().expect("an i64"))
        };
        let samples: [i64; 9] =
            [0, 1, -1, 2, i64::MAX, i64::MIN, 0xffff_ffff, 0x1_0000_0000, -0x1234_5678_9abc_def0];
        for &a in &samples {
            for &b in &samples {
                let (au, bu) = (a as u64 as u128, b as u64 as u128);
                assert_eq!(call("mul_wide_u", &[a, b]), split(au * bu), "mul_wide_u {a} {b}");
                let signed = (i128::from(a) * i128::from(b)) as u128;
                assert_eq!(call("mul_wide_s", &[a, b]), split(signed), "mul_wide_s {a} {b}");
                for &c in &samples[..4] {
                    let x = au | ((c as u64 as u128) << 64);
                    let y = bu | ((a as u64 as u128) << 64);
                    let [xl, xh] = split(x);
                    let [yl, yh] = split(y);
                    assert_eq!(call("add128", &[xl, xh, yl, yh]), split(x.wrapping_add(y)));
                    assert_eq!(call("sub128", &[xl, xh, yl, yh]), split(x.wrapping_sub(y)));
                }
            }
        }
    }

    #[test]
    fn modules_without_wide_arithmetic_are_left_alone() {
        let wasm = wat::parse_str("(module (func (result i64) (i64.const 1)))").expect("parses");
        assert_eq!(wide_arithmetic(&wasm), None);
    }
}

//! The tie-breaker consulted when interp and wasmi 2 disagree, as one
//! [`DiffEngine`]: wasmi 0.31 for worlds it runs, and for the others (SIMD,
//! several memories, 64-bit memories and tables, custom page sizes: all newer
//! than wasmi 0.31) wasmi 2 on the world's modules with every `select`
//! rewritten into an `if`/`else` ([`without_select`]).
//!
//! wasmi 0.31 shares no code with wasmi 2's translator, so when it sides with
//! interp, wasmi 2 is wrong. No second engine with those features is
//! available, so for them the second opinion comes from wasmi 2 itself on a
//! module that avoids the translation path of every wasmi 2 bug the
//! differential has met (`fuzz/regressions/differential/wasmi2-select-*`:
//! `select`s miscompiled after fusing their condition or after a
//! `local.set`). It settles disagreements caused by those bugs and no others:
//! a disagreement that persists without `select` is reported like any other.

use wasm_encoder::reencode::{Error as ReencodeError, Reencode};
use wasmparser::{
    FuncValidatorAllocations, Parser, ValType, ValidPayload, Validator, WasmFeatures,
};

use super::wasmi::WasmiEngine;
use super::wasmi_legacy::WasmiLegacyEngine;
use super::{DiffEngine, DiffInstance, Failure, ModuleSpec, Outcome, Stack, World};
use crate::value::Type;

/// wasmi 0.31, or wasmi 2 without `select` for worlds wasmi 0.31 cannot run.
pub struct TieBreakerEngine {
    legacy: WasmiLegacyEngine,
    wasmi: WasmiEngine,
}

impl TieBreakerEngine {
    pub fn new(stack: Stack) -> TieBreakerEngine {
        TieBreakerEngine { legacy: WasmiLegacyEngine::new(stack), wasmi: WasmiEngine::new(stack) }
    }
}

impl std::fmt::Debug for TieBreakerEngine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TieBreakerEngine")
    }
}

/// The tie-breaker of `world`, for reports: `"wasmi 0.31"`, or `"wasmi 2
/// without select"` for a world wasmi 0.31 cannot run.
pub fn name(world: &World) -> &'static str {
    if needs_wasmi2(world) { "wasmi 2 without select" } else { "wasmi 0.31" }
}

/// What wasmi 0.31 runs as [`WasmiLegacyEngine`] configures it: WebAssembly
/// 2.0 without SIMD, plus tail calls and extended constants, and wide
/// arithmetic, which it runs lowered to WebAssembly 2.0.
const LEGACY_FEATURES: WasmFeatures = WasmFeatures::WASM2
    .difference(WasmFeatures::SIMD)
    .union(WasmFeatures::TAIL_CALL)
    .union(WasmFeatures::EXTENDED_CONST)
    .union(WasmFeatures::WIDE_ARITHMETIC);

/// Whether a world needs a feature wasmi 0.31 lacks: a module it does not
/// validate (SIMD, several or 64-bit memories, 64-bit tables, custom page
/// sizes), or a host function of a `v128` type.
fn needs_wasmi2(world: &World) -> bool {
    let v128 = |sig: &crate::value::Signature| {
        sig.params.iter().chain(&sig.results).any(|&t| t == Type::V128)
    };
    let legacy_runs =
        |wasm: &[u8]| Validator::new_with_features(LEGACY_FEATURES).validate_all(wasm).is_ok();
    world.hosts.iter().any(v128) || world.modules.iter().any(|m| !legacy_runs(&m.wasm))
}

impl DiffEngine for TieBreakerEngine {
    fn name(&self) -> &'static str {
        "tie-breaker"
    }

    fn instantiate(&mut self, world: &World, fuel: Option<u64>) -> Outcome<Box<dyn DiffInstance>> {
        if !needs_wasmi2(world) {
            return self.legacy.instantiate(world, fuel);
        }
        let modules = world
            .modules
            .iter()
            .map(|m| ModuleSpec { wasm: without_select(&m.wasm), ..m.clone() })
            .collect();
        let rewritten = World { modules, ..world.clone() };
        let wasmi = &mut self.wasmi;
        match crate::differential::catch_panic(|| wasmi.instantiate(&rewritten, fuel)) {
            Some(outcome) => outcome,
            None => Err(Failure::Error("wasmi 2 panicked (module without select)".into())),
        }
    }
}

/// One function body: how many locals it has (parameters included), and the
/// type of the values of each of its `select`s in order: `None` where
/// validation does not know it (unreachable code), where the `select` stays.
type BodySelects = (u32, Vec<Option<ValType>>);

fn select_types(wasm: &[u8]) -> Option<Vec<BodySelects>> {
    let mut validator = Validator::new_with_features(wasmparser::WasmFeatures::all());
    let mut allocations = FuncValidatorAllocations::default();
    let mut bodies = Vec::new();
    for payload in Parser::new(0).parse_all(wasm) {
        let payload = payload.ok()?;
        if let ValidPayload::Func(func, body) = validator.payload(&payload).ok()? {
            let mut func = func.into_validator(allocations);
            let mut reader = body.get_binary_reader();
            func.read_locals(&mut reader).ok()?;
            let len_locals = func.len_locals();
            let mut operators = body.get_operators_reader().ok()?;
            let mut types = Vec::new();
            while !operators.eof() {
                let (op, offset) = operators.read_with_offset().ok()?;
                let reachable = func.get_control_frame(0).is_some_and(|f| !f.unreachable);
                match op {
                    wasmparser::Operator::Select => {
                        types.push(func.get_operand_type(1).flatten().filter(|_| reachable));
                    }
                    wasmparser::Operator::TypedSelect { ty } => {
                        types.push(reachable.then_some(ty));
                    }
                    _ => {}
                }
                func.op(offset, &op).ok()?;
            }
            operators.finish().ok()?;
            allocations = func.into_allocations();
            bodies.push((len_locals, types));
        }
    }
    Some(bodies)
}

/// `wasm` with every `select` whose operand type is known replaced by
/// `local.set c; local.set b; local.set a; local.get c; if (result t)
/// local.get a else local.get b end` on fresh locals; `wasm` itself if it
/// has none or cannot be rewritten.
pub fn without_select(wasm: &[u8]) -> Vec<u8> {
    let Some(types) = select_types(wasm) else { return wasm.to_vec() };
    if types.iter().all(|(_, t)| t.iter().all(Option::is_none)) {
        return wasm.to_vec();
    }
    let mut rewriter = SelectRewriter { types, body: 0, select: 0, scratch: Vec::new() };
    let mut module = wasm_encoder::Module::new();
    match rewriter.parse_core_module(&mut module, Parser::new(0), wasm) {
        Ok(()) => module.finish(),
        Err(_) => wasm.to_vec(),
    }
}

struct SelectRewriter {
    types: Vec<BodySelects>,
    /// The index of the body being rewritten.
    body: usize,
    /// The index of the next `select` in it.
    select: usize,
    /// The body's scratch locals: the condition's, then `(type, a, b)` for
    /// each operand type.
    scratch: Vec<(ValType, u32, u32, u32)>,
}

impl Reencode for SelectRewriter {
    type Error = std::convert::Infallible;

    fn parse_function_body(
        &mut self,
        code: &mut wasm_encoder::CodeSection,
        func: wasmparser::FunctionBody<'_>,
    ) -> Result<(), ReencodeError<Self::Error>> {
        // Locals: the body's own, then the scratch ones, whose indices start
        // after all locals (parameters included).
        let mut declared: Vec<(u32, wasm_encoder::ValType)> = Vec::new();
        for local in func.get_locals_reader()? {
            let (n, ty) = local?;
            declared.push((n, self.val_type(ty)?));
        }
        let (first, selects) = self.types.get(self.body).cloned().unwrap_or_default();
        let mut types: Vec<ValType> = Vec::new();
        for t in selects.iter().flatten() {
            if !types.contains(t) {
                types.push(*t);
            }
        }
        self.scratch.clear();
        let condition = first;
        for (i, ty) in types.iter().enumerate() {
            let a = first + 1 + 2 * i as u32;
            self.scratch.push((*ty, condition, a, a + 1));
        }
        declared.push((1, wasm_encoder::ValType::I32));
        for ty in &types {
            declared.push((2, self.val_type(*ty)?));
        }
        let mut function = wasm_encoder::Function::new(declared);
        let mut reader = func.get_operators_reader()?;
        while !reader.eof() {
            let op = reader.read()?;
            let select_type = match op {
                wasmparser::Operator::Select | wasmparser::Operator::TypedSelect { .. } => {
                    let ty = selects.get(self.select).copied().flatten();
                    self.select += 1;
                    ty
                }
                _ => None,
            };
            match select_type {
                Some(ty) => {
                    let &(_, c, a, b) =
                        self.scratch.iter().find(|s| s.0 == ty).expect("a scratch local per type");
                    use wasm_encoder::Instruction as I;
                    let result = wasm_encoder::BlockType::Result(self.val_type(ty)?);
                    for instruction in [
                        I::LocalSet(c),
                        I::LocalSet(b),
                        I::LocalSet(a),
                        I::LocalGet(c),
                        I::If(result),
                        I::LocalGet(a),
                        I::Else,
                        I::LocalGet(b),
                        I::End,
                    ] {
                        function.instruction(&instruction);
                    }
                }
                None => {
                    function.instruction(&self.instruction(op)?);
                }
            }
        }
        code.function(&function);
        self.body += 1;
        self.select = 0;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn selects_become_ifs_with_the_same_results() {
        let text = r#"(module
            (func (export "f") (param i32 i64 f64 v128) (result i32 i64 f64 v128 externref)
              (local i32)
              (select (i32.const 1) (local.get 0) (local.get 0))
              (select (i64.const -1) (local.get 1) (i32.eqz (local.get 0)))
              (select (f64.const 2.5) (local.get 2) (local.get 0))
              (select (v128.const i64x2 7 8) (local.get 3) (i32.eqz (local.get 0)))
              (select (result externref) (ref.null extern) (ref.null extern) (local.get 0))
              (if (i32.const 0) (then (unreachable) (select) (drop))))
            (func (export "g") (param i32) (result i32)
              (select (local.get 0) (i32.const 5) (local.get 0))))"#;
        let wasm = wat::parse_str(text).unwrap();
        let rewritten = without_select(&wasm);
        let printed = wasmprinter::print_bytes(&rewritten).unwrap();
        // Every reachable select is gone; the one in unreachable code stays.
        assert_eq!(printed.matches("select").count(), 1, "{printed}");
        assert!(printed.contains("if (result v128)"), "{printed}");
        let run = |wasm: &[u8], export: &str, args: &[interp::Val], n: usize| {
            let engine = interp::Engine::default();
            let module = interp::Module::from_binary(&engine, wasm).unwrap();
            let mut store = interp::Store::new(&engine, ());
            let instance = interp::Linker::new(&engine).instantiate(&mut store, &module).unwrap();
            let f = instance.get_func(&store, export).unwrap();
            let mut results = vec![interp::Val::I32(0); n];
            for (r, t) in results.iter_mut().zip(f.ty(&store).results()) {
                *r = t.default_value();
            }
            f.call(&mut store, args, &mut results).unwrap();
            format!("{results:?}")
        };
        for x in [0, 1, -3] {
            let args = [
                interp::Val::I32(x),
                interp::Val::I64(42),
                interp::Val::from_f64(-1.0),
                interp::Val::V128(interp::V128::from_u128(99)),
            ];
            assert_eq!(run(&wasm, "f", &args, 5), run(&rewritten, "f", &args, 5));
            let args = [interp::Val::I32(x)];
            assert_eq!(run(&wasm, "g", &args, 1), run(&rewritten, "g", &args, 1));
        }
        // A module without select is returned as it was.
        let plain = wat::parse_str("(module (func (result i32) (i32.const 1)))").unwrap();
        assert_eq!(without_select(&plain), plain);
    }
}

//! The tie-breaker, as a [`DiffEngine`]: wasmi 0.31 where it can run the
//! world, else wasmi 2 on a select-free rewrite of it.
//!
//! wasmi 0.31 ([`super::wasmi_legacy`]) executes WebAssembly 2.0 without SIMD;
//! it predates several memories, 64-bit memories and custom page sizes, so a
//! world with such a module needs another second opinion. The wasmi 2.0.0
//! miscompilations the oracle has met are all in its translation of `select`
//! (`regressions/differential/wasmi2-select-*.wat`): such worlds are run in
//! wasmi 2 with every reachable `select` rewritten into an `if` on fresh
//! locals ([`select_free`]), which has the same meaning and takes none of
//! wasmi 2's `select` paths. If that run sides with interp where wasmi 2 on
//! the original did not, wasmi 2 disagrees with itself: a wasmi 2 bug. Its
//! panics there are failures of the tie-breaker, not crashes.

use wasm_encoder::reencode::{Error, Reencode, RoundtripReencoder};
use wasm_encoder::{BlockType, CodeSection, Function, Instruction};
use wasmparser::{Operator, Parser, ValidPayload, Validator, WasmFeatures};

use super::wasmi::WasmiEngine;
use super::wasmi_legacy::WasmiLegacyEngine;
use super::{DiffEngine, DiffInstance, Export, Failure, Outcome, Stack, World};
use crate::differential::catch_panic;
use crate::value::Value;

/// What wasmi 0.31 executes (its default features).
const LEGACY_FEATURES: WasmFeatures = WasmFeatures::WASM2.difference(WasmFeatures::SIMD);

/// wasmi 0.31, or wasmi 2 on select-free modules; see the module documentation.
#[derive(Debug)]
pub struct TieBreaker {
    legacy: WasmiLegacyEngine,
    wasmi: WasmiEngine,
    /// Which of the two instantiated last.
    last: &'static str,
}

impl TieBreaker {
    /// The tie-breaker with `stack` limits.
    pub fn new(stack: Stack) -> TieBreaker {
        TieBreaker {
            legacy: WasmiLegacyEngine::new(stack),
            wasmi: WasmiEngine::new(stack),
            last: LEGACY,
        }
    }
}

/// The tie-breaker's name for `world`: `wasmi 0.31` if it runs every module
/// of the world, else `wasmi 2 without select`.
pub fn name_for(world: &World) -> &'static str {
    let legacy_runs =
        |wasm: &[u8]| Validator::new_with_features(LEGACY_FEATURES).validate_all(wasm).is_ok();
    if world.modules.iter().all(|m| legacy_runs(&m.wasm)) { LEGACY } else { SELECT_FREE }
}

const LEGACY: &str = "wasmi 0.31";
const SELECT_FREE: &str = "wasmi 2 without select";

/// The failure of a wasmi 2 call or instantiation that panicked.
fn panicked() -> Failure {
    Failure::Error("wasmi 2 panicked".to_string())
}

impl DiffEngine for TieBreaker {
    fn name(&self) -> &'static str {
        self.last
    }

    fn instantiate(&mut self, world: &World, fuel: Option<u64>) -> Outcome<Box<dyn DiffInstance>> {
        self.last = name_for(world);
        if self.last == LEGACY {
            return self.legacy.instantiate(world, fuel);
        }
        let mut rewritten = world.clone();
        for module in &mut rewritten.modules {
            module.wasm = select_free(&module.wasm).ok_or_else(|| {
                Failure::Error(format!("module {} cannot be made select-free", module.name))
            })?;
        }
        let instance = catch_panic(|| self.wasmi.instantiate(&rewritten, fuel));
        Ok(Box::new(Guarded(instance.unwrap_or_else(|| Err(panicked()))?)))
    }
}

/// A wasmi 2 instance whose panics are failures, not crashes: the
/// tie-breaker is consulted because wasmi 2 is in doubt.
struct Guarded(Box<dyn DiffInstance>);

impl DiffInstance for Guarded {
    fn exports(&self) -> Vec<Export> {
        self.0.exports()
    }

    fn call(
        &mut self,
        module: usize,
        name: &str,
        args: &[Value],
        fuel: Option<u64>,
    ) -> Outcome<Vec<Value>> {
        catch_panic(|| self.0.call(module, name, args, fuel)).unwrap_or_else(|| Err(panicked()))
    }

    fn fuel_used(&self) -> Option<u64> {
        self.0.fuel_used()
    }

    fn global(&self, module: usize, name: &str) -> Value {
        self.0.global(module, name)
    }

    fn memory(&self, module: usize, name: &str) -> &[u8] {
        self.0.memory(module, name)
    }

    fn table(&self, module: usize, name: &str) -> Vec<Value> {
        self.0.table(module, name)
    }

    fn host_calls(&self) -> &[u64] {
        self.0.host_calls()
    }
}

/// `wasm` with every reachable `select` rewritten into an `if` with a result,
/// its operands first stored in locals added to the function; `None` if the
/// module is invalid. `select`s in unreachable code, whose operand type the
/// validator does not know, stay as they are.
pub fn select_free(wasm: &[u8]) -> Option<Vec<u8>> {
    let mut rewriter = Rewriter { funcs: select_types(wasm)?.into_iter(), scratch: Vec::new() };
    let mut module = wasm_encoder::Module::new();
    rewriter.parse_core_module(&mut module, Parser::new(0), wasm).ok()?;
    Some(module.finish())
}

/// Per defined function: its number of locals (parameters included) and the
/// operand type of each of its `select`s in order (`None` where unknown).
type SelectTypes = Vec<(u32, Vec<Option<wasmparser::ValType>>)>;

/// Validates `wasm`, recording the operand types of its `select`s.
fn select_types(wasm: &[u8]) -> Option<SelectTypes> {
    let mut validator = Validator::new_with_features(WasmFeatures::all());
    let mut funcs = Vec::new();
    for payload in Parser::new(0).parse_all(wasm) {
        let payload = payload.ok()?;
        if let ValidPayload::Func(to_validate, body) = validator.payload(&payload).ok()? {
            let mut func = to_validate.into_validator(Default::default());
            let mut locals = body.get_locals_reader().ok()?;
            for _ in 0..locals.get_count() {
                let offset = locals.original_position();
                let (count, ty) = locals.read().ok()?;
                func.define_locals(offset, count, ty).ok()?;
            }
            let mut selects = Vec::new();
            let mut ops = body.get_operators_reader().ok()?;
            while !ops.eof() {
                let (op, offset) = ops.read_with_offset().ok()?;
                match &op {
                    Operator::Select => selects.push(func.get_operand_type(1).flatten()),
                    Operator::TypedSelect { ty } => selects.push(Some(*ty)),
                    _ => {}
                }
                func.op(offset, &op).ok()?;
            }
            funcs.push((func.len_locals(), selects));
        }
    }
    Some(funcs)
}

struct Rewriter {
    funcs: std::vec::IntoIter<(u32, Vec<Option<wasmparser::ValType>>)>,
    /// The locals added to the function being rewritten: an `i32` for the
    /// condition, then two per operand type.
    scratch: Vec<wasm_encoder::ValType>,
}

impl Rewriter {
    /// The index of an added local of type `ty`: the `nth` (0 or 1) of that
    /// type after the condition's.
    fn scratch(&mut self, base: u32, ty: wasm_encoder::ValType, nth: usize) -> u32 {
        let found = self.scratch.iter().enumerate().skip(1).filter(|(_, t)| **t == ty).nth(nth);
        let index = match found {
            Some((i, _)) => i,
            None => {
                self.scratch.push(ty);
                self.scratch.len() - 1
            }
        };
        base + index as u32
    }
}

impl Reencode for Rewriter {
    type Error = std::convert::Infallible;

    fn parse_function_body(
        &mut self,
        code: &mut CodeSection,
        func: wasmparser::FunctionBody<'_>,
    ) -> Result<(), Error<Self::Error>> {
        let (base, selects) = self.funcs.next().unwrap_or_default();
        let mut selects = selects.into_iter();
        self.scratch = vec![wasm_encoder::ValType::I32];
        let mut body = Vec::new();
        let mut ops = func.get_operators_reader()?;
        while !ops.eof() {
            let op = ops.read()?;
            let ty = match op {
                Operator::Select | Operator::TypedSelect { .. } => selects.next().flatten(),
                _ => None,
            };
            let Some(ty) = ty else {
                body.push(RoundtripReencoder.instruction(op)?);
                continue;
            };
            let ty = RoundtripReencoder.val_type(ty)?;
            let (a, b) = (self.scratch(base, ty, 0), self.scratch(base, ty, 1));
            body.extend([
                Instruction::LocalSet(base),
                Instruction::LocalSet(b),
                Instruction::LocalSet(a),
                Instruction::LocalGet(base),
                Instruction::If(BlockType::Result(ty)),
                Instruction::LocalGet(a),
                Instruction::Else,
                Instruction::LocalGet(b),
                Instruction::End,
            ]);
        }
        let mut locals = Vec::new();
        for local in func.get_locals_reader()? {
            let (count, ty) = local?;
            locals.push((count, RoundtripReencoder.val_type(ty)?));
        }
        locals.extend(self.scratch.iter().map(|&ty| (1, ty)));
        let mut f = Function::new(locals);
        for instruction in &body {
            f.instruction(instruction);
        }
        code.function(&f);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::select_free;

    #[test]
    fn selects_become_ifs_with_the_same_meaning() {
        let wasm = wat::parse_str(
            r#"(module
                (func (export "pick") (param i32 i64 i64) (result i64)
                  (local f32)
                  (select (local.get 1) (local.get 2) (local.get 0)))
                (func (export "pick32") (param i32 i32 i32) (result i32)
                  (select (local.get 1) (local.get 2) (local.get 0)))
                (func (export "typed") (param i32) (result funcref)
                  (select (result funcref) (ref.null func) (ref.func 0) (local.get 0)))
                (func (export "dead") (result i32)
                  unreachable
                  select))"#,
        )
        .unwrap();
        let rewritten = select_free(&wasm).expect("valid");
        wasmparser::Validator::new().validate_all(&rewritten).expect("still valid");
        let text = wasmprinter::print_bytes(&rewritten).unwrap();
        // The reachable selects are gone; the unreachable one stays.
        assert_eq!(text.matches("select").count(), 1, "{text}");
        assert_eq!(text.matches("if (result i64)").count(), 1, "{text}");
        assert_eq!(text.matches("if (result i32)").count(), 1, "{text}");
        assert_eq!(text.matches("if (result funcref)").count(), 1, "{text}");
        // Run it: both branches pick as `select` does.
        let engine = interp::Engine::default();
        let module = interp::Module::new(&engine, &rewritten).unwrap();
        let mut store = interp::Store::new(&engine, ());
        let instance = interp::Linker::new(&engine).instantiate(&mut store, &module).unwrap();
        let pick = instance.get_typed_func::<(i32, i64, i64), i64>(&store, "pick").unwrap();
        assert_eq!(pick.call(&mut store, (1, 10, 20)).unwrap(), 10);
        assert_eq!(pick.call(&mut store, (0, 10, 20)).unwrap(), 20);
        // An i32 select keeps its operands apart from its condition.
        let pick32 = instance.get_typed_func::<(i32, i32, i32), i32>(&store, "pick32").unwrap();
        assert_eq!(pick32.call(&mut store, (1, 10, 20)).unwrap(), 10);
        assert_eq!(pick32.call(&mut store, (0, 10, 20)).unwrap(), 20);
    }
}

//! Runs the IR verifier ([`crate::ir::verify`]) over every function of a
//! translated module, when [`Config::verify_translation`](crate::Config::verify_translation)
//! asks for it, and turns a defect into an [`Error`] with the code around it.

use super::ModuleInner;
use crate::error::Error;
use crate::ir::verify::{MemoryFacts, ModuleFacts, verify};
use crate::types::{FuncType, Mutability, ValType};

/// The number of instructions shown on each side of a defect.
const CONTEXT: usize = 8;

/// The cells a call with this type needs: its frame starts with the arguments
/// and ends with the results in the same slots.
fn call_cells(ty: &FuncType) -> u32 {
    ty.call_cells()
}

impl ModuleInner {
    /// What the verifier needs to know about this module.
    fn facts(&self) -> ModuleFacts {
        ModuleFacts {
            func_cells: self.funcs.iter().map(|&ty| call_cells(&self.types[ty as usize])).collect(),
            num_imported_funcs: self.num_imported_funcs,
            sig_cells: self
                .type_ids
                .iter()
                .zip(&self.types)
                .map(|(&id, ty)| (id, call_cells(ty)))
                .collect(),
            func_tables: self.tables.iter().map(|t| t.element() == ValType::FuncRef).collect(),
            mutable_globals: self
                .globals
                .iter()
                .map(|g| g.ty.mutability() == Mutability::Var)
                .collect(),
            memories: self
                .memories
                .iter()
                .map(|m| MemoryFacts { addr64: m.is_64(), page_size_log2: m.page_size_log2() })
                .collect(),
            num_data: self.data.len() as u32,
            num_elems: self.elements.len() as u32,
            tag_params: self.tags.iter().map(|&ty| self.types[ty as usize].param_cells()).collect(),
        }
    }

    /// Verifies the translated code of every defined function.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::TranslationBug`](crate::ErrorKind::TranslationBug) for the
    /// first function that fails.
    pub(crate) fn verify_code(&self) -> Result<(), Error> {
        let facts = self.facts();
        for func in &self.code {
            if let Err(defect) = verify(func, &facts) {
                let context = crate::ir::disassemble_around(&func.code, defect.at, CONTEXT);
                return Err(Error::translation_bug(
                    func.index,
                    defect.at,
                    defect.problem.to_string(),
                    context,
                ));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::ModuleInner;
    use crate::ir::{CompiledFunc, Instr, Slot};
    use crate::{Config, Engine, ErrorKind, Module};

    /// A defect becomes a translation-bug error naming the function and the
    /// instruction, with the code around it.
    #[test]
    fn defects_are_reported_with_their_context() {
        let mut code = vec![Instr::Const32 { dst: Slot(0), value: 0 }; 20];
        code[12] = Instr::Br { offset: 9 };
        code.push(Instr::Return);
        let mut module = ModuleInner { num_imported_funcs: 2, ..ModuleInner::default() };
        module.code.push(CompiledFunc {
            index: 2,
            code: code.into(),
            num_params: 0,
            num_locals: 0,
            num_results: 0,
            frame_size: 1,
            consts: Box::new([]),
            offsets: Box::new([]),
            trace: Box::new([]),
            handlers: Box::new([]),
        });
        let error = module.verify_code().expect_err("a branch past the end");
        let ErrorKind::TranslationBug { func_index, instr_index, problem, disassembly } =
            error.kind()
        else {
            panic!("not a translation bug: {error}");
        };
        assert_eq!((*func_index, *instr_index), (2, Some(12)));
        assert_eq!(problem, "branch target 21 is outside the code (instructions 0..21)");
        let lines: Vec<&str> = disassembly.lines().collect();
        assert_eq!(lines.first(), Some(&"   ..."));
        assert_eq!(lines[1], "    4: Const32 { dst: Slot(0), value: 0 }");
        assert!(lines.contains(&">  12: Br { offset: 9 }  -> 21"), "{disassembly}");
        assert_eq!(lines.last(), Some(&"   20: Return"));
        assert!(error.to_string().starts_with(
            "translation bug (in interp, not in the module): func[2] instruction 12: branch target 21"
        ));
    }

    /// Every module of spec-tests/ (the ones that compile), as binaries.
    fn spec_test_modules(dir: &Path) -> Vec<Vec<u8>> {
        let mut modules = Vec::new();
        let mut files: Vec<_> = std::fs::read_dir(dir)
            .expect("spec-tests/ is readable")
            .map(|entry| entry.expect("directory entry").path())
            .filter(|path| path.extension().is_some_and(|ext| ext == "wast"))
            .collect();
        files.sort();
        assert!(!files.is_empty(), "no .wast files in {}", dir.display());
        for path in files {
            let text = std::fs::read_to_string(&path).expect("readable .wast");
            let buf = wast::parser::ParseBuffer::new(&text).expect("lexable .wast");
            let file: wast::Wast<'_> = wast::parser::parse(&buf).expect("parsable .wast");
            for directive in file.directives {
                if let wast::WastDirective::Module(mut module)
                | wast::WastDirective::ModuleDefinition(mut module) = directive
                {
                    modules.push(module.encode().expect("encodable module"));
                }
            }
        }
        modules
    }

    /// The verifier accepts every function of real, varied modules: a
    /// clang-compiled WASI program, the benchmark programs, the WASI test
    /// guests and every module in spec-tests/, each translated plainly, with
    /// fuel metering and with trace points (three different translations).
    #[test]
    fn real_modules_pass() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let mut modules = vec![
            std::fs::read(root.join("snapshots/guests/fileops/fileops.wasm"))
                .expect("the compiled fileops guest"),
        ];
        for dir in ["interp/benches/programs", "snapshots/guests", "examples"] {
            for entry in std::fs::read_dir(root.join(dir)).expect("readable directory") {
                let path = entry.expect("directory entry").path();
                if path.extension().is_some_and(|ext| ext == "wat") {
                    modules.push(std::fs::read(&path).expect("readable .wat"));
                }
            }
        }
        modules.extend(spec_test_modules(&root.join("spec-tests")));

        let mut configs = [Config::default(), Config::default(), Config::default()];
        configs[1].consume_fuel(true);
        configs[2].trace_execution(true);
        let mut functions = 0;
        let mut instructions = 0;
        for config in &mut configs {
            // Compile without the automatic check, then verify explicitly.
            let engine = Engine::new(config.verify_translation(false));
            for bytes in &modules {
                // spec-tests/ also holds modules that are invalid on purpose
                // (module-failed-earlier.wast); only a translation bug is fatal.
                let module = match Module::new(&engine, bytes) {
                    Ok(module) => module,
                    Err(e) if e.is_invalid_module() => continue,
                    Err(e) => panic!("a test module does not compile: {e}"),
                };
                let inner = module.inner();
                if let Err(e) = inner.verify_code() {
                    panic!("module {:?}: {e}", inner.name);
                }
                functions += inner.code.len();
                instructions += inner.code.iter().map(|f| f.code.len()).sum::<usize>();
            }
        }
        // 309 functions per translation when this was written: far fewer means
        // the test lost its modules.
        assert!(functions > 3 * 250, "only {functions} functions verified");
        eprintln!("verified {functions} functions, {instructions} instructions");
    }
}

//! Runs the IR verifier ([`crate::ir::verify`]) over every function of a
//! translated module, when [`Config::verify_translation`](crate::Config::verify_translation)
//! asks for it, and turns a defect into an [`Error`] with the code around it.

use super::ModuleInner;
use crate::error::Error;
use crate::ir::verify::{ModuleFacts, verify};
use crate::types::{FuncType, Mutability, ValType};

/// The number of instructions shown on each side of a defect.
const CONTEXT: usize = 8;

/// The cells a call with this type needs: its frame starts with the arguments
/// and ends with the results in the same slots.
fn call_cells(ty: &FuncType) -> u32 {
    ty.params().len().max(ty.results().len()) as u32
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
            num_memories: self.memories.len() as u32,
            num_data: self.data.len() as u32,
            num_elems: self.elements.len() as u32,
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

//! [`Module`]: a decoded, validated and translated WebAssembly module.
//!
//! Bytes (or text, with the `wat` feature) enter through [`Module::new`];
//! [`parse`] walks the sections with wasmparser, validating each one and handing
//! function bodies to the translator. The result is immutable and shared (`Arc`)
//! by every instance made from it.

mod const_expr;
mod parse;
mod unsupported;
mod verify;

use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;

pub(crate) use const_expr::ConstExpr;
pub(crate) use parse::wasm_error;

use crate::engine::Engine;
use crate::error::Error;
use crate::ir::CompiledFunc;
use crate::types::{ExternType, FuncType, GlobalType, MemoryType, TableType, TagType};

/// An import of a module.
#[derive(Debug, Clone)]
pub struct ImportType<'m> {
    module: &'m str,
    name: &'m str,
    ty: ExternType,
}

impl<'m> ImportType<'m> {
    /// The module name the import is requested from.
    pub fn module(&self) -> &'m str {
        self.module
    }

    /// The name of the item within that module.
    pub fn name(&self) -> &'m str {
        self.name
    }

    /// The expected type.
    pub fn ty(&self) -> &ExternType {
        &self.ty
    }
}

/// An export of a module.
#[derive(Debug, Clone)]
pub struct ExportType<'m> {
    name: &'m str,
    ty: ExternType,
}

impl<'m> ExportType<'m> {
    /// The export's name.
    pub fn name(&self) -> &'m str {
        self.name
    }

    /// The exported item's type.
    pub fn ty(&self) -> &ExternType {
        &self.ty
    }
}

/// Which index space an import or export refers to, and the index in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum EntityIndex {
    Func(u32),
    Table(u32),
    Memory(u32),
    Global(u32),
    Tag(u32),
}

#[derive(Debug)]
pub(crate) struct Import {
    pub module: String,
    pub name: String,
    pub index: EntityIndex,
}

#[derive(Debug)]
pub(crate) struct GlobalDecl {
    pub ty: GlobalType,
    /// `None` for imported globals.
    pub init: Option<ConstExpr>,
}

#[derive(Debug)]
pub(crate) enum ElementMode {
    Active { table: u32, offset: ConstExpr },
    Passive,
    Declared,
}

#[derive(Debug)]
pub(crate) struct ElementSegment {
    pub mode: ElementMode,
    pub items: Vec<ConstExpr>,
}

#[derive(Debug)]
pub(crate) enum DataMode {
    Active { memory: u32, offset: ConstExpr },
    Passive,
}

#[derive(Debug)]
pub(crate) struct DataSegment {
    pub mode: DataMode,
    pub bytes: Arc<[u8]>,
}

/// Everything a module declares, after validation and translation.
#[derive(Debug, Default)]
pub(crate) struct ModuleInner {
    pub types: Vec<FuncType>,
    /// Engine-wide id of each type in `types`.
    pub type_ids: Vec<u32>,
    pub imports: Vec<Import>,
    /// Type index of every function, imported ones first.
    pub funcs: Vec<u32>,
    pub num_imported_funcs: u32,
    pub tables: Vec<TableType>,
    pub num_imported_tables: u32,
    pub memories: Vec<MemoryType>,
    pub num_imported_memories: u32,
    pub globals: Vec<GlobalDecl>,
    pub num_imported_globals: u32,
    /// Type index of every tag, imported ones first.
    pub tags: Vec<u32>,
    pub num_imported_tags: u32,
    pub exports: Vec<(String, EntityIndex)>,
    pub start: Option<u32>,
    pub elements: Vec<ElementSegment>,
    pub data: Vec<DataSegment>,
    /// Translated bodies of the functions defined (not imported) by the module.
    pub code: Vec<CompiledFunc>,
    pub name: Option<String>,
    pub func_names: HashMap<u32, String>,
}

impl ModuleInner {
    pub fn func_type(&self, func: u32) -> &FuncType {
        &self.types[self.funcs[func as usize] as usize]
    }

    pub(crate) fn extern_type(&self, index: EntityIndex) -> ExternType {
        match index {
            EntityIndex::Func(i) => ExternType::Func(self.func_type(i).clone()),
            EntityIndex::Table(i) => ExternType::Table(self.tables[i as usize]),
            EntityIndex::Memory(i) => ExternType::Memory(self.memories[i as usize]),
            EntityIndex::Global(i) => ExternType::Global(self.globals[i as usize].ty),
            EntityIndex::Tag(i) => {
                ExternType::Tag(TagType::new(self.types[self.tags[i as usize] as usize].clone()))
            }
        }
    }
}

/// A compiled WebAssembly module, ready to be instantiated any number of times.
///
/// # Example
///
/// ```
/// let engine = interp::Engine::default();
/// let module = interp::Module::new(&engine, r#"(module (func (export "f") (result i32) i32.const 7))"#)?;
/// assert_eq!(module.exports().next().unwrap().name(), "f");
/// # Ok::<(), interp::Error>(())
/// ```
#[derive(Clone)]
pub struct Module {
    engine: Engine,
    inner: Arc<ModuleInner>,
}

impl fmt::Debug for Module {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Module").field("name", &self.inner.name).finish_non_exhaustive()
    }
}

impl Module {
    /// Decodes, validates and translates a module from its binary form, or from
    /// the text format when the `wat` feature is enabled.
    ///
    /// # Errors
    ///
    /// If the module is malformed or invalid, uses a proposal this engine does not
    /// execute, or exceeds an implementation limit.
    pub fn new(engine: &Engine, bytes: impl AsRef<[u8]>) -> Result<Module, Error> {
        let bytes = bytes.as_ref();
        #[cfg(feature = "wat")]
        if !bytes.starts_with(b"\0asm") {
            let binary = wat::parse_bytes(bytes)
                .map_err(|e| Error::from_kind(crate::error::ErrorKind::Text(e.to_string())))?;
            return Module::from_binary(engine, &binary);
        }
        Module::from_binary(engine, bytes)
    }

    /// Decodes, validates and translates a module from its binary form.
    ///
    /// # Errors
    ///
    /// As for [`Module::new`].
    pub fn from_binary(engine: &Engine, bytes: &[u8]) -> Result<Module, Error> {
        let inner = parse::parse(engine, bytes)?;
        Ok(Module { engine: engine.clone(), inner: Arc::new(inner) })
    }

    /// Decodes, validates and translates a module file (`.wasm` or, with the
    /// `wat` feature, `.wat`).
    ///
    /// # Errors
    ///
    /// If the file cannot be read, or as for [`Module::new`].
    pub fn from_file(engine: &Engine, path: impl AsRef<std::path::Path>) -> Result<Module, Error> {
        let path = path.as_ref();
        let bytes = std::fs::read(path)
            .map_err(|e| Error::usage(format!("failed to read {}: {e}", path.display())))?;
        Module::new(engine, bytes)
    }

    /// Checks that `bytes` is a valid module this engine can run, without keeping
    /// the translation.
    ///
    /// # Errors
    ///
    /// As for [`Module::from_binary`].
    pub fn validate(engine: &Engine, bytes: &[u8]) -> Result<(), Error> {
        parse::parse(engine, bytes).map(drop)
    }

    /// The engine the module was compiled for.
    pub fn engine(&self) -> &Engine {
        &self.engine
    }

    /// The module's name from its name section, if any.
    pub fn name(&self) -> Option<&str> {
        self.inner.name.as_deref()
    }

    /// The module's imports, in order.
    pub fn imports(&self) -> impl ExactSizeIterator<Item = ImportType<'_>> + '_ {
        self.inner.imports.iter().map(|imp| ImportType {
            module: &imp.module,
            name: &imp.name,
            ty: self.inner.extern_type(imp.index),
        })
    }

    /// The module's exports, in order.
    pub fn exports(&self) -> impl ExactSizeIterator<Item = ExportType<'_>> + '_ {
        self.inner
            .exports
            .iter()
            .map(|(name, index)| ExportType { name, ty: self.inner.extern_type(*index) })
    }

    /// The type of the export `name`, if there is one.
    pub fn get_export(&self, name: &str) -> Option<ExternType> {
        self.inner
            .exports
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, index)| self.inner.extern_type(*index))
    }

    /// The translated code of each defined function, as text: a stable form for
    /// snapshot tests and debugging (`interp` has no stable IR; this is not an API
    /// to parse).
    pub fn disassemble(&self) -> String {
        let mut out = String::new();
        for func in &self.inner.code {
            let name = self.inner.func_names.get(&func.index);
            out.push_str(&format!(
                "func[{}]{} params={} locals={} results={} frame={}\n",
                func.index,
                name.map(|n| format!(" <{n}>")).unwrap_or_default(),
                func.num_params,
                func.num_locals,
                func.num_results,
                func.frame_size
            ));
            out.push_str(&crate::ir::disassemble(&func.code));
            for h in &func.handlers {
                let tag = match h.tag {
                    crate::ir::Handler::CATCH_ALL => "all".to_string(),
                    tag => format!("tag {tag}"),
                };
                let with_ref = if h.with_ref { " ref" } else { "" };
                out.push_str(&format!(
                    "  catch {tag}{with_ref} in {}..{} -> {} at {:?}\n",
                    h.start, h.end, h.target, h.dst
                ));
            }
        }
        out
    }

    pub(crate) fn inner(&self) -> &Arc<ModuleInner> {
        &self.inner
    }
}

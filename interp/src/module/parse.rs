//! Walks a module binary section by section: wasmparser validates each payload,
//! then one `process_*` method records what the section declares. Function bodies
//! go to the translator together with their validator, so each body is validated
//! and translated in one pass.

use std::sync::Arc;

use wasmparser::{Parser, Payload, TypeRef, ValidPayload, Validator, WasmFeatures};

use super::{
    ConstExpr, DataMode, DataSegment, ElementMode, ElementSegment, EntityIndex, GlobalDecl, Import,
    ModuleInner,
};
use crate::engine::Engine;
use crate::error::{Error, ErrorKind};
use crate::types::{FuncType, ValType};
use crate::types::{GlobalType, MemoryType, Mutability, TableType};

pub(crate) fn wasm_error(e: wasmparser::BinaryReaderError) -> Error {
    Error::wasm(e.message(), e.offset())
}

/// The most memories a module may have: instructions name a memory in 8 bits
/// (validation allows 100).
const MAX_MEMORIES: usize = 256;

/// The most tables a module may have: instructions name a table in 16 bits.
const MAX_TABLES: usize = 1 << 16;

/// Decodes, validates and translates `bytes`.
pub(crate) fn parse(engine: &Engine, bytes: &[u8]) -> Result<ModuleInner, Error> {
    let features = engine.config().features;
    let mut parser = ModuleParser::new(engine);
    if let Err(err) = parser.parse(bytes, features) {
        return Err(super::unsupported::classify(bytes, features, err));
    }
    if engine.config().verify_translation {
        parser.module.verify_code()?;
    }
    Ok(parser.module)
}

struct ModuleParser<'e> {
    engine: &'e Engine,
    module: ModuleInner,
    allocs: crate::translate::Allocations,
}

impl<'e> ModuleParser<'e> {
    fn new(engine: &'e Engine) -> Self {
        ModuleParser { engine, module: ModuleInner::default(), allocs: Default::default() }
    }

    fn parse(&mut self, bytes: &[u8], features: WasmFeatures) -> Result<(), Error> {
        let mut validator = Validator::new_with_features(features);
        // The parser decodes by the same features: later proposals relaxed
        // some encodings (e.g. LEB-encoded memory indices) that earlier ones
        // reject as malformed.
        let mut parser = Parser::new(0);
        parser.set_features(features);
        for payload in parser.parse_all(bytes) {
            let payload = payload.map_err(wasm_error)?;
            match validator.payload(&payload).map_err(wasm_error)? {
                ValidPayload::Func(to_validate, body) => {
                    let allocs = std::mem::take(&mut self.allocs);
                    let (func, allocs) = crate::translate::translate_function(
                        self.engine,
                        &self.module,
                        to_validate,
                        body,
                        allocs,
                    )?;
                    self.allocs = allocs;
                    self.module.code.push(func);
                    continue;
                }
                ValidPayload::Parser(_) => {
                    return Err(Error::wasm("nested modules are not supported", 0));
                }
                ValidPayload::Ok | ValidPayload::End(_) => {}
            }
            self.process_payload(payload)?;
        }
        Ok(())
    }

    fn process_payload(&mut self, payload: Payload<'_>) -> Result<(), Error> {
        match payload {
            Payload::TypeSection(reader) => self.process_types(reader),
            Payload::ImportSection(reader) => self.process_imports(reader),
            Payload::FunctionSection(reader) => self.process_functions(reader),
            Payload::TableSection(reader) => self.process_tables(reader),
            Payload::MemorySection(reader) => self.process_memories(reader),
            Payload::GlobalSection(reader) => self.process_globals(reader),
            Payload::TagSection(reader) => {
                for tag in reader {
                    self.module.tags.push(tag.map_err(wasm_error)?.func_type_idx);
                }
                Ok(())
            }
            Payload::ExportSection(reader) => self.process_exports(reader),
            Payload::StartSection { func, .. } => {
                self.module.start = Some(func);
                Ok(())
            }
            Payload::ElementSection(reader) => self.process_elements(reader),
            Payload::DataSection(reader) => self.process_data(reader),
            Payload::CustomSection(reader) => {
                self.process_custom(reader);
                Ok(())
            }
            // Validated by wasmparser; nothing to record.
            _ => Ok(()),
        }
    }

    fn process_types(&mut self, reader: wasmparser::TypeSectionReader<'_>) -> Result<(), Error> {
        for rec_group in reader.into_iter_with_offsets() {
            let (offset, rec_group) = rec_group.map_err(wasm_error)?;
            for sub in rec_group.into_types() {
                let wasmparser::CompositeInnerType::Func(func) = &sub.composite_type.inner else {
                    return Err(Error::wasm("only function types are supported", offset));
                };
                let ty = FuncType::new(
                    func.params()
                        .iter()
                        .map(|&t| convert_val_type(t, offset))
                        .collect::<Result<Vec<_>, _>>()?,
                    func.results()
                        .iter()
                        .map(|&t| convert_val_type(t, offset))
                        .collect::<Result<Vec<_>, _>>()?,
                );
                self.module.type_ids.push(self.engine.intern_type(&ty));
                self.module.types.push(ty);
            }
        }
        Ok(())
    }

    fn process_imports(
        &mut self,
        reader: wasmparser::ImportSectionReader<'_>,
    ) -> Result<(), Error> {
        for import in reader.into_imports_with_offsets() {
            let (offset, import) = import.map_err(wasm_error)?;
            let m = &mut self.module;
            let index = match import.ty {
                TypeRef::Func(type_index) | TypeRef::FuncExact(type_index) => {
                    m.funcs.push(type_index);
                    m.num_imported_funcs += 1;
                    EntityIndex::Func(m.funcs.len() as u32 - 1)
                }
                TypeRef::Table(t) => {
                    m.tables.push(convert_table_type(&t, offset)?);
                    m.num_imported_tables += 1;
                    EntityIndex::Table(m.tables.len() as u32 - 1)
                }
                TypeRef::Memory(t) => {
                    m.memories.push(convert_memory_type(&t, offset)?);
                    m.num_imported_memories += 1;
                    EntityIndex::Memory(m.memories.len() as u32 - 1)
                }
                TypeRef::Global(t) => {
                    m.globals.push(GlobalDecl { ty: convert_global_type(&t, offset)?, init: None });
                    m.num_imported_globals += 1;
                    EntityIndex::Global(m.globals.len() as u32 - 1)
                }
                TypeRef::Tag(t) => {
                    m.tags.push(t.func_type_idx);
                    m.num_imported_tags += 1;
                    EntityIndex::Tag(m.tags.len() as u32 - 1)
                }
            };
            m.imports.push(Import {
                module: import.module.to_string(),
                name: import.name.to_string(),
                index,
            });
        }
        self.check_counts()
    }

    /// Checks the implementation limits on the number of memories and tables.
    fn check_counts(&self) -> Result<(), Error> {
        if self.module.memories.len() > MAX_MEMORIES {
            return Err(Error::limit(format!("a module may have at most {MAX_MEMORIES} memories")));
        }
        if self.module.tables.len() > MAX_TABLES {
            return Err(Error::limit(format!("a module may have at most {MAX_TABLES} tables")));
        }
        Ok(())
    }

    fn process_functions(
        &mut self,
        reader: wasmparser::FunctionSectionReader<'_>,
    ) -> Result<(), Error> {
        for type_index in reader {
            self.module.funcs.push(type_index.map_err(wasm_error)?);
        }
        Ok(())
    }

    fn process_tables(&mut self, reader: wasmparser::TableSectionReader<'_>) -> Result<(), Error> {
        for table in reader.into_iter_with_offsets() {
            let (offset, table) = table.map_err(wasm_error)?;
            if !matches!(table.init, wasmparser::TableInit::RefNull) {
                return Err(Error::from_kind(ErrorKind::UnsupportedProposal {
                    proposals: vec!["function-references"],
                    offset: offset as usize,
                }));
            }
            self.module.tables.push(convert_table_type(&table.ty, offset)?);
        }
        self.check_counts()
    }

    fn process_memories(
        &mut self,
        reader: wasmparser::MemorySectionReader<'_>,
    ) -> Result<(), Error> {
        for memory in reader.into_iter_with_offsets() {
            let (offset, memory) = memory.map_err(wasm_error)?;
            self.module.memories.push(convert_memory_type(&memory, offset)?);
        }
        self.check_counts()
    }

    fn process_globals(
        &mut self,
        reader: wasmparser::GlobalSectionReader<'_>,
    ) -> Result<(), Error> {
        for global in reader.into_iter_with_offsets() {
            let (offset, global) = global.map_err(wasm_error)?;
            let ty = convert_global_type(&global.ty, offset)?;
            let init = ConstExpr::decode(&global.init_expr)?;
            self.module.globals.push(GlobalDecl { ty, init: Some(init) });
        }
        Ok(())
    }

    fn process_exports(
        &mut self,
        reader: wasmparser::ExportSectionReader<'_>,
    ) -> Result<(), Error> {
        for export in reader {
            let export = export.map_err(wasm_error)?;
            let index = match export.kind {
                wasmparser::ExternalKind::Func | wasmparser::ExternalKind::FuncExact => {
                    EntityIndex::Func(export.index)
                }
                wasmparser::ExternalKind::Table => EntityIndex::Table(export.index),
                wasmparser::ExternalKind::Memory => EntityIndex::Memory(export.index),
                wasmparser::ExternalKind::Global => EntityIndex::Global(export.index),
                wasmparser::ExternalKind::Tag => EntityIndex::Tag(export.index),
            };
            self.module.exports.push((export.name.to_string(), index));
        }
        Ok(())
    }

    fn process_elements(
        &mut self,
        reader: wasmparser::ElementSectionReader<'_>,
    ) -> Result<(), Error> {
        for element in reader {
            let element = element.map_err(wasm_error)?;
            let mode = match element.kind {
                wasmparser::ElementKind::Active { table_index, offset_expr } => {
                    ElementMode::Active {
                        table: table_index.unwrap_or(0),
                        offset: ConstExpr::decode(&offset_expr)?,
                    }
                }
                wasmparser::ElementKind::Passive => ElementMode::Passive,
                wasmparser::ElementKind::Declared => ElementMode::Declared,
            };
            let items = match element.items {
                wasmparser::ElementItems::Functions(funcs) => funcs
                    .into_iter()
                    .map(|f| f.map(ConstExpr::ref_func).map_err(wasm_error))
                    .collect::<Result<Vec<_>, _>>()?,
                wasmparser::ElementItems::Expressions(_, exprs) => exprs
                    .into_iter()
                    .map(|e| ConstExpr::decode(&e.map_err(wasm_error)?))
                    .collect::<Result<Vec<_>, _>>()?,
            };
            self.module.elements.push(ElementSegment { mode, items });
        }
        Ok(())
    }

    fn process_data(&mut self, reader: wasmparser::DataSectionReader<'_>) -> Result<(), Error> {
        for data in reader {
            let data = data.map_err(wasm_error)?;
            let mode = match data.kind {
                wasmparser::DataKind::Active { memory_index, offset_expr } => DataMode::Active {
                    memory: memory_index,
                    offset: ConstExpr::decode(&offset_expr)?,
                },
                wasmparser::DataKind::Passive => DataMode::Passive,
            };
            self.module.data.push(DataSegment { mode, bytes: Arc::from(data.data) });
        }
        Ok(())
    }

    /// Records module and function names; a malformed name section is ignored,
    /// as the spec requires of custom sections.
    fn process_custom(&mut self, reader: wasmparser::CustomSectionReader<'_>) {
        let wasmparser::KnownCustom::Name(names) = reader.as_known() else {
            return;
        };
        for name in names {
            match name {
                Ok(wasmparser::Name::Module { name, .. }) => {
                    self.module.name = Some(name.to_string());
                }
                Ok(wasmparser::Name::Function(map)) => {
                    for naming in map.into_iter().flatten() {
                        self.module.func_names.insert(naming.index, naming.name.to_string());
                    }
                }
                Ok(_) => {}
                Err(_) => return,
            }
        }
    }
}

fn convert_val_type(ty: wasmparser::ValType, offset: u64) -> Result<ValType, Error> {
    ValType::from_wasmparser(ty).ok_or_else(|| {
        Error::from_kind(ErrorKind::UnsupportedProposal {
            proposals: vec![if ty == wasmparser::ValType::V128 { "simd" } else { "gc" }],
            offset: offset as usize,
        })
    })
}

fn convert_table_type(ty: &wasmparser::TableType, offset: u64) -> Result<TableType, Error> {
    let element = ValType::from_ref_type(ty.element_type).ok_or_else(|| {
        Error::from_kind(ErrorKind::UnsupportedProposal {
            proposals: vec!["function-references"],
            offset: offset as usize,
        })
    })?;
    Ok(if ty.table64 {
        TableType::new64(element, ty.initial, ty.maximum)
    } else {
        // Validation bounds both limits of a 32-bit table by u32.
        TableType::new(element, ty.initial as u32, ty.maximum.map(|m| m as u32))
    })
}

fn convert_memory_type(ty: &wasmparser::MemoryType, offset: u64) -> Result<MemoryType, Error> {
    if ty.shared {
        return Err(Error::from_kind(ErrorKind::UnsupportedProposal {
            proposals: vec!["threads"],
            offset: offset as usize,
        }));
    }
    // Validation bounds the limits by the address space and the page size
    // to 1 byte or 64 KiB; the builder checks the same.
    let page_size_log2 = ty.page_size_log2.map_or(MemoryType::DEFAULT_PAGE_SIZE_LOG2, |p| p as u8);
    MemoryType::builder()
        .min(ty.initial)
        .max(ty.maximum)
        .memory64(ty.memory64)
        .page_size_log2(page_size_log2)
        .build()
        .map_err(|e| Error::wasm(e.to_string(), offset))
}

fn convert_global_type(ty: &wasmparser::GlobalType, offset: u64) -> Result<GlobalType, Error> {
    let content = convert_val_type(ty.content_type, offset)?;
    let mutability = if ty.mutable { Mutability::Var } else { Mutability::Const };
    Ok(GlobalType::new(content, mutability))
}

//! Linked worlds: what a generated module is instantiated with.
//!
//! The differential and execute targets often generate modules whose imports
//! come from a fixed list ([`available_imports`], given to wasm-smith as its
//! `available_imports`): the memory, table, globals and functions exported by
//! the provider module (`provider.wat`), and host functions of the same
//! eight signatures. [`world`] then instantiates the provider first and links
//! the generated module's `"p"` imports to the provider's exports, so the two
//! instances share a memory and a table and call each other (the provider's
//! `f0`, `f1` and `grow` grow the shared memory; `f2` and `f5` call back
//! through the shared table). Other imports become host functions (function
//! imports, whatever their names) or dummies ([`crate::engine`]).
//!
//! Host functions: `t0`..`t7` (indices 0-7) are imported only by the provider,
//! which puts them in slots 0-7 of its table (and dummy `funcref` tables get
//! them too), so every call of one is a `call_indirect` with a matching type;
//! `h0`..`h7` (indices 8-15) are offered to generated modules as direct
//! imports; any other function import gets a host function of its own.

use std::collections::HashSet;
use std::sync::OnceLock;

use wasmparser::{CompositeInnerType, Parser, Payload, TypeRef, ValType};

use crate::engine::{Link, ModuleSpec, Source, World};
use crate::value::{Signature, Type};

/// How many signatures the provider and the host functions use.
pub const SIGNATURES: usize = 8;

/// The index of the first direct host function (`h0`); `t0`..`t7` come
/// before it.
pub const DIRECT_HOSTS: usize = SIGNATURES;

/// The provider's module name (in its name section), which tells its frames
/// apart in interp's backtraces.
pub const PROVIDER_NAME: &str = "provider";

/// The provider module, as binary.
pub fn provider() -> &'static [u8] {
    static WASM: OnceLock<Vec<u8>> = OnceLock::new();
    WASM.get_or_init(|| wat::parse_str(include_str!("provider.wat")).expect("provider.wat parses"))
}

/// The signatures `$s0`..`$s7` of the provider (its first eight types).
pub fn signatures() -> &'static [Signature] {
    static SIGS: OnceLock<Vec<Signature>> = OnceLock::new();
    SIGS.get_or_init(|| {
        let sigs = func_types(provider());
        assert!(sigs.len() >= SIGNATURES, "the provider declares its signatures first");
        sigs[..SIGNATURES].to_vec()
    })
}

/// The provider's exports a generated module may import, in import order.
const PROVIDED: &[&str] = &[
    "memory", "table", "g_i32", "g_i64", "g_f32", "g_f64", "g_ext", "f0", "f1", "f2", "f3", "f4",
    "f5", "f6", "f7", "grow",
];

/// A module that only imports, for wasm-smith's `available_imports`: the
/// provider's exports listed in `PROVIDED` (module `"p"`, with their types) and the
/// direct host functions `"host" "h0"`..`"h7"`.
pub fn available_imports() -> &'static [u8] {
    static WASM: OnceLock<Vec<u8>> = OnceLock::new();
    WASM.get_or_init(|| {
        let exports = provider_exports();
        let mut text = String::from("(module\n");
        for sig in signatures() {
            text.push_str(&format!("  (type (func {}))\n", sig_text(sig)));
        }
        for name in PROVIDED {
            let (_, ty) = exports.iter().find(|(n, _)| n == name).expect("provided export");
            text.push_str(&format!("  (import \"p\" \"{name}\" {ty})\n"));
        }
        for k in 0..SIGNATURES {
            text.push_str(&format!("  (import \"host\" \"h{k}\" (func (type {k})))\n"));
        }
        text.push(')');
        wat::parse_str(&text).expect("the available imports parse")
    })
}

/// The provider's exports as (name, import type in text form).
fn provider_exports() -> Vec<(String, String)> {
    let module = provider();
    let types = func_types(module);
    let mut funcs: Vec<u32> = Vec::new();
    let mut exports = Vec::new();
    for payload in Parser::new(0).parse_all(module) {
        match payload.expect("the provider parses") {
            Payload::ImportSection(reader) => {
                for import in reader.into_imports() {
                    if let TypeRef::Func(ty) = import.expect("import").ty {
                        funcs.push(ty);
                    }
                }
            }
            Payload::FunctionSection(reader) => {
                funcs.extend(reader.into_iter().map(|ty| ty.expect("function")));
            }
            Payload::ExportSection(reader) => {
                for export in reader {
                    let export = export.expect("export");
                    let ty = match export.kind {
                        wasmparser::ExternalKind::Func => format!(
                            "(func {})",
                            sig_text(&types[funcs[export.index as usize] as usize])
                        ),
                        wasmparser::ExternalKind::Memory => "(memory 1 8)".to_string(),
                        wasmparser::ExternalKind::Table => "(table 16 64 funcref)".to_string(),
                        wasmparser::ExternalKind::Global => match export.name {
                            "g_i32" | "grows" | "calls" => "(global (mut i32))".to_string(),
                            "g_i64" => "(global (mut i64))".to_string(),
                            "g_f32" => "(global (mut f32))".to_string(),
                            "g_f64" => "(global f64)".to_string(),
                            "g_ext" => "(global (mut externref))".to_string(),
                            other => panic!("unknown provider global {other}"),
                        },
                        kind => panic!("unexpected provider export kind {kind:?}"),
                    };
                    exports.push((export.name.to_string(), ty));
                }
            }
            _ => {}
        }
    }
    exports
}

fn sig_text(sig: &Signature) -> String {
    let list = |types: &[Type]| types.iter().map(|t| t.to_string()).collect::<Vec<_>>().join(" ");
    format!("(param {}) (result {})", list(&sig.params), list(&sig.results))
}

/// Every function type of a module's type section, in order (non-function
/// types, which the generators here never make, as empty signatures).
fn func_types(wasm: &[u8]) -> Vec<Signature> {
    let mut types = Vec::new();
    for payload in Parser::new(0).parse_all(wasm) {
        let Ok(Payload::TypeSection(reader)) = payload else { continue };
        for group in reader.into_iter().flatten() {
            for sub in group.into_types() {
                types.push(match &sub.composite_type.inner {
                    CompositeInnerType::Func(f) => Signature {
                        params: f.params().iter().filter_map(|&t| to_type(t)).collect(),
                        results: f.results().iter().filter_map(|&t| to_type(t)).collect(),
                    },
                    _ => Signature { params: Vec::new(), results: Vec::new() },
                });
            }
        }
    }
    types
}

fn to_type(ty: ValType) -> Option<Type> {
    Some(match ty {
        ValType::I32 => Type::I32,
        ValType::I64 => Type::I64,
        ValType::F32 => Type::F32,
        ValType::F64 => Type::F64,
        ValType::V128 => Type::V128,
        ValType::Ref(r) if r.is_func_ref() => Type::FuncRef,
        ValType::Ref(r) if r.is_extern_ref() => Type::ExternRef,
        ValType::Ref(r) if r == wasmparser::RefType::EXNREF => Type::ExnRef,
        ValType::Ref(_) => return None,
    })
}

/// One import of a module: its names, and its signature if a function.
struct Import {
    module: String,
    name: String,
    func: Option<Signature>,
    /// The import's type, for comparison with the available imports'.
    ty: TypeRef,
}

fn imports(wasm: &[u8]) -> Vec<Import> {
    let types = func_types(wasm);
    let mut imports = Vec::new();
    for payload in Parser::new(0).parse_all(wasm) {
        let Ok(Payload::ImportSection(reader)) = payload else { continue };
        for import in reader.into_imports().flatten() {
            let func = match import.ty {
                TypeRef::Func(ty) => Some(
                    types
                        .get(ty as usize)
                        .cloned()
                        .unwrap_or(Signature { params: Vec::new(), results: Vec::new() }),
                ),
                _ => None,
            };
            imports.push(Import {
                module: import.module.to_string(),
                name: import.name.to_string(),
                func,
                ty: import.ty,
            });
        }
    }
    imports
}

/// The module with its imports renamed so that no two share a module and item
/// name, or `None` if they already differ (or the module does not parse).
///
/// wasm-smith often repeats short names (`"" ""` for a memory and a global);
/// engines link by name here (wasmi 0.31 can only link by name). Every
/// engine gets the renamed module, and such imports are dummies or host
/// functions made for them alone, so the names carry no meaning of their own.
fn unique_import_names(wasm: &[u8]) -> Option<Vec<u8>> {
    use wasm_encoder::reencode::{Error, Reencode};

    struct Renamer {
        seen: HashSet<(String, String)>,
        renamed: bool,
    }
    impl Reencode for Renamer {
        type Error = std::convert::Infallible;

        fn parse_import_section(
            &mut self,
            imports: &mut wasm_encoder::ImportSection,
            section: wasmparser::ImportSectionReader<'_>,
        ) -> Result<(), Error<Self::Error>> {
            for import in section.into_imports() {
                let import = import?;
                let mut name = import.name.to_string();
                let mut n = 1;
                while !self.seen.insert((import.module.to_string(), name.clone())) {
                    name = format!("{}#{n}", import.name);
                    n += 1;
                    self.renamed = true;
                }
                imports.import(import.module, &name, self.entity_type(import.ty)?);
            }
            Ok(())
        }
    }

    let mut renamer = Renamer { seen: HashSet::new(), renamed: false };
    let mut module = wasm_encoder::Module::new();
    renamer.parse_core_module(&mut module, wasmparser::Parser::new(0), wasm).ok()?;
    renamer.renamed.then(|| module.finish())
}

/// The world `main` runs in: the provider first if `main` imports anything
/// from it (as [`available_imports`] offers it, with the same type), then
/// `main` (with unique import names, see `unique_import_names`) with its
/// imports linked as the module documentation says.
pub fn world(main: &[u8]) -> World {
    let renamed = unique_import_names(main);
    let main = renamed.as_deref().unwrap_or(main);
    let sigs = signatures();
    let mut hosts: Vec<Signature> = sigs.iter().chain(sigs).cloned().collect();
    static AVAILABLE: OnceLock<Vec<Import>> = OnceLock::new();
    let available = AVAILABLE.get_or_init(|| imports(available_imports()));
    let offered = |import: &Import| {
        available.iter().position(|a| {
            a.module == import.module
                && a.name == import.name
                && a.func == import.func
                && same_type(&a.ty, &import.ty)
        })
    };
    let main_imports = imports(main);
    let linked = main_imports.iter().any(|i| i.module == "p" && offered(i).is_some());
    let provider_index = 0;
    let links = main_imports
        .iter()
        .map(|import| {
            let source = match (offered(import), &import.func) {
                (Some(_), _) if import.module == "p" => {
                    Source::Export { module: provider_index, name: import.name.clone() }
                }
                (Some(_), Some(_)) => {
                    let k: usize = import.name[1..].parse().expect("h<k>");
                    Source::Host(DIRECT_HOSTS + k)
                }
                (_, Some(sig)) => {
                    hosts.push(sig.clone());
                    Source::Host(hosts.len() - 1)
                }
                (_, None) => Source::Dummy,
            };
            Link { module: import.module.clone(), name: import.name.clone(), source }
        })
        .collect();
    let mut modules = Vec::new();
    if linked {
        let imports = (0..SIGNATURES)
            .map(|k| Link { module: "host".into(), name: format!("t{k}"), source: Source::Host(k) })
            .collect();
        modules.push(ModuleSpec { name: "p", wasm: provider().to_vec(), imports });
    }
    modules.push(ModuleSpec { name: "main", wasm: main.to_vec(), imports: links });
    World { hosts, table_hosts: (0..SIGNATURES).collect(), modules }
}

/// Whether two import types are the same (function types are compared
/// through their signatures by the caller).
fn same_type(a: &TypeRef, b: &TypeRef) -> bool {
    match (a, b) {
        (TypeRef::Func(_), TypeRef::Func(_)) => true,
        (TypeRef::Memory(x), TypeRef::Memory(y)) => x == y,
        (TypeRef::Table(x), TypeRef::Table(y)) => x == y,
        (TypeRef::Global(x), TypeRef::Global(y)) => x == y,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::interp::{InterpEngine, Translation};
    use crate::engine::{DiffEngine, Stack};

    #[test]
    fn every_available_import_links() {
        // A module that imports everything offered is linked entirely to
        // the provider and the direct host functions, and instantiates.
        let world = world(available_imports());
        assert_eq!(world.modules.len(), 2);
        assert_eq!(world.hosts.len(), 2 * SIGNATURES, "no host function of its own");
        let main = world.main_module();
        assert!(main.imports.iter().all(|l| !matches!(l.source, Source::Dummy)));
        let mut engine = InterpEngine::new(Translation::Default, Stack::Normal);
        assert!(engine.instantiate(&world, None).is_ok());
    }

    #[test]
    fn unlinked_modules_get_host_functions_and_dummies() {
        let wasm = wat::parse_str(
            r#"(module
                (import "p" "memory" (memory 2))
                (import "x" "f" (func (param i64)))
                (import "host" "h1" (func (param i32) (result i32))))"#,
        )
        .unwrap();
        let world = world(&wasm);
        // "p" "memory" with another type is not the provider's: no provider.
        assert_eq!(world.modules.len(), 1);
        let sources: Vec<&Source> = world.main_module().imports.iter().map(|l| &l.source).collect();
        assert_eq!(
            sources,
            [&Source::Dummy, &Source::Host(2 * SIGNATURES), &Source::Host(DIRECT_HOSTS + 1)]
        );
        assert_eq!(world.hosts[2 * SIGNATURES].params, vec![Type::I64]);
    }

    #[test]
    fn the_provider_has_a_module_name() {
        let mut seen = false;
        for payload in Parser::new(0).parse_all(provider()) {
            if let Ok(Payload::CustomSection(s)) = payload
                && let wasmparser::KnownCustom::Name(names) = s.as_known()
            {
                for name in names.into_iter().flatten() {
                    if let wasmparser::Name::Module { name, .. } = name {
                        assert_eq!(name, PROVIDER_NAME);
                        seen = true;
                    }
                }
            }
        }
        assert!(seen);
    }
}

//! The WASI import list: a module importing all 46 functions of
//! `wasi_snapshot_preview1`, with the signatures the specification gives
//! them, links through `Linker` and runs.

use interp::wasi::{IMPORTS, MODULE, WasiCtx, add_to_linker};
use interp::{Engine, Linker, Module, Store};

#[test]
fn all_46_functions_link_with_the_spec_signatures() {
    let engine = Engine::default();
    let module = Module::from_file(&engine, snapshots::guests_dir().join("all_imports.wat"))
        .expect("load all_imports.wat");
    let imported: Vec<(String, String)> =
        module.imports().map(|i| (i.module().to_string(), i.name().to_string())).collect();
    let expected: Vec<(String, String)> =
        IMPORTS.iter().map(|name| (MODULE.to_string(), name.to_string())).collect();
    assert_eq!(imported, expected);
    assert_eq!(IMPORTS.len(), 46);

    let mut linker = Linker::new(&engine);
    add_to_linker(&mut linker, |ctx: &mut WasiCtx| ctx).expect("add WASI");
    let mut store = Store::new(&engine, WasiCtx::builder().build());
    let instance = linker
        .instantiate(&mut store, &module)
        .expect("every import resolves with its spec signature");
    instance
        .get_typed_func::<(), ()>(&store, "_start")
        .expect("_start")
        .call(&mut store, ())
        .expect("run");
}

#[test]
fn the_linker_defines_exactly_the_spec_functions() {
    let engine = Engine::default();
    let mut linker: Linker<WasiCtx> = Linker::new(&engine);
    add_to_linker(&mut linker, |ctx| ctx).expect("add WASI");
    for name in IMPORTS {
        assert!(linker.contains(MODULE, name), "{name} is not defined");
    }
    // Defining any of them again is refused, so nothing else was defined
    // under a spec name by accident; and a second add_to_linker fails.
    assert!(add_to_linker(&mut linker, |ctx| ctx).is_err());
}

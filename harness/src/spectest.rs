//! The `spectest` host module every `.wast` file may import from.

use interp::{
    Error, Func, Global, GlobalType, Linker, Memory, MemoryType, Mutability, Store, Table,
    TableType, Val, ValType,
};

/// The `spectest` exports interp cannot define, with the feature each needs:
/// the threads proposal's spectest has a shared memory.
pub(crate) const MISSING: &[(&str, &str)] = &[("shared_memory", "threads")];

/// Defines the `spectest` module's globals, table, memory and print functions
/// in `linker`, creating them in `store`.
pub(crate) fn define(linker: &mut Linker<()>, store: &mut Store<()>) -> Result<(), Error> {
    let globals = [
        ("global_i32", Val::I32(666)),
        ("global_i64", Val::I64(666)),
        ("global_f32", Val::from_f32(666.6)),
        ("global_f64", Val::from_f64(666.6)),
    ];
    for (name, value) in globals {
        let global =
            Global::new(&mut *store, GlobalType::new(value.ty(), Mutability::Const), value)?;
        linker.define("spectest", name, global)?;
    }
    let table = Table::new(
        &mut *store,
        TableType::new(ValType::FuncRef, 10, Some(20)),
        Val::FuncRef(None),
    )?;
    linker.define("spectest", "table", table)?;
    let memory = Memory::new(&mut *store, MemoryType::new(1, Some(2)))?;
    linker.define("spectest", "memory", memory)?;

    // The print functions only need to exist with the right types.
    linker.define("spectest", "print", Func::wrap(&mut *store, || {}))?;
    linker.define("spectest", "print_i32", Func::wrap(&mut *store, |_: i32| {}))?;
    linker.define("spectest", "print_i64", Func::wrap(&mut *store, |_: i64| {}))?;
    linker.define("spectest", "print_f32", Func::wrap(&mut *store, |_: f32| {}))?;
    linker.define("spectest", "print_f64", Func::wrap(&mut *store, |_: f64| {}))?;
    linker.define("spectest", "print_i32_f32", Func::wrap(&mut *store, |_: i32, _: f32| {}))?;
    linker.define("spectest", "print_f64_f64", Func::wrap(&mut *store, |_: f64, _: f64| {}))?;
    Ok(())
}

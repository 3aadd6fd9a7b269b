//! [`Linker`]: resolves a module's imports by module and field name.

use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;

use super::Val;
use super::func::{HostFunc, IntoFunc};
use super::store::{AsContext, AsContextMut};
use super::{Caller, Extern, Instance};
use crate::engine::Engine;
use crate::error::Error;
use crate::module::Module;
use crate::types::FuncType;

enum Definition<T> {
    /// An object that already lives in a store.
    Extern(Extern),
    /// A host function not bound to any store yet; each store that
    /// instantiates through the linker gets its own copy.
    Host(Arc<HostFunc<T>>),
}

impl<T> Clone for Definition<T> {
    fn clone(&self) -> Self {
        match self {
            Definition::Extern(e) => Definition::Extern(*e),
            Definition::Host(h) => Definition::Host(h.clone()),
        }
    }
}

/// Resolves imports by name and instantiates modules.
///
/// # Example
///
/// ```
/// use interp::{Engine, Linker, Module, Store};
/// let engine = Engine::default();
/// let module = Module::new(&engine, r#"
///     (module
///       (import "host" "double" (func $double (param i32) (result i32)))
///       (func (export "run") (result i32) (call $double (i32.const 21))))
/// "#)?;
/// let mut linker = Linker::new(&engine);
/// linker.func_wrap("host", "double", |x: i32| x * 2)?;
/// let mut store = Store::new(&engine, ());
/// let instance = linker.instantiate(&mut store, &module)?;
/// let run = instance.get_typed_func::<(), i32>(&store, "run")?;
/// assert_eq!(run.call(&mut store, ())?, 42);
/// # Ok::<(), interp::Error>(())
/// ```
pub struct Linker<T> {
    engine: Engine,
    definitions: HashMap<(String, String), Definition<T>>,
    allow_shadowing: bool,
    /// Checks every module passes before it is instantiated through this
    /// linker, e.g. WASI's requirement of a 32-bit `memory` export.
    module_checks: Vec<ModuleCheck>,
}

/// A check of a module before instantiation; see [`Linker::add_module_check`].
type ModuleCheck = Arc<dyn Fn(&Module) -> Result<(), Error> + Send + Sync>;

impl<T> fmt::Debug for Linker<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Linker")
            .field("definitions", &self.definitions.len())
            .finish_non_exhaustive()
    }
}

impl<T> Clone for Linker<T> {
    fn clone(&self) -> Self {
        Linker {
            engine: self.engine.clone(),
            definitions: self.definitions.clone(),
            allow_shadowing: self.allow_shadowing,
            module_checks: self.module_checks.clone(),
        }
    }
}

impl<T> Linker<T> {
    /// An empty linker.
    pub fn new(engine: &Engine) -> Linker<T> {
        Linker {
            engine: engine.clone(),
            definitions: HashMap::new(),
            allow_shadowing: false,
            module_checks: Vec::new(),
        }
    }

    /// Adds a check that every module instantiated through this linker must
    /// pass first: definitions that need something of the module (WASI needs
    /// a 32-bit memory exported as `memory`) reject it at link time, not with
    /// a failure in the middle of a run.
    #[cfg(feature = "wasi")]
    pub(crate) fn add_module_check(
        &mut self,
        check: impl Fn(&Module) -> Result<(), Error> + Send + Sync + 'static,
    ) {
        self.module_checks.push(Arc::new(check));
    }

    /// The engine.
    pub fn engine(&self) -> &Engine {
        &self.engine
    }

    /// Whether a later definition of a name replaces an earlier one (default:
    /// it is an error).
    pub fn allow_shadowing(&mut self, allow: bool) -> &mut Self {
        self.allow_shadowing = allow;
        self
    }

    fn insert(&mut self, module: &str, name: &str, def: Definition<T>) -> Result<&mut Self, Error> {
        let key = (module.to_string(), name.to_string());
        if !self.allow_shadowing && self.definitions.contains_key(&key) {
            return Err(Error::link(format!("import `{module}::{name}` is defined twice")));
        }
        self.definitions.insert(key, def);
        Ok(self)
    }

    /// Defines `module::name` as an existing function, table, memory or global.
    ///
    /// # Errors
    ///
    /// If the name is already defined and shadowing is not allowed.
    pub fn define(
        &mut self,
        module: &str,
        name: &str,
        item: impl Into<Extern>,
    ) -> Result<&mut Self, Error> {
        self.insert(module, name, Definition::Extern(item.into()))
    }

    /// Defines `module::name` as a host function with typed parameters; see
    /// [`Func::wrap`](crate::Func::wrap).
    ///
    /// # Errors
    ///
    /// If the name is already defined and shadowing is not allowed.
    pub fn func_wrap<Params, Results>(
        &mut self,
        module: &str,
        name: &str,
        func: impl IntoFunc<T, Params, Results>,
    ) -> Result<&mut Self, Error> {
        self.insert(module, name, Definition::Host(Arc::new(func.into_host_func())))
    }

    /// Defines `module::name` as a host function with a dynamic signature; see
    /// [`Func::new`](crate::Func::new).
    ///
    /// # Errors
    ///
    /// If the name is already defined and shadowing is not allowed.
    pub fn func_new(
        &mut self,
        module: &str,
        name: &str,
        ty: FuncType,
        func: impl Fn(Caller<'_, T>, &[Val], &mut [Val]) -> Result<(), Error> + Send + Sync + 'static,
    ) -> Result<&mut Self, Error> {
        self.insert(module, name, Definition::Host(Arc::new(HostFunc::new_untyped(ty, func))))
    }

    /// Defines every export of `instance` under the module name `module`.
    ///
    /// # Errors
    ///
    /// If a name is already defined and shadowing is not allowed.
    pub fn instance(
        &mut self,
        store: impl AsContext<Data = T>,
        module: &str,
        instance: Instance,
    ) -> Result<&mut Self, Error> {
        for (name, ext) in instance.exports(&store) {
            self.define(module, &name, ext)?;
        }
        Ok(self)
    }

    /// The definition of `module::name`, if any; a host function is bound to
    /// `store` on the way out.
    pub fn get(
        &self,
        mut store: impl AsContextMut<Data = T>,
        module: &str,
        name: &str,
    ) -> Option<Extern> {
        let def = self.definitions.get(&(module.to_string(), name.to_string()))?;
        Some(self.resolve(store.as_context_mut().0, def))
    }

    fn resolve(&self, store: &mut super::Store<T>, def: &Definition<T>) -> Extern {
        match def {
            Definition::Extern(e) => *e,
            Definition::Host(h) => Extern::Func(store.add_host_func(h.clone())),
        }
    }

    /// Instantiates `module`, resolving each import by name, and runs its start
    /// function.
    ///
    /// # Errors
    ///
    /// If an import is not defined or has the wrong type, or the module does
    /// not have what a definition it imports needs (link errors: e.g. WASI
    /// functions need a 32-bit memory exported as `memory`), a segment does not
    /// fit, or the start function traps.
    pub fn instantiate(
        &self,
        mut store: impl AsContextMut<Data = T>,
        module: &Module,
    ) -> Result<Instance, Error> {
        for check in &self.module_checks {
            check(module)?;
        }
        let store = store.as_context_mut().0;
        let mut imports = Vec::with_capacity(module.imports().len());
        for import in module.imports() {
            let key = (import.module().to_string(), import.name().to_string());
            let def = self.definitions.get(&key).ok_or_else(|| {
                Error::link(format!(
                    "unknown import: `{}::{}` has not been defined",
                    import.module(),
                    import.name()
                ))
            })?;
            imports.push(self.resolve(store, def));
        }
        super::instance::instantiate(store, module, &imports)
    }

    /// Whether `module::name` is defined.
    pub fn contains(&self, module: &str, name: &str) -> bool {
        self.definitions.contains_key(&(module.to_string(), name.to_string()))
    }
}

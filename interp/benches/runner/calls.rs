//! Host-to-wasm call overhead: interp and wasmi 2 linked into this binary as
//! libraries, each calling trivial exports of the same module many times in
//! a row. A batch is `calls` calls timed together; the engines take turns
//! batch by batch and the table shows the median nanoseconds per call.

use std::hint::black_box;
use std::time::Instant;

use crate::stats::Samples;

const MODULE: &str = r#"
(module
  (func (export "unit"))
  (func (export "id") (param i32) (result i32) local.get 0)
  (func (export "add") (param i64 i64) (result i64) local.get 0 local.get 1 i64.add))
"#;

/// One kind of call: a name for the table and how to make `calls` of them
/// on each engine (returning a value folded from the results, so nothing
/// is optimised away and both engines can be checked to agree).
pub struct Case {
    pub name: &'static str,
    pub what: &'static str,
    interp: fn(&mut Interp, u32) -> u64,
    wasmi: fn(&mut Wasmi, u32) -> u64,
}

pub const CASES: &[Case] = &[
    Case {
        name: "call-unit",
        what: "TypedFunc<(), ()>::call",
        interp: |e, n| {
            let f = e.instance.get_typed_func::<(), ()>(&e.store, "unit").unwrap();
            (0..n).for_each(|_| f.call(&mut e.store, ()).unwrap());
            u64::from(n)
        },
        wasmi: |e, n| {
            let f = e.instance.get_typed_func::<(), ()>(&e.store, "unit").unwrap();
            (0..n).for_each(|_| f.call(&mut e.store, ()).unwrap());
            u64::from(n)
        },
    },
    Case {
        name: "call-i32",
        what: "TypedFunc<i32, i32>::call",
        interp: |e, n| {
            let f = e.instance.get_typed_func::<i32, i32>(&e.store, "id").unwrap();
            (0..n).map(|i| f.call(&mut e.store, black_box(i as i32)).unwrap() as u64).sum()
        },
        wasmi: |e, n| {
            let f = e.instance.get_typed_func::<i32, i32>(&e.store, "id").unwrap();
            (0..n).map(|i| f.call(&mut e.store, black_box(i as i32)).unwrap() as u64).sum()
        },
    },
    Case {
        name: "call-i64x2",
        what: "TypedFunc<(i64, i64), i64>::call",
        interp: |e, n| {
            let f = e.instance.get_typed_func::<(i64, i64), i64>(&e.store, "add").unwrap();
            (0..n).map(|i| f.call(&mut e.store, (black_box(i.into()), 1)).unwrap() as u64).sum()
        },
        wasmi: |e, n| {
            let f = e.instance.get_typed_func::<(i64, i64), i64>(&e.store, "add").unwrap();
            (0..n).map(|i| f.call(&mut e.store, (black_box(i.into()), 1)).unwrap() as u64).sum()
        },
    },
    Case {
        name: "call-untyped",
        what: "Func::call (i32) -> i32",
        interp: |e, n| {
            let f = e.instance.get_func(&e.store, "id").unwrap();
            let mut out = [interp::Val::I32(0)];
            let mut sum = 0;
            for i in 0..n {
                f.call(&mut e.store, &[interp::Val::I32(black_box(i as i32))], &mut out).unwrap();
                let interp::Val::I32(x) = out[0] else { panic!("interp: not an i32") };
                sum += x as u64;
            }
            sum
        },
        wasmi: |e, n| {
            let f = e.instance.get_func(&e.store, "id").unwrap();
            let mut out = [wasmi::Val::I32(0)];
            let mut sum = 0;
            for i in 0..n {
                f.call(&mut e.store, &[wasmi::Val::I32(black_box(i as i32))], &mut out).unwrap();
                let wasmi::Val::I32(x) = out[0] else { panic!("wasmi: not an i32") };
                sum += x as u64;
            }
            sum
        },
    },
];

pub struct Interp {
    store: interp::Store<()>,
    instance: interp::Instance,
}

pub struct Wasmi {
    store: wasmi::Store<()>,
    instance: wasmi::Instance,
}

fn interp_instance() -> Interp {
    let engine = interp::Engine::default();
    let module = interp::Module::new(&engine, MODULE).expect("interp: compile");
    let mut store = interp::Store::new(&engine, ());
    let instance =
        interp::Linker::new(&engine).instantiate(&mut store, &module).expect("interp: instantiate");
    Interp { store, instance }
}

fn wasmi_instance() -> Wasmi {
    let engine = wasmi::Engine::default();
    let wasm = wat::parse_str(MODULE).expect("valid text");
    let module = wasmi::Module::new(&engine, &wasm).expect("wasmi: compile");
    let mut store = wasmi::Store::new(&engine, ());
    let instance = wasmi::Linker::<()>::new(&engine)
        .instantiate_and_start(&mut store, &module)
        .expect("wasmi: instantiate");
    Wasmi { store, instance }
}

/// Nanoseconds per call on each engine (an engine left out stays empty).
pub fn measure(case: &Case, calls: u32, batches: usize, interp: bool, wasmi: bool) -> [Samples; 2] {
    let mut on_interp = interp.then(interp_instance);
    let mut on_wasmi = wasmi.then(wasmi_instance);
    let mut times = [Samples::default(), Samples::default()];
    // One untimed batch each: warm caches, and both engines must agree.
    let a = on_interp.as_mut().map(|e| (case.interp)(e, calls));
    let b = on_wasmi.as_mut().map(|e| (case.wasmi)(e, calls));
    if let (Some(a), Some(b)) = (a, b) {
        assert_eq!(a, b, "{}: the engines' results differ", case.name);
    }
    for _ in 0..batches {
        if let Some(e) = on_interp.as_mut() {
            let start = Instant::now();
            black_box((case.interp)(e, calls));
            times[0].push(start.elapsed().as_secs_f64() * 1e9 / f64::from(calls));
        }
        if let Some(e) = on_wasmi.as_mut() {
            let start = Instant::now();
            black_box((case.wasmi)(e, calls));
            times[1].push(start.elapsed().as_secs_f64() * 1e9 / f64::from(calls));
        }
    }
    times
}

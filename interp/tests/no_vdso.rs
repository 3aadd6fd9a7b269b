//! Creating a memory works in a process whose vDSO is unmapped, as it is
//! under valgrind.
//!
//! Valgrind unmaps the vDSO of the program it runs and hides it from libc,
//! but the kernel's copy of the auxiliary vector (what `prctl(PR_GET_AUXV)`
//! and `/proc/self/auxv` return) still points at it. rustix used to read that
//! copy for the page size and dereference the vDSO address in it, so the
//! first memory interp created crashed with SIGSEGV under valgrind. Since
//! valgrind cannot be assumed installed, this test stands in for it: a child
//! process unmaps its own vDSO, then creates a memory, and must exit
//! normally.
//!
//! It has its own `main` (`harness = false`): libtest's threads read the
//! clock, which glibc does through the vDSO, and would crash the child.

use std::process::Command;

/// Set in the child's environment.
const CHILD: &str = "INTERP_NO_VDSO_CHILD";

fn main() {
    if std::env::var_os(CHILD).is_some() {
        child();
        return;
    }
    if !cfg!(target_os = "linux") {
        println!("test memory_without_vdso ... ignored (the vDSO is Linux's)");
        return;
    }
    let exe = std::env::current_exe().expect("the test's own path");
    let out = Command::new(exe).env(CHILD, "1").output().expect("run the child");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "creating a memory without a vDSO failed: {}\n{stderr}",
        out.status
    );
    assert_eq!(String::from_utf8_lossy(&out.stdout), "memory of 1 page, vDSO unmapped\n");
    println!("test memory_without_vdso ... ok");
}

#[cfg(target_os = "linux")]
fn child() {
    use interp::{Engine, Memory, MemoryType, Store};

    // Whatever might read the clock or the random source through the vDSO
    // (the store, hash map seeds) is set up while it is still there.
    let engine = Engine::default();
    let mut store = Store::new(&engine, ());
    let maps = std::fs::read_to_string("/proc/self/maps").expect("read /proc/self/maps");
    let Some(range) = maps.lines().find(|l| l.ends_with("[vdso]")) else {
        panic!("no [vdso] in /proc/self/maps: this system cannot show the bug\n{maps}");
    };
    let (start, end) = range.split_whitespace().next().and_then(|r| r.split_once('-')).unwrap();
    let start = usize::from_str_radix(start, 16).unwrap();
    let end = usize::from_str_radix(end, 16).unwrap();
    // SAFETY: nothing in this process uses the vDSO from here on: the child
    // only creates a memory (no clock, no random source) and prints.
    unsafe { rustix::mm::munmap(start as *mut std::ffi::c_void, end - start) }
        .expect("munmap the vDSO");
    let memory = Memory::new(&mut store, MemoryType::new(1, Some(2))).expect("create a memory");
    println!("memory of {} page, vDSO unmapped", memory.size(&store));
}

#[cfg(not(target_os = "linux"))]
fn child() {}

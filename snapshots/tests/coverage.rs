//! The committed snapshots, read as data: between them they must show every
//! WASI function succeeding once and failing once, so a guest edit that drops
//! a case fails here and not only in review.

use std::collections::BTreeSet;
use std::path::Path;

use interp::wasi::IMPORTS;

/// Functions with no error to show: `sched_yield` always succeeds.
const NO_ERROR: &[&str] = &["sched_yield"];

#[test]
fn every_function_has_a_success_and_an_error_in_the_snapshots() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots");
    let (mut succeeded, mut failed) = (BTreeSet::new(), BTreeSet::new());
    let mut files = 0;
    for entry in std::fs::read_dir(&dir).expect("tests/snapshots") {
        let path = entry.expect("entry").path();
        if path.extension().is_none_or(|e| e != "snap") {
            continue;
        }
        files += 1;
        let text = std::fs::read_to_string(&path).expect("read snapshot");
        // Trace lines look like `name(args) -> errno (results)`.
        for line in text.lines() {
            let Some((call, outcome)) = line.split_once(") -> ") else { continue };
            let Some((name, _)) = call.split_once('(') else { continue };
            if !IMPORTS.contains(&name) {
                continue;
            }
            // proc_exit's success is the exit itself.
            if outcome.starts_with("success") || outcome.starts_with("exit(") {
                succeeded.insert(name.to_string());
            } else {
                failed.insert(name.to_string());
            }
        }
    }
    assert!(files >= 10, "only {files} snapshots in {}", dir.display());
    let missing = |set: &BTreeSet<String>, exempt: &[&str]| -> Vec<&str> {
        IMPORTS.iter().copied().filter(|f| !set.contains(*f) && !exempt.contains(f)).collect()
    };
    assert_eq!(missing(&succeeded, &[]), Vec::<&str>::new(), "functions never shown succeeding");
    assert_eq!(missing(&failed, NO_ERROR), Vec::<&str>::new(), "functions never shown failing");
}

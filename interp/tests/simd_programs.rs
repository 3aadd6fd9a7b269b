//! Real programs built with `-C target-feature=+simd128`
//! (`benches/compiled/simd/`) on `interp run`, against what their native
//! (x86_64) builds print, and checks that the modules really take SIMD
//! paths.
//!
//! `simd_grep` is a grep built on the `memchr` crate, whose wasm32 build
//! searches with `simd128` code; `simd_stat` computes file statistics with
//! explicit `core::arch::wasm32` intrinsics (its native build runs portable
//! twins of the same kernels). Each line of `real-programs.txt` is a run
//! over the committed text in `corpus/`; `build.sh` ran it natively and
//! wrote its stdout to `expected/NAME.txt`. The native outputs are
//! committed, not rebuilt here, so `cargo test` needs neither the wasm
//! target nor the guests' crates (see README, "Benchmark against wasmi").
//! The benchmark's SIMD programs (`simd_kernels`, `simd_memchr`) are checked
//! with the others in `compiled_programs.rs`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use wasmparser::{Name, Parser, Payload, TypeRef};

fn compiled() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/compiled")
}

/// (name, guest, arguments) per line of `real-programs.txt`.
fn runs() -> Vec<(String, String, Vec<String>)> {
    let text = std::fs::read_to_string(compiled().join("real-programs.txt")).unwrap();
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| {
            let mut fields = l.split_whitespace().map(str::to_string);
            let name = fields.next().unwrap();
            let guest = fields.next().expect("a guest after the name");
            (name, guest, fields.collect())
        })
        .collect()
}

/// `interp run --dir CORPUS::corpus [FLAGS] GUEST.wasm ARGS`, in no
/// particular working directory: the guest sees only `corpus`.
fn interp(flags: &[&str], guest: &str, args: &[String]) -> Output {
    let corpus = format!("{}::corpus", compiled().join("corpus").display());
    Command::new(env!("CARGO_BIN_EXE_interp"))
        .args(["run", "--dir", &corpus])
        .args(flags)
        .arg(compiled().join("wasm").join(format!("{guest}.wasm")))
        .args(args)
        .output()
        .expect("run interp")
}

#[test]
fn real_programs_print_what_their_native_builds_print() {
    let runs = runs();
    assert!(runs.iter().any(|r| r.1 == "simd_grep") && runs.iter().any(|r| r.1 == "simd_stat"));
    let mut failures = Vec::new();
    for (name, guest, args) in &runs {
        let expected =
            std::fs::read_to_string(compiled().join("expected").join(format!("{name}.txt")))
                .unwrap_or_else(|e| panic!("expected/{name}.txt (written by build.sh): {e}"));
        let out = interp(&[], guest, args);
        let stdout = String::from_utf8_lossy(&out.stdout);
        if !out.status.success() {
            failures.push(format!(
                "{name}: {guest} {args:?}: {}: {}",
                out.status,
                String::from_utf8_lossy(&out.stderr)
            ));
        } else if stdout != expected {
            let line = stdout.lines().zip(expected.lines()).position(|(a, b)| a != b);
            let line = line.unwrap_or(stdout.lines().count().min(expected.lines().count()));
            failures.push(format!(
                "{name}: {guest} {args:?}: differs from the native build at line {}:\n  interp: {:?}\n  native: {:?}",
                line + 1,
                stdout.lines().nth(line),
                expected.lines().nth(line)
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_expected_output_has_a_run() {
    let names: BTreeSet<String> = runs().into_iter().map(|r| r.0).collect();
    for entry in std::fs::read_dir(compiled().join("expected")).unwrap() {
        let path = entry.unwrap().path();
        let stem = path.file_stem().unwrap().to_str().unwrap().to_string();
        assert!(
            names.contains(&stem),
            "{} belongs to no line of real-programs.txt",
            path.display()
        );
    }
}

/// Per defined function (by name): how often each SIMD operator occurs.
fn simd_operators(guest: &str) -> BTreeMap<String, BTreeMap<String, usize>> {
    let path = compiled().join("wasm").join(format!("{guest}.wasm"));
    let bytes = std::fs::read(&path).unwrap();
    let (mut imported, mut bodies, mut names) = (0, Vec::new(), BTreeMap::new());
    for payload in Parser::new(0).parse_all(&bytes) {
        match payload.unwrap() {
            Payload::ImportSection(reader) => {
                for import in reader.into_imports() {
                    imported += u32::from(matches!(import.unwrap().ty, TypeRef::Func(_)));
                }
            }
            Payload::CodeSectionEntry(body) => {
                let mut ops = BTreeMap::new();
                let mut reader = body.get_operators_reader().unwrap();
                while !reader.eof() {
                    let (op, offset) = reader.read_with_offset().unwrap();
                    // Every SIMD operator's encoding starts with the 0xfd prefix.
                    if bytes[offset as usize] == 0xfd {
                        let debug = format!("{op:?}");
                        let name = debug.split(|c: char| !c.is_alphanumeric()).next().unwrap();
                        *ops.entry(name.to_string()).or_insert(0) += 1;
                    }
                }
                bodies.push(ops);
            }
            Payload::CustomSection(section) => {
                if let wasmparser::KnownCustom::Name(reader) = section.as_known() {
                    for name in reader {
                        if let Ok(Name::Function(map)) = name {
                            for naming in map {
                                let naming = naming.unwrap();
                                names.insert(naming.index, naming.name.to_string());
                            }
                        }
                    }
                }
            }
            _ => {}
        }
    }
    bodies
        .into_iter()
        .enumerate()
        .map(|(i, ops)| {
            let index = imported + i as u32;
            (names.get(&index).cloned().unwrap_or_else(|| format!("func[{index}]")), ops)
        })
        .collect()
}

/// The SIMD operators of the functions whose names contain every part.
fn operators_in(
    functions: &BTreeMap<String, BTreeMap<String, usize>>,
    parts: &[&str],
) -> BTreeSet<String> {
    functions
        .iter()
        .filter(|(name, _)| parts.iter().all(|p| name.contains(p)))
        .flat_map(|(_, ops)| ops.keys().cloned())
        .collect()
}

#[test]
fn the_memchr_guests_hold_memchrs_simd128_search() {
    for guest in ["simd_grep", "simd_memchr"] {
        let functions = simd_operators(guest);
        // memmem's packed-pair searcher for wasm32 simd128
        // (memchr/src/memmem/searcher.rs, `searcher_kind_simd128`).
        let ops = operators_in(&functions, &["memchr", "searcher_kind_simd128"]);
        for op in ["V128Load", "I8x16Eq", "I8x16Bitmask", "V128And"] {
            assert!(ops.contains(op), "{guest}: memchr's simd128 searcher lacks {op}: {ops:?}");
        }
    }
}

#[test]
fn the_intrinsics_guests_cover_every_kind_of_simd_instruction() {
    for guest in ["simd_stat", "simd_kernels"] {
        let functions = simd_operators(guest);
        let ops: BTreeSet<String> =
            functions.values().flat_map(|ops| ops.keys().cloned()).collect();
        // A few of each kind: loads and stores in every form, shuffles,
        // lanes, integer (wrapping, saturating, widening, narrowing, dot,
        // Q15) and float arithmetic, comparisons, bitmasks, all/any true.
        // (The names of wasmparser's `Operator` variants; LLVM picks the
        // instructions, so an intrinsic may become another form, e.g. a
        // lane store an `i64.store` of an extracted lane.)
        let wanted = [
            "V128Load",
            "V128Store",
            "V128Load8Splat",
            "V128Load8Lane",
            "V128Load32Zero",
            "V128Load64Zero",
            "I8x16Shuffle",
            "I8x16Swizzle",
            "I8x16ExtractLaneU",
            "I32x4ReplaceLane",
            "I8x16Splat",
            "I8x16Popcnt",
            "I8x16AddSatU",
            "I8x16SubSatU",
            "I8x16AvgrU",
            "I8x16NarrowI16x8U",
            "I16x8ExtAddPairwiseI8x16U",
            "I32x4DotI16x8S",
            "I16x8Q15MulrSatS",
            "I32x4ExtMulLowI16x8S",
            "I16x8Abs",
            "I16x8MinS",
            "I64x2Mul",
            "I64x2ShrU",
            "I8x16LtU",
            "I8x16GtS",
            "I8x16Eq",
            "I8x16Bitmask",
            "I16x8Bitmask",
            "I8x16AllTrue",
            "V128AnyTrue",
            "V128Bitselect",
            "F32x4ConvertI32x4S",
            "F32x4Sqrt",
            "F32x4Div",
            "F32x4Nearest",
            "F32x4Min",
            "I32x4TruncSatF32x4S",
            "F64x2PromoteLowF32x4",
            "F64x2Sqrt",
        ];
        let missing: Vec<_> = wanted.iter().filter(|op| !ops.contains(**op)).collect();
        assert!(missing.is_empty(), "{guest} lacks {missing:?}; it has {ops:?}");
        assert!(ops.len() >= 80, "{guest}: only {} distinct SIMD operators", ops.len());
    }
}

/// The run itself goes through memchr's simd128 searcher: `--trace` shows
/// its vector operators executing.
#[test]
fn simd_grep_executes_memchrs_simd128_search() {
    let args = ["needle".to_string(), "corpus/edge/crlf.txt".to_string()];
    let out = interp(&["--trace"], "simd_grep", &args);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).lines().next(),
        Some("corpus/edge/crlf.txt:2:A needle on the second line.")
    );
    // `trace: func[N] NAME @0xOFFSET: OPERATOR IMMEDIATES`
    let mut executed = BTreeSet::new();
    for line in String::from_utf8_lossy(&out.stderr).lines() {
        let mut fields = line.split_whitespace().skip(2);
        let (Some(function), Some(_), Some(op)) = (fields.next(), fields.next(), fields.next())
        else {
            continue;
        };
        if function.contains("memchr") && function.contains("searcher_kind_simd128") {
            executed.insert(op.replace('.', "_"));
        }
    }
    for op in ["v128_load", "i8x16_eq", "i8x16_bitmask"] {
        assert!(executed.contains(op), "memchr's simd128 searcher did not run {op}: {executed:?}");
    }
}

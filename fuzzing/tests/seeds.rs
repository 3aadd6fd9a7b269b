//! The oracles over fixed seeds: what `cargo fuzz run` does, deterministically
//! and on stable, so every `cargo test` checks a few thousand generated modules.
//! A failure names the seed; the module is saved in `fuzz/artifacts/<target>/`.

use fuzzing::{Stats, seed_bytes};

/// Seeds per differential test; four tests run in parallel.
const DIFFERENTIAL_SEEDS: u64 = 500;

/// The length of the input for `seed`: 256 bytes to 16 KiB, so that modules
/// range from nearly empty to a hundred functions.
fn input_len(seed: u64) -> usize {
    256 + (seed.wrapping_mul(0x9e37_79b9) % (16 * 1024 - 256)) as usize
}

fn differential_seeds(seeds: std::ops::Range<u64>) -> Stats {
    let mut stats = Stats::default();
    for seed in seeds {
        fuzzing::watchdog::set_label(format!("seed {seed}"));
        let data = seed_bytes(seed, input_len(seed));
        match fuzzing::differential::differential(&data) {
            Ok(run) => stats += run,
            Err(divergence) => {
                let saved = divergence.save(&fuzzing::artifacts_dir("differential"));
                panic!("seed {seed}: {divergence}\nsaved: {saved:?}");
            }
        }
    }
    eprintln!("{stats:?}");
    // The seeded runs must exercise the engines, not skip: most inputs make a
    // module, and calls both return and trap.
    let n = DIFFERENTIAL_SEEDS as usize;
    assert!(stats.modules > n * 9 / 10, "{stats:?}");
    assert!(stats.instantiated > n * 3 / 4, "{stats:?}");
    assert!(stats.returned > n, "{stats:?}");
    assert!(stats.trapped > n / 10, "{stats:?}");
    stats
}

#[test]
fn differential_seeds_0() {
    differential_seeds(0..DIFFERENTIAL_SEEDS);
}

#[test]
fn differential_seeds_1() {
    differential_seeds(DIFFERENTIAL_SEEDS..2 * DIFFERENTIAL_SEEDS);
}

#[test]
fn differential_seeds_2() {
    differential_seeds(2 * DIFFERENTIAL_SEEDS..3 * DIFFERENTIAL_SEEDS);
}

#[test]
fn differential_seeds_3() {
    differential_seeds(3 * DIFFERENTIAL_SEEDS..4 * DIFFERENTIAL_SEEDS);
}

#[test]
fn execute_seeds() {
    let mut stats = Stats::default();
    for seed in 0..500 {
        stats += fuzzing::execute::execute(&seed_bytes(seed, input_len(seed)));
    }
    eprintln!("{stats:?}");
    assert!(stats.instantiated > 300, "{stats:?}");
    assert!(stats.returned > 0, "{stats:?}");
}

#[test]
fn validate_seeds() {
    for seed in 0..1000 {
        fuzzing::validate::validate(&seed_bytes(seed, input_len(seed)));
    }
}

//! What every benchmark guest shares: reading its size argument, a seeded
//! random generator, the checksum fold, and printing the checksum.
//!
//! Each guest is a WASI command `NAME SIZE` that prints one line, the
//! checksum as 16 hex digits. Nothing here depends on the pointer width or
//! on floating-point functions outside IEEE 754's basic operations, so a
//! native build and the wasm32-wasip1 build print the same line.

use std::process::exit;

/// The guest's size argument (`argv[1]`); exits with status 2 and a usage
/// line when it is missing or not a number.
pub fn size_arg() -> u64 {
    let mut args = std::env::args();
    let name = args.next().unwrap_or_else(|| "guest".to_string());
    match args.next().map(|a| a.parse::<u64>()) {
        Some(Ok(n)) => n,
        _ => {
            eprintln!("usage: {name} SIZE");
            exit(2)
        }
    }
}

/// SplitMix64: a small, fast generator whose sequence is fixed by its seed.
#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    pub fn next_u32(&mut self) -> u32 {
        (self.next_u64() >> 32) as u32
    }

    /// A number in `0..n` (`n > 0`; the slight modulo bias does not matter here).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n
    }

    /// A float in `[0, 1)` with 53 random bits.
    pub fn unit_f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }
}

/// Folds `x` into the running checksum `h` (order matters).
pub fn fold(h: u64, x: u64) -> u64 {
    (h ^ x).wrapping_mul(0x0000_0100_0000_01b3).rotate_left(29) ^ (h >> 17)
}

/// Prints the checksum line and returns normally (exit status 0).
pub fn print_checksum(checksum: u64) {
    println!("{checksum:016x}");
}

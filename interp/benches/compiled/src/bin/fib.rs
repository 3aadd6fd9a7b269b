//! Many small calls: the naive doubly recursive Fibonacci function of SIZE,
//! and of SIZE - 1 through a function pointer so the two cannot be merged.
//! Checksum: both results folded.

use bench_guests::{fold, print_checksum, size_arg};

fn fib(n: u64) -> u64 {
    if n < 2 { n } else { fib(n - 1).wrapping_add(fib(n - 2)) }
}

fn main() {
    let n = size_arg();
    let via: fn(u64) -> u64 = std::hint::black_box(fib);
    let checksum = fold(fib(n), via(n.saturating_sub(1)));
    print_checksum(checksum);
}

//! A memory-bound byte loop: the sieve of Eratosthenes over one byte per
//! number below SIZE million, then byte passes over the sieve (a histogram of
//! gaps between primes, a run-length pass, an in-place byte transform, and
//! copies and fills of the whole buffer). Checksum: the prime count, the
//! gap histogram and a fold over the transformed bytes.

use bench_guests::{fold, print_checksum, size_arg};

fn sieve(limit: usize) -> Vec<u8> {
    let mut composite = vec![0u8; limit];
    composite[0] = 1;
    composite[1] = 1;
    let mut p = 2;
    while p * p < limit {
        if composite[p] == 0 {
            let mut m = p * p;
            while m < limit {
                composite[m] = 1;
                m += p;
            }
        }
        p += 1;
    }
    composite
}

fn main() {
    let limit = size_arg() as usize * 1_000_000;
    let composite = sieve(limit);

    let mut count = 0u64;
    let mut gaps = [0u64; 256];
    let mut last = 2;
    for (n, &c) in composite.iter().enumerate() {
        if c == 0 {
            count += 1;
            gaps[(n - last).min(255)] += 1;
            last = n;
        }
    }

    // Runs of equal bytes.
    let mut runs = 0u64;
    for pair in composite.windows(2) {
        runs += u64::from(pair[0] != pair[1]);
    }

    // Copy, transform in place, then fill half and copy back.
    let mut bytes = composite.clone();
    let mut state = 0x5au8;
    for b in bytes.iter_mut() {
        state = state.rotate_left(3) ^ b.wrapping_add(0x3c);
        *b = state;
    }
    let half = bytes.len() / 2;
    let mut copy = vec![0u8; bytes.len()];
    copy.copy_from_slice(&bytes);
    copy[..half].fill(0xa5);
    bytes[half..].copy_from_slice(&copy[half..]);

    let mut checksum = fold(count, runs);
    for g in gaps {
        checksum = fold(checksum, g);
    }
    for chunk in bytes.chunks_exact(8) {
        checksum = checksum.wrapping_add(u64::from_le_bytes(chunk.try_into().unwrap()));
    }
    print_checksum(checksum);
}

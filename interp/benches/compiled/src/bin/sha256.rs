//! Integer hashing: SHA-256 (FIPS 180-4) of a 64 KiB message, SIZE times,
//! each time with the previous digest written into the message's first
//! bytes, so no round can be skipped. Checksum: the final digest folded.

use bench_guests::{Rng, fold, print_checksum, size_arg};

const K: [u32; 64] = {
    // The first 32 bits of the fractional parts of the cube roots of the
    // first 64 primes, computed here rather than listed.
    let mut k = [0u32; 64];
    let mut found = 0;
    let mut n = 2u64;
    while found < 64 {
        let mut d = 2;
        let mut prime = true;
        while d * d <= n {
            if n.is_multiple_of(d) {
                prime = false;
            }
            d += 1;
        }
        if prime {
            k[found] = frac_root(n, 3);
            found += 1;
        }
        n += 1;
    }
    k
};

const H0: [u32; 8] = {
    let primes = [2u64, 3, 5, 7, 11, 13, 17, 19];
    let mut h = [0u32; 8];
    let mut i = 0;
    while i < 8 {
        h[i] = frac_root(primes[i], 2);
        i += 1;
    }
    h
};

/// The first 32 fractional bits of the `k`th root of `n`, by bisection on
/// fixed-point integers (the root scaled by 2^32; `r^k` against `n << 32k`).
const fn frac_root(n: u64, k: u32) -> u32 {
    let (mut lo, mut hi) = (0u128, (n as u128) << 32);
    while hi - lo > 1 {
        let mid = (lo + hi) / 2;
        if pow_le(mid, k, n) {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    lo as u32
}

/// Whether `(r / 2^32)^k <= n`, for k of 2 or 3, n below 512 and r below 2^41.
const fn pow_le(r: u128, k: u32, n: u64) -> bool {
    if k == 2 {
        r * r <= (n as u128) << 64
    } else {
        // r^3 stays below 2^123 and n << 96 below 2^105: both fit in u128.
        r * r * r <= (n as u128) << 96
    }
}

fn compress(state: &mut [u32; 8], block: &[u8]) {
    let mut w = [0u32; 64];
    for (i, word) in block.chunks_exact(4).enumerate() {
        w[i] = u32::from_be_bytes([word[0], word[1], word[2], word[3]]);
    }
    for i in 16..64 {
        let s0 = w[i - 15].rotate_right(7) ^ w[i - 15].rotate_right(18) ^ (w[i - 15] >> 3);
        let s1 = w[i - 2].rotate_right(17) ^ w[i - 2].rotate_right(19) ^ (w[i - 2] >> 10);
        w[i] = w[i - 16].wrapping_add(s0).wrapping_add(w[i - 7]).wrapping_add(s1);
    }
    let [mut a, mut b, mut c, mut d, mut e, mut f, mut g, mut h] = *state;
    for i in 0..64 {
        let s1 = e.rotate_right(6) ^ e.rotate_right(11) ^ e.rotate_right(25);
        let ch = (e & f) ^ (!e & g);
        let t1 = h.wrapping_add(s1).wrapping_add(ch).wrapping_add(K[i]).wrapping_add(w[i]);
        let s0 = a.rotate_right(2) ^ a.rotate_right(13) ^ a.rotate_right(22);
        let maj = (a & b) ^ (a & c) ^ (b & c);
        let t2 = s0.wrapping_add(maj);
        h = g;
        g = f;
        f = e;
        e = d.wrapping_add(t1);
        d = c;
        c = b;
        b = a;
        a = t1.wrapping_add(t2);
    }
    for (s, v) in state.iter_mut().zip([a, b, c, d, e, f, g, h]) {
        *s = s.wrapping_add(v);
    }
}

fn sha256(message: &[u8]) -> [u8; 32] {
    let mut state = H0;
    let mut blocks = message.chunks_exact(64);
    for block in &mut blocks {
        compress(&mut state, block);
    }
    let rest = blocks.remainder();
    let mut tail = [0u8; 128];
    tail[..rest.len()].copy_from_slice(rest);
    tail[rest.len()] = 0x80;
    let tail_len = if rest.len() < 56 { 64 } else { 128 };
    let bits = (message.len() as u64) * 8;
    tail[tail_len - 8..tail_len].copy_from_slice(&bits.to_be_bytes());
    for block in tail[..tail_len].chunks_exact(64) {
        compress(&mut state, block);
    }
    let mut digest = [0u8; 32];
    for (out, word) in digest.chunks_exact_mut(4).zip(state) {
        out.copy_from_slice(&word.to_be_bytes());
    }
    digest
}

fn main() {
    let rounds = size_arg();
    // Checked against the standard's example before timing anything.
    let abc = sha256(b"abc");
    assert_eq!(abc[..4], [0xba, 0x78, 0x16, 0xbf], "SHA-256 self-check");
    let mut rng = Rng::new(256);
    let mut message: Vec<u8> = (0..65_536 + 13).map(|_| rng.next_u32() as u8).collect();
    let mut digest = [0u8; 32];
    for _ in 0..rounds {
        message[..32].copy_from_slice(&digest);
        digest = sha256(&message);
    }
    let mut checksum = 0;
    for word in digest.chunks_exact(8) {
        checksum = fold(checksum, u64::from_le_bytes(word.try_into().unwrap()));
    }
    print_checksum(checksum);
}

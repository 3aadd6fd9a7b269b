//! The kernels in plain Rust, one element at a time: the definition of what
//! each computes. Where the SIMD version splits work across lanes (the four
//! float accumulators, the two hash lanes, the alternating record sums) this
//! version keeps the same lanes, so both give the same bits.

use super::{Classes, FloatStats, Records, Samples, q15_mul, tone_byte};

const HASH_K: u64 = 0x9e37_79b9_7f4a_7c15;
pub(super) const HASH_SEEDS: [u64; 2] = [0x243f_6a88_85a3_08d3, 0x1319_8a2e_0370_7344];

pub fn classes(data: &[u8]) -> Classes {
    let mut c = Classes { ascii: true, ..Classes::default() };
    for &b in data {
        c.newlines += u64::from(b == b'\n');
        c.lower += u64::from(b.is_ascii_lowercase());
        c.upper += u64::from(b.is_ascii_uppercase());
        c.digits += u64::from(b.is_ascii_digit());
        c.spaces += u64::from(matches!(b, b' ' | b'\t' | b'\n' | b'\r'));
        c.non_ascii += u64::from(b >= 0x80);
        c.bits += u64::from(b.count_ones());
        c.ascii &= b < 0x80;
    }
    c
}

/// Adler-32 (RFC 1950) as the RFC writes it.
pub fn adler32(data: &[u8]) -> u32 {
    const MOD: u32 = 65521;
    let (mut a, mut b) = (1u32, 0u32);
    for block in data.chunks(5552) {
        for &x in block {
            a += u32::from(x);
            b += a;
        }
        a %= MOD;
        b %= MOD;
    }
    (b << 16) | a
}

/// ASCII letters change case; every other byte stays.
pub fn swap_case(data: &[u8], out: &mut Vec<u8>) {
    out.clear();
    out.extend(data.iter().map(|&b| if b.is_ascii_alphabetic() { b ^ 0x20 } else { b }));
}

fn hash_step(h: u64, x: u64) -> u64 {
    let h = (h ^ x).wrapping_mul(HASH_K);
    (h ^ (h >> 32)).rotate_left(23)
}

/// A two-lane multiplicative hash over 16-byte blocks (the last one padded
/// with zeros), the lanes and the length combined at the end.
pub fn hash(data: &[u8]) -> u64 {
    let mut h = HASH_SEEDS;
    let mut step = |block: &[u8; 16]| {
        h[0] = hash_step(h[0], u64::from_le_bytes(block[..8].try_into().unwrap()));
        h[1] = hash_step(h[1], u64::from_le_bytes(block[8..].try_into().unwrap()));
    };
    let mut chunks = data.chunks_exact(16);
    for chunk in &mut chunks {
        step(chunk.try_into().unwrap());
    }
    let tail = chunks.remainder();
    if !tail.is_empty() {
        let mut block = [0u8; 16];
        block[..tail.len()].copy_from_slice(tail);
        step(&block);
    }
    hash_finish(h, data.len())
}

pub(super) fn hash_finish(h: [u64; 2], len: usize) -> u64 {
    h[0] ^ h[1].rotate_left(1) ^ (len as u64).wrapping_mul(HASH_K)
}

/// Lower-case hexadecimal, two digits per byte.
pub fn hex(data: &[u8], out: &mut Vec<u8>) {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    out.clear();
    for &b in data {
        out.push(DIGITS[usize::from(b >> 4)]);
        out.push(DIGITS[usize::from(b & 15)]);
    }
}

/// Statistics of the bytes as `f32` samples, summed in four lanes (byte `i`
/// into lane `i % 4`), the lanes combined in `f64`.
pub fn float_stats(data: &[u8]) -> FloatStats {
    if data.is_empty() {
        return FloatStats::default();
    }
    let (mut sum, mut squares) = ([0f32; 4], [0f32; 4]);
    let (mut min, mut max) = (f32::INFINITY, f32::NEG_INFINITY);
    for (i, &b) in data.iter().enumerate() {
        let x = f32::from(b);
        sum[i % 4] += x;
        squares[i % 4] += x * x;
        min = min.min(x);
        max = max.max(x);
    }
    let total =
        |l: [f32; 4]| (f64::from(l[0]) + f64::from(l[2])) + (f64::from(l[1]) + f64::from(l[3]));
    let (sum, squares) = (total(sum), total(squares));
    let n = data.len() as f64;
    let (mean, mean_square) = (sum / n, squares / n);
    let variance = mean_square - mean * mean;
    let variance = if 0.0 < variance { variance } else { 0.0 };
    FloatStats { sum, mean, stddev: variance.sqrt(), rms: mean_square.sqrt(), min, max }
}

pub fn tone(data: &[u8], out: &mut Vec<u8>) {
    out.clear();
    out.extend(data.iter().map(|&b| tone_byte(b)));
}

/// Each byte minus the one before it (the first minus zero), wrapping.
pub fn delta(data: &[u8], out: &mut Vec<u8>) {
    out.clear();
    let mut prev = 0u8;
    for &b in data {
        out.push(b.wrapping_sub(prev));
        prev = b;
    }
}

/// Running sums of the bytes, wrapping: undoes `delta`.
pub fn prefix_sum(data: &[u8], out: &mut Vec<u8>) {
    out.clear();
    let mut acc = 0u8;
    for &b in data {
        acc = acc.wrapping_add(b);
        out.push(acc);
    }
}

pub fn samples(data: &[u8]) -> Samples {
    let mut s = Samples::new();
    for pair in data.chunks_exact(2) {
        s.add(i16::from_le_bytes([pair[0], pair[1]]));
    }
    s
}

impl Samples {
    pub(super) fn new() -> Samples {
        Samples { min: i16::MAX, max: i16::MIN, ..Samples::default() }
    }

    /// Adds one sample, as the SIMD version adds eight.
    pub(super) fn add(&mut self, x: i16) {
        self.count += 1;
        self.min = self.min.min(x);
        self.max = self.max.max(x);
        self.abs_sum += u64::from(x.unsigned_abs());
        self.negatives += u64::from(x < 0);
        self.energy += u64::from((i32::from(x) * i32::from(x)) as u32);
        self.q15_sum += i64::from(q15_mul(x, super::GAIN));
    }
}

pub fn records(data: &[u8]) -> Records {
    let mut r = Records::default();
    let factors = super::mix_factors(data.len());
    for record in data.chunks_exact(8) {
        for (column, &b) in r.columns.iter_mut().zip(record) {
            *column = column.wrapping_add(u32::from(b));
        }
        for word in record.chunks_exact(4) {
            let w = u32::from_le_bytes(word.try_into().unwrap());
            for (acc, f) in r.mix.iter_mut().zip(factors) {
                *acc = acc.wrapping_mul(31).wrapping_add(w.wrapping_mul(f));
            }
        }
        r.lanes[0] = r.lanes[0].wrapping_add(u64::from_le_bytes(record.try_into().unwrap()));
        r.lanes.swap(0, 1);
    }
    r
}

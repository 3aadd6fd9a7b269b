//! The kernels with `core::arch::wasm32` SIMD intrinsics, 16 bytes at a
//! time. Each gives exactly what its namesake in `portable.rs` gives; a
//! last partial block is either copied into a zero-padded block (where zero
//! bytes change nothing or are masked off) or handed to the portable code.

use core::arch::wasm32::*;

use super::{Classes, FloatStats, Records, Samples, portable};

/// Loads 16 bytes from the start of `bytes`.
fn load(bytes: &[u8]) -> v128 {
    assert!(bytes.len() >= 16);
    // SAFETY: `bytes` holds at least 16 bytes; v128.load has no alignment
    // requirement.
    unsafe { v128_load(bytes.as_ptr().cast()) }
}

/// Stores `v` into the first 16 bytes of `out`.
fn store(out: &mut [u8], v: v128) {
    assert!(out.len() >= 16);
    // SAFETY: `out` holds at least 16 writable bytes.
    unsafe { v128_store(out.as_mut_ptr().cast(), v) }
}

/// The 16-byte blocks of `data` and the last partial one, zero-padded.
fn blocks(data: &[u8]) -> (core::slice::ChunksExact<'_, u8>, Option<[u8; 16]>) {
    let chunks = data.chunks_exact(16);
    let tail = chunks.remainder();
    let padded = (!tail.is_empty()).then(|| {
        let mut block = [0u8; 16];
        block[..tail.len()].copy_from_slice(tail);
        block
    });
    (chunks, padded)
}

/// Applies a 16-byte transform to every block of `data`, appending to
/// `out` as many bytes as `data` has.
fn map_blocks(data: &[u8], out: &mut Vec<u8>, mut f: impl FnMut(v128) -> v128) {
    out.clear();
    out.resize(data.len(), 0);
    let (chunks, padded) = blocks(data);
    let done = data.len() - data.len() % 16;
    for (chunk, dst) in chunks.zip(out.chunks_exact_mut(16)) {
        store(dst, f(load(chunk)));
    }
    if let Some(block) = padded {
        let mut result = [0u8; 16];
        store(&mut result, f(load(&block)));
        out[done..].copy_from_slice(&result[..data.len() - done]);
    }
}

fn sum_u32_lanes(v: v128) -> u64 {
    u64::from(u32x4_extract_lane::<0>(v))
        + u64::from(u32x4_extract_lane::<1>(v))
        + u64::from(u32x4_extract_lane::<2>(v))
        + u64::from(u32x4_extract_lane::<3>(v))
}

/// Sums the u8 lanes of `v` into u32 lanes.
fn widen_u8_sums(v: v128) -> v128 {
    u32x4_extadd_pairwise_u16x8(u16x8_extadd_pairwise_u8x16(v))
}

pub fn classes(data: &[u8]) -> Classes {
    // Per-lane counts in u8 lanes (a true comparison is -1: subtracting it
    // adds one), flushed into `totals` before they can wrap.
    let mut counts = [u8x16_splat(0); 5];
    let mut bits = u16x8_splat(0);
    let mut totals = [0u64; 6];
    let mut non_ascii = 0u64;
    let mut ascii = true;
    let mut pending = 0;
    let flush = |counts: &mut [v128; 5], bits: &mut v128, totals: &mut [u64; 6]| {
        for (total, count) in totals.iter_mut().zip(counts.iter_mut()) {
            *total += sum_u32_lanes(widen_u8_sums(*count));
            *count = u8x16_splat(0);
        }
        totals[5] += sum_u32_lanes(u32x4_extadd_pairwise_u16x8(*bits));
        *bits = u16x8_splat(0);
    };
    let mut step = |v: v128| {
        let newline = u8x16_eq(v, u8x16_splat(b'\n'));
        let lower = u8x16_lt(u8x16_sub(v, u8x16_splat(b'a')), u8x16_splat(26));
        let upper = u8x16_lt(u8x16_sub(v, u8x16_splat(b'A')), u8x16_splat(26));
        let digit_offset = u8x16_sub(v, u8x16_splat(b'0'));
        let digit = u8x16_eq(u8x16_min(digit_offset, u8x16_splat(9)), digit_offset);
        let space = v128_or(
            v128_or(u8x16_eq(v, u8x16_splat(b' ')), u8x16_eq(v, u8x16_splat(b'\t'))),
            v128_or(newline, u8x16_eq(v, u8x16_splat(b'\r'))),
        );
        for (count, mask) in counts.iter_mut().zip([newline, lower, upper, digit, space]) {
            *count = u8x16_sub(*count, mask);
        }
        bits = i16x8_add(bits, u16x8_extadd_pairwise_u8x16(u8x16_popcnt(v)));
        non_ascii += u64::from(u8x16_bitmask(v).count_ones());
        ascii &= i8x16_all_true(i8x16_gt(v, i8x16_splat(-1)));
        pending += 1;
        if pending == 255 {
            flush(&mut counts, &mut bits, &mut totals);
            pending = 0;
        }
    };
    // Zero padding counts in no class.
    let (chunks, padded) = blocks(data);
    for chunk in chunks {
        step(load(chunk));
    }
    if let Some(block) = padded {
        step(load(&block));
    }
    flush(&mut counts, &mut bits, &mut totals);
    let [newlines, lower, upper, digits, spaces, bits] = totals;
    Classes { newlines, lower, upper, digits, spaces, non_ascii, bits, ascii }
}

pub fn adler32(data: &[u8]) -> u32 {
    const MOD: u32 = 65521;
    // The weight of each byte of a 16-byte block in the second sum.
    let weights_low = i16x8(16, 15, 14, 13, 12, 11, 10, 9);
    let weights_high = i16x8(8, 7, 6, 5, 4, 3, 2, 1);
    let (mut a, mut b) = (1u32, 0u32);
    // 5552 bytes keep the sums below 2^32 (the RFC's NMAX).
    for block in data.chunks(5552) {
        let chunks = block.chunks_exact(16);
        let tail = chunks.remainder();
        let n = chunks.len() as u32;
        // Per lane: byte sums, sums of the byte sums before each block
        // (each later multiplied by 16), and weighted byte sums.
        let (mut sums, mut prefix, mut weighted) = (i32x4_splat(0), i32x4_splat(0), i32x4_splat(0));
        for chunk in chunks {
            let v = load(chunk);
            prefix = i32x4_add(prefix, sums);
            sums = i32x4_add(sums, widen_u8_sums(v));
            let low = i32x4_dot_i16x8(u16x8_extend_low_u8x16(v), weights_low);
            let high = i32x4_dot_i16x8(u16x8_extend_high_u8x16(v), weights_high);
            weighted = i32x4_add(weighted, i32x4_add(low, high));
        }
        let lanes = |v: v128| sum_u32_lanes(v) as u32;
        b = b
            .wrapping_add(n.wrapping_mul(16).wrapping_mul(a))
            .wrapping_add(lanes(i32x4_shl(prefix, 4)))
            .wrapping_add(lanes(weighted));
        a = a.wrapping_add(lanes(sums));
        for &x in tail {
            a += u32::from(x);
            b += a;
        }
        a %= MOD;
        b %= MOD;
    }
    (b << 16) | a
}

pub fn swap_case(data: &[u8], out: &mut Vec<u8>) {
    let case_bit = u8x16_splat(0x20);
    map_blocks(data, out, |v| {
        let letter = u8x16_lt(u8x16_sub(v128_or(v, case_bit), u8x16_splat(b'a')), u8x16_splat(26));
        v128_bitselect(v128_xor(v, case_bit), v, letter)
    });
}

pub fn hash(data: &[u8]) -> u64 {
    let [s0, s1] = portable::HASH_SEEDS;
    let mut h = u64x2(s0, s1);
    let k = u64x2_splat(0x9e37_79b9_7f4a_7c15);
    let mut step = |v: v128| {
        let x = i64x2_mul(v128_xor(h, v), k);
        let x = v128_xor(x, u64x2_shr(x, 32));
        h = v128_or(i64x2_shl(x, 23), u64x2_shr(x, 41));
    };
    let (chunks, padded) = blocks(data);
    for chunk in chunks {
        step(load(chunk));
    }
    if let Some(block) = padded {
        step(load(&block));
    }
    portable::hash_finish([u64x2_extract_lane::<0>(h), u64x2_extract_lane::<1>(h)], data.len())
}

pub fn hex(data: &[u8], out: &mut Vec<u8>) {
    let digits = load(b"0123456789abcdef");
    out.clear();
    out.resize(2 * data.len(), 0);
    let encode = |v: v128, dst: &mut [u8]| {
        let high = u8x16_swizzle(digits, u8x16_shr(v, 4));
        let low = u8x16_swizzle(digits, v128_and(v, u8x16_splat(15)));
        store(
            &mut dst[..16],
            i8x16_shuffle::<0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23>(high, low),
        );
        store(
            &mut dst[16..],
            i8x16_shuffle::<8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31>(
                high, low,
            ),
        );
    };
    let (chunks, padded) = blocks(data);
    let done = data.len() - data.len() % 16;
    for (chunk, dst) in chunks.zip(out.chunks_exact_mut(32)) {
        encode(load(chunk), dst);
    }
    if let Some(block) = padded {
        let mut result = [0u8; 32];
        encode(load(&block), &mut result);
        out[2 * done..].copy_from_slice(&result[..2 * (data.len() - done)]);
    }
}

/// The four `f32x4` vectors of a block's bytes: bytes 0-3, 4-7, 8-11, 12-15.
fn quads(v: v128) -> [v128; 4] {
    let low = u16x8_extend_low_u8x16(v);
    let high = u16x8_extend_high_u8x16(v);
    [
        f32x4_convert_u32x4(u32x4_extend_low_u16x8(low)),
        f32x4_convert_u32x4(u32x4_extend_high_u16x8(low)),
        f32x4_convert_u32x4(u32x4_extend_low_u16x8(high)),
        f32x4_convert_u32x4(u32x4_extend_high_u16x8(high)),
    ]
}

pub fn float_stats(data: &[u8]) -> FloatStats {
    if data.is_empty() {
        return FloatStats::default();
    }
    let (mut sum, mut squares) = (f32x4_splat(0.0), f32x4_splat(0.0));
    let (mut min, mut max) = (f32x4_splat(f32::INFINITY), f32x4_splat(f32::NEG_INFINITY));
    // `valid`: how many bytes of the block are data; the padding adds zero
    // to the sums and is masked out of the minimum and maximum.
    let mut step = |v: v128, valid: u32| {
        let positions =
            [u32x4(0, 1, 2, 3), u32x4(4, 5, 6, 7), u32x4(8, 9, 10, 11), u32x4(12, 13, 14, 15)];
        for (q, position) in quads(v).into_iter().zip(positions) {
            let live = u32x4_lt(position, u32x4_splat(valid));
            sum = f32x4_add(sum, q);
            squares = f32x4_add(squares, f32x4_mul(q, q));
            min = f32x4_min(min, v128_bitselect(q, f32x4_splat(f32::INFINITY), live));
            max = f32x4_max(max, v128_bitselect(q, f32x4_splat(f32::NEG_INFINITY), live));
        }
    };
    let (chunks, padded) = blocks(data);
    for chunk in chunks {
        step(load(chunk), 16);
    }
    if let Some(block) = padded {
        step(load(&block), (data.len() % 16) as u32);
    }
    // Lanes 0 + 2 and 1 + 3 in f64, then the two.
    let total = |l: v128| {
        let low = f64x2_promote_low_f32x4(l);
        let high = f64x2_promote_low_f32x4(i64x2_shuffle::<1, 1>(l, l));
        let pair = f64x2_add(low, high);
        f64x2_extract_lane::<0>(pair) + f64x2_extract_lane::<1>(pair)
    };
    let (sum, squares) = (total(sum), total(squares));
    let means = f64x2_div(f64x2(sum, squares), f64x2_splat(data.len() as f64));
    let mean = f64x2_extract_lane::<0>(means);
    let mean_square = f64x2_extract_lane::<1>(means);
    let variance =
        f64x2_sub(f64x2_splat(mean_square), f64x2_replace_lane::<1>(f64x2_splat(mean * mean), 0.0));
    // pmax(0, x): x where 0 < x, else 0 (a negative rounding error).
    let roots = f64x2_sqrt(f64x2_pmax(f64x2_splat(0.0), variance));
    let fold_lanes = |v: v128, f: fn(f32, f32) -> f32| {
        f(
            f(f32x4_extract_lane::<0>(v), f32x4_extract_lane::<1>(v)),
            f(f32x4_extract_lane::<2>(v), f32x4_extract_lane::<3>(v)),
        )
    };
    FloatStats {
        sum,
        mean,
        stddev: f64x2_extract_lane::<0>(roots),
        rms: f64x2_extract_lane::<1>(roots),
        min: fold_lanes(min, f32::min),
        max: fold_lanes(max, f32::max),
    }
}

pub fn tone(data: &[u8], out: &mut Vec<u8>) {
    let scale = f32x4_splat(255.0);
    map_blocks(data, out, |v| {
        let [q0, q1, q2, q3] = quads(v).map(|q| {
            let curve = f32x4_mul(f32x4_sqrt(f32x4_div(q, scale)), scale);
            i32x4_trunc_sat_f32x4(f32x4_nearest(curve))
        });
        let curve = u8x16_narrow_i16x8(i16x8_narrow_i32x4(q0, q1), i16x8_narrow_i32x4(q2, q3));
        let avg = u8x16_avgr(v, curve);
        u8x16_sub_sat(u8x16_add_sat(avg, u8x16_shr(v, 3)), u8x16_splat(12))
    });
}

pub fn delta(data: &[u8], out: &mut Vec<u8>) {
    let mut prev = u8x16_splat(0);
    map_blocks(data, out, |v| {
        // The previous block's last byte, then this block's first fifteen.
        let shifted = i8x16_shuffle::<15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30>(
            prev, v,
        );
        prev = v;
        u8x16_sub(v, shifted)
    });
}

pub fn prefix_sum(data: &[u8], out: &mut Vec<u8>) {
    let zero = u8x16_splat(0);
    let mut carry = 0u8;
    map_blocks(data, out, |v| {
        // Log-step scan: add the vector shifted up by 1, 2, 4 and 8 lanes.
        let x = u8x16_add(
            v,
            i8x16_shuffle::<16, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14>(v, zero),
        );
        let x = u8x16_add(
            x,
            i8x16_shuffle::<16, 16, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13>(x, zero),
        );
        let x = u8x16_add(
            x,
            i8x16_shuffle::<16, 16, 16, 16, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11>(x, zero),
        );
        let x = u8x16_add(
            x,
            i8x16_shuffle::<16, 16, 16, 16, 16, 16, 16, 16, 0, 1, 2, 3, 4, 5, 6, 7>(x, zero),
        );
        let x = u8x16_add(x, u8x16_splat(carry));
        carry = u8x16_extract_lane::<15>(x);
        x
    });
}

pub fn samples(data: &[u8]) -> Samples {
    let mut s = Samples::new();
    let (mut min, mut max) = (i16x8_splat(i16::MAX), i16x8_splat(i16::MIN));
    let (mut abs, mut energy, mut q15) = (u32x4_splat(0), u64x2_splat(0), i64x2_splat(0));
    let gain = i16x8_splat(super::GAIN);
    let mut pending = 0;
    let mut chunks = data.chunks_exact(16);
    for chunk in &mut chunks {
        let v = load(chunk);
        min = i16x8_min(min, v);
        max = i16x8_max(max, v);
        // |i16::MIN| is 0x8000 read as u16.
        abs = i32x4_add(abs, u32x4_extadd_pairwise_u16x8(i16x8_abs(v)));
        s.negatives += u64::from(i16x8_bitmask(v).count_ones());
        let squares_low = i32x4_extmul_low_i16x8(v, v);
        let squares_high = i32x4_extmul_high_i16x8(v, v);
        for squares in [squares_low, squares_high] {
            energy = i64x2_add(energy, u64x2_extend_low_u32x4(squares));
            energy = i64x2_add(energy, u64x2_extend_high_u32x4(squares));
        }
        let scaled = i32x4_extadd_pairwise_i16x8(i16x8_q15mulr_sat(v, gain));
        q15 = i64x2_add(
            q15,
            i64x2_add(i64x2_extend_low_i32x4(scaled), i64x2_extend_high_i32x4(scaled)),
        );
        pending += 1;
        // Each block adds below 2^17 to a lane of `abs`.
        if pending == 1 << 14 {
            s.abs_sum += sum_u32_lanes(abs);
            abs = u32x4_splat(0);
            pending = 0;
        }
    }
    s.count = (data.len() / 16 * 8) as u64;
    s.abs_sum += sum_u32_lanes(abs);
    s.energy = u64x2_extract_lane::<0>(energy).wrapping_add(u64x2_extract_lane::<1>(energy));
    s.q15_sum = i64x2_extract_lane::<0>(q15) + i64x2_extract_lane::<1>(q15);
    for lane in [
        (i16x8_extract_lane::<0>(min), i16x8_extract_lane::<0>(max)),
        (i16x8_extract_lane::<1>(min), i16x8_extract_lane::<1>(max)),
        (i16x8_extract_lane::<2>(min), i16x8_extract_lane::<2>(max)),
        (i16x8_extract_lane::<3>(min), i16x8_extract_lane::<3>(max)),
        (i16x8_extract_lane::<4>(min), i16x8_extract_lane::<4>(max)),
        (i16x8_extract_lane::<5>(min), i16x8_extract_lane::<5>(max)),
        (i16x8_extract_lane::<6>(min), i16x8_extract_lane::<6>(max)),
        (i16x8_extract_lane::<7>(min), i16x8_extract_lane::<7>(max)),
    ] {
        s.min = s.min.min(lane.0);
        s.max = s.max.max(lane.1);
    }
    for pair in chunks.remainder().chunks_exact(2) {
        s.add(i16::from_le_bytes([pair[0], pair[1]]));
    }
    s
}

pub fn records(data: &[u8]) -> Records {
    let [f0, f1, f2, f3] = super::mix_factors(data.len());
    let factors = i32x4_replace_lane::<3>(u32x4(f0, f1, f2, 0), f3 as i32);
    let (mut low, mut high) = (u32x4_splat(0), u32x4_splat(0));
    let (mut mix, mut lanes) = (u32x4_splat(0), u64x2_splat(0));
    for record in data.chunks_exact(8) {
        // SAFETY: `record` holds 8 bytes: the loads read 8, 4 and 8 bytes of
        // it (no alignment requirement).
        let (columns, words, whole) = unsafe {
            (
                u16x8_load_extend_u8x8(record.as_ptr()),
                [
                    v128_load32_splat(record.as_ptr().cast()),
                    v128_load32_splat(record[4..].as_ptr().cast()),
                ],
                v128_load64_zero(record.as_ptr().cast()),
            )
        };
        low = i32x4_add(low, u32x4_extend_low_u16x8(columns));
        high = i32x4_add(high, u32x4_extend_high_u16x8(columns));
        for word in words {
            mix = i32x4_add(i32x4_mul(mix, u32x4_splat(31)), i32x4_mul(word, factors));
        }
        lanes = i64x2_add(lanes, whole);
        lanes = i8x16_shuffle::<8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7>(lanes, lanes);
    }
    let mut r = Records::default();
    let lanes_of = |v: v128| {
        [
            u32x4_extract_lane::<0>(v),
            u32x4_extract_lane::<1>(v),
            u32x4_extract_lane::<2>(v),
            u32x4_extract_lane::<3>(v),
        ]
    };
    r.columns[..4].copy_from_slice(&lanes_of(low));
    r.columns[4..].copy_from_slice(&lanes_of(high));
    r.mix = lanes_of(mix);
    let [lane0, lane1] = &mut r.lanes;
    // SAFETY: each store writes one u64 lane to a `u64` place.
    unsafe {
        v128_store64_lane::<0>(lanes, lane0);
        v128_store64_lane::<1>(lanes, lane1);
    }
    r
}

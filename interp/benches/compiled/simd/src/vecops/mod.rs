//! Byte and number kernels written with `core::arch::wasm32` SIMD
//! intrinsics (`simd128.rs`), each beside a portable version that computes
//! the same result one element at a time (`portable.rs`).
//!
//! A wasm32 build with `-C target-feature=+simd128` runs the intrinsics;
//! every other build (the native x86_64 one that `build.sh` records output
//! from, and wasm32 without SIMD) runs the portable code. So a program
//! using this module prints the same on interp as natively only if interp
//! executes every SIMD instruction the kernels use as the specification
//! says: loads (whole, splat, zero, extending), stores (whole and lane),
//! shuffles and swizzles, lane extract, replace and splat, integer
//! arithmetic in every lane width (wrapping, saturating, widening,
//! pairwise, dot product, Q15 multiply, narrowing), comparisons, bitmasks,
//! popcount, all/any true, bitwise select, shifts, and `f32x4`/`f64x2`
//! arithmetic, rounding, conversion and promotion.
//!
//! [`Report`] runs every kernel over one buffer; `simd_stat` prints it per
//! file and `simd_kernels` folds it into a checksum.

pub mod portable;
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
pub mod simd128;

#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
use simd128 as imp;

#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
use portable as imp;

use bench_guests::fold;

/// Whether this build runs the SIMD kernels.
pub const SIMD: bool = cfg!(all(target_arch = "wasm32", target_feature = "simd128"));

/// Counts of byte classes (`spaces` are space, tab, newline and carriage
/// return; `bits` counts one bits).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Classes {
    pub newlines: u64,
    pub lower: u64,
    pub upper: u64,
    pub digits: u64,
    pub spaces: u64,
    pub non_ascii: u64,
    pub bits: u64,
    pub ascii: bool,
}

/// The bytes as `f32` samples.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FloatStats {
    pub sum: f64,
    pub mean: f64,
    pub stddev: f64,
    pub rms: f64,
    pub min: f32,
    pub max: f32,
}

/// The bytes as little-endian `i16` samples (a last odd byte is ignored);
/// `q15_sum` sums each sample times [`GAIN`] in Q15 with rounding.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Samples {
    pub count: u64,
    pub min: i16,
    pub max: i16,
    pub abs_sum: u64,
    pub negatives: u64,
    pub energy: u64,
    pub q15_sum: i64,
}

/// The bytes as 8-byte records (a last partial record is ignored): the sum
/// of each column, four multiply-add mixes of the records' 32-bit words,
/// and the records as `u64`s summed into two lanes that swap after each.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Records {
    pub columns: [u32; 8],
    pub mix: [u32; 4],
    pub lanes: [u64; 2],
}

/// The Q15 gain of [`Samples::q15_sum`] (0.75).
pub const GAIN: i16 = 0x6000;

/// `a * b` in Q15, rounded, saturated (`i16x8.q15mulr_sat_s`).
fn q15_mul(a: i16, b: i16) -> i16 {
    ((i32::from(a) * i32::from(b) + 0x4000) >> 15).clamp(-32768, 32767) as i16
}

/// The factor of each mix lane of [`Records`]; the last depends on the
/// data's length.
fn mix_factors(len: usize) -> [u32; 4] {
    [1, 3, 5, len as u32 | 1]
}

/// The tone curve applied by `tone`: the average (rounding up) of the byte
/// and its square-root curve `round(sqrt(b / 255) * 255)`, plus an eighth of
/// the byte, minus 12, saturating.
fn tone_byte(b: u8) -> u8 {
    let curve = ((f32::from(b) / 255.0).sqrt() * 255.0).round_ties_even() as u8;
    let avg = ((u16::from(b) + u16::from(curve) + 1) >> 1) as u8;
    avg.saturating_add(b >> 3).saturating_sub(12)
}

pub fn classes(data: &[u8]) -> Classes {
    imp::classes(data)
}

pub fn adler32(data: &[u8]) -> u32 {
    imp::adler32(data)
}

pub fn swap_case(data: &[u8], out: &mut Vec<u8>) {
    imp::swap_case(data, out)
}

pub fn hash(data: &[u8]) -> u64 {
    imp::hash(data)
}

pub fn hex(data: &[u8], out: &mut Vec<u8>) {
    imp::hex(data, out)
}

pub fn float_stats(data: &[u8]) -> FloatStats {
    imp::float_stats(data)
}

pub fn tone(data: &[u8], out: &mut Vec<u8>) {
    imp::tone(data, out)
}

pub fn delta(data: &[u8], out: &mut Vec<u8>) {
    imp::delta(data, out)
}

pub fn prefix_sum(data: &[u8], out: &mut Vec<u8>) {
    imp::prefix_sum(data, out)
}

pub fn samples(data: &[u8]) -> Samples {
    imp::samples(data)
}

pub fn records(data: &[u8]) -> Records {
    imp::records(data)
}

/// Every kernel's result for one buffer.
#[derive(Clone, Debug, PartialEq)]
pub struct Report {
    pub len: usize,
    pub classes: Classes,
    pub adler32: u32,
    pub hash: u64,
    /// Hashes of the swapped-case, hex, tone and delta outputs.
    pub swap_case_hash: u64,
    pub hex_hash: u64,
    pub tone_hash: u64,
    pub delta_hash: u64,
    /// `prefix_sum(delta(data)) == data`.
    pub round_trip: bool,
    /// The hex of the first 16 bytes.
    pub head_hex: String,
    pub floats: FloatStats,
    pub samples: Samples,
    pub records: Records,
}

impl Report {
    pub fn new(data: &[u8]) -> Report {
        let mut out = Vec::with_capacity(2 * data.len());
        let mut back = Vec::with_capacity(data.len());
        swap_case(data, &mut out);
        let swap_case_hash = hash(&out);
        tone(data, &mut out);
        let tone_hash = hash(&out);
        delta(data, &mut out);
        let delta_hash = hash(&out);
        prefix_sum(&out, &mut back);
        let round_trip = back == data;
        hex(&data[..data.len().min(16)], &mut out);
        let head_hex = String::from_utf8(out.clone()).expect("hex digits");
        hex(data, &mut out);
        let hex_hash = hash(&out);
        Report {
            len: data.len(),
            classes: classes(data),
            adler32: adler32(data),
            hash: hash(data),
            swap_case_hash,
            hex_hash,
            tone_hash,
            delta_hash,
            round_trip,
            head_hex,
            floats: float_stats(data),
            samples: samples(data),
            records: records(data),
        }
    }

    /// The report as lines of text, each starting with two spaces.
    pub fn lines(&self) -> Vec<String> {
        let c = &self.classes;
        let f = &self.floats;
        let s = &self.samples;
        let r = &self.records;
        vec![
            format!(
                "  bytes {}: lines {}, lower {}, upper {}, digits {}, spaces {}, non-ASCII {}, one bits {}, all ASCII {}",
                self.len,
                c.newlines,
                c.lower,
                c.upper,
                c.digits,
                c.spaces,
                c.non_ascii,
                c.bits,
                c.ascii
            ),
            format!(
                "  adler32 {:08x}, hash {:016x}, swapped case {:016x}, hex {:016x}, tone {:016x}, delta {:016x}, round trip {}",
                self.adler32,
                self.hash,
                self.swap_case_hash,
                self.hex_hash,
                self.tone_hash,
                self.delta_hash,
                if self.round_trip { "ok" } else { "FAILED" }
            ),
            format!("  head {}", self.head_hex),
            format!(
                "  as f32: sum {}, mean {:.6}, stddev {:.6}, rms {:.6}, min {}, max {} (mean bits {:016x})",
                f.sum,
                f.mean,
                f.stddev,
                f.rms,
                f.min,
                f.max,
                f.mean.to_bits()
            ),
            format!(
                "  as i16: {} samples, min {}, max {}, sum of |x| {}, negative {}, energy {}, q15 sum {}",
                s.count, s.min, s.max, s.abs_sum, s.negatives, s.energy, s.q15_sum
            ),
            format!(
                "  records: columns {:?}, mix {:08x?}, lanes {:016x?}",
                r.columns, r.mix, r.lanes
            ),
        ]
    }

    /// Folds every field into a checksum (see [`fold`]).
    pub fn fold(&self, h: u64) -> u64 {
        let c = &self.classes;
        let f = &self.floats;
        let s = &self.samples;
        let r = &self.records;
        let mut words = vec![
            self.len as u64,
            c.newlines,
            c.lower,
            c.upper,
            c.digits,
            c.spaces,
            c.non_ascii,
            c.bits,
            u64::from(c.ascii),
            u64::from(self.adler32),
            self.hash,
            self.swap_case_hash,
            self.hex_hash,
            self.tone_hash,
            self.delta_hash,
            u64::from(self.round_trip),
            f.sum.to_bits(),
            f.mean.to_bits(),
            f.stddev.to_bits(),
            f.rms.to_bits(),
            u64::from(f.min.to_bits()),
            u64::from(f.max.to_bits()),
            s.count,
            s.min as u64,
            s.max as u64,
            s.abs_sum,
            s.negatives,
            s.energy,
            s.q15_sum as u64,
        ];
        words.extend(r.columns.iter().chain(&r.mix).map(|&x| u64::from(x)));
        words.extend(r.lanes);
        words.into_iter().fold(h, fold)
    }
}

//! Line-oriented text search with the `memchr` crate, shared by `simd_grep`
//! (files) and `simd_memchr` (generated text).
//!
//! Substrings are found with `memchr::memmem::Finder`, line boundaries and
//! counts with `memchr`, `memrchr`, `memchr2` and `memchr3`. Built for
//! wasm32 with `-C target-feature=+simd128`, memchr takes its `simd128`
//! code (`memchr/src/arch/wasm32/simd128/`: `i8x16.eq`, `i8x16.bitmask`
//! and friends over 16-byte blocks) for all of these; natively it takes its
//! SSE2/AVX2 code. The results are the same.

use std::ops::Range;

use memchr::memmem::Finder;
use memchr::{memchr, memchr_iter, memchr2_iter, memchr3_iter, memrchr};

/// What one buffer holds and where the patterns occur in it.
#[derive(Debug, Default)]
pub struct Scan {
    /// Lines, counting a last line without a newline.
    pub lines: u64,
    /// `.`, `!` and `?` bytes.
    pub sentence_ends: u64,
    /// `(` and `)` bytes.
    pub parens: u64,
    /// Non-overlapping occurrences of each pattern, summed.
    pub matches: u64,
    /// The lines holding an occurrence of any pattern: their 1-based number
    /// and their bytes' range (without the newline).
    pub matching: Vec<(u64, Range<usize>)>,
}

/// Builds one finder per pattern; empty patterns are refused.
pub fn finders<'p>(patterns: &'p [Vec<u8>]) -> Result<Vec<Finder<'p>>, String> {
    if let Some(i) = patterns.iter().position(Vec::is_empty) {
        return Err(format!("pattern {} is empty", i + 1));
    }
    Ok(patterns.iter().map(Finder::new).collect())
}

pub fn scan(data: &[u8], finders: &[Finder<'_>]) -> Scan {
    let newlines = memchr_iter(b'\n', data).count();
    let unterminated = data.last().is_some_and(|&b| b != b'\n');
    let mut scan = Scan {
        lines: (newlines + usize::from(unterminated)) as u64,
        sentence_ends: memchr3_iter(b'.', b'!', b'?', data).count() as u64,
        parens: memchr2_iter(b'(', b')', data).count() as u64,
        matches: finders.iter().map(|f| f.find_iter(data).count() as u64).sum(),
        matching: Vec::new(),
    };
    // The next occurrence of each pattern at or after `pos` (None: no more).
    let mut next: Vec<Option<usize>> = finders.iter().map(|f| f.find(data)).collect();
    let (mut line, mut counted) = (1, 0);
    while let Some(hit) = next.iter().flatten().copied().min() {
        let start = memrchr(b'\n', &data[..hit]).map_or(0, |i| i + 1);
        let end = memchr(b'\n', &data[hit..]).map_or(data.len(), |i| hit + i);
        line += memchr_iter(b'\n', &data[counted..start]).count() as u64;
        counted = start;
        scan.matching.push((line, start..end));
        let pos = end + 1;
        for (slot, finder) in next.iter_mut().zip(finders) {
            if slot.is_some_and(|at| at < pos) {
                *slot = data.get(pos..).and_then(|rest| finder.find(rest)).map(|i| pos + i);
            }
        }
    }
    scan
}

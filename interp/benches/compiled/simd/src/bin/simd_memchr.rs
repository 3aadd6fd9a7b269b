//! Text search with the `memchr` crate's SIMD code (see
//! `simd_guests::search`, the core of `simd_grep`): SIZE KiB of generated
//! text searched for six sets of patterns (common and rare words, a long
//! phrase, a pattern that never occurs, one byte), counting lines, sentence
//! ends, parentheses and matches and finding every matching line. Built
//! with `-C target-feature=+simd128`. Checksum: counts, line numbers and
//! line ranges folded.

use bench_guests::{Rng, fold, print_checksum, size_arg};
use simd_guests::search::{finders, scan};

/// Words of random letters, some capitalised, with punctuation and
/// newlines; a few fixed words and a phrase are mixed in rarely. One random
/// number per word, so that the search, not the generator, dominates.
fn generate_text(len: usize) -> Vec<u8> {
    let mut rng = Rng::new(2);
    let mut words: Vec<Vec<u8>> = (0..800)
        .map(|_| (0..2 + rng.below(9)).map(|_| b'a' + rng.below(26) as u8).collect())
        .collect();
    for fixed in ["needle", "haystack", "vector", "(lane)"] {
        words.push(fixed.as_bytes().to_vec());
    }
    let mut text = Vec::with_capacity(len + 64);
    while text.len() < len {
        let r = rng.next_u64();
        match r % 4000 {
            0 => text.extend_from_slice(b"the quick brown fox jumps over the lazy dog"),
            1..=40 => text.extend_from_slice(&words[800 + (r >> 12) as usize % 4]),
            _ => {
                // Skewed: low-numbered words are picked more often.
                let bound = (r >> 12) % 800 + 1;
                let word = &words[((r >> 22) % bound) as usize];
                if (r >> 32).is_multiple_of(10) {
                    text.push(word[0].to_ascii_uppercase());
                    text.extend_from_slice(&word[1..]);
                } else {
                    text.extend_from_slice(word);
                }
            }
        }
        text.push(match (r >> 40) % 24 {
            0 => b'.',
            1 => b'\n',
            2 => b',',
            3 => b'?',
            _ => b' ',
        });
    }
    text.truncate(len);
    text
}

fn main() {
    let len = size_arg() as usize * 1024;
    let text = generate_text(len);
    let sets: [&[&str]; 6] = [
        &["needle"],
        &["haystack", "vector"],
        &["the quick brown fox jumps over the lazy dog"],
        &["(lane)", "Needle"],
        &["never occurs here"],
        &["?"],
    ];
    let mut checksum = 0;
    for set in sets {
        let patterns: Vec<Vec<u8>> = set.iter().map(|p| p.as_bytes().to_vec()).collect();
        let finders = finders(&patterns).expect("patterns are not empty");
        let found = scan(&text, &finders);
        for x in [found.lines, found.sentence_ends, found.parens, found.matches] {
            checksum = fold(checksum, x);
        }
        checksum = fold(checksum, found.matching.len() as u64);
        for (line, range) in &found.matching {
            checksum = fold(checksum, line ^ ((range.start as u64) << 20) ^ range.end as u64);
        }
    }
    print_checksum(checksum);
}

//! Compression: an LZ77 compressor (hash chains over a 32 KiB window) and
//! its decompressor, round trip over SIZE KiB of generated text. Checksum:
//! the compressed length and a fold over the compressed bytes.
//!
//! Format: a token byte `c`; below 0x80 it is followed by `c + 1` literal
//! bytes, otherwise it is a match of length `(c & 0x7f) + MIN_MATCH` whose
//! distance minus one follows as two little-endian bytes.

use bench_guests::{Rng, fold, print_checksum, size_arg};

const WINDOW: usize = 1 << 15;
const MIN_MATCH: usize = 4;
const MAX_MATCH: usize = 0x7f + MIN_MATCH;
const MAX_LITERALS: usize = 0x80;
const HASH_BITS: u32 = 15;
const CHAIN_LIMIT: usize = 24;

/// Words of random letters, strung together with a skewed choice so that
/// some recur often (like text) and some rarely.
fn generate_text(len: usize) -> Vec<u8> {
    let mut rng = Rng::new(77);
    let words: Vec<Vec<u8>> = (0..600)
        .map(|_| (0..2 + rng.below(8)).map(|_| b'a' + rng.below(26) as u8).collect())
        .collect();
    let mut text = Vec::with_capacity(len + 16);
    while text.len() < len {
        let bound = rng.below(words.len() as u64) + 1;
        let pick = rng.below(bound) as usize;
        text.extend_from_slice(&words[pick]);
        text.push(match rng.below(20) {
            0 => b'.',
            1 => b'\n',
            2 => b',',
            _ => b' ',
        });
    }
    text.truncate(len);
    text
}

fn hash4(bytes: &[u8]) -> usize {
    let v = u32::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]);
    (v.wrapping_mul(0x9e37_79b1) >> (32 - HASH_BITS)) as usize
}

fn flush_literals(out: &mut Vec<u8>, literals: &[u8]) {
    for chunk in literals.chunks(MAX_LITERALS) {
        out.push((chunk.len() - 1) as u8);
        out.extend_from_slice(chunk);
    }
}

fn compress(input: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(input.len() / 2);
    // Positions are stored plus one, so 0 means "none".
    let mut head = vec![0u32; 1 << HASH_BITS];
    let mut prev = vec![0u32; WINDOW];
    let mut literal_start = 0;
    let mut pos = 0;
    let insert = |head: &mut [u32], prev: &mut [u32], at: usize| {
        let h = hash4(&input[at..]);
        prev[at % WINDOW] = head[h];
        head[h] = at as u32 + 1;
    };
    while pos + MIN_MATCH <= input.len() {
        let (mut best_len, mut best_dist) = (0, 0);
        let mut candidate = head[hash4(&input[pos..])];
        let limit = (input.len() - pos).min(MAX_MATCH);
        let mut chain = 0;
        while candidate != 0 && chain < CHAIN_LIMIT {
            let at = candidate as usize - 1;
            let dist = pos - at;
            if dist > WINDOW {
                break;
            }
            let len = input[at..at + limit]
                .iter()
                .zip(&input[pos..pos + limit])
                .take_while(|(a, b)| a == b)
                .count();
            if len > best_len {
                (best_len, best_dist) = (len, dist);
                if len == limit {
                    break;
                }
            }
            candidate = prev[at % WINDOW];
            chain += 1;
        }
        if best_len >= MIN_MATCH {
            flush_literals(&mut out, &input[literal_start..pos]);
            out.push(0x80 | (best_len - MIN_MATCH) as u8);
            out.extend_from_slice(&((best_dist - 1) as u16).to_le_bytes());
            for at in pos..(pos + best_len).min(input.len() - MIN_MATCH + 1) {
                insert(&mut head, &mut prev, at);
            }
            pos += best_len;
            literal_start = pos;
        } else {
            insert(&mut head, &mut prev, pos);
            pos += 1;
        }
    }
    flush_literals(&mut out, &input[literal_start..]);
    out
}

fn decompress(mut data: &[u8], expected_len: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(expected_len);
    while let [token, rest @ ..] = data {
        let token = *token as usize;
        if token < 0x80 {
            out.extend_from_slice(&rest[..token + 1]);
            data = &rest[token + 1..];
        } else {
            let len = (token & 0x7f) + MIN_MATCH;
            let dist = u16::from_le_bytes([rest[0], rest[1]]) as usize + 1;
            let start = out.len() - dist;
            for i in 0..len {
                out.push(out[start + i]);
            }
            data = &rest[2..];
        }
    }
    out
}

fn main() {
    let len = size_arg() as usize * 1024;
    let text = generate_text(len);
    let packed = compress(&text);
    let unpacked = decompress(&packed, text.len());
    assert!(unpacked == text, "round trip failed");
    let mut checksum = fold(0, packed.len() as u64);
    for chunk in packed.chunks(8) {
        let mut word = [0u8; 8];
        word[..chunk.len()].copy_from_slice(chunk);
        checksum = fold(checksum, u64::from_le_bytes(word));
    }
    print_checksum(checksum);
}

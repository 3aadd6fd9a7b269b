//! Deep recursion: SIZE rounds of Ackermann's function A(2, n) (recursion
//! about 2n frames deep), recursive traversals of a tree with a 400-node
//! spine (building, summing, measuring and mirroring it, each recursing
//! down the spine), and Takeuchi's function. The deepest chain stays under
//! 600 frames, because wasmi's command line allows 1000. Checksum: a fold
//! over every result.

use bench_guests::{fold, print_checksum, size_arg};

const SPINE: u32 = 400;

fn ackermann(m: u64, n: u64) -> u64 {
    match (m, n) {
        (0, n) => n + 1,
        (m, 0) => ackermann(m - 1, 1),
        (m, n) => ackermann(m - 1, ackermann(m, n - 1)),
    }
}

fn tak(x: i32, y: i32, z: i32) -> i32 {
    if y < x { tak(tak(x - 1, y, z), tak(y - 1, z, x), tak(z - 1, x, y)) } else { z }
}

struct Node {
    value: u64,
    left: Option<Box<Node>>,
    right: Option<Box<Node>>,
}

/// A spine `depth` nodes long down the left, each spine node carrying a
/// complete right subtree of height 3.
fn build(depth: u32, seed: u64) -> Option<Box<Node>> {
    if depth == 0 {
        return None;
    }
    Some(Box::new(Node {
        value: seed.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 40,
        left: build(depth - 1, seed + 1),
        right: bush(3, seed ^ 0xabc),
    }))
}

fn bush(height: u32, seed: u64) -> Option<Box<Node>> {
    if height == 0 {
        return None;
    }
    Some(Box::new(Node {
        value: seed % 1000,
        left: bush(height - 1, seed.wrapping_mul(3) + 1),
        right: bush(height - 1, seed.wrapping_mul(5) + 2),
    }))
}

fn sum(node: &Option<Box<Node>>, round: u64) -> u64 {
    match node {
        None => round,
        Some(n) => {
            (n.value ^ round).wrapping_add(sum(&n.left, round)).wrapping_add(sum(&n.right, round))
        }
    }
}

fn height(node: &Option<Box<Node>>) -> u32 {
    match node {
        None => 0,
        Some(n) => 1 + height(&n.left).max(height(&n.right)),
    }
}

fn mirror(node: &mut Option<Box<Node>>) {
    if let Some(n) = node {
        mirror(&mut n.left);
        mirror(&mut n.right);
        std::mem::swap(&mut n.left, &mut n.right);
    }
}

/// Leftmost value after a number of mirrorings: checks they really happened.
fn leftmost(node: &Option<Box<Node>>) -> u64 {
    match node {
        None => 0,
        Some(n) if n.left.is_none() => n.value,
        Some(n) => leftmost(&n.left),
    }
}

fn main() {
    let rounds = size_arg();
    let mut checksum = 0u64;
    let mut tree = build(SPINE, 1);
    for round in 0..rounds {
        checksum = fold(checksum, ackermann(2, 250 + round % 40));
        checksum = fold(checksum, sum(&tree, round));
        checksum = fold(checksum, u64::from(height(&tree)));
        mirror(&mut tree);
        checksum = fold(checksum, leftmost(&tree));
        if round % 16 == 15 {
            tree = build(SPINE, round);
        }
        checksum = fold(checksum, tak(12 + (round % 3) as i32, 8, 4) as u64);
    }
    print_checksum(checksum);
}

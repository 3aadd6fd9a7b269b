//! std collections: SIZE operations of a small event-processing workload on
//! `HashMap` (string keys and integer keys), `BTreeMap` range queries,
//! `BinaryHeap` scheduling, `VecDeque` windows and `HashSet` membership.
//! The hashers use fixed keys and nothing depends on hash-table iteration
//! order, so the result is the same on every platform. Checksum: a fold
//! over the state after every 1024th operation and at the end.

use std::collections::{BTreeMap, BinaryHeap, HashMap, HashSet, VecDeque};
use std::hash::{BuildHasherDefault, DefaultHasher};

use bench_guests::{Rng, fold, print_checksum, size_arg};

type Fixed = BuildHasherDefault<DefaultHasher>;

fn name(id: u64) -> String {
    format!("user-{:x}-{}", id * 2_654_435_761 % 100_003, id % 7)
}

fn main() {
    let ops = size_arg();
    let mut rng = Rng::new(5);
    let mut by_name: HashMap<String, u64, Fixed> = HashMap::default();
    let mut by_id: HashMap<u64, Vec<u32>, Fixed> = HashMap::default();
    let mut timeline: BTreeMap<u64, u64> = BTreeMap::new();
    let mut queue: BinaryHeap<(u64, u64)> = BinaryHeap::new();
    let mut window: VecDeque<u64> = VecDeque::new();
    let mut seen: HashSet<u64, Fixed> = HashSet::default();
    let mut checksum = 0u64;
    let mut window_sum = 0u64;
    let mut clock = 0u64;

    for op in 0..ops {
        let id = rng.below(20_000);
        clock += 1 + rng.below(5);
        match rng.below(8) {
            0 | 1 => {
                *by_name.entry(name(id)).or_insert(0) += clock;
            }
            2 => {
                let list = by_id.entry(id).or_default();
                list.push(clock as u32);
                if list.len() > 8 {
                    list.remove(0);
                }
            }
            3 => {
                timeline.insert(clock, id);
                if timeline.len() > 4096 {
                    timeline.pop_first();
                }
                let from = clock.saturating_sub(200);
                checksum = fold(checksum, timeline.range(from..).map(|(_, &v)| v).sum());
            }
            4 => queue.push((id ^ clock, id)),
            5 => {
                if let Some((_, id)) = queue.pop() {
                    checksum = fold(checksum, by_name.get(&name(id)).copied().unwrap_or(id));
                }
            }
            6 => {
                window.push_back(id);
                window_sum += id;
                if window.len() > 100 {
                    window_sum -= window.pop_front().unwrap();
                }
            }
            _ => {
                if !seen.insert(id) {
                    seen.remove(&(id / 2));
                }
            }
        }
        if op % 1024 == 0 {
            checksum = fold(checksum, window_sum ^ (seen.len() as u64) << 32);
        }
    }

    // Order-independent summaries of the hash tables.
    let names: u64 =
        by_name.iter().map(|(k, &v)| fold(k.len() as u64, v)).fold(0, u64::wrapping_add);
    let ids: u64 = by_id
        .iter()
        .map(|(&k, v)| fold(k, v.iter().map(|&x| u64::from(x)).sum()))
        .fold(0, u64::wrapping_add);
    let set: u64 = seen.iter().map(|&x| fold(x, 1)).fold(0, u64::wrapping_add);
    checksum = fold(checksum, names);
    checksum = fold(checksum, ids);
    checksum = fold(checksum, set);
    checksum = fold(checksum, queue.len() as u64 | (timeline.len() as u64) << 32);
    print_checksum(checksum);
}

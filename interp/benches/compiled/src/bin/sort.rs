//! Sorting: SIZE random u32s sorted four ways (our quicksort, our heapsort,
//! std's unstable sort, std's stable sort of key/index pairs), each result
//! checked against the others. Checksum: a fold over the sorted values and
//! the stable sort's index order.

use bench_guests::{Rng, fold, print_checksum, size_arg};

/// Median-of-three quicksort with insertion sort below 16 elements; recurses
/// into the smaller half so the depth stays logarithmic.
fn quicksort(mut v: &mut [u32]) {
    while v.len() > 16 {
        let (a, b, c) = (0, v.len() / 2, v.len() - 1);
        let mid = if (v[a] <= v[b]) == (v[b] <= v[c]) {
            b
        } else if (v[b] <= v[a]) == (v[a] <= v[c]) {
            a
        } else {
            c
        };
        v.swap(mid, c);
        let pivot = v[c];
        let mut store = 0;
        for i in 0..c {
            if v[i] < pivot {
                v.swap(i, store);
                store += 1;
            }
        }
        v.swap(store, c);
        let (left, right) = v.split_at_mut(store);
        let right = &mut right[1..];
        if left.len() < right.len() {
            quicksort(left);
            v = right;
        } else {
            quicksort(right);
            v = left;
        }
    }
    insertion_sort(v);
}

fn insertion_sort(v: &mut [u32]) {
    for i in 1..v.len() {
        let x = v[i];
        let mut j = i;
        while j > 0 && v[j - 1] > x {
            v[j] = v[j - 1];
            j -= 1;
        }
        v[j] = x;
    }
}

fn sift_down(v: &mut [u32], mut root: usize, end: usize) {
    loop {
        let mut child = 2 * root + 1;
        if child >= end {
            return;
        }
        if child + 1 < end && v[child] < v[child + 1] {
            child += 1;
        }
        if v[root] >= v[child] {
            return;
        }
        v.swap(root, child);
        root = child;
    }
}

fn heapsort(v: &mut [u32]) {
    for root in (0..v.len() / 2).rev() {
        sift_down(v, root, v.len());
    }
    for end in (1..v.len()).rev() {
        v.swap(0, end);
        sift_down(v, 0, end);
    }
}

fn main() {
    let n = size_arg() as usize;
    let mut rng = Rng::new(7);
    // Values from a range a little smaller than n, so there are duplicates.
    let range = (n as u64 * 3 / 4).max(1);
    let input: Vec<u32> = (0..n).map(|_| rng.below(range) as u32).collect();

    let mut quick = input.clone();
    quicksort(&mut quick);
    let mut heap = input.clone();
    heapsort(&mut heap);
    let mut unstable = input.clone();
    unstable.sort_unstable();
    let mut pairs: Vec<(u32, u32)> =
        input.iter().enumerate().map(|(i, &x)| (x, i as u32)).collect();
    pairs.sort_by_key(|&(x, _)| x);

    assert!(quick == heap && heap == unstable, "the sorts disagree");
    assert!(pairs.iter().zip(&unstable).all(|(p, &x)| p.0 == x), "stable sort disagrees");
    let mut checksum = 0;
    for (i, &x) in quick.iter().enumerate().step_by(97) {
        checksum = fold(checksum, (i as u64) << 32 | u64::from(x));
    }
    for p in pairs.iter().step_by(89) {
        checksum = fold(checksum, u64::from(p.1));
    }
    print_checksum(checksum);
}

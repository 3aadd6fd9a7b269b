//! Heavy indirect calls: SIZE samples pushed through a chain of sixteen
//! signal-processing stages held as `Box<dyn Stage>` (eight kinds), then
//! through a table of `fn(u64) -> u64` chosen by the data, and a vector of
//! boxed closures. Every sample makes about 30 indirect calls. Checksum: a
//! fold over the outputs and the stages' final state.

use bench_guests::{Rng, fold, print_checksum, size_arg};

trait Stage {
    fn process(&mut self, x: i64) -> i64;
    fn state(&self) -> u64;
}

struct Gain(i64);
struct Offset(i64);
struct Clamp(i64, i64);
struct Delay([i64; 4], usize);
struct MovingSum(i64, [i64; 8], usize);
struct Integrator(i64);
struct Differentiator(i64);
struct Counter(u64, i64);

impl Stage for Gain {
    fn process(&mut self, x: i64) -> i64 {
        x.wrapping_mul(self.0) >> 2
    }
    fn state(&self) -> u64 {
        self.0 as u64
    }
}

impl Stage for Offset {
    fn process(&mut self, x: i64) -> i64 {
        x.wrapping_add(self.0)
    }
    fn state(&self) -> u64 {
        self.0 as u64
    }
}

impl Stage for Clamp {
    fn process(&mut self, x: i64) -> i64 {
        x.clamp(self.0, self.1)
    }
    fn state(&self) -> u64 {
        (self.1 - self.0) as u64
    }
}

impl Stage for Delay {
    fn process(&mut self, x: i64) -> i64 {
        let out = self.0[self.1];
        self.0[self.1] = x;
        self.1 = (self.1 + 1) % self.0.len();
        out
    }
    fn state(&self) -> u64 {
        self.0.iter().fold(0, |h, &v| fold(h, v as u64))
    }
}

impl Stage for MovingSum {
    fn process(&mut self, x: i64) -> i64 {
        self.0 = self.0.wrapping_add(x).wrapping_sub(self.1[self.2]);
        self.1[self.2] = x;
        self.2 = (self.2 + 1) % self.1.len();
        self.0 >> 3
    }
    fn state(&self) -> u64 {
        self.0 as u64
    }
}

impl Stage for Integrator {
    fn process(&mut self, x: i64) -> i64 {
        self.0 = self.0.wrapping_add(x) - (self.0 >> 4);
        self.0
    }
    fn state(&self) -> u64 {
        self.0 as u64
    }
}

impl Stage for Differentiator {
    fn process(&mut self, x: i64) -> i64 {
        let d = x.wrapping_sub(self.0);
        self.0 = x;
        d
    }
    fn state(&self) -> u64 {
        self.0 as u64
    }
}

impl Stage for Counter {
    fn process(&mut self, x: i64) -> i64 {
        if x > self.1 {
            self.0 += 1;
        }
        self.1 = x;
        x
    }
    fn state(&self) -> u64 {
        self.0
    }
}

fn make_stage(kind: u64, rng: &mut Rng) -> Box<dyn Stage> {
    let k = rng.below(7) as i64 + 2;
    match kind {
        0 => Box::new(Gain(k)),
        1 => Box::new(Offset(k * 1000 - 4000)),
        2 => Box::new(Clamp(-(k << 20), k << 20)),
        3 => Box::new(Delay([0; 4], 0)),
        4 => Box::new(MovingSum(0, [0; 8], 0)),
        5 => Box::new(Integrator(0)),
        6 => Box::new(Differentiator(0)),
        _ => Box::new(Counter(0, 0)),
    }
}

fn rot(x: u64) -> u64 {
    x.rotate_left(13) ^ 0x1234
}
fn mul(x: u64) -> u64 {
    x.wrapping_mul(0x9e37_79b9)
}
fn xsh(x: u64) -> u64 {
    x ^ (x >> 7)
}
fn add(x: u64) -> u64 {
    x.wrapping_add(0xdead_beef)
}
fn not(x: u64) -> u64 {
    !x
}
fn swap(x: u64) -> u64 {
    x.swap_bytes()
}
fn pop(x: u64) -> u64 {
    x.wrapping_add(u64::from(x.count_ones()))
}
fn sub(x: u64) -> u64 {
    x.wrapping_sub(x >> 3)
}

const TABLE: [fn(u64) -> u64; 8] = [rot, mul, xsh, add, not, swap, pop, sub];

fn main() {
    let samples = size_arg();
    let mut rng = Rng::new(9);
    let mut stages: Vec<Box<dyn Stage>> =
        (0..16).map(|i| make_stage((i * 5) % 8, &mut rng)).collect();
    let closures: Vec<Box<dyn Fn(u64) -> u64>> = (0..4u64)
        .map(|i| {
            let k = rng.next_u64() | 1;
            Box::new(move |x: u64| (x ^ k).wrapping_mul(k).rotate_right(i as u32 + 5))
                as Box<dyn Fn(u64) -> u64>
        })
        .collect();
    let mut checksum = 0u64;
    let mut signal = 0i64;
    for n in 0..samples {
        // A wandering input signal.
        signal = signal.wrapping_add((n as i64 % 200) - 100) ^ ((n as i64 & 0xff) << 8);
        let mut x = signal;
        for stage in stages.iter_mut() {
            x = stage.process(x);
        }
        let mut h = x as u64;
        for _ in 0..8 {
            h = TABLE[(h & 7) as usize](h);
        }
        for f in &closures {
            h = f(h);
        }
        checksum = checksum.wrapping_add(h);
    }
    for stage in &stages {
        checksum = fold(checksum, stage.state());
    }
    print_checksum(checksum);
}

//! f64 numerics: a softened gravitational n-body simulation of 24 bodies
//! with seeded random masses, positions and velocities, stepped SIZE times
//! (kick-drift, all pairs each step). Only IEEE 754 basic operations and
//! `sqrt` are used, so every platform computes the same bits. Checksum: a
//! fold over the final energy and positions.

use bench_guests::{Rng, fold, print_checksum, size_arg};

const BODIES: usize = 24;
const DT: f64 = 0.001;
const SOFTENING: f64 = 0.01;

#[derive(Clone, Copy, Default)]
struct Body {
    pos: [f64; 3],
    vel: [f64; 3],
    mass: f64,
}

fn step(bodies: &mut [Body; BODIES]) {
    for i in 0..BODIES {
        let mut acc = [0.0; 3];
        for j in 0..BODIES {
            if i == j {
                continue;
            }
            let d = [
                bodies[j].pos[0] - bodies[i].pos[0],
                bodies[j].pos[1] - bodies[i].pos[1],
                bodies[j].pos[2] - bodies[i].pos[2],
            ];
            let dist2 = d[0] * d[0] + d[1] * d[1] + d[2] * d[2] + SOFTENING;
            let inv = 1.0 / (dist2 * dist2.sqrt());
            for (a, dk) in acc.iter_mut().zip(d) {
                *a += dk * bodies[j].mass * inv;
            }
        }
        for (v, a) in bodies[i].vel.iter_mut().zip(acc) {
            *v += a * DT;
        }
    }
    for body in bodies.iter_mut() {
        for k in 0..3 {
            body.pos[k] += body.vel[k] * DT;
        }
    }
}

fn energy(bodies: &[Body; BODIES]) -> f64 {
    let mut e = 0.0;
    for (i, a) in bodies.iter().enumerate() {
        e += 0.5 * a.mass * (a.vel[0] * a.vel[0] + a.vel[1] * a.vel[1] + a.vel[2] * a.vel[2]);
        for b in &bodies[i + 1..] {
            let d = [b.pos[0] - a.pos[0], b.pos[1] - a.pos[1], b.pos[2] - a.pos[2]];
            e -= a.mass * b.mass / (d[0] * d[0] + d[1] * d[1] + d[2] * d[2] + SOFTENING).sqrt();
        }
    }
    e
}

fn main() {
    let steps = size_arg();
    let mut rng = Rng::new(3);
    let mut bodies = [Body::default(); BODIES];
    for body in &mut bodies {
        body.mass = 0.5 + rng.unit_f64();
        body.pos = [(); 3].map(|_| rng.unit_f64() * 10.0 - 5.0);
        body.vel = [(); 3].map(|_| rng.unit_f64() * 0.2 - 0.1);
    }
    let before = energy(&bodies);
    for _ in 0..steps {
        step(&mut bodies);
    }
    let after = energy(&bodies);
    let mut checksum = fold(before.to_bits(), after.to_bits());
    for body in &bodies {
        for x in body.pos {
            checksum = fold(checksum, x.to_bits());
        }
    }
    print_checksum(checksum);
}

//! f64 numerics: dense matrix multiplication. Two SIZE x SIZE matrices of
//! seeded values in [-1, 1) are multiplied three ways (i-k-j on rows,
//! i-j-k against a transposed copy, and 32 x 32 blocks), the results checked
//! against each other bit for bit (the same sums in the same order), then
//! the product is squared once more. Checksum: a fold over the result.

use bench_guests::{Rng, fold, print_checksum, size_arg};

struct Matrix {
    n: usize,
    cells: Vec<f64>,
}

impl Matrix {
    fn zero(n: usize) -> Matrix {
        Matrix { n, cells: vec![0.0; n * n] }
    }

    fn random(n: usize, rng: &mut Rng) -> Matrix {
        Matrix { n, cells: (0..n * n).map(|_| rng.unit_f64() * 2.0 - 1.0).collect() }
    }

    fn row(&self, i: usize) -> &[f64] {
        &self.cells[i * self.n..(i + 1) * self.n]
    }

    fn transpose(&self) -> Matrix {
        let mut t = Matrix::zero(self.n);
        for i in 0..self.n {
            for j in 0..self.n {
                t.cells[j * self.n + i] = self.cells[i * self.n + j];
            }
        }
        t
    }
}

/// Row i of the result accumulates a[i][k] * b[k][..] for k in order.
fn multiply_ikj(a: &Matrix, b: &Matrix) -> Matrix {
    let n = a.n;
    let mut c = Matrix::zero(n);
    for i in 0..n {
        let out = &mut c.cells[i * n..(i + 1) * n];
        for k in 0..n {
            let x = a.cells[i * n + k];
            for (o, &y) in out.iter_mut().zip(b.row(k)) {
                *o += x * y;
            }
        }
    }
    c
}

/// Dot products of a's rows with bt's rows (bt is b transposed), k in order.
fn multiply_transposed(a: &Matrix, bt: &Matrix) -> Matrix {
    let n = a.n;
    let mut c = Matrix::zero(n);
    for i in 0..n {
        for j in 0..n {
            let mut sum = 0.0;
            for (&x, &y) in a.row(i).iter().zip(bt.row(j)) {
                sum += x * y;
            }
            c.cells[i * n + j] = sum;
        }
    }
    c
}

/// Blocked over i and j only, so each cell still sums k in order.
fn multiply_blocked(a: &Matrix, b: &Matrix) -> Matrix {
    const BLOCK: usize = 32;
    let n = a.n;
    let mut c = Matrix::zero(n);
    for i0 in (0..n).step_by(BLOCK) {
        for j0 in (0..n).step_by(BLOCK) {
            let j1 = (j0 + BLOCK).min(n);
            for i in i0..(i0 + BLOCK).min(n) {
                for k in 0..n {
                    let x = a.cells[i * n + k];
                    let row = &b.cells[k * n + j0..k * n + j1];
                    for (o, &y) in c.cells[i * n + j0..i * n + j1].iter_mut().zip(row) {
                        *o += x * y;
                    }
                }
            }
        }
    }
    c
}

fn main() {
    let n = size_arg() as usize;
    let mut rng = Rng::new(11);
    let a = Matrix::random(n, &mut rng);
    let b = Matrix::random(n, &mut rng);
    let c1 = multiply_ikj(&a, &b);
    let c2 = multiply_transposed(&a, &b.transpose());
    let c3 = multiply_blocked(&a, &b);
    assert!(c1.cells == c2.cells && c2.cells == c3.cells, "the products differ");
    let c4 = multiply_ikj(&c1, &c1);
    let mut checksum = 0;
    for x in c4.cells.iter().step_by(7) {
        checksum = fold(checksum, x.to_bits());
    }
    print_checksum(checksum);
}

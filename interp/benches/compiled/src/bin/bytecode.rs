//! A bytecode interpreter: a register machine with sixteen i64 registers, a
//! small word memory and a call stack, running a program assembled here that
//! counts primes below SIZE by trial division (keeping them in memory) and
//! sums Collatz chain lengths for every number below SIZE / 4 through a
//! subroutine. Checksum: a fold over the registers and the memory.

use bench_guests::{fold, print_checksum, size_arg};

type Reg = u8;

#[derive(Clone, Copy, Debug)]
enum Op {
    Li(Reg, i32),
    Mov(Reg, Reg),
    Add(Reg, Reg, Reg),
    Mul(Reg, Reg, Reg),
    Rem(Reg, Reg, Reg),
    AddI(Reg, Reg, i32),
    AndI(Reg, Reg, i32),
    ShrI(Reg, Reg, u8),
    /// `mem[reg a & mask] = reg b`
    Store(Reg, Reg),
    /// `reg a = mem[reg b & mask]`
    Load(Reg, Reg),
    Jmp(u16),
    /// Jump if `reg a < reg b`.
    Jlt(Reg, Reg, u16),
    /// Jump if `reg a >= reg b`.
    Jge(Reg, Reg, u16),
    Jz(Reg, u16),
    Call(u16),
    Ret,
    Halt,
}

const MEMORY_WORDS: usize = 1024;

struct Machine {
    regs: [i64; 16],
    memory: Vec<i64>,
    calls: Vec<usize>,
    steps: u64,
}

impl Machine {
    fn run(&mut self, code: &[Op]) {
        let mut pc = 0;
        loop {
            self.steps += 1;
            let op = code[pc];
            pc += 1;
            let r = &mut self.regs;
            match op {
                Op::Li(d, imm) => r[d as usize] = i64::from(imm),
                Op::Mov(d, a) => r[d as usize] = r[a as usize],
                Op::Add(d, a, b) => r[d as usize] = r[a as usize].wrapping_add(r[b as usize]),
                Op::Mul(d, a, b) => r[d as usize] = r[a as usize].wrapping_mul(r[b as usize]),
                Op::Rem(d, a, b) => r[d as usize] = r[a as usize].wrapping_rem(r[b as usize]),
                Op::AddI(d, a, imm) => r[d as usize] = r[a as usize].wrapping_add(i64::from(imm)),
                Op::AndI(d, a, imm) => r[d as usize] = r[a as usize] & i64::from(imm),
                Op::ShrI(d, a, s) => r[d as usize] = r[a as usize] >> s,
                Op::Store(a, b) => {
                    self.memory[r[a as usize] as usize & (MEMORY_WORDS - 1)] = r[b as usize]
                }
                Op::Load(a, b) => {
                    r[a as usize] = self.memory[r[b as usize] as usize & (MEMORY_WORDS - 1)]
                }
                Op::Jmp(t) => pc = t as usize,
                Op::Jlt(a, b, t) => {
                    if r[a as usize] < r[b as usize] {
                        pc = t as usize;
                    }
                }
                Op::Jge(a, b, t) => {
                    if r[a as usize] >= r[b as usize] {
                        pc = t as usize;
                    }
                }
                Op::Jz(a, t) => {
                    if r[a as usize] == 0 {
                        pc = t as usize;
                    }
                }
                Op::Call(t) => {
                    self.calls.push(pc);
                    pc = t as usize;
                }
                Op::Ret => pc = self.calls.pop().expect("return without call"),
                Op::Halt => return,
            }
        }
    }
}

/// Emits code with forward labels, patched when the label is placed.
#[derive(Default)]
struct Asm {
    code: Vec<Op>,
    labels: Vec<Option<u16>>,
    fixups: Vec<(usize, usize)>,
}

impl Asm {
    fn label(&mut self) -> usize {
        self.labels.push(None);
        self.labels.len() - 1
    }

    fn place(&mut self, label: usize) {
        self.labels[label] = Some(self.code.len() as u16);
    }

    fn op(&mut self, op: Op) {
        self.code.push(op);
    }

    /// A jump-like op whose target is `label`, filled in by `finish`.
    fn to(&mut self, label: usize, op: fn(u16) -> Op) {
        self.fixups.push((self.code.len(), label));
        self.code.push(op(0));
    }

    fn finish(mut self) -> Vec<Op> {
        for (at, label) in self.fixups {
            let t = self.labels[label].expect("label never placed");
            self.code[at] = match self.code[at] {
                Op::Jmp(_) => Op::Jmp(t),
                Op::Jlt(a, b, _) => Op::Jlt(a, b, t),
                Op::Jge(a, b, _) => Op::Jge(a, b, t),
                Op::Jz(a, _) => Op::Jz(a, t),
                Op::Call(_) => Op::Call(t),
                other => panic!("{other:?} takes no label"),
            };
        }
        self.code
    }
}

/// r0 holds SIZE on entry; r2 ends as the prime count, r5 as the Collatz sum.
fn program() -> Vec<Op> {
    let mut a = Asm::default();
    let [loop_i, loop_d, is_prime, not_prime, primes_done] = [(); 5].map(|_| a.label());
    let [loop_c, collatz, c_loop, even, c_next, c_ret, end] = [(); 7].map(|_| a.label());
    a.op(Op::Li(1, 2));
    a.op(Op::Li(2, 0));
    a.place(loop_i);
    a.to(primes_done, |t| Op::Jge(1, 0, t));
    a.op(Op::Li(3, 2));
    a.place(loop_d);
    a.op(Op::Mul(4, 3, 3));
    a.to(is_prime, |t| Op::Jlt(1, 4, t));
    a.op(Op::Rem(4, 1, 3));
    a.to(not_prime, |t| Op::Jz(4, t));
    a.op(Op::AddI(3, 3, 1));
    a.to(loop_d, Op::Jmp);
    a.place(is_prime);
    a.op(Op::AddI(2, 2, 1));
    a.op(Op::Load(11, 2));
    a.op(Op::Add(11, 11, 1));
    a.op(Op::Store(2, 11));
    a.place(not_prime);
    a.op(Op::AddI(1, 1, 1));
    a.to(loop_i, Op::Jmp);
    a.place(primes_done);
    a.op(Op::Li(1, 1));
    a.op(Op::Li(5, 0));
    a.op(Op::ShrI(6, 0, 2));
    a.place(loop_c);
    a.to(end, |t| Op::Jge(1, 6, t));
    a.op(Op::Mov(7, 1));
    a.to(collatz, Op::Call);
    a.op(Op::Add(5, 5, 8));
    a.op(Op::AddI(1, 1, 1));
    a.to(loop_c, Op::Jmp);
    // collatz: r8 = steps for r7 to reach 1; clobbers r7, r9, r10.
    a.place(collatz);
    a.op(Op::Li(8, 0));
    a.op(Op::Li(10, 3));
    a.place(c_loop);
    a.op(Op::Li(9, 1));
    a.to(c_ret, |t| Op::Jge(9, 7, t));
    a.op(Op::AndI(9, 7, 1));
    a.to(even, |t| Op::Jz(9, t));
    a.op(Op::Mul(7, 7, 10));
    a.op(Op::AddI(7, 7, 1));
    a.to(c_next, Op::Jmp);
    a.place(even);
    a.op(Op::ShrI(7, 7, 1));
    a.place(c_next);
    a.op(Op::AddI(8, 8, 1));
    a.to(c_loop, Op::Jmp);
    a.place(c_ret);
    a.op(Op::Ret);
    a.place(end);
    a.op(Op::Halt);
    a.finish()
}

fn main() {
    let size = size_arg();
    let code = program();
    let mut machine =
        Machine { regs: [0; 16], memory: vec![0; MEMORY_WORDS], calls: Vec::new(), steps: 0 };
    machine.regs[0] = size as i64;
    machine.run(&code);
    let mut checksum = fold(0, machine.steps);
    for r in machine.regs {
        checksum = fold(checksum, r as u64);
    }
    for &word in &machine.memory {
        checksum = fold(checksum, word as u64);
    }
    print_checksum(checksum);
}

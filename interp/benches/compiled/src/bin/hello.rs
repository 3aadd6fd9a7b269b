//! The start-up benchmark's trivial WASI command: prints one line.

fn main() {
    println!("hello, world");
}

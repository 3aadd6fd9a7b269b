fn main() {
    let path = std::env::args().nth(1).unwrap();
    let engine = interp::Engine::default();
    let m = interp::Module::from_file(&engine, &path).unwrap();
    print!("{}", m.disassemble());
}

//! Prints what the PDF reader makes of a file: `cargo run --example pdfdump -- FILE.pdf`.
fn main() {
    for path in std::env::args().skip(1) {
        let bytes = std::fs::read(&path).expect("read file");
        println!("== {path}");
        print!("{}", xxgk::read::pdf::dump(&bytes));
    }
}

//! Prints what the PDF reader makes of a file: `cargo run --example pdfdump -- FILE.pdf`.
fn main() {
    for path in std::env::args().skip(1) {
        let bytes = std::fs::read(&path).expect("read file");
        println!("== {path}");
        if std::env::var_os("SEGS").is_some() {
            print!("{}", xxgk::read::pdf::dump_segments(&bytes));
        } else {
            print!("{}", xxgk::read::pdf::dump(&bytes));
        }
    }
}

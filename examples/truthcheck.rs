//! Compares files with truth files: `cargo run --example truthcheck -- FILE TRUTH.json ...`
//! (pairs). Prints each mismatch and a count per file.
fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    for pair in args.chunks(2) {
        let [file, truth] = pair else { break };
        let record = xxgk::pipeline::process_path(std::path::Path::new(file), file);
        let text = std::fs::read_to_string(truth).expect("truth file");
        let truth: xxgk::eval::Truth = serde_json::from_str(&text).expect("truth json");
        let m = xxgk::eval::compare(&record, &truth);
        for x in &m {
            println!("  {file}: {x}");
        }
        println!("{file}: {} mismatches", m.len());
    }
}

//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use xxgk::eval::{compare, Truth};
use xxgk::pipeline::process_path;
use xxgk::record::Record;

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `../shared/` beside the checkout.
pub fn shared() -> PathBuf {
    root().join("..").join("shared")
}

/// Extracts one file, with the path written relative to the repository root.
pub fn extract(path: &Path) -> Record {
    use_worker();
    let display = path
        .strip_prefix(root())
        .unwrap_or(path)
        .to_string_lossy()
        .into_owned();
    process_path(path, &display)
}

pub fn load_truth(path: &Path) -> Truth {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Checks a record against a truth file; returns the mismatches as lines.
pub fn mismatches(path: &Path, truth: &Path) -> Vec<String> {
    let record = extract(path);
    let truth = load_truth(truth);
    compare(&record, &truth)
        .iter()
        .map(|m| format!("{}: {m}", path.display()))
        .collect()
}

/// Legacy formats (.doc, RTF) are read by the `xxgk` binary started as a worker process.
pub fn use_worker() {
    xxgk::worker::set_exe(env!("CARGO_BIN_EXE_xxgk"));
}

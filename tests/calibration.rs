//! Confidence that means what it says: on the held-back part of the calibration corpus (made
//! at test time by scripts/gen_calibration.py; the model was fitted on another part), the
//! expected calibration error is at most 0.05 and no wrong field carries confidence ≥ 0.95
//! without a violation naming it.

mod common;

use std::process::Command;

use common::root;
use xxgk::eval::{Evaluator, Truth};

/// The held-back range: the model is fitted on documents 0..800 (scripts/calibrate.sh).
const HELD_BACK_START: &str = "100000";
const HELD_BACK_COUNT: &str = "300";

#[test]
fn calibration_on_the_held_back_corpus() {
    let dir = std::env::temp_dir().join(format!("xxgk-calibration-{}", std::process::id()));
    let docs = dir.join("docs");
    let truth = dir.join("truth");
    let status = Command::new("python3")
        .arg(root().join("scripts/gen_calibration.py"))
        .args(["--out"])
        .arg(&docs)
        .arg("--truth")
        .arg(&truth)
        .args(["--start", HELD_BACK_START, "--count", HELD_BACK_COUNT])
        .stderr(std::process::Stdio::null())
        .status()
        .expect("python3 runs the calibration generator");
    assert!(status.success());
    let mut files: Vec<_> = std::fs::read_dir(&docs)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    files.sort();
    let mut ev = Evaluator::default();
    for f in &files {
        let record = xxgk::pipeline::process_path(f, &f.to_string_lossy());
        let stem = f.file_stem().and_then(|s| s.to_str()).unwrap_or_default();
        let t: Truth = serde_json::from_str(
            &std::fs::read_to_string(truth.join(format!("{stem}.json"))).unwrap(),
        )
        .unwrap();
        ev.add(&record, &t);
    }
    let (summary, _) = ev.finish();
    let report = summary.render();
    println!("{report}");
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(summary.records, files.len());
    assert!(
        summary.ece <= 0.05,
        "expected calibration error too high:\n{report}"
    );
    assert_eq!(summary.silent_errors, 0, "silent errors:\n{report}");
    // The corpus is damaged on purpose, but most fields must still be read right.
    assert!(
        summary.fields_right as f64 >= 0.9 * summary.fields as f64,
        "{report}"
    );
}

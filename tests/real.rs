//! Real published reports in `../shared/real/`: every truth cell must match.

mod common;

use common::{mismatches, shared};

/// The real files: every source format beside its truth file, PDFs included.
fn sources() -> Vec<(std::path::PathBuf, std::path::PathBuf)> {
    let real = shared().join("real");
    let truth_dir = real.join("truth");
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(&truth_dir) else {
        return out;
    };
    let mut truths: Vec<_> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    truths.sort();
    for t in truths {
        let stem = t
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default()
            .to_string();
        for ext in ["html", "txt", "md", "docx", "pdf"] {
            let src = real.join(format!("{stem}.{ext}"));
            if src.exists() {
                out.push((src, t.clone()));
            }
        }
    }
    out
}

#[test]
fn every_truth_cell_of_the_real_reports_matches() {
    let sources = sources();
    assert!(
        sources.len() >= 5,
        "expected the real reports beside the checkout, found {}",
        sources.len()
    );
    let mut all = Vec::new();
    for (src, truth) in &sources {
        all.extend(mismatches(src, truth));
    }
    assert!(
        all.is_empty(),
        "{} mismatches:\n{}",
        all.len(),
        all.join("\n")
    );
}

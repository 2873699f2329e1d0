//! The bundled corpus: every generated file matches its truth, and its record matches the
//! golden file in `expected/` exactly. `XXGK_BLESS=1 cargo test --test corpus` rewrites the
//! golden files (read the diff before committing).

mod common;

use std::path::PathBuf;

use common::{extract, mismatches, root};

fn corpus_files() -> Vec<PathBuf> {
    let dir = root().join("corpus");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("corpus/")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    files
}

fn truth_of(p: &std::path::Path) -> PathBuf {
    let stem = p.file_stem().and_then(|s| s.to_str()).unwrap_or_default();
    root()
        .join("expected")
        .join("truth")
        .join(format!("{stem}.json"))
}

#[test]
fn every_corpus_file_matches_its_truth() {
    let files = corpus_files();
    assert!(files.len() >= 30, "corpus has {} files", files.len());
    let mut all = Vec::new();
    for f in &files {
        let t = truth_of(f);
        assert!(t.exists(), "{} has no truth file", f.display());
        all.extend(mismatches(f, &t));
    }
    assert!(
        all.is_empty(),
        "{} mismatches:\n{}",
        all.len(),
        all.join("\n")
    );
}

#[test]
fn records_match_the_golden_files() {
    let bless = std::env::var_os("XXGK_BLESS").is_some();
    let expected_dir = root().join("expected");
    let mut differ = Vec::new();
    for f in corpus_files() {
        let record = extract(&f);
        let mut json = serde_json::to_string_pretty(&record).expect("record serialises");
        json.push('\n');
        let name = f
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_string();
        let golden = expected_dir.join(format!("{name}.json"));
        if bless {
            std::fs::create_dir_all(&expected_dir).expect("expected/");
            std::fs::write(&golden, &json).expect("write golden");
            continue;
        }
        match std::fs::read_to_string(&golden) {
            Ok(g) if g == json => {}
            Ok(_) => differ.push(format!("{name}: record differs from expected/{name}.json")),
            Err(_) => differ.push(format!(
                "{name}: no expected/{name}.json (run with XXGK_BLESS=1)"
            )),
        }
    }
    assert!(differ.is_empty(), "{}", differ.join("\n"));
}

//! Every input a fuzz target once crashed on (`fuzz/regressions/<target>/*`, kept after the
//! fix) goes through `process_bytes` again: no panic (an "internal error" record), a one-line
//! error, tables within the limits, and quickly. Mapper inputs are programs, not files: they
//! are rebuilt into a document with `xxgk::fuzzing::table_program` and mapped.

mod common;

use std::time::{Duration, Instant};

use common::root;
use xxgk::record::{Record, Source};

fn source(bytes: usize, format: Option<&str>) -> Source {
    Source {
        path: "regression".into(),
        sha256: String::new(),
        bytes: bytes as u64,
        format: format.map(str::to_string),
        encoding: format.map(|_| "utf-8".to_string()),
    }
}

fn check(name: &str, r: &Record, took: Duration, bad: &mut Vec<String>) {
    if let Some(e) = &r.error {
        if e.starts_with("internal error") || e.contains('\n') {
            bad.push(format!("{name}: {e}"));
        }
    }
    if took > Duration::from_secs(10) {
        bad.push(format!("{name}: took {took:?}"));
    }
}

#[test]
fn fuzz_findings_stay_fixed() {
    let mut bad = Vec::new();
    let mut n = 0;
    for target in ["docx", "html", "text", "pipeline", "mapper", "doc", "mhtml"] {
        let dir = root().join("fuzz/regressions").join(target);
        let Ok(rd) = std::fs::read_dir(&dir) else {
            continue;
        };
        let mut files: Vec<_> = rd.filter_map(|e| e.ok().map(|e| e.path())).collect();
        files.sort();
        for f in files {
            let fname = f.file_name().unwrap().to_string_lossy().to_string();
            if fname.starts_with('.') {
                continue;
            }
            n += 1;
            let bytes = std::fs::read(&f).unwrap();
            let name = format!("{target}/{fname}");
            let t = Instant::now();
            let r = if target == "mapper" {
                let doc = xxgk::fuzzing::table_program(&bytes);
                xxgk::pipeline::process_document(doc, source(bytes.len(), Some("fuzz")))
            } else {
                xxgk::pipeline::process_bytes(&bytes, source(bytes.len(), None))
            };
            check(&name, &r, t.elapsed(), &mut bad);
        }
    }
    eprintln!("{n} fuzz regression inputs replayed");
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

//! Hostile inputs: every file in `corpus/hostile/` gives the record `expected/hostile/<name>.json`
//! describes (status, a substring of the error or of one warning, and for hostile copies of the
//! seed report, every truth cell); every limit of `src/limits.rs` is hit at the record level
//! with a message naming it; and a whole `xxgk extract` run over hostile and good files keeps
//! every record, gets the good ones right, stays under 300 MB and finishes in seconds.
//!
//! Large inputs (the 50 MB page, a real zip bomb, a 4-million-event document.xml, a file over the
//! size limit) are made here in a temporary folder, never committed.

mod common;

use std::io::{Cursor, Write};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use common::{extract, load_truth, mismatches, root};
use serde_json::Value;
use xxgk::eval::compare;
use xxgk::limits::*;
use xxgk::record::{Record, Status};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

fn hostile_files() -> Vec<PathBuf> {
    let mut f: Vec<PathBuf> = std::fs::read_dir(root().join("corpus/hostile"))
        .expect("corpus/hostile/")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file())
        .collect();
    f.sort();
    f
}

fn expected_of(p: &Path) -> Value {
    let name = p.file_name().and_then(|n| n.to_str()).unwrap_or_default();
    let e = root().join("expected/hostile").join(format!("{name}.json"));
    let text = std::fs::read_to_string(&e).unwrap_or_else(|err| panic!("{}: {err}", e.display()));
    serde_json::from_str(&text).unwrap_or_else(|err| panic!("{}: {err}", e.display()))
}

fn status_str(r: &Record) -> &'static str {
    r.status.as_str()
}

/// Checks one record against its expected key facts; returns the problems.
fn check_expected(path: &Path, r: &Record, exp: &Value) -> Vec<String> {
    let mut bad = Vec::new();
    let name = path.display();
    if let Some(s) = exp["status"].as_str() {
        if status_str(r) != s {
            bad.push(format!(
                "{name}: status {} (want {s}); error {:?}",
                status_str(r),
                r.error
            ));
        }
    }
    if let Some(e) = exp["error"].as_str() {
        if !r.error.as_deref().unwrap_or("").contains(e) {
            bad.push(format!("{name}: error {:?} lacks {e:?}", r.error));
        }
    }
    if let Some(w) = exp["warning"].as_str() {
        if !r.warnings.iter().any(|x| x.contains(w)) {
            bad.push(format!(
                "{name}: no warning with {w:?} in {:?} (error {:?})",
                r.warnings, r.error
            ));
        }
    }
    if let Some(a) = exp["absent"].as_str() {
        let json = serde_json::to_string(r).unwrap();
        if json.contains(a) {
            bad.push(format!("{name}: record contains {a:?}"));
        }
    }
    if let Some(e) = &r.error {
        if e.contains('\n') || e.is_empty() {
            bad.push(format!("{name}: error is not one line: {e:?}"));
        }
    }
    bad
}

#[test]
fn every_hostile_file_gives_its_expected_record() {
    let files = hostile_files();
    assert!(files.len() >= 16, "{} hostile files", files.len());
    let mut bad = Vec::new();
    for f in &files {
        let exp = expected_of(f);
        let t = Instant::now();
        let r = extract(f);
        let took = t.elapsed();
        if took > Duration::from_secs(60) {
            bad.push(format!("{}: took {took:?}", f.display()));
        }
        bad.extend(check_expected(f, &r, &exp));
        if let Some(truth) = exp["truth"].as_str() {
            bad.extend(mismatches(
                f,
                &root().join("expected/truth").join(format!("{truth}.json")),
            ));
        }
    }
    // Every expectation has its file.
    for e in std::fs::read_dir(root().join("expected/hostile")).unwrap() {
        let e = e.unwrap().path();
        let name = e.file_stem().and_then(|s| s.to_str()).unwrap_or_default();
        if !root().join("corpus/hostile").join(name).exists() {
            bad.push(format!("{}: no corpus/hostile/{name}", e.display()));
        }
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

fn tmpdir(tag: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("xxgk-hostile-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

const W_NS: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

/// A docx whose document.xml is `head` + `fill` repeated + `tail`, written with `method`.
fn docx_with(
    method: CompressionMethod,
    head: &str,
    fill: &[u8],
    times: usize,
    tail: &str,
) -> Vec<u8> {
    let mut w = ZipWriter::new(Cursor::new(Vec::new()));
    let opts = SimpleFileOptions::default()
        .compression_method(method)
        .large_file(true);
    w.start_file("[Content_Types].xml", opts).unwrap();
    w.write_all(br#"<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#).unwrap();
    w.start_file("word/document.xml", opts).unwrap();
    w.write_all(head.as_bytes()).unwrap();
    let chunk = fill.repeat((1 << 20) / fill.len().max(1) + 1);
    let mut left = fill.len() * times;
    while left > 0 {
        let n = left.min(chunk.len() / fill.len() * fill.len());
        w.write_all(&chunk[..n]).unwrap();
        left -= n;
    }
    w.write_all(tail.as_bytes()).unwrap();
    w.finish().unwrap().into_inner()
}

fn doc_head() -> String {
    format!(r#"<w:document xmlns:w="{W_NS}"><w:body><w:p><w:r><w:t>一、总体情况</w:t></w:r></w:p>"#)
}

/// Test-time hostile files: name → (bytes or a sparse size, expected facts).
fn generated(dir: &Path) -> Vec<(PathBuf, Value)> {
    let mut out = Vec::new();
    let mut put = |name: &str, bytes: &[u8], exp: Value| {
        let p = dir.join(name);
        std::fs::write(&p, bytes).unwrap();
        out.push((p, exp));
    };
    let seed_html = std::fs::read(root().join("corpus/seed_jingshan_2020.html")).unwrap();
    let seed_txt = std::fs::read_to_string(root().join("corpus/seed_jingshan_2020.txt")).unwrap();

    // MAX_HTML_BYTES: a 50 MB page.
    let mut big = b"<html><body><p>\xd2\xbb\xa1\xa2\xd7\xdc\xcc\xe5\xc7\xe9\xbf\xf6</p>".to_vec();
    let para = b"<p>\xd5\xfe\xb8\xae\xd0\xc5\xcf\xa2\xb9\xab\xbf\xaa 0123456789</p>\n";
    while big.len() < 50 * 1024 * 1024 {
        big.extend_from_slice(para);
    }
    big.extend_from_slice(b"</body></html>");
    put(
        "page_50mb.html",
        &big,
        serde_json::json!({"status": "failed", "error": "byte HTML limit"}),
    );
    drop(big);

    // MAX_ZIP_PART_BYTES: a real bomb, 80 MB of spaces deflated to about 80 KB.
    let bomb = docx_with(
        CompressionMethod::Deflated,
        &doc_head(),
        b"                ",
        5 * 1024 * 1024,
        "</w:body></w:document>",
    );
    assert!(bomb.len() < 1024 * 1024, "bomb is {} bytes", bomb.len());
    put(
        "zip_bomb_80mb.docx",
        &bomb,
        serde_json::json!({"status": "failed", "error": "part limit"}),
    );

    // MAX_ZIP_RATIO: 2 MB of spaces, under the part limit but inflating 1000:1.
    let ratio = docx_with(
        CompressionMethod::Deflated,
        &doc_head(),
        b"                ",
        128 * 1024,
        "</w:body></w:document>",
    );
    put(
        "ratio_1000.docx",
        &ratio,
        serde_json::json!({"status": "failed", "error": "ratio limit"}),
    );

    // MAX_XML_EVENTS: over 4 million empty elements, stored (so no ratio), 17 MB.
    let events = docx_with(
        CompressionMethod::Stored,
        &format!(
            "{}{}",
            doc_head(),
            "<w:p><w:r><w:t>总体情况</w:t></w:r></w:p>"
        ),
        b"<w:a/>",
        MAX_XML_EVENTS + 10,
        "</w:body></w:document>",
    );
    put(
        "xml_events.docx",
        &events,
        serde_json::json!({"status": "failed", "warning": "more than 4000000 XML events"}),
    );

    // MAX_ZIP_ENTRIES: 10,001 tiny entries.
    let mut w = ZipWriter::new(Cursor::new(Vec::new()));
    let opts = SimpleFileOptions::default().compression_method(CompressionMethod::Stored);
    for i in 0..=MAX_ZIP_ENTRIES {
        w.start_file(format!("f{i}"), opts).unwrap();
    }
    put(
        "many_entries.docx",
        &w.finish().unwrap().into_inner(),
        serde_json::json!({"status": "failed", "error": "entry limit"}),
    );

    // MAX_HTML_ELEMENTS: the seed page, then 200,001 <br>.
    let mut many = seed_html.clone();
    let at = many.len() - 20;
    let brs = b"<br>".repeat(MAX_HTML_ELEMENTS + 1);
    many.splice(at..at, brs);
    put(
        "many_elements.html",
        &many,
        serde_json::json!({"status": "ok", "warning": "html_element_limit", "truth": "seed_jingshan_2020"}),
    );

    // MAX_HTML_DEPTH against end tags that close nothing: `<div></span>` nests as deep as
    // `<div>` alone (this took over a minute in html5ever before the prescan matched names).
    let mut stray = seed_html.clone();
    let at = stray.len() - 20;
    stray.splice(at..at, b"<div></span>".repeat(100_000));
    put(
        "stray_end_tags.html",
        &stray,
        serde_json::json!({"status": "ok", "warning": "html_depth_limit", "truth": "seed_jingshan_2020"}),
    );

    // MAX_TEXT_LINES and MAX_CELL_CHARS: the seed text, a 30,000-character cell, 200,001 lines.
    let mut txt = seed_txt.clone();
    txt.push_str(&format!("\n\t{}\n\n", "字".repeat(MAX_CELL_CHARS + 10_000)));
    txt.push_str(&"。\n".repeat(MAX_TEXT_LINES + 1));
    put(
        "long_cell.txt",
        format!("{seed_txt}\n\n\t{}\n", "字".repeat(MAX_CELL_CHARS + 10)).as_bytes(),
        serde_json::json!({"status": "ok", "warning": "cell text cut at 20000 characters"}),
    );
    put(
        "many_lines.txt",
        txt.as_bytes(),
        serde_json::json!({"status": "ok", "warning": "text_line_limit", "truth": "seed_jingshan_2020"}),
    );

    // MAX_FILE_BYTES: a sparse file one byte over the limit (no disk used).
    let p = dir.join("over_size_limit.docx");
    let f = std::fs::File::create(&p).unwrap();
    f.set_len(MAX_FILE_BYTES + 1).unwrap();
    out.push((
        p,
        serde_json::json!({"status": "failed", "error": "67108864-byte limit"}),
    ));
    out
}

#[test]
fn every_limit_is_named_in_the_record() {
    let dir = tmpdir("limits");
    let mut bad = Vec::new();
    for (p, exp) in generated(&dir) {
        let t = Instant::now();
        let r = extract(&p);
        if t.elapsed() > Duration::from_secs(120) {
            bad.push(format!("{}: took {:?}", p.display(), t.elapsed()));
        }
        bad.extend(check_expected(&p, &r, &exp));
        if let Some(truth) = exp["truth"].as_str() {
            let truth = load_truth(&root().join("expected/truth").join(format!("{truth}.json")));
            bad.extend(
                compare(&r, &truth)
                    .iter()
                    .map(|m| format!("{}: {m}", p.display())),
            );
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

/// Peak resident memory of the children this process has waited for, in bytes.
fn children_max_rss() -> u64 {
    let mut ru: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: getrusage writes into the struct we own.
    let rc = unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut ru) };
    assert_eq!(rc, 0);
    ru.ru_maxrss as u64 * 1024
}

fn records(stdout: &[u8]) -> Vec<Record> {
    String::from_utf8_lossy(stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON record per line"))
        .collect()
}

#[test]
fn a_run_over_hostile_and_good_files_keeps_every_record_in_bounded_memory() {
    let dir = tmpdir("mixed");
    let mut expect: Vec<(PathBuf, Value)> = generated(&dir);
    for f in hostile_files() {
        let to = dir.join(f.file_name().unwrap());
        std::fs::copy(&f, &to).unwrap();
        expect.push((to, expected_of(&f)));
    }
    let mut good = Vec::new();
    for e in std::fs::read_dir(root().join("corpus")).unwrap() {
        let p = e.unwrap().path();
        if p.is_file() {
            let to = dir.join(format!("good_{}", p.file_name().unwrap().to_string_lossy()));
            std::fs::copy(&p, &to).unwrap();
            let stem = p.file_stem().unwrap().to_string_lossy().to_string();
            good.push((to, stem));
        }
    }
    for isolate in [false, true] {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_xxgk"));
        // A generous budget: a debug build on a loaded machine must not trip it here.
        cmd.arg("extract")
            .arg(&dir)
            .args(["-j", "2", "--timeout-secs", "600"]);
        if isolate {
            cmd.arg("--isolate");
        }
        let t = Instant::now();
        let out = cmd.output().expect("run xxgk");
        let took = t.elapsed();
        let rss = children_max_rss();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let recs = records(&out.stdout);
        let n = expect.len() + good.len();
        assert_eq!(recs.len(), n, "isolate={isolate}");
        let by_path = |p: &Path| {
            recs.iter()
                .find(|r| r.source.path == p.to_string_lossy())
                .unwrap_or_else(|| panic!("no record for {}", p.display()))
        };
        let mut bad = Vec::new();
        for (p, exp) in &expect {
            bad.extend(check_expected(p, by_path(p), exp));
        }
        for (p, stem) in &good {
            let r = by_path(p);
            assert_ne!(r.status, Status::Failed, "{}", p.display());
            let truth = load_truth(&root().join("expected/truth").join(format!("{stem}.json")));
            bad.extend(
                compare(r, &truth)
                    .iter()
                    .map(|m| format!("{}: {m}", p.display())),
            );
        }
        assert!(bad.is_empty(), "isolate={isolate}:\n{}", bad.join("\n"));
        eprintln!(
            "mixed run (isolate={isolate}): {n} files, {:.2} s, peak RSS of a child {} MiB",
            took.as_secs_f64(),
            rss >> 20
        );
        assert!(rss < 300 * 1024 * 1024, "peak RSS {} MiB", rss >> 20);
        // A debug build on a shared 2-core machine; a release build takes a few seconds.
        assert!(took < Duration::from_secs(120), "took {took:?}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

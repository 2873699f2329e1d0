//! The store end to end through the real binary: ingest (idempotent, resumable, killed
//! mid-run), export (CSV read back, deterministic), compare (years folded, cross-year rules).

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::Duration;

use common::root;
use rusqlite::Connection;
use serde_json::Value;

fn xxgk() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_xxgk"));
    c.current_dir(root());
    c
}

/// Runs xxgk with `--db`; the argument "corpus" stands for the corpus's report files (its top
/// level: corpus/hostile/ holds broken files for the hostile-input tests).
fn run(args: &[&str], db: &Path) -> Output {
    let files = corpus_files();
    let mut expanded: Vec<&str> = Vec::new();
    for a in args {
        if *a == "corpus" {
            expanded.extend(files.iter().map(String::as_str));
        } else {
            expanded.push(a);
        }
    }
    let out = xxgk()
        .args(&expanded)
        .arg("--db")
        .arg(db)
        .output()
        .expect("run xxgk");
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn corpus_files() -> Vec<String> {
    let mut f: Vec<String> = std::fs::read_dir(root().join("corpus"))
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.path().is_file())
        .map(|e| format!("corpus/{}", e.file_name().to_string_lossy()))
        .collect();
    f.sort();
    f
}

/// The corpus files with distinct bytes (the first path of each), as the store keeps them: one
/// report per content.
fn distinct_files() -> Vec<String> {
    use sha2::{Digest, Sha256};
    let mut seen = std::collections::HashSet::new();
    corpus_files()
        .into_iter()
        .filter(|f| seen.insert(Sha256::digest(std::fs::read(root().join(f)).unwrap())))
        .collect()
}

fn count(db: &Path, sql: &str) -> i64 {
    let c = Connection::open(db).unwrap();
    c.query_row(sql, [], |r| r.get(0)).unwrap()
}

fn export(db: &Path, args: &[&str]) -> Vec<u8> {
    let mut a = vec!["export"];
    a.extend_from_slice(args);
    run(&a, db).stdout
}

#[test]
fn ingest_accounts_for_every_file_and_skips_unchanged_ones() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("x.sqlite");
    let files = corpus_files();
    let first = run(&["ingest", "corpus"], &db);
    let line = stderr(&first);
    assert!(
        line.contains(&format!("{} files:", files.len())) && line.contains("files/s"),
        "{line}"
    );
    assert!(
        line.contains(&format!("{} processed", files.len())),
        "{line}"
    );
    assert_eq!(count(&db, "SELECT count(*) FROM files"), files.len() as i64);
    assert_eq!(
        count(&db, "SELECT count(*) FROM reports"),
        distinct_files().len() as i64
    );
    assert!(count(&db, "SELECT count(*) FROM fields") > 1000);
    assert_eq!(
        count(&db, "SELECT count(*) FROM runs WHERE finished = 1"),
        1
    );
    let second = run(&["ingest", "corpus"], &db);
    let line = stderr(&second);
    assert!(
        line.contains(&format!("{} skipped-unchanged", files.len()))
            && line.contains("0 processed"),
        "{line}"
    );
}

#[test]
fn an_interrupted_run_is_carried_on_and_ends_as_a_full_run() {
    let dir = tempfile::tempdir().unwrap();
    let full = dir.path().join("full.sqlite");
    let resumed = dir.path().join("resumed.sqlite");
    run(&["ingest", "corpus", "-j", "2"], &full);
    // The "interrupted" run got through some files only.
    let files = corpus_files();
    let mut a = vec!["ingest"];
    a.extend(files[..10].iter().map(String::as_str));
    run(&a, &resumed);
    let out = run(&["ingest", "corpus", "-j", "1"], &resumed);
    let line = stderr(&out);
    assert!(line.contains("10 skipped-unchanged"), "{line}");
    // Every file is accounted for once the second run is over.
    assert_eq!(
        count(&resumed, "select count(*) from files") as usize,
        files.len(),
        "{line}"
    );
    for args in [
        &["--format", "csv"][..],
        &["--format", "jsonl", "--table", "long"][..],
    ] {
        assert_eq!(export(&full, args), export(&resumed, args), "{args:?}");
    }
}

#[test]
fn changed_bytes_replace_the_old_report_and_same_bytes_are_stored_once() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("x.sqlite");
    let input = dir.path().join("in");
    std::fs::create_dir(&input).unwrap();
    let a = input.join("a.txt");
    let b = input.join("b.txt");
    std::fs::copy(root().join("corpus/seed_jingshan_2020.txt"), &a).unwrap();
    std::fs::copy(root().join("corpus/seed_jingshan_2020.txt"), &b).unwrap();
    run(&["ingest", input.to_str().unwrap()], &db);
    assert_eq!(count(&db, "SELECT count(*) FROM reports"), 1);
    assert_eq!(count(&db, "SELECT count(*) FROM files"), 2);
    // A new path with bytes already stored is linked without being processed.
    std::fs::copy(
        root().join("corpus/seed_jingshan_2020.txt"),
        input.join("a2.txt"),
    )
    .unwrap();
    let out = run(&["ingest", input.to_str().unwrap()], &db);
    let line = stderr(&out);
    assert!(
        line.contains("2 skipped-unchanged, 1 same bytes as another file, 0 processed"),
        "{line}"
    );
    assert_eq!(count(&db, "SELECT count(*) FROM reports"), 1);
    // a changes: a new report; the old one stays because b still has those bytes.
    std::fs::copy(root().join("corpus/v2019_06_liangcheng_2020.txt"), &a).unwrap();
    let out = run(&["ingest", input.to_str().unwrap()], &db);
    assert!(stderr(&out).contains("1 replaced"), "{}", stderr(&out));
    assert_eq!(count(&db, "SELECT count(*) FROM reports"), 2);
    // b and a2 change too: the seed report has no path left and goes, rows and all.
    std::fs::copy(root().join("corpus/v2019_10_qidu_2020.txt"), &b).unwrap();
    std::fs::copy(
        root().join("corpus/v2019_06_liangcheng_2020.txt"),
        input.join("a2.txt"),
    )
    .unwrap();
    run(&["ingest", input.to_str().unwrap()], &db);
    assert_eq!(count(&db, "SELECT count(*) FROM reports"), 2);
    let seed_sha = xxgk::pipeline::sha256_hex(
        &std::fs::read(root().join("corpus/seed_jingshan_2020.txt")).unwrap(),
    );
    assert_eq!(
        count(
            &db,
            &format!("SELECT count(*) FROM reports WHERE sha256 = '{seed_sha}'")
        ),
        0
    );
    assert_eq!(
        count(
            &db,
            "SELECT count(*) FROM fields WHERE sha256 NOT IN (SELECT sha256 FROM reports)"
        ),
        0
    );
    // A file that cannot be read is still accounted for, with its reason.
    std::fs::write(input.join("c.docx"), b"").unwrap();
    run(&["ingest", input.to_str().unwrap()], &db);
    let c = Connection::open(&db).unwrap();
    let (status, error): (String, String) = c
        .query_row(
            "SELECT status, error FROM files WHERE path LIKE '%c.docx'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!((status.as_str(), error.as_str()), ("failed", "empty file"));
}

/// A batch of distinct small reports: the seed text with i trailing newlines.
fn batch(dir: &Path, n: usize) -> PathBuf {
    let input = dir.join("batch");
    std::fs::create_dir(&input).unwrap();
    let seed = std::fs::read(root().join("corpus/seed_jingshan_2020.txt")).unwrap();
    for i in 0..n {
        let mut b = seed.clone();
        b.extend(std::iter::repeat_n(b'\n', i + 1));
        std::fs::write(input.join(format!("{i:05}.txt")), b).unwrap();
    }
    input
}

#[test]
fn a_killed_ingest_leaves_a_sound_store_and_the_next_run_completes() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("x.sqlite");
    let n = 1200;
    let input = batch(dir.path(), n);
    let mut child = xxgk()
        .args(["ingest", "-j", "2", "--db"])
        .arg(&db)
        .arg(&input)
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(1500));
    let finished_early = child.try_wait().unwrap().is_some();
    let _ = child.kill();
    let _ = child.wait();
    {
        let c = Connection::open(&db).unwrap();
        let ok: String = c
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .unwrap();
        assert_eq!(ok, "ok");
        let stored: i64 = c
            .query_row("SELECT count(*) FROM files", [], |r| r.get(0))
            .unwrap();
        // Whole batches or nothing.
        assert!(
            finished_early || stored % 500 == 0,
            "{stored} files stored by a killed run"
        );
    }
    let out = run(&["ingest", input.to_str().unwrap()], &db);
    assert!(
        stderr(&out).contains(&format!("{n} files: {n} ok")),
        "{}",
        stderr(&out)
    );
    assert_eq!(count(&db, "SELECT count(*) FROM files"), n as i64);
    assert_eq!(count(&db, "SELECT count(*) FROM reports"), n as i64);
    let c = Connection::open(&db).unwrap();
    let ok: String = c
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(ok, "ok");
}

#[test]
fn the_wide_csv_reads_back_to_the_records() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("x.sqlite");
    run(&["ingest", "corpus"], &db);
    let csv_bytes = export(&db, &["--format", "csv"]);
    let mut rd = csv::Reader::from_reader(&csv_bytes[..]);
    let header: Vec<String> = rd.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(
        &header[..8],
        [
            "organization",
            "organization_key",
            "year",
            "template",
            "status",
            "confidence",
            "path",
            "sha256"
        ]
    );
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    // Template order: table 二, then 三, then 四.
    assert!(col("proactive.rules.issued") < col("requests.new.natural_person"));
    assert!(col("requests.new.total") < col("requests.carry_forward.total"));
    assert!(col("requests.carry_forward.total") < col("review.upheld"));
    let rows: Vec<csv::StringRecord> = rd.records().map(|r| r.unwrap()).collect();
    let files = distinct_files();
    assert_eq!(rows.len(), files.len());
    let mut checked = 0;
    for (row, path) in rows.iter().zip(&files) {
        assert_eq!(&row[col("path")], path.as_str());
        let name = Path::new(path).file_name().unwrap().to_string_lossy();
        let rec: Value = serde_json::from_str(
            &std::fs::read_to_string(root().join("expected").join(format!("{name}.json"))).unwrap(),
        )
        .unwrap();
        assert_eq!(
            &row[col("sha256")],
            rec["source"]["sha256"].as_str().unwrap()
        );
        assert_eq!(&row[col("status")], rec["status"].as_str().unwrap());
        assert_eq!(
            row[col("year")].parse::<i64>().ok(),
            rec["report"]["year"].as_i64()
        );
        for (key, cell) in rec["fields"].as_object().unwrap() {
            let text = &row[col(key)];
            match cell["value"].as_f64() {
                Some(v) => assert_eq!(text.parse::<f64>().unwrap(), v, "{path} {key}"),
                None => assert_eq!(text, "", "{path} {key}"),
            }
            checked += 1;
        }
    }
    assert!(checked > 3000, "{checked}");
}

#[test]
fn export_is_the_same_for_one_and_two_threads_and_two_runs() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.sqlite");
    let b = dir.path().join("b.sqlite");
    run(&["ingest", "corpus", "-j", "1"], &a);
    run(&["ingest", "corpus", "-j", "2"], &b);
    for args in [
        &["--format", "csv"][..],
        &["--format", "jsonl"][..],
        &["--format", "csv", "--long"][..],
    ] {
        let x = export(&a, args);
        assert!(!x.is_empty());
        assert_eq!(x, export(&b, args), "{args:?}");
        assert_eq!(x, export(&a, args), "{args:?}");
    }
}

fn compare_json(db: &Path, org: Option<&str>) -> Value {
    let mut a = vec!["compare", "--format", "json"];
    if let Some(o) = org {
        a.extend(["--org", o]);
    }
    serde_json::from_slice(&run(&a, db).stdout).unwrap()
}

fn years(org: &Value) -> Vec<i64> {
    org["years"]
        .as_array()
        .unwrap()
        .iter()
        .map(|y| y["year"].as_i64().unwrap())
        .collect()
}

fn rules_fired(org: &Value) -> Vec<String> {
    org["cross_year"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|p| p["violations"].as_array().unwrap().iter())
        .map(|v| v["rule"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn compare_folds_renditions_and_checks_consecutive_years() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("x.sqlite");
    run(&["ingest", "corpus"], &db);
    let all = compare_json(&db, None);
    let orgs = all["organizations"].as_array().unwrap();
    let find = |key: &str| {
        orgs.iter()
            .find(|o| o["organization_key"] == key)
            .unwrap_or_else(|| panic!("{key} missing"))
    };
    let js = find("景山街道");
    assert_eq!(years(js), [2020, 2021, 2022]);
    // The seed report in every format (txt, docx, GBK HTML, and its renditions: .doc, RTF, MHT,
    // PDF, …) is one 2020 report: one kept, the others folded.
    let y2020 = &js["years"][0];
    let kept = y2020["paths"][0].as_str().unwrap().to_string();
    let mut all: Vec<String> = y2020["folded"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|f| f["paths"].as_array().unwrap().iter())
        .map(|p| p.as_str().unwrap().to_string())
        .collect();
    all.push(kept.clone());
    assert!(kept.contains("seed_jingshan_2020"), "{kept}");
    for p in [
        "corpus/seed_jingshan_2020.docx",
        "corpus/seed_jingshan_2020.html",
        "corpus/seed_jingshan_2020.txt",
    ] {
        assert!(all.iter().any(|x| x == p), "{p} not among {all:?}");
    }
    // Nothing but the seed's renditions is folded into it.
    assert!(
        all.iter().all(|p| p.contains("seed_jingshan_2020")),
        "{all:?}"
    );
    assert_eq!(js["changes"][0]["deltas"]["received"], 4);
    assert_eq!(js["cross_year"].as_array().unwrap().len(), 2);
    for key in ["景山街道", "新华街道", "沭阳县发展和改革局"] {
        let o = find(key);
        assert!(
            !rules_fired(o).contains(&"X-CARRY".to_string()),
            "{key}: {}",
            o["cross_year"]
        );
        assert!(!o["cross_year"].as_array().unwrap().is_empty(), "{key}");
    }
    assert_eq!(years(find("新华街道")), [2019, 2020]);
    assert_eq!(years(find("沭阳县发展和改革局")), [2022, 2023]);
    // --org by any spelling of the name.
    let one = compare_json(&db, Some("北京市东城区景山街道办事处"));
    assert_eq!(one["organizations"].as_array().unwrap().len(), 1);
    let text = run(&["compare", "--org", "景山街道"], &db).stdout;
    let text = String::from_utf8(text).unwrap();
    assert!(text.contains("folded: corpus/"), "{text}");
    assert!(text.contains("2020→2021"), "{text}");
}

#[test]
fn compare_fires_x_carry_on_a_crafted_mismatch() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("x.sqlite");
    run(
        &[
            "ingest",
            "corpus/v2019_01_xinhua_2019.html",
            "corpus/v2019_02_xinhua_2020.docx",
        ],
        &db,
    );
    let before = compare_json(&db, Some("新华街道"));
    assert!(!rules_fired(&before["organizations"][0]).contains(&"X-CARRY".to_string()));
    let c = Connection::open(&db).unwrap();
    let n = c
        .execute(
            "UPDATE fields SET value = value + 2 WHERE key = 'requests.carried_over.total'
             AND sha256 = (SELECT sha256 FROM reports WHERE year = 2020)",
            [],
        )
        .unwrap();
    assert_eq!(n, 1);
    drop(c);
    let all = compare_json(&db, Some("新华街道"));
    let org = &all["organizations"][0];
    assert_eq!(
        rules_fired(org)
            .iter()
            .filter(|r| r.as_str() == "X-CARRY")
            .count(),
        1
    );
    let v = &org["cross_year"][0]["violations"][0];
    assert_eq!(v["severity"], "warning");
    assert!(
        v["message"]
            .as_str()
            .unwrap()
            .contains("2020 上年结转 [总计] is 5"),
        "{v}"
    );
}

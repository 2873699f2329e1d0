//! The real binary on real files: the contract's command line.

mod common;

use std::process::Command;

use common::root;
use serde_json::Value;

fn xxgk() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_xxgk"));
    c.current_dir(root());
    c
}

fn records(stdout: &[u8]) -> Vec<Value> {
    String::from_utf8_lossy(stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON record per line"))
        .collect()
}

#[test]
fn extract_writes_one_record_per_file_in_sorted_order() {
    let out = xxgk()
        .args(["extract", "corpus", "-j", "2"])
        .output()
        .expect("run");
    assert!(out.status.success());
    let recs = records(&out.stdout);
    // Folders are walked recursively: the reports at the top and corpus/hostile/ below.
    let files: Vec<String> = {
        fn walk(dir: &std::path::Path, rel: &str, out: &mut Vec<String>) {
            for e in std::fs::read_dir(dir).unwrap().filter_map(|e| e.ok()) {
                let name = e.file_name().to_string_lossy().to_string();
                if name.starts_with('.') {
                    continue;
                }
                let rel = format!("{rel}/{name}");
                if e.path().is_dir() {
                    walk(&e.path(), &rel, out);
                } else {
                    out.push(rel);
                }
            }
        }
        let mut f = Vec::new();
        walk(&root().join("corpus"), "corpus", &mut f);
        f.sort();
        f
    };
    assert!(files.iter().any(|f| f.starts_with("corpus/hostile/")));
    let paths: Vec<&str> = recs
        .iter()
        .map(|r| r["source"]["path"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(paths, files);
    let summary = String::from_utf8_lossy(&out.stderr);
    assert!(
        summary.contains(&format!("{} files:", files.len())),
        "{summary}"
    );
    assert!(summary.contains("files/s"), "{summary}");
}

#[test]
fn output_is_the_same_for_one_and_two_threads() {
    let a = xxgk()
        .args(["extract", "corpus", "-j", "1"])
        .output()
        .expect("run");
    let b = xxgk()
        .args(["extract", "corpus", "-j", "2"])
        .output()
        .expect("run");
    assert_eq!(a.stdout, b.stdout);
}

#[test]
fn extract_to_a_file() {
    let dir = std::env::temp_dir().join(format!("xxgk-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let out_file = dir.join("out.jsonl");
    let st = xxgk()
        .args(["extract", "corpus/seed_jingshan_2020.txt", "-o"])
        .arg(&out_file)
        .status()
        .expect("run");
    assert!(st.success());
    let text = std::fs::read_to_string(&out_file).unwrap();
    assert_eq!(text.lines().count(), 1);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn bad_files_become_failed_records_and_the_run_goes_on() {
    let dir = std::env::temp_dir().join(format!("xxgk-bad-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("a_empty.docx"), b"").unwrap();
    std::fs::write(
        dir.join("b_random.docx"),
        (0..4096u32)
            .map(|i| (i.wrapping_mul(2654435761) >> 13) as u8)
            .collect::<Vec<u8>>(),
    )
    .unwrap();
    std::fs::write(
        dir.join("c_broken_zip.docx"),
        b"PK\x03\x04this is not really a zip",
    )
    .unwrap();
    std::fs::write(
        dir.join("d_not_a_report.txt"),
        "今天天气很好。\n我们去公园散步。\n".as_bytes(),
    )
    .unwrap();
    std::fs::write(
        dir.join("e_legacy.doc"),
        [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0, 0, 0],
    )
    .unwrap();
    std::fs::copy(
        root().join("corpus/seed_jingshan_2020.txt"),
        dir.join("f_good.txt"),
    )
    .unwrap();
    let out = xxgk().arg("extract").arg(&dir).output().expect("run");
    assert!(out.status.success());
    let recs = records(&out.stdout);
    assert_eq!(recs.len(), 6);
    for r in &recs[..5] {
        assert_eq!(r["status"], "failed", "{r}");
        let err = r["error"].as_str().unwrap_or("");
        assert!(!err.is_empty() && !err.contains('\n'), "{err}");
    }
    assert_eq!(recs[0]["error"], "empty file");
    assert_eq!(recs[5]["status"], "ok");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn check_reports_findings_in_compiler_style_and_exits_1_on_errors() {
    let out = xxgk()
        .args(["check", "corpus/v2019_10_qidu_2020.txt"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.lines()
            .any(|l| l.starts_with("corpus/v2019_10_qidu_2020.txt: T3-COL error: ")),
        "{text}"
    );
    assert!(
        text.lines()
            .last()
            .is_some_and(|l| l.starts_with("1 files:")),
        "{text}"
    );
    let out = xxgk()
        .args(["check", "corpus/seed_jingshan_2020.txt"])
        .output()
        .expect("run");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

#[test]
fn usage_errors_exit_2() {
    let out = xxgk().args(["extract"]).output().expect("run");
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn rules_lists_every_rule() {
    let out = xxgk().arg("rules").output().expect("run");
    let text = String::from_utf8_lossy(&out.stdout);
    for id in [
        "T3-COL",
        "T3-SUM",
        "T3-ROW",
        "T4-SUM",
        "S-SECTIONS",
        "S-TABLES",
        "S-VINTAGE",
    ] {
        assert!(text.contains(id), "{id}");
    }
    // Every rule of the registry and of the cross-report list, with severity and origin.
    for r in xxgk::rules::RULES {
        let line = text
            .lines()
            .find(|l| l.split_whitespace().next() == Some(r.id))
            .unwrap_or_else(|| panic!("{} not listed", r.id));
        assert!(line.contains(r.severity.as_str()), "{line}");
    }
    for r in xxgk::rules::CROSS_RULES {
        assert!(
            text.lines().any(|l| l.starts_with(r.id)),
            "{} not listed",
            r.id
        );
    }
}

#[test]
fn check_json_has_one_object_per_finding_and_a_summary() {
    let out = xxgk()
        .args(["check", "--format", "json", "corpus/v2019_10_qidu_2020.txt"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1));
    let lines = records(&out.stdout);
    let (last, findings) = lines.split_last().expect("a summary line");
    assert_eq!(last["summary"]["files"], 1);
    assert!(last["summary"]["errors"].as_u64().is_some_and(|n| n >= 2));
    let col: Vec<&Value> = findings.iter().filter(|f| f["rule"] == "T3-COL").collect();
    assert_eq!(col.len(), 2, "{findings:?}");
    for f in findings {
        assert_eq!(f["path"], "corpus/v2019_10_qidu_2020.txt");
        for k in ["rule", "severity", "origin", "message"] {
            assert!(f[k].is_string(), "{k} in {f}");
        }
        assert!(f["fields"].is_array());
    }
    assert_eq!(col[0]["severity"], "error");
    assert_eq!(col[0]["origin"], "source");
}

/// The per-file guards, through the debug-only test hooks (`XXGK_TEST_PANIC`,
/// `XXGK_TEST_SLOW_MS`, `XXGK_TEST_ABORT` act on files holding `xxgk-test-panic`, …).
#[cfg(debug_assertions)]
mod guards {
    use super::*;
    use std::time::{Duration, Instant};

    fn dir_with_hooks(tag: &str) -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("xxgk-guard-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let seed = std::fs::read_to_string(root().join("corpus/seed_jingshan_2020.txt")).unwrap();
        std::fs::write(dir.join("a_good.txt"), &seed).unwrap();
        for hook in ["abort", "panic", "slow"] {
            std::fs::write(
                dir.join(format!("b_{hook}.txt")),
                format!("{seed}\nxxgk-test-{hook}\n"),
            )
            .unwrap();
        }
        std::fs::write(dir.join("c_good.txt"), &seed).unwrap();
        dir
    }

    fn by_name<'a>(recs: &'a [Value], name: &str) -> &'a Value {
        recs.iter()
            .find(|r| r["source"]["path"].as_str().unwrap_or("").ends_with(name))
            .unwrap_or_else(|| panic!("no record for {name}"))
    }

    #[test]
    fn isolated_workers_stop_slow_files_and_survive_crashes() {
        let dir = dir_with_hooks("isolate");
        let t = Instant::now();
        let out = xxgk()
            .args(["extract", "--isolate", "--timeout-secs", "4", "-j", "2"])
            .arg(&dir)
            .env("XXGK_TEST_SLOW_MS", "60000")
            .env("XXGK_TEST_PANIC", "1")
            .env("XXGK_TEST_ABORT", "1")
            .output()
            .expect("run");
        let took = t.elapsed();
        assert!(out.status.success());
        // The 60 s file was stopped at the 4 s budget (the good files take well under it, even
        // in a debug build on a loaded machine).
        assert!(took < Duration::from_secs(30), "took {took:?}");
        let recs = records(&out.stdout);
        assert_eq!(recs.len(), 5);
        assert_eq!(by_name(&recs, "a_good.txt")["status"], "ok");
        assert_eq!(by_name(&recs, "c_good.txt")["status"], "ok");
        let slow = by_name(&recs, "b_slow.txt");
        assert_eq!(slow["status"], "failed");
        assert_eq!(slow["error"], "took longer than 4 s (time budget)");
        assert_eq!(slow["source"]["sha256"].as_str().unwrap_or("").len(), 64);
        let abort = by_name(&recs, "b_abort.txt");
        assert_eq!(abort["status"], "failed");
        assert!(
            abort["error"]
                .as_str()
                .unwrap_or("")
                .starts_with("worker process died while reading this file"),
            "{abort}"
        );
        let panic = by_name(&recs, "b_panic.txt");
        assert_eq!(panic["status"], "failed");
        assert!(panic["error"]
            .as_str()
            .unwrap_or("")
            .starts_with("internal error while reading this file"));
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn in_process_a_panic_is_one_failed_record_and_overdue_files_are_reported() {
        let dir = dir_with_hooks("inproc");
        std::fs::remove_file(dir.join("b_abort.txt")).unwrap();
        let out = xxgk()
            .args(["extract", "--timeout-secs", "3", "-j", "2"])
            .arg(&dir)
            .env("XXGK_TEST_SLOW_MS", "6000")
            .env("XXGK_TEST_PANIC", "1")
            .output()
            .expect("run");
        assert!(out.status.success());
        let recs = records(&out.stdout);
        assert_eq!(recs.len(), 4);
        assert_eq!(by_name(&recs, "a_good.txt")["status"], "ok");
        assert_eq!(by_name(&recs, "c_good.txt")["status"], "ok");
        assert!(by_name(&recs, "b_panic.txt")["error"]
            .as_str()
            .unwrap_or("")
            .contains("test hook: XXGK_TEST_PANIC"));
        assert_eq!(
            by_name(&recs, "b_slow.txt")["error"],
            "took longer than 3 s (time budget)"
        );
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains("b_slow.txt: still running after 3 s"),
            "{stderr}"
        );
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn isolated_output_is_the_same_as_in_process() {
        let a = xxgk()
            .args(["extract", "corpus", "-j", "2"])
            .output()
            .expect("run");
        let b = xxgk()
            .args(["extract", "corpus", "-j", "2", "--isolate"])
            .output()
            .expect("run");
        assert_eq!(
            String::from_utf8_lossy(&a.stdout),
            String::from_utf8_lossy(&b.stdout)
        );
    }
}

#[test]
fn check_runs_the_cross_year_rules_on_one_organisations_years() {
    // 景山街道 2020 (three formats of one report), 2021 and 2022.
    let out = xxgk()
        .args([
            "check",
            "corpus/seed_jingshan_2020.txt",
            "corpus/seed_jingshan_2020.docx",
            "corpus/seed_jingshan_2020.html",
            "corpus/v2021_01_jingshan_2021.docx",
            "corpus/v2021_02_jingshan_2022.html",
        ])
        .output()
        .expect("run");
    let text = String::from_utf8_lossy(&out.stdout);
    // The truth files say 2022's 现行有效 does not follow from 2021's: X-T2-VALID fires there.
    assert!(
        text.lines()
            .any(|l| l.starts_with("corpus/v2021_02_jingshan_2022.html: X-T2-VALID warning: ")),
        "{text}"
    );
    // 上年结转 follows 结转下年度 in both steps; the three 2020 files are one report, not three.
    assert!(!text.contains("X-CARRY"), "{text}");
    assert!(!text.contains("X-DUP-NUM"), "{text}");
    assert!(
        !text
            .lines()
            .any(|l| l.starts_with("corpus/seed_jingshan_2020") && l.contains(" X-")),
        "{text}"
    );
}

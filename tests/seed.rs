//! The report the project started from (景山街道 2020), read from `../shared/seeds/` and from
//! its Word and GBK HTML renditions in `corpus/`.

mod common;

use common::{extract, root, shared};
use xxgk::record::{Severity, Status};

const FIELDS: &[(&str, f64)] = &[
    ("requests.new.natural_person", 8.0),
    ("requests.new.total", 8.0),
    ("requests.granted.total", 7.0),
    ("requests.withheld_law_forbidden.total", 1.0),
    ("requests.total.total", 8.0),
    ("requests.carry_forward.total", 0.0),
    ("proactive.punishment.change", 337.0),
    ("proactive.punishment.decisions", 122.0),
    ("proactive.procurement.items", 26.0),
    ("proactive.procurement.amount", 183.2867),
    ("proactive.other_services.confirmation.change", 10.0),
    ("proactive.coercion.change", 20.0),
    ("review.total", 0.0),
];

fn seed_path() -> std::path::PathBuf {
    let dir = shared().join("seeds");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("../shared/seeds")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    files.sort();
    files.into_iter().next().expect("a seed file")
}

fn check(path: &std::path::Path) {
    let r = extract(path);
    let name = path.display();
    assert_eq!(
        r.status,
        Status::Ok,
        "{name}: {:?} {:?}",
        r.error,
        r.violations
    );
    let report = r.report.as_ref().expect("report");
    assert_eq!(report.organization.as_deref(), Some("景山街道"), "{name}");
    assert_eq!(report.year, Some(2020), "{name}");
    assert_eq!(report.template, "2019", "{name}");
    let keys: Vec<&str> = r.sections.iter().map(|s| s.key.as_str()).collect();
    assert_eq!(
        keys,
        [
            "overview",
            "proactive",
            "requests",
            "review_litigation",
            "problems",
            "other"
        ],
        "{name}"
    );
    for (k, v) in FIELDS {
        let cell = r
            .fields
            .get(k)
            .unwrap_or_else(|| panic!("{name}: {k} missing"));
        assert_eq!(cell.state, "number", "{name}: {k}");
        assert_eq!(cell.value.as_f64(), Some(*v), "{name}: {k}");
    }
    assert!(
        !r.violations.iter().any(|v| v.rule.starts_with("T3")),
        "{name}: {:?}",
        r.violations
    );
    assert!(
        !r.violations.iter().any(|v| v.severity == Severity::Error),
        "{name}: {:?}",
        r.violations
    );
    // Part 五 says 一是, 三是 without 二是 (then restarts at 一是, which is fine).
    let ordinal: Vec<&str> = r
        .violations
        .iter()
        .filter(|v| v.rule == "S-ORDINAL")
        .map(|v| v.message.as_str())
        .collect();
    assert_eq!(
        ordinal,
        ["enumeration out of order in 五、存在的主要问题及改进情况: 三是 follows 一是 (二是 missing)"],
        "{name}"
    );
    assert_eq!(
        r.violations
            .iter()
            .find(|v| v.rule == "S-ORDINAL")
            .map(|v| v.severity),
        Some(Severity::Warning)
    );
}

#[test]
fn the_seed_as_text() {
    check(&seed_path());
}

#[test]
fn the_seed_as_word() {
    check(&root().join("corpus/seed_jingshan_2020.docx"));
}

#[test]
fn the_seed_as_gbk_html() {
    let path = root().join("corpus/seed_jingshan_2020.html");
    check(&path);
    let r = extract(&path);
    assert_eq!(r.source.encoding.as_deref(), Some("gbk"));
    assert_eq!(r.source.format.as_deref(), Some("html"));
}

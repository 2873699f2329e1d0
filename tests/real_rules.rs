//! The rule catalogue on the real reports in `../shared/real/`: they get exactly the source
//! inconsistencies SOURCES.md documents, and the narrative rules stay quiet on the reports
//! whose narrative agrees with their tables (rules.md §5), while edited copies that disagree
//! are flagged.

mod common;

use std::collections::BTreeSet;

use common::{extract, load_truth, shared};
use xxgk::pipeline::process_bytes;
use xxgk::record::{Record, Severity, Source, Violation};
use xxgk::rules::{self, Context};
use xxgk::template::data::Vintage;
use xxgk::template::detect::Template;
use xxgk::template::map::Mapped;

fn errors(v: &[Violation]) -> Vec<String> {
    v.iter()
        .filter(|v| v.severity == Severity::Error)
        .map(|v| format!("{}: {}", v.rule, v.message))
        .collect()
}

fn real(name: &str) -> std::path::PathBuf {
    shared().join("real").join(name)
}

/// The non-PDF real reports: no error-severity finding (SOURCES.md documents none for them:
/// 沭阳发改局's blank 法人 columns are not assessable, 科委's lost 结转 总计 cell makes two
/// checks not assessable, bgt's ambiguous table 二 rows are left out).
#[test]
fn non_pdf_real_reports_have_no_error() {
    for name in [
        "shuyang_fgj_2023.html",
        "shuyang_zf_2025.txt",
        "shanghai_kewei_2024.md",
        "shanghai_bgt_2025.md",
        "template_2021_blank.docx",
    ] {
        let r = extract(&real(name));
        assert_eq!(errors(&r.violations), Vec::<String>::new(), "{name}");
    }
}

fn assessment(r: &Record, rule: &str) -> (u32, u32, u32, u32) {
    r.assessments
        .iter()
        .find(|a| a.rule == rule)
        .map_or((0, 0, 0, 0), |a| {
            (a.passed, a.failed, a.blank_as_zero, a.not_assessable)
        })
}

#[test]
fn blank_cells_are_not_assessable_not_failures() {
    // 沭阳发改局 2023: the five 法人 columns are blank in every row: their column identities
    // cannot be assessed, and the row identities hold only with blanks read as 0.
    let r = extract(&real("shuyang_fgj_2023.html"));
    for (rule, na_at_least) in [("T3-COL", 5), ("T3-SUM", 5)] {
        let (_, failed, _, na) = assessment(&r, rule);
        assert_eq!(failed, 0, "{rule}");
        assert!(na >= na_at_least, "{rule}: {:?}", r.assessments);
    }
    let (passed, failed, blank_as_zero, _) = assessment(&r, "T3-ROW");
    assert_eq!((passed, failed, blank_as_zero), (0, 0, 25));
    // 科委 2024: 四、结转下年度 总计 lost in conversion.
    let r = extract(&real("shanghai_kewei_2024.md"));
    for rule in ["T3-COL", "T3-ROW"] {
        let (_, failed, _, na) = assessment(&r, rule);
        assert_eq!(failed, 0, "{rule}");
        assert!(na >= 1, "{rule}: {:?}", r.assessments);
    }
}

/// Reports whose narrative agrees with the tables (rules.md §5): no N-* finding at all.
#[test]
fn consistent_narratives_raise_no_n_warning() {
    for name in [
        "shuyang_zf_2025.txt",
        "shanghai_kewei_2024.md",
        "shanghai_bgt_2025.md",
        "shuyang_fgj_2023.html",
    ] {
        let r = extract(&real(name));
        let n: Vec<&Violation> = r
            .violations
            .iter()
            .filter(|v| v.rule.starts_with("N-"))
            .collect();
        assert!(n.is_empty(), "{name}: {n:?}");
        // And the narrative was actually read against the tables.
        let checked: u32 = r
            .assessments
            .iter()
            .filter(|a| a.rule.starts_with("N-") && a.rule != "N-YEAR")
            .map(|a| a.passed)
            .sum();
        assert!(checked >= 1, "{name}: {:?}", r.assessments);
    }
}

/// The same reports with one narrative number changed.
fn edited(name: &str, from: &str, to: &str) -> Record {
    let text = std::fs::read_to_string(real(name)).expect("real report");
    assert!(text.contains(from), "{name} has `{from}`");
    let bytes = text.replacen(from, to, 1).into_bytes();
    process_bytes(
        &bytes,
        Source {
            path: format!("edited/{name}"),
            sha256: String::new(),
            bytes: 0,
            format: None,
            encoding: None,
        },
    )
}

fn n_rules(r: &Record) -> BTreeSet<String> {
    r.violations
        .iter()
        .filter(|v| v.rule.starts_with("N-"))
        .map(|v| v.rule.clone())
        .collect()
}

#[test]
fn inconsistent_narratives_are_flagged() {
    let cases = [
        // 749 = 一 713 + 二 36; neither reading gives 759.
        (
            "shuyang_zf_2025.txt",
            "共受理政府信息公开申请 749 件",
            "共受理政府信息公开申请 759 件",
            "N-RECV",
        ),
        (
            "shuyang_zf_2025.txt",
            "自然人申请 741 件",
            "自然人申请 740 件",
            "N-APPL",
        ),
        (
            "shuyang_zf_2025.txt",
            "共办理 718 件",
            "共办理 719 件",
            "N-DONE",
        ),
        (
            "shuyang_zf_2025.txt",
            "结转下一年 31 件",
            "结转下一年 13 件",
            "N-CARRY",
        ),
        (
            "shanghai_kewei_2024.md",
            "同意公开答复 9 件",
            "同意公开答复 8 件",
            "N-CAT",
        ),
        (
            "shanghai_kewei_2024.md",
            "行政诉讼数为\n0 件",
            "行政诉讼数为\n2 件",
            "N-SUIT",
        ),
        (
            "shanghai_bgt_2025.md",
            "不予处理 80 件",
            "不予处理 81 件",
            "N-CAT",
        ),
        (
            "shanghai_bgt_2025.md",
            "办结 1191 件",
            "办结 1190 件",
            "N-DONE",
        ),
    ];
    for (name, from, to, rule) in cases {
        let r = edited(name, from, to);
        let fired = n_rules(&r);
        assert_eq!(
            fired,
            BTreeSet::from([rule.to_string()]),
            "{name}: `{to}`: {:?}",
            r.violations
        );
        assert!(r
            .violations
            .iter()
            .filter(|v| v.rule == rule)
            .all(|v| v.severity == Severity::Warning));
    }
}

/// Table rules on the truth values of the PDF reports (the PDF reader is not in this
/// checkout): SOURCES.md documents 洪泽 2023's two T4-SUM failures and nothing else.
#[test]
fn truth_values_of_the_pdf_reports_get_the_documented_errors() {
    let expected: &[(&str, &[&str])] = &[
        (
            "hongze_zf_2023",
            &[
                "T4-SUM: 维持+纠正+其他+尚未审结 ≠ 总计 in 行政复议: 10 + 1 + 0 + 0 ≠ 0",
                "T4-SUM: 维持+纠正+其他+尚未审结 ≠ 总计 in 复议后起诉: 5 + 0 + 0 + 0 ≠ 0",
            ],
        ),
        ("hongze_zf_2024", &[]),
        ("huaian_szf_2024", &[]),
    ];
    for (stem, want) in expected {
        let truth = load_truth(&shared().join("real/truth").join(format!("{stem}.json")));
        let mapped = Mapped::from_values(Template::Official(Vintage::V2021), &truth.fields);
        let ctx = Context {
            organization: truth.organization.as_deref(),
            ..Context::tables_only(&mapped, truth.year)
        };
        let (violations, _) = rules::run(&ctx);
        assert_eq!(errors(&violations), *want, "{stem}");
        // The hybrid 洪泽 table 三 (one （六） row) is read with its single `other` row.
        assert!(
            !violations.iter().any(|v| v.rule.starts_with("T3-")),
            "{stem}: {violations:?}"
        );
    }
}

/// 洪泽 2024: the narrative's "区政府办代表区政府受理政府信息公开申请 17 件" against table 三's 95
/// new requests (SOURCES.md: a narrative-vs-table difference, possibly of scope) is an N-RECV
/// warning, not an error. Read against the truth values (the PDF reader is not here).
#[test]
fn hongze_2024_narrative_scope_difference_is_a_warning() {
    let truth = load_truth(&shared().join("real/truth/hongze_zf_2024.json"));
    let mapped = Mapped::from_values(Template::Official(Vintage::V2021), &truth.fields);
    let text = "（二）依申请公开情况\n2024 年，区政府办代表区政府受理政府信息公开申请 17 件，均在法定期限内答复。";
    let ctx = Context {
        texts: vec![("overview", text)],
        ..Context::tables_only(&mapped, truth.year)
    };
    let (violations, _) = rules::run(&ctx);
    let n: Vec<&Violation> = violations
        .iter()
        .filter(|v| v.rule.starts_with("N-"))
        .collect();
    assert_eq!(n.len(), 1, "{n:?}");
    assert_eq!(n[0].rule, "N-RECV");
    assert_eq!(n[0].severity, Severity::Warning);
    assert!(n[0].message.contains("一[总计] = 95"), "{}", n[0].message);
}

//! Fixtures for every rule, firing and not firing (the way ruff tests its lints).

use super::*;
use crate::template::cell::parse_cell;
use crate::template::data::{TABLE3_COLUMNS, TABLE3_ROWS, TABLE4_COLUMNS, TABLE4_GROUPS};
use crate::template::map::{Evidence, Field};
use crate::template::rows::{ColumnEvidence, RowSource};

const ALL_SECTIONS: [&str; 6] = [
    "overview",
    "proactive",
    "requests",
    "review_litigation",
    "problems",
    "other",
];

fn field(key: &str, raw: &str) -> Field {
    Field {
        key: key.to_string(),
        cell: parse_cell(raw, false),
        evidence: Evidence {
            label_score: 1.0,
            row_by_order: false,
            column: ColumnEvidence::Header,
            source: RowSource::Grid,
        },
    }
}

/// A consistent 2019 report: 8 new requests by natural persons, 7 granted, 1 withheld.
fn consistent_2019() -> Mapped {
    let mut m = Mapped {
        template: Some(Template::Official(Vintage::V2019)),
        found: [true; 3],
        ..Default::default()
    };
    for r in TABLE3_ROWS
        .iter()
        .filter(|r| r.years.includes(Vintage::V2019))
    {
        let n = match r.key {
            "new" | "total" => 8,
            "granted" => 7,
            "withheld_law_forbidden" => 1,
            _ => 0,
        };
        for c in TABLE3_COLUMNS {
            let v = if c.key == "natural_person" || c.key == "total" {
                n
            } else {
                0
            };
            m.fields.push(field(
                &format!("requests.{}.{}", r.key, c.key),
                &v.to_string(),
            ));
        }
    }
    for (g, _, _) in TABLE4_GROUPS {
        for c in TABLE4_COLUMNS {
            m.fields.push(field(&format!("{g}.{}", c.key), "0"));
        }
    }
    for k in [
        "rules.made",
        "rules.published",
        "rules.total_published",
        "normative.made",
        "normative.published",
        "normative.total_published",
    ] {
        m.fields.push(field(&format!("proactive.{k}"), "0"));
    }
    for row in ["licensing", "other_services", "punishment", "coercion"] {
        for c in ["prev_items", "change", "decisions"] {
            m.fields.push(field(&format!("proactive.{row}.{c}"), "0"));
        }
    }
    for k in [
        "fees.prev_items",
        "fees.change",
        "procurement.items",
        "procurement.amount",
    ] {
        m.fields.push(field(&format!("proactive.{k}"), "0"));
    }
    m
}

fn set(m: &mut Mapped, key: &str, raw: &str) {
    let f = m
        .fields
        .iter_mut()
        .find(|f| f.key == key)
        .expect("key exists");
    f.cell = parse_cell(raw, false);
}

fn run_rule(id: &str, m: &Mapped, year: Option<i32>, sections: &[&'static str]) -> Outcome {
    let ctx = Context {
        mapped: m,
        template: m.template.unwrap_or(Template::Unknown),
        year,
        sections: sections.to_vec(),
        texts: vec![],
        title: None,
        organization: None,
    };
    let rule = RULES.iter().find(|r| r.id == id).expect("rule registered");
    let mut out = Outcome::default();
    (rule.check)(&ctx, &mut out);
    out
}

#[test]
fn every_rule_is_documented_once() {
    let mut ids: Vec<&str> = RULES.iter().map(|r| r.id).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), RULES.len());
    assert!(RULES.iter().all(|r| !r.doc.is_empty()));
}

#[test]
fn t3_col_fires_and_names_the_numbers() {
    let mut m = consistent_2019();
    assert!(run_rule("T3-COL", &m, Some(2020), &ALL_SECTIONS)
        .violations
        .is_empty());
    set(&mut m, "requests.total.total", "7");
    let out = run_rule("T3-COL", &m, Some(2020), &ALL_SECTIONS);
    assert_eq!(out.violations.len(), 1);
    assert_eq!(
        out.violations[0].message,
        "一+二 ≠ （七）+四 in 总计: 8 + 0 ≠ 7 + 0"
    );
    assert_eq!(out.violations[0].origin, Origin::Source);
}

#[test]
fn t3_col_blank_policy() {
    let mut m = consistent_2019();
    // Zero cells left blank: passes only with blanks read as zero.
    set(&mut m, "requests.carried_over.total", "");
    let out = run_rule("T3-COL", &m, None, &ALL_SECTIONS);
    assert!(out.violations.is_empty());
    assert_eq!(out.assessment.blank_as_zero, 1);
    // A slash makes the check not assessable rather than a failure.
    set(&mut m, "requests.new.total", "/");
    let out = run_rule("T3-COL", &m, None, &ALL_SECTIONS);
    assert!(out.violations.is_empty());
    assert_eq!(out.assessment.not_assessable, 1);
}

#[test]
fn t3_sum_fires_when_results_do_not_add_up() {
    let mut m = consistent_2019();
    assert!(run_rule("T3-SUM", &m, None, &ALL_SECTIONS)
        .violations
        .is_empty());
    set(&mut m, "requests.granted.natural_person", "6");
    let out = run_rule("T3-SUM", &m, None, &ALL_SECTIONS);
    assert_eq!(out.violations.len(), 1);
    assert!(
        out.violations[0].message.contains("自然人: 8 ≠ 7"),
        "{}",
        out.violations[0].message
    );
}

#[test]
fn t3_row_fires_on_a_wrong_row_total() {
    let mut m = consistent_2019();
    assert_eq!(
        run_rule("T3-ROW", &m, None, &ALL_SECTIONS)
            .assessment
            .failed,
        0
    );
    set(&mut m, "requests.new.commercial", "2");
    let out = run_rule("T3-ROW", &m, None, &ALL_SECTIONS);
    assert_eq!(out.violations.len(), 1);
    assert!(out.violations[0]
        .message
        .contains("一、本年新收政府信息公开申请数量"));
}

#[test]
fn t4_sum_fires_on_a_wrong_total() {
    let mut m = consistent_2019();
    assert!(run_rule("T4-SUM", &m, None, &ALL_SECTIONS)
        .violations
        .is_empty());
    set(&mut m, "review.upheld", "10");
    set(&mut m, "review.corrected", "1");
    let out = run_rule("T4-SUM", &m, None, &ALL_SECTIONS);
    assert_eq!(out.violations.len(), 1);
    assert_eq!(
        out.violations[0].message,
        "维持+纠正+其他+尚未审结 ≠ 总计 in 行政复议: 10 + 1 + 0 + 0 ≠ 0"
    );
}

#[test]
fn s_sections_fires_on_missing_or_disordered_parts() {
    let m = consistent_2019();
    assert!(run_rule("S-SECTIONS", &m, None, &ALL_SECTIONS)
        .violations
        .is_empty());
    let out = run_rule(
        "S-SECTIONS",
        &m,
        None,
        &[
            "overview",
            "proactive",
            "requests",
            "review_litigation",
            "problems",
        ],
    );
    assert_eq!(out.violations.len(), 1);
    assert!(out.violations[0].message.contains("六、其他需要报告的事项"));
    let out = run_rule(
        "S-SECTIONS",
        &m,
        None,
        &[
            "overview",
            "requests",
            "proactive",
            "review_litigation",
            "problems",
            "other",
        ],
    );
    assert_eq!(out.violations.len(), 1);
}

#[test]
fn s_tables_fires_on_missing_tables_and_cells() {
    let mut m = consistent_2019();
    assert!(run_rule("S-TABLES", &m, None, &ALL_SECTIONS)
        .violations
        .is_empty());
    m.fields
        .retain(|f| !f.key.starts_with("requests.carry_forward."));
    let out = run_rule("S-TABLES", &m, None, &ALL_SECTIONS);
    assert_eq!(out.violations.len(), 1);
    assert_eq!(out.violations[0].severity, Severity::Warning);
    m.found[2] = false;
    let out = run_rule("S-TABLES", &m, None, &ALL_SECTIONS);
    assert!(out
        .violations
        .iter()
        .any(|v| v.severity == Severity::Error && v.message.contains("四")));
}

#[test]
fn s_vintage_fires_on_a_template_from_the_wrong_years() {
    let m = consistent_2019();
    assert!(run_rule("S-VINTAGE", &m, Some(2020), &ALL_SECTIONS)
        .violations
        .is_empty());
    assert_eq!(
        run_rule("S-VINTAGE", &m, Some(2022), &ALL_SECTIONS)
            .violations
            .len(),
        1
    );
    assert_eq!(
        run_rule("S-VINTAGE", &m, None, &ALL_SECTIONS)
            .assessment
            .not_assessable,
        1
    );
}

#[test]
fn t2_unit_fires_on_yuan() {
    let mut m = consistent_2019();
    assert!(run_rule("T2-UNIT", &m, None, &ALL_SECTIONS)
        .violations
        .is_empty());
    let f = m
        .fields
        .iter_mut()
        .find(|f| f.key == "proactive.procurement.amount")
        .expect("key");
    f.cell = parse_cell("251000元", true);
    let out = run_rule("T2-UNIT", &m, None, &ALL_SECTIONS);
    assert_eq!(out.violations.len(), 1);
    assert_eq!(
        out.violations[0].message,
        "proactive.procurement.amount written in 元: 251000元 read as 25.1 万元"
    );
}

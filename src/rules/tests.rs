//! Fixtures for every rule, firing and not firing (the way ruff tests its lints).

use super::*;
use crate::template::cell::parse_cell;
use crate::template::cell::{CellState, CellValue};
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
        derived: Default::default(),
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

// ------------------------------------------------------------ helpers for the newer rules

fn set_value(m: &mut Mapped, key: &str, v: f64) {
    let f = m
        .fields
        .iter_mut()
        .find(|f| f.key == key)
        .expect("key exists");
    f.cell = CellValue {
        state: CellState::Number,
        value: Some(v),
        raw: fmt_num(v),
        notes: vec![],
    };
}

fn run_ctx(id: &str, ctx: &Context) -> Outcome {
    let rule = RULES.iter().find(|r| r.id == id).expect("rule registered");
    let mut out = Outcome::default();
    (rule.check)(ctx, &mut out);
    out
}

fn ctx_with<'a>(
    m: &'a Mapped,
    year: Option<i32>,
    texts: &[(&'static str, &'a str)],
    org: Option<&'a str>,
) -> Context<'a> {
    Context {
        sections: texts.iter().map(|t| t.0).collect(),
        texts: texts.to_vec(),
        organization: org,
        ..Context::tables_only(m, year)
    }
}

/// A 2021 table 二 with the given values (other tables absent).
fn table2_2021(values: &[(&str, f64)]) -> Mapped {
    let mut m = Mapped {
        template: Some(Template::Official(Vintage::V2021)),
        ..Default::default()
    };
    m.found[0] = true;
    for (k, v) in values {
        m.fields
            .push(field(&format!("proactive.{k}"), &fmt_num(*v)));
    }
    m
}

/// A consistent 2021 table 三 and 四 (the 2019 fixture with （六） split in three).
fn consistent_2021() -> Mapped {
    let mut m = consistent_2019();
    m.template = Some(Template::Official(Vintage::V2021));
    m.fields.retain(|f| !f.key.starts_with("requests.other."));
    for r in [
        "other_overdue_correction",
        "other_overdue_fee",
        "other_misc",
    ] {
        for c in TABLE3_COLUMNS {
            m.fields
                .push(field(&format!("requests.{r}.{}", c.key), "0"));
        }
    }
    m
}

// ------------------------------------------------------------------------ table 三

#[test]
fn every_rule_has_an_origin_and_identity_rules_are_listed() {
    for id in IDENTITY_RULES {
        assert!(RULES.iter().any(|r| r.id == *id), "{id}");
    }
    assert!(CROSS_RULES.iter().any(|r| r.id == "X-DUP-TEXT"));
    for r in CROSS_RULES {
        assert!(!RULES.iter().any(|x| x.id == r.id));
    }
}

#[test]
fn t3_nn_fires_on_negative_or_fractional_counts() {
    let mut m = consistent_2019();
    let out = run_rule("T3-NN", &m, None, &ALL_SECTIONS);
    assert!(out.violations.is_empty());
    assert!(out.assessment.passed > 100);
    set_value(&mut m, "requests.granted.research", -1.0);
    set_value(&mut m, "requests.partial.research", 1.5);
    let out = run_rule("T3-NN", &m, None, &ALL_SECTIONS);
    assert_eq!(out.violations.len(), 2);
    assert_eq!(
        out.violations[0].message,
        "requests.granted.research is negative: -1 (printed `-1`)"
    );
    assert_eq!(out.violations[0].severity, Severity::Error);
}

#[test]
fn t3_bound_fires_on_a_part_larger_than_its_whole() {
    let mut m = consistent_2019();
    let out = run_rule("T3-BOUND", &m, None, &ALL_SECTIONS);
    assert!(out.violations.is_empty());
    assert!(out.assessment.passed > 0);
    set_value(&mut m, "requests.granted.natural_person", 9.0);
    set_value(&mut m, "requests.carry_forward.total", 9.0);
    let out = run_rule("T3-BOUND", &m, None, &ALL_SECTIONS);
    let msgs: Vec<&str> = out.violations.iter().map(|v| v.message.as_str()).collect();
    assert_eq!(
        msgs,
        [
            "四、结转下年度 > 一 + 二 in 总计: 9 > 8 + 0",
            "（一）予以公开 > （七）总计 in 自然人: 9 > 8"
        ]
    );
    // A blank total could be anything: not assessable rather than a failure.
    set(&mut m, "requests.total.natural_person", "");
    let out = run_rule("T3-BOUND", &m, None, &ALL_SECTIONS);
    assert_eq!(out.violations.len(), 1);
}

#[test]
fn t3_zero_fires_on_results_without_requests() {
    let mut m = consistent_2019();
    // Not assessed when requests were received.
    let out = run_rule("T3-ZERO", &m, None, &ALL_SECTIONS);
    assert!(out.violations.is_empty());
    assert_eq!(out.assessment.passed, 0);
    for k in [
        "new.natural_person",
        "new.total",
        "total.natural_person",
        "total.total",
        "granted.natural_person",
        "granted.total",
        "withheld_law_forbidden.total",
        "withheld_law_forbidden.natural_person",
    ] {
        set(&mut m, &format!("requests.{k}"), "0");
    }
    let out = run_rule("T3-ZERO", &m, None, &ALL_SECTIONS);
    assert!(out.violations.is_empty());
    assert_eq!(out.assessment.passed, 1);
    set(&mut m, "requests.granted.total", "2");
    let out = run_rule("T3-ZERO", &m, None, &ALL_SECTIONS);
    assert_eq!(out.violations.len(), 1);
    assert_eq!(
        out.violations[0].message,
        "一[总计] + 二[总计] = 0 but results are reported: requests.granted.total = 2"
    );
}

#[test]
fn t3_split_explains_a_row_failure_as_ours() {
    let mut m = consistent_2019();
    assert!(run_rule("T3-SPLIT", &m, None, &ALL_SECTIONS)
        .violations
        .is_empty());
    // 12 requests by natural persons read as 1 | 2.
    set(&mut m, "requests.new.natural_person", "1");
    set(&mut m, "requests.new.commercial", "2");
    set(&mut m, "requests.new.total", "12");
    let out = run_rule("T3-SPLIT", &m, None, &ALL_SECTIONS);
    assert_eq!(out.violations.len(), 1);
    assert_eq!(out.violations[0].origin, Origin::Extraction);
    assert_eq!(out.violations[0].severity, Severity::Warning);
    assert!(
        out.violations[0]
            .message
            .contains("自然人 1 | 商业企业 2 read as 12"),
        "{}",
        out.violations[0].message
    );
    let row = run_rule("T3-ROW", &m, None, &ALL_SECTIONS);
    assert_eq!(row.violations.len(), 1);
    assert_eq!(row.violations[0].origin, Origin::Extraction);
    // A row that merging cannot fix stays a source failure, and T3-SPLIT is silent.
    set(&mut m, "requests.new.total", "8");
    set(&mut m, "requests.new.natural_person", "5");
    set(&mut m, "requests.new.commercial", "0");
    assert!(run_rule("T3-SPLIT", &m, None, &ALL_SECTIONS)
        .violations
        .is_empty());
    let row = run_rule("T3-ROW", &m, None, &ALL_SECTIONS);
    assert_eq!(row.violations[0].origin, Origin::Source);
}

#[test]
fn t3_shift_explains_two_opposite_column_failures_as_ours() {
    let mut m = consistent_2019();
    assert!(run_rule("T3-SHIFT", &m, None, &ALL_SECTIONS)
        .violations
        .is_empty());
    // One granted request read one column to the right in the （七）总计 row.
    set(&mut m, "requests.total.natural_person", "7");
    set(&mut m, "requests.total.commercial", "1");
    let out = run_rule("T3-SHIFT", &m, None, &ALL_SECTIONS);
    assert_eq!(out.violations.len(), 1, "{:?}", out.violations);
    assert_eq!(out.violations[0].origin, Origin::Extraction);
    assert!(out.violations[0]
        .message
        .contains("1 in 自然人 and -1 in 商业企业"));
    let col = run_rule("T3-COL", &m, None, &ALL_SECTIONS);
    assert_eq!(col.violations.len(), 2);
    assert!(col
        .violations
        .iter()
        .all(|v| v.origin == Origin::Extraction));
    // One failing column (or two far apart) is no shift.
    set(&mut m, "requests.total.commercial", "0");
    assert!(run_rule("T3-SHIFT", &m, None, &ALL_SECTIONS)
        .violations
        .is_empty());
    let col = run_rule("T3-COL", &m, None, &ALL_SECTIONS);
    assert_eq!(col.violations[0].origin, Origin::Source);
}

// ------------------------------------------------------------------------ table 四

#[test]
fn t4_nn_fires_on_a_negative_count() {
    let mut m = consistent_2019();
    assert!(run_rule("T4-NN", &m, None, &ALL_SECTIONS)
        .violations
        .is_empty());
    set_value(&mut m, "review.upheld", -2.0);
    let out = run_rule("T4-NN", &m, None, &ALL_SECTIONS);
    assert_eq!(out.violations.len(), 1);
    assert_eq!(out.violations[0].fields, ["review.upheld"]);
}

#[test]
fn t4_count_fires_on_a_row_with_the_wrong_number_of_values() {
    let mut m = consistent_2019();
    let out = run_rule("T4-COUNT", &m, None, &ALL_SECTIONS);
    assert!(out.violations.is_empty());
    assert_eq!(out.assessment.passed, 1);
    m.issues.push(crate::template::map::MapIssue {
        kind: crate::layout::regions::TableKind::Review,
        message: "table 四 row has 14 values where 15 are expected; not assigned by position"
            .into(),
        values: Some(14),
    });
    // With the 15 cells read from another row, the odd row is a warning.
    let out = run_rule("T4-COUNT", &m, None, &ALL_SECTIONS);
    assert_eq!(out.violations.len(), 1);
    assert_eq!(out.violations[0].severity, Severity::Warning);
    m.fields.retain(|f| !f.key.starts_with("review."));
    let out = run_rule("T4-COUNT", &m, None, &ALL_SECTIONS);
    assert_eq!(out.violations[0].severity, Severity::Error);
    assert_eq!(out.violations[0].origin, Origin::Extraction);
    assert!(out.violations[0].message.contains("a row of 14 values"));
}

// ------------------------------------------------------------------------ table 二

#[test]
fn t2_nn_allows_money_decimals_and_signed_changes_only() {
    let mut m = consistent_2019();
    set_value(&mut m, "proactive.procurement.amount", 1.5);
    set_value(&mut m, "proactive.licensing.change", -3.0);
    let out = run_rule("T2-NN", &m, None, &ALL_SECTIONS);
    assert!(out.violations.is_empty(), "{:?}", out.violations);
    set_value(&mut m, "proactive.rules.made", 1.5);
    set_value(&mut m, "proactive.licensing.decisions", -1.0);
    let out = run_rule("T2-NN", &m, None, &ALL_SECTIONS);
    assert_eq!(out.violations.len(), 2);
}

#[test]
fn t2_prev_fires_when_more_were_made_than_can_be_in_force() {
    let ok = table2_2021(&[
        ("rules.issued", 0.0),
        ("rules.repealed", 0.0),
        ("rules.in_force", 0.0),
        ("normative.issued", 3.0),
        ("normative.repealed", 1.0),
        ("normative.in_force", 2.0),
    ]);
    let out = run_rule("T2-PREV", &ok, None, &ALL_SECTIONS);
    assert!(out.violations.is_empty());
    assert_eq!(out.assessment.passed, 2);
    let bad = table2_2021(&[
        ("normative.issued", 5.0),
        ("normative.repealed", 1.0),
        ("normative.in_force", 2.0),
    ]);
    let out = run_rule("T2-PREV", &bad, None, &ALL_SECTIONS);
    assert_eq!(out.violations.len(), 1);
    assert_eq!(
        out.violations[0].message,
        "行政规范性文件: 本年制发件数 > 现行有效件数 + 本年废止件数: 5 > 2 + 1"
    );
    assert_eq!(out.violations[0].severity, Severity::Warning);
}

#[test]
fn t2_rule_and_norm_level_fire_for_streets_and_towns() {
    let m = table2_2021(&[
        ("rules.issued", 1.0),
        ("rules.repealed", 0.0),
        ("rules.in_force", 1.0),
        ("normative.issued", 2.0),
    ]);
    for (org, rule_level, norm_level) in [
        ("景山街道", 1, 1),
        ("北京市东城区景山街道办事处", 1, 1),
        ("天门市拖市镇", 1, 0),
        ("某某乡人民政府", 1, 0),
        ("上海市人民政府办公厅", 0, 0),
    ] {
        let ctx = ctx_with(&m, Some(2022), &[], Some(org));
        let r = run_ctx("T2-RULE-LEVEL", &ctx);
        assert_eq!(r.violations.len(), rule_level, "{org}");
        let n = run_ctx("T2-NORM-LEVEL", &ctx);
        assert_eq!(n.violations.len(), norm_level, "{org}");
        if norm_level > 0 {
            assert_eq!(n.violations[0].severity, Severity::Info);
        }
    }
    let ctx = ctx_with(&m, Some(2022), &[], Some("景山街道"));
    assert_eq!(
        run_ctx("T2-RULE-LEVEL", &ctx).violations[0].message,
        "景山街道 cannot make 规章 but reports 规章: proactive.rules.issued = 1, proactive.rules.in_force = 1"
    );
    // Zero 规章 for a street passes.
    let zero = table2_2021(&[("rules.issued", 0.0), ("rules.in_force", 0.0)]);
    let ctx = ctx_with(&zero, Some(2022), &[], Some("景山街道"));
    assert!(run_ctx("T2-RULE-LEVEL", &ctx).violations.is_empty());
}

#[test]
fn t2_19_pub_fires_when_new_exceeds_cumulative() {
    let mut m = consistent_2019();
    assert!(run_rule("T2-19-PUB", &m, None, &ALL_SECTIONS)
        .violations
        .is_empty());
    set(&mut m, "proactive.rules.published", "3");
    set(&mut m, "proactive.rules.total_published", "2");
    let out = run_rule("T2-19-PUB", &m, None, &ALL_SECTIONS);
    assert_eq!(out.violations.len(), 1);
    assert_eq!(
        out.violations[0].message,
        "规章: 本年新公开数量 > 对外公开总数量: 3 > 2"
    );
}

#[test]
fn t2_19_items_fires_on_a_negative_item_count() {
    let mut m = consistent_2019();
    set(&mut m, "proactive.licensing.prev_items", "2");
    set_value(&mut m, "proactive.licensing.change", -2.0);
    assert!(run_rule("T2-19-ITEMS", &m, None, &ALL_SECTIONS)
        .violations
        .is_empty());
    set_value(&mut m, "proactive.licensing.change", -3.0);
    let out = run_rule("T2-19-ITEMS", &m, None, &ALL_SECTIONS);
    assert_eq!(out.violations.len(), 1);
    assert_eq!(out.violations[0].severity, Severity::Error);
    assert!(out.violations[0].message.contains("2 + -3 = -1"));
}

// ------------------------------------------------------------------------ narrative

/// The consistent 2019 fixture told in words.
const STORY: &str = "2020年全年共收到政府信息公开申请8件，已办结8件，其中予以公开7件，不予公开1件，\n结转下年度0件。自然人申请8件，法人或其他组织申请0件。本年度发生行政复议0件，行政诉讼0件。";

fn n_findings(m: &Mapped, text: &str) -> Vec<(String, String)> {
    let texts = [("overview", text)];
    let ctx = ctx_with(m, Some(2020), &texts, None);
    RULES
        .iter()
        .filter(|r| r.id.starts_with("N-"))
        .flat_map(|r| {
            run_ctx(r.id, &ctx)
                .violations
                .into_iter()
                .map(move |v| (r.id.to_string(), v.message))
        })
        .collect()
}

#[test]
fn a_narrative_that_agrees_raises_nothing() {
    let m = consistent_2019();
    assert_eq!(n_findings(&m, STORY), vec![]);
    let texts = [("overview", STORY)];
    let ctx = ctx_with(&m, Some(2020), &texts, None);
    for id in [
        "N-RECV", "N-DONE", "N-CARRY", "N-CAT", "N-APPL", "N-REVIEW", "N-SUIT",
    ] {
        assert!(
            run_ctx(id, &ctx).assessment.passed >= 1,
            "{id} read nothing"
        );
    }
}

#[test]
fn each_narrative_number_that_disagrees_is_flagged() {
    let m = consistent_2019();
    for (from, to, rule) in [
        (
            "收到政府信息公开申请8件",
            "收到政府信息公开申请9件",
            "N-RECV",
        ),
        ("办结8件", "办结6件", "N-DONE"),
        ("结转下年度0件", "结转下年度2件", "N-CARRY"),
        ("予以公开7件", "予以公开6件", "N-CAT"),
        ("不予公开1件", "不予公开3件", "N-CAT"),
        ("自然人申请8件", "自然人申请7件", "N-APPL"),
        ("法人或其他组织申请0件", "法人或其他组织申请1件", "N-APPL"),
        ("行政复议0件", "行政复议2件", "N-REVIEW"),
        ("行政诉讼0件", "行政诉讼1件", "N-SUIT"),
    ] {
        let text = STORY.replace(from, to);
        let found = n_findings(&m, &text);
        assert_eq!(found.len(), 1, "{to}: {found:?}");
        assert_eq!(found[0].0, rule, "{to}: {found:?}");
        assert!(found[0].1.contains(to), "{}", found[0].1);
    }
}

#[test]
fn alternative_readings_are_accepted() {
    let mut m = consistent_2019();
    set(&mut m, "requests.carried_over.natural_person", "2");
    set(&mut m, "requests.carried_over.total", "2");
    set(&mut m, "requests.total.natural_person", "10");
    set(&mut m, "requests.total.total", "10");
    set(&mut m, "requests.granted.natural_person", "9");
    set(&mut m, "requests.granted.total", "9");
    // 受理 10 = 一 + 二; 办结 10 (含上年结转 2) is （七）, and 上年结转 2 is 二.
    let text = "共受理政府信息公开申请10件，办结10件（含上年结转2件）。";
    assert_eq!(n_findings(&m, text), vec![]);
    // Numbers that are about other matters are not read as requests.
    // 同意公开答复 9 is （一）, not the number handled.
    let text = "收到政府信息公开申请8件。全县共办理相关案件74件，同意公开答复9件。";
    assert_eq!(n_findings(&m, text), vec![]);
}

#[test]
fn n_none_reads_none_and_ignores_corrections() {
    let m = consistent_2019();
    assert_eq!(n_findings(&m, "全年未发生逾期答复申请的情况。"), vec![]);
    assert_eq!(n_findings(&m, "办结8件未引起行政复议。"), vec![]);
    let found = n_findings(&m, "本年度未收到政府信息公开申请。");
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].0, "N-NONE");
    assert!(found[0].1.contains("一[总计] = 8"));
    let mut m2 = consistent_2019();
    set(&mut m2, "review.upheld", "1");
    set(&mut m2, "review.total", "1");
    // "未发生…被纠错" says nothing about the number of reviews.
    assert_eq!(
        n_findings(
            &m2,
            "全年未发生因依申请公开被行政复议纠错或行政诉讼败诉情形。"
        ),
        vec![]
    );
    let found = n_findings(&m2, "本年度未发生政府信息公开行政复议、行政诉讼案件。");
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].1.contains("行政复议[总计] = 1"));
}

#[test]
fn n_fee_wants_part_six_to_mention_the_fee() {
    let mut m = consistent_2021();
    set(&mut m, "requests.other_overdue_fee.natural_person", "1");
    set(&mut m, "requests.other_overdue_fee.total", "1");
    let texts = [("other", "无")];
    let ctx = ctx_with(&m, Some(2022), &texts, None);
    let out = run_ctx("N-FEE", &ctx);
    assert_eq!(out.violations.len(), 1);
    assert_eq!(out.violations[0].severity, Severity::Info);
    let texts = [("other", "本年度未收取信息处理费。")];
    let ctx = ctx_with(&m, Some(2022), &texts, None);
    assert!(run_ctx("N-FEE", &ctx).violations.is_empty());
    // Nothing to expect when no request lapsed for an unpaid fee.
    let m = consistent_2021();
    let texts = [("other", "无")];
    let ctx = ctx_with(&m, Some(2022), &texts, None);
    assert!(run_ctx("N-FEE", &ctx).violations.is_empty());
}

#[test]
fn n_year_and_s_period_read_the_statistics_period() {
    let m = consistent_2019();
    let good = "本报告所列数据统计期限自2020年1月1日起至2020年12月31日止。";
    let typo = "本报告中使用数据统计期限为2020年1月1日至202020年12月31日。";
    let wrong = "本报告所列数据的统计期限为 2019 年 1 月 1 日至 12 月 31 日。";
    for (text, fires) in [(good, false), (typo, true), (wrong, true)] {
        let texts = [("preamble", text)];
        let ctx = ctx_with(&m, Some(2020), &texts, None);
        let out = run_ctx("N-YEAR", &ctx);
        assert_eq!(out.violations.len(), usize::from(fires), "{text}");
        assert!(run_ctx("S-PERIOD", &ctx).violations.is_empty());
    }
    let ctx = ctx_with(&m, Some(2020), &[("overview", "2020年，本街道…")], None);
    let out = run_ctx("S-PERIOD", &ctx);
    assert_eq!(out.violations.len(), 1);
    assert_eq!(out.violations[0].severity, Severity::Info);
    assert!(run_ctx("N-YEAR", &ctx).violations.is_empty());
}

// ------------------------------------------------------------------------ structure

#[test]
fn s_sec5_fires_on_an_empty_part_five() {
    let m = consistent_2019();
    for (text, fires) in [
        ("无", true),
        ("无。", true),
        ("", true),
        ("（文字描述）", true),
        (
            "一是重点领域公开力度有待加大。二是依申请公开办理流程有待规范。",
            false,
        ),
    ] {
        let texts = [("problems", text)];
        let ctx = ctx_with(&m, None, &texts, None);
        assert_eq!(
            run_ctx("S-SEC5", &ctx).violations.len(),
            usize::from(fires),
            "{text}"
        );
    }
    let ctx = ctx_with(&m, None, &[], None);
    assert_eq!(run_ctx("S-SEC5", &ctx).assessment.not_assessable, 1);
}

#[test]
fn s_sec6_fee_wants_the_fee_reported() {
    let m = consistent_2019();
    for (text, fires) in [
        ("无", true),
        ("本机关未收取信息处理费。", false),
        ("全年收取信息处理费共计380元。", false),
    ] {
        let texts = [("other", text)];
        let ctx = ctx_with(&m, None, &texts, None);
        let out = run_ctx("S-SEC6-FEE", &ctx);
        assert_eq!(out.violations.len(), usize::from(fires), "{text}");
        assert!(out.violations.iter().all(|v| v.severity == Severity::Info));
    }
}

#[test]
fn s_ordinal_fires_on_skips_and_repeats_not_restarts() {
    let m = consistent_2019();
    // The seed's part 五: 一是 二是 三是 | 一是 三是 一是 二是 三是.
    let seed = "（一）存在的问题\n一是公开力度有待加大。\n二是流程有待规范。\n三是文稿质量参差不齐。\n（二）下一步工作打算\n一是认识还不够到位。\n三是人员编制少。\n一是加强组织领导。\n二是强化协调机制。\n三是加强业务培训。";
    let texts = [("problems", seed)];
    let ctx = ctx_with(&m, None, &texts, None);
    let out = run_ctx("S-ORDINAL", &ctx);
    assert_eq!(out.violations.len(), 1);
    assert_eq!(
        out.violations[0].message,
        "enumeration out of order in 五、存在的主要问题及改进情况: 三是 follows 一是 (二是 missing)"
    );
    // Restarts after complete runs are fine.
    let fine = "（一）问题\n一是甲。二是乙。\n（二）改进\n一是丙；二是丁；三是戊。";
    let texts = [("problems", fine)];
    let ctx = ctx_with(&m, None, &texts, None);
    assert!(run_ctx("S-ORDINAL", &ctx).violations.is_empty());
    // A skipped sub-heading and a repeated item.
    let bad = "（一）甲\n（二）乙\n（四）丙\n一是甲。二是乙。二是丙。";
    let texts = [("overview", bad)];
    let ctx = ctx_with(&m, None, &texts, None);
    let out = run_ctx("S-ORDINAL", &ctx);
    assert_eq!(out.violations.len(), 1);
    let msg = &out.violations[0].message;
    assert!(
        msg.contains("（四） follows （二） (（三） missing)"),
        "{msg}"
    );
    assert!(
        msg.contains("二是 follows 二是 (repeated or out of order)"),
        "{msg}"
    );
    // "统一是" is no ordinal; table labels in the table parts are no headings.
    let texts = [
        ("overview", "做到口径统一是关键。"),
        ("requests", "（二）部分公开\n（四）无法提供\n（六）其他处理"),
    ];
    let ctx = ctx_with(&m, None, &texts, None);
    assert!(run_ctx("S-ORDINAL", &ctx).violations.is_empty());
}

//! Cross-year rules (rules.md §4): one organisation, two consecutive years.
//!
//! Each rule compares two years' field maps ([`YearFields`]); [`check_pair`] runs them all.
//! A cell that holds no number (blank, `/`, text) makes its check not assessable: nothing fires.
//! Field names in the violations carry their year: `2020:requests.carry_forward.total`.

use std::collections::BTreeMap;

use crate::record::{Origin, Severity, Violation};
use crate::template::data::TABLE3_COLUMNS;

/// What the cross-year rules see of one year's report.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct YearFields {
    pub year: i32,
    /// `2019`, `2021`, `legacy` or `unknown` (the record's `report.template`).
    pub template: String,
    /// Canonical key → numeric value (None: the cell holds no number).
    pub values: BTreeMap<String, Option<f64>>,
}

impl YearFields {
    pub fn get(&self, key: &str) -> Option<f64> {
        self.values.get(key).copied().flatten()
    }
}

/// One cross-year rule: ID, severity and a one-line doc.
pub struct CrossRule {
    pub id: &'static str,
    pub severity: Severity,
    pub doc: &'static str,
    check: fn(&YearFields, &YearFields, &mut Vec<Violation>),
}

pub static RULES: &[CrossRule] = &[
    CrossRule {
        id: "X-CARRY",
        severity: Severity::Warning,
        doc: "二、上年结转 (year y) = 四、结转下年度继续办理 (year y−1), per table 三 column",
        check: carry,
    },
    CrossRule {
        id: "X-T2-VALID",
        severity: Severity::Warning,
        doc: "2021 template both years: 现行有效件数(y) = 现行有效件数(y−1) + 本年制发件数(y) − 本年废止件数(y), 规章 and 行政规范性文件",
        check: t2_valid,
    },
    CrossRule {
        id: "X-T2-19-ITEMS",
        severity: Severity::Warning,
        doc: "2019 template both years: 上一年项目数量(y) = 上一年项目数量(y−1) + 本年增/减(y−1) for 许可, 其他管理服务, 处罚, 强制, 收费",
        check: t2_19_items,
    },
    CrossRule {
        id: "X-DUP-NUM",
        severity: Severity::Warning,
        doc: "every table value identical to last year's (and not all zero): numbers copied forward?",
        check: dup_num,
    },
];

/// Runs every cross-year rule on two consecutive years (`cur.year == prev.year + 1`); other
/// pairs give nothing.
pub fn check_pair(prev: &YearFields, cur: &YearFields) -> Vec<Violation> {
    let mut out = Vec::new();
    if cur.year != prev.year + 1 {
        return out;
    }
    for rule in RULES {
        let start = out.len();
        (rule.check)(prev, cur, &mut out);
        for v in &mut out[start..] {
            v.rule = rule.id.to_string();
            v.severity = rule.severity;
        }
    }
    out
}

fn n(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 9.0e15 {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    }
}

fn violation(message: String, fields: Vec<String>) -> Violation {
    Violation {
        rule: String::new(),
        severity: Severity::Warning,
        origin: Origin::Source,
        message,
        fields,
    }
}

fn at(y: &YearFields, key: &str) -> String {
    format!("{}:{key}", y.year)
}

fn carry(prev: &YearFields, cur: &YearFields, out: &mut Vec<Violation>) {
    for c in TABLE3_COLUMNS {
        let pk = format!("requests.carry_forward.{}", c.key);
        let ck = format!("requests.carried_over.{}", c.key);
        if let (Some(p), Some(v)) = (prev.get(&pk), cur.get(&ck)) {
            if p != v {
                out.push(violation(
                    format!(
                        "{} 上年结转 [{}] is {} but {} 结转下年度继续办理 [{}] was {}",
                        cur.year,
                        c.label,
                        n(v),
                        prev.year,
                        c.label,
                        n(p)
                    ),
                    vec![at(cur, &ck), at(prev, &pk)],
                ));
            }
        }
    }
}

fn t2_valid(prev: &YearFields, cur: &YearFields, out: &mut Vec<Violation>) {
    if prev.template != "2021" || cur.template != "2021" {
        return;
    }
    for (row, label) in [("rules", "规章"), ("normative", "行政规范性文件")] {
        let k = |c: &str| format!("proactive.{row}.{c}");
        let (Some(before), Some(now), Some(issued), Some(repealed)) = (
            prev.get(&k("in_force")),
            cur.get(&k("in_force")),
            cur.get(&k("issued")),
            cur.get(&k("repealed")),
        ) else {
            continue;
        };
        let expect = before + issued - repealed;
        if (expect - now).abs() > 1e-9 {
            out.push(violation(
                format!(
                    "{label}: {} 现行有效件数 {} ≠ {} 现行有效件数 {} + 本年制发 {} − 本年废止 {} = {}",
                    cur.year,
                    n(now),
                    prev.year,
                    n(before),
                    n(issued),
                    n(repealed),
                    n(expect)
                ),
                vec![
                    at(cur, &k("in_force")),
                    at(prev, &k("in_force")),
                    at(cur, &k("issued")),
                    at(cur, &k("repealed")),
                ],
            ));
        }
    }
}

fn t2_19_items(prev: &YearFields, cur: &YearFields, out: &mut Vec<Violation>) {
    if prev.template != "2019" || cur.template != "2019" {
        return;
    }
    for (row, label) in [
        ("licensing", "行政许可"),
        ("other_services", "其他对外管理服务事项"),
        ("punishment", "行政处罚"),
        ("coercion", "行政强制"),
        ("fees", "行政事业性收费"),
    ] {
        let k = |c: &str| format!("proactive.{row}.{c}");
        let (Some(before), Some(change), Some(now)) = (
            prev.get(&k("prev_items")),
            prev.get(&k("change")),
            cur.get(&k("prev_items")),
        ) else {
            continue;
        };
        let expect = before + change;
        if (expect - now).abs() > 1e-9 {
            out.push(violation(
                format!(
                    "{label}: {} 上一年项目数量 {} ≠ {} 上一年项目数量 {} + 本年增/减 {} = {}",
                    cur.year,
                    n(now),
                    prev.year,
                    n(before),
                    n(change),
                    n(expect)
                ),
                vec![
                    at(cur, &k("prev_items")),
                    at(prev, &k("prev_items")),
                    at(prev, &k("change")),
                ],
            ));
        }
    }
}

fn dup_num(prev: &YearFields, cur: &YearFields, out: &mut Vec<Violation>) {
    let numbers = |y: &YearFields| -> Vec<(String, f64)> {
        y.values
            .iter()
            .filter_map(|(k, v)| v.map(|v| (k.clone(), v)))
            .collect()
    };
    let (a, b) = (numbers(prev), numbers(cur));
    // Needs real tables: a handful of values can coincide by chance.
    if a.len() < 10 || a != b || a.iter().all(|(_, v)| *v == 0.0) {
        return;
    }
    out.push(violation(
        format!(
            "all {} table values of {} are identical to {}'s",
            b.len(),
            cur.year,
            prev.year
        ),
        vec![],
    ));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn year(year: i32, template: &str, vals: &[(&str, f64)]) -> YearFields {
        YearFields {
            year,
            template: template.into(),
            values: vals
                .iter()
                .map(|(k, v)| (k.to_string(), Some(*v)))
                .collect(),
        }
    }

    fn ids(v: &[Violation]) -> Vec<&str> {
        v.iter().map(|v| v.rule.as_str()).collect()
    }

    #[test]
    fn carry_fires_on_a_mismatch_and_not_on_a_match() {
        let prev = year(2020, "2019", &[("requests.carry_forward.total", 3.0)]);
        let ok = year(2021, "2021", &[("requests.carried_over.total", 3.0)]);
        let bad = year(2021, "2021", &[("requests.carried_over.total", 2.0)]);
        assert!(check_pair(&prev, &ok).is_empty());
        let v = check_pair(&prev, &bad);
        assert_eq!(ids(&v), ["X-CARRY"]);
        assert_eq!(v[0].severity, Severity::Warning);
        assert!(
            v[0].message.contains("2021 上年结转 [总计] is 2"),
            "{}",
            v[0].message
        );
        assert_eq!(
            v[0].fields,
            [
                "2021:requests.carried_over.total",
                "2020:requests.carry_forward.total"
            ]
        );
    }

    #[test]
    fn carry_is_not_assessed_on_blanks_or_non_consecutive_years() {
        let prev = year(2020, "2019", &[("requests.carry_forward.total", 3.0)]);
        let mut blank = year(2021, "2021", &[]);
        blank
            .values
            .insert("requests.carried_over.total".into(), None);
        assert!(check_pair(&prev, &blank).is_empty());
        let later = year(2022, "2021", &[("requests.carried_over.total", 2.0)]);
        assert!(check_pair(&prev, &later).is_empty());
    }

    #[test]
    fn t2_valid_balances_documents_in_force() {
        let prev = year(2022, "2021", &[("proactive.normative.in_force", 10.0)]);
        let vals = |in_force| {
            year(
                2023,
                "2021",
                &[
                    ("proactive.normative.issued", 3.0),
                    ("proactive.normative.repealed", 1.0),
                    ("proactive.normative.in_force", in_force),
                ],
            )
        };
        assert!(check_pair(&prev, &vals(12.0)).is_empty());
        assert_eq!(ids(&check_pair(&prev, &vals(13.0))), ["X-T2-VALID"]);
        // Not across the 2019 → 2021 template switch.
        let mut old = prev.clone();
        old.template = "2019".into();
        assert!(check_pair(&old, &vals(13.0)).is_empty());
    }

    #[test]
    fn t2_19_items_carries_item_counts() {
        let prev = year(
            2019,
            "2019",
            &[
                ("proactive.licensing.prev_items", 20.0),
                ("proactive.licensing.change", -2.0),
            ],
        );
        let ok = year(2020, "2019", &[("proactive.licensing.prev_items", 18.0)]);
        let bad = year(2020, "2019", &[("proactive.licensing.prev_items", 20.0)]);
        assert!(check_pair(&prev, &ok).is_empty());
        let v = check_pair(&prev, &bad);
        assert_eq!(ids(&v), ["X-T2-19-ITEMS"]);
        assert!(
            v[0].message.contains("本年增/减 -2 = 18"),
            "{}",
            v[0].message
        );
    }

    #[test]
    fn dup_num_fires_on_copied_tables_only() {
        let keys: Vec<String> = (0..12).map(|i| format!("requests.k{i}.total")).collect();
        let make = |y, f: &dyn Fn(usize) -> f64| YearFields {
            year: y,
            template: "2021".into(),
            values: keys
                .iter()
                .enumerate()
                .map(|(i, k)| (k.clone(), Some(f(i))))
                .collect(),
        };
        let a = make(2021, &|i| i as f64);
        let b = make(2022, &|i| i as f64);
        assert_eq!(ids(&check_pair(&a, &b)), ["X-DUP-NUM"]);
        let c = make(2022, &|i| if i == 3 { 4.0 } else { i as f64 });
        assert!(check_pair(&a, &c).is_empty());
        let z1 = make(2021, &|_| 0.0);
        let z2 = make(2022, &|_| 0.0);
        assert!(check_pair(&z1, &z2).is_empty());
    }
}

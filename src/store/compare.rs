//! `xxgk compare`: each organisation's years side by side, the changes from year to year, and
//! the cross-year rules (`rules::cross_year`) on consecutive years.
//!
//! One report found several times (the same bytes under several paths, or the same
//! organisation and year from several files — a .docx and an .html of one report) is one
//! year: the best copy is kept (complete before partial, then more fields, then the highest
//! confidence, then the smallest path) and the others
//! are listed as folded.

use std::collections::BTreeMap;

use rusqlite::Connection;
use serde_json::{json, Map, Value};

use crate::record::number;
use crate::rules::cross_year::{check_pair, YearFields};

/// A line of the comparison: a name, and how to get its value from a year's fields.
struct Metric {
    id: &'static str,
    label: &'static str,
    /// Keys summed (those that hold a number); the first group that has any wins.
    keys: &'static [&'static [&'static str]],
    /// Key prefix/suffix pairs summed, e.g. every `requests.withheld_*.total`.
    family: Option<(&'static str, &'static str)>,
}

const fn m(
    id: &'static str,
    label: &'static str,
    keys: &'static [&'static [&'static str]],
) -> Metric {
    Metric {
        id,
        label,
        keys,
        family: None,
    }
}

const fn fam(id: &'static str, label: &'static str, prefix: &'static str) -> Metric {
    Metric {
        id,
        label,
        keys: &[],
        family: Some((prefix, ".total")),
    }
}

const METRICS: &[Metric] = &[
    m("received", "本年新收 received", &[&["requests.new.total"]]),
    m(
        "carried_over",
        "上年结转 carried over",
        &[&["requests.carried_over.total"]],
    ),
    m(
        "granted",
        "予以公开 granted",
        &[&["requests.granted.total"]],
    ),
    m(
        "partial",
        "部分公开 partial",
        &[&["requests.partial.total"]],
    ),
    fam("withheld", "不予公开Σ withheld", "requests.withheld_"),
    fam("unable", "无法提供Σ unable", "requests.unable_"),
    fam("declined", "不予处理Σ declined", "requests.declined_"),
    fam("other", "其他处理Σ other", "requests.other"),
    m(
        "results_total",
        "总计 results total",
        &[&["requests.total.total"]],
    ),
    m(
        "carry_forward",
        "结转下年度 carried fwd",
        &[&["requests.carry_forward.total"]],
    ),
    m("review", "行政复议 review", &[&["review.total"]]),
    m(
        "litigation_direct",
        "直接起诉 litigation",
        &[&["litigation_direct.total"]],
    ),
    m(
        "litigation_after_review",
        "复议后起诉 litigation",
        &[&["litigation_after_review.total"]],
    ),
    // Table 二: 2021 and 2019 columns mean different things (rules.md §3), so they stay apart.
    m(
        "rules_issued",
        "规章 本年制发",
        &[&["proactive.rules.issued"]],
    ),
    m(
        "rules_in_force",
        "规章 现行有效",
        &[&["proactive.rules.in_force"]],
    ),
    m(
        "normative_issued",
        "规范性文件 本年制发",
        &[&["proactive.normative.issued"]],
    ),
    m(
        "normative_in_force",
        "规范性文件 现行有效",
        &[&["proactive.normative.in_force"]],
    ),
    m(
        "rules_made",
        "规章 新制作(2019)",
        &[&["proactive.rules.made"]],
    ),
    m(
        "rules_total_published",
        "规章 对外公开总数(2019)",
        &[&["proactive.rules.total_published"]],
    ),
    m(
        "normative_made",
        "规范性文件 新制作(2019)",
        &[&["proactive.normative.made"]],
    ),
    m(
        "normative_total_published",
        "规范性文件 公开总数(2019)",
        &[&["proactive.normative.total_published"]],
    ),
    m(
        "licensing_decisions",
        "行政许可 决定",
        &[&["proactive.licensing.decisions"]],
    ),
    m(
        "punishment_decisions",
        "行政处罚 决定",
        &[&["proactive.punishment.decisions"]],
    ),
    m(
        "coercion_decisions",
        "行政强制 决定",
        &[&["proactive.coercion.decisions"]],
    ),
    m(
        "fees_amount",
        "收费金额(万元)",
        &[&["proactive.fees.amount"]],
    ),
];

fn metric_value(mt: &Metric, y: &YearFields) -> Option<f64> {
    let sum = |vals: &mut dyn Iterator<Item = Option<f64>>| -> Option<f64> {
        vals.flatten()
            .fold(None, |acc, v| Some(acc.unwrap_or(0.0) + v))
    };
    if let Some((prefix, suffix)) = mt.family {
        let mut it = y
            .values
            .iter()
            .filter(|(k, _)| k.starts_with(prefix) && k.ends_with(suffix))
            .filter(|(k, _)| {
                // `requests.other` family: the 2019 row `other` and the 2021 rows `other_*`.
                let mid = &k[prefix.len()..k.len() - suffix.len()];
                !mid.contains('.')
            })
            .map(|(_, v)| *v);
        return sum(&mut it);
    }
    for group in mt.keys {
        let v = sum(&mut group.iter().map(|k| y.get(k)));
        if v.is_some() {
            return v;
        }
    }
    None
}

/// One stored report seen by compare.
#[derive(Debug, Clone)]
struct Entry {
    sha256: String,
    paths: Vec<String>,
    organization: Option<String>,
    key: String,
    status: String,
    confidence: f64,
    fields: YearFields,
}

fn load(conn: &Connection, org: Option<&str>) -> rusqlite::Result<Vec<Entry>> {
    let wanted = org.map(|o| (o.to_string(), crate::layout::org::key(o)));
    let mut st = conn.prepare(
        "SELECT sha256, organization, organization_key, year, template, status, confidence
         FROM reports
         WHERE organization_key IS NOT NULL AND year IS NOT NULL AND status != 'failed'
         ORDER BY organization_key, year, confidence DESC, sha256",
    )?;
    let mut paths_st = conn.prepare("SELECT path FROM files WHERE sha256 = ?1 ORDER BY path")?;
    let mut fields_st = conn.prepare("SELECT key, value FROM fields WHERE sha256 = ?1")?;
    let mut out = Vec::new();
    let mut q = st.query([])?;
    while let Some(r) = q.next()? {
        let organization: Option<String> = r.get(1)?;
        let key: String = r.get(2)?;
        if let Some((name, k)) = &wanted {
            let hit = key == *k || key == *name || organization.as_deref() == Some(name.as_str());
            if !hit {
                continue;
            }
        }
        let sha256: String = r.get(0)?;
        let paths: Vec<String> = paths_st
            .query_map([&sha256], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let values: BTreeMap<String, Option<f64>> = fields_st
            .query_map([&sha256], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        out.push(Entry {
            sha256,
            paths,
            organization,
            key,
            status: r.get(5)?,
            confidence: r.get(6)?,
            fields: YearFields {
                year: r.get(3)?,
                template: r.get::<_, Option<String>>(4)?.unwrap_or_default(),
                values,
            },
        });
    }
    Ok(out)
}

/// A folded duplicate of a kept year.
#[derive(Debug, Clone)]
struct Folded {
    entry: Entry,
    identical: bool,
}

struct Org {
    key: String,
    names: Vec<String>,
    years: Vec<(Entry, Vec<Folded>)>,
}

fn group(entries: Vec<Entry>) -> Vec<Org> {
    let mut orgs: Vec<Org> = Vec::new();
    for e in entries {
        if orgs.last().is_none_or(|o| o.key != e.key) {
            orgs.push(Org {
                key: e.key.clone(),
                names: vec![],
                years: vec![],
            });
        }
        let org = orgs.last_mut().expect("pushed above");
        if let Some(n) = &e.organization {
            if !org.names.contains(n) {
                org.names.push(n.clone());
            }
        }
        match org.years.last_mut() {
            // Sorted by confidence (desc) within a year: the first one is kept.
            Some((kept, folded)) if kept.fields.year == e.fields.year => {
                let identical = kept.fields.values == e.fields.values;
                folded.push(Folded {
                    entry: e,
                    identical,
                });
            }
            _ => org.years.push((e, vec![])),
        }
    }
    for org in &mut orgs {
        org.names.sort();
        for (kept, folded) in &mut org.years {
            // The best copy is kept: complete, most fields, most confident, first path.
            let mut all: Vec<Entry> = std::iter::once(kept.clone())
                .chain(folded.iter().map(|f| f.entry.clone()))
                .collect();
            all.sort_by(|a, b| {
                let rank = |e: &Entry| {
                    (
                        e.status == "ok",
                        e.fields.values.len(),
                        e.confidence,
                        e.paths.first().cloned().unwrap_or_default(),
                    )
                };
                let (x, y) = (rank(a), rank(b));
                crate::rules::across::better_copy((x.0, x.1, x.2, &x.3), (y.0, y.1, y.2, &y.3))
            });
            let first = all.remove(0);
            *folded = all
                .into_iter()
                .map(|e| Folded {
                    identical: e.fields.values == first.fields.values,
                    entry: e,
                })
                .collect();
            *kept = first;
        }
    }
    orgs
}

fn fmt(v: Option<f64>) -> String {
    v.map(|v| number(v).to_string())
        .unwrap_or_else(|| "–".into())
}

fn delta(prev: Option<f64>, cur: Option<f64>) -> Option<f64> {
    Some(cur? - prev?)
}

/// Display width: CJK and full-width characters take two columns.
fn width(s: &str) -> usize {
    s.chars()
        .map(|c| {
            let u = c as u32;
            if (0x1100..=0x115F).contains(&u)
                || (0x2E80..=0xA4CF).contains(&u)
                || (0xAC00..=0xD7A3).contains(&u)
                || (0xF900..=0xFAFF).contains(&u)
                || (0xFE30..=0xFE4F).contains(&u)
                || (0xFF00..=0xFF60).contains(&u)
                || (0xFFE0..=0xFFE6).contains(&u)
            {
                2
            } else {
                1
            }
        })
        .sum()
}

fn pad(s: &str, w: usize) -> String {
    let n = width(s);
    format!("{s}{}", " ".repeat(w.saturating_sub(n)))
}

fn pairs(org: &Org) -> Vec<(i32, i32, Vec<crate::record::Violation>)> {
    org.years
        .windows(2)
        .filter(|w| w[1].0.fields.year == w[0].0.fields.year + 1)
        .map(|w| {
            (
                w[0].0.fields.year,
                w[1].0.fields.year,
                check_pair(&w[0].0.fields, &w[1].0.fields),
            )
        })
        .collect()
}

fn table(orgs: &[Org]) -> String {
    let mut s = String::new();
    for org in orgs {
        s.push_str(&format!("{}  ({})\n", org.key, org.names.join(" / ")));
        let label_w = 30;
        let col_w = 14;
        let mut header = pad("", label_w);
        for (e, _) in &org.years {
            header.push_str(&format!("{:>col_w$}", e.fields.year));
        }
        s.push_str(header.trim_end());
        s.push('\n');
        let mut line = pad("  template", label_w);
        for (e, _) in &org.years {
            line.push_str(&format!("{:>col_w$}", e.fields.template));
        }
        s.push_str(&line);
        s.push('\n');
        let mut line = pad("  confidence", label_w);
        for (e, _) in &org.years {
            line.push_str(&format!("{:>col_w$}", format!("{:.3}", e.confidence)));
        }
        s.push_str(&line);
        s.push('\n');
        for mt in METRICS {
            let vals: Vec<Option<f64>> = org
                .years
                .iter()
                .map(|(e, _)| metric_value(mt, &e.fields))
                .collect();
            if vals.iter().all(Option::is_none) {
                continue;
            }
            let mut line = pad(&format!("  {}", mt.label), label_w);
            for (i, v) in vals.iter().enumerate() {
                let cell = match (i, i.checked_sub(1).and_then(|j| delta(vals[j], *v))) {
                    (0, _) | (_, None) | (_, Some(0.0)) => fmt(*v),
                    (_, Some(d)) => format!(
                        "{} ({}{})",
                        fmt(*v),
                        if d > 0.0 { "+" } else { "" },
                        number(d)
                    ),
                };
                line.push_str(&format!("{:>col_w$}", cell));
            }
            s.push_str(&line);
            s.push('\n');
        }
        for (e, folded) in &org.years {
            let path = e.paths.first().map(String::as_str).unwrap_or("");
            s.push_str(&format!("  {} from {path}", e.fields.year));
            if e.paths.len() > 1 {
                s.push_str(&format!(
                    " (same bytes also at {})",
                    e.paths[1..].join(", ")
                ));
            }
            s.push('\n');
            for f in folded {
                s.push_str(&format!(
                    "    folded: {} (confidence {:.3}, {})\n",
                    f.entry.paths.join(", "),
                    f.entry.confidence,
                    if f.identical {
                        "same fields"
                    } else {
                        "fields differ"
                    }
                ));
            }
        }
        for (from, to, vs) in pairs(org) {
            if vs.is_empty() {
                s.push_str(&format!("  {from}→{to}: cross-year rules hold\n"));
            }
            for v in vs {
                s.push_str(&format!(
                    "  {from}→{to}: {} {}: {}\n",
                    v.rule,
                    v.severity.as_str(),
                    v.message
                ));
            }
        }
        s.push('\n');
    }
    s
}

fn entry_json(e: &Entry) -> Map<String, Value> {
    let mut m = Map::new();
    m.insert("year".into(), json!(e.fields.year));
    m.insert("sha256".into(), json!(e.sha256));
    m.insert("paths".into(), json!(e.paths));
    m.insert("organization".into(), json!(e.organization));
    m.insert("template".into(), json!(e.fields.template));
    m.insert("status".into(), json!(e.status));
    m.insert("confidence".into(), json!(e.confidence));
    m
}

fn to_json(orgs: &[Org]) -> Value {
    let list: Vec<Value> = orgs
        .iter()
        .map(|org| {
            let years: Vec<Value> = org
                .years
                .iter()
                .map(|(e, folded)| {
                    let mut m = entry_json(e);
                    let mut metrics = Map::new();
                    for mt in METRICS {
                        metrics.insert(
                            mt.id.into(),
                            metric_value(mt, &e.fields)
                                .map(number)
                                .unwrap_or(Value::Null),
                        );
                    }
                    m.insert("metrics".into(), Value::Object(metrics));
                    let f: Vec<Value> = folded
                        .iter()
                        .map(|f| {
                            let mut fm = entry_json(&f.entry);
                            fm.insert("identical_fields".into(), json!(f.identical));
                            Value::Object(fm)
                        })
                        .collect();
                    m.insert("folded".into(), Value::Array(f));
                    Value::Object(m)
                })
                .collect();
            let changes: Vec<Value> = org
                .years
                .windows(2)
                .map(|w| {
                    let mut d = Map::new();
                    for mt in METRICS {
                        d.insert(
                            mt.id.into(),
                            delta(
                                metric_value(mt, &w[0].0.fields),
                                metric_value(mt, &w[1].0.fields),
                            )
                            .map(number)
                            .unwrap_or(Value::Null),
                        );
                    }
                    json!({"from": w[0].0.fields.year, "to": w[1].0.fields.year, "deltas": d})
                })
                .collect();
            let cross: Vec<Value> = pairs(org)
                .into_iter()
                .map(|(from, to, vs)| json!({"from": from, "to": to, "violations": vs}))
                .collect();
            json!({
                "organization_key": org.key,
                "names": org.names,
                "years": years,
                "changes": changes,
                "cross_year": cross,
            })
        })
        .collect();
    json!({ "organizations": list })
}

/// The comparison as text (`json == false`) or JSON, for the organisations matching `org`
/// (by name or key) or all; None when nothing matches.
pub fn compare(
    conn: &Connection,
    org: Option<&str>,
    json: bool,
) -> rusqlite::Result<Option<String>> {
    let orgs = group(load(conn, org)?);
    if orgs.is_empty() {
        return Ok(None);
    }
    Ok(Some(if json {
        let mut s = serde_json::to_string_pretty(&to_json(&orgs)).unwrap_or_default();
        s.push('\n');
        s
    } else {
        table(&orgs)
    }))
}

/// `xxgk compare`: returns the exit code.
pub fn run_compare(db: &std::path::Path, org: Option<&str>, json: bool) -> i32 {
    let conn = match super::open_existing(db) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("xxgk: {e}");
            return 1;
        }
    };
    match compare(&conn, org, json) {
        Ok(Some(s)) => {
            print!("{s}");
            0
        }
        Ok(None) => {
            eprintln!(
                "xxgk: no organisation with a year in {}{}",
                db.display(),
                org.map(|o| format!(" matches {o}")).unwrap_or_default()
            );
            1
        }
        Err(e) => {
            eprintln!("xxgk: reading {} failed: {e}", db.display());
            1
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn families_sum_numbers_only() {
        let y = YearFields {
            year: 2021,
            template: "2021".into(),
            values: [
                ("requests.withheld_state_secret.total", Some(1.0)),
                ("requests.withheld_third_party.total", Some(2.0)),
                ("requests.withheld_third_party.natural_person", Some(7.0)),
                ("requests.other_misc.total", None),
                ("requests.other_overdue_fee.total", Some(1.0)),
            ]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect(),
        };
        let get = |id| metric_value(METRICS.iter().find(|m| m.id == id).unwrap(), &y);
        assert_eq!(get("withheld"), Some(3.0));
        assert_eq!(get("other"), Some(1.0));
        assert_eq!(get("unable"), None);
        assert_eq!(width("景山a"), 5);
    }
}

//! Comparing records with known truth: the `../shared/real/truth/` shape
//! (`{"organization", "year", "template", "fields": {key: number | null | "na"}}`).

use serde::Deserialize;
use serde_json::{Map, Value};

use crate::record::Record;

#[derive(Debug, Deserialize)]
pub struct Truth {
    pub organization: Option<String>,
    pub year: Option<i32>,
    pub template: Option<String>,
    pub fields: Map<String, Value>,
}

/// One disagreement between a record and its truth.
#[derive(Debug, Clone, PartialEq)]
pub struct Mismatch {
    pub key: String,
    pub expected: String,
    pub got: String,
}

impl std::fmt::Display for Mismatch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}: expected {}, got {}",
            self.key, self.expected, self.got
        )
    }
}

/// What a record says of one field, in the truth file's terms.
fn got_of(record: &Record, key: &str) -> Option<Value> {
    let cell = record.fields.get(key)?;
    match cell.get("state").and_then(Value::as_str) {
        Some("number") => cell.get("value").cloned(),
        Some("blank") => Some(Value::Null),
        Some("na") => Some(Value::String("na".into())),
        Some(other) => Some(Value::String(format!("text:{other}"))),
        None => None,
    }
}

fn same(expected: &Value, got: &Value) -> bool {
    match (expected, got) {
        (Value::Number(a), Value::Number(b)) => match (a.as_f64(), b.as_f64()) {
            (Some(x), Some(y)) => (x - y).abs() <= 1e-9 * x.abs().max(1.0),
            _ => false,
        },
        _ => expected == got,
    }
}

/// Every truth cell (and the organisation, year and template) checked against the record.
pub fn compare(record: &Record, truth: &Truth) -> Vec<Mismatch> {
    let mut out = Vec::new();
    let report = record.report.as_ref();
    let org = report.and_then(|r| r.organization.clone());
    if org != truth.organization {
        out.push(Mismatch {
            key: "report.organization".into(),
            expected: format!("{:?}", truth.organization),
            got: format!("{org:?}"),
        });
    }
    let year = report.and_then(|r| r.year);
    if year != truth.year {
        out.push(Mismatch {
            key: "report.year".into(),
            expected: format!("{:?}", truth.year),
            got: format!("{year:?}"),
        });
    }
    if let Some(t) = &truth.template {
        let got = report.map(|r| r.template.clone());
        if got.as_deref() != Some(t.as_str()) {
            out.push(Mismatch {
                key: "report.template".into(),
                expected: t.clone(),
                got: format!("{got:?}"),
            });
        }
    }
    for (key, expected) in &truth.fields {
        match got_of(record, key) {
            Some(got) if same(expected, &got) => {}
            Some(got) => out.push(Mismatch {
                key: key.clone(),
                expected: expected.to_string(),
                got: got.to_string(),
            }),
            None => out.push(Mismatch {
                key: key.clone(),
                expected: expected.to_string(),
                got: "missing".into(),
            }),
        }
    }
    out
}

/// Field-level right/wrong with the confidence the record gave, for calibration.
pub fn scored_fields(record: &Record, truth: &Truth) -> Vec<(String, bool, f64)> {
    truth
        .fields
        .iter()
        .map(|(key, expected)| {
            let conf = record
                .fields
                .get(key)
                .and_then(|c| c.get("confidence"))
                .and_then(Value::as_f64)
                .unwrap_or(0.0);
            let right = got_of(record, key).is_some_and(|g| same(expected, &g));
            (key.clone(), right, conf)
        })
        .collect()
}

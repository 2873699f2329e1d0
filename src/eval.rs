//! Comparing records with known truth: the `../shared/real/truth/` shape
//! (`{"organization", "year", "template", "fields": {key: number | null | "na"}}`).

use serde::{Deserialize, Serialize};
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
    match cell.state.as_ref() {
        "number" => Some(cell.value.clone()),
        "blank" => Some(Value::Null),
        "na" => Some(Value::String("na".into())),
        other => Some(Value::String(format!("text:{other}"))),
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
            let conf = record.fields.get(key).map_or(0.0, |c| c.confidence);
            let right = got_of(record, key).is_some_and(|g| same(expected, &g));
            (key.clone(), right, conf)
        })
        .collect()
}

/// Accuracy and calibration over many records.
#[derive(Debug, Default, Clone, Serialize)]
pub struct Summary {
    pub records: usize,
    /// Records whose every truth field is extracted and right.
    pub records_right: usize,
    /// Records whose extracted fields are all right (what record confidence speaks about).
    pub records_fields_right: usize,
    pub fields: usize,
    pub fields_right: usize,
    /// Truth fields the record does not have at all.
    pub fields_missing: usize,
    /// Confidence bins: (low, high, count, mean confidence, observed accuracy).
    pub bins: Vec<Bin>,
    pub ece: f64,
    /// Wrong fields with confidence ≥ 0.95 that no violation names.
    pub silent_errors: usize,
    pub silent_examples: Vec<String>,
    /// Records: mean record confidence against the share of records entirely right.
    pub record_confidence_mean: f64,
}

#[derive(Debug, Default, Clone, Serialize)]
pub struct Bin {
    pub low: f64,
    pub high: f64,
    pub count: usize,
    pub confidence: f64,
    pub accuracy: f64,
}

pub const BIN_EDGES: &[f64] = &[0.0, 0.5, 0.7, 0.8, 0.9, 0.95, 0.98, 0.99, 0.995, 1.0001];
pub const SILENT_THRESHOLD: f64 = 0.95;

/// Collects per-field outcomes; `finish` computes the summary.
#[derive(Default)]
pub struct Evaluator {
    summary: Summary,
    /// (confidence, right) for every field the records have.
    scored: Vec<(f64, bool)>,
    record_conf_sum: f64,
    /// (features, right) for fitting.
    pub observations: Vec<(crate::confidence::Features, bool)>,
}

impl Evaluator {
    pub fn add(&mut self, record: &Record, truth: &Truth) {
        let s = &mut self.summary;
        s.records += 1;
        self.record_conf_sum += record.confidence;
        let mut all_right = true;
        let mut present_right = true;
        let named: std::collections::HashSet<&str> = record
            .violations
            .iter()
            .flat_map(|v| v.fields.iter().map(String::as_str))
            .collect();
        for (key, expected) in &truth.fields {
            s.fields += 1;
            let Some(cell) = record.fields.get(key) else {
                s.fields_missing += 1;
                all_right = false;
                continue;
            };
            let conf = cell.confidence;
            let right = got_of(record, key).is_some_and(|g| same(expected, &g));
            if right {
                s.fields_right += 1;
            } else {
                all_right = false;
                present_right = false;
                if conf >= SILENT_THRESHOLD && !named.contains(key.as_str()) {
                    s.silent_errors += 1;
                    if s.silent_examples.len() < 20 {
                        s.silent_examples.push(format!(
                            "{} {key}: expected {expected}, got {} at {conf}",
                            record.source.path,
                            got_of(record, key)
                                .map(|g| g.to_string())
                                .unwrap_or_default()
                        ));
                    }
                }
            }
            self.scored.push((conf, right));
            if let Some((_, f)) = record.field_features.iter().find(|(k, _)| k == key) {
                self.observations.push((*f, right));
            }
        }
        if all_right {
            s.records_right += 1;
        }
        if present_right {
            s.records_fields_right += 1;
        }
    }

    pub fn finish(mut self) -> (Summary, Vec<(crate::confidence::Features, bool)>) {
        let n = self.scored.len().max(1) as f64;
        let mut ece = 0.0;
        for w in BIN_EDGES.windows(2) {
            let (lo, hi) = (w[0], w[1]);
            let inside: Vec<&(f64, bool)> = self
                .scored
                .iter()
                .filter(|(c, _)| *c >= lo && *c < hi)
                .collect();
            if inside.is_empty() {
                continue;
            }
            let conf = inside.iter().map(|x| x.0).sum::<f64>() / inside.len() as f64;
            let acc = inside.iter().filter(|x| x.1).count() as f64 / inside.len() as f64;
            ece += inside.len() as f64 / n * (conf - acc).abs();
            self.summary.bins.push(Bin {
                low: lo,
                high: hi.min(1.0),
                count: inside.len(),
                confidence: conf,
                accuracy: acc,
            });
        }
        self.summary.ece = ece;
        self.summary.record_confidence_mean =
            self.record_conf_sum / self.summary.records.max(1) as f64;
        (self.summary, self.observations)
    }
}

impl Summary {
    /// The human-readable report `xxgk eval` prints.
    pub fn render(&self) -> String {
        let pct = |a: usize, b: usize| {
            if b == 0 {
                0.0
            } else {
                100.0 * a as f64 / b as f64
            }
        };
        let mut s = String::new();
        s.push_str(&format!(
            "records: {} ({} complete and right, {:.1}%; {} with every extracted field right, {:.1}%; mean record confidence {:.3})\n",
            self.records,
            self.records_right,
            pct(self.records_right, self.records),
            self.records_fields_right,
            pct(self.records_fields_right, self.records),
            self.record_confidence_mean
        ));
        s.push_str(&format!(
            "fields:  {} ({} right, {:.2}%; {} not extracted)\n",
            self.fields,
            self.fields_right,
            pct(self.fields_right, self.fields),
            self.fields_missing
        ));
        s.push_str("confidence        fields   mean conf   accuracy\n");
        for b in &self.bins {
            s.push_str(&format!(
                "[{:.3}, {:.3})  {:>8}   {:>9.4}   {:>8.4}\n",
                b.low, b.high, b.count, b.confidence, b.accuracy
            ));
        }
        s.push_str(&format!("expected calibration error: {:.4}\n", self.ece));
        s.push_str(&format!(
            "silent errors (wrong, confidence ≥ {SILENT_THRESHOLD}, no violation names them): {}\n",
            self.silent_errors
        ));
        for e in &self.silent_examples {
            s.push_str(&format!("  {e}\n"));
        }
        s
    }
}

//! Confidence: the probability that a field's value and state are what the document says,
//! and that a whole record is right.
//!
//! Each field is described by a few discrete features — which table, whether the 勾稽
//! identities it takes part in held, failed or could not be judged, what the cell held, how its
//! row and column were found, how the file was read — and the probability comes from a table of
//! observed accuracy per feature combination, fitted on a generated calibration corpus with
//! realistic damage (`scripts/gen_calibration.py`, `xxgk eval --fit`). Sparse combinations borrow
//! from coarser ones (hierarchical smoothing), so every field gets a rate backed by data.
//!
//! The record's confidence is the product over its fields: the probability that all of them are
//! right, taking fields as independent once the identities have been accounted for.

mod model;

pub use model::{Model, MODEL};

use crate::record::{Origin, Violation};
use crate::rules::FieldCheck;
use crate::template::cell::{CellState, NumberNote};
use crate::template::map::{Field, KeyHasher};
use crate::template::rows::{ColumnEvidence, RowSource};

/// Document-level doubts (charset guessed, truncated file, grid anomalies).
#[derive(Debug, Clone, Copy, Default)]
pub struct DocDoubt {
    pub charset_guessed: bool,
    pub truncated: bool,
    pub grid_anomalies: bool,
}

impl DocDoubt {
    fn any(self) -> bool {
        self.charset_guessed || self.truncated || self.grid_anomalies
    }
}

/// How a field fared in the identities it takes part in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Identity {
    /// No identity holds or fails for it (table 二, or every check not assessable).
    Unchecked,
    /// At least one identity held with real numbers, none failed.
    Held,
    /// A blank that an identity needs to be a number.
    Blocked,
    /// An identity failed; the document is probably inconsistent.
    FailedSource,
    /// An identity failed and the reading itself is suspect.
    FailedExtraction,
}

/// The discrete description of a field the model is keyed on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Features {
    /// 2, 3 or 4 (table 二, 三, 四).
    pub table: u8,
    pub identity: Identity,
    /// n (number), a (number with a note: 元, annotation, width), b (blank), x (na), t (text).
    pub state: char,
    /// The row mixes blank cells with numbers (a shifted or dropped cell leaves this trace).
    pub mixed_row: bool,
    pub source: RowSource,
    pub column: ColumnEvidence,
    /// e (≥0.95), g (≥0.85), f (fuzzy), o (placed by template order).
    pub label: char,
    pub doubt: bool,
}

impl Features {
    /// Keys from coarse to fine; the model smooths each level toward the one before.
    pub fn levels(&self) -> [String; 5] {
        let id = match self.identity {
            Identity::Unchecked => 'u',
            Identity::Held => 'h',
            Identity::Blocked => 'k',
            Identity::FailedSource => 's',
            Identity::FailedExtraction => 'e',
        };
        let src = match self.source {
            RowSource::Grid => 'g',
            RowSource::FlatTable => 'f',
            RowSource::Line => 'l',
        };
        let col = match self.column {
            ColumnEvidence::Header => 'h',
            ColumnEvidence::HeaderPartial => 'p',
            ColumnEvidence::Position => 'o',
        };
        let l0 = format!("t{}", self.table);
        let l1 = format!("{l0}i{id}");
        let l2 = format!("{l1}s{}m{}", self.state, u8::from(self.mixed_row));
        let l3 = format!("{l2}r{src}c{col}");
        let l4 = format!("{l3}l{}d{}", self.label, u8::from(self.doubt));
        [l0, l1, l2, l3, l4]
    }
}

fn table_of(key: &str) -> u8 {
    if key.starts_with("proactive.") {
        2
    } else if key.starts_with("requests.") {
        3
    } else {
        4
    }
}

fn row_of(key: &str) -> &str {
    key.rsplit_once('.').map_or(key, |(r, _)| r)
}

/// The identity rules whose failures speak about a field's value.
/// S-HOLE names cells we probably misread.
const IDENTITY_RULES: &[&str] = &["T3-COL", "T3-SUM", "T3-ROW", "T4-SUM", "S-HOLE"];

/// Features of every field, from what the identities said of it (`checks[i]`) and the
/// violations naming it.
pub fn features(
    fields: &[Field],
    doubt: DocDoubt,
    checks: &[FieldCheck],
    violations: &[Violation],
) -> Vec<Features> {
    use std::collections::HashMap;
    // Rows that mix blanks and numbers.
    let mut rows: HashMap<&str, (bool, bool), KeyHasher> = HashMap::default();
    for f in fields {
        let e = rows.entry(row_of(&f.key)).or_default();
        match f.cell.state {
            CellState::Number => e.1 = true,
            CellState::Blank => e.0 = true,
            _ => {}
        }
    }
    // Fields named by a failing identity: whether any such failure is the reading's.
    let mut failing: HashMap<&str, bool, KeyHasher> = HashMap::default();
    for v in violations
        .iter()
        .filter(|v| IDENTITY_RULES.contains(&v.rule.as_str()))
    {
        for k in &v.fields {
            *failing.entry(k.as_str()).or_default() |= v.origin == Origin::Extraction;
        }
    }
    fields
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let failed = if failing.is_empty() {
                None
            } else {
                failing.get(f.key.as_str())
            };
            let identity = match failed {
                Some(true) => Identity::FailedExtraction,
                Some(false) => Identity::FailedSource,
                None if checks.get(i).is_some_and(|c| c.blocked) => Identity::Blocked,
                None if checks.get(i).is_some_and(|c| c.passed > 0) => Identity::Held,
                None => Identity::Unchecked,
            };
            let state = match f.cell.state {
                CellState::Number if f.cell.notes.iter().any(|n| *n != NumberNote::Normalised) => {
                    'a'
                }
                CellState::Number => 'n',
                CellState::Blank => 'b',
                CellState::Na => 'x',
                CellState::Text => 't',
            };
            let e = &f.evidence;
            let label = if e.row_by_order {
                'o'
            } else if e.label_score >= 0.95 {
                'e'
            } else if e.label_score >= 0.85 {
                'g'
            } else {
                'f'
            };
            let mixed = rows.get(row_of(&f.key)).is_some_and(|(b, n)| *b && *n);
            Features {
                table: table_of(&f.key),
                identity,
                state,
                mixed_row: mixed,
                source: e.source,
                column: e.column,
                label,
                doubt: doubt.any(),
            }
        })
        .collect()
}

/// Field confidences from the fitted model.
pub fn score_fields(features: &[Features]) -> Vec<f64> {
    // A report's fields share a handful of feature combinations: predict each once.
    let mut seen: Vec<(Features, f64)> = Vec::new();
    features
        .iter()
        .map(|f| match seen.iter().find(|(g, _)| g == f) {
            Some((_, p)) => *p,
            None => {
                let p = MODEL.predict(f);
                seen.push((*f, p));
                p
            }
        })
        .collect()
}

/// Probability that every field is right.
pub fn record_confidence(field_conf: &[f64]) -> f64 {
    field_conf.iter().product()
}

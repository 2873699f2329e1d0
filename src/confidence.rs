//! Confidence: the probability that a field's value and state are what the document says,
//! and that a whole record is right.
//!
//! A field starts from how it was read (grid with known merges, flat table, loose line), how
//! well its row label and column header matched, and what the cell held; the 勾稽 identities it
//! takes part in then raise it (every identity holds with real numbers) or lower it (one fails,
//! more so when our own reading is suspect). The record's confidence is the product over its
//! fields: the probability that all of them are right, taking fields as independent after the
//! identities have been accounted for.

use crate::record::{Origin, Violation};
use crate::template::cell::{CellState, NumberNote};
use crate::template::map::Field;
use crate::template::rows::{ColumnEvidence, RowSource};

/// Document-level doubts (charset guessed, truncated file, grid anomalies).
#[derive(Debug, Clone, Copy, Default)]
pub struct DocDoubt {
    pub charset_guessed: bool,
    pub truncated: bool,
    pub grid_anomalies: bool,
}

/// Prior error rate of a field from how it was read, before the identities.
pub fn prior(field: &Field, doubt: DocDoubt) -> f64 {
    let e = &field.evidence;
    let mut p: f64 = match e.source {
        RowSource::Grid => 0.995,
        RowSource::FlatTable => 0.985,
        RowSource::Line => 0.95,
    };
    p *= if e.row_by_order {
        0.85
    } else if e.label_score >= 0.95 {
        1.0
    } else if e.label_score >= 0.85 {
        0.99
    } else if e.label_score >= 0.7 {
        0.96
    } else {
        0.9
    };
    p *= match e.column {
        ColumnEvidence::Header => 1.0,
        ColumnEvidence::HeaderPartial => 0.99,
        ColumnEvidence::Position => 0.96,
    };
    p *= match field.cell.state {
        CellState::Number => {
            let mut q = 1.0;
            for n in &field.cell.notes {
                q *= match n {
                    NumberNote::Normalised => 0.995,
                    NumberNote::Annotated => 0.97,
                    NumberNote::Yuan => 0.97,
                };
            }
            q
        }
        // Telling an empty cell is easy where the grid is known; harder in flat text.
        CellState::Blank | CellState::Na => match e.source {
            RowSource::Grid => 0.998,
            _ => 0.99,
        },
        CellState::Text => 0.9,
    };
    if doubt.charset_guessed {
        p *= 0.97;
    }
    if doubt.truncated {
        p *= 0.9;
    }
    if doubt.grid_anomalies {
        p *= 0.98;
    }
    p
}

/// Field confidences after the identities: `passed[i]` counts strict identities field i took
/// part in that held, and the violations name the fields of the ones that failed.
pub fn score_fields(
    fields: &[Field],
    doubt: DocDoubt,
    passed: &[u32],
    violations: &[Violation],
) -> Vec<f64> {
    fields
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let mut p = prior(f, doubt);
            let failing: Vec<&Violation> = violations
                .iter()
                .filter(|v| {
                    v.fields.contains(&f.key)
                        && crate::rules::IDENTITY_RULES.contains(&v.rule.as_str())
                })
                .collect();
            if failing.is_empty() {
                // Each identity that holds with real numbers makes a misreading far less likely:
                // an error would have to be cancelled by another.
                for _ in 0..passed.get(i).copied().unwrap_or(0).min(3) {
                    p = 1.0 - (1.0 - p) * 0.25;
                }
            } else {
                for v in failing {
                    p *= match v.origin {
                        Origin::Extraction => 0.6,
                        Origin::Source => 0.9,
                    };
                }
            }
            p.clamp(0.0, 0.999)
        })
        .collect()
}

/// Probability that every field is right.
pub fn record_confidence(field_conf: &[f64]) -> f64 {
    field_conf.iter().product()
}

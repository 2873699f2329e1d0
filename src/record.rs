//! The record of one input file, exactly as `contract.md` defines it.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Number, Value};

pub const SCHEMA: u32 = 1;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Record {
    pub schema: u32,
    pub source: Source,
    pub status: Status,
    pub error: Option<String>,
    pub report: Option<Report>,
    pub sections: Vec<SectionOut>,
    pub fields: Map<String, Value>,
    pub violations: Vec<Violation>,
    /// Per rule: how many checks passed, failed, passed only with blanks read as zero, or
    /// could not be assessed (rules.md §0). An addition to the contract.
    pub assessments: Vec<Assessment>,
    /// Reader and mapper notes that lowered confidence. An addition to the contract.
    pub warnings: Vec<String>,
    pub confidence: f64,
    /// What each field's confidence was computed from (for `xxgk eval --fit`); not serialised.
    #[serde(skip)]
    pub field_features: Vec<(String, crate::confidence::Features)>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Source {
    pub path: String,
    pub sha256: String,
    pub bytes: u64,
    pub format: Option<String>,
    pub encoding: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Ok,
    Partial,
    Failed,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Ok => "ok",
            Status::Partial => "partial",
            Status::Failed => "failed",
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Report {
    pub title: Option<String>,
    pub organization: Option<String>,
    /// Stable key for the organisation across years and spellings (an addition to the contract).
    pub organization_key: Option<String>,
    pub year: Option<i32>,
    pub template: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SectionOut {
    pub key: String,
    pub heading: String,
    pub text: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Origin {
    /// The document itself is inconsistent.
    Source,
    /// The pipeline suspects its own reading.
    Extraction,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Violation {
    pub rule: String,
    pub severity: Severity,
    pub origin: Origin,
    pub message: String,
    pub fields: Vec<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct Assessment {
    pub rule: String,
    pub passed: u32,
    pub failed: u32,
    pub blank_as_zero: u32,
    pub not_assessable: u32,
}

/// A JSON number: integers print without a decimal point.
pub fn number(v: f64) -> Value {
    if v.fract() == 0.0 && v.abs() < 9.0e15 {
        Value::Number(Number::from(v as i64))
    } else {
        Number::from_f64(v)
            .map(Value::Number)
            .unwrap_or(Value::Null)
    }
}

/// Rounds a probability for output (stable across platforms).
pub fn prob(p: f64) -> f64 {
    (p.clamp(0.0, 1.0) * 1000.0).round() / 1000.0
}

impl Record {
    /// A record for a file no report could be made from.
    pub fn failed(source: Source, error: String) -> Record {
        Record {
            schema: SCHEMA,
            source,
            status: Status::Failed,
            error: Some(error),
            report: None,
            sections: vec![],
            fields: Map::new(),
            violations: vec![],
            assessments: vec![],
            warnings: vec![],
            confidence: 0.0,
            field_features: vec![],
        }
    }
}

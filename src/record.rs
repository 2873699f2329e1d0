//! The record of one input file, exactly as `contract.md` defines it.

use std::borrow::Cow;
use std::collections::HashMap;

use serde::de::{MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Number, Value};

pub const SCHEMA: u32 = 1;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Record {
    pub schema: u32,
    pub source: Source,
    pub status: Status,
    pub error: Option<String>,
    pub report: Option<Report>,
    pub sections: Vec<SectionOut>,
    pub fields: Fields,
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

/// One field of a record: `{"value", "raw", "state", "confidence"}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FieldOut {
    /// The number read (see [`number`]), or null.
    pub value: Value,
    /// The cell as printed.
    pub raw: String,
    /// `number`, `blank`, `na` or `text`.
    pub state: Cow<'static, str>,
    pub confidence: f64,
}

/// A record's fields in template order, written as one JSON object keyed by field key.
/// Written straight from these structs, with no `serde_json::Value` tree in between.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Fields(Vec<(String, FieldOut)>);

impl Fields {
    /// Fields from (key, cell) pairs in order. A key given twice keeps its first place and
    /// takes the last cell, as inserting into a JSON object does.
    pub fn from_entries(entries: Vec<(String, FieldOut)>) -> Fields {
        let mut out: Vec<(String, FieldOut)> = Vec::with_capacity(entries.len());
        let mut seen: HashMap<String, usize, crate::template::map::KeyHasher> =
            HashMap::with_capacity_and_hasher(entries.len(), Default::default());
        for (key, cell) in entries {
            match seen.get(&key) {
                Some(&i) => out[i].1 = cell,
                None => {
                    seen.insert(key.clone(), out.len());
                    out.push((key, cell));
                }
            }
        }
        Fields(out)
    }

    /// The field with this key.
    pub fn get(&self, key: &str) -> Option<&FieldOut> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, c)| c)
    }

    /// (key, field) in order.
    pub fn iter(&self) -> impl Iterator<Item = (&String, &FieldOut)> {
        self.0.iter().map(|(k, c)| (k, c))
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl Serialize for Fields {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (k, c) in &self.0 {
            map.serialize_entry(k, c)?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for Fields {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Fields, D::Error> {
        struct FieldsVisitor;
        impl<'de> Visitor<'de> for FieldsVisitor {
            type Value = Fields;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an object of fields")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Fields, A::Error> {
                let mut entries = Vec::with_capacity(map.size_hint().unwrap_or(0));
                while let Some(entry) = map.next_entry::<String, FieldOut>()? {
                    entries.push(entry);
                }
                Ok(Fields::from_entries(entries))
            }
        }
        deserializer.deserialize_map(FieldsVisitor)
    }
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
            fields: Fields::default(),
            violations: vec![],
            assessments: vec![],
            warnings: vec![],
            confidence: 0.0,
            field_features: vec![],
        }
    }
}

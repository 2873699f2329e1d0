//! HTML reader (placeholder: replaced by the real implementation).
use crate::model::Document;

pub fn read(_text: &str) -> Document {
    Document::default()
}

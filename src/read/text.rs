//! Plain-text reader (placeholder).
use crate::model::Document;

pub fn read(_text: &str) -> Document {
    Document::default()
}

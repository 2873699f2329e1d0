//! .docx reader (placeholder: replaced by the real implementation).
use crate::error::ReadError;
use crate::model::Document;

pub fn read(_bytes: &[u8]) -> Result<Document, ReadError> {
    Ok(Document::default())
}

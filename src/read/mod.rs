//! Readers: bytes in, [`Document`] out. The kind of input is decided from the bytes in one place
//! ([`sniff`]), then one reader per format builds the same document model.

pub mod docx;
pub mod encoding;
pub mod html;
pub mod sniff;
pub mod text;

use crate::error::ReadError;
use crate::limits::MAX_HTML_BYTES;
use crate::model::Document;
pub use sniff::Kind;

/// What a reader produced, and how it decoded the bytes.
#[derive(Debug)]
pub struct Read {
    pub document: Document,
    /// `docx`, `html`, `text`, … as written in `source.format`.
    pub format: &'static str,
    /// The character encoding the text was decoded from (`utf-8`, `gb18030`, …).
    pub encoding: String,
}

/// Reads any supported file from its bytes.
pub fn read_bytes(bytes: &[u8]) -> Result<Read, ReadError> {
    if bytes.is_empty() {
        return Err(ReadError::Empty);
    }
    if sniff::is_encrypted_ooxml(bytes) {
        return Err(ReadError::Encrypted);
    }
    match sniff::sniff(bytes) {
        Kind::Zip => {
            let document = docx::read(bytes)?;
            Ok(Read {
                document,
                format: "docx",
                encoding: "utf-8".into(),
            })
        }
        Kind::Html => {
            if bytes.len() > MAX_HTML_BYTES {
                return Err(ReadError::Limit(format!(
                    "HTML page is {} bytes, over the {MAX_HTML_BYTES}-byte HTML limit",
                    bytes.len()
                )));
            }
            let decoded = encoding::decode_html(bytes);
            let mut document = html::read(&decoded.text);
            document.warnings.extend(decoded.warnings);
            Ok(Read {
                document,
                format: "html",
                encoding: decoded.encoding,
            })
        }
        Kind::Text => {
            let decoded = encoding::decode_text(bytes);
            let mut document = text::read(&decoded.text);
            document.warnings.extend(decoded.warnings);
            Ok(Read {
                document,
                format: "text",
                encoding: decoded.encoding,
            })
        }
        Kind::Ole => Err(ReadError::Unsupported(
            "legacy Word 97-2003 (.doc) or encrypted Office file (OLE compound document)".into(),
        )),
        Kind::Pdf => Err(ReadError::Unsupported("PDF is not read yet".into())),
        Kind::Rtf => Err(ReadError::Unsupported("RTF is not read yet".into())),
        Kind::Binary(what) => Err(ReadError::NotAReport(what.into())),
    }
}

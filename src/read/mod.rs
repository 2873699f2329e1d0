//! Readers: bytes in, [`Document`] out. The kind of input is decided from the bytes in one place
//! ([`sniff`]), then one reader per format builds the same document model.

pub mod docx;
pub mod encoding;
pub mod html;
pub mod isolate;
pub mod legacy;
pub mod mhtml;
pub mod pdf;
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
        Kind::Mhtml => {
            let decoded = mhtml::decode(bytes)?;
            let mut document = html::read(&decoded.text);
            document.warnings.extend(decoded.warnings);
            Ok(Read {
                document,
                format: "mhtml",
                encoding: decoded.encoding,
            })
        }
        Kind::Ole => read_legacy(legacy::LegacyKind::Ole, bytes),
        Kind::Rtf => read_legacy(legacy::LegacyKind::Rtf, bytes),
        Kind::Pdf => {
            let document = pdf::read(bytes)?;
            Ok(Read {
                document,
                format: "pdf",
                encoding: "utf-8".into(),
            })
        }
        Kind::Binary(what) => Err(ReadError::NotAReport(what.into())),
    }
}

/// .doc / .wps (OLE) and RTF: parsed by `anydoc` in a worker process ([`isolate`]).
fn read_legacy(kind: legacy::LegacyKind, bytes: &[u8]) -> Result<Read, ReadError> {
    let wire = isolate::read(kind, bytes)?;
    let encoding = wire.encoding.clone();
    Ok(Read {
        document: legacy::to_document(wire),
        format: kind.format(),
        encoding,
    })
}

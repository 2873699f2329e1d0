//! PDF reports: the text layer read with positions (our own content-stream interpreter over
//! `lopdf` objects), tables rebuilt from their rulings, paragraphs from lines.
//!
//! No OCR: a PDF without a text layer (a scan), an encrypted PDF needing a password, or a
//! broken one is refused with a one-line reason.

mod content;
mod layout;

use crate::error::ReadError;
use crate::limits::{MAX_PDF_PAGES, MAX_PDF_STREAM_BYTES};
use crate::model::{Block, Document};

pub fn read(bytes: &[u8]) -> Result<Document, ReadError> {
    let options = lopdf::LoadOptions {
        max_decompressed_size: Some(MAX_PDF_STREAM_BYTES),
        ..Default::default()
    };
    let pdf = match lopdf::Document::load_mem_with_options(bytes, options) {
        Ok(d) => d,
        Err(lopdf::Error::InvalidPassword) => return Err(ReadError::Encrypted),
        Err(e) => {
            return Err(ReadError::Corrupt {
                format: "pdf",
                detail: one_line(&e.to_string()),
            })
        }
    };
    if pdf.is_encrypted() && !pdf.was_encrypted() {
        return Err(ReadError::Encrypted);
    }
    let page_ids: Vec<_> = pdf.page_iter().take(MAX_PDF_PAGES + 1).collect();
    if page_ids.is_empty() {
        return Err(ReadError::Corrupt {
            format: "pdf",
            detail: "no pages".into(),
        });
    }
    let mut doc = Document::default();
    if page_ids.len() > MAX_PDF_PAGES {
        doc.warnings.push(format!(
            "PDF has more than {MAX_PDF_PAGES} pages; the rest skipped"
        ));
    }
    let mut interp = content::Interpreter::new(&pdf);
    let mut pages = Vec::new();
    for id in page_ids.into_iter().take(MAX_PDF_PAGES) {
        pages.push(interp.page(id));
        if interp.stats.limit_hit.is_some() {
            break;
        }
    }
    let stats = interp.stats;
    let glyphs: usize = pages.iter().map(|p| p.glyphs.len()).sum();
    let images: usize = pages.iter().map(|p| p.images).sum();
    if glyphs == 0 {
        if stats.unmapped > 0 {
            return Err(ReadError::Unsupported(
                "PDF text has no Unicode mapping (fonts without ToUnicode); cannot read it".into(),
            ));
        }
        if images > 0 {
            return Err(ReadError::Unsupported(
                "PDF has no text layer (scanned image); OCR is not supported".into(),
            ));
        }
        return Err(ReadError::NotAReport("PDF has no text".into()));
    }
    if stats.unmapped * 5 > glyphs {
        return Err(ReadError::Unsupported(format!(
            "PDF text mostly unreadable: {} of {} glyphs have no Unicode mapping",
            stats.unmapped,
            stats.unmapped + glyphs
        )));
    }
    if stats.unmapped > 0 {
        doc.warnings.push(format!(
            "{} PDF glyphs without Unicode mapping were dropped",
            stats.unmapped
        ));
    }
    if let Some(l) = stats.limit_hit {
        doc.warnings.push(format!(
            "PDF limit reached: {l}; rest of the document skipped"
        ));
    }
    doc.warnings.extend(stats.warnings);
    let mut warnings = Vec::new();
    doc.blocks = layout::blocks(&pages, &mut warnings);
    doc.warnings.extend(warnings);
    doc.declared_title = pdf_title(&pdf);
    if !doc
        .blocks
        .iter()
        .any(|b| matches!(b, Block::Paragraph(_) | Block::Table(_)))
    {
        return Err(ReadError::NotAReport("PDF has no text".into()));
    }
    Ok(doc)
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The Info dictionary's Title, when it is text.
fn pdf_title(pdf: &lopdf::Document) -> Option<String> {
    let info = pdf.trailer.get(b"Info").ok()?;
    let (_, info) = pdf.dereference(info).ok()?;
    let title = info.as_dict().ok()?.get(b"Title").ok()?;
    let (_, title) = pdf.dereference(title).ok()?;
    let t = lopdf::decode_text_string(title).ok()?;
    let t = t.trim().to_string();
    (!t.is_empty()).then_some(t)
}

/// Debug view of what the reader sees (used while developing; `XXGK_PDF_DUMP`).
pub fn dump(bytes: &[u8]) -> String {
    match read(bytes) {
        Ok(doc) => {
            let mut s = String::new();
            for b in &doc.blocks {
                match b {
                    Block::Paragraph(p) => {
                        s.push_str("P: ");
                        s.push_str(p);
                        s.push('\n');
                    }
                    Block::Table(t) => {
                        s.push_str(&format!("TABLE {}x{}\n", t.rows(), t.cols()));
                        for r in 0..t.rows() {
                            let cells: Vec<String> = t
                                .row_cells(r)
                                .iter()
                                .map(|c| {
                                    format!(
                                        "{}{}[{}x{}]",
                                        if c.origin { "" } else { "^" },
                                        c.cell.text.replace('\n', "⏎"),
                                        c.cell.row_span,
                                        c.cell.col_span
                                    )
                                })
                                .collect();
                            s.push_str(&format!("  {r}: {}\n", cells.join(" | ")));
                        }
                    }
                }
            }
            for w in &doc.warnings {
                s.push_str(&format!("W: {w}\n"));
            }
            s
        }
        Err(e) => format!("ERR: {e}\n"),
    }
}

/// Debug view of the rulings and glyph lines of each page (`pdfdump --segs`).
pub fn dump_segments(bytes: &[u8]) -> String {
    let Ok(pdf) = lopdf::Document::load_mem(bytes) else {
        return "ERR\n".into();
    };
    let mut interp = content::Interpreter::new(&pdf);
    let mut s = String::new();
    for (i, id) in pdf.page_iter().take(MAX_PDF_PAGES).enumerate() {
        let page = interp.page(id);
        s.push_str(&format!("page {}\n", i + 1));
        for g in &page.segs {
            s.push_str(&format!(
                "  seg {:.2},{:.2} - {:.2},{:.2}\n",
                g.x0, g.y0, g.x1, g.y1
            ));
        }
    }
    s
}

//! PDF reports: the text layer read with positions (our own content-stream interpreter over
//! `lopdf` objects), tables rebuilt from their rulings, paragraphs from lines.
//!
//! No OCR: a PDF without a text layer (a scan), an encrypted PDF needing a password, or a
//! broken one is refused with a one-line reason.

mod content;
mod layout;
mod lexer;

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
    let tail = &bytes[bytes.len().saturating_sub(2048)..];
    let truncated = !tail.windows(5).any(|w| w == b"%%EOF");
    if truncated {
        if glyphs == 0 {
            return Err(ReadError::Corrupt {
                format: "pdf",
                detail: "truncated (no %%EOF) and no text could be read".into(),
            });
        }
        doc.warnings
            .push("truncated PDF (no %%EOF); what could be read was read".into());
    }
    if glyphs > 0 && stats.unmapped >= glyphs {
        return Err(ReadError::Unsupported(
            "PDF text has no Unicode mapping (fonts without ToUnicode); cannot read it".into(),
        ));
    }
    if glyphs == 0 {
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
            stats.unmapped, glyphs
        )));
    }
    if stats.unmapped > 0 {
        doc.warnings.push(format!(
            "charset_unmapped_glyphs: {} PDF glyphs have no Unicode mapping (kept as U+FFFD)",
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

#[cfg(test)]
mod tests {
    use super::*;
    use lopdf::{dictionary, Object, Stream};

    /// A one-page PDF with `content` and, optionally, a Helvetica font `F1` and an image `Im1`.
    fn make_pdf(content: &str, image: bool) -> Vec<u8> {
        make_pdf_rotated(content, image, 0)
    }

    fn make_pdf_rotated(content: &str, image: bool, rotate: i64) -> Vec<u8> {
        let mut doc = lopdf::Document::with_version("1.5");
        let pages_id = doc.new_object_id();
        let font_id = doc.add_object(dictionary! {
            "Type" => "Font",
            "Subtype" => "Type1",
            "BaseFont" => "Helvetica",
            "Encoding" => "WinAnsiEncoding",
        });
        let mut resources = dictionary! {
            "Font" => dictionary! { "F1" => font_id },
        };
        if image {
            let img = Stream::new(
                dictionary! {
                    "Type" => "XObject",
                    "Subtype" => "Image",
                    "Width" => 1,
                    "Height" => 1,
                    "ColorSpace" => "DeviceGray",
                    "BitsPerComponent" => 8,
                },
                vec![0u8],
            );
            let img_id = doc.add_object(img);
            resources.set("XObject", dictionary! { "Im1" => img_id });
        }
        let content_id = doc.add_object(Stream::new(dictionary! {}, content.as_bytes().to_vec()));
        let page_id = doc.add_object(dictionary! {
            "Type" => "Page",
            "Parent" => pages_id,
            "Contents" => content_id,
            "Resources" => resources,
            "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
            "Rotate" => rotate,
        });
        doc.objects.insert(
            pages_id,
            Object::Dictionary(dictionary! {
                "Type" => "Pages",
                "Kids" => vec![page_id.into()],
                "Count" => 1,
            }),
        );
        let catalog_id = doc.add_object(dictionary! {
            "Type" => "Catalog",
            "Pages" => pages_id,
        });
        doc.trailer.set("Root", catalog_id);
        let mut out = Vec::new();
        doc.save_to(&mut out).expect("save");
        out
    }

    #[test]
    fn text_lines_with_gaps_become_label_and_values() {
        let pdf = make_pdf(
            "BT /F1 12 Tf 72 700 Td (Report 2023) Tj ET \
             BT /F1 10 Tf 72 650 Td (alpha) Tj 120 0 Td (3) Tj 40 0 Td (0) Tj 40 0 Td (3) Tj ET \
             BT /F1 10 Tf 290 40 Td (- 4 -) Tj ET",
            false,
        );
        let doc = read(&pdf).expect("readable");
        let paras: Vec<&str> = doc
            .blocks
            .iter()
            .filter_map(|b| match b {
                Block::Paragraph(p) => Some(p.as_str()),
                _ => None,
            })
            .collect();
        assert_eq!(paras, vec!["Report 2023", "alpha 3 0 3"]);
    }

    #[test]
    fn a_rotated_page_is_read_upright() {
        // Landscape text drawn on a portrait page turned by /Rotate 90: the words run up the
        // unrotated page, as `0 1 -1 0` text matrices do.
        let pdf = make_pdf_rotated(
            "BT /F1 12 Tf 0 1 -1 0 300 100 Tm (first line) Tj ET \
             BT /F1 12 Tf 0 1 -1 0 320 100 Tm (second line) Tj ET",
            false,
            90,
        );
        let doc = read(&pdf).expect("readable");
        let paras: Vec<&str> = doc
            .blocks
            .iter()
            .filter_map(|b| match b {
                Block::Paragraph(p) => Some(p.as_str()),
                _ => None,
            })
            .collect();
        assert_eq!(paras, vec!["first line", "second line"]);
    }

    #[test]
    fn ruled_grid_becomes_a_table_with_spans() {
        // Two columns, three rows; the left cell of rows 2–3 is merged (no ruling between).
        let content = "0.5 w \
            100 700 m 300 700 l S  100 680 m 300 680 l S  200 660 m 300 660 l S  100 640 m 300 640 l S \
            100 700 m 100 640 l S  200 700 m 200 640 l S  300 700 m 300 640 l S \
            BT /F1 10 Tf 110 686 Td (head) Tj ET  BT /F1 10 Tf 210 686 Td (total) Tj ET \
            BT /F1 10 Tf 110 656 Td (group) Tj ET  BT /F1 10 Tf 210 666 Td (1) Tj ET \
            BT /F1 10 Tf 210 646 Td (2) Tj ET";
        let doc = read(&make_pdf(content, false)).expect("readable");
        let t = doc
            .blocks
            .iter()
            .find_map(|b| match b {
                Block::Table(t) => Some(t),
                _ => None,
            })
            .expect("a table");
        assert!(t.spans_known);
        assert_eq!((t.rows(), t.cols()), (3, 2));
        let (i, c) = t.cell_at(1, 0).expect("cell");
        assert_eq!((c.text.as_str(), c.row_span), ("group", 2));
        assert_eq!(t.cell_at(2, 0).map(|x| x.0), Some(i));
        assert_eq!(t.cell_at(2, 1).map(|x| x.1.text.as_str()), Some("2"));
    }

    #[test]
    fn scanned_encrypted_and_broken_pdfs_fail_with_a_reason() {
        let scanned = make_pdf("q 595 0 0 842 0 0 cm /Im1 Do Q", true);
        let e = read(&scanned).unwrap_err().to_string();
        assert!(e.contains("no text layer (scanned image)"), "{e}");
        let e = read(b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ngarbage")
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("corrupt pdf") || e.contains("PDF"), "{e}");
        assert!(!e.contains('\n'));
        let blank = make_pdf("", false);
        assert!(read(&blank).is_err());
    }

    #[test]
    fn password_protected_pdf_is_refused() {
        let mut pdf =
            lopdf::Document::load_mem(&make_pdf("BT /F1 10 Tf 72 700 Td (x) Tj ET", false))
                .expect("load");
        let enc = pdf.add_object(dictionary! {
            "Filter" => "Standard",
            "V" => 1,
            "R" => 2,
            "O" => Object::string_literal(vec![1u8; 32]),
            "U" => Object::string_literal(vec![2u8; 32]),
            "P" => -4,
        });
        pdf.trailer.set("Encrypt", enc);
        pdf.trailer.set(
            "ID",
            vec![
                Object::string_literal(vec![3u8; 16]),
                Object::string_literal(vec![3u8; 16]),
            ],
        );
        let mut bytes = Vec::new();
        pdf.save_to(&mut bytes).expect("save");
        let e = read(&bytes).unwrap_err();
        assert!(matches!(e, ReadError::Encrypted), "{e}");
    }
}

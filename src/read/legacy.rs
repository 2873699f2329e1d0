//! Legacy Word 97–2003 `.doc` (and WPS `.wps`, which is the same OLE layout), and RTF, read with
//! the `anydoc` crate. These parsers are third-party code fed hostile bytes, so they run in a
//! child process ([`super::isolate`]); this module holds what runs there (OLE classification and
//! parsing) and the conversion of anydoc's document into a plain wire form, which the parent
//! turns into our [`Document`] with [`TableBuilder`].

use std::io::Cursor;

use serde::{Deserialize, Serialize};

use crate::error::ReadError;
use crate::limits::MAX_CELL_CHARS;
use crate::model::{Block, CellSpec, Document, TableBuilder};

/// What the legacy parsers handle.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum LegacyKind {
    /// An OLE2 compound file: Word .doc / .wps, or something else (refused).
    Ole,
    Rtf,
}

impl LegacyKind {
    pub fn format(self) -> &'static str {
        match self {
            LegacyKind::Ole => "doc",
            LegacyKind::Rtf => "rtf",
        }
    }
}

/// A document as it crosses the process boundary.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Wire {
    pub blocks: Vec<WireBlock>,
    pub warnings: Vec<String>,
    /// Code page of RTF text or 8-bit `.doc` pieces, when known; else UTF-16 (`.doc`).
    pub encoding: String,
}

#[derive(Debug, Serialize, Deserialize)]
pub enum WireBlock {
    Paragraph(String),
    /// Rows of origin cells, each placed at its grid column.
    Table(Vec<Vec<WireCell>>),
}

#[derive(Debug, Serialize, Deserialize)]
pub struct WireCell {
    pub col: usize,
    pub text: String,
    pub col_span: usize,
    pub row_span: usize,
}

/// The outcome the worker reports: a document or a typed refusal.
#[derive(Debug, Serialize, Deserialize)]
pub enum WireResult {
    Ok(Wire),
    Encrypted,
    NotAReport(String),
    Unsupported(String),
    Corrupt(String),
    Limit(String),
}

impl WireResult {
    pub fn into_result(self, kind: LegacyKind) -> Result<Wire, ReadError> {
        match self {
            WireResult::Ok(w) => Ok(w),
            WireResult::Encrypted => Err(ReadError::Encrypted),
            WireResult::NotAReport(s) => Err(ReadError::NotAReport(s)),
            WireResult::Unsupported(s) => Err(ReadError::Unsupported(s)),
            WireResult::Corrupt(detail) => Err(ReadError::Corrupt {
                format: kind.format(),
                detail,
            }),
            WireResult::Limit(s) => Err(ReadError::Limit(s)),
        }
    }
}

/// Parses the bytes (in the worker process): classification, then anydoc.
pub fn parse(kind: LegacyKind, bytes: &[u8]) -> WireResult {
    match kind {
        LegacyKind::Ole => parse_ole(bytes),
        LegacyKind::Rtf => convert(
            anydoc::to_document(bytes, anydoc::Format::Rtf),
            rtf_encoding(bytes),
        ),
    }
}

/// MSI installer packages carry this root CLSID.
const MSI_CLSID: &str = "000c1084-0000-0000-c000-000000000046";

fn parse_ole(bytes: &[u8]) -> WireResult {
    let ole = match cfb::CompoundFile::open(Cursor::new(bytes)) {
        Ok(o) => o,
        Err(e) => {
            return WireResult::Corrupt(format!(
                "not a readable OLE compound file: {}",
                one_line(&e.to_string())
            ))
        }
    };
    let names: Vec<String> = ole
        .read_root_storage()
        .take(1000)
        .map(|e| e.name().to_string())
        .collect();
    let has = |n: &str| names.iter().any(|x| x.eq_ignore_ascii_case(n));
    if has("EncryptedPackage") || has("EncryptionInfo") {
        // An OOXML package (docx, xlsx…) encrypted with a password.
        return WireResult::Encrypted;
    }
    if !has("WordDocument") {
        let clsid = ole.root_entry().clsid().to_string().to_ascii_lowercase();
        let what = if has("Workbook") || has("Book") {
            "an Excel 97-2003 workbook (.xls), not a Word document".to_string()
        } else if has("PowerPoint Document") {
            "a PowerPoint 97-2003 presentation (.ppt), not a Word document".to_string()
        } else if clsid == MSI_CLSID {
            "a Windows installer package (.msi), not a Word document".to_string()
        } else {
            let mut shown: Vec<&str> = names.iter().map(|s| s.as_str()).take(5).collect();
            shown.sort_unstable();
            format!(
                "an OLE compound file without a WordDocument stream (streams: {})",
                shown.join(", ")
            )
        };
        return WireResult::NotAReport(what);
    }
    drop(ole);
    convert(
        anydoc::to_document(bytes, anydoc::Format::Doc),
        "utf-16le".into(),
    )
}

/// The code page an RTF file declares (`\ansicpg936` → gbk); windows-1252 when none.
fn rtf_encoding(bytes: &[u8]) -> String {
    let head = &bytes[..bytes.len().min(4096)];
    let needle = b"\\ansicpg";
    let Some(at) = head.windows(needle.len()).position(|w| w == needle) else {
        // No code page: LibreOffice and others write CJK text as `\uN` escapes (UTF-16 units).
        let unicode = bytes
            .windows(3)
            .any(|w| w[0] == b'\\' && w[1] == b'u' && (w[2].is_ascii_digit() || w[2] == b'-'));
        return if unicode { "utf-16" } else { "windows-1252" }.into();
    };
    let digits: String = head[at + needle.len()..]
        .iter()
        .take_while(|b| b.is_ascii_digit())
        .map(|&b| b as char)
        .collect();
    match digits.as_str() {
        "936" => "gbk".into(),
        "950" => "big5".into(),
        "54936" => "gb18030".into(),
        "65001" => "utf-8".into(),
        "" => "windows-1252".into(),
        d => format!("windows-{d}"),
    }
}

fn one_line(s: &str) -> String {
    s.lines().next().unwrap_or("").chars().take(200).collect()
}

fn convert(
    r: Result<anydoc::model::Document, anydoc::ConvertError>,
    encoding: String,
) -> WireResult {
    use anydoc::ConvertError as E;
    match r {
        Ok(doc) => {
            let mut wire = Wire {
                encoding,
                ..Wire::default()
            };
            for b in &doc.blocks {
                block(b, &mut wire);
            }
            WireResult::Ok(wire)
        }
        Err(E::Encrypted) => WireResult::Encrypted,
        Err(E::ResourceLimit { limit, detail }) => {
            WireResult::Limit(format!("{limit}: {}", one_line(&detail)))
        }
        Err(E::Unsupported(s)) => WireResult::Unsupported(one_line(&s)),
        Err(e) => WireResult::Corrupt(one_line(&e.to_string())),
    }
}

fn block(b: &anydoc::model::Block, wire: &mut Wire) {
    use anydoc::model::Block as B;
    match b {
        B::Heading { content, .. } | B::Paragraph(content) => {
            wire.blocks
                .push(WireBlock::Paragraph(anydoc::model::inlines_to_plain_text(
                    content,
                )));
        }
        B::List(list) => {
            for item in &list.items {
                let start = wire.blocks.len();
                for ib in &item.blocks {
                    block(ib, wire);
                }
                // Keep a printed marker ("（一）", "1.") with its text, as Word shows it.
                if let (Some(label), Some(WireBlock::Paragraph(p))) =
                    (&item.marker_label, wire.blocks.get_mut(start))
                {
                    if !label.trim().is_empty() {
                        *p = format!("{label}{p}");
                    }
                }
            }
        }
        B::BlockQuote(blocks) => {
            for ib in blocks {
                block(ib, wire);
            }
        }
        B::CodeBlock { text, .. } => wire.blocks.push(WireBlock::Paragraph(text.clone())),
        B::Math(m) => wire.blocks.push(WireBlock::Paragraph(m.clone())),
        B::Rule => {}
        B::Table(t) => {
            let rows = t
                .grid
                .iter()
                .map(|row| {
                    row.iter()
                        .enumerate()
                        .filter_map(|(col, slot)| match slot {
                            anydoc::model::CellSlot::Origin(c) => Some(WireCell {
                                col,
                                text: cell_text(&c.blocks),
                                col_span: c.col_span.max(1) as usize,
                                row_span: c.row_span.max(1) as usize,
                            }),
                            anydoc::model::CellSlot::Covered { .. } => None,
                        })
                        .collect()
                })
                .collect();
            wire.blocks.push(WireBlock::Table(rows));
        }
    }
}

/// A cell's text: its paragraphs joined by `\n`; a nested table's rows as lines of cells.
fn cell_text(blocks: &[anydoc::model::Block]) -> String {
    let mut sub = Wire::default();
    for b in blocks {
        block(b, &mut sub);
    }
    let mut lines: Vec<String> = Vec::new();
    for b in sub.blocks {
        match b {
            WireBlock::Paragraph(p) => lines.push(p),
            WireBlock::Table(rows) => {
                for r in rows {
                    let cells: Vec<String> =
                        r.into_iter().map(|c| c.text.replace('\n', " ")).collect();
                    lines.push(cells.join(" "));
                }
            }
        }
    }
    let text = lines.join("\n");
    text.trim().to_string()
}

/// Builds our document from the wire form (in the parent).
pub fn to_document(wire: Wire) -> Document {
    let mut doc = Document {
        warnings: wire.warnings,
        ..Document::default()
    };
    for b in wire.blocks {
        match b {
            WireBlock::Paragraph(p) => {
                let p = cut(p, &mut doc.warnings);
                let p = p.trim();
                if !p.is_empty() {
                    doc.blocks.push(Block::Paragraph(p.to_string()));
                }
            }
            WireBlock::Table(rows) => {
                let mut tb = TableBuilder::new(true);
                for row in rows {
                    if !tb.start_row() {
                        break;
                    }
                    for c in row {
                        let text = cut(c.text, &mut doc.warnings);
                        tb.push_at(
                            c.col,
                            CellSpec {
                                text,
                                col_span: c.col_span,
                                row_span: c.row_span,
                                vertical: false,
                            },
                        );
                    }
                }
                let (table, warnings) = tb.finish();
                doc.warnings.extend(warnings);
                if table.rows() > 0 {
                    doc.blocks.push(Block::Table(table));
                }
            }
        }
    }
    doc
}

fn cut(s: String, warnings: &mut Vec<String>) -> String {
    if s.chars().count() <= MAX_CELL_CHARS {
        return s;
    }
    if !warnings.iter().any(|w| w.starts_with("truncated")) {
        warnings.push(format!(
            "truncated: text over {MAX_CELL_CHARS} characters cut"
        ));
    }
    s.chars().take(MAX_CELL_CHARS).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rtf_code_page_is_named() {
        assert_eq!(rtf_encoding(b"{\\rtf1\\ansi\\ansicpg936\\deff0"), "gbk");
        assert_eq!(rtf_encoding(b"{\\rtf1\\ansi\\ansicpg1252"), "windows-1252");
        assert_eq!(rtf_encoding(b"{\\rtf1\\ansi\\deff4 abc}"), "windows-1252");
        assert_eq!(
            rtf_encoding(b"{\\rtf1\\ansi\\deff4 \\u26223\\'3f}"),
            "utf-16"
        );
    }

    #[test]
    fn wire_tables_keep_their_merges() {
        let wire = Wire {
            blocks: vec![WireBlock::Table(vec![
                vec![
                    WireCell {
                        col: 0,
                        text: "a".into(),
                        col_span: 1,
                        row_span: 2,
                    },
                    WireCell {
                        col: 1,
                        text: "b".into(),
                        col_span: 2,
                        row_span: 1,
                    },
                ],
                vec![
                    WireCell {
                        col: 1,
                        text: "c".into(),
                        col_span: 1,
                        row_span: 1,
                    },
                    WireCell {
                        col: 2,
                        text: "d".into(),
                        col_span: 1,
                        row_span: 1,
                    },
                ],
            ])],
            ..Wire::default()
        };
        let doc = to_document(wire);
        let Block::Table(t) = &doc.blocks[0] else {
            panic!("table expected")
        };
        assert_eq!((t.rows(), t.cols()), (2, 3));
        assert_eq!(t.cell_at(1, 0).map(|(_, c)| c.text.as_str()), Some("a"));
        assert_eq!(t.cell_at(0, 2).map(|(_, c)| c.text.as_str()), Some("b"));
        assert_eq!(t.cell_at(1, 2).map(|(_, c)| c.text.as_str()), Some("d"));
        assert!(doc.warnings.is_empty(), "{:?}", doc.warnings);
    }

    #[test]
    fn non_word_ole_is_refused_clearly() {
        let mut comp = cfb::CompoundFile::create(Cursor::new(Vec::new())).expect("create");
        comp.create_stream("Workbook").expect("stream");
        let bytes = comp.into_inner().into_inner();
        match parse(LegacyKind::Ole, &bytes) {
            WireResult::NotAReport(s) => assert!(s.contains("Excel"), "{s}"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn encrypted_ooxml_is_encrypted() {
        let mut comp = cfb::CompoundFile::create(Cursor::new(Vec::new())).expect("create");
        comp.create_stream("EncryptionInfo").expect("stream");
        comp.create_stream("EncryptedPackage").expect("stream");
        let bytes = comp.into_inner().into_inner();
        assert!(matches!(
            parse(LegacyKind::Ole, &bytes),
            WireResult::Encrypted
        ));
    }
}

//! Plain-text reports: paragraphs as lines, and tables in the two shapes converters make.
//!
//! * Word-to-text renderings (the seed): each cell starts a line with a TAB, a cell's text may
//!   continue on lines without a TAB, merged cells are bare TAB lines, rows end at a blank line.
//! * Markdown pipe tables (`| a | b |`, with `|---|` separator lines).
//!
//! Neither carries spans, so the tables are built with `spans_known = false`; the template
//! mapper rebuilds the layout from labels and numbers.

use crate::limits::{MAX_CELL_CHARS, MAX_TEXT_LINES};
use crate::model::{Block, CellSpec, Document, TableBuilder};

pub fn read(text: &str) -> Document {
    let mut doc = Document::default();
    let mut lines: Vec<&str> = text
        .lines()
        .take(MAX_TEXT_LINES + 1)
        .map(|l| l.trim_end_matches('\r'))
        .collect();
    if lines.len() > MAX_TEXT_LINES {
        lines.truncate(MAX_TEXT_LINES);
        doc.warnings.push(format!(
            "text_line_limit: more than {MAX_TEXT_LINES} lines; the rest ignored"
        ));
    }
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        if line.starts_with('\t') {
            i = read_tab_table(&lines, i, &mut doc);
        } else if is_pipe_row(line) {
            i = read_pipe_table(&lines, i, &mut doc);
        } else {
            let t = clean_line(line);
            if !t.is_empty() && !is_page_marker(&t) {
                doc.blocks.push(Block::Paragraph(t));
            }
            i += 1;
        }
    }
    doc
}

/// Drops Markdown heading marks and Word bookmark artefacts (`[bookmark: _GoBack]`).
fn clean_line(line: &str) -> String {
    let mut t = strip_artefacts(line.trim());
    if t.starts_with('#') {
        t = t.trim_start_matches('#').trim().to_string();
    }
    t
}

fn strip_artefacts(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(p) = rest.find("[bookmark:") {
        out.push_str(&rest[..p]);
        match rest[p..].find(']') {
            Some(q) => rest = &rest[p + q + 1..],
            None => {
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// Page furniture from PDF renderings: `— 5 —`, `- 4 -`, `第 3 页`.
pub fn is_page_marker(t: &str) -> bool {
    let s: String = t.chars().filter(|c| !c.is_whitespace()).collect();
    if s.is_empty() {
        return false;
    }
    let inner = s.trim_matches(|c| matches!(c, '—' | '-' | '－' | '–'));
    let dashed =
        inner.len() < s.len() && !inner.is_empty() && inner.chars().all(|c| c.is_ascii_digit());
    let page = s.starts_with('第')
        && s.ends_with('页')
        && s.chars().filter(|c| c.is_ascii_digit()).count() > 0
        && s.chars().count() <= 8;
    dashed || page
}

fn cut(mut s: String, warnings: &mut Vec<String>) -> String {
    if s.chars().count() > MAX_CELL_CHARS {
        s = s.chars().take(MAX_CELL_CHARS).collect();
        warnings.push(format!("cell text cut at {MAX_CELL_CHARS} characters"));
    }
    s
}

/// Reads a TAB-per-cell table starting at `start`; returns the index after it.
fn read_tab_table(lines: &[&str], start: usize, doc: &mut Document) -> usize {
    let mut b = TableBuilder::new(false);
    let mut i = start;
    let mut row: Vec<String> = Vec::new();
    let mut warnings = Vec::new();
    let flush = |row: &mut Vec<String>, b: &mut TableBuilder, warnings: &mut Vec<String>| {
        if row.is_empty() {
            return;
        }
        if b.start_row() {
            for cell in row.drain(..) {
                b.push(CellSpec::text(cut(cell, warnings)));
            }
        }
        row.clear();
    };
    while i < lines.len() {
        let line = lines[i];
        if let Some(rest) = line.strip_prefix('\t') {
            // A line may hold several TAB-separated cells.
            for part in rest.split('\t') {
                row.push(strip_artefacts(part.trim()));
            }
            i += 1;
        } else if is_blank_line(line) {
            flush(&mut row, &mut b, &mut warnings);
            // The table goes on if the next non-blank line is a cell line.
            let mut j = i;
            while j < lines.len() && is_blank_line(lines[j]) {
                j += 1;
            }
            if j < lines.len() && lines[j].starts_with('\t') {
                i = j;
            } else {
                i = j;
                break;
            }
        } else if !row.is_empty() {
            // A label wrapped onto the next line continues the last cell.
            if let Some(last) = row.last_mut() {
                last.push('\n');
                last.push_str(&strip_artefacts(line.trim()));
            }
            i += 1;
        } else {
            break;
        }
    }
    flush(&mut row, &mut b, &mut warnings);
    let (table, w) = b.finish();
    doc.warnings.extend(warnings);
    doc.warnings.extend(w);
    if table.rows() > 0 {
        doc.blocks.push(Block::Table(table));
    }
    i
}

/// Empty or spaces only; a bare TAB line is a (merged) cell, not a blank.
fn is_blank_line(line: &str) -> bool {
    !line.contains('\t') && line.trim().is_empty()
}

fn is_pipe_row(line: &str) -> bool {
    let t = line.trim();
    t.starts_with('|') && t.len() > 1 && t[1..].contains('|')
}

fn is_separator_row(line: &str) -> bool {
    let t = line.trim();
    t.starts_with('|') && t.chars().all(|c| matches!(c, '|' | '-' | ':' | ' '))
}

/// Reads consecutive `| … |` lines as one table.
fn read_pipe_table(lines: &[&str], start: usize, doc: &mut Document) -> usize {
    let mut b = TableBuilder::new(false);
    let mut warnings = Vec::new();
    let mut i = start;
    while i < lines.len() && is_pipe_row(lines[i]) {
        let line = lines[i].trim();
        i += 1;
        if is_separator_row(line) {
            continue;
        }
        let inner = line.strip_prefix('|').unwrap_or(line);
        let inner = inner.strip_suffix('|').unwrap_or(inner);
        if !b.start_row() {
            continue;
        }
        for cell in inner.split('|') {
            let text = cell
                .trim()
                .replace("<br>", "\n")
                .replace("<br/>", "\n")
                .replace("<br />", "\n");
            b.push(CellSpec::text(cut(text, &mut warnings)));
        }
    }
    let (table, w) = b.finish();
    doc.warnings.extend(warnings);
    doc.warnings.extend(w);
    if table.rows() > 0 {
        doc.blocks.push(Block::Table(table));
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Block;

    #[test]
    fn line_limit_keeps_the_first_lines_with_a_warning() {
        let text = "一、总体情况\n".to_string() + &"a\n".repeat(MAX_TEXT_LINES + 10);
        let doc = read(&text);
        assert!(doc.blocks.len() <= MAX_TEXT_LINES);
        assert!(doc
            .warnings
            .iter()
            .any(|w| w.starts_with("text_line_limit")));
    }

    fn tables(doc: &Document) -> Vec<&crate::model::Table> {
        doc.blocks
            .iter()
            .filter_map(|b| match b {
                Block::Table(t) => Some(t),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn tab_cells_with_wrapped_labels() {
        let doc = read(
            "标题\n\n\t（三）不予\n公开\n\t1.属于国家秘密\n\t0\n\n\t\n\t2.其他\n\t1\n\n正文\n",
        );
        let t = tables(&doc);
        assert_eq!(t.len(), 1);
        assert_eq!(t[0].rows(), 2);
        assert_eq!(
            t[0].cell_at(0, 0).map(|c| c.1.text.as_str()),
            Some("（三）不予\n公开")
        );
        assert_eq!(t[0].cell_at(1, 0).map(|c| c.1.text.as_str()), Some(""));
        assert!(matches!(doc.blocks.last(), Some(Block::Paragraph(p)) if p == "正文"));
    }

    #[test]
    fn pipe_tables_skip_separators_and_keep_empty_cells() {
        let doc = read("| a | b |  |\n|---|---|---|\n| 1 | 2 |  |\n文字\n");
        let t = tables(&doc);
        assert_eq!((t[0].rows(), t[0].cols()), (2, 3));
        assert_eq!(t[0].cell_at(1, 2).map(|c| c.1.text.as_str()), Some(""));
    }

    #[test]
    fn page_markers_and_artefacts_are_dropped() {
        assert!(is_page_marker("— 5 —"));
        assert!(is_page_marker("- 4 -"));
        assert!(!is_page_marker("2020"));
        assert_eq!(strip_artefacts("[bookmark: _GoBack]四、结转"), "四、结转");
    }
}

//! Rows as the mapper sees them: label cells, value cells, and for each value the template
//! column its header names (when a header could be read).

use super::cell::{parse_cell, CellState};
use super::label::{normalize, similarity};
use crate::layout::regions::Part;
use crate::model::Table;

/// How a value's column was decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ColumnEvidence {
    /// The header names this column.
    Header,
    /// The header was partly readable and agrees with the template's column order.
    HeaderPartial,
    /// No usable header: the template's column order was assumed.
    Position,
}

/// Where a row came from: a table row with real cells, or a line of text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowSource {
    /// A grid whose merged cells were known (Word, HTML).
    Grid,
    /// A table without span information (text, Markdown).
    FlatTable,
    /// A loose line of text: label followed by numbers.
    Line,
}

#[derive(Debug, Clone)]
pub struct SourceRow {
    pub labels: Vec<String>,
    pub values: Vec<String>,
    /// Template column index of each value, when known.
    pub columns: Vec<Option<usize>>,
    pub evidence: ColumnEvidence,
    pub source: RowSource,
    /// Block index in the document.
    pub block: usize,
    /// True for header rows (no values; column words).
    pub header: bool,
}

/// How a table's value columns are named: `n` columns, a resolver from a stack of header texts
/// (top to bottom) to a column index, and the width of group headers that span several columns.
pub struct ColumnSpec {
    pub n: usize,
    pub resolve: fn(&[String]) -> Option<usize>,
    pub group_width: fn(&str) -> Option<usize>,
    /// True for any header word of this table (a leaf, a group, or a parent of groups).
    pub is_word: fn(&str) -> bool,
}

/// Splits a row's cells into labels and values: everything up to the last text cell is label.
fn split_cells(cells: &[String]) -> (Vec<String>, Vec<String>) {
    let last_text = cells
        .iter()
        .rposition(|c| parse_cell(c, true).state == CellState::Text);
    match last_text {
        Some(i) => (cells[..=i].to_vec(), cells[i + 1..].to_vec()),
        None => (Vec::new(), cells.to_vec()),
    }
}

/// Splits a line like `一、本年新收政府信息公开申请数量 3001 53 0 0 61 4 3119` into label
/// pieces and trailing values.
pub fn split_line(text: &str) -> (Vec<String>, Vec<String>) {
    let tokens: Vec<&str> = text.split_whitespace().collect();
    let mut k = tokens.len();
    while k > 0
        && matches!(
            parse_cell(tokens[k - 1], true).state,
            CellState::Number | CellState::Na
        )
    {
        k -= 1;
    }
    (
        tokens[..k].iter().map(|s| s.to_string()).collect(),
        tokens[k..].iter().map(|s| s.to_string()).collect(),
    )
}

/// A header reading: for each value slot (right-aligned), the template column.
#[derive(Debug, Clone)]
pub struct HeaderMap {
    pub slots: Vec<Option<usize>>,
}

impl HeaderMap {
    /// Column of each of `count` values aligned to the right of the header, with the evidence.
    pub fn assign(&self, count: usize, n: usize) -> (Vec<Option<usize>>, ColumnEvidence) {
        if count != n {
            return (vec![None; count], ColumnEvidence::Position);
        }
        let slots = &self.slots;
        if slots.len() < count {
            return positional(count);
        }
        let tail = &slots[slots.len() - count..];
        let resolved: Vec<usize> = tail.iter().flatten().copied().collect();
        let mut seen = vec![false; n];
        let distinct = resolved
            .iter()
            .all(|&c| c < n && !std::mem::replace(&mut seen[c], true));
        if resolved.len() == count && distinct {
            return (tail.to_vec(), ColumnEvidence::Header);
        }
        // Partly readable: accept only if every resolved slot sits where the template puts it.
        let in_order = tail
            .iter()
            .enumerate()
            .all(|(i, c)| c.is_none_or(|c| c == i));
        if !resolved.is_empty() && in_order {
            return (
                (0..count).map(Some).collect(),
                ColumnEvidence::HeaderPartial,
            );
        }
        positional(count)
    }
}

fn positional(count: usize) -> (Vec<Option<usize>>, ColumnEvidence) {
    ((0..count).map(Some).collect(), ColumnEvidence::Position)
}

/// True when a cell text names a template column or column group.
fn is_column_word(text: &str, spec: &ColumnSpec) -> bool {
    let t = text.trim();
    !t.is_empty() && ((spec.is_word)(t) || (spec.group_width)(t).is_some())
}

/// Reads a flat (span-less) header row into right-aligned slots, widening group headers.
fn flat_header_slots(rows: &[Vec<String>], spec: &ColumnSpec) -> HeaderMap {
    // Each header row becomes a list of slots (stack of texts), aligned at the right.
    let expanded: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            let mut slots = Vec::new();
            for c in r {
                let w = (spec.group_width)(c).unwrap_or(1);
                for _ in 0..w {
                    slots.push(c.clone());
                }
            }
            slots
        })
        .collect();
    let width = expanded.iter().map(Vec::len).max().unwrap_or(0);
    let mut slots = Vec::with_capacity(width);
    for i in 0..width {
        let mut stack: Vec<String> = Vec::new();
        for r in &expanded {
            let off = width - r.len();
            if i >= off {
                let t = &r[i - off];
                if !t.trim().is_empty() && stack.last() != Some(t) {
                    stack.push(t.clone());
                }
            }
        }
        slots.push((spec.resolve)(&stack));
    }
    HeaderMap { slots }
}

/// Rows of one part of a table region. `carry` holds the header of the previous part, so a
/// table split across pages keeps its columns.
pub fn part_rows(
    part: &Part<'_>,
    spec: Option<&ColumnSpec>,
    carry: &mut Option<HeaderMap>,
) -> Vec<SourceRow> {
    match part {
        Part::Line { block, text } => {
            let (labels, values) = split_line(text);
            // A line of numbers alone counts only when it is exactly one full row (table 四's
            // fifteen values under a header the text rendering scattered).
            let full_row = spec.is_some_and(|s| values.len() == s.n);
            if values.is_empty() || (labels.is_empty() && !full_row) {
                return Vec::new();
            }
            let n = values.len();
            let (columns, evidence) = match spec {
                Some(s) if n == s.n => positional(n),
                _ => (vec![None; n], ColumnEvidence::Position),
            };
            vec![SourceRow {
                labels,
                values,
                columns,
                evidence,
                source: RowSource::Line,
                block: *block,
                header: false,
            }]
        }
        Part::Grid { block, table } => match spec {
            Some(s) if table.spans_known => grid_rows(*block, table, s, carry)
                .unwrap_or_else(|| flat_rows(*block, table, Some(s), carry, RowSource::Grid)),
            _ => flat_rows(
                *block,
                table,
                spec,
                carry,
                if table.spans_known {
                    RowSource::Grid
                } else {
                    RowSource::FlatTable
                },
            ),
        },
    }
}

fn row_texts(table: &Table, r: usize) -> Vec<String> {
    table
        .row_cells(r)
        .iter()
        .filter(|c| !c.cell.padding)
        .map(|c| c.cell.text.clone())
        .collect()
}

/// Rows of a table read cell by cell (no reliable grid columns).
fn flat_rows(
    block: usize,
    table: &Table,
    spec: Option<&ColumnSpec>,
    carry: &mut Option<HeaderMap>,
    source: RowSource,
) -> Vec<SourceRow> {
    let mut out = Vec::new();
    let mut header_rows: Vec<Vec<String>> = Vec::new();
    let mut seen_data = false;
    for r in 0..table.rows() {
        let cells = row_texts(table, r);
        let (labels, values) = split_cells(&cells);
        let has_number = values
            .iter()
            .any(|v| parse_cell(v, true).state == CellState::Number);
        let is_header = !has_number
            && spec.is_some_and(|s| {
                cells.iter().filter(|c| is_column_word(c, s)).count() >= 2
                    || values.is_empty() && labels.iter().any(|c| is_column_word(c, s))
            });
        if is_header && !seen_data {
            header_rows.push(cells.clone());
            out.push(SourceRow {
                labels: cells,
                values: vec![],
                columns: vec![],
                evidence: ColumnEvidence::Position,
                source,
                block,
                header: true,
            });
            continue;
        }
        if !values.is_empty() {
            seen_data = true;
        }
        if let (Some(s), false) = (spec, header_rows.is_empty()) {
            *carry = Some(flat_header_slots(&header_rows, s));
            header_rows.clear();
        }
        let (columns, evidence) = match (spec, carry.as_ref()) {
            (Some(s), Some(h)) => {
                let vals = trim_values(&values, s.n);
                let (c, e) = h.assign(vals.len(), s.n);
                out.push(SourceRow {
                    labels,
                    values: vals,
                    columns: c,
                    evidence: e,
                    source,
                    block,
                    header: false,
                });
                continue;
            }
            (Some(s), None) => {
                let vals = trim_values(&values, s.n);
                let n = vals.len();
                let r = if n == s.n {
                    positional(n)
                } else {
                    (vec![None; n], ColumnEvidence::Position)
                };
                out.push(SourceRow {
                    labels,
                    values: vals,
                    columns: r.0,
                    evidence: r.1,
                    source,
                    block,
                    header: false,
                });
                continue;
            }
            _ => (vec![None; values.len()], ColumnEvidence::Position),
        };
        out.push(SourceRow {
            labels,
            values,
            columns,
            evidence,
            source,
            block,
            header: false,
        });
    }
    if let (Some(s), false) = (spec, header_rows.is_empty()) {
        *carry = Some(flat_header_slots(&header_rows, s));
    }
    out
}

/// Drops trailing empty cells beyond the expected count (converters add a stray empty cell).
/// Also drops empty label-area cells before the values (`| 一、… |  |  | 15 | …`).
fn trim_values(values: &[String], n: usize) -> Vec<String> {
    let mut v = values.to_vec();
    while v.len() > n && v.last().is_some_and(|c| c.trim().is_empty()) {
        v.pop();
    }
    let lead = v
        .iter()
        .take_while(|c| c.trim().is_empty())
        .count()
        .min(v.len().saturating_sub(n));
    v.drain(..lead);
    v
}

/// Rows of a table whose grid is known: header cells name grid columns; each data row's
/// values are read at those columns. None when no complete header is found.
fn grid_rows(
    block: usize,
    table: &Table,
    spec: &ColumnSpec,
    carry: &mut Option<HeaderMap>,
) -> Option<Vec<SourceRow>> {
    // Header rows: the leading rows without numbers that hold column words.
    let mut first_data = 0;
    for r in 0..table.rows() {
        let cells = table.row_cells(r);
        let has_number = cells
            .iter()
            .any(|c| parse_cell(&c.cell.text, true).state == CellState::Number);
        let words = cells
            .iter()
            .filter(|c| c.origin && is_column_word(&c.cell.text, spec))
            .count();
        if has_number || (words == 0 && r > 0) {
            break;
        }
        first_data = r + 1;
    }
    if first_data == 0 {
        return None;
    }
    // Column of each grid column.
    let mut col_of = vec![None; table.cols()];
    for (c, slot) in col_of.iter_mut().enumerate() {
        let mut stack: Vec<String> = Vec::new();
        let mut last_idx = None;
        for r in 0..first_data {
            if let Some((i, cell)) = table.cell_at(r, c) {
                if Some(i) != last_idx && !cell.text.trim().is_empty() {
                    stack.push(cell.text.clone());
                }
                last_idx = Some(i);
            }
        }
        *slot = (spec.resolve)(&stack);
    }
    // Each template column once, at its first grid column.
    let mut grid_col = vec![None; spec.n];
    for (c, k) in col_of.iter().enumerate() {
        if let Some(k) = *k {
            if grid_col[k].is_none() {
                grid_col[k] = Some(c);
            } else if table.cell_at(first_data.saturating_sub(1), c).map(|x| x.0)
                != table
                    .cell_at(first_data.saturating_sub(1), grid_col[k]?)
                    .map(|x| x.0)
            {
                return None; // two different columns claim the same name
            }
        }
    }
    if grid_col.iter().any(Option::is_none) {
        return None;
    }
    let min_value_col = grid_col.iter().flatten().copied().min().unwrap_or(0);
    *carry = Some(HeaderMap {
        slots: (0..spec.n).map(Some).collect(),
    });
    let mut out = Vec::new();
    for r in 0..first_data {
        out.push(SourceRow {
            labels: row_texts(table, r),
            values: vec![],
            columns: vec![],
            evidence: ColumnEvidence::Header,
            source: RowSource::Grid,
            block,
            header: true,
        });
    }
    for r in first_data..table.rows() {
        let cells = table.row_cells(r);
        let labels: Vec<String> = cells
            .iter()
            .filter(|c| c.col < min_value_col)
            .map(|c| c.cell.text.clone())
            .collect();
        let mut values = Vec::with_capacity(spec.n);
        let mut columns = Vec::with_capacity(spec.n);
        let mut spans_labels = false;
        for (k, gc) in grid_col.iter().enumerate() {
            let Some(gc) = *gc else { continue };
            if let Some((i, cell)) = table.cell_at(r, gc) {
                // A label cell reaching into the value area (a note spanning the row) is no value.
                if cells.iter().any(|c| c.index == i && c.col < min_value_col) {
                    spans_labels = true;
                    continue;
                }
                values.push(cell.text.clone());
                columns.push(Some(k));
            }
        }
        if spans_labels {
            out.push(SourceRow {
                labels: row_texts(table, r),
                values: vec![],
                columns: vec![],
                evidence: ColumnEvidence::Header,
                source: RowSource::Grid,
                block,
                header: false,
            });
            continue;
        }
        out.push(SourceRow {
            labels,
            values,
            columns,
            evidence: ColumnEvidence::Header,
            source: RowSource::Grid,
            block,
            header: false,
        });
    }
    Some(out)
}

/// Best alias match of a header text among columns, above `min` similarity.
pub fn resolve_among(text: &str, columns: &[(&[&str], usize)], min: f64) -> Option<(usize, f64)> {
    let core = normalize(text);
    let mut best: Option<(usize, f64)> = None;
    for (aliases, idx) in columns {
        for a in aliases.iter() {
            let s = similarity(&core, a);
            if s >= min && best.is_none_or(|(_, b)| s > b) {
                best = Some((*idx, s));
            }
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_split() {
        let (l, v) = split_line("一、本年新收政府信息公开申请数量 3001 53 0 0 61 4 3119");
        assert_eq!(l, vec!["一、本年新收政府信息公开申请数量"]);
        assert_eq!(v.len(), 7);
        let (l, v) = split_line("全年收到政府信息公开申请 34 件，上年结转");
        assert_eq!(l.len(), 3);
        assert!(v.is_empty());
    }

    #[test]
    fn header_map_assigns_or_falls_back() {
        let h = HeaderMap {
            slots: vec![None, Some(0), Some(1), Some(2)],
        };
        assert_eq!(h.assign(3, 3).1, ColumnEvidence::Header);
        let h = HeaderMap {
            slots: vec![None, None, Some(2)],
        };
        assert_eq!(h.assign(3, 3).1, ColumnEvidence::HeaderPartial);
        let h = HeaderMap {
            slots: vec![Some(2), Some(1), Some(0)],
        };
        let (c, e) = h.assign(3, 3);
        assert_eq!(
            (c, e),
            (vec![Some(2), Some(1), Some(0)], ColumnEvidence::Header)
        );
        let h = HeaderMap {
            slots: vec![Some(1), Some(1), None],
        };
        assert_eq!(h.assign(3, 3).1, ColumnEvidence::Position);
    }
}

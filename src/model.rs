//! The document model every reader produces: ordered blocks of paragraphs and tables.
//!
//! A table is a grid in which every slot is exactly once either the origin of a cell or covered
//! by one; a merged cell's text is stored once, at its origin.

/// A whole report as read from one file.
#[derive(Debug, Default, Clone)]
pub struct Document {
    pub blocks: Vec<Block>,
    /// Reader-level anomalies (truncation, grid mismatches, lying charsets): confidence inputs.
    pub warnings: Vec<String>,
    /// A title the container itself declares (HTML `<title>`, docx core title), if any.
    pub declared_title: Option<String>,
}

#[derive(Debug, Clone)]
pub enum Block {
    Paragraph(String),
    Table(Table),
}

/// One cell as printed: text with line breaks kept, its spans and whether it is set vertically.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Cell {
    pub text: String,
    pub row_span: usize,
    pub col_span: usize,
    pub vertical: bool,
    /// An empty cell the builder added to fill a ragged row; not in the source.
    pub padding: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Slot {
    /// The top-left slot of cell `cells[i]`.
    Origin(usize),
    /// A slot covered by the merged cell `cells[i]`.
    Covered(usize),
}

/// A rectangular grid of slots; `cells` holds each cell once.
#[derive(Debug, Clone, Default)]
pub struct Table {
    rows: usize,
    cols: usize,
    slots: Vec<Slot>,
    cells: Vec<Cell>,
    /// False when the source carried no span information (plain text, Markdown), so column
    /// positions are only as good as the row's cell order.
    pub spans_known: bool,
}

/// A cell as the table builder receives it, in row order.
#[derive(Debug, Clone, Default)]
pub struct CellSpec {
    pub text: String,
    pub col_span: usize,
    /// Rows this cell spans downward (HTML rowspan). Word's vMerge is given through
    /// [`TableBuilder::continue_above`] instead.
    pub row_span: usize,
    pub vertical: bool,
}

impl CellSpec {
    pub fn text(text: impl Into<String>) -> Self {
        CellSpec {
            text: text.into(),
            col_span: 1,
            row_span: 1,
            vertical: false,
        }
    }
}

impl Table {
    pub fn rows(&self) -> usize {
        self.rows
    }
    pub fn cols(&self) -> usize {
        self.cols
    }
    pub fn cells(&self) -> &[Cell] {
        &self.cells
    }
    pub fn slot(&self, row: usize, col: usize) -> Option<Slot> {
        if row < self.rows && col < self.cols {
            self.slots.get(row * self.cols + col).copied()
        } else {
            None
        }
    }
    /// The cell covering (row, col), origin or not.
    pub fn cell_at(&self, row: usize, col: usize) -> Option<(usize, &Cell)> {
        match self.slot(row, col)? {
            Slot::Origin(i) | Slot::Covered(i) => Some((i, &self.cells[i])),
        }
    }
    /// The distinct cells a row passes through, left to right, with the first grid column each
    /// occupies in this row and whether the row holds the cell's origin.
    pub fn row_cells(&self, row: usize) -> Vec<RowCell<'_>> {
        let mut out: Vec<RowCell<'_>> = Vec::new();
        for col in 0..self.cols {
            if let Some(slot) = self.slot(row, col) {
                let (i, origin) = match slot {
                    Slot::Origin(i) => (i, true),
                    Slot::Covered(i) => (i, false),
                };
                if out.last().map(|c| c.index) == Some(i) {
                    continue;
                }
                // A covered slot whose origin is in this row but further left (colspan) was
                // already emitted; a covered slot from a row above is emitted as not-origin.
                let origin_here = origin || out.iter().any(|c| c.index == i);
                if out.iter().any(|c| c.index == i) {
                    continue;
                }
                out.push(RowCell {
                    index: i,
                    col,
                    cell: &self.cells[i],
                    origin: origin_here,
                });
            }
        }
        out
    }
}

#[derive(Debug, Clone, Copy)]
pub struct RowCell<'a> {
    pub index: usize,
    pub col: usize,
    pub cell: &'a Cell,
    /// True when this row holds the cell's top-left slot; false when the cell is merged down
    /// from a row above.
    pub origin: bool,
}

/// Builds a [`Table`] row by row, placing cells on a grid the way Word and HTML do.
///
/// Spans are clamped to the table limits; anomalies become warnings, never panics.
#[derive(Debug)]
pub struct TableBuilder {
    rows: Vec<Vec<Option<Slot>>>,
    cells: Vec<Cell>,
    /// Row spans (HTML rowspan) still reaching into rows not yet started.
    pending: Vec<PendingSpan>,
    pub warnings: Vec<String>,
    spans_known: bool,
    /// Width the source declares (Word's tblGrid), used to pad and to check rows.
    declared_cols: Option<usize>,
    /// Length of the longest row so far.
    widest: usize,
}

#[derive(Debug, Clone, Copy)]
struct PendingSpan {
    cell: usize,
    col: usize,
    width: usize,
    /// First row index no longer covered.
    until_row: usize,
}

const MAX_COLS: usize = crate::limits::MAX_TABLE_COLS;
const MAX_ROWS: usize = crate::limits::MAX_TABLE_ROWS;
const MAX_CELLS: usize = crate::limits::MAX_TABLE_CELLS;

impl TableBuilder {
    pub fn new(spans_known: bool) -> Self {
        TableBuilder {
            rows: Vec::new(),
            cells: Vec::new(),
            pending: Vec::new(),
            warnings: Vec::new(),
            spans_known,
            declared_cols: None,
            widest: 0,
        }
    }

    pub fn declare_cols(&mut self, cols: usize) {
        if cols > 0 {
            let cols = cols.min(self.col_limit());
            self.declared_cols = Some(cols);
        }
    }

    pub fn row_count(&self) -> usize {
        self.rows.len()
    }

    fn warn_once(&mut self, prefix: &str, msg: String) {
        if !self.warnings.iter().any(|w| w.starts_with(prefix)) {
            self.warnings.push(msg);
        }
    }

    /// Starts a new row, covering the slots that row spans from above reach into.
    /// Returns false (the row is ignored) past the row limit.
    pub fn start_row(&mut self) -> bool {
        if self.rows.len() >= MAX_ROWS {
            self.warn_once(
                "table row limit",
                format!("table row limit ({MAX_ROWS}) reached; rows dropped"),
            );
            return false;
        }
        if (self.rows.len() + 1).saturating_mul(self.width().max(1)) > MAX_CELLS {
            self.warn_once(
                "table cell limit",
                format!("table cell limit ({MAX_CELLS} rows × columns) reached; rows dropped"),
            );
            return false;
        }
        self.rows.push(Vec::new());
        let row = self.rows.len() - 1;
        let pending = std::mem::take(&mut self.pending);
        for p in &pending {
            if row < p.until_row {
                for c in p.col..p.col + p.width {
                    self.set(row, c, Slot::Covered(p.cell));
                }
                self.cells[p.cell].row_span += 1;
            }
        }
        self.pending = pending
            .into_iter()
            .filter(|p| row + 1 < p.until_row)
            .collect();
        true
    }

    /// The grid width so far: the widest row, or the declared width if wider.
    fn width(&self) -> usize {
        self.widest.max(self.declared_cols.unwrap_or(0))
    }

    /// Columns a row may use now: the column limit, and the cell limit over the rows so far.
    fn col_limit(&self) -> usize {
        MAX_COLS.min(MAX_CELLS / self.rows.len().max(1))
    }

    fn current_row(&self) -> Option<usize> {
        self.rows.len().checked_sub(1)
    }

    /// The first free grid column at or after `from` in the current row.
    pub fn next_free_col(&self, from: usize) -> usize {
        let Some(row) = self.rows.last() else {
            return from;
        };
        let mut c = from;
        while c < row.len() && row[c].is_some() {
            c += 1;
        }
        c
    }

    fn set(&mut self, row: usize, col: usize, slot: Slot) -> bool {
        if col >= self.col_limit() {
            return false;
        }
        let r = &mut self.rows[row];
        if r.len() <= col {
            r.resize(col + 1, None);
            self.widest = self.widest.max(col + 1);
        }
        if r[col].is_some() {
            return false;
        }
        r[col] = Some(slot);
        true
    }

    /// Places a cell at the first free column at or after `col` in the current row.
    /// `row_span` > 1 covers the same columns in the rows started after this one.
    /// Returns the column used, or None past the column limit.
    pub fn push_at(&mut self, col: usize, spec: CellSpec) -> Option<usize> {
        if self.rows.is_empty() && !self.start_row() {
            return None;
        }
        let row = self.current_row()?;
        let col = self.next_free_col(col);
        let limit = self.col_limit();
        if col >= limit {
            if limit < MAX_COLS {
                self.warn_once(
                    "table cell limit",
                    format!("table cell limit ({MAX_CELLS} rows × columns) reached; cells dropped"),
                );
            } else {
                self.warn_once(
                    "table column limit",
                    format!("table column limit ({MAX_COLS}) reached; cells dropped"),
                );
            }
            return None;
        }
        let col_span = spec.col_span.clamp(1, limit - col);
        let row_span = spec.row_span.clamp(1, MAX_ROWS - row);
        let idx = self.cells.len();
        self.cells.push(Cell {
            text: spec.text,
            row_span: 1,
            col_span: 1,
            vertical: spec.vertical,
            padding: false,
        });
        self.set(row, col, Slot::Origin(idx));
        let mut width = 1;
        for c in col + 1..col + col_span {
            if !self.set(row, c, Slot::Covered(idx)) {
                self.warnings.push(format!(
                    "row {} column {}: merged cells overlap",
                    row + 1,
                    c + 1
                ));
                break;
            }
            width += 1;
        }
        self.cells[idx].col_span = width;
        if row_span > 1 {
            self.pending.push(PendingSpan {
                cell: idx,
                col,
                width,
                until_row: row + row_span,
            });
        }
        Some(col)
    }

    /// Places a cell at the first free column of the current row.
    pub fn push(&mut self, spec: CellSpec) -> Option<usize> {
        self.push_at(0, spec)
    }

    /// Word's `vMerge` continuation at grid column `col`, `width` columns wide: the slots join
    /// the cell above when that cell starts at the same column; otherwise an empty cell is
    /// placed and a warning recorded. Returns the column used.
    pub fn continue_above(&mut self, col: usize, width: usize) -> Option<usize> {
        let row = self.current_row()?;
        let col = self.next_free_col(col);
        let above = if row == 0 {
            None
        } else {
            self.rows[row - 1].get(col).copied().flatten()
        };
        let origin = above.map(|s| match s {
            Slot::Origin(i) | Slot::Covered(i) => i,
        });
        let starts_here = origin.is_some_and(|i| {
            // The cell above must begin at this column, not merely pass over it.
            col == 0
                || self.rows[row - 1]
                    .get(col - 1)
                    .copied()
                    .flatten()
                    .map(|s| match s {
                        Slot::Origin(j) | Slot::Covered(j) => j,
                    })
                    != Some(i)
        });
        match origin {
            Some(i) if starts_here => {
                let span = width.clamp(1, self.col_limit().saturating_sub(col).max(1));
                for c in col..col + span {
                    self.set(row, c, Slot::Covered(i));
                }
                self.cells[i].row_span += 1;
                Some(col)
            }
            _ => {
                self.warnings.push(format!(
                    "row {} column {}: vertical merge continues nothing above; kept as an empty cell",
                    row + 1,
                    col + 1
                ));
                self.push_at(
                    col,
                    CellSpec {
                        text: String::new(),
                        col_span: width,
                        row_span: 1,
                        vertical: false,
                    },
                )
            }
        }
    }

    /// WPS's `hMerge` continuation: widen the cell that ends just left of the next free column.
    pub fn widen_left(&mut self, width: usize) -> Option<usize> {
        let row = self.current_row()?;
        let col = self.next_free_col(0);
        let left = if col == 0 {
            None
        } else {
            self.rows[row].get(col - 1).copied().flatten()
        };
        match left {
            Some(Slot::Origin(i)) | Some(Slot::Covered(i)) => {
                let mut placed = 0;
                for c in col..col.saturating_add(width.clamp(1, MAX_COLS)) {
                    if self.set(row, c, Slot::Covered(i)) {
                        placed += 1;
                    }
                }
                self.cells[i].col_span += placed;
                Some(col)
            }
            None => self.push_at(
                col,
                CellSpec {
                    text: String::new(),
                    col_span: width,
                    row_span: 1,
                    vertical: false,
                },
            ),
        }
    }

    /// Finishes the grid: ragged rows are padded with empty cells so every slot is covered once.
    pub fn finish(mut self) -> (Table, Vec<String>) {
        let widest = self.rows.iter().map(|r| r.len()).max().unwrap_or(0);
        let cols = match self.declared_cols {
            Some(d) => {
                if widest > d {
                    self.warnings.push(format!(
                        "rows are wider ({widest}) than the declared grid ({d})"
                    ));
                }
                d.max(widest)
            }
            None => widest,
        };
        let rows = self.rows.len();
        let mut slots = Vec::with_capacity(rows * cols);
        let mut short_rows = 0;
        for r in 0..rows {
            let mut row_short = false;
            for c in 0..cols {
                match self.rows[r].get(c).copied().flatten() {
                    Some(s) => slots.push(s),
                    None => {
                        row_short = true;
                        let idx = self.cells.len();
                        self.cells.push(Cell {
                            text: String::new(),
                            row_span: 1,
                            col_span: 1,
                            vertical: false,
                            padding: true,
                        });
                        slots.push(Slot::Origin(idx));
                    }
                }
            }
            if row_short {
                short_rows += 1;
            }
        }
        if short_rows > 0 && self.spans_known {
            self.warnings.push(format!(
                "{short_rows} row(s) do not fill the table grid; padded with empty cells"
            ));
        }
        let table = Table {
            rows,
            cols,
            slots,
            cells: self.cells,
            spans_known: self.spans_known,
        };
        (table, self.warnings)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(t: &str) -> CellSpec {
        CellSpec::text(t)
    }

    #[test]
    fn html_rowspan_and_colspan_cover_each_slot_once() {
        let mut b = TableBuilder::new(true);
        b.start_row();
        b.push(CellSpec {
            text: "corner".into(),
            col_span: 2,
            row_span: 2,
            vertical: false,
        });
        b.push(text("x"));
        b.start_row();
        b.push(text("y"));
        let (t, w) = b.finish();
        assert!(w.is_empty(), "{w:?}");
        assert_eq!((t.rows(), t.cols()), (2, 3));
        assert_eq!(t.cells()[0].row_span, 2);
        assert_eq!(t.cells()[0].col_span, 2);
        assert_eq!(t.slot(1, 1), Some(Slot::Covered(0)));
        assert_eq!(t.cell_at(1, 2).map(|c| c.1.text.as_str()), Some("y"));
        let row1 = t.row_cells(1);
        assert_eq!(row1.len(), 2);
        assert!(!row1[0].origin);
    }

    #[test]
    fn word_vmerge_extends_the_cell_above_at_the_same_column() {
        let mut b = TableBuilder::new(true);
        b.start_row();
        b.push(text("三、本年度办理结果"));
        b.push(text("a"));
        b.start_row();
        b.continue_above(0, 1);
        b.push(text("b"));
        let (t, _) = b.finish();
        assert_eq!(t.cells()[0].row_span, 2);
        assert_eq!(
            t.cells()
                .iter()
                .filter(|c| c.text == "三、本年度办理结果")
                .count(),
            1
        );
    }

    #[test]
    fn orphan_vmerge_becomes_an_empty_cell_with_a_warning() {
        let mut b = TableBuilder::new(true);
        b.start_row();
        b.continue_above(0, 1);
        let (t, w) = b.finish();
        assert_eq!(t.cols(), 1);
        assert_eq!(w.len(), 1);
    }

    #[test]
    fn ragged_rows_are_padded() {
        let mut b = TableBuilder::new(false);
        b.start_row();
        b.push(text("a"));
        b.push(text("b"));
        b.start_row();
        b.push(text("c"));
        let (t, _) = b.finish();
        assert_eq!(t.cols(), 2);
        assert_eq!(t.cell_at(1, 1).map(|c| c.1.text.as_str()), Some(""));
    }

    #[test]
    fn cell_limit_caps_rows_times_columns() {
        // A hostile 5000 × 256 grid: rows stop once rows × columns would pass the cell limit.
        let mut b = TableBuilder::new(true);
        b.declare_cols(MAX_COLS);
        for _ in 0..MAX_ROWS {
            if b.start_row() {
                b.push(text("x"));
            }
        }
        let (t, w) = b.finish();
        assert!(
            t.rows() * t.cols() <= MAX_CELLS,
            "{} × {}",
            t.rows(),
            t.cols()
        );
        assert_eq!(t.rows(), MAX_CELLS / MAX_COLS);
        assert!(w.iter().any(|w| w.contains("table cell limit")), "{w:?}");
        // Many rows first, then a wide row: the columns are cut instead.
        let mut b = TableBuilder::new(true);
        for _ in 0..MAX_ROWS {
            b.start_row();
            b.push(text("x"));
        }
        b.push(CellSpec {
            text: "wide".into(),
            col_span: MAX_COLS,
            row_span: 1,
            vertical: false,
        });
        for _ in 0..MAX_COLS {
            b.push(text("y"));
        }
        let (t, w) = b.finish();
        assert!(t.rows() * t.cols() <= MAX_CELLS);
        assert!(w.iter().any(|w| w.contains("table cell limit")), "{w:?}");
    }

    #[test]
    fn huge_spans_are_clamped() {
        let mut b = TableBuilder::new(true);
        b.start_row();
        b.push(CellSpec {
            text: "x".into(),
            col_span: 1_000_000,
            row_span: 1_000_000,
            vertical: false,
        });
        let (t, _) = b.finish();
        assert!(t.cols() <= MAX_COLS);
        assert_eq!(t.rows(), 1);
    }
}

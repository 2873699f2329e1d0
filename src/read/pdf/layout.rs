//! From positioned glyphs and rulings to blocks: tables where rulings enclose cells, lines and
//! paragraphs elsewhere, in reading order; tables continued on the next page are joined.

use super::content::{Glyph, Page, Seg};
use crate::limits::MAX_CELL_CHARS;
use crate::model::{Block, CellSpec, TableBuilder};
use crate::read::text::is_page_marker;

/// Position tolerance for rulings, in points.
const TOL: f32 = 2.0;
/// Most rulings on a page considered for table detection (the grouping is quadratic).
const MAX_RULINGS: usize = 4_000;
/// Most ruled grids on one page.
const MAX_TABLES_PER_PAGE: usize = 64;
/// Most text lines on one page for the unruled-table rebuild (a report page has under 60).
const MAX_LINES_REBUILT: usize = 2_000;
/// Most slots in one ruled grid (report tables have a few hundred).
const MAX_SLOTS: usize = 20_000;

/// A cell as a rectangle on one page, with its text.
#[derive(Debug, Clone)]
struct CellRect {
    x0: f32,
    y0: f32,
    x1: f32,
    y1: f32,
    text: String,
    vertical: bool,
}

/// A ruled table found on a page.
#[derive(Debug, Clone)]
struct PageTable {
    x0: f32,
    y0: f32,
    x1: f32,
    y1: f32,
    cells: Vec<CellRect>,
    /// The slot grid the cells were cut from (on the page they were found on).
    grid: Option<Grid>,
}

/// Column and row edges and, per slot, the index of the cell covering it.
#[derive(Debug, Clone)]
struct Grid {
    xs: Vec<f32>,
    ys: Vec<f32>,
    owner: Vec<usize>,
}

impl Grid {
    /// The cell at a point, by binary search on the edges.
    fn cell_at(&self, x: f32, y: f32) -> Option<usize> {
        let slot = |e: &[f32], v: f32| -> Option<usize> {
            let n = e.len().checked_sub(1)?;
            if v < e[0] - TOL || v > e[n] + TOL {
                return None;
            }
            Some(e.partition_point(|&b| b <= v).saturating_sub(1).min(n - 1))
        };
        let (c, r) = (slot(&self.xs, x)?, slot(&self.ys, y)?);
        self.owner.get(r * (self.xs.len() - 1) + c).copied()
    }
}

/// A line of text outside tables.
#[derive(Debug, Clone)]
struct Line {
    text: String,
    x0: f32,
    x1: f32,
    y: f32,
    size: f32,
    /// Has a gap wider than two characters: columns of an unruled table, not prose.
    gappy: bool,
    /// The line cut at gaps wider than 1.5 characters: (left, right, text).
    pieces: Vec<(f32, f32, String)>,
    /// The line cut at every space: (left, right, text).
    words: Vec<(f32, f32, String)>,
}

enum Item {
    Line(Line),
    Table(PageTable),
    /// A row of an unruled table with no label: its cells, at this height.
    Flat(f32, Vec<String>),
    /// Rows of an unruled table placed on columns found by alignment: label, then cells.
    Rows(f32, Vec<Vec<String>>),
}

impl Item {
    fn top(&self) -> f32 {
        match self {
            Item::Line(l) => l.y - l.size,
            Item::Table(t) => t.y0,
            Item::Flat(y, _) | Item::Rows(y, _) => *y,
        }
    }
}

/// Builds the blocks of the whole document.
pub fn blocks(pages: &[Page], warnings: &mut Vec<String>) -> Vec<Block> {
    let mut per_page: Vec<Vec<Item>> = Vec::with_capacity(pages.len());
    for (i, page) in pages.iter().enumerate() {
        let mut items = page_items(page, warnings);
        if i == 0 {
            join_title(&mut items, page.width);
        }
        per_page.push(items);
    }
    for p in 0..per_page.len().saturating_sub(1) {
        let (a, b) = per_page.split_at_mut(p + 1);
        absorb_overflow(&mut a[p], &b[0]);
    }
    // Join tables continued across a page break, and paragraphs too.
    let mut out = Vec::new();
    let mut pending_table: Option<PageTable> = None;
    // The paragraph so far, with the text margins (left, right) of the page it ends on.
    let mut para: Option<(Line, (f32, f32))> = None;
    for (p, items) in per_page.into_iter().enumerate() {
        let margins = margins(&items);
        let n = items.len();
        for (i, item) in items.into_iter().enumerate() {
            match item {
                Item::Table(t) => {
                    flush_para(&mut para, &mut out);
                    if let Some(prev) = pending_table.take() {
                        if i == 0 && continues(&prev, &t) {
                            pending_table = Some(join(prev, t));
                            continue;
                        }
                        emit_table(prev, &mut out, warnings);
                    }
                    if i + 1 == n && p + 1 < pages.len() {
                        pending_table = Some(t);
                    } else {
                        emit_table(t, &mut out, warnings);
                    }
                }
                Item::Flat(_, cells) => {
                    flush_para(&mut para, &mut out);
                    if let Some(prev) = pending_table.take() {
                        emit_table(prev, &mut out, warnings);
                    }
                    let mut b = TableBuilder::new(false);
                    if b.start_row() {
                        for c in cells {
                            b.push(CellSpec::text(c));
                        }
                    }
                    let (table, w) = b.finish();
                    warnings.extend(w);
                    out.push(Block::Table(table));
                }
                Item::Rows(_, rows) => {
                    flush_para(&mut para, &mut out);
                    if let Some(prev) = pending_table.take() {
                        emit_table(prev, &mut out, warnings);
                    }
                    warnings.push(
                        "PDF table without rulings: grid columns placed by text alignment".into(),
                    );
                    let mut b = TableBuilder::new(false);
                    for row in rows {
                        if b.start_row() {
                            for c in row {
                                b.push(CellSpec::text(c));
                            }
                        }
                    }
                    let (table, w) = b.finish();
                    warnings.extend(w);
                    out.push(Block::Table(table));
                }
                Item::Line(l) => {
                    if let Some(prev) = pending_table.take() {
                        emit_table(prev, &mut out, warnings);
                    }
                    match para.take() {
                        Some((mut cur, m)) if continues_para(&cur, m, &l) => {
                            cur.text.push_str(&l.text);
                            cur.x1 = l.x1;
                            cur.y = l.y;
                            para = Some((cur, margins));
                        }
                        prev => {
                            if let Some((cur, _)) = prev {
                                out.push(Block::Paragraph(cur.text));
                            }
                            para = Some((l, margins));
                        }
                    }
                }
            }
        }
    }
    flush_para(&mut para, &mut out);
    if let Some(prev) = pending_table.take() {
        emit_table(prev, &mut out, warnings);
    }
    out
}

/// A label cut by a page break can spill its text below the table's last ruling (LibreOffice
/// prints a vertical label that no longer fits that way). When the table goes on at the top of
/// the next page, lines after it that sit inside one of its bottom label cells are that cell's.
fn absorb_overflow(items: &mut Vec<Item>, next: &[Item]) {
    let Some(ti) = items.iter().rposition(|i| matches!(i, Item::Table(_))) else {
        return;
    };
    if ti + 1 == items.len() {
        return;
    }
    let Some(Item::Table(nt)) = next.first() else {
        return;
    };
    let (head, tail) = items.split_at_mut(ti + 1);
    let Item::Table(t) = &mut head[ti] else {
        return;
    };
    if !continues(t, nt) {
        return;
    }
    let bottom = t.y1;
    let mut target = Vec::new();
    for item in tail.iter() {
        let Item::Line(l) = item else { return };
        let cell = t.cells.iter().position(|c| {
            (c.y1 - bottom).abs() <= TOL
                && l.x0 >= c.x0 - TOL
                && l.x1 <= c.x1 + TOL
                && !is_numeric(&c.text)
                && !is_numeric(&l.text)
        });
        match cell {
            Some(k) if l.y - l.size < bottom + 8.0 * l.size => target.push(k),
            _ => return,
        }
    }
    for (item, k) in tail.iter().zip(target) {
        if let Item::Line(l) = item {
            let c = &mut t.cells[k];
            c.text.push_str(&l.text);
        }
    }
    items.truncate(ti + 1);
}

/// The title printed in centred lines at the top of the first page (`洪泽区人民政府` /
/// `2023年政府信息公开工作年度报告`) becomes one paragraph.
fn join_title(items: &mut Vec<Item>, width: f32) {
    let centred = |l: &Line| {
        ((l.x0 + l.x1) / 2.0 - width / 2.0).abs() <= 1.5 * l.size && l.x1 - l.x0 < 0.8 * width
    };
    while items.len() >= 2 {
        let (Item::Line(a), Item::Line(b)) = (&items[0], &items[1]) else {
            return;
        };
        let joins = centred(a)
            && centred(b)
            && (a.size - b.size).abs() <= 0.6
            && b.y > a.y
            && b.y - a.y <= 2.5 * a.size
            && a.text.chars().count() + b.text.chars().count() <= 60;
        if !joins {
            return;
        }
        let Item::Line(b) = items.remove(1) else {
            return;
        };
        if let Item::Line(a) = &mut items[0] {
            a.text.push_str(&b.text);
            a.x0 = a.x0.min(b.x0);
            a.x1 = a.x1.max(b.x1);
            a.y = b.y;
        }
    }
}

fn flush_para(para: &mut Option<(Line, (f32, f32))>, out: &mut Vec<Block>) {
    if let Some((l, _)) = para.take() {
        out.push(Block::Paragraph(l.text));
    }
}

/// The left and right edges of the page's body text (its lines of 12 characters or more).
fn margins(items: &[Item]) -> (f32, f32) {
    let body = items.iter().filter_map(|i| match i {
        Item::Line(l) if l.text.chars().count() >= 12 => Some(l),
        _ => None,
    });
    body.fold((f32::MAX, 0.0), |(a, b), l| (a.min(l.x0), b.max(l.x1)))
}

/// A body line that filled its width continues into the next line when that one starts at
/// the left margin (a new paragraph is indented) and has the same size.
fn continues_para(cur: &Line, (left, right): (f32, f32), next: &Line) -> bool {
    let full = right > 0.0 && cur.x1 >= right - 1.5 * cur.size;
    let same_size = (cur.size - next.size).abs() <= 0.6;
    let not_indented = next.x0 <= left.min(cur.x0) + 0.6 * next.size;
    let below = next.y > cur.y || next.y < cur.y - 200.0; // next line, or top of next page
    full && same_size
        && not_indented
        && below
        && !cur.gappy
        && !next.gappy
        && !starts_heading(&next.text)
}

/// `一、`, `（二）`, `1.`: a line that starts a new item.
fn starts_heading(t: &str) -> bool {
    let t = t.trim_start();
    let mut cs = t.chars();
    let Some(first) = cs.next() else { return false };
    if first == '（' || first == '(' {
        return true;
    }
    let rest: String = cs.take(3).collect();
    if "一二三四五六七八九十".contains(first) {
        return rest.starts_with('、') || rest.chars().nth(1) == Some('、');
    }
    false
}

/// Same table continued: it starts the page, and its outer columns line up with the
/// previous part's.
fn continues(prev: &PageTable, next: &PageTable) -> bool {
    (prev.x0 - next.x0).abs() <= 3.0 * TOL && (prev.x1 - next.x1).abs() <= 3.0 * TOL
}

/// Stacks `next` under `prev`, merging a cell cut by the page break (a group label
/// `（四）无` / `法提供`, a vertical label) when both halves have the same columns and the
/// lower half does not start a new label.
fn join(mut prev: PageTable, mut next: PageTable) -> PageTable {
    // Header rows repeated at the top of the continuation (Word's "repeat as header row"):
    // rows whose every cell has a twin at the same place in the first part.
    let twin = |c: &CellRect| {
        prev.cells.iter().any(|t| {
            t.text == c.text
                && (t.x0 - c.x0).abs() <= TOL
                && (t.x1 - c.x1).abs() <= TOL
                && ((t.y0 - prev.y0) - (c.y0 - next.y0)).abs() <= TOL
                && ((t.y1 - prev.y0) - (c.y1 - next.y0)).abs() <= TOL
        })
    };
    let mut band = next.y0;
    let mut starts: Vec<f32> = next.cells.iter().map(|c| c.y0).collect();
    starts.sort_by(f32::total_cmp);
    starts.dedup_by(|a, b| (*a - *b).abs() <= TOL);
    for y in starts {
        let row: Vec<&CellRect> = next
            .cells
            .iter()
            .filter(|c| (c.y0 - y).abs() <= TOL)
            .collect();
        let repeated = row
            .iter()
            .any(|c| !c.text.is_empty() && !is_numeric(&c.text))
            && row.iter().all(|c| twin(c));
        let spans_below = next
            .cells
            .iter()
            .any(|c| c.y0 < y - TOL && c.y1 > y + TOL && !twin(c));
        if !repeated || spans_below {
            break;
        }
        band = band.max(row.iter().map(|c| c.y1).fold(f32::MIN, f32::max));
    }
    if band > next.y0 + TOL {
        next.cells.retain(|c| c.y0 >= band - TOL);
        next.y0 = band;
    }
    let dy = prev.y1 - next.y0;
    let bottom = prev.y1;
    let mut cells: Vec<CellRect> = next
        .cells
        .into_iter()
        .map(|mut c| {
            c.y0 += dy;
            c.y1 += dy;
            c
        })
        .collect();
    let top = bottom;
    // Label columns: left of every numeric cell.
    let numeric_x0 = prev
        .cells
        .iter()
        .chain(cells.iter())
        .filter(|c| is_numeric(&c.text))
        .map(|c| c.x0)
        .fold(f32::MAX, f32::min);
    let label_col = |c: &CellRect| c.x1 <= numeric_x0 + TOL;
    let mut merged = vec![false; cells.len()];
    let top_row: Vec<usize> = (0..cells.len())
        .filter(|&i| (cells[i].y0 - top).abs() <= TOL)
        .collect();
    for &k in &top_row {
        let c = &cells[k];
        if (c.y0 - top).abs() > TOL || !label_col(c) || starts_new_label(&c.text) {
            continue;
        }
        // A group label has the row's own label to its right; a row's only label cell is
        // that row's, never a continuation.
        let has_sub_label = top_row.iter().map(|&i| &cells[i]).any(|o| {
            (o.y0 - top).abs() <= TOL && o.x0 >= c.x1 - TOL && label_col(o) && !o.text.is_empty()
        });
        if !has_sub_label {
            continue;
        }
        if let Some(up) = prev.cells.iter_mut().find(|u| {
            (u.y1 - bottom).abs() <= TOL && (u.x0 - c.x0).abs() <= TOL && (u.x1 - c.x1).abs() <= TOL
        }) {
            if !c.text.is_empty() {
                if !up.text.is_empty() && !up.vertical {
                    up.text.push('\n');
                }
                up.text.push_str(&c.text);
            }
            up.y1 = c.y1;
            merged[k] = true;
        }
    }
    let mut k = 0;
    cells.retain(|_| {
        let keep = !merged[k];
        k += 1;
        keep
    });
    prev.cells.extend(cells);
    prev.y1 = next.y1 + dy;
    prev.x0 = prev.x0.min(next.x0);
    prev.x1 = prev.x1.max(next.x1);
    prev.grid = None;
    prev
}

/// A value cell: digits, with signs, separators and decimal points.
fn is_numeric(t: &str) -> bool {
    let t = t.trim();
    t.chars()
        .any(|c| c.is_ascii_digit() || ('０'..='９').contains(&c))
        && t.chars().all(|c| {
            c.is_ascii_digit() || ('０'..='９').contains(&c) || "+-.,，．－＋ ".contains(c)
        })
}

/// Text that begins a new row label rather than continuing one.
fn starts_new_label(t: &str) -> bool {
    let t = t.trim_start();
    let Some(first) = t.chars().next() else {
        return false;
    };
    first == '（'
        || first == '('
        || first.is_ascii_digit()
        || ('０'..='９').contains(&first)
        || starts_heading(t)
}

/// Places the cells on a grid (column and row edges from the cells themselves) and emits the
/// table; a grid whose cells do not tile it becomes lines instead.
fn emit_table(t: PageTable, out: &mut Vec<Block>, warnings: &mut Vec<String>) {
    let xs = edges(t.cells.iter().flat_map(|c| [c.x0, c.x1]));
    let ys = edges(t.cells.iter().flat_map(|c| [c.y0, c.y1]));
    let idx = |v: f32, e: &[f32]| -> usize {
        e.iter()
            .enumerate()
            .min_by(|a, b| (a.1 - v).abs().total_cmp(&(b.1 - v).abs()))
            .map(|(i, _)| i)
            .unwrap_or(0)
    };
    let rows = ys.len().saturating_sub(1);
    let cols = xs.len().saturating_sub(1);
    let mut placed: Vec<(usize, usize, usize, usize, &CellRect)> = Vec::new();
    let mut owner = vec![usize::MAX; rows * cols];
    let mut ok = rows > 0 && cols > 0;
    for c in &t.cells {
        let (c0, c1) = (idx(c.x0, &xs), idx(c.x1, &xs));
        let (r0, r1) = (idx(c.y0, &ys), idx(c.y1, &ys));
        if c1 <= c0 || r1 <= r0 {
            continue; // degenerate sliver
        }
        let k = placed.len();
        for r in r0..r1 {
            for cc in c0..c1 {
                let slot = &mut owner[r * cols + cc];
                if *slot != usize::MAX {
                    ok = false;
                }
                *slot = k;
            }
        }
        placed.push((r0, c0, r1 - r0, c1 - c0, c));
    }
    let holes = owner.iter().filter(|&&o| o == usize::MAX).count();
    if !ok {
        warnings.push("PDF table grid: cells overlap; table read as lines".into());
        for c in &t.cells {
            if !c.text.is_empty() {
                out.push(Block::Paragraph(c.text.replace('\n', "")));
            }
        }
        return;
    }
    let mut b = TableBuilder::new(true);
    b.declare_cols(cols);
    for r in 0..rows {
        if !b.start_row() {
            break;
        }
        for cc in 0..cols {
            let o = owner[r * cols + cc];
            if o == usize::MAX {
                // A slot no ruled cell covers (a ragged outline): an empty cell.
                b.push_at(cc, CellSpec::text(""));
                continue;
            }
            let (r0, c0, rs, cs, cell) = placed[o];
            if r0 != r || c0 != cc {
                continue;
            }
            let mut text = cell.text.clone();
            if text.chars().count() > MAX_CELL_CHARS {
                text = text.chars().take(MAX_CELL_CHARS).collect();
                warnings.push(format!("cell text cut at {MAX_CELL_CHARS} characters"));
            }
            b.push_at(
                cc,
                CellSpec {
                    text,
                    col_span: cs,
                    row_span: rs,
                    vertical: cell.vertical,
                },
            );
        }
    }
    let (table, w) = b.finish();
    if holes > 0 {
        warnings.push(format!(
            "PDF table: {holes} grid slots not enclosed by rulings"
        ));
    }
    warnings.extend(w);
    if table.rows() > 0 {
        out.push(Block::Table(table));
    }
}

/// Distinct positions, merging those within the tolerance.
fn edges(vals: impl Iterator<Item = f32>) -> Vec<f32> {
    let mut v: Vec<f32> = vals.collect();
    v.sort_by(f32::total_cmp);
    let mut out: Vec<f32> = Vec::new();
    for x in v {
        match out.last() {
            Some(&l) if x - l <= TOL => {}
            _ => out.push(x),
        }
    }
    out
}

/// Tables and lines of one page, top to bottom.
fn page_items(page: &Page, warnings: &mut Vec<String>) -> Vec<Item> {
    let mut grids = if page.segs.len() <= MAX_RULINGS {
        find_grids(&page.segs)
    } else {
        warnings.push(format!(
            "page has {} rulings; tables read as lines",
            page.segs.len()
        ));
        Vec::new()
    };
    if grids.len() > MAX_TABLES_PER_PAGE {
        warnings.push(format!(
            "page has {} ruled grids; tables read as lines",
            grids.len()
        ));
        grids.clear();
    }
    let mut in_table = vec![None; page.glyphs.len()];
    let mut tables: Vec<(PageTable, Vec<Vec<usize>>)> = Vec::new();
    for g in grids {
        let n = g.cells.len();
        tables.push((g, vec![Vec::new(); n]));
    }
    for (gi, glyph) in page.glyphs.iter().enumerate() {
        let (cx, cy) = glyph.center();
        for (ti, (t, members)) in tables.iter_mut().enumerate() {
            if cx < t.x0 - TOL || cx > t.x1 + TOL || cy < t.y0 - TOL || cy > t.y1 + TOL {
                continue;
            }
            if let Some(ci) = t.grid.as_ref().and_then(|g| g.cell_at(cx, cy)) {
                members[ci].push(gi);
                in_table[gi] = Some(ti);
                break;
            }
        }
    }
    let mut items: Vec<Item> = Vec::new();
    for (mut t, members) in tables {
        for (c, m) in t.cells.iter_mut().zip(members) {
            let glyphs: Vec<&Glyph> = m.iter().map(|&i| &page.glyphs[i]).collect();
            let lines: Vec<String> = lines_of(&glyphs).into_iter().map(|l| l.text).collect();
            // Set one or two characters a line (`三、` / `本` / `年` …): vertical text.
            let stacked = lines.len() >= 3 && lines.iter().all(|l| l.chars().count() <= 2);
            c.vertical = stacked || (!glyphs.is_empty() && glyphs.iter().all(|g| g.vertical));
            c.text = lines.join(if stacked { "" } else { "\n" });
        }
        items.push(Item::Table(t));
    }
    let free: Vec<&Glyph> = page
        .glyphs
        .iter()
        .zip(&in_table)
        .filter(|(_, t)| t.is_none())
        .map(|(g, _)| g)
        .collect();
    let lines: Vec<Line> = lines_of(&free)
        .into_iter()
        .filter(|l| !is_page_marker(&l.text) && !l.text.trim().is_empty())
        .collect();
    if lines.len() <= MAX_LINES_REBUILT {
        items.extend(rebuild_rows(lines));
    } else {
        warnings.push(format!(
            "page has {} lines; unruled tables not rebuilt",
            lines.len()
        ));
        items.extend(lines.into_iter().map(Item::Line));
    }
    items.sort_by(|a, b| a.top().total_cmp(&b.top()));
    items
}

/// A value cell of an unruled table: numbers, or `/`, `-`, `—` for "not applicable".
fn is_value_piece(t: &str) -> bool {
    is_numeric(t)
        || t.split_whitespace()
            .all(|w| matches!(w, "/" | "-" | "—" | "－" | "／" | "--" | "——"))
            && !t.trim().is_empty()
}

/// The value words of a row line whose values start at piece `k`.
fn value_words(l: &Line, k: usize) -> Vec<&(f32, f32, String)> {
    let x0 = l.pieces.get(k).map_or(f32::MAX, |p| p.0);
    l.words.iter().filter(|w| w.0 >= x0 - 0.5).collect()
}

/// Sorted centres merged within `tol` (each cluster's mean).
fn cluster(v: &mut [f32], tol: f32) -> Vec<f32> {
    v.sort_by(f32::total_cmp);
    let mut out: Vec<(f32, usize)> = Vec::new();
    for &x in v.iter() {
        match out.last_mut() {
            Some((m, n)) if x - *m / *n as f32 <= tol => {
                *m += x;
                *n += 1;
            }
            _ => out.push((x, 1)),
        }
    }
    out.into_iter().map(|(m, n)| m / n as f32).collect()
}

fn nearest(cols: &[f32], x: f32) -> Option<usize> {
    cols.iter()
        .enumerate()
        .min_by(|a, b| (a.1 - x).abs().total_cmp(&(b.1 - x).abs()))
        .map(|(i, _)| i)
}

/// Label text of one column of an unruled table, gathered top to bottom.
struct LabelBlock {
    col: usize,
    y0: f32,
    y1: f32,
    text: String,
    /// A row of numbers lies within or beside it.
    has_row: bool,
    /// A group label (sub-labels to its right).
    grouped: bool,
    /// Label lines above and below the row of numbers.
    above: usize,
    below: usize,
}

/// Unruled tables: rows of numbers whose labels wrap onto lines above and below them.
/// Label pieces are read per column (by left edge) into blocks, a block starting at a label
/// marker (`（三）`, `2.`, `一、`) or after a vertical gap; each block goes to the row of numbers
/// it spans (or the nearest). A row becomes one line `label… v1 v2 …`; a row without any
/// label becomes a flat table row of its values. Other lines are left as they are.
fn rebuild_rows(lines: Vec<Line>) -> Vec<Item> {
    // Value rows: trailing value pieces after a wide gap.
    let value_start = |l: &Line| -> Option<usize> {
        if l.pieces.len() < 2 && !(l.pieces.len() == 1 && is_value_piece(&l.pieces[0].2)) {
            return None;
        }
        let k = l
            .pieces
            .iter()
            .rposition(|p| !is_value_piece(&p.2))
            .map_or(0, |i| i + 1);
        (k < l.pieces.len() && (l.gappy || k == 0)).then_some(k)
    };
    let starts: Vec<Option<usize>> = lines.iter().map(value_start).collect();
    let rows: Vec<usize> = (0..lines.len()).filter(|&i| starts[i].is_some()).collect();
    if rows.is_empty() {
        return lines.into_iter().map(Item::Line).collect();
    }
    // Runs of value rows close to each other form a table zone.
    let mut consumed = vec![false; lines.len()];
    let mut row_labels: std::collections::HashMap<usize, Vec<(f32, f32, String)>> =
        Default::default();
    let mut run: Vec<usize> = Vec::new();
    let mut runs: Vec<Vec<usize>> = Vec::new();
    let row_x0 = |r: usize| {
        lines[r]
            .pieces
            .get(starts[r].unwrap_or(0))
            .map_or(0.0, |p| p.0)
    };
    let mut run_x0 = f32::MAX;
    for &r in &rows {
        if let Some(&last) = run.last() {
            let gap = lines[r].y - lines[last].y;
            // A line reaching into the value columns between rows (a sub-table's header) ends
            // the run too.
            let header_between =
                (last + 1..r).any(|i| lines[i].x1 > run_x0.min(row_x0(r)) + lines[i].size);
            if gap > 8.0 * lines[r].size.max(1.0) || header_between {
                runs.push(std::mem::take(&mut run));
                run_x0 = f32::MAX;
            }
        }
        run.push(r);
        run_x0 = run_x0.min(row_x0(r));
    }
    runs.push(run);
    let mut prev_end = 0usize;
    let mut grids: std::collections::HashMap<usize, (Vec<usize>, Vec<f32>)> = Default::default();
    for run in runs {
        let (first, last) = (run[0], *run.last().unwrap_or(&run[0]));
        let value_x0 = run
            .iter()
            .filter_map(|&r| lines[r].pieces.get(starts[r]?).map(|p| p.0))
            .fold(f32::MAX, f32::min);
        // Label pieces: the value rows' own, and lines between rows lying left of the values.
        // x0, y, text, on a value row
        let mut pieces: Vec<(f32, f32, String, bool)> = Vec::new();
        // The zone: from the rows' first to last line, widened by label lines wrapping just
        // above the first row or below the last.
        let size = lines[first].size.max(1.0);
        // The label area the rows themselves use: a line beyond it (a centred sub-table
        // heading such as `第二十条第（六）项`) is no label.
        let (label_x0, label_x1) = (first..=last)
            .flat_map(|i| {
                let l = &lines[i];
                match starts[i] {
                    Some(k) => l.pieces[..k].to_vec(),
                    None if l.x1 <= value_x0 + l.size && l.pieces.len() <= 4 => l.pieces.clone(),
                    None => Vec::new(),
                }
            })
            .fold((f32::MAX, f32::MIN), |(a, b), p| (a.min(p.0), b.max(p.1)));
        let near_label = |i: usize, anchor: usize| {
            let l = &lines[i];
            starts[i].is_none()
                && l.x1 <= value_x0 + l.size
                && l.x0 >= label_x0 - l.size
                && l.x1 <= label_x1 + l.size
                && l.pieces.len() <= 2
                && (l.y - lines[anchor].y).abs() <= 3.5 * size
                && !starts_heading(&l.text)
        };
        let mut lo = first;
        while lo > 0 && near_label(lo - 1, first) && !consumed[lo - 1] {
            lo -= 1;
        }
        let mut hi = last;
        while hi + 1 < lines.len()
            && near_label(hi + 1, last)
            && !starts_new_label(&lines[hi + 1].text)
        {
            hi += 1;
        }
        for i in lo..=hi {
            let l = &lines[i];
            match starts[i] {
                Some(k) => {
                    for p in &l.pieces[..k] {
                        pieces.push((p.0, l.y, p.2.clone(), true));
                    }
                }
                None if l.x1 <= value_x0 + l.size && l.pieces.len() <= 4 => {
                    consumed[i] = true;
                    for p in &l.pieces {
                        pieces.push((p.0, l.y, p.2.clone(), false));
                    }
                }
                None => {}
            }
        }
        // Columns by left edge.
        let mut col_x: Vec<f32> = Vec::new();
        for p in &pieces {
            if !col_x.iter().any(|&x| (x - p.0).abs() <= 1.5 * size) {
                col_x.push(p.0);
            }
        }
        col_x.sort_by(f32::total_cmp);
        let col_of = |x: f32| {
            col_x
                .iter()
                .position(|&c| (c - x).abs() <= 1.5 * size)
                .unwrap_or(0)
        };
        pieces.sort_by(|a, b| col_of(a.0).cmp(&col_of(b.0)).then(a.1.total_cmp(&b.1)));
        // Blocks per column: (col, y first, y last, text, spans a value row).
        let row_between = |a: f32, b: f32| run.iter().any(|&r| lines[r].y > a && lines[r].y <= b);
        let mut blocks: Vec<LabelBlock> = Vec::new();
        // A piece with another label piece to its right on its line is a group label (it may
        // go on from the row above); a row's only label piece is that row's own.
        let right_of: Vec<bool> = pieces
            .iter()
            .map(|p| {
                pieces
                    .iter()
                    .any(|o| (o.1 - p.1).abs() < 0.5 * size && o.0 > p.0 + size)
            })
            .collect();
        for ((x, y, t, on_row), grouped) in pieces.into_iter().zip(right_of) {
            let col = col_of(x);
            let on_row_alone = on_row && !grouped;
            let passed = |b: &LabelBlock| b.has_row || row_between(b.y1, y - 0.5 * size);
            match blocks.last_mut() {
                Some(b)
                    if b.col == col
                        && !starts_new_label(&t)
                        && y - b.y1 <= 3.5 * size
                        && !(on_row_alone && passed(b))
                        // Numbers sit in the middle of a wrapped label: as many label lines
                        // below them as above.
                        && !(!grouped && passed(b) && b.above > 0 && b.below >= b.above) =>
                {
                    if passed(b) && !on_row {
                        b.below += 1;
                    }
                    b.has_row = b.has_row || on_row || row_between(b.y1, y);
                    b.grouped = b.grouped || grouped;
                    b.y1 = y;
                    b.text.push_str(&t);
                }
                _ => blocks.push(LabelBlock {
                    col,
                    y0: y,
                    y1: y,
                    text: t,
                    has_row: on_row,
                    grouped,
                    above: usize::from(!on_row),
                    below: 0,
                }),
            }
            if let Some(b) = blocks.last_mut() {
                if !b.has_row && b.y0 != y {
                    b.above += 1;
                }
            }
        }
        for LabelBlock {
            col: c,
            y0,
            y1,
            text: t,
            grouped,
            ..
        } in blocks
        {
            let mid = (y0 + y1) / 2.0;
            let inside: Vec<usize> = run
                .iter()
                .copied()
                .filter(|&r| lines[r].y >= y0 - 0.5 * size && lines[r].y <= y1 + 0.5 * size)
                .collect();
            if grouped && inside.len() > 1 {
                // A group label beside sub-labels covers every row it spans, like a merged cell.
                for &r in &inside {
                    row_labels
                        .entry(r)
                        .or_default()
                        .push((c as f32, y0, t.clone()));
                }
                continue;
            }
            let pool = if inside.is_empty() { &run } else { &inside };
            if let Some(&r) = pool.iter().min_by(|&&a, &&b| {
                (lines[a].y - mid)
                    .abs()
                    .total_cmp(&(lines[b].y - mid).abs())
            }) {
                row_labels.entry(r).or_default().push((c as f32, y0, t));
            }
        }
        // Columns from alignment, when rows fill different numbers of cells or the header
        // above has columns no row fills: blank cells then keep their place.
        let counts: Vec<usize> = run
            .iter()
            .map(|&r| value_words(&lines[r], starts[r].unwrap_or(0)).len())
            .collect();
        let max = counts.iter().copied().max().unwrap_or(0);
        let mut centers: Vec<f32> = run
            .iter()
            .flat_map(|&r| {
                value_words(&lines[r], starts[r].unwrap_or(0))
                    .into_iter()
                    .map(|w| (w.0 + w.1) / 2.0)
            })
            .collect();
        let value_cols = cluster(&mut centers, 0.8 * size);
        let mut head: Vec<f32> = Vec::new();
        for i in prev_end.max(first.saturating_sub(12))..lo {
            if starts[i].is_some() || consumed[i] {
                continue;
            }
            let ws = &lines[i].words;
            for (k, w) in ws.iter().enumerate() {
                let c = (w.0 + w.1) / 2.0;
                let short = w.2.chars().count() <= 3 && w.1 - w.0 <= 3.5 * size;
                let covers = value_cols.iter().filter(|&&v| v > w.0 && v < w.1).count();
                // Not a fragment of a wrapped header phrase: no word close beside it.
                let alone = ws
                    .iter()
                    .enumerate()
                    .all(|(j, o)| j == k || o.1 < w.0 - 1.5 * size || o.0 > w.1 + 1.5 * size);
                if short && covers <= 1 && alone && c > value_x0 - 0.5 * size {
                    head.push(c);
                }
            }
        }
        // Header-only columns need stacked evidence (`结` / `果` / `维` / `持`).
        head.sort_by(f32::total_cmp);
        let mut all = value_cols.clone();
        let mut k = 0;
        while k < head.len() {
            let mut j = k;
            while j + 1 < head.len() && head[j + 1] - head[k] <= 0.5 * size {
                j += 1;
            }
            if j > k {
                all.push((head[k] + head[j]) / 2.0);
            }
            k = j + 1;
        }
        let cols = cluster(&mut all, 0.8 * size);
        if cols.len() > max || counts.iter().any(|&c| c != max) {
            let distinct = run.iter().all(|&r| {
                let mut seen = vec![false; cols.len()];
                value_words(&lines[r], starts[r].unwrap_or(0))
                    .iter()
                    .all(|w| {
                        nearest(&cols, (w.0 + w.1) / 2.0)
                            .is_some_and(|c| !std::mem::replace(&mut seen[c], true))
                    })
            });
            if distinct && cols.len() <= crate::limits::MAX_TABLE_COLS {
                grids.insert(first, (run.clone(), cols));
            }
        }
        prev_end = hi + 1;
    }
    let mut out = Vec::new();
    let mut skip = vec![false; lines.len()];
    let mut lines: Vec<Option<Line>> = lines.into_iter().map(Some).collect();
    for i in 0..lines.len() {
        if consumed[i] || skip[i] {
            continue;
        }
        if let Some((run, cols)) = grids.remove(&i) {
            // The whole run as one flat table: label, then a cell per column (blank where the
            // row has no value under it).
            let y = lines[i].as_ref().map_or(0.0, |l| l.y - l.size);
            let mut rows_out = Vec::new();
            for &r in &run {
                skip[r] = true;
                let Some(l) = lines[r].take() else { continue };
                let mut labels = row_labels.remove(&r).unwrap_or_default();
                labels.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1)));
                let label: Vec<String> = labels.into_iter().map(|x| x.2).collect();
                // No label cell for a row without one: the mapper reads the values alone.
                let mut cells: Vec<String> = Vec::new();
                if !label.is_empty() {
                    cells.push(label.join(" "));
                }
                let mut vals = vec![String::new(); cols.len()];
                for w in value_words(&l, starts[r].unwrap_or(0)) {
                    if let Some(c) = nearest(&cols, (w.0 + w.1) / 2.0) {
                        vals[c] = w.2.clone();
                    }
                }
                cells.extend(vals);
                rows_out.push(cells);
            }
            out.push(Item::Rows(y, rows_out));
            continue;
        }
        let Some(l) = lines[i].take() else { continue };
        let Some(k) = starts[i] else {
            out.push(Item::Line(l));
            continue;
        };
        let mut labels = row_labels.remove(&i).unwrap_or_default();
        labels.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1)));
        let values: Vec<String> = l.pieces[k..]
            .iter()
            .flat_map(|p| {
                p.2.split_whitespace()
                    .map(str::to_string)
                    .collect::<Vec<_>>()
            })
            .collect();
        if labels.is_empty() {
            out.push(Item::Flat(l.y - l.size, values));
            continue;
        }
        let label: Vec<String> = labels.into_iter().map(|x| x.2).collect();
        let text = format!("{} {}", label.join(" "), values.join(" "));
        out.push(Item::Line(Line {
            text,
            gappy: true,
            ..l
        }));
    }
    out
}

/// Groups glyphs into lines (baseline clusters, or columns of vertical glyphs), each read
/// left to right with a space where the gap is wide.
fn lines_of(glyphs: &[&Glyph]) -> Vec<Line> {
    let mut horiz: Vec<&Glyph> = glyphs.iter().copied().filter(|g| !g.vertical).collect();
    let mut vert: Vec<&Glyph> = glyphs.iter().copied().filter(|g| g.vertical).collect();
    horiz.sort_by(|a, b| a.y.total_cmp(&b.y).then(a.x.total_cmp(&b.x)));
    let mut groups: Vec<Vec<&Glyph>> = Vec::new();
    for g in horiz {
        let joined = groups.iter_mut().rev().take(3).find(|grp| {
            let base = grp[0].y;
            let size = grp[0].size.min(g.size).max(1.0);
            (g.y - base).abs() <= 0.45 * size
        });
        match joined {
            Some(grp) => grp.push(g),
            None => groups.push(vec![g]),
        }
    }
    let mut out = Vec::new();
    for mut grp in groups {
        grp.sort_by(|a, b| a.x.total_cmp(&b.x));
        let size = grp.iter().map(|g| g.size).fold(0.0, f32::max);
        let mut text = String::new();
        let mut last_right: Option<f32> = None;
        let mut gappy = false;
        let mut pieces: Vec<(f32, f32, String)> = Vec::new();
        let mut words: Vec<(f32, f32, String)> = Vec::new();
        for g in &grp {
            let gap = last_right.map(|r| g.x - r);
            if g.text.trim().is_empty() {
                words.push((g.right(), g.right(), String::new()));
            } else {
                if gap.is_none_or(|gap| gap > 0.3 * g.size.max(1.0)) {
                    words.push((g.left(), g.right(), String::new()));
                }
                if let Some(w) = words.last_mut() {
                    if w.2.is_empty() {
                        w.0 = g.left();
                    }
                    w.1 = w.1.max(g.right());
                    w.2.push_str(g.text.trim());
                }
            }
            if gap.is_none_or(|gap| gap > 1.5 * g.size.max(1.0)) {
                pieces.push((g.left(), g.right(), String::new()));
            }
            if let Some(p) = pieces.last_mut() {
                p.1 = p.1.max(g.right());
                if !g.text.trim().is_empty() {
                    if gap.is_some_and(|gap| gap > 0.3 * g.size.max(1.0)) && !p.2.is_empty() {
                        p.2.push(' ');
                    }
                    p.2.push_str(g.text.trim());
                }
            }
            if let Some(r) = last_right {
                let gap = g.x - r;
                if gap > 2.0 * g.size.max(1.0) {
                    gappy = true;
                }
                if gap > 0.3 * g.size.max(1.0) && !text.ends_with(' ') && g.text != " " {
                    text.push(' ');
                }
            }
            if g.text.trim().is_empty() {
                if !text.is_empty() && !text.ends_with(' ') {
                    text.push(' ');
                }
            } else {
                text.push_str(&g.text);
            }
            last_right = Some(g.right().max(last_right.unwrap_or(f32::MIN)));
        }
        let text = text.trim().to_string();
        if text.is_empty() {
            continue;
        }
        out.push(Line {
            text,
            x0: grp.first().map(|g| g.left()).unwrap_or(0.0),
            x1: grp.iter().map(|g| g.right()).fold(f32::MIN, f32::max),
            y: grp[0].y,
            size,
            gappy,
            pieces: pieces.into_iter().filter(|p| !p.2.is_empty()).collect(),
            words: words.into_iter().filter(|w| !w.2.is_empty()).collect(),
        });
    }
    // Vertical glyphs: columns by x, read top to bottom.
    vert.sort_by(|a, b| a.x.total_cmp(&b.x).then(a.y.total_cmp(&b.y)));
    let mut cols: Vec<Vec<&Glyph>> = Vec::new();
    for g in vert {
        match cols.last_mut() {
            Some(c) if (c[0].x - g.x).abs() <= 0.4 * g.size.max(1.0) => c.push(g),
            _ => cols.push(vec![g]),
        }
    }
    for mut c in cols {
        c.sort_by(|a, b| a.y.total_cmp(&b.y));
        let text: String = c.iter().map(|g| g.text.trim()).collect();
        if text.is_empty() {
            continue;
        }
        out.push(Line {
            text: text.clone(),
            x0: c[0].left(),
            x1: c[0].right(),
            y: c[0].y + c[0].size,
            size: c[0].size,
            gappy: false,
            pieces: vec![(c[0].left(), c[0].right(), text.clone())],
            words: vec![(c[0].left(), c[0].right(), text.clone())],
        });
    }
    out.sort_by(|a, b| a.y.total_cmp(&b.y).then(a.x0.total_cmp(&b.x0)));
    out
}

/// Ruled grids on a page: connected groups of rulings with at least two lines each way,
/// cut into cells where the rulings enclose them.
fn find_grids(segs: &[Seg]) -> Vec<PageTable> {
    let n = segs.len();
    let mut parent: Vec<usize> = (0..n).collect();
    fn find(p: &mut [usize], mut i: usize) -> usize {
        while p[i] != i {
            p[i] = p[p[i]];
            i = p[i];
        }
        i
    }
    let touch = |a: &Seg, b: &Seg| {
        a.x0 <= b.x1 + TOL && b.x0 <= a.x1 + TOL && a.y0 <= b.y1 + TOL && b.y0 <= a.y1 + TOL
    };
    for i in 0..n {
        for j in i + 1..n {
            if touch(&segs[i], &segs[j]) {
                let (a, b) = (find(&mut parent, i), find(&mut parent, j));
                if a != b {
                    parent[a] = b;
                }
            }
        }
    }
    let mut groups: std::collections::BTreeMap<usize, Vec<Seg>> = Default::default();
    for (i, s) in segs.iter().enumerate() {
        let r = find(&mut parent, i);
        groups.entry(r).or_default().push(*s);
    }
    let mut out = Vec::new();
    for (_, g) in groups {
        if let Some(t) = grid_cells(&g) {
            out.push(t);
        }
    }
    out
}

fn grid_cells(segs: &[Seg]) -> Option<PageTable> {
    let mut hs: Vec<Seg> = segs.iter().filter(|s| s.horizontal()).copied().collect();
    let vs: Vec<Seg> = segs.iter().filter(|s| !s.horizontal()).copied().collect();
    // A table cut by a page break often lacks its closing ruling: the vertical rulings run on
    // past the last horizontal one (or start above the first). Close it there.
    if !hs.is_empty() && !vs.is_empty() {
        let (hx0, hx1) = (
            hs.iter().map(|s| s.x0).fold(f32::MAX, f32::min),
            hs.iter().map(|s| s.x1).fold(f32::MIN, f32::max),
        );
        let (hy0, hy1) = (
            hs.iter().map(|s| s.y0).fold(f32::MAX, f32::min),
            hs.iter().map(|s| s.y1).fold(f32::MIN, f32::max),
        );
        let vy0 = vs.iter().map(|s| s.y0).fold(f32::MAX, f32::min);
        let vy1 = vs.iter().map(|s| s.y1).fold(f32::MIN, f32::max);
        if vy1 > hy1 + 3.0 * TOL {
            hs.push(Seg {
                x0: hx0,
                y0: vy1,
                x1: hx1,
                y1: vy1,
            });
        }
        if vy0 < hy0 - 3.0 * TOL {
            hs.push(Seg {
                x0: hx0,
                y0: vy0,
                x1: hx1,
                y1: vy0,
            });
        }
    }
    let ys = edges(hs.iter().map(|s| (s.y0 + s.y1) / 2.0));
    let xs = edges(vs.iter().map(|s| (s.x0 + s.x1) / 2.0));
    if ys.len() < 2 || xs.len() < 2 {
        return None;
    }
    let (rows, cols) = (ys.len() - 1, xs.len() - 1);
    if rows * cols > MAX_SLOTS {
        return None;
    }
    // Is there a vertical ruling at xs[c] across row r? A horizontal one at ys[r] across col c?
    let v_at = |c: usize, r: usize| {
        let ym = (ys[r] + ys[r + 1]) / 2.0;
        vs.iter().any(|s| {
            ((s.x0 + s.x1) / 2.0 - xs[c]).abs() <= TOL && s.y0 - TOL <= ym && ym <= s.y1 + TOL
        })
    };
    let h_at = |r: usize, c: usize| {
        let xm = (xs[c] + xs[c + 1]) / 2.0;
        hs.iter().any(|s| {
            ((s.y0 + s.y1) / 2.0 - ys[r]).abs() <= TOL && s.x0 - TOL <= xm && xm <= s.x1 + TOL
        })
    };
    let mut parent: Vec<usize> = (0..rows * cols).collect();
    fn find(p: &mut [usize], mut i: usize) -> usize {
        while p[i] != i {
            p[i] = p[p[i]];
            i = p[i];
        }
        i
    }
    let union = |p: &mut Vec<usize>, a: usize, b: usize| {
        let (ra, rb) = (find(p, a), find(p, b));
        if ra != rb {
            p[ra] = rb;
        }
    };
    for r in 0..rows {
        for c in 0..cols {
            if c + 1 < cols && !v_at(c + 1, r) {
                union(&mut parent, r * cols + c, r * cols + c + 1);
            }
            if r + 1 < rows && !h_at(r + 1, c) {
                union(&mut parent, r * cols + c, (r + 1) * cols + c);
            }
        }
    }
    // Each component's bounding box; components that are not rectangles, or that no ruling
    // closes on the outside, are not cells.
    let mut bbox: std::collections::HashMap<usize, (usize, usize, usize, usize, usize)> =
        Default::default();
    for r in 0..rows {
        for c in 0..cols {
            let k = find(&mut parent, r * cols + c);
            let e = bbox.entry(k).or_insert((r, c, r, c, 0));
            e.0 = e.0.min(r);
            e.1 = e.1.min(c);
            e.2 = e.2.max(r);
            e.3 = e.3.max(c);
            e.4 += 1;
        }
    }
    let mut boxes: Vec<(usize, usize, usize, usize)> = Vec::new();
    for (_, (r0, c0, r1, c1, count)) in bbox {
        if count != (r1 - r0 + 1) * (c1 - c0 + 1) {
            return None;
        }
        boxes.push((r0, c0, r1, c1));
    }
    if boxes.len() < 2 {
        return None;
    }
    boxes.sort();
    let mut owner = vec![0; rows * cols];
    let mut cells = Vec::with_capacity(boxes.len());
    for (k, &(r0, c0, r1, c1)) in boxes.iter().enumerate() {
        for r in r0..=r1 {
            for c in c0..=c1 {
                owner[r * cols + c] = k;
            }
        }
        cells.push(CellRect {
            x0: xs[c0],
            y0: ys[r0],
            x1: xs[c1 + 1],
            y1: ys[r1 + 1],
            text: String::new(),
            vertical: false,
        });
    }
    Some(PageTable {
        x0: xs[0],
        y0: ys[0],
        x1: xs[cols],
        y1: ys[rows],
        cells,
        grid: Some(Grid { xs, ys, owner }),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Glyphs of `text` from (x, baseline y), 10 pt, one character each.
    fn word(text: &str, x: f32, y: f32) -> Vec<Glyph> {
        text.chars()
            .enumerate()
            .map(|(i, c)| Glyph {
                text: c.to_string(),
                x: x + 10.0 * i as f32,
                y,
                w: 10.0,
                size: 10.0,
                vertical: false,
            })
            .collect()
    }

    fn hline(x0: f32, x1: f32, y: f32) -> Seg {
        Seg {
            x0,
            y0: y,
            x1,
            y1: y,
        }
    }
    fn vline(x: f32, y0: f32, y1: f32) -> Seg {
        Seg {
            x0: x,
            y0,
            x1: x,
            y1,
        }
    }

    /// A table page: label column 100–200 (group) + 200–300 (sub-label), value column 300–350.
    /// `rows` are (group text or None for a merged continuation, sub-label, value).
    fn table_page(top: f32, rows: &[(Option<&str>, &str, &str)], footer: bool) -> Page {
        let mut glyphs = Vec::new();
        let mut segs = Vec::new();
        let h = 20.0;
        let bottom = top + h * rows.len() as f32;
        segs.push(hline(100.0, 350.0, top));
        segs.push(vline(100.0, top, bottom));
        segs.push(vline(200.0, top, bottom));
        segs.push(vline(300.0, top, bottom));
        segs.push(vline(350.0, top, bottom));
        for (i, (group, sub, value)) in rows.iter().enumerate() {
            let y0 = top + h * i as f32;
            let y1 = y0 + h;
            // The group cell is closed below unless the next row continues it.
            let next_continues = rows.get(i + 1).is_some_and(|r| r.0.is_none());
            if !next_continues {
                segs.push(hline(100.0, 350.0, y1));
            } else {
                segs.push(hline(200.0, 350.0, y1));
            }
            if let Some(g) = group {
                glyphs.extend(word(g, 105.0, y1 - 5.0));
            }
            glyphs.extend(word(sub, 205.0, y1 - 5.0));
            glyphs.extend(word(value, 305.0, y1 - 5.0));
        }
        if footer {
            glyphs.extend(word("- 4 -", 280.0, 820.0));
        }
        Page {
            width: 595.0,
            glyphs,
            segs,
            images: 0,
        }
    }

    fn tables(blocks: &[Block]) -> Vec<&crate::model::Table> {
        blocks
            .iter()
            .filter_map(|b| match b {
                Block::Table(t) => Some(t),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn a_table_across_a_page_break_is_one_table_and_a_cut_group_label_one_cell() {
        let p1 = table_page(
            600.0,
            &[(Some("G1"), "1.a", "5"), (Some("(4)no"), "1.b", "6")],
            true,
        );
        // The group label goes on (`法提供`-style) at the top of the next page, beside a sub-label.
        let p2 = table_page(
            80.0,
            &[
                (Some("way"), "2.c", "7"),
                (None, "3.d", "8"),
                (Some("(5)x"), "1.e", "9"),
            ],
            false,
        );
        let mut w = Vec::new();
        let blocks = blocks(&[p1, p2], &mut w);
        let t = tables(&blocks);
        assert_eq!(t.len(), 1, "{blocks:?}");
        let t = t[0];
        assert_eq!(t.rows(), 5);
        let (i, cell) = t.cell_at(1, 0).expect("group cell");
        assert_eq!(cell.text, "(4)no\nway");
        assert_eq!(cell.row_span, 3);
        assert_eq!(t.cell_at(3, 0).map(|c| c.0), Some(i));
        assert_eq!(t.cell_at(4, 0).map(|c| c.1.text.as_str()), Some("(5)x"));
        assert_eq!(t.cell_at(2, 2).map(|c| c.1.text.as_str()), Some("7"));
        // The page footer between the parts is gone.
        assert!(!blocks
            .iter()
            .any(|b| matches!(b, Block::Paragraph(p) if p.contains('4'))));
    }

    #[test]
    fn header_rows_repeated_on_the_next_page_are_dropped() {
        let head = (Some("H"), "head", "col");
        let p1 = table_page(600.0, &[head, (Some("G1"), "1.a", "5")], false);
        let p2 = table_page(80.0, &[head, (Some("（五）"), "1.b", "6")], false);
        let mut w = Vec::new();
        let blocks = blocks(&[p1, p2], &mut w);
        let t = tables(&blocks);
        assert_eq!(t.len(), 1);
        assert_eq!(t[0].rows(), 3);
        assert_eq!(
            t[0].cell_at(2, 0).map(|c| c.1.text.as_str()),
            Some("（五）")
        );
    }

    #[test]
    fn a_row_label_at_the_top_of_a_page_is_not_merged_upward() {
        // `行政强制 0` after `行政处罚 3`: the row's only label cell starts a new row.
        let mk = |top: f32, label: &str, v: &str| {
            let mut glyphs = word(label, 105.0, top + 15.0);
            glyphs.extend(word(v, 205.0, top + 15.0));
            Page {
                width: 595.0,
                glyphs,
                segs: vec![
                    hline(100.0, 300.0, top),
                    hline(100.0, 300.0, top + 20.0),
                    vline(100.0, top, top + 20.0),
                    vline(200.0, top, top + 20.0),
                    vline(300.0, top, top + 20.0),
                ],
                images: 0,
            }
        };
        let mut w = Vec::new();
        let blocks = blocks(&[mk(780.0, "pun", "3"), mk(80.0, "coe", "0")], &mut w);
        let t = tables(&blocks);
        assert_eq!(t.len(), 1);
        assert_eq!(t[0].rows(), 2);
        assert_eq!(t[0].cell_at(1, 0).map(|c| c.1.text.as_str()), Some("coe"));
    }

    #[test]
    fn centred_title_lines_join_and_body_lines_wrap_into_paragraphs() {
        let mut glyphs = word("ORGNAME", 262.5, 100.0);
        glyphs.extend(word("2023REPORT", 247.5, 125.0));
        // A full body line, then its continuation, then an indented new paragraph.
        glyphs.extend(word(&"a".repeat(40), 100.0, 200.0));
        glyphs.extend(word("bbb", 100.0, 220.0));
        glyphs.extend(word("ccc", 120.0, 240.0));
        let page = Page {
            width: 595.0,
            glyphs,
            segs: vec![],
            images: 0,
        };
        let mut w = Vec::new();
        let blocks = blocks(&[page], &mut w);
        let paras: Vec<&str> = blocks
            .iter()
            .filter_map(|b| match b {
                Block::Paragraph(p) => Some(p.as_str()),
                _ => None,
            })
            .collect();
        assert_eq!(paras[0], "ORGNAME2023REPORT");
        assert_eq!(paras[1], format!("{}bbb", "a".repeat(40)));
        assert_eq!(paras[2], "ccc");
    }

    #[test]
    fn stacked_single_characters_read_as_vertical_text() {
        let mut glyphs = Vec::new();
        for (i, c) in ["三、", "本", "年", "度"].iter().enumerate() {
            glyphs.extend(word(c, 105.0, 115.0 + 12.0 * i as f32));
        }
        glyphs.extend(word("x", 205.0, 115.0));
        glyphs.extend(word("1", 205.0, 155.0));
        let page = Page {
            width: 595.0,
            glyphs,
            segs: vec![
                hline(100.0, 300.0, 100.0),
                hline(200.0, 300.0, 140.0),
                hline(100.0, 300.0, 170.0),
                vline(100.0, 100.0, 170.0),
                vline(200.0, 100.0, 170.0),
                vline(300.0, 100.0, 170.0),
            ],
            images: 0,
        };
        let mut w = Vec::new();
        let blocks = blocks(&[page], &mut w);
        let t = tables(&blocks);
        let (_, c) = t[0].cell_at(0, 0).expect("cell");
        assert_eq!(c.text, "三、本年度");
        assert!(c.vertical);
        assert_eq!(c.row_span, 2);
    }

    #[test]
    fn unruled_rows_gather_wrapped_labels_and_keep_blank_columns() {
        // Label column at x=100, value columns at x=300, 340, 380 (headers stacked `a`/`b`).
        let mut glyphs = Vec::new();
        for (x, t) in [(300.0, "h"), (340.0, "h"), (380.0, "h")] {
            glyphs.extend(word(t, x, 90.0));
            glyphs.extend(word(t, x, 102.0));
        }
        // Row 1: label on two lines, numbers between them.
        glyphs.extend(word("1.first", 100.0, 120.0));
        for (x, v) in [(300.0, "4"), (340.0, "0"), (380.0, "4")] {
            glyphs.extend(word(v, x, 126.0));
        }
        glyphs.extend(word("half", 100.0, 132.0));
        // Row 2: one line, the middle cell blank.
        glyphs.extend(word("2.second", 100.0, 150.0));
        glyphs.extend(word("1", 300.0, 150.0));
        glyphs.extend(word("1", 380.0, 150.0));
        let page = Page {
            width: 595.0,
            glyphs,
            segs: vec![],
            images: 0,
        };
        let mut w = Vec::new();
        let blocks = blocks(&[page], &mut w);
        let t = tables(&blocks);
        assert_eq!(t.len(), 1, "{blocks:?}");
        let t = t[0];
        assert!(!t.spans_known);
        let row = |r: usize| -> Vec<String> {
            t.row_cells(r).iter().map(|c| c.cell.text.clone()).collect()
        };
        assert_eq!(row(0), ["1.firsthalf", "4", "0", "4"]);
        assert_eq!(row(1), ["2.second", "1", "", "1"]);
    }

    #[test]
    fn numbers_and_labels() {
        assert!(is_numeric("3119"));
        assert!(is_numeric("+1036"));
        assert!(is_numeric("7730.28"));
        assert!(!is_numeric("行政强制"));
        assert!(!is_numeric(""));
        assert!(starts_new_label("（五）不予处理"));
        assert!(starts_new_label("2.没有现成信息"));
        assert!(starts_new_label("三、本年度办理结果"));
        assert!(!starts_new_label("法提供"));
    }
}

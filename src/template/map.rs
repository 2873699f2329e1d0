//! Mapping a document's tables onto the official template: every value by its row label and
//! column header, so a missing or extra row never shifts the others.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use super::cell::{parse_cell, CellState, CellValue};
use super::data::*;
use super::detect::{detect, Template};
use super::keys;
use super::label::{best_similarity, core, normalize, push_normalized, split_numbering, Numbering};
use super::rows::{
    part_rows, resolve_among, ColumnEvidence, ColumnSpec, HeaderMap, RowSource, SourceRow,
};
use crate::layout::regions::{Part, TableKind};

/// How a field's value was found: the inputs to its confidence.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Evidence {
    /// How well the row label matched the template (0..=1); 0 when the row was placed by order.
    pub label_score: f64,
    /// The row had no readable label and was placed by template order between its neighbours.
    pub row_by_order: bool,
    pub column: ColumnEvidence,
    pub source: RowSource,
}

#[derive(Debug, Clone)]
pub struct Field {
    pub key: String,
    pub cell: CellValue,
    pub evidence: Evidence,
}

/// Something the mapper could not place or had to guess; extraction-side findings.
#[derive(Debug, Clone)]
pub struct MapIssue {
    pub kind: TableKind,
    pub message: String,
    /// For a table 四 row left unassigned because it had this many values where 15 are
    /// expected (T4-COUNT); None for other issues.
    pub values: Option<usize>,
}

#[derive(Debug, Default)]
pub struct Mapped {
    pub template: Option<Template>,
    pub fields: Vec<Field>,
    /// Which tables had at least one mapped row: 二, 三, 四.
    pub found: [bool; 3],
    pub issues: Vec<MapIssue>,
    pub(crate) index: std::sync::OnceLock<HashMap<String, usize, KeyHasher>>,
    /// Slot (`keys::slot_of`) → position, for the table 三 and 四 cells the identities read.
    pub(crate) slots: std::sync::OnceLock<Vec<Option<u32>>>,
}

/// FNV-1a for field keys: short strings looked up many times by the rules, where SipHash's
/// set-up dominates. Not exposed to untrusted keys beyond one document's own fields.
#[derive(Default, Clone, Copy)]
pub struct Fnv(u64);

impl std::hash::Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for b in bytes {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = h;
    }
}

pub type KeyHasher = std::hash::BuildHasherDefault<Fnv>;

impl Mapped {
    pub fn get(&self, key: &str) -> Option<&Field> {
        self.position(key).map(|i| &self.fields[i])
    }

    /// Key → position, built once when first asked (the rules look fields up many times).
    fn index(&self) -> &HashMap<String, usize, KeyHasher> {
        self.index.get_or_init(|| {
            self.fields
                .iter()
                .enumerate()
                .map(|(i, f)| (f.key.clone(), i))
                .collect()
        })
    }

    /// The field of a table 三 or 四 cell by its slot (`keys::requests_slot`,
    /// `keys::review_slot`), without hashing its key.
    pub fn get_slot(&self, slot: usize) -> Option<&Field> {
        self.position_slot(slot).map(|i| &self.fields[i])
    }

    /// Position of a table 三 or 四 cell by its slot.
    pub fn position_slot(&self, slot: usize) -> Option<usize> {
        let slots = self.slots.get_or_init(|| {
            let mut slots = vec![None; keys::slots()];
            // Later fields win, as in the key index.
            for (i, f) in self.fields.iter().enumerate() {
                if let Some(s) = keys::slot_of(&f.key) {
                    slots[s] = u32::try_from(i).ok();
                }
            }
            slots
        });
        let key = keys::key(slot);
        match slots[slot] {
            Some(i) if self.fields.get(i as usize).is_some_and(|f| f.key == key) => {
                Some(i as usize)
            }
            // Built once; if fields changed since, ask the key index.
            _ => self.position(key),
        }
    }

    /// Position of a field.
    pub fn position(&self, key: &str) -> Option<usize> {
        let index = self.index();
        match index.get(key) {
            // The index is built once; if fields changed since, fall back to a scan.
            Some(&i) if self.fields.get(i).is_some_and(|f| f.key == key) => Some(i),
            None if index.len() == self.fields.len() => None,
            _ => self.fields.iter().position(|f| f.key == key),
        }
    }
}

impl Mapped {
    /// A mapping of known values (a truth file, a test): a number becomes a number cell,
    /// `null` a blank, `"na"` a `/`; evidence as if read from a grid under its header. The
    /// tables found are those with at least one key.
    pub fn from_values(
        template: Template,
        values: &serde_json::Map<String, serde_json::Value>,
    ) -> Mapped {
        let mut out = Mapped {
            template: Some(template),
            ..Default::default()
        };
        for (key, v) in values {
            let raw = match v {
                serde_json::Value::Number(n) => n.to_string(),
                serde_json::Value::String(s) if s == "na" => "/".to_string(),
                serde_json::Value::String(s) => s.clone(),
                _ => String::new(),
            };
            let money = key.ends_with(".amount");
            let table = if key.starts_with("proactive.") {
                0
            } else if key.starts_with("requests.") {
                1
            } else {
                2
            };
            out.found[table] = true;
            out.fields.push(Field {
                key: key.clone(),
                cell: parse_cell(&raw, money),
                evidence: Evidence {
                    label_score: 1.0,
                    row_by_order: false,
                    column: ColumnEvidence::Header,
                    source: RowSource::Grid,
                },
            });
        }
        out
    }
}

const ROW_MATCH_MIN: f64 = 0.6;
/// Candidates this close to the best are a tie, settled by template order.
const TIE: f64 = 0.06;

pub fn map_tables(regions: &[(TableKind, Vec<Part<'_>>)], all_text_norm: &str) -> Mapped {
    let mut table_text = String::new();
    for (_, parts) in regions {
        for p in parts {
            match p {
                Part::Grid { table, .. } => {
                    for c in table.cells() {
                        push_normalized(&mut table_text, &c.text);
                        table_text.push('|');
                    }
                }
                Part::Line { text, .. } => push_normalized(&mut table_text, text),
            }
        }
    }
    let template = detect(&table_text, all_text_norm);
    let mut out = Mapped {
        template: Some(template),
        ..Default::default()
    };
    let vintage = template.vintage();
    for (kind, parts) in regions {
        match kind {
            TableKind::Proactive => map_table2(parts, vintage.unwrap_or(Vintage::V2021), &mut out),
            TableKind::Requests => map_table3(parts, vintage, &mut out),
            TableKind::Review => map_table4(parts, &mut out),
        }
    }
    out
}

// ---------------------------------------------------------------- table 三

/// The column sets header cells are resolved against.
#[derive(Clone, Copy)]
enum ColumnSet {
    Table3,
    Table4Groups,
    Table4Leaves,
}

impl ColumnSet {
    fn columns(self) -> Vec<(&'static [&'static str], usize)> {
        match self {
            ColumnSet::Table3 => TABLE3_COLUMNS
                .iter()
                .enumerate()
                .map(|(i, c)| (c.aliases, i))
                .collect(),
            ColumnSet::Table4Groups => TABLE4_GROUPS
                .iter()
                .enumerate()
                .map(|(i, g)| (g.2, i))
                .collect(),
            ColumnSet::Table4Leaves => TABLE4_COLUMNS
                .iter()
                .enumerate()
                .map(|(i, c)| (c.aliases, i))
                .collect(),
        }
    }
}

type Resolved = [Option<Option<(usize, f64)>>; 3];

thread_local! {
    /// Header cell text → its best match in each column set, filled as asked. Reports print
    /// the same headers over and over; bounded, so memory stays flat.
    static RESOLVED: RefCell<HashMap<String, Resolved>> = RefCell::new(HashMap::new());
}

/// [`resolve_among`] over a column set, memoised: the best match does not depend on `min`,
/// which only accepts or refuses it.
fn resolve_in(text: &str, set: ColumnSet, min: f64) -> Option<(usize, f64)> {
    let best = RESOLVED.with(|memo| {
        if let Some(Some(v)) = memo.borrow().get(text).map(|e| e[set as usize]) {
            return v;
        }
        let v = resolve_among(text, &set.columns(), 0.0);
        let mut memo = memo.borrow_mut();
        if memo.len() >= MEMO_MAX && !memo.contains_key(text) {
            memo.clear();
        }
        memo.entry(text.to_string()).or_default()[set as usize] = Some(v);
        v
    });
    best.filter(|(_, s)| *s >= min)
}

fn t3_resolve(stack: &[String]) -> Option<usize> {
    // The lowest header cell that names a column wins (商业企业 under 法人或其他组织).
    stack.iter().rev().find_map(|t| {
        let core = normalize(t);
        if TABLE3_COLUMN_GROUPS
            .iter()
            .any(|(a, _, _)| a.contains(&core.as_str()))
        {
            return None;
        }
        resolve_in(t, ColumnSet::Table3, 0.8).map(|x| x.0)
    })
}

fn t3_group_width(text: &str) -> Option<usize> {
    let core = normalize(text);
    TABLE3_COLUMN_GROUPS
        .iter()
        .find(|(a, _, _)| a.contains(&core.as_str()))
        .map(|g| g.2)
}

fn t3_is_word(text: &str) -> bool {
    t3_resolve(&[text.to_string()]).is_some()
}

pub const T3_SPEC: ColumnSpec = ColumnSpec {
    n: 7,
    resolve: t3_resolve,
    group_width: t3_group_width,
    is_word: t3_is_word,
};

/// What a row's label cells say, normalised once per row.
struct LabelCues {
    /// Best alias similarity of the label to each table 三 row (index into `TABLE3_ROWS`):
    /// the normalised last label cell without its enumerator, its part before any note, and
    /// the last two cells joined (labels cut over two cells: "缴纳费用、" | "行政机关不再处理其政").
    base: Rc<[f64]>,
    numbering: Option<Numbering>,
    group: Option<u8>,
}

thread_local! {
    /// Label text → similarity to each table 三 row. Reports print the same labels over and
    /// over, so most rows are answered from here; bounded, so memory stays flat.
    static T3_SIMILARITY: RefCell<HashMap<String, Rc<[f64]>>> = RefCell::new(HashMap::new());
}

const MEMO_MAX: usize = 4096;

/// Best similarity of a normalised text to each table 三 row's aliases.
fn t3_similarities(text: &str) -> Rc<[f64]> {
    T3_SIMILARITY.with(|memo| {
        if let Some(v) = memo.borrow().get(text) {
            return v.clone();
        }
        let v: Rc<[f64]> = TABLE3_ROWS
            .iter()
            .map(|r| best_similarity(text, r.aliases))
            .collect();
        let mut memo = memo.borrow_mut();
        if memo.len() >= MEMO_MAX {
            memo.clear();
        }
        memo.insert(text.to_string(), v.clone());
        v
    })
}

impl LabelCues {
    fn new(labels: &[String]) -> Option<LabelCues> {
        let cells: Vec<&str> = labels
            .iter()
            .map(|s| s.trim())
            .filter(|s| !s.is_empty())
            .collect();
        let last = cells.last()?;
        let (numbering, rest) = split_numbering(last);
        let head = rest.split(['（', '(']).next().unwrap_or(rest);
        let rest = normalize(rest);
        let head = normalize(head);
        let mut base = t3_similarities(&rest);
        // Most labels have no note: then head is rest and needs no second look.
        if head != rest {
            let h = t3_similarities(&head);
            base = base.iter().zip(h.iter()).map(|(a, b)| a.max(*b)).collect();
        }
        if cells.len() > 1 {
            let joined: String = cells[cells.len() - 2..].iter().map(|c| core(c)).collect();
            let j = t3_similarities(&joined);
            base = base
                .iter()
                .zip(j.iter())
                .map(|(a, b)| a.max(0.95 * b))
                .collect();
        }
        Some(LabelCues {
            base,
            numbering,
            group: context_group(&cells[..cells.len() - 1]),
        })
    }

    /// How well these cues match table 三 row `i` (`spec` = `TABLE3_ROWS[i]`).
    fn score(&self, i: usize, spec: &Table3Row, vintage: Option<Vintage>) -> f64 {
        let mut score = self.base[i];
        if score == 0.0 {
            return 0.0;
        }
        match self.numbering {
            Some(Numbering::Item(k)) if spec.group != 0 => {
                score += if spec.item == k { 0.05 } else { -0.1 }
            }
            Some(Numbering::Item(_)) => score -= 0.1,
            Some(Numbering::Group(g)) => {
                score += if spec.group == g && spec.item == 0 {
                    0.1
                } else {
                    -0.3
                }
            }
            Some(Numbering::Top(t)) if t != 3 => {
                score += if spec.group == 0 && spec.item == t {
                    0.1
                } else {
                    -0.3
                }
            }
            _ => {}
        }
        // Group context from the cells before the last one: （三） or 不予公开.
        if let Some(g) = self.group {
            if spec.group != 0 {
                score += if spec.group == g { 0.1 } else { -0.2 };
            }
        }
        if vintage.is_some_and(|v| spec.years.includes(v)) {
            score += 0.02;
        }
        score
    }
}

fn context_group(cells: &[&str]) -> Option<u8> {
    for c in cells.iter().rev() {
        if let (Some(Numbering::Group(g)), _) = split_numbering(c) {
            return Some(g);
        }
        let n = normalize(c);
        for (g, words) in TABLE3_GROUPS {
            if words.contains(&n.as_str()) {
                return Some(*g);
            }
        }
    }
    None
}

/// The expected rows in order for a vintage, adjusted for hybrids (a 2021 table keeping the
/// single 2019 （六） row, or the reverse) when the document shows one.
fn t3_sequence(vintage: Option<Vintage>, anchored: &[bool]) -> Vec<usize> {
    let v = vintage.unwrap_or(Vintage::V2021);
    let idx = |k: &str| TABLE3_ROWS.iter().position(|r| r.key == k);
    let other = idx("other");
    let subs: Vec<usize> = [
        "other_overdue_correction",
        "other_overdue_fee",
        "other_misc",
    ]
    .iter()
    .filter_map(|k| idx(k))
    .collect();
    let other_anchored = other.is_some_and(|o| anchored[o]);
    let subs_anchored = subs.iter().any(|&s| anchored[s]);
    let use_single = match v {
        Vintage::V2019 => !subs_anchored || other_anchored,
        Vintage::V2021 => other_anchored && !subs_anchored,
    };
    (0..TABLE3_ROWS.len())
        .filter(|&i| {
            let r = &TABLE3_ROWS[i];
            if Some(i) == other {
                use_single
            } else if subs.contains(&i) {
                !use_single
            } else {
                r.years.includes(v)
            }
        })
        .collect()
}

fn has_number(values: &[String]) -> bool {
    values
        .iter()
        .any(|v| parse_cell(v, false).state == CellState::Number)
}

fn map_table3(parts: &[Part<'_>], vintage: Option<Vintage>, out: &mut Mapped) {
    let mut carry: Option<HeaderMap> = None;
    let rows: Vec<SourceRow> = parts
        .iter()
        .flat_map(|p| part_rows(p, Some(&T3_SPEC), &mut carry))
        .filter(|r| !r.header)
        .collect();
    // First pass: label matches.
    let matches: Vec<Vec<(usize, f64)>> = rows
        .iter()
        .map(|r| {
            let Some(cues) = LabelCues::new(&r.labels) else {
                return Vec::new();
            };
            let mut c: Vec<(usize, f64)> = TABLE3_ROWS
                .iter()
                .enumerate()
                .map(|(i, s)| (i, cues.score(i, s, vintage)))
                .filter(|x| x.1 >= ROW_MATCH_MIN)
                .collect();
            c.sort_by(|a, b| b.1.total_cmp(&a.1));
            c
        })
        .collect();
    let mut anchored = vec![false; TABLE3_ROWS.len()];
    for (r, m) in rows.iter().zip(&matches) {
        if let Some(&(i, s)) = m.first() {
            if s >= 0.85 && (r.source != RowSource::Line || has_number(&r.values)) {
                anchored[i] = true;
            }
        }
    }
    let seq = t3_sequence(vintage, &anchored);
    let mut filled = vec![false; TABLE3_ROWS.len()];
    let mut cursor = 0usize;
    let mut assigned: Vec<(usize, &SourceRow, f64, bool)> = Vec::new();
    for (r, m) in rows.iter().zip(&matches) {
        // A loose text line counts only when it carries values.
        if r.values.is_empty() {
            continue;
        }
        let pos_of = |i: usize| seq.iter().position(|&x| x == i);
        if let Some(&(_, best)) = m.first() {
            let ties: Vec<usize> = m
                .iter()
                .filter(|(i, s)| *s >= best - TIE && pos_of(*i).is_some())
                .map(|x| x.0)
                .collect();
            let pick = ties
                .iter()
                .copied()
                .find(|&i| !filled[i] && pos_of(i).is_some_and(|p| p >= cursor))
                .or_else(|| ties.iter().copied().find(|&i| !filled[i]))
                .or_else(|| m.first().map(|x| x.0));
            let Some(i) = pick else { continue };
            if filled[i] {
                out.issues.push(MapIssue {
                    kind: TableKind::Requests,
                    message: format!(
                        "row {} appears twice; the first reading is kept",
                        TABLE3_ROWS[i].label
                    ),
                    values: None,
                });
                continue;
            }
            filled[i] = true;
            if let Some(p) = pos_of(i) {
                cursor = p + 1;
            }
            assigned.push((i, r, best.min(1.0), false));
        } else if has_number(&r.values) && r.values.len() == T3_SPEC.n {
            // An unlabeled row: the next unfilled row in template order.
            let Some(p) = (cursor..seq.len()).find(|&p| !filled[seq[p]]) else {
                out.issues.push(MapIssue {
                    kind: TableKind::Requests,
                    message: "a row of numbers with no label and no place left in the table".into(),
                    values: None,
                });
                continue;
            };
            let i = seq[p];
            filled[i] = true;
            cursor = p + 1;
            out.issues.push(MapIssue {
                kind: TableKind::Requests,
                message: format!(
                    "row without a readable label placed as {} by template order",
                    TABLE3_ROWS[i].label
                ),
                values: None,
            });
            assigned.push((i, r, 0.0, true));
        }
    }
    if assigned.is_empty() {
        return;
    }
    out.found[1] = true;
    // Emit in template order.
    assigned.sort_by_key(|(i, ..)| seq.iter().position(|x| x == i).unwrap_or(usize::MAX));
    for (i, r, score, by_order) in assigned {
        let spec = &TABLE3_ROWS[i];
        if r.values.len() != T3_SPEC.n && r.columns.iter().all(Option::is_none) {
            out.issues.push(MapIssue {
                kind: TableKind::Requests,
                message: format!(
                    "row {} has {} values where 7 are expected; not read",
                    spec.label,
                    r.values.len()
                ),
                values: None,
            });
            continue;
        }
        for (v, c) in r.values.iter().zip(&r.columns) {
            let Some(c) = *c else { continue };
            let Some(col) = TABLE3_COLUMNS.get(c) else {
                continue;
            };
            out.fields.push(Field {
                key: format!("requests.{}.{}", spec.key, col.key),
                cell: parse_cell(v, false),
                evidence: Evidence {
                    label_score: score,
                    row_by_order: by_order,
                    column: r.evidence,
                    source: r.source,
                },
            });
        }
    }
    // Keep columns in template order within each row.
    sort_fields_by(&mut out.fields, "requests.", |k| {
        TABLE3_COLUMNS.iter().position(|c| {
            k.strip_suffix(c.key)
                .is_some_and(|head| head.ends_with('.'))
        })
    });
}

/// Stable re-sort of the fields under `prefix` by row (first appearance) then column order.
fn sort_fields_by(fields: &mut [Field], prefix: &str, col: impl Fn(&str) -> Option<usize>) {
    let start = fields.iter().position(|f| f.key.starts_with(prefix));
    let Some(start) = start else { return };
    let end = fields[start..]
        .iter()
        .position(|f| !f.key.starts_with(prefix))
        .map_or(fields.len(), |e| start + e);
    let slice = &mut fields[start..end];
    let row_of = |k: &str| k.rsplit_once('.').map_or("", |(r, _)| r).len();
    // Row rank (first appearance) and column of each field, computed once.
    let mut order: Vec<&str> = Vec::new();
    let mut keys: Vec<(usize, Option<usize>)> = Vec::with_capacity(slice.len());
    for f in slice.iter() {
        let r = &f.key[..row_of(&f.key)];
        let rank = match order.iter().position(|o| *o == r) {
            Some(p) => p,
            None => {
                order.push(r);
                order.len() - 1
            }
        };
        keys.push((rank, col(&f.key)));
    }
    let mut idx: Vec<usize> = (0..slice.len()).collect();
    idx.sort_by_key(|&i| keys[i]);
    // Apply the permutation in place: position i takes the field first at idx[i], which may
    // have moved already by an earlier swap (then it is found by following idx).
    for i in 0..idx.len() {
        let mut j = idx[i];
        while j < i {
            j = idx[j];
        }
        slice.swap(i, j);
    }
}

// ---------------------------------------------------------------- table 四

fn t4_resolve(stack: &[String]) -> Option<usize> {
    let group = stack
        .iter()
        .find_map(|t| resolve_in(t, ColumnSet::Table4Groups, 0.9).map(|x| x.0));
    let leaf = stack
        .iter()
        .rev()
        .find_map(|t| resolve_in(t, ColumnSet::Table4Leaves, 0.9).map(|x| x.0));
    match (group, leaf) {
        (Some(g), Some(l)) => Some(g * 5 + l),
        _ => None,
    }
}

fn t4_group_width(text: &str) -> Option<usize> {
    match normalize(text).as_str() {
        "行政复议" => Some(5),
        "行政诉讼" => Some(10),
        "未经复议直接起诉" | "复议后起诉" => Some(5),
        _ => None,
    }
}

fn t4_is_word(text: &str) -> bool {
    t4_group_width(text).is_some() || resolve_in(text, ColumnSet::Table4Leaves, 0.9).is_some()
}

pub const T4_SPEC: ColumnSpec = ColumnSpec {
    n: 15,
    resolve: t4_resolve,
    group_width: t4_group_width,
    is_word: t4_is_word,
};

fn map_table4(parts: &[Part<'_>], out: &mut Mapped) {
    let mut carry: Option<HeaderMap> = None;
    let mut done = [false; 3];
    // The group a five-value row belongs to, from a heading line before it ("### 行政复议").
    let mut pending_group: Option<usize> = None;
    let mut emitted: Vec<Field> = Vec::new();
    for part in parts {
        if let Part::Line { text, .. } = part {
            if text.chars().count() <= 20 {
                if let Some((g, _)) = resolve_in(text, ColumnSet::Table4Groups, 0.85) {
                    pending_group = Some(g);
                }
            }
        }
        let rows = part_rows(part, Some(&T4_SPEC), &mut carry);
        // A five-column table under its own group heading: its header names leaves only.
        let mut five_header: Option<Vec<Option<usize>>> = None;
        for r in rows {
            if r.header {
                let cols: Vec<Option<usize>> = r
                    .labels
                    .iter()
                    .map(|t| resolve_in(t, ColumnSet::Table4Leaves, 0.9).map(|x| x.0))
                    .collect();
                if cols.len() == 5 {
                    five_header = Some(cols);
                }
                if let Some(g) = r
                    .labels
                    .iter()
                    .find_map(|t| resolve_in(t, ColumnSet::Table4Groups, 0.85))
                {
                    pending_group = Some(g.0);
                }
                continue;
            }
            if !has_number(&r.values) && r.values.iter().all(|v| !v.trim().is_empty()) {
                continue;
            }
            let n = r.values.len();
            if n == 15 && r.columns.iter().all(Option::is_some) {
                if done.iter().any(|d| *d) {
                    out.issues.push(MapIssue {
                        kind: TableKind::Review,
                        message: "a second row of 15 values in table 四 is ignored".into(),
                        values: None,
                    });
                    continue;
                }
                for (v, c) in r.values.iter().zip(&r.columns) {
                    let Some(c) = *c else { continue };
                    emitted.push(t4_field(c / 5, c % 5, v, r.evidence, r.source));
                }
                done = [true; 3];
            } else if n == 5 {
                let g = pending_group
                    .take()
                    .or_else(|| done.iter().position(|d| !d));
                let Some(g) = g else { continue };
                if done[g] {
                    continue;
                }
                let (cols, ev) = match &five_header {
                    Some(h) if h.iter().all(Option::is_some) => (h.clone(), ColumnEvidence::Header),
                    _ => ((0..5).map(Some).collect(), ColumnEvidence::Position),
                };
                for (v, c) in r.values.iter().zip(&cols) {
                    if let Some(c) = c {
                        emitted.push(t4_field(g, *c, v, ev, r.source));
                    }
                }
                done[g] = true;
            } else if n > 0 && has_number(&r.values) {
                out.issues.push(MapIssue {
                    kind: TableKind::Review,
                    message: format!(
                        "table 四 row has {n} values where 15 are expected; not assigned by position"
                    ),
                    values: Some(n),
                });
            }
        }
    }
    if !emitted.is_empty() {
        out.found[2] = true;
        emitted.sort_by_key(|f| {
            let (g, c) = f.key.split_once('.').unwrap_or(("", ""));
            (
                TABLE4_GROUPS.iter().position(|x| x.0 == g),
                TABLE4_COLUMNS.iter().position(|x| x.key == c),
            )
        });
        out.fields.extend(emitted);
    }
}

fn t4_field(g: usize, c: usize, v: &str, column: ColumnEvidence, source: RowSource) -> Field {
    Field {
        key: format!("{}.{}", TABLE4_GROUPS[g].0, TABLE4_COLUMNS[c].key),
        cell: parse_cell(v, false),
        evidence: Evidence {
            label_score: 1.0,
            row_by_order: false,
            column,
            source,
        },
    }
}

// ---------------------------------------------------------------- table 二

/// A table 二 row label normalised for matching: without its enumerator, the part before any
/// note (head) and the whole (rest).
struct T2Label {
    head: String,
    rest: String,
}

impl T2Label {
    fn new(label: &str) -> T2Label {
        let (_, rest) = split_numbering(label);
        let head = rest.split(['（', '(']).next().unwrap_or(rest);
        T2Label {
            head: normalize(head),
            rest: normalize(rest),
        }
    }

    fn score(&self, spec: &Table2Row) -> f64 {
        best_similarity(&self.head, spec.aliases)
            .max(0.9 * best_similarity(&self.rest, spec.aliases))
    }
}

fn sub_row(label: &str) -> Option<&'static str> {
    let n = normalize(split_numbering(label).1);
    OTHER_SERVICES_SUBROWS
        .iter()
        .find(|(_, a)| a.contains(&n.as_str()))
        .map(|s| s.0)
}

fn map_table2(parts: &[Part<'_>], vintage: Vintage, out: &mut Mapped) {
    let rows_spec: Vec<&Table2Row> = TABLE2_ROWS
        .iter()
        .filter(|r| r.vintage == vintage)
        .collect();
    let mut carry = None;
    let mut header: Option<Vec<String>> = None;
    let mut parent: Option<&Table2Row> = None;
    let mut emitted: Vec<Field> = Vec::new();
    let mut seen_keys: Vec<String> = Vec::new();
    for part in parts {
        for r in part_rows(part, None, &mut carry) {
            let first = r
                .labels
                .iter()
                .map(|s| normalize(s))
                .find(|s| !s.is_empty())
                .unwrap_or_default();
            if first.starts_with("第二十条") {
                header = None;
                continue;
            }
            if first.starts_with("信息内容") {
                let mut h: Vec<String> = r
                    .labels
                    .iter()
                    .chain(r.values.iter())
                    .skip(1)
                    .cloned()
                    .collect();
                // "信息内容本年处理决定数量" run together in text renderings.
                if h.is_empty() {
                    h.push(first.trim_start_matches("信息内容").to_string());
                }
                header = Some(h);
                continue;
            }
            if r.values.is_empty() {
                continue;
            }
            // Row label: the main row, and a sub-row label when 其他对外管理服务事项 is split.
            let labels: Vec<&str> = r
                .labels
                .iter()
                .map(|s| s.trim())
                .filter(|s| !s.is_empty())
                .collect();
            let mut best: Option<(&Table2Row, f64)> = None;
            for l in &labels {
                let l = T2Label::new(l);
                for s in &rows_spec {
                    let sc = l.score(s);
                    if sc >= 0.75 && best.is_none_or(|(_, b)| sc > b) {
                        best = Some((s, sc));
                    }
                }
            }
            let sub = labels.last().and_then(|l| sub_row(l));
            let (spec, score, sub_key) = match (best, sub) {
                (Some((s, sc)), Some(sub)) if s.has_sub_rows => (s, sc, Some(sub)),
                (Some((s, sc)), _) => (s, sc, None),
                (None, Some(sub)) => match parent {
                    Some(p) if p.has_sub_rows => (p, 0.9, Some(sub)),
                    _ => continue,
                },
                (None, None) => {
                    if let (Some(p), Some(l)) = (parent, labels.last()) {
                        if p.has_sub_rows && labels.len() == 1 && r.values.len() == p.columns.len()
                        {
                            // An unknown sub-row of 其他对外管理服务事项: kept with its label.
                            let name = normalize(l);
                            push_t2(
                                &mut emitted,
                                &format!("proactive.other_services.{name}"),
                                p.columns,
                                &r,
                                header.as_deref(),
                                0.7,
                                out,
                            );
                            continue;
                        }
                    }
                    if let Some(l) = labels.first() {
                        // A provincial extra row: kept under proactive.extra with its label.
                        let name: String = normalize(l.split(['（', '(']).next().unwrap_or(l));
                        if !name.is_empty() && has_number(&r.values) {
                            let cols = header_columns(header.as_deref(), vintage).unwrap_or(&[]);
                            if !cols.is_empty() {
                                push_t2(
                                    &mut emitted,
                                    &format!("proactive.extra.{name}"),
                                    cols,
                                    &r,
                                    header.as_deref(),
                                    0.7,
                                    out,
                                );
                            }
                        }
                    }
                    continue;
                }
            };
            parent = Some(spec);
            let prefix = match sub_key {
                Some(s) => format!("proactive.{}.{}", spec.key, s),
                None => format!("proactive.{}", spec.key),
            };
            if seen_keys.contains(&prefix) {
                out.issues.push(MapIssue {
                    kind: TableKind::Proactive,
                    message: format!(
                        "row {} appears twice; the first reading is kept",
                        spec.label
                    ),
                    values: None,
                });
                continue;
            }
            seen_keys.push(prefix.clone());
            push_t2(
                &mut emitted,
                &prefix,
                spec.columns,
                &r,
                header.as_deref(),
                score.min(1.0),
                out,
            );
        }
    }
    if emitted.is_empty() {
        return;
    }
    out.found[0] = true;
    // Template order: main rows as in the template, sub-rows and extras after their row.
    let order = |k: &str| -> (usize, usize) {
        let rest = k.trim_start_matches("proactive.");
        let row = rest.split('.').next().unwrap_or("");
        let ri = rows_spec
            .iter()
            .position(|s| s.key == row)
            .unwrap_or(usize::MAX);
        (ri, 0)
    };
    emitted.sort_by_key(|f| order(&f.key));
    out.fields.extend(emitted);
}

/// The column set a header names, for rows the template does not know.
fn header_columns(header: Option<&[String]>, vintage: Vintage) -> Option<&'static [Table2Column]> {
    let h = header?;
    let sets: &[&'static [Table2Column]] = match vintage {
        Vintage::V2021 => &[T2_DOCS_2021, T2_DECISIONS_2021, T2_FEES_2021],
        Vintage::V2019 => &[
            T2_DOCS_2019,
            T2_ITEMS_2019,
            T2_FEE_ITEMS_2019,
            T2_PROCUREMENT_2019,
        ],
    };
    sets.iter().copied().find(|set| {
        set.len() == h.len()
            && h.iter()
                .zip(set.iter())
                .all(|(t, c)| best_similarity(&normalize(t), c.aliases) >= 0.8)
    })
}

/// Emits one table 二 row's fields, columns by header when it names them, else by position.
fn push_t2(
    emitted: &mut Vec<Field>,
    prefix: &str,
    columns: &[Table2Column],
    r: &SourceRow,
    header: Option<&[String]>,
    score: f64,
    out: &mut Mapped,
) {
    let values: Vec<&String> = {
        let mut v: Vec<&String> = r.values.iter().collect();
        while v.len() > columns.len() && v.last().is_some_and(|c| c.trim().is_empty()) {
            v.pop();
        }
        v
    };
    // Header reading: which column each header cell names.
    let mut by_header: Option<Vec<usize>> = None;
    if let Some(h) = header {
        let named: Vec<Option<usize>> = h
            .iter()
            .map(|t| {
                let n = normalize(t);
                let mut best: Option<(usize, f64)> = None;
                for (i, c) in columns.iter().enumerate() {
                    let s = best_similarity(&n, c.aliases);
                    if s >= 0.8 && best.is_none_or(|(_, b)| s > b) {
                        best = Some((i, s));
                    }
                }
                best.map(|b| b.0)
            })
            .collect();
        if named.len() == values.len() && named.iter().all(Option::is_some) {
            let cols: Vec<usize> = named.iter().flatten().copied().collect();
            let mut sorted = cols.clone();
            sorted.dedup();
            if sorted.len() == cols.len() {
                by_header = Some(cols);
            }
        }
    }
    let (cols, evidence): (Vec<usize>, ColumnEvidence) = match by_header {
        Some(c) => (c, ColumnEvidence::Header),
        None if values.len() == columns.len() => {
            let partial = header.is_some_and(|h| h.len() == values.len());
            (
                (0..columns.len()).collect(),
                if partial {
                    ColumnEvidence::HeaderPartial
                } else {
                    ColumnEvidence::Position
                },
            )
        }
        None => {
            out.issues.push(MapIssue {
                kind: TableKind::Proactive,
                message: format!(
                    "{prefix}: {} values for {} columns; not read",
                    values.len(),
                    columns.len()
                ),
                values: None,
            });
            return;
        }
    };
    for (v, c) in values.iter().zip(cols) {
        let col = &columns[c];
        let mut cell = parse_cell(v, col.money);
        if cell.state == CellState::Number && !col.signed && cell.raw.trim_start().starts_with('+')
        {
            // "+3" in an unsigned column is still 3; keep as read.
            cell.value = cell.value.map(f64::abs);
        }
        emitted.push(Field {
            key: format!("{prefix}.{}", col.key),
            cell,
            evidence: Evidence {
                label_score: score,
                row_by_order: false,
                column: evidence,
                source: r.source,
            },
        });
    }
}

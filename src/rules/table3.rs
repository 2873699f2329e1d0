//! Table 三 identities (勾稽关系).

use super::{
    check_identity, check_le, fmt_num, join_numbers, non_negative_integers, record_check,
    violation, Check, Context, Outcome, Term,
};
use crate::record::{Origin, Severity};
use crate::template::cell::CellState;
use crate::template::data::{Vintage, TABLE3_COLUMNS, TABLE3_ROWS};

pub const COL_DOC: &str = "Table 三, every column: 一、本年新收 + 二、上年结转 = （七）总计 + 四、结转下年度继续办理 (the identity printed in the table).";
pub const SUM_DOC: &str = "Table 三, every column: （七）总计 = （一）+（二）+（三）1–8 +（四）1–3 +（五）1–5 +（六） (one row in 2019, three in 2021).";
pub const ROW_DOC: &str = "Table 三, every row: 总计 = 自然人 + 商业企业 + 科研机构 + 社会公益组织 + 法律服务机构 + 其他.";

pub const NN_DOC: &str =
    "Table 三: every numeric cell is a non-negative whole number (a count of requests).";
pub const BOUND_DOC: &str = "Table 三, every column: 四、结转下年度 ≤ 一 + 二, and every result row ≤ （七）总计 (catches a wrong cell when a total is missing).";
pub const ZERO_DOC: &str = "Table 三: when 一[总计] + 二[总计] = 0 (no requests), every result row and 四 are 0 in every column.";
pub const SPLIT_DOC: &str = "Table 三, a row failing T3-ROW: if two adjacent single-digit cells read as one number (1 | 2 → 12) make it hold, the digits were split across cells by the reading (T3-ROW then counts as extraction).";
pub const SHIFT_DOC: &str = "Table 三: T3-COL fails in exactly two adjacent columns by equal and opposite amounts → a value sits one column off in the reading (T3-COL then counts as extraction).";

pub type Identity = (Vec<Term>, Vec<Term>);

/// Index of a table 三 row in `TABLE3_ROWS`.
fn row_index(key: &str) -> usize {
    TABLE3_ROWS
        .iter()
        .position(|r| r.key == key)
        .expect("a row of the template")
}

/// Index of the 总计 column in `TABLE3_COLUMNS`.
fn total_col() -> usize {
    TABLE3_COLUMNS
        .iter()
        .position(|c| c.key == "total")
        .expect("a column of the template")
}

fn term(row: usize, col: usize) -> Term {
    Term::requests(row, col)
}

/// The result rows summed into （七）总计 (indices into `TABLE3_ROWS`), for the table's
/// vintage or hybrid shape.
fn result_rows(ctx: &Context) -> Vec<usize> {
    let has = |k: &str| {
        ctx.mapped.fields.iter().any(|f| {
            f.key
                .strip_prefix("requests.")
                .and_then(|rest| rest.strip_prefix(k))
                .is_some_and(|rest| rest.starts_with('.'))
        })
    };
    let single_other =
        has("other") || (ctx.vintage() == Some(Vintage::V2019) && !has("other_misc"));
    TABLE3_ROWS
        .iter()
        .enumerate()
        .filter(|(_, r)| r.group >= 1 && r.group <= 6)
        .filter(|(_, r)| match r.key {
            "other" => single_other,
            "other_overdue_correction" | "other_overdue_fee" | "other_misc" => !single_other,
            _ => true,
        })
        .map(|(i, _)| i)
        .collect()
}

fn col_ids() -> Vec<(Identity, &'static str)> {
    let (new, carried) = (row_index("new"), row_index("carried_over"));
    let (total, forward) = (row_index("total"), row_index("carry_forward"));
    TABLE3_COLUMNS
        .iter()
        .enumerate()
        .map(|(c, col)| {
            (
                (
                    vec![term(new, c), term(carried, c)],
                    vec![term(total, c), term(forward, c)],
                ),
                col.label,
            )
        })
        .collect()
}

fn sum_ids(ctx: &Context) -> Vec<(Identity, &'static str)> {
    let rows = result_rows(ctx);
    let total = row_index("total");
    TABLE3_COLUMNS
        .iter()
        .enumerate()
        .map(|(c, col)| {
            (
                (
                    vec![term(total, c)],
                    rows.iter().map(|&r| term(r, c)).collect(),
                ),
                col.label,
            )
        })
        .collect()
}

fn row_keys(ctx: &Context) -> Vec<usize> {
    let mut rows = vec![row_index("new"), row_index("carried_over")];
    rows.extend(result_rows(ctx));
    rows.extend([row_index("total"), row_index("carry_forward")]);
    rows
}

fn row_ids(ctx: &Context) -> Vec<(Identity, &'static str)> {
    let total = total_col();
    row_keys(ctx)
        .into_iter()
        .map(|r| {
            (
                (
                    vec![term(r, total)],
                    (0..TABLE3_COLUMNS.len())
                        .filter(|&c| c != total)
                        .map(|c| term(r, c))
                        .collect(),
                ),
                TABLE3_ROWS[r].label,
            )
        })
        .collect()
}

/// Every table 三 identity, for the confidence model.
pub fn identities(ctx: &Context) -> Vec<Identity> {
    if !ctx.mapped.found[1] {
        return vec![];
    }
    col_ids()
        .into_iter()
        .chain(sum_ids(ctx))
        .chain(row_ids(ctx))
        .map(|x| x.0)
        .collect()
}

fn run(
    ctx: &Context,
    out: &mut Outcome,
    ids: Vec<(Identity, &'static str)>,
    message: impl Fn(&str, &[f64], &[f64]) -> String,
) {
    if !ctx.mapped.found[1] {
        return;
    }
    for ((left, right), name) in ids {
        let check = check_identity(ctx, &left, &right);
        record_check(
            ctx,
            out,
            Severity::Error,
            check,
            &[&left, &right],
            |l, r| message(name, l, r),
        );
    }
}

pub fn col(ctx: &Context, out: &mut Outcome) {
    run(ctx, out, col_ids(), |c, l, r| {
        format!(
            "一+二 ≠ （七）+四 in {c}: {} ≠ {}",
            join_numbers(l),
            join_numbers(r)
        )
    });
    // A failure T3-SHIFT explains is more likely our misreading than the document's.
    if let Some(s) = shift_explanation(ctx) {
        for v in &mut out.violations {
            if [s.left, s.right]
                .iter()
                .any(|c| v.fields.contains(&format!("requests.new.{c}")))
            {
                v.origin = Origin::Extraction;
                v.message.push_str(" (T3-SHIFT: a value one column off?)");
            }
        }
    }
}

pub fn sum(ctx: &Context, out: &mut Outcome) {
    run(ctx, out, sum_ids(ctx), |c, l, r| {
        format!(
            "（七）总计 ≠ sum of the result rows in {c}: {} ≠ {}",
            join_numbers(l),
            fmt_num(r.iter().sum())
        )
    });
}

pub fn row(ctx: &Context, out: &mut Outcome) {
    run(ctx, out, row_ids(ctx), |r, l, rr| {
        format!(
            "总计 ≠ sum of the applicant columns in {r}: {} ≠ {}",
            join_numbers(l),
            join_numbers(rr)
        )
    });
    // A failure T3-SPLIT explains is more likely our misreading than the document's.
    for v in &mut out.violations {
        let row = v
            .fields
            .first()
            .and_then(|k| k.strip_prefix("requests."))
            .and_then(|k| k.split('.').next())
            .and_then(|k| TABLE3_ROWS.iter().position(|r| r.key == k));
        if row.is_some_and(|r| split_explanation(ctx, r).is_some()) {
            v.origin = Origin::Extraction;
            v.message
                .push_str(" (T3-SPLIT: digits split across cells?)");
        }
    }
}

pub fn nn(ctx: &Context, out: &mut Outcome) {
    non_negative_integers(
        out,
        Severity::Error,
        ctx.mapped
            .fields
            .iter()
            .filter(|f| f.key.starts_with("requests.")),
        |_| false,
        |_| false,
    );
}

pub fn bound(ctx: &Context, out: &mut Outcome) {
    if !ctx.mapped.found[1] {
        return;
    }
    let (new, carried) = (row_index("new"), row_index("carried_over"));
    let (total, forward) = (row_index("total"), row_index("carry_forward"));
    let mut check = |left: &[Term], right: &[Term], row: Option<usize>, c: usize| {
        let check = check_le(ctx, left, right);
        record_check(ctx, out, Severity::Error, check, &[left, right], |l, r| {
            let col = TABLE3_COLUMNS[c].label;
            // The row named in the message: None for 四、结转下年度 > 一 + 二.
            let what = match row {
                None => format!("四、结转下年度 > 一 + 二 in {col}"),
                Some(r) => format!("{} > （七）总计 in {col}", TABLE3_ROWS[r].label),
            };
            format!("{what}: {} > {}", join_numbers(l), join_numbers(r))
        });
    };
    for c in 0..TABLE3_COLUMNS.len() {
        check(
            &[term(forward, c)],
            &[term(new, c), term(carried, c)],
            None,
            c,
        );
    }
    for r in result_rows(ctx) {
        for c in 0..TABLE3_COLUMNS.len() {
            check(&[term(r, c)], &[term(total, c)], Some(r), c);
        }
    }
}

pub fn zero(ctx: &Context, out: &mut Outcome) {
    if !ctx.mapped.found[1] {
        return;
    }
    let mut any_number = false;
    let mut received = 0.0;
    for k in ["requests.new.total", "requests.carried_over.total"] {
        let Some(f) = ctx.field(k) else {
            out.assessment.not_assessable += 1;
            return;
        };
        match f.cell.state {
            CellState::Number => {
                any_number = true;
                received += f.cell.value.unwrap_or(0.0);
            }
            CellState::Blank => {}
            CellState::Na | CellState::Text => {
                out.assessment.not_assessable += 1;
                return;
            }
        }
    }
    if !any_number || received != 0.0 {
        return;
    }
    let mut rows = result_rows(ctx);
    rows.extend([row_index("total"), row_index("carry_forward")]);
    let nonzero: Vec<(String, f64)> = rows
        .iter()
        .flat_map(|&r| (0..TABLE3_COLUMNS.len()).map(move |c| term(r, c)))
        .filter_map(|t| {
            let v = ctx
                .term(&t)
                .filter(|f| f.cell.state == CellState::Number)
                .and_then(|f| f.cell.value)?;
            (v != 0.0).then(|| (t.key.into_owned(), v))
        })
        .collect();
    if nonzero.is_empty() {
        out.assessment.passed += 1;
        return;
    }
    out.assessment.failed += 1;
    let shown: Vec<String> = nonzero
        .iter()
        .take(6)
        .map(|(k, v)| format!("{k} = {}", fmt_num(*v)))
        .collect();
    let more = if nonzero.len() > 6 {
        format!(" and {} more", nonzero.len() - 6)
    } else {
        String::new()
    };
    out.violations.push(violation(
        Severity::Error,
        Origin::Source,
        format!(
            "一[总计] + 二[总计] = 0 but results are reported: {}{more}",
            shown.join(", ")
        ),
        nonzero.into_iter().map(|x| x.0).collect(),
    ));
}

/// A row's seven cells (six applicant columns, then 总计) with blanks read as 0; None when a
/// cell is missing, `/` or text.
fn row_values(ctx: &Context, row: usize) -> Option<Vec<(f64, bool)>> {
    (0..TABLE3_COLUMNS.len())
        .map(|c| {
            let f = ctx.term(&term(row, c))?;
            match f.cell.state {
                CellState::Number => f.cell.value.map(|v| (v, true)),
                CellState::Blank => Some((0.0, false)),
                _ => None,
            }
        })
        .collect()
}

fn row_holds(v: &[f64]) -> bool {
    let n = v.len();
    (v[..n - 1].iter().sum::<f64>() - v[n - 1]).abs() < 1e-6
}

/// How reading two adjacent single-digit cells of row `row` (index into `TABLE3_ROWS`) as one
/// number makes T3-ROW hold: (left column, right column, merged number). Tried with the number
/// in either cell and the other read as 0 (the cell the split digit pushed aside).
pub fn split_explanation(ctx: &Context, row: usize) -> Option<(&'static str, &'static str, f64)> {
    let cells = row_values(ctx, row)?;
    let v: Vec<f64> = cells.iter().map(|c| c.0).collect();
    if row_holds(&v) {
        return None;
    }
    let digit = |(x, number): (f64, bool)| number && x.fract() == 0.0 && (0.0..=9.0).contains(&x);
    for i in 0..v.len() - 1 {
        if !(digit(cells[i]) && digit(cells[i + 1])) || v[i] == 0.0 {
            continue;
        }
        let merged = v[i] * 10.0 + v[i + 1];
        for at in [i, i + 1] {
            let mut w = v.clone();
            w[i] = 0.0;
            w[i + 1] = 0.0;
            w[at] = merged;
            if row_holds(&w) {
                return Some((TABLE3_COLUMNS[i].label, TABLE3_COLUMNS[i + 1].label, merged));
            }
        }
    }
    None
}

pub fn split(ctx: &Context, out: &mut Outcome) {
    if !ctx.mapped.found[1] {
        return;
    }
    for r in row_keys(ctx) {
        let (row, key) = (TABLE3_ROWS[r].label, TABLE3_ROWS[r].key);
        if let Some((a, b, merged)) = split_explanation(ctx, r) {
            let va = ctx
                .number(&format!("requests.{key}.{}", col_key(a)))
                .unwrap_or(0.0);
            let vb = ctx
                .number(&format!("requests.{key}.{}", col_key(b)))
                .unwrap_or(0.0);
            out.assessment.failed += 1;
            out.violations.push(violation(
                Severity::Warning,
                Origin::Extraction,
                format!(
                    "digits split across cells in {row}? {a} {} | {b} {} read as {} makes 总计 = sum hold",
                    fmt_num(va),
                    fmt_num(vb),
                    fmt_num(merged)
                ),
                vec![
                    format!("requests.{key}.{}", col_key(a)),
                    format!("requests.{key}.{}", col_key(b)),
                ],
            ));
        }
    }
}

fn col_key(label: &str) -> &'static str {
    TABLE3_COLUMNS
        .iter()
        .find(|c| c.label == label)
        .map_or("", |c| c.key)
}

/// Two adjacent columns failing T3-COL by equal and opposite amounts.
pub struct Shift {
    pub left: &'static str,
    pub right: &'static str,
    /// (一+二) − (（七）+四) in the left column.
    pub delta: f64,
}

pub fn shift_explanation(ctx: &Context) -> Option<Shift> {
    if !ctx.mapped.found[1] {
        return None;
    }
    let mut failing = Vec::new();
    for (i, ((left, right), _)) in col_ids().into_iter().enumerate() {
        if let Check::Fail {
            left: l, right: r, ..
        } = check_identity(ctx, &left, &right)
        {
            failing.push((i, l.iter().sum::<f64>() - r.iter().sum::<f64>()));
        }
    }
    match failing[..] {
        [(i, d1), (j, d2)] if j == i + 1 && (d1 + d2).abs() < 1e-6 => Some(Shift {
            left: TABLE3_COLUMNS[i].key,
            right: TABLE3_COLUMNS[j].key,
            delta: d1,
        }),
        _ => None,
    }
}

pub fn shift(ctx: &Context, out: &mut Outcome) {
    let Some(s) = shift_explanation(ctx) else {
        return;
    };
    let label = |k: &str| {
        TABLE3_COLUMNS
            .iter()
            .find(|c| c.key == k)
            .map_or("", |c| c.label)
    };
    out.assessment.failed += 1;
    out.violations.push(violation(
        Severity::Warning,
        Origin::Extraction,
        format!(
            "column shift? 一+二 − （七）−四 is {} in {} and {} in {}: a value read one column off",
            fmt_num(s.delta),
            label(s.left),
            fmt_num(-s.delta),
            label(s.right)
        ),
        ["new", "carried_over", "total", "carry_forward"]
            .iter()
            .flat_map(|r| [s.left, s.right].map(|c| format!("requests.{r}.{c}")))
            .collect(),
    ));
}

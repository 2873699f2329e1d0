//! Table 三 identities (勾稽关系).

use super::{check_identity, fmt_num, join_numbers, record_check, Context, Outcome, Term};
use crate::record::Severity;
use crate::template::data::{Vintage, TABLE3_COLUMNS, TABLE3_ROWS};

pub const COL_DOC: &str = "Table 三, every column: 一、本年新收 + 二、上年结转 = （七）总计 + 四、结转下年度继续办理 (the identity printed in the table).";
pub const SUM_DOC: &str = "Table 三, every column: （七）总计 = （一）+（二）+（三）1–8 +（四）1–3 +（五）1–5 +（六） (one row in 2019, three in 2021).";
pub const ROW_DOC: &str = "Table 三, every row: 总计 = 自然人 + 商业企业 + 科研机构 + 社会公益组织 + 法律服务机构 + 其他.";

pub type Identity = (Vec<Term<'static>>, Vec<Term<'static>>);

fn label(key: &str) -> &'static str {
    TABLE3_ROWS
        .iter()
        .find(|r| r.key == key)
        .map_or("", |r| r.label)
}

fn term(row: &str, col: &str) -> Term<'static> {
    Term {
        key: format!("requests.{row}.{col}"),
        label: label(row),
    }
}

/// The result rows summed into （七）总计, for the table's vintage or hybrid shape.
fn result_rows(ctx: &Context) -> Vec<&'static str> {
    let has = |k: &str| {
        ctx.mapped
            .fields
            .iter()
            .any(|f| f.key.starts_with(&format!("requests.{k}.")))
    };
    let single_other =
        has("other") || (ctx.vintage() == Some(Vintage::V2019) && !has("other_misc"));
    TABLE3_ROWS
        .iter()
        .filter(|r| r.group >= 1 && r.group <= 6)
        .filter(|r| match r.key {
            "other" => single_other,
            "other_overdue_correction" | "other_overdue_fee" | "other_misc" => !single_other,
            _ => true,
        })
        .map(|r| r.key)
        .collect()
}

fn col_ids() -> Vec<(Identity, &'static str)> {
    TABLE3_COLUMNS
        .iter()
        .map(|c| {
            (
                (
                    vec![term("new", c.key), term("carried_over", c.key)],
                    vec![term("total", c.key), term("carry_forward", c.key)],
                ),
                c.label,
            )
        })
        .collect()
}

fn sum_ids(ctx: &Context) -> Vec<(Identity, &'static str)> {
    let rows = result_rows(ctx);
    TABLE3_COLUMNS
        .iter()
        .map(|c| {
            (
                (
                    vec![term("total", c.key)],
                    rows.iter().map(|r| term(r, c.key)).collect(),
                ),
                c.label,
            )
        })
        .collect()
}

fn row_ids(ctx: &Context) -> Vec<(Identity, &'static str)> {
    let mut rows: Vec<&'static str> = vec!["new", "carried_over"];
    rows.extend(result_rows(ctx));
    rows.extend(["total", "carry_forward"]);
    rows.into_iter()
        .map(|r| {
            (
                (
                    vec![term(r, "total")],
                    TABLE3_COLUMNS
                        .iter()
                        .filter(|c| c.key != "total")
                        .map(|c| term(r, c.key))
                        .collect(),
                ),
                label(r),
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
        let keys = left.iter().chain(&right).map(|t| t.key.clone()).collect();
        let check = check_identity(ctx, &left, &right);
        record_check(ctx, out, Severity::Error, check, keys, |l, r| {
            message(name, l, r)
        });
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
}

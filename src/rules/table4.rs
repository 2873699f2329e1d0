//! Table 四 identities.

use super::table3::Identity;
use super::{check_identity, join_numbers, record_check, Context, Outcome, Term};
use crate::record::Severity;
use crate::template::data::{TABLE4_COLUMNS, TABLE4_GROUPS};

pub const SUM_DOC: &str = "Table 四, for 行政复议, 未经复议直接起诉 and 复议后起诉: 结果维持 + 结果纠正 + 其他结果 + 尚未审结 = 总计.";

fn ids() -> Vec<(Identity, &'static str)> {
    TABLE4_GROUPS
        .iter()
        .map(|(g, glabel, _)| {
            let t = |c: &str| Term {
                key: format!("{g}.{c}"),
                label: glabel,
            };
            (
                (
                    TABLE4_COLUMNS
                        .iter()
                        .filter(|c| c.key != "total")
                        .map(|c| t(c.key))
                        .collect(),
                    vec![t("total")],
                ),
                *glabel,
            )
        })
        .collect()
}

pub fn identities(ctx: &Context) -> Vec<Identity> {
    if !ctx.mapped.found[2] {
        return vec![];
    }
    ids().into_iter().map(|x| x.0).collect()
}

pub fn sum(ctx: &Context, out: &mut Outcome) {
    if !ctx.mapped.found[2] {
        return;
    }
    for ((left, right), glabel) in ids() {
        let keys = left.iter().chain(&right).map(|t| t.key.clone()).collect();
        let check = check_identity(ctx, &left, &right);
        record_check(ctx, out, Severity::Error, check, keys, |l, r| {
            format!(
                "维持+纠正+其他+尚未审结 ≠ 总计 in {glabel}: {} ≠ {}",
                join_numbers(l),
                join_numbers(r)
            )
        });
    }
}

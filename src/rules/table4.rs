//! Table 四 identities.

use super::table3::Identity;
use super::{
    check_identity, join_numbers, non_negative_integers, record_check, violation, Context, Outcome,
    Term,
};
use crate::layout::regions::TableKind;
use crate::record::{Origin, Severity};
use crate::template::data::{TABLE4_COLUMNS, TABLE4_GROUPS};

pub const SUM_DOC: &str = "Table 四, for 行政复议, 未经复议直接起诉 and 复议后起诉: 结果维持 + 结果纠正 + 其他结果 + 尚未审结 = 总计.";

pub const NN_DOC: &str =
    "Table 四: every numeric cell is a non-negative whole number (a count of cases).";
pub const COUNT_DOC: &str = "Table 四: the data row has exactly 15 values (3 groups × 5 columns); a row with another count is not assigned by position and is flagged as our reading's failure.";

fn ids() -> Vec<(Identity, &'static str)> {
    TABLE4_GROUPS
        .iter()
        .enumerate()
        .map(|(g, (_, glabel, _))| {
            let total = TABLE4_COLUMNS.iter().position(|c| c.key == "total");
            (
                (
                    (0..TABLE4_COLUMNS.len())
                        .filter(|c| Some(*c) != total)
                        .map(|c| Term::review(g, c))
                        .collect(),
                    total.map(|c| Term::review(g, c)).into_iter().collect(),
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
        let check = check_identity(ctx, &left, &right);
        record_check(
            ctx,
            out,
            Severity::Error,
            check,
            &[&left, &right],
            |l, r| {
                format!(
                    "维持+纠正+其他+尚未审结 ≠ 总计 in {glabel}: {} ≠ {}",
                    join_numbers(l),
                    join_numbers(r)
                )
            },
        );
    }
}

pub fn nn(ctx: &Context, out: &mut Outcome) {
    non_negative_integers(
        out,
        Severity::Error,
        ctx.mapped.fields.iter().filter(|f| {
            TABLE4_GROUPS
                .iter()
                .any(|(g, _, _)| f.key.strip_prefix(g).is_some_and(|r| r.starts_with('.')))
        }),
        |_| false,
        |_| false,
    );
}

pub fn count(ctx: &Context, out: &mut Outcome) {
    let complete = ctx.mapped.found[2]
        && (0..TABLE4_GROUPS.len())
            .all(|g| (0..TABLE4_COLUMNS.len()).all(|c| ctx.term(&Term::review(g, c)).is_some()));
    let mut flagged = false;
    for issue in &ctx.mapped.issues {
        let (TableKind::Review, Some(n)) = (issue.kind, issue.values) else {
            continue;
        };
        flagged = true;
        out.assessment.failed += 1;
        // With all 15 cells read from another row, the odd row is a stray line (a page
        // number, a footnote): worth a look, not an error.
        let (severity, what) = if complete {
            (
                Severity::Warning,
                "ignored; the 15 cells were read from another row",
            )
        } else {
            (Severity::Error, "not assigned, so table 四 is incomplete")
        };
        out.violations.push(violation(
            severity,
            Origin::Extraction,
            format!("table 四: a row of {n} values where 15 are expected, {what}"),
            vec![],
        ));
    }
    if !flagged && complete {
        out.assessment.passed += 1;
    }
}

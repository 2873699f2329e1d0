//! Table 二 checks.

use super::{
    check_le, fmt_num, join_numbers, non_negative_integers, record_check, violation, Context,
    Outcome, Term,
};
use crate::record::{Origin, Severity, Violation};
use crate::template::cell::NumberNote;
use crate::template::data::{Vintage, TABLE2_ROWS};

pub const NN_DOC: &str = "Table 二: counts are non-negative whole numbers; money (万元) may be decimal; 2019 本年增/减 may be negative.";
pub const PREV_DOC: &str = "Table 二 (2021), 规章 and 行政规范性文件: 现行有效件数 + 本年废止件数 ≥ 本年制发件数 (last year's count in force cannot be negative).";
pub const RULE_LEVEL_DOC: &str =
    "Table 二: a 街道/乡/镇/苏木 cannot make 规章, so its 规章 row should be 0.";
pub const NORM_LEVEL_DOC: &str =
    "Table 二: a 街道办事处 reporting 行政规范性文件 本年制发 > 0 is unusual (review, not an error).";
pub const PUB19_DOC: &str =
    "Table 二 (2019), 规章 and 规范性文件: 本年新公开数量 ≤ 对外公开总数量 (a cumulative count).";
pub const ITEMS19_DOC: &str =
    "Table 二 (2019), item rows: 上一年项目数量 + 本年增/减 ≥ 0 (this year's item count).";

/// Organisation name endings of a 街道/乡/镇/苏木 (which cannot make 规章).
const LOCAL_ENDINGS: &[&str] = &[
    "街道",
    "街道办事处",
    "街道办",
    "镇",
    "乡",
    "苏木",
    "镇人民政府",
    "乡人民政府",
    "苏木人民政府",
    "镇政府",
    "乡政府",
];
const STREET_ENDINGS: &[&str] = &["街道", "街道办事处", "街道办"];

fn org_ends_with(ctx: &Context, endings: &[&str]) -> bool {
    ctx.organization
        .map(str::trim)
        .is_some_and(|o| endings.iter().any(|e| o.ends_with(e)))
}

fn term(key: &str) -> Term {
    Term::key(format!("proactive.{key}"))
}

pub fn nn(ctx: &Context, out: &mut Outcome) {
    non_negative_integers(
        out,
        Severity::Error,
        ctx.mapped
            .fields
            .iter()
            .filter(|f| f.key.starts_with("proactive.")),
        |k| k.ends_with(".amount"),
        |k| k.ends_with(".change"),
    );
}

pub fn prev(ctx: &Context, out: &mut Outcome) {
    if ctx.vintage() != Some(Vintage::V2021) {
        return;
    }
    for (row, name) in [("rules", "规章"), ("normative", "行政规范性文件")] {
        let left = [term(&format!("{row}.issued"))];
        let right = [
            term(&format!("{row}.in_force")),
            term(&format!("{row}.repealed")),
        ];
        let check = check_le(ctx, &left, &right);
        record_check(
            ctx,
            out,
            Severity::Warning,
            check,
            &[&left, &right],
            |l, r| {
                format!(
                    "{name}: 本年制发件数 > 现行有效件数 + 本年废止件数: {} > {}",
                    join_numbers(l),
                    join_numbers(r)
                )
            },
        );
    }
}

/// The table 二 cells above 0 among `keys`.
fn positive(ctx: &Context, keys: &[&str]) -> Vec<(String, f64)> {
    keys.iter()
        .map(|k| format!("proactive.{k}"))
        .filter_map(|k| ctx.number(&k).filter(|v| *v > 0.0).map(|v| (k, v)))
        .collect()
}

fn level(
    ctx: &Context,
    out: &mut Outcome,
    endings: &[&str],
    keys: &[&str],
    severity: Severity,
    what: &str,
) {
    if !org_ends_with(ctx, endings) || !ctx.mapped.found[0] {
        return;
    }
    let found = positive(ctx, keys);
    if found.is_empty() {
        out.assessment.passed += 1;
        return;
    }
    out.assessment.failed += 1;
    let list: Vec<String> = found
        .iter()
        .map(|(k, v)| format!("{k} = {}", fmt_num(*v)))
        .collect();
    out.violations.push(violation(
        severity,
        Origin::Source,
        format!(
            "{} {what}: {}",
            ctx.organization.unwrap_or_default(),
            list.join(", ")
        ),
        found.into_iter().map(|x| x.0).collect(),
    ));
}

pub fn rule_level(ctx: &Context, out: &mut Outcome) {
    let keys: &[&str] = match ctx.vintage() {
        Some(Vintage::V2019) => &["rules.made", "rules.published", "rules.total_published"],
        _ => &["rules.issued", "rules.repealed", "rules.in_force"],
    };
    level(
        ctx,
        out,
        LOCAL_ENDINGS,
        keys,
        Severity::Warning,
        "cannot make 规章 but reports 规章",
    );
}

pub fn norm_level(ctx: &Context, out: &mut Outcome) {
    let keys: &[&str] = match ctx.vintage() {
        Some(Vintage::V2019) => &["normative.made"],
        _ => &["normative.issued"],
    };
    level(
        ctx,
        out,
        STREET_ENDINGS,
        keys,
        Severity::Info,
        "is a 街道办事处 and reports 行政规范性文件 made this year",
    );
}

pub fn pub19(ctx: &Context, out: &mut Outcome) {
    if ctx.vintage() != Some(Vintage::V2019) {
        return;
    }
    for (row, name) in [("rules", "规章"), ("normative", "规范性文件")] {
        let left = [term(&format!("{row}.published"))];
        let right = [term(&format!("{row}.total_published"))];
        let check = check_le(ctx, &left, &right);
        record_check(
            ctx,
            out,
            Severity::Warning,
            check,
            &[&left, &right],
            |l, r| {
                format!(
                    "{name}: 本年新公开数量 > 对外公开总数量: {} > {}",
                    join_numbers(l),
                    join_numbers(r)
                )
            },
        );
    }
}

pub fn items19(ctx: &Context, out: &mut Outcome) {
    if ctx.vintage() != Some(Vintage::V2019) {
        return;
    }
    // Every row (and 其他对外管理服务事项 sub-row) with 上一年项目数量 and 本年增/减.
    let prefixes: Vec<String> = ctx
        .mapped
        .fields
        .iter()
        .filter_map(|f| f.key.strip_suffix(".prev_items"))
        .filter_map(|p| p.strip_prefix("proactive."))
        .map(str::to_string)
        .collect();
    for p in prefixes {
        let row = p.split('.').next().unwrap_or_default();
        let name = TABLE2_ROWS
            .iter()
            .find(|r| r.key == row && r.vintage == Vintage::V2019)
            .map_or(row, |r| r.label);
        let right = [
            term(&format!("{p}.prev_items")),
            term(&format!("{p}.change")),
        ];
        let check = check_le(ctx, &[], &right);
        record_check(ctx, out, Severity::Error, check, &[&right], |_, r| {
            format!(
                "{name} ({p}): 上一年项目数量 + 本年增/减 < 0: {} = {}",
                join_numbers(r),
                fmt_num(r.iter().sum())
            )
        });
    }
}

pub const UNIT_DOC: &str =
    "Table 二 money is in 万元; a cell written in 元 (`251000元`) is converted and flagged.";

pub fn unit(ctx: &Context, out: &mut Outcome) {
    for f in ctx
        .mapped
        .fields
        .iter()
        .filter(|f| f.key.starts_with("proactive."))
    {
        if f.cell.notes.contains(&NumberNote::Yuan) {
            let v = f.cell.value.map(super::fmt_num).unwrap_or_default();
            out.assessment.failed += 1;
            out.violations.push(Violation {
                rule: String::new(),
                severity: Severity::Warning,
                origin: Origin::Source,
                message: format!("{} written in 元: {} read as {v} 万元", f.key, f.cell.raw),
                fields: vec![f.key.clone()],
            });
        }
    }
}

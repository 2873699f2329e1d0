//! Narrative against tables (rules.md §5): numbers the text states, compared with the table
//! quantities they may mean. Reports word these loosely and real ones contradict themselves,
//! so every finding is a warning (N-FEE an info), and a phrase is only flagged when no reading
//! of it matches: "受理 N 件" may be 一 or 一+二; "办结 1191 件（含上年结转 189 件）" is
//! （七）, not 一+二. A reading that involves a blank cell and does not match is not assessed.

use super::text::{after_keyword, before_keyword, clause_slices, Hit};
use super::{fmt_num, violation, Context, Outcome};
use crate::record::{Origin, Severity};
use crate::template::cell::CellState;
use crate::template::data::{Vintage, TABLE3_ROWS};

pub const RECV_DOC: &str =
    "Narrative \"收到/新收/受理…申请 N 件\" = 一[总计] (or 一+二); \"上年结转 N 件\" = 二[总计].";
pub const DONE_DOC: &str = "Narrative \"办结/办理/答复 N 件\" = （七）[总计] (or 一+二).";
pub const CARRY_DOC: &str =
    "Narrative \"结转下年度/结转下一年/转下一年度 N 件\" = 四、结转下年度继续办理[总计].";
pub const CAT_DOC: &str = "Narrative \"予以公开 a 件，部分公开 b 件，不予公开 c 件，无法提供 d 件，不予处理 e 件，其他处理 f 件\" = （一）, （二）, Σ（三）, Σ（四）, Σ（五）, Σ（六） in 总计.";
pub const APPL_DOC: &str = "Narrative \"自然人申请 x 件，法人或其他组织申请 y 件\" = the 自然人 / 法人或其他组织 columns of 一+二 (or 一).";
pub const REVIEW_DOC: &str =
    "Narrative \"行政复议 N 件/起\" (or \"N 件…行政复议\") = table 四 行政复议[总计].";
pub const SUIT_DOC: &str =
    "Narrative \"行政诉讼 M 件\" = 未经复议直接起诉[总计] + 复议后起诉[总计] (or either).";
pub const NONE_DOC: &str = "Narrative \"未收到…申请\" means 一[总计] = 0; \"未发生…行政复议/行政诉讼\" means their totals are 0 (\"未发生…被纠错/败诉\" is not read as none).";
pub const FEE_DOC: &str = "Table 三 （六）2 逾期未缴费 > 0 but part 六 never mentions 信息处理费.";
pub const YEAR_DOC: &str = "The title year equals the year of the stated 统计期限 \"YYYY年1月1日至YYYY年12月31日\" (warning: the title is read by us and may be the site's).";

const LP: &[&str] = &[
    "commercial",
    "research",
    "social_org",
    "legal_service",
    "other_org",
];

/// A table quantity a phrase may mean: name for messages, and the cells summed.
struct Reading {
    name: String,
    keys: Vec<String>,
}

fn reading(name: &str, keys: Vec<String>) -> Reading {
    Reading {
        name: name.to_string(),
        keys,
    }
}

fn t3(row: &str, col: &str) -> String {
    format!("requests.{row}.{col}")
}

/// Σ of cells with blanks read as 0: (value, a blank took part). None when a cell is missing,
/// `/` or text, or all are blank.
fn value(ctx: &Context, keys: &[String]) -> Option<(f64, bool)> {
    let mut sum = 0.0;
    let mut blanks = false;
    let mut numbers = false;
    for k in keys {
        let f = ctx.field(k)?;
        match f.cell.state {
            CellState::Number => {
                numbers = true;
                sum += f.cell.value?;
            }
            CellState::Blank => blanks = true,
            _ => return None,
        }
    }
    numbers.then_some((sum, blanks))
}

/// The rows of a table 三 group （一）…（六） present in this report, in the 总计 column.
fn group_total(ctx: &Context, group: u8) -> Vec<String> {
    TABLE3_ROWS
        .iter()
        .filter(|r| r.group == group)
        .map(|r| t3(r.key, "total"))
        .filter(|k| ctx.field(k).is_some())
        .collect()
}

/// Compares each phrase with its readings: passes when one matches, is not assessed when a
/// non-matching reading involves blanks or cannot be computed, warns otherwise.
fn judge(ctx: &Context, out: &mut Outcome, hits: Vec<Hit>, readings: &[Reading]) {
    for hit in hits {
        let values: Vec<Option<(f64, bool)>> =
            readings.iter().map(|r| value(ctx, &r.keys)).collect();
        if values
            .iter()
            .flatten()
            .any(|(v, _)| (v - hit.value).abs() < 1e-6)
        {
            out.assessment.passed += 1;
            continue;
        }
        if values.iter().any(|v| v.is_none_or(|(_, blanks)| blanks)) {
            out.assessment.not_assessable += 1;
            continue;
        }
        out.assessment.failed += 1;
        let shown: Vec<String> = readings
            .iter()
            .zip(&values)
            .filter_map(|(r, v)| v.map(|(v, _)| format!("{} = {}", r.name, fmt_num(v))))
            .collect();
        out.violations.push(violation(
            Severity::Warning,
            Origin::Source,
            format!(
                "narrative `{}` says {} but the table has {}",
                hit.phrase,
                fmt_num(hit.value),
                shown.join(", ")
            ),
            readings[0].keys.clone(),
        ));
    }
}

/// Words that put a number in another context than information-disclosure requests.
fn other_matter(gap: &str) -> bool {
    [
        "复议", "诉讼", "案件", "建议", "提案", "来信", "信访", "热线", "事项", "咨询", "留言",
        "来电",
    ]
    .iter()
    .any(|w| gap.contains(w))
}

const COUNT: &[char] = &['件', '个', '条', '份', '宗'];

pub fn recv(ctx: &Context, out: &mut Outcome) {
    if !ctx.mapped.found[1] {
        return;
    }
    let text = ctx.narrative();
    let hits = after_keyword(
        text,
        &["收到", "新收", "受理", "接收", "接到"],
        16,
        COUNT,
        |g| g.contains("申请") && !other_matter(g),
        |b| !(b.ends_with('未') || b.ends_with("没有") || b.ends_with("不予")),
    );
    let new = || t3("new", "total");
    judge(
        ctx,
        out,
        hits,
        &[
            reading("一[总计]", vec![new()]),
            reading("一+二[总计]", vec![new(), t3("carried_over", "total")]),
        ],
    );
    let hits = after_keyword(
        text,
        &["上年结转", "上一年度结转", "上年度结转"],
        12,
        COUNT,
        |g| !other_matter(g),
        |_| true,
    );
    judge(
        ctx,
        out,
        hits,
        &[reading("二[总计]", vec![t3("carried_over", "total")])],
    );
}

pub fn done(ctx: &Context, out: &mut Outcome) {
    if !ctx.mapped.found[1] {
        return;
    }
    let text = ctx.narrative();
    let hits = after_keyword(
        text,
        &["办结", "办理", "答复", "处理完毕"],
        8,
        COUNT,
        |g| !other_matter(g),
        // "同意公开答复 9 件" is a category; "转下一年度办理答复 1 件" is the carry-over.
        |b| {
            !["公开", "提供", "处理", "办理", "告知", "答复"]
                .iter()
                .any(|w| b.ends_with(w))
                && !["结转", "下一年", "下年", "继续"]
                    .iter()
                    .any(|w| b.contains(w))
        },
    );
    judge(
        ctx,
        out,
        hits,
        &[
            reading("（七）[总计]", vec![t3("total", "total")]),
            reading(
                "一+二[总计]",
                vec![t3("new", "total"), t3("carried_over", "total")],
            ),
        ],
    );
}

pub fn carry(ctx: &Context, out: &mut Outcome) {
    if !ctx.mapped.found[1] {
        return;
    }
    let text = ctx.narrative();
    let hits = after_keyword(
        text,
        &[
            "结转下年度",
            "结转下一年度",
            "结转下一年",
            "结转下年",
            "结转至下一年度",
            "结转至下年度",
            "结转到下一年度",
            "顺延到下年度",
            "顺延至下一年度",
            "转下一年度",
            "转入下一年度",
        ],
        12,
        COUNT,
        |g| !other_matter(g),
        |_| true,
    );
    judge(
        ctx,
        out,
        hits,
        &[reading("四[总计]", vec![t3("carry_forward", "total")])],
    );
}

pub fn cat(ctx: &Context, out: &mut Outcome) {
    if !ctx.mapped.found[1] {
        return;
    }
    let text = ctx.narrative();
    let g = |n| group_total(ctx, n);
    let both: Vec<String> = g(1).into_iter().chain(g(2)).collect();
    let categories: Vec<(&[&str], Vec<Reading>)> = vec![
        (
            &[
                "予以公开及部分公开",
                "予以公开和部分公开",
                "公开及部分公开",
                "全部公开和部分公开",
            ],
            vec![reading("（一）+（二）", both.clone())],
        ),
        (
            &["予以公开", "同意公开", "全部公开"],
            vec![
                reading("（一）予以公开", g(1)),
                reading("（一）+（二）", both),
            ],
        ),
        (&["部分公开"], vec![reading("（二）部分公开", g(2))]),
        (&["不予公开"], vec![reading("Σ（三）不予公开", g(3))]),
        (
            &["无法提供"],
            vec![
                reading("Σ（四）无法提供", g(4)),
                reading("（四）1.本机关不掌握", vec![t3("unable_not_held", "total")]),
            ],
        ),
        (&["不予处理"], vec![reading("Σ（五）不予处理", g(5))]),
        (&["其他处理"], vec![reading("Σ（六）其他处理", g(6))]),
    ];
    // Longest phrases first: 予以公开及部分公开 must not also count as 部分公开.
    let all: Vec<&str> = categories
        .iter()
        .flat_map(|c| c.0.iter().copied())
        .collect();
    let mut hits_by_kw: Vec<(String, Hit)> = Vec::new();
    let hits = after_keyword(text, &all, 8, COUNT, |g| !other_matter(g), |_| true);
    for h in hits {
        let kw = all
            .iter()
            .filter(|k| h.phrase.starts_with(**k))
            .max_by_key(|k| k.chars().count())
            .copied()
            .unwrap_or_default();
        hits_by_kw.push((kw.to_string(), h));
    }
    for (kws, readings) in &categories {
        if readings.iter().all(|r| r.keys.is_empty()) {
            continue;
        }
        let hits: Vec<Hit> = hits_by_kw
            .iter()
            .filter(|(k, _)| kws.contains(&k.as_str()))
            .map(|(_, h)| h.clone())
            .collect();
        judge(ctx, out, hits, readings);
    }
}

pub fn appl(ctx: &Context, out: &mut Outcome) {
    if !ctx.mapped.found[1] {
        return;
    }
    let text = ctx.narrative();
    let np = after_keyword(
        text,
        &["自然人"],
        6,
        COUNT,
        |g| !g.contains("法人") && !other_matter(g),
        |_| true,
    );
    judge(
        ctx,
        out,
        np,
        &[
            reading(
                "一+二[自然人]",
                vec![
                    t3("new", "natural_person"),
                    t3("carried_over", "natural_person"),
                ],
            ),
            reading("一[自然人]", vec![t3("new", "natural_person")]),
        ],
    );
    let lp = after_keyword(
        text,
        &["法人或其他组织", "法人或者其他组织", "法人和其他组织"],
        6,
        COUNT,
        |g| !other_matter(g),
        |_| true,
    );
    let cols = |rows: &[&str]| -> Vec<String> {
        rows.iter()
            .flat_map(|r| LP.iter().map(move |c| t3(r, c)))
            .collect()
    };
    judge(
        ctx,
        out,
        lp,
        &[
            reading("一+二[法人或其他组织]", cols(&["new", "carried_over"])),
            reading("一[法人或其他组织]", cols(&["new"])),
        ],
    );
}

/// Sub-outcomes of reviews and suits: a number next to them is not the total.
fn sub_outcome(gap: &str) -> bool {
    [
        "纠错",
        "纠正",
        "败诉",
        "维持",
        "撤销",
        "胜诉",
        "确认违法",
        "审结",
    ]
    .iter()
    .any(|w| gap.contains(w))
}

const CASES: &[char] = &['件', '起', '次', '宗', '个'];

fn review_litigation_hits(text: &[char], kw: &str, other: &str) -> Vec<Hit> {
    // "答复 5 件，未引起行政复议": a negation between number and keyword unties them.
    let ok = |g: &str| {
        !g.contains(other)
            && !sub_outcome(g)
            && !g.contains("申请")
            && !["未", "无", "没有", "不"].iter().any(|w| g.contains(w))
    };
    let mut hits = after_keyword(text, &[kw], 8, CASES, ok, |_| true);
    hits.extend(before_keyword(text, &[kw], 14, CASES, ok));
    hits
}

pub fn review(ctx: &Context, out: &mut Outcome) {
    if !ctx.mapped.found[2] {
        return;
    }
    let text = ctx.narrative();
    let hits = review_litigation_hits(text, "行政复议", "诉讼");
    judge(
        ctx,
        out,
        hits,
        &[
            reading("行政复议[总计]", vec!["review.total".into()]),
            reading(
                "行政复议+行政诉讼[总计]",
                vec![
                    "review.total".into(),
                    "litigation_direct.total".into(),
                    "litigation_after_review.total".into(),
                ],
            ),
        ],
    );
}

pub fn suit(ctx: &Context, out: &mut Outcome) {
    if !ctx.mapped.found[2] {
        return;
    }
    let text = ctx.narrative();
    let hits = review_litigation_hits(text, "行政诉讼", "复议");
    let d = || "litigation_direct.total".to_string();
    let a = || "litigation_after_review.total".to_string();
    judge(
        ctx,
        out,
        hits,
        &[
            reading("直接起诉+复议后起诉[总计]", vec![d(), a()]),
            reading("未经复议直接起诉[总计]", vec![d()]),
            reading("复议后起诉[总计]", vec![a()]),
        ],
    );
}

pub fn none(ctx: &Context, out: &mut Outcome) {
    let text = ctx.narrative();
    let negations = [
        "未收到",
        "没有收到",
        "未接到",
        "未受理",
        "未发生",
        "没有发生",
        "未出现",
        "未被",
        "没有被",
    ];
    // "未发生逾期答复申请的情况" is not "no requests": only these deny receiving any.
    let no_requests = ["未收到", "没有收到", "未接到", "未受理"];
    // Every negation holds 未 or 没: only clauses with one are read.
    for clause in clause_slices(text).filter(|c| c.iter().any(|&x| x == '未' || x == '没')) {
        let clause: String = clause.iter().collect();
        if !negations.iter().any(|n| clause.contains(n)) || sub_outcome(&clause) {
            continue;
        }
        let mut checks: Vec<(&str, Vec<String>)> = Vec::new();
        let reviews = clause.contains("复议");
        let suits = clause.contains("诉讼");
        if reviews && ctx.mapped.found[2] {
            checks.push(("行政复议[总计]", vec!["review.total".into()]));
        }
        if suits && ctx.mapped.found[2] {
            checks.push((
                "直接起诉+复议后起诉[总计]",
                vec![
                    "litigation_direct.total".into(),
                    "litigation_after_review.total".into(),
                ],
            ));
        }
        if !reviews
            && !suits
            && clause.contains("申请")
            && no_requests.iter().any(|n| clause.contains(n))
            && ctx.mapped.found[1]
        {
            checks.push(("一[总计]", vec![t3("new", "total")]));
        }
        for (name, keys) in checks {
            match value(ctx, &keys) {
                Some((0.0, _)) => out.assessment.passed += 1,
                Some((v, _)) => {
                    out.assessment.failed += 1;
                    out.violations.push(violation(
                        Severity::Warning,
                        Origin::Source,
                        format!(
                            "narrative `{clause}` says none but the table has {name} = {}",
                            fmt_num(v)
                        ),
                        keys,
                    ));
                }
                None => out.assessment.not_assessable += 1,
            }
        }
    }
}

pub fn fee(ctx: &Context, out: &mut Outcome) {
    if ctx.vintage() != Some(Vintage::V2021) {
        return;
    }
    let Some(v) = ctx.number(&t3("other_overdue_fee", "total")) else {
        return;
    };
    if v == 0.0 {
        return;
    }
    let mentions = ctx
        .text("other")
        .is_some_and(|t| t.contains("处理费") || t.contains("收费") || t.contains("收取"));
    if mentions {
        out.assessment.passed += 1;
    } else {
        out.assessment.failed += 1;
        out.violations.push(violation(
            Severity::Info,
            Origin::Source,
            format!(
                "（六）2 逾期未按收费通知缴纳费用 = {} but part 六 does not mention 信息处理费",
                fmt_num(v)
            ),
            vec![t3("other_overdue_fee", "total")],
        ));
    }
}

/// The stated statistics period: (start year as printed, end year as printed if any, phrase).
pub fn stated_period(ctx: &Context) -> Option<(String, Option<String>, String)> {
    let text = ctx.narrative();
    let s: String = text.iter().collect();
    for kw in [
        "统计期限",
        "统计周期",
        "统计时限",
        "统计时间",
        "统计时段",
        "统计区间",
        "统计范围",
    ] {
        let mut from = 0;
        while let Some(p) = s[from..].find(kw).map(|p| p + from) {
            from = p + kw.len();
            let rest: String = s[p..].chars().take(40).collect();
            let Some(q) = rest.find("年1月1日") else {
                continue;
            };
            let start: String = rest[..q]
                .chars()
                .rev()
                .take_while(char::is_ascii_digit)
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .collect();
            if start.is_empty() {
                continue;
            }
            let after = &rest[q + "年1月1日".len()..];
            let end = after.find("12月31日").map(|e| {
                let before = &after[..e];
                let y: String = before
                    .trim_end_matches('年')
                    .chars()
                    .rev()
                    .take_while(char::is_ascii_digit)
                    .collect::<Vec<_>>()
                    .into_iter()
                    .rev()
                    .collect();
                (y, e)
            });
            let phrase_end = end.as_ref().map_or(q + "年1月1日".len(), |(_, e)| {
                q + "年1月1日".len() + e + "12月31日".len()
            });
            let phrase = rest[..phrase_end].to_string();
            let end_year = end.map(|(y, _)| y).filter(|y| !y.is_empty());
            return Some((start, end_year, phrase));
        }
    }
    None
}

pub fn year(ctx: &Context, out: &mut Outcome) {
    let (Some(title_year), Some((start, end, phrase))) = (ctx.year, stated_period(ctx)) else {
        out.assessment.not_assessable += 1;
        return;
    };
    let wrong: Vec<&String> = std::iter::once(&start)
        .chain(end.as_ref())
        .filter(|y| **y != title_year.to_string())
        .collect();
    if wrong.is_empty() {
        out.assessment.passed += 1;
        return;
    }
    out.assessment.failed += 1;
    out.violations.push(violation(
        Severity::Warning,
        Origin::Source,
        format!(
            "title year {title_year} but the statistics period says {}: `{phrase}`",
            wrong
                .iter()
                .map(|y| format!("{y}年"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        vec![],
    ));
}

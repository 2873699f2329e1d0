//! Structure of the report: parts, tables, template vintage.

use super::text::{compact, folded};
use super::{violation, Context, Outcome, Term};
use crate::record::{Origin, Severity};
use crate::template::data::{
    Vintage, SECTIONS, TABLE2_ROWS, TABLE3_COLUMNS, TABLE3_ROWS, TABLE4_COLUMNS, TABLE4_GROUPS,
};

pub const SECTIONS_DOC: &str =
    "The six parts (总体情况 … 其他需要报告的事项) are present, in order, found by heading text.";
pub const TABLES_DOC: &str = "Tables 二, 三 and 四 are present and complete for the template (10/175/15 cells in 2021, 22/161/15 in 2019).";
pub const VINTAGE_DOC: &str = "The template matches the report year: 2019 format for 2019–2020 reports, 2021 format from 2021 on.";

pub const SEC5_DOC: &str =
    "Part 五 (存在的主要问题及改进情况) says something: not empty, not just \"无\".";
pub const SEC6_FEE_DOC: &str =
    "Part 六 reports the 信息处理费 charged (an amount, or that none was charged), as the 2021 template asks.";
pub const PERIOD_DOC: &str =
    "The report states its statistics period (\"统计期限…YYYY年1月1日至…12月31日\").";
pub const ORDINAL_DOC: &str = "Enumerations within a part run in order: 一是, 二是, 三是… and （一）（二）（三）… with no skip or repeat (a restart at 一 after a run is fine).";

const NAMES: &[(&str, &str)] = &[
    ("overview", "一、总体情况"),
    ("proactive", "二、主动公开政府信息情况"),
    ("requests", "三、收到和处理政府信息公开申请情况"),
    ("review_litigation", "四、行政复议、行政诉讼情况"),
    ("problems", "五、存在的主要问题及改进情况"),
    ("other", "六、其他需要报告的事项"),
];

pub fn sections(ctx: &Context, out: &mut Outcome) {
    let missing: Vec<&str> = SECTIONS
        .iter()
        .filter(|(k, _)| !ctx.sections.contains(k))
        .map(|(k, _)| NAMES.iter().find(|n| n.0 == *k).map_or(*k, |n| n.1))
        .collect();
    if !missing.is_empty() {
        out.assessment.failed += 1;
        out.violations.push(violation(
            Severity::Warning,
            Origin::Source,
            format!("missing part(s): {}", missing.join(", ")),
            vec![],
        ));
    } else {
        out.assessment.passed += 1;
    }
    let order: Vec<usize> = ctx
        .sections
        .iter()
        .filter_map(|k| SECTIONS.iter().position(|(s, _)| s == k))
        .collect();
    if order.windows(2).any(|w| w[0] > w[1]) {
        out.assessment.failed += 1;
        out.violations.push(violation(
            Severity::Warning,
            Origin::Source,
            format!("parts out of order: {}", ctx.sections.join(" → ")),
            vec![],
        ));
    }
}

/// Every key the template expects, per table.
pub fn expected_keys(ctx: &Context, v: Vintage) -> [Vec<Term>; 3] {
    let mut t2 = Vec::new();
    for r in TABLE2_ROWS.iter().filter(|r| r.vintage == v) {
        // Split 其他对外管理服务事项 satisfies its row through sub-rows.
        if r.has_sub_rows
            && ctx.mapped.fields.iter().any(|f| {
                f.key.starts_with(&format!("proactive.{}.", r.key))
                    && f.key.matches('.').count() == 3
            })
        {
            continue;
        }
        for c in r.columns {
            t2.push(Term::key(format!("proactive.{}.{}", r.key, c.key)));
        }
    }
    let has = |k: &str| {
        ctx.mapped.fields.iter().any(|f| {
            f.key
                .strip_prefix("requests.")
                .and_then(|rest| rest.strip_prefix(k))
                .is_some_and(|rest| rest.starts_with('.'))
        })
    };
    let single = match v {
        Vintage::V2019 => !has("other_misc") || has("other"),
        Vintage::V2021 => has("other") && !has("other_misc"),
    };
    let mut t3 = Vec::new();
    for (i, r) in TABLE3_ROWS.iter().enumerate() {
        let wanted = match r.key {
            "other" => single,
            "other_overdue_correction" | "other_overdue_fee" | "other_misc" => !single,
            _ => r.years.includes(v),
        };
        if wanted {
            t3.extend((0..TABLE3_COLUMNS.len()).map(|c| Term::requests(i, c)));
        }
    }
    let mut t4 = Vec::new();
    for g in 0..TABLE4_GROUPS.len() {
        t4.extend((0..TABLE4_COLUMNS.len()).map(|c| Term::review(g, c)));
    }
    [t2, t3, t4]
}

pub fn tables(ctx: &Context, out: &mut Outcome) {
    let names = ["二（主动公开）", "三（依申请公开）", "四（复议诉讼）"];
    let Some(v) = ctx.vintage() else {
        if !ctx.mapped.found.iter().any(|f| *f) {
            out.assessment.failed += 1;
            out.violations.push(violation(
                Severity::Error,
                Origin::Source,
                "no table of the official template found".into(),
                vec![],
            ));
        }
        return;
    };
    let expected = expected_keys(ctx, v);
    for (i, keys) in expected.iter().enumerate() {
        if !ctx.mapped.found[i] {
            out.assessment.failed += 1;
            out.violations.push(violation(
                Severity::Error,
                Origin::Extraction,
                format!("table {} not found", names[i]),
                vec![],
            ));
            continue;
        }
        let missing: Vec<String> = keys
            .iter()
            .filter(|t| ctx.term(t).is_none())
            .map(|t| t.key.to_string())
            .collect();
        if missing.is_empty() {
            out.assessment.passed += 1;
        } else {
            out.assessment.failed += 1;
            let shown: Vec<&str> = missing.iter().take(6).map(String::as_str).collect();
            let more = if missing.len() > 6 {
                format!(" and {} more", missing.len() - 6)
            } else {
                String::new()
            };
            out.violations.push(violation(
                Severity::Warning,
                Origin::Extraction,
                format!(
                    "table {}: {} of {} cells not read: {}{}",
                    names[i],
                    missing.len(),
                    keys.len(),
                    shown.join(", "),
                    more
                ),
                missing,
            ));
        }
    }
}

pub fn vintage(ctx: &Context, out: &mut Outcome) {
    let (Some(v), Some(y)) = (ctx.vintage(), ctx.year) else {
        out.assessment.not_assessable += 1;
        return;
    };
    let expected = if y <= 2020 {
        Vintage::V2019
    } else {
        Vintage::V2021
    };
    if v == expected {
        out.assessment.passed += 1;
    } else {
        out.assessment.failed += 1;
        out.violations.push(violation(
            Severity::Warning,
            Origin::Source,
            format!(
                "{y} report uses the {} template; {} is expected for that year",
                v.as_str(),
                expected.as_str()
            ),
            vec![],
        ));
    }
}

pub fn sec5(ctx: &Context, out: &mut Outcome) {
    let Some(t) = ctx.text("problems") else {
        out.assessment.not_assessable += 1;
        return;
    };
    let body: String = compact(t).into_iter().filter(|c| *c != '\n').collect();
    let body = body.trim_end_matches(['。', '.']);
    let empty =
        body.chars().count() <= 10 || ["无", "暂无", "没有", "无问题", "不存在"].contains(&body);
    if !empty {
        out.assessment.passed += 1;
        return;
    }
    out.assessment.failed += 1;
    let shown = if body.is_empty() {
        "it is empty".to_string()
    } else {
        format!("it only says `{body}`")
    };
    out.violations.push(violation(
        Severity::Warning,
        Origin::Source,
        format!("part 五 (存在的主要问题及改进情况) reports nothing: {shown}"),
        vec![],
    ));
}

pub fn sec6_fee(ctx: &Context, out: &mut Outcome) {
    let Some(t) = ctx.text("other") else {
        out.assessment.not_assessable += 1;
        return;
    };
    if ["处理费", "收费", "收取", "费用"]
        .iter()
        .any(|w| t.contains(w))
    {
        out.assessment.passed += 1;
        return;
    }
    out.assessment.failed += 1;
    out.violations.push(violation(
        Severity::Info,
        Origin::Source,
        "part 六 does not report the 信息处理费 (an amount, or 未收取)".into(),
        vec![],
    ));
}

pub fn period(ctx: &Context, out: &mut Outcome) {
    if super::narrative::stated_period(ctx).is_some() {
        out.assessment.passed += 1;
        return;
    }
    out.assessment.failed += 1;
    out.violations.push(violation(
        Severity::Info,
        Origin::Source,
        "no statistics period stated (\"本报告所列数据统计期限为YYYY年1月1日至12月31日\")".into(),
        vec![],
    ));
}

const NUMERALS: [char; 10] = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];

fn numeral(c: char) -> Option<u32> {
    NUMERALS.iter().position(|n| *n == c).map(|i| i as u32 + 1)
}

fn opens_clause(prev: Option<char>) -> bool {
    prev.is_none_or(|p| {
        matches!(
            p,
            '\n' | '。' | '；' | ';' | '：' | ':' | '，' | ',' | '！' | '？' | '）' | ')' | '”'
        )
    })
}

/// The enumerations of a part, in order: `一是…` items and `（一）` sub-headings at a line start.
pub fn ordinals(text: &str) -> (Vec<u32>, Vec<u32>) {
    let t = folded(text);
    let mut shi = Vec::new();
    let mut heads = Vec::new();
    for i in 0..t.len() {
        let prev = i.checked_sub(1).map(|p| t[p]);
        if let Some(n) = numeral(t[i]) {
            if t.get(i + 1) == Some(&'是') && opens_clause(prev) {
                shi.push(n);
            }
        }
        if matches!(t[i], '（' | '(') && prev.is_none_or(|p| p == '\n') {
            if let (Some(n), Some(')' | '）')) =
                (t.get(i + 1).and_then(|c| numeral(*c)), t.get(i + 2))
            {
                heads.push(n);
            }
        }
    }
    (shi, heads)
}

/// What goes wrong in a sequence of ordinals: a skip (一 → 三) or a repeat / step back that is
/// not a restart at 一.
pub fn ordinal_faults(seq: &[u32], show: impl Fn(u32) -> String) -> Vec<String> {
    let mut faults = Vec::new();
    for w in seq.windows(2) {
        let (a, b) = (w[0], w[1]);
        if b == a + 1 || (b == 1 && a > 1) {
            continue;
        }
        faults.push(if b > a + 1 {
            format!(
                "{} follows {} ({} missing)",
                show(b),
                show(a),
                ((a + 1)..b).map(&show).collect::<Vec<_>>().join(", ")
            )
        } else {
            format!("{} follows {} (repeated or out of order)", show(b), show(a))
        });
    }
    faults
}

pub fn ordinal(ctx: &Context, out: &mut Outcome) {
    for (key, text) in &ctx.texts {
        let name = NAMES.iter().find(|n| n.0 == *key).map_or(*key, |n| n.1);
        let (shi, heads) = ordinals(text);
        let mut faults = ordinal_faults(&shi, |n| format!("{}是", NUMERALS[n as usize - 1]));
        // Table parts carry the table's own labels (（二）部分公开, （四）无法提供), not headings.
        if !matches!(*key, "proactive" | "requests" | "review_litigation") {
            faults.extend(ordinal_faults(&heads, |n| {
                format!("（{}）", NUMERALS[n as usize - 1])
            }));
        }
        if shi.len() + heads.len() < 2 {
            continue;
        }
        if faults.is_empty() {
            out.assessment.passed += 1;
            continue;
        }
        out.assessment.failed += 1;
        out.violations.push(violation(
            Severity::Warning,
            Origin::Source,
            format!("enumeration out of order in {name}: {}", faults.join("; ")),
            vec![],
        ));
    }
}

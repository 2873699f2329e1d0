//! Which blocks hold tables 二, 三 and 四.
//!
//! A table block is classified by its own labels (the official row and header words); one
//! without any (a continuation holding only numbers) takes the kind of the part it sits in, or
//! of the table before it. Paragraph lines inside a table's extent are kept as candidate rows,
//! because PDF and Markdown renderings spill rows out of the table as loose text.

use super::sections::Section;
use crate::model::{Block, Document, Table};
use crate::template::data::{TABLE2_MARKERS, TABLE3_MARKERS, TABLE4_MARKERS};
use crate::template::label::push_normalized;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TableKind {
    /// 二、主动公开政府信息情况
    Proactive,
    /// 三、收到和处理政府信息公开申请情况
    Requests,
    /// 四、行政复议、行政诉讼情况
    Review,
}

impl TableKind {
    pub fn section_key(self) -> &'static str {
        match self {
            TableKind::Proactive => "proactive",
            TableKind::Requests => "requests",
            TableKind::Review => "review_litigation",
        }
    }
    pub const ALL: [TableKind; 3] = [TableKind::Proactive, TableKind::Requests, TableKind::Review];
}

/// A piece of a table region, in document order.
#[derive(Debug, Clone, Copy)]
pub enum Part<'a> {
    Grid { block: usize, table: &'a Table },
    Line { block: usize, text: &'a str },
}

fn marker_score(text: &str, markers: &[&str]) -> usize {
    markers.iter().filter(|m| text.contains(**m)).count()
}

/// Classifies one table by the official words it contains.
pub fn classify_table(t: &Table) -> Option<TableKind> {
    let mut text = String::new();
    for c in t.cells() {
        push_normalized(&mut text, &c.text);
        text.push('|');
    }
    let scores = [
        (TableKind::Proactive, marker_score(&text, TABLE2_MARKERS)),
        (
            TableKind::Requests,
            marker_score(&text, TABLE3_MARKERS) + table3_row_hits(&text),
        ),
        (TableKind::Review, marker_score(&text, TABLE4_MARKERS) * 2),
    ];
    let best = scores.iter().max_by_key(|(_, s)| *s)?;
    if best.1 == 0 {
        return None;
    }
    // A tie is no classification.
    if scores.iter().filter(|(_, s)| *s == best.1).count() > 1 {
        return None;
    }
    Some(best.0)
}

/// Table 三 continuations often carry only result-row labels.
fn table3_row_hits(text: &str) -> usize {
    [
        "国家秘密",
        "第三方合法权益",
        "过程性信息",
        "行政执法案卷",
        "不掌握相关政府信息",
        "信访举报投诉",
        "重复申请",
        "公开出版物",
        "逾期不补正",
        "结转下年度",
    ]
    .iter()
    .filter(|m| text.contains(*m))
    .count()
}

/// The blocks of each table kind, in order.
pub fn table_parts<'a>(doc: &'a Document, sections: &[Section]) -> Vec<(TableKind, Vec<Part<'a>>)> {
    let section_kind = |i: usize| -> Option<TableKind> {
        let s = sections.iter().find(|s| s.start <= i && i < s.end)?;
        TableKind::ALL
            .into_iter()
            .find(|k| k.section_key() == s.key)
    };
    // Kind of every table block.
    let mut kinds: Vec<Option<TableKind>> = vec![None; doc.blocks.len()];
    let mut last: Option<TableKind> = None;
    for (i, b) in doc.blocks.iter().enumerate() {
        if let Block::Table(t) = b {
            let k = classify_table(t).or_else(|| section_kind(i)).or(last);
            kinds[i] = k;
            if k.is_some() {
                last = k;
            }
        }
    }
    let mut out = Vec::new();
    for kind in TableKind::ALL {
        // Extent: the kind's section, widened to cover its tables.
        let mut lo = usize::MAX;
        let mut hi = 0usize;
        if let Some(s) = sections.iter().find(|s| s.key == kind.section_key()) {
            lo = s.start;
            hi = s.end;
        }
        for (i, k) in kinds.iter().enumerate() {
            if *k == Some(kind) {
                lo = lo.min(i);
                hi = hi.max(i + 1);
            }
        }
        let mut parts = Vec::new();
        if lo < hi {
            for (i, b) in doc.blocks.iter().enumerate().take(hi).skip(lo) {
                match b {
                    Block::Table(t) if kinds[i] == Some(kind) => {
                        parts.push(Part::Grid { block: i, table: t })
                    }
                    Block::Paragraph(p) if section_kind(i).is_none_or(|k| k == kind) => {
                        parts.push(Part::Line { block: i, text: p })
                    }
                    _ => {}
                }
            }
        }
        out.push((kind, parts));
    }
    out
}

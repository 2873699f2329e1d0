//! Report metadata: title, organisation and year, from the title printed at the top.

use crate::model::{Block, Document};

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Meta {
    pub title: Option<String>,
    pub organization: Option<String>,
    pub year: Option<i32>,
}

const TITLE_WORDS: &[&str] = &["年度报告", "工作报告", "年报"];
/// Words that end the organisation part of a title, longest first.
const REPORT_NAMES: &[&str] = &[
    "政府信息公开工作年度报告",
    "政府信息公开年度报告",
    "年度政府信息公开工作报告",
    "政务信息公开年度报告",
    "信息公开工作年度报告",
    "政府信息公开工作报告",
    "政务公开工作年度报告",
];

/// Finds the title among the first blocks: a short paragraph naming a report, joined with the
/// line before or after when the title wraps (`…政府信息公开` / `工作年度报告`).
pub fn find_meta(doc: &Document) -> Meta {
    let paras: Vec<&str> = doc
        .blocks
        .iter()
        .take(40)
        .filter_map(|b| match b {
            Block::Paragraph(p) => Some(p.trim()),
            _ => None,
        })
        .filter(|p| !p.is_empty() && *p != "正文")
        .collect();
    let mut title: Option<String> = None;
    for (i, p) in paras.iter().enumerate() {
        if p.chars().count() > 60 {
            continue;
        }
        let compact: String = p.chars().filter(|c| !c.is_whitespace()).collect();
        if TITLE_WORDS.iter().any(|w| compact.contains(w)) {
            // Wrapped title: this line completes the previous one.
            if i > 0 && !compact.contains("政府信息公开") && !compact.contains("政务") {
                let prev: String = paras[i - 1]
                    .chars()
                    .filter(|c| !c.is_whitespace())
                    .collect();
                if prev.chars().count() <= 40 {
                    title = Some(format!("{prev}{compact}"));
                    break;
                }
            }
            title = Some(compact);
            break;
        }
    }
    let title = title.or_else(|| {
        doc.declared_title
            .as_ref()
            .map(|t| t.chars().filter(|c| !c.is_whitespace()).collect::<String>())
            .filter(|t| TITLE_WORDS.iter().any(|w| t.contains(w)))
    });
    let (organization, year) = match &title {
        Some(t) => split_title(t),
        None => (None, None),
    };
    Meta {
        title,
        organization,
        year,
    }
}

/// `景山街道2020年政府信息公开工作年度报告` → (景山街道, 2020);
/// `2024年上海市科委政府信息公开工作年度报告` → (上海市科委, 2024).
pub fn split_title(title: &str) -> (Option<String>, Option<i32>) {
    // Full-width digits (`２０２１年`) are read as ASCII ones.
    let folded: String = title
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from(b'0' + (c as u32 - '０' as u32) as u8),
            _ => c,
        })
        .collect();
    let title = folded.as_str();
    // Drop a site suffix ("…年度报告-沭阳县发改局").
    let t = title.split(['-', '—', '_', '|']).next().unwrap_or(title);
    let year_pos = find_year(t);
    let year = year_pos.map(|(y, _, _)| y);
    let name_end = REPORT_NAMES
        .iter()
        .filter_map(|n| t.find(n))
        .min()
        .unwrap_or(t.len());
    let org = match year_pos {
        Some((_, s, e)) if s < name_end => {
            let before = &t[..s];
            let after = if e <= name_end { &t[e..name_end] } else { "" };
            let after = after.trim_start_matches("度");
            if !before.is_empty() {
                before.to_string()
            } else {
                after.to_string()
            }
        }
        _ => t[..name_end].to_string(),
    };
    let org = org
        .trim_matches(|c: char| c.is_whitespace() || "（）()《》".contains(c))
        .to_string();
    (if org.is_empty() { None } else { Some(org) }, year)
}

/// The first `YYYY年` in the text (19xx/20xx): (year, start byte, end byte after 年).
fn find_year(t: &str) -> Option<(i32, usize, usize)> {
    let b = t.as_bytes();
    for i in 0..b.len().saturating_sub(3) {
        if b[i..i + 4].iter().all(u8::is_ascii_digit) && (i == 0 || !b[i - 1].is_ascii_digit()) {
            let rest = &t[i + 4..];
            if let Some(r) = rest.strip_prefix('年') {
                let y: i32 = t[i..i + 4].parse().ok()?;
                if (1990..=2100).contains(&y) {
                    return Some((y, i, t.len() - r.len()));
                }
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn organisation_and_year_from_titles() {
        assert_eq!(
            split_title("景山街道2020年政府信息公开工作年度报告"),
            (Some("景山街道".into()), Some(2020))
        );
        assert_eq!(
            split_title("2024年上海市科委政府信息公开工作年度报告"),
            (Some("上海市科委".into()), Some(2024))
        );
        assert_eq!(
            split_title("沐阳县人民政府2025年政府信息公开工作年度报告"),
            (Some("沐阳县人民政府".into()), Some(2025))
        );
        assert_eq!(
            split_title("沭阳县发展和改革局2023年政府信息公开年度报告-沭阳县发改局"),
            (Some("沭阳县发展和改革局".into()), Some(2023))
        );
        assert_eq!(
            split_title("民治街道2025年度政府信息公开工作报告"),
            (Some("民治街道".into()), Some(2025))
        );
        assert_eq!(split_title("政府信息公开工作年度报告"), (None, None));
        assert_eq!(
            split_title("桥西区中山街道２０２１年政府信息公开工作年度报告"),
            (Some("桥西区中山街道".into()), Some(2021))
        );
    }

    #[test]
    fn wrapped_title_is_joined() {
        let doc = Document {
            blocks: vec![
                Block::Paragraph("景山街道2020年政府信息公开".into()),
                Block::Paragraph("工作年度报告".into()),
            ],
            ..Default::default()
        };
        let m = find_meta(&doc);
        assert_eq!(
            m.title.as_deref(),
            Some("景山街道2020年政府信息公开工作年度报告")
        );
        assert_eq!(m.organization.as_deref(), Some("景山街道"));
    }
}

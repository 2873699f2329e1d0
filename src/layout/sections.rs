//! The six parts, found by heading text whatever the numbering (`一、`, `1、`, none, or the
//! Shanghai renumbered structure).

use crate::model::{Block, Document};
use crate::template::data::SECTIONS;
use crate::template::label::{normalize, similarity, split_numbering, Numbering};

#[derive(Debug, Clone)]
pub struct Section {
    pub key: &'static str,
    /// The heading as printed.
    pub heading: String,
    /// Index of the heading block.
    pub start: usize,
    /// Index after the section's last block.
    pub end: usize,
}

/// Headings are short lines; longer ones are prose that merely mentions a part's name.
const MAX_HEADING_CHARS: usize = 40;

/// The section key a paragraph introduces, if it is a part heading.
pub fn heading_key(text: &str) -> Option<&'static str> {
    let t = text.trim();
    if t.chars().count() > MAX_HEADING_CHARS || t.ends_with('。') {
        return None;
    }
    let (numbering, rest) = split_numbering(t);
    if matches!(numbering, Some(Numbering::Group(_))) {
        return None;
    }
    let mut core = normalize(rest);
    // Markdown renderings title the tables "表二：主动公开政府信息情况".
    for prefix in ["表二", "表三", "表四"] {
        if let Some(r) = core.strip_prefix(prefix) {
            core = r.to_string();
        }
    }
    let mut best: Option<(&'static str, f64)> = None;
    for (key, aliases) in SECTIONS {
        for a in aliases.iter() {
            let alias = *a;
            // The heading is the part's name, perhaps with a short lead-in ("政府信息公开工作
            // 存在的主要问题…", "因政府信息公开工作被申请行政复议…"); prose that lists the parts
            // ("全文包括总体情况、主动公开政府信息情况、…") is not.
            let s = if core == *alias {
                1.0
            } else if core.ends_with(alias) && core.chars().count() - alias.chars().count() <= 12 {
                0.95
            } else {
                let s = similarity(&core, alias);
                if core.contains(alias) {
                    0.0
                } else {
                    s
                }
            };
            if s >= 0.85 && best.is_none_or(|(_, b)| s > b) {
                best = Some((key, s));
            }
        }
    }
    best.map(|(k, _)| k)
}

/// Finds the parts in block order. A part whose heading repeats (a Markdown table title that
/// restates it) continues rather than starting again.
pub fn find_sections(doc: &Document) -> Vec<Section> {
    let mut out: Vec<Section> = Vec::new();
    for (i, block) in doc.blocks.iter().enumerate() {
        let Block::Paragraph(p) = block else { continue };
        let Some(key) = heading_key(p) else { continue };
        if out.last().is_some_and(|s| s.key == key) {
            continue;
        }
        if let Some(last) = out.last_mut() {
            last.end = i;
        }
        out.push(Section {
            key,
            heading: p.trim().to_string(),
            start: i,
            end: doc.blocks.len(),
        });
    }
    out
}

/// A part's narrative: its paragraphs after the heading, separated by `\n`.
pub fn section_text(doc: &Document, s: &Section) -> String {
    let mut text = String::new();
    for block in &doc.blocks[s.start + 1..s.end] {
        if let Block::Paragraph(p) = block {
            if !text.is_empty() {
                text.push('\n');
            }
            text.push_str(p.trim());
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_whatever_the_numbering() {
        assert_eq!(heading_key("1、 总体情况"), Some("overview"));
        assert_eq!(heading_key("一、总体情况"), Some("overview"));
        assert_eq!(heading_key("总体情况"), Some("overview"));
        assert_eq!(heading_key("二、主动公开政府信息情况 "), Some("proactive"));
        assert_eq!(
            heading_key("四、因政府信息公开工作被申请行政复议、提起行政诉讼情况"),
            Some("review_litigation")
        );
        assert_eq!(
            heading_key("五、政府信息公开工作存在的主要问题及改进情况"),
            Some("problems")
        );
        assert_eq!(
            heading_key("五、存在的主要问题及整改措施"),
            Some("problems")
        );
        assert_eq!(heading_key("六、其他需要报告的事项"), Some("other"));
        assert_eq!(heading_key("表二：主动公开政府信息情况"), Some("proactive"));
        assert_eq!(heading_key("三、主动公开工作情况"), None);
        assert_eq!(heading_key("（一）主动公开"), None);
        assert_eq!(
            heading_key("文包括总体情况、主动公开政府信息情况、收到和处理政府信息"),
            None
        );
        assert_eq!(heading_key("报告全文包括总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况等六部分。"), None);
    }
}

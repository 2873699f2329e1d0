//! X-DUP-TEXT: this year's narrative mostly copied from last year's report of the same
//! organisation (rules.md §4; 宿迁 rule SQ-DEP-A-005 "与上年度重复率大于50%").
//!
//! Similarity measure — **containment of character 4-grams**: the narrative of parts 一 (总体
//! 情况), 五 (问题及改进) and 六 (其他事项) of each report is folded (full-width → half-width),
//! stripped of blanks and punctuation, and every digit is replaced by `0` (a copied text with
//! this year's numbers put in is still a copy). The similarity is the share of this year's
//! distinct 4-character shingles that also occur in last year's:
//! `|S(cur) ∩ S(prev)| / |S(cur)|`. Containment rather than Jaccard, because adding a new
//! paragraph to last year's text does not make the rest less copied. Texts with fewer than
//! [`MIN_SHINGLES`] shingles are not judged (a "无" part 六 is the same every year).

use std::collections::HashSet;

use crate::record::{Origin, Severity, Violation};
use crate::template::cell::fold_width;

pub const ID: &str = "X-DUP-TEXT";
pub const DOC: &str = "Parts 一/五/六 repeat last year's report of the same organisation: more than 50 % of this year's character 4-grams (digits masked) occur in last year's text.";

/// Above this share the narrative counts as copied.
pub const THRESHOLD: f64 = 0.5;
/// Shorter narratives are not judged.
pub const MIN_SHINGLES: usize = 50;

const PARTS: &[&str] = &["overview", "problems", "other"];

fn normalised(sections: &[(&str, &str)]) -> Vec<char> {
    sections
        .iter()
        .filter(|(k, _)| PARTS.contains(k))
        .flat_map(|(_, t)| t.chars())
        .map(fold_width)
        .filter(|c| c.is_alphanumeric())
        .map(|c| if c.is_ascii_digit() { '0' } else { c })
        .collect()
}

fn shingles(chars: &[char]) -> HashSet<&[char]> {
    chars.windows(4).collect()
}

/// The share of the current narrative's 4-grams found in the previous one (0..=1); None when
/// the current narrative is too short to judge.
pub fn similarity(prev_sections: &[(&str, &str)], cur_sections: &[(&str, &str)]) -> Option<f64> {
    let prev = normalised(prev_sections);
    let cur = normalised(cur_sections);
    let p = shingles(&prev);
    let c = shingles(&cur);
    if c.len() < MIN_SHINGLES {
        return None;
    }
    Some(c.iter().filter(|s| p.contains(*s)).count() as f64 / c.len() as f64)
}

/// X-DUP-TEXT for two reports of the same organisation in consecutive years: sections as
/// (key, text), the previous year's first.
pub fn check(prev_sections: &[(&str, &str)], cur_sections: &[(&str, &str)]) -> Option<Violation> {
    let s = similarity(prev_sections, cur_sections)?;
    (s > THRESHOLD).then(|| Violation {
        rule: ID.to_string(),
        severity: Severity::Warning,
        origin: Origin::Source,
        message: format!(
            "parts 一/五/六 repeat last year's report: {:.0} % of this year's 4-character sequences occur in last year's text (threshold {:.0} %)",
            s * 100.0,
            THRESHOLD * 100.0
        ),
        fields: vec![],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const LAST: &str = "2022年，本街道坚持以习近平新时代中国特色社会主义思想为指导，全面贯彻落实《政府信息公开条例》，围绕街道中心工作，不断完善公开制度，拓宽公开领域，深化公开内容，规范公开流程，切实保障人民群众的知情权、参与权和监督权。全年主动公开政府信息123条。";

    #[test]
    fn a_copy_with_new_numbers_fires() {
        let cur = LAST.replace("2022", "2023").replace("123", "456");
        let v = check(&[("overview", LAST)], &[("overview", &cur)]).expect("fires");
        assert_eq!(v.rule, "X-DUP-TEXT");
        assert!(v.message.contains("100 %"), "{}", v.message);
    }

    #[test]
    fn a_new_text_does_not_fire() {
        let cur = "2023年，街道聚焦基层治理，围绕老旧小区改造、养老服务和社区议事协商，建设公开专区八处，编印政策明白纸，组织居民代表旁听工委会，推动重点领域信息及时发布，群众满意度稳步提升，网站栏目重新梳理。";
        let s = similarity(&[("overview", LAST)], &[("overview", cur)]).expect("long enough");
        assert!(s < THRESHOLD, "{s}");
        assert!(check(&[("overview", LAST)], &[("overview", cur)]).is_none());
    }

    #[test]
    fn only_parts_one_five_six_count_and_short_texts_are_not_judged() {
        // Identical table parts do not make a copy.
        assert!(check(&[("requests", LAST)], &[("requests", LAST)]).is_none());
        assert!(check(&[("other", "无")], &[("other", "无")]).is_none());
    }
}

//! A stable key for an organisation across years and spellings:
//! 景山街道 / 景山街道办事处 / 东城区景山街道办事处 / 北京市东城区景山街道办事处 → 景山街道.

use crate::template::label::normalize;

/// Suffixes that name the office rather than the unit.
const OFFICE_SUFFIXES: &[&str] = &["办事处", "人民政府"];
/// Administrative levels, most specific last; a name is cut after the last region prefix that
/// still leaves a unit behind.
const REGION_ENDS: &[char] = &['省', '市', '区', '县', '州', '盟', '旗'];
/// Unit words that end a 街道/乡镇-level name.
const UNIT_ENDS: &[&str] = &["街道", "镇", "乡", "苏木"];

/// The organisation key: normalised, region prefixes and office suffixes removed where what
/// remains still names a unit.
pub fn key(name: &str) -> String {
    let mut n = normalize(name);
    for s in OFFICE_SUFFIXES {
        if let Some(rest) = n.strip_suffix(s) {
            // 洪泽区人民政府 → 洪泽区 (the government of the district is the district's key).
            if !rest.is_empty() {
                n = rest.to_string();
                break;
            }
        }
    }
    // 街道 and 乡镇: keep only the unit itself (东城区景山街道 → 景山街道).
    if UNIT_ENDS.iter().any(|u| n.ends_with(u)) {
        let chars: Vec<char> = n.chars().collect();
        if let Some(pos) = chars[..chars.len().saturating_sub(2)]
            .iter()
            .rposition(|c| REGION_ENDS.contains(c))
        {
            let tail: String = chars[pos + 1..].iter().collect();
            if tail.chars().count() >= 3 {
                n = tail;
            }
        }
        return n;
    }
    // Governments and departments: drop the province/city prefix when a district or county
    // follows (淮安市洪泽区 → 洪泽区).
    let chars: Vec<char> = n.chars().collect();
    let mut start = 0;
    for (i, c) in chars.iter().enumerate() {
        if (*c == '省' || *c == '市') && i + 3 < chars.len() {
            let rest: String = chars[i + 1..].iter().collect();
            if rest.contains('区') || rest.contains('县') {
                start = i + 1;
            }
        }
    }
    chars[start..].iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spellings_of_one_unit_share_a_key() {
        for n in [
            "景山街道",
            "景山街道办事处",
            "东城区景山街道办事处",
            "北京市东城区景山街道办事处",
        ] {
            assert_eq!(key(n), "景山街道", "{n}");
        }
        assert_eq!(key("洪泽区人民政府"), key("淮安市洪泽区人民政府"));
        assert_eq!(key("上海市人民政府办公厅"), "上海市人民政府办公厅");
        assert_ne!(key("上海市人民政府办公厅"), key("上海市人民政府"));
        assert_ne!(key("景山街道"), key("新华街道"));
        assert_eq!(key("天门市拖市镇"), "拖市镇");
    }
}

//! Which official format a report follows (templates.md "Quick discriminator").

use super::data::{Vintage, LEGACY_MARKERS, TABLE3_MARKERS, V2019_MARKERS, V2021_MARKERS};

/// The detected template: a vintage, `legacy` (pre-2019 structure) or unknown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Template {
    Official(Vintage),
    Legacy,
    Unknown,
}

impl Template {
    pub fn as_str(self) -> &'static str {
        match self {
            Template::Official(v) => v.as_str(),
            Template::Legacy => "legacy",
            Template::Unknown => "unknown",
        }
    }
    pub fn vintage(self) -> Option<Vintage> {
        match self {
            Template::Official(v) => Some(v),
            _ => None,
        }
    }
}

/// Counts the discriminating words of each vintage in the normalised table text (the tables
/// are what the template defines; narrative may quote either) and decides.
pub fn detect(table_text: &str, all_text: &str) -> Template {
    let count =
        |text: &str, markers: &[&str]| markers.iter().filter(|m| text.contains(**m)).count();
    let (t21, t19) = (
        count(table_text, V2021_MARKERS),
        count(table_text, V2019_MARKERS),
    );
    if t21 > t19 {
        return Template::Official(Vintage::V2021);
    }
    if t19 > t21 {
        return Template::Official(Vintage::V2019);
    }
    let (a21, a19) = (
        count(all_text, V2021_MARKERS),
        count(all_text, V2019_MARKERS),
    );
    if a21 > a19 {
        return Template::Official(Vintage::V2021);
    }
    if a19 > a21 {
        return Template::Official(Vintage::V2019);
    }
    if count(all_text, LEGACY_MARKERS) > 0 && count(all_text, TABLE3_MARKERS) < 2 {
        return Template::Legacy;
    }
    Template::Unknown
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn discriminates() {
        let n = |s: &str| crate::template::label::normalize(s);
        assert_eq!(
            detect(&n("信息内容 本年制发件数 本年废止件数 现行有效件数"), ""),
            Template::Official(Vintage::V2021)
        );
        assert_eq!(
            detect(
                &n("本年新制作数量 本年新公开数量 对外公开总数量 政府集中采购"),
                ""
            ),
            Template::Official(Vintage::V2019)
        );
        assert_eq!(
            detect(
                "",
                &n("二、依申请公开政府信息情况 三、政府信息公开的收费及减免情况")
            ),
            Template::Legacy
        );
        assert_eq!(detect("", "无关"), Template::Unknown);
    }
}

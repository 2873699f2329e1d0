//! Character encodings from the bytes: BOM, declared charset, UTF-8 validity, detection.
//!
//! The order follows the browsers (WHATWG "determining the character encoding"), with one
//! extra step for our corpus: a declared charset is *verified* against the bytes, because CMS
//! re-saves of Word HTML often keep a `gb2312` meta on UTF-8 bytes (and the reverse).
//! Whenever the decision is not a clean BOM / declaration / UTF-8 one, a one-line warning
//! prefixed `charset_` says which rule decided; those warnings feed confidence.

use crate::limits::{CHARSET_PRESCAN_BYTES, CHARSET_SNIFF_BYTES};
use chardetng::{EncodingDetector, Iso2022JpDetection, Utf8Detection};
use encoding_rs::{
    Encoding, GB18030, GBK, UTF_16BE, UTF_16LE, UTF_8, WINDOWS_1252, X_USER_DEFINED,
};

pub struct Decoded {
    pub text: String,
    /// WHATWG name in lower case: `utf-8`, `gbk`, `gb18030`, `big5`, `utf-16le`, …
    pub encoding: String,
    pub warnings: Vec<String>,
}

/// Decodes an HTML page: BOM → `<meta>`/`<?xml?>` declaration (verified) → UTF-8 → detection → GBK.
pub fn decode_html(bytes: &[u8]) -> Decoded {
    if let Some(d) = decode_bom(bytes) {
        return d;
    }
    match prescan(bytes) {
        Some(label) => decode_declared(bytes, &label),
        None => decode_undeclared(bytes),
    }
}

/// Decodes an HTML page whose charset a container declares (the MIME part of an MHT file, as
/// HTTP's Content-Type would): BOM → that label (verified against the bytes, like a `<meta>`) →
/// the page's own declaration when the label is unknown.
pub fn decode_html_declared(bytes: &[u8], label: &str) -> Decoded {
    if let Some(d) = decode_bom(bytes) {
        return d;
    }
    if resolve_label(label).is_none() {
        return decode_html(bytes);
    }
    decode_declared(bytes, label)
}

/// Decodes plain text: BOM → UTF-8 → detection → GBK.
pub fn decode_text(bytes: &[u8]) -> Decoded {
    if let Some(d) = decode_bom(bytes) {
        return d;
    }
    decode_undeclared(bytes)
}

fn name(enc: &'static Encoding) -> String {
    enc.name().to_ascii_lowercase()
}

fn decoded(text: String, enc: &'static Encoding, warnings: Vec<String>) -> Decoded {
    Decoded {
        text,
        encoding: name(enc),
        warnings,
    }
}

/// Decodes with `enc` and counts the replacement characters the decoder had to insert.
fn decode_counting(bytes: &[u8], enc: &'static Encoding) -> (String, usize) {
    let (text, had_errors) = enc.decode_without_bom_handling(bytes);
    let bad = if had_errors {
        count_replacements(&text)
    } else {
        0
    };
    (text.into_owned(), bad)
}

fn count_replacements(text: &str) -> usize {
    text.chars().filter(|&c| c == '\u{FFFD}').count()
}

fn non_ascii_chars(text: &str) -> usize {
    text.chars().filter(|c| !c.is_ascii()).count()
}

/// Many malformed sequences: more than 1 % of the non-ASCII characters are replacements.
fn mostly_broken(text: &str, bad: usize) -> bool {
    bad > 0 && bad * 100 > non_ascii_chars(text).max(1)
}

fn decode_bom(bytes: &[u8]) -> Option<Decoded> {
    let (enc, bom_len) = Encoding::for_bom(bytes)?;
    let (text, bad) = decode_counting(&bytes[bom_len..], enc);
    let mut warnings = Vec::new();
    if bad > 0 {
        warnings.push(format!(
            "charset_invalid_bytes: {bad} replaced ({} BOM)",
            name(enc)
        ));
    }
    Some(decoded(text, enc, warnings))
}

/// Resolves a declared label the way browsers do: UTF-16 labels in a byte-scanned document
/// mean UTF-8, `x-user-defined` means windows-1252.
fn resolve_label(label: &str) -> Option<&'static Encoding> {
    let label = label.trim();
    // Windows code-page names the Encoding Standard does not list but Chinese pages use.
    let enc = match label.to_ascii_lowercase().as_str() {
        "cp936" | "ms936" | "windows-936" | "gb_2312" => GBK,
        "cp950" | "ms950" | "windows-950" => encoding_rs::BIG5,
        "cp54936" | "windows-54936" => GB18030,
        _ => Encoding::for_label(label.as_bytes())?,
    };
    Some(if enc == UTF_16LE || enc == UTF_16BE {
        UTF_8
    } else if enc == X_USER_DEFINED {
        WINDOWS_1252
    } else {
        enc
    })
}

fn decode_declared(bytes: &[u8], label: &str) -> Decoded {
    let Some(declared) = resolve_label(label) else {
        let mut d = decode_undeclared(bytes);
        d.warnings
            .insert(0, format!("charset_unknown_label: {}", short(label)));
        return d;
    };
    if declared == UTF_8 {
        if let Ok(s) = std::str::from_utf8(bytes) {
            return decoded(s.to_owned(), UTF_8, Vec::new());
        }
        let (text, bad) = decode_counting(bytes, UTF_8);
        if mostly_utf8(&text, bad) {
            return decoded(
                text,
                UTF_8,
                vec![format!("charset_invalid_bytes: {bad} replaced")],
            );
        }
        let guess = detect(bytes);
        let enc = if guess == UTF_8 { GBK } else { guess };
        let (text, bad) = decode_counting(bytes, enc);
        let mut warnings = vec![format!(
            "charset_mismatch: page declares utf-8 but is {}",
            name(enc)
        )];
        if bad > 0 {
            warnings.push(format!("charset_invalid_bytes: {bad} replaced"));
        }
        return decoded(text, enc, warnings);
    }
    // Declared a legacy encoding: UTF-8 bytes with non-ASCII content win (CMS re-saves).
    if let Ok(s) = std::str::from_utf8(bytes) {
        if !s.is_ascii() {
            let w = format!(
                "charset_mismatch: page declares {} but is UTF-8",
                name(declared)
            );
            return decoded(s.to_owned(), UTF_8, vec![w]);
        }
        return decoded(s.to_owned(), declared, Vec::new());
    }
    // A single-byte declaration (often `iso-8859-1`) never fails to decode, so it cannot be
    // verified by errors; ask the detector whether the bytes are really a CJK encoding.
    if declared.is_single_byte() {
        let guess = detect(bytes);
        if !guess.is_single_byte() && guess != UTF_8 {
            let (text, bad) = decode_counting(bytes, guess);
            if bad == 0 || !mostly_broken(&text, bad) {
                let w = format!(
                    "charset_mismatch: page declares {} but is {}",
                    name(declared),
                    name(guess)
                );
                let mut warnings = vec![w];
                if bad > 0 {
                    warnings.push(format!("charset_invalid_bytes: {bad} replaced"));
                }
                return decoded(text, guess, warnings);
            }
        }
        let (text, _) = decode_counting(bytes, declared);
        return decoded(text, declared, Vec::new());
    }
    let (text, bad) = decode_counting(bytes, declared);
    if declared == GBK || declared == GB18030 {
        // The GBK decoder accepts almost any Big5 byte pair, so Big5 under a gb2312 meta decodes
        // "cleanly" into rare characters. Real Chinese text is full of common ones.
        let (common, cjk) = common_han(&text);
        if cjk >= 50 && common * 20 < cjk {
            let (alt, alt_bad) = decode_counting(bytes, encoding_rs::BIG5);
            let (alt_common, alt_cjk) = common_han(&alt);
            if !mostly_broken(&alt, alt_bad) && alt_common * cjk >= 3 * common * alt_cjk.max(1) {
                let mut warnings = vec![format!(
                    "charset_mismatch: page declares {} but is big5",
                    name(declared)
                )];
                if alt_bad > 0 {
                    warnings.push(format!("charset_invalid_bytes: {alt_bad} replaced"));
                }
                return decoded(alt, encoding_rs::BIG5, warnings);
            }
        }
    }
    if bad == 0 {
        return decoded(text, declared, Vec::new());
    }
    if mostly_broken(&text, bad) {
        // The detector's guess first; when it agrees with the (broken) declaration, the other
        // Chinese encodings: Big5 bytes under a gb2312 meta decode as GBK with many errors, and
        // the `cn` hint can keep the detector on GBK.
        let mut best: Option<(&'static Encoding, String, usize)> = None;
        for cand in [detect(bytes), encoding_rs::BIG5, GBK] {
            if cand == declared || cand == UTF_8 || best.as_ref().is_some_and(|b| b.0 == cand) {
                continue;
            }
            let (alt, alt_bad) = decode_counting(bytes, cand);
            if best.as_ref().is_none_or(|b| alt_bad < b.2) {
                best = Some((cand, alt, alt_bad));
            }
            if alt_bad == 0 {
                break;
            }
        }
        if let Some((guess, alt, alt_bad)) = best {
            if alt_bad < bad && !mostly_broken(&alt, alt_bad) {
                let w = format!(
                    "charset_mismatch: page declares {} but is {}",
                    name(declared),
                    name(guess)
                );
                let mut warnings = vec![w];
                if alt_bad > 0 {
                    warnings.push(format!("charset_invalid_bytes: {alt_bad} replaced"));
                }
                return decoded(alt, guess, warnings);
            }
        }
    }
    decoded(
        text,
        declared,
        vec![format!("charset_invalid_bytes: {bad} replaced")],
    )
}

/// Han characters that are frequent in reports and written the same in simplified and
/// traditional script: (how many of the text's Han characters are among them, Han characters).
fn common_han(text: &str) -> (usize, usize) {
    const COMMON: &str = "的一是在不了有和人中大上年月日公政府信息件其他部本行及以等共按所法第工作情主依通提出收到站度理予全分";
    // The same characters sorted, for a binary search per Han character.
    static SORTED: std::sync::OnceLock<Vec<u32>> = std::sync::OnceLock::new();
    let sorted = SORTED.get_or_init(|| {
        let mut v: Vec<u32> = COMMON.chars().map(u32::from).collect();
        v.sort_unstable();
        v.dedup();
        v
    });
    let mut common = 0;
    let mut cjk = 0;
    // U+4E00..U+9FFF are the three-byte sequences led by E4..E9 (U+4000 and up): a byte scan
    // that skips ASCII markup, instead of decoding every character of the page.
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        // Eight ASCII bytes at a time.
        if let Some(w) = b.get(i..i + 8) {
            let w = u64::from_le_bytes([w[0], w[1], w[2], w[3], w[4], w[5], w[6], w[7]]);
            if w & 0x8080_8080_8080_8080 == 0 {
                i += 8;
                continue;
            }
        }
        let lead = b[i];
        if (0xE4..=0xE9).contains(&lead) && i + 2 < b.len() {
            let c = (u32::from(lead & 0x0F) << 12)
                | (u32::from(b[i + 1] & 0x3F) << 6)
                | u32::from(b[i + 2] & 0x3F);
            if c >= 0x4E00 {
                cjk += 1;
                if sorted.binary_search(&c).is_ok() {
                    common += 1;
                }
            }
            i += 3;
        } else {
            i += 1;
        }
    }
    (common, cjk)
}

/// Mostly UTF-8 with a few stray bytes: at least ten good non-ASCII characters per replacement.
fn mostly_utf8(text: &str, bad: usize) -> bool {
    let good = non_ascii_chars(text).saturating_sub(bad);
    good > 0 && good >= bad * 10
}

fn decode_undeclared(bytes: &[u8]) -> Decoded {
    if let Ok(s) = std::str::from_utf8(bytes) {
        return decoded(s.to_owned(), UTF_8, Vec::new());
    }
    let (text, bad) = decode_counting(bytes, UTF_8);
    if mostly_utf8(&text, bad) {
        return decoded(
            text,
            UTF_8,
            vec![format!("charset_invalid_bytes: {bad} replaced")],
        );
    }
    let guess = detect(bytes);
    let (enc, rule) = if guess == UTF_8 {
        (
            GBK,
            "charset_default: gbk (no declaration, detection inconclusive)".to_string(),
        )
    } else {
        (
            guess,
            format!("charset_detected: {} (no declaration)", name(guess)),
        )
    };
    let (text, bad) = decode_counting(bytes, enc);
    let mut warnings = vec![rule];
    if bad > 0 {
        warnings.push(format!("charset_invalid_bytes: {bad} replaced"));
    }
    decoded(text, enc, warnings)
}

/// chardetng on a bounded window starting at the first non-ASCII byte, with the `cn` TLD hint.
fn detect(bytes: &[u8]) -> &'static Encoding {
    let Some(start) = bytes.iter().position(|b| !b.is_ascii()) else {
        return UTF_8;
    };
    let (window, last) = text_between_tags(&bytes[start..], CHARSET_SNIFF_BYTES);
    let mut det = EncodingDetector::new(Iso2022JpDetection::Deny);
    det.feed(&window, last);
    let mut guess = det.guess(Some(b"cn"), Utf8Detection::Allow);
    // The `cn` hint pulls Traditional Chinese (Big5) bytes to GBK, whose decoder accepts them
    // as garbage; without the hint chardetng tells the two apart.
    if guess == GBK && det.guess(None, Utf8Detection::Allow) == encoding_rs::BIG5 {
        guess = encoding_rs::BIG5;
    }
    // encoding_rs's GBK decoder covers gb18030; report GBK unless the page said gb18030.
    if guess == GB18030 {
        GBK
    } else {
        guess
    }
}

/// What the detector is fed: the bytes outside `<…>` tags, each tag replaced by one space, at
/// most `cap` of them, and whether that reached the end of `bytes`. Markup is ASCII that costs
/// the detector time and tells it nothing (a Word page is three quarters markup). `<` and `>`
/// are never the second byte of a GBK, Big5 or Shift_JIS pair (those are 0x40 or above), so
/// cutting at them never splits a character. Text with a `<` and no `>` after it is kept whole.
fn text_between_tags(bytes: &[u8], cap: usize) -> (Vec<u8>, bool) {
    let mut out = Vec::with_capacity(cap.min(bytes.len()));
    let mut pos = 0;
    while pos < bytes.len() && out.len() < cap {
        let room = cap - out.len();
        let Some(lt) = memchr::memchr(b'<', &bytes[pos..]).map(|i| pos + i) else {
            let end = bytes.len().min(pos + room);
            out.extend_from_slice(&bytes[pos..end]);
            return (out, end == bytes.len());
        };
        let end = lt.min(pos + room);
        out.extend_from_slice(&bytes[pos..end]);
        if end < lt {
            return (out, false);
        }
        match memchr::memchr(b'>', &bytes[lt..]) {
            Some(gt) => {
                if out.last().is_some_and(|b| *b != b' ') {
                    out.push(b' ');
                }
                pos = lt + gt + 1;
            }
            None => {
                let end = bytes.len().min(lt + (cap - out.len()));
                out.extend_from_slice(&bytes[lt..end]);
                return (out, end == bytes.len());
            }
        }
    }
    (out, pos >= bytes.len())
}

fn short(s: &str) -> String {
    s.chars().take(40).collect()
}

/// Finds a declared charset in the head of the page: `<?xml … encoding=…?>`, `<meta charset=…>`
/// or `<meta http-equiv="Content-Type" content="…; charset=…">`. Comments are skipped.
fn prescan(bytes: &[u8]) -> Option<String> {
    let head = &bytes[..bytes.len().min(CHARSET_PRESCAN_BYTES)];
    let start = head
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(head.len());
    if head[start..].starts_with(b"<?xml") {
        let end = find(&head[start..], b"?>").map_or(head.len(), |e| start + e);
        if let Some(label) = attr_value(&head[start..end], b"encoding") {
            return Some(label);
        }
    }
    let mut i = 0;
    while i < head.len() {
        let rest = &head[i..];
        if rest.starts_with(b"<!--") {
            match find(&rest[4..], b"-->") {
                Some(e) => i += 4 + e + 3,
                None => return None,
            }
            continue;
        }
        if rest.len() > 5
            && rest[..5].eq_ignore_ascii_case(b"<meta")
            && matches!(rest[5], b' ' | b'\t' | b'\n' | b'\r' | b'\x0c' | b'/')
        {
            let end = rest.iter().position(|&b| b == b'>').unwrap_or(rest.len());
            if let Some(label) = attr_value(&rest[..end], b"charset") {
                return Some(label);
            }
            i += end.max(1);
            continue;
        }
        i += 1;
    }
    None
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// The value after `key` `=` (optionally quoted) anywhere in `tag`, compared case-insensitively.
/// Serves both `charset="gbk"` and `content="text/html; charset=gbk"`.
fn attr_value(tag: &[u8], key: &[u8]) -> Option<String> {
    let lower = tag.to_ascii_lowercase();
    let mut from = 0;
    while let Some(p) = find(&lower[from..], key) {
        let mut j = from + p + key.len();
        from = j;
        while j < lower.len() && lower[j].is_ascii_whitespace() {
            j += 1;
        }
        if j >= lower.len() || lower[j] != b'=' {
            continue;
        }
        j += 1;
        while j < lower.len() && lower[j].is_ascii_whitespace() {
            j += 1;
        }
        if j < lower.len() && (lower[j] == b'"' || lower[j] == b'\'') {
            j += 1;
        }
        let end = lower[j..]
            .iter()
            .position(|&b| {
                matches!(b, b'"' | b'\'' | b';' | b'>' | b'/' | b'?') || b.is_ascii_whitespace()
            })
            .map_or(lower.len(), |e| j + e);
        if end > j {
            return Some(String::from_utf8_lossy(&lower[j..end]).into_owned());
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_detector_sees_the_text_between_tags() {
        let (w, last) = text_between_tags(b"ab<p class=x>cd</p><br>ef", 100);
        assert_eq!(w, b"ab cd ef");
        assert!(last);
        // Capped, and the cap is not the end.
        let (w, last) = text_between_tags(b"abcdef<p>gh", 4);
        assert_eq!(w, b"abcd");
        assert!(!last);
        // A `<` never closed: the rest is text.
        let (w, last) = text_between_tags(b"a < b and c", 100);
        assert_eq!(w, b"a < b and c");
        assert!(last);
        // GBK pairs whose second byte is ASCII (0x40..0x7E) stay whole.
        let gbk = b"\xb1\x40<td>\x81\x7e</td>";
        let (w, _) = text_between_tags(gbk, 100);
        assert_eq!(w, b"\xb1\x40 \x81\x7e ");
    }

    #[test]
    fn big5_under_a_gb2312_meta_is_read_as_big5() {
        let page = "<html><head><meta charset=gb2312></head><body>".to_string()
            + &"<p>本年度政府信息公開工作情況，其他部門依申請公開的信息件數等</p>".repeat(5)
            + "</body></html>";
        let (bytes, _, _) = encoding_rs::BIG5.encode(&page);
        let d = decode_html(&bytes);
        assert_eq!(d.encoding, "big5");
        assert!(d.text.contains("政府信息公開"), "{}", d.text);
        assert!(d.warnings[0].starts_with("charset_mismatch"));
        // Real GBK under the same meta stays GBK.
        let (bytes, _, _) = GBK.encode(&page);
        let d = decode_html(&bytes);
        assert_eq!(d.encoding, "gbk");
        assert!(d.warnings.is_empty());
    }
    use encoding_rs::BIG5;

    const REPORT: &str = "景山街道2020年政府信息公开工作年度报告 一、本年新收政府信息公开申请数量。\
        本报告根据《中华人民共和国政府信息公开条例》要求编制，由总体情况、主动公开政府信息情况、\
        收到和处理政府信息公开申请情况、政府信息公开行政复议和行政诉讼情况、存在的主要问题及改进情况、\
        其他需要报告的事项等部分组成。本报告中所列数据的统计期限自2020年1月1日起至2020年12月31日止。\
        二、主动公开政府信息情况：本年制发件数、本年废止件数、现行有效件数。三、收到和处理政府信息公开申请情况，\
        申请人情况：自然人、商业企业、科研机构、社会公益组织、法律服务机构、其他。本年度办理结果：予以公开、\
        部分公开、不予公开、无法提供、不予处理。四、政府信息公开行政复议、行政诉讼情况：维持、纠正、其他结果、尚未审结。\
        五、存在的主要问题及改进情况。六、其他需要报告的事项：本年度未收取信息处理费。";

    const REPORT_TW: &str = "景山街道二零二零年政府資訊公開工作年度報告 一、本年新收政府資訊公開申請數量。\
        本報告根據《中華人民共和國政府資訊公開條例》要求編製，由總體情況、主動公開政府資訊情況、\
        收到和處理政府資訊公開申請情況、政府資訊公開行政復議和行政訴訟情況、存在的主要問題及改進情況、\
        其他需要報告的事項等部分組成。本報告中所列數據的統計期限自二零二零年一月一日起至十二月三十一日止。\
        二、主動公開政府資訊情況：本年製發件數、本年廢止件數、現行有效件數。三、收到和處理政府資訊公開申請情況，\
        申請人情況：自然人、商業企業、科研機構、社會公益組織、法律服務機構、其他。本年度辦理結果：予以公開、\
        部分公開、不予公開、無法提供、不予處理。四、政府資訊公開行政復議、行政訴訟情況：維持、糾正、其他結果、尚未審結。";

    fn page(meta: &str, body: &str) -> String {
        format!("<!DOCTYPE html><html><head>{meta}<title>Report</title></head><body><p>{body}</p></body></html>")
    }

    fn encode(s: &str, enc: &'static Encoding) -> Vec<u8> {
        let (b, _, unmappable) = enc.encode(s);
        assert!(!unmappable, "test text not representable in {}", enc.name());
        b.into_owned()
    }

    #[test]
    fn gbk_page_with_meta_gb2312() {
        let html = page(
            r#"<meta http-equiv="Content-Type" content="text/html; charset=gb2312">"#,
            REPORT,
        );
        let d = decode_html(&encode(&html, GBK));
        assert_eq!(d.encoding, "gbk");
        assert!(d.text.contains("本年新收政府信息公开申请数量"));
        assert!(d.warnings.is_empty(), "{:?}", d.warnings);
    }

    #[test]
    fn gbk_page_with_meta_gbk() {
        let html = page(r#"<meta charset="GBK" />"#, REPORT);
        let d = decode_html(&encode(&html, GBK));
        assert_eq!(d.encoding, "gbk");
        assert!(d.text.contains("景山街道2020年"));
        assert!(d.warnings.is_empty(), "{:?}", d.warnings);
    }

    #[test]
    fn gbk_page_without_meta_is_detected() {
        let html = page("", REPORT);
        let d = decode_html(&encode(&html, GBK));
        assert_eq!(d.encoding, "gbk");
        assert!(d.text.contains("申请人情况"));
        assert!(
            d.warnings.iter().any(|w| w.starts_with("charset_detected")),
            "{:?}",
            d.warnings
        );
    }

    #[test]
    fn utf8_page_whose_meta_says_gb2312() {
        let html = page(
            r#"<meta http-equiv="Content-Type" content="text/html; charset=gb2312">"#,
            REPORT,
        );
        let d = decode_html(html.as_bytes());
        assert_eq!(d.encoding, "utf-8");
        assert_eq!(d.text, html);
        assert!(
            d.warnings.iter().any(|w| w.starts_with("charset_mismatch")),
            "{:?}",
            d.warnings
        );
    }

    #[test]
    fn gbk_page_whose_meta_says_utf8() {
        let html = page(r#"<meta charset="utf-8">"#, REPORT);
        let d = decode_html(&encode(&html, GBK));
        assert_eq!(d.encoding, "gbk");
        assert!(d.text.contains("本年新收政府信息公开申请数量"));
        assert!(
            d.warnings.iter().any(|w| w.starts_with("charset_mismatch")),
            "{:?}",
            d.warnings
        );
    }

    #[test]
    fn big5_page_with_meta() {
        let html = page(r#"<meta charset="big5">"#, REPORT_TW);
        let d = decode_html(&encode(&html, BIG5));
        assert_eq!(d.encoding, "big5");
        assert!(d.text.contains("政府資訊公開工作年度報告"));
        assert!(d.warnings.is_empty(), "{:?}", d.warnings);
    }

    #[test]
    fn big5_page_without_meta_is_detected() {
        let html = page("", REPORT_TW);
        let d = decode_html(&encode(&html, BIG5));
        assert_eq!(d.encoding, "big5", "{:?}", d.warnings);
        assert!(d.text.contains("政府資訊公開工作年度報告"));
    }

    #[test]
    fn gb18030_four_byte_characters() {
        // 𠀀 (U+20000) and € need gb18030's four-byte sequences / extensions.
        let body = format!("{REPORT} 𠀀 䶮");
        let html = page(r#"<meta charset="gb18030">"#, &body);
        let bytes = encode(&html, GB18030);
        let d = decode_html(&bytes);
        assert_eq!(d.encoding, "gb18030");
        assert!(d.text.contains("𠀀 䶮"));
        assert!(d.warnings.is_empty(), "{:?}", d.warnings);
        // Labelled gb2312 the GBK decoder still decodes the four-byte range.
        let html2 = page(r#"<meta charset="gb2312">"#, &body);
        let d2 = decode_html(&encode(&html2, GB18030));
        assert_eq!(d2.encoding, "gbk");
        assert!(d2.text.contains("𠀀 䶮"));
    }

    #[test]
    fn utf8_bom_wins_over_meta() {
        let html = page(r#"<meta charset="gbk">"#, REPORT);
        let mut bytes = vec![0xEF, 0xBB, 0xBF];
        bytes.extend_from_slice(html.as_bytes());
        let d = decode_html(&bytes);
        assert_eq!(d.encoding, "utf-8");
        assert_eq!(d.text, html);
        assert!(d.warnings.is_empty());
    }

    #[test]
    fn utf16le_bom() {
        let html = page("", REPORT);
        let mut bytes = vec![0xFF, 0xFE];
        for u in html.encode_utf16() {
            bytes.extend_from_slice(&u.to_le_bytes());
        }
        let d = decode_html(&bytes);
        assert_eq!(d.encoding, "utf-16le");
        assert_eq!(d.text, html);
        let t = decode_text(&bytes);
        assert_eq!(t.encoding, "utf-16le");
    }

    #[test]
    fn invalid_bytes_inside_a_utf8_page() {
        let html = page(r#"<meta charset="utf-8">"#, REPORT);
        let mut bytes = html.as_bytes().to_vec();
        let at = html.find("一、").unwrap();
        bytes.splice(at..at, [0xFF, 0xC3]);
        let d = decode_html(&bytes);
        assert_eq!(d.encoding, "utf-8");
        assert!(d.text.contains("本年新收政府信息公开申请数量"));
        assert!(
            d.warnings
                .iter()
                .any(|w| w.starts_with("charset_invalid_bytes: 2")),
            "{:?}",
            d.warnings
        );
        // Same without any declaration, through the text path.
        let t = decode_text(&bytes);
        assert_eq!(t.encoding, "utf-8");
        assert!(
            t.warnings
                .iter()
                .any(|w| w.starts_with("charset_invalid_bytes")),
            "{:?}",
            t.warnings
        );
    }

    #[test]
    fn text_paths() {
        let t = decode_text(REPORT.as_bytes());
        assert_eq!((t.encoding.as_str(), t.warnings.len()), ("utf-8", 0));
        let g = decode_text(&encode(REPORT, GBK));
        assert_eq!(g.encoding, "gbk");
        assert_eq!(g.text, REPORT);
        let b = decode_text(&encode(REPORT_TW, BIG5));
        assert_eq!(b.encoding, "big5");
        assert_eq!(b.text, REPORT_TW);
        let e = decode_text(b"plain ascii");
        assert_eq!(e.encoding, "utf-8");
    }

    #[test]
    fn latin1_declaration_on_gbk_bytes() {
        let html = page(
            r#"<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">"#,
            REPORT,
        );
        let d = decode_html(&encode(&html, GBK));
        assert_eq!(d.encoding, "gbk");
        assert!(d.text.contains("本年新收"));
        assert!(d.warnings.iter().any(|w| w.starts_with("charset_mismatch")));
    }

    #[test]
    fn prescan_forms() {
        assert_eq!(
            prescan(br#"<?xml version="1.0" encoding="GB2312"?><html>"#).as_deref(),
            Some("gb2312")
        );
        assert_eq!(prescan(b"<meta charset=gbk>").as_deref(), Some("gbk"));
        assert_eq!(prescan(b"<!-- <meta charset=big5> --><META HTTP-EQUIV='Content-Type' CONTENT='text/html;charset=GBK'>").as_deref(), Some("gbk"));
        assert_eq!(prescan(b"<meta name=x content=y><p>no</p>"), None);
        assert_eq!(resolve_label("utf-16"), Some(UTF_8));
        assert_eq!(resolve_label("cp936"), Some(GBK));
        assert_eq!(resolve_label("x-gbk"), Some(GBK));
        assert_eq!(resolve_label("chinese"), Some(GBK));
    }

    #[test]
    fn common_han_byte_scan_matches_a_char_scan() {
        let naive = |text: &str| {
            const COMMON: &str = "的一是在不了有和人中大上年月日公政府信息件其他部本行及以等共按所法第工作情主依通提出收到站度理予全分";
            let han: Vec<char> = text
                .chars()
                .filter(|c| ('\u{4E00}'..='\u{9FFF}').contains(c))
                .collect();
            (
                han.iter().filter(|&&c| COMMON.contains(c)).count(),
                han.len(),
            )
        };
        for t in [
            "",
            "abc",
            "政府信息公开工作年度报告，2023年。",
            "\u{4DFF}\u{4E00}\u{9FFF}\u{A000}\u{3400}丂丏ꀀ𠀀é的",
            "<p>鍾馗 的 分</p>\u{FFFD}",
        ] {
            assert_eq!(common_han(t), naive(t), "{t}");
        }
        let bytes = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/corpus/enc_big5_v2021_11_zhongshan_2021.html"
        ))
        .unwrap_or_default();
        for enc in [GBK, encoding_rs::BIG5, UTF_8] {
            let (t, _) = decode_counting(&bytes, enc);
            assert_eq!(common_han(&t), naive(&t));
        }
    }
}

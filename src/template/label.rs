//! Label normalisation and matching: how a printed label is compared with the template's.
//!
//! Reports print labels with other quote marks, `1．`/`1、`/`1.` numbering, full-width digits,
//! line breaks and stray spaces inside words; all of that is folded away before comparing.

use super::cell::{fold_width, is_blank_char};

/// Folds width, drops blanks, quotes and punctuation: the comparable core of a label.
pub fn normalize(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    push_normalized(&mut out, s);
    out
}

/// Appends [`normalize`]`(s)` to `out` (texts built from many cells, without a string each).
pub fn push_normalized(out: &mut String, s: &str) {
    out.extend(
        s.chars()
            .map(fold_width)
            .filter(|c| !is_blank_char(*c) && !is_punct(*c))
            .map(|c| match c {
                '（' => '(',
                '）' => ')',
                _ => c,
            })
            .filter(|c| *c != '(' && *c != ')'),
    );
}

fn is_punct(c: char) -> bool {
    matches!(
        c,
        '“' | '”'
            | '"'
            | '\''
            | '‘'
            | '’'
            | '「'
            | '」'
            | '『'
            | '』'
            | '、'
            | '，'
            | ','
            | '。'
            | '.'
            | '．'
            | '：'
            | ':'
            | '；'
            | ';'
            | '·'
            | '*'
            | '#'
            | '|'
            | '_'
            | '【'
            | '】'
            | '['
            | ']'
            | '《'
            | '》'
            | '!'
            | '！'
    )
}

const CN_DIGITS: &[char] = &[
    '〇', '一', '二', '三', '四', '五', '六', '七', '八', '九', '十',
];

fn cn_value(c: char) -> Option<u8> {
    CN_DIGITS.iter().position(|&d| d == c).map(|p| p as u8)
}

/// A label's leading enumerator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Numbering {
    /// 一、 二、 … (top level).
    Top(u8),
    /// （一） (一) … (group).
    Group(u8),
    /// 1. 1． 1、 1） (item).
    Item(u8),
}

/// Splits a label into its leading enumerator (if any) and the rest.
pub fn split_numbering(s: &str) -> (Option<Numbering>, &str) {
    let t = s.trim_start_matches(is_blank_char);
    let mut chars = t.char_indices().peekable();
    let Some((_, first)) = chars.next() else {
        return (None, t);
    };
    let first = fold_width(first);
    // （一） / (一) / （1）
    if first == '(' || first == '（' {
        let mut n: Option<u8> = None;
        for (i, orig) in t.char_indices().skip(1) {
            let c = fold_width(orig);
            if is_blank_char(c) {
                continue;
            }
            if let Some(v) = cn_value(c).or_else(|| c.to_digit(10).map(|d| d as u8)) {
                n = Some(
                    n.unwrap_or(0)
                        .saturating_mul(if n.is_some() { 10 } else { 1 })
                        .saturating_add(v),
                );
                continue;
            }
            if (c == ')' || c == '）') && n.is_some() {
                let rest = &t[i + orig.len_utf8()..];
                return (n.map(Numbering::Group), rest);
            }
            break;
        }
        return (None, t);
    }
    // 一、 / 十一、
    if cn_value(first).is_some() {
        let mut end = 0;
        let mut val: u8 = 0;
        for (i, c) in t.char_indices() {
            if let Some(v) = cn_value(c) {
                val = if v == 10 {
                    val.max(1) * 10
                } else if val >= 10 && val.is_multiple_of(10) {
                    val + v
                } else {
                    v
                };
                end = i + c.len_utf8();
            } else {
                break;
            }
        }
        let rest = &t[end..];
        let rest_trim = rest.trim_start_matches(is_blank_char);
        if let Some(r) = rest_trim
            .strip_prefix('、')
            .or_else(|| rest_trim.strip_prefix('.'))
            .or_else(|| rest_trim.strip_prefix('．'))
        {
            return (Some(Numbering::Top(val)), r);
        }
        return (None, t);
    }
    // 1. / 1． / 1、 / 1） / "1 属于"
    if first.is_ascii_digit() {
        let mut val: u32 = 0;
        let mut end = 0;
        for (i, c) in t.char_indices() {
            let f = fold_width(c);
            if let Some(d) = f.to_digit(10) {
                val = val * 10 + d;
                end = i + c.len_utf8();
            } else {
                break;
            }
        }
        let rest = &t[end..];
        let rest_trim = rest.trim_start_matches(is_blank_char);
        for sep in ['.', '．', '、', ')', '）', '，'] {
            if let Some(r) = rest_trim.strip_prefix(sep) {
                if val < 100 {
                    return (Some(Numbering::Item(val as u8)), r);
                }
            }
        }
        return (None, t);
    }
    (None, t)
}

/// Normalised core with the leading enumerator removed.
pub fn core(s: &str) -> String {
    normalize(split_numbering(s).1)
}

/// Length of the longest common subsequence, in chars (labels are short; O(n·m) is fine).
/// Rows live on the stack for labels up to 64 chars, the usual case.
fn lcs(a: &str, b: &str) -> usize {
    const STACK: usize = 64;
    let mut bbuf = ['\0'; STACK];
    let bheap: Vec<char>;
    let bc: &[char] = {
        let mut n = 0;
        let mut fits = true;
        for c in b.chars() {
            if n == STACK {
                fits = false;
                break;
            }
            bbuf[n] = c;
            n += 1;
        }
        if fits {
            &bbuf[..n]
        } else {
            bheap = b.chars().collect();
            &bheap
        }
    };
    let n = bc.len();
    let mut stack = [0u16; 2 * (STACK + 1)];
    let mut heap: Vec<u16>;
    let rows: &mut [u16] = if n <= STACK {
        &mut stack[..2 * (n + 1)]
    } else {
        heap = vec![0u16; 2 * (n + 1)];
        &mut heap
    };
    let (mut prev, mut cur) = rows.split_at_mut(n + 1);
    for x in a.chars() {
        for (j, &y) in bc.iter().enumerate() {
            cur[j + 1] = if x == y {
                prev[j] + 1
            } else {
                prev[j + 1].max(cur[j])
            };
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[n] as usize
}

/// Substring test for short strings: a byte window scan (UTF-8 is self-synchronising, so a
/// byte match of a whole string is a char match) without the setup cost of `str::contains`.
fn contains_short(hay: &str, needle: &str) -> bool {
    let (h, n) = (hay.as_bytes(), needle.as_bytes());
    if n.is_empty() {
        return true;
    }
    if n.len() > h.len() {
        return false;
    }
    let first = n[0];
    (0..=h.len() - n.len()).any(|i| h[i] == first && &h[i..i + n.len()] == n)
}

/// How well a normalised label matches a normalised alias, in [0, 1].
///
/// 1.0 exact; ~0.9 the label contains the alias (a longer printed label, e.g. with a note);
/// ~0.6–0.9 the label is a fragment of the alias (wrapped or cut labels); lower for fuzzy
/// matches (a typo or a dropped character).
pub fn similarity(label: &str, alias: &str) -> f64 {
    similarity_n(label, label.chars().count(), alias)
}

/// [`similarity`] with the label's length in chars already counted.
fn similarity_n(label: &str, ln: usize, alias: &str) -> f64 {
    if label.is_empty() || alias.is_empty() {
        return 0.0;
    }
    if label == alias {
        return 1.0;
    }
    let an = alias.chars().count();
    if an <= ln && contains_short(label, alias) {
        // Short aliases ("其他", "总计") inside long labels are weak evidence.
        let ratio = an as f64 / ln as f64;
        if an >= 4 || ratio >= 0.5 {
            return 0.85 + 0.1 * ratio;
        }
        return 0.4 * ratio + 0.2;
    }
    if ln >= 3 && ln <= an && contains_short(alias, label) {
        return 0.55 + 0.35 * (ln as f64 / an as f64);
    }
    // The LCS cannot reach 0.6 of the longer string when the shorter one is below that.
    if (ln.min(an) as f64) < 0.6 * ln.max(an) as f64 {
        return 0.0;
    }
    // The LCS is at most the number of label chars that occur in the alias at all; a 64-bit
    // char fingerprint of the alias gives a cheap upper bound of that.
    let mut bits = 0u64;
    for c in alias.chars() {
        bits |= 1 << (c as u32 % 64);
    }
    let bound = label
        .chars()
        .filter(|&c| bits & (1 << (c as u32 % 64)) != 0)
        .count();
    if (bound as f64) / (ln.max(an) as f64) < 0.6 {
        return 0.0;
    }
    let sim = lcs(label, alias) as f64 / ln.max(an) as f64;
    if sim >= 0.6 {
        0.75 * sim
    } else {
        0.0
    }
}

/// Best similarity of a normalised label against any of several aliases (written normalised,
/// as the template data is).
pub fn best_similarity(label: &str, aliases: &[&str]) -> f64 {
    let ln = label.chars().count();
    let mut best = 0.0f64;
    for a in aliases {
        best = best.max(similarity_n(label, ln, a));
        if best >= 1.0 {
            break;
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalising_folds_quotes_width_and_spaces() {
        assert_eq!(
            normalize("3.危及“三安全一稳定”"),
            normalize("3. 危及\"三安全一稳定\"")
        );
        assert_eq!(normalize("危及'三安全一稳定'"), "危及三安全一稳定");
        assert_eq!(normalize("商业\n企业"), "商业企业");
        assert_eq!(normalize("（七）总计"), "七总计");
    }

    #[test]
    fn numbering_variants() {
        assert_eq!(split_numbering("一、本年新收").0, Some(Numbering::Top(1)));
        assert_eq!(
            split_numbering("（三）不予公开").0,
            Some(Numbering::Group(3))
        );
        assert_eq!(split_numbering("(六) 其他").0, Some(Numbering::Group(6)));
        assert_eq!(
            split_numbering("1.属于国家秘密"),
            (Some(Numbering::Item(1)), "属于国家秘密")
        );
        assert_eq!(
            split_numbering("1．属于国家秘密").0,
            Some(Numbering::Item(1))
        );
        assert_eq!(split_numbering("1、申请人").0, Some(Numbering::Item(1)));
        assert_eq!(split_numbering("１. 属于").0, Some(Numbering::Item(1)));
        assert_eq!(split_numbering("十一、其他").0, Some(Numbering::Top(11)));
        assert_eq!(split_numbering("三安全").0, None);
        assert_eq!(
            core("2. 其他法律行政法规禁止公开"),
            "其他法律行政法规禁止公开"
        );
    }

    #[test]
    fn similarity_orders_sensibly() {
        let exact = similarity("属于国家秘密", "属于国家秘密");
        let fragment = similarity("其他法律行政法规禁", "其他法律行政法规禁止公开");
        let typo = similarity("其他法律行政止公开", "其他法律行政法规禁止公开");
        assert_eq!(exact, 1.0);
        assert!(fragment > 0.7 && fragment < exact);
        assert!(typo > 0.5 && typo < fragment);
        assert!(similarity("其他法律行政法规禁止公开", "其他") < 0.5);
        assert_eq!(similarity("予以公开", "重复申请"), 0.0);
    }
}

//! Reading numbers out of narrative text, loosely (rules.md §5): full-width digits folded,
//! spaces and line breaks dropped (PDF-to-text renderings hard-wrap lines, even inside a
//! number's phrase: `不予公开答复 2\n件`), Markdown emphasis ignored.

use crate::template::cell::{fold_width, is_blank_char};

/// Characters that end a clause: a phrase and its number never span one.
pub fn is_boundary(c: char) -> bool {
    matches!(
        c,
        '。' | '；'
            | ';'
            | '，'
            | ','
            | '！'
            | '!'
            | '？'
            | '?'
            | '、'
            | '（'
            | '('
            | '）'
            | ')'
            | '\n'
    )
}

/// A text made ready for phrase matching: width-folded, blanks and `*`/`#` removed, lines
/// joined. Parts are kept apart by `\n` (a boundary).
pub fn compact(text: &str) -> Vec<char> {
    text.chars()
        .filter(|c| *c == '\n' || !(is_blank_char(*c) || matches!(c, '*' | '#' | '\r')))
        .map(fold_width)
        .collect::<String>()
        // A line break inside a sentence is a rendering artefact; one after a sentence end
        // or a heading-like short line still separates.
        .split('\n')
        .fold(String::new(), |mut acc, line| {
            if !acc.is_empty() && !acc.ends_with(['。', '；', ';', '：', ':']) {
                // joined
            } else if !acc.is_empty() {
                acc.push('\n');
            }
            acc.push_str(line);
            acc
        })
        .chars()
        .collect()
}

/// A text width-folded with blanks and `*`/`#` removed, line breaks kept (ordinals are read
/// per line).
pub fn folded(text: &str) -> Vec<char> {
    text.chars()
        .filter(|c| *c == '\n' || !(is_blank_char(*c) || matches!(c, '*' | '#' | '\r')))
        .map(fold_width)
        .collect()
}

/// All parts' narrative, compacted, parts separated by `\n`.
pub fn narrative(texts: &[(&'static str, &str)]) -> Vec<char> {
    let mut out = Vec::new();
    for (_, t) in texts {
        if !out.is_empty() {
            out.push('\n');
        }
        out.extend(compact(t));
    }
    out
}

/// Positions where `pat` occurs in `text`.
pub fn find_all(text: &[char], pat: &str) -> Vec<usize> {
    let p: Vec<char> = pat.chars().collect();
    if p.is_empty() || text.len() < p.len() {
        return vec![];
    }
    let first = p[0];
    let starts = &text[..=text.len() - p.len()];
    let mut out = Vec::new();
    // Most blocks of a narrative hold no first character of the pattern: test a whole block
    // at once (a branch-free fold the compiler turns into vector compares), then look inside
    // the few that do.
    const BLOCK: usize = 16;
    for (b, block) in starts.chunks(BLOCK).enumerate() {
        if !block.iter().fold(false, |any, &c| any | (c == first)) {
            continue;
        }
        for (j, &c) in block.iter().enumerate() {
            let i = b * BLOCK + j;
            if c == first && text[i..i + p.len()] == p[..] {
                out.push(i);
            }
        }
    }
    out
}

/// A number starting at `i` (digits, a thousands separator, a decimal point): (value, end).
pub fn number_at(text: &[char], i: usize) -> Option<(f64, usize)> {
    let mut j = i;
    let mut s = String::new();
    while j < text.len() {
        let c = text[j];
        if c.is_ascii_digit() {
            s.push(c);
            j += 1;
        } else if c == ','
            && !s.is_empty()
            && text
                .get(j + 1..j + 4)
                .is_some_and(|d| d.iter().all(char::is_ascii_digit))
            && !text.get(j + 4).is_some_and(char::is_ascii_digit)
        {
            j += 1;
        } else if c == '.'
            && !s.is_empty()
            && text.get(j + 1).is_some_and(char::is_ascii_digit)
            && !s.contains('.')
        {
            s.push('.');
            j += 1;
        } else {
            break;
        }
    }
    if s.is_empty() {
        return None;
    }
    s.parse().ok().map(|v| (v, j))
}

/// A number phrase found after a keyword.
#[derive(Debug, Clone)]
pub struct Hit {
    pub value: f64,
    /// The phrase as printed (compacted), for messages.
    pub phrase: String,
}

/// Every `keyword … N unit` in `text`: at most `max_gap` characters between the keyword and the
/// number, none of them a clause boundary or a digit; the number followed by one of `units`.
/// `gap_ok` sees the gap (and may require or forbid words); `before_ok` sees up to 6
/// characters before the keyword.
pub fn after_keyword(
    text: &[char],
    keywords: &[&str],
    max_gap: usize,
    units: &[char],
    gap_ok: impl Fn(&str) -> bool,
    before_ok: impl Fn(&str) -> bool,
) -> Vec<Hit> {
    let mut taken: Vec<(usize, usize)> = Vec::new();
    let mut kws: Vec<&str> = keywords.to_vec();
    // Longest first, so 予以公开及部分公开 wins over 部分公开.
    kws.sort_by_key(|k| std::cmp::Reverse(k.chars().count()));
    let mut hits = Vec::new();
    for kw in kws {
        let n = kw.chars().count();
        for p in find_all(text, kw) {
            if taken.iter().any(|(a, b)| p < *b && p + n > *a) {
                continue;
            }
            taken.push((p, p + n));
            let before: String = text[p.saturating_sub(6)..p].iter().collect();
            if !before_ok(&before) {
                continue;
            }
            let mut j = p + n;
            while j < text.len()
                && j - (p + n) <= max_gap
                && !text[j].is_ascii_digit()
                && !is_boundary(text[j])
            {
                j += 1;
            }
            if j >= text.len() || !text[j].is_ascii_digit() || j - (p + n) > max_gap {
                continue;
            }
            let gap: String = text[p + n..j].iter().collect();
            if !gap_ok(&gap) {
                continue;
            }
            let Some((value, end)) = number_at(text, j) else {
                continue;
            };
            if !text.get(end).is_some_and(|c| units.contains(c)) {
                continue;
            }
            hits.push(Hit {
                value,
                phrase: text[p..=end].iter().collect(),
            });
        }
    }
    hits
}

/// Every `N unit … keyword` in `text`: the keyword at most `max_gap` characters after the
/// unit, with no clause boundary between.
pub fn before_keyword(
    text: &[char],
    keywords: &[&str],
    max_gap: usize,
    units: &[char],
    gap_ok: impl Fn(&str) -> bool,
) -> Vec<Hit> {
    let mut hits = Vec::new();
    for kw in keywords {
        for p in find_all(text, kw) {
            // Walk back over the gap to a unit preceded by digits.
            let mut j = p;
            while j > 0 && p - j <= max_gap && !is_boundary(text[j - 1]) {
                let u = text[j - 1];
                if units.contains(&u) && j >= 2 && text[j - 2].is_ascii_digit() {
                    let mut s = j - 2;
                    while s > 0 && (text[s - 1].is_ascii_digit() || text[s - 1] == '.') {
                        s -= 1;
                    }
                    let gap: String = text[j..p].iter().collect();
                    if gap_ok(&gap) {
                        if let Some((value, _)) = number_at(text, s) {
                            hits.push(Hit {
                                value,
                                phrase: text[s..p + kw.chars().count()].iter().collect(),
                            });
                        }
                    }
                    break;
                }
                j -= 1;
            }
        }
    }
    hits
}

/// The clauses (between boundaries other than `、`) of a text.
pub fn clause_slices(text: &[char]) -> impl Iterator<Item = &[char]> {
    text.split(|c| is_boundary(*c) && *c != '、' && *c != '（' && *c != '）')
        .filter(|c| !c.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_join_and_digits_fold() {
        let t = compact("不予公开答复 2\n件，无法提供的 １０ 件。\n二是");
        let s: String = t.iter().collect();
        // Full-width punctuation folds too (，→ ,); both are clause boundaries.
        assert_eq!(s, "不予公开答复2件,无法提供的10件。\n二是");
    }

    #[test]
    fn numbers_after_and_before_keywords() {
        let t = compact("共受理政府信息公开申请 1,295 件，办结 1191 件（含上年结转 189 件）。有 1 件涉及政府信息公开工作的行政复议");
        let h = after_keyword(&t, &["受理"], 16, &['件'], |g| g.contains("申请"), |_| true);
        assert_eq!(h.len(), 1);
        assert_eq!(h[0].value, 1295.0);
        let h = after_keyword(&t, &["上年结转"], 8, &['件'], |_| true, |_| true);
        assert_eq!(h[0].value, 189.0);
        let h = before_keyword(&t, &["行政复议"], 14, &['件'], |_| true);
        assert_eq!(h[0].value, 1.0);
    }

    #[test]
    fn find_all_across_blocks() {
        let t: Vec<char> = "甲乙甲乙甲".repeat(10).chars().collect();
        let naive: Vec<usize> = (0..=t.len() - 3)
            .filter(|&i| t[i..i + 3] == ['甲', '乙', '甲'])
            .collect();
        assert_eq!(find_all(&t, "甲乙甲"), naive);
        assert_eq!(find_all(&t, "甲乙甲").len(), 20);
        assert!(find_all(&t, "丙").is_empty());
        assert!(find_all(&t[..2], "甲乙甲").is_empty());
    }
}

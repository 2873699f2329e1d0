//! What a table cell holds: a number, nothing, "not applicable", or text — decided once, before
//! any rule runs (rules.md §0). A blank is never silently a zero.

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum CellState {
    Number,
    Blank,
    Na,
    Text,
}

impl CellState {
    /// The serialised name (`number`, `blank`, `na`, `text`).
    pub fn as_str(self) -> &'static str {
        match self {
            CellState::Number => "number",
            CellState::Blank => "blank",
            CellState::Na => "na",
            CellState::Text => "text",
        }
    }
}

/// Why a number needed more than reading digits; each lowers confidence a little or raises a
/// warning.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumberNote {
    /// Written in 元 and converted to 万元.
    Yuan,
    /// Extra text after the number (`22（其中修订 16 件）`); the note is kept in `raw`.
    Annotated,
    /// Full-width digits, thousands separators or a unit word were normalised away.
    Normalised,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CellValue {
    pub state: CellState,
    pub value: Option<f64>,
    /// The cell's text as printed, trimmed.
    pub raw: String,
    pub notes: Vec<NumberNote>,
}

const NA_TOKENS: &[&str] = &[
    "/",
    "／",
    "-",
    "－",
    "—",
    "——",
    "–",
    "无",
    "不适用",
    "N/A",
    "n/a",
    "NA",
    "\\",
];

/// Blank characters: ASCII and ideographic spaces, no-break space, zero-width space.
pub fn is_blank_char(c: char) -> bool {
    c.is_whitespace() || matches!(c, '\u{3000}' | '\u{a0}' | '\u{200b}' | '\u{feff}')
}

/// Folds full-width ASCII (digits, letters, punctuation) to half-width.
pub fn fold_width(c: char) -> char {
    match c {
        '\u{ff01}'..='\u{ff5e}' => char::from_u32(c as u32 - 0xfee0).unwrap_or(c),
        '\u{3000}' => ' ',
        _ => c,
    }
}

/// Parses a cell. `money` says the column is in 万元 (so 元 converts); `signed` allows `+`/`-`.
pub fn parse_cell(text: &str, money: bool) -> CellValue {
    let raw: String = text.trim_matches(is_blank_char).to_string();
    let compact: String = raw
        .chars()
        .filter(|c| !is_blank_char(*c))
        .map(fold_width)
        .collect();
    if compact.is_empty() {
        return CellValue {
            state: CellState::Blank,
            value: None,
            raw,
            notes: vec![],
        };
    }
    if NA_TOKENS.contains(&compact.as_str())
        || compact
            .chars()
            .all(|c| matches!(c, '/' | '-' | '—' | '–' | '\\'))
    {
        return CellValue {
            state: CellState::Na,
            value: None,
            raw,
            notes: vec![],
        };
    }
    match leading_number(&compact) {
        Some((v, rest, normalised)) => {
            let mut notes = Vec::new();
            if normalised || raw.chars().any(|c| ('０'..='９').contains(&c)) {
                notes.push(NumberNote::Normalised);
            }
            let mut value = v;
            let rest = rest.trim_start_matches(['件', '个', '项', '条', '次', '起', '人']);
            let unit_rest;
            if let Some(r) = rest.strip_prefix("万元") {
                unit_rest = r;
                notes.push(NumberNote::Normalised);
            } else if let Some(r) = rest.strip_prefix('元') {
                unit_rest = r;
                if money {
                    value /= 10_000.0;
                    // Keep the decimal exact to the printed precision.
                    value = (value * 1e8).round() / 1e8;
                    notes.push(NumberNote::Yuan);
                } else {
                    notes.push(NumberNote::Normalised);
                }
            } else {
                unit_rest = rest;
            }
            if !unit_rest.is_empty() {
                if unit_rest.starts_with(['（', '(', '其', '含']) {
                    notes.push(NumberNote::Annotated);
                } else {
                    // "3件以上", "12个区": a number with words after it that are not a note.
                    return CellValue {
                        state: CellState::Text,
                        value: None,
                        raw,
                        notes: vec![],
                    };
                }
            }
            CellValue {
                state: CellState::Number,
                value: Some(value),
                raw,
                notes,
            }
        }
        None => CellValue {
            state: CellState::Text,
            value: None,
            raw,
            notes: vec![],
        },
    }
}

/// A number at the start of `s` (already width-folded, no blanks): sign, digits with optional
/// thousands separators, optional decimals. Returns the value, the rest, and whether separators
/// were removed.
fn leading_number(s: &str) -> Option<(f64, &str, bool)> {
    let bytes = s.as_bytes();
    let mut i = 0;
    let mut sign = 1.0;
    if i < bytes.len() && (bytes[i] == b'+' || bytes[i] == b'-') {
        if bytes[i] == b'-' {
            sign = -1.0;
        }
        i += 1;
    }
    let start = i;
    let mut digits = String::new();
    let mut separators = false;
    let mut seen_dot = false;
    while i < bytes.len() {
        let b = bytes[i];
        if b.is_ascii_digit() {
            digits.push(b as char);
        } else if b == b','
            && !seen_dot
            && i > start
            && i + 3 < bytes.len() + 1
            && is_group(&bytes[i + 1..])
        {
            separators = true;
        } else if b == b'.'
            && !seen_dot
            && i + 1 < bytes.len()
            && bytes[i + 1].is_ascii_digit()
            && i > start
        {
            seen_dot = true;
            digits.push('.');
        } else {
            break;
        }
        i += 1;
    }
    if digits.is_empty() || digits.starts_with('.') {
        return None;
    }
    let v: f64 = digits.parse().ok()?;
    Some((sign * v, &s[i..], separators))
}

/// Exactly three digits follow, then a non-digit or the end: a thousands group.
fn is_group(b: &[u8]) -> bool {
    b.len() >= 3
        && b[..3].iter().all(u8::is_ascii_digit)
        && (b.len() == 3 || !b[3].is_ascii_digit())
}

/// True when a cell's text reads as a value rather than a label: a number, na marker or blank.
pub fn looks_like_value(text: &str) -> bool {
    !matches!(parse_cell(text, true).state, CellState::Text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(t: &str) -> (CellState, Option<f64>) {
        let c = parse_cell(t, true);
        (c.state, c.value)
    }

    #[test]
    fn state_names_are_the_serialised_ones() {
        for s in [
            CellState::Number,
            CellState::Blank,
            CellState::Na,
            CellState::Text,
        ] {
            assert_eq!(serde_json::to_value(s).unwrap(), s.as_str());
        }
    }

    #[test]
    fn states() {
        assert_eq!(v("8"), (CellState::Number, Some(8.0)));
        assert_eq!(v(""), (CellState::Blank, None));
        assert_eq!(v("\u{3000}\u{3000}"), (CellState::Blank, None));
        assert_eq!(v("\u{a0}"), (CellState::Blank, None));
        assert_eq!(v("/"), (CellState::Na, None));
        assert_eq!(v("—"), (CellState::Na, None));
        assert_eq!(v("无"), (CellState::Na, None));
        assert_eq!(v("不适用"), (CellState::Na, None));
        assert_eq!(v("见附件"), (CellState::Text, None));
    }

    #[test]
    fn numbers() {
        assert_eq!(v("+337"), (CellState::Number, Some(337.0)));
        assert_eq!(v("-8"), (CellState::Number, Some(-8.0)));
        assert_eq!(v("183.2867"), (CellState::Number, Some(183.2867)));
        assert_eq!(v("1,234"), (CellState::Number, Some(1234.0)));
        assert_eq!(v("１２"), (CellState::Number, Some(12.0)));
        assert_eq!(v("0.092"), (CellState::Number, Some(0.092)));
        assert_eq!(v("22（其中修订 16 件）"), (CellState::Number, Some(22.0)));
        assert_eq!(
            parse_cell("22（其中修订 16 件）", false).notes,
            vec![NumberNote::Annotated]
        );
        assert_eq!(v("5件"), (CellState::Number, Some(5.0)));
    }

    #[test]
    fn yuan_converts_to_wan_yuan_only_in_money_columns() {
        let c = parse_cell("251000元", true);
        assert_eq!(c.value, Some(25.1));
        assert!(c.notes.contains(&NumberNote::Yuan));
        assert_eq!(parse_cell("251000元", false).value, Some(251000.0));
        assert_eq!(parse_cell("477.35万元", true).value, Some(477.35));
    }

    #[test]
    fn a_comma_list_is_not_thousands() {
        assert_eq!(v("1,23"), (CellState::Text, None));
    }
}

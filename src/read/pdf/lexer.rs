//! A lean content-stream tokenizer: operators with their operands, borrowing the stream.
//! (lopdf's parser builds a full object per token and was 40 % of the reading time.)
//!
//! Linear in the stream: every step consumes at least one byte; arrays nest at most
//! [`MAX_DEPTH`] deep; inline image data is skipped up to its `EI`.

use std::borrow::Cow;

const MAX_DEPTH: usize = 32;

#[derive(Debug, Clone, PartialEq)]
pub enum Operand<'a> {
    Num(f32),
    Name(Cow<'a, [u8]>),
    Str(Cow<'a, [u8]>),
    Array(Vec<Operand<'a>>),
    /// Dictionaries, booleans, null: not needed here.
    Other,
}

impl Operand<'_> {
    pub fn num(&self) -> Option<f32> {
        match self {
            Operand::Num(n) => Some(*n),
            _ => None,
        }
    }
    pub fn name(&self) -> Option<&[u8]> {
        match self {
            Operand::Name(n) => Some(n),
            _ => None,
        }
    }
}

pub struct Lexer<'a> {
    b: &'a [u8],
    i: usize,
}

fn is_white(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | b'\r' | b'\x0c' | b'\0')
}

fn is_delim(c: u8) -> bool {
    matches!(
        c,
        b'(' | b')' | b'<' | b'>' | b'[' | b']' | b'{' | b'}' | b'/' | b'%'
    )
}

impl<'a> Lexer<'a> {
    pub fn new(b: &'a [u8]) -> Self {
        Lexer { b, i: 0 }
    }

    fn skip_space(&mut self) {
        while self.i < self.b.len() {
            let c = self.b[self.i];
            if is_white(c) {
                self.i += 1;
            } else if c == b'%' {
                while self.i < self.b.len() && !matches!(self.b[self.i], b'\n' | b'\r') {
                    self.i += 1;
                }
            } else {
                break;
            }
        }
    }

    fn regular(&mut self) -> &'a [u8] {
        let s = self.i;
        while self.i < self.b.len() && !is_white(self.b[self.i]) && !is_delim(self.b[self.i]) {
            self.i += 1;
        }
        &self.b[s..self.i]
    }

    /// The next operator, with its operands in `ops` (cleared first); None at the end.
    pub fn next_op(&mut self, ops: &mut Vec<Operand<'a>>) -> Option<&'a [u8]> {
        ops.clear();
        loop {
            self.skip_space();
            if self.i >= self.b.len() {
                return None;
            }
            let c = self.b[self.i];
            match c {
                b'0'..=b'9' | b'+' | b'-' | b'.' => {
                    let t = self.regular();
                    if t.is_empty() {
                        self.i += 1;
                        continue;
                    }
                    ops.push(parse_num(t));
                }
                b'/' | b'(' | b'<' | b'[' => {
                    if let Some(o) = self.operand(0) {
                        if ops.len() < 64 {
                            ops.push(o);
                        }
                    }
                }
                b')' | b'>' | b']' | b'{' | b'}' => self.i += 1,
                _ => {
                    let t = self.regular();
                    if t.is_empty() {
                        self.i += 1;
                        continue;
                    }
                    match t {
                        b"true" | b"false" | b"null" => ops.push(Operand::Other),
                        b"BI" => {
                            self.skip_inline_image();
                            return Some(t);
                        }
                        _ => return Some(t),
                    }
                }
            }
        }
    }

    /// One operand starting at a delimiter (name, string, array, dictionary).
    fn operand(&mut self, depth: usize) -> Option<Operand<'a>> {
        let c = *self.b.get(self.i)?;
        match c {
            b'/' => {
                self.i += 1;
                let t = self.regular();
                Some(Operand::Name(decode_name(t)))
            }
            b'(' => Some(Operand::Str(self.literal())),
            b'<' if self.b.get(self.i + 1) == Some(&b'<') => {
                self.skip_dict();
                Some(Operand::Other)
            }
            b'<' => Some(Operand::Str(Cow::Owned(self.hex()))),
            b'[' => {
                self.i += 1;
                let mut items = Vec::new();
                loop {
                    self.skip_space();
                    let Some(&c) = self.b.get(self.i) else { break };
                    match c {
                        b']' => {
                            self.i += 1;
                            break;
                        }
                        b'0'..=b'9' | b'+' | b'-' | b'.' => {
                            let t = self.regular();
                            if t.is_empty() {
                                self.i += 1;
                            } else {
                                items.push(parse_num(t));
                            }
                        }
                        b'/' | b'(' | b'<' | b'[' if depth < MAX_DEPTH => {
                            if let Some(o) = self.operand(depth + 1) {
                                items.push(o);
                            }
                        }
                        b'[' => {
                            self.i += 1;
                        }
                        _ => {
                            let t = self.regular();
                            if t.is_empty() {
                                self.i += 1;
                            } else {
                                items.push(Operand::Other);
                            }
                        }
                    }
                }
                Some(Operand::Array(items))
            }
            _ => {
                self.i += 1;
                None
            }
        }
    }

    fn literal(&mut self) -> Cow<'a, [u8]> {
        self.i += 1; // (
        let start = self.i;
        let mut depth = 1usize;
        // Fast path: no escapes.
        let mut j = self.i;
        while j < self.b.len() {
            match self.b[j] {
                b'\\' => break,
                b'(' => depth += 1,
                b')' => {
                    depth -= 1;
                    if depth == 0 {
                        self.i = j + 1;
                        return Cow::Borrowed(&self.b[start..j]);
                    }
                }
                _ => {}
            }
            j += 1;
        }
        let mut out = Vec::new();
        let mut depth = 1usize;
        while self.i < self.b.len() {
            let c = self.b[self.i];
            self.i += 1;
            match c {
                b'(' => {
                    depth += 1;
                    out.push(c);
                }
                b')' => {
                    depth -= 1;
                    if depth == 0 {
                        break;
                    }
                    out.push(c);
                }
                b'\\' => {
                    let Some(&e) = self.b.get(self.i) else { break };
                    self.i += 1;
                    match e {
                        b'n' => out.push(b'\n'),
                        b'r' => out.push(b'\r'),
                        b't' => out.push(b'\t'),
                        b'b' => out.push(8),
                        b'f' => out.push(12),
                        b'0'..=b'7' => {
                            let mut v = (e - b'0') as u32;
                            for _ in 0..2 {
                                match self.b.get(self.i) {
                                    Some(&d @ b'0'..=b'7') => {
                                        v = v * 8 + (d - b'0') as u32;
                                        self.i += 1;
                                    }
                                    _ => break,
                                }
                            }
                            out.push(v as u8);
                        }
                        b'\r' => {
                            if self.b.get(self.i) == Some(&b'\n') {
                                self.i += 1;
                            }
                        }
                        b'\n' => {}
                        other => out.push(other),
                    }
                }
                _ => out.push(c),
            }
        }
        Cow::Owned(out)
    }

    fn hex(&mut self) -> Vec<u8> {
        self.i += 1; // <
        let mut out = Vec::new();
        let mut hi: Option<u8> = None;
        while self.i < self.b.len() {
            let c = self.b[self.i];
            self.i += 1;
            let v = match c {
                b'>' => break,
                b'0'..=b'9' => c - b'0',
                b'a'..=b'f' => c - b'a' + 10,
                b'A'..=b'F' => c - b'A' + 10,
                _ => continue,
            };
            match hi.take() {
                Some(h) => out.push(h << 4 | v),
                None => hi = Some(v),
            }
        }
        if let Some(h) = hi {
            out.push(h << 4);
        }
        out
    }

    fn skip_dict(&mut self) {
        let mut depth = 0usize;
        while self.i < self.b.len() {
            if self.b[self.i..].starts_with(b"<<") {
                depth += 1;
                self.i += 2;
            } else if self.b[self.i..].starts_with(b">>") {
                self.i += 2;
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return;
                }
            } else if self.b[self.i] == b'(' {
                self.literal();
            } else {
                self.i += 1;
            }
        }
    }

    /// After `BI`: the image dictionary, `ID`, the data, up to `EI` followed by a delimiter.
    fn skip_inline_image(&mut self) {
        while self.i + 1 < self.b.len() {
            if self.b[self.i..].starts_with(b"ID")
                && self.i > 0
                && is_white(self.b[self.i - 1])
                && self.b.get(self.i + 2).is_none_or(|&c| is_white(c))
            {
                self.i += 3;
                break;
            }
            self.i += 1;
        }
        while self.i + 1 < self.b.len() {
            if self.b[self.i..].starts_with(b"EI")
                && is_white(self.b[self.i - 1])
                && self
                    .b
                    .get(self.i + 2)
                    .is_none_or(|&c| is_white(c) || is_delim(c))
            {
                self.i += 2;
                return;
            }
            self.i += 1;
        }
        self.i = self.b.len();
    }
}

fn parse_num(t: &[u8]) -> Operand<'static> {
    // Tolerate odd forms (`--5`, `4.-2`) the way readers do: take the leading number.
    let s = std::str::from_utf8(t).unwrap_or("0");
    if let Ok(v) = s.parse::<f32>() {
        return Operand::Num(v);
    }
    let s = s.trim_start_matches(['+', '-']);
    let neg = t.first() == Some(&b'-');
    let end = s
        .char_indices()
        .find(|&(i, c)| !(c.is_ascii_digit() || (c == '.' && !s[..i].contains('.'))))
        .map(|(i, _)| i)
        .unwrap_or(s.len());
    let v: f32 = s[..end].parse().unwrap_or(0.0);
    Operand::Num(if neg { -v } else { v })
}

fn decode_name(t: &[u8]) -> Cow<'_, [u8]> {
    if !t.contains(&b'#') {
        return Cow::Borrowed(t);
    }
    let mut out = Vec::with_capacity(t.len());
    let mut i = 0;
    while i < t.len() {
        if t[i] == b'#' && i + 2 < t.len() {
            if let Ok(v) =
                u8::from_str_radix(std::str::from_utf8(&t[i + 1..i + 3]).unwrap_or("x"), 16)
            {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(t[i]);
        i += 1;
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(s: &[u8]) -> Vec<(String, Vec<Operand<'_>>)> {
        let mut l = Lexer::new(s);
        let mut ops = Vec::new();
        let mut out = Vec::new();
        while let Some(op) = l.next_op(&mut ops) {
            out.push((String::from_utf8_lossy(op).into_owned(), ops.clone()));
        }
        out
    }

    #[test]
    fn operators_and_operands() {
        let v =
            all(b"q 1 0 0 -1 0 842 cm BT /F1 12 Tf (a\\(b\\)c) Tj [<0041> -250 (x)] TJ ET % c\nQ");
        let names: Vec<&str> = v.iter().map(|x| x.0.as_str()).collect();
        assert_eq!(names, ["q", "cm", "BT", "Tf", "Tj", "TJ", "ET", "Q"]);
        assert_eq!(v[1].1[3], Operand::Num(-1.0));
        assert_eq!(v[3].1[0].name(), Some(&b"F1"[..]));
        assert_eq!(v[4].1[0], Operand::Str(Cow::Borrowed(b"a(b)c")));
        let Operand::Array(items) = &v[5].1[0] else {
            panic!("array")
        };
        assert_eq!(items[0], Operand::Str(Cow::Owned(vec![0, 0x41])));
        assert_eq!(items[1], Operand::Num(-250.0));
    }

    #[test]
    fn inline_images_dictionaries_and_junk_are_skipped() {
        let v = all(b"/P <</MCID 0>> BDC BI /W 1 /H 1 ID \xff\x00EI\x01 EI Q ) ] 5 Tz");
        let names: Vec<&str> = v.iter().map(|x| x.0.as_str()).collect();
        assert_eq!(names, ["BDC", "BI", "Q", "Tz"]);
        assert_eq!(v[3].1, vec![Operand::Num(5.0)]);
        assert_eq!(decode_name(b"A#20B").as_ref(), b"A B");
    }
}

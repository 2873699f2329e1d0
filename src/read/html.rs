//! HTML reader: a WHATWG tree (html5ever through `scraper`) flattened into paragraphs and
//! merged-cell tables, with the site furniture around the report left out.
//!
//! The parsed tree is first copied into a flat pre-order arena (`Item`s with parent and
//! subtree-end indices), so every later step is a linear, non-recursive scan: depth limits are
//! enforced once, subtree text totals are computed once, and "is X inside Y" is an index
//! comparison.
//!
//! Choosing what to emit: the report lives in one container of the page. Two signals pick it:
//! the smallest element holding all *report tables* (tables mentioning 本年新收, 申请人情况,
//! 行政复议, 信息内容 or 第二十条), and the deepest element holding most of the page's running
//! (non-link, non-table) CJK text. Their common ancestor is the container, unless that is the
//! whole body, in which case the report tables are widened only while the surroundings stay
//! free of link-heavy navigation, and link-only paragraphs and nav/header/footer elements are
//! dropped.

mod slim;

use crate::limits::{MAX_CELL_CHARS, MAX_HTML_DEPTH, MAX_HTML_ELEMENTS};
use crate::model::{Block, CellSpec, Document, TableBuilder};
use scraper::node::Element;
use scraper::{Html, Node};

/// Words that mark a table as one of the report's statistical tables.
const REPORT_TABLE_WORDS: [&str; 5] =
    ["本年新收", "申请人情况", "行政复议", "信息内容", "第二十条"];
/// HTML clamps colspan to 1000 and rowspan to 65534; the table builder clamps further.
const MAX_COLSPAN: usize = 1000;
const MAX_ROWSPAN: usize = 65534;
/// Share (in tenths) of the page's running text the main-text element must hold.
const MAIN_TEXT_SHARE_TENTHS: usize = 6;
/// Words in a `class` or `id` (lower-cased) that mark navigation and page furniture.
const FURNITURE_WORDS: [&str; 10] = [
    "nav",
    "menu",
    "footer",
    "header",
    "breadcrumb",
    "crumb",
    "sidebar",
    "copyright",
    "position",
    "location",
];
/// A one-row table with a cell holding this many CJK characters is a page frame, not data.
const FRAME_CELL_CJK: usize = 200;

const NONE: usize = usize::MAX;

/// A table cell read out: (arena index, text, vertical).
type CellText = (usize, String, bool);

enum Kind<'a> {
    Root,
    Text(&'a str),
    Elem(&'a Element),
}

struct Item<'a> {
    parent: usize,
    /// One past the last descendant, in pre-order.
    end: usize,
    depth: usize,
    kind: Kind<'a>,
}

impl Item<'_> {
    fn name(&self) -> &str {
        match self.kind {
            Kind::Elem(e) => e.name(),
            _ => "",
        }
    }
    fn attr(&self, a: &str) -> Option<&str> {
        match self.kind {
            Kind::Elem(e) => e.attr(a),
            _ => None,
        }
    }
}

/// Elements whose content is never report text.
fn skipped(name: &str) -> bool {
    matches!(
        name,
        "script"
            | "style"
            | "noscript"
            | "template"
            | "head"
            | "title"
            | "iframe"
            | "frame"
            | "frameset"
            | "object"
            | "embed"
            | "svg"
            | "math"
            | "select"
            | "button"
            | "textarea"
            | "input"
            | "canvas"
            | "audio"
            | "video"
            | "map"
    )
}

/// Elements that start and end a paragraph (or a line inside a cell).
fn is_block(name: &str) -> bool {
    matches!(
        name,
        "p" | "div"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "li"
            | "ul"
            | "ol"
            | "dl"
            | "dt"
            | "dd"
            | "section"
            | "article"
            | "aside"
            | "main"
            | "header"
            | "footer"
            | "nav"
            | "blockquote"
            | "pre"
            | "address"
            | "center"
            | "form"
            | "fieldset"
            | "legend"
            | "figure"
            | "figcaption"
            | "details"
            | "summary"
            | "hr"
            | "table"
            | "caption"
            | "thead"
            | "tbody"
            | "tfoot"
            | "tr"
            | "td"
            | "th"
            | "body"
            | "html"
    )
}

/// Elements that hold running text themselves rather than containing the article.
fn is_paragraph_level(name: &str) -> bool {
    matches!(
        name,
        "p" | "span"
            | "font"
            | "a"
            | "b"
            | "strong"
            | "i"
            | "em"
            | "u"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "li"
            | "ul"
            | "ol"
            | "pre"
            | "blockquote"
            | "label"
            | "small"
            | "big"
            | "sub"
            | "sup"
            | "o:p"
            | "strike"
            | "s"
    )
}

fn is_cjk(c: char) -> bool {
    matches!(c, '\u{3400}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}' | '\u{20000}'..='\u{3FFFF}')
}

fn cjk_count(s: &str) -> usize {
    s.chars().filter(|&c| is_cjk(c)).count()
}

/// Collapsible white space: ASCII white space, NBSP and the typographic spaces.
fn is_space(c: char) -> bool {
    c.is_ascii_whitespace()
        || matches!(
            c,
            '\u{A0}' | '\u{2000}'..='\u{200A}' | '\u{202F}' | '\u{205F}'
        )
}

/// Invisible characters dropped outright.
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{FEFF}' | '\u{AD}'
    )
}

/// Text accumulated with HTML white-space collapsing: runs of spaces become one space, adjacent
/// text nodes join with no separator, structural breaks are explicit.
#[derive(Default)]
struct TextBuf {
    out: String,
    pending_space: bool,
    chars: usize,
    link_chars: usize,
}

impl TextBuf {
    fn push_text(&mut self, s: &str, in_link: bool) {
        for c in s.chars() {
            if is_space(c) {
                self.pending_space = true;
            } else if !is_invisible(c) {
                if self.pending_space && !self.out.is_empty() && !self.out.ends_with(['\n', '\t']) {
                    self.out.push(' ');
                }
                self.pending_space = false;
                self.out.push(c);
                self.chars += 1;
                if in_link {
                    self.link_chars += 1;
                }
            }
        }
    }
    fn newline(&mut self) {
        self.pending_space = false;
        if !self.out.is_empty() && !self.out.ends_with('\n') {
            self.out.push('\n');
        }
    }
    fn tab(&mut self) {
        self.pending_space = false;
        self.out.push('\t');
    }
    fn take(&mut self) -> TextBuf {
        std::mem::take(self)
    }
}

fn trim_line(s: &str) -> &str {
    s.trim_matches(|c: char| c == ' ' || c == '\u{3000}')
}

/// Lines trimmed, empty lines dropped.
fn clean_lines(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for line in s.split('\n') {
        let line = trim_line(line);
        if line
            .chars()
            .all(|c| c == '\t' || c == ' ' || c == '\u{3000}')
        {
            continue;
        }
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str(line);
    }
    out
}

fn parse_uint(s: &str) -> Option<usize> {
    let s = s.trim_start();
    let digits: &str = &s[..s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len())];
    if digits.is_empty() {
        return None;
    }
    Some(digits[..digits.len().min(9)].parse().unwrap_or(0))
}

fn style_of(item: &Item<'_>) -> String {
    item.attr("style")
        .map(|s| {
            s.chars()
                .filter(|c| !c.is_whitespace())
                .collect::<String>()
                .to_ascii_lowercase()
        })
        .unwrap_or_default()
}

fn vertical_style(style: &str) -> bool {
    style.contains("layout-flow:vertical-ideographic")
        || style.contains("writing-mode:vertical")
        || style.contains("writing-mode:tb")
}

struct Reader<'a> {
    items: Vec<Item<'a>>,
    /// (text, inside `<head>`) for every `<title>`.
    titles: Vec<(String, bool)>,
    warnings: Vec<String>,
    in_link: Vec<bool>,
    is_table: Vec<bool>,
    layout: Vec<bool>,
    /// Outermost data table containing the item (itself included).
    top_data_table: Vec<usize>,
    total_cjk: Vec<usize>,
    link_cjk: Vec<usize>,
    /// CJK characters of running text: not in links, not in data tables.
    para_cjk: Vec<usize>,
}

pub fn read(text: &str) -> Document {
    read_with(text, true)
}

/// Whether html5ever builds the same reader-visible tree from the page with and without the
/// [`slim`] pre-pass (for the `html` fuzz target).
#[doc(hidden)]
pub fn slim_check(text: &str) -> Result<(), String> {
    slim::check(text)
}

/// Reads a page, through the [`slim`] pre-pass or (`slim == false`, for the tests that check the
/// two agree) with html5ever on the whole page.
fn read_with(text: &str, slim: bool) -> Document {
    let (text, limited) = limit_tags(text);
    let html = if slim {
        Html::parse_document(&slim::slim(&text))
    } else {
        Html::parse_document(&text)
    };
    let mut r = Reader::build(&html);
    r.analyse();
    let mut doc = Document {
        declared_title: r.declared_title(),
        ..Document::default()
    };
    let (container, strict) = r.choose_container();
    r.emit(container, !strict, &mut doc.blocks);
    if let Some(h) = r.heading_before(container) {
        if !matches!(doc.blocks.first(), Some(Block::Paragraph(p)) if *p == h) {
            doc.blocks.insert(0, Block::Paragraph(h));
        }
    }
    doc.warnings = std::mem::take(&mut r.warnings);
    if let Some(at) = limited.deep_from {
        doc.warnings.push(format!(
            "html_depth_limit: tags nested deeper than {MAX_HTML_DEPTH} from byte {at} dropped (their text kept)"
        ));
    }
    if let Some(at) = limited.cut_at {
        doc.warnings.push(format!(
            "html_element_limit: more than {MAX_HTML_ELEMENTS} tags at byte {at}; the rest of the page ignored"
        ));
    }
    doc
}

/// What [`limit_tags`] did to a page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
struct Limited {
    /// Byte offset of the first tag dropped for nesting deeper than [`MAX_HTML_DEPTH`].
    deep_from: Option<usize>,
    /// Byte offset where the page was cut after [`MAX_HTML_ELEMENTS`] tags.
    cut_at: Option<usize>,
}

/// Elements whose end tag is optional or that have none: left out of the nesting count.
fn implied_close(name: &[u8]) -> bool {
    matches!(
        name,
        b"p" | b"li"
            | b"td"
            | b"th"
            | b"tr"
            | b"dt"
            | b"dd"
            | b"option"
            | b"optgroup"
            | b"thead"
            | b"tbody"
            | b"tfoot"
            | b"colgroup"
            | b"caption"
            | b"rb"
            | b"rt"
            | b"rp"
            | b"rtc"
            | b"area"
            | b"base"
            | b"br"
            | b"col"
            | b"embed"
            | b"hr"
            | b"img"
            | b"input"
            | b"link"
            | b"meta"
            | b"source"
            | b"track"
            | b"wbr"
            | b"param"
            | b"keygen"
            | b"html"
            | b"head"
            | b"body"
    )
}

/// The tree builder's cost grows with the depth of open elements (each start tag scans the
/// stack) and its memory with the tags, so a page nesting tags thousands deep would take
/// quadratic time before the arena's depth limit ever applies. One linear pass counts open
/// elements that need an end tag (start tags minus end tags; elements with an optional or no
/// end tag left out): tags that would open or close deeper than [`MAX_HTML_DEPTH`] are dropped
/// (their text stays), and the page is cut after [`MAX_HTML_ELEMENTS`] tags, start and end.
fn limit_tags(text: &str) -> (std::borrow::Cow<'_, str>, Limited) {
    let b = text.as_bytes();
    let mut limited = Limited::default();
    // Set once a tag is dropped: the text kept so far, and where the next copy starts.
    let mut out: Option<String> = None;
    let mut copied = 0usize;
    // Names of the open elements that need an end tag, as the tree builder would keep them:
    // an end tag closes the nearest open element of its name (and everything opened after it)
    // and is ignored when none is open, so `<b></i>` repeated still counts as nesting. Past
    // MAX_HTML_DEPTH, start tags are dropped and only counted, and as many end tags after them.
    // (start, length) of each name in `text`.
    let mut open: Vec<(usize, usize)> = Vec::new();
    let mut dropped_open = 0usize;
    let mut tags = 0usize;
    let mut i = 0;
    // Just past the first `needle` (ASCII case-insensitive; its first byte is not a letter) at
    // or after `from`, or the end of the page.
    let find = |from: usize, needle: &[u8]| -> usize {
        let mut k = from.min(b.len());
        while let Some(p) = memchr::memchr(needle[0], &b[k..]) {
            let at = k + p;
            if b.len() - at < needle.len() {
                break;
            }
            if b[at..at + needle.len()].eq_ignore_ascii_case(needle) {
                return at + needle.len();
            }
            k = at + 1;
        }
        b.len()
    };
    let mut end = b.len();
    while let Some(p) = memchr::memchr(b'<', &b[i..]) {
        let start = i + p;
        let rest = &b[start + 1..];
        if rest.starts_with(b"!--") {
            i = find(start + 4, b"-->");
            continue;
        }
        if rest.starts_with(b"!") || rest.starts_with(b"?") {
            i = find(start + 1, b">");
            continue;
        }
        let closing = rest.starts_with(b"/");
        let name_at = start + 1 + usize::from(closing);
        let name_len = b[name_at..]
            .iter()
            .take_while(|c| c.is_ascii_alphanumeric() || **c == b'-' || **c == b':')
            .count();
        if name_len == 0 || !b[name_at].is_ascii_alphabetic() {
            i = start + 1;
            continue;
        }
        let raw_name = &b[name_at..name_at + name_len];
        // Lower case for the fixed lists, none of which has a name over 16 bytes.
        let mut lower = [0u8; 16];
        let name: &[u8] = if name_len <= lower.len() {
            lower[..name_len].copy_from_slice(raw_name);
            lower[..name_len].make_ascii_lowercase();
            &lower[..name_len]
        } else {
            raw_name
        };
        // The end of the tag, past quoted attribute values.
        let mut j = name_at + name_len;
        while j < b.len() {
            match memchr::memchr3(b'"', b'\'', b'>', &b[j..]) {
                None => j = b.len(),
                Some(p) if b[j + p] == b'>' => {
                    j += p;
                    break;
                }
                Some(p) => {
                    let q = b[j + p];
                    j = match memchr::memchr(q, &b[j + p + 1..]) {
                        Some(r) => j + p + 1 + r + 1,
                        None => b.len(),
                    };
                }
            }
        }
        let self_closing = j > 0 && j < b.len() && b[j - 1] == b'/';
        let after = (j + 1).min(b.len());
        i = after;
        // End tags count too: a stray `</p>` or `</br>` makes an element.
        tags += 1;
        if tags > MAX_HTML_ELEMENTS {
            limited.cut_at = Some(start);
            end = start;
            break;
        }
        let counted = !(implied_close(name) || self_closing && !closing);
        let drop = if closing {
            if !counted {
                false
            } else if dropped_open > 0 {
                dropped_open -= 1;
                true
            } else {
                if let Some(k) = open
                    .iter()
                    .rposition(|&(a, l)| l == name_len && b[a..a + l].eq_ignore_ascii_case(name))
                {
                    open.truncate(k);
                }
                false
            }
        } else if matches!(
            name,
            b"script" | b"style" | b"textarea" | b"title" | b"xmp" | b"noscript"
        ) {
            let mut close = b"</".to_vec();
            close.extend_from_slice(name);
            i = find(i, &close);
            false
        } else if counted {
            if open.len() < MAX_HTML_DEPTH {
                open.push((name_at, name_len));
                false
            } else {
                dropped_open += 1;
                true
            }
        } else {
            false
        };
        if drop {
            limited.deep_from.get_or_insert(start);
            let o = out.get_or_insert_with(|| String::with_capacity(text.len()));
            o.push_str(&text[copied..start]);
            copied = after;
        }
    }
    let kept = match out {
        Some(mut o) => {
            o.push_str(&text[copied.min(end)..end]);
            std::borrow::Cow::Owned(o)
        }
        None => std::borrow::Cow::Borrowed(&text[..end]),
    };
    (kept, limited)
}

impl<'a> Reader<'a> {
    /// Copies the tree into the pre-order arena, skipping non-content elements and anything
    /// deeper than [`MAX_HTML_DEPTH`]. Iterative: no recursion over the input.
    fn build(html: &'a Html) -> Self {
        let mut items: Vec<Item<'a>> = Vec::new();
        let mut titles = Vec::new();
        let mut warnings = Vec::new();
        let root = html.tree.root();
        items.push(Item {
            parent: NONE,
            end: 1,
            depth: 0,
            kind: Kind::Root,
        });
        let mut stack = vec![(0usize, root.first_child())];
        while let Some(top) = stack.last_mut() {
            let Some(node) = top.1 else {
                let (idx, _) = stack.pop().expect("non-empty");
                items[idx].end = items.len();
                continue;
            };
            top.1 = node.next_sibling();
            let parent = top.0;
            let depth = stack.len();
            match node.value() {
                Node::Text(t) => {
                    items.push(Item {
                        parent,
                        end: items.len() + 1,
                        depth,
                        kind: Kind::Text(t),
                    });
                }
                Node::Element(e) => {
                    let name = e.name();
                    if skipped(name) {
                        // `<title>`s are kept aside for the declared title, wherever they are.
                        if name == "title" || name == "head" {
                            for d in node.descendants() {
                                if d.value().as_element().is_some_and(|e| e.name() == "title") {
                                    let mut buf = TextBuf::default();
                                    for t in d.descendants() {
                                        if let Node::Text(t) = t.value() {
                                            buf.push_text(t, false);
                                        }
                                    }
                                    let s = trim_line(&buf.out).to_string();
                                    if !s.is_empty() {
                                        titles.push((s, name == "head"));
                                    }
                                }
                            }
                        }
                        continue;
                    }
                    if depth > MAX_HTML_DEPTH {
                        if !warnings
                            .iter()
                            .any(|w: &String| w.starts_with("html_depth_limit"))
                        {
                            warnings.push(format!("html_depth_limit: content nested deeper than {MAX_HTML_DEPTH} elements dropped"));
                        }
                        continue;
                    }
                    let idx = items.len();
                    items.push(Item {
                        parent,
                        end: idx + 1,
                        depth,
                        kind: Kind::Elem(e),
                    });
                    stack.push((idx, node.first_child()));
                }
                _ => {}
            }
        }
        let n = items.len();
        Reader {
            items,
            titles,
            warnings,
            in_link: vec![false; n],
            is_table: vec![false; n],
            layout: vec![false; n],
            top_data_table: vec![NONE; n],
            total_cjk: vec![0; n],
            link_cjk: vec![0; n],
            para_cjk: vec![0; n],
        }
    }

    fn children(&self, i: usize) -> impl Iterator<Item = usize> + '_ {
        let end = self.items[i].end;
        let mut j = i + 1;
        std::iter::from_fn(move || {
            if j < end {
                let c = j;
                j = self.items[j].end;
                Some(c)
            } else {
                None
            }
        })
    }

    fn child_elems<'s>(
        &'s self,
        i: usize,
        names: &'s [&'s str],
    ) -> impl Iterator<Item = usize> + 's {
        self.children(i)
            .filter(move |&c| names.contains(&self.items[c].name()))
    }

    /// The table's rows in order, each with the index of its row group (thead/tbody/tfoot).
    fn table_rows(&self, t: usize) -> Vec<(usize, usize)> {
        let mut rows = Vec::new();
        for c in self.children(t) {
            match self.items[c].name() {
                "tr" => rows.push((t, c)),
                "thead" | "tbody" | "tfoot" => {
                    rows.extend(self.child_elems(c, &["tr"]).map(|r| (c, r)))
                }
                _ => {}
            }
        }
        rows
    }

    fn analyse(&mut self) {
        let n = self.items.len();
        // Links and tables, top-down (a parent precedes its children).
        for i in 1..n {
            let p = self.items[i].parent;
            let name = self.items[i].name();
            self.in_link[i] = self.in_link[p] || name == "a";
            self.is_table[i] = name == "table";
        }
        // Text totals, bottom-up.
        for i in (1..n).rev() {
            if let Kind::Text(t) = self.items[i].kind {
                let c = cjk_count(t);
                self.total_cjk[i] = c;
                if self.in_link[i] {
                    self.link_cjk[i] = c;
                }
            }
            let p = self.items[i].parent;
            self.total_cjk[p] += self.total_cjk[i];
            self.link_cjk[p] += self.link_cjk[i];
        }
        // Layout tables: holding a nested table of two or more rows, or a page frame.
        let tables: Vec<usize> = (0..n).filter(|&i| self.is_table[i]).collect();
        let mut nearest_table = vec![NONE; n];
        for i in 1..n {
            let p = self.items[i].parent;
            nearest_table[i] = if self.is_table[p] {
                p
            } else {
                nearest_table[p]
            };
        }
        for &t in tables.iter().rev() {
            let rows = self.table_rows(t);
            if rows.len() == 1 {
                let cells: Vec<usize> = self.child_elems(rows[0].1, &["td", "th"]).collect();
                if cells.len() == 1 || cells.iter().any(|&c| self.total_cjk[c] >= FRAME_CELL_CJK) {
                    self.layout[t] = true;
                }
            }
            if rows.len() >= 2 || self.layout[t] {
                let a = nearest_table[t];
                if a != NONE {
                    self.layout[a] = true;
                }
            }
        }
        for i in 1..n {
            let p = self.items[i].parent;
            self.top_data_table[i] = if self.top_data_table[p] != NONE {
                self.top_data_table[p]
            } else if self.is_table[i] && !self.layout[i] {
                i
            } else {
                NONE
            };
        }
        for i in (1..n).rev() {
            if let Kind::Text(_) = self.items[i].kind {
                if self.top_data_table[i] == NONE && !self.in_link[i] {
                    self.para_cjk[i] = self.total_cjk[i];
                }
            }
            let p = self.items[i].parent;
            self.para_cjk[p] += self.para_cjk[i];
        }
    }

    fn declared_title(&self) -> Option<String> {
        self.titles
            .iter()
            .find(|t| t.0.contains("年度报告"))
            .or_else(|| self.titles.iter().find(|t| t.1))
            .or_else(|| self.titles.first())
            .map(|t| t.0.clone())
    }

    fn body(&self) -> usize {
        (1..self.items.len())
            .find(|&i| self.items[i].name() == "body")
            .unwrap_or(0)
    }

    fn lca(&self, mut a: usize, mut b: usize) -> usize {
        while a != b {
            if self.items[a].depth >= self.items[b].depth {
                a = self.items[a].parent;
            } else {
                b = self.items[b].parent;
            }
            if a == NONE || b == NONE {
                return 0;
            }
        }
        a
    }

    fn report_tables(&self) -> Vec<usize> {
        let mut out = Vec::new();
        let mut i = 1;
        while i < self.items.len() {
            if self.top_data_table[i] == i {
                let mut s = String::new();
                for j in i..self.items[i].end {
                    if let Kind::Text(t) = self.items[j].kind {
                        s.extend(t.chars().filter(|c| !is_space(*c) && *c != '\u{3000}'));
                    }
                }
                if REPORT_TABLE_WORDS.iter().any(|w| s.contains(w)) {
                    out.push(i);
                }
                i = self.items[i].end;
            } else {
                i += 1;
            }
        }
        out
    }

    /// The deepest container element holding most of the page's running text.
    fn main_text(&self) -> Option<usize> {
        let total = self.para_cjk[0];
        if total == 0 {
            return None;
        }
        let mut cur = 0;
        loop {
            let next = self.children(cur).find(|&c| {
                matches!(self.items[c].kind, Kind::Elem(_))
                    && !is_paragraph_level(self.items[c].name())
                    && self.para_cjk[c] * 10 >= total * MAIN_TEXT_SHARE_TENTHS
            });
            match next {
                Some(c) => cur = c,
                None => return Some(cur),
            }
        }
    }

    /// Widens `from` while the enclosing element is not link-heavy; reaching the body means the
    /// page has no article wrapper and the body is the container.
    fn widen(&self, from: usize) -> usize {
        let body = self.body();
        let mut cur = from;
        loop {
            let p = self.items[cur].parent;
            if p == NONE || p == body || p == 0 || self.items[p].name() == "html" {
                return body;
            }
            if self.link_cjk[p] * 10 > self.total_cjk[p].max(1) * 3 {
                return cur;
            }
            cur = p;
        }
    }

    /// The element whose content is emitted, and whether it was chosen with confidence
    /// (otherwise navigation-looking content inside it is filtered).
    fn choose_container(&self) -> (usize, bool) {
        let body = self.body();
        let tables = self.report_tables();
        let t = tables.iter().copied().reduce(|a, b| self.lca(a, b));
        let d = self.main_text();
        let above_body = |x: usize| self.items[x].depth > self.items[body].depth;
        match (t, d) {
            (Some(t), Some(d)) => {
                let l = self.lca(t, d);
                if above_body(l) {
                    (l, true)
                } else {
                    (self.widen(t), false)
                }
            }
            (Some(t), None) => (self.widen(t), false),
            (None, Some(d)) if above_body(d) => (d, true),
            _ => (body, false),
        }
    }

    fn collect_text(&self, i: usize) -> String {
        let mut buf = TextBuf::default();
        for j in i..self.items[i].end {
            if let Kind::Text(t) = self.items[j].kind {
                buf.push_text(t, false);
            }
        }
        trim_line(&buf.out).to_string()
    }

    /// The report's title heading when it sits just outside the container (CMS article pages
    /// put `<h1>` above the body element).
    fn heading_before(&self, c: usize) -> Option<String> {
        if c == 0 {
            return None;
        }
        let mut j = c;
        while j > 1 {
            j -= 1;
            let it = &self.items[j];
            if it.end > c || !matches!(it.name(), "h1" | "h2" | "h3") {
                continue;
            }
            let text = self.collect_text(j);
            let n = text.chars().count();
            let has_year = text.contains("20") || text.contains("19");
            if (text.contains("报告") || text.contains("年报"))
                && has_year
                && (6..=100).contains(&n)
            {
                return Some(text);
            }
        }
        None
    }

    /// Nav bars, headers, footers and breadcrumbs by tag, class or id (used only when the
    /// container could not be pinned down).
    fn furniture(&self, i: usize) -> bool {
        let it = &self.items[i];
        if matches!(it.name(), "nav" | "header" | "footer" | "aside") {
            return true;
        }
        let mut key = String::new();
        for a in ["class", "id"] {
            if let Some(v) = it.attr(a) {
                key.push_str(&v.to_ascii_lowercase());
                key.push(' ');
            }
        }
        FURNITURE_WORDS.iter().any(|w| key.contains(w))
    }

    /// Walks the container in document order, emitting paragraphs and tables.
    fn emit(&mut self, c: usize, filter: bool, blocks: &mut Vec<Block>) {
        let end = self.items[c].end;
        let mut buf = TextBuf::default();
        let mut stack: Vec<(usize, bool)> = Vec::new();
        let mut i = c;
        let flush = |buf: &mut TextBuf, blocks: &mut Vec<Block>| {
            let b = buf.take();
            let text = trim_line(&b.out);
            if text.is_empty() {
                return;
            }
            if filter && b.link_chars * 2 > b.chars {
                return;
            }
            blocks.push(Block::Paragraph(text.to_string()));
        };
        while i < end {
            while let Some(&(e, blk)) = stack.last() {
                if e > i {
                    break;
                }
                stack.pop();
                if blk {
                    flush(&mut buf, blocks);
                }
            }
            match self.items[i].kind {
                Kind::Root => {
                    stack.push((self.items[i].end, true));
                    i += 1;
                }
                Kind::Text(t) => {
                    buf.push_text(t, self.in_link[i]);
                    i += 1;
                }
                Kind::Elem(_) => {
                    let name = self.items[i].name();
                    if name == "br" || name == "hr" {
                        flush(&mut buf, blocks);
                        i = self.items[i].end;
                        continue;
                    }
                    if self.top_data_table[i] == i {
                        flush(&mut buf, blocks);
                        let table = self.table(i);
                        blocks.push(table);
                        i = self.items[i].end;
                        continue;
                    }
                    if filter && i != c && self.furniture(i) {
                        flush(&mut buf, blocks);
                        i = self.items[i].end;
                        continue;
                    }
                    let blk = is_block(name);
                    if blk {
                        flush(&mut buf, blocks);
                    }
                    stack.push((self.items[i].end, blk));
                    i += 1;
                }
            }
        }
        flush(&mut buf, blocks);
    }

    /// A cell's text (lines kept, nested tables flattened with tabs) and whether it is set
    /// vertically.
    fn cell(&mut self, cell: usize) -> (String, bool) {
        let mut vertical = vertical_style(&style_of(&self.items[cell]));
        let end = self.items[cell].end;
        let mut buf = TextBuf::default();
        // Block ends still open, and per nested row the number of cells seen.
        let mut stack: Vec<(usize, bool)> = Vec::new();
        let mut cells_in_row: Vec<usize> = Vec::new();
        let mut i = cell + 1;
        while i < end {
            while let Some(&(e, blk)) = stack.last() {
                if e > i {
                    break;
                }
                stack.pop();
                if blk {
                    buf.newline();
                }
            }
            match self.items[i].kind {
                Kind::Text(t) => buf.push_text(t, false),
                Kind::Elem(_) => {
                    let it = &self.items[i];
                    let name = it.name();
                    if !vertical && it.attr("style").is_some() {
                        vertical = vertical_style(&style_of(it));
                    }
                    match name {
                        "br" => buf.newline(),
                        "tr" => {
                            buf.newline();
                            cells_in_row.push(0);
                        }
                        "td" | "th" => {
                            if let Some(n) = cells_in_row.last_mut() {
                                if *n > 0 {
                                    buf.tab();
                                }
                                *n += 1;
                            }
                        }
                        _ => {}
                    }
                    let blk = is_block(name) && !matches!(name, "td" | "th");
                    if blk && name != "tr" {
                        buf.newline();
                    }
                    stack.push((it.end, blk));
                }
                Kind::Root => {}
            }
            i += 1;
        }
        let mut text = clean_lines(&buf.out);
        if text.chars().count() > MAX_CELL_CHARS {
            text = text.chars().take(MAX_CELL_CHARS).collect();
            self.warnings.push(format!(
                "html_cell_truncated: cell text cut at {MAX_CELL_CHARS} characters"
            ));
        }
        (text, vertical)
    }

    /// Word's spacer row (`<tr height=0>` of empty cells, often inside
    /// `<![if !supportMisalignedColumns]>`) and hidden empty rows.
    fn spacer_row(&self, tr: usize, cells: &[usize]) -> bool {
        let zero = |i: usize| {
            let it = &self.items[i];
            let style = style_of(it);
            it.attr("height").and_then(parse_uint) == Some(0)
                || style.contains("display:none")
                || style.contains("height:0;")
                || style.ends_with("height:0")
        };
        zero(tr) || cells.iter().any(|&c| zero(c))
    }

    fn table(&mut self, t: usize) -> Block {
        let rows = self.table_rows(t);
        // Cell texts first, so spacer rows can be dropped before spans are counted.
        let mut kept: Vec<(usize, Vec<CellText>)> = Vec::new();
        for &(group, tr) in &rows {
            let cells: Vec<usize> = self.child_elems(tr, &["td", "th"]).collect();
            if cells.is_empty() {
                continue;
            }
            let mut texts = Vec::with_capacity(cells.len());
            for &c in &cells {
                let (text, vertical) = self.cell(c);
                texts.push((c, text, vertical));
            }
            if texts.iter().all(|c| c.1.is_empty()) && self.spacer_row(tr, &cells) {
                continue;
            }
            kept.push((group, texts));
        }
        // Rows left in each row's group (thead/tbody/tfoot), itself included: one pass from
        // the end, so a long table stays linear.
        let mut left = vec![0usize; kept.len()];
        for ri in (0..kept.len()).rev() {
            left[ri] = 1 + if ri + 1 < kept.len() && kept[ri + 1].0 == kept[ri].0 {
                left[ri + 1]
            } else {
                0
            };
        }
        let mut b = TableBuilder::new(true);
        for (ri, (_, cells)) in kept.iter().enumerate() {
            let left_in_group = left[ri];
            if !b.start_row() {
                break;
            }
            for (c, text, vertical) in cells {
                let it = &self.items[*c];
                let col_span = it
                    .attr("colspan")
                    .and_then(parse_uint)
                    .unwrap_or(1)
                    .clamp(1, MAX_COLSPAN);
                let row_span = match it.attr("rowspan").and_then(parse_uint) {
                    Some(0) => left_in_group,
                    Some(n) => n.min(MAX_ROWSPAN).min(left_in_group),
                    None => 1,
                };
                b.push(CellSpec {
                    text: text.clone(),
                    col_span,
                    row_span: row_span.max(1),
                    vertical: *vertical,
                });
            }
        }
        let (table, warnings) = b.finish();
        self.warnings
            .extend(warnings.into_iter().map(|w| format!("html_table: {w}")));
        Block::Table(table)
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn deep_nesting_is_flattened_before_parsing() {
        let deep = format!(
            "<html><body><p>前言</p>{}<p>深处</p>{}<p>后记</p></body></html>",
            "<div>".repeat(10_000),
            "</div>".repeat(10_000)
        );
        let t = std::time::Instant::now();
        let doc = read(&deep);
        assert!(t.elapsed().as_secs() < 5);
        assert!(
            doc.warnings
                .iter()
                .any(|w| w.starts_with("html_depth_limit")),
            "{:?}",
            doc.warnings
        );
        // Ordinary pages, with unclosed <p>/<td> and comments holding tags, are not cut.
        let page = format!(
            "<html><body>{}<!-- <div><div> --><script>if (a<b) {{}}</script></body></html>",
            "<p>段<table><tr><td>1<td>2</table>".repeat(2000)
        );
        assert_eq!(limit_tags(&page).1, Limited::default());
        assert_eq!(
            limit_tags("<div title='a>b'><span>x</span></div>").1,
            Limited::default()
        );
        // End tags that close nothing do not undo nesting.
        let stray = "<b id=1></i>".repeat(10_000);
        assert!(limit_tags(&stray).1.deep_from.is_some());
        // Deep tags go; their text and what follows the deep part stay.
        let (kept, l) = limit_tags(&deep);
        assert!(l.deep_from.is_some() && l.cut_at.is_none());
        assert!(kept.contains("深处") && kept.ends_with("<p>后记</p></body></html>"));
        assert!(paragraphs(&doc).contains(&"后记"), "{:?}", paragraphs(&doc));
        let grid = format!(
            "<table>{}</table>",
            "<tr><td colspan=256>1</td></tr>".repeat(5000)
        );
        let doc = read(&grid);
        let t = match &doc.blocks[..] {
            [Block::Table(t)] => t,
            other => panic!("{other:?}"),
        };
        assert!(t.rows() * t.cols() <= crate::limits::MAX_TABLE_CELLS);
        assert!(
            doc.warnings.iter().any(|w| w.contains("table cell limit")),
            "{:?}",
            doc.warnings
        );
        let many = format!("<p>头</p>{}<p>尾</p>", "<br>".repeat(MAX_HTML_ELEMENTS + 1));
        assert!(limit_tags(&many).1.cut_at.is_some());
        let doc = read(&many);
        assert!(doc
            .warnings
            .iter()
            .any(|w| w.starts_with("html_element_limit")));
    }
    use super::*;
    use crate::model::Table;

    fn tables(doc: &Document) -> Vec<&Table> {
        doc.blocks
            .iter()
            .filter_map(|b| match b {
                Block::Table(t) => Some(t),
                _ => None,
            })
            .collect()
    }

    fn paragraphs(doc: &Document) -> Vec<&str> {
        doc.blocks
            .iter()
            .filter_map(|b| match b {
                Block::Paragraph(p) => Some(p.as_str()),
                _ => None,
            })
            .collect()
    }

    fn all_text(doc: &Document) -> String {
        let mut s = String::new();
        for b in &doc.blocks {
            match b {
                Block::Paragraph(p) => s.push_str(p),
                Block::Table(t) => {
                    for c in t.cells() {
                        s.push_str(&c.text);
                        s.push('|');
                    }
                }
            }
            s.push('\n');
        }
        s
    }

    fn text_at(t: &Table, r: usize, c: usize) -> &str {
        t.cell_at(r, c)
            .map(|x| x.1.text.as_str())
            .unwrap_or("<none>")
    }

    const WORD_PAGE: &str = r#"<html xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:w="urn:schemas-microsoft-com:office:word">
<head><meta http-equiv=Content-Type content="text/html; charset=gb2312">
<title>XX区2023年政府信息公开工作年度报告</title>
<style><!-- p.MsoNormal {mso-style-parent:""; margin:0cm;} --></style>
<!--[if gte mso 9]><xml><w:WordDocument><w:View>Print</w:View></w:WordDocument></xml><![endif]-->
</head>
<body lang=ZH-CN style='tab-interval:21.0pt'>
<div class=WordSection1 style='layout-grid:15.6pt'>
<p class=MsoNormal align=center><b><span style='font-size:22.0pt'>XX区20</span></b><b><span style='font-size:22.0pt'>23年政府信息公开工作年度报告<o:p></o:p></span></b></p>
<p class=MsoNormal><span>一、总体情况<o:p></o:p></span></p>
<p class=MsoNormal><span>2023年，本区</span><span>认真贯彻</span> <span>《条例》。<o:p>&nbsp;</o:p></span></p>
<p class=MsoNormal><span>三、收到和处理政府信息公开申请情况<o:p></o:p></span></p>
<table class=MsoNormalTable border=1 cellspacing=0 cellpadding=0 style='border-collapse:collapse;mso-yfti-tbllook:1184'>
 <tr style='mso-yfti-irow:0;height:20.0pt'>
  <td width=200 colspan=3 rowspan=3 style='width:150pt'><p class=MsoNormal><span>（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）<o:p></o:p></span></p></td>
  <td colspan=3><p class=MsoNormal><span>申请人情</span><span>况<o:p></o:p></span></p></td>
 </tr>
 <tr>
  <td rowspan=2><p class=MsoNormal><span>自然人<o:p></o:p></span></p></td>
  <td><p class=MsoNormal><span>法人或其他组织<o:p></o:p></span></p></td>
  <td rowspan=2><p class=MsoNormal><span>总计<o:p></o:p></span></p></td>
 </tr>
 <tr>
  <td><p class=MsoNormal><span>商业<br />企业<o:p></o:p></span></p></td>
 </tr>
 <tr>
  <td colspan=3><p class=MsoNormal><span>一、本年新收政府信息公开申请数量<o:p></o:p></span></p></td>
  <td><p class=MsoNormal><span>5<o:p></o:p></span></p></td>
  <td><p class=MsoNormal><span><o:p>&nbsp;</o:p></span></p></td>
  <td><p class=MsoNormal><span>5<o:p></o:p></span></p></td>
 </tr>
 <tr>
  <td rowspan=2 style='layout-flow:vertical-ideographic'><p class=MsoNormal><span>三、本年度办理结果<o:p></o:p></span></p></td>
  <td colspan=2><p class=MsoNormal><span>（一）予以公开<o:p></o:p></span></p></td>
  <td>1</td><td>0</td><td>1</td>
 </tr>
 <tr>
  <td colspan=2><p class=MsoNormal><span>（二）部分公开<o:p></o:p></span></p></td>
  <td>2</td><td>0</td><td>2</td>
 </tr>
 <![if !supportMisalignedColumns]>
 <tr height=0>
  <td width=51 style='border:none'></td>
  <td width=120 style='border:none'></td>
  <td width=80 style='border:none'></td>
  <td width=60 style='border:none'></td>
  <td width=60 style='border:none'></td>
  <td width=60 style='border:none'></td>
 </tr>
 <![endif]>
</table>
<p class=MsoNormal><span>四、政府信息公开行政复议、行政诉讼情况<o:p></o:p></span></p>
</div>
</body>
</html>"#;

    #[test]
    fn word_save_as_html_page() {
        let doc = read(WORD_PAGE);
        assert_eq!(
            doc.declared_title.as_deref(),
            Some("XX区2023年政府信息公开工作年度报告")
        );
        let paras = paragraphs(&doc);
        assert_eq!(paras[0], "XX区2023年政府信息公开工作年度报告");
        assert!(paras.contains(&"一、总体情况"));
        assert!(
            paras.contains(&"2023年，本区认真贯彻 《条例》。"),
            "{paras:?}"
        );
        assert!(paras.contains(&"四、政府信息公开行政复议、行政诉讼情况"));
        assert!(!all_text(&doc).contains("WordDocument"));
        assert!(!all_text(&doc).contains("mso-style"));
        let ts = tables(&doc);
        assert_eq!(ts.len(), 1);
        let t = ts[0];
        assert_eq!((t.rows(), t.cols()), (6, 6), "spacer row must be dropped");
        assert_eq!(text_at(t, 0, 3), "申请人情况");
        assert_eq!(
            t.cells().iter().filter(|c| c.text == "申请人情况").count(),
            1
        );
        assert_eq!(text_at(t, 2, 4), "商业\n企业");
        assert_eq!(text_at(t, 3, 4), "", "<o:p>&nbsp;</o:p> is an empty cell");
        let (_, corner) = t.cell_at(2, 2).unwrap();
        assert_eq!((corner.row_span, corner.col_span), (3, 3));
        let (_, result) = t.cell_at(5, 0).unwrap();
        assert_eq!(result.text, "三、本年度办理结果");
        assert_eq!(result.row_span, 2);
        assert!(result.vertical);
        assert_eq!(text_at(t, 5, 5), "2");
        assert!(doc.warnings.is_empty(), "{:?}", doc.warnings);
    }

    #[test]
    fn br_in_header_cells_becomes_a_line_break() {
        let doc = read("<table><tr><td>本年新<br />制作数量</td><td>本年新<br>公开数量</td></tr><tr><td>1</td><td>2</td></tr></table>");
        let t = tables(&doc)[0];
        assert_eq!(text_at(t, 0, 0), "本年新\n制作数量");
        assert_eq!(text_at(t, 0, 1), "本年新\n公开数量");
    }

    #[test]
    fn rowspan_colspan_grid() {
        let doc = read(
            "<table>
             <tr><td rowspan=2 colspan=2>A</td><td>B</td><td rowspan=3>C</td></tr>
             <tr><td>D</td></tr>
             <tr><td>E</td><td colspan=2>F</td></tr>
             <tr><td colspan=0>G</td><td rowspan=0>H</td><td>I</td><td>J</td></tr>
             <tr><td>K</td><td>L</td><td>M</td></tr>
             </table>",
        );
        let t = tables(&doc)[0];
        assert_eq!((t.rows(), t.cols()), (5, 4));
        let grid: Vec<Vec<&str>> = (0..5)
            .map(|r| (0..4).map(|c| text_at(t, r, c)).collect())
            .collect();
        assert_eq!(grid[0], ["A", "A", "B", "C"]);
        assert_eq!(grid[1], ["A", "A", "D", "C"]);
        assert_eq!(grid[2], ["E", "F", "F", "C"]);
        assert_eq!(grid[3], ["G", "H", "I", "J"]);
        assert_eq!(
            grid[4],
            ["K", "H", "L", "M"],
            "rowspan=0 runs to the end of the row group"
        );
        assert_eq!(t.cells().iter().filter(|c| c.text == "A").count(), 1);
    }

    #[test]
    fn rowspan_is_clamped_to_the_row_group() {
        let doc = read("<table><thead><tr><td rowspan=5>h</td><td>x</td></tr></thead><tbody><tr><td>a</td><td>b</td></tr></tbody></table>");
        let t = tables(&doc)[0];
        assert_eq!(t.cells()[0].row_span, 1);
        assert_eq!(text_at(t, 1, 0), "a");
    }

    #[test]
    fn unclosed_cells_and_rows() {
        let doc = read("<p>标题<table><tr><td>申请人情况<td>自然人<tr><td>1<td>2</table><p>后记");
        let t = tables(&doc)[0];
        assert_eq!((t.rows(), t.cols()), (2, 2));
        assert_eq!(text_at(t, 0, 1), "自然人");
        assert_eq!(text_at(t, 1, 1), "2");
        let paras = paragraphs(&doc);
        assert!(
            paras.contains(&"标题") && paras.contains(&"后记"),
            "{paras:?}"
        );
    }

    #[test]
    fn nested_one_row_table_is_flattened_into_its_cell() {
        let doc = read("<table><tr><td>申请人情况</td><td><table><tr><td>a</td><td></td><td>c</td></tr></table>x</td></tr><tr><td>1</td><td>2</td></tr></table>");
        let ts = tables(&doc);
        assert_eq!(ts.len(), 1);
        assert_eq!(text_at(ts[0], 0, 1), "a\t\tc\nx");
    }

    #[test]
    fn layout_table_is_walked_as_a_container() {
        let doc = read(
            "<table><tr><td><a href=/>首页</a> | <a href=/x>政务公开</a></td></tr>
             <tr><td><p>一、总体情况</p>
               <table><tr><td>信息内容</td><td>本年制发件数</td></tr><tr><td>规章</td><td>0</td></tr></table>
               <p>二、主动公开政府信息情况</p></td></tr></table>",
        );
        let ts = tables(&doc);
        assert_eq!(ts.len(), 1);
        assert_eq!((ts[0].rows(), ts[0].cols()), (2, 2));
        let text = all_text(&doc);
        assert!(text.contains("一、总体情况") && text.contains("二、主动公开政府信息情况"));
        assert!(!text.contains("首页"), "{text}");
    }

    #[test]
    fn site_furniture_is_left_out() {
        let mut html = String::from(
            "<html><head><title>某某区2022年政府信息公开工作年度报告_某某区人民政府</title>
             <script>var nav = '首页';</script></head><body>
             <div class=top><div class=nav><a href=/>首页</a> | <a href=/a>政务公开</a> | <a href=/b>政府信息公开年报</a> | <a href=/c>互动交流</a></div></div>
             <div class=crumb>当前位置：<a href=/>首页</a> &gt; <a href=/b>政府信息公开年报</a></div>
             <div class=main><div class=side><ul><li><a href=/1>政府信息公开指南</a></li><li><a href=/2>政府信息公开制度</a></li></ul></div>
             <div class=article><h1>某某区2022年政府信息公开工作年度报告</h1>
             <div id=content><p>　　本报告由某某区人民政府办公室编制。</p><p>一、总体情况</p>",
        );
        for _ in 0..20 {
            html.push_str("<p>2022年，某某区坚持以习近平新时代中国特色社会主义思想为指导，认真贯彻落实政府信息公开条例。</p>");
        }
        html.push_str(
            "<table><tr><td>第二十条第（一）项</td></tr><tr><td>信息内容</td><td>本年制发件数</td></tr></table>
             <p>二、主动公开政府信息情况</p><script>document.write('首页')</script>
             </div></div></div>
             <div class=footer><p>主办单位：某某区人民政府办公室　网站标识码：1234567890</p><p>苏ICP备12345678号</p></div>
             </body></html>",
        );
        let doc = read(&html);
        let text = all_text(&doc);
        for bad in [
            "首页",
            "政务公开",
            "主办单位",
            "网站标识码",
            "ICP备",
            "当前位置",
            "政府信息公开指南",
            "document.write",
        ] {
            assert!(!text.contains(bad), "{bad} leaked: {text}");
        }
        let paras = paragraphs(&doc);
        assert_eq!(paras[0], "某某区2022年政府信息公开工作年度报告");
        assert!(
            paras.contains(&"本报告由某某区人民政府办公室编制。"),
            "{paras:?}"
        );
        assert!(paras.contains(&"二、主动公开政府信息情况"));
        assert_eq!(tables(&doc).len(), 1);
        assert_eq!(
            doc.declared_title.as_deref(),
            Some("某某区2022年政府信息公开工作年度报告_某某区人民政府")
        );
    }

    #[test]
    fn page_without_report_tables_uses_the_densest_text() {
        let mut html = String::from("<body><ul class=menu><li><a href=/>首页</a></li><li><a href=/a>新闻中心</a></li></ul><div class=content>");
        for _ in 0..10 {
            html.push_str("<p>本年度共主动公开政府信息一千二百条，其中规范性文件十件。</p>");
        }
        html.push_str("</div><div>版权所有：某某县人民政府</div></body>");
        let doc = read(&html);
        let text = all_text(&doc);
        assert!(
            !text.contains("首页") && !text.contains("版权所有"),
            "{text}"
        );
        assert_eq!(paragraphs(&doc).len(), 10);
    }

    #[test]
    fn div_with_br_lines_gives_one_paragraph_per_line() {
        let doc = read("<div>一、总体情况<br>本年度<span>20</span><span>23</span>年<br/><br/>二、主动公开</div>");
        assert_eq!(
            paragraphs(&doc),
            ["一、总体情况", "本年度2023年", "二、主动公开"]
        );
    }

    #[test]
    fn whitespace_rules_in_cells() {
        let doc = read("<table><tr><td>\n  a&nbsp;&nbsp; b\n</td><td>\u{3000}中\u{3000}文\u{3000}</td><td><p>x</p><p> </p><div>y</div></td></tr><tr><td>1</td></tr></table>");
        let t = tables(&doc)[0];
        assert_eq!(text_at(t, 0, 0), "a b");
        assert_eq!(text_at(t, 0, 1), "中\u{3000}文");
        assert_eq!(text_at(t, 0, 2), "x\ny");
    }

    #[test]
    fn writing_mode_marks_vertical_cells() {
        let doc = read("<table><tr><td><span style='writing-mode: tb-rl'>办理结果</span></td><td style='writing-mode:vertical-rl'>x</td><td>y</td></tr><tr><td>1</td></tr></table>");
        let t = tables(&doc)[0];
        assert!(t.cells()[0].vertical && t.cells()[1].vertical && !t.cells()[2].vertical);
    }

    #[test]
    fn long_cell_text_is_cut_with_a_warning() {
        let long = "字".repeat(MAX_CELL_CHARS + 10);
        let doc = read(&format!(
            "<table><tr><td>{long}</td><td>b</td></tr><tr><td>c</td></tr></table>"
        ));
        let t = tables(&doc)[0];
        assert_eq!(t.cells()[0].text.chars().count(), MAX_CELL_CHARS);
        assert!(doc
            .warnings
            .iter()
            .any(|w| w.starts_with("html_cell_truncated")));
    }

    #[test]
    fn deep_nesting_does_not_overflow() {
        let depth = 10_000;
        let html = format!(
            "{}<p>深处的文字</p>{}<p>一、总体情况</p>",
            "<div>".repeat(depth),
            "</div>".repeat(depth)
        );
        let handle = std::thread::Builder::new()
            .stack_size(256 * 1024)
            .spawn(move || read(&html))
            .expect("thread");
        let doc = handle.join().expect("no stack overflow");
        assert!(paragraphs(&doc).contains(&"一、总体情况"));
        assert!(doc
            .warnings
            .iter()
            .any(|w| w.starts_with("html_depth_limit")));
    }

    #[test]
    fn title_prefers_the_report_title() {
        let doc = read("<html><head><title>某某县人民政府</title></head><body><title>x</title><p>a</p></body></html>");
        assert_eq!(doc.declared_title.as_deref(), Some("某某县人民政府"));
        let doc = read("<html><head><title>某某县人民政府</title></head><body><title>2023年政府信息公开年度报告</title><p>a</p></body></html>");
        assert_eq!(
            doc.declared_title.as_deref(),
            Some("2023年政府信息公开年度报告")
        );
    }

    const REAL: &str = "/work/shared/real/shuyang_fgj_2023.html";

    #[test]
    fn real_shuyang_fgj_2023() {
        let Ok(bytes) = std::fs::read(REAL) else {
            return;
        };
        let decoded = super::super::encoding::decode_html(&bytes);
        assert_eq!(decoded.encoding, "utf-8");
        let doc = read(&decoded.text);
        let text = all_text(&doc);
        for bad in [
            "首页",
            "走进沭阳",
            "办事服务",
            "智能问答",
            "无障碍",
            "采集时间",
            "索引号",
            "请输入关键词",
            "function",
        ] {
            assert!(!text.contains(bad), "{bad} leaked");
        }
        assert_eq!(
            doc.declared_title.as_deref(),
            Some("沭阳县发展和改革局2023年政府信息公开年度报告-沭阳县发改局")
        );
        let paras = paragraphs(&doc);
        assert_eq!(paras[0], "沭阳县发展和改革局2023年政府信息公开年度报告");
        for h in [
            "一、总体情况",
            "二、主动公开政府信息情况",
            "三、收到和处理政府信息公开申请情况",
            "五、存在的主要问题及整改措施",
            "六、其他需要报告的事项",
        ] {
            assert!(paras.contains(&h), "missing {h}: {paras:?}");
        }
        assert!(paras
            .iter()
            .any(|p| p.starts_with("根据《中华人民共和国政府信息公开条例》")));
        assert!(paras.contains(&"沭阳县发展和改革局") && paras.contains(&"2024年1月17日"));
        let ts = tables(&doc);
        assert_eq!(ts.len(), 3, "tables 二, 三, 四");
        let t3 = ts
            .iter()
            .find(|t| t.cells().iter().any(|c| c.text == "申请人情况"))
            .expect("table 三");
        assert_eq!(
            t3.cells().iter().filter(|c| c.text == "申请人情况").count(),
            1
        );
        assert!(!t3.cells().iter().any(|c| c.text == "申请人情"));
        let result = t3
            .cells()
            .iter()
            .find(|c| c.text == "三、本年度办理结果")
            .expect("办理结果");
        assert_eq!(result.row_span, 22);
        let (_, corner) = t3.cell_at(0, 0).unwrap();
        assert_eq!((corner.row_span, corner.col_span), (3, 3));
        assert_eq!(text_at(t3, 1, 3), "自然人");
        assert_eq!(text_at(t3, 2, 4), "商业\n企业");
        // The 法人 columns of the "new requests" row hold `<o:p> </o:p>`: empty cells.
        let new_row = (0..t3.rows())
            .find(|&r| text_at(t3, r, 0).starts_with("一、本年新收"))
            .expect("本年新收 row");
        let row: Vec<&str> = (3..t3.cols()).map(|c| text_at(t3, new_row, c)).collect();
        assert!(row.iter().any(|s| s.is_empty()), "{row:?}");
        assert_eq!(t3.cols(), 10);
        assert!(doc.warnings.is_empty(), "{:?}", doc.warnings);
    }
}

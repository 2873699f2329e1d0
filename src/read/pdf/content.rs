//! Content-stream interpretation: every shown glyph with its position, size and writing
//! direction, and every straight stroke or thin filled rectangle (table rulings), in page
//! coordinates with y growing downward.
//!
//! Only what text extraction needs is modelled: the CTM stack, the text state (`Tf`, `Tc`, `Tw`,
//! `Tz`, `TL`, `Ts`, `Tm`, `Td`, `TD`, `T*`), the show operators (`Tj`, `TJ`, `'`, `"`), path
//! construction (`m`, `l`, `re`, `h`) and painting, and form XObjects (`Do`, depth-bounded).
//! Fonts: composite (Type0, 2-byte codes, Identity-H/V) and simple (1-byte codes); text comes
//! from the `ToUnicode` map, else from the simple font's encoding.

use std::collections::HashMap;

use super::lexer::{Lexer, Operand};
use lopdf::{Dictionary, Document as PdfDoc, Encoding, Object, ObjectId};

use crate::limits::{
    MAX_PDF_GLYPHS, MAX_PDF_OPS, MAX_PDF_SEGMENTS, MAX_PDF_STREAM_BYTES, MAX_PDF_XOBJECT_DEPTH,
};

/// One shown glyph. `x`/`y` are the left end of its advance and its baseline (y down);
/// for vertical writing `x` is the centre line and `y` the top of the glyph box.
#[derive(Debug, Clone)]
pub struct Glyph {
    pub text: String,
    pub x: f32,
    pub y: f32,
    /// Advance along the writing direction.
    pub w: f32,
    pub size: f32,
    pub vertical: bool,
}

impl Glyph {
    /// Centre of the glyph box.
    pub fn center(&self) -> (f32, f32) {
        if self.vertical {
            (self.x, self.y + self.size * 0.5)
        } else {
            (self.x + self.w * 0.5, self.y - self.size * 0.35)
        }
    }
    pub fn left(&self) -> f32 {
        if self.vertical {
            self.x - self.size * 0.5
        } else {
            self.x
        }
    }
    pub fn right(&self) -> f32 {
        if self.vertical {
            self.x + self.size * 0.5
        } else {
            self.x + self.w
        }
    }
}

/// A horizontal or vertical ruling (y down), normalised so `x0 <= x1`, `y0 <= y1`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Seg {
    pub x0: f32,
    pub y0: f32,
    pub x1: f32,
    pub y1: f32,
}

impl Seg {
    pub fn horizontal(&self) -> bool {
        (self.y1 - self.y0) <= (self.x1 - self.x0)
    }
}

#[derive(Debug, Default)]
pub struct Page {
    pub width: f32,
    pub glyphs: Vec<Glyph>,
    pub segs: Vec<Seg>,
    /// Image XObjects and inline images painted.
    pub images: usize,
}

/// Counters over the whole document (limits, unmapped codes).
#[derive(Debug, Default)]
pub struct Stats {
    pub ops: usize,
    pub glyphs: usize,
    /// Glyphs whose code had no Unicode mapping.
    pub unmapped: usize,
    pub warnings: Vec<String>,
    pub limit_hit: Option<String>,
}

type Matrix = [f32; 6];
const IDENTITY: Matrix = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0];

/// `a` then `b`.
fn mul(a: &Matrix, b: &Matrix) -> Matrix {
    [
        a[0] * b[0] + a[1] * b[2],
        a[0] * b[1] + a[1] * b[3],
        a[2] * b[0] + a[3] * b[2],
        a[2] * b[1] + a[3] * b[3],
        a[4] * b[0] + a[5] * b[2] + b[4],
        a[4] * b[1] + a[5] * b[3] + b[5],
    ]
}

fn apply(m: &Matrix, x: f32, y: f32) -> (f32, f32) {
    (m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5])
}

fn num(o: &Object) -> Option<f32> {
    match o {
        Object::Integer(i) => Some(*i as f32),
        Object::Real(r) => Some(*r),
        _ => None,
    }
}

fn onums(ops: &[Operand<'_>]) -> Vec<f32> {
    ops.iter().map(|o| o.num().unwrap_or(0.0)).collect()
}

fn nums(ops: &[Object]) -> Vec<f32> {
    ops.iter().map(|o| num(o).unwrap_or(0.0)).collect()
}

/// A font as far as text extraction needs it.
pub struct Font<'a> {
    two_byte: bool,
    vertical: bool,
    /// The `ToUnicode` map (always a `UnicodeMapEncoding`).
    cmap: Option<Encoding<'static>>,
    /// A simple font's own encoding (WinAnsi, Differences, …).
    simple: Option<Encoding<'a>>,
    /// UTF-16BE codes (UniGB-UCS2-H and friends).
    ucs2: bool,
    widths: HashMap<u32, f32>,
    default_w: f32,
    /// Vertical advance (DW2's second entry, in 1/1000 em; normally -1000).
    default_w1: f32,
}

impl Font<'_> {
    fn width(&self, code: u32) -> f32 {
        self.widths.get(&code).copied().unwrap_or(self.default_w)
    }

    /// Text of one code; None when unmapped.
    fn text(&self, code: u32, len: u8) -> Option<String> {
        let bytes: &[u8] = if len == 2 {
            &[(code >> 8) as u8, code as u8]
        } else {
            &[code as u8]
        };
        if let Some(cmap) = &self.cmap {
            if let Ok(s) = cmap.bytes_to_string(bytes) {
                if !s.is_empty() && !s.contains('\u{FFFD}') && !s.contains('\0') {
                    return Some(s);
                }
            }
        }
        if self.ucs2 && len == 2 {
            return char::from_u32(code).map(|c| c.to_string());
        }
        if let (Some(enc), 1) = (&self.simple, len) {
            if let Ok(s) = enc.bytes_to_string(bytes) {
                if !s.is_empty() && !s.contains('\u{FFFD}') {
                    return Some(s);
                }
            }
        }
        None
    }
}

fn name_of(o: &Object) -> Option<&[u8]> {
    match o {
        Object::Name(n) => Some(n),
        _ => None,
    }
}

/// Parses a ToUnicode stream through lopdf's CMap parser.
fn to_unicode(doc: &PdfDoc, font: &Dictionary) -> Option<Encoding<'static>> {
    let obj = font.get(b"ToUnicode").ok()?.clone();
    let mut d = Dictionary::new();
    d.set("Type", Object::Name(b"Font".to_vec()));
    d.set("Encoding", Object::Name(b"Identity-H".to_vec()));
    d.set("ToUnicode", obj);
    match d.get_font_encoding_with_limit(doc, MAX_PDF_STREAM_BYTES) {
        Ok(Encoding::UnicodeMapEncoding(c)) => Some(Encoding::UnicodeMapEncoding(c)),
        _ => None,
    }
}

fn load_font<'a>(doc: &'a PdfDoc, font: &'a Dictionary) -> Font<'a> {
    let subtype = font.get(b"Subtype").ok().and_then(name_of).unwrap_or(b"");
    let cmap = to_unicode(doc, font);
    if subtype == b"Type0" {
        let enc = font.get(b"Encoding").ok().and_then(name_of).unwrap_or(b"");
        let vertical = enc.ends_with(b"-V");
        let ucs2 = enc.starts_with(b"Uni")
            && (enc.contains(&b'2') || enc.windows(5).any(|w| w == b"UTF16"));
        let mut widths = HashMap::new();
        let mut default_w = 1000.0;
        let mut default_w1 = -1000.0;
        let desc = font
            .get(b"DescendantFonts")
            .ok()
            .and_then(|o| doc.dereference(o).ok())
            .and_then(|(_, o)| o.as_array().ok())
            .and_then(|a| a.first())
            .and_then(|o| doc.dereference(o).ok())
            .and_then(|(_, o)| o.as_dict().ok());
        if let Some(desc) = desc {
            if let Some(dw) = desc.get(b"DW").ok().and_then(num) {
                default_w = dw;
            }
            if let Some(dw2) = desc
                .get(b"DW2")
                .ok()
                .and_then(|o| doc.dereference(o).ok())
                .and_then(|(_, o)| o.as_array().ok())
            {
                if let Some(w1) = dw2.get(1).and_then(num) {
                    default_w1 = w1;
                }
            }
            if let Some(w) = desc
                .get(b"W")
                .ok()
                .and_then(|o| doc.dereference(o).ok())
                .and_then(|(_, o)| o.as_array().ok())
            {
                read_cid_widths(doc, w, &mut widths);
            }
        }
        Font {
            two_byte: true,
            vertical,
            cmap,
            simple: None,
            ucs2,
            widths,
            default_w,
            default_w1,
        }
    } else {
        let simple = if font.get(b"Encoding").is_ok() || cmap.is_none() {
            font.get_font_encoding_with_limit(doc, MAX_PDF_STREAM_BYTES)
                .ok()
        } else {
            None
        };
        let mut widths = HashMap::new();
        let first = font.get(b"FirstChar").ok().and_then(num).unwrap_or(0.0) as u32;
        if let Some(w) = font
            .get(b"Widths")
            .ok()
            .and_then(|o| doc.dereference(o).ok())
            .and_then(|(_, o)| o.as_array().ok())
        {
            for (i, o) in w.iter().take(256).enumerate() {
                if let Some(v) = doc.dereference(o).ok().and_then(|(_, o)| num(o)) {
                    widths.insert(first + i as u32, v);
                }
            }
        }
        let is_type3 = subtype == b"Type3";
        Font {
            two_byte: false,
            vertical: false,
            cmap,
            simple,
            ucs2: false,
            widths,
            default_w: if is_type3 { 0.0 } else { 500.0 },
            default_w1: -1000.0,
        }
    }
}

/// `W` array: `c [w1 w2 …]` or `cfirst clast w`.
fn read_cid_widths(doc: &PdfDoc, w: &[Object], out: &mut HashMap<u32, f32>) {
    let mut i = 0;
    let mut budget = 100_000usize;
    while i < w.len() && budget > 0 {
        let Some(c) = num(&w[i]) else { break };
        let c = c as u32;
        match w.get(i + 1).map(|o| doc.dereference(o).map(|(_, o)| o)) {
            Some(Ok(Object::Array(list))) => {
                for (k, o) in list.iter().enumerate() {
                    if budget == 0 {
                        break;
                    }
                    budget -= 1;
                    if let Some(v) = num(o) {
                        out.insert(c + k as u32, v);
                    }
                }
                i += 2;
            }
            Some(Ok(o)) => {
                let last = num(o).unwrap_or(c as f32) as u32;
                let v = w.get(i + 2).and_then(num).unwrap_or(1000.0);
                let mut k = c;
                while k <= last && budget > 0 {
                    out.insert(k, v);
                    k += 1;
                    budget -= 1;
                }
                i += 3;
            }
            _ => break,
        }
    }
}

#[derive(Clone)]
struct GState {
    ctm: Matrix,
    font: Option<ObjectId>,
    font_key: Option<Vec<u8>>,
    size: f32,
    tc: f32,
    tw: f32,
    th: f32,
    tl: f32,
    rise: f32,
}

/// Resources in scope: the innermost dictionary first.
struct Scope<'a> {
    dicts: Vec<&'a Dictionary>,
}

impl<'a> Scope<'a> {
    fn lookup(
        &self,
        doc: &'a PdfDoc,
        category: &[u8],
        name: &[u8],
    ) -> Option<(Option<ObjectId>, &'a Object)> {
        for d in &self.dicts {
            let cat = d
                .get(category)
                .ok()
                .and_then(|o| doc.dereference(o).ok())
                .and_then(|(_, o)| o.as_dict().ok());
            if let Some(cat) = cat {
                if let Ok(o) = cat.get(name) {
                    if let Ok((id, obj)) = doc.dereference(o) {
                        return Some((id, obj));
                    }
                }
            }
        }
        None
    }
}

/// Interprets pages one by one, sharing the font cache.
pub struct Interpreter<'a> {
    doc: &'a PdfDoc,
    fonts: HashMap<ObjectId, Font<'a>>,
    /// Fonts given inline (no object id), keyed by resource name.
    inline_fonts: HashMap<Vec<u8>, Font<'a>>,
    pub stats: Stats,
}

struct PageState {
    glyphs: Vec<Glyph>,
    segs: Vec<Seg>,
    images: usize,
    height: f32,
}

impl<'a> Interpreter<'a> {
    pub fn new(doc: &'a PdfDoc) -> Self {
        Interpreter {
            doc,
            fonts: HashMap::new(),
            inline_fonts: HashMap::new(),
            stats: Stats::default(),
        }
    }

    pub fn page(&mut self, page_id: ObjectId) -> Page {
        let doc = self.doc;
        let (x0, y0, x1, y1) = media_box(doc, page_id);
        let (w, h) = (x1 - x0, y1 - y0);
        // /Rotate: turn the page upright as a viewer shows it.
        let rotate = inherited(doc, page_id, b"Rotate")
            .and_then(num)
            .map_or(0, |r| (r as i64).rem_euclid(360));
        let (rot, width, height): (Matrix, f32, f32) = match rotate {
            90 => ([0.0, -1.0, 1.0, 0.0, 0.0, w], h, w),
            180 => ([-1.0, 0.0, 0.0, -1.0, w, h], w, h),
            270 => ([0.0, 1.0, -1.0, 0.0, h, 0.0], h, w),
            _ => (IDENTITY, w, h),
        };
        let mut scope_dicts: Vec<&Dictionary> = Vec::new();
        if let Ok((own, inherited)) = doc.get_page_resources(page_id) {
            if let Some(d) = own {
                scope_dicts.push(d);
            }
            for id in inherited {
                if let Ok(d) = doc.get_dictionary(id) {
                    scope_dicts.push(d);
                }
            }
        }
        let mut ps = PageState {
            glyphs: Vec::new(),
            segs: Vec::new(),
            images: 0,
            height,
        };
        let content = match doc.get_page_content_with_limit(page_id, MAX_PDF_STREAM_BYTES) {
            Ok(c) => c,
            Err(e) => {
                self.stats
                    .warnings
                    .push(format!("page content unreadable: {e}"));
                Vec::new()
            }
        };
        // Shift so the media box origin is (0, 0).
        let base: Matrix = mul(&[1.0, 0.0, 0.0, 1.0, -x0, -y0], &rot);
        let scope = Scope { dicts: scope_dicts };
        self.run(&content, &scope, base, &mut ps, 0);
        Page {
            width,
            glyphs: ps.glyphs,
            segs: ps.segs,
            images: ps.images,
        }
    }

    fn font_for(&mut self, scope: &Scope<'a>, name: &[u8]) -> Option<(Option<ObjectId>, Vec<u8>)> {
        let doc = self.doc;
        let (id, obj) = scope.lookup(doc, b"Font", name)?;
        let dict = obj.as_dict().ok()?;
        match id {
            Some(id) => {
                self.fonts.entry(id).or_insert_with(|| load_font(doc, dict));
                Some((Some(id), name.to_vec()))
            }
            None => {
                if !self.inline_fonts.contains_key(name) {
                    let f = load_font(doc, dict);
                    self.inline_fonts.insert(name.to_vec(), f);
                }
                Some((None, name.to_vec()))
            }
        }
    }

    fn run(
        &mut self,
        content: &[u8],
        scope: &Scope<'a>,
        ctm: Matrix,
        ps: &mut PageState,
        depth: usize,
    ) {
        let mut lexer = Lexer::new(content);
        let mut operands: Vec<Operand<'_>> = Vec::new();
        let mut gs = GState {
            ctm,
            font: None,
            font_key: None,
            size: 0.0,
            tc: 0.0,
            tw: 0.0,
            th: 1.0,
            tl: 0.0,
            rise: 0.0,
        };
        let mut stack: Vec<GState> = Vec::new();
        let mut tm = IDENTITY;
        let mut tlm = IDENTITY;
        // Current path: subpaths as point lists (user space), plus rectangles.
        let mut path: Vec<Vec<(f32, f32)>> = Vec::new();
        let mut rects: Vec<[f32; 4]> = Vec::new();
        while let Some(op) = lexer.next_op(&mut operands) {
            self.stats.ops += 1;
            if self.stats.ops > MAX_PDF_OPS {
                self.stats.limit_hit = Some(format!("more than {MAX_PDF_OPS} content operators"));
                return;
            }
            let a = &operands;
            match op {
                b"q" if stack.len() < 256 => stack.push(gs.clone()),
                b"Q" => {
                    if let Some(g) = stack.pop() {
                        gs = g;
                    }
                }
                b"cm" => {
                    let v = onums(a);
                    if v.len() == 6 {
                        let m = [v[0], v[1], v[2], v[3], v[4], v[5]];
                        gs.ctm = mul(&m, &gs.ctm);
                    }
                }
                b"BT" => {
                    tm = IDENTITY;
                    tlm = IDENTITY;
                }
                b"Tf" => {
                    if let (Some(n), Some(s)) = (
                        a.first().and_then(Operand::name),
                        a.get(1).and_then(Operand::num),
                    ) {
                        gs.size = s;
                        match self.font_for(scope, n) {
                            Some((id, key)) => {
                                gs.font = id;
                                gs.font_key = Some(key);
                            }
                            None => {
                                gs.font = None;
                                gs.font_key = None;
                            }
                        }
                    }
                }
                b"Tc" => gs.tc = a.first().and_then(Operand::num).unwrap_or(0.0),
                b"Tw" => gs.tw = a.first().and_then(Operand::num).unwrap_or(0.0),
                b"Tz" => gs.th = a.first().and_then(Operand::num).unwrap_or(100.0) / 100.0,
                b"TL" => gs.tl = a.first().and_then(Operand::num).unwrap_or(0.0),
                b"Ts" => gs.rise = a.first().and_then(Operand::num).unwrap_or(0.0),
                b"Td" | b"TD" => {
                    let v = onums(a);
                    if v.len() == 2 {
                        if op == b"TD" {
                            gs.tl = -v[1];
                        }
                        tlm = mul(&[1.0, 0.0, 0.0, 1.0, v[0], v[1]], &tlm);
                        tm = tlm;
                    }
                }
                b"Tm" => {
                    let v = onums(a);
                    if v.len() == 6 {
                        tlm = [v[0], v[1], v[2], v[3], v[4], v[5]];
                        tm = tlm;
                    }
                }
                b"T*" => {
                    tlm = mul(&[1.0, 0.0, 0.0, 1.0, 0.0, -gs.tl], &tlm);
                    tm = tlm;
                }
                b"Tj" => {
                    if let Some(Operand::Str(s)) = a.first() {
                        self.show(s, &gs, &mut tm, ps);
                    }
                }
                b"'" | b"\"" => {
                    if op == b"\"" {
                        let v = onums(a);
                        if v.len() >= 2 {
                            gs.tw = v[0];
                            gs.tc = v[1];
                        }
                    }
                    tlm = mul(&[1.0, 0.0, 0.0, 1.0, 0.0, -gs.tl], &tlm);
                    tm = tlm;
                    if let Some(Operand::Str(s)) = a.last() {
                        self.show(s, &gs, &mut tm, ps);
                    }
                }
                b"TJ" => {
                    if let Some(Operand::Array(items)) = a.first() {
                        for it in items {
                            match it {
                                Operand::Str(s) => self.show(s, &gs, &mut tm, ps),
                                o => {
                                    if let Some(n) = o.num() {
                                        let vertical =
                                            self.current_font(&gs).is_some_and(|f| f.vertical);
                                        let d = -n / 1000.0 * gs.size;
                                        let t = if vertical {
                                            [1.0, 0.0, 0.0, 1.0, 0.0, d]
                                        } else {
                                            [1.0, 0.0, 0.0, 1.0, d * gs.th, 0.0]
                                        };
                                        tm = mul(&t, &tm);
                                    }
                                }
                            }
                        }
                    }
                }
                b"m" => {
                    let v = onums(a);
                    if v.len() == 2 {
                        path.push(vec![(v[0], v[1])]);
                    }
                }
                b"l" => {
                    let v = onums(a);
                    if v.len() == 2 {
                        match path.last_mut() {
                            Some(p) if p.len() < 10_000 => p.push((v[0], v[1])),
                            Some(_) => {}
                            None => path.push(vec![(v[0], v[1])]),
                        }
                    }
                }
                b"c" | b"v" | b"y" => {
                    // Curves are not rulings: end the current straight run there.
                    let v = onums(a);
                    if v.len() >= 2 {
                        let (x, y) = (v[v.len() - 2], v[v.len() - 1]);
                        path.push(vec![(x, y)]);
                    }
                }
                b"h" => {
                    if let Some(p) = path.last_mut() {
                        if p.len() > 1 && p.len() < 10_000 {
                            let first = p[0];
                            p.push(first);
                        }
                    }
                }
                b"re" => {
                    let v = onums(a);
                    if v.len() == 4 && rects.len() < 100_000 {
                        rects.push([v[0], v[1], v[2], v[3]]);
                    }
                }
                b"S" | b"s" | b"B" | b"B*" | b"b" | b"b*" | b"f" | b"F" | b"f*" => {
                    let stroke = matches!(op, b"S" | b"s" | b"B" | b"B*" | b"b" | b"b*");
                    self.paint(&path, &rects, stroke, &gs.ctm, ps);
                    path.clear();
                    rects.clear();
                }
                b"n" => {
                    path.clear();
                    rects.clear();
                }
                b"Do" => {
                    if let Some(n) = a.first().and_then(Operand::name) {
                        self.xobject(scope, n, &gs.ctm, ps, depth);
                    }
                }
                b"BI" | b"ID" | b"EI" => ps.images += 1,
                _ => {}
            }
        }
    }

    fn current_font(&self, gs: &GState) -> Option<&Font<'a>> {
        match gs.font {
            Some(id) => self.fonts.get(&id),
            None => gs.font_key.as_ref().and_then(|k| self.inline_fonts.get(k)),
        }
    }

    fn show(&mut self, bytes: &[u8], gs: &GState, tm: &mut Matrix, ps: &mut PageState) {
        let Some(font) = (match gs.font {
            Some(id) => self.fonts.get(&id),
            None => gs.font_key.as_ref().and_then(|k| self.inline_fonts.get(k)),
        }) else {
            return;
        };
        let step = if font.two_byte { 2 } else { 1 };
        let mut i = 0;
        while i + step <= bytes.len() {
            let code = if step == 2 {
                (bytes[i] as u32) << 8 | bytes[i + 1] as u32
            } else {
                bytes[i] as u32
            };
            i += step;
            let w0 = font.width(code) / 1000.0;
            let word = if step == 1 && code == 32 { gs.tw } else { 0.0 };
            // Text rendering matrix: font size, scaling and rise, then Tm, then the CTM.
            let trm = mul(
                &mul(&[gs.size * gs.th, 0.0, 0.0, gs.size, 0.0, gs.rise], tm),
                &gs.ctm,
            );
            let scale_y = (trm[2] * trm[2] + trm[3] * trm[3]).sqrt();
            let (ox, oy) = apply(&trm, 0.0, 0.0);
            let text = font.text(code, step as u8);
            let (adv_x, adv_y) = if font.vertical {
                (0.0, font.default_w1 / 1000.0 * gs.size + gs.tc + word)
            } else {
                ((w0 * gs.size + gs.tc + word) * gs.th, 0.0)
            };
            // Device-space advance.
            let (ex, ey) = {
                let m = mul(tm, &gs.ctm);
                let (a, b) = apply(&m, adv_x, adv_y);
                let (c, d) = apply(&m, 0.0, 0.0);
                (a - c, b - d)
            };
            // An unmapped code stays in place as U+FFFD: a cell holding one is no number.
            let t = text.unwrap_or_else(|| {
                self.stats.unmapped += 1;
                "\u{FFFD}".to_string()
            });
            if self.stats.glyphs < MAX_PDF_GLYPHS {
                self.stats.glyphs += 1;
                let y_down = ps.height - oy;
                let (w, vertical) = if font.vertical {
                    ((ex * ex + ey * ey).sqrt(), true)
                } else {
                    (ex.abs().max(w0 * scale_y * 0.5), false)
                };
                ps.glyphs.push(Glyph {
                    text: t,
                    x: ox,
                    y: y_down,
                    w,
                    size: scale_y,
                    vertical,
                });
            } else if self.stats.limit_hit.is_none() {
                self.stats.limit_hit = Some(format!("more than {MAX_PDF_GLYPHS} glyphs"));
            }
            *tm = mul(&[1.0, 0.0, 0.0, 1.0, adv_x, adv_y], tm);
        }
    }

    fn paint(
        &mut self,
        path: &[Vec<(f32, f32)>],
        rects: &[[f32; 4]],
        stroke: bool,
        ctm: &Matrix,
        ps: &mut PageState,
    ) {
        let h = ps.height;
        let dev = |x: f32, y: f32| {
            let (a, b) = apply(ctm, x, y);
            (a, h - b)
        };
        let push = |s: Seg, ps: &mut PageState| {
            if ps.segs.len() < MAX_PDF_SEGMENTS {
                ps.segs.push(s);
            }
        };
        for r in rects {
            let (ax, ay) = dev(r[0], r[1]);
            let (bx, by) = dev(r[0] + r[2], r[1] + r[3]);
            let (x0, x1) = (ax.min(bx), ax.max(bx));
            let (y0, y1) = (ay.min(by), ay.max(by));
            let (w, hh) = (x1 - x0, y1 - y0);
            if w <= 2.5 && hh > 2.0 {
                let x = (x0 + x1) / 2.0;
                push(
                    Seg {
                        x0: x,
                        y0,
                        x1: x,
                        y1,
                    },
                    ps,
                );
            } else if hh <= 2.5 && w > 2.0 {
                let y = (y0 + y1) / 2.0;
                push(
                    Seg {
                        x0,
                        y0: y,
                        x1,
                        y1: y,
                    },
                    ps,
                );
            } else if stroke {
                for s in [
                    Seg { x0, y0, x1, y1: y0 },
                    Seg { x0, y0: y1, x1, y1 },
                    Seg { x0, y0, x1: x0, y1 },
                    Seg { x0: x1, y0, x1, y1 },
                ] {
                    push(s, ps);
                }
            }
        }
        if !stroke {
            return;
        }
        for p in path {
            for w in p.windows(2) {
                let (ax, ay) = dev(w[0].0, w[0].1);
                let (bx, by) = dev(w[1].0, w[1].1);
                let s = Seg {
                    x0: ax.min(bx),
                    y0: ay.min(by),
                    x1: ax.max(bx),
                    y1: ay.max(by),
                };
                let (dx, dy) = (s.x1 - s.x0, s.y1 - s.y0);
                if (dy <= 1.0 && dx > 1.0) || (dx <= 1.0 && dy > 1.0) {
                    push(s, ps);
                }
            }
        }
    }

    fn xobject(
        &mut self,
        scope: &Scope<'a>,
        name: &[u8],
        ctm: &Matrix,
        ps: &mut PageState,
        depth: usize,
    ) {
        let doc = self.doc;
        let Some((_, obj)) = scope.lookup(doc, b"XObject", name) else {
            return;
        };
        let Ok(stream) = obj.as_stream() else { return };
        let sub = stream
            .dict
            .get(b"Subtype")
            .ok()
            .and_then(name_of)
            .unwrap_or(b"");
        if sub == b"Image" {
            ps.images += 1;
            return;
        }
        if sub != b"Form" {
            return;
        }
        if depth >= MAX_PDF_XOBJECT_DEPTH {
            if self.stats.limit_hit.is_none() {
                self.stats.warnings.push(format!(
                    "form XObjects nested deeper than {MAX_PDF_XOBJECT_DEPTH}; inner ones skipped"
                ));
            }
            return;
        }
        let content = match stream.decompressed_content_with_limit(MAX_PDF_STREAM_BYTES) {
            Ok(c) => c,
            Err(_) if stream.dict.get(b"Filter").is_err() => stream.content.clone(),
            Err(e) => {
                self.stats
                    .warnings
                    .push(format!("form XObject unreadable: {e}"));
                return;
            }
        };
        let m = stream
            .dict
            .get(b"Matrix")
            .ok()
            .and_then(|o| o.as_array().ok())
            .map(|a| nums(a))
            .filter(|v| v.len() == 6)
            .map(|v| [v[0], v[1], v[2], v[3], v[4], v[5]])
            .unwrap_or(IDENTITY);
        let mut dicts = Vec::with_capacity(scope.dicts.len() + 1);
        if let Some(r) = stream
            .dict
            .get(b"Resources")
            .ok()
            .and_then(|o| doc.dereference(o).ok())
            .and_then(|(_, o)| o.as_dict().ok())
        {
            dicts.push(r);
        }
        dicts.extend(scope.dicts.iter().copied());
        let inner = Scope { dicts };
        self.run(&content, &inner, mul(&m, ctm), ps, depth + 1);
    }
}

/// A page attribute, looked up through the page tree (MediaBox, Rotate, … are inherited).
fn inherited<'d>(doc: &'d PdfDoc, page_id: ObjectId, key: &[u8]) -> Option<&'d Object> {
    let mut id = page_id;
    for _ in 0..64 {
        let d = doc.get_dictionary(id).ok()?;
        if let Ok(o) = d.get(key) {
            return doc.dereference(o).ok().map(|(_, o)| o);
        }
        id = d.get(b"Parent").ok()?.as_reference().ok()?;
    }
    None
}

fn media_box(doc: &PdfDoc, page_id: ObjectId) -> (f32, f32, f32, f32) {
    let v = inherited(doc, page_id, b"MediaBox")
        .and_then(|o| o.as_array().ok())
        .map(|a| nums(a))
        .filter(|v| v.len() == 4 && v[0] != v[2] && v[1] != v[3]);
    match v {
        Some(v) => (
            v[0].min(v[2]),
            v[1].min(v[3]),
            v[0].max(v[2]),
            v[1].max(v[3]),
        ),
        None => (0.0, 0.0, 595.0, 842.0),
    }
}

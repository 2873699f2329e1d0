//! .docx reader: the zip package is opened with resource limits, the main WordprocessingML part
//! is streamed once, and a small state machine turns it into paragraphs and tables in body order.
//!
//! Elements are matched by namespace URI (transitional and strict WordprocessingML), never by a
//! fixed prefix: the part is read by the `fast` module (prefixes resolved once from the root's
//! declarations) when what each prefix means cannot change in the document, and otherwise, or on
//! anything unusual, with quick-xml's `NsReader`; both give the same document.
//!
//! Tracked changes are read as "accept all", field codes are dropped but their results kept,
//! `mc:AlternateContent` is read through its first `mc:Choice` (the `mc:Fallback` copy is
//! skipped so text boxes are not duplicated), and tables are placed on a grid by
//! [`TableBuilder`] from `gridBefore`, `gridSpan`, `vMerge` and `hMerge`.

mod fast;

use std::borrow::Cow;
use std::io::{Cursor, Read};

use quick_xml::events::{BytesStart, Event};
use quick_xml::name::{NamespaceResolver, QName, ResolveResult};
use quick_xml::{NsReader, Reader, XmlVersion};
use zip::result::ZipError;
use zip::ZipArchive;

use crate::error::ReadError;
use crate::limits::{
    MAX_CELL_CHARS, MAX_TABLE_COLS, MAX_XML_DEPTH, MAX_XML_EVENTS, MAX_ZIP_ENTRIES,
    MAX_ZIP_PART_BYTES, MAX_ZIP_RATIO, MAX_ZIP_RATIO_MIN_BYTES, MAX_ZIP_TOTAL_BYTES,
};
use crate::model::{Block, CellSpec, Document, Table, TableBuilder};

const FORMAT: &str = "docx";

const W_NS: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
const W_NS_STRICT: &str = "http://purl.oclc.org/ooxml/wordprocessingml/main";
const MC_NS: &str = "http://schemas.openxmlformats.org/markup-compatibility/2006";
const M_NS: &str = "http://schemas.openxmlformats.org/officeDocument/2006/math";
const M_NS_STRICT: &str = "http://purl.oclc.org/ooxml/officeDocument/math";
const DC_NS: &str = "http://purl.org/dc/elements/1.1/";

/// Most complex fields (`fldChar begin`) tracked as open at once.
const MAX_FIELD_NESTING: usize = 64;

/// Reads a .docx (or other WordprocessingML zip package) from its bytes.
pub fn read(bytes: &[u8]) -> Result<Document, ReadError> {
    let mut pkg = Package::open(bytes)?;
    let main = pkg.main_part()?;
    let data = pkg.read_part(&main)?;
    let mut warnings = std::mem::take(&mut pkg.warnings);
    let xml = decode_xml(&data, &main, &mut warnings);
    let mut doc = parse_document(&xml)?;
    doc.declared_title = pkg.core_title(&mut warnings);
    warnings.append(&mut doc.warnings);
    doc.warnings = warnings;
    Ok(doc)
}

// ---------------------------------------------------------------------------------------------
// Package (zip) layer
// ---------------------------------------------------------------------------------------------

struct Package<'a> {
    zip: ZipArchive<Cursor<&'a [u8]>>,
    warnings: Vec<String>,
    /// Package-level relationships (`_rels/.rels`): (type, target), read on first use.
    rels: Option<Vec<(String, String)>>,
}

fn zip_error(e: ZipError) -> ReadError {
    match e {
        ZipError::UnsupportedArchive(m) if m == ZipError::PASSWORD_REQUIRED => ReadError::Encrypted,
        ZipError::UnsupportedArchive(m) => ReadError::Unsupported(format!("zip feature: {m}")),
        ZipError::CompressionMethodNotSupported(m) => {
            ReadError::Unsupported(format!("zip compression method {m} is not supported"))
        }
        ZipError::InvalidArchive(m) => ReadError::Corrupt {
            format: FORMAT,
            detail: format!("broken zip archive ({m}); the file may be truncated"),
        },
        ZipError::Io(e) => ReadError::Corrupt {
            format: FORMAT,
            detail: format!("broken zip archive ({e}); the file may be truncated"),
        },
        other => ReadError::Corrupt {
            format: FORMAT,
            detail: format!("broken zip archive ({other})"),
        },
    }
}

impl<'a> Package<'a> {
    fn open(bytes: &'a [u8]) -> Result<Self, ReadError> {
        let mut zip = ZipArchive::new(Cursor::new(bytes)).map_err(zip_error)?;
        let entries = zip.len();
        if entries > MAX_ZIP_ENTRIES {
            return Err(ReadError::Limit(format!(
                "zip has {entries} entries, over the {MAX_ZIP_ENTRIES}-entry limit"
            )));
        }
        let mut total: u64 = 0;
        for i in 0..entries {
            let entry = zip.by_index_data(i).map_err(zip_error)?;
            total = total.saturating_add(entry.size());
        }
        if total > MAX_ZIP_TOTAL_BYTES {
            return Err(ReadError::Limit(format!(
                "zip declares {total} inflated bytes, over the {MAX_ZIP_TOTAL_BYTES}-byte total limit"
            )));
        }
        match zip.has_overlapping_files() {
            Ok(false) => {}
            Ok(true) => {
                return Err(ReadError::Limit(
                    "zip entries overlap (zip-bomb construction)".into(),
                ))
            }
            Err(e) => return Err(zip_error(e)),
        }
        Ok(Package {
            zip,
            warnings: Vec::new(),
            rels: None,
        })
    }

    /// Index of a part by name: exact first, then case-insensitively (OPC names are
    /// case-insensitive) with backslashes read as slashes.
    fn find(&self, name: &str) -> Option<usize> {
        if let Some(i) = self.zip.index_for_name(name) {
            return Some(i);
        }
        (0..self.zip.len()).find(|&i| match self.zip.name_for_index(i) {
            Some(Ok(n)) => n.len() == name.len() && n.replace('\\', "/").eq_ignore_ascii_case(name),
            _ => false,
        })
    }

    /// Reads one part with the per-part size and ratio limits. An inflate error after some bytes
    /// were produced keeps those bytes with a `truncated:` warning.
    fn read_part(&mut self, name: &str) -> Result<Vec<u8>, ReadError> {
        let idx = self.find(name).ok_or_else(|| ReadError::Corrupt {
            format: FORMAT,
            detail: format!("part {name} is missing"),
        })?;
        let file = self.zip.by_index(idx).map_err(zip_error)?;
        let size = file.size();
        let compressed = file.compressed_size();
        if size > MAX_ZIP_PART_BYTES {
            return Err(ReadError::Limit(format!(
                "zip part {name} declares {size} bytes, over the {MAX_ZIP_PART_BYTES}-byte part limit"
            )));
        }
        if size > MAX_ZIP_RATIO_MIN_BYTES && size / compressed.max(1) > MAX_ZIP_RATIO {
            return Err(ReadError::Limit(format!(
                "zip part {name} inflates {compressed} to {size} bytes, over the {MAX_ZIP_RATIO}:1 ratio limit"
            )));
        }
        let mut buf = Vec::with_capacity(size as usize);
        let result = file.take(MAX_ZIP_PART_BYTES + 1).read_to_end(&mut buf);
        if buf.len() as u64 > MAX_ZIP_PART_BYTES {
            return Err(ReadError::Limit(format!(
                "zip part {name} inflates past the {MAX_ZIP_PART_BYTES}-byte part limit"
            )));
        }
        if let Err(e) = result {
            if buf.is_empty() {
                return Err(ReadError::Corrupt {
                    format: FORMAT,
                    detail: format!("cannot inflate {name}: {e}"),
                });
            }
            self.warnings.push(format!(
                "truncated: {name} could not be fully inflated ({e})"
            ));
        }
        Ok(buf)
    }

    fn read_small_text(&mut self, name: &str) -> Option<String> {
        self.find(name)?;
        let data = self.read_part(name).ok()?;
        Some(String::from_utf8_lossy(strip_utf8_bom(&data)).into_owned())
    }

    fn package_rels(&mut self) -> &[(String, String)] {
        if self.rels.is_none() {
            let mut rels = Vec::new();
            if let Some(xml) = self.read_small_text("_rels/.rels") {
                for attrs in elements_with_attrs(&xml, "Relationship") {
                    let get = |k: &str| attrs.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
                    if let (Some(t), Some(target)) = (get("Type"), get("Target")) {
                        rels.push((t, normalize_part_name(&target)));
                    }
                }
            }
            self.rels = Some(rels);
        }
        self.rels.as_deref().unwrap_or(&[])
    }

    /// The content type `[Content_Types].xml` gives a part, if any.
    fn content_type(&mut self, part: &str) -> Option<String> {
        let xml = self.read_small_text("[Content_Types].xml")?;
        let ext = part.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
        let mut by_default = None;
        for attrs in elements_with_attrs(&xml, "Override") {
            let name = attrs
                .iter()
                .find(|(n, _)| n == "PartName")
                .map(|(_, v)| normalize_part_name(v));
            if name.is_some_and(|n| n.eq_ignore_ascii_case(part)) {
                return attrs
                    .into_iter()
                    .find(|(n, _)| n == "ContentType")
                    .map(|(_, v)| v);
            }
        }
        for attrs in elements_with_attrs(&xml, "Default") {
            let e = attrs
                .iter()
                .find(|(n, _)| n == "Extension")
                .map(|(_, v)| v.to_ascii_lowercase());
            if e.is_some() && e == ext {
                by_default = attrs
                    .into_iter()
                    .find(|(n, _)| n == "ContentType")
                    .map(|(_, v)| v);
            }
        }
        by_default
    }

    /// Finds the main document part, or says what kind of package this is instead.
    fn main_part(&mut self) -> Result<String, ReadError> {
        if self.zip.index_for_name("word/document.xml").is_some() {
            return Ok("word/document.xml".into());
        }
        let target = self
            .package_rels()
            .iter()
            .find(|(t, _)| t.ends_with("/officeDocument"))
            .map(|(_, target)| target.clone());
        if let Some(target) = target {
            let ct = self.content_type(&target).unwrap_or_default();
            let exists = self.find(&target).is_some();
            if ct.contains("wordprocessingml") || ct.contains("ms-word") {
                if exists {
                    return Ok(target);
                }
                return Err(ReadError::Corrupt {
                    format: FORMAT,
                    detail: format!("main part {target} is missing"),
                });
            }
            if ct.contains("spreadsheetml") || ct.contains("ms-excel") {
                return Err(ReadError::NotAReport(
                    "a spreadsheet package (xlsx), not a Word document".into(),
                ));
            }
            if ct.contains("presentationml") || ct.contains("ms-powerpoint") {
                return Err(ReadError::NotAReport(
                    "a presentation package (pptx), not a Word document".into(),
                ));
            }
            if ct.is_empty() && exists && target.ends_with(".xml") {
                self.warnings.push(format!(
                    "main part {target} has no declared content type; read as WordprocessingML"
                ));
                return Ok(target);
            }
            return Err(ReadError::NotAReport(format!(
                "an Office package whose main part is `{ct}`, not a Word document"
            )));
        }
        if self.find("mimetype").is_some() {
            let mime = self.read_small_text("mimetype").unwrap_or_default();
            let mime = mime.trim();
            if mime == "application/vnd.oasis.opendocument.text" {
                return Err(ReadError::Unsupported(
                    "OpenDocument text (.odt) is not read".into(),
                ));
            }
            if !mime.is_empty() {
                return Err(ReadError::NotAReport(format!(
                    "a zip package of type {mime}, not a Word document"
                )));
            }
        }
        if self.find("xl/workbook.xml").is_some() {
            return Err(ReadError::NotAReport(
                "a spreadsheet package (xlsx), not a Word document".into(),
            ));
        }
        if self.find("ppt/presentation.xml").is_some() {
            return Err(ReadError::NotAReport(
                "a presentation package (pptx), not a Word document".into(),
            ));
        }
        Err(ReadError::NotAReport(
            "a zip archive that is not a Word document (no word/document.xml)".into(),
        ))
    }

    /// `dc:title` from the core properties part, if present and non-empty.
    fn core_title(&mut self, warnings: &mut Vec<String>) -> Option<String> {
        let name = if self.find("docProps/core.xml").is_some() {
            "docProps/core.xml".to_string()
        } else {
            self.package_rels()
                .iter()
                .find(|(t, _)| t.ends_with("/core-properties"))
                .map(|(_, p)| p.clone())?
        };
        self.find(&name)?;
        let data = match self.read_part(&name) {
            Ok(d) => d,
            Err(e) => {
                warnings.push(format!("core properties not read: {e}"));
                return None;
            }
        };
        warnings.append(&mut self.warnings);
        let text = String::from_utf8_lossy(strip_utf8_bom(&data));
        dc_title(&text)
    }
}

fn normalize_part_name(name: &str) -> String {
    let n = name.trim().trim_start_matches("./").trim_start_matches('/');
    n.replace('\\', "/")
}

fn strip_utf8_bom(data: &[u8]) -> &[u8] {
    data.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(data)
}

/// Attributes (local name, unescaped value) of every element with the given local name, for the
/// small package parts (`.rels`, `[Content_Types].xml`).
fn elements_with_attrs(xml: &str, local: &str) -> Vec<Vec<(String, String)>> {
    let mut out = Vec::new();
    let mut reader = Reader::from_str(xml);
    for _ in 0..MAX_XML_EVENTS {
        match reader.read_event() {
            Ok(Event::Start(e)) | Ok(Event::Empty(e)) => {
                if e.local_name().into_inner() == local {
                    let attrs = e
                        .attributes()
                        .flatten()
                        .map(|a| {
                            let v = a
                                .normalized_value(XmlVersion::Implicit1_0)
                                .map(|v| v.into_owned())
                                .unwrap_or_default();
                            (a.key.local_name().into_inner().to_string(), v)
                        })
                        .collect();
                    out.push(attrs);
                }
            }
            Ok(Event::Eof) | Err(_) => break,
            Ok(_) => {}
        }
    }
    out
}

fn dc_title(xml: &str) -> Option<String> {
    let mut reader = NsReader::from_str(xml);
    let mut depth_in_title = 0usize;
    let mut title = String::new();
    for _ in 0..MAX_XML_EVENTS {
        match reader.read_resolved_event() {
            Ok((ResolveResult::Bound(ns), Event::Start(e)))
                if ns.0 == DC_NS && e.local_name().into_inner() == "title" =>
            {
                depth_in_title += 1;
            }
            Ok((_, Event::Start(_))) if depth_in_title > 0 => depth_in_title += 1,
            Ok((_, Event::End(_))) if depth_in_title > 0 => {
                depth_in_title -= 1;
                if depth_in_title == 0 {
                    break;
                }
            }
            Ok((_, Event::Text(t))) if depth_in_title > 0 => title.push_str(&t.xml10_content()),
            Ok((_, Event::CData(t))) if depth_in_title > 0 => title.push_str(&t.xml10_content()),
            Ok((_, Event::GeneralRef(r))) if depth_in_title > 0 => {
                if let Some(c) = resolve_ref(&r) {
                    title.push(c);
                }
            }
            Ok((_, Event::Eof)) | Err(_) => break,
            Ok(_) => {}
        }
    }
    let t = title.trim();
    (!t.is_empty()).then(|| t.to_string())
}

/// The XML text of a part: UTF-8 (BOM stripped) or UTF-16 with a BOM; invalid bytes replaced
/// with a warning.
fn decode_xml<'d>(data: &'d [u8], name: &str, warnings: &mut Vec<String>) -> Cow<'d, str> {
    if data.starts_with(b"\xFF\xFE") || data.starts_with(b"\xFE\xFF") {
        let enc = if data[0] == 0xFF {
            encoding_rs::UTF_16LE
        } else {
            encoding_rs::UTF_16BE
        };
        let (text, _, bad) = enc.decode(data);
        if bad {
            warnings.push(format!("{name}: invalid UTF-16 replaced"));
        }
        return Cow::Owned(text.into_owned());
    }
    let data = strip_utf8_bom(data);
    match std::str::from_utf8(data) {
        Ok(s) => Cow::Borrowed(s),
        // A character cut by truncation at the very end: drop it silently (the parser warns).
        Err(e) if e.error_len().is_none() => {
            Cow::Borrowed(std::str::from_utf8(&data[..e.valid_up_to()]).unwrap_or_default())
        }
        Err(_) => {
            warnings.push(format!("{name}: invalid UTF-8 bytes replaced"));
            Cow::Owned(String::from_utf8_lossy(data).into_owned())
        }
    }
}

fn resolve_ref(r: &str) -> Option<char> {
    if let Some(num) = r.strip_prefix('#') {
        let code = match num.strip_prefix('x').or_else(|| num.strip_prefix('X')) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => num.parse::<u32>().ok()?,
        };
        return char::from_u32(code).filter(|&c| c != '\0');
    }
    match r {
        "lt" => Some('<'),
        "gt" => Some('>'),
        "amp" => Some('&'),
        "apos" => Some('\''),
        "quot" => Some('"'),
        _ => None,
    }
}

// ---------------------------------------------------------------------------------------------
// WordprocessingML state machine
// ---------------------------------------------------------------------------------------------

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Ns {
    W,
    Mc,
    M,
    Other,
}

/// The namespaces told apart, by URI.
fn ns_of_uri(uri: &str) -> Ns {
    match uri {
        W_NS | W_NS_STRICT => Ns::W,
        MC_NS => Ns::Mc,
        M_NS | M_NS_STRICT => Ns::M,
        _ => Ns::Other,
    }
}

fn classify(r: &ResolveResult<'_>) -> Ns {
    match r {
        ResolveResult::Bound(ns) => ns_of_uri(ns.0),
        _ => Ns::Other,
    }
}

/// The role an open element plays; its end undoes what its start did.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Tag {
    Other,
    P,
    R,
    T,
    Tbl,
    TblGrid,
    Tr,
    TrPr,
    Tc,
    TcPr,
    TxbxContent,
    Alt,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
enum VMerge {
    #[default]
    None,
    Restart,
    Continue,
}

#[derive(Debug, Default)]
struct CellProps {
    span: usize,
    vmerge: VMerge,
    hmerge_continue: bool,
    vertical: bool,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum SinkKind {
    Body,
    Cell,
    TextBox,
}

/// Where text goes: the body, a table cell, or a text box.
#[derive(Debug)]
struct Sink {
    kind: SinkKind,
    /// Body/TextBox: the current paragraph. Cell: the whole cell text, paragraphs joined by `\n`.
    text: String,
    /// Cell: paragraphs (and flattened table rows) begun so far.
    paras: usize,
    /// TextBox: finished paragraphs.
    out: Vec<String>,
    /// Text-box paragraphs anchored in the current paragraph, emitted after it.
    floats: Vec<String>,
    cell: CellProps,
}

impl Sink {
    fn new(kind: SinkKind) -> Self {
        Sink {
            kind,
            text: String::new(),
            paras: 0,
            out: Vec::new(),
            floats: Vec::new(),
            cell: CellProps {
                span: 1,
                ..CellProps::default()
            },
        }
    }

    /// Adds a line (a paragraph of a cell, a flattened table row) to a cell's text.
    fn push_cell_line(&mut self, line: &str) {
        if self.paras > 0 {
            self.text.push('\n');
        }
        self.paras += 1;
        self.text.push_str(line);
    }
}

struct TableState {
    builder: TableBuilder,
    nested: bool,
    /// 1-based number of the top-level table this belongs to (for warnings).
    number: usize,
    grid_cols: usize,
    /// The grid column the next cell of the current row starts at.
    col: usize,
    /// `gridBefore` / `gridAfter` of the current row: grid columns left empty.
    grid_before: usize,
    grid_after: usize,
    row_started: bool,
    row_ok: bool,
    row_deleted: bool,
}

impl TableState {
    /// Starts the current row in the builder on first use. The `gridBefore` slots are filled
    /// with empty cells here (as padding would), so only real grid mismatches are warned about.
    fn ensure_row(&mut self) -> bool {
        if !self.row_started {
            self.row_started = true;
            self.row_ok = self.builder.start_row();
            if self.row_ok {
                for c in 0..self.grid_before {
                    self.builder.push_at(c, CellSpec::text(""));
                }
            }
        }
        self.row_ok
    }
}

struct Parser {
    blocks: Vec<Block>,
    warnings: Vec<String>,
    tags: Vec<Tag>,
    /// Open elements inside a skipped subtree (0 = not skipping).
    skip: usize,
    sinks: Vec<Sink>,
    tables: Vec<TableState>,
    /// Per open `mc:AlternateContent`: whether a branch was already taken.
    alt: Vec<bool>,
    /// Per open complex field: true while in its instruction part (before `separate`).
    fields: Vec<bool>,
    top_tables: usize,
    dropped_entities: usize,
}

/// Attribute lookup for the element being started: the value of the attribute with this local
/// name that is unprefixed or in the W namespace, unescaped if it holds a reference.
trait Attrs {
    fn get(&self, local: &str) -> Option<Cow<'_, str>>;
}

/// The first attribute named `local` whose key `is_w` accepts (both readers share this so their
/// attribute handling is the same).
fn attr_value<'e>(
    e: &'e BytesStart<'_>,
    local: &str,
    is_w: impl Fn(QName<'_>) -> bool,
) -> Option<Cow<'e, str>> {
    for a in e.attributes().with_checks(false).flatten() {
        if a.key.local_name().into_inner() != local || !is_w(a.key) {
            continue;
        }
        if a.value.contains('&') {
            return a
                .normalized_value(XmlVersion::Implicit1_0)
                .ok()
                .map(|v| Cow::Owned(v.into_owned()));
        }
        return Some(a.value);
    }
    None
}

/// Attributes resolved through `NsReader`'s namespace scopes.
struct NsAttrs<'r, 'e> {
    res: &'r NamespaceResolver,
    e: &'r BytesStart<'e>,
}

impl Attrs for NsAttrs<'_, '_> {
    fn get(&self, local: &str) -> Option<Cow<'_, str>> {
        attr_value(self.e, local, |key| {
            let (ns, _) = self.res.resolve_attribute(key);
            matches!(ns, ResolveResult::Unbound) || classify(&ns) == Ns::W
        })
    }
}

fn num_attr(attrs: &impl Attrs) -> Option<usize> {
    let v = attrs.get("val")?;
    let n = v.trim().parse::<u64>().ok()?;
    Some(n.min(MAX_TABLE_COLS as u64) as usize)
}

/// Maps a `w:sym` character: Symbol/Wingdings private-use codes to their Unicode look-alikes
/// where known, otherwise the code point itself (private-use kept).
fn sym_char(font: &str, code: u32) -> Option<char> {
    let low = if (0xF000..=0xF0FF).contains(&code) {
        code - 0xF000
    } else if code <= 0xFF {
        code
    } else {
        return char::from_u32(code);
    };
    let f = font.trim().to_ascii_lowercase();
    let mapped = if f.starts_with("wingdings 2") {
        match low {
            0x2A | 0xA3 => Some('□'),
            0x4F => Some('✗'),
            0x50 => Some('✓'),
            0x52 => Some('☑'),
            0x53 | 0x54 => Some('☒'),
            _ => None,
        }
    } else if f.starts_with("wingdings") {
        match low {
            0x6C => Some('●'),
            0x6E => Some('■'),
            0x6F | 0xA8 => Some('□'),
            0x71 => Some('❑'),
            0x76 => Some('❖'),
            0x9F => Some('•'),
            0xA7 => Some('▪'),
            0xD8 => Some('➢'),
            0xFB => Some('✗'),
            0xFC => Some('✓'),
            0xFD => Some('☒'),
            0xFE => Some('☑'),
            _ => None,
        }
    } else if f == "symbol" {
        const UPPER: &str = "ΑΒΧΔΕΦΓΗΙϑΚΛΜΝΟΠΘΡΣΤΥςΩΞΨΖ";
        const LOWER: &str = "αβχδεφγηιϕκλμνοπθρστυϖωξψζ";
        match low {
            0x41..=0x5A => UPPER.chars().nth((low - 0x41) as usize),
            0x61..=0x7A => LOWER.chars().nth((low - 0x61) as usize),
            0x2D => Some('−'),
            0xA3 => Some('≤'),
            0xA5 => Some('∞'),
            0xAB => Some('↔'),
            0xAC => Some('←'),
            0xAD => Some('↑'),
            0xAE => Some('→'),
            0xAF => Some('↓'),
            0xB0 => Some('°'),
            0xB1 => Some('±'),
            0xB3 => Some('≥'),
            0xB4 => Some('×'),
            0xB7 => Some('•'),
            0xB8 => Some('÷'),
            0xB9 => Some('≠'),
            0xBA => Some('≡'),
            0xBB => Some('≈'),
            0xD6 => Some('√'),
            0xD7 => Some('⋅'),
            0x20..=0x7E => char::from_u32(low),
            _ => None,
        }
    } else {
        None
    };
    mapped.or_else(|| char::from_u32(code))
}

fn is_vertical(direction: &str) -> bool {
    !matches!(direction, "" | "lrTb" | "lrTbV" | "tb" | "tbV")
}

/// Flattens a nested table: one line per row, cells separated by tabs, cell line breaks as spaces.
fn flatten(table: &Table) -> Vec<String> {
    let mut lines = Vec::new();
    for r in 0..table.rows() {
        let mut line = String::new();
        for (i, c) in table.row_cells(r).iter().enumerate() {
            if i > 0 {
                line.push('\t');
            }
            if c.origin {
                line.push_str(&c.cell.text.replace('\n', " "));
            }
        }
        if !line.trim().is_empty() {
            lines.push(line.trim_end().to_string());
        }
    }
    lines
}

fn trimmed_owned(mut s: String) -> String {
    let t = s.trim();
    if t.len() == s.len() {
        return s;
    }
    let start = t.as_ptr() as usize - s.as_ptr() as usize;
    let end = start + t.len();
    s.truncate(end);
    s.drain(..start);
    s
}

enum Action {
    Push(Tag),
    Skip,
}

enum Stop {
    Eof,
    Error(String),
    Limit(String),
}

impl Parser {
    fn new() -> Self {
        Parser {
            blocks: Vec::new(),
            warnings: Vec::new(),
            tags: Vec::with_capacity(32),
            skip: 0,
            sinks: vec![Sink::new(SinkKind::Body)],
            tables: Vec::new(),
            alt: Vec::new(),
            fields: Vec::new(),
            top_tables: 0,
            dropped_entities: 0,
        }
    }

    fn in_field_code(&self) -> bool {
        self.fields.iter().any(|&c| c)
    }

    fn push_str(&mut self, s: &str) {
        if self.in_field_code() {
            return;
        }
        if let Some(sink) = self.sinks.last_mut() {
            sink.text.push_str(s);
        }
    }

    fn push_char(&mut self, c: char) {
        if self.in_field_code() {
            return;
        }
        if let Some(sink) = self.sinks.last_mut() {
            sink.text.push(c);
        }
    }

    fn top(&self) -> Tag {
        self.tags.last().copied().unwrap_or(Tag::Other)
    }

    /// An element starts (`ns` and `local` resolved by the reader).
    fn on_start(&mut self, ns: Ns, local: &str, attrs: &impl Attrs) -> Action {
        let top = self.top();
        match ns {
            Ns::W => self.on_w_start(attrs, local, top),
            Ns::Mc => match local {
                "AlternateContent" => {
                    self.alt.push(false);
                    Action::Push(Tag::Alt)
                }
                "Choice" | "Fallback" if top == Tag::Alt => match self.alt.last_mut() {
                    Some(taken) if !*taken => {
                        *taken = true;
                        Action::Push(Tag::Other)
                    }
                    _ => Action::Skip,
                },
                _ => Action::Push(Tag::Other),
            },
            Ns::M => match local {
                "r" => Action::Push(Tag::R),
                "t" if top == Tag::R => Action::Push(Tag::T),
                _ => Action::Push(Tag::Other),
            },
            Ns::Other => Action::Push(Tag::Other),
        }
    }

    fn on_w_start(&mut self, attrs: &impl Attrs, local: &str, top: Tag) -> Action {
        match local {
            "p" => {
                if let Some(sink) = self.sinks.last_mut() {
                    if sink.kind == SinkKind::Cell {
                        if sink.paras > 0 {
                            sink.text.push('\n');
                        }
                        sink.paras += 1;
                    }
                }
                Action::Push(Tag::P)
            }
            "r" => Action::Push(Tag::R),
            "t" if top == Tag::R => Action::Push(Tag::T),
            "tab" | "ptab" if top == Tag::R => {
                self.push_char('\t');
                Action::Push(Tag::Other)
            }
            "br" | "cr" if top == Tag::R => {
                self.push_char('\n');
                Action::Push(Tag::Other)
            }
            "noBreakHyphen" if top == Tag::R => {
                self.push_char('\u{2011}');
                Action::Push(Tag::Other)
            }
            "sym" if top == Tag::R => {
                let font = attrs.get("font").unwrap_or_default();
                let code = attrs
                    .get("char")
                    .and_then(|c| u32::from_str_radix(c.trim(), 16).ok());
                if let Some(c) = code.and_then(|code| sym_char(&font, code)) {
                    self.push_char(c);
                }
                Action::Push(Tag::Other)
            }
            "fldChar" => {
                match attrs.get("fldCharType").as_deref() {
                    Some("begin") if self.fields.len() < MAX_FIELD_NESTING => {
                        self.fields.push(true)
                    }
                    Some("separate") => {
                        if let Some(f) = self.fields.last_mut() {
                            *f = false;
                        }
                    }
                    Some("end") => {
                        self.fields.pop();
                    }
                    _ => {}
                }
                Action::Push(Tag::Other)
            }
            "del" if top == Tag::TrPr => {
                if let Some(t) = self.tables.last_mut() {
                    t.row_deleted = true;
                }
                Action::Skip
            }
            "del" | "moveFrom" | "delText" | "instrText" | "delInstrText" | "pPr" | "rPr"
            | "sectPr" | "tblPr" | "sdtPr" | "sdtEndPr" | "fldData" | "rt" | "background" => {
                Action::Skip
            }
            _ if local.ends_with("Change") => Action::Skip,
            "tbl" => {
                let nested = self.sinks.len() > 1;
                if !nested {
                    self.top_tables += 1;
                }
                self.tables.push(TableState {
                    builder: TableBuilder::new(true),
                    nested,
                    number: self.top_tables,
                    grid_cols: 0,
                    col: 0,
                    grid_before: 0,
                    grid_after: 0,
                    row_started: false,
                    row_ok: false,
                    row_deleted: false,
                });
                Action::Push(Tag::Tbl)
            }
            "tblGrid" if top == Tag::Tbl => Action::Push(Tag::TblGrid),
            "gridCol" if top == Tag::TblGrid => {
                if let Some(t) = self.tables.last_mut() {
                    t.grid_cols += 1;
                }
                Action::Push(Tag::Other)
            }
            "tr" if !self.tables.is_empty() => {
                if let Some(t) = self.tables.last_mut() {
                    t.col = 0;
                    t.grid_before = 0;
                    t.grid_after = 0;
                    t.row_started = false;
                    t.row_ok = false;
                    t.row_deleted = false;
                }
                Action::Push(Tag::Tr)
            }
            "trPr" if top == Tag::Tr => Action::Push(Tag::TrPr),
            "gridBefore" | "gridAfter" if top == Tag::TrPr => {
                let n = num_attr(attrs).unwrap_or(0);
                if let Some(t) = self.tables.last_mut() {
                    if local == "gridAfter" {
                        t.grid_after = n;
                    } else if !t.row_started {
                        t.grid_before = n;
                        t.col = n;
                    }
                }
                Action::Push(Tag::Other)
            }
            "tc" if !self.tables.is_empty() => {
                self.sinks.push(Sink::new(SinkKind::Cell));
                Action::Push(Tag::Tc)
            }
            "tcPr" if top == Tag::Tc => Action::Push(Tag::TcPr),
            "gridSpan" | "vMerge" | "hMerge" | "textDirection" if top == Tag::TcPr => {
                let val = attrs.get("val");
                if let Some(sink) = self.sinks.last_mut() {
                    let p = &mut sink.cell;
                    match local {
                        "gridSpan" => {
                            p.span = val
                                .and_then(|v| v.trim().parse::<u64>().ok())
                                .map_or(1, |n| n.clamp(1, MAX_TABLE_COLS as u64) as usize)
                        }
                        "vMerge" => {
                            p.vmerge = match val.as_deref() {
                                Some("restart") => VMerge::Restart,
                                _ => VMerge::Continue,
                            }
                        }
                        "hMerge" => p.hmerge_continue = val.as_deref() == Some("continue"),
                        _ => p.vertical = val.as_deref().is_some_and(is_vertical),
                    }
                }
                Action::Push(Tag::Other)
            }
            "txbxContent" => {
                self.sinks.push(Sink::new(SinkKind::TextBox));
                Action::Push(Tag::TxbxContent)
            }
            _ => Action::Push(Tag::Other),
        }
    }

    fn on_end(&mut self, tag: Tag) {
        match tag {
            Tag::P => self.end_paragraph(),
            Tag::Tbl => self.end_table(),
            Tag::TblGrid => {
                if let Some(t) = self.tables.last_mut() {
                    t.builder.declare_cols(t.grid_cols);
                }
            }
            Tag::Tr => {
                if let Some(t) = self.tables.last_mut() {
                    // `gridAfter` slots are left empty by the row; fill them like padding.
                    if !t.row_deleted && t.ensure_row() {
                        for c in 0..t.grid_after {
                            t.builder.push_at(t.col + c, CellSpec::text(""));
                        }
                    }
                }
            }
            Tag::Tc => self.end_cell(),
            Tag::TxbxContent => self.end_textbox(),
            Tag::Alt => {
                self.alt.pop();
            }
            Tag::Other | Tag::R | Tag::T | Tag::TrPr | Tag::TcPr => {}
        }
    }

    fn end_paragraph(&mut self) {
        // A field's instruction part never spans paragraphs; a missing `separate` must not
        // swallow the rest of the document.
        for f in &mut self.fields {
            *f = false;
        }
        let Some(sink) = self.sinks.last_mut() else {
            return;
        };
        match sink.kind {
            SinkKind::Body => {
                let text = trimmed_owned(std::mem::take(&mut sink.text));
                if !text.is_empty() {
                    self.blocks.push(Block::Paragraph(text));
                }
                for f in sink.floats.drain(..) {
                    self.blocks.push(Block::Paragraph(f));
                }
            }
            SinkKind::TextBox => {
                let text = trimmed_owned(std::mem::take(&mut sink.text));
                if !text.is_empty() {
                    sink.out.push(text);
                }
                let floats = std::mem::take(&mut sink.floats);
                sink.out.extend(floats);
            }
            SinkKind::Cell => {
                let floats = std::mem::take(&mut sink.floats);
                for f in &floats {
                    sink.push_cell_line(f);
                }
            }
        }
    }

    fn end_textbox(&mut self) {
        if self.sinks.len() <= 1 {
            return;
        }
        let Some(mut tb) = self.sinks.pop() else {
            return;
        };
        let rest = trimmed_owned(std::mem::take(&mut tb.text));
        if !rest.is_empty() {
            tb.out.push(rest);
        }
        tb.out.append(&mut tb.floats);
        if let Some(host) = self.sinks.last_mut() {
            host.floats.append(&mut tb.out);
        }
    }

    fn end_cell(&mut self) {
        if self.sinks.len() <= 1 {
            return;
        }
        let Some(mut sink) = self.sinks.pop() else {
            return;
        };
        let floats = std::mem::take(&mut sink.floats);
        for f in &floats {
            sink.push_cell_line(f);
        }
        let Some(t) = self.tables.last_mut() else {
            return;
        };
        if t.row_deleted || !t.ensure_row() {
            return;
        }
        let mut text = trimmed_owned(sink.text);
        if let Some((cut, _)) = text.char_indices().nth(MAX_CELL_CHARS) {
            text.truncate(cut);
            self.warnings.push(format!(
                "table {}: cell text over {MAX_CELL_CHARS} characters truncated",
                t.number
            ));
        }
        let p = sink.cell;
        let span = p.span.clamp(1, MAX_TABLE_COLS);
        let row = t.builder.row_count();
        let used = if p.vmerge == VMerge::Continue {
            if !text.is_empty() {
                let preview: String = text.chars().take(20).collect();
                self.warnings.push(format!(
                    "table {} row {row}: text in a vertically merged continuation cell dropped: {preview:?}",
                    t.number
                ));
            }
            t.builder.continue_above(t.col, span)
        } else if p.hmerge_continue && t.builder.next_free_col(0) == t.col && t.col > 0 {
            t.builder.widen_left(span)
        } else {
            if p.hmerge_continue {
                self.warnings.push(format!(
                    "table {} row {row}: horizontal merge continues nothing to its left; kept as a cell",
                    t.number
                ));
            }
            t.builder.push_at(
                t.col,
                CellSpec {
                    text,
                    col_span: span,
                    row_span: 1,
                    vertical: p.vertical,
                },
            )
        };
        t.col = used.unwrap_or(t.col).saturating_add(span);
    }

    fn end_table(&mut self) {
        let Some(t) = self.tables.pop() else { return };
        let (table, warns) = t.builder.finish();
        let prefix = if t.nested {
            format!("table {} (nested)", t.number)
        } else {
            format!("table {}", t.number)
        };
        self.warnings
            .extend(warns.into_iter().map(|w| format!("{prefix}: {w}")));
        if !t.nested {
            if table.rows() > 0 {
                self.blocks.push(Block::Table(table));
            }
            return;
        }
        let lines = flatten(&table);
        let Some(sink) = self.sinks.last_mut() else {
            return;
        };
        match sink.kind {
            SinkKind::Cell => {
                for l in &lines {
                    sink.push_cell_line(l);
                }
            }
            SinkKind::TextBox => sink.out.extend(lines),
            SinkKind::Body => self.blocks.extend(lines.into_iter().map(Block::Paragraph)),
        }
    }

    /// An element ends.
    fn end_element(&mut self) {
        if self.skip > 0 {
            self.skip -= 1;
        } else if let Some(tag) = self.tags.pop() {
            self.on_end(tag);
        }
    }

    /// A character or entity reference (`&name;` without `&` and `;`).
    fn reference(&mut self, name: &str) {
        if self.skip == 0 && self.top() == Tag::T {
            match resolve_ref(name) {
                Some(c) => self.push_char(c),
                None => self.dropped_entities += 1,
            }
        }
    }

    fn text_event(&mut self, s: &str) {
        if self.skip == 0 && self.top() == Tag::T {
            self.push_str(s);
        }
    }

    /// Closes whatever is still open (truncated input) and flushes the body.
    fn close(&mut self) {
        self.skip = 0;
        while let Some(tag) = self.tags.pop() {
            self.on_end(tag);
        }
        while self.sinks.len() > 1 {
            match self.sinks.last().map(|s| s.kind) {
                Some(SinkKind::Cell) => self.end_cell(),
                _ => self.end_textbox(),
            }
        }
        while !self.tables.is_empty() {
            self.end_table();
        }
        self.end_paragraph();
    }
}

/// Streams the main document part into blocks: the prefix fast path when it applies (see
/// [`fast`]), otherwise `NsReader`. Both give the same document.
fn parse_document(xml: &str) -> Result<Document, ReadError> {
    match fast::parse(xml) {
        Some(p) => finish(p, None),
        None => parse_document_ns(xml),
    }
}

/// For the differential fuzz target (`fuzz/fuzz_targets/docx_xml.rs`): when the fast path reads
/// `xml` at all, it must give what the general path gives.
#[doc(hidden)]
pub fn fast_path_agrees(xml: &str) -> bool {
    match fast::parse(xml) {
        Some(p) => format!("{:?}", finish(p, None)) == format!("{:?}", parse_document_ns(xml)),
        None => true,
    }
}

/// The general path: every element and attribute resolved through `NsReader`'s namespace
/// scopes. Handles everything, including truncated or broken XML and the limits.
fn parse_document_ns(xml: &str) -> Result<Document, ReadError> {
    let mut reader = NsReader::from_str(xml);
    let mut p = Parser::new();
    let mut events = 0usize;
    let stop = loop {
        events += 1;
        if events > MAX_XML_EVENTS {
            break Stop::Limit(format!("more than {MAX_XML_EVENTS} XML events"));
        }
        let event = match reader.read_event() {
            Ok(ev) => ev,
            Err(e) => {
                break Stop::Error(format!(
                    "XML error near byte {}: {e}",
                    reader.error_position()
                ));
            }
        };
        match event {
            Event::Start(e) => {
                if p.tags.len() + p.skip >= MAX_XML_DEPTH {
                    break Stop::Limit(format!("XML nesting deeper than {MAX_XML_DEPTH}"));
                }
                if p.skip > 0 {
                    p.skip += 1;
                    continue;
                }
                let res = reader.resolver();
                let (ns, local) = res.resolve_element(e.name());
                let attrs = NsAttrs { res, e: &e };
                match p.on_start(classify(&ns), local.into_inner(), &attrs) {
                    Action::Push(tag) => p.tags.push(tag),
                    Action::Skip => p.skip = 1,
                }
            }
            Event::Empty(e) => {
                if p.skip > 0 {
                    continue;
                }
                let res = reader.resolver();
                let (ns, local) = res.resolve_element(e.name());
                let attrs = NsAttrs { res, e: &e };
                if let Action::Push(tag) = p.on_start(classify(&ns), local.into_inner(), &attrs) {
                    p.on_end(tag);
                }
            }
            Event::End(_) => p.end_element(),
            Event::Text(t) => {
                if p.skip == 0 && p.top() == Tag::T {
                    p.text_event(&t.xml10_content());
                }
            }
            Event::CData(t) => {
                if p.skip == 0 && p.top() == Tag::T {
                    p.text_event(&t.xml10_content());
                }
            }
            Event::GeneralRef(r) => p.reference(&r),
            Event::Eof => break Stop::Eof,
            Event::Decl(_) | Event::PI(_) | Event::Comment(_) | Event::DocType(_) => {}
        }
    };
    let open = p.tags.len() + p.skip;
    let problem = match stop {
        Stop::Eof if open > 0 => Some((
            format!(
                "truncated: document XML ends inside {open} open element(s); partial content kept"
            ),
            false,
        )),
        Stop::Eof => None,
        Stop::Error(e) => Some((format!("truncated: {e}; content up to there kept"), false)),
        Stop::Limit(e) => Some((format!("limit: {e}; rest of the document ignored"), true)),
    };
    finish(p, problem)
}

/// Closes what is open and builds the document; `problem` is how reading stopped early, if it
/// did (message, whether it is a limit).
fn finish(mut p: Parser, problem: Option<(String, bool)>) -> Result<Document, ReadError> {
    p.close();
    if p.dropped_entities > 0 {
        p.warnings.push(format!(
            "{} unknown entity reference(s) dropped",
            p.dropped_entities
        ));
    }
    if let Some((msg, is_limit)) = problem {
        if p.blocks.is_empty() {
            return Err(if is_limit {
                ReadError::Limit(msg)
            } else {
                ReadError::Corrupt {
                    format: FORMAT,
                    detail: msg,
                }
            });
        }
        p.warnings.insert(0, msg);
    }
    Ok(Document {
        blocks: p.blocks,
        warnings: p.warnings,
        declared_title: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::limits::MAX_ZIP_ENTRIES;
    use std::io::Write;
    use zip::write::SimpleFileOptions;
    use zip::{CompressionMethod, ZipWriter};

    const NS: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" xmlns:v="urn:schemas-microsoft-com:vml" xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main""#;

    fn zip_of(parts: &[(&str, &[u8])]) -> Vec<u8> {
        let mut w = ZipWriter::new(Cursor::new(Vec::new()));
        let opts = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
        for (name, data) in parts {
            w.start_file(*name, opts).unwrap();
            w.write_all(data).unwrap();
        }
        w.finish().unwrap().into_inner()
    }

    fn document_xml(body: &str) -> String {
        format!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document {NS}><w:body>{body}</w:body></w:document>"#
        )
    }

    fn docx(body: &str) -> Vec<u8> {
        zip_of(&[("word/document.xml", document_xml(body).as_bytes())])
    }

    fn read_body(body: &str) -> Document {
        read(&docx(body)).unwrap()
    }

    fn read_body_err(body: &str) -> ReadError {
        read(&docx(body)).unwrap_err()
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

    fn tables(doc: &Document) -> Vec<&Table> {
        doc.blocks
            .iter()
            .filter_map(|b| match b {
                Block::Table(t) => Some(t),
                _ => None,
            })
            .collect()
    }

    fn p(text: &str) -> String {
        format!("<w:p><w:r><w:t>{text}</w:t></w:r></w:p>")
    }

    fn tc(props: &str, text: &str) -> String {
        format!("<w:tc><w:tcPr>{props}</w:tcPr>{}</w:tc>", p(text))
    }

    fn text_at(t: &Table, r: usize, c: usize) -> String {
        t.cell_at(r, c)
            .map(|(_, c)| c.text.clone())
            .unwrap_or_default()
    }

    #[test]
    fn paragraphs_runs_tabs_and_breaks() {
        let doc = read_body(
            r#"<w:p><w:pPr><w:tabs><w:tab w:val="left" w:pos="420"/></w:tabs></w:pPr><w:r><w:t>政府信</w:t></w:r><w:r><w:t>息公开</w:t></w:r><w:r><w:tab/><w:t>a</w:t><w:br/><w:t>b</w:t><w:cr/><w:t>c&amp;&#x4E00;&#19968;&bogus;</w:t></w:r></w:p><w:p/><w:p><w:r><w:t xml:space="preserve">  </w:t></w:r></w:p><w:p><w:r><w:t>x</w:t><w:noBreakHyphen/><w:softHyphen/><w:t>y</w:t><w:sym w:font="Wingdings" w:char="F0FE"/><w:sym w:font="Symbol" w:char="F061"/><w:sym w:font="Foo" w:char="F0AA"/></w:r></w:p>"#,
        );
        assert_eq!(
            paragraphs(&doc),
            vec!["政府信息公开\ta\nb\nc&一一", "x\u{2011}y☑α\u{F0AA}"]
        );
        assert!(
            doc.warnings.iter().any(|w| w.contains("entity")),
            "{:?}",
            doc.warnings
        );
    }

    /// A table-三-shaped header: merged corner (gridSpan 3 + vMerge), 7- and 5-wide spans,
    /// and a row header merged down with vertical text.
    #[test]
    fn grid_span_and_vmerge_rebuild_a_table_three_header() {
        let vm_restart = r#"<w:vMerge w:val="restart"/>"#;
        let vm_cont = "<w:vMerge/>";
        let row1 = format!(
            "<w:tr>{}{}{}</w:tr>",
            tc(
                &format!(r#"<w:gridSpan w:val="3"/>{vm_restart}"#),
                "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
            ),
            tc(r#"<w:gridSpan w:val="7"/>"#, "申请人情况"),
            "",
        );
        let row2 = format!(
            "<w:tr>{}{}{}{}</w:tr>",
            tc(&format!(r#"<w:gridSpan w:val="3"/>{vm_cont}"#), ""),
            tc(vm_restart, "自然人"),
            tc(r#"<w:gridSpan w:val="5"/>"#, "法人或其他组织"),
            tc(vm_restart, "总计"),
        );
        let row3 = format!(
            "<w:tr>{}{}{}{}{}{}{}{}{}</w:tr>",
            tc(&format!(r#"<w:gridSpan w:val="3"/>{vm_cont}"#), ""),
            tc(vm_cont, ""),
            tc("", "商业企业"),
            tc("", "科研机构"),
            tc("", "社会公益组织"),
            tc("", "法律服务机构"),
            tc("", "其他"),
            tc(vm_cont, ""),
            "",
        );
        let row4 = format!(
            "<w:tr>{}{}{}</w:tr>",
            tc(
                &format!(r#"<w:textDirection w:val="tbRlV"/>{vm_restart}"#),
                "三、本年度办理结果"
            ),
            tc(r#"<w:gridSpan w:val="2"/>"#, "（一）予以公开"),
            (0..7).map(|_| tc("", "0")).collect::<String>(),
        );
        let row5 = format!(
            "<w:tr>{}{}{}</w:tr>",
            tc(&format!(r#"<w:textDirection w:val="tbRlV"/>{vm_cont}"#), ""),
            tc(r#"<w:gridSpan w:val="2"/>"#, "（二）部分公开"),
            (0..7).map(|_| tc("", "1")).collect::<String>(),
        );
        let grid: String = (0..10).map(|_| r#"<w:gridCol w:w="500"/>"#).collect();
        let body = format!(
            "<w:tbl><w:tblPr/><w:tblGrid>{grid}</w:tblGrid>{row1}{row2}{row3}{row4}{row5}</w:tbl>"
        );
        let doc = read_body(&body);
        let t = tables(&doc);
        assert_eq!(t.len(), 1);
        let t = t[0];
        assert_eq!((t.rows(), t.cols()), (5, 10), "{:?}", doc.warnings);
        assert!(doc.warnings.is_empty(), "{:?}", doc.warnings);
        let corner = t.cell_at(0, 0).unwrap().1;
        assert_eq!((corner.row_span, corner.col_span), (3, 3));
        assert_eq!(t.cell_at(2, 2).unwrap().0, t.cell_at(0, 0).unwrap().0);
        let applicant = t.cell_at(0, 3).unwrap().1;
        assert_eq!(
            (applicant.text.as_str(), applicant.col_span),
            ("申请人情况", 7)
        );
        let person = t.cell_at(1, 3).unwrap().1;
        assert_eq!((person.text.as_str(), person.row_span), ("自然人", 2));
        assert_eq!(text_at(t, 1, 4), "法人或其他组织");
        assert_eq!(t.cell_at(1, 4).unwrap().1.col_span, 5);
        assert_eq!(text_at(t, 2, 9), "总计");
        assert_eq!(text_at(t, 2, 4), "商业企业");
        assert_eq!(text_at(t, 2, 8), "其他");
        let result = t.cell_at(3, 0).unwrap().1;
        assert_eq!(
            (result.text.as_str(), result.row_span, result.vertical),
            ("三、本年度办理结果", 2, true)
        );
        assert_eq!(text_at(t, 4, 1), "（二）部分公开");
        assert_eq!(text_at(t, 4, 9), "1");
        for text in ["申请人情况", "自然人", "总计", "三、本年度办理结果"] {
            assert_eq!(
                t.cells().iter().filter(|c| c.text == text).count(),
                1,
                "{text}"
            );
        }
    }

    #[test]
    fn hmerge_widens_the_left_cell() {
        let body = format!(
            "<w:tbl><w:tblGrid><w:gridCol/><w:gridCol/><w:gridCol/></w:tblGrid><w:tr>{}{}{}</w:tr><w:tr>{}{}{}</w:tr></w:tbl>",
            tc(r#"<w:hMerge w:val="restart"/>"#, "merged"),
            tc(r#"<w:hMerge w:val="continue"/>"#, ""),
            tc("", "c"),
            tc("", "a"),
            tc("", "b"),
            tc("", "c2"),
        );
        let doc = read_body(&body);
        let t = tables(&doc)[0];
        assert_eq!(t.cols(), 3);
        assert_eq!(t.cell_at(0, 0).unwrap().1.col_span, 2);
        assert_eq!(t.cell_at(0, 1).unwrap().0, t.cell_at(0, 0).unwrap().0);
        assert_eq!(text_at(t, 0, 2), "c");
        assert!(doc.warnings.is_empty(), "{:?}", doc.warnings);
    }

    #[test]
    fn grid_before_shifts_the_first_cell() {
        let body = format!(
            r#"<w:tbl><w:tblGrid><w:gridCol/><w:gridCol/><w:gridCol/></w:tblGrid><w:tr>{}{}{}</w:tr><w:tr><w:trPr><w:gridBefore w:val="1"/><w:gridAfter w:val="1"/></w:trPr>{}</w:tr></w:tbl>"#,
            tc("", "a"),
            tc("", "b"),
            tc("", "c"),
            tc("", "under b"),
        );
        let doc = read_body(&body);
        let t = tables(&doc)[0];
        assert_eq!((t.rows(), t.cols()), (2, 3));
        assert_eq!(text_at(t, 1, 1), "under b");
        assert_eq!(text_at(t, 1, 0), "");
        assert!(doc.warnings.is_empty(), "{:?}", doc.warnings);

        // A row that really is short of the declared grid is flagged.
        let short = format!(
            "<w:tbl><w:tblGrid><w:gridCol/><w:gridCol/></w:tblGrid><w:tr>{}{}</w:tr><w:tr>{}</w:tr></w:tbl>",
            tc("", "a"),
            tc("", "b"),
            tc("", "c"),
        );
        let doc = read_body(&short);
        assert!(
            doc.warnings.iter().any(|w| w.starts_with("table 1:")),
            "{:?}",
            doc.warnings
        );
    }

    #[test]
    fn strict_namespace_and_other_prefix() {
        let strict = r#"<?xml version="1.0"?><x:document xmlns:x="http://purl.oclc.org/ooxml/wordprocessingml/main"><x:body><x:p><x:r><x:t>严格</x:t></x:r></x:p><x:tbl><x:tr><x:tc><x:p><x:r><x:t>格</x:t></x:r></x:p></x:tc></x:tr></x:tbl></x:body></x:document>"#;
        let doc = read(&zip_of(&[("word/document.xml", strict.as_bytes())])).unwrap();
        assert_eq!(paragraphs(&doc), vec!["严格"]);
        assert_eq!(text_at(tables(&doc)[0], 0, 0), "格");

        // Transitional namespace bound to `x:`, default namespace elsewhere, and a `w:` prefix
        // bound to something else entirely (must be ignored).
        let odd = r#"<x:document xmlns:x="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:w="urn:not-word"><x:body><x:p><x:r><x:t>一</x:t></x:r><w:r><w:t>不</w:t></w:r></x:p><p xmlns="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><r><t>二</t></r></p></x:body></x:document>"#;
        let doc = read(&zip_of(&[("word/document.xml", odd.as_bytes())])).unwrap();
        assert_eq!(paragraphs(&doc), vec!["一", "二"]);
    }

    /// The part read both ways: the fast path's document (`None` when it handed over) and
    /// `NsReader`'s, as debug strings (the whole document: blocks, spans, warnings).
    fn both_paths(xml: &str) -> (Option<String>, String) {
        let fast = fast::parse(xml).map(|p| format!("{:?}", finish(p, None)));
        (fast, format!("{:?}", parse_document_ns(xml)))
    }

    /// Asserts the fast path is taken (or not) and that the result is `NsReader`'s either way.
    fn assert_paths(xml: &str, fast_taken: bool) -> String {
        let (fast, slow) = both_paths(xml);
        assert_eq!(fast.is_some(), fast_taken, "{xml}");
        if let Some(fast) = fast {
            assert_eq!(fast, slow, "{xml}");
        }
        assert_eq!(format!("{:?}", parse_document(xml)), slow);
        slow
    }

    const W: &str = W_NS;

    #[test]
    fn fast_path_matches_nsreader_on_namespace_cases() {
        let body = |pre: &str| {
            format!(
                r#"<{pre}p><{pre}r><{pre}t>甲</{pre}t></{pre}r></{pre}p><{pre}tbl><{pre}tr><{pre}tc><{pre}tcPr><{pre}gridSpan {pre}val="2"/><{pre}vMerge val="restart"/></{pre}tcPr><{pre}p><{pre}r><{pre}t>乙</{pre}t><{pre}sym {pre}font="Wingdings" {pre}char="F0FE"/></{pre}r></{pre}p></{pre}tc></{pre}tr></{pre}tbl>"#
            )
        };
        // Root declarations only: the fast path applies whatever the prefix.
        let w = document_xml(&body("w:"));
        assert!(assert_paths(&w, true).contains("甲"));
        let x = format!(
            r#"<x:document xmlns:x="{W}"><x:body>{}</x:body></x:document>"#,
            body("x:")
        );
        assert_eq!(assert_paths(&x, true), assert_paths(&w, true));
        let strict = x.replace(W, W_NS_STRICT);
        assert_eq!(assert_paths(&strict, true), assert_paths(&w, true));
        let default = format!(
            r#"<document xmlns="{W}"><body>{}</body></document>"#,
            body("")
        );
        assert_eq!(assert_paths(&default, true), assert_paths(&w, true));
        // `w` bound elsewhere at the root: its text is not WordprocessingML's, on both paths.
        let other = format!(
            r#"<x:document xmlns:x="{W}" xmlns:w="urn:not-word"><x:body>{}{}</x:body></x:document>"#,
            body("x:"),
            body("w:")
        );
        assert_eq!(assert_paths(&other, true), assert_paths(&w, true));
        // A later declaration of the same prefix wins.
        let twice = format!(
            r#"<w:document xmlns:w="urn:not-word" xmlns:w="{W}"><w:body>{}</w:body></w:document>"#,
            body("w:")
        );
        assert_eq!(assert_paths(&twice, true), assert_paths(&w, true));
    }

    #[test]
    fn fast_path_hands_over_when_a_prefix_changes_meaning() {
        let p_in = |decl: &str, pre: &str| {
            document_xml(&format!(
                r#"{}<w:p {decl}><{pre}r><{pre}t>乙</{pre}t></{pre}r></w:p>{}"#,
                p("甲"),
                p("丙")
            ))
        };
        // `w` re-bound away from W below the root: its text must not be read as W.
        let away = assert_paths(&p_in(r#"xmlns:w="urn:not-word""#, "w:"), false);
        assert!(!away.contains("乙") && away.contains("丙"), "{away}");
        // Another prefix bound to W below the root: its text must be read.
        let to = assert_paths(&p_in(&format!(r#"xmlns:x="{W}""#), "x:"), false);
        assert!(to.contains("乙"), "{to}");
        // A default namespace of W below the root.
        let default = assert_paths(&p_in(&format!(r#"xmlns="{W}""#), ""), false);
        assert!(default.contains("乙"), "{default}");
        // Harmless later declarations keep the fast path: an unread namespace on a new prefix,
        // `w` declared again as W, and `xmlns` text in a value or in the text.
        let pic = assert_paths(
            &p_in(
                r#"xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture""#,
                "w:",
            ),
            true,
        );
        assert!(pic.contains("乙"));
        assert_eq!(
            assert_paths(&p_in(&format!(r#"xmlns:w="{W}""#), "w:"), true),
            pic
        );
        assert_paths(&p_in(r#"w:rsidR="xmlns""#, "w:"), true);
        assert_paths(&document_xml(&p("xmlns:w=&quot;x&quot;")), true);
        // Un-binding, empty and reserved prefixes, escaped URIs: handed over.
        assert_paths(&p_in(r#"xmlns:w="""#, "w:"), false);
        assert_paths(&p_in(&format!(r#"xmlns:="{W}""#), ""), false);
        assert_paths(&p_in(r#"xmlns:xml="urn:x""#, "w:"), false);
        assert_paths(&p_in(r#"xmlns:q="urn:&amp;""#, "w:"), false);
        // A prefix bound below the root is out of scope after its element: text handed over.
        let scoped = document_xml(&format!(
            r#"<w:p xmlns:x="urn:other"><x:r/></w:p><x:p><x:r><x:t>外</x:t></x:r></x:p>{}"#,
            p("丙")
        ));
        assert_paths(&scoped, true);
        // No namespace at all: nothing is WordprocessingML.
        let none = "<document><body><p><r><t>无</t></r></p></body></document>";
        assert!(!assert_paths(none, true).contains("无"));
        // A second root element would lose the first one's bindings.
        let two = format!("{}{}", document_xml(&p("一")), document_xml(&p("二")));
        assert_paths(&two.replacen("<?xml", "<!-- -->", 0), false);
    }

    #[test]
    fn fast_path_hands_over_unusual_xml() {
        let doc = |body: &str| document_xml(body);
        // Comments, CDATA, DOCTYPE, processing instructions, line ends, references.
        assert_paths(&doc(&format!("<!-- c -->{}", p("a"))), false);
        assert_paths(
            &doc("<w:p><w:r><w:t><![CDATA[a<b]]></w:t></w:r></w:p>"),
            false,
        );
        assert_paths(&format!("<!DOCTYPE x>{}", document_xml(&p("a"))), false);
        assert_paths(&doc(&format!("<?pi x?>{}<?>", p("a"))), false);
        assert_paths(&doc(&format!("<?pi x?>{}<??>", p("a"))), true);
        assert_paths(&doc(&p("a\r\nb\rc\n")), true);
        assert_paths(&doc(&p("&lt;&#x4E00;&#19968;&bogus;&amp;")), true);
        assert_paths(&doc(&p("a & b")), false);
        assert_paths(&doc(&p("a &amp b")), false);
        // Quotes and `>` inside attribute values, odd spacing inside tags.
        assert_paths(
            &doc(r#"<w:p w:a='x>"y' w:b="'>"><w:r ><w:t
>q</w:t></w:r></w:p>"#),
            true,
        );
        // A quote in an element name would change where quick-xml ends the end tag.
        assert_paths(
            &doc(r#"<w:p><w:r><w:t'x '>q</w:t'x></w:r></w:p><w:p/>"#),
            false,
        );
        assert_paths(&doc(r#"<w:p><w:r><w:t"x">q</w:t"x"></w:r></w:p>"#), false);
        // End tags quick-xml tolerates (trailing space) or refuses (mismatch): handed over.
        assert_paths(&doc(&p("a").replace("</w:t>", "</w:t >")), false);
        assert_paths(&doc(&p("a").replace("</w:t>", "</w:x>")), false);
        assert_paths(&doc(&format!("{}</w:p>", p("a"))), false);
        // Truncation anywhere, empty names, a byte-order mark left in the text.
        let full = doc(&p("a"));
        for cut in 1..full.len() {
            if let Some(part) = full.get(..cut) {
                let (fast, _) = both_paths(part);
                assert!(fast.is_none() || !part.contains("<w:document"), "{part}");
            }
        }
        assert_paths(&doc("<><w:p/>"), false);
        assert_paths(&format!("\u{FEFF}{}", doc(&p("a"))), false);
        // Near the limits.
        let deep = "<w:sdt><w:sdtContent>".repeat(MAX_XML_DEPTH);
        assert_paths(&doc(&format!("{}{deep}", p("先"))), false);
    }

    /// Random edits of a small document (bytes that matter to the grammar): whenever the fast
    /// path finishes, it agrees with `NsReader`.
    #[test]
    fn fast_path_agrees_on_mutated_documents() {
        let base = document_xml(&format!(
            r#"{}<w:tbl><w:tr><w:tc><w:tcPr><w:gridSpan w:val="2"/></w:tcPr>{}</w:tc></w:tr></w:tbl><w:p xmlns:x="urn:x"><w:r><w:t>a&amp;b</w:t></w:r></w:p>"#,
            p("甲"),
            p("乙")
        ));
        let alphabet = b"<>/\"'&;:= xmlns?!w\r\n";
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let (mut taken, mut total) = (0, 0);
        for _ in 0..4000 {
            let mut bytes = base.as_bytes().to_vec();
            for _ in 0..(1 + next() % 3) {
                let at = (next() % bytes.len() as u64) as usize;
                let c = alphabet[(next() % alphabet.len() as u64) as usize];
                match next() % 3 {
                    0 => bytes[at] = c,
                    1 => bytes.insert(at, c),
                    _ => {
                        bytes.remove(at);
                    }
                }
            }
            let Ok(xml) = std::str::from_utf8(&bytes) else {
                continue;
            };
            total += 1;
            let (fast, slow) = both_paths(xml);
            if let Some(fast) = fast {
                taken += 1;
                assert_eq!(fast, slow, "{xml}");
            }
        }
        // Most edits break the XML; enough must still take the fast path to mean something.
        assert!(taken > total / 10, "{taken} of {total}");
    }

    /// Every docx of the corpus takes the fast path and reads exactly as with `NsReader`.
    #[test]
    fn fast_path_matches_nsreader_on_the_corpus() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/corpus");
        let mut files: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "docx"))
            .collect();
        files.push(TEMPLATE.into());
        let mut checked = 0;
        for path in files {
            let Ok(bytes) = std::fs::read(&path) else {
                continue;
            };
            let Ok(mut pkg) = Package::open(&bytes) else {
                continue;
            };
            let Ok(main) = pkg.main_part() else {
                continue;
            };
            let data = pkg.read_part(&main).unwrap();
            let xml = decode_xml(&data, &main, &mut Vec::new());
            let (fast, slow) = both_paths(&xml);
            assert_eq!(fast.as_deref(), Some(slow.as_str()), "{}", path.display());
            checked += 1;
        }
        assert!(checked >= 20, "{checked} docx checked");
    }

    #[test]
    fn tracked_changes_are_accepted() {
        let doc = read_body(
            r#"<w:p><w:r><w:t>保</w:t></w:r><w:ins w:id="1"><w:r><w:t>新</w:t></w:r></w:ins><w:del w:id="2"><w:r><w:delText>旧</w:delText></w:r></w:del><w:moveFrom w:id="3"><w:r><w:t>移出</w:t></w:r></w:moveFrom><w:moveTo w:id="4"><w:r><w:t>移入</w:t></w:r></w:moveTo><w:r><w:rPr><w:rPrChange><w:rPr><w:b/></w:rPr></w:rPrChange></w:rPr><w:t>留</w:t></w:r></w:p>"#,
        );
        assert_eq!(paragraphs(&doc), vec!["保新移入留"]);
    }

    #[test]
    fn deleted_row_and_old_cell_properties_are_ignored() {
        let body = format!(
            r#"<w:tbl><w:tr>{}{}</w:tr><w:tr><w:trPr><w:del w:id="1"/></w:trPr>{}{}</w:tr><w:tr><w:tc><w:tcPr><w:tcPrChange><w:tcPr><w:gridSpan w:val="2"/></w:tcPr></w:tcPrChange></w:tcPr>{}</w:tc>{}</w:tr></w:tbl>"#,
            tc("", "a"),
            tc("", "b"),
            tc("", "gone"),
            tc("", "gone"),
            p("c"),
            tc("", "d"),
        );
        let doc = read_body(&body);
        let t = tables(&doc)[0];
        assert_eq!((t.rows(), t.cols()), (2, 2));
        assert_eq!(text_at(t, 1, 1), "d");
        assert!(!t.cells().iter().any(|c| c.text == "gone"));
    }

    #[test]
    fn fields_keep_results_and_drop_codes() {
        let doc = read_body(
            r#"<w:p><w:r><w:t>第</w:t></w:r><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>3</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r><w:r><w:t>页</w:t></w:r><w:fldSimple w:instr=" DATE "><w:r><w:t>2024年</w:t></w:r></w:fldSimple></w:p><w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:t>noise</w:t></w:r></w:p><w:p><w:r><w:t>after</w:t></w:r></w:p>"#,
        );
        assert_eq!(paragraphs(&doc), vec!["第3页2024年", "after"]);
    }

    #[test]
    fn sdt_hyperlink_smarttag_customxml_content_kept() {
        let doc = read_body(
            r#"<w:sdt><w:sdtPr><w:alias w:val="标题"/><w:placeholder><w:docPart w:val="x"/></w:placeholder></w:sdtPr><w:sdtContent><w:p><w:hyperlink r:id="rId1" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><w:r><w:t>链接</w:t></w:r></w:hyperlink><w:smartTag w:uri="u" w:element="e"><w:r><w:t>标记</w:t></w:r></w:smartTag><w:customXml w:element="c"><w:r><w:t>定制</w:t></w:r></w:customXml><w:sdt><w:sdtContent><w:r><w:t>内</w:t></w:r></w:sdtContent></w:sdt></w:p></w:sdtContent></w:sdt>"#,
        );
        assert_eq!(paragraphs(&doc), vec!["链接标记定制内"]);
    }

    #[test]
    fn alternate_content_text_box_is_read_once() {
        let txbx = |t: &str| format!("<w:txbxContent>{}</w:txbxContent>", p(t));
        let body = format!(
            r#"<w:p><w:r><w:t>宿主</w:t></w:r><w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wp:anchor><a:graphic><a:graphicData><wps:wsp><wps:txbx>{}</wps:txbx></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice><mc:Fallback><w:pict><v:shape><v:textbox>{}</v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r><w:r><w:t>段</w:t></w:r></w:p>{}<w:p><w:r><w:pict><v:shape><v:textbox>{}</v:textbox></v:shape></w:pict></w:r></w:p><w:p><mc:AlternateContent><mc:Fallback><w:r><w:t>仅后备</w:t></w:r></mc:Fallback></mc:AlternateContent></w:p>"#,
            txbx("文本框"),
            txbx("文本框"),
            p("下一段"),
            txbx("VML框"),
        );
        let doc = read_body(&body);
        assert_eq!(
            paragraphs(&doc),
            vec!["宿主段", "文本框", "下一段", "VML框", "仅后备"]
        );
    }

    #[test]
    fn text_box_in_a_cell_joins_the_cell_text() {
        let body = format!(
            "<w:tbl><w:tr><w:tc><w:p><w:r><w:t>格</w:t></w:r><w:r><w:pict><v:textbox><w:txbxContent>{}</w:txbxContent></v:textbox></w:pict></w:r></w:p></w:tc></w:tr></w:tbl>",
            p("框")
        );
        let doc = read_body(&body);
        assert_eq!(text_at(tables(&doc)[0], 0, 0), "格\n框");
        assert!(paragraphs(&doc).is_empty());
    }

    #[test]
    fn nested_table_is_flattened_into_its_cell() {
        let inner = format!(
            "<w:tbl><w:tr>{}{}</w:tr><w:tr>{}{}</w:tr></w:tbl>",
            tc("", "i1"),
            tc("", "i2"),
            tc("", "i3"),
            tc("", "i4")
        );
        let body = format!(
            "<w:tbl><w:tr><w:tc>{}{inner}{}</w:tc>{}</w:tr></w:tbl>{}",
            p("before"),
            p("after"),
            tc("", "right"),
            p("body")
        );
        let doc = read_body(&body);
        assert_eq!(tables(&doc).len(), 1);
        let t = tables(&doc)[0];
        assert_eq!((t.rows(), t.cols()), (1, 2));
        assert_eq!(text_at(t, 0, 0), "before\ni1\ti2\ni3\ti4\nafter");
        assert_eq!(text_at(t, 0, 1), "right");
        assert_eq!(paragraphs(&doc), vec!["body"]);
    }

    #[test]
    fn cell_paragraphs_are_joined_and_trimmed() {
        let body = format!(
            "<w:tbl><w:tr><w:tc>{}{}{}<w:p/></w:tc></w:tr></w:tbl>",
            p("  一"),
            p("二\u{3000}"),
            p("三 ")
        );
        let doc = read_body(&body);
        assert_eq!(text_at(tables(&doc)[0], 0, 0), "一\n二\u{3000}\n三");
    }

    #[test]
    fn vertical_text_direction_flag() {
        let body = format!(
            "<w:tbl><w:tr>{}{}{}{}</w:tr></w:tbl>",
            tc(r#"<w:textDirection w:val="btLr"/>"#, "a"),
            tc(r#"<w:textDirection w:val="tbRl"/>"#, "b"),
            tc(r#"<w:textDirection w:val="lrTb"/>"#, "c"),
            tc("", "d"),
        );
        let doc = read_body(&body);
        let v: Vec<bool> = tables(&doc)[0].cells().iter().map(|c| c.vertical).collect();
        assert_eq!(v, vec![true, true, false, false]);
    }

    #[test]
    fn truncated_document_xml_keeps_partial_content() {
        let row = |a: &str, b: &str| format!("<w:tr>{}{}</w:tr>", tc("", a), tc("", b));
        let full = document_xml(&format!(
            "{}<w:tbl>{}{}{}</w:tbl>{}",
            p("标题"),
            row("a", "b"),
            row("c", "d"),
            row("e", "f"),
            p("end")
        ));
        let cut = full.find("<w:t>e</w:t>").unwrap() + 6;
        let doc = read(&zip_of(&[("word/document.xml", &full.as_bytes()[..cut])])).unwrap();
        assert_eq!(paragraphs(&doc), vec!["标题"]);
        let t = tables(&doc)[0];
        assert_eq!(t.rows(), 3);
        assert_eq!(text_at(t, 1, 1), "d");
        assert_eq!(text_at(t, 2, 0), "e");
        assert!(
            doc.warnings[0].starts_with("truncated:"),
            "{:?}",
            doc.warnings
        );

        // A syntax error midway behaves the same.
        let broken = full.replace("<w:t>d</w:t>", "<w:t>d</w:x>");
        let doc = read(&zip_of(&[("word/document.xml", broken.as_bytes())])).unwrap();
        assert_eq!(tables(&doc)[0].rows(), 2);
        assert!(
            doc.warnings[0].starts_with("truncated:"),
            "{:?}",
            doc.warnings
        );

        // Nothing readable at all is an error.
        let err = read(&zip_of(&[("word/document.xml", b"<w:document <<<")])).unwrap_err();
        assert!(matches!(err, ReadError::Corrupt { .. }), "{err:?}");
    }

    #[test]
    fn depth_limit_keeps_what_came_before() {
        let deep = "<w:sdt><w:sdtContent>".repeat(MAX_XML_DEPTH + 5);
        let doc = read_body(&format!("{}{deep}", p("先")));
        assert_eq!(paragraphs(&doc), vec!["先"]);
        assert!(doc.warnings[0].starts_with("limit:"), "{:?}", doc.warnings);

        let deep_deleted = format!("<w:del>{}</w:del>", "<w:r>".repeat(MAX_XML_DEPTH + 5));
        let doc = read_body(&format!("{}{deep_deleted}", p("先")));
        assert!(doc.warnings[0].starts_with("limit:"), "{:?}", doc.warnings);

        let err = read_body_err(&"<w:sdt>".repeat(MAX_XML_DEPTH + 5));
        assert!(matches!(err, ReadError::Limit(_)), "{err:?}");
    }

    #[test]
    fn not_a_zip_and_truncated_zip_are_corrupt() {
        let err = read(b"PK\x03\x04this is not really a zip").unwrap_err();
        assert!(
            matches!(err, ReadError::Corrupt { format: "docx", .. }),
            "{err:?}"
        );
        let good = docx(&p("x"));
        let err = read(&good[..good.len() / 2]).unwrap_err();
        assert!(
            matches!(err, ReadError::Corrupt { format: "docx", .. }),
            "{err:?}"
        );
        assert!(!err.to_string().contains('\n'));
    }

    #[test]
    fn too_many_entries_is_a_limit() {
        let mut w = ZipWriter::new(Cursor::new(Vec::new()));
        let opts = SimpleFileOptions::default().compression_method(CompressionMethod::Stored);
        for i in 0..=MAX_ZIP_ENTRIES {
            w.start_file(format!("f{i}"), opts).unwrap();
        }
        let bytes = w.finish().unwrap().into_inner();
        assert!(matches!(read(&bytes), Err(ReadError::Limit(_))));
    }

    /// Rewrites the central-directory uncompressed size of `name`.
    fn patch_declared_size(zip: &mut [u8], name: &str, size: u32) {
        let mut i = 0;
        while i + 46 <= zip.len() {
            if zip[i..i + 4] == [0x50, 0x4b, 0x01, 0x02] {
                let n = u16::from_le_bytes([zip[i + 28], zip[i + 29]]) as usize;
                if &zip[i + 46..i + 46 + n] == name.as_bytes() {
                    zip[i + 24..i + 28].copy_from_slice(&size.to_le_bytes());
                    return;
                }
            }
            i += 1;
        }
        panic!("entry not found");
    }

    #[test]
    fn declared_huge_parts_are_limits() {
        let mut z = docx(&p("x"));
        patch_declared_size(&mut z, "word/document.xml", 100 * 1024 * 1024);
        let err = read(&z).unwrap_err();
        assert!(
            matches!(&err, ReadError::Limit(m) if m.contains("part limit")),
            "{err:?}"
        );

        let mut z = zip_of(&[
            ("word/document.xml", document_xml(&p("x")).as_bytes()),
            ("big.bin", b"0"),
        ]);
        patch_declared_size(&mut z, "big.bin", u32::MAX);
        let err = read(&z).unwrap_err();
        assert!(
            matches!(&err, ReadError::Limit(m) if m.contains("total")),
            "{err:?}"
        );
    }

    #[test]
    fn high_ratio_part_is_a_limit() {
        let xml = document_xml(&format!("{}{}", p("x"), " ".repeat(4 * 1024 * 1024)));
        let err = read(&zip_of(&[("word/document.xml", xml.as_bytes())])).unwrap_err();
        assert!(
            matches!(&err, ReadError::Limit(m) if m.contains("ratio")),
            "{err:?}"
        );
    }

    #[test]
    fn overlapping_entries_are_a_limit() {
        let mut w = ZipWriter::new(Cursor::new(Vec::new()));
        let opts = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
        w.start_file("word/document.xml", opts).unwrap();
        w.write_all(document_xml(&p("x")).as_bytes()).unwrap();
        w.shallow_copy_file("word/document.xml", "word/copy.xml")
            .unwrap();
        let bytes = w.finish().unwrap().into_inner();
        assert!(matches!(read(&bytes), Err(ReadError::Limit(m)) if m.contains("overlap")));
    }

    #[test]
    fn main_part_found_through_relationships_and_other_packages_refused() {
        let ct = r#"<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/main.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>"#;
        let rels = |target: &str| {
            format!(
                r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="{target}"/></Relationships>"#
            )
        };
        let word = zip_of(&[
            ("[Content_Types].xml", ct.as_bytes()),
            ("_rels/.rels", rels("/word/main.xml").as_bytes()),
            ("word/main.xml", document_xml(&p("主")).as_bytes()),
        ]);
        assert_eq!(paragraphs(&read(&word).unwrap()), vec!["主"]);

        let xlsx = zip_of(&[
            ("[Content_Types].xml", ct.as_bytes()),
            ("_rels/.rels", rels("xl/workbook.xml").as_bytes()),
            ("xl/workbook.xml", b"<workbook/>"),
        ]);
        assert!(matches!(read(&xlsx), Err(ReadError::NotAReport(m)) if m.contains("spreadsheet")));

        let odt = zip_of(&[
            ("mimetype", b"application/vnd.oasis.opendocument.text"),
            ("content.xml", b"<x/>"),
        ]);
        assert!(matches!(read(&odt), Err(ReadError::Unsupported(m)) if m.contains("odt")));

        let other = zip_of(&[("readme.txt", b"hi")]);
        assert!(matches!(read(&other), Err(ReadError::NotAReport(_))));
    }

    #[test]
    fn core_title_is_declared() {
        let core = r#"<?xml version="1.0"?><cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title> 2023年政府信息公开工作年度报告 </dc:title></cp:coreProperties>"#;
        let z = zip_of(&[
            ("word/document.xml", document_xml(&p("x")).as_bytes()),
            ("docProps/core.xml", core.as_bytes()),
        ]);
        assert_eq!(
            read(&z).unwrap().declared_title.as_deref(),
            Some("2023年政府信息公开工作年度报告")
        );
        let empty = core.replace(" 2023年政府信息公开工作年度报告 ", "");
        let z = zip_of(&[
            ("word/document.xml", document_xml(&p("x")).as_bytes()),
            ("docProps/core.xml", empty.as_bytes()),
        ]);
        assert_eq!(read(&z).unwrap().declared_title, None);
    }

    #[test]
    fn long_cell_text_is_truncated_with_a_warning() {
        let long = "字".repeat(MAX_CELL_CHARS + 10);
        let doc = read_body(&format!("<w:tbl><w:tr>{}</w:tr></w:tbl>", tc("", &long)));
        assert_eq!(
            tables(&doc)[0].cells()[0].text.chars().count(),
            MAX_CELL_CHARS
        );
        assert!(doc.warnings.iter().any(|w| w.contains("truncated")));
    }

    #[test]
    fn vmerge_continuation_text_is_dropped_with_a_warning() {
        let body = format!(
            "<w:tbl><w:tr>{}{}</w:tr><w:tr>{}{}</w:tr></w:tbl>",
            tc(r#"<w:vMerge w:val="restart"/>"#, "top"),
            tc("", "a"),
            tc(r#"<w:vMerge w:val="continue"/>"#, "stray"),
            tc("", "b"),
        );
        let doc = read_body(&body);
        let t = tables(&doc)[0];
        assert_eq!(t.cells()[0].row_span, 2);
        assert_eq!(text_at(t, 1, 1), "b");
        assert!(!t.cells().iter().any(|c| c.text == "stray"));
        assert!(
            doc.warnings.iter().any(|w| w.contains("stray")),
            "{:?}",
            doc.warnings
        );
    }

    #[test]
    fn empty_document_and_encodings() {
        let doc = read_body("");
        assert!(doc.blocks.is_empty() && doc.warnings.is_empty());

        let mut bom = b"\xEF\xBB\xBF".to_vec();
        bom.extend_from_slice(document_xml(&p("甲")).as_bytes());
        let doc = read(&zip_of(&[("word/document.xml", &bom)])).unwrap();
        assert_eq!(paragraphs(&doc), vec!["甲"]);

        let xml = document_xml(&p("乙")).replace("UTF-8", "UTF-16");
        let mut utf16 = vec![0xFF, 0xFE];
        utf16.extend(xml.encode_utf16().flat_map(|u| u.to_le_bytes()));
        let doc = read(&zip_of(&[("word/document.xml", &utf16)])).unwrap();
        assert_eq!(paragraphs(&doc), vec!["乙"]);
    }

    /// Cutting the main part anywhere never panics: either partial content with a warning,
    /// or a clean error when nothing was read.
    #[test]
    fn cuts_anywhere_never_panic() {
        let xml = match std::fs::read(TEMPLATE) {
            Ok(bytes) => {
                let mut zip = ZipArchive::new(Cursor::new(bytes.as_slice())).unwrap();
                let mut raw = String::new();
                zip.by_name("word/document.xml")
                    .unwrap()
                    .read_to_string(&mut raw)
                    .unwrap();
                raw
            }
            Err(_) => document_xml(&format!(
                "{}<w:tbl><w:tr>{}{}</w:tr></w:tbl>{}",
                p("a"),
                tc("<w:gridSpan w:val=\"2\"/>", "b"),
                tc("<w:vMerge/>", ""),
                p("c")
            )),
        };
        let step = (xml.len() / 60).max(1);
        for cut in (1..xml.len()).step_by(step) {
            match read(&zip_of(&[("word/document.xml", &xml.as_bytes()[..cut])])) {
                Ok(doc) => assert!(
                    doc.blocks.is_empty()
                        || doc.warnings.iter().any(|w| w.starts_with("truncated:")),
                    "cut at {cut}: {:?}",
                    doc.warnings
                ),
                Err(e) => assert!(
                    matches!(e, ReadError::Corrupt { .. }),
                    "cut at {cut}: {e:?}"
                ),
            }
        }
    }

    const TEMPLATE: &str = "/work/shared/real/template_2021_blank.docx";

    #[test]
    fn real_wps_template_if_present() {
        let Ok(bytes) = std::fs::read(TEMPLATE) else {
            return;
        };
        let doc = read(&bytes).unwrap();
        let ts = tables(&doc);
        assert!(ts.len() >= 3, "{} tables", ts.len());
        let t3 = ts
            .iter()
            .find(|t| t.cells().iter().any(|c| c.text == "三、本年度办理结果"))
            .expect("table 三");
        let result = t3
            .cells()
            .iter()
            .find(|c| c.text == "三、本年度办理结果")
            .unwrap();
        assert_eq!(result.row_span, 22, "{:?}", doc.warnings);
        // No text repeated beyond what the source holds: compare with the tag-stripped XML.
        let mut zip = ZipArchive::new(Cursor::new(bytes.as_slice())).unwrap();
        let mut raw = String::new();
        zip.by_name("word/document.xml")
            .unwrap()
            .read_to_string(&mut raw)
            .unwrap();
        let mut source = String::with_capacity(raw.len() / 4);
        let mut in_tag = false;
        for ch in raw.chars() {
            match ch {
                '<' => in_tag = true,
                '>' => in_tag = false,
                c if !in_tag => source.push(c),
                _ => {}
            }
        }
        let mut out_count: std::collections::HashMap<&str, usize> =
            std::collections::HashMap::new();
        let texts = ts
            .iter()
            .flat_map(|t| t.cells().iter().map(|c| c.text.as_str()))
            .chain(paragraphs(&doc))
            .filter(|s| s.chars().count() > 4 && !s.contains(['\n', '\t']));
        for s in texts {
            *out_count.entry(s).or_default() += 1;
        }
        for (s, n) in out_count {
            assert!(
                source.matches(s).count() >= n,
                "{s:?} appears {n} times in the output"
            );
        }
        let out_chars: usize = ts
            .iter()
            .flat_map(|t| {
                t.cells()
                    .iter()
                    .map(|c| c.text.chars().filter(|c| !c.is_whitespace()).count())
            })
            .chain(
                paragraphs(&doc)
                    .iter()
                    .map(|p| p.chars().filter(|c| !c.is_whitespace()).count()),
            )
            .sum();
        assert!(out_chars <= source.chars().filter(|c| !c.is_whitespace()).count());
    }

    #[test]
    #[ignore]
    fn time_real_template() {
        let Ok(bytes) = std::fs::read(TEMPLATE) else {
            return;
        };
        let doc = read(&bytes).unwrap();
        for b in &doc.blocks {
            match b {
                Block::Paragraph(p) => eprintln!("P {p}"),
                Block::Table(t) => {
                    eprintln!("T {}x{} {} cells", t.rows(), t.cols(), t.cells().len());
                    for r in 0..t.rows().min(5) {
                        let row: Vec<String> = t
                            .row_cells(r)
                            .iter()
                            .map(|c| {
                                format!(
                                    "{}@{}:{}x{}",
                                    c.cell.text, c.col, c.cell.row_span, c.cell.col_span
                                )
                            })
                            .collect();
                        eprintln!("  {row:?}");
                    }
                }
            }
        }
        eprintln!(
            "warnings: {:?} title: {:?}",
            doc.warnings, doc.declared_title
        );
        let n = 200;
        let start = std::time::Instant::now();
        for _ in 0..n {
            std::hint::black_box(read(&bytes).unwrap());
        }
        eprintln!("{:?} per document", start.elapsed() / n);
    }
}

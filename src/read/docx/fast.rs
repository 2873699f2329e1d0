//! The fast path for the main document part: quick-xml's event grammar (as its `Reader` applies
//! it with the default configuration) re-done over the already validated `&str`, with elements
//! and attributes matched by prefix instead of through `NsReader`'s namespace scopes.
//!
//! `NsReader` was most of the reader's cost: a binding-stack push per element, a prefix look-up
//! per element and attribute, the end-tag names copied for the end-name check, and UTF-8
//! validated again per event. Here names are borrowed from the input and only the few elements
//! whose attributes are read have them parsed (with quick-xml's own attribute iterator).
//!
//! It applies when what every prefix means is fixed for the whole document: the root element
//! declares the namespaces, and any later declaration binds a prefix to the same kind of
//! namespace it already had (e.g. `xmlns:pic="…/picture"` on a drawing: an unread namespace
//! before, an unread one after). Anything else, such as a prefix (or the default namespace) bound
//! to or away from WordprocessingML below the root, a second root element, an empty or reserved
//! prefix, and anything unusual in the XML itself (a comment, CDATA, a DOCTYPE, a syntax error,
//! a mismatched end tag, truncation, a depth or element count near a limit) makes [`parse`]
//! return `None`, and the caller reads the part again with `NsReader`, which handles all of it,
//! applies the limits and words the warnings. So text is never lost to an unexpected prefix: the
//! fast path only finishes on input where both paths give the same document (tested on every
//! docx of the corpus and on the odd-namespace cases in `super::tests`).

use std::borrow::Cow;

use memchr::{memchr, memchr2, memchr3, memmem};
use quick_xml::events::{BytesStart, BytesText};
use quick_xml::name::{NamespaceResolver, PrefixDeclaration};

use super::{attr_value, ns_of_uri, Action, Attrs, Ns, Parser, Tag};
use crate::limits::{MAX_XML_DEPTH, MAX_XML_EVENTS};

/// Events read before handing over to `NsReader`, which applies the exact element-count limit;
/// half of it, so a difference in how events are counted can never matter.
const EVENT_BUDGET: usize = MAX_XML_EVENTS / 2;

/// What the prefixes mean, fixed for the document by its root element.
struct Bindings {
    /// The default namespace (unprefixed element names).
    default: Ns,
    /// Prefixes bound to a namespace the parser reads; any other prefix is `Ns::Other`.
    prefixed: Vec<(Box<[u8]>, Ns)>,
}

impl Bindings {
    fn prefix(&self, p: &str) -> Ns {
        let p = p.as_bytes();
        for (k, ns) in &self.prefixed {
            // Prefixes are a byte or two (`w`, `mc`, `m`): compare inline, not through `memcmp`.
            if k.len() == p.len() && k.iter().zip(p).all(|(a, b)| a == b) {
                return *ns;
            }
        }
        Ns::Other
    }

    /// Namespace and local name of an element name (split at the first `:`, as quick-xml does).
    #[inline]
    fn element<'n>(&self, name: &'n str) -> (Ns, &'n str) {
        match name.bytes().position(|c| c == b':') {
            None => (self.default, name),
            Some(i) => (self.prefix(&name[..i]), &name[i + 1..]),
        }
    }

    fn get(&self, decl: Option<&str>) -> Ns {
        decl.map_or(self.default, |p| self.prefix(p))
    }

    /// A root declaration; a later one of the same prefix wins, as in `NamespaceResolver`.
    fn set(&mut self, decl: Option<&str>, ns: Ns) {
        match decl {
            None => self.default = ns,
            Some(p) => {
                self.prefixed.retain(|(k, _)| **k != *p.as_bytes());
                if ns != Ns::Other {
                    self.prefixed.push((p.as_bytes().into(), ns));
                }
            }
        }
    }
}

/// Attributes matched by prefix: unprefixed or bound to the W namespace, as `NsAttrs` resolves
/// them when the bindings are fixed.
struct PrefixAttrs<'b, 'a> {
    e: BytesStart<'a>,
    bindings: &'b Bindings,
}

impl Attrs for PrefixAttrs<'_, '_> {
    fn get(&self, local: &str) -> Option<Cow<'_, str>> {
        attr_value(&self.e, local, |key| match key.prefix() {
            None => true,
            Some(p) => self.bindings.prefix(p.into_inner()) == Ns::W,
        })
    }
}

/// Reads the declarations of an element whose tag contains `xmlns`. The root's set the bindings;
/// a later one must leave them as they are. `None` hands the part to `NsReader`.
fn declare(
    e: &BytesStart<'_>,
    root: bool,
    bindings: &mut Bindings,
    resolver: &mut NamespaceResolver,
) -> Option<()> {
    // The same resolver `NsReader` keeps, fed the same declarations, so whatever it refuses (too
    // many bindings in scope, a reserved prefix re-bound) is refused here too.
    resolver.push(e).ok()?;
    for a in e.attributes().with_checks(false) {
        // `NamespaceResolver::push` stops at the first malformed attribute; so do we.
        let Ok(a) = a else { break };
        let Some(decl) = a.key.as_namespace_binding() else {
            continue;
        };
        let uri: &str = &a.value;
        // Un-binding, escaped URIs and empty or reserved prefixes: never written by Word, and
        // resolved in ways not worth mirroring.
        if uri.is_empty() || uri.contains('&') {
            return None;
        }
        let key = match decl {
            PrefixDeclaration::Default => None,
            PrefixDeclaration::Named(p) if p.is_empty() || p == "xml" || p == "xmlns" => {
                return None
            }
            PrefixDeclaration::Named(p) => Some(p),
        };
        let ns = ns_of_uri(uri);
        if root {
            bindings.set(key, ns);
        } else if bindings.get(key) != ns {
            return None;
        }
    }
    Some(())
}

/// Index of the `>` that closes the tag whose name starts at `from`: the first `>` outside
/// quotes, as quick-xml's `ElementParser` finds it.
fn tag_end(b: &[u8], from: usize) -> Option<usize> {
    let mut i = from;
    loop {
        i += find_markup(b.get(i..)?)?;
        let q = b[i];
        if q == b'>' {
            return Some(i);
        }
        // Inside quotes only the same quote ends the value.
        i += 1;
        i += find_byte(b.get(i..)?, q)? + 1;
    }
}

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGHS: u64 = 0x8080_8080_8080_8080;

/// High bit set in each byte of `v` equal to `c`; exact up to the lowest such byte (the bits
/// above it may be false positives), which is all [`find_any`] uses.
fn bytes_equal(v: u64, c: u8) -> u64 {
    let x = v ^ (ONES * u64::from(c));
    x.wrapping_sub(ONES) & !x & HIGHS
}

/// Position of the first `c` (attribute values are short too).
fn find_byte(s: &[u8], c: u8) -> Option<usize> {
    find_any(s, [c])
}

/// Position of the first `>`, `"` or `'`.
fn find_markup(s: &[u8]) -> Option<usize> {
    find_any(s, [b'>', b'"', b'\''])
}

/// Position of the first byte of `set`, eight bytes at a time (tags are too short for
/// `memchr3`'s set-up to pay, and a byte loop costs a compare per byte of the set).
#[inline(always)]
fn find_any<const N: usize>(s: &[u8], set: [u8; N]) -> Option<usize> {
    let mut chunks = s.chunks_exact(8);
    let mut at = 0;
    for chunk in &mut chunks {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        let v = u64::from_le_bytes(word);
        let hits = set.iter().fold(0, |h, &c| h | bytes_equal(v, c));
        if hits != 0 {
            return Some(at + (hits.trailing_zeros() / 8) as usize);
        }
        at += 8;
    }
    chunks
        .remainder()
        .iter()
        .position(|b| set.contains(b))
        .map(|i| at + i)
}

fn is_xml_space(b: u8) -> bool {
    matches!(b, b' ' | b'\r' | b'\n' | b'\t')
}

/// Text inside `w:t`, with XML 1.0 line ends normalized as `BytesText::xml10_content` does.
fn push_text(p: &mut Parser, s: &str) {
    if memchr(b'\r', s.as_bytes()).is_some() {
        p.text_event(&BytesText::from_escaped(s).xml10_content());
    } else {
        p.text_event(s);
    }
}

/// Streams the part into a [`Parser`], or `None` when it must be read with `NsReader` instead.
/// On `Some`, reading ended cleanly at the end of the part with every element closed.
pub(super) fn parse(xml: &str) -> Option<Parser> {
    let b = xml.as_bytes();
    // quick-xml drops a (second) byte-order mark; not worth mirroring.
    if b.starts_with(b"\xEF\xBB\xBF") {
        return None;
    }
    // Every place a declaration could be, found in one pass; a tag is looked at for declarations
    // only if one of these falls inside it.
    let mut decls = memmem::find_iter(b, b"xmlns");
    let mut next_decl = decls.next();
    let mut bindings = Bindings {
        default: Ns::Other,
        prefixed: Vec::new(),
    };
    let mut resolver = NamespaceResolver::default();
    // Depths (open-element counts) at which `resolver` holds a scope.
    let mut scopes: Vec<usize> = Vec::new();
    // Names of the open elements, for the end-tag check.
    let mut names: Vec<&str> = Vec::with_capacity(64);
    let mut roots = 0usize;
    let mut events = 0usize;
    let mut p = Parser::new();
    let mut pos = 0usize;
    while pos < b.len() {
        events += 1;
        if events > EVENT_BUDGET {
            return None;
        }
        match b[pos] {
            b'<' => {}
            b'&' => {
                // `&name;`: a `&` or `<` before the `;` is quick-xml's "unclosed reference".
                let j = memchr3(b';', b'&', b'<', &b[pos + 1..])?;
                if b[pos + 1 + j] != b';' {
                    return None;
                }
                p.reference(&xml[pos + 1..pos + 1 + j]);
                pos += j + 2;
                continue;
            }
            _ => {
                let end = memchr2(b'<', b'&', &b[pos..]).map_or(b.len(), |i| pos + i);
                if p.skip == 0 && p.top() == Tag::T {
                    push_text(&mut p, &xml[pos..end]);
                }
                pos = end;
                continue;
            }
        }
        match b.get(pos + 1) {
            // `<` at the very end (truncated), or a comment, CDATA or DOCTYPE.
            None | Some(b'!') => return None,
            Some(b'?') => {
                // XML declaration or processing instruction: up to the first `?>` from the `?` of
                // `<?` (quick-xml's `PiParser`); `<?>` is a syntax error there.
                let i = memmem::find(&b[pos + 1..], b"?>")?;
                if i == 0 {
                    return None;
                }
                pos += i + 3;
            }
            Some(b'/') => {
                // Only `</name>` with the open element's name: names hold no quote or `>`, so
                // quick-xml's `ElementParser` would end this tag at the same `>`. It also takes
                // trailing spaces and attributes here; leave those (and mismatches) to it.
                let name = names.pop()?;
                let end = pos + 2 + name.len();
                if b.get(pos + 2..end) != Some(name.as_bytes()) || b.get(end) != Some(&b'>') {
                    return None;
                }
                if scopes.last() == Some(&names.len()) {
                    scopes.pop();
                    resolver.pop();
                }
                p.end_element();
                pos = end + 1;
            }
            Some(_) => {
                let end = tag_end(b, pos + 1)?;
                let empty = b[end - 1] == b'/';
                let content = &xml[pos + 1..if empty { end - 1 } else { end }];
                let name_len = content
                    .bytes()
                    .position(|c| is_xml_space(c) || c == b'"' || c == b'\'')
                    .unwrap_or(content.len());
                let name = &content[..name_len];
                // An empty name, or a quote in it (which would make end tags parse differently).
                if name.is_empty() || !content[name_len..].bytes().next().is_none_or(is_xml_space) {
                    return None;
                }
                let root = names.is_empty();
                if root {
                    roots += 1;
                    // A second root element would resolve without the first one's bindings.
                    if roots > 1 {
                        return None;
                    }
                }
                if !empty && p.tags.len() + p.skip >= MAX_XML_DEPTH {
                    return None;
                }
                let e = BytesStart::from_content(content, name_len);
                while next_decl.is_some_and(|d| d < pos) {
                    next_decl = decls.next();
                }
                if next_decl.is_some_and(|d| d < end) {
                    while next_decl.is_some_and(|d| d < end) {
                        next_decl = decls.next();
                    }
                    declare(&e, root, &mut bindings, &mut resolver)?;
                    if empty {
                        resolver.pop();
                    } else {
                        scopes.push(names.len());
                    }
                }
                if empty {
                    if p.skip == 0 {
                        let (ns, local) = bindings.element(name);
                        let attrs = PrefixAttrs {
                            e,
                            bindings: &bindings,
                        };
                        if let Action::Push(tag) = p.on_start(ns, local, &attrs) {
                            p.on_end(tag);
                        }
                    }
                } else {
                    names.push(name);
                    if p.skip > 0 {
                        p.skip += 1;
                    } else {
                        let (ns, local) = bindings.element(name);
                        let attrs = PrefixAttrs {
                            e,
                            bindings: &bindings,
                        };
                        match p.on_start(ns, local, &attrs) {
                            Action::Push(tag) => p.tags.push(tag),
                            Action::Skip => p.skip = 1,
                        }
                    }
                }
                pos = end + 1;
            }
        }
    }
    // Ending inside an element is truncation: `NsReader` words that warning.
    names.is_empty().then_some(p)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// quick-xml's `ElementParser`, byte by byte.
    fn reference_tag_end(b: &[u8], from: usize) -> Option<usize> {
        let mut quote = 0u8;
        for (i, &c) in b.iter().enumerate().skip(from) {
            if quote == 0 {
                if c == b'>' {
                    return Some(i);
                }
                if c == b'"' || c == b'\'' {
                    quote = c;
                }
            } else if c == quote {
                quote = 0;
            }
        }
        None
    }

    #[test]
    fn tag_end_matches_the_element_parser() {
        let alphabet = b"ab >\"'=\x80";
        let mut state: u64 = 0x2545_F491_4F6C_DD1D;
        for _ in 0..50_000 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let len = (state % 40) as usize;
            let mut s = state;
            let bytes: Vec<u8> = (0..len)
                .map(|_| {
                    s = s.rotate_left(5).wrapping_mul(0x9E37_79B9_7F4A_7C15);
                    alphabet[(s >> 59) as usize % alphabet.len()]
                })
                .collect();
            for from in 0..=len.min(3) {
                assert_eq!(
                    tag_end(&bytes, from),
                    reference_tag_end(&bytes, from),
                    "{:?} from {from}",
                    String::from_utf8_lossy(&bytes)
                );
            }
        }
    }
}

//! Decide what a file is from its first bytes, never from its name.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A zip container (docx, or another OOXML/ODF package).
    Zip,
    /// An OLE2 compound file (Word 97-2003 .doc, WPS .wps, encrypted OOXML).
    Ole,
    Pdf,
    Rtf,
    /// A MIME web archive (.mht / .mhtml).
    Mhtml,
    Html,
    Text,
    /// Something else binary; the string names it for the error message.
    Binary(&'static str),
}

const OLE_MAGIC: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

pub fn sniff(bytes: &[u8]) -> Kind {
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        return Kind::Zip;
    }
    if bytes.starts_with(OLE_MAGIC) {
        return Kind::Ole;
    }
    let head = strip_bom(&bytes[..bytes.len().min(4096)]);
    let trimmed = trim_ascii_start(head);
    if trimmed.starts_with(b"%PDF-")
        || bytes[..bytes.len().min(1024)]
            .windows(5)
            .any(|w| w == b"%PDF-")
    {
        return Kind::Pdf;
    }
    if trimmed.starts_with(b"{\\rtf") {
        return Kind::Rtf;
    }
    if super::mhtml::looks_like_mime(trimmed) {
        return Kind::Mhtml;
    }
    for (magic, what) in BINARY_MAGIC {
        if bytes.starts_with(magic) {
            return Kind::Binary(what);
        }
    }
    if looks_like_html(head) {
        return Kind::Html;
    }
    if looks_like_text(bytes) {
        return Kind::Text;
    }
    Kind::Binary("binary data, not a document")
}

/// An OLE2 compound file holding an encrypted OOXML package (a password-protected .docx):
/// its directory names the `EncryptionInfo` or `EncryptedPackage` stream. Directory entries
/// are 128 bytes, always 128-aligned in the file (sectors are 512 or 4096 bytes), each starting
/// with its UTF-16LE name and carrying the name's byte length (with the NUL) at offset 64, so a
/// linear scan of aligned slots finds them without following the FAT.
pub fn is_encrypted_ooxml(bytes: &[u8]) -> bool {
    if !bytes.starts_with(OLE_MAGIC) {
        return false;
    }
    fn utf16(name: &str) -> Vec<u8> {
        name.encode_utf16().flat_map(|u| u.to_le_bytes()).collect()
    }
    let names = [utf16("EncryptionInfo"), utf16("EncryptedPackage")];
    bytes.chunks_exact(128).skip(4).any(|entry| {
        let len = u16::from_le_bytes([entry[64], entry[65]]) as usize;
        names.iter().any(|n| {
            len == n.len() + 2 && entry.starts_with(n) && entry[n.len()..n.len() + 2] == [0, 0]
        })
    })
}

const BINARY_MAGIC: &[(&[u8], &str)] = &[
    (b"\x89PNG", "a PNG image"),
    (b"\xFF\xD8\xFF", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"Rar!", "a RAR archive"),
    (b"7z\xBC\xAF", "a 7z archive"),
    (b"\x1F\x8B", "a gzip archive"),
];

fn strip_bom(b: &[u8]) -> &[u8] {
    b.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(b)
}

fn trim_ascii_start(b: &[u8]) -> &[u8] {
    let n = b.iter().take_while(|c| c.is_ascii_whitespace()).count();
    &b[n..]
}

fn looks_like_html(head: &[u8]) -> bool {
    if head.starts_with(b"\xFF\xFE") || head.starts_with(b"\xFE\xFF") {
        // UTF-16: look at every other byte.
        let ascii: Vec<u8> = head.iter().copied().filter(|&b| b != 0).collect();
        return looks_like_html(&ascii);
    }
    let lower: Vec<u8> = head
        .iter()
        .take(2048)
        .map(|b| b.to_ascii_lowercase())
        .collect();
    let has = |needle: &[u8]| lower.windows(needle.len()).any(|w| w == needle);
    let t = trim_ascii_start(&lower);
    t.starts_with(b"<!doctype html")
        || t.starts_with(b"<html")
        || has(b"<html")
        || (has(b"<body") || has(b"<table") || has(b"<head") || has(b"<meta "))
            && t.starts_with(b"<")
}

/// Text if there are almost no control bytes (other than whitespace) in the first 8 KiB.
fn looks_like_text(bytes: &[u8]) -> bool {
    let window = &bytes[..bytes.len().min(8192)];
    if window.starts_with(b"\xFF\xFE") || window.starts_with(b"\xFE\xFF") {
        return true;
    }
    let controls = window
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0C))
        .count();
    controls * 100 <= window.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_come_from_bytes() {
        assert_eq!(sniff(b"PK\x03\x04rest"), Kind::Zip);
        assert_eq!(sniff(OLE_MAGIC), Kind::Ole);
        assert_eq!(sniff(b"%PDF-1.7\n"), Kind::Pdf);
        assert_eq!(sniff(b"{\\rtf1\\ansi"), Kind::Rtf);
        assert_eq!(
            sniff(b"MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary=x\r\n\r\n"),
            Kind::Mhtml
        );
        assert_eq!(sniff(b"\xEF\xBB\xBF<!DOCTYPE html><html>"), Kind::Html);
        assert_eq!(
            sniff("  <html><body>表</body></html>".as_bytes()),
            Kind::Html
        );
        assert_eq!(sniff("景山街道2020年政府信息公开\n".as_bytes()), Kind::Text);
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n"), Kind::Binary("a PNG image"));
        assert!(matches!(
            sniff(&[0u8, 1, 2, 3, 4, 5, 6, 7, 0, 0]),
            Kind::Binary(_)
        ));
    }

    #[test]
    fn encrypted_ooxml_is_told_from_other_ole_files() {
        let mut f = OLE_MAGIC.to_vec();
        f.resize(1024, 0);
        assert!(!is_encrypted_ooxml(&f));
        let name: Vec<u8> = "EncryptedPackage"
            .encode_utf16()
            .flat_map(|u| u.to_le_bytes())
            .collect();
        let entry = 512 + 128;
        f[entry..entry + name.len()].copy_from_slice(&name);
        f[entry + 64] = (name.len() + 2) as u8;
        assert!(is_encrypted_ooxml(&f));
        // The same name elsewhere (not a directory slot) does not count.
        let mut g = OLE_MAGIC.to_vec();
        g.resize(1024, 0);
        g[600..600 + name.len()].copy_from_slice(&name);
        assert!(!is_encrypted_ooxml(&g));
        assert!(!is_encrypted_ooxml(b"PK\x03\x04"));
    }
}

//! MHT / MHTML ("single file web page", Word's and IE's web archive): a MIME message whose
//! `text/html` part is the page. The part is found (through nested multiparts), its transfer
//! encoding undone (quoted-printable, base64, 7bit/8bit), and its bytes decoded with the charset
//! its Content-Type names (verified like a `<meta>`, see [`encoding::decode_html_declared`]) or,
//! without one, as any HTML page. The HTML then goes to [`super::html::read`].

use super::encoding::{self, Decoded};
use crate::error::ReadError;
use crate::limits::{MAX_MIME_DEPTH, MAX_MIME_PARTS};

/// Finds and decodes the HTML page of an MHT file.
pub fn decode(bytes: &[u8]) -> Result<Decoded, ReadError> {
    let mut parts = 0;
    let Some(page) = find_html(bytes, 0, &mut parts) else {
        return Err(ReadError::NotAReport(
            "MHT web archive without an HTML part".into(),
        ));
    };
    let body = match page.transfer_encoding.as_str() {
        "quoted-printable" => quoted_printable(page.body),
        "base64" => base64(page.body),
        _ => page.body.to_vec(),
    };
    Ok(match page.charset {
        Some(label) => encoding::decode_html_declared(&body, &label),
        None => encoding::decode_html(&body),
    })
}

struct Part<'a> {
    transfer_encoding: String,
    charset: Option<String>,
    body: &'a [u8],
}

/// Header block and body of a MIME entity: the headers end at the first empty line.
fn split_entity(bytes: &[u8]) -> (Vec<(String, String)>, &[u8]) {
    let mut headers: Vec<(String, String)> = Vec::new();
    let mut pos = 0;
    while pos < bytes.len() {
        let end = bytes[pos..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(bytes.len(), |i| pos + i);
        let line = &bytes[pos..end];
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        let next = (end + 1).min(bytes.len());
        if line.is_empty() {
            return (headers, &bytes[next..]);
        }
        let text = String::from_utf8_lossy(line);
        if line[0] == b' ' || line[0] == b'\t' {
            // Folded continuation of the previous header.
            if let Some(last) = headers.last_mut() {
                last.1.push(' ');
                last.1.push_str(text.trim());
            }
        } else if let Some((name, value)) = text.split_once(':') {
            headers.push((name.trim().to_ascii_lowercase(), value.trim().to_string()));
        } else if headers.is_empty() {
            // Not a header at all: no header block.
            return (headers, bytes);
        }
        pos = next;
    }
    (headers, &bytes[bytes.len()..])
}

fn header<'h>(headers: &'h [(String, String)], name: &str) -> Option<&'h str> {
    headers
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
}

/// A parameter of a structured header value: `text/html; charset="gb2312"` → `gb2312`.
fn param(value: &str, name: &str) -> Option<String> {
    value.split(';').skip(1).find_map(|p| {
        let (k, v) = p.split_once('=')?;
        if k.trim().eq_ignore_ascii_case(name) {
            Some(v.trim().trim_matches('"').trim_matches('\'').to_string())
        } else {
            None
        }
    })
}

fn find_html<'a>(bytes: &'a [u8], depth: usize, parts: &mut usize) -> Option<Part<'a>> {
    let (headers, body) = split_entity(bytes);
    let ctype = header(&headers, "content-type").unwrap_or("text/html");
    let mime = ctype
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    if mime.starts_with("multipart/") {
        if depth >= MAX_MIME_DEPTH {
            return None;
        }
        let boundary = param(ctype, "boundary")?;
        for sub in split_multipart(body, boundary.as_bytes()) {
            *parts += 1;
            if *parts > MAX_MIME_PARTS {
                break;
            }
            if let Some(p) = find_html(sub, depth + 1, parts) {
                return Some(p);
            }
        }
        return None;
    }
    let location = header(&headers, "content-location")
        .unwrap_or("")
        .to_ascii_lowercase();
    let is_html = mime == "text/html"
        || mime == "application/xhtml+xml"
        || (mime.starts_with("text/")
            && (location.ends_with(".htm") || location.ends_with(".html")));
    if !is_html {
        return None;
    }
    Some(Part {
        transfer_encoding: header(&headers, "content-transfer-encoding")
            .unwrap_or("8bit")
            .trim()
            .to_ascii_lowercase(),
        charset: param(ctype, "charset"),
        body,
    })
}

/// The bodies between `--boundary` lines, up to the closing `--boundary--`.
fn split_multipart<'a>(body: &'a [u8], boundary: &[u8]) -> Vec<&'a [u8]> {
    let mut delim = b"--".to_vec();
    delim.extend_from_slice(boundary);
    let mut starts: Vec<(usize, usize, bool)> = Vec::new(); // (line start, line end, closing)
    let mut pos = 0;
    while pos < body.len() {
        let end = body[pos..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(body.len(), |i| pos + i);
        let line = &body[pos..end];
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if line.starts_with(&delim) {
            let rest = &line[delim.len()..];
            let closing = rest.starts_with(b"--");
            if closing || rest.iter().all(|b| b.is_ascii_whitespace()) {
                starts.push((pos, (end + 1).min(body.len()), closing));
                if closing || starts.len() > MAX_MIME_PARTS {
                    break;
                }
            }
        }
        pos = end + 1;
    }
    starts
        .windows(2)
        .filter(|w| !w[0].2)
        .map(|w| {
            let part = &body[w[0].1..w[1].0];
            // The line break before a delimiter belongs to the delimiter.
            let part = part.strip_suffix(b"\n").unwrap_or(part);
            part.strip_suffix(b"\r").unwrap_or(part)
        })
        .chain(
            // An unterminated last part runs to the end.
            starts.last().filter(|l| !l.2).map(|l| &body[l.1..]),
        )
        .collect()
}

fn hex(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// Quoted-printable: `=XX` is a byte, `=` at a line end is a soft break; anything else as is.
fn quoted_printable(body: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(body.len());
    let mut i = 0;
    while i < body.len() {
        let b = body[i];
        if b != b'=' {
            out.push(b);
            i += 1;
            continue;
        }
        match (body.get(i + 1), body.get(i + 2)) {
            (Some(b'\n'), _) => i += 2,
            (Some(b'\r'), Some(b'\n')) => i += 3,
            (Some(&h), Some(&l)) if hex(h).is_some() && hex(l).is_some() => {
                out.push(hex(h).unwrap_or(0) * 16 + hex(l).unwrap_or(0));
                i += 3;
            }
            _ => {
                out.push(b);
                i += 1;
            }
        }
    }
    out
}

/// Base64, ignoring line breaks and anything outside the alphabet; stops at padding.
fn base64(body: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(body.len() / 4 * 3);
    let mut acc: u32 = 0;
    let mut bits = 0;
    for &b in body {
        let v = match b {
            b'A'..=b'Z' => b - b'A',
            b'a'..=b'z' => b - b'a' + 26,
            b'0'..=b'9' => b - b'0' + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            b'=' => break,
            _ => continue,
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    out
}

/// True when the bytes start with a MIME header block that declares a multipart message or a
/// MIME version (what MHT files start with).
pub fn looks_like_mime(head: &[u8]) -> bool {
    let (headers, _) = split_entity(&head[..head.len().min(4096)]);
    let first_ok = headers.first().is_some_and(|(n, _)| {
        !n.is_empty()
            && n.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    });
    first_ok
        && (header(&headers, "mime-version").is_some()
            || header(&headers, "content-type").is_some_and(|v| {
                v.to_ascii_lowercase()
                    .trim_start()
                    .starts_with("multipart/")
            }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_printable_decodes_bytes_and_soft_breaks() {
        assert_eq!(quoted_printable(b"a=3Db=\r\nc=C4=E3"), b"a=bc\xC4\xE3");
        assert_eq!(quoted_printable(b"x=\ny = z"), b"xy = z");
    }

    #[test]
    fn base64_decodes_across_lines() {
        assert_eq!(base64(b"5pmv5bGx\r\n6KGX6YGT"), "景山街道".as_bytes());
        assert_eq!(base64(b"YQ=="), b"a");
    }

    fn mht(cte: &str, charset: &str, body: &[u8]) -> Vec<u8> {
        let mut v = format!(
            "From: <Saved by Windows Internet Explorer 8>\r\nMIME-Version: 1.0\r\n\
             Content-Type: multipart/related;\r\n\tboundary=\"----=_NextPart_000\"\r\n\r\n\
             This is a multi-part message in MIME format.\r\n\r\n------=_NextPart_000\r\n\
             Content-Type: image/png\r\nContent-Transfer-Encoding: base64\r\n\r\niVBORw0K\r\n\
             ------=_NextPart_000\r\nContent-Type: text/html; charset=\"{charset}\"\r\n\
             Content-Transfer-Encoding: {cte}\r\n\r\n"
        )
        .into_bytes();
        v.extend_from_slice(body);
        v.extend_from_slice(b"\r\n------=_NextPart_000--\r\n");
        v
    }

    #[test]
    fn the_html_part_is_found_and_decoded_with_its_charset() {
        // 景山 in GBK is BE B0 C9 BD.
        let d = decode(&mht(
            "quoted-printable",
            "gb2312",
            b"<html><body><p>=BE=B0=C9=BD</p></body></html>",
        ))
        .expect("decodes");
        assert!(d.text.contains("<p>景山</p>"), "{}", d.text);
        assert_eq!(d.encoding, "gbk");
        let d = decode(&mht("base64", "utf-8", b"PHA+5pmv5bGxPC9wPg==")).expect("decodes");
        assert_eq!(d.text, "<p>景山</p>");
        assert_eq!(d.encoding, "utf-8");
    }

    #[test]
    fn mime_is_recognised_by_its_headers() {
        assert!(looks_like_mime(&mht("8bit", "utf-8", b"<html></html>")));
        assert!(looks_like_mime(
            b"MIME-Version: 1.0\nContent-Type: text/html\n\n<html>"
        ));
        assert!(!looks_like_mime(b"<html><head><meta charset=utf-8>"));
        assert!(!looks_like_mime("景山街道: 2020年\n\n".as_bytes()));
        assert!(!looks_like_mime(b"Title: report\n\nsome text"));
    }

    #[test]
    fn an_archive_without_html_is_refused() {
        let v = b"MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary=b\r\n\r\n--b\r\nContent-Type: image/png\r\n\r\nxx\r\n--b--\r\n";
        assert!(matches!(decode(v), Err(ReadError::NotAReport(_))));
    }
}

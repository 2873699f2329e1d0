//! One file through the whole pipeline: read → sections and tables → template mapping →
//! rules → confidence → record. Nothing here panics out: a panic becomes a `failed` record.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;

use std::borrow::Cow;

use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::confidence::{self, DocDoubt};
use crate::error::ReadError;
use crate::layout::{meta, regions, sections};
use crate::limits::MAX_FILE_BYTES;
use crate::model::Block;
use crate::read;
use crate::record::{number, prob, FieldOut, Fields, Record, Report, SectionOut, Source, Status};
use crate::rules::{self, Context};
use crate::template::detect::Template;
use crate::template::label::push_normalized;
use crate::template::map::map_tables;

/// Reads and processes one file; never panics.
pub fn process_path(path: &Path, display: &str) -> Record {
    let mut source = Source {
        path: display.to_string(),
        sha256: String::new(),
        bytes: 0,
        format: None,
        encoding: None,
    };
    let bytes = match read_limited(path) {
        Ok(b) => b,
        Err(e) => {
            if let ReadError::TooLarge { size, .. } = &e {
                source.bytes = *size;
            }
            return Record::failed(source, e.to_string());
        }
    };
    process_bytes(&bytes, source)
}

/// A `failed` record for a file whose processing was stopped from outside (time budget, a
/// worker process that died), with the source facts filled in when the file can be read.
pub fn failed_for_path(path: &Path, display: &str, error: String) -> Record {
    let mut source = Source {
        path: display.to_string(),
        sha256: String::new(),
        bytes: 0,
        format: None,
        encoding: None,
    };
    if let Ok(bytes) = read_limited(path) {
        source.bytes = bytes.len() as u64;
        source.sha256 = sha256_hex(&bytes);
    }
    Record::failed(source, error)
}

/// Reads a whole file, refusing one over [`MAX_FILE_BYTES`].
pub fn read_limited(path: &Path) -> Result<Vec<u8>, ReadError> {
    let meta = std::fs::metadata(path)?;
    if meta.len() > MAX_FILE_BYTES {
        return Err(ReadError::TooLarge {
            size: meta.len(),
            limit: MAX_FILE_BYTES,
        });
    }
    Ok(std::fs::read(path)?)
}

/// Processes bytes already in memory.
pub fn process_bytes(bytes: &[u8], mut source: Source) -> Record {
    source.sha256 = sha256_hex(bytes);
    process_hashed(bytes, source)
}

/// The sha256 of some bytes as lowercase hex, as in `source.sha256`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// Processes bytes whose sha256 is already in `source.sha256` (ingest hashes first to skip
/// files it has seen).
pub fn process_hashed(bytes: &[u8], mut source: Source) -> Record {
    source.bytes = bytes.len() as u64;
    let fallback = source.clone();
    match catch_unwind(AssertUnwindSafe(|| build(bytes, source))) {
        Ok(r) => r,
        Err(panic) => {
            let what = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown".into());
            Record::failed(
                fallback,
                format!(
                    "internal error while reading this file ({})",
                    what.lines().next().unwrap_or("")
                ),
            )
        }
    }
}

/// The paragraphs before block `end`, separated by `\n`.
fn preamble_text(doc: &crate::model::Document, end: usize) -> String {
    let mut text = String::new();
    for b in &doc.blocks[..end.min(doc.blocks.len())] {
        if let Block::Paragraph(p) = b {
            if !text.is_empty() {
                text.push('\n');
            }
            text.push_str(p.trim());
        }
    }
    text
}

fn hex(b: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(b.len() * 2);
    for x in b {
        s.push(DIGITS[(x >> 4) as usize] as char);
        s.push(DIGITS[(x & 15) as usize] as char);
    }
    s
}

fn build(bytes: &[u8], mut source: Source) -> Record {
    let read = match read::read_bytes(bytes) {
        Ok(r) => r,
        Err(e) => return Record::failed(source, e.to_string()),
    };
    source.format = Some(read.format.to_string());
    source.encoding = Some(read.encoding.clone());
    test_hooks(bytes);
    process_document(read.document, source)
}

/// Debug builds only: files carrying a marker misbehave on purpose when the matching
/// environment variable is set, so tests can check the per-file guards (panic, time budget,
/// a worker process dying). Release builds never look.
fn test_hooks(bytes: &[u8]) {
    if !cfg!(debug_assertions) {
        return;
    }
    let has = |m: &[u8]| bytes.windows(m.len()).any(|w| w == m);
    if std::env::var_os("XXGK_TEST_PANIC").is_some() && has(b"xxgk-test-panic") {
        panic!("test hook: XXGK_TEST_PANIC");
    }
    if std::env::var_os("XXGK_TEST_ABORT").is_some() && has(b"xxgk-test-abort") {
        std::process::abort();
    }
    if let Some(ms) = std::env::var("XXGK_TEST_SLOW_MS")
        .ok()
        .and_then(|v| v.parse::<u64>().ok())
    {
        if has(b"xxgk-test-slow") {
            std::thread::sleep(std::time::Duration::from_millis(ms));
        }
    }
}

/// Layout, template mapping, rules and confidence on a document already read; `source` should
/// carry the format and encoding. Exposed for the mapper fuzz target.
pub fn process_document(doc: crate::model::Document, source: Source) -> Record {
    let secs = sections::find_sections(&doc);
    let meta = meta::find_meta(&doc);
    let parts = regions::table_parts(&doc, &secs);
    let mut all_text = String::new();
    for b in &doc.blocks {
        if let Block::Paragraph(p) = b {
            push_normalized(&mut all_text, p);
        }
    }
    let mapped = map_tables(&parts, &all_text);
    let template = mapped.template.unwrap_or(Template::Unknown);

    if !mapped.found.iter().any(|f| *f) && secs.len() < 2 {
        let what = if doc.blocks.is_empty() {
            "no text found"
        } else {
            "no official table or part heading found"
        };
        let mut r = Record::failed(
            source,
            format!("not a government information-disclosure annual report: {what}"),
        );
        // Reader notes (a limit that cut the document, say) explain many such failures.
        r.warnings = doc.warnings.clone();
        return r;
    }

    // Each part's narrative, for the record and for the text rules; the lines before the
    // first part (where the statistics period is usually stated) as `preamble`.
    let section_texts: Vec<String> = secs
        .iter()
        .map(|s| sections::section_text(&doc, s))
        .collect();
    let preamble = preamble_text(&doc, secs.first().map_or(doc.blocks.len(), |s| s.start));
    let mut texts: Vec<(&'static str, &str)> = vec![("preamble", preamble.as_str())];
    texts.extend(
        secs.iter()
            .zip(&section_texts)
            .map(|(s, t)| (s.key, t.as_str())),
    );
    let ctx = Context {
        mapped: &mapped,
        template,
        year: meta.year,
        sections: secs.iter().map(|s| s.key).collect(),
        texts,
        title: meta.title.as_deref(),
        organization: meta.organization.as_deref(),
        derived: Default::default(),
    };
    let (violations, assessments) = rules::run(&ctx);

    // Strict identities each field took part in and that held.
    let checks = rules::field_checks(&ctx);
    let doubt = DocDoubt {
        charset_guessed: doc.warnings.iter().any(|w| w.starts_with("charset_")),
        truncated: doc.warnings.iter().any(|w| w.starts_with("truncated")),
        grid_anomalies: doc
            .warnings
            .iter()
            .any(|w| w.contains("merge") || w.contains("grid")),
    };
    let features = confidence::features(&mapped.fields, doubt, &checks, &violations);
    let conf = confidence::score_fields(&features);

    let fields = Fields::from_entries(
        mapped
            .fields
            .iter()
            .zip(&conf)
            .map(|(f, c)| {
                let cell = FieldOut {
                    value: f.cell.value.map(number).unwrap_or(Value::Null),
                    raw: f.cell.raw.clone(),
                    state: Cow::Borrowed(f.cell.state.as_str()),
                    confidence: prob(*c),
                };
                (f.key.clone(), cell)
            })
            .collect(),
    );
    let complete =
        mapped.found.iter().all(|f| *f) && !violations.iter().any(|v| v.rule == "S-TABLES");
    let status = if complete {
        Status::Ok
    } else {
        Status::Partial
    };
    let mut warnings = doc.warnings.clone();
    warnings.extend(mapped.issues.iter().map(|i| i.message.clone()));
    drop(ctx);
    let sections_out = secs
        .iter()
        .zip(section_texts)
        .map(|(s, text)| SectionOut {
            key: s.key.to_string(),
            heading: s.heading.clone(),
            text,
        })
        .collect();
    let record_conf = if mapped.fields.is_empty() {
        0.0
    } else {
        confidence::record_confidence(&conf)
    };
    Record {
        schema: crate::record::SCHEMA,
        source,
        status,
        error: None,
        report: Some(Report {
            title: meta.title,
            organization_key: meta.organization.as_deref().map(crate::layout::org::key),
            organization: meta.organization,
            year: meta.year,
            template: template.as_str().to_string(),
        }),
        sections: sections_out,
        fields,
        violations,
        assessments,
        warnings,
        confidence: prob(record_conf),
        field_features: mapped
            .fields
            .iter()
            .map(|f| f.key.clone())
            .zip(features)
            .collect(),
    }
}

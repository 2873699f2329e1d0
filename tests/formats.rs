//! Formats beyond docx/HTML/text: renditions of one report in every format and encoding give
//! the same fields as the original; misnamed files go to the reader their bytes call for;
//! non-Word OLE, encrypted and hostile files are refused with a one-line reason, never a crash.

mod common;

use std::io::{Cursor, Read as _, Write as _};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use common::{extract, root, use_worker};
use serde_json::Value;
use xxgk::error::ReadError;
use xxgk::model::Block;
use xxgk::pipeline::process_bytes;
use xxgk::read::isolate::run_worker;
use xxgk::read::legacy::WireResult;
use xxgk::record::{Record, Source};

const PREFIXES: &[&str] = &["lo_", "wps_", "word_", "mht_", "enc_", "misnamed_"];

fn corpus() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(root().join("corpus"))
        .expect("corpus/")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    v.sort();
    v
}

fn name(p: &Path) -> String {
    p.file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default()
        .to_string()
}

/// The generated original a rendition was made from: `lo_<stem>.doc` → `corpus/<stem>.*`.
fn original_of(rendition: &Path, files: &[PathBuf]) -> Option<PathBuf> {
    let n = name(rendition);
    let stem = n.split('.').next()?;
    files
        .iter()
        .filter(|f| !PREFIXES.iter().any(|p| name(f).starts_with(p)))
        .find(|f| {
            let fs = name(f);
            let fstem = fs.split('.').next().unwrap_or_default();
            stem.ends_with(&format!("_{fstem}"))
        })
        .cloned()
}

fn json(r: &Record) -> Value {
    serde_json::to_value(r).expect("record serialises")
}

/// The canonical content of a record: report identity and every field's state and value.
fn canonical(r: &Record) -> Value {
    let v = json(r);
    let fields: serde_json::Map<String, Value> = v["fields"]
        .as_object()
        .map(|m| {
            m.iter()
                .map(|(k, f)| {
                    (
                        k.clone(),
                        serde_json::json!({"state": f["state"], "value": f["value"]}),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    serde_json::json!({
        "status": v["status"],
        "organization": v["report"]["organization"],
        "year": v["report"]["year"],
        "template": v["report"]["template"],
        "fields": fields,
    })
}

#[test]
fn every_rendition_has_the_fields_of_its_original() {
    let files = corpus();
    let renditions: Vec<&PathBuf> = files
        .iter()
        .filter(|f| PREFIXES.iter().any(|p| name(f).starts_with(p)))
        .collect();
    assert!(renditions.len() >= 40, "{} renditions", renditions.len());
    let mut differ = Vec::new();
    for r in renditions {
        let orig = original_of(r, &files).unwrap_or_else(|| panic!("no original for {r:?}"));
        let (a, b) = (canonical(&extract(&orig)), canonical(&extract(r)));
        assert_eq!(a["status"], "ok", "{}", orig.display());
        if a != b {
            let (fa, fb) = (&a["fields"], &b["fields"]);
            let mut keys: Vec<String> = Vec::new();
            if let (Some(ma), Some(mb)) = (fa.as_object(), fb.as_object()) {
                for (k, va) in ma {
                    if mb.get(k) != Some(va) {
                        keys.push(format!("{k}: {va} vs {:?}", mb.get(k)));
                    }
                }
                for k in mb.keys().filter(|k| !ma.contains_key(*k)) {
                    keys.push(format!("{k}: only in the rendition"));
                }
            }
            differ.push(format!(
                "{} differs from {}: status {} vs {}, {} fields: {}",
                name(r),
                name(&orig),
                a["status"],
                b["status"],
                keys.len(),
                keys.iter().take(3).cloned().collect::<Vec<_>>().join("; ")
            ));
        }
    }
    assert!(differ.is_empty(), "{}", differ.join("\n"));
}

fn source_of(r: &Record) -> (String, String) {
    let v = json(r);
    (
        v["source"]["format"].as_str().unwrap_or("-").to_string(),
        v["source"]["encoding"].as_str().unwrap_or("-").to_string(),
    )
}

#[test]
fn each_format_and_encoding_is_named_in_the_record() {
    let stem = "v2021_11_zhongshan_2021";
    let cases = [
        (format!("enc_utf8bom_{stem}.html"), "html", "utf-8"),
        (format!("enc_utf8nometa_{stem}.html"), "html", "utf-8"),
        (format!("enc_utf8lying_{stem}.html"), "html", "utf-8"),
        (format!("enc_gb18030_{stem}.html"), "html", "gb18030"),
        (format!("enc_gbknometa_{stem}.html"), "html", "gbk"),
        (format!("enc_big5_{stem}.html"), "html", "big5"),
        (format!("enc_big5lying_{stem}.html"), "html", "big5"),
        (format!("{stem}.html"), "html", "gbk"),
        (format!("lo_{stem}.doc"), "doc", "utf-16le"),
        (format!("lo_{stem}.docx"), "docx", "utf-8"),
        (format!("lo_{stem}.html"), "html", "utf-8"),
        (format!("lo_{stem}.rtf"), "rtf", "utf-16"),
        (format!("mht_{stem}.mht"), "mhtml", "gbk"),
        (format!("mht_{stem}.mhtml"), "mhtml", "gbk"),
        // The bytes decide, not the name.
        (
            "misnamed_rtf_seed_jingshan_2020.doc".into(),
            "rtf",
            "utf-16",
        ),
        ("misnamed_html_seed_jingshan_2020.doc".into(), "html", "gbk"),
        (
            "misnamed_doc_seed_jingshan_2020.docx".into(),
            "doc",
            "utf-16le",
        ),
    ];
    let mut wrong = Vec::new();
    for (file, format, encoding) in cases {
        let r = extract(&root().join("corpus").join(&file));
        let got = source_of(&r);
        if got != (format.to_string(), encoding.to_string()) {
            wrong.push(format!("{file}: {got:?}, expected ({format}, {encoding})"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

fn run(bytes: &[u8], path: &str) -> Record {
    use_worker();
    process_bytes(
        bytes,
        Source {
            path: path.into(),
            sha256: String::new(),
            bytes: 0,
            format: None,
            encoding: None,
        },
    )
}

fn error_of(r: &Record) -> String {
    let v = json(r);
    assert_eq!(v["status"], "failed", "{v}");
    v["error"].as_str().unwrap_or_default().to_string()
}

#[test]
fn a_pdf_named_html_goes_to_the_pdf_reader() {
    let e = error_of(&run(
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n",
        "report.html",
    ));
    // A truncated PDF: the PDF reader says what is wrong with it, whatever the name says.
    assert!(e.to_lowercase().contains("pdf"), "{e}");
}

fn ole_with(streams: &[(&str, &[u8])]) -> Vec<u8> {
    let mut comp = cfb::CompoundFile::create(Cursor::new(Vec::new())).expect("create");
    for (name, data) in streams {
        comp.create_stream(name)
            .expect("stream")
            .write_all(data)
            .expect("write");
    }
    comp.into_inner().into_inner()
}

#[test]
fn ole_files_that_are_not_word_are_refused_clearly() {
    let xls = error_of(&run(&ole_with(&[("Workbook", b"\x09\x08")]), "a.doc"));
    assert!(
        xls.contains("Excel") && xls.starts_with("not a report"),
        "{xls}"
    );
    let ppt = error_of(&run(
        &ole_with(&[("PowerPoint Document", b"\0\0")]),
        "a.doc",
    ));
    assert!(ppt.contains("PowerPoint"), "{ppt}");
    let other = error_of(&run(&ole_with(&[("Contents", b"x")]), "a.wps"));
    assert!(other.contains("without a WordDocument stream"), "{other}");
}

#[test]
fn encrypted_office_files_are_named_encrypted() {
    let docx = error_of(&run(
        &ole_with(&[
            ("EncryptionInfo", b"\x04\0\x04\0"),
            ("EncryptedPackage", b"xx"),
        ]),
        "a.docx",
    ));
    assert_eq!(docx, "encrypted or password-protected document");
    // A Word 97 file with fEncrypted set in its FIB.
    let doc = std::fs::read(root().join("corpus/lo_seed_jingshan_2020.doc")).expect("doc");
    let mut comp = cfb::CompoundFile::open(Cursor::new(doc)).expect("ole");
    let mut wd = Vec::new();
    comp.open_stream("WordDocument")
        .expect("WordDocument")
        .read_to_end(&mut wd)
        .expect("read");
    wd[0x0B] |= 0x01; // flags at 0x0A: fEncrypted = 0x0100
    comp.open_stream("WordDocument")
        .expect("WordDocument")
        .write_all(&wd)
        .expect("write");
    comp.flush().expect("flush");
    let bytes = comp.into_inner().into_inner();
    let e = error_of(&run(&bytes, "a.doc"));
    assert_eq!(e, "encrypted or password-protected document");
}

#[test]
fn broken_and_mangled_doc_files_give_records_not_crashes() {
    let doc = std::fs::read(root().join("corpus/lo_v2019_02_xinhua_2020.doc")).expect("doc");
    let mut inputs: Vec<Vec<u8>> = vec![
        doc[..8].to_vec(),
        doc[..doc.len() / 2].to_vec(),
        doc[..512].to_vec(),
    ];
    // Deterministic byte damage across the whole file (FIB, piece table, FKPs, FAT).
    let mut x: u32 = 0x9E37_79B9;
    for _ in 0..12 {
        let mut d = doc.clone();
        for _ in 0..40 {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            let at = x as usize % d.len();
            d[at] = (x >> 24) as u8;
        }
        inputs.push(d);
    }
    for (i, bytes) in inputs.iter().enumerate() {
        let started = Instant::now();
        let r = run(bytes, &format!("mangled{i}.doc"));
        let v = json(&r);
        assert!(
            ["ok", "partial", "failed"].contains(&v["status"].as_str().unwrap_or_default()),
            "{i}: {v}"
        );
        if v["status"] == "failed" {
            let e = v["error"].as_str().unwrap_or_default();
            assert!(!e.is_empty() && !e.contains('\n'), "{i}: {e}");
        }
        assert!(started.elapsed() < Duration::from_secs(40), "{i} too slow");
    }
}

fn exe() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_xxgk"))
}

#[test]
fn a_hanging_reader_is_killed_at_the_timeout() {
    let started = Instant::now();
    let r = run_worker(&exe(), "selftest-hang", b"x", Duration::from_millis(700));
    assert!(
        matches!(&r, Err(ReadError::Limit(m)) if m.contains("was stopped")),
        "{r:?}"
    );
    assert!(started.elapsed() < Duration::from_secs(10));
}

#[test]
fn a_crashing_or_babbling_reader_is_a_failed_read() {
    let r = run_worker(&exe(), "selftest-abort", b"x", Duration::from_secs(20));
    assert!(
        matches!(&r, Err(ReadError::Corrupt { detail, .. }) if detail.contains("ended abnormally")),
        "{r:?}"
    );
    let r = run_worker(&exe(), "selftest-garbage", b"x", Duration::from_secs(20));
    assert!(
        matches!(&r, Err(ReadError::Corrupt { detail, .. }) if detail.contains("unreadable answer")),
        "{r:?}"
    );
    // A large input is written while the worker runs (no pipe deadlock).
    let big = vec![b'x'; 8 << 20];
    let r = run_worker(&exe(), "rtf", &big, Duration::from_secs(20));
    assert!(!matches!(r, Err(ReadError::Limit(_))), "{r:?}");
    assert!(matches!(
        run_worker(
            &exe(),
            "ole",
            b"\xD0\xCF\x11\xE0 not really",
            Duration::from_secs(20)
        ),
        Ok(WireResult::Corrupt(_))
    ));
}

/// A hand-written RTF in code page 936 with both kinds of merged cells.
#[test]
fn rtf_tables_keep_horizontal_and_vertical_merges() {
    // 项目 = cf ee c4 bf, 本年 = b1 be c4 ea, 合计 = ba cf bc c6 (GBK)
    let rtf = br"{\rtf1\ansi\ansicpg936\deff0{\fonttbl{\f0\fnil\fcharset134 SimSun;}}
{\*\generator Hand;}{\info{\title secret}}{\colortbl;\red0\green0\blue0;}
{\stylesheet{\s0 Normal;}}
\pard\plain \'cf\'ee\'c4\'bf\par
\trowd\clvmgf\cellx1000\clmgf\cellx2000\clmrg\cellx3000
\pard\intbl \'cf\'ee\'c4\'bf\cell \'b1\'be\'c4\'ea\cell \cell\row
\trowd\clvmrg\cellx1000\cellx2000\cellx3000
\pard\intbl \cell 1\cell \u21512?\u35745?\cell\row
\pard {\*\bkmkstart x}after{\pict\pngblip 89504e47}\par}";
    let read = xxgk::read::read_bytes(rtf).expect("reads");
    assert_eq!(read.format, "rtf");
    assert_eq!(read.encoding, "gbk");
    let doc = read.document;
    let texts: Vec<String> = doc
        .blocks
        .iter()
        .filter_map(|b| match b {
            Block::Paragraph(p) => Some(p.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(texts, vec!["项目".to_string(), "after".to_string()]);
    let t = doc
        .blocks
        .iter()
        .find_map(|b| match b {
            Block::Table(t) => Some(t),
            _ => None,
        })
        .expect("a table");
    assert_eq!((t.rows(), t.cols()), (2, 3));
    let at = |r, c| t.cell_at(r, c).map(|(i, c)| (i, c.text.clone()));
    assert_eq!(at(0, 0).map(|x| x.1), Some("项目".into()));
    assert_eq!(at(1, 0), at(0, 0), "vertical merge");
    assert_eq!(at(0, 1).map(|x| x.1), Some("本年".into()));
    assert_eq!(at(0, 2), at(0, 1), "horizontal merge");
    assert_eq!(at(1, 1).map(|x| x.1), Some("1".into()));
    assert_eq!(at(1, 2).map(|x| x.1), Some("合计".into()));
}

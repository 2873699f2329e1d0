//! Legacy .doc/.wps (OLE) and RTF: the anydoc-based reader, in process (the pipeline runs it in
//! a worker process; here its own robustness is measured), then our grid rebuild.
#![no_main]
use libfuzzer_sys::fuzz_target;
use xxgk::read::legacy::{parse, to_document, LegacyKind};

fuzz_target!(|data: &[u8]| {
    let kind = if data.starts_with(b"{\\rtf") { LegacyKind::Rtf } else { LegacyKind::Ole };
    if let Ok(wire) = parse(kind, data).into_result(kind) {
        let doc = to_document(wire);
        for b in &doc.blocks {
            if let xxgk::model::Block::Table(t) = b {
                assert!(t.rows() * t.cols() <= xxgk::limits::MAX_TABLE_CELLS);
            }
        }
    }
});

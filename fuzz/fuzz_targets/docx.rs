//! The docx reader on arbitrary bytes: never panics, never grows past the limits.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(doc) = xxgk::read::docx::read(data) {
        xxgk_fuzz_check(&doc);
    }
});

fn xxgk_fuzz_check(doc: &xxgk::model::Document) {
    for b in &doc.blocks {
        if let xxgk::model::Block::Table(t) = b {
            assert!(t.rows() <= xxgk::limits::MAX_TABLE_ROWS);
            assert!(t.cols() <= xxgk::limits::MAX_TABLE_COLS);
            assert!(t.rows() * t.cols() <= xxgk::limits::MAX_TABLE_CELLS);
        }
    }
}

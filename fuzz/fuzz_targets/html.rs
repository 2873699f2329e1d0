//! HTML with charset detection: decode_html then the HTML reader.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let decoded = xxgk::read::encoding::decode_html(data);
    let doc = xxgk::read::html::read(&decoded.text);
    // The pre-pass must not change the tree the reader walks.
    if decoded.text.len() < 16_384 {
        if let Err(e) = xxgk::read::html::slim_check(&decoded.text) {
            panic!("{e}");
        }
    }
    for b in &doc.blocks {
        if let xxgk::model::Block::Table(t) = b {
            assert!(t.rows() * t.cols() <= xxgk::limits::MAX_TABLE_CELLS);
        }
    }
});

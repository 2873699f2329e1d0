//! MHT/MHTML: MIME multipart, quoted-printable and base64, the HTML part's charset, then the
//! HTML reader.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(decoded) = xxgk::read::mhtml::decode(data) {
        let doc = xxgk::read::html::read(&decoded.text);
        for b in &doc.blocks {
            if let xxgk::model::Block::Table(t) = b {
                assert!(t.rows() * t.cols() <= xxgk::limits::MAX_TABLE_CELLS);
            }
        }
    }
});

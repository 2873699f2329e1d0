//! The plain-text reader after text decoding.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let decoded = xxgk::read::encoding::decode_text(data);
    let _ = xxgk::read::text::read(&decoded.text);
});

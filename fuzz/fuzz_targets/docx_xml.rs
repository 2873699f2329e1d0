//! Differential: on any document.xml text, the fast prefix-matching path of the docx reader
//! either declines (and the NsReader path reads it) or gives exactly what NsReader gives.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(xml) = std::str::from_utf8(data) {
        assert!(xxgk::read::docx::fast_path_agrees(xml));
    }
});

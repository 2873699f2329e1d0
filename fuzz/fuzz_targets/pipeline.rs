//! The whole pipeline on arbitrary bytes: sniffing, every reader, layout, mapping, rules, the
//! record. process_bytes catches panics itself, so a panic is turned back into a crash here:
//! an "internal error" record is a finding.
#![no_main]
use libfuzzer_sys::fuzz_target;
use xxgk::record::Source;

fuzz_target!(|data: &[u8]| {
    let source = Source {
        path: "fuzz".into(),
        sha256: String::new(),
        bytes: 0,
        format: None,
        encoding: None,
    };
    let r = xxgk::pipeline::process_bytes(data, source);
    if let Some(e) = &r.error {
        assert!(!e.starts_with("internal error"), "{e}");
        assert!(!e.contains('\n'), "{e}");
    }
    let line = serde_json::to_string(&r).expect("record serialises");
    assert!(!line.contains('\n'));
});

//! The template mapper on arbitrary tables: the bytes are a small program that builds a
//! document from a dictionary of the templates' own labels, headings and numbers
//! (`xxgk::fuzzing::table_program`), which then goes through layout,
//! `template::map::map_tables`, the rules and confidence (`pipeline::process_document`).
#![no_main]
use libfuzzer_sys::fuzz_target;
use xxgk::record::Source;

fuzz_target!(|data: &[u8]| {
    let doc = xxgk::fuzzing::table_program(data);
    let source = Source {
        path: "fuzz".into(),
        sha256: String::new(),
        bytes: data.len() as u64,
        format: Some("fuzz".into()),
        encoding: Some("utf-8".into()),
    };
    let r = xxgk::pipeline::process_document(doc, source);
    if let Some(e) = &r.error {
        assert!(!e.starts_with("internal error"), "{e}");
    }
    let _ = serde_json::to_string(&r).expect("record serialises");
});

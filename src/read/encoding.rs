//! Character encodings from the bytes: BOM, declared charset, UTF-8 validity, detection.
//! (placeholder: replaced by the real implementation)

pub struct Decoded {
    pub text: String,
    /// WHATWG name in lower case: `utf-8`, `gbk`, `gb18030`, `big5`, `utf-16le`, …
    pub encoding: String,
    pub warnings: Vec<String>,
}

pub fn decode_html(bytes: &[u8]) -> Decoded {
    decode_text(bytes)
}

pub fn decode_text(bytes: &[u8]) -> Decoded {
    Decoded {
        text: String::from_utf8_lossy(bytes).into_owned(),
        encoding: "utf-8".into(),
        warnings: vec![],
    }
}

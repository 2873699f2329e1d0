//! Every resource limit in one place. A file that hits one gets a `failed` or `partial` record
//! naming the limit; no limit is ever an abort.

/// Largest input file read at all.
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;
/// Zip: most entries in one package.
pub const MAX_ZIP_ENTRIES: usize = 10_000;
/// Zip: largest inflated size of one part we read.
pub const MAX_ZIP_PART_BYTES: u64 = 64 * 1024 * 1024;
/// Zip: largest total inflated size declared by a package.
pub const MAX_ZIP_TOTAL_BYTES: u64 = 256 * 1024 * 1024;
/// Zip: largest ratio of declared inflated to compressed size for the parts we read.
pub const MAX_ZIP_RATIO: u64 = 200;
/// Zip: the ratio limit applies only to parts declaring more inflated bytes than this.
pub const MAX_ZIP_RATIO_MIN_BYTES: u64 = 1024 * 1024;
/// XML: deepest element nesting followed.
pub const MAX_XML_DEPTH: usize = 256;
/// XML: most events (start/end/empty elements, text nodes) read from one part: the element
/// count limit. A real report's document.xml has about 70 events per KB (the seed: 12 k events
/// in 167 KB), so this is about 50 MB of ordinary Word XML, and it bounds the blocks a part can
/// yield well below the part size limit.
pub const MAX_XML_EVENTS: usize = 4_000_000;
/// Tables: most rows and columns in one grid.
pub const MAX_TABLE_ROWS: usize = 5_000;
pub const MAX_TABLE_COLS: usize = 256;
/// Tables: most grid slots (rows × columns) in one table, so a hostile 5000 × 256 grid never
/// allocates a million cells; rows past it are dropped with a warning.
pub const MAX_TABLE_CELLS: usize = 200_000;
/// HTML: deepest element nesting walked.
pub const MAX_HTML_DEPTH: usize = 512;
/// HTML: largest page parsed (bytes); a bigger page is refused before any tree is built.
pub const MAX_HTML_BYTES: usize = 16 * 1024 * 1024;
/// HTML: most tags (start and end: a stray `</p>` makes an element too) parsed; the page is
/// cut there. The tree builder's memory is proportional to its nodes (about 300 bytes each with
/// our arena), and a real Word-HTML report has about 28 tags per KB (the seed: 3,838 in 136 KB),
/// so this is about 7 MB of such a page.
pub const MAX_HTML_ELEMENTS: usize = 200_000;
/// Plain text: most lines read; the rest is ignored with a warning.
pub const MAX_TEXT_LINES: usize = 200_000;
/// Text kept per cell; longer text is cut (with a warning).
pub const MAX_CELL_CHARS: usize = 20_000;
/// Bytes of an HTML page searched for a `<meta charset>` / `<?xml encoding?>` declaration
/// (browsers use 1024; CMS pages often put scripts and styles first).
pub const CHARSET_PRESCAN_BYTES: usize = 4096;
/// Bytes fed to the charset detector.
pub const CHARSET_SNIFF_BYTES: usize = 64 * 1024;
/// Legacy readers (.doc, RTF) run in a worker process: wall time before it is killed,
pub const LEGACY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);
/// its CPU time limit (seconds),
pub const LEGACY_CPU_SECONDS: u64 = 30;
/// its address-space limit,
pub const LEGACY_MEMORY_BYTES: u64 = 2 * 1024 * 1024 * 1024;
/// and the most output read back from it.
pub const MAX_WORKER_OUTPUT_BYTES: usize = 64 * 1024 * 1024;
/// MHT: most MIME parts looked at, and deepest multipart nesting followed.
pub const MAX_MIME_PARTS: usize = 1_000;
pub const MAX_MIME_DEPTH: usize = 4;
/// PDF: most pages read.
pub const MAX_PDF_PAGES: usize = 2_000;
/// PDF: largest decompressed size of one stream (page content, form, font map).
pub const MAX_PDF_STREAM_BYTES: usize = 64 * 1024 * 1024;
/// PDF: most content-stream operators interpreted in one document.
pub const MAX_PDF_OPS: usize = 20_000_000;
/// PDF: most glyphs kept in one document.
pub const MAX_PDF_GLYPHS: usize = 2_000_000;
/// PDF: most ruling segments kept on one page.
pub const MAX_PDF_SEGMENTS: usize = 100_000;
/// PDF: deepest nesting of form XObjects followed.
pub const MAX_PDF_XOBJECT_DEPTH: usize = 8;

// Each limit is tested where it bites and at the record level (the error or warning names it):
// `tests/hostile.rs` (`every_limit_is_named_in_the_record` for MAX_FILE_BYTES, MAX_ZIP_ENTRIES,
// MAX_ZIP_PART_BYTES, MAX_ZIP_RATIO, MAX_XML_EVENTS, MAX_HTML_BYTES, MAX_HTML_ELEMENTS,
// MAX_TEXT_LINES, MAX_CELL_CHARS; the committed files of `corpus/hostile/` for
// MAX_ZIP_TOTAL_BYTES, overlapping entries, MAX_XML_DEPTH, MAX_HTML_DEPTH, MAX_TABLE_ROWS,
// MAX_TABLE_COLS, MAX_TABLE_CELLS), and unit tests in `read/docx.rs`, `read/html.rs`,
// `read/text.rs` and `model.rs`.

// The limits agree with each other, checked at compile time.
const _: () = {
    // The cell cap must bite before the row and column caps multiply out.
    assert!(MAX_TABLE_CELLS < MAX_TABLE_ROWS * MAX_TABLE_COLS);
    assert!(MAX_TABLE_CELLS >= MAX_TABLE_COLS);
    assert!(MAX_ZIP_PART_BYTES <= MAX_ZIP_TOTAL_BYTES);
    assert!(MAX_ZIP_RATIO_MIN_BYTES < MAX_ZIP_PART_BYTES);
    assert!((MAX_HTML_BYTES as u64) <= MAX_FILE_BYTES);
    // The element limit is reachable within the part size limit (an empty element is at least
    // 4 bytes), so it is the one that bounds a part's events.
    assert!((MAX_XML_EVENTS as u64) * 4 < MAX_ZIP_PART_BYTES);
    assert!(CHARSET_PRESCAN_BYTES <= CHARSET_SNIFF_BYTES);
};

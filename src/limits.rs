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
/// XML: most events (elements, text nodes) read from one part.
pub const MAX_XML_EVENTS: usize = 20_000_000;
/// Tables: most rows and columns in one grid.
pub const MAX_TABLE_ROWS: usize = 5_000;
pub const MAX_TABLE_COLS: usize = 256;
/// HTML: deepest element nesting walked.
pub const MAX_HTML_DEPTH: usize = 512;
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

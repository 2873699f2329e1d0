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
/// HTML: most start tags parsed; the page is cut there (the tree builder's memory is about
/// proportional to the elements).
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

//! Typed reading errors. Each renders as the one-line reason a `failed` record carries.

use thiserror::Error;

#[derive(Debug, Error)]
pub enum ReadError {
    #[error("empty file")]
    Empty,
    #[error("file is {size} bytes, over the {limit}-byte limit")]
    TooLarge { size: u64, limit: u64 },
    #[error("not a report: {0}")]
    NotAReport(String),
    #[error("unsupported format: {0}")]
    Unsupported(String),
    #[error("encrypted or password-protected document")]
    Encrypted,
    #[error("corrupt {format}: {detail}")]
    Corrupt {
        format: &'static str,
        detail: String,
    },
    #[error("limit exceeded: {0}")]
    Limit(String),
    #[error("cannot read file: {0}")]
    Io(#[from] std::io::Error),
}

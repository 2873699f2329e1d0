//! The progress bar every batch command draws: on standard error, only when it is a terminal.

use std::io::{self, IsTerminal};

use indicatif::{ProgressBar, ProgressStyle};

/// A bar for `n` files, or a hidden one when standard error is not a terminal (CI logs, pipes).
pub fn bar(n: usize) -> ProgressBar {
    if !io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let pb = ProgressBar::new(n as u64);
    if let Ok(style) =
        ProgressStyle::with_template("{bar:40} {pos}/{len} files {per_sec} eta {eta}")
    {
        pb.set_style(style);
    }
    pb
}

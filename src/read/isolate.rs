//! Runs the third-party legacy parsers ([`super::legacy`]) in a child process, so that a hostile
//! file that makes them loop, eat memory or crash costs one `failed` record, not the run.
//!
//! Each file gets a fresh child ([`crate::worker`]: `xxgk __worker ole|rtf`), which caps its own
//! address space and CPU time (`setrlimit`), reads the file as one request and answers with one
//! JSON [`WireResult`] (at most [`MAX_WORKER_OUTPUT_BYTES`]); it is killed when it runs past
//! [`LEGACY_TIMEOUT`]. When no `xxgk` binary is found (a library user without it), the parser
//! runs in-process, where [`crate::pipeline`] still turns a panic into a `failed` record, but a
//! hang is not stopped; the record then carries a warning saying so.

use std::path::Path;
use std::time::Duration;

use super::legacy::{self, LegacyKind, Wire, WireResult};
use crate::error::ReadError;
use crate::limits::{
    LEGACY_CPU_SECONDS, LEGACY_MEMORY_BYTES, LEGACY_TIMEOUT, MAX_FILE_BYTES,
    MAX_WORKER_OUTPUT_BYTES,
};
use crate::worker::{self, Failure, Worker};

/// Reads a legacy file, in a worker process when the binary is available.
pub fn read(kind: LegacyKind, bytes: &[u8]) -> Result<Wire, ReadError> {
    match worker::exe() {
        Some(exe) => run_worker(&exe, kind_arg(kind), bytes, LEGACY_TIMEOUT)?.into_result(kind),
        None => {
            let mut wire = legacy::parse(kind, bytes).into_result(kind)?;
            wire.warnings.push(
                "legacy reader ran in-process (no xxgk worker binary found): not isolated".into(),
            );
            Ok(wire)
        }
    }
}

fn kind_arg(kind: LegacyKind) -> &'static str {
    match kind {
        LegacyKind::Ole => "ole",
        LegacyKind::Rtf => "rtf",
    }
}

/// Starts `exe __worker KIND`, feeds it `bytes` and waits at most `timeout` for its answer.
pub fn run_worker(
    exe: &Path,
    kind: &str,
    bytes: &[u8],
    timeout: Duration,
) -> Result<WireResult, ReadError> {
    let format = if kind == "rtf" { "rtf" } else { "doc" };
    let failed = |detail: String| ReadError::Corrupt { format, detail };
    let mut child = Worker::spawn(exe, kind, false, MAX_WORKER_OUTPUT_BYTES)
        .map_err(|e| failed(format!("cannot start the reader process: {e}")))?;
    let answer = child.ask(bytes.to_vec(), timeout).map_err(|f| match f {
        Failure::Timeout => ReadError::Limit(format!(
            "the {format} reader took longer than {} s and was stopped",
            timeout.as_secs_f32()
        )),
        Failure::TooLarge => ReadError::Limit(format!(
            "the {format} reader produced over {MAX_WORKER_OUTPUT_BYTES} bytes"
        )),
        Failure::Died(how) => failed(format!(
            "the {format} reader process ended abnormally ({how})"
        )),
    })?;
    serde_json::from_slice(&answer)
        .map_err(|e| failed(format!("unreadable answer from the reader process: {e}")))
}

/// The worker's work: `xxgk __worker KIND`, the file as the one request. Returns the exit code.
pub fn worker_main(kind: &str) -> i32 {
    limit_self();
    std::panic::set_hook(Box::new(|_| {}));
    let kind = match kind {
        "ole" => LegacyKind::Ole,
        "rtf" => LegacyKind::Rtf,
        // Hidden kinds that misbehave on purpose, to test the parent's guards.
        "selftest-hang" => loop {
            std::thread::sleep(Duration::from_secs(1));
        },
        "selftest-abort" => std::process::abort(),
        "selftest-garbage" => {
            return worker::serve(MAX_FILE_BYTES as usize, |_| b"not json".to_vec())
        }
        _ => return 2,
    };
    worker::serve(MAX_FILE_BYTES as usize, |bytes| {
        let result = std::panic::catch_unwind(|| legacy::parse(kind, &bytes)).unwrap_or_else(|p| {
            let what = p
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| p.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown".into());
            WireResult::Corrupt(format!(
                "the reader failed on this file ({})",
                what.lines().next().unwrap_or("")
            ))
        });
        serde_json::to_vec(&result).unwrap_or_default()
    })
}

/// Caps the worker's own address space and CPU time, so a runaway parse ends the worker only.
fn limit_self() {
    #[cfg(unix)]
    // SAFETY: setrlimit only reads the struct we pass; lowering our own limits is always allowed.
    unsafe {
        let mem = libc::rlimit {
            rlim_cur: LEGACY_MEMORY_BYTES as libc::rlim_t,
            rlim_max: LEGACY_MEMORY_BYTES as libc::rlim_t,
        };
        libc::setrlimit(libc::RLIMIT_AS, &mem);
        let cpu = libc::rlimit {
            rlim_cur: LEGACY_CPU_SECONDS as libc::rlim_t,
            rlim_max: LEGACY_CPU_SECONDS as libc::rlim_t + 1,
        };
        libc::setrlimit(libc::RLIMIT_CPU, &cpu);
    }
}

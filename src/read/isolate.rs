//! Runs the third-party legacy parsers ([`super::legacy`]) in a child process, so that a hostile
//! file that makes them loop, eat memory or crash costs one `failed` record, not the run.
//!
//! The child is this same binary started as `xxgk --worker KIND`: it caps its own address space
//! and CPU time (`setrlimit`), reads the file from standard input and writes one JSON
//! [`WireResult`] to standard output. The parent writes the bytes, reads the answer (at most
//! [`MAX_WORKER_OUTPUT_BYTES`]) and kills the child when it runs past [`LEGACY_TIMEOUT`].
//!
//! The worker binary is found in this order: [`set_worker_exe`], the `XXGK_WORKER` environment
//! variable, the running executable when it is `xxgk`, an `xxgk` beside the running executable or
//! in its parent folder (cargo's test layout). When none is found (a library user without the
//! binary), the parser runs in-process, where [`crate::pipeline`] still turns a panic into a
//! `failed` record, but a hang is not stopped; the record then carries a warning saying so.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use super::legacy::{self, LegacyKind, Wire, WireResult};
use crate::error::ReadError;
use crate::limits::{
    LEGACY_CPU_SECONDS, LEGACY_MEMORY_BYTES, LEGACY_TIMEOUT, MAX_FILE_BYTES,
    MAX_WORKER_OUTPUT_BYTES,
};

static WORKER: OnceLock<PathBuf> = OnceLock::new();

/// Names the `xxgk` binary to start as the worker (tests pass cargo's `CARGO_BIN_EXE_xxgk`).
/// The first call wins.
pub fn set_worker_exe(path: impl Into<PathBuf>) {
    let _ = WORKER.set(path.into());
}

fn worker_exe() -> Option<PathBuf> {
    static FOUND: OnceLock<Option<PathBuf>> = OnceLock::new();
    if let Some(p) = WORKER.get() {
        return Some(p.clone());
    }
    FOUND
        .get_or_init(|| {
            if let Some(p) = std::env::var_os("XXGK_WORKER") {
                return Some(PathBuf::from(p));
            }
            let exe = std::env::current_exe().ok()?;
            let name = format!("xxgk{}", std::env::consts::EXE_SUFFIX);
            if exe.file_name().is_some_and(|n| n == name.as_str()) {
                return Some(exe);
            }
            let dir = exe.parent()?;
            [dir.join(&name), dir.parent()?.join(&name)]
                .into_iter()
                .find(|p| p.is_file())
        })
        .clone()
}

/// Reads a legacy file, in a worker process when the binary is available.
pub fn read(kind: LegacyKind, bytes: &[u8]) -> Result<Wire, ReadError> {
    match worker_exe() {
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

/// Starts `exe --worker KIND`, feeds it `bytes` and waits at most `timeout` for its answer.
pub fn run_worker(
    exe: &Path,
    kind: &str,
    bytes: &[u8],
    timeout: Duration,
) -> Result<WireResult, ReadError> {
    let format = if kind == "rtf" { "rtf" } else { "doc" };
    let failed = |detail: String| ReadError::Corrupt { format, detail };
    let mut child = Command::new(exe)
        .arg("--worker")
        .arg(kind)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| failed(format!("cannot start the reader process: {e}")))?;
    let mut stdin = child.stdin.take();
    let mut stdout = child.stdout.take();
    let started = Instant::now();
    let outcome = std::thread::scope(|s| {
        // Writing and reading happen beside the wait, so neither pipe can block the parent.
        s.spawn(|| {
            if let Some(mut w) = stdin.take() {
                // A child that exits early closes the pipe: its status tells what happened.
                let _ = w.write_all(bytes);
            }
        });
        let reader = s.spawn(|| {
            let mut out = Vec::new();
            if let Some(r) = stdout.take() {
                let _ = r
                    .take(MAX_WORKER_OUTPUT_BYTES as u64 + 1)
                    .read_to_end(&mut out);
            }
            out
        });
        let mut pause = Duration::from_micros(200);
        let status = loop {
            match child.try_wait() {
                Ok(Some(status)) => break Ok(status),
                Ok(None) if started.elapsed() >= timeout => {
                    let _ = child.kill();
                    let _ = child.wait();
                    break Err(ReadError::Limit(format!(
                        "the {format} reader took longer than {} s and was stopped",
                        timeout.as_secs_f32()
                    )));
                }
                Ok(None) => {
                    std::thread::sleep(pause);
                    pause = (pause * 2).min(Duration::from_millis(20));
                }
                Err(e) => {
                    let _ = child.kill();
                    let _ = child.wait();
                    break Err(failed(format!("lost the reader process: {e}")));
                }
            }
        };
        let out = reader.join().unwrap_or_default();
        (status, out)
    });
    let (status, out) = outcome;
    let status = status?;
    if !status.success() {
        return Err(failed(format!(
            "the {format} reader process ended abnormally ({})",
            describe(status)
        )));
    }
    if out.len() > MAX_WORKER_OUTPUT_BYTES {
        return Err(ReadError::Limit(format!(
            "the {format} reader produced over {MAX_WORKER_OUTPUT_BYTES} bytes"
        )));
    }
    serde_json::from_slice(&out)
        .map_err(|e| failed(format!("unreadable answer from the reader process: {e}")))
}

fn describe(status: std::process::ExitStatus) -> String {
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        if let Some(sig) = status.signal() {
            let what = match sig {
                libc::SIGXCPU => " (CPU time limit)",
                libc::SIGKILL => " (killed)",
                libc::SIGABRT => " (aborted, e.g. out of memory)",
                libc::SIGSEGV => " (segmentation fault)",
                _ => "",
            };
            return format!("signal {sig}{what}");
        }
    }
    match status.code() {
        Some(c) => format!("exit status {c}"),
        None => "no exit status".into(),
    }
}

/// The worker's `main`: `xxgk --worker KIND`, the file on standard input. Returns the exit code.
pub fn worker_main(kind: Option<&str>) -> i32 {
    limit_self();
    std::panic::set_hook(Box::new(|_| {}));
    let kind = match kind {
        Some("ole") => LegacyKind::Ole,
        Some("rtf") => LegacyKind::Rtf,
        // Hidden kinds that misbehave on purpose, to test the parent's guards.
        Some("selftest-hang") => loop {
            std::thread::sleep(Duration::from_secs(1));
        },
        Some("selftest-abort") => std::process::abort(),
        Some("selftest-garbage") => {
            let _ = std::io::stdout().write_all(b"not json");
            return 0;
        }
        _ => return 2,
    };
    let mut bytes = Vec::new();
    if std::io::stdin()
        .take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .is_err()
    {
        return 3;
    }
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
    let Ok(json) = serde_json::to_vec(&result) else {
        return 4;
    };
    let mut out = std::io::stdout().lock();
    if out.write_all(&json).and_then(|_| out.flush()).is_err() {
        return 5;
    }
    0
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

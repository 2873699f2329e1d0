//! Per-file time budget.
//!
//! Threads cannot be killed, so a file that makes a parser loop cannot be stopped inside the
//! process that reads it. Two modes:
//!
//! * in-process (the default): a watchdog thread notes on stderr every file that has run past
//!   the budget while it is still running, and a file that finishes over budget gets a `failed`
//!   record saying so. A file that never finishes would stall the run: this mode relies on our
//!   readers being bounded (loops bounded by the input and the limits in [`crate::limits`]).
//! * `--isolate`: files are read by `xxgk __worker records` child processes ([`crate::worker`]: a
//!   path in, its JSON record out, file after file). A worker that goes past the budget is killed and restarted and the
//!   file gets a `failed` record "took longer than N s (time budget)"; a worker that dies (abort,
//!   stack overflow, out of memory) costs only its file, recorded as failed. This bounds every
//!   file's time, whatever the third-party parsers (html5ever, zip, quick-xml) do.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::limits::MAX_WORKER_OUTPUT_BYTES;
use crate::pipeline::{failed_for_path, process_path};
use crate::record::Record;
use crate::worker::{self, Failure, Worker};

/// The worker kind of `xxgk __worker` that reads whole files into records.
pub const RECORDS: &str = "records";

/// The one-line reason of a file that ran past its budget.
pub fn over_budget(secs: u64) -> String {
    format!("took longer than {secs} s (time budget)")
}

/// Files being processed in this process and when each started, for the watchdog.
#[derive(Default)]
pub struct Running {
    files: Mutex<HashMap<usize, (Instant, String, bool)>>,
}

impl Running {
    pub fn start(&self, idx: usize, path: &str) {
        if let Ok(mut m) = self.files.lock() {
            m.insert(idx, (Instant::now(), path.to_string(), false));
        }
    }
    /// Removes the file; returns how long it ran.
    pub fn finish(&self, idx: usize) -> Duration {
        self.files
            .lock()
            .ok()
            .and_then(|mut m| m.remove(&idx))
            .map_or(Duration::ZERO, |(t, _, _)| t.elapsed())
    }
    /// Paths that passed the budget since the last call (each reported once).
    fn overdue(&self, budget: Duration) -> Vec<String> {
        let mut out = Vec::new();
        if let Ok(mut m) = self.files.lock() {
            for (t, path, told) in m.values_mut() {
                if !*told && t.elapsed() > budget {
                    *told = true;
                    out.push(path.clone());
                }
            }
        }
        out
    }
}

/// Runs `work` while a watchdog thread reports files in `running` that pass `budget`.
pub fn with_watchdog<T>(running: &Running, budget: Duration, work: impl FnOnce() -> T) -> T {
    let done = AtomicBool::new(false);
    std::thread::scope(|s| {
        let watchdog = s.spawn(|| {
            let tick = Duration::from_millis(100);
            while !done.load(Ordering::Relaxed) {
                std::thread::park_timeout(tick);
                for p in running.overdue(budget) {
                    eprintln!(
                        "xxgk: {p}: still running after {} s (time budget); use --isolate to stop such files",
                        budget.as_secs()
                    );
                }
            }
        });
        let out = work();
        done.store(true, Ordering::Relaxed);
        watchdog.thread().unpark();
        out
    })
}

/// `xxgk __worker records`: each request is a path, each answer its record as JSON.
pub fn worker_main() -> i32 {
    // A path is short; anything longer is not our parent talking.
    worker::serve(64 * 1024, |path| {
        let path = path_from_bytes(path);
        let display = path.to_string_lossy().into_owned();
        let r = process_path(&path, &display);
        serde_json::to_vec(&r).unwrap_or_default()
    })
}

#[cfg(unix)]
fn path_to_bytes(p: &Path) -> Vec<u8> {
    use std::os::unix::ffi::OsStrExt;
    p.as_os_str().as_bytes().to_vec()
}

#[cfg(unix)]
fn path_from_bytes(b: Vec<u8>) -> PathBuf {
    use std::os::unix::ffi::OsStringExt;
    PathBuf::from(std::ffi::OsString::from_vec(b))
}

#[cfg(not(unix))]
fn path_to_bytes(p: &Path) -> Vec<u8> {
    p.to_string_lossy().into_owned().into_bytes()
}

#[cfg(not(unix))]
fn path_from_bytes(b: Vec<u8>) -> PathBuf {
    PathBuf::from(String::from_utf8_lossy(&b).into_owned())
}

/// One file through a worker, starting one if needed. The worker is dropped (killed) when it
/// overruns the budget or dies.
fn run_one(slot: &mut Option<Worker>, path: &Path, display: &str, budget: u64) -> Record {
    if slot.is_none() {
        let started = worker::exe()
            .ok_or_else(|| "no xxgk binary found".to_string())
            .and_then(|exe| {
                Worker::spawn(&exe, RECORDS, true, MAX_WORKER_OUTPUT_BYTES)
                    .map_err(|e| e.to_string())
            });
        match started {
            Ok(w) => *slot = Some(w),
            Err(e) => return failed_for_path(path, display, format!("cannot start a worker: {e}")),
        }
    }
    let Some(w) = slot.as_mut() else {
        return failed_for_path(path, display, "no worker".into());
    };
    let failure = match w.ask(path_to_bytes(path), Duration::from_secs(budget)) {
        Ok(answer) => match serde_json::from_slice::<Record>(&answer) {
            Ok(r) => return r,
            Err(e) => format!("worker sent an unreadable record ({e})"),
        },
        Err(Failure::Timeout) => over_budget(budget),
        Err(Failure::TooLarge) => {
            format!("worker sent a record over {MAX_WORKER_OUTPUT_BYTES} bytes")
        }
        Err(Failure::Died(how)) => {
            format!("worker process died while reading this file ({how})")
        }
    };
    *slot = None;
    failed_for_path(path, display, failure)
}

/// Processes `files` in `jobs` worker processes; hands the records to `sink` in input order.
pub fn process_files_isolated(
    files: &[PathBuf],
    jobs: usize,
    budget: u64,
    on_done: &(dyn Fn() + Sync),
    mut sink: impl FnMut(Record),
) {
    let next = AtomicUsize::new(0);
    let (tx, rx) = mpsc::channel::<(usize, Record)>();
    std::thread::scope(|s| {
        for _ in 0..jobs.max(1) {
            let tx = tx.clone();
            let next = &next;
            s.spawn(move || {
                let mut worker: Option<Worker> = None;
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(p) = files.get(i) else { break };
                    let r = run_one(&mut worker, p, &p.to_string_lossy(), budget);
                    on_done();
                    if tx.send((i, r)).is_err() {
                        break;
                    }
                }
                // Dropping the worker closes its input: it finishes and exits.
                drop(worker);
            });
        }
        drop(tx);
        // Reorder: records come back in completion order.
        let mut pending = BTreeMap::new();
        let mut want = 0;
        for (i, r) in rx {
            pending.insert(i, r);
            while let Some(r) = pending.remove(&want) {
                sink(r);
                want += 1;
            }
        }
    });
}

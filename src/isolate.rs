//! Per-file time budget.
//!
//! Threads cannot be killed, so a file that makes a parser loop cannot be stopped inside the
//! process that reads it. Two modes:
//!
//! * in-process (the default): a watchdog thread notes on stderr every file that has run past
//!   the budget while it is still running, and a file that finishes over budget gets a `failed`
//!   record saying so. A file that never finishes would stall the run: this mode relies on our
//!   readers being bounded (loops bounded by the input and the limits in [`crate::limits`]).
//! * `--isolate`: files are read by `xxgk __worker` child processes (paths in on stdin, one JSON
//!   record per line out). A worker that goes past the budget is killed and restarted and the
//!   file gets a `failed` record "took longer than N s (time budget)"; a worker that dies (abort,
//!   stack overflow, out of memory) costs only its file, recorded as failed. This bounds every
//!   file's time, whatever the third-party parsers (html5ever, zip, quick-xml) do.

use std::collections::{BTreeMap, HashMap};
use std::io::{self, BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::pipeline::{failed_for_path, process_path};
use crate::record::Record;

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

/// `xxgk __worker`: reads JSON-encoded paths, one per line, and answers each with its record
/// as one JSON line.
pub fn worker_main() -> i32 {
    let stdin = io::stdin();
    let stdout = io::stdout();
    let mut out = stdout.lock();
    for line in stdin.lock().lines() {
        let Ok(line) = line else { break };
        let Ok(path) = serde_json::from_str::<String>(&line) else {
            break;
        };
        let r = process_path(Path::new(&path), &path);
        let written = serde_json::to_writer(&mut out, &r)
            .map_err(io::Error::other)
            .and_then(|_| out.write_all(b"\n"))
            .and_then(|_| out.flush());
        if written.is_err() {
            break;
        }
    }
    0
}

struct Worker {
    child: Child,
    stdin: ChildStdin,
    lines: Receiver<String>,
}

impl Worker {
    fn spawn() -> io::Result<Worker> {
        let exe = std::env::current_exe()?;
        let mut child = Command::new(exe)
            .arg("__worker")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()?;
        let stdin = child
            .stdin
            .take()
            .ok_or_else(|| io::Error::other("no stdin"))?;
        let stdout = child
            .stdout
            .take()
            .ok_or_else(|| io::Error::other("no stdout"))?;
        let (tx, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        Ok(Worker {
            child,
            stdin,
            lines,
        })
    }

    fn stop(mut self) -> String {
        let _ = self.child.kill();
        match self.child.wait() {
            Ok(st) => st.to_string(),
            Err(e) => e.to_string(),
        }
    }
}

/// One file through a worker, spawning one if needed. The worker is dropped (killed) when it
/// overruns the budget or dies.
fn run_one(slot: &mut Option<Worker>, path: &Path, display: &str, budget: u64) -> Record {
    if slot.is_none() {
        match Worker::spawn() {
            Ok(w) => *slot = Some(w),
            Err(e) => return failed_for_path(path, display, format!("cannot start a worker: {e}")),
        }
    }
    let Some(w) = slot.as_mut() else {
        return failed_for_path(path, display, "no worker".into());
    };
    let request = serde_json::to_string(display).unwrap_or_default();
    let sent = w
        .stdin
        .write_all(request.as_bytes())
        .and_then(|_| w.stdin.write_all(b"\n"))
        .and_then(|_| w.stdin.flush());
    let answer = match sent {
        Ok(()) => w.lines.recv_timeout(Duration::from_secs(budget)),
        Err(_) => Err(RecvTimeoutError::Disconnected),
    };
    match answer {
        Ok(line) => match serde_json::from_str::<Record>(&line) {
            Ok(r) => r,
            Err(e) => {
                if let Some(w) = slot.take() {
                    w.stop();
                }
                failed_for_path(
                    path,
                    display,
                    format!("worker sent an unreadable record ({e})"),
                )
            }
        },
        Err(RecvTimeoutError::Timeout) => {
            if let Some(w) = slot.take() {
                w.stop();
            }
            failed_for_path(path, display, over_budget(budget))
        }
        Err(RecvTimeoutError::Disconnected) => {
            let status = slot.take().map(Worker::stop).unwrap_or_default();
            failed_for_path(
                path,
                display,
                format!("worker process died while reading this file ({status})"),
            )
        }
    }
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
                if let Some(w) = worker {
                    drop(w.stdin);
                    let mut child = w.child;
                    let _ = child.wait();
                }
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

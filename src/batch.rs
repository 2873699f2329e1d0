//! Many files through one function in parallel, for `extract`/`check` and for `ingest`: results
//! come back in input order, memory stays bounded whatever the number of files, and every file
//! has the time budget of [`crate::isolate`] (the watchdog names files still running past it; a
//! file that finished over it gets the caller's late result).

use std::path::{Path, PathBuf};
use std::time::Duration;

use rayon::prelude::*;

use crate::isolate::{with_watchdog, Running};

/// Files worked on at a time. Two chunks at most are in memory: the one being worked on and the
/// one being handed to the sink.
pub const CHUNK: usize = 256;

/// Every input file under the given paths, sorted. Folders are walked recursively, hidden entries
/// (`.name`) left out; a link to a folder met during the walk is not followed (a loop of links
/// must not hang the run), a link to a file is. An unreadable folder is kept as a path, so that
/// it gets a `failed` record rather than being dropped.
pub fn collect_files(paths: &[PathBuf]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() {
            walk(p, &mut out);
        } else {
            out.push(p.clone());
        }
    }
    out.sort();
    out.dedup();
    out
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        out.push(dir.to_path_buf());
        return;
    };
    let mut entries: Vec<PathBuf> = rd.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for e in entries {
        let hidden = e
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with('.'));
        if hidden {
            continue;
        }
        let is_link = std::fs::symlink_metadata(&e).is_ok_and(|m| m.file_type().is_symlink());
        if e.is_dir() {
            if !is_link {
                walk(&e, out);
            }
        } else {
            out.push(e);
        }
    }
}

/// A rayon pool of `jobs` threads (`None` or 0: one per core).
pub fn pool(jobs: Option<usize>) -> Option<rayon::ThreadPool> {
    rayon::ThreadPoolBuilder::new()
        .num_threads(jobs.unwrap_or(0))
        .build()
        .ok()
}

/// Runs `work(path, display)` over `files` on `jobs` threads, chunk by chunk. While the workers
/// do chunk k+1, this thread hands chunk k to `sink` in input order, so the sink (serialising,
/// writing to a database) never keeps them waiting. A result that took longer than `budget` is
/// passed through `late` first. `on_done` is called as each file finishes (a progress bar). The
/// first error from `sink` stops the run and is returned.
pub fn run<T: Send, E>(
    files: &[PathBuf],
    jobs: Option<usize>,
    budget: Duration,
    work: impl Fn(&Path, &str) -> T + Sync,
    late: impl Fn(&Path, &str, T) -> T + Sync,
    on_done: impl Fn() + Sync,
    mut sink: impl FnMut(Vec<T>) -> Result<(), E>,
) -> Result<(), E> {
    let pool = pool(jobs);
    let running = Running::default();
    with_watchdog(&running, budget, || {
        let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<T>>(0);
        let (running, pool, work, late, on_done) = (&running, &pool, &work, &late, &on_done);
        std::thread::scope(|scope| {
            scope.spawn(move || {
                for (g, group) in files.chunks(CHUNK).enumerate() {
                    let one_chunk = || -> Vec<T> {
                        group
                            .par_iter()
                            .enumerate()
                            .map(|(i, p)| {
                                let display = p.to_string_lossy();
                                let idx = g * CHUNK + i;
                                running.start(idx, &display);
                                let out = work(p, &display);
                                let took = running.finish(idx);
                                on_done();
                                if took > budget {
                                    late(p, &display, out)
                                } else {
                                    out
                                }
                            })
                            .collect()
                    };
                    let results = match pool {
                        Some(pool) => pool.install(one_chunk),
                        None => one_chunk(),
                    };
                    // The receiver is gone when the sink failed: stop.
                    if tx.send(results).is_err() {
                        break;
                    }
                }
            });
            for results in rx {
                sink(results)?;
            }
            Ok(())
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    fn names(n: usize) -> Vec<PathBuf> {
        (0..n).map(|i| PathBuf::from(format!("f{i:05}"))).collect()
    }

    #[test]
    #[cfg(unix)]
    fn the_walk_is_sorted_skips_hidden_entries_and_does_not_follow_a_loop_of_links() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("b/sub")).unwrap();
        std::fs::write(root.join("b/sub/z.docx"), b"x").unwrap();
        std::fs::write(root.join("a.html"), b"x").unwrap();
        std::fs::write(root.join(".hidden.txt"), b"x").unwrap();
        std::os::unix::fs::symlink(root, root.join("b/sub/loop")).unwrap();
        std::os::unix::fs::symlink(root.join("a.html"), root.join("c.html")).unwrap();
        let files = collect_files(&[root.to_path_buf()]);
        let rel: Vec<_> = files
            .iter()
            .map(|p| p.strip_prefix(root).unwrap().to_string_lossy().into_owned())
            .collect();
        assert_eq!(rel, ["a.html", "b/sub/z.docx", "c.html"]);
    }

    #[test]
    fn results_arrive_in_input_order_for_any_thread_count() {
        let files = names(3 * CHUNK + 7);
        for jobs in [1, 2, 4] {
            let done = AtomicUsize::new(0);
            let mut seen = Vec::new();
            let r: Result<(), ()> = run(
                &files,
                Some(jobs),
                Duration::from_secs(30),
                |_, d| d.to_string(),
                |_, _, t| t,
                || {
                    done.fetch_add(1, Ordering::Relaxed);
                },
                |chunk| {
                    seen.extend(chunk);
                    Ok(())
                },
            );
            assert!(r.is_ok());
            assert_eq!(done.load(Ordering::Relaxed), files.len());
            let want: Vec<String> = files.iter().map(|p| p.display().to_string()).collect();
            assert_eq!(seen, want);
        }
    }

    #[test]
    fn a_sink_error_stops_the_run_and_late_results_are_replaced() {
        let files = names(5 * CHUNK);
        let mut chunks = 0;
        let r = run(
            &files,
            Some(2),
            Duration::ZERO,
            |_, _| "on time",
            |_, _, _| "late",
            || {},
            |chunk| {
                chunks += 1;
                assert!(chunk.iter().all(|s| *s == "late"));
                if chunks == 2 {
                    Err("disk full")
                } else {
                    Ok(())
                }
            },
        );
        assert_eq!(r, Err("disk full"));
        assert_eq!(chunks, 2);
    }
}

//! The command line: `xxgk extract`, `xxgk check`, `xxgk rules`.

use std::io::{self, BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use clap::{Parser, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};
use rayon::prelude::*;

use crate::isolate::{over_budget, with_watchdog, Running};
use crate::pipeline::{failed_for_path, process_path};
use crate::record::{Record, Severity, Status};

#[derive(Parser, Debug)]
#[command(
    name = "xxgk",
    version,
    about = "政府信息公开工作年度报告 → checked records"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// One JSON record per input file, as JSON Lines.
    Extract {
        /// Files or folders (walked recursively, in sorted path order).
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Write the records to FILE instead of standard output.
        #[arg(short = 'o', long = "output", value_name = "FILE")]
        output: Option<PathBuf>,
        /// Worker threads (default: all cores).
        #[arg(short = 'j', long = "jobs")]
        jobs: Option<usize>,
        #[command(flatten)]
        guard: Guard,
    },
    /// Findings in compiler style, one per line: `PATH: RULE severity: message`.
    Check {
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        #[arg(short = 'j', long = "jobs")]
        jobs: Option<usize>,
        #[command(flatten)]
        guard: Guard,
    },
    /// Lists every rule with its severity and doc line.
    Rules,
    /// Internal: reads JSON-encoded paths on stdin, writes one record per line (`--isolate`).
    #[command(name = "__worker", hide = true)]
    Worker,
}

/// The per-file time budget (see [`crate::isolate`]).
#[derive(clap::Args, Debug, Clone, Copy)]
pub struct Guard {
    /// Per-file time budget in seconds: a file taking longer gets a `failed` record.
    #[arg(long = "timeout-secs", default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..))]
    pub timeout_secs: u64,
    /// Read each file in a child worker process, killed and restarted when a file runs past
    /// the budget or crashes it (otherwise the budget is only reported).
    #[arg(long = "isolate")]
    pub isolate: bool,
}

/// Runs the command line; returns the process exit code.
pub fn run(cli: Cli) -> i32 {
    match cli.command {
        Command::Extract {
            paths,
            output,
            jobs,
            guard,
        } => extract(&paths, output.as_deref(), jobs, guard),
        Command::Check { paths, jobs, guard } => check(&paths, jobs, guard),
        Command::Worker => crate::isolate::worker_main(),
        Command::Rules => {
            for r in crate::rules::RULES {
                println!("{:<12} {:<8} {}", r.id, r.severity.as_str(), r.doc);
            }
            0
        }
    }
}

/// Every input file under the given paths, sorted; unreadable paths are reported as failed
/// records rather than dropped.
pub fn collect_files(paths: &[PathBuf]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for p in paths {
        walk(p, &mut out);
    }
    out.sort();
    out.dedup();
    out
}

fn walk(p: &Path, out: &mut Vec<PathBuf>) {
    if p.is_dir() {
        let Ok(rd) = std::fs::read_dir(p) else {
            out.push(p.to_path_buf());
            return;
        };
        let mut entries: Vec<PathBuf> = rd.filter_map(|e| e.ok().map(|e| e.path())).collect();
        entries.sort();
        for e in entries {
            let hidden = e
                .file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with('.'));
            if !hidden {
                walk(&e, out);
            }
        }
    } else {
        out.push(p.to_path_buf());
    }
}

fn pool(jobs: Option<usize>) -> Option<rayon::ThreadPool> {
    let n = jobs.unwrap_or(0);
    rayon::ThreadPoolBuilder::new().num_threads(n).build().ok()
}

fn progress(n: usize) -> ProgressBar {
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

/// Processes files in parallel and hands the records, in input order, to `sink`. Work goes in
/// chunks so memory stays bounded whatever the number of files. Each file has the time budget
/// of `guard` (see [`crate::isolate`]).
pub fn process_files(
    files: &[PathBuf],
    jobs: Option<usize>,
    guard: Guard,
    mut sink: impl FnMut(Record),
) {
    let pb = progress(files.len());
    if guard.isolate {
        let n = jobs
            .filter(|&j| j > 0)
            .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
        crate::isolate::process_files_isolated(files, n, guard.timeout_secs, &|| pb.inc(1), sink);
        pb.finish_and_clear();
        return;
    }
    let pool = pool(jobs);
    let budget = Duration::from_secs(guard.timeout_secs);
    let running = Running::default();
    let chunk = 256usize;
    with_watchdog(&running, budget, || {
        for (g, group) in files.chunks(chunk).enumerate() {
            let run = || -> Vec<Record> {
                group
                    .par_iter()
                    .enumerate()
                    .map(|(i, p)| {
                        let display = p.to_string_lossy();
                        let idx = g * chunk + i;
                        running.start(idx, &display);
                        let r = process_path(p, &display);
                        let took = running.finish(idx);
                        pb.inc(1);
                        if took > budget {
                            failed_for_path(p, &display, over_budget(guard.timeout_secs))
                        } else {
                            r
                        }
                    })
                    .collect()
            };
            let records = match &pool {
                Some(pool) => pool.install(run),
                None => run(),
            };
            for r in records {
                sink(r);
            }
        }
    });
    pb.finish_and_clear();
}

#[derive(Default)]
struct Summary {
    files: usize,
    ok: usize,
    partial: usize,
    failed: usize,
    violations: usize,
    errors: usize,
}

impl Summary {
    fn add(&mut self, r: &Record) {
        self.files += 1;
        match r.status {
            Status::Ok => self.ok += 1,
            Status::Partial => self.partial += 1,
            Status::Failed => self.failed += 1,
        }
        self.violations += r.violations.len();
        self.errors += r
            .violations
            .iter()
            .filter(|v| v.severity == Severity::Error)
            .count();
    }
    fn line(&self, secs: f64) -> String {
        let rate = if secs > 0.0 {
            self.files as f64 / secs
        } else {
            0.0
        };
        format!(
            "{} files: {} ok, {} partial, {} failed; {} violations; {:.2} s, {:.0} files/s",
            self.files, self.ok, self.partial, self.failed, self.violations, secs, rate
        )
    }
}

fn extract(paths: &[PathBuf], output: Option<&Path>, jobs: Option<usize>, guard: Guard) -> i32 {
    let start = Instant::now();
    let files = collect_files(paths);
    let out: Box<dyn Write> = match output {
        Some(p) => match std::fs::File::create(p) {
            Ok(f) => Box::new(f),
            Err(e) => {
                eprintln!("xxgk: cannot write {}: {e}", p.display());
                return 2;
            }
        },
        None => Box::new(io::stdout().lock()),
    };
    let mut out = BufWriter::new(out);
    let mut summary = Summary::default();
    let mut write_error = None;
    process_files(&files, jobs, guard, |r| {
        summary.add(&r);
        if write_error.is_none() {
            let res = serde_json::to_writer(&mut out, &r)
                .map_err(io::Error::other)
                .and_then(|_| out.write_all(b"\n"));
            if let Err(e) = res {
                write_error = Some(e);
            }
        }
    });
    if let Err(e) = out.flush() {
        write_error.get_or_insert(e);
    }
    if let Some(e) = write_error {
        eprintln!("xxgk: writing records failed: {e}");
        return 1;
    }
    eprintln!("{}", summary.line(start.elapsed().as_secs_f64()));
    0
}

fn check(paths: &[PathBuf], jobs: Option<usize>, guard: Guard) -> i32 {
    let start = Instant::now();
    let files = collect_files(paths);
    let mut summary = Summary::default();
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    process_files(&files, jobs, guard, |r| {
        summary.add(&r);
        if let Some(e) = &r.error {
            let _ = writeln!(out, "{}: FAILED error: {}", r.source.path, e);
        }
        for v in &r.violations {
            let _ = writeln!(
                out,
                "{}: {} {}: {}",
                r.source.path,
                v.rule,
                v.severity.as_str(),
                v.message
            );
        }
    });
    let _ = writeln!(out, "{}", summary.line(start.elapsed().as_secs_f64()));
    let _ = out.flush();
    if summary.errors > 0 {
        1
    } else {
        0
    }
}

//! The command line: `xxgk extract`, `xxgk check`, `xxgk rules`, and the store's `xxgk ingest`,
//! `xxgk export`, `xxgk compare` (see [`crate::store`]).

use std::io::{self, BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use clap::{Parser, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};
use rayon::prelude::*;

use crate::pipeline::process_path;
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
    },
    /// Findings in compiler style, one per line: `PATH: RULE severity: message`.
    Check {
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        #[arg(short = 'j', long = "jobs")]
        jobs: Option<usize>,
    },
    /// Lists every rule with its severity and doc line.
    Rules,
    /// Stores the records of the files in a SQLite database; files already stored with the
    /// same bytes are skipped.
    Ingest {
        /// Files or folders (walked recursively, in sorted path order).
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// The database file.
        #[arg(long, value_name = "FILE", default_value = crate::store::DEFAULT_DB)]
        db: PathBuf,
        /// Worker threads (default: all cores).
        #[arg(short = 'j', long = "jobs")]
        jobs: Option<usize>,
    },
    /// Writes the stored reports as a dataset: the wide table (one row per report, one column
    /// per field) or the long table (one row per report and field).
    Export {
        #[arg(long, value_name = "FILE", default_value = crate::store::DEFAULT_DB)]
        db: PathBuf,
        #[arg(long, value_enum, default_value = "csv")]
        format: ExportFormat,
        /// Write to FILE instead of standard output.
        #[arg(short = 'o', long = "output", value_name = "FILE")]
        output: Option<PathBuf>,
        #[arg(long, value_enum, default_value = "wide")]
        table: ExportTable,
        /// Same as `--table long`.
        #[arg(long)]
        long: bool,
    },
    /// Each organisation's years side by side, with the changes and the cross-year rules.
    Compare {
        #[arg(long, value_name = "FILE", default_value = crate::store::DEFAULT_DB)]
        db: PathBuf,
        /// Only this organisation (its name as printed, or its key).
        #[arg(long, value_name = "NAME")]
        org: Option<String>,
        #[arg(long, value_enum, default_value = "table")]
        format: CompareFormat,
    },
}

#[derive(clap::ValueEnum, Clone, Copy, Debug)]
pub enum ExportFormat {
    Csv,
    Jsonl,
    Parquet,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug)]
pub enum ExportTable {
    Wide,
    Long,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug)]
pub enum CompareFormat {
    Table,
    Json,
}

/// Runs the command line; returns the process exit code.
pub fn run(cli: Cli) -> i32 {
    match cli.command {
        Command::Extract {
            paths,
            output,
            jobs,
        } => extract(&paths, output.as_deref(), jobs),
        Command::Check { paths, jobs } => check(&paths, jobs),
        Command::Ingest { paths, db, jobs } => crate::store::run_ingest(&paths, &db, jobs),
        Command::Export {
            db,
            format,
            output,
            table,
            long,
        } => {
            use crate::store::export::{Format, Table};
            let format = match format {
                ExportFormat::Csv => Format::Csv,
                ExportFormat::Jsonl => Format::Jsonl,
                ExportFormat::Parquet => Format::Parquet,
            };
            let table = match (table, long) {
                (_, true) | (ExportTable::Long, _) => Table::Long,
                (ExportTable::Wide, false) => Table::Wide,
            };
            crate::store::export::run_export(&db, format, table, output.as_deref())
        }
        Command::Compare { db, org, format } => crate::store::compare::run_compare(
            &db,
            org.as_deref(),
            matches!(format, CompareFormat::Json),
        ),
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
/// chunks so memory stays bounded whatever the number of files.
pub fn process_files(files: &[PathBuf], jobs: Option<usize>, mut sink: impl FnMut(Record)) {
    let pb = progress(files.len());
    let pool = pool(jobs);
    let chunk = 256usize;
    for group in files.chunks(chunk) {
        let run = || -> Vec<Record> {
            group
                .par_iter()
                .map(|p| {
                    let r = process_path(p, &p.to_string_lossy());
                    pb.inc(1);
                    r
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

fn extract(paths: &[PathBuf], output: Option<&Path>, jobs: Option<usize>) -> i32 {
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
    process_files(&files, jobs, |r| {
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

fn check(paths: &[PathBuf], jobs: Option<usize>) -> i32 {
    let start = Instant::now();
    let files = collect_files(paths);
    let mut summary = Summary::default();
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    process_files(&files, jobs, |r| {
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

//! The command line: `xxgk extract`, `xxgk check`, `xxgk rules`, and the store's `xxgk ingest`,
//! `xxgk export`, `xxgk compare` (see [`crate::store`]).

use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use clap::{Parser, Subcommand, ValueEnum};

use crate::isolate::over_budget;
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
        /// `text` (compiler style) or `json` (one object per finding per line, then a summary).
        #[arg(long = "format", value_enum, default_value_t = Format::Text)]
        format: Format,
        #[command(flatten)]
        guard: Guard,
    },
    /// Lists every rule with its severity, origin and doc line.
    Rules,
    /// Compares records with known truth: field and record accuracy, a reliability table,
    /// expected calibration error, silent errors.
    Eval {
        /// Report files or folders.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Folder of truth files `<file stem>.json` (the `../shared/real/truth/` shape).
        #[arg(long, value_name = "DIR")]
        truth: PathBuf,
        /// Fit the confidence model on these files and write it to FILE (a calibration step).
        #[arg(long, value_name = "FILE")]
        fit: Option<PathBuf>,
        /// Print the summary as JSON.
        #[arg(long)]
        json: bool,
        #[arg(short = 'j', long = "jobs")]
        jobs: Option<usize>,
    },
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
        /// Per-file time budget in seconds: a file taking longer is stored as failed.
        #[arg(long = "timeout-secs", default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..))]
        timeout_secs: u64,
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

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Text,
    Json,
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
        Command::Eval {
            paths,
            truth,
            fit,
            json,
            jobs,
        } => eval(&paths, &truth, fit.as_deref(), json, jobs),
        Command::Check {
            paths,
            jobs,
            format,
            guard,
        } => check(&paths, jobs, format, guard),
        Command::Ingest {
            paths,
            db,
            jobs,
            timeout_secs,
        } => crate::store::run_ingest(&paths, &db, jobs, timeout_secs),
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
            let per_report = crate::rules::RULES
                .iter()
                .map(|r| (r.id, r.severity, r.origin, r.doc));
            let cross = crate::rules::CROSS_RULES
                .iter()
                .map(|r| (r.id, r.severity, r.origin, r.doc))
                .chain(
                    crate::rules::cross_year::RULES
                        .iter()
                        .map(|r| (r.id, r.severity, crate::record::Origin::Source, r.doc)),
                );
            for (id, severity, origin, doc) in per_report.chain(cross) {
                let origin = match origin {
                    crate::record::Origin::Source => "source",
                    crate::record::Origin::Extraction => "extraction",
                };
                println!("{id:<14} {:<8} {origin:<11} {doc}", severity.as_str());
            }
            0
        }
    }
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
    let pb = crate::progress::bar(files.len());
    if guard.isolate {
        let n = jobs
            .filter(|&j| j > 0)
            .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
        crate::isolate::process_files_isolated(files, n, guard.timeout_secs, &|| pb.inc(1), sink);
        pb.finish_and_clear();
        return;
    }
    let secs = guard.timeout_secs;
    let _ = crate::batch::run::<Record, std::convert::Infallible>(
        files,
        jobs,
        Duration::from_secs(secs),
        process_path,
        |p, display, _| failed_for_path(p, display, over_budget(secs)),
        || pb.inc(1),
        |records| {
            records.into_iter().for_each(&mut sink);
            Ok(())
        },
    );
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
    fn json(&self, secs: f64) -> serde_json::Value {
        serde_json::json!({"summary": {
            "files": self.files,
            "ok": self.ok,
            "partial": self.partial,
            "failed": self.failed,
            "violations": self.violations,
            "errors": self.errors,
            "seconds": (secs * 1000.0).round() / 1000.0,
        }})
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

/// `xxgk check --format json`: one object per finding (a failed file is a `FAILED` finding).
fn json_findings(r: &Record) -> Vec<serde_json::Value> {
    let mut lines = Vec::new();
    if let Some(e) = &r.error {
        lines.push(serde_json::json!({
            "path": r.source.path,
            "rule": "FAILED",
            "severity": "error",
            "origin": null,
            "message": e,
            "fields": [],
        }));
    }
    for v in &r.violations {
        lines.push(serde_json::json!({
            "path": r.source.path,
            "rule": v.rule,
            "severity": v.severity,
            "origin": v.origin,
            "message": v.message,
            "fields": v.fields,
        }));
    }
    lines
}

fn extract(paths: &[PathBuf], output: Option<&Path>, jobs: Option<usize>, guard: Guard) -> i32 {
    let start = Instant::now();
    let files = crate::batch::collect_files(paths);
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

fn check(paths: &[PathBuf], jobs: Option<usize>, format: Format, guard: Guard) -> i32 {
    let start = Instant::now();
    let files = crate::batch::collect_files(paths);
    let mut summary = Summary::default();
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let mut across = crate::rules::across::Across::default();
    process_files(&files, jobs, guard, |r| {
        summary.add(&r);
        across.add(&r);
        if format == Format::Json {
            for line in json_findings(&r) {
                let _ = writeln!(out, "{line}");
            }
            return;
        }
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
    // The same organisation's consecutive years in this run (X-* rules).
    for f in across.findings() {
        summary.violations += 1;
        let v = &f.violation;
        let _ = match format {
            Format::Text => writeln!(
                out,
                "{}: {} {}: {}",
                f.path,
                v.rule,
                v.severity.as_str(),
                v.message
            ),
            Format::Json => writeln!(
                out,
                "{}",
                serde_json::json!({"path": f.path, "rule": v.rule, "severity": v.severity, "origin": v.origin, "message": v.message, "fields": v.fields})
            ),
        };
    }
    let secs = start.elapsed().as_secs_f64();
    let _ = match format {
        Format::Text => writeln!(out, "{}", summary.line(secs)),
        Format::Json => writeln!(out, "{}", summary.json(secs)),
    };
    let _ = out.flush();
    if summary.errors > 0 {
        1
    } else {
        0
    }
}

fn eval(
    paths: &[PathBuf],
    truth_dir: &Path,
    fit: Option<&Path>,
    json: bool,
    jobs: Option<usize>,
) -> i32 {
    let files = crate::batch::collect_files(paths);
    let mut ev = crate::eval::Evaluator::default();
    let mut without_truth = 0usize;
    let mut bad_truth = Vec::new();
    let guard = Guard {
        timeout_secs: 30,
        isolate: false,
    };
    process_files(&files, jobs, guard, |r| {
        let stem = Path::new(&r.source.path)
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default()
            .to_string();
        let stem = stem.split('.').next().unwrap_or_default().to_string();
        let tp = truth_dir.join(format!("{stem}.json"));
        match std::fs::read_to_string(&tp) {
            Ok(text) => match serde_json::from_str::<crate::eval::Truth>(&text) {
                Ok(t) => ev.add(&r, &t),
                Err(e) => bad_truth.push(format!("{}: {e}", tp.display())),
            },
            Err(_) => without_truth += 1,
        }
    });
    for b in &bad_truth {
        eprintln!("xxgk: unreadable truth file {b}");
    }
    if without_truth > 0 {
        eprintln!("xxgk: {without_truth} file(s) without a truth file were skipped");
    }
    let (summary, observations) = ev.finish();
    if json {
        println!(
            "{}",
            serde_json::to_string_pretty(&summary).unwrap_or_default()
        );
    } else {
        print!("{}", summary.render());
    }
    if let Some(out) = fit {
        let model = crate::confidence::Model::fit(&observations, 20.0);
        let text = serde_json::to_string_pretty(&model).unwrap_or_default() + "\n";
        if let Err(e) = std::fs::write(out, text) {
            eprintln!("xxgk: cannot write {}: {e}", out.display());
            return 1;
        }
        eprintln!(
            "fitted the confidence model on {} fields; wrote {}",
            observations.len(),
            out.display()
        );
    }
    if bad_truth.is_empty() {
        0
    } else {
        1
    }
}

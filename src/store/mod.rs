//! The SQLite store: `xxgk ingest` writes records into it, `xxgk export` and `xxgk compare`
//! read it.
//!
//! Reports are keyed by the sha256 of their bytes; the `files` table maps every input path to
//! its sha256 and status, so every file of every run is accounted for. One writer (the main
//! thread) commits a batch of records per transaction while rayon workers read and extract the
//! next batch; a killed run loses at most the batch in flight, and the next run skips what is
//! already there (same path, same bytes) before reading anything more than the file itself.

pub mod compare;
pub mod export;

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rusqlite::{params, Connection, OptionalExtension};

use crate::isolate::over_budget;
use crate::pipeline::{failed_for_path, process_hashed, process_path, read_limited, sha256_hex};
use crate::record::{Record, Source};

/// The database file when `--db` is not given.
pub const DEFAULT_DB: &str = "xxgk.sqlite";

/// Records per transaction.
pub const BATCH: usize = 500;

/// Bumped when the tables change shape.
const SCHEMA_VERSION: &str = "1";

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
-- One row per ingest run; `finished` stays 0 for a run that was killed.
CREATE TABLE IF NOT EXISTS runs (
    run INTEGER PRIMARY KEY,
    files INTEGER NOT NULL DEFAULT 0,
    processed INTEGER NOT NULL DEFAULT 0,
    unchanged INTEGER NOT NULL DEFAULT 0,
    same_bytes INTEGER NOT NULL DEFAULT 0,
    ok INTEGER NOT NULL DEFAULT 0,
    partial INTEGER NOT NULL DEFAULT 0,
    failed INTEGER NOT NULL DEFAULT 0,
    finished INTEGER NOT NULL DEFAULT 0
);
-- One row per distinct content (sha256 of the bytes).
CREATE TABLE IF NOT EXISTS reports (
    sha256 TEXT PRIMARY KEY,
    path TEXT NOT NULL,
    bytes INTEGER NOT NULL,
    format TEXT,
    encoding TEXT,
    status TEXT NOT NULL,
    error TEXT,
    title TEXT,
    organization TEXT,
    organization_key TEXT,
    year INTEGER,
    template TEXT,
    confidence REAL NOT NULL,
    warnings TEXT NOT NULL,
    assessments TEXT NOT NULL,
    run INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS reports_org ON reports (organization_key, year);
CREATE TABLE IF NOT EXISTS fields (
    sha256 TEXT NOT NULL,
    key TEXT NOT NULL,
    ord INTEGER NOT NULL,
    value REAL,
    state TEXT NOT NULL,
    raw TEXT NOT NULL,
    confidence REAL NOT NULL,
    PRIMARY KEY (sha256, key)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS violations (
    sha256 TEXT NOT NULL,
    ord INTEGER NOT NULL,
    rule TEXT NOT NULL,
    severity TEXT NOT NULL,
    origin TEXT NOT NULL,
    message TEXT NOT NULL,
    fields TEXT NOT NULL,
    PRIMARY KEY (sha256, ord)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS sections (
    sha256 TEXT NOT NULL,
    ord INTEGER NOT NULL,
    key TEXT NOT NULL,
    heading TEXT NOT NULL,
    text TEXT NOT NULL,
    PRIMARY KEY (sha256, ord)
);
-- Every input path ever ingested: its current bytes and what became of them.
CREATE TABLE IF NOT EXISTS files (
    path TEXT PRIMARY KEY,
    sha256 TEXT,
    bytes INTEGER,
    status TEXT NOT NULL,
    error TEXT,
    run INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS files_sha ON files (sha256);
";

/// Opens (creating if needed) a store for writing: WAL mode, tables made.
pub fn open(path: &Path) -> rusqlite::Result<Connection> {
    let conn = Connection::open(path)?;
    conn.busy_timeout(std::time::Duration::from_secs(10))?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    conn.execute_batch(SCHEMA)?;
    let version: Option<String> = conn
        .query_row("SELECT value FROM meta WHERE key = 'schema'", [], |r| {
            r.get(0)
        })
        .optional()?;
    match version.as_deref() {
        None => {
            conn.execute(
                "INSERT INTO meta (key, value) VALUES ('schema', ?1)",
                [SCHEMA_VERSION],
            )?;
        }
        Some(SCHEMA_VERSION) => {}
        Some(other) => {
            return Err(rusqlite::Error::InvalidParameterName(format!(
                "{} has store schema {other}, this xxgk writes {SCHEMA_VERSION}",
                path.display()
            )))
        }
    }
    Ok(conn)
}

/// Opens an existing store for reading (export, compare).
pub fn open_existing(path: &Path) -> Result<Connection, String> {
    if !path.is_file() {
        return Err(format!(
            "{}: no such database (run `xxgk ingest` first)",
            path.display()
        ));
    }
    let conn = Connection::open_with_flags(
        path,
        rusqlite::OpenFlags::SQLITE_OPEN_READ_WRITE | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| format!("{}: {e}", path.display()))?;
    let _ = conn.busy_timeout(std::time::Duration::from_secs(10));
    let ok: Option<String> = conn
        .query_row("SELECT value FROM meta WHERE key = 'schema'", [], |r| {
            r.get(0)
        })
        .optional()
        .map_err(|e| format!("{}: not an xxgk store ({e})", path.display()))?;
    if ok.is_none() {
        return Err(format!("{}: not an xxgk store", path.display()));
    }
    Ok(conn)
}

/// What became of the files of one ingest run.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct IngestSummary {
    pub files: usize,
    pub ok: usize,
    pub partial: usize,
    pub failed: usize,
    /// Same path, same bytes as already stored: not read again.
    pub unchanged: usize,
    /// A new path whose bytes are an already stored report: linked, not processed.
    pub same_bytes: usize,
    /// Run through the pipeline.
    pub processed: usize,
    /// Paths whose bytes changed since they were stored.
    pub replaced: usize,
}

impl IngestSummary {
    fn count(&mut self, status: &str) {
        self.files += 1;
        match status {
            "ok" => self.ok += 1,
            "partial" => self.partial += 1,
            _ => self.failed += 1,
        }
    }

    pub fn line(&self, secs: f64) -> String {
        let rate = if secs > 0.0 {
            self.files as f64 / secs
        } else {
            0.0
        };
        format!(
            "{} files: {} ok, {} partial, {} failed; {} skipped-unchanged, {} same bytes as another file, {} processed, {} replaced; {:.2} s, {:.0} files/s",
            self.files,
            self.ok,
            self.partial,
            self.failed,
            self.unchanged,
            self.same_bytes,
            self.processed,
            self.replaced,
            secs,
            rate
        )
    }
}

/// What a worker hands the writer for one input path.
enum Item {
    /// Path and bytes already stored.
    Unchanged { status: String },
    /// Bytes already stored under another path.
    SameBytes {
        path: String,
        sha256: String,
        bytes: u64,
    },
    /// A fresh record (possibly `failed`).
    New(Box<Record>),
}

/// Snapshot of the store taken before a run: what each path and each sha256 already is.
struct Known {
    files: HashMap<String, (Option<String>, String)>,
    reports: HashSet<String>,
}

fn snapshot(conn: &Connection) -> rusqlite::Result<Known> {
    let mut files = HashMap::new();
    let mut st = conn.prepare("SELECT path, sha256, status FROM files")?;
    let rows = st.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, Option<String>>(1)?,
            r.get::<_, String>(2)?,
        ))
    })?;
    for row in rows {
        let (p, s, st) = row?;
        files.insert(p, (s, st));
    }
    let mut reports = HashSet::new();
    let mut st = conn.prepare("SELECT sha256 FROM reports")?;
    for s in st.query_map([], |r| r.get::<_, String>(0))? {
        reports.insert(s?);
    }
    Ok(Known { files, reports })
}

fn work(path: &Path, known: &Known) -> Item {
    let display = path.to_string_lossy().into_owned();
    let bytes = match read_limited(path) {
        Ok(b) => b,
        // Unreadable or too large: the pipeline makes the failed record with its reason.
        Err(_) => return Item::New(Box::new(process_path(path, &display))),
    };
    let sha = sha256_hex(&bytes);
    if let Some((Some(old), status)) = known.files.get(&display) {
        if *old == sha && known.reports.contains(&sha) {
            return Item::Unchanged {
                status: status.clone(),
            };
        }
    }
    if known.reports.contains(&sha) {
        return Item::SameBytes {
            path: display,
            sha256: sha,
            bytes: bytes.len() as u64,
        };
    }
    let source = Source {
        path: display,
        sha256: sha,
        bytes: 0,
        format: None,
        encoding: None,
    };
    Item::New(Box::new(process_hashed(&bytes, source)))
}

/// Ingests files into an open store; returns what became of them.
/// A file that takes longer than `budget` is stored as failed (see [`crate::batch`]).
pub fn ingest(
    conn: &mut Connection,
    files: &[PathBuf],
    jobs: Option<usize>,
    budget: Duration,
) -> rusqlite::Result<IngestSummary> {
    let known = snapshot(conn)?;
    conn.execute("INSERT INTO runs (files) VALUES (?1)", [files.len() as i64])?;
    let run = conn.last_insert_rowid();
    let pb = crate::progress::bar(files.len());
    let mut summary = IngestSummary::default();
    let db: &Connection = conn;
    // Committed every BATCH files: a killed run loses at most the open batch.
    db.execute_batch("BEGIN")?;
    let mut pending = 0;
    let result = crate::batch::run(
        files,
        jobs,
        budget,
        |p, _| work(p, &known),
        |p, display, item| match item {
            Item::New(_) => Item::New(Box::new(failed_for_path(
                p,
                display,
                over_budget(budget.as_secs()),
            ))),
            other => other,
        },
        || pb.inc(1),
        |items| -> rusqlite::Result<()> {
            pending += items.len();
            for item in items {
                write_item(db, item, run, &mut summary)?;
            }
            if pending >= BATCH {
                update_run(db, run, &summary, false)?;
                db.execute_batch("COMMIT; BEGIN")?;
                pending = 0;
            }
            Ok(())
        },
    )
    .and_then(|()| update_run(db, run, &summary, false))
    .and_then(|()| db.execute_batch("COMMIT"));
    if result.is_err() {
        let _ = db.execute_batch("ROLLBACK");
    }
    pb.finish_and_clear();
    result?;
    update_run(conn, run, &summary, true)?;
    Ok(summary)
}

fn update_run(
    conn: &Connection,
    run: i64,
    s: &IngestSummary,
    finished: bool,
) -> rusqlite::Result<()> {
    conn.execute(
        "UPDATE runs SET processed = ?2, unchanged = ?3, same_bytes = ?4, ok = ?5, partial = ?6,
         failed = ?7, finished = ?8 WHERE run = ?1",
        params![
            run,
            s.processed as i64,
            s.unchanged as i64,
            s.same_bytes as i64,
            s.ok as i64,
            s.partial as i64,
            s.failed as i64,
            finished as i64
        ],
    )?;
    Ok(())
}

fn write_item(
    t: &Connection,
    item: Item,
    run: i64,
    summary: &mut IngestSummary,
) -> rusqlite::Result<()> {
    match item {
        Item::Unchanged { status, .. } => {
            summary.unchanged += 1;
            summary.count(&status);
        }
        Item::SameBytes {
            path,
            sha256,
            bytes,
        } => {
            summary.same_bytes += 1;
            let (status, error): (String, Option<String>) = t.query_row(
                "SELECT status, error FROM reports WHERE sha256 = ?1",
                [&sha256],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?;
            summary.count(&status);
            set_file(
                t,
                &path,
                Some(&sha256),
                bytes,
                &status,
                error.as_deref(),
                run,
                summary,
            )?;
        }
        Item::New(r) => {
            summary.processed += 1;
            let status = r.status.as_str();
            summary.count(status);
            let sha = (!r.source.sha256.is_empty()).then_some(r.source.sha256.as_str());
            if sha.is_some() {
                insert_report(t, &r, run)?;
            }
            set_file(
                t,
                &r.source.path,
                sha,
                r.source.bytes,
                status,
                r.error.as_deref(),
                run,
                summary,
            )?;
        }
    }
    Ok(())
}

#[allow(clippy::too_many_arguments)]
fn set_file(
    t: &Connection,
    path: &str,
    sha256: Option<&str>,
    bytes: u64,
    status: &str,
    error: Option<&str>,
    run: i64,
    summary: &mut IngestSummary,
) -> rusqlite::Result<()> {
    let old: Option<Option<String>> = t
        .prepare_cached("SELECT sha256 FROM files WHERE path = ?1")?
        .query_row([path], |r| r.get(0))
        .optional()?;
    t.prepare_cached(
        "INSERT INTO files (path, sha256, bytes, status, error, run) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT (path) DO UPDATE SET sha256 = excluded.sha256, bytes = excluded.bytes,
         status = excluded.status, error = excluded.error, run = excluded.run",
    )?
    .execute(params![path, sha256, bytes as i64, status, error, run])?;
    if let Some(old) = old {
        if old.as_deref() != sha256 {
            summary.replaced += 1;
            if let Some(old) = old {
                drop_if_orphan(t, &old)?;
            }
        }
    }
    Ok(())
}

/// Deletes a report and its rows when no path points at it any more.
fn drop_if_orphan(t: &Connection, sha256: &str) -> rusqlite::Result<()> {
    let used: bool = t
        .prepare_cached("SELECT EXISTS (SELECT 1 FROM files WHERE sha256 = ?1)")?
        .query_row([sha256], |r| r.get(0))?;
    if !used {
        for table in ["fields", "violations", "sections", "reports"] {
            t.prepare_cached(&format!("DELETE FROM {table} WHERE sha256 = ?1"))?
                .execute([sha256])?;
        }
    }
    Ok(())
}

fn insert_report(t: &Connection, r: &Record, run: i64) -> rusqlite::Result<()> {
    let sha = r.source.sha256.as_str();
    let exists: bool = t
        .prepare_cached("SELECT EXISTS (SELECT 1 FROM reports WHERE sha256 = ?1)")?
        .query_row([sha], |row| row.get(0))?;
    if exists {
        // The same bytes twice in one run: stored once.
        return Ok(());
    }
    let rep = r.report.as_ref();
    t.prepare_cached(
        "INSERT INTO reports (sha256, path, bytes, format, encoding, status, error, title,
         organization, organization_key, year, template, confidence, warnings, assessments, run)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)",
    )?
    .execute(params![
        sha,
        r.source.path,
        r.source.bytes as i64,
        r.source.format,
        r.source.encoding,
        r.status.as_str(),
        r.error,
        rep.and_then(|x| x.title.as_deref()),
        rep.and_then(|x| x.organization.as_deref()),
        rep.and_then(|x| x.organization_key.as_deref()),
        rep.and_then(|x| x.year),
        rep.map(|x| x.template.as_str()),
        r.confidence,
        serde_json::to_string(&r.warnings).unwrap_or_else(|_| "[]".into()),
        serde_json::to_string(&r.assessments).unwrap_or_else(|_| "[]".into()),
        run
    ])?;
    {
        let mut st = t.prepare_cached(
            "INSERT INTO fields (sha256, key, ord, value, state, raw, confidence)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )?;
        for (i, (key, cell)) in r.fields.iter().enumerate() {
            let value = cell.value.as_f64();
            let state: &str = &cell.state;
            let raw = cell.raw.as_str();
            let conf = cell.confidence;
            st.execute(params![sha, key, i as i64, value, state, raw, conf])?;
        }
    }
    {
        let mut st = t.prepare_cached(
            "INSERT INTO violations (sha256, ord, rule, severity, origin, message, fields)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )?;
        for (i, v) in r.violations.iter().enumerate() {
            let origin = match v.origin {
                crate::record::Origin::Source => "source",
                crate::record::Origin::Extraction => "extraction",
            };
            st.execute(params![
                sha,
                i as i64,
                v.rule,
                v.severity.as_str(),
                origin,
                v.message,
                serde_json::to_string(&v.fields).unwrap_or_else(|_| "[]".into())
            ])?;
        }
    }
    {
        let mut st = t.prepare_cached(
            "INSERT INTO sections (sha256, ord, key, heading, text) VALUES (?1, ?2, ?3, ?4, ?5)",
        )?;
        for (i, s) in r.sections.iter().enumerate() {
            st.execute(params![sha, i as i64, s.key, s.heading, s.text])?;
        }
    }
    Ok(())
}

/// `xxgk ingest`: returns the exit code.
pub fn run_ingest(paths: &[PathBuf], db: &Path, jobs: Option<usize>, timeout_secs: u64) -> i32 {
    let start = Instant::now();
    let files = crate::batch::collect_files(paths);
    let mut conn = match open(db) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("xxgk: cannot open {}: {e}", db.display());
            return 1;
        }
    };
    match ingest(&mut conn, &files, jobs, Duration::from_secs(timeout_secs)) {
        Ok(s) => {
            eprintln!(
                "{} → {}",
                s.line(start.elapsed().as_secs_f64()),
                db.display()
            );
            0
        }
        Err(e) => {
            eprintln!("xxgk: ingest into {} failed: {e}", db.display());
            1
        }
    }
}

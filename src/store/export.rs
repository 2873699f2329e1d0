//! `xxgk export`: the store as datasets. The wide table has one row per report and one column
//! per canonical key; the long table one row per (report, key). CSV, JSON Lines, and Parquet
//! (cargo feature `parquet`). Rows come in path order, columns in template order, so the same
//! store always gives the same bytes.

use std::collections::HashMap;
use std::io::Write;
use std::sync::OnceLock;

use rusqlite::Connection;
use serde_json::{Map, Value};

use crate::record::number;
use crate::template::data::{
    OTHER_SERVICES_SUBROWS, TABLE2_ROWS, TABLE3_COLUMNS, TABLE3_ROWS, TABLE4_COLUMNS, TABLE4_GROUPS,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Jsonl,
    Parquet,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Table {
    Wide,
    Long,
}

/// The type of a column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Text,
    Int,
    Real,
}

/// One cell of an exported row.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Null,
    Text(String),
    Int(i64),
    Real(f64),
}

impl Cell {
    fn to_json(&self) -> Value {
        match self {
            Cell::Null => Value::Null,
            Cell::Text(s) => Value::String(s.clone()),
            Cell::Int(i) => Value::from(*i),
            Cell::Real(f) => number(*f),
        }
    }
    fn to_csv(&self) -> String {
        match self {
            Cell::Null => String::new(),
            Cell::Text(s) => s.clone(),
            Cell::Int(i) => i.to_string(),
            Cell::Real(f) => number(*f).to_string(),
        }
    }
}

/// Template order of every canonical key: table 二 (2021 rows, then 2019 rows), table 三 rows
/// × columns, table 四 groups × columns.
fn ranks() -> &'static HashMap<String, usize> {
    static RANKS: OnceLock<HashMap<String, usize>> = OnceLock::new();
    RANKS.get_or_init(|| {
        let mut keys: Vec<String> = Vec::new();
        for row in TABLE2_ROWS {
            for c in row.columns {
                keys.push(format!("proactive.{}.{}", row.key, c.key));
            }
            if row.has_sub_rows {
                for (sub, _) in OTHER_SERVICES_SUBROWS {
                    for c in row.columns {
                        keys.push(format!("proactive.{}.{sub}.{}", row.key, c.key));
                    }
                }
            }
        }
        for row in TABLE3_ROWS {
            for c in TABLE3_COLUMNS {
                keys.push(format!("requests.{}.{}", row.key, c.key));
            }
        }
        for (g, _, _) in TABLE4_GROUPS {
            for c in TABLE4_COLUMNS {
                keys.push(format!("{g}.{}", c.key));
            }
        }
        let mut m = HashMap::new();
        for k in keys {
            let n = m.len();
            m.entry(k).or_insert(n);
        }
        m
    })
}

/// Sorts keys into template order; keys the template does not know (unknown sub-rows) go after
/// their table's known keys, alphabetically.
pub fn sort_keys(keys: &mut [String]) {
    let r = ranks();
    let table = |k: &str| -> usize {
        if k.starts_with("proactive.") {
            0
        } else if k.starts_with("requests.") {
            1
        } else {
            2
        }
    };
    keys.sort_by(|a, b| {
        let ka = (
            table(a),
            r.get(a.as_str()).copied().unwrap_or(usize::MAX),
            a,
        );
        let kb = (
            table(b),
            r.get(b.as_str()).copied().unwrap_or(usize::MAX),
            b,
        );
        ka.cmp(&kb)
    });
}

/// Where exported rows go: a header once, then rows in order.
pub trait Sink {
    fn header(&mut self, columns: &[(String, Kind)]) -> Result<(), String>;
    fn row(&mut self, row: &[Cell]) -> Result<(), String>;
    fn finish(&mut self) -> Result<(), String>;
}

/// A whole table in memory (tests, small stores).
#[derive(Default)]
pub struct Dataset {
    pub columns: Vec<(String, Kind)>,
    pub rows: Vec<Vec<Cell>>,
}

impl Sink for Dataset {
    fn header(&mut self, columns: &[(String, Kind)]) -> Result<(), String> {
        self.columns = columns.to_vec();
        Ok(())
    }
    fn row(&mut self, row: &[Cell]) -> Result<(), String> {
        self.rows.push(row.to_vec());
        Ok(())
    }
    fn finish(&mut self) -> Result<(), String> {
        Ok(())
    }
}

const REPORT_COLUMNS: &[(&str, Kind)] = &[
    ("organization", Kind::Text),
    ("organization_key", Kind::Text),
    ("year", Kind::Int),
    ("template", Kind::Text),
    ("status", Kind::Text),
    ("confidence", Kind::Real),
    ("path", Kind::Text),
    ("sha256", Kind::Text),
];

/// Reports in export order: by their first path (the smallest path pointing at them).
const REPORTS_SQL: &str = "
SELECT r.organization, r.organization_key, r.year, r.template, r.status, r.confidence,
       COALESCE((SELECT min(f.path) FROM files f WHERE f.sha256 = r.sha256), r.path) AS p,
       r.sha256
FROM reports r ORDER BY p, r.sha256";

fn text(v: Option<String>) -> Cell {
    v.map(Cell::Text).unwrap_or(Cell::Null)
}

fn db(e: rusqlite::Error) -> String {
    format!("reading the store: {e}")
}

/// Streams a table into a sink.
pub fn export(conn: &Connection, table: Table, sink: &mut dyn Sink) -> Result<(), String> {
    match table {
        Table::Wide => wide(conn, sink),
        Table::Long => long(conn, sink),
    }?;
    sink.finish()
}

/// The wide table: one row per report.
fn wide(conn: &Connection, sink: &mut dyn Sink) -> Result<(), String> {
    let mut keys: Vec<String> = conn
        .prepare("SELECT DISTINCT key FROM fields")
        .and_then(|mut st| {
            st.query_map([], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()
        })
        .map_err(db)?;
    sort_keys(&mut keys);
    let index: HashMap<&str, usize> = keys
        .iter()
        .enumerate()
        .map(|(i, k)| (k.as_str(), i))
        .collect();
    let mut columns: Vec<(String, Kind)> = REPORT_COLUMNS
        .iter()
        .map(|(n, k)| (n.to_string(), *k))
        .collect();
    columns.extend(keys.iter().map(|k| (k.clone(), Kind::Real)));
    sink.header(&columns)?;
    let mut fields = conn
        .prepare("SELECT key, value FROM fields WHERE sha256 = ?1")
        .map_err(db)?;
    let mut st = conn.prepare(REPORTS_SQL).map_err(db)?;
    let mut q = st.query([]).map_err(db)?;
    let mut row = Vec::with_capacity(columns.len());
    while let Some(r) = q.next().map_err(db)? {
        let sha: String = r.get(7).map_err(db)?;
        row.clear();
        (|| -> rusqlite::Result<()> {
            row.extend([
                text(r.get(0)?),
                text(r.get(1)?),
                r.get::<_, Option<i64>>(2)?
                    .map(Cell::Int)
                    .unwrap_or(Cell::Null),
                text(r.get(3)?),
                text(r.get(4)?),
                Cell::Real(r.get(5)?),
                Cell::Text(r.get(6)?),
                Cell::Text(sha.clone()),
            ]);
            let base = row.len();
            row.resize(base + keys.len(), Cell::Null);
            let mut fq = fields.query([&sha])?;
            while let Some(f) = fq.next()? {
                let key: String = f.get(0)?;
                if let (Some(i), Some(v)) = (index.get(key.as_str()), f.get::<_, Option<f64>>(1)?) {
                    row[base + i] = Cell::Real(v);
                }
            }
            Ok(())
        })()
        .map_err(db)?;
        sink.row(&row)?;
    }
    Ok(())
}

/// The long table: one row per (report, key), reports in path order, keys in template order.
fn long(conn: &Connection, sink: &mut dyn Sink) -> Result<(), String> {
    let columns = vec![
        ("sha256".to_string(), Kind::Text),
        ("path".to_string(), Kind::Text),
        ("key".to_string(), Kind::Text),
        ("value".to_string(), Kind::Real),
        ("state".to_string(), Kind::Text),
        ("raw".to_string(), Kind::Text),
        ("confidence".to_string(), Kind::Real),
    ];
    sink.header(&columns)?;
    let mut fields = conn
        .prepare("SELECT key, value, state, raw, confidence FROM fields WHERE sha256 = ?1")
        .map_err(db)?;
    let mut st = conn.prepare(REPORTS_SQL).map_err(db)?;
    let mut q = st.query([]).map_err(db)?;
    while let Some(r) = q.next().map_err(db)? {
        let path: String = r.get(6).map_err(db)?;
        let sha: String = r.get(7).map_err(db)?;
        type Row = (String, Option<f64>, String, String, f64);
        let mut these: Vec<Row> = fields
            .query_map([&sha], |f| {
                Ok((f.get(0)?, f.get(1)?, f.get(2)?, f.get(3)?, f.get(4)?))
            })
            .and_then(|rows| rows.collect::<rusqlite::Result<_>>())
            .map_err(db)?;
        let mut keys: Vec<String> = these.iter().map(|t| t.0.clone()).collect();
        sort_keys(&mut keys);
        let pos: HashMap<&str, usize> = keys
            .iter()
            .enumerate()
            .map(|(i, k)| (k.as_str(), i))
            .collect();
        these.sort_by_key(|t| pos[t.0.as_str()]);
        for (key, value, state, raw, conf) in these {
            sink.row(&[
                Cell::Text(sha.clone()),
                Cell::Text(path.clone()),
                Cell::Text(key),
                value.map(Cell::Real).unwrap_or(Cell::Null),
                Cell::Text(state),
                Cell::Text(raw),
                Cell::Real(conf),
            ])?;
        }
    }
    Ok(())
}

pub struct CsvSink<W: Write>(pub csv::Writer<W>);

impl<W: Write> Sink for CsvSink<W> {
    fn header(&mut self, columns: &[(String, Kind)]) -> Result<(), String> {
        self.0
            .write_record(columns.iter().map(|c| c.0.as_str()))
            .map_err(|e| e.to_string())
    }
    fn row(&mut self, row: &[Cell]) -> Result<(), String> {
        self.0
            .write_record(row.iter().map(Cell::to_csv))
            .map_err(|e| e.to_string())
    }
    fn finish(&mut self) -> Result<(), String> {
        self.0.flush().map_err(|e| e.to_string())
    }
}

pub struct JsonlSink<W: Write> {
    pub out: W,
    names: Vec<String>,
}

impl<W: Write> JsonlSink<W> {
    pub fn new(out: W) -> Self {
        JsonlSink { out, names: vec![] }
    }
}

impl<W: Write> Sink for JsonlSink<W> {
    fn header(&mut self, columns: &[(String, Kind)]) -> Result<(), String> {
        self.names = columns.iter().map(|c| c.0.clone()).collect();
        Ok(())
    }
    fn row(&mut self, row: &[Cell]) -> Result<(), String> {
        let mut obj = Map::new();
        for (name, cell) in self.names.iter().zip(row) {
            obj.insert(name.clone(), cell.to_json());
        }
        serde_json::to_writer(&mut self.out, &Value::Object(obj)).map_err(|e| e.to_string())?;
        self.out.write_all(b"\n").map_err(|e| e.to_string())
    }
    fn finish(&mut self) -> Result<(), String> {
        self.out.flush().map_err(|e| e.to_string())
    }
}

/// Parquet: rows gathered into record batches of `BATCH_ROWS`.
#[cfg(feature = "parquet")]
pub struct ParquetSink<W: Write + Send> {
    out: Option<W>,
    writer: Option<parquet::arrow::ArrowWriter<W>>,
    schema: Option<std::sync::Arc<arrow_schema::Schema>>,
    kinds: Vec<Kind>,
    rows: Vec<Vec<Cell>>,
}

#[cfg(feature = "parquet")]
impl<W: Write + Send> ParquetSink<W> {
    const BATCH_ROWS: usize = 8192;

    pub fn new(out: W) -> Self {
        ParquetSink {
            out: Some(out),
            writer: None,
            schema: None,
            kinds: vec![],
            rows: vec![],
        }
    }

    fn flush_rows(&mut self) -> Result<(), String> {
        use std::sync::Arc;

        use arrow_array::{ArrayRef, Float64Array, Int64Array, RecordBatch, StringArray};

        let (Some(schema), Some(w)) = (&self.schema, &mut self.writer) else {
            return Ok(());
        };
        let rows = &self.rows;
        let arrays: Vec<ArrayRef> = self
            .kinds
            .iter()
            .enumerate()
            .map(|(i, k)| -> ArrayRef {
                match k {
                    Kind::Text => {
                        Arc::new(StringArray::from_iter(rows.iter().map(|r| match &r[i] {
                            Cell::Text(s) => Some(s.as_str()),
                            _ => None,
                        })))
                    }
                    Kind::Int => {
                        Arc::new(Int64Array::from_iter(rows.iter().map(|r| match &r[i] {
                            Cell::Int(v) => Some(*v),
                            _ => None,
                        })))
                    }
                    Kind::Real => {
                        Arc::new(Float64Array::from_iter(rows.iter().map(|r| match &r[i] {
                            Cell::Real(v) => Some(*v),
                            Cell::Int(v) => Some(*v as f64),
                            _ => None,
                        })))
                    }
                }
            })
            .collect();
        let batch = RecordBatch::try_new(schema.clone(), arrays).map_err(|e| e.to_string())?;
        w.write(&batch).map_err(|e| e.to_string())?;
        self.rows.clear();
        Ok(())
    }
}

#[cfg(feature = "parquet")]
impl<W: Write + Send> Sink for ParquetSink<W> {
    fn header(&mut self, columns: &[(String, Kind)]) -> Result<(), String> {
        use arrow_schema::{DataType, Field, Schema};

        let fields: Vec<Field> = columns
            .iter()
            .map(|(n, k)| {
                let t = match k {
                    Kind::Text => DataType::Utf8,
                    Kind::Int => DataType::Int64,
                    Kind::Real => DataType::Float64,
                };
                Field::new(n, t, true)
            })
            .collect();
        let schema = std::sync::Arc::new(Schema::new(fields));
        self.kinds = columns.iter().map(|c| c.1).collect();
        let out = self.out.take().ok_or("header written twice")?;
        self.writer = Some(
            parquet::arrow::ArrowWriter::try_new(out, schema.clone(), None)
                .map_err(|e| e.to_string())?,
        );
        self.schema = Some(schema);
        Ok(())
    }
    fn row(&mut self, row: &[Cell]) -> Result<(), String> {
        self.rows.push(row.to_vec());
        if self.rows.len() >= Self::BATCH_ROWS {
            self.flush_rows()?;
        }
        Ok(())
    }
    fn finish(&mut self) -> Result<(), String> {
        if !self.rows.is_empty() {
            self.flush_rows()?;
        }
        if let Some(w) = self.writer.take() {
            w.close().map_err(|e| e.to_string())?;
        }
        Ok(())
    }
}

/// `xxgk export`: returns the exit code.
pub fn run_export(
    db: &std::path::Path,
    format: Format,
    table: Table,
    output: Option<&std::path::Path>,
) -> i32 {
    let conn = match super::open_existing(db) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("xxgk: {e}");
            return 1;
        }
    };
    let out: Box<dyn Write + Send> = match output {
        Some(p) => match std::fs::File::create(p) {
            Ok(f) => Box::new(std::io::BufWriter::new(f)),
            Err(e) => {
                eprintln!("xxgk: cannot write {}: {e}", p.display());
                return 2;
            }
        },
        None => Box::new(std::io::BufWriter::new(std::io::stdout())),
    };
    let mut sink: Box<dyn Sink> = match format {
        Format::Csv => Box::new(CsvSink(csv::Writer::from_writer(out))),
        Format::Jsonl => Box::new(JsonlSink::new(out)),
        #[cfg(feature = "parquet")]
        Format::Parquet => Box::new(ParquetSink::new(out)),
        #[cfg(not(feature = "parquet"))]
        Format::Parquet => {
            eprintln!(
                "xxgk: this xxgk was built without Parquet support: cargo build --release --features parquet"
            );
            return 2;
        }
    };
    match export(&conn, table, sink.as_mut()) {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("xxgk: export failed: {e}");
            1
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(feature = "parquet")]
    #[test]
    fn parquet_reads_back() {
        use arrow_array::{Array, Float64Array, Int64Array, StringArray};
        use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;

        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.parquet");
        let mut sink = ParquetSink::new(std::fs::File::create(&path).unwrap());
        let cols = vec![
            ("organization".to_string(), Kind::Text),
            ("year".to_string(), Kind::Int),
            ("requests.new.total".to_string(), Kind::Real),
        ];
        sink.header(&cols).unwrap();
        sink.row(&[
            Cell::Text("景山街道".into()),
            Cell::Int(2020),
            Cell::Real(8.0),
        ])
        .unwrap();
        sink.row(&[Cell::Null, Cell::Null, Cell::Null]).unwrap();
        sink.finish().unwrap();
        let reader = ParquetRecordBatchReaderBuilder::try_new(std::fs::File::open(&path).unwrap())
            .unwrap()
            .build()
            .unwrap();
        let batches: Vec<_> = reader.map(|b| b.unwrap()).collect();
        assert_eq!(batches.len(), 1);
        let b = &batches[0];
        assert_eq!(b.num_rows(), 2);
        let org = b.column(0).as_any().downcast_ref::<StringArray>().unwrap();
        let year = b.column(1).as_any().downcast_ref::<Int64Array>().unwrap();
        let total = b.column(2).as_any().downcast_ref::<Float64Array>().unwrap();
        assert_eq!(org.value(0), "景山街道");
        assert_eq!(year.value(0), 2020);
        assert_eq!(total.value(0), 8.0);
        assert!(org.is_null(1) && year.is_null(1) && total.is_null(1));
    }

    #[test]
    fn keys_sort_in_template_order() {
        let mut k: Vec<String> = [
            "review.total",
            "requests.total.total",
            "requests.new.total",
            "requests.new.natural_person",
            "proactive.zzz.unknown",
            "proactive.rules.issued",
            "litigation_direct.upheld",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        sort_keys(&mut k);
        assert_eq!(
            k,
            [
                "proactive.rules.issued",
                "proactive.zzz.unknown",
                "requests.new.natural_person",
                "requests.new.total",
                "requests.total.total",
                "review.total",
                "litigation_direct.upheld",
            ]
        );
    }
}

//! Support for the fuzz targets (`fuzz/`) and their regression tests: builds documents from
//! arbitrary bytes. Not part of the pipeline.

use crate::model::{Block, CellSpec, Document, TableBuilder};
use crate::template::data;
use std::sync::OnceLock;

fn dictionary() -> &'static Vec<String> {
    static D: OnceLock<Vec<String>> = OnceLock::new();
    D.get_or_init(|| {
        let mut d: Vec<String> = Vec::new();
        for r in data::TABLE3_ROWS {
            d.push(r.label.into());
            d.extend(r.aliases.iter().map(|s| s.to_string()));
        }
        for (_, labels) in data::TABLE3_GROUPS {
            d.extend(labels.iter().map(|s| s.to_string()));
        }
        for c in data::TABLE3_COLUMNS.iter().chain(data::TABLE4_COLUMNS) {
            d.push(c.label.into());
            d.extend(c.aliases.iter().map(|s| s.to_string()));
        }
        for (a, b, labels) in data::TABLE4_GROUPS {
            d.push(a.to_string());
            d.push(b.to_string());
            d.extend(labels.iter().map(|s| s.to_string()));
        }
        for r in data::TABLE2_ROWS {
            d.push(r.label.into());
            d.extend(r.aliases.iter().map(|s| s.to_string()));
            for c in r.columns {
                d.push(c.label.into());
            }
        }
        for m in data::TABLE2_MARKERS
            .iter()
            .chain(data::TABLE3_MARKERS)
            .chain(data::TABLE4_MARKERS)
            .chain(data::V2021_MARKERS)
            .chain(data::V2019_MARKERS)
            .chain(data::LEGACY_MARKERS)
        {
            d.push(m.to_string());
        }
        for (_, heads) in data::SECTIONS {
            for (i, h) in heads.iter().enumerate() {
                let n = ["一", "二", "三", "四", "五", "六", "七"][i % 7];
                d.push(format!("{n}、{h}"));
                d.push(h.to_string());
            }
        }
        for s in [
            "",
            "0",
            "1",
            "2",
            "3",
            "7",
            "10",
            "12",
            "100",
            "-1",
            "1,234",
            "3.5",
            "0.0",
            "—",
            "-",
            "/",
            "无",
            "元",
            "万元",
            "1.2万元",
            "（一）",
            "（二）",
            "1.",
            "2.",
            "总计",
            "合计",
            "小计",
            "2019",
            "2020",
            "2021",
            "2022",
            "年",
            "北京市东城区人民政府景山街道办事处",
            "2021年政府信息公开工作年度报告",
            "\n",
            "\t",
            " ",
            "１２",
            "一二",
        ] {
            d.push(s.to_string());
        }
        d
    })
}

struct Bytes<'a>(&'a [u8]);
impl Bytes<'_> {
    fn next(&mut self) -> Option<u8> {
        let (&b, rest) = self.0.split_first()?;
        self.0 = rest;
        Some(b)
    }
    fn word(&mut self) -> String {
        let d = dictionary();
        let a = self.next().unwrap_or(0) as usize;
        let b = self.next().unwrap_or(0) as usize;
        d[(a << 8 | b) % d.len()].clone()
    }
}

/// Builds a document from fuzz bytes read as a small program: paragraphs and table cells
/// drawn from a dictionary of the templates' own labels, headings and numbers, spans,
/// vertical merges and widened cells.
pub fn table_program(data: &[u8]) -> Document {
    let mut input = Bytes(data);
    let mut doc = Document::default();
    let mut table: Option<TableBuilder> = None;
    let flush = |table: &mut Option<TableBuilder>, doc: &mut Document| {
        if let Some(b) = table.take() {
            let (t, w) = b.finish();
            doc.warnings.extend(w);
            doc.blocks.push(Block::Table(t));
        }
    };
    while let Some(op) = input.next() {
        match op % 10 {
            0 => {
                flush(&mut table, &mut doc);
                let mut p = input.word();
                if input.next().unwrap_or(0) % 2 == 0 {
                    p.push_str(&input.word());
                }
                doc.blocks.push(Block::Paragraph(p));
            }
            1 => {
                flush(&mut table, &mut doc);
                let mut b = TableBuilder::new(input.next().unwrap_or(0) % 2 == 0);
                let declared = input.next().unwrap_or(0) % 16;
                b.declare_cols(declared as usize);
                table = Some(b);
            }
            2 => {
                if let Some(b) = table.as_mut() {
                    b.start_row();
                }
            }
            3..=6 => {
                let text = if op % 10 == 6 {
                    format!("{}{}", input.word(), input.word())
                } else {
                    input.word()
                };
                let shape = input.next().unwrap_or(0);
                let spec = CellSpec {
                    text,
                    col_span: 1 + (shape & 0x7) as usize * usize::from(shape & 0x40 != 0),
                    row_span: 1 + ((shape >> 3) & 0x7) as usize * usize::from(shape & 0x80 != 0),
                    vertical: shape & 0x20 != 0 && shape & 0x40 == 0,
                };
                if let Some(b) = table.as_mut() {
                    b.push(spec);
                }
            }
            7 => {
                let col = input.next().unwrap_or(0) as usize % 16;
                let w = 1 + input.next().unwrap_or(0) as usize % 4;
                if let Some(b) = table.as_mut() {
                    b.continue_above(col, w);
                }
            }
            8 => {
                let w = 1 + input.next().unwrap_or(0) as usize % 4;
                if let Some(b) = table.as_mut() {
                    b.widen_left(w);
                }
            }
            _ => {
                // A row of numbers, the common case in real tables.
                if let Some(b) = table.as_mut() {
                    let n = input.next().unwrap_or(0) % 12;
                    for i in 0..n {
                        b.push(CellSpec::text(format!(
                            "{}",
                            (i as u32 * 7 + op as u32) % 50
                        )));
                    }
                }
            }
        }
    }
    flush(&mut table, &mut doc);
    doc
}

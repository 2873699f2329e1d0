//! Prints how a file was read: blocks, table kinds and the rows the mapper sees.
use xxgk::layout::{regions, sections};
use xxgk::model::Block;
use xxgk::template::map::{T3_SPEC, T4_SPEC};
use xxgk::template::rows::part_rows;

fn main() {
    let path = std::env::args().nth(1).expect("usage: dump FILE");
    let bytes = std::fs::read(&path).expect("read");
    let read = xxgk::read::read_bytes(&bytes).expect("read_bytes");
    let doc = read.document;
    println!(
        "format {} encoding {} warnings {:?}",
        read.format, read.encoding, doc.warnings
    );
    for (i, b) in doc.blocks.iter().enumerate() {
        match b {
            Block::Paragraph(p) => println!("[{i}] P {}", p.chars().take(60).collect::<String>()),
            Block::Table(t) => println!(
                "[{i}] T {}x{} kind={:?}",
                t.rows(),
                t.cols(),
                regions::classify_table(t)
            ),
        }
    }
    let secs = sections::find_sections(&doc);
    for s in &secs {
        println!("section {} {}..{} {}", s.key, s.start, s.end, s.heading);
    }
    for (kind, parts) in regions::table_parts(&doc, &secs) {
        println!("== {kind:?}");
        let mut carry = None;
        let spec = match kind {
            regions::TableKind::Requests => Some(&T3_SPEC),
            regions::TableKind::Review => Some(&T4_SPEC),
            _ => None,
        };
        for p in &parts {
            for r in part_rows(p, spec, &mut carry) {
                println!(
                    "  h={} {:?} | {:?} | {:?} {:?}",
                    r.header, r.labels, r.values, r.columns, r.evidence
                );
            }
        }
    }
}

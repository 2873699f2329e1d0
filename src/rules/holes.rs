//! Blank cells where the report otherwise writes every number: a cell lost or shifted by the
//! conversion is the likeliest reason, so the finding is about our reading (origin extraction).

use super::{Context, Outcome};
use crate::record::{Origin, Severity, Violation};
use crate::template::cell::CellState;

pub const DOC: &str = "Tables 二, 三 and 四: a blank cell in a table whose other cells are all filled (zeros and `/` written out) is probably a lost or shifted cell.";

/// At most this share of a table's cells may be blank for the blanks to count as holes.
const MAX_HOLE_SHARE: f64 = 0.05;

pub fn holes(ctx: &Context, out: &mut Outcome) {
    for prefix in [
        "proactive.",
        "requests.",
        "review.|litigation_direct.|litigation_after_review.",
    ] {
        let prefixes: Vec<&str> = prefix.split('|').collect();
        let cells: Vec<_> = ctx
            .mapped
            .fields
            .iter()
            .filter(|f| prefixes.iter().any(|p| f.key.starts_with(p)))
            .collect();
        if cells.is_empty() {
            continue;
        }
        let blanks: Vec<_> = cells
            .iter()
            .filter(|f| f.cell.state == CellState::Blank)
            .collect();
        let numbers = cells
            .iter()
            .filter(|f| matches!(f.cell.state, CellState::Number | CellState::Na))
            .count();
        if blanks.is_empty() {
            out.assessment.passed += 1;
            continue;
        }
        if (blanks.len() as f64) > MAX_HOLE_SHARE * cells.len() as f64 || numbers == 0 {
            // Blanks are how this report writes zeros (or nothing was filled in).
            out.assessment.not_assessable += 1;
            continue;
        }
        out.assessment.failed += 1;
        // The whole row of a hole is suspect: a shifted row moves its numbers too.
        let rows: Vec<&str> = blanks
            .iter()
            .map(|f| f.key.rsplit_once('.').map_or(f.key.as_str(), |x| x.0))
            .collect();
        let keys: Vec<String> = cells
            .iter()
            .filter(|f| rows.contains(&f.key.rsplit_once('.').map_or(f.key.as_str(), |x| x.0)))
            .map(|f| f.key.clone())
            .collect();
        let shown: Vec<&str> = blanks.iter().take(4).map(|f| f.key.as_str()).collect();
        out.violations.push(Violation {
            rule: String::new(),
            severity: Severity::Warning,
            origin: Origin::Extraction,
            message: format!(
                "{} blank cell(s) among {} filled ones, probably lost or shifted in conversion: {}{}",
                blanks.len(),
                numbers,
                shown.join(", "),
                if blanks.len() > 4 { ", …" } else { "" }
            ),
            fields: keys,
        });
    }
}

pub const BLANK_DOC: &str = "Tables 三 and 四: identities that blank cells keep from being checked, because the blanks would have to hold numbers for them to hold.";

/// One finding per table naming every cell of the identities that blanks block.
pub fn blocked(ctx: &Context, out: &mut Outcome) {
    use super::Check;
    for (name, ids) in ["三", "四"].into_iter().zip(ctx.identity_checks()) {
        let mut keys: Vec<String> = Vec::new();
        let mut count = 0;
        for ((left, right), check) in ids {
            if let Check::Blocked(_) = check {
                count += 1;
                for t in left.iter().chain(right) {
                    if !keys.iter().any(|k| *k == *t.key) {
                        keys.push(t.key.to_string());
                    }
                }
            }
        }
        if count == 0 {
            if !ids.is_empty() {
                out.assessment.passed += 1;
            }
            continue;
        }
        out.assessment.failed += 1;
        out.violations.push(Violation {
            rule: String::new(),
            severity: Severity::Info,
            origin: Origin::Source,
            message: format!("table {name}: {count} identities cannot be checked: blank cells would have to hold numbers for them to hold"),
            fields: keys,
        });
    }
}

//! Table 二 checks.

use super::{Context, Outcome};
use crate::record::{Origin, Severity, Violation};
use crate::template::cell::NumberNote;

pub const UNIT_DOC: &str =
    "Table 二 money is in 万元; a cell written in 元 (`251000元`) is converted and flagged.";

pub fn unit(ctx: &Context, out: &mut Outcome) {
    for f in ctx
        .mapped
        .fields
        .iter()
        .filter(|f| f.key.starts_with("proactive."))
    {
        if f.cell.notes.contains(&NumberNote::Yuan) {
            let v = f.cell.value.map(super::fmt_num).unwrap_or_default();
            out.assessment.failed += 1;
            out.violations.push(Violation {
                rule: String::new(),
                severity: Severity::Warning,
                origin: Origin::Source,
                message: format!("{} written in 元: {} read as {v} 万元", f.key, f.cell.raw),
                fields: vec![f.key.clone()],
            });
        }
    }
}

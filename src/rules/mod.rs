//! The rule catalogue (rules.md): each rule has a stable ID, a severity, a one-line doc, and a
//! check. The registry below is the only list of rules; `xxgk rules` prints it.

pub mod cross_year;
mod structure;
mod table2;
mod table3;
mod table4;

use crate::record::{Assessment, Origin, Severity, Violation};
use crate::template::cell::{CellState, CellValue};
use crate::template::data::Vintage;
use crate::template::detect::Template;
use crate::template::map::{Field, Mapped};

/// What the rules see of one report.
pub struct Context<'a> {
    pub mapped: &'a Mapped,
    pub template: Template,
    pub year: Option<i32>,
    /// Section keys found, in document order.
    pub sections: Vec<&'static str>,
}

impl Context<'_> {
    pub fn field(&self, key: &str) -> Option<&Field> {
        self.mapped.get(key)
    }
    pub fn vintage(&self) -> Option<Vintage> {
        self.template.vintage()
    }
}

/// One rule of the catalogue.
pub struct Rule {
    pub id: &'static str,
    pub severity: Severity,
    /// One line: what the rule checks.
    pub doc: &'static str,
    pub check: fn(&Context, &mut Outcome),
}

/// What a rule found: violations and how many of its checks could be assessed.
#[derive(Default)]
pub struct Outcome {
    pub violations: Vec<Violation>,
    pub assessment: Assessment,
}

pub static RULES: &[Rule] = &[
    Rule {
        id: "T3-COL",
        severity: Severity::Error,
        doc: table3::COL_DOC,
        check: table3::col,
    },
    Rule {
        id: "T3-SUM",
        severity: Severity::Error,
        doc: table3::SUM_DOC,
        check: table3::sum,
    },
    Rule {
        id: "T3-ROW",
        severity: Severity::Error,
        doc: table3::ROW_DOC,
        check: table3::row,
    },
    Rule {
        id: "T4-SUM",
        severity: Severity::Error,
        doc: table4::SUM_DOC,
        check: table4::sum,
    },
    Rule {
        id: "T2-UNIT",
        severity: Severity::Warning,
        doc: table2::UNIT_DOC,
        check: table2::unit,
    },
    Rule {
        id: "S-SECTIONS",
        severity: Severity::Warning,
        doc: structure::SECTIONS_DOC,
        check: structure::sections,
    },
    Rule {
        id: "S-TABLES",
        severity: Severity::Error,
        doc: structure::TABLES_DOC,
        check: structure::tables,
    },
    Rule {
        id: "S-VINTAGE",
        severity: Severity::Warning,
        doc: structure::VINTAGE_DOC,
        check: structure::vintage,
    },
];

/// Runs every rule.
pub fn run(ctx: &Context) -> (Vec<Violation>, Vec<Assessment>) {
    let mut violations = Vec::new();
    let mut assessments = Vec::new();
    for rule in RULES {
        let mut out = Outcome::default();
        out.assessment.rule = rule.id.to_string();
        (rule.check)(ctx, &mut out);
        for v in &mut out.violations {
            v.rule = rule.id.to_string();
        }
        violations.extend(out.violations);
        let a = out.assessment;
        if a.passed + a.failed + a.blank_as_zero + a.not_assessable > 0 {
            assessments.push(a);
        }
    }
    (violations, assessments)
}

/// A term of an identity: a field key and its label for messages.
pub struct Term<'a> {
    pub key: String,
    /// Row or group label, for messages.
    #[allow(dead_code)]
    pub label: &'a str,
}

/// How an identity `left = right` came out under the blank-cell policy of rules.md §0.
pub enum Check {
    Pass,
    /// Passes only when blank cells are read as 0.
    PassBlankAsZero,
    Fail {
        left: Vec<f64>,
        right: Vec<f64>,
        blanks: bool,
    },
    NotAssessable,
}

/// Evaluates `Σ left = Σ right`: strict when every cell is a number; with blanks read as 0
/// when some are blank; not assessable when a cell is missing, `/` or text.
pub fn check_identity(ctx: &Context, left: &[Term], right: &[Term]) -> Check {
    let value = |t: &Term| -> Option<(f64, bool)> {
        let f = ctx.field(&t.key)?;
        match f.cell.state {
            CellState::Number => f.cell.value.map(|v| (v, false)),
            CellState::Blank => Some((0.0, true)),
            CellState::Na | CellState::Text => None,
        }
    };
    let mut blanks = false;
    let mut l = Vec::new();
    let mut r = Vec::new();
    for t in left {
        let Some((v, b)) = value(t) else {
            return Check::NotAssessable;
        };
        blanks |= b;
        l.push(v);
    }
    for t in right {
        let Some((v, b)) = value(t) else {
            return Check::NotAssessable;
        };
        blanks |= b;
        r.push(v);
    }
    // All blank: nothing was reported; there is nothing to check.
    let all_blank = left.iter().chain(right).all(|t| {
        ctx.field(&t.key)
            .is_some_and(|f| f.cell.state == CellState::Blank)
    });
    if all_blank {
        return Check::NotAssessable;
    }
    let (ls, rs): (f64, f64) = (l.iter().sum(), r.iter().sum());
    if (ls - rs).abs() < 1e-6 {
        return if blanks {
            Check::PassBlankAsZero
        } else {
            Check::Pass
        };
    }
    // A blank is an unknown count, not a zero: when blanks sit on the smaller side, some
    // values for them would make the identity hold, so it cannot be judged (Shanghai 2019
    // leaves the 总计 column blank in result rows). Blanks on the larger side cannot help.
    let blank_on = |terms: &[Term]| {
        terms.iter().any(|t| {
            ctx.field(&t.key)
                .is_some_and(|f| f.cell.state == CellState::Blank)
        })
    };
    let smaller_has_blank = if ls < rs {
        blank_on(left)
    } else {
        blank_on(right)
    };
    if smaller_has_blank {
        return Check::NotAssessable;
    }
    Check::Fail {
        left: l,
        right: r,
        blanks,
    }
}

/// Records a check's outcome; on failure adds a violation built by `message`.
pub fn record_check(
    ctx: &Context,
    out: &mut Outcome,
    severity: Severity,
    check: Check,
    keys: Vec<String>,
    message: impl FnOnce(&[f64], &[f64]) -> String,
) {
    match check {
        Check::Pass => out.assessment.passed += 1,
        Check::PassBlankAsZero => out.assessment.blank_as_zero += 1,
        Check::NotAssessable => out.assessment.not_assessable += 1,
        Check::Fail {
            left,
            right,
            blanks,
        } => {
            out.assessment.failed += 1;
            let mut msg = message(&left, &right);
            if blanks {
                msg.push_str(" (blank cells read as 0)");
            }
            // A row placed by template order, or columns assumed by position, may be our
            // misreading rather than the document's.
            let shaky = keys
                .iter()
                .filter_map(|k| ctx.field(k))
                .any(|f| f.evidence.row_by_order);
            out.violations.push(Violation {
                rule: String::new(),
                severity,
                origin: if shaky {
                    Origin::Extraction
                } else {
                    Origin::Source
                },
                message: msg,
                fields: keys,
            });
        }
    }
}

/// `8 + 0` for a message.
pub fn join_numbers(v: &[f64]) -> String {
    v.iter()
        .map(|x| fmt_num(*x))
        .collect::<Vec<_>>()
        .join(" + ")
}

pub fn fmt_num(x: f64) -> String {
    if x.fract() == 0.0 {
        format!("{}", x as i64)
    } else {
        format!("{x}")
    }
}

pub fn cell_is_number(c: &CellValue) -> bool {
    c.state == CellState::Number
}

/// For each mapped field, how many of the table identities it takes part in held strictly
/// (all cells numbers). Used by the confidence model.
pub fn passed_per_field(ctx: &Context) -> Vec<u32> {
    let mut count = vec![0u32; ctx.mapped.fields.len()];
    for ids in table3::identities(ctx)
        .into_iter()
        .chain(table4::identities(ctx))
    {
        let (left, right) = ids;
        if matches!(check_identity(ctx, &left, &right), Check::Pass) {
            for t in left.iter().chain(&right) {
                if let Some(i) = ctx.mapped.position(&t.key) {
                    count[i] += 1;
                }
            }
        }
    }
    count
}

#[cfg(test)]
mod tests;

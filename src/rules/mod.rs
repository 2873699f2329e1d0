//! The rule catalogue (rules.md): each rule has a stable ID, a severity, a one-line doc, and a
//! check. The registry below is the only list of rules; `xxgk rules` prints it.

pub mod across;
pub mod cross_year;
pub mod dup_text;
pub(crate) mod holes;
mod narrative;
mod structure;
mod table2;
mod table3;
mod table4;
mod text;

use std::borrow::Cow;
use std::cell::OnceCell;

use crate::record::{Assessment, Origin, Severity, Violation};
use crate::template::cell::CellState;
use crate::template::data::Vintage;
use crate::template::detect::Template;
use crate::template::keys;
use crate::template::map::{Field, Mapped};

/// What the rules see of one report.
pub struct Context<'a> {
    pub mapped: &'a Mapped,
    pub template: Template,
    pub year: Option<i32>,
    /// Section keys found, in document order.
    pub sections: Vec<&'static str>,
    /// Each part's narrative (section key, text with paragraphs separated by `\n`), in
    /// document order; what the N-* and S-* text rules read.
    pub texts: Vec<(&'static str, &'a str)>,
    /// The report's title as printed, if found.
    pub title: Option<&'a str>,
    /// The reporting organisation, from the title (T2-RULE-LEVEL, T2-NORM-LEVEL).
    pub organization: Option<&'a str>,
    /// What several rules derive from the above, computed once when first asked; start
    /// with `Default::default()`.
    pub derived: Derived,
}

/// Values several rules derive from a [`Context`], each computed once.
#[derive(Default)]
pub struct Derived {
    narrative: OnceCell<Vec<char>>,
    identity_checks: OnceCell<[Vec<(table3::Identity, Check)>; 2]>,
}

impl<'a> Context<'a> {
    /// A context with no narrative, title or organisation (tables only).
    pub fn tables_only(mapped: &'a Mapped, year: Option<i32>) -> Context<'a> {
        Context {
            mapped,
            template: mapped.template.unwrap_or(Template::Unknown),
            year,
            sections: vec![],
            texts: vec![],
            title: None,
            organization: None,
            derived: Derived::default(),
        }
    }
    /// All parts' narrative compacted for phrase matching ([`text::narrative`]), computed
    /// once and shared by the N-* rules.
    pub fn narrative(&self) -> &[char] {
        self.derived
            .narrative
            .get_or_init(|| text::narrative(&self.texts))
    }
    /// Every table 三 and table 四 identity with how it came out, computed once and shared
    /// by S-BLANK and the confidence evidence ([`field_checks`]).
    pub fn identity_checks(&self) -> &[Vec<(table3::Identity, Check)>; 2] {
        self.derived.identity_checks.get_or_init(|| {
            [table3::identities(self), table4::identities(self)].map(|ids| {
                ids.into_iter()
                    .map(|(left, right)| {
                        let check = check_identity(self, &left, &right);
                        ((left, right), check)
                    })
                    .collect()
            })
        })
    }
    /// The narrative of one part, if the part was found.
    pub fn text(&self, key: &str) -> Option<&'a str> {
        self.texts.iter().find(|(k, _)| *k == key).map(|(_, t)| *t)
    }
    /// A numeric cell's value (None when missing, blank, `/` or text).
    pub fn number(&self, key: &str) -> Option<f64> {
        self.field(key)
            .filter(|f| f.cell.state == CellState::Number)
            .and_then(|f| f.cell.value)
    }
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
    /// The highest severity its findings have.
    pub severity: Severity,
    /// The usual origin of its findings: `source` (the document is inconsistent) or
    /// `extraction` (the pipeline suspects its own reading). Identity rules report
    /// `extraction` for a finding the reading explains (rows placed by order, T3-SPLIT, T3-SHIFT).
    pub origin: Origin,
    /// One line: what the rule checks.
    pub doc: &'static str,
    pub check: fn(&Context, &mut Outcome),
}

/// A rule that compares two reports (same organisation, consecutive years) and so has no
/// per-report check; listed by `xxgk rules` beside [`RULES`]. Its check lives in its own
/// module (X-DUP-TEXT: [`dup_text::check`]).
pub struct RuleDoc {
    pub id: &'static str,
    pub severity: Severity,
    pub origin: Origin,
    pub doc: &'static str,
}

/// Cross-report rules (rules.md §4).
pub static CROSS_RULES: &[RuleDoc] = &[RuleDoc {
    id: dup_text::ID,
    severity: Severity::Warning,
    origin: Origin::Source,
    doc: dup_text::DOC,
}];

/// The identity rules: a failure means a cell of the identity is wrong (in the document or in
/// our reading). The confidence model lowers the confidence of their fields, and only theirs.
pub const IDENTITY_RULES: &[&str] = &["T3-COL", "T3-SUM", "T3-ROW", "T4-SUM"];

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
        origin: Origin::Source,
        doc: table3::COL_DOC,
        check: table3::col,
    },
    Rule {
        id: "T3-SUM",
        severity: Severity::Error,
        origin: Origin::Source,
        doc: table3::SUM_DOC,
        check: table3::sum,
    },
    Rule {
        id: "T3-ROW",
        severity: Severity::Error,
        origin: Origin::Source,
        doc: table3::ROW_DOC,
        check: table3::row,
    },
    Rule {
        id: "T3-NN",
        severity: Severity::Error,
        origin: Origin::Source,
        doc: table3::NN_DOC,
        check: table3::nn,
    },
    Rule {
        id: "T3-BOUND",
        severity: Severity::Error,
        origin: Origin::Source,
        doc: table3::BOUND_DOC,
        check: table3::bound,
    },
    Rule {
        id: "T3-ZERO",
        severity: Severity::Error,
        origin: Origin::Source,
        doc: table3::ZERO_DOC,
        check: table3::zero,
    },
    Rule {
        id: "T3-SPLIT",
        severity: Severity::Warning,
        origin: Origin::Extraction,
        doc: table3::SPLIT_DOC,
        check: table3::split,
    },
    Rule {
        id: "T3-SHIFT",
        severity: Severity::Warning,
        origin: Origin::Extraction,
        doc: table3::SHIFT_DOC,
        check: table3::shift,
    },
    Rule {
        id: "T4-SUM",
        severity: Severity::Error,
        origin: Origin::Source,
        doc: table4::SUM_DOC,
        check: table4::sum,
    },
    Rule {
        id: "S-HOLE",
        severity: Severity::Warning,
        origin: Origin::Extraction,
        doc: holes::DOC,
        check: holes::holes,
    },
    Rule {
        id: "S-BLANK",
        severity: Severity::Info,
        origin: Origin::Source,
        doc: holes::BLANK_DOC,
        check: holes::blocked,
    },
    Rule {
        id: "T4-NN",
        severity: Severity::Error,
        origin: Origin::Source,
        doc: table4::NN_DOC,
        check: table4::nn,
    },
    Rule {
        id: "T4-COUNT",
        severity: Severity::Error,
        origin: Origin::Extraction,
        doc: table4::COUNT_DOC,
        check: table4::count,
    },
    Rule {
        id: "T2-NN",
        severity: Severity::Error,
        origin: Origin::Source,
        doc: table2::NN_DOC,
        check: table2::nn,
    },
    Rule {
        id: "T2-UNIT",
        severity: Severity::Warning,
        origin: Origin::Source,
        doc: table2::UNIT_DOC,
        check: table2::unit,
    },
    Rule {
        id: "T2-PREV",
        severity: Severity::Warning,
        origin: Origin::Source,
        doc: table2::PREV_DOC,
        check: table2::prev,
    },
    Rule {
        id: "T2-RULE-LEVEL",
        severity: Severity::Warning,
        origin: Origin::Source,
        doc: table2::RULE_LEVEL_DOC,
        check: table2::rule_level,
    },
    Rule {
        id: "T2-NORM-LEVEL",
        severity: Severity::Info,
        origin: Origin::Source,
        doc: table2::NORM_LEVEL_DOC,
        check: table2::norm_level,
    },
    Rule {
        id: "T2-19-PUB",
        severity: Severity::Warning,
        origin: Origin::Source,
        doc: table2::PUB19_DOC,
        check: table2::pub19,
    },
    Rule {
        id: "T2-19-ITEMS",
        severity: Severity::Error,
        origin: Origin::Source,
        doc: table2::ITEMS19_DOC,
        check: table2::items19,
    },
    Rule {
        id: "N-RECV",
        severity: Severity::Warning,
        origin: Origin::Source,
        doc: narrative::RECV_DOC,
        check: narrative::recv,
    },
    Rule {
        id: "N-DONE",
        severity: Severity::Warning,
        origin: Origin::Source,
        doc: narrative::DONE_DOC,
        check: narrative::done,
    },
    Rule {
        id: "N-CARRY",
        severity: Severity::Warning,
        origin: Origin::Source,
        doc: narrative::CARRY_DOC,
        check: narrative::carry,
    },
    Rule {
        id: "N-CAT",
        severity: Severity::Warning,
        origin: Origin::Source,
        doc: narrative::CAT_DOC,
        check: narrative::cat,
    },
    Rule {
        id: "N-APPL",
        severity: Severity::Warning,
        origin: Origin::Source,
        doc: narrative::APPL_DOC,
        check: narrative::appl,
    },
    Rule {
        id: "N-REVIEW",
        severity: Severity::Warning,
        origin: Origin::Source,
        doc: narrative::REVIEW_DOC,
        check: narrative::review,
    },
    Rule {
        id: "N-SUIT",
        severity: Severity::Warning,
        origin: Origin::Source,
        doc: narrative::SUIT_DOC,
        check: narrative::suit,
    },
    Rule {
        id: "N-NONE",
        severity: Severity::Warning,
        origin: Origin::Source,
        doc: narrative::NONE_DOC,
        check: narrative::none,
    },
    Rule {
        id: "N-FEE",
        severity: Severity::Info,
        origin: Origin::Source,
        doc: narrative::FEE_DOC,
        check: narrative::fee,
    },
    Rule {
        id: "N-YEAR",
        severity: Severity::Warning,
        origin: Origin::Source,
        doc: narrative::YEAR_DOC,
        check: narrative::year,
    },
    Rule {
        id: "S-SECTIONS",
        severity: Severity::Warning,
        origin: Origin::Source,
        doc: structure::SECTIONS_DOC,
        check: structure::sections,
    },
    Rule {
        id: "S-TABLES",
        severity: Severity::Error,
        origin: Origin::Extraction,
        doc: structure::TABLES_DOC,
        check: structure::tables,
    },
    Rule {
        id: "S-VINTAGE",
        severity: Severity::Warning,
        origin: Origin::Source,
        doc: structure::VINTAGE_DOC,
        check: structure::vintage,
    },
    Rule {
        id: "S-SEC5",
        severity: Severity::Warning,
        origin: Origin::Source,
        doc: structure::SEC5_DOC,
        check: structure::sec5,
    },
    Rule {
        id: "S-SEC6-FEE",
        severity: Severity::Info,
        origin: Origin::Source,
        doc: structure::SEC6_FEE_DOC,
        check: structure::sec6_fee,
    },
    Rule {
        id: "S-PERIOD",
        severity: Severity::Info,
        origin: Origin::Source,
        doc: structure::PERIOD_DOC,
        check: structure::period,
    },
    Rule {
        id: "S-ORDINAL",
        severity: Severity::Warning,
        origin: Origin::Source,
        doc: structure::ORDINAL_DOC,
        check: structure::ordinal,
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

/// A term of an identity: the key of a field, and its slot when it is a table 三 or 四 cell
/// (looked up without hashing the key).
pub struct Term {
    pub key: Cow<'static, str>,
    slot: Option<usize>,
}

impl Term {
    /// Any field by its key.
    pub fn key(key: String) -> Term {
        Term {
            key: Cow::Owned(key),
            slot: None,
        }
    }
    /// A table 三 cell: row and column indices into `TABLE3_ROWS` and `TABLE3_COLUMNS`.
    pub fn requests(row: usize, col: usize) -> Term {
        let slot = keys::requests_slot(row, col);
        Term {
            key: Cow::Borrowed(keys::key(slot)),
            slot: Some(slot),
        }
    }
    /// A table 四 cell: group and column indices into `TABLE4_GROUPS` and `TABLE4_COLUMNS`.
    pub fn review(group: usize, col: usize) -> Term {
        let slot = keys::review_slot(group, col);
        Term {
            key: Cow::Borrowed(keys::key(slot)),
            slot: Some(slot),
        }
    }
}

impl Context<'_> {
    /// The field a term names.
    pub fn term(&self, t: &Term) -> Option<&Field> {
        match t.slot {
            Some(s) => self.mapped.get_slot(s),
            None => self.mapped.get(&t.key),
        }
    }
    fn term_position(&self, t: &Term) -> Option<usize> {
        match t.slot {
            Some(s) => self.mapped.position_slot(s),
            None => self.mapped.position(&t.key),
        }
    }
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
    /// Not assessable because blank cells on the smaller side would have to hold numbers for
    /// the identity to hold: those blanks are suspect.
    Blocked(Vec<String>),
}

/// Evaluates `Σ left = Σ right`: strict when every cell is a number; with blanks read as 0
/// when some are blank; not assessable when a cell is missing, `/` or text.
pub fn check_identity(ctx: &Context, left: &[Term], right: &[Term]) -> Check {
    let value = |t: &Term| -> Option<(f64, bool)> {
        let f = ctx.term(t)?;
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
        ctx.term(t)
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
            ctx.term(t)
                .is_some_and(|f| f.cell.state == CellState::Blank)
        })
    };
    let smaller_has_blank = if ls < rs {
        blank_on(left)
    } else {
        blank_on(right)
    };
    if smaller_has_blank {
        let side = if ls < rs { left } else { right };
        let keys = side
            .iter()
            .filter(|t| {
                ctx.term(t)
                    .is_some_and(|f| f.cell.state == CellState::Blank)
            })
            .map(|t| t.key.to_string())
            .collect();
        return Check::Blocked(keys);
    }
    Check::Fail {
        left: l,
        right: r,
        blanks,
    }
}

/// Records a check's outcome; on failure adds a violation built by `message`, naming the
/// fields of `terms` (the identity's sides, in order).
pub fn record_check(
    ctx: &Context,
    out: &mut Outcome,
    severity: Severity,
    check: Check,
    terms: &[&[Term]],
    message: impl FnOnce(&[f64], &[f64]) -> String,
) {
    match check {
        Check::Pass => out.assessment.passed += 1,
        Check::PassBlankAsZero => out.assessment.blank_as_zero += 1,
        Check::NotAssessable | Check::Blocked(_) => out.assessment.not_assessable += 1,
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
            let terms = || terms.iter().flat_map(|side| side.iter());
            // A row placed by template order, or columns assumed by position, may be our
            // misreading rather than the document's.
            let shaky = terms()
                .filter_map(|t| ctx.term(t))
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
                fields: terms().map(|t| t.key.to_string()).collect(),
            });
        }
    }
}

/// Evaluates `Σ left ≤ Σ right` under the same blank policy as [`check_identity`]: blanks read
/// as 0 make the left side as small as it can be, so a failure then is real unless a blank on
/// the right (an unknown, possibly large count) could fix it.
pub fn check_le(ctx: &Context, left: &[Term], right: &[Term]) -> Check {
    let mut blanks = false;
    let mut l = Vec::new();
    let mut r = Vec::new();
    let mut right_blank = false;
    let mut all_blank = true;
    for (side, terms) in [(0, left), (1, right)] {
        for t in terms {
            let Some(f) = ctx.term(t) else {
                return Check::NotAssessable;
            };
            let v = match f.cell.state {
                CellState::Number => {
                    all_blank = false;
                    f.cell.value.unwrap_or(0.0)
                }
                CellState::Blank => {
                    blanks = true;
                    right_blank |= side == 1;
                    0.0
                }
                CellState::Na | CellState::Text => return Check::NotAssessable,
            };
            if side == 0 {
                l.push(v);
            } else {
                r.push(v);
            }
        }
    }
    if all_blank {
        return Check::NotAssessable;
    }
    let (ls, rs): (f64, f64) = (l.iter().sum(), r.iter().sum());
    if ls <= rs + 1e-6 {
        if blanks {
            Check::PassBlankAsZero
        } else {
            Check::Pass
        }
    } else if right_blank {
        Check::NotAssessable
    } else {
        Check::Fail {
            left: l,
            right: r,
            blanks,
        }
    }
}

/// A violation; the rule ID is filled in by [`run`].
pub fn violation(
    severity: Severity,
    origin: Origin,
    message: String,
    fields: Vec<String>,
) -> Violation {
    Violation {
        rule: String::new(),
        severity,
        origin,
        message,
        fields,
    }
}

/// Checks that every numeric cell among `fields` is a non-negative integer (decimals allowed
/// where `decimal(key)`, negatives where `signed(key)`): T3-NN, T4-NN, T2-NN.
pub fn non_negative_integers<'f>(
    out: &mut Outcome,
    severity: Severity,
    fields: impl Iterator<Item = &'f Field>,
    decimal: impl Fn(&str) -> bool,
    signed: impl Fn(&str) -> bool,
) {
    for f in fields {
        if f.cell.state != CellState::Number {
            continue;
        }
        let Some(v) = f.cell.value else { continue };
        let negative = v < 0.0 && !signed(&f.key);
        let fraction = v.fract() != 0.0 && !decimal(&f.key);
        if negative || fraction {
            out.assessment.failed += 1;
            let what = if negative {
                "is negative"
            } else {
                "is not a whole number"
            };
            out.violations.push(violation(
                severity,
                Origin::Source,
                format!(
                    "{} {what}: {} (printed `{}`)",
                    f.key,
                    fmt_num(v),
                    f.cell.raw
                ),
                vec![f.key.clone()],
            ));
        } else {
            out.assessment.passed += 1;
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

/// What the table identities say of one field, for the confidence model.
#[derive(Debug, Clone, Copy, Default)]
pub struct FieldCheck {
    /// Identities it takes part in that held strictly (all cells numbers).
    pub passed: u32,
    /// The field takes part in an identity that blank cells keep from being checked, where the
    /// blanks would have to hold numbers for it to hold.
    pub blocked: bool,
}

/// The identity evidence of every mapped field.
pub fn field_checks(ctx: &Context) -> Vec<FieldCheck> {
    let mut out = vec![FieldCheck::default(); ctx.mapped.fields.len()];
    for ((left, right), check) in ctx.identity_checks().iter().flatten() {
        match check {
            Check::Pass => {
                for t in left.iter().chain(right) {
                    if let Some(i) = ctx.term_position(t) {
                        out[i].passed += 1;
                    }
                }
            }
            Check::Blocked(_) => {
                for t in left.iter().chain(right) {
                    if let Some(i) = ctx.term_position(t) {
                        out[i].blocked = true;
                    }
                }
            }
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests;

//! Cross-report findings for one run: the same organisation's consecutive years (X-* rules),
//! with one report counted once however many files hold it.

use std::collections::BTreeMap;

use super::cross_year::{check_pair, YearFields};
use super::dup_text;
use crate::record::{Record, Status, Violation};

/// What the cross-report rules need of one record (a few numbers and three parts' text).
#[derive(Debug, Clone)]
pub struct YearEntry {
    pub path: String,
    pub complete: bool,
    pub confidence: f64,
    pub fields: YearFields,
    /// Parts 一, 五 and 六 (what X-DUP-TEXT compares).
    pub sections: Vec<(String, String)>,
}

/// Which of two copies of one organisation's year to keep: a complete record (`ok`) before a
/// partial one, then the one with more fields (a truncated copy has fewer fields and so a higher
/// product of confidences), then the more confident, then the first path.
pub fn better_copy(a: (bool, usize, f64, &str), b: (bool, usize, f64, &str)) -> std::cmp::Ordering {
    b.0.cmp(&a.0)
        .then(b.1.cmp(&a.1))
        .then(b.2.total_cmp(&a.2))
        .then(a.3.cmp(b.3))
}

/// Collects records and reports the cross-year findings at the end.
#[derive(Default)]
pub struct Across {
    /// Organisation key → year → the best copy of that year's report, and how many were seen.
    orgs: BTreeMap<String, BTreeMap<i32, (YearEntry, usize)>>,
}

/// A cross-year finding, attached to the later year's file.
#[derive(Debug, Clone)]
pub struct Finding {
    pub path: String,
    pub violation: Violation,
}

impl Across {
    pub fn add(&mut self, r: &Record) {
        if r.status == Status::Failed {
            return;
        }
        let Some(rep) = &r.report else { return };
        let (Some(key), Some(year)) = (&rep.organization_key, rep.year) else {
            return;
        };
        let values = r
            .fields
            .iter()
            .map(|(k, v)| (k.clone(), v.value.as_f64()))
            .collect();
        let sections = r
            .sections
            .iter()
            .filter(|s| matches!(s.key.as_str(), "overview" | "problems" | "other"))
            .map(|s| (s.key.clone(), s.text.clone()))
            .collect();
        let entry = YearEntry {
            path: r.source.path.clone(),
            complete: r.status == Status::Ok,
            confidence: r.confidence,
            fields: YearFields {
                year,
                template: rep.template.clone(),
                values,
            },
            sections,
        };
        let years = self.orgs.entry(key.clone()).or_default();
        match years.get_mut(&year) {
            // The same report in another file (another format, a mirror): keep the most
            // confident copy, then the first path.
            Some((best, n)) => {
                *n += 1;
                if entry.confidence > best.confidence
                    || (entry.confidence == best.confidence && entry.path < best.path)
                {
                    *best = entry;
                }
            }
            None => {
                years.insert(year, (entry, 1));
            }
        }
    }

    /// Findings for every consecutive pair of years of every organisation, in organisation and
    /// year order.
    pub fn findings(&self) -> Vec<Finding> {
        let mut out = Vec::new();
        for years in self.orgs.values() {
            let list: Vec<&YearEntry> = years.values().map(|(e, _)| e).collect();
            for pair in list.windows(2) {
                let (prev, cur) = (pair[0], pair[1]);
                let mut vs = check_pair(&prev.fields, &cur.fields);
                if cur.fields.year == prev.fields.year + 1 {
                    let p: Vec<(&str, &str)> = prev
                        .sections
                        .iter()
                        .map(|(k, t)| (k.as_str(), t.as_str()))
                        .collect();
                    let c: Vec<(&str, &str)> = cur
                        .sections
                        .iter()
                        .map(|(k, t)| (k.as_str(), t.as_str()))
                        .collect();
                    vs.extend(dup_text::check(&p, &c));
                }
                for mut v in vs {
                    v.message = format!(
                        "{} (against {} of {})",
                        v.message, prev.path, prev.fields.year
                    );
                    out.push(Finding {
                        path: cur.path.clone(),
                        violation: v,
                    });
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cmp::Ordering;

    #[test]
    fn a_complete_copy_beats_a_truncated_more_confident_one() {
        // A truncated copy has fewer fields, so its product of confidences is higher.
        assert_eq!(
            better_copy((true, 200, 0.98, "b"), (true, 120, 0.99, "a")),
            Ordering::Less
        );
        assert_eq!(
            better_copy((false, 200, 0.99, "a"), (true, 200, 0.5, "b")),
            Ordering::Greater
        );
        assert_eq!(
            better_copy((true, 200, 0.98, "a"), (true, 200, 0.98, "b")),
            Ordering::Less
        );
    }
}

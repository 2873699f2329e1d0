//! The rule catalogue on the bundled corpus: every file's error-severity findings are exactly
//! the `expected_violations` of its truth file (the generator made v2019_10 inconsistent on
//! purpose (T3-COL) and v2021_09 (T4-SUM)), plus the documented extras below (none so far).

mod common;

use std::collections::BTreeSet;

use common::{extract, root};
use serde_json::Value;
use xxgk::record::Severity;

/// Error findings beyond a truth file's `expected_violations`, with the reason. Empty: no new
/// rule finds an error the generator did not put in.
const EXTRAS: &[(&str, &str, &str)] = &[];

#[test]
fn error_findings_are_the_expected_violations() {
    let dir = root().join("corpus");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("corpus/")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    let mut wrong = Vec::new();
    for f in files {
        let stem = f.file_stem().and_then(|s| s.to_str()).unwrap_or_default();
        let truth: Value = serde_json::from_str(
            &std::fs::read_to_string(root().join(format!("expected/truth/{stem}.json")))
                .expect("truth file"),
        )
        .expect("truth JSON");
        let mut want: BTreeSet<String> = truth["expected_violations"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|v| v.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default();
        want.extend(
            EXTRAS
                .iter()
                .filter(|(s, _, _)| *s == stem)
                .map(|(_, r, _)| r.to_string()),
        );
        let r = extract(&f);
        let got: BTreeSet<String> = r
            .violations
            .iter()
            .filter(|v| v.severity == Severity::Error)
            .map(|v| v.rule.clone())
            .collect();
        if got != want {
            wrong.push(format!(
                "{}: errors {got:?}, expected {want:?}: {:?}",
                f.display(),
                r.violations
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

//! The Dioptra corpus: 130+ small resource repositories with the verdict Dioptra
//! 1.2.2 gave on import (`tests/dioptra-corpus/verdicts.json`, made by
//! `tests/oracle/dioptra_verdicts.sh`). Our checker must reach the expected
//! verdict with the expected rule, and every error must carry file:line:col. No
//! Python is needed: the verdicts are committed.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::helpers::{run, workspace_root, xtask};

fn corpus() -> PathBuf {
    workspace_root().join("tests/dioptra-corpus")
}

struct Outcome {
    errors: Vec<String>,
    warnings: Vec<String>,
    unlocated_errors: Vec<String>,
}

fn check(case: &Path, cwd: &Path) -> Outcome {
    let result = run(xtask(cwd)
        .args(["check", "--message-format", "json", "--repos"])
        .arg(case));
    let mut outcome = Outcome {
        errors: Vec::new(),
        warnings: Vec::new(),
        unlocated_errors: Vec::new(),
    };
    for message in result.diagnostics() {
        let code = message["code"].as_str().unwrap().to_string();
        if message["severity"] == "error" {
            if message["line"].as_u64().is_none() || message["column"].as_u64().is_none() {
                outcome
                    .unlocated_errors
                    .push(format!("{code}: {}", message["message"]));
            }
            outcome.errors.push(code);
        } else {
            outcome.warnings.push(code);
        }
    }
    assert_eq!(
        result.code,
        if outcome.errors.is_empty() { 0 } else { 1 },
        "exit status of {}",
        case.display()
    );
    outcome
}

#[test]
fn every_case_gets_dioptras_verdict_with_the_expected_rule() {
    let verdicts: serde_json::Map<String, Value> =
        serde_json::from_slice(&std::fs::read(corpus().join("verdicts.json")).unwrap()).unwrap();
    assert!(
        verdicts.len() >= 60,
        "the corpus has {} cases",
        verdicts.len()
    );
    let cwd = tempfile::tempdir().unwrap();
    let cases: Vec<(&String, &Value)> = verdicts.iter().collect();
    let outcomes: Vec<(String, Outcome)> = std::thread::scope(|scope| {
        let chunks: Vec<_> = cases
            .chunks(cases.len().div_ceil(4))
            .map(|chunk| {
                let cwd = cwd.path();
                scope.spawn(move || {
                    chunk
                        .iter()
                        .map(|(name, _)| {
                            (
                                (*name).clone(),
                                check(&corpus().join("cases").join(name), cwd),
                            )
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        chunks.into_iter().flat_map(|h| h.join().unwrap()).collect()
    });
    let mut failures = Vec::new();
    let (mut rejected_by_dioptra, mut agreed_with_dioptra, mut extras) = (0, 0, 0);
    for (name, outcome) in &outcomes {
        let verdict = &verdicts[name];
        let expected = verdict["expected"].as_str().unwrap();
        let rule = verdict["rule"].as_str().map(|r| format!("dioptra::{r}"));
        let status = verdict["dioptra"]["status"].as_u64().unwrap();
        let ok = match expected {
            "accept" => outcome.errors.is_empty() && outcome.warnings.is_empty(),
            "warn" => {
                outcome.errors.is_empty()
                    && rule.as_ref().is_none_or(|r| outcome.warnings.contains(r))
                    && !outcome.warnings.is_empty()
            }
            "reject" => {
                rule.as_ref().is_none_or(|r| outcome.errors.contains(r))
                    && !outcome.errors.is_empty()
            }
            other => panic!("{name}: unknown expectation {other}"),
        };
        if !ok {
            failures.push(format!(
                "{name}: expected {expected} by {rule:?}, got errors {:?} warnings {:?}",
                outcome.errors, outcome.warnings
            ));
        }
        if !outcome.unlocated_errors.is_empty() {
            failures.push(format!(
                "{name}: errors without line:col: {:?}",
                outcome.unlocated_errors
            ));
        }
        let we_reject = !outcome.errors.is_empty();
        if status >= 400 {
            rejected_by_dioptra += 1;
        }
        if we_reject == (status >= 400) {
            agreed_with_dioptra += 1;
        }
        if verdict["extra"] == true && (we_reject || !outcome.warnings.is_empty()) {
            extras += 1;
        }
    }
    println!(
        "{} cases: Dioptra rejects {rejected_by_dioptra}; our error/no-error verdict equals Dioptra's on {agreed_with_dioptra}; {extras} extras flagged",
        outcomes.len()
    );
    assert!(
        failures.is_empty(),
        "{} of {} cases differ:\n{}",
        failures.len(),
        outcomes.len(),
        failures.join("\n")
    );
}

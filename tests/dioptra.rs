//! End-to-end tests of the Dioptra resource checks: the real binary on small
//! fixture repositories (tests/fixtures/dioptra/), asserting codes and
//! `file:line:col`, and the `build-all` bundle and manifest.

use std::collections::BTreeSet;
use std::path::Path;

use serde_json::Value;

use crate::helpers::{Run, copy_tree, fixture, run, xtask};

/// A temporary folder (outside any cargo workspace) holding `repos/<name>`.
fn workspace(names: &[&str]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for name in names {
        copy_tree(
            &fixture("dioptra").join(name),
            &dir.path().join("repos").join(name),
        );
    }
    dir
}

/// `check --message-format json --repos repos`, run in `cwd`.
/// Its stdout must be JSON lines ending with the summary.
fn check(cwd: &Path) -> Run {
    let report = run(xtask(cwd).args(["check", "--message-format", "json", "--repos", "repos"]));
    report.summary();
    report
}

/// `code file:line:col` of every diagnostic.
fn located(report: &Run) -> BTreeSet<String> {
    report
        .diagnostics()
        .iter()
        .map(|d| {
            format!(
                "{} {}:{}:{}",
                d["code"].as_str().unwrap(),
                d["file"].as_str().unwrap_or("?"),
                d["line"],
                d["column"]
            )
        })
        .collect()
}

fn assert_contains(report: &Run, expected: &[&str]) {
    let found = located(report);
    for item in expected {
        assert!(found.contains(*item), "missing {item}\nfound: {found:#?}");
    }
}

#[test]
fn both_dialects_validate_cleanly() {
    let dir = workspace(&["seed-ok", "v11-ok"]);
    let report = check(dir.path());
    let (diagnostics, summary) = (report.diagnostics(), report.summary());
    assert_eq!(report.code, 0, "{diagnostics:#?}");
    assert!(diagnostics.is_empty(), "{diagnostics:#?}");
    assert_eq!(summary["dioptra_repositories"], 2);
    assert_eq!(summary["entrypoints"], 3);
    assert_eq!(summary["tasks"], 4);
    assert_eq!(summary["parameter_types"], 1);
}

#[test]
fn every_diagnostic_has_a_position() {
    let dir = workspace(&["bad-toml", "bad-schema", "bad-import", "bad-python"]);
    let report = check(dir.path());
    assert_eq!(report.code, 1);
    for diagnostic in &report.diagnostics() {
        assert!(
            diagnostic["line"].as_u64().is_some_and(|l| l > 0)
                && diagnostic["column"].as_u64().is_some_and(|c| c > 0),
            "no line:col: {diagnostic}"
        );
    }
}

#[test]
fn toml_syntax_errors() {
    let dir = workspace(&["bad-toml"]);
    let report = check(dir.path());
    assert_eq!(report.code, 1);
    assert_contains(
        &report,
        &["dioptra::toml-syntax repos/bad-toml/dioptra.toml:3:17"],
    );
}

#[test]
fn every_schema_violation_is_reported_with_the_dialect() {
    let dir = workspace(&["bad-schema"]);
    let report = check(dir.path());
    assert_eq!(report.code, 1);
    assert_contains(
        &report,
        &[
            "dioptra::schema repos/bad-schema/dioptra.toml:3:1",
            "dioptra::schema repos/bad-schema/dioptra.toml:6:14",
            "dioptra::schema repos/bad-schema/dioptra.toml:8:1",
        ],
    );
    let schema: Vec<Value> = report
        .diagnostics()
        .into_iter()
        .filter(|d| d["code"] == "dioptra::schema")
        .collect();
    assert_eq!(schema.len(), 3, "{schema:#?}");
    assert!(schema.iter().all(|d| {
        d["message"]
            .as_str()
            .unwrap()
            .contains("Dioptra 1.1+ dialect")
    }));
}

#[test]
fn import_rules() {
    let dir = workspace(&["bad-import"]);
    let report = check(dir.path());
    assert_eq!(report.code, 1);
    let toml = "repos/bad-import/dioptra.toml";
    let expected: Vec<String> = [
        ("builtin-type-redefined", 2, 8),
        ("duplicate-type", 8, 8),
        ("invalid-plugin-name", 11, 8),
        ("invalid-path", 14, 8),
        ("missing-plugin-folder", 17, 8),
        ("unknown-type", 25, 41),
        ("non-string-default", 31, 58),
        ("invalid-default", 32, 54),
        ("missing-default", 33, 5),
        ("unknown-plugin", 35, 18),
        ("missing-entrypoint-file", 38, 8),
    ]
    .iter()
    .map(|(code, line, column)| format!("dioptra::{code} {toml}:{line}:{column}"))
    .collect();
    let expected: Vec<&str> = expected.iter().map(String::as_str).collect();
    assert_contains(&report, &expected);
    let hint = report
        .diagnostics()
        .into_iter()
        .find(|d| d["code"] == "dioptra::non-string-default")
        .unwrap();
    assert_eq!(
        hint["help"],
        "write it as a string: `default_value = \"3\"`"
    );
}

#[test]
fn python_task_files_are_read_statically() {
    let dir = workspace(&["bad-python"]);
    let report = check(dir.path());
    assert_eq!(report.code, 1);
    let toml = "repos/bad-python/dioptra.toml";
    let py = "repos/bad-python/plugins/tools/tools.py";
    let expected = [
        format!("dioptra::invalid-plugin-file-name {toml}:2:8"),
        format!("dioptra::unmatched-task-file {toml}:5:12"),
        format!("dioptra::unused-optional-input {toml}:13:78"),
        format!("dioptra::missing-task-definition {toml}:18:8"),
        format!("dioptra::missing-task-definition {toml}:24:8"),
        format!("dioptra::signature-mismatch {py}:1:23"),
    ];
    let expected: Vec<&str> = expected.iter().map(String::as_str).collect();
    assert_contains(&report, &expected);
}

fn archive_names(bytes: &[u8]) -> Vec<String> {
    let mut archive = tar::Archive::new(flate2::read::GzDecoder::new(bytes));
    archive
        .entries()
        .unwrap()
        .map(|e| e.unwrap().path().unwrap().to_string_lossy().into_owned())
        .collect()
}

#[test]
fn build_all_writes_a_bundle_and_a_manifest_per_config() {
    let dir = workspace(&["v11-ok", "seed-ok"]);
    // Files that are not part of any config stay out of the bundle.
    std::fs::write(dir.path().join("repos/v11-ok/notes.txt"), "x").unwrap();
    std::fs::create_dir_all(dir.path().join("repos/v11-ok/plugins/data_io/__pycache__")).unwrap();
    std::fs::write(
        dir.path()
            .join("repos/v11-ok/plugins/data_io/__pycache__/readers.cpython-311.pyc"),
        "junk",
    )
    .unwrap();
    let build = run(xtask(dir.path()).args(["build-all", "--repos", "repos", "--dist", "dist"]));
    assert_eq!(build.code, 0, "{}", build.stderr);
    let dist = dir.path().join("dist/dioptra");
    let bundle = std::fs::read(dist.join("v11-ok/dioptra.tar.gz")).unwrap();
    assert_eq!(
        archive_names(&bundle),
        [
            "dioptra.toml",
            "entrypoints/",
            "entrypoints/load.yml",
            "plugins/",
            "plugins/data_io/",
            "plugins/data_io/readers.py",
            "plugins/stores/",
            "plugins/stores/rows_store.py",
        ]
    );
    let extra = std::fs::read(dist.join("v11-ok/extra__dioptra_extra.tar.gz")).unwrap();
    assert_eq!(
        archive_names(&extra),
        [
            "extra/",
            "extra/dioptra_extra.toml",
            "extra/flows/",
            "extra/flows/quick.yml",
            "shared/",
            "shared/quick_io/",
            "shared/quick_io/quick.py",
        ]
    );
    let manifest: Value =
        serde_json::from_slice(&std::fs::read(dist.join("v11-ok/dioptra.manifest.json")).unwrap())
            .unwrap();
    assert_eq!(manifest["config"], "dioptra.toml");
    assert_eq!(manifest["dialect"], "1.1");
    assert_eq!(manifest["bundle"], "dioptra.tar.gz");
    assert_eq!(manifest["plugins"][1]["tasks"][0]["kind"], "artifact");
    assert_eq!(manifest["entrypoints"][0]["name"], "load rows");
    let validator =
        xtask::schema_check::embedded(include_str!("../schemas/dioptra-manifest.schema.json"));
    for path in [
        "v11-ok/dioptra.manifest.json",
        "v11-ok/extra__dioptra_extra.manifest.json",
        "seed-ok/dioptra.manifest.json",
    ] {
        let manifest: Value =
            serde_json::from_slice(&std::fs::read(dist.join(path)).unwrap()).unwrap();
        let errors: Vec<String> = validator
            .iter_errors(&manifest)
            .iter()
            .map(|e| format!("{} at {}", e.message, e.instance_path))
            .collect();
        assert!(errors.is_empty(), "{path}: {errors:#?}");
    }
    // Deterministic: a second build gives the same bytes.
    let again = workspace(&["v11-ok"]);
    std::fs::write(again.path().join("repos/v11-ok/notes.txt"), "y").unwrap();
    let build = run(xtask(again.path()).args(["build-all", "--repos", "repos", "--dist", "dist"]));
    assert_eq!(build.code, 0);
    assert_eq!(
        std::fs::read(again.path().join("dist/dioptra/v11-ok/dioptra.tar.gz")).unwrap(),
        bundle
    );
}

#[test]
fn a_config_with_errors_gets_no_artifacts() {
    let dir = workspace(&["bad-import"]);
    let build = run(xtask(dir.path()).args(["build-all", "--repos", "repos", "--dist", "dist"]));
    assert_eq!(build.code, 1);
    assert!(
        !dir.path()
            .join("dist/dioptra/bad-import/dioptra.tar.gz")
            .exists()
    );
}

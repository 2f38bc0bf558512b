//! Nightly aggregation: one bad repository never blocks the rest
//! (`--keep-going`), and the dist is one run, the same bytes wherever the
//! workspace is checked out and whatever folder the tool runs from.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::helpers::{Run, copy_tree, run, workspace_root, xtask};

/// A workspace with the project's configuration and a copy of `pieces-repos/`,
/// edited by `edit`.
fn workspace(edit: impl FnOnce(&Path)) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(
        &workspace_root().join("pieces-repos"),
        &dir.path().join("pieces-repos"),
    );
    std::fs::copy(
        workspace_root().join("Cargo.toml"),
        dir.path().join("Cargo.toml"),
    )
    .unwrap();
    edit(&dir.path().join("pieces-repos"));
    dir
}

fn build(dir: &Path, args: &[&str]) -> Run {
    run(xtask(dir).arg("build-all").args(args))
}

/// Every file under `dir` (relative path, with `/`) and its bytes.
fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let relative = e.path().strip_prefix(dir).unwrap();
            (
                relative.to_string_lossy().replace('\\', "/"),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

fn json(bytes: &[u8]) -> Value {
    serde_json::from_slice(bytes).unwrap()
}

/// The files of the dist that are aggregated over all repositories.
const AGGREGATED: &[&str] = &[
    ".xtask-dist",
    "SHA256SUMS",
    "catalog.json",
    "docker-bake.json",
    "graph.dot",
    "junit.xml",
    "report.json",
    "report.sarif",
];

/// The dist files of each repository (by folder name), from a catalog.
fn files_by_repository(dist: &BTreeMap<String, Vec<u8>>) -> BTreeMap<String, BTreeSet<String>> {
    let catalog = json(&dist["catalog.json"]);
    let mut owned: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for repository in catalog["repositories"].as_array().unwrap() {
        let name = repository["name"].as_str().unwrap().to_string();
        let mine = owned.entry(name.clone()).or_default();
        for path in dist.keys() {
            if path.starts_with(&format!("domino/{name}/"))
                || path.starts_with(&format!("dioptra/{name}/"))
                || path.starts_with(&format!("dockerfiles/{name}-group"))
            {
                mine.insert(path.clone());
            }
        }
        if let Some(domino) = repository.get("domino") {
            mine.insert(format!(
                "releases/{}-{}.tar.gz",
                domino["repository_name"].as_str().unwrap(),
                domino["version"].as_str().unwrap()
            ));
        }
    }
    for environment in catalog["environments"].as_array().unwrap() {
        let folder = format!("environments/{}/", environment["target"].as_str().unwrap());
        for user in environment["groups"].as_array().unwrap() {
            let repository = user
                .as_str()
                .unwrap()
                .split(':')
                .next()
                .unwrap()
                .to_string();
            let mine = owned.entry(repository).or_default();
            mine.extend(dist.keys().filter(|p| p.starts_with(&folder)).cloned());
        }
    }
    owned
}

#[test]
fn keep_going_publishes_exactly_the_healthy_repositories_and_names_the_failed_ones() {
    // The reference: every repository healthy.
    let clean = workspace(|_| {});
    assert_eq!(build(clean.path(), &["--quiet"]).code, 0);
    let reference = files(&clean.path().join("target/dist"));
    let owned = files_by_repository(&reference);

    // Two repositories with errors, and one that includes a file of a broken one.
    let dir = workspace(|repos| {
        std::fs::write(
            repos.join("geospatial-pieces/pieces/ClipRasterPiece/metadata.json"),
            "{\"name\": <}",
        )
        .unwrap();
        std::fs::write(
            repos.join("vision-robustness-dioptra/dioptra.toml"),
            "[[plugins]\n",
        )
        .unwrap();
        let shared = repos.join("data-ops-pieces/dependencies/requirements_sql.txt");
        let text = std::fs::read_to_string(&shared).unwrap();
        std::fs::write(
            &shared,
            format!("{text}-r ../../geospatial-pieces/dependencies/requirements_base.txt\n"),
        )
        .unwrap();
    });
    let domino_before =
        |repo: &str| files(&dir.path().join("pieces-repos").join(repo).join(".domino"));
    let failed_before: Vec<_> = ["geospatial-pieces", "data-ops-pieces"]
        .iter()
        .map(|repo| domino_before(repo))
        .collect();
    let result = build(dir.path(), &["--keep-going", "--message-format", "json"]);
    assert_eq!(result.code, 1, "{}", result.stderr);
    let dist = files(&dir.path().join("target/dist"));

    // Exactly the healthy repositories' files, byte for byte as a clean build
    // makes them, plus the aggregated files.
    let healthy = ["text-analytics-pieces", "tabular-audit-dioptra"];
    let expected: BTreeSet<String> = healthy
        .iter()
        .flat_map(|repo| owned[*repo].iter().cloned())
        .chain(AGGREGATED.iter().map(|s| s.to_string()))
        .collect();
    let published: BTreeSet<String> = dist.keys().cloned().collect();
    assert_eq!(published, expected);
    for path in healthy.iter().flat_map(|repo| &owned[*repo]) {
        assert_eq!(
            dist[path], reference[path],
            "{path} differs from a clean build"
        );
    }

    // The failed ones are named, with the reason, in the catalog, the report
    // and the summary.
    let catalog = json(&dist["catalog.json"]);
    let reasons: BTreeMap<String, String> = catalog["failed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["name"].as_str().unwrap().to_string(),
                f["reason"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        reasons.keys().map(String::as_str).collect::<Vec<_>>(),
        [
            "data-ops-pieces",
            "geospatial-pieces",
            "vision-robustness-dioptra"
        ]
    );
    assert!(
        reasons["geospatial-pieces"].contains("error"),
        "{reasons:?}"
    );
    assert!(
        reasons["data-ops-pieces"].contains("geospatial-pieces")
            && reasons["data-ops-pieces"].contains("requirements_base.txt"),
        "{reasons:?}"
    );
    let cataloged: Vec<&str> = catalog["repositories"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        cataloged,
        ["tabular-audit-dioptra", "text-analytics-pieces"]
    );
    let report = json(&dist["report.json"]);
    for repository in report["repositories"].as_array().unwrap() {
        let name = repository["name"].as_str().unwrap();
        let expected = if healthy.contains(&name) {
            "ok"
        } else {
            "failed"
        };
        assert_eq!(repository["status"], expected, "{name}");
    }
    let summary = result.summary();
    let message = summary["message"].as_str().unwrap();
    assert!(
        message.contains("3 repositories failed") && message.contains("depends on"),
        "{message}"
    );
    // Nothing was written into the failed repositories.
    for (repo, before) in ["geospatial-pieces", "data-ops-pieces"]
        .iter()
        .zip(failed_before)
    {
        assert_eq!(domino_before(repo), before, "{repo}");
    }
    // The bake file plans the healthy images only.
    let bake = json(&dist["docker-bake.json"]);
    let targets: Vec<&String> = bake["target"].as_object().unwrap().keys().collect();
    assert!(
        targets
            .iter()
            .all(|t| t.starts_with("env-") || t.starts_with("text-analytics-pieces")),
        "{targets:?}"
    );
}

#[test]
fn a_failed_run_leaves_a_dist_of_reports_only() {
    let dir = workspace(|_| {});
    assert_eq!(build(dir.path(), &["--quiet"]).code, 0);
    std::fs::write(
        dir.path()
            .join("pieces-repos/geospatial-pieces/pieces/ClipRasterPiece/metadata.json"),
        "[",
    )
    .unwrap();
    let failed = build(dir.path(), &[]);
    assert_eq!(failed.code, 1);
    assert!(
        failed.stderr.contains("nothing published"),
        "{}",
        failed.stderr
    );
    let dist: Vec<String> = files(&dir.path().join("target/dist")).into_keys().collect();
    assert_eq!(
        dist,
        [".xtask-dist", "junit.xml", "report.json", "report.sarif"],
        "no catalog, plan or archive of an earlier run next to this run's reports"
    );
}

#[test]
fn only_writes_the_selected_repository_and_leaves_the_dist_whole() {
    let dir = workspace(|_| {});
    assert_eq!(build(dir.path(), &["--quiet"]).code, 0);
    let dist = files(&dir.path().join("target/dist"));
    let generated = dir
        .path()
        .join("pieces-repos/geospatial-pieces/.domino/compiled_metadata.json");
    std::fs::remove_file(&generated).unwrap();
    let only = build(dir.path(), &["--only", "geospatial-pieces"]);
    assert_eq!(only.code, 0, "{}", only.stderr);
    assert!(
        generated.is_file(),
        "the selected repository's files are written"
    );
    assert!(
        only.stderr.contains("not written (--only)"),
        "{}",
        only.stderr
    );
    assert_eq!(
        files(&dir.path().join("target/dist")),
        dist,
        "the dist did not shrink"
    );
}

#[test]
fn a_second_build_changes_no_byte() {
    let dir = workspace(|repos| {
        std::fs::remove_file(repos.join("geospatial-pieces/.domino/compiled_metadata.json"))
            .unwrap();
    });
    let first = build(dir.path(), &["--quiet"]);
    assert_eq!(first.code, 0, "{}", first.stderr);
    let snapshot = |dir: &Path| {
        (
            files(&dir.join("target/dist")),
            files(&dir.join("pieces-repos")),
        )
    };
    let after_first = snapshot(dir.path());
    let second = build(dir.path(), &[]);
    assert_eq!(second.code, 0);
    assert!(
        second.stderr.contains("0 repositories recompiled, 5 fresh")
            && second.stderr.contains("unchanged"),
        "{}",
        second.stderr
    );
    assert_eq!(snapshot(dir.path()), after_first);
}

#[test]
fn the_dist_is_the_same_wherever_the_workspace_is_and_whatever_the_folder_or_jobs() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    let elsewhere = tempfile::tempdir().unwrap();
    let mut dists = Vec::new();
    for (checkout, jobs) in [
        (a.path().join("one"), "1"),
        (b.path().join("deeper/two"), "2"),
    ] {
        std::fs::create_dir_all(&checkout).unwrap();
        copy_tree(
            &workspace_root().join("pieces-repos"),
            &checkout.join("pieces-repos"),
        );
        std::fs::copy(
            workspace_root().join("Cargo.toml"),
            checkout.join("Cargo.toml"),
        )
        .unwrap();
        let repos = checkout.join("pieces-repos");
        let dist = checkout.join("target/dist");
        let result = run(xtask(elsewhere.path()).args([
            "build-all",
            "--repos",
            repos.to_str().unwrap(),
            "--dist",
            dist.to_str().unwrap(),
            "-j",
            jobs,
        ]));
        assert_eq!(result.code, 0, "{}", result.stderr);
        dists.push(files(&dist));
    }
    let paths: Vec<PathBuf> = [a.path(), b.path()]
        .iter()
        .map(|p| p.to_path_buf())
        .collect();
    for (path, bytes) in &dists[0] {
        let text = String::from_utf8_lossy(bytes);
        for folder in &paths {
            assert!(
                !text.contains(folder.to_str().unwrap()),
                "{path} holds the absolute folder {}",
                folder.display()
            );
        }
    }
    assert_eq!(dists[0], dists[1]);
}

#[test]
fn changed_since_counts_the_workspace_configuration() {
    let dir = workspace(|_| {});
    let git = |args: &[&str]| {
        let output = std::process::Command::new("git")
            .args(args)
            .current_dir(dir.path())
            .env("GIT_AUTHOR_NAME", "t")
            .env("GIT_AUTHOR_EMAIL", "t@example.com")
            .env("GIT_COMMITTER_NAME", "t")
            .env("GIT_COMMITTER_EMAIL", "t@example.com")
            .output()
            .unwrap();
        assert!(output.status.success(), "git {args:?}");
    };
    git(&["init", "-q"]);
    git(&["add", "."]);
    git(&["commit", "-qm", "init"]);
    let affected = || {
        let result = run(xtask(dir.path()).args([
            "check",
            "--message-format",
            "json",
            "--changed-since",
            "HEAD",
        ]));
        result.summary()["repositories"].as_u64().unwrap()
    };
    let manifest = dir.path().join("Cargo.toml");
    let text = std::fs::read_to_string(&manifest).unwrap();
    // A change outside the tool's table affects nothing.
    std::fs::write(
        &manifest,
        text.replace(
            "[workspace.package]",
            "[workspace.package]\ndescription = \"x\"",
        ),
    )
    .unwrap();
    assert_eq!(affected(), 0);
    // A change of its table affects every repository.
    std::fs::write(
        &manifest,
        text.replace(
            "roots = [\"pieces-repos\"]",
            "roots = [\"pieces-repos\"]\nregistry_host = \"quay.io\"",
        ),
    )
    .unwrap();
    assert_eq!(affected(), 5);
}

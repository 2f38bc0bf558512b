//! End-to-end tests of the front door: the real binary on fixture monorepos.

use std::path::Path;

use serde_json::Value;

use crate::helpers::{copy_tree, fixture, run, xtask};

/// A broken copy of the mini monorepo in a temporary folder.
fn broken_copy(edit: impl FnOnce(&Path)) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&fixture("monorepo"), &dir.path().join("repos"));
    edit(&dir.path().join("repos"));
    dir
}

#[test]
fn help_documents_commands_options_and_exit_codes() {
    let dir = tempfile::tempdir().unwrap();
    let top = run(xtask(dir.path()).arg("--help"));
    assert_eq!(top.code, 0);
    for needle in [
        "check",
        "build-all",
        "Exit status",
        "usage or environment error",
    ] {
        assert!(
            top.stdout.contains(needle),
            "--help lacks {needle:?}:\n{}",
            top.stdout
        );
    }
    let check = run(xtask(dir.path()).args(["check", "--help"]));
    for needle in [
        "--repos",
        "--only",
        "--jobs",
        "--message-format",
        "--quiet",
        "--verbose",
    ] {
        assert!(
            check.stdout.contains(needle),
            "check --help lacks {needle}:\n{}",
            check.stdout
        );
    }
    let build = run(xtask(dir.path()).args(["build-all", "--help"]));
    assert!(build.stdout.contains("--dist"), "{}", build.stdout);
}

#[test]
fn usage_errors_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(run(xtask(dir.path()).args(["check", "--bogus"])).code, 2);
    assert_eq!(run(xtask(dir.path()).args(["check", "-j", "0"])).code, 2);
    let missing = run(xtask(dir.path()).args(["check", "--repos", "does-not-exist"]));
    assert_eq!(missing.code, 2);
    assert!(
        missing.stderr.contains("does-not-exist"),
        "{}",
        missing.stderr
    );
}

#[test]
fn unknown_only_name_is_a_usage_error_with_a_hint() {
    let dir = tempfile::tempdir().unwrap();
    let result = run(xtask(dir.path())
        .args(["check", "--repos"])
        .arg(fixture("monorepo"))
        .args(["--only", "domino-mni"]));
    assert_eq!(result.code, 2, "{}", result.stderr);
    assert!(
        result.stderr.contains("did you mean `domino-mini`"),
        "{}",
        result.stderr
    );
}

#[test]
fn only_selects_repositories_by_folder_name() {
    let dir = tempfile::tempdir().unwrap();
    let result = run(xtask(dir.path())
        .args(["check", "--message-format", "json", "--repos"])
        .arg(fixture("monorepo"))
        .args(["--only", "dioptra-mini"]));
    let summary = result.json_lines().pop().unwrap();
    assert_eq!(summary["reason"], "summary");
    assert_eq!(summary["repositories"], 1);
    assert_eq!(summary["dioptra_repositories"], 1);
}

#[test]
fn truncated_json_is_reported_at_its_line_and_column() {
    let dir = broken_copy(|repos| {
        let path = repos.join("domino-mini/pieces/GreetPiece/metadata.json");
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(&path, &text[..text.find("\"tags\"").unwrap()]).unwrap();
    });
    let result = run(xtask(dir.path()).args(["check", "--repos", "repos"]));
    assert_eq!(result.code, 1, "{}", result.stderr);
    assert!(
        result
            .stderr
            .contains("repos/domino-mini/pieces/GreetPiece/metadata.json:7:5"),
        "{}",
        result.stderr
    );
    assert!(
        result.stderr.contains("error[domino::json-syntax]"),
        "{}",
        result.stderr
    );
    assert!(!result.stderr.contains("panicked"), "{}", result.stderr);
}

#[test]
fn bad_toml_in_both_ecosystems_is_reported_at_once() {
    let dir = broken_copy(|repos| {
        std::fs::write(
            repos.join("domino-mini/config.toml"),
            "[repository]\nREGISTRY_NAME = \"fixtures\nVERSION = \"0.1.0\"\n",
        )
        .unwrap();
        let path = repos.join("dioptra-mini/dioptra.toml");
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(
            &path,
            text.replace("name = \"greet\"", "name = = \"greet\""),
        )
        .unwrap();
    });
    let result = run(xtask(dir.path()).args(["check", "--repos", "repos"]));
    assert_eq!(result.code, 1, "{}", result.stderr);
    assert!(
        result.stderr.contains("repos/domino-mini/config.toml:2:"),
        "{}",
        result.stderr
    );
    assert!(
        result.stderr.contains("repos/dioptra-mini/dioptra.toml:7:"),
        "{}",
        result.stderr
    );
    assert!(result.stderr.contains("errors"), "{}", result.stderr);
}

#[test]
fn python_syntax_errors_point_at_the_line() {
    let dir = broken_copy(|repos| {
        let path = repos.join("domino-mini/pieces/GreetPiece/models.py");
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(
            &path,
            text.replace(
                "class OutputModel(BaseModel):",
                "class OutputModel(BaseModel)",
            ),
        )
        .unwrap();
    });
    let result = run(xtask(dir.path()).args(["check", "--repos", "repos"]));
    assert_eq!(result.code, 1, "{}", result.stderr);
    assert!(
        result
            .stderr
            .contains("repos/domino-mini/pieces/GreetPiece/models.py:11:"),
        "{}",
        result.stderr
    );
}

#[test]
fn json_messages_are_one_valid_object_per_line() {
    let dir = broken_copy(|repos| {
        std::fs::write(
            repos.join("domino-mini/pieces/GreetPiece/metadata.json"),
            "{\"name\": ",
        )
        .unwrap();
        std::fs::create_dir_all(repos.join("half/pieces")).unwrap();
        std::fs::write(repos.join("half/config.toml"), "[other]\n").unwrap();
    });
    let result =
        run(xtask(dir.path()).args(["check", "--message-format", "json", "--repos", "repos"]));
    assert_eq!(result.code, 1, "{}", result.stderr);
    let messages = result.json_lines();
    let (summary, raw) = messages.split_last().unwrap();
    assert_eq!(summary["reason"], "summary");
    assert!(summary["errors"].as_u64().unwrap() >= 1);
    assert!(
        summary["message"].is_string(),
        "the summary says what happened"
    );
    // cargo's shape: reason, message {message, code {code, explanation}, level,
    // spans [...], children, rendered}.
    let compiler = raw
        .iter()
        .find(|m| m["message"]["code"]["code"] == "domino::json-syntax")
        .expect("a JSON syntax diagnostic");
    assert_eq!(compiler["reason"], "compiler-message");
    let message = &compiler["message"];
    assert_eq!(message["level"], "error");
    assert!(message["code"]["explanation"].as_str().unwrap().len() > 40);
    let span = &message["spans"][0];
    assert_eq!(span["is_primary"], true);
    assert_eq!(
        span["file_name"],
        "repos/domino-mini/pieces/GreetPiece/metadata.json"
    );
    assert_eq!(
        (span["line_start"].as_u64(), span["column_start"].as_u64()),
        (Some(1), Some(10))
    );
    assert_eq!(span["byte_start"], 9);
    assert!(
        message["rendered"]
            .as_str()
            .unwrap()
            .contains("error[domino::json-syntax]")
    );
    assert!(message["children"].is_array());
    let diagnostics = result.diagnostics();
    let syntax = diagnostics
        .iter()
        .find(|d| d["code"] == "domino::json-syntax")
        .unwrap();
    assert_eq!(syntax["line"], 1);
    assert_eq!(syntax["column"], 10);
    let half = diagnostics
        .iter()
        .find(|d| d["code"] == "discover::incomplete-domino-repository")
        .expect("a warning for the half repository");
    assert_eq!(half["severity"], "warning");
    assert!(half["message"].as_str().unwrap().contains("[repository]"));
}

#[test]
fn output_does_not_depend_on_jobs() {
    let dir = broken_copy(|repos| {
        std::fs::write(
            repos.join("domino-mini/pieces/GreetPiece/metadata.json"),
            "[",
        )
        .unwrap();
        std::fs::write(repos.join("dioptra-mini/dioptra.toml"), "[[plugins]\n").unwrap();
    });
    let one = run(xtask(dir.path()).args(["check", "-j", "1", "--repos", "repos"]));
    let four = run(xtask(dir.path()).args(["check", "-j", "4", "--repos", "repos"]));
    assert_eq!(one.code, 1);
    assert_eq!(one.stderr, four.stderr);
}

#[test]
fn failing_build_writes_reports_but_no_artifact() {
    let dir = broken_copy(|repos| {
        std::fs::write(
            repos.join("domino-mini/pieces/GreetPiece/metadata.json"),
            "{\"name\": <}",
        )
        .unwrap();
    });
    let result = run(xtask(dir.path()).args(["build-all", "--repos", "repos", "--dist", "dist"]));
    assert_eq!(result.code, 1, "{}", result.stderr);
    assert!(
        result.stderr.contains("nothing published"),
        "{}",
        result.stderr
    );
    // The committed generated files are left exactly as they were.
    assert_eq!(
        snapshot(&dir.path().join("repos/domino-mini/.domino")),
        snapshot(&fixture("monorepo/domino-mini/.domino"))
    );
    let mut written: Vec<String> = std::fs::read_dir(dir.path().join("dist"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    written.sort();
    assert_eq!(
        written,
        [".xtask-dist", "junit.xml", "report.json", "report.sarif"]
    );

    let report: Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("dist/report.json")).unwrap())
            .unwrap();
    assert!(report["summary"]["errors"].as_u64().unwrap() >= 1);

    let junit = std::fs::read_to_string(dir.path().join("dist/junit.xml")).unwrap();
    assert!(
        junit.contains("<testsuite name=\"repos/domino-mini\""),
        "{junit}"
    );
    assert!(
        junit.contains(
            "<failure message=\"invalid JSON: Expecting value\" type=\"domino::json-syntax\""
        ),
        "{junit}"
    );

    let sarif: Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("dist/report.sarif")).unwrap())
            .unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    let result = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["ruleId"] == "domino::json-syntax")
        .expect("the JSON error is a SARIF result");
    let region = &result["locations"][0]["physicalLocation"]["region"];
    assert_eq!(region["startLine"], 1);
    assert_eq!(region["startColumn"], 10);
}

#[test]
fn check_can_write_reports() {
    let dir = broken_copy(|_| {});
    let result = run(xtask(dir.path()).args([
        "check",
        "--repos",
        "repos",
        "--only",
        "dioptra-mini",
        "--report-dir",
        "out",
    ]));
    assert!(
        dir.path().join("out/junit.xml").is_file(),
        "{}",
        result.stderr
    );
    assert!(dir.path().join("out/report.sarif").is_file());
}

/// Every file under `dir`: its relative name and a hash of its bytes.
fn snapshot(dir: &Path) -> Vec<(String, String)> {
    let mut files: Vec<(String, String)> = walkdir::WalkDir::new(dir)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let name = e
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            let bytes = std::fs::read(e.path()).unwrap();
            (name, blake3::hash(&bytes).to_hex().to_string())
        })
        .collect();
    files.sort();
    files
}

#[test]
fn build_all_is_deterministic_and_incremental() {
    let dir = broken_copy(|_| {});
    let first =
        run(xtask(dir.path()).args(["build-all", "-j", "1", "--repos", "repos", "--dist", "dist"]));
    assert_eq!(first.code, 0, "{}", first.stderr);
    assert!(
        first.stderr.contains("2 repositories recompiled, 0 fresh"),
        "{}",
        first.stderr
    );
    let dist_one = snapshot(&dir.path().join("dist"));
    let repos_one = snapshot(&dir.path().join("repos"));
    for name in [
        "catalog.json",
        "docker-bake.json",
        "graph.dot",
        "SHA256SUMS",
        "report.json",
        "junit.xml",
        "report.sarif",
    ] {
        assert!(
            dist_one.iter().any(|(n, _)| n == name),
            "dist lacks {name}: {dist_one:?}"
        );
    }

    let second = run(xtask(dir.path()).args([
        "build-all",
        "-j",
        "4",
        "--explain",
        "--repos",
        "repos",
        "--dist",
        "dist",
    ]));
    assert_eq!(second.code, 0, "{}", second.stderr);
    assert!(
        second.stderr.contains("0 repositories recompiled, 2 fresh"),
        "{}",
        second.stderr
    );
    assert!(
        second
            .stderr
            .contains("fresh repos/domino-mini: nothing changed"),
        "{}",
        second.stderr
    );
    assert_eq!(
        dist_one,
        snapshot(&dir.path().join("dist")),
        "a second run is byte-identical"
    );
    assert_eq!(repos_one, snapshot(&dir.path().join("repos")));

    let forced =
        run(xtask(dir.path()).args(["build-all", "--force", "--repos", "repos", "--dist", "dist"]));
    assert!(
        forced.stderr.contains("2 repositories recompiled"),
        "{}",
        forced.stderr
    );
    assert_eq!(
        dist_one,
        snapshot(&dir.path().join("dist")),
        "--force gives the same bytes"
    );

    std::fs::write(
        dir.path()
            .join("repos/dioptra-mini/plugins/greetings/tasks.py"),
        "def greet(name):\n    return name\n",
    )
    .unwrap();
    let third = run(xtask(dir.path()).args([
        "build-all",
        "--explain",
        "--repos",
        "repos",
        "--dist",
        "dist",
    ]));
    assert!(
        third.stderr.contains("1 repository recompiled, 1 fresh"),
        "{}",
        third.stderr
    );
    assert!(
        third.stderr.contains(
            "recompiled repos/dioptra-mini: repos/dioptra-mini/plugins/greetings/tasks.py changed"
        ),
        "{}",
        third.stderr
    );
}

#[test]
fn changed_since_selects_affected_repositories() {
    let dir = broken_copy(|_| {});
    let git = |args: &[&str]| {
        let status = std::process::Command::new("git")
            .args(args)
            .current_dir(dir.path())
            .env("GIT_AUTHOR_NAME", "t")
            .env("GIT_AUTHOR_EMAIL", "t@example.com")
            .env("GIT_COMMITTER_NAME", "t")
            .env("GIT_COMMITTER_EMAIL", "t@example.com")
            .output()
            .unwrap();
        assert!(
            status.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&status.stderr)
        );
    };
    git(&["init", "-q"]);
    git(&["add", "."]);
    git(&["commit", "-qm", "init"]);
    std::fs::write(
        dir.path().join("repos/dioptra-mini/entrypoints/hello.yml"),
        "graph:\n  greeting:\n    greet:\n      name: $who\n\n",
    )
    .unwrap();
    let result = run(xtask(dir.path()).args([
        "check",
        "--message-format",
        "json",
        "--repos",
        "repos",
        "--changed-since",
        "HEAD",
    ]));
    let summary = result.json_lines().pop().unwrap();
    assert_eq!(summary["repositories"], 1, "{}", result.stderr);
    assert_eq!(summary["dioptra_repositories"], 1);
    let bad = run(xtask(dir.path()).args([
        "check",
        "--repos",
        "repos",
        "--changed-since",
        "no-such-rev",
    ]));
    assert_eq!(bad.code, 2, "{}", bad.stderr);
}

#[test]
fn graph_prints_dot_mermaid_and_json() {
    let dir = tempfile::tempdir().unwrap();
    let repos = fixture("monorepo");
    let dot = run(xtask(dir.path()).args(["graph", "--repos"]).arg(&repos));
    assert_eq!(dot.code, 0, "{}", dot.stderr);
    assert!(
        dot.stdout.starts_with("digraph monorepo {"),
        "{}",
        dot.stdout
    );
    let mermaid = run(xtask(dir.path())
        .args(["graph", "--format", "mermaid", "--repos"])
        .arg(&repos));
    assert!(
        mermaid.stdout.starts_with("flowchart LR"),
        "{}",
        mermaid.stdout
    );
    let json = run(xtask(dir.path())
        .args([
            "graph",
            "--format",
            "json",
            "--only",
            "dioptra-mini",
            "--repos",
        ])
        .arg(&repos));
    let value: Value = serde_json::from_str(&json.stdout).unwrap();
    let nodes = value["nodes"].as_array().unwrap();
    assert!(
        nodes.iter().all(|n| n["repository"] != "domino-mini"),
        "{nodes:?}"
    );
    assert!(
        nodes
            .iter()
            .any(|n| n["kind"] == "repository" && n["label"] == "dioptra-mini")
    );
}

#[test]
fn build_images_prints_a_matrix_or_says_what_is_missing() {
    let dir = broken_copy(|_| {});
    let matrix = run(xtask(dir.path()).args([
        "build-images",
        "--format",
        "gha-matrix",
        "--repos",
        "repos",
        "--dist",
        "dist",
    ]));
    assert_eq!(matrix.code, 0, "{}", matrix.stderr);
    let value: Value = serde_json::from_str(matrix.stdout.trim()).unwrap();
    assert_eq!(value["jobs"], 1);
    assert_eq!(
        value["matrices"][0]["include"][0]["targets"],
        "domino-mini-group0"
    );
    assert!(dir.path().join("dist/docker-bake.json").is_file());

    // Without docker: exit 2, and the message says what is missing and what to run.
    let bake = run(xtask(dir.path()).env("PATH", "").args([
        "build-images",
        "--repos",
        "repos",
        "--dist",
        "dist",
    ]));
    assert_eq!(bake.code, 2, "{}", bake.stderr);
    assert!(
        bake.stderr.contains("error[env::docker-missing]")
            && bake
                .stderr
                .contains("docker buildx bake -f dist/docker-bake.json"),
        "{}",
        bake.stderr
    );
}

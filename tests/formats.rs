//! The conventions CI engineers expect: message formats (`human`, `short`,
//! `json`, `github` with the step summary), `rules` and `explain`, and lint
//! levels (`[workspace.metadata.pieces.lints]`, per repository, `--deny-warnings`).

use std::path::Path;

use crate::helpers::{copy_tree, run, workspace_root, xtask};

/// A workspace with the project's configuration plus `lints` (TOML lines
/// appended), a copy of `pieces-repos/` with one warning (an unused dependency
/// file) and, with `broken`, one error.
fn workspace(lints: &str, broken: bool) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(
        &workspace_root().join("pieces-repos"),
        &dir.path().join("pieces-repos"),
    );
    let manifest = std::fs::read_to_string(workspace_root().join("Cargo.toml")).unwrap();
    std::fs::write(
        dir.path().join("Cargo.toml"),
        format!("{manifest}\n{lints}\n"),
    )
    .unwrap();
    let repos = dir.path().join("pieces-repos");
    std::fs::write(
        repos.join("data-ops-pieces/dependencies/requirements_old.txt"),
        "x==1\n",
    )
    .unwrap();
    if broken {
        std::fs::write(
            repos.join("geospatial-pieces/pieces/ClipRasterPiece/metadata.json"),
            "{\"name\": <}",
        )
        .unwrap();
    }
    dir
}

fn check(dir: &Path, args: &[&str]) -> crate::helpers::Run {
    run(xtask(dir).arg("check").args(args))
}

const UNUSED: &str = "domino::unused-dependency-file";

#[test]
fn short_format_is_one_line_per_diagnostic() {
    let dir = workspace("", true);
    let result = check(dir.path(), &["--message-format", "short"]);
    assert_eq!(result.code, 1);
    let lines: Vec<&str> = result
        .stderr
        .lines()
        .filter(|l| l.contains("[domino::"))
        .collect();
    assert!(
        lines.iter().any(|l| l.starts_with(
            "pieces-repos/geospatial-pieces/pieces/ClipRasterPiece/metadata.json:1:10: error[domino::json-syntax]:"
        )),
        "{}",
        result.stderr
    );
    assert!(
        lines
            .iter()
            .any(|l| l.contains(&format!("warning[{UNUSED}]")))
    );
    assert!(
        !result.stderr.contains(" |"),
        "no snippets: {}",
        result.stderr
    );
}

#[test]
fn github_format_prints_workflow_commands_and_a_step_summary() {
    let dir = workspace("", true);
    let summary = dir.path().join("step-summary.md");
    let result = run(xtask(dir.path())
        .args(["check", "--message-format", "github"])
        .env("GITHUB_STEP_SUMMARY", &summary));
    assert_eq!(result.code, 1);
    let error = result
        .stdout
        .lines()
        .find(|l| l.contains("title=domino%3A%3Ajson-syntax"))
        .expect("an error annotation (`:` is escaped in properties)");
    assert!(
        error.starts_with("::error file=pieces-repos/geospatial-pieces/pieces/ClipRasterPiece/metadata.json,line=1,col=10,endLine=1,endColumn="),
        "{error}"
    );
    assert!(
        result
            .stdout
            .lines()
            .any(|l| l.starts_with("::warning ") && l.contains("unused-dependency-file"))
    );
    // Messages are escaped: one annotation per line.
    assert!(
        result.stdout.lines().all(|l| l.starts_with("::")),
        "{}",
        result.stdout
    );
    let markdown = std::fs::read_to_string(&summary).unwrap();
    assert!(
        markdown.contains("| repository | kind | errors | warnings |"),
        "{markdown}"
    );
    assert!(
        markdown.contains("| pieces-repos/geospatial-pieces | domino | 1 | 0 |"),
        "{markdown}"
    );
}

#[test]
fn a_diagnostic_without_a_span_is_indented_like_rustc() {
    let dir = workspace("", false);
    let result = check(dir.path(), &[]);
    let block = result
        .stderr
        .split("\n\n")
        .find(|b| b.contains(UNUSED))
        .unwrap();
    let lines: Vec<&str> = block.lines().collect();
    assert!(
        lines[0].starts_with(&format!("warning[{UNUSED}]")),
        "{block}"
    );
    assert_eq!(
        lines[1],
        "  --> pieces-repos/data-ops-pieces/dependencies/requirements_old.txt"
    );
    assert!(lines[2].starts_with("   = help: "), "{block}");
    assert!(!block.lines().any(|l| l.trim() == "|"), "{block}");
}

#[test]
fn color_follows_clicolor_force_and_no_color() {
    let dir = workspace("", false);
    let forced = run(xtask(dir.path())
        .arg("check")
        .env_remove("NO_COLOR")
        .env("CLICOLOR_FORCE", "1"));
    assert!(forced.stderr.contains("\u{1b}["), "CLICOLOR_FORCE colors");
    let plain = run(xtask(dir.path()).arg("check").env("CLICOLOR_FORCE", "1"));
    assert!(!plain.stderr.contains("\u{1b}["), "NO_COLOR wins");
}

#[test]
fn rules_lists_every_code_and_explain_prints_its_documentation() {
    let dir = tempfile::tempdir().unwrap();
    let rules = run(xtask(dir.path()).args(["rules", "--format", "json"]));
    assert_eq!(rules.code, 0);
    let codes = rules.json_lines();
    assert!(codes.len() > 80);
    let missing = codes
        .iter()
        .find(|c| c["code"] == "domino::missing-models")
        .unwrap();
    assert_eq!(missing["ecosystem"], "domino");
    assert_eq!(missing["default_level"], "error");
    assert_eq!(missing["origin"], "reference");
    assert!(
        codes
            .iter()
            .any(|c| c["code"] == "input::outside-trusted-folders" && c["safety"] == true)
    );
    assert!(
        codes
            .iter()
            .any(|c| c["code"] == UNUSED && c["extra"] == true)
    );
    let table = run(xtask(dir.path()).arg("rules"));
    assert!(table.stdout.contains("domino::missing-models") && table.stdout.contains("codes;"));

    let explain = run(xtask(dir.path()).args(["explain", "domino::missing-models"]));
    assert_eq!(explain.code, 0);
    assert!(explain.stdout.starts_with("domino::missing-models\n"));
    assert!(explain.stdout.contains("models.py"), "{}", explain.stdout);
    let typo = run(xtask(dir.path()).args(["explain", "domino::missing-model"]));
    assert_eq!(typo.code, 2);
    assert!(
        typo.stderr
            .contains("did you mean `domino::missing-models`?"),
        "{}",
        typo.stderr
    );
}

#[test]
fn workspace_lint_levels_allow_and_deny() {
    let allowed = workspace(
        &format!("[workspace.metadata.pieces.lints]\n\"{UNUSED}\" = \"allow\""),
        false,
    );
    let result = check(allowed.path(), &["--message-format", "json"]);
    assert_eq!(result.code, 0, "{}", result.stdout);
    assert!(result.diagnostics().iter().all(|d| d["code"] != UNUSED));

    let denied = workspace(
        &format!("[workspace.metadata.pieces.lints]\n\"{UNUSED}\" = \"deny\""),
        false,
    );
    let result = check(denied.path(), &["--message-format", "json"]);
    assert_eq!(result.code, 1);
    assert!(
        result
            .diagnostics()
            .iter()
            .any(|d| d["code"] == UNUSED && d["severity"] == "error")
    );
}

#[test]
fn per_repository_levels_win_and_deny_warnings_denies_the_rest() {
    // The workspace allows the warning, the repository denies it.
    let dir = workspace("", false);
    let manifest = dir.path().join("Cargo.toml");
    let text = std::fs::read_to_string(&manifest).unwrap();
    let text = text.replace(
        "[workspace.metadata.pieces.repositories.data-ops-pieces]\nsource_url = \"https://github.com/acme-data/data_ops_pieces\"",
        &format!("[workspace.metadata.pieces.repositories.data-ops-pieces]\nsource_url = \"https://github.com/acme-data/data_ops_pieces\"\nlints = {{ \"{UNUSED}\" = \"deny\" }}"),
    );
    std::fs::write(
        &manifest,
        format!("{text}\n[workspace.metadata.pieces.lints]\n\"{UNUSED}\" = \"allow\"\n"),
    )
    .unwrap();
    let result = check(dir.path(), &["--message-format", "json"]);
    assert_eq!(result.code, 1, "{}", result.stdout);

    let plain = workspace("", false);
    assert_eq!(check(plain.path(), &[]).code, 0, "a warning alone passes");
    assert_eq!(check(plain.path(), &["--deny-warnings"]).code, 1);
}

#[test]
fn safety_codes_cannot_be_allowed_and_unknown_codes_are_errors() {
    let safety = workspace(
        "[workspace.metadata.pieces.lints]\n\"input::outside-trusted-folders\" = \"allow\"",
        false,
    );
    let result = check(safety.path(), &[]);
    assert_eq!(result.code, 2);
    assert!(result.stderr.contains("guards safety"), "{}", result.stderr);

    let unknown = workspace(
        "[workspace.metadata.pieces.lints]\n\"domino::unused-dependency-fil\" = \"allow\"",
        false,
    );
    let result = check(unknown.path(), &[]);
    assert_eq!(result.code, 2);
    assert!(
        result.stderr.contains(&format!("did you mean `{UNUSED}`?")),
        "{}",
        result.stderr
    );
}

#[test]
fn graph_reports_problems_in_the_chosen_format_and_dot_labels_break_lines() {
    let dir = workspace("", true);
    let graph = run(xtask(dir.path()).args(["graph", "--message-format", "json"]));
    assert_eq!(graph.code, 1);
    assert!(
        graph.stdout.starts_with("digraph monorepo {"),
        "the graph on stdout"
    );
    let problems: Vec<serde_json::Value> = graph
        .stderr
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|_| panic!("not JSON: {l}")))
        .collect();
    assert!(problems.iter().all(|p| p["reason"] == "compiler-message"));
    assert!(!problems.is_empty());
    // One backslash: Graphviz's line break, not a literal `\n`.
    assert!(
        graph.stdout.contains("\\n(repository)\""),
        "{}",
        &graph.stdout[..400]
    );
    assert!(!graph.stdout.contains("\\\\n("));
}

#[test]
fn verbose_lines_do_not_depend_on_jobs() {
    let dir = workspace("", false);
    let one = check(dir.path(), &["-v", "-j", "1"]);
    let two = check(dir.path(), &["-v", "-j", "2"]);
    assert!(
        one.stderr
            .contains("checked pieces-repos/data-ops-pieces (domino)"),
        "{}",
        one.stderr
    );
    assert_eq!(one.stderr, two.stderr);
}

#[test]
fn an_unknown_revision_is_one_clear_error() {
    let dir = workspace("", false);
    let git = std::process::Command::new("git")
        .args(["init", "-q"])
        .current_dir(dir.path())
        .status()
        .unwrap();
    assert!(git.success());
    let result = check(dir.path(), &["--changed-since", "no-such-rev"]);
    assert_eq!(result.code, 2);
    assert!(result.stderr.contains("no-such-rev"), "{}", result.stderr);
    assert!(
        !result.stderr.contains("fatal:"),
        "git's own line leaks: {}",
        result.stderr
    );
}

#[test]
fn the_actions_matrix_says_whether_to_push() {
    let dir = workspace("", false);
    let matrix = run(xtask(dir.path()).args([
        "build-images",
        "--quiet",
        "--format",
        "gha-matrix",
        "--push",
    ]));
    assert_eq!(matrix.code, 0, "{}", matrix.stderr);
    let value: serde_json::Value = serde_json::from_str(&matrix.stdout).unwrap();
    assert_eq!(value["matrices"][0]["include"][0]["push"], true);
}

/// `check --report-dir out` in `dir`: the run, `report.sarif` and `junit.xml`.
fn reports(dir: &Path) -> (crate::helpers::Run, serde_json::Value, String) {
    let result = check(dir, &["--report-dir", "out"]);
    let sarif = std::fs::read(dir.join("out/report.sarif"))
        .unwrap_or_else(|err| panic!("no report.sarif ({err}): {}", result.stderr));
    let sarif = serde_json::from_slice(&sarif).unwrap();
    let junit = std::fs::read_to_string(dir.join("out/junit.xml")).unwrap();
    (result, sarif, junit)
}

const BROKEN: &str = "pieces-repos/geospatial-pieces/pieces/ClipRasterPiece/metadata.json";

#[test]
fn sarif_rules_are_the_registry_and_every_located_result_has_a_region() {
    let dir = workspace("", true);
    let (result, sarif, _) = reports(dir.path());
    assert_eq!(result.code, 1, "{}", result.stderr);
    let registry = run(xtask(dir.path()).args(["rules", "--format", "json"])).json_lines();
    let run_ = &sarif["runs"][0];
    let rules = run_["tool"]["driver"]["rules"].as_array().unwrap();
    let ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    let codes: Vec<&str> = registry
        .iter()
        .map(|c| c["code"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids, codes,
        "one rule per registry code, once each, in order"
    );
    for (rule, code) in rules.iter().zip(&registry) {
        let id = rule["id"].as_str().unwrap();
        let short = rule["shortDescription"]["text"].as_str().unwrap();
        assert!(!short.is_empty() && short != id, "{id}: {short}");
        let full = rule["fullDescription"]["text"].as_str().unwrap();
        assert!(full.len() > short.len() / 2 && full != id, "{id}: {full}");
        assert!(
            rule["help"]["text"].as_str().unwrap().contains(full),
            "{id}"
        );
        assert!(rule["help"]["markdown"].as_str().is_some(), "{id}");
        assert!(rule["helpUri"].as_str().unwrap().contains(':'), "{id}");
        assert_eq!(
            rule["defaultConfiguration"]["level"], code["default_level"],
            "{id}"
        );
    }
    let explain = run(xtask(dir.path()).args(["explain", "domino::json-syntax"]));
    let json_rule = rules
        .iter()
        .find(|r| r["id"] == "domino::json-syntax")
        .unwrap();
    let first_words: String = json_rule["fullDescription"]["text"]
        .as_str()
        .unwrap()
        .chars()
        .take(30)
        .collect();
    assert!(explain.stdout.contains(&first_words), "{first_words}");
    assert!(run_["tool"]["driver"]["informationUri"].is_string());
    assert_eq!(run_["columnKind"], "unicodeCodePoints");
    assert_eq!(run_["invocations"][0]["executionSuccessful"], true);
    assert!(
        run_["automationDetails"]["id"]
            .as_str()
            .unwrap()
            .ends_with('/')
    );
    let results = run_["results"].as_array().unwrap();
    assert!(results.len() >= 2, "the error and the warning");
    for result in results {
        let index = result["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], result["ruleId"]);
        let fingerprint = result["partialFingerprints"]["pieces-xtask/v1"]
            .as_str()
            .unwrap();
        assert!(fingerprint.contains(':'), "{fingerprint}");
        for location in result["locations"].as_array().unwrap() {
            let physical = &location["physicalLocation"];
            assert!(
                physical["region"]["startLine"].as_u64().unwrap() >= 1,
                "{result}"
            );
            assert_eq!(physical["artifactLocation"]["uriBaseId"], "SRCROOT");
        }
    }
    // The file-level warning (no span) has a region too.
    let unused = results.iter().find(|r| r["ruleId"] == UNUSED).unwrap();
    assert_eq!(
        unused["locations"][0]["physicalLocation"]["region"]["startLine"],
        1
    );
    // Nothing names this machine: no absolute path, no base uri, no time.
    let text = std::fs::read_to_string(dir.path().join("out/report.sarif")).unwrap();
    let canonical = dir.path().canonicalize().unwrap();
    for machine in [dir.path().to_str().unwrap(), canonical.to_str().unwrap()] {
        assert!(!text.contains(machine), "an absolute path: {machine}");
    }
    assert!(!text.contains("file://") && !text.contains("Utc\""));
    assert!(run_["originalUriBaseIds"]["SRCROOT"].get("uri").is_none());
}

/// The `pieces-xtask/v1` fingerprint and start line of the result of `code`.
fn fingerprint_of(sarif: &serde_json::Value, code: &str) -> (String, u64) {
    let result = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["ruleId"] == code)
        .unwrap_or_else(|| panic!("no {code} result"));
    (
        result["partialFingerprints"]["pieces-xtask/v1"]
            .as_str()
            .unwrap()
            .to_string(),
        result["locations"][0]["physicalLocation"]["region"]["startLine"]
            .as_u64()
            .unwrap(),
    )
}

#[test]
fn sarif_fingerprints_survive_a_line_inserted_above_the_problem() {
    let dir = workspace("", true);
    let (_, before, _) = reports(dir.path());
    let (print, line) = fingerprint_of(&before, "domino::json-syntax");
    assert_eq!(line, 1);
    let file = dir.path().join(BROKEN);
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, format!("\n\n{text}")).unwrap();
    let (_, after, _) = reports(dir.path());
    let (moved, line) = fingerprint_of(&after, "domino::json-syntax");
    assert_eq!(line, 3, "the problem moved down two lines");
    assert_eq!(moved, print, "the fingerprint does not follow line numbers");
    // Another problem on that line is another fingerprint.
    std::fs::write(&file, "\n\n{\"name\": >}").unwrap();
    let (_, changed, _) = reports(dir.path());
    let (other, _) = fingerprint_of(&changed, "domino::json-syntax");
    assert_ne!(other, print, "the line's text is part of the fingerprint");
}

/// The `(classname, name)` of every `<testcase>` and the `tests=` counts.
fn junit_identities(junit: &str) -> (Vec<(String, String)>, Vec<String>) {
    let case = regex::Regex::new(r#"<testcase classname="([^"]*)" name="([^"]*)""#).unwrap();
    let tests = regex::Regex::new(r#" tests="(\d+)""#).unwrap();
    (
        case.captures_iter(junit)
            .map(|c| (c[1].to_string(), c[2].to_string()))
            .collect(),
        tests
            .captures_iter(junit)
            .map(|c| c[1].to_string())
            .collect(),
    )
}

#[test]
fn junit_test_cases_are_the_same_in_a_passing_and_a_failing_run() {
    let passing = workspace("", false);
    let (result, _, passing_junit) = reports(passing.path());
    assert_eq!(result.code, 0, "{}", result.stderr);
    let failing = workspace("", true);
    let (result, _, failing_junit) = reports(failing.path());
    assert_eq!(result.code, 1, "{}", result.stderr);
    let (cases, counts) = junit_identities(&passing_junit);
    assert!(cases.len() >= 2, "{passing_junit}");
    assert_eq!(
        (cases.clone(), counts),
        junit_identities(&failing_junit),
        "{failing_junit}"
    );
    let position = regex::Regex::new(r":\d+").unwrap();
    for (class, name) in &cases {
        assert!(
            !position.is_match(name) && !position.is_match(class),
            "{class} {name}"
        );
    }
    assert!(!passing_junit.contains("<failure"), "{passing_junit}");
    assert!(
        failing_junit.contains("failures=\"1\""),
        "one failing case: {failing_junit}"
    );
    // The failure carries the diagnostic, with its location.
    let failure = failing_junit
        .split("<failure ")
        .nth(1)
        .expect("a failure")
        .split("</failure>")
        .next()
        .unwrap();
    assert!(
        failure.contains("type=\"domino::json-syntax\""),
        "{failure}"
    );
    assert!(failure.contains(&format!("{BROKEN}:1:10")), "{failure}");
}

#[test]
fn bench_reference_fails_before_timing_when_the_reference_is_missing() {
    let dir = workspace("", false);
    let start = std::time::Instant::now();
    let result = run(xtask(dir.path()).args(["bench", "--reference", "--runs", "500"]));
    assert_eq!(result.code, 2, "{}\n{}", result.stdout, result.stderr);
    assert!(
        result.stderr.contains("env::reference-unavailable")
            && result.stderr.contains("target/oracle/"),
        "{}",
        result.stderr
    );
    assert!(
        !result.stdout.contains("median"),
        "no timing before the failure: {}",
        result.stdout
    );
    assert!(start.elapsed() < std::time::Duration::from_secs(60));
}

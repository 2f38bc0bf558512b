//! Bad input is normal input: every file of a copy of `pieces-repos/` is truncated
//! in turn (a half-written JSON, TOML, YAML or Python file) and `check` must
//! report it — exit status 1 with errors located at file:line:col — or accept
//! it (exit 0, e.g. a truncated requirements file), and never panic.

use std::path::PathBuf;

use crate::helpers::{copy_tree, run, workspace_root, xtask};

#[test]
fn every_truncated_file_is_reported_without_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        workspace_root().join("Cargo.toml"),
        dir.path().join("Cargo.toml"),
    )
    .unwrap();
    let repos = dir.path().join("pieces-repos");
    copy_tree(&workspace_root().join("pieces-repos"), &repos);
    let files: Vec<PathBuf> = walkdir::WalkDir::new(&repos)
        .sort_by_file_name()
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .filter(|p| {
            matches!(
                p.extension().and_then(|e| e.to_str()),
                Some("json" | "toml" | "py" | "yml" | "yaml")
            )
        })
        .collect();
    assert!(files.len() > 50, "{} files", files.len());
    let mut failures = Vec::new();
    let mut located_errors = 0;
    for file in &files {
        let original = std::fs::read(file).unwrap();
        // Cut inside the text (at a char boundary), where parsers are most likely to fail.
        let text = String::from_utf8(original.clone()).unwrap();
        let cut = text.floor_char_boundary(text.len() * 2 / 3);
        std::fs::write(file, &text[..cut]).unwrap();
        let repository = file
            .strip_prefix(&repos)
            .unwrap()
            .components()
            .next()
            .unwrap();
        let result = run(xtask(dir.path())
            .args(["check", "--message-format", "json", "--only"])
            .arg(repository.as_os_str()));
        std::fs::write(file, &original).unwrap();
        let name = file.strip_prefix(&repos).unwrap().display().to_string();
        let (code, stderr) = (result.code, &result.stderr);
        if stderr.contains("panicked") || !matches!(code, 0 | 1) {
            failures.push(format!("{name}: exit {code}\n{stderr}"));
            continue;
        }
        let mut positioned = 0;
        for message in result.diagnostics() {
            if message["severity"] == "error" {
                if message["file"].as_str().is_none() {
                    failures.push(format!("{name}: an error without a file: {message}"));
                }
                if message["line"].as_u64().is_some() {
                    located_errors += 1;
                    positioned += 1;
                }
            }
        }
        if code == 1 && positioned == 0 {
            failures.push(format!("{name}: errors but none with line:col"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(
        located_errors > files.len() / 2,
        "{located_errors} located errors for {} files",
        files.len()
    );
}

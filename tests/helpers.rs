//! What every integration test module needs: paths in the workspace, temporary
//! copies of fixture trees, and the `xtask` binary run to completion.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

/// The workspace root (the folder holding `Cargo.toml`, `pieces-repos/` and `tests/`).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// `tests/fixtures/<name>` (`name` may have several components, e.g. `dioptra/seed-ok`).
pub fn fixture(name: &str) -> PathBuf {
    workspace_root().join("tests/fixtures").join(name)
}

/// Copies a folder tree (used to break files without touching the originals).
pub fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// The binary, run from `cwd` (a temporary folder, so outside any cargo workspace
/// unless the test copies a `Cargo.toml` there), with progress (`CI=true`) and
/// colors (`NO_COLOR=1`) off.
pub fn xtask(cwd: &Path) -> Command {
    let mut command = Command::cargo_bin("xtask").unwrap();
    command
        .current_dir(cwd)
        .env("CI", "true")
        .env("NO_COLOR", "1");
    command
}

/// How a finished run of the binary ended.
pub struct Run {
    /// The exit status; -1 if the process was killed by a signal.
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// Runs `command` to completion and captures its exit status and output.
pub fn run(command: &mut Command) -> Run {
    let output = command.output().unwrap();
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

impl Run {
    /// The objects of `--message-format json` output, one per line of stdout;
    /// panics on a line that is not JSON.
    pub fn json_lines(&self) -> Vec<Value> {
        self.stdout
            .lines()
            .map(|line| {
                serde_json::from_str(line).unwrap_or_else(|err| panic!("not JSON ({err}): {line}"))
            })
            .collect()
    }

    /// The diagnostics of `--message-format json` output (cargo's
    /// `compiler-message` objects), in order, flattened for assertions:
    /// `severity`, `code`, `message`, `file`, `line`, `column` (0 for a file as a
    /// whole), `end_line`, `end_column`, `label`, `help`, `notes`.
    pub fn diagnostics(&self) -> Vec<Value> {
        self.json_lines()
            .into_iter()
            .filter(|line| line["reason"] == "compiler-message")
            .map(|line| flatten(&line["message"]))
            .collect()
    }

    /// The `"reason": "summary"` object that ends `--message-format json` output;
    /// panics if the last line is not one.
    pub fn summary(&self) -> Value {
        let summary = self.json_lines().pop().expect("a summary line");
        assert_eq!(
            summary["reason"], "summary",
            "the last line is not the summary:\n{}",
            self.stdout
        );
        summary
    }
}

/// One cargo-shaped diagnostic as a flat object (see [`Run::diagnostics`]).
pub fn flatten(message: &Value) -> Value {
    let primary = message["spans"]
        .as_array()
        .and_then(|spans| spans.iter().find(|s| s["is_primary"] == true))
        .cloned();
    let children = |level: &str| -> Vec<Value> {
        message["children"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|c| c["level"] == level)
            .map(|c| c["message"].clone())
            .collect()
    };
    let mut flat = serde_json::json!({
        "severity": message["level"],
        "code": message["code"]["code"],
        "message": message["message"],
        "notes": children("note"),
    });
    if let Some(help) = children("help").pop() {
        flat["help"] = help;
    }
    if let Some(span) = primary {
        flat["file"] = span["file_name"].clone();
        if span["file_level"] != true {
            for (to, from) in [
                ("line", "line_start"),
                ("column", "column_start"),
                ("end_line", "line_end"),
                ("end_column", "column_end"),
            ] {
                flat[to] = span[from].clone();
            }
        }
        if !span["label"].is_null() {
            flat["label"] = span["label"].clone();
        }
    }
    flat
}

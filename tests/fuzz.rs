//! A property test over mutated repositories: every file kind of
//! `pieces-repos/` (JSON, TOML, Python, YAML, requirements, Dockerfiles) is
//! truncated, has bytes flipped, gets invalid UTF-8, NUL, a byte order mark,
//! CRLF line ends, deep nesting, a very long line, or a value of another type.
//! Whatever the input, `check` must end with exit status 0 or 1 (never a
//! panic, an abort or a hang), and every error must be located.
//!
//! The number of cases is `XTASK_FUZZ_CASES` (default 240, a short run for CI);
//! each case is one mutated copy of one repository, and cases are checked in
//! batches of 40 repositories per run of the binary.

use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::helpers::{copy_tree, run, workspace_root, xtask};

/// A small deterministic generator (xorshift64*): the same cases every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

const MUTATIONS: &[&str] = &[
    "truncate",
    "flip-bytes",
    "invalid-utf8",
    "nul",
    "bom",
    "crlf",
    "deep-nesting",
    "long-line",
    "type-change",
    "empty",
];

fn mutate(bytes: &[u8], mutation: &str, rng: &mut Rng) -> Vec<u8> {
    let mut out = bytes.to_vec();
    let at = rng.below(out.len() + 1);
    match mutation {
        "truncate" => out.truncate(at),
        "flip-bytes" => {
            for _ in 0..1 + rng.below(4) {
                if !out.is_empty() {
                    let i = rng.below(out.len());
                    out[i] ^= 1 << rng.below(8);
                }
            }
        }
        "invalid-utf8" => out.splice(at..at, [0xff, 0xfe, 0xc3]).for_each(drop),
        "nul" => out.splice(at..at, [0u8]).for_each(drop),
        "bom" => out.splice(0..0, [0xef, 0xbb, 0xbf]).for_each(drop),
        "crlf" => {
            out = String::from_utf8_lossy(&out)
                .replace('\n', "\r\n")
                .into_bytes()
        }
        "deep-nesting" => {
            let open = ["[", "{", "(", "- ", "not ", "{\"a\": "][rng.below(6)];
            let nested = open.repeat(5_000 + rng.below(50_000));
            out.splice(at..at, nested.into_bytes()).for_each(drop);
        }
        "long-line" => {
            let line = "x".repeat(1 << 20);
            out.splice(at..at, line.into_bytes()).for_each(drop);
        }
        "type-change" => {
            let text = String::from_utf8_lossy(&out).into_owned();
            let replaced = ["\"", "[", "{", "=", ":"]
                .iter()
                .find_map(|token| {
                    let positions: Vec<usize> = text.match_indices(token).map(|(i, _)| i).collect();
                    let i = *positions.get(rng.below(positions.len()))?;
                    let value =
                        ["123", "[1, 2]", "{}", "true", "null", "1.5e300", "\"x\""][rng.below(7)];
                    Some(format!(
                        "{}{token}{value},{}",
                        &text[..i],
                        &text[i + token.len()..]
                    ))
                })
                .unwrap_or(text);
            out = replaced.into_bytes();
        }
        _ => out.clear(),
    }
    out
}

/// The files worth mutating: everything the tool parses.
fn parsed_files(repo: &Path) -> Vec<PathBuf> {
    walkdir::WalkDir::new(repo)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .filter(|path| {
            let name = path.file_name().unwrap().to_string_lossy();
            ["json", "toml", "py", "yml", "yaml", "txt"]
                .iter()
                .any(|ext| name.ends_with(&format!(".{ext}")))
                || name.starts_with("Dockerfile")
        })
        .collect()
}

#[test]
fn mutated_repositories_never_crash_the_tool_and_every_error_is_located() {
    let cases: usize = std::env::var("XTASK_FUZZ_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(240);
    let repos_dir = workspace_root().join("pieces-repos");
    let mut repositories: Vec<PathBuf> = std::fs::read_dir(&repos_dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    repositories.sort();
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut counts: std::collections::BTreeMap<&str, usize> = Default::default();
    let mut exits = [0usize; 2];
    let mut case = 0;
    while case < cases {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("Cargo.toml"), "[workspace]\n").unwrap();
        let mut batch = Vec::new();
        for _ in 0..40.min(cases - case) {
            let repo = &repositories[rng.below(repositories.len())];
            let name = format!("{}-case{case}", repo.file_name().unwrap().to_string_lossy());
            let copy = dir.path().join("pieces-repos").join(&name);
            copy_tree(repo, &copy);
            let files = parsed_files(&copy);
            let file = &files[rng.below(files.len())];
            let mutation = MUTATIONS[rng.below(MUTATIONS.len())];
            let bytes = std::fs::read(file).unwrap();
            std::fs::write(file, mutate(&bytes, mutation, &mut rng)).unwrap();
            *counts.entry(mutation).or_default() += 1;
            batch.push(format!(
                "{mutation} of {}",
                file.strip_prefix(dir.path()).unwrap().display()
            ));
            case += 1;
        }
        let check = run(xtask(dir.path())
            .args(["check", "--message-format", "json"])
            .timeout(Duration::from_secs(120)));
        if !(check.code == 0 || check.code == 1) {
            // Keep the batch to reproduce it.
            let kept = dir.keep();
            panic!(
                "exit {} (a crash, an abort or a hang) on a batch of (kept in {}):\n{}\n{}",
                check.code,
                kept.display(),
                batch.join("\n"),
                check.stderr
            );
        }
        exits[check.code as usize] += 1;
        for diagnostic in check.diagnostics() {
            if diagnostic["severity"] == "error" {
                assert!(
                    diagnostic["file"].is_string(),
                    "an error without a location: {diagnostic}\nbatch:\n{}",
                    batch.join("\n")
                );
            }
        }
    }
    eprintln!("{cases} mutated repositories, by mutation: {counts:?}; runs exiting 0/1: {exits:?}");
}

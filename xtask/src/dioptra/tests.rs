//! Unit tests of the resource checks, on small repositories in temporary folders.

use crate::codes::Code;
use std::path::Path;

use super::*;

/// A repository in a temporary folder: `(path, contents)` pairs.
fn repo(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (path, text) in files {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dir
}

fn check_at(dir: &Path, config: &str) -> Checked {
    let path = dir.join(config);
    let file = SourceFile::read(&path, config.to_string()).unwrap();
    let document = doc::parse_toml(&file).unwrap();
    let workspace = crate::input::Workspace::new(dir);
    check_config(&workspace.reader(dir), dir, &path, &document)
}

fn check(files: &[(&str, &str)]) -> (tempfile::TempDir, Checked) {
    let dir = repo(files);
    let checked = check_at(dir.path(), "dioptra.toml");
    (dir, checked)
}

/// `(code, line, column)` of every diagnostic, sorted.
fn codes(checked: &Checked) -> Vec<(String, usize, usize)> {
    let mut out: Vec<_> = checked
        .diagnostics
        .iter()
        .map(|d| {
            let (line, column) = d
                .location
                .as_ref()
                .and_then(|l| l.positions())
                .map_or((0, 0), |(start, _)| (start.line, start.column));
            (
                d.code.as_str().trim_start_matches("dioptra::").to_string(),
                line,
                column,
            )
        })
        .collect();
    out.sort();
    out
}

/// Each `(code, line, column)` is among `codes`.
fn assert_reported(codes: &[(String, usize, usize)], expected: &[(&str, usize, usize)]) {
    for (code, line, column) in expected {
        assert!(
            codes.contains(&(code.to_string(), *line, *column)),
            "{:?} not in {codes:?}",
            (code, line, column)
        );
    }
}

fn has(checked: &Checked, code: &str) -> bool {
    checked
        .diagnostics
        .iter()
        .any(|d| d.code.as_str() == format!("dioptra::{code}"))
}

const TASKS_PY: &str = "def load(path, limit=10):\n    return path\n\nclass Saver:\n    pass\n";

const GOOD: &str = r#"
[[plugin_param_types]]
name = "table"

[[plugins]]
path = "plugins/io"

[[plugins.tasks.functions]]
filename = "tasks.py"
name = "load"
input_params = [{ name = "path", type = "string", required = true }, { name = "limit", type = "integer" }]
output_params = [{ name = "data", type = "table" }]

[[plugins.tasks.artifacts]]
filename = "tasks.py"
name = "Saver"
output_params = [{ name = "data", type = "table" }]

[[entrypoints]]
path = "entrypoints/run.yml"
name = "run"
params = [{ name = "path", type = "string", default_value = "x.csv" }]
plugins = ["io"]
artifact_plugins = ["io"]
"#;

fn good_files(toml: &str) -> Vec<(&str, &str)> {
    vec![
        ("dioptra.toml", toml),
        ("plugins/io/__init__.py", ""),
        ("plugins/io/tasks.py", TASKS_PY),
        (
            "entrypoints/run.yml",
            "graph:\n  step:\n    load: [$path]\n",
        ),
    ]
}

#[test]
fn a_good_config_is_clean_and_gives_facts() {
    let (_dir, checked) = check(&good_files(GOOD));
    assert!(
        !checked.diagnostics.iter().any(Diagnostic::is_error),
        "{:#?}",
        checked.diagnostics
    );
    assert_eq!(checked.facts.path, "dioptra.toml");
    assert_eq!(checked.facts.plugins[0].name, "io");
    assert_eq!(checked.facts.plugins[0].path, "plugins/io");
    assert_eq!(
        checked.facts.plugins[0].tasks,
        [
            ("load".to_string(), TaskKind::Function),
            ("Saver".to_string(), TaskKind::Artifact)
        ]
    );
    assert_eq!(checked.facts.entrypoints[0].path, "entrypoints/run.yml");
    assert_eq!(checked.facts.types[0].name, "table");
    assert_eq!(
        checked.plugins[0].as_ref().unwrap().files,
        ["__init__.py", "tasks.py"]
    );
}

#[test]
fn schema_violations_name_the_dialect_and_all_are_reported() {
    let toml = "[[plugins]]\npath = \"plugins/io\"\ncolour = 1\n\n[[plugins.tasks]]\nfilename = \"tasks.py\"\n\n[[entrypoints]]\npath = 3\n";
    let (_dir, checked) = check(&[("dioptra.toml", toml), ("plugins/io/tasks.py", "")]);
    let schema: Vec<_> = checked
        .diagnostics
        .iter()
        .filter(|d| d.code == Code::DioptraSchema)
        .collect();
    // colour, missing name / input_params / output_params, path type.
    assert!(schema.len() >= 5, "{schema:#?}");
    assert!(schema.iter().all(|d| d.message.contains("seed dialect")));
    assert!(codes(&checked).contains(&("schema".into(), 3, 1)));
}

#[test]
fn paths_follow_dioptra_rules() {
    let toml = r#"
[[plugins]]
path = "../outside"

[[plugins]]
path = "plugins\\win"

[[plugins]]
path = "plugins/missing"

[[entrypoints]]
path = "/abs.yml"
name = "a"

[[entrypoints]]
path = "nope.yml"
name = "b"
"#;
    let (_dir, checked) = check(&[("dioptra.toml", toml)]);
    let codes = codes(&checked);
    assert_reported(
        &codes,
        &[
            ("invalid-path", 3, 8),
            ("invalid-path", 6, 8),
            ("missing-plugin-folder", 9, 8),
            ("invalid-path", 12, 8),
            ("missing-entrypoint-file", 16, 8),
        ],
    );
}

#[test]
fn paths_are_relative_to_the_config_folder() {
    let toml = "[[plugins]]\npath = \"../plugins/io\"\n\n[[plugins.tasks]]\nfilename = \"tasks.py\"\nname = \"load\"\ninput_params = [{ name = \"path\", type = \"string\", required = true }]\noutput_params = []\n\n[[entrypoints]]\npath = \"run.yml\"\nname = \"run\"\nplugins = [\"io\"]\n";
    let dir = repo(&[
        ("extra/dioptra_extra.toml", toml),
        ("plugins/io/tasks.py", TASKS_PY),
        ("extra/run.yml", "graph:\n  s:\n    load: [x]\n"),
    ]);
    let checked = check_at(dir.path(), "extra/dioptra_extra.toml");
    assert!(
        !checked.diagnostics.iter().any(Diagnostic::is_error),
        "{:#?}",
        checked.diagnostics
    );
    assert_eq!(checked.facts.path, "extra/dioptra_extra.toml");
    assert_eq!(checked.facts.plugins[0].path, "plugins/io");
    assert_eq!(checked.facts.entrypoints[0].path, "extra/run.yml");
    // `..` twice leaves the repository.
    let toml = "[[plugins]]\npath = \"../../io\"\n";
    let dir = repo(&[("extra/d.toml", toml)]);
    let checked = check_at(dir.path(), "extra/d.toml");
    assert!(has(&checked, "invalid-path"));
}

#[test]
fn names_and_uniqueness() {
    let toml = r#"
[[plugin_param_types]]
name = " Integer"

[[plugin_param_types]]
name = "bad:name"

[[plugin_param_types]]
name = "t"

[[plugin_param_types]]
name = "t"

[[plugins]]
path = "plugins/my-plugin"

[[plugins]]
path = "plugins/io"

[[plugins]]
path = "other/io"

[[entrypoints]]
path = "run.yml"
name = "run (v2)"

[[entrypoints]]
path = "run.yml"
name = "same"

[[entrypoints]]
path = "run.yml"
name = "same"
"#;
    let (_dir, checked) = check(&[
        ("dioptra.toml", toml),
        ("plugins/my-plugin/a.py", ""),
        ("plugins/io/a.py", ""),
        ("other/io/a.py", ""),
        ("run.yml", "graph: {}\n"),
    ]);
    let codes = codes(&checked);
    for expected in [
        ("builtin-type-redefined", 3),
        ("invalid-type-name", 6),
        ("duplicate-type", 12),
        ("invalid-plugin-name", 15),
        ("duplicate-plugin", 21),
        ("invalid-entrypoint-name", 25),
        ("duplicate-entrypoint", 33),
    ] {
        assert!(
            codes
                .iter()
                .any(|(c, l, _)| c == expected.0 && *l == expected.1),
            "{expected:?} not in {codes:?}"
        );
    }
}

#[test]
fn seed_entrypoint_name_defaults_to_the_stem() {
    let toml = "[[entrypoints]]\npath = \"flows/run.v2.yml\"\n";
    let (_dir, checked) = check(&[("dioptra.toml", toml), ("flows/run.v2.yml", "graph: {}\n")]);
    assert_eq!(checked.facts.entrypoints[0].name, "run.v2");
    assert!(!has(&checked, "invalid-entrypoint-name"));
    assert!(!has(&checked, "schema"));
}

#[test]
fn plugin_file_names() {
    let toml = "[[plugins]]\npath = \"plugins/io\"\n";
    let (_dir, checked) = check(&[
        ("dioptra.toml", toml),
        ("plugins/io/__init__.py", ""),
        ("plugins/io/tasks-v2.py", ""),
        ("plugins/io/sub/__init__.py", ""),
        ("plugins/io/sub/ok.py", ""),
        ("plugins/io/.hidden.py", ""),
    ]);
    let bad: Vec<_> = checked
        .diagnostics
        .iter()
        .filter(|d| d.code == Code::DioptraInvalidPluginFileName)
        .map(|d| d.message.clone())
        .collect();
    assert_eq!(bad.len(), 2, "{bad:?}");
    assert!(bad[0].contains("sub/__init__.py") && bad[1].contains("tasks-v2.py"));
}

#[test]
fn task_rules() {
    let toml = r#"
[[plugins]]
path = "plugins/io"

[[plugins.tasks.functions]]
filename = "tasks.py"
name = "load"
input_params = [{ name = "path", type = "string", required = true }, { name = "path", type = "strin" }]
output_params = []

[[plugins.tasks.functions]]
filename = "tasks.py"
name = "load"
input_params = [{ name = "path", type = "string", required = true }]
output_params = []

[[plugins.tasks.artifacts]]
filename = "tasks.py"
name = "load"
output_params = [{ name = "x", type = "undeclared" }]
"#;
    let (_dir, checked) = check(&[("dioptra.toml", toml), ("plugins/io/tasks.py", TASKS_PY)]);
    let codes = codes(&checked);
    assert_reported(
        &codes,
        &[
            ("duplicate-task-parameter", 8, 79),
            ("unknown-type", 8, 94),
            ("duplicate-task", 13, 8),
            ("duplicate-task", 19, 8),
            ("unknown-type", 20, 39),
        ],
    );
    // An artifact task named like a function, not a class.
    assert_reported(&codes, &[("missing-task-definition", 19, 8)]);
}

#[test]
fn python_task_files() {
    let toml = r#"
[[plugins]]
path = "plugins/io"

[[plugins.tasks.functions]]
filename = "task.py"
name = "load"
input_params = []
output_params = []

[[plugins.tasks.functions]]
filename = "tasks.py"
name = "missing"
input_params = []
output_params = []

[[plugins.tasks.functions]]
filename = "tasks.py"
name = "load"
input_params = [{ name = "limit", type = "integer" }, { name = "extra", type = "string" }]
output_params = []

[[plugins.tasks.functions]]
filename = "tasks.py"
name = "imported"
input_params = []
output_params = []

[[plugins.tasks.artifacts]]
filename = "tasks.py"
name = "Saver"
output_params = []
"#;
    let py = "from elsewhere import imported\n\ndef load(path, limit=10):\n    return path\n\nclass Saver:\n    pass\n";
    let (_dir, checked) = check(&[("dioptra.toml", toml), ("plugins/io/tasks.py", py)]);
    let codes = codes(&checked);
    assert_reported(
        &codes,
        &[
            ("unmatched-task-file", 6, 12),
            ("missing-task-definition", 13, 8),
        ],
    );
    // `extra` is not a parameter of load(), but it is optional and no entrypoint passes it.
    assert_reported(&codes, &[("unused-optional-input", 20, 64)]);
    let missing = checked
        .diagnostics
        .iter()
        .find(|d| d.code == Code::DioptraMissingTaskDefinition)
        .unwrap();
    assert_eq!(
        missing.help.as_deref(),
        Some(
            "define `def missing` at the top level of `tasks.py` (its top-level functions: load), or fix the task's `name` or `filename`"
        )
    );
    let unmatched = checked
        .diagnostics
        .iter()
        .find(|d| d.code == Code::DioptraUnmatchedTaskFile)
        .unwrap();
    assert_eq!(unmatched.help.as_deref(), Some("did you mean `tasks.py`?"));
    // `path` has no default and is not declared: reported in the Python file.
    let in_python = checked
        .diagnostics
        .iter()
        .find(|d| d.message.contains("parameter `path` of `load()`"))
        .unwrap();
    assert_eq!(
        in_python.location.as_ref().unwrap().to_short_string(),
        format!(
            "{}:3:10",
            display_path(&_dir.path().join("plugins/io/tasks.py"))
        )
    );
    assert_eq!(
        codes.iter().filter(|c| c.0 == "signature-mismatch").count(),
        1,
        "{codes:?}"
    );
}

/// An optional input the function does not take is a warning while nothing passes it, an
/// error where a step passes it (by keyword or by position), and always an error when it is
/// required.
#[test]
fn optional_inputs_missing_from_the_signature() {
    let toml = |required: &str| {
        format!(
            r#"
[[plugins]]
path = "plugins/io"

[[plugins.tasks.functions]]
filename = "tasks.py"
name = "load"
input_params = [{{ name = "path", type = "string", required = true }}, {{ name = "extra", type = "string"{required} }}]
output_params = []

[[entrypoints]]
path = "run.yml"
name = "run"
plugins = ["io"]
"#
        )
    };
    let run = |toml: &str, graph: &str| {
        let (_dir, checked) = check(&[
            ("dioptra.toml", toml),
            (
                "plugins/io/tasks.py",
                "def load(path):
    return path
",
            ),
            ("run.yml", graph),
        ]);
        checked
            .diagnostics
            .into_iter()
            .filter(|d| d.message.contains("`extra`"))
            .collect::<Vec<_>>()
    };
    for required in ["", ", required = false"] {
        let unpassed = run(&toml(required), "graph:\n  s:\n    load: {path: x}\n");
        assert_eq!(unpassed.len(), 1, "{unpassed:?}");
        assert_eq!(unpassed[0].code, Code::DioptraUnusedOptionalInput);
        assert!(!unpassed[0].is_error());
        assert!(
            unpassed[0]
                .help
                .as_deref()
                .unwrap()
                .starts_with("no entrypoint of this file passes it")
        );
        for graph in [
            "graph:\n  s:\n    load: {path: x, extra: y}\n",
            "graph:\n  s:\n    load: [x, y]\n",
        ] {
            let passed = run(&toml(required), graph);
            assert_eq!(passed.len(), 1, "{passed:?}");
            assert_eq!(passed[0].code, Code::DioptraSignatureMismatch);
            assert!(passed[0].is_error());
            assert_eq!(
                passed[0].notes,
                vec![
                    "step `s` of entrypoint `run` passes it: the call fails when the job runs"
                        .to_string()
                ]
            );
        }
    }
    let required = run(
        &toml(", required = true"),
        "graph:\n  s:\n    load: {path: x, extra: y}\n",
    );
    assert!(
        required
            .iter()
            .any(|d| d.code == Code::DioptraSignatureMismatch && d.is_error()),
        "{required:?}"
    );
}

#[test]
fn unknown_types_and_task_names_get_a_did_you_mean() {
    let toml = r#"
[[plugin_param_types]]
name = "table"

[[plugins]]
path = "plugins/io"

[[plugins.tasks.functions]]
filename = "tasks.py"
name = "lod"
input_params = [{ name = "path", type = "strin", required = true }]
output_params = [{ name = "data", type = "tabel" }, { name = "other", type = "zzz" }]

[[plugins.tasks.artifacts]]
filename = "tasks.py"
name = "Saverr"
output_params = []

[[entrypoints]]
path = "run.yml"
name = "run"
params = [{ name = "n", type = "flaot", default_value = "1.0" }, { name = "m", type = "text", default_value = "x" }]
"#;
    let (_dir, checked) = check(&[
        ("dioptra.toml", toml),
        ("plugins/io/tasks.py", TASKS_PY),
        (
            "run.yml",
            "graph:
  s:
    load: [$n, $m]
",
        ),
    ]);
    let help = |needle: &str| {
        checked
            .diagnostics
            .iter()
            .find(|d| d.message.contains(needle))
            .unwrap_or_else(|| panic!("no diagnostic about {needle}: {:?}", checked.diagnostics))
            .help
            .clone()
            .unwrap_or_default()
    };
    assert_eq!(
        help("type `strin`"),
        "did you mean `string`? (or declare `strin` in `[[plugin_param_types]]`)"
    );
    assert_eq!(
        help("type `tabel`"),
        "did you mean `table`? (or declare `tabel` in `[[plugin_param_types]]`)"
    );
    assert!(help("type `zzz`").starts_with("declare it in `[[plugin_param_types]]`"));
    assert_eq!(
        help("type `flaot`"),
        "did you mean `float`? entrypoint parameter types: string, float, integer, boolean, list, mapping"
    );
    assert!(help("type `text`").starts_with("use one of: "));
    assert_eq!(
        help("function task `lod`"),
        "did you mean `load`? (a task's `name` is the name of its function)"
    );
    assert_eq!(
        help("artifact task `Saverr`"),
        "did you mean `Saver`? (a task's `name` is the name of its class)"
    );
}

#[test]
fn required_mismatch_is_a_warning() {
    let toml = r#"
[[plugins]]
path = "plugins/io"

[[plugins.tasks.functions]]
filename = "tasks.py"
name = "load"
input_params = [{ name = "path", type = "string", required = false }]
output_params = []
"#;
    let (_dir, checked) = check(&[("dioptra.toml", toml), ("plugins/io/tasks.py", TASKS_PY)]);
    let warning = checked
        .diagnostics
        .iter()
        .find(|d| d.code == Code::DioptraSignatureMismatch)
        .unwrap();
    assert!(!warning.is_error());
    assert!(warning.message.contains("required = false"));
}

#[test]
fn entrypoint_parameters() {
    let toml = r#"
[[entrypoints]]
path = "run.yml"
name = "run"
params = [
    { name = "a", type = "integer", default_value = " 42" },
    { name = "b", type = "integer", default_value = "1.0" },
    { name = "c", type = "float", default_value = "inf" },
    { name = "d", type = "float", default_value = "x" },
    { name = "e", type = "boolean", default_value = true },
    { name = "f", type = "list" },
    { name = "g", type = "mapping", default_value = "[1]" },
    { name = "h", type = "list", default_value = "[28, 28]" },
    { name = "i", type = "tuple", default_value = "[1]" },
    { name = "j", type = "integer", default_value = 3 },
    { name = "a", type = "string" },
]
artifact_params = [{ name = "k", output_params = [{ name = "o", type = "nope" }, { name = "o", type = "string" }] }]
"#;
    let (_dir, checked) = check(&[("dioptra.toml", toml), ("run.yml", "graph: {}\n")]);
    let codes = codes(&checked);
    assert_reported(
        &codes,
        &[
            ("invalid-default", 7, 53),
            ("invalid-default", 9, 51),
            ("non-string-default", 10, 53),
            ("missing-default", 11, 5),
            ("invalid-default", 12, 53),
            ("schema", 14, 26),
            ("non-string-default", 15, 53),
            ("duplicate-task-parameter", 16, 14),
            ("unknown-type", 18, 72),
            ("duplicate-task-parameter", 18, 91),
        ],
    );
    assert_eq!(
        codes.iter().filter(|c| c.0 == "invalid-default").count(),
        3,
        "{codes:?}"
    );
    let hint = checked
        .diagnostics
        .iter()
        .find(|d| d.code == Code::DioptraNonStringDefault)
        .unwrap();
    assert_eq!(
        hint.help.as_deref(),
        Some("write it as a string: `default_value = \"true\"`")
    );
}

#[test]
fn entrypoint_plugins_must_be_declared() {
    let toml = GOOD.replace("plugins = [\"io\"]", "plugins = [\"oi\"]");
    let (_dir, checked) = check(&good_files(&toml));
    let unknown = checked
        .diagnostics
        .iter()
        .find(|d| d.code == Code::DioptraUnknownPlugin)
        .unwrap();
    assert_eq!(unknown.help.as_deref(), Some("did you mean `io`?"));
    let toml = GOOD.replace(
        "artifact_plugins = [\"io\"]",
        "artifact_plugins = [\"zzz\"]",
    );
    let (_dir, checked) = check(&good_files(&toml));
    assert!(has(&checked, "unknown-plugin"));
}

#[test]
fn the_manifest_matches_its_schema_and_the_bundle_holds_exactly_the_named_files() {
    let mut files = good_files(GOOD);
    files.push(("plugins/io/__pycache__/tasks.cpython-311.pyc", "junk"));
    files.push(("unrelated/other.py", ""));
    files.push(("README.md", "hi"));
    let (dir, checked) = check(&files);
    let manifest = bundle::manifest("repo", &checked, "dioptra.tar.gz");
    let validator = crate::schema_check::embedded(bundle::MANIFEST_SCHEMA);
    let errors: Vec<String> = validator
        .iter_errors(&manifest)
        .iter()
        .map(|e| format!("{} at {}", e.message, e.instance_path))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}\n{manifest:#}");
    assert_eq!(
        manifest["plugins"][0]["tasks"][0]["inputs"][0]["required"],
        true
    );
    assert_eq!(manifest["dialect"], "1.1");
    let engine = &manifest["entrypoints"][0]["task_engine"];
    assert!(engine["graph"].is_object(), "{engine:#}");
    assert!(engine["tasks"]["load"].is_object(), "{engine:#}");
    let workspace = crate::input::Workspace::new(dir.path());
    let reader = workspace.reader(dir.path());
    assert_eq!(
        bundle::bundle_files(&reader, dir.path(), &checked),
        [
            "dioptra.toml",
            "entrypoints/run.yml",
            "plugins/io/__init__.py",
            "plugins/io/tasks.py"
        ]
    );
    let a = bundle::bundle(&reader, dir.path(), &checked).unwrap();
    let b = bundle::bundle(&reader, dir.path(), &checked).unwrap();
    assert_eq!(a, b, "bundles are deterministic");
    assert_eq!(
        bundle::artifact_stem("repo", "extra/dioptra_optic.toml"),
        "dioptra/repo/extra__dioptra_optic"
    );
}

#[test]
fn plugin_files_with_reserved_names_cannot_be_read_by_dioptra() {
    let toml = "[[plugins]]\npath = \"plugins/io\"\n";
    let (_dir, checked) = check(&[("dioptra.toml", toml), ("plugins/io/con.py", "")]);
    let bad = checked
        .diagnostics
        .iter()
        .find(|d| d.code == Code::DioptraInvalidPluginFileName)
        .unwrap();
    assert!(
        bad.message.contains("reserved on Windows"),
        "{}",
        bad.message
    );
}

#[test]
fn an_entrypoint_path_naming_a_folder_is_reported() {
    let toml = "[[entrypoints]]\npath = \"flows\"\n";
    let (_dir, checked) = check(&[("dioptra.toml", toml), ("flows/x.yml", "graph: {}\n")]);
    let missing = checked
        .diagnostics
        .iter()
        .find(|d| d.code == Code::DioptraMissingEntrypointFile)
        .unwrap();
    assert!(missing.message.contains("is a folder"));
}

#[test]
fn bad_input_never_panics() {
    for toml in [
        "plugins = 3\nentrypoints = \"x\"\nplugin_param_types = [1, \"a\", {}]\n",
        "[[plugins]]\ntasks = 5\n[[plugins]]\npath = \"\"\n[[plugins]]\npath = \".\"\n",
        "[[plugins]]\npath = \"p\"\n[plugins.tasks]\nfunctions = [1, {name = 2}]\nartifacts = \"x\"\n",
        "[[entrypoints]]\npath = \"e.yml\"\nparams = [{name = \"a\", type = \"integer\", default_value = 1.5}, 3]\nplugins = [1, \"p\"]\n",
        "[[plugin_param_types]]\nname = \"a\"\nstructure = { list = \"a\" }\n",
    ] {
        let (_dir, checked) = check(&[("dioptra.toml", toml), ("p/x.py", "def (:\n")]);
        assert!(
            checked.diagnostics.iter().any(Diagnostic::is_error),
            "{toml}"
        );
        assert!(
            checked
                .diagnostics
                .iter()
                .all(|d| d.location.as_ref().is_some_and(|l| l.positions().is_some())),
            "{:#?}",
            checked.diagnostics
        );
    }
}

#[test]
fn unused_plugins_are_warnings() {
    let toml = format!("{GOOD}\n[[plugins]]\npath = \"plugins/spare\"\n");
    let mut files = good_files(&toml);
    files.push(("plugins/spare/__init__.py", ""));
    let (_dir, checked) = check(&files);
    let unused: Vec<_> = checked
        .diagnostics
        .iter()
        .filter(|d| d.code == Code::DioptraUnusedPlugin)
        .collect();
    assert_eq!(unused.len(), 1, "{unused:#?}");
    assert!(!unused[0].is_error());
    assert!(
        unused[0]
            .message
            .contains("`spare` is attached to no entrypoint")
    );
    // A file without entrypoints is a plugin library: no warning.
    let library = "[[plugins]]\npath = \"plugins/spare\"\n";
    let (_dir, checked) = check(&[("dioptra.toml", library), ("plugins/spare/a.py", "")]);
    assert!(!has(&checked, "unused-plugin"));
}

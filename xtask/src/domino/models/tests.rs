//! Unit tests of the static reader, among them the golden corpus runner: every
//! `tests/domino-models/cases/*.py` against the schemas pydantic 2.4.2 gave (`golden/`).

use super::schema::{cleandoc, python_title};
use super::*;
use crate::codes::Code;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// `tests/domino-models`, or the folder in `DOMINO_MODELS_CORPUS` (same layout: `cases/`
/// and `golden/`), to try the reader on other models.py files.
fn corpus() -> PathBuf {
    match std::env::var_os("DOMINO_MODELS_CORPUS") {
        Some(dir) => PathBuf::from(dir),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/domino-models"),
    }
}

fn read(text: &str) -> (ModelSchemas, Vec<Diagnostic>) {
    let file = SourceFile::new("models.py".into(), "models.py".into(), text.into());
    let (module, diagnostics) = python::parse(&file);
    assert!(diagnostics.is_empty());
    model_schemas(&module)
}

/// The line and column where a diagnostic starts.
fn position(diagnostic: &Diagnostic) -> Option<(usize, usize)> {
    let (start, _) = diagnostic.location.as_ref()?.positions()?;
    Some((start.line, start.column))
}

/// The first differing line of two pretty-printed documents, with some context.
fn pretty_diff(expected: &str, actual: &str) -> String {
    let e: Vec<&str> = expected.lines().collect();
    let a: Vec<&str> = actual.lines().collect();
    let first = (0..e.len().max(a.len()))
        .find(|&i| e.get(i) != a.get(i))
        .unwrap_or(0);
    let from = first.saturating_sub(3);
    let mut out = format!("first difference at line {}:\n", first + 1);
    for i in from..(first + 4).min(e.len().max(a.len())) {
        match (e.get(i), a.get(i)) {
            (Some(x), Some(y)) if x == y => out.push_str(&format!("   {x}\n")),
            (x, y) => {
                if let Some(x) = x {
                    out.push_str(&format!(" - {x}\n"));
                }
                if let Some(y) = y {
                    out.push_str(&format!(" + {y}\n"));
                }
            }
        }
    }
    out
}

/// Reads one corpus case: a models.py, or a folder that stands for a repository's
/// `pieces/` (one `<X>Piece/models.py`, or `MainPiece/models.py`, and the modules it
/// imports), read as the reference
/// imports `<X>Piece.models`. Also gives the Python files of the case.
fn read_case(
    case: &Path,
    generator: DominoGenerator,
) -> (ModelSchemas, Vec<Diagnostic>, Vec<Arc<SourceFile>>) {
    let name = case
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or_default();
    if !case.is_dir() {
        let file = SourceFile::read(case, name.to_string()).expect("readable case");
        let (module, syntax) = python::parse(&file);
        assert!(syntax.is_empty(), "{name}: syntax errors");
        let (schemas, diagnostics) = model_schemas_for(&module, generator);
        return (schemas, diagnostics, vec![file]);
    }
    let workspace = crate::input::Workspace::new(case);
    let reader = workspace.reader(case);
    let pieces: Vec<String> = std::fs::read_dir(case)
        .expect("case folder")
        .filter_map(Result::ok)
        .filter(|e| e.path().is_dir())
        .filter_map(|e| e.file_name().to_str().map(str::to_string))
        .filter(|n| n.ends_with("Piece"))
        .collect();
    let pieces = if pieces.iter().any(|p| p == "MainPiece") {
        vec!["MainPiece".to_string()]
    } else {
        pieces
    };
    assert_eq!(
        pieces.len(),
        1,
        "{name}: one <X>Piece folder, or a MainPiece"
    );
    let file = reader
        .text(&case.join(&pieces[0]).join("models.py"))
        .expect("readable models.py");
    let (module, syntax) = python::parse(&file);
    assert!(syntax.is_empty(), "{name}: syntax errors");
    let repo = RepoModules::new(&reader, case);
    let (schemas, diagnostics) = model_schemas_in(
        &module,
        &format!("{}.models", pieces[0]),
        Some(&repo),
        generator,
    );
    let sources = python_files(case)
        .iter()
        .filter_map(|path| reader.text(path).ok())
        .collect();
    (schemas, diagnostics, sources)
}

/// The `.py` files under a folder, sorted.
fn python_files(root: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|x| x == "py") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

#[test]
fn corpus_matches_pydantic_goldens() {
    corpus_matches(DominoGenerator::DominoPy, "golden");
}

/// The same cases against pydantic 2.11.7 (domino-py-iisas), byte for byte as
/// `json.dump(indent=4)` writes them.
#[test]
fn corpus_matches_pydantic_2_11_goldens() {
    corpus_matches(DominoGenerator::DominoPyIisas, "golden-iisas");
}

fn corpus_matches(generator: DominoGenerator, golden_dir: &str) {
    let root = corpus();
    if !root.join(golden_dir).is_dir() && std::env::var_os("DOMINO_MODELS_CORPUS").is_some() {
        return;
    }
    let mut cases: Vec<PathBuf> = std::fs::read_dir(root.join("cases"))
        .expect("cases folder")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "py") || p.is_dir())
        .collect();
    cases.sort();
    if std::env::var_os("DOMINO_MODELS_CORPUS").is_none() {
        assert!(cases.len() >= 60, "the corpus has {} cases", cases.len());
    }
    let mut failures = Vec::new();
    let mut identical = 0;
    for case in &cases {
        let name = case
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default()
            .to_string();
        let golden_path = root.join(golden_dir).join(format!("{name}.json"));
        let golden: Value = match std::fs::read_to_string(&golden_path)
            .map_err(|e| e.to_string())
            .and_then(|t| serde_json::from_str(&t).map_err(|e| e.to_string()))
        {
            Ok(v) => v,
            Err(e) => {
                failures.push(format!("{name}: no golden ({e})"));
                continue;
            }
        };
        let (schemas, diagnostics, sources) = read_case(case, generator);
        let expect_unsupported = name.starts_with("unsupported_");
        if expect_unsupported {
            // the lines marked `# unsupported` are exactly where the diagnostics point
            let mut marked: Vec<(String, usize)> = Vec::new();
            for file in &sources {
                for (i, line) in file.text.lines().enumerate() {
                    if line.contains("# unsupported") {
                        marked.push((file.display.clone(), i + 1));
                    }
                }
            }
            let mut lines: Vec<(String, usize)> = diagnostics
                .iter()
                .filter_map(|d| {
                    let location = d.location.as_ref()?;
                    let (start, _) = location.positions()?;
                    Some((location.display_path().to_string(), start.line))
                })
                .collect();
            lines.dedup();
            if lines != marked {
                failures.push(format!(
                    "{name}: diagnostics at lines {lines:?}, marked {marked:?}"
                ));
                continue;
            }
            for d in &diagnostics {
                let at = d
                    .location
                    .as_ref()
                    .map(|l| l.to_short_string())
                    .unwrap_or_default();
                eprintln!("{at}: {}", d.message);
            }
            let has = diagnostics.iter().any(|d| d.code == UNSUPPORTED);
            let missing = schemas.input.is_none()
                || schemas.output.is_none()
                || schemas.secrets.is_none() && !golden["secrets_schema"].is_null();
            if !has || !missing {
                failures.push(format!(
                    "{name}: expected an unsupported-construct diagnostic and a missing schema"
                ));
                continue;
            }
        } else if let Some(d) = diagnostics.first() {
            failures.push(format!(
                "{name}: unexpected diagnostic {}: {} at {}",
                d.code,
                d.message,
                d.location
                    .as_ref()
                    .map(|l| l.to_short_string())
                    .unwrap_or_default()
            ));
            continue;
        }
        if !expect_unsupported && generator == DominoGenerator::DominoPyIisas {
            // byte for byte: the file as `json.dump(indent=4)` wrote it
            let ours = json!({
                "input_schema": schemas.input,
                "output_schema": schemas.output,
                "secrets_schema": schemas.secrets,
            });
            let expected = std::fs::read_to_string(&golden_path).unwrap_or_default();
            let actual = crate::pyrepr::dumps(&ours);
            if expected == actual {
                identical += 1;
            } else {
                failures.push(format!("{name}: {}", pretty_diff(&expected, &actual)));
            }
            continue;
        }
        let mut ok = true;
        for (slot, ours) in [
            ("input_schema", &schemas.input),
            ("output_schema", &schemas.output),
            ("secrets_schema", &schemas.secrets),
        ] {
            if expect_unsupported && ours.is_none() {
                continue;
            }
            let expected = serde_json::to_string_pretty(&golden[slot]).unwrap_or_default();
            let actual = serde_json::to_string_pretty(&ours.clone().unwrap_or(Value::Null))
                .unwrap_or_default();
            if expected != actual {
                failures.push(format!(
                    "{name} {slot}: {}",
                    pretty_diff(&expected, &actual)
                ));
                ok = false;
                break;
            }
        }
        if ok && !expect_unsupported {
            identical += 1;
        }
    }
    eprintln!(
        "{identical} of {} fixture models byte-identical to pydantic {}",
        cases.len(),
        generator.pydantic_version()
    );
    assert!(
        failures.is_empty(),
        "{} failing cases:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn missing_classes_are_reported_at_the_start_of_the_file() {
    let (schemas, diagnostics) =
        read("from pydantic import BaseModel\n\nclass Other(BaseModel):\n    x: int\n");
    assert_eq!(schemas, ModelSchemas::default());
    let codes: Vec<_> = diagnostics
        .iter()
        .map(|d| (d.code, d.help.clone().unwrap_or_default()))
        .collect();
    assert_eq!(codes.len(), 2);
    assert!(codes.iter().all(|(c, _)| *c == MISSING_MODEL_CLASS));
    assert!(codes[0].1.contains("InputModel") && codes[1].1.contains("OutputModel"));
    assert_eq!(position(&diagnostics[0]), Some((1, 1)));
}

#[test]
fn unsupported_constructs_point_at_the_node() {
    let text = "from pydantic import BaseModel, Field\n\ndef f():\n    return 1\n\nclass InputModel(BaseModel):\n    x: int = Field(default=f())\n\nclass OutputModel(BaseModel):\n    y: int = 2\n";
    let (schemas, diagnostics) = read(text);
    assert!(schemas.input.is_none());
    assert_eq!(
        schemas.output,
        Some(
            json!({"properties": {"y": {"default": 2, "title": "Y", "type": "integer"}}, "title": "OutputModel", "type": "object"})
        )
    );
    assert_eq!(diagnostics.len(), 1);
    assert_eq!(diagnostics[0].code, UNSUPPORTED);
    assert!(
        diagnostics[0]
            .message
            .starts_with("unsupported in static mode: ")
    );
    assert_eq!(position(&diagnostics[0]), Some((7, 28)));
}

/// Bad input never panics: every line prefix of every corpus file, and every byte
/// prefix of a realistic one, goes through the parser and the reader.
#[test]
fn truncated_sources_never_panic() {
    let root = corpus().join("cases");
    let paths = python_files(&root);
    for path in &paths {
        let text = std::fs::read_to_string(path).expect("readable case");
        let mut ends: Vec<usize> = text.match_indices('\n').map(|(i, _)| i).collect();
        if path.ends_with("mix_workflow_scheduler.py") {
            ends = (0..=text.len())
                .filter(|&i| text.is_char_boundary(i))
                .collect();
        }
        for end in ends {
            let file = SourceFile::new("m.py".into(), "m.py".into(), text[..end].to_string());
            let (module, _) = python::parse(&file);
            let _ = model_schemas(&module);
        }
    }
    for text in [
        "from typing import Annotated\nfrom pydantic import BaseModel\nclass InputModel(BaseModel):\n    x: Annotated[()]\n",
        "from pydantic import BaseModel\nclass InputModel(BaseModel):\n    x: int = 99999999999999999999999\n    y: float = 1e400\n",
        "from pydantic import BaseModel\nA = A\nclass InputModel(BaseModel):\n    x: int = A\n",
        "from pydantic import BaseModel\nclass InputModel(InputModel):\n    x: int\nclass OutputModel(BaseModel):\n    y: 'OutputModel'\n",
    ] {
        let (schemas, diagnostics) = read(text);
        assert!(schemas.input.is_none());
        assert!(diagnostics.iter().any(|d| d.code == UNSUPPORTED), "{text}");
    }
}

/// `read` on a thread with a 1 MiB stack, half of what rayon's workers have: a recursion
/// the bounds miss overflows it (and aborts the test binary).
fn read_on_small_stack(text: String) -> (ModelSchemas, Vec<Diagnostic>) {
    std::thread::Builder::new()
        .stack_size(1024 * 1024)
        .spawn(move || read(&text))
        .expect("thread")
        .join()
        .expect("no panic")
}

/// The messages of the diagnostics besides missing classes, which must all be
/// `UNSUPPORTED`, with their line.
fn unsupported_messages(diagnostics: &[Diagnostic]) -> Vec<String> {
    diagnostics
        .iter()
        .filter(|d| d.code != MISSING_MODEL_CLASS)
        .map(|d| {
            assert_eq!(d.code, UNSUPPORTED, "{}", d.message);
            let line = position(d).map_or(0, |(line, _)| line);
            format!("{line}: {}", d.message)
        })
        .collect()
}

/// `InputModel` of `text` has no schema, and one diagnostic besides the missing classes,
/// which says `what` (read on a small stack).
fn assert_refused_once(text: String, what: &str) {
    let (schemas, diagnostics) = read_on_small_stack(text);
    assert!(schemas.input.is_none(), "{what}");
    let messages = unsupported_messages(&diagnostics);
    assert_eq!(messages.len(), 1, "{messages:?}");
    assert!(messages[0].contains(what), "{messages:?}");
}

const HEADER: &str = "from pydantic import BaseModel, Field\n\n";

#[test]
fn a_model_that_is_its_own_default_factory_is_a_name_error_not_a_stack_overflow() {
    // Inside its own body `B` is not bound yet: Python raises `NameError` there.
    let text = format!(
        "{HEADER}class B(BaseModel):\n    x: int = Field(default_factory=B)\n\nclass InputModel(BaseModel):\n    b: B = B()\n"
    );
    let (schemas, diagnostics) = read_on_small_stack(text);
    assert!(schemas.input.is_none());
    assert_eq!(
        unsupported_messages(&diagnostics),
        vec!["4: unsupported in static mode: this `default_factory`"]
    );
}

#[test]
fn names_are_bound_only_once_their_statement_has_run() {
    let messages = |body: &str| {
        let text = format!("{HEADER}{body}\nclass OutputModel(BaseModel):\n    y: int = 1\n");
        let (schemas, diagnostics) = read(&text);
        assert!(schemas.input.is_none(), "{body}");
        assert!(schemas.output.is_some(), "{body}");
        unsupported_messages(&diagnostics)
    };
    // A class in its own body: as a default, a default of a field of another model, a
    // type, a base class.
    assert_eq!(
        messages("class InputModel(BaseModel):\n    x: list = [InputModel()]\n"),
        vec!["4: unsupported in static mode: a value computed by a function call"]
    );
    assert_eq!(
        messages("class InputModel(BaseModel):\n    x: int = 1\n    me: InputModel = None\n"),
        vec!["5: unsupported in static mode: this type annotation"]
    );
    assert_eq!(
        messages("class InputModel(InputModel):\n    x: int = 1\n"),
        vec!["3: unsupported in static mode: a class that is neither a pydantic model nor an enum"]
    );
    // A constant in its own value (`NameError` too), then bound after it.
    assert_eq!(
        messages("A = [A]\nclass InputModel(BaseModel):\n    x: list = A\n"),
        vec!["3: unsupported in static mode: this name as a value"]
    );
    let (schemas, diagnostics) = read(&format!(
        "{HEADER}A = [1]\nB = A + [2]\nclass InputModel(BaseModel):\n    x: list = B\nclass OutputModel(BaseModel):\n    y: int = 1\n"
    ));
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    assert_eq!(
        schemas.input.unwrap()["properties"]["x"]["default"],
        json!([1, 2])
    );
}

#[test]
fn deeply_nested_types_and_values_are_refused_not_a_stack_overflow() {
    // Deeper than the reader's 100 levels, within the 200 brackets the parser is given.
    let depth = 150;
    let ty = format!("{}int{}", "list[".repeat(depth), "]".repeat(depth));
    let (_, diagnostics) = read_on_small_stack(format!(
        "{HEADER}class InputModel(BaseModel):\n    x: {ty}\n"
    ));
    let messages = unsupported_messages(&diagnostics);
    assert!(
        messages[0].starts_with(
            "4: unsupported in static mode: a construct nested more than 100 levels deep"
        ),
        "{messages:?}"
    );
    for value in [
        format!("{}1{}", "[".repeat(depth), "]".repeat(depth)),
        format!("{}1{}", "(".repeat(depth), ",)".repeat(depth)),
        format!("{}1{}", "{'a': ".repeat(depth), "}".repeat(depth)),
    ] {
        let (_, diagnostics) = read_on_small_stack(format!(
            "{HEADER}class InputModel(BaseModel):\n    x: list = Field(default={value})\n"
        ));
        let messages = unsupported_messages(&diagnostics);
        assert!(
            messages[0] == "4: unsupported in static mode: a value nested too deeply",
            "{messages:?}"
        );
    }
    // Parentheses alone are no nesting at all.
    let (schemas, diagnostics) = read_on_small_stack(format!(
        "{HEADER}class InputModel(BaseModel):\n    x: int = Field(default={}1{})\n",
        "(".repeat(depth),
        ")".repeat(depth)
    ));
    assert!(diagnostics.iter().all(|d| d.code == MISSING_MODEL_CLASS));
    assert_eq!(
        schemas.input.unwrap()["properties"]["x"]["default"],
        json!(1)
    );
}

/// `class C1(BaseModel): x: C0 = <C0 made by make>`, and so on to `C{n}`, whose
/// instance is the default of `InputModel.c`.
fn chain_of_models(n: usize, make: &str) -> String {
    let mut text = format!("{HEADER}class C0(BaseModel):\n    x: int = 0\n");
    for i in 1..=n {
        let default = make.replace("{}", &format!("C{}", i - 1));
        text.push_str(&format!(
            "class C{i}(BaseModel):\n    x: C{} = {default}\n",
            i - 1
        ));
    }
    text.push_str(&format!(
        "class InputModel(BaseModel):\n    c: C{n} = C{n}()\n"
    ));
    text
}

#[test]
fn long_chains_of_factories_and_instances_are_refused_not_a_stack_overflow() {
    for make in ["Field(default_factory={})", "{}()"] {
        // A short chain is computed.
        let (schemas, diagnostics) = read_on_small_stack(chain_of_models(2, make));
        assert!(unsupported_messages(&diagnostics).is_empty(), "{make}");
        let input = schemas.input.expect(make);
        assert_eq!(
            input["properties"]["c"]["default"],
            json!({"x": {"x": {"x": 0}}}),
            "{make}: {input}"
        );
        // A long one stops at the nesting bound.
        assert_refused_once(
            chain_of_models(1_000, make),
            "a construct nested more than 100 levels deep",
        );
    }
}

#[test]
fn constants_made_of_constants_stop_at_the_evaluation_budget() {
    // `A10` holds 10^10 zeros: evaluating it would never end.
    let mut text = String::from(HEADER);
    text.push_str("A0 = [0]\n");
    for i in 1..=10 {
        let items = vec![format!("A{}", i - 1); 10].join(", ");
        text.push_str(&format!("A{i} = [{items}]\n"));
    }
    text.push_str("class InputModel(BaseModel):\n    x: list = A10\n");
    let started = std::time::Instant::now();
    assert_refused_once(text, "values that take more than 1000000 steps to evaluate");
    assert!(started.elapsed().as_secs() < 3);
}

#[test]
fn python_string_helpers() {
    assert_eq!(python_title("aws_region_name"), "Aws_Region_Name");
    assert_eq!(python_title("x2y"), "X2Y");
    assert_eq!(cleandoc("\n    A\n      b\n\n    "), "A\n  b");
    assert_eq!(cleandoc("First\n\tTab"), "First\nTab");
}

/// The code, line, message and help of each diagnostic of `text` (models missing
/// aside).
fn messages_of(text: &str) -> Vec<(Code, usize, String, String)> {
    let (_, diagnostics) = read(text);
    diagnostics
        .iter()
        .filter(|d| d.code != MISSING_MODEL_CLASS)
        .map(|d| {
            (
                d.code,
                position(d).map_or(0, |(line, _)| line),
                d.message.clone(),
                d.help.clone().unwrap_or_default(),
            )
        })
        .collect()
}

#[test]
fn undefined_names_are_name_errors_with_a_suggestion() {
    let text = format!(
        "{HEADER}class InputModel(BaseModel):\n    x: flaot = 1.0\n\nclass OutputModel(BaseModel):\n    y: int = 2\n"
    );
    let (schemas, diagnostics) = read(&text);
    assert!(schemas.input.is_none());
    assert!(schemas.output.is_some());
    assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
    assert_eq!(diagnostics[0].code, UNDEFINED_NAME);
    assert_eq!(diagnostics[0].message, "name `flaot` is not defined");
    assert_eq!(position(&diagnostics[0]), Some((4, 8)));
    let help = diagnostics[0].help.clone().unwrap_or_default();
    assert!(help.starts_with("did you mean `float`?"), "{help}");
    // In a default, a `Field` call, a generic, a base class, an enum base: each a
    // `NameError` at the name.
    for (body, name, suggestion) in [
        (
            "    x: int = DEFAULT_SIZ\nDEFAULT_SIZE = 1\n",
            "DEFAULT_SIZ",
            Some("DEFAULT_SIZE"),
        ),
        ("    x: int = Feild(default=1)\n", "Feild", Some("Field")),
        ("    x: Lisst[int] = []\n", "Lisst", Some("list")),
        (
            "    x: int = 1\n    y: int = undefined_thing\n",
            "undefined_thing",
            None,
        ),
        (
            "    x: int = 1\nclass Other(BaseModle):\n    y: int\n",
            "BaseModle",
            Some("BaseModel"),
        ),
    ] {
        let text = format!(
            "{HEADER}class InputModel(BaseModel):\n{body}class OutputModel(BaseModel):\n    y: Other = None\n"
        );
        let found = messages_of(&text);
        let Some((code, _, message, help)) = found.first() else {
            panic!("{body}: no diagnostic");
        };
        assert_eq!(*code, UNDEFINED_NAME, "{body}: {found:?}");
        assert_eq!(*message, format!("name `{name}` is not defined"), "{body}");
        match suggestion {
            Some(s) => assert!(help.starts_with(&format!("did you mean `{s}`?")), "{help}"),
            None => assert!(help.contains("define or import"), "{help}"),
        }
    }
    // Bound somewhere (later, in a branch, by a star import): not a `NameError` we can
    // be sure of, so still only unsupported.
    for text in [
        format!(
            "{HEADER}class InputModel(BaseModel):\n    x: Later = 1\nclass Later(BaseModel):\n    y: int\n"
        ),
        format!(
            "{HEADER}try:\n    from x import Maybe\nexcept ImportError:\n    pass\nclass InputModel(BaseModel):\n    x: Maybe\n"
        ),
        format!("{HEADER}from somewhere import *\nclass InputModel(BaseModel):\n    x: Unknown\n"),
    ] {
        let found = messages_of(&text);
        assert!(
            found.iter().all(|(code, ..)| *code == UNSUPPORTED),
            "{found:?}"
        );
        assert!(!found.is_empty());
    }
}

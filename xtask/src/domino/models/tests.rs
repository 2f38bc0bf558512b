//! Unit tests of the static reader, among them the golden corpus runner: every
//! `tests/domino-models/cases/*.py` against the schemas pydantic 2.4.2 gave (`golden/`).

use super::schema::{cleandoc, python_title};
use super::*;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};

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

#[test]
fn corpus_matches_pydantic_goldens() {
    let root = corpus();
    let mut cases: Vec<PathBuf> = std::fs::read_dir(root.join("cases"))
        .expect("cases folder")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "py"))
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
        let golden_path = root.join("golden").join(format!("{name}.json"));
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
        let file = SourceFile::read(case, name.clone()).expect("readable case");
        let (module, syntax) = python::parse(&file);
        assert!(syntax.is_empty(), "{name}: syntax errors");
        let (schemas, diagnostics) = model_schemas(&module);
        let expect_unsupported = name.starts_with("unsupported_");
        if expect_unsupported {
            // the lines marked `# unsupported` are exactly where the diagnostics point
            let marked: Vec<usize> = file
                .text
                .lines()
                .enumerate()
                .filter(|(_, l)| l.contains("# unsupported"))
                .map(|(i, _)| i + 1)
                .collect();
            let mut lines: Vec<usize> = diagnostics
                .iter()
                .filter_map(|d| d.location.as_ref()?.positions())
                .map(|(start, _)| start.line)
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
        "{identical} of {} fixture models byte-identical to pydantic 2.4.2",
        cases.len()
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
    let position = diagnostics[0]
        .location
        .as_ref()
        .and_then(|l| l.positions())
        .map(|(s, _)| (s.line, s.column));
    assert_eq!(position, Some((1, 1)));
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
    let position = diagnostics[0]
        .location
        .as_ref()
        .and_then(|l| l.positions())
        .map(|(s, _)| (s.line, s.column));
    assert_eq!(position, Some((7, 28)));
}

/// Bad input never panics: every line prefix of every corpus file, and every byte
/// prefix of a realistic one, goes through the parser and the reader.
#[test]
fn truncated_sources_never_panic() {
    let root = corpus().join("cases");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&root)
        .expect("cases folder")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .collect();
    paths.sort();
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

#[test]
fn python_string_helpers() {
    assert_eq!(python_title("aws_region_name"), "Aws_Region_Name");
    assert_eq!(python_title("x2y"), "X2Y");
    assert_eq!(cleandoc("\n    A\n      b\n\n    "), "A\n  b");
    assert_eq!(cleandoc("First\n\tTab"), "First\nTab");
}

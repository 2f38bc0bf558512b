//! Unit tests of the entrypoint task-graph checks.

use serde_json::json;

use super::entrypoint::default_mismatch;
use super::*;
use crate::codes::Code;
use crate::dioptra::types::SemType;

const TYPES: &str = r#"
[[plugin_param_types]]
name = "image"
[[plugin_param_types]]
name = "nums"
structure = { list = "number" }
[[plugin_param_types]]
name = "smap"
structure = { mapping = ["string", "number"] }
[[plugin_param_types]]
name = "imap"
structure = { mapping = ["integer", "string"] }
[[plugin_param_types]]
name = "pair"
structure = { tuple = ["integer", "string"] }
"#;

fn task(
    plugin: &str,
    name: &str,
    inputs: &[(&str, &str, bool)],
    outputs: &[(&str, &str)],
) -> TaskSignature {
    TaskSignature {
        plugin: plugin.into(),
        name: name.into(),
        inputs: inputs
            .iter()
            .map(|(n, t, r)| TaskParameter {
                name: n.to_string(),
                type_name: t.to_string(),
                required: *r,
            })
            .collect(),
        outputs: outputs
            .iter()
            .map(|(n, t)| (n.to_string(), t.to_string()))
            .collect(),
    }
}

fn standard_tasks() -> Vec<TaskSignature> {
    vec![
        task(
            "p",
            "load",
            &[("path", "string", true)],
            &[("data", "image")],
        ),
        task(
            "p",
            "train",
            &[("data", "image", true), ("epochs", "integer", false)],
            &[("model", "string"), ("score", "number")],
        ),
        task("p", "noop", &[], &[]),
        task(
            "p",
            "scale",
            &[("values", "nums", true)],
            &[("out", "number")],
        ),
        task(
            "p",
            "cfg",
            &[
                ("c", "smap", false),
                ("m", "imap", false),
                ("t", "pair", false),
            ],
            &[],
        ),
        task("p", "log", &[("value", "any", true)], &[]),
    ]
}

struct Case {
    params: Vec<(&'static str, &'static str, Option<&'static str>)>,
    artifact_params: Vec<(&'static str, Vec<(&'static str, &'static str)>)>,
    function_tasks: Vec<TaskSignature>,
    artifact_tasks: Vec<TaskSignature>,
}

impl Default for Case {
    fn default() -> Self {
        Case {
            params: Vec::new(),
            artifact_params: Vec::new(),
            function_tasks: standard_tasks(),
            artifact_tasks: vec![task("art", "save_model", &[], &[("path", "string")])],
        }
    }
}

fn run_case(case: Case, yaml: &str) -> GraphOutcome {
    let mut toml = String::from(
        "[[plugins]]\npath = \"plugins/p\"\ntasks.functions = [{ filename = \"sub/tasks.py\", name = \"load\", input_params = [], output_params = [] }]\n",
    );
    toml.push_str(TYPES);
    toml.push_str("[[entrypoints]]\nname = \"ep\"\npath = \"ep.yml\"\nplugins = [\"p\"]\n");
    for (name, kind, default) in &case.params {
        toml.push_str(&format!(
            "[[entrypoints.params]]\nname = \"{name}\"\ntype = \"{kind}\"\n"
        ));
        if let Some(default) = default {
            toml.push_str(&format!("default_value = '{default}'\n"));
        }
    }
    for (name, _) in &case.artifact_params {
        toml.push_str(&format!(
            "[[entrypoints.artifact_params]]\nname = \"{name}\"\noutput_params = []\n"
        ));
    }
    let toml_file = SourceFile::new("dioptra.toml".into(), "dioptra.toml".into(), toml);
    let document = crate::doc::parse_toml(&toml_file).expect("valid TOML");
    let (types, type_diags) = TypeRegistry::from_document(&document);
    assert!(type_diags.is_empty(), "{type_diags:?}");
    let yaml_file = SourceFile::new("ep.yml".into(), "ep.yml".into(), yaml.to_string());
    let input = EntrypointInput {
        toml: &document,
        entrypoint_pointer: "/entrypoints/0".into(),
        yaml: &yaml_file,
        params: case
            .params
            .iter()
            .map(|(n, k, d)| EntrypointParameter {
                name: n.to_string(),
                kind: k.to_string(),
                default_value: d.map(str::to_string),
            })
            .collect(),
        artifact_params: case
            .artifact_params
            .iter()
            .map(|(n, o)| ArtifactParameter {
                name: n.to_string(),
                outputs: o
                    .iter()
                    .map(|(a, b)| (a.to_string(), b.to_string()))
                    .collect(),
            })
            .collect(),
        function_tasks: case.function_tasks,
        artifact_tasks: case.artifact_tasks,
        types: &types,
    };
    check_entrypoint(&input)
}

fn run(yaml: &str) -> GraphOutcome {
    run_case(Case::default(), yaml)
}

fn codes(outcome: &GraphOutcome) -> Vec<Code> {
    outcome.diagnostics.iter().map(|d| d.code).collect()
}

fn errors(outcome: &GraphOutcome) -> Vec<String> {
    outcome
        .diagnostics
        .iter()
        .filter(|d| d.severity == crate::diagnostics::Severity::Error)
        .map(|d| format!("{}: {}", d.code, d.message))
        .collect()
}

fn position(d: &Diagnostic) -> String {
    d.location
        .as_ref()
        .map(|l| l.to_short_string())
        .unwrap_or_default()
}

#[test]
fn plain_scalars_resolve_like_pyyaml() {
    assert_eq!(resolve_plain("yes"), YValue::Bool(true));
    assert_eq!(resolve_plain("Off"), YValue::Bool(false));
    assert_eq!(resolve_plain("~"), YValue::Null);
    assert_eq!(resolve_plain(""), YValue::Null);
    assert_eq!(resolve_plain("1_000"), YValue::Int(1000));
    assert_eq!(resolve_plain("017"), YValue::Int(15));
    assert_eq!(resolve_plain("0x1f"), YValue::Int(31));
    assert_eq!(resolve_plain("-3"), YValue::Int(-3));
    assert_eq!(resolve_plain("1.5"), YValue::Float(1.5));
    assert_eq!(resolve_plain("1.5e+3"), YValue::Float(1500.0));
    assert_eq!(resolve_plain(".inf"), YValue::Float(f64::INFINITY));
    // YAML 1.1 floats need a dot: PyYAML reads `1e3` as a string.
    assert_eq!(resolve_plain("1e3"), YValue::Str("1e3".into()));
    assert_eq!(resolve_plain("$x"), YValue::Str("$x".into()));
    // PyYAML builds a date, whose inferred type is `any`.
    assert_eq!(
        resolve_plain("2001-12-14"),
        YValue::Timestamp("2001-12-14".into())
    );
    assert_eq!(
        resolve_plain("2001-12-14 21:59:43.10 -5"),
        YValue::Timestamp("2001-12-14 21:59:43.10 -5".into())
    );
}

#[test]
fn yaml_with_spans_anchors_and_duplicate_keys() {
    let file = SourceFile::new(
            "a.yml".into(),
            "a.yml".into(),
            "graph:\n  s: &base\n    load: 'x'\n  t: *base\n  s: {load: \"y\"}\n  u: {<<: *base, dependencies: t}\nn: !!str 12\n"
                .into(),
        );
    let document = parse_yaml_document(&file).expect("valid YAML");
    assert_eq!(document.value["graph"]["s"]["load"], "y");
    assert_eq!(document.value["graph"]["t"]["load"], "x");
    assert_eq!(document.value["n"], "12");
    assert_eq!(
        document.value["graph"]["u"],
        json!({"load": "x", "dependencies": "t"})
    );
    // The repeated key keeps its first position.
    let keys: Vec<&String> = document.value["graph"]
        .as_object()
        .unwrap()
        .keys()
        .collect();
    assert_eq!(keys, vec!["s", "t", "u"]);
    let key = document.key_span("/graph/t");
    assert_eq!(file.line_col(key.start).line, 4);
    assert_eq!(file.line_col(key.start).column, 3);
}

#[test]
fn yaml_syntax_error_has_position() {
    let outcome = run("graph:\n  a: [load\n  b: 1\n");
    assert_eq!(codes(&outcome), vec![Code::DioptraYamlSyntax]);
    assert!(position(&outcome.diagnostics[0]).starts_with("ep.yml:"));
    assert!(outcome.task_engine.is_none());
    let two = run("graph: {a: {noop: []}}\n---\ngraph: {}\n");
    assert_eq!(codes(&two), vec![Code::DioptraYamlSyntax]);
}

#[test]
fn valid_graph_in_every_form() {
    let case = Case {
        params: vec![
            ("image_path", "string", Some("/data")),
            ("epochs", "integer", Some(" 1_0")),
            ("sizes", "list", Some("[28, 28.5]")),
        ],
        ..Case::default()
    };
    let outcome = run_case(
        case,
        r#"
graph:
  loaded:
    load: $image_path
  trained:
    train:
      data: $loaded
      epochs: $epochs
  scaled:
    task: scale
    args: [[1, 2.5, $trained.score]]
  scaled2:
    scale: $sizes
  literal:
    log: [["$$not_a_reference", {nested: [$trained.model]}]]
  done:
    task: noop
    dependencies: [literal, scaled]
  done2:
    noop: []
    dependencies: done
"#,
    );
    assert!(outcome.diagnostics.is_empty(), "{:?}", errors(&outcome));
    let engine = outcome.task_engine.expect("built");
    assert_eq!(
        engine["parameters"]["epochs"],
        json!({"default": 10, "type": "integer"})
    );
    assert_eq!(
        engine["parameters"]["sizes"],
        json!({"default": [28, 28.5]})
    );
    assert_eq!(engine["tasks"]["load"]["plugin"], "p.sub.tasks.load");
    assert_eq!(engine["tasks"]["load"]["outputs"], json!({"data": "image"}));
    assert_eq!(
        engine["tasks"]["train"]["outputs"],
        json!([{"model": "string"}, {"score": "number"}])
    );
    assert_eq!(engine["types"]["nums"], json!({"list": "number"}));
    assert_eq!(engine["types"]["image"], Value::Null);
    assert_eq!(engine["graph"]["loaded"], json!({"load": "$image_path"}));
    assert!(outcome.used_tasks.contains(&("p".into(), "train".into())));
    assert!(!outcome.used_tasks.contains(&("p".into(), "cfg".into())));
    assert!(outcome.used_types.contains("image") && outcome.used_types.contains("nums"));
    assert!(!outcome.used_types.contains("smap"));
}

#[test]
fn top_level_shape() {
    assert_eq!(
        codes(&run("- a\n- b\n")),
        vec![Code::DioptraInvalidTaskGraph]
    );
    assert_eq!(codes(&run("")), vec![Code::DioptraInvalidTaskGraph]);
    assert_eq!(
        codes(&run("artifacts: {}\n")),
        vec![Code::DioptraInvalidTaskGraph]
    );
    assert_eq!(
        codes(&run("graph: {}\n")),
        vec![Code::DioptraInvalidTaskGraph]
    );
    assert_eq!(codes(&run("graph:\n")), vec![Code::DioptraInvalidTaskGraph]);
    assert_eq!(
        codes(&run("graph: [a]\n")),
        vec![Code::DioptraInvalidTaskGraph]
    );
    let warned = run("plugins: [p]\ngraph:\n  a: {noop: []}\n");
    assert_eq!(codes(&warned), vec![Code::DioptraInvalidTaskGraph]);
    assert_eq!(
        warned.diagnostics[0].severity,
        crate::diagnostics::Severity::Warning
    );
    assert_eq!(position(&warned.diagnostics[0]), "ep.yml:1:1");
}

#[test]
fn bad_step_shapes_and_names() {
    let outcome = run(r#"
graph:
  two_tasks: {noop: [], load: [x]}
  scalar: 3
  long: {task: noop, extra: 1}
  "": {noop: []}
  dotted.name: {noop: []}
  1: {noop: []}
  only_deps: {dependencies: long}
  bad_args: {task: noop, args: 3}
  fine: {noop: []}
"#);
    let all = errors(&outcome);
    assert_eq!(all.len(), 8, "{all:#?}");
    assert!(
        all.iter()
            .all(|m| m.starts_with(Code::DioptraInvalidTaskGraph.as_str()))
    );
    assert!(all.iter().any(|m| {
        m.contains("illegal task invocation: A positional/keyword short form step definition")
    }));
    assert!(
        all.iter()
            .any(|m| m.contains("Graph step names must be strings: 1"))
    );
    assert!(
        all.iter()
            .any(|m| m.contains("Step name \"dotted.name\" contains a dot"))
    );
    assert!(all.iter().any(|m| m.contains("non-empty/whitespace: ''")));
    assert!(all.iter().any(|m| m.contains("unknown property 'extra'")));
}

#[test]
fn unknown_task_with_hints() {
    let outcome = run("graph:\n  a: {trian: {data: 1}}\n  b: {save_model: []}\n");
    assert_eq!(
        codes(&outcome),
        vec![Code::DioptraUnknownTask, Code::DioptraUnknownTask]
    );
    assert_eq!(
        outcome.diagnostics[0].message,
        "In step \"a\": unrecognized task plugin: trian"
    );
    assert_eq!(
        outcome.diagnostics[0].help.as_deref(),
        Some("did you mean `train`?")
    );
    assert_eq!(position(&outcome.diagnostics[0]), "ep.yml:2:7");
    assert!(
        outcome.diagnostics[1]
            .help
            .as_deref()
            .unwrap()
            .contains("artifact task")
    );
}

#[test]
fn invocation_checks() {
    let outcome = run(r#"
graph:
  a: {load: [x, y]}
  b: {load: {pth: x}}
  c: {task: train, args: [1], kwargs: {data: 2}}
  d: {train: {epochs: 3}}
"#);
    let all = errors(&outcome);
    assert!(all.contains(&"dioptra::invalid-invocation: In step \"a\": illegal task invocation: there are more positional args given than task parameters: 2 > 1".to_string()), "{all:#?}");
    assert!(all.contains(&"dioptra::invalid-invocation: In step \"b\": illegal task invocation: keyword arg does not correspond to a task parameter: pth".to_string()));
    assert!(all.contains(&"dioptra::missing-required-argument: In step \"b\": illegal task invocation: required task parameter is not assigned a value: path".to_string()));
    assert!(all.contains(&"dioptra::invalid-invocation: In step \"c\": illegal task invocation: task parameter \"data\" is assigned a value both as a keyword arg and positional arg #1".to_string()));
    assert!(all.contains(&"dioptra::missing-required-argument: In step \"d\": illegal task invocation: required task parameter is not assigned a value: data".to_string()));
    let b = outcome
        .diagnostics
        .iter()
        .find(|d| d.message.contains("pth"))
        .unwrap();
    assert_eq!(b.help.as_deref(), Some("did you mean `path`?"));
}

#[test]
fn name_collision_with_parameter() {
    let case = Case {
        params: vec![("loaded", "string", Some("x"))],
        ..Case::default()
    };
    let outcome = run_case(case, "graph:\n  loaded: {load: $loaded}\n");
    assert!(codes(&outcome).contains(&Code::DioptraNameCollision));
    let d = outcome
        .diagnostics
        .iter()
        .find(|d| d.code == Code::DioptraNameCollision)
        .unwrap();
    assert_eq!(
        d.message,
        "Some parameters and steps have the same name: loaded"
    );
    assert_eq!(d.related.len(), 1);
}

#[test]
fn reference_resolution() {
    let case = Case {
        params: vec![("p1", "string", Some("x"))],
        ..Case::default()
    };
    let outcome = run_case(
        case,
        r#"
graph:
  a: {load: $missing}
  b: {train: {data: $a.nope}}
  c: {log: $b}
  d: {log: $n}
  n: {noop: []}
  e: {log: $p1.x}
  f: {noop: [], dependencies: [zz]}
  g: {log: [{deep: $missing}]}
"#,
    );
    let all = errors(&outcome);
    for expected in [
        "dioptra::unresolvable-reference: In step \"a\": unresolvable reference: missing",
        "dioptra::missing-global-parameter: Global parameter 'missing' required by the task graph but not declared on entrypoint.",
        "dioptra::unresolvable-reference: In step \"b\": reference \"a.nope\": unrecognized output: nope",
        "dioptra::unresolvable-reference: In step \"c\": reference \"b\": an output name must be given if the task plugin produces more than one output.",
        "dioptra::unresolvable-reference: In step \"d\": reference \"n\": referenced step produces no output",
        "dioptra::unresolvable-reference: In step \"e\": reference \"p1.x\": references to parameters may not include an output name: x",
        "dioptra::unresolvable-reference: In step \"f\": unrecognized dependency step(s): zz",
        "dioptra::unresolvable-reference: In step \"g\": unresolvable reference: missing",
    ] {
        assert!(
            all.contains(&expected.to_string()),
            "missing {expected}\n{all:#?}"
        );
    }
    // Missing globals are reported once per name.
    assert_eq!(
        all.iter()
            .filter(|m| m.contains("missing-global-parameter"))
            .count(),
        1
    );
    let g = outcome
        .diagnostics
        .iter()
        .find(|d| d.message.starts_with("In step \"g\""))
        .unwrap();
    assert_eq!(position(g), "ep.yml:10:20");
}

#[test]
fn step_cycles_with_path() {
    let outcome = run(r#"
graph:
  a: {load: $c}
  b: {train: {data: $a}}
  c: {load: $b.model}
  d: {noop: [], dependencies: d}
"#);
    let cycles: Vec<&Diagnostic> = outcome
        .diagnostics
        .iter()
        .filter(|d| d.code == Code::DioptraStepCycle)
        .collect();
    assert_eq!(cycles.len(), 2, "{:?}", errors(&outcome));
    assert_eq!(cycles[0].message, "Step cycle detected: a > c > b > a");
    assert_eq!(cycles[1].message, "Step cycle detected: d > d");
}

#[test]
fn argument_types() {
    let case = Case {
        params: vec![
            ("s", "string", Some("x")),
            ("f", "float", Some("1.5")),
            ("cfg", "mapping", Some("{\"a\": 1, \"b\": 2.5}")),
        ],
        ..Case::default()
    };
    let outcome = run_case(
        case,
        r#"
graph:
  a: {load: 3}
  b: {train: {data: $s}}
  c: {train: {data: {load: x}, epochs: $f}}
  tuple_to_list: {scale: [[1, 2, 3.5]]}
  tuple_bad: {scale: [[1, "x"]]}
  int_keys: {cfg: {m: {1: a, 2: b}, c: $cfg, t: [1, "x"]}}
  int_keys_bad: {cfg: {m: {1: a, 2: 3}}}
  str_keys_bad: {cfg: {c: {a: x}}}
  any_ok: {log: [[1, {x: y}]]}
  literal: {load: "$$x"}
"#,
    );
    let all = errors(&outcome);
    let incompatible: Vec<&String> = all
        .iter()
        .filter(|m| m.contains("incompatible-argument"))
        .collect();
    assert_eq!(incompatible.len(), 7, "{all:#?}");
    assert!(all.contains(&"dioptra::incompatible-argument: in step \"a\": in positional parameter #1: Inferred invocation arg type and task plugin input type are incompatible. Found integer; expected string".to_string()));
    assert!(all.iter().any(
        |m| m.contains("in step \"b\": in keyword argument \"data\"")
            && m.contains("Found string; expected image")
    ));
    assert!(all.iter().any(
        |m| m.contains("in step \"c\": in keyword argument \"epochs\"")
            && m.contains("Found number; expected integer")
    ));
    assert!(all.iter().any(|m| m.contains("in step \"tuple_bad\"")
        && m.contains("Found tuple[integer, string]; expected nums")));
    assert!(all.iter().any(|m| m.contains("in step \"int_keys_bad\"")
        && m.contains("mapping[integer, union[string, integer]]")));
    assert!(all.iter().any(|m| m.contains("in step \"str_keys_bad\"")
        && m.contains("Found mapping{a: string}; expected smap")));
}

#[test]
fn swaps_are_checked_and_every_combination_validated() {
    let outcome = run(r#"
graph:
  source:
    ?loader:
      ?outputs: [data]
      plain: {load: [x]}
      fancy: {task: load, kwargs: {path: y}}
  model:
    ?trainer:
      one: {train: {data: $source}}
      two: {train: {epochs: 1}}
"#);
    let all = errors(&outcome);
    assert_eq!(all.len(), 1, "{all:#?}");
    assert!(all[0].contains("required task parameter is not assigned a value: data"));
    assert!(outcome.diagnostics[0].notes[0].contains("'trainer': 'two'"));
    assert!(outcome.used_tasks.contains(&("p".into(), "train".into())));

    let bad = run(r#"
graph:
  a:
    ?s:
      ?outputs: [x]
      one: {load: [x]}
      two: {noop: []}
      three: {nope: []}
  b:
    ?s:
      one: {noop: []}
  c:
    ?t:
      one: {noop: []}
    ?u:
      one: {noop: []}
"#);
    let all = errors(&bad);
    assert!(
        all.iter()
            .all(|m| m.starts_with(Code::DioptraInvalidSwap.as_str())),
        "{all:#?}"
    );
    assert!(all.iter().any(|m| {
        m.contains("In swap '?s', task with name 'nope' not found in registered tasks.")
    }));
    assert!(
        all.iter()
            .any(|m| m.contains("choice 'two' produces 0 output(s) but `?outputs` names 1"))
    );
    assert!(
        all.iter()
            .any(|m| m.contains("Swap '?s' contains mismatched output types: (), (image)"))
    );
    assert!(
        all.iter()
            .any(|m| m.contains("swap name '?s' is used by more than one step"))
    );
    assert!(all.iter().any(|m| m.contains("at most one swap")));
}

#[test]
fn swap_notes_only_for_some_combinations() {
    let outcome = run(r#"
graph:
  s:
    ?pick:
      a: {load: [x]}
      b: {load: [3]}
  t: {log: $nowhere}
"#);
    let unresolved = outcome
        .diagnostics
        .iter()
        .find(|d| d.code == Code::DioptraUnresolvableReference)
        .expect("reported");
    assert!(unresolved.notes.is_empty(), "{:?}", unresolved.notes);
    let typed = outcome
        .diagnostics
        .iter()
        .find(|d| d.code == Code::DioptraIncompatibleArgument)
        .expect("reported");
    assert_eq!(
        typed.notes,
        vec!["in swap combination {'pick': 'b'} (of 2 combinations)".to_string()]
    );
}

#[test]
fn dates_and_yaml11_booleans_infer_like_pyyaml() {
    let outcome =
        run("graph:\n  a: {load: 2024-01-31}\n  b: {load: yes}\n  c: {load: '2024-01-31'}\n");
    let all = errors(&outcome);
    assert_eq!(all.len(), 2, "{all:#?}");
    assert!(all[0].contains("Found any; expected string"));
    assert!(all[1].contains("Found boolean; expected string"));
}

#[test]
fn artifacts_section() {
    let case = Case {
        artifact_params: vec![
            ("prev", vec![("path", "string")]),
            ("unused_art", vec![("x", "string")]),
        ],
        ..Case::default()
    };
    let outcome = run_case(
        case,
        r#"
graph:
  t: {train: {data: {x: $prev}}}
artifacts:
  saved:
    contents: $t.model
    task: {name: save_model}
  wrong:
    contents: $t.nothing
    task: {name: train}
  misspelled:
    contents: $t.model
    task: {name: save_modle}
"#,
    );
    let all: Vec<String> = outcome
        .diagnostics
        .iter()
        .map(|d| format!("{}: {}", d.code, d.message))
        .collect();
    assert!(all.contains(&"dioptra::unresolvable-reference: In artifact output \"wrong\": reference \"t.nothing\": unrecognized output: nothing".to_string()), "{all:#?}");
    let not_artifact: Vec<&Diagnostic> = outcome
        .diagnostics
        .iter()
        .filter(|d| d.code == Code::DioptraNotAnArtifactTask)
        .collect();
    assert_eq!(not_artifact.len(), 2);
    assert!(
        not_artifact[0]
            .help
            .as_deref()
            .unwrap()
            .contains("is a function task")
    );
    assert_eq!(
        not_artifact[1].help.as_deref(),
        Some("did you mean `save_model`?")
    );
    assert!(
        outcome
            .used_tasks
            .contains(&("art".into(), "save_model".into()))
    );
    // `prev` is used, `unused_art` is not.
    let unused: Vec<&Diagnostic> = outcome
        .diagnostics
        .iter()
        .filter(|d| d.code == Code::DioptraUnusedParameter)
        .collect();
    assert_eq!(unused.len(), 1);
    assert!(unused[0].message.contains("unused_art"));
    assert!(position(unused[0]).starts_with("dioptra.toml:"));
    let engine = outcome.task_engine.unwrap();
    assert_eq!(engine["artifact_inputs"]["prev"], json!({"path": "string"}));
    assert_eq!(engine["artifact_outputs"]["saved"]["contents"], "$t.model");
}

#[test]
fn ambiguous_task_unused_and_dotted_parameters() {
    let mut tasks = standard_tasks();
    tasks.push(task(
        "q",
        "load",
        &[("path", "string", true)],
        &[("data", "image")],
    ));
    let case = Case {
        params: vec![
            ("used", "string", Some("x")),
            ("never", "integer", Some("1")),
            ("a.b", "string", Some("x")),
        ],
        function_tasks: tasks,
        ..Case::default()
    };
    let outcome = run_case(case, "graph:\n  l: {load: $used}\n");
    let ambiguous: Vec<&Diagnostic> = outcome
        .diagnostics
        .iter()
        .filter(|d| d.code == Code::DioptraAmbiguousTask)
        .collect();
    assert_eq!(ambiguous.len(), 1);
    assert!(ambiguous[0].message.contains("uses the one of `q`"));
    assert!(outcome.used_tasks.contains(&("q".into(), "load".into())));
    let unused: Vec<String> = outcome
        .diagnostics
        .iter()
        .filter(|d| d.code == Code::DioptraUnusedParameter)
        .map(|d| d.message.clone())
        .collect();
    assert_eq!(unused.len(), 2, "{unused:?}");
    assert!(
        outcome
            .diagnostics
            .iter()
            .any(|d| d.code == Code::DioptraInvalidTaskGraph
                && d.message.contains("Parameter name \"a.b\" contains a dot"))
    );
}

/// Runs `f` on a thread with a 1 MiB stack, half of what rayon's workers have: a
/// recursion the bounds miss overflows it (and aborts the test binary) instead of
/// passing by luck on a large stack.
fn on_small_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new()
        .stack_size(1024 * 1024)
        .spawn(f)
        .expect("thread")
        .join()
        .expect("no panic")
}

/// The one diagnostic of a YAML refused by a bound: `input::resource-limit` at `line`.
fn assert_resource_limit(outcome: &GraphOutcome, line: &str, message: &str) {
    assert_eq!(
        codes(outcome),
        vec![Code::InputResourceLimit],
        "{:#?}",
        outcome.diagnostics
    );
    let diagnostic = &outcome.diagnostics[0];
    assert!(
        diagnostic.message.contains(message),
        "{}",
        diagnostic.message
    );
    assert!(
        position(diagnostic).starts_with(&format!("ep.yml:{line}")),
        "{}",
        position(diagnostic)
    );
    assert!(outcome.task_engine.is_none());
}

#[test]
fn deeply_nested_yaml_does_not_crash() {
    let depth = 20_000;
    let yaml = format!(
        "graph:\n  a: {{log: {}{}}}\n",
        "[".repeat(depth),
        "]".repeat(depth)
    );
    let outcome = run(&yaml);
    // Refused at the 257th level (column 10 + 255), not a stack overflow.
    assert_resource_limit(&outcome, "2:265", "nested more than 256 levels");
}

#[test]
fn fifty_thousand_levels_of_flow_or_block_nesting_are_a_resource_limit() {
    let depth = 50_000;
    let flow = format!("{}x{}\n", "[".repeat(depth), "]".repeat(depth));
    let outcome = on_small_stack(move || run(&flow));
    assert_resource_limit(&outcome, "1:257", "nested more than 256 levels");
    let block = format!("{}x\n", "- ".repeat(depth));
    let outcome = on_small_stack(move || run(&block));
    assert_resource_limit(&outcome, "1:513", "nested more than 256 levels");
    let mappings = format!("{}x{}\n", "{a: ".repeat(depth), "}".repeat(depth));
    let outcome = on_small_stack(move || run(&mappings));
    assert_resource_limit(&outcome, "1:1025", "nested more than 256 levels");
}

#[test]
fn nesting_up_to_the_limit_is_read_and_checked_on_a_small_stack() {
    // 256 levels in all (graph, step, arguments, lists): type inference, compatibility,
    // references, the task-engine JSON and `Drop` stay shallow enough.
    let graph = |depth: usize| {
        let (open, close) = ("[".repeat(depth), "]".repeat(depth));
        format!(
            "graph:\n  a:\n    log: [{open}$x{close}]\n  b:\n    scale: {{values: {open}1{close}}}\n"
        )
    };
    let depth = MAX_DEPTH - 4;
    let yaml = graph(depth);
    let outcome = on_small_stack(move || run(&yaml));
    assert!(
        !codes(&outcome).contains(&Code::InputResourceLimit),
        "{:#?}",
        outcome.diagnostics
    );
    assert!(outcome.task_engine.is_some());
    let yaml = graph(depth + 1);
    let outcome = on_small_stack(move || run(&yaml));
    assert_resource_limit(&outcome, "3:263", "nested more than 256 levels");
}

#[test]
fn aliases_count_the_levels_they_copy() {
    // Each alias nests the previous anchor 200 levels deeper: the depth is the copy's.
    let levels = 200;
    let yaml = format!(
        "a: &a {open}x{close}\nb: &b {open}*a{close}\nc: *b\n",
        open = "[".repeat(levels),
        close = "]".repeat(levels)
    );
    let outcome = on_small_stack(move || run(&yaml));
    assert_resource_limit(&outcome, "2:207", "nested more than 256 levels");
}

/// Nine levels of nine aliases: 9^9 = 387,420,489 scalars (PyYAML: 3.8 GB).
fn billion_laughs() -> String {
    let mut yaml = String::from("a: &a [x, x, x, x, x, x, x, x, x]\n");
    for (previous, name) in ('a'..'i').zip('b'..='i') {
        let items = vec![format!("*{previous}"); 9].join(", ");
        yaml.push_str(&format!("{name}: &{name} [{items}]\n"));
    }
    yaml
}

#[test]
fn a_billion_laughs_stops_at_the_node_budget() {
    let yaml = billion_laughs();
    let budget = NODE_BUDGET + yaml.len();
    let file = SourceFile::new("ep.yml".into(), "ep.yml".into(), yaml.clone());
    let started = std::time::Instant::now();
    let error = parse_yaml(&file).expect_err("refused");
    assert!(started.elapsed().as_secs() < 2);
    let YamlError::ResourceLimit(error) = error else {
        panic!("{error:?}");
    };
    assert!(
        error
            .message
            .contains(&format!("aliases expand beyond {budget} nodes")),
        "{}",
        error.message
    );
    // In `e` (whose aliases copy `d`, 7,381 nodes each), long before `i`.
    let line = file.line_col(error.span.start).line;
    assert_eq!(line, 5, "{}", error.message);
    let outcome = run(&yaml);
    assert_resource_limit(&outcome, "5:", "aliases expand beyond");
    // A few levels fit the budget and are read as PyYAML reads them.
    let small: String = yaml.lines().take(4).map(|l| format!("{l}\n")).collect();
    let file = SourceFile::new("ep.yml".into(), "ep.yml".into(), small);
    let document = parse_yaml_document(&file).expect("within the budget");
    assert_eq!(document.value["d"][8][8][8][8], "x");
}

#[test]
fn an_anchor_kept_at_every_level_counts_against_the_budget() {
    // 250 nested anchors over a list of 2,000 items: each anchor keeps a copy of its
    // subtree (250 x 2,000 nodes), which is refused rather than quietly multiplied.
    let mut yaml = String::new();
    for i in 0..250 {
        yaml.push_str(&format!("&a{i} ["));
    }
    yaml.push_str(&vec!["x"; 2_000].join(","));
    yaml.push_str(&"]".repeat(250));
    yaml.push('\n');
    let file = SourceFile::new("ep.yml".into(), "ep.yml".into(), yaml);
    assert!(matches!(
        parse_yaml(&file),
        Err(YamlError::ResourceLimit(_))
    ));
}

#[test]
fn repeated_keys_and_merges_stay_linear() {
    // 40,000 keys, every one repeated: the last value wins at the first position
    // (a search of the entries for each key took 10 s here).
    let mut yaml = String::new();
    for round in 0..2 {
        for i in 0..20_000 {
            yaml.push_str(&format!("k{i}: {round}\n"));
        }
    }
    yaml.push_str("m: {<<: [{a: 1, b: 2}, {a: 3, c: 4}], c: 5}\n");
    let file = SourceFile::new("ep.yml".into(), "ep.yml".into(), yaml);
    let started = std::time::Instant::now();
    let document = parse_yaml_document(&file).expect("valid YAML");
    assert!(started.elapsed().as_secs() < 2);
    let map = document.value.as_object().unwrap();
    assert_eq!(map.len(), 20_001);
    assert_eq!(document.value["k19999"], 1);
    assert_eq!(document.value["m"], json!({"a": 1, "b": 2, "c": 5}));
    assert_eq!(file.line_col(document.key_span("/k7").start).line, 8);
    // Keys equal as YAML values are one key whatever their spelling; a NaN is never
    // equal, nor are two collections (they compare with their positions, as before).
    let file = SourceFile::new(
        "ep.yml".into(),
        "ep.yml".into(),
        "0x10: a\n16: b\n-0.0: c\n0.0: d\n.nan: e\n.NaN: f\n[1, {x: 2}]: g\n[1, {x: 2}]: h\n"
            .into(),
    );
    let root = parse_yaml(&file).expect("valid YAML").expect("a document");
    let entries: Vec<String> = root
        .as_map()
        .unwrap()
        .iter()
        .map(|(k, v)| format!("{}={}", k.repr(), v.repr()))
        .collect();
    assert_eq!(
        entries,
        vec![
            "16='b'",
            "-0.0='d'",
            "nan='e'",
            "nan='f'",
            "[1, {'x': 2}]='g'",
            "[1, {'x': 2}]='h'"
        ]
    );
}

#[test]
fn parameter_default_must_match_its_type() {
    let integer = SemType::builtin("integer");
    assert_eq!(
        default_mismatch("n", &integer, &json!("3")).as_deref(),
        Some(
            "In global parameter \"n\": default value '3' is incompatible with its declared type: integer"
        )
    );
    assert!(default_mismatch("n", &integer, &json!(3)).is_none());
    assert!(default_mismatch("x", &SemType::builtin("number"), &json!(3)).is_none());
    assert!(default_mismatch("b", &SemType::builtin("boolean"), &json!(null)).is_some());
}

#[test]
fn default_coercion_follows_python() {
    assert_eq!(coerce_default("integer", " 42"), Some(json!(42)));
    assert_eq!(coerce_default("integer", "+3"), Some(json!(3)));
    assert_eq!(coerce_default("integer", "1_000"), Some(json!(1000)));
    assert_eq!(coerce_default("integer", "1.0"), None);
    assert_eq!(coerce_default("integer", "1__0"), None);
    assert_eq!(coerce_default("float", "1e3"), Some(json!(1000.0)));
    assert_eq!(coerce_default("float", "inf"), Some(json!("inf")));
    assert_eq!(coerce_default("boolean", "TRUE"), Some(json!(true)));
    assert_eq!(coerce_default("boolean", "yes"), None);
    assert_eq!(coerce_default("list", "[28, 28]"), Some(json!([28, 28])));
    assert_eq!(coerce_default("list", "{}"), None);
    assert_eq!(
        coerce_default("mapping", "{\"a\": 1}"),
        Some(json!({"a": 1}))
    );
}

/// YAML floats are quoted as Python writes them (`repr`, and `json.dumps` keys):
/// `python3 -c 'import yaml, json; d = yaml.safe_load("graph:\n  1.0e+16: {noop: []}\n0.00001: a\n"); print(repr(list(d["graph"])[0]), json.dumps(d))'`
/// prints `1e+16 {"graph": {"1e+16": {"noop": []}}, "1e-05": "a"}`. The
/// taskgraph's own float repr wrote `10000000000000000` and `0.00001`.
#[test]
fn yaml_floats_are_quoted_like_python() {
    let outcome = run("graph:\n  1.0e+16: {noop: []}\n  a: {noop: []}\n");
    let all = errors(&outcome);
    assert!(
        all.iter()
            .any(|m| m.ends_with("Graph step names must be strings: 1e+16")),
        "{all:#?}"
    );
    let file = SourceFile::new(
        "f.yml".into(),
        "f.yml".into(),
        "graph:\n  1.0e+16: {noop: []}\n0.00001: a\n".into(),
    );
    let document = parse_yaml_document(&file).expect("valid YAML");
    assert_eq!(
        document.value,
        json!({"graph": {"1e+16": {"noop": []}}, "1e-05": "a"})
    );
    assert_eq!(
        default_mismatch("n", &SemType::builtin("integer"), &json!(1e16)).as_deref(),
        Some(
            "In global parameter \"n\": default value 1e+16 is incompatible with its declared type: integer"
        )
    );
}

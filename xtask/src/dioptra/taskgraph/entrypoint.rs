//! One entrypoint: its global parameters (types, coerced defaults), the
//! top-level shape of its YAML, the extras (unused parameters, a task name in
//! two attached plugins) and the task-engine document Dioptra would build.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde_json::{Map, Value, json};

use super::artifacts::check_artifacts;
use super::checker::Checker;
use super::steps::check_steps;
use super::yaml::{YNode, YValue, parse_yaml, yaml_kind};
use super::{EntrypointInput, GraphOutcome, TaskSignature};
use crate::codes::Code;
use crate::diagnostics::Diagnostic;
use crate::dioptra::types::{self, SemType, compatible};
use crate::doc::Document;
use crate::pyrepr::{float_repr, python_float, python_int, repr};
use crate::source::Span;

/// Parses the YAML (with line:col spans) and runs every validator check of the
/// spec, plus the extras that concern the graph (unused params/artifact params as
/// warnings, ambiguous task names in two attached plugins, `artifacts:` task
/// names that are not artifact tasks).
pub fn check_entrypoint(input: &EntrypointInput<'_>) -> GraphOutcome {
    let mut outcome = GraphOutcome::default();
    let file = input.yaml;
    let root = match parse_yaml(file) {
        Ok(root) => root,
        Err(error) => {
            outcome.diagnostics.push(error.diagnostic(file));
            return outcome;
        }
    };

    let mut tasks: HashMap<&str, &TaskSignature> = HashMap::new();
    let mut task_order: Vec<&str> = Vec::new();
    for task in &input.function_tasks {
        if tasks.insert(task.name.as_str(), task).is_none() {
            task_order.push(task.name.as_str());
        }
    }
    let mut checker = Checker::new(
        input,
        file,
        tasks,
        input.params.iter().map(|p| (p.name.as_str(), p)).collect(),
        (input.artifact_params.iter())
            .map(|a| (a.name.as_str(), a))
            .collect(),
    );

    // Global parameters: types, defaults (Dioptra's `extract_parameters`).
    let mut parameters_json = Map::new();
    for param in &input.params {
        let coerced = param
            .default_value
            .as_deref()
            .and_then(|d| coerce_default(&param.kind, d));
        let mut entry = Map::new();
        entry.insert("default".into(), coerced.clone().unwrap_or(Value::Null));
        let param_type = match explicit_type(&param.kind) {
            Some(t) => {
                entry.insert("type".into(), Value::String(t.into()));
                Some(SemType::builtin(t))
            }
            None => coerced.as_ref().map(Checker::infer_json),
        };
        // A non-finite float (`inf`, `nan`) has no JSON number: it is carried as
        // its Python repr, and is a number all the same.
        let non_finite_float =
            param.kind == "float" && coerced.as_ref().is_some_and(Value::is_string);
        if let (Some(t), Some(default)) = (&param_type, &coerced)
            && !non_finite_float
            && let Some(message) = default_mismatch(&param.name, t, default)
        {
            let (toml_file, span) = checker.toml_param("params", &param.name);
            checker.diagnostics.push(
                Diagnostic::error(Code::DioptraParameterTypeMismatch, message).at(&toml_file, span),
            );
        }
        checker.param_types.insert(param.name.clone(), param_type);
        parameters_json.insert(param.name.clone(), Value::Object(entry));
        if param.name.contains('.') {
            let (toml_file, span) = checker.toml_param("params", &param.name);
            checker.diagnostics.push(
                Diagnostic::error(
                    Code::DioptraInvalidTaskGraph,
                    format!(
                        "Parameter name \"{}\" contains a dot.  References to this parameter will ambiguously look like step.output references.",
                        param.name
                    ),
                )
                .at(&toml_file, span),
            );
        }
    }

    let mut graph_json = Value::Null;
    let mut artifacts_json: Option<Value> = None;

    match &root {
        Some(root) if root.as_map().is_some() => {
            let entries = root.as_map().unwrap_or_default();
            for (key, _) in entries {
                match key.as_str() {
                    Some("graph" | "artifacts") => {}
                    _ => checker.warning(
                        Code::DioptraInvalidTaskGraph,
                        format!(
                            "unknown top-level key {} in the entrypoint file; Dioptra reads only `graph` and `artifacts`",
                            key.repr()
                        ),
                        key.span,
                    ),
                }
            }
            match root.entry("graph") {
                None => checker.report(
                    Code::DioptraInvalidTaskGraph,
                    "the entrypoint file has no `graph`".into(),
                    Span::at(0),
                    Some("add a `graph:` mapping of step names to task invocations".into()),
                ),
                Some((key, graph)) => {
                    graph_json = graph.to_json();
                    match &graph.value {
                        YValue::Map(steps) if !steps.is_empty() => check_steps(&mut checker, steps),
                        YValue::Map(_) | YValue::Null => checker.report(
                            Code::DioptraInvalidTaskGraph,
                            "the task graph is empty: `graph` must hold at least one step".into(),
                            key.span,
                            None,
                        ),
                        _ => checker.report(
                            Code::DioptraInvalidTaskGraph,
                            format!("`graph` must be a mapping of step names to task invocations, not {}", yaml_kind(graph)),
                            graph.span,
                            None,
                        ),
                    }
                }
            }
            if let Some(artifacts) = root.get("artifacts") {
                artifacts_json = Some(artifacts.to_json());
                let steps: Vec<String> = match root.get("graph").and_then(YNode::as_map) {
                    Some(steps) => steps
                        .iter()
                        .filter_map(|(k, _)| k.as_str().map(str::to_string))
                        .collect(),
                    None => Vec::new(),
                };
                check_artifacts(&mut checker, artifacts, root.get("graph"), &steps);
            }
        }
        Some(root) => checker.report(
            Code::DioptraInvalidTaskGraph,
            format!(
                "the entrypoint file must be a YAML mapping with a `graph`, not {}",
                yaml_kind(root)
            ),
            root.span,
            None,
        ),
        None => checker.report(
            Code::DioptraInvalidTaskGraph,
            "the entrypoint file is empty: it must be a YAML mapping with a `graph`".into(),
            Span::at(0),
            None,
        ),
    }

    // Extras: unused params and artifact params.
    let globals = (input
        .params
        .iter()
        .map(|p| ("params", "entrypoint", &p.name)))
    .chain((input.artifact_params.iter()).map(|a| ("artifact_params", "artifact", &a.name)));
    for (section, what, name) in globals {
        if !checker.used_globals.contains(name) {
            let (toml_file, span) = checker.toml_param(section, name);
            checker.diagnostics.push(
                Diagnostic::warning(
                    Code::DioptraUnusedParameter,
                    format!("{what} parameter `{name}` is not used by the task graph"),
                )
                .at(&toml_file, span)
                .with_help(format!("remove it, or reference it as `${name}` in a step")),
            );
        }
    }
    // Extras: the same function task name in two attached plugins.
    let mut by_name: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for task in &input.function_tasks {
        let plugins = by_name.entry(task.name.as_str()).or_default();
        if !plugins.contains(&task.plugin.as_str()) {
            plugins.push(task.plugin.as_str());
        }
    }
    for (name, plugins) in by_name {
        if plugins.len() > 1 {
            let pointer = format!("{}/plugins", input.entrypoint_pointer);
            let toml = input.toml;
            checker.diagnostics.push(
                Diagnostic::warning(
                    Code::DioptraAmbiguousTask,
                    format!(
                        "task `{name}` is defined in several plugins of this entrypoint ({}); Dioptra silently uses the one of `{}`",
                        plugins.iter().map(|p| format!("`{p}`")).collect::<Vec<_>>().join(", "),
                        plugins.last().copied().unwrap_or_default()
                    ),
                )
                .at(&toml.file, toml.key_span(&pointer))
                .with_help("rename one of the tasks, or attach only one of these plugins"),
            );
        }
    }

    // The task-engine document.
    let mut tasks_json = Map::new();
    for name in &task_order {
        let task = checker.tasks[name];
        let mut entry = Map::new();
        entry.insert(
            "plugin".into(),
            Value::String(plugin_field(input.toml, &task.plugin, &task.name)),
        );
        if !task.inputs.is_empty() {
            entry.insert(
                "inputs".into(),
                Value::Array(
                    task.inputs
                        .iter()
                        .map(|i| json!({"name": i.name, "type": i.type_name, "required": i.required}))
                        .collect(),
                ),
            );
        }
        if !task.outputs.is_empty() {
            entry.insert("outputs".into(), outputs_json(&task.outputs));
        }
        tasks_json.insert(name.to_string(), Value::Object(entry));
    }
    let mut types_json = Map::new();
    for decl in &input.types.decls {
        if types::is_builtin(&decl.name) || types_json.contains_key(&decl.name) {
            continue;
        }
        let structure = input
            .toml
            .get(&format!("{}/structure", decl.pointer))
            .cloned()
            .unwrap_or(Value::Null);
        types_json.insert(decl.name.clone(), structure);
    }
    let mut document = Map::new();
    document.insert("types".into(), Value::Object(types_json));
    document.insert("parameters".into(), Value::Object(parameters_json));
    if !input.artifact_params.is_empty() {
        document.insert(
            "artifact_inputs".into(),
            Value::Object(
                input
                    .artifact_params
                    .iter()
                    .map(|a| (a.name.clone(), outputs_json(&a.outputs)))
                    .collect(),
            ),
        );
    }
    document.insert("tasks".into(), Value::Object(tasks_json));
    document.insert("graph".into(), graph_json);
    if let Some(artifacts) = artifacts_json {
        document.insert("artifact_outputs".into(), artifacts);
    }
    outcome.task_engine = Some(Value::Object(document));

    // Used tasks and types.
    let mut used_types = BTreeSet::new();
    for (plugin, name) in &checker.used_tasks {
        let signature = input
            .function_tasks
            .iter()
            .chain(&input.artifact_tasks)
            .find(|t| &t.plugin == plugin && &t.name == name);
        if let Some(task) = signature {
            used_types.extend(task.inputs.iter().map(|i| i.type_name.clone()));
            used_types.extend(task.outputs.iter().map(|(_, t)| t.clone()));
        }
    }
    for artifact in &input.artifact_params {
        used_types.extend(artifact.outputs.iter().map(|(_, t)| t.clone()));
    }
    let mut queue: Vec<String> = used_types.iter().cloned().collect();
    while let Some(name) = queue.pop() {
        for reference in input.types.references(&name) {
            if used_types.insert(reference.clone()) {
                queue.push(reference);
            }
        }
    }
    outcome.used_types = used_types
        .into_iter()
        .filter(|t| input.types.get(t).is_some())
        .collect();
    outcome.used_tasks = std::mem::take(&mut checker.used_tasks);
    outcome.passed_inputs = std::mem::take(&mut checker.passed_inputs);
    outcome.diagnostics = checker.diagnostics;
    outcome
}

/// Dioptra's `_check_global_parameter_defaults` for one parameter: the message
/// when the (coerced) default does not fit the parameter's type. With Dioptra's
/// coercion of string defaults this only fires for inconsistent inputs.
pub(super) fn default_mismatch(
    name: &str,
    param_type: &SemType,
    default: &Value,
) -> Option<String> {
    (!compatible(&Checker::infer_json(default), param_type)).then(|| {
        format!(
            "In global parameter \"{name}\": default value {} is incompatible with its declared type: {param_type}",
            repr(default)
        )
    })
}

/// The default of an entrypoint parameter, coerced as Dioptra's
/// `coerce_to_type` does; `None` when it does not coerce.
pub fn coerce_default(kind: &str, default: &str) -> Option<Value> {
    match kind {
        "string" => Some(Value::String(default.to_string())),
        "integer" => python_int(default)
            .and_then(|digits| digits.parse::<i128>().ok())
            .map(|i| i64::try_from(i).map_or_else(|_| Value::String(i.to_string()), Value::from)),
        "float" => python_float(default).map(|f| {
            serde_json::Number::from_f64(f)
                .map_or_else(|| Value::String(float_repr(f)), Value::Number)
        }),
        "boolean" => match default.to_ascii_lowercase().as_str() {
            "true" => Some(Value::Bool(true)),
            "false" => Some(Value::Bool(false)),
            _ => None,
        },
        "list" => serde_json::from_str::<Value>(default)
            .ok()
            .filter(Value::is_array),
        "mapping" => serde_json::from_str::<Value>(default)
            .ok()
            .filter(Value::is_object),
        _ => None,
    }
}

fn explicit_type(kind: &str) -> Option<&'static str> {
    match kind {
        "string" => Some("string"),
        "integer" => Some("integer"),
        "float" => Some("number"),
        "boolean" => Some("boolean"),
        _ => None,
    }
}

/// The module path Dioptra builds for a task: `plugin.module.task`.
fn plugin_field(toml: &Document, plugin: &str, task: &str) -> String {
    let filename = (|| {
        let plugins = toml.get("/plugins")?.as_array()?;
        for entry in plugins {
            let path = entry.get("path")?.as_str()?;
            let stem = path.trim_end_matches('/').rsplit('/').next()?;
            if stem != plugin {
                continue;
            }
            let tasks = entry.get("tasks")?;
            let list = match tasks {
                Value::Array(list) => list.clone(),
                Value::Object(map) => map.get("functions")?.as_array()?.clone(),
                _ => continue,
            };
            for t in list {
                if t.get("name").and_then(Value::as_str) == Some(task) {
                    return t
                        .get("filename")
                        .and_then(Value::as_str)
                        .map(str::to_string);
                }
            }
        }
        None
    })();
    let mut parts = vec![plugin.to_string()];
    if let Some(filename) = filename {
        let components: Vec<&str> = filename.split('/').filter(|c| !c.is_empty()).collect();
        let keep = if components.last() == Some(&"__init__.py") {
            &components[..components.len() - 1]
        } else {
            &components[..]
        };
        parts.extend(
            keep.iter()
                .map(|c| c.strip_suffix(".py").unwrap_or(c).to_string()),
        );
    }
    parts.push(task.to_string());
    parts.join(".")
}

fn outputs_json(outputs: &[(String, String)]) -> Value {
    if outputs.len() == 1 {
        json!({ outputs[0].0.clone(): outputs[0].1.clone() })
    } else {
        Value::Array(
            outputs
                .iter()
                .map(|(n, t)| json!({ n.clone(): t.clone() }))
                .collect(),
        )
    }
}

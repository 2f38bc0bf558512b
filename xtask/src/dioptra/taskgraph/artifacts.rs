//! The `artifacts:` section of an entrypoint: each artifact output's
//! `contents` reference and its artifact `task`.

use std::collections::HashMap;

use super::checker::Checker;
use super::steps::{Reference, Step, is_reference};
use super::yaml::{YNode, YValue, yaml_kind};
use crate::codes::Code;
use crate::suggest;

/// The `artifacts:` section: output name -> `{contents: $ref, task: {name, args?}}`.
pub(super) fn check_artifacts(
    checker: &mut Checker<'_, '_>,
    artifacts: &YNode,
    graph: Option<&YNode>,
    _steps: &[String],
) {
    let entries = match &artifacts.value {
        YValue::Map(entries) => entries,
        YValue::Null => return,
        _ => {
            checker.report(
                Code::DioptraInvalidTaskGraph,
                format!(
                    "`artifacts` must map artifact output names to `{{contents, task}}`, not {}",
                    yaml_kind(artifacts)
                ),
                artifacts.span,
                None,
            );
            return;
        }
    };
    // A graph for reference resolution: steps parsed without reporting again.
    let mut quiet = Checker::new(
        checker.input,
        checker.file,
        checker.tasks.clone(),
        checker.params.clone(),
        checker.artifacts.clone(),
    );
    let mut steps: Vec<Step<'_>> = Vec::new();
    if let Some(YValue::Map(graph_entries)) = graph.map(|g| &g.value) {
        for (key, def) in graph_entries {
            let Some(name) = key.as_str() else { continue };
            let swap = def.as_map().and_then(|m| {
                m.iter()
                    .find(|(k, _)| k.as_str().is_some_and(|s| s.starts_with('?')))
            });
            let def = match swap {
                Some((_, choices)) => match choices.as_map().and_then(|c| {
                    c.iter()
                        .find(|(k, _)| !k.as_str().is_some_and(|s| s.starts_with('?')))
                }) {
                    Some((_, first)) => first,
                    None => continue,
                },
                None => def,
            };
            if let Some(step) = quiet.parse_step(name, key.span, def, &[], false) {
                steps.push(step);
            }
        }
    }
    let graph: HashMap<&str, &Step<'_>> = steps.iter().map(|s| (s.name.as_str(), s)).collect();
    for (key, value) in entries {
        let label = key.as_str().map_or_else(|| key.repr(), str::to_string);
        let Some(_) = value.as_map() else {
            checker.report(
                Code::DioptraInvalidTaskGraph,
                format!("artifact output \"{label}\" must be a mapping with `contents` and `task`, not {}", yaml_kind(value)),
                value.span,
                None,
            );
            continue;
        };
        match value.get("contents") {
            None => checker.report(
                Code::DioptraInvalidTaskGraph,
                format!("artifact output \"{label}\" has no `contents`"),
                key.span,
                Some("write `contents: $step` or `contents: $step.output`".into()),
            ),
            Some(contents) if contents.as_str().is_none() => checker.report(
                Code::DioptraInvalidTaskGraph,
                format!(
                    "In experiment description location /artifact_outputs/{label}/contents: {} is not of type 'string'",
                    yaml_kind(contents)
                ),
                contents.span,
                Some("write `contents: $step` or `contents: $step.output`".into()),
            ),
            Some(contents) => {
                if let Some(text) = contents.as_str().filter(|s| is_reference(s)) {
                    let reference = Reference {
                        text: text[1..].to_string(),
                        span: contents.span,
                    };
                    checker.check_reference(
                        &format!("In artifact output \"{label}\": "),
                        &reference,
                        &graph,
                    );
                }
            }
        }
        for (k, _) in value.as_map().unwrap_or_default() {
            if !matches!(k.as_str(), Some("contents" | "task")) {
                checker.report(
                    Code::DioptraInvalidTaskGraph,
                    format!("artifact output \"{label}\": unknown property {}", k.repr()),
                    k.span,
                    Some("an artifact output has only `contents` and `task`".into()),
                );
            }
        }
        let task_name = match value.get("task") {
            None => {
                checker.report(
                    Code::DioptraInvalidTaskGraph,
                    format!("artifact output \"{label}\" has no `task`"),
                    key.span,
                    Some("write `task: {name: <artifact task>}`".into()),
                );
                continue;
            }
            Some(task) => match &task.value {
                YValue::Str(name) => Some((name.clone(), task.span)),
                YValue::Map(_) => match task.get("name") {
                    Some(name) if name.as_str().is_some() => {
                        if let Some(args) = task.get("args")
                            && !matches!(args.value, YValue::Map(_) | YValue::Seq(_) | YValue::Null)
                        {
                            checker.report(
                                Code::DioptraInvalidTaskGraph,
                                format!("artifact output \"{label}\": `args` must be a mapping or a list"),
                                args.span,
                                None,
                            );
                        }
                        Some((name.as_str().unwrap_or_default().to_string(), name.span))
                    }
                    _ => {
                        checker.report(
                            Code::DioptraInvalidTaskGraph,
                            format!("artifact output \"{label}\": `task` must have a `name` naming an artifact task"),
                            task.span,
                            None,
                        );
                        None
                    }
                },
                _ => {
                    checker.report(
                        Code::DioptraInvalidTaskGraph,
                        format!("artifact output \"{label}\": `task` must be a mapping `{{name, args}}`, not {}", yaml_kind(task)),
                        task.span,
                        None,
                    );
                    None
                }
            },
        };
        let Some((name, span)) = task_name else {
            continue;
        };
        match checker
            .input
            .artifact_tasks
            .iter()
            .rev()
            .find(|t| t.name == name)
        {
            Some(task) => {
                checker
                    .used_tasks
                    .insert((task.plugin.clone(), task.name.clone()));
            }
            None => {
                let help = if let Some(function) =
                    checker.input.function_tasks.iter().find(|t| t.name == name)
                {
                    format!(
                        "`{name}` is a function task of plugin `{}`, not an artifact task",
                        function.plugin
                    )
                } else if checker.input.artifact_tasks.is_empty() {
                    "the entrypoint's `artifact_plugins` provide no artifact tasks; list the plugin that defines it in `artifact_plugins`".into()
                } else {
                    let candidates: Vec<&str> = checker
                        .input
                        .artifact_tasks
                        .iter()
                        .map(|t| t.name.as_str())
                        .collect();
                    match suggest::did_you_mean(&name, &candidates) {
                        Some(best) => format!("did you mean `{best}`?"),
                        None => format!(
                            "the artifact tasks of the entrypoint's `artifact_plugins` are: {}",
                            candidates
                                .iter()
                                .map(|c| format!("`{c}`"))
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                    }
                };
                checker.report(
                    Code::DioptraNotAnArtifactTask,
                    format!(
                        "artifact output \"{label}\": `{name}` is not an artifact task of the entrypoint's `artifact_plugins` (Dioptra accepts this and fails when the job runs)"
                    ),
                    span,
                    Some(help),
                );
            }
        }
    }
}

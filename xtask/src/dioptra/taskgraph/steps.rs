//! The step checker: the step forms (long, short, mixed) and swaps, step
//! names and their collisions, references and outputs, step cycles, task
//! invocations, and argument type compatibility, run on every combination of
//! swap choices (Dioptra's `task_engine/validation.py`, `type_validation.py`).

use std::collections::{BTreeSet, HashMap};

use serde_json::Value;

use super::checker::Checker;
use super::yaml::{YNode, YValue, yaml_kind};
use super::{TaskParameter, TaskSignature};
use crate::codes::Code;
use crate::diagnostics::Diagnostic;
use crate::dioptra::types::{self, SemType, Structure, compatible, find_cycles};
use crate::pyrepr::str_repr;
use crate::source::Span;
use crate::suggest;

/// One step (or one choice of a swap step), normalized.
pub(super) struct Step<'a> {
    pub(super) name: String,
    pub(super) key_span: Span,
    pub(super) task: String,
    pub(super) task_span: Span,
    pub(super) positional: Vec<&'a YNode>,
    /// (name, key span, value)
    pub(super) keywords: Vec<(String, Span, &'a YNode)>,
    pub(super) dependencies: Vec<(String, Span)>,
    /// From a swap choice (its task was already checked by the swap checks).
    pub(super) from_swap: bool,
}

impl Step<'_> {
    fn arguments(&self) -> impl Iterator<Item = &YNode> {
        self.positional
            .iter()
            .copied()
            .chain(self.keywords.iter().map(|(_, _, v)| *v))
    }
}

/// A reference found in an argument: the text without `$`, and where it is.
pub(super) struct Reference {
    pub(super) text: String,
    pub(super) span: Span,
}

pub(super) fn is_reference(s: &str) -> bool {
    s.starts_with('$') && !s.starts_with("$$")
}

fn collect_references(node: &YNode, out: &mut Vec<Reference>) {
    match &node.value {
        YValue::Str(s) if is_reference(s) => out.push(Reference {
            text: s[1..].to_string(),
            span: node.span,
        }),
        YValue::Seq(items) => items.iter().for_each(|i| collect_references(i, out)),
        YValue::Map(entries) => entries.iter().for_each(|(_, v)| collect_references(v, out)),
        _ => {}
    }
}

/// `name.output` split at the first dot.
fn reference_coords(reference: &str) -> (&str, Option<&str>) {
    match reference.split_once('.') {
        Some((name, output)) => (name, Some(output)),
        None => (reference, None),
    }
}

/// What a reference resolved to: the name of its type, when known.
enum Resolved {
    /// A step output (type name).
    Output(String),
    /// A global parameter.
    Parameter(String),
    /// An artifact input (type name).
    Artifact(String),
}

impl<'a> Checker<'a, '_> {
    // -- steps ---------------------------------------------------------------

    /// `dioptra::invalid-task-graph` about step `name`: `In step "name": message`.
    fn step_error(&mut self, name: &str, message: &str, span: Span, help: Option<String>) {
        let message = format!("In step \"{name}\": {message}");
        self.report(Code::DioptraInvalidTaskGraph, message, span, help);
    }

    /// Adds the keyword arguments of step `name`; `false` when a name is not a string.
    fn read_keywords(
        &mut self,
        name: &str,
        step: &mut Step<'a>,
        kwargs: &'a [(YNode, YNode)],
    ) -> bool {
        let mut ok = true;
        for (k, v) in kwargs {
            match k.as_str() {
                Some(kw) => step.keywords.push((kw.to_string(), k.span, v)),
                None => {
                    ok = false;
                    let message = format!("keyword argument names must be strings: {}", k.repr());
                    self.step_error(name, &message, k.span, None);
                }
            }
        }
        ok
    }

    /// Reads one step definition (long, short or mixed form). `extra` are the
    /// step's keys besides a swap, merged into each choice.
    pub(super) fn parse_step(
        &mut self,
        name: &str,
        key_span: Span,
        def: &'a YNode,
        extra: &[&'a (YNode, YNode)],
        from_swap: bool,
    ) -> Option<Step<'a>> {
        let Some(entries) = def.as_map() else {
            let message = format!(
                "a step definition must be a mapping naming a task, not {}",
                yaml_kind(def)
            );
            self.step_error(name, &message, def.span, Some("write `step: {task_name: {param: value}}`, `step: {task_name: [a, b]}` or `step: {task: task_name, args: [...], kwargs: {...}}`".into()));
            return None;
        };
        let entries: Vec<&'a (YNode, YNode)> =
            entries.iter().chain(extra.iter().copied()).collect();
        let mut step = Step {
            name: name.to_string(),
            key_span,
            task: String::new(),
            task_span: def.span,
            positional: Vec::new(),
            keywords: Vec::new(),
            dependencies: Vec::new(),
            from_swap,
        };
        let mut ok = true;
        if let Some((_, deps)) = entries
            .iter()
            .find(|(k, _)| k.as_str() == Some("dependencies"))
        {
            match &deps.value {
                YValue::Str(s) => step.dependencies.push((s.clone(), deps.span)),
                YValue::Seq(items) => {
                    for item in items {
                        match item.as_str() {
                            Some(s) => step.dependencies.push((s.to_string(), item.span)),
                            None => {
                                ok = false;
                                let message = format!(
                                    "dependencies must be step names (strings), not {}",
                                    yaml_kind(item)
                                );
                                self.step_error(name, &message, item.span, None);
                            }
                        }
                    }
                }
                _ => {
                    ok = false;
                    let message = "dependencies must be a step name or a list of step names";
                    self.step_error(name, message, deps.span, None);
                }
            }
        }
        let long_form = entries.iter().any(|(k, _)| k.as_str() == Some("task"));
        if long_form {
            for (key, value) in &entries {
                match (key.as_str(), &value.value) {
                    (Some("task"), _) => match value.as_str() {
                        Some(task) => {
                            step.task = task.to_string();
                            step.task_span = value.span;
                        }
                        None => {
                            ok = false;
                            let message =
                                format!("`task` must be a task name, not {}", yaml_kind(value));
                            self.step_error(name, &message, value.span, None);
                        }
                    },
                    (Some("args"), YValue::Seq(items)) => step.positional.extend(items.iter()),
                    (Some("kwargs"), YValue::Map(kwargs)) => {
                        ok &= self.read_keywords(name, &mut step, kwargs);
                    }
                    (Some(arg @ ("args" | "kwargs")), _) => {
                        ok = false;
                        let what = if arg == "args" {
                            "a list of positional arguments"
                        } else {
                            "a mapping of keyword arguments"
                        };
                        let message = format!("`{arg}` must be {what}, not {}", yaml_kind(value));
                        self.step_error(name, &message, value.span, None);
                    }
                    (Some("dependencies"), _) => {}
                    _ => {
                        ok = false;
                        let message =
                            format!("unknown property {} in a long-form step", key.repr());
                        let help =
                            "a long-form step has only `task`, `args`, `kwargs` and `dependencies`";
                        self.step_error(name, &message, key.span, Some(help.into()));
                    }
                }
            }
        } else {
            let invocations: Vec<&&(YNode, YNode)> = entries
                .iter()
                .filter(|(k, _)| k.as_str() != Some("dependencies"))
                .collect();
            if invocations.len() != 1 {
                self.step_error(
                    name,
                    "illegal task invocation: A positional/keyword short form step definition must be an object which includes a property whose name is the task plugin short name.",
                    if invocations.len() > 1 { invocations[1].0.span } else { key_span },
                    Some(if invocations.is_empty() {
                        "name the task: `step: {task_name: {param: value}}`".to_string()
                    } else {
                        "a short-form step has one task key (plus optional `dependencies`); use `task:`, `args:` and `kwargs:` for other forms".to_string()
                    }),
                );
                return None;
            }
            let (key, value) = &**invocations[0];
            let Some(task) = key.as_str() else {
                let message = format!(
                    "illegal task invocation: unable to determine task plugin short name: {}",
                    key.repr()
                );
                self.step_error(name, &message, key.span, None);
                return None;
            };
            step.task = task.to_string();
            step.task_span = key.span;
            match &value.value {
                YValue::Seq(items) => step.positional.extend(items.iter()),
                YValue::Map(kwargs) => ok &= self.read_keywords(name, &mut step, kwargs),
                _ => step.positional.push(value),
            }
        }
        (ok && !step.task.is_empty()).then_some(step)
    }

    // -- references ------------------------------------------------------------

    /// Dioptra's `_check_reference`: what the reference is, or the message.
    fn resolve(
        &self,
        reference: &str,
        graph: &HashMap<&str, &Step<'_>>,
    ) -> Result<Resolved, Option<String>> {
        let (name, output) = reference_coords(reference);
        if let Some(step) = graph.get(name) {
            let Some(task) = self.tasks.get(step.task.as_str()) else {
                // An unknown task is reported by its own check.
                return Err(None);
            };
            return match output {
                None if task.outputs.is_empty() => Err(Some(format!(
                    "reference \"{reference}\": referenced step produces no output"
                ))),
                None if task.outputs.len() > 1 => Err(Some(format!(
                    "reference \"{reference}\": an output name must be given if the task plugin produces more than one output."
                ))),
                None => Ok(Resolved::Output(task.outputs[0].1.clone())),
                Some(output) => match task.outputs.iter().find(|(n, _)| n == output) {
                    Some((_, type_name)) => Ok(Resolved::Output(type_name.clone())),
                    None => Err(Some(format!(
                        "reference \"{reference}\": unrecognized output: {output}"
                    ))),
                },
            };
        }
        if self.params.contains_key(name) {
            return match output {
                Some(output) if !output.is_empty() => Err(Some(format!(
                    "reference \"{reference}\": references to parameters may not include an output name: {output}"
                ))),
                _ => Ok(Resolved::Parameter(name.to_string())),
            };
        }
        if let Some(artifact) = self.artifacts.get(name) {
            return match output {
                None if artifact.outputs.len() > 1 => Err(Some(format!(
                    "reference \"{reference}\": an output name must be given if the artifact task produces more than one output."
                ))),
                None => match artifact.outputs.first() {
                    Some((_, t)) => Ok(Resolved::Artifact(t.clone())),
                    None => Ok(Resolved::Artifact("any".into())),
                },
                Some(output) => match artifact.outputs.iter().find(|(n, _)| n == output) {
                    Some((_, t)) => Ok(Resolved::Artifact(t.clone())),
                    None => Err(Some(format!(
                        "reference \"{name}\" unrecognized artifact output: {output}"
                    ))),
                },
            };
        }
        Err(Some(format!("unresolvable reference: {name}")))
    }

    /// Checks one reference; records the global it uses.
    pub(super) fn check_reference(
        &mut self,
        context: &str,
        reference: &Reference,
        graph: &HashMap<&str, &Step<'_>>,
    ) -> bool {
        let (root, _) = reference_coords(&reference.text);
        if !graph.contains_key(root) {
            self.used_globals.insert(root.to_string());
        }
        match self.resolve(&reference.text, graph) {
            Ok(_) => true,
            Err(None) => false,
            Err(Some(message)) => {
                let missing = !graph.contains_key(root)
                    && !self.params.contains_key(root)
                    && !self.artifacts.contains_key(root);
                let help = if missing {
                    let candidates: Vec<&str> = graph
                        .keys()
                        .copied()
                        .chain(self.params.keys().copied())
                        .chain(self.artifacts.keys().copied())
                        .collect();
                    Some(match suggest::did_you_mean(root, &candidates) {
                        Some(best) => format!(
                            "did you mean `${best}`? (a literal string starting with `$` is written `$${}`)",
                            &reference.text
                        ),
                        None => format!(
                            "`{root}` is not a step, an entrypoint parameter or an artifact parameter; declare it in the entrypoint's `params`, or write `$${}` for a literal string",
                            &reference.text
                        ),
                    })
                } else {
                    None
                };
                self.report(
                    Code::DioptraUnresolvableReference,
                    format!("{context}{message}"),
                    reference.span,
                    help,
                );
                if missing && self.missing_globals.insert(root.to_string()) {
                    let (toml_file, toml_span) = self.toml_param("params", root);
                    let diagnostic = Diagnostic::error(
                        Code::DioptraMissingGlobalParameter,
                        format!("Global parameter '{root}' required by the task graph but not declared on entrypoint."),
                    )
                    .at(self.file, reference.span)
                    .with_help(format!("add a parameter named `{root}` to the entrypoint's `params` (or `artifact_params`)"))
                    .with_related(&toml_file, toml_span, "the entrypoint is declared here");
                    self.push(diagnostic);
                }
                false
            }
        }
    }

    // -- types -------------------------------------------------------------------

    /// The type of a reference, when it can be known.
    fn reference_type(&self, reference: &str, graph: &HashMap<&str, &Step<'_>>) -> Option<SemType> {
        let (name, output) = reference_coords(reference);
        if output.is_none()
            && !graph.contains_key(name)
            && let Some(t) = self.param_types.get(name)
        {
            return t.clone();
        }
        match self.resolve(reference, graph).ok()? {
            Resolved::Output(t) | Resolved::Artifact(t) => self.input.types.sem_named(&t),
            Resolved::Parameter(p) => self.param_types.get(p.as_str()).cloned().flatten(),
        }
    }

    /// Dioptra's `_infer_type` (with reference resolution when `graph` is given).
    fn infer(&self, node: &YNode, graph: Option<&HashMap<&str, &Step<'_>>>) -> Option<SemType> {
        Some(match &node.value {
            YValue::Timestamp(_) => SemType::builtin("any"),
            YValue::Str(s) => match graph {
                Some(graph) if is_reference(s) => return self.reference_type(&s[1..], graph),
                _ => SemType::builtin("string"),
            },
            YValue::Bool(_) => SemType::builtin("boolean"),
            YValue::Int(_) => SemType::builtin("integer"),
            YValue::Float(_) => SemType::builtin("number"),
            YValue::Null => SemType::builtin("null"),
            YValue::Seq(items) => SemType::anonymous(Structure::Tuple(
                items
                    .iter()
                    .map(|i| self.infer(i, graph))
                    .collect::<Option<_>>()?,
            )),
            YValue::Map(entries) => {
                if entries.is_empty() {
                    return Some(SemType::anonymous(Structure::Enumerated(Vec::new())));
                }
                let key_types: Vec<SemType> = entries
                    .iter()
                    .map(|(k, _)| {
                        self.infer(k, None)
                            .unwrap_or_else(|| SemType::builtin("any"))
                    })
                    .collect();
                let base = types::common_base(&key_types);
                match &base {
                    SemType::Simple { name, .. } if name == "string" => {
                        SemType::anonymous(Structure::Enumerated(
                            entries
                                .iter()
                                .map(|(k, v)| Some((k.key_string(), self.infer(v, graph)?)))
                                .collect::<Option<_>>()?,
                        ))
                    }
                    SemType::Simple { name, .. } if name == "integer" => {
                        let values: Vec<SemType> = entries
                            .iter()
                            .map(|(_, v)| self.infer(v, graph))
                            .collect::<Option<_>>()?;
                        let value = match SemType::union(values) {
                            SemType::Union { mut members, .. } if members.len() == 1 => {
                                members.remove(0)
                            }
                            union => union,
                        };
                        SemType::anonymous(Structure::Mapping(
                            Box::new(base.clone()),
                            Box::new(value),
                        ))
                    }
                    _ => SemType::builtin("any"),
                }
            }
        })
    }

    /// Same for a JSON value (entrypoint parameter defaults).
    pub(super) fn infer_json(value: &Value) -> SemType {
        match value {
            Value::String(_) => SemType::builtin("string"),
            Value::Bool(_) => SemType::builtin("boolean"),
            Value::Number(n) if n.is_f64() => SemType::builtin("number"),
            Value::Number(_) => SemType::builtin("integer"),
            Value::Null => SemType::builtin("null"),
            Value::Array(items) => SemType::anonymous(Structure::Tuple(
                items.iter().map(Self::infer_json).collect(),
            )),
            Value::Object(map) => SemType::anonymous(Structure::Enumerated(
                map.iter()
                    .map(|(k, v)| (k.clone(), Self::infer_json(v)))
                    .collect(),
            )),
        }
    }

    // -- one rendered graph ------------------------------------------------------

    fn check_graph(&mut self, steps: &[&Step<'a>]) {
        let graph: HashMap<&str, &Step<'_>> = steps.iter().map(|s| (s.name.as_str(), *s)).collect();
        for step in steps {
            let name = step.name.as_str();
            // Known task.
            let task = self.tasks.get(step.task.as_str()).copied();
            if let Some(task) = task {
                self.used_tasks
                    .insert((task.plugin.clone(), task.name.clone()));
            } else if !step.from_swap {
                let help = self.unknown_task_help(&step.task);
                self.report(
                    Code::DioptraUnknownTask,
                    format!(
                        "In step \"{name}\": unrecognized task plugin: {}",
                        step.task
                    ),
                    step.task_span,
                    Some(help),
                );
            }
            // Invocation.
            if let Some(task) = task {
                self.check_invocation(step, task);
            }
            // References and dependencies.
            let mut references = Vec::new();
            step.arguments()
                .for_each(|a| collect_references(a, &mut references));
            for reference in &references {
                self.check_reference(&format!("In step \"{name}\": "), reference, &graph);
            }
            let unknown: Vec<&(String, Span)> = step
                .dependencies
                .iter()
                .filter(|(d, _)| !graph.contains_key(d.as_str()))
                .collect();
            if !unknown.is_empty() {
                let names: Vec<&str> = unknown.iter().map(|(d, _)| d.as_str()).collect();
                let candidates: Vec<&str> = graph.keys().copied().collect();
                let help = suggest::did_you_mean(names[0], &candidates)
                    .map(|b| format!("did you mean `{b}`?"));
                self.report(
                    Code::DioptraUnresolvableReference,
                    format!(
                        "In step \"{name}\": unrecognized dependency step(s): {}",
                        names.join(", ")
                    ),
                    unknown[0].1,
                    help,
                );
            }
        }
        // Cycles over references and dependencies.
        let names: Vec<&str> = steps.iter().map(|s| s.name.as_str()).collect();
        let mut edges: HashMap<&str, Vec<String>> = HashMap::new();
        for step in steps {
            let mut targets: Vec<String> = Vec::new();
            let mut references = Vec::new();
            step.arguments()
                .for_each(|a| collect_references(a, &mut references));
            for reference in references {
                let (root, _) = reference_coords(&reference.text);
                if graph.contains_key(root) {
                    targets.push(root.to_string());
                }
            }
            for (dep, _) in &step.dependencies {
                if graph.contains_key(dep.as_str()) {
                    targets.push(dep.clone());
                }
            }
            edges.insert(step.name.as_str(), targets);
        }
        for (start, path) in find_cycles(&names, &edges) {
            let span = graph[start.as_str()].key_span;
            self.report(
                Code::DioptraStepCycle,
                format!("Step cycle detected: {}", path.join(" > ")),
                span,
                Some("a step cannot depend on itself through references or `dependencies`".into()),
            );
        }
        // Argument types.
        for step in steps {
            if let Some(task) = self.tasks.get(step.task.as_str()).copied() {
                self.check_argument_types(step, task, &graph);
            }
        }
    }

    fn unknown_task_help(&self, task: &str) -> String {
        if let Some(artifact) = self.input.artifact_tasks.iter().find(|t| t.name == task) {
            return format!(
                "`{task}` is an artifact task of plugin `{}`; artifact tasks are used in the `artifacts:` section, not in `graph:`",
                artifact.plugin
            );
        }
        let candidates: Vec<&str> = self.tasks.keys().copied().collect();
        match suggest::did_you_mean(task, &candidates) {
            Some(best) => format!("did you mean `{best}`?"),
            None if candidates.is_empty() => {
                "the entrypoint's `plugins` provide no function tasks; add the plugin that defines this task to its `plugins`".into()
            }
            None => {
                let mut sorted = candidates.clone();
                sorted.sort_unstable();
                format!(
                    "the tasks of the entrypoint's `plugins` are: {}",
                    sorted.iter().map(|c| format!("`{c}`")).collect::<Vec<_>>().join(", ")
                )
            }
        }
    }

    fn check_invocation(&mut self, step: &Step<'_>, task: &TaskSignature) {
        let name = step.name.as_str();
        if step.positional.len() > task.inputs.len() {
            self.report(
Code::DioptraInvalidInvocation,
                format!(
                    "In step \"{name}\": illegal task invocation: there are more positional args given than task parameters: {} > {}",
                    step.positional.len(),
                    task.inputs.len()
                ),
                step.positional[task.inputs.len()].span,
                Some(format!(
                    "task `{}` takes {}",
                    task.name,
                    describe_inputs(task)
                )),
            );
        }
        for (keyword, span, _) in &step.keywords {
            if !task.inputs.iter().any(|i| &i.name == keyword) {
                let candidates: Vec<&str> = task.inputs.iter().map(|i| i.name.as_str()).collect();
                let help = match suggest::did_you_mean(keyword, &candidates) {
                    Some(best) => format!("did you mean `{best}`?"),
                    None => format!("task `{}` takes {}", task.name, describe_inputs(task)),
                };
                self.report(
Code::DioptraInvalidInvocation,
                    format!(
                        "In step \"{name}\": illegal task invocation: keyword arg does not correspond to a task parameter: {keyword}"
                    ),
                    *span,
                    Some(help),
                );
            }
        }
        for (index, (arg, input)) in step.positional.iter().zip(&task.inputs).enumerate() {
            if let Some((_, span, _)) = step.keywords.iter().find(|(k, _, _)| k == &input.name) {
                let _ = arg;
                self.report(
Code::DioptraInvalidInvocation,
                    format!(
                        "In step \"{name}\": illegal task invocation: task parameter \"{}\" is assigned a value both as a keyword arg and positional arg #{}",
                        input.name,
                        index + 1
                    ),
                    *span,
                    None,
                );
            }
        }
        for (index, input) in task.inputs.iter().enumerate() {
            let present = step.positional.len() > index
                || step.keywords.iter().any(|(k, _, _)| k == &input.name);
            if present {
                self.passed_inputs
                    .entry((task.plugin.clone(), task.name.clone(), input.name.clone()))
                    .or_insert_with(|| name.to_string());
            }
            if input.required && !present {
                self.report(
Code::DioptraMissingRequiredArgument,
                    format!(
                        "In step \"{name}\": illegal task invocation: required task parameter is not assigned a value: {}",
                        input.name
                    ),
                    step.task_span,
                    Some(format!("task `{}` takes {}", task.name, describe_inputs(task))),
                );
            }
        }
    }

    fn check_argument_types(
        &mut self,
        step: &Step<'_>,
        task: &TaskSignature,
        graph: &HashMap<&str, &Step<'_>>,
    ) {
        let mut pairs: Vec<(String, &YNode, &TaskParameter)> = Vec::new();
        for (index, (arg, input)) in step.positional.iter().zip(&task.inputs).enumerate() {
            pairs.push((
                format!("in positional parameter #{}", index + 1),
                arg,
                input,
            ));
        }
        for (keyword, _, value) in &step.keywords {
            if let Some(input) = task.inputs.iter().find(|i| &i.name == keyword) {
                pairs.push((format!("in keyword argument \"{keyword}\""), value, input));
            }
        }
        for (context, arg, input) in pairs {
            let Some(param_type) = self.input.types.sem_named(&input.type_name) else {
                continue;
            };
            let Some(arg_type) = self.infer(arg, Some(graph)) else {
                continue;
            };
            if !compatible(&arg_type, &param_type) {
                self.report(
Code::DioptraIncompatibleArgument,
                    format!(
                        "in step \"{}\": {context}: Inferred invocation arg type and task plugin input type are incompatible. Found {arg_type}; expected {param_type}",
                        step.name
                    ),
                    arg.span,
                    Some(format!("parameter `{}` of task `{}` has type `{}`", input.name, task.name, input.type_name)),
                );
            }
        }
    }
}

fn describe_inputs(task: &TaskSignature) -> String {
    if task.inputs.is_empty() {
        return "no parameters".into();
    }
    let names: Vec<String> = task
        .inputs
        .iter()
        .map(|i| {
            format!(
                "`{}: {}`{}",
                i.name,
                i.type_name,
                if i.required { "" } else { " (optional)" }
            )
        })
        .collect();
    format!("parameters {}", names.join(", "))
}

/// One swap of a step: its name and choices.
struct Swap<'a> {
    name: String,
    choices: Vec<(String, Step<'a>)>,
}

/// Step names, step shapes, collisions, swaps; then every swap combination.
pub(super) fn check_steps<'a>(checker: &mut Checker<'a, '_>, entries: &'a [(YNode, YNode)]) {
    // Step names.
    let mut named: Vec<(&'a str, &'a YNode, &'a YNode)> = Vec::new();
    for (key, def) in entries {
        match key.as_str() {
            None => checker.report(
                Code::DioptraInvalidTaskGraph,
                format!("Graph step names must be strings: {}", key.repr()),
                key.span,
                Some("quote the step name".into()),
            ),
            Some(name) if name.trim().is_empty() => checker.report(
                Code::DioptraInvalidTaskGraph,
                format!(
                    "Graph step names names must be non-empty/whitespace: {}",
                    str_repr(name)
                ),
                key.span,
                None,
            ),
            Some(name) => {
                if name.contains('.') {
                    checker.report(
                        Code::DioptraInvalidTaskGraph,
                        format!(
                            "Step name \"{name}\" contains a dot.  References to this step will ambiguously look like step.output references."
                        ),
                        key.span,
                        None,
                    );
                }
                named.push((name, key, def));
            }
        }
    }
    // Name collisions with parameters.
    for (name, key, _) in &named {
        if checker.params.contains_key(name) {
            let (toml_file, span) = checker.toml_param("params", name);
            let diagnostic = Diagnostic::error(
                Code::DioptraNameCollision,
                format!("Some parameters and steps have the same name: {name}"),
            )
            .at(checker.file, key.span)
            .with_related(
                &toml_file,
                span,
                "the entrypoint parameter is declared here",
            )
            .with_help("rename the step or the parameter: `$name` could not tell them apart");
            checker.push(diagnostic);
        }
    }
    // Steps and swaps.
    let mut fixed: Vec<Option<Step<'a>>> = Vec::new();
    let mut swaps: Vec<(usize, Swap<'a>)> = Vec::new();
    let mut swap_names: HashMap<String, Span> = HashMap::new();
    for (name, key, def) in &named {
        let swap_entries: Vec<&'a (YNode, YNode)> = def
            .as_map()
            .map(|m| {
                m.iter()
                    .filter(|(k, _)| k.as_str().is_some_and(|s| s.starts_with('?')))
                    .collect()
            })
            .unwrap_or_default();
        if swap_entries.is_empty() {
            fixed.push(checker.parse_step(name, key.span, def, &[], false));
            continue;
        }
        fixed.push(None);
        if swap_entries.len() > 1 {
            checker.report(
                Code::DioptraInvalidSwap,
                format!(
                    "In step \"{name}\": a step may hold at most one swap, found {}",
                    swap_entries.len()
                ),
                swap_entries[1].0.span,
                None,
            );
        }
        let (swap_key, swap_def) = swap_entries[0];
        let swap_label = swap_key.as_str().unwrap_or_default();
        if let Some(previous) = swap_names.insert(swap_label.to_string(), swap_key.span) {
            let diagnostic = Diagnostic::error(
                Code::DioptraInvalidSwap,
                format!("swap name '{swap_label}' is used by more than one step; swap names must be unique"),
            )
            .at(checker.file, swap_key.span)
            .with_related(checker.file, previous, "first used here");
            checker.push(diagnostic);
        }
        let extra: Vec<&'a (YNode, YNode)> = def
            .as_map()
            .unwrap_or_default()
            .iter()
            .filter(|(k, _)| !k.as_str().is_some_and(|s| s.starts_with('?')))
            .collect();
        for (k, _) in &extra {
            if k.as_str() != Some("dependencies") {
                checker.report(
                    Code::DioptraInvalidSwap,
                    format!("In step \"{name}\": a step with a swap may only add `dependencies`, found {}", k.repr()),
                    k.span,
                    None,
                );
            }
        }
        let extra: Vec<&'a (YNode, YNode)> = extra
            .into_iter()
            .filter(|(k, _)| k.as_str() == Some("dependencies"))
            .collect();
        let Some(choices) = swap_def.as_map() else {
            checker.report(
                Code::DioptraInvalidSwap,
                format!("In swap '{swap_label}': a swap must map choice names to step definitions, not {}", yaml_kind(swap_def)),
                swap_def.span,
                None,
            );
            continue;
        };
        let mut declared_outputs: Option<(usize, Span)> = None;
        let mut swap = Swap {
            name: swap_label.trim_start_matches('?').to_string(),
            choices: Vec::new(),
        };
        let mut output_types: Vec<(String, Vec<String>, Span)> = Vec::new();
        for (choice_key, choice_def) in choices {
            let Some(choice) = choice_key.as_str() else {
                checker.report(
                    Code::DioptraInvalidSwap,
                    format!(
                        "In swap '{swap_label}': choice names must be strings: {}",
                        choice_key.repr()
                    ),
                    choice_key.span,
                    None,
                );
                continue;
            };
            if choice == "?outputs" {
                match &choice_def.value {
                    YValue::Seq(items) if items.iter().all(|i| i.as_str().is_some()) => {
                        declared_outputs = Some((items.len(), choice_def.span));
                    }
                    _ => checker.report(
                        Code::DioptraInvalidSwap,
                        format!(
                            "In swap '{swap_label}': `?outputs` must be a list of output names"
                        ),
                        choice_def.span,
                        None,
                    ),
                }
                continue;
            }
            if choice.starts_with('?') {
                checker.report(
                    Code::DioptraInvalidSwap,
                    format!("In swap '{swap_label}': unknown swap property '{choice}'"),
                    choice_key.span,
                    None,
                );
                continue;
            }
            let Some(step) = checker.parse_step(name, key.span, choice_def, &extra, true) else {
                continue;
            };
            match checker.tasks.get(step.task.as_str()).copied() {
                None => {
                    let help = checker.unknown_task_help(&step.task);
                    checker.report(
                        Code::DioptraInvalidSwap,
                        format!(
                            "In swap '{swap_label}', task with name '{}' not found in registered tasks.",
                            step.task
                        ),
                        step.task_span,
                        Some(help),
                    );
                }
                Some(task) => output_types.push((
                    choice.to_string(),
                    task.outputs.iter().map(|(_, t)| t.clone()).collect(),
                    step.task_span,
                )),
            }
            swap.choices.push((choice.to_string(), step));
        }
        if let Some((count, span)) = declared_outputs {
            for (choice, outputs, task_span) in &output_types {
                if outputs.len() != count {
                    let diagnostic = Diagnostic::error(
                        Code::DioptraInvalidSwap,
                        format!(
                            "In swap '{swap_label}': choice '{choice}' produces {} output(s) but `?outputs` names {count}",
                            outputs.len()
                        ),
                    )
                    .at(checker.file, *task_span)
                    .with_related(checker.file, span, "`?outputs` is declared here");
                    checker.push(diagnostic);
                }
            }
        }
        let distinct: BTreeSet<&Vec<String>> = output_types.iter().map(|(_, o, _)| o).collect();
        if distinct.len() > 1 {
            let described: Vec<String> = distinct
                .iter()
                .map(|o| format!("({})", o.join(", ")))
                .collect();
            checker.report(
                Code::DioptraInvalidSwap,
                format!("Swap '{swap_label}' contains mismatched output types: {}", described.join(", ")),
                swap_key.span,
                Some("every choice of a swap must produce the same output types, position by position".into()),
            );
        }
        if choices
            .iter()
            .all(|(k, _)| k.as_str().is_some_and(|s| s.starts_with('?')))
        {
            checker.report(
                Code::DioptraInvalidSwap,
                format!("In swap '{swap_label}': the swap has no choices"),
                swap_key.span,
                None,
            );
        }
        if !swap.choices.is_empty() {
            swaps.push((fixed.len() - 1, swap));
        }
    }

    // Every combination of swap choices (bounded).
    const MAX_COMBINATIONS: usize = 256;
    let mut combination = vec![0usize; swaps.len()];
    let mut count = 0;
    'combinations: loop {
        let mut steps: Vec<&Step<'a>> = Vec::new();
        let mut labels = Vec::new();
        for (index, step) in fixed.iter().enumerate() {
            if let Some(step) = step {
                steps.push(step);
            } else if let Some(position) = swaps.iter().position(|(i, _)| *i == index) {
                let (choice, step) = &swaps[position].1.choices[combination[position]];
                labels.push(format!("'{}': '{choice}'", swaps[position].1.name));
                steps.push(step);
            }
        }
        checker.combination = (!labels.is_empty()).then(|| format!("{{{}}}", labels.join(", ")));
        checker.check_graph(&steps);
        count += 1;
        // Next combination.
        let mut position = 0;
        loop {
            if position == swaps.len() {
                break 'combinations;
            }
            combination[position] += 1;
            if combination[position] < swaps[position].1.choices.len() {
                break;
            }
            combination[position] = 0;
            position += 1;
        }
        if count >= MAX_COMBINATIONS {
            checker.combination = None;
            let span = swaps.first().map_or(Span::at(0), |(_, s)| {
                s.choices.first().map_or(Span::at(0), |(_, st)| st.key_span)
            });
            checker.warning(
                Code::DioptraInvalidSwap,
                format!("only the first {MAX_COMBINATIONS} swap combinations were validated"),
                span,
            );
            break;
        }
    }
    checker.combination = None;
    if !swaps.is_empty() {
        checker.note_combinations(count);
    }
}

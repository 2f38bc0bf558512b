//! The Python files of a plugin, read statically (extra checks: Dioptra itself
//! never looks inside them at import time).

use std::collections::BTreeMap;
use std::path::Path;

use ruff_python_ast::{Expr, Stmt};

use crate::codes::Code;
use crate::diagnostics::Diagnostic;
use crate::doc::Document;
use crate::facts::TaskKind;
use crate::input::Reader;
use crate::paths::display_path;
use crate::python::{self, ParameterKind, PythonModule};
use crate::suggest;

use super::model::{Plugin, Task};

/// Every `**/*.py` under the plugin folder whose name does not start with `.`
/// (Python's `rglob("[!.]*.py")`), relative, with `/`, sorted.
pub fn plugin_files(reader: &Reader<'_>, folder: &Path) -> Vec<String> {
    reader
        .walk_files(folder, &|_| false, &|relative| {
            let name = relative.rsplit('/').next().unwrap_or(relative);
            !name.starts_with('.') && name.ends_with(".py")
        })
        .into_iter()
        .map(|(relative, _)| relative)
        .collect()
}

/// Names bound at the top level by something other than `def` / `class`
/// (imports, assignments): the task may exist, but its signature is unknown.
fn other_bindings(module: &PythonModule) -> Vec<String> {
    let mut names = Vec::new();
    for stmt in &module.module.body {
        match stmt {
            Stmt::Import(import) => names.extend(import.names.iter().map(|alias| {
                alias.asname.as_ref().map_or_else(
                    || {
                        let full = alias.name.as_str();
                        full.split('.').next().unwrap_or(full).to_string()
                    },
                    |a| a.as_str().to_string(),
                )
            })),
            Stmt::ImportFrom(import) => names.extend(
                import
                    .names
                    .iter()
                    .map(|alias| alias.asname.as_ref().unwrap_or(&alias.name).to_string()),
            ),
            Stmt::Assign(assign) => {
                for target in &assign.targets {
                    if let Expr::Name(name) = target {
                        names.push(name.id.to_string());
                    }
                }
            }
            Stmt::AnnAssign(assign) => {
                if let Expr::Name(name) = assign.target.as_ref() {
                    names.push(name.id.to_string());
                }
            }
            _ => {}
        }
    }
    names
}

/// A declared input that is not required and that the task's function does not take: a
/// warning (`dioptra::unused-optional-input`) unless a step of an entrypoint passes it, which
/// fails when the job runs (then `dioptra::signature-mismatch`, an error). Decided once every
/// task graph of the file is checked.
pub struct OptionalInputGap {
    /// (plugin, task, input), as in `GraphOutcome::passed_inputs`.
    pub key: (String, String, String),
    /// The error, as reported when a step passes the input.
    pub diagnostic: Diagnostic,
}

/// Checks the tasks of one plugin against its files.
pub fn check_plugin(
    reader: &Reader<'_>,
    document: &Document,
    plugin: &Plugin,
    folder: &Path,
    files: &[String],
    diagnostics: &mut Vec<Diagnostic>,
    gaps: &mut Vec<OptionalInputGap>,
) {
    let mut by_file: BTreeMap<&str, Vec<&Task>> = BTreeMap::new();
    for task in &plugin.tasks {
        if files.iter().any(|f| f == &task.filename) {
            by_file
                .entry(task.filename.as_str())
                .or_default()
                .push(task);
            continue;
        }
        let pointer = format!("{}/filename", task.pointer);
        let mut diagnostic = Diagnostic::error(
            Code::DioptraUnmatchedTaskFile,
            format!(
                "task `{}` names file `{}`, which is not a Python file of plugin `{}` (Dioptra silently drops the task)",
                task.name, task.filename, plugin.name
            ),
        )
        .at(&document.file, document.span(&pointer))
        .with_label("no such plugin file");
        diagnostic = match suggest::did_you_mean(&task.filename, files) {
            Some(file) => diagnostic.with_help(format!("did you mean `{file}`?")),
            _ if files.is_empty() => diagnostic.with_help(format!(
                "the plugin folder `{}` holds no Python file",
                plugin.path
            )),
            _ => diagnostic.with_help(format!(
                "filenames are relative to the plugin folder; its files are: {}",
                files.join(", ")
            )),
        };
        diagnostics.push(diagnostic);
    }
    for (filename, tasks) in by_file {
        let path = folder.join(filename);
        let file = match reader.text(&path) {
            Ok(file) => file,
            Err(message) => {
                let pointer = format!("{}/filename", tasks[0].pointer);
                diagnostics.push(
                    Diagnostic::error(
                        Code::DioptraUnreadableFile,
                        format!("`{}`: {message}", display_path(&path)),
                    )
                    .at(&document.file, document.span(&pointer)),
                );
                continue;
            }
        };
        let (module, syntax) = python::parse(&file);
        diagnostics.extend(syntax);
        if module.refused {
            continue;
        }
        let others = other_bindings(&module);
        for task in tasks {
            let mut found = Vec::new();
            check_task(document, &module, &others, task, diagnostics, &mut found);
            gaps.extend(
                found
                    .into_iter()
                    .map(|(input, diagnostic)| OptionalInputGap {
                        key: (plugin.name.clone(), task.name.clone(), input),
                        diagnostic,
                    }),
            );
        }
    }
}

fn check_task(
    document: &Document,
    module: &PythonModule,
    others: &[String],
    task: &Task,
    diagnostics: &mut Vec<Diagnostic>,
    gaps: &mut Vec<(String, Diagnostic)>,
) {
    let name_span = document.span(&format!("{}/name", task.pointer));
    let bound_otherwise = others.iter().any(|n| n == &task.name);
    // The task has no `definition` (class or function); `help` when the other kind exists,
    // else a close name among `defined` (the file's top-level definitions of that kind), else
    // what to write.
    let missing = |what: &str, definition: &str, help: Option<&'static str>, defined: Vec<&str>| {
        let diagnostic = Diagnostic::error(
            Code::DioptraMissingTaskDefinition,
            format!(
                "{what} task `{}` has no {definition} `{}` at the top level of `{}`",
                task.name, task.name, module.file.display
            ),
        )
        .at(&document.file, name_span);
        let help = match help {
            Some(help) => help.to_string(),
            None => match suggest::did_you_mean(&task.name, &defined) {
                Some(close) => format!(
                    "did you mean `{close}`? (a task's `name` is the name of its {definition})"
                ),
                None => {
                    let keyword = if definition == "class" {
                        "class"
                    } else {
                        "def"
                    };
                    let defined = if defined.is_empty() {
                        format!("it defines no top-level {definition}")
                    } else if defined.len() > 8 {
                        format!("it defines {} other top-level {definition}s", defined.len())
                    } else {
                        format!("its top-level {definition}s: {}", defined.join(", "))
                    };
                    format!(
                        "define `{keyword} {}` at the top level of `{}` ({defined}), or fix the task's `name` or `filename`",
                        task.name, task.filename
                    )
                }
            },
        };
        diagnostic.with_help(help)
    };
    match task.kind {
        TaskKind::Artifact => {
            if module.class(&task.name).is_none() && !bound_otherwise {
                let help = module.function(&task.name).is_some().then_some(
                    "a function of that name exists; artifact tasks are classes (function tasks belong in `tasks.functions`)",
                );
                diagnostics.push(missing("artifact", "class", help, module.class_names()));
            }
        }
        TaskKind::Function => {
            let Some(function) = module.function(&task.name) else {
                if !bound_otherwise {
                    let help = module.class(&task.name).is_some().then_some(
                        "a class of that name exists; classes are artifact tasks (`tasks.artifacts`)",
                    );
                    diagnostics.push(missing(
                        "function",
                        "function",
                        help,
                        module.function_names(),
                    ));
                }
                return;
            };
            check_signature(document, module, function, task, diagnostics, gaps);
        }
    }
}

fn check_signature(
    document: &Document,
    module: &PythonModule,
    function: &ruff_python_ast::StmtFunctionDef,
    task: &Task,
    diagnostics: &mut Vec<Diagnostic>,
    gaps: &mut Vec<(String, Diagnostic)>,
) {
    let parameters = python::parameters(function);
    let takes_kwargs = parameters
        .iter()
        .any(|p| p.kind == ParameterKind::VarKeywords);
    let named = |name: &str| {
        parameters.iter().find(|p| {
            p.name == name
                && matches!(
                    p.kind,
                    ParameterKind::PositionalOnly
                        | ParameterKind::Regular
                        | ParameterKind::KeywordOnly
                )
        })
    };
    let def_span = python::span(function.name.range);
    for input in &task.inputs {
        let span = document.span(&format!("{}/name", input.pointer));
        match named(&input.name) {
            None if takes_kwargs => {}
            None => {
                let diagnostic = Diagnostic::error(
                    Code::DioptraSignatureMismatch,
                    format!(
                        "input `{}` of task `{}` is not a parameter of `{}()` in `{}`",
                        input.name, task.name, task.name, module.file.display
                    ),
                )
                .at(&document.file, span)
                .with_related(
                    &module.file,
                    def_span,
                    "the function is defined here",
                );
                if input.required == Some(true) {
                    // every invocation must pass it: the call always fails
                    diagnostics.push(diagnostic);
                } else {
                    gaps.push((input.name.clone(), diagnostic));
                }
            }
            Some(parameter) => {
                if !input.required.unwrap_or(false) && !parameter.has_default {
                    let how = if input.required.is_some() {
                        "declared `required = false`"
                    } else {
                        "not declared required (`required` defaults to false)"
                    };
                    diagnostics.push(
                        Diagnostic::warning(
                            Code::DioptraSignatureMismatch,
                            format!(
                                "input `{}` of task `{}` is {how}, but the Python parameter has no default",
                                input.name, task.name
                            ),
                        )
                        .at(&document.file, span)
                        .with_related(&module.file, parameter.span, "no default here")
                        .with_help("add `required = true`, or give the parameter a default"),
                    );
                }
            }
        }
    }
    for parameter in &parameters {
        let declarable = matches!(
            parameter.kind,
            ParameterKind::PositionalOnly | ParameterKind::Regular | ParameterKind::KeywordOnly
        );
        if declarable
            && !parameter.has_default
            && !task.inputs.iter().any(|input| input.name == parameter.name)
        {
            diagnostics.push(
                Diagnostic::error(
                    Code::DioptraSignatureMismatch,
                    format!(
                        "parameter `{}` of `{}()` has no default and is not declared in the `input_params` of task `{}`",
                        parameter.name, task.name, task.name
                    ),
                )
                .at(&module.file, parameter.span)
                .with_related(
                    &document.file,
                    document.span(&format!("{}/name", task.pointer)),
                    "the task is declared here",
                ),
            );
        }
    }
}

//! Dioptra resource repositories: validation of resource TOMLs, task files and
//! entrypoint task graphs.
//!
//! Per resource TOML: the dialect's JSON Schema (every violation), Dioptra
//! 1.2's import rules (paths, names, types, entrypoint parameters), the Python
//! task files read statically, the type registry and every entrypoint's task
//! graph; then the facts for the monorepo graph and, in `build-all`, an import
//! bundle and a resolved manifest.

pub mod bundle;
pub mod model;
pub mod pyfiles;
pub mod rules;
pub mod schema;
pub mod taskgraph;
pub mod types;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde_json::Value;

use crate::codes::Code;
use crate::context::Context;
use crate::diagnostics::Diagnostic;
use crate::doc::{self, Document};
use crate::facts::{
    DioptraConfig, DioptraEntrypoint, DioptraFacts, DioptraPlugin, DioptraType, Facts, TaskKind,
};
use crate::input::{Reader, Walk};
use crate::options::Mode;
use crate::paths::display_path;
use crate::report::{Repository, RepositoryReport, Stats};
use crate::source::{SourceFile, Span};
use crate::suggest;

use model::{Entrypoint, Model, Plugin};
use taskgraph::{
    ArtifactParameter, EntrypointInput, EntrypointParameter, GraphOutcome, TaskParameter,
    TaskSignature,
};
use types::TypeRegistry;

/// Validates one repository.
pub fn process(
    repository: &Repository,
    reader: &Reader<'_>,
    context: &Context<'_>,
) -> RepositoryReport {
    let mut report = RepositoryReport::new(repository);
    let mut facts = DioptraFacts::default();
    let walk = reader.tree_walk(&repository.root);
    report.diagnostics.extend(walk.unsafe_name_diagnostics());
    for config in &repository.resource_configs {
        let Some(file) =
            reader.source(config, Code::DioptraUnreadableFile, &mut report.diagnostics)
        else {
            continue;
        };
        let document = match doc::parse_toml(&file) {
            Ok(document) => document,
            Err(errors) => {
                report.diagnostics.extend(errors.into_iter().map(|error| {
                    Diagnostic::error(
                        Code::DioptraTomlSyntax,
                        format!("invalid TOML: {}", error.message),
                    )
                    .at(&file, error.span)
                }));
                continue;
            }
        };
        report.stats += count(&document.value);
        let checked = check_config(reader, &repository.root, config, &document);
        let clean = !checked.diagnostics.iter().any(Diagnostic::is_error);
        report
            .diagnostics
            .extend(checked.diagnostics.iter().cloned());
        if clean && context.mode == Mode::Write {
            match bundle::artifacts(reader, repository, &checked) {
                Ok(outputs) => report.artifacts.extend(outputs),
                Err(err) => report.diagnostics.push(
                    Diagnostic::error(
                        Code::DioptraBundleFailed,
                        format!("cannot build the import bundle: {err}"),
                    )
                    .at_path(display_path(config)),
                ),
            }
        }
        facts.configs.push(checked.facts);
    }
    if context.mode == Mode::Write && !report.diagnostics.iter().any(Diagnostic::is_error) {
        record_content_hashes(reader, &walk, &mut report, &facts);
    }
    report.facts = Facts::Dioptra(facts);
    report
}

/// The content hashes the catalog lists: the whole tree, each config, plugin
/// folder and entrypoint file.
fn record_content_hashes(
    reader: &Reader<'_>,
    walk: &Walk,
    report: &mut RepositoryReport,
    facts: &DioptraFacts,
) {
    let tree = reader.read_all(walk);
    let files: Vec<(&str, &[u8])> = tree
        .iter()
        .map(|(relative, file)| (relative.as_str(), file.bytes()))
        .collect();
    let mut paths = vec![String::new()];
    for config in &facts.configs {
        paths.push(config.path.clone());
        paths.extend(config.plugins.iter().map(|p| p.path.clone()));
        paths.extend(config.entrypoints.iter().map(|e| e.path.clone()));
    }
    for path in paths {
        let hash = crate::hashing::subtree_hash(&files, &path);
        report.content_hashes.insert(path, hash);
    }
}

/// The summary counts of one resource TOML.
fn count(value: &Value) -> Stats {
    let mut stats = Stats::default();
    let plugins = value.get("plugins").and_then(Value::as_array);
    stats.plugins += plugins.map_or(0, Vec::len);
    for plugin in plugins.into_iter().flatten() {
        stats.tasks += match plugin.get("tasks") {
            Some(Value::Array(tasks)) => tasks.len(),
            Some(Value::Object(tasks)) => ["functions", "artifacts"]
                .iter()
                .filter_map(|k| tasks.get(*k).and_then(Value::as_array))
                .map(Vec::len)
                .sum(),
            _ => 0,
        };
    }
    stats.param_types += value
        .get("plugin_param_types")
        .and_then(Value::as_array)
        .map_or(0, Vec::len);
    stats.entrypoints += value
        .get("entrypoints")
        .and_then(Value::as_array)
        .map_or(0, Vec::len);
    stats
}

/// Where a plugin is on disk, once its path is valid and the folder exists.
#[derive(Clone, Debug)]
pub struct ResolvedPlugin {
    /// Relative to the repository root, `/` separators (`""` for the root).
    pub folder: String,
    /// Python files, relative to the plugin folder.
    pub files: Vec<String>,
}

/// An entrypoint's task graph file, once found.
#[derive(Clone, Debug)]
pub struct ResolvedEntrypoint {
    pub path: String,
    pub yaml: Arc<SourceFile>,
}

/// Everything known about one resource TOML after checking it.
pub struct Checked {
    pub document: Document,
    /// The config, relative to the repository root.
    pub config_path: String,
    pub model: Model,
    pub diagnostics: Vec<Diagnostic>,
    pub facts: DioptraConfig,
    /// Same order as `model.plugins`.
    pub plugins: Vec<Option<ResolvedPlugin>>,
    /// Same order as `model.entrypoints`.
    pub entrypoints: Vec<Option<ResolvedEntrypoint>>,
    /// Same order as `model.entrypoints`.
    pub task_engines: Vec<Option<Value>>,
    pub registry: TypeRegistry,
}

/// What a config path must name on disk.
#[derive(Clone, Copy)]
enum Expected {
    /// A plugin folder.
    Folder,
    /// An entrypoint file.
    File,
}

/// Where the paths of one config are resolved: relative to its folder, inside
/// the repository.
struct ConfigPaths<'a> {
    reader: &'a Reader<'a>,
    root: &'a Path,
    /// The config's folder, relative to the repository root.
    config_dir: &'a [String],
    document: &'a Document,
}

impl ConfigPaths<'_> {
    /// [`ConfigPaths::resolve`], then checks that the path names an existing
    /// folder or file.
    fn existing(
        &self,
        pointer: &str,
        path: &str,
        expected: Expected,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Option<(String, PathBuf)> {
        let (what, code) = match expected {
            Expected::Folder => ("plugin", Code::DioptraMissingPluginFolder),
            Expected::File => ("entrypoint", Code::DioptraMissingEntrypointFile),
        };
        let (relative, on_disk) = self.resolve(pointer, path, what, diagnostics)?;
        let reader = self.reader;
        let problem = match expected {
            Expected::Folder if reader.is_dir(&on_disk) => return Some((relative, on_disk)),
            Expected::File if reader.is_file(&on_disk) => return Some((relative, on_disk)),
            Expected::Folder if reader.kind(&on_disk).is_some() => "is not a folder",
            Expected::File if reader.is_dir(&on_disk) => "is a folder, not a file",
            _ => "does not exist",
        };
        let noun = match expected {
            Expected::Folder => "plugin folder",
            Expected::File => "entrypoint file",
        };
        diagnostics.push(
            Diagnostic::error(
                code,
                format!("{noun} `{}` {problem}", display_path(&on_disk)),
            )
            .at(&self.document.file, self.document.span(pointer))
            .with_help(format!(
                "{what} paths are relative to the folder of the config file"
            )),
        );
        None
    }

    /// Resolves a path of the config (relative to the config's folder), or
    /// reports why Dioptra would reject it.
    fn resolve(
        &self,
        pointer: &str,
        path: &str,
        what: &str,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Option<(String, PathBuf)> {
        let (reader, root, config_dir, document) =
            (self.reader, self.root, self.config_dir, self.document);
        let span = document.span(pointer);
        let invalid = |message: String| {
            Diagnostic::error(Code::DioptraInvalidPath, message).at(&document.file, span)
        };
        let parts = match rules::safe_relative_parts(path) {
            Ok(parts) => parts,
            Err(reason) => {
                diagnostics.push(
                    invalid(format!("invalid {what} path `{path}`: {reason}")).with_help(
                        "paths are relative to the config's folder and use `/` separators",
                    ),
                );
                return None;
            }
        };
        let Some(resolved) = rules::join_inside(config_dir, &parts) else {
            diagnostics.push(
                invalid(format!("{what} path `{path}` leaves the repository root"))
                    .with_help("`..` is allowed only while the path stays inside the repository"),
            );
            return None;
        };
        let on_disk = resolved.iter().fold(root.to_path_buf(), |p, c| p.join(c));
        // Symbolic links must not lead outside the repository either.
        if let (Some(real), Some(real_root)) = (reader.canonical(&on_disk), reader.canonical(root))
            && !real.starts_with(&real_root)
        {
            diagnostics.push(invalid(format!(
                "{what} path `{path}` leads outside the repository root (through a symbolic link)"
            )));
            return None;
        }
        Some((resolved.join("/"), on_disk))
    }
}

/// Reports the later occurrences of duplicate keys of `file`: an error `code` with
/// `message(key)` at the repeat, related to the first declaration.
fn duplicates<'a>(
    file: &Arc<SourceFile>,
    items: impl IntoIterator<Item = (&'a str, Span)>,
    code: Code,
    message: impl Fn(&str) -> String,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let mut seen: HashMap<&'a str, Span> = HashMap::new();
    for (key, span) in items {
        match seen.get(key) {
            Some(first) => diagnostics.push(
                Diagnostic::error(code, message(key))
                    .at(file, span)
                    .with_related(file, *first, "first declared here"),
            ),
            None => {
                seen.insert(key, span);
            }
        }
    }
}

/// Checks one parsed resource TOML.
pub fn check_config(
    reader: &Reader<'_>,
    root: &Path,
    config: &Path,
    document: &Document,
) -> Checked {
    let file = &document.file;
    let dialect = schema::detect(&document.value);
    let mut diagnostics = schema::validate(document, dialect);
    let model = Model::read(&document.value, dialect);
    let config_rel: Vec<String> = config
        .strip_prefix(root)
        .unwrap_or(config)
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    let config_path = config_rel.join("/");
    let config_dir = &config_rel[..config_rel.len().saturating_sub(1)];
    let paths = ConfigPaths {
        reader,
        root,
        config_dir,
        document,
    };

    // Parameter types: names, uniqueness, then the registry's own checks.
    let name_span = |pointer: &str| document.span(&format!("{pointer}/name"));
    for ty in &model.types {
        let span = name_span(&ty.pointer);
        if rules::is_builtin_type_name(&ty.name) {
            diagnostics.push(
                Diagnostic::error(
                    Code::DioptraBuiltinTypeRedefined,
                    format!("parameter type `{}` redefines a builtin type", ty.name),
                )
                .at(file, span)
                .with_note(format!(
                    "builtin types: {}",
                    types::BUILTIN_TYPES.join(", ")
                )),
            );
        } else if !rules::is_valid_resource_name(&ty.name) {
            diagnostics.push(
                Diagnostic::error(
                    Code::DioptraInvalidTypeName,
                    format!(
                        "parameter type name `{}` contains disallowed characters",
                        ty.name
                    ),
                )
                .at(file, span)
                .with_help("use letters, digits, `_`, `.`, `-` and spaces (not only spaces)"),
            );
        }
    }
    duplicates(
        file,
        model
            .types
            .iter()
            .map(|ty| (ty.name.as_str(), name_span(&ty.pointer))),
        Code::DioptraDuplicateType,
        |name| format!("parameter type `{name}` is declared twice"),
        &mut diagnostics,
    );
    let (registry, type_diagnostics) = TypeRegistry::from_document(document);
    diagnostics.extend(type_diagnostics);
    let type_known = |name: &str| registry.is_known(name);
    // What an unknown type name may be a typo of.
    let type_names: Vec<&str> = types::BUILTIN_TYPES
        .iter()
        .copied()
        .chain(model.types.iter().map(|ty| ty.name.as_str()))
        .collect();

    // Plugins.
    let path_span = |pointer: &str| document.span(&format!("{pointer}/path"));
    duplicates(
        file,
        model
            .plugins
            .iter()
            .map(|p| (p.path.as_str(), path_span(&p.pointer))),
        Code::DioptraDuplicatePlugin,
        |path| format!("plugin path `{path}` is declared twice"),
        &mut diagnostics,
    );
    let mut seen_paths = BTreeSet::new();
    duplicates(
        file,
        model
            .plugins
            .iter()
            .filter(|p| seen_paths.insert(p.path.as_str()))
            .map(|p| (p.name.as_str(), path_span(&p.pointer))),
        Code::DioptraDuplicatePlugin,
        |name| {
            format!(
                "two plugins are named `{name}` (a plugin is named after the last component of its path)"
            )
        },
        &mut diagnostics,
    );
    let mut resolved_plugins = Vec::new();
    let mut input_gaps: Vec<pyfiles::OptionalInputGap> = Vec::new();
    for plugin in &model.plugins {
        let path_pointer = format!("{}/path", plugin.pointer);
        if !rules::is_valid_plugin_name(&plugin.name) {
            diagnostics.push(
                Diagnostic::error(
                    Code::DioptraInvalidPluginName,
                    format!(
                        "plugin name `{}` (the last component of `{}`) is not a valid Python module name",
                        plugin.name, plugin.path
                    ),
                )
                .at(file, document.span(&path_pointer))
                .with_help("a plugin name starts with a letter or `_`, then letters, digits or `_` (and is not just `_`)"),
            );
        }
        check_tasks(document, plugin, &type_known, &type_names, &mut diagnostics);
        let resolved = paths.existing(&path_pointer,
            &plugin.path,
            Expected::Folder,
            &mut diagnostics,
        )
        .map(|(folder, on_disk)| {
            let files = pyfiles::plugin_files(reader, &on_disk);
            for name in &files {
                let problem = if !rules::is_valid_plugin_filename(name) {
                    "Dioptra rejects it as a plugin file name".to_string()
                } else if let Err(reason) = rules::safe_relative_parts(name) {
                    format!("Dioptra cannot read it: {reason}")
                } else {
                    continue;
                };
                diagnostics.push(
                    Diagnostic::error(
                        Code::DioptraInvalidPluginFileName,
                        format!("plugin `{}` holds `{name}`: {problem}", plugin.name),
                    )
                    .at(file, document.span(&path_pointer))
                    .with_help("file and folder names must be Python identifiers; sub-folder names and files in sub-folders must not start with `_`"),
                );
            }
            pyfiles::check_plugin(
                reader,
                document,
                plugin,
                &on_disk,
                &files,
                &mut diagnostics,
                &mut input_gaps,
            );
            ResolvedPlugin { folder, files }
        });
        resolved_plugins.push(resolved);
    }

    // Entrypoints.
    for entrypoint in &model.entrypoints {
        let pointer = if entrypoint.has_name {
            format!("{}/name", entrypoint.pointer)
        } else {
            format!("{}/path", entrypoint.pointer)
        };
        if !rules::is_valid_resource_name(&entrypoint.name) {
            diagnostics.push(
                Diagnostic::error(
                    Code::DioptraInvalidEntrypointName,
                    format!(
                        "entrypoint name `{}` contains disallowed characters",
                        entrypoint.name
                    ),
                )
                .at(file, document.span(&pointer))
                .with_help("use letters, digits, `_`, `.`, `-` and spaces (not only spaces)"),
            );
        }
    }
    duplicates(
        file,
        model.entrypoints.iter().map(|e| {
            let pointer = if e.has_name {
                format!("{}/name", e.pointer)
            } else {
                format!("{}/path", e.pointer)
            };
            (e.name.as_str(), document.span(&pointer))
        }),
        Code::DioptraDuplicateEntrypoint,
        |name| format!("entrypoint `{name}` is declared twice"),
        &mut diagnostics,
    );
    let plugin_index: HashMap<&str, usize> = model
        .plugins
        .iter()
        .enumerate()
        .rev()
        .map(|(i, p)| (p.name.as_str(), i))
        .collect();
    let mut resolved_entrypoints = Vec::new();
    let mut task_engines = Vec::new();
    let mut used_tasks = BTreeSet::new();
    let mut used_types = BTreeSet::new();
    // (plugin, task, input) -> (entrypoint, step) of the first step passing it.
    let mut passed_inputs: BTreeMap<(String, String, String), (String, String)> = BTreeMap::new();
    let mut every_graph_read = true;
    for entrypoint in &model.entrypoints {
        check_entrypoint_params(
            document,
            entrypoint,
            dialect,
            &type_known,
            &type_names,
            &mut diagnostics,
        );
        for (list, what) in [
            (&entrypoint.plugins, "plugins"),
            (&entrypoint.artifact_plugins, "artifact_plugins"),
        ] {
            for (name, pointer) in list {
                if !plugin_index.contains_key(name.as_str()) {
                    let mut diagnostic = Diagnostic::error(
                        Code::DioptraUnknownPlugin,
                        format!(
                            "entrypoint `{}` lists `{name}` in `{what}`, but no plugin of that name is declared in this file",
                            entrypoint.name
                        ),
                    )
                    .at(file, document.span(pointer));
                    if let Some(close) =
                        suggest::did_you_mean(name, model.plugins.iter().map(|p| p.name.as_str()))
                    {
                        diagnostic = diagnostic.with_help(format!("did you mean `{close}`?"));
                    }
                    diagnostics.push(diagnostic);
                }
            }
        }
        let path_pointer = format!("{}/path", entrypoint.pointer);
        let resolved = paths
            .existing(
                &path_pointer,
                &entrypoint.path,
                Expected::File,
                &mut diagnostics,
            )
            .and_then(|(path, on_disk)| match reader.text(&on_disk) {
                Ok(yaml) => Some(ResolvedEntrypoint { path, yaml }),
                Err(message) => {
                    diagnostics.push(
                        Diagnostic::error(Code::DioptraUnreadableFile, message.to_string())
                            .at(file, document.span(&path_pointer)),
                    );
                    None
                }
            });
        let mut task_engine = None;
        if let Some(resolved) = &resolved {
            let outcome = run_graph(
                document,
                &model,
                &plugin_index,
                entrypoint,
                &resolved.yaml,
                &registry,
            );
            task_engine = outcome.task_engine.clone();
            // A graph that could not be read as a graph says nothing about use.
            every_graph_read &= task_engine.is_some()
                && !outcome.diagnostics.iter().any(|d| {
                    d.is_error()
                        && matches!(
                            d.code,
                            Code::DioptraYamlSyntax | Code::DioptraInvalidTaskGraph
                        )
                });
            used_tasks.extend(outcome.used_tasks);
            used_types.extend(outcome.used_types);
            for (key, step) in outcome.passed_inputs {
                passed_inputs
                    .entry(key)
                    .or_insert_with(|| (entrypoint.name.clone(), step));
            }
            diagnostics.extend(outcome.diagnostics);
        } else {
            every_graph_read = false;
        }
        resolved_entrypoints.push(resolved);
        task_engines.push(task_engine);
    }

    // Optional inputs the function does not take: an error where a step passes one (the
    // call fails with a TypeError when the job runs), else a warning.
    for gap in input_gaps {
        let diagnostic = match passed_inputs.get(&gap.key) {
            Some((entrypoint, step)) => gap.diagnostic.with_note(format!(
                "step `{step}` of entrypoint `{entrypoint}` passes it: the call fails when the job runs"
            )),
            None => {
                let mut diagnostic = gap.diagnostic.with_help(
                    "no entrypoint of this file passes it; remove it from `input_params`, or add the parameter to the function",
                );
                diagnostic.code = Code::DioptraUnusedOptionalInput;
                diagnostic.severity = crate::diagnostics::Severity::Warning;
                diagnostic
            }
        };
        diagnostics.push(diagnostic);
    }

    // Unused plugins (extra): attached to no entrypoint, or (when every graph
    // could be read) none of their tasks used by a graph.
    if !model.entrypoints.is_empty() {
        for plugin in &model.plugins {
            let attached = model.entrypoints.iter().any(|e| {
                e.plugins
                    .iter()
                    .chain(&e.artifact_plugins)
                    .any(|(name, _)| name == &plugin.name)
            });
            if has_error_within(&diagnostics, document, &plugin.pointer) {
                continue;
            }
            let message = if !attached {
                format!(
                    "plugin `{}` is attached to no entrypoint of this file",
                    plugin.name
                )
            } else if every_graph_read
                && !plugin.tasks.is_empty()
                && !plugin
                    .tasks
                    .iter()
                    .any(|t| used_tasks.contains(&(plugin.name.clone(), t.name.clone())))
            {
                format!(
                    "no task graph of this file uses a task of plugin `{}`",
                    plugin.name
                )
            } else {
                continue;
            };
            diagnostics.push(
                Diagnostic::warning(Code::DioptraUnusedPlugin, message)
                    .at(file, document.span(&format!("{}/path", plugin.pointer))),
            );
        }
    }
    if every_graph_read {
        let mut roots: BTreeSet<String> = used_types;
        for plugin in &model.plugins {
            for task in &plugin.tasks {
                roots.extend(
                    task.inputs
                        .iter()
                        .chain(&task.outputs)
                        .map(|p| p.type_name.clone()),
                );
            }
        }
        for entrypoint in &model.entrypoints {
            for artifact in &entrypoint.artifact_params {
                roots.extend(artifact.outputs.iter().map(|p| p.type_name.clone()));
            }
        }
        let mut reachable = BTreeSet::new();
        let mut stack: Vec<String> = roots.into_iter().collect();
        while let Some(name) = stack.pop() {
            if reachable.insert(name.clone()) {
                stack.extend(registry.references(&name));
            }
        }
        let mut warned = BTreeSet::new();
        for ty in &model.types {
            if !reachable.contains(&ty.name)
                && warned.insert(ty.name.as_str())
                && !has_error_within(&diagnostics, document, &ty.pointer)
            {
                diagnostics.push(
                    Diagnostic::warning(
                        Code::DioptraUnusedType,
                        format!(
                            "parameter type `{}` is used by no task, artifact parameter or entrypoint of this file",
                            ty.name
                        ),
                    )
                    .at(file, document.span(&format!("{}/name", ty.pointer))),
                );
            }
        }
    }

    let facts = DioptraConfig {
        path: config_path.clone(),
        plugins: model
            .plugins
            .iter()
            .zip(&resolved_plugins)
            .map(|(plugin, resolved)| DioptraPlugin {
                name: plugin.name.clone(),
                path: resolved.as_ref().map_or_else(
                    || {
                        let parts = rules::safe_relative_parts(&plugin.path).unwrap_or_default();
                        rules::join_inside(config_dir, &parts)
                            .map_or_else(|| plugin.path.clone(), |p| p.join("/"))
                    },
                    |r| r.folder.clone(),
                ),
                tasks: plugin
                    .tasks
                    .iter()
                    .map(|t| (t.name.clone(), t.kind))
                    .collect(),
            })
            .collect(),
        types: model
            .types
            .iter()
            .map(|ty| DioptraType {
                name: ty.name.clone(),
                references: registry.references(&ty.name),
            })
            .collect(),
        entrypoints: model
            .entrypoints
            .iter()
            .zip(&resolved_entrypoints)
            .map(|(entrypoint, resolved)| DioptraEntrypoint {
                name: entrypoint.name.clone(),
                path: resolved
                    .as_ref()
                    .map_or_else(|| entrypoint.path.clone(), |r| r.path.clone()),
                plugins: entrypoint.plugins.iter().map(|(n, _)| n.clone()).collect(),
                artifact_plugins: entrypoint
                    .artifact_plugins
                    .iter()
                    .map(|(n, _)| n.clone())
                    .collect(),
            })
            .collect(),
    };
    Checked {
        document: document.clone(),
        config_path,
        model,
        diagnostics,
        facts,
        plugins: resolved_plugins,
        entrypoints: resolved_entrypoints,
        task_engines,
        registry,
    }
}

/// Is an error already reported inside the TOML entry at `pointer`? (Then a
/// warning that it is unused would only add noise.)
fn has_error_within(diagnostics: &[Diagnostic], document: &Document, pointer: &str) -> bool {
    // The spans of every node of the entry (a TOML table's own span may be
    // just its header).
    fn collect(document: &Document, pointer: &str, value: &Value, out: &mut Vec<Span>) {
        let node = document.node(pointer);
        out.push(node.value);
        out.extend(node.key);
        match value {
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    collect(document, &format!("{pointer}/{i}"), item, out);
                }
            }
            Value::Object(map) => {
                for (key, item) in map {
                    collect(document, &doc::pointer_child(pointer, key), item, out);
                }
            }
            _ => {}
        }
    }
    let mut spans = Vec::new();
    if let Some(value) = document.get(pointer) {
        collect(document, pointer, value, &mut spans);
    }
    diagnostics.iter().any(|d| {
        d.is_error()
            && matches!(&d.location, Some(crate::diagnostics::Location::Span { file, span })
                if Arc::ptr_eq(file, &document.file)
                    && spans.iter().any(|s| span.start >= s.start && span.end <= s.end))
    })
}

/// Task names, parameter names and parameter types of one plugin.
fn check_tasks(
    document: &Document,
    plugin: &Plugin,
    type_known: &dyn Fn(&str) -> bool,
    type_names: &[&str],
    diagnostics: &mut Vec<Diagnostic>,
) {
    let file = &document.file;
    let name_span = |pointer: &str| document.span(&format!("{pointer}/name"));
    for kind in [TaskKind::Function, TaskKind::Artifact] {
        let what = if kind == TaskKind::Function {
            "function"
        } else {
            "artifact"
        };
        duplicates(
            file,
            plugin
                .tasks
                .iter()
                .filter(|t| t.kind == kind)
                .map(|t| (t.name.as_str(), name_span(&t.pointer))),
            Code::DioptraDuplicateTask,
            |name| {
                format!(
                    "plugin `{}` declares the {what} task `{name}` twice",
                    plugin.name
                )
            },
            diagnostics,
        );
    }
    // A function task and an artifact task of the same name in one file.
    for task in plugin.tasks.iter().filter(|t| t.kind == TaskKind::Artifact) {
        if let Some(function) = plugin.tasks.iter().find(|t| {
            t.kind == TaskKind::Function && t.name == task.name && t.filename == task.filename
        }) {
            diagnostics.push(
                Diagnostic::error(
                    Code::DioptraDuplicateTask,
                    format!(
                        "`{}` is both a function task and an artifact task of file `{}`",
                        task.name, task.filename
                    ),
                )
                .at(file, name_span(&task.pointer))
                .with_related(
                    file,
                    name_span(&function.pointer),
                    "the function task",
                ),
            );
        }
    }
    for task in &plugin.tasks {
        for (list, what) in [(&task.inputs, "input"), (&task.outputs, "output")] {
            duplicates(
                file,
                list.iter()
                    .map(|p| (p.name.as_str(), name_span(&p.pointer))),
                Code::DioptraDuplicateTaskParameter,
                |name| {
                    format!(
                        "task `{}` has two {what} parameters named `{name}`",
                        task.name
                    )
                },
                diagnostics,
            );
            for param in list.iter() {
                if !type_known(&param.type_name) {
                    diagnostics.push(unknown_type(
                        document,
                        &param.pointer,
                        &param.type_name,
                        &format!("{what} `{}` of task `{}`", param.name, task.name),
                        type_names,
                    ));
                }
            }
        }
    }
}

/// An unknown type name; the help proposes a close builtin or declared type
/// (`candidates`) when there is one.
fn unknown_type(
    document: &Document,
    pointer: &str,
    type_name: &str,
    whose: &str,
    candidates: &[&str],
) -> Diagnostic {
    let diagnostic = Diagnostic::error(
        Code::DioptraUnknownType,
        format!("type `{type_name}` of {whose} is neither a builtin nor declared in this file"),
    )
    .at(&document.file, document.span(&format!("{pointer}/type")));
    match suggest::did_you_mean(type_name, candidates) {
        Some(close) => diagnostic.with_help(format!(
            "did you mean `{close}`? (or declare `{type_name}` in `[[plugin_param_types]]`)"
        )),
        None => diagnostic.with_help(format!(
            "declare it in `[[plugin_param_types]]` (types already in a Dioptra instance are not visible to an import); builtins: {}",
            types::BUILTIN_TYPES.join(", ")
        )),
    }
}

/// Entrypoint parameters and artifact parameters.
fn check_entrypoint_params(
    document: &Document,
    entrypoint: &Entrypoint,
    dialect: schema::Dialect,
    type_known: &dyn Fn(&str) -> bool,
    type_names: &[&str],
    diagnostics: &mut Vec<Diagnostic>,
) {
    let file = &document.file;
    let name_span = |pointer: &str| document.span(&format!("{pointer}/name"));
    let params = entrypoint
        .params
        .iter()
        .map(|p| (p.name.as_str(), &p.pointer));
    let artifacts = (entrypoint.artifact_params.iter()).map(|p| (p.name.as_str(), &p.pointer));
    duplicates(
        file,
        params
            .chain(artifacts)
            .map(|(name, pointer)| (name, name_span(pointer))),
        Code::DioptraDuplicateTaskParameter,
        |name| {
            format!(
                "entrypoint `{}` has two parameters named `{name}`",
                entrypoint.name
            )
        },
        diagnostics,
    );
    for param in &entrypoint.params {
        let type_span = document.span(&format!("{}/type", param.pointer));
        if !rules::ENTRYPOINT_PARAM_TYPES.contains(&param.kind.as_str()) {
            diagnostics.push(
                Diagnostic::error(
                    Code::DioptraSchema,
                    format!(
                        "resource TOML ({}): entrypoint parameter `{}` has type `{}`, which is not an entrypoint parameter type",
                        dialect.describe(),
                        param.name,
                        param.kind
                    ),
                )
                .at(file, type_span)
                .with_help(
                    match suggest::did_you_mean(&param.kind, rules::ENTRYPOINT_PARAM_TYPES) {
                        Some(close) => format!(
                            "did you mean `{close}`? entrypoint parameter types: {}",
                            rules::ENTRYPOINT_PARAM_TYPES.join(", ")
                        ),
                        None => {
                            format!("use one of: {}", rules::ENTRYPOINT_PARAM_TYPES.join(", "))
                        }
                    },
                ),
            );
            continue;
        }
        let default_pointer = format!("{}/default_value", param.pointer);
        match &param.default_value {
            None if matches!(param.kind.as_str(), "list" | "mapping") => diagnostics.push(
                Diagnostic::error(
                    Code::DioptraMissingDefault,
                    format!(
                        "entrypoint parameter `{}` of type `{}` has no default_value; Dioptra 1.2 cannot type it and rejects the import",
                        param.name, param.kind
                    ),
                )
                .at(file, document.span(&param.pointer))
                .with_help(if param.kind == "list" {
                    "add a JSON default, e.g. `default_value = \"[]\"`"
                } else {
                    "add a JSON default, e.g. `default_value = \"{}\"`"
                }),
            ),
            None | Some(Value::Null) => {}
            Some(Value::String(text)) => {
                if let Some(problem) = rules::default_problem(&param.kind, text) {
                    diagnostics.push(
                        Diagnostic::error(
                            Code::DioptraInvalidDefault,
                            format!(
                                "default_value {text:?} of entrypoint parameter `{}` is not a valid {}: {problem}",
                                param.name, param.kind
                            ),
                        )
                        .at(file, document.span(&default_pointer)),
                    );
                }
            }
            // Arrays and tables already violate the schema.
            Some(Value::Array(_) | Value::Object(_)) => {}
            Some(other) => {
                let as_text = match other {
                    Value::Bool(b) => b.to_string(),
                    other => other.to_string(),
                };
                diagnostics.push(
                    Diagnostic::error(
                        Code::DioptraNonStringDefault,
                        format!(
                            "default_value of entrypoint parameter `{}` is a TOML {}; Dioptra expects a string (a boolean crashes the import, a float given for an integer is silently truncated)",
                            param.name,
                            doc::toml_type_name(other)
                        ),
                    )
                    .at(file, document.span(&default_pointer))
                    .with_help(format!("write it as a string: `default_value = \"{as_text}\"`")),
                );
            }
        }
    }
    for artifact in &entrypoint.artifact_params {
        duplicates(
            file,
            (artifact.outputs.iter()).map(|p| (p.name.as_str(), name_span(&p.pointer))),
            Code::DioptraDuplicateTaskParameter,
            |name| {
                format!(
                    "artifact parameter `{}` has two outputs named `{name}`",
                    artifact.name
                )
            },
            diagnostics,
        );
        for output in &artifact.outputs {
            if !type_known(&output.type_name) {
                diagnostics.push(unknown_type(
                    document,
                    &output.pointer,
                    &output.type_name,
                    &format!(
                        "output `{}` of artifact parameter `{}`",
                        output.name, artifact.name
                    ),
                    type_names,
                ));
            }
        }
    }
}

/// The typed signature of a declared task.
pub fn signature(plugin: &Plugin, task: &model::Task) -> TaskSignature {
    TaskSignature {
        plugin: plugin.name.clone(),
        name: task.name.clone(),
        inputs: task
            .inputs
            .iter()
            .map(|p| TaskParameter {
                name: p.name.clone(),
                type_name: p.type_name.clone(),
                required: p.required.unwrap_or(false),
            })
            .collect(),
        outputs: task
            .outputs
            .iter()
            .map(|p| (p.name.clone(), p.type_name.clone()))
            .collect(),
    }
}

/// Runs the task-graph checks of one entrypoint.
fn run_graph(
    document: &Document,
    model: &Model,
    plugin_index: &HashMap<&str, usize>,
    entrypoint: &Entrypoint,
    yaml: &Arc<SourceFile>,
    registry: &TypeRegistry,
) -> GraphOutcome {
    let tasks_of = |names: &[(String, String)], kind: TaskKind| -> Vec<TaskSignature> {
        names
            .iter()
            .filter_map(|(name, _)| plugin_index.get(name.as_str()))
            .flat_map(|&i| {
                let plugin = &model.plugins[i];
                plugin
                    .tasks
                    .iter()
                    .filter(move |t| t.kind == kind)
                    .map(move |t| signature(plugin, t))
            })
            .collect()
    };
    let input = EntrypointInput {
        toml: document,
        entrypoint_pointer: entrypoint.pointer.clone(),
        yaml,
        params: entrypoint
            .params
            .iter()
            .map(|p| EntrypointParameter {
                name: p.name.clone(),
                kind: p.kind.clone(),
                default_value: p
                    .default_value
                    .as_ref()
                    .and_then(Value::as_str)
                    .map(str::to_string),
            })
            .collect(),
        artifact_params: entrypoint
            .artifact_params
            .iter()
            .map(|a| ArtifactParameter {
                name: a.name.clone(),
                outputs: a
                    .outputs
                    .iter()
                    .map(|p| (p.name.clone(), p.type_name.clone()))
                    .collect(),
            })
            .collect(),
        function_tasks: tasks_of(&entrypoint.plugins, TaskKind::Function),
        artifact_tasks: tasks_of(&entrypoint.artifact_plugins, TaskKind::Artifact),
        types: registry,
    };
    taskgraph::check_entrypoint(&input)
}

#[cfg(test)]
mod tests;

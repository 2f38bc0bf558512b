//! `build-all` artifacts of a clean resource TOML: a deterministic import bundle
//! (`.tar.gz` holding exactly the config, its plugin folders and entrypoint
//! files, paths relative to the repository root, so Dioptra's archive import
//! accepts it with the config's path) and a resolved manifest (JSON, shape in
//! `schemas/dioptra-manifest.schema.json`).

use std::collections::BTreeSet;
use std::path::Path;

use serde_json::{Value, json};

use crate::archive::{self, Entry};
use crate::facts::TaskKind;
use crate::input::Reader;
use crate::output::{Output, json_bytes};
use crate::report::Repository;

use super::Checked;
use super::schema::Dialect;

/// The manifest's JSON Schema.
pub const MANIFEST_SCHEMA: &str = include_str!("../../../schemas/dioptra-manifest.schema.json");

/// `dioptra/<repository>/<config path, `/` -> `__`, without `.toml`>`.
pub fn artifact_stem(repository: &str, config_path: &str) -> String {
    let flat = config_path.replace('/', "__");
    let flat = flat.strip_suffix(".toml").unwrap_or(&flat);
    format!("dioptra/{repository}/{flat}")
}

/// Is this path (relative to a plugin folder) part of the plugin? Hidden
/// entries and Python caches are not.
fn is_bundled(relative: &Path) -> bool {
    relative.components().all(|c| {
        let name = c.as_os_str().to_string_lossy();
        !name.starts_with('.') && name != "__pycache__"
    }) && relative.extension().is_none_or(|e| e != "pyc")
}

/// The files of the bundle, relative to the repository root, sorted.
pub fn bundle_files(reader: &Reader<'_>, root: &Path, checked: &Checked) -> Vec<String> {
    let mut files = BTreeSet::new();
    files.insert(checked.config_path.clone());
    for plugin in checked.plugins.iter().flatten() {
        let folder = if plugin.folder.is_empty() {
            root.to_path_buf()
        } else {
            root.join(&plugin.folder)
        };
        for (relative, _) in reader.walk_files(&folder, &|_| false, &|_| true) {
            if is_bundled(Path::new(&relative)) {
                files.insert(if plugin.folder.is_empty() {
                    relative
                } else {
                    format!("{}/{relative}", plugin.folder)
                });
            }
        }
    }
    for entrypoint in checked.entrypoints.iter().flatten() {
        files.insert(entrypoint.path.clone());
    }
    files.into_iter().collect()
}

/// The import bundle. Dioptra 1.2.2's import reads only the 1.1+ dialect, so a
/// seed-dialect config goes into the bundle translated (`[[plugins.tasks]]` ->
/// `tasks.functions`, a missing entrypoint `name` -> the file stem, as the
/// importer itself defaults it), at the same path; everything else is verbatim.
pub fn bundle(reader: &Reader<'_>, root: &Path, checked: &Checked) -> std::io::Result<Vec<u8>> {
    let mut entries = Vec::new();
    for path in bundle_files(reader, root, checked) {
        let mut bytes = reader
            .file(&root.join(&path))
            .map_err(|err| std::io::Error::other(format!("{path}: {err}")))?
            .bytes()
            .to_vec();
        if path == checked.config_path
            && checked.model.dialect == Dialect::Seed
            && let Some(translated) = translate_seed(&checked.document.value, &path)
        {
            bytes = translated.into_bytes();
        }
        entries.push(Entry::file(path, bytes));
    }
    archive::tar_gz(entries)
}

/// A seed-dialect config in the Dioptra 1.1+ dialect (None if TOML cannot
/// carry it, e.g. a `null` default).
pub fn translate_seed(value: &Value, path: &str) -> Option<String> {
    let mut value = value.clone();
    for plugin in value
        .get_mut("plugins")
        .and_then(Value::as_array_mut)
        .into_iter()
        .flatten()
    {
        if let Some(Value::Array(tasks)) = plugin.get("tasks").cloned() {
            let functions: Vec<Value> = tasks
                .into_iter()
                .map(|mut task| {
                    if let Some(task) = task.as_object_mut() {
                        for key in ["input_params", "output_params"] {
                            task.entry(key).or_insert_with(|| json!([]));
                        }
                    }
                    task
                })
                .collect();
            plugin["tasks"] = json!({ "functions": functions });
        }
    }
    for entrypoint in value
        .get_mut("entrypoints")
        .and_then(Value::as_array_mut)
        .into_iter()
        .flatten()
    {
        if entrypoint.get("name").is_none()
            && let Some(stem) = entrypoint
                .get("path")
                .and_then(Value::as_str)
                .and_then(|p| Path::new(p).file_stem())
                .and_then(|s| s.to_str())
                .map(str::to_string)
            && let Some(object) = entrypoint.as_object_mut()
        {
            object.insert("name".into(), Value::String(stem));
        }
    }
    let text = toml::to_string(&value).ok()?;
    Some(format!(
        "# {path}, translated from the seed dialect to the Dioptra 1.1+ dialect by `cargo xtask build-all`\n# (Dioptra 1.2.2 imports only the latter).\n\n{text}"
    ))
}

/// The resolved manifest.
pub fn manifest(repository: &str, checked: &Checked, bundle_name: &str) -> Value {
    let model = &checked.model;
    let param = |p: &super::model::Param| json!({"name": p.name, "type": p.type_name});
    let plugins: Vec<Value> = model
        .plugins
        .iter()
        .zip(&checked.plugins)
        .map(|(plugin, resolved)| {
            let tasks: Vec<Value> = plugin
                .tasks
                .iter()
                .map(|task| {
                    let mut value = json!({
                        "name": task.name,
                        "kind": match task.kind {
                            TaskKind::Function => "function",
                            TaskKind::Artifact => "artifact",
                        },
                        "filename": task.filename,
                    });
                    if task.kind == TaskKind::Function {
                        value["inputs"] = task
                            .inputs
                            .iter()
                            .map(|p| {
                                json!({
                                    "name": p.name,
                                    "type": p.type_name,
                                    "required": p.required.unwrap_or(false),
                                })
                            })
                            .collect();
                    }
                    value["outputs"] = task.outputs.iter().map(param).collect();
                    value
                })
                .collect();
            json!({
                "name": plugin.name,
                "path": resolved.as_ref().map_or(plugin.path.as_str(), |r| r.folder.as_str()),
                "description": plugin.description,
                "files": resolved.as_ref().map(|r| r.files.clone()).unwrap_or_default(),
                "tasks": tasks,
            })
        })
        .collect();
    let types: Vec<Value> = model
        .types
        .iter()
        .map(|ty| {
            json!({
                "name": ty.name,
                "description": ty.description,
                "structure": ty.structure,
                "references": checked.registry.references(&ty.name),
            })
        })
        .collect();
    let entrypoints: Vec<Value> = model
        .entrypoints
        .iter()
        .zip(&checked.entrypoints)
        .zip(&checked.task_engines)
        .map(|((entrypoint, resolved), engine)| {
            json!({
                "name": entrypoint.name,
                "path": resolved.as_ref().map_or(entrypoint.path.as_str(), |r| r.path.as_str()),
                "description": entrypoint.description,
                "plugins": entrypoint.plugins.iter().map(|(n, _)| n).collect::<Vec<_>>(),
                "artifact_plugins": entrypoint.artifact_plugins.iter().map(|(n, _)| n).collect::<Vec<_>>(),
                "parameters": entrypoint.params.iter().map(|p| json!({
                    "name": p.name,
                    "type": p.kind,
                    "default_value": p.default_value.as_ref().and_then(Value::as_str),
                })).collect::<Vec<_>>(),
                "artifact_parameters": entrypoint.artifact_params.iter().map(|a| json!({
                    "name": a.name,
                    "outputs": a.outputs.iter().map(param).collect::<Vec<_>>(),
                })).collect::<Vec<_>>(),
                "task_engine": engine,
            })
        })
        .collect();
    json!({
        "manifest_version": 1,
        "repository": repository,
        "config": checked.config_path,
        "dialect": model.dialect.as_str(),
        "bundle": bundle_name,
        "plugins": plugins,
        "parameter_types": types,
        "entrypoints": entrypoints,
    })
}

/// Both artifacts of one clean config.
pub fn artifacts(
    reader: &Reader<'_>,
    repository: &Repository,
    checked: &Checked,
) -> std::io::Result<Vec<Output>> {
    let stem = artifact_stem(&repository.name, &checked.config_path);
    let bundle_path = format!("{stem}.tar.gz");
    let bundle_name = bundle_path
        .rsplit('/')
        .next()
        .unwrap_or(&bundle_path)
        .to_string();
    let bytes = bundle(reader, &repository.root, checked)?;
    let manifest = manifest(&repository.name, checked, &bundle_name);
    Ok(vec![
        Output::new(bundle_path, bytes),
        Output::new(format!("{stem}.manifest.json"), json_bytes(&manifest)),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seed_configs_are_translated_to_the_dialect_dioptra_imports() {
        let seed = json!({
            "plugins": [{"path": "plugins/p", "tasks": [{"filename": "t.py", "name": "f", "input_params": [{"name": "x", "type": "string"}]}]}],
            "entrypoints": [{"path": "entrypoints/main.yml", "plugins": ["p"]}]
        });
        let text = translate_seed(&seed, "dioptra.toml").unwrap();
        let back: Value = toml::from_str(&text).unwrap();
        assert_eq!(back["plugins"][0]["tasks"]["functions"][0]["name"], "f");
        assert_eq!(
            back["plugins"][0]["tasks"]["functions"][0]["output_params"],
            json!([])
        );
        assert_eq!(back["entrypoints"][0]["name"], "main");
        assert!(text.starts_with("# dioptra.toml, translated from the seed dialect"));
    }
}

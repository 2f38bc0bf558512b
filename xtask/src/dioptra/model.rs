//! A tolerant reading of one resource TOML: the entries that have the fields the
//! checks need, each with its JSON pointer (schema violations are reported
//! separately, so malformed entries are simply skipped here).

use serde_json::Value;

use crate::facts::TaskKind;

use super::rules::python_stem;
use super::schema::Dialect;

/// A task parameter (`input_params` / `output_params` item).
#[derive(Clone, Debug)]
pub struct Param {
    pub pointer: String,
    pub name: String,
    pub type_name: String,
    /// `required` as written.
    pub required: Option<bool>,
}

#[derive(Clone, Debug)]
pub struct Task {
    pub pointer: String,
    pub kind: TaskKind,
    pub filename: String,
    pub name: String,
    pub inputs: Vec<Param>,
    pub outputs: Vec<Param>,
}

#[derive(Clone, Debug)]
pub struct Plugin {
    pub pointer: String,
    pub path: String,
    pub name: String,
    pub description: Option<String>,
    pub tasks: Vec<Task>,
}

#[derive(Clone, Debug)]
pub struct EntrypointParam {
    pub pointer: String,
    pub name: String,
    pub kind: String,
    pub default_value: Option<Value>,
}

#[derive(Clone, Debug)]
pub struct ArtifactParam {
    pub pointer: String,
    pub name: String,
    pub outputs: Vec<Param>,
}

#[derive(Clone, Debug)]
pub struct Entrypoint {
    pub pointer: String,
    pub path: String,
    /// `name`, or (seed dialect) the stem of `path`.
    pub name: String,
    pub has_name: bool,
    pub description: Option<String>,
    pub params: Vec<EntrypointParam>,
    pub artifact_params: Vec<ArtifactParam>,
    /// (name, pointer)
    pub plugins: Vec<(String, String)>,
    pub artifact_plugins: Vec<(String, String)>,
}

#[derive(Clone, Debug)]
pub struct ParamType {
    pub pointer: String,
    pub name: String,
    pub description: Option<String>,
    pub structure: Option<Value>,
}

#[derive(Clone, Debug)]
pub struct Model {
    pub dialect: Dialect,
    pub plugins: Vec<Plugin>,
    pub types: Vec<ParamType>,
    pub entrypoints: Vec<Entrypoint>,
}

fn string(value: &Value, key: &str) -> Option<String> {
    value.get(key).and_then(Value::as_str).map(str::to_string)
}

fn array<'a>(value: &'a Value, key: &str) -> impl Iterator<Item = (usize, &'a Value)> {
    value
        .get(key)
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
}

fn params(value: &Value, key: &str, base: &str) -> Vec<Param> {
    array(value, key)
        .filter_map(|(i, item)| {
            Some(Param {
                pointer: format!("{base}/{key}/{i}"),
                name: string(item, "name")?,
                type_name: string(item, "type")?,
                required: item.get("required").and_then(Value::as_bool),
            })
        })
        .collect()
}

fn tasks(list: &Value, kind: TaskKind, base: &str) -> Vec<Task> {
    list.as_array()
        .into_iter()
        .flatten()
        .enumerate()
        .filter_map(|(i, item)| {
            let pointer = format!("{base}/{i}");
            Some(Task {
                kind,
                filename: string(item, "filename")?,
                name: string(item, "name")?,
                inputs: if kind == TaskKind::Function {
                    params(item, "input_params", &pointer)
                } else {
                    Vec::new()
                },
                outputs: params(item, "output_params", &pointer),
                pointer,
            })
        })
        .collect()
}

fn names(value: &Value, key: &str, base: &str) -> Vec<(String, String)> {
    array(value, key)
        .filter_map(|(i, item)| Some((item.as_str()?.to_string(), format!("{base}/{key}/{i}"))))
        .collect()
}

impl Model {
    pub fn read(value: &Value, dialect: Dialect) -> Model {
        let plugins = array(value, "plugins")
            .filter_map(|(i, plugin)| {
                let pointer = format!("/plugins/{i}");
                let path = string(plugin, "path")?;
                let mut all = Vec::new();
                match plugin.get("tasks") {
                    Some(list @ Value::Array(_)) => {
                        all.extend(tasks(list, TaskKind::Function, &format!("{pointer}/tasks")));
                    }
                    Some(Value::Object(table)) => {
                        if let Some(list) = table.get("functions") {
                            all.extend(tasks(
                                list,
                                TaskKind::Function,
                                &format!("{pointer}/tasks/functions"),
                            ));
                        }
                        if let Some(list) = table.get("artifacts") {
                            all.extend(tasks(
                                list,
                                TaskKind::Artifact,
                                &format!("{pointer}/tasks/artifacts"),
                            ));
                        }
                    }
                    _ => {}
                }
                Some(Plugin {
                    name: python_stem(&path),
                    description: string(plugin, "description"),
                    path,
                    tasks: all,
                    pointer,
                })
            })
            .collect();
        let types = array(value, "plugin_param_types")
            .filter_map(|(i, item)| {
                Some(ParamType {
                    pointer: format!("/plugin_param_types/{i}"),
                    name: string(item, "name")?,
                    description: string(item, "description"),
                    structure: item.get("structure").cloned(),
                })
            })
            .collect();
        let entrypoints = array(value, "entrypoints")
            .filter_map(|(i, item)| {
                let pointer = format!("/entrypoints/{i}");
                let path = string(item, "path")?;
                let name = string(item, "name");
                let entry_params: Vec<EntrypointParam> = array(item, "params")
                    .filter_map(|(j, param)| {
                        Some(EntrypointParam {
                            pointer: format!("{pointer}/params/{j}"),
                            name: string(param, "name")?,
                            kind: string(param, "type")?,
                            default_value: param.get("default_value").cloned(),
                        })
                    })
                    .collect();
                let artifact_params = array(item, "artifact_params")
                    .filter_map(|(j, param)| {
                        let base = format!("{pointer}/artifact_params/{j}");
                        Some(ArtifactParam {
                            name: string(param, "name")?,
                            outputs: params(param, "output_params", &base),
                            pointer: base,
                        })
                    })
                    .collect();
                Some(Entrypoint {
                    has_name: name.is_some(),
                    name: name.unwrap_or_else(|| python_stem(&path)),
                    description: string(item, "description"),
                    params: entry_params,
                    artifact_params,
                    plugins: names(item, "plugins", &pointer),
                    artifact_plugins: names(item, "artifact_plugins", &pointer),
                    path,
                    pointer,
                })
            })
            .collect();
        Model {
            dialect,
            plugins,
            types,
            entrypoints,
        }
    }
}

//! Entrypoint task graphs: the YAML file of an entrypoint, read with line:col
//! positions, and every check of Dioptra's task-engine validator
//! (`task_engine/validation.py`, `type_validation.py`), run together so one
//! error does not hide the others, plus the checks Dioptra misses.
//!
//! - `yaml`: the YAML reader with positions (PyYAML 1.1 scalars, merge keys, spans);
//! - `entrypoint`: [`check_entrypoint`], global parameters, the task-engine document;
//! - `steps`: step forms, swaps, references, cycles, invocations, argument types;
//! - `artifacts`: the `artifacts:` section;
//! - `checker`: the diagnostics of one check, deduplicated across swap combinations.

mod artifacts;
mod checker;
mod entrypoint;
mod steps;
#[cfg(test)]
mod tests;
mod yaml;
mod yaml11;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use serde_json::Value;

use super::types::TypeRegistry;
use crate::diagnostics::Diagnostic;
use crate::doc::Document;
use crate::source::SourceFile;

pub use entrypoint::{check_entrypoint, coerce_default};
pub use yaml::{
    MAX_DEPTH, NODE_BUDGET, YNode, YValue, YamlError, parse_yaml, parse_yaml_document,
    resolve_plain,
};

/// A task parameter as declared in the resource TOML.
pub struct TaskParameter {
    pub name: String,
    pub type_name: String,
    pub required: bool,
}

/// A function or artifact task of a plugin.
pub struct TaskSignature {
    pub plugin: String,
    pub name: String,
    pub inputs: Vec<TaskParameter>,
    /// (name, type)
    pub outputs: Vec<(String, String)>,
}

/// An entrypoint parameter (`params`).
pub struct EntrypointParameter {
    pub name: String,
    /// string|float|integer|boolean|list|mapping as written
    pub kind: String,
    /// Only string defaults; non-string defaults are reported elsewhere and passed as `None`.
    pub default_value: Option<String>,
}

/// An entrypoint artifact parameter (`artifact_params`).
pub struct ArtifactParameter {
    pub name: String,
    pub outputs: Vec<(String, String)>,
}

/// Everything needed to check one entrypoint's task graph.
pub struct EntrypointInput<'a> {
    /// The resource TOML (for pointing at params).
    pub toml: &'a Document,
    /// e.g. `/entrypoints/1`
    pub entrypoint_pointer: String,
    pub yaml: &'a Arc<SourceFile>,
    pub params: Vec<EntrypointParameter>,
    pub artifact_params: Vec<ArtifactParameter>,
    /// Of the entrypoint's `plugins`, plugin order then task order.
    pub function_tasks: Vec<TaskSignature>,
    /// Of its `artifact_plugins`.
    pub artifact_tasks: Vec<TaskSignature>,
    pub types: &'a TypeRegistry,
}

#[derive(Default)]
pub struct GraphOutcome {
    pub diagnostics: Vec<Diagnostic>,
    /// The task-engine document Dioptra would build; `None` when the YAML could not be read.
    pub task_engine: Option<Value>,
    /// (plugin, task)
    pub used_tasks: BTreeSet<(String, String)>,
    pub used_types: BTreeSet<String>,
    /// (plugin, task, input) that a step gives a value -> the first such step.
    pub passed_inputs: BTreeMap<(String, String, String), String>,
}

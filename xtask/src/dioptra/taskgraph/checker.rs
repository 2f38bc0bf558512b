//! The state of one entrypoint's check: the tasks, parameters and artifact
//! parameters in scope, and the diagnostics, deduplicated across swap
//! combinations (with a note naming the combinations a diagnostic occurs in,
//! unless it occurs in all).

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

use serde_json::Value;

use super::{ArtifactParameter, EntrypointInput, EntrypointParameter, TaskSignature};
use crate::codes::Code;
use crate::diagnostics::Diagnostic;
use crate::dioptra::types::SemType;
use crate::source::{SourceFile, Span};

/// One entrypoint's check in progress.
pub(super) struct Checker<'a, 'i> {
    pub(super) input: &'a EntrypointInput<'i>,
    pub(super) file: &'a Arc<SourceFile>,
    /// Function tasks by name; the last attached plugin wins (Dioptra overwrites).
    pub(super) tasks: HashMap<&'a str, &'a TaskSignature>,
    pub(super) params: HashMap<&'a str, &'a EntrypointParameter>,
    pub(super) param_types: HashMap<String, Option<SemType>>,
    pub(super) artifacts: HashMap<&'a str, &'a ArtifactParameter>,
    pub(super) diagnostics: Vec<Diagnostic>,
    pub(super) seen: HashMap<(Code, usize, usize, String), usize>,
    /// Diagnostic index -> the swap combinations it occurred in.
    pub(super) combination_hits: HashMap<usize, Vec<String>>,
    /// Reference roots that are not steps (params, artifact params, or missing).
    pub(super) used_globals: BTreeSet<String>,
    pub(super) missing_globals: BTreeSet<String>,
    pub(super) used_tasks: BTreeSet<(String, String)>,
    /// (plugin, task, input) given a value by a step (positionally or by keyword) -> the
    /// first such step.
    pub(super) passed_inputs: BTreeMap<(String, String, String), String>,
    /// Note added to diagnostics of the current swap combination.
    pub(super) combination: Option<String>,
}

impl<'a, 'i> Checker<'a, 'i> {
    /// A check with these names in scope, nothing reported or used yet.
    pub(super) fn new(
        input: &'a EntrypointInput<'i>,
        file: &'a Arc<SourceFile>,
        tasks: HashMap<&'a str, &'a TaskSignature>,
        params: HashMap<&'a str, &'a EntrypointParameter>,
        artifacts: HashMap<&'a str, &'a ArtifactParameter>,
    ) -> Self {
        Checker {
            input,
            file,
            tasks,
            params,
            param_types: HashMap::new(),
            artifacts,
            diagnostics: Vec::new(),
            seen: HashMap::new(),
            combination_hits: HashMap::new(),
            used_globals: BTreeSet::new(),
            missing_globals: BTreeSet::new(),
            used_tasks: BTreeSet::new(),
            passed_inputs: BTreeMap::new(),
            combination: None,
        }
    }

    pub(super) fn push(&mut self, diagnostic: Diagnostic) {
        let (start, end) = match &diagnostic.location {
            Some(crate::diagnostics::Location::Span { span, .. }) => (span.start, span.end),
            _ => (0, 0),
        };
        let key = (diagnostic.code, start, end, diagnostic.message.clone());
        match self.seen.get(&key) {
            Some(&index) => {
                if let Some(combination) = &self.combination
                    && let Some(hits) = self.combination_hits.get_mut(&index)
                    && !hits.contains(combination)
                {
                    hits.push(combination.clone());
                }
            }
            None => {
                let index = self.diagnostics.len();
                self.seen.insert(key, index);
                if let Some(combination) = &self.combination {
                    self.combination_hits
                        .insert(index, vec![combination.clone()]);
                }
                self.diagnostics.push(diagnostic);
            }
        }
    }

    /// Notes which swap combinations a diagnostic occurs in, unless it occurs in all.
    pub(super) fn note_combinations(&mut self, total: usize) {
        for (index, hits) in std::mem::take(&mut self.combination_hits) {
            if hits.len() < total
                && let Some(diagnostic) = self.diagnostics.get_mut(index)
            {
                let shown: Vec<&str> = hits.iter().take(4).map(String::as_str).collect();
                let more = if hits.len() > 4 {
                    format!(" and {} more", hits.len() - 4)
                } else {
                    String::new()
                };
                diagnostic.notes.push(format!(
                    "in swap combination{} {}{more} (of {total} combinations)",
                    if hits.len() > 1 { "s" } else { "" },
                    shown.join(", ")
                ));
            }
        }
    }

    pub(super) fn warning(&mut self, code: Code, message: String, span: Span) {
        let diagnostic = Diagnostic::warning(code, message).at(self.file, span);
        self.push(diagnostic);
    }

    /// An error, with an optional help, deduplicated.
    pub(super) fn report(&mut self, code: Code, message: String, span: Span, help: Option<String>) {
        let mut diagnostic = Diagnostic::error(code, message).at(self.file, span);
        if let Some(help) = help {
            diagnostic = diagnostic.with_help(help);
        }
        self.push(diagnostic);
    }

    /// The span of an entrypoint parameter's name in the TOML.
    pub(super) fn toml_param(&self, list: &str, name: &str) -> (Arc<SourceFile>, Span) {
        let base = format!("{}/{list}", self.input.entrypoint_pointer);
        let toml = self.input.toml;
        if let Some(Value::Array(items)) = toml.get(&base) {
            for (i, item) in items.iter().enumerate() {
                if item.get("name").and_then(Value::as_str) == Some(name) {
                    return (
                        Arc::clone(&toml.file),
                        toml.span(&format!("{base}/{i}/name")),
                    );
                }
            }
        }
        (
            Arc::clone(&toml.file),
            toml.key_span(&self.input.entrypoint_pointer),
        )
    }
}

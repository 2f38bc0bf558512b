//! Plain data shared by every layer: the repositories found, what processing one
//! produced (diagnostics, counts, outputs, artifacts, facts), and the counts of
//! the summary line.

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::diagnostics::{Counts, Diagnostic};
use crate::facts::Facts;
use crate::output::Output;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RepositoryKind {
    Domino,
    Dioptra,
}

impl RepositoryKind {
    pub fn as_str(self) -> &'static str {
        match self {
            RepositoryKind::Domino => "domino",
            RepositoryKind::Dioptra => "dioptra",
        }
    }
}

/// One repository found under a root.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Repository {
    pub kind: RepositoryKind,
    /// The folder name (what `--only` and the per-repository settings use).
    pub name: String,
    /// The repository folder.
    pub root: PathBuf,
    /// The folder as shown to users.
    pub display: String,
    /// Dioptra: the resource TOMLs of the repository, sorted.
    pub resource_configs: Vec<PathBuf>,
}

/// Counts for the summary line.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Stats {
    pub pieces: usize,
    pub plugins: usize,
    pub tasks: usize,
    pub param_types: usize,
    pub entrypoints: usize,
}

impl Stats {
    /// Appends what was found and the diagnostics' counts to a JSON object,
    /// named and ordered as the JSON reports (report.json, the `json` summary)
    /// print them.
    pub fn extend_json(
        &self,
        counts: Counts,
        object: &mut serde_json::Map<String, serde_json::Value>,
    ) {
        for (name, value) in [
            ("pieces", self.pieces),
            ("plugins", self.plugins),
            ("tasks", self.tasks),
            ("parameter_types", self.param_types),
            ("entrypoints", self.entrypoints),
            ("errors", counts.errors),
            ("warnings", counts.warnings),
        ] {
            object.insert(name.to_owned(), value.into());
        }
    }
}

impl std::ops::AddAssign for Stats {
    fn add_assign(&mut self, other: Stats) {
        self.pieces += other.pieces;
        self.plugins += other.plugins;
        self.tasks += other.tasks;
        self.param_types += other.param_types;
        self.entrypoints += other.entrypoints;
    }
}

/// Everything one repository produced.
#[derive(Debug)]
pub struct RepositoryReport {
    pub repository: Repository,
    pub diagnostics: Vec<Diagnostic>,
    pub stats: Stats,
    /// Files that belong inside the repository (e.g. `.domino/*.json`), with
    /// absolute paths: written by `build-all`. (`check` compares them itself and
    /// reports drift as diagnostics.)
    pub outputs: Vec<Output>,
    /// Aggregated artifacts, with paths relative to the dist folder
    /// (e.g. `dioptra/<repo>/bundle.tar.gz`): written by `build-all` only.
    pub artifacts: Vec<Output>,
    /// What the graph needs to know (filled by the ecosystem modules).
    pub facts: Facts,
    /// Content hashes of the repository tree and of the parts the catalog lists
    /// (key: path relative to the repository root, `""` for the whole tree, as
    /// it is once the outputs are written); filled in `build-all` only.
    pub content_hashes: BTreeMap<String, String>,
}

impl RepositoryReport {
    pub fn new(repository: &Repository) -> Self {
        RepositoryReport {
            repository: repository.clone(),
            diagnostics: Vec::new(),
            stats: Stats::default(),
            outputs: Vec::new(),
            artifacts: Vec::new(),
            facts: Facts::None,
            content_hashes: BTreeMap::new(),
        }
    }
}

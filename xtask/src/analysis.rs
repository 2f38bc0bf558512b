//! The analysis of a whole run: what the pipeline produced and every emitter
//! reads (plain data).

use std::collections::BTreeMap;
use std::fmt;

use crate::config::Config;
use crate::diagnostics::{self, Diagnostic, Location};
use crate::graph::MonorepoGraph;
use crate::report::{RepositoryKind, RepositoryReport, Stats};

/// Why a repository cannot be published.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Failure {
    /// Errors of its own (or of the graph, located in it).
    Errors(usize),
    /// Another repository failed and the run publishes nothing
    /// (`build-all` without `--keep-going`).
    RunFailed,
    /// It depends on a failed repository through the graph.
    DependsOn {
        /// The failed repository, as shown.
        repository: String,
        /// The file or image it depends on it through.
        through: String,
    },
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::Errors(count) => f.write_str(&diagnostics::plural(*count, "error")),
            Failure::RunFailed => {
                f.write_str("not published: other repositories have errors (see --keep-going)")
            }
            Failure::DependsOn {
                repository,
                through,
            } => write!(f, "depends on the failed {repository} through {through}"),
        }
    }
}

#[derive(Debug)]
pub struct Analysis {
    pub config: Config,
    pub reports: Vec<RepositoryReport>,
    /// The monorepo graph, built once from the reports' facts.
    pub graph: MonorepoGraph,
    /// Diagnostics that belong to no single repository (discovery, cross-repository).
    pub diagnostics: Vec<Diagnostic>,
}

impl Analysis {
    /// All diagnostics, sorted and deduplicated.
    pub fn all_diagnostics(&self) -> Vec<Diagnostic> {
        let mut all: Vec<Diagnostic> = self
            .diagnostics
            .iter()
            .chain(self.reports.iter().flat_map(|r| &r.diagnostics))
            .cloned()
            .collect();
        diagnostics::sort_and_dedup(&mut all);
        all
    }

    pub fn stats(&self) -> Stats {
        let mut stats = Stats::default();
        for report in &self.reports {
            stats += report.stats;
        }
        stats
    }

    /// The repositories that cannot be published (index in `reports`), and why:
    /// their own errors (graph errors located inside them included), or a
    /// dependency, through the graph, on one that failed.
    pub fn failures(&self) -> BTreeMap<usize, Failure> {
        let mut failures = BTreeMap::new();
        for (index, report) in self.reports.iter().enumerate() {
            let inside = |location: &Location| {
                let shown = location.display_path();
                let root = report.repository.display.as_str();
                shown == root || shown.strip_prefix(root).is_some_and(|s| s.starts_with('/'))
            };
            let errors = report.diagnostics.iter().filter(|d| d.is_error()).count()
                + self
                    .diagnostics
                    .iter()
                    .filter(|d| d.is_error() && d.location.as_ref().is_some_and(inside))
                    .count();
            if errors > 0 {
                failures.insert(index, Failure::Errors(errors));
            }
        }
        let dependencies = crate::graph::repository_dependencies(&self.graph, &self.reports);
        loop {
            let mut changed = false;
            for (index, depends_on) in &dependencies {
                if failures.contains_key(index) {
                    continue;
                }
                if let Some(dependency) = depends_on
                    .iter()
                    .find(|d| failures.contains_key(&d.repository))
                {
                    failures.insert(
                        *index,
                        Failure::DependsOn {
                            repository: self.reports[dependency.repository]
                                .repository
                                .display
                                .clone(),
                            through: dependency.through.clone(),
                        },
                    );
                    changed = true;
                }
            }
            if !changed {
                return failures;
            }
        }
    }

    pub fn count(&self, kind: RepositoryKind) -> usize {
        self.reports
            .iter()
            .filter(|r| r.repository.kind == kind)
            .count()
    }
}

//! The analysis of a whole run: what the pipeline produced and every emitter
//! reads (plain data).

use crate::config::Config;
use crate::diagnostics::{self, Diagnostic};
use crate::graph::MonorepoGraph;
use crate::report::{RepositoryKind, RepositoryReport, Stats};

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

    pub fn count(&self, kind: RepositoryKind) -> usize {
        self.reports
            .iter()
            .filter(|r| r.repository.kind == kind)
            .count()
    }
}

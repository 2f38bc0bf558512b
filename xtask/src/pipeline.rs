//! The one-way pipeline shared by every command:
//! discover -> parse (in parallel) -> graph -> validate -> emit.

use std::path::PathBuf;

use rayon::prelude::*;

use crate::cli::SchemaEngine;
use crate::config::{self, Config};
use crate::diagnostics::{self, Diagnostic};
use crate::discover::{self, Repository, RepositoryKind};
use crate::facts::Facts;
use crate::graph::{self, MonorepoGraph};
use crate::output::{Mode, Output};
use crate::paths::{absolute, display_path};
use crate::progress::Progress;
use crate::{dioptra, domino};

/// What every per-repository step can see.
pub struct Context<'a> {
    pub config: &'a Config,
    pub mode: Mode,
    pub schema_engine: SchemaEngine,
    pub progress: &'a Progress,
}

/// Counts for the summary line.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    pub pieces: usize,
    pub plugins: usize,
    pub tasks: usize,
    pub param_types: usize,
    pub entrypoints: usize,
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
        }
    }
}

/// The options of the analysis, independent of the command line.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// Roots given on the command line (relative to the working directory).
    pub repos: Vec<PathBuf>,
    pub only: Vec<String>,
    pub jobs: Option<usize>,
    pub schema_engine: SchemaEngine,
}

/// The analysis of the whole monorepo.
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

/// A problem with the command line or the environment (exit status 2).
#[derive(Debug)]
pub struct EnvironmentError {
    pub diagnostics: Vec<Diagnostic>,
}

impl EnvironmentError {
    pub fn new(diagnostic: Diagnostic) -> Self {
        EnvironmentError {
            diagnostics: vec![diagnostic],
        }
    }
}

/// Runs discover -> parse -> validate for every repository.
pub fn analyze(
    options: &Options,
    mode: Mode,
    progress: &Progress,
) -> Result<Analysis, EnvironmentError> {
    let cwd = std::env::current_dir().map_err(|err| {
        EnvironmentError::new(Diagnostic::error(
            "env::cwd",
            format!("cannot read the working directory: {err}"),
        ))
    })?;
    let (config, config_diagnostics) = config::load(&cwd, &|path| display_path(path));
    if !config_diagnostics.is_empty() {
        return Err(EnvironmentError {
            diagnostics: config_diagnostics,
        });
    }

    let roots: Vec<PathBuf> = if options.repos.is_empty() {
        config.roots()
    } else {
        options.repos.iter().map(|root| absolute(root)).collect()
    };
    let missing: Vec<Diagnostic> = roots
        .iter()
        .filter(|root| !root.is_dir())
        .map(|root| {
            Diagnostic::error("env::missing-root", "repository root is not a folder")
                .at_path(display_path(root))
                .with_help("pass an existing folder with `--repos DIR`, or set `roots` in [workspace.metadata.pieces]")
        })
        .collect();
    if !missing.is_empty() {
        return Err(EnvironmentError {
            diagnostics: missing,
        });
    }

    progress.verbose(format!(
        "searching {}",
        roots
            .iter()
            .map(|r| display_path(r))
            .collect::<Vec<_>>()
            .join(", ")
    ));
    let discovery = discover::discover(&roots);
    let mut repositories = discovery.repositories;
    if !options.only.is_empty() {
        let unknown: Vec<&String> = options
            .only
            .iter()
            .filter(|name| !repositories.iter().any(|r| &r.name == *name))
            .collect();
        if !unknown.is_empty() {
            let mut names: Vec<&str> = repositories.iter().map(|r| r.name.as_str()).collect();
            names.dedup();
            let diagnostics = unknown
                .into_iter()
                .map(|name| {
                    let candidates: Vec<&str> = names.clone();
                    let mut diagnostic = Diagnostic::error(
                        "env::unknown-repository",
                        format!("no repository named `{name}` was found"),
                    );
                    diagnostic = match config::did_you_mean(name, &candidates) {
                        Some(guess) => diagnostic.with_help(format!("did you mean `{guess}`?")),
                        None => diagnostic
                            .with_help(format!("repositories found: {}", names.join(", "))),
                    };
                    diagnostic
                })
                .collect();
            return Err(EnvironmentError { diagnostics });
        }
        repositories.retain(|r| options.only.contains(&r.name));
    }

    let threads = options
        .jobs
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|err| {
            EnvironmentError::new(Diagnostic::error(
                "env::threads",
                format!("cannot start worker threads: {err}"),
            ))
        })?;

    let context = Context {
        config: &config,
        mode,
        schema_engine: options.schema_engine,
        progress,
    };
    progress.stage("checking", repositories.len());
    let reports: Vec<RepositoryReport> = pool.install(|| {
        repositories
            .par_iter()
            .map(|repository| {
                context.progress.verbose(format!(
                    "checking {} ({})",
                    repository.display,
                    repository.kind.as_str()
                ));
                let report = match repository.kind {
                    RepositoryKind::Domino => domino::process(repository, &context),
                    RepositoryKind::Dioptra => dioptra::process(repository, &context),
                };
                context.progress.step(&repository.name);
                report
            })
            .collect()
    });

    progress.verbose("building the monorepo graph");
    let mut graph = graph::build(&reports, &config.domino_base_image());
    let mut diagnostics = discovery.diagnostics;
    diagnostics.append(&mut graph.diagnostics);
    diagnostics.extend(graph::cross_repository_diagnostics(&reports, &|name| {
        config.dioptra_group(name).to_string()
    }));

    Ok(Analysis {
        config,
        reports,
        graph,
        diagnostics,
    })
}

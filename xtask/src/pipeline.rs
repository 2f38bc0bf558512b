//! The one-way pipeline shared by every command:
//! discover -> parse (in parallel) -> graph -> validate -> emit.

use std::path::PathBuf;

use rayon::prelude::*;

use crate::cli::SchemaEngine;
use crate::codes::Code;
use crate::config::{self, Config};
use crate::diagnostics::{self, Diagnostic};
use crate::discover::{self, Repository, RepositoryKind};
use crate::facts::Facts;
use crate::graph::{self, MonorepoGraph};
use crate::incremental;
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
    /// Schemas computed by pydantic (`--schema-engine python|auto`), by models.py.
    pub python_schemas: Option<&'a domino::python_engine::PythonSchemas>,
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
    /// Reuse the reports of repositories whose fingerprint and outputs are
    /// unchanged since the last successful build.
    pub incremental: bool,
    /// Only the repositories affected by files changed since this git revision.
    pub changed_since: Option<String>,
}

/// Whether a repository was recompiled, and why.
#[derive(Debug)]
pub enum Freshness {
    /// Incremental builds are off.
    Untracked,
    /// Restored from the cache: nothing changed.
    Fresh,
    /// Recompiled, for these reasons.
    Rebuilt {
        reasons: Vec<String>,
        previous: Option<Box<incremental::Entry>>,
    },
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
    /// Per report (same order): was it recompiled?
    pub freshness: Vec<Freshness>,
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
            Code::EnvCwd,
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
            Diagnostic::error(Code::EnvMissingRoot, "repository root is not a folder")
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
                        Code::EnvUnknownRepository,
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
    if let Some(revision) = &options.changed_since {
        let changed =
            incremental::changed_since(&config.workspace_root, revision).map_err(|message| {
                EnvironmentError::new(
                    Diagnostic::error(Code::EnvChangedSince, message).with_help(
                        "`--changed-since` needs a git work tree and a revision it knows",
                    ),
                )
            })?;
        let before = repositories.len();
        repositories.retain(|r| incremental::is_affected(&config, r, &changed));
        progress.log(format!(
            "{} of {} affected by {} changed since {revision}",
            diagnostics::plural(repositories.len(), "repository"),
            before,
            diagnostics::plural(changed.len(), "file"),
        ));
    }

    let threads = options
        .jobs
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|err| {
            EnvironmentError::new(Diagnostic::error(
                Code::EnvThreads,
                format!("cannot start worker threads: {err}"),
            ))
        })?;

    // The python engine executes repository code: only when asked for, in one
    // process for all pieces of all repositories, before the parallel work.
    let python_schemas = match options.schema_engine {
        SchemaEngine::Static => None,
        engine => domino::python_engine::prepare(engine, &repositories, progress)
            .map_err(EnvironmentError::new)?,
    };
    let context = Context {
        config: &config,
        mode,
        schema_engine: options.schema_engine,
        progress,
        python_schemas: python_schemas.as_ref(),
    };
    // Cached reports were made by the static reader.
    let incremental = options.incremental && options.schema_engine == SchemaEngine::Static;
    progress.stage("checking", repositories.len());
    let (reports, freshness): (Vec<RepositoryReport>, Vec<Freshness>) = pool.install(|| {
        repositories
            .par_iter()
            .map(|repository| {
                let cached = incremental.then(|| incremental::freshness(&config, repository));
                let (report, freshness) = match cached {
                    Some(incremental::Freshness {
                        fresh: Some(report),
                        ..
                    }) => (report, Freshness::Fresh),
                    other => {
                        context.progress.verbose(format!(
                            "checking {} ({})",
                            repository.display,
                            repository.kind.as_str()
                        ));
                        let report = match repository.kind {
                            RepositoryKind::Domino => domino::process(repository, &context),
                            RepositoryKind::Dioptra => dioptra::process(repository, &context),
                        };
                        let freshness = match other {
                            Some(state) => Freshness::Rebuilt {
                                reasons: state.reasons,
                                previous: state.previous.map(Box::new),
                            },
                            None => Freshness::Untracked,
                        };
                        (report, freshness)
                    }
                };
                context.progress.step(&repository.name);
                (report, freshness)
            })
            .unzip()
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
        freshness,
    })
}

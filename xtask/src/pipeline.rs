//! The one-way pipeline shared by every command: discover -> read (through the
//! input gateway) -> parse (in parallel) -> graph -> validate, and for
//! `build-all`: emit -> write (through the output gateway).

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use std::collections::BTreeMap;

use crate::analysis::{Analysis, Failure};
use crate::codes::Code;
use crate::config::{self, Config};
use crate::context::Context;
use crate::diagnostics::{self, Diagnostic};
use crate::discover;
use crate::emit::{self, Publication};
use crate::graph;
use crate::incremental::{self, Freshness, Inputs, check as check_cache};
use crate::input::Workspace;
use crate::options::{Mode, SchemaEngine};
use crate::output::{self, Output, Store, WriteStatus};
use crate::paths::{absolute, display_path};
use crate::progress::Progress;
use crate::report::{Repository, RepositoryKind, RepositoryReport};
use crate::{dioptra, domino};

/// The stack of each worker thread.
const WORKER_STACK: usize = 64 * 1024 * 1024;

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
    /// Where the workspace is looked for (default: the working directory).
    pub start: Option<PathBuf>,
    /// Report every warning as an error (`--deny-warnings`).
    pub deny_warnings: bool,
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

/// A repository `check` checked (not replayed): its key in the recorded checks
/// and its new entry (None when one of its stamps was too recent to trust).
type CheckRecord = Option<(String, Option<Vec<u8>>)>;

/// What the incremental machinery knows of one repository (build-all).
#[derive(Debug)]
pub struct Tracking {
    pub freshness: Freshness,
    /// The repository tree as hashed at the start of its processing (None
    /// for a fresh repository: it has nothing new to record).
    pub inputs: Option<Inputs>,
}

/// An analysis and how it was made.
pub struct Run {
    pub analysis: Analysis,
    /// The input gateway of the run.
    pub workspace: Workspace,
    /// The folders searched for repositories.
    pub roots: Vec<PathBuf>,
    /// Per report (same order), in `build-all` only.
    pub tracking: Vec<Tracking>,
    /// Repositories whose previous check was replayed (`check` only).
    pub replayed: usize,
}

/// Runs discover -> read -> parse -> graph -> validate for every repository.
pub fn analyze(
    options: &Options,
    mode: Mode,
    progress: &Progress,
) -> Result<Run, EnvironmentError> {
    analyze_workspace(load_config(options)?, options, mode, None, progress)
}

/// The configuration of the workspace the options name.
fn load_config(options: &Options) -> Result<Config, EnvironmentError> {
    let start = match &options.start {
        Some(start) => absolute(start),
        None => std::env::current_dir().map_err(|err| {
            EnvironmentError::new(Diagnostic::error(
                Code::EnvCwd,
                format!("cannot read the working directory: {err}"),
            ))
        })?,
    };
    // Run from outside the workspace (`--repos /abs/path` from anywhere): the
    // workspace is the one around the first root.
    let start = match options.repos.first() {
        Some(root) if config::find_workspace_root(&start).is_none() => {
            let root = absolute(root);
            if config::find_workspace_root(&root).is_some() {
                root
            } else {
                start
            }
        }
        _ => start,
    };
    let (config, config_diagnostics) = config::load(&start, &|path| display_path(path));
    if !config_diagnostics.is_empty() {
        return Err(EnvironmentError {
            diagnostics: config_diagnostics,
        });
    }
    Ok(config)
}

/// `store`: where the artifacts of each repository go as soon as it is
/// processed (build-all), so that the run holds their hashes, not their bytes.
fn analyze_workspace(
    config: Config,
    options: &Options,
    mode: Mode,
    store: Option<&Store>,
    progress: &Progress,
) -> Result<Run, EnvironmentError> {
    let mut workspace = Workspace::new(&config.workspace_root);
    if let Some(limit) = config.settings.max_file_size {
        workspace.set_max_file_size(limit);
    }
    // `check` recording its cache stamps the trees as it lists them (from
    // discovery on): every stamp is taken after this time.
    let records_checks =
        options.incremental && options.schema_engine == SchemaEngine::Static && mode == Mode::Check;
    let listed_from_ns = incremental::now_ns();
    if records_checks {
        workspace.stamp_listings();
    }

    let roots: Vec<PathBuf> = if options.repos.is_empty() {
        config.roots()
    } else {
        options.repos.iter().map(|root| absolute(root)).collect()
    };
    for root in &roots {
        workspace.trust(root);
    }
    // Paths are shown relative to the workspace root (or their root outside
    // it), wherever the tool runs from.
    crate::paths::set_display_roots(&config.workspace_root, &roots);
    let missing: Vec<Diagnostic> = roots
        .iter()
        .filter(|root| !workspace.is_dir(root))
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

    let threads = options
        .jobs
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    // Parsers and readers recurse over nesting that the input gateway and the
    // parsers bound; a large stack keeps that far from the limit.
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .stack_size(WORKER_STACK)
        .build()
        .map_err(|err| {
            EnvironmentError::new(Diagnostic::error(
                Code::EnvThreads,
                format!("cannot start worker threads: {err}"),
            ))
        })?;

    progress.verbose(format!(
        "searching {}",
        roots
            .iter()
            .map(|r| display_path(r))
            .collect::<Vec<_>>()
            .join(", ")
    ));
    let discovery = pool.install(|| discover::discover(&workspace, &roots));
    let mut repositories = discovery.repositories;
    select_only(&mut repositories, &options.only)?;
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
        // A change of the configuration or of the tool affects every repository.
        match incremental::global_change(&config, revision, &changed) {
            Some(reason) => progress.log(format!(
                "all {} affected: {reason} since {revision}",
                diagnostics::plural(before, "repository")
            )),
            None => {
                repositories.retain(|r| incremental::is_affected(&workspace, &config, r, &changed));
                progress.log(format!(
                    "{} of {} affected by {} changed since {revision}",
                    diagnostics::plural(repositories.len(), "repository"),
                    before,
                    diagnostics::plural(changed.len(), "file"),
                ));
            }
        }
    }

    // The python engine executes repository code: only when asked for, in one
    // process for all pieces of all repositories, before the parallel work.
    let python_schemas = match options.schema_engine {
        SchemaEngine::Static => None,
        engine => pool
            .install(|| {
                domino::python_engine::prepare(&workspace, engine, &repositories, &config, progress)
            })
            .map_err(EnvironmentError::new)?,
    };
    let context = Context {
        config: &config,
        mode,
        progress,
    };
    // Cached reports were made by the static reader.
    let use_cache = options.incremental && options.schema_engine == SchemaEngine::Static;
    // `check` records what it found in each repository, and replays it for an
    // unchanged one (its own cache: stamps only, nothing hashed); `--no-cache`
    // does neither.
    let recorded = if records_checks {
        check_cache::Recorded::load(&workspace, &config)
    } else {
        check_cache::Recorded::default()
    };
    progress.stage("checking", repositories.len());
    let processed: Vec<(RepositoryReport, Option<Tracking>, bool, CheckRecord)> =
        pool.install(|| {
            repositories
                .par_iter()
                .map(|repository| {
                    let reader = workspace.reader(&repository.root);
                    let snapshot = records_checks
                        .then(|| check_cache::Snapshot::take(&reader, repository, listed_from_ns));
                    let replayed = snapshot.as_ref().and_then(|s| {
                        check_cache::replay(&reader, &config, repository, s, &recorded)
                    });
                    let is_replayed = replayed.is_some();
                    // build-all hashes every input (for the fingerprint it records).
                    let previous = (mode == Mode::Write)
                        .then(|| incremental::previous_entry(&reader, &config, repository))
                        .flatten();
                    let inputs = (mode == Mode::Write)
                        .then(|| Inputs::read(&reader, repository, previous.as_ref()));
                    let (cached, freshness) = match &inputs {
                        Some(inputs) if use_cache => {
                            incremental::freshness(&reader, &config, repository, previous, inputs)
                        }
                        _ => (None, Freshness::Untracked),
                    };
                    let mut report = cached
                        .or(replayed)
                        .unwrap_or_else(|| match repository.kind {
                            RepositoryKind::Domino => domino::process(
                                repository,
                                &reader,
                                &context,
                                python_schemas.as_ref(),
                            ),
                            RepositoryKind::Dioptra => {
                                dioptra::process(repository, &reader, &context)
                            }
                        });
                    let check_record = snapshot.filter(|_| !is_replayed).map(|snapshot| {
                        (
                            incremental::entry_key(repository),
                            check_cache::record(&reader, &config, &report, snapshot),
                        )
                    });
                    for output in &mut report.outputs {
                        output.release_current_bytes();
                    }
                    // An artifact that cannot be stored stays in memory (and the
                    // failure, if it lasts, is reported when the dist is written).
                    if let Some(store) = store {
                        for artifact in &mut report.artifacts {
                            let _ = artifact.move_to_store(store);
                        }
                    }
                    progress.step(&repository.name);
                    let tracking = inputs.map(|inputs| Tracking {
                        inputs: (!matches!(freshness, Freshness::Fresh)).then_some(inputs),
                        freshness,
                    });
                    (report, tracking, is_replayed, check_record)
                })
                .collect()
        });
    let replayed: Vec<bool> = processed.iter().map(|(_, _, r, _)| *r).collect();
    let mut checked = Vec::new();
    let mut newly_recorded = Vec::new();
    let (mut reports, tracking): (Vec<RepositoryReport>, Vec<Option<Tracking>>) = processed
        .into_iter()
        .map(|(report, tracking, _, check_record)| {
            if let Some((key, entry)) = check_record {
                if let Some(entry) = entry {
                    newly_recorded.push((key.clone(), entry));
                }
                checked.push(key);
            }
            (report, tracking)
        })
        .unzip();
    if let Some(bytes) = recorded.updated(&checked, newly_recorded) {
        let path = check_cache::recorded_file(&config);
        if let Err(err) = output::replace_cache_file(&path, &bytes) {
            progress.verbose(format!(
                "cannot record the checks in {}: {err}",
                display_path(&path)
            ));
        }
    }
    drop(recorded);
    // What was done, in repository order whatever the number of jobs.
    for ((report, tracking), replayed) in reports.iter().zip(&tracking).zip(&replayed) {
        let (how, why) = match tracking.as_ref().map(|t| &t.freshness) {
            Some(Freshness::Fresh) => ("fresh", ""),
            _ if *replayed => ("replayed", ": unchanged since its last check"),
            _ => ("checked", ""),
        };
        progress.verbose(format!(
            "{how} {} ({}){why}",
            report.repository.display,
            report.repository.kind.as_str()
        ));
    }
    for report in &mut reports {
        apply_lint_levels(
            &config,
            Some(&report.repository.name),
            options.deny_warnings,
            &mut report.diagnostics,
        );
    }

    progress.verbose("building the monorepo graph");
    let mut graph = graph::build(&reports, &|name| config.domino_base_image(name));
    let mut diagnostics = discovery.diagnostics;
    diagnostics.append(&mut graph.diagnostics);
    diagnostics.extend(graph::cross_repository_diagnostics(&reports, &|name| {
        config.dioptra_group(name).to_string()
    }));
    apply_lint_levels(&config, None, options.deny_warnings, &mut diagnostics);

    Ok(Run {
        analysis: Analysis {
            config,
            reports,
            graph,
            diagnostics,
        },
        workspace,
        roots,
        tracking: tracking.into_iter().flatten().collect(),
        replayed: replayed.iter().filter(|r| **r).count(),
    })
}

/// Applies the configured lint levels (`allow` drops a diagnostic, `warn` and
/// `deny` set its severity) and `--deny-warnings`. Codes that guard safety keep
/// their level (the configuration cannot lower them).
fn apply_lint_levels(
    config: &Config,
    repository: Option<&str>,
    deny_warnings: bool,
    diagnostics: &mut Vec<Diagnostic>,
) {
    diagnostics.retain_mut(|diagnostic| {
        if !diagnostic.code.is_safety() {
            match config.lint_level(repository, diagnostic.code) {
                Some(crate::config::LintLevel::Allow) => return false,
                Some(crate::config::LintLevel::Warn) => {
                    diagnostic.severity = crate::diagnostics::Severity::Warning
                }
                Some(crate::config::LintLevel::Deny) => {
                    diagnostic.severity = crate::diagnostics::Severity::Error
                }
                None => {}
            }
        }
        if deny_warnings {
            diagnostic.severity = crate::diagnostics::Severity::Error;
        }
        true
    });
}

/// Keeps the repositories named by `--only` (all when empty); an unknown name
/// is a usage error with a hint.
fn select_only(
    repositories: &mut Vec<Repository>,
    only: &[String],
) -> Result<(), EnvironmentError> {
    if only.is_empty() {
        return Ok(());
    }
    let mut names: Vec<&str> = repositories.iter().map(|r| r.name.as_str()).collect();
    names.dedup();
    let diagnostics: Vec<Diagnostic> = only
        .iter()
        .filter(|name| !names.contains(&name.as_str()))
        .map(|name| unknown_repository(name, &names))
        .collect();
    if !diagnostics.is_empty() {
        return Err(EnvironmentError { diagnostics });
    }
    repositories.retain(|r| only.contains(&r.name));
    Ok(())
}

/// `--only NAME` names no repository.
pub fn unknown_repository(name: &str, names: &[&str]) -> Diagnostic {
    let diagnostic = Diagnostic::error(
        Code::EnvUnknownRepository,
        format!("no repository named `{name}` was found"),
    );
    match config::did_you_mean(name, names) {
        Some(guess) => diagnostic.with_help(format!("did you mean `{guess}`?")),
        None => diagnostic.with_help(format!("repositories found: {}", names.join(", "))),
    }
}

/// `report.json`, `junit.xml` and `report.sarif` in `dir`.
pub fn report_outputs(analysis: &Analysis, dir: &Path) -> Vec<Output> {
    emit::reports::all(analysis)
        .into_iter()
        .map(|output| {
            let path = dir.join(&output.path);
            output.moved_to(path)
        })
        .collect()
}

/// What `build-all` is asked to do besides the analysis.
#[derive(Clone, Debug, Default)]
pub struct BuildOptions {
    pub dist: PathBuf,
    /// Say why each repository was recompiled.
    pub explain: bool,
    /// Publish every repository that can be (cargo's `--keep-going`).
    pub keep_going: bool,
}

/// What happened to the dist folder.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DistOutcome {
    /// `--only`: the dist was left as it was (it holds every repository).
    Untouched,
    /// Errors without `--keep-going`: the dist now holds the reports only.
    ReportsOnly(WriteStatus),
    /// The dist holds this run's artifacts (of the published repositories).
    Artifacts(WriteStatus),
}

/// What `build-all` did.
pub struct Build {
    pub run: Run,
    /// Every diagnostic of the analysis, sorted.
    pub diagnostics: Vec<Diagnostic>,
    /// Repositories that were not published (index in the reports), and why.
    pub failed: BTreeMap<usize, Failure>,
    /// Repositories whose files and artifacts were published.
    pub published: usize,
    /// Files written inside the repositories.
    pub written: usize,
    /// Files of the dist folder.
    pub dist_files: usize,
    pub dist: DistOutcome,
    /// Files that could not be written (exit status 2).
    pub failures: Vec<Diagnostic>,
    pub rebuilt: usize,
    pub fresh: usize,
}

/// `build-all`: analyze; write the generated files of the repositories that
/// can be published and replace the dist folder, as a whole, with this run's
/// artifacts and reports; record their fingerprints. Without `keep_going` any
/// error publishes nothing (the dist then holds the reports only, so it never
/// shows an earlier run's plan next to this run's errors); with it, every
/// repository without errors of its own and without a failed dependency is
/// published. With `--only`, the selected repositories' files are written and
/// the dist is left untouched.
pub fn build(
    options: &Options,
    build_options: &BuildOptions,
    progress: &Progress,
) -> Result<Build, EnvironmentError> {
    let dist = build_options.dist.as_path();
    let config = load_config(options)?;
    // One build at a time per workspace (cargo's "Blocking waiting for file lock").
    let lock_path = config.workspace_root.join("target/xtask/lock");
    let _lock = output::lock(&lock_path, || {
        progress.log(format!(
            "Blocking waiting for file lock on the workspace ({})",
            display_path(&lock_path)
        ))
    })
    .map_err(|err| EnvironmentError::new(output::write_failure(&lock_path, &err)))?;
    let store = incremental::blob_store(&config);
    let run = analyze_workspace(config, options, Mode::Write, Some(&store), progress)?;
    let analysis = &run.analysis;
    let writes_dist = options.only.is_empty();
    let mut protected = run.roots.clone();
    protected.extend(analysis.reports.iter().map(|r| r.repository.root.clone()));
    if writes_dist
        && let Some(problem) =
            output::dist_problem(dist, &analysis.config.workspace_root, &protected)
    {
        return Err(EnvironmentError::new(
            Diagnostic::error(
                Code::EnvUnsafeDist,
                format!("`--dist {}` cannot be used: {problem}", display_path(dist)),
            )
            .with_help("the dist folder is replaced as a whole: name a folder the tool made, an empty one, or a new one (default: target/dist)"),
        ));
    }
    // What killed runs left behind goes first (it never enters a hash).
    let mut folders: Vec<PathBuf> = analysis
        .reports
        .iter()
        .flat_map(|r| {
            r.outputs
                .iter()
                .filter_map(|o| o.path.parent().map(Path::to_path_buf))
        })
        .collect();
    folders.push(incremental::cache_dir(&analysis.config));
    folders.push(check_cache::cache_dir(&analysis.config));
    folders.push(store.dir().to_path_buf());
    folders.sort();
    folders.dedup();
    let removed = output::remove_leftovers(dist, &folders);
    if removed > 0 {
        progress.verbose(format!("removed {removed} leftovers of interrupted runs"));
    }
    let failed = analysis.failures();
    let publishing = failed.is_empty() || build_options.keep_going;
    let mut build = Build {
        diagnostics: analysis.all_diagnostics(),
        published: 0,
        written: 0,
        dist_files: 0,
        dist: DistOutcome::Untouched,
        failures: Vec::new(),
        rebuilt: 0,
        fresh: 0,
        failed: if publishing {
            failed
        } else {
            all_failed(analysis, failed)
        },
        run,
    };
    let analysis = &build.run.analysis;
    let is_published = |index: &usize| !build.failed.contains_key(index);
    build.published = (0..analysis.reports.len()).filter(is_published).count();

    // Files inside the published repositories: one by one, atomically, never
    // through a symbolic link.
    let repository_outputs: Vec<(&Path, &Output)> = analysis
        .reports
        .iter()
        .enumerate()
        .filter(|(index, _)| is_published(index))
        .flat_map(|(_, r)| r.outputs.iter().map(|o| (r.repository.root.as_path(), o)))
        .collect();
    progress.stage("writing", repository_outputs.len());
    for (root, output) in &repository_outputs {
        match output.ensure_in(root, Mode::Write) {
            Ok(WriteStatus::Written) => {
                build.written += 1;
                progress.verbose(format!("wrote {}", display_path(&output.path)));
            }
            Ok(WriteStatus::Unchanged | WriteStatus::Stale) => {}
            Err(err) => build.failures.push(err.diagnostic(&output.path)),
        }
        progress.step(&display_path(&output.path));
    }

    // The dist folder: replaced as a whole, so it always shows one run.
    if writes_dist {
        progress.stage("dist", 1);
        let publication = Publication {
            failed: build.failed.clone(),
        };
        let mut dist_outputs = if publishing {
            emit::dist_outputs(analysis, dist, &publication)
        } else {
            Vec::new()
        };
        dist_outputs.extend(emit::reports::all(analysis));
        build.dist_files = dist_outputs.len();
        match output::replace_dir(dist, &dist_outputs, Mode::Write) {
            Ok(status) if publishing => build.dist = DistOutcome::Artifacts(status),
            Ok(status) => build.dist = DistOutcome::ReportsOnly(status),
            Err(err) => build.failures.push(
                Diagnostic::error(
                    Code::EnvWriteFailed,
                    format!("cannot write the dist folder: {err}"),
                )
                .at_path(display_path(dist)),
            ),
        }
        progress.step("dist");
    }
    if !build.failures.is_empty() {
        return Ok(build);
    }
    let (rebuilt, fresh) =
        record_fingerprints(&build.run, &build.failed, progress, build_options.explain);
    build.rebuilt = rebuilt;
    build.fresh = fresh;
    Ok(build)
}

/// Without `--keep-going`, an error anywhere publishes nothing: every
/// repository is listed as not published (those without errors of their own
/// because of the others).
fn all_failed(
    analysis: &Analysis,
    mut failed: BTreeMap<usize, Failure>,
) -> BTreeMap<usize, Failure> {
    for index in 0..analysis.reports.len() {
        failed.entry(index).or_insert(Failure::RunFailed);
    }
    failed
}

/// Records the fingerprint of every recompiled repository and, with `explain`,
/// says why it was recompiled and which image groups changed. Returns the
/// counts of recompiled and fresh repositories.
fn record_fingerprints(
    run: &Run,
    failed: &BTreeMap<usize, Failure>,
    progress: &Progress,
    explain: bool,
) -> (usize, usize) {
    let analysis = &run.analysis;
    let mut rebuilt = 0;
    let mut fresh = 0;
    for (index, (report, tracking)) in analysis.reports.iter().zip(&run.tracking).enumerate() {
        // Only what was published is recorded (a failed repository is
        // recompiled next time).
        if failed.contains_key(&index) {
            continue;
        }
        let environment_of = |group: &str| {
            analysis
                .graph
                .group_environments
                .get(&(report.repository.display.clone(), group.to_string()))
                .cloned()
                .flatten()
        };
        let groups = incremental::group_hashes(report, &environment_of);
        let external = report.facts.external_files(&report.repository.root);
        match &tracking.freshness {
            Freshness::Fresh => {
                fresh += 1;
                if explain {
                    progress.log(format!(
                        "fresh {}: nothing changed",
                        report.repository.display
                    ));
                }
                continue;
            }
            Freshness::Rebuilt {
                reasons,
                previous_groups,
            } => {
                rebuilt += 1;
                if explain {
                    let shown: Vec<String> =
                        reasons.iter().take(8).map(ToString::to_string).collect();
                    let more = reasons.len().saturating_sub(shown.len());
                    let mut line = format!(
                        "recompiled {}: {}",
                        report.repository.display,
                        shown.join("; ")
                    );
                    if more > 0 {
                        line.push_str(&format!(" (and {more} more)"));
                    }
                    let changed = incremental::changed_groups(previous_groups.as_ref(), &groups);
                    if !changed.is_empty() {
                        line.push_str(&format!(
                            "; image groups to rebuild: {}",
                            changed.join(", ")
                        ));
                    }
                    progress.log(line);
                }
            }
            Freshness::Untracked => rebuilt += 1,
        }
        let Some(inputs) = &tracking.inputs else {
            continue;
        };
        let written = incremental::record(
            &run.workspace,
            &analysis.config,
            report,
            inputs,
            &external,
            groups,
        )
        .and_then(|record| output::ensure(&record.entry_path, &record.entry, Mode::Write));
        if let Err(err) = written {
            progress.log(format!(
                "warning: cannot record the fingerprint of {}: {err}",
                report.repository.display
            ));
        }
    }
    (rebuilt, fresh)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A workspace in a temporary folder holding a copy of `pieces-repos/`, with
    /// `edit` applied to the copy.
    fn workspace(edit: impl FnOnce(&Path)) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        let from = Path::new(env!("CARGO_MANIFEST_DIR")).join("../pieces-repos");
        for entry in walkdir::WalkDir::new(&from) {
            let entry = entry.unwrap();
            let target = dir
                .path()
                .join("pieces-repos")
                .join(entry.path().strip_prefix(&from).unwrap());
            if entry.file_type().is_dir() {
                std::fs::create_dir_all(&target).unwrap();
            } else {
                std::fs::copy(entry.path(), &target).unwrap();
            }
        }
        std::fs::write(dir.path().join("Cargo.toml"), "[workspace]\n").unwrap();
        edit(&dir.path().join("pieces-repos"));
        dir
    }

    fn options(dir: &Path) -> Options {
        Options {
            start: Some(dir.to_path_buf()),
            incremental: true,
            jobs: Some(2),
            ..Options::default()
        }
    }

    fn build_in(dir: &Path) -> Build {
        let build_options = BuildOptions {
            dist: dir.join("target/dist"),
            ..BuildOptions::default()
        };
        let build = build(&options(dir), &build_options, &Progress::hidden()).unwrap();
        assert!(build.failures.is_empty(), "{:?}", build.failures);
        assert!(build.failed.is_empty(), "{:?}", build.diagnostics);
        build
    }

    #[test]
    fn every_input_is_read_once_per_run() {
        let dir = workspace(|_| {});
        let inputs: Vec<PathBuf> = walkdir::WalkDir::new(dir.path().join("pieces-repos"))
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .map(|e| e.into_path())
            .collect();
        // Files last modified a minute ago (a checkout), so that their stamps
        // can be trusted by the next run.
        let a_minute_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(60);
        for path in &inputs {
            let file = std::fs::File::options().write(true).open(path).unwrap();
            file.set_modified(a_minute_ago).unwrap();
        }
        let cold = build_in(dir.path());
        let counts = cold.run.workspace.read_counts();
        let twice: Vec<_> = counts.iter().filter(|(_, n)| **n > 1).collect();
        assert!(
            twice.is_empty(),
            "cold build-all read files again: {twice:?}"
        );
        let unread: Vec<_> = inputs.iter().filter(|p| !counts.contains_key(*p)).collect();
        assert!(unread.is_empty(), "cold build-all did not read {unread:?}");

        // Nothing changed: files whose size, time stamp and inode are as
        // recorded are not read at all (only the TOML files discovery looks
        // into, once each; the generated files' stamps hold their hashes, the
        // artifacts are copied from the store).
        let noop = build_in(dir.path());
        assert_eq!(noop.fresh, noop.run.analysis.reports.len());
        let counts = noop.run.workspace.read_counts();
        assert!(counts.values().all(|n| *n == 1), "{counts:?}");
        let read_inputs: Vec<&PathBuf> = inputs
            .iter()
            .filter(|p| counts.contains_key(*p))
            .filter(|p| p.extension().is_none_or(|e| e != "toml"))
            .collect();
        assert!(read_inputs.is_empty(), "a no-op read {read_inputs:?}");

        let check = analyze(&options(dir.path()), Mode::Check, &Progress::hidden()).unwrap();
        let counts = check.workspace.read_counts();
        assert!(counts.values().all(|n| *n == 1), "{counts:?}");
    }

    #[test]
    fn a_no_op_build_gives_the_same_reports_as_the_cold_one() {
        // A warning with a related location in another file (the Python task
        // file): what a fresh repository replays must be complete.
        let dir = workspace(|repos| {
            let config = repos.join("tabular-audit-dioptra/dioptra.toml");
            let text = std::fs::read_to_string(&config).unwrap();
            let edited = text.replacen(
                r#"{ name = "path", type = "string", required = true }"#,
                r#"{ name = "path", type = "string", required = false }"#,
                1,
            );
            assert_ne!(text, edited, "the fixture changed: update the edit");
            std::fs::write(&config, edited).unwrap();
        });
        let cold = build_in(dir.path());
        let warning = cold
            .diagnostics
            .iter()
            .find(|d| d.code == Code::DioptraSignatureMismatch)
            .expect("the edit gives a warning");
        assert!(!warning.related.is_empty());
        let reports = |dir: &Path| -> Vec<(String, Vec<u8>)> {
            ["report.json", "junit.xml", "report.sarif"]
                .iter()
                .map(|name| {
                    let path = dir.join("target/dist").join(name);
                    (name.to_string(), std::fs::read(path).unwrap())
                })
                .collect()
        };
        let before = reports(dir.path());
        let noop = build_in(dir.path());
        assert_eq!(
            noop.fresh,
            noop.run.analysis.reports.len(),
            "every repository is fresh"
        );
        assert_eq!(before, reports(dir.path()));
    }

    /// Every file of a folder (relative path, bytes), sorted.
    fn files(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
        let mut files: Vec<(PathBuf, Vec<u8>)> = walkdir::WalkDir::new(dir)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                let relative = e.path().strip_prefix(dir).unwrap().to_path_buf();
                (relative, std::fs::read(e.path()).unwrap())
            })
            .collect();
        files.sort();
        files
    }

    #[test]
    fn artifacts_come_from_the_store_and_a_damaged_store_file_is_rebuilt() {
        let dir = workspace(|_| {});
        let dist = dir.path().join("target/dist");
        build_in(dir.path());
        let cold = files(&dist);
        let blobs = dir.path().join("target/xtask/blobs");
        let stored = files(&blobs);
        assert!(
            cold.iter()
                .filter(|(path, _)| path.to_string_lossy().ends_with(".tar.gz"))
                .all(|(_, bytes)| stored.iter().any(|(_, blob)| blob == bytes)),
            "every archive of the dist is in the store"
        );

        // A dist removed: the fresh repositories' artifacts are copied from
        // the store, byte for byte.
        std::fs::remove_dir_all(&dist).unwrap();
        let noop = build_in(dir.path());
        assert_eq!(noop.fresh, noop.run.analysis.reports.len());
        assert_eq!(files(&dist), cold);

        // A store file of another size (or gone) is not used: its repository
        // is recompiled, and the dist is the same.
        let (name, _) = &stored[0];
        std::fs::write(blobs.join(name), "damaged").unwrap();
        let rebuilt = build_in(dir.path());
        assert_eq!(rebuilt.rebuilt, 1, "only the damaged artifact's repository");
        assert!(rebuilt.run.tracking.iter().any(|t| matches!(
            &t.freshness,
            Freshness::Rebuilt { reasons, .. } if reasons == &[incremental::DirtyReason::CacheUnrestorable]
        )));
        assert_eq!(files(&dist), cold);
        assert_eq!(std::fs::read(blobs.join(name)).unwrap(), stored[0].1);
    }
}

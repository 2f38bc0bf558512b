//! The front door: one module per command. Each calls the library and prints;
//! none calls another command's module.

pub mod bench;
pub mod build_all;
pub mod build_images;
pub mod check;
pub mod explain;
pub mod graph;
pub mod rules;

use std::process::ExitCode;

use crate::analysis::Failure;
use crate::cli::{BuildArgs, Cli, Command};
use crate::diagnostics::{Diagnostic, plural};
use crate::output::WriteStatus;
use crate::paths::display_path;
use crate::pipeline::{self, Build, DistOutcome};
use crate::progress::Progress;

/// The documented exit statuses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExitStatus {
    /// No errors (warnings allowed).
    Success = 0,
    /// Errors found in the repositories.
    Errors = 1,
    /// Usage or environment error.
    Environment = 2,
}

impl ExitStatus {
    pub fn from_diagnostics(diagnostics: &[Diagnostic]) -> Self {
        if diagnostics.iter().any(Diagnostic::is_error) {
            ExitStatus::Errors
        } else {
            ExitStatus::Success
        }
    }
}

impl From<ExitStatus> for ExitCode {
    fn from(status: ExitStatus) -> Self {
        ExitCode::from(status as u8)
    }
}

/// Runs one command line.
pub fn run(cli: &Cli) -> ExitStatus {
    match &cli.command {
        Command::Check(args) => check::run(args),
        Command::BuildAll(args) => build_all::run(args),
        Command::Graph(args) => graph::run(args),
        Command::BuildImages(args) => build_images::run(args),
        Command::Bench(args) => bench::run(args),
        Command::Rules(args) => rules::run(args),
        Command::Explain(args) => explain::run(args),
    }
}

/// Runs the build and prints what happened; also returns the build when the
/// artifacts were written (for `build-images`).
pub(super) fn build(args: &BuildArgs) -> (ExitStatus, Option<Build>) {
    let printer = args.common.printer();
    let progress = Progress::new(args.common.quiet, args.common.verbose);
    let mut options = args.common.options();
    options.incremental = !args.force;
    let build_options = args.build_options();
    let dist = &build_options.dist;
    let build = match pipeline::build(&options, &build_options, &progress) {
        Ok(build) => build,
        Err(error) => {
            progress.finish();
            printer.diagnostics(&error.diagnostics);
            return (ExitStatus::Environment, None);
        }
    };
    progress.finish();
    let analysis = &build.run.analysis;
    printer.diagnostics(&build.diagnostics);
    if !build.failures.is_empty() {
        printer.diagnostics(&build.failures);
        return (ExitStatus::Environment, None);
    }
    let status = |written: &WriteStatus| match written {
        WriteStatus::Written => "updated",
        WriteStatus::Unchanged | WriteStatus::Stale => "unchanged",
    };
    let mut parts = Vec::new();
    if build.published > 0 {
        parts.push(format!(
            "{} recompiled, {} fresh; {} written in repositories",
            plural(build.rebuilt, "repository"),
            build.fresh,
            plural(build.written, "file"),
        ));
    }
    let failed: Vec<String> = build
        .failed
        .iter()
        .filter(|(_, failure)| !matches!(failure, Failure::RunFailed))
        .map(|(index, failure)| {
            format!(
                "{} ({failure})",
                analysis.reports[*index].repository.display
            )
        })
        .collect();
    if !failed.is_empty() {
        parts.push(format!(
            "{} failed: {}",
            plural(failed.len(), "repository"),
            failed.join(", ")
        ));
    }
    parts.push(match build.dist {
        DistOutcome::Untouched => format!(
            "{} not written (--only); run build-all without --only to update it",
            display_path(dist)
        ),
        DistOutcome::ReportsOnly(written) => format!(
            "nothing published: {} {} with the reports only (--keep-going publishes the repositories without errors)",
            display_path(dist),
            status(&written)
        ),
        DistOutcome::Artifacts(written) => format!(
            "{} {} ({} files)",
            display_path(dist),
            status(&written),
            build.dist_files
        ),
    });
    if args.force {
        parts.push("--force: fingerprints ignored".to_string());
    }
    let verb = if build.published > 0 {
        "built"
    } else {
        "checked"
    };
    printer.summary(verb, analysis, &build.diagnostics, Some(&parts.join("; ")));
    let status = if build.failed.is_empty() {
        ExitStatus::from_diagnostics(&build.diagnostics)
    } else {
        ExitStatus::Errors
    };
    (status, Some(build))
}

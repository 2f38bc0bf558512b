//! The front door: one module per command. Each calls the library and prints;
//! none calls another command's module.

pub mod bench;
pub mod build_all;
pub mod build_images;
pub mod check;
pub mod graph;

use std::process::ExitCode;

use crate::cli::{BuildArgs, Cli, Command};
use crate::diagnostics::{Diagnostic, plural};
use crate::output::WriteStatus;
use crate::paths::{absolute, display_path};
use crate::pipeline::{self, Build};
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
    }
}

/// Runs the build and prints what happened; also returns the build when the
/// artifacts were written (for `build-images`).
pub(super) fn build(args: &BuildArgs) -> (ExitStatus, Option<Build>) {
    let printer = args.common.printer();
    let progress = Progress::new(args.common.quiet, args.common.verbose);
    let mut options = args.common.options();
    options.incremental = !args.force;
    let dist = absolute(&args.dist);
    let build = match pipeline::build(&options, &dist, args.explain, &progress) {
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
    if !build.artifacts_written {
        let message = format!(
            "no artifact was written; reports in {}",
            display_path(&dist)
        );
        printer.summary("checked", analysis, &build.diagnostics, Some(&message));
        return (ExitStatus::Errors, None);
    }
    let dist_message = match build.dist_status {
        WriteStatus::Written => "updated",
        WriteStatus::Unchanged | WriteStatus::Stale => "unchanged",
    };
    let mut message = format!(
        "{} recompiled, {} fresh; {} written in repositories; {} {dist_message} ({} files)",
        plural(build.rebuilt, "repository"),
        build.fresh,
        plural(build.written, "file"),
        display_path(&dist),
        build.dist_files,
    );
    if args.force {
        message.push_str("; --force: fingerprints ignored");
    }
    printer.summary("built", analysis, &build.diagnostics, Some(&message));
    let status = ExitStatus::from_diagnostics(&build.diagnostics);
    (status, Some(build))
}

//! `cargo xtask build-all`: validate, then emit every artifact. When an error is
//! found only the reports are written (so CI can show them), no artifact; every
//! file is written atomically.

use crate::artifacts;
use crate::check::{report_outputs, write_outputs};
use crate::cli::BuildArgs;
use crate::diagnostics::{Diagnostic, plural};
use crate::output::{self, Mode, Output, WriteStatus};
use crate::paths::{absolute, display_path};
use crate::pipeline::{self, Analysis, Options};
use crate::progress::Progress;
use crate::render::Printer;
use crate::{ExitStatus, options_from};

pub fn run(args: &BuildArgs) -> ExitStatus {
    build(args).0
}

/// Runs the build; also returns the analysis when artifacts were written.
pub fn build(args: &BuildArgs) -> (ExitStatus, Option<Analysis>) {
    let printer = Printer::from_args(&args.common);
    let progress = Progress::new(args.common.quiet, args.common.verbose);
    let options: Options = options_from(&args.common);
    let analysis = match pipeline::analyze(&options, Mode::Write, &progress) {
        Ok(analysis) => analysis,
        Err(error) => {
            progress.finish();
            printer.diagnostics(&error.diagnostics);
            return (ExitStatus::Environment, None);
        }
    };
    let dist = absolute(&args.dist);
    let diagnostics = analysis.all_diagnostics();
    let reports = report_outputs(&analysis, &dist);
    if diagnostics.iter().any(Diagnostic::is_error) {
        progress.finish();
        printer.diagnostics(&diagnostics);
        let failures = write_outputs(&reports);
        printer.diagnostics(&failures);
        let message = format!(
            "no artifact was written; reports in {}",
            display_path(&dist)
        );
        printer.summary("checked", &analysis, &diagnostics, Some(&message));
        return (ExitStatus::Errors, None);
    }

    let mut outputs: Vec<Output> = analysis
        .reports
        .iter()
        .flat_map(|r| r.outputs.iter().cloned())
        .collect();
    match artifacts::dist_outputs(&analysis, &dist) {
        Ok(dist_outputs) => outputs.extend(
            dist_outputs
                .into_iter()
                .map(|artifact| Output::new(dist.join(&artifact.path), artifact.bytes)),
        ),
        Err(diagnostic) => {
            progress.finish();
            printer.diagnostics(&[diagnostic]);
            return (ExitStatus::Environment, None);
        }
    }
    outputs.extend(reports);
    progress.stage("writing", outputs.len());
    let mut written = 0;
    let mut failures = Vec::new();
    for output in &outputs {
        match output::write_atomic(&output.path, &output.bytes) {
            Ok(WriteStatus::Written) => {
                written += 1;
                progress.verbose(format!("wrote {}", display_path(&output.path)));
            }
            Ok(WriteStatus::Unchanged) => {}
            Err(err) => failures.push(
                Diagnostic::error("env::write-failed", format!("cannot write file: {err}"))
                    .at_path(display_path(&output.path)),
            ),
        }
        progress.step(&display_path(&output.path));
    }
    progress.finish();
    printer.diagnostics(&diagnostics);
    if !failures.is_empty() {
        printer.diagnostics(&failures);
        return (ExitStatus::Environment, None);
    }
    let message = format!(
        "{} written, {} unchanged; artifacts in {}",
        plural(written, "file"),
        outputs.len() - written,
        display_path(&dist)
    );
    printer.summary("built", &analysis, &diagnostics, Some(&message));
    (ExitStatus::from_diagnostics(&diagnostics), Some(analysis))
}

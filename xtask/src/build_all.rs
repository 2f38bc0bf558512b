//! `cargo xtask build-all`: validate, then emit every artifact. When an error is
//! found only the reports are written (so CI can show them), no artifact; every
//! file is written atomically.

use crate::check::{report_outputs, write_outputs};
use crate::cli::BuildArgs;
use crate::diagnostics::{Diagnostic, plural};
use crate::output::{self, Mode, Output, WriteStatus};
use crate::paths::{absolute, display_path};
use crate::pipeline::{self, Options};
use crate::progress::Progress;
use crate::render::Printer;
use crate::{ExitStatus, options_from};

pub fn run(args: &BuildArgs) -> ExitStatus {
    let printer = Printer::from_args(&args.common);
    let progress = Progress::new(args.common.quiet, args.common.verbose);
    let options: Options = options_from(&args.common);
    let analysis = match pipeline::analyze(&options, Mode::Write, &progress) {
        Ok(analysis) => analysis,
        Err(error) => {
            progress.finish();
            printer.diagnostics(&error.diagnostics);
            return ExitStatus::Environment;
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
        return ExitStatus::Errors;
    }

    let mut outputs: Vec<Output> = analysis
        .reports
        .iter()
        .flat_map(|r| r.outputs.iter().cloned())
        .collect();
    outputs.extend(
        analysis
            .reports
            .iter()
            .flat_map(|r| &r.artifacts)
            .map(|artifact| Output::new(dist.join(&artifact.path), artifact.bytes.clone())),
    );
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
        return ExitStatus::Environment;
    }
    let message = format!(
        "{} written, {} unchanged; artifacts in {}",
        plural(written, "file"),
        outputs.len() - written,
        display_path(&dist)
    );
    printer.summary("built", &analysis, &diagnostics, Some(&message));
    ExitStatus::from_diagnostics(&diagnostics)
}

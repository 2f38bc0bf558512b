//! `cargo xtask build-all`: validate, then emit every artifact. When an error is
//! found only the reports are written (so CI can show them), no artifact; every
//! file is written atomically.

use crate::artifacts;
use crate::check::{report_outputs, write_outputs};
use crate::cli::BuildArgs;
use crate::codes::Code;
use crate::diagnostics::{Diagnostic, plural};
use crate::incremental;
use crate::output::{self, Mode, Output, WriteStatus};
use crate::paths::{absolute, display_path};
use crate::pipeline::{self, Analysis, Freshness, Options};
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
    let mut options: Options = options_from(&args.common);
    options.incremental = !args.force;
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

    let dist_outputs = match artifacts::dist_outputs(&analysis, &dist) {
        Ok(mut dist_outputs) => {
            dist_outputs.extend(
                reports
                    .into_iter()
                    .map(|r| Output::new(r.path.strip_prefix(&dist).unwrap_or(&r.path), r.bytes)),
            );
            dist_outputs
        }
        Err(diagnostic) => {
            progress.finish();
            printer.diagnostics(&[diagnostic]);
            return (ExitStatus::Environment, None);
        }
    };

    // Files inside the repositories: one by one, atomically.
    let repository_outputs: Vec<&Output> =
        analysis.reports.iter().flat_map(|r| &r.outputs).collect();
    progress.stage("writing", repository_outputs.len());
    let mut written = 0;
    let mut failures = Vec::new();
    for output in &repository_outputs {
        match output::write_atomic(&output.path, &output.bytes) {
            Ok(WriteStatus::Written) => {
                written += 1;
                progress.verbose(format!("wrote {}", display_path(&output.path)));
            }
            Ok(WriteStatus::Unchanged) => {}
            Err(err) => failures.push(
                Diagnostic::error(Code::EnvWriteFailed, format!("cannot write file: {err}"))
                    .at_path(display_path(&output.path)),
            ),
        }
        progress.step(&display_path(&output.path));
    }
    // The dist folder: replaced as a whole, so it never mixes two runs.
    let dist_status = match output::replace_dir(&dist, &dist_outputs) {
        Ok(status) => status,
        Err(err) => {
            failures.push(
                Diagnostic::error(
                    Code::EnvWriteFailed,
                    format!("cannot write the dist folder: {err}"),
                )
                .at_path(display_path(&dist)),
            );
            WriteStatus::Unchanged
        }
    };
    progress.finish();
    printer.diagnostics(&diagnostics);
    if !failures.is_empty() {
        printer.diagnostics(&failures);
        return (ExitStatus::Environment, None);
    }
    let (rebuilt, fresh) = record_fingerprints(&analysis, &progress, args.explain);
    let dist_message = match dist_status {
        WriteStatus::Written => "updated",
        WriteStatus::Unchanged => "unchanged",
    };
    let mut message = format!(
        "{} recompiled, {} fresh; {} written in repositories; {} {dist_message} ({} files)",
        plural(rebuilt, "repository"),
        fresh,
        plural(written, "file"),
        display_path(&dist),
        dist_outputs.len(),
    );
    if args.force {
        message.push_str("; --force: fingerprints ignored");
    }
    printer.summary("built", &analysis, &diagnostics, Some(&message));
    (ExitStatus::from_diagnostics(&diagnostics), Some(analysis))
}

/// Records the fingerprint of every recompiled repository and, with `--explain`,
/// says why it was recompiled and which image groups changed. Returns the counts
/// of recompiled and fresh repositories.
fn record_fingerprints(analysis: &Analysis, progress: &Progress, explain: bool) -> (usize, usize) {
    let mut rebuilt = 0;
    let mut fresh = 0;
    for (report, freshness) in analysis.reports.iter().zip(&analysis.freshness) {
        let environment_of = |group: &str| {
            analysis
                .graph
                .group_environments
                .get(&(report.repository.display.clone(), group.to_string()))
                .cloned()
                .flatten()
        };
        let groups = incremental::group_hashes(report, &environment_of);
        let external: Vec<std::path::PathBuf> = groups
            .keys()
            .filter_map(|group| environment_of(group))
            .filter_map(|hash| analysis.graph.environments.get(&hash))
            .flat_map(|environment| environment.files.iter().cloned())
            .collect();
        match freshness {
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
            Freshness::Rebuilt { reasons, previous } => {
                rebuilt += 1;
                if explain {
                    let shown: Vec<&str> = reasons.iter().take(8).map(String::as_str).collect();
                    let more = reasons.len().saturating_sub(shown.len());
                    let mut line = format!(
                        "recompiled {}: {}",
                        report.repository.display,
                        shown.join("; ")
                    );
                    if more > 0 {
                        line.push_str(&format!(" (and {more} more)"));
                    }
                    let changed = incremental::changed_groups(previous.as_deref(), &groups);
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
        if let Err(err) = incremental::record(&analysis.config, report, &external, groups) {
            progress.log(format!(
                "warning: cannot record the fingerprint of {}: {err}",
                report.repository.display
            ));
        }
    }
    (rebuilt, fresh)
}

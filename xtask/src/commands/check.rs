//! `cargo xtask check`: validate everything; writes nothing but its cache and
//! the optional reports.

use super::ExitStatus;
use crate::cli::CheckArgs;
use crate::options::Mode;
use crate::output;
use crate::paths::{absolute, display_path};
use crate::pipeline;
use crate::progress::Progress;

pub fn run(args: &CheckArgs) -> ExitStatus {
    let printer = args.common.printer();
    let progress = Progress::new(args.common.quiet, args.common.verbose);
    let mut options = args.common.options();
    options.incremental = !args.no_cache;
    let run = match pipeline::analyze(&options, Mode::Check, &progress) {
        Ok(run) => run,
        Err(error) => {
            progress.finish();
            printer.diagnostics(&error.diagnostics);
            return ExitStatus::Environment;
        }
    };
    if run.replayed > 0 {
        progress.verbose(format!(
            "{} of {} unchanged since their last check (replayed from {})",
            run.replayed,
            crate::diagnostics::plural(run.analysis.reports.len(), "repository"),
            display_path(&crate::incremental::check::cache_dir(&run.analysis.config))
        ));
    }
    progress.finish();
    let analysis = &run.analysis;
    let diagnostics = analysis.all_diagnostics();
    printer.diagnostics(&diagnostics);
    let mut note = None;
    if let Some(dir) = &args.report_dir {
        let dir = absolute(dir);
        let failures = output::write_all(&pipeline::report_outputs(analysis, &dir));
        if !failures.is_empty() {
            printer.diagnostics(&failures);
            return ExitStatus::Environment;
        }
        note = Some(format!("reports in {}", display_path(&dir)));
    }
    printer.summary("checked", analysis, &diagnostics, note.as_deref());
    let status = ExitStatus::from_diagnostics(&diagnostics);
    // The process exits next: the analysis (every report, schema and graph
    // node) is left to the system instead of being freed piece by piece,
    // which took about 25 ms (2%) of a check at 1,000 repositories.
    std::mem::forget(diagnostics);
    std::mem::forget(run);
    status
}

//! `cargo xtask check`: validate everything; writes nothing but the optional
//! reports.

use crate::artifacts::reports;
use crate::cli::CheckArgs;
use crate::codes::Code;
use crate::diagnostics::Diagnostic;
use crate::output::{self, Mode, Output};
use crate::paths::{absolute, display_path};
use crate::pipeline::{self, Analysis, Options};
use crate::progress::Progress;
use crate::render::Printer;
use crate::{ExitStatus, options_from};

pub fn run(args: &CheckArgs) -> ExitStatus {
    let printer = Printer::from_args(&args.common);
    let progress = Progress::new(args.common.quiet, args.common.verbose);
    let options: Options = options_from(&args.common);
    let analysis = match pipeline::analyze(&options, Mode::Check, &progress) {
        Ok(analysis) => analysis,
        Err(error) => {
            progress.finish();
            printer.diagnostics(&error.diagnostics);
            return ExitStatus::Environment;
        }
    };
    progress.finish();
    let diagnostics = analysis.all_diagnostics();
    printer.diagnostics(&diagnostics);
    let mut note = None;
    if let Some(dir) = &args.report_dir {
        let dir = absolute(dir);
        let failures = write_outputs(&report_outputs(&analysis, &dir));
        if !failures.is_empty() {
            printer.diagnostics(&failures);
            return ExitStatus::Environment;
        }
        note = Some(format!("reports in {}", display_path(&dir)));
    }
    printer.summary("checked", &analysis, &diagnostics, note.as_deref());
    ExitStatus::from_diagnostics(&diagnostics)
}

/// `report.json`, `junit.xml` and `report.sarif` in `dir`.
pub fn report_outputs(analysis: &Analysis, dir: &std::path::Path) -> Vec<Output> {
    vec![
        Output::new(dir.join("report.json"), reports::report_json(analysis)),
        Output::new(dir.join("junit.xml"), reports::junit_xml(analysis)),
        Output::new(dir.join("report.sarif"), reports::sarif(analysis)),
    ]
}

/// Writes outputs atomically; failures come back as diagnostics.
pub fn write_outputs(outputs: &[Output]) -> Vec<Diagnostic> {
    outputs
        .iter()
        .filter_map(|output| {
            output::write_atomic(&output.path, &output.bytes)
                .err()
                .map(|err| {
                    Diagnostic::error(Code::EnvWriteFailed, format!("cannot write file: {err}"))
                        .at_path(display_path(&output.path))
                })
        })
        .collect()
}

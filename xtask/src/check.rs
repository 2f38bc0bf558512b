//! `cargo xtask check`: validate everything, write nothing.

use crate::cli::CheckArgs;
use crate::output::Mode;
use crate::pipeline::{self, Options};
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
    printer.summary("checked", &analysis, &diagnostics, None);
    ExitStatus::from_diagnostics(&diagnostics)
}

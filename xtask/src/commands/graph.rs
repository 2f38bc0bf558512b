//! `cargo xtask graph`: print the monorepo graph as DOT, Mermaid or JSON.

use super::ExitStatus;
use crate::cli::GraphArgs;
use crate::codes::Code;
use crate::diagnostics::Diagnostic;
use crate::graph;
use crate::options::Mode;
use crate::pipeline;
use crate::progress::Progress;

pub fn run(args: &GraphArgs) -> ExitStatus {
    let printer = args.common.printer();
    let progress = Progress::new(args.common.quiet, args.common.verbose);
    // All repositories are analyzed (edges cross repositories); `--only` filters
    // what is printed.
    let mut options = args.common.options();
    let only = std::mem::take(&mut options.only);
    let analysis = match pipeline::analyze(&options, Mode::Check, &progress) {
        Ok(run) => run.analysis,
        Err(error) => {
            progress.finish();
            printer.diagnostics(&error.diagnostics);
            return ExitStatus::Environment;
        }
    };
    progress.finish();
    let unknown: Vec<Diagnostic> = only
        .iter()
        .filter(|name| !analysis.reports.iter().any(|r| &r.repository.name == *name))
        .map(|name| {
            Diagnostic::error(
                Code::EnvUnknownRepository,
                format!("no repository named `{name}` was found"),
            )
        })
        .collect();
    if !unknown.is_empty() {
        printer.diagnostics(&unknown);
        return ExitStatus::Environment;
    }
    print!(
        "{}",
        graph::render(&analysis.graph, args.format.into(), &only)
    );
    let diagnostics = analysis.all_diagnostics();
    let errors: Vec<Diagnostic> = diagnostics
        .iter()
        .filter(|d| d.is_error())
        .cloned()
        .collect();
    // The graph is printed anyway (stdout); problems go to stderr, in the
    // chosen message format.
    printer.diagnostics_on_stderr(&errors);
    ExitStatus::from_diagnostics(&diagnostics)
}

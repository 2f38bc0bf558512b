//! Rendering a run's diagnostics and summary, once, at the end.

use std::io::{IsTerminal, Write};

use serde_json::json;

use crate::analysis::Analysis;
use crate::diagnostics::{self, Diagnostic, plural};
use crate::report::RepositoryKind;

/// How diagnostics are printed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MessageFormat {
    /// rustc style, on stderr.
    Human,
    /// One JSON object per line on stdout, ending with a summary object.
    Json,
}

/// When to color human output.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Color {
    Auto,
    Always,
    Never,
}

/// How to print.
#[derive(Clone, Copy, Debug)]
pub struct Printer {
    pub format: MessageFormat,
    pub quiet: bool,
    pub color: bool,
}

impl Printer {
    pub fn new(format: MessageFormat, quiet: bool, color: Color) -> Self {
        let color = match color {
            Color::Always => true,
            Color::Never => false,
            Color::Auto => {
                std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none()
            }
        };
        Printer {
            format,
            quiet,
            color,
        }
    }

    /// Prints diagnostics: rustc style on stderr, or one JSON object per line on stdout.
    pub fn diagnostics(&self, diagnostics: &[Diagnostic]) {
        match self.format {
            MessageFormat::Human => {
                let mut stderr = std::io::stderr().lock();
                for diagnostic in diagnostics {
                    let _ = writeln!(stderr, "{}\n", diagnostic.render(self.color));
                }
            }
            MessageFormat::Json => {
                let mut stdout = std::io::stdout().lock();
                for diagnostic in diagnostics {
                    let _ = writeln!(stdout, "{}", diagnostic.to_json());
                }
            }
        }
    }

    /// The closing line (human) or object (json).
    pub fn summary(
        &self,
        verb: &str,
        analysis: &Analysis,
        diagnostics: &[Diagnostic],
        extra: Option<&str>,
    ) {
        let counts = diagnostics::count(diagnostics);
        let stats = analysis.stats();
        let domino = analysis.count(RepositoryKind::Domino);
        let dioptra = analysis.count(RepositoryKind::Dioptra);
        match self.format {
            MessageFormat::Human => {
                if self.quiet {
                    return;
                }
                let mut line = format!(
                    "{verb} {} ({domino} Domino, {dioptra} Dioptra): {}, {}, {} \u{2014} {}, {}",
                    plural(analysis.reports.len(), "repository"),
                    plural(stats.pieces, "piece"),
                    plural(stats.tasks, "task"),
                    plural(stats.entrypoints, "entrypoint"),
                    plural(counts.errors, "error"),
                    plural(counts.warnings, "warning"),
                );
                if let Some(extra) = extra {
                    line.push_str("; ");
                    line.push_str(extra);
                }
                eprintln!("{line}");
            }
            MessageFormat::Json => {
                let summary = json!({
                    "reason": "summary",
                    "command": verb,
                    "repositories": analysis.reports.len(),
                    "domino_repositories": domino,
                    "dioptra_repositories": dioptra,
                    "pieces": stats.pieces,
                    "plugins": stats.plugins,
                    "tasks": stats.tasks,
                    "parameter_types": stats.param_types,
                    "entrypoints": stats.entrypoints,
                    "errors": counts.errors,
                    "warnings": counts.warnings,
                    "message": extra,
                });
                println!("{summary}");
            }
        }
    }
}

//! Rendering a run's diagnostics and summary, once, at the end.

use std::io::{IsTerminal, Write};

use crate::analysis::Analysis;
use crate::diagnostics::{self, Diagnostic, plural};
use crate::report::RepositoryKind;

/// How diagnostics are printed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MessageFormat {
    /// rustc style, on stderr.
    Human,
    /// One line per diagnostic (`path:line:col: error[code]: message`), on stderr.
    Short,
    /// One JSON object per line on stdout, in cargo's `compiler-message` shape,
    /// ending with a summary object.
    Json,
    /// GitHub Actions workflow commands on stdout (`::error file=...::...`),
    /// and a Markdown summary appended to `$GITHUB_STEP_SUMMARY` when set.
    Github,
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
            // NO_COLOR wins; CLICOLOR_FORCE (not "0") forces color; else a terminal.
            Color::Auto => {
                let set = |name: &str| std::env::var_os(name).is_some_and(|v| !v.is_empty());
                let forced =
                    std::env::var("CLICOLOR_FORCE").is_ok_and(|v| !v.is_empty() && v != "0");
                !set("NO_COLOR") && (forced || std::io::stderr().is_terminal())
            }
        };
        Printer {
            format,
            quiet,
            color,
        }
    }

    /// Prints diagnostics in the chosen format.
    pub fn diagnostics(&self, diagnostics: &[Diagnostic]) {
        self.write_diagnostics(diagnostics, false);
    }

    /// Prints diagnostics in the chosen format, all on stderr (when stdout
    /// carries the command's own output, as `graph` does).
    pub fn diagnostics_on_stderr(&self, diagnostics: &[Diagnostic]) {
        self.write_diagnostics(diagnostics, true);
    }

    fn write_diagnostics(&self, diagnostics: &[Diagnostic], all_on_stderr: bool) {
        let machine = |line: String| {
            if all_on_stderr {
                let _ = writeln!(std::io::stderr().lock(), "{line}");
            } else {
                let _ = writeln!(std::io::stdout().lock(), "{line}");
            }
        };
        match self.format {
            MessageFormat::Human => {
                let mut stderr = std::io::stderr().lock();
                for diagnostic in diagnostics {
                    let _ = writeln!(stderr, "{}\n", diagnostic.render(self.color));
                }
            }
            MessageFormat::Short => {
                let mut stderr = std::io::stderr().lock();
                for diagnostic in diagnostics {
                    let _ = writeln!(stderr, "{}", diagnostic.render_short());
                }
            }
            MessageFormat::Json => {
                for diagnostic in diagnostics {
                    machine(diagnostic.to_cargo_json().to_string());
                }
            }
            MessageFormat::Github => {
                for diagnostic in diagnostics {
                    machine(diagnostic.github_command());
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
        let line = {
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
            line
        };
        match self.format {
            MessageFormat::Human | MessageFormat::Short | MessageFormat::Github => {
                if self.format == MessageFormat::Github {
                    append_step_summary(verb, analysis, diagnostics, &line);
                }
                if !self.quiet {
                    eprintln!("{line}");
                }
            }
            MessageFormat::Json => {
                let mut summary = serde_json::Map::new();
                summary.insert("reason".to_owned(), "summary".into());
                summary.insert("command".to_owned(), verb.into());
                summary.insert("repositories".to_owned(), analysis.reports.len().into());
                summary.insert("domino_repositories".to_owned(), domino.into());
                summary.insert("dioptra_repositories".to_owned(), dioptra.into());
                stats.extend_json(counts, &mut summary);
                summary.insert("message".to_owned(), line.into());
                println!("{}", serde_json::Value::Object(summary));
            }
        }
    }
}

/// Appends a Markdown summary to `$GITHUB_STEP_SUMMARY` (GitHub Actions).
fn append_step_summary(verb: &str, analysis: &Analysis, diagnostics: &[Diagnostic], line: &str) {
    let Some(path) = std::env::var_os("GITHUB_STEP_SUMMARY").filter(|p| !p.is_empty()) else {
        return;
    };
    let cell = |text: &str| text.replace('|', "\\|").replace('\n', " ");
    let mut markdown = format!("### cargo xtask {verb}\n\n{}\n\n", cell(line));
    markdown.push_str("| repository | kind | errors | warnings |\n|---|---|---:|---:|\n");
    for report in &analysis.reports {
        let counts = diagnostics::count(&report.diagnostics);
        markdown.push_str(&format!(
            "| {} | {} | {} | {} |\n",
            cell(&report.repository.display),
            report.repository.kind.as_str(),
            counts.errors,
            counts.warnings
        ));
    }
    let errors: Vec<&Diagnostic> = diagnostics
        .iter()
        .filter(|d| d.is_error())
        .take(50)
        .collect();
    if !errors.is_empty() {
        markdown.push_str("\n| error | where | message |\n|---|---|---|\n");
        for error in errors {
            let place = error
                .location
                .as_ref()
                .map(|l| l.to_short_string())
                .unwrap_or_default();
            markdown.push_str(&format!(
                "| `{}` | {} | {} |\n",
                error.code,
                cell(&place),
                cell(&error.message)
            ));
        }
    }
    markdown.push('\n');
    let _ = crate::output::append(std::path::Path::new(&path), markdown.as_bytes());
}

//! `cargo xtask bench`: medians of `check` and of `build-all`'s computation (in
//! memory; nothing is written), and optionally of the reference tool on the
//! same repositories. Timings are wall-clock, on this machine, in one run.

use std::path::Path;
use std::time::{Duration, Instant};

use super::ExitStatus;
use crate::analysis::Analysis;
use crate::cli::BenchArgs;
use crate::codes::Code;
use crate::diagnostics::Diagnostic;
use crate::emit;
use crate::options::Mode;
use crate::pipeline;
use crate::progress::Progress;
use crate::render::Printer;
use crate::report::{Repository, RepositoryKind};

/// Median, minimum and maximum of some durations.
pub fn summarize(mut samples: Vec<Duration>) -> (Duration, Duration, Duration) {
    samples.sort();
    let n = samples.len();
    let median = if n % 2 == 1 {
        samples[n / 2]
    } else {
        (samples[n / 2 - 1] + samples[n / 2]) / 2
    };
    (median, samples[0], samples[n - 1])
}

fn millis(duration: Duration) -> String {
    format!("{:.2} ms", duration.as_secs_f64() * 1000.0)
}

fn line(name: &str, samples: Vec<Duration>) -> Duration {
    let runs = samples.len();
    let (median, min, max) = summarize(samples);
    println!(
        "{name:<28} median {:>12}   min {:>12}   max {:>12}   ({runs} runs)",
        millis(median),
        millis(min),
        millis(max)
    );
    median
}

/// The durations of `runs` calls of `f`.
fn time_runs(runs: u32, mut f: impl FnMut()) -> Vec<Duration> {
    (0..runs)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed()
        })
        .collect()
}

fn speed_up(ecosystem: &str, reference: Duration, ours: Duration) {
    println!(
        "speed-up on the {ecosystem} repositories: {:.0}x (reference median / our median)",
        reference.as_secs_f64() / ours.as_secs_f64().max(1e-9)
    );
}

/// The reference tool cannot run: how to install it (`script` of tests/oracle, which sets
/// up target/oracle/`folder`).
fn reference_unavailable(
    printer: &Printer,
    message: String,
    script: &str,
    folder: &str,
) -> ExitStatus {
    printer.diagnostics(&[Diagnostic::error(Code::EnvReferenceUnavailable, message)
        .with_help(format!("install it with `bash tests/oracle/{script} --check` (it sets up target/oracle/{folder} on first use)"))]);
    ExitStatus::Environment
}

pub fn run(args: &BenchArgs) -> ExitStatus {
    let printer = args.common.printer();
    let progress = Progress::hidden();
    let options = args.common.options();
    let analyze = |mode| pipeline::analyze(&options, mode, &progress);
    // Warm-up (file system cache), and a sanity check of the input.
    let analysis: Analysis = match analyze(Mode::Check) {
        Ok(run) => run.analysis,
        Err(error) => {
            printer.diagnostics(&error.diagnostics);
            return ExitStatus::Environment;
        }
    };
    let domino_repos: Vec<_> = analysis
        .reports
        .iter()
        .filter(|r| r.repository.kind == RepositoryKind::Domino)
        .map(|r| (r.repository.root.clone(), r.repository.name.clone()))
        .collect();
    println!(
        "benchmark on {} repositories ({} Domino, {} Dioptra), {} runs each",
        analysis.reports.len(),
        analysis.count(RepositoryKind::Domino),
        analysis.count(RepositoryKind::Dioptra),
        args.runs
    );
    let dist = std::env::temp_dir().join("xtask-bench-dist");
    let mut check = Vec::new();
    let mut build = Vec::new();
    for _ in 0..args.runs {
        let start = Instant::now();
        let _ = analyze(Mode::Check);
        check.push(start.elapsed());
        let start = Instant::now();
        if let Ok(run) = analyze(Mode::Write) {
            // The dist is compared, not written (the output gateway's check mode).
            let outputs = emit::dist_outputs(&run.analysis, &dist, &emit::Publication::default());
            let _ = crate::output::replace_dir(&dist, &outputs, Mode::Check);
        }
        build.push(start.elapsed());
    }
    line("check", check);
    line("build-all (in memory)", build);

    if args.reference {
        let ours_domino_only = {
            let mut domino_options = options.clone();
            domino_options.only = domino_repos.iter().map(|(_, name)| name.clone()).collect();
            let samples = time_runs(args.runs, || {
                let _ = pipeline::analyze(&domino_options, Mode::Write, &progress);
            });
            line("ours, Domino repos only", samples)
        };
        let dioptra_repos: Vec<_> = analysis
            .reports
            .iter()
            .filter(|r| r.repository.kind == RepositoryKind::Dioptra)
            .map(|r| r.repository.clone())
            .collect();
        if !dioptra_repos.is_empty() {
            let mut dioptra_options = options.clone();
            dioptra_options.only = dioptra_repos.iter().map(|r| r.name.clone()).collect();
            let samples = time_runs(args.runs, || {
                let _ = pipeline::analyze(&dioptra_options, Mode::Check, &progress);
            });
            let ours = line("ours, Dioptra repos only", samples);
            match reference_dioptra(&analysis, &dioptra_repos, args.runs) {
                Ok(reference) => {
                    println!(
                        "{:<28} median {:>12}   (sum over {} configs of the median import request, {} runs each)",
                        "Dioptra 1.2.2 import",
                        millis(reference),
                        dioptra_repos
                            .iter()
                            .map(|r| r.resource_configs.len())
                            .sum::<usize>(),
                        args.runs
                    );
                    speed_up("Dioptra", reference, ours);
                }
                Err(message) => {
                    return reference_unavailable(
                        &printer,
                        message,
                        "dioptra_verdicts.sh",
                        "dioptra",
                    );
                }
            }
        }
        match reference_domino(&analysis, &domino_repos, args.runs) {
            Ok(samples) => {
                let reference = line("domino piece organize", samples);
                speed_up("Domino", reference, ours_domino_only);
            }
            Err(message) => {
                return reference_unavailable(&printer, message, "domino_goldens.sh", "domino");
            }
        }
    }
    ExitStatus::Success
}

/// Times `domino piece organize` on a fresh copy of every Domino repository, per run.
fn reference_domino(
    analysis: &Analysis,
    repos: &[(std::path::PathBuf, String)],
    runs: u32,
) -> Result<Vec<Duration>, String> {
    let domino = analysis
        .config
        .workspace_root
        .join("target/oracle/domino/bin/domino");
    if !domino.is_file() {
        return Err(format!(
            "the reference tool is not installed at {}",
            domino.display()
        ));
    }
    let shell = xshell::Shell::new().map_err(|err| err.to_string())?;
    let scratch = crate::output::scratch_dir().map_err(|err| err.to_string())?;
    let mut samples = Vec::new();
    for run in 0..runs {
        let mut total = Duration::ZERO;
        for (root, name) in repos {
            let copy = scratch.path().join(format!("{run}-{name}"));
            copy_tree(root, &copy).map_err(|err| err.to_string())?;
            let url = analysis.config.source_url(name).map_or_else(
                || format!("https://github.com/example/{name}"),
                str::to_string,
            );
            shell.change_dir(&copy);
            let start = Instant::now();
            xshell::cmd!(shell, "{domino} piece organize --source-url={url}")
                .stdin("n\n")
                .quiet()
                .ignore_stdout()
                .ignore_stderr()
                .run()
                .map_err(|err| format!("the reference failed on {name}: {err}"))?;
            total += start.elapsed();
        }
        samples.push(total);
    }
    Ok(samples)
}

/// Dioptra 1.2.2 importing every resource config in-process (its Flask test
/// app, tests/oracle/dioptra_oracle.py --time): the sum of the per-config medians
/// of the import request alone (app start-up and database set-up excluded).
fn reference_dioptra(
    analysis: &Analysis,
    repos: &[Repository],
    runs: u32,
) -> Result<Duration, String> {
    let root = &analysis.config.workspace_root;
    let python = root.join("target/oracle/dioptra/bin/python");
    let oracle = root.join("tests/oracle/dioptra_oracle.py");
    if !python.is_file() || !oracle.is_file() {
        return Err(format!(
            "the reference is not installed at {}",
            python.display()
        ));
    }
    let targets: Vec<String> = repos
        .iter()
        .flat_map(|repo| {
            repo.resource_configs.iter().map(move |config| {
                let relative = config.strip_prefix(&repo.root).unwrap_or(config);
                format!(
                    "{}::{}",
                    repo.root.display(),
                    crate::paths::to_slash(relative)
                )
            })
        })
        .collect();
    let shell = xshell::Shell::new().map_err(|err| err.to_string())?;
    let runs = runs.max(1).to_string();
    let output = xshell::cmd!(shell, "{python} {oracle} --time {runs} {targets...}")
        .quiet()
        .ignore_stderr()
        .read()
        .map_err(|err| format!("the Dioptra oracle failed: {err}"))?;
    let timings: serde_json::Value =
        serde_json::from_str(&output).map_err(|err| format!("unexpected oracle output: {err}"))?;
    let total: f64 = timings
        .as_object()
        .map(|m| {
            m.values()
                .filter_map(|v| v["median_seconds"].as_f64())
                .sum()
        })
        .unwrap_or(0.0);
    Ok(Duration::from_secs_f64(total))
}

/// Copies a repository (read through the input gateway, written through the
/// output gateway) for the reference tool to work on.
fn copy_tree(from: &Path, to: &Path) -> std::io::Result<()> {
    let workspace = crate::input::Workspace::new(from);
    for (relative, path) in workspace.walk_files(from, &|_| false, &|_| true) {
        let bytes = workspace
            .read_once(&path)
            .map_err(|err| std::io::Error::other(format!("{relative}: {err}")))?;
        crate::output::ensure(&to.join(&relative), &bytes, Mode::Write)
            .map_err(|err| std::io::Error::other(err.to_string()))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn medians() {
        let ms = Duration::from_millis;
        assert_eq!(summarize(vec![ms(3), ms(1), ms(2)]), (ms(2), ms(1), ms(3)));
        assert_eq!(
            summarize(vec![ms(4), ms(1), ms(2), ms(3)]).0,
            Duration::from_micros(2500)
        );
    }
}

//! `cargo xtask bench`: medians of `check` and of `build-all`'s computation (in
//! memory; nothing is written), and optionally of the reference tool on the
//! same repositories. Timings are wall-clock, on this machine, in one run.
//!
//! With `--synthetic N`: a generated monorepo of N repositories ([`synthetic`]),
//! built once, then a cold and a no-op `build-all`, `check --no-cache` (every
//! repository read and parsed), `check` recording its cache and `check`
//! replaying it (nothing changed) timed as separate processes of this binary,
//! interleaved round by round with the floor (reading every file of the
//! repositories once), so that the load of the machine affects all of them
//! alike.

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
use crate::synthetic;

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

/// A reference tool `bench --reference` times: the files it needs under the
/// workspace root, and the oracle script that installs it under target/oracle/.
struct Reference {
    kind: RepositoryKind,
    files: &'static [&'static str],
    script: &'static str,
    folder: &'static str,
}

const REFERENCES: &[Reference] = &[
    Reference {
        kind: RepositoryKind::Domino,
        files: &[DOMINO_BIN],
        script: "domino_goldens.sh",
        folder: "domino",
    },
    Reference {
        kind: RepositoryKind::Dioptra,
        files: &[DIOPTRA_PYTHON, DIOPTRA_ORACLE],
        script: "dioptra_verdicts.sh",
        folder: "dioptra",
    },
];

const DOMINO_BIN: &str = "target/oracle/domino/bin/domino";
const DIOPTRA_PYTHON: &str = "target/oracle/dioptra/bin/python";
const DIOPTRA_ORACLE: &str = "tests/oracle/dioptra_oracle.py";

impl Reference {
    /// Are its files there? The message names the first missing one.
    fn installed(&self, root: &Path) -> Result<(), String> {
        match self
            .files
            .iter()
            .map(|f| root.join(f))
            .find(|p| !p.is_file())
        {
            None => Ok(()),
            Some(missing) => Err(format!(
                "the reference tool is not installed: {} is missing",
                missing.display()
            )),
        }
    }
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
    if let Some(n) = args.synthetic {
        return run_synthetic(args, n as usize);
    }
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
    // The reference tools are looked for before any timing: a missing one
    // fails the command at once, not after our own runs.
    if args.reference {
        let root = &analysis.config.workspace_root;
        let has = |kind| analysis.count(kind) > 0;
        for reference in REFERENCES {
            if has(reference.kind)
                && let Err(message) = reference.installed(root)
            {
                return reference_unavailable(
                    &printer,
                    message,
                    reference.script,
                    reference.folder,
                );
            }
        }
    }
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
        let ours_domino_only = (!domino_repos.is_empty()).then(|| {
            let mut domino_options = options.clone();
            domino_options.only = domino_repos.iter().map(|(_, name)| name.clone()).collect();
            let samples = time_runs(args.runs, || {
                let _ = pipeline::analyze(&domino_options, Mode::Write, &progress);
            });
            line("ours, Domino repos only", samples)
        });
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
        if let Some(ours) = ours_domino_only {
            match reference_domino(&analysis, &domino_repos, args.runs) {
                Ok((samples, rejected)) => {
                    for (name, reason) in &rejected {
                        eprintln!(
                            "warning: the reference rejects {name} ({reason}); its time is left out, so the ratio below is a lower bound"
                        );
                    }
                    if rejected.len() < domino_repos.len() {
                        let reference = line("domino piece organize", samples);
                        speed_up("Domino", reference, ours);
                    }
                }
                Err(message) => {
                    return reference_unavailable(&printer, message, "domino_goldens.sh", "domino");
                }
            }
        }
    }
    ExitStatus::Success
}

/// Repositories the reference rejects, with why (its exit status and last line).
type Rejections = Vec<(String, String)>;

/// Times `domino piece organize` on a fresh copy of every Domino repository, per run.
/// A repository the reference rejects (a non-zero exit) is reported with the last line
/// of its output and left out of the time; a reference that cannot start is an error.
fn reference_domino(
    analysis: &Analysis,
    repos: &[(std::path::PathBuf, String)],
    runs: u32,
) -> Result<(Vec<Duration>, Rejections), String> {
    use std::io::Write as _;
    use std::process::{Command, Stdio};
    // Installed: `run` looked for it (`Reference::installed`) before any timing.
    let domino = analysis.config.workspace_root.join(DOMINO_BIN);
    let scratch = crate::output::scratch_dir().map_err(|err| err.to_string())?;
    let mut samples = Vec::new();
    let mut rejected: Rejections = Vec::new();
    for run in 0..runs {
        let mut total = Duration::ZERO;
        for (root, name) in repos {
            if rejected.iter().any(|(r, _)| r == name) {
                continue;
            }
            let copy = scratch.path().join(format!("{run}-{name}"));
            copy_tree(root, &copy).map_err(|err| err.to_string())?;
            let url = analysis.config.source_url(name).map_or_else(
                || format!("https://github.com/example/{name}"),
                str::to_string,
            );
            let start = Instant::now();
            let mut child = Command::new(&domino)
                .args(["piece", "organize", &format!("--source-url={url}")])
                .current_dir(&copy)
                .stdin(Stdio::piped())
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .spawn()
                .map_err(|err| format!("the reference cannot start on {name}: {err}"))?;
            if let Some(mut stdin) = child.stdin.take() {
                let _ = stdin.write_all(b"n\n");
            }
            let output = child
                .wait_with_output()
                .map_err(|err| format!("the reference cannot run on {name}: {err}"))?;
            let elapsed = start.elapsed();
            if output.status.success() {
                total += elapsed;
            } else {
                let stderr = String::from_utf8_lossy(&output.stderr);
                let reason = stderr
                    .lines()
                    .rev()
                    .find(|l| !l.trim().is_empty())
                    .unwrap_or("no message")
                    .trim()
                    .to_string();
                rejected.push((name.clone(), format!("{}: {reason}", output.status)));
            }
        }
        samples.push(total);
    }
    Ok((samples, rejected))
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
    let python = root.join(DIOPTRA_PYTHON);
    // Installed: `run` looked for both (`Reference::installed`) before any timing.
    let oracle = root.join(DIOPTRA_ORACLE);
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

/// One run of a child process.
struct Sample {
    elapsed: Duration,
    /// The child's CPU time (user and system, all its threads), from `wait4`:
    /// what the run costs whatever else the machine is doing.
    cpu: Duration,
    /// The child's `ru_maxrss` (KiB on Linux), from `wait4`.
    max_rss_kib: u64,
    /// This process's own peak at the spawn ([`own_peak_kib`]): Linux counts
    /// the parent's pages in the child's `ru_maxrss` (the spawn shares or
    /// copies them before `exec`), so a child's value is its own peak only when
    /// it is above this.
    inherited_kib: u64,
    stdout: String,
}

/// The peak resident set size of this process's memory so far (KiB), which
/// the spawn hands down to a child's `ru_maxrss`: Linux's `VmHWM` (read through
/// the input gateway; not `getrusage`, which also counts what the parent of
/// this process, e.g. cargo, handed down to it), else `getrusage`.
#[cfg(unix)]
fn own_peak_kib() -> u64 {
    let proc_self = Path::new("/proc/self");
    let status = crate::input::Workspace::new(proc_self)
        .read_once(&proc_self.join("status"))
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok());
    let hwm = status.as_deref().and_then(|status| {
        let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
        line.split_whitespace().nth(1)?.parse().ok()
    });
    if let Some(hwm) = hwm {
        return hwm;
    }
    // SAFETY: `rusage` is plain data, valid when zeroed.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: `usage` is valid for writes.
    if unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut usage) } != 0 {
        return 0;
    }
    u64::try_from(usage.ru_maxrss).unwrap_or(0)
}

#[cfg(not(unix))]
fn own_peak_kib() -> u64 {
    0
}

/// Runs `exe args` in `dir` with `CI=true` and waits for it with `wait4`, for
/// its resource usage. A failure (any exit status but 0) carries its output.
fn time_child(exe: &Path, dir: &Path, args: &[String]) -> Result<Sample, String> {
    use std::io::Read as _;
    use std::process::{Command, Stdio};
    let describe = || {
        format!(
            "`{} {}` in {}",
            exe.display(),
            args.join(" "),
            dir.display()
        )
    };
    let inherited_kib = own_peak_kib();
    let start = Instant::now();
    let mut child = Command::new(exe)
        .args(args)
        .current_dir(dir)
        .env("CI", "true")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|err| format!("{} cannot start: {err}", describe()))?;
    let drain = |pipe: Option<Box<dyn std::io::Read + Send>>| {
        std::thread::spawn(move || {
            let mut text = Vec::new();
            if let Some(mut pipe) = pipe {
                let _ = pipe.read_to_end(&mut text);
            }
            String::from_utf8_lossy(&text).into_owned()
        })
    };
    let stdout = drain(child.stdout.take().map(|p| Box::new(p) as Box<_>));
    let stderr = drain(child.stderr.take().map(|p| Box::new(p) as Box<_>));
    let (status, max_rss_kib, cpu) =
        wait_with_usage(&mut child).map_err(|err| format!("{}: {err}", describe()))?;
    let elapsed = start.elapsed();
    let (stdout, stderr) = (
        stdout.join().unwrap_or_default(),
        stderr.join().unwrap_or_default(),
    );
    if !status.success() {
        return Err(format!(
            "{} failed ({status}):\n{stdout}{stderr}",
            describe()
        ));
    }
    Ok(Sample {
        elapsed,
        cpu,
        max_rss_kib,
        inherited_kib,
        stdout,
    })
}

/// Waits for the child with `wait4`: its exit status, `ru_maxrss` and CPU time.
#[cfg(unix)]
fn wait_with_usage(
    child: &mut std::process::Child,
) -> std::io::Result<(std::process::ExitStatus, u64, Duration)> {
    use std::os::unix::process::ExitStatusExt as _;
    let pid = libc::pid_t::try_from(child.id()).map_err(std::io::Error::other)?;
    let mut status: libc::c_int = 0;
    // SAFETY: `rusage` is plain data, valid when zeroed.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    loop {
        // SAFETY: `pid` is our child, not waited for yet (the `Child` is never
        // waited on); `status` and `usage` are valid for writes.
        let reaped = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
        if reaped == pid {
            break;
        }
        let err = std::io::Error::last_os_error();
        if err.kind() != std::io::ErrorKind::Interrupted {
            return Err(err);
        }
    }
    let max_rss = u64::try_from(usage.ru_maxrss).unwrap_or(0);
    Ok((
        std::process::ExitStatus::from_raw(status),
        max_rss,
        cpu_time(&usage),
    ))
}

#[cfg(unix)]
fn cpu_time(usage: &libc::rusage) -> Duration {
    let time = |t: libc::timeval| {
        Duration::from_secs(u64::try_from(t.tv_sec).unwrap_or(0))
            + Duration::from_micros(u64::try_from(t.tv_usec).unwrap_or(0))
    };
    time(usage.ru_utime) + time(usage.ru_stime)
}

/// This process's CPU time so far (user and system).
#[cfg(unix)]
fn own_cpu_time() -> Duration {
    // SAFETY: `rusage` is plain data, valid when zeroed.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: `usage` is valid for writes.
    if unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut usage) } != 0 {
        return Duration::ZERO;
    }
    cpu_time(&usage)
}

#[cfg(not(unix))]
fn own_cpu_time() -> Duration {
    Duration::ZERO
}

#[cfg(not(unix))]
fn wait_with_usage(
    child: &mut std::process::Child,
) -> std::io::Result<(std::process::ExitStatus, u64, Duration)> {
    Ok((child.wait()?, 0, Duration::ZERO))
}

/// The floor: every file under `repos/` walked and read once, through the input
/// gateway (a fresh one: nothing is cached). Returns its wall and CPU time and
/// the files and bytes read.
fn read_floor(dir: &Path) -> Result<(Duration, Duration, usize, u64), String> {
    let start = Instant::now();
    let cpu_start = own_cpu_time();
    let workspace = crate::input::Workspace::new(dir);
    let files = workspace.walk_files(&dir.join(synthetic::ROOT), &|_| false, &|_| true);
    let mut bytes = 0;
    for (relative, path) in &files {
        bytes += workspace
            .read_once(path)
            .map_err(|err| format!("{relative}: {err}"))?
            .len() as u64;
    }
    Ok((
        start.elapsed(),
        own_cpu_time().saturating_sub(cpu_start),
        files.len(),
        bytes,
    ))
}

/// Removes what makes a build warm: the fingerprints and cache (`target/xtask`)
/// and the dist (`target/dist`) of the synthetic workspace.
fn remove_build_state(dir: &Path) -> Result<(), String> {
    for folder in ["target/xtask", "target/dist"] {
        let path = dir.join(folder);
        match std::fs::remove_dir_all(&path) {
            Ok(()) => {}
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => {}
            Err(err) => return Err(format!("cannot remove {}: {err}", path.display())),
        }
    }
    Ok(())
}

fn mib(kib: u64) -> String {
    format!("{:.1} MiB", kib as f64 / 1024.0)
}

/// Runs `build-all` on the synthetic monorepo through the binary (so that its
/// committed `.domino/` files are up to date), then `check`, which must find
/// no error and every repository: a benchmark of a broken monorepo measures
/// the wrong thing. Returns check's JSON summary.
fn build_and_check(
    exe: &Path,
    dir: &Path,
    n: usize,
    common: &[String],
) -> Result<serde_json::Value, String> {
    let args = |words: &[&str]| -> Vec<String> {
        words
            .iter()
            .map(|w| w.to_string())
            .chain(common.iter().cloned())
            .collect()
    };
    let broken = |what: &str, detail: String| {
        format!(
            "{what} of the synthetic monorepo at {} failed, a benchmark of it would measure the wrong thing: {detail}",
            dir.display()
        )
    };
    time_child(exe, dir, &args(&["build-all", "--quiet"]))
        .map_err(|detail| broken("build-all", detail))?;
    let check = time_child(
        exe,
        dir,
        &args(&["check", "--quiet", "--message-format", "json"]),
    )
    .map_err(|detail| broken("check", detail))?;
    let summary = check
        .stdout
        .lines()
        .rev()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .find(|value| value["reason"] == "summary")
        .ok_or_else(|| {
            broken(
                "check",
                format!("no summary in its output:\n{}", check.stdout),
            )
        })?;
    if summary["errors"] != 0 || summary["repositories"] != n {
        return Err(broken(
            "check",
            format!("{n} repositories were generated; its summary is {summary}"),
        ));
    }
    Ok(summary)
}

/// The environments of the built dist's catalog: how many, how many groups
/// use one, and how many are used by several repositories.
fn environment_counts(dir: &Path) -> Option<(usize, usize, usize)> {
    let path = dir.join("target/dist/catalog.json");
    let bytes = crate::input::Workspace::new(dir).read_once(&path).ok()?;
    let catalog: serde_json::Value = serde_json::from_slice(&bytes).ok()?;
    let environments = catalog["environments"].as_array()?;
    let mut groups = 0;
    let mut shared = 0;
    for environment in environments {
        let users: Vec<&str> = environment["groups"]
            .as_array()
            .map(|g| g.iter().filter_map(|v| v.as_str()).collect())
            .unwrap_or_default();
        groups += users.len();
        let repos: std::collections::BTreeSet<&str> = users
            .iter()
            .map(|group| group.rsplit_once(':').map_or(*group, |(repo, _)| repo))
            .collect();
        shared += usize::from(repos.len() > 1);
    }
    Some((environments.len(), groups, shared))
}

/// `bench --synthetic N`.
fn run_synthetic(args: &BenchArgs, n: usize) -> ExitStatus {
    let printer = args.common.printer();
    let fail = |message: String| {
        eprintln!("error: {message}");
        ExitStatus::Environment
    };
    let cwd = match std::env::current_dir() {
        Ok(cwd) => cwd,
        Err(err) => return fail(format!("cannot read the working directory: {err}")),
    };
    let workspace_root = crate::config::find_workspace_root(&cwd).unwrap_or(cwd);
    let examples = workspace_root.join(crate::config::DEFAULT_ROOT);
    let dir = args.synthetic_dir.as_deref().map_or_else(
        || synthetic::default_dir(&workspace_root, n),
        crate::paths::absolute,
    );
    let exe = match std::env::current_exe() {
        Ok(exe) => exe,
        Err(err) => return fail(format!("cannot find this executable: {err}")),
    };
    let mut common = Vec::new();
    if let Some(jobs) = args.common.jobs {
        common.extend(["-j".to_string(), jobs.to_string()]);
    }

    // Everything heavy runs in the children: this process stays small, so
    // that its own pages do not hide theirs in `ru_maxrss` (see `Sample`).
    let started = Instant::now();
    let summary = match synthetic::generate(&examples, &dir, n) {
        Ok(summary) => summary,
        Err(diagnostic) => {
            printer.diagnostics(&[diagnostic]);
            return fail("the synthetic monorepo cannot be generated".to_string());
        }
    };
    let generated = started.elapsed();
    let check = match build_and_check(&exe, &summary.dir, n, &common) {
        Ok(check) => check,
        Err(message) => return fail(message),
    };
    let prepared = started.elapsed();
    let (_, _, floor_files, floor_bytes) = match read_floor(&summary.dir) {
        Ok(floor) => floor,
        Err(message) => return fail(message),
    };
    println!(
        "synthetic monorepo: {} repositories ({} Domino, {} Dioptra), {} pieces, {} tasks, {} entrypoints, {} warnings; {floor_files} files, {} under {}/",
        check["repositories"],
        check["domino_repositories"],
        check["dioptra_repositories"],
        check["pieces"],
        check["tasks"],
        check["entrypoints"],
        check["warnings"],
        mib(floor_bytes / 1024),
        synthetic::ROOT,
    );
    if let Some((environments, groups, shared)) = environment_counts(&summary.dir) {
        println!(
            "{environments} dependency environments, used by {groups} Domino groups ({shared} shared by several repositories)"
        );
    }
    println!(
        "at {} ({} in {:.1} s; build-all and check, 0 errors, in {:.1} s)",
        summary.dir.display(),
        if summary.reused {
            "reused"
        } else {
            "generated"
        },
        generated.as_secs_f64(),
        (prepared - generated).as_secs_f64()
    );

    let command = |words: &[&str]| -> Vec<String> {
        let mut all: Vec<String> = words.iter().map(|w| w.to_string()).collect();
        all.extend(common.iter().cloned());
        all
    };
    // In each round: the cold build (which removes `target/xtask/`), the no-op
    // build right after it, check without its cache (every repository read and
    // parsed, nothing recorded), check recording every result (the cache is
    // empty), check replaying them (nothing changed), the floor.
    let kinds: [(&str, Vec<String>, bool); 5] = [
        (
            "build-all --quiet (cold)",
            command(&["build-all", "--quiet"]),
            true,
        ),
        (
            "build-all --quiet (no-op)",
            command(&["build-all", "--quiet"]),
            false,
        ),
        (
            "check --quiet --no-cache",
            command(&["check", "--quiet", "--no-cache"]),
            false,
        ),
        (
            "check --quiet (recording)",
            command(&["check", "--quiet"]),
            false,
        ),
        (
            "check --quiet (replayed)",
            command(&["check", "--quiet"]),
            false,
        ),
    ];
    let mut samples: Vec<Vec<Sample>> = kinds.iter().map(|_| Vec::new()).collect();
    let mut floor = Vec::new();
    let mut floor_cpu = Vec::new();
    // The issue's own floor, as a shell runs it (where there is one).
    let shell_floor = [
        "-c".to_string(),
        format!(
            "find {} -type f -exec cat {{}} + > /dev/null",
            synthetic::ROOT
        ),
    ];
    let mut find_cat = Some(Vec::new());
    for _ in 0..args.runs {
        for ((_, words, cold), samples) in kinds.iter().zip(&mut samples) {
            if *cold && let Err(message) = remove_build_state(&summary.dir) {
                return fail(message);
            }
            match time_child(&exe, &summary.dir, words) {
                Ok(sample) => samples.push(sample),
                Err(message) => return fail(message),
            }
        }
        match read_floor(&summary.dir) {
            Ok((elapsed, cpu, _, _)) => {
                floor.push(elapsed);
                floor_cpu.push(cpu);
            }
            Err(message) => return fail(message),
        }
        if let Some(samples) = &mut find_cat {
            match time_child(Path::new("sh"), &summary.dir, &shell_floor) {
                Ok(sample) => samples.push(sample),
                Err(_) => find_cat = None,
            }
        }
    }

    println!(
        "{} interleaved rounds; each command a separate process `{} <command>{}` in the workspace, CI=true",
        args.runs,
        exe.display(),
        common.iter().map(|w| format!(" {w}")).collect::<String>()
    );
    println!(
        "{:<36} {:>12} {:>12} {:>12} {:>12} {:>12}",
        "what", "median", "min", "max", "CPU median", "peak RSS"
    );
    let row = |name: &str, durations: Vec<Duration>, cpu: Vec<Duration>, rss: String| {
        let (median, min, max) = summarize(durations);
        let (cpu, _, _) = summarize(cpu);
        println!(
            "{name:<36} {:>12} {:>12} {:>12} {:>12} {rss:>12}",
            millis(median),
            millis(min),
            millis(max),
            millis(cpu),
        );
        (median, cpu)
    };
    let mut medians = Vec::new();
    let mut bounded = false;
    for ((name, _, _), samples) in kinds.iter().zip(&samples) {
        let peak = samples.iter().map(|s| s.max_rss_kib).max().unwrap_or(0);
        // A value not above what the parent had is a bound, not the child's own.
        let exact = samples.iter().all(|s| s.max_rss_kib > s.inherited_kib);
        bounded |= !exact;
        let rss = if exact {
            mib(peak)
        } else {
            format!("<= {}", mib(peak))
        };
        medians.push(row(
            name,
            samples.iter().map(|s| s.elapsed).collect(),
            samples.iter().map(|s| s.cpu).collect(),
            rss,
        ));
    }
    let (floor, floor_cpu) = row(
        "floor: read repos/ once (in process)",
        floor,
        floor_cpu,
        "-".to_string(),
    );
    let find_cat = find_cat.map(|samples| {
        row(
            "floor: find -type f -exec cat {} +",
            samples.iter().map(|s| s.elapsed).collect(),
            samples.iter().map(|s| s.cpu).collect(),
            "-".to_string(),
        )
    });
    let ((noop, noop_cpu), (check, check_cpu), (replayed, replayed_cpu)) =
        (medians[1], medians[2], medians[4]);
    let ratio = |a: Duration, b: Duration| a.as_secs_f64() / b.as_secs_f64().max(1e-9);
    if let Some((shell, _)) = find_cat {
        println!(
            "check / find-cat floor: {:.1}x (no cache), {:.1}x (recording)   (wall medians; the issue's floor command, run by sh; the in-process floor is the stricter one)",
            ratio(check, shell),
            ratio(medians[3].0, shell),
        );
    }
    println!(
        "check / floor: {:.1}x (no cache), {:.1}x (recording), {:.2}x (replayed)   no-op / check: {:.2}x   (wall medians)",
        ratio(check, floor),
        ratio(medians[3].0, floor),
        ratio(replayed, floor),
        ratio(noop, check)
    );
    println!(
        "check / floor: {:.1}x (no cache), {:.2}x (replayed)   no-op / check: {:.2}x   (CPU medians: user + system time, all threads; peak RSS: the largest ru_maxrss over the runs)",
        ratio(check_cpu, floor_cpu),
        ratio(replayed_cpu, floor_cpu),
        ratio(noop_cpu, check_cpu)
    );
    if bounded {
        println!(
            "<=: not above this process's own peak ({}), which Linux counts in a child's ru_maxrss",
            mib(own_peak_kib())
        );
    }
    ExitStatus::Success
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

    /// The generator's result, built and checked in process: 0 errors.
    #[test]
    fn a_small_synthetic_monorepo_builds_and_checks_without_errors() {
        let temp = tempfile::tempdir().unwrap();
        let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("../pieces-repos");
        let summary = synthetic::generate(&examples, &temp.path().join("synthetic-8"), 8).unwrap();
        let dir = summary.dir.clone();
        let options = pipeline::Options {
            start: Some(dir.clone()),
            jobs: Some(2),
            incremental: true,
            ..pipeline::Options::default()
        };
        let build_options = pipeline::BuildOptions {
            dist: dir.join("target/dist"),
            ..pipeline::BuildOptions::default()
        };
        let progress = Progress::hidden();
        let errors = |diagnostics: &[Diagnostic]| -> Vec<String> {
            diagnostics
                .iter()
                .filter(|d| d.is_error())
                .map(|d| d.render(false))
                .collect()
        };
        let build = pipeline::build(&options, &build_options, &progress).unwrap();
        assert!(build.failures.is_empty(), "{:?}", errors(&build.failures));
        assert_eq!(errors(&build.diagnostics), Vec::<String>::new());
        let options = pipeline::Options {
            incremental: false,
            ..options
        };
        let check = pipeline::analyze(&options, Mode::Check, &progress).unwrap();
        let analysis = &check.analysis;
        assert_eq!(errors(&analysis.all_diagnostics()), Vec::<String>::new());
        assert_eq!(analysis.reports.len(), 8);
        assert_eq!(analysis.count(RepositoryKind::Domino), 7);
        assert_eq!(analysis.count(RepositoryKind::Dioptra), 1);
        assert_eq!(analysis.stats().pieces, summary.pieces());
        let mut names: Vec<&str> = analysis
            .reports
            .iter()
            .map(|r| r.repository.name.as_str())
            .collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), 8, "repository names are unique");
        // Shared and distinct environments: fewer environments than groups,
        // one of them used by several repositories.
        let (environments, groups, shared) = environment_counts(&dir).unwrap();
        assert_eq!(environments, analysis.graph.environments.len());
        assert!(
            environments < groups && shared > 0,
            "{environments} {groups} {shared}"
        );
        let (_, _, files, bytes) = read_floor(&dir).unwrap();
        assert!(files > 8 * 18 && bytes > 0);
        assert!(own_peak_kib() > 0);
    }
}

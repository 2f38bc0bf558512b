//! The command line (clap derive): the flag types, and their conversion into the
//! library's options. Parsing only: every command is carried out by the library.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::graph::GraphFormat;
use crate::options::SchemaEngine;
use crate::pipeline::{BuildOptions, Options};
use crate::render::{Color, MessageFormat, Printer};

const EXIT_CODES: &str = "\
Exit status:
  0  no errors (warnings allowed)
  1  errors found in the repositories
  2  usage or environment error (bad option, unreadable configuration, I/O failure)";

#[derive(Debug, Parser)]
#[command(
    name = "cargo xtask",
    bin_name = "cargo xtask",
    version,
    about = "Validate and build a monorepo of Domino Pieces and Dioptra resource repositories as one graph",
    after_help = EXIT_CODES,
    propagate_version = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Validate every repository and report all problems at once; writes nothing
    /// but its cache (`target/xtask/check/`) and the reports asked for.
    ///
    /// Discovers Domino Pieces repositories and Dioptra resource repositories under the
    /// roots, parses every file in parallel, validates them as one dependency graph, and
    /// checks that generated files committed in the repositories (e.g. `.domino/`) are up
    /// to date. What a repository's check found is recorded: an unchanged repository's
    /// result is replayed by the next check (`--no-cache` neither replays nor records).
    #[command(after_help = EXIT_CODES)]
    Check(CheckArgs),
    /// Validate, then emit every artifact (per-repository files and the aggregated dist).
    ///
    /// Writes the files each ecosystem's own tooling would produce inside the
    /// repositories, and the aggregated artifacts under `--dist`, which is
    /// replaced as a whole: it always holds one run. When an error is found,
    /// nothing is published and the dist holds the reports only, unless
    /// `--keep-going` publishes every repository that can be. With `--only`, the
    /// selected repositories' files are written and the dist is left untouched.
    /// Every file is written atomically.
    #[command(name = "build-all", after_help = EXIT_CODES)]
    BuildAll(BuildArgs),
    /// Print the monorepo dependency graph (repositories, pieces, dependency files,
    /// groups, environments, images, Dioptra configs, plugins, tasks, types,
    /// entrypoints) on stdout.
    #[command(after_help = EXIT_CODES)]
    Graph(GraphArgs),
    /// Run `build-all`, then build every image with `docker buildx bake` (or print a
    /// GitHub Actions matrix with `--format gha-matrix`).
    ///
    /// Each distinct dependency environment is built once; every Domino group image
    /// is built from it under the name Domino expects. Run it from the workspace
    /// root: the bake file's contexts are relative to it.
    #[command(name = "build-images", after_help = EXIT_CODES)]
    BuildImages(ImagesArgs),
    /// Measure `check` and `build-all` (in memory, nothing is written) over several
    /// runs and print medians; optionally time the reference tools on the same
    /// repositories.
    #[command(after_help = EXIT_CODES)]
    Bench(BenchArgs),
    /// List every diagnostic code: its ecosystem, default level, whether it
    /// comes from the reference tool or is an extra, and whether it guards
    /// safety (such codes cannot be allowed).
    Rules(RulesArgs),
    /// Print the documentation of a diagnostic code (e.g. `cargo xtask explain
    /// domino::missing-models`).
    #[command(after_help = EXIT_CODES)]
    Explain(ExplainArgs),
}

#[derive(Debug, Clone, Args)]
pub struct RulesArgs {
    /// `text` (a table) or `json` (one object per code).
    #[arg(long = "format", value_name = "FMT", default_value = "text")]
    pub format: ListFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    Text,
    Json,
}

#[derive(Debug, Clone, Args)]
pub struct ExplainArgs {
    /// The code, e.g. `domino::missing-models`.
    #[arg(value_name = "CODE")]
    pub code: String,
}

#[derive(Debug, Clone, Args)]
pub struct BenchArgs {
    #[command(flatten)]
    pub common: CommonArgs,

    /// How many timed runs (after one warm-up run).
    #[arg(long = "runs", value_name = "N", default_value_t = 10, value_parser = clap::value_parser!(u32).range(1..))]
    pub runs: u32,

    /// Also time the reference tools on the same repositories, with the same number
    /// of runs: `domino piece organize` (domino-py 0.9.4 from `target/oracle/domino`)
    /// on a copy of each Domino repository, and Dioptra 1.2.2's resource import
    /// (in-process, from `target/oracle/dioptra`) of each Dioptra resource config.
    /// See tests/oracle/ for how the virtual environments are made.
    #[arg(long = "reference")]
    pub reference: bool,

    /// Benchmark a synthetic monorepo of N repositories made from the examples of
    /// `pieces-repos/` (six Domino repositories in seven, about 20 pieces each;
    /// shared and distinct requirements; nested folders), generated once (reused
    /// while N and the generator's inputs are unchanged) and built with
    /// `build-all`. Times, interleaved over `--runs` rounds, separate processes
    /// of this binary in it: `check`, a cold and a no-op `build-all`, and the
    /// floor (reading every file once); prints medians, ratios and peak RSS.
    #[arg(long = "synthetic", value_name = "N", conflicts_with = "reference", value_parser = clap::value_parser!(u32).range(1..=100_000))]
    pub synthetic: Option<u32>,

    /// Where the synthetic monorepo is generated (default:
    /// `target/bench/synthetic-<N>` in the workspace).
    #[arg(long = "synthetic-dir", value_name = "DIR", requires = "synthetic")]
    pub synthetic_dir: Option<PathBuf>,
}

#[derive(Debug, Clone, Args)]
pub struct GraphArgs {
    #[command(flatten)]
    pub common: CommonArgs,

    /// Output format.
    #[arg(long = "format", value_name = "FMT", default_value = "dot")]
    pub format: GraphFormatFlag,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum GraphFormatFlag {
    Dot,
    Mermaid,
    Json,
}

impl From<GraphFormatFlag> for GraphFormat {
    fn from(flag: GraphFormatFlag) -> Self {
        match flag {
            GraphFormatFlag::Dot => GraphFormat::Dot,
            GraphFormatFlag::Mermaid => GraphFormat::Mermaid,
            GraphFormatFlag::Json => GraphFormat::Json,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ImagesFormat {
    /// Run `docker buildx bake` on the bake file.
    Bake,
    /// Print a GitHub Actions matrix (one job per repository bake group, chunked
    /// into matrices of at most 256 jobs) instead of building.
    GhaMatrix,
}

#[derive(Debug, Clone, Args)]
pub struct ImagesArgs {
    #[command(flatten)]
    pub build: BuildArgs,

    /// What to do with the plan.
    #[arg(long = "format", value_name = "FMT", default_value = "bake")]
    pub format: ImagesFormat,

    /// Push the images (`docker buildx bake --push`); with `--format gha-matrix`,
    /// every job says `"push": true`.
    #[arg(long = "push")]
    pub push: bool,
}

#[derive(Debug, Clone, Args)]
pub struct CommonArgs {
    /// A folder to search for repositories, at any depth (repeatable).
    ///
    /// Default: the `roots` of `[workspace.metadata.pieces]` in the workspace
    /// Cargo.toml, or `pieces-repos/`.
    #[arg(long = "repos", value_name = "DIR")]
    pub repos: Vec<PathBuf>,

    /// Only process the repository with this folder name (repeatable).
    #[arg(long = "only", value_name = "NAME")]
    pub only: Vec<String>,

    /// Number of parallel jobs (default: the number of CPUs).
    #[arg(short = 'j', long = "jobs", value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub jobs: Option<u16>,

    /// How diagnostics are printed: `human` (rustc style, on stderr), `short` (one
    /// line each, on stderr), `json` (cargo's JSON messages on stdout, ending with
    /// a summary object) or `github` (GitHub Actions annotations on stdout).
    #[arg(long = "message-format", value_name = "FMT", default_value = "human")]
    pub message_format: MessageFormatFlag,

    /// Print only diagnostics (no progress, no summary line).
    #[arg(short = 'q', long = "quiet", conflicts_with = "verbose")]
    pub quiet: bool,

    /// Also print what is being done, repository by repository.
    #[arg(short = 'v', long = "verbose")]
    pub verbose: bool,

    /// How Domino models.py schemas are computed: `static` reads the source (no
    /// Python is run), `python` imports the models in one Python process (this
    /// EXECUTES repository code), `auto` uses static and falls back to Python only
    /// for pieces with constructs the static reader does not support.
    #[arg(
        long = "schema-engine",
        value_name = "ENGINE",
        default_value = "static"
    )]
    pub schema_engine: SchemaEngineFlag,

    /// Only the repositories affected by files changed since this git revision
    /// (files inside them, or shared files their last build depended on).
    #[arg(long = "changed-since", value_name = "REV")]
    pub changed_since: Option<String>,

    /// When to color human output (`auto` honours NO_COLOR and CLICOLOR_FORCE).
    #[arg(long = "color", value_name = "WHEN", default_value = "auto")]
    pub color: ColorFlag,

    /// Report every warning as an error (exit status 1), after the lint levels
    /// of `[workspace.metadata.pieces.lints]` apply.
    #[arg(long = "deny-warnings")]
    pub deny_warnings: bool,
}

impl CommonArgs {
    /// The analysis options these flags ask for.
    pub fn options(&self) -> Options {
        Options {
            repos: self.repos.clone(),
            only: self.only.clone(),
            jobs: self.jobs.map(usize::from),
            schema_engine: self.schema_engine.into(),
            incremental: false,
            changed_since: self.changed_since.clone(),
            start: None,
            deny_warnings: self.deny_warnings,
        }
    }

    /// How these flags ask diagnostics to be printed.
    pub fn printer(&self) -> Printer {
        let format = match self.message_format {
            MessageFormatFlag::Human => MessageFormat::Human,
            MessageFormatFlag::Short => MessageFormat::Short,
            MessageFormatFlag::Json => MessageFormat::Json,
            MessageFormatFlag::Github => MessageFormat::Github,
        };
        let color = match self.color {
            ColorFlag::Auto => Color::Auto,
            ColorFlag::Always => Color::Always,
            ColorFlag::Never => Color::Never,
        };
        Printer::new(format, self.quiet, color)
    }
}

#[derive(Debug, Clone, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub common: CommonArgs,

    /// Also write the run's reports (`report.json`, `junit.xml`, `report.sarif`)
    /// into this folder.
    #[arg(long = "report-dir", value_name = "DIR")]
    pub report_dir: Option<PathBuf>,

    /// Neither replay nor record results in `target/xtask/check/`: check every
    /// repository, write nothing. Without it, a repository in which no file or
    /// folder changed (size, modification time, inode), nor any shared file it
    /// reads, nor the tool or its configuration, has its previous result
    /// replayed instead of being read and parsed again. A fresh clone's stamps
    /// never match: in CI, pass it (recording costs about a tenth of a check).
    #[arg(long = "no-cache")]
    pub no_cache: bool,
}

#[derive(Debug, Clone, Args)]
pub struct BuildArgs {
    #[command(flatten)]
    pub common: CommonArgs,

    /// Where the aggregated artifacts go.
    #[arg(long = "dist", value_name = "DIR", default_value = "target/dist")]
    pub dist: PathBuf,

    /// Say why each repository was recompiled (and which image groups changed).
    #[arg(long = "explain")]
    pub explain: bool,

    /// Recompile every repository, ignoring the fingerprints in
    /// `target/xtask/fingerprints/`.
    #[arg(long = "force")]
    pub force: bool,

    /// Publish every repository that can be: one without errors of its own and
    /// without a dependency, through the graph, on a failed one gets its files,
    /// archives, catalog entry and bake targets; the failed ones are listed with
    /// the reason (catalog.json, report.json, the summary) and the exit status
    /// is one. Without it, an error anywhere publishes nothing and the dist holds
    /// the reports only.
    #[arg(long = "keep-going")]
    pub keep_going: bool,
}

impl BuildArgs {
    /// The build options these flags ask for (`dist` made absolute).
    pub fn build_options(&self) -> BuildOptions {
        BuildOptions {
            dist: crate::paths::absolute(&self.dist),
            explain: self.explain,
            keep_going: self.keep_going,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MessageFormatFlag {
    /// rustc style, with source snippets, on stderr.
    Human,
    /// One line per diagnostic, on stderr.
    Short,
    /// cargo's JSON messages (`compiler-message`), one per line on stdout, then a summary.
    Json,
    /// GitHub Actions annotations (workflow commands) on stdout; a Markdown
    /// table appended to `$GITHUB_STEP_SUMMARY` when it is set.
    Github,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, ValueEnum)]
pub enum SchemaEngineFlag {
    #[default]
    Static,
    Python,
    Auto,
}

impl From<SchemaEngineFlag> for SchemaEngine {
    fn from(flag: SchemaEngineFlag) -> Self {
        match flag {
            SchemaEngineFlag::Static => SchemaEngine::Static,
            SchemaEngineFlag::Python => SchemaEngine::Python,
            SchemaEngineFlag::Auto => SchemaEngine::Auto,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorFlag {
    Auto,
    Always,
    Never,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_is_well_formed() {
        Cli::command().debug_assert();
    }

    #[test]
    fn parses_repeatable_options() {
        let cli = Cli::parse_from([
            "cargo xtask",
            "build-all",
            "--repos",
            "a",
            "--repos",
            "b",
            "--only",
            "x",
            "-j",
            "3",
            "--message-format",
            "json",
            "--dist",
            "out",
        ]);
        let Command::BuildAll(args) = cli.command else {
            panic!("expected build-all");
        };
        assert_eq!(args.common.repos.len(), 2);
        assert_eq!(args.common.jobs, Some(3));
        assert_eq!(args.common.message_format, MessageFormatFlag::Json);
        assert_eq!(args.dist, PathBuf::from("out"));
    }

    #[test]
    fn zero_jobs_is_a_usage_error() {
        assert!(Cli::try_parse_from(["cargo xtask", "check", "-j", "0"]).is_err());
    }
}

//! The command line: the flag types, a small parser, the help pages, and the
//! conversion of the flags into the library's options. Parsing only: every
//! command is carried out by the library.
//!
//! Hand-written (it was clap's derive API): clap, its derive macro and its
//! terminal-styling crates were a tenth of the binary's cold compile. Each
//! command's options are a table ([`Opt`]) that both the parser and the help
//! page read; a usage error exits with status 2, `--help` and `--version` with 0.

use std::ffi::{OsStr, OsString};
use std::fmt::Write as _;
use std::path::PathBuf;

use crate::graph::GraphFormat;
use crate::options::SchemaEngine;
use crate::pipeline::{BuildOptions, Options};
use crate::render::{Color, MessageFormat, Printer};

const EXIT_CODES: &str = "\
                          Exit status:
  0  no errors (warnings allowed)
  1  errors found in the repositories
  2  usage or environment error (bad option, unreadable configuration, I/O failure)";

const BIN: &str = "cargo xtask";

const ABOUT: &str =
    "Validate and build a monorepo of Domino Pieces and Dioptra resource repositories as one graph";

/// The width help text is wrapped to.
const WIDTH: usize = 100;

#[derive(Debug)]
pub struct Cli {
    pub command: Command,
}

#[derive(Debug)]
pub enum Command {
    Check(CheckArgs),
    BuildAll(BuildArgs),
    Graph(GraphArgs),
    BuildImages(ImagesArgs),
    Bench(BenchArgs),
    Rules(RulesArgs),
    Explain(ExplainArgs),
}

/// A subcommand: its name, its help (first paragraph: the summary), its options.
struct CommandSpec {
    name: &'static str,
    about: &'static [&'static str],
    /// The positional argument's value name (`explain CODE`) and help.
    positional: Option<(&'static str, &'static str)>,
    options: fn() -> Vec<&'static Opt>,
    exit_codes: bool,
}

const COMMANDS: &[CommandSpec] = &[
    CommandSpec {
        name: "check",
        about: &[
            "Validate every repository and report all problems at once; writes nothing but its \
             cache (`target/xtask/check/`) and the reports asked for.",
            "Discovers Domino Pieces repositories and Dioptra resource repositories under the \
             roots, parses every file in parallel, validates them as one dependency graph, and \
             checks that generated files committed in the repositories (e.g. `.domino/`) are up \
             to date. What a repository's check found is recorded: an unchanged repository's \
             result is replayed by the next check (`--no-cache` neither replays nor records).",
        ],
        positional: None,
        options: || [COMMON, &[&REPORT_DIR, &NO_CACHE]].concat(),
        exit_codes: true,
    },
    CommandSpec {
        name: "build-all",
        about: &[
            "Validate, then emit every artifact (per-repository files and the aggregated dist).",
            "Writes the files each ecosystem's own tooling would produce inside the \
             repositories, and the aggregated artifacts under `--dist`, which is replaced as a \
             whole: it always holds one run. When an error is found, nothing is published and \
             the dist holds the reports only, unless `--keep-going` publishes every repository \
             that can be. With `--only`, the selected repositories' files are written and the \
             dist is left untouched. Every file is written atomically.",
        ],
        positional: None,
        options: || [COMMON, BUILD].concat(),
        exit_codes: true,
    },
    CommandSpec {
        name: "graph",
        about: &[
            "Print the monorepo dependency graph (repositories, pieces, dependency files, \
             groups, environments, images, Dioptra configs, plugins, tasks, types, \
             entrypoints) on stdout.",
        ],
        positional: None,
        options: || [COMMON, &[&GRAPH_FORMAT]].concat(),
        exit_codes: true,
    },
    CommandSpec {
        name: "build-images",
        about: &[
            "Run `build-all`, then build every image with `docker buildx bake` (or print a \
             GitHub Actions matrix with `--format gha-matrix`).",
            "Each distinct dependency environment is built once; every Domino group image is \
             built from it under the name Domino expects. Run it from the workspace root: the \
             bake file's contexts are relative to it.",
        ],
        positional: None,
        options: || [COMMON, BUILD, &[&IMAGES_FORMAT, &PUSH]].concat(),
        exit_codes: true,
    },
    CommandSpec {
        name: "bench",
        about: &[
            "Measure `check` and `build-all` (in memory, nothing is written) over several \
             runs and print medians; optionally time the reference tools on the same \
             repositories.",
        ],
        positional: None,
        options: || [COMMON, &[&RUNS, &REFERENCE, &SYNTHETIC, &SYNTHETIC_DIR]].concat(),
        exit_codes: true,
    },
    CommandSpec {
        name: "rules",
        about: &[
            "List every diagnostic code: its ecosystem, default level, whether it comes \
             from the reference tool or is an extra, and whether it guards safety (such \
             codes cannot be allowed).",
        ],
        positional: None,
        options: || vec![&RULES_FORMAT],
        exit_codes: false,
    },
    CommandSpec {
        name: "explain",
        about: &[
            "Print the documentation of a diagnostic code (e.g. `cargo xtask explain \
             domino::missing-models`).",
        ],
        positional: Some(("CODE", "The code, e.g. `domino::missing-models`")),
        options: Vec::new,
        exit_codes: true,
    },
];

/// One option of a command, as the parser and the help page see it.
struct Opt {
    long: &'static str,
    short: Option<char>,
    /// The value's name in help (`--jobs <N>`); `None` for a flag.
    value: Option<&'static str>,
    /// Paragraphs of help.
    help: &'static [&'static str],
    /// The accepted values and what each means (empty help: listed inline).
    choices: &'static [(&'static str, &'static str)],
    default: Option<&'static str>,
    /// May be given more than once (each value is kept).
    repeatable: bool,
}

impl Opt {
    const fn flag(long: &'static str, short: Option<char>, help: &'static [&'static str]) -> Opt {
        Opt {
            long,
            short,
            value: None,
            help,
            choices: &[],
            default: None,
            repeatable: false,
        }
    }

    const fn value(
        long: &'static str,
        short: Option<char>,
        value: &'static str,
        help: &'static [&'static str],
    ) -> Opt {
        Opt {
            long,
            short,
            value: Some(value),
            help,
            choices: &[],
            default: None,
            repeatable: false,
        }
    }

    const fn repeatable(self) -> Opt {
        Opt {
            repeatable: true,
            ..self
        }
    }

    const fn default(self, default: &'static str) -> Opt {
        Opt {
            default: Some(default),
            ..self
        }
    }

    const fn choices(self, choices: &'static [(&'static str, &'static str)]) -> Opt {
        Opt { choices, ..self }
    }

    /// `--jobs <N>` or `--quiet`, as errors name the option.
    fn display(&self) -> String {
        match self.value {
            Some(value) => format!("--{} <{value}>", self.long),
            None => format!("--{}", self.long),
        }
    }
}

const REPOS: Opt = Opt::value(
    "repos",
    None,
    "DIR",
    &[
        "A folder to search for repositories, at any depth (repeatable).",
        "Default: the `roots` of `[workspace.metadata.pieces]` in the workspace Cargo.toml, or \
         `pieces-repos/`.",
    ],
)
.repeatable();
const ONLY: Opt = Opt::value(
    "only",
    None,
    "NAME",
    &["Only process the repository with this folder name (repeatable)"],
)
.repeatable();
const JOBS: Opt = Opt::value(
    "jobs",
    Some('j'),
    "N",
    &["Number of parallel jobs (default: the number of CPUs)"],
);
const MESSAGE_FORMAT: Opt = Opt::value(
    "message-format",
    None,
    "FMT",
    &[
        "How diagnostics are printed: `human` (rustc style, on stderr), `short` (one line each, \
         on stderr), `json` (cargo's JSON messages on stdout, ending with a summary object) or \
         `github` (GitHub Actions annotations on stdout)",
    ],
)
.choices(&[
    ("human", "rustc style, with source snippets, on stderr"),
    ("short", "One line per diagnostic, on stderr"),
    (
        "json",
        "cargo's JSON messages (`compiler-message`), one per line on stdout, then a summary",
    ),
    (
        "github",
        "GitHub Actions annotations (workflow commands) on stdout; a Markdown table appended to \
         `$GITHUB_STEP_SUMMARY` when it is set",
    ),
])
.default("human");
const QUIET: Opt = Opt::flag(
    "quiet",
    Some('q'),
    &["Print only diagnostics (no progress, no summary line)"],
);
const VERBOSE: Opt = Opt::flag(
    "verbose",
    Some('v'),
    &["Also print what is being done, repository by repository"],
);
const SCHEMA_ENGINE: Opt = Opt::value(
    "schema-engine",
    None,
    "ENGINE",
    &[
        "How Domino models.py schemas are computed: `static` reads the source (no Python is \
         run), `python` imports the models in one Python process (this EXECUTES repository \
         code), `auto` uses static and falls back to Python only for pieces with constructs the \
         static reader does not support",
    ],
)
.choices(&[("static", ""), ("python", ""), ("auto", "")])
.default("static");
const CHANGED_SINCE: Opt = Opt::value(
    "changed-since",
    None,
    "REV",
    &[
        "Only the repositories affected by files changed since this git revision (files inside \
         them, or shared files their last build depended on)",
    ],
);
const COLOR: Opt = Opt::value(
    "color",
    None,
    "WHEN",
    &["When to color human output (`auto` honours NO_COLOR and CLICOLOR_FORCE)"],
)
.choices(&[("auto", ""), ("always", ""), ("never", "")])
.default("auto");
const DENY_WARNINGS: Opt = Opt::flag(
    "deny-warnings",
    None,
    &[
        "Report every warning as an error (exit status 1), after the lint levels of \
         `[workspace.metadata.pieces.lints]` apply",
    ],
);
const COMMON: &[&Opt] = &[
    &REPOS,
    &ONLY,
    &JOBS,
    &MESSAGE_FORMAT,
    &QUIET,
    &VERBOSE,
    &SCHEMA_ENGINE,
    &CHANGED_SINCE,
    &COLOR,
    &DENY_WARNINGS,
];

const REPORT_DIR: Opt = Opt::value(
    "report-dir",
    None,
    "DIR",
    &[
        "Also write the run's reports (`report.json`, `junit.xml`, `report.sarif`) into this \
         folder",
    ],
);

const NO_CACHE: Opt = Opt::flag(
    "no-cache",
    None,
    &[
        "Neither replay nor record results in `target/xtask/check/`: check every repository, \
         write nothing. Without it, a repository in which no file or folder changed (size, \
         modification time, inode), nor any shared file it reads, nor the tool or its \
         configuration, has its previous result replayed instead of being read and parsed \
         again. A fresh clone's stamps never match: in CI, pass it (recording made a cold \
         check 7-20% slower at 1,000 repositories)",
    ],
);

const DIST: Opt =
    Opt::value("dist", None, "DIR", &["Where the aggregated artifacts go"]).default("target/dist");
const EXPLAIN: Opt = Opt::flag(
    "explain",
    None,
    &["Say why each repository was recompiled (and which image groups changed)"],
);
const FORCE: Opt = Opt::flag(
    "force",
    None,
    &["Recompile every repository, ignoring the fingerprints in `target/xtask/fingerprints/`"],
);
const KEEP_GOING: Opt = Opt::flag(
    "keep-going",
    None,
    &[
        "Publish every repository that can be: one without errors of its own and without a \
         dependency, through the graph, on a failed one gets its files, archives, catalog entry \
         and bake targets; the failed ones are listed with the reason (catalog.json, \
         report.json, the summary) and the exit status is one. Without it, an error anywhere \
         publishes nothing and the dist holds the reports only",
    ],
);
const BUILD: &[&Opt] = &[&DIST, &EXPLAIN, &FORCE, &KEEP_GOING];

const GRAPH_FORMAT: Opt = Opt::value("format", None, "FMT", &["Output format"])
    .choices(&[("dot", ""), ("mermaid", ""), ("json", "")])
    .default("dot");

const IMAGES_FORMAT: Opt = Opt::value("format", None, "FMT", &["What to do with the plan"])
    .choices(&[
        ("bake", "Run `docker buildx bake` on the bake file"),
        (
            "gha-matrix",
            "Print a GitHub Actions matrix (one job per repository bake group, chunked into \
             matrices of at most 256 jobs) instead of building",
        ),
    ])
    .default("bake");
const PUSH: Opt = Opt::flag(
    "push",
    None,
    &[
        "Push the images (`docker buildx bake --push`); with `--format gha-matrix`, every job \
         says `\"push\": true`",
    ],
);

const RUNS: Opt = Opt::value(
    "runs",
    None,
    "N",
    &["How many timed runs (after one warm-up run)"],
)
.default("10");
const REFERENCE: Opt = Opt::flag(
    "reference",
    None,
    &[
        "Also time the reference tools on the same repositories, with the same number of runs: \
         `domino piece organize` (domino-py 0.9.4 from `target/oracle/domino`) on a copy of each \
         Domino repository, and Dioptra 1.2.2's resource import (in-process, from \
         `target/oracle/dioptra`) of each Dioptra resource config. See tests/oracle/ for how the \
         virtual environments are made",
    ],
);
const SYNTHETIC: Opt = Opt::value(
    "synthetic",
    None,
    "N",
    &[
        "Benchmark a synthetic monorepo of N repositories made from the examples of \
         `pieces-repos/` (six Domino repositories in seven, about 20 pieces each; shared and \
         distinct requirements; nested folders), generated once (reused while N and the \
         generator's inputs are unchanged) and built with `build-all`. Times, interleaved over \
         `--runs` rounds, separate processes of this binary in it: a cold and a no-op \
         `build-all`, `check --no-cache`, `check` recording its cache and `check` replaying it, \
         and two floors (every file read once in process, and `find repos -type f -exec \
         cat {} +` run by sh); prints medians, ratios and peak RSS. \
         Conflicts with `--reference`",
    ],
);
const SYNTHETIC_DIR: Opt = Opt::value(
    "synthetic-dir",
    None,
    "DIR",
    &[
        "Where the synthetic monorepo is generated (default: `target/bench/synthetic-<N>` in the \
         workspace). Requires `--synthetic`",
    ],
);

const RULES_FORMAT: Opt = Opt::value(
    "format",
    None,
    "FMT",
    &["`text` (a table) or `json` (one object per code)"],
)
.choices(&[("text", ""), ("json", "")])
.default("text");

#[derive(Debug, Clone)]
pub struct RulesArgs {
    /// `text` (a table) or `json` (one object per code).
    pub format: ListFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListFormat {
    Text,
    Json,
}

#[derive(Debug, Clone)]
pub struct ExplainArgs {
    /// The code, e.g. `domino::missing-models`.
    pub code: String,
}

#[derive(Debug, Clone)]
pub struct BenchArgs {
    pub common: CommonArgs,
    /// How many timed runs (after one warm-up run); at least 1.
    pub runs: u32,
    /// Also time the reference tools on the same repositories.
    pub reference: bool,
    /// Benchmark a synthetic monorepo of N (1..=100,000) repositories.
    pub synthetic: Option<u32>,
    /// Where the synthetic monorepo is generated.
    pub synthetic_dir: Option<PathBuf>,
}

#[derive(Debug, Clone)]
pub struct GraphArgs {
    pub common: CommonArgs,
    /// Output format.
    pub format: GraphFormatFlag,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImagesFormat {
    /// Run `docker buildx bake` on the bake file.
    Bake,
    /// Print a GitHub Actions matrix instead of building.
    GhaMatrix,
}

#[derive(Debug, Clone)]
pub struct ImagesArgs {
    pub build: BuildArgs,
    /// What to do with the plan.
    pub format: ImagesFormat,
    /// Push the images.
    pub push: bool,
}

#[derive(Debug, Clone)]
pub struct CommonArgs {
    /// Folders to search for repositories, at any depth.
    pub repos: Vec<PathBuf>,
    /// Only the repositories with these folder names.
    pub only: Vec<String>,
    /// Number of parallel jobs (at least 1).
    pub jobs: Option<u16>,
    pub message_format: MessageFormatFlag,
    pub quiet: bool,
    pub verbose: bool,
    pub schema_engine: SchemaEngineFlag,
    pub changed_since: Option<String>,
    pub color: ColorFlag,
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

#[derive(Debug, Clone)]
pub struct CheckArgs {
    pub common: CommonArgs,
    /// Also write the run's reports into this folder.
    pub report_dir: Option<PathBuf>,
    /// Neither replay nor record results in `target/xtask/check/`.
    pub no_cache: bool,
}

#[derive(Debug, Clone)]
pub struct BuildArgs {
    pub common: CommonArgs,
    /// Where the aggregated artifacts go.
    pub dist: PathBuf,
    /// Say why each repository was recompiled.
    pub explain: bool,
    /// Recompile every repository, ignoring the fingerprints.
    pub force: bool,
    /// Publish every repository that can be.
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

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MessageFormatFlag {
    /// rustc style, with source snippets, on stderr.
    Human,
    /// One line per diagnostic, on stderr.
    Short,
    /// cargo's JSON messages (`compiler-message`), one per line on stdout, then a summary.
    Json,
    /// GitHub Actions annotations (workflow commands) on stdout.
    Github,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
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

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColorFlag {
    Auto,
    Always,
    Never,
}

/// Why parsing stopped without a command to run: a page to print, or a usage error.
#[derive(Debug, PartialEq, Eq)]
pub enum CliError {
    /// `--help` (or `help`): printed on stdout, exit status 0.
    Help(String),
    /// `--version`: printed on stdout, exit status 0.
    Version(String),
    /// No command given: the top-level help on stderr, exit status 2.
    MissingCommand(String),
    /// A usage error: `error: ...` on stderr, exit status 2.
    Usage(String),
}

impl CliError {
    /// The exit status this outcome has.
    pub fn exit_code(&self) -> u8 {
        match self {
            CliError::Help(_) | CliError::Version(_) => 0,
            CliError::MissingCommand(_) | CliError::Usage(_) => 2,
        }
    }

    /// Prints the page or the error where it belongs.
    pub fn print(&self) {
        match self {
            CliError::Help(text) | CliError::Version(text) => print!("{text}"),
            CliError::MissingCommand(text) | CliError::Usage(text) => eprint!("{text}"),
        }
    }
}

impl std::fmt::Display for CliError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CliError::Help(text)
            | CliError::Version(text)
            | CliError::MissingCommand(text)
            | CliError::Usage(text) => f.write_str(text),
        }
    }
}

impl Cli {
    /// Parses the process's arguments; on `--help`, `--version` or a usage error,
    /// prints and exits (status 0, 0 and 2).
    pub fn parse() -> Cli {
        match Cli::try_parse_from(std::env::args_os()) {
            Ok(cli) => cli,
            Err(outcome) => {
                outcome.print();
                std::process::exit(i32::from(outcome.exit_code()));
            }
        }
    }

    /// Parses a command line whose first item is the program's name.
    pub fn try_parse_from<I, T>(args: I) -> Result<Cli, CliError>
    where
        I: IntoIterator<Item = T>,
        T: Into<OsString>,
    {
        let mut args = args.into_iter().map(Into::into).skip(1);
        let Some(first) = args.next() else {
            return Err(CliError::MissingCommand(top_help()));
        };
        let name = first.to_string_lossy();
        match name.as_ref() {
            "-h" | "--help" => return Err(CliError::Help(top_help())),
            "-V" | "--version" => return Err(CliError::Version(version())),
            "help" => {
                return match args.next() {
                    None => Err(CliError::Help(top_help())),
                    Some(name) => {
                        let name = name.to_string_lossy();
                        match COMMANDS.iter().find(|c| c.name == name) {
                            Some(spec) => Err(CliError::Help(command_help(spec))),
                            None => Err(unknown_command(&name)),
                        }
                    }
                };
            }
            _ => {}
        }
        if name.starts_with('-') && name.len() > 1 {
            let mut message = format!("unexpected argument '{name}' found\n");
            if let Some(similar) = crate::suggest::did_you_mean(&name, ["--help", "--version"]) {
                let _ = write!(message, "\n  tip: a similar argument exists: '{similar}'\n");
            }
            return Err(usage_error(&message, &format!("{BIN} <COMMAND>")));
        }
        let Some(spec) = COMMANDS.iter().find(|c| c.name == name) else {
            return Err(unknown_command(&name));
        };
        let matches = Matches::parse(spec, args)?;
        let command = match spec.name {
            "check" => Command::Check(CheckArgs {
                common: matches.common()?,
                report_dir: matches.path(&REPORT_DIR),
                no_cache: matches.flag(&NO_CACHE),
            }),
            "build-all" => Command::BuildAll(matches.build()?),
            "graph" => Command::Graph(GraphArgs {
                common: matches.common()?,
                format: matches.choice(
                    &GRAPH_FORMAT,
                    &[
                        GraphFormatFlag::Dot,
                        GraphFormatFlag::Mermaid,
                        GraphFormatFlag::Json,
                    ],
                )?,
            }),
            "build-images" => Command::BuildImages(ImagesArgs {
                build: matches.build()?,
                format: matches.choice(
                    &IMAGES_FORMAT,
                    &[ImagesFormat::Bake, ImagesFormat::GhaMatrix],
                )?,
                push: matches.flag(&PUSH),
            }),
            "bench" => {
                let args = BenchArgs {
                    common: matches.common()?,
                    runs: matches
                        .number(&RUNS, 1, u64::from(u32::MAX))?
                        .map_or(10, |n| n as u32),
                    reference: matches.flag(&REFERENCE),
                    synthetic: matches.number(&SYNTHETIC, 1, 100_000)?.map(|n| n as u32),
                    synthetic_dir: matches.path(&SYNTHETIC_DIR),
                };
                matches.conflict(&SYNTHETIC, &REFERENCE)?;
                matches.requires(&SYNTHETIC_DIR, &SYNTHETIC)?;
                Command::Bench(args)
            }
            "rules" => Command::Rules(RulesArgs {
                format: matches.choice(&RULES_FORMAT, &[ListFormat::Text, ListFormat::Json])?,
            }),
            "explain" => {
                let Some(code) = matches.positional.as_deref() else {
                    return Err(usage_error(
                        "the following required arguments were not provided:\n  <CODE>\n",
                        &format!("{BIN} explain <CODE>"),
                    ));
                };
                Command::Explain(ExplainArgs {
                    code: utf8(code, "<CODE>")?.to_owned(),
                })
            }
            other => unreachable!("command {other} has a spec but no arguments"),
        };
        Ok(Cli { command })
    }
}

/// The options given to one command, in order, and its positional argument.
struct Matches {
    spec: &'static CommandSpec,
    options: Vec<&'static Opt>,
    /// Each occurrence: the option and its value (`None` for a flag).
    given: Vec<(&'static Opt, Option<OsString>)>,
    positional: Option<OsString>,
}

impl Matches {
    fn parse(
        spec: &'static CommandSpec,
        args: impl Iterator<Item = OsString>,
    ) -> Result<Matches, CliError> {
        let mut matches = Matches {
            spec,
            options: (spec.options)(),
            given: Vec::new(),
            positional: None,
        };
        let mut args = args.peekable();
        let mut only_positionals = false;
        while let Some(arg) = args.next() {
            let text = arg.to_string_lossy().into_owned();
            if only_positionals || text == "-" || !text.starts_with('-') {
                matches.positional(arg)?;
            } else if text == "--" {
                only_positionals = true;
            } else if let Some(long) = text.strip_prefix("--") {
                let (name, inline) = match long.split_once('=') {
                    Some((name, _)) => (name, Some(inline_value(&arg, name.len() + 3))),
                    None => (long, None),
                };
                match name {
                    "help" => return Err(CliError::Help(command_help(spec))),
                    "version" => return Err(CliError::Version(version())),
                    _ => {}
                }
                let Some(opt) = matches.options.iter().copied().find(|o| o.long == name) else {
                    return Err(matches.unknown(&format!("--{name}")));
                };
                let value = match (opt.value, inline) {
                    (None, Some(value)) => {
                        return Err(usage_error(
                            &format!(
                                "unexpected value '{}' for '--{name}' found; no more were \
                                 expected\n",
                                value.to_string_lossy()
                            ),
                            &matches.usage(),
                        ));
                    }
                    (None, None) => None,
                    (Some(_), Some(value)) => Some(value),
                    (Some(_), None) => Some(take_value(opt, &mut args)?),
                };
                matches.add(opt, value)?;
            } else {
                // A cluster of short options: `-qv`, `-j4`, `-j 4`, `-j=4`.
                let cluster = &text[1..];
                for (at, short) in cluster.char_indices() {
                    match short {
                        'h' => return Err(CliError::Help(command_help(spec))),
                        'V' => return Err(CliError::Version(version())),
                        _ => {}
                    }
                    let Some(opt) = matches
                        .options
                        .iter()
                        .copied()
                        .find(|o| o.short == Some(short))
                    else {
                        return Err(matches.unknown(&format!("-{short}")));
                    };
                    if opt.value.is_none() {
                        matches.add(opt, None)?;
                        continue;
                    }
                    let rest = &cluster[at + short.len_utf8()..];
                    let value = if rest.is_empty() {
                        take_value(opt, &mut args)?
                    } else {
                        let skip = 1 + at + short.len_utf8() + usize::from(rest.starts_with('='));
                        inline_value(&arg, skip)
                    };
                    matches.add(opt, Some(value))?;
                    break;
                }
            }
        }
        if matches.flag(&QUIET) && matches.flag(&VERBOSE) {
            matches.conflict(&QUIET, &VERBOSE)?;
        }
        Ok(matches)
    }

    fn positional(&mut self, arg: OsString) -> Result<(), CliError> {
        if self.spec.positional.is_some() && self.positional.is_none() {
            self.positional = Some(arg);
            Ok(())
        } else {
            Err(usage_error(
                &format!("unexpected argument '{}' found\n", arg.to_string_lossy()),
                &self.usage(),
            ))
        }
    }

    fn add(&mut self, opt: &'static Opt, value: Option<OsString>) -> Result<(), CliError> {
        if !opt.repeatable && self.given.iter().any(|(o, _)| o.long == opt.long) {
            return Err(usage_error(
                &format!(
                    "the argument '{}' cannot be used multiple times\n",
                    opt.display()
                ),
                &self.usage(),
            ));
        }
        self.given.push((opt, value));
        Ok(())
    }

    /// An unknown option, with the closest known one as a tip.
    fn unknown(&self, name: &str) -> CliError {
        let mut message = format!("unexpected argument '{name}' found\n");
        let longs: Vec<String> = self
            .options
            .iter()
            .map(|o| format!("--{}", o.long))
            .chain(["--help".to_owned(), "--version".to_owned()])
            .collect();
        if name.starts_with("--")
            && let Some(similar) = crate::suggest::did_you_mean(name, &longs)
        {
            let _ = write!(message, "\n  tip: a similar argument exists: '{similar}'\n");
        }
        usage_error(&message, &self.usage())
    }

    fn usage(&self) -> String {
        usage(self.spec)
    }

    fn values(&self, opt: &Opt) -> impl Iterator<Item = &OsStr> {
        self.given
            .iter()
            .filter(move |(o, _)| o.long == opt.long)
            .filter_map(|(_, value)| value.as_deref())
    }

    fn value(&self, opt: &Opt) -> Option<&OsStr> {
        self.values(opt).next()
    }

    fn flag(&self, opt: &Opt) -> bool {
        self.given.iter().any(|(o, _)| o.long == opt.long)
    }

    fn path(&self, opt: &Opt) -> Option<PathBuf> {
        self.value(opt).map(PathBuf::from)
    }

    fn string(&self, opt: &Opt) -> Result<Option<String>, CliError> {
        self.value(opt)
            .map(|value| utf8(value, &opt.display()).map(str::to_owned))
            .transpose()
    }

    /// The value of an option with a fixed set of values (`choices` in its table
    /// order), or its default.
    fn choice<T: Copy>(&self, opt: &Opt, variants: &[T]) -> Result<T, CliError> {
        debug_assert_eq!(opt.choices.len(), variants.len());
        let given = match self.value(opt) {
            Some(value) => value.to_string_lossy().into_owned(),
            None => opt.default.unwrap_or_default().to_owned(),
        };
        match opt.choices.iter().position(|(name, _)| *name == given) {
            Some(index) => Ok(variants[index]),
            None => {
                let names: Vec<&str> = opt.choices.iter().map(|(name, _)| *name).collect();
                let mut message = format!(
                    "invalid value '{given}' for '{}'\n  [possible values: {}]\n",
                    opt.display(),
                    names.join(", ")
                );
                if let Some(similar) = crate::suggest::did_you_mean(&given, &names) {
                    let _ = write!(message, "\n  tip: a similar value exists: '{similar}'\n");
                }
                Err(value_error(message))
            }
        }
    }

    /// A whole number in `min..=max`, if given.
    fn number(&self, opt: &Opt, min: u64, max: u64) -> Result<Option<u64>, CliError> {
        let Some(value) = self.value(opt) else {
            return Ok(None);
        };
        let text = value.to_string_lossy();
        let invalid = |why: String| {
            value_error(format!(
                "invalid value '{text}' for '{}': {why}\n",
                opt.display()
            ))
        };
        let number: u64 = text.parse().map_err(|error| invalid(format!("{error}")))?;
        if !(min..=max).contains(&number) {
            return Err(invalid(format!("{number} is not in {min}..={max}")));
        }
        Ok(Some(number))
    }

    /// Fails when both options are given.
    fn conflict(&self, a: &Opt, b: &Opt) -> Result<(), CliError> {
        if self.flag(a) && self.flag(b) {
            return Err(usage_error(
                &format!(
                    "the argument '{}' cannot be used with '{}'\n",
                    a.display(),
                    b.display()
                ),
                &self.usage(),
            ));
        }
        Ok(())
    }

    /// Fails when `a` is given without `b`.
    fn requires(&self, a: &Opt, b: &Opt) -> Result<(), CliError> {
        if self.flag(a) && !self.flag(b) {
            return Err(usage_error(
                &format!(
                    "the following required arguments were not provided:\n  {}\n\n  \
                     ('{}' requires it)\n",
                    b.display(),
                    a.display()
                ),
                &self.usage(),
            ));
        }
        Ok(())
    }

    fn common(&self) -> Result<CommonArgs, CliError> {
        Ok(CommonArgs {
            repos: self.values(&REPOS).map(PathBuf::from).collect(),
            only: self
                .values(&ONLY)
                .map(|value| utf8(value, &ONLY.display()).map(str::to_owned))
                .collect::<Result<_, _>>()?,
            jobs: self
                .number(&JOBS, 1, u64::from(u16::MAX))?
                .map(|n| n as u16),
            message_format: self.choice(
                &MESSAGE_FORMAT,
                &[
                    MessageFormatFlag::Human,
                    MessageFormatFlag::Short,
                    MessageFormatFlag::Json,
                    MessageFormatFlag::Github,
                ],
            )?,
            quiet: self.flag(&QUIET),
            verbose: self.flag(&VERBOSE),
            schema_engine: self.choice(
                &SCHEMA_ENGINE,
                &[
                    SchemaEngineFlag::Static,
                    SchemaEngineFlag::Python,
                    SchemaEngineFlag::Auto,
                ],
            )?,
            changed_since: self.string(&CHANGED_SINCE)?,
            color: self.choice(
                &COLOR,
                &[ColorFlag::Auto, ColorFlag::Always, ColorFlag::Never],
            )?,
            deny_warnings: self.flag(&DENY_WARNINGS),
        })
    }

    fn build(&self) -> Result<BuildArgs, CliError> {
        Ok(BuildArgs {
            common: self.common()?,
            dist: self
                .path(&DIST)
                .unwrap_or_else(|| PathBuf::from(DIST.default.unwrap_or_default())),
            explain: self.flag(&EXPLAIN),
            force: self.flag(&FORCE),
            keep_going: self.flag(&KEEP_GOING),
        })
    }
}

/// The part of an argument after its first `skip` bytes (`--dist=out`, `-j4`),
/// kept as an OS string: a path need not be UTF-8.
#[cfg(unix)]
fn inline_value(arg: &OsStr, skip: usize) -> OsString {
    use std::os::unix::ffi::OsStrExt;
    OsStr::from_bytes(&arg.as_bytes()[skip..]).to_owned()
}

#[cfg(not(unix))]
fn inline_value(arg: &OsStr, skip: usize) -> OsString {
    OsString::from(&arg.to_string_lossy()[skip..])
}

/// The next argument as the value of `opt`; an argument that looks like an
/// option is not taken (`--repos --only x` lacks a value).
fn take_value(
    opt: &Opt,
    args: &mut std::iter::Peekable<impl Iterator<Item = OsString>>,
) -> Result<OsString, CliError> {
    match args.peek() {
        Some(next) if !next.to_string_lossy().starts_with('-') || next.as_os_str() == "-" => {
            Ok(args.next().unwrap_or_default())
        }
        _ => Err(value_error(format!(
            "a value is required for '{}' but none was supplied\n",
            opt.display()
        ))),
    }
}

fn utf8<'a>(value: &'a OsStr, what: &str) -> Result<&'a str, CliError> {
    value.to_str().ok_or_else(|| {
        value_error(format!(
            "invalid UTF-8 was detected in the value of '{what}'\n"
        ))
    })
}

fn unknown_command(name: &str) -> CliError {
    let mut message = format!("unrecognized subcommand '{name}'\n");
    let names: Vec<&str> = COMMANDS.iter().map(|c| c.name).chain(["help"]).collect();
    if let Some(similar) = crate::suggest::did_you_mean(name, &names) {
        let _ = write!(
            message,
            "\n  tip: a similar subcommand exists: '{similar}'\n"
        );
    }
    usage_error(&message, &format!("{BIN} <COMMAND>"))
}

/// `error: ...`, the usage line, and where to read more.
fn usage_error(message: &str, usage: &str) -> CliError {
    CliError::Usage(format!(
        "error: {message}\nUsage: {usage}\n\nFor more information, try '--help'.\n"
    ))
}

/// An invalid or missing value: `error: ...` and where to read more.
fn value_error(message: String) -> CliError {
    CliError::Usage(format!(
        "error: {message}\nFor more information, try '--help'.\n"
    ))
}

fn version() -> String {
    format!("{BIN} {}\n", env!("CARGO_PKG_VERSION"))
}

fn usage(spec: &CommandSpec) -> String {
    let mut usage = format!("{BIN} {}", spec.name);
    if !(spec.options)().is_empty() {
        usage.push_str(" [OPTIONS]");
    }
    if let Some((value, _)) = spec.positional {
        let _ = write!(usage, " <{value}>");
    }
    usage
}

/// The top-level help: every command with its summary.
fn top_help() -> String {
    let mut out = format!("{ABOUT}\n\nUsage: {BIN} <COMMAND>\n\nCommands:\n");
    let summaries = COMMANDS
        .iter()
        .map(|c| (c.name, summary(c.about[0])))
        .chain([(
            "help",
            "Print this message or the help of the given subcommand(s)".to_owned(),
        )]);
    for (name, summary) in summaries {
        two_columns(&mut out, name, &summary, 16);
    }
    out.push_str("\nOptions:\n");
    two_columns(&mut out, "-h, --help", "Print help", 17);
    two_columns(&mut out, "-V, --version", "Print version", 17);
    let _ = writeln!(out, "\n{EXIT_CODES}");
    out
}

/// A command summary: its first paragraph without the closing period.
fn summary(paragraph: &str) -> String {
    paragraph.strip_suffix('.').unwrap_or(paragraph).to_owned()
}

/// `  name  text`, the text wrapped and indented to `column`.
fn two_columns(out: &mut String, name: &str, text: &str, column: usize) {
    let lines = wrap(text, WIDTH - column);
    for (index, line) in lines.iter().enumerate() {
        if index == 0 {
            let _ = writeln!(out, "  {name:<width$}{line}", width = column - 2);
        } else {
            let _ = writeln!(out, "{:column$}{line}", "");
        }
    }
}

/// A command's help page: what it does, its usage, every option with its
/// default and accepted values, and the exit statuses.
fn command_help(spec: &CommandSpec) -> String {
    let mut out = String::new();
    for paragraph in spec.about {
        // A one-paragraph description is its summary, without the period.
        let paragraph = match spec.about.len() {
            1 => summary(paragraph),
            _ => (*paragraph).to_owned(),
        };
        for line in wrap(&paragraph, WIDTH) {
            let _ = writeln!(out, "{line}");
        }
        out.push('\n');
    }
    let _ = writeln!(out, "Usage: {}\n", usage(spec));
    if let Some((value, help)) = spec.positional {
        out.push_str("Arguments:\n");
        two_columns(&mut out, &format!("<{value}>"), help, value.len() + 6);
        out.push('\n');
    }
    out.push_str("Options:\n");
    let indent = "          ";
    for opt in (spec.options)() {
        let short = opt.short.map_or("    ".to_owned(), |s| format!("-{s}, "));
        let _ = writeln!(out, "  {short}{}", opt.display());
        let mut paragraphs: Vec<String> = opt.help.iter().map(|p| (*p).to_owned()).collect();
        let described = opt.choices.iter().any(|(_, help)| !help.is_empty());
        let mut notes = Vec::new();
        if let Some(default) = opt.default {
            notes.push(format!("[default: {default}]"));
        }
        if !opt.choices.is_empty() && !described {
            let names: Vec<&str> = opt.choices.iter().map(|(name, _)| *name).collect();
            notes.push(format!("[possible values: {}]", names.join(", ")));
        }
        for paragraph in paragraphs.drain(..) {
            for line in wrap(&paragraph, WIDTH - indent.len()) {
                let _ = writeln!(out, "{indent}{line}");
            }
            out.push('\n');
        }
        if described {
            let _ = writeln!(out, "{indent}Possible values:");
            let width = opt
                .choices
                .iter()
                .map(|(name, _)| name.len())
                .max()
                .unwrap_or(0)
                + 1;
            for (name, help) in opt.choices {
                let head = format!("- {:<width$} ", format!("{name}:"));
                let lines = wrap(help, WIDTH - indent.len() - head.len());
                for (index, line) in lines.iter().enumerate() {
                    if index == 0 {
                        let _ = writeln!(out, "{indent}{head}{line}");
                    } else {
                        let _ = writeln!(out, "{indent}  {line}");
                    }
                }
            }
            out.push('\n');
        }
        for note in &notes {
            let _ = writeln!(out, "{indent}{note}");
        }
        if !notes.is_empty() {
            out.push('\n');
        }
    }
    let _ = writeln!(out, "  -h, --help\n{indent}Print help\n");
    let _ = writeln!(out, "  -V, --version\n{indent}Print version");
    if spec.exit_codes {
        let _ = writeln!(out, "\n{EXIT_CODES}");
    }
    out
}

/// Words of `text` in lines of at most `width` characters (a longer word
/// gets a line of its own).
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Cli, CliError> {
        Cli::try_parse_from(std::iter::once("cargo xtask").chain(args.iter().copied()))
    }

    fn usage_message(args: &[&str]) -> String {
        match parse(args) {
            Err(CliError::Usage(message)) => message,
            other => panic!("{args:?}: expected a usage error, got {other:?}"),
        }
    }

    #[test]
    fn cli_is_well_formed() {
        for spec in COMMANDS {
            let options = (spec.options)();
            for (index, opt) in options.iter().enumerate() {
                assert!(
                    options[index + 1..]
                        .iter()
                        .all(|o| o.long != opt.long && (o.short.is_none() || o.short != opt.short)),
                    "{}: --{} twice",
                    spec.name,
                    opt.long
                );
                assert!(!matches!(opt.short, Some('h' | 'V')), "{}", opt.long);
                assert!(opt.value.is_some() || (opt.choices.is_empty() && opt.default.is_none()));
                if let (Some(default), false) = (opt.default, opt.choices.is_empty()) {
                    assert!(opt.choices.iter().any(|(name, _)| *name == default));
                }
            }
            // Every command's page parses, and names every option.
            let Err(CliError::Help(page)) = parse(&[spec.name, "--help"]) else {
                panic!("{} --help", spec.name);
            };
            for opt in options {
                assert!(page.contains(&opt.display()), "{}: {}", spec.name, opt.long);
            }
            assert!(
                page.lines().all(|line| line.chars().count() <= WIDTH),
                "{page}"
            );
            assert_eq!(
                parse(&["help", spec.name]).err(),
                Some(CliError::Help(page))
            );
        }
    }

    #[test]
    fn parses_repeatable_options() {
        let cli = parse(&[
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
        ])
        .unwrap();
        let Command::BuildAll(args) = cli.command else {
            panic!("expected build-all");
        };
        assert_eq!(args.common.repos, [PathBuf::from("a"), PathBuf::from("b")]);
        assert_eq!(args.common.only, ["x"]);
        assert_eq!(args.common.jobs, Some(3));
        assert_eq!(args.common.message_format, MessageFormatFlag::Json);
        assert_eq!(args.dist, PathBuf::from("out"));
    }

    #[test]
    fn defaults_apply() {
        let Command::BuildImages(args) = parse(&["build-images"]).unwrap().command else {
            panic!("expected build-images");
        };
        assert_eq!(args.build.dist, PathBuf::from("target/dist"));
        assert_eq!(args.format, ImagesFormat::Bake);
        assert!(!args.push && !args.build.force && !args.build.common.quiet);
        assert_eq!(args.build.common.jobs, None);
        assert_eq!(args.build.common.message_format, MessageFormatFlag::Human);
        assert_eq!(args.build.common.schema_engine, SchemaEngineFlag::Static);
        assert_eq!(args.build.common.color, ColorFlag::Auto);
        let Command::Bench(bench) = parse(&["bench"]).unwrap().command else {
            panic!("expected bench");
        };
        assert_eq!((bench.runs, bench.synthetic), (10, None));
        let Command::Rules(rules) = parse(&["rules"]).unwrap().command else {
            panic!("expected rules");
        };
        assert_eq!(rules.format, ListFormat::Text);
        for (words, no_cache) in [
            (&["check"][..], false),
            (&["check", "--no-cache"][..], true),
        ] {
            let Command::Check(check) = parse(words).unwrap().command else {
                panic!("expected check");
            };
            assert_eq!(check.no_cache, no_cache);
        }
        assert!(parse(&["build-all", "--no-cache"]).is_err());
    }

    #[test]
    fn values_inline_and_clustered() {
        let Command::Check(args) = parse(&[
            "check",
            "--repos=a=b",
            "-qj4",
            "--color=never",
            "--report-dir",
            "-",
        ])
        .unwrap()
        .command
        else {
            panic!("expected check");
        };
        assert_eq!(args.common.repos, [PathBuf::from("a=b")]);
        assert!(args.common.quiet);
        assert_eq!(args.common.jobs, Some(4));
        assert_eq!(args.common.color, ColorFlag::Never);
        assert_eq!(args.report_dir, Some(PathBuf::from("-")));
        for jobs in [&["-j=2"][..], &["-j", "2"], &["--jobs", "2"], &["--jobs=2"]] {
            let Command::Check(args) = parse(&[&["check"][..], jobs].concat()).unwrap().command
            else {
                panic!("expected check");
            };
            assert_eq!(args.common.jobs, Some(2), "{jobs:?}");
        }
        let Command::Graph(graph) = parse(&["graph", "--format", "mermaid"]).unwrap().command
        else {
            panic!("expected graph");
        };
        assert_eq!(graph.format, GraphFormatFlag::Mermaid);
        let Command::Explain(explain) = parse(&["explain", "--", "domino::missing-models"])
            .unwrap()
            .command
        else {
            panic!("expected explain");
        };
        assert_eq!(explain.code, "domino::missing-models");
    }

    #[test]
    fn zero_jobs_is_a_usage_error() {
        let message = usage_message(&["check", "-j", "0"]);
        assert!(
            message.contains("invalid value '0' for '--jobs <N>': 0 is not in 1..=65535"),
            "{message}"
        );
        assert!(usage_message(&["check", "-j", "abc"]).contains("invalid digit"));
        assert!(usage_message(&["bench", "--runs", "0"]).contains("0 is not in 1..="));
        assert!(usage_message(&["bench", "--synthetic", "100001"]).contains("1..=100000"));
    }

    #[test]
    fn usage_errors_say_what_is_wrong() {
        let unknown = usage_message(&["check", "--onl", "x"]);
        assert!(
            unknown.contains("unexpected argument '--onl' found")
                && unknown.contains("tip: a similar argument exists: '--only'")
                && unknown.contains("Usage: cargo xtask check [OPTIONS]"),
            "{unknown}"
        );
        assert!(usage_message(&["check", "--dist", "x"]).contains("'--dist' found"));
        assert!(usage_message(&["check", "stray"]).contains("'stray' found"));
        assert!(usage_message(&["check", "-q", "-v"]).contains("'--quiet' cannot be used with"));
        assert!(usage_message(&["check", "-qv"]).contains("cannot be used with '--verbose'"));
        assert!(
            usage_message(&["bench", "--synthetic", "3", "--reference"])
                .contains("'--synthetic <N>' cannot be used with '--reference'")
        );
        assert!(
            usage_message(&["bench", "--synthetic-dir", "x"])
                .contains("required arguments were not provided:\n  --synthetic <N>")
        );
        assert!(
            usage_message(&["build-all", "--dist", "a", "--dist", "b"])
                .contains("'--dist <DIR>' cannot be used multiple times")
        );
        assert!(usage_message(&["check", "--quiet", "--quiet"]).contains("multiple times"));
        assert!(
            usage_message(&["check", "--repos"])
                .contains("a value is required for '--repos <DIR>' but none was supplied")
        );
        assert!(usage_message(&["check", "--repos", "--only", "x"]).contains("a value is"));
        assert!(usage_message(&["check", "--quiet=yes"]).contains("unexpected value 'yes'"));
        let format = usage_message(&["check", "--message-format", "jsn"]);
        assert!(
            format.contains("[possible values: human, short, json, github]")
                && format.contains("a similar value exists: 'json'"),
            "{format}"
        );
        assert!(usage_message(&["explain"]).contains("<CODE>"));
        assert!(usage_message(&["explain", "a", "b"]).contains("'b' found"));
        let command = usage_message(&["chek"]);
        assert!(
            command.contains("a similar subcommand exists: 'check'"),
            "{command}"
        );
        assert!(usage_message(&["--bogus"]).contains("'--bogus' found"));
        assert!(
            matches!(parse(&[]), Err(CliError::MissingCommand(page)) if page.contains("Commands:"))
        );
        assert_eq!(parse(&[]).unwrap_err().exit_code(), 2);
        assert_eq!(parse(&["check", "-x"]).unwrap_err().exit_code(), 2);
    }

    #[test]
    fn help_and_version() {
        let version = format!("cargo xtask {}\n", env!("CARGO_PKG_VERSION"));
        for args in [
            &["--version"][..],
            &["-V"],
            &["check", "-V"],
            &["bench", "--version"],
        ] {
            assert_eq!(
                parse(args).err(),
                Some(CliError::Version(version.clone())),
                "{args:?}"
            );
        }
        let Err(CliError::Help(top)) = parse(&["--help"]) else {
            panic!("--help");
        };
        assert_eq!(parse(&["help"]).err(), Some(CliError::Help(top.clone())));
        assert_eq!(parse(&["-h"]).unwrap_err().exit_code(), 0);
        for spec in COMMANDS {
            assert!(top.contains(&format!("  {:<14}", spec.name)), "{top}");
        }
        assert!(top.contains("Exit status:"));
        let Err(CliError::Help(check)) = parse(&["check", "-h"]) else {
            panic!("check -h");
        };
        assert!(check.starts_with("Validate every repository"));
        assert!(check.contains("Usage: cargo xtask check [OPTIONS]"));
        assert!(check.contains("[possible values: static, python, auto]"));
        assert!(check.contains("- human:  rustc style"));
        let Err(CliError::Help(explain)) = parse(&["explain", "--help"]) else {
            panic!("explain --help");
        };
        assert!(explain.contains("Usage: cargo xtask explain <CODE>"));
        assert!(explain.contains("  <CODE>  The code"));
    }
}

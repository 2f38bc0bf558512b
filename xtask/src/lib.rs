//! `cargo xtask`: a declarative build plugin for a monorepo of Domino Pieces
//! repositories and Dioptra resource repositories.
//!
//! Data flows one way: [`discover`] -> parse ([`domino`], [`dioptra`]) -> graph ->
//! validate -> emit ([`output`]). Problems are [`diagnostics::Diagnostic`] values,
//! collected across all repositories and rendered once ([`render`]).

pub mod artifacts;
pub mod bench;
pub mod build_all;
pub mod build_images;
pub mod check;
pub mod cli;
pub mod codes;
pub mod config;
pub mod diagnostics;
pub mod dioptra;
pub mod discover;
pub mod doc;
pub mod domino;
pub mod environments;
pub mod facts;
pub mod fingerprint;
pub mod graph;
pub mod graph_command;
pub mod incremental;
pub mod output;
pub mod paths;
pub mod pipeline;
pub mod progress;
pub mod pyrepr;
pub mod python;
pub mod render;
pub mod source;
pub mod suggest;

use std::process::ExitCode;

use cli::{Cli, Command, CommonArgs};
use diagnostics::Diagnostic;

/// The documented exit statuses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExitStatus {
    /// No errors (warnings allowed).
    Success = 0,
    /// Errors found in the repositories.
    Errors = 1,
    /// Usage or environment error.
    Environment = 2,
}

impl ExitStatus {
    pub fn from_diagnostics(diagnostics: &[Diagnostic]) -> Self {
        if diagnostics.iter().any(Diagnostic::is_error) {
            ExitStatus::Errors
        } else {
            ExitStatus::Success
        }
    }
}

impl From<ExitStatus> for ExitCode {
    fn from(status: ExitStatus) -> Self {
        ExitCode::from(status as u8)
    }
}

/// Runs one command line.
pub fn run(cli: &Cli) -> ExitStatus {
    match &cli.command {
        Command::Check(args) => check::run(args),
        Command::BuildAll(args) => build_all::run(args),
        Command::Graph(args) => graph_command::run(args),
        Command::BuildImages(args) => build_images::run(args),
        Command::Bench(args) => bench::run(args),
    }
}

pub(crate) fn options_from(args: &CommonArgs) -> pipeline::Options {
    pipeline::Options {
        repos: args.repos.clone(),
        only: args.only.clone(),
        jobs: args.jobs.map(usize::from),
        schema_engine: args.schema_engine,
        incremental: false,
        changed_since: args.changed_since.clone(),
    }
}

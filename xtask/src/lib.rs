//! `cargo xtask`: a declarative build plugin for a monorepo of Domino Pieces
//! repositories and Dioptra resource repositories.
//!
//! Data flows one way: discover -> read (through the input gateway, [`input`])
//! -> parse ([`domino`], [`dioptra`]) -> graph ([`graph`]) -> validate -> emit
//! ([`emit`], pure functions to bytes) -> write (through the output gateway,
//! [`output`]). Problems are [`diagnostics::Diagnostic`] values with a code from
//! the registry ([`codes`]), collected across all repositories and rendered once.
//!
//! # Layers
//!
//! A module may use only modules of lower layers (never one of its own layer or
//! above; the test `layers::modules_import_only_lower_layers` enforces it):
//!
//! | layer | modules | what |
//! |---|---|---|
//! | 14 | `commands` | one module per command: calls the library, prints |
//! | 13 | `cli` | flags, converted to the library's options |
//! | 12 | `render` | printing diagnostics and the summary, once |
//! | 11 | `pipeline` | discover -> read -> parse -> graph -> validate, and `build`: emit -> write |
//! | 10 | `emit`, `incremental` | artifacts from the analysis (pure); fingerprints and the cache |
//! | 9 | `analysis` | the analysis of a run (plain data every emitter reads) |
//! | 8 | `graph` | the monorepo graph, built from facts only; environments, cycles, cross-repository rules, rendering |
//! | 7 | `domino`, `dioptra`, `discover` | the ecosystems: parse and validate one repository, record its facts |
//! | 6 | `context` | what a per-repository step sees |
//! | 5 | `config`, `report`, `synthetic` | the workspace configuration; plain per-repository results; the synthetic monorepo of `bench --synthetic` |
//! | 4 | `doc`, `python` | readers with spans (JSON, TOML) and the Python parser |
//! | 3 | `input`, `output`, `archive`, `facts`, `progress` | the two gateways; reproducible archives; plain facts; progress |
//! | 2 | `diagnostics` | diagnostics as data, rendered once |
//! | 1 | `source`, `schema_check` | source files, spans, positions; the JSON Schema validator |
//! | 0 | `codes`, `hashing`, `options`, `paths`, `pyrepr`, `suggest` | the code registry, content hashes, shared options, path display, Python value rules, did-you-mean |

pub mod analysis;
pub mod archive;
pub mod cli;
pub mod codes;
pub mod commands;
pub mod config;
pub mod context;
pub mod diagnostics;
pub mod dioptra;
pub mod discover;
pub mod doc;
pub mod domino;
pub mod emit;
pub mod facts;
pub mod graph;
pub mod hashing;
pub mod incremental;
pub mod input;
pub mod options;
pub mod output;
pub mod paths;
pub mod pipeline;
pub mod progress;
pub mod pyrepr;
pub mod python;
pub mod render;
pub mod report;
pub mod schema_check;
pub mod source;
pub mod suggest;
pub mod synthetic;

#[cfg(test)]
mod layers;

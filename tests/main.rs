//! The integration tests: ONE test binary (`cargo test --workspace` runs it as
//! `integration`) that runs the real `xtask` binary on fixture monorepos. Each
//! module is one area; they share the helpers of `helpers.rs`.
//!
//! Run one area with e.g. `cargo test --test integration cli::`.

mod helpers;

mod aggregation;

mod check_cache;
mod cli;
mod dioptra;
mod dioptra_corpus;
mod domino;
mod formats;
mod fuzz;
mod robustness;
mod schema_check;
mod untrusted;

//! `cargo xtask build-all`: validate, then emit every artifact. When an error is
//! found only the reports are written (so CI can show them), no artifact; every
//! file is written atomically.

use super::ExitStatus;
use crate::cli::BuildArgs;

pub fn run(args: &BuildArgs) -> ExitStatus {
    super::build(args).0
}

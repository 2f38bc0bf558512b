//! What every per-repository step of the analysis can see.

use crate::config::Config;
use crate::options::Mode;
use crate::progress::Progress;

pub struct Context<'a> {
    pub config: &'a Config,
    pub mode: Mode,
    pub progress: &'a Progress,
}

//! Options of the analysis that several layers share, independent of the
//! command line (`cli.rs` converts its flags into these).

/// Write files, or only compare them with what is on disk.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Mode {
    /// `check`: nothing is written; generated files that differ are reported.
    #[default]
    Check,
    /// `build-all`: generated files and artifacts are written.
    Write,
}

/// How Domino models.py schemas are computed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SchemaEngine {
    /// Read the source statically; no Python is run.
    #[default]
    Static,
    /// Import every models.py in one Python process (executes repository code).
    Python,
    /// Static, falling back to Python for the models the static reader refuses.
    Auto,
}

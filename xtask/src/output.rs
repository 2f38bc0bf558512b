//! The output gateway: the only code that writes. Every file is written
//! atomically (a temporary file in the same folder, then a rename), an
//! unchanged file is not touched, and in check mode ([`Mode::Check`]) nothing
//! is written: the gateway only says what would change, as rust-analyzer's
//! codegen check does.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use crate::codes::Code;
use crate::diagnostics::Diagnostic;
use crate::options::Mode;
use crate::paths::display_path;

/// Pretty JSON with a trailing newline (every JSON artifact).
pub fn json_bytes(value: &serde_json::Value) -> Vec<u8> {
    let mut bytes = serde_json::to_vec_pretty(value).expect("JSON values serialize");
    bytes.push(b'\n');
    bytes
}

/// A file to produce: where, and its exact bytes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Output {
    pub path: PathBuf,
    pub bytes: Vec<u8>,
    /// The file already holds exactly these bytes (they were read through the
    /// input gateway in this run): writing it is a no-op, and it is not read
    /// again to find out.
    pub current: bool,
}

impl Output {
    pub fn new(path: impl Into<PathBuf>, bytes: impl Into<Vec<u8>>) -> Self {
        Output {
            path: path.into(),
            bytes: bytes.into(),
            current: false,
        }
    }

    /// An output whose file already holds these bytes.
    pub fn current(path: impl Into<PathBuf>, bytes: impl Into<Vec<u8>>) -> Self {
        Output {
            current: true,
            ..Output::new(path, bytes)
        }
    }

    /// Writes it (or, in check mode, compares it) unless it is current.
    pub fn ensure(&self, mode: Mode) -> std::io::Result<WriteStatus> {
        if self.current {
            return Ok(WriteStatus::Unchanged);
        }
        ensure(&self.path, &self.bytes, mode)
    }
}

/// What happened to one output (or, in check mode, would happen).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WriteStatus {
    Unchanged,
    Written,
    /// Check mode: the file is missing or differs; nothing was written.
    Stale,
}

/// Makes `path` hold `bytes`: in write mode atomically (a temporary file in the
/// same folder, flushed, then renamed over the target); an unchanged file is
/// not touched (its modification time stays). In check mode nothing is
/// written.
pub fn ensure(path: &Path, bytes: &[u8], mode: Mode) -> std::io::Result<WriteStatus> {
    if std::fs::read(path).is_ok_and(|old| old == bytes) {
        return Ok(WriteStatus::Unchanged);
    }
    if mode == Mode::Check {
        return Ok(WriteStatus::Stale);
    }
    let folder = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(folder)?;
    let mut temp = tempfile::Builder::new()
        .prefix(".xtask-")
        .suffix(".tmp")
        .tempfile_in(folder)?;
    temp.write_all(bytes)?;
    temp.as_file().sync_all()?;
    temp.persist(path).map_err(|err| err.error)?;
    Ok(WriteStatus::Written)
}

/// A file that could not be written, as a diagnostic (exit status 2).
pub fn write_failure(path: &Path, err: &std::io::Error) -> Diagnostic {
    Diagnostic::error(Code::EnvWriteFailed, format!("cannot write file: {err}"))
        .at_path(display_path(path))
}

/// Writes outputs (absolute paths) atomically; failures come back as
/// diagnostics.
pub fn write_all(outputs: &[Output]) -> Vec<Diagnostic> {
    outputs
        .iter()
        .filter_map(|output| {
            output
                .ensure(Mode::Write)
                .err()
                .map(|err| write_failure(&output.path, &err))
        })
        .collect()
}

/// Makes `dir` hold exactly `outputs` (paths relative to it): everything is
/// written to a sibling staging folder first, which then replaces `dir` with two
/// renames, so an interrupted run leaves the previous folder intact. When the
/// folder already holds exactly these bytes nothing is touched; in check mode
/// nothing is written.
pub fn replace_dir(dir: &Path, outputs: &[Output], mode: Mode) -> std::io::Result<WriteStatus> {
    if dir_matches(dir, outputs) {
        return Ok(WriteStatus::Unchanged);
    }
    if mode == Mode::Check {
        return Ok(WriteStatus::Stale);
    }
    let parent = dir
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent)?;
    let name = dir
        .file_name()
        .map_or_else(|| "dist".into(), |n| n.to_string_lossy().into_owned());
    let staging = tempfile::Builder::new()
        .prefix(&format!(".{name}.staging-"))
        .tempdir_in(parent)?;
    for output in outputs {
        let path = staging.path().join(&output.path);
        if let Some(folder) = path.parent() {
            std::fs::create_dir_all(folder)?;
        }
        let mut file = std::fs::File::create(&path)?;
        file.write_all(&output.bytes)?;
        file.sync_all()?;
    }
    let staging = staging.keep();
    let previous = parent.join(format!(".{name}.previous-{}", std::process::id()));
    if dir.exists() {
        std::fs::rename(dir, &previous)?;
    }
    if let Err(err) = std::fs::rename(&staging, dir) {
        // Put the previous folder back.
        if previous.exists() {
            let _ = std::fs::rename(&previous, dir);
        }
        let _ = std::fs::remove_dir_all(&staging);
        return Err(err);
    }
    if previous.exists() {
        std::fs::remove_dir_all(&previous)?;
    }
    Ok(WriteStatus::Written)
}

/// A temporary folder, removed when dropped (scratch space for the reference
/// tools in `bench`).
pub fn scratch_dir() -> std::io::Result<tempfile::TempDir> {
    tempfile::tempdir()
}

/// Does `dir` hold exactly these files with these bytes?
fn dir_matches(dir: &Path, outputs: &[Output]) -> bool {
    let existing: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| e.path().strip_prefix(dir).ok().map(Path::to_path_buf))
        .collect();
    existing.len() == outputs.len()
        && outputs
            .iter()
            .all(|o| std::fs::read(dir.join(&o.path)).is_ok_and(|b| b == o.bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_atomically_and_skips_unchanged_files() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a/b.json");
        assert_eq!(
            ensure(&path, b"one", Mode::Write).unwrap(),
            WriteStatus::Written
        );
        assert_eq!(
            ensure(&path, b"one", Mode::Write).unwrap(),
            WriteStatus::Unchanged
        );
        assert_eq!(
            ensure(&path, b"two", Mode::Write).unwrap(),
            WriteStatus::Written
        );
        assert_eq!(std::fs::read(&path).unwrap(), b"two");
        let leftovers = std::fs::read_dir(dir.path().join("a")).unwrap().count();
        assert_eq!(leftovers, 1, "no temporary files are left behind");
        assert_eq!(
            Output::current(&path, "stale").ensure(Mode::Write).unwrap(),
            WriteStatus::Unchanged,
            "a current output is not written"
        );
        assert_eq!(std::fs::read(&path).unwrap(), b"two");
    }

    #[test]
    fn replacing_a_folder_is_all_or_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let dist = dir.path().join("dist");
        std::fs::create_dir_all(dist.join("old")).unwrap();
        std::fs::write(dist.join("old/stale.txt"), "stale").unwrap();
        let outputs = [Output::new("a/b.txt", "b"), Output::new("c.txt", "c")];
        assert_eq!(
            replace_dir(&dist, &outputs, Mode::Write).unwrap(),
            WriteStatus::Written
        );
        assert!(!dist.join("old").exists(), "files of earlier runs are gone");
        assert_eq!(std::fs::read(dist.join("a/b.txt")).unwrap(), b"b");
        assert_eq!(
            replace_dir(&dist, &outputs, Mode::Write).unwrap(),
            WriteStatus::Unchanged
        );
        let siblings = std::fs::read_dir(dir.path()).unwrap().count();
        assert_eq!(siblings, 1, "no staging folder is left behind");
    }
}

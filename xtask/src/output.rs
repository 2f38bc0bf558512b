//! Putting bytes on disk: one writer, atomic (temp file in the same folder, then
//! rename), and a check mode that compares instead of writing.

use std::io::Write as _;
use std::path::{Path, PathBuf};

/// Write files, or only compare them with what is on disk.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    Write,
    Check,
}

/// A file to produce: where, and its exact bytes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Output {
    pub path: PathBuf,
    pub bytes: Vec<u8>,
}

impl Output {
    pub fn new(path: impl Into<PathBuf>, bytes: impl Into<Vec<u8>>) -> Self {
        Output {
            path: path.into(),
            bytes: bytes.into(),
        }
    }

    /// Is the file on disk exactly these bytes?
    pub fn is_up_to_date(&self) -> bool {
        std::fs::read(&self.path).is_ok_and(|bytes| bytes == self.bytes)
    }
}

/// What happened to one output.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WriteStatus {
    Unchanged,
    Written,
}

/// Writes `bytes` to `path` atomically: a temporary file in the same folder,
/// flushed, then renamed over the target. An unchanged file is not touched (its
/// modification time stays).
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<WriteStatus> {
    if std::fs::read(path).is_ok_and(|old| old == bytes) {
        return Ok(WriteStatus::Unchanged);
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_atomically_and_skips_unchanged_files() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a/b.json");
        assert_eq!(write_atomic(&path, b"one").unwrap(), WriteStatus::Written);
        assert_eq!(write_atomic(&path, b"one").unwrap(), WriteStatus::Unchanged);
        assert_eq!(write_atomic(&path, b"two").unwrap(), WriteStatus::Written);
        assert_eq!(std::fs::read(&path).unwrap(), b"two");
        let leftovers = std::fs::read_dir(dir.path().join("a")).unwrap().count();
        assert_eq!(leftovers, 1, "no temporary files are left behind");
        assert!(Output::new(&path, "two").is_up_to_date());
        assert!(!Output::new(&path, "one").is_up_to_date());
    }
}

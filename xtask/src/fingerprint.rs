//! Content hashes (blake3) of files and folders, shared by the catalog, the
//! release archives and incremental builds.

use std::path::{Path, PathBuf};

use crate::paths::to_slash;

/// Folders never hashed nor archived.
const IGNORED_DIRS: &[&str] = &[
    ".git",
    "target",
    "node_modules",
    "__pycache__",
    ".pytest_cache",
    ".mypy_cache",
];

/// Every file under `root` (sorted by relative path, `/` separators), skipping
/// VCS and cache folders and `*.pyc`.
pub fn tree_files(root: &Path) -> Vec<(String, PathBuf)> {
    let mut files: Vec<(String, PathBuf)> = walkdir::WalkDir::new(root)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|entry| {
            entry.depth() == 0
                || !(entry.file_type().is_dir()
                    && IGNORED_DIRS.contains(&&*entry.file_name().to_string_lossy()))
        })
        .filter_map(Result::ok)
        .filter(|entry| entry.file_type().is_file())
        .filter(|entry| entry.path().extension().is_none_or(|ext| ext != "pyc"))
        .filter_map(|entry| {
            let relative = entry.path().strip_prefix(root).ok()?;
            Some((to_slash(relative), entry.path().to_path_buf()))
        })
        .filter(|(relative, _)| !relative.split('/').any(|part| part.starts_with(".xtask-")))
        .collect();
    files.sort();
    files
}

/// A hasher over named byte strings: the same names and contents always give
/// the same hash, and no two different sets collide by concatenation.
#[derive(Default)]
pub struct ContentHasher {
    hasher: blake3::Hasher,
}

impl ContentHasher {
    pub fn new(domain: &str) -> Self {
        let mut hasher = blake3::Hasher::new();
        hasher.update(domain.as_bytes());
        hasher.update(b"\0");
        ContentHasher { hasher }
    }

    pub fn add(&mut self, name: &str, bytes: &[u8]) -> &mut Self {
        self.hasher.update(&(name.len() as u64).to_le_bytes());
        self.hasher.update(name.as_bytes());
        self.hasher.update(&(bytes.len() as u64).to_le_bytes());
        self.hasher.update(bytes);
        self
    }

    pub fn finish(&self) -> String {
        self.hasher.finalize().to_hex().to_string()
    }
}

/// The hash of a folder's files (names relative to it), or of a single file.
pub fn hash_path(path: &Path) -> String {
    if !path.is_file() {
        return hash_tree_with_outputs(path, &[]);
    }
    let mut hasher = ContentHasher::new("tree-v1");
    hasher.add("", &std::fs::read(path).unwrap_or_default());
    hasher.finish()
}

/// The hash of a folder's files as they will be once `outputs` (absolute paths
/// inside it) are written: generated files count with their new bytes, so the
/// hash does not depend on whether they were on disk before the run.
pub fn hash_tree_with_outputs(root: &Path, outputs: &[crate::output::Output]) -> String {
    let root = crate::paths::absolute(root);
    let mut files: std::collections::BTreeMap<String, Vec<u8>> = tree_files(&root)
        .into_iter()
        .map(|(name, file)| (name, std::fs::read(&file).unwrap_or_default()))
        .collect();
    for output in outputs {
        if let Ok(relative) = crate::paths::absolute(&output.path).strip_prefix(&root) {
            files.insert(crate::paths::to_slash(relative), output.bytes.clone());
        }
    }
    let mut hasher = ContentHasher::new("tree-v1");
    for (name, bytes) in &files {
        hasher.add(name, bytes);
    }
    hasher.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_follow_content_and_names() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("a/__pycache__")).unwrap();
        std::fs::write(dir.path().join("a/x.py"), "x").unwrap();
        std::fs::write(dir.path().join("a/__pycache__/x.pyc"), "junk").unwrap();
        let first = hash_path(&dir.path().join("a"));
        std::fs::write(dir.path().join("a/__pycache__/x.pyc"), "other junk").unwrap();
        assert_eq!(
            first,
            hash_path(&dir.path().join("a")),
            "caches are ignored"
        );
        std::fs::write(dir.path().join("a/x.py"), "y").unwrap();
        assert_ne!(first, hash_path(&dir.path().join("a")));
        let names: Vec<_> = tree_files(&dir.path().join("a"))
            .into_iter()
            .map(|(n, _)| n)
            .collect();
        assert_eq!(names, ["x.py"]);
    }
}

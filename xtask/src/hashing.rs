//! Content hashes (blake3) of files and trees, shared by the catalog, the
//! release archives and incremental builds. Pure: the bytes come from the input
//! gateway.

/// Folders never hashed nor archived.
pub const IGNORED_DIRS: &[&str] = &[
    ".git",
    "target",
    "node_modules",
    "__pycache__",
    ".pytest_cache",
    ".mypy_cache",
];

/// Is this folder name left out of trees?
pub fn is_ignored_dir(name: &str) -> bool {
    IGNORED_DIRS.contains(&name)
}

/// Is this file (path relative to the tree root) part of a tree? Compiled
/// Python and the temporary files of interrupted writes are not.
pub fn is_tree_file(relative: &str) -> bool {
    !relative.ends_with(".pyc") && !relative.split('/').any(|part| part.starts_with(".xtask-"))
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

/// Lower-case hex SHA-256 of some bytes.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(bytes);
    let mut hex = String::with_capacity(64);
    for byte in digest {
        hex.push_str(&format!("{byte:02x}"));
    }
    hex
}

/// The hash of a tree: its files (relative names, sorted) and their bytes.
pub fn tree_hash<'a>(files: impl IntoIterator<Item = (&'a str, &'a [u8])>) -> String {
    let mut files: Vec<(&str, &[u8])> = files.into_iter().collect();
    files.sort_by(|a, b| a.0.cmp(b.0));
    let mut hasher = ContentHasher::new("tree-v1");
    for (name, bytes) in files {
        hasher.add(name, bytes);
    }
    hasher.finish()
}

/// The hash of a part of a tree (`files` relative to the tree root): a single
/// file (hashed under the empty name), or a folder (its files, named relative
/// to it; an absent folder hashes as an empty tree).
pub fn subtree_hash(files: &[(&str, &[u8])], path: &str) -> String {
    if let Some((_, bytes)) = files.iter().find(|(name, _)| *name == path) {
        return tree_hash([("", *bytes)]);
    }
    let prefix = format!("{path}/");
    tree_hash(files.iter().filter_map(|(name, bytes)| {
        if path.is_empty() {
            Some((*name, *bytes))
        } else {
            name.strip_prefix(&prefix).map(|rest| (rest, *bytes))
        }
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_follow_content_and_names() {
        let files: Vec<(&str, &[u8])> = vec![("a/x.py", b"x"), ("b.txt", b"b")];
        let whole = subtree_hash(&files, "");
        assert_eq!(whole, tree_hash(files.iter().rev().copied()), "order-free");
        assert_eq!(subtree_hash(&files, "a"), tree_hash([("x.py", &b"x"[..])]));
        assert_eq!(subtree_hash(&files, "b.txt"), tree_hash([("", &b"b"[..])]));
        assert_ne!(subtree_hash(&files, "a"), subtree_hash(&files, "b.txt"));
        assert_eq!(subtree_hash(&files, "missing"), tree_hash([]));
        assert!(!is_tree_file("a/__x.pyc") && !is_tree_file(".domino/.xtask-1.tmp"));
        assert!(is_tree_file("pieces/APiece/models.py"));
    }
}

//! Reproducible `.tar.gz` archives: sorted entries, fixed mtime/uid/gid/owner
//! names, normalized modes, and a gzip header without a timestamp. The same
//! inputs give the same bytes on any machine.

use std::borrow::Cow;
use std::io::Write as _;

use flate2::{Compression, GzBuilder};

/// One file of an archive (its bytes borrowed when they are held elsewhere).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry<'a> {
    /// The path inside the archive, with `/` separators.
    pub path: String,
    pub bytes: Cow<'a, [u8]>,
    pub executable: bool,
}

impl<'a> Entry<'a> {
    pub fn file(path: impl Into<String>, bytes: impl Into<Cow<'a, [u8]>>) -> Self {
        Entry {
            path: path.into(),
            bytes: bytes.into(),
            executable: false,
        }
    }
}

/// Builds a `.tar.gz` from entries (sorted by path here; duplicates: the last wins).
/// Folders get explicit entries so every extractor recreates them.
pub fn tar_gz(mut entries: Vec<Entry<'_>>) -> std::io::Result<Vec<u8>> {
    // The `tar` crate's long-name path does not refuse `..`: every name is
    // checked here before anything is written.
    if let Some(entry) = entries
        .iter()
        .find(|e| !crate::paths::is_safe_relative_path(&e.path))
    {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            format!("unsafe archive entry name {:?}", entry.path),
        ));
    }
    entries.sort_by(|a, b| a.path.cmp(&b.path));
    entries.dedup_by(|later, earlier| {
        if later.path == earlier.path {
            std::mem::swap(later, earlier);
            true
        } else {
            false
        }
    });
    let mut folders: Vec<String> = entries
        .iter()
        .flat_map(|entry| {
            let parts: Vec<&str> = entry.path.split('/').collect();
            (1..parts.len()).map(move |n| parts[..n].join("/"))
        })
        .collect();
    folders.sort();
    folders.dedup();

    let mut builder = tar::Builder::new(Vec::new());
    builder.mode(tar::HeaderMode::Deterministic);
    let mut all: Vec<(String, Option<&Entry>)> = folders
        .into_iter()
        .map(|f| (format!("{f}/"), None))
        .collect();
    all.extend(entries.iter().map(|e| (e.path.clone(), Some(e))));
    all.sort_by(|a, b| a.0.cmp(&b.0));
    for (path, entry) in all {
        let mut header = tar::Header::new_gnu();
        header.set_mtime(0);
        header.set_uid(0);
        header.set_gid(0);
        header.set_username("")?;
        header.set_groupname("")?;
        match entry {
            None => {
                header.set_entry_type(tar::EntryType::Directory);
                header.set_mode(0o755);
                header.set_size(0);
                builder.append_data(&mut header, &path, std::io::empty())?;
            }
            Some(entry) => {
                header.set_entry_type(tar::EntryType::Regular);
                header.set_mode(if entry.executable { 0o755 } else { 0o644 });
                header.set_size(entry.bytes.len() as u64);
                builder.append_data(&mut header, &path, &*entry.bytes)?;
            }
        }
    }
    let tar_bytes = builder.into_inner()?;
    let mut gz = GzBuilder::new()
        .mtime(0)
        .write(Vec::new(), Compression::best());
    gz.write_all(&tar_bytes)?;
    gz.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(archive: &[u8]) -> Vec<String> {
        let decoder = flate2::read::GzDecoder::new(archive);
        let mut tar = tar::Archive::new(decoder);
        tar.entries()
            .unwrap()
            .map(|e| e.unwrap().path().unwrap().to_string_lossy().into_owned())
            .collect()
    }

    #[test]
    fn archives_are_reproducible_and_sorted() {
        let a = tar_gz(vec![
            Entry::file("r/b.txt", &b"b"[..]),
            Entry::file("r/a/x.txt", &b"x"[..]),
        ])
        .unwrap();
        let b = tar_gz(vec![
            Entry::file("r/a/x.txt", &b"x"[..]),
            Entry::file("r/b.txt", &b"b"[..]),
        ])
        .unwrap();
        assert_eq!(a, b);
        assert_eq!(names(&a), ["r/", "r/a/", "r/a/x.txt", "r/b.txt"]);
        // gzip header: no timestamp (bytes 4..8 are MTIME).
        assert_eq!(&a[4..8], &[0, 0, 0, 0]);
    }

    #[test]
    fn unsafe_entry_names_are_refused() {
        let long = format!("{}/../../../../tmp/x", "x".repeat(120));
        for name in [long.as_str(), "/etc/passwd", "a/../b", "a\nb"] {
            assert!(
                tar_gz(vec![Entry::file(name, &b"x"[..])]).is_err(),
                "{name:?}"
            );
        }
    }

    #[test]
    fn the_last_duplicate_wins() {
        let a = tar_gz(vec![
            Entry::file("a", &b"old"[..]),
            Entry::file("a", &b"new"[..]),
        ])
        .unwrap();
        let decoder = flate2::read::GzDecoder::new(a.as_slice());
        let mut tar = tar::Archive::new(decoder);
        let mut entry = tar.entries().unwrap().next().unwrap().unwrap();
        let mut text = String::new();
        std::io::Read::read_to_string(&mut entry, &mut text).unwrap();
        assert_eq!(text, "new");
    }
}

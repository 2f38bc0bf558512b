//! Release archives of Domino repositories: `<REPOSITORY_NAME>-<VERSION>.tar.gz`
//! holding the repository tree with its regenerated `.domino/`, as the release
//! tag's source archive would (entries under `<REPOSITORY_NAME>-<VERSION>/`).

use std::collections::BTreeMap;

use crate::archive::{self, Entry};
use crate::facts::DominoFacts;
use crate::output::Output;

/// One file of the tree: relative path, bytes, executable bit.
pub type TreeFile<'a> = (&'a str, &'a [u8], bool);

/// The release archive (path relative to dist) of a repository whose tree is
/// `tree` once `generated` (relative path -> bytes) is written.
pub fn release_archive(
    facts: &DominoFacts,
    tree: &[TreeFile<'_>],
    generated: &BTreeMap<String, &[u8]>,
) -> std::io::Result<Output> {
    let stem = format!("{}-{}", facts.repository_name, facts.version);
    let mut entries: Vec<Entry> = tree
        .iter()
        .filter(|(relative, _, _)| !generated.contains_key(*relative))
        .map(|(relative, bytes, executable)| {
            let mut entry = Entry::file(format!("{stem}/{relative}"), *bytes);
            entry.executable = *executable;
            entry
        })
        .collect();
    for (relative, bytes) in generated {
        entries.push(Entry::file(format!("{stem}/{relative}"), *bytes));
    }
    let bytes = archive::tar_gz(entries)?;
    Ok(Output::new(format!("releases/{stem}.tar.gz"), bytes))
}

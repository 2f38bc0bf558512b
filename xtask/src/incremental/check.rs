//! `check`'s own cache: per repository, what it found (diagnostics, facts,
//! counts) and the metadata of everything it depends on, kept in one file,
//! `target/xtask/check/recorded` (one line per repository, rewritten whole
//! when a repository was checked; a file per repository made ext4 find a
//! fresh inode for each of a thousand files on every run, about a tenth of a
//! cold check at 1,000 repositories). A later `check` that finds the same metadata (size,
//! modification time and inode of every file and folder of the repository
//! tree, and of the files outside it that were read), the same tool and the
//! same configuration replays the result instead of reading and parsing the
//! repository again, as make and cargo trust time stamps. Nothing is hashed
//! and nothing more is read for it: a cold `check` reads what validation
//! needs, no more.
//!
//! A stamp is trusted only when the file was last modified more than a second
//! before it was taken (a coarse time stamp may not change with a quick second
//! edit): a repository holding a newer one is not recorded, and is checked
//! again next time. The graph and the cross-repository rules always run on
//! every repository's (replayed or fresh) results.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use super::{config_identity, entry_key, tool_identity};
use crate::config::Config;
use crate::diagnostics::Diagnostic;
use crate::facts::Facts;
use crate::input::{MetadataStamp, Reader, Workspace};
use crate::paths::display_path;
use crate::report::{Repository, RepositoryReport, Stats};

/// Bump when the entry format changes (an entry of another format is a miss).
const FORMAT: u32 = 1;

/// How long before a stamp is taken a modification must be for the stamp to
/// be trusted.
const RACY_NS: i128 = 1_000_000_000;

/// The cache folder of `check`.
pub fn cache_dir(config: &Config) -> PathBuf {
    config.workspace_root.join("target/xtask/check")
}

/// The file of recorded checks.
pub fn recorded_file(config: &Config) -> PathBuf {
    cache_dir(config).join("recorded")
}

/// The recorded checks, as read at the start of a run: lines
/// `<repository key>\t<entry as JSON>`, sorted by key (a JSON entry written
/// by serde_json holds no raw newline). A line that is not of this form is
/// left out; an entry that does not parse is a miss.
#[derive(Debug, Default)]
pub struct Recorded {
    text: Vec<u8>,
    entries: BTreeMap<Box<str>, Range<usize>>,
}

impl Recorded {
    /// The recorded checks of the workspace (none when the file is missing or
    /// cannot be read).
    pub fn load(workspace: &Workspace, config: &Config) -> Self {
        workspace
            .read_once(&recorded_file(config))
            .map_or_else(|_| Recorded::default(), Recorded::parse)
    }

    fn parse(text: Vec<u8>) -> Self {
        let mut entries = BTreeMap::new();
        let mut start = 0;
        for line in text.split_inclusive(|&b| b == b'\n') {
            let end = start + line.len();
            if let Some(tab) = line.iter().position(|&b| b == b'\t')
                && line.ends_with(b"\n")
                && let Ok(key) = std::str::from_utf8(&line[..tab])
            {
                entries.insert(key.into(), start + tab + 1..end - 1);
            }
            start = end;
        }
        Recorded { text, entries }
    }

    fn entry(&self, key: &str) -> Option<Entry> {
        let range = self.entries.get(key)?.clone();
        serde_json::from_slice(&self.text[range]).ok()
    }

    /// The file's new bytes after a run that checked the repositories of
    /// `checked` (keys) and recorded `recorded` (key, entry): the entries of
    /// the repositories it did not check are kept, the checked ones' old
    /// entries dropped. None when nothing was checked (nothing to write).
    pub fn updated(&self, checked: &[String], recorded: Vec<(String, Vec<u8>)>) -> Option<Vec<u8>> {
        if checked.is_empty() {
            return None;
        }
        let mut lines: BTreeMap<&str, &[u8]> = self
            .entries
            .iter()
            .map(|(key, range)| (&**key, &self.text[range.clone()]))
            .collect();
        for key in checked {
            lines.remove(key.as_str());
        }
        for (key, entry) in &recorded {
            lines.insert(key, entry);
        }
        let mut bytes = Vec::with_capacity(lines.values().map(|e| e.len() + 64).sum());
        for (key, entry) in lines {
            bytes.extend_from_slice(key.as_bytes());
            bytes.push(b'\t');
            bytes.extend_from_slice(entry);
            bytes.push(b'\n');
        }
        Some(bytes)
    }
}

/// A repository tree as it was at the start of its check.
#[derive(Debug, Default)]
pub struct Snapshot {
    tree: BTreeMap<Box<str>, MetadataStamp>,
    taken_at_ns: i128,
    /// The tree could not be listed: nothing is replayed or recorded.
    unlisted: bool,
}

impl Snapshot {
    /// The metadata of the repository tree (nothing is read), as the run's
    /// listings stamped it (no stamp is older than `listed_from_ns`, the time
    /// the run started to list).
    pub fn take(reader: &Reader<'_>, repository: &Repository, listed_from_ns: i128) -> Self {
        let taken_at_ns = listed_from_ns;
        match reader.tree_metadata(&repository.root) {
            Some(tree) => Snapshot {
                tree: tree
                    .into_iter()
                    .map(|(path, stamp)| (path.into_boxed_str(), stamp))
                    .collect(),
                taken_at_ns,
                unlisted: false,
            },
            None => Snapshot {
                unlisted: true,
                ..Snapshot::default()
            },
        }
    }

    /// Every stamp is older than the snapshot by more than [`RACY_NS`].
    fn is_trustworthy(&self) -> bool {
        !self.unlisted
            && self
                .tree
                .values()
                .all(|&(_, modified, _)| modified < self.taken_at_ns - RACY_NS)
    }
}

/// One repository's entry.
#[derive(Debug, Serialize, Deserialize)]
struct Entry {
    format: u32,
    tool: String,
    config: String,
    tree: BTreeMap<Box<str>, MetadataStamp>,
    /// Files outside the repository that its check read (absolute paths),
    /// with their metadata (None: it could not be looked at).
    outside: BTreeMap<PathBuf, Option<MetadataStamp>>,
    /// How the repository root and those files were shown (messages quote
    /// paths as shown, which depends on the roots of the run).
    shown: Vec<String>,
    stats: Stats,
    facts: Facts,
    diagnostics: Vec<Diagnostic>,
}

/// The repository's previous result, when nothing it depends on changed
/// since it was recorded: its report, with the diagnostics' sources read again
/// (None if one of them cannot be).
pub fn replay(
    reader: &Reader<'_>,
    config: &Config,
    repository: &Repository,
    snapshot: &Snapshot,
    recorded: &Recorded,
) -> Option<RepositoryReport> {
    if snapshot.unlisted {
        return None;
    }
    let entry = recorded.entry(&entry_key(repository))?;
    let unchanged = entry.format == FORMAT
        && entry.tool == tool_identity()
        && entry.config == config_identity(config, repository)
        && entry.tree == snapshot.tree
        && entry
            .outside
            .iter()
            .all(|(path, stamp)| reader.workspace().metadata_stamp(path) == *stamp)
        && entry.shown == shown(repository, entry.outside.keys());
    if !unchanged {
        return None;
    }
    let mut report = RepositoryReport::new(repository);
    report.stats = entry.stats;
    report.facts = entry.facts;
    for mut diagnostic in entry.diagnostics {
        if !diagnostic.load_sources(&|path| reader.text(path).ok()) {
            return None;
        }
        report.diagnostics.push(diagnostic);
    }
    Some(report)
}

/// Records what the check of a repository found (its diagnostics before the
/// lint levels apply), unless a stamp it depends on cannot be trusted yet:
/// its entry, for [`Recorded::updated`]. The caller
/// writes the file ([`crate::output::replace_cache_file`]); a failure to write
/// is not an error: the next check checks again.
pub fn record(
    reader: &Reader<'_>,
    config: &Config,
    report: &RepositoryReport,
    snapshot: Snapshot,
) -> Option<Vec<u8>> {
    if !snapshot.is_trustworthy() {
        return None;
    }
    let mut outside = BTreeMap::new();
    for path in reader.outside_reads() {
        let stamp = reader.workspace().metadata_stamp(&path);
        if stamp.is_some_and(|(_, modified, _)| modified >= snapshot.taken_at_ns - RACY_NS) {
            return None;
        }
        outside.insert(path, stamp);
    }
    let entry = Entry {
        shown: shown(&report.repository, outside.keys()),
        format: FORMAT,
        tool: tool_identity().to_string(),
        config: config_identity(config, &report.repository),
        tree: snapshot.tree,
        outside,
        stats: report.stats,
        facts: report.facts.clone(),
        diagnostics: report.diagnostics.clone(),
    };
    serde_json::to_vec(&entry).ok()
}

/// How the repository root and the files outside it are shown in this run.
fn shown<'a>(repository: &Repository, outside: impl Iterator<Item = &'a PathBuf>) -> Vec<String> {
    std::iter::once(repository.display.clone())
        .chain(outside.map(|path| display_path(path)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_run_keeps_the_entries_of_what_it_did_not_check() {
        let old = Recorded::parse(
            b"a-1\t{\"a\":1}\nb-2\t{\"b\":2}\nc-3\t{\"c\":3}\nno tab here\nd-4\t{\"torn\"".to_vec(),
        );
        // Nothing checked: nothing to write.
        assert_eq!(old.updated(&[], Vec::new()), None);
        // b checked and recorded anew, c checked but not recorded (a recent
        // stamp), e new; a kept; the line without a tab and the unterminated
        // one are dropped.
        let bytes = old
            .updated(
                &["b-2".into(), "c-3".into(), "e-5".into()],
                vec![
                    ("e-5".into(), b"{\"e\":5}".to_vec()),
                    ("b-2".into(), b"{\"b\":22}".to_vec()),
                ],
            )
            .unwrap();
        assert_eq!(
            String::from_utf8(bytes).unwrap(),
            "a-1\t{\"a\":1}\nb-2\t{\"b\":22}\ne-5\t{\"e\":5}\n"
        );
    }
}

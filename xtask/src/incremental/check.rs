//! `check`'s own cache: per repository, what it found (diagnostics, facts,
//! counts) and the metadata of everything it depends on, kept under
//! `target/xtask/check/`. A later `check` that finds the same metadata (size,
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
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use super::{config_identity, entry_file, now_ns, tool_identity};
use crate::config::Config;
use crate::diagnostics::Diagnostic;
use crate::facts::Facts;
use crate::input::{MetadataStamp, Reader};
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

/// A repository tree as it was at the start of its check.
#[derive(Debug, Default)]
pub struct Snapshot {
    tree: BTreeMap<Box<str>, MetadataStamp>,
    taken_at_ns: i128,
    /// The tree could not be listed: nothing is replayed or recorded.
    unlisted: bool,
}

impl Snapshot {
    /// The metadata of the repository tree (nothing is read).
    pub fn take(reader: &Reader<'_>, repository: &Repository) -> Self {
        let taken_at_ns = now_ns();
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
) -> Option<RepositoryReport> {
    if snapshot.unlisted {
        return None;
    }
    let bytes = reader
        .workspace()
        .read_once(&entry_file(&cache_dir(config), repository))
        .ok()?;
    let entry: Entry = serde_json::from_slice(&bytes).ok()?;
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
/// lint levels apply), unless a stamp it depends on cannot be trusted yet.
/// The caller writes it ([`crate::output::replace_cache_file`]); a failure to
/// write is not an error: the next check checks it again.
pub fn record(
    reader: &Reader<'_>,
    config: &Config,
    report: &RepositoryReport,
    snapshot: Snapshot,
) -> Option<(PathBuf, Vec<u8>)> {
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
    let bytes = serde_json::to_vec(&entry).ok()?;
    Some((entry_file(&cache_dir(config), &report.repository), bytes))
}

/// How the repository root and the files outside it are shown in this run.
fn shown<'a>(repository: &Repository, outside: impl Iterator<Item = &'a PathBuf>) -> Vec<String> {
    std::iter::once(repository.display.clone())
        .chain(outside.map(|path| display_path(path)))
        .collect()
}

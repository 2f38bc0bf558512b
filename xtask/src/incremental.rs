//! Incremental builds, in the manner of cargo's fingerprints: per repository, a
//! blake3 fingerprint over the tool itself, the configuration, and every input
//! file's path and content, kept under `target/xtask/fingerprints/`. A repository
//! whose fingerprint and outputs are unchanged is not recompiled (its report is
//! restored from the cache), and `--explain` says why each other one was, with
//! typed reasons ([`DirtyReason`]) rendered once.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use crate::config::Config;
use crate::diagnostics::Diagnostic;
use crate::facts::Facts;
use crate::hashing::ContentHasher;
use crate::input::{Reader, Workspace};
use crate::output::{Output, Store, WriteError};
use crate::paths::{absolute, display_path, safe_name, to_slash};
use crate::report::{Repository, RepositoryReport, Stats};

pub mod check;

/// Bump when the cache format changes (an entry of another format is a miss).
const FORMAT: u32 = 5;

/// A file as it was when it was hashed: its BLAKE3 hash, and the metadata that
/// lets a later run trust that hash without reading the file again (as git's
/// index and cargo's fingerprints do). The hash is held as its 32 bytes (hex in
/// the cache entry): a run holds one stamp per input file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stamp {
    #[serde(with = "hex32")]
    pub hash: [u8; 32],
    pub size: u64,
    pub modified_ns: i128,
    pub inode: u64,
}

/// The stamp of a file that could not be looked at (it counts as changed).
const MISSING: Stamp = Stamp {
    hash: [0; 32],
    size: 0,
    modified_ns: 0,
    inode: 0,
};

/// A 32-byte hash as 64 hex digits.
mod hex32 {
    use serde::{Deserialize, Deserializer, Serializer, de::Error};

    pub fn serialize<S: Serializer>(hash: &[u8; 32], serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&super::hex(hash))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<[u8; 32], D::Error> {
        let text = <&str>::deserialize(deserializer)?;
        super::parse_hex(text).ok_or_else(|| D::Error::custom("not a 32-byte hex hash"))
    }
}

/// Lower-case hex of a hash.
fn hex(hash: &[u8; 32]) -> String {
    blake3::Hash::from_bytes(*hash).to_hex().to_string()
}

/// The 32 bytes of a 64-digit hex hash.
fn parse_hex(text: &str) -> Option<[u8; 32]> {
    blake3::Hash::from_hex(text)
        .ok()
        .map(|hash| *hash.as_bytes())
}

/// A cached artifact: the blake3 of its bytes (its blob's name), its size, and
/// its SHA-256 (for `SHA256SUMS`, so a fresh artifact is never hashed again).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
struct ArtifactRecord {
    blake3: String,
    size: u64,
    sha256: String,
}

/// Why a repository must be recompiled.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DirtyReason {
    NoPreviousBuild,
    ToolChanged,
    ConfigurationChanged,
    FileAdded(PathBuf),
    FileChanged(PathBuf),
    FileRemoved(PathBuf),
    /// A file the previous build wrote is missing or was modified.
    OutputModified(PathBuf),
    /// The cache entry exists but its artifacts or files cannot be restored.
    CacheUnrestorable,
}

impl fmt::Display for DirtyReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DirtyReason::NoPreviousBuild => write!(f, "no previous build"),
            DirtyReason::ToolChanged => write!(f, "the tool changed"),
            DirtyReason::ConfigurationChanged => write!(f, "its configuration changed"),
            DirtyReason::FileAdded(path) => write!(f, "{} was added", display_path(path)),
            DirtyReason::FileChanged(path) => write!(f, "{} changed", display_path(path)),
            DirtyReason::FileRemoved(path) => write!(f, "{} was removed", display_path(path)),
            DirtyReason::OutputModified(path) => {
                write!(
                    f,
                    "output {} is missing or was modified",
                    display_path(path)
                )
            }
            DirtyReason::CacheUnrestorable => {
                write!(f, "its cache entry could not be restored")
            }
        }
    }
}

/// Whether a repository was recompiled, and why.
#[derive(Debug)]
pub enum Freshness {
    /// Incremental builds are off.
    Untracked,
    /// Restored from the cache: nothing changed.
    Fresh,
    /// Recompiled, for these reasons.
    Rebuilt {
        reasons: Vec<DirtyReason>,
        /// The image groups of the previous build (name -> hash of what the
        /// image is built from), to say which groups changed.
        previous_groups: Option<BTreeMap<String, String>>,
    },
}

/// The tool's identity: a hash of the running executable (so a rebuilt tool
/// invalidates every fingerprint), with the crate version as a fallback.
pub fn tool_identity() -> &'static str {
    static IDENTITY: OnceLock<String> = OnceLock::new();
    IDENTITY.get_or_init(|| {
        crate::input::tool_executable_hash()
            .unwrap_or_else(|| env!("CARGO_PKG_VERSION").to_string())
    })
}

/// The configuration as far as one repository is concerned.
pub(crate) fn config_identity(config: &Config, repository: &Repository) -> String {
    let mut hasher = ContentHasher::new("config-v1");
    hasher.add("registry_host", config.registry_host().as_bytes());
    hasher.add(
        "base_image",
        config.domino_base_image(&repository.name).as_bytes(),
    );
    hasher.add(
        "generator",
        config.generator(&repository.name).as_str().as_bytes(),
    );
    hasher.add(
        "tag",
        config
            .tag_override(&repository.name)
            .unwrap_or("")
            .as_bytes(),
    );
    hasher.add(
        "source_url",
        config.source_url(&repository.name).unwrap_or("").as_bytes(),
    );
    hasher.add(
        "dioptra_group",
        config.dioptra_group(&repository.name).as_bytes(),
    );
    hasher.add("lints", config.lints_identity(&repository.name).as_bytes());
    // A file over the limit is refused with an error.
    hasher.add(
        "max_file_size",
        config
            .settings
            .max_file_size
            .map(|limit| limit.to_string())
            .unwrap_or_default()
            .as_bytes(),
    );
    hasher.finish()
}

/// One repository's cache entry.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Entry {
    format: u32,
    tool: String,
    config: String,
    pub fingerprint: String,
    /// Input files of the repository tree (paths relative to its root, with
    /// `/`), their content hashes and metadata.
    inputs: BTreeMap<Box<str>, Stamp>,
    /// Input files outside the repository (absolute paths) it depends on
    /// through the graph.
    external: BTreeMap<PathBuf, Stamp>,
    /// When the inputs were stamped (nanoseconds since the Unix epoch): a file
    /// modified less than a second before is hashed again (its time stamp may
    /// not have changed with its content).
    stamped_at_ns: i128,
    /// Outputs written inside the repository (relative to its root), stamped
    /// as the inputs are (a later run does not read an unchanged one).
    outputs: BTreeMap<Box<str>, Stamp>,
    /// Per Domino group: a hash of what its image is built from.
    groups: BTreeMap<String, String>,
    /// Aggregated artifacts (dist-relative path), kept as content-addressed
    /// blobs beside the entries.
    artifacts: BTreeMap<String, ArtifactRecord>,
    stats: Stats,
    facts: Facts,
    content_hashes: BTreeMap<String, String>,
    diagnostics: Vec<Diagnostic>,
}

/// The cache folder of a workspace.
pub fn cache_dir(config: &Config) -> PathBuf {
    config.workspace_root.join("target/xtask/fingerprints")
}

/// Content-addressed copies of the artifacts of cached repositories.
pub fn blob_store(config: &Config) -> Store {
    Store::new(config.workspace_root.join("target/xtask/blobs"))
}

fn entry_path(config: &Config, repository: &Repository) -> PathBuf {
    entry_file(&cache_dir(config), repository)
}

/// The cache entry of a repository in a cache folder: named after the
/// repository, keyed by its kind and absolute root.
fn entry_file(dir: &Path, repository: &Repository) -> PathBuf {
    dir.join(format!("{}.json", entry_key(repository)))
}

/// A repository's key in a cache: its name made safe, and a hash of its kind
/// and absolute root (only `[A-Za-z0-9_-]`).
pub fn entry_key(repository: &Repository) -> String {
    let key = blake3::hash(
        format!(
            "{}\0{}",
            repository.kind.as_str(),
            absolute(&repository.root).display()
        )
        .as_bytes(),
    )
    .to_hex();
    format!("{}-{}", safe_name(&repository.name), &key[..16])
}

fn read_entry(workspace: &Workspace, config: &Config, repository: &Repository) -> Option<Entry> {
    let bytes = workspace.read_once(&entry_path(config, repository)).ok()?;
    serde_json::from_slice(&bytes)
        .ok()
        .filter(|entry: &Entry| entry.format == FORMAT)
}

/// The state of a repository's inputs at the start of its processing.
#[derive(Debug, Default)]
pub struct Inputs {
    /// Every file of the repository tree (relative to its root, with `/`),
    /// stamped.
    tree: BTreeMap<Box<str>, Stamp>,
    stamped_at_ns: i128,
}

/// Nanoseconds since the Unix epoch.
/// Now, in nanoseconds since the Unix epoch.
pub fn now_ns() -> i128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as i128)
}

/// Stamps a file: its hash comes from `previous` when the metadata says it did
/// not change (and it was not modified just before `previous` was taken), else
/// from reading it through the reader.
fn stamp(reader: &Reader<'_>, path: &Path, previous: Option<(&Stamp, i128)>) -> Option<Stamp> {
    let (size, modified_ns, inode) = reader.workspace().metadata_stamp(path)?;
    if let Some((old, stamped_at)) = previous
        && old.size == size
        && old.modified_ns == modified_ns
        && old.inode == inode
        && modified_ns < stamped_at - 1_000_000_000
    {
        return Some(old.clone());
    }
    let hash = parse_hex(reader.file(path).ok()?.hash())?;
    Some(Stamp {
        hash,
        size,
        modified_ns,
        inode,
    })
}

impl Inputs {
    /// Stamps the repository tree. A file unchanged since `previous` was
    /// recorded is not read; the others are read through the reader (once:
    /// processing finds them in the reader's cache).
    pub fn read(reader: &Reader<'_>, repository: &Repository, previous: Option<&Entry>) -> Self {
        let stamped_at_ns = now_ns();
        let root = absolute(&repository.root);
        let tree = reader
            .tree_walk(&root)
            .files
            .into_iter()
            .filter_map(|(relative, path)| {
                let old = previous.and_then(|e| {
                    let old = e.inputs.get(relative.as_str());
                    Some((
                        old.or_else(|| e.outputs.get(relative.as_str()))?,
                        e.stamped_at_ns,
                    ))
                });
                Some((relative.into_boxed_str(), stamp(reader, &path, old)?))
            })
            .collect();
        Inputs {
            tree,
            stamped_at_ns,
        }
    }
}

/// The previous cache entry of a repository, if it can be used.
pub fn previous_entry(
    reader: &Reader<'_>,
    config: &Config,
    repository: &Repository,
) -> Option<Entry> {
    read_entry(reader.workspace(), config, repository)
}

/// What the cache says about one repository before it is processed: its
/// restored report when nothing changed, else why it must be recompiled.
pub fn freshness(
    reader: &Reader<'_>,
    config: &Config,
    repository: &Repository,
    previous: Option<Entry>,
    inputs: &Inputs,
) -> (Option<RepositoryReport>, Freshness) {
    let Some(entry) = previous else {
        return (
            None,
            Freshness::Rebuilt {
                reasons: vec![DirtyReason::NoPreviousBuild],
                previous_groups: None,
            },
        );
    };
    let mut reasons = Vec::new();
    if entry.tool != tool_identity() {
        reasons.push(DirtyReason::ToolChanged);
    }
    if entry.config != config_identity(config, repository) {
        reasons.push(DirtyReason::ConfigurationChanged);
    }
    let root = absolute(&repository.root);
    let in_tree = |relative: &str| root.join(relative);
    let current = inputs
        .tree
        .iter()
        .filter(|(path, _)| !entry.outputs.contains_key(*path));
    for (path, stamp) in current.clone() {
        match entry.inputs.get(path) {
            None => reasons.push(DirtyReason::FileAdded(in_tree(path))),
            Some(old) if old.hash != stamp.hash => {
                reasons.push(DirtyReason::FileChanged(in_tree(path)))
            }
            _ => {}
        }
    }
    // A file outside that cannot be looked at hashes as MISSING (as it was
    // recorded when it could not be looked at then either).
    for (path, old) in &entry.external {
        let now = stamp(reader, path, Some((old, entry.stamped_at_ns))).unwrap_or(MISSING);
        if now.hash != old.hash {
            reasons.push(DirtyReason::FileChanged(path.clone()));
        }
    }
    let kept: std::collections::BTreeSet<&str> = current.map(|(path, _)| &**path).collect();
    for path in entry.inputs.keys().filter(|p| !kept.contains(&***p)) {
        reasons.push(DirtyReason::FileRemoved(in_tree(path)));
    }
    for (path, old) in &entry.outputs {
        if inputs.tree.get(path).map(|s| s.hash) != Some(old.hash) {
            reasons.push(DirtyReason::OutputModified(in_tree(path)));
        }
    }
    if reasons.is_empty() {
        if let Some(report) = restore(reader, config, repository, &entry, inputs) {
            return (Some(report), Freshness::Fresh);
        }
        reasons.push(DirtyReason::CacheUnrestorable);
    }
    (
        None,
        Freshness::Rebuilt {
            reasons,
            previous_groups: Some(entry.groups),
        },
    )
}

/// The report of a fresh repository, from its cache entry: its artifacts are
/// the store's files (content-addressed and written atomically: their size is
/// checked, they are neither read nor hashed again), its generated files are
/// current (their stamps, just taken, hold their hashes).
fn restore(
    reader: &Reader<'_>,
    config: &Config,
    repository: &Repository,
    entry: &Entry,
    inputs: &Inputs,
) -> Option<RepositoryReport> {
    let mut report = RepositoryReport::new(repository);
    report.stats = entry.stats;
    report.facts = entry.facts.clone();
    report.content_hashes = entry.content_hashes.clone();
    let store = blob_store(config);
    for (path, record) in &entry.artifacts {
        let stored = store.get(&record.blake3, record.size, &record.sha256)?;
        report.artifacts.push(Output::stored(path.clone(), stored));
    }
    let root = absolute(&repository.root);
    for path in entry.outputs.keys() {
        let stamp = inputs.tree.get(path)?;
        report.outputs.push(Output::current_hashed(
            root.join(&**path),
            hex(&stamp.hash),
            stamp.size,
        ));
    }
    for diagnostic in &entry.diagnostics {
        let mut diagnostic = diagnostic.clone();
        if !diagnostic.load_sources(&|path| reader.text(path).ok()) {
            return None;
        }
        report.diagnostics.push(diagnostic);
    }
    Some(report)
}

/// Per-group build inputs of a Domino repository (what its image is made of).
pub fn group_hashes(
    report: &RepositoryReport,
    environment_of: &dyn Fn(&str) -> Option<String>,
) -> BTreeMap<String, String> {
    let Facts::Domino(facts) = &report.facts else {
        return BTreeMap::new();
    };
    facts
        .groups
        .iter()
        .map(|group| {
            let mut hasher = ContentHasher::new("group-v1");
            hasher.add("dockerfile", group.dockerfile_text.as_bytes());
            hasher.add("image", group.source_image.as_bytes());
            hasher.add(
                "environment",
                environment_of(&group.name).unwrap_or_default().as_bytes(),
            );
            (group.name.clone(), hasher.finish())
        })
        .collect()
}

/// The groups whose build inputs differ from the previous build.
pub fn changed_groups(
    previous: Option<&BTreeMap<String, String>>,
    now: &BTreeMap<String, String>,
) -> Vec<String> {
    now.iter()
        .filter(|(name, hash)| previous.and_then(|p| p.get(*name)) != Some(*hash))
        .map(|(name, _)| name.clone())
        .collect()
}

/// A cache entry to record after a successful build (written through the
/// output gateway by the caller).
pub struct Record {
    pub entry_path: PathBuf,
    pub entry: Vec<u8>,
}

/// The cache entry of a repository after a successful build. `inputs` are its
/// tree as hashed at the start of processing; `external_inputs` are files
/// outside the repository it depends on (through the graph). Artifacts not in
/// the store yet are put there.
pub fn record(
    workspace: &Workspace,
    config: &Config,
    report: &RepositoryReport,
    inputs: &Inputs,
    external_inputs: &[PathBuf],
    groups: BTreeMap<String, String>,
) -> Result<Record, WriteError> {
    let repository = &report.repository;
    let root = absolute(&repository.root);
    // An output that was current keeps the stamp taken at the start; one
    // written since is stamped with its hash only (the next run reads it).
    let outputs: BTreeMap<Box<str>, Stamp> = report
        .outputs
        .iter()
        .filter_map(|o| {
            let relative = absolute(&o.path).strip_prefix(&root).ok().map(to_slash)?;
            let hash = parse_hex(&o.content_hash())?;
            let stamp = match inputs.tree.get(relative.as_str()) {
                Some(stamp) if o.current && stamp.hash == hash => stamp.clone(),
                _ => Stamp {
                    hash,
                    size: o.size(),
                    ..MISSING
                },
            };
            Some((relative.into_boxed_str(), stamp))
        })
        .collect();
    let input_stamps: BTreeMap<Box<str>, Stamp> = inputs
        .tree
        .iter()
        .filter(|(path, _)| !outputs.contains_key(*path))
        .map(|(path, stamp)| (path.clone(), stamp.clone()))
        .collect();
    let mut external = BTreeMap::new();
    for path in external_inputs {
        let path = absolute(path);
        if !path.starts_with(&root) {
            let stamp = stamp(&workspace.reader(&root), &path, None).unwrap_or(MISSING);
            external.insert(path, stamp);
        }
    }
    let tool = tool_identity().to_string();
    let config_id = config_identity(config, repository);
    let fingerprint = fingerprint_of(&tool, &config_id, &input_stamps, &external);
    let store = blob_store(config);
    let mut artifacts = BTreeMap::new();
    for artifact in &report.artifacts {
        let stored = artifact.stored_in(&store)?;
        artifacts.insert(
            to_slash(&artifact.path),
            ArtifactRecord {
                blake3: stored.blake3,
                size: stored.size,
                sha256: stored.sha256,
            },
        );
    }
    let entry = Entry {
        artifacts,
        format: FORMAT,
        tool,
        config: config_id,
        fingerprint,
        inputs: input_stamps,
        external,
        stamped_at_ns: inputs.stamped_at_ns,
        outputs,
        groups,
        stats: report.stats,
        facts: report.facts.clone(),
        content_hashes: report.content_hashes.clone(),
        diagnostics: report.diagnostics.clone(),
    };
    Ok(Record {
        entry_path: entry_path(config, repository),
        entry: serde_json::to_vec_pretty(&entry).expect("cache entries serialize"),
    })
}

fn fingerprint_of(
    tool: &str,
    config: &str,
    inputs: &BTreeMap<Box<str>, Stamp>,
    external: &BTreeMap<PathBuf, Stamp>,
) -> String {
    let mut hasher = ContentHasher::new("repository-v2");
    hasher.add("tool", tool.as_bytes());
    hasher.add("config", config.as_bytes());
    for (path, stamp) in inputs {
        hasher.add(path, &stamp.hash);
    }
    for (path, stamp) in external {
        hasher.add(&to_slash(path), &stamp.hash);
    }
    hasher.finish()
}

/// Files changed since a git revision (committed, staged, unstaged and
/// untracked), as absolute paths.
pub fn changed_since(workspace_root: &Path, revision: &str) -> Result<Vec<PathBuf>, String> {
    let shell = xshell::Shell::new().map_err(|err| err.to_string())?;
    shell.change_dir(workspace_root);
    // git's own messages (`fatal: ...`) are not printed: the error says it.
    let top = xshell::cmd!(shell, "git rev-parse --show-toplevel")
        .quiet()
        .ignore_stderr()
        .read()
        .map_err(|_| format!("{} is not in a git work tree", display_path(workspace_root)))?;
    let diff = xshell::cmd!(shell, "git diff --name-only --no-renames {revision} --")
        .quiet()
        .ignore_stderr()
        .read()
        .map_err(|_| format!("git does not know the revision `{revision}`"))?;
    let untracked = xshell::cmd!(shell, "git ls-files --others --exclude-standard")
        .quiet()
        .ignore_stderr()
        .read()
        .map_err(|err| err.to_string())?;
    let top = PathBuf::from(top.trim());
    // `git diff` prints paths relative to the top of the git repository,
    // `ls-files` relative to the working directory (the workspace root).
    let mut paths: Vec<PathBuf> = diff
        .lines()
        .filter(|l| !l.is_empty())
        .map(|l| top.join(l))
        .collect();
    paths.extend(
        untracked
            .lines()
            .filter(|l| !l.is_empty())
            .map(|l| workspace_root.join(l)),
    );
    paths.sort();
    paths.dedup();
    Ok(paths)
}

/// Why every repository is affected by changes since `revision`: the
/// `[workspace.metadata.pieces]` table of the workspace manifest changed, or
/// the tool itself (its sources, schemas or lock file) did. None otherwise.
pub fn global_change(config: &Config, revision: &str, changed: &[PathBuf]) -> Option<String> {
    let tool = Path::new(env!("CARGO_MANIFEST_DIR"));
    let tool_files = [
        absolute(tool),
        absolute(&tool.join("../schemas")),
        absolute(&tool.join("../Cargo.lock")),
    ];
    if let Some(path) = changed.iter().find(|path| {
        tool_files
            .iter()
            .any(|tool| absolute(path).starts_with(tool))
    }) {
        return Some(format!("the tool changed ({})", display_path(path)));
    }
    let manifest = config.manifest.as_ref()?;
    if !changed
        .iter()
        .any(|path| absolute(path) == absolute(manifest))
    {
        return None;
    }
    // Only the tool's own table counts (a new dependency of the workspace
    // changes no output).
    let settings = |text: &str| -> Option<toml::Value> {
        let value: toml::Table = text.parse().ok()?;
        value
            .get("workspace")?
            .get("metadata")?
            .get("pieces")
            .cloned()
    };
    let now = crate::input::read_manifest(manifest)
        .ok()
        .and_then(|file| settings(&file.text));
    let before =
        committed_text(&config.workspace_root, revision, manifest).and_then(|text| settings(&text));
    (now != before).then(|| "the [workspace.metadata.pieces] configuration changed".to_string())
}

/// A file's text at a git revision (None when git does not know it).
fn committed_text(workspace_root: &Path, revision: &str, path: &Path) -> Option<String> {
    let shell = xshell::Shell::new().ok()?;
    shell.change_dir(workspace_root);
    let top = xshell::cmd!(shell, "git rev-parse --show-toplevel")
        .quiet()
        .read()
        .ok()?;
    let relative = absolute(path)
        .strip_prefix(absolute(Path::new(top.trim())))
        .ok()
        .map(to_slash)?;
    let spec = format!("{revision}:{relative}");
    xshell::cmd!(shell, "git show {spec}")
        .quiet()
        .ignore_stderr()
        .read()
        .ok()
}

/// Is the repository affected by these changed files: one of them is inside it,
/// or was an input of its previous build?
pub fn is_affected(
    workspace: &Workspace,
    config: &Config,
    repository: &Repository,
    changed: &[PathBuf],
) -> bool {
    let root = absolute(&repository.root);
    if changed.iter().any(|path| absolute(path).starts_with(&root)) {
        return true;
    }
    read_entry(workspace, config, repository).is_some_and(|entry| {
        changed
            .iter()
            .any(|path| entry.external.contains_key(&absolute(path)))
    })
}

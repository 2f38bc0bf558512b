//! Incremental builds, in the manner of cargo's fingerprints: per repository, a
//! blake3 fingerprint over the tool itself, the configuration, and every input
//! file's path and content, kept under `target/xtask/fingerprints/`. A repository
//! whose fingerprint and outputs are unchanged is not recompiled (its report is
//! restored from the cache), and `--explain` says why each other one was.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use crate::codes::Code;
use crate::config::Config;
use crate::diagnostics::{Diagnostic, Location, Severity};
use crate::discover::Repository;
use crate::facts::Facts;
use crate::fingerprint::{ContentHasher, tree_files};
use crate::output::Output;
use crate::paths::{absolute, display_path, to_slash};
use crate::pipeline::{RepositoryReport, Stats};
use crate::source::{SourceFile, Span};

/// Bump when the cache format changes.
const FORMAT: u32 = 2;

/// The tool's identity: a hash of the running executable (so a rebuilt tool
/// invalidates every fingerprint), with the crate version as a fallback.
pub fn tool_identity() -> &'static str {
    static IDENTITY: OnceLock<String> = OnceLock::new();
    IDENTITY.get_or_init(|| {
        let exe = std::env::current_exe()
            .ok()
            .and_then(|exe| std::fs::read(exe).ok());
        match exe {
            Some(bytes) => blake3::hash(&bytes).to_hex().to_string(),
            None => env!("CARGO_PKG_VERSION").to_string(),
        }
    })
}

/// The configuration as far as one repository is concerned.
fn config_identity(config: &Config, repository: &Repository) -> String {
    let mut hasher = ContentHasher::new("config-v1");
    hasher.add("registry_host", config.registry_host().as_bytes());
    hasher.add("base_image", config.domino_base_image().as_bytes());
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
    hasher.finish()
}

/// A diagnostic as cached (warnings of fresh repositories are replayed).
#[derive(Clone, Debug, Serialize, Deserialize)]
struct CachedDiagnostic {
    severity: String,
    code: Code,
    message: String,
    /// Absolute path of the file, and the byte span in it (when there was one).
    file: Option<PathBuf>,
    span: Option<(usize, usize)>,
    path: Option<String>,
    label: Option<String>,
    help: Option<String>,
    notes: Vec<String>,
}

/// One repository's cache entry.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Entry {
    format: u32,
    tool: String,
    config: String,
    pub fingerprint: String,
    /// Input files (absolute paths) and their content hashes.
    inputs: BTreeMap<PathBuf, String>,
    /// Outputs written inside the repository and their content hashes.
    outputs: BTreeMap<PathBuf, String>,
    /// Per Domino group: a hash of what its image is built from.
    groups: BTreeMap<String, String>,
    /// Aggregated artifacts (dist-relative path) and the blake3 of their bytes,
    /// kept as content-addressed blobs beside the entries.
    #[serde(default)]
    artifacts: BTreeMap<String, String>,
    stats: Stats,
    facts: Facts,
    diagnostics: Vec<CachedDiagnostic>,
}

fn hash_file(path: &Path) -> Option<String> {
    std::fs::read(path)
        .ok()
        .map(|bytes| blake3::hash(&bytes).to_hex().to_string())
}

/// The cache folder of a workspace.
pub fn cache_dir(config: &Config) -> PathBuf {
    config.workspace_root.join("target/xtask/fingerprints")
}

/// Content-addressed copies of the artifacts of cached repositories.
fn blob_path(config: &Config, hash: &str) -> PathBuf {
    config.workspace_root.join("target/xtask/blobs").join(hash)
}

fn entry_path(config: &Config, repository: &Repository) -> PathBuf {
    let key = blake3::hash(
        format!(
            "{}\0{}",
            repository.kind.as_str(),
            absolute(&repository.root).display()
        )
        .as_bytes(),
    )
    .to_hex()
    .to_string();
    cache_dir(config).join(format!(
        "{}-{}.json",
        crate::artifacts::images::target_name(&repository.name),
        &key[..16]
    ))
}

/// What the cache says about one repository before it is processed.
pub struct Freshness {
    pub fresh: Option<RepositoryReport>,
    /// Why it must be recompiled (empty when fresh).
    pub reasons: Vec<String>,
    /// The previous entry (for group comparisons), if any.
    pub previous: Option<Entry>,
}

/// The input files of a repository now: its tree (minus its own generated
/// outputs) plus the files outside it that the previous build depended on.
fn current_inputs(repository: &Repository, previous: Option<&Entry>) -> BTreeMap<PathBuf, String> {
    let root = absolute(&repository.root);
    let outputs: BTreeSet<&PathBuf> = previous
        .map(|e| e.outputs.keys().collect())
        .unwrap_or_default();
    let mut inputs = BTreeMap::new();
    for (_, path) in tree_files(&root) {
        let path = absolute(&path);
        if outputs.contains(&path) {
            continue;
        }
        if let Some(hash) = hash_file(&path) {
            inputs.insert(path, hash);
        }
    }
    if let Some(previous) = previous {
        for path in previous.inputs.keys().filter(|p| !p.starts_with(&root)) {
            inputs.insert(path.clone(), hash_file(path).unwrap_or_default());
        }
    }
    inputs
}

fn fingerprint_of(tool: &str, config: &str, inputs: &BTreeMap<PathBuf, String>) -> String {
    let mut hasher = ContentHasher::new("repository-v1");
    hasher.add("tool", tool.as_bytes());
    hasher.add("config", config.as_bytes());
    for (path, hash) in inputs {
        hasher.add(&to_slash(path), hash.as_bytes());
    }
    hasher.finish()
}

/// Looks the repository up in the cache.
pub fn freshness(config: &Config, repository: &Repository) -> Freshness {
    let previous: Option<Entry> = std::fs::read(entry_path(config, repository))
        .ok()
        .and_then(|bytes| serde_json::from_slice(&bytes).ok())
        .filter(|entry: &Entry| entry.format == FORMAT);
    let Some(entry) = previous else {
        return Freshness {
            fresh: None,
            reasons: vec!["no previous build".to_string()],
            previous: None,
        };
    };
    let mut reasons = Vec::new();
    if entry.tool != tool_identity() {
        reasons.push("the tool changed".to_string());
    }
    if entry.config != config_identity(config, repository) {
        reasons.push("its configuration changed".to_string());
    }
    let inputs = current_inputs(repository, Some(&entry));
    for (path, hash) in &inputs {
        match entry.inputs.get(path) {
            None => reasons.push(format!("{} was added", display_path(path))),
            Some(old) if old != hash => reasons.push(format!("{} changed", display_path(path))),
            _ => {}
        }
    }
    for path in entry.inputs.keys().filter(|p| !inputs.contains_key(*p)) {
        reasons.push(format!("{} was removed", display_path(path)));
    }
    for (path, hash) in &entry.outputs {
        if hash_file(path).as_ref() != Some(hash) {
            reasons.push(format!(
                "output {} is missing or was modified",
                display_path(path)
            ));
        }
    }
    if !reasons.is_empty() {
        return Freshness {
            fresh: None,
            reasons,
            previous: Some(entry),
        };
    }
    match restore(config, repository, &entry) {
        Some(report) => Freshness {
            fresh: Some(report),
            reasons,
            previous: Some(entry),
        },
        None => Freshness {
            fresh: None,
            reasons: vec!["its cache entry could not be restored".to_string()],
            previous: Some(entry),
        },
    }
}

fn restore(config: &Config, repository: &Repository, entry: &Entry) -> Option<RepositoryReport> {
    let mut report = RepositoryReport::new(repository);
    report.stats = entry.stats;
    report.facts = entry.facts.clone();
    for (path, hash) in &entry.artifacts {
        let bytes = std::fs::read(blob_path(config, hash)).ok()?;
        if blake3::hash(&bytes).to_hex().as_str() != hash {
            return None;
        }
        report.artifacts.push(Output::new(path.clone(), bytes));
    }
    for path in entry.outputs.keys() {
        report
            .outputs
            .push(Output::new(path.clone(), std::fs::read(path).ok()?));
    }
    for cached in &entry.diagnostics {
        let severity = if cached.severity == "error" {
            Severity::Error
        } else {
            Severity::Warning
        };
        let mut diagnostic = Diagnostic::new(severity, cached.code, cached.message.clone());
        diagnostic.label = cached.label.clone();
        diagnostic.help = cached.help.clone();
        diagnostic.notes = cached.notes.clone();
        diagnostic = match (&cached.file, cached.span, &cached.path) {
            (Some(file), Some((start, end)), _) => {
                let source = SourceFile::read(file, display_path(file)).ok()?;
                diagnostic.at(&source, Span::new(start, end))
            }
            (_, _, Some(path)) => diagnostic.at_path(path.clone()),
            _ => diagnostic,
        };
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
pub fn changed_groups(previous: Option<&Entry>, now: &BTreeMap<String, String>) -> Vec<String> {
    now.iter()
        .filter(|(name, hash)| previous.and_then(|p| p.groups.get(*name)) != Some(*hash))
        .map(|(name, _)| name.clone())
        .collect()
}

/// Records a repository after a successful build. `external_inputs` are files
/// outside the repository it depends on (through the graph).
pub fn record(
    config: &Config,
    report: &RepositoryReport,
    external_inputs: &[PathBuf],
    groups: BTreeMap<String, String>,
) -> std::io::Result<()> {
    let repository = &report.repository;
    let outputs: BTreeMap<PathBuf, String> = report
        .outputs
        .iter()
        .map(|o| {
            (
                absolute(&o.path),
                blake3::hash(&o.bytes).to_hex().to_string(),
            )
        })
        .collect();
    let root = absolute(&repository.root);
    let mut inputs = BTreeMap::new();
    for (_, path) in tree_files(&root) {
        let path = absolute(&path);
        if outputs.contains_key(&path) {
            continue;
        }
        if let Some(hash) = hash_file(&path) {
            inputs.insert(path, hash);
        }
    }
    for path in external_inputs {
        let path = absolute(path);
        if !path.starts_with(&root) {
            inputs.insert(path.clone(), hash_file(&path).unwrap_or_default());
        }
    }
    let tool = tool_identity().to_string();
    let config_id = config_identity(config, repository);
    let fingerprint = fingerprint_of(&tool, &config_id, &inputs);
    let diagnostics = report
        .diagnostics
        .iter()
        .map(|d| {
            let (file, span, path) = match &d.location {
                Some(Location::Span { file, span }) => {
                    (Some(file.path.clone()), Some((span.start, span.end)), None)
                }
                Some(Location::Path(path)) => (None, None, Some(path.clone())),
                None => (None, None, None),
            };
            CachedDiagnostic {
                severity: d.severity.as_str().to_string(),
                code: d.code,
                message: d.message.clone(),
                file,
                span,
                path,
                label: d.label.clone(),
                help: d.help.clone(),
                notes: d.notes.clone(),
            }
        })
        .collect();
    let mut artifacts = BTreeMap::new();
    for artifact in &report.artifacts {
        let hash = blake3::hash(&artifact.bytes).to_hex().to_string();
        let blob = blob_path(config, &hash);
        if !blob.is_file() {
            if let Some(parent) = blob.parent() {
                std::fs::create_dir_all(parent)?;
            }
            crate::output::write_atomic(&blob, &artifact.bytes)?;
        }
        artifacts.insert(to_slash(&artifact.path), hash);
    }
    let entry = Entry {
        artifacts,
        format: FORMAT,
        tool,
        config: config_id,
        fingerprint,
        inputs,
        outputs,
        groups,
        stats: report.stats,
        facts: report.facts.clone(),
        diagnostics,
    };
    let bytes = serde_json::to_vec_pretty(&entry).map_err(std::io::Error::other)?;
    crate::output::write_atomic(&entry_path(config, repository), &bytes).map(|_| ())
}

/// Files changed since a git revision (committed, staged, unstaged and
/// untracked), as absolute paths.
pub fn changed_since(workspace_root: &Path, revision: &str) -> Result<Vec<PathBuf>, String> {
    let shell = xshell::Shell::new().map_err(|err| err.to_string())?;
    shell.change_dir(workspace_root);
    let top = xshell::cmd!(shell, "git rev-parse --show-toplevel")
        .quiet()
        .read()
        .map_err(|err| format!("not a git repository here: {err}"))?;
    let diff = xshell::cmd!(shell, "git diff --name-only --no-renames {revision} --")
        .quiet()
        .read()
        .map_err(|err| format!("cannot diff against `{revision}`: {err}"))?;
    let untracked = xshell::cmd!(shell, "git ls-files --others --exclude-standard")
        .quiet()
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

/// Is the repository affected by these changed files: one of them is inside it,
/// or was an input of its previous build?
pub fn is_affected(config: &Config, repository: &Repository, changed: &[PathBuf]) -> bool {
    let root = absolute(&repository.root);
    if changed.iter().any(|path| absolute(path).starts_with(&root)) {
        return true;
    }
    let previous: Option<Entry> = std::fs::read(entry_path(config, repository))
        .ok()
        .and_then(|bytes| serde_json::from_slice(&bytes).ok());
    previous.is_some_and(|entry| {
        changed
            .iter()
            .any(|path| entry.inputs.contains_key(&absolute(path)))
    })
}

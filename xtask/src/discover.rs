//! Discovery: roots -> repositories. A Domino Pieces repository is a folder with a
//! `config.toml` holding a `[repository]` table and a `pieces/` folder; a Dioptra
//! resource repository is a folder with one or more resource TOMLs. Folders that
//! look half like a repository get a warning that says what is missing.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::codes::Code;
use crate::diagnostics::Diagnostic;
use rayon::prelude::*;

use crate::input::{DirEntry, EntryKind, Workspace};
use crate::paths::display_path;
use crate::report::{Repository, RepositoryKind};

/// Folders never searched.
const SKIPPED_DIRS: &[&str] = &[".git", "target", "node_modules", "__pycache__"];

fn is_skipped(name: &str) -> bool {
    SKIPPED_DIRS.contains(&name) || name.starts_with('.')
}

/// The result of discovery: repositories in a stable order (sorted by path, then
/// kind) and warnings about folders that look half like a repository.
#[derive(Debug, Default)]
pub struct Discovery {
    pub repositories: Vec<Repository>,
    pub diagnostics: Vec<Diagnostic>,
}

/// What the walk of one folder (and everything below it) found, in walk order.
#[derive(Default)]
struct Found {
    domino_roots: Vec<PathBuf>,
    resource_tomls: Vec<PathBuf>,
    diagnostics: Vec<Diagnostic>,
}

/// Walks a folder: classifies it from its own listing (no extra `stat`s), then
/// its subfolders in parallel (not through links, not the skipped ones).
/// Results come back in sorted pre-order whatever the number of threads.
fn walk(workspace: &Workspace, dir: &Path) -> Found {
    let mut found = Found::default();
    let Some(entries) = workspace.list_dir(dir) else {
        return found;
    };
    if classify_domino_folder(workspace, dir, &entries, &mut found.diagnostics) {
        found.domino_roots.push(dir.to_path_buf());
    }
    let mut subfolders = Vec::new();
    for entry in &entries {
        if entry.kind == EntryKind::Dir && !entry.link {
            if !is_skipped(&entry.name) {
                subfolders.push(dir.join(&entry.name));
            }
        } else if Path::new(&entry.name)
            .extension()
            .is_some_and(|ext| ext == "toml")
        {
            // Links too: a resource TOML that links outside is reported, not skipped.
            let path = dir.join(&entry.name);
            if is_resource_toml(workspace, &path) {
                found.resource_tomls.push(path);
            }
        }
    }
    let below: Vec<Found> = subfolders
        .par_iter()
        .map(|folder| walk(workspace, folder))
        .collect();
    for mut part in below {
        found.domino_roots.append(&mut part.domino_roots);
        found.resource_tomls.append(&mut part.resource_tomls);
        found.diagnostics.append(&mut part.diagnostics);
    }
    found
}

/// Searches every root at any depth (the files it looks into are read through
/// the workspace, once), in parallel.
pub fn discover(workspace: &Workspace, roots: &[PathBuf]) -> Discovery {
    let mut discovery = Discovery::default();
    let mut resource_tomls: Vec<PathBuf> = Vec::new();
    let mut domino_roots: BTreeMap<PathBuf, ()> = BTreeMap::new();
    for root in roots {
        let mut found = walk(workspace, root);
        domino_roots.extend(found.domino_roots.into_iter().map(|r| (r, ())));
        resource_tomls.append(&mut found.resource_tomls);
        discovery.diagnostics.append(&mut found.diagnostics);
    }
    for root in domino_roots.keys() {
        discovery
            .repositories
            .push(repository(RepositoryKind::Domino, root, Vec::new()));
    }
    // Group resource TOMLs by repository root: the nearest folder (the file's own or
    // an ancestor, within the search root) that holds a `dioptra.toml` or `.git`.
    let mut dioptra: BTreeMap<PathBuf, Vec<PathBuf>> = BTreeMap::new();
    for toml in resource_tomls {
        let folder = toml.parent().unwrap_or(Path::new(".")).to_path_buf();
        let search_root = roots
            .iter()
            .filter(|root| toml.starts_with(root))
            .max_by_key(|root| root.components().count())
            .cloned()
            .unwrap_or_else(|| folder.clone());
        let repo_root = folder
            .ancestors()
            .take_while(|dir| dir.starts_with(&search_root))
            .find(|dir| {
                workspace.kind(&dir.join("dioptra.toml")) == Some(EntryKind::File)
                    || workspace.exists(&dir.join(".git"))
            })
            .map_or(folder.clone(), Path::to_path_buf);
        dioptra.entry(repo_root).or_default().push(toml);
    }
    for (root, mut configs) in dioptra {
        configs.sort();
        configs.dedup();
        discovery
            .repositories
            .push(repository(RepositoryKind::Dioptra, &root, configs));
    }
    discovery
        .repositories
        .sort_by(|a, b| (&a.root, a.kind).cmp(&(&b.root, b.kind)));
    discovery.repositories.dedup();
    // A repository's folder name and its config paths become dist paths and
    // archive names: they must be plain.
    let diagnostics = &mut discovery.diagnostics;
    discovery.repositories.retain_mut(|repository| {
        if !crate::paths::is_plain_name(&repository.name) {
            diagnostics.push(unsafe_folder_name(repository));
            return false;
        }
        repository.resource_configs.retain(|config| {
            let relative = config.strip_prefix(&repository.root).ok().and_then(Path::to_str);
            let safe = relative.is_some_and(|path| {
                crate::paths::is_safe_relative_path(path)
                    && path.split('/').all(crate::paths::is_plain_name)
            });
            if !safe {
                diagnostics.push(
                    Diagnostic::error(
                        Code::InputUnsafeName,
                        format!(
                            "resource config `{}` does not have a plain path: it names the bundle in the dist, so it is left out",
                            config.display().to_string().escape_debug()
                        ),
                    )
                    .at_path(repository.display.clone())
                    .with_help("name folders and files with letters, digits, `_`, `.`, `+` and `-`"),
                );
            }
            safe
        });
        true
    });
    discovery
}

fn unsafe_folder_name(repository: &Repository) -> Diagnostic {
    Diagnostic::error(
        Code::InputUnsafeName,
        format!(
            "the folder name {:?} of this {} repository is not a plain name: it names its artifacts in the dist, so the repository is left out",
            repository.name,
            repository.kind.as_str()
        ),
    )
    .at_path(repository.display.clone())
    .with_help("rename the folder with letters, digits, `_`, `.`, `+` and `-` (as a git clone of a GitHub repository is)")
}

fn repository(kind: RepositoryKind, root: &Path, resource_configs: Vec<PathBuf>) -> Repository {
    let name = root
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| {
            std::fs::canonicalize(root)
                .ok()
                .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
                .unwrap_or_else(|| ".".to_string())
        });
    Repository {
        kind,
        name,
        root: root.to_path_buf(),
        display: display_path(root),
        resource_configs,
    }
}

/// Is this folder a Domino Pieces repository? Warns when it is half one.
fn classify_domino_folder(
    workspace: &Workspace,
    dir: &Path,
    entries: &[DirEntry],
    diagnostics: &mut Vec<Diagnostic>,
) -> bool {
    let entry = |name: &str| {
        entries
            .binary_search_by(|e| e.name.as_str().cmp(name))
            .ok()
            .map(|i| &entries[i])
    };
    let is_dir = |name: &str| entry(name).is_some_and(|e| e.kind == EntryKind::Dir);
    let config = dir.join("config.toml");
    let has_pieces = is_dir("pieces");
    let has_dependencies = is_dir("dependencies");
    let config_entry = entry("config.toml");
    // A `config.toml` that cannot be read (a FIFO, a folder, a link outside)
    // next to `pieces/`: a broken repository, whose processing reports why.
    let readable = config_entry.map(|_| workspace.file(&config));
    if has_pieces && matches!(readable, Some(Err(_))) {
        return true;
    }
    if !config_entry.is_some_and(|e| e.kind == EntryKind::File) {
        if has_pieces && has_dependencies {
            diagnostics.push(
                Diagnostic::warning(
                    Code::DiscoverIncompleteDominoRepository,
                    "folder has `pieces/` and `dependencies/` but no `config.toml`: not treated as a Domino Pieces repository",
                )
                .at_path(display_path(dir))
                .with_help("add a `config.toml` with a `[repository]` table (REGISTRY_NAME, REPOSITORY_NAME, VERSION)"),
            );
        }
        return false;
    }
    let text = readable
        .and_then(Result::ok)
        .and_then(|file| file.text().ok())
        .map(|file| file.text.clone())
        .unwrap_or_default();
    let has_repository_table = match text.parse::<toml::Table>() {
        Ok(table) => table.get("repository").is_some_and(toml::Value::is_table),
        // A config.toml that does not parse, next to `pieces/`, is a broken Domino
        // repository: its parser reports the syntax error.
        Err(_) => has_pieces || text.contains("[repository]"),
    };
    match (has_repository_table, has_pieces) {
        (true, true) => true,
        (true, false) => {
            diagnostics.push(
                Diagnostic::warning(
                    Code::DiscoverIncompleteDominoRepository,
                    "`config.toml` has a `[repository]` table but the folder has no `pieces/` folder: not treated as a Domino Pieces repository",
                )
                .at_path(display_path(&config))
                .with_help("create `pieces/<Name>Piece/` folders next to `config.toml`"),
            );
            false
        }
        (false, true) => {
            diagnostics.push(
                Diagnostic::warning(
                    Code::DiscoverIncompleteDominoRepository,
                    "folder has `pieces/` but its `config.toml` has no `[repository]` table: not treated as a Domino Pieces repository",
                )
                .at_path(display_path(&config))
                .with_help("add a `[repository]` table with REGISTRY_NAME, REPOSITORY_NAME and VERSION"),
            );
            false
        }
        (false, false) => false,
    }
}

/// `dioptra.toml`, or any TOML whose top level has `plugins`,
/// `plugin_param_types` or `entrypoints` arrays.
fn is_resource_toml(workspace: &Workspace, path: &Path) -> bool {
    let file_name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    if file_name == "dioptra.toml" {
        return true;
    }
    if matches!(file_name, "Cargo.toml" | "config.toml" | "pyproject.toml") {
        return false;
    }
    let Some(file) = workspace.file(path).ok().and_then(|file| file.text().ok()) else {
        return false;
    };
    let text = &file.text;
    const KEYS: [&str; 3] = ["plugins", "plugin_param_types", "entrypoints"];
    match text.parse::<toml::Table>() {
        Ok(table) => KEYS
            .iter()
            .any(|key| table.get(*key).is_some_and(toml::Value::is_array)),
        // Broken TOML that clearly was meant as a resource file: keep it, so its
        // syntax errors are reported.
        Err(_) => KEYS.iter().any(|key| text.contains(&format!("[[{key}"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(root: &Path, path: &str, text: &str) {
        let path = root.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    #[test]
    fn finds_both_kinds_at_any_depth_in_sorted_order() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write(
            root,
            "b/deep/dom/config.toml",
            "[repository]\nREPOSITORY_NAME = \"x\"\n",
        );
        write(root, "b/deep/dom/pieces/APiece/models.py", "");
        write(root, "a/dio/dioptra.toml", "[[plugins]]\npath = \"p\"\n");
        write(
            root,
            "a/dio/extra/dioptra_optic.toml",
            "[[entrypoints]]\npath = \"e.yml\"\n",
        );
        write(root, "a/dio/extra/other.toml", "x = 1\n");
        write(root, "c/.hidden/dioptra.toml", "");
        write(root, "c/target/dioptra.toml", "");
        let discovery = discover(&Workspace::new(root), &[root.to_path_buf()]);
        let found: Vec<_> = discovery
            .repositories
            .iter()
            .map(|r| (r.kind, r.name.as_str(), r.resource_configs.len()))
            .collect();
        assert_eq!(
            found,
            [
                (RepositoryKind::Dioptra, "dio", 2),
                (RepositoryKind::Domino, "dom", 0)
            ]
        );
        assert!(discovery.diagnostics.is_empty());
    }

    #[test]
    fn a_root_that_is_a_repository_counts() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "dioptra.toml", "[[plugins]]\npath = \"p\"\n");
        let discovery = discover(&Workspace::new(dir.path()), &[dir.path().to_path_buf()]);
        assert_eq!(discovery.repositories.len(), 1);
    }

    #[test]
    fn half_repositories_get_warnings() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write(root, "nocfg/pieces/APiece/models.py", "");
        write(root, "nocfg/dependencies/requirements.txt", "");
        write(root, "notable/config.toml", "[other]\n");
        write(root, "notable/pieces/APiece/models.py", "");
        write(root, "nopieces/config.toml", "[repository]\n");
        let discovery = discover(&Workspace::new(root), &[root.to_path_buf()]);
        assert!(discovery.repositories.is_empty());
        assert_eq!(
            discovery.diagnostics.len(),
            3,
            "{:?}",
            discovery.diagnostics
        );
        assert!(
            discovery
                .diagnostics
                .iter()
                .all(|d| d.code == Code::DiscoverIncompleteDominoRepository)
        );
    }

    #[test]
    fn broken_tomls_still_count_so_their_errors_are_reported() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write(root, "dom/config.toml", "[repository\n");
        write(root, "dom/pieces/APiece/models.py", "");
        write(root, "dio/resources.toml", "[[plugins]\npath = \n");
        let discovery = discover(&Workspace::new(root), &[root.to_path_buf()]);
        assert_eq!(discovery.repositories.len(), 2);
    }
}

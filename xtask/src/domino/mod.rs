//! Domino Pieces repositories: validation and the `.domino/` outputs, built
//! statically (no Python is run) and byte-compatible with domino-py 0.9.4.
//!
//! Flow per repository: config.toml -> piece folders (in parallel: metadata.json,
//! models.py, piece.py) -> compiled metadata in a stable piece order ->
//! dependency groups -> outputs, drift check and the facts for the graph; in
//! `build-all`, the release archive and the content hashes of the tree. Every
//! file is read through the repository's [`Reader`].

pub mod compile;
pub mod dependencies;
pub mod models;
pub mod piece;
pub mod python_engine;
pub mod release;
pub mod repo_config;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use rayon::prelude::*;
use serde_json::{Map, Value};

use crate::codes::Code;
use crate::context::Context;
use crate::diagnostics::Diagnostic;
use crate::facts::{DominoFacts, DominoGroup, Facts};
use crate::input::{EntryKind, Reader};
use crate::options::Mode;
use crate::output::Output;
use crate::paths::display_path;
use crate::pyrepr;
use crate::report::{Repository, RepositoryReport};

use piece::Piece;
use python_engine::PythonSchemas;

/// The generated files, relative to the repository root.
pub const COMPILED_METADATA: &str = ".domino/compiled_metadata.json";
pub const DEPENDENCIES_MAP: &str = ".domino/dependencies_map.json";

/// Pieces are exactly the direct child folders of `pieces/` whose names end in
/// `Piece`, sorted by name.
pub fn piece_folders(reader: &Reader<'_>, repository_root: &Path) -> Vec<String> {
    reader
        .list_dir(&repository_root.join("pieces"))
        .unwrap_or_default()
        .into_iter()
        .filter(|entry| entry.kind == EntryKind::Dir && entry.name.ends_with("Piece"))
        .map(|entry| entry.name)
        .collect()
}

/// Validates one repository and produces its `.domino/` files (and, in
/// `build-all`, its release archive).
pub fn process(
    repository: &Repository,
    reader: &Reader<'_>,
    context: &Context<'_>,
    python_schemas: Option<&PythonSchemas>,
) -> RepositoryReport {
    let mut report = RepositoryReport::new(repository);
    let root = &repository.root;
    let diagnostics = &mut report.diagnostics;
    let tag_override = context.config.tag_override(&repository.name);
    let generator = context.config.generator(&repository.name);

    let config = reader
        .source(
            &root.join("config.toml"),
            Code::DominoUnreadableFile,
            diagnostics,
        )
        .and_then(|file| repo_config::check(&file, tag_override, diagnostics));

    // Every name of the tree can be a path and an archive entry.
    let walk = reader.tree_walk(root);
    diagnostics.extend(walk.unsafe_name_diagnostics());
    // `.domino/` is written by build-all: never through a symbolic link.
    if let Some(link) = crate::output::symlink_below(root, Path::new(COMPILED_METADATA)) {
        diagnostics.push(
            Diagnostic::error(
                Code::OutputUnsafePath,
                format!(
                    "`{}` is a symbolic link: the generated files are never written through it",
                    display_path(&link)
                ),
            )
            .at_path(display_path(&link))
            .with_help("make `.domino` a real folder of the repository (or delete it: build-all generates it)"),
        );
    }
    // The top-level entries of `dependencies/` (what the reference matches
    // `requirements_file` and `dockerfile` against).
    let dependency_listing = reader.list_dir(&root.join("dependencies"));
    let dependency_files: BTreeSet<String> = match &dependency_listing {
        Some(entries) => entries.iter().map(|e| e.name.clone()).collect(),
        None => {
            diagnostics.push(
                Diagnostic::error(
                    Code::DominoMissingDependenciesFolder,
                    "Dependencies directory does not exist",
                )
                .at_path(display_path(root))
                .with_help("create `dependencies/` (it may hold only a requirements.txt)"),
            );
            BTreeSet::new()
        }
    };

    let names = piece_folders(reader, root);
    if names.is_empty() {
        diagnostics.push(
            Diagnostic::error(
                Code::DominoNoPieces,
                "No pieces found in the Pieces Repository",
            )
            .at_path(display_path(&root.join("pieces")))
            .with_help("a piece is a folder `pieces/<Name>Piece/` with models.py and piece.py"),
        );
    }
    let mut pieces: Vec<Piece> = names
        .par_iter()
        .map(|name| {
            piece::check(
                reader,
                &root.join("pieces").join(name),
                name,
                &dependency_files,
                python_schemas,
                generator,
            )
        })
        .collect();
    for piece in &mut pieces {
        diagnostics.append(&mut piece.diagnostics);
    }
    report.stats.pieces = pieces.len();

    let committed_metadata = read_committed(reader, root, COMPILED_METADATA, diagnostics);
    let outline = committed_metadata
        .as_ref()
        .map(|c| compile::Outline::of(&c.bytes))
        .unwrap_or_default();
    let order = compile::piece_order(&names, &outline);
    pieces.sort_by_key(|p| order.iter().position(|n| *n == p.name));

    // The configured source URL, else the one the committed files imply (a
    // repository brought into the monorepo keeps its own).
    let implied = compile::implied_source_url(&outline);
    let source_url = match context.config.source_url(&repository.name) {
        Some(url) => Some(url),
        None => {
            if let Some(url) = &implied {
                context.progress.verbose(format!(
                    "{}: source_url {url} (from the committed {COMPILED_METADATA}; set `source_url` in [workspace.metadata.pieces.repositories.{}] to choose)",
                    repository.display, repository.name
                ));
            }
            implied.as_deref()
        }
    };
    // The schemas move into the entries, unless `matches_generator` may need
    // the python engine's (the static reader's are computed again there).
    let keeps_schemas = python_schemas.is_some();
    let compiled: Map<String, Value> = pieces
        .iter_mut()
        .map(|p| {
            let schemas = if keeps_schemas {
                p.schemas.clone()
            } else {
                p.schemas.take()
            };
            (
                p.name.clone(),
                compile::compiled_entry(p, schemas, source_url),
            )
        })
        .collect();
    let mut groups = match compile::dependency_groups(&compiled) {
        Ok(groups) => groups,
        Err(error) => {
            let mut diagnostic = Diagnostic::error(
                Code::DominoIncomparableDependency,
                format!(
                    "the dependency of {} has the key `{}` that {} lacks: the reference crashes with KeyError: '{}' while grouping",
                    error.piece, error.key, error.group, error.key
                ),
            )
            .with_help("give every piece the same dependency keys, or leave the extra key out");
            if let Some(document) = pieces
                .iter()
                .find(|p| p.name == error.piece)
                .and_then(|p| p.metadata.as_ref())
            {
                diagnostic = diagnostic.at(
                    &document.file,
                    document.key_span(&format!("/dependency/{}", error.key)),
                );
            }
            diagnostics.push(diagnostic);
            Map::new()
        }
    };

    let Some(config) = config else {
        return report;
    };
    let repository_name = config.repository_name.clone().unwrap_or_default();
    let tag = tag_override
        .map(str::to_string)
        .or(config.version.clone())
        .unwrap_or_else(|| "None".into());
    let host = context.config.registry_host();
    let base_image = context.config.domino_base_image(&repository.name);
    let mut facts = DominoFacts {
        repository_name: repository_name.clone(),
        registry_name: config.registry_name.clone().unwrap_or_default(),
        version: config.version.clone().unwrap_or_default(),
        source_url: source_url.map(str::to_string),
        pieces: order.clone(),
        groups: Vec::new(),
        dependency_files: dependency_listing
            .iter()
            .flatten()
            .filter(|entry| entry.kind == EntryKind::File)
            .map(|entry| format!("dependencies/{}", entry.name))
            .collect(),
        requirements: Vec::new(),
        dockerfiles: Vec::new(),
    };
    facts.requirements =
        dependencies::read_requirements(reader, root, &facts.dependency_files, diagnostics);
    for file in facts
        .dependency_files
        .iter()
        .filter(|f| dependencies::is_dockerfile(f))
    {
        if let Ok(text) = reader.text(&root.join(file)) {
            let dockerfile = dependencies::dockerfile_facts(reader, root, &text, file, diagnostics);
            facts.dockerfiles.push(dockerfile);
        }
    }
    for (group_name, group) in groups.iter_mut() {
        let image = compile::source_image(
            host,
            config.registry_name.as_deref(),
            &repository_name,
            &tag,
            group_name,
        );
        let dependency = &group["dependency"];
        let text_of = |key: &str| {
            dependency
                .get(key)
                .and_then(Value::as_str)
                .filter(|v| !v.is_empty())
                .map(str::to_string)
        };
        let (dockerfile, requirements) = (text_of("dockerfile"), text_of("requirements_file"));
        let dockerfile_text = match (&dockerfile, &requirements) {
            (Some(file), _) => facts
                .dockerfile(&format!("dependencies/{file}"))
                .map(|facts| facts.text.clone())
                .unwrap_or_default(),
            (None, requirements) => {
                compile::generated_dockerfile(&base_image, requirements.as_deref())
            }
        };
        // The Dockerfile the reference would build this group with, verbatim.
        report.artifacts.push(Output::new(
            format!("domino/{}/{group_name}.Dockerfile", repository.name),
            dockerfile_text.clone().into_bytes(),
        ));
        facts.groups.push(DominoGroup {
            name: group_name.clone(),
            requirements_file: if dockerfile.is_none() {
                requirements.map(|f| format!("dependencies/{f}"))
            } else {
                None
            },
            dockerfile: dockerfile.map(|f| format!("dependencies/{f}")),
            pieces: group["pieces"]
                .as_array()
                .map(|p| {
                    p.iter()
                        .filter_map(Value::as_str)
                        .map(str::to_string)
                        .collect()
                })
                .unwrap_or_default(),
            source_image: image.clone(),
            dockerfile_text,
        });
        if let Some(group) = group.as_object_mut() {
            group.insert("source_image".into(), Value::String(image));
        }
    }
    for group in &facts.groups {
        if let Some(file) = &group.requirements_file
            && facts.requirements_file(file).is_none()
        {
            let path = root.join(file);
            let (code, message) = match reader.text(&path) {
                Err(error) => (
                    error.code(Code::GraphUnreadableDependency),
                    format!("cannot read requirements file: {error}"),
                ),
                Ok(_) => (
                    Code::GraphUnreadableDependency,
                    "cannot read requirements file".to_string(),
                ),
            };
            diagnostics.push(Diagnostic::error(code, message).at_path(display_path(&path)));
        }
    }
    unused_dependency_warnings(root, &facts, &pieces, diagnostics);

    if report.diagnostics.iter().any(Diagnostic::is_error) {
        report.facts = Facts::Domino(facts);
        return report;
    }
    let generated = [
        (
            COMPILED_METADATA,
            Value::Object(compiled),
            committed_metadata,
        ),
        (
            DEPENDENCIES_MAP,
            Value::Object(groups),
            read_committed(reader, root, DEPENDENCIES_MAP, &mut report.diagnostics),
        ),
    ];
    for (relative, value, committed) in generated {
        let path = root.join(relative);
        let generated_bytes = pyrepr::dumps(&value).into_bytes();
        // Same bytes, or the same content: the committed bytes stay (secrets may
        // be in another order). The committed file is parsed only when its bytes
        // differ.
        let same = committed.as_ref().is_some_and(|old| {
            old.bytes == generated_bytes
                || old.value().is_some_and(|old| {
                    if relative == DEPENDENCIES_MAP {
                        compile::same_dependency_map(old, &value)
                    } else {
                        compile::first_difference(old, &value, "").is_none()
                    }
                })
        });
        if context.mode == Mode::Check && !same {
            let committed_value = committed.as_ref().and_then(Committed::value);
            let mut diagnostic =
                stale_diagnostic(repository, reader, &path, committed_value, &value);
            if relative == COMPILED_METADATA
                && let Some(old) = committed_value
                && matches_generator(
                    reader,
                    root,
                    &pieces,
                    source_url,
                    python_schemas,
                    generator.other(),
                    old,
                )
            {
                let other = generator.other();
                diagnostic = diagnostic.with_help(format!(
                    "committed files match {other} output; set `generator = \"{other}\"` in [workspace.metadata.pieces.repositories.{}] (or regenerate them with `cargo xtask build-all --only {}`)",
                    repository.name, repository.name
                ));
            }
            report.diagnostics.push(diagnostic);
        }
        let bytes = match committed {
            Some(old) if same => old.bytes,
            _ => generated_bytes,
        };
        report.outputs.push(if same {
            Output::current(path, bytes)
        } else {
            Output::new(path, bytes)
        });
    }
    // Files a Dockerfile copies count as they will be once the outputs are written.
    let generated: BTreeMap<String, &[u8]> = report
        .outputs
        .iter()
        .filter_map(|output| {
            let relative = output.path.strip_prefix(root).ok()?;
            Some((crate::paths::to_slash(relative), output.bytes()?))
        })
        .collect();
    for dockerfile in &mut facts.dockerfiles {
        dependencies::count_generated(dockerfile, &generated);
    }
    if context.mode == Mode::Write {
        let tree = reader.read_all(&walk);
        let files: Vec<(&str, &[u8])> = tree
            .iter()
            .filter(|(relative, _)| !generated.contains_key(relative))
            .map(|(relative, file)| (relative.as_str(), file.bytes()))
            .chain(
                generated
                    .iter()
                    .map(|(name, bytes)| (name.as_str(), *bytes)),
            )
            .collect();
        report
            .content_hashes
            .insert(String::new(), crate::hashing::subtree_hash(&files, ""));
        for piece in &facts.pieces {
            let path = format!("pieces/{piece}");
            let hash = crate::hashing::subtree_hash(&files, &path);
            report.content_hashes.insert(path, hash);
        }
        let tree_files: Vec<release::TreeFile<'_>> = tree
            .iter()
            .map(|(relative, file)| (relative.as_str(), file.bytes(), file.executable))
            .collect();
        match release::release_archive(&facts, &tree_files, &generated) {
            Ok(archive) => report.artifacts.push(archive),
            Err(err) => report.diagnostics.push(
                Diagnostic::error(
                    Code::EnvArchiveFailed,
                    format!("cannot build the release archive: {err}"),
                )
                .at_path(repository.display.clone()),
            ),
        }
    }
    report.facts = Facts::Domino(facts);
    report
}

/// A warning for each key of the object at `pointer` that is not in `known`
/// (the reference ignores them: most are typos), with the closest known key.
pub(crate) fn unknown_key_warnings(
    document: &crate::doc::Document,
    pointer: &str,
    known: &[&str],
    what: &str,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let Some(object) = document.get(pointer).and_then(Value::as_object) else {
        return;
    };
    for key in object.keys().filter(|k| !known.contains(&k.as_str())) {
        let key_pointer = crate::doc::pointer_child(pointer, key);
        let mut diagnostic = Diagnostic::warning(
            Code::DominoUnknownKey,
            format!("`{key}` is not a key of {what}: Domino ignores it"),
        )
        .at(&document.file, document.key_span(&key_pointer))
        .with_label("unknown key");
        diagnostic = match crate::suggest::did_you_mean(key, known.iter().copied()) {
            Some(guess) => diagnostic.with_help(format!("did you mean `{guess}`?")),
            None => diagnostic.with_help(format!("known keys: {}", known.join(", "))),
        };
        diagnostics.push(diagnostic);
    }
}

/// The property names a schema (or one of its `$defs`) declares.
pub(crate) fn schema_properties(schema: &Value, pointer: &str) -> Vec<String> {
    schema
        .pointer(pointer)
        .and_then(|s| s.get("properties"))
        .and_then(Value::as_object)
        .map(|p| p.keys().cloned().collect())
        .unwrap_or_default()
}

/// A committed generated file: its bytes, and its value when it is JSON (parsed
/// on first use).
struct Committed {
    bytes: Vec<u8>,
    value: std::cell::OnceCell<Option<Value>>,
}

impl Committed {
    fn value(&self) -> Option<&Value> {
        self.value
            .get_or_init(|| serde_json::from_slice(&self.bytes).ok())
            .as_ref()
    }
}

/// Reads a committed generated file once (None when absent). A refusal that
/// guards safety (a FIFO, a link outside) is reported.
fn read_committed(
    reader: &Reader<'_>,
    root: &Path,
    relative: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Committed> {
    let path = root.join(relative);
    let file = match reader.file(&path) {
        Ok(file) => file,
        Err(error) => {
            if error.code(Code::DominoUnreadableFile).is_safety() {
                diagnostics.push(error.diagnostic(&path, Code::DominoUnreadableFile));
            }
            return None;
        }
    };
    Some(Committed {
        bytes: file.bytes().to_vec(),
        value: std::cell::OnceCell::new(),
    })
}

fn stale_diagnostic(
    repository: &Repository,
    reader: &Reader<'_>,
    path: &Path,
    committed: Option<&Value>,
    generated: &Value,
) -> Diagnostic {
    let shown = display_path(path);
    let help = format!(
        "regenerate it with `cargo xtask build-all --only {}`",
        repository.name
    );
    let Some(old) = committed else {
        if reader.kind(path).is_some() {
            let diagnostic = Diagnostic::error(
                Code::DominoStaleGeneratedFile,
                format!("{shown} is not valid JSON and must be regenerated"),
            )
            .with_help(help);
            let file = reader.text(path);
            return match file.as_ref().map(|f| (f, crate::doc::parse_json(f))) {
                Ok((file, Err(error))) => diagnostic
                    .at(file, error.span)
                    .with_label(error.message.clone()),
                _ => diagnostic.at_path(shown),
            };
        }
        return Diagnostic::error(
            Code::DominoStaleGeneratedFile,
            format!("{shown} is missing"),
        )
        .at_path(shown)
        .with_help(help);
    };
    let mut diagnostic = Diagnostic::error(
        Code::DominoStaleGeneratedFile,
        format!("{shown} is out of date"),
    )
    .with_help(help);
    // Point at the first difference in the committed file.
    let located = reader
        .text(path)
        .ok()
        .and_then(|file| crate::doc::parse_json(&file).ok());
    // The difference that matters: secrets in another order are the same.
    let difference = if path.ends_with(DEPENDENCIES_MAP) {
        compile::first_difference(
            &compile::normalized_dependency_map(old),
            &compile::normalized_dependency_map(generated),
            "",
        )
    } else {
        compile::first_difference(old, generated, "")
    };
    match (difference, located) {
        (Some((pointer, text)), Some(document)) => {
            diagnostic = diagnostic
                .at(&document.file, document.span(&pointer))
                .with_label("differs from what would be generated")
                .with_note(text);
        }
        (Some((_, text)), None) => diagnostic = diagnostic.at_path(shown).with_note(text),
        (None, Some(document)) => {
            diagnostic = diagnostic.at(&document.file, crate::source::Span::new(0, 0));
        }
        (None, None) => diagnostic = diagnostic.at_path(shown),
    }
    diagnostic
}

/// Is `committed` exactly the compiled metadata `generator` would write? (Only the
/// schemas differ between generators; schemas from `--schema-engine python` are
/// pydantic's own and stay.)
fn matches_generator(
    reader: &Reader<'_>,
    root: &Path,
    pieces: &[Piece],
    source_url: Option<&str>,
    python_schemas: Option<&PythonSchemas>,
    generator: crate::config::DominoGenerator,
    committed: &Value,
) -> bool {
    let repo = models::RepoModules::new(reader, &root.join("pieces"));
    let compiled: Map<String, Value> = pieces
        .iter()
        .map(|piece| {
            let models_path = root.join("pieces").join(&piece.name).join("models.py");
            let mut schemas = piece.schemas.clone();
            if python_schemas.and_then(|p| p.get(&models_path)).is_none()
                && let Ok(file) = reader.text(&models_path)
            {
                let (module, syntax) = crate::python::parse(&file);
                if syntax.is_empty() {
                    // read as the check reads it: `<Name>Piece.models`, with the
                    // repository's modules followed
                    let name = format!("{}.models", piece.name);
                    schemas =
                        Some(models::model_schemas_in(&module, &name, Some(&repo), generator).0);
                }
            }
            (
                piece.name.clone(),
                compile::compiled_entry(piece, schemas, source_url),
            )
        })
        .collect();
    compile::first_difference(committed, &Value::Object(compiled), "").is_none()
}

/// A file of `dependencies/` that no piece uses (directly, through `-r`/`-c`,
/// or copied by a used Dockerfile) is probably left over.
fn unused_dependency_warnings(
    root: &Path,
    facts: &DominoFacts,
    pieces: &[Piece],
    diagnostics: &mut Vec<Diagnostic>,
) {
    let mut used: BTreeSet<String> = pieces
        .iter()
        .flat_map(|p| p.dependency_files.iter())
        .map(|f| format!("dependencies/{f}"))
        .collect();
    let mut pending: Vec<String> = used.iter().cloned().collect();
    while let Some(file) = pending.pop() {
        let found: Vec<String> = if let Some(dockerfile) = facts
            .groups
            .iter()
            .find(|g| g.dockerfile.as_deref() == Some(&file))
            .and_then(|_| facts.dockerfile(&file))
        {
            dockerfile
                .copied
                .iter()
                .map(|(name, _)| name.clone())
                .collect()
        } else if let Some(requirements) = facts.requirements_file(&file) {
            requirements
                .includes
                .iter()
                .map(|include| include.target.clone())
                .collect()
        } else {
            Vec::new()
        };
        for file in found {
            if used.insert(file.clone()) {
                pending.push(file);
            }
        }
    }
    for file in &facts.dependency_files {
        if !used.contains(file) {
            diagnostics.push(
                Diagnostic::warning(
                    Code::DominoUnusedDependencyFile,
                    format!("{file} is not used by any piece"),
                )
                .at_path(display_path(&root.join(file)))
                .with_help("name it in a piece's metadata.json `dependency`, include it from a used requirements file, or delete it"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::RepositoryKind;

    #[test]
    fn the_drift_note_names_the_real_difference_not_the_order_of_secrets() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("repo");
        let committed = serde_json::json!({
            "group0": {"secrets": ["B", "A"], "source_image": "ghcr.io/o/r:1-group0"}
        });
        let generated = serde_json::json!({
            "group0": {"secrets": ["A", "B"], "source_image": "quay.io/o/r:1-group0"}
        });
        let path = root.join(DEPENDENCIES_MAP);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, pyrepr::dumps(&committed)).unwrap();
        let repository = Repository {
            kind: RepositoryKind::Domino,
            name: "repo".into(),
            root: root.clone(),
            display: "repo".into(),
            resource_configs: Vec::new(),
        };
        let workspace = crate::input::Workspace::new(dir.path());
        let reader = workspace.reader(&root);
        let diagnostic =
            stale_diagnostic(&repository, &reader, &path, Some(&committed), &generated);
        let note = diagnostic.notes.join(" ");
        assert!(note.contains("source_image"), "{note}");
        assert!(!note.contains("secrets"), "{note}");
    }
}

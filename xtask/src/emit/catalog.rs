//! `catalog.json`: every repository, piece, plugin, task, parameter type,
//! entrypoint, environment and image of the monorepo, with source paths and
//! content hashes. Its schema is `schemas/catalog.schema.json`.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::facts::{Facts, TaskKind};
use crate::graph::MonorepoGraph;
use crate::graph::environments::EnvironmentSource;
use crate::report::RepositoryReport;

pub const SCHEMA_VERSION: u32 = 1;

fn task_kind(kind: TaskKind) -> &'static str {
    match kind {
        TaskKind::Function => "function",
        TaskKind::Artifact => "artifact",
    }
}

/// The content hash the repository recorded for a path of its tree (`""` for
/// the whole tree).
fn content_hash<'a>(report: &'a RepositoryReport, path: &str) -> Option<&'a str> {
    report.content_hashes.get(path).map(String::as_str)
}

// The catalog is written straight from these borrowed records (fields in the
// order of the file): at 1,000 repositories a `serde_json::Value` of it took
// several times the size of the file.

/// `catalog.json`.
#[derive(Serialize)]
pub struct Catalog<'a> {
    schema_version: u32,
    tool: Tool,
    repositories: Vec<RepositoryEntry<'a>>,
    environments: Vec<EnvironmentEntry<'a>>,
    images: Vec<ImageEntry<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    failed: Vec<FailedEntry<'a>>,
}

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

#[derive(Serialize)]
struct RepositoryEntry<'a> {
    name: &'a str,
    kind: &'static str,
    path: &'a str,
    content_hash: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    domino: Option<DominoEntry<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    dioptra: Option<DioptraEntry<'a>>,
}

#[derive(Serialize)]
struct DominoEntry<'a> {
    repository_name: &'a str,
    registry_name: &'a str,
    version: &'a str,
    source_url: Option<&'a str>,
    pieces: Vec<PieceEntry<'a>>,
}

#[derive(Serialize)]
struct PieceEntry<'a> {
    name: &'a str,
    path: String,
    content_hash: Option<&'a str>,
    group: Option<&'a str>,
    image: Option<&'a str>,
}

#[derive(Serialize)]
struct ImageEntry<'a> {
    reference: &'a str,
    repository: &'a str,
    group: &'a str,
    pieces: &'a [String],
    requirements_file: Option<&'a str>,
    dockerfile: Option<&'a str>,
    environment: Option<&'a str>,
    dockerfile_hash: String,
}

#[derive(Serialize)]
struct DioptraEntry<'a> {
    configs: Vec<ConfigEntry<'a>>,
}

#[derive(Serialize)]
struct ConfigEntry<'a> {
    path: String,
    content_hash: Option<&'a str>,
    plugins: Vec<PluginEntry<'a>>,
    parameter_types: Vec<TypeEntry<'a>>,
    entrypoints: Vec<EntrypointEntry<'a>>,
}

#[derive(Serialize)]
struct PluginEntry<'a> {
    name: &'a str,
    path: String,
    content_hash: Option<&'a str>,
    tasks: Vec<TaskEntry<'a>>,
}

#[derive(Serialize)]
struct TaskEntry<'a> {
    name: &'a str,
    kind: &'static str,
}

#[derive(Serialize)]
struct TypeEntry<'a> {
    name: &'a str,
    references: &'a [String],
}

#[derive(Serialize)]
struct EntrypointEntry<'a> {
    name: &'a str,
    path: String,
    content_hash: Option<&'a str>,
    plugins: &'a [String],
    artifact_plugins: &'a [String],
}

#[derive(Serialize)]
struct EnvironmentEntry<'a> {
    hash: &'a str,
    target: String,
    kind: &'static str,
    base_image: &'a str,
    groups: Vec<String>,
}

#[derive(Serialize)]
struct FailedEntry<'a> {
    name: &'a str,
    kind: &'static str,
    path: &'a str,
    reason: &'a str,
}

/// The catalog of the published repositories; `failed` are the repositories
/// that were not published, with the reason.
pub fn catalog<'a>(
    reports: &[&'a RepositoryReport],
    graph: &'a MonorepoGraph,
    failed: &'a [(&'a RepositoryReport, String)],
) -> Catalog<'a> {
    let mut repositories = Vec::new();
    let mut images = Vec::new();
    let mut environment_users: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for report in reports.iter().copied() {
        let repo = &report.repository;
        let mut entry = RepositoryEntry {
            name: &repo.name,
            kind: repo.kind.as_str(),
            path: &repo.display,
            content_hash: content_hash(report, ""),
            domino: None,
            dioptra: None,
        };
        match &report.facts {
            Facts::Domino(facts) => {
                let group_of = |piece: &str| {
                    facts
                        .groups
                        .iter()
                        .find(|g| g.pieces.iter().any(|p| p == piece))
                };
                let pieces = facts
                    .pieces
                    .iter()
                    .map(|piece| {
                        let group = group_of(piece);
                        PieceEntry {
                            name: piece,
                            path: format!("{}/pieces/{piece}", repo.display),
                            content_hash: content_hash(report, &format!("pieces/{piece}")),
                            group: group.map(|g| g.name.as_str()),
                            image: group.map(|g| g.source_image.as_str()),
                        }
                    })
                    .collect();
                entry.domino = Some(DominoEntry {
                    repository_name: &facts.repository_name,
                    registry_name: &facts.registry_name,
                    version: &facts.version,
                    source_url: facts.source_url.as_deref(),
                    pieces,
                });
                for group in &facts.groups {
                    let environment = graph
                        .group_environments
                        .get(&(repo.display.clone(), group.name.clone()))
                        .and_then(Option::as_deref);
                    if let Some(hash) = environment
                        && let Some((key, _)) = graph.environments.get_key_value(hash)
                    {
                        environment_users
                            .entry(key.as_str())
                            .or_default()
                            .push(format!("{}:{}", repo.name, group.name));
                    }
                    images.push(ImageEntry {
                        reference: &group.source_image,
                        repository: &repo.name,
                        group: &group.name,
                        pieces: &group.pieces,
                        requirements_file: group.requirements_file.as_deref(),
                        dockerfile: group.dockerfile.as_deref(),
                        environment,
                        dockerfile_hash: blake3::hash(group.dockerfile_text.as_bytes())
                            .to_hex()
                            .to_string(),
                    });
                }
            }
            Facts::Dioptra(facts) => {
                let configs = facts
                    .configs
                    .iter()
                    .map(|config| ConfigEntry {
                        path: format!("{}/{}", repo.display, config.path),
                        content_hash: content_hash(report, &config.path),
                        plugins: config
                            .plugins
                            .iter()
                            .map(|plugin| PluginEntry {
                                name: &plugin.name,
                                path: format!("{}/{}", repo.display, plugin.path),
                                content_hash: content_hash(report, &plugin.path),
                                tasks: plugin
                                    .tasks
                                    .iter()
                                    .map(|(name, kind)| TaskEntry {
                                        name,
                                        kind: task_kind(*kind),
                                    })
                                    .collect(),
                            })
                            .collect(),
                        parameter_types: config
                            .types
                            .iter()
                            .map(|ty| TypeEntry {
                                name: &ty.name,
                                references: &ty.references,
                            })
                            .collect(),
                        entrypoints: config
                            .entrypoints
                            .iter()
                            .map(|entrypoint| EntrypointEntry {
                                name: &entrypoint.name,
                                path: format!("{}/{}", repo.display, entrypoint.path),
                                content_hash: content_hash(report, &entrypoint.path),
                                plugins: &entrypoint.plugins,
                                artifact_plugins: &entrypoint.artifact_plugins,
                            })
                            .collect(),
                    })
                    .collect();
                entry.dioptra = Some(DioptraEntry { configs });
            }
            Facts::None => {}
        }
        repositories.push(entry);
    }
    // The environments of the groups cataloged.
    let environments = graph
        .environments
        .iter()
        .filter_map(|(hash, environment)| {
            let groups = environment_users.remove(hash.as_str())?;
            Some(EnvironmentEntry {
                hash,
                target: environment.target_name(),
                kind: match environment.source {
                    EnvironmentSource::Requirements { .. } => "requirements",
                    EnvironmentSource::Dockerfile { .. } => "dockerfile",
                },
                base_image: &environment.base_image,
                groups,
            })
        })
        .collect();
    Catalog {
        schema_version: SCHEMA_VERSION,
        tool: Tool {
            name: crate::emit::reports::TOOL_NAME,
            version: crate::emit::reports::TOOL_VERSION,
        },
        repositories,
        environments,
        images,
        failed: failed
            .iter()
            .map(|(report, reason)| FailedEntry {
                name: &report.repository.name,
                kind: report.repository.kind.as_str(),
                path: &report.repository.display,
                reason,
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::{
        DioptraConfig, DioptraEntrypoint, DioptraFacts, DioptraPlugin, DioptraType, DominoFacts,
        DominoGroup,
    };
    use crate::report::{Repository, RepositoryKind};

    const SCHEMA: &str = include_str!("../../../schemas/catalog.schema.json");

    fn repository(kind: RepositoryKind, root: &std::path::Path) -> Repository {
        Repository {
            kind,
            name: root.file_name().unwrap().to_string_lossy().into_owned(),
            root: root.to_path_buf(),
            display: root.display().to_string(),
            resource_configs: Vec::new(),
        }
    }

    #[test]
    fn the_catalog_matches_its_schema() {
        let dir = tempfile::tempdir().unwrap();
        let domino_root = dir.path().join("dom");
        let mut domino = RepositoryReport::new(&repository(RepositoryKind::Domino, &domino_root));
        domino.facts = Facts::Domino(DominoFacts {
            repository_name: "dom".into(),
            registry_name: "acme".into(),
            version: "1.0".into(),
            source_url: None,
            pieces: vec!["APiece".into()],
            groups: vec![DominoGroup {
                name: "group0".into(),
                requirements_file: Some("dependencies/requirements.txt".into()),
                dockerfile: None,
                pieces: vec!["APiece".into()],
                source_image: "ghcr.io/acme/dom:1.0-group0".into(),
                dockerfile_text: "FROM base\n".into(),
            }],
            dependency_files: vec!["dependencies/requirements.txt".into()],
            requirements: vec![crate::facts::RequirementsFile {
                path: "dependencies/requirements.txt".into(),
                text: "pandas\n".into(),
                includes: vec![],
            }],
            dockerfiles: vec![],
        });
        let dioptra_root = dir.path().join("dio");
        std::fs::create_dir_all(dioptra_root.join("p")).unwrap();
        let mut dioptra =
            RepositoryReport::new(&repository(RepositoryKind::Dioptra, &dioptra_root));
        dioptra.facts = Facts::Dioptra(DioptraFacts {
            configs: vec![DioptraConfig {
                path: "dioptra.toml".into(),
                plugins: vec![DioptraPlugin {
                    name: "p".into(),
                    path: "p".into(),
                    tasks: vec![("t".into(), TaskKind::Function)],
                }],
                types: vec![DioptraType {
                    name: "image".into(),
                    references: vec![],
                }],
                entrypoints: vec![DioptraEntrypoint {
                    name: "e".into(),
                    path: "e.yml".into(),
                    plugins: vec!["p".into()],
                    artifact_plugins: vec![],
                }],
            }],
        });
        for (report, paths) in [
            (&mut domino, &["", "pieces/APiece"][..]),
            (&mut dioptra, &["", "dioptra.toml", "p", "e.yml"][..]),
        ] {
            for path in paths {
                report
                    .content_hashes
                    .insert(path.to_string(), crate::hashing::tree_hash([]));
            }
        }
        let reports = vec![domino, dioptra];
        let graph = crate::graph::build(&reports, &|_| "base".to_string());
        assert_eq!(graph.environments.len(), 1);
        let failed = [(&reports[0], "2 errors".to_string())];
        let value = serde_json::to_value(catalog(
            &reports.iter().collect::<Vec<_>>(),
            &graph,
            &failed,
        ))
        .unwrap();
        let validator = crate::schema_check::embedded(SCHEMA);
        let errors: Vec<String> = validator
            .iter_errors(&value)
            .iter()
            .map(|e| format!("{} at {}", e.message, e.instance_path))
            .collect();
        assert!(errors.is_empty(), "{errors:#?}");
        assert_eq!(value["environments"][0]["groups"][0], "dom:group0");
    }
}

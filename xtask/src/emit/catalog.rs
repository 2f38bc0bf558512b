//! `catalog.json`: every repository, piece, plugin, task, parameter type,
//! entrypoint, environment and image of the monorepo, with source paths and
//! content hashes. Its schema is `schemas/catalog.schema.json`.

use std::collections::BTreeMap;

use serde_json::{Value, json};

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
fn content_hash(report: &RepositoryReport, path: &str) -> Option<String> {
    report.content_hashes.get(path).cloned()
}

/// The catalog of the published repositories; `failed` are the repositories
/// that were not published, with the reason.
pub fn catalog(
    reports: &[&RepositoryReport],
    graph: &MonorepoGraph,
    failed: &[(&RepositoryReport, String)],
) -> Value {
    let mut repositories = Vec::new();
    let mut images = Vec::new();
    let mut environment_users: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for report in reports.iter().copied() {
        let repo = &report.repository;
        let mut entry = json!({
            "name": repo.name,
            "kind": repo.kind.as_str(),
            "path": repo.display,
            "content_hash": content_hash(report, ""),
        });
        match &report.facts {
            Facts::Domino(facts) => {
                let group_of = |piece: &str| {
                    facts
                        .groups
                        .iter()
                        .find(|g| g.pieces.iter().any(|p| p == piece))
                };
                let pieces: Vec<Value> = facts
                    .pieces
                    .iter()
                    .map(|piece| {
                        let group = group_of(piece);
                        json!({
                            "name": piece,
                            "path": format!("{}/pieces/{piece}", repo.display),
                            "content_hash": content_hash(report, &format!("pieces/{piece}")),
                            "group": group.map(|g| g.name.clone()),
                            "image": group.map(|g| g.source_image.clone()),
                        })
                    })
                    .collect();
                entry["domino"] = json!({
                    "repository_name": facts.repository_name,
                    "registry_name": facts.registry_name,
                    "version": facts.version,
                    "source_url": facts.source_url,
                    "pieces": pieces,
                });
                for group in &facts.groups {
                    let environment = graph
                        .group_environments
                        .get(&(repo.display.clone(), group.name.clone()))
                        .cloned()
                        .flatten();
                    if let Some(hash) = &environment
                        && let Some((key, _)) = graph.environments.get_key_value(hash)
                    {
                        environment_users
                            .entry(key.as_str())
                            .or_default()
                            .push(format!("{}:{}", repo.name, group.name));
                    }
                    images.push(json!({
                        "reference": group.source_image,
                        "repository": repo.name,
                        "group": group.name,
                        "pieces": group.pieces,
                        "requirements_file": group.requirements_file,
                        "dockerfile": group.dockerfile,
                        "environment": environment,
                        "dockerfile_hash": blake3::hash(group.dockerfile_text.as_bytes()).to_hex().to_string(),
                    }));
                }
            }
            Facts::Dioptra(facts) => {
                let configs: Vec<Value> = facts
                    .configs
                    .iter()
                    .map(|config| {
                        json!({
                            "path": format!("{}/{}", repo.display, config.path),
                            "content_hash": content_hash(report, &config.path),
                            "plugins": config.plugins.iter().map(|plugin| json!({
                                "name": plugin.name,
                                "path": format!("{}/{}", repo.display, plugin.path),
                                "content_hash": content_hash(report, &plugin.path),
                                "tasks": plugin.tasks.iter().map(|(name, kind)| json!({"name": name, "kind": task_kind(*kind)})).collect::<Vec<_>>(),
                            })).collect::<Vec<_>>(),
                            "parameter_types": config.types.iter().map(|ty| json!({
                                "name": ty.name,
                                "references": ty.references,
                            })).collect::<Vec<_>>(),
                            "entrypoints": config.entrypoints.iter().map(|entrypoint| json!({
                                "name": entrypoint.name,
                                "path": format!("{}/{}", repo.display, entrypoint.path),
                                "content_hash": content_hash(report, &entrypoint.path),
                                "plugins": entrypoint.plugins,
                                "artifact_plugins": entrypoint.artifact_plugins,
                            })).collect::<Vec<_>>(),
                        })
                    })
                    .collect();
                entry["dioptra"] = json!({ "configs": configs });
            }
            Facts::None => {}
        }
        repositories.push(entry);
    }
    // The environments of the groups cataloged.
    let environments: Vec<Value> = graph
        .environments
        .iter()
        .filter(|(hash, _)| environment_users.contains_key(hash.as_str()))
        .map(|(hash, environment)| {
            let kind = match environment.source {
                EnvironmentSource::Requirements { .. } => "requirements",
                EnvironmentSource::Dockerfile { .. } => "dockerfile",
            };
            json!({
                "hash": hash,
                "target": environment.target_name(),
                "kind": kind,
                "base_image": environment.base_image,
                "groups": environment_users.get(hash.as_str()).cloned().unwrap_or_default(),
            })
        })
        .collect();
    let mut catalog = json!({
        "schema_version": SCHEMA_VERSION,
        "tool": { "name": crate::emit::reports::TOOL_NAME, "version": crate::emit::reports::TOOL_VERSION },
        "repositories": repositories,
        "environments": environments,
        "images": images,
    });
    if !failed.is_empty() {
        catalog["failed"] = failed
            .iter()
            .map(|(report, reason)| {
                json!({
                    "name": report.repository.name,
                    "kind": report.repository.kind.as_str(),
                    "path": report.repository.display,
                    "reason": reason,
                })
            })
            .collect();
    }
    catalog
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
        let value = catalog(
            &reports.iter().collect::<Vec<_>>(),
            &graph,
            &[(&reports[0], "2 errors".to_string())],
        );
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

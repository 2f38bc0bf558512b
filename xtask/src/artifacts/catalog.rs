//! `catalog.json`: every repository, piece, plugin, task, parameter type,
//! entrypoint, environment and image of the monorepo, with source paths and
//! content hashes. Its schema is `schemas/catalog.schema.json`.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use crate::environments::EnvironmentSource;
use crate::facts::{Facts, TaskKind};
use crate::fingerprint::hash_path;
use crate::graph::MonorepoGraph;
use crate::pipeline::RepositoryReport;

pub const SCHEMA_VERSION: u32 = 1;

fn task_kind(kind: TaskKind) -> &'static str {
    match kind {
        TaskKind::Function => "function",
        TaskKind::Artifact => "artifact",
    }
}

pub fn catalog(reports: &[RepositoryReport], graph: &MonorepoGraph) -> Value {
    let mut repositories = Vec::new();
    let mut images = Vec::new();
    let mut environment_users: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for report in reports {
        let repo = &report.repository;
        let mut entry = json!({
            "name": repo.name,
            "kind": repo.kind.as_str(),
            "path": repo.display,
            "content_hash": hash_path(&repo.root),
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
                            "content_hash": hash_path(&repo.root.join("pieces").join(piece)),
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
                            "content_hash": hash_path(&repo.root.join(&config.path)),
                            "plugins": config.plugins.iter().map(|plugin| json!({
                                "name": plugin.name,
                                "path": format!("{}/{}", repo.display, plugin.path),
                                "content_hash": hash_path(&repo.root.join(&plugin.path)),
                                "tasks": plugin.tasks.iter().map(|(name, kind)| json!({"name": name, "kind": task_kind(*kind)})).collect::<Vec<_>>(),
                            })).collect::<Vec<_>>(),
                            "parameter_types": config.types.iter().map(|ty| json!({
                                "name": ty.name,
                                "references": ty.references,
                            })).collect::<Vec<_>>(),
                            "entrypoints": config.entrypoints.iter().map(|entrypoint| json!({
                                "name": entrypoint.name,
                                "path": format!("{}/{}", repo.display, entrypoint.path),
                                "content_hash": hash_path(&repo.root.join(&entrypoint.path)),
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
    let environments: Vec<Value> = graph
        .environments
        .iter()
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
    json!({
        "schema_version": SCHEMA_VERSION,
        "tool": { "name": crate::artifacts::reports::TOOL_NAME, "version": crate::artifacts::reports::TOOL_VERSION },
        "repositories": repositories,
        "environments": environments,
        "images": images,
    })
}

//! The graph from the facts of every repository (no file is read).

use std::collections::BTreeMap;

use petgraph::graph::NodeIndex;

use super::{EdgeKind, MonorepoGraph, NodeKind, cycles, environments};
use crate::facts::{Facts, TaskKind};
use crate::paths::display_path;
use crate::report::{Repository, RepositoryReport};

/// Builds the graph from every repository's facts.
pub fn build(reports: &[RepositoryReport], base_image: &str) -> MonorepoGraph {
    let mut graph = MonorepoGraph::default();
    // Images built in this monorepo, for `FROM` edges.
    let mut images: BTreeMap<String, NodeIndex> = BTreeMap::new();
    for report in reports {
        let repo = &report.repository;
        let repo_id = format!("repository:{}", repo.display);
        let repo_node = graph.node(
            NodeKind::Repository,
            repo_id,
            &repo.name,
            Some(&repo.name),
            Some(repo.display.clone()),
        );
        match &report.facts {
            Facts::None => {}
            Facts::Domino(facts) => {
                for piece in &facts.pieces {
                    let piece_node = graph.node(
                        NodeKind::Piece,
                        format!("piece:{}/{piece}", repo.display),
                        piece,
                        Some(&repo.name),
                        Some(format!("{}/pieces/{piece}", repo.display)),
                    );
                    graph.edge(repo_node, piece_node, EdgeKind::Contains);
                }
                for file in &facts.dependency_files {
                    let file_node =
                        dependency_file_node(&mut graph, &repo.display, &repo.name, file);
                    graph.edge(repo_node, file_node, EdgeKind::Contains);
                }
                for group in &facts.groups {
                    let group_node = graph.node(
                        NodeKind::DependencyGroup,
                        format!("group:{}/{}", repo.display, group.name),
                        format!("{}:{}", repo.name, group.name),
                        Some(&repo.name),
                        None,
                    );
                    graph.edge(repo_node, group_node, EdgeKind::Contains);
                    for piece in &group.pieces {
                        if let Some(piece_node) = graph
                            .index
                            .get(&format!("piece:{}/{piece}", repo.display))
                            .copied()
                        {
                            graph.edge(piece_node, group_node, EdgeKind::Uses);
                        }
                    }
                    for file in group.requirements_file.iter().chain(&group.dockerfile) {
                        let file_node =
                            dependency_file_node(&mut graph, &repo.display, &repo.name, file);
                        graph.edge(group_node, file_node, EdgeKind::Uses);
                    }
                    let image_node = graph.node(
                        NodeKind::Image,
                        format!("image:{}", group.source_image),
                        &group.source_image,
                        None,
                        None,
                    );
                    graph.edge(group_node, image_node, EdgeKind::Produces);
                    images.insert(group.source_image.clone(), image_node);
                }
            }
            Facts::Dioptra(facts) => {
                for config in &facts.configs {
                    let config_path = format!("{}/{}", repo.display, config.path);
                    let config_node = graph.node(
                        NodeKind::DioptraConfig,
                        format!("dioptra-config:{config_path}"),
                        &config.path,
                        Some(&repo.name),
                        Some(config_path.clone()),
                    );
                    graph.edge(repo_node, config_node, EdgeKind::Contains);
                    for plugin in &config.plugins {
                        let plugin_node = graph.node(
                            NodeKind::Plugin,
                            format!("plugin:{config_path}/{}", plugin.name),
                            &plugin.name,
                            Some(&repo.name),
                            Some(format!("{}/{}", repo.display, plugin.path)),
                        );
                        graph.edge(config_node, plugin_node, EdgeKind::Contains);
                        for (task, kind) in &plugin.tasks {
                            let kind_name = match kind {
                                TaskKind::Function => "function",
                                TaskKind::Artifact => "artifact",
                            };
                            let task_node = graph.node(
                                NodeKind::Task,
                                format!("task:{config_path}/{}/{kind_name}/{task}", plugin.name),
                                task,
                                Some(&repo.name),
                                None,
                            );
                            graph.edge(plugin_node, task_node, EdgeKind::Contains);
                        }
                    }
                    for ty in &config.types {
                        let type_node = graph.node(
                            NodeKind::ParameterType,
                            format!("type:{config_path}/{}", ty.name),
                            &ty.name,
                            Some(&repo.name),
                            None,
                        );
                        graph.edge(config_node, type_node, EdgeKind::Contains);
                    }
                    for ty in &config.types {
                        let from = graph.index[&format!("type:{config_path}/{}", ty.name)];
                        for reference in &ty.references {
                            if let Some(to) = graph
                                .index
                                .get(&format!("type:{config_path}/{reference}"))
                                .copied()
                            {
                                graph.edge(from, to, EdgeKind::References);
                            }
                        }
                    }
                    for entrypoint in &config.entrypoints {
                        let entrypoint_node = graph.node(
                            NodeKind::Entrypoint,
                            format!("entrypoint:{config_path}/{}", entrypoint.name),
                            &entrypoint.name,
                            Some(&repo.name),
                            Some(format!("{}/{}", repo.display, entrypoint.path)),
                        );
                        graph.edge(config_node, entrypoint_node, EdgeKind::Contains);
                        for plugin in entrypoint
                            .plugins
                            .iter()
                            .chain(&entrypoint.artifact_plugins)
                        {
                            if let Some(plugin_node) = graph
                                .index
                                .get(&format!("plugin:{config_path}/{plugin}"))
                                .copied()
                            {
                                graph.edge(entrypoint_node, plugin_node, EdgeKind::Uses);
                            }
                        }
                    }
                }
            }
        }
    }

    // Requirement includes, Dockerfile FROM, and environments.
    for report in reports {
        let Facts::Domino(facts) = &report.facts else {
            continue;
        };
        let repo = &report.repository;
        for file in &facts.requirements {
            let from = file_node(&mut graph, repo, &file.path);
            for include in &file.includes {
                let to = file_node(&mut graph, repo, &include.target);
                let kind = if include.constraint {
                    EdgeKind::Constrains
                } else {
                    EdgeKind::Includes
                };
                graph.edge(from, to, kind);
            }
        }
        for dockerfile in &facts.dockerfiles {
            let from = file_node(&mut graph, repo, &dockerfile.path);
            for image in &dockerfile.from_images {
                if let Some(to) = images.get(image).copied() {
                    graph.edge(from, to, EdgeKind::BuildsFrom);
                }
            }
        }
        for group in &facts.groups {
            let group_node = graph.index[&format!("group:{}/{}", repo.display, group.name)];
            let environment = environments::environment_of(&repo.root, facts, group, base_image);
            let key = (repo.display.clone(), group.name.clone());
            match environment {
                Ok(Some(environment)) => {
                    let hash = environment.hash.clone();
                    let env_node = graph.node(
                        NodeKind::Environment,
                        format!("environment:{hash}"),
                        environment.target_name(),
                        None,
                        None,
                    );
                    graph.edge(group_node, env_node, EdgeKind::Uses);
                    graph
                        .environments
                        .entry(hash.clone())
                        .or_insert(environment);
                    graph.group_environments.insert(key, Some(hash));
                }
                // Include cycles are reported once, by the cycle check below;
                // unreadable files by the parser.
                Ok(None) | Err(_) => {
                    graph.group_environments.insert(key, None);
                }
            }
        }
    }
    let cycles = cycles::cycle_diagnostics(&graph);
    graph.diagnostics.extend(cycles);
    graph
}

/// The node of a dependency file given relative to the repository root: the
/// repository's own, or a shared one when the path leads outside it.
fn file_node(graph: &mut MonorepoGraph, repo: &Repository, path: &str) -> NodeIndex {
    if !path.starts_with("../") && !path.starts_with('/') {
        return dependency_file_node(graph, &repo.display, &repo.name, path);
    }
    let shown = display_path(&crate::paths::absolute(&repo.root.join(path)));
    graph.node(
        NodeKind::DependencyFile,
        format!("dependency-file:{shown}"),
        &shown,
        None,
        Some(shown.clone()),
    )
}

fn dependency_file_node(
    graph: &mut MonorepoGraph,
    repo_display: &str,
    repo_name: &str,
    file: &str,
) -> NodeIndex {
    graph.node(
        NodeKind::DependencyFile,
        format!("dependency-file:{repo_display}/{file}"),
        file,
        Some(repo_name),
        Some(format!("{repo_display}/{file}")),
    )
}

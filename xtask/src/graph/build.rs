//! The graph from the facts of every repository (no file is read).

use std::collections::BTreeMap;

use petgraph::graph::NodeIndex;

use super::{EdgeKind, MonorepoGraph, NodeKind, cycles, environments};
use crate::facts::{Facts, TaskKind};
use crate::paths::display_path;
use crate::report::{Repository, RepositoryReport};

/// Builds the graph from every repository's facts.
/// `base_image` gives a repository's (by folder name) base image of generated Dockerfiles.
pub fn build(reports: &[RepositoryReport], base_image: &dyn Fn(&str) -> String) -> MonorepoGraph {
    let mut graph = MonorepoGraph::default();
    // Images built in this monorepo, for `FROM` edges.
    let mut images: BTreeMap<String, NodeIndex> = BTreeMap::new();
    for report in reports {
        let repo = &report.repository;
        let repo_id = format!("repository:{}", repo.display);
        let repo_node = graph.node(
            None,
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
                    graph.node(
                        Some((repo_node, EdgeKind::Contains)),
                        NodeKind::Piece,
                        format!("piece:{}/{piece}", repo.display),
                        piece,
                        Some(&repo.name),
                        Some(format!("{}/pieces/{piece}", repo.display)),
                    );
                }
                for file in &facts.dependency_files {
                    let parent = Some((repo_node, EdgeKind::Contains));
                    dependency_file_node(&mut graph, parent, repo, file);
                }
                for group in &facts.groups {
                    let group_node = graph.node(
                        Some((repo_node, EdgeKind::Contains)),
                        NodeKind::DependencyGroup,
                        format!("group:{}/{}", repo.display, group.name),
                        format!("{}:{}", repo.name, group.name),
                        Some(&repo.name),
                        None,
                    );
                    for piece in &group.pieces {
                        if let Some(piece_node) =
                            graph.lookup(&format!("piece:{}/{piece}", repo.display))
                        {
                            graph.edge(piece_node, group_node, EdgeKind::Uses);
                        }
                    }
                    for file in group.requirements_file.iter().chain(&group.dockerfile) {
                        let parent = Some((group_node, EdgeKind::Uses));
                        dependency_file_node(&mut graph, parent, repo, file);
                    }
                    let image_node = graph.node(
                        Some((group_node, EdgeKind::Produces)),
                        NodeKind::Image,
                        format!("image:{}", group.source_image),
                        &group.source_image,
                        None,
                        None,
                    );
                    images.insert(group.source_image.clone(), image_node);
                }
            }
            Facts::Dioptra(facts) => {
                for config in &facts.configs {
                    let config_path = format!("{}/{}", repo.display, config.path);
                    let config_node = graph.node(
                        Some((repo_node, EdgeKind::Contains)),
                        NodeKind::DioptraConfig,
                        format!("dioptra-config:{config_path}"),
                        &config.path,
                        Some(&repo.name),
                        Some(config_path.clone()),
                    );
                    for plugin in &config.plugins {
                        let plugin_node = graph.node(
                            Some((config_node, EdgeKind::Contains)),
                            NodeKind::Plugin,
                            format!("plugin:{config_path}/{}", plugin.name),
                            &plugin.name,
                            Some(&repo.name),
                            Some(format!("{}/{}", repo.display, plugin.path)),
                        );
                        for (task, kind) in &plugin.tasks {
                            let kind_name = match kind {
                                TaskKind::Function => "function",
                                TaskKind::Artifact => "artifact",
                            };
                            graph.node(
                                Some((plugin_node, EdgeKind::Contains)),
                                NodeKind::Task,
                                format!("task:{config_path}/{}/{kind_name}/{task}", plugin.name),
                                task,
                                Some(&repo.name),
                                None,
                            );
                        }
                    }
                    for ty in &config.types {
                        graph.node(
                            Some((config_node, EdgeKind::Contains)),
                            NodeKind::ParameterType,
                            format!("type:{config_path}/{}", ty.name),
                            &ty.name,
                            Some(&repo.name),
                            None,
                        );
                    }
                    for ty in &config.types {
                        let from = graph.index[&format!("type:{config_path}/{}", ty.name)];
                        for reference in &ty.references {
                            if let Some(to) =
                                graph.lookup(&format!("type:{config_path}/{reference}"))
                            {
                                graph.edge(from, to, EdgeKind::References);
                            }
                        }
                    }
                    for entrypoint in &config.entrypoints {
                        let entrypoint_node = graph.node(
                            Some((config_node, EdgeKind::Contains)),
                            NodeKind::Entrypoint,
                            format!("entrypoint:{config_path}/{}", entrypoint.name),
                            &entrypoint.name,
                            Some(&repo.name),
                            Some(format!("{}/{}", repo.display, entrypoint.path)),
                        );
                        for plugin in entrypoint
                            .plugins
                            .iter()
                            .chain(&entrypoint.artifact_plugins)
                        {
                            if let Some(plugin_node) =
                                graph.lookup(&format!("plugin:{config_path}/{plugin}"))
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
            let environment =
                environments::environment_of(&repo.root, facts, group, &base_image(&repo.name));
            let key = (repo.display.clone(), group.name.clone());
            match environment {
                Ok(Some(environment)) => {
                    let hash = environment.hash.clone();
                    graph.node(
                        Some((group_node, EdgeKind::Uses)),
                        NodeKind::Environment,
                        format!("environment:{hash}"),
                        environment.target_name(),
                        None,
                        None,
                    );
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
        return dependency_file_node(graph, None, repo, path);
    }
    let shown = display_path(&crate::paths::absolute(&repo.root.join(path)));
    graph.node(
        None,
        NodeKind::DependencyFile,
        format!("dependency-file:{shown}"),
        &shown,
        None,
        Some(shown.clone()),
    )
}

/// The node of a file of the repository (`file` relative to its root).
fn dependency_file_node(
    graph: &mut MonorepoGraph,
    parent: Option<(NodeIndex, EdgeKind)>,
    repo: &Repository,
    file: &str,
) -> NodeIndex {
    graph.node(
        parent,
        NodeKind::DependencyFile,
        format!("dependency-file:{}/{file}", repo.display),
        file,
        Some(&repo.name),
        Some(format!("{}/{file}", repo.display)),
    )
}

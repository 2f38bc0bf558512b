//! The monorepo graph (petgraph), built once per run from the parsers' facts and
//! read by the cross-repository rules and every emitter.

pub mod environments;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write as _;

use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::visit::EdgeRef;
use serde_json::{Value, json};

use crate::codes::Code;
use crate::diagnostics::Diagnostic;
use crate::facts::{Facts, TaskKind};
use crate::paths::display_path;
use crate::report::{Repository, RepositoryReport};
use environments::Environment;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum NodeKind {
    Repository,
    Piece,
    DependencyFile,
    DependencyGroup,
    Environment,
    Image,
    DioptraConfig,
    Plugin,
    Task,
    ParameterType,
    Entrypoint,
}

impl NodeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            NodeKind::Repository => "repository",
            NodeKind::Piece => "piece",
            NodeKind::DependencyFile => "dependency-file",
            NodeKind::DependencyGroup => "dependency-group",
            NodeKind::Environment => "environment",
            NodeKind::Image => "image",
            NodeKind::DioptraConfig => "dioptra-config",
            NodeKind::Plugin => "plugin",
            NodeKind::Task => "task",
            NodeKind::ParameterType => "parameter-type",
            NodeKind::Entrypoint => "entrypoint",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum EdgeKind {
    /// A repository contains a piece, a config, ...
    Contains,
    /// A piece or group uses a dependency file / group / environment / plugin.
    Uses,
    /// `-r other.txt` in a requirements file.
    Includes,
    /// `-c constraints.txt` in a requirements file.
    Constrains,
    /// A Dockerfile's `FROM` is an image built in this monorepo.
    BuildsFrom,
    /// A parameter type's structure names another type.
    References,
    /// A group is published as an image.
    Produces,
}

impl EdgeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EdgeKind::Contains => "contains",
            EdgeKind::Uses => "uses",
            EdgeKind::Includes => "includes",
            EdgeKind::Constrains => "constrains",
            EdgeKind::BuildsFrom => "builds-from",
            EdgeKind::References => "references",
            EdgeKind::Produces => "produces",
        }
    }

    /// Edges a cycle may not run through.
    fn is_dependency(self) -> bool {
        matches!(
            self,
            EdgeKind::Includes | EdgeKind::Constrains | EdgeKind::BuildsFrom | EdgeKind::References
        )
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Node {
    pub kind: NodeKind,
    /// Unique and stable, e.g. `piece:pieces-repos/weather-pieces/FetchPiece`.
    pub id: String,
    pub label: String,
    /// The repository folder name the node belongs to (None for shared nodes).
    pub repository: Option<String>,
    /// A file or folder, as displayed.
    pub path: Option<String>,
}

/// The whole monorepo as one graph.
#[derive(Debug, Default)]
pub struct MonorepoGraph {
    pub graph: DiGraph<Node, EdgeKind>,
    index: HashMap<String, NodeIndex>,
    /// Distinct dependency environments, by content hash.
    pub environments: BTreeMap<String, Environment>,
    /// For each Domino group (`repo display`, group name): its environment hash,
    /// or None when it builds straight from the base image.
    pub group_environments: BTreeMap<(String, String), Option<String>>,
    pub diagnostics: Vec<Diagnostic>,
}

impl MonorepoGraph {
    fn node(
        &mut self,
        kind: NodeKind,
        id: String,
        label: impl Into<String>,
        repository: Option<&str>,
        path: Option<String>,
    ) -> NodeIndex {
        if let Some(index) = self.index.get(&id) {
            return *index;
        }
        let index = self.graph.add_node(Node {
            kind,
            id: id.clone(),
            label: label.into(),
            repository: repository.map(str::to_string),
            path,
        });
        self.index.insert(id, index);
        index
    }

    fn edge(&mut self, from: NodeIndex, to: NodeIndex, kind: EdgeKind) {
        if !self
            .graph
            .edges_connecting(from, to)
            .any(|e| *e.weight() == kind)
        {
            self.graph.add_edge(from, to, kind);
        }
    }

    pub fn find(&self, id: &str) -> Option<&Node> {
        self.index.get(id).map(|i| &self.graph[*i])
    }

    /// Nodes in id order (deterministic whatever the build order was).
    pub fn sorted_nodes(&self) -> Vec<(NodeIndex, &Node)> {
        let mut nodes: Vec<_> = self
            .graph
            .node_indices()
            .map(|i| (i, &self.graph[i]))
            .collect();
        nodes.sort_by(|a, b| a.1.id.cmp(&b.1.id));
        nodes
    }

    /// Edges as (from id, to id, kind), sorted.
    pub fn sorted_edges(&self) -> Vec<(&str, &str, EdgeKind)> {
        let mut edges: Vec<_> = self
            .graph
            .edge_references()
            .map(|e| {
                (
                    self.graph[e.source()].id.as_str(),
                    self.graph[e.target()].id.as_str(),
                    *e.weight(),
                )
            })
            .collect();
        edges.sort();
        edges
    }
}

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
    let cycles = cycle_diagnostics(&graph);
    graph.diagnostics.extend(cycles);
    graph
}

/// The node of a dependency file given relative to the repository root: the
/// repository's own, or a shared one when the path leads outside it.
fn file_node(graph: &mut MonorepoGraph, repo: &Repository, path: &str) -> NodeIndex {
    if !path.starts_with("../") {
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

/// Every cycle over dependency edges, once, with its whole path.
fn cycle_diagnostics(graph: &MonorepoGraph) -> Vec<Diagnostic> {
    let mut filtered: DiGraph<NodeIndex, ()> = DiGraph::new();
    let mut map = HashMap::new();
    for index in graph.graph.node_indices() {
        map.insert(index, filtered.add_node(index));
    }
    for edge in graph.graph.edge_references() {
        if edge.weight().is_dependency() {
            filtered.add_edge(map[&edge.source()], map[&edge.target()], ());
        }
    }
    let mut diagnostics = Vec::new();
    for component in petgraph::algo::tarjan_scc(&filtered) {
        let is_cycle = component.len() > 1
            || component
                .first()
                .is_some_and(|n| filtered.contains_edge(*n, *n));
        // Type reference cycles are reported by the Dioptra module, on the type
        // in its TOML (with line:col and the whole path): not twice.
        let only_types = component
            .iter()
            .all(|n| graph.graph[filtered[*n]].kind == NodeKind::ParameterType);
        if !is_cycle || only_types {
            continue;
        }
        let members: BTreeSet<NodeIndex> = component.iter().copied().collect();
        // Start at the smallest id, so the report is stable.
        let start = *component
            .iter()
            .min_by_key(|n| &graph.graph[filtered[**n]].id)
            .expect("non-empty component");
        let path = shortest_cycle_through(&filtered, &members, start, &|n| {
            graph.graph[filtered[n]].id.clone()
        });
        let labels: Vec<String> = path
            .iter()
            .map(|n| {
                let node = &graph.graph[filtered[*n]];
                node.path.clone().unwrap_or_else(|| node.label.clone())
            })
            .collect();
        let first = &graph.graph[filtered[start]];
        let kind = first.kind.as_str();
        let mut diagnostic = Diagnostic::error(
            Code::GraphCycle,
            format!("dependency cycle between {kind}s: {}", labels.join(" -> ")),
        )
        .with_help("break the cycle: a file, image or type cannot depend on itself");
        if let Some(path) = &first.path {
            diagnostic = diagnostic.at_path(path.clone());
        }
        diagnostics.push(diagnostic);
    }
    diagnostics
}

/// The shortest cycle from `start` back to itself inside one strongly connected
/// component (breadth-first, successors visited in id order).
fn shortest_cycle_through(
    graph: &DiGraph<NodeIndex, ()>,
    members: &BTreeSet<NodeIndex>,
    start: NodeIndex,
    id: &dyn Fn(NodeIndex) -> String,
) -> Vec<NodeIndex> {
    let mut parent: HashMap<NodeIndex, NodeIndex> = HashMap::new();
    let mut visited = BTreeSet::from([start]);
    let mut queue = std::collections::VecDeque::from([start]);
    while let Some(current) = queue.pop_front() {
        let mut next: Vec<NodeIndex> = graph
            .neighbors(current)
            .filter(|n| members.contains(n))
            .collect();
        next.sort_by_key(|n| id(*n));
        next.dedup();
        for neighbor in next {
            if neighbor == start {
                let mut path = vec![current];
                while let Some(previous) = parent.get(path.last().expect("non-empty")) {
                    path.push(*previous);
                }
                path.reverse();
                if path.first() != Some(&start) {
                    path.insert(0, start);
                }
                path.push(start);
                return path;
            }
            if visited.insert(neighbor) {
                parent.insert(neighbor, current);
                queue.push_back(neighbor);
            }
        }
    }
    vec![start, start]
}

/// Graph output formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GraphFormat {
    Dot,
    Mermaid,
    Json,
}

/// Keeps the nodes of the given repositories (by folder name) and shared nodes
/// they reach.
pub fn filtered_ids(graph: &MonorepoGraph, only: &[String]) -> BTreeSet<String> {
    let mut keep = BTreeSet::new();
    for (index, node) in graph.sorted_nodes() {
        let selected =
            only.is_empty() || node.repository.as_ref().is_some_and(|r| only.contains(r));
        if selected {
            keep.insert(node.id.clone());
            for neighbor in graph.graph.neighbors(index) {
                keep.insert(graph.graph[neighbor].id.clone());
            }
        }
    }
    keep
}

fn quote(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

/// Renders the graph (restricted to `only` repositories when not empty).
pub fn render(graph: &MonorepoGraph, format: GraphFormat, only: &[String]) -> String {
    let keep = filtered_ids(graph, only);
    let nodes: Vec<&Node> = graph
        .sorted_nodes()
        .into_iter()
        .map(|(_, n)| n)
        .filter(|n| keep.contains(&n.id))
        .collect();
    let edges: Vec<_> = graph
        .sorted_edges()
        .into_iter()
        .filter(|(a, b, _)| keep.contains(*a) && keep.contains(*b))
        .collect();
    let short: BTreeMap<&str, String> = nodes
        .iter()
        .enumerate()
        .map(|(i, n)| (n.id.as_str(), format!("n{i}")))
        .collect();
    let mut out = String::new();
    match format {
        GraphFormat::Dot => {
            out.push_str("digraph monorepo {\n  rankdir=LR;\n  node [fontname=\"Helvetica\"];\n");
            for node in &nodes {
                let shape = match node.kind {
                    NodeKind::Repository => "folder",
                    NodeKind::Environment | NodeKind::Image => "box3d",
                    NodeKind::DependencyFile => "note",
                    _ => "box",
                };
                let _ = writeln!(
                    out,
                    "  {} [label={}, shape={shape}, tooltip={}];",
                    short[node.id.as_str()],
                    quote(&format!("{}\\n({})", node.label, node.kind.as_str())),
                    quote(&node.id)
                );
            }
            for (a, b, kind) in &edges {
                let _ = writeln!(
                    out,
                    "  {} -> {} [label={}];",
                    short[a],
                    short[b],
                    quote(kind.as_str())
                );
            }
            out.push_str("}\n");
        }
        GraphFormat::Mermaid => {
            out.push_str("flowchart LR\n");
            for node in &nodes {
                let label =
                    format!("{} ({})", node.label, node.kind.as_str()).replace('"', "#quot;");
                let _ = writeln!(out, "  {}[\"{label}\"]", short[node.id.as_str()]);
            }
            for (a, b, kind) in &edges {
                let _ = writeln!(out, "  {} -->|{}| {}", short[a], kind.as_str(), short[b]);
            }
        }
        GraphFormat::Json => {
            let value = json!({
                "nodes": nodes.iter().map(|n| json!({
                    "id": n.id,
                    "kind": n.kind.as_str(),
                    "label": n.label,
                    "repository": n.repository,
                    "path": n.path,
                })).collect::<Vec<Value>>(),
                "edges": edges.iter().map(|(a, b, kind)| json!({"from": a, "to": b, "kind": kind.as_str()})).collect::<Vec<Value>>(),
            });
            out = serde_json::to_string_pretty(&value).expect("JSON");
            out.push('\n');
        }
    }
    out
}

/// (Dioptra group, kind of name, name).
type NameKey = (String, &'static str, String);

/// Cross-repository rules: Dioptra names colliding within one import group, and
/// Domino image tags colliding.
pub fn cross_repository_diagnostics(
    reports: &[RepositoryReport],
    group_of: &dyn Fn(&str) -> String,
) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    // (group, what, name) -> [(repo display, config path)]
    let mut dioptra: BTreeMap<NameKey, Vec<(String, String)>> = BTreeMap::new();
    let mut images: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for report in reports {
        let repo = &report.repository;
        match &report.facts {
            Facts::Dioptra(facts) => {
                let group = group_of(&repo.name);
                for config in &facts.configs {
                    let location = (
                        repo.display.clone(),
                        format!("{}/{}", repo.display, config.path),
                    );
                    let names = config
                        .plugins
                        .iter()
                        .map(|p| ("plugin", &p.name))
                        .chain(config.types.iter().map(|t| ("parameter type", &t.name)))
                        .chain(config.entrypoints.iter().map(|e| ("entrypoint", &e.name)));
                    for (what, name) in names {
                        dioptra
                            .entry((group.clone(), what, name.clone()))
                            .or_default()
                            .push(location.clone());
                    }
                }
            }
            Facts::Domino(facts) => {
                for group in &facts.groups {
                    images
                        .entry(group.source_image.clone())
                        .or_default()
                        .push(format!("{} ({})", repo.display, group.name));
                }
            }
            Facts::None => {}
        }
    }
    for ((group, what, name), locations) in dioptra {
        let repositories: BTreeSet<&String> = locations.iter().map(|(repo, _)| repo).collect();
        if repositories.len() < 2 {
            continue; // same-repository duplicates are the Dioptra validator's business
        }
        let files: Vec<&str> = locations
            .iter()
            .map(|(_, config)| config.as_str())
            .collect();
        let mut diagnostic = Diagnostic::error(
            Code::GraphDioptraNameCollision,
            format!(
                "{what} `{name}` is defined by {} repositories imported into Dioptra group `{group}`: {}",
                repositories.len(),
                files.join(", ")
            ),
        )
        .with_help("rename one of them, or import the repositories into different groups (`dioptra_group` in [workspace.metadata.pieces.repositories.<name>])");
        diagnostic = diagnostic.at_path(files[1].to_string());
        diagnostics.push(diagnostic);
    }
    for (image, users) in images {
        if users.len() > 1 {
            diagnostics.push(
                Diagnostic::error(
                    Code::GraphImageTagCollision,
                    format!("image `{image}` would be built by {} groups: {}", users.len(), users.join(", ")),
                )
                .with_help("give the repositories distinct REPOSITORY_NAME / REGISTRY_NAME, or distinct tags"),
            );
        }
    }
    diagnostics
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::{
        DioptraConfig, DioptraFacts, DioptraPlugin, DioptraType, DominoFacts, DominoGroup,
        RequirementInclude, RequirementsFile,
    };
    use crate::report::{Repository, RepositoryKind};
    use std::path::Path;

    fn report(kind: RepositoryKind, root: &Path, facts: Facts) -> RepositoryReport {
        let mut report = RepositoryReport::new(&Repository {
            kind,
            name: root.file_name().unwrap().to_string_lossy().into_owned(),
            root: root.to_path_buf(),
            display: root.file_name().unwrap().to_string_lossy().into_owned(),
            resource_configs: Vec::new(),
        });
        report.facts = facts;
        report
    }

    fn dioptra(root: &Path, plugin: &str, types: &[(&str, &[&str])]) -> RepositoryReport {
        report(
            RepositoryKind::Dioptra,
            root,
            Facts::Dioptra(DioptraFacts {
                configs: vec![DioptraConfig {
                    path: "dioptra.toml".into(),
                    plugins: vec![DioptraPlugin {
                        name: plugin.into(),
                        path: plugin.into(),
                        tasks: vec![],
                    }],
                    types: types
                        .iter()
                        .map(|(name, refs)| DioptraType {
                            name: name.to_string(),
                            references: refs.iter().map(|r| r.to_string()).collect(),
                        })
                        .collect(),
                    entrypoints: vec![],
                }],
            }),
        )
    }

    #[test]
    fn type_cycles_are_left_to_the_dioptra_module() {
        let dir = tempfile::tempdir().unwrap();
        let reports = vec![dioptra(
            &dir.path().join("a"),
            "p",
            &[("x", &["y"]), ("y", &["z"]), ("z", &["x"]), ("w", &[])],
        )];
        let graph = build(&reports, "base");
        assert!(graph.diagnostics.is_empty(), "{:?}", graph.diagnostics);
        // ... but the edges are in the graph.
        assert!(graph.sorted_edges().len() >= 3);
    }

    #[test]
    fn collisions_across_repositories_in_one_group_are_errors() {
        let dir = tempfile::tempdir().unwrap();
        let reports = vec![
            dioptra(&dir.path().join("a"), "attacks", &[("image", &[])]),
            dioptra(&dir.path().join("b"), "attacks", &[]),
        ];
        let same_group = cross_repository_diagnostics(&reports, &|_| "default".to_string());
        assert_eq!(same_group.len(), 1, "{same_group:?}");
        assert!(
            same_group[0].message.contains("plugin `attacks`"),
            "{}",
            same_group[0].message
        );
        let separate = cross_repository_diagnostics(&reports, &|name| name.to_string());
        assert!(separate.is_empty());
    }

    #[test]
    fn requirement_include_cycles_print_their_whole_path() {
        let root = Path::new("/monorepo/pieces");
        let file = |name: &str, text: &str, target: &str, constraint: bool| RequirementsFile {
            path: format!("dependencies/{name}"),
            text: text.into(),
            includes: vec![RequirementInclude {
                line: 0,
                target: format!("dependencies/{target}"),
                constraint,
            }],
        };
        let reports = vec![report(
            RepositoryKind::Domino,
            root,
            Facts::Domino(DominoFacts {
                requirements: vec![
                    file("a.txt", "-r b.txt\nrequests\n", "b.txt", false),
                    file("b.txt", "-c c.txt\n", "c.txt", true),
                    file("c.txt", "-r a.txt\n", "a.txt", false),
                ],
                groups: vec![DominoGroup {
                    name: "group0".into(),
                    requirements_file: Some("dependencies/a.txt".into()),
                    source_image: "ghcr.io/acme/p:1-group0".into(),
                    ..DominoGroup::default()
                }],
                dependency_files: vec![
                    "dependencies/a.txt".into(),
                    "dependencies/b.txt".into(),
                    "dependencies/c.txt".into(),
                ],
                ..DominoFacts::default()
            }),
        )];
        let graph = build(&reports, "base");
        let cycles: Vec<&Diagnostic> = graph
            .diagnostics
            .iter()
            .filter(|d| d.code == Code::GraphCycle)
            .collect();
        assert_eq!(cycles.len(), 1, "{:?}", graph.diagnostics);
        let message = &cycles[0].message;
        assert!(
            message.contains("a.txt -> ")
                && message.contains("b.txt -> ")
                && message.contains("c.txt -> "),
            "{message}"
        );
        assert!(message.ends_with("a.txt"), "{message}");
    }

    #[test]
    fn colliding_image_tags_are_errors() {
        let dir = tempfile::tempdir().unwrap();
        let domino = |name: &str| {
            report(
                RepositoryKind::Domino,
                &dir.path().join(name),
                Facts::Domino(DominoFacts {
                    groups: vec![DominoGroup {
                        name: "group0".into(),
                        source_image: "ghcr.io/acme/same:1-group0".into(),
                        ..DominoGroup::default()
                    }],
                    ..DominoFacts::default()
                }),
            )
        };
        let diagnostics =
            cross_repository_diagnostics(&[domino("a"), domino("b")], &|_| String::new());
        assert_eq!(diagnostics.len(), 1);
        assert_eq!(diagnostics[0].code, Code::GraphImageTagCollision);
    }

    #[test]
    fn renders_are_sorted_and_complete() {
        let dir = tempfile::tempdir().unwrap();
        let reports = vec![dioptra(&dir.path().join("a"), "p", &[("x", &[])])];
        let graph = build(&reports, "base");
        let dot = render(&graph, GraphFormat::Dot, &[]);
        assert!(
            dot.contains("(plugin)") && dot.contains("(parameter-type)"),
            "{dot}"
        );
        assert_eq!(dot, render(&graph, GraphFormat::Dot, &[]));
    }
}

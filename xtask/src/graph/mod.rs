//! The monorepo graph (petgraph), built once per run from the parsers' facts
//! only ([`build`]), and read by the cross-repository rules ([`rules`]) and
//! every emitter. The model is here; the dependency environments of Domino
//! groups are in [`environments`], the cycle check in [`cycles`], the output
//! formats in [`render`].

mod build;
mod cycles;
mod dependencies;
pub mod environments;
mod render;
mod rules;

use std::collections::{BTreeMap, HashMap};

use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::visit::EdgeRef;

use crate::diagnostics::Diagnostic;
use environments::Environment;

pub use build::build;
pub use dependencies::{Dependency, repository_dependencies};
pub use render::{GraphFormat, filtered_ids, render};
pub use rules::cross_repository_diagnostics;

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
    /// The node of `id` (made by the first call, later calls only find it); with
    /// `parent` = (node, kind), also an edge of that kind from that node to it.
    fn node(
        &mut self,
        parent: Option<(NodeIndex, EdgeKind)>,
        kind: NodeKind,
        id: String,
        label: impl Into<String>,
        repository: Option<&str>,
        path: Option<String>,
    ) -> NodeIndex {
        let index = match self.index.get(&id) {
            Some(index) => *index,
            None => {
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
        };
        if let Some((parent, edge)) = parent {
            self.edge(parent, index, edge);
        }
        index
    }

    /// The node of this id, if there is one.
    fn lookup(&self, id: &str) -> Option<NodeIndex> {
        self.index.get(id).copied()
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

#[cfg(test)]
mod tests;

//! Cycles over dependency edges (requirement includes, Dockerfile `FROM`, type
//! references), each reported once with its whole path.

use std::collections::{BTreeSet, HashMap};

use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::visit::EdgeRef;

use super::{MonorepoGraph, NodeKind};
use crate::codes::Code;
use crate::diagnostics::Diagnostic;

/// Every cycle over dependency edges, once, with its whole path.
pub(super) fn cycle_diagnostics(graph: &MonorepoGraph) -> Vec<Diagnostic> {
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

//! Which repositories depend on which, through the graph: a requirements file
//! of another repository included with `-r`/`-c`, an image another repository
//! builds that a Dockerfile starts `FROM`. `build-all --keep-going` publishes
//! nothing for a repository that depends on a failed one.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use petgraph::visit::EdgeRef;

use super::{EdgeKind, MonorepoGraph, NodeKind};
use crate::report::RepositoryReport;

/// A repository another one depends on, and through what (a file or an image).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Dependency {
    /// Index of the repository depended on (in the reports).
    pub repository: usize,
    /// The file or image it is depended on through, as shown.
    pub through: String,
}

/// For each repository (index in `reports`), the other repositories it depends
/// on, sorted.
pub fn repository_dependencies(
    graph: &MonorepoGraph,
    reports: &[RepositoryReport],
) -> BTreeMap<usize, BTreeSet<Dependency>> {
    // The repository a node belongs to: its id names the repository folder
    // (`<kind>:<repository>/...`), the longest one when folders nest; an
    // image belongs to the repository whose group produces it. Looked up by
    // each `/`-prefix of the id (a scan of every repository for every node
    // was 22% of a no-op build-all at 1,000 repositories).
    let by_display: HashMap<&str, usize> = reports
        .iter()
        .enumerate()
        .map(|(index, r)| (r.repository.display.as_str(), index))
        .collect();
    let owner_of_id = |id: &str| -> Option<usize> {
        let rest = id.split_once(':')?.1;
        std::iter::once(rest.len())
            .chain(rest.rmatch_indices('/').map(|(at, _)| at))
            .find_map(|end| by_display.get(&rest[..end]).copied())
    };
    let mut owners = BTreeMap::new();
    for index in graph.graph.node_indices() {
        let node = &graph.graph[index];
        let owner = match node.kind {
            NodeKind::Environment => None,
            NodeKind::Image => graph
                .graph
                .edges_directed(index, petgraph::Direction::Incoming)
                .find(|e| *e.weight() == EdgeKind::Produces)
                .and_then(|e| owner_of_id(&graph.graph[e.source()].id)),
            _ => owner_of_id(&node.id),
        };
        if let Some(owner) = owner {
            owners.insert(index, owner);
        }
    }
    let mut dependencies: BTreeMap<usize, BTreeSet<Dependency>> = BTreeMap::new();
    for edge in graph.graph.edge_references() {
        if !matches!(
            edge.weight(),
            EdgeKind::Includes | EdgeKind::Constrains | EdgeKind::BuildsFrom
        ) {
            continue;
        }
        let (Some(&from), Some(&to)) = (owners.get(&edge.source()), owners.get(&edge.target()))
        else {
            continue;
        };
        if from != to {
            let target = &graph.graph[edge.target()];
            dependencies.entry(from).or_default().insert(Dependency {
                repository: to,
                through: target.path.clone().unwrap_or_else(|| target.label.clone()),
            });
        }
    }
    dependencies
}

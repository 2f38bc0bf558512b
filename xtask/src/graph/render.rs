//! The graph as DOT, Mermaid or JSON (sorted, so the same graph always prints
//! the same bytes).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use serde_json::{Value, json};

use super::{MonorepoGraph, Node, NodeKind};

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

/// Text inside a DOT string: backslashes and quotes escaped.
fn escape(text: &str) -> String {
    text.replace('\\', "\\\\").replace('"', "\\\"")
}

fn quote(text: &str) -> String {
    format!("\"{}\"", escape(text))
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
                // `\n` is DOT's line break: added after escaping the parts.
                let _ = writeln!(
                    out,
                    "  {} [label=\"{}\\n({})\", shape={shape}, tooltip={}];",
                    short[node.id.as_str()],
                    escape(&node.label),
                    escape(node.kind.as_str()),
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

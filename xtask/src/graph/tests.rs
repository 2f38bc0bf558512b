use std::path::Path;

use super::*;
use crate::codes::Code;
use crate::facts::{
    DioptraConfig, DioptraFacts, DioptraPlugin, DioptraType, DominoFacts, DominoGroup, Facts,
    RequirementInclude, RequirementsFile,
};
use crate::report::{Repository, RepositoryKind, RepositoryReport};

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
    let graph = build(&reports, &|_| "base".to_string());
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
    let graph = build(&reports, &|_| "base".to_string());
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
    let diagnostics = cross_repository_diagnostics(&[domino("a"), domino("b")], &|_| String::new());
    assert_eq!(diagnostics.len(), 1);
    assert_eq!(diagnostics[0].code, Code::GraphImageTagCollision);
}

#[test]
fn renders_are_sorted_and_complete() {
    let dir = tempfile::tempdir().unwrap();
    let reports = vec![dioptra(&dir.path().join("a"), "p", &[("x", &[])])];
    let graph = build(&reports, &|_| "base".to_string());
    let dot = render(&graph, GraphFormat::Dot, &[]);
    assert!(
        dot.contains("(plugin)") && dot.contains("(parameter-type)"),
        "{dot}"
    );
    assert_eq!(dot, render(&graph, GraphFormat::Dot, &[]));
}

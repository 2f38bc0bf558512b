//! Cross-repository rules: Dioptra names colliding within one import group,
//! and Domino image tags colliding.

use std::collections::{BTreeMap, BTreeSet};

use crate::codes::Code;
use crate::diagnostics::Diagnostic;
use crate::facts::Facts;
use crate::report::RepositoryReport;

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
    // image -> [(group shown, the repository's config.toml)]
    let mut images: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
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
                    images.entry(group.source_image.clone()).or_default().push((
                        format!("{} ({})", repo.display, group.name),
                        format!("{}/config.toml", repo.display),
                    ));
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
            let shown: Vec<&str> = users.iter().map(|(group, _)| group.as_str()).collect();
            diagnostics.push(
                Diagnostic::error(
                    Code::GraphImageTagCollision,
                    format!(
                        "image `{image}` would be built by {} groups: {}",
                        users.len(),
                        shown.join(", ")
                    ),
                )
                .with_help("give the repositories distinct REPOSITORY_NAME / REGISTRY_NAME, or distinct tags")
                .at_path(users[1].1.clone()),
            );
        }
    }
    diagnostics
}

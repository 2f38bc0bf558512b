//! The image build plan: a `docker buildx bake` file (JSON form) that builds each
//! distinct dependency environment once and every Domino group image from it,
//! under exactly the name Domino expects (`source_image`), plus the rendered
//! Dockerfiles and a GitHub Actions matrix.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::{Map, Value, json};

use crate::facts::{DominoFacts, DominoGroup, Facts};
use crate::graph::MonorepoGraph;
use crate::graph::environments::{Environment, EnvironmentSource};
use crate::output::Output;
use crate::paths::to_slash;
use crate::report::RepositoryReport;

/// GitHub Actions refuses matrices of more than 256 jobs.
pub const GHA_MATRIX_LIMIT: usize = 256;

/// A bake target name: `[A-Za-z0-9_-]+`.
pub fn target_name(text: &str) -> String {
    crate::paths::safe_name(text)
}

/// A path as written in the bake file: relative to the workspace root (bake is
/// run from there) when possible.
fn bake_path(workspace_root: &Path, path: &Path) -> String {
    let absolute = crate::paths::absolute(path);
    match absolute.strip_prefix(crate::paths::absolute(workspace_root)) {
        Ok(relative) if relative.as_os_str().is_empty() => ".".to_string(),
        Ok(relative) => to_slash(relative),
        Err(_) => to_slash(&absolute),
    }
}

/// The Dockerfile of a group image built on top of its environment.
fn group_dockerfile(group: &DominoGroup, environment: Option<&Environment>) -> String {
    match environment {
        None => group.dockerfile_text.clone(),
        Some(environment) => match &environment.source {
            EnvironmentSource::Dockerfile { .. } => "FROM env\n".to_string(),
            EnvironmentSource::Requirements { .. } => {
                let mut text = String::from(
                    "FROM env\nCOPY config.toml domino/pieces_repository/\nCOPY pieces domino/pieces_repository/pieces\nCOPY .domino domino/pieces_repository/.domino\n",
                );
                if let Some(requirements) = &group.requirements_file {
                    text.push_str(&format!(
                        "COPY {requirements} domino/pieces_repository/dependencies/\n"
                    ));
                }
                text
            }
        },
    }
}

/// One repository target group, for the Actions matrix.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RepositoryTargets {
    pub group: String,
    pub targets: Vec<String>,
}

/// The plan: the bake file and the files that go with it (paths relative to dist).
pub struct ImagePlan {
    pub bake: Value,
    pub files: Vec<Output>,
    pub repositories: Vec<RepositoryTargets>,
}

/// Builds the plan. `dist` is the dist folder (environment contexts live there).
pub fn plan(
    reports: &[&RepositoryReport],
    graph: &MonorepoGraph,
    workspace_root: &Path,
    dist: &Path,
    registry_host: &str,
) -> ImagePlan {
    let mut targets: BTreeMap<String, Value> = BTreeMap::new();
    let mut groups: BTreeMap<String, Value> = BTreeMap::new();
    let mut files = Vec::new();
    let mut repositories = Vec::new();
    // Images built here: image reference -> target name (for FROM between images).
    let mut built_images: BTreeMap<String, String> = BTreeMap::new();
    let domino: Vec<(&RepositoryReport, &DominoFacts)> = reports
        .iter()
        .copied()
        .filter_map(|r| match &r.facts {
            Facts::Domino(facts) => Some((r, facts)),
            _ => None,
        })
        .collect();
    let mut used_names: BTreeMap<String, usize> = BTreeMap::new();
    let mut repo_target_names = Vec::new();
    for (report, _) in &domino {
        let base = target_name(&report.repository.name);
        let count = used_names.entry(base.clone()).or_insert(0);
        *count += 1;
        repo_target_names.push(if *count == 1 {
            base
        } else {
            format!("{base}-{count}")
        });
    }
    for ((_, facts), repo_target) in domino.iter().zip(&repo_target_names) {
        for group in &facts.groups {
            built_images.insert(
                group.source_image.clone(),
                format!("{repo_target}-{}", target_name(&group.name)),
            );
        }
    }

    // Environments: one target each (those of the groups planned).
    let used: std::collections::BTreeSet<&String> = domino
        .iter()
        .flat_map(|(report, facts)| {
            facts.groups.iter().filter_map(|group| {
                graph
                    .group_environments
                    .get(&(report.repository.display.clone(), group.name.clone()))?
                    .as_ref()
            })
        })
        .collect();
    // The registry of an environment: that of the first repository with a
    // group built on it (one pass; a scan of every group for each environment
    // was 10% of a no-op build-all at 1,000 repositories).
    let mut registries: BTreeMap<&String, &str> = BTreeMap::new();
    for (report, facts) in &domino {
        for group in &facts.groups {
            if let Some(Some(hash)) = graph
                .group_environments
                .get(&(report.repository.display.clone(), group.name.clone()))
            {
                registries.entry(hash).or_insert(&facts.registry_name);
            }
        }
    }
    for (hash, environment) in graph.environments.iter().filter(|(h, _)| used.contains(h)) {
        let name = environment.target_name();
        let registry = registries
            .get(hash)
            .map_or_else(|| "domino".to_string(), |r| r.to_lowercase());
        let cache_ref = format!(
            "{registry_host}/{registry}/domino-environments:cache-{}",
            &hash[..12]
        );
        let mut target = Map::new();
        match &environment.source {
            EnvironmentSource::Requirements {
                requirements,
                constraints,
            } => {
                let folder = format!("environments/{name}");
                files.push(Output::new(
                    format!("{folder}/requirements.txt"),
                    requirements.clone(),
                ));
                files.push(Output::new(
                    format!("{folder}/constraints.txt"),
                    constraints.clone(),
                ));
                let dockerfile = environment
                    .dockerfile_text()
                    .expect("requirements environments have a Dockerfile");
                files.push(Output::new(
                    format!("{folder}/Dockerfile"),
                    dockerfile.clone(),
                ));
                target.insert(
                    "context".into(),
                    json!(bake_path(workspace_root, &dist.join(&folder))),
                );
                target.insert("dockerfile".into(), json!("Dockerfile"));
            }
            EnvironmentSource::Dockerfile {
                context,
                dockerfile,
                from_images,
            } => {
                target.insert("context".into(), json!(bake_path(workspace_root, context)));
                target.insert("dockerfile".into(), json!(dockerfile));
                // A FROM naming an image built here is linked to its target.
                let mut contexts = Map::new();
                for image in from_images {
                    if let Some(target_name) = built_images.get(image) {
                        contexts.insert(image.clone(), json!(format!("target:{target_name}")));
                    }
                }
                if !contexts.is_empty() {
                    target.insert("contexts".into(), Value::Object(contexts));
                }
            }
        }
        target.insert(
            "labels".into(),
            json!({
                "io.domino.environment": hash,
                "org.opencontainers.image.title": name,
            }),
        );
        target.insert(
            "cache-from".into(),
            json!([format!("type=registry,ref={cache_ref}")]),
        );
        target.insert(
            "cache-to".into(),
            json!([format!("type=registry,ref={cache_ref},mode=max")]),
        );
        targets.insert(name, Value::Object(target));
    }

    // Group images.
    for ((report, facts), repo_target) in domino.iter().zip(&repo_target_names) {
        let mut repo_targets = Vec::new();
        for group in &facts.groups {
            let name = format!("{repo_target}-{}", target_name(&group.name));
            let environment = graph
                .group_environments
                .get(&(report.repository.display.clone(), group.name.clone()))
                .cloned()
                .flatten()
                .and_then(|hash| graph.environments.get(&hash));
            let dockerfile = group_dockerfile(group, environment);
            files.push(Output::new(
                format!("dockerfiles/{name}.Dockerfile"),
                dockerfile.clone(),
            ));
            let mut target = Map::new();
            target.insert(
                "context".into(),
                json!(bake_path(workspace_root, &report.repository.root)),
            );
            target.insert("dockerfile-inline".into(), json!(dockerfile));
            if let Some(environment) = environment {
                target.insert(
                    "contexts".into(),
                    json!({ "env": format!("target:{}", environment.target_name()) }),
                );
            }
            target.insert("tags".into(), json!([group.source_image]));
            let mut labels = Map::new();
            labels.insert("io.domino.pieces".into(), json!(group.pieces.join(",")));
            labels.insert(
                "org.opencontainers.image.title".into(),
                json!(format!("{}-{}", facts.repository_name, group.name)),
            );
            labels.insert(
                "org.opencontainers.image.version".into(),
                json!(facts.version),
            );
            if let Some(url) = &facts.source_url {
                labels.insert("org.opencontainers.image.source".into(), json!(url));
            }
            if let Some(environment) = environment {
                labels.insert("io.domino.environment".into(), json!(environment.hash));
            }
            target.insert("labels".into(), Value::Object(labels));
            target.insert(
                "cache-from".into(),
                json!([format!("type=registry,ref={}", group.source_image)]),
            );
            target.insert("cache-to".into(), json!(["type=inline"]));
            targets.insert(name.clone(), Value::Object(target));
            repo_targets.push(name);
        }
        groups.insert(repo_target.clone(), json!({ "targets": repo_targets }));
        repositories.push(RepositoryTargets {
            group: repo_target.clone(),
            targets: repo_targets,
        });
    }
    let mut all_groups = Map::new();
    all_groups.insert("default".into(), json!({ "targets": repo_target_names }));
    for (name, group) in groups {
        all_groups.insert(name, group);
    }
    let bake = json!({
        "group": Value::Object(all_groups),
        "target": Value::Object(targets.into_iter().collect()),
    });
    ImagePlan {
        bake,
        files,
        repositories,
    }
}

/// A GitHub Actions matrix: one job per repository bake group, chunked into
/// matrices of at most 256 jobs.
/// `push`: the jobs push the images they build (`docker buildx bake --push`).
pub fn gha_matrix(plan: &ImagePlan, bake_file: &str, push: bool) -> Value {
    let jobs: Vec<Value> = plan
        .repositories
        .iter()
        .map(|r| {
            json!({
                "group": r.group,
                "targets": r.targets.join(" "),
                "bake_file": bake_file,
                "push": push,
            })
        })
        .collect();
    let chunks: Vec<Value> = jobs
        .chunks(GHA_MATRIX_LIMIT)
        .map(|chunk| json!({ "include": chunk }))
        .collect();
    json!({ "jobs": jobs.len(), "chunk_size": GHA_MATRIX_LIMIT, "matrices": chunks })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn target_names_are_bake_safe() {
        assert_eq!(target_name("weather.pieces v2"), "weather_pieces_v2");
        assert_eq!(target_name("ok-name_1"), "ok-name_1");
    }

    #[test]
    fn matrices_are_chunked_at_256_jobs() {
        let plan = ImagePlan {
            bake: json!({}),
            files: Vec::new(),
            repositories: (0..300)
                .map(|i| RepositoryTargets {
                    group: format!("r{i}"),
                    targets: vec![format!("r{i}-group0")],
                })
                .collect(),
        };
        let matrix = gha_matrix(&plan, "target/dist/docker-bake.json", true);
        assert_eq!(matrix["jobs"], 300);
        assert_eq!(matrix["matrices"][0]["include"][0]["push"], true);
        assert_eq!(matrix["matrices"].as_array().unwrap().len(), 2);
        assert_eq!(
            matrix["matrices"][0]["include"].as_array().unwrap().len(),
            256
        );
        assert_eq!(
            matrix["matrices"][1]["include"].as_array().unwrap().len(),
            44
        );
    }
}

#[cfg(test)]
mod plan_tests {
    use super::*;
    use crate::report::{Repository, RepositoryKind};

    fn domino(
        root: &Path,
        name: &str,
        requirements: &str,
        groups: Vec<DominoGroup>,
    ) -> RepositoryReport {
        let mut report = RepositoryReport::new(&Repository {
            kind: RepositoryKind::Domino,
            name: name.into(),
            root: root.to_path_buf(),
            display: name.into(),
            resource_configs: Vec::new(),
        });
        report.facts = Facts::Domino(DominoFacts {
            repository_name: name.into(),
            registry_name: "Acme".into(),
            version: "1.0.0".into(),
            source_url: Some(format!("https://github.com/acme/{name}")),
            pieces: groups.iter().flat_map(|g| g.pieces.clone()).collect(),
            groups,
            dependency_files: vec!["dependencies/requirements.txt".into()],
            requirements: vec![crate::facts::RequirementsFile {
                path: "dependencies/requirements.txt".into(),
                text: requirements.into(),
                includes: vec![],
            }],
            dockerfiles: vec![],
        });
        report
    }

    fn group(name: &str, requirements: Option<&str>, image: &str) -> DominoGroup {
        DominoGroup {
            name: name.into(),
            requirements_file: requirements.map(str::to_string),
            dockerfile: None,
            pieces: vec![format!("{name}Piece")],
            source_image: image.into(),
            dockerfile_text: "FROM base\nCOPY config.toml domino/pieces_repository/\n".into(),
        }
    }

    #[test]
    fn identical_requirements_in_two_repositories_build_one_environment() {
        let dir = tempfile::tempdir().unwrap();
        let reports = vec![
            domino(
                &dir.path().join("a.pieces"),
                "a.pieces",
                "pandas==2.2.2\n",
                vec![
                    group("group0", None, "ghcr.io/acme/a:1.0.0-group0"),
                    group(
                        "group1",
                        Some("dependencies/requirements.txt"),
                        "ghcr.io/acme/a:1.0.0-group1",
                    ),
                ],
            ),
            domino(
                &dir.path().join("b"),
                "b",
                "pandas==2.2.2\n",
                vec![group(
                    "group0",
                    Some("dependencies/requirements.txt"),
                    "ghcr.io/acme/b:1.0.0-group0",
                )],
            ),
        ];
        let graph = crate::graph::build(&reports, &|_| {
            "ghcr.io/tauffer-consulting/domino-base-piece:latest".to_string()
        });
        assert_eq!(
            graph.environments.len(),
            1,
            "one environment for the two repositories"
        );
        let plan = plan(
            &reports.iter().collect::<Vec<_>>(),
            &graph,
            dir.path(),
            &dir.path().join("target/dist"),
            "ghcr.io",
        );
        let targets = plan.bake["target"].as_object().unwrap();
        let names: Vec<&String> = targets.keys().collect();
        assert_eq!(names.len(), 4, "{names:?}");
        let well_formed = |name: &str| {
            !name.is_empty()
                && name
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
        };
        assert!(names.iter().all(|n| well_formed(n)), "{names:?}");
        let env = names.iter().find(|n| n.starts_with("env-")).unwrap();
        assert_eq!(
            targets[env.as_str()]["context"],
            format!("target/dist/environments/{env}")
        );
        assert!(
            targets[env.as_str()]["cache-from"][0]
                .as_str()
                .unwrap()
                .starts_with("type=registry,ref=ghcr.io/acme/")
        );
        let a1 = &targets["a_pieces-group1"];
        assert_eq!(a1["contexts"]["env"], format!("target:{env}"));
        assert_eq!(a1["tags"][0], "ghcr.io/acme/a:1.0.0-group1");
        assert_eq!(a1["context"], "a.pieces");
        assert!(
            a1["dockerfile-inline"]
                .as_str()
                .unwrap()
                .starts_with("FROM env\n")
        );
        assert_eq!(
            targets["b-group0"]["contexts"]["env"],
            format!("target:{env}")
        );
        let a0 = &targets["a_pieces-group0"];
        assert!(
            a0.get("contexts").is_none(),
            "a group without dependencies builds from the base image"
        );
        assert_eq!(
            plan.bake["group"]["default"]["targets"],
            json!(["a_pieces", "b"])
        );
        assert_eq!(
            plan.bake["group"]["a_pieces"]["targets"],
            json!(["a_pieces-group0", "a_pieces-group1"])
        );
        assert!(
            plan.files
                .iter()
                .any(|f| f.path == Path::new(&format!("environments/{env}/requirements.txt")))
        );
        assert!(
            plan.files
                .iter()
                .any(|f| f.path == Path::new("dockerfiles/b-group0.Dockerfile"))
        );
    }
}

//! Aggregated artifacts of `build-all`: pure functions from the analysis to
//! bytes (they read no file). Writing them is the output gateway's job.

pub mod catalog;
pub mod images;
pub mod reports;

use std::path::Path;

use std::collections::BTreeMap;

use crate::analysis::{Analysis, Failure};
use crate::output::{Output, json_bytes};
use crate::report::RepositoryReport;

/// Which repositories a run publishes: all of them, or (`--keep-going`) those
/// that did not fail.
#[derive(Clone, Debug, Default)]
pub struct Publication {
    /// Repositories not published (index in the reports), and why.
    pub failed: BTreeMap<usize, Failure>,
}

/// Every aggregated artifact of `build-all` (paths relative to `dist`), except
/// the reports: the per-repository artifacts (Dioptra bundles and manifests,
/// Domino release archives and group Dockerfiles), `SHA256SUMS`,
/// `docker-bake.json` with the rendered Dockerfiles and environment contexts,
/// `catalog.json` and `graph.dot`, for the published repositories.
pub fn dist_outputs(analysis: &Analysis, dist: &Path, publication: &Publication) -> Vec<Output> {
    let published: Vec<&RepositoryReport> = analysis
        .reports
        .iter()
        .enumerate()
        .filter(|(index, _)| !publication.failed.contains_key(index))
        .map(|(_, report)| report)
        .collect();
    let failed: Vec<(&RepositoryReport, String)> = publication
        .failed
        .iter()
        .map(|(index, failure)| (&analysis.reports[*index], failure.to_string()))
        .collect();
    let mut outputs: Vec<Output> = published
        .iter()
        .flat_map(|r| r.artifacts.iter().cloned())
        .collect();
    // The archives' sums (those of stored artifacts are known already).
    let sums: Vec<(String, String)> = outputs
        .iter()
        .filter(|o| o.path.to_string_lossy().ends_with(".tar.gz"))
        .filter_map(|o| Some((crate::paths::to_slash(&o.path), o.sha256()?)))
        .collect();
    outputs.push(Output::new("SHA256SUMS", sha256sums(sums)));

    let plan = images::plan(
        &published,
        &analysis.graph,
        &analysis.config.workspace_root,
        dist,
        analysis.config.registry_host(),
    );
    // Each value is let go once it is bytes: only one is held at a time.
    let images::ImagePlan { bake, files, .. } = plan;
    outputs.push(Output::new("docker-bake.json", json_bytes(&bake)));
    drop(bake);
    outputs.extend(files);
    outputs.push(Output::new(
        "catalog.json",
        json_bytes(&catalog::catalog(&published, &analysis.graph, &failed)),
    ));
    outputs.push(Output::new(
        "graph.dot",
        crate::graph::render(&analysis.graph, crate::graph::GraphFormat::Dot, &[]),
    ));
    outputs.sort_by(|a, b| a.path.cmp(&b.path));
    outputs
}

/// `SHA256SUMS` in the `sha256sum` format (`<hash>  <name>`), sorted by name,
/// from (path relative to the folder the file is written into, SHA-256).
pub fn sha256sums(mut lines: Vec<(String, String)>) -> Vec<u8> {
    lines.sort();
    lines
        .into_iter()
        .map(|(name, hash)| format!("{hash}  {name}\n"))
        .collect::<String>()
        .into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hashing::sha256_hex;

    #[test]
    fn sha256_matches_a_known_value() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        let sums = String::from_utf8(sha256sums(vec![
            ("b.tar.gz".into(), sha256_hex(b"x")),
            ("a.tar.gz".into(), sha256_hex(b"y")),
        ]))
        .unwrap();
        assert_eq!(
            sums.lines().next().unwrap(),
            format!("{}  a.tar.gz", sha256_hex(b"y"))
        );
    }
}

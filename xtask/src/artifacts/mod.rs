//! Aggregated artifacts of `build-all`: pure functions from the analysis to bytes.
//! Writing them is `output::write_atomic`'s job.

pub mod archive;
pub mod catalog;
pub mod images;
pub mod release;
pub mod reports;

use std::path::Path;

use rayon::prelude::*;
use sha2::{Digest, Sha256};

use crate::codes::Code;
use crate::diagnostics::Diagnostic;
use crate::output::Output;
use crate::pipeline::Analysis;

/// Pretty JSON with a trailing newline.
pub fn json_bytes(value: &serde_json::Value) -> Vec<u8> {
    let mut bytes = serde_json::to_vec_pretty(value).expect("JSON values serialize");
    bytes.push(b'\n');
    bytes
}

/// Every aggregated artifact of `build-all` (paths relative to `dist`), except
/// the reports: Dioptra bundles and manifests, Domino release archives,
/// `SHA256SUMS`, `docker-bake.json` with the rendered Dockerfiles and
/// environment contexts, `catalog.json` and `graph.dot`.
pub fn dist_outputs(analysis: &Analysis, dist: &Path) -> Result<Vec<Output>, Diagnostic> {
    let mut outputs: Vec<Output> = analysis
        .reports
        .iter()
        .flat_map(|r| r.artifacts.iter().cloned())
        .collect();
    let releases: Vec<std::io::Result<Option<Output>>> = analysis
        .reports
        .par_iter()
        .map(release::domino_release)
        .collect();
    for release in releases {
        match release {
            Ok(Some(output)) => outputs.push(output),
            Ok(None) => {}
            Err(err) => {
                return Err(Diagnostic::error(
                    Code::EnvArchiveFailed,
                    format!("cannot build a release archive: {err}"),
                ));
            }
        }
    }
    let archives: Vec<&Output> = outputs
        .iter()
        .filter(|o| o.path.to_string_lossy().ends_with(".tar.gz"))
        .collect();
    let sums = sha256sums(&archives);
    outputs.push(Output::new("SHA256SUMS", sums));

    let plan = images::plan(
        &analysis.reports,
        &analysis.graph,
        &analysis.config.workspace_root,
        dist,
        analysis.config.registry_host(),
    );
    outputs.push(Output::new("docker-bake.json", json_bytes(&plan.bake)));
    outputs.extend(plan.files);
    outputs.push(Output::new(
        "catalog.json",
        json_bytes(&catalog::catalog(&analysis.reports, &analysis.graph)),
    ));
    outputs.push(Output::new(
        "graph.dot",
        crate::graph::render(&analysis.graph, crate::graph::GraphFormat::Dot, &[]),
    ));
    outputs.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(outputs)
}

/// Lower-case hex SHA-256 of some bytes.
pub fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let mut hex = String::with_capacity(64);
    for byte in digest {
        hex.push_str(&format!("{byte:02x}"));
    }
    hex
}

/// `SHA256SUMS` in the `sha256sum` format (`<hash>  <name>`), sorted by name.
/// Paths are relative to the folder the file is written into.
pub fn sha256sums(files: &[&Output]) -> Vec<u8> {
    let mut lines: Vec<(String, String)> = files
        .iter()
        .map(|file| (crate::paths::to_slash(&file.path), sha256_hex(&file.bytes)))
        .collect();
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

    #[test]
    fn sha256_matches_a_known_value() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        let a = Output::new("b.tar.gz", "x");
        let b = Output::new("a.tar.gz", "y");
        let sums = String::from_utf8(sha256sums(&[&a, &b])).unwrap();
        assert!(
            sums.lines().next().unwrap().ends_with("  a.tar.gz"),
            "{sums}"
        );
    }
}

//! Release archives of Domino repositories: `<REPOSITORY_NAME>-<VERSION>.tar.gz`
//! holding the repository tree with its regenerated `.domino/`, as the release
//! tag's source archive would (entries under `<REPOSITORY_NAME>-<VERSION>/`).

use std::path::Path;

use crate::artifacts::archive::{self, Entry};
use crate::facts::Facts;
use crate::fingerprint::tree_files;
use crate::output::Output;
use crate::paths::to_slash;
use crate::pipeline::RepositoryReport;

#[cfg(unix)]
fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).is_ok_and(|m| m.permissions().mode() & 0o111 != 0)
}

#[cfg(not(unix))]
fn is_executable(_: &Path) -> bool {
    false
}

/// The release archive of one Domino repository (path relative to dist), or None
/// for other repositories.
pub fn domino_release(report: &RepositoryReport) -> std::io::Result<Option<Output>> {
    let Facts::Domino(facts) = &report.facts else {
        return Ok(None);
    };
    let root = &report.repository.root;
    let stem = format!("{}-{}", facts.repository_name, facts.version);
    let generated: Vec<(String, &Output)> = report
        .outputs
        .iter()
        .filter_map(|output| {
            let relative = output.path.strip_prefix(root).ok()?;
            Some((to_slash(relative), output))
        })
        .collect();
    let mut entries = Vec::new();
    for (relative, path) in tree_files(root) {
        if generated.iter().any(|(name, _)| *name == relative) {
            continue;
        }
        let mut entry = Entry::file(format!("{stem}/{relative}"), std::fs::read(&path)?);
        entry.executable = is_executable(&path);
        entries.push(entry);
    }
    for (relative, output) in generated {
        entries.push(Entry::file(
            format!("{stem}/{relative}"),
            output.bytes.clone(),
        ));
    }
    let bytes = archive::tar_gz(entries)?;
    Ok(Some(Output::new(format!("releases/{stem}.tar.gz"), bytes)))
}

//! `dependencies/`: requirements files, with their `-r`/`-c` includes followed
//! through the input gateway, and custom Dockerfiles (the images they start
//! `FROM`, the files they copy). Everything later stages need is recorded in
//! the facts; nothing here is read again.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::Arc;

use crate::codes::Code;
use crate::diagnostics::Diagnostic;
use crate::facts::{DockerfileFacts, RequirementInclude, RequirementsFile};
use crate::input::{ReadError, Reader};
use crate::paths::display_path;
use crate::source::SourceFile;

/// Files of `dependencies/` whose name starts with `Dockerfile` (any case) are
/// Dockerfiles; every other file is read as a requirements file.
pub fn is_dockerfile(path: &str) -> bool {
    let file = path.rsplit('/').next().unwrap_or(path);
    file.to_ascii_lowercase().starts_with("dockerfile")
}

/// `-r x.txt`, `--requirement=x.txt`, `-c c.txt`, `--constraint c.txt`: the
/// target as written and whether it constrains.
pub fn parse_include(line: &str) -> Option<(&str, bool)> {
    let line = line.split(" #").next().unwrap_or("").trim();
    let (constraint, rest) = if let Some(rest) = line.strip_prefix("--requirement") {
        (false, rest)
    } else if let Some(rest) = line.strip_prefix("--constraint") {
        (true, rest)
    } else if let Some(rest) = line.strip_prefix("-r") {
        (false, rest)
    } else if let Some(rest) = line.strip_prefix("-c") {
        (true, rest)
    } else {
        return None;
    };
    let target = rest.trim_start_matches('=').trim();
    if target.is_empty() || target.contains("://") {
        return None;
    }
    Some((target, constraint))
}

/// `a/./b/../c.txt` -> `a/c.txt`; leading `..` are kept (`../shared/x.txt`),
/// and so is the `/` of an absolute path.
pub fn normalize(path: &str) -> String {
    let absolute = path.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." if parts.last().is_some_and(|p| *p != "..") => {
                parts.pop();
            }
            ".." if absolute => {}
            other => parts.push(other),
        }
    }
    let joined = parts.join("/");
    if absolute {
        format!("/{joined}")
    } else {
        joined
    }
}

/// The folder part of a relative path (`""` at the top).
fn parent(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(folder, _)| folder)
}

/// Reads every requirements file of `dependencies/` and, transitively, every
/// file they include (inside the repository or outside it). An include that
/// cannot be read is an error; a top-level file that is not text is not a
/// requirements file and is skipped (it is reported if a group uses it).
pub fn read_requirements(
    reader: &Reader<'_>,
    root: &Path,
    dependency_files: &[String],
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<RequirementsFile> {
    let mut files: BTreeMap<String, RequirementsFile> = BTreeMap::new();
    let mut refused = BTreeSet::new();
    // (path, the include that names it: (file, 0-based line))
    let mut pending: Vec<(String, Option<(String, usize)>)> = dependency_files
        .iter()
        .filter(|file| !is_dockerfile(file))
        .map(|file| (file.clone(), None))
        .collect();
    pending.reverse();
    while let Some((path, included_by)) = pending.pop() {
        if files.contains_key(&path) || refused.contains(&path) {
            continue;
        }
        let on_disk = root.join(&path);
        let text = match reader.text(&on_disk) {
            Ok(file) => file.text.clone(),
            Err(error) => {
                refused.insert(path.clone());
                // A top-level file that is not text is not a requirements file
                // (it is reported if a group uses it); every refusal that
                // guards safety is reported where it happens.
                let safety = error.code(Code::GraphUnreadableDependency).is_safety();
                if let Some((includer, line)) = &included_by {
                    diagnostics.push(include_error(reader, root, includer, *line, &path, &error));
                } else if safety {
                    diagnostics.push(error.diagnostic(&on_disk, Code::GraphUnreadableDependency));
                }
                continue;
            }
        };
        let folder = parent(&path);
        let includes: Vec<RequirementInclude> = text
            .lines()
            .enumerate()
            .filter_map(|(line, content)| {
                let (target, constraint) = parse_include(content)?;
                let joined = if target.starts_with('/') || folder.is_empty() {
                    target.to_string()
                } else {
                    format!("{folder}/{target}")
                };
                Some(RequirementInclude {
                    line,
                    target: normalize(&joined),
                    constraint,
                })
            })
            .collect();
        for include in includes.iter().rev() {
            if !files.contains_key(&include.target) {
                pending.push((include.target.clone(), Some((path.clone(), include.line))));
            }
        }
        files.insert(
            path.clone(),
            RequirementsFile {
                path,
                text,
                includes,
            },
        );
    }
    files.into_values().collect()
}

/// An include that cannot be read, reported at the `-r`/`-c` line that names it.
fn include_error(
    reader: &Reader<'_>,
    root: &Path,
    includer: &str,
    line: usize,
    target: &str,
    error: &ReadError,
) -> Diagnostic {
    let code = error.code(Code::GraphUnreadableDependency);
    let shown = display_path(&crate::paths::absolute(&root.join(target)));
    let diagnostic = Diagnostic::error(
        code,
        format!("cannot read the included file `{shown}`: {error}"),
    );
    match reader.text(&root.join(includer)) {
        Ok(file) => {
            let span = file.line_span(line + 1);
            diagnostic.at(&file, span).with_label("included here")
        }
        Err(_) => diagnostic.at_path(shown),
    }
}

/// Images named by `FROM` lines (stage names excluded).
pub fn dockerfile_from_images(text: &str) -> Vec<String> {
    let mut stages = Vec::new();
    let mut images = Vec::new();
    for line in text.lines() {
        let mut words = line.split_whitespace();
        if !words.next().is_some_and(|w| w.eq_ignore_ascii_case("FROM")) {
            continue;
        }
        let rest: Vec<&str> = words.filter(|w| !w.starts_with("--")).collect();
        if let Some(image) = rest.first() {
            if !stages
                .iter()
                .any(|s: &String| s.eq_ignore_ascii_case(image))
            {
                images.push(image.to_string());
            }
            if rest.len() >= 3 && rest[1].eq_ignore_ascii_case("AS") {
                stages.push(rest[2].to_string());
            }
        }
    }
    images
}

/// The sources of `COPY`/`ADD` lines without `--from` (relative to the build
/// context, as written), with the 0-based line of each.
pub fn copy_sources(dockerfile: &str) -> Vec<(usize, String)> {
    let mut sources = Vec::new();
    for (index, line) in dockerfile.lines().enumerate() {
        let mut words: Vec<&str> = line.split_whitespace().collect();
        let Some(instruction) = words.first() else {
            continue;
        };
        if !(instruction.eq_ignore_ascii_case("COPY") || instruction.eq_ignore_ascii_case("ADD")) {
            continue;
        }
        words.remove(0);
        if words.iter().any(|w| w.starts_with("--from")) {
            continue;
        }
        words.retain(|w| !w.starts_with("--"));
        let listed: Vec<String> = if words.first().is_some_and(|w| w.starts_with('[')) {
            serde_json::from_str::<Vec<String>>(&words.join(" ")).unwrap_or_default()
        } else {
            words.iter().map(|w| w.to_string()).collect()
        };
        if listed.len() < 2 {
            continue;
        }
        sources.extend(
            listed[..listed.len() - 1]
                .iter()
                .map(|source| (index, source.clone())),
        );
    }
    sources
}

/// The facts of one custom Dockerfile: its text, `FROM` images, and the files it
/// copies with their content hashes as they are on disk (see
/// [`count_generated`]). A source that leaves the build context (the
/// repository), by `..` or through a symbolic link, is an error at its line and
/// is not read.
pub fn dockerfile_facts(
    reader: &Reader<'_>,
    root: &Path,
    file: &Arc<SourceFile>,
    path: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> DockerfileFacts {
    let text = &file.text;
    let real_root = reader.canonical(root);
    let mut copy_sources = Vec::new();
    let mut copied = BTreeMap::new();
    for (line, source) in self::copy_sources(text) {
        // Sources are relative to the context, a leading `/` included.
        let prefix = normalize(source.trim_start_matches('/'));
        let folder = root.join(&prefix);
        let escapes = prefix.starts_with("..")
            || reader
                .canonical(&folder)
                .is_some_and(|real| real_root.as_ref().is_some_and(|r| !real.starts_with(r)));
        if escapes {
            diagnostics.push(
                Diagnostic::error(
                    Code::DominoCopyOutsideContext,
                    format!("`{source}` is outside the build context (the repository folder): Docker refuses it and it is not read"),
                )
                .at(file, file.line_span(line + 1))
                .with_label("copied from outside the context")
                .with_help("copy files of the repository only; the context is the repository folder"),
            );
            continue;
        }
        for (relative, on_disk) in reader.walk_files(&folder, &|_| false, &|_| true) {
            let name = if relative.is_empty() {
                prefix.clone()
            } else if prefix.is_empty() {
                relative
            } else {
                format!("{prefix}/{relative}")
            };
            match reader.file(&on_disk) {
                Ok(input) => {
                    copied.insert(name, input.hash().to_string());
                }
                Err(error) if error.code(Code::GraphUnreadableDependency).is_safety() => {
                    diagnostics.push(error.diagnostic(&on_disk, Code::GraphUnreadableDependency));
                }
                Err(_) => {}
            }
        }
        copy_sources.push(prefix);
    }
    copy_sources.sort();
    copy_sources.dedup();
    DockerfileFacts {
        path: path.to_string(),
        text: text.to_string(),
        from_images: dockerfile_from_images(text),
        copy_sources,
        copied: copied.into_iter().collect(),
    }
}

/// Files the repository generates (relative path -> bytes) count as the
/// Dockerfile will copy them: with their new bytes, present or not on disk yet.
pub fn count_generated(dockerfile: &mut DockerfileFacts, generated: &BTreeMap<String, &[u8]>) {
    let mut copied: BTreeMap<String, String> =
        std::mem::take(&mut dockerfile.copied).into_iter().collect();
    for (name, bytes) in generated {
        let is_copied = dockerfile.copy_sources.iter().any(|prefix| {
            prefix.is_empty()
                || name == prefix
                || name
                    .strip_prefix(prefix.as_str())
                    .is_some_and(|rest| rest.starts_with('/'))
        });
        if is_copied {
            copied.insert(name.clone(), blake3::hash(bytes).to_hex().to_string());
        }
    }
    dockerfile.copied = copied.into_iter().collect();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn includes_are_followed_once_and_resolved_against_their_folder() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("repo");
        std::fs::create_dir_all(root.join("dependencies")).unwrap();
        std::fs::create_dir_all(dir.path().join("shared")).unwrap();
        std::fs::write(
            root.join("dependencies/requirements.txt"),
            "pandas\n-r base.txt\n-c ../../shared/c.txt\n",
        )
        .unwrap();
        std::fs::write(root.join("dependencies/base.txt"), "numpy\n").unwrap();
        std::fs::write(dir.path().join("shared/c.txt"), "numpy<3\n").unwrap();
        let workspace = crate::input::Workspace::new(dir.path());
        let reader = workspace.reader(&root);
        let mut diagnostics = Vec::new();
        let files = read_requirements(
            &reader,
            &root,
            &[
                "dependencies/base.txt".into(),
                "dependencies/requirements.txt".into(),
            ],
            &mut diagnostics,
        );
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        let paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "../shared/c.txt",
                "dependencies/base.txt",
                "dependencies/requirements.txt"
            ]
        );
        let main = &files[2];
        assert_eq!(main.includes.len(), 2);
        assert_eq!(main.includes[1].target, "../shared/c.txt");
        assert!(main.includes[1].constraint);
        assert_eq!(main.includes[1].line, 2);
    }

    #[test]
    fn dockerfile_parsing() {
        let text = "FROM ghcr.io/x/base:1 AS build\nRUN x\nFROM build\nFROM --platform=linux/amd64 python:3.11\nCOPY --from=build /a /b\nCOPY [\"a b\", \"c\", \"/d/\"]\nADD --chown=1 x /y\n";
        assert_eq!(
            dockerfile_from_images(text),
            ["ghcr.io/x/base:1", "python:3.11"]
        );
        let sources: Vec<String> = copy_sources(text).into_iter().map(|(_, s)| s).collect();
        assert_eq!(sources, ["a b", "c", "x"]);
        let includes: Vec<_> = ["-r x.txt", "--constraint=c.txt", "pandas", "-e ."]
            .iter()
            .filter_map(|l| parse_include(l))
            .collect();
        assert_eq!(includes, [("x.txt", false), ("c.txt", true)]);
        assert_eq!(normalize("dependencies/./a/../b.txt"), "dependencies/b.txt");
        assert_eq!(normalize("dependencies/../../x.txt"), "../x.txt");
        assert_eq!(
            normalize("/proc/./self/../self/environ"),
            "/proc/self/environ"
        );
    }
}

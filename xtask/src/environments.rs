//! Dependency environments: the expensive part of a Domino image (`pip install`
//! or a custom Dockerfile), identified by a hash of its resolved content, so that
//! groups with identical dependencies, in one repository or in different ones,
//! share one environment that is built once.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::codes::Code;
use crate::diagnostics::Diagnostic;
use crate::facts::DominoGroup;
use crate::paths::{display_path, to_slash};

/// `-r other.txt` or `-c constraints.txt` in a requirements file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Include {
    pub path: PathBuf,
    pub constraint: bool,
}

/// The includes of a requirements file (paths resolved against its folder).
pub fn requirement_includes(path: &Path) -> Vec<Include> {
    let Ok(text) = std::fs::read_to_string(path) else {
        return Vec::new();
    };
    let folder = path.parent().unwrap_or(Path::new("."));
    text.lines()
        .filter_map(|line| parse_include(line, folder))
        .collect()
}

fn parse_include(line: &str, folder: &Path) -> Option<Include> {
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
    Some(Include {
        path: folder.join(target),
        constraint,
    })
}

/// What an environment is made of.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EnvironmentSource {
    /// `pip install` of requirements (includes inlined) with constraints.
    Requirements {
        requirements: String,
        constraints: String,
    },
    /// A custom Dockerfile built with a repository as context.
    Dockerfile {
        /// The repository folder (the build context).
        context: PathBuf,
        /// The Dockerfile, relative to the context.
        dockerfile: String,
    },
}

/// One distinct dependency environment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Environment {
    /// blake3 of the resolved content, hex.
    pub hash: String,
    /// Every file read to resolve it (requirements and their includes).
    pub files: Vec<PathBuf>,
    pub base_image: String,
    pub source: EnvironmentSource,
}

impl Environment {
    /// The bake target name, `env-<first 12 hex digits>`.
    pub fn target_name(&self) -> String {
        format!("env-{}", &self.hash[..12])
    }

    /// The Dockerfile that builds the environment (requirements case) — its
    /// context is the folder holding `requirements.txt` and `constraints.txt`.
    pub fn dockerfile_text(&self) -> Option<String> {
        match &self.source {
            EnvironmentSource::Requirements { .. } => Some(format!(
                "FROM {}\nCOPY requirements.txt constraints.txt /tmp/domino-env/\nRUN pip install --no-cache-dir -r /tmp/domino-env/requirements.txt -c /tmp/domino-env/constraints.txt\n",
                self.base_image
            )),
            EnvironmentSource::Dockerfile { .. } => None,
        }
    }
}

/// Why a group has no environment.
#[derive(Debug)]
pub enum EnvironmentError {
    /// Requirements files include each other (the diagnostic prints the path).
    /// The graph reports every cycle itself, so callers that build the graph
    /// need not report this one again.
    IncludeCycle(Diagnostic),
    /// A file it is made of cannot be read.
    Unreadable(Diagnostic),
}

/// The environment of one Domino group: None when the group builds straight
/// from the base image (no requirements, no Dockerfile).
pub fn environment_of(
    repository_root: &Path,
    group: &DominoGroup,
    base_image: &str,
) -> Result<Option<Environment>, EnvironmentError> {
    if let Some(dockerfile) = &group.dockerfile {
        let path = repository_root.join(dockerfile);
        let text = std::fs::read_to_string(&path).map_err(|err| {
            EnvironmentError::Unreadable(
                Diagnostic::error(
                    Code::GraphUnreadableDependency,
                    format!("cannot read Dockerfile: {err}"),
                )
                .at_path(display_path(&path)),
            )
        })?;
        let mut hasher = blake3::Hasher::new();
        hasher.update(b"domino-environment-v1\0dockerfile\0");
        hasher.update(text.as_bytes());
        for (name, bytes) in copied_files(repository_root, &text) {
            hasher.update(b"\0");
            hasher.update(name.as_bytes());
            hasher.update(b"\0");
            hasher.update(&blake3::hash(&bytes).as_bytes()[..]);
        }
        return Ok(Some(Environment {
            hash: hasher.finalize().to_hex().to_string(),
            files: vec![path],
            base_image: base_image.to_string(),
            source: EnvironmentSource::Dockerfile {
                context: repository_root.to_path_buf(),
                dockerfile: dockerfile.clone(),
            },
        }));
    }
    let Some(requirements_file) = &group.requirements_file else {
        return Ok(None);
    };
    let mut resolved = Resolved::default();
    resolve(
        &repository_root.join(requirements_file),
        false,
        &mut Vec::new(),
        &mut resolved,
    )?;
    let mut hasher = blake3::Hasher::new();
    hasher.update(b"domino-environment-v1\0requirements\0");
    hasher.update(base_image.as_bytes());
    hasher.update(b"\0");
    hasher.update(resolved.requirements.as_bytes());
    hasher.update(b"\0");
    hasher.update(resolved.constraints.as_bytes());
    Ok(Some(Environment {
        hash: hasher.finalize().to_hex().to_string(),
        files: resolved.files,
        base_image: base_image.to_string(),
        source: EnvironmentSource::Requirements {
            requirements: resolved.requirements,
            constraints: resolved.constraints,
        },
    }))
}

#[derive(Default)]
struct Resolved {
    requirements: String,
    constraints: String,
    files: Vec<PathBuf>,
}

/// Inlines `-r` includes into the requirements and `-c` files into the
/// constraints; a cycle is an error that prints its path.
fn resolve(
    path: &Path,
    constraint: bool,
    stack: &mut Vec<PathBuf>,
    out: &mut Resolved,
) -> Result<(), EnvironmentError> {
    let key = crate::paths::absolute(path);
    if let Some(position) = stack.iter().position(|p| *p == key) {
        let mut cycle: Vec<String> = stack[position..].iter().map(|p| display_path(p)).collect();
        cycle.push(display_path(&key));
        return Err(EnvironmentError::IncludeCycle(
            Diagnostic::error(
                Code::GraphCycle,
                format!(
                    "requirements files include each other: {}",
                    cycle.join(" -> ")
                ),
            )
            .at_path(display_path(&key))
            .with_help("remove one of the `-r`/`-c` lines"),
        ));
    }
    let text = std::fs::read_to_string(&key).map_err(|err| {
        EnvironmentError::Unreadable(
            Diagnostic::error(
                Code::GraphUnreadableDependency,
                format!("cannot read requirements file: {err}"),
            )
            .at_path(display_path(&key)),
        )
    })?;
    stack.push(key.clone());
    out.files.push(key.clone());
    let folder = key.parent().unwrap_or(Path::new(".")).to_path_buf();
    for line in text.lines() {
        match parse_include(line, &folder) {
            Some(include) => resolve(&include.path, constraint || include.constraint, stack, out)?,
            None => {
                let target = if constraint {
                    &mut out.constraints
                } else {
                    &mut out.requirements
                };
                target.push_str(line.trim_end());
                target.push('\n');
            }
        }
    }
    stack.pop();
    Ok(())
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

/// Files a Dockerfile copies from the build context (COPY/ADD sources without
/// `--from`), as paths relative to the context, sorted.
pub fn copied_paths(context: &Path, dockerfile: &str) -> BTreeMap<String, PathBuf> {
    let mut files = BTreeMap::new();
    for line in dockerfile.lines() {
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
        let sources: Vec<String> = if words.first().is_some_and(|w| w.starts_with('[')) {
            serde_json::from_str::<Vec<String>>(&words.join(" ")).unwrap_or_default()
        } else {
            words.iter().map(|w| w.to_string()).collect()
        };
        if sources.len() < 2 {
            continue;
        }
        for source in &sources[..sources.len() - 1] {
            for entry in walkdir::WalkDir::new(context.join(source))
                .into_iter()
                .filter_map(Result::ok)
                .filter(|e| e.file_type().is_file())
            {
                let name = entry
                    .path()
                    .strip_prefix(context)
                    .map(to_slash)
                    .unwrap_or_default();
                files.insert(name, entry.into_path());
            }
        }
    }
    files
}

/// [`copied_paths`] with the bytes of each file.
pub fn copied_files(context: &Path, dockerfile: &str) -> BTreeMap<String, Vec<u8>> {
    copied_paths(context, dockerfile)
        .into_iter()
        .filter_map(|(name, path)| Some((name, std::fs::read(path).ok()?)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn group(requirements: Option<&str>, dockerfile: Option<&str>) -> DominoGroup {
        DominoGroup {
            name: "group0".into(),
            requirements_file: requirements.map(str::to_string),
            dockerfile: dockerfile.map(str::to_string),
            ..DominoGroup::default()
        }
    }

    #[test]
    fn identical_resolved_requirements_share_one_environment() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a/dependencies");
        let b = dir.path().join("b/dependencies");
        std::fs::create_dir_all(&a).unwrap();
        std::fs::create_dir_all(&b).unwrap();
        std::fs::write(a.join("requirements.txt"), "pandas==2.2.2\n-r base.txt\n").unwrap();
        std::fs::write(a.join("base.txt"), "numpy==2.0.0\n").unwrap();
        std::fs::write(b.join("reqs.txt"), "pandas==2.2.2\nnumpy==2.0.0\n").unwrap();
        let env_a = environment_of(
            &dir.path().join("a"),
            &group(Some("dependencies/requirements.txt"), None),
            "base",
        )
        .unwrap()
        .unwrap();
        let env_b = environment_of(
            &dir.path().join("b"),
            &group(Some("dependencies/reqs.txt"), None),
            "base",
        )
        .unwrap()
        .unwrap();
        assert_eq!(env_a.hash, env_b.hash);
        let env_c = environment_of(
            &dir.path().join("b"),
            &group(Some("dependencies/reqs.txt"), None),
            "other",
        )
        .unwrap()
        .unwrap();
        assert_ne!(
            env_a.hash, env_c.hash,
            "the base image is part of the environment"
        );
        assert!(
            environment_of(dir.path(), &group(None, None), "base")
                .unwrap()
                .is_none()
        );
    }

    #[test]
    fn include_cycles_print_their_path() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.txt"), "-r b.txt\n").unwrap();
        std::fs::write(dir.path().join("b.txt"), "-c a.txt\n").unwrap();
        let EnvironmentError::IncludeCycle(err) =
            environment_of(dir.path(), &group(Some("a.txt"), None), "base").unwrap_err()
        else {
            panic!("an include cycle is not an unreadable file");
        };
        assert_eq!(err.code, Code::GraphCycle);
        assert!(
            err.message.contains("a.txt -> ") && err.message.contains("b.txt -> "),
            "{}",
            err.message
        );
    }

    #[test]
    fn dockerfile_parsing() {
        let text = "FROM ghcr.io/x/base:1 AS build\nRUN x\nFROM build\nFROM --platform=linux/amd64 python:3.11\nCOPY --from=build /a /b\n";
        assert_eq!(
            dockerfile_from_images(text),
            ["ghcr.io/x/base:1", "python:3.11"]
        );
        let includes: Vec<_> = ["-r x.txt", "--constraint=c.txt", "pandas", "-e ."]
            .iter()
            .filter_map(|l| parse_include(l, Path::new("d")))
            .collect();
        assert_eq!(includes.len(), 2);
        assert!(includes[1].constraint);
    }
}

//! Dependency environments: the expensive part of a Domino image (`pip install`
//! or a custom Dockerfile), identified by a hash of its resolved content, so that
//! groups with identical dependencies, in one repository or in different ones,
//! share one environment that is built once. Computed from the facts only.

use std::path::{Path, PathBuf};

use crate::facts::{DominoFacts, DominoGroup};

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
        /// Images its `FROM` lines name.
        from_images: Vec<String>,
    },
}

/// One distinct dependency environment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Environment {
    /// blake3 of the resolved content, hex.
    pub hash: String,
    /// Every file it is made of (requirements and their includes, or the
    /// Dockerfile), absolute.
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

/// Why a group has no environment. (Both are reported elsewhere: the parser
/// reports files it could not read, the graph's cycle check every cycle.)
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unresolved {
    /// Requirements files include each other.
    IncludeCycle,
    /// A file it is made of could not be read.
    Unreadable,
}

/// The environment of one Domino group: None when the group builds straight
/// from the base image (no requirements, no Dockerfile).
pub fn environment_of(
    repository_root: &Path,
    facts: &DominoFacts,
    group: &DominoGroup,
    base_image: &str,
) -> Result<Option<Environment>, Unresolved> {
    if let Some(dockerfile) = &group.dockerfile {
        let file = facts.dockerfile(dockerfile).ok_or(Unresolved::Unreadable)?;
        let mut hasher = blake3::Hasher::new();
        hasher.update(b"domino-environment-v1\0dockerfile\0");
        hasher.update(file.text.as_bytes());
        for (name, hash) in &file.copied {
            let bytes = blake3::Hash::from_hex(hash).map_err(|_| Unresolved::Unreadable)?;
            hasher.update(b"\0");
            hasher.update(name.as_bytes());
            hasher.update(b"\0");
            hasher.update(bytes.as_bytes());
        }
        return Ok(Some(Environment {
            hash: hasher.finalize().to_hex().to_string(),
            files: vec![crate::paths::absolute(&repository_root.join(dockerfile))],
            base_image: base_image.to_string(),
            source: EnvironmentSource::Dockerfile {
                context: repository_root.to_path_buf(),
                dockerfile: dockerfile.clone(),
                from_images: file.from_images.clone(),
            },
        }));
    }
    let Some(requirements_file) = &group.requirements_file else {
        return Ok(None);
    };
    let mut resolved = Resolved::default();
    resolve(
        facts,
        requirements_file,
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
        files: resolved
            .files
            .iter()
            .map(|file| crate::paths::absolute(&repository_root.join(file)))
            .collect(),
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
    /// Relative to the repository root.
    files: Vec<String>,
}

/// Inlines `-r` includes into the requirements and `-c` files into the
/// constraints.
fn resolve(
    facts: &DominoFacts,
    path: &str,
    constraint: bool,
    stack: &mut Vec<String>,
    out: &mut Resolved,
) -> Result<(), Unresolved> {
    if stack.iter().any(|p| p == path) {
        return Err(Unresolved::IncludeCycle);
    }
    let file = facts
        .requirements_file(path)
        .ok_or(Unresolved::Unreadable)?;
    stack.push(path.to_string());
    out.files.push(path.to_string());
    let mut includes = file.includes.iter().peekable();
    for (index, line) in file.text.lines().enumerate() {
        match includes.next_if(|include| include.line == index) {
            Some(include) => resolve(
                facts,
                &include.target,
                constraint || include.constraint,
                stack,
                out,
            )?,
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::{RequirementInclude, RequirementsFile};

    fn requirements(path: &str, text: &str, includes: &[(usize, &str, bool)]) -> RequirementsFile {
        RequirementsFile {
            path: path.into(),
            text: text.into(),
            includes: includes
                .iter()
                .map(|(line, target, constraint)| RequirementInclude {
                    line: *line,
                    target: target.to_string(),
                    constraint: *constraint,
                })
                .collect(),
        }
    }

    fn group(requirements: Option<&str>) -> DominoGroup {
        DominoGroup {
            name: "group0".into(),
            requirements_file: requirements.map(str::to_string),
            ..DominoGroup::default()
        }
    }

    #[test]
    fn identical_resolved_requirements_share_one_environment() {
        let a = DominoFacts {
            requirements: vec![
                requirements(
                    "dependencies/requirements.txt",
                    "pandas==2.2.2\n-r base.txt\n",
                    &[(1, "dependencies/base.txt", false)],
                ),
                requirements("dependencies/base.txt", "numpy==2.0.0\n", &[]),
            ],
            ..DominoFacts::default()
        };
        let b = DominoFacts {
            requirements: vec![requirements(
                "dependencies/reqs.txt",
                "pandas==2.2.2\nnumpy==2.0.0\n",
                &[],
            )],
            ..DominoFacts::default()
        };
        let env = |root: &str, facts: &DominoFacts, requirements: &str, base: &str| {
            environment_of(Path::new(root), facts, &group(Some(requirements)), base)
                .unwrap()
                .unwrap()
        };
        let env_a = env("/a", &a, "dependencies/requirements.txt", "base");
        let env_b = env("/b", &b, "dependencies/reqs.txt", "base");
        assert_eq!(env_a.hash, env_b.hash);
        assert_eq!(env_a.files.len(), 2);
        let env_c = env("/b", &b, "dependencies/reqs.txt", "other");
        assert_ne!(
            env_a.hash, env_c.hash,
            "the base image is part of the environment"
        );
        assert!(
            environment_of(Path::new("/a"), &a, &group(None), "base")
                .unwrap()
                .is_none()
        );
    }

    #[test]
    fn include_cycles_and_unread_files_give_no_environment() {
        let facts = DominoFacts {
            requirements: vec![
                requirements("a.txt", "-r b.txt\n", &[(0, "b.txt", false)]),
                requirements("b.txt", "-c a.txt\n", &[(0, "a.txt", true)]),
            ],
            ..DominoFacts::default()
        };
        assert_eq!(
            environment_of(Path::new("/r"), &facts, &group(Some("a.txt")), "base"),
            Err(Unresolved::IncludeCycle)
        );
        assert_eq!(
            environment_of(Path::new("/r"), &facts, &group(Some("c.txt")), "base"),
            Err(Unresolved::Unreadable)
        );
    }
}

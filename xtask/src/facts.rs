//! What the parsers tell the monorepo graph: plain typed values, one per
//! repository, independent of how each ecosystem is parsed. Paths are relative
//! to the repository root, with `/` separators.

/// A dependency group of a Domino repository (one image).
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct DominoGroup {
    /// `group0`, `group1`, ...
    pub name: String,
    /// `dependencies/<file>` when the group uses a requirements file.
    pub requirements_file: Option<String>,
    /// `dependencies/<file>` when the group uses a custom Dockerfile.
    pub dockerfile: Option<String>,
    pub pieces: Vec<String>,
    /// The image Domino expects (`source_image` of `dependencies_map.json`).
    pub source_image: String,
    /// The Dockerfile the reference would build this group with.
    pub dockerfile_text: String,
}

/// `-r other.txt` or `-c constraints.txt` in a requirements file.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct RequirementInclude {
    /// The 0-based line of the include in its file.
    pub line: usize,
    /// The included file, relative to the repository root (normalized; starts
    /// with `../` when the file is outside the repository, with `/` when the
    /// include names an absolute path).
    pub target: String,
    /// `-c`: the file constrains instead of adding requirements.
    pub constraint: bool,
}

/// A requirements file of the repository, or one it includes from outside.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct RequirementsFile {
    /// Relative to the repository root (normalized; `../` when outside).
    pub path: String,
    /// The text as read.
    pub text: String,
    /// Its `-r`/`-c` lines, in order.
    pub includes: Vec<RequirementInclude>,
}

/// A custom Dockerfile of `dependencies/` (the build context is the repository).
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct DockerfileFacts {
    /// `dependencies/<file>`.
    pub path: String,
    pub text: String,
    /// Images named by `FROM` lines (stage names excluded).
    pub from_images: Vec<String>,
    /// `COPY`/`ADD` sources, relative to the context.
    pub copy_sources: Vec<String>,
    /// Files copied from the build context (`COPY`/`ADD` without `--from`):
    /// path relative to the repository root and blake3 of the bytes (hex), of
    /// the file as it is once the repository's outputs are written.
    pub copied: Vec<(String, String)>,
}

/// A Domino Pieces repository, as far as the graph is concerned.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct DominoFacts {
    pub repository_name: String,
    pub registry_name: String,
    pub version: String,
    pub source_url: Option<String>,
    /// Piece names, in compiled-metadata order.
    pub pieces: Vec<String>,
    pub groups: Vec<DominoGroup>,
    /// Every file of `dependencies/` (`dependencies/<name>`), sorted.
    pub dependency_files: Vec<String>,
    /// Every requirements file of `dependencies/` and every file they include.
    pub requirements: Vec<RequirementsFile>,
    /// Every custom Dockerfile of `dependencies/`.
    pub dockerfiles: Vec<DockerfileFacts>,
}

impl DominoFacts {
    pub fn requirements_file(&self, path: &str) -> Option<&RequirementsFile> {
        self.requirements.iter().find(|file| file.path == path)
    }

    pub fn dockerfile(&self, path: &str) -> Option<&DockerfileFacts> {
        self.dockerfiles.iter().find(|file| file.path == path)
    }
}

#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub enum TaskKind {
    Function,
    Artifact,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct DioptraPlugin {
    /// The plugin name (the stem of its path).
    pub name: String,
    /// The plugin folder, relative to the repository root.
    pub path: String,
    pub tasks: Vec<(String, TaskKind)>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct DioptraType {
    pub name: String,
    /// Declared types this type's structure names.
    pub references: Vec<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct DioptraEntrypoint {
    pub name: String,
    /// The task-graph YAML, relative to the repository root.
    pub path: String,
    pub plugins: Vec<String>,
    pub artifact_plugins: Vec<String>,
}

/// One resource TOML.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct DioptraConfig {
    /// The config file, relative to the repository root.
    pub path: String,
    pub plugins: Vec<DioptraPlugin>,
    pub types: Vec<DioptraType>,
    pub entrypoints: Vec<DioptraEntrypoint>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct DioptraFacts {
    pub configs: Vec<DioptraConfig>,
}

impl Facts {
    /// Files outside the repository it was built from (shared requirements
    /// files it includes), absolute.
    pub fn external_files(&self, root: &std::path::Path) -> Vec<std::path::PathBuf> {
        match self {
            Facts::Domino(facts) => facts
                .requirements
                .iter()
                .filter(|file| file.path.starts_with("../") || file.path.starts_with('/'))
                .map(|file| crate::paths::absolute(&root.join(&file.path)))
                .collect(),
            Facts::Dioptra(_) | Facts::None => Vec::new(),
        }
    }
}

/// The facts of one repository (absent when it could not be parsed far enough).
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Facts {
    #[default]
    None,
    Domino(DominoFacts),
    Dioptra(DioptraFacts),
}

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

/// The facts of one repository (absent when it could not be parsed far enough).
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Facts {
    #[default]
    None,
    Domino(DominoFacts),
    Dioptra(DioptraFacts),
}

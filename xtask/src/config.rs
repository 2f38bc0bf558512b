//! `[workspace.metadata.pieces]`: the declarative configuration in the workspace
//! `Cargo.toml`. Everything is optional; unknown keys are errors with a hint.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use serde::Deserialize;

use crate::codes::Code;
use crate::diagnostics::Diagnostic;
use crate::doc::{self, Document};
use crate::schema_check::{self, Validator};

/// The Domino default container registry host.
pub const DEFAULT_REGISTRY_HOST: &str = "ghcr.io";
pub const DEFAULT_ROOT: &str = "pieces-repos";
pub const DEFAULT_DIOPTRA_GROUP: &str = "default";

pub const SCHEMA: &str = include_str!("../../schemas/workspace-metadata.schema.json");

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    #[serde(default)]
    pub roots: Vec<String>,
    pub registry_host: Option<String>,
    pub tag: Option<String>,
    pub domino_base_image: Option<String>,
    /// The generator whose output the `.domino/` files match (default `domino-py`).
    pub generator: Option<String>,
    /// The largest input file read, in bytes.
    pub max_file_size: Option<u64>,
    /// Lint levels by code (cargo's `[lints]` vocabulary).
    #[serde(default)]
    pub lints: BTreeMap<String, LintLevel>,
    #[serde(default)]
    pub repositories: BTreeMap<String, RepositorySettings>,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RepositorySettings {
    pub source_url: Option<String>,
    pub tag: Option<String>,
    pub dioptra_group: Option<String>,
    /// The generator of this repository's `.domino/` files (wins over the workspace's).
    pub generator: Option<String>,
    /// Lint levels for this repository (win over the workspace's).
    #[serde(default)]
    pub lints: BTreeMap<String, LintLevel>,
}

/// The tool whose `domino piece organize` output the generated files match byte for
/// byte: the same organize logic, different pydantic versions and base images.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DominoGenerator {
    /// domino-py 0.9.4 (Tauffer-Consulting), pydantic 2.4.2.
    #[default]
    DominoPy,
    /// domino-py-iisas 1.0.x (the IISAS fork), pydantic 2.11.7.
    DominoPyIisas,
}

impl DominoGenerator {
    pub const ALL: [DominoGenerator; 2] =
        [DominoGenerator::DominoPy, DominoGenerator::DominoPyIisas];

    /// The setting's value (the PyPI package name).
    pub fn as_str(self) -> &'static str {
        match self {
            DominoGenerator::DominoPy => "domino-py",
            DominoGenerator::DominoPyIisas => "domino-py-iisas",
        }
    }

    pub fn from_name(name: &str) -> Option<DominoGenerator> {
        Self::ALL.into_iter().find(|g| g.as_str() == name)
    }

    /// The pydantic version the generator pins (its JSON schemas are that version's).
    pub fn pydantic_version(self) -> &'static str {
        match self {
            DominoGenerator::DominoPy => "2.4.2",
            DominoGenerator::DominoPyIisas => "2.11.7",
        }
    }

    /// The release the goldens were made with, as a pip requirement.
    pub fn requirement(self) -> &'static str {
        match self {
            DominoGenerator::DominoPy => "domino-py[cli]==0.9.4",
            DominoGenerator::DominoPyIisas => "domino-py-iisas[cli]==1.0.50",
        }
    }

    /// The base image of its generated Dockerfiles, after the registry host
    /// (`build_docker_images_pieces.py` of each package).
    pub fn base_image_path(self) -> &'static str {
        match self {
            DominoGenerator::DominoPy => "tauffer-consulting/domino-base-piece:latest",
            DominoGenerator::DominoPyIisas => "iisas/domino-base-piece:latest",
        }
    }

    /// The other generator (for the "committed files match ..." hint).
    pub fn other(self) -> DominoGenerator {
        match self {
            DominoGenerator::DominoPy => DominoGenerator::DominoPyIisas,
            DominoGenerator::DominoPyIisas => DominoGenerator::DominoPy,
        }
    }
}

impl std::fmt::Display for DominoGenerator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The level a code is reported at (cargo's `[lints]` vocabulary).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LintLevel {
    /// Not reported.
    Allow,
    /// Reported as a warning.
    Warn,
    /// Reported as an error.
    Deny,
}

impl LintLevel {
    pub fn as_str(self) -> &'static str {
        match self {
            LintLevel::Allow => "allow",
            LintLevel::Warn => "warn",
            LintLevel::Deny => "deny",
        }
    }
}

/// The resolved configuration of one run.
#[derive(Clone, Debug)]
pub struct Config {
    /// The folder holding the workspace `Cargo.toml` (or the working directory).
    pub workspace_root: PathBuf,
    /// The manifest the settings came from, if any.
    pub manifest: Option<PathBuf>,
    pub settings: Settings,
}

impl Config {
    pub fn registry_host(&self) -> &str {
        self.settings
            .registry_host
            .as_deref()
            .unwrap_or(DEFAULT_REGISTRY_HOST)
    }

    /// The base image of a repository's generated Dockerfiles: the configured one,
    /// else its generator's.
    pub fn domino_base_image(&self, folder_name: &str) -> String {
        self.settings.domino_base_image.clone().unwrap_or_else(|| {
            format!(
                "{}/{}",
                self.registry_host(),
                self.generator(folder_name).base_image_path()
            )
        })
    }

    /// The generator a repository's `.domino/` files match: its own setting, else the
    /// workspace's, else domino-py. (Values were validated when loading.)
    pub fn generator(&self, folder_name: &str) -> DominoGenerator {
        self.repository(folder_name)
            .and_then(|r| r.generator.as_deref())
            .or(self.settings.generator.as_deref())
            .and_then(DominoGenerator::from_name)
            .unwrap_or_default()
    }

    pub fn repository(&self, folder_name: &str) -> Option<&RepositorySettings> {
        self.settings.repositories.get(folder_name)
    }

    pub fn source_url(&self, folder_name: &str) -> Option<&str> {
        self.repository(folder_name)?.source_url.as_deref()
    }

    /// The tag override for a repository's images: its own, else the global one.
    pub fn tag_override(&self, folder_name: &str) -> Option<&str> {
        self.repository(folder_name)
            .and_then(|r| r.tag.as_deref())
            .or(self.settings.tag.as_deref())
    }

    /// The configured level of a code for a repository (its own table, else
    /// the workspace's), if any.
    pub fn lint_level(&self, folder_name: Option<&str>, code: Code) -> Option<LintLevel> {
        let repository = folder_name
            .and_then(|name| self.repository(name))
            .and_then(|r| r.lints.get(code.as_str()));
        repository
            .or_else(|| self.settings.lints.get(code.as_str()))
            .copied()
    }

    /// The lint table that applies to a repository, as text (for fingerprints).
    pub fn lints_identity(&self, folder_name: &str) -> String {
        let mut levels: BTreeMap<&str, LintLevel> = self
            .settings
            .lints
            .iter()
            .map(|(code, level)| (code.as_str(), *level))
            .collect();
        if let Some(repository) = self.repository(folder_name) {
            levels.extend(repository.lints.iter().map(|(c, l)| (c.as_str(), *l)));
        }
        levels
            .iter()
            .map(|(code, level)| format!("{code}={}\n", level.as_str()))
            .collect()
    }

    pub fn dioptra_group(&self, folder_name: &str) -> &str {
        self.repository(folder_name)
            .and_then(|r| r.dioptra_group.as_deref())
            .unwrap_or(DEFAULT_DIOPTRA_GROUP)
    }

    /// The default roots, absolute.
    pub fn roots(&self) -> Vec<PathBuf> {
        if self.settings.roots.is_empty() {
            vec![self.workspace_root.join(DEFAULT_ROOT)]
        } else {
            self.settings
                .roots
                .iter()
                .map(|root| self.workspace_root.join(root))
                .collect()
        }
    }
}

/// Finds the workspace: the nearest ancestor of `start` whose `Cargo.toml` has a
/// `[workspace]` table.
pub fn find_workspace_root(start: &Path) -> Option<PathBuf> {
    start.ancestors().find_map(|dir| {
        let manifest = dir.join("Cargo.toml");
        let file = crate::input::read_manifest(&manifest).ok()?;
        let value: toml::Table = file.text.parse().ok()?;
        value.contains_key("workspace").then(|| dir.to_path_buf())
    })
}

fn validator() -> &'static Validator {
    static VALIDATOR: OnceLock<Validator> = OnceLock::new();
    VALIDATOR.get_or_init(|| schema_check::embedded(SCHEMA))
}

/// Loads the configuration of the workspace around `start`. Problems come back as
/// diagnostics (a broken configuration is an environment error: exit 2).
pub fn load(start: &Path, display: &dyn Fn(&Path) -> String) -> (Config, Vec<Diagnostic>) {
    let Some(workspace_root) = find_workspace_root(start) else {
        let config = Config {
            workspace_root: start.to_path_buf(),
            manifest: None,
            settings: Settings::default(),
        };
        return (config, Vec::new());
    };
    let manifest = workspace_root.join("Cargo.toml");
    let mut config = Config {
        workspace_root,
        manifest: Some(manifest.clone()),
        settings: Settings::default(),
    };
    let file = match crate::input::read_manifest(&manifest) {
        Ok(file) => file,
        Err(error) => {
            let diagnostic = Diagnostic::error(Code::ConfigUnreadable, error.to_string())
                .at_path(display(&manifest));
            return (config, vec![diagnostic]);
        }
    };
    let document = match doc::parse_toml(&file) {
        Ok(document) => document,
        Err(errors) => {
            let diagnostics = errors
                .into_iter()
                .map(|error| {
                    Diagnostic::error(
                        Code::ConfigTomlSyntax,
                        format!("invalid TOML: {}", error.message),
                    )
                    .at(&file, error.span)
                })
                .collect();
            return (config, diagnostics);
        }
    };
    let pointer = "/workspace/metadata/pieces";
    let Some(table) = document.get(pointer) else {
        return (config, Vec::new());
    };
    let mut diagnostics = unknown_key_diagnostics(&document, pointer, table);
    let schema_errors = doc::schema_diagnostics(
        validator(),
        &document,
        pointer,
        Code::ConfigInvalid,
        "[workspace.metadata.pieces]",
    );
    // Unknown keys and generators were reported above, with a hint.
    let generators = generator_diagnostics(&document, pointer, table);
    diagnostics.extend(schema_errors.into_iter().filter(|d| {
        !d.message.contains("Additional properties")
            && (generators.is_empty() || !d.message.contains(GENERATOR_ENUM))
    }));
    diagnostics.extend(generators);
    diagnostics.extend(lint_diagnostics(&document, pointer, table));
    if diagnostics.is_empty() {
        match serde_json::from_value::<Settings>(table.clone()) {
            Ok(settings) => config.settings = settings,
            Err(err) => diagnostics.push(
                Diagnostic::error(
                    Code::ConfigInvalid,
                    format!("[workspace.metadata.pieces]: {err}"),
                )
                .at(&file, document.span(pointer)),
            ),
        }
    }
    (config, diagnostics)
}

/// How the schema's `enum` of generators shows in its error message.
const GENERATOR_ENUM: &str = "is not one of ['domino-py', 'domino-py-iisas']";

/// `generator` values name a known generator (did-you-mean otherwise).
fn generator_diagnostics(
    document: &Document,
    pointer: &str,
    table: &serde_json::Value,
) -> Vec<Diagnostic> {
    let mut settings = vec![(format!("{pointer}/generator"), table.get("generator"))];
    if let Some(repositories) = table.get("repositories").and_then(|v| v.as_object()) {
        for (name, repository) in repositories {
            let base = doc::pointer_child(&format!("{pointer}/repositories"), name);
            settings.push((format!("{base}/generator"), repository.get("generator")));
        }
    }
    let names: Vec<&str> = DominoGenerator::ALL.iter().map(|g| g.as_str()).collect();
    let mut diagnostics = Vec::new();
    for (value_pointer, value) in settings {
        let Some(name) = value.and_then(|v| v.as_str()) else {
            continue;
        };
        if DominoGenerator::from_name(name).is_some() {
            continue;
        }
        let diagnostic =
            Diagnostic::error(Code::ConfigInvalid, format!("unknown generator `{name}`"))
                .at(&document.file, document.span(&value_pointer))
                .with_label("not a known generator");
        let known = format!("known generators: {}", names.join(", "));
        diagnostics.push(match did_you_mean(name, names.iter().copied()) {
            Some(guess) => diagnostic.with_help(format!("did you mean `{guess}`? {known}")),
            None => diagnostic.with_help(known),
        });
    }
    diagnostics
}

/// Lint tables name known codes, and never lower a code that guards safety.
fn lint_diagnostics(
    document: &Document,
    pointer: &str,
    table: &serde_json::Value,
) -> Vec<Diagnostic> {
    let mut tables = vec![(format!("{pointer}/lints"), table.get("lints"))];
    if let Some(repositories) = table.get("repositories").and_then(|v| v.as_object()) {
        for (name, settings) in repositories {
            let base = doc::pointer_child(&format!("{pointer}/repositories"), name);
            tables.push((format!("{base}/lints"), settings.get("lints")));
        }
    }
    let names: Vec<&str> = Code::ALL.iter().map(|c| c.as_str()).collect();
    let mut diagnostics = Vec::new();
    for (lints_pointer, lints) in tables {
        let Some(lints) = lints.and_then(|v| v.as_object()) else {
            continue;
        };
        for (name, level) in lints {
            let key_pointer = doc::pointer_child(&lints_pointer, name);
            let Some(code) = Code::from_name(name) else {
                let mut diagnostic = Diagnostic::error(
                    Code::ConfigUnknownKey,
                    format!("unknown diagnostic code `{name}` in a lints table"),
                )
                .at(&document.file, document.key_span(&key_pointer))
                .with_label("not a code");
                diagnostic = match did_you_mean(name, names.iter().copied()) {
                    Some(guess) => diagnostic.with_help(format!("did you mean `{guess}`?")),
                    None => diagnostic.with_help("`cargo xtask rules` lists every code"),
                };
                diagnostics.push(diagnostic);
                continue;
            };
            if code.is_safety() && level.as_str() != Some("deny") {
                diagnostics.push(
                    Diagnostic::error(
                        Code::ConfigInvalid,
                        format!(
                            "`{name}` guards safety (containment, path and name validation): its level cannot be lowered"
                        ),
                    )
                    .at(&document.file, document.span(&key_pointer))
                    .with_help("remove this line; such inputs are never processed, whatever the level"),
                );
            }
        }
    }
    diagnostics
}

const TOP_KEYS: &[&str] = &[
    "roots",
    "registry_host",
    "tag",
    "domino_base_image",
    "generator",
    "max_file_size",
    "lints",
    "repositories",
];
const REPOSITORY_KEYS: &[&str] = &["source_url", "tag", "dioptra_group", "generator", "lints"];

fn unknown_key_diagnostics(
    document: &Document,
    pointer: &str,
    table: &serde_json::Value,
) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    let mut check = |pointer: String, value: &serde_json::Value, known: &[&str], what: &str| {
        let Some(map) = value.as_object() else { return };
        for key in map.keys() {
            if known.contains(&key.as_str()) {
                continue;
            }
            let key_pointer = doc::pointer_child(&pointer, key);
            let mut diagnostic = Diagnostic::error(
                Code::ConfigUnknownKey,
                format!("unknown key `{key}` in {what}"),
            )
            .at(&document.file, document.key_span(&key_pointer))
            .with_label("not a known setting");
            let help = match did_you_mean(key, known) {
                Some(suggestion) => format!(
                    "did you mean `{suggestion}`? known keys: {}",
                    known.join(", ")
                ),
                None => format!("known keys: {}", known.join(", ")),
            };
            diagnostic = diagnostic.with_help(help);
            diagnostics.push(diagnostic);
        }
    };
    check(
        pointer.to_string(),
        table,
        TOP_KEYS,
        "[workspace.metadata.pieces]",
    );
    if let Some(repositories) = table.get("repositories").and_then(|v| v.as_object()) {
        for (name, settings) in repositories {
            let repo_pointer = doc::pointer_child(&format!("{pointer}/repositories"), name);
            check(
                repo_pointer,
                settings,
                REPOSITORY_KEYS,
                &format!("[workspace.metadata.pieces.repositories.{name}]"),
            );
        }
    }
    diagnostics
}

/// The closest known word, if it is close enough to be a likely typo (the
/// crate's one rule, kept reachable here for its callers).
pub use crate::suggest::did_you_mean;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_schema_has_an_id_of_our_one_scheme() {
        let schemas = Path::new(env!("CARGO_MANIFEST_DIR")).join("../schemas");
        let mut count = 0;
        for entry in std::fs::read_dir(schemas).unwrap() {
            let path = entry.unwrap().path();
            let schema: serde_json::Value =
                serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
            let name = path
                .file_name()
                .unwrap()
                .to_string_lossy()
                .replace(".schema.json", "");
            assert_eq!(
                schema["$id"],
                format!("urn:pieces-xtask:schema:{name}"),
                "{}",
                path.display()
            );
            count += 1;
        }
        assert!(count >= 7);
    }

    fn load_text(text: &str) -> (Config, Vec<Diagnostic>) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("Cargo.toml"), text).unwrap();
        load(dir.path(), &|p: &Path| p.display().to_string())
    }

    #[test]
    fn an_unknown_generator_is_reported_once_with_a_hint() {
        let (_, diagnostics) = load_text(
            "[workspace]\nmembers = []\n[workspace.metadata.pieces]\ngenerator = \"domino-pi\"\n",
        );
        let messages: Vec<&str> = diagnostics.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(
            messages,
            ["unknown generator `domino-pi`"],
            "{diagnostics:#?}"
        );
        // Other schema errors keep Python's wording.
        let (_, diagnostics) = load_text(
            "[workspace]\nmembers = []\n[workspace.metadata.pieces]\nmax_file_size = 10\nroots = []\n",
        );
        let messages: Vec<&str> = diagnostics.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "[workspace.metadata.pieces]: [] is too short",
                "[workspace.metadata.pieces]: 10 is less than the minimum of 1024",
            ],
            "{diagnostics:#?}"
        );
    }

    #[test]
    fn nothing_is_required() {
        let (config, diagnostics) = load_text("[workspace]\nmembers = []\n");
        assert!(diagnostics.is_empty());
        assert_eq!(config.registry_host(), "ghcr.io");
        assert_eq!(
            config.domino_base_image("x"),
            "ghcr.io/tauffer-consulting/domino-base-piece:latest"
        );
        assert_eq!(config.generator("x"), DominoGenerator::DominoPy);
        assert!(config.roots()[0].ends_with("pieces-repos"));
    }

    #[test]
    fn reads_settings() {
        let (config, diagnostics) = load_text(
            "[workspace]\n[workspace.metadata.pieces]\nroots = [\"a\", \"b\"]\ntag = \"nightly\"\n\
             [workspace.metadata.pieces.repositories.x]\nsource_url = \"https://github.com/o/x\"\ntag = \"t\"\n",
        );
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        assert_eq!(config.roots().len(), 2);
        assert_eq!(config.source_url("x"), Some("https://github.com/o/x"));
        assert_eq!(config.tag_override("x"), Some("t"));
        assert_eq!(config.tag_override("y"), Some("nightly"));
    }

    #[test]
    fn unknown_keys_get_a_hint() {
        let (_, diagnostics) = load_text(
            "[workspace]\n[workspace.metadata.pieces]\nregistry_hots = \"x\"\n\
             [workspace.metadata.pieces.repositories.x]\nsource = \"u\"\n",
        );
        assert_eq!(diagnostics.len(), 2, "{diagnostics:?}");
        assert_eq!(diagnostics[0].code, Code::ConfigUnknownKey);
        assert!(
            diagnostics[0]
                .help
                .as_deref()
                .unwrap()
                .contains("did you mean `registry_host`")
        );
        assert!(diagnostics[1].message.contains("`source`"));
    }

    #[test]
    fn generators_by_repository_and_by_default() {
        let (config, diagnostics) = load_text(
            "[workspace]\n[workspace.metadata.pieces]\ngenerator = \"domino-py-iisas\"\n\
             [workspace.metadata.pieces.repositories.x]\ngenerator = \"domino-py\"\n",
        );
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        assert_eq!(config.generator("x"), DominoGenerator::DominoPy);
        assert_eq!(config.generator("y"), DominoGenerator::DominoPyIisas);
        assert_eq!(
            config.domino_base_image("y"),
            "ghcr.io/iisas/domino-base-piece:latest"
        );
        assert_eq!(
            config.domino_base_image("x"),
            "ghcr.io/tauffer-consulting/domino-base-piece:latest"
        );
    }

    #[test]
    fn unknown_generators_get_a_hint() {
        let (_, diagnostics) = load_text(
            "[workspace]\n[workspace.metadata.pieces.repositories.x]\ngenerator = \"domino-py-iisa\"\n",
        );
        assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
        assert_eq!(diagnostics[0].code, Code::ConfigInvalid);
        assert!(diagnostics[0].message.contains("`domino-py-iisa`"));
        assert!(
            diagnostics[0]
                .help
                .as_deref()
                .unwrap()
                .contains("did you mean `domino-py-iisas`?"),
            "{:?}",
            diagnostics[0].help
        );
        let (_, diagnostics) =
            load_text("[workspace]\n[workspace.metadata.pieces]\ngenerator = \"pydantic\"\n");
        assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
        assert!(
            diagnostics[0]
                .help
                .as_deref()
                .unwrap()
                .starts_with("known generators")
        );
    }

    #[test]
    fn wrong_types_are_errors() {
        let (_, diagnostics) =
            load_text("[workspace]\n[workspace.metadata.pieces]\nroots = \"a\"\n");
        assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
        assert!(
            diagnostics[0].message.contains("not of type"),
            "{}",
            diagnostics[0].message
        );
    }
}

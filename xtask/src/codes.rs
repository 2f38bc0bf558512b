//! The closed registry of diagnostic codes, in the manner of ruff's `codes.rs`:
//! every code the tool can emit, its default level, where the rule comes from
//! (the reference tool, an extra of ours, or the tool itself), whether it guards
//! safety, and its documentation (printed by `cargo xtask explain CODE`).
//!
//! A diagnostic carries a [`Code`], never a free string, so an unknown code
//! cannot be emitted and every code is documented here.

use std::fmt;

/// The level a code has unless the configuration says otherwise.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DefaultLevel {
    Error,
    Warning,
}

/// Where a rule comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Origin {
    /// The reference tool (domino-py 0.9.4, Dioptra 1.2.2) applies it too.
    Reference,
    /// Ours: the reference accepts the input (or crashes on it).
    Extra,
    /// About the command line, the configuration or the environment.
    Tool,
}

impl Origin {
    pub fn as_str(self) -> &'static str {
        match self {
            Origin::Reference => "reference",
            Origin::Extra => "extra",
            Origin::Tool => "tool",
        }
    }
}

macro_rules! codes {
    ($(
        $(#[doc = $doc:literal])+
        $variant:ident = $name:literal, $level:ident, $origin:ident $(, $safety:ident)?;
    )+) => {
        /// Every diagnostic code.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code {
            $($variant,)+
        }

        impl Code {
            /// Every code, in registry order (sorted by name).
            pub const ALL: &'static [Code] = &[$(Code::$variant,)+];

            /// `<area>::<kebab-name>`, e.g. `domino::missing-models`.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $(Code::$variant => $name,)+
                }
            }

            pub const fn default_level(self) -> DefaultLevel {
                match self {
                    $(Code::$variant => DefaultLevel::$level,)+
                }
            }

            pub const fn origin(self) -> Origin {
                match self {
                    $(Code::$variant => Origin::$origin,)+
                }
            }

            /// Codes that guard containment and name validation: their level
            /// cannot be lowered by configuration.
            pub const fn is_safety(self) -> bool {
                match self {
                    $(Code::$variant => codes!(@safety $($safety)?),)+
                }
            }

            /// The documentation: a summary line, then paragraphs.
            pub const fn docs(self) -> &'static str {
                match self {
                    $(Code::$variant => concat!($($doc, "\n"),+),)+
                }
            }
        }
    };
    (@safety safety) => { true };
    (@safety) => { false };
}

impl Code {
    /// The area before `::` (`domino`, `dioptra`, `python`, `graph`, ...).
    pub fn area(self) -> &'static str {
        self.as_str().split("::").next().unwrap_or("")
    }

    /// The first line of the documentation.
    pub fn summary(self) -> &'static str {
        self.docs().trim_start().lines().next().unwrap_or("").trim()
    }

    /// Looks a code up by name.
    pub fn from_name(name: &str) -> Option<Code> {
        Code::ALL.iter().copied().find(|code| code.as_str() == name)
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl PartialEq<&str> for Code {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<str> for Code {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl serde::Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> serde::Deserialize<'de> for Code {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let name = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        Code::from_name(&name)
            .ok_or_else(|| serde::de::Error::custom(format!("unknown diagnostic code `{name}`")))
    }
}

codes! {
    /// DOC config::invalid
    ConfigInvalid = "config::invalid", Error, Tool;
    /// DOC config::toml-syntax
    ConfigTomlSyntax = "config::toml-syntax", Error, Tool;
    /// DOC config::unknown-key
    ConfigUnknownKey = "config::unknown-key", Error, Tool;
    /// DOC config::unreadable
    ConfigUnreadable = "config::unreadable", Error, Tool;
    /// DOC dioptra::ambiguous-task
    DioptraAmbiguousTask = "dioptra::ambiguous-task", Warning, Extra;
    /// DOC dioptra::builtin-type-redefined
    DioptraBuiltinTypeRedefined = "dioptra::builtin-type-redefined", Error, Reference;
    /// DOC dioptra::bundle-failed
    DioptraBundleFailed = "dioptra::bundle-failed", Error, Reference;
    /// DOC dioptra::duplicate-entrypoint
    DioptraDuplicateEntrypoint = "dioptra::duplicate-entrypoint", Error, Reference;
    /// DOC dioptra::duplicate-plugin
    DioptraDuplicatePlugin = "dioptra::duplicate-plugin", Error, Reference;
    /// DOC dioptra::duplicate-task
    DioptraDuplicateTask = "dioptra::duplicate-task", Error, Reference;
    /// DOC dioptra::duplicate-task-parameter
    DioptraDuplicateTaskParameter = "dioptra::duplicate-task-parameter", Error, Reference;
    /// DOC dioptra::duplicate-type
    DioptraDuplicateType = "dioptra::duplicate-type", Error, Reference;
    /// DOC dioptra::duplicate-union-member
    DioptraDuplicateUnionMember = "dioptra::duplicate-union-member", Error, Reference;
    /// DOC dioptra::incompatible-argument
    DioptraIncompatibleArgument = "dioptra::incompatible-argument", Error, Reference;
    /// DOC dioptra::invalid-default
    DioptraInvalidDefault = "dioptra::invalid-default", Error, Reference;
    /// DOC dioptra::invalid-entrypoint-name
    DioptraInvalidEntrypointName = "dioptra::invalid-entrypoint-name", Error, Reference;
    /// DOC dioptra::invalid-invocation
    DioptraInvalidInvocation = "dioptra::invalid-invocation", Error, Reference;
    /// DOC dioptra::invalid-path
    DioptraInvalidPath = "dioptra::invalid-path", Error, Reference;
    /// DOC dioptra::invalid-plugin-file-name
    DioptraInvalidPluginFileName = "dioptra::invalid-plugin-file-name", Error, Reference;
    /// DOC dioptra::invalid-plugin-name
    DioptraInvalidPluginName = "dioptra::invalid-plugin-name", Error, Reference;
    /// DOC dioptra::invalid-structure
    DioptraInvalidStructure = "dioptra::invalid-structure", Error, Reference;
    /// DOC dioptra::invalid-swap
    DioptraInvalidSwap = "dioptra::invalid-swap", Error, Reference;
    /// DOC dioptra::invalid-task-graph
    DioptraInvalidTaskGraph = "dioptra::invalid-task-graph", Error, Reference;
    /// DOC dioptra::invalid-type-name
    DioptraInvalidTypeName = "dioptra::invalid-type-name", Error, Reference;
    /// DOC dioptra::missing-default
    DioptraMissingDefault = "dioptra::missing-default", Error, Reference;
    /// DOC dioptra::missing-entrypoint-file
    DioptraMissingEntrypointFile = "dioptra::missing-entrypoint-file", Error, Reference;
    /// DOC dioptra::missing-global-parameter
    DioptraMissingGlobalParameter = "dioptra::missing-global-parameter", Error, Reference;
    /// DOC dioptra::missing-plugin-folder
    DioptraMissingPluginFolder = "dioptra::missing-plugin-folder", Error, Reference;
    /// DOC dioptra::missing-required-argument
    DioptraMissingRequiredArgument = "dioptra::missing-required-argument", Error, Reference;
    /// DOC dioptra::missing-task-definition
    DioptraMissingTaskDefinition = "dioptra::missing-task-definition", Error, Extra;
    /// DOC dioptra::name-collision
    DioptraNameCollision = "dioptra::name-collision", Error, Reference;
    /// DOC dioptra::non-string-default
    DioptraNonStringDefault = "dioptra::non-string-default", Error, Extra;
    /// DOC dioptra::not-an-artifact-task
    DioptraNotAnArtifactTask = "dioptra::not-an-artifact-task", Error, Extra;
    /// DOC dioptra::parameter-type-mismatch
    DioptraParameterTypeMismatch = "dioptra::parameter-type-mismatch", Error, Reference;
    /// DOC dioptra::schema
    DioptraSchema = "dioptra::schema", Error, Reference;
    /// DOC dioptra::signature-mismatch
    DioptraSignatureMismatch = "dioptra::signature-mismatch", Error, Extra;
    /// DOC dioptra::step-cycle
    DioptraStepCycle = "dioptra::step-cycle", Error, Reference;
    /// DOC dioptra::toml-syntax
    DioptraTomlSyntax = "dioptra::toml-syntax", Error, Reference;
    /// DOC dioptra::type-cycle
    DioptraTypeCycle = "dioptra::type-cycle", Error, Reference;
    /// DOC dioptra::undefined-type
    DioptraUndefinedType = "dioptra::undefined-type", Error, Reference;
    /// DOC dioptra::unknown-plugin
    DioptraUnknownPlugin = "dioptra::unknown-plugin", Error, Reference;
    /// DOC dioptra::unknown-task
    DioptraUnknownTask = "dioptra::unknown-task", Error, Reference;
    /// DOC dioptra::unknown-type
    DioptraUnknownType = "dioptra::unknown-type", Error, Reference;
    /// DOC dioptra::unmatched-task-file
    DioptraUnmatchedTaskFile = "dioptra::unmatched-task-file", Error, Extra;
    /// DOC dioptra::unreadable-file
    DioptraUnreadableFile = "dioptra::unreadable-file", Error, Reference;
    /// DOC dioptra::unresolvable-reference
    DioptraUnresolvableReference = "dioptra::unresolvable-reference", Error, Reference;
    /// DOC dioptra::unused-parameter
    DioptraUnusedParameter = "dioptra::unused-parameter", Warning, Extra;
    /// DOC dioptra::unused-plugin
    DioptraUnusedPlugin = "dioptra::unused-plugin", Warning, Extra;
    /// DOC dioptra::unused-type
    DioptraUnusedType = "dioptra::unused-type", Warning, Extra;
    /// DOC dioptra::yaml-syntax
    DioptraYamlSyntax = "dioptra::yaml-syntax", Error, Reference;
    /// DOC discover::incomplete-domino-repository
    DiscoverIncompleteDominoRepository = "discover::incomplete-domino-repository", Warning, Extra;
    /// DOC domino::incomparable-dependency
    DominoIncomparableDependency = "domino::incomparable-dependency", Error, Extra;
    /// DOC domino::inconsistent-name
    DominoInconsistentName = "domino::inconsistent-name", Error, Reference;
    /// DOC domino::invalid-config
    DominoInvalidConfig = "domino::invalid-config", Error, Reference;
    /// DOC domino::invalid-image-reference
    DominoInvalidImageReference = "domino::invalid-image-reference", Error, Extra;
    /// DOC domino::invalid-metadata
    DominoInvalidMetadata = "domino::invalid-metadata", Error, Reference;
    /// DOC domino::invalid-repository-name
    DominoInvalidRepositoryName = "domino::invalid-repository-name", Error, Reference;
    /// DOC domino::json-syntax
    DominoJsonSyntax = "domino::json-syntax", Error, Reference;
    /// DOC domino::missing-config-field
    DominoMissingConfigField = "domino::missing-config-field", Warning, Reference;
    /// DOC domino::missing-dependencies-folder
    DominoMissingDependenciesFolder = "domino::missing-dependencies-folder", Error, Reference;
    /// DOC domino::missing-dependency-file
    DominoMissingDependencyFile = "domino::missing-dependency-file", Error, Reference;
    /// DOC domino::missing-model-class
    DominoMissingModelClass = "domino::missing-model-class", Error, Extra;
    /// DOC domino::missing-models
    DominoMissingModels = "domino::missing-models", Error, Reference;
    /// DOC domino::missing-piece
    DominoMissingPiece = "domino::missing-piece", Error, Reference;
    /// DOC domino::missing-piece-class
    DominoMissingPieceClass = "domino::missing-piece-class", Error, Extra;
    /// DOC domino::missing-piece-function
    DominoMissingPieceFunction = "domino::missing-piece-function", Error, Extra;
    /// DOC domino::no-pieces
    DominoNoPieces = "domino::no-pieces", Error, Reference;
    /// DOC domino::python-import-failed
    DominoPythonImportFailed = "domino::python-import-failed", Error, Extra;
    /// DOC domino::stale-generated-file
    DominoStaleGeneratedFile = "domino::stale-generated-file", Error, Reference;
    /// DOC domino::toml-syntax
    DominoTomlSyntax = "domino::toml-syntax", Error, Reference;
    /// DOC domino::unreadable-file
    DominoUnreadableFile = "domino::unreadable-file", Error, Reference;
    /// DOC domino::unsupported-model-construct
    DominoUnsupportedModelConstruct = "domino::unsupported-model-construct", Error, Extra;
    /// DOC domino::unused-dependency-file
    DominoUnusedDependencyFile = "domino::unused-dependency-file", Warning, Extra;
    /// DOC env::archive-failed
    EnvArchiveFailed = "env::archive-failed", Error, Tool;
    /// DOC env::bake-failed
    EnvBakeFailed = "env::bake-failed", Error, Tool;
    /// DOC env::changed-since
    EnvChangedSince = "env::changed-since", Error, Tool;
    /// DOC env::cwd
    EnvCwd = "env::cwd", Error, Tool;
    /// DOC env::docker-missing
    EnvDockerMissing = "env::docker-missing", Error, Tool;
    /// DOC env::missing-root
    EnvMissingRoot = "env::missing-root", Error, Tool;
    /// DOC env::python
    EnvPython = "env::python", Error, Tool;
    /// DOC env::reference-unavailable
    EnvReferenceUnavailable = "env::reference-unavailable", Error, Tool;
    /// DOC env::shell
    EnvShell = "env::shell", Error, Tool;
    /// DOC env::threads
    EnvThreads = "env::threads", Error, Tool;
    /// DOC env::unknown-repository
    EnvUnknownRepository = "env::unknown-repository", Error, Tool;
    /// DOC env::write-failed
    EnvWriteFailed = "env::write-failed", Error, Tool;
    /// DOC graph::cycle
    GraphCycle = "graph::cycle", Error, Extra;
    /// DOC graph::dioptra-name-collision
    GraphDioptraNameCollision = "graph::dioptra-name-collision", Error, Extra;
    /// DOC graph::image-tag-collision
    GraphImageTagCollision = "graph::image-tag-collision", Error, Extra;
    /// DOC graph::unreadable-dependency
    GraphUnreadableDependency = "graph::unreadable-dependency", Error, Reference;
    /// DOC python::syntax-error
    PythonSyntaxError = "python::syntax-error", Error, Extra;

}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_sorted_and_well_formed() {
        let pattern = regex::Regex::new("^[a-z]+::[a-z0-9]+(-[a-z0-9]+)*$").unwrap();
        for pair in Code::ALL.windows(2) {
            assert!(
                pair[0].as_str() < pair[1].as_str(),
                "{} then {}",
                pair[0],
                pair[1]
            );
        }
        for code in Code::ALL {
            assert!(pattern.is_match(code.as_str()), "{code}");
            assert_eq!(Code::from_name(code.as_str()), Some(*code));
        }
    }

    #[test]
    fn every_code_is_documented() {
        for code in Code::ALL {
            let docs = code.docs();
            assert!(!code.summary().is_empty(), "{code} has no summary");
            assert!(!docs.contains("DOC "), "{code} is not documented yet");
            assert!(
                code.summary().len() <= 120,
                "{code}: the summary is one short line"
            );
        }
    }
}

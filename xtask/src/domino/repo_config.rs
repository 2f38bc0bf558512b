//! `config.toml` of a Pieces repository: the `[repository]` table, checked with
//! the schema in `schemas/domino-config.schema.json`, the reference's rules, and
//! whether the names can form a valid image reference.

use std::sync::{Arc, LazyLock, OnceLock};

use crate::codes::Code;
use crate::diagnostics::Diagnostic;
use crate::doc::{self, Document};
use crate::pyrepr;
use crate::schema_check::{self, Validator};
use crate::source::SourceFile;

pub const SCHEMA: &str = include_str!("../../../schemas/domino-config.schema.json");

static VALIDATOR: LazyLock<Validator> = LazyLock::new(|| schema_check::embedded(SCHEMA));

/// The `[repository]` values the outputs need.
#[derive(Clone, Debug)]
pub struct RepositoryConfig {
    pub document: Document,
    pub registry_name: Option<String>,
    pub repository_name: Option<String>,
    pub version: Option<String>,
}

/// Characters the reference refuses in REPOSITORY_NAME.
const SPECIAL_CHARACTERS: &[char] = &[
    '!', '@', '#', '$', '%', '^', '&', '*', '(', ')', '+', '=', '{', '}', '[', ']', ':', ';', '\'',
    '"', '<', '>', '?', '/', '\\', '|', '~', '`',
];

/// A path component of an image name (docker reference grammar,
/// `^[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*$`): runs of lower-case letters and
/// digits, separated by `.`, `_`, `__` or any number of `-`.
pub fn is_image_component(text: &str) -> bool {
    let bytes = text.as_bytes();
    let alnum = |b: u8| b.is_ascii_lowercase() || b.is_ascii_digit();
    let mut i = 0;
    loop {
        let start = i;
        while i < bytes.len() && alnum(bytes[i]) {
            i += 1;
        }
        if i == start {
            return false;
        }
        if i == bytes.len() {
            return true;
        }
        let separator = i;
        while i < bytes.len() && !alnum(bytes[i]) {
            i += 1;
        }
        match &text[separator..i] {
            "." | "_" | "__" => {}
            dashes if dashes.bytes().all(|b| b == b'-') => {}
            _ => return false,
        }
    }
}

/// An image tag (`^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$`): at most 128 letters,
/// digits, `_`, `.` and `-`, not starting with `.` or `-`.
pub fn is_image_tag(text: &str) -> bool {
    let allowed = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-');
    match text.as_bytes() {
        [first, rest @ ..] => {
            (first.is_ascii_alphanumeric() || *first == b'_')
                && rest.len() <= 127
                && rest.iter().all(|b| allowed(*b))
        }
        [] => false,
    }
}

/// Reads and checks `config.toml`. `tag_override` replaces VERSION in image tags.
pub fn check(
    file: &Arc<SourceFile>,
    tag_override: Option<&str>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<RepositoryConfig> {
    let document = match doc::parse_toml(file) {
        Ok(document) => document,
        Err(errors) => {
            diagnostics.extend(errors.into_iter().map(|error| {
                Diagnostic::error(
                    Code::DominoTomlSyntax,
                    format!("invalid TOML: {}", error.message),
                )
                .at(file, error.span)
            }));
            return None;
        }
    };
    diagnostics.extend(doc::schema_diagnostics(
        &VALIDATOR,
        &document,
        "",
        Code::DominoInvalidConfig,
        "config.toml",
    ));
    let text = |key: &str| {
        document
            .get(&format!("/repository/{key}"))
            .and_then(|v| v.as_str())
            .map(str::to_string)
    };
    let config = RepositoryConfig {
        registry_name: text("REGISTRY_NAME"),
        repository_name: text("REPOSITORY_NAME"),
        version: text("VERSION"),
        document,
    };
    let document = &config.document;
    static KNOWN: OnceLock<Vec<String>> = OnceLock::new();
    let known = KNOWN.get_or_init(|| {
        let schema: serde_json::Value =
            serde_json::from_str(SCHEMA).expect("the embedded config schema is JSON");
        super::schema_properties(&schema, "/properties/repository")
    });
    let known: Vec<&str> = known.iter().map(String::as_str).collect();
    super::unknown_key_warnings(
        document,
        "/repository",
        &known,
        "`[repository]`",
        diagnostics,
    );
    if document.get("/repository").is_some_and(|v| v.is_object()) {
        let missing: Vec<&str> = ["REGISTRY_NAME", "REPOSITORY_NAME", "VERSION"]
            .into_iter()
            .filter(|key| document.get(&format!("/repository/{key}")).is_none())
            .collect();
        let optional_missing: Vec<&str> = missing
            .iter()
            .copied()
            .filter(|k| *k != "REPOSITORY_NAME")
            .collect();
        if !optional_missing.is_empty() {
            let listed = optional_missing
                .iter()
                .map(|k| pyrepr::str_repr(k))
                .collect::<Vec<_>>()
                .join(", ");
            diagnostics.push(
                Diagnostic::warning(
                    Code::DominoMissingConfigField,
                    format!("Missing required fields: [{listed}]"),
                )
                .at(file, document.key_span("/repository"))
                .with_help(
                    "REGISTRY_NAME and VERSION name the published images (`<registry>/<name>:<version>-groupN`)",
                ),
            );
        }
    }
    if let Some(name) = &config.repository_name {
        let span = document.span("/repository/REPOSITORY_NAME");
        let mut valid = true;
        if name.chars().any(char::is_whitespace) {
            valid = false;
            diagnostics.push(
                Diagnostic::error(
                    Code::DominoInvalidRepositoryName,
                    "Repository name should not contain blank spaces",
                )
                .at(file, span),
            );
        }
        if name.contains(SPECIAL_CHARACTERS) {
            valid = false;
            diagnostics.push(
                Diagnostic::error(
                    Code::DominoInvalidRepositoryName,
                    "Repository name should not contain special characters",
                )
                .at(file, span)
                .with_help("use letters, digits, `-`, `.` and `_`"),
            );
        }
        if valid && !name.is_empty() && !is_image_component(name) {
            diagnostics.push(
                Diagnostic::error(
                    Code::DominoInvalidImageReference,
                    format!(
                        "REPOSITORY_NAME {} cannot be part of an image reference (the reference uses it verbatim in `source_image`)",
                        pyrepr::str_repr(name)
                    ),
                )
                .at(file, span)
                .with_help(format!(
                    "image names are lower-case letters and digits separated by `.`, `_`, `__` or `-`, e.g. {}",
                    pyrepr::str_repr(&suggest_component(name))
                )),
            );
        }
    }
    if let Some(registry) = &config.registry_name {
        let lowered = registry.to_lowercase();
        if !lowered.split('/').all(is_image_component) {
            diagnostics.push(
                Diagnostic::error(
                    Code::DominoInvalidImageReference,
                    format!(
                        "REGISTRY_NAME {} cannot form an image reference",
                        pyrepr::str_repr(registry)
                    ),
                )
                .at(file, document.span("/repository/REGISTRY_NAME"))
                .with_help(
                    "use the registry namespace, e.g. your GitHub user or organization name",
                ),
            );
        }
    }
    // VERSION names the release archive (`<REPOSITORY_NAME>-<VERSION>.tar.gz`).
    let unsafe_version = config
        .version
        .as_ref()
        .filter(|version| !crate::paths::is_plain_name(version));
    if let Some(version) = unsafe_version {
        diagnostics.push(
            Diagnostic::error(
                Code::InputUnsafeName,
                format!(
                    "VERSION {} is not a plain name: it names the release archive",
                    pyrepr::str_repr(version)
                ),
            )
            .at(file, document.span("/repository/VERSION"))
            .with_help("use letters, digits, `_`, `.`, `+` and `-`, e.g. \"1.2.0\""),
        );
    }
    let tag = tag_override
        .map(str::to_string)
        .or(config.version.clone().filter(|_| unsafe_version.is_none()));
    if let Some(tag) = tag {
        let sample = format!("{tag}-group0");
        if !is_image_tag(&sample) {
            let message = format!(
                "{} cannot start an image tag (`{sample}`)",
                if tag_override.is_some() {
                    format!("the tag override {}", pyrepr::str_repr(&tag))
                } else {
                    format!("VERSION {}", pyrepr::str_repr(&tag))
                }
            );
            let diagnostic = Diagnostic::error(Code::DominoInvalidImageReference, message)
                .with_help("tags use letters, digits, `_`, `.` and `-` (at most 128 characters) and cannot start with `.` or `-`");
            diagnostics.push(if tag_override.is_some() {
                diagnostic.at(file, document.key_span("/repository"))
            } else {
                diagnostic.at(file, document.span("/repository/VERSION"))
            });
        }
    }
    Some(config)
}

fn suggest_component(name: &str) -> String {
    let lowered: String = name
        .to_lowercase()
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' || c == '_' || c == '-' {
                c
            } else {
                '-'
            }
        })
        .collect();
    lowered.trim_matches(['-', '.', '_']).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_image_matchers_agree_with_the_reference_grammar() {
        let seeds = [
            "",
            "a",
            "a.b",
            "a_b",
            "a__b",
            "a___b",
            "a-b",
            "a--b",
            "a-.b",
            "a._b",
            ".a",
            "a.",
            "a-",
            "_a",
            "A",
            "a1.b2-c3__d4",
            "a..b",
            "a b",
            "é",
            "a\n",
        ];
        let texts = crate::schema_check::sample_texts(b"az09._-A \n", &seeds, 20_000);
        let component = regex::Regex::new(r"^[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*$").unwrap();
        let tag = regex::Regex::new(r"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$").unwrap();
        let long = [
            "a".repeat(127),
            "a".repeat(128),
            "a".repeat(129),
            format!("-{}", "a".repeat(10)),
        ];
        for text in texts.iter().chain(&long) {
            assert_eq!(
                is_image_component(text),
                component.is_match(text),
                "{text:?}"
            );
            assert_eq!(is_image_tag(text), tag.is_match(text), "{text:?}");
        }
    }

    fn run(text: &str) -> (Option<RepositoryConfig>, Vec<Diagnostic>) {
        let file = SourceFile::new("config.toml".into(), "config.toml".into(), text.into());
        let mut diagnostics = Vec::new();
        let config = check(&file, None, &mut diagnostics);
        (config, diagnostics)
    }

    #[test]
    fn good_config_has_no_diagnostics() {
        let (config, diagnostics) = run(
            "[repository]\nREGISTRY_NAME = \"Acme\"\nREPOSITORY_NAME = \"my_pieces\"\nVERSION = \"0.1.0\"\n",
        );
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        assert_eq!(
            config.unwrap().repository_name.as_deref(),
            Some("my_pieces")
        );
    }

    #[test]
    fn reference_rules_and_image_references() {
        let (_, diagnostics) = run("[repository]\nREPOSITORY_NAME = \"My Pieces!\"\nVERSION = 3\n");
        let messages: Vec<&str> = diagnostics.iter().map(|d| d.message.as_str()).collect();
        assert!(
            messages.contains(&"Missing required fields: ['REGISTRY_NAME']"),
            "{messages:?}"
        );
        assert!(messages.contains(&"Repository name should not contain blank spaces"));
        assert!(messages.contains(&"Repository name should not contain special characters"));
        assert!(
            messages.contains(&"config.toml: 3 is not of type 'string'"),
            "{messages:?}"
        );
        let (_, diagnostics) = run(
            "[repository]\nREGISTRY_NAME = \"a\"\nREPOSITORY_NAME = \"MyPieces\"\nVERSION = \"1\"\n",
        );
        assert_eq!(diagnostics.len(), 1);
        assert_eq!(diagnostics[0].code, Code::DominoInvalidImageReference);
        assert!(
            diagnostics[0]
                .help
                .as_deref()
                .unwrap()
                .contains("'mypieces'")
        );
        let (_, diagnostics) = run("[other]\nX = 1\n");
        assert_eq!(
            diagnostics[0].message,
            "config.toml: 'repository' is a required property"
        );
    }
}

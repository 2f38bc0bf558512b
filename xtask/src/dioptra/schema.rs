//! The two dialects of the resource TOML and their JSON Schemas (data files in
//! `schemas/`), each compiled once.

use std::sync::LazyLock;

use serde_json::Value;

use crate::codes::Code;
use crate::diagnostics::Diagnostic;
use crate::doc::{self, Document};
use crate::schema_check::{self, Validator};

/// The seed dialect: `[[plugins.tasks]]` arrays, optional entrypoint `name`.
pub const SEED_SCHEMA: &str = include_str!("../../../schemas/dioptra-resources-seed.schema.json");
/// Dioptra 1.1+ (`src/dioptra/restapi/v1/workflows/dioptra-resources.schema.json`).
pub const V1_1_SCHEMA: &str = include_str!("../../../schemas/dioptra-resources-1.1.schema.json");

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub enum Dialect {
    /// `plugins[].tasks` is an array of function tasks.
    #[serde(rename = "seed")]
    Seed,
    /// `plugins[].tasks` is a table of `functions` and `artifacts`.
    #[serde(rename = "1.1")]
    V1_1,
}

impl Dialect {
    pub fn describe(self) -> &'static str {
        match self {
            Dialect::Seed => "seed dialect",
            Dialect::V1_1 => "Dioptra 1.1+ dialect",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Dialect::Seed => "seed",
            Dialect::V1_1 => "1.1",
        }
    }
}

static SEED: LazyLock<Validator> = LazyLock::new(|| schema_check::embedded(SEED_SCHEMA));
static V1_1: LazyLock<Validator> = LazyLock::new(|| schema_check::embedded(V1_1_SCHEMA));

/// Detects the dialect from the shape of `plugins[].tasks` (the first plugin
/// whose `tasks` is an array or a table decides). Without tasks anywhere, the
/// file is read as 1.1 only when an entrypoint uses `artifact_params` or
/// `artifact_plugins`.
pub fn detect(value: &Value) -> Dialect {
    let plugins = value.get("plugins").and_then(Value::as_array);
    for plugin in plugins.into_iter().flatten() {
        match plugin.get("tasks") {
            Some(Value::Array(_)) => return Dialect::Seed,
            Some(Value::Object(_)) => return Dialect::V1_1,
            _ => {}
        }
    }
    let entrypoints = value.get("entrypoints").and_then(Value::as_array);
    let uses_artifacts = entrypoints.into_iter().flatten().any(|entrypoint| {
        entrypoint.get("artifact_params").is_some() || entrypoint.get("artifact_plugins").is_some()
    });
    if uses_artifacts {
        Dialect::V1_1
    } else {
        Dialect::Seed
    }
}

/// Every violation of the dialect's schema, at the offending TOML node.
pub fn validate(document: &Document, dialect: Dialect) -> Vec<Diagnostic> {
    let validator: &Validator = match dialect {
        Dialect::Seed => &SEED,
        Dialect::V1_1 => &V1_1,
    };
    doc::schema_diagnostics(
        validator,
        document,
        "",
        Code::DioptraSchema,
        &format!("resource TOML ({})", dialect.describe()),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::SourceFile;

    fn document(text: &str) -> Document {
        let file = SourceFile::new("d.toml".into(), "d.toml".into(), text.into());
        doc::parse_toml(&file).unwrap()
    }

    #[test]
    fn detects_dialects() {
        let seed = document(
            "[[plugins]]\npath = \"p\"\n[[plugins.tasks]]\nfilename = \"a.py\"\nname = \"t\"\ninput_params = []\noutput_params = []\n",
        );
        assert_eq!(detect(&seed.value), Dialect::Seed);
        let v11 = document("[[plugins]]\npath = \"p\"\n[plugins.tasks]\nfunctions = []\n");
        assert_eq!(detect(&v11.value), Dialect::V1_1);
        let none = document("[[entrypoints]]\npath = \"e.yml\"\n");
        assert_eq!(detect(&none.value), Dialect::Seed);
        let artifacts =
            document("[[entrypoints]]\npath = \"e.yml\"\nname = \"e\"\nartifact_plugins = []\n");
        assert_eq!(detect(&artifacts.value), Dialect::V1_1);
    }

    #[test]
    fn reports_every_violation_with_the_dialect() {
        let doc = document(
            "[[plugins]]\npath = 3\nextra = 1\n[[plugins.tasks]]\nfilename = \"a.py\"\n\n[[entrypoints]]\npath = \"e.yml\"\n",
        );
        let diagnostics = validate(&doc, Dialect::Seed);
        assert!(diagnostics.len() >= 4, "{diagnostics:#?}");
        assert!(diagnostics.iter().all(|d| d.code == Code::DioptraSchema));
        assert!(
            diagnostics
                .iter()
                .all(|d| d.message.contains("seed dialect"))
        );
        // The 1.1 dialect also requires the entrypoint name.
        let doc = document("[[entrypoints]]\npath = \"e.yml\"\nartifact_plugins = []\n");
        let diagnostics = validate(&doc, Dialect::V1_1);
        assert_eq!(diagnostics.len(), 1, "{diagnostics:#?}");
        assert!(diagnostics[0].message.contains("1.1+"));
        let line = doc.file.line_col(match &diagnostics[0].location {
            Some(crate::diagnostics::Location::Span { span, .. }) => span.start,
            _ => panic!("no span"),
        });
        assert_eq!(line.line, 1);
    }
}

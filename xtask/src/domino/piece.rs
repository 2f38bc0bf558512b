//! One piece folder: `metadata.json` (schema, name, dependency files),
//! `models.py` (the three schemas, read statically) and `piece.py` (the class
//! and its `piece_function`).

use std::collections::BTreeSet;
use std::path::Path;
use std::sync::{LazyLock, OnceLock};

use crate::codes::Code;
use crate::diagnostics::Diagnostic;
use crate::doc::{self, Document};
use crate::paths::display_path;
use crate::python;
use crate::schema_check::{self, Validator};
use crate::{pyrepr, suggest};

use super::models::{self, ModelSchemas};
use super::python_engine::PythonSchemas;
use crate::input::Reader;

pub const METADATA_SCHEMA: &str = include_str!("../../../schemas/piece-metadata.schema.json");

static METADATA_VALIDATOR: LazyLock<Validator> =
    LazyLock::new(|| schema_check::embedded(METADATA_SCHEMA));

/// What one piece folder holds, as far as the outputs need it.
#[derive(Debug)]
pub struct Piece {
    pub name: String,
    /// `metadata.json`, parsed (None when absent or unreadable).
    pub metadata: Option<Document>,
    /// The schemas from `models.py` (None when they cannot be read).
    pub schemas: Option<ModelSchemas>,
    /// Dependency files the metadata names (`dependency.requirements_file`,
    /// `dependency.dockerfile`), as written.
    pub dependency_files: Vec<String>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Checks one piece folder. `dependency_files` are the top-level entries of
/// `dependencies/`.
pub fn check(
    reader: &Reader<'_>,
    folder: &Path,
    name: &str,
    dependency_files: &BTreeSet<String>,
    python_schemas: Option<&PythonSchemas>,
    generator: crate::config::DominoGenerator,
) -> Piece {
    let mut piece = Piece {
        name: name.to_string(),
        metadata: None,
        schemas: None,
        dependency_files: Vec::new(),
        diagnostics: Vec::new(),
    };
    let diagnostics = &mut piece.diagnostics;
    for (file_name, code) in [
        ("models.py", Code::DominoMissingModels),
        ("piece.py", Code::DominoMissingPiece),
    ] {
        if !reader.is_file(&folder.join(file_name)) {
            diagnostics.push(
                Diagnostic::error(code, format!("missing '{file_name}' for {name}"))
                    .at_path(display_path(folder))
                    .with_help(format!(
                        "every piece folder needs {file_name}; see pieces/<Name>Piece/ in the Domino docs"
                    )),
            );
        }
    }

    let metadata_path = folder.join("metadata.json");
    if reader.is_file(&metadata_path)
        && let Some(file) = reader.source(&metadata_path, Code::DominoUnreadableFile, diagnostics)
    {
        match doc::parse_json(&file) {
            Ok(document) => {
                check_metadata(&document, name, dependency_files, diagnostics);
                piece.dependency_files = ["requirements_file", "dockerfile"]
                    .iter()
                    .filter_map(|key| document.get(&format!("/dependency/{key}")))
                    .filter_map(|v| v.as_str())
                    .filter(|v| !v.is_empty() && *v != "default")
                    .map(str::to_string)
                    .collect();
                piece.metadata = Some(document);
            }
            Err(error) => diagnostics.push(
                Diagnostic::error(
                    Code::DominoJsonSyntax,
                    format!("invalid JSON: {}", error.message),
                )
                .at(&file, error.span),
            ),
        }
    }

    // The reference imports `<Name>Piece.models` with `pieces/` on `sys.path`.
    let pieces_folder = folder.parent().unwrap_or(folder);
    let repo = models::RepoModules::new(reader, pieces_folder);
    let models_path = folder.join("models.py");
    if reader.is_file(&models_path)
        && let Some(file) = reader.source(&models_path, Code::DominoUnreadableFile, diagnostics)
    {
        let (module, syntax) = python::parse(&file);
        match python_schemas.and_then(|p| p.get(&models_path)) {
            Some(Ok(schemas)) => {
                piece.schemas = Some(ModelSchemas {
                    input: schemas.input.clone(),
                    output: schemas.output.clone(),
                    secrets: schemas.secrets.clone(),
                })
            }
            Some(Err(error)) => diagnostics.push(
                Diagnostic::error(
                    Code::DominoPythonImportFailed,
                    format!("importing models.py failed: {error}"),
                )
                .at(&file, crate::source::Span::new(0, 0))
                .with_help("the python schema engine imports models.py as the reference does"),
            ),
            None if syntax.is_empty() => {
                let (schemas, model_diagnostics) = models::model_schemas_in(
                    &module,
                    &format!("{name}.models"),
                    Some(&repo),
                    generator,
                );
                diagnostics.extend(model_diagnostics);
                piece.schemas = Some(schemas);
            }
            None => diagnostics.extend(syntax),
        }
    }

    let piece_path = folder.join("piece.py");
    if reader.is_file(&piece_path)
        && let Some(file) = reader.source(&piece_path, Code::DominoUnreadableFile, diagnostics)
    {
        let (module, syntax) = python::parse(&file);
        if syntax.is_empty() {
            check_piece_class(&module, name, &repo, diagnostics);
        } else {
            diagnostics.extend(syntax);
        }
    }
    piece
}

fn check_metadata(
    document: &Document,
    name: &str,
    dependency_files: &BTreeSet<String>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let file = &document.file;
    static KNOWN: OnceLock<(Vec<String>, Vec<String>)> = OnceLock::new();
    let (top, dependency) = KNOWN.get_or_init(|| {
        let schema: serde_json::Value =
            serde_json::from_str(METADATA_SCHEMA).expect("the embedded metadata schema is JSON");
        (
            super::schema_properties(&schema, ""),
            super::schema_properties(&schema, "/$defs/Dependency"),
        )
    });
    fn as_strs(keys: &[String]) -> Vec<&str> {
        keys.iter().map(String::as_str).collect()
    }
    super::unknown_key_warnings(document, "", &as_strs(top), "metadata.json", diagnostics);
    super::unknown_key_warnings(
        document,
        "/dependency",
        &as_strs(dependency),
        "a piece's `dependency`",
        diagnostics,
    );
    for mut diagnostic in doc::schema_diagnostics(
        &METADATA_VALIDATOR,
        document,
        "",
        Code::DominoInvalidMetadata,
        "metadata.json",
    ) {
        if diagnostic.message.contains("None is not of type") {
            diagnostic = diagnostic
                .with_help("the reference rejects an explicit `null`: leave the key out instead");
        }
        diagnostics.push(diagnostic);
    }
    if let Some(written) = document.get("/name").and_then(|v| v.as_str())
        && written != name
    {
        diagnostics.push(
            Diagnostic::error(
                Code::DominoInconsistentName,
                format!("The following Pieces have inconsistent names: {name}"),
            )
            .at(file, document.span("/name"))
            .with_label(format!("the folder is `{name}`"))
            .with_help(format!(
                "set \"name\": \"{name}\" or rename the folder to `{written}`"
            )),
        );
    }
    for key in ["requirements_file", "dockerfile"] {
        let pointer = format!("/dependency/{key}");
        // The name goes into the `COPY` line of the group's Dockerfile.
        if let Some(value) = document.get(&pointer).and_then(|v| v.as_str())
            && !value.is_empty()
            && value != "default"
            && !crate::paths::is_plain_name(value)
        {
            diagnostics.push(
                Diagnostic::error(
                    Code::InputUnsafeName,
                    format!(
                        "dependency file name {} of {name} is not a plain file name: it would be copied into a Dockerfile line",
                        pyrepr::str_repr(value)
                    ),
                )
                .at(file, document.span(&pointer))
                .with_help("name dependency files with letters, digits, `_`, `.`, `+` and `-`"),
            );
            continue;
        }
        if let Some(value) = document.get(&pointer).and_then(|v| v.as_str())
            && !value.is_empty()
            && value != "default"
            && !dependency_files.contains(value)
        {
            let mut diagnostic = Diagnostic::error(
                Code::DominoMissingDependencyFile,
                format!("missing dependency file {value} defined for {name}"),
            )
            .at(file, document.span(&pointer))
            .with_label("not in dependencies/");
            diagnostic = match suggest::did_you_mean(value, dependency_files) {
                Some(candidate) => {
                    diagnostic.with_help(format!("did you mean {}?", pyrepr::str_repr(candidate)))
                }
                None if dependency_files.is_empty() => {
                    diagnostic.with_help("dependencies/ is empty")
                }
                None => diagnostic.with_help(format!(
                    "dependencies/ holds: {}",
                    dependency_files
                        .iter()
                        .cloned()
                        .collect::<Vec<_>>()
                        .join(", ")
                )),
            };
            diagnostics.push(diagnostic);
        }
    }
}

/// piece.py must define `class <Name>(...)` with a `piece_function` method.
/// The method may come from a base class in another module of the repository (followed
/// as the reference imports `<Name>Piece.piece`); a base class that cannot be followed
/// may define it, so nothing is reported then.
fn check_piece_class(
    module: &python::PythonModule,
    name: &str,
    repo: &models::RepoModules<'_>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let file = &module.file;
    match module.class(name) {
        Some(class) => {
            let module_name = format!("{name}.piece");
            let found = models::class_has_method(
                module,
                &module_name,
                false,
                class,
                "piece_function",
                repo,
                0,
            );
            if found == Some(false) {
                diagnostics.push(
                    Diagnostic::error(
                        Code::DominoMissingPieceFunction,
                        format!("class `{name}` has no `piece_function` method"),
                    )
                    .at(file, python::span(class.name.range))
                    .with_help(
                        "Domino runs a piece by calling `piece_function(self, input_data, ...)`",
                    ),
                );
            }
        }
        None => {
            let classes = module.class_names();
            let mut diagnostic = Diagnostic::error(
                Code::DominoMissingPieceClass,
                format!("piece.py does not define the class `{name}`"),
            )
            .at(file, crate::source::Span::new(0, 0))
            .with_help(format!(
                "Domino loads the class named like the folder: `class {name}(BasePiece)`"
            ));
            if !classes.is_empty() {
                diagnostic =
                    diagnostic.with_note(format!("classes defined here: {}", classes.join(", ")));
            }
            diagnostics.push(diagnostic);
        }
    }
}

//! Domino Pieces repositories: validation and the `.domino/` outputs.

use std::path::Path;
use std::sync::Arc;

use rayon::prelude::*;

use crate::diagnostics::Diagnostic;
use crate::discover::Repository;
use crate::doc;
use crate::paths::display_path;
use crate::pipeline::{Context, RepositoryReport};
use crate::python;
use crate::source::{SourceFile, Span};

/// Reads a file of the repository; a missing or unreadable file is a diagnostic.
pub(crate) fn read_source(
    path: &Path,
    code: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Arc<SourceFile>> {
    match SourceFile::read(path, display_path(path)) {
        Ok(file) => Some(file),
        Err(message) => {
            diagnostics.push(Diagnostic::error(code, message).at_path(display_path(path)));
            None
        }
    }
}

/// Pieces are exactly the direct child folders of `pieces/` whose names end in
/// `Piece`, sorted by name.
pub fn piece_folders(repository_root: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(repository_root.join("pieces"))
        .into_iter()
        .flatten()
        .filter_map(Result::ok)
        .filter(|entry| entry.file_type().is_ok_and(|t| t.is_dir()))
        .filter_map(|entry| entry.file_name().into_string().ok())
        .filter(|name| name.ends_with("Piece"))
        .collect();
    names.sort();
    names
}

/// Validates one repository.
pub fn process(repository: &Repository, _context: &Context<'_>) -> RepositoryReport {
    let mut report = RepositoryReport::new(repository);
    let root = &repository.root;
    let config_path = root.join("config.toml");
    if let Some(file) = read_source(
        &config_path,
        "domino::unreadable-file",
        &mut report.diagnostics,
    ) {
        match doc::parse_toml(&file) {
            Ok(document) => {
                if document.get("/repository/REPOSITORY_NAME").is_none() {
                    report.diagnostics.push(
                        Diagnostic::error(
                            "domino::missing-config-field",
                            "Missing required fields: ['REPOSITORY_NAME']",
                        )
                        .at(&file, document.key_span("/repository")),
                    );
                }
            }
            Err(errors) => report.diagnostics.extend(errors.into_iter().map(|error| {
                Diagnostic::error(
                    "domino::toml-syntax",
                    format!("invalid TOML: {}", error.message),
                )
                .at(&file, error.span)
            })),
        }
    }
    let pieces = piece_folders(root);
    if pieces.is_empty() {
        report.diagnostics.push(
            Diagnostic::error(
                "domino::no-pieces",
                "No pieces found in the Pieces Repository",
            )
            .at_path(display_path(&root.join("pieces"))),
        );
    }
    let piece_diagnostics: Vec<Vec<Diagnostic>> = pieces
        .par_iter()
        .map(|name| check_piece(&root.join("pieces").join(name)))
        .collect();
    report
        .diagnostics
        .extend(piece_diagnostics.into_iter().flatten());
    report.stats.pieces = pieces.len();
    report
}

fn check_piece(folder: &Path) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    let metadata = folder.join("metadata.json");
    if metadata.is_file()
        && let Some(file) = read_source(&metadata, "domino::unreadable-file", &mut diagnostics)
        && let Err(error) = doc::parse_json(&file)
    {
        diagnostics.push(
            Diagnostic::error(
                "domino::json-syntax",
                format!("invalid JSON: {}", error.message),
            )
            .at(&file, error.span),
        );
    }
    for (file_name, code) in [
        ("models.py", "domino::missing-models"),
        ("piece.py", "domino::missing-piece"),
    ] {
        let path = folder.join(file_name);
        if !path.is_file() {
            diagnostics.push(
                Diagnostic::error(
                    code,
                    format!("missing '{file_name}' for {}", display_path(folder)),
                )
                .at_path(display_path(folder)),
            );
            continue;
        }
        if let Some(file) = read_source(&path, "domino::unreadable-file", &mut diagnostics) {
            diagnostics.extend(python::parse(&file).1);
        }
    }
    let _ = Span::default();
    diagnostics
}

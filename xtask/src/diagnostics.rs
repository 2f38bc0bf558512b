//! Diagnostics are data: every problem found anywhere is a [`Diagnostic`] value,
//! collected across all repositories, sorted once, and rendered once (for humans
//! in the rustc style, or as one JSON object per line).

use std::sync::Arc;

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
use serde_json::json;

use crate::codes::Code;
use crate::source::{LineCol, SourceFile, Span};

#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// Where a diagnostic points: a span in a file we read, or just a path (a
/// missing file, a folder).
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Location {
    Span {
        /// Serialized as the file's path; read back unloaded.
        #[serde(with = "file_by_path")]
        file: Arc<SourceFile>,
        span: Span,
    },
    Path(String),
}

/// A source file serialized by its path (its text is not stored twice).
mod file_by_path {
    use std::path::PathBuf;
    use std::sync::Arc;

    use serde::{Deserialize, Deserializer, Serializer};

    use crate::source::SourceFile;

    pub fn serialize<S: Serializer>(
        file: &Arc<SourceFile>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        serde::Serialize::serialize(&file.path, serializer)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Arc<SourceFile>, D::Error> {
        Ok(SourceFile::unloaded(PathBuf::deserialize(deserializer)?))
    }
}

impl Location {
    pub fn display_path(&self) -> &str {
        match self {
            Location::Span { file, .. } => &file.display,
            Location::Path(path) => path,
        }
    }

    /// Start and end position, when the location is a span.
    pub fn positions(&self) -> Option<(LineCol, LineCol)> {
        match self {
            Location::Span { file, span } => {
                Some((file.line_col(span.start), file.line_col(span.end)))
            }
            Location::Path(_) => None,
        }
    }

    /// `path:line:col` (or just the path).
    pub fn to_short_string(&self) -> String {
        match self.positions() {
            Some((start, _)) => format!("{}:{}:{}", self.display_path(), start.line, start.column),
            None => self.display_path().to_string(),
        }
    }
}

/// A secondary place that helps explain a diagnostic ("first defined here").
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct Related {
    pub location: Location,
    pub message: String,
}

/// A problem, as data. It serializes itself (the incremental cache keeps the
/// diagnostics of fresh repositories): files by path, to be loaded again with
/// [`Diagnostic::load_sources`].
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct Diagnostic {
    pub severity: Severity,
    /// A stable code from the registry ([`Code`]), e.g. `domino::missing-models`.
    pub code: Code,
    pub message: String,
    pub location: Option<Location>,
    /// A short label under the primary span.
    pub label: Option<String>,
    pub help: Option<String>,
    pub notes: Vec<String>,
    pub related: Vec<Related>,
}

impl Diagnostic {
    pub fn new(severity: Severity, code: Code, message: impl Into<String>) -> Self {
        Diagnostic {
            severity,
            code,
            message: message.into(),
            location: None,
            label: None,
            help: None,
            notes: Vec::new(),
            related: Vec::new(),
        }
    }

    pub fn error(code: Code, message: impl Into<String>) -> Self {
        Diagnostic::new(Severity::Error, code, message)
    }

    pub fn warning(code: Code, message: impl Into<String>) -> Self {
        Diagnostic::new(Severity::Warning, code, message)
    }

    pub fn at(mut self, file: &Arc<SourceFile>, span: Span) -> Self {
        self.location = Some(Location::Span {
            file: Arc::clone(file),
            span: Span::new(file.clamp(span.start), file.clamp(span.end.max(span.start))),
        });
        self
    }

    pub fn at_path(mut self, path: impl Into<String>) -> Self {
        self.location = Some(Location::Path(path.into()));
        self
    }

    pub fn with_location(mut self, location: Option<Location>) -> Self {
        self.location = location;
        self
    }

    pub fn with_label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn with_note(mut self, note: impl Into<String>) -> Self {
        self.notes.push(note.into());
        self
    }

    pub fn with_related(
        mut self,
        file: &Arc<SourceFile>,
        span: Span,
        message: impl Into<String>,
    ) -> Self {
        self.related.push(Related {
            location: Location::Span {
                file: Arc::clone(file),
                span,
            },
            message: message.into(),
        });
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// Loads the files of a diagnostic read back from the cache (their text is
    /// needed for positions and snippets). False when a file cannot be loaded.
    pub fn load_sources(
        &mut self,
        load: &dyn Fn(&std::path::Path) -> Option<Arc<SourceFile>>,
    ) -> bool {
        let locations = self
            .location
            .iter_mut()
            .chain(self.related.iter_mut().map(|r| &mut r.location));
        for location in locations {
            if let Location::Span { file, .. } = location {
                match load(&file.path) {
                    Some(loaded) => *file = loaded,
                    None => return false,
                }
            }
        }
        true
    }

    /// The key diagnostics are sorted by: file, position, severity, code, message.
    fn owned_sort_key(&self) -> SortKey {
        let (path, line, column, severity, _, message) = self.sort_key();
        (
            path,
            line,
            column,
            severity,
            self.code.as_str(),
            message.to_string(),
        )
    }

    fn sort_key(&self) -> (String, usize, usize, Severity, &str, &str) {
        let (path, line, column) = match &self.location {
            None => (String::new(), 0, 0),
            Some(location) => {
                let (line, column) = location
                    .positions()
                    .map_or((0, 0), |(start, _)| (start.line, start.column));
                (location.display_path().to_string(), line, column)
            }
        };
        (
            path,
            line,
            column,
            self.severity,
            self.code.as_str(),
            &self.message,
        )
    }

    /// One flat JSON object (the `diagnostics` of `report.json`).
    pub fn to_json(&self) -> serde_json::Value {
        let mut object = json!({
            "reason": "diagnostic",
            "severity": self.severity.as_str(),
            "code": self.code.as_str(),
            "message": self.message,
        });
        let map = object.as_object_mut().expect("object");
        if let Some(location) = &self.location {
            map.insert("file".into(), json!(location.display_path()));
            if let Some((start, end)) = location.positions() {
                map.insert("line".into(), json!(start.line));
                map.insert("column".into(), json!(start.column));
                map.insert("end_line".into(), json!(end.line));
                map.insert("end_column".into(), json!(end.column));
            }
        }
        if let Some(label) = &self.label {
            map.insert("label".into(), json!(label));
        }
        if let Some(help) = &self.help {
            map.insert("help".into(), json!(help));
        }
        if !self.notes.is_empty() {
            map.insert("notes".into(), json!(self.notes));
        }
        if !self.related.is_empty() {
            let related: Vec<_> = self
                .related
                .iter()
                .map(|related| {
                    let mut value = json!({
                        "message": related.message,
                        "file": related.location.display_path(),
                    });
                    if let Some((start, _)) = related.location.positions() {
                        value["line"] = json!(start.line);
                        value["column"] = json!(start.column);
                    }
                    value
                })
                .collect();
            map.insert("related".into(), json!(related));
        }
        object
    }

    /// The rustc-style rendering, with a source snippet when there is a span.
    /// A diagnostic without a span is a title, an indented `--> path` line
    /// when it names a file, and its notes and help.
    pub fn render(&self, color: bool) -> String {
        // A snippet is shown for reasonable lines only: a huge or minified
        // line (or file) is named by position, not printed.
        let snippet_fits = match &self.location {
            Some(Location::Span { file, span }) => snippet_fits(file, *span),
            _ => false,
        };
        if !snippet_fits {
            return self.render_without_span(color);
        }
        let title = self.title();
        let mut group = Group::with_title(title);
        match &self.location {
            Some(Location::Span { file, span }) => {
                // Only the lines the annotations are on go to the renderer.
                let same_file: Vec<Span> = self
                    .related
                    .iter()
                    .filter_map(|r| match &r.location {
                        Location::Span { file: other, span } if Arc::ptr_eq(other, file) => {
                            Some(*span)
                        }
                        _ => None,
                    })
                    .collect();
                let window = Window::new(
                    file,
                    std::iter::once(*span).chain(same_file.iter().copied()),
                );
                let mut snippet = Snippet::source(window.text(file))
                    .line_start(window.first_line)
                    .path(file.display.as_str())
                    .fold(true);
                let mut primary = AnnotationKind::Primary.span(window.range(*span));
                if let Some(label) = &self.label {
                    primary = primary.label(label.as_str());
                }
                snippet = snippet.annotation(primary);
                for related in &self.related {
                    if let Location::Span { file: other, span } = &related.location
                        && Arc::ptr_eq(other, file)
                    {
                        snippet = snippet.annotation(
                            AnnotationKind::Context
                                .span(window.range(*span))
                                .label(related.message.as_str()),
                        );
                    }
                }
                group = group.element(snippet);
            }
            Some(Location::Path(path)) => {
                group = group.element(annotate_snippets::Origin::path(path.as_str()));
            }
            None => {}
        }
        let mut groups = vec![group];
        for related in &self.related {
            let same_file = matches!(
                (&self.location, &related.location),
                (Some(Location::Span { file: a, .. }), Location::Span { file: b, .. }) if Arc::ptr_eq(a, b)
            );
            if same_file {
                continue;
            }
            let title = Level::NOTE.secondary_title(related.message.as_str());
            let group = match &related.location {
                Location::Span { file, span } => {
                    let window = Window::new(file, std::iter::once(*span));
                    Group::with_title(title).element(
                        Snippet::source(window.text(file))
                            .line_start(window.first_line)
                            .path(file.display.as_str())
                            .fold(true)
                            .annotation(AnnotationKind::Context.span(window.range(*span))),
                    )
                }
                Location::Path(path) => {
                    Group::with_title(title).element(annotate_snippets::Origin::path(path.as_str()))
                }
            };
            groups.push(group);
        }
        let mut footer = Vec::new();
        for note in &self.notes {
            footer.push(Level::NOTE.message(note.as_str()));
        }
        if let Some(help) = &self.help {
            footer.push(Level::HELP.message(help.as_str()));
        }
        if !footer.is_empty() {
            let first = groups.remove(0).elements(footer);
            groups.insert(0, first);
        }
        let renderer = if color {
            Renderer::styled()
        } else {
            Renderer::plain()
        };
        renderer.render(&groups)
    }
}

/// The longest line a snippet shows, and the largest file snippets are cut from.
const MAX_SNIPPET_LINE: usize = 4096;
const MAX_SNIPPET_FILE: usize = 1024 * 1024;

/// The lines of a file that some spans are on (a snippet renders those only).
struct Window {
    first_line: usize,
    start: usize,
    end: usize,
}

impl Window {
    fn new(file: &SourceFile, spans: impl Iterator<Item = Span>) -> Self {
        let (mut first, mut last) = (usize::MAX, 0);
        for span in spans {
            first = first.min(file.line_col(span.start).line);
            last = last.max(file.line_col(span.end).line);
        }
        let first = first.min(last);
        let start = file.line_span(first).start;
        // The line break after the last line is kept (an annotation may end there).
        let end = (file.line_span(last).end + 1).min(file.text.len());
        Window {
            first_line: first,
            start,
            end,
        }
    }

    fn text<'a>(&self, file: &'a SourceFile) -> &'a str {
        &file.text[self.start..self.end]
    }

    fn range(&self, span: Span) -> std::ops::Range<usize> {
        let clamp = |offset: usize| offset.clamp(self.start, self.end) - self.start;
        clamp(span.start)..clamp(span.end)
    }
}

/// Can the lines of this span be shown in a snippet?
fn snippet_fits(file: &SourceFile, span: Span) -> bool {
    if file.text.len() > MAX_SNIPPET_FILE {
        return false;
    }
    let first = file.line_span(file.line_col(span.start).line);
    let last = file.line_span(file.line_col(span.end).line);
    first.end - first.start <= MAX_SNIPPET_LINE && last.end - last.start <= MAX_SNIPPET_LINE
}

impl Diagnostic {
    /// The renderer's title line: level, code and message.
    fn title(&self) -> annotate_snippets::Title<'_> {
        let level = match self.severity {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
        };
        level
            .primary_title(self.message.as_str())
            .id(self.code.as_str())
    }

    fn render_without_span(&self, color: bool) -> String {
        let title = self.title();
        let renderer = if color {
            Renderer::styled()
        } else {
            Renderer::plain()
        };
        let mut text = renderer.render(&[Group::with_title(title)]);
        match &self.location {
            Some(Location::Path(path)) => text.push_str(&format!("\n  --> {path}")),
            Some(location @ Location::Span { .. }) => {
                text.push_str(&format!("\n  --> {}", location.to_short_string()));
                if let Some(label) = &self.label {
                    text.push_str(&format!(
                        "\n   = note: {label} (the line is too long to show)"
                    ));
                }
            }
            None => {}
        }
        for related in &self.related {
            text.push_str(&format!(
                "\n  note: {} ({})",
                related.message,
                related.location.to_short_string()
            ));
        }
        for note in &self.notes {
            text.push_str(&format!("\n   = note: {note}"));
        }
        if let Some(help) = &self.help {
            text.push_str(&format!("\n   = help: {help}"));
        }
        text
    }

    /// One line: `path:line:col: error[code]: message` (rustc's short format).
    pub fn render_short(&self) -> String {
        let place = self
            .location
            .as_ref()
            .map_or_else(String::new, |l| format!("{}: ", l.to_short_string()));
        format!(
            "{place}{}[{}]: {}",
            self.severity.as_str(),
            self.code,
            self.message
        )
    }

    /// A GitHub Actions workflow command (`::error file=..,line=..::message`),
    /// escaped as the runner expects.
    pub fn github_command(&self) -> String {
        fn data(text: &str) -> String {
            text.replace('%', "%25")
                .replace('\r', "%0D")
                .replace('\n', "%0A")
        }
        fn property(text: &str) -> String {
            data(text).replace(':', "%3A").replace(',', "%2C")
        }
        let mut properties = Vec::new();
        if let Some(location) = &self.location {
            properties.push(format!("file={}", property(location.display_path())));
            if let Some((start, end)) = location.positions() {
                properties.push(format!("line={}", start.line));
                properties.push(format!("col={}", start.column));
                properties.push(format!("endLine={}", end.line));
                properties.push(format!("endColumn={}", end.column));
            }
        }
        properties.push(format!("title={}", property(self.code.as_str())));
        let mut message = self.message.clone();
        if let Some(help) = &self.help {
            message.push_str(&format!("\nhelp: {help}"));
        }
        let command = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        format!("::{command} {}::{}", properties.join(","), data(&message))
    }

    /// The rustc/cargo JSON form (`"reason": "compiler-message"`): `message`
    /// with `code` (and its explanation from the registry), `level`, `spans`
    /// (byte offsets, 1-based lines and character columns, the primary one and
    /// the related places), `children` for notes and help, and `rendered`.
    pub fn to_cargo_json(&self) -> serde_json::Value {
        fn span(location: &Location, primary: bool, label: Option<&str>) -> serde_json::Value {
            match location {
                Location::Span { file, span } => {
                    let (start, end) = (file.line_col(span.start), file.line_col(span.end));
                    let line = file.line_span(start.line);
                    json!({
                        "file_name": file.display,
                        "byte_start": span.start,
                        "byte_end": span.end,
                        "line_start": start.line,
                        "line_end": end.line,
                        "column_start": start.column,
                        "column_end": end.column,
                        "is_primary": primary,
                        "text": if line.end - line.start <= MAX_SNIPPET_LINE {
                            json!([{
                                "text": &file.text[line.range()],
                                "highlight_start": start.column,
                                "highlight_end": if end.line == start.line { end.column } else { start.column },
                            }])
                        } else {
                            json!([])
                        },
                        "label": label,
                        "suggested_replacement": null,
                        "suggestion_applicability": null,
                        "expansion": null,
                    })
                }
                // A file as a whole (missing, a folder, a link).
                Location::Path(path) => json!({
                    "file_name": path,
                    "byte_start": 0,
                    "byte_end": 0,
                    "line_start": 1,
                    "line_end": 1,
                    "column_start": 1,
                    "column_end": 1,
                    "is_primary": primary,
                    "text": [],
                    "label": label,
                    "suggested_replacement": null,
                    "suggestion_applicability": null,
                    "expansion": null,
                    "file_level": true,
                }),
            }
        }
        let child = |level: &str, message: &str| json!({"message": message, "code": null, "level": level, "spans": [], "children": [], "rendered": null});
        let mut spans: Vec<serde_json::Value> = self
            .location
            .iter()
            .map(|l| span(l, true, self.label.as_deref()))
            .collect();
        spans.extend(
            self.related
                .iter()
                .map(|r| span(&r.location, false, Some(r.message.as_str()))),
        );
        let mut children: Vec<serde_json::Value> =
            self.notes.iter().map(|n| child("note", n)).collect();
        children.extend(self.help.iter().map(|h| child("help", h)));
        json!({
            "reason": "compiler-message",
            "message": {
                "$message_type": "diagnostic",
                "message": self.message,
                "code": { "code": self.code.as_str(), "explanation": self.code.docs() },
                "level": self.severity.as_str(),
                "spans": spans,
                "children": children,
                "rendered": self.render(false),
            }
        })
    }
}

/// Sorts diagnostics deterministically and drops exact duplicates.
pub fn sort_and_dedup(diagnostics: &mut Vec<Diagnostic>) {
    // Positions are computed once per diagnostic, not once per comparison.
    let mut keyed: Vec<(SortKey, Diagnostic)> = std::mem::take(diagnostics)
        .into_iter()
        .map(|d| (d.owned_sort_key(), d))
        .collect();
    keyed.sort_by(|a, b| a.0.cmp(&b.0));
    keyed.dedup_by(|a, b| a.0 == b.0 && a.1.help == b.1.help);
    *diagnostics = keyed.into_iter().map(|(_, d)| d).collect();
}

/// File, line, column, severity, code, message.
type SortKey = (String, usize, usize, Severity, &'static str, String);

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub errors: usize,
    pub warnings: usize,
}

pub fn count(diagnostics: &[Diagnostic]) -> Counts {
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    Counts {
        errors,
        warnings: diagnostics.len() - errors,
    }
}

/// `1 error`, `2 warnings`, `3 repositories`.
pub fn plural(count: usize, noun: &str) -> String {
    if count == 1 {
        format!("{count} {noun}")
    } else if let Some(stem) = noun.strip_suffix('y') {
        format!("{count} {stem}ies")
    } else {
        format!("{count} {noun}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_path_line_col_and_snippet() {
        let file = SourceFile::new(
            "x/config.toml".into(),
            "x/config.toml".into(),
            "[repository]\nVERSION = 1\n".into(),
        );
        let diagnostic = Diagnostic::error(Code::DominoInvalidConfig, "VERSION must be a string")
            .at(&file, Span::new(23, 24))
            .with_label("an integer")
            .with_help("quote it");
        let text = diagnostic.render(false);
        assert!(
            text.contains("error[domino::invalid-config]: VERSION must be a string"),
            "{text}"
        );
        assert!(text.contains("x/config.toml:2:11"), "{text}");
        assert!(text.contains("VERSION = 1"), "{text}");
        assert!(text.contains("help: quote it"), "{text}");
        let json = diagnostic.to_json();
        assert_eq!(json["line"], 2);
        assert_eq!(json["column"], 11);
    }

    #[test]
    fn sorting_is_by_file_then_position() {
        let file = SourceFile::new("b".into(), "b".into(), "one\ntwo\n".into());
        let mut list = vec![
            Diagnostic::error(Code::DominoNoPieces, "second").at(&file, Span::at(4)),
            Diagnostic::warning(Code::DominoMissingModels, "first").at(&file, Span::at(0)),
            Diagnostic::error(Code::DominoMissingPiece, "path").at_path("a"),
            Diagnostic::error(Code::DominoMissingPiece, "path").at_path("a"),
        ];
        sort_and_dedup(&mut list);
        let messages: Vec<_> = list.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(messages, ["path", "first", "second"]);
    }

    #[test]
    fn plurals() {
        assert_eq!(plural(1, "error"), "1 error");
        assert_eq!(plural(2, "warning"), "2 warnings");
        assert_eq!(plural(3, "repository"), "3 repositories");
        assert_eq!(plural(0, "entrypoint"), "0 entrypoints");
    }
}

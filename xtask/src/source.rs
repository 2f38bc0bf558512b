//! Source files shared by every parser, so any diagnostic can point at `line:col`
//! and show a snippet.

use std::ops::Range;
use std::path::PathBuf;
use std::sync::Arc;

/// A byte range in a [`SourceFile`].
#[derive(
    Clone,
    Copy,
    Debug,
    Default,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    serde::Serialize,
    serde::Deserialize,
)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub const fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }

    /// An empty span at `offset`.
    pub const fn at(offset: usize) -> Self {
        Span {
            start: offset,
            end: offset,
        }
    }

    pub fn range(self) -> Range<usize> {
        self.start..self.end
    }

    pub fn cover(self, other: Span) -> Span {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }
}

impl From<Range<usize>> for Span {
    fn from(range: Range<usize>) -> Self {
        Span::new(range.start, range.end)
    }
}

/// A 1-based line and column (the column counts characters, as editors do).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct LineCol {
    pub line: usize,
    pub column: usize,
}

/// The text of one file plus what is needed to turn offsets into positions.
#[derive(Debug)]
pub struct SourceFile {
    /// The path on disk.
    pub path: PathBuf,
    /// The path as shown to users: relative to the working directory when possible,
    /// always with `/` separators.
    pub display: String,
    pub text: String,
    /// Where each line starts (computed when a position is first asked for).
    line_starts: std::sync::OnceLock<Vec<usize>>,
}

impl SourceFile {
    pub fn new(path: PathBuf, display: String, text: String) -> Arc<SourceFile> {
        Arc::new(SourceFile {
            path,
            display,
            text,
            line_starts: std::sync::OnceLock::new(),
        })
    }

    fn line_starts(&self) -> &[usize] {
        self.line_starts.get_or_init(|| {
            std::iter::once(0)
                .chain(self.text.match_indices('\n').map(|(i, _)| i + 1))
                .collect()
        })
    }

    /// A file known by its path only, its text not loaded yet (a diagnostic
    /// read back from the cache; see `Diagnostic::load_sources`).
    pub fn unloaded(path: PathBuf) -> Arc<SourceFile> {
        let display = crate::paths::display_path(&path);
        SourceFile::new(path, display, String::new())
    }

    /// Reads a file directly (tests only: the tool reads through the input
    /// gateway, `crate::input`).
    #[cfg(test)]
    pub fn read(path: &std::path::Path, display: String) -> Result<Arc<SourceFile>, String> {
        let bytes = std::fs::read(path).map_err(|err| format!("cannot read file: {err}"))?;
        let text = String::from_utf8(bytes).map_err(|err| err.to_string())?;
        Ok(SourceFile::new(path.to_path_buf(), display, text))
    }

    /// The 1-based line and character column of a byte offset (clamped to the text).
    pub fn line_col(&self, offset: usize) -> LineCol {
        let offset = self.clamp(offset);
        let line_index = match self.line_starts().binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let line_start = self.line_starts()[line_index];
        let column = self.text[line_start..offset].chars().count() + 1;
        LineCol {
            line: line_index + 1,
            column,
        }
    }

    /// The byte offset of a 1-based line and character column (clamped).
    pub fn offset_of(&self, line: usize, column: usize) -> usize {
        let line_starts = self.line_starts();
        let line_index = line.saturating_sub(1).min(line_starts.len() - 1);
        let start = line_starts[line_index];
        let end = line_starts
            .get(line_index + 1)
            .copied()
            .unwrap_or(self.text.len());
        let line_text = &self.text[start..end];
        let byte = line_text
            .char_indices()
            .nth(column.saturating_sub(1))
            .map_or(line_text.len(), |(i, _)| i);
        start + byte
    }

    /// Moves an offset back onto a character boundary inside the text.
    pub fn clamp(&self, offset: usize) -> usize {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        offset
    }

    /// The span of the whole 1-based line `line`, without its line break.
    pub fn line_span(&self, line: usize) -> Span {
        let start = self.offset_of(line, 1);
        let end = self.text[start..]
            .find('\n')
            .map_or(self.text.len(), |i| start + i);
        Span::new(start, end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters_from_one() {
        let file = SourceFile::new("a".into(), "a".into(), "ab\n°cd\n\nx".into());
        assert_eq!(file.line_col(0), LineCol { line: 1, column: 1 });
        assert_eq!(file.line_col(3), LineCol { line: 2, column: 1 });
        // '°' is two bytes: 'c' is the second character of line 2.
        assert_eq!(file.line_col(5), LineCol { line: 2, column: 2 });
        assert_eq!(file.line_col(9), LineCol { line: 4, column: 1 });
        assert_eq!(file.line_col(999), LineCol { line: 4, column: 2 });
        assert_eq!(file.offset_of(2, 2), 5);
        assert_eq!(file.line_span(2), Span::new(3, 7));
    }
}

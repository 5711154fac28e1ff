//! Between perfcard's byte offsets and paths and the protocol's positions
//! (lines and UTF-16 columns) and URIs; perfcard diagnostics as LSP ones.

use std::path::{Path, PathBuf};

use lsp_types::{
    DiagnosticRelatedInformation, DiagnosticSeverity, Location, NumberOrString, Position, Range,
};

use crate::diagnostic::{Diagnostic, Severity};
use crate::SourceMap;
use crate::Span;

/// The starts of a text's lines, to turn offsets into positions and back.
pub struct LineIndex<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    pub fn new(text: &'a str) -> LineIndex<'a> {
        let starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        LineIndex { text, starts }
    }

    /// The position of a byte offset (clamped to the text, and moved back to
    /// a character boundary).
    pub fn position(&self, offset: usize) -> Position {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self
            .starts
            .partition_point(|&s| s <= offset)
            .saturating_sub(1);
        let start = self.starts[line];
        let character: usize = self.text[start..offset].chars().map(char::len_utf16).sum();
        Position::new(
            u32::try_from(line).unwrap_or(u32::MAX),
            u32::try_from(character).unwrap_or(u32::MAX),
        )
    }

    /// The byte offset of a position (a position past the end of its line
    /// is the line's end; past the last line, the text's end).
    pub fn offset(&self, position: Position) -> usize {
        let Some(&start) = self.starts.get(position.line as usize) else {
            return self.text.len();
        };
        let end = self
            .starts
            .get(position.line as usize + 1)
            .map_or(self.text.len(), |next| next - 1);
        let mut units = 0;
        for (i, c) in self.text[start..end].char_indices() {
            if units >= position.character as usize {
                return start + i;
            }
            units += c.len_utf16();
        }
        end
    }

    pub fn range(&self, start: usize, end: usize) -> Range {
        Range::new(self.position(start), self.position(end))
    }

    pub fn span_range(&self, span: Span) -> Range {
        self.range(span.start(), span.end())
    }
}

/// A `file:` URI for a path; anything else (an unsaved document) keeps the
/// URI it was opened with, so this is only used for files on disk.
pub fn uri_of(path: &Path) -> Option<url::Url> {
    url::Url::from_file_path(path).ok()
}

/// The path a URI stands for. A URI that is not a file (`untitled:`) gets a
/// path of its own under a folder that does not exist, so that it can be
/// checked alone.
pub fn path_of(uri: &url::Url) -> PathBuf {
    match uri.to_file_path() {
        Ok(path) => path,
        Err(()) => {
            let name: String = uri
                .as_str()
                .chars()
                .map(|c| {
                    if c.is_alphanumeric() || c == '.' {
                        c
                    } else {
                        '_'
                    }
                })
                .collect();
            std::env::temp_dir().join("perfcard-unsaved").join(name)
        }
    }
}

/// A perfcard diagnostic as the protocol's: the same code, message and
/// help as `perfcard check`, the label and related places as related
/// information.
pub fn diagnostic(
    d: &Diagnostic,
    sources: &SourceMap,
    index: &LineIndex,
    uri_of_file: &dyn Fn(&Path) -> Option<url::Url>,
) -> lsp_types::Diagnostic {
    let mut message = d.message.clone();
    if let Some(help) = &d.help {
        message.push_str("\nhelp: ");
        message.push_str(help);
    }
    let own_uri = uri_of_file(&sources.get(d.span.file).path);
    let mut related = Vec::new();
    if !d.label.is_empty() {
        if let Some(uri) = own_uri.clone() {
            related.push(DiagnosticRelatedInformation {
                location: Location::new(uri, index.span_range(d.span)),
                message: d.label.clone(),
            });
        }
    }
    for (span, label) in &d.related {
        let file = sources.get(span.file);
        if let Some(uri) = uri_of_file(&file.path) {
            let other = LineIndex::new(&file.text);
            related.push(DiagnosticRelatedInformation {
                location: Location::new(uri, other.span_range(*span)),
                message: label.clone(),
            });
        }
    }
    lsp_types::Diagnostic {
        range: index.span_range(d.span),
        severity: Some(match d.severity {
            Severity::Error => DiagnosticSeverity::ERROR,
            Severity::Warning => DiagnosticSeverity::WARNING,
        }),
        code: Some(NumberOrString::String(format!(
            "perfcard::{}",
            d.code.name()
        ))),
        code_description: None,
        source: Some("perfcard".into()),
        message,
        related_information: (!related.is_empty()).then_some(related),
        tags: None,
        data: d.help.as_ref().map(|h| serde_json::json!({ "help": h })),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_utf16_units() {
        let text = "ab\n£😀x\n";
        let index = LineIndex::new(text);
        assert_eq!(index.position(0), Position::new(0, 0));
        assert_eq!(index.position(3), Position::new(1, 0));
        // `£` is one UTF-16 unit (two bytes), the emoji two (four bytes).
        assert_eq!(index.position(5), Position::new(1, 1));
        assert_eq!(index.position(9), Position::new(1, 3));
        assert_eq!(index.offset(Position::new(1, 3)), 9);
        assert_eq!(index.offset(Position::new(1, 99)), 10);
        assert_eq!(index.offset(Position::new(9, 0)), text.len());
        // Inside a character: back to its start.
        assert_eq!(index.position(4), Position::new(1, 0));
    }
}

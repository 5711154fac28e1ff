//! The files of one run, with a line index each.

use std::path::PathBuf;
use std::sync::Arc;

use miette::{MietteError, MietteSpanContents, SourceCode, SourceSpan, SpanContents};

use crate::syntax::span::{FileId, Span};

/// One source file: its name as shown to the user, and its text.
#[derive(Debug)]
pub struct SourceFile {
    /// The path as the user would write it (relative to where they ran
    /// perfcard, or `REV:path` for a file read from git).
    pub name: String,
    /// Where it was read from, resolved (for include confinement).
    pub path: PathBuf,
    pub text: Arc<str>,
    line_starts: Vec<usize>,
}

impl SourceFile {
    pub fn new(name: String, path: PathBuf, text: Arc<str>) -> SourceFile {
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        SourceFile {
            name,
            path,
            text,
            line_starts,
        }
    }

    /// The 0-based line of a byte offset.
    pub fn line_of(&self, offset: usize) -> usize {
        self.line_starts
            .partition_point(|&start| start <= offset)
            .saturating_sub(1)
    }

    /// Where the 0-based `line` starts and ends (before its `\n`).
    pub fn line_range(&self, line: usize) -> Option<(usize, usize)> {
        let start = *self.line_starts.get(line)?;
        let end = self
            .line_starts
            .get(line + 1)
            .map_or(self.text.len(), |next| next - 1);
        Some((start, end))
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = self.line_of(offset);
        let start = self.line_starts[line];
        let column = self
            .text
            .get(start..offset)
            .map_or(0, |s| s.chars().count());
        (line + 1, column + 1)
    }

    /// The text of a span (empty if the span is not on a char boundary).
    pub fn slice(&self, span: Span) -> &str {
        self.text.get(span.start()..span.end()).unwrap_or("")
    }
}

impl SourceCode for SourceFile {
    /// Like miette's own implementation for `str`, but it looks only at the
    /// lines around the span (found through the line index), so the cost of
    /// a diagnostic does not depend on where in the file it is.
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let end = span.offset() + span.len();
        if end > self.text.len() {
            return Err(MietteError::OutOfBounds);
        }
        let first_line = self
            .line_of(span.offset())
            .saturating_sub(context_lines_before);
        let last_line =
            self.line_of(end.saturating_sub(1).max(span.offset())) + context_lines_after + 1;
        let window_start = self.line_starts[first_line];
        let window_end = self
            .line_starts
            .get(last_line + 1)
            .copied()
            .unwrap_or(self.text.len());
        let window = &self.text[window_start..window_end];
        let local = SourceSpan::new((span.offset() - window_start).into(), span.len());
        let contents = window.read_span(&local, context_lines_before, context_lines_after)?;
        let data: &'a [u8] = contents.data();
        let shifted = SourceSpan::new(
            (contents.span().offset() + window_start).into(),
            contents.span().len(),
        );
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            data,
            shifted,
            contents.line() + first_line,
            contents.column(),
            contents.line_count(),
        )))
    }
}

/// Every file read in one run; a [`FileId`] indexes it.
#[derive(Debug, Default)]
pub struct SourceMap {
    files: Vec<Arc<SourceFile>>,
}

impl SourceMap {
    pub fn add(&mut self, file: SourceFile) -> FileId {
        let id = FileId(u32::try_from(self.files.len()).unwrap_or(u32::MAX));
        self.files.push(Arc::new(file));
        id
    }

    pub fn get(&self, id: FileId) -> &Arc<SourceFile> {
        &self.files[id.0 as usize]
    }

    pub fn files(&self) -> impl Iterator<Item = (FileId, &Arc<SourceFile>)> {
        self.files
            .iter()
            .enumerate()
            .map(|(i, f)| (FileId(i as u32), f))
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column() {
        let file = SourceFile::new("a.perf".into(), "a.perf".into(), "ab\ncdé\nf".into());
        assert_eq!(file.line_col(0), (1, 1));
        assert_eq!(file.line_col(3), (2, 1));
        assert_eq!(file.line_col(7), (2, 4)); // after the two-byte é
        assert_eq!(file.line_col(8), (3, 1));
    }

    #[test]
    fn windowed_span_matches_whole_file() {
        let text: String = (0..50).map(|i| format!("line {i}\n")).collect();
        let file = SourceFile::new("a.perf".into(), "a.perf".into(), text.as_str().into());
        let offset = text.find("line 30").unwrap();
        let span = SourceSpan::new(offset.into(), 4);
        let mine = file.read_span(&span, 1, 1).unwrap();
        let theirs = text.as_str().read_span(&span, 1, 1).unwrap();
        assert_eq!(mine.data(), theirs.data());
        assert_eq!(mine.line(), theirs.line());
        assert_eq!(mine.column(), theirs.column());
        assert_eq!(mine.span(), theirs.span());
    }
}

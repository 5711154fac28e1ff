//! Where something is in the source: a file and a byte range.

use std::fmt;

/// An index into the [`SourceMap`](crate::source::SourceMap) of a run.
#[derive(Clone, Copy, Debug, Default, Eq, Hash, PartialEq, Ord, PartialOrd)]
pub struct FileId(pub u32);

/// A byte range in one source file.
///
/// Spans never take part in equality: `a == b` is always true for two spans,
/// so that every AST and model type can derive `PartialEq` and two documents
/// compare equal when they mean the same, however they are laid out. Use
/// [`Span::same_place`] to compare positions.
#[derive(Clone, Copy, Default)]
pub struct Span {
    pub file: FileId,
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(file: FileId, start: usize, end: usize) -> Span {
        Span { file, start, end }
    }

    /// Whether two spans cover the same bytes of the same file.
    pub fn same_place(&self, other: &Span) -> bool {
        self.file == other.file && self.start == other.start && self.end == other.end
    }

    /// The smallest span covering both (which must be in the same file).
    pub fn to(&self, other: Span) -> Span {
        Span::new(
            self.file,
            self.start.min(other.start),
            self.end.max(other.end),
        )
    }

    pub fn len(&self) -> usize {
        self.end.saturating_sub(self.start)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl PartialEq for Span {
    fn eq(&self, _: &Span) -> bool {
        true
    }
}

impl Eq for Span {}

impl fmt::Debug for Span {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}@{}..{}", self.file.0, self.start, self.end)
    }
}

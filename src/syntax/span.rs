//! Where something is in the source: a file and a byte range.

use std::fmt;

/// An index into the [`SourceMap`](crate::syntax::source::SourceMap) of a run.
#[derive(Clone, Copy, Debug, Default, Eq, Hash, PartialEq, Ord, PartialOrd)]
pub struct FileId(pub u32);

/// A byte range in one source file (files are at most 256 MiB, so offsets
/// fit in 32 bits and a span in 12 bytes: a large scorecard has millions).
///
/// Spans never take part in equality: `a == b` is always true for two spans,
/// so that every AST and model type can derive `PartialEq` and two documents
/// compare equal when they mean the same, however they are laid out. Use
/// [`Span::same_place`] to compare positions.
#[derive(Clone, Copy, Default)]
pub struct Span {
    pub file: FileId,
    lo: u32,
    hi: u32,
}

impl Span {
    pub fn new(file: FileId, start: usize, end: usize) -> Span {
        let clamp = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        Span {
            file,
            lo: clamp(start),
            hi: clamp(end),
        }
    }

    /// The first byte.
    pub fn start(&self) -> usize {
        self.lo as usize
    }

    /// One past the last byte.
    pub fn end(&self) -> usize {
        self.hi as usize
    }

    /// Whether two spans cover the same bytes of the same file.
    pub fn same_place(&self, other: &Span) -> bool {
        self.file == other.file && self.lo == other.lo && self.hi == other.hi
    }

    /// The smallest span covering both (which must be in the same file).
    pub fn to(&self, other: Span) -> Span {
        Span::new(
            self.file,
            self.start().min(other.start()),
            self.end().max(other.end()),
        )
    }

    pub fn len(&self) -> usize {
        self.end().saturating_sub(self.start())
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
        write!(f, "{}@{}..{}", self.file.0, self.lo, self.hi)
    }
}

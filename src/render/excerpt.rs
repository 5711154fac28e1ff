//! What a diagnostic shows of a file: the lines around its labels, each cut
//! to a bounded excerpt and with control characters shown escaped, so that
//! neither a 256 MiB line nor a terminal escape in a file reaches the
//! terminal as it is (docs/guarantees.md, "What perfcard prints").

use std::borrow::Cow;

use miette::{MietteError, MietteSpanContents, SourceCode, SourceSpan, SpanContents};

use crate::syntax::source::SourceFile;

/// How many bytes of a line an excerpt shows at most (a little more for a
/// multi-byte character or an escape at its edge).
pub const MAX_SHOWN: usize = 240;
/// How many bytes before the first label on a long line the excerpt starts.
const BEFORE_LABEL: usize = 80;

/// `text` with every control character other than tab and line feed shown
/// as Rust writes it in a string (`\u{1b}`), so that what a file holds is
/// printed, never run by the terminal.
pub fn visible(text: &str) -> Cow<'_, str> {
    if !text.chars().any(hidden) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if hidden(c) {
            out.push_str(&format!("\\u{{{:x}}}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

fn hidden(c: char) -> bool {
    c.is_control() && c != '\t' && c != '\n'
}

/// The lines of one file a diagnostic shows, as a miette source of its own.
/// Spans given to miette are in the excerpt's coordinates
/// ([`Excerpt::map`]); line numbers are the file's.
pub struct Excerpt {
    name: String,
    text: String,
    /// Each run of whole lines shown: its first line in the file (0-based)
    /// and where it starts and ends in `text`.
    segments: Vec<(usize, usize, usize)>,
    /// Original offsets of the labels, with their offsets in `text`.
    mapped: Vec<(usize, usize)>,
}

impl Excerpt {
    /// The excerpt of `file` that shows the byte ranges `spans`.
    pub fn new(file: &SourceFile, spans: &[(usize, usize)]) -> Excerpt {
        let source = file.text.as_ref();
        let mut ranges: Vec<(usize, usize)> = spans
            .iter()
            .map(|&(start, len)| {
                let start = start.min(source.len());
                let end = (start + len).min(source.len());
                let first = file.line_of(start).saturating_sub(1);
                let last = file.line_of(end.saturating_sub(1).max(start)) + 1;
                (first, last)
            })
            .collect();
        ranges.sort_unstable();
        let mut merged: Vec<(usize, usize)> = Vec::new();
        for (first, last) in ranges {
            match merged.last_mut() {
                Some(prev) if first <= prev.1 + 1 => prev.1 = prev.1.max(last),
                _ => merged.push((first, last)),
            }
        }
        let mut points: Vec<usize> = spans
            .iter()
            .flat_map(|&(start, len)| [start, start + len])
            .map(|o| o.min(source.len()))
            .collect();
        points.sort_unstable();
        points.dedup();
        let mut excerpt = Excerpt {
            name: visible(&file.name).into_owned(),
            text: String::new(),
            segments: Vec::new(),
            mapped: Vec::new(),
        };
        for (first, last) in merged {
            let start = excerpt.text.len();
            let mut line = first;
            while let Some((line_start, line_end)) = file.line_range(line) {
                if line > last {
                    break;
                }
                let here: Vec<usize> = points
                    .iter()
                    .copied()
                    .filter(|&p| p >= line_start && p <= line_end)
                    .collect();
                excerpt.push_line(source, line_start, line_end, &here);
                line += 1;
            }
            excerpt.segments.push((first, start, excerpt.text.len()));
        }
        excerpt
    }

    /// Adds one line (without its line break, which follows), cut around
    /// the first point on it when it is long, escaped; records where the
    /// `points` on it land.
    fn push_line(&mut self, source: &str, start: usize, end: usize, points: &[usize]) {
        let content_end =
            if source.as_bytes().get(end.wrapping_sub(1)) == Some(&b'\r') && end > start {
                end - 1
            } else {
                end
            };
        let (cut_start, cut_end) = if content_end - start <= MAX_SHOWN {
            (start, content_end)
        } else {
            let anchor = points.first().copied().unwrap_or(start).min(content_end);
            let from = floor_boundary(source, anchor.saturating_sub(BEFORE_LABEL).max(start));
            let to = floor_boundary(source, (from + MAX_SHOWN).min(content_end));
            (from, to)
        };
        let base = self.text.len();
        if cut_start > start {
            self.text.push('…');
        }
        let mut mapped_points = points.iter().copied().peekable();
        let record = |offset: usize, at: usize, mapped: &mut Vec<(usize, usize)>| {
            mapped.push((offset, at));
        };
        // Points before the cut land at its start.
        while let Some(&p) = mapped_points.peek() {
            if p >= cut_start {
                break;
            }
            record(p, base, &mut self.mapped);
            mapped_points.next();
        }
        for (i, c) in source[cut_start..cut_end].char_indices() {
            let offset = cut_start + i;
            while mapped_points.peek() == Some(&offset) {
                record(offset, self.text.len(), &mut self.mapped);
                mapped_points.next();
            }
            if hidden(c) {
                self.text.push_str(&format!("\\u{{{:x}}}", u32::from(c)));
            } else {
                self.text.push(c);
            }
        }
        // Points at or after the cut's end land at the end of what is shown.
        for p in mapped_points {
            record(p, self.text.len(), &mut self.mapped);
        }
        if cut_end < content_end {
            self.text.push('…');
        }
        self.text.push('\n');
    }

    /// Where the original offset `offset` is in the excerpt.
    pub fn map(&self, offset: usize) -> usize {
        self.mapped
            .iter()
            .find(|(o, _)| *o == offset)
            .map_or(0, |(_, at)| *at)
    }

    /// The span `(start, len)` of the file, in the excerpt's coordinates.
    pub fn span(&self, (start, len): (usize, usize)) -> (usize, usize) {
        let from = self.map(start);
        let to = self.map(start + len).max(from);
        (from, to - from)
    }
}

impl SourceCode for Excerpt {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let &(first_line, start, end) = self
            .segments
            .iter()
            .find(|(_, start, end)| span.offset() >= *start && span.offset() <= *end)
            .ok_or(MietteError::OutOfBounds)?;
        let segment = &self.text[start..end];
        let local_end = (span.offset() - start + span.len()).min(segment.len());
        let local = SourceSpan::new(
            (span.offset() - start).into(),
            local_end - (span.offset() - start),
        );
        let contents = segment.read_span(&local, context_lines_before, context_lines_after)?;
        let data: &'a [u8] = contents.data();
        let shifted = SourceSpan::new(
            (contents.span().offset() + start).into(),
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

/// The nearest character boundary at or before `at`.
fn floor_boundary(text: &str, mut at: usize) -> usize {
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_are_shown_escaped() {
        assert_eq!(
            visible("a\u{1b}]0;x\u{7}b\tc\n"),
            "a\\u{1b}]0;x\\u{7}b\tc\n"
        );
        assert_eq!(visible("\u{0}\u{9b}\u{7f}"), "\\u{0}\\u{9b}\\u{7f}");
        assert!(matches!(visible("plain £ text"), Cow::Borrowed(_)));
    }

    #[test]
    fn a_long_line_is_cut_around_its_label() {
        let text = format!("{}X{}\nnext\n", "a".repeat(10_000), "b".repeat(10_000));
        let file = SourceFile::new("f.perf".into(), "f.perf".into(), text.as_str().into());
        let excerpt = Excerpt::new(&file, &[(10_000, 1)]);
        assert!(excerpt.text.len() < 2 * MAX_SHOWN, "{}", excerpt.text.len());
        let (at, len) = excerpt.span((10_000, 1));
        assert_eq!(&excerpt.text[at..at + len], "X");
    }

    #[test]
    fn labels_move_with_the_escapes_before_them() {
        let text = "note \"\u{1b}[2J\" X\n";
        let file = SourceFile::new("f.perf".into(), "f.perf".into(), text.into());
        let x = text.find('X').unwrap();
        let excerpt = Excerpt::new(&file, &[(x, 1), (0, 4)]);
        let (at, len) = excerpt.span((x, 1));
        assert_eq!(&excerpt.text[at..at + len], "X");
        assert!(excerpt.text.contains("\\u{1b}[2J"));
    }
}

//! A quick scan of a file's characters before parsing.
//!
//! It finds what the grammar cannot report well: a string left open (pointed
//! at where it opened, not where the parser gave up), braces nested deeper
//! than [`MAX_DEPTH`] (which would otherwise recurse without bound), and the
//! position of every comment (which the grammar skips but the formatter keeps).

use crate::diagnostic::{Code, Diagnostic};
use crate::syntax::span::{FileId, Span};

/// How deeply `{` blocks may nest (groups within groups).
pub const MAX_DEPTH: usize = 48;
/// The longest line, in bytes (a generated file with no line breaks is
/// almost certainly not what its author meant to feed in).
pub const MAX_LINE: usize = 64 * 1024;
/// The longest string, in bytes (commentary runs to a few thousand).
pub const MAX_STRING: usize = 16 * 1024;

/// What the scan found.
#[derive(Debug, Default)]
pub struct Scan {
    /// Byte ranges of `//` comments, without the line break.
    pub comments: Vec<Span>,
    /// Problems that make parsing pointless.
    pub problems: Vec<Diagnostic>,
    /// Where each `{` that is never closed stands, outermost first.
    pub unclosed: Vec<usize>,
    /// The starts of lines outside every block that begin with a word: the
    /// places a large file can be cut to parse its parts in parallel.
    pub top_level_lines: Vec<usize>,
}

/// The bytes the scan stops at; it runs over all others in a tight loop
/// (it reads every byte of a file before the parser does, on one thread).
const SPECIAL: [bool; 256] = {
    let mut table = [false; 256];
    table[b'/' as usize] = true;
    table[b'"' as usize] = true;
    table[b'{' as usize] = true;
    table[b'}' as usize] = true;
    table[b'\n' as usize] = true;
    table[b'\r' as usize] = true;
    table
};

pub fn scan(file: FileId, text: &str) -> Scan {
    let mut result = Scan::default();
    let bytes = text.as_bytes();
    let mut open: Vec<usize> = Vec::new();
    // The last byte outside comments and whitespace (`"` for a string),
    // as of `settled`: the bytes between there and the next special byte
    // are looked at only when that byte is reached.
    let mut last_significant = 0u8;
    let mut settled = 0usize;
    let mut line_start = 0usize;
    let mut i = 0;
    while i < bytes.len() {
        while i < bytes.len() && !SPECIAL[usize::from(bytes[i])] {
            i += 1;
        }
        if let Some(&b) = bytes[settled.min(i)..i]
            .iter()
            .rev()
            .find(|b| !b.is_ascii_whitespace())
        {
            last_significant = b;
        }
        let Some(&byte) = bytes.get(i) else { break };
        match byte {
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                let end = memchr_newline(bytes, i);
                let end = if end > i && bytes[end - 1] == b'\r' {
                    end - 1
                } else {
                    end
                };
                result.comments.push(Span::new(file, i, end));
                i = end;
            }
            b'"' => {
                last_significant = byte;
                let start = i;
                i += 1;
                loop {
                    // The next quote, backslash or line break.
                    i = memchr::memchr3(b'"', b'\\', b'\n', &bytes[i..])
                        .map_or(bytes.len(), |p| i + p);
                    match bytes.get(i) {
                        Some(b'"') => {
                            if i - start - 1 > MAX_STRING {
                                result.problems.push(long_string(file, text, start, i));
                            }
                            break;
                        }
                        Some(b'\\') if bytes.get(i + 1).is_some_and(|&b| b != b'\n') => i += 2,
                        // A backslash at the end of the line escapes nothing.
                        Some(b'\\') => i += 1,
                        _ => {
                            result.problems.push(unterminated(file, text, start));
                            break;
                        }
                    }
                }
                i += 1;
            }
            b'{' => {
                last_significant = byte;
                open.push(i);
                if open.len() > MAX_DEPTH {
                    result.problems.push(
                        Diagnostic::new(
                            Code::Limit,
                            Span::new(file, i, i + 1),
                            format!("blocks are nested more than {MAX_DEPTH} deep"),
                        )
                        .label("too deep")
                        .help(
                            "groups rarely need more than a few levels; close some blocks with `}`",
                        ),
                    );
                    return result;
                }
                i += 1;
            }
            b'}' => {
                last_significant = byte;
                open.pop();
                i += 1;
            }
            // A carriage return on its own ends a line too (the grammar
            // takes it as one), so it counts for a line's length.
            b'\r' if bytes.get(i + 1) != Some(&b'\n') => {
                if i - line_start > MAX_LINE {
                    result.problems.push(long_line(file, text, line_start, i));
                    return result;
                }
                i += 1;
                line_start = i;
            }
            b'\r' => i += 1,
            b'\n' => {
                if i - line_start > MAX_LINE {
                    result.problems.push(long_line(file, text, line_start, i));
                    return result;
                }
                i += 1;
                line_start = i;
                // A cut is safe only where an item has just ended (a `}` at
                // the top level) and the next line starts another one.
                if open.is_empty() && last_significant == b'}' && starts_item(&bytes[i..]) {
                    result.top_level_lines.push(i);
                }
            }
            // A single `/`, as in `2017/18`.
            _ => {
                last_significant = byte;
                i += 1;
            }
        }
        settled = i;
    }
    if bytes.len() - line_start > MAX_LINE {
        result
            .problems
            .push(long_line(file, text, line_start, bytes.len()));
    }
    result.unclosed = open;
    result
}

/// A string from the quote at `start` to the one at `end` longer than
/// [`MAX_STRING`], pointed at its start.
fn long_string(file: FileId, text: &str, start: usize, end: usize) -> Diagnostic {
    let shown = shown_end(text, start);
    Diagnostic::new(
        Code::Limit,
        Span::new(file, start, shown),
        format!(
            "a string of {} bytes; strings may be at most {MAX_STRING}",
            end - start - 1
        ),
    )
    .label("this string is too long")
    .help("keep commentary to a few paragraphs; link to a longer document instead")
}

/// Where to end a span pointing at a long line or string from `start`: its
/// first 40 bytes or so, at a character boundary.
fn shown_end(text: &str, start: usize) -> usize {
    (start + 1..=start + 40)
        .rev()
        .find(|&e| text.is_char_boundary(e))
        .unwrap_or(start + 1)
}

/// A line from `start` to `end` longer than [`MAX_LINE`], pointed at its start.
fn long_line(file: FileId, text: &str, start: usize, end: usize) -> Diagnostic {
    let shown = shown_end(text, start);
    Diagnostic::new(
        Code::Limit,
        Span::new(file, start, shown),
        format!(
            "a line of {} bytes; lines may be at most {MAX_LINE}",
            end - start
        ),
    )
    .label("this line is too long")
    .help("write one field per line (`perfcard fmt` lays a file out so)")
}

/// Whether `line` starts with a keyword that begins a top-level item: the
/// keyword, then white space, a `"` or a `{` (as the grammar allows). The
/// cut points for parallel parsing and the parser's recovery after a syntax
/// error both use this one definition.
pub(crate) fn starts_item(line: &[u8]) -> bool {
    const KEYWORDS: [&[u8]; 6] = [
        b"measure",
        b"group",
        b"action",
        b"include",
        b"defaults",
        b"report",
    ];
    KEYWORDS.iter().any(|k| {
        line.starts_with(k)
            && line
                .get(k.len())
                .is_some_and(|&b| b.is_ascii_whitespace() || b == b'"' || b == b'{')
    })
}

fn memchr_newline(bytes: &[u8], from: usize) -> usize {
    bytes[from..]
        .iter()
        .position(|&b| b == b'\n')
        .map_or(bytes.len(), |p| from + p)
}

fn unterminated(file: FileId, text: &str, start: usize) -> Diagnostic {
    let line_end = memchr_newline(text.as_bytes(), start);
    let end = if line_end > start + 1 {
        line_end
    } else {
        start + 1
    };
    let end = (start + 1..=end)
        .rev()
        .find(|&e| text.is_char_boundary(e))
        .unwrap_or(start + 1);
    let end = if text.as_bytes().get(end.saturating_sub(1)) == Some(&b'\r') {
        end - 1
    } else {
        end
    };
    Diagnostic::new(Code::UnterminatedString, Span::new(file, start, end.max(start + 1)), "this string is never closed")
        .label("the string opened here runs to the end of the line")
        .help("add a closing `\"` on the same line; to put a quote inside a string write `\\\"`, and for a line break write `\\n`")
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The scan as first written, one byte at a time: the reference the fast
    /// one is held to.
    fn reference_scan(file: FileId, text: &str) -> Scan {
        let mut result = Scan::default();
        let bytes = text.as_bytes();
        let mut open: Vec<usize> = Vec::new();
        // The last byte outside comments and whitespace (`"` for a string).
        let mut last_significant = 0u8;
        let mut line_start = 0usize;
        let mut i = 0;
        while i < bytes.len() {
            let byte = bytes[i];
            let comment = byte == b'/' && bytes.get(i + 1) == Some(&b'/');
            if !byte.is_ascii_whitespace() && !comment {
                last_significant = byte;
            }
            match byte {
                b'/' if bytes.get(i + 1) == Some(&b'/') => {
                    let end = memchr_newline(bytes, i);
                    let end = if end > i && bytes[end - 1] == b'\r' {
                        end - 1
                    } else {
                        end
                    };
                    result.comments.push(Span::new(file, i, end));
                    i = end;
                }
                b'"' => {
                    let start = i;
                    i += 1;
                    loop {
                        match bytes.get(i) {
                            Some(b'"') => {
                                if i - start - 1 > MAX_STRING {
                                    let end = (start + 1..=start + 40)
                                        .rev()
                                        .find(|&e| text.is_char_boundary(e))
                                        .unwrap_or(start + 1);
                                    result.problems.push(
                                        Diagnostic::new(
                                            Code::Limit,
                                            Span::new(file, start, end),
                                            format!("a string of {} bytes; strings may be at most {MAX_STRING}", i - start - 1),
                                        )
                                        .label("this string is too long")
                                        .help("keep commentary to a few paragraphs; link to a longer document instead"),
                                    );
                                }
                                break;
                            }
                            Some(b'\\') if bytes.get(i + 1).is_some_and(|&b| b != b'\n') => i += 2,
                            Some(b'\n') | None => {
                                result.problems.push(unterminated(file, text, start));
                                break;
                            }
                            Some(_) => i += 1,
                        }
                    }
                    i += 1;
                }
                b'{' => {
                    open.push(i);
                    if open.len() > MAX_DEPTH {
                        result.problems.push(
                            Diagnostic::new(
                                Code::Limit,
                                Span::new(file, i, i + 1),
                                format!("blocks are nested more than {MAX_DEPTH} deep"),
                            )
                            .label("too deep")
                            .help(
                                "groups rarely need more than a few levels; close some blocks with `}`",
                            ),
                        );
                        return result;
                    }
                    i += 1;
                }
                b'}' => {
                    open.pop();
                    i += 1;
                }
                b'\r' if bytes.get(i + 1) != Some(&b'\n') => {
                    if i - line_start > MAX_LINE {
                        result.problems.push(long_line(file, text, line_start, i));
                        return result;
                    }
                    i += 1;
                    line_start = i;
                }
                b'\n' => {
                    if i - line_start > MAX_LINE {
                        result.problems.push(long_line(file, text, line_start, i));
                        return result;
                    }
                    i += 1;
                    line_start = i;
                    // A cut is safe only where an item has just ended (a `}` at
                    // the top level) and the next line starts another one.
                    if open.is_empty() && last_significant == b'}' && starts_item(&bytes[i..]) {
                        result.top_level_lines.push(i);
                    }
                }
                _ => i += 1,
            }
        }
        if bytes.len() - line_start > MAX_LINE {
            result
                .problems
                .push(long_line(file, text, line_start, bytes.len()));
        }
        result.unclosed = open;
        result
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        /// The fast scan finds exactly what the byte-by-byte one does, on
        /// text made of the characters it treats specially.
        #[test]
        fn the_fast_scan_is_the_reference_scan(
            pieces in proptest::collection::vec(prop_oneof![
                Just("/"), Just("//"), Just("\""), Just("\\"), Just("\n"), Just("\r\n"),
                Just("{"), Just("}"), Just(" "), Just("\t"), Just("x"), Just("é"),
                Just("measure A"), Just("group \"g\" {"), Just("2017/18"),
            ], 0..60)
        ) {
            let text: String = pieces.concat();
            let fast = scan(FileId(0), &text);
            let reference = reference_scan(FileId(0), &text);
            prop_assert_eq!(format!("{fast:?}"), format!("{reference:?}"));
        }
    }

    #[test]
    fn the_fast_scan_is_the_reference_scan_on_the_examples() {
        for path in [
            "examples/havering-2017-q1.perf",
            "tests/fixtures/fmt/messy.perf",
        ] {
            let Ok(text) = std::fs::read_to_string(path) else {
                continue;
            };
            assert_eq!(
                format!("{:?}", scan(FileId(0), &text)),
                format!("{:?}", reference_scan(FileId(0), &text)),
                "{path}"
            );
        }
    }

    #[test]
    fn finds_comments_but_not_in_strings() {
        let scan = scan(FileId(0), "a // one\n\"b // not\" // two\r\n");
        let texts: Vec<_> = scan.comments.iter().map(|s| (s.start(), s.end())).collect();
        assert_eq!(texts, vec![(2, 8), (20, 26)]);
        assert!(scan.problems.is_empty());
    }

    #[test]
    fn unclosed_string_points_at_its_start() {
        let scan = scan(FileId(0), "note 2017/18 Q1 \"abc\nmeasure");
        assert_eq!(scan.problems.len(), 1);
        assert_eq!(scan.problems[0].span.start(), 16);
        assert_eq!(scan.problems[0].code, Code::UnterminatedString);
    }

    #[test]
    fn escaped_quote_does_not_close() {
        assert!(scan(FileId(0), r#""a \" b""#).problems.is_empty());
        assert_eq!(scan(FileId(0), r#""a \""#).problems.len(), 1);
    }

    #[test]
    fn long_lines_and_strings_are_limits() {
        let line = format!(
            "measure A \"a\" {{ {} }}",
            "unit count ".repeat(MAX_LINE / 10)
        );
        assert_eq!(scan(FileId(0), &line).problems[0].code, Code::Limit);
        let string = format!("note 2017/18 Q1 \"{}\"\n", "é".repeat(MAX_STRING));
        let problems = scan(FileId(0), &string).problems;
        assert_eq!(
            (problems.len(), problems[0].code, problems[0].span.start()),
            (1, Code::Limit, 16)
        );
        let fine = format!("note 2017/18 Q1 \"{}\"\n", "x".repeat(MAX_STRING));
        assert!(scan(FileId(0), &fine).problems.is_empty());
        let over = format!("note 2017/18 Q1 \"{}\"\n", "x".repeat(MAX_STRING + 1));
        assert_eq!(scan(FileId(0), &over).problems.len(), 1);
    }

    #[test]
    fn a_carriage_return_alone_ends_a_line() {
        let lines = "unit count\r".repeat(MAX_LINE / 5);
        assert!(scan(FileId(0), &lines).problems.is_empty());
        let crlf = "unit count\r\n".repeat(MAX_LINE / 5);
        assert!(scan(FileId(0), &crlf).problems.is_empty());
        let long = format!("{}\r", "x".repeat(MAX_LINE + 1));
        assert_eq!(scan(FileId(0), &long).problems[0].code, Code::Limit);
    }

    #[test]
    fn deep_nesting_is_a_limit() {
        let text = "group \"a\" {".repeat(MAX_DEPTH + 1);
        let scan = scan(FileId(0), &text);
        assert_eq!(scan.problems[0].code, Code::Limit);
    }
}

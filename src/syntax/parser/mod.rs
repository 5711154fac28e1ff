//! From text to a typed [`Document`]: one `parse_*` function per grammar rule.
//!
//! The file is parsed one top-level item at a time (grammar rule `step`), so
//! only one item's pest tree is alive at once, and a syntax error in one item
//! does not hide the problems of the next: after an error the parser resumes
//! at the next line that starts with a top-level keyword.

mod items;
mod literals;

use std::str::FromStr;

use pest::Parser as _;

use crate::diagnostic::{Code, Diagnostic};
use crate::syntax::ast::*;
use crate::syntax::error;
use crate::syntax::grammar::{PerfParser, Rule};

use crate::syntax::scan;
use crate::syntax::span::{FileId, Span};
use items::ItemParser;

/// A parsed file: the document, its comments, and what went wrong.
#[derive(Debug, Default)]
pub struct Parsed {
    pub document: Document,
    pub comments: Vec<Span>,
    pub diagnostics: Vec<Diagnostic>,
    /// Whether any part of the file could not be read as the grammar says
    /// (the document then holds only the items that could).
    pub syntax_errors: bool,
}

/// Files larger than this are cut into parts parsed on separate threads.
const PARALLEL_FROM: usize = 256 * 1024;

/// Parses one file. Never fails: problems are in [`Parsed::diagnostics`].
///
/// A large file is cut at lines outside every block (found by the lexical
/// scan, so never inside a block) into one part per core; the parts are
/// parsed in parallel and their items joined in order.
pub fn parse(file: FileId, text: &str) -> Parsed {
    parse_with(file, text, true)
}

fn parse_with(file: FileId, text: &str, parallel: bool) -> Parsed {
    let scan = scan::scan(file, text);
    let mut parsed = Parsed {
        comments: scan.comments,
        ..Parsed::default()
    };
    if !scan.problems.is_empty() {
        parsed.diagnostics = scan.problems;
        parsed.syntax_errors = true;
        return parsed;
    }
    // A byte-order mark (as some editors and Excel write) is not text.
    let start = if text.starts_with('\u{feff}') {
        '\u{feff}'.len_utf8()
    } else {
        0
    };
    let cuts = if parallel {
        cut_points(text.len(), &scan.top_level_lines)
    } else {
        Vec::new()
    };
    let bounds: Vec<(usize, usize)> = std::iter::once(start)
        .chain(cuts.iter().copied())
        .zip(cuts.iter().copied().chain(std::iter::once(text.len())))
        .collect();
    let last = bounds.len() - 1;
    let numbered: Vec<(usize, usize, usize)> = bounds
        .iter()
        .enumerate()
        .map(|(i, &(from, to))| (i, from, to))
        .collect();
    let parts: Vec<Part> = crate::parallel::map(&numbered, |&(i, from, to)| {
        // Only the last part can end inside an unclosed block.
        let unclosed: &[usize] = if i == last { &scan.unclosed } else { &[] };
        parse_part(file, &text[..to], from, unclosed)
    });
    // Recovery after a syntax error carries state from one item to the next
    // (where it resumes, the `}`s still owed to skipped openings) that parts
    // parsed on their own cannot share: a file with a syntax error anywhere
    // is parsed again on one thread, so that its diagnostics and items are
    // exactly those of `parse_sequential`. Without one, every part begins
    // and ends between complete items and parses as one thread would.
    if parts.len() > 1 && parts.iter().any(|part| part.syntax_errors) {
        let part = parse_part(file, text, start, &scan.unclosed);
        parsed.document.items = part.items;
        parsed.diagnostics = part.diagnostics;
        parsed.syntax_errors = part.syntax_errors;
        return parsed;
    }
    for part in parts {
        parsed.document.items.extend(part.items);
        parsed.diagnostics.extend(part.diagnostics);
        parsed.syntax_errors |= part.syntax_errors;
    }
    parsed
}

/// Parses one file on this thread only (to compare with [`parse`]).
#[doc(hidden)]
pub fn parse_sequential(file: FileId, text: &str) -> Parsed {
    parse_with(file, text, false)
}

/// Where to cut a file of `len` bytes: at most one cut per extra core, each
/// at the first top-level line after an even share of the text.
fn cut_points(len: usize, lines: &[usize]) -> Vec<usize> {
    let cores = crate::parallel::cores();
    if len < PARALLEL_FROM || cores < 2 {
        return Vec::new();
    }
    let mut cuts: Vec<usize> = (1..cores)
        .filter_map(|k| {
            let aim = len / cores * k;
            let i = lines.partition_point(|&l| l < aim);
            lines.get(i).copied()
        })
        .collect();
    cuts.dedup();
    cuts
}

/// The items of one part of a file, and what went wrong in it.
struct Part {
    items: Vec<Item>,
    diagnostics: Vec<Diagnostic>,
    syntax_errors: bool,
}

/// Parses `text[start..]` one top-level item at a time (`text` ends where
/// the part does; offsets are the file's).
fn parse_part(file: FileId, text: &str, start: usize, unclosed: &[usize]) -> Part {
    let mut parser = ItemParser {
        file,
        offset: 0,
        diagnostics: Vec::new(),
    };
    let mut items = Vec::new();
    let mut syntax_errors = false;
    let mut pos = start;
    // `}`s still to come for blocks whose opening the recovery skipped.
    let mut orphans = 0usize;
    while pos <= text.len() {
        if let Some((group, end)) = stream_group(&mut parser, text, pos) {
            items.push(group);
            pos = end;
            continue;
        }
        parser.offset = pos;
        match PerfParser::parse(Rule::step, &text[pos..]) {
            Ok(mut pairs) => {
                let Some(step) = pairs.next() else { break };
                let Some(inner) = step.into_inner().next() else {
                    break;
                };
                if inner.as_rule() == Rule::EOI {
                    break;
                }
                let end = pos + inner.as_span().end();
                if let Some(item) = parser.parse_item(inner) {
                    items.push(item);
                }
                pos = end;
            }
            Err(error) => {
                let at = pos + error::location(&error);
                // After an error, the `}` of a block whose opening line was
                // skipped is no news: step over it.
                if orphans > 0 && text[at..].starts_with('}') && text[pos..at].trim().is_empty() {
                    orphans -= 1;
                    pos = at + 1;
                    continue;
                }
                syntax_errors = true;
                let diagnostic = match unclosed_at_end(file, text, at, unclosed) {
                    Some(diagnostic) => diagnostic,
                    None => error::describe(file, text, at, &error),
                };
                parser.diagnostics.push(diagnostic);
                match resume_point(text, pos, at) {
                    Some(next) => {
                        orphans += open_braces(&text[pos..next]);
                        pos = next;
                    }
                    None => break,
                }
            }
        }
    }
    syntax_errors |= parser.diagnostics.iter().any(|d| d.code == Code::Syntax);
    Part {
        items,
        diagnostics: parser.diagnostics,
        syntax_errors,
    }
}

/// Reads the group that starts at `pos` (after white space and comments)
/// one item at a time, nested groups by an explicit stack: pest's tokens
/// for one item at a time are all that is held, however large the group,
/// where parsing the group whole would hold tokens for all of it (some
/// 30 times the size of the text; docs/guarantees.md, "Memory").
///
/// `None` when no group starts there, or anything in it is not as the
/// grammar says: the caller then parses the item whole, as before, so that
/// the diagnostics and their recovery are exactly those of a whole parse.
fn stream_group(parser: &mut ItemParser, text: &str, pos: usize) -> Option<(Item, usize)> {
    let diagnostics = parser.diagnostics.len();
    let streamed = stream_group_items(parser, text, pos);
    if streamed.is_none() {
        parser.diagnostics.truncate(diagnostics);
    }
    streamed
}

fn stream_group_items(parser: &mut ItemParser, text: &str, pos: usize) -> Option<(Item, usize)> {
    // The groups open: name, where the keyword is, items so far.
    let mut open: Vec<(Text, usize, Vec<Item>)> = Vec::new();
    let mut at = pos;
    loop {
        parser.offset = at;
        // pest is asked only where a group may start: a failed parse costs
        // more than this look at the next word.
        let head = starts_group(&text[at..])
            .then(|| PerfParser::parse(Rule::group_head_step, &text[at..]).ok())
            .flatten();
        if let Some(mut pairs) = head {
            let head = pairs.next()?.into_inner().next()?;
            let start = at + head.as_span().start();
            let end = at + head.as_span().end();
            let name = head
                .into_inner()
                .find(|p| p.as_rule() == Rule::string)
                .and_then(|p| parser.parse_string(p))?;
            open.push((name, start, Vec::new()));
            at = end;
            continue;
        }
        if open.is_empty() {
            return None;
        }
        let step = PerfParser::parse(Rule::group_step, &text[at..])
            .ok()?
            .next()?;
        let inner = step.into_inner().next()?;
        let end = at + inner.as_span().end();
        if inner.as_rule() == Rule::close {
            let (name, start, items) = open.pop()?;
            let group = Item::Group(Group {
                name,
                items,
                span: Span::new(parser.file, start, end),
            });
            match open.last_mut() {
                Some((_, _, outer)) => outer.push(group),
                None => return Some((group, end)),
            }
        } else {
            // An item the grammar reads but that says nothing (its problem
            // is a diagnostic) is left out, as in a whole parse.
            let item = parser.parse_inner_item(inner);
            open.last_mut()?.2.extend(item);
        }
        at = end;
    }
}

/// Whether the next word of `text`, after white space and `//` comments,
/// is the keyword `group` (as `kw_group` in the grammar reads it).
fn starts_group(text: &str) -> bool {
    let bytes = text.as_bytes();
    let mut i = 0;
    loop {
        while i < bytes.len() && matches!(bytes[i], b' ' | b'\t'..=b'\r') {
            i += 1;
        }
        if bytes[i..].starts_with(b"//") {
            i = memchr::memchr(b'\n', &bytes[i..]).map_or(bytes.len(), |p| i + p);
            continue;
        }
        break;
    }
    let rest = &text[i..];
    rest.starts_with("group")
        && !rest["group".len()..]
            .chars()
            .next()
            .is_some_and(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.'))
}

/// How many more `{` than `}` a stretch of text holds (outside strings
/// and comments).
fn open_braces(text: &str) -> usize {
    let scan = scan::scan(FileId(0), text);
    scan.unclosed.len()
}

/// When the parser ran out of text inside a block: the block left open.
fn unclosed_at_end(file: FileId, text: &str, at: usize, unclosed: &[usize]) -> Option<Diagnostic> {
    let rest = text.get(at..)?;
    let only_comments = rest
        .lines()
        .all(|l| l.trim().is_empty() || l.trim_start().starts_with("//"));
    let &brace = unclosed.last()?;
    if !only_comments {
        return None;
    }
    let line_start = text[..brace].rfind('\n').map_or(0, |i| i + 1);
    let opener = text[line_start..brace].trim();
    Some(
        Diagnostic::new(Code::Syntax, Span::new(file, brace, brace + 1), format!("`{opener} {{` is never closed"))
            .label("this `{` has no matching `}`")
            .help("add the missing `}`: at the end of this block, or at the end of a measure or group inside it that lacks one"),
    )
}

/// After a syntax error at `at` (in an item that started at `pos`): where
/// parsing can sensibly go on. That is the error's own position when it
/// stands at the start of a line on a keyword that begins an item (a
/// measure after one whose `}` is missing), else the next such line.
fn resume_point(text: &str, pos: usize, at: usize) -> Option<usize> {
    let starts_item = |line: &str| scan::starts_item(line.trim_start().as_bytes());
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    if at > pos && text[line_start..at].trim().is_empty() && starts_item(&text[at..]) {
        return Some(at);
    }
    let mut next = text[at..].find('\n').map(|i| at + i + 1)?;
    while next < text.len() {
        if starts_item(&text[next..]) {
            return Some(next);
        }
        next = text[next..].find('\n').map(|i| next + i + 1)?;
    }
    None
}

/// The longest `lag` accepted, in quarters.
pub const MAX_LAG: u32 = 40;

impl FromStr for Document {
    type Err = Vec<Diagnostic>;

    /// Parses a document on its own (file 0), failing on any error.
    fn from_str(text: &str) -> Result<Document, Vec<Diagnostic>> {
        let parsed = parse(FileId(0), text);
        if parsed.diagnostics.iter().any(Diagnostic::is_error) {
            Err(parsed.diagnostics)
        } else {
            Ok(parsed.document)
        }
    }
}

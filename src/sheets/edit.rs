//! Writing figures into `.perf` text without touching anything else.
//!
//! Each change becomes an insertion (or, for a restatement, the
//! replacement of one row's reading) at a byte offset found from the
//! syntax tree's spans: a new `actual` row goes into the measure's
//! `actual { … }` block if it has one, else beside its one-line `actual`s,
//! else after its targets; always in period order, with the indentation
//! and value alignment of the row beside it. Every other byte of every
//! file stays as it was.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

use super::plan::{Change, NewReading};
use crate::ast::{self, Item, MeasureField};
use crate::load::Loaded;
use crate::model::Model;
use crate::period::Period;
use crate::syntax::format::string;
use crate::{FileId, Span};

/// A file's old and new text.
#[derive(Clone, Debug)]
pub struct FileEdit {
    pub file: FileId,
    /// The name as shown to the user.
    pub name: String,
    /// Where it was read from (resolved).
    pub path: PathBuf,
    pub old: Arc<str>,
    pub new: String,
}

/// An insertion or replacement: `[start, end)` becomes `text`. `order`
/// keeps insertions at the same offset in the order they were made.
struct Splice {
    start: usize,
    end: usize,
    order: usize,
    text: String,
}

/// The new text of every file a change touches, in file order.
pub fn apply(loaded: &Loaded, model: &Model, changes: &[Change]) -> Vec<FileEdit> {
    let mut by_measure: BTreeMap<usize, Vec<&Change>> = BTreeMap::new();
    for change in changes {
        let measure = match change {
            Change::Add { measure, .. }
            | Change::Restate { measure, .. }
            | Change::Note { measure, .. } => *measure,
        };
        by_measure.entry(measure).or_default().push(change);
    }
    let mut splices: BTreeMap<FileId, Vec<Splice>> = BTreeMap::new();
    let mut order = 0;
    for (measure, changes) in by_measure {
        let def = &model.measures[measure];
        let file = def.span.file;
        let Some(ast) = loaded
            .file(file)
            .and_then(|f| find_measure(&f.parsed.document.items, def.span))
        else {
            continue;
        };
        let text = &loaded.sources.get(file).text;
        let out = splices.entry(file).or_default();
        let mut changes = changes;
        // Figures first, then notes; each in period order.
        changes.sort_by_key(|c| match c {
            Change::Add { period, .. } | Change::Restate { period, .. } => (0, *period),
            Change::Note { period, .. } => (1, *period),
        });
        for change in changes {
            order += 1;
            if let Some(mut splice) = splice_for(text, ast, change) {
                splice.order = order;
                out.push(splice);
            }
        }
    }
    let mut edits = Vec::new();
    for (file, mut list) in splices {
        let source = loaded.sources.get(file);
        let old = source.text.clone();
        list.sort_by_key(|s| (s.start, s.order));
        let mut new = String::with_capacity(old.len() + 256);
        let mut at = 0;
        for s in &list {
            new.push_str(&old[at..s.start]);
            new.push_str(&s.text);
            at = s.end.max(s.start);
        }
        new.push_str(&old[at..]);
        edits.push(FileEdit {
            file,
            name: source.name.clone(),
            path: source.path.clone(),
            old,
            new,
        });
    }
    edits
}

fn find_measure(items: &[Item], id: Span) -> Option<&ast::Measure> {
    items.iter().find_map(|item| match item {
        Item::Measure(m) if m.id.span.same_place(&id) => Some(m),
        Item::Group(g) => find_measure(&g.items, id),
        _ => None,
    })
}

fn reading_text(reading: &NewReading) -> String {
    match reading {
        NewReading::Value {
            text,
            provisional: false,
        } => text.clone(),
        NewReading::Value {
            text,
            provisional: true,
        } => format!("{text} provisional"),
        NewReading::NotAvailable { reason: None } => "n/a".into(),
        NewReading::NotAvailable { reason: Some(r) } => format!("n/a {}", string(r)),
    }
}

/// Lines of the text: where one starts, ends, and how it is indented.
struct Lines<'a> {
    text: &'a str,
    newline: &'static str,
}

impl Lines<'_> {
    fn start(&self, at: usize) -> usize {
        self.text[..at].rfind('\n').map_or(0, |i| i + 1)
    }

    /// The offset of the line's `\n` (or `\r\n`), or the end of the text.
    fn end(&self, at: usize) -> usize {
        let end = self.text[at..]
            .find('\n')
            .map_or(self.text.len(), |i| at + i);
        if end > 0 && self.text.as_bytes().get(end - 1) == Some(&b'\r') {
            end - 1
        } else {
            end
        }
    }

    fn indent(&self, at: usize) -> &str {
        let start = self.start(at);
        let line = &self.text[start..];
        &line[..line.len() - line.trim_start_matches([' ', '\t']).len()]
    }

    /// Whether only spaces or a comment follow `at` on its line.
    fn rest_is_empty(&self, at: usize) -> bool {
        let rest = self.text[at..self.end(at)].trim();
        rest.is_empty() || rest.starts_with("//")
    }

    /// Whether only spaces come before `at` on its line.
    fn first_on_line(&self, at: usize) -> bool {
        self.text[self.start(at)..at].trim().is_empty()
    }

    /// An insertion of a whole line after the line holding `at`.
    fn after_line(&self, at: usize, line: String) -> Splice {
        let end = self.end(at);
        let (pos, text) = match self.text[end..]
            .strip_prefix(self.newline)
            .or_else(|| self.text[end..].strip_prefix('\n'))
        {
            Some(_) => {
                let nl = if self.text[end..].starts_with("\r\n") {
                    2
                } else {
                    1
                };
                (end + nl, format!("{line}{}", self.newline))
            }
            None => (end, format!("{}{line}", self.newline)),
        };
        Splice {
            start: pos,
            end: pos,
            order: 0,
            text,
        }
    }

    /// An insertion of a whole line before the line holding `at`.
    fn before_line(&self, at: usize, line: String) -> Splice {
        let pos = self.start(at);
        Splice {
            start: pos,
            end: pos,
            order: 0,
            text: format!("{line}{}", self.newline),
        }
    }
}

/// Where a row sits: its span, its period's span and its reading's start.
#[derive(Clone, Copy)]
struct Row {
    period: Period,
    span: Span,
    period_end: usize,
    reading_start: usize,
    /// The row is `actual P v` on its own (not in a block).
    single: bool,
}

fn rows(m: &ast::Measure) -> (Vec<Row>, Option<&ast::Actual>) {
    let mut rows = Vec::new();
    let mut block = None;
    for field in &m.fields {
        if let MeasureField::Actual(a) = field {
            if a.block && block.is_none() {
                block = Some(a);
            }
            for r in &a.rows {
                let reading_start = match &r.reading {
                    ast::Reading::Value { value, .. } => value.span.start(),
                    ast::Reading::NotAvailable { span, .. } => span.start(),
                };
                rows.push(Row {
                    period: r.period.period,
                    span: if a.block { r.span } else { a.span },
                    period_end: r.period.span.end(),
                    reading_start,
                    single: !a.block,
                });
            }
        }
    }
    (rows, block)
}

/// The text of a new row laid out like `like`: the same indentation, and
/// the reading in the same column when `like`'s readings are aligned.
fn row_like(lines: &Lines, like: &Row, keyword: &str, period: Period, reading: &str) -> String {
    let line_start = lines.start(like.span.start());
    let indent = lines.indent(like.span.start());
    let head = format!("{indent}{keyword}{period}");
    let aligned = like.reading_start.saturating_sub(like.period_end) > 1;
    let column = lines.text[line_start..like.reading_start].chars().count();
    let pad = if aligned && head.chars().count() < column {
        column - head.chars().count()
    } else {
        1
    };
    format!("{head}{}{reading}", " ".repeat(pad))
}

fn splice_for(text: &str, m: &ast::Measure, change: &Change) -> Option<Splice> {
    let lines = Lines {
        text,
        newline: if text.contains("\r\n") { "\r\n" } else { "\n" },
    };
    let (rows, block) = rows(m);
    match change {
        Change::Restate {
            period, reading, ..
        } => {
            let row = rows.iter().find(|r| r.period == *period)?;
            Some(Splice {
                start: row.reading_start,
                end: row.span.end(),
                order: 0,
                text: reading_text(reading),
            })
        }
        Change::Add {
            period, reading, ..
        } => {
            let reading = reading_text(reading);
            // Beside the rows of the block, else beside the one-line rows.
            let candidates: Vec<Row> = match block {
                Some(b) => rows
                    .iter()
                    .filter(|r| {
                        !r.single
                            && b.span.start() <= r.span.start()
                            && r.span.end() <= b.span.end()
                    })
                    .copied()
                    .collect(),
                None => rows.clone(),
            };
            let keyword = if block.is_some() { "" } else { "actual " };
            let prev = candidates
                .iter()
                .filter(|r| r.period < *period)
                .max_by_key(|r| r.period);
            let next = candidates
                .iter()
                .filter(|r| r.period > *period)
                .min_by_key(|r| r.period);
            if let Some(prev) = prev {
                if lines.rest_is_empty(prev.span.end()) {
                    let line = row_like(&lines, prev, keyword, *period, &reading);
                    return Some(lines.after_line(prev.span.end(), line));
                }
                let at = prev.span.end();
                return Some(Splice {
                    start: at,
                    end: at,
                    order: 0,
                    text: format!("  {keyword}{period} {reading}"),
                });
            }
            if let Some(next) = next {
                if lines.first_on_line(next.span.start()) {
                    let line = row_like(&lines, next, keyword, *period, &reading);
                    return Some(lines.before_line(next.span.start(), line));
                }
                let at = next.span.start();
                return Some(Splice {
                    start: at,
                    end: at,
                    order: 0,
                    text: format!("{keyword}{period} {reading}  "),
                });
            }
            Some(new_field(&lines, m, format!("actual {period} {reading}")))
        }
        Change::Note {
            period, text: note, ..
        } => {
            let field = format!("note {period} {}", string(note));
            let notes: Vec<(Period, Span)> = m
                .fields
                .iter()
                .filter_map(|f| match f {
                    MeasureField::Note(n) => Some((n.period.period, n.span)),
                    _ => None,
                })
                .collect();
            let prev = notes
                .iter()
                .filter(|(p, _)| p <= period)
                .max_by_key(|(p, s)| (*p, s.start()));
            let next = notes
                .iter()
                .filter(|(p, _)| p > period)
                .min_by_key(|(p, _)| *p);
            let beside = |span: Span, after: bool| {
                let line = format!("{}{field}", lines.indent(span.start()));
                if after && lines.rest_is_empty(span.end()) {
                    Some(lines.after_line(span.end(), line))
                } else if !after && lines.first_on_line(span.start()) {
                    Some(lines.before_line(span.start(), line))
                } else {
                    None
                }
            };
            let placed = match (prev, next) {
                (Some((_, s)), _) => beside(*s, true),
                (None, Some((_, s))) => beside(*s, false),
                _ => None,
            };
            // Else after the measure's actuals (or where a new one goes).
            placed.or_else(|| {
                let last_actual = m.fields.iter().rev().find_map(|f| match f {
                    MeasureField::Actual(a) => Some(a.span),
                    _ => None,
                });
                match last_actual {
                    Some(span)
                        if lines.rest_is_empty(span.end()) && lines.first_on_line(span.start()) =>
                    {
                        let line = format!("{}{field}", lines.indent(span.start()));
                        Some(lines.after_line(span.end(), line))
                    }
                    _ => Some(new_field(&lines, m, field)),
                }
            })
        }
    }
}

/// A new field line in a measure that has no row to stand beside: after
/// its last target or baseline, else its last setting, else before its
/// closing brace.
fn new_field(lines: &Lines, m: &ast::Measure, field: String) -> Splice {
    // A field that has a line of its own, below the measure's first line.
    let header_end = lines.end(m.span.start());
    let own_line = |s: &Span| s.start() > header_end && lines.rest_is_empty(s.end());
    let last_of = |wanted: fn(&MeasureField) -> bool| {
        m.fields
            .iter()
            .filter(|f| wanted(f))
            .map(field_span)
            .filter(own_line)
            .max_by_key(|s| s.end())
    };
    let anchor = last_of(|f| matches!(f, MeasureField::Target(_) | MeasureField::Baseline(_)))
        .or_else(|| last_of(|f| matches!(f, MeasureField::Setting(_))));
    if let Some(span) = anchor {
        let line = format!("{}{field}", lines.indent(span.start()));
        return lines.after_line(span.end(), line);
    }
    // The closing brace: the measure's last byte.
    let close = m.span.end().saturating_sub(1);
    if lines.first_on_line(close) {
        let line = format!("{}  {field}", lines.indent(close));
        return lines.before_line(close, line);
    }
    Splice {
        start: close,
        end: close,
        order: 0,
        text: format!("{field} "),
    }
}

fn field_span(field: &MeasureField) -> Span {
    match field {
        MeasureField::Setting(s) => match s {
            ast::Setting::Unit(_, span)
            | ast::Setting::Polarity(_, span)
            | ast::Setting::Cadence(_, span)
            | ast::Setting::Lag(_, span) => *span,
            ast::Setting::Owner(t) | ast::Setting::Lead(t) => t.span,
            ast::Setting::Tolerance(b) | ast::Setting::Amber(b) => b.literal.span,
        },
        MeasureField::Target(t) => t.span,
        MeasureField::Baseline(b) => b.span,
        MeasureField::Actual(a) => a.span,
        MeasureField::Benchmark(b) => b.span,
        MeasureField::Note(n) => n.span,
        MeasureField::Status(s) => s.span,
        MeasureField::Composite(c) => c.span,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `text` with `changes` (built from the checked model) applied.
    fn edited(text: &str, changes: impl Fn(&Model) -> Vec<Change>) -> String {
        let (loaded, checked) = crate::check_files(&[("card.perf", text)]).unwrap();
        assert!(!checked.has_errors(), "{:?}", checked.diagnostics);
        let changes = changes(&checked.model);
        let edits = apply(&loaded, &checked.model, &changes);
        assert_eq!(edits.len(), 1);
        let new = edits[0].new.clone();
        let (_, after) = crate::check_files(&[("card.perf", &new)]).unwrap();
        assert!(!after.has_errors(), "{new}\n{:?}", after.diagnostics);
        new
    }

    fn add(measure: usize, period: &str, text: &str) -> Change {
        Change::Add {
            measure,
            period: period.parse().unwrap(),
            reading: NewReading::Value {
                text: text.into(),
                provisional: false,
            },
        }
    }

    #[test]
    fn windows_line_ends_are_kept() {
        let text =
            "measure A \"t\" {\r\n  unit count\r\n  actual {\r\n    2017/18 Q1 1\r\n  }\r\n}\r\n";
        let new = edited(text, |_| vec![add(0, "2017/18 Q2", "2")]);
        assert_eq!(new, "measure A \"t\" {\r\n  unit count\r\n  actual {\r\n    2017/18 Q1 1\r\n    2017/18 Q2 2\r\n  }\r\n}\r\n");
    }

    #[test]
    fn an_earlier_period_goes_before_the_first_row() {
        let text = "measure A \"t\" {\n  unit count\n  actual {\n    2017/18 Q2 2\n  }\n}";
        let new = edited(text, |_| {
            vec![add(0, "2017/18 Q1", "1"), add(0, "2017/18 Q3", "3")]
        });
        assert_eq!(new, "measure A \"t\" {\n  unit count\n  actual {\n    2017/18 Q1 1\n    2017/18 Q2 2\n    2017/18 Q3 3\n  }\n}");
    }

    #[test]
    fn a_block_on_one_line_stays_on_one_line() {
        let text = "measure A \"t\" {\n  unit count\n  actual { 2017/18 Q1 1  2017/18 Q3 3 }\n}\n";
        let new = edited(text, |_| vec![add(0, "2017/18 Q2", "2")]);
        assert_eq!(new, "measure A \"t\" {\n  unit count\n  actual { 2017/18 Q1 1  2017/18 Q2 2  2017/18 Q3 3 }\n}\n");
    }

    #[test]
    fn an_empty_measure_gets_an_indented_line() {
        let text = "group \"G\" {\n    measure A \"t\" {\n    }\n}\n";
        let new = edited(text, |_| vec![add(0, "2017/18 Q1", "1")]);
        assert_eq!(
            new,
            "group \"G\" {\n    measure A \"t\" {\n      actual 2017/18 Q1 1\n    }\n}\n"
        );
    }

    #[test]
    fn a_restatement_replaces_the_reading_only() {
        let text = "measure A \"t\" {\n  unit count\n  actual {\n    2017/18 Q1   1 provisional  // first count\n  }\n}\n";
        let new = edited(text, |_| {
            vec![Change::Restate {
                measure: 0,
                period: "2017/18 Q1".parse().unwrap(),
                reading: NewReading::Value {
                    text: "2".into(),
                    provisional: false,
                },
            }]
        });
        assert_eq!(new, "measure A \"t\" {\n  unit count\n  actual {\n    2017/18 Q1   2  // first count\n  }\n}\n");
    }

    #[test]
    fn notes_go_in_period_order_after_the_actuals() {
        let text = "measure A \"t\" {\n  unit count\n  actual 2017/18 Q1 1\n  note 2017/18 Q1 \"one\"\n  status 2017/18 Q1 green\n}\n";
        let new = edited(text, |_| {
            vec![Change::Note {
                measure: 0,
                period: "2017/18 Q2".parse().unwrap(),
                text: "two \"quoted\"".into(),
            }]
        });
        assert_eq!(new, "measure A \"t\" {\n  unit count\n  actual 2017/18 Q1 1\n  note 2017/18 Q1 \"one\"\n  note 2017/18 Q2 \"two \\\"quoted\\\"\"\n  status 2017/18 Q1 green\n}\n");
        let text = "measure A \"t\" {\n  unit count\n  actual {\n    2017/18 Q1 1\n  }\n  status 2017/18 Q1 green\n}\n";
        let new = edited(text, |_| {
            vec![
                add(0, "2017/18 Q2", "2"),
                Change::Note {
                    measure: 0,
                    period: "2017/18 Q2".parse().unwrap(),
                    text: "two".into(),
                },
            ]
        });
        assert_eq!(new, "measure A \"t\" {\n  unit count\n  actual {\n    2017/18 Q1 1\n    2017/18 Q2 2\n  }\n  note 2017/18 Q2 \"two\"\n  status 2017/18 Q1 green\n}\n");
    }
}

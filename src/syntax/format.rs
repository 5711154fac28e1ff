//! The canonical layout of a `.perf` file (`perfcard fmt`).
//!
//! The formatter prints the AST back, one field per line, two spaces of
//! indentation per block, one blank line between items, `actual { }` rows
//! aligned as a table. Literals keep the author's spelling (`%`, `_`
//! separators, decimal places, fractions); periods, keywords and strings are
//! printed canonically. Comments are not in the AST: they are placed back by
//! position — a comment on its own line stays above the thing that follows
//! it, a comment after code stays at the end of that line.

use crate::period::{MONTH_ABBREVIATIONS, MONTH_NAMES};
use crate::syntax::ast::*;
use crate::syntax::parser::Parsed;
use crate::syntax::span::Span;

const INDENT: &str = "  ";

/// Formats a parsed file. The caller must make sure it parsed without
/// errors: a document that lost items to syntax errors would lose text.
pub fn format(source: &str, parsed: &Parsed) -> String {
    let mut f = Formatter {
        source,
        comments: &parsed.comments,
        next: 0,
        lines: Vec::new(),
        last_end: 0,
    };
    f.items(&parsed.document.items, 0, source.len());
    f.flush_before(source.len(), 0);
    render(&f.lines)
}

/// One output line: code (or a whole-line comment) and a trailing comment.
struct Line {
    depth: usize,
    code: String,
    comment: Option<String>,
}

impl Line {
    fn is_blank(&self) -> bool {
        self.code.is_empty() && self.comment.is_none()
    }

    /// A line ending in `{` with no comment: no blank line may follow it.
    fn opens_block(&self) -> bool {
        self.code.ends_with('{') && self.comment.is_none()
    }

    fn width(&self) -> usize {
        self.depth * INDENT.len() + self.code.chars().count()
    }
}

/// The lines as text, trailing comments of neighbouring lines aligned.
fn render(lines: &[Line]) -> String {
    let mut out = String::new();
    let mut i = 0;
    while i < lines.len() {
        // A run of consecutive lines that all have a trailing comment.
        let run_end = (i..lines.len())
            .find(|&j| lines[j].comment.is_none())
            .unwrap_or(lines.len())
            .max(i + 1);
        let column = lines[i..run_end].iter().map(Line::width).max().unwrap_or(0) + 2;
        for line in &lines[i..run_end] {
            if !line.is_blank() {
                out.push_str(&INDENT.repeat(line.depth));
                out.push_str(&line.code);
            }
            if let Some(comment) = &line.comment {
                out.push_str(&" ".repeat(column - line.width()));
                out.push_str(comment);
            }
            out.push('\n');
        }
        i = run_end;
    }
    while out.ends_with("\n\n") {
        out.pop();
    }
    if out == "\n" {
        out.clear();
    }
    out
}

struct Formatter<'a> {
    source: &'a str,
    comments: &'a [Span],
    /// The first comment not yet written.
    next: usize,
    lines: Vec<Line>,
    /// Where in the source the last thing written ended.
    last_end: usize,
}

impl Formatter<'_> {
    fn comment_text(&self, span: Span) -> String {
        self.source
            .get(span.start()..span.end())
            .unwrap_or("//")
            .trim_end()
            .to_string()
    }

    /// A blank line, unless there is one already or a block just opened.
    fn blank(&mut self) {
        match self.lines.last() {
            Some(line) if !line.is_blank() && !line.opens_block() => self.lines.push(Line {
                depth: 0,
                code: String::new(),
                comment: None,
            }),
            _ => {}
        }
    }

    /// Keeps one blank line where the author left one before `pos`.
    fn blank_if_source_had_one(&mut self, pos: usize) {
        let gap = self.source.get(self.last_end..pos).unwrap_or("");
        if gap.matches('\n').count() >= 2 {
            self.blank();
        }
    }

    /// Writes, each on its own line, the comments that start before `pos`.
    fn flush_before(&mut self, pos: usize, depth: usize) {
        while let Some(&comment) = self.comments.get(self.next) {
            if comment.start() >= pos {
                break;
            }
            self.blank_if_source_had_one(comment.start());
            let code = self.comment_text(comment);
            self.lines.push(Line {
                depth,
                code,
                comment: None,
            });
            self.last_end = comment.end();
            self.next += 1;
        }
    }

    /// Ends the current line with the comment that stood at the end of the
    /// source line where `end` is, if any.
    fn end_line(&mut self, end: usize) {
        self.last_end = end;
        if let Some(&comment) = self.comments.get(self.next) {
            let between = self.source.get(end..comment.start()).unwrap_or("\n");
            if comment.start() >= end && between.chars().all(|c| c == ' ' || c == '\t') {
                let text = self.comment_text(comment);
                if let Some(line) = self.lines.last_mut() {
                    line.comment = Some(text);
                }
                self.last_end = comment.end();
                self.next += 1;
            }
        }
    }

    fn push(&mut self, depth: usize, code: String) {
        self.lines.push(Line {
            depth,
            code,
            comment: None,
        });
    }

    /// One line for a node: its leading comments, the text, its trailing comment.
    fn line(&mut self, depth: usize, span: Span, text: &str) {
        self.flush_before(span.start(), depth);
        self.blank_if_source_had_one(span.start());
        self.push(depth, text.to_string());
        self.end_line(span.end());
    }

    /// Opens a block: `header {`, with the comment after the `{`.
    fn open(&mut self, depth: usize, span: Span, header: &str, after: usize) {
        self.flush_before(span.start(), depth);
        self.blank_if_source_had_one(span.start());
        self.push(depth, format!("{header} {{"));
        let brace = self
            .source
            .get(after..)
            .and_then(|rest| rest.find('{'))
            .map_or(after, |i| after + i + 1);
        self.end_line(brace);
    }

    /// Closes a block at `span.end`: the comments left inside it, then `}`.
    fn close(&mut self, depth: usize, span: Span) {
        let brace = span.end().saturating_sub(1);
        self.flush_before(brace, depth + 1);
        self.push(depth, "}".to_string());
        self.end_line(span.end());
    }

    fn items(&mut self, items: &[Item], depth: usize, _end: usize) {
        let mut previous: Option<&Item> = None;
        for item in items {
            let together = matches!((previous, item), (Some(Item::Include(_)), Item::Include(_)));
            if previous.is_some() && !together {
                self.blank();
            }
            self.item(item, depth);
            previous = Some(item);
        }
    }

    fn item(&mut self, item: &Item, depth: usize) {
        match item {
            Item::Report(r) => self.report(r, depth),
            Item::Defaults(d) => {
                self.open(depth, d.span, "defaults", d.span.start());
                for setting in &d.settings {
                    self.line(depth + 1, setting_span(setting), &setting_text(setting));
                }
                self.close(depth, d.span);
            }
            Item::Include(i) => {
                self.line(depth, i.span, &format!("include {}", string(&i.path.value)))
            }
            Item::Group(g) => {
                self.open(
                    depth,
                    g.span,
                    &format!("group {}", string(&g.name.value)),
                    g.name.span.end(),
                );
                self.items(&g.items, depth + 1, g.span.end());
                self.close(depth, g.span);
            }
            Item::Measure(m) => self.measure(m, depth),
            Item::Action(a) => self.action(a, depth),
        }
    }

    fn report(&mut self, r: &ReportHeader, depth: usize) {
        let header = match &r.title {
            Some(t) => format!("report {}", string(&t.value)),
            None => "report".to_string(),
        };
        let after = r.title.as_ref().map_or(r.span.start(), |t| t.span.end());
        self.open(depth, r.span, &header, after);
        for field in &r.fields {
            let (span, text) = match field {
                HeaderField::Organisation(t) => {
                    (t.span, format!("organisation {}", string(&t.value)))
                }
                HeaderField::Period(p) => (p.span, format!("period {}", p.period)),
                HeaderField::YearStart(month, span) => {
                    let name = MONTH_NAMES
                        .get(usize::from(*month).saturating_sub(1))
                        .copied()
                        .unwrap_or("april");
                    (*span, format!("year-start {name}"))
                }
            };
            self.line(depth + 1, span, &text);
        }
        self.close(depth, r.span);
    }

    fn measure(&mut self, m: &Measure, depth: usize) {
        let header = format!("measure {} {}", m.id.name, string(&m.title.value));
        self.open(depth, m.span, &header, m.title.span.end());
        for field in &m.fields {
            match field {
                MeasureField::Actual(a) if a.block => self.actual_block(a, depth + 1),
                MeasureField::Actual(a) => {
                    for row in &a.rows {
                        self.line(
                            depth + 1,
                            a.span,
                            &format!("actual {}", row_text(row, 0, 0)),
                        );
                    }
                }
                _ => self.line(depth + 1, field_span(field), &field_text(field)),
            }
        }
        self.close(depth, m.span);
    }

    fn actual_block(&mut self, a: &Actual, depth: usize) {
        self.open(depth, a.span, "actual", a.span.start());
        let period_width = a
            .rows
            .iter()
            .map(|r| r.period.period.to_string().len())
            .max()
            .unwrap_or(0);
        let value_width = a
            .rows
            .iter()
            .filter_map(|r| match &r.reading {
                Reading::Value {
                    value,
                    provisional: Some(_),
                } => Some(literal(value).chars().count()),
                _ => None,
            })
            .max()
            .unwrap_or(0);
        for row in &a.rows {
            self.line(
                depth + 1,
                row.span,
                &row_text(row, period_width, value_width),
            );
        }
        self.close(depth, a.span);
    }

    fn action(&mut self, a: &Action, depth: usize) {
        let header = format!("action {} {}", a.id.name, string(&a.title.value));
        self.open(depth, a.span, &header, a.title.span.end());
        for field in &a.fields {
            let (span, text) = match field {
                ActionField::Owner(t) => (t.span, format!("owner {}", string(&t.value))),
                ActionField::Lead(t) => (t.span, format!("lead {}", string(&t.value))),
                ActionField::Milestone(m) => {
                    let mut text =
                        format!("milestone {} {}", m.period.period, string(&m.title.value));
                    if m.done.is_some() {
                        text.push_str(" done");
                    }
                    if let Some(c) = &m.concern {
                        text.push_str(&format!(" concern {}", string(&c.value)));
                    }
                    (m.span, text)
                }
                ActionField::Note(n) => (n.span, note_text(n)),
                ActionField::Status(s) => (s.span, status_text(s)),
            };
            self.line(depth + 1, span, &text);
        }
        self.close(depth, a.span);
    }
}

/// A string literal with the language's escapes.
pub fn string(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A number as the author wrote it (the parser has dropped a leading `+`).
fn literal(l: &Literal) -> String {
    l.text.clone()
}

fn target_value(v: &TargetValue) -> String {
    match v {
        TargetValue::Value(l) => literal(l),
        TargetValue::Tbc(_) => "tbc".into(),
    }
}

fn row_text(row: &ActualRow, period_width: usize, value_width: usize) -> String {
    let period = format!("{:<period_width$}", row.period.period.to_string());
    match &row.reading {
        Reading::Value {
            value,
            provisional: Some(_),
        } => format!("{period} {:<value_width$} provisional", literal(value)),
        Reading::Value {
            value,
            provisional: None,
        } => format!("{period} {}", literal(value)),
        Reading::NotAvailable {
            reason: Some(r), ..
        } => format!("{period} n/a {}", string(&r.value)),
        Reading::NotAvailable { reason: None, .. } => format!("{period} n/a"),
    }
}

fn note_text(n: &Note) -> String {
    format!("note {} {}", n.period.period, string(&n.text.value))
}

fn status_text(s: &Status) -> String {
    let mut text = format!("status {} {}", s.period.period, s.rag.as_str());
    if let Some(why) = &s.why {
        text.push(' ');
        text.push_str(&string(&why.value));
    }
    text
}

fn setting_text(setting: &Setting) -> String {
    match setting {
        Setting::Unit(unit, _) => format!(
            "unit {}",
            match unit {
                Unit::Percent => "percent".to_string(),
                Unit::PercentChange => "percent-change".to_string(),
                Unit::Count => "count".to_string(),
                Unit::Number => "number".to_string(),
                Unit::Days => "days".to_string(),
                Unit::Money(None) => "money".to_string(),
                Unit::Money(Some(label)) => format!("money {}", string(label)),
                Unit::Other(text) => string(text),
            }
        ),
        Setting::Polarity(p, _) => format!("polarity {}", p.keyword()),
        Setting::Cadence(c, _) => format!("cadence {}", c.as_str()),
        Setting::Owner(t) => format!("owner {}", string(&t.value)),
        Setting::Lead(t) => format!("lead {}", string(&t.value)),
        Setting::Lag(n, None, _) => format!("lag {n}"),
        Setting::Lag(n, Some(LagUnit::Months), _) => format!("lag {n} months"),
        Setting::Lag(n, Some(LagUnit::Quarters), _) => format!("lag {n} quarters"),
        Setting::Tolerance(b) => format!("tolerance {}", literal(&b.literal)),
        Setting::Amber(b) => format!("amber {}", literal(&b.literal)),
        Setting::RedBeyond(b) => format!("red beyond {}", literal(&b.literal)),
        Setting::Year(kind, _) => format!("year {}", kind.as_str()),
        Setting::YearToDate(_) => "year-to-date".to_string(),
    }
}

fn setting_span(setting: &Setting) -> Span {
    match setting {
        Setting::Unit(_, s)
        | Setting::Polarity(_, s)
        | Setting::Cadence(_, s)
        | Setting::Year(_, s)
        | Setting::YearToDate(s)
        | Setting::Lag(_, _, s) => *s,
        Setting::Owner(t) | Setting::Lead(t) => t.span,
        Setting::Tolerance(b) | Setting::Amber(b) | Setting::RedBeyond(b) => b.literal.span,
    }
}

fn field_span(field: &MeasureField) -> Span {
    match field {
        MeasureField::Setting(s) => setting_span(s),
        MeasureField::Target(t) => t.span,
        MeasureField::Baseline(b) => b.span,
        MeasureField::Actual(a) => a.span,
        MeasureField::Benchmark(b) => b.span,
        MeasureField::Note(n) => n.span,
        MeasureField::Status(s) => s.span,
        MeasureField::Composite(c) => c.span,
    }
}

fn field_text(field: &MeasureField) -> String {
    match field {
        MeasureField::Setting(s) => setting_text(s),
        MeasureField::Target(t) => match &t.spec {
            TargetSpec::Value(v) => format!("target {} {}", t.period.period, target_value(v)),
            TargetSpec::Graduated(steps) => {
                let steps: Vec<String> = steps
                    .iter()
                    .map(|s| match s.step {
                        Step::Quarter(q) => format!("Q{q} {}", target_value(&s.value)),
                        Step::Month(m) => format!(
                            "{} {}",
                            MONTH_ABBREVIATIONS[usize::from(m.clamp(1, 12)) - 1],
                            target_value(&s.value)
                        ),
                    })
                    .collect();
                format!("target {} {{ {} }}", t.period.period, steps.join(" "))
            }
        },
        MeasureField::Baseline(b) => format!("baseline {} {}", b.period.period, literal(&b.value)),
        MeasureField::Actual(_) => String::new(),
        MeasureField::Benchmark(b) => format!(
            "benchmark {} {} {}",
            string(&b.name.value),
            b.period.period,
            literal(&b.value)
        ),
        MeasureField::Note(n) => note_text(n),
        MeasureField::Status(s) => status_text(s),
        MeasureField::Composite(c) => {
            let rule = c.rule.keyword();
            let ids: Vec<&str> = c.components.iter().map(|i| i.name.as_str()).collect();
            format!("composite {rule} of {}", ids.join(", "))
        }
    }
}

//! What is at an offset of a file: a node of the syntax tree (an id, a
//! composite component, a period, an include path) or a bare word.

use crate::ast::*;
use crate::Span;

/// The thing under the cursor.
#[derive(Clone, Debug)]
pub enum Node<'a> {
    /// A measure's id where it is declared.
    MeasureId(&'a Measure),
    /// An action's id where it is declared.
    ActionId(&'a Action),
    /// An id in a composite's list.
    Component(&'a Ident),
    Period(PeriodLit),
    Include(&'a Include),
}

fn covers(span: Span, offset: usize) -> bool {
    span.start() <= offset && offset <= span.end()
}

/// The innermost node at `offset`.
pub fn node_at(document: &Document, offset: usize) -> Option<Node<'_>> {
    items(&document.items, offset)
}

fn items(items: &[Item], offset: usize) -> Option<Node<'_>> {
    for item in items {
        let found = match item {
            Item::Report(header) if covers(header.span, offset) => {
                header.fields.iter().find_map(|f| match f {
                    HeaderField::Period(p) if covers(p.span, offset) => Some(Node::Period(*p)),
                    _ => None,
                })
            }
            Item::Include(include) if covers(include.span, offset) => Some(Node::Include(include)),
            Item::Group(group) if covers(group.span, offset) => self::items(&group.items, offset),
            Item::Measure(measure) if covers(measure.span, offset) => measure_node(measure, offset),
            Item::Action(action) if covers(action.span, offset) => action_node(action, offset),
            _ => None,
        };
        if found.is_some() {
            return found;
        }
    }
    None
}

fn period(p: &PeriodLit, offset: usize) -> Option<Node<'static>> {
    covers(p.span, offset).then_some(Node::Period(*p))
}

fn measure_node(measure: &Measure, offset: usize) -> Option<Node<'_>> {
    if covers(measure.id.span, offset) {
        return Some(Node::MeasureId(measure));
    }
    for field in &measure.fields {
        let found = match field {
            MeasureField::Target(t) => period(&t.period, offset),
            MeasureField::Baseline(b) => period(&b.period, offset),
            MeasureField::Actual(a) => a.rows.iter().find_map(|r| period(&r.period, offset)),
            MeasureField::Benchmark(b) => period(&b.period, offset),
            MeasureField::Note(n) => period(&n.period, offset),
            MeasureField::Status(s) => period(&s.period, offset),
            MeasureField::Composite(c) => c
                .components
                .iter()
                .find(|i| covers(i.span, offset))
                .map(Node::Component),
            MeasureField::Setting(_) => None,
        };
        if found.is_some() {
            return found;
        }
    }
    None
}

fn action_node(action: &Action, offset: usize) -> Option<Node<'_>> {
    if covers(action.id.span, offset) {
        return Some(Node::ActionId(action));
    }
    action.fields.iter().find_map(|field| match field {
        ActionField::Milestone(m) => period(&m.period, offset),
        ActionField::Note(n) => period(&n.period, offset),
        ActionField::Status(s) => period(&s.period, offset),
        _ => None,
    })
}

/// Every place an id is written in a document: declarations and composite
/// components.
pub fn id_uses<'a>(document: &'a Document, id: &str, out: &mut Vec<&'a Ident>) {
    fn walk<'a>(items: &'a [Item], id: &str, out: &mut Vec<&'a Ident>) {
        for item in items {
            match item {
                Item::Group(group) => walk(&group.items, id, out),
                Item::Measure(measure) => {
                    if measure.id.name == id {
                        out.push(&measure.id);
                    }
                    for field in &measure.fields {
                        if let MeasureField::Composite(c) = field {
                            out.extend(c.components.iter().filter(|i| i.name == id));
                        }
                    }
                }
                Item::Action(action) if action.id.name == id => out.push(&action.id),
                _ => {}
            }
        }
    }
    walk(&document.items, id, out);
}

/// The measure whose block holds `offset`, if any.
pub fn measure_at(document: &Document, offset: usize) -> Option<&Measure> {
    fn walk(items: &[Item], offset: usize) -> Option<&Measure> {
        items.iter().find_map(|item| match item {
            Item::Group(g) if covers(g.span, offset) => walk(&g.items, offset),
            Item::Measure(m) if covers(m.span, offset) => Some(m),
            _ => None,
        })
    }
    walk(&document.items, offset)
}

/// The word (letters, digits, `-`, `_`, `.`) around `offset`, with its start.
pub fn word_at(text: &str, offset: usize) -> Option<(usize, &str)> {
    let offset = offset.min(text.len());
    let is_word = |c: char| c.is_alphanumeric() || matches!(c, '-' | '_' | '.');
    let start = text[..offset]
        .char_indices()
        .rev()
        .take_while(|(_, c)| is_word(*c))
        .last()
        .map_or(offset, |(i, _)| i);
    let end = text[offset..]
        .char_indices()
        .find(|(_, c)| !is_word(*c))
        .map_or(text.len(), |(i, _)| offset + i);
    (start < end).then(|| (start, &text[start..end]))
}

/// Whether `offset` is inside a string or a comment on its line.
pub fn in_string_or_comment(text: &str, offset: usize) -> bool {
    let offset = offset.min(text.len());
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let mut in_string = false;
    let mut chars = text[line_start..offset].chars();
    let mut previous = ' ';
    while let Some(c) = chars.next() {
        match c {
            '\\' if in_string => {
                chars.next();
            }
            '"' => in_string = !in_string,
            '/' if !in_string && previous == '/' => return true,
            _ => {}
        }
        previous = c;
    }
    in_string
}

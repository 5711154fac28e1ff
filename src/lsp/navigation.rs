//! Go to definition (an include path → its file, a composite component →
//! its measure) and find references (an id → every place it is written, in
//! every file of the report).

use lsp_types::{Location, Position, Range};

use super::convert::{self, LineIndex};
use super::locate::{self, Node};
use super::workspace::Analysis;
use crate::{FileId, Span};

/// The URI of one of the analysis's files (an open document's own URI).
pub type UriOf<'a> = dyn Fn(&std::path::Path) -> Option<url::Url> + 'a;

fn location(analysis: &Analysis, span: Span, uri_of: &UriOf) -> Option<Location> {
    let file = analysis.loaded.sources.get(span.file);
    let index = LineIndex::new(&file.text);
    Some(Location::new(uri_of(&file.path)?, index.span_range(span)))
}

/// Where the thing at `offset` is defined.
pub fn definition(
    analysis: &Analysis,
    file: FileId,
    offset: usize,
    uri_of: &UriOf,
) -> Option<Location> {
    let loaded = analysis.loaded.file(file)?;
    match locate::node_at(&loaded.parsed.document, offset)? {
        Node::Include(include) => {
            let path = match analysis.loaded.included(file, include) {
                Some(id) => analysis.loaded.sources.get(id).path.clone(),
                None => {
                    // Not loaded (missing, or a cycle): where it would be.
                    let from = &analysis.loaded.sources.get(file).path;
                    from.parent()?.join(&include.path.value)
                }
            };
            let uri = uri_of(&path).or_else(|| convert::uri_of(&path))?;
            Some(Location::new(
                uri,
                Range::new(Position::new(0, 0), Position::new(0, 0)),
            ))
        }
        Node::Component(ident) => declaration(analysis, &ident.name, uri_of),
        Node::MeasureId(m) => location(analysis, m.id.span, uri_of),
        Node::ActionId(a) => location(analysis, a.id.span, uri_of),
        Node::Period(_) => None,
    }
}

fn declaration(analysis: &Analysis, id: &str, uri_of: &UriOf) -> Option<Location> {
    let model = &analysis.checked.model;
    let span = model
        .measure(id)
        .map(|m| m.span)
        .or_else(|| model.action(id).map(|a| a.span))?;
    location(analysis, span, uri_of)
}

/// Every place the id at `offset` is written (its declaration included when
/// `include_declaration`).
pub fn references(
    analysis: &Analysis,
    file: FileId,
    offset: usize,
    include_declaration: bool,
    uri_of: &UriOf,
) -> Vec<Location> {
    let Some(loaded) = analysis.loaded.file(file) else {
        return Vec::new();
    };
    let (name, declaration) = match locate::node_at(&loaded.parsed.document, offset) {
        Some(Node::MeasureId(m)) => (m.id.name.clone(), m.id.span),
        Some(Node::ActionId(a)) => (a.id.name.clone(), a.id.span),
        Some(Node::Component(ident)) => {
            let model = &analysis.checked.model;
            let span = model
                .measure(&ident.name)
                .map(|m| m.span)
                .or_else(|| model.action(&ident.name).map(|a| a.span))
                .unwrap_or(ident.span);
            (ident.name.clone(), span)
        }
        _ => return Vec::new(),
    };
    let mut out = Vec::new();
    for file in &analysis.loaded.files {
        let mut uses = Vec::new();
        locate::id_uses(&file.parsed.document, &name, &mut uses);
        for ident in uses {
            if !include_declaration && ident.span.same_place(&declaration) {
                continue;
            }
            out.extend(location(analysis, ident.span, uri_of));
        }
    }
    out
}

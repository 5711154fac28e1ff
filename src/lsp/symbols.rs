//! The outline: the report header, groups, measures and actions.

use lsp_types::{DocumentSymbol, SymbolKind};

use super::convert::LineIndex;
use crate::ast::{Document, Item};

/// The symbols of a document, groups holding what they contain.
pub fn symbols(document: &Document, index: &LineIndex) -> Vec<DocumentSymbol> {
    items(&document.items, index)
}

#[allow(deprecated)] // `deprecated` is a required field of the type.
fn symbol(
    name: String,
    detail: Option<String>,
    kind: SymbolKind,
    range: lsp_types::Range,
    selection: lsp_types::Range,
    children: Vec<DocumentSymbol>,
) -> DocumentSymbol {
    DocumentSymbol {
        name,
        detail,
        kind,
        tags: None,
        deprecated: None,
        range,
        selection_range: selection,
        children: (!children.is_empty()).then_some(children),
    }
}

fn items(items: &[Item], index: &LineIndex) -> Vec<DocumentSymbol> {
    let mut out = Vec::new();
    for item in items {
        match item {
            Item::Report(header) => {
                let name = header
                    .title
                    .as_ref()
                    .map_or_else(|| "report".to_string(), |t| t.value.clone());
                let selection = header.title.as_ref().map_or(header.span, |t| t.span);
                out.push(symbol(
                    name,
                    Some("report".into()),
                    SymbolKind::FILE,
                    index.span_range(header.span),
                    index.span_range(selection),
                    Vec::new(),
                ));
            }
            Item::Group(group) => out.push(symbol(
                if group.name.value.is_empty() {
                    "(group)".into()
                } else {
                    group.name.value.clone()
                },
                Some("group".into()),
                SymbolKind::NAMESPACE,
                index.span_range(group.span),
                index.span_range(group.name.span),
                self::items(&group.items, index),
            )),
            Item::Measure(measure) => out.push(symbol(
                measure.id.name.clone(),
                Some(measure.title.value.clone()),
                SymbolKind::NUMBER,
                index.span_range(measure.span),
                index.span_range(measure.id.span),
                Vec::new(),
            )),
            Item::Action(action) => out.push(symbol(
                action.id.name.clone(),
                Some(action.title.value.clone()),
                SymbolKind::EVENT,
                index.span_range(action.span),
                index.span_range(action.id.span),
                Vec::new(),
            )),
            Item::Include(_) | Item::Defaults(_) => {}
        }
    }
    out
}

//! From parsed files to a validated [`Model`], reporting every problem.
//!
//! The walk follows the source: `defaults` apply to what comes after them in
//! the same group or file and in groups nested there; an `include` is read in
//! place, inside the group it appears in, under the defaults in force there
//! (defaults set inside the included file end with it).

mod composites;
mod dated;
mod lint;
mod literals;
mod walk;

use std::collections::{HashMap, HashSet};

use crate::diagnostic::{self, Diagnostic};
use crate::load::Loaded;
use crate::model::*;
use crate::syntax::ast::{self, Document, Item};
use crate::syntax::span::{FileId, Span};

use walk::Settings;

/// The outcome of checking: the model (sound wherever there is no error) and
/// every problem, sorted by file and position.
#[derive(Debug)]
pub struct Checked {
    pub model: Model,
    pub diagnostics: Vec<Diagnostic>,
}

impl Checked {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// Checks a loaded report: loading, parsing and meaning, all problems at once.
pub fn check(loaded: &Loaded) -> Checked {
    let documents = loaded
        .files
        .iter()
        .map(|f| Some(f.parsed.document.clone()))
        .collect();
    check_documents(loaded, documents)
}

/// Like [`check`], but takes the syntax trees out of `loaded` and frees each
/// item once it is checked, so that a large scorecard's tree and model are
/// not both in memory at their full size. `loaded` keeps its sources (for
/// diagnostics) but no longer its documents.
pub fn check_consuming(loaded: &mut Loaded) -> Checked {
    let documents = loaded
        .files
        .iter_mut()
        .map(|f| Some(std::mem::take(&mut f.parsed.document)))
        .collect();
    check_documents(loaded, documents)
}

/// `documents[i]` is the document of `loaded.files[i]`.
fn check_documents(loaded: &Loaded, documents: Vec<Option<Document>>) -> Checked {
    // The model's lists are made their full size at once: a large report's
    // measures are not copied again each time the list would grow.
    let (measures, actions) = documents
        .iter()
        .flatten()
        .map(|document| count_items(&document.items))
        .fold((0, 0), |(m, a), (dm, da)| (m + dm, a + da));
    let mut model = Model::default();
    model.measures.reserve_exact(measures);
    model.actions.reserve_exact(actions);
    let mut checker = Checker {
        loaded,
        documents,
        model,
        diagnostics: loaded.all_diagnostics().cloned().collect(),
        ids: HashMap::new(),
        header_span: None,
        unit_span: None,
        composites: Vec::new(),
        discarded: Vec::new(),
    };
    if let Some(root) = loaded.root() {
        let mut scope = Settings::default();
        if let Some(document) = checker.take_document(root.id) {
            checker.walk(root.id, document.items, None, &mut scope);
        }
    }
    checker.resolve_composites();
    // The model is built: what follows judges it, and may rate it.
    let mut diagnostics = checker.diagnostics;
    lint::thresholds(&checker.model.measures, &mut diagnostics);
    lint::thresholds(&checker.discarded, &mut diagnostics);
    lint::against_ratings(&checker.model, &mut diagnostics);
    diagnostic::sort(&mut diagnostics);
    let mut seen = HashSet::new();
    diagnostics.retain(|d| {
        seen.insert((
            d.code,
            d.span.file,
            d.span.start(),
            d.span.end(),
            d.message.clone(),
        ))
    });
    Checked {
        model: checker.model,
        diagnostics,
    }
}

/// How many measures and actions `items` hold, in groups too.
fn count_items(items: &[Item]) -> (usize, usize) {
    items.iter().fold((0, 0), |(m, a), item| match item {
        Item::Measure(_) => (m + 1, a),
        Item::Action(_) => (m, a + 1),
        Item::Group(g) => {
            let (gm, ga) = count_items(&g.items);
            (m + gm, a + ga)
        }
        _ => (m, a),
    })
}

struct Checker<'a> {
    loaded: &'a Loaded,
    /// The files' documents, taken as they are walked.
    documents: Vec<Option<Document>>,
    model: Model,
    diagnostics: Vec<Diagnostic>,
    /// Every id declared so far, with where.
    ids: HashMap<String, (Component, Span)>,
    header_span: Option<Span>,
    /// Where the unit of the measure being checked was set.
    unit_span: Option<Span>,
    /// Composite measures to resolve once all ids are known.
    composites: Vec<(usize, ast::Composite)>,
    /// Measures whose id was already taken: checked (so that all their
    /// problems show) but not in the model.
    discarded: Vec<MeasureDef>,
}

impl Checker<'_> {
    fn error(&mut self, diagnostic: Diagnostic) {
        self.diagnostics.push(diagnostic);
    }

    fn take_document(&mut self, file: FileId) -> Option<Document> {
        let index = self.loaded.files.iter().position(|f| f.id == file)?;
        self.documents.get_mut(index)?.take()
    }
}

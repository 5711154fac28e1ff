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

use crate::diagnostic::{self, Code, Diagnostic};
use crate::load::Loaded;
use crate::model::*;
use crate::period::{Date, Part, Period};
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
/// Without a date for today, nothing is said about values from the future.
pub fn check(loaded: &Loaded) -> Checked {
    check_at(loaded, None)
}

/// [`check`], with today's date: actuals and statuses for periods that
/// start after it draw the `future-period` warning.
pub fn check_at(loaded: &Loaded, today: Option<Date>) -> Checked {
    let documents = loaded
        .files
        .iter()
        .map(|f| Some(f.parsed.document.clone()))
        .collect();
    check_documents(loaded, documents, today)
}

/// Like [`check`], but takes the syntax trees out of `loaded` and frees each
/// item once it is checked, so that a large scorecard's tree and model are
/// not both in memory at their full size. `loaded` keeps its sources (for
/// diagnostics) but no longer its documents.
pub fn check_consuming(loaded: &mut Loaded, today: Option<Date>) -> Checked {
    let documents = loaded
        .files
        .iter_mut()
        .map(|f| Some(std::mem::take(&mut f.parsed.document)))
        .collect();
    check_documents(loaded, documents, today)
}

/// The header's `year-start` month, looked for before anything is checked
/// (months are placed in their year by it).
fn year_start_of(loaded: &Loaded, documents: &[Option<Document>]) -> u8 {
    let root = loaded
        .root()
        .and_then(|root| loaded.files.iter().position(|f| f.id == root.id));
    let Some(Some(document)) = root.and_then(|i| documents.get(i)) else {
        return 4;
    };
    document
        .items
        .iter()
        .find_map(|item| match item {
            Item::Report(h) => h.fields.iter().find_map(|f| match f {
                ast::HeaderField::YearStart(month, _) => Some(*month),
                _ => None,
            }),
            _ => None,
        })
        .unwrap_or(4)
}

/// Calls `f` on every period written in `items`.
fn each_period(items: &mut [Item], f: &impl Fn(&mut Period)) {
    for item in items {
        match item {
            Item::Report(h) => {
                for field in &mut h.fields {
                    if let ast::HeaderField::Period(p) = field {
                        f(&mut p.period);
                    }
                }
            }
            Item::Group(g) => each_period(&mut g.items, f),
            Item::Measure(m) => measure_periods(&mut m.fields, f),
            Item::Action(a) => {
                for field in &mut a.fields {
                    match field {
                        ast::ActionField::Milestone(m) => f(&mut m.period.period),
                        ast::ActionField::Note(n) => f(&mut n.period.period),
                        ast::ActionField::Status(s) => f(&mut s.period.period),
                        _ => {}
                    }
                }
            }
            Item::Defaults(_) | Item::Include(_) => {}
        }
    }
}

/// Calls `f` on every period written in a measure.
fn measure_periods(fields: &mut [ast::MeasureField], f: &impl Fn(&mut Period)) {
    for field in fields {
        match field {
            ast::MeasureField::Target(t) => f(&mut t.period.period),
            ast::MeasureField::Baseline(b) => f(&mut b.period.period),
            ast::MeasureField::Actual(a) => {
                for row in &mut a.rows {
                    f(&mut row.period.period);
                }
            }
            ast::MeasureField::Benchmark(b) => f(&mut b.period.period),
            ast::MeasureField::Note(n) => f(&mut n.period.period),
            ast::MeasureField::Status(s) => f(&mut s.period.period),
            _ => {}
        }
    }
}

/// "quarterly", "monthly", "whole-year", "calendar-year", "academic-year".
fn period_words(period: &Period) -> &'static str {
    match period.part {
        Part::Quarter(_) => "quarterly",
        Part::Month(..) => "monthly",
        Part::Year => "whole-year",
        Part::Calendar => "calendar-year",
        Part::Academic => "academic-year",
    }
}

/// "an annual measure", "a monthly measure", "a calendar-year measure".
fn measure_words(def: &MeasureDef) -> &'static str {
    match (def.cadence, def.year) {
        (Cadence::Quarterly, _) => "a quarterly measure",
        (Cadence::Monthly, _) => "a monthly measure",
        (Cadence::Annual, YearKind::Financial) => "an annual measure",
        (Cadence::Annual, YearKind::Calendar) => "a calendar-year measure",
        (Cadence::Annual, YearKind::Academic) => "an academic-year measure",
    }
}

/// `documents[i]` is the document of `loaded.files[i]`.
fn check_documents(
    loaded: &Loaded,
    documents: Vec<Option<Document>>,
    today: Option<Date>,
) -> Checked {
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
    let year_start = year_start_of(loaded, &documents);
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
        rejected_actuals: HashSet::new(),
        year_start,
        today,
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
    lint::against_ratings(&checker.model, &checker.rejected_actuals, &mut diagnostics);
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
    /// Actuals written but rejected with an error (a `%` on a count, ...):
    /// the measure's id and the period. No `missing-actual` warning is
    /// given for these: the error already says what is wrong with the value.
    rejected_actuals: HashSet<(String, crate::period::Period)>,
    /// Measures whose id was already taken: checked (so that all their
    /// problems show) but not in the model.
    discarded: Vec<MeasureDef>,
    /// The month the fiscal year starts in (1 = January).
    year_start: u8,
    /// Today, for `future-period`.
    today: Option<Date>,
}

impl Checker<'_> {
    fn error(&mut self, diagnostic: Diagnostic) {
        self.diagnostics.push(diagnostic);
    }

    fn take_document(&mut self, file: FileId) -> Option<Document> {
        let index = self.loaded.files.iter().position(|f| f.id == file)?;
        let mut document = self.documents.get_mut(index)?.take()?;
        if self.year_start != 4 {
            let year_start = self.year_start;
            each_period(&mut document.items, &|p| *p = p.with_year_start(year_start));
        }
        Some(document)
    }

    /// Warns at an actual or status whose period starts after today.
    fn future(&mut self, period: Period, span: Span, what: &str) {
        let Some(today) = self.today else {
            return;
        };
        if period.first_month(self.year_start) > today.month_index() {
            let starts = Period::from_month_index(period.first_month(self.year_start), 1)
                .map(|m| m.months(1))
                .unwrap_or_default();
            self.error(
                Diagnostic::new(Code::FuturePeriod, span, format!("{what} for {period}, which starts after today ({today})"))
                    .label(format!("starts {starts}"))
                    .help("check the year: a value for a period that has not started is usually a typing slip (`2029/30` for `2019/20`)"),
            );
        }
    }
}

//! From parsed files to a validated [`Model`], reporting every problem.
//!
//! The walk follows the source: `defaults` apply to what comes after them in
//! the same group or file and in groups nested there; an `include` is read in
//! place, inside the group it appears in, under the defaults in force there
//! (defaults set inside the included file end with it).

use std::collections::{HashMap, HashSet};

use crate::period_map::PeriodMap;

use rust_decimal::Decimal;

use crate::ast::{self, Amount, Document, Item, Suffix};
use crate::diagnostic::{self, Code, Diagnostic};
use crate::exact::Ratio;
use crate::interpreter;
use crate::loader::Loaded;
use crate::model::*;
use crate::period::{Date, Part, Period};
use crate::rating;
use crate::span::{FileId, Span};

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
    checker.check_against_ratings();
    let mut diagnostics = checker.diagnostics;
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

/// Settings in force: from `defaults` blocks, then the measure's own.
#[derive(Clone, Default)]
struct Settings {
    unit: Option<(ast::Unit, Span)>,
    polarity: Option<(ast::Polarity, Span)>,
    cadence: Option<(ast::Cadence, Span)>,
    owner: Option<ast::Text>,
    lead: Option<ast::Text>,
    lag: Option<(u32, Option<ast::LagUnit>, Span)>,
    tolerance: Option<ast::Band>,
    amber: Option<ast::Band>,
    red_beyond: Option<ast::Band>,
    year: Option<(ast::YearKind, Span)>,
    year_to_date: Option<Span>,
}

impl Settings {
    /// Sets one field; returns the span of an earlier value set at the same
    /// level (`level_start` is where this level's own settings began).
    fn set(&mut self, setting: &ast::Setting) {
        match setting {
            ast::Setting::Unit(unit, span) => self.unit = Some((unit.clone(), *span)),
            ast::Setting::Polarity(polarity, span) => self.polarity = Some((*polarity, *span)),
            ast::Setting::Cadence(cadence, span) => self.cadence = Some((*cadence, *span)),
            ast::Setting::Owner(text) => self.owner = Some(text.clone()),
            ast::Setting::Lead(text) => self.lead = Some(text.clone()),
            ast::Setting::Lag(lag, unit, span) => self.lag = Some((*lag, *unit, *span)),
            ast::Setting::Tolerance(band) => self.tolerance = Some(band.clone()),
            // A measure has an amber band or a red-beyond distance: setting
            // one replaces the other inherited.
            ast::Setting::Amber(band) => {
                self.amber = Some(band.clone());
                self.red_beyond = None;
            }
            ast::Setting::RedBeyond(band) => {
                self.red_beyond = Some(band.clone());
                self.amber = None;
            }
            ast::Setting::Year(kind, span) => self.year = Some((*kind, *span)),
            ast::Setting::YearToDate(span) => self.year_to_date = Some(*span),
        }
    }
}

fn setting_span(setting: &ast::Setting) -> Span {
    match setting {
        ast::Setting::Unit(_, s)
        | ast::Setting::Polarity(_, s)
        | ast::Setting::Cadence(_, s)
        | ast::Setting::Year(_, s)
        | ast::Setting::YearToDate(s)
        | ast::Setting::Lag(_, _, s) => *s,
        ast::Setting::Owner(t) | ast::Setting::Lead(t) => t.span,
        ast::Setting::Tolerance(b) | ast::Setting::Amber(b) | ast::Setting::RedBeyond(b) => {
            b.literal.span
        }
    }
}

/// "`count`", "`money \"£m\"`", "not set (taken as a number)".
fn unit_words(unit: &Unit) -> String {
    match unit {
        Unit::Percent => "`percent`".into(),
        Unit::PercentChange => "`percent-change`".into(),
        Unit::Count => "`count`".into(),
        Unit::Number => "`number` (or not set)".into(),
        Unit::Days => "`days`".into(),
        Unit::Money(Some(label)) => format!("`money \"{label}\"`"),
        Unit::Money(None) => "`money`".into(),
        Unit::Other(text) => format!("\"{text}\""),
    }
}

/// "a tolerance", "an amber band".
fn band_name(keyword: &str) -> &'static str {
    match keyword {
        "amber" => "an amber band",
        "red beyond" => "a red-beyond distance",
        _ => "a tolerance",
    }
}

/// Reports a keyword given twice in one block.
fn check_repeats<'a>(
    settings: impl Iterator<Item = &'a ast::Setting>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let mut first: HashMap<&'static str, Span> = HashMap::new();
    for setting in settings {
        let span = setting_span(setting);
        let other = match setting {
            ast::Setting::Amber(_) => Some("red beyond"),
            ast::Setting::RedBeyond(_) => Some("amber"),
            _ => None,
        };
        if let Some(earlier) = other.and_then(|o| first.get(o)) {
            diagnostics.push(
                Diagnostic::new(
                    Code::AmberAndRedBeyond,
                    span,
                    "`amber` and `red beyond` in the same block",
                )
                .label(format!("`{}` here", setting.keyword()))
                .related(*earlier, "the other rule")
                .help("a measure is given either an amber band (measured from the green threshold) or a red-beyond distance (measured from the target); keep one"),
            );
        }
        if let Some(earlier) = first.insert(setting.keyword(), span) {
            diagnostics.push(
                Diagnostic::new(
                    Code::DuplicateField,
                    span,
                    format!("`{}` is given twice", setting.keyword()),
                )
                .label("given again here")
                .related(earlier, "first given here")
                .help("keep one; the block cannot say two things at once"),
            );
        }
    }
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

    /// Walks items in order, each dropped once it is checked.
    fn walk(
        &mut self,
        file: FileId,
        items: Vec<Item>,
        group: Option<GroupId>,
        scope: &mut Settings,
    ) {
        for item in items {
            match item {
                Item::Report(header) => self.header(&header),
                Item::Defaults(defaults) => {
                    check_repeats(defaults.settings.iter(), &mut self.diagnostics);
                    // Bands are checked here too, in case no measure follows;
                    // `pp` can only be judged against a measure's unit.
                    for setting in &defaults.settings {
                        if let ast::Setting::Tolerance(band)
                        | ast::Setting::Amber(band)
                        | ast::Setting::RedBeyond(band) = setting
                        {
                            self.band(Some(band), &Unit::Percent, setting.keyword());
                        }
                    }
                    for setting in &defaults.settings {
                        scope.set(setting);
                    }
                }
                Item::Include(include) => {
                    let child = self.loaded.included(file, &include);
                    if let Some((child, document)) =
                        child.and_then(|c| Some((c, self.take_document(c)?)))
                    {
                        // Defaults set inside the included file end with it.
                        let mut inner = scope.clone();
                        self.walk(child, document.items, group, &mut inner);
                    }
                }
                Item::Group(g) => {
                    let id = self.model.groups.len();
                    self.model.groups.push(GroupDef {
                        name: g.name.value,
                        parent: group,
                        span: g.name.span,
                    });
                    let mut inner = scope.clone();
                    self.walk(file, g.items, Some(id), &mut inner);
                }
                Item::Measure(mut m) => self.measure(&mut m, group, scope),
                Item::Action(a) => self.action(&a, group),
            }
        }
    }

    fn header(&mut self, header: &ast::ReportHeader) {
        if let Some(first) = self.header_span {
            self.error(
                Diagnostic::new(
                    Code::DuplicateHeader,
                    Span::new(
                        header.span.file,
                        header.span.start(),
                        header.span.start() + "report".len(),
                    ),
                    "a second `report` header",
                )
                .label("another header")
                .related(first, "the first header")
                .help("a report has one header; merge the two"),
            );
            return;
        }
        self.header_span = Some(header.span);
        let h = &mut self.model.header;
        h.title = header.title.as_ref().map(|t| t.value.clone());
        let mut seen: HashMap<&str, Span> = HashMap::new();
        let mut repeats = Vec::new();
        for field in &header.fields {
            let (name, span) = match field {
                ast::HeaderField::Organisation(t) => {
                    h.organisation = Some(t.value.clone());
                    ("organisation", t.span)
                }
                ast::HeaderField::Period(p) => {
                    h.period = Some(p.period);
                    ("period", p.span)
                }
                ast::HeaderField::YearStart(month, span) => {
                    h.year_start = *month;
                    ("year-start", *span)
                }
            };
            if let Some(first) = seen.insert(name, span) {
                repeats.push((name, span, first));
            }
        }
        for (name, span, first) in repeats {
            self.error(
                Diagnostic::new(
                    Code::DuplicateField,
                    span,
                    format!("`{name}` is given twice in the header"),
                )
                .label("given again here")
                .related(first, "first given here"),
            );
        }
    }

    fn declare(&mut self, id: &ast::Ident, what: Component) -> bool {
        if let Some((_, first)) = self.ids.get(&id.name) {
            let first = *first;
            self.error(
                Diagnostic::new(Code::DuplicateId, id.span, format!("the id `{}` is already used", id.name))
                    .label("used again here")
                    .related(first, "first used here")
                    .help("ids must be unique across the whole report, all included files too; rename one of them"),
            );
            return false;
        }
        self.ids.insert(id.name.clone(), (what, id.span));
        true
    }

    /// Checks one measure. Its strings (title, notes, numbers as written)
    /// are moved into the model, not copied: the tree is dropped after.
    fn measure(&mut self, m: &mut ast::Measure, group: Option<GroupId>, scope: &Settings) {
        let index = self.model.measures.len();
        // A duplicate is still checked, so that all its problems show.
        let keep = self.declare(&m.id, Component::Measure(index));
        check_repeats(
            m.fields.iter().filter_map(|f| match f {
                ast::MeasureField::Setting(s) => Some(s),
                _ => None,
            }),
            &mut self.diagnostics,
        );
        let mut settings = scope.clone();
        for field in &m.fields {
            if let ast::MeasureField::Setting(s) = field {
                settings.set(s);
            }
        }
        self.unit_span = settings.unit.as_ref().map(|(_, span)| *span);
        let unit = self.unit(m, &settings);
        let polarity = settings.polarity.map(|(p, _)| p);
        let cadence = settings.cadence.map_or(Cadence::Quarterly, |(c, _)| c);
        let tolerance = self.band(settings.tolerance.as_ref(), &unit, "tolerance");
        let amber = self.band(settings.amber.as_ref(), &unit, "amber");
        let red_beyond = settings
            .red_beyond
            .as_ref()
            .map(|b| self.band(Some(b), &unit, "red beyond"));
        // `year calendar` / `academic` is for annual measures; from
        // `defaults` it applies to the annual measures that follow.
        let own_year = m.fields.iter().find_map(|f| match f {
            ast::MeasureField::Setting(ast::Setting::Year(kind, span)) => Some((*kind, *span)),
            _ => None,
        });
        let year = match (cadence, settings.year) {
            (Cadence::Annual, Some((kind, _))) => kind,
            _ => YearKind::Financial,
        };
        if let Some((kind, span)) = own_year.filter(|(k, _)| *k != YearKind::Financial) {
            if cadence != Cadence::Annual {
                self.error(
                    Diagnostic::new(
                        Code::YearOnPeriodic,
                        span,
                        format!("`year {}` on a {} measure", kind.as_str(), cadence.as_str()),
                    )
                    .label("only annual measures have a kind of year")
                    .help(format!(
                        "add `cadence annual` if the figures are {} years, or remove `year {}`",
                        kind.as_str(),
                        kind.as_str()
                    )),
                );
            }
        }
        if year == YearKind::Academic {
            // Academic years are written like fiscal years.
            measure_periods(&mut m.fields, &|p| {
                if p.part == Part::Year {
                    *p = Period::academic(p.start);
                }
            });
        }
        let mut def = MeasureDef {
            id: m.id.name.clone(),
            title: std::mem::take(&mut m.title.value),
            span: m.id.span,
            group,
            unit,
            polarity,
            cadence,
            owner: settings.owner.as_ref().map(|t| t.value.clone()),
            lead: settings.lead.as_ref().map(|t| t.value.clone()),
            lag: settings.lag.map_or(0, |(l, _, _)| l),
            lag_unit: settings.lag.and_then(|(_, u, _)| u),
            tolerance,
            amber,
            red_beyond,
            year,
            year_to_date: settings.year_to_date.is_some(),
            targets: PeriodMap::new(),
            baselines: Vec::new(),
            actuals: PeriodMap::new(),
            benchmarks: Vec::new(),
            notes: Vec::new(),
            statuses: PeriodMap::new(),
            composite: None,
        };
        let mut first_target: Option<Span> = None;
        let mut seen_baselines: HashMap<Period, Span> = HashMap::new();
        let mut seen_benchmarks: HashMap<(String, Period), Span> = HashMap::new();
        for field in &mut m.fields {
            match field {
                ast::MeasureField::Setting(_) => {}
                ast::MeasureField::Target(t) => {
                    first_target.get_or_insert(t.span);
                    self.target(&mut def, t);
                }
                ast::MeasureField::Baseline(b) => {
                    if let Some(first) = seen_baselines.insert(b.period.period, b.span) {
                        self.duplicate_dated("baseline", b.period.period, b.span, first);
                    } else if let Some(value) = self.value(&def.unit, &mut b.value) {
                        def.baselines.push(Dated {
                            period: b.period.period,
                            value,
                            span: b.span,
                        });
                    }
                }
                ast::MeasureField::Actual(a) => {
                    for row in &mut a.rows {
                        self.actual(&mut def, row);
                    }
                }
                ast::MeasureField::Benchmark(b) => {
                    let key = (b.name.value.clone(), b.period.period);
                    if let Some(first) = seen_benchmarks.insert(key, b.span) {
                        self.duplicate_dated("benchmark", b.period.period, b.span, first);
                    } else if let Some(value) = self.value(&def.unit, &mut b.value) {
                        def.benchmarks.push(BenchmarkDef {
                            name: b.name.value.clone(),
                            period: b.period.period,
                            value,
                        });
                    }
                }
                ast::MeasureField::Note(n) => def.notes.push(Dated {
                    period: n.period.period,
                    value: std::mem::take(&mut n.text.value),
                    span: n.span,
                }),
                ast::MeasureField::Status(s) => self.status(&mut def.statuses, s),
                ast::MeasureField::Composite(c) => {
                    if def.composite.is_some() || self.composites.iter().any(|(i, _)| *i == index) {
                        self.error(
                            Diagnostic::new(
                                Code::DuplicateField,
                                c.span,
                                "a second `composite` line",
                            )
                            .label("given again here")
                            .help("list all the components in one `composite` line"),
                        );
                    } else if keep {
                        self.composites.push((index, c.clone()));
                    }
                }
            }
        }
        self.measure_warnings(&def, m, first_target, &settings);
        if keep {
            self.model.measures.push(def);
        }
    }

    /// The measure's unit; without one, percent if its values carry `%`.
    fn unit(&mut self, m: &ast::Measure, settings: &Settings) -> Unit {
        if let Some((unit, _)) = &settings.unit {
            return unit.clone();
        }
        let percent_value = m.fields.iter().find_map(|f| match f {
            ast::MeasureField::Target(t) => match &t.spec {
                ast::TargetSpec::Value(ast::TargetValue::Value(l))
                    if l.suffix == Suffix::Percent =>
                {
                    Some(l.span)
                }
                _ => None,
            },
            ast::MeasureField::Actual(a) => a.rows.iter().find_map(|r| match &r.reading {
                ast::Reading::Value { value, .. } if value.suffix == Suffix::Percent => {
                    Some(value.span)
                }
                _ => None,
            }),
            _ => None,
        });
        let composite = m
            .fields
            .iter()
            .any(|f| matches!(f, ast::MeasureField::Composite(_)));
        match percent_value {
            // A composite's own figures are an error of their own.
            Some(_) if composite => Unit::Percent,
            Some(span) => {
                self.error(
                    Diagnostic::new(Code::UnitInferred, m.id.span, format!("`{}` has no unit; its values carry `%`, so it is taken as a percentage", m.id.name))
                        .label("no `unit` here or in `defaults`")
                        .related(span, "a percentage value")
                        .help("add `unit percent` to the measure (or to a `defaults` block)"),
                );
                Unit::Percent
            }
            None => Unit::Number,
        }
    }

    fn band(&mut self, band: Option<&ast::Band>, unit: &Unit, name: &str) -> BandDef {
        let Some(band) = band else {
            return BandDef::zero();
        };
        let literal = &band.literal;
        let Amount::Decimal(amount) = literal.amount else {
            self.error(
                Diagnostic::new(Code::BadBand, literal.span, format!("{} cannot be a fraction", band_name(name)))
                    .label("a fraction")
                    .help(format!("write the {name} as `5%` (relative), `5pp` (percentage points) or `5` (in the measure's unit)")),
            );
            return BandDef::zero();
        };
        if amount.is_sign_negative() && !amount.is_zero() {
            self.error(
                Diagnostic::new(Code::BadBand, literal.span, format!("{} cannot be negative", band_name(name)))
                    .label("negative")
                    .help(format!("a {name} is a width; the polarity says which way it goes. Write it without the sign")),
            );
            return BandDef::zero();
        }
        let kind = match literal.suffix {
            Suffix::Percent => BandKind::Relative,
            Suffix::Points => {
                if !unit.is_percent() {
                    self.error(
                        Diagnostic::new(Code::UnitMismatch, literal.span, format!("a {name} in percentage points (`pp`) on a measure that is not a percentage"))
                            .label("`pp` needs `unit percent`")
                            .help(format!("write the {name} in the measure's unit (`{}`) or as a relative band (`{}%`)", amount, amount)),
                    );
                    return BandDef::zero();
                }
                BandKind::Points
            }
            Suffix::None => BandKind::Absolute,
        };
        BandDef {
            amount,
            kind,
            text: literal.text.clone(),
            span: Some(literal.span),
        }
    }

    /// A value in the measure's unit (its text moved out of `literal`), or
    /// `None` (with an error) if it has none.
    fn value(&mut self, unit: &Unit, literal: &mut ast::Literal) -> Option<Value> {
        let percent = unit.is_percent();
        match literal.suffix {
            Suffix::Percent if !percent => {
                let mut d = Diagnostic::new(
                    Code::UnitMismatch,
                    literal.span,
                    format!(
                        "a `%` value on a measure whose unit is {}",
                        unit_words(unit)
                    ),
                )
                .label("`%` needs `unit percent`")
                .help("set `unit percent` on the measure, or write the value without `%`");
                if let Some(span) = self.unit_span {
                    d = d.related(span, "the unit is set here");
                }
                self.error(d);
                return None;
            }
            Suffix::Points => {
                self.error(
                    Diagnostic::new(
                        Code::UnitMismatch,
                        literal.span,
                        "`pp` (percentage points) is for tolerance and amber bands, not for values",
                    )
                    .label("a value in `pp`")
                    .help("write the value as `83%` or `83`"),
                );
                return None;
            }
            _ => {}
        }
        match literal.amount {
            Amount::Decimal(d) => Some(Value::decimal_value(
                d,
                std::mem::take(&mut literal.text),
                literal.span,
            )),
            Amount::Fraction {
                numerator,
                denominator,
            } => {
                if literal.suffix != Suffix::None {
                    self.error(
                        Diagnostic::new(Code::BadNumber, literal.span, "a fraction takes no `%`")
                            .label("fraction with a suffix")
                            .help("on a percent measure `50/66` already means 75.8%; write it without `%`"),
                    );
                    return None;
                }
                let Some(value) = Value::fraction_value(
                    numerator,
                    denominator,
                    percent,
                    std::mem::take(&mut literal.text),
                    literal.span,
                ) else {
                    self.error(
                        Diagnostic::new(
                            Code::BadNumber,
                            literal.span,
                            "this fraction cannot be held exactly",
                        )
                        .label("too large")
                        .help("write smaller numbers, or the value as a decimal"),
                    );
                    return None;
                };
                Some(value)
            }
        }
    }

    fn target(&mut self, def: &mut MeasureDef, t: &mut ast::Target) {
        let period = t.period.period;
        match &mut t.spec {
            ast::TargetSpec::Value(v) => {
                let source = match period.part {
                    Part::Quarter(_) => TargetSource::Quarter,
                    Part::Month(..) => TargetSource::Month,
                    _ => TargetSource::Annual,
                };
                self.add_target(def, period, v, source, t.span);
            }
            ast::TargetSpec::Graduated(steps) => {
                if !period.is_whole_year() {
                    self.error(
                        Diagnostic::new(
                            Code::BadTarget,
                            t.period.span,
                            "a graduated target is written for a year, not a quarter",
                        )
                        .label("a quarter")
                        .help(format!(
                            "write `target {} {{ Q1 … Q2 … }}`",
                            period.fiscal_year()
                        )),
                    );
                    return;
                }
                for step in steps.iter_mut() {
                    let quarter = match step.step {
                        ast::Step::Quarter(q) => Period::quarter(period.start, q),
                        ast::Step::Month(m) => Period::month(period.start, m, self.year_start),
                    };
                    self.add_target(
                        def,
                        quarter,
                        &mut step.value,
                        TargetSource::Graduated,
                        step.span,
                    );
                }
                self.check_graduated(def, period);
            }
        }
    }

    fn add_target(
        &mut self,
        def: &mut MeasureDef,
        period: Period,
        value: &mut ast::TargetValue,
        source: TargetSource,
        span: Span,
    ) {
        if let Some(first) = def.targets.get(&period) {
            let first = first.span;
            self.error(
                Diagnostic::new(Code::DuplicateTarget, span, format!("a second target for {period}"))
                    .label("another target")
                    .related(first, "the first target for this period")
                    .help("keep one target per period; a quarter target and the year's target may both be given"),
            );
            return;
        }
        let value = match value {
            ast::TargetValue::Tbc(_) => TargetValue::Tbc,
            ast::TargetValue::Value(literal) => {
                let Some(value) = self.value(&def.unit, literal) else {
                    return;
                };
                if value.decimal().is_none() {
                    self.error(
                        Diagnostic::new(
                            Code::BadNumber,
                            literal.span,
                            "a target must have an exact decimal value",
                        )
                        .label("this fraction has no exact decimal")
                        .help("write the target as a decimal, e.g. `75.8%`"),
                    );
                    return;
                }
                self.percent_range(&def.unit, &value, "target");
                TargetValue::Value(value)
            }
        };
        def.targets.insert(
            period,
            TargetDef {
                value,
                source,
                span,
            },
        );
    }

    /// Warns when a graduated (year-to-date) target gets easier in the year;
    /// for a `year-to-date` measure, when it falls.
    fn check_graduated(&mut self, def: &MeasureDef, year: Period) {
        let better = |a: &Ratio, b: &Ratio| match def.polarity {
            Some(Polarity::Higher) => a > b,
            Some(Polarity::Lower) => a < b,
            _ => false,
        };
        let mut steps: Vec<(Period, &TargetDef)> = def
            .targets
            .iter()
            .filter(|(p, t)| {
                p.start == year.start && !p.is_whole_year() && t.source == TargetSource::Graduated
            })
            .map(|(p, t)| (*p, t))
            .collect();
        steps.sort_by_key(|(p, _)| (p.last_month(self.year_start), p.is_month()));
        let mut previous: Option<(&Value, Period)> = None;
        for (period, target) in steps {
            let TargetDef {
                value: TargetValue::Value(v),
                span,
                ..
            } = target
            else {
                continue;
            };
            if let Some((earlier, earlier_period)) = previous {
                if def.year_to_date {
                    if v.ratio() < earlier.ratio() {
                        self.diagnostics.push(
                            Diagnostic::new(Code::YtdTargetFalls, *span, format!("the year-to-date target for {period} is lower than for {earlier_period}"))
                                .label("lower than the running total before")
                                .related(earlier.span, "the earlier target")
                                .help("a year-to-date target is a running total since the start of the year and cannot fall; check the figures"),
                        );
                    }
                } else if better(&earlier.ratio(), &v.ratio()) {
                    self.diagnostics.push(
                        Diagnostic::new(Code::GraduatedEasier, *span, format!("the target for {period} is easier than for {earlier_period}"))
                            .label(if period.is_month() { "easier than the month before" } else { "easier than the quarter before" })
                            .related(earlier.span, if earlier_period.is_month() { "the earlier month's target" } else { "the earlier quarter's target" })
                            .help("graduated targets are year to date and usually grow through the year; check the figures"),
                    );
                }
            }
            previous = Some((v, period));
        }
    }

    fn actual(&mut self, def: &mut MeasureDef, row: &mut ast::ActualRow) {
        let period = row.period.period;
        if let Some(first) = def.actuals.get(&period) {
            let first = first.span;
            self.error(
                Diagnostic::new(Code::DuplicateActual, row.span, format!("a second actual for {period}"))
                    .label("another value for the same period")
                    .related(first, "the first value")
                    .help("each period has one actual; if the figure was restated, change the first value and say why in a `note`"),
            );
            return;
        }
        if matches!(row.reading, ast::Reading::Value { .. }) {
            self.future(period, row.period.span, "an actual");
        }
        let reading = match &mut row.reading {
            ast::Reading::NotAvailable { reason, .. } => Reading::NotAvailable {
                reason: reason.as_ref().map(|r| r.value.clone()),
            },
            ast::Reading::Value { value, provisional } => {
                let Some(value) = self.value(&def.unit, value) else {
                    return;
                };
                self.percent_range(&def.unit, &value, "actual");
                Reading::Value {
                    value,
                    provisional: provisional.is_some(),
                }
            }
        };
        if def.cadence == Cadence::Annual && period.is_quarter() && def.year == YearKind::Financial
        {
            self.error(
                Diagnostic::new(Code::CadenceMismatch, row.period.span, format!("a quarterly actual on an annual measure ({period})"))
                    .label("a quarter")
                    .help(format!("an annual measure is rated on whole years: write `actual {} …`, or remove `cadence annual`", period.fiscal_year())),
            );
        } else if def.cadence == Cadence::Quarterly && period.is_year() {
            self.error(
                Diagnostic::new(Code::CadenceMismatch, row.period.span, format!("a whole-year actual on a quarterly measure ({period})"))
                    .label("never used: quarterly measures are rated on quarters")
                    .help(format!("write the figure for a quarter (`actual {period} Q4 …`), or add `cadence annual` if the measure is reported once a year")),
            );
        } else if !def.own_cadence(&period) {
            self.cadence_mismatch(def, period, row.period.span, "actual");
        }
        def.actuals.insert(
            period,
            ActualDef {
                reading,
                span: row.span,
            },
        );
    }

    /// A value or target for a period of another cadence (version 1 forms;
    /// the version 0 cases keep their own messages).
    fn cadence_mismatch(&mut self, def: &MeasureDef, period: Period, span: Span, what: &str) {
        let help = match (def.cadence, def.year) {
            (Cadence::Monthly, _) => format!("a monthly measure is rated on months: write `{what} 2017/18 Apr …`, or change its `cadence`"),
            (Cadence::Quarterly, _) if period.is_month() => format!("a quarterly measure is rated on quarters: write `{what} {} …`, or add `cadence monthly`", period.containing_quarter().unwrap_or(period)),
            (Cadence::Quarterly, _) => "a quarterly measure is rated on quarters: write the figure for a quarter, or add `cadence annual` and the kind of year".to_string(),
            (Cadence::Annual, YearKind::Calendar) => format!("a calendar-year measure is rated on calendar years written with four digits (`{what} 2017 …`)"),
            (Cadence::Annual, YearKind::Academic) => format!("an academic-year measure is rated on academic years written `2016/17` (`{what} 2016/17 …`)"),
            (Cadence::Annual, YearKind::Financial) if period.part == Part::Calendar => format!("add `year calendar` if the measure's figures are for calendar years, or write the fiscal year (`{what} {}/{:02} …`)", period.start, (period.start + 1).rem_euclid(100)),
            (Cadence::Annual, YearKind::Financial) => format!("an annual measure is rated on whole years: write `{what} {} …`, or change its `cadence`", period.fiscal_year()),
        };
        self.error(
            Diagnostic::new(
                Code::CadenceMismatch,
                span,
                format!(
                    "a {} {what} on {} ({period})",
                    period_words(&period),
                    measure_words(def)
                ),
            )
            .label(match period.part {
                Part::Month(..) => "a month",
                Part::Quarter(_) => "a quarter",
                Part::Year => "a financial year",
                Part::Calendar => "a calendar year",
                Part::Academic => "an academic year",
            })
            .help(help),
        );
    }

    fn percent_range(&mut self, unit: &Unit, value: &Value, what: &str) {
        if *unit != Unit::Percent {
            return;
        }
        let outside = match value.fraction() {
            // A decimal (nearly every value) is compared as one.
            None => value
                .decimal()
                .is_some_and(|d| d < Decimal::ZERO || d > Decimal::ONE_HUNDRED),
            Some(_) => {
                let ratio = value.ratio();
                ratio < Ratio::from_decimal(Decimal::ZERO)
                    || ratio > Ratio::from_decimal(Decimal::ONE_HUNDRED)
            }
        };
        if outside {
            self.error(
                Diagnostic::new(Code::PercentOutOfRange, value.span, format!("a percentage {what} outside 0–100"))
                    .label(format!("{} per cent", value.exact_string()))
                    .help("check the figure; if the measure is not a share of a whole (e.g. a ratio to a baseline), use `unit number`"),
            );
        }
    }

    fn status(&mut self, statuses: &mut PeriodMap<StatusDef>, s: &ast::Status) {
        let period = s.period.period;
        self.future(period, s.period.span, "an assessed status");
        if let Some(first) = statuses.get(&period) {
            let first = first.span;
            self.duplicate_dated("status", period, s.span, first);
            return;
        }
        statuses.insert(
            period,
            StatusDef {
                rag: s.rag,
                why: s.why.as_ref().map(|w| w.value.clone()),
                span: s.span,
            },
        );
    }

    fn duplicate_dated(&mut self, what: &str, period: Period, span: Span, first: Span) {
        self.error(
            Diagnostic::new(
                Code::DuplicateField,
                span,
                format!("a second `{what}` for {period}"),
            )
            .label("given again here")
            .related(first, "first given here")
            .help(format!("keep one `{what}` per period")),
        );
    }

    /// Checks that need the whole measure.
    fn measure_warnings(
        &mut self,
        def: &MeasureDef,
        m: &ast::Measure,
        first_target: Option<Span>,
        settings: &Settings,
    ) {
        let numeric_targets = def
            .targets
            .values()
            .any(|t| matches!(t.value, TargetValue::Value(_)));
        match (def.polarity, first_target) {
            (None, Some(span)) => self.error(
                Diagnostic::new(Code::TargetWithoutPolarity, span, format!("`{}` has a target but no polarity", def.id))
                    .label("a target")
                    .related(m.id.span, "the measure")
                    .help("say which way is good: `polarity higher` (bigger is better), `lower`, `target` (closer is better), or `tbc`"),
            ),
            (Some(p @ (Polarity::None | Polarity::Tbc)), Some(span)) if numeric_targets => {
                let word = if p == Polarity::None { "none" } else { "tbc" };
                self.error(
                    Diagnostic::new(Code::TargetNeverUsed, span, format!("`{}` has polarity `{word}`, so its targets are never used", def.id))
                        .label("not used for rating")
                        .help("set the polarity (`higher`, `lower` or `target`) to rate against the target"),
                )
            }
            _ => {}
        }
        let composite = m
            .fields
            .iter()
            .any(|f| matches!(f, ast::MeasureField::Composite(_)));
        if def.lag > 0 && def.actuals.is_empty() && !composite {
            let span = settings.lag.map_or(m.id.span, |(_, _, s)| s);
            self.error(
                Diagnostic::new(
                    Code::LagWithoutData,
                    span,
                    format!("`{}` has a lag but no actual values", def.id),
                )
                .label("lag with nothing behind it")
                .help("add the measure's actuals, or remove the `lag`"),
            );
        }
        for (period, target) in &def.targets {
            let annual = def.cadence == Cadence::Annual;
            if annual && def.year == YearKind::Financial && period.is_quarter() {
                if target.source == TargetSource::Quarter {
                    self.error(
                        Diagnostic::new(
                            Code::CadenceMismatch,
                            target.span,
                            format!("a quarterly target on an annual measure ({period})"),
                        )
                        .label("never used: annual measures are rated on whole years")
                        .help(format!("write `target {} …`", period.fiscal_year())),
                    );
                }
                continue;
            }
            // Monthly measures take month, quarter and year targets;
            // quarterly ones quarter and year targets; annual ones years of
            // their kind.
            let fits = match def.cadence {
                Cadence::Monthly => {
                    matches!(period.part, Part::Month(..) | Part::Quarter(_) | Part::Year)
                }
                Cadence::Quarterly => matches!(period.part, Part::Quarter(_) | Part::Year),
                Cadence::Annual => def.own_cadence(period),
            };
            if !fits {
                self.cadence_mismatch(def, *period, target.span, "target");
            }
        }
        if def.lag > 0 && def.cadence == Cadence::Monthly && def.lag_unit.is_none() {
            if let Some((lag, _, span)) = settings.lag {
                self.error(
                    Diagnostic::new(Code::LagInQuarters, span, format!("`lag {lag}` counts quarters: on this monthly measure it is {lag} quarter{}, {} months", if lag == 1 { "" } else { "s" }, u64::from(lag) * 3))
                        .label("a lag in quarters")
                        .help(format!("write `lag {lag} months` or `lag {lag} quarters` to say which is meant")),
                );
            }
        }
        if def.year_to_date && def.cadence != Cadence::Annual {
            for (period, target) in &def.targets {
                let periodic = def
                    .targets
                    .iter()
                    .any(|(p, t)| p.start == period.start && t.source != TargetSource::Annual);
                if target.source == TargetSource::Annual && period.is_year() && !periodic {
                    self.error(
                        Diagnostic::new(Code::YtdAnnualTarget, target.span, format!("`{}` is year-to-date and has only an annual target for {period}: it is rated at the year's end alone", def.id))
                            .label("a target for the whole year only")
                            .help(format!("give the running total's target at each period, e.g. `target {period} {{ Q1 … Q2 … Q3 … Q4 … }}`")),
                    );
                }
            }
        }
        // Band arithmetic for every numeric target: exact, and sensible.
        for (period, target) in &def.targets {
            let TargetValue::Value(value) = &target.value else {
                continue;
            };
            let (Some(polarity), Some(t)) = (def.polarity, value.decimal()) else {
                continue;
            };
            if !matches!(
                polarity,
                Polarity::Higher | Polarity::Lower | Polarity::Target
            ) {
                continue;
            }
            let relative = |b: &BandDef| b.kind == BandKind::Relative && !b.amount.is_zero();
            let red_relative = def.red_beyond.as_ref().is_some_and(relative);
            if t.is_zero() && (relative(&def.tolerance) || relative(&def.amber) || red_relative) {
                let band = if relative(&def.tolerance) {
                    &def.tolerance
                } else if relative(&def.amber) {
                    &def.amber
                } else {
                    def.red_beyond.as_ref().unwrap_or(&def.amber)
                };
                let mut d = Diagnostic::new(Code::RelativeBandOnZero, target.span, format!("a relative band on a target of zero ({period})"))
                    .label("target 0")
                    .help(format!("`{}` of 0 is 0, so the band has no width; write it in the measure's unit (e.g. `{}`) instead", band.text, band.amount));
                if let Some(span) = band.span {
                    d = d.related(span, "the relative band");
                }
                self.error(d);
            }
            match rating::thresholds(
                polarity,
                t,
                &def.tolerance,
                &def.amber,
                def.red_beyond.as_ref(),
            ) {
                Err(_) => self.error(
                    Diagnostic::new(
                        Code::Overflow,
                        target.span,
                        format!(
                            "the bands around this target cannot be computed exactly ({period})"
                        ),
                    )
                    .label("too many digits")
                    .help("use fewer digits in the target, tolerance or amber band"),
                ),
                Ok(bounds) => {
                    if let Some(red) = def
                        .red_beyond
                        .as_ref()
                        .filter(|_| rating::red_inside_green(&bounds))
                    {
                        let (green_edge, red_edge) = match bounds {
                            rating::Bounds::Higher { green, red }
                            | rating::Bounds::Lower { green, red } => (green, red),
                            rating::Bounds::Target {
                                green_low, red_low, ..
                            } => (green_low, red_low),
                        };
                        let mut d = Diagnostic::new(Code::RedInsideTolerance, target.span, format!(
                            "`red beyond {}` is inside `tolerance {}` at {period}: the red threshold ({red_edge}) is better than the green threshold ({green_edge})",
                            red.text, def.tolerance.text
                        ))
                        .label(format!("target {t}"))
                        .help("make the red-beyond distance at least as wide as the tolerance (equal means no amber), or use `amber` for a band measured from the green threshold");
                        if let Some(span) = red.span {
                            d = d.related(span, "the red-beyond distance");
                        }
                        if let Some(span) = def.tolerance.span {
                            d = d.related(span, "the tolerance");
                        }
                        self.error(d);
                    }
                    if rating::crosses_zero(t, &bounds) {
                        let mut d = Diagnostic::new(Code::ThresholdPastZero, target.span, format!(
                            "the tolerance puts the green threshold past zero ({period}: green from {})",
                            bounds.green_edge()
                        ))
                        .label("every non-negative value would be green")
                        .help("check the tolerance: a band wider than the target is rarely meant");
                        if let Some(span) = def.tolerance.span {
                            d = d.related(span, "the tolerance");
                        }
                        self.error(d);
                    }
                }
            }
        }
    }

    fn action(&mut self, a: &ast::Action, group: Option<GroupId>) {
        let index = self.model.actions.len();
        let keep = self.declare(&a.id, Component::Action(index));
        let mut def = ActionDef {
            id: a.id.name.clone(),
            title: a.title.value.clone(),
            span: a.id.span,
            group,
            owner: None,
            lead: None,
            milestones: Vec::new(),
            notes: Vec::new(),
            statuses: PeriodMap::new(),
        };
        let mut seen: HashMap<&str, Span> = HashMap::new();
        for field in &a.fields {
            match field {
                ast::ActionField::Owner(t) | ast::ActionField::Lead(t) => {
                    let name = if matches!(field, ast::ActionField::Owner(_)) {
                        "owner"
                    } else {
                        "lead"
                    };
                    if let Some(first) = seen.insert(name, t.span) {
                        self.error(
                            Diagnostic::new(
                                Code::DuplicateField,
                                t.span,
                                format!("`{name}` is given twice"),
                            )
                            .label("given again here")
                            .related(first, "first given here"),
                        );
                    } else if name == "owner" {
                        def.owner = Some(t.value.clone());
                    } else {
                        def.lead = Some(t.value.clone());
                    }
                }
                ast::ActionField::Milestone(m) => def.milestones.push(MilestoneDef {
                    period: m.period.period,
                    title: m.title.value.clone(),
                    done: m.done.is_some(),
                    concern: m.concern.as_ref().map(|c| c.value.clone()),
                }),
                ast::ActionField::Note(n) => def.notes.push(Dated {
                    period: n.period.period,
                    value: n.text.value.clone(),
                    span: n.span,
                }),
                ast::ActionField::Status(s) => self.status(&mut def.statuses, s),
            }
        }
        if keep {
            self.model.actions.push(def);
        }
    }

    /// Resolves composite components, then looks for cycles among them.
    fn resolve_composites(&mut self) {
        let syntax_errors = self.loaded.has_syntax_errors();
        let composites = std::mem::take(&mut self.composites);
        for (index, composite) in &composites {
            let mut components = Vec::new();
            for ident in &composite.components {
                match self.ids.get(&ident.name) {
                    Some((component, _)) => {
                        if *component == Component::Measure(*index) {
                            self.error(
                                Diagnostic::new(
                                    Code::CompositeCycle,
                                    ident.span,
                                    format!("`{}` is a component of itself", ident.name),
                                )
                                .label("refers to its own measure")
                                .help("a composite is rated from other measures and actions"),
                            );
                        } else {
                            components.push(*component);
                        }
                    }
                    // A missing id may be one the syntax errors swallowed.
                    None => {
                        let help = match self.similar_id(&ident.name) {
                            Some(similar) => format!("did you mean `{similar}`?"),
                            None if syntax_errors => {
                                "the report has syntax errors, which may hide the measure with this id: fix those first".into()
                            }
                            None => "a component is the id of a measure or action in this report (any file)".into(),
                        };
                        self.error(
                            Diagnostic::new(
                                Code::UnknownComponent,
                                ident.span,
                                format!("no measure or action has the id `{}`", ident.name),
                            )
                            .label("unknown id")
                            .help(help),
                        );
                    }
                }
            }
            let measure = &mut self.model.measures[*index];
            let data_span = measure
                .targets
                .values()
                .map(|t| t.span)
                .chain(measure.actuals.values().map(|a| a.span))
                .min_by_key(|span| span.start());
            measure.composite = Some(CompositeDef {
                rule: composite.rule,
                components,
            });
            // A composite is rated from its components at the reported
            // period: a lag (say, from `defaults`) means nothing for it.
            measure.lag = 0;
            if let Some(data_span) = data_span {
                let id = self.model.measures[*index].id.clone();
                self.error(
                    Diagnostic::new(Code::CompositeWithData, data_span, format!("`{id}` is a composite, so it cannot have its own targets or actuals"))
                        .label("a composite's own figure")
                        .related(composite.span, "rated from these components")
                        .help("a composite's rating comes from its components; remove its targets and actuals, or remove `composite`"),
                );
            }
        }
        // Cycles: depth-first over composite → composite edges.
        let mut state = vec![0u8; self.model.measures.len()]; // 0 new, 1 on path, 2 done
        for start in 0..self.model.measures.len() {
            let mut path = Vec::new();
            let found = self.find_cycle(start, &mut state, &mut path);
            // Whatever the search left on its path is finished with.
            for &i in &path {
                state[i] = 2;
            }
            if let Some(cycle) = found.filter(|c| !c.is_empty()) {
                let names: Vec<&str> = cycle
                    .iter()
                    .map(|&i| self.model.measures[i].id.as_str())
                    .collect();
                let span = self.model.measures[cycle[0]].span;
                let message = format!(
                    "composites depend on each other in a circle: {} → {}",
                    names.join(" → "),
                    names[0]
                );
                self.diagnostics.push(
                    Diagnostic::new(Code::CompositeCycle, span, message)
                        .label("part of the circle")
                        .help("a composite cannot, directly or through others, be a component of itself"),
                );
                for &i in &cycle {
                    self.model.measures[i].composite = Some(CompositeDef {
                        rule: CompositeRule::Worst,
                        components: Vec::new(),
                    });
                }
            }
        }
    }

    fn find_cycle(&self, at: usize, state: &mut [u8], path: &mut Vec<usize>) -> Option<Vec<usize>> {
        match state[at] {
            2 => return None,
            1 => {
                let from = path.iter().position(|&i| i == at).unwrap_or(0);
                return Some(path[from..].to_vec());
            }
            _ => {}
        }
        state[at] = 1;
        path.push(at);
        if let Some(composite) = &self.model.measures[at].composite {
            for component in &composite.components {
                if let Component::Measure(next) = component {
                    if let Some(cycle) = self.find_cycle(*next, state, path) {
                        return Some(cycle);
                    }
                }
            }
        }
        path.pop();
        state[at] = 2;
        None
    }

    fn similar_id(&self, name: &str) -> Option<String> {
        let lower = name.to_lowercase();
        let mut ids: Vec<&String> = self.ids.keys().collect();
        ids.sort();
        ids.into_iter()
            .find(|id| {
                id.to_lowercase() == lower
                    || id.replace(['-', '_', '.'], "") == name.replace(['-', '_', '.'], "")
            })
            .cloned()
    }

    /// Checks that need ratings: assessed statuses that disagree with the
    /// computed rating, and a reported period with no actual.
    fn check_against_ratings(&mut self) {
        let mut warnings = Vec::new();
        for (index, measure) in self.model.measures.iter().enumerate() {
            for (period, status) in &measure.statuses {
                // The reports that publish this status: the one for its own
                // period, and the one whose (lagged) data period it is.
                let mut reports = vec![*period];
                if measure.lag > 0 && !period.is_whole_year() {
                    reports.extend(match period.part {
                        Part::Month(..) => period.back_months(-measure.lag_months()),
                        _ => period.back(-(measure.lag_months() / 3)),
                    });
                }
                let disagreement = reports.iter().find_map(|report_period| {
                    let evaluation =
                        interpreter::evaluate_measure(&self.model, index, *report_period);
                    let publishes_this = evaluation.assessed.is_some_and(|(p, _)| p == *period);
                    let computed = evaluation.computed.rag;
                    (publishes_this && computed != Rag::None && computed != status.rag)
                        .then_some((computed, evaluation.data_period))
                });
                if let Some((computed, data_period)) = disagreement {
                    warnings.push(
                        Diagnostic::new(Code::StatusDisagrees, status.span, {
                            let figures = if data_period == *period { String::new() } else { format!(" for {data_period}") };
                            if status.rag == Rag::None {
                                format!("{period} is assessed as not rated, but the figures{figures} give {}", computed.as_str())
                            } else {
                                format!(
                                    "the assessed rating for {period} is {} but the figures{figures} give {}",
                                    status.rag.as_str(),
                                    computed.as_str()
                                )
                            }}).label(format!("assessed {}", status.rag.as_str()))
                        .help(if status.why.is_some() {
                            "the report publishes the assessment, with its reason, and shows the computed rating beside it"
                        } else {
                            "the report publishes the assessment and shows the computed rating beside it; say why in the status: `status P amber \"why\"`"
                        }),);
                }
            }
        }
        for (index, action) in self.model.actions.iter().enumerate() {
            for (period, status) in &action.statuses {
                let computed = interpreter::Interpreter::new(&self.model)
                    .action(index, *period)
                    .computed
                    .rag;
                if computed != Rag::None && computed != status.rag {
                    warnings.push(
                        Diagnostic::new(Code::StatusDisagrees, status.span, format!(
                            "the assessed rating for {period} is {} but the milestones give {}",
                            status.rag.as_str(),
                            computed.as_str()
                        ))
                        .label(format!("assessed {}", status.rag.as_str()))
                        .help("the report publishes the assessment and shows the milestones' rating beside it"),
                    );
                }
            }
        }
        if let Some(period) = self.model.header.period {
            for (index, measure) in self.model.measures.iter().enumerate() {
                if measure.composite.is_some() {
                    continue;
                }
                let evaluation = interpreter::evaluate_measure(&self.model, index, period);
                let expects_actual = matches!(
                    measure.polarity,
                    Some(Polarity::Higher | Polarity::Lower | Polarity::Target)
                ) && evaluation
                    .target
                    .as_ref()
                    .is_some_and(|(_, t)| matches!(t.value, TargetValue::Value(_)));
                if expects_actual && !measure.actuals.contains_key(&evaluation.data_period) {
                    let behind = if evaluation.data_period != period {
                        format!(" (the data period for {period})")
                    } else {
                        String::new()
                    };
                    warnings.push(
                        Diagnostic::new(
                            Code::MissingActual,
                            measure.span,
                            format!(
                                "`{}` has no actual for {}{behind}",
                                measure.id, evaluation.data_period
                            ),
                        )
                        .label("no value for the reported period")
                        .help(format!(
                            "add `actual {} …`, or `actual {} n/a \"why\"` if there is no figure",
                            evaluation.data_period, evaluation.data_period
                        )),
                    );
                }
            }
        }
        self.diagnostics.extend(warnings);
    }
}

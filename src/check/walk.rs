//! The walk over the files in source order: `defaults` scoping, the
//! report header, the id table, and each measure and action checked field
//! by field.

use std::collections::HashMap;

use crate::diagnostic::{Code, Diagnostic};
use crate::model::*;
use crate::period::Period;
use crate::period_map::PeriodMap;
use crate::syntax::ast::{self, Item};
use crate::syntax::span::{FileId, Span};

use super::Checker;

/// Settings in force: from `defaults` blocks, then the measure's own.
#[derive(Clone, Default)]
pub(super) struct Settings {
    pub(super) unit: Option<(ast::Unit, Span)>,
    pub(super) polarity: Option<(ast::Polarity, Span)>,
    pub(super) cadence: Option<(ast::Cadence, Span)>,
    pub(super) owner: Option<ast::Text>,
    pub(super) lead: Option<ast::Text>,
    pub(super) lag: Option<(u32, Span)>,
    pub(super) tolerance: Option<ast::Band>,
    pub(super) amber: Option<ast::Band>,
}

impl Settings {
    /// Sets one field; returns the span of an earlier value set at the same
    /// level (`level_start` is where this level's own settings began).
    pub(super) fn set(&mut self, setting: &ast::Setting) {
        match setting {
            ast::Setting::Unit(unit, span) => self.unit = Some((unit.clone(), *span)),
            ast::Setting::Polarity(polarity, span) => self.polarity = Some((*polarity, *span)),
            ast::Setting::Cadence(cadence, span) => self.cadence = Some((*cadence, *span)),
            ast::Setting::Owner(text) => self.owner = Some(text.clone()),
            ast::Setting::Lead(text) => self.lead = Some(text.clone()),
            ast::Setting::Lag(lag, span) => self.lag = Some((*lag, *span)),
            ast::Setting::Tolerance(band) => self.tolerance = Some(band.clone()),
            ast::Setting::Amber(band) => self.amber = Some(band.clone()),
        }
    }
}

fn setting_span(setting: &ast::Setting) -> Span {
    match setting {
        ast::Setting::Unit(_, s)
        | ast::Setting::Polarity(_, s)
        | ast::Setting::Cadence(_, s)
        | ast::Setting::Lag(_, s) => *s,
        ast::Setting::Owner(t) | ast::Setting::Lead(t) => t.span,
        ast::Setting::Tolerance(b) | ast::Setting::Amber(b) => b.literal.span,
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

impl Checker<'_> {
    /// Walks items in order, each dropped once it is checked.
    pub(super) fn walk(
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
                        if let ast::Setting::Tolerance(band) | ast::Setting::Amber(band) = setting {
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

    pub(super) fn header(&mut self, header: &ast::ReportHeader) {
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

    pub(super) fn declare(&mut self, id: &ast::Ident, what: Component) -> bool {
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
    pub(super) fn measure(
        &mut self,
        m: &mut ast::Measure,
        group: Option<GroupId>,
        scope: &Settings,
    ) {
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
            lag: settings.lag.map_or(0, |(l, _)| l),
            tolerance,
            amber,
            targets: PeriodMap::new(),
            baselines: Vec::new(),
            actuals: PeriodMap::new(),
            benchmarks: Vec::new(),
            notes: Vec::new(),
            statuses: PeriodMap::new(),
            composite: None,
        };
        let mut first_target: Option<Span> = None;
        // Whether this measure has had a `composite` line already.
        let mut composite_seen = false;
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
                    if def.composite.is_some() || composite_seen {
                        self.error(
                            Diagnostic::new(
                                Code::DuplicateField,
                                c.span,
                                "a second `composite` line",
                            )
                            .label("given again here")
                            .help("list all the components in one `composite` line"),
                        );
                    } else {
                        composite_seen = true;
                        if keep {
                            self.composites.push((index, c.clone()));
                        }
                    }
                }
            }
        }
        self.measure_warnings(&def, m, first_target, &settings);
        if keep {
            self.model.measures.push(def);
        } else {
            self.discarded.push(def);
        }
    }

    /// Checks that need the whole measure.
    pub(super) fn measure_warnings(
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
            let span = settings.lag.map_or(m.id.span, |(_, s)| s);
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
        if def.cadence == Cadence::Annual {
            for (period, target) in &def.targets {
                if !period.is_year() && target.source == TargetSource::Quarter {
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
            }
        }
    }

    pub(super) fn action(&mut self, a: &ast::Action, group: Option<GroupId>) {
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
}

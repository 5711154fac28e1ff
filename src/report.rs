//! A rated report: what every output format renders.
//!
//! Its JSON form is the contract of LANGUAGE.md § The report: the fields
//! named there keep their names and meaning; the others add what a consumer
//! needs. Decimals are strings holding the exact value.

use rust_decimal::Decimal;
use serde::Serialize;

pub use crate::exceptions::Exceptions;
use crate::interpreter::{ActionEvaluation, Evaluation, Interpreter, Reason, Travel};
use crate::model::*;
use crate::period::Period;
use crate::rating::{Bounds, Direction};

#[derive(Clone, Debug, Serialize)]
pub struct Report {
    pub period: Period,
    pub title: Option<String>,
    pub organisation: Option<String>,
    /// Month labels of the period, e.g. `Apr–Jun 2017`.
    pub months: String,
    pub measures: Vec<MeasureReport>,
    pub actions: Vec<ActionReport>,
    /// Counts over measures and actions together.
    pub summary: Summary,
    /// The same counts for measures and for actions apart.
    pub counts: Counts,
    /// Counts per group (each includes its nested groups), in source order.
    pub groups: Vec<GroupSummary>,
    /// What needs attention: the red and amber entries and the missing
    /// figures (the "Needs attention" section of every format).
    pub exceptions: Exceptions,
}

#[derive(Clone, Debug, Default, Eq, PartialEq, Serialize)]
pub struct Summary {
    pub green: usize,
    pub amber: usize,
    pub red: usize,
    pub none: usize,
}

impl Summary {
    pub fn add(&mut self, rag: Rag) {
        match rag {
            Rag::Green => self.green += 1,
            Rag::Amber => self.amber += 1,
            Rag::Red => self.red += 1,
            Rag::None => self.none += 1,
        }
    }

    pub fn total(&self) -> usize {
        self.green + self.amber + self.red + self.none
    }

    /// "15 on target, 4 within tolerance, 3 off target, 3 not rated"
    pub fn sentence(&self) -> String {
        format!(
            "{} green (on target), {} amber (near target), {} red (off target), {} not rated",
            self.green, self.amber, self.red, self.none
        )
    }
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct Counts {
    pub measures: Summary,
    pub actions: Summary,
}

#[derive(Clone, Debug, Serialize)]
pub struct GroupSummary {
    pub path: Vec<String>,
    pub summary: Summary,
}

#[derive(Clone, Debug, Serialize)]
pub struct MeasureReport {
    pub id: String,
    pub title: String,
    pub group: Vec<String>,
    /// The period whose data is rated (the reported period less any lag).
    pub period: Period,
    /// The period reported (the report's), to show `period` beside the
    /// actual wherever the two differ.
    #[serde(skip)]
    pub reported: Period,
    /// The actual's exact value (a fraction as `50/66`); `null` if none.
    pub actual: Option<String>,
    /// The target's exact value; `null` if none (or `tbc`).
    pub target: Option<String>,
    pub rating: Rag,
    pub reason: Option<Reason>,
    pub direction: Directions,
    // --- beyond the contract ---
    pub reason_text: Option<String>,
    pub unit: String,
    pub polarity: Option<&'static str>,
    pub cadence: &'static str,
    pub owner: Option<String>,
    pub lead: Option<String>,
    pub lag: u32,
    /// "reported one quarter behind", when lagged.
    pub lagged: Option<String>,
    /// The actual for display: `83%`, `75.8% (50/66)`, `118.4 kg per head`.
    pub actual_display: Option<String>,
    /// The actual as written in the source.
    pub actual_text: Option<String>,
    pub fraction: Option<Fraction>,
    pub provisional: bool,
    /// The recorded reason of an `n/a` actual.
    pub not_available: Option<String>,
    pub target_display: Option<String>,
    /// `annual`, `quarter`, `graduated` or `tbc`.
    pub target_source: Option<&'static str>,
    /// The period the target was declared for.
    pub target_period: Option<Period>,
    /// The annual target of the data period's year, as shown, when the
    /// target that applies is a period's own (to print the two side by
    /// side); `null` otherwise.
    pub annual_target_display: Option<String>,
    pub tolerance: String,
    pub amber: String,
    pub thresholds: Option<Thresholds>,
    /// The thresholds in words and units, rounded as published (see
    /// [`crate::numbers`]): `green ≥ 95%, amber ≥ 85.5%`.
    pub thresholds_display: Option<String>,
    /// The thresholds' numbers as shown (rounded, with thousands
    /// separators, in the unit): for renderers that lay them out.
    #[serde(skip)]
    pub thresholds_shown: Option<Thresholds>,
    pub variance: Option<Variance>,
    pub computed: RatedReport,
    pub assessed: Option<Assessed>,
    /// The assessed rating differs from the computed one.
    pub disagreement: bool,
    pub comparisons: Comparisons,
    pub baselines: Vec<DatedValue>,
    pub benchmarks: Vec<BenchmarkReport>,
    pub notes: Vec<NoteReport>,
    pub components: Vec<ComponentReport>,
    /// The last eight periods up to the data period (quarters, or years for
    /// annual measures), oldest first: for sparklines and trend tables.
    pub history: Vec<HistoryPoint>,
}

/// One period of a measure's history.
#[derive(Clone, Debug, Serialize)]
pub struct HistoryPoint {
    pub period: Period,
    /// The actual's exact value (fractions rounded to 4 places); `null`
    /// when there is none or it is `n/a`.
    pub actual: Option<String>,
    pub target: Option<String>,
    /// The thresholds that applied that period, when it had a numeric target
    /// (for charts; left out of the JSON, which has the current thresholds).
    #[serde(skip)]
    pub thresholds: Option<Thresholds>,
    pub provisional: bool,
}

#[derive(Clone, Debug, Serialize)]
pub struct Directions {
    pub short: Direction,
    pub long: Direction,
}

#[derive(Clone, Debug, Serialize)]
pub struct Fraction {
    pub numerator: String,
    pub denominator: String,
}

/// The thresholds the actual was compared with.
#[derive(Clone, Debug, Serialize)]
pub struct Thresholds {
    /// `at-least` (higher), `at-most` (lower) or `between` (target).
    pub kind: &'static str,
    /// Green from (higher) / up to (lower).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub green: Option<String>,
    /// Amber from (higher) / up to (lower); below/above it is red.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub amber: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub green_low: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub green_high: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub amber_low: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub amber_high: Option<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Variance {
    /// actual − target (rounded to 4 places only for fractions).
    pub absolute: String,
    /// (actual − target) / |target| × 100, to one decimal place.
    pub relative: Option<String>,
    /// The absolute variance as published, signed, in the unit (`pp` for
    /// percentages): `-12pp`, `+8.15 kg per head`, `-£0.2m`.
    pub absolute_display: String,
    /// The relative variance as published: `-12.6%`.
    pub relative_display: Option<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct RatedReport {
    pub rating: Rag,
    pub reason: Option<Reason>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Assessed {
    pub rating: Rag,
    pub period: Period,
    pub why: Option<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Comparisons {
    pub short: Comparison,
    pub long: Comparison,
}

/// What a direction compared with.
#[derive(Clone, Debug, Serialize)]
pub struct Comparison {
    pub period: Option<Period>,
    pub value: Option<String>,
    pub display: Option<String>,
    pub rating: Option<Rag>,
}

#[derive(Clone, Debug, Serialize)]
pub struct DatedValue {
    pub period: Period,
    pub value: String,
    pub display: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct BenchmarkReport {
    pub name: String,
    pub period: Period,
    pub value: String,
    pub display: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct NoteReport {
    pub period: Period,
    pub text: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct ComponentReport {
    pub id: String,
    pub rating: Rag,
}

#[derive(Clone, Debug, Serialize)]
pub struct ActionReport {
    pub id: String,
    pub rating: Rag,
    pub title: String,
    pub group: Vec<String>,
    pub reason: Option<Reason>,
    pub reason_text: Option<String>,
    pub owner: Option<String>,
    pub lead: Option<String>,
    pub milestones_due: usize,
    pub milestones_done: usize,
    pub milestones: Vec<MilestoneReport>,
    pub computed: RatedReport,
    pub assessed: Option<Assessed>,
    pub disagreement: bool,
    pub notes: Vec<NoteReport>,
}

#[derive(Clone, Debug, Serialize)]
pub struct MilestoneReport {
    pub period: Period,
    pub title: String,
    pub done: bool,
    pub due: bool,
    /// `done`, `overdue`, `concern` (done, with a concern) or `pending`.
    pub state: &'static str,
    pub concern: Option<String>,
}

/// Rates the whole model at `period`.
pub fn build(model: &Model, period: Period) -> Report {
    let interpreter = Interpreter::new(model);
    let measures: Vec<MeasureReport> = (0..model.measures.len())
        .map(|i| measure_report(model, &interpreter.measure(i, period)))
        .collect();
    let actions: Vec<ActionReport> = (0..model.actions.len())
        .map(|i| action_report(model, &interpreter.action(i, period)))
        .collect();
    let measure_ratings: Vec<Rag> = measures.iter().map(|m| m.rating).collect();
    let action_ratings: Vec<Rag> = actions.iter().map(|a| a.rating).collect();
    let (summary, counts, groups) = summarise(model, &measure_ratings, &action_ratings);
    let exceptions = crate::exceptions::find(
        model,
        &interpreter,
        period,
        &measure_ratings,
        &action_ratings,
    );
    Report {
        period,
        title: model.header.title.clone(),
        organisation: model.header.organisation.clone(),
        months: period.months(model.header.year_start),
        measures,
        actions,
        summary,
        counts,
        groups,
        exceptions,
    }
}

/// The counts of a report: overall, for measures and actions apart, and
/// per group (each group's including its nested groups).
pub fn summarise(
    model: &Model,
    measures: &[Rag],
    actions: &[Rag],
) -> (Summary, Counts, Vec<GroupSummary>) {
    let mut counts = Counts::default();
    let mut summary = Summary::default();
    let mut groups: Vec<GroupSummary> = (0..model.groups.len())
        .map(|g| GroupSummary {
            path: model.group_path(Some(g)),
            summary: Summary::default(),
        })
        .collect();
    let mut count_in_groups = |group: Option<GroupId>, rag: Rag| {
        let mut next = group;
        while let Some(g) = next {
            groups[g].summary.add(rag);
            next = model.groups[g].parent;
        }
    };
    for (rag, def) in measures.iter().zip(&model.measures) {
        counts.measures.add(*rag);
        summary.add(*rag);
        count_in_groups(def.group, *rag);
    }
    for (rag, def) in actions.iter().zip(&model.actions) {
        counts.actions.add(*rag);
        summary.add(*rag);
        count_in_groups(def.group, *rag);
    }
    (summary, counts, groups)
}

/// The counts of a report at `period`, from a first pass over the ratings
/// only, so that the entries can then be built and written one at a time
/// (see [`render::json::write`](crate::render::json::write)).
pub fn counts_at(
    model: &Model,
    period: Period,
) -> (Summary, Counts, Vec<GroupSummary>, Exceptions) {
    let interpreter = Interpreter::new(model);
    let measures: Vec<Rag> = (0..model.measures.len())
        .map(|i| interpreter.rating(i, period))
        .collect();
    let actions: Vec<Rag> = (0..model.actions.len())
        .map(|i| interpreter.action(i, period).rating.rag)
        .collect();
    let (summary, counts, groups) = summarise(model, &measures, &actions);
    let exceptions = crate::exceptions::find(model, &interpreter, period, &measures, &actions);
    (summary, counts, groups, exceptions)
}

/// The unit as shown after a value: `%`, ` days`, ` kg per head`, `£m`.
pub fn unit_label(unit: &Unit) -> String {
    match unit {
        Unit::Percent => "percent".into(),
        Unit::Count => "count".into(),
        Unit::Number => "number".into(),
        Unit::Days => "days".into(),
        Unit::Money(label) => format!("money {}", label.as_deref().unwrap_or("£")),
        Unit::Other(text) => text.clone(),
    }
}

/// A value for people: `83%`, `75.8% (50/66)`, `£1.2m`, `0.8 days`.
pub fn display_value(unit: &Unit, value: &Value) -> String {
    display_value_to(unit, value, 1)
}

/// A value with a fraction that has no exact decimal shown to `places`
/// decimal places (for comparisons that hinge on more than one).
pub fn display_value_to(unit: &Unit, value: &Value, places: u32) -> String {
    let number = match value.decimal() {
        Some(d) if value.fraction().is_none() => d.to_string(),
        Some(d) => d.normalize().to_string(),
        None => value.ratio().to_decimal_rounded(places).to_string(),
    };
    let shown = display_number(unit, &number);
    match &value.fraction() {
        Some((n, d)) => format!("{shown} ({n}/{d})"),
        None => shown,
    }
}

fn display_decimal(unit: &Unit, d: Decimal) -> String {
    display_number(unit, &d.to_string())
}

fn display_number(unit: &Unit, number: &str) -> String {
    let grouped = crate::numbers::group_thousands(number);
    let number = grouped.as_str();
    match unit {
        Unit::Percent => format!("{number}%"),
        Unit::Count | Unit::Number => number.to_string(),
        Unit::Days if number == "1" => "1 day".to_string(),
        Unit::Days => format!("{number} days"),
        Unit::Money(label) => {
            let label = label.as_deref().unwrap_or("£");
            // `£m` reads as £1.2m: the symbol before, the rest after.
            let mut chars = label.chars();
            match chars.next() {
                Some(symbol) if !symbol.is_alphanumeric() => {
                    let (sign, digits) =
                        number.strip_prefix('-').map_or(("", number), |d| ("-", d));
                    format!("{sign}{symbol}{digits}{}", chars.as_str())
                }
                _ => format!("{number} {label}"),
            }
        }
        Unit::Other(text) => format!("{number} {text}"),
    }
}

fn polarity_word(polarity: Option<Polarity>) -> Option<&'static str> {
    polarity.map(|p| match p {
        Polarity::Higher => "higher",
        Polarity::Lower => "lower",
        Polarity::Target => "target",
        Polarity::None => "none",
        Polarity::Tbc => "tbc",
    })
}

fn comparison(unit: &Unit, travel: &Travel) -> Comparison {
    Comparison {
        period: travel.period,
        value: travel.value.map(Value::exact_string),
        display: travel.value.map(|v| display_value(unit, v)),
        rating: travel.rating,
    }
}

fn notes(notes: &[Dated<String>], periods: &[Period]) -> Vec<NoteReport> {
    notes
        .iter()
        .filter(|n| periods.contains(&n.period))
        .map(|n| NoteReport {
            period: n.period,
            text: n.value.clone(),
        })
        .collect()
}

/// "reported one quarter behind"
pub fn lag_words(lag: u32) -> String {
    const WORDS: [&str; 5] = ["no", "one", "two", "three", "four"];
    match lag {
        1 => "reported one quarter behind".into(),
        n if (n as usize) < WORDS.len() => {
            format!("reported {} quarters behind", WORDS[n as usize])
        }
        n => format!("reported {n} quarters behind"),
    }
}

/// One measure's entry of the report.
pub fn measure_report(model: &Model, e: &Evaluation) -> MeasureReport {
    measure_report_with(model, e, true)
}

/// [`measure_report`] for the JSON report, which leaves out each history
/// point's thresholds (they are for charts): not working them out saves a
/// sixth of the time of a large JSON report.
pub fn measure_report_for_json(model: &Model, e: &Evaluation) -> MeasureReport {
    measure_report_with(model, e, false)
}

fn measure_report_with(model: &Model, e: &Evaluation, chart_thresholds: bool) -> MeasureReport {
    let m = e.measure;
    let actual = e.actual_value();
    let target = e.target_value();
    let thresholds = e.bounds.map(|b| thresholds_report(&b));
    let places =
        crate::numbers::shown_places(actual.map(shown_decimal), target.and_then(|t| t.decimal()));
    let against = actual.map(|a| a.ratio().to_decimal_rounded(10));
    let shown = e.bounds.map(|b| shown_bounds(&b, places, against));
    let thresholds_display = shown.map(|b| thresholds_words(&m.unit, &b));
    let thresholds_shown = shown.map(|b| shown_thresholds(&m.unit, &b));
    let variance = match (actual, target.and_then(|t| t.decimal())) {
        (Some(a), Some(t)) => variance(&m.unit, a, t, places),
        _ => None,
    };
    MeasureReport {
        id: m.id.clone(),
        title: m.title.clone(),
        group: model.group_path(m.group),
        period: e.data_period,
        reported: e.period,
        actual: actual.map(|a| match &a.fraction() {
            Some((n, d)) => format!("{n}/{d}"),
            None => a.exact_string(),
        }),
        target: target.map(Value::exact_string),
        rating: e.rating.rag,
        reason: e.rating.reason.clone(),
        direction: Directions {
            short: e.short.direction,
            long: e.long.direction,
        },
        reason_text: e.rating.reason.as_ref().map(Reason::describe),
        unit: unit_label(&m.unit),
        polarity: polarity_word(m.polarity),
        cadence: match m.cadence {
            Cadence::Quarterly => "quarterly",
            Cadence::Annual => "annual",
        },
        owner: m.owner.clone(),
        lead: m.lead.clone(),
        lag: m.lag,
        lagged: (e.data_period != e.period && m.lag > 0).then(|| lag_words(m.lag)),
        actual_display: actual.map(|a| display_value(&m.unit, a)),
        actual_text: actual.map(|a| a.text.to_string()),
        fraction: actual.and_then(|a| a.fraction()).map(|(n, d)| Fraction {
            numerator: n.to_string(),
            denominator: d.to_string(),
        }),
        provisional: e.actual.is_some_and(ActualDef::provisional),
        not_available: match e.actual.map(|a| &a.reading) {
            Some(Reading::NotAvailable { reason }) => Some(reason.clone().unwrap_or_default()),
            _ => None,
        },
        target_display: match e.target {
            Some((
                _,
                TargetDef {
                    value: TargetValue::Tbc,
                    ..
                },
            )) => Some("tbc".into()),
            _ => target.map(|t| display_value(&m.unit, t)),
        },
        target_source: e.target.map(|(_, t)| match (&t.value, t.source) {
            (TargetValue::Tbc, _) => "tbc",
            (_, TargetSource::Annual) => "annual",
            (_, TargetSource::Quarter) => "quarter",
            (_, TargetSource::Graduated) => "graduated",
        }),
        target_period: e.target.map(|(p, _)| p),
        annual_target_display: match e.target {
            Some((p, _)) if !p.is_year() => match m.targets.get(&e.data_period.fiscal_year()) {
                Some(TargetDef {
                    value: TargetValue::Value(v),
                    ..
                }) => Some(display_value(&m.unit, v)),
                Some(TargetDef {
                    value: TargetValue::Tbc,
                    ..
                }) => Some("tbc".into()),
                None => None,
            },
            _ => None,
        },
        tolerance: m.tolerance.text.clone(),
        amber: m.amber.text.clone(),
        thresholds,
        thresholds_display,
        thresholds_shown,
        variance,
        computed: RatedReport {
            rating: e.computed.rag,
            reason: e.computed.reason.clone(),
        },
        assessed: e.assessed.map(|(period, s)| Assessed {
            rating: s.rag,
            period,
            why: s.why.clone(),
        }),
        disagreement: e.disagrees(),
        comparisons: Comparisons {
            short: comparison(&m.unit, &e.short),
            long: comparison(&m.unit, &e.long),
        },
        baselines: m
            .baselines
            .iter()
            .map(|b| DatedValue {
                period: b.period,
                value: b.value.exact_string(),
                display: display_value(&m.unit, &b.value),
            })
            .collect(),
        benchmarks: m
            .benchmarks
            .iter()
            .map(|b| BenchmarkReport {
                name: b.name.clone(),
                period: b.period,
                value: b.value.exact_string(),
                display: display_value(&m.unit, &b.value),
            })
            .collect(),
        notes: notes(&m.notes, &dedup([e.period, e.data_period])),
        components: e
            .components
            .iter()
            .map(|(id, rating)| ComponentReport {
                id: id.clone(),
                rating: *rating,
            })
            .collect(),
        history: history(m, e.data_period, chart_thresholds),
    }
}

/// How many periods a measure's history holds.
pub const HISTORY_LENGTH: i64 = 8;

fn history(m: &MeasureDef, data_period: Period, with_thresholds: bool) -> Vec<HistoryPoint> {
    if m.composite.is_some() {
        return Vec::new();
    }
    (0..HISTORY_LENGTH)
        .rev()
        .filter_map(|back| match m.cadence {
            Cadence::Quarterly => data_period.back(back),
            Cadence::Annual => data_period.back(back * 4),
        })
        .map(|period| {
            let actual = m.actuals.get(&period);
            let target = Interpreter::target(m, period).and_then(|(_, t)| match &t.value {
                TargetValue::Value(v) => v.decimal(),
                TargetValue::Tbc => None,
            });
            let thresholds = match (m.polarity, target) {
                (Some(p @ (Polarity::Higher | Polarity::Lower | Polarity::Target)), Some(t))
                    if with_thresholds =>
                {
                    crate::rating::thresholds(p, t, &m.tolerance, &m.amber)
                        .ok()
                        .map(|b| thresholds_report(&b))
                }
                _ => None,
            };
            HistoryPoint {
                period,
                actual: actual.and_then(ActualDef::value).map(Value::exact_string),
                target: target.map(normal),
                thresholds,
                provisional: actual.is_some_and(ActualDef::provisional),
            }
        })
        .collect()
}

fn dedup(periods: [Period; 2]) -> Vec<Period> {
    if periods[0] == periods[1] {
        vec![periods[0]]
    } else {
        periods.to_vec()
    }
}

fn thresholds_report(bounds: &Bounds) -> Thresholds {
    let s = |d: Decimal| Some(normal(d));
    match *bounds {
        Bounds::Higher { green, red } => Thresholds {
            kind: "at-least",
            green: s(green),
            amber: s(red),
            green_low: None,
            green_high: None,
            amber_low: None,
            amber_high: None,
        },
        Bounds::Lower { green, red } => Thresholds {
            kind: "at-most",
            green: s(green),
            amber: s(red),
            green_low: None,
            green_high: None,
            amber_low: None,
            amber_high: None,
        },
        Bounds::Target {
            green_low,
            green_high,
            red_low,
            red_high,
        } => Thresholds {
            kind: "between",
            green: None,
            amber: None,
            green_low: s(green_low),
            green_high: s(green_high),
            amber_low: s(red_low),
            amber_high: s(red_high),
        },
    }
}

/// `green ≥ 95%, amber ≥ 85.5%` (or `green ≥ 95%` with no amber band).
pub fn thresholds_words(unit: &Unit, bounds: &Bounds) -> String {
    let u = |d: Decimal| display_threshold(unit, d);
    match *bounds {
        Bounds::Higher { green, red } if green == red => format!("green ≥ {}", u(green)),
        Bounds::Higher { green, red } => format!("green ≥ {}, amber ≥ {}", u(green), u(red)),
        Bounds::Lower { green, red } if green == red => format!("green ≤ {}", u(green)),
        Bounds::Lower { green, red } => format!("green ≤ {}, amber ≤ {}", u(green), u(red)),
        Bounds::Target {
            green_low,
            green_high,
            red_low,
            red_high,
        } if green_low == red_low && green_high == red_high => {
            format!("green {} to {}", u(green_low), u(green_high))
        }
        Bounds::Target {
            green_low,
            green_high,
            red_low,
            red_high,
        } => {
            format!(
                "green {} to {}, amber {} to {}",
                u(green_low),
                u(green_high),
                u(red_low),
                u(red_high)
            )
        }
    }
}

/// A decimal without trailing zeros (`85.50` → `85.5`).
pub fn normal(d: Decimal) -> String {
    d.normalize().to_string()
}

/// The actual as a decimal with the places it is shown with: as written,
/// or for a fraction, its exact decimal or one place.
fn shown_decimal(actual: &Value) -> Decimal {
    match (actual.decimal(), actual.fraction()) {
        (Some(d), None) => d,
        (Some(d), Some(_)) => d.normalize(),
        (None, _) => actual.ratio().to_decimal_rounded(1),
    }
}

/// The bounds rounded as published (see [`crate::numbers`]).
fn shown_bounds(bounds: &Bounds, places: u32, actual: Option<Decimal>) -> Bounds {
    let r = |d: Decimal| crate::numbers::round_keeping_side(d, places, actual);
    match *bounds {
        Bounds::Higher { green, red } => Bounds::Higher {
            green: r(green),
            red: r(red),
        },
        Bounds::Lower { green, red } => Bounds::Lower {
            green: r(green),
            red: r(red),
        },
        Bounds::Target {
            green_low,
            green_high,
            red_low,
            red_high,
        } => Bounds::Target {
            green_low: r(green_low),
            green_high: r(green_high),
            red_low: r(red_low),
            red_high: r(red_high),
        },
    }
}

/// The thresholds as shown: each number in the unit.
fn shown_thresholds(unit: &Unit, bounds: &Bounds) -> Thresholds {
    let mut t = thresholds_report(bounds);
    for field in [
        &mut t.green,
        &mut t.amber,
        &mut t.green_low,
        &mut t.green_high,
        &mut t.amber_low,
        &mut t.amber_high,
    ] {
        *field = field.as_deref().map(|n| display_number(unit, n));
    }
    t
}

/// A signed difference in the unit: `-12pp`, `+£0.2m`, `+1 day`.
pub fn display_difference(unit: &Unit, d: Decimal) -> String {
    let text = crate::numbers::signed(d);
    let (sign, digits) = match text.chars().next() {
        Some(c @ ('+' | '-')) => (c.to_string(), &text[1..]),
        _ => (String::new(), text.as_str()),
    };
    match unit {
        Unit::Percent => format!("{sign}{digits}pp"),
        _ => format!("{sign}{}", display_number(unit, digits)),
    }
}

fn variance(unit: &Unit, actual: &Value, target: Decimal, places: u32) -> Option<Variance> {
    let absolute = match actual.decimal() {
        Some(a) => crate::exact::sub(a, target)?,
        // A fraction without an exact decimal: shown to four places.
        None => actual
            .ratio()
            .to_decimal_rounded(10)
            .checked_sub(target)?
            .round_dp(4),
    };
    let relative = if target.is_zero() {
        None
    } else {
        // Display only: division is never used to decide a rating. Values
        // too large for it simply go without a relative variance.
        absolute
            .checked_div(target.abs())
            .and_then(|r| r.checked_mul(Decimal::ONE_HUNDRED))
    };
    let shown = crate::numbers::variance(absolute, places);
    Some(Variance {
        absolute: normal(absolute),
        relative: relative.map(|r| {
            r.round_dp_with_strategy(1, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
                .normalize()
                .to_string()
        }),
        absolute_display: display_difference(unit, shown),
        relative_display: relative.map(|r| {
            format!(
                "{}%",
                crate::numbers::signed(crate::numbers::variance(r, 1))
            )
        }),
    })
}

/// One action's entry of the report.
pub fn action_report(model: &Model, e: &ActionEvaluation) -> ActionReport {
    let a = e.action;
    let now = e.period.quarter_index();
    ActionReport {
        id: a.id.clone(),
        rating: e.rating.rag,
        title: a.title.clone(),
        group: model.group_path(a.group),
        reason: e.rating.reason.clone(),
        reason_text: e.rating.reason.as_ref().map(Reason::describe),
        owner: a.owner.clone(),
        lead: a.lead.clone(),
        milestones_due: e.due,
        milestones_done: e.done,
        milestones: a
            .milestones
            .iter()
            .map(|m| {
                let due = m.period.quarter_index() <= now;
                let state = match (m.done, due, m.concern.is_some()) {
                    (true, _, true) => "concern",
                    (true, _, false) => "done",
                    (false, true, _) => "overdue",
                    (false, false, _) => "pending",
                };
                MilestoneReport {
                    period: m.period,
                    title: m.title.clone(),
                    done: m.done,
                    due,
                    state,
                    concern: m.concern.clone(),
                }
            })
            .collect(),
        computed: RatedReport {
            rating: e.computed.rag,
            reason: e.computed.reason.clone(),
        },
        assessed: e.assessed.map(|(period, s)| Assessed {
            rating: s.rag,
            period,
            why: s.why.clone(),
        }),
        disagreement: matches!(e.assessed, Some((_, s)) if e.computed.rag != Rag::None && s.rag != e.computed.rag),
        notes: notes(&a.notes, &[e.period]),
    }
}

/// Shows a threshold in the measure's unit.
pub fn display_threshold(unit: &Unit, d: Decimal) -> String {
    display_decimal(unit, d.normalize())
}

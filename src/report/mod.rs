//! A rated report: what every output format renders.
//!
//! Its JSON form is the contract of LANGUAGE.md § The report: the fields
//! named there keep their names and meaning; the others add what a consumer
//! needs. Decimals are strings holding the exact value.

mod display;
pub mod exceptions;
mod measure;
pub mod numbers;
mod stream;

pub use display::*;
pub use exceptions::Exceptions;
pub use measure::*;
pub use stream::{stream, Stream};

use serde::Serialize;

use crate::eval::interpreter::{Interpreter, Reason};
use crate::eval::rating::Direction;
use crate::model::*;
use crate::period::Period;

#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
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

#[derive(Clone, Debug, Default, Eq, PartialEq, Serialize, schemars::JsonSchema)]
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

#[derive(Clone, Debug, Default, Serialize, schemars::JsonSchema)]
pub struct Counts {
    pub measures: Summary,
    pub actions: Summary,
}

#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct GroupSummary {
    pub path: Vec<String>,
    pub summary: Summary,
}

#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
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
    /// `months` or `quarters` as written after the lag; `null` for a bare
    /// `lag N` (quarters).
    pub lag_unit: Option<&'static str>,
    /// The kind of year of an annual measure: `financial`, `calendar` or
    /// `academic`.
    pub year: &'static str,
    /// Actuals are running totals since the start of the year.
    pub year_to_date: bool,
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
    /// `red beyond B` as written; `null` when the measure has an amber band.
    pub red_beyond: Option<String>,
    pub thresholds: Option<Thresholds>,
    /// The thresholds in words and units, rounded as published (see
    /// [`crate::report::numbers`]): `green ≥ 95%, amber ≥ 85.5%`.
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
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
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

#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct Directions {
    pub short: Direction,
    pub long: Direction,
}

#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct Fraction {
    pub numerator: String,
    pub denominator: String,
}

/// The thresholds the actual was compared with.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct Thresholds {
    /// `at-least` (higher), `at-most` (lower) or `between` (target).
    pub kind: ThresholdKind,
    /// The band rule that placed the red threshold: `amber` (an amber band
    /// from the green threshold) or `red-beyond` (a distance from the
    /// target).
    pub rule: BandRule,
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

#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
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

#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct RatedReport {
    pub rating: Rag,
    pub reason: Option<Reason>,
}

#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct Assessed {
    pub rating: Rag,
    pub period: Period,
    pub why: Option<String>,
}

#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct Comparisons {
    pub short: Comparison,
    pub long: Comparison,
}

/// What a direction compared with.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct Comparison {
    pub period: Option<Period>,
    pub value: Option<String>,
    pub display: Option<String>,
    pub rating: Option<Rag>,
}

#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct DatedValue {
    pub period: Period,
    pub value: String,
    pub display: String,
}

#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct BenchmarkReport {
    pub name: String,
    pub period: Period,
    pub value: String,
    pub display: String,
}

#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct NoteReport {
    pub period: Period,
    pub text: String,
}

#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct ComponentReport {
    pub id: String,
    pub rating: Rag,
}

#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
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

#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct MilestoneReport {
    pub period: Period,
    pub title: String,
    pub done: bool,
    pub due: bool,
    pub state: MilestoneState,
    pub concern: Option<String>,
}

/// Where a milestone stands at the reported period.
#[derive(Clone, Copy, Debug, Eq, PartialEq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum MilestoneState {
    /// Done.
    Done,
    /// Due and not done.
    Overdue,
    /// Done, with a concern.
    Concern,
    /// Not yet due, not done.
    Pending,
}

impl MilestoneState {
    /// The word the JSON and CSV reports use: `done`, `overdue`, `concern`,
    /// `pending`.
    pub fn as_str(self) -> &'static str {
        match self {
            MilestoneState::Done => "done",
            MilestoneState::Overdue => "overdue",
            MilestoneState::Concern => "concern",
            MilestoneState::Pending => "pending",
        }
    }
}

impl std::fmt::Display for MilestoneState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Which way the thresholds face.
#[derive(Clone, Copy, Debug, Eq, PartialEq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum ThresholdKind {
    /// Higher is better: green at least the green threshold.
    AtLeast,
    /// Lower is better: green at most the green threshold.
    AtMost,
    /// Closer to the target is better: green between two thresholds.
    Between,
}

/// The band rule that placed the red threshold.
#[derive(Clone, Copy, Debug, Eq, PartialEq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum BandRule {
    /// An amber band measured from the green threshold.
    Amber,
    /// `red beyond`: a distance from the target.
    RedBeyond,
}

/// Rates the whole model at `period`.
pub fn build(model: &Model, period: Period) -> Report {
    // A month is placed in its year by the header's year start.
    let period = period.with_year_start(model.header.year_start);
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
    let exceptions = exceptions::find(
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
/// (see [`stream`]).
pub fn counts_at(
    model: &Model,
    period: Period,
) -> (Summary, Counts, Vec<GroupSummary>, Exceptions) {
    let period = period.with_year_start(model.header.year_start);
    let interpreter = Interpreter::new(model);
    let measures: Vec<Rag> = (0..model.measures.len())
        .map(|i| interpreter.rating(i, period))
        .collect();
    let actions: Vec<Rag> = (0..model.actions.len())
        .map(|i| interpreter.action(i, period).rating.rag)
        .collect();
    let (summary, counts, groups) = summarise(model, &measures, &actions);
    let exceptions = exceptions::find(model, &interpreter, period, &measures, &actions);
    (summary, counts, groups, exceptions)
}

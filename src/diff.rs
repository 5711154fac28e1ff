//! What changed between two versions of a scorecard, in meaning.
//!
//! Both sides are validated models, so layout and comments never show up:
//! only targets, bands, figures and definitions do, each with its `effect` —
//! whether the change makes a measure easier to meet (`eased`), harder
//! (`stretched`), rewrites a figure already reported (`restated`), or simply
//! adds, removes or changes something.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::interpreter::Interpreter;
use crate::model::*;
use crate::period::Period;
use crate::period_map::PeriodMap;
use crate::rating::{self, Direction};
use crate::report::{display_value, unit_label};

/// The effect of one change, as a reviewer weighs it.
#[derive(Clone, Copy, Debug, Eq, Hash, Ord, PartialEq, PartialOrd, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Effect {
    /// Easier to meet: a lower target on a higher-is-better measure, a wider band.
    Eased,
    /// Harder to meet.
    Stretched,
    /// A figure for a period that already had one now says something else.
    Restated,
    Added,
    Removed,
    Changed,
}

impl Effect {
    pub const ALL: [Effect; 6] = [
        Effect::Eased,
        Effect::Stretched,
        Effect::Restated,
        Effect::Added,
        Effect::Removed,
        Effect::Changed,
    ];

    pub fn as_str(&self) -> &'static str {
        match self {
            Effect::Eased => "eased",
            Effect::Stretched => "stretched",
            Effect::Restated => "restated",
            Effect::Added => "added",
            Effect::Removed => "removed",
            Effect::Changed => "changed",
        }
    }
}

/// One semantic change.
#[derive(Clone, Debug, Serialize)]
pub struct Change {
    /// The measure or action (or `report` for the header).
    pub id: String,
    /// What changed: `measure`, `action`, `target`, `tolerance`, `amber`,
    /// `actual`, `polarity`, `unit`, `cadence`, `lag`, `composite`,
    /// `milestone`, `status`, `note`, `benchmark`, `baseline`, `title`,
    /// `owner`, `lead`, `group`, `period`.
    pub kind: &'static str,
    pub period: Option<Period>,
    /// The value before and after, as exact strings (`null` if absent).
    pub old: Option<String>,
    pub new: Option<String>,
    pub effect: Effect,
    /// A target or band changed for a period that already has an actual.
    pub retrospective: bool,
    /// The values for people (`95%`), when they differ from `old`/`new`.
    #[serde(skip)]
    pub old_display: Option<String>,
    #[serde(skip)]
    pub new_display: Option<String>,
    /// What the change is about, for grouping: the measure's title.
    #[serde(skip)]
    pub title: String,
    /// The group path of the measure or action (new side, else old).
    #[serde(skip)]
    pub group: Vec<String>,
}

/// A rating (or direction) that differs between the two versions.
#[derive(Clone, Debug, Serialize)]
pub struct RatingChange {
    pub id: String,
    pub period: Period,
    /// The rating before and after (`null` where the measure is absent).
    pub old: Option<Rag>,
    pub new: Option<Rag>,
    /// Directions before and after, when they changed.
    pub direction: Option<DirectionChange>,
    #[serde(skip)]
    pub title: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct DirectionChange {
    pub old: Option<[Direction; 2]>,
    pub new: Option<[Direction; 2]>,
}

/// Everything that changed.
#[derive(Clone, Debug, Serialize)]
pub struct Diff {
    pub changes: Vec<Change>,
    pub ratings: Vec<RatingChange>,
}

impl Diff {
    pub fn count(&self, effect: Effect) -> usize {
        self.changes.iter().filter(|c| c.effect == effect).count()
    }

    pub fn retrospective(&self) -> usize {
        self.changes.iter().filter(|c| c.retrospective).count()
    }

    pub fn is_empty(&self) -> bool {
        self.changes.is_empty() && self.ratings.is_empty()
    }

    /// "2 targets eased (1 retrospective), 1 figure restated, 3 figures added; 2 ratings change"
    pub fn summary(&self) -> String {
        if self.is_empty() {
            return "no changes in meaning".into();
        }
        let plural =
            |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
        let mut parts = Vec::new();
        for effect in Effect::ALL {
            let n = self.count(effect);
            if n == 0 {
                continue;
            }
            let what = match effect {
                Effect::Eased => plural(n, "target or band eased", "targets or bands eased"),
                Effect::Stretched => {
                    plural(n, "target or band stretched", "targets or bands stretched")
                }
                Effect::Restated => plural(n, "figure restated", "figures restated"),
                Effect::Added => plural(n, "addition", "additions"),
                Effect::Removed => plural(n, "removal", "removals"),
                Effect::Changed => plural(n, "other change", "other changes"),
            };
            parts.push(what);
        }
        let mut text = if parts.is_empty() {
            "no changes to definitions or figures".to_string()
        } else {
            parts.join(", ")
        };
        let retrospective = self.retrospective();
        if retrospective > 0 {
            text.push_str(&format!(
                " ({} retrospective)",
                plural(retrospective, "change is", "changes are")
            ));
        }
        match self.ratings.len() {
            0 => text.push_str("; no rating changes"),
            n => text.push_str(&format!(
                "; {}",
                plural(n, "rating changes", "ratings change")
            )),
        }
        text
    }
}

/// Compares two models. Ratings are compared at each of `periods`.
pub fn diff(old: &Model, new: &Model, periods: &[Period]) -> Diff {
    let mut changes = Vec::new();
    if old.header.period != new.header.period {
        changes.push(Change {
            id: "report".into(),
            kind: "period",
            period: None,
            old: old.header.period.map(|p| p.to_string()),
            new: new.header.period.map(|p| p.to_string()),
            effect: Effect::Changed,
            retrospective: false,
            old_display: None,
            new_display: None,
            title: new.header.title.clone().unwrap_or_default(),
            group: Vec::new(),
        });
    }
    let old_ids: BTreeMap<&str, &MeasureDef> =
        old.measures.iter().map(|m| (m.id.as_str(), m)).collect();
    let new_ids: BTreeMap<&str, &MeasureDef> =
        new.measures.iter().map(|m| (m.id.as_str(), m)).collect();
    // Source order of the new version, then what only the old one has.
    for m in &new.measures {
        match old_ids.get(m.id.as_str()) {
            Some(before) => MeasureDiff {
                old,
                new,
                before,
                after: m,
                out: &mut changes,
            }
            .run(),
            None => changes.push(whole(
                new,
                "measure",
                &m.id,
                &m.title,
                m.group,
                Effect::Added,
            )),
        }
    }
    for m in &old.measures {
        if !new_ids.contains_key(m.id.as_str()) {
            changes.push(whole(
                old,
                "measure",
                &m.id,
                &m.title,
                m.group,
                Effect::Removed,
            ));
        }
    }
    let old_actions: BTreeMap<&str, &ActionDef> =
        old.actions.iter().map(|a| (a.id.as_str(), a)).collect();
    let new_actions: BTreeMap<&str, &ActionDef> =
        new.actions.iter().map(|a| (a.id.as_str(), a)).collect();
    for a in &new.actions {
        match old_actions.get(a.id.as_str()) {
            Some(before) => action_changes(old, new, before, a, &mut changes),
            None => changes.push(whole(
                new,
                "action",
                &a.id,
                &a.title,
                a.group,
                Effect::Added,
            )),
        }
    }
    for a in &old.actions {
        if !new_actions.contains_key(a.id.as_str()) {
            changes.push(whole(
                old,
                "action",
                &a.id,
                &a.title,
                a.group,
                Effect::Removed,
            ));
        }
    }
    let ratings = rating_changes(old, new, periods);
    Diff { changes, ratings }
}

fn whole(
    model: &Model,
    kind: &'static str,
    id: &str,
    title: &str,
    group: Option<GroupId>,
    effect: Effect,
) -> Change {
    Change {
        id: id.to_string(),
        kind,
        period: None,
        old: (effect == Effect::Removed).then(|| title.to_string()),
        new: (effect == Effect::Added).then(|| title.to_string()),
        effect,
        retrospective: false,
        old_display: None,
        new_display: None,
        title: title.to_string(),
        group: model.group_path(group),
    }
}

struct MeasureDiff<'a> {
    old: &'a Model,
    new: &'a Model,
    before: &'a MeasureDef,
    after: &'a MeasureDef,
    out: &'a mut Vec<Change>,
}

impl MeasureDiff<'_> {
    fn push(
        &mut self,
        kind: &'static str,
        period: Option<Period>,
        old: Option<String>,
        new: Option<String>,
        effect: Effect,
    ) {
        self.out.push(Change {
            id: self.after.id.clone(),
            kind,
            period,
            old,
            new,
            effect,
            retrospective: false,
            old_display: None,
            new_display: None,
            title: self.after.title.clone(),
            group: self.new.group_path(self.after.group),
        });
    }

    fn changed(&mut self, kind: &'static str, old: Option<String>, new: Option<String>) {
        if old != new {
            self.push(kind, None, old, new, Effect::Changed);
        }
    }

    fn run(mut self) {
        let (b, a) = (self.before, self.after);
        self.changed("title", Some(b.title.clone()), Some(a.title.clone()));
        let (old_group, new_group) = (self.old.group_path(b.group), self.new.group_path(a.group));
        if old_group != new_group {
            self.push(
                "group",
                None,
                Some(old_group.join(" › ")),
                Some(new_group.join(" › ")),
                Effect::Changed,
            );
        }
        self.changed("unit", Some(unit_label(&b.unit)), Some(unit_label(&a.unit)));
        self.changed(
            "polarity",
            b.polarity.map(polarity_word),
            a.polarity.map(polarity_word),
        );
        self.changed(
            "cadence",
            Some(cadence_word(b.cadence).into()),
            Some(cadence_word(a.cadence).into()),
        );
        self.changed("lag", Some(b.lag.to_string()), Some(a.lag.to_string()));
        self.changed("owner", b.owner.clone(), a.owner.clone());
        self.changed("lead", b.lead.clone(), a.lead.clone());
        self.changed(
            "composite",
            b.composite.as_ref().map(|c| composite_text(self.old, c)),
            a.composite.as_ref().map(|c| composite_text(self.new, c)),
        );
        self.bands();
        self.targets();
        self.actuals();
        self.dated("baseline", &b.baselines, &a.baselines);
        self.benchmarks();
        self.statuses(&b.statuses, &a.statuses);
        self.notes(&b.notes, &a.notes);
    }

    /// Whether a period (a quarter, or any quarter of a year) has an actual
    /// in either version: a target changed there is retrospective.
    fn has_actual(&self, period: Period) -> bool {
        let within = |m: &MeasureDef| {
            m.actuals.iter().any(|(p, a)| {
                a.value().is_some()
                    && (*p == period || (period.is_year() && p.fiscal_year() == period))
            })
        };
        within(self.before) || within(self.after)
    }

    fn targets(&mut self) {
        let periods: BTreeSet<Period> = self
            .before
            .targets
            .keys()
            .chain(self.after.targets.keys())
            .copied()
            .collect();
        for period in periods {
            let old = self.before.targets.get(&period).map(|t| &t.value);
            let new = self.after.targets.get(&period).map(|t| &t.value);
            let text = |t: Option<&TargetValue>| match t {
                None => None,
                Some(TargetValue::Tbc) => Some("tbc".to_string()),
                Some(TargetValue::Value(v)) => Some(v.exact_string()),
            };
            let shown = |unit: &Unit, t: Option<&TargetValue>| match t {
                Some(TargetValue::Value(v)) => Some(display_value(unit, v)),
                other => text(other),
            };
            let effect = match (old, new) {
                (None, None) => continue,
                (None, Some(_)) => Effect::Added,
                (Some(_), None) => Effect::Removed,
                (Some(TargetValue::Tbc), Some(TargetValue::Tbc)) => continue,
                (Some(TargetValue::Tbc), Some(TargetValue::Value(_))) => Effect::Added,
                (Some(TargetValue::Value(_)), Some(TargetValue::Tbc)) => Effect::Removed,
                (Some(TargetValue::Value(o)), Some(TargetValue::Value(n))) => {
                    if o.ratio() == n.ratio() {
                        continue;
                    }
                    match self.after.polarity {
                        Some(Polarity::Higher) if n.ratio() < o.ratio() => Effect::Eased,
                        Some(Polarity::Higher) => Effect::Stretched,
                        Some(Polarity::Lower) if n.ratio() > o.ratio() => Effect::Eased,
                        Some(Polarity::Lower) => Effect::Stretched,
                        _ => Effect::Changed,
                    }
                }
            };
            let retrospective = old.is_some() && self.has_actual(period);
            self.out.push(Change {
                id: self.after.id.clone(),
                kind: "target",
                period: Some(period),
                old: text(old),
                new: text(new),
                effect,
                retrospective,
                old_display: shown(&self.before.unit, old),
                new_display: shown(&self.after.unit, new),
                title: self.after.title.clone(),
                group: self.new.group_path(self.after.group),
            });
        }
    }

    /// Tolerance and amber: a wider band is easier to meet.
    fn bands(&mut self) {
        for (kind, old, new) in [
            ("tolerance", &self.before.tolerance, &self.after.tolerance),
            ("amber", &self.before.amber, &self.after.amber),
        ] {
            let same_kind = old.kind == new.kind || old.amount.is_zero() || new.amount.is_zero();
            if same_kind && old.amount == new.amount {
                continue;
            }
            // Compare the widths they give at the latest numeric target.
            let target = self
                .after
                .targets
                .values()
                .rev()
                .find_map(|t| match &t.value {
                    TargetValue::Value(v) => v.decimal(),
                    TargetValue::Tbc => None,
                });
            let width = |band: &BandDef| target.and_then(|t| rating::width(band, t).ok());
            let comparable = if same_kind && old.kind == new.kind {
                Some((old.amount, new.amount))
            } else {
                width(old).zip(width(new))
            };
            let effect = match comparable {
                Some((o, n)) if n > o => Effect::Eased,
                Some((o, n)) if n < o => Effect::Stretched,
                Some(_) if old.kind == new.kind => continue,
                _ => Effect::Changed,
            };
            let retrospective = self
                .after
                .actuals
                .values()
                .chain(self.before.actuals.values())
                .any(|a| a.value().is_some());
            self.out.push(Change {
                id: self.after.id.clone(),
                kind,
                period: None,
                old: Some(old.text.clone()),
                new: Some(new.text.clone()),
                effect,
                retrospective,
                old_display: None,
                new_display: None,
                title: self.after.title.clone(),
                group: self.new.group_path(self.after.group),
            });
        }
    }

    fn actuals(&mut self) {
        let periods: BTreeSet<Period> = self
            .before
            .actuals
            .keys()
            .chain(self.after.actuals.keys())
            .copied()
            .collect();
        for period in periods {
            let old = self.before.actuals.get(&period);
            let new = self.after.actuals.get(&period);
            let text = |a: Option<&ActualDef>| {
                a.map(|a| match &a.reading {
                    Reading::Value { value, .. } => match value.fraction() {
                        Some((n, d)) => format!("{n}/{d}"),
                        None => value.exact_string(),
                    },
                    Reading::NotAvailable { .. } => "n/a".to_string(),
                })
            };
            let shown = |unit: &Unit, a: Option<&ActualDef>| {
                a.map(|a| match &a.reading {
                    Reading::Value { value, provisional } => {
                        format!(
                            "{}{}",
                            display_value(unit, value),
                            if *provisional { " (provisional)" } else { "" }
                        )
                    }
                    Reading::NotAvailable { reason } => match reason {
                        Some(r) => format!("n/a ({r})"),
                        None => "n/a".into(),
                    },
                })
            };
            let effect = match (old.map(|a| &a.reading), new.map(|a| &a.reading)) {
                (None, None) => continue,
                (None, Some(_)) => Effect::Added,
                (Some(_), None) => Effect::Removed,
                (
                    Some(Reading::NotAvailable { reason: r1 }),
                    Some(Reading::NotAvailable { reason: r2 }),
                ) => {
                    if r1 == r2 {
                        continue;
                    }
                    Effect::Changed
                }
                (Some(Reading::NotAvailable { .. }), Some(Reading::Value { .. })) => Effect::Added,
                (Some(Reading::Value { .. }), Some(Reading::NotAvailable { .. })) => {
                    Effect::Removed
                }
                (
                    Some(Reading::Value {
                        value: o,
                        provisional: po,
                    }),
                    Some(Reading::Value {
                        value: n,
                        provisional: pn,
                    }),
                ) => {
                    if o.ratio() != n.ratio() {
                        Effect::Restated
                    } else if po != pn {
                        Effect::Changed
                    } else {
                        continue;
                    }
                }
            };
            self.out.push(Change {
                id: self.after.id.clone(),
                kind: "actual",
                period: Some(period),
                old: text(old),
                new: text(new),
                effect,
                retrospective: false,
                old_display: shown(&self.before.unit, old),
                new_display: shown(&self.after.unit, new),
                title: self.after.title.clone(),
                group: self.new.group_path(self.after.group),
            });
        }
    }

    fn dated(&mut self, kind: &'static str, old: &[Dated<Value>], new: &[Dated<Value>]) {
        let periods: BTreeSet<Period> = old.iter().chain(new).map(|d| d.period).collect();
        for period in periods {
            let o = old.iter().find(|d| d.period == period).map(|d| &d.value);
            let n = new.iter().find(|d| d.period == period).map(|d| &d.value);
            let effect = match (o, n) {
                (None, Some(_)) => Effect::Added,
                (Some(_), None) => Effect::Removed,
                (Some(o), Some(n)) if o.ratio() != n.ratio() => Effect::Changed,
                _ => continue,
            };
            self.push(
                kind,
                Some(period),
                o.map(Value::exact_string),
                n.map(Value::exact_string),
                effect,
            );
        }
    }

    fn benchmarks(&mut self) {
        let key = |b: &BenchmarkDef| (b.name.clone(), b.period);
        let old: BTreeMap<_, _> = self.before.benchmarks.iter().map(|b| (key(b), b)).collect();
        let new: BTreeMap<_, _> = self.after.benchmarks.iter().map(|b| (key(b), b)).collect();
        let keys: BTreeSet<_> = old.keys().chain(new.keys()).cloned().collect();
        for k in keys {
            let (o, n) = (old.get(&k), new.get(&k));
            let effect = match (o, n) {
                (None, Some(_)) => Effect::Added,
                (Some(_), None) => Effect::Removed,
                (Some(o), Some(n)) if o.value.ratio() != n.value.ratio() => Effect::Changed,
                _ => continue,
            };
            let text = |b: Option<&&BenchmarkDef>| {
                b.map(|b| format!("{} {}", b.name, b.value.exact_string()))
            };
            self.push("benchmark", Some(k.1), text(o), text(n), effect);
        }
    }

    fn statuses(&mut self, old: &PeriodMap<StatusDef>, new: &PeriodMap<StatusDef>) {
        let changes = status_changes(old, new);
        for (period, o, n, effect) in changes {
            self.push("status", Some(period), o, n, effect);
        }
    }

    fn notes(&mut self, old: &[Dated<String>], new: &[Dated<String>]) {
        for (period, o, n, effect) in note_changes(old, new) {
            self.push("note", Some(period), o, n, effect);
        }
    }
}

fn status_changes(
    old: &PeriodMap<StatusDef>,
    new: &PeriodMap<StatusDef>,
) -> Vec<(Period, Option<String>, Option<String>, Effect)> {
    let text = |s: Option<&StatusDef>| s.map(|s| s.rag.as_str().to_string());
    let periods: BTreeSet<Period> = old.keys().chain(new.keys()).copied().collect();
    periods
        .into_iter()
        .filter_map(|p| {
            let (o, n) = (old.get(&p), new.get(&p));
            let effect = match (o, n) {
                (None, Some(_)) => Effect::Added,
                (Some(_), None) => Effect::Removed,
                (Some(o), Some(n)) if o.rag != n.rag => Effect::Changed,
                _ => return None,
            };
            Some((p, text(o), text(n), effect))
        })
        .collect()
}

fn note_changes(
    old: &[Dated<String>],
    new: &[Dated<String>],
) -> Vec<(Period, Option<String>, Option<String>, Effect)> {
    let join = |notes: &[Dated<String>], p: Period| {
        let texts: Vec<&str> = notes
            .iter()
            .filter(|n| n.period == p)
            .map(|n| n.value.as_str())
            .collect();
        (!texts.is_empty()).then(|| texts.join("\n"))
    };
    let periods: BTreeSet<Period> = old.iter().chain(new).map(|n| n.period).collect();
    periods
        .into_iter()
        .filter_map(|p| {
            let (o, n) = (join(old, p), join(new, p));
            let effect = match (&o, &n) {
                (None, Some(_)) => Effect::Added,
                (Some(_), None) => Effect::Removed,
                (Some(a), Some(b)) if a != b => Effect::Changed,
                _ => return None,
            };
            Some((p, o, n, effect))
        })
        .collect()
}

fn action_changes(
    old: &Model,
    new: &Model,
    before: &ActionDef,
    after: &ActionDef,
    out: &mut Vec<Change>,
) {
    let mut push = |kind: &'static str,
                    period: Option<Period>,
                    o: Option<String>,
                    n: Option<String>,
                    effect: Effect| {
        out.push(Change {
            id: after.id.clone(),
            kind,
            period,
            old: o,
            new: n,
            effect,
            retrospective: false,
            old_display: None,
            new_display: None,
            title: after.title.clone(),
            group: new.group_path(after.group),
        })
    };
    if before.title != after.title {
        push(
            "title",
            None,
            Some(before.title.clone()),
            Some(after.title.clone()),
            Effect::Changed,
        );
    }
    let (old_group, new_group) = (old.group_path(before.group), new.group_path(after.group));
    if old_group != new_group {
        push(
            "group",
            None,
            Some(old_group.join(" › ")),
            Some(new_group.join(" › ")),
            Effect::Changed,
        );
    }
    if before.owner != after.owner {
        push(
            "owner",
            None,
            before.owner.clone(),
            after.owner.clone(),
            Effect::Changed,
        );
    }
    if before.lead != after.lead {
        push(
            "lead",
            None,
            before.lead.clone(),
            after.lead.clone(),
            Effect::Changed,
        );
    }
    let describe = |m: &MilestoneDef| {
        let mut text = format!(
            "\"{}\" due {}: {}",
            m.title,
            m.period,
            if m.done { "done" } else { "not done" }
        );
        if let Some(c) = &m.concern {
            text.push_str(&format!(" (concern: {c})"));
        }
        text
    };
    for m in &after.milestones {
        match before.milestones.iter().find(|b| b.title == m.title) {
            None => push(
                "milestone",
                Some(m.period),
                None,
                Some(describe(m)),
                Effect::Added,
            ),
            Some(b) if b.period != m.period || b.done != m.done || b.concern != m.concern => push(
                "milestone",
                Some(m.period),
                Some(describe(b)),
                Some(describe(m)),
                Effect::Changed,
            ),
            Some(_) => {}
        }
    }
    for b in &before.milestones {
        if !after.milestones.iter().any(|m| m.title == b.title) {
            push(
                "milestone",
                Some(b.period),
                Some(describe(b)),
                None,
                Effect::Removed,
            );
        }
    }
    for (p, o, n, effect) in status_changes(&before.statuses, &after.statuses) {
        push("status", Some(p), o, n, effect);
    }
    for (p, o, n, effect) in note_changes(&before.notes, &after.notes) {
        push("note", Some(p), o, n, effect);
    }
}

fn rating_changes(old: &Model, new: &Model, periods: &[Period]) -> Vec<RatingChange> {
    let mut out = Vec::new();
    for &period in periods {
        let (old_i, new_i) = (Interpreter::new(old), Interpreter::new(new));
        let old_rated: BTreeMap<&str, (Rag, [Direction; 2])> = (0..old.measures.len())
            .map(|i| {
                let e = old_i.measure(i, period);
                (
                    old.measures[i].id.as_str(),
                    (e.rating.rag, [e.short.direction, e.long.direction]),
                )
            })
            .chain((0..old.actions.len()).map(|i| {
                (
                    old.actions[i].id.as_str(),
                    (old_i.action(i, period).rating.rag, [Direction::New; 2]),
                )
            }))
            .collect();
        let mut seen = BTreeSet::new();
        let new_rated: Vec<(&str, &str, Rag, [Direction; 2])> = (0..new.measures.len())
            .map(|i| {
                let e = new_i.measure(i, period);
                let m = &new.measures[i];
                (
                    m.id.as_str(),
                    m.title.as_str(),
                    e.rating.rag,
                    [e.short.direction, e.long.direction],
                )
            })
            .chain((0..new.actions.len()).map(|i| {
                let a = &new.actions[i];
                (
                    a.id.as_str(),
                    a.title.as_str(),
                    new_i.action(i, period).rating.rag,
                    [Direction::New; 2],
                )
            }))
            .collect();
        for (id, title, rag, directions) in new_rated {
            seen.insert(id);
            let before = old_rated.get(id);
            let rating_changed = before.map(|b| b.0) != Some(rag);
            let direction_changed = before.is_some_and(|b| b.1 != directions);
            // A new measure that is not rated is no news.
            if before.is_none() && rag == Rag::None {
                continue;
            }
            if rating_changed || direction_changed {
                out.push(RatingChange {
                    id: id.to_string(),
                    period,
                    old: before.map(|b| b.0),
                    new: Some(rag),
                    direction: direction_changed.then(|| DirectionChange {
                        old: before.map(|b| b.1),
                        new: Some(directions),
                    }),
                    title: title.to_string(),
                });
            }
        }
        for m in &old.measures {
            if !seen.contains(m.id.as_str()) {
                if let Some((rag, _)) = old_rated
                    .get(m.id.as_str())
                    .filter(|(r, _)| *r != Rag::None)
                {
                    out.push(RatingChange {
                        id: m.id.clone(),
                        period,
                        old: Some(*rag),
                        new: None,
                        direction: None,
                        title: m.title.clone(),
                    });
                }
            }
        }
    }
    out
}

fn polarity_word(p: Polarity) -> String {
    match p {
        Polarity::Higher => "higher",
        Polarity::Lower => "lower",
        Polarity::Target => "target",
        Polarity::None => "none",
        Polarity::Tbc => "tbc",
    }
    .to_string()
}

fn cadence_word(c: Cadence) -> &'static str {
    match c {
        Cadence::Quarterly => "quarterly",
        Cadence::Annual => "annual",
        Cadence::Monthly => "monthly",
    }
}

fn composite_text(model: &Model, c: &CompositeDef) -> String {
    let rule = if c.rule == CompositeRule::Worst {
        "worst"
    } else {
        "majority"
    };
    let ids: Vec<&str> = c
        .components
        .iter()
        .map(|c| match c {
            Component::Measure(i) => model.measures[*i].id.as_str(),
            Component::Action(i) => model.actions[*i].id.as_str(),
        })
        .collect();
    format!("{rule} of {}", ids.join(", "))
}

/// Every period either version has data for (for `--all-periods`).
pub fn all_periods(old: &Model, new: &Model) -> Vec<Period> {
    let mut periods: Vec<Period> = old
        .periods_with_actuals()
        .into_iter()
        .chain(new.periods_with_actuals())
        .map(|p| {
            if p.is_year() {
                Period::quarter(p.start, 4)
            } else {
                p
            }
        })
        .collect();
    periods.sort();
    periods.dedup();
    periods
}

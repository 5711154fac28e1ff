//! What changed in one measure: its definition, targets, bands and figures.

use std::collections::{BTreeMap, BTreeSet};

use crate::eval::rating::{self};
use crate::model::*;
use crate::period::Period;
use crate::period_map::PeriodMap;
use crate::report::{display_value, unit_label};

use super::*;

pub(super) struct MeasureDiff<'a> {
    pub(super) old: &'a Model,
    pub(super) new: &'a Model,
    pub(super) before: &'a MeasureDef,
    pub(super) after: &'a MeasureDef,
    pub(super) out: &'a mut Vec<Change>,
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

    pub(super) fn run(mut self) {
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
        // `lag 1` and `lag 1 quarters` say the same; `lag 3 months` too.
        if b.lag_months() != a.lag_months() {
            self.push(
                "lag",
                None,
                Some(lag_text(b)),
                Some(lag_text(a)),
                Effect::Changed,
            );
        }
        if b.cadence == Cadence::Annual && a.cadence == Cadence::Annual {
            self.changed(
                "year",
                Some(b.year.as_str().into()),
                Some(a.year.as_str().into()),
            );
        }
        let ytd = |m: &MeasureDef| Some(if m.year_to_date { "yes" } else { "no" }.to_string());
        self.changed("year-to-date", ytd(b), ytd(a));
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

    /// Tolerance, amber and red beyond: a wider band is easier to meet.
    fn bands(&mut self) {
        let (old_red, new_red) = (&self.before.red_beyond, &self.after.red_beyond);
        if old_red.is_some() != new_red.is_some() {
            self.band_rule_switched();
        }
        let mut bands = vec![("tolerance", &self.before.tolerance, &self.after.tolerance)];
        match (old_red, new_red) {
            (None, None) => bands.push(("amber", &self.before.amber, &self.after.amber)),
            (Some(o), Some(n)) => bands.push(("red beyond", o, n)),
            _ => {}
        }
        for (kind, old, new) in bands {
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

    /// The measure changed from an amber band to a red-beyond distance or
    /// back: eased or stretched by where the red threshold falls at the
    /// latest numeric target (farther from the target is easier).
    fn band_rule_switched(&mut self) {
        let rule = |m: &MeasureDef| match &m.red_beyond {
            Some(b) => format!("red beyond {}", b.text),
            None => format!("amber {}", m.amber.text),
        };
        let target = self
            .after
            .targets
            .values()
            .rev()
            .find_map(|t| match &t.value {
                TargetValue::Value(v) => v.decimal(),
                TargetValue::Tbc => None,
            });
        let reach = |m: &MeasureDef| {
            let t = target?;
            match rating::thresholds(
                Polarity::Higher,
                t,
                &m.tolerance,
                &m.amber,
                m.red_beyond.as_ref(),
            )
            .ok()?
            {
                rating::Bounds::Higher { red, .. } => Some(t - red),
                _ => None,
            }
        };
        let effect = match (reach(self.before), reach(self.after)) {
            (Some(o), Some(n)) if n > o => Effect::Eased,
            (Some(o), Some(n)) if n < o => Effect::Stretched,
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
            kind: "band rule",
            period: None,
            old: Some(rule(self.before)),
            new: Some(rule(self.after)),
            effect,
            retrospective,
            old_display: None,
            new_display: None,
            title: self.after.title.clone(),
            group: self.new.group_path(self.after.group),
        });
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

pub(super) fn status_changes(
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

pub(super) fn note_changes(
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

fn polarity_word(p: Polarity) -> String {
    p.keyword().to_string()
}

/// A lag as written: `1`, `2 months`, `1 quarters`.
fn lag_text(m: &MeasureDef) -> String {
    match m.lag_unit {
        None => m.lag.to_string(),
        Some(LagUnit::Months) => format!("{} months", m.lag),
        Some(LagUnit::Quarters) => format!("{} quarters", m.lag),
    }
}

fn cadence_word(c: Cadence) -> &'static str {
    c.as_str()
}

fn composite_text(model: &Model, c: &CompositeDef) -> String {
    let rule = c.rule.keyword();
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

//! What changed between two versions of a scorecard, in meaning.
//!
//! Both sides are validated models, so layout and comments never show up:
//! only targets, bands, figures and definitions do, each with its `effect` —
//! whether the change makes a measure easier to meet (`eased`), harder
//! (`stretched`), rewrites a figure already reported (`restated`), or simply
//! adds, removes or changes something.

mod action;
mod measure;

use action::action_changes;
use measure::MeasureDiff;
use measure::{note_changes, status_changes};

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::eval::interpreter::Interpreter;
use crate::eval::rating::Direction;
use crate::model::*;
use crate::period::Period;

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

//! The exceptions of a report: what a committee has to act on.
//!
//! Worked out once, here, from the ratings; every format lays out the same
//! list ("Needs attention"): every red, then every amber measure and key
//! action, and then the measures due this period with no figure.

use serde::Serialize;

use crate::eval::interpreter::Interpreter;
use crate::model::{ActualDef, Model, Rag};
use crate::period::Period;

/// The "Needs attention" section of a report.
#[derive(Clone, Debug, Default, Serialize, schemars::JsonSchema)]
pub struct Exceptions {
    /// The period `newly_red` compares with: the one before the period
    /// reported (`null` when there is none).
    pub previous: Option<Period>,
    /// Every red, then every amber entry; within each, measures then key
    /// actions, in the order of the report.
    pub items: Vec<Exception>,
    /// Measures with no figure for their data period (none recorded, or
    /// recorded as `n/a`), in the order of the report. Composites, which
    /// have no figures of their own, are left out.
    pub missing: Vec<Missing>,
}

impl Exceptions {
    pub fn red(&self) -> usize {
        self.items.iter().filter(|e| e.rating == Rag::Red).count()
    }

    pub fn amber(&self) -> usize {
        self.items.iter().filter(|e| e.rating == Rag::Amber).count()
    }
}

/// Whether an entry is a measure or a key action.
#[derive(Clone, Copy, Debug, Eq, PartialEq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Measure,
    Action,
}

/// A red or amber measure or key action.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct Exception {
    pub kind: Kind,
    /// Its index in the report's measures or actions.
    #[serde(skip)]
    pub index: usize,
    pub id: String,
    pub rating: Rag,
    /// Red now, and green or amber at the previous period. (A measure that
    /// was not rated then is not marked: nothing says it was on target.)
    pub newly_red: bool,
    /// Whether anything explains it for the period: a note, an
    /// assessment's reason, or (for a key action) a milestone's concern.
    /// Without any, the formats say "No commentary given".
    pub commentary: bool,
}

/// A measure due this period with no figure.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct Missing {
    #[serde(skip)]
    pub index: usize,
    pub id: String,
    /// The period whose figure is missing (the data period).
    pub period: Period,
    /// Recorded as `n/a`: its reason (`""` if none was given); `null`
    /// when no figure is recorded at all.
    pub not_available: Option<String>,
}

/// The exceptions of the report at `period`, given every measure's and
/// action's published rating there.
pub fn find(
    model: &Model,
    interpreter: &Interpreter,
    period: Period,
    measures: &[Rag],
    actions: &[Rag],
) -> Exceptions {
    let previous = period.previous();
    let was_rated_not_red = |rag: Rag| matches!(rag, Rag::Green | Rag::Amber);
    let mut items = Vec::new();
    for wanted in [Rag::Red, Rag::Amber] {
        for (i, rag) in measures.iter().enumerate().filter(|(_, r)| **r == wanted) {
            let m = &model.measures[i];
            let e = interpreter.measure(i, period);
            let periods = [e.period, e.data_period];
            let noted = m.notes.iter().any(|n| periods.contains(&n.period));
            let why = e.assessed.is_some_and(|(_, s)| s.why.is_some());
            items.push(Exception {
                kind: Kind::Measure,
                index: i,
                id: m.id.clone(),
                rating: *rag,
                newly_red: *rag == Rag::Red
                    && previous.is_some_and(|p| was_rated_not_red(interpreter.rating(i, p))),
                commentary: noted || why,
            });
        }
        for (i, rag) in actions.iter().enumerate().filter(|(_, r)| **r == wanted) {
            let a = &model.actions[i];
            let e = interpreter.action(i, period);
            let noted = a.notes.iter().any(|n| n.period == period);
            let why = e.assessed.is_some_and(|(_, s)| s.why.is_some());
            items.push(Exception {
                kind: Kind::Action,
                index: i,
                id: a.id.clone(),
                rating: *rag,
                newly_red: *rag == Rag::Red
                    && previous
                        .is_some_and(|p| was_rated_not_red(interpreter.action(i, p).rating.rag)),
                commentary: noted || why || !e.concerns.is_empty(),
            });
        }
    }
    let missing = model
        .measures
        .iter()
        .enumerate()
        .filter(|(_, m)| m.composite.is_none())
        .filter_map(|(index, m)| {
            let data_period = Interpreter::data_period(m, period, model.header.year_start);
            let actual = m.actuals.get(&data_period);
            if actual.and_then(ActualDef::value).is_some() {
                return None;
            }
            Some(Missing {
                index,
                id: m.id.clone(),
                period: data_period,
                not_available: match actual.map(|a| &a.reading) {
                    Some(crate::model::Reading::NotAvailable { reason }) => {
                        Some(reason.clone().unwrap_or_default())
                    }
                    _ => None,
                },
            })
        })
        .collect();
    Exceptions {
        previous,
        items,
        missing,
    }
}

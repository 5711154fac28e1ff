//! Rates measures and actions at a period, keeping every step for `explain`.

use std::cell::RefCell;
use std::collections::HashMap;

use rust_decimal::Decimal;
use serde::Serialize;

use crate::eval::rating::{self, Bounds, Direction};
use crate::model::*;
use crate::period::Period;

/// Why a rating is `none`. Every unrated measure or action carries one.
#[derive(Clone, Debug, Eq, PartialEq)]
pub enum Reason {
    /// `polarity none`: tracked for context only.
    TrackedOnly,
    /// `polarity tbc`: which way is good is not agreed yet.
    PolarityTbc,
    /// No target for the period.
    NoTarget,
    /// `target … tbc`.
    TargetTbc,
    /// No actual for the period.
    NoActual,
    /// `n/a "reason"`.
    NotAvailable(Option<String>),
    /// A composite none of whose components is rated.
    NoRatedComponents,
    /// An action with no milestone due yet.
    NoMilestonesDue,
    /// An assessed `status … none`.
    AssessedUnrated,
    /// The thresholds could not be computed exactly (the checker reports it).
    Inexact,
}

impl Reason {
    /// The stable code used in JSON and CSV.
    pub fn code(&self) -> &'static str {
        match self {
            Reason::TrackedOnly => "tracked-only",
            Reason::PolarityTbc => "polarity-tbc",
            Reason::NoTarget => "no-target",
            Reason::TargetTbc => "target-tbc",
            Reason::NoActual => "no-actual",
            Reason::NotAvailable(_) => "not-available",
            Reason::NoRatedComponents => "no-rated-components",
            Reason::NoMilestonesDue => "no-milestones-due",
            Reason::AssessedUnrated => "assessed-unrated",
            Reason::Inexact => "inexact",
        }
    }

    /// The reason in words, for reports.
    pub fn describe(&self) -> String {
        match self {
            Reason::TrackedOnly => "tracked for context only".into(),
            Reason::PolarityTbc => "polarity to be confirmed".into(),
            Reason::NoTarget => "no target".into(),
            Reason::TargetTbc => "target to be confirmed".into(),
            Reason::NoActual => "no actual".into(),
            Reason::NotAvailable(None) => "not available".into(),
            Reason::NotAvailable(Some(why)) => format!("not available: {why}"),
            Reason::NoRatedComponents => "no component is rated".into(),
            Reason::NoMilestonesDue => "no milestone due yet".into(),
            Reason::AssessedUnrated => "assessed as not rated".into(),
            Reason::Inexact => "thresholds cannot be computed exactly".into(),
        }
    }
}

/// A rating with, when it is `none`, the reason.
#[derive(Clone, Debug, Eq, PartialEq)]
pub struct Rated {
    pub rag: Rag,
    pub reason: Option<Reason>,
}

impl Rated {
    fn some(rag: Rag) -> Rated {
        Rated { rag, reason: None }
    }

    fn none(reason: Reason) -> Rated {
        Rated {
            rag: Rag::None,
            reason: Some(reason),
        }
    }
}

/// One direction of travel and what it compared.
#[derive(Clone, Debug)]
pub struct Travel<'m> {
    pub direction: Direction,
    /// The earlier period compared with.
    pub period: Option<Period>,
    /// The earlier value (absent when there was none, or for composites).
    pub value: Option<&'m Value>,
    /// For composites: the earlier rating.
    pub rating: Option<Rag>,
}

/// Everything about one measure at one period.
#[derive(Clone, Debug)]
pub struct Evaluation<'m> {
    pub measure: &'m MeasureDef,
    /// The period reported.
    pub period: Period,
    /// The period whose data is rated (`period` less the lag; for annual
    /// measures the last year ended by then).
    pub data_period: Period,
    /// The target that applies, and the period it was declared for.
    pub target: Option<(Period, &'m TargetDef)>,
    pub actual: Option<&'m ActualDef>,
    pub bounds: Option<Bounds>,
    /// The rating the figures give.
    pub computed: Rated,
    /// An officers' assessment recorded for the period.
    pub assessed: Option<(Period, &'m StatusDef)>,
    /// What the report publishes: the assessment if there is one, else the
    /// computed rating.
    pub rating: Rated,
    pub short: Travel<'m>,
    pub long: Travel<'m>,
    /// For composites: each component's id and rating.
    pub components: Vec<(String, Rag)>,
}

impl Evaluation<'_> {
    /// An assessment that differs from a computed (non-`none`) rating.
    pub fn disagrees(&self) -> bool {
        matches!(self.assessed, Some((_, s)) if self.computed.rag != Rag::None && s.rag != self.computed.rag)
    }

    pub fn target_value(&self) -> Option<&Value> {
        match self.target {
            Some((
                _,
                TargetDef {
                    value: TargetValue::Value(v),
                    ..
                },
            )) => Some(v),
            _ => None,
        }
    }

    pub fn actual_value(&self) -> Option<&Value> {
        self.actual.and_then(ActualDef::value)
    }
}

/// Everything about one action at one period.
#[derive(Clone, Debug)]
pub struct ActionEvaluation<'m> {
    pub action: &'m ActionDef,
    pub period: Period,
    pub due: usize,
    pub done: usize,
    pub overdue: Vec<&'m MilestoneDef>,
    pub concerns: Vec<&'m MilestoneDef>,
    pub computed: Rated,
    pub assessed: Option<(Period, &'m StatusDef)>,
    pub rating: Rated,
}

/// The rating process over one model, remembering ratings of composite
/// components so each is computed once.
pub struct Interpreter<'m> {
    model: &'m Model,
    memo: RefCell<HashMap<(Component, Period), Rag>>,
}

/// Evaluates one measure on its own.
pub fn evaluate_measure(model: &Model, index: usize, period: Period) -> Evaluation<'_> {
    Interpreter::new(model).measure(index, period)
}

impl<'m> Interpreter<'m> {
    pub fn new(model: &'m Model) -> Interpreter<'m> {
        Interpreter {
            model,
            memo: RefCell::new(HashMap::new()),
        }
    }

    /// The data period of a measure reported at `period`.
    pub fn data_period(measure: &MeasureDef, period: Period) -> Period {
        let quarter = if period.is_year() {
            Period::quarter(period.start, 4)
        } else {
            period
        };
        let lagged = quarter.back(i64::from(measure.lag)).unwrap_or(quarter);
        match measure.cadence {
            Cadence::Quarterly => lagged,
            Cadence::Annual => lagged.last_ended_year(),
        }
    }

    /// The target for a data period: the quarter's own, else its year's.
    pub fn target(measure: &MeasureDef, data_period: Period) -> Option<(Period, &TargetDef)> {
        let own = measure.targets.get(&data_period).map(|t| (data_period, t));
        own.or_else(|| {
            let year = data_period.fiscal_year();
            measure.targets.get(&year).map(|t| (year, t))
        })
    }

    pub fn measure(&self, index: usize, period: Period) -> Evaluation<'m> {
        self.evaluate(index, period, true)
    }

    /// Only the published rating of a measure (no directions).
    pub fn rating(&self, index: usize, period: Period) -> Rag {
        self.component_rating(Component::Measure(index), period)
    }

    /// Evaluates a measure; directions only when `travel` (an earlier
    /// period's rating, needed for a composite's direction, needs none).
    fn evaluate(&self, index: usize, period: Period, travel: bool) -> Evaluation<'m> {
        let measure = &self.model.measures[index];
        let data_period = Self::data_period(measure, period);
        let target = Self::target(measure, data_period);
        let actual = measure.actuals.get(&data_period);
        let mut bounds = None;
        let mut components = Vec::new();
        let computed = if let Some(composite) = &measure.composite {
            components = composite
                .components
                .iter()
                .map(|c| (self.component_id(*c), self.component_rating(*c, period)))
                .collect();
            let ratings: Vec<Rag> = components.iter().map(|(_, r)| *r).collect();
            let rag = match composite.rule {
                CompositeRule::Worst => rating::worst(&ratings),
                CompositeRule::Majority => rating::majority(&ratings),
            };
            if rag == Rag::None {
                Rated::none(Reason::NoRatedComponents)
            } else {
                Rated::some(rag)
            }
        } else {
            match measure.polarity {
                Some(Polarity::None) => Rated::none(Reason::TrackedOnly),
                Some(Polarity::Tbc) => Rated::none(Reason::PolarityTbc),
                polarity => match (target.map(|(_, t)| &t.value), actual.map(|a| &a.reading)) {
                    (None, _) => Rated::none(Reason::NoTarget),
                    (Some(TargetValue::Tbc), _) => Rated::none(Reason::TargetTbc),
                    (_, None) => Rated::none(Reason::NoActual),
                    (_, Some(Reading::NotAvailable { reason })) => {
                        Rated::none(Reason::NotAvailable(reason.clone()))
                    }
                    (Some(TargetValue::Value(t)), Some(Reading::Value { value, .. })) => {
                        let Some(polarity) = polarity else {
                            return self.unrated(index, period, Reason::NoTarget);
                        };
                        match t.decimal().map(|d| {
                            rating::thresholds(polarity, d, &measure.tolerance, &measure.amber)
                        }) {
                            Some(Ok(b)) => {
                                bounds = Some(b);
                                Rated::some(rating::classify(value.ratio(), &b))
                            }
                            _ => Rated::none(Reason::Inexact),
                        }
                    }
                },
            }
        }; // The thresholds are worth showing even when there is no actual yet.
        if bounds.is_none() && measure.composite.is_none() {
            let numeric = target.and_then(|(_, t)| match &t.value {
                TargetValue::Value(v) => v.decimal(),
                TargetValue::Tbc => None,
            });
            if let (Some(p @ (Polarity::Higher | Polarity::Lower | Polarity::Target)), Some(t)) =
                (measure.polarity, numeric)
            {
                bounds = rating::thresholds(p, t, &measure.tolerance, &measure.amber).ok();
            }
        }
        let assessed = find_status(&measure.statuses, period, data_period);
        let rating = match assessed {
            Some((_, status)) if status.rag == Rag::None => Rated::none(Reason::AssessedUnrated),
            Some((_, status)) => Rated::some(status.rag),
            None => computed.clone(),
        };
        let (short, long) = if !travel {
            let none = Travel {
                direction: Direction::New,
                period: None,
                value: None,
                rating: None,
            };
            (none.clone(), none)
        } else if measure.composite.is_some() {
            let now = rating.rag;
            (
                self.rating_travel(index, now, period.previous()),
                self.rating_travel(index, now, period.year_earlier()),
            )
        } else {
            let target_decimal = target.and_then(|(_, t)| match &t.value {
                TargetValue::Value(v) => v.decimal(),
                TargetValue::Tbc => None,
            });
            let earlier = |p: Option<Period>| self.value_travel(measure, actual, p, target_decimal);
            match measure.cadence {
                Cadence::Annual => {
                    let previous = data_period.previous();
                    (earlier(previous), earlier(previous))
                }
                Cadence::Quarterly => (
                    earlier(data_period.previous()),
                    earlier(data_period.year_earlier()),
                ),
            }
        };
        Evaluation {
            measure,
            period,
            data_period,
            target,
            actual,
            bounds,
            computed,
            assessed,
            rating,
            short,
            long,
            components,
        }
    }

    fn unrated(&self, index: usize, period: Period, reason: Reason) -> Evaluation<'m> {
        let measure = &self.model.measures[index];
        let data_period = Self::data_period(measure, period);
        let none = Travel {
            direction: Direction::New,
            period: None,
            value: None,
            rating: None,
        };
        Evaluation {
            measure,
            period,
            data_period,
            target: Self::target(measure, data_period),
            actual: measure.actuals.get(&data_period),
            bounds: None,
            computed: Rated::none(reason.clone()),
            assessed: None,
            rating: Rated::none(reason),
            short: none.clone(),
            long: none,
            components: Vec::new(),
        }
    }

    fn value_travel(
        &self,
        measure: &'m MeasureDef,
        now: Option<&ActualDef>,
        earlier: Option<Period>,
        target: Option<Decimal>,
    ) -> Travel<'m> {
        let then = earlier
            .and_then(|p| measure.actuals.get(&p))
            .and_then(ActualDef::value);
        let direction = match (now.and_then(ActualDef::value), then) {
            (Some(now), Some(then)) => {
                rating::direction(measure.polarity, now.ratio(), then.ratio(), target)
            }
            _ => Direction::New,
        };
        Travel {
            direction,
            period: earlier,
            value: then,
            rating: None,
        }
    }

    fn rating_travel(&self, index: usize, now: Rag, earlier: Option<Period>) -> Travel<'m> {
        let then = earlier.map(|p| self.component_rating(Component::Measure(index), p));
        let rank = |r: Rag| match r {
            Rag::Green => Some(3),
            Rag::Amber => Some(2),
            Rag::Red => Some(1),
            Rag::None => None,
        };
        let direction = match (rank(now), then.and_then(rank)) {
            (Some(a), Some(b)) if a > b => Direction::Improving,
            (Some(a), Some(b)) if a < b => Direction::Worsening,
            (Some(_), Some(_)) => Direction::Same,
            _ => Direction::New,
        };
        Travel {
            direction,
            period: earlier,
            value: None,
            rating: then,
        }
    }

    fn component_id(&self, component: Component) -> String {
        match component {
            Component::Measure(i) => self.model.measures[i].id.clone(),
            Component::Action(i) => self.model.actions[i].id.clone(),
        }
    }

    /// The published rating of a component (memoised).
    ///
    /// A chain of composites may be as long as the file is: the composites
    /// below this one are rated first, deepest first, by an explicit stack
    /// ([`Interpreter::rate_components_first`]), so that rating this one
    /// finds every component's rating remembered and never recurses more
    /// than one level, however long the chain.
    fn component_rating(&self, component: Component, period: Period) -> Rag {
        if let Some(rag) = self.memo.borrow().get(&(component, period)) {
            return *rag;
        }
        self.rate_components_first(component, period);
        if let Some(rag) = self.memo.borrow().get(&(component, period)) {
            return *rag;
        }
        let rag = match component {
            Component::Measure(i) => self.evaluate(i, period, false).rating.rag,
            Component::Action(i) => self.action(i, period).rating.rag,
        };
        self.memo.borrow_mut().insert((component, period), rag);
        rag
    }

    /// Rates, deepest first, every composite measure below `component` whose
    /// rating at `period` is not yet remembered. The checker removes cycles,
    /// but a model built otherwise may have one: a composite met again while
    /// its own components are being rated counts as unrated there.
    fn rate_components_first(&self, component: Component, period: Period) {
        let composite_children = |index: usize| {
            self.model.measures[index]
                .composite
                .iter()
                .flat_map(|c| c.components.iter())
                .filter_map(|c| match c {
                    Component::Measure(i) if self.model.measures[*i].composite.is_some() => {
                        Some(*i)
                    }
                    _ => None,
                })
        };
        let Component::Measure(start) = component else {
            return;
        };
        if self.model.measures[start].composite.is_none() {
            return;
        }
        let mut on_stack = std::collections::HashSet::new();
        // (measure, whether its components have been pushed)
        let mut stack = vec![(start, false)];
        on_stack.insert(start);
        while let Some((index, expanded)) = stack.pop() {
            let key = (Component::Measure(index), period);
            if expanded {
                on_stack.remove(&index);
                if index != start && !self.memo.borrow().contains_key(&key) {
                    let rag = self.evaluate(index, period, false).rating.rag;
                    self.memo.borrow_mut().insert(key, rag);
                }
                continue;
            }
            stack.push((index, true));
            for child in composite_children(index) {
                let child_key = (Component::Measure(child), period);
                if self.memo.borrow().contains_key(&child_key) {
                    continue;
                }
                if on_stack.contains(&child) {
                    // A cycle: rated as nothing where it closes.
                    self.memo.borrow_mut().insert(child_key, Rag::None);
                    continue;
                }
                on_stack.insert(child);
                stack.push((child, false));
            }
        }
    }

    pub fn action(&self, index: usize, period: Period) -> ActionEvaluation<'m> {
        let action = &self.model.actions[index];
        let now = period.quarter_index();
        let due: Vec<&MilestoneDef> = action
            .milestones
            .iter()
            .filter(|m| m.period.quarter_index() <= now)
            .collect();
        let overdue: Vec<&MilestoneDef> = due.iter().copied().filter(|m| !m.done).collect();
        let concerns: Vec<&MilestoneDef> = due
            .iter()
            .copied()
            .filter(|m| m.done && m.concern.is_some())
            .collect();
        let computed = if due.is_empty() {
            Rated::none(Reason::NoMilestonesDue)
        } else if !overdue.is_empty() {
            Rated::some(Rag::Red)
        } else if !concerns.is_empty() {
            Rated::some(Rag::Amber)
        } else {
            Rated::some(Rag::Green)
        };
        let assessed = find_status(&action.statuses, period, period);
        let rating = match assessed {
            Some((_, status)) if status.rag == Rag::None => Rated::none(Reason::AssessedUnrated),
            Some((_, status)) => Rated::some(status.rag),
            None => computed.clone(),
        };
        ActionEvaluation {
            action,
            period,
            due: due.len(),
            done: due.len() - overdue.len(),
            overdue,
            concerns,
            computed,
            assessed,
            rating,
        }
    }
}

/// The status for the reported period, else for the data period.
fn find_status(
    statuses: &crate::period_map::PeriodMap<StatusDef>,
    period: Period,
    data_period: Period,
) -> Option<(Period, &StatusDef)> {
    statuses
        .get(&period)
        .map(|s| (period, s))
        .or_else(|| statuses.get(&data_period).map(|s| (data_period, s)))
}

/// Serialises as the lower-case word.
impl Serialize for Reason {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.code())
    }
}

//! The validated scorecard: what the checker hands to the interpreter.
//!
//! Unlike the AST, a model has one value per period, defaults applied, units
//! resolved, values normalised to the measure's unit and every id resolved.
//! Only [`checker::check`](crate::check::check) builds one.

use crate::period_map::PeriodMap;

use rust_decimal::Decimal;

use crate::exact::Ratio;
use crate::period::Period;
pub use crate::syntax::ast::{Cadence, CompositeRule, Polarity, Rag, Unit};
use crate::syntax::span::Span;

#[derive(Clone, Debug, Default)]
pub struct Model {
    pub header: Header,
    pub groups: Vec<GroupDef>,
    pub measures: Vec<MeasureDef>,
    pub actions: Vec<ActionDef>,
}

#[derive(Clone, Debug)]
pub struct Header {
    pub title: Option<String>,
    pub organisation: Option<String>,
    pub period: Option<Period>,
    /// The month the fiscal year starts (1 = January); April unless set.
    pub year_start: u8,
}

impl Default for Header {
    fn default() -> Header {
        Header {
            title: None,
            organisation: None,
            period: None,
            year_start: 4,
        }
    }
}

/// Index of a group in [`Model::groups`].
pub type GroupId = usize;

#[derive(Clone, Debug)]
pub struct GroupDef {
    pub name: String,
    pub parent: Option<GroupId>,
    pub span: Span,
}

impl Model {
    /// The names of a group and its ancestors, outermost first.
    pub fn group_path(&self, group: Option<GroupId>) -> Vec<String> {
        let mut path = Vec::new();
        let mut next = group;
        while let Some(id) = next {
            path.push(self.groups[id].name.clone());
            next = self.groups[id].parent;
        }
        path.reverse();
        path
    }
    /// For a report with no actuals (key actions only): the latest period
    /// of a status or of a milestone done, else the first milestone's.
    pub fn latest_assessed_period(&self) -> Option<Period> {
        let order = |p: &&Period| (p.quarter_index(), p.is_year());
        let statuses = self
            .measures
            .iter()
            .flat_map(|m| m.statuses.keys())
            .chain(self.actions.iter().flat_map(|a| a.statuses.keys()));
        let done = self
            .actions
            .iter()
            .flat_map(|a| a.milestones.iter().filter(|m| m.done).map(|m| &m.period));
        let first = || {
            self.actions
                .iter()
                .flat_map(|a| a.milestones.iter().map(|m| &m.period))
                .min_by_key(order)
                .copied()
        };
        statuses
            .chain(done)
            .max_by_key(order)
            .copied()
            .or_else(first)
    }
    pub fn measure(&self, id: &str) -> Option<&MeasureDef> {
        self.measures.iter().find(|m| m.id == id)
    }

    pub fn action(&self, id: &str) -> Option<&ActionDef> {
        self.actions.iter().find(|a| a.id == id)
    }

    /// Every period that has an actual value the rating can use (quarters of
    /// quarterly measures, years of annual ones), newest last.
    pub fn periods_with_actuals(&self) -> Vec<Period> {
        let mut periods: Vec<Period> = self
            .measures
            .iter()
            .flat_map(|m| {
                let annual = m.cadence == Cadence::Annual;
                m.actuals
                    .iter()
                    .filter(move |(p, a)| a.value().is_some() && p.is_year() == annual)
                    .map(|(p, _)| *p)
            })
            .collect();
        periods.sort_by_key(|p| (p.quarter_index(), p.is_year()));
        periods.dedup();
        periods
    }
}

#[derive(Clone, Debug)]
pub struct MeasureDef {
    pub id: String,
    pub title: String,
    /// The span of the id where the measure is declared.
    pub span: Span,
    pub group: Option<GroupId>,
    pub unit: Unit,
    /// `None` when the measure has no polarity (allowed only without targets).
    pub polarity: Option<Polarity>,
    pub cadence: Cadence,
    pub owner: Option<String>,
    pub lead: Option<String>,
    pub lag: u32,
    pub tolerance: BandDef,
    pub amber: BandDef,
    pub targets: PeriodMap<TargetDef>,
    pub baselines: Vec<Dated<Value>>,
    pub actuals: PeriodMap<ActualDef>,
    pub benchmarks: Vec<BenchmarkDef>,
    pub notes: Vec<Dated<String>>,
    pub statuses: PeriodMap<StatusDef>,
    pub composite: Option<CompositeDef>,
}

/// A value or text belonging to a period.
#[derive(Clone, Debug)]
pub struct Dated<T> {
    pub period: Period,
    pub value: T,
    pub span: Span,
}

/// A value in the measure's unit (`83%` on a percent measure is 83).
///
/// Kept small (a large scorecard holds millions): the decimal as written, or
/// a fraction's parts; the exact rational used for comparison is computed
/// when asked for.
#[derive(Clone, Debug)]
pub struct Value {
    /// The decimal, or a fraction's numerator.
    number: Decimal,
    /// A fraction's denominator.
    denominator: Option<Decimal>,
    /// Whether a fraction stands for a percentage (`50/66` on a percent
    /// measure is 75.75…).
    percent: bool,
    /// The literal as written, e.g. `24_500`, `83%`, `50/66`.
    pub text: Box<str>,
    pub span: Span,
}

impl Value {
    pub fn decimal_value(number: Decimal, text: impl Into<Box<str>>, span: Span) -> Value {
        Value {
            number,
            denominator: None,
            percent: false,
            text: text.into(),
            span,
        }
    }

    /// A fraction, or `None` when it cannot be held exactly.
    pub fn fraction_value(
        numerator: Decimal,
        denominator: Decimal,
        percent: bool,
        text: impl Into<Box<str>>,
        span: Span,
    ) -> Option<Value> {
        Ratio::fraction(numerator, denominator, if percent { 100 } else { 1 })?;
        Some(Value {
            number: numerator,
            denominator: Some(denominator),
            percent,
            text: text.into(),
            span,
        })
    }

    /// The exact value: how it is compared.
    pub fn ratio(&self) -> Ratio {
        match self.denominator {
            None => Ratio::from_decimal(self.number),
            // Checked when the value was made, so it cannot fail here.
            Some(d) => Ratio::fraction(self.number, d, if self.percent { 100 } else { 1 })
                .unwrap_or_else(|| Ratio::from_decimal(self.number)),
        }
    }

    /// The exact decimal, when it has one (every non-fraction does).
    pub fn decimal(&self) -> Option<Decimal> {
        match self.denominator {
            None => Some(self.number),
            Some(_) => self.ratio().to_decimal_exact(),
        }
    }

    /// `(numerator, denominator)` when written as a fraction.
    pub fn fraction(&self) -> Option<(Decimal, Decimal)> {
        self.denominator.map(|d| (self.number, d))
    }

    /// The value as a decimal string: exact where possible, else rounded to
    /// four places (only fractions such as `50/66` are ever rounded).
    pub fn exact_string(&self) -> String {
        match self.decimal() {
            Some(d) => d.to_string(),
            None => self.ratio().to_decimal_rounded(4).to_string(),
        }
    }
}

/// A tolerance or amber band.
#[derive(Clone, Debug)]
pub struct BandDef {
    pub amount: Decimal,
    pub kind: BandKind,
    /// As written (`5pp`), or `0` for the default.
    pub text: String,
    /// Where it was set (in the measure or in `defaults`); `None` by default.
    pub span: Option<Span>,
}

impl BandDef {
    pub fn zero() -> BandDef {
        BandDef {
            amount: Decimal::ZERO,
            kind: BandKind::Absolute,
            text: "0".into(),
            span: None,
        }
    }
}

#[derive(Clone, Copy, Debug, Eq, PartialEq)]
pub enum BandKind {
    /// `5%`: per cent of the value it is measured from.
    Relative,
    /// `5pp`: percentage points (percent measures only).
    Points,
    /// `5`: in the measure's unit.
    Absolute,
}

#[derive(Clone, Debug)]
pub struct TargetDef {
    pub value: TargetValue,
    pub source: TargetSource,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub enum TargetValue {
    Value(Value),
    Tbc,
}

/// How a target was written.
#[derive(Clone, Copy, Debug, Eq, PartialEq)]
pub enum TargetSource {
    /// `target 2017/18 95%`
    Annual,
    /// `target 2017/18 Q1 24%`
    Quarter,
    /// `target 2018/19 { Q1 25% ... }`
    Graduated,
}

#[derive(Clone, Debug)]
pub struct ActualDef {
    pub reading: Reading,
    pub span: Span,
}

impl ActualDef {
    pub fn value(&self) -> Option<&Value> {
        match &self.reading {
            Reading::Value { value, .. } => Some(value),
            Reading::NotAvailable { .. } => None,
        }
    }

    pub fn provisional(&self) -> bool {
        matches!(
            self.reading,
            Reading::Value {
                provisional: true,
                ..
            }
        )
    }
}

#[derive(Clone, Debug)]
pub enum Reading {
    Value { value: Value, provisional: bool },
    NotAvailable { reason: Option<String> },
}

#[derive(Clone, Debug)]
pub struct BenchmarkDef {
    pub name: String,
    pub period: Period,
    pub value: Value,
}

#[derive(Clone, Debug)]
pub struct StatusDef {
    pub rag: Rag,
    pub why: Option<String>,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub struct CompositeDef {
    pub rule: CompositeRule,
    pub components: Vec<Component>,
}

/// A component of a composite: a measure or an action, by index.
#[derive(Clone, Copy, Debug, Eq, Hash, PartialEq)]
pub enum Component {
    Measure(usize),
    Action(usize),
}

#[derive(Clone, Debug)]
pub struct ActionDef {
    pub id: String,
    pub title: String,
    pub span: Span,
    pub group: Option<GroupId>,
    pub owner: Option<String>,
    pub lead: Option<String>,
    pub milestones: Vec<MilestoneDef>,
    pub notes: Vec<Dated<String>>,
    pub statuses: PeriodMap<StatusDef>,
}

#[derive(Clone, Debug)]
pub struct MilestoneDef {
    pub period: Period,
    pub title: String,
    pub done: bool,
    pub concern: Option<String>,
}

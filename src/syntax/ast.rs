//! The typed syntax tree of one `.perf` file, as written.
//!
//! Every node carries its [`Span`]; spans are left out of equality, so two
//! trees compare equal when they say the same thing. Fields are kept in
//! source order (the formatter and diagnostics need it); the checker turns
//! this tree into a validated [`Model`](crate::model::Model).

use rust_decimal::Decimal;

use crate::period::Period;
use crate::syntax::span::Span;

/// One file: its top-level items in order.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Document {
    pub items: Vec<Item>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Item {
    Report(ReportHeader),
    Defaults(Defaults),
    Include(Include),
    Group(Group),
    Measure(Measure),
    Action(Action),
}

/// `report "Title" { organisation "..." period P year-start MONTH }`
#[derive(Clone, Debug, PartialEq)]
pub struct ReportHeader {
    pub title: Option<Text>,
    pub fields: Vec<HeaderField>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum HeaderField {
    Organisation(Text),
    Period(PeriodLit),
    /// The month the fiscal year starts in, 1 = January.
    YearStart(u8, Span),
}

/// `defaults { ... }`
#[derive(Clone, Debug, PartialEq)]
pub struct Defaults {
    pub settings: Vec<Setting>,
    pub span: Span,
}

/// `include "path.perf"`
#[derive(Clone, Debug, PartialEq)]
pub struct Include {
    pub path: Text,
    pub span: Span,
}

/// `group "Name" { ... }`
#[derive(Clone, Debug, PartialEq)]
pub struct Group {
    pub name: Text,
    pub items: Vec<Item>,
    pub span: Span,
}

/// `measure ID "Title" { ... }`
#[derive(Clone, Debug, PartialEq)]
pub struct Measure {
    pub id: Ident,
    pub title: Text,
    pub fields: Vec<MeasureField>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum MeasureField {
    Setting(Setting),
    Target(Target),
    Baseline(Baseline),
    Actual(Actual),
    Benchmark(Benchmark),
    Note(Note),
    Status(Status),
    Composite(Composite),
}

/// A field that `defaults` may give and a measure may override.
#[derive(Clone, Debug, PartialEq)]
pub enum Setting {
    Unit(Unit, Span),
    Polarity(Polarity, Span),
    Cadence(Cadence, Span),
    Owner(Text),
    Lead(Text),
    /// `lag N`, `lag N months`, `lag N quarters`.
    Lag(u32, Option<LagUnit>, Span),
    Tolerance(Band),
    Amber(Band),
    /// `red beyond B` (version 1).
    RedBeyond(Band),
    /// `year calendar` (version 1).
    Year(YearKind, Span),
    /// `year-to-date` (version 1).
    YearToDate(Span),
}

/// The unit a `lag` is written in.
#[derive(Clone, Copy, Debug, Eq, PartialEq)]
pub enum LagUnit {
    Months,
    Quarters,
}

/// Which kind of year an annual measure's years are.
#[derive(Clone, Copy, Debug, Default, Eq, PartialEq)]
pub enum YearKind {
    /// Fiscal years, starting in the header's `year-start` month.
    #[default]
    Financial,
    /// January to December, written `2011`.
    Calendar,
    /// September to August, written `2016/17`.
    Academic,
}

impl YearKind {
    pub fn as_str(&self) -> &'static str {
        match self {
            YearKind::Financial => "financial",
            YearKind::Calendar => "calendar",
            YearKind::Academic => "academic",
        }
    }
}

impl Setting {
    pub fn keyword(&self) -> &'static str {
        match self {
            Setting::Unit(..) => "unit",
            Setting::Polarity(..) => "polarity",
            Setting::Cadence(..) => "cadence",
            Setting::Owner(_) => "owner",
            Setting::Lead(_) => "lead",
            Setting::Lag(..) => "lag",
            Setting::Tolerance(_) => "tolerance",
            Setting::Amber(_) => "amber",
            Setting::RedBeyond(_) => "red beyond",
            Setting::Year(..) => "year",
            Setting::YearToDate(_) => "year-to-date",
        }
    }
}

#[derive(Clone, Debug, Eq, PartialEq)]
pub enum Unit {
    Percent,
    /// `percent-change` (version 1): `%` values that may be negative or
    /// above 100.
    PercentChange,
    Count,
    Number,
    Days,
    /// `money "£m"`; the string is the currency label (`£` when omitted).
    Money(Option<String>),
    /// `"kg per head"`
    Other(String),
}

impl Unit {
    /// `percent` or `percent-change`: `%` values and `pp` bands.
    pub fn is_percent(&self) -> bool {
        matches!(self, Unit::Percent | Unit::PercentChange)
    }
}

#[derive(Clone, Copy, Debug, Eq, Hash, PartialEq)]
pub enum Polarity {
    Higher,
    Lower,
    Target,
    None,
    Tbc,
}

impl Polarity {
    pub const ALL: [Polarity; 5] = [
        Polarity::Higher,
        Polarity::Lower,
        Polarity::Target,
        Polarity::None,
        Polarity::Tbc,
    ];

    /// The word written after `polarity`: the one spelling every part of
    /// perfcard (parser, formatter, reports, diff, editor) uses.
    pub fn keyword(self) -> &'static str {
        match self {
            Polarity::Higher => "higher",
            Polarity::Lower => "lower",
            Polarity::Target => "target",
            Polarity::None => "none",
            Polarity::Tbc => "tbc",
        }
    }
}

impl std::str::FromStr for Polarity {
    type Err = ();

    fn from_str(word: &str) -> Result<Polarity, ()> {
        Polarity::ALL
            .into_iter()
            .find(|p| p.keyword() == word)
            .ok_or(())
    }
}

#[derive(Clone, Copy, Debug, Eq, PartialEq)]
pub enum Cadence {
    Quarterly,
    Annual,
    /// Version 1.
    Monthly,
}

impl Cadence {
    pub const ALL: [Cadence; 3] = [Cadence::Quarterly, Cadence::Annual, Cadence::Monthly];

    /// The word written after `cadence`.
    pub fn as_str(&self) -> &'static str {
        match self {
            Cadence::Quarterly => "quarterly",
            Cadence::Annual => "annual",
            Cadence::Monthly => "monthly",
        }
    }
}

/// A tolerance or amber band: `5%` (relative), `5pp` (points) or `5`.
#[derive(Clone, Debug, PartialEq)]
pub struct Band {
    pub literal: Literal,
}

/// `target P v`, `target P tbc` or `target Y { Q1 v ... }`.
#[derive(Clone, Debug, PartialEq)]
pub struct Target {
    pub period: PeriodLit,
    pub spec: TargetSpec,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum TargetSpec {
    Value(TargetValue),
    Graduated(Vec<GraduatedStep>),
}

#[derive(Clone, Debug, PartialEq)]
pub enum TargetValue {
    Value(Literal),
    Tbc(Span),
}

/// `Q2 50%` (or, version 1, `May 80`) inside a graduated target.
#[derive(Clone, Debug, PartialEq)]
pub struct GraduatedStep {
    pub step: Step,
    pub quarter_span: Span,
    pub value: TargetValue,
    pub span: Span,
}

/// Which part of the year a graduated step is for.
#[derive(Clone, Copy, Debug, Eq, PartialEq)]
pub enum Step {
    Quarter(u8),
    /// A calendar month, 1 = January.
    Month(u8),
}

/// `baseline P v`
#[derive(Clone, Debug, PartialEq)]
pub struct Baseline {
    pub period: PeriodLit,
    pub value: Literal,
    pub span: Span,
}

/// `actual P v` (one row, `block == false`) or `actual { rows }`.
#[derive(Clone, Debug, PartialEq)]
pub struct Actual {
    pub rows: Vec<ActualRow>,
    pub block: bool,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ActualRow {
    pub period: PeriodLit,
    pub reading: Reading,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Reading {
    Value {
        value: Literal,
        provisional: Option<Span>,
    },
    NotAvailable {
        reason: Option<Text>,
        span: Span,
    },
}

/// `benchmark "England" P v`
#[derive(Clone, Debug, PartialEq)]
pub struct Benchmark {
    pub name: Text,
    pub period: PeriodLit,
    pub value: Literal,
    pub span: Span,
}

/// `note P "text"`
#[derive(Clone, Debug, PartialEq)]
pub struct Note {
    pub period: PeriodLit,
    pub text: Text,
    pub span: Span,
}

/// `status P rag "why"`
#[derive(Clone, Debug, PartialEq)]
pub struct Status {
    pub period: PeriodLit,
    pub rag: Rag,
    pub rag_span: Span,
    pub why: Option<Text>,
    pub span: Span,
}

#[derive(
    Clone, Copy, Debug, Eq, Hash, PartialEq, Ord, PartialOrd, serde::Serialize, schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Rag {
    Red,
    Amber,
    Green,
    None,
}

impl Rag {
    pub fn as_str(&self) -> &'static str {
        match self {
            Rag::Red => "red",
            Rag::Amber => "amber",
            Rag::Green => "green",
            Rag::None => "none",
        }
    }
}

/// `composite worst of A, B`
#[derive(Clone, Debug, PartialEq)]
pub struct Composite {
    pub rule: CompositeRule,
    pub rule_span: Span,
    pub components: Vec<Ident>,
    pub span: Span,
}

#[derive(Clone, Copy, Debug, Eq, PartialEq)]
pub enum CompositeRule {
    Worst,
    Majority,
}

impl CompositeRule {
    /// The word written after `composite`.
    pub fn keyword(self) -> &'static str {
        match self {
            CompositeRule::Worst => "worst",
            CompositeRule::Majority => "majority",
        }
    }
}

impl std::str::FromStr for Cadence {
    type Err = ();

    fn from_str(word: &str) -> Result<Cadence, ()> {
        Cadence::ALL
            .into_iter()
            .find(|c| c.as_str() == word)
            .ok_or(())
    }
}

/// `action ID "Title" { ... }`
#[derive(Clone, Debug, PartialEq)]
pub struct Action {
    pub id: Ident,
    pub title: Text,
    pub fields: Vec<ActionField>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum ActionField {
    Owner(Text),
    Lead(Text),
    Milestone(Milestone),
    Note(Note),
    Status(Status),
}

/// `milestone P "title" done concern "why"`
#[derive(Clone, Debug, PartialEq)]
pub struct Milestone {
    pub period: PeriodLit,
    pub title: Text,
    pub done: Option<Span>,
    pub concern: Option<Text>,
    pub span: Span,
}

/// A string, unescaped.
#[derive(Clone, Debug, PartialEq)]
pub struct Text {
    pub value: String,
    pub span: Span,
}

/// A measure or action id.
#[derive(Clone, Debug, PartialEq)]
pub struct Ident {
    pub name: String,
    pub span: Span,
}

/// A period as written.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PeriodLit {
    pub period: Period,
    pub span: Span,
}

/// A number as written: its exact amount, suffix and spelling.
#[derive(Clone, Debug, PartialEq)]
pub struct Literal {
    pub amount: Amount,
    pub suffix: Suffix,
    /// The literal exactly as written (`24_500`, `83.0%`, `50/66`), which
    /// the formatter keeps and the report shows.
    pub text: String,
    pub span: Span,
}

#[derive(Clone, Copy, Debug, Eq, PartialEq)]
pub enum Amount {
    Decimal(Decimal),
    Fraction {
        numerator: Decimal,
        denominator: Decimal,
    },
}

#[derive(Clone, Copy, Debug, Eq, PartialEq)]
pub enum Suffix {
    None,
    /// `%`
    Percent,
    /// `pp`
    Points,
}

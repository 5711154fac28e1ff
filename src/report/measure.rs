//! One measure's or action's part of the report, from its evaluation.

use rust_decimal::Decimal;

use crate::eval::interpreter::{ActionEvaluation, Evaluation, Interpreter, Reason, Travel};
use crate::eval::rating::Bounds;
use crate::model::*;
use crate::period::Period;

use super::*;

fn polarity_word(polarity: Option<Polarity>) -> Option<&'static str> {
    polarity.map(Polarity::keyword)
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
    let rule = if m.red_beyond.is_some() {
        BandRule::RedBeyond
    } else {
        BandRule::Amber
    };
    let thresholds = e.bounds.map(|b| Thresholds {
        rule,
        ..thresholds_report(&b)
    });
    let places =
        super::numbers::shown_places(actual.map(shown_decimal), target.and_then(|t| t.decimal()));
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
        cadence: m.cadence.as_str(),
        owner: m.owner.clone(),
        lead: m.lead.clone(),
        lag: m.lag,
        lag_unit: m.lag_unit.map(|u| match u {
            LagUnit::Months => "months",
            LagUnit::Quarters => "quarters",
        }),
        year: m.year.as_str(),
        year_to_date: m.year_to_date,
        lagged: (e.data_period != e.period && m.lag > 0).then(|| measure_lag_words(m)),
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
            (_, TargetSource::Month) => "month",
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
        red_beyond: m.red_beyond.as_ref().map(|b| b.text.clone()),
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
            Cadence::Monthly => data_period.back_months(back),
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
                    crate::eval::rating::thresholds(
                        p,
                        t,
                        &m.tolerance,
                        &m.amber,
                        m.red_beyond.as_ref(),
                    )
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
            kind: ThresholdKind::AtLeast,
            rule: BandRule::Amber,
            green: s(green),
            amber: s(red),
            green_low: None,
            green_high: None,
            amber_low: None,
            amber_high: None,
        },
        Bounds::Lower { green, red } => Thresholds {
            kind: ThresholdKind::AtMost,
            rule: BandRule::Amber,
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
            kind: ThresholdKind::Between,
            rule: BandRule::Amber,
            green: None,
            amber: None,
            green_low: s(green_low),
            green_high: s(green_high),
            amber_low: s(red_low),
            amber_high: s(red_high),
        },
    }
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

/// The bounds rounded as published (see [`crate::report::numbers`]).
fn shown_bounds(bounds: &Bounds, places: u32, actual: Option<Decimal>) -> Bounds {
    let r = |d: Decimal| super::numbers::round_keeping_side(d, places, actual);
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
    let text = super::numbers::signed(d);
    let (sign, digits) = match text.chars().next() {
        Some(c @ ('+' | '-')) => (c.to_string(), &text[1..]),
        _ => (String::new(), text.as_str()),
    };
    match unit {
        Unit::Percent | Unit::PercentChange => format!("{sign}{digits}pp"),
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
    let shown = super::numbers::variance(absolute, places);
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
                super::numbers::signed(super::numbers::variance(r, 1))
            )
        }),
    })
}

/// One action's entry of the report.
pub fn action_report(model: &Model, e: &ActionEvaluation) -> ActionReport {
    let a = e.action;
    let year_start = model.header.year_start;
    let now = e.period.last_month(year_start);
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
                let due = m.period.last_month(year_start) <= now;
                let state = match (m.done, due, m.concern.is_some()) {
                    (true, _, true) => MilestoneState::Concern,
                    (true, _, false) => MilestoneState::Done,
                    (false, true, _) => MilestoneState::Overdue,
                    (false, false, _) => MilestoneState::Pending,
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

//! `perfcard explain`: how one rating was reached, step by step.

use std::fmt::{self, Write as _};

use rust_decimal::Decimal;

use crate::eval::interpreter::{Evaluation, Interpreter, Travel};
use crate::eval::rating::{Bounds, Direction};
use crate::model::*;
use crate::period::Period;
use crate::render::words;
use crate::report::{
    display_threshold, display_value, display_value_to, lag_words, measure_lag_words, normal,
};

/// The explanation for the measure or action `id` at `period`.
pub fn explain(model: &Model, id: &str, period: Period) -> Result<String, String> {
    let interpreter = Interpreter::new(model);
    if let Some(index) = model.measures.iter().position(|m| m.id == id) {
        let mut out = String::new();
        // Writing to a String cannot fail.
        measure(&mut out, model, &interpreter.measure(index, period)).map_err(|e| e.to_string())?;
        return Ok(out);
    }
    if let Some(index) = model.actions.iter().position(|a| a.id == id) {
        let mut out = String::new();
        action(&mut out, model, &interpreter, index, period).map_err(|e| e.to_string())?;
        return Ok(out);
    }
    let mut ids: Vec<&str> = model
        .measures
        .iter()
        .map(|m| m.id.as_str())
        .chain(model.actions.iter().map(|a| a.id.as_str()))
        .collect();
    ids.sort_unstable();
    let close: Vec<&str> = ids
        .iter()
        .copied()
        .filter(|i| i.eq_ignore_ascii_case(id))
        .collect();
    Err(match close.first() {
        Some(similar) => format!("no measure or action has the id `{id}`; did you mean `{similar}`? (ids are case-sensitive)"),
        None => format!("no measure or action has the id `{id}`; `perfcard report` lists them all"),
    })
}

fn polarity_words(polarity: Option<Polarity>) -> &'static str {
    match polarity {
        Some(Polarity::Higher) => "higher (bigger is better)",
        Some(Polarity::Lower) => "lower (smaller is better)",
        Some(Polarity::Target) => "target (closer to the target is better)",
        Some(Polarity::None) => "none (tracked for context only, never rated)",
        Some(Polarity::Tbc) => "tbc (to be confirmed, never rated)",
        None => "not set",
    }
}

fn band_words(band: &BandDef) -> String {
    let kind = match band.kind {
        BandKind::Relative => "relative: per cent of the value it is measured from",
        BandKind::Points => "percentage points",
        BandKind::Absolute => "in the measure's unit",
    };
    if band.span.is_none() {
        "0 (the default)".into()
    } else {
        format!("{} ({kind})", band.text)
    }
}

/// One step of threshold arithmetic: `95 − 0 = 95` or `95 − |95| × 10/100 = 85.5`.
fn arithmetic(from: Decimal, band: &BandDef, sign: char, result: Decimal) -> String {
    let from_s = normal(from);
    match band.kind {
        BandKind::Relative => format!(
            "{from_s} {sign} |{from_s}| × {}/100 = {}",
            normal(band.amount),
            normal(result)
        ),
        _ => format!(
            "{from_s} {sign} {} = {}",
            normal(band.amount),
            normal(result)
        ),
    }
}

fn measure(out: &mut String, model: &Model, e: &Evaluation) -> fmt::Result {
    let m = e.measure;
    writeln!(out, "{} — {}", m.id, m.title)?;
    let path = model.group_path(m.group);
    if !path.is_empty() {
        writeln!(out, "Group: {}", path.join(" › "))?;
    }
    writeln!(
        out,
        "Reported period: {} ({})",
        e.period,
        e.period.months(model.header.year_start)
    )?;
    writeln!(out)?;
    let mut step = 0;
    let mut next = || {
        step += 1;
        step
    };
    // 1. The data period.
    let lag_written = match m.lag_unit {
        None => format!("lag {}", m.lag),
        Some(LagUnit::Months) => format!("lag {} months", m.lag),
        Some(LagUnit::Quarters) => format!("lag {} quarters", m.lag),
    };
    let data =
        match (m.cadence, m.lag) {
            (Cadence::Quarterly, 0) if e.period.is_month() => format!(
                "{} — a quarterly measure is rated on the latest quarter ended by {} (no lag).",
                e.data_period, e.period
            ),
            (Cadence::Quarterly, 0) => format!("{} (no lag).", e.data_period),
            (Cadence::Quarterly, _) if m.lag_unit.is_none() => {
                format!("{} — `{lag_written}`: {}.", e.data_period, lag_words(m.lag))
            }
            (Cadence::Quarterly | Cadence::Monthly, _) if m.lag > 0 => format!(
            "{} — `{lag_written}`: the latest {} ended by the end of {} moved back {} month{}; {}.",
            e.data_period,
            if m.cadence == Cadence::Monthly { "month" } else { "quarter" },
            e.period,
            m.lag_months(),
            if m.lag_months() == 1 { "" } else { "s" },
            measure_lag_words(m)
        ),
            (_, _) if m.cadence == Cadence::Monthly => {
                if e.period.is_month() {
                    format!("{} (no lag).", e.data_period)
                } else {
                    format!(
                        "{} — a monthly measure is rated on the last month of {} (no lag).",
                        e.data_period, e.period
                    )
                }
            }
            (_, lag) => format!(
                "{} — an annual measure{} is rated on the latest {} ended by {}{}.",
                e.data_period,
                match m.year {
                    YearKind::Financial => "",
                    YearKind::Calendar => " of calendar years (January–December)",
                    YearKind::Academic => " of academic years (September–August)",
                },
                match m.year {
                    YearKind::Financial => "year",
                    YearKind::Calendar => "calendar year",
                    YearKind::Academic => "academic year",
                },
                e.period,
                if lag > 0 {
                    format!(
                        " less its lag of {}",
                        lag_written.trim_start_matches("lag ")
                    )
                } else {
                    String::new()
                }
            ),
        };
    writeln!(out, "{}. Data period: {data}", next())?;
    if let Some(composite) = &m.composite {
        let rule = match composite.rule {
            CompositeRule::Worst => "worst: the worst rating among the rated components",
            CompositeRule::Majority => {
                "majority: the most common rating among the rated components, ties to the worse"
            }
        };
        writeln!(out, "{}. Composite ({rule}):", next())?;
        for (id, rag) in &e.components {
            writeln!(out, "     {id}: {}", words::rating(*rag))?;
        }
        writeln!(out, "   → {}", words::rating(e.computed.rag))?;
    } else {
        writeln!(out, "{}. Polarity: {}.", next(), polarity_words(m.polarity))?;
        // The target.
        let target_line = match e.target {
            None => format!(
                "none for {} (nor for the year {}).",
                e.data_period,
                e.data_period.fiscal_year()
            ),
            Some((p, t)) => {
                let value = match &t.value {
                    TargetValue::Tbc => "to be confirmed (`tbc`)".to_string(),
                    TargetValue::Value(v) => display_value(&m.unit, v),
                };
                let why = match t.source {
                    TargetSource::Month => format!("the month target for {p}"),
                    TargetSource::Quarter if p != e.data_period => format!(
                        "the quarter target for {p} (there is no month target for {})",
                        e.data_period
                    ),
                    TargetSource::Quarter => format!("the quarter target for {p}"),
                    TargetSource::Graduated => {
                        format!("the graduated (year-to-date) target for {p}")
                    }
                    TargetSource::Annual if p == e.data_period => {
                        format!("the target for the year {p}")
                    }
                    TargetSource::Annual => format!(
                        "the annual target for {p} (there is no {} target for {})",
                        if e.data_period.is_month() {
                            "month or quarter"
                        } else {
                            "quarter"
                        },
                        e.data_period
                    ),
                };
                format!("{value} — {why}.")
            }
        };
        writeln!(out, "{}. Target: {target_line}", next())?;
        if let Some(bounds) = e.bounds {
            match &m.red_beyond {
                Some(red) => {
                    writeln!(
                        out,
                        "{}. Bands: tolerance {}; red beyond {}, measured from the target.",
                        next(),
                        band_words(&m.tolerance),
                        band_words(red)
                    )?;
                }
                None => {
                    writeln!(
                        out,
                        "{}. Bands: tolerance {}; amber {}.",
                        next(),
                        band_words(&m.tolerance),
                        band_words(&m.amber)
                    )?;
                }
            }
            let t = e
                .target_value()
                .and_then(|v| v.decimal())
                .unwrap_or_default();
            let u = |d: Decimal| display_threshold(&m.unit, d);
            // The red threshold: from the green threshold by the amber
            // band, or from the target by the red-beyond distance.
            let red_line = |green: Decimal, sign: char, red: Decimal| match &m.red_beyond {
                Some(b) => format!(
                    "   red threshold = {}, measured from the target",
                    arithmetic(t, b, sign, red)
                ),
                None => format!(
                    "   amber threshold = {}",
                    arithmetic(green, &m.amber, sign, red)
                ),
            };
            match bounds {
                Bounds::Higher { green, red } => {
                    writeln!(
                        out,
                        "   green threshold = {}",
                        arithmetic(t, &m.tolerance, '−', green)
                    )?;
                    writeln!(out, "{}", red_line(green, '−', red))?;
                    if green == red {
                        writeln!(
                            out,
                            "   → green from {}, red below it (no amber band).",
                            u(green)
                        )?;
                    } else {
                        writeln!(
                            out,
                            "   → green from {}, amber from {}, red below {}.",
                            u(green),
                            u(red),
                            u(red)
                        )?;
                    }
                }
                Bounds::Lower { green, red } => {
                    writeln!(
                        out,
                        "   green threshold = {}",
                        arithmetic(t, &m.tolerance, '+', green)
                    )?;
                    writeln!(out, "{}", red_line(green, '+', red))?;
                    if green == red {
                        writeln!(
                            out,
                            "   → green up to {}, red above it (no amber band).",
                            u(green)
                        )?;
                    } else {
                        writeln!(
                            out,
                            "   → green up to {}, amber up to {}, red above {}.",
                            u(green),
                            u(red),
                            u(red)
                        )?;
                    }
                }
                Bounds::Target {
                    green_low,
                    green_high,
                    red_low,
                    red_high,
                } => {
                    writeln!(
                        out,
                        "   green from {} to {} (the tolerance on both sides of {})",
                        u(green_low),
                        u(green_high),
                        normal(t)
                    )?;
                    if m.red_beyond.is_some() {
                        writeln!(out, "{}", red_line(green_low, '−', red_low))?;
                        writeln!(out, "{}", red_line(green_high, '+', red_high))?;
                    }
                    writeln!(
                        out,
                        "   amber from {} to {}; red outside.",
                        u(red_low),
                        u(red_high)
                    )?;
                }
            }
        }
        // The actual.
        let actual_line = match e.actual.map(|a| &a.reading) {
            None => format!("none recorded for {}.", e.data_period),
            Some(Reading::NotAvailable { reason }) => {
                format!(
                    "not available (`n/a`){}.",
                    reason
                        .as_ref()
                        .map(|r| format!(": {}", r.trim_end_matches('.')))
                        .unwrap_or_default()
                )
            }
            Some(Reading::Value { value, provisional }) => format!(
                "{} (written `{}`){}.",
                display_value(&m.unit, value),
                value.text,
                if *provisional { ", provisional" } else { "" }
            ),
        };
        writeln!(
            out,
            "{}. Actual for {}: {actual_line}",
            next(),
            e.data_period
        )?;
        match (e.bounds, e.actual_value()) {
            (Some(bounds), Some(actual)) => {
                writeln!(
                    out,
                    "{}. Comparison: {}",
                    next(),
                    comparison(
                        &m.unit,
                        actual,
                        &bounds,
                        e.computed.rag,
                        m.red_beyond.is_some()
                    )
                )?;
            }
            _ => {
                let reason = e
                    .computed
                    .reason
                    .as_ref()
                    .map(|r| r.describe())
                    .unwrap_or_default();
                writeln!(
                    out,
                    "{}. Not rated: {}.",
                    next(),
                    reason.trim_end_matches('.')
                )?;
            }
        }
    }
    // The assessment.
    match e.assessed {
        Some((p, status)) => {
            writeln!(
                out,
                "{}. Assessed status for {p}: {}{}.",
                next(),
                words::rating(status.rag),
                status
                    .why
                    .as_ref()
                    .map(|w| format!(" — \"{w}\""))
                    .unwrap_or_default()
            )?;
            writeln!(
                out,
                "   The report publishes the assessed rating{}.",
                if e.disagrees() {
                    format!(
                        " and flags that the figures give {}",
                        words::rating(e.computed.rag)
                    )
                } else {
                    String::new()
                }
            )?;
        }
        None => {
            writeln!(
                out,
                "{}. No assessed status for {}: the computed rating stands.",
                next(),
                e.period
            )?;
        }
    }
    writeln!(out)?;
    writeln!(out, "Rating: {}", words::rating(e.rating.rag))?;
    if let Some(reason) = &e.rating.reason {
        writeln!(out, "Reason: {}", reason.describe())?;
    }
    writeln!(out)?;
    writeln!(out, "Direction of travel:")?;
    let (short_name, long_name) = match (m.cadence, m.year_to_date) {
        (Cadence::Quarterly, false) => (
            "short term (previous quarter)",
            "long term (same quarter last year)",
        ),
        (Cadence::Quarterly, true) => (
            "short term (this quarter's own amount against the previous quarter's; year-to-date)",
            "long term (running total against the same quarter last year)",
        ),
        (Cadence::Monthly, false) => (
            "short term (previous month)",
            "long term (same month last year)",
        ),
        (Cadence::Monthly, true) => (
            "short term (this month's own amount against the previous month's; year-to-date)",
            "long term (running total against the same month last year)",
        ),
        (Cadence::Annual, _) => ("short term (previous year)", "long term (previous year)"),
    };
    writeln!(out, "  {short_name}: {}", travel(m, e, &e.short))?;
    writeln!(out, "  {long_name}: {}", travel(m, e, &e.long))?;
    Ok(())
}

fn comparison(unit: &Unit, actual: &Value, bounds: &Bounds, rag: Rag, red_beyond: bool) -> String {
    let edge = if red_beyond {
        "(red threshold)"
    } else {
        "(amber threshold)"
    };
    let a = display_value_to(unit, actual, 4);
    let u = |d: Decimal| display_threshold(unit, d);
    let verdict = words::rating(rag);
    match *bounds {
        Bounds::Higher { green, red } => match rag {
            Rag::Green => format!("{a} ≥ {} (green threshold) → {verdict}", u(green)),
            Rag::Amber => format!("{a} < {} but ≥ {} {edge} → {verdict}", u(green), u(red)),
            _ if green == red => format!(
                "{a} < {} (green threshold; no amber band) → {verdict}",
                u(red)
            ),
            _ => format!("{a} < {} {edge} → {verdict}", u(red)),
        },
        Bounds::Lower { green, red } => match rag {
            Rag::Green => format!("{a} ≤ {} (green threshold) → {verdict}", u(green)),
            Rag::Amber => format!("{a} > {} but ≤ {} {edge} → {verdict}", u(green), u(red)),
            _ if green == red => format!(
                "{a} > {} (green threshold; no amber band) → {verdict}",
                u(red)
            ),
            _ => format!("{a} > {} {edge} → {verdict}", u(red)),
        },
        Bounds::Target {
            green_low,
            green_high,
            red_low,
            red_high,
        } => match rag {
            Rag::Green => format!(
                "{a} is within {}–{} → {verdict}",
                u(green_low),
                u(green_high)
            ),
            Rag::Amber => format!(
                "{a} is outside {}–{} but within {}–{} → {verdict}",
                u(green_low),
                u(green_high),
                u(red_low),
                u(red_high)
            ),
            _ => format!("{a} is outside {}–{} → {verdict}", u(red_low), u(red_high)),
        },
    }
}

fn travel(m: &MeasureDef, e: &Evaluation, t: &Travel) -> String {
    let word = words::direction(t.direction);
    let Some(period) = t.period else {
        return format!("{word} (no earlier period)");
    };
    if m.composite.is_some() {
        return match t.rating {
            Some(r) => format!(
                "{} in {period} → {} now: {word}",
                words::rating(r),
                words::rating(e.rating.rag)
            ),
            None => word.to_string(),
        };
    }
    if m.year_to_date && m.cadence != Cadence::Annual && std::ptr::eq(t, &e.short) {
        let own =
            |p: Period| Interpreter::own_amount(m, p).map(|r| normal(r.to_decimal_rounded(4)));
        return match (own(e.data_period), own(period)) {
            (Some(now), Some(then)) => format!(
                "own amount {then} in {period} → {now} in {} (each period's running total less the one before; the first of the year is its total): {} → {word}",
                e.data_period,
                polarity_words(m.polarity)
            ),
            _ => format!(
                "the own amounts of {period} and {} need both running totals and the ones before them → {word}",
                e.data_period
            ),
        };
    }
    let now = e.actual_value();
    match (t.value, now) {
        (None, _) => format!("no value for {period} to compare with → {word}"),
        (Some(_), None) => format!("no value for {} → {word}", e.data_period),
        (Some(then), Some(now)) => {
            let why = match t.direction {
                Direction::Same => "equal".to_string(),
                Direction::Up | Direction::Down => "no polarity, so only up or down".to_string(),
                _ => match m.polarity {
                    Some(Polarity::Target) => match e.target_value().and_then(|v| v.decimal()) {
                        Some(target) => {
                            let away = |v: &Value| {
                                let d = v
                                    .ratio()
                                    .distance(crate::exact::Ratio::from_decimal(target));
                                d.map(|d| d.to_decimal_rounded(4).to_string())
                                    .unwrap_or_default()
                            };
                            format!(
                                "{} from the target {} now, {} then",
                                away(now),
                                normal(target),
                                away(then)
                            )
                        }
                        None => "distance from the target".to_string(),
                    },
                    p => polarity_words(p).to_string(),
                },
            };
            format!(
                "{} in {period} → {} in {}: {why} → {word}",
                display_value(&m.unit, then),
                display_value(&m.unit, now),
                e.data_period
            )
        }
    }
}

fn action(
    out: &mut String,
    model: &Model,
    interpreter: &Interpreter,
    index: usize,
    period: Period,
) -> fmt::Result {
    let e = interpreter.action(index, period);
    let a = e.action;
    writeln!(out, "{} — {} (key action)", a.id, a.title)?;
    let path = model.group_path(a.group);
    if !path.is_empty() {
        writeln!(out, "Group: {}", path.join(" › "))?;
    }
    writeln!(
        out,
        "Reported period: {} ({})",
        period,
        period.months(model.header.year_start)
    )?;
    writeln!(out)?;
    writeln!(out, "Milestones due by {period} decide the rating:")?;
    let now = period.quarter_index();
    for m in &a.milestones {
        let due = m.period.quarter_index() <= now;
        let state = match (due, m.done, &m.concern) {
            (false, _, _) => "not yet due".to_string(),
            (true, false, _) => "OVERDUE (due and not done)".to_string(),
            (true, true, Some(c)) => format!("done, with a concern: \"{c}\""),
            (true, true, None) => "done".to_string(),
        };
        writeln!(out, "  {} \"{}\": {state}", m.period, m.title)?;
    }
    let rule = if e.due == 0 {
        "no milestone is due yet → NOT RATED".to_string()
    } else if !e.overdue.is_empty() {
        format!(
            "{} of {} due milestones not done → RED",
            e.overdue.len(),
            e.due
        )
    } else if !e.concerns.is_empty() {
        format!(
            "all {} due milestones done, {} with a concern → AMBER",
            e.due,
            e.concerns.len()
        )
    } else {
        format!("all {} due milestones done → GREEN", e.due)
    };
    writeln!(out, "Rule: {rule}")?;
    if let Some((p, status)) = e.assessed {
        writeln!(
            out,
            "Assessed status for {p}: {} — the report publishes it.",
            words::rating(status.rag)
        )?;
    }
    writeln!(out)?;
    writeln!(out, "Rating: {}", words::rating(e.rating.rag))?;
    Ok(())
}

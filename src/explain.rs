//! `perfcard explain`: how one rating was reached, step by step.

use std::fmt::Write as _;

use rust_decimal::Decimal;

use crate::eval::interpreter::{Evaluation, Interpreter, Travel};
use crate::eval::rating::{Bounds, Direction};
use crate::model::*;
use crate::period::Period;
use crate::render::words;
use crate::report::{display_threshold, display_value, display_value_to, lag_words, normal};

/// The explanation for the measure or action `id` at `period`.
pub fn explain(model: &Model, id: &str, period: Period) -> Result<String, String> {
    let interpreter = Interpreter::new(model);
    if let Some(index) = model.measures.iter().position(|m| m.id == id) {
        return Ok(measure(model, &interpreter.measure(index, period)));
    }
    if let Some(index) = model.actions.iter().position(|a| a.id == id) {
        return Ok(action(model, &interpreter, index, period));
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

fn measure(model: &Model, e: &Evaluation) -> String {
    let m = e.measure;
    let mut out = String::new();
    let _ = writeln!(out, "{} — {}", m.id, m.title);
    let path = model.group_path(m.group);
    if !path.is_empty() {
        let _ = writeln!(out, "Group: {}", path.join(" › "));
    }
    let _ = writeln!(
        out,
        "Reported period: {} ({})",
        e.period,
        e.period.months(model.header.year_start)
    );
    let _ = writeln!(out);
    let mut step = 0;
    let mut next = || {
        step += 1;
        step
    };
    // 1. The data period.
    let data = match (m.cadence, m.lag) {
        (Cadence::Quarterly, 0) => format!("{} (no lag).", e.data_period),
        (Cadence::Quarterly, lag) => {
            format!("{} — `lag {lag}`: {}.", e.data_period, lag_words(lag))
        }
        (Cadence::Annual, lag) => format!(
            "{} — an annual measure is rated on the latest year ended by {}{}.",
            e.data_period,
            e.period,
            if lag > 0 {
                format!(" less its lag of {lag}")
            } else {
                String::new()
            }
        ),
    };
    let _ = writeln!(out, "{}. Data period: {data}", next());
    if let Some(composite) = &m.composite {
        let rule = match composite.rule {
            CompositeRule::Worst => "worst: the worst rating among the rated components",
            CompositeRule::Majority => {
                "majority: the most common rating among the rated components, ties to the worse"
            }
        };
        let _ = writeln!(out, "{}. Composite ({rule}):", next());
        for (id, rag) in &e.components {
            let _ = writeln!(out, "     {id}: {}", words::rating(*rag));
        }
        let _ = writeln!(out, "   → {}", words::rating(e.computed.rag));
    } else {
        let _ = writeln!(out, "{}. Polarity: {}.", next(), polarity_words(m.polarity));
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
                    TargetSource::Quarter => format!("the quarter target for {p}"),
                    TargetSource::Graduated => {
                        format!("the graduated (year-to-date) target for {p}")
                    }
                    TargetSource::Annual if p == e.data_period => {
                        format!("the target for the year {p}")
                    }
                    TargetSource::Annual => format!(
                        "the annual target for {p} (there is no quarter target for {})",
                        e.data_period
                    ),
                };
                format!("{value} — {why}.")
            }
        };
        let _ = writeln!(out, "{}. Target: {target_line}", next());
        if let Some(bounds) = e.bounds {
            let _ = writeln!(
                out,
                "{}. Bands: tolerance {}; amber {}.",
                next(),
                band_words(&m.tolerance),
                band_words(&m.amber)
            );
            let t = e
                .target_value()
                .and_then(|v| v.decimal())
                .unwrap_or_default();
            let u = |d: Decimal| display_threshold(&m.unit, d);
            match bounds {
                Bounds::Higher { green, red } => {
                    let _ = writeln!(
                        out,
                        "   green threshold = {}",
                        arithmetic(t, &m.tolerance, '−', green)
                    );
                    let _ = writeln!(
                        out,
                        "   amber threshold = {}",
                        arithmetic(green, &m.amber, '−', red)
                    );
                    if green == red {
                        let _ = writeln!(
                            out,
                            "   → green from {}, red below it (no amber band).",
                            u(green)
                        );
                    } else {
                        let _ = writeln!(
                            out,
                            "   → green from {}, amber from {}, red below {}.",
                            u(green),
                            u(red),
                            u(red)
                        );
                    }
                }
                Bounds::Lower { green, red } => {
                    let _ = writeln!(
                        out,
                        "   green threshold = {}",
                        arithmetic(t, &m.tolerance, '+', green)
                    );
                    let _ = writeln!(
                        out,
                        "   amber threshold = {}",
                        arithmetic(green, &m.amber, '+', red)
                    );
                    if green == red {
                        let _ = writeln!(
                            out,
                            "   → green up to {}, red above it (no amber band).",
                            u(green)
                        );
                    } else {
                        let _ = writeln!(
                            out,
                            "   → green up to {}, amber up to {}, red above {}.",
                            u(green),
                            u(red),
                            u(red)
                        );
                    }
                }
                Bounds::Target {
                    green_low,
                    green_high,
                    red_low,
                    red_high,
                } => {
                    let _ = writeln!(
                        out,
                        "   green from {} to {} (the tolerance on both sides of {})",
                        u(green_low),
                        u(green_high),
                        normal(t)
                    );
                    let _ = writeln!(
                        out,
                        "   amber from {} to {}; red outside.",
                        u(red_low),
                        u(red_high)
                    );
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
        let _ = writeln!(
            out,
            "{}. Actual for {}: {actual_line}",
            next(),
            e.data_period
        );
        match (e.bounds, e.actual_value()) {
            (Some(bounds), Some(actual)) => {
                let _ = writeln!(
                    out,
                    "{}. Comparison: {}",
                    next(),
                    comparison(&m.unit, actual, &bounds, e.computed.rag)
                );
            }
            _ => {
                let reason = e
                    .computed
                    .reason
                    .as_ref()
                    .map(|r| r.describe())
                    .unwrap_or_default();
                let _ = writeln!(
                    out,
                    "{}. Not rated: {}.",
                    next(),
                    reason.trim_end_matches('.')
                );
            }
        }
    }
    // The assessment.
    match e.assessed {
        Some((p, status)) => {
            let _ = writeln!(
                out,
                "{}. Assessed status for {p}: {}{}.",
                next(),
                words::rating(status.rag),
                status
                    .why
                    .as_ref()
                    .map(|w| format!(" — \"{w}\""))
                    .unwrap_or_default()
            );
            let _ = writeln!(
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
            );
        }
        None => {
            let _ = writeln!(
                out,
                "{}. No assessed status for {}: the computed rating stands.",
                next(),
                e.period
            );
        }
    }
    let _ = writeln!(out);
    let _ = writeln!(out, "Rating: {}", words::rating(e.rating.rag));
    if let Some(reason) = &e.rating.reason {
        let _ = writeln!(out, "Reason: {}", reason.describe());
    }
    let _ = writeln!(out);
    let _ = writeln!(out, "Direction of travel:");
    let (short_name, long_name) = match m.cadence {
        Cadence::Quarterly => (
            "short term (previous quarter)",
            "long term (same quarter last year)",
        ),
        Cadence::Annual => ("short term (previous year)", "long term (previous year)"),
    };
    let _ = writeln!(out, "  {short_name}: {}", travel(m, e, &e.short));
    let _ = writeln!(out, "  {long_name}: {}", travel(m, e, &e.long));
    out
}

fn comparison(unit: &Unit, actual: &Value, bounds: &Bounds, rag: Rag) -> String {
    let a = display_value_to(unit, actual, 4);
    let u = |d: Decimal| display_threshold(unit, d);
    let verdict = words::rating(rag);
    match *bounds {
        Bounds::Higher { green, red } => match rag {
            Rag::Green => format!("{a} ≥ {} (green threshold) → {verdict}", u(green)),
            Rag::Amber => format!(
                "{a} < {} but ≥ {} (amber threshold) → {verdict}",
                u(green),
                u(red)
            ),
            _ if green == red => format!(
                "{a} < {} (green threshold; no amber band) → {verdict}",
                u(red)
            ),
            _ => format!("{a} < {} (amber threshold) → {verdict}", u(red)),
        },
        Bounds::Lower { green, red } => match rag {
            Rag::Green => format!("{a} ≤ {} (green threshold) → {verdict}", u(green)),
            Rag::Amber => format!(
                "{a} > {} but ≤ {} (amber threshold) → {verdict}",
                u(green),
                u(red)
            ),
            _ if green == red => format!(
                "{a} > {} (green threshold; no amber band) → {verdict}",
                u(red)
            ),
            _ => format!("{a} > {} (amber threshold) → {verdict}", u(red)),
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

fn action(model: &Model, interpreter: &Interpreter, index: usize, period: Period) -> String {
    let e = interpreter.action(index, period);
    let a = e.action;
    let mut out = String::new();
    let _ = writeln!(out, "{} — {} (key action)", a.id, a.title);
    let path = model.group_path(a.group);
    if !path.is_empty() {
        let _ = writeln!(out, "Group: {}", path.join(" › "));
    }
    let _ = writeln!(
        out,
        "Reported period: {} ({})",
        period,
        period.months(model.header.year_start)
    );
    let _ = writeln!(out);
    let _ = writeln!(out, "Milestones due by {period} decide the rating:");
    let now = period.quarter_index();
    for m in &a.milestones {
        let due = m.period.quarter_index() <= now;
        let state = match (due, m.done, &m.concern) {
            (false, _, _) => "not yet due".to_string(),
            (true, false, _) => "OVERDUE (due and not done)".to_string(),
            (true, true, Some(c)) => format!("done, with a concern: \"{c}\""),
            (true, true, None) => "done".to_string(),
        };
        let _ = writeln!(out, "  {} \"{}\": {state}", m.period, m.title);
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
    let _ = writeln!(out, "Rule: {rule}");
    if let Some((p, status)) = e.assessed {
        let _ = writeln!(
            out,
            "Assessed status for {p}: {} — the report publishes it.",
            words::rating(status.rag)
        );
    }
    let _ = writeln!(out);
    let _ = writeln!(out, "Rating: {}", words::rating(e.rating.rag));
    out
}

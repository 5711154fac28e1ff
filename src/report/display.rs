//! Values, thresholds and lags in words and figures, as the reports show them.

use rust_decimal::Decimal;

use crate::eval::rating::Bounds;
use crate::model::*;

/// The unit as shown after a value: `%`, ` days`, ` kg per head`, `£m`.
pub fn unit_label(unit: &Unit) -> String {
    match unit {
        Unit::Percent => "percent".into(),
        Unit::PercentChange => "percent-change".into(),
        Unit::Count => "count".into(),
        Unit::Number => "number".into(),
        Unit::Days => "days".into(),
        Unit::Money(label) => format!("money {}", label.as_deref().unwrap_or("£")),
        Unit::Other(text) => text.clone(),
    }
}

/// A value for people: `83%`, `75.8% (50/66)`, `£1.2m`, `0.8 days`.
pub fn display_value(unit: &Unit, value: &Value) -> String {
    display_value_to(unit, value, 1)
}

/// A value with a fraction that has no exact decimal shown to `places`
/// decimal places (for comparisons that hinge on more than one).
pub fn display_value_to(unit: &Unit, value: &Value, places: u32) -> String {
    let number = match value.decimal() {
        Some(d) if value.fraction().is_none() => d.to_string(),
        Some(d) => d.normalize().to_string(),
        None => value.ratio().to_decimal_rounded(places).to_string(),
    };
    let shown = display_number(unit, &number);
    match &value.fraction() {
        Some((n, d)) => format!("{shown} ({n}/{d})"),
        None => shown,
    }
}

fn display_decimal(unit: &Unit, d: Decimal) -> String {
    display_number(unit, &d.to_string())
}

pub(crate) fn display_number(unit: &Unit, number: &str) -> String {
    let grouped = super::numbers::group_thousands(number);
    let number = grouped.as_str();
    match unit {
        Unit::Percent | Unit::PercentChange => format!("{number}%"),
        Unit::Count | Unit::Number => number.to_string(),
        Unit::Days if number == "1" => "1 day".to_string(),
        Unit::Days => format!("{number} days"),
        Unit::Money(label) => {
            let label = label.as_deref().unwrap_or("£");
            // `£m` reads as £1.2m: the symbol before, the rest after.
            let mut chars = label.chars();
            match chars.next() {
                Some(symbol) if !symbol.is_alphanumeric() => {
                    let (sign, digits) =
                        number.strip_prefix('-').map_or(("", number), |d| ("-", d));
                    format!("{sign}{symbol}{digits}{}", chars.as_str())
                }
                _ => format!("{number} {label}"),
            }
        }
        Unit::Other(text) => format!("{number} {text}"),
    }
}

/// "reported one quarter behind"
pub fn lag_words(lag: u32) -> String {
    lag_words_in(lag, "quarter")
}

/// "reported two months behind": a measure's lag in its own unit.
pub fn measure_lag_words(m: &MeasureDef) -> String {
    match m.lag_unit {
        Some(LagUnit::Months) => lag_words_in(m.lag, "month"),
        _ => lag_words(m.lag),
    }
}

fn lag_words_in(lag: u32, unit: &str) -> String {
    const WORDS: [&str; 5] = ["no", "one", "two", "three", "four"];
    match lag {
        1 => format!("reported one {unit} behind"),
        n if (n as usize) < WORDS.len() => {
            format!("reported {} {unit}s behind", WORDS[n as usize])
        }
        n => format!("reported {n} {unit}s behind"),
    }
}

/// `green ≥ 95%, amber ≥ 85.5%` (or `green ≥ 95%` with no amber band).
pub fn thresholds_words(unit: &Unit, bounds: &Bounds) -> String {
    let u = |d: Decimal| display_threshold(unit, d);
    match *bounds {
        Bounds::Higher { green, red } if green == red => format!("green ≥ {}", u(green)),
        Bounds::Higher { green, red } => format!("green ≥ {}, amber ≥ {}", u(green), u(red)),
        Bounds::Lower { green, red } if green == red => format!("green ≤ {}", u(green)),
        Bounds::Lower { green, red } => format!("green ≤ {}, amber ≤ {}", u(green), u(red)),
        Bounds::Target {
            green_low,
            green_high,
            red_low,
            red_high,
        } if green_low == red_low && green_high == red_high => {
            format!("green {} to {}", u(green_low), u(green_high))
        }
        Bounds::Target {
            green_low,
            green_high,
            red_low,
            red_high,
        } => {
            format!(
                "green {} to {}, amber {} to {}",
                u(green_low),
                u(green_high),
                u(red_low),
                u(red_high)
            )
        }
    }
}

/// A decimal without trailing zeros (`85.50` → `85.5`).
pub fn normal(d: Decimal) -> String {
    d.normalize().to_string()
}

/// Shows a threshold in the measure's unit.
pub fn display_threshold(unit: &Unit, d: Decimal) -> String {
    display_decimal(unit, d.normalize())
}

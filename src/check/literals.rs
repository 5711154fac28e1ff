//! Literals in the measure's unit: the unit itself, bands, values, and
//! the range of a percentage.

use crate::diagnostic::{Code, Diagnostic};
use crate::exact::Ratio;
use crate::model::*;
use crate::syntax::ast::{self, Amount, Suffix};
use rust_decimal::Decimal;

use super::walk::Settings;
use super::Checker;

/// "`count`", "`money \"£m\"`", "not set (taken as a number)".
fn unit_words(unit: &Unit) -> String {
    match unit {
        Unit::Percent => "`percent`".into(),
        Unit::Count => "`count`".into(),
        Unit::Number => "`number` (or not set)".into(),
        Unit::Days => "`days`".into(),
        Unit::Money(Some(label)) => format!("`money \"{label}\"`"),
        Unit::Money(None) => "`money`".into(),
        Unit::Other(text) => format!("\"{text}\""),
    }
}

/// "a tolerance", "an amber band".
fn band_name(keyword: &str) -> &'static str {
    if keyword == "amber" {
        "an amber band"
    } else {
        "a tolerance"
    }
}

impl Checker<'_> {
    /// The measure's unit; without one, percent if its values carry `%`.
    pub(super) fn unit(&mut self, m: &ast::Measure, settings: &Settings) -> Unit {
        if let Some((unit, _)) = &settings.unit {
            return unit.clone();
        }
        let percent_value = m.fields.iter().find_map(|f| match f {
            ast::MeasureField::Target(t) => match &t.spec {
                ast::TargetSpec::Value(ast::TargetValue::Value(l))
                    if l.suffix == Suffix::Percent =>
                {
                    Some(l.span)
                }
                _ => None,
            },
            ast::MeasureField::Actual(a) => a.rows.iter().find_map(|r| match &r.reading {
                ast::Reading::Value { value, .. } if value.suffix == Suffix::Percent => {
                    Some(value.span)
                }
                _ => None,
            }),
            _ => None,
        });
        let composite = m
            .fields
            .iter()
            .any(|f| matches!(f, ast::MeasureField::Composite(_)));
        match percent_value {
            // A composite's own figures are an error of their own.
            Some(_) if composite => Unit::Percent,
            Some(span) => {
                self.error(
                    Diagnostic::new(Code::UnitInferred, m.id.span, format!("`{}` has no unit; its values carry `%`, so it is taken as a percentage", m.id.name))
                        .label("no `unit` here or in `defaults`")
                        .related(span, "a percentage value")
                        .help("add `unit percent` to the measure (or to a `defaults` block)"),
                );
                Unit::Percent
            }
            None => Unit::Number,
        }
    }

    pub(super) fn band(&mut self, band: Option<&ast::Band>, unit: &Unit, name: &str) -> BandDef {
        let Some(band) = band else {
            return BandDef::zero();
        };
        let literal = &band.literal;
        let Amount::Decimal(amount) = literal.amount else {
            self.error(
                Diagnostic::new(Code::BadBand, literal.span, format!("{} cannot be a fraction", band_name(name)))
                    .label("a fraction")
                    .help(format!("write the {name} as `5%` (relative), `5pp` (percentage points) or `5` (in the measure's unit)")),
            );
            return BandDef::zero();
        };
        if amount.is_sign_negative() && !amount.is_zero() {
            self.error(
                Diagnostic::new(Code::BadBand, literal.span, format!("{} cannot be negative", band_name(name)))
                    .label("negative")
                    .help(format!("a {name} is a width; the polarity says which way it goes. Write it without the sign")),
            );
            return BandDef::zero();
        }
        let kind = match literal.suffix {
            Suffix::Percent => BandKind::Relative,
            Suffix::Points => {
                if *unit != Unit::Percent {
                    self.error(
                        Diagnostic::new(Code::UnitMismatch, literal.span, format!("a {name} in percentage points (`pp`) on a measure that is not a percentage"))
                            .label("`pp` needs `unit percent`")
                            .help(format!("write the {name} in the measure's unit (`{}`) or as a relative band (`{}%`)", amount, amount)),
                    );
                    return BandDef::zero();
                }
                BandKind::Points
            }
            Suffix::None => BandKind::Absolute,
        };
        BandDef {
            amount,
            kind,
            text: literal.text.clone(),
            span: Some(literal.span),
        }
    }

    /// A value in the measure's unit (its text moved out of `literal`), or
    /// `None` (with an error) if it has none.
    pub(super) fn value(&mut self, unit: &Unit, literal: &mut ast::Literal) -> Option<Value> {
        let percent = *unit == Unit::Percent;
        match literal.suffix {
            Suffix::Percent if !percent => {
                let mut d = Diagnostic::new(
                    Code::UnitMismatch,
                    literal.span,
                    format!(
                        "a `%` value on a measure whose unit is {}",
                        unit_words(unit)
                    ),
                )
                .label("`%` needs `unit percent`")
                .help("set `unit percent` on the measure, or write the value without `%`");
                if let Some(span) = self.unit_span {
                    d = d.related(span, "the unit is set here");
                }
                self.error(d);
                return None;
            }
            Suffix::Points => {
                self.error(
                    Diagnostic::new(
                        Code::UnitMismatch,
                        literal.span,
                        "`pp` (percentage points) is for tolerance and amber bands, not for values",
                    )
                    .label("a value in `pp`")
                    .help("write the value as `83%` or `83`"),
                );
                return None;
            }
            _ => {}
        }
        match literal.amount {
            Amount::Decimal(d) => Some(Value::decimal_value(
                d,
                std::mem::take(&mut literal.text),
                literal.span,
            )),
            Amount::Fraction {
                numerator,
                denominator,
            } => {
                if literal.suffix != Suffix::None {
                    self.error(
                        Diagnostic::new(Code::BadNumber, literal.span, "a fraction takes no `%`")
                            .label("fraction with a suffix")
                            .help("on a percent measure `50/66` already means 75.8%; write it without `%`"),
                    );
                    return None;
                }
                let Some(value) = Value::fraction_value(
                    numerator,
                    denominator,
                    percent,
                    std::mem::take(&mut literal.text),
                    literal.span,
                ) else {
                    self.error(
                        Diagnostic::new(
                            Code::BadNumber,
                            literal.span,
                            "this fraction cannot be held exactly",
                        )
                        .label("too large")
                        .help("write smaller numbers, or the value as a decimal"),
                    );
                    return None;
                };
                Some(value)
            }
        }
    }

    pub(super) fn percent_range(&mut self, unit: &Unit, value: &Value, what: &str) {
        if *unit != Unit::Percent {
            return;
        }
        let outside = match value.fraction() {
            // A decimal (nearly every value) is compared as one.
            None => value
                .decimal()
                .is_some_and(|d| d < Decimal::ZERO || d > Decimal::ONE_HUNDRED),
            Some(_) => {
                let ratio = value.ratio();
                ratio < Ratio::from_decimal(Decimal::ZERO)
                    || ratio > Ratio::from_decimal(Decimal::ONE_HUNDRED)
            }
        };
        if outside {
            self.error(
                Diagnostic::new(Code::PercentOutOfRange, value.span, format!("a percentage {what} outside 0–100"))
                    .label(format!("{} per cent", value.exact_string()))
                    .help("check the figure; if the measure is not a share of a whole (e.g. a ratio to a baseline), use `unit number`"),
            );
        }
    }
}

//! Dated entries of a measure: targets (graduated ones too), actuals,
//! assessed statuses, and the same period given twice.

use crate::diagnostic::{Code, Diagnostic};
use crate::exact::Ratio;
use crate::model::*;
use crate::period::Period;
use crate::period_map::PeriodMap;
use crate::syntax::ast;
use crate::syntax::span::Span;

use super::Checker;

impl Checker<'_> {
    pub(super) fn target(&mut self, def: &mut MeasureDef, t: &mut ast::Target) {
        let period = t.period.period;
        match &mut t.spec {
            ast::TargetSpec::Value(v) => {
                let source = if period.is_year() {
                    TargetSource::Annual
                } else {
                    TargetSource::Quarter
                };
                self.add_target(def, period, v, source, t.span);
            }
            ast::TargetSpec::Graduated(steps) => {
                if !period.is_year() {
                    self.error(
                        Diagnostic::new(
                            Code::BadTarget,
                            t.period.span,
                            "a graduated target is written for a year, not a quarter",
                        )
                        .label("a quarter")
                        .help(format!(
                            "write `target {} {{ Q1 … Q2 … }}`",
                            period.fiscal_year()
                        )),
                    );
                    return;
                }
                for step in steps.iter_mut() {
                    let quarter = Period::quarter(period.start, step.quarter);
                    self.add_target(
                        def,
                        quarter,
                        &mut step.value,
                        TargetSource::Graduated,
                        step.span,
                    );
                }
                self.check_graduated(def, period);
            }
        }
    }

    pub(super) fn add_target(
        &mut self,
        def: &mut MeasureDef,
        period: Period,
        value: &mut ast::TargetValue,
        source: TargetSource,
        span: Span,
    ) {
        if let Some(first) = def.targets.get(&period) {
            let first = first.span;
            self.error(
                Diagnostic::new(Code::DuplicateTarget, span, format!("a second target for {period}"))
                    .label("another target")
                    .related(first, "the first target for this period")
                    .help("keep one target per period; a quarter target and the year's target may both be given"),
            );
            return;
        }
        let value = match value {
            ast::TargetValue::Tbc(_) => TargetValue::Tbc,
            ast::TargetValue::Value(literal) => {
                let Some(value) = self.value(&def.unit, literal) else {
                    return;
                };
                if value.decimal().is_none() {
                    self.error(
                        Diagnostic::new(
                            Code::BadNumber,
                            literal.span,
                            "a target must have an exact decimal value",
                        )
                        .label("this fraction has no exact decimal")
                        .help("write the target as a decimal, e.g. `75.8%`"),
                    );
                    return;
                }
                self.percent_range(&def.unit, &value, "target");
                TargetValue::Value(value)
            }
        };
        def.targets.insert(
            period,
            TargetDef {
                value,
                source,
                span,
            },
        );
    }

    /// Warns when a graduated (year-to-date) target gets easier in the year.
    pub(super) fn check_graduated(&mut self, def: &MeasureDef, year: Period) {
        let better = |a: &Ratio, b: &Ratio| match def.polarity {
            Some(Polarity::Higher) => a > b,
            Some(Polarity::Lower) => a < b,
            _ => false,
        };
        let mut previous: Option<(&Value, Period)> = None;
        for q in 1..=4 {
            let period = Period::quarter(year.start, q);
            let Some(TargetDef {
                value: TargetValue::Value(v),
                source: TargetSource::Graduated,
                span,
            }) = def.targets.get(&period)
            else {
                continue;
            };
            if let Some((earlier, earlier_period)) = previous {
                if better(&earlier.ratio(), &v.ratio()) {
                    self.diagnostics.push(
                        Diagnostic::new(Code::GraduatedEasier, *span, format!("the target for {period} is easier than for {earlier_period}"))
                            .label("easier than the quarter before")
                            .related(earlier.span, "the earlier quarter's target")
                            .help("graduated targets are year to date and usually grow through the year; check the figures"),
                    );
                }
            }
            previous = Some((v, period));
        }
    }

    pub(super) fn actual(&mut self, def: &mut MeasureDef, row: &mut ast::ActualRow) {
        let period = row.period.period;
        if let Some(first) = def.actuals.get(&period) {
            let first = first.span;
            self.error(
                Diagnostic::new(Code::DuplicateActual, row.span, format!("a second actual for {period}"))
                    .label("another value for the same period")
                    .related(first, "the first value")
                    .help("each period has one actual; if the figure was restated, change the first value and say why in a `note`"),
            );
            return;
        }
        let reading = match &mut row.reading {
            ast::Reading::NotAvailable { reason, .. } => Reading::NotAvailable {
                reason: reason.as_ref().map(|r| r.value.clone()),
            },
            ast::Reading::Value { value, provisional } => {
                let Some(value) = self.value(&def.unit, value) else {
                    return;
                };
                self.percent_range(&def.unit, &value, "actual");
                Reading::Value {
                    value,
                    provisional: provisional.is_some(),
                }
            }
        };
        if def.cadence == Cadence::Annual && !period.is_year() {
            self.error(
                Diagnostic::new(Code::CadenceMismatch, row.period.span, format!("a quarterly actual on an annual measure ({period})"))
                    .label("a quarter")
                    .help(format!("an annual measure is rated on whole years: write `actual {} …`, or remove `cadence annual`", period.fiscal_year())),
            );
        }
        if def.cadence == Cadence::Quarterly && period.is_year() {
            self.error(
                Diagnostic::new(Code::CadenceMismatch, row.period.span, format!("a whole-year actual on a quarterly measure ({period})"))
                    .label("never used: quarterly measures are rated on quarters")
                    .help(format!("write the figure for a quarter (`actual {period} Q4 …`), or add `cadence annual` if the measure is reported once a year")),
            );
        }
        def.actuals.insert(
            period,
            ActualDef {
                reading,
                span: row.span,
            },
        );
    }

    pub(super) fn status(&mut self, statuses: &mut PeriodMap<StatusDef>, s: &ast::Status) {
        let period = s.period.period;
        if let Some(first) = statuses.get(&period) {
            let first = first.span;
            self.duplicate_dated("status", period, s.span, first);
            return;
        }
        statuses.insert(
            period,
            StatusDef {
                rag: s.rag,
                why: s.why.as_ref().map(|w| w.value.clone()),
                span: s.span,
            },
        );
    }

    pub(super) fn duplicate_dated(&mut self, what: &str, period: Period, span: Span, first: Span) {
        self.error(
            Diagnostic::new(
                Code::DuplicateField,
                span,
                format!("a second `{what}` for {period}"),
            )
            .label("given again here")
            .related(first, "first given here")
            .help(format!("keep one `{what}` per period")),
        );
    }
}

//! Dated entries of a measure: targets (graduated ones too), actuals,
//! assessed statuses, and the same period given twice.

use crate::diagnostic::{Code, Diagnostic};
use crate::exact::Ratio;
use crate::model::*;
use crate::period::{Part, Period};
use crate::period_map::PeriodMap;
use crate::syntax::ast;
use crate::syntax::span::Span;

use super::{measure_words, period_words, Checker};

impl Checker<'_> {
    pub(super) fn target(&mut self, def: &mut MeasureDef, t: &mut ast::Target) {
        let period = t.period.period;
        match &mut t.spec {
            ast::TargetSpec::Value(v) => {
                let source = match period.part {
                    Part::Quarter(_) => TargetSource::Quarter,
                    Part::Month(..) => TargetSource::Month,
                    _ => TargetSource::Annual,
                };
                self.add_target(def, period, v, source, t.span);
            }
            ast::TargetSpec::Graduated(steps) => {
                if !period.is_whole_year() {
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
                    let quarter = match step.step {
                        ast::Step::Quarter(q) => Period::quarter(period.start, q),
                        ast::Step::Month(m) => Period::month(period.start, m, self.year_start),
                    };
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

    /// Warns when a graduated (year-to-date) target gets easier in the year;
    /// for a `year-to-date` measure, when it falls.
    pub(super) fn check_graduated(&mut self, def: &MeasureDef, year: Period) {
        let better = |a: &Ratio, b: &Ratio| match def.polarity {
            Some(Polarity::Higher) => a > b,
            Some(Polarity::Lower) => a < b,
            _ => false,
        };
        let mut steps: Vec<(Period, &TargetDef)> = def
            .targets
            .iter()
            .filter(|(p, t)| {
                p.start == year.start && !p.is_whole_year() && t.source == TargetSource::Graduated
            })
            .map(|(p, t)| (*p, t))
            .collect();
        steps.sort_by_key(|(p, _)| (p.last_month(self.year_start), p.is_month()));
        let mut previous: Option<(&Value, Period)> = None;
        for (period, target) in steps {
            let TargetDef {
                value: TargetValue::Value(v),
                span,
                ..
            } = target
            else {
                continue;
            };
            if let Some((earlier, earlier_period)) = previous {
                if def.year_to_date {
                    if v.ratio() < earlier.ratio() {
                        self.diagnostics.push(
                            Diagnostic::new(Code::YtdTargetFalls, *span, format!("the year-to-date target for {period} is lower than for {earlier_period}"))
                                .label("lower than the running total before")
                                .related(earlier.span, "the earlier target")
                                .help("a year-to-date target is a running total since the start of the year and cannot fall; check the figures"),
                        );
                    }
                } else if better(&earlier.ratio(), &v.ratio()) {
                    self.diagnostics.push(
                        Diagnostic::new(Code::GraduatedEasier, *span, format!("the target for {period} is easier than for {earlier_period}"))
                            .label(if period.is_month() { "easier than the month before" } else { "easier than the quarter before" })
                            .related(earlier.span, if earlier_period.is_month() { "the earlier month's target" } else { "the earlier quarter's target" })
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
        if matches!(row.reading, ast::Reading::Value { .. }) {
            self.future(period, row.period.span, "an actual");
        }
        let reading = match &mut row.reading {
            ast::Reading::NotAvailable { reason, .. } => Reading::NotAvailable {
                reason: reason.as_ref().map(|r| r.value.clone()),
            },
            ast::Reading::Value { value, provisional } => {
                let Some(value) = self.value(&def.unit, value) else {
                    self.rejected_actuals.insert((def.id.clone(), period));
                    return;
                };
                self.percent_range(&def.unit, &value, "actual");
                Reading::Value {
                    value,
                    provisional: provisional.is_some(),
                }
            }
        };
        if def.cadence == Cadence::Annual && period.is_quarter() && def.year == YearKind::Financial
        {
            self.error(
                Diagnostic::new(Code::CadenceMismatch, row.period.span, format!("a quarterly actual on an annual measure ({period})"))
                    .label("a quarter")
                    .help(format!("an annual measure is rated on whole years: write `actual {} …`, or remove `cadence annual`", period.fiscal_year())),
            );
        } else if def.cadence == Cadence::Quarterly && period.is_year() {
            self.error(
                Diagnostic::new(Code::CadenceMismatch, row.period.span, format!("a whole-year actual on a quarterly measure ({period})"))
                    .label("never used: quarterly measures are rated on quarters")
                    .help(format!("write the figure for a quarter (`actual {period} Q4 …`), or add `cadence annual` if the measure is reported once a year")),
            );
        } else if !def.own_cadence(&period) {
            self.cadence_mismatch(def, period, row.period.span, "actual");
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
        self.future(period, s.period.span, "an assessed status");
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

    /// A value or target for a period of another cadence (version 1 forms;
    /// the version 0 cases keep their own messages).
    pub(super) fn cadence_mismatch(
        &mut self,
        def: &MeasureDef,
        period: Period,
        span: Span,
        what: &str,
    ) {
        let help = match (def.cadence, def.year) {
            (Cadence::Monthly, _) => format!("a monthly measure is rated on months: write `{what} 2017/18 Apr …`, or change its `cadence`"),
            (Cadence::Quarterly, _) if period.is_month() => format!("a quarterly measure is rated on quarters: write `{what} {} …`, or add `cadence monthly`", period.containing_quarter().unwrap_or(period)),
            (Cadence::Quarterly, _) => "a quarterly measure is rated on quarters: write the figure for a quarter, or add `cadence annual` and the kind of year".to_string(),
            (Cadence::Annual, YearKind::Calendar) => format!("a calendar-year measure is rated on calendar years written with four digits (`{what} 2017 …`)"),
            (Cadence::Annual, YearKind::Academic) => format!("an academic-year measure is rated on academic years written `2016/17` (`{what} 2016/17 …`)"),
            (Cadence::Annual, YearKind::Financial) if period.part == Part::Calendar => format!("add `year calendar` if the measure's figures are for calendar years, or write the fiscal year (`{what} {}/{:02} …`)", period.start, (period.start + 1).rem_euclid(100)),
            (Cadence::Annual, YearKind::Financial) => format!("an annual measure is rated on whole years: write `{what} {} …`, or change its `cadence`", period.fiscal_year()),
        };
        self.error(
            Diagnostic::new(
                Code::CadenceMismatch,
                span,
                format!(
                    "a {} {what} on {} ({period})",
                    period_words(&period),
                    measure_words(def)
                ),
            )
            .label(match period.part {
                Part::Month(..) => "a month",
                Part::Quarter(_) => "a quarter",
                Part::Year => "a financial year",
                Part::Calendar => "a calendar year",
                Part::Academic => "an academic year",
            })
            .help(help),
        );
    }
}

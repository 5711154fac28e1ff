//! Checks of the finished model: the bands around each target, and the
//! checks that need ratings (assessed statuses against the computed
//! rating, a reported period with no actual). The only part of checking
//! that runs the interpreter; it runs after the model is built.

use crate::diagnostic::{Code, Diagnostic};
use crate::eval::{interpreter, rating};
use crate::model::*;

/// Band arithmetic for every numeric target: exact, and sensible.
pub(super) fn thresholds(measures: &[MeasureDef], out: &mut Vec<Diagnostic>) {
    for def in measures {
        // Band arithmetic for every numeric target: exact, and sensible.
        for (period, target) in &def.targets {
            let TargetValue::Value(value) = &target.value else {
                continue;
            };
            let (Some(polarity), Some(t)) = (def.polarity, value.decimal()) else {
                continue;
            };
            if !matches!(
                polarity,
                Polarity::Higher | Polarity::Lower | Polarity::Target
            ) {
                continue;
            }
            let relative = |b: &BandDef| b.kind == BandKind::Relative && !b.amount.is_zero();
            if t.is_zero() && (relative(&def.tolerance) || relative(&def.amber)) {
                let band = if relative(&def.tolerance) {
                    &def.tolerance
                } else {
                    &def.amber
                };
                let mut d = Diagnostic::new(Code::RelativeBandOnZero, target.span, format!("a relative band on a target of zero ({period})"))
                    .label("target 0")
                    .help(format!("`{}` of 0 is 0, so the band has no width; write it in the measure's unit (e.g. `{}`) instead", band.text, band.amount));
                if let Some(span) = band.span {
                    d = d.related(span, "the relative band");
                }
                out.push(d);
            }
            match rating::thresholds(polarity, t, &def.tolerance, &def.amber) {
                Err(_) => out.push(
                    Diagnostic::new(
                        Code::Overflow,
                        target.span,
                        format!(
                            "the bands around this target cannot be computed exactly ({period})"
                        ),
                    )
                    .label("too many digits")
                    .help("use fewer digits in the target, tolerance or amber band"),
                ),
                Ok(bounds) => {
                    if rating::crosses_zero(t, &bounds) {
                        let mut d = Diagnostic::new(Code::ThresholdPastZero, target.span, format!(
                            "the tolerance puts the green threshold past zero ({period}: green from {})",
                            bounds.green_edge()
                        ))
                        .label("every non-negative value would be green")
                        .help("check the tolerance: a band wider than the target is rarely meant");
                        if let Some(span) = def.tolerance.span {
                            d = d.related(span, "the tolerance");
                        }
                        out.push(d);
                    }
                }
            }
        }
    }
}

/// Checks that need ratings: assessed statuses that disagree with the
/// computed rating, and a reported period with no actual.
pub(super) fn against_ratings(model: &Model, out: &mut Vec<Diagnostic>) {
    let mut warnings = Vec::new();
    for (index, measure) in model.measures.iter().enumerate() {
        for (period, status) in &measure.statuses {
            // The reports that publish this status: the one for its own
            // period, and the one whose (lagged) data period it is.
            let mut reports = vec![*period];
            if measure.lag > 0 && !period.is_year() {
                reports.extend(period.back(-i64::from(measure.lag)));
            }
            let disagreement = reports.iter().find_map(|report_period| {
                let evaluation = interpreter::evaluate_measure(model, index, *report_period);
                let publishes_this = evaluation.assessed.is_some_and(|(p, _)| p == *period);
                let computed = evaluation.computed.rag;
                (publishes_this && computed != Rag::None && computed != status.rag)
                    .then_some((computed, evaluation.data_period))
            });
            if let Some((computed, data_period)) = disagreement {
                warnings.push(
                        Diagnostic::new(Code::StatusDisagrees, status.span, {
                            let figures = if data_period == *period { String::new() } else { format!(" for {data_period}") };
                            if status.rag == Rag::None {
                                format!("{period} is assessed as not rated, but the figures{figures} give {}", computed.as_str())
                            } else {
                                format!(
                                    "the assessed rating for {period} is {} but the figures{figures} give {}",
                                    status.rag.as_str(),
                                    computed.as_str()
                                )
                            }}).label(format!("assessed {}", status.rag.as_str()))
                        .help(if status.why.is_some() {
                            "the report publishes the assessment, with its reason, and shows the computed rating beside it"
                        } else {
                            "the report publishes the assessment and shows the computed rating beside it; say why in the status: `status P amber \"why\"`"
                        }),);
            }
        }
    }
    for (index, action) in model.actions.iter().enumerate() {
        for (period, status) in &action.statuses {
            let computed = interpreter::Interpreter::new(model)
                .action(index, *period)
                .computed
                .rag;
            if computed != Rag::None && computed != status.rag {
                warnings.push(
                        Diagnostic::new(Code::StatusDisagrees, status.span, format!(
                            "the assessed rating for {period} is {} but the milestones give {}",
                            status.rag.as_str(),
                            computed.as_str()
                        ))
                        .label(format!("assessed {}", status.rag.as_str()))
                        .help("the report publishes the assessment and shows the milestones' rating beside it"),
                    );
            }
        }
    }
    if let Some(period) = model.header.period {
        for (index, measure) in model.measures.iter().enumerate() {
            if measure.composite.is_some() {
                continue;
            }
            let evaluation = interpreter::evaluate_measure(model, index, period);
            let expects_actual = matches!(
                measure.polarity,
                Some(Polarity::Higher | Polarity::Lower | Polarity::Target)
            ) && evaluation
                .target
                .as_ref()
                .is_some_and(|(_, t)| matches!(t.value, TargetValue::Value(_)));
            if expects_actual && !measure.actuals.contains_key(&evaluation.data_period) {
                let behind = if evaluation.data_period != period {
                    format!(" (the data period for {period})")
                } else {
                    String::new()
                };
                warnings.push(
                    Diagnostic::new(
                        Code::MissingActual,
                        measure.span,
                        format!(
                            "`{}` has no actual for {}{behind}",
                            measure.id, evaluation.data_period
                        ),
                    )
                    .label("no value for the reported period")
                    .help(format!(
                        "add `actual {} …`, or `actual {} n/a \"why\"` if there is no figure",
                        evaluation.data_period, evaluation.data_period
                    )),
                );
            }
        }
    }
    out.extend(warnings);
}

//! What a sheet's entries mean for a scorecard: each figure matched to its
//! measure and period, read in the measure's unit, and compared with what
//! the files already hold. Every problem is collected with its cell, so
//! that one run reports them all.

use std::collections::HashMap;

use rust_decimal::Decimal;

use super::grid::{Cell, Grid, Problem, Source};
use super::layout::Entry;
use super::values::{self, Figure};
use crate::exact::{self, Ratio};
use crate::model::{Cadence, MeasureDef, Model, Reading, Unit};
use crate::period::Period;

/// A figure to write.
#[derive(Clone, Debug, PartialEq)]
pub enum NewReading {
    /// The literal as it goes into the file (`83.4%`, `1234`).
    Value {
        text: String,
        provisional: bool,
    },
    NotAvailable {
        reason: Option<String>,
    },
}

/// One change to a measure.
#[derive(Clone, Debug)]
pub enum Change {
    /// A new `actual` row.
    Add {
        measure: usize,
        period: Period,
        reading: NewReading,
    },
    /// An existing row given a new value (`--restate`).
    Restate {
        measure: usize,
        period: Period,
        reading: NewReading,
    },
    /// A new `note P "text"`.
    Note {
        measure: usize,
        period: Period,
        text: String,
    },
}

/// What an import would do.
#[derive(Debug, Default)]
pub struct Plan {
    pub changes: Vec<Change>,
    /// Figures and notes the files already hold, exactly.
    pub unchanged: usize,
    pub problems: Vec<Problem>,
}

/// Matches every entry with the model. `restate` allows changing figures
/// the files already hold.
pub fn plan(grid: &Grid, entries: &[Entry], model: &Model, restate: bool) -> Plan {
    let mut out = Plan::default();
    let index: HashMap<&str, usize> = model
        .measures
        .iter()
        .enumerate()
        .map(|(i, m)| (m.id.as_str(), i))
        .collect();
    // (measure, period) → the value cell first seen for it.
    let mut seen: HashMap<(usize, Period), String> = HashMap::new();
    for entry in entries {
        let id_at = grid.reference(entry.row, entry.id);
        let value_at = entry.value.map(|c| grid.reference(entry.row, c));
        let at = value_at.clone().unwrap_or_else(|| id_at.clone());
        let Some(measure) = measure_of(
            grid.cell(entry.row, entry.id),
            &id_at,
            model,
            &index,
            &mut out.problems,
        ) else {
            continue;
        };
        let m = &model.measures[measure];
        let period_at = entry
            .period_cell
            .map(|(r, c)| grid.reference(r, c))
            .unwrap_or_else(|| "--period".to_string());
        let period = match period_of(&entry.period, m, model.header.year_start) {
            Ok(p) => p,
            Err(message) => {
                out.problems.push(Problem::at(period_at, message));
                continue;
            }
        };
        if let Some(first) = seen.get(&(measure, period)) {
            out.problems.push(
                Problem::at(
                    at.clone(),
                    format!(
                        "a second figure for `{}` in {period}: {first} has one already",
                        m.id
                    ),
                )
                .help("keep one row per measure and period"),
            );
            continue;
        }
        seen.insert((measure, period), at.clone());
        let figure = match entry.value.map(|c| values::figure(grid.cell(entry.row, c))) {
            None => Ok(Figure::Blank),
            Some(result) => result,
        };
        let figure = match figure {
            Ok(f) => f,
            Err(message) => {
                out.problems.push(Problem::at(at, message));
                continue;
            }
        };
        let note = entry
            .note
            .map(|c| grid.cell(entry.row, c))
            .filter(|c| !c.is_empty())
            .map(|c| c.shown().trim().to_string());
        let provisional = match entry
            .provisional
            .map(|c| values::provisional(grid.cell(entry.row, c)))
        {
            Some(Err(message)) => {
                let column = entry.provisional.unwrap_or(0);
                out.problems
                    .push(Problem::at(grid.reference(entry.row, column), message));
                continue;
            }
            Some(Ok(p)) => p,
            None => false,
        };
        let reading = match figure {
            Figure::Blank => None,
            Figure::NotAvailable => Some(NewReading::NotAvailable {
                reason: note.clone(),
            }),
            _ => match literal(&figure, m, grid.source) {
                Ok(text) => Some(NewReading::Value { text, provisional }),
                Err(message) => {
                    out.problems.push(Problem::at(at, message));
                    continue;
                }
            },
        };
        if let Some(reading) = reading {
            compare(measure, m, period, reading, restate, &at, &mut out);
        }
        // A note on a figure's row is commentary (an `n/a` row's note is
        // its reason, written with it).
        if let Some(text) = note {
            let na = matches!(figure, Figure::NotAvailable);
            if !na {
                if m.notes
                    .iter()
                    .any(|n| n.period == period && n.value == text)
                {
                    out.unchanged += 1;
                } else {
                    out.changes.push(Change::Note {
                        measure,
                        period,
                        text,
                    });
                }
            }
        }
    }
    out.problems.sort_by_key(place_order);
    out
}

/// Problems in sheet order: by row, then column.
fn place_order(p: &Problem) -> (usize, usize, String) {
    let place = p.place.as_deref().unwrap_or("");
    let cell = place.rsplit('!').next().unwrap_or("");
    let split = cell
        .find(|c: char| c.is_ascii_digit())
        .unwrap_or(cell.len());
    let (letters, digits) = cell.split_at(split);
    let column = letters.chars().fold(0usize, |n, c| {
        n * 26 + (c as usize).saturating_sub('A' as usize) + 1
    });
    (digits.parse().unwrap_or(0), column, p.message.clone())
}

fn compare(
    measure: usize,
    m: &MeasureDef,
    period: Period,
    reading: NewReading,
    restate: bool,
    at: &str,
    out: &mut Plan,
) {
    let Some(existing) = m.actuals.get(&period) else {
        out.changes.push(Change::Add {
            measure,
            period,
            reading,
        });
        return;
    };
    let same = match (&existing.reading, &reading) {
        (Reading::NotAvailable { .. }, NewReading::NotAvailable { .. }) => true,
        (
            Reading::Value { value, provisional },
            NewReading::Value {
                text,
                provisional: p,
            },
        ) => {
            let new = text.trim_end_matches('%').parse::<Decimal>().ok();
            new.is_some_and(|d| value.ratio() == Ratio::from_decimal(d)) && provisional == p
        }
        _ => false,
    };
    if same {
        out.unchanged += 1;
    } else if restate {
        out.changes.push(Change::Restate {
            measure,
            period,
            reading,
        });
    } else {
        let old = match &existing.reading {
            Reading::Value { value, provisional } => {
                format!(
                    "{}{}",
                    value.text,
                    if *provisional { " provisional" } else { "" }
                )
            }
            Reading::NotAvailable { .. } => "n/a".into(),
        };
        let new = match &reading {
            NewReading::Value { text, provisional } => {
                format!("{text}{}", if *provisional { " provisional" } else { "" })
            }
            NewReading::NotAvailable { .. } => "n/a".into(),
        };
        out.problems.push(
            Problem::at(
                at,
                format!("`{}` already has {old} for {period}; the sheet says {new}", m.id),
            )
            .help("to replace the figure in the file, import again with --restate (the change is then listed as a restatement)"),
        );
    }
}

/// The measure an id cell names, or a problem.
fn measure_of(
    cell: &Cell,
    at: &str,
    model: &Model,
    index: &HashMap<&str, usize>,
    problems: &mut Vec<Problem>,
) -> Option<usize> {
    let text = match cell {
        Cell::Text(t) => t.trim().to_string(),
        Cell::Number { value, .. } => {
            let number = value.to_string();
            if let Some(&i) = index.get(number.as_str()) {
                return check_measure(i, at, model, problems);
            }
            let same_number: Vec<&str> = model
                .measures
                .iter()
                .map(|m| m.id.as_str())
                .filter(|id| id.parse::<Decimal>().is_ok_and(|d| d == *value))
                .collect();
            let mut problem = Problem::at(
                at,
                format!("the id is the number {number}, not text: the spreadsheet may have changed what was typed (`1.10` becomes 1.1)"),
            );
            problem = match same_number.as_slice() {
                [] => problem.help("format the id column as Text and type the ids again"),
                ids => problem.help(format!(
                    "did you mean {}? Format the id column as Text and type the id again",
                    ids.iter()
                        .map(|i| format!("`{i}`"))
                        .collect::<Vec<_>>()
                        .join(" or ")
                )),
            };
            problems.push(problem);
            return None;
        }
        Cell::Empty => {
            problems.push(Problem::at(at, "a figure with no measure id in its row"));
            return None;
        }
        other => other.shown(),
    };
    if let Some(&i) = index.get(text.as_str()) {
        return check_measure(i, at, model, problems);
    }
    let mut problem = Problem::at(at, format!("no measure has the id `{text}`"));
    if model.action(&text).is_some() {
        problem = Problem::at(
            at,
            format!("`{text}` is a key action: import reads measures' figures"),
        );
    } else if let Some(similar) = similar(&text, model) {
        problem = problem.help(format!(
            "did you mean `{similar}`? (ids are case-sensitive)"
        ));
    }
    problems.push(problem);
    None
}

fn check_measure(i: usize, at: &str, model: &Model, problems: &mut Vec<Problem>) -> Option<usize> {
    let m = &model.measures[i];
    if m.composite.is_some() {
        problems.push(Problem::at(
            at,
            format!("`{}` is a composite measure: it is rated from its components and has no figures of its own", m.id),
        ));
        return None;
    }
    Some(i)
}

fn similar(text: &str, model: &Model) -> Option<String> {
    let squash = |s: &str| s.to_lowercase().replace(['-', '_', '.', ' '], "");
    let wanted = squash(text);
    let mut best: Option<(f64, &str)> = None;
    for m in &model.measures {
        if squash(&m.id) == wanted {
            return Some(m.id.clone());
        }
        let score = strsim::jaro_winkler(&m.id.to_lowercase(), &text.to_lowercase());
        if score >= 0.85 && best.is_none_or(|(b, _)| score > b) {
            best = Some((score, &m.id));
        }
    }
    best.map(|(_, id)| id.to_string())
}

/// The period of an entry, in the measure's cadence.
fn period_of(
    spelt: &Result<String, String>,
    m: &MeasureDef,
    year_start: u8,
) -> Result<Period, String> {
    let text = match spelt {
        Ok(t) => t,
        Err(raw) if raw.trim().is_empty() => return Err(format!("no period for `{}`", m.id)),
        Err(raw) => {
            return Err(format!(
                "`{}` is not a period perfcard can read: write it like `2017/18 Q1`, `Q1 2017/18` or `Apr-Jun 2017` (docs/import.md lists every spelling)",
                raw.trim()
            ))
        }
    };
    // A month is named inside its fiscal year, which the header's
    // `year-start` places (as for the scorecard's own months).
    let period: Period = text
        .parse::<Period>()
        .map(|p| p.with_year_start(year_start))
        .map_err(|_| format!("`{text}` is not a period perfcard can read"))?;
    // An academic year is written like a fiscal year.
    let period = if m.year == crate::model::YearKind::Academic && period.is_year() {
        Period::academic(period.start)
    } else {
        period
    };
    // An annual measure's figures are for its own kind of year.
    let kind_fits = match (m.cadence, m.year) {
        (Cadence::Annual, crate::model::YearKind::Calendar) => {
            period.part == crate::period::Part::Calendar
        }
        (Cadence::Annual, crate::model::YearKind::Financial) => period.is_year(),
        _ => true,
    };
    if !kind_fits {
        return Err(format!(
            "`{}` is reported for {} years, and {period} is not one: give its figure for a year such as `{}`",
            m.id,
            match m.year {
                crate::model::YearKind::Calendar => "calendar",
                crate::model::YearKind::Academic => "academic",
                crate::model::YearKind::Financial => "financial",
            },
            match m.year {
                crate::model::YearKind::Calendar => "2017",
                _ => "2017/18",
            }
        ));
    }
    if !fits_cadence(m.cadence, period) {
        let kind = if period.is_month() {
            "a month"
        } else if period.is_quarter() {
            "a quarter"
        } else {
            "a whole year"
        };
        let (cadence, write) = match m.cadence {
            Cadence::Quarterly => ("quarterly", "a quarter such as `2017/18 Q1`"),
            Cadence::Annual => ("annual", "a year such as `2017/18`"),
            Cadence::Monthly => ("monthly", "a month such as `2017/18 Apr`"),
        };
        return Err(format!(
            "`{}` is {cadence}, and {period} is {kind}: give its figure for {write}",
            m.id
        ));
    }
    Ok(period)
}

/// Whether a measure of this cadence has a value for `period`.
pub fn fits_cadence(cadence: Cadence, period: Period) -> bool {
    match cadence {
        Cadence::Quarterly => period.is_quarter(),
        Cadence::Annual => period.is_whole_year(),
        Cadence::Monthly => period.is_month(),
    }
}

/// The literal to write for a figure, in the measure's unit.
fn literal(figure: &Figure, m: &MeasureDef, source: Source) -> Result<String, String> {
    let percent_unit = m.unit.is_percent();
    let money = matches!(m.unit, Unit::Money(_));
    let unit = crate::report::unit_label(&m.unit);
    let value = match *figure {
        Figure::Text {
            value,
            percent,
            currency,
        } => {
            if percent && !percent_unit {
                return Err(format!(
                    "`{}%` is a percentage, but `{}` is measured in {}",
                    value,
                    m.id,
                    unit_words(&m.unit, &unit)
                ));
            }
            if currency && !money {
                return Err(format!(
                    "a currency amount, but `{}` is measured in {}",
                    m.id,
                    unit_words(&m.unit, &unit)
                ));
            }
            value
        }
        Figure::Cell { value, percent } => {
            if percent {
                if !percent_unit {
                    return Err(format!(
                        "the cell is formatted as a percentage, but `{}` is measured in {}",
                        m.id,
                        unit_words(&m.unit, &unit)
                    ));
                }
                // 0.834 formatted as a percentage is 83.4%.
                let mut v = exact::mul(value, Decimal::ONE_HUNDRED)
                    .ok_or("the percentage is too large for perfcard to hold exactly")?;
                v.normalize_assign();
                v
            } else {
                if percent_unit
                    && source == Source::OtherWorkbook
                    && !value.is_zero()
                    && value.abs() <= Decimal::ONE
                {
                    return Err(format!(
                        "{value} for a percentage: an .xls or .ods file does not say whether the cell is formatted as a percentage, so this could be {value}% or {}%: save the workbook as .xlsx, or type the figure as text (`{}%`)",
                        exact::mul(value, Decimal::ONE_HUNDRED).map(|v| v.normalize().to_string()).unwrap_or_default(),
                        exact::mul(value, Decimal::ONE_HUNDRED).map(|v| v.normalize().to_string()).unwrap_or_default()
                    ));
                }
                value
            }
        }
        Figure::Blank | Figure::NotAvailable => return Err("not a figure".into()),
    };
    Ok(if percent_unit {
        format!("{value}%")
    } else {
        value.to_string()
    })
}

fn unit_words(unit: &Unit, label: &str) -> String {
    match unit {
        Unit::Count => "counts (a number, not a percentage)".into(),
        Unit::Number => "plain numbers".into(),
        Unit::Days => "days".into(),
        Unit::Money(_) => format!("money ({label})"),
        _ => format!("`{label}`"),
    }
}

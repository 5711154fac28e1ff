//! Finding the table in a sheet: the header row, the id column and the
//! shape — the template's own (a *long* table: id, period, actual,
//! provisional, note), any long table (`id`, `period`, `value`, optional
//! `note`), or a *wide* one (an id column, then one column per period).
//! Columns are found by their header, case, spaces and punctuation
//! ignored; flags name them where the headers don't.

use super::grid::{Cell, Grid, Problem};
use super::spelling;

/// Headers that name each column (compared without case, spaces or
/// punctuation), in docs/import.md.
pub const ID_HEADERS: &[&str] = &[
    "id",
    "ref",
    "reference",
    "measureid",
    "measureref",
    "indicatorid",
    "indicatorref",
    "pi",
    "piref",
    "kpi",
    "kpiref",
    "code",
];
pub const PERIOD_HEADERS: &[&str] = &["period", "dataperiod", "quarter", "month", "year"];
pub const VALUE_HEADERS: &[&str] = &[
    "actual",
    "value",
    "figure",
    "result",
    "outturn",
    "actualvalue",
];
pub const NOTE_HEADERS: &[&str] = &[
    "note",
    "notes",
    "comment",
    "comments",
    "commentary",
    "reason",
];
pub const PROVISIONAL_HEADERS: &[&str] = &["provisional", "prov"];

/// How many rows from the top the header row may be found in.
const HEADER_SEARCH: usize = 20;

/// Column names given on the command line, for headers perfcard does not
/// know.
#[derive(Clone, Debug, Default)]
pub struct ColumnNames {
    pub id: Option<String>,
    pub period: Option<String>,
    pub value: Option<String>,
    pub note: Option<String>,
}

/// Where a row's period comes from.
#[derive(Clone, Debug, PartialEq)]
pub enum PeriodFrom {
    /// A column of the row (long tables).
    Column(usize),
    /// `--period` (a long table without a period column).
    Given(String),
}

#[derive(Clone, Debug, PartialEq)]
pub enum Shape {
    Long {
        period: PeriodFrom,
        value: usize,
        note: Option<usize>,
        provisional: Option<usize>,
    },
    /// The columns whose headers are periods, with the period's spelling.
    Wide { periods: Vec<(usize, String)> },
}

#[derive(Clone, Debug, PartialEq)]
pub struct Layout {
    pub header_row: usize,
    pub id: usize,
    pub shape: Shape,
}

/// A header as compared: lower case, letters and digits only.
pub fn normal(header: &str) -> String {
    header
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// A header cell's text (a date header, e.g. `Jun-17` turned into a date,
/// becomes its month).
fn header_text(cell: &Cell, year_start: u8) -> String {
    match cell {
        Cell::Date { year, month, .. } => spelling::month_text(*year, *month, year_start),
        other => other.shown(),
    }
}

/// Finds the table. `period` is `--period`, as written.
pub fn find(
    grid: &Grid,
    names: &ColumnNames,
    period: Option<&str>,
    year_start: u8,
) -> Result<Layout, Problem> {
    let matches = |text: &str, given: &Option<String>, known: &[&str]| match given {
        Some(g) => normal(text) == normal(g),
        None => known.contains(&normal(text).as_str()),
    };
    let header_row = (0..grid.rows.len().min(HEADER_SEARCH))
        .find(|&r| {
            grid.rows[r]
                .iter()
                .any(|c| matches(&c.shown(), &names.id, ID_HEADERS))
        })
        .ok_or_else(|| {
            let what = match &names.id {
                Some(id) => format!("a column headed `{id}`"),
                None => "a column of measure ids headed `id` (or `ref`, `reference`, `code`, `pi`)"
                    .into(),
            };
            Problem::whole(format!(
                "{}: cannot find the table: none of the first {HEADER_SEARCH} rows has {what}",
                grid.sheet
            ))
            .help("name the id column with --id-column, or use the sheet `perfcard template` makes")
        })?;
    let headers: Vec<String> = grid.rows[header_row]
        .iter()
        .map(|c| header_text(c, year_start))
        .collect();
    let find_column = |given: &Option<String>,
                       known: &[&str],
                       what: &str|
     -> Result<Option<usize>, Problem> {
        let found: Vec<usize> = headers
            .iter()
            .enumerate()
            .filter(|(_, h)| matches(h, given, known))
            .map(|(i, _)| i)
            .collect();
        match found.as_slice() {
            [] => Ok(None),
            [one] => Ok(Some(*one)),
            [first, second, ..] => Err(Problem::at(
                grid.reference(header_row, *second),
                format!(
                    "two {what} columns: `{}` ({}) and `{}`",
                    headers[*first],
                    grid.reference(header_row, *first),
                    headers[*second]
                ),
            )
            .help("keep one of them, or name the one to use with a flag (--id-column, --period-column, --value-column, --note-column)")),
        }
    };
    let missing = |flag: &str, name: &Option<String>| {
        name.as_ref().map(|n| {
            Problem::whole(format!(
                "{}: no column is headed `{n}` (given with {flag})",
                grid.sheet
            ))
            .help(format!(
                "the headers in row {} are: {}",
                header_row + 1,
                list(&headers)
            ))
        })
    };
    let id = find_column(&names.id, ID_HEADERS, "id")?
        .ok_or_else(|| Problem::whole(format!("{}: no id column", grid.sheet)))?;
    let period_column = find_column(&names.period, PERIOD_HEADERS, "period")?;
    let value = find_column(&names.value, VALUE_HEADERS, "value")?;
    let note = find_column(&names.note, NOTE_HEADERS, "note")?;
    let provisional = find_column(&None, PROVISIONAL_HEADERS, "provisional")?;
    for (flag, name, found) in [
        ("--period-column", &names.period, period_column),
        ("--value-column", &names.value, value),
        ("--note-column", &names.note, note),
    ] {
        if found.is_none() {
            if let Some(problem) = missing(flag, name) {
                return Err(problem);
            }
        }
    }
    if let Some(value) = value {
        let period = match (period_column, period) {
            (Some(c), _) => PeriodFrom::Column(c),
            (None, Some(p)) => PeriodFrom::Given(p.to_string()),
            (None, None) => {
                return Err(Problem::whole(format!(
                    "{}: the table has a value column (`{}`) but no period column",
                    grid.sheet, headers[value]
                ))
                .help("add a column headed `period`, or say which period the figures are for with --period"))
            }
        };
        return Ok(Layout {
            header_row,
            id,
            shape: Shape::Long {
                period,
                value,
                note,
                provisional,
            },
        });
    }
    let periods: Vec<(usize, String)> = headers
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != id)
        .filter_map(|(i, h)| spelling::canonical(h, year_start).map(|p| (i, p)))
        .collect();
    if periods.is_empty() {
        return Err(Problem::whole(format!(
            "{}: cannot tell the table's layout from its headers (row {}: {})",
            grid.sheet,
            header_row + 1,
            list(&headers)
        ))
        .help("a long table has columns `id`, `period` and `value` (or `actual`); a wide one has an `id` column and one column per period, headed like `2017/18 Q1`. Name columns with --period-column and --value-column"));
    }
    Ok(Layout {
        header_row,
        id,
        shape: Shape::Wide { periods },
    })
}

fn list(headers: &[String]) -> String {
    let shown: Vec<String> = headers
        .iter()
        .filter(|h| !h.trim().is_empty())
        .map(|h| format!("`{h}`"))
        .collect();
    if shown.is_empty() {
        "none".into()
    } else {
        shown.join(", ")
    }
}

/// One figure (or note) the sheet asks to import: a row, and the cells it
/// comes from.
#[derive(Clone, Debug)]
pub struct Entry {
    pub row: usize,
    pub id: usize,
    /// The period as perfcard spells it (`2017/18 Q1`) when its spelling
    /// was understood, and the cell it came from (`None`: `--period`).
    pub period: Result<String, String>,
    pub period_cell: Option<(usize, usize)>,
    pub value: Option<usize>,
    pub note: Option<usize>,
    pub provisional: Option<usize>,
}

/// The entries of the table, in sheet order (row by row, left to right).
/// Rows with no figure and no note are skipped.
pub fn entries(grid: &Grid, layout: &Layout, year_start: u8) -> Vec<Entry> {
    let mut out = Vec::new();
    let empty = |r: usize, c: Option<usize>| c.is_none_or(|c| grid.cell(r, c).is_empty());
    for row in layout.header_row + 1..grid.rows.len() {
        match &layout.shape {
            Shape::Long {
                period,
                value,
                note,
                provisional,
            } => {
                if empty(row, Some(*value)) && empty(row, *note) {
                    continue;
                }
                let (period, period_cell) = match period {
                    PeriodFrom::Given(p) => (
                        spelling::canonical(p, year_start).ok_or_else(|| p.clone()),
                        None,
                    ),
                    PeriodFrom::Column(c) => {
                        let cell = grid.cell(row, *c);
                        let text = header_text(cell, year_start);
                        let spelt = match cell {
                            Cell::Number { value, .. } => Some(value.to_string())
                                .filter(|t| t.len() == 4 && t.chars().all(|c| c.is_ascii_digit())),
                            _ => spelling::canonical(&text, year_start),
                        };
                        (spelt.ok_or(text), Some((row, *c)))
                    }
                };
                out.push(Entry {
                    row,
                    id: layout.id,
                    period,
                    period_cell,
                    value: Some(*value),
                    note: *note,
                    provisional: *provisional,
                });
            }
            Shape::Wide { periods } => {
                for (column, period) in periods {
                    if empty(row, Some(*column)) {
                        continue;
                    }
                    out.push(Entry {
                        row,
                        id: layout.id,
                        period: Ok(period.clone()),
                        period_cell: Some((layout.header_row, *column)),
                        value: Some(*column),
                        note: None,
                        provisional: None,
                    });
                }
            }
        }
    }
    out
}

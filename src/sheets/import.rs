//! `perfcard import`, as a library: read a sheet, plan the figures it
//! brings, write them into the scorecard's text, check the result and
//! compare it with the files as they were. Nothing here writes to disk:
//! [`commit::write_all`](super::commit::write_all) does, when asked.

use std::path::Path;

use super::edit::{self, FileEdit};
use super::grid::{Grid, Problem};
use super::layout::{self, ColumnNames};
use super::plan::{self, Change, Plan};
use super::{book_read, csv_read};
use crate::check::{self, Checked};
use crate::diff::{self, Diff};
use crate::load::{self, FileSystem, Loaded, Memory};
use crate::period::Period;

/// What the command line passes in.
#[derive(Clone, Debug, Default)]
pub struct Options {
    pub sheet: Option<String>,
    pub period: Option<String>,
    pub restate: bool,
    pub columns: ColumnNames,
}

/// The format of a data file.
#[derive(Clone, Copy, Debug, Eq, PartialEq)]
pub enum Format {
    Csv,
    Workbook,
}

/// The format of `name` holding `bytes`: by extension, else by content
/// (a ZIP or an OLE compound file is a workbook).
pub fn format_of(name: &str, bytes: &[u8]) -> Format {
    let lower = name.to_lowercase();
    if lower.ends_with(".csv") || lower.ends_with(".txt") {
        return Format::Csv;
    }
    if [".xlsx", ".xlsm", ".xls", ".ods", ".xlsb"]
        .iter()
        .any(|e| lower.ends_with(e))
        || bytes.starts_with(b"PK\x03\x04")
        || bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0])
    {
        Format::Workbook
    } else {
        Format::Csv
    }
}

/// A sheet read from a file, with what is worth saying about how it was
/// read (a CSV file's encoding when it is not UTF-8).
pub struct Sheet {
    pub grid: Grid,
    pub notes: Vec<String>,
}

/// Reads the data file `bytes`, named `name`.
pub fn read_sheet(name: &str, bytes: &[u8], wanted: Option<&str>) -> Result<Sheet, Problem> {
    match format_of(name, bytes) {
        Format::Workbook => Ok(Sheet {
            grid: book_read::read(bytes, wanted, name)?,
            notes: Vec::new(),
        }),
        Format::Csv => {
            let stem = Path::new(name)
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_else(|| "Sheet1".into());
            let sheet = csv_read::read(bytes, &stem)?;
            let mut notes = Vec::new();
            if sheet.encoding == csv_read::Encoding::Windows1252 {
                notes.push(format!("{name} is not UTF-8: read as Windows-1252, the encoding Excel uses for \"CSV (Comma delimited)\" in the UK"));
            }
            if sheet.separator == ';' {
                notes.push(format!("{name}: columns separated by semicolons"));
            }
            Ok(Sheet {
                grid: sheet.grid,
                notes,
            })
        }
    }
}

/// The scorecard after the import, checked.
pub struct After {
    pub loaded: Loaded,
    pub checked: Checked,
}

/// What an import would do.
pub struct Prepared {
    pub plan: Plan,
    /// The new text of each file that changes.
    pub edits: Vec<FileEdit>,
    /// What `perfcard diff` says about the change.
    pub diff: Diff,
    pub after: After,
}

/// Why an import cannot go ahead.
pub enum Refused {
    /// Problems in the sheet, each at its cell: nothing is written.
    Sheet(Vec<Problem>),
    /// The files with the figures written in have errors (shown with the
    /// new text): nothing is written.
    Result(Box<After>),
}

/// Plans the import of `grid` into the checked scorecard `loaded` and
/// makes the new text of its files.
pub fn prepare(
    loaded: &Loaded,
    before: &Checked,
    grid: &Grid,
    options: &Options,
) -> Result<Prepared, Refused> {
    let model = &before.model;
    let year_start = model.header.year_start;
    let layout = layout::find(
        grid,
        &options.columns,
        options.period.as_deref(),
        year_start,
    )
    .map_err(|p| Refused::Sheet(vec![p]))?;
    let entries = layout::entries(grid, &layout, year_start);
    let plan = plan::plan(grid, &entries, model, options.restate);
    if !plan.problems.is_empty() {
        return Err(Refused::Sheet(plan.problems));
    }
    let edits = edit::apply(loaded, model, &plan.changes);
    let after = reload(loaded, &edits);
    if after.checked.has_errors() {
        return Err(Refused::Result(Box::new(after)));
    }
    let periods = rating_periods(&plan, model);
    let diff = diff::diff(model, &after.checked.model, &periods);
    Ok(Prepared {
        plan,
        edits,
        diff,
        after,
    })
}

/// Loads the scorecard again from its files' new text, in memory.
fn reload(loaded: &Loaded, edits: &[FileEdit]) -> After {
    let mut fs = Memory::default();
    for (id, source) in loaded.sources.files() {
        let text = edits
            .iter()
            .find(|e| e.file == id)
            .map_or_else(|| source.text.to_string(), |e| e.new.clone());
        fs = fs.with(source.path.clone(), text);
    }
    let root = loaded.root().map(|f| loaded.sources.get(f.id));
    let (path, name) = root.map_or_else(
        || {
            (
                Path::new("report.perf").to_path_buf(),
                "report.perf".to_string(),
            )
        },
        |r| (r.path.clone(), r.name.clone()),
    );
    let loaded = load::load(&fs as &dyn FileSystem, &path, &name).unwrap_or_default();
    let checked = check::check(&loaded);
    After { loaded, checked }
}

/// The report periods whose ratings the new figures can change: each
/// figure's period moved on by its measure's lag (a year at its last
/// quarter).
fn rating_periods(plan: &Plan, model: &crate::model::Model) -> Vec<Period> {
    let mut periods: Vec<Period> = plan
        .changes
        .iter()
        .filter_map(|c| match c {
            Change::Add {
                measure, period, ..
            }
            | Change::Restate {
                measure, period, ..
            } => {
                let quarter = match period.quarter {
                    Some(_) => *period,
                    None => Period::quarter(period.start, 4),
                };
                quarter.back(-i64::from(model.measures[*measure].lag))
            }
            Change::Note { .. } => None,
        })
        .collect();
    periods.sort();
    periods.dedup();
    periods
}

//! Every command-line type, with its help text.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Performance indicators as text: check, rate and report `.perf` scorecards.
#[derive(Debug, Parser)]
#[command(name = "perfcard", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    #[command(flatten)]
    pub color: ColorArgs,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check .perf files and list every problem found.
    Check(CheckArgs),
    /// Rate every measure and action and print the report.
    Report(ReportArgs),
    /// Show, step by step, how one measure's rating was reached.
    Explain(ExplainArgs),
    /// Lay .perf files out in the one canonical layout.
    Fmt(FmtArgs),
    /// Show what changed in meaning between two versions of a scorecard:
    /// targets eased or stretched, figures restated, and the ratings that
    /// change because of it.
    Diff(DiffArgs),
    /// Write the data-collection sheet for a period: one row per measure
    /// due, with empty cells for its figure (see docs/import.md).
    Template(TemplateArgs),
    /// Write the figures of a filled-in sheet (CSV, XLSX, XLS or ODS) into
    /// the scorecard's files, and show what changes (see docs/import.md).
    Import(ImportArgs),
}

#[derive(Debug, Args)]
pub struct TemplateArgs {
    /// The scorecard (its root file).
    #[arg(value_name = "SCORECARD")]
    pub file: PathBuf,
    /// The period the figures are collected for, like "2017/18 Q1".
    #[arg(long, value_name = "PERIOD", required = true)]
    pub period: String,
    /// Only the measures of this group (and the groups inside it).
    #[arg(long, value_name = "GROUP")]
    pub group: Option<String>,
    /// The sheet's format (default: from the output file's extension,
    /// else xlsx).
    #[arg(long, value_enum)]
    pub format: Option<SheetFormat>,
    /// The file to write.
    #[arg(long, short, value_name = "FILE", required = true)]
    pub output: PathBuf,
}

#[derive(Clone, Copy, Debug, Eq, PartialEq, ValueEnum)]
pub enum SheetFormat {
    /// An Excel workbook, with input cells shaded and a help sheet.
    Xlsx,
    /// Comma-separated values (UTF-8 with a byte-order mark, as Excel
    /// reads it).
    Csv,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The scorecard (its root file); figures go into whichever of its
    /// files holds each measure.
    #[arg(value_name = "SCORECARD")]
    pub file: PathBuf,
    /// The filled-in sheet: .csv, .xlsx, .xls or .ods.
    #[arg(value_name = "DATA")]
    pub data: PathBuf,
    /// The sheet of a workbook to read (default: the first).
    #[arg(long, value_name = "NAME")]
    pub sheet: Option<String>,
    /// The period of every figure, for a table with no period column
    /// (like "2017/18 Q1").
    #[arg(long, value_name = "PERIOD")]
    pub period: Option<String>,
    /// Show what would change, and write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Replace figures the files already hold with different ones from the
    /// sheet (listed as restatements).
    #[arg(long)]
    pub restate: bool,
    /// The header of the column of measure ids, when it is not `id`,
    /// `ref`, `reference`, `code` or `pi`.
    #[arg(long, value_name = "HEADER")]
    pub id_column: Option<String>,
    /// The header of the column of periods, when it is not `period`.
    #[arg(long, value_name = "HEADER")]
    pub period_column: Option<String>,
    /// The header of the column of figures, when it is not `actual`,
    /// `value`, `figure`, `result` or `outturn`.
    #[arg(long, value_name = "HEADER")]
    pub value_column: Option<String>,
    /// The header of the column of notes, when it is not `note`, `notes`,
    /// `comment` or `commentary`.
    #[arg(long, value_name = "HEADER")]
    pub note_column: Option<String>,
}

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The old version: a path, or REV:PATH to read it from git
    /// (e.g. HEAD~1:card.perf).
    #[arg(value_name = "OLD")]
    pub old: String,
    /// The new version: a path or REV:PATH.
    #[arg(value_name = "NEW")]
    pub new: String,
    #[command(flatten)]
    pub period: PeriodArg,
    /// Compare ratings at every period either version has data for.
    #[arg(long)]
    pub all_periods: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = DiffFormat::Text)]
    pub format: DiffFormat,
    /// Exit 1 if any change has one of these effects (comma-separated:
    /// eased, stretched, restated, added, removed, changed, retrospective).
    #[arg(long, value_name = "EFFECTS", value_delimiter = ',')]
    pub fail_on: Vec<String>,
}

#[derive(Clone, Copy, Debug, Eq, PartialEq, ValueEnum)]
pub enum DiffFormat {
    /// Grouped changes for the terminal, summary first.
    Text,
    /// For a pull-request comment.
    Markdown,
    /// {"changes": [...], "ratings": [...]}
    Json,
}

#[derive(Debug, Args)]
pub struct FmtArgs {
    /// The files to format; `-` reads standard input and writes the result
    /// to standard output.
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// Change nothing: show what would change, and exit 1 if anything would.
    #[arg(long)]
    pub check: bool,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The files to check (each with the files it includes).
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// Treat warnings as errors (exit 1 if there are any).
    #[arg(long, value_name = "KIND", value_parser = ["warnings"])]
    pub deny: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = CheckFormat::Text)]
    pub format: CheckFormat,
}

#[derive(Clone, Copy, Debug, Eq, PartialEq, ValueEnum)]
pub enum CheckFormat {
    /// Compiler-style messages with the source line underlined.
    Text,
    /// One JSON object per diagnostic, for editors and CI.
    Json,
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// The scorecard (its root file).
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    #[command(flatten)]
    pub period: PeriodArg,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
    pub format: ReportFormat,
    /// Write the report to this file instead of the terminal.
    #[arg(long, short, value_name = "PATH")]
    pub output: Option<PathBuf>,
}

#[derive(Clone, Copy, Debug, Eq, PartialEq, ValueEnum)]
pub enum ReportFormat {
    /// Tables for the terminal.
    Text,
    /// GitHub-flavoured Markdown tables.
    Markdown,
    /// The JSON contract (see docs/reading-a-report.md).
    Json,
    /// One row per measure and key action, for spreadsheets.
    Csv,
    /// A self-contained web page with charts (see docs/reading-a-report.md).
    Html,
    /// An Excel workbook: summary, measures and actions sheets (needs -o).
    Xlsx,
}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// The scorecard (its root file).
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// The id of the measure or action to explain.
    #[arg(value_name = "ID")]
    pub id: String,
    #[command(flatten)]
    pub period: PeriodArg,
}

#[derive(Debug, Args)]
pub struct PeriodArg {
    /// The period to report, like "2017/18 Q1" (default: the header's
    /// `period`, else the latest period with any actual). A year means its
    /// last quarter.
    #[arg(long, value_name = "PERIOD")]
    pub period: Option<String>,
}

#[derive(Debug, Args)]
pub struct ColorArgs {
    /// When to use colour: auto (on a terminal, unless NO_COLOR is set),
    /// always or never.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, global = true)]
    pub color: ColorChoice,
}

#[derive(Clone, Copy, Debug, Eq, PartialEq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

//! The command line: parse arguments, run one command, map the outcome to
//! an exit code (0 fine, 1 problems in the input, 2 could not run).

/// Writes to stderr, never failing (see [`output::say`]).
macro_rules! say {
    ($($arg:tt)*) => {
        $crate::cli::output::say(&format!($($arg)*))
    };
}

/// [`say!`] with a newline.
macro_rules! sayln {
    ($($arg:tt)*) => {
        $crate::cli::output::say(&format!("{}\n", format_args!($($arg)*)))
    };
}

mod args;
mod check;
mod diff;
mod explain;
mod fmt;
mod import;
mod output;
mod report;
mod template;

use std::io::IsTerminal;
use std::path::Path;
use std::process::ExitCode;

use clap::Parser;

pub use args::*;

use crate::check::Checked;
use crate::load::{Disk, Loaded};
use crate::period::{Date, Part, Period};

/// How a command ended.
pub enum Outcome {
    /// Done; nothing wrong.
    Success,
    /// Done, and the input has problems (errors, or warnings under
    /// `--deny warnings`).
    Problems,
    /// Some of the input could not be read at all; the command has said why.
    Unreadable,
}

/// The command itself could not run: an unreadable file, a bad flag value.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct CannotRun(pub String);

pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => {
            // `--help` and `--version` go to stdout: failing to write them
            // is a failure like any other.
            let printed = error.print();
            let failed = error.use_stderr()
                || printed.is_err_and(|e| e.kind() != std::io::ErrorKind::BrokenPipe);
            return ExitCode::from(if failed { 2 } else { 0 });
        }
    };
    let color = cli.color.color;
    let result = match cli.command {
        Command::Check(args) => check::run(&args, color),
        Command::Report(args) => report::run(&args, color),
        Command::Explain(args) => explain::run(&args, color),
        Command::Fmt(args) => fmt::run(&args, color),
        Command::Diff(args) => diff::run(&args, color),
        Command::Schema(args) => output::print(&crate::schema::text(match args.output {
            SchemaOutput::Report => crate::schema::Output::Report,
            SchemaOutput::Check => crate::schema::Output::Check,
            SchemaOutput::Diff => crate::schema::Output::Diff,
        }))
        .map(|()| Outcome::Success),
        #[cfg(feature = "lsp")]
        Command::Lsp => lsp(),
        Command::Template(args) => template::run(&args),
        Command::Import(args) => import::run(&args, color),
        Command::Completions(args) => completions(&args),
    };
    match result {
        Ok(Outcome::Success) => ExitCode::SUCCESS,
        Ok(Outcome::Problems) => ExitCode::from(1),
        Ok(Outcome::Unreadable) => ExitCode::from(2),
        Err(error) => {
            sayln!("perfcard: {error}");
            ExitCode::from(2)
        }
    }
}

/// `perfcard lsp`: exits 0 after `shutdown` and `exit`, 1 after an `exit`
/// alone (as the protocol asks).
#[cfg(feature = "lsp")]
fn lsp() -> Result<Outcome, CannotRun> {
    match crate::lsp::run() {
        Ok(true) => Ok(Outcome::Success),
        Ok(false) => Ok(Outcome::Problems),
        Err(error) => Err(CannotRun(error)),
    }
}

/// Prints the completion script for `args.shell` to stdout.
fn completions(args: &CompletionsArgs) -> Result<Outcome, CannotRun> {
    let mut command = <Cli as clap::CommandFactory>::command();
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut command, "perfcard", &mut script);
    output::print(&String::from_utf8_lossy(&script))?;
    Ok(Outcome::Success)
}

/// Whether to colour output written to stdout (`stderr` false) or stderr.
pub fn use_color(choice: ColorChoice, stderr: bool) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            let terminal = if stderr {
                std::io::stderr().is_terminal()
            } else {
                std::io::stdout().is_terminal()
            };
            terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    }
}

/// The width to lay text out in: `$COLUMNS`, else the terminal's, else
/// 100 columns.
pub fn width() -> usize {
    width_from(None)
}

/// The width to lay text out in: `chosen` (from `--width`), else
/// `$COLUMNS`, else the terminal's when stdout is one, else 100 columns.
/// Fewer than 40 columns are taken as 40.
pub fn width_from(chosen: Option<u16>) -> usize {
    let from_env = || {
        std::env::var("COLUMNS")
            .ok()
            .and_then(|c| c.trim().parse::<usize>().ok())
            .filter(|w| *w > 0)
    };
    let from_terminal = || {
        std::io::stdout()
            .is_terminal()
            .then(terminal_size::terminal_size)
            .flatten()
            .map(|(terminal_size::Width(w), _)| usize::from(w))
            .filter(|w| *w > 0)
    };
    chosen
        .map(usize::from)
        .or_else(from_env)
        .or_else(from_terminal)
        .unwrap_or(100)
        .max(40)
}

/// Mentions on stderr that a file has warnings (the output is still made).
pub fn note_warnings(file: &Path, checked: &Checked) {
    let n = checked.diagnostics.len();
    if n > 0 {
        let (what, pronoun) = if n == 1 {
            ("1 warning".to_string(), "it")
        } else {
            (format!("{n} warnings"), "them")
        };
        sayln!(
            "note: {what} in {}; `perfcard check {}` shows {pronoun}",
            file.display(),
            file.display()
        );
    }
}

/// Loads and checks a report from disk.
pub fn load_and_check(path: &Path) -> Result<(Loaded, Checked), CannotRun> {
    let name = path.to_string_lossy().into_owned();
    let mut loaded = crate::load::load(&Disk, path, &name).map_err(|e| CannotRun(e.to_string()))?;
    let checked = crate::check::check_consuming(&mut loaded, Some(today()?));
    Ok((loaded, checked))
}

/// Today's date: `PERFCARD_TODAY=YYYY-MM-DD` if set (for tests and
/// reproducible runs), else the system clock's date (UTC).
pub fn today() -> Result<Date, CannotRun> {
    if let Some(text) = std::env::var_os("PERFCARD_TODAY") {
        let text = text.to_string_lossy();
        return text.trim().parse::<Date>().map_err(|_| {
            CannotRun(format!(
                "PERFCARD_TODAY=`{text}` is not a date: write it as YYYY-MM-DD, e.g. 2018-01-01"
            ))
        });
    }
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let days = i64::try_from(seconds / 86_400).unwrap_or(0);
    Date::from_days_since_epoch(days)
        .ok_or_else(|| CannotRun("the system clock's date cannot be read".into()))
}

/// The period to report: `--period`, else the header's, else the latest
/// period with any actual. A year means its last quarter.
pub fn report_period(arg: &PeriodArg, checked: &Checked) -> Result<Period, CannotRun> {
    let period = match &arg.period {
        Some(text) => text
            .trim()
            .parse::<Period>()
            .ok()
            .filter(|p| !matches!(p.part, Part::Calendar | Part::Academic))
            .map(|p| p.with_year_start(checked.model.header.year_start))
            .ok_or_else(|| {
                CannotRun(format!("`{text}` is not a period: write a fiscal year and quarter like \"2017/18 Q1\", a month like \"2017/18 Apr\" (or a year like 2017/18)"))
            })?,
        None => checked.model.default_period().ok_or_else(|| {
            CannotRun("there is no period to report: the file has no `period` in its header and no actuals; give one with --period".into())
        })?,
    };
    Ok(if period.is_whole_year() {
        Period::quarter(period.start, 4)
    } else {
        period
    })
}

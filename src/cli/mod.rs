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
use crate::period::Period;

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
        Command::Template(args) => template::run(&args),
        Command::Import(args) => import::run(&args, color),
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

/// The width to lay text out in: the terminal's, else 100 columns.
pub fn width() -> usize {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse().ok())
        .filter(|w| *w >= 40)
        .unwrap_or(100)
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
    let checked = crate::check::check_consuming(&mut loaded);
    Ok((loaded, checked))
}

/// The period to report: `--period`, else the header's, else the latest
/// period with any actual. A year means its last quarter.
pub fn report_period(arg: &PeriodArg, checked: &Checked) -> Result<Period, CannotRun> {
    let period = match &arg.period {
        Some(text) => text.trim().parse::<Period>().map_err(|_| {
            CannotRun(format!("`{text}` is not a period: write a fiscal year and quarter like \"2017/18 Q1\" (or a year like 2017/18)"))
        })?,
        None => match checked.model.header.period {
            Some(p) => p,
            None => checked.model.periods_with_actuals().last().copied().or_else(|| checked.model.latest_assessed_period()).ok_or_else(|| {
                CannotRun("there is no period to report: the file has no `period` in its header and no actuals; give one with --period".into())
            })?,
        },
    };
    Ok(match period.quarter {
        Some(_) => period,
        None => Period::quarter(period.start, 4),
    })
}

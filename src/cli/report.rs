//! `perfcard report FILE`

use super::{
    load_and_check, output, report_period, use_color, width, width_from, CannotRun, ColorChoice,
    Outcome, ReportArgs, ReportFormat,
};
use std::io::IsTerminal;

use crate::render::{self, diagnostics};
use crate::report;

pub fn run(args: &ReportArgs, color: ColorChoice) -> Result<Outcome, CannotRun> {
    let (loaded, checked) = load_and_check(&args.file)?;
    if checked.has_errors() {
        let color = use_color(color, true);
        say!(
            "{}",
            diagnostics::to_text(&checked.diagnostics, &loaded.sources, color, width())
        );
        sayln!(
            "{}",
            diagnostics::summary(&checked.diagnostics, loaded.sources.len())
        );
        sayln!("no report was written: fix the errors above first (`perfcard check` lists them)");
        return Ok(Outcome::Problems);
    }
    super::note_warnings(&args.file, &checked);
    // The files and their syntax trees are no longer needed: the model
    // holds everything the report uses.
    drop(loaded);
    let period = report_period(&args.period, &checked)?;
    if args.format == ReportFormat::Json && !args.exceptions {
        // Streamed, so that a large scorecard's report is never all in memory.
        let model = &checked.model;
        let mut write =
            |out: &mut dyn std::io::Write| render::json::write(&report::stream(model, period), out);
        match &args.output {
            Some(path) => output::write_atomically_with(path, &mut write)?,
            None => output::print_with(&mut write)?,
        }
        // The command ends here: the process's exit gives all its memory
        // back at once, faster than freeing a large model piece by piece.
        std::mem::forget(checked);
        return Ok(Outcome::Success);
    }
    if args.format == ReportFormat::Docx && args.output.is_none() && std::io::stdout().is_terminal()
    {
        return Err(CannotRun(
            "a Word document cannot be shown in the terminal: write it to a file with --output report.docx".into(),
        ));
    }
    let report = report::build(&checked.model, period);
    if args.format == ReportFormat::Docx {
        let docx = match args.exceptions {
            false => render::docx::render(&report),
            true => render::docx::render_exceptions(&report),
        }
        .map_err(|e| CannotRun(format!("cannot write the Word document: {e}")))?;
        let mut write = |out: &mut dyn std::io::Write| out.write_all(&docx);
        match &args.output {
            Some(path) => output::write_atomically_with(path, &mut write)?,
            None => output::print_with(&mut write)?,
        }
        return Ok(Outcome::Success);
    }
    let to_file = args.output.is_some();
    let colored = !to_file && use_color(color, false);
    let columns = width_from(args.width);
    let csv_error = |e: csv::Error| CannotRun(format!("cannot write CSV: {e}"));
    let text = match (args.format, args.exceptions) {
        (ReportFormat::Json, false) => render::json::render(&report),
        (ReportFormat::Json, true) => render::json::render_exceptions(&report),
        (ReportFormat::Text, false) => render::text::render(&report, colored, columns),
        (ReportFormat::Text, true) => render::text::render_exceptions(&report, colored, columns),
        // Read in terminals and editors as much as rendered: control
        // characters are shown escaped.
        (ReportFormat::Markdown, false) => {
            render::excerpt::visible(&render::markdown::render(&report)).into_owned()
        }
        (ReportFormat::Markdown, true) => {
            render::excerpt::visible(&render::markdown::render_exceptions(&report)).into_owned()
        }
        (ReportFormat::Csv, false) => render::csv::render(&report).map_err(csv_error)?,
        (ReportFormat::Csv, true) => render::csv::render_exceptions(&report).map_err(csv_error)?,
        (ReportFormat::Html, false) => render::html::render(&report),
        (ReportFormat::Html, true) => render::html::render_exceptions(&report),
        (ReportFormat::Xlsx, _) => return xlsx(args, &report, &checked.model),
        // Written above.
        (ReportFormat::Docx, _) => String::new(),
    };
    match &args.output {
        Some(path) => output::write_atomically(path, &text)?,
        None => output::print(&text)?,
    }
    Ok(Outcome::Success)
}

/// `--format xlsx`: a workbook, so only to a file.
#[cfg(feature = "sheets")]
fn xlsx(
    args: &ReportArgs,
    report: &report::Report,
    model: &crate::model::Model,
) -> Result<Outcome, CannotRun> {
    let Some(path) = &args.output else {
        return Err(CannotRun(
            "an xlsx workbook is a binary file: give the file to write with -o FILE".into(),
        ));
    };
    let bytes = crate::sheets::xlsx_report::render(report, model)
        .map_err(|e| CannotRun(format!("cannot make the workbook: {e}")))?;
    output::write_atomically_with(path, &mut |out| out.write_all(&bytes))?;
    Ok(Outcome::Success)
}

#[cfg(not(feature = "sheets"))]
fn xlsx(_: &ReportArgs, _: &report::Report, _: &crate::model::Model) -> Result<Outcome, CannotRun> {
    Err(CannotRun(
        "this perfcard was built without spreadsheet support (the `sheets` feature)".into(),
    ))
}

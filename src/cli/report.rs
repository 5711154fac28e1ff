//! `perfcard report FILE`

use super::{
    load_and_check, output, report_period, use_color, width, CannotRun, ColorChoice, Outcome,
    ReportArgs, ReportFormat,
};
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
    if args.format == ReportFormat::Json {
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
    let report = report::build(&checked.model, period);
    let to_file = args.output.is_some();
    let text = match args.format {
        ReportFormat::Json => render::json::render(&report),
        ReportFormat::Text => {
            render::text::render(&report, !to_file && use_color(color, false), width())
        }
        // Read in terminals and editors as much as rendered: control
        // characters are shown escaped.
        ReportFormat::Markdown => {
            render::excerpt::visible(&render::markdown::render(&report)).into_owned()
        }
        ReportFormat::Csv => {
            render::csv::render(&report).map_err(|e| CannotRun(format!("cannot write CSV: {e}")))?
        }
        ReportFormat::Html => render::html::render(&report),
        ReportFormat::Xlsx => return xlsx(args, &report, &checked.model),
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

//! `perfcard template SCORECARD --period P -o FILE`

use super::{CannotRun, Outcome, TemplateArgs};

#[cfg(not(feature = "sheets"))]
pub fn run(_: &TemplateArgs) -> Result<Outcome, CannotRun> {
    Err(CannotRun(
        "this perfcard was built without spreadsheet support (the `sheets` feature)".into(),
    ))
}

#[cfg(feature = "sheets")]
pub fn run(args: &TemplateArgs) -> Result<Outcome, CannotRun> {
    use super::{load_and_check, output, SheetFormat};
    use crate::render::diagnostics;
    use crate::sheets::template;

    let (loaded, checked) = load_and_check(&args.file)?;
    if checked.has_errors() {
        eprint!(
            "{}",
            diagnostics::to_text(&checked.diagnostics, &loaded.sources, false, super::width())
        );
        eprintln!("no template was written: fix the errors above first");
        return Ok(Outcome::Problems);
    }
    let period = args.period.trim().parse().map_err(|_| {
        CannotRun(format!(
            "`{}` is not a period: write a fiscal year and quarter like \"2017/18 Q1\"",
            args.period
        ))
    })?;
    let rows = template::rows(&checked.model, period, args.group.as_deref()).map_err(CannotRun)?;
    let format = args.format.unwrap_or_else(|| {
        let csv = args
            .output
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("csv"));
        if csv {
            SheetFormat::Csv
        } else {
            SheetFormat::Xlsx
        }
    });
    let bytes = match format {
        SheetFormat::Csv => template::csv(&rows).into_bytes(),
        SheetFormat::Xlsx => template::xlsx(&rows, &checked.model, period)
            .map_err(|e| CannotRun(format!("cannot make the workbook: {e}")))?,
    };
    output::write_atomically_with(&args.output, &mut |out| out.write_all(&bytes))?;
    eprintln!(
        "wrote {} ({} {})",
        args.output.display(),
        rows.len(),
        if rows.len() == 1 {
            "measure"
        } else {
            "measures"
        }
    );
    Ok(Outcome::Success)
}

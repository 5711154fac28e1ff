//! `perfcard explain FILE ID`

use super::{
    load_and_check, output, report_period, use_color, width, CannotRun, ColorChoice, ExplainArgs,
    Outcome,
};
use crate::explain;
use crate::render::diagnostics;

pub fn run(args: &ExplainArgs, color: ColorChoice) -> Result<Outcome, CannotRun> {
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
        return Ok(Outcome::Problems);
    }
    super::note_warnings(&args.file, &checked);
    let period = report_period(&args.period, &checked)?;
    let text = explain::explain(&checked.model, &args.id, period).map_err(CannotRun)?;
    output::print(&crate::render::excerpt::visible(&text))?;
    Ok(Outcome::Success)
}

//! `perfcard import SCORECARD DATA`

use super::{CannotRun, ColorChoice, ImportArgs, Outcome};

#[cfg(not(feature = "sheets"))]
pub fn run(_: &ImportArgs, _: ColorChoice) -> Result<Outcome, CannotRun> {
    Err(CannotRun(
        "this perfcard was built without spreadsheet support (the `sheets` feature)".into(),
    ))
}

#[cfg(feature = "sheets")]
pub fn run(args: &ImportArgs, color: ColorChoice) -> Result<Outcome, CannotRun> {
    use super::{use_color, width};
    use crate::check;
    use crate::load::{self, Disk};
    use crate::render::{self, diagnostics};
    use crate::sheets::commit;
    use crate::sheets::import::{self, Options, Refused};
    use crate::sheets::layout::ColumnNames;

    let name = args.file.to_string_lossy().into_owned();
    let loaded = load::load(&Disk, &args.file, &name).map_err(|e| CannotRun(e.to_string()))?;
    let before = check::check(&loaded);
    let stderr_color = use_color(color, true);
    if before.has_errors() {
        eprint!(
            "{}",
            diagnostics::to_text(&before.diagnostics, &loaded.sources, stderr_color, width())
        );
        eprintln!(
            "{}",
            diagnostics::summary(&before.diagnostics, loaded.sources.len())
        );
        eprintln!("nothing was imported: fix the errors in the scorecard first");
        return Ok(Outcome::Problems);
    }
    let data_name = args.data.to_string_lossy().into_owned();
    let size = std::fs::metadata(&args.data)
        .map_err(|e| CannotRun(format!("cannot read {data_name}: {e}")))?
        .len();
    if size > crate::load::MAX_FILE_SIZE {
        return Err(CannotRun(format!(
            "{data_name} is {size} bytes; perfcard reads files of at most {} bytes",
            crate::load::MAX_FILE_SIZE
        )));
    }
    let bytes = std::fs::read(&args.data)
        .map_err(|e| CannotRun(format!("cannot read {data_name}: {e}")))?;
    // A damaged workbook can make calamine panic; read_sheet catches it
    // and says so, and the default hook's message would only confuse.
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let read = import::read_sheet(&data_name, &bytes, args.sheet.as_deref());
    std::panic::set_hook(hook);
    let sheet = match read {
        Ok(s) => s,
        Err(problem) => {
            eprintln!("error: {problem}");
            eprintln!("nothing was imported");
            return Ok(Outcome::Problems);
        }
    };
    for note in &sheet.notes {
        eprintln!("note: {note}");
    }
    let options = Options {
        sheet: args.sheet.clone(),
        period: args.period.clone(),
        restate: args.restate,
        columns: ColumnNames {
            id: args.id_column.clone(),
            period: args.period_column.clone(),
            value: args.value_column.clone(),
            note: args.note_column.clone(),
        },
    };
    let prepared = match import::prepare(&loaded, &before, &sheet.grid, &options) {
        Ok(p) => p,
        Err(Refused::Sheet(problems)) => {
            for problem in &problems {
                eprintln!("error: {problem}");
            }
            let n = problems.len();
            eprintln!(
                "{} in {}: nothing was imported",
                if n == 1 {
                    "1 problem".to_string()
                } else {
                    format!("{n} problems")
                },
                data_name
            );
            return Ok(Outcome::Problems);
        }
        Err(Refused::Result(after)) => {
            let errors: Vec<_> = after
                .checked
                .diagnostics
                .iter()
                .filter(|d| d.is_error())
                .cloned()
                .collect();
            eprint!(
                "{}",
                diagnostics::to_text(&errors, &after.loaded.sources, stderr_color, width())
            );
            eprintln!("with these figures the scorecard would have the errors above: nothing was imported");
            return Ok(Outcome::Problems);
        }
    };
    let text = render::diff::text(&prepared.diff, use_color(color, false));
    super::output::print(&text);
    let unchanged = prepared.plan.unchanged;
    if unchanged > 0 {
        eprintln!(
            "note: {unchanged} {} in the sheet {} in the files already",
            if unchanged == 1 {
                "figure or note"
            } else {
                "figures or notes"
            },
            if unchanged == 1 { "is" } else { "are" }
        );
    }
    if prepared.edits.is_empty() {
        eprintln!("nothing to import: the files hold every figure in the sheet already");
        return Ok(Outcome::Success);
    }
    let names: Vec<&str> = prepared.edits.iter().map(|e| e.name.as_str()).collect();
    if args.dry_run {
        eprintln!("dry run: would write {}", names.join(", "));
        return Ok(Outcome::Success);
    }
    commit::write_all(&prepared.edits).map_err(|e| CannotRun(e.to_string()))?;
    eprintln!("wrote {}", names.join(", "));
    Ok(Outcome::Success)
}

//! `perfcard diff OLD NEW`

use std::path::Path;

use super::{
    output, report_period, use_color, width, CannotRun, ColorChoice, DiffArgs, DiffFormat, Outcome,
};
use crate::check::Checked;
use crate::diff::{self, Effect};
use crate::load::git::{self, Git};
use crate::load::Disk;
use crate::render::{self, diagnostics};

/// One side of the comparison, checked; `None` when it has errors (they
/// have been printed).
fn side(spec: &str, color: ColorChoice) -> Result<Option<Checked>, CannotRun> {
    let mut loaded = match git::split_revision(spec) {
        Some((rev, path)) => {
            let path = git::relative_path(path).map_err(CannotRun)?;
            let git = Git::new(rev).map_err(CannotRun)?;
            crate::load::load(&git, &path, spec).map_err(|e| CannotRun(e.to_string()))?
        }
        None => {
            crate::load::load(&Disk, Path::new(spec), spec).map_err(|e| CannotRun(e.to_string()))?
        }
    };
    let checked = crate::check::check_consuming(&mut loaded);
    if checked.has_errors() {
        let color = use_color(color, true);
        let errors: Vec<_> = checked
            .diagnostics
            .iter()
            .filter(|d| d.is_error())
            .cloned()
            .collect();
        say!(
            "{}",
            diagnostics::to_text(&errors, &loaded.sources, color, width())
        );
        sayln!("{spec} has errors, so it cannot be compared: fix them first");
        return Ok(None);
    }
    Ok(Some(checked))
}

pub fn run(args: &DiffArgs, color: ColorChoice) -> Result<Outcome, CannotRun> {
    let mut fail_on = Vec::new();
    let mut retrospective = false;
    for word in &args.fail_on {
        match Effect::ALL.iter().find(|e| e.as_str() == word.trim()) {
            Some(effect) => fail_on.push(*effect),
            None if word.trim() == "retrospective" => retrospective = true,
            None => {
                return Err(CannotRun(format!(
                    "--fail-on: `{word}` is not an effect; use eased, stretched, restated, added, removed, changed or retrospective"
                )))
            }
        }
    }
    let (old, new) = (side(&args.old, color)?, side(&args.new, color)?);
    let (Some(old), Some(new)) = (old, new) else {
        return Ok(Outcome::Problems);
    };
    let periods = if args.all_periods {
        diff::all_periods(&old.model, &new.model)
    } else {
        match report_period(&args.period, &new) {
            Ok(p) => vec![p],
            Err(_) if args.period.period.is_none() => Vec::new(),
            Err(e) => return Err(e),
        }
    };
    let diff = diff::diff(&old.model, &new.model, &periods);
    let text = match args.format {
        DiffFormat::Text => render::diff::text(&diff, use_color(color, false)),
        DiffFormat::Markdown => {
            render::excerpt::visible(&render::diff::markdown(&diff)).into_owned()
        }
        DiffFormat::Json => render::diff::json(&diff),
    };
    output::print(&text)?;
    let failed = diff
        .changes
        .iter()
        .any(|c| fail_on.contains(&c.effect) || (retrospective && c.retrospective));
    Ok(if failed {
        Outcome::Problems
    } else {
        Outcome::Success
    })
}

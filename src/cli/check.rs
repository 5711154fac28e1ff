//! `perfcard check FILE...`

use super::{
    load_and_check, output, use_color, width, CannotRun, CheckArgs, CheckFormat, ColorChoice,
    Outcome,
};
use crate::diagnostic::Diagnostic;
use crate::render::diagnostics;
use crate::syntax::source::SourceMap;

pub fn run(args: &CheckArgs, color: ColorChoice) -> Result<Outcome, CannotRun> {
    let deny_warnings = args.deny.is_some();
    let mut all: Vec<(Vec<Diagnostic>, SourceMap)> = Vec::new();
    let mut files = 0;
    // A file that cannot be read does not stop the others being checked.
    let mut unreadable = Vec::new();
    for path in &args.files {
        match load_and_check(path) {
            Ok((loaded, checked)) => {
                files += loaded.sources.len();
                all.push((checked.diagnostics, loaded.sources));
            }
            Err(error) => unreadable.push(error),
        }
    }
    let every: Vec<&Diagnostic> = all.iter().flat_map(|(d, _)| d).collect();
    let failed = every.iter().any(|d| d.is_error() || deny_warnings);
    match args.format {
        CheckFormat::Json => {
            // One array over every file checked.
            let mut items: Vec<serde_json::Value> = Vec::new();
            for (diagnostics, sources) in &all {
                let json = diagnostics::to_json(diagnostics, sources);
                if let Ok(serde_json::Value::Array(values)) = serde_json::from_str(&json) {
                    items.extend(values);
                }
            }
            let mut out = serde_json::to_string_pretty(&items).unwrap_or_else(|_| "[]".into());
            out.push('\n');
            output::print(&out)?;
            // The JSON is for tools; the summary, on stderr, for the person
            // reading the log.
            let owned: Vec<Diagnostic> = every.iter().map(|d| (*d).clone()).collect();
            sayln!("{}", diagnostics::summary(&owned, files));
        }
        CheckFormat::Text => {
            let color = use_color(color, true);
            for (diagnostics, sources) in &all {
                say!(
                    "{}",
                    diagnostics::to_text(diagnostics, sources, color, width())
                );
            }
            for error in &unreadable {
                sayln!("perfcard: {error}");
            }
            let owned: Vec<Diagnostic> = every.iter().map(|d| (*d).clone()).collect();
            let mut summary = diagnostics::summary(&owned, files);
            match unreadable.len() {
                0 => {}
                1 => summary.push_str("; 1 file could not be read"),
                n => summary.push_str(&format!("; {n} files could not be read")),
            }
            sayln!("{summary}");
        }
    }
    if !unreadable.is_empty() {
        if args.format == CheckFormat::Json {
            for error in &unreadable {
                sayln!("perfcard: {error}");
            }
        }
        return Ok(Outcome::Unreadable);
    }
    Ok(if failed {
        Outcome::Problems
    } else {
        Outcome::Success
    })
}

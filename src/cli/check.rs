//! `perfcard check FILE...`

use super::{load_and_check, output, use_color, width, CannotRun, CheckArgs, CheckFormat, Outcome};
use crate::diagnostic::Diagnostic;
use crate::render::diagnostics;
use crate::source::SourceMap;

pub fn run(args: &CheckArgs) -> Result<Outcome, CannotRun> {
    let deny_warnings = args.deny.is_some();
    let mut all: Vec<(Vec<Diagnostic>, SourceMap)> = Vec::new();
    let mut files = 0;
    for path in &args.files {
        let (loaded, checked) = load_and_check(path)?;
        files += loaded.sources.len();
        all.push((checked.diagnostics, loaded.sources));
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
            output::print(&out);
        }
        CheckFormat::Text => {
            let color = use_color(args.color.color, true);
            for (diagnostics, sources) in &all {
                eprint!(
                    "{}",
                    diagnostics::to_text(diagnostics, sources, color, width())
                );
            }
            let owned: Vec<Diagnostic> = every.iter().map(|d| (*d).clone()).collect();
            eprintln!("{}", diagnostics::summary(&owned, files));
        }
    }
    Ok(if failed {
        Outcome::Problems
    } else {
        Outcome::Success
    })
}

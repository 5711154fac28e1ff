//! Hover: a short `explain` on an id, the meaning of a keyword, the months
//! of a period.

use lsp_types::{Hover, HoverContents, MarkupContent, MarkupKind};

use super::convert::LineIndex;
use super::keywords;
use super::locate::{self, Node};
use super::workspace::Analysis;
use crate::period::Period;
use crate::report;
use crate::FileId;
use crate::Interpreter;

/// The hover at `offset` of file `file` of an analysis.
pub fn hover(analysis: &Analysis, file: FileId, offset: usize) -> Option<Hover> {
    let loaded = analysis.loaded.file(file)?;
    let text = &analysis.loaded.sources.get(file).text;
    let index = LineIndex::new(text);
    let (markdown, range) = match locate::node_at(&loaded.parsed.document, offset) {
        Some(Node::MeasureId(m)) => (id_hover(analysis, &m.id.name)?, m.id.span),
        Some(Node::ActionId(a)) => (id_hover(analysis, &a.id.name)?, a.id.span),
        Some(Node::Component(ident)) => (id_hover(analysis, &ident.name)?, ident.span),
        Some(Node::Period(p)) => (period_hover(analysis, p.period), p.span),
        Some(Node::Include(include)) => (
            format!(
                "Includes `{}`: its measures and actions are part of this report, read in place.",
                include.path.value
            ),
            include.path.span,
        ),
        None => {
            if locate::in_string_or_comment(text, offset) {
                return None;
            }
            let (start, word) = locate::word_at(text, offset)?;
            let (meaning, example) = keywords::doc(word)?;
            if !keywords::all_keywords().iter().any(|k| k == word) {
                return None;
            }
            return Some(markup(
                format!("**`{word}`** — {meaning}\n\n```perf\n{example}\n```"),
                Some(index.range(start, start + word.len())),
            ));
        }
    };
    Some(markup(markdown, Some(index.span_range(range))))
}

fn markup(value: String, range: Option<lsp_types::Range>) -> Hover {
    Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value,
        }),
        range,
    }
}

fn period_hover(analysis: &Analysis, period: Period) -> String {
    let year_start = analysis.checked.model.header.year_start;
    format!("**{period}**: {}", period.months(year_start))
}

/// A measure's or action's title, owner, figures, rating and directions at
/// the report period.
fn id_hover(analysis: &Analysis, id: &str) -> Option<String> {
    let model = &analysis.checked.model;
    let interpreter = Interpreter::new(model);
    let mut out = String::new();
    if let Some(index) = model.measures.iter().position(|m| m.id == id) {
        let Some(period) = analysis.period else {
            let m = &model.measures[index];
            return Some(format!(
                "**{id}** — {}\n\nNo period to rate: the report has no `period` and no actuals.",
                m.title
            ));
        };
        let r = report::measure_report(model, &interpreter.measure(index, period));
        out.push_str(&format!("**{}** — {}\n\n", r.id, r.title));
        if let Some(owner) = &r.owner {
            out.push_str(&format!("Owner: {owner}  \n"));
        }
        let months = r.period.months(model.header.year_start);
        out.push_str(&format!("Period: {} ({months})", r.period));
        if let Some(lagged) = &r.lagged {
            out.push_str(&format!(", {lagged}"));
        }
        out.push_str("  \n");
        out.push_str(&format!(
            "Target: {} · Actual: {}{}  \n",
            r.target_display.as_deref().unwrap_or("none"),
            r.actual_display.as_deref().unwrap_or("none"),
            if r.provisional { " (provisional)" } else { "" }
        ));
        out.push_str(&format!("Rating: **{}**", r.rating.as_str().to_uppercase()));
        match (&r.reason_text, &r.thresholds_display) {
            (Some(reason), _) => out.push_str(&format!(" — {reason}")),
            (None, Some(thresholds)) => out.push_str(&format!(" — {thresholds}")),
            _ => {}
        }
        out.push_str("  \n");
        if let Some(assessed) = &r.assessed {
            out.push_str(&format!(
                "Assessed {} for {}{}  \n",
                assessed.rating.as_str(),
                assessed.period,
                assessed
                    .why
                    .as_ref()
                    .map(|w| format!(": {w}"))
                    .unwrap_or_default()
            ));
        }
        let direction = |d: &crate::eval::rating::Direction, c: &report::Comparison| {
            let from = match (&c.display, c.period) {
                (Some(v), Some(p)) => format!(" (from {v} in {p})"),
                _ => String::new(),
            };
            format!("{}{from}", d.as_str())
        };
        out.push_str(&format!(
            "Direction: short term {}, long term {}",
            direction(&r.direction.short, &r.comparisons.short),
            direction(&r.direction.long, &r.comparisons.long)
        ));
        if !r.components.is_empty() {
            let parts: Vec<String> = r
                .components
                .iter()
                .map(|c| format!("{} {}", c.id, c.rating.as_str()))
                .collect();
            out.push_str(&format!("  \nComponents: {}", parts.join(", ")));
        }
        return Some(out);
    }
    let index = model.actions.iter().position(|a| a.id == id)?;
    let period = analysis.period?;
    let r = report::action_report(model, &interpreter.action(index, period));
    out.push_str(&format!("**{}** — {} (key action)\n\n", r.id, r.title));
    if let Some(owner) = &r.owner {
        out.push_str(&format!("Owner: {owner}  \n"));
    }
    out.push_str(&format!(
        "At {period}: {} of {} milestones due are done  \n",
        r.milestones_done, r.milestones_due
    ));
    out.push_str(&format!("Rating: **{}**", r.rating.as_str().to_uppercase()));
    if let Some(reason) = &r.reason_text {
        out.push_str(&format!(" — {reason}"));
    }
    Some(out)
}

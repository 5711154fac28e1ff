//! `perfcard diff` output: text for the terminal, Markdown for a pull
//! request comment, JSON for tools.

use super::excerpt::visible;
use std::fmt::Write as _;

use serde::Serialize;

use crate::diff::{Change, Diff, Effect, RatingChange};
use crate::render::{markdown::escape, words};

fn value(shown: &Option<String>, exact: &Option<String>) -> String {
    shown
        .clone()
        .or_else(|| exact.clone())
        .unwrap_or_else(|| "–".into())
}

fn what(c: &Change) -> String {
    match c.period {
        Some(p) => format!("{} {p}", c.kind),
        None => c.kind.to_string(),
    }
}

fn effect_words(c: &Change) -> String {
    let mut text = c.effect.as_str().to_uppercase();
    if c.retrospective {
        text.push_str(" (retrospective: the period already has figures)");
    }
    text
}

fn rating_words(r: &RatingChange) -> String {
    let rag = |x: Option<crate::model::Rag>| {
        x.map_or("absent".to_string(), |r| words::rating(r).to_string())
    };
    let mut text = format!("{} → {}", rag(r.old), rag(r.new));
    if let Some(d) = &r.direction {
        let dirs = |x: Option<[crate::eval::rating::Direction; 2]>| {
            x.map_or("–".to_string(), |[s, l]| {
                format!("{}/{}", s.as_str(), l.as_str())
            })
        };
        text.push_str(&format!(
            "; direction (short/long) {} → {}",
            dirs(d.old),
            dirs(d.new)
        ));
    }
    text
}

/// A measure's (or action's) changes: id, title, changes.
type ItemChanges<'a> = (String, String, Vec<&'a Change>);

/// Changes grouped by group path, then by measure, in order.
fn grouped(diff: &Diff) -> Vec<(Vec<String>, Vec<ItemChanges<'_>>)> {
    let mut groups: Vec<(Vec<String>, Vec<ItemChanges<'_>>)> = Vec::new();
    for c in &diff.changes {
        let g = match groups.iter().position(|(g, _)| *g == c.group) {
            Some(i) => i,
            None => {
                groups.push((c.group.clone(), Vec::new()));
                groups.len() - 1
            }
        };
        let items = &mut groups[g].1;
        match items.iter().position(|(id, _, _)| *id == c.id) {
            Some(i) => items[i].2.push(c),
            None => items.push((c.id.clone(), c.title.clone(), vec![c])),
        }
    }
    groups
}

/// A line in the effect's colour; what the files hold is shown with its
/// control characters escaped first, so the only escapes are the colour's.
fn paint(text: &str, effect: Effect, color: bool) -> String {
    let text = visible(text);
    if !color {
        return text.into_owned();
    }
    let code = match effect {
        Effect::Eased | Effect::Restated => "31",
        Effect::Stretched => "32",
        Effect::Removed => "33",
        _ => "0",
    };
    format!("\u{1b}[{code}m{text}\u{1b}[0m")
}

pub fn text(diff: &Diff, color: bool) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}", diff.summary());
    for (group, items) in grouped(diff) {
        let _ = writeln!(out);
        let _ = writeln!(
            out,
            "{}",
            if group.is_empty() {
                "Not in a group".to_string()
            } else {
                visible(&group.join(" › ")).into_owned()
            }
        );
        for (id, title, changes) in items {
            let _ = writeln!(out, "{}", visible(&format!("  {id}  {title}")));
            for c in changes {
                let line = format!(
                    "    {}: {} → {}  {}",
                    what(c),
                    value(&c.old_display, &c.old),
                    value(&c.new_display, &c.new),
                    effect_words(c)
                );
                let _ = writeln!(out, "{}", paint(&line, c.effect, color));
            }
        }
    }
    if !diff.ratings.is_empty() {
        let _ = writeln!(out);
        let _ = writeln!(out, "Ratings that change");
        for r in &diff.ratings {
            let line = format!("  {} {}  {}: {}", r.id, r.title, r.period, rating_words(r));
            let _ = writeln!(out, "{}", visible(&line));
        }
    }
    out
}

/// Rows longer than this fold into a `<details>` block.
const FOLD: usize = 15;

pub fn markdown(diff: &Diff) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "### perfcard: {}\n", escape(&diff.summary()));
    if diff.is_empty() {
        return out;
    }
    let attention: Vec<&Change> = diff
        .changes
        .iter()
        .filter(|c| matches!(c.effect, Effect::Eased | Effect::Restated) || c.retrospective)
        .collect();
    if !attention.is_empty() {
        let _ = writeln!(out, "**Needs a reviewer's attention** (targets or bands eased, figures restated, retrospective changes)\n");
        change_table(&mut out, &attention);
    }
    if !diff.ratings.is_empty() {
        let _ = writeln!(out, "\n**Ratings that change**\n");
        let mut table = String::from("| Measure | Period | Before | After |\n|---|---|---|---|\n");
        for r in &diff.ratings {
            let rag = |x: Option<crate::model::Rag>| {
                x.map_or("absent".to_string(), |r| words::rating(r).to_string())
            };
            let mut after = rag(r.new);
            if let Some(d) = &r.direction {
                if let (Some([os, ol]), Some([ns, nl])) = (d.old, d.new) {
                    after.push_str(&format!(
                        " (direction {}/{} → {}/{})",
                        os.as_str(),
                        ol.as_str(),
                        ns.as_str(),
                        nl.as_str()
                    ));
                }
            }
            let _ = writeln!(
                table,
                "| **{}** {} | {} | {} | {} |",
                escape(&r.id),
                escape(&r.title),
                r.period,
                rag(r.old),
                after
            );
        }
        fold(&mut out, &table, diff.ratings.len(), "ratings");
    }
    let rest: Vec<&Change> = diff
        .changes
        .iter()
        .filter(|c| !attention.iter().any(|a| std::ptr::eq(*a, *c)))
        .collect();
    if !rest.is_empty() {
        let _ = writeln!(out, "\n**Other changes**\n");
        let mut table = String::new();
        change_table(&mut table, &rest);
        fold(&mut out, &table, rest.len(), "changes");
    }
    out
}

fn change_table(out: &mut String, changes: &[&Change]) {
    let _ = writeln!(
        out,
        "| Measure | Change | Before | After | Effect |\n|---|---|---|---|---|"
    );
    for c in changes {
        let mut effect = format!("**{}**", c.effect.as_str());
        if c.retrospective {
            effect.push_str(" (retrospective)");
        }
        let _ = writeln!(
            out,
            "| **{}** {} | {} | {} | {} | {} |",
            escape(&c.id),
            escape(&c.title),
            escape(&what(c)),
            escape(&value(&c.old_display, &c.old)),
            escape(&value(&c.new_display, &c.new)),
            effect
        );
    }
}

fn fold(out: &mut String, table: &str, rows: usize, what: &str) {
    if rows > FOLD {
        let _ = writeln!(
            out,
            "<details><summary>{rows} {what}</summary>\n\n{table}\n</details>"
        );
    } else {
        out.push_str(table);
    }
}

#[derive(Serialize)]
struct Json<'a> {
    summary: String,
    changes: &'a [Change],
    ratings: &'a [RatingChange],
}

pub fn json(diff: &Diff) -> String {
    let json = Json {
        summary: diff.summary(),
        changes: &diff.changes,
        ratings: &diff.ratings,
    };
    let mut out = serde_json::to_string_pretty(&json).unwrap_or_default();
    out.push('\n');
    out
}

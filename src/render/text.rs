//! The terminal report: a table per group, ratings in colour and in words.

use comfy_table::{presets, Attribute, Cell, Color, ContentArrangement, Table};

use super::excerpt::visible;
use super::sections::{heading, sections};
use super::words;
use crate::model::Rag;
use crate::report::{ActionReport, MeasureReport, Report};

/// The report for a terminal. What the scorecard holds is shown with its
/// control characters escaped ([`visible`]): the only escapes printed are
/// the table's colours.
pub fn render(report: &Report, color: bool, width: usize) -> String {
    let mut out = String::new();
    let title = report.title.as_deref().unwrap_or("Performance report");
    match &report.organisation {
        Some(org) => out.push_str(&visible(&format!("{title} — {org}\n"))),
        None => out.push_str(&visible(&format!("{title}\n"))),
    }
    out.push_str(&format!("{} ({})\n", report.period, report.months));
    out.push_str(&format!("Summary: {}\n", report.summary.sentence()));
    for (path, measures, actions) in sections(report) {
        out.push('\n');
        out.push_str(&visible(&heading(
            &path,
            !measures.is_empty(),
            !actions.is_empty(),
        )));
        if let Some(group) = report.groups.iter().find(|g| g.path == path) {
            out.push_str(&format!("  ({})", words::counts(&group.summary)));
        }
        out.push('\n');
        if !measures.is_empty() {
            out.push_str(&measure_table(&measures, color, width));
            out.push('\n');
        }
        if !actions.is_empty() {
            out.push_str(&action_table(&actions, color, width));
            out.push('\n');
        }
        let commentary = words::commentary(&measures, &actions);
        if !commentary.is_empty() {
            out.push_str("Notes\n");
            for (id, line) in commentary {
                out.push_str(&wrap(&visible(&format!("  {id} {line}")), width, 4));
            }
        }
    }
    out
}

fn table(color: bool, width: usize, header: &[&str]) -> Table {
    let mut table = Table::new();
    table
        .load_preset(presets::UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic);
    table.set_width(u16::try_from(width).unwrap_or(u16::MAX));
    if color {
        table.enforce_styling();
    } else {
        table.force_no_tty();
    }
    table.set_header(
        header
            .iter()
            .map(|h| Cell::new(h).add_attribute(Attribute::Bold)),
    );
    table
}

/// A table cell showing `text` with its control characters escaped.
fn cell(text: impl AsRef<str>) -> Cell {
    Cell::new(visible(text.as_ref()))
}

fn rag_cell(rag: Rag, text: String) -> Cell {
    let cell = cell(text);
    match rag {
        Rag::Green => cell.fg(Color::Green),
        Rag::Amber => cell.fg(Color::Yellow),
        Rag::Red => cell.fg(Color::Red),
        Rag::None => cell.fg(Color::DarkGrey),
    }
}

fn measure_table(measures: &[&MeasureReport], color: bool, width: usize) -> String {
    let header = [
        "ID",
        "Measure",
        "Actual",
        "Target",
        "Variance",
        "Thresholds",
        "Rating",
        "Short term",
        "Long term",
    ];
    let mut table = table(color, width, &header);
    // Short columns keep their words whole; the long ones wrap.
    for (index, column) in table.column_iter_mut().enumerate() {
        if matches!(index, 0 | 7 | 8) {
            column.set_constraint(comfy_table::ColumnConstraint::ContentWidth);
        }
    }
    for m in measures {
        table.add_row(vec![
            cell(&m.id),
            cell(&m.title),
            cell(words::actual(m)),
            cell(words::target(m)),
            cell(words::variance(m)),
            cell(words::thresholds(m)),
            rag_cell(m.rating, words::rating_detail(m)),
            cell(words::direction(m.direction.short)),
            cell(words::direction(m.direction.long)),
        ]);
    }
    table.to_string()
}

fn action_table(actions: &[&ActionReport], color: bool, width: usize) -> String {
    let mut table = table(color, width, &["ID", "Key action", "Milestones", "Rating"]);
    for a in actions {
        table.add_row(vec![
            cell(&a.id),
            cell(&a.title),
            cell(words::milestones(a)),
            rag_cell(a.rating, words::action_rating(a)),
        ]);
    }
    table.to_string()
}

/// Wraps a line at word boundaries, indenting continuation lines.
fn wrap(text: &str, width: usize, indent: usize) -> String {
    let mut out = String::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            out.push_str(&line);
            out.push('\n');
            line = " ".repeat(indent);
        } else if !line.is_empty() {
            line.push(' ');
        } else if out.is_empty() && text.starts_with(' ') {
            line.push_str("  ");
        }
        line.push_str(word);
    }
    if !line.trim().is_empty() {
        out.push_str(&line);
        out.push('\n');
    }
    out
}

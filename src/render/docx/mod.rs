//! The Word appendix of a committee paper (`--format docx`): the title and
//! period, the summary counts, the "Needs attention" table, then a table
//! per group. A4 landscape; header rows repeat on every page; each rating
//! cell is shaded and worded.
//!
//! The document is written as WordprocessingML with the `zip` crate rather
//! than with `docx-rs`: that crate cannot mark a table's header row to
//! repeat on each page (`w:tblHeader`), which a long appendix needs, and
//! the document needs nothing else a library would add. Text from a
//! `.perf` file is always escaped (see [`escape`]).

mod package;

use super::words;
use crate::model::Rag;
use crate::report::{ActionReport, MeasureReport, Report};

pub use package::TEXT_WIDTH;

/// The Word document of the whole report.
pub fn render(report: &Report) -> zip::result::ZipResult<Vec<u8>> {
    package::pack(title(report), &body(report, false))
}

/// Only the "Needs attention" section, for an exceptions paper.
pub fn render_exceptions(report: &Report) -> zip::result::ZipResult<Vec<u8>> {
    package::pack(title(report), &body(report, true))
}

fn title(report: &Report) -> &str {
    report.title.as_deref().unwrap_or("Performance report")
}

/// Text for XML: `&`, `<`, `>` and `"` escaped, characters XML cannot
/// hold dropped.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

/// A run of text in a character style (`Strong`, `Emphasis`) or none;
/// line breaks become `w:br`.
fn run(text: &str, style: Option<&str>) -> String {
    let mut out = String::from("<w:r>");
    if let Some(style) = style {
        out.push_str(&format!("<w:rPr><w:rStyle w:val=\"{style}\"/></w:rPr>"));
    }
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push_str("<w:br/>");
        }
        out.push_str(&format!(
            "<w:t xml:space=\"preserve\">{}</w:t>",
            escape(line.trim_end_matches('\r'))
        ));
    }
    out.push_str("</w:r>");
    out
}

/// A paragraph in a paragraph style (`Title`, `Heading1`, …) or Normal.
fn paragraph(style: Option<&str>, runs: &str) -> String {
    match style {
        Some(style) => format!("<w:p><w:pPr><w:pStyle w:val=\"{style}\"/></w:pPr>{runs}</w:p>"),
        None => format!("<w:p>{runs}</w:p>"),
    }
}

fn plain(style: Option<&str>, text: &str) -> String {
    paragraph(style, &run(text, None))
}

/// A table cell: its paragraphs (each a list of runs) and its shading.
struct Cell {
    paragraphs: Vec<String>,
    fill: Option<&'static str>,
}

impl Cell {
    fn text(text: &str) -> Cell {
        Cell {
            paragraphs: vec![run(text, None)],
            fill: None,
        }
    }

    fn runs(paragraphs: Vec<String>) -> Cell {
        Cell {
            paragraphs,
            fill: None,
        }
    }

    /// The rating's word, in Strong, on the rating's colour.
    fn rating(rag: Rag, extra: &str) -> Cell {
        let mut runs = run(words::rating(rag), Some("Strong"));
        if !extra.is_empty() {
            runs.push_str(&run(&format!("\n{extra}"), None));
        }
        Cell {
            paragraphs: vec![runs],
            fill: Some(fill(rag)),
        }
    }
}

/// The shading of a rating cell: light enough for black text.
fn fill(rag: Rag) -> &'static str {
    match rag {
        Rag::Green => "C6EFCE",
        Rag::Amber => "FFEB9C",
        Rag::Red => "FFC7CE",
        Rag::None => "EDEDED",
    }
}

/// A table across the page: `weights` share out its width; the header row
/// repeats on every page and no row is split between pages.
fn table(weights: &[u32], header: &[&str], rows: Vec<Vec<Cell>>) -> String {
    let total: u32 = weights.iter().sum::<u32>().max(1);
    let widths: Vec<u32> = weights.iter().map(|w| TEXT_WIDTH * w / total).collect();
    let mut out = String::from(
        "<w:tbl><w:tblPr><w:tblStyle w:val=\"TableGrid\"/><w:tblW w:w=\"5000\" w:type=\"pct\"/><w:tblLayout w:type=\"fixed\"/><w:tblLook w:val=\"04A0\" w:firstRow=\"1\" w:lastRow=\"0\" w:firstColumn=\"0\" w:lastColumn=\"0\" w:noHBand=\"1\" w:noVBand=\"1\"/></w:tblPr><w:tblGrid>",
    );
    for w in &widths {
        out.push_str(&format!("<w:gridCol w:w=\"{w}\"/>"));
    }
    out.push_str("</w:tblGrid>");
    let header: Vec<Cell> = header.iter().map(|h| Cell::text(h)).collect();
    for (i, row) in std::iter::once(header).chain(rows).enumerate() {
        out.push_str("<w:tr><w:trPr><w:cantSplit/>");
        if i == 0 {
            out.push_str("<w:tblHeader/>");
        }
        out.push_str("</w:trPr>");
        for (cell, w) in row.iter().zip(&widths) {
            out.push_str(&format!(
                "<w:tc><w:tcPr><w:tcW w:w=\"{w}\" w:type=\"dxa\"/>"
            ));
            if let Some(fill) = cell.fill {
                out.push_str(&format!(
                    "<w:shd w:val=\"clear\" w:color=\"auto\" w:fill=\"{fill}\"/>"
                ));
            }
            out.push_str("</w:tcPr>");
            if cell.paragraphs.is_empty() {
                out.push_str("<w:p/>");
            }
            for p in &cell.paragraphs {
                out.push_str(&paragraph(None, p));
            }
            out.push_str("</w:tc>");
        }
        out.push_str("</w:tr>");
    }
    out.push_str("</w:tbl>");
    // Word needs a paragraph between two tables, or it joins them.
    out.push_str("<w:p/>");
    out
}

/// A figure with a true minus sign, as in print: `−£0.4m`, `−12pp`.
fn minus(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut previous = ' ';
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        let next = chars.peek().copied().unwrap_or(' ');
        if c == '-' && matches!(previous, ' ' | '(') && (next.is_ascii_digit() || next == '£') {
            out.push('−');
        } else {
            out.push(c);
        }
        previous = c;
    }
    out
}

fn body(report: &Report, exceptions_only: bool) -> String {
    let mut out = plain(Some("Title"), title(report));
    let mut subtitle = String::new();
    if let Some(org) = &report.organisation {
        subtitle.push_str(&format!("{org} — "));
    }
    subtitle.push_str(&format!("{} ({})", report.period, report.months));
    out.push_str(&plain(Some("Subtitle"), &subtitle));
    if !exceptions_only {
        out.push_str(&summary(report));
    }
    out.push_str(&exceptions(report));
    if !exceptions_only {
        out.push_str(&groups(report));
    }
    out
}

fn summary(report: &Report) -> String {
    let mut out = plain(Some("Heading1"), "Summary");
    out.push_str(&plain(None, &report.summary.sentence()));
    let (m, a) = (&report.counts.measures, &report.counts.actions);
    let rows = [Rag::Green, Rag::Amber, Rag::Red, Rag::None]
        .into_iter()
        .map(|rag| {
            let count = |s: &crate::report::Summary| match rag {
                Rag::Green => s.green,
                Rag::Amber => s.amber,
                Rag::Red => s.red,
                Rag::None => s.none,
            };
            vec![
                Cell::rating(rag, ""),
                Cell::text(&count(m).to_string()),
                Cell::text(&count(a).to_string()),
                Cell::text(&count(&report.summary).to_string()),
            ]
        })
        .chain(std::iter::once(vec![
            Cell::runs(vec![run("Total", Some("Strong"))]),
            Cell::text(&m.total().to_string()),
            Cell::text(&a.total().to_string()),
            Cell::text(&report.summary.total().to_string()),
        ]))
        .collect();
    out.push_str(&table(
        &[3, 2, 2, 2],
        &["Rating", "Measures", "Key actions", "All"],
        rows,
    ));
    out
}

/// The title with the owner and lead under it.
fn title_cell(title: &str, owner: &str) -> Cell {
    let mut paragraphs = vec![run(title, None)];
    if !owner.is_empty() {
        paragraphs.push(run(owner, Some("Emphasis")));
    }
    Cell::runs(paragraphs)
}

fn exceptions(report: &Report) -> String {
    let mut out = plain(Some("Heading1"), words::NEEDS_ATTENTION);
    out.push_str(&plain(None, &words::exceptions_summary(report)));
    let rows: Vec<Vec<Cell>> = words::exception_rows(report)
        .into_iter()
        .map(|row| {
            let commentary = match row.commentary.is_empty() {
                true => Cell::runs(vec![run(words::NO_COMMENTARY, Some("Emphasis"))]),
                false => Cell::runs(row.commentary.iter().map(|c| run(c, None)).collect()),
            };
            let (short, long) = match row.directions {
                Some((s, l)) => (words::direction(s), words::direction(l)),
                None => ("–", "–"),
            };
            vec![
                Cell::rating(row.rating, if row.newly_red { "Newly red" } else { "" }),
                Cell::text(row.id),
                title_cell(row.title, &row.owner),
                Cell::text(&minus(&row.actual)),
                Cell::text(&minus(&row.target)),
                Cell::text(&minus(&row.variance)),
                Cell::text(short),
                Cell::text(long),
                commentary,
            ]
        })
        .collect();
    if !rows.is_empty() {
        out.push_str(&table(
            &[7, 8, 18, 8, 8, 9, 7, 7, 28],
            &[
                "Rating",
                "ID",
                "Measure or key action",
                "Actual",
                "Target",
                "Variance",
                "Short term",
                "Long term",
                "Commentary",
            ],
            rows,
        ));
    }
    let missing = words::missing_rows(report);
    if !missing.is_empty() {
        out.push_str(&plain(Some("Heading2"), "Due this period with no figure"));
        for (m, what) in missing {
            out.push_str(&paragraph(
                None,
                &format!(
                    "{}{}",
                    run(&m.id, Some("Strong")),
                    run(&format!(" {} — {what}", m.title), None)
                ),
            ));
        }
    }
    out
}

/// Headings by depth: a group, a group in it, below that.
fn heading_style(depth: usize) -> &'static str {
    match depth {
        0 | 1 => "Heading1",
        2 => "Heading2",
        _ => "Heading3",
    }
}

fn groups(report: &Report) -> String {
    let mut sections = super::sections::sections(report);
    sections.sort_by_key(|(path, _, _)| {
        report
            .groups
            .iter()
            .position(|g| &g.path == path)
            .unwrap_or(usize::MAX)
    });
    let mut out = String::new();
    for (i, (path, measures, actions)) in sections.iter().enumerate() {
        // The groups above a nested group without a section of their own.
        for depth in 1..path.len() {
            if !sections[..i]
                .iter()
                .any(|(p, _, _)| p.starts_with(&path[..depth]))
            {
                out.push_str(&plain(Some(heading_style(depth)), &path[depth - 1]));
            }
        }
        let heading = super::sections::heading(path, !measures.is_empty(), !actions.is_empty());
        let name = path.last().unwrap_or(&heading);
        out.push_str(&plain(Some(heading_style(path.len())), name));
        if let Some(group) = report.groups.iter().find(|g| &g.path == path) {
            out.push_str(&plain(None, &words::counts(&group.summary)));
        }
        if !measures.is_empty() {
            out.push_str(&measure_table(report, measures));
        }
        if !actions.is_empty() {
            out.push_str(&action_table(actions));
        }
    }
    out
}

fn notes(m: &MeasureReport, report: &Report) -> Vec<String> {
    let mut lines: Vec<String> = m
        .notes
        .iter()
        .map(|n| match n.period == report.period {
            true => run(&n.text, None),
            false => run(&format!("{}: {}", n.period, n.text), None),
        })
        .collect();
    if let Some(why) = m
        .not_available
        .as_deref()
        .filter(|w| !w.is_empty() && !m.notes.iter().any(|n| n.text == *w))
    {
        // A reason that says it already is not said twice.
        let said = why
            .get(..13)
            .is_some_and(|start| start.eq_ignore_ascii_case("not available"));
        match said {
            true => lines.push(run(why, None)),
            false => lines.push(run(&format!("Not available: {why}"), None)),
        }
    }
    if let Some(a) = &m.assessed {
        if let Some(why) = &a.why {
            lines.push(run(
                &format!("Assessed {} ({}): {why}", words::rating(a.rating), a.period),
                None,
            ));
        }
    }
    lines
}

fn measure_table(report: &Report, measures: &[&MeasureReport]) -> String {
    let rows = measures
        .iter()
        .map(|m| {
            let mut people = Vec::new();
            people.extend(m.owner.as_ref().map(|o| format!("Owner: {o}")));
            people.extend(m.lead.as_ref().map(|l| format!("Lead: {l}")));
            let detail = words::rating_detail(m);
            let extra = detail
                .strip_prefix(words::rating(m.rating))
                .unwrap_or("")
                .trim();
            vec![
                Cell::text(&m.id),
                title_cell(&m.title, &people.join(" · ")),
                Cell::text(&minus(&words::actual(m))),
                Cell::text(&minus(&words::target(m))),
                Cell::text(&minus(&words::variance(m))),
                Cell::text(&minus(&words::thresholds(m))),
                Cell::rating(m.rating, extra),
                Cell::text(words::direction(m.direction.short)),
                Cell::text(words::direction(m.direction.long)),
                Cell::runs(notes(m, report)),
            ]
        })
        .collect();
    table(
        &[8, 17, 9, 9, 9, 11, 8, 7, 7, 19],
        &[
            "ID",
            "Measure",
            "Actual",
            "Target",
            "Variance",
            "Thresholds",
            "Rating",
            "Short term",
            "Long term",
            "Commentary",
        ],
        rows,
    )
}

fn action_table(actions: &[&ActionReport]) -> String {
    let rows = actions
        .iter()
        .map(|a| {
            let mut people = Vec::new();
            people.extend(a.owner.as_ref().map(|o| format!("Owner: {o}")));
            people.extend(a.lead.as_ref().map(|l| format!("Lead: {l}")));
            let milestones: Vec<String> = std::iter::once(run(&words::milestones(a), None))
                .chain(a.milestones.iter().map(|m| {
                    let mut line = format!("{} ({}): {}", m.state, m.period, m.title);
                    if let Some(concern) = &m.concern {
                        line.push_str(&format!(" — concern: {concern}"));
                    }
                    run(&line, None)
                }))
                .collect();
            let detail = words::action_rating(a);
            let extra = detail
                .strip_prefix(words::rating(a.rating))
                .unwrap_or("")
                .trim();
            vec![
                Cell::text(&a.id),
                title_cell(&a.title, &people.join(" · ")),
                Cell::runs(milestones),
                Cell::rating(a.rating, extra),
                Cell::runs(a.notes.iter().map(|n| run(&n.text, None)).collect()),
            ]
        })
        .collect();
    table(
        &[8, 22, 30, 10, 30],
        &["ID", "Key action", "Milestones", "Rating", "Commentary"],
        rows,
    )
}

#[cfg(test)]
mod tests {
    use super::{escape, minus};

    #[test]
    fn text_is_escaped_for_xml() {
        assert_eq!(
            escape("<w:t>a & \"b\"</w:t>\u{1}"),
            "&lt;w:t&gt;a &amp; &quot;b&quot;&lt;/w:t&gt;"
        );
    }

    #[test]
    fn figures_get_a_true_minus_and_words_keep_their_hyphens() {
        assert_eq!(minus("-12pp (-12.6%)"), "−12pp (−12.6%)");
        assert_eq!(minus("green -£0.25m to £0.25m"), "green −£0.25m to £0.25m");
        assert_eq!(minus("re-let 16-18"), "re-let 16-18");
    }
}

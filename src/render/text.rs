//! The terminal report: a table per group, ratings in colour and in words.

use comfy_table::{presets, Attribute, Cell, Color, ContentArrangement, Table};

use super::excerpt::visible;
use super::sections::{heading, sections};
use super::words;
use crate::model::Rag;
use crate::report::{ActionReport, MeasureReport, Report};

/// The report's first lines: title, organisation, period.
fn masthead(report: &Report, width: usize) -> String {
    let mut out = String::new();
    let title = report.title.as_deref().unwrap_or("Performance report");
    match &report.organisation {
        Some(org) => out.push_str(&wrap(&visible(&format!("{title} — {org}")), width, 2)),
        None => out.push_str(&wrap(&visible(title), width, 2)),
    }
    out.push_str(&format!("{} ({})\n", report.period, report.months));
    out
}

/// Only the "Needs attention" section, for an exceptions paper.
pub fn render_exceptions(report: &Report, color: bool, width: usize) -> String {
    let mut out = masthead(report, width);
    out.push('\n');
    out.push_str(&exceptions(report, color, width));
    out
}

/// The report for a terminal. What the scorecard holds is shown with its
/// control characters escaped ([`visible`]): the only escapes printed are
/// the table's colours.
pub fn render(report: &Report, color: bool, width: usize) -> String {
    let mut out = masthead(report, width);
    out.push_str(&wrap(
        &format!("Summary: {}", report.summary.sentence()),
        width,
        2,
    ));
    out.push('\n');
    out.push_str(&exceptions(report, color, width));
    for (path, measures, actions) in sections(report) {
        out.push('\n');
        let mut line =
            visible(&heading(&path, !measures.is_empty(), !actions.is_empty())).into_owned();
        if let Some(group) = report.groups.iter().find(|g| g.path == path) {
            line.push_str(&format!("  ({})", keep(&words::counts(&group.summary))));
        }
        out.push_str(&unkeep(&wrap(&line, width, 2)));
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
                out.push_str(&unkeep(&wrap(
                    &keep_periods(&visible(&format!("  {id} {line}"))),
                    width,
                    4,
                )));
            }
        }
    }
    out
}

/// The "Needs attention" section: every red, then every amber entry, each
/// with its figures and commentary, then the measures with no figure.
fn exceptions(report: &Report, color: bool, width: usize) -> String {
    const INDENT: usize = 7;
    let pad = " ".repeat(INDENT);
    let mut out = wrap(
        &format!(
            "{}: {}",
            words::NEEDS_ATTENTION,
            words::exceptions_summary(report)
        ),
        width,
        2,
    );
    for row in words::exception_rows(report) {
        out.push('\n');
        let word = words::rating(row.rating);
        let shown = if color {
            let code = match row.rating {
                Rag::Red => "31",
                _ => "33",
            };
            format!("\x1b[1;{code}m{word}\x1b[0m")
        } else {
            word.to_string()
        };
        let mut first = format!(
            "{}{} {}",
            keep(&format!("{word:<width$}", width = INDENT)),
            visible(row.id),
            visible(row.title)
        );
        if row.newly_red {
            first.push_str(" (newly red)");
        }
        out.push_str(&unkeep(&wrap(&first, width, INDENT)).replacen(word, &shown, 1));
        if !row.owner.is_empty() {
            out.push_str(&wrap(
                &visible(&format!("{pad}{}", row.owner)),
                width,
                INDENT,
            ));
        }
        let mut figures = match row.measure {
            Some(_) => format!(
                "{} · {} · {}",
                keep(&format!("Actual {}", row.actual)),
                keep(&format!("Target {}", row.target)),
                keep(&format!("Variance {}", row.variance))
            ),
            None => format!("Milestones {}", row.actual),
        };
        if let Some((short, long)) = row.directions {
            figures.push_str(&format!(
                " · {} · {}",
                keep(&format!("Short term {}", words::direction(short))),
                keep(&format!("Long term {}", words::direction(long)))
            ));
        }
        out.push_str(&unkeep(&wrap(
            &visible(&format!("{pad}{figures}")),
            width,
            INDENT,
        )));
        if row.commentary.is_empty() {
            out.push_str(&wrap(
                &format!("{pad}{}", words::NO_COMMENTARY),
                width,
                INDENT,
            ));
        }
        for line in &row.commentary {
            out.push_str(&unkeep(&wrap(
                &keep_periods(&visible(&format!("{pad}{line}"))),
                width,
                INDENT,
            )));
        }
    }
    let missing = words::missing_rows(report);
    if !missing.is_empty() {
        out.push_str("\nDue this period with no figure\n");
        for (m, what) in missing {
            out.push_str(&unkeep(&wrap(
                &keep_periods(&visible(&format!("  {} {} — {what}", m.id, m.title))),
                width,
                INDENT,
            )));
        }
    }
    out
}

/// Joins a phrase that must not be split across lines (a number with its
/// unit, a period, a rating word) with no-break spaces, which [`wrap`]
/// and the tables do not break at; [`unkeep`] turns them back.
pub fn keep(text: &str) -> String {
    text.replace(' ', "\u{a0}")
}

/// Turns the no-break spaces of [`keep`] back into spaces.
pub fn unkeep(text: &str) -> String {
    text.replace('\u{a0}', " ")
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

fn rag_cell(rag: Rag, text: String) -> Cell {
    let cell = Cell::new(text);
    match rag {
        Rag::Green => cell.fg(Color::Green),
        Rag::Amber => cell.fg(Color::Yellow),
        Rag::Red => cell.fg(Color::Red),
        Rag::None => cell.fg(Color::DarkGrey),
    }
}

/// Below this width, the measure table drops its thresholds column and
/// shows directions as arrows.
pub const FULL_WIDTH: usize = 100;

/// A direction as an arrow alone (`new` stays a word), for narrow tables.
fn arrow(direction: crate::eval::rating::Direction) -> &'static str {
    let text = words::direction(direction);
    text.split_once(' ').map_or(text, |(arrow, _)| arrow)
}

/// The actual for a table cell: a value with a short unit (`0.8 days`),
/// the rating word and a period are kept on one line.
fn kept_actual(m: &MeasureReport) -> String {
    let mut text = keep_value(&words::actual_value(m));
    if m.provisional {
        text.push_str(" (provisional)");
    }
    if m.period != m.reported && (m.actual_display.is_some() || m.not_available.is_some()) {
        text.push_str(&format!(" [{}]", keep(&m.period.to_string())));
    }
    text
}

/// A value kept whole when it is a number and a one-word unit.
fn keep_value(value: &str) -> String {
    if value.split(' ').count() <= 2 {
        keep(value)
    } else {
        value.to_string()
    }
}

/// The rating cell: the rating word kept whole, periods kept whole.
fn kept_rating(text: &str) -> String {
    keep_periods(&text.replacen("NOT RATED", "NOT\u{a0}RATED", 1))
}

/// Keeps a period written in two words (`2017/18 Q1`) on one line: a word
/// ending in a fiscal year (`2017/18`) is joined to a next word that is a
/// capital letter and digits (`Q1`).
pub fn keep_periods(text: &str) -> String {
    let is_year = |w: &str| {
        let b = w.as_bytes();
        b.len() >= 7 && {
            let y = &b[b.len() - 7..];
            y[..4].iter().all(u8::is_ascii_digit)
                && y[4] == b'/'
                && y[5..].iter().all(u8::is_ascii_digit)
        }
    };
    let is_part = |w: &str| {
        let mut chars = w.chars();
        chars.next().is_some_and(|c| c.is_ascii_uppercase())
            && chars.next().is_some_and(|c| c.is_ascii_digit())
    };
    let words: Vec<&str> = text.split(' ').collect();
    let mut out = String::with_capacity(text.len());
    for (i, word) in words.iter().enumerate() {
        if i > 0 {
            let joined = is_year(words[i - 1]) && is_part(word);
            out.push(if joined { '\u{a0}' } else { ' ' });
        }
        out.push_str(word);
    }
    out
}

/// The widest unbreakable word of a cell (words are split at spaces and
/// line breaks; [`keep`] joins what must stay together).
fn longest_word(text: &str) -> usize {
    text.split([' ', '\n'])
        .map(|w| w.chars().count())
        .max()
        .unwrap_or(0)
}

/// The widest line of a cell.
fn longest_line(text: &str) -> usize {
    text.lines().map(|l| l.chars().count()).max().unwrap_or(0)
}

/// Content widths for the columns of a table `width` columns wide: each
/// column at least as wide as its longest unbreakable word, so that no
/// number, rating, period or threshold is ever cut in two; the space left
/// shared out in proportion to what each column still wants, no column
/// getting more than its longest line. When
/// even the least widths do not fit, the table is wider than asked.
///
/// In the columns marked `soft`, only words with a digit in them (numbers,
/// periods) count as unbreakable: the last resort of a narrow terminal,
/// where a unit's long word (`population`) may be cut.
fn column_widths(rows: &[Vec<String>], header: &[&str], soft: &[bool], width: usize) -> Vec<usize> {
    let unbreakable = |i: usize, text: &str| match soft.get(i) {
        Some(true) => text
            .split([' ', '\n'])
            .filter(|w| w.chars().any(|c| c.is_ascii_digit()))
            .map(|w| w.chars().count())
            .max()
            .unwrap_or(1),
        _ => longest_word(text),
    };
    let mut least: Vec<usize> = header.iter().map(|h| longest_word(h)).collect();
    let mut most: Vec<usize> = header.iter().map(|h| longest_line(h)).collect();
    for row in rows {
        for (i, cell) in row.iter().enumerate().take(header.len()) {
            least[i] = least[i].max(unbreakable(i, cell));
            most[i] = most[i].max(longest_line(cell));
        }
    }
    // Borders between and around the columns, and a space each side.
    let frame = header.len() + 1 + 2 * header.len();
    let mut spare = width.saturating_sub(frame + least.iter().sum::<usize>());
    let mut widths = least;
    // The title's column first gets room to read (up to TITLE_WIDTH).
    if let Some(i) = header.iter().position(|h| TITLE_HEADERS.contains(h)) {
        let want = most[i].min(TITLE_WIDTH).saturating_sub(widths[i]);
        let give = want.min(spare);
        widths[i] += give;
        spare -= give;
    }
    loop {
        let wanting: Vec<usize> = (0..widths.len()).filter(|&i| widths[i] < most[i]).collect();
        if wanting.is_empty() || spare == 0 {
            break;
        }
        // In proportion to what each still wants: a long title gets more
        // than a short figure.
        let demand: usize = wanting.iter().map(|&i| most[i] - widths[i]).sum();
        let budget = spare;
        for i in wanting {
            let want = most[i] - widths[i];
            let share = (budget * want / demand.max(1)).max(1);
            let give = share.min(want).min(spare);
            widths[i] += give;
            spare -= give;
        }
    }
    widths
}

/// The columns that hold titles, and the width they get before the other
/// columns share what is left.
const TITLE_HEADERS: [&str; 2] = ["Measure", "Key action"];
const TITLE_WIDTH: usize = 20;

/// The least width a table of these rows can take without cutting a word,
/// with its title column at least [`TITLE_WIDTH`] wide (or as wide as its
/// longest title).
fn least_width(rows: &[Vec<String>], header: &[&str], soft: &[bool]) -> usize {
    let widths = column_widths(rows, header, soft, 0);
    let title = header.iter().position(|h| TITLE_HEADERS.contains(h));
    let longest_title = title.map_or(0, |i| {
        rows.iter()
            .filter_map(|r| r.get(i))
            .map(|t| longest_line(t))
            .max()
            .unwrap_or(0)
    });
    let extra = title.map_or(0, |i| {
        longest_title.min(TITLE_WIDTH).saturating_sub(widths[i])
    });
    widths.iter().sum::<usize>() + extra + header.len() * 3 + 1
}

/// A table with each column fixed to its [`column_widths`].
fn fitted_table(
    rows: Vec<Vec<String>>,
    soft: &[bool],
    ratings: &[Rag],
    rating_column: usize,
    header: &[&str],
    color: bool,
    width: usize,
) -> String {
    // What the scorecard holds is shown with its control characters escaped.
    let rows: Vec<Vec<String>> = rows
        .into_iter()
        .map(|row| row.iter().map(|t| visible(t).into_owned()).collect())
        .collect();
    let widths = column_widths(&rows, header, soft, width);
    let total: usize = widths.iter().sum::<usize>() + header.len() * 3 + 1;
    let mut table = table(color, total.max(width), header);
    for (column, w) in table.column_iter_mut().zip(&widths) {
        // The constraint counts the cell padding, one space each side.
        let w = u16::try_from(w + 2).unwrap_or(u16::MAX);
        column.set_constraint(comfy_table::ColumnConstraint::Absolute(
            comfy_table::Width::Fixed(w),
        ));
    }
    for (row, rag) in rows.into_iter().zip(ratings) {
        let cells: Vec<Cell> = row
            .into_iter()
            .enumerate()
            .map(|(i, text)| match i == rating_column {
                true => rag_cell(*rag, text),
                false => Cell::new(text),
            })
            .collect();
        table.add_row(cells);
    }
    unkeep(&table.to_string())
}

fn measure_table(measures: &[&MeasureReport], color: bool, width: usize) -> String {
    // From the fullest layout to the narrowest, the first that fits:
    // directions in words, thresholds, and the id in a column of its own.
    // Under 100 columns, directions are arrows, thresholds are dropped and
    // the id goes in the measure's cell.
    let layouts: &[(bool, bool, bool)] = if width >= FULL_WIDTH {
        &[
            (true, true, true),
            (false, true, true),
            (false, false, true),
            (false, false, false),
        ]
    } else {
        &[(false, false, false)]
    };
    let mut chosen = None;
    for &(words_for_directions, thresholds, id_column) in layouts {
        let (header, rows) = measure_rows(measures, words_for_directions, thresholds, id_column);
        let fits = least_width(&rows, &header, &[]) <= width;
        chosen = Some((header, rows));
        if fits {
            break;
        }
    }
    let Some((header, rows)) = chosen else {
        return String::new();
    };
    let ratings: Vec<Rag> = measures.iter().map(|m| m.rating).collect();
    let rating_column = header.iter().position(|h| *h == "Rating").unwrap_or(0);
    // Still too wide: the units' words in the figures' columns may break.
    let least: usize = column_widths(&rows, &header, &[], 0).iter().sum();
    let soft: Vec<bool> = match least + header.len() * 3 + 1 > width {
        true => header
            .iter()
            .map(|h| matches!(*h, "Actual" | "Target" | "Variance"))
            .collect(),
        false => Vec::new(),
    };
    fitted_table(rows, &soft, &ratings, rating_column, &header, color, width)
}

/// The header and cells of a measure table: directions in words or as
/// arrows, with or without the thresholds column.
fn measure_rows(
    measures: &[&MeasureReport],
    words_for_directions: bool,
    thresholds: bool,
    id_column: bool,
) -> (Vec<&'static str>, Vec<Vec<String>>) {
    let mut header = if id_column { vec!["ID"] } else { vec![] };
    header.extend(["Measure", "Actual", "Target", "Variance"]);
    if thresholds {
        header.push("Thresholds");
    }
    header.push("Rating");
    if words_for_directions {
        header.extend(["Short term", "Long term"]);
    } else {
        header.extend(["Short", "Long"]);
    }
    let mut rows = Vec::new();
    for m in measures {
        let mut row = if id_column {
            vec![m.id.clone(), m.title.clone()]
        } else {
            vec![format!("{} {}", m.id, m.title)]
        };
        row.extend([
            kept_actual(m),
            keep_value(&words::target(m)),
            words::variance(m),
        ]);
        if thresholds {
            // Each threshold's sign and number stay together.
            row.push(
                words::thresholds(m)
                    .split(", ")
                    .map(|t| {
                        let mut parts = t.splitn(3, ' ');
                        let head: Vec<&str> = parts.by_ref().take(2).collect();
                        let rest: Vec<&str> = parts.collect();
                        let mut text = head.join("\u{a0}");
                        if let Some(rest) = rest.first() {
                            let mut rest = rest.splitn(2, ' ');
                            if let Some(number) = rest.next() {
                                text.push('\u{a0}');
                                text.push_str(number);
                            }
                            if let Some(unit) = rest.next() {
                                text.push(' ');
                                text.push_str(unit);
                            }
                        }
                        text
                    })
                    .collect::<Vec<_>>()
                    .join(", "),
            );
        }
        row.push(kept_rating(&words::rating_detail(m)));
        if words_for_directions {
            row.push(keep(words::direction(m.direction.short)));
            row.push(keep(words::direction(m.direction.long)));
        } else {
            row.push(arrow(m.direction.short).to_string());
            row.push(arrow(m.direction.long).to_string());
        }
        rows.push(row);
    }
    (header, rows)
}

fn action_table(actions: &[&ActionReport], color: bool, width: usize) -> String {
    let header = ["ID", "Key action", "Milestones", "Rating"];
    let rows: Vec<Vec<String>> = actions
        .iter()
        .map(|a| {
            vec![
                a.id.clone(),
                a.title.clone(),
                words::milestones(a),
                kept_rating(&words::action_rating(a)),
            ]
        })
        .collect();
    let ratings: Vec<Rag> = actions.iter().map(|a| a.rating).collect();
    fitted_table(rows, &[], &ratings, 3, &header, color, width)
}

/// Wraps a line at word boundaries, indenting continuation lines.
fn wrap(text: &str, width: usize, indent: usize) -> String {
    let mut out = String::new();
    let mut line = String::new();
    // Split at plain spaces only: a no-break space (see [`keep`]) holds.
    for word in text.split([' ', '\n', '\t']).filter(|w| !w.is_empty()) {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            out.push_str(&line);
            out.push('\n');
            line = " ".repeat(indent);
        } else if !line.is_empty() {
            line.push(' ');
        } else if out.is_empty() {
            // The first line keeps the text's own indent.
            line.push_str(&" ".repeat(text.len() - text.trim_start_matches(' ').len()));
        }
        line.push_str(word);
    }
    if !line.trim().is_empty() {
        out.push_str(&line);
        out.push('\n');
    }
    out
}

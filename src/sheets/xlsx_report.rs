//! `report --format xlsx`: the rated report as a workbook — a summary
//! sheet (counts per rating and per group), a measures sheet (figures as
//! numbers with their unit as the cell format, ratings filled in RAG
//! colours and worded, directions in words, commentary, owner) and an
//! actions sheet. Every table has a frozen, filterable header row and
//! prints landscape, one page wide, with the header repeated.

use rust_decimal::Decimal;
use rust_xlsxwriter::{Color, Format, FormatBorder, Workbook, Worksheet, XlsxError};

use super::float;
use super::template::{polarity_words, properties, widths};
use crate::model::{Model, Rag, Unit};
use crate::render::words;
use crate::report::{MeasureReport, Report};

const MEASURE_HEADERS: [&str; 16] = [
    "ID",
    "Title",
    "Group",
    "Period",
    "Actual",
    "Target",
    "Unit",
    "Rating",
    "Why",
    "Thresholds",
    "Short term",
    "Long term",
    "Polarity",
    "Commentary",
    "Owner",
    "Lead",
];
const ACTION_HEADERS: [&str; 9] = [
    "ID",
    "Title",
    "Group",
    "Rating",
    "Why",
    "Milestones",
    "Owner",
    "Lead",
    "Commentary",
];

/// The rating's words and cell colours (fill, font).
fn rag_style(rag: Rag) -> (u32, u32) {
    match rag {
        Rag::Green => (0xC6EFCE, 0x006100),
        Rag::Amber => (0xFFEB9C, 0x9C5700),
        Rag::Red => (0xFFC7CE, 0x9C0006),
        Rag::None => (0xEDEDED, 0x404040),
    }
}

fn rag_format(rag: Rag) -> Format {
    let (fill, font) = rag_style(rag);
    Format::new()
        .set_bold()
        .set_background_color(Color::RGB(fill))
        .set_font_color(Color::RGB(font))
}

fn header_format() -> Format {
    Format::new()
        .set_bold()
        .set_background_color(Color::RGB(0xD9D9D9))
        .set_border_bottom(FormatBorder::Thin)
}

/// The number format of a value in `unit` shown with `places` decimals.
/// A percentage's cell holds the fraction (0.834) and shows 83.4%.
fn number_format(unit: &Unit, places: u32) -> String {
    let decimals = if places > 0 {
        format!(".{}", "0".repeat(places as usize))
    } else {
        String::new()
    };
    let clean = |s: &str| s.replace(['"', '\\'], "");
    match unit {
        Unit::Percent => format!("0{decimals}%"),
        Unit::Count | Unit::Number => format!("#,##0{decimals}"),
        Unit::Days => format!("#,##0{decimals}\" days\""),
        Unit::Money(label) => {
            let label = clean(label.as_deref().unwrap_or("£"));
            let mut chars = label.chars();
            let symbol = chars.next().map(String::from).unwrap_or_default();
            let rest: String = chars.collect();
            format!("\"{symbol}\"#,##0{decimals}\"{rest}\"")
        }
        Unit::Other(text) => format!("#,##0{decimals}\" {}\"", clean(text)),
    }
}

/// The number to write for an exact value string (`83.4`, or a fraction
/// `50/66`), and how many decimals to show.
fn number(unit: &Unit, exact: &str) -> Option<(Decimal, u32)> {
    let value = match exact.split_once('/') {
        Some((n, d)) => {
            let n: Decimal = n.parse().ok()?;
            let d: Decimal = d.parse().ok()?;
            let mut q = n.checked_div(d)?;
            if *unit == Unit::Percent {
                q = q.checked_mul(Decimal::ONE_HUNDRED)?;
            }
            q.round_dp(1).normalize()
        }
        None => exact.parse::<Decimal>().ok()?.normalize(),
    };
    let places = value.scale();
    let value = if *unit == Unit::Percent {
        // Exact: dividing by 100 only moves the decimal point.
        value.checked_div(Decimal::ONE_HUNDRED)?
    } else {
        value
    };
    Some((value, places))
}

fn write_value(
    sheet: &mut Worksheet,
    row: u32,
    column: u16,
    unit: &Unit,
    exact: Option<&str>,
    shown: Option<&str>,
) -> Result<(), XlsxError> {
    match exact.and_then(|e| number(unit, e)) {
        Some((value, places)) => {
            let format = Format::new().set_num_format(number_format(unit, places));
            sheet.write_number_with_format(row, column, float::to_f64(value), &format)?;
        }
        None => {
            if let Some(text) = shown {
                sheet.write_string(row, column, text)?;
            }
        }
    }
    Ok(())
}

/// Frozen header, autofilter, landscape, one page wide, header repeated,
/// columns sized.
fn finish_table(
    sheet: &mut Worksheet,
    headers: &[&str],
    rows: &[Vec<String>],
) -> Result<(), XlsxError> {
    let header = header_format();
    for (c, h) in headers.iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, *h, &header)?;
    }
    let last_row = rows.len() as u32;
    sheet.autofilter(0, 0, last_row, headers.len() as u16 - 1)?;
    sheet.set_freeze_panes(1, 0)?;
    sheet.set_landscape();
    sheet.set_print_fit_to_pages(1, 0);
    sheet.set_repeat_rows(0, 0)?;
    let texts: Vec<(usize, &str)> = headers
        .iter()
        .enumerate()
        .map(|(c, h)| (c, *h))
        .chain(
            rows.iter()
                .flat_map(|r| r.iter().enumerate().map(|(c, t)| (c, t.as_str()))),
        )
        .collect();
    for (c, w) in widths(headers.len(), texts.into_iter()).iter().enumerate() {
        sheet.set_column_width(c as u16, *w)?;
    }
    Ok(())
}

fn commentary(m: &MeasureReport) -> String {
    let mut lines: Vec<String> = m
        .notes
        .iter()
        .map(|n| format!("({}) {}", n.period, n.text))
        .collect();
    if let Some(why) = m.assessed.as_ref().and_then(|a| a.why.as_ref()) {
        lines.push(format!("assessed: {why}"));
    }
    if let Some(reason) = &m.not_available {
        lines.push(format!("not available: {reason}"));
    }
    lines.join("\n")
}

/// What qualifies a rating, without the rating itself: the text after
/// `AMBER` in `AMBER (reason) — assessed`, as `reason; assessed`.
fn why(detail: &str, rag: Rag) -> String {
    let rest = detail
        .strip_prefix(words::rating(rag))
        .unwrap_or(detail)
        .trim();
    // The reason may hold brackets of its own: find the one that closes.
    let close = rest.strip_prefix('(').and_then(|r| {
        let mut depth = 0usize;
        r.char_indices()
            .find_map(|(i, c)| match c {
                '(' => {
                    depth += 1;
                    None
                }
                ')' if depth == 0 => Some(i),
                ')' => {
                    depth -= 1;
                    None
                }
                _ => None,
            })
            .map(|i| (&r[..i], &r[i + 1..]))
    });
    let (reason, after) = match close {
        Some((reason, after)) => (reason.trim(), after.trim()),
        None => ("", rest),
    };
    let after = after.trim_start_matches('—').trim();
    [reason, after]
        .iter()
        .filter(|t| !t.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join("; ")
}

/// The workbook for `report` (rated from `model`).
pub fn render(report: &Report, model: &Model) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let title = report
        .title
        .clone()
        .unwrap_or_else(|| "Performance report".into());
    book.set_properties(&properties(&format!("{title}, {}", report.period))?);
    let bold = Format::new().set_bold();
    let big = Format::new().set_bold().set_font_size(14);
    let header = header_format();

    // --- Summary ---
    let sheet = book.add_worksheet();
    sheet.set_name("Summary")?;
    sheet.write_string_with_format(0, 0, &title, &big)?;
    let mut row = 1;
    if let Some(org) = &report.organisation {
        sheet.write_string(row, 0, org)?;
        row += 1;
    }
    sheet.write_string(row, 0, format!("{} ({})", report.period, report.months))?;
    row += 2;
    for (c, h) in ["Rating", "Measures", "Key actions", "Total"]
        .iter()
        .enumerate()
    {
        sheet.write_string_with_format(row, c as u16, *h, &header)?;
    }
    for rag in [Rag::Green, Rag::Amber, Rag::Red, Rag::None] {
        row += 1;
        let count = |s: &crate::report::Summary| match rag {
            Rag::Green => s.green,
            Rag::Amber => s.amber,
            Rag::Red => s.red,
            Rag::None => s.none,
        };
        sheet.write_string_with_format(row, 0, words::rating(rag), &rag_format(rag))?;
        sheet.write_number(row, 1, count(&report.counts.measures) as u32)?;
        sheet.write_number(row, 2, count(&report.counts.actions) as u32)?;
        sheet.write_number(row, 3, count(&report.summary) as u32)?;
    }
    row += 1;
    sheet.write_string_with_format(row, 0, "Total", &bold)?;
    sheet.write_number_with_format(row, 1, report.counts.measures.total() as u32, &bold)?;
    sheet.write_number_with_format(row, 2, report.counts.actions.total() as u32, &bold)?;
    sheet.write_number_with_format(row, 3, report.summary.total() as u32, &bold)?;
    if !report.groups.is_empty() {
        row += 2;
        for (c, h) in ["Group", "GREEN", "AMBER", "RED", "NOT RATED", "Total"]
            .iter()
            .enumerate()
        {
            sheet.write_string_with_format(row, c as u16, *h, &header)?;
        }
        for g in &report.groups {
            row += 1;
            sheet.write_string(row, 0, g.path.join(" › "))?;
            let s = &g.summary;
            for (c, n) in [s.green, s.amber, s.red, s.none, s.total()]
                .iter()
                .enumerate()
            {
                sheet.write_number(row, c as u16 + 1, *n as u32)?;
            }
        }
    }
    let longest = report
        .groups
        .iter()
        .map(|g| g.path.join(" › ").chars().count())
        .max()
        .unwrap_or(0)
        .max(12);
    sheet.set_column_width(0, u16::try_from(longest + 2).unwrap_or(60).min(60))?;
    for c in 1..6u16 {
        sheet.set_column_width(c, 12u16)?;
    }
    sheet.set_landscape();
    sheet.set_print_fit_to_pages(1, 0);

    // --- Measures ---
    let sheet = book.add_worksheet();
    sheet.set_name("Measures")?;
    let wrap = Format::new().set_text_wrap();
    let mut texts = Vec::new();
    for (i, m) in report.measures.iter().enumerate() {
        let r = i as u32 + 1;
        let unit = model
            .measure(&m.id)
            .map(|d| d.unit.clone())
            .unwrap_or(Unit::Number);
        let row_texts = vec![
            m.id.clone(),
            m.title.clone(),
            m.group.join(" › "),
            m.period.to_string(),
            words::actual(m),
            m.target_display.clone().unwrap_or_default(),
            m.unit.clone(),
            words::rating(m.rating).to_string(),
            why(&words::rating_detail(m), m.rating),
            words::thresholds(m),
            words::direction(m.direction.short).to_string(),
            words::direction(m.direction.long).to_string(),
            polarity_words(model.measure(&m.id).and_then(|d| d.polarity)).to_string(),
            commentary(m),
            m.owner.clone().unwrap_or_default(),
            m.lead.clone().unwrap_or_default(),
        ];
        for (c, text) in row_texts.iter().enumerate() {
            match c {
                4 => write_value(
                    sheet,
                    r,
                    4,
                    &unit,
                    m.actual.as_deref(),
                    Some(&words::actual(m)),
                )?,
                5 => write_value(
                    sheet,
                    r,
                    5,
                    &unit,
                    m.target.as_deref(),
                    m.target_display.as_deref(),
                )?,
                7 => {
                    sheet.write_string_with_format(r, 7, text, &rag_format(m.rating))?;
                }
                13 => {
                    sheet.write_string_with_format(r, 13, text, &wrap)?;
                }
                _ => {
                    sheet.write_string(r, c as u16, text)?;
                }
            }
        }
        texts.push(row_texts);
    }
    finish_table(sheet, &MEASURE_HEADERS, &texts)?;
    sheet.set_column_width(13, 60u16)?;

    // --- Actions ---
    let sheet = book.add_worksheet();
    sheet.set_name("Actions")?;
    let mut texts = Vec::new();
    for (i, a) in report.actions.iter().enumerate() {
        let r = i as u32 + 1;
        let notes: Vec<String> = a
            .notes
            .iter()
            .map(|n| format!("({}) {}", n.period, n.text))
            .collect();
        let row_texts = vec![
            a.id.clone(),
            a.title.clone(),
            a.group.join(" › "),
            words::rating(a.rating).to_string(),
            why(&words::action_rating(a), a.rating),
            words::milestones(a),
            a.owner.clone().unwrap_or_default(),
            a.lead.clone().unwrap_or_default(),
            notes.join("\n"),
        ];
        for (c, text) in row_texts.iter().enumerate() {
            match c {
                3 => {
                    sheet.write_string_with_format(r, 3, text, &rag_format(a.rating))?;
                }
                8 => {
                    sheet.write_string_with_format(r, 8, text, &wrap)?;
                }
                _ => {
                    sheet.write_string(r, c as u16, text)?;
                }
            }
        }
        texts.push(row_texts);
    }
    finish_table(sheet, &ACTION_HEADERS, &texts)?;
    book.save_to_buffer()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn why_leaves_out_the_rating() {
        assert_eq!(why("AMBER", Rag::Amber), "");
        assert_eq!(why("NOT RATED (no target)", Rag::None), "no target");
        assert_eq!(
            why("GREEN — assessed; figures say RED", Rag::Green),
            "assessed; figures say RED"
        );
        assert_eq!(why("RED (late) — assessed", Rag::Red), "late; assessed");
        assert_eq!(why("NOT RATED (n/a (strike))", Rag::None), "n/a (strike)");
    }

    #[test]
    fn number_formats_follow_the_unit() {
        assert_eq!(number_format(&Unit::Percent, 1), "0.0%");
        assert_eq!(number_format(&Unit::Count, 0), "#,##0");
        assert_eq!(
            number_format(&Unit::Money(Some("£m".into())), 2),
            "\"£\"#,##0.00\"m\""
        );
        assert_eq!(number_format(&Unit::Days, 1), "#,##0.0\" days\"");
        assert_eq!(
            number(&Unit::Percent, "83.4"),
            Some(("0.834".parse().unwrap(), 1))
        );
        assert_eq!(
            number(&Unit::Count, "1200"),
            Some(("1200".parse().unwrap(), 0))
        );
        assert_eq!(
            number(&Unit::Percent, "50/66"),
            Some(("0.758".parse().unwrap(), 1))
        );
    }
}

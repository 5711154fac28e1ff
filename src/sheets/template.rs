//! `perfcard template`: the data-collection sheet for a period.
//!
//! One row per measure due that period (a quarterly measure every quarter;
//! an annual one in the quarter its year becomes reportable, `lag`
//! considered; composites are rated from their components and have no
//! row), with what the person filling it in needs to see and empty cells
//! for the figure. The layout is one `perfcard import` reads back as it
//! is.

use rust_xlsxwriter::{
    Color, DocProperties, ExcelDateTime, Format, FormatBorder, ProtectionOptions, Workbook,
    XlsxError,
};

use crate::model::{Model, Polarity, Reading, TargetValue, Unit};
use crate::period::Period;
use crate::report::{display_value, unit_label};
use crate::Interpreter;

/// The columns, in order. `Period`, `Actual`, `Provisional` and `Note` are
/// the ones `import` reads (with `ID`).
pub const HEADERS: [&str; 13] = [
    "ID",
    "Title",
    "Group",
    "Owner",
    "Unit",
    "Polarity",
    "Target",
    "Last value",
    "Last period",
    "Period",
    "Actual",
    "Provisional",
    "Note",
];
/// The first column a person fills in (`Actual`).
const FIRST_INPUT: usize = 10;

/// One measure's row.
#[derive(Clone, Debug)]
pub struct Row {
    pub id: String,
    pub title: String,
    pub group: String,
    pub owner: String,
    pub unit: String,
    pub percent: bool,
    pub polarity: String,
    pub target: String,
    pub last_value: String,
    pub last_period: String,
    /// The period whose figure is asked for (the report's, less any lag).
    pub period: Period,
}

impl Row {
    fn cells(&self) -> [String; 10] {
        [
            self.id.clone(),
            self.title.clone(),
            self.group.clone(),
            self.owner.clone(),
            self.unit.clone(),
            self.polarity.clone(),
            self.target.clone(),
            self.last_value.clone(),
            self.last_period.clone(),
            self.period.to_string(),
        ]
    }
}

/// "higher is better" and the like.
pub fn polarity_words(polarity: Option<Polarity>) -> &'static str {
    match polarity {
        Some(Polarity::Higher) => "higher is better",
        Some(Polarity::Lower) => "lower is better",
        Some(Polarity::Target) => "closer to the target is better",
        Some(Polarity::None) => "not rated (for context)",
        Some(Polarity::Tbc) => "to be confirmed",
        None => "",
    }
}

/// The rows of the template for report period `period` (a year means its
/// last quarter), of the measures in `group` (by name, at any depth) or
/// all.
pub fn rows(model: &Model, period: Period, group: Option<&str>) -> Result<Vec<Row>, String> {
    let period = match period.quarter {
        Some(_) => period,
        None => Period::quarter(period.start, 4),
    };
    if let Some(wanted) = group {
        let known = model
            .groups
            .iter()
            .any(|g| g.name.eq_ignore_ascii_case(wanted.trim()));
        if !known {
            let names: Vec<String> = model
                .groups
                .iter()
                .map(|g| format!("`{}`", g.name))
                .collect();
            return Err(format!(
                "no group is named `{wanted}`; the groups are: {}",
                if names.is_empty() {
                    "none".into()
                } else {
                    names.join(", ")
                }
            ));
        }
    }
    let mut rows = Vec::new();
    for m in &model.measures {
        if m.composite.is_some() {
            continue;
        }
        let path = model.group_path(m.group);
        if let Some(wanted) = group {
            if !path.iter().any(|g| g.eq_ignore_ascii_case(wanted.trim())) {
                continue;
            }
        }
        let data = Interpreter::data_period(m, period);
        let due = period
            .previous()
            .is_none_or(|before| Interpreter::data_period(m, before) != data);
        if !due {
            continue;
        }
        let target = match Interpreter::target(m, data) {
            Some((_, t)) => match &t.value {
                TargetValue::Value(v) => display_value(&m.unit, v),
                TargetValue::Tbc => "tbc".into(),
            },
            None => String::new(),
        };
        let last = m
            .actuals
            .iter()
            .filter(|(p, _)| **p <= data)
            .max_by_key(|(p, _)| **p);
        let (last_value, last_period) = match last {
            Some((p, a)) => (
                match &a.reading {
                    Reading::Value { value, provisional } => format!(
                        "{}{}",
                        display_value(&m.unit, value),
                        if *provisional { " (provisional)" } else { "" }
                    ),
                    Reading::NotAvailable { .. } => "n/a".into(),
                },
                p.to_string(),
            ),
            None => (String::new(), String::new()),
        };
        rows.push(Row {
            id: m.id.clone(),
            title: m.title.clone(),
            group: path.join(" › "),
            owner: m.owner.clone().unwrap_or_default(),
            unit: unit_label(&m.unit),
            percent: m.unit == Unit::Percent,
            polarity: polarity_words(m.polarity).into(),
            target,
            last_value,
            last_period,
            period: data,
        });
    }
    Ok(rows)
}

/// The template as CSV: UTF-8 with a byte-order mark, so that Excel reads
/// `£` and `›` correctly.
pub fn csv(rows: &[Row]) -> String {
    let mut writer = csv::WriterBuilder::new().from_writer(Vec::new());
    let _ = writer.write_record(HEADERS);
    for row in rows {
        let mut record: Vec<String> = row.cells().to_vec();
        record.extend([String::new(), String::new(), String::new()]);
        let _ = writer.write_record(&record);
    }
    let bytes = writer.into_inner().unwrap_or_default();
    format!("\u{feff}{}", String::from_utf8_lossy(&bytes))
}

/// The workbook's fixed creation date, so that the same scorecard always
/// makes the same bytes.
pub fn properties(title: &str) -> Result<DocProperties, XlsxError> {
    Ok(DocProperties::new()
        .set_title(title)
        .set_author("perfcard")
        .set_creation_datetime(&ExcelDateTime::from_ymd(2000, 1, 1)?))
}

/// Column widths, in characters, from the longest text in each column.
pub fn widths<'a>(columns: usize, texts: impl Iterator<Item = (usize, &'a str)>) -> Vec<u16> {
    let mut widths = vec![8u16; columns];
    for (column, text) in texts {
        if let Some(w) = widths.get_mut(column) {
            let len = text.lines().map(|l| l.chars().count()).max().unwrap_or(0);
            *w = (*w).max(u16::try_from(len + 2).unwrap_or(u16::MAX).min(60));
        }
    }
    widths
}

/// The template as an XLSX workbook.
pub fn xlsx(rows: &[Row], model: &Model, period: Period) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let title = format!(
        "Figures for {period}{}",
        model
            .header
            .title
            .as_deref()
            .map(|t| format!(": {t}"))
            .unwrap_or_default()
    );
    book.set_properties(&properties(&title)?);
    let header = Format::new()
        .set_bold()
        .set_background_color(Color::RGB(0xD9D9D9))
        .set_border_bottom(FormatBorder::Thin);
    let input = Format::new()
        .set_unlocked()
        .set_background_color(Color::RGB(0xFFF2CC))
        .set_border(FormatBorder::Thin)
        .set_border_color(Color::RGB(0xBFBFBF));
    let percent_input = input.clone().set_num_format("0.0##%");
    let text_input = input.clone().set_num_format("@");
    let wrap = Format::new().set_text_wrap();

    let sheet = book.add_worksheet();
    sheet.set_name("Figures")?;
    for (c, h) in HEADERS.iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, *h, &header)?;
    }
    for (i, row) in rows.iter().enumerate() {
        let r = i as u32 + 1;
        for (c, text) in row.cells().iter().enumerate() {
            // Ids, periods and everything else as text cells: `1.10`
            // stays `1.10`.
            sheet.write_string(r, c as u16, text)?;
        }
        let actual = if row.percent { &percent_input } else { &input };
        sheet.write_blank(r, FIRST_INPUT as u16, actual)?;
        sheet.write_blank(r, FIRST_INPUT as u16 + 1, &text_input)?;
        sheet.write_blank(r, FIRST_INPUT as u16 + 2, &text_input)?;
    }
    let texts = rows
        .iter()
        .flat_map(|r| r.cells().into_iter().enumerate())
        .collect::<Vec<_>>();
    let widths = widths(
        HEADERS.len(),
        HEADERS
            .iter()
            .map(|h| h.to_string())
            .enumerate()
            .chain(texts)
            .collect::<Vec<_>>()
            .iter()
            .map(|(c, t)| (*c, t.as_str())),
    );
    for (c, w) in widths.iter().enumerate() {
        sheet.set_column_width(c as u16, *w)?;
    }
    sheet.set_column_width(FIRST_INPUT as u16, 12u16)?;
    sheet.set_column_width(FIRST_INPUT as u16 + 2, 50u16)?;
    sheet.set_freeze_panes(1, 1)?;
    sheet.set_landscape();
    sheet.set_print_fit_to_pages(1, 0);
    sheet.set_repeat_rows(0, 0)?;
    sheet.protect_with_options(&ProtectionOptions {
        format_columns: true,
        format_rows: true,
        ..ProtectionOptions::default()
    });

    let help = book.add_worksheet();
    help.set_name("How to fill this in")?;
    help.set_column_width(0, 100u16)?;
    let bold = Format::new().set_bold();
    help.write_string_with_format(0, 0, format!("How to fill this in: {title}"), &bold)?;
    for (i, line) in HELP.iter().enumerate() {
        help.write_string_with_format(i as u32 + 2, 0, *line, &wrap)?;
    }
    book.save_to_buffer()
}

/// The help sheet's lines.
const HELP: &[&str] = &[
    "1. On the sheet \"Figures\", each row is one measure. Fill in only the shaded cells: Actual, Provisional and Note. The other cells are locked.",
    "2. Actual: the figure for the period in the Period column. Type a number: 83.4, 1234 or 1,234. In a percentage measure's cell (formatted as a percentage) type 83.4 and it shows 83.4%.",
    "3. If there is no figure for the period, type n/a in Actual and say why in Note.",
    "4. Provisional: type yes if the figure may still change. Leave it blank when the figure is final.",
    "5. Note: commentary on the figure (what it shows, why it moved). For an n/a figure, the reason it is missing.",
    "6. Leave Actual blank when you have nothing to report: a blank cell changes nothing.",
    "7. Do not change the ID or Period cells, and do not add rows: the figures are matched to measures by ID.",
    "8. Target, Last value and Last period are there to help you check your figure.",
    "9. Save the file as it is (.xlsx) and send it back. The performance team imports it with `perfcard import`.",
];

#[cfg(test)]
mod tests {
    use super::*;

    const CARD: &str = r#"
group "Corporate" {
  measure Q1M "Quarterly" {
    unit count
    polarity higher
    target 2018/19 10
    actual 2018/19 Q1 9
  }
  measure LAG "Lagged a quarter" {
    unit percent
    polarity lower
    lag 1
    target 2018/19 5%
  }
  measure ANN "Annual" {
    unit percent
    polarity higher
    cadence annual
    target 2018/19 80%
    actual 2017/18 78%
  }
}
group "Other" {
  measure OTH "Elsewhere" { unit count polarity higher }
  measure CMP "Composite" { composite worst of Q1M, OTH }
}
"#;

    fn ids(period: &str, group: Option<&str>) -> Vec<(String, String)> {
        let (_, checked) = crate::check_files(&[("card.perf", CARD)]).unwrap();
        assert!(!checked.has_errors(), "{:?}", checked.diagnostics);
        rows(&checked.model, period.parse().unwrap(), group)
            .unwrap()
            .into_iter()
            .map(|r| (r.id, r.period.to_string()))
            .collect()
    }

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    #[test]
    fn the_measures_due_in_a_period() {
        // Q2: the quarterly measures (the lagged one for Q1); the annual
        // one is not due until its year ends; no composite.
        assert_eq!(
            ids("2018/19 Q2", None),
            pairs(&[
                ("Q1M", "2018/19 Q2"),
                ("LAG", "2018/19 Q1"),
                ("OTH", "2018/19 Q2")
            ])
        );
        // Q4: the year 2018/19 has ended, so the annual measure is due.
        assert_eq!(
            ids("2018/19 Q4", None),
            pairs(&[
                ("Q1M", "2018/19 Q4"),
                ("LAG", "2018/19 Q3"),
                ("ANN", "2018/19"),
                ("OTH", "2018/19 Q4")
            ])
        );
        assert_eq!(
            ids("2018/19 Q2", Some("other")),
            pairs(&[("OTH", "2018/19 Q2")])
        );
        let (_, checked) = crate::check_files(&[("card.perf", CARD)]).unwrap();
        let error = rows(
            &checked.model,
            "2018/19 Q2".parse().unwrap(),
            Some("Nowhere"),
        )
        .unwrap_err();
        assert!(error.contains("`Corporate`, `Other`"), "{error}");
    }

    #[test]
    fn a_row_shows_the_target_and_the_last_figure() {
        let (_, checked) = crate::check_files(&[("card.perf", CARD)]).unwrap();
        let rows = rows(&checked.model, "2018/19 Q4".parse().unwrap(), None).unwrap();
        let ann = rows.iter().find(|r| r.id == "ANN").unwrap();
        assert_eq!(
            (
                ann.target.as_str(),
                ann.last_value.as_str(),
                ann.last_period.as_str()
            ),
            ("80%", "78%", "2017/18")
        );
        assert_eq!(ann.polarity, "higher is better");
        assert!(ann.percent);
        let q = rows.iter().find(|r| r.id == "Q1M").unwrap();
        assert_eq!(
            (q.last_value.as_str(), q.group.as_str()),
            ("9", "Corporate")
        );
        let text = csv(&rows);
        assert!(text.starts_with("\u{feff}ID,Title,"));
        assert!(
            text.contains(
                "\nANN,Annual,Corporate,,percent,higher is better,80%,78%,2017/18,2018/19,,,\n"
            ),
            "{text}"
        );
    }
}

//! A figure as a sheet holds it: `83%`, `83.4`, `1,234`, `£1,234`, `n/a`,
//! or a number cell. What it means for a measure (its unit) is decided in
//! [`plan`](super::plan).

use rust_decimal::Decimal;

use super::grid::Cell;

/// What a value cell says.
#[derive(Clone, Debug, PartialEq)]
pub enum Figure {
    /// Nothing: blank means there is nothing to import.
    Blank,
    /// `n/a` (any case), `na`, `n.a.`, `not available`.
    NotAvailable,
    /// A number typed as text: `83%` (`percent`), `£1,234` (`currency`).
    Text {
        value: Decimal,
        percent: bool,
        currency: bool,
    },
    /// A number cell; `percent` when formatted as a percentage (it then
    /// holds 0.834 for 83.4%).
    Cell { value: Decimal, percent: bool },
}

/// What a value cell says, or why it is not a figure.
pub fn figure(cell: &Cell) -> Result<Figure, String> {
    match cell {
        Cell::Empty => Ok(Figure::Blank),
        Cell::Text(text) => text_figure(text),
        Cell::Number { value, percent } => Ok(Figure::Cell {
            value: *value,
            percent: *percent,
        }),
        Cell::Unrepresentable => Err("the number is too large or has too many decimal places for perfcard to hold exactly".into()),
        Cell::Bool(b) => Err(format!("`{}` is a true/false cell, not a figure", if *b { "TRUE" } else { "FALSE" })),
        Cell::Date { .. } => Err(format!("the cell holds a date ({}), not a figure: the spreadsheet may have turned what was typed into a date", cell.shown())),
        Cell::Error(e) => Err(format!("the cell shows an error ({e}), not a figure")),
    }
}

fn text_figure(text: &str) -> Result<Figure, String> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(Figure::Blank);
    }
    if matches!(
        t.to_lowercase().as_str(),
        "n/a" | "na" | "n.a." | "not available"
    ) {
        return Ok(Figure::NotAvailable);
    }
    let not_a_figure = || format!("`{t}` is text, not a figure");
    let (negative, rest) = match t.strip_prefix('-').or_else(|| t.strip_prefix('−')) {
        Some(rest) => (true, rest.trim_start()),
        None => (false, t),
    };
    let (currency, rest) = match rest.strip_prefix(['£', '$', '€']) {
        Some(rest) => (true, rest.trim_start()),
        None => (false, rest),
    };
    let (percent, digits) = match rest.strip_suffix('%') {
        Some(rest) => (true, rest.trim_end()),
        None => (false, rest),
    };
    if digits.is_empty()
        || !digits
            .chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == ',')
    {
        return Err(not_a_figure());
    }
    let (whole, fraction) = match digits.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (digits, None),
    };
    if fraction.is_some_and(|f| f.is_empty() || f.contains(['.', ','])) {
        return Err(format!(
            "`{t}` is not a number perfcard can read: a comma or point after the decimal point"
        ));
    }
    if whole.contains(',') {
        // Thousands separators: 1-3 digits, then groups of exactly three.
        let mut groups = whole.split(',');
        let first = groups.next().unwrap_or("");
        let grouped = (1..=3).contains(&first.len()) && groups.all(|g| g.len() == 3);
        if !grouped {
            return Err(format!(
                "`{t}`: the comma is not a thousands separator; if it is a decimal comma, write the figure with a point (`{}`)",
                digits.replacen(',', ".", 1)
            ));
        }
    }
    if whole.is_empty() {
        return Err(not_a_figure());
    }
    let plain = format!(
        "{}{}{}",
        if negative { "-" } else { "" },
        whole.replace(',', ""),
        fraction.map(|f| format!(".{f}")).unwrap_or_default()
    );
    let mut value: Decimal = plain.parse().map_err(|_| {
        format!("`{t}` is too large or has too many decimal places for perfcard to hold exactly")
    })?;
    value.normalize_assign();
    Ok(Figure::Text {
        value,
        percent,
        currency,
    })
}

/// What a `provisional` cell says: `yes`, `y`, `x`, `true`, `provisional`,
/// `p` or a ticked (TRUE) cell mean provisional; blank, `no`, `n`, `false`
/// mean not.
pub fn provisional(cell: &Cell) -> Result<bool, String> {
    match cell {
        Cell::Empty => Ok(false),
        Cell::Bool(b) => Ok(*b),
        Cell::Text(t) => match t.trim().to_lowercase().as_str() {
            "" | "no" | "n" | "false" => Ok(false),
            "yes" | "y" | "x" | "true" | "provisional" | "p" | "✓" | "✔" => Ok(true),
            _ => Err(format!(
                "`{}` in the provisional column: write `yes` or leave it blank",
                t.trim()
            )),
        },
        other => Err(format!(
            "`{}` in the provisional column: write `yes` or leave it blank",
            other.shown()
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(t: &str) -> Result<Figure, String> {
        figure(&Cell::Text(t.into()))
    }

    fn number(t: &str, percent: bool, currency: bool) -> Result<Figure, String> {
        Ok(Figure::Text {
            value: t.parse().unwrap(),
            percent,
            currency,
        })
    }

    #[test]
    fn figures_typed_as_text() {
        assert_eq!(text("83%"), number("83", true, false));
        assert_eq!(text(" 83.4 "), number("83.4", false, false));
        assert_eq!(text("1,234"), number("1234", false, false));
        assert_eq!(text("1,234,567.50"), number("1234567.5", false, false));
        assert_eq!(text("£1,234"), number("1234", false, true));
        assert_eq!(text("-3.5%"), number("-3.5", true, false));
        assert_eq!(text("N/A"), Ok(Figure::NotAvailable));
        assert_eq!(text("n/a"), Ok(Figure::NotAvailable));
        assert_eq!(text(""), Ok(Figure::Blank));
        assert!(text("1,5").unwrap_err().contains("decimal comma"));
        assert!(text("12,34").is_err());
        assert!(text("about 80").unwrap_err().contains("is text"));
        assert!(text("1.2.3").is_err());
        assert!(text("%").is_err());
        assert!(text(".5").is_err());
        assert!(text("99999999999999999999999999999999").is_err());
    }

    #[test]
    fn other_cells() {
        assert!(figure(&Cell::Bool(true)).is_err());
        assert!(figure(&Cell::Error("#DIV/0!".into()))
            .unwrap_err()
            .contains("#DIV/0!"));
        assert!(figure(&Cell::Date {
            year: 2017,
            month: 6,
            day: 1
        })
        .unwrap_err()
        .contains("2017-06-01"));
        assert_eq!(provisional(&Cell::Text("Yes".into())), Ok(true));
        assert_eq!(provisional(&Cell::Empty), Ok(false));
        assert!(provisional(&Cell::Text("maybe".into())).is_err());
    }
}

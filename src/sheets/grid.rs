//! A sheet read from any format, as a grid of cells, and the problems
//! found in it, each at the cell a spreadsheet shows (`Sheet1!D14`).

use std::fmt;

use rust_decimal::Decimal;

/// One cell's content, already free of binary floats.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    /// A number cell: the decimal Excel shows, and whether the cell is
    /// formatted as a percentage (then it holds 0.834 for 83.4%).
    Number {
        value: Decimal,
        percent: bool,
    },
    /// A number cell a decimal cannot hold (too large, too small).
    Unrepresentable,
    Bool(bool),
    /// A date cell (Excel turns `Jun-17` into 1 June 2017).
    Date {
        year: i32,
        month: u32,
        day: u32,
    },
    /// An error value such as `#DIV/0!`.
    Error(String),
}

impl Cell {
    pub fn is_empty(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(t) => t.trim().is_empty(),
            _ => false,
        }
    }

    /// The cell as a person reads it, for messages.
    pub fn shown(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(t) => t.clone(),
            Cell::Number { value, percent } => match percent {
                true => format!(
                    "{}%",
                    crate::exact::mul(*value, Decimal::ONE_HUNDRED)
                        .map_or(value.to_string(), |v| v.normalize().to_string())
                ),
                false => value.to_string(),
            },
            Cell::Unrepresentable => "a number too large or too small".into(),
            Cell::Bool(b) => if *b { "TRUE" } else { "FALSE" }.into(),
            Cell::Date { year, month, day } => format!("{year:04}-{month:02}-{day:02}"),
            Cell::Error(e) => e.clone(),
        }
    }
}

/// What kind of file a grid came from: it decides what a number cell's
/// format can tell.
#[derive(Clone, Copy, Debug, Eq, PartialEq)]
pub enum Source {
    /// Every cell is text.
    Csv,
    /// Number cells know whether they are formatted as percentages.
    Xlsx,
    /// XLS and ODS: number cells do not say whether they are percentages.
    OtherWorkbook,
}

/// One sheet: its name (a CSV file's is its file name without extension,
/// as Excel names it) and its rows.
#[derive(Clone, Debug)]
pub struct Grid {
    pub sheet: String,
    pub rows: Vec<Vec<Cell>>,
    pub source: Source,
}

impl Grid {
    pub fn cell(&self, row: usize, column: usize) -> &Cell {
        self.rows
            .get(row)
            .and_then(|r| r.get(column))
            .unwrap_or(&Cell::Empty)
    }

    /// `Sheet1!D14` for a 0-based row and column.
    pub fn reference(&self, row: usize, column: usize) -> String {
        cell_reference(&self.sheet, row, column)
    }
}

/// `Sheet1!D14` for a 0-based row and column; a sheet name with spaces or
/// punctuation is quoted as Excel does (`'Q1 figures'!D14`).
pub fn cell_reference(sheet: &str, row: usize, column: usize) -> String {
    let plain = sheet.chars().all(|c| c.is_alphanumeric() || c == '_') && !sheet.is_empty();
    let sheet = if plain {
        sheet.to_string()
    } else {
        format!("'{}'", sheet.replace('\'', "''"))
    };
    format!("{sheet}!{}{}", column_letters(column), row + 1)
}

/// `A`, `B`, … `Z`, `AA`, … for a 0-based column.
pub fn column_letters(column: usize) -> String {
    let mut letters = Vec::new();
    let mut n = column + 1;
    while n > 0 {
        let rem = (n - 1) % 26;
        letters.push(b'A' + rem as u8);
        n = (n - 1) / 26;
    }
    letters.reverse();
    String::from_utf8(letters).unwrap_or_default()
}

/// A problem with the data to import: where it is, what is wrong and,
/// when it helps, what to do.
#[derive(Clone, Debug, Eq, PartialEq, Ord, PartialOrd)]
pub struct Problem {
    /// `Sheet1!D14`, or `None` for the sheet (or file) as a whole.
    pub place: Option<String>,
    pub message: String,
    pub help: Option<String>,
}

impl Problem {
    pub fn at(place: impl Into<String>, message: impl Into<String>) -> Problem {
        Problem {
            place: Some(place.into()),
            message: message.into(),
            help: None,
        }
    }

    pub fn whole(message: impl Into<String>) -> Problem {
        Problem {
            place: None,
            message: message.into(),
            help: None,
        }
    }

    pub fn help(mut self, help: impl Into<String>) -> Problem {
        self.help = Some(help.into());
        self
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.place {
            Some(place) => write!(f, "{place}: {}", self.message)?,
            None => write!(f, "{}", self.message)?,
        }
        if let Some(help) = &self.help {
            write!(f, "\n  help: {help}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_are_spelt_as_excel_does() {
        assert_eq!(cell_reference("Sheet1", 13, 3), "Sheet1!D14");
        assert_eq!(cell_reference("Sheet1", 0, 25), "Sheet1!Z1");
        assert_eq!(cell_reference("Sheet1", 0, 26), "Sheet1!AA1");
        assert_eq!(cell_reference("Sheet1", 0, 701), "Sheet1!ZZ1");
        assert_eq!(cell_reference("Sheet1", 0, 702), "Sheet1!AAA1");
        assert_eq!(cell_reference("Q1 figures", 1, 0), "'Q1 figures'!A2");
        assert_eq!(cell_reference("it's", 1, 0), "'it''s'!A2");
    }
}

//! Fiscal years and quarters: `2017/18` and `2017/18 Q1`.

use std::fmt;

use serde::{Serialize, Serializer};

/// A reporting period: a whole fiscal year, or one quarter of it.
///
/// `start` is the calendar year in which the fiscal year starts (`2017` for
/// `2017/18`). Periods order by time; a year sorts before its own quarters.
#[derive(Clone, Copy, Debug, Eq, Hash, PartialEq, Ord, PartialOrd)]
pub struct Period {
    pub start: i32,
    pub quarter: Option<u8>,
}

impl Period {
    pub fn year(start: i32) -> Period {
        Period {
            start,
            quarter: None,
        }
    }

    pub fn quarter(start: i32, quarter: u8) -> Period {
        debug_assert!((1..=4).contains(&quarter));
        Period {
            start,
            quarter: Some(quarter),
        }
    }

    pub fn is_year(&self) -> bool {
        self.quarter.is_none()
    }

    /// The whole fiscal year this period lies in.
    pub fn fiscal_year(&self) -> Period {
        Period::year(self.start)
    }

    /// A running count of quarters (`2017/18 Q1` is `2017 * 4`); a whole year
    /// counts as its last quarter, the one in which it ends.
    pub fn quarter_index(&self) -> i64 {
        i64::from(self.start) * 4 + i64::from(self.quarter.unwrap_or(4)) - 1
    }

    /// The quarter with the given [`Period::quarter_index`].
    pub fn from_quarter_index(index: i64) -> Option<Period> {
        let start = i32::try_from(index.div_euclid(4)).ok()?;
        let quarter = u8::try_from(index.rem_euclid(4) + 1).ok()?;
        Some(Period::quarter(start, quarter))
    }

    /// `n` quarters earlier, keeping the kind: a year moves back by whole
    /// years (rounded up), a quarter by quarters.
    pub fn back(&self, quarters: i64) -> Option<Period> {
        match self.quarter {
            Some(_) => Period::from_quarter_index(self.quarter_index() - quarters),
            None => {
                let years = i32::try_from((quarters + 3) / 4).ok()?;
                Some(Period::year(self.start.checked_sub(years)?))
            }
        }
    }

    /// The quarter before (`2016/17 Q4` for `2017/18 Q1`), or the year before.
    pub fn previous(&self) -> Option<Period> {
        self.back(if self.is_year() { 4 } else { 1 })
    }

    /// The same quarter (or year) one year earlier.
    pub fn year_earlier(&self) -> Option<Period> {
        Some(Period {
            start: self.start.checked_sub(1)?,
            quarter: self.quarter,
        })
    }

    /// The latest whole fiscal year that has ended by the end of this period:
    /// the year itself for a year or a Q4, the previous year otherwise.
    pub fn last_ended_year(&self) -> Period {
        match self.quarter {
            None | Some(4) => Period::year(self.start),
            Some(_) => Period::year(self.start - 1),
        }
    }

    /// Month labels for a period, e.g. `Apr–Jun 2017` when the fiscal year
    /// starts in April (`year_start` is the month number, 1 = January).
    pub fn months(&self, year_start: u8) -> String {
        let first_month = i32::from(year_start.clamp(1, 12)) - 1;
        let (from, count) = match self.quarter {
            Some(q) => (first_month + (i32::from(q) - 1) * 3, 3),
            None => (first_month, 12),
        };
        let to = from + count - 1;
        let label = |m: i32| {
            let year = self.start + m.div_euclid(12);
            (MONTH_ABBREVIATIONS[m.rem_euclid(12) as usize], year)
        };
        let (from_name, from_year) = label(from);
        let (to_name, to_year) = label(to);
        if from_year == to_year {
            format!("{from_name}–{to_name} {to_year}")
        } else {
            format!("{from_name} {from_year}–{to_name} {to_year}")
        }
    }
}

const MONTH_ABBREVIATIONS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// Month names as the `year-start` field accepts them.
pub const MONTH_NAMES: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// Why a year or quarter as written is not a period.
#[derive(Clone, Debug, Eq, PartialEq)]
pub enum PeriodError {
    /// `2017/19`: the second half is not the next year.
    NotConsecutive { expected: String },
    /// `17/18`, `2017/2018`, `2017/8`.
    YearShape,
    /// `Q0`, `Q5`.
    Quarter,
}

/// Reads a fiscal year written `2017/18`.
pub fn parse_year(text: &str) -> Result<i32, PeriodError> {
    let (first, second) = text.split_once('/').ok_or(PeriodError::YearShape)?;
    if first.len() != 4 || second.len() != 2 {
        return Err(PeriodError::YearShape);
    }
    let start: i32 = first.parse().map_err(|_| PeriodError::YearShape)?;
    let end: i32 = second.parse().map_err(|_| PeriodError::YearShape)?;
    if end != (start + 1) % 100 {
        return Err(PeriodError::NotConsecutive {
            expected: format!("{start}/{:02}", (start + 1) % 100),
        });
    }
    Ok(start)
}

/// Reads a quarter written `Q1`..`Q4`.
pub fn parse_quarter(text: &str) -> Result<u8, PeriodError> {
    let digits = text.get(1..).ok_or(PeriodError::Quarter)?;
    match digits.parse::<u8>() {
        Ok(q @ 1..=4) => Ok(q),
        _ => Err(PeriodError::Quarter),
    }
}

/// A period spelt out (`2017/18 Q1`) without allocating: a large report
/// writes millions of them.
struct Spelt {
    bytes: [u8; 24],
    len: usize,
}

impl Spelt {
    fn push(&mut self, byte: u8) {
        self.bytes[self.len] = byte;
        self.len += 1;
    }

    fn push_number(&mut self, n: u32, min_digits: usize) {
        let mut digits = [0u8; 10];
        let mut count = 0;
        let mut rest = n;
        while rest > 0 || count < min_digits.max(1) {
            digits[count] = b'0' + (rest % 10) as u8;
            rest /= 10;
            count += 1;
        }
        for &d in digits[..count].iter().rev() {
            self.push(d);
        }
    }

    fn as_str(&self) -> &str {
        // Only ASCII digits, `-`, `/`, ` ` and `Q` are ever pushed.
        std::str::from_utf8(&self.bytes[..self.len]).unwrap_or("")
    }
}

impl Period {
    /// `2017/18`, `2017/18 Q1`: the year, the last two digits of the next
    /// year, and the quarter.
    fn spelt(&self) -> Spelt {
        // At most 11 characters for the year, 3 for `/NN`, 5 for ` Q255`.
        let mut out = Spelt {
            bytes: [0; 24],
            len: 0,
        };
        if self.start < 0 {
            out.push(b'-');
        }
        out.push_number(self.start.unsigned_abs(), 1);
        out.push(b'/');
        out.push_number((self.start + 1).rem_euclid(100).unsigned_abs(), 2);
        if let Some(q) = self.quarter {
            out.push(b' ');
            out.push(b'Q');
            out.push_number(u32::from(q), 1);
        }
        out
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.spelt().as_str())
    }
}

impl Serialize for Period {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.spelt().as_str())
    }
}

/// A period is written as text in JSON: `2017/18` or `2017/18 Q1`.
impl schemars::JsonSchema for Period {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Period".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "A period as perfcard writes it: a fiscal year (`2017/18`) or a quarter of one (`2017/18 Q1`).",
            "type": "string",
        })
    }
}

impl std::str::FromStr for Period {
    type Err = PeriodError;

    /// Reads `2017/18` or `2017/18 Q1` (as on the command line).
    fn from_str(text: &str) -> Result<Period, PeriodError> {
        let mut words = text.split_whitespace();
        let start = parse_year(words.next().ok_or(PeriodError::YearShape)?)?;
        let period = match words.next() {
            None => Period::year(start),
            Some(q) if q.starts_with(['Q', 'q']) => Period::quarter(start, parse_quarter(q)?),
            Some(_) => return Err(PeriodError::Quarter),
        };
        if words.next().is_some() {
            return Err(PeriodError::YearShape);
        }
        Ok(period)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(text: &str) -> Period {
        text.parse().unwrap()
    }

    #[test]
    fn order_and_neighbours() {
        assert!(p("2016/17 Q4") < p("2017/18 Q1"));
        assert_eq!(p("2017/18 Q1").previous(), Some(p("2016/17 Q4")));
        assert_eq!(p("2017/18 Q1").year_earlier(), Some(p("2016/17 Q1")));
        assert_eq!(p("2017/18").previous(), Some(p("2016/17")));
        assert_eq!(p("2017/18 Q3").back(5), Some(p("2016/17 Q2")));
        assert_eq!(p("2017/18 Q1").last_ended_year(), p("2016/17"));
        assert_eq!(p("2017/18 Q4").last_ended_year(), p("2017/18"));
    }

    #[test]
    fn years_must_be_consecutive() {
        assert_eq!(parse_year("1999/00"), Ok(1999));
        assert!(matches!(
            parse_year("2017/19"),
            Err(PeriodError::NotConsecutive { .. })
        ));
        assert_eq!(parse_year("2017/2018"), Err(PeriodError::YearShape));
        assert_eq!(parse_quarter("Q5"), Err(PeriodError::Quarter));
        assert_eq!(p("1999/00 Q2").to_string(), "1999/00 Q2");
    }

    #[test]
    fn periods_are_spelt_as_format_would() {
        for start in [-12, 0, 7, 99, 999, 1999, 2017, 9999, 123_456] {
            for quarter in [None, Some(1), Some(4), Some(12)] {
                let period = Period { start, quarter };
                let mut expected = format!("{}/{:02}", start, (start + 1).rem_euclid(100));
                if let Some(q) = quarter {
                    expected.push_str(&format!(" Q{q}"));
                }
                assert_eq!(period.to_string(), expected);
                assert_eq!(
                    serde_json::to_string(&period).unwrap(),
                    format!("\"{expected}\"")
                );
            }
        }
    }

    #[test]
    fn month_labels() {
        assert_eq!(p("2017/18 Q1").months(4), "Apr–Jun 2017");
        assert_eq!(p("2017/18 Q4").months(4), "Jan–Mar 2018");
        assert_eq!(p("2017/18 Q1").months(1), "Jan–Mar 2017");
        assert_eq!(p("2017/18").months(4), "Apr 2017–Mar 2018");
    }
}

//! Fiscal years and quarters: `2017/18` and `2017/18 Q1`.

use std::fmt;

use serde::{Serialize, Serializer};

pub use crate::date::Date;

/// A reporting period: a whole fiscal year, a quarter or a month of it, or
/// (version 1) a calendar or academic year.
///
/// `start` is the calendar year in which the year starts (`2017` for
/// `2017/18`, `2011` for the calendar year `2011`). A month keeps both its
/// place in the fiscal year (which depends on the header's `year-start`) and
/// its calendar month (its name). The derived order is a total order used
/// for lookups; for time order use [`Period::last_month`].
#[derive(Clone, Copy, Debug, Eq, Hash, PartialEq, Ord, PartialOrd)]
pub struct Period {
    pub start: i32,
    pub part: Part,
}

/// Which part of its year a period is.
#[derive(Clone, Copy, Debug, Eq, Hash, PartialEq, Ord, PartialOrd)]
pub enum Part {
    /// The whole fiscal year (`2017/18`).
    Year,
    /// `Q1`..`Q4` of the fiscal year.
    Quarter(u8),
    /// A month: its place in the fiscal year (1..=12), then its calendar
    /// month (1 = January), which names it.
    Month(u8, u8),
    /// A calendar year, January to December (`2011`).
    Calendar,
    /// An academic year, September to August (`2016/17`).
    Academic,
}

/// The month a calendar month has in a fiscal year starting in `year_start`.
fn place(month: u8, year_start: u8) -> u8 {
    ((i32::from(month) - i32::from(year_start.clamp(1, 12))).rem_euclid(12) + 1) as u8
}

impl Period {
    pub fn year(start: i32) -> Period {
        Period {
            start,
            part: Part::Year,
        }
    }

    pub fn quarter(start: i32, quarter: u8) -> Period {
        debug_assert!((1..=4).contains(&quarter));
        Period {
            start,
            part: Part::Quarter(quarter),
        }
    }

    /// The calendar month `month` (1 = January) of the fiscal year `start`,
    /// which starts in the month `year_start`.
    pub fn month(start: i32, month: u8, year_start: u8) -> Period {
        debug_assert!((1..=12).contains(&month));
        Period {
            start,
            part: Part::Month(place(month, year_start), month),
        }
    }

    pub fn calendar(year: i32) -> Period {
        Period {
            start: year,
            part: Part::Calendar,
        }
    }

    pub fn academic(start: i32) -> Period {
        Period {
            start,
            part: Part::Academic,
        }
    }

    /// The same period for a fiscal year starting in `year_start` (only a
    /// month's place in the year changes).
    pub fn with_year_start(self, year_start: u8) -> Period {
        match self.part {
            Part::Month(_, m) => Period::month(self.start, m, year_start),
            _ => self,
        }
    }

    /// The quarter number, for a quarter.
    pub fn quarter_number(&self) -> Option<u8> {
        match self.part {
            Part::Quarter(q) => Some(q),
            _ => None,
        }
    }

    /// A whole fiscal year.
    pub fn is_year(&self) -> bool {
        self.part == Part::Year
    }

    /// Any whole year: fiscal, calendar or academic.
    pub fn is_whole_year(&self) -> bool {
        matches!(self.part, Part::Year | Part::Calendar | Part::Academic)
    }

    pub fn is_month(&self) -> bool {
        matches!(self.part, Part::Month(..))
    }

    pub fn is_quarter(&self) -> bool {
        matches!(self.part, Part::Quarter(_))
    }

    /// The whole fiscal year this period lies in (for a calendar or academic
    /// year: the year itself).
    pub fn fiscal_year(&self) -> Period {
        match self.part {
            Part::Calendar | Part::Academic => *self,
            _ => Period::year(self.start),
        }
    }

    /// The fiscal quarter a month lies in; a quarter itself otherwise.
    pub fn containing_quarter(&self) -> Option<Period> {
        match self.part {
            Part::Quarter(_) => Some(*self),
            Part::Month(place, _) => Some(Period::quarter(self.start, place.div_ceil(3))),
            _ => None,
        }
    }

    /// The first month of the period, as a running count of months
    /// (`year * 12 + month - 1`), for a fiscal year starting in `year_start`.
    pub fn first_month(&self, year_start: u8) -> i64 {
        let year = i64::from(self.start) * 12;
        let fiscal = year + i64::from(year_start.clamp(1, 12)) - 1;
        match self.part {
            Part::Year => fiscal,
            Part::Quarter(q) => fiscal + (i64::from(q) - 1) * 3,
            Part::Month(place, _) => fiscal + i64::from(place) - 1,
            Part::Calendar => year,
            Part::Academic => year + 8,
        }
    }

    /// The last month of the period (see [`Period::first_month`]).
    pub fn last_month(&self, year_start: u8) -> i64 {
        let length = match self.part {
            Part::Quarter(_) => 3,
            Part::Month(..) => 1,
            _ => 12,
        };
        self.first_month(year_start) + length - 1
    }

    /// The month whose running count is `index` (see [`Period::first_month`]).
    pub fn from_month_index(index: i64, year_start: u8) -> Option<Period> {
        let month = u8::try_from(index.rem_euclid(12) + 1).ok()?;
        let relative = index - (i64::from(year_start.clamp(1, 12)) - 1);
        let start = i32::try_from(relative.div_euclid(12)).ok()?;
        Some(Period::month(start, month, year_start))
    }

    /// The latest period like this one (a month, quarter, fiscal, calendar
    /// or academic year) that has ended by the end of the month `index`.
    pub fn latest_ended(&self, index: i64, year_start: u8) -> Option<Period> {
        let ys = i64::from(year_start.clamp(1, 12));
        let done = index + 1; // months completed, counting from year 0 January
        let fiscal_done = done - (ys - 1);
        let year = |n: i64| i32::try_from(n).ok();
        Some(match self.part {
            Part::Month(..) => Period::from_month_index(index, year_start)?,
            Part::Quarter(_) => Period::from_quarter_index(fiscal_done.div_euclid(3) - 1)?,
            Part::Year => Period::year(year(fiscal_done.div_euclid(12) - 1)?),
            Part::Calendar => Period::calendar(year(done.div_euclid(12) - 1)?),
            Part::Academic => Period::academic(year((done - 8).div_euclid(12) - 1)?),
        })
    }

    /// A running count of quarters (`2017/18 Q1` is `2017 * 4`); a whole year
    /// counts as its last quarter, a month as its quarter.
    pub fn quarter_index(&self) -> i64 {
        let q = match self.part {
            Part::Quarter(q) => q,
            Part::Month(place, _) => place.div_ceil(3),
            _ => 4,
        };
        i64::from(self.start) * 4 + i64::from(q) - 1
    }

    /// The quarter with the given [`Period::quarter_index`].
    pub fn from_quarter_index(index: i64) -> Option<Period> {
        let start = i32::try_from(index.div_euclid(4)).ok()?;
        let quarter = u8::try_from(index.rem_euclid(4) + 1).ok()?;
        Some(Period::quarter(start, quarter))
    }

    /// `n` quarters earlier, keeping the kind: a year moves back by whole
    /// years (rounded up), a quarter by quarters, a month by `3n` months.
    pub fn back(&self, quarters: i64) -> Option<Period> {
        match self.part {
            Part::Quarter(_) => Period::from_quarter_index(self.quarter_index() - quarters),
            Part::Month(..) => self.back_months(quarters.checked_mul(3)?),
            _ => {
                let years = i32::try_from((quarters + 3) / 4).ok()?;
                Some(Period {
                    start: self.start.checked_sub(years)?,
                    part: self.part,
                })
            }
        }
    }

    /// `n` months earlier (a month; other periods are moved by quarters or
    /// years, rounded up).
    pub fn back_months(&self, months: i64) -> Option<Period> {
        match self.part {
            Part::Month(place, month) => {
                let index = i64::from(self.start) * 12 + i64::from(place) - 1 - months;
                let start = i32::try_from(index.div_euclid(12)).ok()?;
                let place = u8::try_from(index.rem_euclid(12) + 1).ok()?;
                let month =
                    u8::try_from((i64::from(month) - 1 - months).rem_euclid(12) + 1).ok()?;
                Some(Period {
                    start,
                    part: Part::Month(place, month),
                })
            }
            _ => self.back((months + 2) / 3),
        }
    }

    /// The quarter (or month) before, or the year before.
    pub fn previous(&self) -> Option<Period> {
        match self.part {
            Part::Month(..) => self.back_months(1),
            Part::Quarter(_) => self.back(1),
            _ => self.back(4),
        }
    }

    /// The same quarter, month or year one year earlier.
    pub fn year_earlier(&self) -> Option<Period> {
        Some(Period {
            start: self.start.checked_sub(1)?,
            part: self.part,
        })
    }

    /// Whether this is the last quarter or month of its fiscal year.
    pub fn ends_year(&self) -> bool {
        matches!(self.part, Part::Quarter(4) | Part::Month(12, _)) || self.is_whole_year()
    }

    /// The latest whole fiscal year that has ended by the end of this period:
    /// the year itself for a year or a Q4, the previous year otherwise.
    pub fn last_ended_year(&self) -> Period {
        if self.ends_year() {
            Period::year(self.start)
        } else {
            Period::year(self.start - 1)
        }
    }

    /// Month labels for a period, e.g. `Apr–Jun 2017` when the fiscal year
    /// starts in April (`year_start` is the month number, 1 = January).
    pub fn months(&self, year_start: u8) -> String {
        let from = self.first_month(year_start);
        let to = self.last_month(year_start);
        let label = |m: i64| {
            (
                MONTH_ABBREVIATIONS[m.rem_euclid(12) as usize],
                m.div_euclid(12),
            )
        };
        let (from_name, from_year) = label(from);
        let (to_name, to_year) = label(to);
        if from == to {
            format!("{from_name} {from_year}")
        } else if from_year == to_year {
            format!("{from_name}–{to_name} {to_year}")
        } else {
            format!("{from_name} {from_year}–{to_name} {to_year}")
        }
    }
}

/// The three-letter English month names, January first.
pub const MONTH_ABBREVIATIONS: [&str; 12] = [
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
    /// Not a month name.
    Month,
}

/// Reads a month name: the three-letter English abbreviation or the full
/// name, in any case (`Apr`, `apr`, `April`). Returns 1 for January.
pub fn parse_month(text: &str) -> Option<u8> {
    let lower = text.to_ascii_lowercase();
    MONTH_NAMES
        .iter()
        .position(|name| *name == lower || (lower.len() == 3 && name.starts_with(&lower)))
        .and_then(|i| u8::try_from(i + 1).ok())
}

/// Reads a calendar year written with four digits (`2011`).
pub fn parse_calendar_year(text: &str) -> Result<i32, PeriodError> {
    if text.len() != 4 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(PeriodError::YearShape);
    }
    text.parse().map_err(|_| PeriodError::YearShape)
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
        // Only ASCII digits, `-`, `/`, ` `, `Q` and month names are pushed.
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
        if self.part == Part::Calendar {
            return out;
        }
        out.push(b'/');
        out.push_number((self.start + 1).rem_euclid(100).unsigned_abs(), 2);
        match self.part {
            Part::Quarter(q) => {
                out.push(b' ');
                out.push(b'Q');
                out.push_number(u32::from(q), 1);
            }
            Part::Month(_, m) => {
                out.push(b' ');
                let name = MONTH_ABBREVIATIONS[usize::from(m.clamp(1, 12)) - 1];
                for b in name.bytes() {
                    out.push(b);
                }
            }
            _ => {}
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

    /// Reads `2017/18`, `2017/18 Q1`, `2017/18 Apr` (a month of a year
    /// starting in April: see [`Period::with_year_start`]) or `2011` (as on
    /// the command line).
    fn from_str(text: &str) -> Result<Period, PeriodError> {
        let mut words = text.split_whitespace();
        let first = words.next().ok_or(PeriodError::YearShape)?;
        if !first.contains('/') {
            let year = parse_calendar_year(first)?;
            return match words.next() {
                None => Ok(Period::calendar(year)),
                Some(_) => Err(PeriodError::YearShape),
            };
        }
        let start = parse_year(first)?;
        let period = match words.next() {
            None => Period::year(start),
            Some(q)
                if q.starts_with(['Q', 'q'])
                    && q.len() > 1
                    && q[1..].bytes().all(|b| b.is_ascii_digit()) =>
            {
                Period::quarter(start, parse_quarter(q)?)
            }
            Some(m) => Period::month(start, parse_month(m).ok_or(PeriodError::Month)?, 4),
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
                let part = quarter.map_or(Part::Year, Part::Quarter);
                let period = Period { start, part };
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

    #[test]
    fn months_calendar_and_academic_years() {
        assert_eq!(p("2017/18 Jan").to_string(), "2017/18 Jan");
        assert_eq!(p("2017/18 april").to_string(), "2017/18 Apr");
        assert_eq!(p("2011").to_string(), "2011");
        assert_eq!(Period::academic(2016).to_string(), "2016/17");
        assert_eq!(p("2017/18 Apr").previous(), Some(p("2016/17 Mar")));
        assert_eq!(p("2017/18 Jan").previous(), Some(p("2017/18 Dec")));
        assert_eq!(p("2017/18 May").year_earlier(), Some(p("2016/17 May")));
        assert_eq!(p("2017/18 Jun").containing_quarter(), Some(p("2017/18 Q1")));
        assert_eq!(p("2017/18 Jan").months(4), "Jan 2018");
        // With a January year start, `2017/18 Apr` is April 2017, in Q2.
        let april = p("2017/18 Apr").with_year_start(1);
        assert_eq!(april.months(1), "Apr 2017");
        assert_eq!(april.containing_quarter(), Some(p("2017/18 Q2")));
        assert_eq!(p("2017/18 Q1").months(1), "Jan–Mar 2017");
    }

    #[test]
    fn latest_ended() {
        let end = |text: &str| p(text).last_month(4);
        let calendar = Period::calendar(0);
        let academic = Period::academic(0);
        // Calendar 2011 ends in December 2011: reported from 2011/12 Q3.
        assert_eq!(calendar.latest_ended(end("2011/12 Q3"), 4), Some(p("2011")));
        assert_eq!(calendar.latest_ended(end("2011/12 Q2"), 4), Some(p("2010")));
        // Academic 2016/17 ends in August 2017: reported from 2017/18 Q2.
        assert_eq!(
            academic.latest_ended(end("2017/18 Q2"), 4),
            Some(Period::academic(2016))
        );
        assert_eq!(
            academic.latest_ended(end("2017/18 Q1"), 4),
            Some(Period::academic(2015))
        );
        assert_eq!(
            academic.latest_ended(end("2017/18 Aug"), 4),
            Some(Period::academic(2016))
        );
        assert_eq!(
            academic.latest_ended(end("2017/18 Jul"), 4),
            Some(Period::academic(2015))
        );
        let quarter = Period::quarter(0, 1);
        assert_eq!(
            quarter.latest_ended(end("2017/18 May"), 4),
            Some(p("2016/17 Q4"))
        );
        assert_eq!(
            quarter.latest_ended(end("2017/18 Jun"), 4),
            Some(p("2017/18 Q1"))
        );
        let year = Period::year(0);
        assert_eq!(year.latest_ended(end("2017/18 Feb"), 4), Some(p("2016/17")));
        assert_eq!(year.latest_ended(end("2017/18 Mar"), 4), Some(p("2017/18")));
        let month = p("2000/01 Apr");
        assert_eq!(
            month.latest_ended(end("2017/18 Q1"), 4),
            Some(p("2017/18 Jun"))
        );
        assert_eq!(
            month.latest_ended(end("2017/18 Q1") - 2, 4),
            Some(p("2017/18 Apr"))
        );
    }
}

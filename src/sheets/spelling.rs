//! The ways a sheet spells a period, turned into perfcard's own spelling
//! (`2017/18 Q1`, `2017/18 Jun`, `2017/18`, `2011`), which the crate's
//! period parser then reads. Months and calendar years are spelt out here
//! even where this build's periods do not have them yet: the parser says
//! so, and the import reports it at the cell.
//!
//! Accepted (case, spaces, `_` and dashes of any kind ignored; docs/import.md
//! lists them): `2017/18 Q1`, `Q1 2017/18`, `2017-18 Q1`, `2017/2018 Q1`,
//! `17/18 Q1`, `FY2017/18 Q1`, `Qtr 1 2017/18`, `Quarter 1 2017/18`;
//! `Apr-Jun 2017`, `Apr 2017 - Jun 2017`, `April–June 2017`; months
//! `2017/18 Jun`, `Jun 2017`, `June 2017`, `Jun-17`, and a date cell (its
//! month); years `2017/18`, `2017-18` and calendar years `2017`.

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];
const MONTH_LABELS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

#[derive(Clone, Debug, PartialEq)]
enum Token {
    Number(String),
    Word(String),
    Slash,
    Dash,
}

fn tokens(text: &str) -> Option<Vec<Token>> {
    let mut out = Vec::new();
    let mut chars = text.chars().peekable();
    while let Some(&c) = chars.peek() {
        if c.is_ascii_digit() {
            let mut n = String::new();
            while let Some(&d) = chars.peek().filter(|d| d.is_ascii_digit()) {
                n.push(d);
                chars.next();
            }
            out.push(Token::Number(n));
        } else if c.is_alphabetic() {
            let mut w = String::new();
            while let Some(&l) = chars.peek().filter(|l| l.is_alphabetic()) {
                w.extend(l.to_lowercase());
                chars.next();
            }
            out.push(Token::Word(w));
        } else {
            match c {
                '/' => out.push(Token::Slash),
                '-' | '–' | '—' | '‐' | '‑' => out.push(Token::Dash),
                c if c.is_whitespace() || c == '_' || c == ',' || c == '.' => {}
                _ => return None,
            }
            chars.next();
        }
    }
    Some(out)
}

fn month_number(word: &str) -> Option<u32> {
    const FULL: [&str; 12] = [
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
    MONTHS
        .iter()
        .position(|m| *m == word)
        .or_else(|| FULL.iter().position(|m| *m == word))
        .or_else(|| (word == "sept").then_some(8))
        .map(|i| i as u32 + 1)
}

/// `2017/18`: the year a fiscal year starts in.
fn fiscal_year(first: &str, second: &str) -> Option<i32> {
    let (start, end): (i32, i32) = match (first.len(), second.len()) {
        (4, 2) => (first.parse().ok()?, second.parse().ok()?),
        (4, 4) => {
            let start: i32 = first.parse().ok()?;
            let end: i32 = second.parse().ok()?;
            (start, end % 100)
        }
        (2, 2) => (2000 + first.parse::<i32>().ok()?, second.parse().ok()?),
        _ => return None,
    };
    ((start + 1) % 100 == end).then_some(start)
}

/// A fiscal year's spelling, `2017/18`.
pub fn year_text(start: i32) -> String {
    format!("{start}/{:02}", (start + 1).rem_euclid(100))
}

/// The spelling of a calendar month (`2017`, 6) in the fiscal year that
/// holds it, e.g. `2017/18 Jun` when years start in April.
pub fn month_text(year: i32, month: u32, year_start: u8) -> String {
    let start = u32::from(year_start.clamp(1, 12));
    let fiscal = if month >= start { year } else { year - 1 };
    format!(
        "{} {}",
        year_text(fiscal),
        MONTH_LABELS[(month as usize - 1) % 12]
    )
}

/// perfcard's spelling of a period written `text` in a sheet, or `None`
/// when it is not a period in any accepted spelling.
pub fn canonical(text: &str, year_start: u8) -> Option<String> {
    let tokens = tokens(text.trim())?;
    let mut fiscal: Option<i32> = None;
    let mut quarter: Option<u8> = None;
    let mut months: Vec<u32> = Vec::new();
    let mut years: Vec<i32> = Vec::new();
    let mut i = 0;
    let set = |slot: &mut Option<i32>, value: i32| match slot.replace(value) {
        None => Some(()),
        Some(_) => None,
    };
    while i < tokens.len() {
        match (&tokens[i], tokens.get(i + 1), tokens.get(i + 2)) {
            (Token::Number(a), Some(Token::Slash | Token::Dash), Some(Token::Number(b)))
                if fiscal_year(a, b).is_some()
                    && !(a.len() == 2 && tokens[i + 1] == Token::Dash) =>
            {
                set(&mut fiscal, fiscal_year(a, b)?)?;
                i += 3;
            }
            (Token::Word(w), _, _) if w == "fy" => i += 1,
            (Token::Word(w), Some(Token::Number(n)), _)
                if matches!(w.as_str(), "q" | "qtr" | "quarter") && n.len() == 1 =>
            {
                let q: u8 = n.parse().ok()?;
                if !(1..=4).contains(&q) || quarter.replace(q).is_some() {
                    return None;
                }
                i += 2;
            }
            (Token::Word(w), _, _) => {
                months.push(month_number(w)?);
                i += 1;
                // `Jun-17`, `Jun 17`: a two-digit year after a month.
                let two_digits = |t: Option<&Token>| match t {
                    Some(Token::Number(n)) if n.len() == 2 => n.parse::<i32>().ok(),
                    _ => None,
                };
                if let Some(y) = two_digits(tokens.get(i)) {
                    years.push(2000 + y);
                    i += 1;
                } else if tokens.get(i) == Some(&Token::Dash) {
                    if let Some(y) = two_digits(tokens.get(i + 1)) {
                        years.push(2000 + y);
                        i += 2;
                    }
                }
            }
            (Token::Number(n), _, _) if n.len() == 4 => {
                years.push(n.parse().ok()?);
                i += 1;
            }
            // A dash between two months (`Apr-Jun`) or between a month's
            // year and the next month (`Apr 2017 - Jun 2017`).
            (Token::Dash, _, _) if !months.is_empty() => i += 1,
            _ => return None,
        }
    }
    let start = u32::from(year_start.clamp(1, 12));
    match (fiscal, quarter, months.as_slice(), years.as_slice()) {
        (Some(f), Some(q), [], []) => Some(format!("{} Q{q}", year_text(f))),
        (Some(f), None, [m], []) => Some(format!(
            "{} {}",
            year_text(f),
            MONTH_LABELS[*m as usize - 1]
        )),
        (Some(f), None, [], []) => Some(year_text(f)),
        (None, None, [m], [y]) => Some(month_text(*y, *m, year_start)),
        (None, None, [first, last], [.., y]) => {
            if years.len() == 2 {
                // `Apr 2017 - Jun 2017`, `Nov 2017 - Jan 2018`.
                let (y1, y2) = (years[0], years[1]);
                if y2 != y1 + i32::from(last < first) {
                    return None;
                }
            }
            if (last + 12 - first) % 12 != 2 {
                return None;
            }
            let first_year = if first <= last { *y } else { *y - 1 };
            let offset = (first + 12 - start) % 12;
            if offset % 3 != 0 {
                return None;
            }
            let fiscal = if *first >= start {
                first_year
            } else {
                first_year - 1
            };
            Some(format!("{} Q{}", year_text(fiscal), offset / 3 + 1))
        }
        (None, None, [], [y]) if years.len() == 1 => Some(y.to_string()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(text: &str) -> Option<String> {
        canonical(text, 4)
    }

    #[test]
    fn quarters() {
        for text in [
            "2017/18 Q1",
            "Q1 2017/18",
            "q1 2017/18",
            "2017-18 Q1",
            "2017/2018 Q1",
            "17/18 Q1",
            "FY2017/18 Q1",
            "Qtr 1 2017/18",
            "Quarter 1 2017-18",
            "2017/18Q1",
            "Apr-Jun 2017",
            "Apr–Jun 2017",
            "April - June 2017",
            "Apr 2017 - Jun 2017",
        ] {
            assert_eq!(c(text).as_deref(), Some("2017/18 Q1"), "{text}");
        }
        assert_eq!(c("Jan-Mar 2018").as_deref(), Some("2017/18 Q4"));
        assert_eq!(canonical("Jan-Mar 2017", 1).as_deref(), Some("2017/18 Q1"));
        assert_eq!(
            canonical("Nov 2017 - Jan 2018", 2).as_deref(),
            Some("2017/18 Q4")
        );
        assert_eq!(c("Nov 2017 - Jan 2017"), None);
        // Not a quarter of a year starting in April.
        assert_eq!(c("May-Jul 2017"), None);
        assert_eq!(c("Apr-May 2017"), None);
    }

    #[test]
    fn months_and_years() {
        assert_eq!(c("2017/18 Jun").as_deref(), Some("2017/18 Jun"));
        assert_eq!(c("Jun-17").as_deref(), Some("2017/18 Jun"));
        assert_eq!(c("Jun 2017").as_deref(), Some("2017/18 Jun"));
        assert_eq!(c("June 2017").as_deref(), Some("2017/18 Jun"));
        assert_eq!(c("Jan-18").as_deref(), Some("2017/18 Jan"));
        assert_eq!(c("Sept 2017").as_deref(), Some("2017/18 Sep"));
        assert_eq!(c("2017/18").as_deref(), Some("2017/18"));
        assert_eq!(c("2017-18").as_deref(), Some("2017/18"));
        assert_eq!(c("2011").as_deref(), Some("2011"));
        assert_eq!(month_text(2018, 1, 4), "2017/18 Jan");
        assert_eq!(month_text(2018, 1, 1), "2018/19 Jan");
    }

    #[test]
    fn not_periods() {
        for text in [
            "",
            "Q5 2017/18",
            "2017/19 Q1",
            "Q1",
            "Q1 2017",
            "Actual",
            "Target 2017/18",
            "2017/18 Q1 Q2",
            "17-18",
            "2017 2018",
            "1.5",
            "Jun-2017x",
        ] {
            assert_eq!(c(text), None, "{text}");
        }
    }
}

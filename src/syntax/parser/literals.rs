//! The smallest pieces: ids, strings, periods, numbers.

use pest::iterators::Pair;
use rust_decimal::Decimal;

use crate::diagnostic::{Code, Diagnostic};
use crate::period::{self, PeriodError};
use crate::syntax::ast::*;
use crate::syntax::grammar::Rule;
use crate::syntax::span::Span;

use super::items::ItemParser;

impl ItemParser {
    pub(super) fn parse_ident(&self, pair: Pair<Rule>) -> Ident {
        Ident {
            name: pair.as_str().to_string(),
            span: self.span(&pair),
        }
    }

    /// The last string inside a pair (`owner "x"` → `x`).
    pub(super) fn last_string(&mut self, pair: Pair<Rule>) -> Option<Text> {
        let string = pair
            .into_inner()
            .filter(|p| p.as_rule() == Rule::string)
            .last()?;
        self.parse_string(string)
    }

    /// `string = ${ "\"" ~ string_inner ~ "\"" }`, unescaped.
    pub(super) fn parse_string(&mut self, pair: Pair<Rule>) -> Option<Text> {
        let span = self.span(&pair);
        let raw = pair.into_inner().next().map_or("", |p| p.as_str());
        if !raw.contains('\\') {
            return Some(Text {
                value: raw.to_owned(),
                span,
            });
        }
        let mut value = String::with_capacity(raw.len());
        let mut chars = raw.char_indices();
        while let Some((i, c)) = chars.next() {
            if c != '\\' {
                value.push(c);
                continue;
            }
            match chars.next() {
                Some((_, '"')) => value.push('"'),
                Some((_, '\\')) => value.push('\\'),
                Some((_, 'n')) => value.push('\n'),
                other => {
                    let start = span.start() + 1 + i;
                    let end = start + 1 + other.map_or(0, |(_, c)| c.len_utf8());
                    self.error(
                        Diagnostic::new(Code::BadEscape, Span::new(self.file, start, end), "unknown escape in a string")
                            .label("not an escape perfcard knows")
                            .help("the escapes are `\\\"` (a quote), `\\\\` (a backslash) and `\\n` (a line break)"),
                    );
                    return None;
                }
            }
        }
        Some(Text { value, span })
    }

    /// `period = { year ~ quarter? }`
    pub(super) fn parse_period(&mut self, pair: Pair<Rule>) -> Option<PeriodLit> {
        let mut inner = pair.into_inner();
        let year = inner.next()?;
        let year_span = self.span(&year);
        let start = match period::parse_year(year.as_str()) {
            Ok(start) => start,
            Err(error) => {
                let (message, help) = match error {
                    PeriodError::NotConsecutive { expected } => (
                        format!("`{}` is not a fiscal year: the second half must be the year after the first", year.as_str()),
                        format!("did you mean `{expected}`?"),
                    ),
                    _ => (format!("`{}` is not a fiscal year", year.as_str()), year_help(year.as_str())),
                };
                self.error(
                    Diagnostic::new(Code::BadPeriod, year_span, message)
                        .label("not a year")
                        .help(help),
                );
                return None;
            }
        };
        // The period ends where its last token does (pest's own span may
        // take in the spaces before a quarter it did not find).
        let (period, span) = match inner.next() {
            None => (period::Period::year(start), year_span),
            Some(q) => {
                let q_span = self.span(&q);
                let quarter = self.check_quarter(q.as_str(), q_span)?;
                (
                    period::Period::quarter(start, quarter),
                    Span::new(self.file, year_span.start(), q_span.end()),
                )
            }
        };
        Some(PeriodLit { period, span })
    }

    pub(super) fn check_quarter(&mut self, text: &str, span: Span) -> Option<u8> {
        match period::parse_quarter(text) {
            Ok(q) if text.starts_with('Q') => Some(q),
            Ok(q) => {
                self.error(
                    Diagnostic::new(
                        Code::BadPeriod,
                        span,
                        format!("quarters are written with a capital Q: `Q{q}`"),
                    )
                    .label("lower-case q")
                    .help(format!("write `Q{q}`")),
                );
                None
            }
            Err(_) => {
                self.error(
                    Diagnostic::new(Code::BadPeriod, span, format!("`{text}` is not a quarter"))
                        .label("not a quarter")
                        .help("a fiscal year has four quarters, `Q1` to `Q4`"),
                );
                None
            }
        }
    }

    /// `value = ${ number ~ ("/" ~ denominator)? ~ suffix? }`
    pub(super) fn parse_value(&mut self, pair: Pair<Rule>) -> Option<Literal> {
        let span = self.span(&pair);
        // A leading `+` means nothing; every other character of the
        // spelling does (`_`, decimal places, `%`).
        let text = pair
            .as_str()
            .strip_prefix('+')
            .unwrap_or(pair.as_str())
            .to_string();
        let mut numerator = None;
        let mut denominator = None;
        let mut suffix = Suffix::None;
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::number => numerator = Some(self.parse_decimal(&p)?),
                Rule::denominator => denominator = Some(self.parse_decimal(&p)?),
                Rule::suffix => {
                    suffix = if p.as_str() == "%" {
                        Suffix::Percent
                    } else {
                        Suffix::Points
                    }
                }
                _ => {}
            }
        }
        let numerator = numerator?;
        let amount = match denominator {
            None => Amount::Decimal(numerator),
            Some(d) if d.is_zero() => {
                self.error(
                    Diagnostic::new(
                        Code::BadNumber,
                        span,
                        "a fraction with a denominator of zero",
                    )
                    .label("divides by zero")
                    .help("a fraction is `part/whole`, e.g. `50/66`; the whole cannot be 0"),
                );
                return None;
            }
            // A fraction must have a value a decimal can hold, like every
            // other number (reports show it as a decimal too).
            Some(d) if numerator.checked_div(d).is_none() => {
                self.error(
                    Diagnostic::new(Code::BadNumber, span, "this fraction is too large to be held exactly")
                        .label("too large")
                        .help("perfcard keeps numbers exact, up to 28 significant digits; a fraction's value must stay within that too"),
                );
                return None;
            }
            Some(d) => Amount::Fraction {
                numerator,
                denominator: d,
            },
        };
        Some(Literal {
            amount,
            suffix,
            text,
            span,
        })
    }

    /// Parses a number of at most 28 significant digits.
    pub(super) fn parse_decimal(&mut self, pair: &Pair<Rule>) -> Option<Decimal> {
        let written = pair.as_str();
        let written = written.strip_prefix('+').unwrap_or(written);
        let parsed = if written.contains('_') {
            Decimal::from_str_exact(&written.replace('_', ""))
        } else {
            Decimal::from_str_exact(written)
        };
        // A decimal holds some 29-digit numbers, but not all: 28 is the
        // limit for every number (docs/language.md), so that whether a
        // number is held never depends on its value.
        match parsed
            .ok()
            .filter(|d| d.mantissa().unsigned_abs() < MAX_MANTISSA)
        {
            Some(d) => Some(d),
            None => {
                let span = self.span(pair);
                self.error(
                    Diagnostic::new(Code::BadNumber, span, "this number cannot be held exactly")
                        .label("too many digits")
                        .help("perfcard keeps numbers exact, up to 28 significant digits; round it in the source so the rounding is visible"),
                );
                None
            }
        }
    }
}

/// Where a pair's last token ends (see [`ItemParser::span`]).
///
/// Only a rule whose last part is optional or repeated (`provisional?`,
/// `quarter?`, milestone flags) can run on past its last token; every other
/// rule ends with a token and its own end is exact. Looking into the
/// children only where needed keeps this cheap: pest counts a pair's
/// children each time it is opened.
pub(super) fn token_end(pair: &Pair<Rule>) -> usize {
    let ends_optionally = matches!(
        pair.as_rule(),
        Rule::period
            | Rule::header_period
            | Rule::actual_row
            | Rule::actual
            | Rule::not_available
            | Rule::status
            | Rule::milestone
            | Rule::composite
            | Rule::unit
            | Rule::unit_money
    );
    if !ends_optionally {
        return pair.as_span().end();
    }
    match pair.clone().into_inner().last() {
        Some(last) => token_end(&last),
        None => pair.as_span().end(),
    }
}

/// Help for a year written in another shape: `2017/2018` or `17/18`.
fn year_help(text: &str) -> String {
    let general =
        "write years as four digits, a slash and the next year's last two digits: `2017/18`";
    let Some((first, second)) = text.split_once('/') else {
        return general.into();
    };
    let (Ok(a), Ok(b)) = (first.parse::<i32>(), second.parse::<i32>()) else {
        return general.into();
    };
    let start = match (first.len(), second.len()) {
        (4, 4) if b == a + 1 => Some(a),
        (2, 2) if b == (a + 1) % 100 => Some(2000 + a),
        _ => None,
    };
    match start {
        Some(start) => format!("did you mean `{start}/{:02}`? {general}", (start + 1) % 100),
        None => general.into(),
    }
}

/// One more than the largest 28-digit mantissa.
const MAX_MANTISSA: u128 = 10u128.pow(28);

//! Numbers as a council prints them: thousands separators, and variances
//! and thresholds rounded to the precision of the figures they come from.
//!
//! Rounding here is for people only. Ratings are decided on exact values
//! (see [`crate::rating`]); the JSON report and `perfcard explain` keep the
//! exact values. The rule, for a variance or a threshold:
//!
//! - round to **one decimal place more** than the more precise of the actual
//!   and the target as written (`83%` and `95%`: one place; `42.75%`: three);
//! - but never so far that the rounded value would put the actual on the
//!   other side of it: a variance keeps its sign, and a threshold stays above
//!   (or below, or equal to) the actual as the exact one is; more digits are
//!   shown until that holds;
//! - trailing zeros are dropped (`-12`, not `-12.0`).

use rust_decimal::{Decimal, RoundingStrategy};

/// The decimal places a value was written with: `42.75` → 2, `95` → 0.
pub fn places(d: Decimal) -> u32 {
    d.scale()
}

/// How many places a variance or threshold is shown to: one more than the
/// more precise of `actual` and `target` (as written).
pub fn shown_places(actual: Option<Decimal>, target: Option<Decimal>) -> u32 {
    actual.map_or(0, places).max(target.map_or(0, places)) + 1
}

/// Rounds half away from zero, as people do.
fn round(d: Decimal, places: u32) -> Decimal {
    d.round_dp_with_strategy(places, RoundingStrategy::MidpointAwayFromZero)
}

/// `value` rounded to `places` (then to more places, up to its own exact
/// value) so that it compares with `against` exactly as the exact value does.
/// Trailing zeros are dropped.
pub fn round_keeping_side(value: Decimal, places: u32, against: Option<Decimal>) -> Decimal {
    let exact = value.normalize();
    let mut p = places;
    loop {
        let rounded = round(exact, p);
        let same_side = against.is_none_or(|a| rounded.cmp(&a) == exact.cmp(&a));
        if same_side || p >= exact.scale() {
            // `-0` reads as 0.
            let rounded = if rounded.is_zero() {
                Decimal::ZERO
            } else {
                rounded
            };
            return rounded.normalize();
        }
        p += 1;
    }
}

/// A variance (actual − target) for people: keeps its sign.
pub fn variance(value: Decimal, places: u32) -> Decimal {
    round_keeping_side(value, places, Some(Decimal::ZERO))
}

/// Thousands separators in a plain decimal number: `4858000` →
/// `4,858,000`, `-1234.5` → `-1,234.5`. Anything that is not a plain
/// number is returned as it is.
pub fn group_thousands(number: &str) -> String {
    let (sign, rest) = match number.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", number),
    };
    let (whole, fraction) = match rest.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (rest, None),
    };
    if whole.is_empty()
        || !whole.bytes().all(|b| b.is_ascii_digit())
        || !fraction.is_none_or(|f| f.bytes().all(|b| b.is_ascii_digit()))
    {
        return number.to_string();
    }
    let mut out = String::with_capacity(number.len() + whole.len() / 3);
    out.push_str(sign);
    for (i, digit) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(digit);
    }
    if let Some(f) = fraction {
        out.push('.');
        out.push_str(f);
    }
    out
}

/// A signed number for a difference: `+3`, `-1.5`, `0`.
pub fn signed(d: Decimal) -> String {
    let text = group_thousands(&d.normalize().to_string());
    if d.is_sign_positive() && !d.is_zero() {
        format!("+{text}")
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    /// The rounding rule as a table: the value, the actual and target as
    /// written, what it is compared with (`-` for a variance, which keeps
    /// its sign) and what is shown.
    #[test]
    fn variances_and_thresholds_are_rounded_as_published() {
        let table = [
            // value      actual    target    against   shown
            ("-12", "83", "95", "-", "-12"),
            ("8.15", "118.4", "110.25", "-", "8.15"),
            ("0.38461538", "37.5", "37.1", "-", "0.38"),
            ("-0.0004", "41.3", "41.3", "-", "-0.0004"),
            ("0.00004", "41.3", "41.3", "-", "0.00004"),
            ("-0.04", "95.96", "96", "-", "-0.04"),
            ("1.25", "3", "1.75", "-", "1.25"),
            ("0.05", "1", "0.95", "-", "0.05"),
            ("0", "95", "95", "-", "0"),
            // thresholds, compared with the actual
            ("85.5", "83", "95", "83", "85.5"),
            ("85.96", "86", "95", "86", "85.96"),
            ("85.94", "86", "95", "86", "85.9"),
            ("85.55", "90", "95", "90", "85.6"),
            ("85.549", "85.55", "95", "85.55", "85.549"),
            ("110.25", "118.4", "110.25", "118.4", "110.25"),
            ("99.9999", "99.99", "100", "99.99", "100"),
            ("99.9999", "100", "100", "100", "99.9999"),
            ("96", "96", "96", "96", "96"),
        ];
        for (value, actual, target, against, shown) in table {
            let places = shown_places(Some(d(actual)), Some(d(target)));
            let against = if against == "-" {
                Some(Decimal::ZERO)
            } else {
                Some(d(against))
            };
            let got = round_keeping_side(d(value), places, against);
            assert_eq!(
                got.to_string(),
                shown,
                "{value} (actual {actual}, target {target})"
            );
        }
    }

    #[test]
    fn places_follow_the_more_precise_figure() {
        assert_eq!(shown_places(Some(d("83")), Some(d("95"))), 1);
        assert_eq!(shown_places(Some(d("42.75")), Some(d("40"))), 3);
        assert_eq!(shown_places(None, Some(d("1.5"))), 2);
        assert_eq!(shown_places(Some(d("95.0")), None), 2);
    }

    #[test]
    fn thousands_are_separated() {
        for (number, shown) in [
            ("4858000", "4,858,000"),
            ("-1234.5", "-1,234.5"),
            ("999", "999"),
            ("1000", "1,000"),
            ("0.12345", "0.12345"),
            ("123456.789", "123,456.789"),
            ("", ""),
            ("abc", "abc"),
            ("-", "-"),
            ("1e5", "1e5"),
        ] {
            assert_eq!(group_thousands(number), shown, "{number}");
        }
    }

    #[test]
    fn differences_carry_their_sign() {
        assert_eq!(signed(d("3")), "+3");
        assert_eq!(signed(d("-1234.50")), "-1,234.5");
        assert_eq!(signed(d("0")), "0");
        assert_eq!(signed(d("-0.0")), "0");
    }
}

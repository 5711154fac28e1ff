//! The only place where perfcard touches binary floating point.
//!
//! A spreadsheet stores a number cell as an IEEE 754 double: `83.4` typed
//! into Excel is held as 83.400000000000006. perfcard's values are exact
//! decimals, so a cell's number is converted here, once, the way Excel
//! itself shows it: rounded to 15 significant digits, trailing zeros
//! dropped (83.4; `=0.1+0.2` is 0.3). Writing a workbook goes the other way
//! ([`to_f64`]): the decimal is turned into the nearest double only as the
//! cell is written. No other module holds an `f64` value (see
//! docs/guarantees.md).

use rust_decimal::Decimal;

/// How many significant digits Excel shows, and so keeps, of a number.
pub const SIGNIFICANT_DIGITS: usize = 15;

/// A spreadsheet number as the exact decimal Excel shows: rounded to 15
/// significant digits, trailing zeros dropped. `None` for infinities, NaN
/// and numbers a decimal cannot hold (beyond about 7.9 × 10²⁸, or with
/// digits beyond the 28th decimal place).
pub fn to_decimal(number: f64) -> Option<Decimal> {
    if !number.is_finite() {
        return None;
    }
    if number == 0.0 {
        return Some(Decimal::ZERO);
    }
    // `{:.14e}` rounds the exact binary value to 15 significant digits:
    // "8.34000000000000e1".
    let text = format!("{:.*e}", SIGNIFICANT_DIGITS - 1, number);
    let (mantissa, exponent) = text.split_once('e')?;
    let exponent: i32 = exponent.parse().ok()?;
    let negative = mantissa.starts_with('-');
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    // digits = d₀d₁…d₁₄ means d₀.d₁…d₁₄ × 10^exponent
    //        = (d₀d₁…d₁₄) × 10^(exponent − 14)
    let whole: i128 = digits.parse().ok()?;
    let shift = exponent - (SIGNIFICANT_DIGITS as i32 - 1);
    let mut value = if shift >= 0 {
        let factor = 10i128.checked_pow(u32::try_from(shift).ok()?)?;
        let scaled = whole.checked_mul(factor)?;
        Decimal::try_from_i128_with_scale(scaled, 0).ok()?
    } else {
        let mut scale = u32::try_from(-shift).ok()?;
        let mut mantissa = whole;
        // Trailing zeros first, so that 1e-20 (one digit) fits.
        while scale > 0 && mantissa % 10 == 0 {
            mantissa /= 10;
            scale -= 1;
        }
        if scale > 28 {
            return None;
        }
        Decimal::try_from_i128_with_scale(mantissa, scale).ok()?
    };
    if negative {
        value.set_sign_negative(true);
    }
    value.normalize_assign();
    Some(value)
}

/// The integer a spreadsheet number holds, when it is a whole number that
/// fits (a serial date's day, a year typed as a number).
pub fn to_whole(number: f64) -> Option<i64> {
    let d = to_decimal(number)?;
    if d.fract().is_zero() {
        i64::try_from(d).ok()
    } else {
        None
    }
}

/// A spreadsheet date's serial number as a calendar date (year, month,
/// day), in the 1900 date system (1 is 1 January 1900; Excel counts a
/// 29 February 1900 that never was, serial 60) or the 1904 one.
pub fn serial_to_date(serial: f64, is_1904: bool) -> Option<(i32, u32, u32)> {
    if !serial.is_finite() || !(0.0..3_000_000.0).contains(&serial) {
        return None;
    }
    // The day: the whole part (the time of day is dropped).
    let day = serial.floor() as i64;
    let days_from_epoch = if is_1904 {
        // 0 is 1 January 1904.
        day + days_from_civil(1904, 1, 1)
    } else if day < 60 {
        // 1 is 1 January 1900; 0 is "0 January 1900".
        day - 1 + days_from_civil(1900, 1, 1)
    } else if day == 60 {
        return Some((1900, 2, 29));
    } else {
        day - 2 + days_from_civil(1900, 1, 1)
    };
    Some(civil_from_days(days_from_epoch))
}

/// A decimal as the double a workbook cell holds (the nearest one).
pub fn to_f64(value: Decimal) -> f64 {
    // The shortest decimal text parses to the nearest double, correctly
    // rounded; a decimal always has such a text.
    value.to_string().parse().unwrap_or(0.0)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's
/// algorithm).
fn days_from_civil(year: i32, month: u32, day: u32) -> i64 {
    let y = i64::from(year) - i64::from(month <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(days: i64) -> (i32, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> Decimal {
        text.parse().unwrap()
    }

    #[test]
    fn numbers_become_what_excel_shows() {
        assert_eq!(to_decimal(83.4), Some(d("83.4")));
        assert_eq!(to_decimal(0.1 + 0.2), Some(d("0.3")));
        assert_eq!(to_decimal(0.834), Some(d("0.834")));
        assert_eq!(to_decimal(-1234.5), Some(d("-1234.5")));
        assert_eq!(to_decimal(1e20), Some(d("100000000000000000000")));
        assert_eq!(to_decimal(1e-20), Some(d("0.00000000000000000001")));
        assert_eq!(
            to_decimal(123456789012345678.0),
            Some(d("123456789012346000"))
        );
        assert_eq!(to_decimal(1.0 / 3.0), Some(d("0.333333333333333")));
        assert_eq!(to_decimal(2.0 / 3.0), Some(d("0.666666666666667")));
        assert_eq!(to_decimal(0.0), Some(Decimal::ZERO));
        assert_eq!(to_decimal(-0.0), Some(Decimal::ZERO));
        assert_eq!(to_decimal(f64::NAN), None);
        assert_eq!(to_decimal(f64::INFINITY), None);
        assert_eq!(to_decimal(1e300), None);
        assert_eq!(to_decimal(1e-40), None);
        // The result carries no trailing zeros.
        assert_eq!(to_decimal(83.0).unwrap().to_string(), "83");
    }

    #[test]
    fn whole_numbers() {
        assert_eq!(to_whole(2017.0), Some(2017));
        assert_eq!(to_whole(2017.5), None);
        assert_eq!(to_whole(f64::NAN), None);
    }

    #[test]
    fn serial_dates() {
        assert_eq!(serial_to_date(1.0, false), Some((1900, 1, 1)));
        assert_eq!(serial_to_date(59.0, false), Some((1900, 2, 28)));
        assert_eq!(serial_to_date(60.0, false), Some((1900, 2, 29)));
        assert_eq!(serial_to_date(61.0, false), Some((1900, 3, 1)));
        // 1 June 2017 is 42887.
        assert_eq!(serial_to_date(42887.0, false), Some((2017, 6, 1)));
        assert_eq!(serial_to_date(42887.75, false), Some((2017, 6, 1)));
        assert_eq!(serial_to_date(0.0, true), Some((1904, 1, 1)));
        assert_eq!(serial_to_date(-1.0, false), None);
        assert_eq!(serial_to_date(f64::NAN, false), None);
    }

    #[test]
    fn decimals_become_the_nearest_double() {
        assert_eq!(to_f64(d("83.4")), 83.4);
        assert_eq!(to_f64(d("-0.5")), -0.5);
    }
}

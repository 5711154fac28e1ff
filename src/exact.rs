//! Exact arithmetic on decimals and fractions.
//!
//! rust_decimal rounds when a product needs more than 28 digits; a rating
//! must never rest on a rounded number, so every operation here is exact or
//! returns `None` (which the checker turns into a diagnostic). Comparisons
//! never divide: a fraction `a/b` is compared with `c` as `a` against `c·b`,
//! in 256-bit integer arithmetic, so they cannot overflow.

use std::cmp::Ordering;

use rust_decimal::Decimal;

/// The largest mantissa a `Decimal` holds (2^96 − 1).
const MAX_MANTISSA: i128 = (1 << 96) - 1;
const MAX_SCALE: u32 = 28;

/// `a × b`, exactly, or `None` if the result cannot be held exactly.
pub fn mul(a: Decimal, b: Decimal) -> Option<Decimal> {
    let mantissa = a.mantissa().checked_mul(b.mantissa())?;
    build(mantissa, a.scale() + b.scale())
}

/// `a + b`, exactly.
pub fn add(a: Decimal, b: Decimal) -> Option<Decimal> {
    let scale = a.scale().max(b.scale());
    let x = a.mantissa().checked_mul(pow10(scale - a.scale())?)?;
    let y = b.mantissa().checked_mul(pow10(scale - b.scale())?)?;
    build(x.checked_add(y)?, scale)
}

/// `a − b`, exactly.
pub fn sub(a: Decimal, b: Decimal) -> Option<Decimal> {
    add(a, -b)
}

/// `a × p / 100` (p per cent of a), exactly.
pub fn percent_of(a: Decimal, p: Decimal) -> Option<Decimal> {
    let mantissa = a.mantissa().checked_mul(p.mantissa())?;
    build(mantissa, a.scale() + p.scale() + 2)
}

/// A decimal from a mantissa and scale, dropping trailing zeros while it
/// does not fit; `None` when it cannot be held without rounding.
fn build(mut mantissa: i128, mut scale: u32) -> Option<Decimal> {
    // `unsigned_abs`: the mantissa of a product may be `i128::MIN`.
    while scale > MAX_SCALE || mantissa.unsigned_abs() > MAX_MANTISSA as u128 {
        if scale == 0 || mantissa % 10 != 0 {
            return None;
        }
        mantissa /= 10;
        scale -= 1;
    }
    let mut d = Decimal::from_i128_with_scale(mantissa, scale);
    d.normalize_assign();
    Some(d)
}

fn pow10(exp: u32) -> Option<i128> {
    10i128.checked_pow(exp)
}

/// A rational number `num / den` with `den > 0`: how every value is compared.
#[derive(Clone, Copy, Debug)]
pub struct Ratio {
    num: i128,
    den: u128,
}

impl Ratio {
    pub fn from_decimal(d: Decimal) -> Ratio {
        // A Decimal's scale is at most 28 and 10^28 < 2^94: always fits.
        Ratio {
            num: d.mantissa(),
            den: 10u128.pow(d.scale()),
        }
    }

    /// `numerator / denominator × factor`, or `None` for a zero or negative
    /// denominator or numbers too large to hold.
    pub fn fraction(numerator: Decimal, denominator: Decimal, factor: u32) -> Option<Ratio> {
        if denominator <= Decimal::ZERO {
            return None;
        }
        // (a / 10^sa) / (b / 10^sb) = a·10^sb / (b·10^sa)
        let num = numerator
            .mantissa()
            .checked_mul(pow10(denominator.scale())?)?
            .checked_mul(i128::from(factor))?;
        let den = u128::try_from(denominator.mantissa())
            .ok()?
            .checked_mul(u128::try_from(pow10(numerator.scale())?).ok()?)?;
        Some(Ratio { num, den })
    }

    /// The value as a decimal rounded to `places` decimal places (for
    /// display and for the `value` fields of a report; never compared).
    pub fn to_decimal_rounded(&self, places: u32) -> Decimal {
        // Divided in integers first, so that a numerator beyond a decimal's
        // mantissa is never clamped (which would change the value): the
        // whole part, then the remainder as a decimal fraction. A
        // denominator that is itself too large is scaled down with the
        // numerator; it keeps 28 digits, far more than any display needs.
        let (mut n, mut d) = (self.num, self.den);
        while d > MAX_MANTISSA as u128 {
            n /= 10;
            d /= 10;
        }
        let (whole, rest) = (n.unsigned_abs() / d, n.unsigned_abs() % d);
        // The checker refuses values a decimal cannot hold; saturate anyway.
        let whole = Decimal::from_i128_with_scale(whole.min(MAX_MANTISSA as u128) as i128, 0);
        let den = Decimal::from_i128_with_scale(d as i128, 0);
        let part = Decimal::from_i128_with_scale(rest as i128, 0)
            .checked_div(den)
            .unwrap_or(Decimal::ZERO);
        let magnitude = whole.checked_add(part).unwrap_or(whole);
        let num = if n < 0 { -magnitude } else { magnitude };
        let den = Decimal::ONE;
        match num.checked_div(den) {
            Some(q) => {
                let mut q = q.round_dp_with_strategy(
                    places,
                    rust_decimal::RoundingStrategy::MidpointAwayFromZero,
                );
                q.normalize_assign();
                q
            }
            None => Decimal::ZERO,
        }
    }

    /// The exact decimal value, if it has one that fits (`1/4` → `0.25`).
    pub fn to_decimal_exact(&self) -> Option<Decimal> {
        // A fraction has a finite decimal expansion when its reduced
        // denominator has no prime factors but 2 and 5.
        let g = gcd(self.num.unsigned_abs(), self.den);
        let (num, mut den) = (self.num / g as i128, self.den / g);
        let mut twos = 0u32;
        let mut fives = 0u32;
        while den % 2 == 0 {
            den /= 2;
            twos += 1;
        }
        while den % 5 == 0 {
            den /= 5;
            fives += 1;
        }
        if den != 1 {
            return None;
        }
        let scale = twos.max(fives);
        let multiplier = 2i128
            .checked_pow(scale - twos)?
            .checked_mul(5i128.checked_pow(scale - fives)?)?;
        build(num.checked_mul(multiplier)?, scale)
    }
}

fn gcd(mut a: u128, mut b: u128) -> u128 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a.max(1)
}

impl PartialEq for Ratio {
    fn eq(&self, other: &Ratio) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Ratio {}

impl PartialOrd for Ratio {
    fn partial_cmp(&self, other: &Ratio) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Ratio {
    /// Compares `a/b` with `c/d` as `a·d` with `c·b`, in 256 bits.
    fn cmp(&self, other: &Ratio) -> Ordering {
        let sign = |n: i128| n.signum();
        match sign(self.num).cmp(&sign(other.num)) {
            Ordering::Equal => {}
            unequal => return unequal,
        }
        let left = wide_mul(self.num.unsigned_abs(), other.den);
        let right = wide_mul(other.num.unsigned_abs(), self.den);
        let magnitude = left.cmp(&right);
        if self.num < 0 {
            magnitude.reverse()
        } else {
            magnitude
        }
    }
}

/// The full 256-bit product of two 128-bit numbers, as (high, low).
fn wide_mul(a: u128, b: u128) -> (u128, u128) {
    let mask = u128::from(u64::MAX);
    let (a_hi, a_lo) = (a >> 64, a & mask);
    let (b_hi, b_lo) = (b >> 64, b & mask);
    let lo_lo = a_lo * b_lo;
    let hi_lo = a_hi * b_lo;
    let lo_hi = a_lo * b_hi;
    let hi_hi = a_hi * b_hi;
    let middle = (lo_lo >> 64) + (hi_lo & mask) + (lo_hi & mask);
    let low = (lo_lo & mask) | (middle << 64);
    let high = hi_hi + (hi_lo >> 64) + (lo_hi >> 64) + (middle >> 64);
    (high, low)
}

impl Ratio {
    /// `self − other`, or `None` if it cannot be held.
    pub fn checked_sub(&self, other: Ratio) -> Option<Ratio> {
        let den = self.den.checked_mul(other.den)?;
        let left = self.num.checked_mul(i128::try_from(other.den).ok()?)?;
        let right = other.num.checked_mul(i128::try_from(self.den).ok()?)?;
        Some(Ratio {
            num: left.checked_sub(right)?,
            den,
        })
    }

    /// `|self − other|`, or `None` if it cannot be held.
    pub fn distance(&self, other: Ratio) -> Option<Ratio> {
        let den = self.den.checked_mul(other.den)?;
        let left = self.num.checked_mul(i128::try_from(other.den).ok()?)?;
        let right = other.num.checked_mul(i128::try_from(self.den).ok()?)?;
        let num = left.checked_sub(right)?.checked_abs()?;
        Some(Ratio { num, den })
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn rounded_decimals_of_large_fractions_are_not_clamped() {
        let third = Ratio {
            num: 10i128.pow(30),
            den: 3 * 10u128.pow(29),
        };
        assert_eq!(third.to_decimal_rounded(4).to_string(), "3.3333");
        let big = Ratio {
            num: 79_228_162_514_264_337_593_543_950_335 * 10,
            den: 15,
        };
        assert_eq!(
            big.to_decimal_rounded(4).to_string(),
            "52818775009509558395695966890"
        );
        let negative = Ratio { num: -7, den: 8 };
        assert_eq!(negative.to_decimal_rounded(2).to_string(), "-0.88");
        let small = Ratio { num: 50, den: 66 };
        assert_eq!(small.to_decimal_rounded(4).to_string(), "0.7576");
    }

    use super::*;
    use std::str::FromStr;

    fn d(text: &str) -> Decimal {
        Decimal::from_str(text).unwrap()
    }

    #[test]
    fn decimal_arithmetic_is_exact() {
        assert_eq!(mul(d("95"), d("0.9")), Some(d("85.5")));
        assert_eq!(percent_of(d("95"), d("10")), Some(d("9.5")));
        assert_eq!(sub(d("100"), d("5")), Some(d("95")));
        assert_eq!(add(d("0.1"), d("0.2")), Some(d("0.3")));
        // 28 significant digits times 28 cannot be held without rounding.
        let long = d("1.000000000000000000000000001");
        assert_eq!(mul(long, long), None);
    }

    #[test]
    fn fractions_compare_exactly() {
        let two_thirds = Ratio::fraction(d("2"), d("3"), 1).unwrap();
        assert!(two_thirds < Ratio::from_decimal(d("0.6666666666666666666666666667")));
        assert!(two_thirds > Ratio::from_decimal(d("0.6666666666666666666666666666")));
        let pct = Ratio::fraction(d("50"), d("66"), 100).unwrap();
        assert!(pct > Ratio::from_decimal(d("75.75")));
        assert!(pct < Ratio::from_decimal(d("75.76")));
        assert_eq!(
            Ratio::fraction(d("3"), d("5"), 100).unwrap(),
            Ratio::from_decimal(d("60"))
        );
        assert!(Ratio::from_decimal(d("-2")) < Ratio::from_decimal(d("-1.5")));
        assert_eq!(Ratio::fraction(d("1"), d("0"), 1).map(|_| ()), None);
    }

    #[test]
    fn exact_decimal_of_a_fraction() {
        assert_eq!(
            Ratio::fraction(d("1"), d("4"), 1)
                .unwrap()
                .to_decimal_exact(),
            Some(d("0.25"))
        );
        assert_eq!(
            Ratio::fraction(d("50"), d("66"), 100)
                .unwrap()
                .to_decimal_exact(),
            None
        );
        assert_eq!(
            Ratio::fraction(d("50"), d("66"), 100)
                .unwrap()
                .to_decimal_rounded(1),
            d("75.8")
        );
    }

    #[test]
    fn wide_multiplication() {
        assert_eq!(wide_mul(u128::MAX, 2), (1, u128::MAX - 1));
        assert_eq!(wide_mul(1 << 64, 1 << 64), (1, 0));
    }
}

//! The one rounding rule of Kassa.
//!
//! Every place where an exact result is not a whole number of minor units (a weighed line,
//! a percentage discount, sharing a sale discount across lines) divides with
//! [`div_round`]: round half away from zero, computed in `i128` so that the intermediate
//! product never overflows.

/// `num / den` rounded to the nearest integer, halves away from zero.
///
/// Returns `None` when `den` is zero or the result does not fit in an `i64`.
#[inline]
pub fn div_round(num: i128, den: i128) -> Option<i64> {
    if den == 0 {
        return None;
    }
    // Fast path: everything fits in i64 (every real price × quantity does), and 64-bit
    // division is several times cheaper than 128-bit.
    if let (Ok(n), Ok(d)) = (i64::try_from(num), i64::try_from(den))
        && d > 0
        && n.checked_abs().is_some()
    {
        let q = n / d;
        let r = n % d;
        // |r| < d, so 2|r| fits unless d is huge; compare as r >= d - r.
        let away = r.abs() >= d - r.abs();
        return Some(match (away, n >= 0) {
            (false, _) => q,
            (true, true) => q + 1,
            (true, false) => q - 1,
        });
    }
    let (num, den) = if den < 0 { (-num, -den) } else { (num, den) };
    let q = num / den;
    let r = num % den;
    // Compare 2|r| with den without overflow (|r| < den, den fits in i128 easily here).
    let q = if 2 * r.abs() >= den {
        if num >= 0 { q + 1 } else { q - 1 }
    } else {
        q
    };
    i64::try_from(q).ok()
}

#[cfg(test)]
mod tests {
    use super::div_round;

    #[test]
    fn exact_division() {
        assert_eq!(div_round(10, 2), Some(5));
        assert_eq!(div_round(0, 7), Some(0));
    }

    #[test]
    fn halves_go_away_from_zero() {
        assert_eq!(div_round(5, 2), Some(3));
        assert_eq!(div_round(-5, 2), Some(-3));
        assert_eq!(div_round(15, 10), Some(2));
        assert_eq!(div_round(25, 10), Some(3));
        assert_eq!(div_round(-25, 10), Some(-3));
    }

    #[test]
    fn below_and_above_half() {
        assert_eq!(div_round(14, 10), Some(1));
        assert_eq!(div_round(16, 10), Some(2));
        assert_eq!(div_round(-14, 10), Some(-1));
        assert_eq!(div_round(-16, 10), Some(-2));
    }

    #[test]
    fn negative_denominator() {
        assert_eq!(div_round(5, -2), Some(-3));
        assert_eq!(div_round(-5, -2), Some(3));
    }

    #[test]
    fn zero_denominator_and_overflow() {
        assert_eq!(div_round(1, 0), None);
        assert_eq!(div_round(i128::from(i64::MAX) * 4, 2), None);
        assert_eq!(div_round(i128::from(i64::MAX) * 2, 2), Some(i64::MAX));
    }

    /// The definition, in exact rational arithmetic on i128: round(num/den), halves away.
    fn reference(num: i128, den: i128) -> i128 {
        let (num, den) = if den < 0 { (-num, -den) } else { (num, den) };
        let twice = 2 * num.abs() + den;
        let q = twice / (2 * den);
        if num < 0 { -q } else { q }
    }

    #[test]
    fn fast_path_agrees_with_the_definition() {
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        for _ in 0..20_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let num = (x as i64 >> (x % 40)) as i128;
            let den = ((x >> 20) % 20_000) as i128 - 10_000;
            if den == 0 {
                continue;
            }
            assert_eq!(
                div_round(num, den).map(i128::from),
                Some(reference(num, den)),
                "{num}/{den}"
            );
        }
        for (n, d) in [
            (i64::MAX as i128, 1),
            (i64::MIN as i128 + 1, 1),
            (-1, 2),
            (1, 2),
            (-3, 2),
            (999, 1000),
            (-500, 1000),
        ] {
            assert_eq!(
                div_round(n, d).map(i128::from),
                Some(reference(n, d)),
                "{n}/{d}"
            );
        }
    }

    #[test]
    fn weighed_line_example() {
        // 1.235 kg at 32 000.00 so'm/kg (3 200 000 tiyin) = 39 520.00 so'm.
        assert_eq!(div_round(3_200_000i128 * 1235, 1000), Some(3_952_000));
        // 0.333 kg at 123.45 so'm = 41.10885 so'm -> 4 111 tiyin.
        assert_eq!(div_round(12_345i128 * 333, 1000), Some(4_111));
    }
}

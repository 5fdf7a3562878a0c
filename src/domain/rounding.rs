//! The one rounding rule of Kassa.
//!
//! Every place where an exact result is not a whole number of minor units (a weighed line,
//! a percentage discount, sharing a sale discount across lines) divides with
//! [`div_round`]: round half away from zero, computed in `i128` so that the intermediate
//! product never overflows.

/// `num / den` rounded to the nearest integer, halves away from zero.
///
/// Returns `None` when `den` is zero or the result does not fit in an `i64`.
pub fn div_round(num: i128, den: i128) -> Option<i64> {
    if den == 0 {
        return None;
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

    #[test]
    fn weighed_line_example() {
        // 1.235 kg at 32 000.00 so'm/kg (3 200 000 tiyin) = 39 520.00 so'm.
        assert_eq!(div_round(3_200_000i128 * 1235, 1000), Some(3_952_000));
        // 0.333 kg at 123.45 so'm = 41.10885 so'm -> 4 111 tiyin.
        assert_eq!(div_round(12_345i128 * 333, 1000), Some(4_111));
    }
}

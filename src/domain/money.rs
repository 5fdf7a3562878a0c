//! Money as an integer count of minor units.
//!
//! For the Uzbek so'm the minor unit is the tiyin (1/100 so'm, ISO 4217 exponent 2). Shops
//! price in whole so'm, so [`Money::format`] prints "12 500 so'm" and only shows the tiyin
//! when there are some ("12 500,50 so'm"). Arithmetic is checked: an overflow is an error,
//! never a wrap.

use std::fmt;

/// Minor units in one major unit (tiyin per so'm).
pub const MINOR_PER_MAJOR: i64 = 100;

/// The largest amount Kassa accepts anywhere: 1 000 000 000 000 so'm. Larger values are
/// certainly typos and would risk overflow when summed.
pub const MAX_MONEY: Money = Money(1_000_000_000_000 * MINOR_PER_MAJOR);

#[derive(
    Clone,
    Copy,
    Debug,
    Default,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    serde::Serialize,
    serde::Deserialize,
)]
#[serde(transparent)]
pub struct Money(pub i64);

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum MoneyParseError {
    #[error("the amount is empty")]
    Empty,
    #[error("\"{0}\" is not an amount of money")]
    Invalid(String),
    #[error("the amount is too large")]
    TooLarge,
    #[error("the amount cannot be negative")]
    Negative,
}

/// Appends `digits` (ASCII digits) to `out` in groups of three with spaces: "12 500".
/// Shared by money and quantities as a person reads them.
pub fn push_grouped(out: &mut String, digits: &str) {
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(' ');
        }
        out.push(ch);
    }
}

/// `text` without a currency word at its end, as the program itself writes amounts
/// ("12 500 soʻm", "12 500 сум") and people type them (so'm, so‘m, som, sum, сўм, UZS).
fn without_currency(text: &str) -> &str {
    const WORDS: &[&str] = &[
        "soʻm", "so'm", "so‘m", "so’m", "so`m", "som", "sum", "сум", "сўм", "uzs",
    ];
    let lower = text.to_lowercase();
    for w in WORDS {
        if lower.ends_with(w) && lower.len() == text.len() {
            return text[..text.len() - w.len()].trim_end();
        }
    }
    text
}

impl Money {
    pub const ZERO: Money = Money(0);

    /// Whole so'm to money.
    pub const fn from_major(major: i64) -> Money {
        Money(major * MINOR_PER_MAJOR)
    }

    pub const fn minor(self) -> i64 {
        self.0
    }

    pub fn checked_add(self, other: Money) -> Option<Money> {
        self.0.checked_add(other.0).map(Money)
    }

    pub fn checked_sub(self, other: Money) -> Option<Money> {
        self.0.checked_sub(other.0).map(Money)
    }

    pub fn is_negative(self) -> bool {
        self.0 < 0
    }

    pub fn is_positive(self) -> bool {
        self.0 > 0
    }

    /// Sum with overflow detection.
    pub fn checked_sum<I: IntoIterator<Item = Money>>(items: I) -> Option<Money> {
        items
            .into_iter()
            .try_fold(Money::ZERO, |acc, m| acc.checked_add(m))
    }

    /// "12 500 so'm", "-3 000 so'm", "12 500,50 so'm".
    pub fn format(self) -> String {
        format!("{} so'm", self.format_number())
    }

    /// The number alone, grouped by thousands with spaces: "12 500", "12 500,50".
    pub fn format_number(self) -> String {
        let negative = self.0 < 0;
        let abs = self.0.unsigned_abs();
        let major = abs / MINOR_PER_MAJOR as u64;
        let minor = abs % MINOR_PER_MAJOR as u64;
        let mut out = String::with_capacity(24);
        if negative {
            out.push('-');
        }
        push_grouped(&mut out, &major.to_string());
        if minor != 0 {
            out.push(',');
            out.push_str(&format!("{minor:02}"));
        }
        out
    }

    /// Parses what a person types: "12500", "12 500", "12 500,50", "12500.5", "12'500".
    /// Negative amounts are refused; use a separate sign where one is meant.
    pub fn parse(input: &str) -> Result<Money, MoneyParseError> {
        let cleaned: String = without_currency(input.trim())
            .chars()
            .filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '\'' | '_'))
            .collect();
        if cleaned.is_empty() {
            return Err(MoneyParseError::Empty);
        }
        if cleaned.starts_with('-') {
            return Err(MoneyParseError::Negative);
        }
        let invalid = || MoneyParseError::Invalid(input.trim().to_string());
        let (int_part, frac_part) = match cleaned.find([',', '.']) {
            Some(pos) => (&cleaned[..pos], &cleaned[pos + 1..]),
            None => (cleaned.as_str(), ""),
        };
        if int_part.is_empty() && frac_part.is_empty() {
            return Err(invalid());
        }
        if !int_part.chars().all(|c| c.is_ascii_digit())
            || !frac_part.chars().all(|c| c.is_ascii_digit())
            || frac_part.len() > 2
        {
            return Err(invalid());
        }
        let major: i64 = if int_part.is_empty() {
            0
        } else {
            int_part.parse().map_err(|_| MoneyParseError::TooLarge)?
        };
        let minor: i64 = match frac_part.len() {
            0 => 0,
            1 => frac_part.parse::<i64>().map_err(|_| invalid())? * 10,
            _ => frac_part.parse().map_err(|_| invalid())?,
        };
        let value = major
            .checked_mul(MINOR_PER_MAJOR)
            .and_then(|v| v.checked_add(minor))
            .ok_or(MoneyParseError::TooLarge)?;
        if value > MAX_MONEY.0 {
            return Err(MoneyParseError::TooLarge);
        }
        Ok(Money(value))
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.format())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_as_the_program_writes_them_are_read_back() {
        for typed in [
            "12 500 soʻm",
            "12500 so'm",
            "12 500 сум",
            "12 500 UZS",
            "12 500 sum",
        ] {
            assert_eq!(
                Money::parse(typed),
                Ok(Money::from_major(12_500)),
                "{typed}"
            );
        }
        assert!(Money::parse("soʻm").is_err());
    }

    #[test]
    fn formats_whole_soum_with_groups() {
        assert_eq!(Money::from_major(12_500).format(), "12 500 so'm");
        assert_eq!(Money::from_major(0).format(), "0 so'm");
        assert_eq!(Money::from_major(999).format(), "999 so'm");
        assert_eq!(Money::from_major(1_000).format(), "1 000 so'm");
        assert_eq!(Money::from_major(1_234_567).format(), "1 234 567 so'm");
        assert_eq!(Money::from_major(-3_000).format(), "-3 000 so'm");
    }

    #[test]
    fn formats_tiyin_only_when_present() {
        assert_eq!(Money(1_250_050).format(), "12 500,50 so'm");
        assert_eq!(Money(5).format(), "0,05 so'm");
        assert_eq!(Money(-150).format(), "-1,50 so'm");
    }

    #[test]
    fn formats_extremes_without_panicking() {
        assert!(Money(i64::MIN).format().starts_with('-'));
        assert!(Money(i64::MAX).format().ends_with("so'm"));
    }

    #[test]
    fn parses_what_people_type() {
        assert_eq!(Money::parse("12500"), Ok(Money::from_major(12_500)));
        assert_eq!(Money::parse(" 12 500 "), Ok(Money::from_major(12_500)));
        assert_eq!(Money::parse("12 500 so'm"), Ok(Money::from_major(12_500)));
        assert_eq!(Money::parse("12 500,50"), Ok(Money(1_250_050)));
        assert_eq!(Money::parse("12500.5"), Ok(Money(1_250_050)));
        assert_eq!(Money::parse("0,05"), Ok(Money(5)));
        assert_eq!(Money::parse(",5"), Ok(Money(50)));
        assert_eq!(Money::parse("12'500"), Ok(Money::from_major(12_500)));
    }

    #[test]
    fn refuses_bad_amounts() {
        assert_eq!(Money::parse(""), Err(MoneyParseError::Empty));
        assert_eq!(Money::parse("   "), Err(MoneyParseError::Empty));
        assert_eq!(Money::parse("-5"), Err(MoneyParseError::Negative));
        assert!(matches!(
            Money::parse("12a"),
            Err(MoneyParseError::Invalid(_))
        ));
        assert!(matches!(
            Money::parse("1,234"),
            Err(MoneyParseError::Invalid(_))
        ));
        assert!(matches!(
            Money::parse("1.2.3"),
            Err(MoneyParseError::Invalid(_))
        ));
        assert!(matches!(
            Money::parse("."),
            Err(MoneyParseError::Invalid(_))
        ));
        assert_eq!(
            Money::parse("99999999999999999999999"),
            Err(MoneyParseError::TooLarge)
        );
        assert_eq!(
            Money::parse("1000000000001"),
            Err(MoneyParseError::TooLarge)
        );
    }

    #[test]
    fn checked_arithmetic() {
        assert_eq!(Money(i64::MAX).checked_add(Money(1)), None);
        assert_eq!(
            Money::checked_sum([Money(1), Money(2), Money(3)]),
            Some(Money(6))
        );
        assert_eq!(Money::checked_sum([Money(i64::MAX), Money(1)]), None);
    }
}

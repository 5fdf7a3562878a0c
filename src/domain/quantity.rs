//! Quantities as integer thousandths.
//!
//! A piece-counted product sells in whole units (1000, 2000, ...); a weighed product in grams
//! (1.250 kg is 1250). [`Quantity::parse`] reads "3", "1.25", "1,250".

use std::fmt;

/// Thousandths in one unit.
pub const QTY_SCALE: i64 = 1000;

/// The largest quantity on one line: 100 000 units (or kg). Anything above is a typo,
/// most often a barcode scanned into the quantity field.
pub const MAX_QUANTITY: Quantity = Quantity(100_000 * QTY_SCALE);

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Quantity(pub i64);

/// How a product is counted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Unit {
    Piece,
    Weight,
}

impl Unit {
    pub fn as_str(self) -> &'static str {
        match self {
            Unit::Piece => "piece",
            Unit::Weight => "weight",
        }
    }

    pub fn parse(s: &str) -> Option<Unit> {
        match s {
            "piece" => Some(Unit::Piece),
            "weight" => Some(Unit::Weight),
            _ => None,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum QuantityError {
    #[error("the quantity is empty")]
    Empty,
    #[error("\"{0}\" is not a quantity")]
    Invalid(String),
    #[error("the quantity must be greater than zero")]
    NotPositive,
    #[error("the quantity is too large")]
    TooLarge,
    #[error("this product is sold in whole pieces")]
    NotWhole,
}

impl Quantity {
    pub const fn units(n: i64) -> Quantity {
        Quantity(n * QTY_SCALE)
    }

    pub const fn thousandths(self) -> i64 {
        self.0
    }

    pub fn is_whole(self) -> bool {
        self.0 % QTY_SCALE == 0
    }

    /// Checks that a quantity can stand on a sale or supply line of a product with `unit`.
    #[inline]
    pub fn validate_for(self, unit: Unit) -> Result<Quantity, QuantityError> {
        if self.0 <= 0 {
            return Err(QuantityError::NotPositive);
        }
        if self > MAX_QUANTITY {
            return Err(QuantityError::TooLarge);
        }
        if unit == Unit::Piece && !self.is_whole() {
            return Err(QuantityError::NotWhole);
        }
        Ok(self)
    }

    /// Parses "3", "1.25", "1,250", "0.5". At most three decimals.
    pub fn parse(input: &str) -> Result<Quantity, QuantityError> {
        let shown = input.trim();
        if shown.is_empty() {
            return Err(QuantityError::Empty);
        }
        let invalid = || QuantityError::Invalid(shown.to_string());
        // Thousands grouped with spaces ("1 000,5"), as the program shows quantities and
        // spreadsheets export them; the same parser for the till, the forms and imports.
        let grouped: String = shown
            .chars()
            .filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}'))
            .collect();
        let s = grouped.as_str();
        if s.starts_with('-') {
            return Err(QuantityError::NotPositive);
        }
        let (int_part, frac_part) = match s.find([',', '.']) {
            Some(pos) => (&s[..pos], &s[pos + 1..]),
            None => (s, ""),
        };
        if (int_part.is_empty() && frac_part.is_empty())
            || !int_part.chars().all(|c| c.is_ascii_digit())
            || !frac_part.chars().all(|c| c.is_ascii_digit())
            || frac_part.len() > 3
        {
            return Err(invalid());
        }
        let whole: i64 = if int_part.is_empty() {
            0
        } else {
            int_part.parse().map_err(|_| QuantityError::TooLarge)?
        };
        let mut frac: i64 = if frac_part.is_empty() {
            0
        } else {
            frac_part.parse().map_err(|_| invalid())?
        };
        for _ in frac_part.len()..3 {
            frac *= 10;
        }
        let value = whole
            .checked_mul(QTY_SCALE)
            .and_then(|v| v.checked_add(frac))
            .ok_or(QuantityError::TooLarge)?;
        if value > MAX_QUANTITY.0 {
            return Err(QuantityError::TooLarge);
        }
        Ok(Quantity(value))
    }
}

impl fmt::Display for Quantity {
    /// "3", "1.25", "0.005".
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        let whole = abs / QTY_SCALE as u64;
        let frac = abs % QTY_SCALE as u64;
        if frac == 0 {
            write!(f, "{sign}{whole}")
        } else {
            let frac = format!("{frac:03}");
            write!(f, "{sign}{whole}.{}", frac.trim_end_matches('0'))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grouped_thousands_are_read_as_the_import_reads_them() {
        assert_eq!(Quantity::parse("1 000,5"), Ok(Quantity(1_000_500)));
        assert_eq!(Quantity::parse("1\u{a0}000"), Ok(Quantity::units(1_000)));
        assert!(Quantity::parse("1 000,5 x").is_err());
    }

    #[test]
    fn parses_and_displays() {
        assert_eq!(Quantity::parse("3"), Ok(Quantity(3000)));
        assert_eq!(Quantity::parse("1.25"), Ok(Quantity(1250)));
        assert_eq!(Quantity::parse("1,250"), Ok(Quantity(1250)));
        assert_eq!(Quantity::parse("0.005"), Ok(Quantity(5)));
        assert_eq!(Quantity::parse(".5"), Ok(Quantity(500)));
        assert_eq!(Quantity(1250).to_string(), "1.25");
        assert_eq!(Quantity(3000).to_string(), "3");
        assert_eq!(Quantity(5).to_string(), "0.005");
        assert_eq!(Quantity(-1500).to_string(), "-1.5");
    }

    #[test]
    fn refuses_bad_quantities() {
        assert_eq!(Quantity::parse(""), Err(QuantityError::Empty));
        assert_eq!(Quantity::parse("-1"), Err(QuantityError::NotPositive));
        assert!(matches!(
            Quantity::parse("1.2345"),
            Err(QuantityError::Invalid(_))
        ));
        assert!(matches!(
            Quantity::parse("abc"),
            Err(QuantityError::Invalid(_))
        ));
        assert_eq!(
            Quantity::parse("4780000000013"),
            Err(QuantityError::TooLarge)
        );
        assert_eq!(
            Quantity::parse("99999999999999999999"),
            Err(QuantityError::TooLarge)
        );
    }

    #[test]
    fn validates_for_unit() {
        assert_eq!(
            Quantity(1500).validate_for(Unit::Piece),
            Err(QuantityError::NotWhole)
        );
        assert_eq!(
            Quantity(1500).validate_for(Unit::Weight),
            Ok(Quantity(1500))
        );
        assert_eq!(
            Quantity(0).validate_for(Unit::Weight),
            Err(QuantityError::NotPositive)
        );
        assert_eq!(
            Quantity(-1000).validate_for(Unit::Piece),
            Err(QuantityError::NotPositive)
        );
        assert_eq!(
            Quantity(MAX_QUANTITY.0 + 1).validate_for(Unit::Weight),
            Err(QuantityError::TooLarge)
        );
    }
}

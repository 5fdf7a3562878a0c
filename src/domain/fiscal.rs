//! What the law asks of a product on a fiscal receipt, checked as typed: the MXIK/IKPU
//! class code (17 digits), the package and unit codes of the tax committee's catalog, the VAT
//! rate (12 %, 0 % or exempt; VAT is included in the price) and the DataMatrix marking codes
//! of marked goods (tobacco, alcohol, beer, medicines, water, appliances…). Pure: no I/O.

use serde::{Deserialize, Serialize};

use super::rounding::div_round;

/// The VAT rate of a product, included in its price.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Vat {
    /// The standard rate, 12 %.
    #[default]
    Twelve,
    /// 0 % (zero-rated goods).
    Zero,
    /// Not subject to VAT.
    Exempt,
}

impl Vat {
    pub const ALL: [Vat; 3] = [Vat::Twelve, Vat::Zero, Vat::Exempt];

    /// As stored and exported: "12", "0", "exempt".
    pub fn as_str(self) -> &'static str {
        match self {
            Vat::Twelve => "12",
            Vat::Zero => "0",
            Vat::Exempt => "exempt",
        }
    }

    /// Reads the stored form, and what people write ("12%", "0 %", "без НДС", "QQSsiz").
    pub fn parse(text: &str) -> Option<Vat> {
        let t = text.trim().trim_end_matches('%').trim().to_lowercase();
        match t.as_str() {
            "12" | "" => Some(Vat::Twelve),
            "0" => Some(Vat::Zero),
            "exempt" | "без ндс" | "qqssiz" | "qqs yoʻq" | "no vat" | "-" => {
                Some(Vat::Exempt)
            }
            _ => None,
        }
    }

    /// The rate in percent; `None` when exempt.
    pub fn percent(self) -> Option<u32> {
        match self {
            Vat::Twelve => Some(12),
            Vat::Zero => Some(0),
            Vat::Exempt => None,
        }
    }

    /// The VAT included in `total` (tiyin): total × rate / (100 + rate), rounded half away
    /// from zero; nothing when exempt.
    pub fn included_in(self, total: i64) -> i64 {
        match self.percent() {
            Some(p) if p > 0 => {
                div_round(i128::from(total) * i128::from(p), i128::from(100 + p)).unwrap_or(0)
            }
            _ => 0,
        }
    }
}

/// Why a product's fiscal data is refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum FiscalDataError {
    #[error("the class code (MXIK) must be 17 digits: \"{0}\"")]
    ClassCode(String),
    #[error("the package code must be digits: \"{0}\"")]
    PackageCode(String),
    #[error("the unit code must be digits: \"{0}\"")]
    UnitCode(String),
    #[error("not a marking code: \"{0}\"")]
    MarkingCode(String),
}

/// A class code as typed: empty (not set) or exactly 17 digits.
pub fn class_code(text: &str) -> Result<String, FiscalDataError> {
    let t: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    if t.is_empty() || (t.len() == 17 && t.chars().all(|c| c.is_ascii_digit())) {
        Ok(t)
    } else {
        Err(FiscalDataError::ClassCode(text.trim().to_string()))
    }
}

/// A package or unit code as typed: empty or 1 to 20 digits.
fn digits(text: &str, err: fn(String) -> FiscalDataError) -> Result<String, FiscalDataError> {
    let t = text.trim();
    if t.is_empty() || (t.len() <= 20 && t.chars().all(|c| c.is_ascii_digit())) {
        Ok(t.to_string())
    } else {
        Err(err(t.to_string()))
    }
}

pub fn package_code(text: &str) -> Result<String, FiscalDataError> {
    digits(text, FiscalDataError::PackageCode)
}

pub fn unit_code(text: &str) -> Result<String, FiscalDataError> {
    digits(text, FiscalDataError::UnitCode)
}

/// A DataMatrix marking code as a scanner types it: the GS1 code of the piece (GTIN "01",
/// serial "21" and the crypto tail), 20 to 200 printable characters; the group separator
/// (GS, 0x1D) some scanners send between its parts is kept. Anything shorter is a barcode
/// scanned by mistake.
pub fn marking_code(text: &str) -> Result<String, FiscalDataError> {
    let t = text.trim_matches(|c: char| c == '\r' || c == '\n' || c == ' ');
    let ok = (20..=200).contains(&t.len())
        && t.starts_with("01")
        && t.chars().all(|c| c.is_ascii_graphic() || c == '\u{1d}');
    if ok {
        Ok(t.to_string())
    } else {
        Err(FiscalDataError::MarkingCode(t.chars().take(40).collect()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vat_included_in_the_price() {
        // 112 000 so'm at 12 %: 12 000 of it is VAT.
        assert_eq!(Vat::Twelve.included_in(11_200_000), 1_200_000);
        assert_eq!(Vat::Twelve.included_in(100), 11); // 10.71 → 11
        assert_eq!(Vat::Zero.included_in(100_000), 0);
        assert_eq!(Vat::Exempt.included_in(100_000), 0);
        for v in Vat::ALL {
            assert_eq!(Vat::parse(v.as_str()), Some(v));
        }
        assert_eq!(Vat::parse("12 %"), Some(Vat::Twelve));
        assert_eq!(Vat::parse("Без НДС"), Some(Vat::Exempt));
        assert_eq!(Vat::parse("15"), None);
    }

    #[test]
    fn codes_as_typed() {
        assert_eq!(
            class_code("10202001001000000"),
            Ok("10202001001000000".into())
        );
        assert_eq!(
            class_code(" 102 020 010 010 000 00 "),
            Ok("10202001001000000".into())
        );
        assert_eq!(class_code(""), Ok(String::new()));
        assert!(class_code("1020200100100000").is_err());
        assert!(class_code("1020200100100000x").is_err());
        assert_eq!(package_code("1506413"), Ok("1506413".into()));
        assert!(package_code("15x").is_err());
        let dm = "0104780000000013215abcDEF\u{1d}93Ab12";
        assert_eq!(marking_code(dm), Ok(dm.into()));
        assert!(
            marking_code("4780000000013").is_err(),
            "a barcode is not a marking code"
        );
        assert!(marking_code("0104780000000013 21 x").is_err());
    }
}

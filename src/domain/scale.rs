//! Barcodes printed by shop scales for weighed goods: EAN-13 codes starting with 20–29.
//!
//! Layout used by Kassa (the common one in the region): `2P IIIII VVVVV C` — the first seven
//! digits (`2P` + a five-digit item code) are the barcode stored on the product, `VVVVV` is
//! the weight in grams for prefixes 20–24, or the price in whole so'm for prefixes 25–29,
//! and `C` is the EAN-13 check digit.

use super::barcode::gs1_check_digit;
use super::money::Money;
use super::quantity::Quantity;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ScaleValue {
    Weight(Quantity),
    Price(Money),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScaleCode {
    /// The first seven digits: the barcode stored on the product.
    pub product_code: String,
    pub value: ScaleValue,
}

/// Reads a scale barcode; `None` for anything else (including a wrong check digit).
pub fn parse(code: &str) -> Option<ScaleCode> {
    let code = code.trim();
    if code.len() != 13 || !code.bytes().all(|b| b.is_ascii_digit()) || !code.starts_with('2') {
        return None;
    }
    let digits: Vec<u8> = code.bytes().map(|b| b - b'0').collect();
    if gs1_check_digit(&digits[..12]) != digits[12] {
        return None;
    }
    let value: i64 = code[7..12].parse().ok()?;
    let value = if digits[1] <= 4 {
        ScaleValue::Weight(Quantity(value))
    } else {
        ScaleValue::Price(Money::from_major(value))
    };
    Some(ScaleCode {
        product_code: code[..7].to_string(),
        value,
    })
}

/// The quantity a price-carrying scale label stands for at `unit_price` per kg, rounded to
/// the gram.
pub fn quantity_for_price(price: Money, unit_price: Money) -> Option<Quantity> {
    if unit_price.0 <= 0 {
        return None;
    }
    super::rounding::div_round(i128::from(price.0) * 1000, i128::from(unit_price.0)).map(Quantity)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::barcode::ean13_from_body;

    fn label(body: &str) -> String {
        let mut b = [0u8; 12];
        for (i, c) in body.bytes().enumerate() {
            b[i] = c - b'0';
        }
        ean13_from_body(&b)
    }

    #[test]
    fn weight_labels() {
        let code = label("201234501235");
        let s = parse(&code).unwrap();
        assert_eq!(s.product_code, "2012345");
        assert_eq!(s.value, ScaleValue::Weight(Quantity(1235)));
    }

    #[test]
    fn price_labels() {
        let code = label("251234518500");
        let s = parse(&code).unwrap();
        assert_eq!(s.value, ScaleValue::Price(Money::from_major(18_500)));
        // 18 500 so'm of cheese at 95 000 so'm/kg is 0.195 kg.
        assert_eq!(
            quantity_for_price(Money::from_major(18_500), Money::from_major(95_000)),
            Some(Quantity(195))
        );
    }

    #[test]
    fn not_scale_labels() {
        assert_eq!(parse("4780000000013"), None);
        let good = label("201234501235");
        let last = good.as_bytes()[12] - b'0';
        let bad = format!("{}{}", &good[..12], (last + 1) % 10);
        assert_eq!(parse(&bad), None, "wrong check digit");
        assert_eq!(parse("20123450123"), None);
        assert_eq!(parse("2012345O12350"), None);
    }
}

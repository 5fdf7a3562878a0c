//! Barcodes: what Kassa accepts as one, and the GS1 check digit of EAN/UPC codes.

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum BarcodeError {
    #[error("the barcode is empty")]
    Empty,
    #[error("\"{0}\" is not a barcode: only letters, digits and - are allowed, 4 to 32 of them")]
    Malformed(String),
    #[error("\"{0}\" has a wrong check digit")]
    CheckDigit(String),
}

/// The GS1 check digit for the digits before it (EAN-8, UPC-A, EAN-13, ITF-14).
pub fn gs1_check_digit(digits: &[u8]) -> u8 {
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(i, d)| u32::from(*d) * if i % 2 == 0 { 3 } else { 1 })
        .sum();
    ((10 - sum % 10) % 10) as u8
}

/// Validates and trims a barcode. All-digit codes of GS1 lengths (8, 12, 13, 14) must carry a
/// correct check digit; other codes (Code 128, internal codes) need 4 to 32 ASCII letters,
/// digits or dashes.
pub fn validate(input: &str) -> Result<String, BarcodeError> {
    let code = input.trim();
    if code.is_empty() {
        return Err(BarcodeError::Empty);
    }
    if code.len() < 4
        || code.len() > 32
        || !code.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
    {
        return Err(BarcodeError::Malformed(code.to_string()));
    }
    if code.chars().all(|c| c.is_ascii_digit()) && matches!(code.len(), 8 | 12 | 13 | 14) {
        let digits: Vec<u8> = code.bytes().map(|b| b - b'0').collect();
        let (body, check) = digits.split_at(digits.len() - 1);
        if gs1_check_digit(body) != check[0] {
            return Err(BarcodeError::CheckDigit(code.to_string()));
        }
    }
    Ok(code.to_string())
}

/// Completes 12 digits into an EAN-13 code.
pub fn ean13_from_body(body: &[u8; 12]) -> String {
    let mut s: String = body.iter().map(|d| char::from(b'0' + d)).collect();
    s.push(char::from(b'0' + gs1_check_digit(body)));
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_digits_of_real_codes() {
        // 4 006381 33393 1 is a well-known valid EAN-13.
        assert_eq!(validate("4006381333931").as_deref(), Ok("4006381333931"));
        assert!(matches!(
            validate("4006381333932"),
            Err(BarcodeError::CheckDigit(_))
        ));
        // UPC-A 036000291452, EAN-8 96385074.
        assert!(validate("036000291452").is_ok());
        assert!(validate("96385074").is_ok());
    }

    #[test]
    fn generated_ean13_validates() {
        let code = ean13_from_body(&[4, 7, 8, 0, 1, 2, 3, 4, 5, 6, 7, 8]);
        assert_eq!(code.len(), 13);
        assert!(validate(&code).is_ok());
    }

    #[test]
    fn malformed_codes() {
        assert_eq!(validate("  "), Err(BarcodeError::Empty));
        for s in [
            "12",
            "abc def",
            "12345678901234567890123456789012345",
            "4780😀",
            "47;80",
        ] {
            assert!(
                matches!(validate(s), Err(BarcodeError::Malformed(_))),
                "{s}"
            );
        }
        assert_eq!(validate(" ABC-123 ").as_deref(), Ok("ABC-123"));
    }
}

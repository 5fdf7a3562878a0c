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

/// A code as a manager's form or a product file gives it: as [`validate`], but an all-digit
/// code of a GS1 length whose check digit is wrong is the shop's own internal code (many
/// shops number their goods so, e.g. 33333333): accepted, and labelled with Code 128 (see
/// [`is_internal`]). A scan at the till is looked up first and, when no product has it, a
/// wrong check digit is still told as a misread.
pub fn validate_shop(input: &str) -> Result<String, BarcodeError> {
    match validate(input) {
        Err(BarcodeError::CheckDigit(code)) => Ok(code),
        other => other,
    }
}

/// Whether `code` looks like an EAN/UPC (all digits, a GS1 length) but its check digit is
/// wrong: an internal code, which must never be printed as an EAN (the printer would add
/// another check digit and the label would scan as a different code).
pub fn is_internal(code: &str) -> bool {
    code.chars().all(|c| c.is_ascii_digit())
        && matches!(code.len(), 8 | 12 | 13 | 14)
        && validate(code).is_err()
}

/// Whether `code` is a valid EAN-13 (printed with EAN-13 bars).
pub fn is_ean13(code: &str) -> bool {
    code.len() == 13 && code.chars().all(|c| c.is_ascii_digit()) && validate(code).is_ok()
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
    fn internal_codes_are_kept_but_never_taken_for_ean() {
        assert!(validate("33333333").is_err());
        assert_eq!(validate_shop("33333333").as_deref(), Ok("33333333"));
        assert!(is_internal("33333333"));
        assert!(!is_internal("96385074"));
        assert!(!is_internal("AB-1234"));
        assert!(is_ean13("4006381333931"));
        assert!(!is_ean13("4006381333932"));
        assert!(validate_shop("12").is_err());
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

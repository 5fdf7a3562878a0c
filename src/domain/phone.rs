//! Phone numbers, normalised to digits with the country code: "+998 90 123-45-67",
//! "90 123 45 67" and "998901234567" are all 998901234567.

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PhoneError {
    #[error("\"{0}\" is not a phone number")]
    Invalid(String),
}

/// Uzbekistan's country code.
const UZ: &str = "998";

/// Normalises a phone number. A 9-digit local number gets 998 in front; other numbers must
/// have 10 to 15 digits (E.164). Spaces, dashes, dots, brackets and one leading + are allowed.
pub fn normalize(input: &str) -> Result<String, PhoneError> {
    let trimmed = input.trim();
    let invalid = || PhoneError::Invalid(trimmed.to_string());
    let body = trimmed.strip_prefix('+').unwrap_or(trimmed);
    let mut digits = String::with_capacity(body.len());
    for c in body.chars() {
        match c {
            '0'..='9' => digits.push(c),
            ' ' | '-' | '.' | '(' | ')' | '\u{a0}' => {}
            _ => return Err(invalid()),
        }
    }
    match digits.len() {
        9 if !trimmed.starts_with('+') => Ok(format!("{UZ}{digits}")),
        10..=15 => {
            if digits.starts_with(UZ) && digits.len() != 12 {
                return Err(invalid());
            }
            Ok(digits)
        }
        _ => Err(invalid()),
    }
}

/// "+998 90 123 45 67" for an Uzbek number, "+<digits>" otherwise.
pub fn display(normalized: &str) -> String {
    if normalized.len() == 12 && normalized.starts_with(UZ) {
        let d = normalized;
        format!(
            "+998 {} {} {} {}",
            &d[3..5],
            &d[5..8],
            &d[8..10],
            &d[10..12]
        )
    } else if normalized.is_empty() {
        String::new()
    } else {
        format!("+{normalized}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_the_usual_ways_of_writing_it() {
        for s in [
            "+998 90 123-45-67",
            "998901234567",
            "90 123 45 67",
            "(90) 123-45-67",
            "+998 (90) 123 45 67",
        ] {
            assert_eq!(normalize(s).as_deref(), Ok("998901234567"), "{s}");
        }
        assert_eq!(normalize("+7 916 123 45 67").as_deref(), Ok("79161234567"));
    }

    #[test]
    fn refuses_what_is_not_a_phone() {
        for s in [
            "",
            "12345",
            "abc",
            "+998 90 123",
            "99890123456789",
            "90-123-45-6x",
            "++998901234567",
        ] {
            assert!(normalize(s).is_err(), "{s}");
        }
    }

    #[test]
    fn displays_uzbek_numbers_grouped() {
        assert_eq!(display("998901234567"), "+998 90 123 45 67");
        assert_eq!(display("79161234567"), "+79161234567");
    }
}

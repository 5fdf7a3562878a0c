//! Barcode symbols as rows of modules (true: a bar), for labels drawn on paper by Kassa
//! itself (the A4 sticker sheets): EAN-13 for valid EAN-13 codes (a shop's internal 13-digit
//! code with another check digit is drawn as Code 128, as it is), Code 128 (set B, or set C for even runs of
//! digits) for every other code Kassa accepts. Each symbol includes its quiet zones' absence:
//! the caller leaves white space around it.

/// EAN-13's left-hand odd (L) patterns; G is the reverse of R, R the complement of L.
const EAN_L: [&str; 10] = [
    "0001101", "0011001", "0010011", "0111101", "0100011", "0110001", "0101111", "0111011",
    "0110111", "0001011",
];
/// Which of the six left digits use the G set, by the first (implicit) digit.
const EAN_PARITY: [&str; 10] = [
    "LLLLLL", "LLGLGG", "LLGGLG", "LLGGGL", "LGLLGG", "LGGLLG", "LGGGLL", "LGLGLG", "LGLGGL",
    "LGGLGL",
];

fn push_bits(out: &mut Vec<bool>, bits: &str) {
    out.extend(bits.bytes().map(|b| b == b'1'));
}

/// The 95 modules of an EAN-13 code, or `None` when `code` is not a valid EAN-13.
pub fn ean13(code: &str) -> Option<Vec<bool>> {
    if !crate::domain::barcode::is_ean13(code) {
        return None;
    }
    let d: Vec<usize> = code.bytes().map(|b| usize::from(b - b'0')).collect();
    let mut out = Vec::with_capacity(95);
    push_bits(&mut out, "101");
    for (i, set) in EAN_PARITY[d[0]].bytes().enumerate() {
        let l = EAN_L[d[i + 1]];
        if set == b'L' {
            push_bits(&mut out, l);
        } else {
            // G: the R pattern (L complemented) read backwards.
            let g: String = l
                .bytes()
                .rev()
                .map(|b| if b == b'1' { '0' } else { '1' })
                .collect();
            push_bits(&mut out, &g);
        }
    }
    push_bits(&mut out, "01010");
    for &digit in &d[7..] {
        let r: String = EAN_L[digit]
            .bytes()
            .map(|b| if b == b'1' { '0' } else { '1' })
            .collect();
        push_bits(&mut out, &r);
    }
    push_bits(&mut out, "101");
    Some(out)
}

/// Code 128's 107 symbols as bar and space widths (bar first); 106 is the stop without its
/// final bar.
const C128: [&str; 107] = [
    "212222", "222122", "222221", "121223", "121322", "131222", "122213", "122312", "132212",
    "221213", "221312", "231212", "112232", "122132", "122231", "113222", "123122", "123221",
    "223211", "221132", "221231", "213212", "223112", "312131", "311222", "321122", "321221",
    "312212", "322112", "322211", "212123", "212321", "232121", "111323", "131123", "131321",
    "112313", "132113", "132311", "211313", "231113", "231311", "112133", "112331", "132131",
    "113123", "113321", "133121", "313121", "211331", "231131", "213113", "213311", "213131",
    "311123", "311321", "331121", "312113", "312311", "332111", "314111", "221411", "431111",
    "111224", "111422", "121124", "121421", "141122", "141221", "112214", "112412", "122114",
    "122411", "142112", "142211", "241211", "221114", "413111", "241112", "134111", "111242",
    "121142", "121241", "114212", "124112", "124211", "411212", "421112", "421211", "212141",
    "214121", "412121", "111143", "111341", "131141", "114113", "114311", "411113", "411311",
    "113141", "114131", "311141", "411131", "211412", "211214", "211232", "233111",
];
const START_B: usize = 104;
const START_C: usize = 105;
const CODE_B: usize = 100;
const CODE_C: usize = 99;

fn push_widths(out: &mut Vec<bool>, widths: &str) {
    for (i, w) in widths.bytes().enumerate() {
        let bar = i % 2 == 0;
        out.extend(std::iter::repeat_n(bar, usize::from(w - b'0')));
    }
}

/// The symbol values of `code` in Code 128: set C for runs of four or more digits (an even
/// number of them), set B otherwise. `None` when a character is outside printable ASCII.
fn code128_values(code: &str) -> Option<Vec<usize>> {
    let bytes = code.as_bytes();
    if bytes.is_empty() || !bytes.iter().all(|b| (32..127).contains(b)) {
        return None;
    }
    let digits_from = |i: usize| bytes[i..].iter().take_while(|b| b.is_ascii_digit()).count();
    let mut values = Vec::new();
    let lead = digits_from(0);
    let mut in_c = lead % 2 == 0 && (lead >= 4 || (lead == bytes.len() && lead >= 2));
    values.push(if in_c { START_C } else { START_B });
    let mut i = 0;
    while i < bytes.len() {
        let run = digits_from(i);
        if in_c {
            if run >= 2 {
                values.push(usize::from(bytes[i] - b'0') * 10 + usize::from(bytes[i + 1] - b'0'));
                i += 2;
                continue;
            }
            values.push(CODE_B);
            in_c = false;
        } else if run >= 4 {
            // An even run switches to C; an odd one leaves its first digit in B.
            if run % 2 == 1 {
                values.push(usize::from(bytes[i] - 32));
                i += 1;
            }
            values.push(CODE_C);
            in_c = true;
            continue;
        }
        values.push(usize::from(bytes[i] - 32));
        i += 1;
    }
    let check = values
        .iter()
        .enumerate()
        .map(|(pos, v)| v * pos.max(1))
        .sum::<usize>()
        % 103;
    values.push(check);
    Some(values)
}

/// The modules of `code` in Code 128 (start, data, check symbol, stop).
pub fn code128(code: &str) -> Option<Vec<bool>> {
    let values = code128_values(code)?;
    let mut out = Vec::with_capacity(values.len() * 11 + 13);
    for v in values {
        push_widths(&mut out, C128[v]);
    }
    push_widths(&mut out, C128[106]);
    out.push(true);
    out.push(true);
    Some(out)
}

/// The symbol for a code: EAN-13 for 13 digits, Code 128 for the rest.
pub fn modules(code: &str) -> Option<Vec<bool>> {
    ean13(code).or_else(|| code128(code))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code128_symbol_is_eleven_modules_and_unique() {
        let mut seen = std::collections::HashSet::new();
        for (i, w) in C128.iter().enumerate() {
            let sum: u32 = w.bytes().map(|b| u32::from(b - b'0')).sum();
            assert_eq!(sum, 11, "symbol {i}");
            assert!(seen.insert(*w), "symbol {i} twice");
        }
    }

    #[test]
    fn ean13_has_its_guards_and_ninety_five_modules() {
        let m = ean13("4780000000014").unwrap();
        assert_eq!(m.len(), 95);
        assert_eq!(&m[..3], &[true, false, true]);
        assert_eq!(&m[45..50], &[false, true, false, true, false]);
        assert_eq!(&m[92..], &[true, false, true]);
        assert!(ean13("478000000001").is_none());
    }

    #[test]
    fn code128_picks_set_c_for_digit_runs() {
        // Start C, 20 00 01 70, check, for a 8-digit code.
        assert_eq!(
            code128_values("20000170").unwrap()[..5],
            [START_C, 20, 0, 1, 70]
        );
        let v = code128_values("AB-12345678").unwrap();
        assert_eq!(v[0], START_B);
        assert!(v.contains(&CODE_C));
        // Start, four characters, check: 11 modules each; the stop 13.
        assert_eq!(code128_values("AB12").unwrap().len(), 6);
        assert_eq!(code128("AB12").unwrap().len(), 6 * 11 + 13);
    }
}

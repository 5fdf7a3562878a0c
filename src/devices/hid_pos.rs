//! Decoding the input reports of a USB HID POS barcode scanner (usage page 0x8C, "Bar Code
//! Scanner", usage 0x02) into barcodes. A pure function of the bytes, so it is tested on
//! synthetic reports and fuzzed (fuzz/fuzz_targets/hid_report.rs).
//!
//! The scanned-data input report, as Honeywell, Zebra and Datalogic scanners send it in HID
//! POS mode:
//!
//! ```text
//! byte 0       report id 0x02
//! byte 1       n: number of barcode bytes in this report
//! bytes 2..5   AIM symbology identifier, e.g. "]E0" (EAN-13), "]C0" (Code 128)
//! bytes 5..5+n barcode data
//! ...          padding
//! last byte    bit 0: more data follows in the next report
//! ```
//!
//! A barcode longer than one report arrives in several, each with the flag set but the last;
//! the decoder joins them. Anything that does not fit this layout is an error for that report
//! (and drops a half-read barcode), never a panic.

/// The report id of scanned data.
pub const SCAN_REPORT_ID: u8 = 0x02;
/// The usage page of HID POS barcode scanners.
pub const USAGE_PAGE: u16 = crate::domain::device_address::HID_POS_USAGE_PAGE;
/// The longest barcode accepted (2D codes can be long; the till takes up to 32 characters).
pub const MAX_CODE: usize = 1024;

const HEADER: usize = 5;

/// One decoded scan.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Scan {
    /// AIM symbology identifier, e.g. "]E0"; empty when the scanner sent none.
    pub symbology: String,
    /// The barcode as text, without trailing CR, LF or NUL.
    pub code: String,
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum HidError {
    #[error("report of {0} bytes is too short")]
    TooShort(usize),
    #[error("report id {0:#04x} is not scanned data")]
    OtherReport(u8),
    #[error("the report says {said} bytes but has room for {room}")]
    BadLength { said: usize, room: usize },
    #[error("the barcode is longer than {MAX_CODE} bytes")]
    TooLong,
    #[error("the barcode is not text")]
    NotText,
}

/// Joins reports into scans. One per scanner.
#[derive(Debug, Default)]
pub struct Decoder {
    data: Vec<u8>,
    symbology: Option<[u8; 3]>,
    /// Skipping the rest of a barcode that went wrong.
    discarding: bool,
}

impl Decoder {
    pub fn new() -> Decoder {
        Decoder::default()
    }

    /// Whether part of a barcode is waiting for its next report.
    pub fn pending(&self) -> bool {
        self.symbology.is_some()
    }

    /// Takes one input report; returns a scan when a barcode is complete.
    ///
    /// After an error in the middle of a barcode, the rest of that barcode's reports are
    /// skipped up to its last one: a lost scan is rescanned, a truncated one would sell the
    /// wrong product.
    pub fn feed(&mut self, report: &[u8]) -> Result<Option<Scan>, HidError> {
        let scan_report = report.len() > HEADER && report[0] == SCAN_REPORT_ID;
        let more = scan_report && report[report.len() - 1] & 0x01 != 0;
        if self.discarding {
            if scan_report && !more {
                self.discarding = false;
            }
            return Ok(None);
        }
        let was_pending = self.pending();
        let result = self.feed_inner(report);
        if result.is_err() {
            self.reset();
            self.discarding = more || (was_pending && !scan_report);
        }
        result
    }

    fn reset(&mut self) {
        self.data.clear();
        self.symbology = None;
    }

    fn feed_inner(&mut self, report: &[u8]) -> Result<Option<Scan>, HidError> {
        if report.len() < HEADER + 1 {
            return Err(HidError::TooShort(report.len()));
        }
        if report[0] != SCAN_REPORT_ID {
            return Err(HidError::OtherReport(report[0]));
        }
        let said = usize::from(report[1]);
        let room = report.len() - HEADER - 1;
        if said > room {
            return Err(HidError::BadLength { said, room });
        }
        let aim = [report[2], report[3], report[4]];
        if self.symbology.is_none() {
            self.symbology = Some(aim);
        }
        if self.data.len() + said > MAX_CODE {
            return Err(HidError::TooLong);
        }
        self.data.extend_from_slice(&report[HEADER..HEADER + said]);
        let more = report[report.len() - 1] & 0x01 != 0;
        if more {
            return Ok(None);
        }
        let symbology = self.symbology.take().unwrap_or_default();
        let data = std::mem::take(&mut self.data);
        let text = String::from_utf8(data).map_err(|_| HidError::NotText)?;
        let code = text.trim_end_matches(['\r', '\n', '\0']).to_string();
        if code.chars().any(char::is_control) {
            return Err(HidError::NotText);
        }
        let symbology = if symbology[0] == b']' && symbology.iter().all(u8::is_ascii_graphic) {
            String::from_utf8_lossy(&symbology).into_owned()
        } else {
            String::new()
        };
        if code.is_empty() {
            return Ok(None);
        }
        Ok(Some(Scan { symbology, code }))
    }
}

/// Builds the reports a scanner would send for `code` (for tests and the fuzzer's seeds):
/// 64-byte reports with up to 56 data bytes each.
pub fn reports_for(symbology: &str, code: &[u8]) -> Vec<Vec<u8>> {
    const SIZE: usize = 64;
    const ROOM: usize = 56;
    let aim: Vec<u8> = symbology
        .bytes()
        .chain(std::iter::repeat(0))
        .take(3)
        .collect();
    let chunks: Vec<&[u8]> = if code.is_empty() {
        vec![&[][..]]
    } else {
        code.chunks(ROOM).collect()
    };
    let last = chunks.len() - 1;
    chunks
        .iter()
        .enumerate()
        .map(|(i, chunk)| {
            let mut r = vec![0u8; SIZE];
            r[0] = SCAN_REPORT_ID;
            r[1] = chunk.len() as u8;
            r[2..5].copy_from_slice(&aim);
            r[HEADER..HEADER + chunk.len()].copy_from_slice(chunk);
            r[SIZE - 1] = u8::from(i != last);
            r
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_report_one_barcode() {
        let mut d = Decoder::new();
        let r = reports_for("]E0", b"4780012345678");
        assert_eq!(r.len(), 1);
        assert_eq!(
            d.feed(&r[0]),
            Ok(Some(Scan {
                symbology: "]E0".into(),
                code: "4780012345678".into()
            }))
        );
        assert!(!d.pending());
    }

    #[test]
    fn a_report_with_a_cr_suffix_and_no_report_padding_flag() {
        // 64-byte report, EAN-8 "96385074" with a CR suffix (scanners configured with one).
        let mut r = vec![0x02, 9, b']', b'E', b'4'];
        r.extend_from_slice(b"96385074\r");
        r.resize(63, 0);
        r.push(0x00);
        let scan = Decoder::new().feed(&r).unwrap().unwrap();
        assert_eq!(scan.code, "96385074");
        assert_eq!(scan.symbology, "]E4");
    }

    #[test]
    fn several_reports_are_joined() {
        let code: Vec<u8> = (0..150).map(|i| b'A' + (i % 26) as u8).collect();
        let reports = reports_for("]Q1", &code);
        assert_eq!(reports.len(), 3);
        let mut d = Decoder::new();
        assert_eq!(d.feed(&reports[0]), Ok(None));
        assert!(d.pending());
        assert_eq!(d.feed(&reports[1]), Ok(None));
        let scan = d.feed(&reports[2]).unwrap().unwrap();
        assert_eq!(scan.code.as_bytes(), &code[..]);
        assert_eq!(scan.symbology, "]Q1");
        // The next scan starts clean.
        let again = d.feed(&reports_for("]C0", b"ABC-123")[0]).unwrap().unwrap();
        assert_eq!(
            (again.symbology.as_str(), again.code.as_str()),
            ("]C0", "ABC-123")
        );
    }

    #[test]
    fn garbage_is_refused_and_forgets_a_half_barcode() {
        let mut d = Decoder::new();
        assert_eq!(d.feed(&[]), Err(HidError::TooShort(0)));
        assert_eq!(d.feed(&[2, 0, 0, 0, 0]), Err(HidError::TooShort(5)));
        assert_eq!(
            d.feed(&[1, 3, b']', b'E', b'0', 1, 2, 3, 0]),
            Err(HidError::OtherReport(1))
        );
        assert_eq!(
            d.feed(&[2, 200, b']', b'E', b'0', b'1', 0]),
            Err(HidError::BadLength { said: 200, room: 1 })
        );
        let long = reports_for("]Q1", &[b'9'; 120]);
        assert_eq!(long.len(), 3);
        assert_eq!(d.feed(&long[0]), Ok(None));
        assert_eq!(d.feed(&[9; 8]), Err(HidError::OtherReport(9)));
        assert!(!d.pending(), "an error drops the half-read barcode");
        // ... and its remaining reports are not taken for a new, shorter barcode.
        assert_eq!(d.feed(&long[1]), Ok(None));
        assert_eq!(d.feed(&long[2]), Ok(None));
        let next = d.feed(&reports_for("]E0", b"4780012345678")[0]);
        assert_eq!(next.unwrap().unwrap().code, "4780012345678");
        let mut bad = reports_for("]E0", &[0xff, 0xfe, b'1'])[0].clone();
        assert_eq!(d.feed(&bad), Err(HidError::NotText));
        bad[5] = 0x07;
        assert_eq!(d.feed(&bad), Err(HidError::NotText));
        // An empty scan is nothing, not an error.
        assert_eq!(d.feed(&reports_for("]E0", b"")[0]), Ok(None));
    }

    #[test]
    fn too_long_is_refused() {
        let mut d = Decoder::new();
        let reports = reports_for("]Q1", &[b'7'; MAX_CODE + 10]);
        let results: Vec<_> = reports.iter().map(|r| d.feed(r)).collect();
        assert!(results.contains(&Err(HidError::TooLong)), "{results:?}");
        assert!(
            !results.iter().any(|r| matches!(r, Ok(Some(_)))),
            "the tail of a too-long barcode must not come out as a scan"
        );
    }

    #[test]
    fn random_bytes_never_panic() {
        let mut d = Decoder::new();
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        for _ in 0..20_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let len = (x % 70) as usize;
            let mut r: Vec<u8> = (0..len).map(|i| (x >> (i % 8 * 8)) as u8).collect();
            if let Some(b) = r.first_mut() {
                *b = if x.is_multiple_of(3) { 2 } else { *b };
            }
            let _ = d.feed(&r);
        }
    }
}

//! The HID POS report decoder and the ESC/POS reader never panic on any bytes; a decoded
//! scan is text without control characters, and whatever one report stream decodes to, the
//! reports built from a scan decode back to the same scan.
#![no_main]

use kassa::devices::escpos;
use kassa::devices::hid_pos::{Decoder, reports_for};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut d = Decoder::new();
    // The input as a sequence of reports: each starts with its length byte.
    let mut rest = data;
    while let Some((&len, tail)) = rest.split_first() {
        let n = usize::from(len).min(tail.len());
        let (report, more) = tail.split_at(n);
        if let Ok(Some(scan)) = d.feed(report) {
            assert!(!scan.code.is_empty());
            assert!(!scan.code.chars().any(char::is_control));
            let mut again = Decoder::new();
            let mut out = None;
            for r in reports_for(&scan.symbology, scan.code.as_bytes()) {
                out = again.feed(&r).expect("own reports decode");
            }
            assert_eq!(out.map(|s| s.code), Some(scan.code));
        }
        rest = more;
    }
    let _ = escpos::decode(data);
});

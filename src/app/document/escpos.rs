//! A [`Document`] in ESC/POS, through the `escpos` crate, and back again.
//!
//! Pure: bytes in memory, no port. [`render`] writes a document to any `escpos` driver: the
//! printer thread's real port (`devices::printer`) or [`MemoryDriver`] for tests and the byte count. Text is put into the
//! printer's code page first ([`printable`]): PC866 and WPC1251 have Cyrillic but no Uzbek
//! ʻ/ʼ, so `oʻ` and `gʻ` are printed as `o'` and `g'` (how Uzbek Latin is written without the
//! special letter), Қ Ғ Ҳ as К Г Х ([`super::nearest_letter`]), typographic quotes become
//! ASCII ones, and only what has no near letter becomes `?`. The encoder is strict, so a character that slipped through is an error, never stray UTF-8 bytes on paper.
//!
//! [`decode`] reads an ESC/POS byte stream back into lines of text, the code page it selected,
//! QR payloads, cuts and drawer kicks; the tests use it on what arrives at a fake printer.

use std::cell::RefCell;
use std::rc::Rc;

use encoding_rs::{Encoding, IBM866, UTF_8, WINDOWS_1251};
use escpos::driver::Driver;
use escpos::printer::Printer;
use escpos::printer_options::PrinterOptions;
use escpos::utils::{
    Encoder, JustifyMode, Protocol, QRCodeCorrectionLevel, QRCodeModel, QRCodeOption,
};

use super::{Align, Block, Document};

/// The printer's character table (setting `printer.codepage`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum CodePage {
    /// DOS Cyrillic, ESC t 17: most thermal printers sold in Uzbekistan.
    #[default]
    Pc866,
    /// Windows Cyrillic, ESC t 46.
    Wpc1251,
    /// Printers that take UTF-8 text as it is.
    Utf8,
}

impl CodePage {
    /// Parses the setting ("PC866", "cp866", "WPC1251", "1251", "UTF-8"); empty means PC866.
    pub fn parse(s: &str) -> Option<CodePage> {
        let norm: String = s
            .trim()
            .chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_uppercase();
        match norm.as_str() {
            "" | "PC866" | "CP866" | "866" | "IBM866" => Some(CodePage::Pc866),
            "WPC1251" | "CP1251" | "1251" | "WINDOWS1251" => Some(CodePage::Wpc1251),
            "UTF8" => Some(CodePage::Utf8),
            _ => None,
        }
    }

    fn encoding(self) -> &'static Encoding {
        match self {
            CodePage::Pc866 => IBM866,
            CodePage::Wpc1251 => WINDOWS_1251,
            CodePage::Utf8 => UTF_8,
        }
    }

    /// The ESC t number the printer is sent for this page.
    pub fn esc_t(self) -> Option<u8> {
        match self {
            CodePage::Pc866 => Some(17),
            CodePage::Wpc1251 => Some(46),
            CodePage::Utf8 => None,
        }
    }

    fn from_esc_t(n: u8) -> Option<CodePage> {
        match n {
            17 => Some(CodePage::Pc866),
            46 => Some(CodePage::Wpc1251),
            _ => None,
        }
    }
}

/// `text` with only characters the code page can print: the Uzbek modifier letters and
/// typographic quotes become ASCII, letters the page lacks their nearest one (Қ → К), and
/// only the rest `?`. Control characters (which would be printer commands) are dropped.
pub fn printable(text: &str, page: CodePage) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_control() {
            continue;
        }
        if page == CodePage::Utf8 {
            out.push(c);
            continue;
        }
        let c = match c {
            'ʻ' | 'ʼ' | '‘' | '’' | '`' | '´' | '“' | '”' | '„' | '«' | '»' | '–' | '—' | '−'
            | '\u{a0}' => super::nearest_letter(c).unwrap_or('?'),
            c => super::in_code_page(c, page.encoding()),
        };
        out.push(c);
    }
    out
}

/// The full drawer-kick command.
pub const DRAWER_KICK: [u8; 5] = [0x1B, b'p', 0, 25, 250];

/// Writes the document to the printer's buffer (call `print()` to send it).
pub fn render<D: Driver>(
    printer: &mut Printer<D>,
    doc: &Document,
    page: CodePage,
) -> escpos::errors::Result<()> {
    printer.init()?;
    if let Some(n) = page.esc_t() {
        printer.custom(&[0x1B, b't', n])?;
    }
    for block in &doc.blocks {
        match block {
            Block::Text {
                text,
                align,
                bold,
                big,
            } => {
                printer.justify(match align {
                    Align::Left => JustifyMode::LEFT,
                    Align::Center => JustifyMode::CENTER,
                })?;
                if *bold {
                    printer.bold(true)?;
                }
                if *big {
                    printer.size(2, 2)?;
                }
                printer.writeln(&printable(text, page))?;
                if *big {
                    printer.reset_size()?;
                }
                if *bold {
                    printer.bold(false)?;
                }
            }
            Block::Rule => {
                printer.justify(JustifyMode::LEFT)?;
                printer.writeln(&"-".repeat(doc.width))?;
            }
            Block::Qr(data) => {
                printer.justify(JustifyMode::CENTER)?;
                printer.qrcode_option(
                    &printable(data, CodePage::Pc866),
                    QRCodeOption::new(QRCodeModel::Model2, 6, QRCodeCorrectionLevel::M),
                )?;
            }
        }
    }
    printer.justify(JustifyMode::LEFT)?;
    printer.feeds(3)?;
    printer.cut()?;
    if doc.open_drawer {
        // ESC p m t1 t2: pin 2, 50 ms on, 500 ms off. The crate's `cash_drawer` sends only
        // ESC p m, and a printer then takes the next job's first two bytes as t1 t2
        // (found by tests/concurrency.rs, where every cash receipt ate the next ESC @).
        printer.custom(&DRAWER_KICK)?;
    }
    Ok(())
}

/// A printer for `driver` set up for the code page and paper width. Text is encoded by
/// `encoding_rs` (strict) rather than the crate's own page tables: its WPC1251 table turns
/// `-` into a soft hyphen (found by tests/printer.rs). [`render`] selects the page with ESC t.
pub fn printer<D: Driver>(driver: D, page: CodePage, width: usize) -> Printer<D> {
    let width = u8::try_from(width).unwrap_or(48);
    Printer::new(
        driver,
        Protocol::new(Encoder::new(page.encoding())),
        Some(PrinterOptions::new(None, None, width)),
    )
}

/// A driver that keeps what it is sent.
#[derive(Clone, Default)]
pub struct MemoryDriver {
    bytes: Rc<RefCell<Vec<u8>>>,
}

impl MemoryDriver {
    pub fn bytes(&self) -> Vec<u8> {
        self.bytes.borrow().clone()
    }
}

impl Driver for MemoryDriver {
    fn name(&self) -> String {
        "memory".into()
    }
    fn write(&self, data: &[u8]) -> escpos::errors::Result<()> {
        self.bytes.borrow_mut().extend_from_slice(data);
        Ok(())
    }
    fn read(&self, _buf: &mut [u8]) -> escpos::errors::Result<usize> {
        Ok(0)
    }
    fn flush(&self) -> escpos::errors::Result<()> {
        Ok(())
    }
}

/// The document's ESC/POS bytes.
pub fn encode(doc: &Document, page: CodePage) -> escpos::errors::Result<Vec<u8>> {
    let driver = MemoryDriver::default();
    let mut p = printer(driver.clone(), page, doc.width);
    render(&mut p, doc, page)?;
    p.print()?;
    Ok(driver.bytes())
}

/// What an ESC/POS stream prints, read back.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Decoded {
    pub lines: Vec<String>,
    /// The code page the stream selected last (PC866 unless ESC t said otherwise; UTF-8 if it
    /// never said).
    pub code_page: Option<CodePage>,
    pub qr: Vec<String>,
    pub cuts: usize,
    pub drawer_kicks: usize,
    /// ESC @ seen: one per job.
    pub inits: usize,
}

/// Reads ESC/POS bytes back: text decoded in the selected code page, one string per line
/// feed (an ESC d n feed adds n empty lines); commands are skipped. Unknown bytes are
/// skipped; it never panics.
pub fn decode(bytes: &[u8]) -> Decoded {
    let mut d = Decoded::default();
    let mut line: Vec<u8> = Vec::new();
    let mut i = 0;
    let flush = |line: &mut Vec<u8>, d: &mut Decoded| {
        let enc = d.code_page.unwrap_or(CodePage::Utf8).encoding();
        let (text, _) = enc.decode_without_bom_handling(line);
        d.lines.push(text.into_owned());
        line.clear();
    };
    let at = |i: usize| bytes.get(i).copied().unwrap_or(0);
    while i < bytes.len() {
        let b = bytes[i];
        match b {
            0x0A => {
                flush(&mut line, &mut d);
                i += 1;
            }
            0x1B => {
                let cmd = at(i + 1);
                match cmd {
                    b'@' => {
                        d.inits += 1;
                        i += 2;
                    }
                    b't' => {
                        d.code_page = CodePage::from_esc_t(at(i + 2)).or(d.code_page);
                        i += 3;
                    }
                    b'd' => {
                        // Print the buffer and feed n lines: one line ends, n - 1 are empty.
                        let n = at(i + 2);
                        if n > 0 || !line.is_empty() {
                            flush(&mut line, &mut d);
                        }
                        for _ in 1..n {
                            flush(&mut line, &mut d);
                        }
                        i += 3;
                    }
                    b'p' => {
                        d.drawer_kicks += 1;
                        i += 5;
                    }
                    b'E' | b'a' | b'-' | b'G' | b'M' | b'!' | b'{' | b'R' | b'J' | b'3' => i += 3,
                    b'2' => i += 2,
                    _ => i += 2,
                }
            }
            0x1D => {
                let cmd = at(i + 1);
                match cmd {
                    b'!' | b'B' | b'b' | b'h' | b'w' | b'H' | b'f' => i += 3,
                    b'V' => {
                        d.cuts += 1;
                        // GS V m, and GS V A/B n (function B) carry one more byte.
                        i += if matches!(at(i + 2), b'A' | b'B') {
                            4
                        } else {
                            3
                        };
                    }
                    b'(' => {
                        // GS ( fn pL pH data...
                        let len = usize::from(at(i + 3)) | (usize::from(at(i + 4)) << 8);
                        let data_start = i + 5;
                        let end = (data_start + len).min(bytes.len());
                        if at(i + 2) == b'k'
                            && len >= 3
                            && at(data_start) == 49
                            && at(data_start + 1) == 80
                        {
                            let payload = bytes.get(data_start + 3..end).unwrap_or(&[]);
                            d.qr.push(String::from_utf8_lossy(payload).into_owned());
                        }
                        i = end;
                    }
                    _ => i += 2,
                }
            }
            0x10 => i += 3, // DLE EOT n / DLE ENQ n
            b if b < 0x20 => i += 1,
            _ => {
                line.push(b);
                i += 1;
            }
        }
    }
    if !line.is_empty() {
        flush(&mut line, &mut d);
    }
    d
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_uzbek_letter_reaches_the_receipt_in_each_code_page() {
        use crate::app::document::tspl::tests::{UZBEK_CYRILLIC, UZBEK_LATIN};
        let text = format!("{UZBEK_CYRILLIC} {UZBEK_LATIN}");
        for page in [CodePage::Pc866, CodePage::Wpc1251] {
            let shown = printable(&text, page);
            assert!(!shown.contains('?'), "{page:?}: {shown}");
            let (_, _, unmappable) = page.encoding().encode(&shown);
            assert!(!unmappable, "{page:?}: {shown}");
            assert_eq!(
                printable("Қатиқ ҳолва ғоз ўрик oʻrik", page),
                "Катик холва гоз ўрик o'rik",
                "{page:?}"
            );
        }
        assert_eq!(printable("Қатиқ oʻrik", CodePage::Utf8), "Қатиқ oʻrik");
    }

    use super::*;

    fn doc(text: &str) -> Document {
        Document {
            width: 32,
            blocks: vec![
                Block::Text {
                    text: text.into(),
                    align: Align::Center,
                    bold: true,
                    big: true,
                },
                Block::Rule,
                Block::Qr("KASSA-SALE-7".into()),
                Block::Text {
                    text: "Jami".into(),
                    align: Align::Left,
                    bold: false,
                    big: false,
                },
            ],
            open_drawer: true,
        }
    }

    #[test]
    fn uzbek_and_cyrillic_in_pc866_and_back() {
        let bytes = encode(&doc("Oʻrikzor doʻkoni — Сахар"), CodePage::Pc866).unwrap();
        assert_eq!(&bytes[..2], b"\x1b@");
        let d = decode(&bytes);
        assert_eq!(d.code_page, Some(CodePage::Pc866));
        assert_eq!(d.lines[0], "O'rikzor do'koni - Сахар");
        assert_eq!(d.lines[1], "-".repeat(32));
        assert_eq!(d.qr, vec!["KASSA-SALE-7".to_string()]);
        assert_eq!(d.lines[2], "Jami");
        assert_eq!((d.cuts, d.drawer_kicks, d.inits), (1, 1, 1));
        assert!(bytes.ends_with(&DRAWER_KICK), "the whole ESC p m t1 t2");
        // Two jobs back to back: the second one's ESC @ is not eaten by the first's kick.
        let two = [bytes.clone(), bytes.clone()].concat();
        assert_eq!(decode(&two).inits, 2);
        // "С" (U+0421) is 0x91 in CP866, 0xD1 in CP1251.
        assert!(bytes.contains(&0x91));
        let w = encode(&doc("Сахар"), CodePage::Wpc1251).unwrap();
        assert!(w.contains(&0xD1));
        assert_eq!(decode(&w).lines[0], "Сахар");
    }

    #[test]
    fn utf8_printers_get_the_letters_themselves() {
        let bytes = encode(&doc("Oʻrik"), CodePage::Utf8).unwrap();
        assert_eq!(decode(&bytes).lines[0], "Oʻrik");
    }

    #[test]
    fn what_a_page_lacks_becomes_a_question_mark() {
        assert_eq!(printable("€5 ✓\u{7}", CodePage::Pc866), "?5 ?");
        assert_eq!(printable("gʻisht", CodePage::Wpc1251), "g'isht");
        assert_eq!(CodePage::parse(" cp-866 "), Some(CodePage::Pc866));
        assert_eq!(CodePage::parse("utf8"), Some(CodePage::Utf8));
        assert_eq!(CodePage::parse("koi8"), None);
    }

    #[test]
    fn decoding_garbage_never_panics() {
        for seed in 0u32..2000 {
            let bytes: Vec<u8> = (0..(seed % 40))
                .map(|i| (seed.wrapping_mul(2_654_435_761).rotate_left(i) & 0xff) as u8)
                .collect();
            let _ = decode(&bytes);
        }
        let _ = decode(&[0x1d, b'(', b'k', 0xff, 0xff, 49, 80]);
    }
}

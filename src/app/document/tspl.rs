//! Price tags and barcode labels in TSPL, the command language of the Xprinter and TSC label
//! printers common in Uzbek shops: `SIZE`, `GAP`, `DIRECTION`, `CODEPAGE 1251` (Cyrillic and
//! Latin in one code page; the Uzbek ʻ is printed as ', Қ Ғ Ҳ as К Г Х) or `CODEPAGE UTF-8`
//! (newer firmware: every letter as it is; setting `labels.codepage`), `CLS`, `TEXT`,
//! `BARCODE "EAN13"` (or Code 128 for other codes) and `PRINT` with the number of copies.
//! 203 dpi: 8 dots a millimetre.
//!
//! Geometry: every text is measured against the label's width in its font (the built-in
//! fonts are fixed-width: "1" 8, "2" 12, "3" 16, "4" 24 dots a character); a price that does
//! not fit takes the next smaller font. Bars are never narrower than 2 dots (0,25 mm, what
//! shop scanners read); a code whose bars do not fit the label is refused with the reason.
//! Pure: the bytes go to a port through `devices::printer::Link`.

/// A label size.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LabelSize {
    /// 58 × 40 mm.
    Large,
    /// 40 × 30 mm.
    Medium,
    /// 30 × 20 mm.
    Small,
}

impl LabelSize {
    pub fn parse(s: &str) -> Option<LabelSize> {
        match s.trim().to_ascii_lowercase().replace('×', "x").as_str() {
            "58x40" => Some(LabelSize::Large),
            "40x30" => Some(LabelSize::Medium),
            "30x20" => Some(LabelSize::Small),
            _ => None,
        }
    }

    /// Width and height in millimetres.
    pub fn mm(self) -> (u32, u32) {
        match self {
            LabelSize::Large => (58, 40),
            LabelSize::Medium => (40, 30),
            LabelSize::Small => (30, 20),
        }
    }
}

/// The label printer's character table (setting `labels.codepage`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum LabelPage {
    /// Windows-1251: every TSPL printer has it; letters it lacks print as the nearest.
    #[default]
    Cp1251,
    /// UTF-8 (`CODEPAGE UTF-8`, newer Xprinter and TSC firmware).
    Utf8,
}

impl LabelPage {
    /// "1251" (or empty) or "UTF-8".
    pub fn parse(s: &str) -> Option<LabelPage> {
        match s
            .trim()
            .to_ascii_uppercase()
            .replace(['-', '_', ' '], "")
            .as_str()
        {
            "" | "1251" | "CP1251" | "WPC1251" | "WINDOWS1251" => Some(LabelPage::Cp1251),
            "UTF8" => Some(LabelPage::Utf8),
            _ => None,
        }
    }
}

/// Why labels cannot be made at a size.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum LabelError {
    /// The code's bars, 2 dots at the narrowest, are wider than the label.
    #[error("the barcode {code} is too long for a {size} label: choose a larger size")]
    CodeTooLong { code: String, size: String },
}

/// Dots a character takes in a built-in font.
pub fn font_width(font: &str) -> u32 {
    match font {
        "1" => 8,
        "2" => 12,
        "3" => 16,
        "4" => 24,
        _ => 32,
    }
}

/// The narrowest bar, in dots.
pub const NARROW: u32 = 2;
/// Where texts start and the margin kept on the right, in dots.
const MARGIN: u32 = 12;
/// Where the bars start; the blank before them is the scanner's quiet zone.
const BAR_X: u32 = 24;

/// How many modules (narrowest bars) a code's symbol is wide, without quiet zones: EAN-13
/// 95; Code 128 11 per symbol plus start, check and stop (the printer packs digit pairs into
/// one symbol).
pub fn code_modules(code: &str) -> u32 {
    if crate::domain::barcode::is_ean13(code) {
        return 95;
    }
    let digits = code.bytes().all(|b| b.is_ascii_digit());
    let symbols = if digits {
        // Pairs in set C, an odd digit in set B after a code change.
        (code.len() as u32).div_ceil(2) + u32::from(code.len() % 2 == 1)
    } else {
        code.chars().count() as u32
    };
    35 + 11 * symbols
}

/// What one label shows, already in words.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Label {
    pub name: String,
    /// "12 000 soʻm / dona".
    pub price: String,
    pub barcode: Option<String>,
    /// "02.12.2026", when asked for.
    pub date: Option<String>,
    pub copies: u32,
}

/// Text for a TSPL string in the label page: a double quote is escaped as TSPL writes it
/// (`\["]`); in Windows-1251 ʻ and ’ become ', letters 1251 lacks their nearest (Қ → К) and
/// only the rest ?, so no escape of the encoder ever reaches the paper.
fn tspl_text(text: &str, page: LabelPage) -> Vec<u8> {
    let plain: String = text
        .chars()
        .map(|c| match c {
            c if c.is_control() => ' ',
            '«' | '»' | '“' | '”' | '„' => '"',
            c if page == LabelPage::Utf8 => c,
            'ʻ' | 'ʼ' | '‘' | '’' | '`' | '´' => '\'',
            c => super::in_code_page(c, encoding_rs::WINDOWS_1251),
        })
        .collect::<String>()
        .replace('"', "\\[\"]");
    match page {
        LabelPage::Utf8 => plain.into_bytes(),
        LabelPage::Cp1251 => encoding_rs::WINDOWS_1251.encode(&plain).0.into_owned(),
    }
}

/// Splits a name into at most `lines` lines of at most `width` characters, at spaces where
/// possible; the last line ends in … when the name is longer.
fn wrap(name: &str, width: usize, lines: usize) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut current = String::new();
    for word in name.split_whitespace() {
        let fits =
            current.chars().count() + usize::from(!current.is_empty()) + word.chars().count()
                <= width;
        if !current.is_empty() && !fits {
            out.push(std::mem::take(&mut current));
        }
        if !current.is_empty() {
            current.push(' ');
        }
        current.push_str(word);
        while current.chars().count() > width {
            let head: String = current.chars().take(width).collect();
            let rest: String = current.chars().skip(width).collect();
            out.push(head);
            current = rest;
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    if out.len() > lines {
        out.truncate(lines);
        if let Some(last) = out.last_mut() {
            let mut cut: String = last.chars().take(width.saturating_sub(1)).collect();
            cut.push('…');
            *last = cut;
        }
    }
    out
}

/// One TEXT command's place and content, for the geometry checks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Placed {
    pub x: u32,
    pub y: u32,
    pub font: &'static str,
    pub text: String,
}

/// The largest of `fonts` (largest first) in which `text` fits `room` dots, else the text cut
/// to fit the smallest.
fn fit(text: &str, room: u32, fonts: &[&'static str]) -> (&'static str, String) {
    for f in fonts {
        if text.chars().count() as u32 * font_width(f) <= room {
            return (f, text.to_string());
        }
    }
    let smallest = fonts.last().copied().unwrap_or("1");
    let chars = (room / font_width(smallest)) as usize;
    let mut cut: String = text.chars().take(chars.saturating_sub(1)).collect();
    cut.push('…');
    (smallest, cut)
}

/// Where each text of a label goes at `size` (name lines, price, date).
pub fn layout(label: &Label, size: LabelSize) -> Vec<Placed> {
    let (w, _) = size.mm();
    let room = w * 8 - 2 * MARGIN;
    // The name's font and lines, the price's fonts (largest first), where things go.
    let (font, name_lines, line_h, price_fonts, price_y, bar_y): (_, _, _, &[&str], _, _) =
        match size {
            LabelSize::Large => ("3", 2, 28, &["4", "3", "2", "1"], 64, 130),
            LabelSize::Medium => ("2", 2, 22, &["3", "2", "1"], 50, 100),
            LabelSize::Small => ("1", 1, 14, &["2", "1"], 20, 48),
        };
    let chars = (room / font_width(font)) as usize;
    let mut out: Vec<Placed> = wrap(&label.name, chars, name_lines)
        .into_iter()
        .enumerate()
        .map(|(i, text)| Placed {
            x: MARGIN,
            y: 8 + i as u32 * line_h,
            font,
            text,
        })
        .collect();
    let (price_font, price) = fit(&label.price, room, price_fonts);
    out.push(Placed {
        x: MARGIN,
        y: price_y,
        font: price_font,
        text: price,
    });
    // The date in small type just above the bars (a 30×20 label has no room for it).
    if let Some(d) = &label.date
        && size != LabelSize::Small
    {
        let (f, text) = fit(d, room, &["1"]);
        out.push(Placed {
            x: MARGIN,
            y: bar_y - 16,
            font: f,
            text,
        });
    }
    out
}

/// Where the bars start at `size` (x, y) and how high they are, in dots.
pub fn bar_place(size: LabelSize) -> (u32, u32, u32) {
    let (_, h) = size.mm();
    let bar_y = match size {
        LabelSize::Large => 130,
        LabelSize::Medium => 100,
        LabelSize::Small => 48,
    };
    // The bars fill the label below `bar_y`, leaving room for the digits under them.
    (BAR_X, bar_y, h * 8 - bar_y - 36)
}

/// Whether `code`'s bars (2 dots at the narrowest) and the quiet zone after them fit the
/// label's width.
pub fn code_fits(code: &str, size: LabelSize) -> bool {
    let (w, _) = size.mm();
    BAR_X + code_modules(code) * NARROW + 10 * NARROW <= w * 8
}

/// The TSPL program for `labels` at `size`: one job per product, `PRINT` with its copies.
/// Refused when a code does not fit the size.
pub fn labels(labels: &[Label], size: LabelSize, page: LabelPage) -> Result<Vec<u8>, LabelError> {
    let (w, h) = size.mm();
    if let Some(code) = labels
        .iter()
        .filter(|l| l.copies > 0)
        .filter_map(|l| l.barcode.as_ref())
        .find(|c| !code_fits(c, size))
    {
        return Err(LabelError::CodeTooLong {
            code: code.clone(),
            size: format!("{w}×{h}"),
        });
    }
    let (bar_x, bar_y, bar_h) = bar_place(size);
    let mut out = Vec::new();
    let line = |out: &mut Vec<u8>, bytes: &[u8]| {
        out.extend_from_slice(bytes);
        out.extend_from_slice(b"\r\n");
    };
    line(&mut out, format!("SIZE {w} mm, {h} mm").as_bytes());
    line(&mut out, b"GAP 2 mm, 0 mm");
    line(&mut out, b"DIRECTION 1");
    line(
        &mut out,
        match page {
            LabelPage::Cp1251 => b"CODEPAGE 1251",
            LabelPage::Utf8 => b"CODEPAGE UTF-8",
        },
    );
    for l in labels.iter().filter(|l| l.copies > 0) {
        line(&mut out, b"CLS");
        for p in layout(l, size) {
            let mut cmd = format!("TEXT {},{},\"{}\",0,1,1,\"", p.x, p.y, p.font).into_bytes();
            cmd.extend(tspl_text(&p.text, page));
            cmd.push(b'"');
            line(&mut out, &cmd);
        }
        if let Some(code) = &l.barcode {
            // EAN-13 takes its 12 digits and adds the check digit itself; an internal code
            // with a wrong check digit goes as Code 128, as it is.
            let (kind, data) = if crate::domain::barcode::is_ean13(code) {
                ("EAN13", &code[..12])
            } else {
                ("128", code.as_str())
            };
            line(
                &mut out,
                format!(
                    "BARCODE {bar_x},{bar_y},\"{kind}\",{bar_h},1,0,{NARROW},{NARROW},\"{data}\""
                )
                .as_bytes(),
            );
        }
        line(&mut out, format!("PRINT 1,{}", l.copies).as_bytes());
    }
    Ok(out)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    #[test]
    fn a_label_in_tspl() {
        let bytes = labels(
            &[Label {
                name: "Молоко «Nestle» 2,5% 1 l".into(),
                price: "12 000 soʻm / dona".into(),
                barcode: Some("4780000000014".into()),
                date: Some("02.12.2026".into()),
                copies: 3,
            }],
            LabelSize::Medium,
            LabelPage::Cp1251,
        )
        .unwrap();
        let text = encoding_rs::WINDOWS_1251.decode(&bytes).0.into_owned();
        let lines: Vec<&str> = text.split("\r\n").collect();
        assert_eq!(
            &lines[..5],
            &[
                "SIZE 40 mm, 30 mm",
                "GAP 2 mm, 0 mm",
                "DIRECTION 1",
                "CODEPAGE 1251",
                "CLS"
            ]
        );
        assert!(
            lines.contains(&"TEXT 12,8,\"2\",0,1,1,\"Молоко \\[\"]Nestle\\[\"] 2,5% 1 l\""),
            "{lines:?}"
        );
        assert!(
            lines.contains(&"TEXT 12,50,\"3\",0,1,1,\"12 000 so'm / dona\""),
            "{lines:?}"
        );
        assert!(
            lines
                .iter()
                .any(|l| l.starts_with("BARCODE 24,100,\"EAN13\",")
                    && l.ends_with(",1,0,2,2,\"478000000001\"")),
            "{lines:?}"
        );
        assert!(lines.contains(&"PRINT 1,3"));
        assert_eq!(LabelSize::parse("58x40"), Some(LabelSize::Large));
        assert_eq!(LabelSize::parse("50x30"), None);
    }

    #[test]
    fn long_names_wrap_and_end_in_an_ellipsis() {
        assert_eq!(
            wrap("Shokolad Alpen Gold sutli yongoqli 90 g", 16, 2),
            vec!["Shokolad Alpen", "Gold sutli…"]
        );
        assert_eq!(wrap("Non", 16, 2), vec!["Non"]);
    }

    /// Every letter of the Uzbek Cyrillic and Latin alphabets (and Russian's) goes to paper
    /// as itself or its nearest letter: never a ? and never an encoder's escape.
    pub(crate) const UZBEK_CYRILLIC: &str = "АБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЪЬЭЮЯЎҚҒҲЩЫ\
                                              абвгдеёжзийклмнопрстуфхцчшъьэюяўқғҳщы";
    pub(crate) const UZBEK_LATIN: &str =
        "ABDEFGHIJKLMNOPQRSTUVXYZabdefghijklmnopqrstuvxyz Oʻ oʻ Gʻ gʻ Sh sh Ch ch ng ʼ ‘’";

    #[test]
    fn every_uzbek_letter_reaches_the_label_in_1251_and_utf8() {
        let text = format!("{UZBEK_CYRILLIC} {UZBEK_LATIN}");
        let bytes = tspl_text(&text, LabelPage::Cp1251);
        let back = encoding_rs::WINDOWS_1251.decode(&bytes).0.into_owned();
        assert!(!back.contains('?') && !back.contains("&#"), "{back}");
        assert_eq!(
            tspl_text("Қатиқ ҳолва ғоз ўрик", LabelPage::Cp1251),
            encoding_rs::WINDOWS_1251
                .encode("Катик холва гоз ўрик")
                .0
                .into_owned()
        );
        assert_eq!(
            String::from_utf8(tspl_text("Қатиқ oʻrik", LabelPage::Utf8)).unwrap(),
            "Қатиқ oʻrik"
        );
        let bytes = labels(
            &[Label {
                name: "Қатиқ ҳолва ғоз".into(),
                price: "7 000 soʻm / dona".into(),
                barcode: None,
                date: None,
                copies: 1,
            }],
            LabelSize::Large,
            LabelPage::Utf8,
        )
        .unwrap();
        let text = String::from_utf8(bytes).unwrap();
        assert!(text.contains("CODEPAGE UTF-8\r\n"), "{text}");
        assert!(text.contains("\"Қатиқ ҳолва ғоз\""), "{text}");
    }

    /// Every text of a label inside its width at its font, on every size, however long the
    /// price; bars 2 dots at the narrowest and inside the label with their quiet zone; a code
    /// too long for the size refused.
    #[test]
    fn every_field_fits_its_label() {
        let long = Label {
            name: "Shokolad Alpen Gold sutli yongoqli bodomli mayizli 90 g".into(),
            price: "7 450 000 so'm / dona".into(),
            barcode: Some("4780000000014".into()),
            date: Some("02.12.2026".into()),
            copies: 1,
        };
        let biggest = Label {
            price: "999 999 999 999 so'm / dona".into(),
            ..long.clone()
        };
        for size in [LabelSize::Large, LabelSize::Medium, LabelSize::Small] {
            let (w, h) = size.mm();
            for label in [&long, &biggest] {
                for p in layout(label, size) {
                    let right = p.x + p.text.chars().count() as u32 * font_width(p.font);
                    assert!(right <= w * 8 - MARGIN, "{size:?}: {p:?} ends at {right}");
                    assert!(p.y < h * 8, "{size:?}: {p:?}");
                }
            }
            // The price keeps the largest font that fits.
            let price = layout(&long, size)
                .into_iter()
                .find(|p| p.text == long.price);
            assert!(price.is_some(), "{size:?}: the price was cut");
            let (bx, by, bh) = bar_place(size);
            assert!(by + bh < h * 8);
            assert!(code_fits("4780000000014", size));
            assert!(bx + 95 * NARROW + 10 * NARROW <= w * 8);
            let tspl = labels(std::slice::from_ref(&long), size, LabelPage::Cp1251).unwrap();
            let text = encoding_rs::WINDOWS_1251.decode(&tspl).0.into_owned();
            let bar = text.lines().find(|l| l.starts_with("BARCODE")).unwrap();
            let fields: Vec<&str> = bar.split(',').collect();
            assert_eq!(fields[6], "2", "{bar}: narrow bar");
            assert_eq!(fields[7], "2", "{bar}: wide bar");
        }
        // On 58×40 the long price takes font 3 (font 4 needs 504 of 440 dots).
        let big = layout(&long, LabelSize::Large);
        assert_eq!(big.iter().find(|p| p.text == long.price).unwrap().font, "3");
        // A 13-digit code that is not an EAN (Code 128) does not fit 30×20 at 2 dots a bar.
        let internal = Label {
            barcode: Some("1234567890127".into()),
            ..long.clone()
        };
        assert!(code_fits("1234567890127", LabelSize::Medium));
        assert_eq!(
            labels(&[internal], LabelSize::Small, LabelPage::Cp1251),
            Err(LabelError::CodeTooLong {
                code: "1234567890127".into(),
                size: "30×20".into()
            })
        );
        // An 8-digit shop code fits every size.
        assert!(code_fits("33333333", LabelSize::Small));
    }
}

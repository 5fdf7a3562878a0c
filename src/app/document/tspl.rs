//! Price tags and barcode labels in TSPL, the command language of the Xprinter and TSC label
//! printers common in Uzbek shops: `SIZE`, `GAP`, `DIRECTION`, `CODEPAGE 1251` (Cyrillic and
//! Latin in one code page; the Uzbek ʻ is printed as '), `CLS`, `TEXT`, `BARCODE "EAN13"` (or
//! Code 128 for other codes) and `PRINT` with the number of copies. 203 dpi: 8 dots a
//! millimetre. Pure: the bytes go to a port through `devices::printer::Link`.

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

/// Text for a TSPL string in Windows-1251: ʻ and ’ become ', a double quote is escaped as
/// TSPL writes it (`\["]`), and what 1251 lacks becomes ?.
fn cp1251(text: &str) -> Vec<u8> {
    let plain: String = text
        .chars()
        .map(|c| match c {
            'ʻ' | 'ʼ' | '‘' | '’' | '`' => '\'',
            '«' | '»' | '“' | '”' => '"',
            c if c.is_control() => ' ',
            c => c,
        })
        .collect::<String>()
        .replace('"', "\\[\"]");
    let (bytes, _, _) = encoding_rs::WINDOWS_1251.encode(&plain);
    bytes.into_owned()
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

/// The TSPL program for `labels` at `size`: one job per product, `PRINT` with its copies.
pub fn labels(labels: &[Label], size: LabelSize) -> Vec<u8> {
    let (w, h) = size.mm();
    // Font, columns of text and lines of the name, and where things go, in dots.
    let (font, chars, name_lines, line_h, price_font, price_y, bar_y, narrow) = match size {
        LabelSize::Large => ("3", 26, 2, 28, "4", 64, 130, 2),
        LabelSize::Medium => ("2", 24, 2, 22, "3", 50, 100, 2),
        LabelSize::Small => ("1", 26, 1, 14, "2", 20, 48, 1),
    };
    // The bars fill the label below `bar_y`, leaving room for the digits under them.
    let bar_h = h * 8 - bar_y - 36;
    let mut out = Vec::new();
    let line = |out: &mut Vec<u8>, bytes: &[u8]| {
        out.extend_from_slice(bytes);
        out.extend_from_slice(b"\r\n");
    };
    line(&mut out, format!("SIZE {w} mm, {h} mm").as_bytes());
    line(&mut out, b"GAP 2 mm, 0 mm");
    line(&mut out, b"DIRECTION 1");
    line(&mut out, b"CODEPAGE 1251");
    for l in labels.iter().filter(|l| l.copies > 0) {
        line(&mut out, b"CLS");
        let text = |out: &mut Vec<u8>, x: u32, y: u32, font: &str, s: &str| {
            let mut cmd = format!("TEXT {x},{y},\"{font}\",0,1,1,\"").into_bytes();
            cmd.extend(cp1251(s));
            cmd.push(b'"');
            out.extend_from_slice(&cmd);
            out.extend_from_slice(b"\r\n");
        };
        for (i, part) in wrap(&l.name, chars, name_lines).iter().enumerate() {
            text(&mut out, 12, 8 + i as u32 * line_h, font, part);
        }
        text(&mut out, 12, price_y, price_font, &l.price);
        // The date in small type just above the bars (a 30×20 label has no room for it).
        if let Some(d) = &l.date
            && size != LabelSize::Small
        {
            text(&mut out, 12, bar_y - 16, "1", d);
        }
        if let Some(code) = &l.barcode {
            let ean = code.len() == 13 && code.bytes().all(|b| b.is_ascii_digit());
            // EAN-13 takes its 12 digits and adds the check digit itself.
            let (kind, data) = if ean {
                ("EAN13", &code[..12])
            } else {
                ("128", code.as_str())
            };
            line(
                &mut out,
                format!("BARCODE 24,{bar_y},\"{kind}\",{bar_h},1,0,{narrow},{narrow},\"{data}\"")
                    .as_bytes(),
            );
        }
        line(&mut out, format!("PRINT 1,{}", l.copies).as_bytes());
    }
    out
}

#[cfg(test)]
mod tests {
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
        );
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
}

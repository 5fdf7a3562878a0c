//! Price tags on A4 sticker sheets, for shops without a label printer: the common sheet
//! layouts (3×8 of 70×37 mm, 4×10 of 52.5×29.7 mm, 5×13 of 38.1×21.2 mm), each label with the
//! name (up to two lines, Latin and Cyrillic in the embedded DejaVu Sans), the price with the
//! currency and unit in bold, the barcode's bars drawn as rectangles (EAN-13, else Code 128)
//! with its digits, and the date when asked for. Labels repeat for their copies and fill the
//! sheets row by row; pages are written as they fill.

use std::io::Write;

use super::ExportError;
use super::pdf::{Font, Writer, text_string, write_font, write_pages};
use crate::app::document::tspl::Label;

/// A sticker sheet's layout.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sheet {
    /// 3 columns × 8 rows of 70 × 37 mm.
    A3x8,
    /// 4 × 10 of 52.5 × 29.7 mm.
    A4x10,
    /// 5 × 13 of 38.1 × 21.2 mm.
    A5x13,
}

/// Millimetres to points.
const MM: f32 = 72.0 / 25.4;
const PAGE_W: f32 = 210.0 * MM;
const PAGE_H: f32 = 297.0 * MM;

/// Where the labels are on the sheet and what size type they take, in points.
struct Geometry {
    cols: usize,
    rows: usize,
    w: f32,
    h: f32,
    left: f32,
    top: f32,
    /// Gap between columns.
    gap: f32,
    pad: f32,
    name: f32,
    name_lines: usize,
    price: f32,
    small: f32,
}

impl Sheet {
    pub fn parse(s: &str) -> Option<Sheet> {
        match s.trim().to_ascii_lowercase().replace('×', "x").as_str() {
            "3x8" => Some(Sheet::A3x8),
            "4x10" => Some(Sheet::A4x10),
            "5x13" => Some(Sheet::A5x13),
            _ => None,
        }
    }

    /// Labels on one sheet.
    pub fn per_page(self) -> usize {
        let g = self.geometry();
        g.cols * g.rows
    }

    fn geometry(self) -> Geometry {
        match self {
            Sheet::A3x8 => Geometry {
                cols: 3,
                rows: 8,
                w: 70.0 * MM,
                h: 37.0 * MM,
                left: 0.0,
                top: 0.5 * MM,
                gap: 0.0,
                pad: 3.0 * MM,
                name: 9.0,
                name_lines: 2,
                price: 13.0,
                small: 6.5,
            },
            Sheet::A4x10 => Geometry {
                cols: 4,
                rows: 10,
                w: 52.5 * MM,
                h: 29.7 * MM,
                left: 0.0,
                top: 0.0,
                gap: 0.0,
                pad: 2.5 * MM,
                name: 7.5,
                name_lines: 2,
                price: 10.5,
                small: 5.5,
            },
            Sheet::A5x13 => Geometry {
                cols: 5,
                rows: 13,
                w: 38.1 * MM,
                h: 21.2 * MM,
                left: 4.75 * MM,
                top: 10.7 * MM,
                gap: 2.5 * MM,
                pad: 1.5 * MM,
                name: 6.0,
                name_lines: 1,
                price: 8.0,
                small: 5.0,
            },
        }
    }
}

/// Splits `text` into at most `lines` lines that fit `width` at `size`, at spaces where
/// possible; the last line ends in … when the text is longer.
fn wrap(font: &mut Font, text: &str, width: f32, size: f32, lines: usize) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut current = String::new();
    let words: Vec<&str> = text.split_whitespace().collect();
    for (i, word) in words.iter().enumerate() {
        let candidate = if current.is_empty() {
            (*word).to_string()
        } else {
            format!("{current} {word}")
        };
        if current.is_empty() || font.width(&candidate, size) <= width {
            current = candidate;
            continue;
        }
        out.push(std::mem::take(&mut current));
        if out.len() == lines {
            // No room left: the rest goes on the last line, cut with ….
            let rest = words[i..].join(" ");
            if let Some(last) = out.last_mut() {
                *last = font.fit(format!("{last} {rest}"), width, size);
            }
            return out;
        }
        current = (*word).to_string();
    }
    if !current.is_empty() {
        out.push(current);
    }
    let n = out.len();
    if n > 0 {
        let last = std::mem::take(&mut out[n - 1]);
        out[n - 1] = font.fit(last, width, size);
    }
    out
}

/// Text at (x, y) in `size`, bold (filled and stroked) when asked.
fn text(font: &mut Font, page: &mut Vec<u8>, s: &str, x: f32, y: f32, size: f32, bold: bool) {
    // The render mode is graphics state: it outlives ET, so every text sets its own.
    let mode = if bold { "2 Tr 0.3 w " } else { "0 Tr " };
    page.extend_from_slice(format!("BT /F1 {size} Tf {mode}1 0 0 1 {x:.2} {y:.2} Tm ").as_bytes());
    font.encode(s, page);
    page.extend_from_slice(b" Tj ET\n");
}

/// One label with its top-left corner at (x, top).
fn draw(font: &mut Font, page: &mut Vec<u8>, g: &Geometry, label: &Label, x: f32, top: f32) {
    let inner = g.w - 2.0 * g.pad;
    let mut y = top - g.pad - g.name;
    for line in wrap(font, &label.name, inner, g.name, g.name_lines) {
        text(font, page, &line, x + g.pad, y, g.name, false);
        y -= g.name * 1.15;
    }
    let price_y = y - (g.price - g.name) * 0.6 - 1.0;
    let price = font.fit(label.price.clone(), inner, g.price);
    text(font, page, &price, x + g.pad, price_y, g.price, true);
    let bottom = top - g.h + g.pad;
    let bars_top = price_y - g.price * 0.45;
    if let Some(date) = &label.date {
        // The date in small type at the right edge of the name's first line.
        let dw = font.width(date, g.small);
        text(
            font,
            page,
            date,
            x + g.w - g.pad - dw,
            bottom,
            g.small,
            false,
        );
    }
    let Some(code) = &label.barcode else {
        return;
    };
    let Some(modules) = super::bars::modules(code) else {
        return;
    };
    // Digits under the bars, the bars as high as the rest allows; modules of at most
    // 0.33 mm (EAN-13's nominal size) with quiet zones of ten modules each side.
    let digits_y = bottom;
    let bar_bottom = digits_y + g.small + 1.0;
    let bar_h = (bars_top - bar_bottom).max(4.0);
    let date_room = label
        .date
        .as_ref()
        .map_or(0.0, |d| font.width(d, g.small) + 4.0);
    let module = (inner / (modules.len() as f32 + 20.0)).min(0.33 * MM);
    let bars_w = module * modules.len() as f32;
    let bx = x + (g.w - bars_w) / 2.0;
    let mut i = 0;
    while i < modules.len() {
        if modules[i] {
            let start = i;
            while i < modules.len() && modules[i] {
                i += 1;
            }
            page.extend_from_slice(
                format!(
                    "{:.3} {bar_bottom:.3} {:.3} {bar_h:.3} re\n",
                    bx + module * start as f32,
                    module * (i - start) as f32
                )
                .as_bytes(),
            );
        } else {
            i += 1;
        }
    }
    page.extend_from_slice(b"f\n");
    let cw = font.width(code, g.small);
    // Centred under the bars, moved left of the date when they would touch.
    let cx = (x + (g.w - cw) / 2.0)
        .min(x + g.w - g.pad - date_room - cw)
        .max(x + g.pad);
    text(font, page, code, cx, digits_y, g.small, false);
}

/// Writes `labels` (each repeated for its copies) on A4 sheets of `sheet`; returns the
/// number of pages. `title` is the document's title.
pub fn write(
    labels: &[Label],
    sheet: Sheet,
    title: &str,
    out: impl Write,
) -> Result<usize, ExportError> {
    let io = |e: std::io::Error| ExportError::Pdf(e.to_string());
    let g = sheet.geometry();
    let mut font = Font::new()?;
    let mut w = Writer::new(out);
    w.raw(b"%PDF-1.4\n%\xE2\xE3\xCF\xD3\n").map_err(io)?;
    let (catalog, pages_id, font_id, info) = (w.reserve(), w.reserve(), w.reserve(), w.reserve());
    let mut kids = Vec::new();
    let mut page: Vec<u8> = Vec::new();
    let mut slot = 0usize;
    let per_page = g.cols * g.rows;
    let finish =
        |w: &mut Writer<_>, page: &mut Vec<u8>, kids: &mut Vec<usize>| -> std::io::Result<()> {
            let stream = w.reserve();
            w.stream(stream, "", page)?;
            page.clear();
            let id = w.reserve();
            w.object(
                id,
                &format!(
                    "<< /Type /Page /Parent {pages_id} 0 R /MediaBox [0 0 {PAGE_W:.2} {PAGE_H:.2}] \
                     /Resources << /Font << /F1 {font_id} 0 R >> >> /Contents {stream} 0 R >>"
                ),
            )?;
            kids.push(id);
            Ok(())
        };
    for label in labels {
        for _ in 0..label.copies {
            if slot == per_page {
                finish(&mut w, &mut page, &mut kids).map_err(io)?;
                slot = 0;
            }
            let (row, col) = (slot / g.cols, slot % g.cols);
            let x = g.left + col as f32 * (g.w + g.gap);
            let top = PAGE_H - g.top - row as f32 * g.h;
            draw(&mut font, &mut page, &g, label, x, top);
            slot += 1;
        }
    }
    if slot > 0 || kids.is_empty() {
        finish(&mut w, &mut page, &mut kids).map_err(io)?;
    }
    write_pages(&mut w, pages_id, catalog, &kids).map_err(io)?;
    w.object(
        info,
        &format!(
            "<< /Title {} /Producer (Kassa) /Creator (Kassa) >>",
            text_string(title)
        ),
    )
    .map_err(io)?;
    write_font(&mut w, &font, font_id).map_err(io)?;
    w.finish(catalog, info).map_err(io)?;
    Ok(kids.len())
}

/// Writes the sheets to `path` (owner-only, like the other exports); returns the pages.
pub fn write_file(
    labels: &[Label],
    sheet: Sheet,
    title: &str,
    path: &std::path::Path,
) -> Result<usize, ExportError> {
    let err = |source| ExportError::Io {
        path: path.display().to_string(),
        source,
    };
    let file = super::private_file(path).map_err(err)?;
    let mut out = std::io::BufWriter::new(file);
    let pages = write(labels, sheet, title, &mut out)?;
    out.flush().map_err(err)?;
    Ok(pages)
}

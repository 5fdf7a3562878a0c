//! Reports as PDF (A4 landscape), written straight to the file page by page: nothing but the
//! current page's text is held, so a year of products (2 000+ pages) costs a few megabytes and
//! well under a second beyond the report itself.
//!
//! The bundled DejaVu Sans (Latin with oʻ/gʻ, Cyrillic) is embedded whole as a TrueType
//! CID font with the Identity-H encoding, glyph widths for the glyphs used and a ToUnicode map,
//! so viewers show the text and copy, search and `pdftotext` get it back. Text is measured with
//! the font's own advance widths; numbers are right aligned; the totals row is bold (fill and
//! stroke) under a rule; every page repeats the column names and says "page n of m". The
//! document's title and author are UTF-16 text strings, as PDF defines them.

use std::collections::{BTreeMap, HashMap};
use std::io::Write;

use chrono::NaiveDate;

use super::{ExportError, Heading, heading};
use crate::app::{Cell, ReportTable};
use crate::i18n::{Lang, T};

/// The bundled font.
const FONT: &[u8] = include_bytes!("../../assets/DejaVuSans.ttf");

/// The embedded font: glyph ids and advance widths (in thousandths of the size), and which
/// glyphs the document used with the character each stands for.
pub(super) struct Font {
    face: ttf_parser::Face<'static>,
    /// Thousandths of an em per font unit.
    scale: f32,
    glyphs: HashMap<char, (u16, u16)>,
    used: BTreeMap<u16, (char, u16)>,
}

impl Font {
    pub(super) fn new() -> Result<Font, ExportError> {
        let face = ttf_parser::Face::parse(FONT, 0)
            .map_err(|e| ExportError::Pdf(format!("the bundled font: {e}")))?;
        let scale = 1000.0 / f32::from(face.units_per_em().max(1));
        Ok(Font {
            face,
            scale,
            glyphs: HashMap::new(),
            used: BTreeMap::new(),
        })
    }

    /// The glyph of `c` and its width in thousandths of an em (glyph 0 where the font has none).
    fn glyph(&mut self, c: char) -> (u16, u16) {
        if let Some(g) = self.glyphs.get(&c) {
            return *g;
        }
        let id = self.face.glyph_index(c).unwrap_or(ttf_parser::GlyphId(0));
        let advance = self.face.glyph_hor_advance(id).unwrap_or(0);
        let g = (id.0, (f32::from(advance) * self.scale).round() as u16);
        self.glyphs.insert(c, g);
        g
    }

    /// The width of `s` in points at `size`.
    pub(super) fn width(&mut self, s: &str, size: f32) -> f32 {
        s.chars().map(|c| f32::from(self.glyph(c).1)).sum::<f32>() * size / 1000.0
    }

    /// `s` as a hex string of glyph ids, marking the glyphs used.
    pub(super) fn encode(&mut self, s: &str, out: &mut Vec<u8>) {
        const HEX: &[u8; 16] = b"0123456789ABCDEF";
        out.push(b'<');
        for c in s.chars() {
            let (id, width) = self.glyph(c);
            if id != 0 {
                self.used.entry(id).or_insert((c, width));
            }
            for shift in [12, 8, 4, 0] {
                out.push(HEX[usize::from((id >> shift) & 0xF)]);
            }
        }
        out.push(b'>');
    }

    /// Cuts `s` to `width` points with an ellipsis.
    pub(super) fn fit(&mut self, s: String, width: f32, size: f32) -> String {
        if self.width(&s, size) <= width {
            return s;
        }
        let room = width - self.width("…", size);
        let mut used = 0.0;
        let mut out = String::new();
        for c in s.chars() {
            used += f32::from(self.glyph(c).1) * size / 1000.0;
            if used > room {
                break;
            }
            out.push(c);
        }
        out.push('…');
        out
    }
}

/// A PDF file being written: objects go out as they are made and the cross-reference table
/// remembers where each one starts.
pub(super) struct Writer<W: Write> {
    out: W,
    pos: u64,
    /// Each object's byte offset, by object number (0 is the free head of the list).
    offsets: Vec<u64>,
}

impl<W: Write> Writer<W> {
    pub(super) fn new(out: W) -> Writer<W> {
        Writer {
            out,
            pos: 0,
            offsets: vec![0],
        }
    }

    pub(super) fn raw(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        self.out.write_all(bytes)?;
        self.pos += bytes.len() as u64;
        Ok(())
    }

    /// A new object number (written later with [`Writer::object`] or [`Writer::stream`]).
    pub(super) fn reserve(&mut self) -> usize {
        self.offsets.push(0);
        self.offsets.len() - 1
    }

    pub(super) fn object(&mut self, id: usize, body: &str) -> std::io::Result<()> {
        self.offsets[id] = self.pos;
        self.raw(format!("{id} 0 obj\n{body}\nendobj\n").as_bytes())
    }

    /// A stream object, compressed, with `extra` entries in its dictionary.
    pub(super) fn stream(&mut self, id: usize, extra: &str, data: &[u8]) -> std::io::Result<()> {
        use flate2::{Compression, write::ZlibEncoder};
        let mut z = ZlibEncoder::new(Vec::with_capacity(data.len() / 3), Compression::fast());
        z.write_all(data)?;
        let packed = z.finish()?;
        self.offsets[id] = self.pos;
        self.raw(
            format!(
                "{id} 0 obj\n<< /Length {} /Filter /FlateDecode{extra} >>\nstream\n",
                packed.len()
            )
            .as_bytes(),
        )?;
        self.raw(&packed)?;
        self.raw(b"\nendstream\nendobj\n")
    }

    pub(super) fn finish(mut self, root: usize, info: usize) -> std::io::Result<()> {
        let start = self.pos;
        let mut table = format!("xref\n0 {}\n0000000000 65535 f \n", self.offsets.len());
        for offset in &self.offsets[1..] {
            table.push_str(&format!("{offset:010} 00000 n \n"));
        }
        table.push_str(&format!(
            "trailer\n<< /Size {} /Root {root} 0 R /Info {info} 0 R >>\nstartxref\n{start}\n%%EOF\n",
            self.offsets.len()
        ));
        self.raw(table.as_bytes())?;
        self.out.flush()
    }
}

/// A PDF text string: UTF-16BE with its byte-order mark, in hex.
pub(super) fn text_string(s: &str) -> String {
    let mut out = String::from("<FEFF");
    for unit in s.encode_utf16() {
        out.push_str(&format!("{unit:04X}"));
    }
    out.push('>');
    out
}

/// The ToUnicode map: which characters the used glyphs stand for.
fn to_unicode(used: &BTreeMap<u16, (char, u16)>) -> String {
    let mut out = String::from(
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n\
         /CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n\
         /CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n\
         1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n",
    );
    let glyphs: Vec<(&u16, &(char, u16))> = used.iter().collect();
    for chunk in glyphs.chunks(100) {
        out.push_str(&format!("{} beginbfchar\n", chunk.len()));
        for (id, (c, _)) in chunk {
            let mut units = [0u16; 2];
            let hex: String = c
                .encode_utf16(&mut units)
                .iter()
                .map(|u| format!("{u:04X}"))
                .collect();
            out.push_str(&format!("<{id:04X}> <{hex}>\n"));
        }
        out.push_str("endbfchar\n");
    }
    out.push_str("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
    out
}

/// Writes one table row's cells at a height: (font, page content, cells, y).
type EmitCells<'a> = dyn FnMut(&mut Font, &mut Vec<u8>, Vec<String>, f32) + 'a;

/// Page geometry and type sizes, in points.
struct Layout {
    width: f32,
    height: f32,
    margin: f32,
    size: f32,
    line: f32,
    gap: f32,
}

const LAYOUT: Layout = Layout {
    width: 841.89,
    height: 595.28,
    margin: 34.0,
    size: 8.0,
    line: 12.0,
    gap: 11.0,
};

/// Writes the report as a PDF to `out`: a header with the shop, the report, its period, who
/// printed it and when; the table with the column names on every page; the totals bold under
/// a rule; page numbers.
pub(super) fn write(
    table: &ReportTable,
    lang: Lang,
    today: NaiveDate,
    heading_of: &Heading,
    out: impl Write,
) -> Result<(), ExportError> {
    let io = |e: std::io::Error| ExportError::Pdf(e.to_string());
    let l = &LAYOUT;
    let mut font = Font::new()?;
    let title = heading(table, lang, today);
    let ncols = table.columns.len().max(1);
    let tiyin = table.tiyin;
    let total_label = lang.t(T::RepTotal);

    // Column widths from the widest text of each column.
    let mut widths: Vec<f32> = table
        .columns
        .iter()
        .map(|c| font.width(lang.t(*c), l.size))
        .collect();
    widths.resize(ncols, 0.0);
    for row in table.rows.iter().chain(table.total.iter()) {
        for (i, c) in row.iter().enumerate().take(ncols) {
            let w = font.width(&c.show(lang, tiyin), l.size);
            widths[i] = widths[i].max(w);
        }
    }
    if table.total.is_some() {
        widths[0] = widths[0].max(font.width(total_label, l.size));
    }
    let usable = l.width - 2.0 * l.margin - l.gap * (ncols - 1) as f32;
    if widths.iter().sum::<f32>() > usable {
        // The first column (names) gives way; the others keep their width.
        let others: f32 = widths.iter().skip(1).sum();
        widths[0] = (usable - others).max(110.0);
    }
    let xs: Vec<f32> = widths
        .iter()
        .scan(l.margin, |x, w| {
            let at = *x;
            *x += w + l.gap;
            Some(at)
        })
        .collect();
    let numeric: Vec<bool> = (0..ncols)
        .map(|i| {
            table
                .rows
                .first()
                .and_then(|r| r.get(i))
                .is_some_and(Cell::is_number)
        })
        .collect();

    // The header block of the first page.
    let mut top: Vec<(String, f32)> = Vec::new();
    if !heading_of.shop.is_empty() {
        top.push((heading_of.shop.clone(), 12.0));
    }
    top.push((title.clone(), 12.0));
    if let Some(printed) = super::printed_by(heading_of, lang) {
        top.push((printed, l.size));
    }
    let first_y = l.height - l.margin - top.iter().map(|(_, s)| s * 1.5).sum::<f32>() - 14.0;
    let page_y = l.height - l.margin;
    let bottom = l.margin;
    // Rows per page, for "page n of m".
    let rows_from = |y: f32| (((y - l.line * 1.4 - bottom) / l.line).floor() as usize).max(1);
    let (on_first, on_others) = (rows_from(first_y), rows_from(page_y));
    let all_rows = table.rows.len() + usize::from(table.total.is_some());
    let pages = 1 + all_rows.saturating_sub(on_first).div_ceil(on_others);

    let mut w = Writer::new(out);
    w.raw(b"%PDF-1.4\n%\xE2\xE3\xCF\xD3\n").map_err(io)?;
    let (catalog, pages_id, font_id, info) = (w.reserve(), w.reserve(), w.reserve(), w.reserve());
    let mut kids: Vec<usize> = Vec::with_capacity(pages);
    let mut content: Vec<u8> = Vec::with_capacity(64 * 1024);

    let put = |font: &mut Font, content: &mut Vec<u8>, text: &str, x: f32, y: f32| {
        content.extend_from_slice(format!("1 0 0 1 {x:.2} {y:.2} Tm ").as_bytes());
        font.encode(text, content);
        content.extend_from_slice(b" Tj\n");
    };
    let mut emit_cells = |font: &mut Font, content: &mut Vec<u8>, cells: Vec<String>, y: f32| {
        for (i, text) in cells.into_iter().enumerate().take(ncols) {
            let text = font.fit(text, widths[i], l.size);
            let x = if numeric[i] {
                xs[i] + widths[i] - font.width(&text, l.size)
            } else {
                xs[i]
            };
            put(font, content, &text, x, y);
        }
    };
    let column_names: Vec<String> = table
        .columns
        .iter()
        .map(|c| lang.t(*c).to_string())
        .collect();

    let mut page_no = 1usize;
    let mut y = first_y;
    let mut left = on_first;
    // Opens a page's text: the font, the column names under a thin rule.
    let start_page = |font: &mut Font, content: &mut Vec<u8>, emit: &mut EmitCells, y: f32| {
        content.extend_from_slice(
            format!(
                "0.5 w {m:.2} {r:.2} m {e:.2} {r:.2} l S\nBT /F1 {s} Tf\n",
                m = l.margin,
                e = l.width - l.margin,
                r = y - 3.5,
                s = l.size
            )
            .as_bytes(),
        );
        emit(font, content, column_names.clone(), y);
    };
    // The first page's header block.
    content.extend_from_slice(b"BT\n");
    let mut ty = l.height - l.margin;
    for (text, size) in &top {
        ty -= size * 1.2;
        content.extend_from_slice(format!("/F1 {size} Tf ").as_bytes());
        put(&mut font, &mut content, text, l.margin, ty);
        ty -= size * 0.3;
    }
    content.extend_from_slice(b"ET\n");
    start_page(&mut font, &mut content, &mut emit_cells, y);
    y -= l.line * 1.4;

    let mut finish_page = |w: &mut Writer<_>,
                           font: &mut Font,
                           content: &mut Vec<u8>,
                           page_no: usize|
     -> std::io::Result<()> {
        let label = lang.fill(T::PdfPage, &[&page_no.to_string(), &pages.to_string()]);
        let x = l.width - l.margin - font.width(&label, l.size);
        put(font, content, &label, x, bottom - 14.0);
        content.extend_from_slice(b"ET\n");
        let stream = w.reserve();
        w.stream(stream, "", content)?;
        content.clear();
        let page = w.reserve();
        w.object(
            page,
            &format!(
                "<< /Type /Page /Parent {pages_id} 0 R /MediaBox [0 0 {} {}] \
                 /Resources << /Font << /F1 {font_id} 0 R >> >> /Contents {stream} 0 R >>",
                l.width, l.height
            ),
        )?;
        kids.push(page);
        Ok(())
    };

    let rows = table
        .rows
        .iter()
        .map(|r| (r, false))
        .chain(table.total.iter().map(|r| (r, true)));
    for (row, is_total) in rows {
        if left == 0 {
            finish_page(&mut w, &mut font, &mut content, page_no).map_err(io)?;
            page_no += 1;
            y = page_y;
            left = on_others;
            start_page(&mut font, &mut content, &mut emit_cells, y);
            y -= l.line * 1.4;
        }
        let mut cells: Vec<String> = row.iter().map(|c| c.show(lang, tiyin)).collect();
        if is_total {
            if let Some(first) = cells.first_mut().filter(|c| c.is_empty()) {
                *first = total_label.to_string();
            }
            // A rule above, then the text filled and stroked (bold in a face without bold).
            let r = y + l.line * 0.7;
            content.extend_from_slice(
                format!(
                    "ET\n0.8 w {:.2} {r:.2} m {:.2} {r:.2} l S\nBT /F1 {} Tf 2 Tr 0.35 w\n",
                    l.margin,
                    l.width - l.margin,
                    l.size
                )
                .as_bytes(),
            );
            emit_cells(&mut font, &mut content, cells, y);
            content.extend_from_slice(b"0 Tr\n");
        } else {
            emit_cells(&mut font, &mut content, cells, y);
        }
        y -= l.line;
        left -= 1;
    }
    finish_page(&mut w, &mut font, &mut content, page_no).map_err(io)?;

    // The document's objects that need every page or every glyph.
    write_pages(&mut w, pages_id, catalog, &kids).map_err(io)?;
    let mut info_dict = format!(
        "<< /Title {} /Producer (Kassa) /Creator (Kassa)",
        text_string(&title)
    );
    if !heading_of.by.is_empty() {
        info_dict.push_str(&format!(" /Author {}", text_string(&heading_of.by)));
    }
    if !heading_of.shop.is_empty() {
        info_dict.push_str(&format!(" /Subject {}", text_string(&heading_of.shop)));
    }
    info_dict.push_str(" >>");
    w.object(info, &info_dict).map_err(io)?;

    write_font(&mut w, &font, font_id).map_err(io)?;
    w.finish(catalog, info).map_err(io)
}

/// The page tree of `kids` and the catalog naming it.
pub(super) fn write_pages<W: Write>(
    w: &mut Writer<W>,
    pages_id: usize,
    catalog: usize,
    kids: &[usize],
) -> std::io::Result<()> {
    let refs: Vec<String> = kids.iter().map(|k| format!("{k} 0 R")).collect();
    w.object(
        pages_id,
        &format!(
            "<< /Type /Pages /Kids [{}] /Count {} >>",
            refs.join(" "),
            kids.len()
        ),
    )?;
    w.object(
        catalog,
        &format!("<< /Type /Catalog /Pages {pages_id} 0 R >>"),
    )
}

/// The font's objects (`font_id` is the Type0 font the pages name /F1): the descendant CID
/// font with the widths of the glyphs used, its descriptor, the embedded file and the
/// ToUnicode map. Written last, once every glyph is known.
pub(super) fn write_font<W: Write>(
    w: &mut Writer<W>,
    font: &Font,
    font_id: usize,
) -> std::io::Result<()> {
    let (cid, descriptor, file, unicode) = (w.reserve(), w.reserve(), w.reserve(), w.reserve());
    w.object(
        font_id,
        &format!(
            "<< /Type /Font /Subtype /Type0 /BaseFont /DejaVuSans /Encoding /Identity-H \
             /DescendantFonts [{cid} 0 R] /ToUnicode {unicode} 0 R >>"
        ),
    )?;
    let widths_array: Vec<String> = font
        .used
        .iter()
        .map(|(id, (_, width))| format!("{id} [{width}]"))
        .collect();
    w.object(
        cid,
        &format!(
            "<< /Type /Font /Subtype /CIDFontType2 /BaseFont /DejaVuSans \
             /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> \
             /FontDescriptor {descriptor} 0 R /DW 600 /W [{}] /CIDToGIDMap /Identity >>",
            widths_array.join(" ")
        ),
    )?;
    let face = &font.face;
    let s = font.scale;
    let b = face.global_bounding_box();
    let units = |v: i16| (f32::from(v) * s).round() as i32;
    w.object(
        descriptor,
        &format!(
            "<< /Type /FontDescriptor /FontName /DejaVuSans /Flags 32 \
             /FontBBox [{} {} {} {}] /ItalicAngle 0 /Ascent {} /Descent {} /CapHeight {} \
             /StemV 80 /FontFile2 {file} 0 R >>",
            units(b.x_min),
            units(b.y_min),
            units(b.x_max),
            units(b.y_max),
            units(face.ascender()),
            units(face.descender()),
            units(face.capital_height().unwrap_or(face.ascender())),
        ),
    )?;
    w.stream(file, &format!(" /Length1 {}", FONT.len()), FONT)?;
    w.stream(unicode, "", to_unicode(&font.used).as_bytes())?;
    Ok(())
}

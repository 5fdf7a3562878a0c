//! Writes a report ([`ReportTable`]) to a file: CSV, Excel (.xlsx, through `rust_xlsxwriter`:
//! numbers stay numbers, money formatted with thousands and two decimals, quantities with up
//! to three decimals) and PDF (through `printpdf`, with the bundled DejaVu Sans embedded so
//! Uzbek oʻ/gʻ and Cyrillic print as they are; A4 landscape, repeated header row, page
//! numbers). Used by the Reports tab and `kassa report`.

use std::path::{Path, PathBuf};

use crate::app::{Cell, ReportTable};
use crate::i18n::{Lang, T};

/// A file format for reports.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Csv,
    Xlsx,
    Pdf,
}

impl Format {
    pub fn parse(s: &str) -> Option<Format> {
        match s.trim().to_ascii_lowercase().as_str() {
            "csv" => Some(Format::Csv),
            "xlsx" => Some(Format::Xlsx),
            "pdf" => Some(Format::Pdf),
            _ => None,
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Xlsx => "xlsx",
            Format::Pdf => "pdf",
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("cannot write {path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("Excel: {0}")]
    Xlsx(String),
    #[error("PDF: {0}")]
    Pdf(String),
}

/// Who and what a printed report names in its header, besides the report and its period:
/// the shop, the person who exported it and when (local time). Empty fields are left out.
#[derive(Clone, Debug, Default)]
pub struct Heading {
    pub shop: String,
    pub by: String,
    /// Local time, "24.11.2026 12:05".
    pub at: String,
}

/// The report's title line: its name and its period (or the day it is as of).
pub fn heading(table: &ReportTable, lang: Lang, today: chrono::NaiveDate) -> String {
    let name = lang.t(table.kind.title());
    let when = match table.period {
        Some((from, to)) => lang.fill(
            T::RepPeriod,
            &[
                &from.format("%d.%m.%Y").to_string(),
                &to.format("%d.%m.%Y").to_string(),
            ],
        ),
        None => lang.fill(T::RepAsOf, &[&today.format("%d.%m.%Y").to_string()]),
    };
    format!("{name}. {when}")
}

/// A file name like `sales-by-product_2026-11-01_2026-11-30.xlsx`.
pub fn file_name(table: &ReportTable, format: Format, today: chrono::NaiveDate) -> String {
    let when = match table.period {
        Some((from, to)) => format!("{from}_{to}"),
        None => today.to_string(),
    };
    format!("{}_{when}.{}", table.kind.code(), format.extension())
}

/// The folder exports go to by default: `~/Documents/Kassa` (or the XDG documents folder),
/// else `exports/` beside the database.
pub fn default_folder(db: &Path) -> PathBuf {
    directories::UserDirs::new()
        .and_then(|u| u.document_dir().map(|d| d.join("Kassa")))
        .unwrap_or_else(|| {
            db.parent()
                .map(|p| p.join("exports"))
                .unwrap_or_else(|| PathBuf::from("exports"))
        })
}

/// Writes the report to `path` in `format`.
pub fn write(
    table: &ReportTable,
    format: Format,
    lang: Lang,
    today: chrono::NaiveDate,
    path: &Path,
) -> Result<(), ExportError> {
    write_with(table, format, lang, today, path, &Heading::default())
}

/// [`write`], with the shop, the person and the time in the header of a PDF.
pub fn write_with(
    table: &ReportTable,
    format: Format,
    lang: Lang,
    today: chrono::NaiveDate,
    path: &Path,
    heading: &Heading,
) -> Result<(), ExportError> {
    if let Some(dir) = path.parent()
        && !dir.as_os_str().is_empty()
    {
        crate::store::create_private_dir(dir).map_err(|source| ExportError::Io {
            path: dir.display().to_string(),
            source,
        })?;
    }
    let io = |source| ExportError::Io {
        path: path.display().to_string(),
        source,
    };
    use std::io::Write;
    match format {
        // Files get a UTF-8 byte-order mark, so Excel in Uzbek or Russian reads the Cyrillic
        // and ʻ right (standard output stays plain for scripts).
        Format::Csv => private_file(path)
            .and_then(|mut f| {
                f.write_all("\u{feff}".as_bytes())?;
                f.write_all(csv(table, lang).as_bytes())
            })
            .map_err(io),
        Format::Xlsx => xlsx(table, lang, today, path),
        Format::Pdf => {
            let bytes = pdf(table, lang, today, heading)?;
            private_file(path)
                .and_then(|mut f| f.write_all(&bytes))
                .map_err(io)
        }
    }
}

/// Creates (or truncates) an export file readable by its owner only (0600), whatever the
/// umask: reports hold the shop's figures and customers' names.
fn private_file(path: &Path) -> std::io::Result<std::fs::File> {
    use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
    let f = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)?;
    f.set_permissions(std::fs::Permissions::from_mode(0o600))?;
    Ok(f)
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// Plain numbers (money in so'm with two decimals, quantities with a dot), for spreadsheets
/// and scripts.
fn csv_value(c: &Cell) -> String {
    match c {
        Cell::Money(m) => {
            let sign = if *m < 0 { "-" } else { "" };
            let a = m.unsigned_abs();
            format!("{sign}{}.{:02}", a / 100, a % 100)
        }
        Cell::Date(Some(d)) => d.to_string(),
        Cell::Date(None) => String::new(),
        other => csv_field(&other.display()),
    }
}

/// The report as CSV: comma separated, header row, and the totals last with their first cell
/// labelled ("Jami"). [`write`] puts a byte-order mark before it in files.
pub fn csv(table: &ReportTable, lang: Lang) -> String {
    let mut out = String::new();
    let header: Vec<String> = table
        .columns
        .iter()
        .map(|c| csv_field(lang.t(*c)))
        .collect();
    out.push_str(&header.join(","));
    out.push('\n');
    for row in &table.rows {
        let cells: Vec<String> = row.iter().map(csv_value).collect();
        out.push_str(&cells.join(","));
        out.push('\n');
    }
    if let Some(total) = &table.total {
        let mut cells: Vec<String> = total.iter().map(csv_value).collect();
        if let Some(first) = cells.first_mut().filter(|c| c.is_empty()) {
            *first = csv_field(lang.t(T::RepTotal));
        }
        out.push_str(&cells.join(","));
        out.push('\n');
    }
    out
}

/// Money as an Excel number of so'm (Excel numbers are doubles; amounts up to 10^13 tiyin are
/// exact in them).
fn som(m: i64) -> f64 {
    m as f64 / 100.0
}

fn xlsx(
    table: &ReportTable,
    lang: Lang,
    today: chrono::NaiveDate,
    path: &Path,
) -> Result<(), ExportError> {
    use rust_xlsxwriter::{Format as XFormat, FormatBorder, Workbook};
    let err = |e: rust_xlsxwriter::XlsxError| ExportError::Xlsx(e.to_string());
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    let name: String = lang
        .t(table.kind.title())
        .chars()
        .filter(|c| !"[]:*?/\\".contains(*c))
        .take(31)
        .collect();
    sheet.set_name(&name).map_err(err)?;
    let title = XFormat::new().set_bold().set_font_size(13);
    let head = XFormat::new()
        .set_bold()
        .set_border_bottom(FormatBorder::Thin);
    let money = XFormat::new().set_num_format("#,##0.00");
    let qty = XFormat::new().set_num_format("#,##0.###");
    let int = XFormat::new().set_num_format("#,##0");
    let date = XFormat::new().set_num_format("dd.mm.yyyy");
    let bold_money = XFormat::new()
        .set_bold()
        .set_num_format("#,##0.00")
        .set_border_top(FormatBorder::Thin);
    let bold = XFormat::new().set_bold().set_border_top(FormatBorder::Thin);
    let bold_qty = bold.clone().set_num_format("#,##0.###");
    let bold_int = bold.clone().set_num_format("#,##0");
    sheet
        .write_string_with_format(0, 0, heading(table, lang, today), &title)
        .map_err(err)?;
    for (c, col) in table.columns.iter().enumerate() {
        let c = c as u16;
        sheet
            .write_string_with_format(2, c, lang.t(*col), &head)
            .map_err(err)?;
        sheet
            .set_column_width(c, if c == 0 { 36 } else { 16 })
            .map_err(err)?;
    }
    let mut r = 3u32;
    for row in &table.rows {
        for (c, cell) in row.iter().enumerate() {
            let c = c as u16;
            match cell {
                Cell::Money(m) => sheet.write_number_with_format(r, c, som(*m), &money),
                Cell::Qty(q) => sheet.write_number_with_format(r, c, *q as f64 / 1000.0, &qty),
                Cell::Int(n) => sheet.write_number_with_format(r, c, *n as f64, &int),
                Cell::Date(Some(d)) => {
                    let d = rust_xlsxwriter::ExcelDateTime::from_ymd(
                        u16::try_from(chrono::Datelike::year(d)).unwrap_or(1900),
                        chrono::Datelike::month(d) as u8,
                        chrono::Datelike::day(d) as u8,
                    )
                    .map_err(err)?;
                    sheet.write_datetime_with_format(r, c, &d, &date)
                }
                Cell::Date(None) => sheet.write_string(r, c, ""),
                Cell::Text(s) => sheet.write_string(r, c, s),
            }
            .map_err(err)?;
        }
        r += 1;
    }
    if let Some(total) = &table.total {
        for (c, cell) in total.iter().enumerate() {
            let c = c as u16;
            match cell {
                Cell::Money(m) => sheet.write_number_with_format(r, c, som(*m), &bold_money),
                Cell::Qty(q) => sheet.write_number_with_format(r, c, *q as f64 / 1000.0, &bold_qty),
                Cell::Int(n) => sheet.write_number_with_format(r, c, *n as f64, &bold_int),
                Cell::Text(s) if c == 0 && s.is_empty() => {
                    sheet.write_string_with_format(r, c, lang.t(T::RepTotal), &bold)
                }
                other => sheet.write_string_with_format(r, c, other.display(), &bold),
            }
            .map_err(err)?;
        }
    }
    sheet.set_freeze_panes(3, 0).map_err(err)?;
    let file = private_file(path).map_err(|source| ExportError::Io {
        path: path.display().to_string(),
        source,
    })?;
    book.save_to_writer(std::io::BufWriter::new(file))
        .map_err(err)
}

/// The bundled font (DejaVu Sans: Latin with oʻ/gʻ, Cyrillic).
const FONT: &[u8] = include_bytes!("../assets/DejaVuSans.ttf");

/// The report as a PDF document (A4 landscape): a header with the shop, the report, its
/// period, who printed it and when; the table with a repeated header row, numbers right
/// aligned; the totals row bold (a second, slightly offset pass of the same text) under a
/// rule; page numbers. Each page's text is one text section (one font selection, an
/// absolute position and the glyphs per cell), which keeps a year of products small.
pub fn pdf(
    table: &ReportTable,
    lang: Lang,
    today: chrono::NaiveDate,
    heading_of: &Heading,
) -> Result<Vec<u8>, ExportError> {
    use printpdf::{Line, Mm, PdfDocument, Point, TextMatrix};
    let err = |e: printpdf::Error| ExportError::Pdf(e.to_string());
    let (w, h) = (297.0f32, 210.0f32);
    let title = heading(table, lang, today);
    // The document's metadata title in ASCII (printpdf writes it unescaped, which garbles
    // ʻ and Cyrillic in viewers): the report's code and its period.
    let meta_title = match table.period {
        Some((from, to)) => format!("Kassa {} {from} {to}", table.kind.code()),
        None => format!("Kassa {} {today}", table.kind.code()),
    };
    let (doc, page, layer) = PdfDocument::new(&meta_title, Mm(w), Mm(h), "1");
    let font = doc
        .add_external_font(std::io::Cursor::new(FONT))
        .map_err(err)?;
    // Column widths from the text's width in DejaVu Sans (digits 0.636 em, spaces and
    // separators 0.318 em, other characters ~0.6 em on average).
    let size = 8.0f32;
    let em_mm = size * 0.3528;
    let text_mm = |s: &str| -> f32 {
        s.chars()
            .map(|c| match c {
                '0'..='9' => 0.636,
                ' ' | ',' | '.' | ':' => 0.32,
                '-' | '—' => 0.5,
                _ => 0.6,
            })
            .sum::<f32>()
            * em_mm
    };
    let ncols = table.columns.len().max(1);
    let mut widths: Vec<f32> = table.columns.iter().map(|c| text_mm(lang.t(*c))).collect();
    for row in table.rows.iter().chain(table.total.iter()) {
        for (i, c) in row.iter().enumerate().take(ncols) {
            widths[i] = widths[i].max(text_mm(&c.display()));
        }
    }
    let gap = 4.0f32;
    let usable = w - 24.0 - gap * ncols as f32;
    let sum: f32 = widths.iter().sum();
    if sum > usable {
        // The first column (names) gives way; others keep their width.
        let others: f32 = widths.iter().skip(1).sum();
        widths[0] = (usable - others).max(40.0);
    }
    let xs: Vec<f32> = widths
        .iter()
        .scan(12.0f32, |x, wdt| {
            let at = *x;
            *x += wdt + gap;
            Some(at)
        })
        .collect();
    let fit = |s: String, width: f32| -> String {
        if text_mm(&s) <= width {
            return s;
        }
        let mut t = String::new();
        for c in s.chars() {
            if text_mm(&t) + text_mm(&c.to_string()) + text_mm("…") > width {
                break;
            }
            t.push(c);
        }
        t.push('…');
        t
    };
    let line_mm = size * 0.3528 * 1.5;
    let mut layer = doc.get_page(page).get_layer(layer);
    let mut y = h - 15.0;
    let mut page_no = 1;
    let numeric: Vec<bool> = (0..ncols)
        .map(|i| {
            table
                .rows
                .first()
                .and_then(|r| r.get(i))
                .is_some_and(Cell::is_number)
        })
        .collect();
    // One text section per page: the font once, then for each cell an absolute position
    // and its glyphs.
    let put = |layer: &printpdf::PdfLayerReference, text: String, x: f32, y: f32| {
        layer.set_text_matrix(TextMatrix::Translate(Mm(x).into(), Mm(y).into()));
        layer.write_text(text, &font);
    };
    let cell_x = |i: usize, text: &str| {
        if numeric[i] {
            xs[i] + widths[i] - text_mm(text)
        } else {
            xs[i]
        }
    };
    let header = |layer: &printpdf::PdfLayerReference, y: f32| {
        for (i, c) in table.columns.iter().enumerate() {
            let text = fit(lang.t(*c).to_string(), widths[i]);
            let x = cell_x(i, &text);
            put(layer, text, x, y);
        }
    };
    layer.begin_text_section();
    layer.set_font(&font, 12.0);
    let top = [heading_of.shop.as_str(), title.as_str()];
    for line in top.into_iter().filter(|l| !l.is_empty()) {
        put(&layer, line.to_string(), 12.0, y);
        y -= 6.0;
    }
    let printed: Vec<&str> = [heading_of.by.as_str(), heading_of.at.as_str()]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect();
    layer.set_font(&font, size);
    if !printed.is_empty() {
        put(
            &layer,
            lang.fill(T::PrintedBy, &[&printed.join(", ")]),
            12.0,
            y + 1.5,
        );
        y -= 4.0;
    }
    y -= 4.0;
    header(&layer, y);
    y -= line_mm * 1.3;
    let total_label = table
        .total
        .as_ref()
        .map(|_| lang.t(T::RepTotal).to_string());
    let mut rows: Vec<Vec<String>> = table
        .rows
        .iter()
        .map(|r| r.iter().map(Cell::display).collect())
        .collect();
    if let Some(t) = &table.total {
        let mut cells: Vec<String> = t.iter().map(Cell::display).collect();
        if let (Some(first), Some(label)) = (cells.first_mut(), &total_label)
            && first.is_empty()
        {
            *first = label.clone();
        }
        rows.push(cells);
    }
    let last = rows.len();
    for (n, row) in rows.into_iter().enumerate() {
        let is_total = table.total.is_some() && n + 1 == last;
        if y < 15.0 {
            put(&layer, format!("{page_no}"), w - 20.0, 8.0);
            layer.end_text_section();
            page_no += 1;
            let (p, l) = doc.add_page(Mm(w), Mm(h), format!("{page_no}"));
            layer = doc.get_page(p).get_layer(l);
            layer.begin_text_section();
            layer.set_font(&font, size);
            y = h - 15.0;
            header(&layer, y);
            y -= line_mm * 1.3;
        }
        if is_total {
            // A rule above the totals (drawn outside the text section).
            layer.end_text_section();
            let rule_y = y + line_mm * 0.75;
            layer.set_outline_thickness(0.8);
            layer.add_line(Line {
                points: vec![
                    (Point::new(Mm(12.0), Mm(rule_y)), false),
                    (Point::new(Mm(w - 12.0), Mm(rule_y)), false),
                ],
                is_closed: false,
            });
            layer.begin_text_section();
            layer.set_font(&font, size);
        }
        for (i, text) in row.into_iter().enumerate().take(ncols) {
            let text = fit(text, widths[i]);
            let x = cell_x(i, &text);
            if is_total {
                // Bold by a second pass a hair to the right (the bundled face has no bold).
                put(&layer, text.clone(), x + 0.12, y);
            }
            put(&layer, text, x, y);
        }
        y -= line_mm;
    }
    put(&layer, format!("{page_no}"), w - 20.0, 8.0);
    layer.end_text_section();
    doc.save_to_bytes().map_err(err)
}

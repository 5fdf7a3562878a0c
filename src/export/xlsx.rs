//! Reports as Excel workbooks (.xlsx) through `rust_xlsxwriter` in its constant-memory mode:
//! each row goes to a temporary file as it is written, so a year of products (100 000 rows)
//! does not sit in memory as cells. Numbers stay numbers: money in so'm with thousands and
//! two decimals, quantities with up to three decimals, counts grouped, dates and times as
//! real Excel date-times.

use std::path::Path;

use chrono::{Datelike, NaiveDate, NaiveDateTime, Timelike};
use rust_xlsxwriter::{ExcelDateTime, Format as XFormat, FormatBorder, Workbook, XlsxError};

use super::{ExportError, heading, private_file};
use crate::app::{Cell, ReportTable};
use crate::i18n::{Lang, T};

/// Money as an Excel number of so'm (Excel numbers are doubles; amounts up to 10^13 tiyin are
/// exact in them).
fn som(m: i64) -> f64 {
    m as f64 / 100.0
}

fn excel_date(d: NaiveDate) -> Result<ExcelDateTime, XlsxError> {
    ExcelDateTime::from_ymd(
        u16::try_from(d.year()).unwrap_or(1900),
        d.month() as u8,
        d.day() as u8,
    )
}

fn excel_time(t: NaiveDateTime) -> Result<ExcelDateTime, XlsxError> {
    excel_date(t.date())?.and_hms(t.hour() as u16, t.minute() as u8, t.second())
}

/// The cell formats of one workbook: plain for rows, bold under a rule for the totals.
struct Formats {
    money: XFormat,
    qty: XFormat,
    int: XFormat,
    date: XFormat,
    time: XFormat,
    text: XFormat,
}

impl Formats {
    fn new(total: bool) -> Formats {
        let base = if total {
            XFormat::new().set_bold().set_border_top(FormatBorder::Thin)
        } else {
            XFormat::new()
        };
        Formats {
            money: base.clone().set_num_format("#,##0.00"),
            qty: base.clone().set_num_format("#,##0.###"),
            int: base.clone().set_num_format("#,##0"),
            date: base.clone().set_num_format("dd.mm.yyyy"),
            time: base.clone().set_num_format("dd.mm.yyyy hh:mm"),
            text: base,
        }
    }
}

fn write_row(
    sheet: &mut rust_xlsxwriter::Worksheet,
    r: u32,
    cells: &[Cell],
    f: &Formats,
    label: Option<&str>,
) -> Result<(), XlsxError> {
    for (c, cell) in cells.iter().enumerate() {
        let c = c as u16;
        match cell {
            Cell::Money(m) => sheet.write_number_with_format(r, c, som(*m), &f.money),
            Cell::Qty(q) => sheet.write_number_with_format(r, c, *q as f64 / 1000.0, &f.qty),
            Cell::Int(n) => sheet.write_number_with_format(r, c, *n as f64, &f.int),
            Cell::Date(Some(d)) => sheet.write_datetime_with_format(r, c, excel_date(*d)?, &f.date),
            Cell::Time(Some(t)) => sheet.write_datetime_with_format(r, c, excel_time(*t)?, &f.time),
            Cell::Date(None) | Cell::Time(None) => {
                sheet.write_string_with_format(r, c, "", &f.text)
            }
            Cell::Text(s) => match label {
                Some(label) if c == 0 && s.is_empty() => {
                    sheet.write_string_with_format(r, c, label, &f.text)
                }
                _ => sheet.write_string_with_format(r, c, s, &f.text),
            },
        }?;
    }
    Ok(())
}

/// Writes the report to `path`: the title and period on the first row, the shop and who
/// printed it when on the second, the column names on the third (frozen), the rows, and the
/// totals labelled and bold under a rule.
pub(super) fn write(
    table: &ReportTable,
    lang: Lang,
    today: NaiveDate,
    heading_of: &super::Heading,
    path: &Path,
) -> Result<(), ExportError> {
    let err = |e: XlsxError| ExportError::Xlsx(e.to_string());
    let mut book = Workbook::new();
    let sheet = book.add_worksheet_with_constant_memory();
    let name: String = lang
        .t(table.kind.title())
        .chars()
        .filter(|c| !"[]:*?/\\".contains(*c))
        .take(31)
        .collect();
    sheet.set_name(&name).map_err(err)?;
    for c in 0..table.columns.len() {
        let c = c as u16;
        sheet
            .set_column_width(c, if c == 0 { 36 } else { 16 })
            .map_err(err)?;
    }
    sheet.set_freeze_panes(3, 0).map_err(err)?;
    let title = XFormat::new().set_bold().set_font_size(13);
    let head = XFormat::new()
        .set_bold()
        .set_border_bottom(FormatBorder::Thin);
    sheet
        .write_string_with_format(0, 0, heading(table, lang, today), &title)
        .map_err(err)?;
    let imprint = super::imprint(heading_of, lang);
    if !imprint.is_empty() {
        sheet.write_string(1, 0, imprint).map_err(err)?;
    }
    for (c, col) in table.columns.iter().enumerate() {
        sheet
            .write_string_with_format(2, c as u16, lang.t(*col), &head)
            .map_err(err)?;
    }
    let plain = Formats::new(false);
    let mut r = 3u32;
    for row in &table.rows {
        write_row(sheet, r, row, &plain, None).map_err(err)?;
        r += 1;
    }
    if let Some(total) = &table.total {
        write_row(
            sheet,
            r,
            total,
            &Formats::new(true),
            Some(lang.t(T::RepTotal)),
        )
        .map_err(err)?;
    }
    let file = private_file(path).map_err(|source| ExportError::Io {
        path: path.display().to_string(),
        source,
    })?;
    book.save_to_writer(std::io::BufWriter::new(file))
        .map_err(err)
}

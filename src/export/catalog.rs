//! The whole catalog as a file (xlsx or CSV, by the file's extension): one row per product
//! with every barcode (separated by spaces), category, unit, prices in so'm, stock and the
//! low-stock threshold, under column names in the user's language that [`crate::import`]
//! reads back — exporting and importing into an empty database gives the same catalog.

use std::io::Write;
use std::path::Path;

use super::{ExportError, Format, private_file};
use crate::app::CatalogRow;
use crate::domain::Quantity;
use crate::i18n::{Lang, T};

/// The column names, in the order written.
pub const COLUMNS: [T; 12] = [
    T::CatName,
    T::CatBarcodes,
    T::CatCategory,
    T::CatUnit,
    T::CatPurchasePrice,
    T::CatSalePrice,
    T::CatStock,
    T::CatLowStock,
    T::CatClassCode,
    T::CatPackageCode,
    T::CatVat,
    T::CatMarked,
];

/// "yes"/"no" in the language, as the import reads it back.
fn yes_no(lang: Lang, b: bool) -> &'static str {
    match (lang, b) {
        (Lang::Uz, true) => "ha",
        (Lang::Uz, false) => "yoʻq",
        (Lang::Ru, true) => "да",
        (Lang::Ru, false) => "нет",
        (Lang::En, true) => "yes",
        (Lang::En, false) => "no",
    }
}

/// So'm with a dot and two decimals where tiyin exist ("12000", "12000.50").
fn som_text(m: i64) -> String {
    if m % 100 == 0 {
        (m / 100).to_string()
    } else {
        format!("{}.{:02}", m / 100, (m % 100).abs())
    }
}

/// Writes the weighed products for a label scale as CSV (UTF-8 with a byte-order mark):
/// PLU, the till's seven-digit code, name, price per kg in so'm.
pub fn write_plu(rows: &[crate::app::PluRow], path: &Path) -> Result<(), ExportError> {
    let fail = |e: std::io::Error| ExportError::Io {
        path: path.display().to_string(),
        source: e,
    };
    let mut out = std::io::BufWriter::new(private_file(path).map_err(fail)?);
    out.write_all("\u{feff}".as_bytes()).map_err(fail)?;
    let mut w = csv::Writer::from_writer(out);
    let csv_err = |e: csv::Error| fail(std::io::Error::other(e.to_string()));
    w.write_record(["PLU", "Code", "Name", "PricePerKg"])
        .map_err(csv_err)?;
    for r in rows {
        w.write_record([
            r.plu.as_str(),
            r.code.as_str(),
            r.name.as_str(),
            &som_text(r.price_per_kg),
        ])
        .map_err(csv_err)?;
    }
    w.flush().map_err(fail)
}

/// Writes `rows` to `path` in `format` (CSV or xlsx).
pub fn write(
    rows: &[CatalogRow],
    format: Format,
    lang: Lang,
    path: &Path,
) -> Result<(), ExportError> {
    let io = |source| ExportError::Io {
        path: path.display().to_string(),
        source,
    };
    match format {
        Format::Csv => {
            let file = private_file(path).map_err(io)?;
            let mut out = std::io::BufWriter::new(file);
            out.write_all("\u{feff}".as_bytes()).map_err(io)?;
            let mut w = csv::Writer::from_writer(out);
            let csv_err = |e: csv::Error| ExportError::Io {
                path: path.display().to_string(),
                source: std::io::Error::other(e.to_string()),
            };
            w.write_record(COLUMNS.iter().map(|c| lang.t(*c)))
                .map_err(csv_err)?;
            for r in rows {
                w.write_record([
                    r.name.clone(),
                    r.barcodes.join(" "),
                    r.category.clone().unwrap_or_default(),
                    crate::i18n::unit_word(lang, r.unit).to_string(),
                    som_text(r.purchase_price),
                    som_text(r.sale_price),
                    Quantity(r.stock).to_string(),
                    Quantity(r.low_stock_threshold).to_string(),
                    r.fiscal.class_code.clone(),
                    r.fiscal.package_code.clone(),
                    r.fiscal.vat.as_str().to_string(),
                    yes_no(lang, r.fiscal.marked).to_string(),
                ])
                .map_err(csv_err)?;
            }
            w.flush().map_err(io)
        }
        Format::Xlsx => {
            use rust_xlsxwriter::{Format as XFormat, FormatBorder, Workbook, XlsxError};
            let err = |e: XlsxError| ExportError::Xlsx(e.to_string());
            let mut book = Workbook::new();
            let sheet = book.add_worksheet_with_constant_memory();
            let head = XFormat::new()
                .set_bold()
                .set_border_bottom(FormatBorder::Thin);
            let money = XFormat::new().set_num_format("#,##0.00");
            let qty = XFormat::new().set_num_format("#,##0.###");
            // Barcodes stay text (Excel would round a 13-digit number shown as 4.78E+12).
            let text = XFormat::new().set_num_format("@");
            for (c, width) in [36u16, 30, 20, 8, 14, 14, 12, 12, 20, 12, 8, 10]
                .into_iter()
                .enumerate()
            {
                sheet.set_column_width(c as u16, width).map_err(err)?;
            }
            sheet.set_freeze_panes(1, 0).map_err(err)?;
            for (c, col) in COLUMNS.iter().enumerate() {
                sheet
                    .write_string_with_format(0, c as u16, lang.t(*col), &head)
                    .map_err(err)?;
            }
            for (i, r) in rows.iter().enumerate() {
                let row = u32::try_from(i + 1).unwrap_or(u32::MAX);
                sheet.write_string(row, 0, &r.name).map_err(err)?;
                sheet
                    .write_string_with_format(row, 1, r.barcodes.join(" "), &text)
                    .map_err(err)?;
                sheet
                    .write_string(row, 2, r.category.as_deref().unwrap_or(""))
                    .map_err(err)?;
                sheet
                    .write_string(row, 3, crate::i18n::unit_word(lang, r.unit))
                    .map_err(err)?;
                for (c, m) in [(4u16, r.purchase_price), (5, r.sale_price)] {
                    sheet
                        .write_number_with_format(row, c, m as f64 / 100.0, &money)
                        .map_err(err)?;
                }
                for (c, q) in [(6u16, r.stock), (7, r.low_stock_threshold)] {
                    sheet
                        .write_number_with_format(row, c, q as f64 / 1000.0, &qty)
                        .map_err(err)?;
                }
                for (c, v) in [
                    (8u16, r.fiscal.class_code.as_str()),
                    (9, r.fiscal.package_code.as_str()),
                    (10, r.fiscal.vat.as_str()),
                    (11, yes_no(lang, r.fiscal.marked)),
                ] {
                    sheet
                        .write_string_with_format(row, c, v, &text)
                        .map_err(err)?;
                }
            }
            let file = private_file(path).map_err(io)?;
            book.save_to_writer(std::io::BufWriter::new(file))
                .map_err(err)
        }
        Format::Pdf => Err(ExportError::Xlsx(
            "the catalog is exported as xlsx or csv".into(),
        )),
    }
}

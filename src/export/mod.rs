//! Writes a report ([`ReportTable`]) to a file: CSV (here), Excel ([`xlsx`]: numbers stay
//! numbers, streamed row by row) and PDF ([`pdf`]: written page by page with the bundled
//! DejaVu Sans embedded, so Uzbek oʻ/gʻ and Cyrillic print as they are). Used by the Reports
//! tab and `kassa report`.

mod bars;
pub mod catalog;
pub mod label_sheet;
mod pdf;
mod xlsx;

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

/// The line under the title: the shop, and who printed it when ("Oʻrikzor · Chop etdi:
/// Madina Sobirova, 24.11.2026 12:05"); empty without them.
pub fn imprint(heading: &Heading, lang: Lang) -> String {
    let mut parts: Vec<String> = Vec::new();
    if !heading.shop.is_empty() {
        parts.push(heading.shop.clone());
    }
    parts.extend(printed_by(heading, lang));
    parts.join(" · ")
}

/// "Chop etdi: Madina Sobirova, 24.11.2026 12:05", when who or when is known.
pub fn printed_by(heading: &Heading, lang: Lang) -> Option<String> {
    let printed: Vec<&str> = [heading.by.as_str(), heading.at.as_str()]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect();
    (!printed.is_empty()).then(|| lang.fill(T::PrintedBy, &[&printed.join(", ")]))
}

/// The report's title line: its name and its period (or the day it is as of).
pub fn heading(table: &ReportTable, lang: Lang, today: chrono::NaiveDate) -> String {
    let name = match &table.subject {
        Some(who) => format!("{}: {who}", lang.t(table.kind.title())),
        None => lang.t(table.kind.title()).to_string(),
    };
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
    let subject: String = match &table.subject {
        // The supplier's name as it is, with what a file name cannot hold made a dash.
        Some(who) => {
            let safe: String = who
                .chars()
                .map(|c| if c.is_alphanumeric() { c } else { '-' })
                .collect();
            format!("-{}", safe.trim_matches('-'))
        }
        None => String::new(),
    };
    format!(
        "{}{subject}_{when}.{}",
        table.kind.code(),
        format.extension()
    )
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
        Format::Xlsx => xlsx::write(table, lang, today, heading, path),
        Format::Pdf => {
            let file = private_file(path).map_err(io)?;
            pdf::write(
                table,
                lang,
                today,
                heading,
                std::io::BufWriter::with_capacity(256 * 1024, file),
            )
        }
    }
}

/// Creates (or truncates) an export file readable by its owner only (0600), whatever the
/// umask: reports hold the shop's figures and customers' names. Its folder is created when
/// missing (the default exports folder does not exist on a new machine).
fn private_file(path: &Path) -> std::io::Result<std::fs::File> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    let f = crate::platform::files::private_options()
        .write(true)
        .create(true)
        .truncate(true)
        .open(path)?;
    // An existing file keeps its mode through `create`: make it owner-only too.
    crate::platform::files::restrict(path);
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

/// Why an export file was not written, in `lang`: the file's path and what to check; the
/// system's own reason (in English) goes to the log.
pub fn export_error_text(lang: crate::i18n::Lang, e: &ExportError) -> String {
    use crate::export::ExportError;
    tracing::warn!("export: {e}");
    match e {
        ExportError::Io { path, .. } => lang.fill(T::ErrExportWrite, &[path]),
        ExportError::Xlsx(_) | ExportError::Pdf(_) => lang.t(T::ErrExportBuild).to_string(),
    }
}

#[cfg(test)]
mod error_text_tests {
    use super::*;

    #[test]
    fn export_errors_name_the_file_in_the_users_words() {
        let e = ExportError::Io {
            path: "/srv/kassa/hisobot.pdf".into(),
            source: std::io::Error::new(std::io::ErrorKind::PermissionDenied, "Permission denied"),
        };
        for lang in [crate::i18n::Lang::Uz, crate::i18n::Lang::Ru] {
            let text = export_error_text(lang, &e);
            assert!(text.contains("/srv/kassa/hisobot.pdf"), "{text}");
            assert!(!text.contains("Permission"), "{text}");
        }
        let built = export_error_text(crate::i18n::Lang::Uz, &ExportError::Pdf("bad font".into()));
        assert!(!built.contains("font"), "{built}");
    }
}

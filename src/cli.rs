//! The command line: `kassa` (the program) and its maintenance subcommands, which replace
//! the helper scripts of the original system. Each prints what it did on stdout; an error is
//! one sentence on stderr and a non-zero exit.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::app::{App, AppError, DEFAULT_ADMIN_LOGIN, DEFAULT_ADMIN_PASSWORD, Options};
use crate::domain::Money;
use crate::store;

#[derive(Debug, Parser)]
#[command(
    name = "kassa",
    version,
    about = "Kassa: a point-of-sale program for small shops"
)]
pub struct Cli {
    /// The database file (default: the OS data directory, ~/.local/share/kassa/kassa.db on Linux).
    #[arg(long, global = true, value_name = "PATH")]
    pub db: Option<PathBuf>,

    /// Prepare the database and print how to log in, without opening the window.
    #[arg(long)]
    pub no_window: bool,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// List the staff: id, login, role, name.
    Users,
    /// Reset the main admin's password (to admin123 unless --password is given); it must be
    /// changed at the next login.
    ResetAdmin {
        #[arg(long)]
        password: Option<String>,
    },
    /// List shifts (newest first), or close them all.
    Shifts {
        /// Only open shifts.
        #[arg(long)]
        open: bool,
        /// How many to list.
        #[arg(long, default_value_t = 50)]
        limit: i64,
        #[command(subcommand)]
        action: Option<ShiftsAction>,
    },
    /// Create the database or bring its schema up to date.
    Migrate,
    /// Copy the shop (--db, its SQLite file) whole into an empty PostgreSQL database: every
    /// table and all history, proved on arrival (each table read back, the audit chain
    /// verified) before it is kept. The password from PGPASSWORD or ~/.pgpass.
    MigrateTo {
        /// The PostgreSQL database: postgres://user@host[:port]/name[?sslmode=require].
        #[arg(value_name = "POSTGRES_URL")]
        to: String,
    },
    /// On a PostgreSQL shop (--db as its owner): gives an existing login role the least the
    /// tills need — read and write the shop's rows, nothing else (no tables made, dropped or
    /// altered, the audit log and the schema history never changed). The role and its
    /// password are made by the server's administrator (CREATE ROLE … LOGIN PASSWORD …).
    GrantTill {
        /// The role the tills log in as.
        role: String,
    },
    /// Make this PC's till open the shop on a PostgreSQL server whenever no --db is given:
    /// the address (postgres://user:password@host/shop, with ?sslmode=require for a remote
    /// server) is read from standard input — never from the command line, which other users
    /// of the machine can see — checked against the server, and kept in a file only this
    /// user can read. --forget removes it (the till then opens its own file again).
    RememberServer {
        #[arg(long)]
        forget: bool,
    },
    /// The sales this PC's till kept while the shop's server was away and that still wait
    /// (each with its time, total and why the server refused it, if it did); --send sends
    /// them now, in the order made (the window does so by itself).
    Outbox {
        #[arg(long)]
        send: bool,
        /// The outbox file (default: this PC's for the shop's server).
        #[arg(long, value_name = "PATH")]
        file: Option<PathBuf>,
    },
    /// Write a report to a file (or CSV to the screen): sales-by-product, sales-by-category,
    /// sales-by-cashier, sales-by-payment, top-products, slow-products, stock-valuation,
    /// debts, expenses-by-category, shifts, purchases-by-supplier, supplier-debts,
    /// vat-by-rate; and supplier-statement with --supplier (every opening balance, supply,
    /// return and payment with the balance after each; with --from/--to, the period's lines
    /// after the balance at its start).
    Report {
        /// The report's name.
        name: String,
        /// The supplier of a supplier-statement: its number or its name.
        #[arg(long)]
        supplier: Option<String>,
        /// First day, YYYY-MM-DD (default: the first of this month).
        #[arg(long)]
        from: Option<String>,
        /// Last day, YYYY-MM-DD (default: today).
        #[arg(long)]
        to: Option<String>,
        /// csv, xlsx or pdf.
        #[arg(long, default_value = "csv")]
        format: String,
        /// Where to write it (default: the file name in the current folder; CSV without
        /// --out goes to standard output).
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
        /// Language of the titles: uz, ru or en (default: the shop's).
        #[arg(long)]
        lang: Option<String>,
    },
    /// Import products from Excel (.xlsx, .xls, .ods) or CSV (UTF-8 or Windows-1251; `;`,
    /// `,` or tab): new ones are created, existing ones (same barcode) updated, stock enters
    /// as a supply or an adjustment. One transaction; when any row is refused nothing
    /// changes and the exit status is not zero, unless --skip-bad.
    Import {
        /// The file.
        file: PathBuf,
        /// Check every row against the catalog and report; change nothing.
        #[arg(long)]
        dry_run: bool,
        /// Import the good rows and leave the refused ones out.
        #[arg(long)]
        skip_bad: bool,
        /// Which column holds a field, over the guess from the headers (repeatable):
        /// `--map sale-price="Unit Price"`, a column's number (`--map barcode=3`), or nothing
        /// to leave a field out (`--map barcode=`). Fields: name, barcode, category, unit,
        /// purchase-price, sale-price, stock, low-stock, class-code, package-code, vat,
        /// marked, by-weight.
        #[arg(long = "map", value_name = "FIELD=COLUMN")]
        map: Vec<String>,
        /// Language of the messages: uz, ru or en (default: the shop's).
        #[arg(long)]
        lang: Option<String>,
    },
    /// Export the whole catalog (every product with its barcodes, category, unit, prices,
    /// stock and threshold) to xlsx or CSV, by the file's extension.
    ExportCatalog {
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        /// Language of the column names: uz, ru or en (default: the shop's).
        #[arg(long)]
        lang: Option<String>,
    },
    /// Print price tags with barcodes on a TSPL label printer (Xprinter, TSC): for products
    /// by barcode, or for a supply's lines (copies = pieces received).
    Labels {
        /// A product's barcode (several may be given).
        #[arg(
            long = "barcode",
            value_name = "CODE",
            conflicts_with_all = ["supply", "category"],
            required_unless_present_any = ["supply", "category"]
        )]
        barcodes: Vec<String>,
        /// A supply's number: a label per piece received, one per weighed product.
        #[arg(long, conflicts_with = "category")]
        supply: Option<i32>,
        /// Every product of a category (its name), one label each.
        #[arg(long, value_name = "NAME")]
        category: Option<String>,
        /// Copies of each label (instead of the default).
        #[arg(long)]
        copies: Option<u32>,
        /// 58x40, 40x30 or 30x20 (mm).
        #[arg(long, default_value = "58x40")]
        size: String,
        /// Print today's date on the labels.
        #[arg(long)]
        date: bool,
        /// The printer: serial:/dev/ttyUSB0, tcp:HOST[:PORT], usb:/dev/usb/lp0 or file:PATH.
        #[arg(long, conflicts_with = "pdf", required_unless_present = "pdf")]
        port: Option<String>,
        /// Instead of a label printer: A4 sticker sheets as a PDF file.
        #[arg(long, value_name = "FILE")]
        pdf: Option<PathBuf>,
        /// The sticker sheet for --pdf: 3x8 (70×37 mm), 4x10 (52.5×29.7) or 5x13 (38.1×21.2).
        #[arg(long, default_value = "3x8", requires = "pdf")]
        sheet: String,
        /// Language of the price words: uz, ru or en (default: the shop's).
        #[arg(long)]
        lang: Option<String>,
    },
    /// Write the weighed products for a label scale (CSV: PLU, code, name, price per kg in
    /// so'm), so the EAN-13 labels it prints (2P + PLU + weight) scan at the till. With
    /// --assign, weighed products without a scale code first get the next free PLU.
    ExportPlu {
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        #[arg(long)]
        assign: bool,
    },
    /// Run the Telegram bot alone (without the window) until Ctrl+C. The token comes from
    /// the telegram.token setting or KASSA_TELEGRAM_TOKEN.
    Bot,
    /// Verify every invariant of the data (stock, balances, sales, shifts, audit chain) and
    /// the file's structure (SQLite's quick check).
    Check {
        /// SQLite's complete integrity check (every index entry against its table) instead
        /// of the quick one: about ten times slower on a large database.
        #[arg(long)]
        full: bool,
    },
    /// The audit log.
    Audit {
        #[command(subcommand)]
        action: AuditAction,
    },
    /// Fiscal receipts: the provider's state and the queue (`status`), or register what
    /// waits now, in order (`send`; exits when nothing is left or the provider fails).
    Fiscal {
        #[command(subcommand)]
        action: FiscalAction,
    },
    /// Telegram messages that may or may not have arrived (the connection was cut or no
    /// answer came after Telegram may have taken them): list them, or send them again.
    Telegram {
        #[command(subcommand)]
        action: TelegramAction,
    },
    /// Show or change the shop's settings, as the Settings tab does (checked the same way,
    /// audited as "kassa settings"; secrets are never printed).
    Settings {
        #[command(subcommand)]
        action: SettingsAction,
    },
    /// Take a backup now (SQLite VACUUM INTO, safe while the program runs); prints the audit
    /// chain anchor it records.
    Backup {
        /// Where to put it (default: the backup folder setting, or backups/ beside the database).
        #[arg(long, value_name = "DIR")]
        dir: Option<PathBuf>,
        /// How many backups to keep in that folder.
        #[arg(long, default_value_t = 30)]
        keep: usize,
    },
    /// Replace the database with a backup, after checking it; the current one is kept aside.
    /// Refused while the program runs on the database.
    Restore {
        /// The backup file.
        file: PathBuf,
    },
    /// Fill the database with a realistic small shop: ~300 products, staff, customers and
    /// some weeks of sales. Refuses a database that already has sales.
    DemoData {
        /// Days of sales to generate, ending today.
        #[arg(long, default_value_t = 28)]
        days: u32,
        /// Random seed (the same seed gives the same shop).
        #[arg(long, default_value_t = 7)]
        seed: u64,
        /// A year of a busy shop instead: 100 000 products, 20 000 customers,
        /// 1 000 000 sale lines (written in bulk, for measuring speed).
        #[arg(long)]
        large: bool,
    },
}

/// The language asked for with --lang, else the shop's.
fn cli_lang(app: &mut App, lang: Option<String>) -> Result<crate::i18n::Lang, CliError> {
    match lang {
        Some(l) => crate::i18n::Lang::parse(&l)
            .ok_or_else(|| CliError::Other(format!("unknown language {l:?}: uz, ru or en"))),
        None => Ok(app.bot_settings().map(|s| s.lang).unwrap_or_default()),
    }
}

/// `kassa import`: reads and checks the file, then imports (or reports) in one transaction.
fn import(
    db: &std::path::Path,
    file: &std::path::Path,
    dry_run: bool,
    skip_bad: bool,
    map: &[String],
    lang: Option<String>,
    out: &mut dyn std::io::Write,
) -> Result<(), CliError> {
    use crate::app::ImportMode;
    use crate::i18n::T;
    let mut app = open_existing(db)?;
    let lang = cli_lang(&mut app, lang)?;
    let sheet = crate::import::read(file).map_err(|e| CliError::Other(e.to_string()))?;
    let mut columns = crate::import::guess_columns(&sheet.header);
    crate::import::apply_map(&sheet.header, &mut columns, map).map_err(CliError::Other)?;
    let checked = crate::import::check(&sheet, &columns);
    let mode = if dry_run {
        ImportMode::DryRun
    } else if skip_bad {
        ImportMode::SkipBad
    } else {
        ImportMode::AllOrNothing
    };
    let source = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let report = app.import_catalog(None, &source, &checked, mode)?;
    let say = |out: &mut dyn std::io::Write, s: String| {
        writeln!(out, "{s}").map_err(|e| CliError::Other(e.to_string()))
    };
    for (line, problems) in &report.refused {
        let text: Vec<String> = problems
            .iter()
            .map(|p| crate::import::row_problem_text(lang, p))
            .collect();
        say(
            out,
            lang.fill(T::ImportLine, &[&line.to_string(), &text.join("; ")]),
        )?;
    }
    if !report.internal_codes.is_empty() {
        say(
            out,
            lang.fill(T::ImportInternalCodes, &[&report.internal_codes.join(", ")]),
        )?;
    }
    let refused = report.refused.len().to_string();
    if dry_run {
        // Which column goes where, before anything is written (`--map` changes it).
        say(out, lang.t(T::ImportColumns).to_string())?;
        for (head, field) in sheet.header.iter().zip(&columns) {
            let field = field.map_or(lang.t(T::ImportNotUsed), |f| {
                lang.t(crate::import::field_label(f))
            });
            say(out, format!("  {head} → {field}"))?;
        }
        say(
            out,
            lang.fill(
                T::ImportDry,
                &[
                    &report.created.to_string(),
                    &report.updated.to_string(),
                    &report.unchanged.to_string(),
                    &refused,
                ],
            ),
        )?;
    } else if !report.applied {
        return Err(CliError::Other(lang.fill(T::ImportNothing, &[&refused])));
    } else {
        say(
            out,
            lang.fill(
                T::ImportDone,
                &[
                    &report.created.to_string(),
                    &report.updated.to_string(),
                    &report.unchanged.to_string(),
                    &report.categories_created.to_string(),
                    &report.stock_changed.to_string(),
                ],
            ),
        )?;
    }
    if dry_run && !report.refused.is_empty() {
        return Err(CliError::Other(lang.fill(T::ImportNothing, &[&refused])));
    }
    Ok(())
}

/// `kassa report`.
#[allow(clippy::too_many_arguments)]
fn report(
    db: &std::path::Path,
    name: &str,
    supplier: Option<&str>,
    from: Option<String>,
    to: Option<String>,
    format: &str,
    file: Option<PathBuf>,
    lang: Option<String>,
    out: &mut dyn std::io::Write,
) -> Result<(), CliError> {
    use crate::app::ReportKind;
    use crate::export::Format;
    use chrono::Datelike;
    // A supplier's statement is not among `ReportKind::ALL` (it names a supplier): `kind` is
    // `None` for it.
    let statement = name.trim() == ReportKind::SupplierStatement.code();
    let kind = ReportKind::parse(name);
    if kind.is_none() && !statement {
        let names: Vec<&str> = ReportKind::ALL
            .iter()
            .map(|k| k.code())
            .chain([ReportKind::SupplierStatement.code()])
            .collect();
        return Err(CliError::Other(format!(
            "unknown report {name:?}; the reports are: {}",
            names.join(", ")
        )));
    }
    match (statement, supplier) {
        (true, None) => {
            return Err(CliError::Other(
                "supplier-statement needs --supplier (its number or name)".into(),
            ));
        }
        (false, Some(_)) => {
            return Err(CliError::Other(format!(
                "--supplier is for supplier-statement, not {name}"
            )));
        }
        _ => {}
    }
    let format = Format::parse(format)
        .ok_or_else(|| CliError::Other(format!("unknown format {format:?}: csv, xlsx or pdf")))?;
    let mut app = open_read_only(db)?;
    let today = crate::domain::debt::local_date(app.now(), app.time_zone());
    let date = |s: Option<String>, default: chrono::NaiveDate| match s {
        Some(s) => chrono::NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
            .map_err(|_| CliError::Other(format!("{s:?} is not a date like 2026-11-30"))),
        None => Ok(default),
    };
    // A statement is the whole history unless dates are given.
    let dated = from.is_some() || to.is_some();
    let period = crate::app::Period {
        from: date(from, today.with_day(1).unwrap_or(today))?,
        to: date(to, today)?,
    };
    let lang = match lang {
        Some(l) => crate::i18n::Lang::parse(&l)
            .ok_or_else(|| CliError::Other(format!("unknown language {l:?}: uz, ru or en")))?,
        None => app.bot_settings().map(|s| s.lang).unwrap_or_default(),
    };
    let table = match kind {
        Some(kind) => app.report_for_cli(kind, period, lang)?,
        // A statement, whose supplier was required above.
        None => app.supplier_statement_for_cli(
            supplier.unwrap_or_default(),
            dated.then_some(period),
            lang,
        )?,
    };
    match (format, file) {
        (Format::Csv, None) => out
            .write_all(crate::export::csv(&table, lang).as_bytes())
            .map_err(|e| CliError::Other(e.to_string())),
        (format, file) => {
            let path = file
                .unwrap_or_else(|| PathBuf::from(crate::export::file_name(&table, format, today)));
            let heading = crate::export::Heading {
                shop: app.shop_name(),
                by: "kassa report".into(),
                at: app.local_now(),
            };
            crate::export::write_with(&table, format, lang, today, &path, &heading)
                .map_err(|e| CliError::Other(e.to_string()))?;
            writeln!(out, "Saved {} ({} rows).", path.display(), table.rows.len())
                .map_err(|e| CliError::Other(e.to_string()))
        }
    }
}

/// `kassa bot`: the bot thread in the foreground until SIGINT or SIGTERM; it stops after the
/// messages in flight are recorded.
fn run_bot(db: PathBuf, out: &mut dyn std::io::Write) -> Result<(), CliError> {
    // Refuses to start beside another program on the file (a second bot would answer twice).
    // On a server the tills share the shop: the bot itself takes the shop's one bot lock.
    open_existing(&db)?;
    let _lock = store::lock::acquire_for_file(&db, std::time::Duration::from_secs(10), |who| {
        let _ = writeln!(out, "Waiting for {who} to release {}…", db.display());
    })?;
    let Some(cfg) = crate::bot::BotConfig::from_settings(db).map_err(CliError::Other)? else {
        return Err(CliError::Other(format!(
            "No Telegram bot token: set telegram.token in Settings or {}.",
            crate::app::TOKEN_ENV
        )));
    };
    let status = crate::bot::BotStatus::default();
    let handle = crate::bot::spawn(cfg, status.clone())
        .map_err(|e| CliError::Other(format!("cannot start the bot thread: {e}")))?;
    writeln!(out, "Telegram bot started; Ctrl+C stops it.")
        .map_err(|e| CliError::Other(e.to_string()))?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| CliError::Other(e.to_string()))?;
    runtime.block_on(async {
        let term = crate::platform::terminate();
        tokio::pin!(term);
        let mut shown = None;
        loop {
            let state = status.state();
            if shown.as_ref() != Some(&state) {
                let _ = writeln!(out, "Telegram bot: {state}");
                shown = Some(state);
            }
            tokio::select! {
                _ = tokio::signal::ctrl_c() => break,
                _ = &mut term => break,
                _ = tokio::time::sleep(std::time::Duration::from_millis(500)) => {}
            }
        }
    });
    writeln!(out, "Stopping the bot…").map_err(|e| CliError::Other(e.to_string()))?;
    handle.stop();
    Ok(())
}

#[derive(Debug, Subcommand)]
pub enum AuditAction {
    /// Check the audit log's hash chain; report the first broken row. With --anchor, also
    /// prove a chain head printed earlier (on a Z report, by a backup) against the file.
    Verify {
        /// COUNT:HASH as printed on a Z report or by `kassa backup`.
        #[arg(long, value_name = "COUNT:HASH")]
        anchor: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum FiscalAction {
    /// The provider, how many receipts wait or were refused, and the last error.
    Status,
    /// Registers every receipt and fiscal shift that waits, in order.
    Send,
}

#[derive(Debug, Subcommand)]
pub enum TelegramAction {
    /// The uncertain messages: number, customer, when the request was made, text.
    Uncertain,
    /// Send an uncertain message again (each resend audited): by its number, or all of them.
    Resend {
        /// The message's number (from `kassa telegram uncertain`).
        #[arg(required_unless_present = "all", conflicts_with = "all")]
        id: Option<i32>,
        /// Every uncertain message.
        #[arg(long)]
        all: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum SettingsAction {
    /// Every setting a shop can change, with its value (secrets masked).
    List,
    /// One setting's value (a secret masked).
    Get { key: String },
    /// Changes one setting (refused with the reason when the value is wrong).
    Set { key: String, value: String },
}

#[derive(Debug, Subcommand)]
pub enum ShiftsAction {
    /// Emergency: close every open shift without a cash count.
    CloseAll,
}

/// Why a command failed, as one sentence.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    #[error(transparent)]
    App(#[from] AppError),
    #[error(transparent)]
    Store(#[from] store::StoreError),
    #[error("{0}")]
    Other(String),
}

/// Opens or creates the database: only the window's first start (`--no-window`), `migrate`
/// and `demo-data` may create one.
fn open(db: &std::path::Path) -> Result<App, CliError> {
    Ok(App::open(db, Options::default())?)
}

/// An existing Kassa database, read-write (a missing, empty or foreign file is refused).
fn open_existing(db: &std::path::Path) -> Result<App, CliError> {
    Ok(App::open_existing(db, Options::default())?)
}

/// An existing Kassa database, read-only: nothing is written.
fn open_read_only(db: &std::path::Path) -> Result<App, CliError> {
    Ok(App::open_read_only(db)?)
}

/// `--db postgres://…`: `migrate` prepares the server's schema, `backup` and `restore` use
/// PostgreSQL's tools (the window and the other commands run on a server as on a file).
fn run_on_server(
    url: &str,
    command: Option<Command>,
    out: &mut dyn std::io::Write,
) -> Result<(), CliError> {
    match command {
        Some(Command::Migrate) => {
            // As on a file: a server with no staff gets the default admin.
            let (_app, ran) = App::migrate_server(url, Options::default())?;
            return w(
                out,
                format!(
                    "{}: {ran} migration(s) applied; the schema is up to date.",
                    store::pg::shown(url)
                ),
            );
        }
        Some(Command::Backup { dir, keep }) => {
            let dir = dir.ok_or_else(|| {
                CliError::Other(
                    "a backup of a PostgreSQL database needs --dir (the folder to write it in)"
                        .into(),
                )
            })?;
            let written = crate::app::server::backup_postgres(url, &dir, keep, chrono::Utc::now())
                .map_err(|e| CliError::Other(e.to_string()))?;
            w(out, format!("Backup written to {}", written.path.display()))?;
            return w(out, format!("Audit chain anchor: {}", written.anchor));
        }
        Some(Command::GrantTill { role }) => {
            crate::app::server::grant_till(url, &role)
                .map_err(|e| CliError::Other(e.to_string()))?;
            return w(
                out,
                format!(
                    "{role} may now run the shop's tills on {}: rows only, no schema changes, \
                     the audit log append-only",
                    store::pg::shown(url)
                ),
            );
        }
        Some(Command::Restore { file }) => {
            let anchor = crate::app::server::restore_postgres(url, &file)
                .map_err(|e| CliError::Other(e.to_string()))?;
            w(
                out,
                format!(
                    "Restored {} into {}; audit chain verified",
                    file.display(),
                    store::pg::shown(url)
                ),
            )?;
            return w(out, format!("Audit chain anchor: {anchor}"));
        }
        _ => {}
    }
    Err(CliError::Other(
        "this command does not run on a PostgreSQL server".into(),
    ))
}

/// `kassa migrate-to`: the shop's file, opened read-only, copied to PostgreSQL.
fn migrate_to(
    db: &std::path::Path,
    to: &str,
    out: &mut dyn std::io::Write,
) -> Result<(), CliError> {
    if !store::is_server_address(to) {
        return Err(CliError::Other(format!(
            "{to} is not a PostgreSQL address (postgres://user@host/name)"
        )));
    }
    {
        let mut app = open_read_only(db)?;
        let report = app
            .move_to_postgres(to)
            .map_err(|e| CliError::Other(e.to_string()))?;
        for (table, rows) in &report.tables {
            w(out, format!("{table:<24} {rows:>10}"))?;
        }
        w(
            out,
            format!(
                "{} copied to {}: {} table(s), {} row(s); audit chain verified on the server ({} row(s), head {}; {} exact time(s) kept).",
                db.display(),
                store::pg::shown(to),
                report.tables.len(),
                report.tables.iter().map(|t| t.1).sum::<i64>(),
                report.audit_rows,
                report.audit_head,
                report.exact_times
            ),
        )
    }
}

/// Writes one line of a command's output.
fn w(out: &mut dyn std::io::Write, s: String) -> Result<(), CliError> {
    writeln!(out, "{s}").map_err(|e| CliError::Other(format!("cannot write the output: {e}")))
}

/// A setting's value as kept, a secret masked.
fn shown_setting(app: &mut App, key: &str) -> Result<String, CliError> {
    Ok(app
        .settings_for_command()?
        .into_iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v)
        .unwrap_or_default())
}

/// `kassa telegram uncertain|resend`.
fn telegram(
    db: &std::path::Path,
    action: TelegramAction,
    out: &mut dyn std::io::Write,
) -> Result<(), CliError> {
    match action {
        TelegramAction::Uncertain => {
            let mut app = open_read_only(db)?;
            let list = app.uncertain_messages_by_command()?;
            if list.is_empty() {
                w(out, "No uncertain messages.".into())?;
            }
            for m in &list {
                w(
                    out,
                    format!(
                        "{:>6}  {:<24}  {}  {}",
                        m.id,
                        m.to,
                        m.at,
                        m.text.replace('\n', " ")
                    ),
                )?;
            }
        }
        TelegramAction::Resend { id, all } => {
            let mut app = open_existing(db)?;
            let n = app.resend_by_command(if all { None } else { id })?;
            w(
                out,
                format!("{n} message(s) queued again; the bot sends them once, in its turn."),
            )?;
        }
    }
    Ok(())
}

/// `kassa fiscal status|send`.
fn fiscal(
    db: &std::path::Path,
    action: FiscalAction,
    out: &mut dyn std::io::Write,
) -> Result<(), CliError> {
    match action {
        FiscalAction::Status => {
            let mut app = open_read_only(db)?;
            let s = app.fiscal_status()?;
            match &s.provider {
                None => w(out, "Fiscal provider: none (fiscal.provider).".into())?,
                Some(p) => {
                    w(out, format!("Fiscal provider: {p}"))?;
                    w(out, format!("Receipts waiting: {}", s.waiting))?;
                    w(out, format!("Receipts refused: {}", s.refused))?;
                    w(
                        out,
                        format!("Fiscal shifts opening or closing: {}", s.shifts_waiting),
                    )?;
                    if let Some(e) = &s.last_error {
                        w(out, format!("Last error: {e}"))?;
                    }
                }
            }
        }
        FiscalAction::Send => {
            // The window's or `kassa bot`'s worker would send the same queue: one program
            // on the file at a time; on a server, the one holding the shop's fiscal duty.
            let _lock =
                store::lock::acquire_for_file(db, std::time::Duration::from_secs(10), |_| {})?;
            let mut app = open_existing(db)?;
            if !app.claim(crate::app::Duty::Fiscal)? {
                return Err(CliError::Other(
                    "another till sends the shop's fiscal receipts now; try again when it \
                     has stopped"
                        .into(),
                ));
            }
            let mut worker = crate::fiscal::Worker::new(app);
            if worker.app().fiscal_config()?.is_none() {
                return Err(CliError::Other(
                    "no fiscal provider is set up (kassa settings set fiscal.provider regos-vcr)"
                        .into(),
                ));
            }
            let (done, failed) = worker.drain()?;
            let left = worker.app().fiscal_status()?;
            w(
                out,
                format!(
                    "{done} registered; {} waiting, {} refused.",
                    left.waiting, left.refused
                ),
            )?;
            if let Some(e) = failed {
                return Err(CliError::Other(e.to_string()));
            }
        }
    }
    Ok(())
}

/// `kassa settings list|get|set`.
fn settings(
    db: &std::path::Path,
    action: SettingsAction,
    out: &mut dyn std::io::Write,
) -> Result<(), CliError> {
    use crate::app::setting_keys as keys;
    let known = |key: &str| -> Result<(), CliError> {
        if keys::ALL.contains(&key) {
            Ok(())
        } else {
            Err(CliError::Other(format!(
                "unknown setting \"{key}\" (kassa settings list shows them)"
            )))
        }
    };
    match action {
        SettingsAction::List => {
            let mut app = open_read_only(db)?;
            let set: std::collections::HashMap<String, String> =
                app.settings_for_command()?.into_iter().collect();
            for key in keys::ALL {
                let value = set.get(*key).map(String::as_str).unwrap_or("");
                w(out, format!("{key} = {value}"))?;
            }
        }
        SettingsAction::Get { key } => {
            known(&key)?;
            let mut app = open_read_only(db)?;
            let value = shown_setting(&mut app, &key)?;
            w(out, value)?;
        }
        SettingsAction::Set { key, value } => {
            known(&key)?;
            let mut app = open_existing(db)?;
            app.set_setting_by_command(&key, &value)?;
            // As kept (secrets masked; "ha" kept as "yes").
            let shown = shown_setting(&mut app, &key)?;
            w(out, format!("{key} = {shown}"))?;
        }
    }
    Ok(())
}

/// `kassa outbox`: the till's kept sales, sent with `--send`.
fn outbox(
    db: &std::path::Path,
    send: bool,
    file: Option<PathBuf>,
    out: &mut dyn std::io::Write,
) -> Result<(), CliError> {
    let Some(server) = store::server_address(db) else {
        return Err(CliError::Other(
            "a till keeps sales aside only for a shop on a PostgreSQL server (--db postgres://…)"
                .into(),
        ));
    };
    let path = file.unwrap_or_else(|| store::outbox::default_path(&store::shown_address(server)));
    if send {
        let mut app = open_existing(db)?;
        app.use_outbox(&path)?;
        let r = app.send_outbox(std::time::Duration::from_secs(600))?;
        w(
            out,
            format!(
                "Sent {} sales ({} were on the server already), {} refused, {} waiting",
                r.sent, r.already, r.refused, r.left
            ),
        )?;
    }
    let waiting = crate::app::waiting_in(&path)?;
    w(
        out,
        format!("{}: {} sales waiting", path.display(), waiting.len()),
    )?;
    for s in waiting {
        w(
            out,
            format!(
                "{}  {}  employee {}  total {}  nasiya {}{}",
                s.sold_at.format("%Y-%m-%d %H:%M:%S UTC"),
                s.key,
                s.employee_id,
                Money(s.total),
                Money(s.nasiya),
                s.refused
                    .map(|r| format!("  refused: {r}"))
                    .unwrap_or_default()
            ),
        )?;
    }
    Ok(())
}

/// `kassa remember-server`: the address from standard input, checked, kept owner-only.
fn remember_server(forget: bool, out: &mut dyn std::io::Write) -> Result<(), CliError> {
    if forget {
        let path = store::remember_server(None)?;
        return w(
            out,
            format!(
                "Forgotten: {} is gone; this PC opens its own database file",
                path.display()
            ),
        );
    }
    let mut line = String::new();
    std::io::stdin()
        .read_line(&mut line)
        .map_err(|e| CliError::Other(format!("cannot read the address: {e}")))?;
    let address = line.trim();
    if store::server_address(std::path::Path::new(address)).is_none() {
        return Err(CliError::Other(
            "give the shop's server address on standard input: postgres://user:password@host/shop"
                .into(),
        ));
    }
    // The server must answer with a Kassa shop this program can run.
    {
        let mut conn = store::pg::connect(address)?;
        store::pg::check_not_newer(&mut conn, address)?;
    }
    let path = store::remember_server(Some(address))?;
    w(
        out,
        format!(
            "This PC opens the shop on {} when no --db is given (kept in {}, readable by this user only)",
            store::shown_address(address),
            path.display()
        ),
    )
}

/// Runs a parsed command line; the output goes to `out`.
pub fn run(mut cli: Cli, out: &mut dyn std::io::Write) -> Result<(), CliError> {
    if let Some(Command::RememberServer { forget }) = cli.command {
        return remember_server(forget, out);
    }
    // Without --db: the server this PC was told to use, else the file in the data folder.
    if cli.db.is_none() {
        cli.db = store::remembered_server()?.map(PathBuf::from);
    }
    if let Some(url) = cli.db.as_deref().and_then(store::server_address)
        && matches!(
            cli.command,
            Some(
                Command::Migrate
                    | Command::Backup { .. }
                    | Command::Restore { .. }
                    | Command::GrantTill { .. }
            )
        )
    {
        // What differs on a server (its schema, pg_dump backups); the window and every other
        // command run through the same use cases.
        return run_on_server(url, cli.command, out);
    }
    let db = cli.db.clone().unwrap_or_else(store::default_db_path);
    match cli.command {
        None => {
            // The window shows a database it cannot open on its start screen; only
            // --no-window reports it here.
            let opened = open(&db);
            let mut app = match opened {
                Ok(app) => Some(app),
                Err(e) if cli.no_window => return Err(e),
                Err(_) => None,
            };
            if let Some(app) = app.as_mut() {
                let users = app.maintenance_users()?;
                w(out, format!("Kassa database: {}", app.path().display()))?;
                if users
                    .iter()
                    .any(|u| u.login == DEFAULT_ADMIN_LOGIN && u.must_change_password)
                {
                    w(
                        out,
                        format!(
                            "Log in as {DEFAULT_ADMIN_LOGIN} / {DEFAULT_ADMIN_PASSWORD}; you will be asked to change the password."
                        ),
                    )?;
                }
            }
            drop(app);
            if cli.no_window {
                return Ok(());
            }
            if let Err(e) = crate::ui::run(db) {
                // Started from a shortcut there is no console: say it in a message box.
                crate::platform::show_error(&format!(
                    "Kassa: {e}\n\nThe window needs OpenGL 2 or newer: update the graphics driver."
                ));
                return Err(CliError::Other(e));
            }
        }
        Some(Command::Users) => {
            let mut app = open_read_only(&db)?;
            w(
                out,
                format!(
                    "{:>4}  {:<16} {:<8} {:<6} name",
                    "id", "login", "role", "main"
                ),
            )?;
            for u in app.maintenance_users()? {
                let flag = if u.must_change_password {
                    " (must change password)"
                } else {
                    ""
                };
                w(
                    out,
                    format!(
                        "{:>4}  {:<16} {:<8} {:<6} {}{}",
                        u.id,
                        u.login,
                        u.role.as_str(),
                        if u.is_main_admin { "yes" } else { "" },
                        u.full_name,
                        flag
                    ),
                )?;
            }
        }
        Some(Command::ResetAdmin { password }) => {
            let mut app = open_existing(&db)?;
            let login = app.maintenance_reset_admin(password.as_deref())?;
            let shown = if password.is_some() {
                "the given password"
            } else {
                DEFAULT_ADMIN_PASSWORD
            };
            w(
                out,
                format!(
                    "The password of {login} is now {shown}; it must be changed at the next login."
                ),
            )?;
        }
        Some(Command::Shifts {
            action: Some(ShiftsAction::CloseAll),
            ..
        }) => {
            let mut app = open_existing(&db)?;
            let closed = app.maintenance_close_all_shifts()?;
            for r in &closed {
                w(
                    out,
                    format!(
                        "closed shift {} (expected cash {})",
                        r.shift.id,
                        Money(r.expected_cash)
                    ),
                )?;
            }
            w(out, format!("{} open shift(s) closed.", closed.len()))?;
        }
        Some(Command::Shifts {
            open: open_only,
            limit,
            action: None,
        }) => {
            let mut app = open_read_only(&db)?;
            let rows = app.maintenance_shifts(open_only, limit)?;
            w(
                out,
                format!(
                    "{:>5}  {:<24} {:<19} {:<19} {:>16} {:>16}",
                    "id", "cashier", "opened (UTC)", "closed (UTC)", "opening cash", "difference"
                ),
            )?;
            for r in &rows {
                let closed = r
                    .shift
                    .closed_at
                    .map(|t| t.format("%Y-%m-%d %H:%M").to_string())
                    .unwrap_or_else(|| "open".into());
                let diff = r
                    .shift
                    .difference
                    .map(|d| Money(d).format_number())
                    .unwrap_or_default();
                w(
                    out,
                    format!(
                        "{:>5}  {:<24} {:<19} {:<19} {:>16} {:>16}",
                        r.shift.id,
                        r.employee,
                        r.shift.opened_at.format("%Y-%m-%d %H:%M"),
                        closed,
                        Money(r.shift.opening_cash).format_number(),
                        diff
                    ),
                )?;
            }
            if rows.is_empty() {
                w(
                    out,
                    if open_only {
                        "No open shifts.".into()
                    } else {
                        "No shifts.".into()
                    },
                )?;
            }
        }
        Some(Command::Migrate) => {
            let mut conn = store::connect(&db)?;
            let ran = store::migrate(&mut conn, &db)?;
            drop(conn);
            // Opening through the app also creates the default admin on a new database.
            open(&db)?;
            w(
                out,
                format!(
                    "{}: {ran} migration(s) applied; the schema is up to date.",
                    db.display()
                ),
            )?;
        }
        Some(Command::MigrateTo { to }) => migrate_to(&db, &to, out)?,
        Some(Command::GrantTill { .. }) => {
            return Err(CliError::Other(
                "grant-till is for a shop on a PostgreSQL server (--db postgres://…)".into(),
            ));
        }
        // Handled before the database is chosen.
        Some(Command::RememberServer { forget }) => remember_server(forget, out)?,
        Some(Command::Outbox { send, file }) => outbox(&db, send, file, out)?,
        Some(Command::Bot) => run_bot(db, out)?,
        Some(Command::ExportPlu { out: file, assign }) => {
            let mut app = if assign {
                open_existing(&db)?
            } else {
                open_read_only(&db)?
            };
            let given = if assign { app.assign_plu(None)? } else { 0 };
            let rows = app.plu_rows(None)?;
            crate::export::catalog::write_plu(&rows, &file)
                .map_err(|e| CliError::Other(e.to_string()))?;
            w(
                out,
                format!(
                    "Saved {} ({} weighed products; {given} got a PLU now).",
                    file.display(),
                    rows.len()
                ),
            )?;
        }
        Some(Command::Labels {
            barcodes,
            supply,
            category,
            copies,
            size,
            date,
            port,
            pdf,
            sheet,
            lang,
        }) => {
            use crate::app::document::tspl;
            use crate::export::label_sheet::Sheet;
            let size = tspl::LabelSize::parse(&size).ok_or_else(|| {
                CliError::Other(format!(
                    "{size:?} is not a label size: 58x40, 40x30 or 30x20"
                ))
            })?;
            let sheet = Sheet::parse(&sheet).ok_or_else(|| {
                CliError::Other(format!(
                    "{sheet:?} is not a sticker sheet: 3x8, 4x10 or 5x13"
                ))
            })?;
            let port = port
                .map(|p| {
                    crate::domain::device_address::Port::parse(&p)
                        .map_err(|e| CliError::Other(format!("--port: {e}")))
                })
                .transpose()?;
            if copies.is_some_and(|c| c == 0 || c > crate::app::MAX_COPIES) {
                return Err(CliError::Other(format!(
                    "--copies must be 1 to {}",
                    crate::app::MAX_COPIES
                )));
            }
            let mut app = open_read_only(&db)?;
            let lang = cli_lang(&mut app, lang)?;
            let source = match (supply, category) {
                (Some(id), _) => crate::app::LabelSource::Supply(id),
                (None, Some(name)) => crate::app::LabelSource::Category(name),
                (None, None) => crate::app::LabelSource::Barcodes(barcodes),
            };
            let labels = app.labels(None, &source, copies, date, lang)?;
            let total: u32 = labels.iter().map(|l| l.copies).sum();
            match (port, pdf) {
                (Some(port), _) => {
                    let page = app.label_page()?;
                    let bytes = tspl::labels(&labels, size, page)
                        .map_err(|e| CliError::Other(e.to_string()))?;
                    crate::devices::label_queue::send_bytes(&port, &bytes)
                        .map_err(|e| CliError::Other(format!("the label printer: {e}")))?;
                    w(
                        out,
                        format!("{total} label(s) for {} product(s) sent.", labels.len()),
                    )?;
                }
                (None, Some(file)) => {
                    let title = lang.t(crate::i18n::T::PriceTags);
                    let pages =
                        crate::export::label_sheet::write_file(&labels, sheet, title, &file)
                            .map_err(|e| CliError::Other(e.to_string()))?;
                    w(
                        out,
                        format!(
                            "{total} label(s) for {} product(s) on {pages} sheet(s): {}.",
                            labels.len(),
                            file.display()
                        ),
                    )?;
                }
                (None, None) => return Err(CliError::Other("--port or --pdf is needed".into())),
            }
        }
        Some(Command::Import {
            file,
            dry_run,
            skip_bad,
            map,
            lang,
        }) => import(&db, &file, dry_run, skip_bad, &map, lang, out)?,
        Some(Command::ExportCatalog { out: file, lang }) => {
            let mut app = open_read_only(&db)?;
            let lang = cli_lang(&mut app, lang)?;
            let format = file
                .extension()
                .and_then(|e| e.to_str())
                .and_then(crate::export::Format::parse)
                .filter(|f| *f != crate::export::Format::Pdf)
                .ok_or_else(|| {
                    CliError::Other(format!(
                        "{}: the file must end in .xlsx or .csv",
                        file.display()
                    ))
                })?;
            let rows = app.catalog_rows(None)?;
            crate::export::catalog::write(&rows, format, lang, &file)
                .map_err(|e| CliError::Other(e.to_string()))?;
            w(
                out,
                lang.fill(
                    crate::i18n::T::CatalogSaved,
                    &[&file.display().to_string(), &rows.len().to_string()],
                ),
            )?;
        }
        Some(Command::Report {
            name,
            supplier,
            from,
            to,
            format,
            out: file,
            lang,
        }) => report(
            &db,
            &name,
            supplier.as_deref(),
            from,
            to,
            &format,
            file,
            lang,
            out,
        )?,
        Some(Command::Check { full }) => {
            let mut app = open_read_only(&db)?.for_full_scans()?;
            let problems = app.check_with(full)?;
            if problems.is_empty() {
                w(out, format!("{}: all checks passed.", db.display()))?;
            } else {
                for (check, rows) in &problems {
                    w(out, format!("FAILED {check}:"))?;
                    for r in rows {
                        w(out, format!("  {r}"))?;
                    }
                }
                return Err(CliError::Other(format!(
                    "{} check(s) failed",
                    problems.len()
                )));
            }
        }
        Some(Command::Audit {
            action: AuditAction::Verify { anchor },
        }) => {
            let mut app = open_read_only(&db)?;
            let anchor = match anchor {
                Some(a) => Some(crate::app::Anchor::parse(&a).ok_or_else(|| {
                    CliError::Other(format!(
                        "{a:?} is not an anchor like 1234:0123456789ab (rows:hash as printed on a Z report)"
                    ))
                })?),
                None => None,
            };
            let (broken, n, found) = match &anchor {
                Some(a) => app.verify_audit_anchor(a)?,
                None => {
                    let (b, n) = app.verify_audit()?;
                    (b, n, None)
                }
            };
            if let Some(b) = broken {
                return Err(CliError::Other(format!(
                    "the audit log is broken at row {}: {} ({n} rows before it are intact)",
                    b.id, b.reason
                )));
            }
            match (anchor, found) {
                (Some(a), Some(crate::app::AnchorCheck::Truncated { rows })) => {
                    return Err(CliError::Other(format!(
                        "the audit log has {rows} rows but the anchor {a} counted {}: rows were removed from its end",
                        a.count
                    )));
                }
                (Some(a), Some(crate::app::AnchorCheck::Differs { id })) => {
                    return Err(CliError::Other(format!(
                        "the anchor {a} does not hold: row {id} has another hash, so the log was rewritten since"
                    )));
                }
                (Some(a), _) => w(
                    out,
                    format!("The audit log is intact ({n} rows) and holds the anchor {a}."),
                )?,
                (None, _) => w(out, format!("The audit log is intact ({n} rows)."))?,
            }
        }
        Some(Command::Settings { action }) => settings(&db, action, out)?,
        Some(Command::Fiscal { action }) => fiscal(&db, action, out)?,
        Some(Command::Telegram { action }) => telegram(&db, action, out)?,
        Some(Command::Backup { dir, keep }) => {
            let mut app = open_read_only(&db)?;
            let written = app.backup(dir.as_deref(), keep)?;
            w(out, format!("Backup written to {}", written.path.display()))?;
            w(out, format!("Audit chain anchor: {}", written.anchor))?;
        }
        Some(Command::Restore { file }) => {
            let kept = store::backup::restore(&db, &file, chrono::Utc::now())?;
            open_existing(&db)?;
            match kept {
                Some(k) => w(
                    out,
                    format!(
                        "Restored {} into {}; the previous database is kept as {}",
                        file.display(),
                        db.display(),
                        k.display()
                    ),
                )?,
                None => w(
                    out,
                    format!("Restored {} into {}", file.display(), db.display()),
                )?,
            }
        }
        Some(Command::DemoData { days, seed, large }) => {
            let mut app = open(&db)?;
            let summary = if large {
                let mut last = String::new();
                let mut progress = |phase: &str, done: f64| {
                    let filled = (done * 30.0).round() as usize;
                    let line = format!(
                        "{phase:<10} [{}{}] {:>3.0}%",
                        "#".repeat(filled),
                        " ".repeat(30 - filled.min(30)),
                        done * 100.0
                    );
                    if line != last {
                        eprint!("\r{line}");
                        last = line;
                    }
                };
                let s = crate::demo::large::generate(
                    &mut app,
                    crate::demo::large::Scale::LARGE,
                    seed,
                    &mut progress,
                )?;
                eprintln!();
                s
            } else {
                crate::demo::generate(&mut app, days, seed)?
            };
            w(out, summary)?;
        }
    }
    Ok(())
}

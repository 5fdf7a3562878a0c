//! Use cases: the only way Kassa's data changes.
//!
//! Every use case takes the acting employee's [`Session`], re-reads that employee inside its
//! transaction (a deleted employee or a changed role takes effect at once), checks the
//! permission table ([`crate::domain::permissions::allows`]), does its work in one
//! `immediate_transaction`, and writes its audit row in that same transaction. Reads take a
//! session too but change nothing.
//!
//! The GUI, the CLI and the bot all go through here, so none of them can bypass a check.

mod audit;
mod auth;
mod browse;
mod catalog;
mod catalog_import;
mod check;
mod clients;
pub mod document;
mod error;
mod expenses;
mod fiscal;
mod labels;
pub mod maintenance;
// The PostgreSQL maintenance (move, backup, restore) needs libpq (store::pg), which the Windows build lacks.
mod outbox;
mod parked;
mod payment_methods;
mod printing;
mod purchase_orders;
mod quick_keys;
mod receipt;
mod report_tables;
mod reports;
mod sales;
pub mod server;
mod settings;
mod shifts;
mod stocktake;
mod sums;
mod supplier_returns;
mod suppliers;
mod telegram;
pub mod telegram_texts;

use std::path::{Path, PathBuf};

use crate::store::db::prelude::*;
use chrono::{DateTime, NaiveDateTime, Utc};
use chrono_tz::Tz;

use crate::domain::{Action, Role, permissions};
use crate::store::{self, models::Employee, schema::employees};

pub use audit::{Anchor, AnchorCheck, AuditFilter, AuditRecord, BrokenRow, row_hash};
pub use auth::{EmployeeInput, EmployeeView, lock_for};
pub use browse::{ProductQuery, ProductSort, SaleRow, SalesQuery, SupplyDetail};
pub use catalog::{
    CatalogChanges, DeleteOutcome, PriceChange, ProductFiscal, ProductInput, ProductView,
    SupplyInput, SupplyLineInput,
};
pub use catalog_import::{CatalogRow, ImportMode, ImportReport};
pub use clients::{ClientInput, ClientOrder, ClientQuery, ClientView};
pub use error::{AppError, AppResult, PasswordProblem, busy_holders, error_text};
pub use expenses::ExpenseView;
pub use fiscal::{
    FiscalAnswer, FiscalConfig, FiscalItem, FiscalPayments, FiscalRequest, FiscalState,
    FiscalStatus, FiscalTask, PRINT_WAIT_SECS, VatRow, refund_code, sale_code,
};
pub use labels::{LabelSource, MAX_COPIES, PluRow};
pub use outbox::{
    KeptReceipt, OfflineWarning, OutboxStatus, SendReport, Sold, TillBasis, WaitingSale, waiting_in,
};
pub use parked::{ParkedCart, ParkedLine};
pub use payment_methods::{
    NAME_MAX as PAYMENT_METHOD_NAME_MAX, PaymentMethodInput, PaymentMethodView, PaymentMethods,
};
pub use printing::{PrintJob, PrinterSettings, QueueState, retry_delay};
pub use purchase_orders::{OrderLine, OrderLineInput, PurchaseOrderInput, PurchaseOrderView};
pub use quick_keys::{QUICK_KEYS_PER_PAGE, QUICK_LABEL_MAX, QUICK_PAGES, QuickKey};
pub use receipt::ReceiptData;
pub use report_tables::{Cell, ReportKind, ReportTable};
pub use reports::{Dashboard, Figures, Period, Statistics, TopProduct};
pub use sales::{
    RefundDone, RefundLine, RefundableLine, SaleDetail, SaleLineInput, SaleReceipt, SaleRequest,
};
pub use settings::{keys as setting_keys, mask as mask_secret};
pub use shifts::{RefundBy, ShiftReport};
pub use stocktake::{CountLine, Stocktake};
pub use supplier_returns::{ReturnLineInput, SupplierReturnInput};
pub use suppliers::{
    PayFrom, StatementLine, StatementWhat, SupplierInput, SupplierPaymentInput, SupplierView,
    SupplyPayment, statement_report,
};
pub use telegram::{
    BotSettings, BroadcastProgress, Delivery, LinkOutcome, OutMessage, Statement, TOKEN_ENV,
    UncertainMessage, outbox_delay, parse_admin_chats,
};

/// The default admin a new database gets. The password must be changed at first login.
pub const DEFAULT_ADMIN_LOGIN: &str = "admin";
pub const DEFAULT_ADMIN_PASSWORD: &str = "admin123";

/// Who is acting: the result of a successful [`App::login`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Session {
    pub employee_id: i32,
    pub login: String,
    pub full_name: String,
    pub role: Role,
    pub must_change_password: bool,
    /// The language the employee last chose ("uz", "ru", "en"), if any.
    pub language: Option<String>,
}

impl Session {
    /// Whether the role may do `action` (for the GUI to hide what it may not; the use case
    /// checks again).
    pub fn can(&self, action: Action) -> bool {
        permissions::allows(self.role, action)
    }
}

/// The acting employee as re-read inside a transaction.
#[derive(Clone, Debug)]
pub(crate) struct Actor {
    pub id: Option<i32>,
    pub name: String,
    pub role: Role,
}

impl Actor {
    /// The maintenance commands run by someone with shell access to the database file.
    pub(crate) fn system(name: &str) -> Actor {
        Actor {
            id: None,
            name: name.to_string(),
            role: Role::Admin,
        }
    }
}

pub struct Options {
    /// bcrypt cost for new password hashes (12 in production; tests use 4).
    pub bcrypt_cost: u32,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            bcrypt_cost: bcrypt::DEFAULT_COST,
        }
    }
}

type Clock = Box<dyn Fn() -> DateTime<Utc> + Send>;

/// An open Kassa database and the use cases on it. One per thread; several `App`s on one
/// file are safe (WAL, busy timeout, immediate transactions).
pub struct App {
    conn: Db,
    /// The shop's address on a PostgreSQL server (its password never kept here), or `None`
    /// for a shop in a file.
    server: Option<String>,
    /// The write patience set, applied again to a new connection after a server came back.
    patience: Option<std::time::Duration>,
    /// The server went away under this connection: the next use case connects anew first.
    server_lost: bool,
    /// When the server's port last gave no answer at all (a cut network): the next try waits
    /// a moment, so that a till without its server answers at once (and keeps its sales).
    last_reconnect: Option<std::time::Instant>,
    /// The till's outbox of sales made while the server was away ([`outbox`]).
    outbox: Option<Box<outbox::OutboxState>>,
    writer: std::sync::Arc<std::sync::Mutex<()>>,
    path: PathBuf,
    clock: Clock,
    bcrypt_cost: u32,
    read_only: bool,
    /// The database file's identity when opened: a file deleted, renamed away or replaced
    /// under the running program is noticed before the next write, which is refused.
    file_id: Option<crate::platform::files::FileId>,
}

impl App {
    /// Opens (or creates) the database at `path`, migrates it, and creates the default admin
    /// on a database with no staff: the window's first start, `migrate`, `demo-data`, tests.
    pub fn open(path: &Path, options: Options) -> AppResult<App> {
        if let Some(url) = store::server_address(path) {
            return App::open_server(url, options);
        }
        let mut app = App::with_connection(Db::Sqlite(store::open(path)?), path, options, false);
        app.ensure_default_admin()?;
        app.immediate(catalog::fill_search_keys)?;
        Ok(app)
    }

    /// Opens the shop on the PostgreSQL server at `url` (`postgres://user@host/shop`; the
    /// password from `PGPASSWORD`, `~/.pgpass` or the address), brings its schema up to
    /// date and creates the default admin on a server with no staff: the same use cases as
    /// on a file, for a shop with several tills.
    pub fn open_server(url: &str, options: Options) -> AppResult<App> {
        Ok(App::migrate_server(url, options)?.0)
    }

    /// [`App::open_server`], and how many migrations it ran (`kassa migrate`).
    pub fn migrate_server(url: &str, options: Options) -> AppResult<(App, usize)> {
        let (conn, ran) = store::pg::open(url)?;
        let mut app = App::on_server(conn, url, options);
        app.ensure_default_admin()?;
        app.immediate(catalog::fill_search_keys)?;
        Ok((app, ran))
    }

    fn on_server(conn: diesel::pg::PgConnection, url: &str, options: Options) -> App {
        let shown = store::shown_address(url);
        App {
            conn: Db::Pg(conn),
            writer: writer_lock(Path::new(&shown)),
            path: PathBuf::from(&shown),
            server: Some(shown),
            patience: None,
            server_lost: false,
            last_reconnect: None,
            outbox: None,
            clock: Box::new(Utc::now),
            bcrypt_cost: options.bcrypt_cost,
            read_only: false,
            file_id: None,
        }
    }

    /// The shop's server address (without its password) when it runs on PostgreSQL.
    pub fn server(&self) -> Option<&str> {
        self.server.as_deref()
    }

    /// Opens an existing Kassa database for reading and writing, bringing its schema up to
    /// date; a missing, empty or foreign file is refused without writing a byte. The
    /// window's worker threads, the bot and the writing commands use it.
    pub fn open_existing(path: &Path, options: Options) -> AppResult<App> {
        if let Some(url) = store::server_address(path) {
            return App::open_server(url, options);
        }
        let conn = store::open_with(path, store::OpenMode::Existing)?;
        Ok(App::with_connection(Db::Sqlite(conn), path, options, false))
    }

    /// Opens an existing Kassa database read-only (`report`, `check`, `users`, `shifts`,
    /// `audit verify`, `backup`): nothing is written, and a read-only file in a read-only
    /// folder works.
    pub fn open_read_only(path: &Path) -> AppResult<App> {
        // On a server the session is read-only: nothing this connection does can write.
        if let Some(url) = store::server_address(path) {
            use diesel::connection::SimpleConnection as _;
            let mut conn = store::pg::connect(url)?;
            store::pg::check_not_newer(&mut conn, url)?;
            conn.batch_execute("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY")?;
            let mut app = App::on_server(conn, url, Options::default());
            app.read_only = true;
            return Ok(app);
        }
        let conn = store::open_with(path, store::OpenMode::ReadOnly)?;
        Ok(App::with_connection(
            Db::Sqlite(conn),
            path,
            Options::default(),
            true,
        ))
    }

    fn with_connection(conn: Db, path: &Path, options: Options, read_only: bool) -> App {
        App {
            conn,
            server: None,
            patience: None,
            server_lost: false,
            last_reconnect: None,
            outbox: None,
            writer: writer_lock(path),
            path: path.to_path_buf(),
            clock: Box::new(Utc::now),
            bcrypt_cost: options.bcrypt_cost,
            read_only,
            file_id: crate::platform::files::identity(path),
        }
    }

    /// Whether the database file is still the one this program opened (not deleted, renamed
    /// away or replaced): checked by path, nothing opened.
    pub fn database_present(&self) -> bool {
        self.file_id.is_none() || crate::platform::files::identity(&self.path) == self.file_id
    }

    /// Whether this connection was opened read-only.
    pub fn is_read_only(&self) -> bool {
        self.read_only
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Replaces the clock (demo data and tests move time).
    pub fn set_clock(&mut self, clock: impl Fn() -> DateTime<Utc> + Send + 'static) {
        self.clock = Box::new(clock);
    }

    /// The time a row is written with: the clock to the microsecond, which is what both
    /// engines keep (PostgreSQL's TIMESTAMP has microseconds; SQLite kept chrono's
    /// nanoseconds as text, so an audit row's hash, taken over its time, could not be checked
    /// again from a copy on PostgreSQL).
    pub fn now(&self) -> DateTime<Utc> {
        use chrono::SubsecRound;
        (self.clock)().trunc_subsecs(6)
    }

    /// Direct access for read-only checks (tests, `kassa check`). Writes go through use cases.
    pub fn connection(&mut self) -> &mut Db {
        &mut self.conn
    }

    /// Makes this connection one for full scans (`kassa check`): it reads the database file
    /// through a memory map (`store::map_for_reading`). Reports do not: the mapped pages count
    /// as resident memory (a year's sales by product peaked at 296 MB mapped against 38 MB
    /// read, for ~15 % of the time), and the window's report threads live beside the till.
    pub fn for_full_scans(mut self) -> AppResult<App> {
        if let Some(c) = self.conn.sqlite() {
            crate::store::map_for_reading(c)?;
        }
        Ok(self)
    }

    /// The shop's time zone (setting `timezone`, default Asia/Tashkent).
    pub fn time_zone(&mut self) -> Tz {
        settings::time_zone(&mut self.conn)
    }

    /// The shop's name as printed documents head them (not secret: it is on every receipt).
    pub fn shop_name(&mut self) -> String {
        receipt::shop_header(&mut self.conn)
            .map(|h| h.name)
            .unwrap_or_default()
    }

    /// The local time now, as shown to people ([`crate::i18n::TIME_FORMAT`]).
    pub fn local_now(&mut self) -> String {
        let tz = self.time_zone();
        crate::i18n::local_time(tz, self.now().naive_utc())
    }

    /// Runs `f` in one IMMEDIATE transaction, after this process's other writers on the file.
    pub(crate) fn immediate<T>(&mut self, f: impl FnOnce(&mut Db) -> AppResult<T>) -> AppResult<T> {
        // Never write into a file that is no longer the shop's database: what is written
        // would be lost with it.
        if !self.database_present() {
            return Err(AppError::DatabaseGone(self.path.display().to_string()));
        }
        let lock = self.writer.clone();
        let _turn = lock.lock().unwrap_or_else(|e| e.into_inner());
        self.reconnect()?;
        self.transact(true, f)
            .map_err(|e| self.after_error(e))
            .map_err(|e| match e {
                // Another program kept the write lock past this connection's patience (SQLite),
                // another till past `lock_timeout` (PostgreSQL).
                AppError::Store(crate::store::StoreError::Query(q))
                    if q.to_string().contains("database is locked")
                        || q.to_string().contains("lock timeout") =>
                {
                    AppError::Busy {
                        holders: crate::platform::programs_using(&self.path),
                    }
                }
                e => e,
            })
    }

    /// How long a write waits for another program's write lock before it is refused with
    /// [`AppError::Busy`] (30 s unless set): the window sets a fraction of a second, so it
    /// never freezes on the database and says who holds it instead.
    pub fn set_write_patience(&mut self, patience: std::time::Duration) -> AppResult<()> {
        self.patience = Some(patience);
        let ms = patience.as_millis().min(i32::MAX as u128);
        match self.conn.engine() {
            store::db::Engine::Sqlite => self
                .conn
                .batch_execute(&format!("PRAGMA busy_timeout = {ms};"))?,
            // The wait for another till's write (the shop's write lock, a row) and for any
            // lock at all.
            store::db::Engine::Postgres => self
                .conn
                .batch_execute(&format!("SET lock_timeout = {ms};"))?,
        }
        Ok(())
    }

    /// Runs `f` in one immediate transaction with the acting employee checked for `action`.
    fn write<T>(
        &mut self,
        session: &Session,
        action: Action,
        f: impl FnOnce(&mut Db, &Actor, NaiveDateTime) -> AppResult<T>,
    ) -> AppResult<T> {
        let now = self.now().naive_utc();
        self.immediate(|conn| {
            let actor = load_actor(conn, session, Some(action))?;
            f(conn, &actor, now)
        })
    }

    /// A read with the acting employee checked for `action` (or only logged in with `None`).
    fn read<T>(
        &mut self,
        session: &Session,
        action: Option<Action>,
        f: impl FnOnce(&mut Db, &Actor) -> AppResult<T>,
    ) -> AppResult<T> {
        self.reconnect()?;
        let result = self.transact(false, |conn| {
            let actor = load_actor(conn, session, action)?;
            f(conn, &actor)
        });
        result.map_err(|e| self.after_error(e))
    }

    /// Runs `job` in a write (or read) transaction. On a server whose connection turns out
    /// to be gone before the job ran (the server restarted since the last use case: nothing
    /// was asked of it yet), once more on a new connection, so that the first sale after a
    /// restart goes through.
    fn transact<T>(
        &mut self,
        write: bool,
        job: impl FnOnce(&mut Db) -> AppResult<T>,
    ) -> AppResult<T> {
        let mut job = Some(job);
        let mut result = begin_and_run(&mut self.conn, write, &mut job);
        if job.is_some() && self.conn.is_postgres() && result.as_ref().is_err_and(connection_lost) {
            self.server_lost = true;
            self.last_reconnect = None;
            if self.reconnect().is_ok() {
                result = begin_and_run(&mut self.conn, write, &mut job);
            }
        }
        self.answered(&result);
        result
    }

    /// The server answered a use case (whatever it said): the till is not offline.
    fn answered<T>(&mut self, result: &AppResult<T>) {
        if let Some(o) = self.outbox.as_mut()
            && !matches!(result, Err(AppError::Store(store::StoreError::Query(_))))
        {
            o.offline = false;
        }
    }

    /// A failed use case's error, seen from the connection: a server that went away (stopped,
    /// restarted, the network cut) is said as such, and a new connection is made at once if
    /// the server answers again, so that the till's next try works; nothing is retried here
    /// (a write whose answer was lost may have been committed: the sale's checkout key makes
    /// trying it again harmless).
    fn after_error(&mut self, e: AppError) -> AppError {
        if !connection_lost(&e) || !self.conn.is_postgres() {
            return e;
        }
        self.server_lost = true;
        if let Some(o) = self.outbox.as_mut() {
            o.offline = true;
        }
        // Connected again at once if the server answers (a restart); else at the next use.
        let _ = self.reconnect();
        AppError::Store(store::StoreError::ServerUnreachable {
            address: self.path.display().to_string(),
            reason: e.to_string(),
        })
    }

    /// After the server went away: a new connection, if it answers again (the write
    /// patience set again on it).
    fn reconnect(&mut self) -> AppResult<()> {
        if !self.server_lost {
            return Ok(());
        }
        {
            let address = self.path.display().to_string();
            if let Some(t) = self.last_reconnect
                && t.elapsed() < RECONNECT_PAUSE
            {
                return Err(AppError::Store(store::StoreError::ServerUnreachable {
                    address,
                    reason: "no answer a moment ago".into(),
                }));
            }
            let knock = store::pg::knock(&address);
            let probed = match knock {
                store::pg::Knock::Open => store::pg::connect(&address),
                _ => Err(store::StoreError::ServerUnreachable {
                    address: address.clone(),
                    reason: format!("its port: {knock:?}"),
                }),
            };
            let conn = match probed {
                Ok(c) => c,
                Err(e) => {
                    // Knocked in vain for half a second: not again for a moment (a refusal
                    // costs nothing and is tried again at once).
                    if knock == store::pg::Knock::Silent {
                        self.last_reconnect = Some(std::time::Instant::now());
                    }
                    if let Some(o) = self.outbox.as_mut() {
                        o.offline = true;
                    }
                    return Err(e.into());
                }
            };
            self.last_reconnect = None;
            self.conn = Db::Pg(conn);
            self.server_lost = false;
            if let Some(p) = self.patience {
                self.set_write_patience(p)?;
            }
        }
        Ok(())
    }
}

/// Whether an error says the connection to the server is gone.
fn connection_lost(e: &AppError) -> bool {
    use diesel::result::{DatabaseErrorKind, Error as Q};
    match e {
        AppError::Store(store::StoreError::Query(q)) => {
            matches!(
                q,
                Q::DatabaseError(DatabaseErrorKind::ClosedConnection, _)
                    | Q::BrokenTransactionManager
            ) || q.to_string().contains("connection")
        }
        _ => false,
    }
}

/// Begins a write (or read) transaction and runs `job` in it, if it was not run yet.
fn begin_and_run<T, F: FnOnce(&mut Db) -> AppResult<T>>(
    db: &mut Db,
    write: bool,
    job: &mut Option<F>,
) -> AppResult<T> {
    let body = |c: &mut Db| match job.take() {
        Some(f) => f(c),
        None => Err(AppError::SessionGone),
    };
    if write {
        db.write_transaction(body)
    } else {
        db.read_transaction(body)
    }
}

/// How long a till waits after a failed try before it tries to reach its server again.
const RECONNECT_PAUSE: std::time::Duration = std::time::Duration::from_secs(2);

/// What one program of the shop does at a time: answering Telegram, and sending the fiscal
/// queue (a receipt sent twice would be registered twice).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Duty {
    Bot,
    Fiscal,
}

impl Duty {
    /// Its advisory lock's key on a server ("TGBOT", "FISCL").
    fn key(self) -> i64 {
        match self {
            Duty::Bot => 0x0054_4742_4f54,
            Duty::Fiscal => 0x0046_4953_434c,
        }
    }
}

impl App {
    /// Makes this connection the one doing `duty` for the shop, if no other program does: on
    /// a server a session-wide advisory lock (released when this connection closes, however
    /// the program ends), taken again harmlessly; on a file always (the one-program lock
    /// keeps a second program away).
    pub fn claim(&mut self, duty: Duty) -> AppResult<bool> {
        if !self.conn.is_postgres() {
            return Ok(true);
        }
        #[derive(QueryableByName)]
        struct Claimed {
            #[diesel(sql_type = diesel::sql_types::Bool)]
            claimed: bool,
        }
        let c: Claimed = diesel::sql_query(format!(
            "SELECT pg_try_advisory_lock({}) AS claimed",
            duty.key()
        ))
        .get_result(&mut self.conn)?;
        Ok(c.claimed)
    }
}

/// One writer at a time per database file within this process, queued on a mutex, so that
/// busy threads (the till, the bot, the scheduler, the print queue) take turns instead of
/// starving one another in SQLite's busy-wait. Other processes are held off by SQLite's own
/// lock and busy timeout.
fn writer_lock(path: &Path) -> std::sync::Arc<std::sync::Mutex<()>> {
    use std::collections::HashMap;
    use std::sync::{Arc, Mutex, OnceLock};
    static LOCKS: OnceLock<Mutex<HashMap<PathBuf, Arc<Mutex<()>>>>> = OnceLock::new();
    let key = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    let mut map = LOCKS
        .get_or_init(|| Mutex::new(HashMap::new()))
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    map.entry(key).or_default().clone()
}

/// Writes one audit row as the system actor `actor` (the bulk demo writer, which writes its
/// tables directly).
pub(crate) fn record_audit(
    conn: &mut Db,
    actor: &str,
    now: NaiveDateTime,
    action: &str,
    entity: &str,
    after: serde_json::Value,
) -> AppResult<()> {
    audit::record(
        conn,
        &Actor::system(actor),
        now,
        action,
        entity,
        None,
        None,
        Some(after),
    )
}

/// Re-reads the session's employee and checks the permission for `action`.
pub(crate) fn load_actor(
    conn: &mut Db,
    session: &Session,
    action: Option<Action>,
) -> AppResult<Actor> {
    let emp: Employee = employees::table
        .find(session.employee_id)
        .filter(employees::deleted_at.is_null())
        .select(columns_of::<Employee>())
        .first(conn)
        .optional()?
        .ok_or(AppError::SessionGone)?;
    let role = Role::parse(&emp.role).ok_or(AppError::SessionGone)?;
    if emp.must_change_password {
        return Err(AppError::PasswordChangeRequired);
    }
    if let Some(action) = action
        && !permissions::allows(role, action)
    {
        return Err(AppError::Forbidden { role, action });
    }
    Ok(Actor {
        id: Some(emp.id),
        name: emp.login,
        role,
    })
}

/// Refuses an amount of money below zero or above [`crate::domain::money::MAX_MONEY`].
pub(crate) fn check_money(field: &'static str, m: crate::domain::Money) -> AppResult<()> {
    if m.is_negative() || m > crate::domain::money::MAX_MONEY {
        return Err(AppError::invalid(
            field,
            "must be between 0 and 1 000 000 000 000",
        ));
    }
    Ok(())
}

/// Trims a required text field and refuses it empty or too long.
pub(crate) fn required_text(field: &'static str, value: &str, max: usize) -> AppResult<String> {
    let v = value.trim();
    if v.is_empty() {
        return Err(AppError::invalid(field, "must not be empty"));
    }
    optional_text(field, v, max)
}

/// Trims an optional text field and refuses it too long or with control characters.
pub(crate) fn optional_text(field: &'static str, value: &str, max: usize) -> AppResult<String> {
    let v = value.trim();
    if v.chars().count() > max {
        return Err(AppError::invalid(
            field,
            format!("must be at most {max} characters"),
        ));
    }
    if v.chars().any(|c| c.is_control() && c != '\n') {
        return Err(AppError::invalid(field, "contains control characters"));
    }
    Ok(v.to_string())
}

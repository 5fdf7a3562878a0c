//! Shared set-up for the integration tests: a real SQLite file in a temp dir, staff of
//! every role, a stocked product, and a fingerprint of the whole database to prove that a
//! refused operation changed nothing.
#![allow(dead_code)]

pub mod fake_telegram;
pub mod fake_vcr;
pub mod gui;
pub mod pg;
pub mod xwin;

use chrono::{DateTime, Utc};
use diesel::sql_types::Text;
use kassa::app::{
    App, EmployeeInput, Options, ProductInput, Session, SupplyInput, SupplyLineInput,
};
use kassa::domain::{Money, Quantity, Role, Unit};
use kassa::store::db::prelude::*;
use tempfile::TempDir;

pub const PASSWORD: &str = "S3cure-pass";

pub struct Shop {
    pub dir: TempDir,
    pub app: App,
    pub admin: Session,
    pub manager: Session,
    pub cashier: Session,
}

/// The address of the test's shop: its file in `dir`, or (on PostgreSQL, see [`fresh`]) the
/// server address written beside it, which `App::open*` and `kassa --db` take alike.
pub fn db_path(dir: &TempDir) -> std::path::PathBuf {
    let file = dir.path().join("kassa.db");
    match std::fs::read_to_string(dir.path().join(SERVER_ADDRESS)) {
        Ok(url) => std::path::PathBuf::from(url.trim()),
        Err(_) => file,
    }
}

/// The file in a test's folder naming its shop's server address (PostgreSQL runs).
const SERVER_ADDRESS: &str = "server-address";

/// For a test of what only a shop file has (SQLite's own files, migrations of old files):
/// true, and said, when this run puts the shops on PostgreSQL, where such a test has nothing
/// to check (it runs in the SQLite run).
pub fn file_only() -> bool {
    let skip = on_postgres();
    if skip {
        eprintln!("a test of the shop's file: runs with the SQLite engine, not on PostgreSQL");
    }
    skip
}

/// Whether this run puts the shops of [`fresh`] on PostgreSQL (`KASSA_TEST_ENGINE=postgres`):
/// the same tests, the other engine.
pub fn on_postgres() -> bool {
    std::env::var("KASSA_TEST_ENGINE").is_ok_and(|e| e.eq_ignore_ascii_case("postgres"))
}

/// A new database with bcrypt cost 4 (fast tests): a file in the returned folder, or with
/// [`on_postgres`] a new database on this test program's throwaway server.
pub fn fresh() -> (TempDir, App) {
    let dir = tempfile::tempdir().expect("temp dir");
    let options = Options { bcrypt_cost: 4 };
    let app = if on_postgres() {
        let url = pg::shared().new_database();
        std::fs::write(dir.path().join(SERVER_ADDRESS), &url).expect("write the address");
        App::open_server(&url, options).expect("open on PostgreSQL")
    } else {
        App::open(&db_path(&dir), options).expect("open")
    };
    (dir, app)
}

/// Fixes the clock at an instant.
pub fn freeze(app: &mut App, rfc3339: &str) {
    let t: DateTime<Utc> = DateTime::parse_from_rfc3339(rfc3339)
        .expect("time")
        .with_timezone(&Utc);
    app.set_clock(move || t);
}

/// Logs in as the default admin and replaces the default password.
pub fn admin(app: &mut App) -> Session {
    let s = app.login("admin", "admin123").expect("default admin");
    assert!(s.must_change_password);
    app.change_password(&s, "admin123", PASSWORD)
        .expect("change password")
}

/// A new shop's staff (the admin, a manager and a cashier) and ten loaves of bread in stock
/// (barcode 4006381333931): the start of most till tests.
pub struct BreadShop {
    pub admin: Session,
    pub manager: Session,
    pub cashier: Session,
    pub bread: i32,
}

pub fn bread_shop(app: &mut App) -> BreadShop {
    let admin = admin(app);
    let manager = employee(app, &admin, "manager", Role::Manager);
    let cashier = employee(app, &admin, "cashier", Role::Cashier);
    let bread = stocked(
        app,
        &manager,
        product_input("Non", 4_000, 3_000, "4006381333931"),
        Quantity::units(10),
    );
    BreadShop {
        admin,
        manager,
        cashier,
        bread,
    }
}

/// Creates an employee and has them set their own password.
pub fn employee(app: &mut App, admin: &Session, login: &str, role: Role) -> Session {
    let input = EmployeeInput {
        full_name: format!("{login} name"),
        login: login.into(),
        role,
        ..Default::default()
    };
    app.create_employee(admin, &input, "first-pass-1")
        .expect("create employee");
    let s = app.login(login, "first-pass-1").expect("login");
    app.change_password(&s, "first-pass-1", PASSWORD)
        .expect("own password")
}

pub fn shop() -> Shop {
    let (dir, mut app) = fresh();
    freeze(&mut app, "2026-11-24T07:00:00Z");
    let admin = admin(&mut app);
    let manager = employee(&mut app, &admin, "manager", Role::Manager);
    let cashier = employee(&mut app, &admin, "cashier", Role::Cashier);
    Shop {
        dir,
        app,
        admin,
        manager,
        cashier,
    }
}

pub fn product_input(name: &str, price_som: i64, cost_som: i64, barcode: &str) -> ProductInput {
    ProductInput {
        name: name.into(),
        category_id: None,
        unit: Unit::Piece,
        purchase_price: Money::from_major(cost_som),
        sale_price: Money::from_major(price_som),
        low_stock_threshold: Quantity::units(2),
        barcodes: if barcode.is_empty() {
            vec![]
        } else {
            vec![barcode.into()]
        },
        fiscal: Default::default(),
    }
}

/// Creates a product and receives `stock` units of it at its cost.
/// A weighed product (sold by the kilogram) with one barcode and no threshold.
pub fn weighed(name: &str, price_som: i64, cost_som: i64, barcode: &str) -> ProductInput {
    ProductInput {
        unit: Unit::Weight,
        low_stock_threshold: Quantity(0),
        ..product_input(name, price_som, cost_som, barcode)
    }
}

/// Reminders may go out at any hour (from 00:00 to 24:00 local), so a test on the real
/// clock finds today's due whenever it runs.
pub fn reminders_all_day(app: &mut App, admin: &Session) {
    app.set_settings(
        admin,
        &[
            ("telegram.reminder_hour", "0"),
            ("telegram.closing_hour", "24"),
        ],
    )
    .expect("reminder hours");
}

/// The supplier named `name`, created when there is none.
pub fn supplier(app: &mut App, manager: &Session, name: &str) -> i32 {
    let existing = app.suppliers(manager, true).expect("suppliers");
    if let Some(s) = existing.iter().find(|s| s.supplier.name == name) {
        return s.supplier.id;
    }
    app.create_supplier(
        manager,
        &kassa::app::SupplierInput {
            name: name.into(),
            ..Default::default()
        },
    )
    .expect("create supplier")
    .id
}

pub fn stocked(app: &mut App, manager: &Session, input: ProductInput, stock: Quantity) -> i32 {
    let cost = input.purchase_price;
    let p = app.create_product(manager, &input).expect("create product");
    let supplier_id = supplier(app, manager, "Supplier");
    app.receive_supply(
        manager,
        &SupplyInput {
            supplier_id,
            payment: None,
            notes: String::new(),
            lines: vec![SupplyLineInput {
                product_id: p.id,
                quantity: stock,
                unit_cost: cost,
            }],
        },
    )
    .expect("supply");
    p.id
}

/// One name from a catalog query (`... AS name`).
#[derive(QueryableByName)]
pub struct Name {
    #[diesel(sql_type = Text)]
    pub name: String,
}

#[derive(QueryableByName)]
struct Dump {
    #[diesel(sql_type = Text)]
    dump: String,
}

/// Every row of every table, as text: equal fingerprints mean an unchanged database.
pub fn fingerprint(app: &mut App) -> String {
    let conn = app.connection();
    if conn.is_postgres() {
        return pg::fingerprint(conn);
    }
    let tables: Vec<Name> = diesel::sql_query(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
    )
    .load(conn)
    .expect("tables");
    let mut out = String::new();
    for t in tables {
        let cols: Vec<Name> =
            diesel::sql_query(format!("SELECT name FROM pragma_table_info('{}')", t.name))
                .load(conn)
                .expect("columns");
        let expr = cols
            .iter()
            .map(|c| format!("quote(\"{}\")", c.name))
            .collect::<Vec<_>>()
            .join(" || ',' || ");
        let d: Dump = diesel::sql_query(format!(
            "SELECT coalesce(group_concat(x, char(10)), '') AS dump FROM (SELECT {expr} AS x FROM \"{}\" ORDER BY rowid)",
            t.name
        ))
        .get_result(conn)
        .expect("dump");
        out.push_str(&format!("== {}\n{}\n", t.name, d.dump));
    }
    out
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
}

/// Runs a `SELECT ... AS n` returning one integer.
pub fn scalar(app: &mut App, sql: &str) -> i64 {
    // PostgreSQL's SUM of BIGINT is NUMERIC: read back as BIGINT, as the program does.
    let sql = if app.connection().is_postgres() {
        format!("SELECT CAST(n AS BIGINT) AS n FROM ({sql}) q")
    } else {
        sql.to_string()
    };
    let c: Count = diesel::sql_query(&sql)
        .get_result(app.connection())
        .expect(&sql);
    c.n
}

#[derive(QueryableByName)]
struct TextRow {
    #[diesel(sql_type = Text)]
    t: String,
}

/// Runs a `SELECT ... AS t` returning one text.
pub fn scalar_text(app: &mut App, sql: &str) -> String {
    // SQLite's `group_concat(x, sep)` is PostgreSQL's `string_agg(x, sep)`.
    let sql = if app.connection().is_postgres() {
        sql.replace("group_concat(", "string_agg(")
    } else {
        sql.to_string()
    };
    let r: TextRow = diesel::sql_query(&sql)
        .get_result(app.connection())
        .expect(&sql);
    r.t
}

/// A sale of one unit of `product`, paid `amount` by `method`; nasiya goes to `credit`'s
/// customer with its due date.
pub fn one_unit(
    key: &str,
    product: i32,
    method: kassa::domain::payment::PaymentMethod,
    amount: Money,
    credit: Option<(i32, chrono::NaiveDate)>,
) -> kassa::app::SaleRequest {
    use kassa::app::{SaleLineInput, SaleRequest};
    use kassa::domain::cart::Discount;
    use kassa::domain::payment::TenderInput;
    SaleRequest {
        idempotency_key: key.into(),
        lines: vec![SaleLineInput {
            product_id: product,
            quantity: Quantity::units(1),
            discount: Discount::None,
            marking_codes: Vec::new(),
        }],
        sale_discount: Discount::None,
        tenders: vec![TenderInput {
            method,
            amount,
            channel: None,
        }],
        client_id: credit.map(|c| c.0),
        due_date: credit.map(|c| c.1),
        expected_total: None,
    }
}

/// Sells one unit of a 4 000 so'm product for card.
pub fn sell_one(app: &mut App, who: &Session, product: i32, key: &str) -> i32 {
    use kassa::domain::payment::PaymentMethod;
    let req = one_unit(
        key,
        product,
        PaymentMethod::Card,
        Money::from_major(4_000),
        None,
    );
    app.sell(who, &req).expect("sell").sale_id
}

/// Makes a file unwritable until dropped: for root (for whom permissions would not count)
/// immutable with `chattr +i`, for anyone else read-only permissions. SQLite then opens it
/// read-only without a word, as it does a file whose permissions or disk forbid writing.
/// Refuses loudly where neither works, so a test relying on it cannot pass without it.
pub struct Immutable {
    path: std::path::PathBuf,
    chattr: bool,
}

impl Immutable {
    pub fn set(path: &std::path::Path) -> Immutable {
        use std::os::unix::fs::PermissionsExt;
        if unsafe { libc::geteuid() } == 0 {
            let status = std::process::Command::new("chattr")
                .arg("+i")
                .arg(path)
                .status()
                .expect("chattr (e2fsprogs)");
            assert!(
                status.success(),
                "chattr +i {} failed: as root the read-only tests need ext4 (or another file \
                 system with the immutable flag)",
                path.display()
            );
            return Immutable {
                path: path.to_path_buf(),
                chattr: true,
            };
        }
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o444)).unwrap();
        Immutable {
            path: path.to_path_buf(),
            chattr: false,
        }
    }
}

impl Drop for Immutable {
    fn drop(&mut self) {
        use std::os::unix::fs::PermissionsExt;
        if self.chattr {
            let _ = std::process::Command::new("chattr")
                .arg("-i")
                .arg(&self.path)
                .status();
        } else {
            let _ = std::fs::set_permissions(&self.path, std::fs::Permissions::from_mode(0o600));
        }
    }
}

/// A small file system of its own (tmpfs of `mib` MiB mounted on a temporary folder), so a
/// test can fill the disk for real: SQLite then meets ENOSPC as on a full shop PC. Unmounted
/// when dropped. Mounting needs root: `None` (with a line saying the test is skipped) for
/// anyone else; as root a failed mount fails the test.
pub struct SmallDisk {
    pub dir: TempDir,
}

impl SmallDisk {
    pub fn mount(mib: u32) -> Option<SmallDisk> {
        if unsafe { libc::geteuid() } != 0 {
            eprintln!("skipped: mounting a small file system needs root");
            return None;
        }
        let dir = tempfile::tempdir().unwrap();
        let status = std::process::Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={mib}m,mode=0700")])
            .arg("tmpfs")
            .arg(dir.path())
            .status()
            .expect("mount");
        assert!(status.success(), "mount -t tmpfs failed");
        Some(SmallDisk { dir })
    }

    /// Fills the disk with a file until no byte is left; returns the file.
    pub fn fill(&self) -> std::path::PathBuf {
        use std::io::Write;
        let path = self.dir.path().join("filler");
        let mut f = std::fs::File::create(&path).unwrap();
        let block = vec![0u8; 64 * 1024];
        loop {
            match f.write(&block) {
                Ok(0) => break,
                Ok(_) => {}
                Err(e) if e.raw_os_error() == Some(libc::ENOSPC) => break,
                Err(e) => panic!("filling the disk: {e}"),
            }
        }
        // The last partial blocks.
        while let Ok(n) = f.write(&block[..512]) {
            if n == 0 {
                break;
            }
        }
        path
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount")
            .arg("-l")
            .arg(self.dir.path())
            .status();
    }
}

/// One HTTP/1.1 request from a kept-alive connection, for the fake servers: its path and its
/// body (by Content-Length); `None` when the connection ends first.
pub fn read_http_request(reader: &mut impl std::io::BufRead) -> Option<(String, Vec<u8>)> {
    let mut line = String::new();
    if reader.read_line(&mut line).unwrap_or(0) == 0 {
        return None;
    }
    let path = line.split_whitespace().nth(1).unwrap_or("").to_string();
    let mut length = 0usize;
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h).unwrap_or(0) == 0 {
            return None;
        }
        let h = h.trim_end();
        if h.is_empty() {
            break;
        }
        if let Some((k, v)) = h.split_once(':')
            && k.eq_ignore_ascii_case("content-length")
        {
            length = v.trim().parse().unwrap_or(0);
        }
    }
    let mut body = vec![0u8; length];
    reader.read_exact(&mut body).ok()?;
    Some((path, body))
}

/// Runs the `kassa` binary with `args` as a person would; (succeeded, stdout, stderr).
pub fn run_kassa(args: &[&str]) -> (bool, String, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_kassa"))
        .args(args)
        .env("KASSA_LOG", "error")
        .output()
        .expect("run kassa");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

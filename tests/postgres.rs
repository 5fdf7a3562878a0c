//! A shop moved to PostgreSQL (`kassa migrate-to`), on a real throwaway server
//! (`common/pg.rs`), checked from outside the program: row counts and money sums by SQL on
//! both engines, the audit chain recomputed here with this file's own hash, the sequences and
//! triggers working after the copy, and the refusals (a server that is not empty, a shop whose
//! audit log was tampered with) leaving the server as it was.

mod common;

use std::path::Path;

use diesel::connection::SimpleConnection;
use diesel::pg::PgConnection;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Integer, Nullable, Text};

use common::run_kassa as kassa;

/// A demo shop (a few months of sales, refunds, debts, supplies, returns, expenses) in `dir`.
fn demo_shop(dir: &Path) -> String {
    let db = dir.join("shop.db").display().to_string();
    let (ok, out, err) = kassa(&["--db", &db, "demo-data"]);
    assert!(ok, "{out}{err}");
    db
}

#[derive(QueryableByName, Debug, PartialEq)]
struct Figure {
    #[diesel(sql_type = Nullable<BigInt>)]
    v: Option<i64>,
}

/// Figures that must be equal on both engines, as SQL both understand.
const FIGURES: &[&str] = &[
    "SELECT COUNT(*) AS v FROM sales",
    "SELECT CAST(SUM(total) AS BIGINT) AS v FROM sales",
    "SELECT CAST(SUM(refunded_amount) AS BIGINT) AS v FROM sales",
    "SELECT CAST(SUM(line_total) AS BIGINT) AS v FROM sale_items",
    "SELECT CAST(SUM(cost_total) AS BIGINT) AS v FROM sale_items",
    "SELECT CAST(SUM(quantity) AS BIGINT) AS v FROM sale_items WHERE refunded",
    "SELECT CAST(SUM(amount) AS BIGINT) AS v FROM sale_payments",
    "SELECT CAST(SUM(amount) AS BIGINT) AS v FROM client_ledger",
    "SELECT CAST(SUM(stock) AS BIGINT) AS v FROM products",
    "SELECT CAST(SUM(quantity) AS BIGINT) AS v FROM stock_movements",
    "SELECT CAST(SUM(amount) AS BIGINT) AS v FROM expenses",
    "SELECT CAST(SUM(amount) AS BIGINT) AS v FROM supplier_payments",
    "SELECT CAST(SUM(total_cost) AS BIGINT) AS v FROM supplies",
    "SELECT CAST(SUM(counted_cash) AS BIGINT) AS v FROM shifts",
    "SELECT COUNT(*) AS v FROM audit_logs",
    "SELECT COUNT(*) AS v FROM products WHERE archived",
    "SELECT COUNT(*) AS v FROM sale_items WHERE sold_at >= '2026-11-01' AND sold_at < '2026-12-01'",
];

/// [`FIGURES`] on either engine.
fn figures<C>(conn: &mut C) -> Vec<Option<i64>>
where
    C: diesel::connection::LoadConnection,
    Figure: QueryableByName<C::Backend>,
    diesel::query_builder::SqlQuery: for<'a> diesel::query_dsl::LoadQuery<'a, C, Figure>,
{
    FIGURES
        .iter()
        .map(|q| diesel::sql_query(*q).get_result::<Figure>(conn).unwrap().v)
        .collect()
}

#[derive(QueryableByName)]
struct AuditLine {
    #[diesel(sql_type = Integer)]
    id: i32,
    #[diesel(sql_type = Nullable<Integer>)]
    employee_id: Option<i32>,
    #[diesel(sql_type = Text)]
    actor: String,
    #[diesel(sql_type = Text)]
    action: String,
    #[diesel(sql_type = Text)]
    entity: String,
    #[diesel(sql_type = Nullable<BigInt>)]
    entity_id: Option<i64>,
    #[diesel(sql_type = Nullable<Text>)]
    before_json: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    after_json: Option<String>,
    #[diesel(sql_type = Text)]
    time: String,
    #[diesel(sql_type = Text)]
    prev_hash: String,
    #[diesel(sql_type = Text)]
    hash: String,
}

/// This test's own reading of the audit hash (the program's is `app::audit::row_hash`):
/// SHA-256 of the JSON array [prev, id, employee, actor, action, entity, entity id, before,
/// after, time], the time as chrono prints `%Y-%m-%d %H:%M:%S%.f`.
fn hash_of(prev: &str, r: &AuditLine) -> String {
    use sha2::Digest;
    let text = serde_json::json!([
        prev,
        r.id,
        r.employee_id,
        r.actor,
        r.action,
        r.entity,
        r.entity_id,
        r.before_json,
        r.after_json,
        r.time
    ])
    .to_string();
    sha2::Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// chrono's `%.f`: no digits for a whole second, else 3, 6 or 9.
fn chrono_fraction(digits: &str) -> String {
    let d = digits.trim_end_matches('0');
    match d.len() {
        0 => String::new(),
        1..=3 => format!(".{:0<3}", d),
        4..=6 => format!(".{:0<6}", d),
        _ => format!(".{:0<9}", d),
    }
}

/// Every audit row on the server, its hash recomputed (with the exact time text where
/// `audit_log_times` keeps one); returns the number of rows and the head hash.
fn verify_on_server(pg: &mut PgConnection) -> (usize, String) {
    let rows: Vec<AuditLine> = diesel::sql_query(
        "SELECT a.id, a.employee_id, a.actor, a.action, a.entity, a.entity_id, a.before_json,
                a.after_json,
                COALESCE(t.created_at, to_char(a.created_at, 'YYYY-MM-DD HH24:MI:SS.US')) AS time,
                a.prev_hash, a.hash
         FROM audit_logs a LEFT JOIN audit_log_times t ON t.audit_id = a.id ORDER BY a.id",
    )
    .load(pg)
    .unwrap();
    let mut prev = String::new();
    for r in &rows {
        let mut line = clone_line(r);
        if line.time.len() == 26 {
            // to_char gives six digits always; chrono prints what the value needs.
            let (whole, frac) = line.time.split_at(19);
            line.time = format!("{whole}{}", chrono_fraction(&frac[1..]));
        }
        assert_eq!(
            line.prev_hash, prev,
            "row {} does not follow the one before",
            line.id
        );
        assert_eq!(
            hash_of(&prev, &line),
            line.hash,
            "row {} hashes differently",
            line.id
        );
        prev = line.hash.clone();
    }
    (rows.len(), prev)
}

fn clone_line(r: &AuditLine) -> AuditLine {
    AuditLine {
        id: r.id,
        employee_id: r.employee_id,
        actor: r.actor.clone(),
        action: r.action.clone(),
        entity: r.entity.clone(),
        entity_id: r.entity_id,
        before_json: r.before_json.clone(),
        after_json: r.after_json.clone(),
        time: r.time.clone(),
        prev_hash: r.prev_hash.clone(),
        hash: r.hash.clone(),
    }
}

/// Appends a sealed audit row with a nanosecond time to the file, as Kassa wrote them before
/// its clock was cut to the microsecond.
fn append_nanosecond_row(lite: &mut SqliteConnection) {
    #[derive(QueryableByName)]
    struct Head {
        #[diesel(sql_type = Integer)]
        id: i32,
        #[diesel(sql_type = Text)]
        hash: String,
    }
    let head: Head = diesel::sql_query("SELECT id, hash FROM audit_logs ORDER BY id DESC LIMIT 1")
        .get_result(lite)
        .unwrap();
    let line = AuditLine {
        id: head.id + 1,
        employee_id: None,
        actor: "system".into(),
        action: "settings.update".into(),
        entity: "settings".into(),
        entity_id: None,
        before_json: None,
        after_json: Some("{\"shop.name\":\"Oʻrik\"}".into()),
        time: "2026-12-01 10:00:00.123456789".into(),
        prev_hash: head.hash.clone(),
        hash: String::new(),
    };
    let hash = hash_of(&head.hash, &line);
    diesel::sql_query(
        "INSERT INTO audit_logs (id, employee_id, actor, action, entity, entity_id, before_json,
                                 after_json, created_at, prev_hash, hash)
         VALUES (?, NULL, ?, ?, ?, NULL, NULL, ?, ?, ?, ?)",
    )
    .bind::<Integer, _>(line.id)
    .bind::<Text, _>(&line.actor)
    .bind::<Text, _>(&line.action)
    .bind::<Text, _>(&line.entity)
    .bind::<Text, _>(line.after_json.as_deref().unwrap())
    .bind::<Text, _>(&line.time)
    .bind::<Text, _>(&head.hash)
    .bind::<Text, _>(&hash)
    .execute(lite)
    .unwrap();
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

fn rows_on_server(pg: &mut PgConnection) -> i64 {
    let tables: Vec<common::Name> = diesel::sql_query(
        "SELECT table_name::text AS name FROM information_schema.tables
         WHERE table_schema = 'public' AND table_name <> '__diesel_schema_migrations'",
    )
    .load(pg)
    .unwrap();
    tables
        .iter()
        .map(|t| {
            diesel::sql_query(format!("SELECT COUNT(*) AS n FROM {}", t.name))
                .get_result::<Count>(pg)
                .unwrap()
                .n
        })
        .sum()
}

#[test]
fn a_shop_moves_to_postgres_whole_and_proved() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_shop(dir.path());
    {
        let mut lite = SqliteConnection::establish(&db).unwrap();
        append_nanosecond_row(&mut lite);
    }
    let server = common::pg::PgServer::start();
    let url = server.create_database("shop");
    let shown_with_password = url.replace("kassa@", "kassa:pa55word@");

    let (ok, out, err) = kassa(&["--db", &db, "migrate-to", &shown_with_password]);
    assert!(ok, "{out}{err}");
    assert!(!out.contains("pa55word") && !err.contains("pa55word"));
    assert!(out.contains("audit chain verified on the server"), "{out}");
    assert!(out.contains("1 exact time(s) kept"), "{out}");

    let mut lite = SqliteConnection::establish(&db).unwrap();
    let mut pg = PgConnection::establish(&url).unwrap();
    let lite_figures = figures(&mut lite);
    assert!(lite_figures[0].unwrap() > 100, "the demo shop has sales");
    assert_eq!(figures(&mut pg), lite_figures);

    // Every table has the same number of rows.
    let tables: Vec<common::Name> = diesel::sql_query(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'
         AND name <> '__diesel_schema_migrations'",
    )
    .load(&mut lite)
    .unwrap();
    for t in &tables {
        let q = format!("SELECT COUNT(*) AS n FROM {}", t.name);
        let l = diesel::sql_query(&q)
            .get_result::<Count>(&mut lite)
            .unwrap()
            .n;
        let p = diesel::sql_query(&q)
            .get_result::<Count>(&mut pg)
            .unwrap()
            .n;
        let expected = if t.name == "audit_log_times" {
            l + 1
        } else {
            l
        };
        assert_eq!(p, expected, "rows of {}", t.name);
    }

    // The chain, recomputed here, has the file's length and head.
    let (rows, head) = verify_on_server(&mut pg);
    #[derive(QueryableByName)]
    struct Hash {
        #[diesel(sql_type = Text)]
        hash: String,
    }
    let lite_head: Hash = diesel::sql_query("SELECT hash FROM audit_logs ORDER BY id DESC LIMIT 1")
        .get_result(&mut lite)
        .unwrap();
    let lite_rows = diesel::sql_query("SELECT COUNT(*) AS n FROM audit_logs")
        .get_result::<Count>(&mut lite)
        .unwrap()
        .n;
    assert_eq!((rows as i64, head), (lite_rows, lite_head.hash));

    // New rows take ids after the copied ones; the catalog triggers are back on.
    let max_seq = diesel::sql_query("SELECT MAX(seq) AS n FROM catalog_changes")
        .get_result::<Count>(&mut pg)
        .unwrap()
        .n;
    pg.batch_execute(
        "INSERT INTO products (name, unit, purchase_price, sale_price, created_at, updated_at)
         VALUES ('Yangi', 'piece', 1, 2, now(), now());
         INSERT INTO payment_methods (name_uz, name_ru, name_en, created_at)
         VALUES ('Click', 'Click', 'Click', now());",
    )
    .unwrap();
    let seq = diesel::sql_query(
        "SELECT seq AS n FROM catalog_changes WHERE product_id = (SELECT MAX(id) FROM products)",
    )
    .get_result::<Count>(&mut pg)
    .unwrap()
    .n;
    assert!(
        seq > max_seq,
        "the new product took the next catalog number"
    );

    // A second copy into the same database is refused and changes nothing.
    let before = rows_on_server(&mut pg);
    let (ok, _, err) = kassa(&["--db", &db, "migrate-to", &url]);
    assert!(!ok);
    assert!(err.contains("is not empty"), "{err}");
    assert_eq!(rows_on_server(&mut pg), before);

    // The exact times are as append-only as the log, on both engines (a row given to the
    // file here, which its chain check would now refuse: last).
    lite.batch_execute("INSERT INTO audit_log_times (audit_id, created_at) VALUES (1, 'x')")
        .unwrap();
    for sql in [
        "UPDATE audit_log_times SET created_at = '2026-01-01 00:00:00'",
        "DELETE FROM audit_log_times",
    ] {
        let on_pg = pg.batch_execute(sql).unwrap_err().to_string();
        let on_lite = lite.batch_execute(sql).unwrap_err().to_string();
        assert!(
            on_pg.contains("append-only") && on_lite.contains("append-only"),
            "{sql}"
        );
    }
    // A time text put beside a row changes what the row hashes to: the file's own check
    // sees it.
    let (ok, _, err) = kassa(&["--db", &db, "audit", "verify"]);
    assert!(!ok && err.contains("broken at row 1"), "{err}");
}

#[test]
fn a_tampered_audit_log_is_not_moved() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_shop(dir.path());
    {
        // Someone with the file and sqlite3: the guard trigger dropped, a row rewritten.
        let mut lite = SqliteConnection::establish(&db).unwrap();
        lite.batch_execute(
            "DROP TRIGGER audit_logs_append_only_update;
             UPDATE audit_logs SET actor = 'nobody' WHERE id = 7;",
        )
        .unwrap();
    }
    let server = common::pg::PgServer::start();
    let url = server.create_database("shop");
    let (ok, out, err) = kassa(&["--db", &db, "migrate-to", &url]);
    assert!(!ok, "{out}");
    assert!(err.contains("audit log is broken at row 7"), "{err}");
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    let mut pg = PgConnection::establish(&url).unwrap();
    // The file is checked before the server is touched: not even the schema was written.
    assert_eq!(rows_on_server(&mut pg), 0);

    // Not a PostgreSQL address.
    let (ok, _, err) = kassa(&["--db", &db, "migrate-to", "/tmp/other.db"]);
    assert!(!ok);
    assert!(err.contains("is not a PostgreSQL address"), "{err}");
}

/// The anchor a command printed ("Audit chain anchor: N:hash").
fn anchor_in(out: &str) -> String {
    out.lines()
        .find_map(|l| l.strip_prefix("Audit chain anchor: "))
        .unwrap_or_else(|| panic!("no anchor in {out}"))
        .trim()
        .to_string()
}

/// `kassa backup` on PostgreSQL writes a pg_dump archive under a backup's name only after the
/// chain verified and the archive read back; `restore` puts it into an empty database only,
/// with every figure and the chain as they were.
#[test]
fn a_postgres_shop_is_backed_up_and_restored_with_its_chain() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_shop(dir.path());
    let server = common::pg::PgServer::start();
    let first = server.create_database("shop");
    let (ok, out, err) = kassa(&["--db", &db, "migrate-to", &first]);
    assert!(ok, "{out}{err}");

    let (ok, _, err) = kassa(&["--db", &first, "backup"]);
    assert!(!ok && err.contains("--dir"), "{err}");

    let backups = dir.path().join("pg-backups");
    let with_password = first.replace("kassa@", "kassa:hidden-pw@");
    let backups_arg = backups.display().to_string();
    let mut anchors = Vec::new();
    for _ in 0..3 {
        let (ok, out, err) = kassa(&[
            "--db",
            &with_password,
            "backup",
            "--dir",
            &backups_arg,
            "--keep",
            "2",
        ]);
        assert!(ok, "{out}{err}");
        assert!(!out.contains("hidden-pw") && !err.contains("hidden-pw"));
        anchors.push(anchor_in(&out));
    }
    assert!(anchors.windows(2).all(|w| w[0] == w[1]), "{anchors:?}");
    let mut files: Vec<_> = std::fs::read_dir(&backups)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    assert_eq!(files.len(), 2, "--keep 2: {files:?}");
    assert!(
        files
            .iter()
            .all(|f| f.starts_with("kassa-") && f.ends_with(".dump"))
    );
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(&backups).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o700, "the backup folder is the owner's only");
    let file = backups.join(&files[1]).display().to_string();

    // Into a new, empty database: the same shop.
    let second = server.create_database("shop_restored");
    let (ok, out, err) = kassa(&["--db", &second, "restore", &file]);
    assert!(ok, "{out}{err}");
    assert_eq!(anchor_in(&out), anchors[0]);
    let mut a = PgConnection::establish(&first).unwrap();
    let mut b = PgConnection::establish(&second).unwrap();
    assert_eq!(figures(&mut b), figures(&mut a));
    assert_eq!(verify_on_server(&mut b), verify_on_server(&mut a));

    // Never over a database that has tables, never from a file that is not such a backup.
    let before = rows_on_server(&mut a);
    let (ok, _, err) = kassa(&["--db", &first, "restore", &file]);
    assert!(!ok && err.contains("already has"), "{err}");
    assert_eq!(rows_on_server(&mut a), before);
    let third = server.create_database("shop_third");
    let (ok, _, err) = kassa(&["--db", &third, "restore", &db]);
    assert!(!ok && err.contains("is not a backup"), "{err}");
    assert_eq!(err.trim().lines().count(), 1, "{err}");
}

/// Two tills on one server with the Telegram bot switched on: one bot runs for the shop, the
/// other till's waits (and says so); when the first stops, the other takes over.
#[test]
fn one_bot_per_shop_whichever_till_runs_it() {
    use kassa::bot::{BotConfig, BotState, BotStatus};
    use std::time::{Duration, Instant};
    let server = common::pg::PgServer::start();
    let url = server.create_database("shop");
    drop(kassa::app::App::open_server(&url, kassa::app::Options { bcrypt_cost: 4 }).unwrap());
    let fake = common::fake_telegram::FakeTelegram::start();
    let config = || {
        let mut c = BotConfig::new(
            std::path::PathBuf::from(&url),
            common::fake_telegram::TOKEN.into(),
        );
        c.api_url = Some(fake.url.clone());
        c.poll_timeout_secs = 1;
        c.tick = Duration::from_millis(50);
        c
    };
    let wait_for = |status: &BotStatus, what: &str, done: &dyn Fn(&BotState) -> bool| {
        let deadline = Instant::now() + Duration::from_secs(60);
        while !done(&status.state()) {
            assert!(Instant::now() < deadline, "{what}: {}", status.state());
            std::thread::sleep(Duration::from_millis(20));
        }
    };
    let running = |s: &BotState| matches!(s, BotState::Running { .. });
    let first_status = BotStatus::default();
    let first = kassa::bot::spawn(config(), first_status.clone()).unwrap();
    wait_for(&first_status, "the first till's bot runs", &running);
    let second_status = BotStatus::default();
    let second = kassa::bot::spawn(config(), second_status.clone()).unwrap();
    wait_for(&second_status, "the second till's bot waits", &|s| {
        *s == BotState::Elsewhere
    });
    assert!(running(&first_status.state()), "{}", first_status.state());
    first.stop();
    wait_for(&second_status, "the second till's bot takes over", &running);
    second.stop();
}

/// Two back-office PCs change the catalog at once while a till follows it by change number,
/// as the till's screen does every half second: the till misses nothing. (The change numbers
/// are taken inside the tills' turns on the shop's write lock, so they are committed in their
/// order; a number committed after a higher one was read would be skipped for good.)
#[test]
fn a_till_follows_every_catalog_change_made_at_once_elsewhere() {
    use kassa::app::{App, Options};
    use std::collections::HashMap;
    let server = common::pg::PgServer::start();
    let url = server.create_database("shop");
    let options = || Options { bcrypt_cost: 4 };
    let mut office = App::open_server(&url, options()).unwrap();
    let admin = common::admin(&mut office);
    for name in ["office1", "office2", "till"] {
        common::employee(&mut office, &admin, name, kassa::domain::Role::Manager);
    }
    let mut till = App::open_server(&url, options()).unwrap();
    let me = till.login("till", common::PASSWORD).unwrap();
    let (mut seq, first) = till.catalog_at(&me).unwrap();
    let mut seen: HashMap<i32, i64> = first.into_iter().map(|p| (p.id, p.sale_price)).collect();
    let writers: Vec<_> = (0..2)
        .map(|w| {
            let url = url.clone();
            std::thread::spawn(move || {
                let mut app = App::open_server(&url, options()).unwrap();
                let who = app
                    .login(&format!("office{}", w + 1), common::PASSWORD)
                    .unwrap();
                for i in 0..40 {
                    let input = common::product_input(&format!("P{w}-{i}"), 1_000 + i, 500, "");
                    let p = app.create_product(&who, &input).unwrap();
                    // And a new price for it at once: two changes of one product.
                    let mut dearer = input.clone();
                    dearer.sale_price = kassa::domain::Money::from_major(2_000 + i);
                    app.update_product(&who, p.id, &dearer).unwrap();
                }
            })
        })
        .collect();
    let mut follow = |till: &mut App, seq: &mut i64| {
        let changes = till.catalog_changes(&me, *seq).unwrap();
        for p in changes.changed {
            seen.insert(p.id, p.sale_price);
        }
        *seq = changes.seq;
    };
    while !writers.iter().all(|w| w.is_finished()) {
        follow(&mut till, &mut seq);
    }
    for w in writers {
        w.join().unwrap();
    }
    follow(&mut till, &mut seq);
    let now: HashMap<i32, i64> = till
        .catalog(&me)
        .unwrap()
        .into_iter()
        .map(|p| (p.id, p.sale_price))
        .collect();
    assert_eq!(now.len(), 80);
    assert_eq!(seen, now, "the till's catalog is the catalog");
}

/// The server stopped mid-day (as a power cut of the back room would) and started again: the
/// till's sale in between is refused with a sentence saying the server cannot be reached,
/// nothing half-written; once the server is back the same sale goes through, once.
#[test]
fn the_till_sells_again_after_the_server_comes_back() {
    use kassa::app::{App, Options};
    use kassa::domain::Money;
    let server = common::pg::PgServer::start();
    let url = server.create_database("shop");
    let mut app = App::open_server(&url, Options { bcrypt_cost: 4 }).unwrap();
    let common::BreadShop { cashier, bread, .. } = common::bread_shop(&mut app);
    app.open_shift(&cashier, Money::ZERO).unwrap();
    common::sell_one(&mut app, &cashier, bread, "before");
    server.stop();
    let request = common::one_unit(
        "while-away",
        bread,
        kassa::domain::payment::PaymentMethod::Card,
        Money::from_major(4_000),
        None,
    );
    for _ in 0..2 {
        let e = app.sell(&cashier, &request).unwrap_err();
        let said = kassa::app::error_text(kassa::i18n::Lang::Uz, &e);
        assert!(said.contains("PostgreSQL"), "{said}");
    }
    server.restart();
    app.sell(&cashier, &request).unwrap();
    // Sent again (the till does not know the first answer came): once.
    app.sell(&cashier, &request).unwrap();
    assert_eq!(
        common::scalar(&mut app, "SELECT COUNT(*) AS n FROM sales"),
        2
    );
    assert_eq!(
        common::scalar(&mut app, "SELECT stock AS n FROM products"),
        8_000
    );
}

/// The tills' role of least rights (`kassa grant-till`): a day's work goes through (log-in,
/// shift, a sale, the bot's duty lock), while changing the schema, its history or the audit
/// log is refused by the server itself.
#[test]
fn the_tills_role_sells_but_cannot_change_the_schema_or_the_audit_log() {
    use kassa::app::{App, Options};
    use kassa::domain::{Money, Quantity, Role};
    let server = common::pg::PgServer::start();
    let owner_url = server.create_database("shop");
    let mut owner = App::open_server(&owner_url, Options { bcrypt_cost: 4 }).unwrap();
    let admin = common::admin(&mut owner);
    let manager = common::employee(&mut owner, &admin, "manager", Role::Manager);
    let cashier = common::employee(&mut owner, &admin, "cashier", Role::Cashier);
    let bread = common::stocked(
        &mut owner,
        &manager,
        common::product_input("Non", 4_000, 3_000, "4006381333931"),
        Quantity::units(10),
    );
    let mut conn = PgConnection::establish(&owner_url).unwrap();
    conn.batch_execute("CREATE ROLE till LOGIN").unwrap();
    let (ok, out, err) = kassa(&["--db", &owner_url, "grant-till", "till"]);
    assert!(ok, "{out}{err}");
    let (ok, _, err) = kassa(&["--db", &owner_url, "grant-till", "Till; DROP"]);
    assert!(!ok && err.contains("not a role name"), "{err}");
    let till_url = owner_url.replace("kassa@", "till@");
    let mut till = App::open_server(&till_url, Options { bcrypt_cost: 4 }).unwrap();
    till.open_shift(&cashier, Money::ZERO).unwrap();
    common::sell_one(&mut till, &cashier, bread, "as-the-till");
    assert!(till.claim(kassa::app::Duty::Bot).unwrap());
    assert_eq!(till.check().unwrap(), Vec::<(String, Vec<String>)>::new());
    let mut as_till = PgConnection::establish(&till_url).unwrap();
    for refused in [
        "DROP TABLE sales",
        "ALTER TABLE products ADD COLUMN x INTEGER",
        "CREATE TABLE mine (x INTEGER)",
        "DELETE FROM __diesel_schema_migrations",
        "UPDATE audit_logs SET actor = 'someone'",
        "DELETE FROM audit_log_times",
    ] {
        let e = as_till.batch_execute(refused).unwrap_err().to_string();
        assert!(
            e.contains("permission denied") || e.contains("must be owner"),
            "{refused}: {e}"
        );
    }
}

/// `kassa` with this PC's data folder at `home` (where `server.conf` and the outboxes live)
/// and `stdin` as its input.
fn kassa_at(home: &std::path::Path, args: &[&str], stdin: &str) -> (bool, String, String) {
    use std::io::Write;
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_kassa"))
        .args(args)
        .env("KASSA_LOG", "error")
        .env("HOME", home)
        .env("XDG_DATA_HOME", home.join("data"))
        .env_remove("PGPASSWORD")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run kassa");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(stdin.as_bytes())
        .expect("write stdin");
    let out = child.wait_with_output().expect("kassa");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// A till PC told its server once (`kassa remember-server`, the address with its password
/// on standard input) opens the shop there without `--db`; the file is its owner's only, a
/// copy others can read is refused, a wrong address is not kept, and `--forget` takes the PC
/// back to its own file. `kassa outbox` lists what the till kept while the server was away.
#[test]
fn a_till_remembers_its_server_privately() {
    use kassa::app::{App, Options};
    let server = common::pg::PgServer::start();
    let url = server.create_database("shop");
    let mut conn = PgConnection::establish(&url).unwrap();
    conn.batch_execute("ALTER ROLE kassa PASSWORD 'pa55-word'")
        .unwrap();
    drop(App::open_server(&url, Options { bcrypt_cost: 4 }).unwrap());
    let home = tempfile::tempdir().unwrap();
    let with_password = url.replace("kassa@", "kassa:pa55-word@");
    // Not a server: nothing kept.
    let (ok, _, err) = kassa_at(home.path(), &["remember-server"], "/tmp/kassa.db\n");
    assert!(!ok && err.contains("postgres://"), "{err}");
    let conf = home.path().join("data").join("kassa").join("server.conf");
    assert!(!conf.exists());
    let (ok, out, err) = kassa_at(
        home.path(),
        &["remember-server"],
        &format!("{with_password}\n"),
    );
    assert!(ok, "{out}{err}");
    assert!(
        !out.contains("pa55-word") && out.contains("kassa:***@"),
        "{out}"
    );
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(
        std::fs::metadata(&conf).unwrap().permissions().mode() & 0o777,
        0o600
    );
    let (ok, out, err) = kassa_at(home.path(), &["users"], "");
    assert!(ok && out.contains("admin"), "{out}{err}");
    let (ok, out, err) = kassa_at(home.path(), &["outbox"], "");
    assert!(ok && out.contains("0 sales waiting"), "{out}{err}");
    std::fs::set_permissions(&conf, std::fs::Permissions::from_mode(0o644)).unwrap();
    let (ok, _, err) = kassa_at(home.path(), &["users"], "");
    assert!(!ok && err.contains("chmod 600"), "{err}");
    let (ok, _, err) = kassa_at(home.path(), &["remember-server", "--forget"], "");
    assert!(ok, "{err}");
    assert!(!conf.exists());
    let (ok, _, err) = kassa_at(home.path(), &["users"], "");
    assert!(!ok && err.contains("does not exist"), "{err}");
}

/// A till on a remote server goes over TLS with libpq's `sslmode` in the address: with the
/// server's certificate checked (`verify-full`) the shop opens and sells, the connection is
/// encrypted as the server itself reports; a certificate the till does not trust is refused
/// with a sentence, before anything is sent.
#[test]
fn a_till_reaches_its_server_over_tls() {
    use kassa::app::{App, Options};
    use kassa::domain::Money;
    let server = common::pg::PgServer::start();
    let url = server.create_database("shop");
    let crt = server.enable_tls();
    let tls = format!("{url}?sslmode=verify-full&sslrootcert={}", crt.display());
    // The server takes TLS once it has reloaded its settings (a signal: observed, not timed).
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    let mut app = loop {
        match App::open_server(&tls, Options { bcrypt_cost: 4 }) {
            Ok(app) => break app,
            Err(e) => {
                assert!(std::time::Instant::now() < deadline, "no TLS: {e}");
                std::thread::sleep(std::time::Duration::from_millis(100));
            }
        }
    };
    assert_eq!(
        common::scalar(
            &mut app,
            "SELECT COUNT(*) AS n FROM pg_stat_ssl WHERE pid = pg_backend_pid() AND ssl"
        ),
        1
    );
    let common::BreadShop { cashier, bread, .. } = common::bread_shop(&mut app);
    app.open_shift(&cashier, Money::ZERO).unwrap();
    common::sell_one(&mut app, &cashier, bread, "over-tls");
    // A certificate from elsewhere (another server's) is not trusted.
    let other = common::pg::PgServer::start().enable_tls();
    let wrong = format!("{url}?sslmode=verify-full&sslrootcert={}", other.display());
    let e = App::open_server(&wrong, Options { bcrypt_cost: 4 })
        .err()
        .expect("an untrusted certificate");
    assert!(format!("{e:?}").contains("certificate"), "{e:?}");
    let said = kassa::app::error_text(kassa::i18n::Lang::Ru, &e);
    assert!(said.contains("PostgreSQL"), "{said}");
}

//! `src/store/schema.rs` must match what `diesel print-schema` prints for the migrated
//! database. Without diesel_cli in CI, this test reads the schema file and compares each
//! table's columns, types and nullability with SQLite's own description of the migrated
//! database, using diesel's type mapping for the types the migrations use.

mod common;

use diesel::prelude::*;
use diesel::sql_types::{Integer, Text};

#[derive(QueryableByName, Debug)]
struct Col {
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = Text)]
    #[diesel(column_name = type_)]
    type_: String,
    #[diesel(sql_type = Integer)]
    notnull: i32,
    #[diesel(sql_type = Integer)]
    pk: i32,
}

#[derive(QueryableByName)]
struct Name {
    #[diesel(sql_type = Text)]
    name: String,
}

fn diesel_type(sql: &str, notnull: bool) -> String {
    let base = match sql.to_uppercase().as_str() {
        "INTEGER" => "Integer",
        "BIGINT" => "BigInt",
        "TEXT" => "Text",
        "BOOLEAN" => "Bool",
        "TIMESTAMP" => "Timestamp",
        "DATE" => "Date",
        other => panic!("no diesel mapping for {other}"),
    };
    if notnull {
        base.to_string()
    } else {
        format!("Nullable<{base}>")
    }
}

/// Parses `diesel::table! { name (pk) { col -> Type, ... } }` blocks.
fn parse_schema(text: &str) -> Vec<(String, Vec<(String, String)>)> {
    let mut tables = Vec::new();
    let mut lines = text.lines().map(str::trim);
    while let Some(line) = lines.next() {
        if line != "diesel::table! {" {
            continue;
        }
        let header = lines.next().expect("table header");
        let name = header.split_whitespace().next().expect("name").to_string();
        let mut cols = Vec::new();
        for l in lines.by_ref() {
            if l == "}" {
                break;
            }
            if let Some((c, t)) = l.trim_end_matches(',').split_once(" -> ") {
                cols.push((c.trim().to_string(), t.trim().to_string()));
            }
        }
        tables.push((name, cols));
    }
    tables
}

#[test]
fn schema_rs_matches_the_migrated_database() {
    let (_dir, mut app) = common::fresh();
    let conn = app.connection().sqlite().expect("a shop file");
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/src/store/schema.rs"))
        .unwrap();
    let parsed = parse_schema(&text);
    let mut db_tables: Vec<String> = diesel::sql_query(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> '__diesel_schema_migrations' ORDER BY name",
    )
    .load::<Name>(conn)
    .unwrap()
    .into_iter()
    .map(|n| n.name)
    .collect();
    db_tables.sort();
    let mut file_tables: Vec<String> = parsed.iter().map(|t| t.0.clone()).collect();
    file_tables.sort();
    assert_eq!(
        file_tables, db_tables,
        "tables differ between schema.rs and the migrations"
    );
    for (table, cols) in parsed {
        let db_cols: Vec<Col> = diesel::sql_query(format!(
            "SELECT name, type AS type_, \"notnull\", pk FROM pragma_table_info('{table}')"
        ))
        .load(conn)
        .unwrap();
        let expected: Vec<(String, String)> = db_cols
            .iter()
            .map(|c| {
                (
                    c.name.clone(),
                    diesel_type(&c.type_, c.notnull == 1 || c.pk == 1),
                )
            })
            .collect();
        assert_eq!(
            cols, expected,
            "columns of {table} differ: run diesel print-schema (see diesel.toml)"
        );
    }
}

#[derive(QueryableByName)]
struct PlanRow {
    #[diesel(sql_type = Text)]
    detail: String,
}

/// The period queries of the statistics, dashboard and reports (sales of a period that are
/// not refunded) must read the period's range of `sales_stats`. Before migration 10 the
/// planner took `refunded_at IS NULL` for an equality on `sales_refunded` and read every
/// unrefunded sale of all time, so a month cost as much as a year.
#[test]
fn period_queries_read_the_periods_range() {
    let (_dir, mut app) = common::fresh();
    let conn = app.connection().sqlite().expect("a shop file");
    let mut plan = |sql: &str| -> String {
        diesel::sql_query(format!("EXPLAIN QUERY PLAN {sql}"))
            .load::<PlanRow>(&mut *conn)
            .unwrap()
            .into_iter()
            .map(|r| r.detail)
            .collect::<Vec<_>>()
            .join("; ")
    };
    let totals = plan(
        "SELECT count(*), SUM(total) FROM sales
         WHERE created_at >= ? AND created_at < ? AND refunded_at IS NULL",
    );
    assert!(
        totals.contains("COVERING INDEX sales_stats (created_at>? AND created_at<?)"),
        "{totals}"
    );
    let methods = plan(
        "SELECT p.method, SUM(p.amount) FROM sale_payments p JOIN sales s ON s.id = p.sale_id
         WHERE s.created_at >= ? AND s.created_at < ? AND s.refunded_at IS NULL
         GROUP BY p.method",
    );
    assert!(
        methods.contains("(created_at>? AND created_at<?)"),
        "{methods}"
    );
    let refunds =
        plan("SELECT count(*), SUM(total) FROM sales WHERE refunded_at >= ? AND refunded_at < ?");
    assert!(
        refunds.contains("INDEX sales_refunded (refunded_at>? AND refunded_at<?)"),
        "{refunds}"
    );
    let lines = plan(
        "SELECT product_id, quantity, line_total, cost_total FROM sale_items
         WHERE sold_at >= ? AND sold_at < ? AND refunded = 0",
    );
    assert!(
        lines.contains("COVERING INDEX sale_items_stats (sold_at>? AND sold_at<?)"),
        "{lines}"
    );
}

// ---------------------------------------------------------------------------------------
// PostgreSQL: the same schema on a real server (a throwaway cluster, tests/common/pg.rs).

use diesel::sql_types::{BigInt, Nullable};
use kassa::store::pg as kpg;

/// The versions of the migrations in `dir` (the folder names' leading digits).
fn versions(dir: &str) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(format!("{}/{dir}", env!("CARGO_MANIFEST_DIR")))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !n.starts_with('.'))
        .map(|n| n.split('_').next().unwrap().replace('-', ""))
        .collect();
    v.sort();
    v
}

/// One history: PostgreSQL's migrations start at a baseline that is one of SQLite's, and from
/// there on every SQLite migration has a PostgreSQL one of the same version and no other.
#[test]
fn postgres_migrations_follow_the_sqlite_history() {
    let sqlite = versions("migrations");
    let pg = versions("migrations-pg");
    let baseline = pg.first().expect("a PostgreSQL baseline").clone();
    assert!(
        sqlite.contains(&baseline),
        "baseline {baseline} is not a SQLite version"
    );
    let expected: Vec<String> = sqlite.into_iter().filter(|v| *v >= baseline).collect();
    assert_eq!(
        pg, expected,
        "every migration from the baseline on is written for both engines (migrations/ and migrations-pg/)"
    );
}

fn pg_diesel_type(data_type: &str, nullable: bool) -> String {
    let base = match data_type {
        "integer" => "Integer",
        "bigint" => "BigInt",
        "text" => "Text",
        "boolean" => "Bool",
        "timestamp without time zone" => "Timestamp",
        "date" => "Date",
        other => panic!("no diesel mapping for {other}"),
    };
    if nullable {
        format!("Nullable<{base}>")
    } else {
        base.to_string()
    }
}

#[derive(QueryableByName, Debug, PartialEq, Eq, PartialOrd, Ord, Clone)]
struct Pair {
    #[diesel(sql_type = Text)]
    a: String,
    #[diesel(sql_type = Text)]
    b: String,
}

/// Two text columns `a`, `b` of a catalog query on either engine, sorted.
fn pairs<C>(conn: &mut C, sql: &str) -> Vec<(String, String)>
where
    C: diesel::connection::LoadConnection,
    Pair: QueryableByName<C::Backend>,
    diesel::query_builder::SqlQuery: for<'a> diesel::query_dsl::LoadQuery<'a, C, Pair>,
{
    let mut v: Vec<(String, String)> = diesel::sql_query(sql)
        .load::<Pair>(conn)
        .unwrap()
        .into_iter()
        .map(|p| (p.a, p.b))
        .collect();
    v.sort();
    v
}

/// The PostgreSQL schema has SQLite's tables, columns (names, order, diesel types and
/// nullability, as `schema.rs` says), defaults, foreign keys with their ON DELETE, indexes
/// and triggers; the migrations run once, undo cleanly and run again.
#[test]
fn postgres_schema_matches_sqlite_and_schema_rs() {
    let server = common::pg::PgServer::start();
    let url = server.create_database("shop");
    let (mut pg, ran) = kpg::open(&url).expect("migrate the server");
    assert_eq!(ran, versions("migrations-pg").len());
    assert_eq!(kpg::open(&url).unwrap().1, 0, "a second open runs nothing");

    let (_dir, mut app) = common::fresh();
    let lite = app.connection().sqlite().expect("a shop file");
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/src/store/schema.rs"))
        .unwrap();
    let parsed = parse_schema(&text);

    // Tables.
    let mut pg_tables: Vec<String> = diesel::sql_query(
        "SELECT table_name AS name FROM information_schema.tables
         WHERE table_schema = 'public' AND table_name <> '__diesel_schema_migrations'",
    )
    .load::<Name>(&mut pg)
    .unwrap()
    .into_iter()
    .map(|n| n.name)
    .collect();
    pg_tables.sort();
    let mut file_tables: Vec<String> = parsed.iter().map(|t| t.0.clone()).collect();
    file_tables.sort();
    assert_eq!(
        pg_tables, file_tables,
        "tables differ between PostgreSQL and schema.rs"
    );

    for (table, cols) in &parsed {
        // Columns in order, with the types schema.rs gives them.
        let got: Vec<(String, String)> = diesel::sql_query(format!(
            "SELECT column_name AS name, data_type AS type_,
                    CASE WHEN is_nullable = 'NO' THEN 1 ELSE 0 END AS \"notnull\", 0 AS pk
             FROM information_schema.columns
             WHERE table_schema = 'public' AND table_name = '{table}' ORDER BY ordinal_position"
        ))
        .load::<Col>(&mut pg)
        .unwrap()
        .into_iter()
        .map(|c| (c.name, pg_diesel_type(&c.type_, c.notnull == 0)))
        .collect();
        assert_eq!(&got, cols, "columns of {table} differ on PostgreSQL");

        // Which columns have a default.
        let lite_defaults = pairs(
            lite,
            &format!(
                "SELECT name AS a, '' AS b FROM pragma_table_info('{table}')
                 WHERE dflt_value IS NOT NULL"
            ),
        );
        let pg_defaults = pairs(
            &mut pg,
            &format!(
                "SELECT column_name::text AS a, '' AS b FROM information_schema.columns
                 WHERE table_schema = 'public' AND table_name = '{table}'
                   AND column_default IS NOT NULL"
            ),
        );
        assert_eq!(pg_defaults, lite_defaults, "defaults of {table} differ");

        // Foreign keys: column -> table, and what a delete does.
        let lite_fks = pairs(
            lite,
            &format!(
                "SELECT \"from\" AS a, \"table\" || ' ' || on_delete AS b
                 FROM pragma_foreign_key_list('{table}')"
            ),
        );
        let pg_fks = pairs(
            &mut pg,
            &format!(
                "SELECT a.attname::text AS a,
                        c.confrelid::regclass::text || ' ' || CASE c.confdeltype
                            WHEN 'c' THEN 'CASCADE' WHEN 'n' THEN 'SET NULL'
                            WHEN 'r' THEN 'RESTRICT' ELSE 'NO ACTION' END AS b
                 FROM pg_constraint c
                 JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = ANY (c.conkey)
                 WHERE c.contype = 'f' AND c.conrelid = '{table}'::regclass"
            ),
        );
        assert_eq!(pg_fks, lite_fks, "foreign keys of {table} differ");
    }

    // Indexes (the named ones; those behind a primary key or UNIQUE are the engine's own).
    let lite_indexes = pairs(
        lite,
        "SELECT name AS a, tbl_name AS b FROM sqlite_master
         WHERE type = 'index' AND sql IS NOT NULL",
    );
    let pg_indexes = pairs(
        &mut pg,
        "SELECT indexname::text AS a, tablename::text AS b FROM pg_indexes i
         WHERE schemaname = 'public'
           AND NOT EXISTS (SELECT 1 FROM pg_constraint c
                           WHERE c.conname = i.indexname
                             AND c.connamespace = 'public'::regnamespace)",
    );
    assert_eq!(pg_indexes, lite_indexes, "indexes differ");
    // UNIQUE constraints: the same number on each table.
    let lite_unique = pairs(
        lite,
        "SELECT m.name AS a, CAST(COUNT(*) AS TEXT) AS b FROM sqlite_master m,
                pragma_index_list(m.name) l
         WHERE m.type = 'table' AND l.origin = 'u' GROUP BY m.name",
    );
    let pg_unique = pairs(
        &mut pg,
        "SELECT conrelid::regclass::text AS a, COUNT(*)::text AS b FROM pg_constraint
         WHERE contype = 'u' AND connamespace = 'public'::regnamespace GROUP BY conrelid",
    );
    assert_eq!(pg_unique, lite_unique, "UNIQUE constraints differ");

    // Triggers.
    let lite_triggers = pairs(
        lite,
        "SELECT name AS a, tbl_name AS b FROM sqlite_master WHERE type = 'trigger'",
    );
    let pg_triggers = pairs(
        &mut pg,
        "SELECT tgname::text AS a, tgrelid::regclass::text AS b FROM pg_trigger
         WHERE NOT tgisinternal",
    );
    assert_eq!(pg_triggers, lite_triggers, "triggers differ");

    // The baseline undoes to nothing and runs again.
    use diesel_migrations::MigrationHarness;
    pg.revert_all_migrations(kpg::MIGRATIONS).expect("down.sql");
    let left: Vec<Name> = diesel::sql_query(
        "SELECT table_name AS name FROM information_schema.tables
         WHERE table_schema = 'public' AND table_name <> '__diesel_schema_migrations'",
    )
    .load(&mut pg)
    .unwrap();
    assert!(left.is_empty(), "down.sql left {} tables", left.len());
    assert_eq!(kpg::migrate(&mut pg, &url).unwrap(), ran);
}

#[derive(QueryableByName)]
struct Seq {
    #[diesel(sql_type = Integer)]
    product_id: i32,
    #[diesel(sql_type = BigInt)]
    seq: i64,
}

#[derive(QueryableByName)]
struct Sum {
    #[diesel(sql_type = Nullable<BigInt>)]
    total: Option<i64>,
}

/// The triggers do on PostgreSQL what they do on SQLite: the audit log refuses a change to a
/// sealed row and any delete; a product or barcode change takes the next catalog number
/// and is announced to a till that listens on another connection. A sum of money cast back
/// to BIGINT is exact past 2^53.
#[test]
fn postgres_triggers_guard_the_audit_log_and_announce_catalog_changes() {
    use diesel::connection::SimpleConnection;
    let server = common::pg::PgServer::start();
    let url = server.create_database("shop");
    let (mut pg, _) = kpg::open(&url).unwrap();
    let (mut till, _) = kpg::open(&url).unwrap();
    till.batch_execute("LISTEN catalog_changes").unwrap();

    pg.batch_execute(
        "INSERT INTO audit_logs (actor, action, entity, created_at, hash)
         VALUES ('admin', 'login', 'employee', now(), 'sealed');",
    )
    .unwrap();
    let update = pg.batch_execute("UPDATE audit_logs SET actor = 'someone else'");
    assert!(
        update.unwrap_err().to_string().contains("append-only"),
        "a sealed audit row was changed"
    );
    let delete = pg.batch_execute("DELETE FROM audit_logs");
    assert!(delete.unwrap_err().to_string().contains("append-only"));

    pg.batch_execute(
        "INSERT INTO products (name, unit, purchase_price, sale_price, created_at, updated_at)
         VALUES ('Non', 'piece', 3000, 4000, now(), now());
         INSERT INTO products (name, unit, purchase_price, sale_price, created_at, updated_at)
         VALUES ('Sut', 'piece', 9000, 11000, now(), now());",
    )
    .unwrap();
    let first: Vec<Seq> = diesel::sql_query("SELECT product_id, seq FROM catalog_changes")
        .load(&mut pg)
        .unwrap();
    pg.batch_execute(
        "INSERT INTO product_barcodes (product_id, barcode) VALUES (1, '4780000000013')",
    )
    .unwrap();
    let after: Vec<Seq> =
        diesel::sql_query("SELECT product_id, seq FROM catalog_changes ORDER BY product_id")
            .load(&mut pg)
            .unwrap();
    let max_first = first.iter().map(|s| s.seq).max().unwrap();
    assert_eq!(after.len(), 2);
    assert_eq!(after[0].product_id, 1);
    assert!(after[0].seq > max_first, "the barcode took the next number");

    // The listening till hears of products 1, 2 and 1 again (each in its own transaction).
    let mut heard = Vec::new();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while heard.len() < 3 && std::time::Instant::now() < deadline {
        for n in till.notifications_iter() {
            let n = n.unwrap();
            assert_eq!(n.channel, "catalog_changes");
            heard.push(n.payload);
        }
        if heard.len() < 3 {
            // notifications_iter reads what the socket has now; look again shortly.
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
    }
    assert_eq!(heard, ["1", "2", "1"]);

    // Exact sums: SUM over BIGINT is NUMERIC on PostgreSQL; cast back it is exact.
    let big: Sum = diesel::sql_query(
        "SELECT CAST(SUM(v) AS BIGINT) AS total FROM (VALUES (4503599627370497::bigint),
         (4503599627370497::bigint), (1::bigint)) t(v)",
    )
    .get_result(&mut pg)
    .unwrap();
    assert_eq!(big.total, Some(9_007_199_254_740_995));
}

fn kassa(db: &str, args: &[&str]) -> (bool, String, String) {
    let mut all = vec!["--db", db];
    all.extend_from_slice(args);
    common::run_kassa(&all)
}

/// `kassa migrate --db postgres://…` prepares a server, shows the address without its
/// password, refuses a newer schema and a server that is not there; the other commands run
/// on the server.
#[test]
fn kassa_migrate_prepares_a_postgres_server() {
    use diesel::connection::SimpleConnection;
    let server = common::pg::PgServer::start();
    let url = server.create_database("shop");
    // The test server trusts loopback, so any password is accepted: it must not be shown.
    let with_password = url.replace("kassa@", "kassa:s3cret-word@");
    let (ok, out, err) = kassa(&with_password, &["migrate"]);
    assert!(ok, "{out}{err}");
    let all = format!("{} migration(s) applied", versions("migrations-pg").len());
    assert!(out.contains(&all), "{out}");
    assert!(out.contains("kassa:***@127.0.0.1"), "{out}");
    assert!(!out.contains("s3cret") && !err.contains("s3cret"));
    let (ok, out, _) = kassa(&url, &["migrate"]);
    assert!(ok && out.contains("0 migration(s) applied"), "{out}");

    // The commands run on the server (the default admin was made there)…
    let (ok, out, err) = kassa(&url, &["users"]);
    assert!(ok, "{out}{err}");
    assert!(out.contains("admin"), "{out}");
    // …and the start of the window, which names the shop without the password.
    let (ok, out, err) = kassa(&with_password, &["--no-window"]);
    assert!(ok, "{out}{err}");
    assert!(
        out.contains("Kassa database: postgres://kassa:***@127.0.0.1"),
        "{out}"
    );
    assert!(!out.contains("s3cret") && !err.contains("s3cret"));
    assert!(
        !std::path::Path::new("postgres:").exists(),
        "the address was taken for a file"
    );

    // A schema written by a newer Kassa.
    let (mut pg, _) = kpg::open(&url).unwrap();
    pg.batch_execute("INSERT INTO __diesel_schema_migrations (version) VALUES ('29991231000099')")
        .unwrap();
    let (ok, _, err) = kassa(&url, &["migrate"]);
    assert!(!ok);
    assert!(err.contains("newer version of Kassa"), "{err}");

    // No server there.
    drop(pg);
    server.stop();
    let (ok, _, err) = kassa(&url, &["migrate"]);
    assert!(!ok);
    assert!(
        err.contains("cannot reach the PostgreSQL server postgres://kassa@127.0.0.1"),
        "{err}"
    );
    assert_eq!(err.trim().lines().count(), 1, "{err}");
}

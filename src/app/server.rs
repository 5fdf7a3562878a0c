//! A shop's PostgreSQL database looked after from the command line (issue #30, step 4 of
//! `docs/several-tills.md`): the move of a shop's SQLite file into it, its backups with
//! `pg_dump` and their restore with `pg_restore`, each proved by the audit chain walked on
//! the server.
//!
//! `kassa migrate-to postgres://…`: in one PostgreSQL transaction: the schema is brought up to date, the database must be
//! empty, every table is copied in the order its references need (pages of rows read from
//! SQLite as JSON, booleans and times put in PostgreSQL's form, written with
//! `json_populate_recordset`), the identity sequences move past the largest ids, and then,
//! still before the commit, the copy is proved: each table's rows are read back from
//! PostgreSQL and must be the same multiset as SQLite's (a count and an order-free digest of
//! every row), and the audit chain must verify on PostgreSQL with the same number of rows
//! and the same head. Anything short of that rolls back and the database stays empty.
//!
//! Times: PostgreSQL keeps microseconds; rows written before Kassa cut its clock to the
//! microsecond have nanoseconds, which the copy truncates. An audit row's hash is taken over
//! its time as text, so those rows' exact texts go to `audit_log_times`.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{NaiveDateTime, Timelike};
use diesel::connection::SimpleConnection;
use diesel::pg::PgConnection;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Integer, Text};
use serde_json::Value;

use super::App;
use super::audit::{ANCHOR_HEX, Anchor, BrokenRow, ChainCheck, audit_page, time_text};
use crate::store::models::AuditRow;
use crate::store::{StoreError, pg};

/// Rows per page, each way.
const PAGE: i64 = 2_000;

#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("database error: {0}")]
    Query(#[from] diesel::result::Error),
    #[error("the shop's audit log is broken at row {}: {}; nothing was done", .0.id, .0.reason)]
    AuditBroken(BrokenRow),
    #[error("{tool} failed: {message}")]
    Tool { tool: &'static str, message: String },
    #[error("{0} is not a backup of a Kassa shop on PostgreSQL (pg_dump's custom format)")]
    NotABackup(String),
    #[error(
        "the PostgreSQL database already has {0} table(s): restore into a new, empty database (the current one stays as it is)"
    )]
    HasTables(i64),
    #[error("cannot use the folder {path}: {reason}")]
    Folder { path: String, reason: String },
    #[error(
        "the PostgreSQL database is not empty ({table} has {rows} row(s)): give an empty database"
    )]
    NotEmpty { table: String, rows: i64 },
    #[error("the copy of {table} differs from the shop's file ({detail}); nothing was kept")]
    Differs { table: String, detail: String },
    #[error("the shop's file could not be checked: {0}")]
    Check(String),
    #[error("a row of {table} could not be read: {detail}")]
    BadRow { table: String, detail: String },
}

/// What was copied.
#[derive(Debug, Default)]
pub struct MoveReport {
    /// Every table with its number of rows, in the order they were copied.
    pub tables: Vec<(String, i64)>,
    /// Audit rows verified on PostgreSQL, and the head hash's first digits.
    pub audit_rows: i64,
    pub audit_head: String,
    /// Audit rows whose exact time text went to `audit_log_times`.
    pub exact_times: i64,
}

/// How a column's values are put in one form on both engines.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Bool,
    Timestamp,
    Other,
}

struct Table {
    name: String,
    columns: Vec<(String, Kind)>,
}

#[derive(QueryableByName)]
struct Named {
    #[diesel(sql_type = Text)]
    name: String,
}

#[derive(QueryableByName)]
struct ColumnInfo {
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = Text)]
    kind: String,
}

#[derive(QueryableByName)]
struct Reference {
    #[diesel(sql_type = Text)]
    name: String,
}

#[derive(QueryableByName)]
struct JsonRow {
    #[diesel(sql_type = BigInt)]
    k: i64,
    #[diesel(sql_type = Text)]
    j: String,
}

#[derive(QueryableByName)]
struct JsonOnly {
    #[diesel(sql_type = Text)]
    j: String,
    /// The row's place in the table (`ctid`), where the next page starts after.
    #[diesel(sql_type = Text)]
    at: String,
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

/// A name as an SQL identifier (the names come from the schema; quoted all the same).
fn ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// The shop's tables (from SQLite's catalog), each after the tables it refers to.
fn tables_in_order(lite: &mut SqliteConnection) -> Result<Vec<Table>, ServerError> {
    let names: Vec<String> = diesel::sql_query(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'
         AND name <> '__diesel_schema_migrations' ORDER BY name",
    )
    .load::<Named>(lite)?
    .into_iter()
    .map(|n| n.name)
    .collect();
    let mut refs: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for name in &names {
        let to: BTreeSet<String> =
            diesel::sql_query("SELECT DISTINCT \"table\" AS name FROM pragma_foreign_key_list(?)")
                .bind::<Text, _>(name)
                .load::<Reference>(lite)?
                .into_iter()
                .map(|r| r.name)
                .filter(|t| t != name)
                .collect();
        refs.insert(name.clone(), to);
    }
    let mut order: Vec<String> = Vec::new();
    while order.len() < names.len() {
        let ready = names.iter().find(|n| {
            !order.contains(n)
                && refs[*n]
                    .iter()
                    .all(|r| order.contains(r) || !refs.contains_key(r))
        });
        match ready {
            Some(n) => order.push(n.clone()),
            // A cycle of references: the schema has none; copy the rest as it comes.
            None => {
                let rest: Vec<String> = names
                    .iter()
                    .filter(|n| !order.contains(n))
                    .cloned()
                    .collect();
                order.extend(rest);
            }
        }
    }
    order
        .into_iter()
        .map(|name| {
            let columns = diesel::sql_query(
                "SELECT name, upper(type) AS kind FROM pragma_table_info(?) ORDER BY cid",
            )
            .bind::<Text, _>(&name)
            .load::<ColumnInfo>(lite)?
            .into_iter()
            .map(|c| {
                let kind = match c.kind.as_str() {
                    "BOOLEAN" => Kind::Bool,
                    "TIMESTAMP" => Kind::Timestamp,
                    _ => Kind::Other,
                };
                (c.name, kind)
            })
            .collect();
            Ok(Table { name, columns })
        })
        .collect()
}

/// A time as both engines' rows are compared and written: to the microsecond.
fn parse_time(s: &str) -> Option<NaiveDateTime> {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S%.f")
        .or_else(|_| NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f"))
        .ok()
}

/// One row in one form, whichever engine it came from: booleans as JSON booleans, times as
/// `YYYY-MM-DD HH:MM:SS.ffffff` cut to the microsecond, the rest as they are.
fn normalise(table: &Table, row: &str) -> Result<Vec<Value>, ServerError> {
    let bad = |detail: String| ServerError::BadRow {
        table: table.name.clone(),
        detail,
    };
    let mut object: serde_json::Map<String, Value> =
        serde_json::from_str(row).map_err(|e| bad(e.to_string()))?;
    table
        .columns
        .iter()
        .map(|(name, kind)| {
            let v = object.remove(name).unwrap_or(Value::Null);
            Ok(match (kind, v) {
                (_, Value::Null) => Value::Null,
                (Kind::Bool, Value::Bool(b)) => Value::Bool(b),
                (Kind::Bool, Value::Number(n)) => Value::Bool(n.as_i64() != Some(0)),
                (Kind::Timestamp, Value::String(s)) => {
                    let t = parse_time(&s).ok_or_else(|| bad(format!("{name}: time {s:?}")))?;
                    let t = t.with_nanosecond(t.nanosecond() / 1000 * 1000).unwrap_or(t);
                    Value::String(t.format("%Y-%m-%d %H:%M:%S%.6f").to_string())
                }
                (_, v) => v,
            })
        })
        .collect()
}

/// An order-free digest of a table's rows: the wrapping sum of each row's SHA-256 (first 16
/// bytes), so pages read in any order give the same figure.
#[derive(Default, PartialEq, Eq, Debug, Clone, Copy)]
struct Digest {
    rows: i64,
    sum: u128,
}

impl Digest {
    fn add(&mut self, row: &[Value]) {
        use sha2::Digest as _;
        let text = Value::Array(row.to_vec()).to_string();
        let hash = sha2::Sha256::digest(text.as_bytes());
        let mut first = [0u8; 16];
        first.copy_from_slice(&hash[..16]);
        self.sum = self.sum.wrapping_add(u128::from_be_bytes(first));
        self.rows += 1;
    }
}

impl App {
    /// Copies this shop (opened read-only) into the empty PostgreSQL database at `url`.
    pub fn move_to_postgres(&mut self, url: &str) -> Result<MoveReport, ServerError> {
        let (broken, audit_rows) = self
            .verify_audit()
            .map_err(|e| ServerError::Check(e.to_string()))?;
        if let Some(b) = broken {
            return Err(ServerError::AuditBroken(b));
        }
        let Some(lite) = self.conn.sqlite() else {
            return Err(ServerError::Check(
                "the shop is already on a PostgreSQL server".into(),
            ));
        };
        let tables = tables_in_order(lite)?;
        let (mut pg, _) = pg::open(url)?;
        for t in &tables {
            let n: Count =
                diesel::sql_query(format!("SELECT COUNT(*) AS n FROM {}", ident(&t.name)))
                    .get_result(&mut pg)?;
            // A new database has the one payment method the migrations make.
            let allowed = if t.name == "payment_methods" { 1 } else { 0 };
            if n.n > allowed {
                return Err(ServerError::NotEmpty {
                    table: t.name.clone(),
                    rows: n.n,
                });
            }
        }
        let report = pg.transaction(|pg| copy_all(lite, pg, &tables, audit_rows))?;
        // The planner's statistics for what was just copied (autovacuum would take them in
        // its own time; until then a report on a million lines is planned blind).
        diesel::connection::SimpleConnection::batch_execute(&mut pg, "ANALYZE")?;
        Ok(report)
    }
}

fn copy_all(
    lite: &mut SqliteConnection,
    pg: &mut PgConnection,
    tables: &[Table],
    audit_rows: i64,
) -> Result<MoveReport, ServerError> {
    // The copy brings the catalog's change numbers with it: the catalog triggers would add
    // their own. The payment method the migrations made is replaced by the shop's.
    pg.batch_execute(
        "ALTER TABLE products DISABLE TRIGGER USER;
         ALTER TABLE product_barcodes DISABLE TRIGGER USER;
         DELETE FROM payment_methods;",
    )?;
    let mut report = MoveReport::default();
    let mut digests = BTreeMap::new();
    for t in tables {
        let digest = copy_table(lite, pg, t)?;
        report.tables.push((t.name.clone(), digest.rows));
        digests.insert(t.name.clone(), digest);
    }
    report.exact_times = keep_exact_times(lite, pg)?;
    pg.batch_execute(
        "ALTER TABLE products ENABLE TRIGGER USER;
         ALTER TABLE product_barcodes ENABLE TRIGGER USER;
         SELECT setval('catalog_change_seq', GREATEST((SELECT MAX(seq) FROM catalog_changes), 1),
                       (SELECT MAX(seq) FROM catalog_changes) IS NOT NULL);",
    )?;
    move_sequences(pg)?;
    // Proof before the commit: every table read back, and the audit chain.
    for t in tables {
        if t.name == "audit_log_times" {
            // Has the file's rows and the exact times added above; the chain check below
            // is what proves them.
            continue;
        }
        let back = read_back(pg, t)?;
        let sent = digests[&t.name];
        if back != sent {
            return Err(ServerError::Differs {
                table: t.name.clone(),
                detail: format!(
                    "{} row(s) in the file, {} on the server, or their contents",
                    sent.rows, back.rows
                ),
            });
        }
    }
    let (broken, anchor) = server_chain(pg)?;
    if let Some(b) = broken {
        return Err(ServerError::Differs {
            table: "audit_logs".into(),
            detail: format!("the chain breaks at row {}: {}", b.id, b.reason),
        });
    }
    if anchor.count != audit_rows {
        return Err(ServerError::Differs {
            table: "audit_logs".into(),
            detail: format!(
                "{audit_rows} row(s) verified in the file, {} on the server",
                anchor.count
            ),
        });
    }
    report.audit_rows = anchor.count;
    report.audit_head = anchor.hash;
    Ok(report)
}

/// Walks the audit chain on the server: the first broken row, if any, and the anchor of the
/// sound part (its rows and the head's first digits).
pub(crate) fn server_chain(
    pg: &mut PgConnection,
) -> Result<(Option<BrokenRow>, Anchor), ServerError> {
    let mut check = ChainCheck::default();
    let mut head = String::new();
    loop {
        let rows = audit_page!(pg, check.last_id)?;
        if rows.is_empty() {
            break;
        }
        for (r, exact) in rows {
            if let Err(b) = check.feed(&r, exact.as_deref()) {
                return Ok((Some(b), Anchor::default()));
            }
            head = r.hash;
        }
    }
    Ok((
        None,
        Anchor {
            count: check.checked,
            hash: head.chars().take(ANCHOR_HEX).collect(),
        },
    ))
}

/// Copies one table page by page; the digest of what was sent.
fn copy_table(
    lite: &mut SqliteConnection,
    pg: &mut PgConnection,
    t: &Table,
) -> Result<Digest, ServerError> {
    let fields: Vec<String> = t
        .columns
        .iter()
        .map(|(c, _)| format!("'{}', {}", c.replace('\'', "''"), ident(c)))
        .collect();
    let read = format!(
        "SELECT rowid AS k, json_object({}) AS j FROM {} WHERE rowid > ? ORDER BY rowid LIMIT {PAGE}",
        fields.join(", "),
        ident(&t.name)
    );
    let names: Vec<String> = t.columns.iter().map(|(c, _)| ident(c)).collect();
    let write = format!(
        "INSERT INTO {table} ({cols}) SELECT {cols} FROM json_populate_recordset(NULL::{table}, $1::json)",
        table = ident(&t.name),
        cols = names.join(", ")
    );
    let mut digest = Digest::default();
    let mut after = i64::MIN;
    loop {
        let page: Vec<JsonRow> = diesel::sql_query(&read)
            .bind::<BigInt, _>(after)
            .load(lite)?;
        let Some(last) = page.last() else {
            return Ok(digest);
        };
        after = last.k;
        let mut rows = Vec::with_capacity(page.len());
        for r in &page {
            let values = normalise(t, &r.j)?;
            digest.add(&values);
            let object: serde_json::Map<String, Value> = t
                .columns
                .iter()
                .map(|(c, _)| c.clone())
                .zip(values)
                .collect();
            rows.push(Value::Object(object));
        }
        diesel::sql_query(&write)
            .bind::<Text, _>(Value::Array(rows).to_string())
            .execute(pg)?;
    }
}

/// The digest of a table as PostgreSQL now has it.
fn read_back(pg: &mut PgConnection, t: &Table) -> Result<Digest, ServerError> {
    let mut digest = Digest::default();
    // Page after page from where the last one ended (a TID range scan): an OFFSET would read
    // every row before the page again, and a million-line table back in quadratic time.
    let mut after = "(0,0)".to_string();
    let read = format!(
        "SELECT row_to_json(t)::text AS j, t.ctid::text AS at FROM {} t \
         WHERE t.ctid > CAST($1 AS tid) ORDER BY t.ctid LIMIT {PAGE}",
        ident(&t.name)
    );
    loop {
        let page: Vec<JsonOnly> = diesel::sql_query(&read).bind::<Text, _>(&after).load(pg)?;
        let Some(last) = page.last() else {
            return Ok(digest);
        };
        after = last.at.clone();
        for r in &page {
            digest.add(&normalise(t, &r.j)?);
        }
    }
}

/// Audit rows whose time has more digits than PostgreSQL keeps: their exact text, as the
/// hash took it, into `audit_log_times`. Returns how many.
fn keep_exact_times(
    lite: &mut SqliteConnection,
    pg: &mut PgConnection,
) -> Result<i64, ServerError> {
    let mut after = 0;
    let mut kept = 0;
    loop {
        let rows = audit_page!(lite, after)?;
        let Some((last, _)) = rows.last() else {
            return Ok(kept);
        };
        after = last.id;
        for (r, exact) in rows
            .iter()
            .map(|(r, e): &(AuditRow, Option<String>)| (r, e))
        {
            let text = match exact {
                Some(t) => t.clone(),
                None if r.created_at.nanosecond() % 1000 != 0 => time_text(r.created_at),
                None => continue,
            };
            diesel::sql_query(
                // A row the file already had was copied with its text (the table is
                // append-only).
                "INSERT INTO audit_log_times (audit_id, created_at) VALUES ($1, $2)
                 ON CONFLICT (audit_id) DO NOTHING",
            )
            .bind::<Integer, _>(r.id)
            .bind::<Text, _>(text)
            .execute(pg)?;
            kept += 1;
        }
    }
}

/// Each identity column's sequence past the largest id copied.
fn move_sequences(pg: &mut PgConnection) -> Result<(), ServerError> {
    let tables: Vec<Named> = diesel::sql_query(
        "SELECT table_name::text AS name FROM information_schema.columns
         WHERE table_schema = 'public' AND is_identity = 'YES' AND column_name = 'id'",
    )
    .load(pg)?;
    for t in tables {
        let table = ident(&t.name);
        pg.batch_execute(&format!(
            "SELECT setval(pg_get_serial_sequence('{name}', 'id'),
                           GREATEST((SELECT MAX(id) FROM {table}), 1),
                           (SELECT MAX(id) FROM {table}) IS NOT NULL);",
            name = t.name.replace('\'', "''"),
        ))?;
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------
// Backups: pg_dump's custom format, checked with pg_restore --list before they get a
// backup's name; restore only into an empty database.

/// What a backup wrote.
#[derive(Debug)]
pub struct DumpWritten {
    pub path: std::path::PathBuf,
    pub anchor: Anchor,
    /// Older backups removed beyond the number kept.
    pub pruned: usize,
}

/// The backups in `dir`, oldest first: `kassa-YYYYMMDD-HHMMSS[-N].dump`.
pub fn dumps(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut files: Vec<std::path::PathBuf> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.file_name().and_then(|n| n.to_str()).is_some_and(|n| {
                n.strip_prefix(crate::store::backup::PREFIX)
                    .and_then(|r| r.strip_suffix(".dump"))
                    .is_some_and(|r| r.len() >= 15 && r.as_bytes()[8] == b'-')
            })
        })
        .collect();
    // By time, then by the number a second backup in the same second got ("-1" would sort
    // before ".dump" as text).
    files.sort_by_key(|p| {
        let name = p.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        let rest = name
            .strip_prefix(crate::store::backup::PREFIX)
            .and_then(|r| r.strip_suffix(".dump"))
            .unwrap_or_default();
        let (stamp, n) = rest.split_at(rest.len().min(15));
        let n: u32 = n.trim_start_matches('-').parse().unwrap_or(0);
        (stamp.to_string(), n)
    });
    files
}

/// The first line a tool wrote on its error output.
fn tool_failed(tool: &'static str, out: &std::process::Output) -> ServerError {
    let text = String::from_utf8_lossy(&out.stderr);
    let message = text
        .lines()
        .map(|l| l.trim().trim_start_matches(tool).trim_start_matches(": "))
        .find(|l| !l.is_empty())
        .unwrap_or("no message")
        .to_string();
    ServerError::Tool { tool, message }
}

fn run(tool: &'static str, cmd: &mut std::process::Command) -> Result<String, ServerError> {
    let out = cmd.output().map_err(|e| ServerError::Tool {
        tool,
        message: format!("cannot start it ({e}): install postgresql-client"),
    })?;
    if !out.status.success() {
        return Err(tool_failed(tool, &out));
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Whether `file` is a custom-format dump of a Kassa database (its table of contents names
/// the audit log and diesel's migrations table).
fn check_dump(file: &std::path::Path) -> Result<(), ServerError> {
    let toc = run(
        "pg_restore",
        std::process::Command::new(pg::program("pg_restore"))
            .arg("--list")
            .arg(file),
    )
    .map_err(|_| ServerError::NotABackup(file.display().to_string()))?;
    let has = |what: &str| toc.lines().any(|l| l.contains(what));
    if has("TABLE DATA public audit_logs") && has("TABLE DATA public __diesel_schema_migrations") {
        Ok(())
    } else {
        Err(ServerError::NotABackup(file.display().to_string()))
    }
}

/// A backup of the shop's PostgreSQL database into `dir` (made owner-only if missing), after
/// its audit chain verified; keeps the newest `keep` backups there.
pub fn backup_postgres(
    url: &str,
    dir: &std::path::Path,
    keep: usize,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<DumpWritten, ServerError> {
    let (mut conn, _) = pg::open(url)?;
    let (broken, anchor) = server_chain(&mut conn)?;
    if let Some(b) = broken {
        return Err(ServerError::AuditBroken(b));
    }
    drop(conn);
    crate::store::create_private_dir(dir).map_err(|e| ServerError::Folder {
        path: dir.display().to_string(),
        reason: e.to_string(),
    })?;
    let stamp = now.format("%Y%m%d-%H%M%S");
    let prefix = crate::store::backup::PREFIX;
    let mut path = dir.join(format!("{prefix}{stamp}.dump"));
    let mut n = 1;
    while path.exists() {
        path = dir.join(format!("{prefix}{stamp}-{n}.dump"));
        n += 1;
    }
    let partial = dir.join(format!(
        ".{}.partial",
        path.file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("kassa.dump")
    ));
    let written = run(
        "pg_dump",
        pg::tool("pg_dump", url)
            .args(["--format=custom", "--no-owner", "--no-privileges", "--file"])
            .arg(&partial),
    )
    .and_then(|_| check_dump(&partial))
    .and_then(|()| {
        std::fs::rename(&partial, &path).map_err(|e| ServerError::Folder {
            path: dir.display().to_string(),
            reason: e.to_string(),
        })
    });
    if let Err(e) = written {
        let _ = std::fs::remove_file(&partial);
        return Err(e);
    }
    let old = dumps(dir);
    let excess = old.len().saturating_sub(keep.max(1));
    let pruned = old
        .iter()
        .take(excess)
        .filter(|p| std::fs::remove_file(p).is_ok())
        .count();
    Ok(DumpWritten {
        path,
        anchor,
        pruned,
    })
}

/// Restores `file` (a backup made by [`backup_postgres`]) into the empty database at `url`,
/// then brings its schema up to date and verifies its audit chain. Anything refused after
/// pg_restore ran leaves the database empty again.
pub fn restore_postgres(url: &str, file: &std::path::Path) -> Result<Anchor, ServerError> {
    check_dump(file)?;
    let mut conn = pg::connect(url)?;
    let tables = diesel::sql_query(
        "SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_schema = 'public'",
    )
    .get_result::<Count>(&mut conn)?
    .n;
    if tables > 0 {
        return Err(ServerError::HasTables(tables));
    }
    run(
        "pg_restore",
        pg::tool("pg_restore", url)
            .args([
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                "--single-transaction",
            ])
            .arg(file),
    )?;
    let checked = pg::migrate(&mut conn, url)
        .map_err(ServerError::from)
        .and_then(|_| server_chain(&mut conn))
        .and_then(|(broken, anchor)| match broken {
            Some(b) => Err(ServerError::AuditBroken(b)),
            None => Ok(anchor),
        });
    if checked.is_err() {
        // Back to the empty database it was.
        conn.batch_execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")?;
    }
    checked
}

/// `kassa grant-till ROLE` on the shop's database (as its owner): `role` may read and write
/// the shop's rows and use its sequences, and nothing more: no table made, dropped or
/// altered (it owns none), the schema history read-only, the audit log and its time texts
/// append-only (as their triggers also hold: a new row's chain hashes are the one update
/// allowed, on those two columns, while still empty). Idempotent.
pub fn grant_till(url: &str, role: &str) -> Result<(), ServerError> {
    let valid = !role.is_empty()
        && role.len() <= 63
        && role
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if !valid {
        return Err(ServerError::Check(format!(
            "{role:?} is not a role name Kassa gives rights to (lower-case letters, digits, _)"
        )));
    }
    let (mut pg, _) = pg::open(url)?;
    let role = ident(role);
    pg.batch_execute(&format!(
        "DO $$ BEGIN EXECUTE format('GRANT CONNECT ON DATABASE %I TO {role}', current_database()); END $$;
         GRANT USAGE ON SCHEMA public TO {role};
         GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role};
         GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO {role};
         REVOKE INSERT, UPDATE, DELETE ON __diesel_schema_migrations FROM {role};
         REVOKE UPDATE, DELETE ON audit_logs, audit_log_times FROM {role};
         GRANT UPDATE (prev_hash, hash) ON audit_logs TO {role};"
    ))?;
    Ok(())
}

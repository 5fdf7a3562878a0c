//! A till's outbox: the sales it made while the shop's PostgreSQL server was away, in a small
//! SQLite file of its own on the till's disk, until they reach the server (issue #30,
//! `docs/several-tills.md`).
//!
//! One row per sale, in the order they were made (`seq`), with the sale's checkout key (the
//! server records a key once, so a sale sent twice — the till killed between the server's
//! commit and the row's removal — is recorded once) and the sale as the till made it (JSON,
//! written by `app::outbox`). A row leaves the file only after the server has the sale. Every
//! change is one transaction on a file opened with `synchronous = FULL`: a sale the till said
//! was kept survives kill -9 and a power cut.
//!
//! Only SQLite opens the file. Two programs on one file (two windows of one till) are safe:
//! SQLite's locks, and the server's key check when both send.

use std::path::{Path, PathBuf};

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::sqlite::SqliteConnection;

use super::StoreError;

diesel::table! {
    outbox_sales (seq) {
        seq -> BigInt,
        idempotency_key -> Text,
        client_id -> Nullable<Integer>,
        nasiya -> BigInt,
        body -> Text,
        refused -> Nullable<Text>,
    }
}

/// A sale waiting in the outbox.
#[derive(Clone, Debug, Queryable)]
pub struct Waiting {
    pub seq: i64,
    pub idempotency_key: String,
    pub client_id: Option<i32>,
    pub nasiya: i64,
    /// The sale as the till made it (`app::outbox::KeptSale` as JSON).
    pub body: String,
    /// Why the server refused it at the last try (it stays, and is tried again).
    pub refused: Option<String>,
}

/// The outbox file of one till.
pub struct Outbox {
    conn: SqliteConnection,
    path: PathBuf,
}

/// Where a till keeps the outbox of the shop at `server` (its shown address) when none is
/// given: the OS data folder, one file per server and shop.
pub fn default_path(server: &str) -> PathBuf {
    let name: String = server
        .trim_start_matches("postgres://")
        .trim_start_matches("postgresql://")
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    let dir = super::default_db_path()
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default();
    dir.join("outbox").join(format!("{name}.sqlite"))
}

impl Outbox {
    /// Opens (or creates) the outbox at `path`.
    pub fn open(path: &Path) -> Result<Outbox, StoreError> {
        let shown = || path.display().to_string();
        if let Some(dir) = path.parent() {
            crate::platform::files::create_private_dir(dir).map_err(|e| StoreError::Open {
                path: shown(),
                reason: e.to_string(),
            })?;
        }
        let mut conn =
            SqliteConnection::establish(&path.to_string_lossy()).map_err(|e| StoreError::Open {
                path: shown(),
                reason: e.to_string(),
            })?;
        conn.batch_execute(
            "PRAGMA busy_timeout = 10000;
             PRAGMA journal_mode = WAL;
             PRAGMA synchronous = FULL;
             CREATE TABLE IF NOT EXISTS outbox_sales (
                 seq INTEGER PRIMARY KEY AUTOINCREMENT,
                 idempotency_key TEXT NOT NULL UNIQUE,
                 client_id INTEGER,
                 nasiya INTEGER NOT NULL CHECK (nasiya >= 0),
                 body TEXT NOT NULL,
                 refused TEXT
             );",
        )?;
        // The shop's sales: this user's only (by path, as for the database).
        crate::platform::files::restrict(path);
        Ok(Outbox {
            conn,
            path: path.to_path_buf(),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Keeps a sale; a key already kept is not kept twice (false).
    pub fn keep(
        &mut self,
        key: &str,
        client_id: Option<i32>,
        nasiya: i64,
        body: &str,
    ) -> Result<bool, StoreError> {
        let n = diesel::insert_into(outbox_sales::table)
            .values((
                outbox_sales::idempotency_key.eq(key),
                outbox_sales::client_id.eq(client_id),
                outbox_sales::nasiya.eq(nasiya),
                outbox_sales::body.eq(body),
            ))
            .on_conflict(outbox_sales::idempotency_key)
            .do_nothing()
            .execute(&mut self.conn)?;
        Ok(n == 1)
    }

    /// The sales waiting, oldest first.
    pub fn waiting(&mut self) -> Result<Vec<Waiting>, StoreError> {
        Ok(outbox_sales::table
            .order(outbox_sales::seq)
            .load(&mut self.conn)?)
    }

    /// How many sales wait, and how many of them the server refused at the last try.
    pub fn count(&mut self) -> Result<(i64, i64), StoreError> {
        let all: i64 = outbox_sales::table.count().get_result(&mut self.conn)?;
        let refused: i64 = outbox_sales::table
            .filter(outbox_sales::refused.is_not_null())
            .count()
            .get_result(&mut self.conn)?;
        Ok((all, refused))
    }

    /// The nasiya of the sales waiting for `client_id`, in tiyin.
    pub fn nasiya_waiting(&mut self, client_id: i32) -> Result<i64, StoreError> {
        let amounts: Vec<i64> = outbox_sales::table
            .filter(outbox_sales::client_id.eq(client_id))
            .select(outbox_sales::nasiya)
            .load(&mut self.conn)?;
        Ok(amounts.into_iter().fold(0i64, i64::saturating_add))
    }

    /// The server has the sale: it leaves the outbox.
    pub fn sent(&mut self, seq: i64) -> Result<(), StoreError> {
        diesel::delete(outbox_sales::table.find(seq)).execute(&mut self.conn)?;
        Ok(())
    }

    /// The server refused the sale (`reason`): it stays, and is tried again.
    pub fn refused(&mut self, seq: i64, reason: &str) -> Result<(), StoreError> {
        diesel::update(outbox_sales::table.find(seq))
            .set(outbox_sales::refused.eq(reason))
            .execute(&mut self.conn)?;
        Ok(())
    }
}

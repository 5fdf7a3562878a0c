//! The audit log: one row per important action, written in the same transaction as the
//! action itself, with the state before and after as JSON.

use crate::store::db::prelude::*;
use chrono::NaiveDateTime;
use serde_json::Value;

use super::{Actor, App, AppResult, Session};
use crate::domain::Action;
use crate::store::models::{AuditRow, NewAuditRow};
use crate::store::schema::audit_logs;

/// Writes one audit row, chained onto the last row in the same transaction: its hash is
/// computed here, from the row as stored and the hash of the row before it. A row that is
/// found later without a hash is reported as broken by [`verify_chain`], never sealed.
#[allow(clippy::too_many_arguments)]
pub(crate) fn record(
    conn: &mut Db,
    actor: &Actor,
    now: NaiveDateTime,
    action: &str,
    entity: &str,
    entity_id: Option<i64>,
    before: Option<Value>,
    after: Option<Value>,
) -> AppResult<()> {
    let prev: String = audit_logs::table
        .order(audit_logs::id.desc())
        .select(audit_logs::hash)
        .first(conn)
        .optional()?
        .unwrap_or_default();
    let id: i32 = diesel::insert_into(audit_logs::table)
        .values(NewAuditRow {
            employee_id: actor.id,
            actor: &actor.name,
            action,
            entity,
            entity_id,
            before_json: before.map(|v| v.to_string()),
            after_json: after.map(|v| v.to_string()),
            created_at: now,
        })
        .returning(audit_logs::id)
        .get_result(conn)?;
    let row: AuditRow = audit_logs::table
        .find(id)
        .select(columns_of::<AuditRow>())
        .first(conn)?;
    let hash = row_hash(&prev, &row);
    diesel::update(audit_logs::table.find(id))
        .set((audit_logs::prev_hash.eq(&prev), audit_logs::hash.eq(&hash)))
        .execute(conn)?;
    Ok(())
}

/// The hash of a row: sha256 over its fields and the previous row's hash, as a JSON array
/// (so no choice of separator can make two different rows hash alike).
pub fn row_hash(prev: &str, r: &AuditRow) -> String {
    row_hash_at(prev, r, &time_text(r.created_at))
}

/// An audit row's time as its hash takes it.
pub fn time_text(t: NaiveDateTime) -> String {
    t.format("%Y-%m-%d %H:%M:%S%.f").to_string()
}

/// [`row_hash`] with the row's time as `time` (the exact text kept in `audit_log_times` for a
/// row copied to an engine that keeps fewer digits).
pub fn row_hash_at(prev: &str, r: &AuditRow, time: &str) -> String {
    use sha2::{Digest, Sha256};
    let canonical = serde_json::json!([
        prev,
        r.id,
        r.employee_id,
        r.actor,
        r.action,
        r.entity,
        r.entity_id,
        r.before_json,
        r.after_json,
        time,
    ])
    .to_string();
    let digest = Sha256::digest(canonical.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// A point of the chain written down outside the database (on a Z report, in a backup):
/// how many rows the log had and the first 12 hex digits of the last row's hash. Proving it
/// later against the file detects rows removed from the end and a chain rebuilt after it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Anchor {
    pub count: i64,
    pub hash: String,
}

/// How many hex digits of the head hash an anchor carries.
pub const ANCHOR_HEX: usize = 12;

impl std::fmt::Display for Anchor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.count, self.hash)
    }
}

impl Anchor {
    /// Reads "COUNT:HASH" (the hash at least 8 hex digits).
    pub fn parse(s: &str) -> Option<Anchor> {
        let (count, hash) = s.trim().split_once(':')?;
        let count: i64 = count.trim().parse().ok().filter(|c| *c >= 0)?;
        let hash = hash.trim().to_ascii_lowercase();
        if hash.len() < 8 || hash.len() > 64 || !hash.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        Some(Anchor { count, hash })
    }
}

/// The chain head now: row count and the last row's hash.
pub(crate) fn head(conn: &mut Db) -> AppResult<Anchor> {
    let count: i64 = audit_logs::table.count().get_result(conn)?;
    let hash: String = audit_logs::table
        .order(audit_logs::id.desc())
        .select(audit_logs::hash)
        .first(conn)
        .optional()?
        .unwrap_or_default();
    Ok(Anchor {
        count,
        hash: hash.chars().take(ANCHOR_HEX).collect(),
    })
}

/// Why the chain is broken at a row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BrokenRow {
    pub id: i32,
    pub reason: &'static str,
}

/// Walks the whole log and reports the first row whose hash does not follow from the rows
/// before it (edited, inserted or deleted rows all break it). `None`: intact.
pub fn verify_chain(conn: &mut Db) -> AppResult<(Option<BrokenRow>, i64)> {
    verify_chain_to(conn, None).map(|(b, n, _)| (b, n))
}

/// What proving an anchor found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AnchorCheck {
    /// The anchor's row is in the log with that hash.
    Holds,
    /// The log has fewer rows than the anchor counted: rows were removed from the end.
    Truncated { rows: i64 },
    /// The anchor's row has another hash: the chain was rebuilt after (or before) it.
    Differs { id: i32 },
}

/// [`verify_chain`], and where `anchor` is given, whether its row is still there with its
/// hash.
pub fn verify_chain_to(
    conn: &mut Db,
    anchor: Option<&Anchor>,
) -> AppResult<(Option<BrokenRow>, i64, Option<AnchorCheck>)> {
    let mut found: Option<AnchorCheck> = match anchor {
        Some(a) if a.count == 0 => Some(AnchorCheck::Holds),
        _ => None,
    };
    let (broken, checked) = walk(conn, |n, r| {
        if let Some(a) = anchor
            && n == a.count
        {
            found = Some(if r.hash.starts_with(&a.hash) {
                AnchorCheck::Holds
            } else {
                AnchorCheck::Differs { id: r.id }
            });
        }
    })?;
    if anchor.is_some() && found.is_none() && broken.is_none() {
        found = Some(AnchorCheck::Truncated { rows: checked });
    }
    Ok((broken, checked, found))
}

/// One page of the log after `$after` in id order, each row with its exact time text if
/// `audit_log_times` has one: the same query on either engine's connection.
macro_rules! audit_page {
    ($conn:expr, $after:expr) => {
        crate::store::schema::audit_logs::table
            .left_join(crate::store::schema::audit_log_times::table)
            .filter(crate::store::schema::audit_logs::id.gt($after))
            .order(crate::store::schema::audit_logs::id)
            .limit(10_000)
            .select((
                crate::store::db::columns_of::<crate::store::models::AuditRow>(),
                crate::store::schema::audit_log_times::created_at.nullable(),
            ))
            .load::<(crate::store::models::AuditRow, Option<String>)>($conn)
    };
}
// For app::server (not on Windows), which reads the log on PostgreSQL.
pub(crate) use audit_page;

/// Checks the chain row by row, whatever engine the rows come from: each row must be
/// sealed, follow the row before it and hash to what it says.
#[derive(Default)]
pub(crate) struct ChainCheck {
    prev: String,
    pub(crate) last_id: i32,
    pub(crate) checked: i64,
}

impl ChainCheck {
    /// The next row (with its exact time text, if kept apart); the first broken row's reason.
    pub(crate) fn feed(&mut self, r: &AuditRow, exact_time: Option<&str>) -> Result<(), BrokenRow> {
        let broken = |reason| BrokenRow { id: r.id, reason };
        if r.hash.is_empty() {
            return Err(broken("not sealed"));
        }
        if r.prev_hash != self.prev {
            return Err(broken(
                "does not follow the row before it (a row was removed or inserted)",
            ));
        }
        let hash = match exact_time {
            Some(t) => row_hash_at(&self.prev, r, t),
            None => row_hash(&self.prev, r),
        };
        if hash != r.hash {
            return Err(broken("its content was changed"));
        }
        self.checked += 1;
        self.prev = r.hash.clone();
        self.last_id = r.id;
        Ok(())
    }
}

/// Walks the log in id order, calling `seen` with the 1-based position of each sound row.
fn walk(
    conn: &mut Db,
    mut seen: impl FnMut(i64, &AuditRow),
) -> AppResult<(Option<BrokenRow>, i64)> {
    let mut check = ChainCheck::default();
    loop {
        let rows = audit_page!(conn, check.last_id)?;
        if rows.is_empty() {
            return Ok((None, check.checked));
        }
        for (r, exact) in rows {
            if let Err(b) = check.feed(&r, exact.as_deref()) {
                return Ok((Some(b), check.checked));
            }
            seen(check.checked, &r);
        }
    }
}

#[derive(Clone, Debug, Default)]
pub struct AuditFilter {
    pub employee_id: Option<i32>,
    /// Actions starting with this text ("sale", "product.update", ...).
    pub action_prefix: Option<String>,
    /// Only these actions (the Audit tab's choice by name), when given.
    pub actions: Option<Vec<String>>,
    pub from: Option<NaiveDateTime>,
    pub to: Option<NaiveDateTime>,
    pub limit: i64,
    pub offset: i64,
}

pub type AuditRecord = AuditRow;

impl App {
    /// Checks the audit log's hash chain (`kassa audit verify`): the first broken row, if
    /// any, and how many rows were checked before it.
    pub fn verify_audit(&mut self) -> AppResult<(Option<BrokenRow>, i64)> {
        verify_chain(&mut self.conn)
    }

    /// `kassa audit verify --anchor COUNT:HASH`: the chain, and whether the anchor holds.
    pub fn verify_audit_anchor(
        &mut self,
        anchor: &Anchor,
    ) -> AppResult<(Option<BrokenRow>, i64, Option<AnchorCheck>)> {
        verify_chain_to(&mut self.conn, Some(anchor))
    }

    /// The chain head now (printed on Z reports, recorded with backups).
    pub fn audit_anchor(&mut self) -> AppResult<Anchor> {
        head(&mut self.conn)
    }

    /// The audit log, newest first (manager and admin).
    pub fn audit_log(
        &mut self,
        session: &Session,
        filter: &AuditFilter,
    ) -> AppResult<Vec<AuditRecord>> {
        self.read(session, Some(Action::ViewAudit), |conn, _| {
            crate::on_db!(conn, conn => {
            let mut q = audit_logs::table.into_boxed();
            if let Some(id) = filter.employee_id {
                q = q.filter(audit_logs::employee_id.eq(id));
            }
            if let Some(prefix) = &filter.action_prefix {
                let escaped = prefix
                    .replace('\\', "\\\\")
                    .replace('%', "\\%")
                    .replace('_', "\\_");
                q = q.filter(audit_logs::action.like(format!("{escaped}%")).escape('\\'));
            }
            if let Some(actions) = &filter.actions {
                q = q.filter(audit_logs::action.eq_any(actions));
            }
            if let Some(from) = filter.from {
                q = q.filter(audit_logs::created_at.ge(from));
            }
            if let Some(to) = filter.to {
                q = q.filter(audit_logs::created_at.lt(to));
            }
            let limit = if filter.limit <= 0 {
                200
            } else {
                filter.limit.min(10_000)
            };
            Ok(q.order(audit_logs::id.desc())
                .limit(limit)
                .offset(filter.offset.max(0))
                .select(columns_of::<AuditRow>())
                .load(conn)?)
            })
        })
    }
}

//! The audit log: one row per important action, written in the same transaction as the
//! action itself, with the state before and after as JSON.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::sqlite::SqliteConnection;
use serde_json::Value;

use super::{Actor, App, AppResult, Session};
use crate::domain::Action;
use crate::store::models::{AuditRow, NewAuditRow};
use crate::store::schema::audit_logs;

/// Writes one audit row.
#[allow(clippy::too_many_arguments)]
pub(crate) fn record(
    conn: &mut SqliteConnection,
    actor: &Actor,
    now: NaiveDateTime,
    action: &str,
    entity: &str,
    entity_id: Option<i64>,
    before: Option<Value>,
    after: Option<Value>,
) -> AppResult<()> {
    diesel::insert_into(audit_logs::table)
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
        .execute(conn)?;
    seal_pending(conn)
}

/// The hash of a row: sha256 over its fields and the previous row's hash, as a JSON array
/// (so no choice of separator can make two different rows hash alike).
pub fn row_hash(prev: &str, r: &AuditRow) -> String {
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
        r.created_at.format("%Y-%m-%d %H:%M:%S%.f").to_string(),
    ])
    .to_string();
    let digest = Sha256::digest(canonical.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// Chains every row not yet sealed onto the last sealed one, in id order. Called in the
/// transaction that writes a row, and at start-up for rows older than the chain.
pub(crate) fn seal_pending(conn: &mut SqliteConnection) -> AppResult<()> {
    let mut prev: String = audit_logs::table
        .filter(audit_logs::hash.ne(""))
        .order(audit_logs::id.desc())
        .select(audit_logs::hash)
        .first(conn)
        .optional()?
        .unwrap_or_default();
    let pending: Vec<AuditRow> = audit_logs::table
        .filter(audit_logs::hash.eq(""))
        .order(audit_logs::id)
        .select(AuditRow::as_select())
        .load(conn)?;
    for r in pending {
        let hash = row_hash(&prev, &r);
        diesel::update(audit_logs::table.find(r.id))
            .set((audit_logs::prev_hash.eq(&prev), audit_logs::hash.eq(&hash)))
            .execute(conn)?;
        prev = hash;
    }
    Ok(())
}

/// Why the chain is broken at a row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BrokenRow {
    pub id: i32,
    pub reason: &'static str,
}

/// Walks the whole log and reports the first row whose hash does not follow from the rows
/// before it (edited, inserted or deleted rows all break it). `None`: intact.
pub fn verify_chain(conn: &mut SqliteConnection) -> AppResult<(Option<BrokenRow>, i64)> {
    let mut prev = String::new();
    let mut last_id = 0;
    let mut checked = 0i64;
    loop {
        let rows: Vec<AuditRow> = audit_logs::table
            .filter(audit_logs::id.gt(last_id))
            .order(audit_logs::id)
            .limit(10_000)
            .select(AuditRow::as_select())
            .load(conn)?;
        if rows.is_empty() {
            return Ok((None, checked));
        }
        for r in rows {
            if r.hash.is_empty() {
                return Ok((
                    Some(BrokenRow {
                        id: r.id,
                        reason: "not sealed",
                    }),
                    checked,
                ));
            }
            if r.prev_hash != prev {
                return Ok((
                    Some(BrokenRow {
                        id: r.id,
                        reason: "does not follow the row before it (a row was removed or inserted)",
                    }),
                    checked,
                ));
            }
            if row_hash(&prev, &r) != r.hash {
                return Ok((
                    Some(BrokenRow {
                        id: r.id,
                        reason: "its content was changed",
                    }),
                    checked,
                ));
            }
            prev = r.hash;
            last_id = r.id;
            checked += 1;
        }
    }
}

#[derive(Clone, Debug, Default)]
pub struct AuditFilter {
    pub employee_id: Option<i32>,
    /// Actions starting with this text ("sale", "product.update", ...).
    pub action_prefix: Option<String>,
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

    /// The audit log, newest first (manager and admin).
    pub fn audit_log(
        &mut self,
        session: &Session,
        filter: &AuditFilter,
    ) -> AppResult<Vec<AuditRecord>> {
        self.read(session, Some(Action::ViewAudit), |conn, _| {
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
                .select(AuditRow::as_select())
                .load(conn)?)
        })
    }
}

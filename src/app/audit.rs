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
    Ok(())
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

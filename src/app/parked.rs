//! Parked sales: a cashier puts the current cart aside (to serve someone else first) and
//! resumes it later. Parked carts live in the database, so closing the program loses none.
//! The live cart — the one being filled at the till — is saved there too as it changes
//! (`live_carts`, one per employee), so a crash or a power cut loses no scan: the till
//! restores it at the next log-in; the sale that sells it removes it in its own
//! transaction, so a sold cart never comes back.

use crate::store::db::prelude::*;
use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::{App, AppError, AppResult, Session, audit, optional_text};
use crate::domain::Action;
use crate::domain::cart::Discount;
use crate::store::schema::{live_carts, parked_carts};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParkedLine {
    pub product_id: i32,
    /// Thousandths.
    pub quantity: i64,
    pub discount: Discount,
}

/// What is kept of a parked cart: enough to rebuild it from the catalog.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParkedCart {
    pub lines: Vec<ParkedLine>,
    pub sale_discount: Discount,
}

/// A cart as stored (parked or live).
fn payload(cart: &ParkedCart) -> AppResult<String> {
    serde_json::to_string(cart).map_err(|e| AppError::invalid("cart", e.to_string()))
}

/// Removes an employee's live cart (it was sold or parked).
pub(crate) fn forget_live_cart(
    conn: &mut crate::store::db::Db,
    employee: Option<i32>,
) -> AppResult<()> {
    if let Some(id) = employee {
        diesel::delete(live_carts::table.find(id)).execute(conn)?;
    }
    Ok(())
}

impl App {
    /// Saves the caller's cart as it is now on the till (`None` or no lines: there is none).
    /// Not audited: it is a draft; the sale, the park and the audit log see what it becomes.
    pub fn save_live_cart(
        &mut self,
        session: &Session,
        cart: Option<&ParkedCart>,
        total: i64,
    ) -> AppResult<()> {
        let payload = cart
            .filter(|c| !c.lines.is_empty())
            .map(payload)
            .transpose()?;
        self.write(session, Action::Sell, |conn, actor, now| {
            let Some(payload) = payload else {
                return forget_live_cart(conn, actor.id);
            };
            let me = actor.id.ok_or(AppError::SessionGone)?;
            diesel::insert_into(live_carts::table)
                .values((
                    live_carts::employee_id.eq(me),
                    live_carts::payload.eq(&payload),
                    live_carts::total.eq(total),
                    live_carts::updated_at.eq(now),
                ))
                .on_conflict(live_carts::employee_id)
                .do_update()
                .set((
                    live_carts::payload.eq(&payload),
                    live_carts::total.eq(total),
                    live_carts::updated_at.eq(now),
                ))
                .execute(conn)?;
            Ok(())
        })
    }

    /// The caller's cart as last saved on a till, if one was left unsold.
    pub fn live_cart(&mut self, session: &Session) -> AppResult<Option<ParkedCart>> {
        self.read(session, Some(Action::Sell), |conn, actor| {
            let payload: Option<String> = live_carts::table
                .find(actor.id.unwrap_or_default())
                .select(live_carts::payload)
                .first(conn)
                .optional()?;
            Ok(payload.and_then(|p| serde_json::from_str(&p).ok()))
        })
    }

    /// Parks a cart (the caller's). Returns its id.
    pub fn park_cart(
        &mut self,
        session: &Session,
        label: &str,
        total: i64,
        cart: &ParkedCart,
    ) -> AppResult<i32> {
        if cart.lines.is_empty() {
            return Err(AppError::EmptySale);
        }
        let label = optional_text("label", label, 100)?;
        let payload = payload(cart)?;
        self.write(session, Action::Sell, |conn, actor, now| {
            forget_live_cart(conn, actor.id)?;
            let id: i32 = diesel::insert_into(parked_carts::table)
                .values((
                    parked_carts::employee_id.eq(actor.id.unwrap_or_default()),
                    parked_carts::label.eq(&label),
                    parked_carts::total.eq(total),
                    parked_carts::payload.eq(&payload),
                    parked_carts::created_at.eq(now),
                ))
                .returning(parked_carts::id)
                .get_result(conn)?;
            audit::record(
                conn,
                actor,
                now,
                "cart.park",
                "parked_cart",
                Some(id.into()),
                None,
                Some(json!({ "lines": cart.lines.len(), "total": total })),
            )?;
            Ok(id)
        })
    }

    /// The caller's parked carts, oldest first.
    pub fn parked_carts(
        &mut self,
        session: &Session,
    ) -> AppResult<Vec<(i32, String, i64, NaiveDateTime)>> {
        self.read(session, Some(Action::Sell), |conn, actor| {
            Ok(parked_carts::table
                .filter(parked_carts::employee_id.eq(actor.id.unwrap_or_default()))
                .order(parked_carts::id)
                .select((
                    parked_carts::id,
                    parked_carts::label,
                    parked_carts::total,
                    parked_carts::created_at,
                ))
                .load(conn)?)
        })
    }

    /// Takes a parked cart back (it leaves the parked list).
    pub fn resume_parked_cart(&mut self, session: &Session, id: i32) -> AppResult<ParkedCart> {
        self.write(session, Action::Sell, |conn, actor, now| {
            let payload: String = parked_carts::table
                .find(id)
                .filter(parked_carts::employee_id.eq(actor.id.unwrap_or_default()))
                .select(parked_carts::payload)
                .first(conn)
                .optional()?
                .ok_or(AppError::not_found("parked sale", id))?;
            let cart: ParkedCart = serde_json::from_str(&payload)
                .map_err(|e| AppError::invalid("parked sale", e.to_string()))?;
            diesel::delete(parked_carts::table.find(id)).execute(conn)?;
            audit::record(
                conn,
                actor,
                now,
                "cart.resume",
                "parked_cart",
                Some(id.into()),
                None,
                None,
            )?;
            Ok(cart)
        })
    }
}

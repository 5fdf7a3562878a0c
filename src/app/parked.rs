//! Parked sales: a cashier puts the current cart aside (to serve someone else first) and
//! resumes it later. Parked carts live in the database, so closing the program loses none.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::{App, AppError, AppResult, Session, audit, optional_text};
use crate::domain::Action;
use crate::domain::cart::Discount;
use crate::store::schema::parked_carts;

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

impl App {
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
        let payload =
            serde_json::to_string(cart).map_err(|e| AppError::invalid("cart", e.to_string()))?;
        self.write(session, Action::Sell, |conn, actor, now| {
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

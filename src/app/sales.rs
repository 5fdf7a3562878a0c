//! Selling and refunding.
//!
//! A sale is committed whole or not at all: stock is checked and moved, tenders and the
//! customer's credit are written, in one transaction. Prices and costs come from the
//! database, not from the caller; the caller's total is only compared. An idempotency key
//! makes a retried checkout return the sale it already made instead of selling twice.

use chrono::NaiveDate;
use diesel::prelude::*;
use serde::Serialize;
use serde_json::json;

use super::catalog::{load_product, move_stock};
use super::printing;
use super::shifts::open_shift_of;
use super::{App, AppError, AppResult, Session, audit, optional_text};
use crate::domain::cart::{Cart, CartLine, Discount};
use crate::domain::payment::{PaymentMethod, TenderInput, settle};
use crate::domain::quantity::{QTY_SCALE, Quantity, Unit};
use crate::domain::rounding::div_round;
use crate::domain::{Action, CartError, Money, debt, permissions};
use crate::store::models::{NewLedgerRow, NewSale, NewSaleItem, Sale, SaleItem, SalePayment};
use crate::store::schema::{client_ledger, clients, products, sale_items, sale_payments, sales};

#[derive(Clone, Debug)]
pub struct SaleLineInput {
    pub product_id: i32,
    pub quantity: Quantity,
    pub discount: Discount,
}

#[derive(Clone, Debug)]
pub struct SaleRequest {
    /// Made by the till once per checkout (e.g. a UUID); a retry sends the same key.
    pub idempotency_key: String,
    pub lines: Vec<SaleLineInput>,
    pub sale_discount: Discount,
    pub tenders: Vec<TenderInput>,
    pub client_id: Option<i32>,
    /// Required when part of the sale is on nasiya.
    pub due_date: Option<NaiveDate>,
    /// The total the cashier saw; a sale whose total is now different is refused.
    pub expected_total: Option<Money>,
}

/// What a committed sale tells the till.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct SaleReceipt {
    pub sale_id: i32,
    pub subtotal: i64,
    pub discount: i64,
    pub total: i64,
    pub change: i64,
    /// True when the key had already been used: nothing new was written.
    pub duplicate: bool,
}

/// A sale with its lines and tenders.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct SaleDetail {
    pub sale: Sale,
    pub items: Vec<SaleItem>,
    pub payments: Vec<SalePayment>,
}

fn receipt_of(
    conn: &mut diesel::SqliteConnection,
    sale: &Sale,
    duplicate: bool,
) -> AppResult<SaleReceipt> {
    let change: i64 = sale_payments::table
        .filter(sale_payments::sale_id.eq(sale.id))
        .select(crate::store::sum_i64(sale_payments::change_given))
        .first::<Option<i64>>(conn)?
        .unwrap_or(0);
    Ok(SaleReceipt {
        sale_id: sale.id,
        subtotal: sale.subtotal,
        discount: sale.discount,
        total: sale.total,
        change,
        duplicate,
    })
}

impl App {
    /// Sells. Needs an open shift; refuses unknown or archived products, bad quantities,
    /// short stock, discounts the role may not give, tenders that do not cover the total,
    /// and nasiya without a customer and due date. Changes nothing when it refuses.
    pub fn sell(&mut self, session: &Session, req: &SaleRequest) -> AppResult<SaleReceipt> {
        self.sell_approved(session, req, None)
    }

    /// [`App::sell`], with nasiya beyond the customer's credit limit approved on the spot by
    /// `approver` (a manager or admin who logged in with their own password at the till).
    /// The approval is audited with both names.
    pub fn sell_approved(
        &mut self,
        session: &Session,
        req: &SaleRequest,
        approver: Option<&Session>,
    ) -> AppResult<SaleReceipt> {
        let key = req.idempotency_key.trim();
        if key.is_empty() || key.len() > 64 {
            return Err(AppError::invalid(
                "idempotency_key",
                "must be 1 to 64 characters",
            ));
        }
        let tz = self.time_zone();
        let today = debt::local_date(self.now(), tz);
        self.write(session, Action::Sell, |conn, actor, now| {
            if let Some(existing) = sales::table
                .filter(sales::idempotency_key.eq(key))
                .select(Sale::as_select())
                .first(conn)
                .optional()?
            {
                return receipt_of(conn, &existing, true);
            }
            let me = actor.id.ok_or(AppError::SessionGone)?;
            let shift = open_shift_of(conn, me)?.ok_or(AppError::NoOpenShift)?;
            if req.lines.is_empty() {
                return Err(AppError::EmptySale);
            }
            let any_discount = !req.sale_discount.is_none() || req.lines.iter().any(|l| !l.discount.is_none());
            if any_discount && !permissions::allows(actor.role, Action::GiveDiscount) {
                return Err(AppError::Forbidden { role: actor.role, action: Action::GiveDiscount });
            }

            let mut cart = Cart::new();
            for line in &req.lines {
                let p = load_product(conn, line.product_id)?;
                if p.archived {
                    return Err(AppError::Archived(p.name));
                }
                let idx = cart.add(CartLine {
                    product_id: p.id,
                    name: p.name.into(),
                    unit: Unit::parse(&p.unit).unwrap_or(Unit::Piece),
                    unit_price: Money(p.sale_price),
                    unit_cost: Money(p.purchase_price),
                    quantity: line.quantity,
                    discount: Discount::None,
                })?;
                if !line.discount.is_none() {
                    cart.set_line_discount(idx, line.discount)?;
                }
            }
            cart.set_sale_discount(req.sale_discount)?;
            let (totals, amounts) = cart.line_amounts()?;
            if let Some(expected) = req.expected_total
                && expected != totals.total
            {
                return Err(AppError::PriceChanged { expected, actual: totals.total });
            }
            let settlement = settle(totals.total, &req.tenders)?;
            let nasiya = settlement.amount_by(PaymentMethod::Nasiya);

            if let Some(client_id) = req.client_id {
                let live: i64 = clients::table
                    .find(client_id)
                    .filter(clients::deleted_at.is_null())
                    .count()
                    .get_result(conn)?;
                if live == 0 {
                    return Err(AppError::not_found("customer", client_id));
                }
            }
            if nasiya.is_positive() {
                match (req.client_id, req.due_date) {
                    (Some(_), Some(due)) if due >= today => {}
                    _ => return Err(AppError::NasiyaNeedsClient),
                }
            }
            // The credit limit: the debt after this sale may not pass it without a manager.
            let mut over_limit = None;
            if nasiya.is_positive()
                && let Some(client_id) = req.client_id
                && let Some(limit) = super::clients::credit_limit_of(conn, client_id)?
            {
                let debt = (-super::clients::balance_of(conn, client_id)?).max(0);
                if debt.saturating_add(nasiya.0) > limit {
                    let Some(approver) = approver else {
                        return Err(AppError::CreditLimit {
                            limit: Money(limit),
                            debt: Money(debt),
                        });
                    };
                    let by = super::load_actor(conn, approver, Some(Action::CreditOverLimit))?;
                    over_limit = Some(json!({
                        "approved_by": by.name,
                        "cashier": actor.name,
                        "client_id": client_id,
                        "limit": limit,
                        "debt_before": debt,
                        "nasiya": nasiya.0,
                    }));
                }
            }

            for line in cart.lines() {
                let stock: i64 = products::table.find(line.product_id).select(products::stock).first(conn)?;
                if stock < line.quantity.0 {
                    return Err(AppError::InsufficientStock {
                        product: line.name.to_string(),
                        available: Quantity(stock),
                        requested: line.quantity,
                    });
                }
            }

            let due_date = if nasiya.is_positive() { req.due_date } else { None };
            let sale: Sale = diesel::insert_into(sales::table)
                .values(NewSale {
                    idempotency_key: key,
                    shift_id: shift.id,
                    employee_id: me,
                    client_id: req.client_id,
                    subtotal: totals.subtotal.0,
                    discount: totals.discount().0,
                    total: totals.total.0,
                    due_date,
                    created_at: now,
                })
                .returning(Sale::as_returning())
                .get_result(conn)?;

            let mut items = Vec::with_capacity(cart.lines().len());
            for (line, a) in cart.lines().iter().zip(&amounts) {
                let cost_total = div_round(
                    i128::from(line.unit_cost.0) * i128::from(line.quantity.0),
                    i128::from(QTY_SCALE),
                )
                .ok_or(CartError::Overflow)?;
                items.push(NewSaleItem {
                    sale_id: sale.id,
                    sold_at: now,
                    product_id: line.product_id,
                    product_name: &line.name,
                    quantity: line.quantity.0,
                    unit_price: line.unit_price.0,
                    unit_cost: line.unit_cost.0,
                    cost_total,
                    gross: a.gross.0,
                    line_discount: a.line_discount.0,
                    sale_discount_share: a.sale_discount_share.0,
                    line_total: a.total.0,
                });
            }
            diesel::insert_into(sale_items::table).values(&items).execute(conn)?;
            for line in cart.lines() {
                move_stock(conn, line.product_id, "sale", -line.quantity.0, Some(sale.id), None, Some(me), "", now)?;
            }
            for t in &settlement.tenders {
                diesel::insert_into(sale_payments::table)
                    .values((
                        sale_payments::sale_id.eq(sale.id),
                        sale_payments::method.eq(t.method.as_str()),
                        sale_payments::amount.eq(t.amount.0),
                        sale_payments::tendered.eq(t.tendered.0),
                        sale_payments::change_given.eq(t.change.0),
                    ))
                    .execute(conn)?;
            }
            if nasiya.is_positive()
                && let Some(client_id) = req.client_id
            {
                diesel::insert_into(client_ledger::table)
                    .values(NewLedgerRow {
                        client_id,
                        kind: "credit_sale",
                        amount: -nasiya.0,
                        method: None,
                        sale_id: Some(sale.id),
                        shift_id: Some(shift.id),
                        due_date,
                        employee_id: Some(me),
                        note: "",
                        created_at: now,
                    })
                    .execute(conn)?;
                super::telegram::queue_credit_sale(conn, client_id, nasiya.0, due_date, now)?;
            }
            let tenders: Vec<_> = settlement
                .tenders
                .iter()
                .map(|t| json!({ "method": t.method.as_str(), "amount": t.amount.0, "tendered": t.tendered.0 }))
                .collect();
            audit::record(conn, actor, now, "sale.create", "sale", Some(sale.id.into()), None,
                Some(json!({ "total": sale.total, "lines": items.len(), "client_id": req.client_id, "tenders": tenders })))?;
            if let Some(approval) = over_limit {
                audit::record(conn, actor, now, "sale.credit_over_limit", "sale", Some(sale.id.into()), None, Some(approval))?;
            }
            printing::queue_receipt(conn, sale.id, now)?;
            Ok(SaleReceipt {
                sale_id: sale.id,
                subtotal: sale.subtotal,
                discount: sale.discount,
                total: sale.total,
                change: settlement.change.0,
                duplicate: false,
            })
        })
    }

    /// Refunds a whole sale (manager, admin): the goods go back to stock, cash goes back out
    /// of the refunder's drawer (a sale with a cash part needs the refunder's open shift, so
    /// that the Z report accounts for it), a nasiya part lowers the customer's debt. The sale stays in history, marked refunded, and leaves the figures.
    pub fn refund_sale(&mut self, session: &Session, sale_id: i32, reason: &str) -> AppResult<()> {
        let reason = optional_text("reason", reason, 500)?;
        self.write(session, Action::Refund, |conn, actor, now| {
            let sale: Sale = sales::table
                .find(sale_id)
                .select(Sale::as_select())
                .first(conn)
                .optional()?
                .ok_or(AppError::not_found("sale", sale_id))?;
            if sale.refunded_at.is_some() {
                return Err(AppError::AlreadyRefunded);
            }
            let me = actor.id;
            let refund_shift = match me {
                Some(id) => open_shift_of(conn, id)?.map(|s| s.id),
                None => None,
            };
            let payments: Vec<SalePayment> = sale_payments::table
                .filter(sale_payments::sale_id.eq(sale_id))
                .select(SalePayment::as_select())
                .load(conn)?;
            if refund_shift.is_none() && payments.iter().any(|p| p.method == "cash" && p.amount > 0)
            {
                return Err(AppError::RefundNeedsShift);
            }
            let items: Vec<SaleItem> = sale_items::table
                .filter(sale_items::sale_id.eq(sale_id))
                .select(SaleItem::as_select())
                .load(conn)?;
            for item in &items {
                move_stock(
                    conn,
                    item.product_id,
                    "refund",
                    item.quantity,
                    Some(sale_id),
                    None,
                    me,
                    &reason,
                    now,
                )?;
            }
            for p in payments.iter().filter(|p| p.method == "nasiya") {
                if let Some(client_id) = sale.client_id {
                    diesel::insert_into(client_ledger::table)
                        .values(NewLedgerRow {
                            client_id,
                            kind: "refund",
                            amount: p.amount,
                            method: None,
                            sale_id: Some(sale_id),
                            shift_id: refund_shift,
                            due_date: None,
                            employee_id: me,
                            note: &reason,
                            created_at: now,
                        })
                        .execute(conn)?;
                }
            }
            diesel::update(sale_items::table.filter(sale_items::sale_id.eq(sale_id)))
                .set(sale_items::refunded.eq(true))
                .execute(conn)?;
            diesel::update(sales::table.find(sale_id))
                .set((
                    sales::refunded_at.eq(now),
                    sales::refunded_by.eq(me),
                    sales::refund_shift_id.eq(refund_shift),
                    sales::refund_reason.eq(&reason),
                ))
                .execute(conn)?;
            let back: Vec<_> = payments
                .iter()
                .map(|p| json!({ "method": p.method, "amount": p.amount }))
                .collect();
            audit::record(
                conn,
                actor,
                now,
                "sale.refund",
                "sale",
                Some(sale_id.into()),
                Some(json!({ "total": sale.total, "refunded": false })),
                Some(json!({ "refunded": true, "reason": reason, "money_back": back })),
            )?;
            Ok(())
        })
    }

    /// A sale with its lines and tenders: one's own sales for everybody, any sale for those
    /// who may refund.
    pub fn sale(&mut self, session: &Session, sale_id: i32) -> AppResult<SaleDetail> {
        self.read(session, Some(Action::Sell), |conn, actor| {
            let sale: Sale = sales::table
                .find(sale_id)
                .select(Sale::as_select())
                .first(conn)
                .optional()?
                .ok_or(AppError::not_found("sale", sale_id))?;
            if Some(sale.employee_id) != actor.id
                && !permissions::allows(actor.role, Action::Refund)
            {
                return Err(AppError::Forbidden {
                    role: actor.role,
                    action: Action::Refund,
                });
            }
            let items = sale_items::table
                .filter(sale_items::sale_id.eq(sale_id))
                .order(sale_items::id)
                .select(SaleItem::as_select())
                .load(conn)?;
            let payments = sale_payments::table
                .filter(sale_payments::sale_id.eq(sale_id))
                .order(sale_payments::id)
                .select(SalePayment::as_select())
                .load(conn)?;
            Ok(SaleDetail {
                sale,
                items,
                payments,
            })
        })
    }

    /// The caller's last sale (for "reprint last receipt").
    pub fn last_sale_id(&mut self, session: &Session) -> AppResult<Option<i32>> {
        self.read(session, Some(Action::Sell), |conn, actor| {
            Ok(sales::table
                .filter(sales::employee_id.eq(actor.id.unwrap_or_default()))
                .order(sales::id.desc())
                .select(sales::id)
                .first(conn)
                .optional()?)
        })
    }
}

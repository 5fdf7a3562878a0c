//! Selling and refunding.
//!
//! A sale is committed whole or not at all: stock is checked and moved, tenders and the
//! customer's credit are written, in one transaction. Prices and costs come from the
//! database, not from the caller; the caller's total is only compared. An idempotency key
//! makes a retried checkout return the sale it already made instead of selling twice.

use crate::store::db::prelude::*;
use chrono::{NaiveDate, NaiveDateTime};
use serde::Serialize;
use serde_json::json;

use super::catalog::{load_product, move_stock};
use super::printing;
use super::shifts::open_shift_of;
use super::{App, AppError, AppResult, Session, audit, optional_text};
use crate::domain::cart::{Cart, CartLine, Discount};
use crate::domain::payment::{PaymentMethod, Settlement, TenderInput, settle};
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
    /// The DataMatrix marking codes scanned for the pieces of a marked product (one per
    /// piece when a fiscal provider is set up).
    pub marking_codes: Vec<String>,
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
    /// Products this sale took below zero (only when `stock.allow_negative` is `yes`).
    pub went_negative: Vec<String>,
}

/// A sale with its lines and tenders.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct SaleDetail {
    pub sale: Sale,
    pub items: Vec<SaleItem>,
    pub payments: Vec<SalePayment>,
}

fn receipt_of(
    conn: &mut crate::store::db::Db,
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
        went_negative: Vec::new(),
    })
}

impl App {
    /// Sells. Needs an open shift; refuses unknown or archived products, bad quantities,
    /// short stock, discounts the role may not give, tenders that do not cover the total,
    /// and nasiya without a customer and due date. Changes nothing when it refuses.
    pub fn sell(&mut self, session: &Session, req: &SaleRequest) -> AppResult<SaleReceipt> {
        self.sell_approved(session, req, None)
    }

    /// [`App::sell`], with nasiya beyond the customer's credit limit, or a cashier's
    /// discount, approved on the spot by `approver` (a manager or admin who gave their own
    /// password at the till, [`App::approve`]). Each approval is audited with both names.
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
                .select(columns_of::<Sale>())
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
            // A cashier's discount needs a manager's approval given at the till.
            let discount_approved_by = if any_discount && !permissions::allows(actor.role, Action::GiveDiscount) {
                let Some(approver) = approver else {
                    return Err(AppError::Forbidden { role: actor.role, action: Action::GiveDiscount });
                };
                Some(super::load_actor(conn, approver, Some(Action::GiveDiscount))?.name)
            } else {
                None
            };

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
            // With a fiscal provider: every product has its class code, every marked piece
            // its marking code.
            let marking: Vec<(i32, String, i64, Vec<String>)> = cart
                .lines()
                .iter()
                .map(|l| {
                    let codes = req
                        .lines
                        .iter()
                        .filter(|r| r.product_id == l.product_id)
                        .flat_map(|r| r.marking_codes.iter().map(|c| c.trim().to_string()))
                        .collect();
                    (l.product_id, l.name.to_string(), l.quantity.0, codes)
                })
                .collect();
            super::fiscal::check_sale_lines(conn, &marking)?;
            let (totals, _) = cart.line_amounts()?;
            if let Some(expected) = req.expected_total
                && expected != totals.total
            {
                return Err(AppError::PriceChanged { expected, actual: totals.total });
            }
            // Every card tender names one of the shop's active non-cash methods.
            let mut tenders = req.tenders.clone();
            for t in tenders.iter_mut().filter(|t| t.method == PaymentMethod::Card) {
                t.channel = Some(super::payment_methods::resolve(conn, t.channel)?);
            }
            let settlement = settle(totals.total, &tenders)?;
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

            let allow_negative = super::settings::get(conn, super::settings::keys::ALLOW_NEGATIVE_STOCK)?
                .as_deref()
                == Some("yes");
            let mut went_negative: Vec<(String, i64, i64)> = Vec::new();
            for line in cart.lines() {
                let stock: i64 = products::table.find(line.product_id).select(products::stock).first(conn)?;
                if stock < line.quantity.0 && allow_negative {
                    went_negative.push((line.name.to_string(), stock, line.quantity.0));
                } else if stock < line.quantity.0 {
                    return Err(AppError::InsufficientStock {
                        product: line.name.to_string(),
                        available: Quantity(stock),
                        requested: line.quantity,
                    });
                }
            }

            let due_date = if nasiya.is_positive() { req.due_date } else { None };
            let mut also = Vec::new();
            if let Some(by) = discount_approved_by {
                also.push(("sale.discount_approved", json!({ "approved_by": by, "cashier": actor.name, "discount": totals.discount().0 })));
            }
            if let Some(approval) = over_limit {
                also.push(("sale.credit_over_limit", approval));
            }
            for (product, stock, sold) in &went_negative {
                also.push(("sale.negative_stock", json!({ "product": product, "stock_before": stock, "sold": sold })));
            }
            let sale = write_sale(conn, actor, now, Written {
                key,
                employee_id: me,
                shift_id: shift.id,
                client_id: req.client_id,
                sold_at: now,
                due_date,
                cart: &cart,
                settlement: &settlement,
                marking: &marking,
                also,
                offline: None,
            })?;
            // The cart on the till is sold: it must not come back after a crash.
            super::parked::forget_live_cart(conn, Some(me))?;
            Ok(SaleReceipt {
                sale_id: sale.id,
                subtotal: sale.subtotal,
                discount: sale.discount,
                total: sale.total,
                change: settlement.change.0,
                duplicate: false,
                went_negative: went_negative.into_iter().map(|(name, _, _)| name).collect(),
            })
        })
    }

    /// Refunds what is left of a sale (manager, admin): every line not yet refunded. See
    /// [`App::refund_lines`].
    pub fn refund_sale(
        &mut self,
        session: &Session,
        sale_id: i32,
        reason: &str,
    ) -> AppResult<RefundDone> {
        self.refund_with(session, sale_id, None, reason, None)
    }

    /// A refund of chosen lines (`None`: everything left), with the cash part paid back by
    /// the card method `cash_by` instead of the drawer (when the drawer cannot hold it, or
    /// the customer wants it on a card); `None`: cash from the refunder's drawer.
    pub fn refund_with(
        &mut self,
        session: &Session,
        sale_id: i32,
        lines: Option<&[RefundLine]>,
        reason: &str,
        cash_by: Option<i32>,
    ) -> AppResult<RefundDone> {
        let reason = optional_text("reason", reason, 500)?;
        self.write(session, Action::Refund, |conn, actor, now| {
            refund(conn, actor, now, sale_id, lines, &reason, cash_by)
        })
    }

    /// Refunds chosen quantities of a sale's lines (manager, admin): the goods go back to
    /// stock; the money goes back through the sale's tenders (nasiya first, lowering the
    /// customer's debt, then card, then cash out of the refunder's drawer: a refund paying
    /// cash needs the refunder's open shift, so that the Z report accounts for it). The
    /// refunded part of each line leaves every figure of the sale's period; once nothing is
    /// left the sale is marked refunded. A sale can be refunded in several steps.
    pub fn refund_lines(
        &mut self,
        session: &Session,
        sale_id: i32,
        lines: &[RefundLine],
        reason: &str,
    ) -> AppResult<RefundDone> {
        self.refund_with(session, sale_id, Some(lines), reason, None)
    }

    /// A sale with its lines and tenders: one's own sales for everybody, any sale for those
    /// who may refund.
    pub fn sale(&mut self, session: &Session, sale_id: i32) -> AppResult<SaleDetail> {
        self.read(session, Some(Action::Sell), |conn, actor| {
            let sale = super::receipt::load_sale(conn, sale_id)?;
            super::receipt::may_see(actor, &sale)?;
            let items = sale_items::table
                .filter(sale_items::sale_id.eq(sale_id))
                .order(sale_items::id)
                .select(columns_of::<SaleItem>())
                .load(conn)?;
            let payments = sale_payments::table
                .filter(sale_payments::sale_id.eq(sale_id))
                .order(sale_payments::id)
                .select(columns_of::<SalePayment>())
                .load(conn)?;
            Ok(SaleDetail {
                sale,
                items,
                payments,
            })
        })
    }

    /// The lines of a sale that can still be refunded, with their units (for the refund form).
    pub fn refundable_lines(
        &mut self,
        session: &Session,
        sale_id: i32,
    ) -> AppResult<Vec<RefundableLine>> {
        self.read(session, Some(Action::Refund), |conn, _| {
            let rows: Vec<(i32, String, i64, String, i64)> = sale_items::table
                .inner_join(products::table)
                .filter(sale_items::sale_id.eq(sale_id))
                .filter(sale_items::refunded.eq(false))
                .order(sale_items::id)
                .select((
                    sale_items::id,
                    sale_items::product_name,
                    sale_items::quantity,
                    products::unit,
                    sale_items::line_total,
                ))
                .load(conn)?;
            Ok(rows
                .into_iter()
                .map(
                    |(sale_item_id, name, quantity, unit, line_total)| RefundableLine {
                        sale_item_id,
                        name,
                        quantity: Quantity(quantity),
                        unit: Unit::parse(&unit).unwrap_or(Unit::Piece),
                        line_total,
                    },
                )
                .collect())
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

/// A sale checked, priced and settled, ready to be written (by a till online, or sent from
/// a till's outbox: [`super::outbox`]).
pub(crate) struct Written<'a> {
    pub key: &'a str,
    pub employee_id: i32,
    pub shift_id: i32,
    pub client_id: Option<i32>,
    /// When the customer paid: now for a till online, the till's clock for a sale made while
    /// the server was away.
    pub sold_at: NaiveDateTime,
    pub due_date: Option<NaiveDate>,
    pub cart: &'a Cart,
    pub settlement: &'a Settlement,
    /// Each product's id, name, quantity and the marking codes scanned for it.
    pub marking: &'a [(i32, String, i64, Vec<String>)],
    /// Audit rows to add beside `sale.create` (approvals, stock gone below zero).
    pub also: Vec<(&'static str, serde_json::Value)>,
    /// For a sale made offline: what `sale.create` records of it (the till's time, warnings).
    pub offline: Option<serde_json::Value>,
}

/// Writes a sale: its row, lines (with their fiscal data), stock movements, tenders, the
/// customer's credit, the audit rows, the fiscal queue and the receipt's print job.
pub(crate) fn write_sale(
    conn: &mut crate::store::db::Db,
    actor: &super::Actor,
    now: NaiveDateTime,
    w: Written<'_>,
) -> AppResult<Sale> {
    let (totals, amounts) = w.cart.line_amounts()?;
    let nasiya = w.settlement.amount_by(PaymentMethod::Nasiya);
    let sale: Sale = diesel::insert_into(sales::table)
        .values(NewSale {
            idempotency_key: w.key,
            shift_id: w.shift_id,
            employee_id: w.employee_id,
            client_id: w.client_id,
            subtotal: totals.subtotal.0,
            discount: totals.discount().0,
            total: totals.total.0,
            due_date: w.due_date,
            created_at: w.sold_at,
        })
        .returning(columns_of::<Sale>())
        .get_result(conn)?;
    let mut items = Vec::with_capacity(w.cart.lines().len());
    for (line, a) in w.cart.lines().iter().zip(&amounts) {
        let cost_total = div_round(
            i128::from(line.unit_cost.0) * i128::from(line.quantity.0),
            i128::from(QTY_SCALE),
        )
        .ok_or(CartError::Overflow)?;
        items.push(NewSaleItem {
            sale_id: sale.id,
            sold_at: w.sold_at,
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
    diesel::insert_into(sale_items::table)
        .values(&items)
        .execute(conn)?;
    // Each line's fiscal data as sold (class code, VAT…) and its marking codes.
    let item_ids: Vec<(i32, i32)> = sale_items::table
        .filter(sale_items::sale_id.eq(sale.id))
        .order(sale_items::id)
        .select((sale_items::id, sale_items::product_id))
        .load(conn)?;
    let ids: Vec<i32> = item_ids.iter().map(|i| i.1).collect();
    let fiscal = super::catalog::fiscal_of(conn, Some(&ids))?;
    for (item, product) in &item_ids {
        let f = fiscal.get(product).cloned().unwrap_or_default();
        let codes = w
            .marking
            .iter()
            .find(|m| m.0 == *product)
            .map(|m| m.3.join("\n"))
            .unwrap_or_default();
        insert_item_fiscal(conn, *item, &f, &codes)?;
    }
    for line in w.cart.lines() {
        let me = Some(w.employee_id);
        move_stock(
            conn,
            line.product_id,
            "sale",
            -line.quantity.0,
            Some(sale.id),
            None,
            me,
            "",
            w.sold_at,
        )?;
    }
    for t in &w.settlement.tenders {
        diesel::insert_into(sale_payments::table)
            .values((
                sale_payments::sale_id.eq(sale.id),
                sale_payments::method.eq(t.method.as_str()),
                sale_payments::amount.eq(t.amount.0),
                sale_payments::tendered.eq(t.tendered.0),
                sale_payments::change_given.eq(t.change.0),
                sale_payments::channel_id.eq(t.channel),
            ))
            .execute(conn)?;
    }
    if nasiya.is_positive()
        && let Some(client_id) = w.client_id
    {
        diesel::insert_into(client_ledger::table)
            .values(NewLedgerRow {
                client_id,
                kind: "credit_sale",
                amount: -nasiya.0,
                method: None,
                sale_id: Some(sale.id),
                shift_id: Some(w.shift_id),
                due_date: w.due_date,
                employee_id: Some(w.employee_id),
                note: "",
                created_at: w.sold_at,
            })
            .execute(conn)?;
        super::telegram::queue_credit_sale(conn, client_id, nasiya.0, w.due_date, now)?;
    }
    let tenders: Vec<_> = w
        .settlement
        .tenders
        .iter()
        .map(|t| json!({ "method": t.method.as_str(), "channel": t.channel, "amount": t.amount.0, "tendered": t.tendered.0 }))
        .collect();
    let mut details = json!({ "subtotal": sale.subtotal, "discount": sale.discount, "total": sale.total, "lines": items.len(), "client_id": w.client_id, "tenders": tenders });
    if let Some(offline) = w.offline {
        details["offline"] = offline;
    }
    audit::record(
        conn,
        actor,
        now,
        "sale.create",
        "sale",
        Some(sale.id.into()),
        None,
        Some(details),
    )?;
    for (action, what) in w.also {
        audit::record(
            conn,
            actor,
            now,
            action,
            "sale",
            Some(sale.id.into()),
            None,
            Some(what),
        )?;
    }
    super::fiscal::queue_sale(conn, sale.id, now)?;
    printing::queue_receipt(conn, sale.id, now)?;
    Ok(sale)
}

/// A sale line's fiscal data as sold.
fn insert_item_fiscal(
    conn: &mut crate::store::db::Db,
    item: i32,
    f: &super::ProductFiscal,
    marking_codes: &str,
) -> AppResult<()> {
    use crate::store::schema::sale_item_fiscal as t;
    diesel::insert_into(t::table)
        .values((
            t::sale_item_id.eq(item),
            t::class_code.eq(&f.class_code),
            t::package_code.eq(&f.package_code),
            t::unit_code.eq(&f.unit_code),
            t::vat.eq(f.vat.as_str()),
            t::marking_codes.eq(marking_codes),
        ))
        .execute(conn)?;
    Ok(())
}

/// A quantity of one sale line to refund.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RefundLine {
    pub sale_item_id: i32,
    pub quantity: Quantity,
}

/// A sale line not yet refunded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RefundableLine {
    pub sale_item_id: i32,
    pub name: String,
    pub quantity: Quantity,
    pub unit: Unit,
    pub line_total: i64,
}

/// What a refund did.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct RefundDone {
    pub refund_id: i32,
    pub amount: i64,
    /// Money given back per tender method ("nasiya" lowers the debt).
    pub back: Vec<(String, i64)>,
    /// Nothing is left of the sale.
    pub complete: bool,
}

/// One refund in the caller's transaction; `lines: None` takes everything that is left.
fn refund(
    conn: &mut crate::store::db::Db,
    actor: &super::Actor,
    now: chrono::NaiveDateTime,
    sale_id: i32,
    lines: Option<&[RefundLine]>,
    reason: &str,
    cash_by: Option<i32>,
) -> AppResult<RefundDone> {
    use crate::domain::refund::{LineFigures, OpenTender, money_back, split_line};
    use crate::store::schema::{refund_payments, refunds};
    let sale = super::receipt::load_sale(conn, sale_id)?;
    if sale.refunded_at.is_some() {
        return Err(AppError::AlreadyRefunded);
    }
    let open: Vec<SaleItem> = sale_items::table
        .filter(sale_items::sale_id.eq(sale_id))
        .filter(sale_items::refunded.eq(false))
        .order(sale_items::id)
        .select(columns_of::<SaleItem>())
        .load(conn)?;
    // What to take of each open line: the request (summed per line), or everything.
    let mut wanted: Vec<(SaleItem, i64)> = Vec::new();
    match lines {
        None => wanted.extend(open.iter().map(|i| (i.clone(), i.quantity))),
        Some(lines) => {
            for l in lines {
                let item = open
                    .iter()
                    .find(|i| i.id == l.sale_item_id)
                    .ok_or(AppError::not_found("sale line", l.sale_item_id))?;
                if l.quantity.0 <= 0 {
                    return Err(crate::domain::refund::RefundError::NotPositive.into());
                }
                match wanted.iter_mut().find(|(i, _)| i.id == item.id) {
                    Some((_, q)) => *q = q.saturating_add(l.quantity.0),
                    None => wanted.push((item.clone(), l.quantity.0)),
                }
            }
        }
    }
    if wanted.is_empty() {
        return Err(AppError::AlreadyRefunded);
    }
    let me = actor.id;
    // Split every line first (nothing is written until all of them are valid).
    let mut parts = Vec::with_capacity(wanted.len());
    for (item, q) in &wanted {
        let unit: String = products::table
            .find(item.product_id)
            .select(products::unit)
            .first(conn)?;
        let unit = Unit::parse(&unit).unwrap_or(Unit::Piece);
        Quantity(*q).validate_for(unit)?;
        let figures = LineFigures {
            quantity: item.quantity,
            gross: item.gross,
            line_discount: item.line_discount,
            sale_discount_share: item.sale_discount_share,
            line_total: item.line_total,
            cost_total: item.cost_total,
        };
        let (taken, left) = split_line(figures, *q)?;
        parts.push((item, taken, left));
    }
    let amount: i64 = parts.iter().map(|(_, t, _)| t.line_total).sum();
    let payments: Vec<SalePayment> = sale_payments::table
        .filter(sale_payments::sale_id.eq(sale_id))
        .order(sale_payments::id)
        .select(columns_of::<SalePayment>())
        .load(conn)?;
    let tenders: Vec<OpenTender> = payments
        .iter()
        .map(|p| OpenTender {
            method: PaymentMethod::parse(&p.method).unwrap_or(PaymentMethod::Card),
            left: p.amount - p.refunded,
        })
        .collect();
    let back = money_back(amount, &tenders)?;
    // Every refund belongs to the refunder's shift (its X/Z lists it by method); cash goes
    // out of that shift's drawer, never beyond what the drawer should hold.
    let shift = match me {
        Some(id) => open_shift_of(conn, id)?,
        None => None,
    };
    let Some(shift) = shift else {
        return Err(AppError::RefundNeedsShift);
    };
    let refund_shift = Some(shift.id);
    let cash_by = match cash_by {
        Some(ch) => Some(super::payment_methods::resolve(conn, Some(ch))?),
        None => None,
    };
    let cash_back: i64 = payments
        .iter()
        .zip(&back)
        .filter(|(p, _)| p.method == "cash")
        .map(|(_, b)| *b)
        .sum();
    if cash_back > 0 && cash_by.is_none() {
        let in_drawer = super::shifts::report(conn, shift)?.expected_cash;
        if cash_back > in_drawer {
            return Err(AppError::RefundDrawerShort {
                available: Money(in_drawer.max(0)),
                needed: Money(cash_back),
            });
        }
    }
    let refund_id: i32 = diesel::insert_into(refunds::table)
        .values((
            refunds::sale_id.eq(sale_id),
            refunds::employee_id.eq(me),
            refunds::shift_id.eq(refund_shift),
            refunds::amount.eq(amount),
            refunds::reason.eq(reason),
            refunds::created_at.eq(now),
        ))
        .returning(refunds::id)
        .get_result(conn)?;
    let mut audit_lines = Vec::with_capacity(parts.len());
    for (item, taken, left) in &parts {
        if left.quantity == 0 {
            diesel::update(sale_items::table.find(item.id))
                .set((
                    sale_items::refunded.eq(true),
                    sale_items::refund_id.eq(refund_id),
                ))
                .execute(conn)?;
        } else {
            diesel::update(sale_items::table.find(item.id))
                .set((
                    sale_items::quantity.eq(left.quantity),
                    sale_items::gross.eq(left.gross),
                    sale_items::line_discount.eq(left.line_discount),
                    sale_items::sale_discount_share.eq(left.sale_discount_share),
                    sale_items::line_total.eq(left.line_total),
                    sale_items::cost_total.eq(left.cost_total),
                ))
                .execute(conn)?;
            diesel::insert_into(sale_items::table)
                .values((
                    sale_items::sale_id.eq(sale_id),
                    sale_items::sold_at.eq(sale.created_at),
                    sale_items::product_id.eq(item.product_id),
                    sale_items::product_name.eq(&item.product_name),
                    sale_items::quantity.eq(taken.quantity),
                    sale_items::unit_price.eq(item.unit_price),
                    sale_items::unit_cost.eq(item.unit_cost),
                    sale_items::cost_total.eq(taken.cost_total),
                    sale_items::gross.eq(taken.gross),
                    sale_items::line_discount.eq(taken.line_discount),
                    sale_items::sale_discount_share.eq(taken.sale_discount_share),
                    sale_items::line_total.eq(taken.line_total),
                    sale_items::refunded.eq(true),
                    sale_items::refund_id.eq(refund_id),
                ))
                .execute(conn)?;
            // The refunded part keeps the line's fiscal data (its marking codes: the first
            // pieces').
            use crate::store::schema::sale_item_fiscal as t;
            let new_id: i32 = sale_items::table
                .filter(sale_items::sale_id.eq(sale_id))
                .order(sale_items::id.desc())
                .select(sale_items::id)
                .first(conn)?;
            let row: Option<(String, String, String, String, String)> = t::table
                .find(item.id)
                .select((
                    t::class_code,
                    t::package_code,
                    t::unit_code,
                    t::vat,
                    t::marking_codes,
                ))
                .first(conn)
                .optional()?;
            if let Some((class_code, package_code, unit_code, vat, codes)) = row {
                let pieces = (taken.quantity / crate::domain::quantity::QTY_SCALE) as usize;
                let all: Vec<&str> = codes.lines().collect();
                let (given, kept) = all.split_at(pieces.min(all.len()));
                diesel::insert_into(t::table)
                    .values((
                        t::sale_item_id.eq(new_id),
                        t::class_code.eq(&class_code),
                        t::package_code.eq(&package_code),
                        t::unit_code.eq(&unit_code),
                        t::vat.eq(&vat),
                        t::marking_codes.eq(given.join("\n")),
                    ))
                    .execute(conn)?;
                diesel::update(t::table.find(item.id))
                    .set(t::marking_codes.eq(kept.join("\n")))
                    .execute(conn)?;
            }
        }
        move_stock(
            conn,
            item.product_id,
            "refund",
            taken.quantity,
            Some(sale_id),
            None,
            me,
            reason,
            now,
        )?;
        audit_lines.push(
            json!({ "sale_item_id": item.id, "product_id": item.product_id,
            "quantity": taken.quantity, "amount": taken.line_total }),
        );
    }
    let mut money: Vec<(String, i64)> = Vec::new();
    // The debt a refund lowered: the customer is told, as for a debt payment.
    let mut nasiya_back: Option<(i32, i64)> = None;
    for (p, b) in payments.iter().zip(&back) {
        if *b <= 0 {
            continue;
        }
        diesel::update(sale_payments::table.find(p.id))
            .set(sale_payments::refunded.eq(sale_payments::refunded + *b))
            .execute(conn)?;
        // The cash part paid back by card when asked; a card tender back to its own card.
        let (method, channel) = match (p.method.as_str(), cash_by) {
            ("cash", Some(ch)) => ("card", Some(ch)),
            ("card", _) => ("card", p.channel_id),
            (m, _) => (m, None),
        };
        diesel::insert_into(refund_payments::table)
            .values((
                refund_payments::refund_id.eq(refund_id),
                refund_payments::sale_payment_id.eq(p.id),
                refund_payments::method.eq(method),
                refund_payments::amount.eq(*b),
                refund_payments::channel_id.eq(channel),
            ))
            .execute(conn)?;
        if p.method == "nasiya"
            && let Some(client_id) = sale.client_id
        {
            nasiya_back = Some((client_id, nasiya_back.map_or(0, |(_, a)| a) + *b));
            diesel::insert_into(client_ledger::table)
                .values(NewLedgerRow {
                    client_id,
                    kind: "refund",
                    amount: *b,
                    method: None,
                    sale_id: Some(sale_id),
                    shift_id: refund_shift,
                    due_date: None,
                    employee_id: me,
                    note: reason,
                    created_at: now,
                })
                .execute(conn)?;
        }
        match money.iter_mut().find(|(m, _)| m == method) {
            Some((_, a)) => *a += *b,
            None => money.push((method.to_string(), *b)),
        }
    }
    // In the order the money went back: nasiya, then non-cash, then cash.
    money.sort_by_key(|(m, _)| match m.as_str() {
        "nasiya" => 0,
        "cash" => 2,
        _ => 1,
    });
    let complete = parts.len() == open.len() && parts.iter().all(|(_, _, l)| l.quantity == 0);
    let refunded_amount = sale.refunded_amount + amount;
    if complete {
        diesel::update(sales::table.find(sale_id))
            .set((
                sales::refunded_amount.eq(refunded_amount),
                sales::refunded_at.eq(now),
                sales::refunded_by.eq(me),
                sales::refund_shift_id.eq(refund_shift),
                sales::refund_reason.eq(reason),
            ))
            .execute(conn)?;
    } else {
        diesel::update(sales::table.find(sale_id))
            .set(sales::refunded_amount.eq(refunded_amount))
            .execute(conn)?;
    }
    let back_json: Vec<_> = money
        .iter()
        .map(|(m, a)| json!({ "method": m, "amount": a }))
        .collect();
    audit::record(
        conn,
        actor,
        now,
        "sale.refund",
        "sale",
        Some(sale_id.into()),
        Some(json!({ "total": sale.total, "refunded_before": sale.refunded_amount })),
        Some(
            json!({ "refund_id": refund_id, "amount": amount, "refunded": refunded_amount,
            "complete": complete, "reason": reason, "lines": audit_lines, "money_back": back_json }),
        ),
    )?;
    if let Some((client_id, amount)) = nasiya_back {
        let after = super::clients::balance_of(conn, client_id)?;
        super::telegram::queue_debt_refund(conn, client_id, amount, after, now)?;
    }
    super::fiscal::queue_refund(conn, refund_id, complete, now)?;
    printing::queue_refund_slip(conn, refund_id, now)?;
    Ok(RefundDone {
        refund_id,
        amount,
        back: money,
        complete,
    })
}

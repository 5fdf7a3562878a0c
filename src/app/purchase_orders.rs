//! Purchase orders: what the shop asks a supplier to bring (products, quantities, expected
//! costs). An order is `open` until it is received — as one supply, with the quantities and
//! costs that actually came — or cancelled. A received order keeps the difference, line by
//! line: ordered against received (short, over, not ordered at all), in quantity and cost.
//! An order moves no stock and no money; only the supply it becomes does.

use crate::store::db::prelude::*;
use chrono::NaiveDateTime;
use serde::Serialize;
use serde_json::json;

use super::catalog::{SupplyInput, active_supplier, check_goods};
use super::{App, AppError, AppResult, Session, audit, optional_text};
use crate::domain::{Action, Money, Quantity, Unit};
use crate::store::schema::{
    products, purchase_order_items, purchase_orders, suppliers, supply_items,
};

/// One product ordered, with the cost per unit expected.
pub type OrderLineInput = super::SupplyLineInput;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PurchaseOrderInput {
    pub supplier_id: i32,
    pub lines: Vec<OrderLineInput>,
    pub note: String,
}

/// A line of an order, with what came when it was received.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct OrderLine {
    pub product_id: i32,
    pub name: String,
    /// 0 for a product that came without being ordered.
    pub ordered: i64,
    pub ordered_cost: i64,
    /// What the supply brought (0 until the order is received).
    pub received: i64,
    pub received_cost: i64,
}

impl OrderLine {
    /// Received minus ordered: below zero the supplier brought less.
    pub fn difference(&self) -> i64 {
        self.received - self.ordered
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PurchaseOrderView {
    pub id: i32,
    pub supplier_id: i32,
    pub supplier: String,
    /// "open", "received" or "cancelled".
    pub status: String,
    /// What the order was expected to cost.
    pub total_cost: i64,
    /// What the supply it became cost (0 until received).
    pub received_cost: i64,
    pub note: String,
    pub supply_id: Option<i32>,
    pub created_at: NaiveDateTime,
    pub closed_at: Option<NaiveDateTime>,
    pub lines: Vec<OrderLine>,
}

impl PurchaseOrderView {
    pub fn is_open(&self) -> bool {
        self.status == "open"
    }

    /// Whether what came differs from what was ordered (in any quantity).
    pub fn has_difference(&self) -> bool {
        self.lines.iter().any(|l| l.difference() != 0)
    }

    /// The order's lines as a supply to receive: the quantities and costs ordered, for the
    /// manager to correct to what came.
    pub fn as_supply(&self) -> SupplyInput {
        SupplyInput {
            supplier_id: self.supplier_id,
            notes: String::new(),
            lines: self
                .lines
                .iter()
                .filter(|l| l.ordered > 0)
                .map(|l| super::SupplyLineInput {
                    product_id: l.product_id,
                    quantity: Quantity(l.ordered),
                    unit_cost: Money(l.ordered_cost),
                })
                .collect(),
            payment: None,
        }
    }
}

type OrderRow = (
    i32,
    i32,
    String,
    String,
    i64,
    String,
    Option<i32>,
    NaiveDateTime,
    Option<NaiveDateTime>,
);

/// The orders with their lines, newest first.
fn views(conn: &mut Db, rows: Vec<OrderRow>) -> AppResult<Vec<PurchaseOrderView>> {
    use std::collections::HashMap;
    let ids: Vec<i32> = rows.iter().map(|r| r.0).collect();
    let ordered: Vec<(i32, i32, String, i64, i64)> = purchase_order_items::table
        .inner_join(products::table)
        .filter(purchase_order_items::order_id.eq_any(&ids))
        .order(purchase_order_items::id)
        .select((
            purchase_order_items::order_id,
            purchase_order_items::product_id,
            products::name,
            purchase_order_items::quantity,
            purchase_order_items::unit_cost,
        ))
        .load(conn)?;
    let supplies: Vec<i32> = rows.iter().filter_map(|r| r.6).collect();
    let came: Vec<(i32, i32, String, i64, i64)> = supply_items::table
        .inner_join(products::table)
        .filter(supply_items::supply_id.eq_any(&supplies))
        .order(supply_items::id)
        .select((
            supply_items::supply_id,
            supply_items::product_id,
            products::name,
            supply_items::quantity,
            supply_items::unit_cost,
        ))
        .load(conn)?;
    let mut out = Vec::with_capacity(rows.len());
    for (id, supplier_id, supplier, status, total_cost, note, supply_id, created_at, closed_at) in
        rows
    {
        let mut lines: Vec<OrderLine> = ordered
            .iter()
            .filter(|o| o.0 == id)
            .map(|o| OrderLine {
                product_id: o.1,
                name: o.2.clone(),
                ordered: o.3,
                ordered_cost: o.4,
                received: 0,
                received_cost: 0,
            })
            .collect();
        let mut received_cost = 0i64;
        let mut at: HashMap<i32, usize> = lines
            .iter()
            .enumerate()
            .map(|(i, l)| (l.product_id, i))
            .collect();
        for c in came.iter().filter(|c| Some(c.0) == supply_id) {
            let cost = crate::domain::cart::line_gross(Money(c.4), Quantity(c.3))?.0;
            received_cost += cost;
            let i = *at.entry(c.1).or_insert_with(|| {
                lines.push(OrderLine {
                    product_id: c.1,
                    name: c.2.clone(),
                    ordered: 0,
                    ordered_cost: 0,
                    received: 0,
                    received_cost: 0,
                });
                lines.len() - 1
            });
            lines[i].received += c.3;
            // The cost per unit that came (the last, when a product is on two lines).
            lines[i].received_cost = c.4;
        }
        out.push(PurchaseOrderView {
            id,
            supplier_id,
            supplier,
            status,
            total_cost,
            received_cost,
            note,
            supply_id,
            created_at,
            closed_at,
            lines,
        });
    }
    Ok(out)
}

fn load_views(
    conn: &mut Db,
    supplier_id: Option<i32>,
    order_id: Option<i32>,
    open_only: bool,
    limit: i64,
) -> AppResult<Vec<PurchaseOrderView>> {
    let rows: Vec<OrderRow> = crate::on_db!(&mut *conn, c => {
    let mut q = purchase_orders::table
        .inner_join(suppliers::table)
        .into_boxed();
    if let Some(s) = supplier_id {
        q = q.filter(purchase_orders::supplier_id.eq(s));
    }
    if let Some(o) = order_id {
        q = q.filter(purchase_orders::id.eq(o));
    }
    if open_only {
        q = q.filter(purchase_orders::status.eq("open"));
    }
    q
        .order((
            purchase_orders::created_at.desc(),
            purchase_orders::id.desc(),
        ))
        .limit(limit.clamp(1, 10_000))
        .select((
            purchase_orders::id,
            purchase_orders::supplier_id,
            suppliers::name,
            purchase_orders::status,
            purchase_orders::total_cost,
            purchase_orders::note,
            purchase_orders::supply_id,
            purchase_orders::created_at,
            purchase_orders::closed_at,
        ))
        .load(c)?
    });
    views(conn, rows)
}

fn load_one(conn: &mut Db, id: i32) -> AppResult<PurchaseOrderView> {
    load_views(conn, None, Some(id), false, 1)?
        .pop()
        .ok_or(AppError::not_found("order", id))
}

impl App {
    /// Orders goods from a supplier (manager, admin). The same product on two lines is one
    /// line of both quantities (at the first line's cost).
    pub fn create_purchase_order(
        &mut self,
        session: &Session,
        input: &PurchaseOrderInput,
    ) -> AppResult<i32> {
        let note = optional_text("note", &input.note, 1000)?;
        self.write(session, Action::ReceiveSupply, |conn, actor, now| {
            let supplier = active_supplier(conn, input.supplier_id)?;
            let (products, _) = check_goods(conn, &input.lines, "order")?;
            let mut merged: Vec<(OrderLineInput, String)> = Vec::new();
            for (line, p) in input.lines.iter().zip(products) {
                match merged.iter_mut().find(|m| m.0.product_id == p.id) {
                    Some(m) => {
                        m.0.quantity = Quantity(m.0.quantity.0 + line.quantity.0);
                        m.0.quantity
                            .validate_for(Unit::parse(&p.unit).unwrap_or(Unit::Piece))?;
                    }
                    None => merged.push((*line, p.name)),
                }
            }
            let mut total: i64 = 0;
            for (l, _) in &merged {
                let cost = crate::domain::cart::line_gross(l.unit_cost, l.quantity)?;
                total = total
                    .checked_add(cost.0)
                    .ok_or(crate::domain::CartError::Overflow)?;
            }
            let id: i32 = diesel::insert_into(purchase_orders::table)
                .values((
                    purchase_orders::supplier_id.eq(supplier.id),
                    purchase_orders::employee_id.eq(actor.id.unwrap_or_default()),
                    purchase_orders::total_cost.eq(total),
                    purchase_orders::note.eq(&note),
                    purchase_orders::created_at.eq(now),
                ))
                .returning(purchase_orders::id)
                .get_result(conn)?;
            for (l, _) in &merged {
                diesel::insert_into(purchase_order_items::table)
                    .values((
                        purchase_order_items::order_id.eq(id),
                        purchase_order_items::product_id.eq(l.product_id),
                        purchase_order_items::quantity.eq(l.quantity.0),
                        purchase_order_items::unit_cost.eq(l.unit_cost.0),
                    ))
                    .execute(conn)?;
            }
            let lines: Vec<_> = merged
                .iter()
                .map(|(l, name)| {
                    json!({ "product": name, "quantity": l.quantity.0, "unit_cost": l.unit_cost.0 })
                })
                .collect();
            audit::record(
                conn,
                actor,
                now,
                "order.create",
                "order",
                Some(id.into()),
                None,
                Some(json!({
                    "supplier": supplier.name,
                    "total_cost": total,
                    "note": note,
                    "lines": lines,
                })),
            )?;
            Ok(id)
        })
    }

    /// Orders, newest first: of one supplier or all, open ones only or all (at most `limit`).
    pub fn purchase_orders(
        &mut self,
        session: &Session,
        supplier_id: Option<i32>,
        open_only: bool,
        limit: i64,
    ) -> AppResult<Vec<PurchaseOrderView>> {
        self.read(session, Some(Action::ReceiveSupply), |conn, _| {
            load_views(conn, supplier_id, None, open_only, limit)
        })
    }

    pub fn purchase_order(&mut self, session: &Session, id: i32) -> AppResult<PurchaseOrderView> {
        self.read(session, Some(Action::ReceiveSupply), |conn, _| {
            load_one(conn, id)
        })
    }

    /// Receives an open order as a supply of what actually came (`input`: its quantities and
    /// costs, a payment made with it) and closes the order, keeping the difference. Returns
    /// the supply's id.
    pub fn receive_order(
        &mut self,
        session: &Session,
        order_id: i32,
        input: &SupplyInput,
    ) -> AppResult<i32> {
        let notes = optional_text("notes", &input.notes, 1000)?;
        self.write(session, Action::ReceiveSupply, |conn, actor, now| {
            let order = load_one(conn, order_id)?;
            if !order.is_open() {
                return Err(AppError::OrderNotOpen(order_id));
            }
            if order.supplier_id != input.supplier_id {
                return Err(AppError::OrderOfAnotherSupplier(order_id));
            }
            let supply_id = super::catalog::receive(conn, actor, now, input, &notes)?;
            diesel::update(purchase_orders::table.find(order_id))
                .set((
                    purchase_orders::status.eq("received"),
                    purchase_orders::supply_id.eq(supply_id),
                    purchase_orders::closed_at.eq(now),
                ))
                .execute(conn)?;
            let after = load_one(conn, order_id)?;
            let short: Vec<_> = after
                .lines
                .iter()
                .filter(|l| l.difference() != 0)
                .map(|l| json!({ "product": l.name, "ordered": l.ordered, "received": l.received }))
                .collect();
            audit::record(
                conn,
                actor,
                now,
                "order.receive",
                "order",
                Some(order_id.into()),
                None,
                Some(json!({
                    "supplier": after.supplier,
                    "supply_id": supply_id,
                    "total_cost": after.total_cost,
                    "received_cost": after.received_cost,
                    "difference": short,
                })),
            )?;
            Ok(supply_id)
        })
    }

    /// Cancels an open order (manager, admin).
    pub fn cancel_purchase_order(&mut self, session: &Session, order_id: i32) -> AppResult<()> {
        self.write(session, Action::ReceiveSupply, |conn, actor, now| {
            let order = load_one(conn, order_id)?;
            if !order.is_open() {
                return Err(AppError::OrderNotOpen(order_id));
            }
            diesel::update(purchase_orders::table.find(order_id))
                .set((
                    purchase_orders::status.eq("cancelled"),
                    purchase_orders::closed_at.eq(now),
                ))
                .execute(conn)?;
            audit::record(
                conn,
                actor,
                now,
                "order.cancel",
                "order",
                Some(order_id.into()),
                None,
                Some(json!({ "supplier": order.supplier, "total_cost": order.total_cost })),
            )?;
            Ok(())
        })
    }
}

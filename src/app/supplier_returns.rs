//! Returns to a supplier: goods sent back (expired, damaged, not ordered) leave the stock as a
//! `supplier_return` movement naming the return, and what the shop owes the supplier goes down
//! by their cost. A return worth more than what is owed leaves the supplier owing the shop
//! (shown as such; the next supply is set against it).
//!
//! Invariants: a return never sends back more than is in stock (whatever the negative-stock
//! setting: goods not on the shelf cannot be handed over); its total is the sum of its lines;
//! each line has exactly one stock movement.

use crate::store::db::prelude::*;
use serde_json::json;

use super::catalog::{active_supplier, apply_movement, check_goods};
use super::{App, AppError, AppResult, Session, audit, required_text};
use crate::domain::{Action, Quantity};
use crate::store::models::NewStockMovement;
use crate::store::schema::{supplier_return_items, supplier_returns};

/// One product sent back, its quantity and its cost per unit.
pub type ReturnLineInput = super::SupplyLineInput;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SupplierReturnInput {
    pub supplier_id: i32,
    pub lines: Vec<ReturnLineInput>,
    /// Why the goods go back (expired, damaged, …): required.
    pub reason: String,
}

impl App {
    /// Sends goods back to a supplier (manager, admin): stock out, what is owed down by their
    /// cost. One transaction; a line beyond the stock refuses the whole return.
    pub fn return_to_supplier(
        &mut self,
        session: &Session,
        input: &SupplierReturnInput,
    ) -> AppResult<i32> {
        let reason = required_text("return_reason", &input.reason, 500)?;
        self.write(session, Action::ReceiveSupply, |conn, actor, now| {
            let supplier = active_supplier(conn, input.supplier_id)?;
            let owed_before = super::suppliers::view_of(conn, supplier.clone())?.owed;
            let (products, total) = check_goods(conn, &input.lines, "return")?;
            // What each product gives back over all its lines, against its stock.
            let mut per_product: std::collections::BTreeMap<i32, i64> = Default::default();
            for (line, p) in input.lines.iter().zip(&products) {
                let wanted = per_product.entry(p.id).or_default();
                *wanted += line.quantity.0;
                if *wanted > p.stock {
                    return Err(AppError::InsufficientStock {
                        product: p.name.clone(),
                        available: Quantity(p.stock.max(0)),
                        requested: Quantity(*wanted),
                    });
                }
            }
            let names: Vec<&String> = products.iter().map(|p| &p.name).collect();
            let employee_id = actor.id.unwrap_or_default();
            let return_id: i32 = diesel::insert_into(supplier_returns::table)
                .values((
                    supplier_returns::supplier_id.eq(supplier.id),
                    supplier_returns::employee_id.eq(employee_id),
                    supplier_returns::total_cost.eq(total),
                    supplier_returns::reason.eq(&reason),
                    supplier_returns::created_at.eq(now),
                ))
                .returning(supplier_returns::id)
                .get_result(conn)?;
            for line in &input.lines {
                diesel::insert_into(supplier_return_items::table)
                    .values((
                        supplier_return_items::return_id.eq(return_id),
                        supplier_return_items::product_id.eq(line.product_id),
                        supplier_return_items::quantity.eq(line.quantity.0),
                        supplier_return_items::unit_cost.eq(line.unit_cost.0),
                    ))
                    .execute(conn)?;
                apply_movement(
                    conn,
                    NewStockMovement {
                        product_id: line.product_id,
                        kind: "supplier_return",
                        quantity: -line.quantity.0,
                        sale_id: None,
                        supply_id: None,
                        employee_id: actor.id,
                        reason: &reason,
                        created_at: now,
                        return_id: Some(return_id),
                    },
                )?;
            }
            let lines: Vec<_> = input
                .lines
                .iter()
                .zip(&names)
                .map(|(l, name)| {
                    json!({ "product": name, "quantity": l.quantity.0, "unit_cost": l.unit_cost.0 })
                })
                .collect();
            audit::record(
                conn,
                actor,
                now,
                "supplier.return",
                "supplier",
                Some(supplier.id.into()),
                Some(json!({ "owed": owed_before })),
                Some(json!({
                    "supplier": supplier.name,
                    "return_id": return_id,
                    "total_cost": total,
                    "reason": reason,
                    "owed": owed_before - total,
                    "lines": lines,
                })),
            )?;
            Ok(return_id)
        })
    }
}

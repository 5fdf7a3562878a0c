//! Suppliers: who the shop buys from (name, phone, TIN, address, notes), kept as records that
//! are archived rather than deleted; what the shop owes each (every supply received minus
//! every payment); paying a supplier in cash out of the payer's drawer (their open shift, so
//! the X and Z reports count it) or by bank; and a supplier's statement.
//!
//! Invariant: a supplier's balance never goes below zero (a payment larger than what is owed
//! is refused), and a cash payment never takes more than the drawer should hold.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::sqlite::SqliteConnection;
use serde::Serialize;
use serde_json::json;

use super::{Actor, App, AppError, AppResult, Session, audit, optional_text, required_text};
use crate::domain::money::MAX_MONEY;
use crate::domain::{Action, Money};
use crate::store::models::{Supplier, SupplierPayment};
use crate::store::schema::{supplier_payments, suppliers, supplies};
use crate::store::sum_i64;

/// What a supplier form holds.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SupplierInput {
    pub name: String,
    pub phone: String,
    /// The taxpayer number (STIR/INN): 9 digits for a company, 14 (PINFL) for a person.
    pub tin: String,
    pub address: String,
    pub notes: String,
}

/// A supplier with what the shop bought from them, paid them, and owes them now.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SupplierView {
    pub supplier: Supplier,
    pub purchased: i64,
    pub paid: i64,
    pub owed: i64,
    pub last_supply: Option<NaiveDateTime>,
}

/// Where a payment to a supplier comes from.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub enum PayFrom {
    /// Cash out of the payer's drawer (their open shift).
    Drawer,
    #[default]
    Bank,
}

impl PayFrom {
    pub fn code(self) -> &'static str {
        match self {
            PayFrom::Drawer => "cash",
            PayFrom::Bank => "bank",
        }
    }
}

/// A payment made with a supply, when it is received.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SupplyPayment {
    pub amount: Money,
    pub from: PayFrom,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SupplierPaymentInput {
    pub supplier_id: i32,
    pub amount: Money,
    pub from: PayFrom,
    pub note: String,
}

/// One line of a supplier's statement.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct StatementLine {
    pub at: NaiveDateTime,
    /// The supply received, for a supply line.
    pub supply_id: Option<i32>,
    /// "cash", "bank" or "settled" for a payment; `None` for a supply.
    pub method: Option<String>,
    /// What the supply added to the balance.
    pub purchased: i64,
    /// What the payment took off it.
    pub paid: i64,
    /// What the shop owed the supplier after this line.
    pub balance: i64,
    pub note: String,
}

/// A taxpayer number: empty, or 9 digits (a company's STIR) or 14 (a person's PINFL).
fn check_tin(tin: &str) -> AppResult<String> {
    let t: String = tin.chars().filter(|c| !c.is_whitespace()).collect();
    if t.is_empty() || (t.chars().all(|c| c.is_ascii_digit()) && (t.len() == 9 || t.len() == 14)) {
        Ok(t)
    } else {
        Err(AppError::invalid(
            "tin",
            "must be 9 digits (a company) or 14 digits (a person)",
        ))
    }
}

/// The input trimmed and checked; the phone normalised when one is given.
fn checked(input: &SupplierInput) -> AppResult<SupplierInput> {
    let phone = input.phone.trim();
    Ok(SupplierInput {
        name: required_text("name", &input.name, 200)?,
        phone: if phone.is_empty() {
            String::new()
        } else {
            crate::domain::phone::normalize(phone)?
        },
        tin: check_tin(&input.tin)?,
        address: optional_text("address", &input.address, 300)?,
        notes: optional_text("notes", &input.notes, 1000)?,
    })
}

/// The form's columns, for an insert or an update.
#[allow(clippy::type_complexity)]
fn details(
    input: &SupplierInput,
) -> (
    diesel::dsl::Eq<suppliers::name, &String>,
    diesel::dsl::Eq<suppliers::phone, &String>,
    diesel::dsl::Eq<suppliers::tin, &String>,
    diesel::dsl::Eq<suppliers::address, &String>,
    diesel::dsl::Eq<suppliers::notes, &String>,
) {
    (
        suppliers::name.eq(&input.name),
        suppliers::phone.eq(&input.phone),
        suppliers::tin.eq(&input.tin),
        suppliers::address.eq(&input.address),
        suppliers::notes.eq(&input.notes),
    )
}

pub(crate) fn load(conn: &mut SqliteConnection, id: i32) -> AppResult<Supplier> {
    suppliers::table
        .find(id)
        .select(Supplier::as_select())
        .first(conn)
        .optional()?
        .ok_or(AppError::not_found("supplier", id))
}

/// Refuses a name another supplier has (ignoring case).
/// Refuses a taxpayer number another supplier has (an empty one is not compared).
fn tin_free(conn: &mut SqliteConnection, tin: &str, except: Option<i32>) -> AppResult<()> {
    if tin.is_empty() {
        return Ok(());
    }
    let other: Option<(i32, String)> = suppliers::table
        .filter(suppliers::tin.eq(tin))
        .select((suppliers::id, suppliers::name))
        .load::<(i32, String)>(conn)?
        .into_iter()
        .find(|(id, _)| Some(*id) != except);
    match other {
        Some((_, supplier)) => Err(AppError::TinTaken {
            tin: tin.to_string(),
            supplier,
        }),
        None => Ok(()),
    }
}

fn name_free(conn: &mut SqliteConnection, name: &str, except: Option<i32>) -> AppResult<()> {
    let lower = name.to_lowercase();
    let taken = suppliers::table
        .select((suppliers::id, suppliers::name))
        .load::<(i32, String)>(conn)?
        .into_iter()
        .any(|(id, n)| Some(id) != except && n.to_lowercase() == lower);
    if taken {
        return Err(AppError::NameTaken(name.to_string()));
    }
    Ok(())
}

/// The views of `list`: what was received from each and paid to each (so what is owed),
/// read in two grouped queries over those suppliers only. The one place that sums them.
pub(crate) fn views(
    conn: &mut SqliteConnection,
    list: Vec<Supplier>,
) -> AppResult<Vec<SupplierView>> {
    use std::collections::HashMap;
    let ids: Vec<i32> = list.iter().map(|s| s.id).collect();
    let bought: HashMap<i32, (i64, Option<NaiveDateTime>)> = supplies::table
        .filter(supplies::supplier_id.eq_any(&ids))
        .group_by(supplies::supplier_id)
        .select((
            supplies::supplier_id.assume_not_null(),
            sum_i64(supplies::total_cost),
            diesel::dsl::max(supplies::created_at),
        ))
        .load::<(i32, Option<i64>, Option<NaiveDateTime>)>(conn)?
        .into_iter()
        .map(|(id, sum, last)| (id, (sum.unwrap_or(0), last)))
        .collect();
    let paid: HashMap<i32, i64> = supplier_payments::table
        .filter(supplier_payments::supplier_id.eq_any(&ids))
        .group_by(supplier_payments::supplier_id)
        .select((
            supplier_payments::supplier_id,
            sum_i64(supplier_payments::amount),
        ))
        .load::<(i32, Option<i64>)>(conn)?
        .into_iter()
        .map(|(id, sum)| (id, sum.unwrap_or(0)))
        .collect();
    Ok(list
        .into_iter()
        .map(|s| {
            let (purchased, last_supply) = bought.get(&s.id).copied().unwrap_or((0, None));
            let paid = paid.get(&s.id).copied().unwrap_or(0);
            SupplierView {
                supplier: s,
                purchased,
                paid,
                owed: purchased - paid,
                last_supply,
            }
        })
        .collect())
}

/// One supplier's view ([`views`]).
fn view_of(conn: &mut SqliteConnection, supplier: Supplier) -> AppResult<SupplierView> {
    let id = supplier.id;
    views(conn, vec![supplier])?
        .pop()
        .ok_or(AppError::not_found("supplier", id))
}

/// Pays `amount` to a supplier inside the caller's transaction: refused beyond what is owed,
/// and in cash without an open shift of the payer or beyond what their drawer should hold.
#[allow(clippy::too_many_arguments)]
pub(crate) fn pay(
    conn: &mut SqliteConnection,
    actor: &Actor,
    now: NaiveDateTime,
    supplier: &Supplier,
    supply_id: Option<i32>,
    amount: Money,
    from: PayFrom,
    note: &str,
) -> AppResult<SupplierPayment> {
    if amount.0 <= 0 {
        return Err(crate::domain::payment::PaymentError::NotPositive.into());
    }
    if amount > MAX_MONEY {
        return Err(crate::domain::payment::PaymentError::Overflow.into());
    }
    let owed = view_of(conn, supplier.clone())?.owed;
    if amount.0 > owed {
        return Err(AppError::SupplierOverpaid {
            owed: Money(owed.max(0)),
        });
    }
    let employee_id = actor.id.unwrap_or_default();
    let shift_id = match from {
        PayFrom::Bank => None,
        PayFrom::Drawer => {
            let shift = super::shifts::open_shift_of(conn, employee_id)?
                .ok_or(AppError::PayoutNeedsShift)?;
            let in_drawer = super::shifts::report(conn, shift.clone())?.expected_cash;
            if amount.0 > in_drawer {
                return Err(AppError::DrawerShort {
                    available: Money(in_drawer.max(0)),
                });
            }
            Some(shift.id)
        }
    };
    let payment: SupplierPayment = diesel::insert_into(supplier_payments::table)
        .values((
            supplier_payments::supplier_id.eq(supplier.id),
            supplier_payments::supply_id.eq(supply_id),
            supplier_payments::method.eq(from.code()),
            supplier_payments::amount.eq(amount.0),
            supplier_payments::shift_id.eq(shift_id),
            supplier_payments::employee_id.eq(employee_id),
            supplier_payments::note.eq(note),
            supplier_payments::created_at.eq(now),
        ))
        .returning(SupplierPayment::as_returning())
        .get_result(conn)?;
    audit::record(
        conn,
        actor,
        now,
        "supplier.pay",
        "supplier",
        Some(supplier.id.into()),
        Some(json!({ "owed": owed })),
        Some(json!({
            "supplier": supplier.name,
            "amount": amount.0,
            "method": from.code(),
            "shift_id": shift_id,
            "supply_id": supply_id,
            "owed": owed - amount.0,
            "note": note,
        })),
    )?;
    Ok(payment)
}

/// Cash paid to suppliers out of a shift's drawer.
pub(crate) fn cash_paid_in_shift(conn: &mut SqliteConnection, shift_id: i32) -> AppResult<i64> {
    Ok(supplier_payments::table
        .filter(supplier_payments::shift_id.eq(shift_id))
        .filter(supplier_payments::method.eq("cash"))
        .select(sum_i64(supplier_payments::amount))
        .first::<Option<i64>>(conn)?
        .unwrap_or(0))
}

impl App {
    /// The suppliers by name, with their balances; archived ones only when asked.
    pub fn suppliers(
        &mut self,
        session: &Session,
        with_archived: bool,
    ) -> AppResult<Vec<SupplierView>> {
        self.read(session, Some(Action::ReceiveSupply), |conn, _| {
            let mut q = suppliers::table.into_boxed();
            if !with_archived {
                q = q.filter(suppliers::archived.eq(false));
            }
            let list = q
                .order(suppliers::name)
                .select(Supplier::as_select())
                .load(conn)?;
            views(conn, list)
        })
    }

    pub fn supplier(&mut self, session: &Session, id: i32) -> AppResult<SupplierView> {
        self.read(session, Some(Action::ReceiveSupply), |conn, _| {
            let s = load(conn, id)?;
            view_of(conn, s)
        })
    }

    /// Adds a supplier (manager, admin).
    pub fn create_supplier(
        &mut self,
        session: &Session,
        input: &SupplierInput,
    ) -> AppResult<Supplier> {
        let input = checked(input)?;
        self.write(session, Action::ReceiveSupply, |conn, actor, now| {
            name_free(conn, &input.name, None)?;
            tin_free(conn, &input.tin, None)?;
            let s: Supplier = diesel::insert_into(suppliers::table)
                .values((
                    details(&input),
                    suppliers::created_at.eq(now),
                    suppliers::updated_at.eq(now),
                ))
                .returning(Supplier::as_returning())
                .get_result(conn)?;
            audit::record(
                conn,
                actor,
                now,
                "supplier.create",
                "supplier",
                Some(s.id.into()),
                None,
                Some(json!(s)),
            )?;
            Ok(s)
        })
    }

    /// Changes a supplier's details (manager, admin). Earlier supplies keep the name they
    /// were received under.
    pub fn update_supplier(
        &mut self,
        session: &Session,
        id: i32,
        input: &SupplierInput,
    ) -> AppResult<Supplier> {
        let input = checked(input)?;
        self.write(session, Action::ReceiveSupply, |conn, actor, now| {
            let before = load(conn, id)?;
            name_free(conn, &input.name, Some(id))?;
            tin_free(conn, &input.tin, Some(id))?;
            let after: Supplier = diesel::update(suppliers::table.find(id))
                .set((details(&input), suppliers::updated_at.eq(now)))
                .returning(Supplier::as_returning())
                .get_result(conn)?;
            audit::record(
                conn,
                actor,
                now,
                "supplier.update",
                "supplier",
                Some(id.into()),
                Some(json!(before)),
                Some(json!(after)),
            )?;
            Ok(after)
        })
    }

    /// Archives a supplier (no new supplies; history kept) or brings one back. A supplier
    /// the shop still owes is not archived.
    pub fn set_supplier_archived(
        &mut self,
        session: &Session,
        id: i32,
        archived: bool,
    ) -> AppResult<()> {
        self.write(session, Action::ReceiveSupply, |conn, actor, now| {
            let before = load(conn, id)?;
            if before.archived == archived {
                return Ok(());
            }
            if archived {
                let owed = view_of(conn, before.clone())?.owed;
                if owed > 0 {
                    return Err(AppError::SupplierOwed(Money(owed)));
                }
            }
            diesel::update(suppliers::table.find(id))
                .set((
                    suppliers::archived.eq(archived),
                    suppliers::updated_at.eq(now),
                ))
                .execute(conn)?;
            audit::record(
                conn,
                actor,
                now,
                if archived {
                    "supplier.archive"
                } else {
                    "supplier.restore"
                },
                "supplier",
                Some(id.into()),
                None,
                Some(json!({ "name": before.name })),
            )?;
            Ok(())
        })
    }

    /// Pays a supplier (manager, admin): cash from the payer's open shift, or by bank.
    pub fn pay_supplier(
        &mut self,
        session: &Session,
        input: &SupplierPaymentInput,
    ) -> AppResult<SupplierPayment> {
        let note = optional_text("note", &input.note, 500)?;
        self.write(session, Action::ReceiveSupply, |conn, actor, now| {
            let s = load(conn, input.supplier_id)?;
            pay(conn, actor, now, &s, None, input.amount, input.from, &note)
        })
    }

    /// A supplier's statement, oldest first: every supply and payment with the balance after
    /// it.
    pub fn supplier_statement(
        &mut self,
        session: &Session,
        id: i32,
    ) -> AppResult<Vec<StatementLine>> {
        self.read(session, Some(Action::ReceiveSupply), |conn, _| {
            load(conn, id)?;
            let bought: Vec<(i32, i64, String, NaiveDateTime)> = supplies::table
                .filter(supplies::supplier_id.eq(id))
                .select((
                    supplies::id,
                    supplies::total_cost,
                    supplies::notes,
                    supplies::created_at,
                ))
                .load(conn)?;
            let paid: Vec<SupplierPayment> = supplier_payments::table
                .filter(supplier_payments::supplier_id.eq(id))
                .select(SupplierPayment::as_select())
                .load(conn)?;
            // A supply comes before the payment made with it (same moment, supply first).
            let mut lines: Vec<(NaiveDateTime, u8, i32, StatementLine)> = Vec::new();
            for (sid, cost, notes, at) in bought {
                lines.push((
                    at,
                    0,
                    sid,
                    StatementLine {
                        at,
                        supply_id: Some(sid),
                        method: None,
                        purchased: cost,
                        paid: 0,
                        balance: 0,
                        note: notes,
                    },
                ));
            }
            for p in paid {
                lines.push((
                    p.created_at,
                    1,
                    p.id,
                    StatementLine {
                        at: p.created_at,
                        supply_id: p.supply_id,
                        method: Some(p.method),
                        purchased: 0,
                        paid: p.amount,
                        balance: 0,
                        note: p.note,
                    },
                ));
            }
            lines.sort_by_key(|l| (l.0, l.1, l.2));
            let mut balance = 0i64;
            Ok(lines
                .into_iter()
                .map(|(_, _, _, mut l)| {
                    balance += l.purchased - l.paid;
                    l.balance = balance;
                    l
                })
                .collect())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn taxpayer_numbers() {
        assert_eq!(check_tin("").unwrap(), "");
        assert_eq!(check_tin(" 123 456 789 ").unwrap(), "123456789");
        assert_eq!(check_tin("12345678901234").unwrap(), "12345678901234");
        for bad in ["12345678", "1234567890", "12345678a", "１２３４５６７８９"] {
            assert!(check_tin(bad).is_err(), "{bad}");
        }
    }
}

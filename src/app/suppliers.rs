//! Suppliers: who the shop buys from (name, phone, TIN, address, notes, what was owed before
//! they were recorded here), kept as records that are archived rather than deleted; what the
//! shop owes each (the opening balance, plus every supply received, minus every return to
//! them and every payment); paying a supplier in cash out of the payer's drawer (their open
//! shift, so the X and Z reports count it) or by bank; and a supplier's statement. Returns are
//! in [`super::supplier_returns`], purchase orders in [`super::purchase_orders`].
//!
//! Invariants: a payment never takes what is owed below zero (only a return can: the supplier
//! then owes the shop and the next supply is set against it), so the payments to a supplier
//! never exceed its opening balance and supplies; a cash payment never takes more than the
//! drawer should hold.

use crate::store::db::prelude::*;
use chrono::NaiveDateTime;
use serde::Serialize;
use serde_json::json;

use super::{Actor, App, AppError, AppResult, Session, audit, optional_text, required_text};
use crate::domain::money::MAX_MONEY;
use crate::domain::{Action, Money};
use crate::store::models::{Supplier, SupplierPayment};
use crate::store::schema::{supplier_payments, supplier_returns, suppliers, supplies};
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
    /// What the shop owed the supplier before it was recorded here.
    pub opening_balance: Money,
}

/// A supplier with what the shop bought from them, paid them, and owes them now.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SupplierView {
    pub supplier: Supplier,
    /// Every supply received, at cost.
    pub purchased: i64,
    /// Every return to the supplier, at cost.
    pub returned: i64,
    pub paid: i64,
    /// The supplier's opening balance + purchased - returned - paid; below zero the
    /// supplier owes the shop.
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

/// What a line of a supplier's statement is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum StatementWhat {
    /// What was owed before the supplier was recorded (on the day it was recorded).
    Opening,
    Supply,
    /// Goods sent back (`return_id`).
    Return,
    /// A payment (`method`).
    Payment,
}

/// One line of a supplier's statement.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct StatementLine {
    pub at: NaiveDateTime,
    pub what: StatementWhat,
    /// The return, for a return line.
    pub return_id: Option<i32>,
    /// The supply received, for a supply line.
    pub supply_id: Option<i32>,
    /// "cash", "bank" or "settled" for a payment; `None` for a supply.
    pub method: Option<String>,
    /// What the opening balance or the supply added to the balance.
    pub purchased: i64,
    /// What the payment or the return took off it.
    pub paid: i64,
    /// What the shop owed the supplier after this line.
    pub balance: i64,
    pub note: String,
}

impl StatementLine {
    /// What the line is, as the statement says it: "Supply #12 — invoice 44", "Bank
    /// payment", "Return #3 — expired".
    pub fn describe(&self, lang: crate::i18n::Lang) -> String {
        use crate::i18n::T;
        let what = match (self.what, self.method.as_deref()) {
            (StatementWhat::Opening, _) => lang.t(T::OpeningBalance).to_string(),
            (StatementWhat::Supply, _) => lang.fill(
                T::StmtSupply,
                &[&self.supply_id.unwrap_or_default().to_string()],
            ),
            (StatementWhat::Return, _) => lang.fill(
                T::StmtReturn,
                &[&self.return_id.unwrap_or_default().to_string()],
            ),
            (StatementWhat::Payment, Some("cash")) => lang.t(T::StmtCash).to_string(),
            (StatementWhat::Payment, Some("bank")) => lang.t(T::StmtBank).to_string(),
            (StatementWhat::Payment, _) => lang.t(T::StmtSettled).to_string(),
        };
        if self.note.is_empty() {
            what
        } else {
            format!("{what} — {}", self.note)
        }
    }

    /// What a return took off the balance (0 for other lines).
    pub fn returned(&self) -> i64 {
        if self.what == StatementWhat::Return {
            self.paid
        } else {
            0
        }
    }

    /// What a payment took off the balance (0 for other lines).
    pub fn payment(&self) -> i64 {
        if self.what == StatementWhat::Payment {
            self.paid
        } else {
            0
        }
    }
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
        opening_balance: {
            super::check_money("opening_balance", input.opening_balance)?;
            input.opening_balance
        },
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
    diesel::dsl::Eq<suppliers::opening_balance, i64>,
) {
    (
        suppliers::name.eq(&input.name),
        suppliers::phone.eq(&input.phone),
        suppliers::tin.eq(&input.tin),
        suppliers::address.eq(&input.address),
        suppliers::notes.eq(&input.notes),
        suppliers::opening_balance.eq(input.opening_balance.0),
    )
}

pub(crate) fn load(conn: &mut Db, id: i32) -> AppResult<Supplier> {
    suppliers::table
        .find(id)
        .select(columns_of::<Supplier>())
        .first(conn)
        .optional()?
        .ok_or(AppError::not_found("supplier", id))
}

/// Refuses a name another supplier has (ignoring case).
/// Refuses a taxpayer number another supplier has (an empty one is not compared).
fn tin_free(conn: &mut Db, tin: &str, except: Option<i32>) -> AppResult<()> {
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

fn name_free(conn: &mut Db, name: &str, except: Option<i32>) -> AppResult<()> {
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
pub(crate) fn views(conn: &mut Db, list: Vec<Supplier>) -> AppResult<Vec<SupplierView>> {
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
    let returned: HashMap<i32, i64> = supplier_returns::table
        .filter(supplier_returns::supplier_id.eq_any(&ids))
        .group_by(supplier_returns::supplier_id)
        .select((
            supplier_returns::supplier_id,
            sum_i64(supplier_returns::total_cost),
        ))
        .load::<(i32, Option<i64>)>(conn)?
        .into_iter()
        .map(|(id, sum)| (id, sum.unwrap_or(0)))
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
            let returned = returned.get(&s.id).copied().unwrap_or(0);
            let owed = s.opening_balance + purchased - returned - paid;
            SupplierView {
                supplier: s,
                purchased,
                returned,
                paid,
                owed,
                last_supply,
            }
        })
        .collect())
}

/// One supplier's view ([`views`]).
pub(crate) fn view_of(conn: &mut Db, supplier: Supplier) -> AppResult<SupplierView> {
    let id = supplier.id;
    views(conn, vec![supplier])?
        .pop()
        .ok_or(AppError::not_found("supplier", id))
}

/// Pays `amount` to a supplier inside the caller's transaction: refused beyond what is owed,
/// and in cash without an open shift of the payer or beyond what their drawer should hold.
#[allow(clippy::too_many_arguments)]
pub(crate) fn pay(
    conn: &mut Db,
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
        .returning(columns_of::<SupplierPayment>())
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
pub(crate) fn cash_paid_in_shift(conn: &mut Db, shift_id: i32) -> AppResult<i64> {
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
            let list: Vec<Supplier> = crate::on_db!(&mut *conn, c => {
                let mut q = suppliers::table.into_boxed();
                if !with_archived {
                    q = q.filter(suppliers::archived.eq(false));
                }
                q.order(suppliers::name)
                    .select(columns_of::<Supplier>())
                    .load(c)?
            });
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
                .returning(columns_of::<Supplier>())
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
            // The payments made never exceed the opening balance and the supplies.
            let v = view_of(conn, before.clone())?;
            let least = (v.paid - v.purchased).max(0);
            if input.opening_balance.0 < least {
                return Err(AppError::OpeningBelowPaid(Money(least)));
            }
            let after: Supplier = diesel::update(suppliers::table.find(id))
                .set((details(&input), suppliers::updated_at.eq(now)))
                .returning(columns_of::<Supplier>())
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
                if owed < 0 {
                    return Err(AppError::SupplierOwesShop(Money(-owed)));
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

    /// A supplier's statement as a report table, oldest first, to write to Excel or PDF
    /// (the shop's reconciliation act with the supplier): when, what, what it added, what a
    /// return and a payment took off, and the balance after each line; the totals last, with
    /// the balance at the end. The whole history, or a period (its local dates) that starts
    /// with what was owed when it began.
    pub fn supplier_statement_report(
        &mut self,
        session: &Session,
        id: i32,
        period: Option<super::Period>,
        lang: crate::i18n::Lang,
    ) -> AppResult<super::ReportTable> {
        let tz = self.time_zone();
        self.read(session, Some(Action::ReceiveSupply), |conn, _| {
            statement_table(conn, id, period, lang, tz)
        })
    }

    /// [`App::supplier_statement_report`] for `kassa report supplier-statement`: the
    /// supplier by its number or its name (any case).
    pub fn supplier_statement_for_cli(
        &mut self,
        supplier: &str,
        period: Option<super::Period>,
        lang: crate::i18n::Lang,
    ) -> AppResult<super::ReportTable> {
        let tz = self.time_zone();
        let wanted = supplier.trim().to_lowercase();
        self.conn.transaction(|conn| {
            let all: Vec<(i32, String)> = suppliers::table
                .select((suppliers::id, suppliers::name))
                .load(conn)?;
            let id = all
                .iter()
                .find(|(id, name)| id.to_string() == wanted || name.to_lowercase() == wanted)
                .map(|(id, _)| *id)
                .ok_or_else(|| {
                    AppError::invalid("supplier", "no supplier has this number or name")
                })?;
            statement_table(conn, id, period, lang, tz)
        })
    }

    /// A supplier's statement, oldest first: the opening balance, every supply, return and
    /// payment with the balance after it.
    pub fn supplier_statement(
        &mut self,
        session: &Session,
        id: i32,
    ) -> AppResult<Vec<StatementLine>> {
        self.read(session, Some(Action::ReceiveSupply), |conn, _| {
            let supplier = load(conn, id)?;
            statement_of(conn, &supplier)
        })
    }
}

/// A supplier's statement as a report table ([`App::supplier_statement_report`]).
fn statement_table(
    conn: &mut Db,
    id: i32,
    period: Option<super::Period>,
    lang: crate::i18n::Lang,
    tz: chrono_tz::Tz,
) -> AppResult<super::ReportTable> {
    let supplier = load(conn, id)?;
    let lines = statement_of(conn, &supplier)?;
    statement_report(&supplier.name, lines, period, lang, tz)
}

/// The statement `lines` of the supplier `name` (oldest first, as
/// [`App::supplier_statement`] reads them) as a report table: the whole history, or a period
/// that starts with what was owed when it began. Computes only: the window builds the file
/// from the lines it already shows.
pub fn statement_report(
    name: &str,
    mut lines: Vec<StatementLine>,
    period: Option<super::Period>,
    lang: crate::i18n::Lang,
    tz: chrono_tz::Tz,
) -> AppResult<super::ReportTable> {
    use super::{Cell, ReportKind, ReportTable};
    use crate::i18n::T;
    let local = |t: NaiveDateTime| t.and_utc().with_timezone(&tz).naive_local();
    // For a period: what was owed when it began (its first row), then its own lines.
    let mut rows = Vec::new();
    let mut at_start = 0;
    if let Some(p) = period {
        if p.to < p.from {
            return Err(AppError::invalid("period", "the end is before the start"));
        }
        let (start, end) = p.utc_bounds(tz);
        at_start = lines
            .iter()
            .take_while(|l| l.at < start)
            .last()
            .map_or(0, |l| l.balance);
        lines.retain(|l| l.at >= start && l.at < end);
        rows.push(vec![
            Cell::Time(Some(local(start))),
            Cell::Text(lang.t(T::BalanceAtStart).to_string()),
            Cell::Money(0),
            Cell::Money(0),
            Cell::Money(0),
            Cell::Money(at_start),
        ]);
    }
    let (mut added, mut back, mut paid) = (0, 0, 0);
    rows.extend(lines.iter().map(|l| {
        added += l.purchased;
        back += l.returned();
        paid += l.payment();
        vec![
            Cell::Time(Some(local(l.at))),
            Cell::Text(l.describe(lang)),
            Cell::Money(l.purchased),
            Cell::Money(l.returned()),
            Cell::Money(l.payment()),
            Cell::Money(l.balance),
        ]
    }));
    let mut table = ReportTable {
        kind: ReportKind::SupplierStatement,
        period: period.map(|p| (p.from, p.to)),
        columns: vec![
            T::When,
            T::Kind,
            T::Purchased,
            T::Returned,
            T::PaidOut,
            T::Balance,
        ],
        rows,
        total: Some(vec![
            Cell::Text(String::new()),
            Cell::Text(String::new()),
            Cell::Money(added),
            Cell::Money(back),
            Cell::Money(paid),
            Cell::Money(at_start + added - back - paid),
        ]),
        subject: Some(name.to_string()),
        tiyin: false,
    };
    table.tiyin = table.has_tiyin();
    Ok(table)
}

/// A supplier's statement ([`App::supplier_statement`]), also exported as a report.
fn statement_of(conn: &mut Db, supplier: &Supplier) -> AppResult<Vec<StatementLine>> {
    let id = supplier.id;
    let line = |at, what, purchased, paid, note: String| StatementLine {
        at,
        what,
        return_id: None,
        supply_id: None,
        method: None,
        purchased,
        paid,
        balance: 0,
        note,
    };
    // At one moment: the opening balance, a supply, the payment made with it, a return.
    let mut lines: Vec<(NaiveDateTime, u8, i32, StatementLine)> = Vec::new();
    if supplier.opening_balance > 0 {
        let at = supplier.created_at;
        lines.push((
            at,
            0,
            0,
            line(
                at,
                StatementWhat::Opening,
                supplier.opening_balance,
                0,
                String::new(),
            ),
        ));
    }
    let bought: Vec<(i32, i64, String, NaiveDateTime)> = supplies::table
        .filter(supplies::supplier_id.eq(id))
        .select((
            supplies::id,
            supplies::total_cost,
            supplies::notes,
            supplies::created_at,
        ))
        .load(conn)?;
    for (sid, cost, notes, at) in bought {
        let mut l = line(at, StatementWhat::Supply, cost, 0, notes);
        l.supply_id = Some(sid);
        lines.push((at, 1, sid, l));
    }
    let paid: Vec<SupplierPayment> = supplier_payments::table
        .filter(supplier_payments::supplier_id.eq(id))
        .select(columns_of::<SupplierPayment>())
        .load(conn)?;
    for p in paid {
        let mut l = line(p.created_at, StatementWhat::Payment, 0, p.amount, p.note);
        l.supply_id = p.supply_id;
        l.method = Some(p.method);
        lines.push((p.created_at, 2, p.id, l));
    }
    let returned: Vec<(i32, i64, String, NaiveDateTime)> = supplier_returns::table
        .filter(supplier_returns::supplier_id.eq(id))
        .select((
            supplier_returns::id,
            supplier_returns::total_cost,
            supplier_returns::reason,
            supplier_returns::created_at,
        ))
        .load(conn)?;
    for (rid, cost, reason, at) in returned {
        let mut l = line(at, StatementWhat::Return, 0, cost, reason);
        l.return_id = Some(rid);
        lines.push((at, 3, rid, l));
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

//! Cashier shifts: open with a float, sell, close by counting the drawer.

use crate::store::db::prelude::*;
use crate::store::sum_i64;
use serde::Serialize;
use serde_json::json;

use super::{App, AppError, AppResult, Session, audit, optional_text};
use crate::domain::shift::ShiftCash;
use crate::domain::{Action, Money};
use crate::store::models::Shift;
use crate::store::schema::{client_ledger, refund_payments, refunds, sale_payments, sales, shifts};

/// A shift's figures: the X report while it is open, the Z report once closed.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct ShiftReport {
    pub shift: Shift,
    pub sales_count: i64,
    pub refunds_count: i64,
    pub revenue: i64,
    pub cash_sales: i64,
    pub card_sales: i64,
    /// `card_sales` per non-cash payment method (Uzcard, Click, …), largest first.
    pub card_by_method: Vec<(super::PaymentMethodView, i64)>,
    pub nasiya_sales: i64,
    pub cash_refunds: i64,
    /// Every refund of the shift by the method the money went back through (cash, each card
    /// method, nasiya), with how many refunds used it.
    pub refunds_by: Vec<RefundBy>,
    /// The shift's sales by VAT rate, with the VAT included.
    pub vat: Vec<super::VatRow>,
    /// The number of the fiscal shift (Z report) that went with it, once closed there.
    pub fiscal_z: Option<String>,
    pub cash_debt_payments: i64,
    /// Cash paid to suppliers out of this shift's drawer.
    pub cash_to_suppliers: i64,
    /// Debt payments taken by card in this shift (through the card terminal, not the drawer).
    pub card_debt_payments: i64,
    pub expected_cash: i64,
    /// On a Z report: the audit chain's head right after the close ("COUNT:HASH"), printed
    /// so that `kassa audit verify --anchor` can later prove the log was not cut or rebuilt.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub audit_anchor: Option<String>,
}

/// Refunds of a shift through one method.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct RefundBy {
    /// `cash`, `card` or `nasiya`.
    pub method: String,
    /// The card method, for card refunds whose method is known.
    pub channel: Option<super::PaymentMethodView>,
    /// How many refunds gave money back this way.
    pub count: i64,
    pub amount: i64,
}

impl RefundBy {
    /// The method's name as the shop calls it.
    pub fn name(&self, lang: crate::i18n::Lang) -> String {
        match &self.channel {
            Some(m) => m.name(lang).to_string(),
            None => lang.method(&self.method).to_string(),
        }
    }
}

/// The shift's refunds per method: cash first, then the card methods, then nasiya.
fn refunds_by(conn: &mut Db, shift_id: i32) -> AppResult<Vec<RefundBy>> {
    // (refund, method, its card method, the tender's card method, amount)
    type Row = (i32, String, Option<i32>, Option<i32>, i64);
    let rows: Vec<Row> = refund_payments::table
        .inner_join(refunds::table)
        .inner_join(sale_payments::table)
        .filter(refunds::shift_id.eq(shift_id))
        .select((
            refund_payments::refund_id,
            refund_payments::method,
            refund_payments::channel_id,
            sale_payments::channel_id,
            refund_payments::amount,
        ))
        .load(conn)?;
    let methods = super::payment_methods::load(conn)?;
    let mut out: Vec<(RefundBy, std::collections::BTreeSet<i32>)> = Vec::new();
    for (refund, method, channel, tender_channel, amount) in rows {
        let channel = if method == "card" {
            channel.or(tender_channel)
        } else {
            None
        };
        let view = channel.and_then(|c| methods.0.iter().find(|m| m.id == c).cloned());
        let key = (method.clone(), view.as_ref().map(|m| m.id));
        match out
            .iter_mut()
            .find(|(r, _)| (r.method.clone(), r.channel.as_ref().map(|m| m.id)) == key)
        {
            Some((r, ids)) => {
                r.amount += amount;
                ids.insert(refund);
            }
            None => out.push((
                RefundBy {
                    method,
                    channel: view,
                    count: 0,
                    amount,
                },
                [refund].into(),
            )),
        }
    }
    let mut out: Vec<RefundBy> = out
        .into_iter()
        .map(|(mut r, ids)| {
            r.count = ids.len() as i64;
            r
        })
        .collect();
    let rank = |m: &str| match m {
        "cash" => 0,
        "nasiya" => 2,
        _ => 1,
    };
    out.sort_by_key(|r| {
        (
            rank(&r.method),
            r.channel.as_ref().map(|m| (m.position, m.id)),
        )
    });
    Ok(out)
}

pub(crate) fn open_shift_of(conn: &mut Db, employee_id: i32) -> AppResult<Option<Shift>> {
    Ok(shifts::table
        .filter(shifts::employee_id.eq(employee_id))
        .filter(shifts::closed_at.is_null())
        .select(columns_of::<Shift>())
        .first(conn)
        .optional()?)
}

/// What the shift's sales took by `method` (whatever was refunded later: the drawer took it).
fn sum_payments(conn: &mut Db, shift_id: i32, method: &str) -> AppResult<i64> {
    Ok(sale_payments::table
        .inner_join(sales::table)
        .filter(sale_payments::method.eq(method))
        .filter(sales::shift_id.eq(shift_id))
        .select(sum_i64(sale_payments::amount))
        .first::<Option<i64>>(conn)?
        .unwrap_or(0))
}

/// Debt payments taken in the shift by `method`.
fn debt_payments(conn: &mut Db, shift_id: i32, method: &str) -> AppResult<i64> {
    Ok(client_ledger::table
        .filter(client_ledger::shift_id.eq(shift_id))
        .filter(client_ledger::kind.eq("payment"))
        .filter(client_ledger::method.eq(method))
        .select(sum_i64(client_ledger::amount))
        .first::<Option<i64>>(conn)?
        .unwrap_or(0))
}

pub(crate) fn report(conn: &mut Db, shift: Shift) -> AppResult<ShiftReport> {
    let id = shift.id;
    // Refunded sales are left out of the count and refunded parts out of the revenue, as in
    // the dashboard and every report; the drawer's cash still counts what was taken (a
    // refund pays it back out of the refunder's drawer).
    let sales_count: i64 = sales::table
        .filter(sales::shift_id.eq(id))
        .filter(sales::refunded_at.is_null())
        .count()
        .get_result(conn)?;
    let refunds_count: i64 = refunds::table
        .filter(refunds::shift_id.eq(id))
        .count()
        .get_result(conn)?;
    let revenue: i64 = sales::table
        .filter(sales::shift_id.eq(id))
        .filter(sales::refunded_at.is_null())
        .select(sum_i64(sales::total - sales::refunded_amount))
        .first::<Option<i64>>(conn)?
        .unwrap_or(0);
    let cash_sales = sum_payments(conn, id, "cash")?;
    let card_sales = sum_payments(conn, id, "card")?;
    let nasiya_sales = sum_payments(conn, id, "nasiya")?;
    let per_channel: Vec<(Option<i32>, Option<i64>)> = sale_payments::table
        .inner_join(sales::table)
        .filter(sales::shift_id.eq(id))
        .filter(sale_payments::method.eq("card"))
        .group_by(sale_payments::channel_id)
        .select((sale_payments::channel_id, sum_i64(sale_payments::amount)))
        .load(conn)?;
    let methods = super::payment_methods::load(conn)?;
    let mut card_by_method: Vec<(super::PaymentMethodView, i64)> = per_channel
        .into_iter()
        .filter_map(|(ch, amount)| {
            let m = methods.0.iter().find(|m| Some(m.id) == ch)?;
            Some((m.clone(), amount.unwrap_or(0)))
        })
        .collect();
    card_by_method.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.id.cmp(&b.0.id)));
    // Cash paid back out of this shift's drawer, by refunds of any sale.
    let cash_refunds: i64 = refund_payments::table
        .inner_join(refunds::table)
        .filter(refunds::shift_id.eq(id))
        .filter(refund_payments::method.eq("cash"))
        .select(sum_i64(refund_payments::amount))
        .first::<Option<i64>>(conn)?
        .unwrap_or(0);
    let cash_debt_payments = debt_payments(conn, id, "cash")?;
    let card_debt_payments = debt_payments(conn, id, "card")?;
    let cash_to_suppliers = super::suppliers::cash_paid_in_shift(conn, id)?;
    let cash = ShiftCash {
        opening: Money(shift.opening_cash),
        cash_sales: Money(cash_sales),
        cash_debt_payments: Money(cash_debt_payments),
        cash_refunds: Money(cash_refunds),
        cash_to_suppliers: Money(cash_to_suppliers),
    };
    Ok(ShiftReport {
        shift,
        sales_count,
        refunds_count,
        revenue,
        cash_sales,
        card_sales,
        card_by_method,
        nasiya_sales,
        cash_refunds,
        refunds_by: refunds_by(conn, id)?,
        vat: super::fiscal::vat_by_rate(conn, None, Some(id))?,
        fiscal_z: {
            use crate::store::schema::fiscal_shifts;
            fiscal_shifts::table
                .find(id)
                .select(fiscal_shifts::z_number)
                .first::<Option<String>>(conn)
                .optional()?
                .flatten()
        },
        cash_debt_payments,
        cash_to_suppliers,
        card_debt_payments,
        expected_cash: cash.expected().0,
        audit_anchor: None,
    })
}

/// Closes a shift: records expected, counted and the difference. Used by the cashier's own
/// close and by the emergency close-all.
pub(crate) fn close(
    conn: &mut Db,
    shift: Shift,
    counted: Option<Money>,
    note: &str,
    now: chrono::NaiveDateTime,
) -> AppResult<ShiftReport> {
    let rep = report(conn, shift)?;
    let difference = counted.map(|c| c.0 - rep.expected_cash);
    diesel::update(shifts::table.find(rep.shift.id))
        .set((
            shifts::closed_at.eq(now),
            shifts::expected_cash.eq(rep.expected_cash),
            shifts::counted_cash.eq(counted.map(|c| c.0)),
            shifts::difference.eq(difference),
            shifts::close_note.eq(note),
        ))
        .execute(conn)?;
    // The fiscal shift closes with it (its Z once every receipt is registered).
    super::fiscal::queue_shift_close(conn, rep.shift.id, now)?;
    let shift = shifts::table
        .find(rep.shift.id)
        .select(columns_of::<Shift>())
        .first(conn)?;
    Ok(ShiftReport { shift, ..rep })
}

impl App {
    /// Opens the caller's shift with the cash in the drawer. One open shift per cashier.
    pub fn open_shift(&mut self, session: &Session, opening_cash: Money) -> AppResult<Shift> {
        super::check_money("opening_cash", opening_cash)?;
        self.write(session, Action::OwnShift, |conn, actor, now| {
            let me = actor.id.ok_or(AppError::SessionGone)?;
            if open_shift_of(conn, me)?.is_some() {
                return Err(AppError::ShiftAlreadyOpen);
            }
            let shift: Shift = diesel::insert_into(shifts::table)
                .values((
                    shifts::employee_id.eq(me),
                    shifts::opened_at.eq(now),
                    shifts::opening_cash.eq(opening_cash.0),
                ))
                .returning(columns_of::<Shift>())
                .get_result(conn)?;
            super::fiscal::queue_shift_open(conn, shift.id, now)?;
            audit::record(
                conn,
                actor,
                now,
                "shift.open",
                "shift",
                Some(shift.id.into()),
                None,
                Some(json!(shift)),
            )?;
            Ok(shift)
        })
    }

    /// The caller's open shift, if any.
    pub fn current_shift(&mut self, session: &Session) -> AppResult<Option<Shift>> {
        self.read(session, Some(Action::OwnShift), |conn, actor| {
            open_shift_of(conn, actor.id.ok_or(AppError::SessionGone)?)
        })
    }

    /// The X report of the caller's open shift.
    pub fn x_report(&mut self, session: &Session) -> AppResult<ShiftReport> {
        self.read(session, Some(Action::OwnShift), |conn, actor| {
            let shift = open_shift_of(conn, actor.id.ok_or(AppError::SessionGone)?)?
                .ok_or(AppError::NoOpenShift)?;
            report(conn, shift)
        })
    }

    /// Closes the caller's shift with the counted cash; returns the Z report.
    pub fn close_shift(
        &mut self,
        session: &Session,
        counted: Money,
        note: &str,
    ) -> AppResult<ShiftReport> {
        super::check_money("counted_cash", counted)?;
        let note = optional_text("note", note, 500)?;
        // The drawer's count must see every sale made at this till: sales kept while the
        // server was away are sent first.
        if let Some(s) = self.outbox_status()
            && s.waiting > 0
        {
            let _ = self.send_outbox(std::time::Duration::from_secs(5));
            if let Some(s) = self.outbox_status()
                && s.waiting > 0
            {
                return Err(AppError::OutboxWaiting(s.waiting));
            }
        }
        self.write(session, Action::OwnShift, |conn, actor, now| {
            let shift = open_shift_of(conn, actor.id.ok_or(AppError::SessionGone)?)?
                .ok_or(AppError::NoOpenShift)?;
            let before = shift.clone();
            let rep = close(conn, shift, Some(counted), &note, now)?;
            audit::record(
                conn,
                actor,
                now,
                "shift.close",
                "shift",
                Some(rep.shift.id.into()),
                Some(json!(before)),
                Some(json!(rep)),
            )?;
            let rep = ShiftReport {
                audit_anchor: Some(audit::head(conn)?.to_string()),
                ..rep
            };
            super::printing::queue_z_report(conn, &rep, now)?;
            Ok(rep)
        })
    }

    /// Any shift's report (manager and admin: shift history; a cashier: their own).
    pub fn shift_report(&mut self, session: &Session, shift_id: i32) -> AppResult<ShiftReport> {
        self.read(session, Some(Action::OwnShift), |conn, actor| {
            let shift: Shift = shifts::table
                .find(shift_id)
                .select(columns_of::<Shift>())
                .first(conn)
                .optional()?
                .ok_or(AppError::not_found("shift", shift_id))?;
            if shift.employee_id != actor.id.unwrap_or_default()
                && !crate::domain::permissions::allows(actor.role, Action::ViewAudit)
            {
                return Err(AppError::Forbidden {
                    role: actor.role,
                    action: Action::ViewAudit,
                });
            }
            report(conn, shift)
        })
    }
}

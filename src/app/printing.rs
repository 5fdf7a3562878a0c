//! The persistent print queue. A job is the laid-out document (frozen when queued, so a copy
//! printed later shows what the customer was given) written in the same transaction as what it
//! prints: a sale's receipt, a Z report with the closed shift, a slip with a debt payment. The
//! printer thread (`devices::printer`) takes the oldest due job, sends it, and marks it
//! done; a failure (printer off, out of paper) keeps it pending with a growing delay. Jobs
//! print in the order they were queued. Nothing is queued while no printer is set up.

use crate::store::db::prelude::*;
use chrono::{Duration, NaiveDateTime};
use serde_json::json;

use super::receipt::{load_receipt, load_sale, local_time, may_see, shop_header};
use super::settings::{get, keys};
use super::shifts::{open_shift_of, report};
use super::{Actor, App, AppError, AppResult, Session, audit};
use crate::app::document::escpos::CodePage;
use crate::app::document::{self, Block, Document};
use crate::domain::Action;
use crate::i18n::{Lang, T};
use crate::store::schema::{employees, print_jobs};

/// What the printer thread needs to know, read from the settings.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PrinterSettings {
    /// `printer.port`, e.g. `tcp:192.168.1.50:9100` (see [`crate::domain::device_address::Port`]).
    pub port: String,
    pub code_page: CodePage,
    /// Characters per line (32 for 58 mm, 48 for 80 mm).
    pub width: usize,
    /// The language printed documents use (the shop's language).
    pub lang: Lang,
}

/// A job for the printer thread.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PrintJob {
    pub id: i32,
    pub kind: String,
    pub sale_id: Option<i32>,
    pub document: Document,
    pub attempts: i32,
}

/// The queue as the status bar shows it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct QueueState {
    pub pending: i64,
    /// Why the oldest pending job has not printed yet.
    pub last_error: Option<String>,
}

/// The delay before the next try after `attempts` failures: 1, 2, 4 … 30 s.
pub fn retry_delay(attempts: i32) -> Duration {
    let exp = attempts.clamp(1, 6) - 1;
    Duration::seconds((1i64 << exp).min(30))
}

pub(crate) fn printer_settings(conn: &mut Db) -> AppResult<Option<PrinterSettings>> {
    let port = get(conn, keys::PRINTER_PORT)?.unwrap_or_default();
    if port.trim().is_empty() {
        return Ok(None);
    }
    let code_page = get(conn, keys::PRINTER_CODEPAGE)?
        .and_then(|s| CodePage::parse(&s))
        .unwrap_or_default();
    let width = document::width_for(get(conn, keys::PRINTER_WIDTH)?.as_deref());
    let lang = get(conn, keys::LANGUAGE)?
        .and_then(|s| Lang::parse(&s))
        .unwrap_or_default();
    Ok(Some(PrinterSettings {
        port: port.trim().to_string(),
        code_page,
        width,
        lang,
    }))
}

fn insert(
    conn: &mut Db,
    kind: &str,
    sale_id: Option<i32>,
    doc: &Document,
    now: NaiveDateTime,
) -> AppResult<i32> {
    let document =
        serde_json::to_string(doc).map_err(|e| AppError::invalid("document", e.to_string()))?;
    Ok(diesel::insert_into(print_jobs::table)
        .values((
            print_jobs::kind.eq(kind),
            print_jobs::sale_id.eq(sale_id),
            print_jobs::document.eq(document),
            print_jobs::next_try_at.eq(now),
            print_jobs::created_at.eq(now),
        ))
        .returning(print_jobs::id)
        .get_result(conn)?)
}

/// Queues the receipt of a sale just written (in the sale's transaction), if a printer is set
/// up.
pub(crate) fn queue_receipt(
    conn: &mut Db,
    sale_id: i32,
    now: NaiveDateTime,
) -> AppResult<Option<i32>> {
    let Some(cfg) = printer_settings(conn)? else {
        return Ok(None);
    };
    let sale = load_sale(conn, sale_id)?;
    let data = load_receipt(conn, sale)?;
    let doc = document::receipt(&data, cfg.lang, cfg.width);
    let id = insert(conn, "receipt", Some(sale_id), &doc, now)?;
    // With a fiscal provider, the receipt waits a few seconds for its fiscal data (then it
    // prints marked "fiscal receipt pending" and the fiscal slip follows).
    let delay = super::fiscal::print_delay(conn)?;
    if delay > 0 {
        diesel::update(print_jobs::table.find(id))
            .set(print_jobs::next_try_at.eq(now + chrono::Duration::seconds(delay)))
            .execute(conn)?;
    }
    Ok(Some(id))
}

/// A sale's fiscal data came: the receipt still waiting to print is laid out again with it
/// and prints now; after a receipt already printed, a fiscal slip (the fiscal data and the
/// QR of the tax committee's check page) is queued.
pub(crate) fn fiscal_answer_printed(
    conn: &mut Db,
    sale_id: i32,
    now: NaiveDateTime,
) -> AppResult<()> {
    let Some(cfg) = printer_settings(conn)? else {
        return Ok(());
    };
    let waiting: Option<i32> = print_jobs::table
        .filter(print_jobs::sale_id.eq(sale_id))
        .filter(print_jobs::kind.eq("receipt"))
        .filter(print_jobs::status.eq("pending"))
        .select(print_jobs::id)
        .first(conn)
        .optional()?;
    let sale = load_sale(conn, sale_id)?;
    let data = load_receipt(conn, sale)?;
    match waiting {
        Some(job) => {
            let doc = document::receipt(&data, cfg.lang, cfg.width);
            let json = serde_json::to_string(&doc)
                .map_err(|e| AppError::invalid("document", e.to_string()))?;
            diesel::update(print_jobs::table.find(job))
                .set((
                    print_jobs::document.eq(json),
                    print_jobs::next_try_at.eq(now),
                ))
                .execute(conn)?;
        }
        None if super::fiscal::receipt_printed(conn, sale_id)? => {
            let doc = document::fiscal_slip(&data, cfg.lang, cfg.width);
            insert(conn, "fiscal_slip", Some(sale_id), &doc, now)?;
        }
        None => {}
    }
    Ok(())
}

fn shift_document(
    conn: &mut Db,
    rep: &super::ShiftReport,
    cfg: &PrinterSettings,
    now: NaiveDateTime,
) -> AppResult<Document> {
    let shop = shop_header(conn)?;
    let cashier: String = employees::table
        .find(rep.shift.employee_id)
        .select(employees::full_name)
        .first(conn)?;
    let at = local_time(conn, now);
    Ok(document::shift_report(
        rep, &shop, &cashier, &at, cfg.lang, cfg.width,
    ))
}

/// Queues the Z report of a shift just closed (in the closing transaction).
pub(crate) fn queue_z_report(
    conn: &mut Db,
    rep: &super::ShiftReport,
    now: NaiveDateTime,
) -> AppResult<Option<i32>> {
    let Some(cfg) = printer_settings(conn)? else {
        return Ok(None);
    };
    let doc = shift_document(conn, rep, &cfg, now)?;
    insert(conn, "z_report", None, &doc, now).map(Some)
}

/// Queues the slip of a debt payment just written.
pub(crate) fn queue_debt_slip(
    conn: &mut Db,
    actor: &Actor,
    slip: DebtSlipInput<'_>,
    now: NaiveDateTime,
) -> AppResult<Option<i32>> {
    let Some(cfg) = printer_settings(conn)? else {
        return Ok(None);
    };
    // The cashier by name (the login is for logging in), the card by its method's name.
    let cashier: String = match actor.id {
        Some(id) => employees::table
            .find(id)
            .select(employees::full_name)
            .first(conn)?,
        None => actor.name.clone(),
    };
    let method_name = match slip.channel {
        Some(ch) => super::payment_methods::load(conn)?
            .0
            .iter()
            .find(|m| m.id == ch)
            .map(|m| m.name(cfg.lang).to_string()),
        None => None,
    };
    let data = document::DebtSlip {
        shop: shop_header(conn)?,
        ledger_id: slip.ledger_id,
        when: local_time(conn, now),
        cashier,
        client_name: slip.client_name.to_string(),
        next_due: super::clients::next_due(conn, slip.client_id)?,
        amount: slip.amount,
        method: slip.method.to_string(),
        method_name,
        balance_after: slip.balance_after,
    };
    let doc = document::debt_slip(&data, cfg.lang, cfg.width);
    insert(conn, "debt_slip", None, &doc, now).map(Some)
}

/// Queues the slip of a refund just written (in the refund's transaction).
pub(crate) fn queue_refund_slip(
    conn: &mut Db,
    refund_id: i32,
    now: NaiveDateTime,
) -> AppResult<Option<i32>> {
    use crate::store::schema::{
        clients, products, refund_payments, refunds, sale_items, sale_payments, sales,
    };
    let Some(cfg) = printer_settings(conn)? else {
        return Ok(None);
    };
    let (sale_id, employee_id, amount, reason): (i32, Option<i32>, i64, String) = refunds::table
        .find(refund_id)
        .select((
            refunds::sale_id,
            refunds::employee_id,
            refunds::amount,
            refunds::reason,
        ))
        .first(conn)?;
    let cashier: String = match employee_id {
        Some(id) => employees::table
            .find(id)
            .select(employees::full_name)
            .first(conn)?,
        None => String::new(),
    };
    let lines: Vec<(String, i64, String, i64)> = sale_items::table
        .inner_join(products::table)
        .filter(sale_items::refund_id.eq(refund_id))
        .order(sale_items::id)
        .select((
            sale_items::product_name,
            sale_items::quantity,
            products::unit,
            sale_items::line_total,
        ))
        .load(conn)?;
    let methods = super::payment_methods::load(conn)?;
    let back: Vec<(String, i64, bool)> = refund_payments::table
        .inner_join(sale_payments::table)
        .filter(refund_payments::refund_id.eq(refund_id))
        .order(refund_payments::id)
        .select((
            refund_payments::method,
            sale_payments::channel_id,
            refund_payments::amount,
        ))
        .load::<(String, Option<i32>, i64)>(conn)?
        .into_iter()
        .map(|(m, ch, a)| (methods.label(cfg.lang, &m, ch), a, m == "cash"))
        .collect();
    let client_id: Option<i32> = sales::table
        .find(sale_id)
        .select(sales::client_id)
        .first(conn)?;
    let client = match client_id {
        Some(id) => {
            let name: String = clients::table
                .find(id)
                .select(clients::full_name)
                .first(conn)?;
            Some((name, super::clients::balance_of(conn, id)?))
        }
        None => None,
    };
    let slip = document::RefundSlip {
        shop: shop_header(conn)?,
        refund_id,
        sale_id,
        when: local_time(conn, now),
        cashier,
        lines: lines
            .into_iter()
            .map(|(name, q, unit, amount)| {
                let unit = crate::domain::Unit::parse(&unit).unwrap_or(crate::domain::Unit::Piece);
                (name, q, unit, amount)
            })
            .collect(),
        amount,
        back,
        reason,
        client,
    };
    let doc = document::refund_slip(&slip, cfg.lang, cfg.width);
    insert(conn, "refund_slip", Some(sale_id), &doc, now).map(Some)
}

pub(crate) struct DebtSlipInput<'a> {
    pub ledger_id: i32,
    pub client_id: i32,
    pub client_name: &'a str,
    pub amount: i64,
    pub method: &'a str,
    /// The card method (Uzcard, Click…) of a payment by card.
    pub channel: Option<i32>,
    pub balance_after: i64,
}

impl App {
    /// The printer settings, or `None` while no printer is set up (the printer thread).
    pub fn printer_settings(&mut self) -> AppResult<Option<PrinterSettings>> {
        printer_settings(&mut self.conn)
    }

    /// Characters per line of the receipt preview: the printer's paper, 80 mm without one.
    pub fn paper_width(&mut self) -> usize {
        match printer_settings(&mut self.conn) {
            Ok(Some(p)) => p.width,
            _ => document::WIDTH_80MM,
        }
    }

    /// Prints a copy of a receipt (marked as a copy) from the sales history or the till.
    pub fn print_copy(&mut self, session: &Session, sale_id: i32) -> AppResult<i32> {
        self.write(session, Action::Sell, |conn, actor, now| {
            let cfg = printer_settings(conn)?.ok_or(AppError::NoPrinter)?;
            let sale = load_sale(conn, sale_id)?;
            may_see(actor, &sale)?;
            let data = load_receipt(conn, sale)?;
            let mut doc = document::receipt(&data, cfg.lang, cfg.width);
            let mark = Block::Text {
                text: cfg.lang.t(T::CopyMark).to_string(),
                align: document::Align::Center,
                bold: true,
                big: false,
            };
            doc.blocks.insert(0, mark);
            doc.open_drawer = false;
            let id = insert(conn, "copy", Some(sale_id), &doc, now)?;
            audit::record(
                conn,
                actor,
                now,
                "print.copy",
                "sale",
                Some(sale_id.into()),
                None,
                Some(json!({ "job": id })),
            )?;
            Ok(id)
        })
    }

    /// Prints the X report of the caller's open shift.
    pub fn print_x_report(&mut self, session: &Session) -> AppResult<i32> {
        self.write(session, Action::OwnShift, |conn, actor, now| {
            let cfg = printer_settings(conn)?.ok_or(AppError::NoPrinter)?;
            let shift = open_shift_of(conn, actor.id.ok_or(AppError::SessionGone)?)?
                .ok_or(AppError::NoOpenShift)?;
            let rep = report(conn, shift)?;
            let doc = shift_document(conn, &rep, &cfg, now)?;
            insert(conn, "x_report", None, &doc, now)
        })
    }

    /// The oldest pending job if it is due (jobs print in order: a later job waits while an
    /// earlier one cannot print).
    pub fn next_print_job(&mut self) -> AppResult<Option<PrintJob>> {
        let now = self.now().naive_utc();
        let row: Option<(i32, String, Option<i32>, String, i32, NaiveDateTime)> = print_jobs::table
            .filter(print_jobs::status.eq("pending"))
            .order(print_jobs::id)
            .select((
                print_jobs::id,
                print_jobs::kind,
                print_jobs::sale_id,
                print_jobs::document,
                print_jobs::attempts,
                print_jobs::next_try_at,
            ))
            .first(&mut self.conn)
            .optional()?;
        let Some((id, kind, sale_id, document, attempts, next_try_at)) = row else {
            return Ok(None);
        };
        if next_try_at > now {
            return Ok(None);
        }
        let document: Document = match serde_json::from_str(&document) {
            Ok(d) => d,
            Err(e) => {
                // A document this program cannot read (written by a newer version, or
                // damaged): set it aside rather than block the queue.
                self.immediate(|conn| {
                    diesel::update(print_jobs::table.find(id))
                        .set((
                            print_jobs::status.eq("cancelled"),
                            print_jobs::last_error.eq(format!("unreadable document: {e}")),
                        ))
                        .execute(conn)?;
                    Ok(())
                })?;
                return self.next_print_job();
            }
        };
        Ok(Some(PrintJob {
            id,
            kind,
            sale_id,
            document,
            attempts,
        }))
    }

    /// Marks a job sent.
    pub fn print_job_done(&mut self, id: i32) -> AppResult<()> {
        let now = self.now().naive_utc();
        self.immediate(|conn| {
            diesel::update(print_jobs::table.find(id))
                .set((
                    print_jobs::status.eq("done"),
                    print_jobs::printed_at.eq(now),
                    print_jobs::last_error.eq(None::<String>),
                ))
                .execute(conn)?;
            Ok(())
        })
    }

    /// Records a failed try; the job is tried again after [`retry_delay`]. Returns when.
    pub fn print_job_failed(&mut self, id: i32, error: &str) -> AppResult<NaiveDateTime> {
        let now = self.now().naive_utc();
        self.immediate(|conn| {
            let attempts: i32 = print_jobs::table
                .find(id)
                .select(print_jobs::attempts)
                .first(conn)?;
            let next = now + retry_delay(attempts.saturating_add(1));
            diesel::update(print_jobs::table.find(id))
                .set((
                    print_jobs::attempts.eq(attempts.saturating_add(1)),
                    print_jobs::last_error.eq(error.chars().take(300).collect::<String>()),
                    print_jobs::next_try_at.eq(next),
                ))
                .execute(conn)?;
            Ok(next)
        })
    }

    /// How many jobs wait and why the first one has not printed.
    pub fn print_queue_state(&mut self) -> AppResult<QueueState> {
        let pending: i64 = print_jobs::table
            .filter(print_jobs::status.eq("pending"))
            .count()
            .get_result(&mut self.conn)?;
        let last_error = print_jobs::table
            .filter(print_jobs::status.eq("pending"))
            .order(print_jobs::id)
            .select(print_jobs::last_error)
            .first::<Option<String>>(&mut self.conn)
            .optional()?
            .flatten();
        Ok(QueueState {
            pending,
            last_error,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_delay_grows_to_half_a_minute() {
        let secs: Vec<i64> = (0..9).map(|a| retry_delay(a).num_seconds()).collect();
        assert_eq!(secs, vec![1, 1, 2, 4, 8, 16, 30, 30, 30]);
    }
}

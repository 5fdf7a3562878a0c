//! Fiscal receipts, the database side: every sale and refund is registered with the fiscal
//! provider (a virtual cash register) when one is set up (`fiscal.provider`).
//!
//! The request is built from what was stored and queued in `fiscal_receipts` in the same
//! transaction as the sale or refund (like the print queue), with our receipt number as its
//! `code`, which the provider keeps unique: sending it again can never register it twice.
//! The worker (`crate::fiscal`) takes the queue in order: it claims a row (`sending`, in a
//! committed write) before its request, and a row found `sending` (a crash, an answer lost) is
//! looked up by its code before it is sent again. The fiscal shift (Z report) opens and closes
//! with the Kassa shift (`fiscal_shifts`). An answer puts the fiscal data on the receipt
//! still waiting to print, or queues a fiscal slip for a receipt already printed.
//!
//! How each case is registered: a sale is one sale receipt with its payments by form (cash,
//! card, and the nasiya part as credit: the goods are handed over now, so the receipt is
//! issued now); a later debt payment is not a new sale and gets no fiscal receipt (its slip
//! says so); a split tender is one receipt with several payments; a refund sends the
//! refunded positions with the sale's fiscal data (a full refund of the whole sale as a full
//! refund), and waits until the sale itself is registered.

use crate::store::db::prelude::*;
use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

use super::settings::{get, keys};
use super::{App, AppError, AppResult, Session, audit};
use crate::domain::Action;
use crate::domain::fiscal::Vat;
use crate::store::schema::{
    employees, fiscal_receipts, fiscal_shifts, print_jobs, product_barcodes, refund_payments,
    refunds, sale_item_fiscal, sale_items, sale_payments, sales, shifts,
};

/// The provider set up in the settings.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FiscalConfig {
    /// `regos-vcr`.
    pub provider: String,
    pub url: String,
    pub login: String,
    pub password: String,
    pub pos_id: String,
}

/// The provider set up, or `None` ("none" or not set: no fiscal receipts).
pub(crate) fn config(conn: &mut Db) -> AppResult<Option<FiscalConfig>> {
    let provider = get(conn, keys::FISCAL_PROVIDER)?.unwrap_or_default();
    if provider.trim().is_empty() || provider == "none" {
        return Ok(None);
    }
    Ok(Some(FiscalConfig {
        provider,
        url: get(conn, keys::FISCAL_URL)?.unwrap_or_default(),
        login: get(conn, keys::FISCAL_LOGIN)?.unwrap_or_default(),
        password: get(conn, keys::FISCAL_PASSWORD)?.unwrap_or_default(),
        pos_id: get(conn, keys::FISCAL_POS_ID)?.unwrap_or_default(),
    }))
}

/// One position of a fiscal receipt (money in tiyin, quantity in thousandths).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FiscalItem {
    pub name: String,
    pub barcode: String,
    pub class_code: String,
    pub package_code: String,
    pub unit_code: String,
    /// Price of one unit.
    pub price: i64,
    pub quantity: i64,
    /// What the line costs after its discount.
    pub amount: i64,
    pub discount: i64,
    /// `None`: exempt.
    pub vat_percent: Option<u32>,
    pub vat_amount: i64,
    /// DataMatrix marking codes of the line's pieces.
    pub labels: Vec<String>,
}

/// What was paid, by form (tiyin): cash, card, and the credit (nasiya) part.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FiscalPayments {
    pub cash: i64,
    pub card: i64,
    pub credit: i64,
}

/// The provider's fiscal data of a registered receipt.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FiscalAnswer {
    pub terminal_id: String,
    pub receipt_no: String,
    pub fiscal_sign: String,
    /// As the provider gives it (YYYYMMDDhhmmss or a date-time text).
    pub date_time: String,
    /// The tax committee's check page of the receipt (the customer's QR code).
    pub qr_url: String,
}

/// A sale or refund receipt as sent to the provider.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FiscalRequest {
    pub code: String,
    /// `sale` or `refund`.
    pub kind: String,
    pub cashier_name: String,
    pub pos_id: String,
    /// Our shift number.
    pub session_code: String,
    pub items: Vec<FiscalItem>,
    pub payments: FiscalPayments,
    pub total: i64,
    /// A refund of everything the sale had.
    pub full_refund: bool,
    /// A refund's sale: its code, and its fiscal data once the sale is registered.
    pub sale_code: Option<String>,
    pub original: Option<FiscalAnswer>,
}

/// Our receipt number of a sale and of a refund.
pub fn sale_code(sale_id: i32) -> String {
    format!("S-{sale_id}")
}

pub fn refund_code(refund_id: i32) -> String {
    format!("R-{refund_id}")
}

/// (sale line, fiscal data as sold) of a sale or of a refund's lines.
type ItemRow = (
    i32,
    i32,
    String,
    i64,
    i64,
    i64,
    i64,
    i64,
    i64,
    Option<(String, String, String, String, String)>,
);

fn items_of(conn: &mut Db, sale_id: i32, refund_id: Option<i32>) -> AppResult<Vec<FiscalItem>> {
    let rows: Vec<ItemRow> = crate::on_db!(&mut *conn, c => {
    let mut q = sale_items::table
        .left_join(sale_item_fiscal::table)
        .filter(sale_items::sale_id.eq(sale_id))
        .into_boxed();
    q = match refund_id {
        Some(r) => q.filter(sale_items::refund_id.eq(r)),
        None => q,
    };
    q
        .order(sale_items::id)
        .select((
            sale_items::id,
            sale_items::product_id,
            sale_items::product_name,
            sale_items::quantity,
            sale_items::unit_price,
            sale_items::gross,
            sale_items::line_discount,
            sale_items::sale_discount_share,
            sale_items::line_total,
            (
                sale_item_fiscal::class_code,
                sale_item_fiscal::package_code,
                sale_item_fiscal::unit_code,
                sale_item_fiscal::vat,
                sale_item_fiscal::marking_codes,
            )
                .nullable(),
        ))
        .load(c)?
    });
    let mut out = Vec::with_capacity(rows.len());
    for (_, product, name, quantity, price, gross, line_disc, share, total, f) in rows {
        let barcode: String = product_barcodes::table
            .filter(product_barcodes::product_id.eq(product))
            .order(product_barcodes::id)
            .select(product_barcodes::barcode)
            .first(conn)
            .optional()?
            .unwrap_or_default();
        let (class_code, package_code, unit_code, vat, labels) = f.unwrap_or_default();
        let vat = Vat::parse(&vat).unwrap_or_default();
        let _ = gross;
        out.push(FiscalItem {
            name,
            barcode,
            class_code,
            package_code,
            unit_code,
            price,
            quantity,
            amount: total,
            discount: line_disc + share,
            vat_percent: vat.percent(),
            vat_amount: vat.included_in(total),
            labels: labels
                .lines()
                .map(str::to_string)
                .filter(|l| !l.is_empty())
                .collect(),
        });
    }
    Ok(out)
}

fn cashier_name(conn: &mut Db, employee_id: Option<i32>) -> AppResult<String> {
    Ok(match employee_id {
        Some(id) => employees::table
            .find(id)
            .select(employees::full_name)
            .first(conn)?,
        None => String::new(),
    })
}

fn insert(
    conn: &mut Db,
    req: &FiscalRequest,
    sale_id: i32,
    refund_id: Option<i32>,
    shift_id: i32,
    now: NaiveDateTime,
) -> AppResult<()> {
    let json =
        serde_json::to_string(req).map_err(|e| AppError::invalid("fiscal", e.to_string()))?;
    diesel::insert_into(fiscal_receipts::table)
        .values((
            fiscal_receipts::kind.eq(&req.kind),
            fiscal_receipts::sale_id.eq(sale_id),
            fiscal_receipts::refund_id.eq(refund_id),
            fiscal_receipts::shift_id.eq(shift_id),
            fiscal_receipts::code.eq(&req.code),
            fiscal_receipts::request.eq(json),
            fiscal_receipts::created_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

/// Queues the sale just written (in its transaction) when a provider is set up.
pub(crate) fn queue_sale(conn: &mut Db, sale_id: i32, now: NaiveDateTime) -> AppResult<()> {
    let Some(cfg) = config(conn)? else {
        return Ok(());
    };
    let (shift_id, employee, total): (i32, i32, i64) = sales::table
        .find(sale_id)
        .select((sales::shift_id, sales::employee_id, sales::total))
        .first(conn)?;
    let paid: Vec<(String, i64)> = sale_payments::table
        .filter(sale_payments::sale_id.eq(sale_id))
        .select((sale_payments::method, sale_payments::amount))
        .load(conn)?;
    let mut payments = FiscalPayments::default();
    for (method, amount) in paid {
        match method.as_str() {
            "cash" => payments.cash += amount,
            "card" => payments.card += amount,
            _ => payments.credit += amount,
        }
    }
    let req = FiscalRequest {
        code: sale_code(sale_id),
        kind: "sale".into(),
        cashier_name: cashier_name(conn, Some(employee))?,
        pos_id: cfg.pos_id,
        session_code: shift_id.to_string(),
        items: items_of(conn, sale_id, None)?,
        payments,
        total,
        full_refund: false,
        sale_code: None,
        original: None,
    };
    insert(conn, &req, sale_id, None, shift_id, now)
}

/// Queues the refund just written (in its transaction) when its sale was registered or is
/// waiting to be.
pub(crate) fn queue_refund(
    conn: &mut Db,
    refund_id: i32,
    complete_sale: bool,
    now: NaiveDateTime,
) -> AppResult<()> {
    let (sale_id, shift_id, employee, amount): (i32, Option<i32>, Option<i32>, i64) =
        refunds::table
            .find(refund_id)
            .select((
                refunds::sale_id,
                refunds::shift_id,
                refunds::employee_id,
                refunds::amount,
            ))
            .first(conn)?;
    let sale_registered: i64 = fiscal_receipts::table
        .filter(fiscal_receipts::sale_id.eq(sale_id))
        .filter(fiscal_receipts::kind.eq("sale"))
        .count()
        .get_result(conn)?;
    // A sale from before the provider was set up was never registered: nothing to refund
    // at the provider.
    if sale_registered == 0 || config(conn)?.is_none() {
        return Ok(());
    }
    let Some(shift_id) = shift_id else {
        return Err(AppError::RefundNeedsShift);
    };
    let back: Vec<(String, i64)> = refund_payments::table
        .filter(refund_payments::refund_id.eq(refund_id))
        .select((refund_payments::method, refund_payments::amount))
        .load(conn)?;
    let mut payments = FiscalPayments::default();
    for (method, a) in back {
        match method.as_str() {
            "cash" => payments.cash += a,
            "card" => payments.card += a,
            _ => payments.credit += a,
        }
    }
    let earlier_refunds: i64 = refunds::table
        .filter(refunds::sale_id.eq(sale_id))
        .filter(refunds::id.ne(refund_id))
        .count()
        .get_result(conn)?;
    let cfg = config(conn)?.unwrap_or_else(|| FiscalConfig {
        provider: String::new(),
        url: String::new(),
        login: String::new(),
        password: String::new(),
        pos_id: String::new(),
    });
    let req = FiscalRequest {
        code: refund_code(refund_id),
        kind: "refund".into(),
        cashier_name: cashier_name(conn, employee)?,
        pos_id: cfg.pos_id,
        session_code: shift_id.to_string(),
        items: items_of(conn, sale_id, Some(refund_id))?,
        payments,
        total: amount,
        full_refund: complete_sale && earlier_refunds == 0,
        sale_code: Some(sale_code(sale_id)),
        original: None,
    };
    insert(conn, &req, sale_id, Some(refund_id), shift_id, now)
}

/// Opens the fiscal shift with a Kassa shift (in its transaction) when a provider is set up.
pub(crate) fn queue_shift_open(conn: &mut Db, shift_id: i32, now: NaiveDateTime) -> AppResult<()> {
    if config(conn)?.is_none() {
        return Ok(());
    }
    diesel::insert_into(fiscal_shifts::table)
        .values((
            fiscal_shifts::shift_id.eq(shift_id),
            fiscal_shifts::status.eq("opening"),
            fiscal_shifts::updated_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

/// Closes the fiscal shift with its Kassa shift (in its transaction); the Z report is taken
/// once every receipt of the shift is registered.
pub(crate) fn queue_shift_close(conn: &mut Db, shift_id: i32, now: NaiveDateTime) -> AppResult<()> {
    // A fiscal shift still opening is closed by the worker once it has opened.
    diesel::update(
        fiscal_shifts::table
            .find(shift_id)
            .filter(fiscal_shifts::status.eq("open")),
    )
    .set((
        fiscal_shifts::status.eq("closing"),
        fiscal_shifts::updated_at.eq(now),
    ))
    .execute(conn)?;
    Ok(())
}

/// Refuses a sale the provider cannot register: a product without its class code, a marked
/// product without a marking code for each piece (or one given twice).
pub(crate) fn check_sale_lines(
    conn: &mut Db,
    lines: &[(i32, String, i64, Vec<String>)],
) -> AppResult<()> {
    if config(conn)?.is_none() {
        return Ok(());
    }
    let ids: Vec<i32> = lines.iter().map(|l| l.0).collect();
    let fiscal = super::catalog::fiscal_of(conn, Some(&ids))?;
    let mut seen = std::collections::HashSet::new();
    for (id, name, quantity, codes) in lines {
        let f = fiscal.get(id).cloned().unwrap_or_default();
        if f.class_code.is_empty() {
            return Err(AppError::NoClassCode(name.clone()));
        }
        if f.marked {
            let pieces = quantity / crate::domain::quantity::QTY_SCALE;
            if codes.len() as i64 != pieces {
                return Err(AppError::MarkingCodesNeeded {
                    product: name.clone(),
                    needed: pieces,
                    given: codes.len() as i64,
                });
            }
            for c in codes {
                crate::domain::fiscal::marking_code(c)
                    .map_err(|e| AppError::invalid("marking_code", e.to_string()))?;
                if !seen.insert(c.clone()) {
                    return Err(AppError::invalid(
                        "marking_code",
                        format!("the marking code {c} is given twice"),
                    ));
                }
            }
        }
    }
    Ok(())
}

/// What the worker does next.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FiscalTask {
    OpenShift {
        shift_id: i32,
        cashier: String,
    },
    /// A receipt to register; `claimed`: it was being sent when the program stopped or its
    /// answer was lost, so it is looked up by its code first.
    Receipt {
        id: i32,
        request: Box<FiscalRequest>,
        claimed: bool,
    },
    CloseShift {
        shift_id: i32,
        cashier: String,
    },
}

/// The queue's state, for the status bar and `kassa fiscal status`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FiscalStatus {
    /// `None`: no provider set up.
    pub provider: Option<String>,
    /// Receipts not registered yet (pending or being sent).
    pub waiting: i64,
    /// Receipts the provider refused, waiting for a manager.
    pub refused: i64,
    /// The last refusal or failure, in the provider's words.
    pub last_error: Option<String>,
    /// Fiscal shifts opening or closing.
    pub shifts_waiting: i64,
}

/// A receipt's fiscal state for the Sales tab.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FiscalState {
    /// Sold with no provider set up.
    NotRegistered,
    Waiting,
    Done(FiscalAnswer),
    Refused(String),
}

impl App {
    /// The next thing the fiscal worker should do (in order: open shifts, receipts oldest
    /// first, then the Z of shifts whose receipts are all registered); `None` when nothing is
    /// due. A receipt waiting for a later try holds the ones after it (order is kept).
    pub fn fiscal_next(&mut self) -> AppResult<Option<FiscalTask>> {
        let now = self.now().naive_utc();
        let conn = &mut self.conn;
        if config(conn)?.is_none() {
            return Ok(None);
        }
        let cashier_of = |conn: &mut Db, shift: i32| -> AppResult<String> {
            Ok(shifts::table
                .inner_join(employees::table)
                .filter(shifts::id.eq(shift))
                .select(employees::full_name)
                .first(conn)?)
        };
        let opening: Option<i32> = fiscal_shifts::table
            .filter(fiscal_shifts::status.eq("opening"))
            .order(fiscal_shifts::shift_id)
            .select(fiscal_shifts::shift_id)
            .first(conn)
            .optional()?;
        if let Some(shift_id) = opening {
            let cashier = cashier_of(conn, shift_id)?;
            return Ok(Some(FiscalTask::OpenShift { shift_id, cashier }));
        }
        let next: Option<(i32, String, String, Option<NaiveDateTime>, String)> =
            fiscal_receipts::table
                .filter(fiscal_receipts::status.eq_any(["pending", "sending"]))
                .order(fiscal_receipts::id)
                .select((
                    fiscal_receipts::id,
                    fiscal_receipts::status,
                    fiscal_receipts::request,
                    fiscal_receipts::next_try_at,
                    fiscal_receipts::kind,
                ))
                .first(conn)
                .optional()?;
        if let Some((id, status, request, next_try_at, kind)) = next {
            if next_try_at.is_some_and(|t| t > now) {
                return Ok(None);
            }
            let mut request: FiscalRequest = serde_json::from_str(&request)
                .map_err(|e| AppError::invalid("fiscal request", e.to_string()))?;
            if kind == "refund" {
                // A refund needs its sale's fiscal data: it waits for the sale.
                let code = request.sale_code.clone().unwrap_or_default();
                let original: Option<(String, Option<String>)> = fiscal_receipts::table
                    .filter(fiscal_receipts::code.eq(&code))
                    .select((fiscal_receipts::status, fiscal_receipts::answer))
                    .first(conn)
                    .optional()?;
                match original {
                    Some((s, Some(answer))) if s == "done" => {
                        request.original = serde_json::from_str(&answer).ok();
                    }
                    _ => return Ok(None),
                }
            }
            return Ok(Some(FiscalTask::Receipt {
                id,
                request: Box::new(request),
                claimed: status == "sending",
            }));
        }
        let closing: Option<i32> = fiscal_shifts::table
            .filter(fiscal_shifts::status.eq("closing"))
            .order(fiscal_shifts::shift_id)
            .select(fiscal_shifts::shift_id)
            .first(conn)
            .optional()?;
        if let Some(shift_id) = closing {
            let open: i64 = fiscal_receipts::table
                .filter(fiscal_receipts::shift_id.eq(shift_id))
                .filter(fiscal_receipts::status.ne("done"))
                .count()
                .get_result(conn)?;
            if open == 0 {
                let cashier = cashier_of(conn, shift_id)?;
                return Ok(Some(FiscalTask::CloseShift { shift_id, cashier }));
            }
        }
        Ok(None)
    }

    /// Marks a receipt as being sent, in a committed write before its request.
    pub fn fiscal_claim(&mut self, id: i32) -> AppResult<()> {
        self.immediate(|conn| {
            diesel::update(fiscal_receipts::table.find(id))
                .set((
                    fiscal_receipts::status.eq("sending"),
                    fiscal_receipts::attempts.eq(fiscal_receipts::attempts + 1),
                ))
                .execute(conn)?;
            Ok(())
        })
    }

    /// A receipt registered: its fiscal data is kept, and goes on paper: on the receipt
    /// still waiting to print, or on a fiscal slip after one already printed.
    pub fn fiscal_done(&mut self, id: i32, answer: &FiscalAnswer) -> AppResult<()> {
        let now = self.now().naive_utc();
        let json = serde_json::to_string(answer)
            .map_err(|e| AppError::invalid("fiscal answer", e.to_string()))?;
        self.immediate(|conn| {
            let (kind, sale_id, status): (String, i32, String) = fiscal_receipts::table
                .find(id)
                .select((
                    fiscal_receipts::kind,
                    fiscal_receipts::sale_id,
                    fiscal_receipts::status,
                ))
                .first(conn)?;
            if status == "done" {
                return Ok(());
            }
            diesel::update(fiscal_receipts::table.find(id))
                .set((
                    fiscal_receipts::status.eq("done"),
                    fiscal_receipts::answer.eq(&json),
                    fiscal_receipts::done_at.eq(now),
                    fiscal_receipts::last_error.eq(None::<String>),
                ))
                .execute(conn)?;
            if kind == "sale" {
                super::printing::fiscal_answer_printed(conn, sale_id, now)?;
            }
            Ok(())
        })
    }

    /// Not sent (the provider unreachable, or the answer may not have come): tried again
    /// after `delay_secs`. `claimed`: it may have reached the provider, so it stays
    /// `sending` and is looked up by its code before it is sent again.
    pub fn fiscal_later(
        &mut self,
        id: i32,
        error: &str,
        delay_secs: i64,
        claimed: bool,
    ) -> AppResult<()> {
        let at = self.now().naive_utc() + chrono::Duration::seconds(delay_secs);
        self.immediate(|conn| {
            diesel::update(fiscal_receipts::table.find(id))
                .set((
                    fiscal_receipts::status.eq(if claimed { "sending" } else { "pending" }),
                    fiscal_receipts::next_try_at.eq(at),
                    fiscal_receipts::last_error.eq(error),
                ))
                .execute(conn)?;
            Ok(())
        })
    }

    /// The provider said no, in words: kept for a manager to see and send again.
    pub fn fiscal_refused(&mut self, id: i32, error: &str) -> AppResult<()> {
        self.immediate(|conn| {
            diesel::update(fiscal_receipts::table.find(id))
                .set((
                    fiscal_receipts::status.eq("refused"),
                    fiscal_receipts::last_error.eq(error),
                ))
                .execute(conn)?;
            Ok(())
        })
    }

    /// A fiscal shift opened or closed (with the Z number), or failed (with why).
    pub fn fiscal_shift(
        &mut self,
        shift_id: i32,
        opened: bool,
        result: Result<Option<String>, String>,
    ) -> AppResult<()> {
        let now = self.now().naive_utc();
        self.immediate(|conn| {
            let t = fiscal_shifts::table.find(shift_id);
            // Opened after its Kassa shift was closed already: its Z comes next.
            let kassa_closed: Option<NaiveDateTime> = shifts::table
                .find(shift_id)
                .select(shifts::closed_at)
                .first(conn)?;
            let open_status = if kassa_closed.is_some() {
                "closing"
            } else {
                "open"
            };
            match (result, opened) {
                (Ok(_), true) => diesel::update(t)
                    .set((
                        fiscal_shifts::status.eq(open_status),
                        fiscal_shifts::opened_at.eq(now),
                        fiscal_shifts::last_error.eq(None::<String>),
                        fiscal_shifts::updated_at.eq(now),
                    ))
                    .execute(conn)?,
                (Ok(z), false) => diesel::update(t)
                    .set((
                        fiscal_shifts::status.eq("closed"),
                        fiscal_shifts::closed_at.eq(now),
                        fiscal_shifts::z_number.eq(z),
                        fiscal_shifts::last_error.eq(None::<String>),
                        fiscal_shifts::updated_at.eq(now),
                    ))
                    .execute(conn)?,
                (Err(e), _) => diesel::update(t)
                    .set((
                        fiscal_shifts::last_error.eq(e),
                        fiscal_shifts::updated_at.eq(now),
                    ))
                    .execute(conn)?,
            };
            Ok(())
        })
    }

    /// The queue's state (any logged-in program: the status bar, the command line).
    pub fn fiscal_status(&mut self) -> AppResult<FiscalStatus> {
        let conn = &mut self.conn;
        let Some(cfg) = config(conn)? else {
            return Ok(FiscalStatus::default());
        };
        let waiting: i64 = fiscal_receipts::table
            .filter(fiscal_receipts::status.eq_any(["pending", "sending"]))
            .count()
            .get_result(conn)?;
        let refused: i64 = fiscal_receipts::table
            .filter(fiscal_receipts::status.eq("refused"))
            .count()
            .get_result(conn)?;
        let last_error: Option<String> = fiscal_receipts::table
            .filter(fiscal_receipts::status.ne("done"))
            .filter(fiscal_receipts::last_error.is_not_null())
            .order(fiscal_receipts::id.desc())
            .select(fiscal_receipts::last_error)
            .first::<Option<String>>(conn)
            .optional()?
            .flatten()
            .or(fiscal_shifts::table
                .filter(fiscal_shifts::last_error.is_not_null())
                .filter(fiscal_shifts::status.ne("closed"))
                .select(fiscal_shifts::last_error)
                .first::<Option<String>>(conn)
                .optional()?
                .flatten());
        let shifts_waiting: i64 = fiscal_shifts::table
            .filter(fiscal_shifts::status.eq_any(["opening", "closing"]))
            .count()
            .get_result(conn)?;
        Ok(FiscalStatus {
            provider: Some(cfg.provider),
            waiting,
            refused,
            last_error,
            shifts_waiting,
        })
    }

    /// A sale's fiscal state (the Sales tab).
    pub fn fiscal_state(&mut self, session: &Session, sale_id: i32) -> AppResult<FiscalState> {
        self.read(session, Some(Action::Sell), |conn, _| {
            state_of(conn, sale_id)
        })
    }

    /// Sends a refused receipt again (manager, admin; audited).
    pub fn fiscal_send_again(&mut self, session: &Session, sale_id: i32) -> AppResult<usize> {
        self.write(session, Action::Refund, |conn, actor, now| {
            let n = diesel::update(
                fiscal_receipts::table
                    .filter(fiscal_receipts::sale_id.eq(sale_id))
                    .filter(fiscal_receipts::status.eq("refused")),
            )
            .set((
                fiscal_receipts::status.eq("pending"),
                fiscal_receipts::next_try_at.eq(None::<NaiveDateTime>),
            ))
            .execute(conn)?;
            audit::record(
                conn,
                actor,
                now,
                "fiscal.send_again",
                "sale",
                Some(sale_id.into()),
                None,
                Some(serde_json::json!({ "receipts": n })),
            )?;
            Ok(n)
        })
    }

    /// The provider set up, for the fiscal worker.
    pub fn fiscal_config(&mut self) -> AppResult<Option<FiscalConfig>> {
        config(&mut self.conn)
    }
}

/// A sale's fiscal state.
pub(crate) fn state_of(conn: &mut Db, sale_id: i32) -> AppResult<FiscalState> {
    let row: Option<(String, Option<String>, Option<String>)> = fiscal_receipts::table
        .filter(fiscal_receipts::sale_id.eq(sale_id))
        .filter(fiscal_receipts::kind.eq("sale"))
        .select((
            fiscal_receipts::status,
            fiscal_receipts::answer,
            fiscal_receipts::last_error,
        ))
        .first(conn)
        .optional()?;
    Ok(match row {
        None => FiscalState::NotRegistered,
        Some((s, Some(a), _)) if s == "done" => {
            FiscalState::Done(serde_json::from_str(&a).unwrap_or_default())
        }
        Some((s, _, e)) if s == "refused" => FiscalState::Refused(e.unwrap_or_default()),
        Some(_) => FiscalState::Waiting,
    })
}

/// How long a receipt waits to print for its fiscal data before it prints marked "fiscal
/// receipt pending" (the fiscal slip follows).
pub const PRINT_WAIT_SECS: i64 = 5;

/// The print queue waits for nothing when no provider is set up.
pub(crate) fn print_delay(conn: &mut Db) -> AppResult<i64> {
    Ok(if config(conn)?.is_some() {
        PRINT_WAIT_SECS
    } else {
        0
    })
}

/// Whether the receipt job of `sale_id` was printed already.
pub(crate) fn receipt_printed(conn: &mut Db, sale_id: i32) -> AppResult<bool> {
    let printed: i64 = print_jobs::table
        .filter(print_jobs::sale_id.eq(sale_id))
        .filter(print_jobs::kind.eq("receipt"))
        .filter(print_jobs::status.eq("done"))
        .count()
        .get_result(conn)?;
    Ok(printed > 0)
}

/// The sales of a VAT rate: lines, what they cost (VAT included) and the VAT in it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct VatRow {
    pub rate: Vat,
    pub lines: i64,
    pub amount: i64,
    /// The VAT included, summed line by line as the receipts show it.
    pub vat: i64,
}

impl VatRow {
    /// "12 %", "0 %", or "exempt" in the language.
    pub fn label(&self, lang: crate::i18n::Lang) -> String {
        match self.rate.percent() {
            Some(p) => format!("{p} %"),
            None => lang.t(crate::i18n::T::VatExempt).to_string(),
        }
    }
}

/// The VAT of the sale lines (refunded parts left out) sold in `period` (UTC bounds) or
/// in `shift`, by rate: 12 %, 0 %, exempt (rates with no sales left out).
pub(crate) fn vat_by_rate(
    conn: &mut Db,
    period: Option<(NaiveDateTime, NaiveDateTime)>,
    shift: Option<i32>,
) -> AppResult<Vec<VatRow>> {
    let rows: Vec<(Option<String>, i64)> = crate::on_db!(&mut *conn, c => {
    let mut q = sale_items::table
        .inner_join(sales::table)
        .left_join(sale_item_fiscal::table)
        .filter(sale_items::refunded.eq(false))
        .into_boxed();
    if let Some((start, end)) = period {
        q = q
            .filter(sale_items::sold_at.ge(start))
            .filter(sale_items::sold_at.lt(end));
    }
    if let Some(id) = shift {
        q = q.filter(sales::shift_id.eq(id));
    }
    q
        .select((sale_item_fiscal::vat.nullable(), sale_items::line_total))
        .load(c)?
    });
    let mut out: Vec<VatRow> = Vat::ALL
        .iter()
        .map(|&rate| VatRow {
            rate,
            lines: 0,
            amount: 0,
            vat: 0,
        })
        .collect();
    for (vat, total) in rows {
        let rate = vat.as_deref().and_then(Vat::parse).unwrap_or_default();
        if let Some(r) = out.iter_mut().find(|r| r.rate == rate) {
            r.lines += 1;
            r.amount += total;
            r.vat += rate.included_in(total);
        }
    }
    out.retain(|r| r.lines > 0);
    Ok(out)
}

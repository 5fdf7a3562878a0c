//! Selling while the shop's server is away (several tills on PostgreSQL, issue #30).
//!
//! A till on a server keeps an outbox ([`crate::store::outbox`], a small SQLite file of its
//! own). [`App::sell_at_till`] sells on the server as [`App::sell_approved`] does; when the
//! server cannot be reached it checks the sale with what the till knows (its prices, the
//! stock it last saw, the customer's debt as last shown) and keeps it in the outbox instead:
//! the customer pays and leaves, the till says the sale is kept and how many wait. Offline,
//! short stock and a customer's credit limit are warnings (recorded in the audit log when the
//! sale arrives), and nasiya is allowed only up to the admin's offline limit
//! (`credit.offline_limit`, per customer, counting the nasiya already waiting for them).
//!
//! [`App::send_outbox`] sends the kept sales in the order they were made, each in one write
//! transaction, as sold (the till's prices, its time, its shift and cashier), and removes
//! each from the outbox only after the server committed it. The checkout key makes a sale
//! sent twice (the till killed after the commit, before the removal) recorded once. Sales
//! kept while others wait go to the end of the queue, so the server records them in order.
//! A sale the server refuses (a rule the till could not check) stays, is tried again each
//! time, and is counted on the till's screen.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::sales::{SaleReceipt, SaleRequest, Written, write_sale};
use super::{Actor, App, AppError, AppResult, ClientView, PaymentMethods, Session};
use crate::domain::cart::{Cart, CartLine, Discount};
use crate::domain::payment::{PaymentMethod, TenderInput, settle};
use crate::domain::{Action, Money, Quantity, Role, Unit, debt, permissions};
use crate::store::db::prelude::*;
use crate::store::outbox::Outbox;

/// What the till knows when it sells: the prices it shows, the stock it last saw and the
/// customer as last shown. Only read when the server is away.
#[derive(Clone, Debug, Default)]
pub struct TillBasis {
    /// The till's open shift.
    pub shift_id: Option<i32>,
    /// The products of the sale as the till has them (name, unit, price, cost).
    pub lines: Vec<CartLine>,
    /// The stock of those products as the till last saw it.
    pub stock: Vec<(i32, Quantity)>,
    /// The customer chosen for the sale, as last read (their debt and credit limit).
    pub client: Option<ClientView>,
}

/// What a sale did: made on the server, or kept in the till's outbox.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Sold {
    Online(SaleReceipt),
    Kept(KeptReceipt),
}

/// A sale kept in the outbox while the server was away.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeptReceipt {
    pub total: i64,
    pub change: i64,
    /// How many sales wait in the outbox now, this one included.
    pub waiting: i64,
    /// What the till could not check as usual (also recorded when the sale arrives).
    pub warnings: Vec<OfflineWarning>,
    /// True when the key had already been kept: nothing new was kept.
    pub duplicate: bool,
}

/// A check that is a warning while the server is away.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum OfflineWarning {
    /// The till last saw less stock than sold.
    ShortStock {
        product: String,
        stock: i64,
        sold: i64,
    },
    /// The customer's debt passes their credit limit with this sale.
    OverCreditLimit { limit: i64, debt: i64 },
}

/// The till's outbox as the screen shows it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OutboxStatus {
    /// Sales waiting to be sent.
    pub waiting: i64,
    /// Of those, how many the server refused at the last try.
    pub refused: i64,
    /// The server could not be reached at the last try.
    pub offline: bool,
}

/// What one round of sending did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SendReport {
    pub sent: usize,
    /// Sent before (the till stopped between the server's commit and the outbox's removal).
    pub already: usize,
    pub refused: usize,
    /// Still waiting after the round.
    pub left: i64,
}

/// A sale waiting in a till's outbox, as `kassa outbox` lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WaitingSale {
    pub key: String,
    pub sold_at: NaiveDateTime,
    pub employee_id: i32,
    pub total: i64,
    pub nasiya: i64,
    /// Why the server refused it at the last try.
    pub refused: Option<String>,
}

/// The sales waiting in the outbox file at `path`, oldest first (read from the file alone:
/// the server may be away).
pub fn waiting_in(path: &std::path::Path) -> AppResult<Vec<WaitingSale>> {
    let mut file = Outbox::open(path)?;
    file.waiting()?
        .into_iter()
        .map(|w| {
            let kept: KeptSale = serde_json::from_str(&w.body)
                .map_err(|e| AppError::invalid("outbox", e.to_string()))?;
            Ok(WaitingSale {
                key: w.idempotency_key,
                sold_at: kept.sold_at,
                employee_id: kept.employee_id,
                total: kept.total,
                nasiya: w.nasiya,
                refused: w.refused,
            })
        })
        .collect()
}

/// A sale as the till made it, kept as JSON in the outbox.
#[derive(Clone, Debug, Serialize, Deserialize)]
struct KeptSale {
    key: String,
    employee_id: i32,
    shift_id: i32,
    sold_at: NaiveDateTime,
    client_id: Option<i32>,
    due_date: Option<NaiveDate>,
    lines: Vec<KeptLine>,
    sale_discount: Discount,
    tenders: Vec<KeptTender>,
    total: i64,
    discount_approved_by: Option<String>,
    warnings: Vec<OfflineWarning>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
struct KeptLine {
    product_id: i32,
    name: String,
    unit: String,
    quantity: i64,
    unit_price: i64,
    unit_cost: i64,
    discount: Discount,
    marking_codes: Vec<String>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
struct KeptTender {
    method: String,
    channel: Option<i32>,
    amount: i64,
}

/// How many customers a till reads (by name) to find them while its server is away.
const OFFLINE_CUSTOMERS: i64 = 5_000;

/// The outbox and what the till remembers from the server for selling without it.
pub(crate) struct OutboxState {
    file: Outbox,
    /// The admin's offline nasiya limit per customer, in tiyin (0: none), as last read.
    nasiya_limit: i64,
    tz: chrono_tz::Tz,
    /// The shop's payment methods as last read.
    methods: Option<PaymentMethods>,
    /// Customers as last read (the payment dialog's lists).
    clients: HashMap<i32, ClientView>,
    /// The password hashes of the employees logged in at this till (unlocking it offline).
    hashes: HashMap<i32, String>,
    /// The server could not be reached at the last try.
    pub(super) offline: bool,
}

/// Whether an error says the server cannot be reached (the sale can be kept).
pub(crate) fn unreachable(e: &AppError) -> bool {
    matches!(
        e,
        AppError::Store(crate::store::StoreError::ServerUnreachable { .. })
    )
}

impl App {
    /// Keeps the sales made while the server is away in the outbox at `path` (a till of a
    /// shop on a server; on a file nothing is ever offline and nothing is kept). Sales kept
    /// there earlier are sent by [`App::send_outbox`].
    pub fn use_outbox(&mut self, path: &std::path::Path) -> AppResult<()> {
        if !self.conn.is_postgres() {
            return Ok(());
        }
        let file = Outbox::open(path)?;
        let tz = self.time_zone();
        self.outbox = Some(Box::new(OutboxState {
            file,
            nasiya_limit: 0,
            tz,
            methods: None,
            clients: HashMap::new(),
            hashes: HashMap::new(),
            offline: false,
        }));
        let _ = self.refresh_offline_limit();
        Ok(())
    }

    /// The outbox's path, when the till keeps one.
    pub fn outbox_path(&self) -> Option<&std::path::Path> {
        self.outbox.as_ref().map(|o| o.file.path())
    }

    /// How many sales wait in the outbox (`None`: the till keeps none).
    pub fn outbox_status(&mut self) -> Option<OutboxStatus> {
        let o = self.outbox.as_mut()?;
        let (waiting, refused) = o.file.count().unwrap_or((0, 0));
        Some(OutboxStatus {
            waiting,
            refused,
            offline: o.offline,
        })
    }

    fn refresh_offline_limit(&mut self) -> AppResult<()> {
        let limit =
            super::settings::get(&mut self.conn, super::settings::keys::OFFLINE_NASIYA_LIMIT)?
                .filter(|v| !v.trim().is_empty())
                .and_then(|v| Money::parse(&v).ok())
                .map_or(0, |m| m.0.max(0));
        if let Some(o) = self.outbox.as_mut() {
            o.nasiya_limit = limit;
        }
        Ok(())
    }

    /// Remembers, at log-in, what the till needs while the server is away: the employee's
    /// password hash (to unlock the till after a pause; in memory only, for this till's
    /// employees), the card methods and the customers.
    pub fn remember_for_offline(&mut self, session: &Session) {
        use crate::store::schema::employees;
        if self.outbox.is_none() {
            return;
        }
        let hash: Option<String> = employees::table
            .find(session.employee_id)
            .filter(employees::deleted_at.is_null())
            .select(employees::password_hash)
            .first(&mut self.conn)
            .ok();
        if let (Some(o), Some(hash)) = (self.outbox.as_mut(), hash) {
            o.hashes.insert(session.employee_id, hash);
        }
        // The card methods and the customers, for the payment dialog without the server.
        let _ = self.payment_methods(session);
        let _ = self.clients(session, "", OFFLINE_CUSTOMERS);
    }

    /// The password hash to unlock the till with while the server is away (`None`: online,
    /// or nothing remembered: unlock as usual).
    pub fn offline_unlock(&self, session: &Session) -> Option<String> {
        let o = self.outbox.as_ref()?;
        o.offline
            .then(|| o.hashes.get(&session.employee_id).cloned())
            .flatten()
    }

    /// Remembers what a read gave, for selling without the server; when the server is away,
    /// gives what was remembered instead of the error.
    pub(crate) fn remember_methods(
        &mut self,
        read: AppResult<PaymentMethods>,
    ) -> AppResult<PaymentMethods> {
        let Some(o) = self.outbox.as_mut() else {
            return read;
        };
        match read {
            Ok(m) => {
                o.methods = Some(m.clone());
                Ok(m)
            }
            Err(e) if unreachable(&e) => o.methods.clone().ok_or(e),
            Err(e) => Err(e),
        }
    }

    /// [`App::remember_methods`] for a customer search: while the server is away, the
    /// customers read before that match `query` (name or phone digits).
    pub(crate) fn remember_clients(
        &mut self,
        query: &str,
        limit: i64,
        read: AppResult<Vec<ClientView>>,
    ) -> AppResult<Vec<ClientView>> {
        let Some(o) = self.outbox.as_mut() else {
            return read;
        };
        match read {
            Ok(list) => {
                for c in &list {
                    o.clients.insert(c.id, c.clone());
                }
                Ok(list)
            }
            Err(e) if unreachable(&e) && !o.clients.is_empty() => {
                let q = query.trim().to_lowercase();
                let digits: String = q.chars().filter(|c| c.is_ascii_digit()).collect();
                let mut found: Vec<ClientView> = o
                    .clients
                    .values()
                    .filter(|c| {
                        q.is_empty()
                            || c.full_name.to_lowercase().contains(&q)
                            || (!digits.is_empty() && c.phone.contains(&digits))
                    })
                    .cloned()
                    .collect();
                found.sort_by(|a, b| a.full_name.cmp(&b.full_name).then(a.id.cmp(&b.id)));
                found.truncate(usize::try_from(limit.max(1)).unwrap_or(usize::MAX));
                Ok(found)
            }
            Err(e) => Err(e),
        }
    }

    /// Sells at a till: on the server when it answers ([`App::sell_approved`]), else kept in
    /// the outbox, checked with what the till knows (`basis`). Sales waiting in the outbox
    /// are sent first; while some still wait, a new sale is kept behind them (the server
    /// records sales in the order they were made).
    pub fn sell_at_till(
        &mut self,
        session: &Session,
        req: &SaleRequest,
        approver: Option<&Session>,
        basis: &TillBasis,
    ) -> AppResult<Sold> {
        if self.outbox.is_none() {
            return self.sell_approved(session, req, approver).map(Sold::Online);
        }
        let waiting = |app: &mut App| app.outbox_status().map_or(0, |s| s.waiting - s.refused);
        if waiting(self) > 0 {
            let _ = self.send_outbox(Duration::from_secs(2));
        }
        if waiting(self) > 0 {
            return self.keep(session, req, approver, basis).map(Sold::Kept);
        }
        match self.sell_approved(session, req, approver) {
            Ok(r) => {
                self.set_offline(false);
                let _ = self.refresh_offline_limit();
                Ok(Sold::Online(r))
            }
            Err(e) if unreachable(&e) => {
                self.set_offline(true);
                self.keep(session, req, approver, basis).map(Sold::Kept)
            }
            Err(e) => Err(e),
        }
    }

    fn set_offline(&mut self, offline: bool) {
        if let Some(o) = self.outbox.as_mut() {
            o.offline = offline;
        }
    }

    /// Checks a sale with what the till knows and keeps it in the outbox.
    fn keep(
        &mut self,
        session: &Session,
        req: &SaleRequest,
        approver: Option<&Session>,
        basis: &TillBasis,
    ) -> AppResult<KeptReceipt> {
        if !permissions::allows(session.role, Action::Sell) {
            return Err(AppError::Forbidden {
                role: session.role,
                action: Action::Sell,
            });
        }
        if session.must_change_password {
            return Err(AppError::PasswordChangeRequired);
        }
        let key = req.idempotency_key.trim();
        if key.is_empty() || key.len() > 64 {
            return Err(AppError::invalid(
                "idempotency_key",
                "must be 1 to 64 characters",
            ));
        }
        let shift_id = basis.shift_id.ok_or(AppError::NoOpenShift)?;
        if req.lines.is_empty() {
            return Err(AppError::EmptySale);
        }
        let any_discount =
            !req.sale_discount.is_none() || req.lines.iter().any(|l| !l.discount.is_none());
        let discount_approved_by =
            if any_discount && !permissions::allows(session.role, Action::GiveDiscount) {
                match approver {
                    Some(a) if permissions::allows(a.role, Action::GiveDiscount) => {
                        Some(a.login.clone())
                    }
                    _ => {
                        return Err(AppError::Forbidden {
                            role: session.role,
                            action: Action::GiveDiscount,
                        });
                    }
                }
            } else {
                None
            };
        let mut lines = Vec::with_capacity(req.lines.len());
        for l in &req.lines {
            let known = basis
                .lines
                .iter()
                .find(|b| b.product_id == l.product_id)
                .ok_or_else(|| AppError::not_found("product", l.product_id))?;
            lines.push(KeptLine {
                product_id: l.product_id,
                name: known.name.to_string(),
                unit: known.unit.as_str().to_string(),
                quantity: l.quantity.0,
                unit_price: known.unit_price.0,
                unit_cost: known.unit_cost.0,
                discount: l.discount,
                marking_codes: l.marking_codes.clone(),
            });
        }
        let cart = cart_of(&lines, req.sale_discount)?;
        let totals = cart.totals()?;
        if let Some(expected) = req.expected_total
            && expected != totals.total
        {
            return Err(AppError::PriceChanged {
                expected,
                actual: totals.total,
            });
        }
        // A card tender names one of the shop's methods as last read.
        let mut tenders = req.tenders.clone();
        let o = self.outbox.as_mut().ok_or(AppError::NoOpenShift)?;
        for t in tenders
            .iter_mut()
            .filter(|t| t.method == PaymentMethod::Card)
        {
            let methods = o.methods.as_ref().ok_or(AppError::MethodUnavailable)?;
            let found = methods
                .active()
                .find(|m| t.channel.is_none_or(|c| c == m.id))
                .map(|m| m.id);
            t.channel = Some(found.ok_or(AppError::MethodUnavailable)?);
        }
        let settlement = settle(totals.total, &tenders)?;
        let nasiya = settlement.amount_by(PaymentMethod::Nasiya);
        let today = debt::local_date((self.clock)(), o.tz);
        let mut warnings = Vec::new();
        if nasiya.is_positive() {
            let (Some(client), Some(due)) = (req.client_id, req.due_date) else {
                return Err(AppError::NasiyaNeedsClient);
            };
            if due < today {
                return Err(AppError::NasiyaNeedsClient);
            }
            let before = o.file.nasiya_waiting(client)?;
            if before.saturating_add(nasiya.0) > o.nasiya_limit {
                return Err(AppError::OfflineNasiyaLimit {
                    limit: Money(o.nasiya_limit),
                    waiting: Money(before),
                });
            }
            let known = basis
                .client
                .as_ref()
                .filter(|c| c.id == client)
                .or_else(|| o.clients.get(&client));
            if let Some(c) = known
                && let Some(limit) = c.effective_limit
            {
                let debt = (-c.balance).max(0).saturating_add(before);
                if debt.saturating_add(nasiya.0) > limit {
                    warnings.push(OfflineWarning::OverCreditLimit { limit, debt });
                }
            }
        }
        for line in cart.lines() {
            if let Some((_, stock)) = basis.stock.iter().find(|s| s.0 == line.product_id)
                && stock.0 < line.quantity.0
            {
                warnings.push(OfflineWarning::ShortStock {
                    product: line.name.to_string(),
                    stock: stock.0,
                    sold: line.quantity.0,
                });
            }
        }
        let kept = KeptSale {
            key: key.to_string(),
            employee_id: session.employee_id,
            shift_id,
            sold_at: self.now().naive_utc(),
            client_id: req.client_id,
            due_date: if nasiya.is_positive() {
                req.due_date
            } else {
                None
            },
            lines,
            sale_discount: req.sale_discount,
            tenders: tenders
                .iter()
                .map(|t| KeptTender {
                    method: t.method.as_str().to_string(),
                    channel: t.channel,
                    amount: t.amount.0,
                })
                .collect(),
            total: totals.total.0,
            discount_approved_by,
            warnings: warnings.clone(),
        };
        let body =
            serde_json::to_string(&kept).map_err(|e| AppError::invalid("sale", e.to_string()))?;
        let o = self.outbox.as_mut().ok_or(AppError::NoOpenShift)?;
        let new = o.file.keep(key, req.client_id, nasiya.0, &body)?;
        let (waiting, _) = o.file.count()?;
        Ok(KeptReceipt {
            total: totals.total.0,
            change: settlement.change.0,
            waiting,
            warnings,
            duplicate: !new,
        })
    }

    /// Sends the sales waiting in the outbox, oldest first, for at most about `budget` (the
    /// window sends a few each frame). Stops at the first sign that the server is away; a
    /// sale the server refuses stays and is tried again next time.
    pub fn send_outbox(&mut self, budget: Duration) -> AppResult<SendReport> {
        let started = Instant::now();
        let mut report = SendReport::default();
        let Some(o) = self.outbox.as_mut() else {
            return Ok(report);
        };
        let waiting = o.file.waiting()?;
        for (i, w) in waiting.into_iter().enumerate() {
            // One sale at least, then as many as the budget allows.
            if i > 0 && started.elapsed() > budget {
                break;
            }
            let kept: Result<KeptSale, _> = serde_json::from_str(&w.body);
            let result = match kept {
                Ok(kept) => self.record_kept(&kept),
                Err(e) => Err(AppError::invalid("outbox", e.to_string())),
            };
            let o = self.outbox.as_mut().ok_or(AppError::NoOpenShift)?;
            match result {
                Ok(already) => {
                    o.file.sent(w.seq)?;
                    o.offline = false;
                    if already {
                        report.already += 1;
                    } else {
                        report.sent += 1;
                    }
                }
                Err(e) if unreachable(&e) || matches!(e, AppError::Busy { .. }) => {
                    o.offline = unreachable(&e);
                    break;
                }
                Err(e) => {
                    tracing::warn!(
                        "the server refused sale {} from the outbox: {e}",
                        w.idempotency_key
                    );
                    o.file.refused(w.seq, &e.to_string())?;
                    o.offline = false;
                    report.refused += 1;
                }
            }
        }
        let o = self.outbox.as_mut().ok_or(AppError::NoOpenShift)?;
        report.left = o.file.count()?.0;
        if report.sent + report.already > 0 {
            tracing::info!(
                "outbox: {} sales sent, {} were there already, {} wait",
                report.sent,
                report.already,
                report.left
            );
        }
        Ok(report)
    }

    /// Records one kept sale on the server as it was made; true when its key was there
    /// already.
    fn record_kept(&mut self, kept: &KeptSale) -> AppResult<bool> {
        let now = self.now().naive_utc();
        self.immediate(|conn| {
            use crate::store::schema::{employees, payment_methods, sales};
            let there: i64 = sales::table
                .filter(sales::idempotency_key.eq(&kept.key))
                .count()
                .get_result(conn)?;
            if there > 0 {
                return Ok(true);
            }
            // The cashier who sold (a deactivated one too: the sale was made).
            let (id, login, role): (i32, String, String) = employees::table
                .find(kept.employee_id)
                .select((employees::id, employees::login, employees::role))
                .first(conn)
                .optional()?
                .ok_or_else(|| AppError::not_found("employee", kept.employee_id))?;
            let actor = Actor {
                id: Some(id),
                name: login,
                role: Role::parse(&role).unwrap_or(Role::Cashier),
            };
            let cart = cart_of(&kept.lines, kept.sale_discount)?;
            let mut tenders = Vec::with_capacity(kept.tenders.len());
            for t in &kept.tenders {
                let method = PaymentMethod::parse(&t.method)
                    .ok_or_else(|| AppError::invalid("tender", t.method.clone()))?;
                if let Some(c) = t.channel {
                    // The method as it was at the till (one retired since is still it).
                    payment_methods::table
                        .find(c)
                        .select(payment_methods::id)
                        .first::<i32>(conn)
                        .optional()?
                        .ok_or(AppError::MethodUnavailable)?;
                }
                tenders.push(TenderInput {
                    method,
                    amount: Money(t.amount),
                    channel: t.channel,
                });
            }
            let settlement = settle(cart.totals()?.total, &tenders)?;
            let nasiya = settlement.amount_by(PaymentMethod::Nasiya);
            let mut also = Vec::new();
            if let Some(by) = &kept.discount_approved_by {
                also.push((
                    "sale.discount_approved",
                    json!({ "approved_by": by, "cashier": actor.name, "discount": cart.totals()?.discount().0 }),
                ));
            }
            // What the till could not check: the limit and the stock now, on the server.
            if nasiya.is_positive()
                && let Some(client) = kept.client_id
                && let Some(limit) = super::clients::credit_limit_of(conn, client)?
            {
                let debt = (-super::clients::balance_of(conn, client)?).max(0);
                if debt.saturating_add(nasiya.0) > limit {
                    also.push((
                        "sale.credit_over_limit",
                        json!({ "offline": true, "cashier": actor.name, "client_id": client, "limit": limit, "debt_before": debt, "nasiya": nasiya.0 }),
                    ));
                }
            }
            for line in cart.lines() {
                use crate::store::schema::products;
                let stock: i64 = products::table
                    .find(line.product_id)
                    .select(products::stock)
                    .first(conn)?;
                if stock < line.quantity.0 {
                    also.push((
                        "sale.negative_stock",
                        json!({ "offline": true, "product": line.name.to_string(), "stock_before": stock, "sold": line.quantity.0 }),
                    ));
                }
            }
            let marking: Vec<(i32, String, i64, Vec<String>)> = kept
                .lines
                .iter()
                .map(|l| (l.product_id, l.name.clone(), l.quantity, l.marking_codes.clone()))
                .collect();
            write_sale(
                conn,
                &actor,
                now,
                Written {
                    key: &kept.key,
                    employee_id: id,
                    shift_id: kept.shift_id,
                    client_id: kept.client_id,
                    sold_at: kept.sold_at,
                    due_date: kept.due_date,
                    cart: &cart,
                    settlement: &settlement,
                    marking: &marking,
                    also,
                    offline: Some(json!({ "sold_at": kept.sold_at.to_string(), "warnings": kept.warnings })),
                },
            )?;
            Ok(false)
        })
    }
}

/// The cart of a kept sale, priced as the till priced it.
fn cart_of(lines: &[KeptLine], sale_discount: Discount) -> AppResult<Cart> {
    let mut cart = Cart::new();
    for l in lines {
        let idx = cart.add(CartLine {
            product_id: l.product_id,
            name: l.name.as_str().into(),
            unit: Unit::parse(&l.unit).unwrap_or(Unit::Piece),
            unit_price: Money(l.unit_price),
            unit_cost: Money(l.unit_cost),
            quantity: Quantity(l.quantity),
            discount: Discount::None,
        })?;
        if !l.discount.is_none() {
            cart.set_line_discount(idx, l.discount)?;
        }
    }
    cart.set_sale_discount(sale_discount)?;
    Ok(cart)
}

//! Customers, their ledger (credit sales, payments, refunds, corrections) and debt payments.
//! A customer's balance is the sum of their ledger: negative is debt, positive prepaid.

use std::collections::HashMap;

use crate::store::db::prelude::*;
use crate::store::sum_i64;
use chrono::NaiveDate;
use serde::Serialize;
use serde_json::json;

use super::shifts::open_shift_of;
use super::{App, AppError, AppResult, Session, audit, optional_text, required_text};
use crate::domain::debt::{LedgerEntry, OpenAmount, allocate};
use crate::domain::money::MAX_MONEY;
use crate::domain::payment::PaymentMethod;
use crate::domain::{Action, Money, phone};
use crate::store::models::{Client, LedgerRow, NewLedgerRow};
use crate::store::schema::{client_ledger, clients, telegram_links};

#[derive(Clone, Debug, Default)]
pub struct ClientInput {
    pub full_name: String,
    pub phone: String,
    pub notes: String,
}

/// How [`App::clients_page`] orders the customers.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ClientOrder {
    /// Overdue first (the longest overdue first), then other debtors, then the rest.
    #[default]
    Overdue,
    /// The largest debt first.
    Debt,
    Name,
}

/// What the Customers tab asks for.
#[derive(Clone, Debug, Default)]
pub struct ClientQuery {
    pub text: String,
    pub order: ClientOrder,
    pub offset: i64,
    pub limit: i64,
}

#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct ClientView {
    pub id: i32,
    pub full_name: String,
    pub phone: String,
    pub notes: String,
    /// Sum of the ledger: negative is debt.
    pub balance: i64,
    /// The earliest due date with something still owed (payments settle the earliest due
    /// date first: [`crate::domain::debt::allocate`]).
    pub due_date: Option<NaiveDate>,
    /// What is still owed per due date, earliest first (undated last).
    pub open: Vec<OpenAmount>,
    /// The customer's own credit limit in tiyin (`None`: the shop's default).
    pub credit_limit: Option<i64>,
    /// The limit that applies: the customer's own or the shop's default; `None`: no limit.
    pub effective_limit: Option<i64>,
    pub telegram_linked: bool,
}

fn find_live(conn: &mut Db, id: i32) -> AppResult<Client> {
    clients::table
        .find(id)
        .filter(clients::deleted_at.is_null())
        .select(columns_of::<Client>())
        .first(conn)
        .optional()?
        .ok_or(AppError::not_found("customer", id))
}

pub(crate) fn balance_of(conn: &mut Db, id: i32) -> AppResult<i64> {
    Ok(client_ledger::table
        .filter(client_ledger::client_id.eq(id))
        .select(sum_i64(client_ledger::amount))
        .first::<Option<i64>>(conn)?
        .unwrap_or(0))
}

/// Customers with their balances and open due dates from their ledgers (and whether they are
/// on Telegram). Used by the customer lists, the debts report and the bot.
/// The ledger entries (amount, due date) of the customers `ids`, oldest first per customer;
/// `None`: of every customer, in one pass over the table. In chunks otherwise: one list of
/// every id would pass SQLite's limit of bound variables.
fn ledgers_of(conn: &mut Db, ids: Option<&[i32]>) -> AppResult<HashMap<i32, Vec<LedgerEntry>>> {
    let columns = (
        client_ledger::client_id,
        client_ledger::amount,
        client_ledger::due_date,
        client_ledger::sale_id,
        client_ledger::kind,
    );
    let rows: Vec<LedgerTuple> = match ids {
        None => client_ledger::table
            .order(client_ledger::id)
            .select(columns)
            .load(conn)?,
        Some(ids) => {
            let mut rows = Vec::new();
            for chunk in ids.chunks(500) {
                rows.extend(
                    client_ledger::table
                        .filter(client_ledger::client_id.eq_any(chunk))
                        .order(client_ledger::id)
                        .select(columns)
                        .load::<LedgerTuple>(conn)?,
                );
            }
            rows
        }
    };
    let mut ledgers: HashMap<i32, Vec<LedgerEntry>> = HashMap::new();
    for (cid, amount, due_date, sale_id, kind) in rows {
        ledgers
            .entry(cid)
            .or_default()
            .push(entry(amount, due_date, sale_id, &kind));
    }
    Ok(ledgers)
}

/// (customer, amount, due date, sale, kind) of a ledger row.
type LedgerTuple = (i32, i64, Option<NaiveDate>, Option<i32>, String);

/// A ledger row as the allocation takes it.
fn entry(
    amount: i64,
    due_date: Option<NaiveDate>,
    sale_id: Option<i32>,
    kind: &str,
) -> LedgerEntry {
    LedgerEntry {
        amount: Money(amount),
        due_date,
        sale_id,
        refund: kind == "refund",
    }
}

pub(crate) fn views(conn: &mut Db, list: Vec<Client>) -> AppResult<Vec<ClientView>> {
    let ids: Vec<i32> = list.iter().map(|c| c.id).collect();
    let mut ledgers = ledgers_of(conn, Some(&ids))?;
    // In chunks like the ledger: one list of every id would pass SQLite's limit of bound
    // variables for a shop with tens of thousands of customers.
    let mut linked = std::collections::HashSet::new();
    for chunk in ids.chunks(500) {
        linked.extend(
            telegram_links::table
                .filter(telegram_links::client_id.eq_any(chunk))
                .select(telegram_links::client_id)
                .load::<i32>(conn)?,
        );
    }
    let default_limit = default_credit_limit(conn)?;
    Ok(list
        .into_iter()
        .map(|c| {
            let entries = ledgers.remove(&c.id).unwrap_or_default();
            let allocation = allocate(&entries);
            ClientView {
                id: c.id,
                balance: crate::domain::debt::balance(&entries).0,
                due_date: allocation.first_due_date(),
                open: allocation.open,
                credit_limit: c.credit_limit,
                effective_limit: c.credit_limit.or(default_limit),
                telegram_linked: linked.contains(&c.id),
                full_name: c.full_name,
                phone: c.phone,
                notes: c.notes,
            }
        })
        .collect())
}

/// Live customers whose name contains `text`, or whose phone contains `digits` (3 or more).
/// The live customers matching `$text` (name) or `$digits` (3+ digits of the phone), as a
/// boxed query for the connection it is run on (a macro: a boxed query is tied to one
/// engine, so it is built inside `on_db!`).
///
/// Names match regardless of case ([`crate::store::lowered_pattern`]).
macro_rules! matching {
    ($text:expr, $digits:expr, $on_postgres:expr) => {{
        let (text, digits): (&str, &str) = ($text, $digits);
        let mut query = clients::table
            .filter(clients::deleted_at.is_null())
            .into_boxed();
        if !text.is_empty() {
            let escaped = text
                .replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_");
            let by_name = crate::store::lower(clients::full_name)
                .like(crate::store::lowered_pattern(&escaped, $on_postgres))
                .escape('\\');
            query = if digits.len() >= 3 {
                query.filter(by_name.or(clients::phone.like(format!("%{digits}%"))))
            } else {
                query.filter(by_name)
            };
        }
        query
    }};
}

/// The shop's default credit limit in tiyin (setting `credit.default_limit`, in so'm);
/// `None`: no limit.
pub(crate) fn default_credit_limit(conn: &mut Db) -> AppResult<Option<i64>> {
    Ok(
        super::settings::get(conn, super::settings::keys::CREDIT_DEFAULT_LIMIT)?
            .filter(|v| !v.trim().is_empty())
            .and_then(|v| Money::parse(&v).ok())
            .map(|m| m.0.max(0)),
    )
}

/// The credit limit that applies to a customer (`None`: no limit).
pub(crate) fn credit_limit_of(conn: &mut Db, id: i32) -> AppResult<Option<i64>> {
    let own: Option<i64> = clients::table
        .find(id)
        .select(clients::credit_limit)
        .first(conn)?;
    match own {
        Some(l) => Ok(Some(l)),
        None => default_credit_limit(conn),
    }
}

/// One customer's ledger allocated to their credits (what is open per due date).
pub(crate) fn allocation_of(
    conn: &mut Db,
    client_id: i32,
) -> AppResult<crate::domain::debt::Allocation> {
    let entries: Vec<LedgerEntry> = client_ledger::table
        .filter(client_ledger::client_id.eq(client_id))
        .order(client_ledger::id)
        .select((
            client_ledger::amount,
            client_ledger::due_date,
            client_ledger::sale_id,
            client_ledger::kind,
        ))
        .load::<(i64, Option<NaiveDate>, Option<i32>, String)>(conn)?
        .into_iter()
        .map(|(amount, due_date, sale_id, kind)| entry(amount, due_date, sale_id, &kind))
        .collect();
    Ok(allocate(&entries))
}

/// The earliest open due date and what falls due on it (for receipts and slips).
pub(crate) fn next_due(conn: &mut Db, client_id: i32) -> AppResult<Option<(NaiveDate, i64)>> {
    Ok(allocation_of(conn, client_id)?
        .open
        .iter()
        .find_map(|o| o.due_date.map(|d| (d, o.amount.0))))
}

fn clean(input: &ClientInput) -> AppResult<(String, String, String)> {
    let name = required_text("full_name", &input.full_name, 100)?;
    let phone = if input.phone.trim().is_empty() {
        String::new()
    } else {
        phone::normalize(&input.phone)?
    };
    let notes = optional_text("notes", &input.notes, 1000)?;
    Ok((name, phone, notes))
}

fn phone_taken(conn: &mut Db, phone: &str, except: Option<i32>) -> AppResult<bool> {
    if phone.is_empty() {
        return Ok(false);
    }
    let taken: i64 = crate::on_db!(conn, c => {
        let mut q = clients::table
            .filter(clients::phone.eq(phone))
            .filter(clients::deleted_at.is_null())
            .into_boxed();
        if let Some(id) = except {
            q = q.filter(clients::id.ne(id));
        }
        q.count().get_result(c)?
    });
    Ok(taken > 0)
}

fn check_amount(amount: Money) -> AppResult<()> {
    if !amount.is_positive() || amount > MAX_MONEY {
        return Err(AppError::invalid(
            "amount",
            "must be greater than zero and at most 1 000 000 000 000",
        ));
    }
    Ok(())
}

impl App {
    /// Customers whose name or phone contains `query`, by name.
    pub fn clients(
        &mut self,
        session: &Session,
        query: &str,
        limit: i64,
    ) -> AppResult<Vec<ClientView>> {
        let q = query.trim().to_string();
        let digits: String = q.chars().filter(|c| c.is_ascii_digit()).collect();
        let read = self.read(session, None, |conn, _| {
            let pg = conn.is_postgres();
            let list: Vec<Client> = crate::on_db!(&mut *conn, c => matching!(&q, &digits, pg)
                .order(clients::full_name)
                .limit(limit.clamp(1, 100_000))
                .select(columns_of::<Client>())
                .load(c)?);
            views(conn, list)
        });
        // A till remembers them for selling on nasiya while its server is away.
        self.remember_clients(&q, limit, read)
    }

    /// One page of the customers matching `q.text` (name words or 3+ digits of the phone),
    /// in `q.order` over all of them, and how many match. Overdue first sorts every
    /// matching customer by their earliest open due date (payments settle the earliest
    /// first), then other debtors, then the rest by name; by debt, the largest first.
    pub fn clients_page(
        &mut self,
        session: &Session,
        q: &ClientQuery,
    ) -> AppResult<(Vec<ClientView>, i64)> {
        let today = crate::domain::debt::local_date(self.now(), self.time_zone());
        let text = q.text.trim().to_string();
        let digits: String = text.chars().filter(|c| c.is_ascii_digit()).collect();
        let (offset, limit) = (q.offset.max(0), q.limit.clamp(1, 1_000));
        self.read(session, None, |conn, _| {
            let pg = conn.is_postgres();
            let by_name = q.order == ClientOrder::Name;
            #[allow(clippy::type_complexity)]
            let (total, page, people): (i64, Vec<Client>, Vec<(i32, String)>) =
                crate::on_db!(&mut *conn, c => {
                    let filtered = || matching!(&text, &digits, pg);
                    let total: i64 = filtered().count().get_result(c)?;
                    if by_name {
                        let page = filtered()
                            .order((clients::full_name, clients::id))
                            .offset(offset)
                            .limit(limit)
                            .select(columns_of::<Client>())
                            .load(c)?;
                        (total, page, Vec::new())
                    } else {
                        // Sort keys for every matching customer from one pass over their
                        // ledger rows; the full view (names of methods, Telegram, limits)
                        // only for the page shown.
                        let people = filtered()
                            .select((clients::id, clients::full_name))
                            .load(c)?;
                        (total, Vec::new(), people)
                    }
                });
            if by_name {
                return Ok((views(conn, page)?, total));
            }
            let ids: Vec<i32> = people.iter().map(|(id, _)| *id).collect();
            let mut ledgers = ledgers_of(conn, (!text.is_empty()).then_some(ids.as_slice()))?;
            let mut keyed: Vec<(i64, Option<NaiveDate>, String, i32)> = people
                .into_iter()
                .map(|(id, name)| {
                    let entries = ledgers.remove(&id).unwrap_or_default();
                    let balance = crate::domain::debt::balance(&entries).0;
                    let due = if balance < 0 {
                        allocate(&entries).first_due_date()
                    } else {
                        None
                    };
                    (balance, due, name, id)
                })
                .collect();
            match q.order {
                ClientOrder::Debt => {
                    keyed.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.2.cmp(&b.2)))
                }
                _ => keyed.sort_by(|a, b| {
                    let key = |(balance, due, _, _): &(i64, Option<NaiveDate>, String, i32)| {
                        let overdue = *balance < 0 && due.is_some_and(|d| d < today);
                        (!overdue, *balance >= 0, due.unwrap_or(NaiveDate::MAX))
                    };
                    key(a).cmp(&key(b)).then_with(|| a.2.cmp(&b.2))
                }),
            }
            let ids: Vec<i32> = keyed
                .iter()
                .skip(offset as usize)
                .take(limit as usize)
                .map(|k| k.3)
                .collect();
            let mut page_rows: Vec<Client> = clients::table
                .filter(clients::id.eq_any(&ids))
                .select(columns_of::<Client>())
                .load(conn)?;
            page_rows.sort_by_key(|c| ids.iter().position(|id| *id == c.id));
            let page = views(conn, page_rows)?;
            Ok((page, total))
        })
    }

    pub fn client(&mut self, session: &Session, id: i32) -> AppResult<ClientView> {
        self.read(session, None, |conn, _| {
            let c = find_live(conn, id)?;
            Ok(views(conn, vec![c])?.remove(0))
        })
    }

    pub fn create_client(
        &mut self,
        session: &Session,
        input: &ClientInput,
    ) -> AppResult<ClientView> {
        let (name, phone, notes) = clean(input)?;
        self.write(session, Action::AddClient, |conn, actor, now| {
            if phone_taken(conn, &phone, None)? {
                return Err(AppError::PhoneTaken);
            }
            let c: Client = diesel::insert_into(clients::table)
                .values((
                    clients::full_name.eq(&name),
                    clients::phone.eq(&phone),
                    clients::notes.eq(&notes),
                    clients::created_at.eq(now),
                    clients::updated_at.eq(now),
                ))
                .returning(columns_of::<Client>())
                .get_result(conn)?;
            audit::record(
                conn,
                actor,
                now,
                "client.create",
                "client",
                Some(c.id.into()),
                None,
                Some(json!(c)),
            )?;
            Ok(views(conn, vec![c])?.remove(0))
        })
    }

    pub fn update_client(
        &mut self,
        session: &Session,
        id: i32,
        input: &ClientInput,
    ) -> AppResult<ClientView> {
        let (name, phone, notes) = clean(input)?;
        self.write(session, Action::EditClient, |conn, actor, now| {
            let before = find_live(conn, id)?;
            if phone_taken(conn, &phone, Some(id))? {
                return Err(AppError::PhoneTaken);
            }
            let after: Client = diesel::update(clients::table.find(id))
                .set((
                    clients::full_name.eq(&name),
                    clients::phone.eq(&phone),
                    clients::notes.eq(&notes),
                    clients::updated_at.eq(now),
                ))
                .returning(columns_of::<Client>())
                .get_result(conn)?;
            audit::record(
                conn,
                actor,
                now,
                "client.update",
                "client",
                Some(id.into()),
                Some(json!(before)),
                Some(json!(after)),
            )?;
            Ok(views(conn, vec![after])?.remove(0))
        })
    }

    /// Sets a customer's credit limit (manager, admin): `None` follows the shop's default,
    /// zero allows no credit.
    pub fn set_credit_limit(
        &mut self,
        session: &Session,
        id: i32,
        limit: Option<Money>,
    ) -> AppResult<ClientView> {
        if let Some(l) = limit {
            super::check_money("credit_limit", l)?;
        }
        self.write(session, Action::CreditOverLimit, |conn, actor, now| {
            let before = find_live(conn, id)?;
            let after: Client = diesel::update(clients::table.find(id))
                .set((
                    clients::credit_limit.eq(limit.map(|l| l.0)),
                    clients::updated_at.eq(now),
                ))
                .returning(columns_of::<Client>())
                .get_result(conn)?;
            audit::record(
                conn,
                actor,
                now,
                "client.credit_limit",
                "client",
                Some(id.into()),
                Some(json!({ "credit_limit": before.credit_limit })),
                Some(json!({ "credit_limit": after.credit_limit })),
            )?;
            Ok(views(conn, vec![after])?.remove(0))
        })
    }

    /// Deletes a customer whose balance is zero (admin). History stays; the Telegram link goes.
    pub fn delete_client(&mut self, session: &Session, id: i32) -> AppResult<()> {
        self.write(session, Action::DeleteClient, |conn, actor, now| {
            let before = find_live(conn, id)?;
            let balance = balance_of(conn, id)?;
            if balance != 0 {
                return Err(AppError::OpenBalance(Money(balance)));
            }
            diesel::delete(telegram_links::table.filter(telegram_links::client_id.eq(id)))
                .execute(conn)?;
            diesel::update(clients::table.find(id))
                .set((clients::deleted_at.eq(now), clients::updated_at.eq(now)))
                .execute(conn)?;
            audit::record(
                conn,
                actor,
                now,
                "client.delete",
                "client",
                Some(id.into()),
                Some(json!(before)),
                None,
            )
        })
    }

    /// A customer's ledger, oldest first.
    pub fn client_ledger(&mut self, session: &Session, id: i32) -> AppResult<Vec<LedgerRow>> {
        self.read(session, None, |conn, _| {
            find_live(conn, id)?;
            Ok(client_ledger::table
                .filter(client_ledger::client_id.eq(id))
                .order(client_ledger::id)
                .select(columns_of::<LedgerRow>())
                .load(conn)?)
        })
    }

    /// Takes a debt payment in cash or by card; returns the new balance. It belongs to the
    /// taker's open shift (refused without one): cash counts in that shift's drawer, and its
    /// X/Z lists both. Paying more than the debt leaves a prepaid balance.
    pub fn take_debt_payment(
        &mut self,
        session: &Session,
        client_id: i32,
        amount: Money,
        method: PaymentMethod,
        note: &str,
    ) -> AppResult<Money> {
        self.take_debt_payment_via(session, client_id, amount, method, None, note)
    }

    /// [`App::take_debt_payment`] naming the card method (`channel`, one of the admin's
    /// active payment methods; `None`: the first, as at the till). Cash ignores it.
    pub fn take_debt_payment_via(
        &mut self,
        session: &Session,
        client_id: i32,
        amount: Money,
        method: PaymentMethod,
        channel: Option<i32>,
        note: &str,
    ) -> AppResult<Money> {
        check_amount(amount)?;
        if method == PaymentMethod::Nasiya {
            return Err(AppError::invalid(
                "method",
                "a debt is paid in cash or by card",
            ));
        }
        let note = optional_text("note", note, 500)?;
        self.write(session, Action::TakeDebtPayment, |conn, actor, now| {
            let client = find_live(conn, client_id)?;
            let before = balance_of(conn, client_id)?;
            // Every debt payment is on a Z report, whatever the method: the taker's shift.
            let shift_id = match actor.id {
                Some(id) => open_shift_of(conn, id)?.map(|s| s.id),
                None => None,
            };
            if shift_id.is_none() {
                return Err(AppError::RefundNeedsShift);
            }
            let channel = match method {
                PaymentMethod::Card => Some(super::payment_methods::resolve(conn, channel)?),
                _ => None,
            };
            let ledger_id: i32 = diesel::insert_into(client_ledger::table)
                .values((
                    NewLedgerRow {
                        client_id,
                        kind: "payment",
                        amount: amount.0,
                        method: Some(method.as_str()),
                        sale_id: None,
                        shift_id,
                        due_date: None,
                        employee_id: actor.id,
                        note: &note,
                        created_at: now,
                    },
                    client_ledger::channel_id.eq(channel),
                ))
                .returning(client_ledger::id)
                .get_result(conn)?;
            let after = balance_of(conn, client_id)?;
            audit::record(
                conn,
                actor,
                now,
                "client.debt_payment",
                "client",
                Some(client_id.into()),
                Some(json!({ "balance": before })),
                Some(json!({ "balance": after, "amount": amount.0, "method": method.as_str() })),
            )?;
            super::printing::queue_debt_slip(
                conn,
                actor,
                super::printing::DebtSlipInput {
                    ledger_id,
                    client_id: client.id,
                    client_name: &client.full_name,
                    amount: amount.0,
                    method: method.as_str(),
                    channel,
                    balance_after: after,
                },
                now,
            )?;
            super::telegram::queue_debt_payment(conn, client_id, amount.0, after, now)?;
            Ok(Money(after))
        })
    }

    /// Corrects a customer's balance by hand (manager, admin), with a reason. `amount` is
    /// signed: negative adds debt.
    pub fn adjust_client_balance(
        &mut self,
        session: &Session,
        client_id: i32,
        amount: Money,
        note: &str,
    ) -> AppResult<Money> {
        check_amount(Money(amount.0.saturating_abs()))?;
        let note = required_text("note", note, 500)?;
        self.write(session, Action::AdjustClientBalance, |conn, actor, now| {
            find_live(conn, client_id)?;
            let before = balance_of(conn, client_id)?;
            diesel::insert_into(client_ledger::table)
                .values(NewLedgerRow {
                    client_id,
                    kind: "adjustment",
                    amount: amount.0,
                    method: None,
                    sale_id: None,
                    shift_id: None,
                    due_date: None,
                    employee_id: actor.id,
                    note: &note,
                    created_at: now,
                })
                .execute(conn)?;
            let after = balance_of(conn, client_id)?;
            audit::record(
                conn,
                actor,
                now,
                "client.adjust_balance",
                "client",
                Some(client_id.into()),
                Some(json!({ "balance": before })),
                Some(json!({ "balance": after, "note": note })),
            )?;
            Ok(Money(after))
        })
    }

    /// The Telegram chats of every linked customer, for an admin broadcast.
    pub fn broadcast_recipients(&mut self, session: &Session) -> AppResult<Vec<(i32, i64)>> {
        self.read(session, Some(Action::Broadcast), |conn, _| {
            Ok(telegram_links::table
                .inner_join(clients::table)
                .filter(clients::deleted_at.is_null())
                .order(telegram_links::client_id)
                .select((telegram_links::client_id, telegram_links::chat_id))
                .load(conn)?)
        })
    }
}

//! The Telegram side of the use cases: a customer's chat linked to their customer record by
//! their own phone number, the customer's statement (only ever their own), and the outbox.
//!
//! Every message the shop sends leaves through `telegram_outbox`: it is written in the same
//! transaction as what it tells (a credit sale, a debt payment, stock falling to its threshold,
//! a reminder entered in `reminders_sent`, a broadcast), and the bot thread
//! ([`crate::bot`]) claims it (pending → sending, committed before the request), sends it and
//! marks it sent, or puts it back to pending with a growing delay while Telegram is
//! unreachable, or marks it failed when Telegram refuses it for good (the customer blocked the
//! bot). A message is never sent twice: a row still 'sending' when the bot starts was cut off
//! by a crash mid-request, may or may not have arrived, and becomes 'uncertain' (counted by
//! `kassa check`, not resent). Reminders are exactly-once
//! because `reminders_sent` has one row per (customer, due date, reminder, repeat) and the
//! message is queued in the transaction that writes that row.

use crate::store::db::prelude::*;
use chrono::{Duration, NaiveDate, NaiveDateTime, Timelike};
use serde_json::json;

use super::clients::{balance_of, views};
use super::settings::{get, keys, time_zone};
use super::telegram_texts::{self as texts, Signature};
use super::{Actor, App, AppError, AppResult, Session, audit};
use crate::domain::debt;
use crate::domain::{Action, phone};
use crate::i18n::Lang;
use crate::store::models::Client;
use crate::store::schema::{
    broadcasts, client_ledger, clients, reminders_sent, sales, telegram_chats, telegram_links,
    telegram_outbox, telegram_pause,
};

/// The environment variable that overrides the `telegram.token` setting.
pub const TOKEN_ENV: &str = "KASSA_TELEGRAM_TOKEN";

/// The longest message Telegram accepts.
pub const MAX_MESSAGE: usize = 4096;

/// What the bot thread reads from the settings.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BotSettings {
    /// From `KASSA_TELEGRAM_TOKEN` or the `telegram.token` setting; `None` = the bot is off.
    pub token: Option<String>,
    pub shop_name: String,
    /// The shop's language, for admin alerts and customers whose language is unknown.
    pub lang: Lang,
    /// Local hour (0–23) from which the day's reminders go out.
    pub reminder_hour: u32,
    /// Local hour (1–24) until which reminders may go out; at or before `reminder_hour` it
    /// means midnight.
    pub closing_hour: u32,
    /// The shop's name and phone as set (not defaulted), signed under reminders and
    /// broadcasts.
    pub signature: Signature,
    /// Overdue reminders repeat every this many days.
    pub overdue_every_days: u32,
    /// Whether an unknown phone number registers a new customer (otherwise it is refused).
    pub register_unknown: bool,
}

/// What sharing a contact came to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LinkOutcome {
    /// Linked to the existing customer with that number.
    Linked { name: String },
    /// A new customer was created with the contact's name and number, and linked.
    Registered { name: String },
    /// No customer has that number and registration is off.
    Unknown { phone: String },
    /// The contact is not the sender's own.
    NotOwn,
    /// The number is not a phone number.
    BadPhone,
}

/// A customer's own statement, as the bot shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Statement {
    pub name: String,
    pub phone: String,
    /// Sum of the ledger: negative is debt.
    pub balance: i64,
    /// What is still owed per due date, earliest first.
    pub open: Vec<debt::OpenAmount>,
    /// Last purchases, newest first: local time, total, the part taken on credit.
    pub purchases: Vec<(String, i64, i64)>,
    /// Last payments, newest first: local time, amount, method.
    pub payments: Vec<(String, i64, String)>,
    pub lang: Lang,
}

/// A message due to be sent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutMessage {
    pub id: i32,
    pub chat_id: i64,
    pub text: String,
    pub attempts: i32,
}

/// Telegram's answer to one message, as the outbox records it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Delivery {
    Sent,
    /// Try again later (Telegram unreachable, flood control, a server error); `after` is
    /// Telegram's own `retry_after` when it gave one.
    Retry {
        error: String,
        after: Option<std::time::Duration>,
    },
    /// Refused for good; `blocked` when the customer blocked the bot or the chat is gone.
    Failed {
        error: String,
        blocked: bool,
    },
    /// The request may have reached Telegram but no answer came (a timeout, a cut
    /// connection): never sent again by itself; the owner may resend it.
    Uncertain {
        error: String,
    },
}

/// An uncertain outbox row: id, chat, text, requested at, answered at, created at, the
/// customer's name.
type UncertainRow = (
    i32,
    i64,
    String,
    Option<NaiveDateTime>,
    Option<NaiveDateTime>,
    NaiveDateTime,
    Option<String>,
);

/// A message that may or may not have arrived, for the owner to look at.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UncertainMessage {
    pub id: i32,
    /// The customer's name, or the chat id for an admin chat.
    pub to: String,
    pub text: String,
    /// When it was tried, local time.
    pub at: String,
}

/// How far a broadcast has got.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct BroadcastProgress {
    pub recipients: i64,
    pub sent: i64,
    pub failed: i64,
    pub pending: i64,
}

impl BroadcastProgress {
    pub fn done(&self) -> bool {
        self.pending == 0
    }
}

/// Unknown Telegram errors are retried this many times before the message is given up.
const MAX_UNKNOWN_ATTEMPTS: i32 = 20;

/// The delay after `attempts` failures: 1, 2, 4 … 300 s.
pub fn outbox_delay(attempts: i32) -> Duration {
    let exp = attempts.clamp(1, 10) - 1;
    Duration::seconds((1i64 << exp).min(300))
}

fn shop_lang(conn: &mut Db) -> AppResult<Lang> {
    Ok(get(conn, keys::LANGUAGE)?
        .and_then(|s| Lang::parse(&s))
        .unwrap_or_default())
}

fn number_setting(conn: &mut Db, key: &str, default: u32, max: u32) -> u32 {
    get(conn, key)
        .ok()
        .flatten()
        .and_then(|s| s.trim().parse::<u32>().ok())
        .filter(|v| *v <= max)
        .unwrap_or(default)
}

pub(crate) fn bot_settings(conn: &mut Db) -> AppResult<BotSettings> {
    let from_env = std::env::var(TOKEN_ENV)
        .ok()
        .filter(|t| !t.trim().is_empty());
    let token = from_env
        .or(get(conn, keys::TELEGRAM_TOKEN)?)
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty());
    Ok(BotSettings {
        token,
        shop_name: get(conn, keys::SHOP_NAME)?.unwrap_or_else(|| "Kassa".to_string()),
        lang: shop_lang(conn)?,
        reminder_hour: number_setting(conn, keys::REMINDER_HOUR, 10, 23),
        closing_hour: number_setting(conn, keys::CLOSING_HOUR, 21, 24).max(1),
        signature: Signature {
            shop: get(conn, keys::SHOP_NAME)?.unwrap_or_default(),
            phone: get(conn, keys::SHOP_PHONE)?.unwrap_or_default(),
        },
        overdue_every_days: number_setting(conn, keys::OVERDUE_EVERY_DAYS, 3, 365).max(1),
        register_unknown: get(conn, keys::TELEGRAM_REGISTER)?.as_deref() != Some("no"),
    })
}

/// The linked chat of a customer (not blocked): chat id and language.
fn chat_of(conn: &mut Db, client_id: i32) -> AppResult<Option<(i64, Lang)>> {
    Ok(telegram_links::table
        .filter(telegram_links::client_id.eq(client_id))
        .filter(telegram_links::blocked_at.is_null())
        .select((telegram_links::chat_id, telegram_links::language))
        .first::<(i64, String)>(conn)
        .optional()?
        .map(|(chat, lang)| (chat, Lang::parse(&lang).unwrap_or_default())))
}

fn enqueue(
    conn: &mut Db,
    chat_id: i64,
    kind: &str,
    text: &str,
    client_id: Option<i32>,
    broadcast_id: Option<i32>,
    now: NaiveDateTime,
) -> AppResult<i32> {
    Ok(diesel::insert_into(telegram_outbox::table)
        .values((
            telegram_outbox::chat_id.eq(chat_id),
            telegram_outbox::kind.eq(kind),
            telegram_outbox::text.eq(text),
            telegram_outbox::client_id.eq(client_id),
            telegram_outbox::broadcast_id.eq(broadcast_id),
            telegram_outbox::next_try_at.eq(now),
            telegram_outbox::created_at.eq(now),
        ))
        .returning(telegram_outbox::id)
        .get_result(conn)?)
}

/// Tells a linked customer about a purchase on credit (in the sale's transaction).
pub(crate) fn queue_credit_sale(
    conn: &mut Db,
    client_id: i32,
    on_credit: i64,
    due_date: Option<NaiveDate>,
    now: NaiveDateTime,
) -> AppResult<()> {
    let Some((chat, lang)) = chat_of(conn, client_id)? else {
        return Ok(());
    };
    let balance = balance_of(conn, client_id)?;
    let text = texts::credit_sale(lang, on_credit, -balance.min(0), due_date);
    enqueue(conn, chat, "credit_sale", &text, Some(client_id), None, now)?;
    Ok(())
}

/// Tells a linked customer a debt payment was taken (in the payment's transaction).
pub(crate) fn queue_debt_payment(
    conn: &mut Db,
    client_id: i32,
    amount: i64,
    balance_after: i64,
    now: NaiveDateTime,
) -> AppResult<()> {
    queue_debt_message(conn, client_id, now, |lang| {
        texts::debt_payment(lang, amount, balance_after)
    })
}

/// Tells a linked customer a refund lowered their debt (in the refund's transaction).
pub(crate) fn queue_debt_refund(
    conn: &mut Db,
    client_id: i32,
    amount: i64,
    balance_after: i64,
    now: NaiveDateTime,
) -> AppResult<()> {
    queue_debt_message(conn, client_id, now, |lang| {
        texts::debt_refund(lang, amount, balance_after)
    })
}

/// Queues a message about the customer's debt, in their chat's language, when they are
/// linked (a refund's too goes as a debt message: the outbox kinds are fixed by the schema).
fn queue_debt_message(
    conn: &mut Db,
    client_id: i32,
    now: NaiveDateTime,
    text: impl FnOnce(Lang) -> String,
) -> AppResult<()> {
    let Some((chat, lang)) = chat_of(conn, client_id)? else {
        return Ok(());
    };
    enqueue(
        conn,
        chat,
        "debt_payment",
        &text(lang),
        Some(client_id),
        None,
        now,
    )?;
    Ok(())
}

/// The admin chats of the `telegram.admin_chats` setting (ids separated by commas or spaces).
pub fn parse_admin_chats(value: &str) -> Result<Vec<i64>, String> {
    value
        .split(|c: char| c == ',' || c.is_whitespace())
        .filter(|s| !s.is_empty())
        .map(|s| {
            s.parse::<i64>()
                .map_err(|_| format!("{s} is not a chat id (a number, e.g. 123456789)"))
        })
        .collect()
}

/// Stock of a product fell from above its threshold to it or below (called by every stock
/// decrease, in its transaction): one alert per admin chat, once per crossing.
pub(crate) fn queue_low_stock(
    conn: &mut Db,
    product: &str,
    unit: &str,
    stock: i64,
    threshold: i64,
    now: NaiveDateTime,
) -> AppResult<()> {
    let chats = get(conn, keys::TELEGRAM_ADMIN_CHATS)?.unwrap_or_default();
    let chats = parse_admin_chats(&chats).unwrap_or_default();
    // Without a bot nothing would ever send them: no alerts piling up in the outbox.
    if chats.is_empty() || bot_settings(conn)?.token.is_none() {
        return Ok(());
    }
    let lang = shop_lang(conn)?;
    let unit = crate::domain::Unit::parse(unit).unwrap_or(crate::domain::Unit::Piece);
    let text = texts::low_stock(lang, product, unit, stock, threshold);
    for chat in chats {
        enqueue(conn, chat, "low_stock", &text, None, None, now)?;
    }
    Ok(())
}

#[derive(diesel::QueryableByName)]
struct Debtor {
    #[diesel(sql_type = diesel::sql_types::Integer)]
    client_id: i32,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    chat_id: i64,
    #[diesel(sql_type = diesel::sql_types::Text)]
    language: String,
    #[diesel(sql_type = diesel::sql_types::Text)]
    full_name: String,
}

impl App {
    /// The bot's settings (the bot is a system part, not an employee).
    pub fn bot_settings(&mut self) -> AppResult<BotSettings> {
        bot_settings(&mut self.conn)
    }

    /// The language a chat chose (linked or not), else the linked customer's.
    pub fn telegram_language(&mut self, chat_id: i64) -> AppResult<Option<Lang>> {
        let chosen = telegram_chats::table
            .find(chat_id)
            .select(telegram_chats::language)
            .first::<String>(&mut self.conn)
            .optional()?;
        let chosen = match chosen {
            Some(l) => Some(l),
            None => telegram_links::table
                .filter(telegram_links::chat_id.eq(chat_id))
                .select(telegram_links::language)
                .first::<String>(&mut self.conn)
                .optional()?,
        };
        Ok(chosen.map(|l| Lang::parse(&l).unwrap_or_default()))
    }

    /// Remembers a chat's language, whether or not it is linked (an unlinked chat keeps it
    /// through `/start` and into linking); returns whether the chat is linked.
    pub fn set_telegram_language(&mut self, chat_id: i64, lang: Lang) -> AppResult<bool> {
        let now = self.now().naive_utc();
        self.immediate(|conn| {
            diesel::insert_into(telegram_chats::table)
                .values((
                    telegram_chats::chat_id.eq(chat_id),
                    telegram_chats::language.eq(lang.code()),
                    telegram_chats::updated_at.eq(now),
                ))
                .on_conflict(telegram_chats::chat_id)
                .do_update()
                .set((
                    telegram_chats::language.eq(lang.code()),
                    telegram_chats::updated_at.eq(now),
                ))
                .execute(conn)?;
            Ok(
                diesel::update(telegram_links::table.filter(telegram_links::chat_id.eq(chat_id)))
                    .set(telegram_links::language.eq(lang.code()))
                    .execute(conn)?
                    > 0,
            )
        })
    }

    /// The requests the outbox made in the last `window` (chat, how long ago), whatever
    /// became of them: their time is written before each is made, so a bot restarted after a
    /// crash keeps Telegram's pace.
    pub fn recent_requests(
        &mut self,
        window: std::time::Duration,
    ) -> AppResult<Vec<(i64, std::time::Duration)>> {
        let now = self.now().naive_utc();
        let since = now - Duration::from_std(window).unwrap_or(Duration::seconds(60));
        Ok(telegram_outbox::table
            .filter(telegram_outbox::requested_at.ge(since))
            .select((telegram_outbox::chat_id, telegram_outbox::requested_at))
            .load::<(i64, Option<NaiveDateTime>)>(&mut self.conn)?
            .into_iter()
            .filter_map(|(chat, at)| Some((chat, (now - at?).to_std().unwrap_or_default())))
            .collect())
    }

    /// How long the outbox must still wait because Telegram asked it to (a 429 "retry after
    /// N", kept across a restart); `None` when it need not.
    pub fn telegram_pause_left(&mut self) -> AppResult<Option<std::time::Duration>> {
        let now = self.now().naive_utc();
        let until: Option<NaiveDateTime> = telegram_pause::table
            .find(1)
            .select(telegram_pause::until)
            .first(&mut self.conn)
            .optional()?;
        Ok(until
            .filter(|u| *u > now)
            .and_then(|u| (u - now).to_std().ok()))
    }

    /// Messages that may or may not have arrived (Telegram took the request but no answer
    /// came), newest first. For those who may broadcast (admins).
    pub fn uncertain_messages(&mut self, session: &Session) -> AppResult<Vec<UncertainMessage>> {
        self.read(session, Some(Action::Broadcast), |conn, _| {
            uncertain_in(conn)
        })
    }

    /// The uncertain messages for `kassa telegram uncertain` (run by whoever may open the
    /// database file).
    pub fn uncertain_messages_by_command(&mut self) -> AppResult<Vec<UncertainMessage>> {
        uncertain_in(&mut self.conn)
    }

    /// Queues an uncertain message again, by hand (audited): the owner judged it did not
    /// arrive. Refused unless the message is uncertain.
    pub fn resend_message(&mut self, session: &Session, id: i32) -> AppResult<()> {
        self.write(session, Action::Broadcast, |conn, actor, now| {
            resend_in(conn, actor, now, Some(id)).map(|_| ())
        })
    }

    /// Queues every uncertain message again (each audited); returns how many.
    pub fn resend_all_uncertain(&mut self, session: &Session) -> AppResult<usize> {
        self.write(session, Action::Broadcast, |conn, actor, now| {
            resend_in(conn, actor, now, None)
        })
    }

    /// `kassa telegram resend ID|--all`: as [`App::resend_message`] and
    /// [`App::resend_all_uncertain`], audited as the command line.
    pub fn resend_by_command(&mut self, id: Option<i32>) -> AppResult<usize> {
        let now = self.now().naive_utc();
        self.immediate(|conn| resend_in(conn, &Actor::system("cli"), now, id))
    }

    /// Links the chat to the customer with the shared phone number. The contact must be the
    /// sender's own (`contact_user` = `from_user`): a forwarded contact links nothing. An
    /// unknown number registers a new customer with the contact's name, unless the
    /// `telegram.register` setting is `no`. A customer linked from another chat before is
    /// moved to this one (the phone's owner proved it is theirs).
    pub fn link_telegram(
        &mut self,
        chat_id: i64,
        from_user: i64,
        contact_user: Option<i64>,
        phone_number: &str,
        contact_name: &str,
        lang: Lang,
    ) -> AppResult<LinkOutcome> {
        if contact_user != Some(from_user) {
            return Ok(LinkOutcome::NotOwn);
        }
        let Ok(phone) = phone::normalize(phone_number) else {
            return Ok(LinkOutcome::BadPhone);
        };
        let now = self.now().naive_utc();
        let name = contact_name.trim().chars().take(100).collect::<String>();
        self.immediate(|conn| {
            let register = bot_settings(conn)?.register_unknown;
            let actor = Actor::system("telegram");
            let found: Option<(i32, String)> = clients::table
                .filter(clients::phone.eq(&phone))
                .filter(clients::deleted_at.is_null())
                .select((clients::id, clients::full_name))
                .first(conn)
                .optional()?;
            let (client_id, client_name, registered) = match found {
                Some((id, n)) => (id, n, false),
                None if register => {
                    let shown = if name.is_empty() {
                        phone::display(&phone)
                    } else {
                        name.clone()
                    };
                    let id: i32 = diesel::insert_into(clients::table)
                        .values((
                            clients::full_name.eq(&shown),
                            clients::phone.eq(&phone),
                            clients::notes.eq("Telegram"),
                            clients::created_at.eq(now),
                            clients::updated_at.eq(now),
                        ))
                        .returning(clients::id)
                        .get_result(conn)?;
                    audit::record(
                        conn,
                        &actor,
                        now,
                        "client.create",
                        "client",
                        Some(id.into()),
                        None,
                        Some(json!({ "full_name": shown, "phone": phone, "via": "telegram" })),
                    )?;
                    (id, shown, true)
                }
                None => {
                    return Ok(LinkOutcome::Unknown {
                        phone: phone::display(&phone),
                    });
                }
            };
            diesel::delete(
                telegram_links::table.filter(
                    telegram_links::chat_id
                        .eq(chat_id)
                        .or(telegram_links::client_id.eq(client_id)),
                ),
            )
            .execute(conn)?;
            diesel::insert_into(telegram_links::table)
                .values((
                    telegram_links::client_id.eq(client_id),
                    telegram_links::chat_id.eq(chat_id),
                    telegram_links::user_id.eq(from_user),
                    telegram_links::language.eq(lang.code()),
                    telegram_links::linked_at.eq(now),
                ))
                .execute(conn)?;
            audit::record(
                conn,
                &actor,
                now,
                "telegram.link",
                "client",
                Some(client_id.into()),
                None,
                Some(json!({ "chat_id": chat_id })),
            )?;
            Ok(if registered {
                LinkOutcome::Registered { name: client_name }
            } else {
                LinkOutcome::Linked { name: client_name }
            })
        })
    }

    /// The statement of the customer linked to `chat_id`, or `None` when the chat is not
    /// linked. Only the chat's own customer is ever read.
    pub fn telegram_statement(&mut self, chat_id: i64) -> AppResult<Option<Statement>> {
        let conn = &mut self.conn;
        conn.transaction(|conn| {
            let Some((client_id, lang)) = telegram_links::table
                .filter(telegram_links::chat_id.eq(chat_id))
                .select((telegram_links::client_id, telegram_links::language))
                .first::<(i32, String)>(conn)
                .optional()?
            else {
                return Ok(None);
            };
            let Some(client) = clients::table
                .find(client_id)
                .filter(clients::deleted_at.is_null())
                .select(columns_of::<Client>())
                .first(conn)
                .optional()?
            else {
                return Ok(None);
            };
            let Some(view) = views(conn, vec![client])?.pop() else {
                return Ok(None);
            };
            let tz = time_zone(conn);
            let local = |t: NaiveDateTime| {
                t.and_utc()
                    .with_timezone(&tz)
                    .format("%d.%m.%Y %H:%M")
                    .to_string()
            };
            let sale_rows: Vec<(i32, NaiveDateTime, i64)> = sales::table
                .filter(sales::client_id.eq(client_id))
                .filter(sales::refunded_at.is_null())
                .order(sales::id.desc())
                .limit(5)
                .select((
                    sales::id,
                    sales::created_at,
                    sales::total - sales::refunded_amount,
                ))
                .load(conn)?;
            let mut purchases = Vec::with_capacity(sale_rows.len());
            for (sale_id, at, total) in sale_rows {
                // The credit part as it stands: what was taken on credit less what refunds
                // of the sale gave back to the debt.
                let credit: Option<i64> = client_ledger::table
                    .filter(client_ledger::sale_id.eq(sale_id))
                    .filter(client_ledger::kind.eq_any(["credit_sale", "refund"]))
                    .select(crate::store::sum_i64(client_ledger::amount))
                    .first(conn)?;
                purchases.push((local(at), total, (-credit.unwrap_or(0)).max(0)));
            }
            let payments = client_ledger::table
                .filter(client_ledger::client_id.eq(client_id))
                .filter(client_ledger::kind.eq("payment"))
                .order(client_ledger::id.desc())
                .limit(5)
                .select((
                    client_ledger::created_at,
                    client_ledger::amount,
                    client_ledger::method,
                ))
                .load::<(NaiveDateTime, i64, Option<String>)>(conn)?
                .into_iter()
                .map(|(at, amount, method)| (local(at), amount, method.unwrap_or_default()))
                .collect();
            Ok(Some(Statement {
                name: view.full_name,
                phone: view.phone,
                balance: view.balance,
                open: view.open,
                purchases,
                payments,
                lang: Lang::parse(&lang).unwrap_or_default(),
            }))
        })
    }

    /// Enters the reminders that are due now in the log and queues their messages, each at
    /// most once. Reminders go out only inside the shop's daytime window, from
    /// `telegram.reminder_hour` until `telegram.closing_hour` (local time); never at night.
    /// After an outage the most recent reminder that fell in it is sent (once, inside the
    /// window); older ones it replaced are not. A customer gets at most one reminder per
    /// local day. Returns how many were queued.
    pub fn queue_due_reminders(&mut self) -> AppResult<usize> {
        let now = self.now();
        self.immediate(|conn| {
            let cfg = bot_settings(conn)?;
            let tz = time_zone(conn);
            let local = now.with_timezone(&tz);
            let closing = if cfg.closing_hour <= cfg.reminder_hour {
                24
            } else {
                cfg.closing_hour
            };
            if local.hour() < cfg.reminder_hour || local.hour() >= closing {
                return Ok(0);
            }
            let day = local.date_naive();
            // The start of today, local, in UTC: a reminder logged since then was today's.
            let day_start = day
                .and_hms_opt(0, 0, 0)
                .and_then(|t| t.and_local_timezone(tz).earliest())
                .map(|t| t.naive_utc())
                .unwrap_or_else(|| now.naive_utc() - Duration::hours(24));
            // Linked customers who owe something (one aggregate pass over the ledger).
            let linked: Vec<(i32, i64, String, String)> = diesel::sql_query(conn.sql(
                "SELECT t.client_id, t.chat_id, t.language, c.full_name \
                 FROM telegram_links t \
                 JOIN clients c ON c.id = t.client_id AND c.deleted_at IS NULL \
                 JOIN client_ledger l ON l.client_id = t.client_id \
                 WHERE t.blocked_at IS NULL \
                 GROUP BY t.client_id, t.chat_id, t.language, c.full_name \
                 HAVING SUM(l.amount) < 0",
            ))
            .load::<Debtor>(conn)?
            .into_iter()
            .map(|d| (d.client_id, d.chat_id, d.language, d.full_name))
            .collect();
            let ids: Vec<i32> = linked.iter().map(|d| d.0).collect();
            let mut rows: Vec<Client> = Vec::with_capacity(ids.len());
            for chunk in ids.chunks(500) {
                rows.extend(
                    clients::table
                        .filter(clients::id.eq_any(chunk))
                        .select(columns_of::<Client>())
                        .load::<Client>(conn)?,
                );
            }
            let owed: std::collections::HashMap<i32, (i64, Vec<debt::OpenAmount>)> =
                views(conn, rows)?
                    .into_iter()
                    .map(|v| (v.id, (v.balance, v.open)))
                    .collect();
            let reminded_today: std::collections::HashSet<i32> = reminders_sent::table
                .filter(reminders_sent::sent_at.ge(day_start))
                .select(reminders_sent::client_id)
                .load::<i32>(conn)?
                .into_iter()
                .collect();
            let mut queued = 0;
            for (client_id, chat, lang, name) in linked {
                let Some((balance, open)) = owed.get(&client_id) else {
                    continue;
                };
                if *balance >= 0 || reminded_today.contains(&client_id) {
                    continue;
                }
                // The earliest due date with a reminder not yet sent: one message per
                // customer at a time, naming what falls due on that date.
                let mut next = None;
                for o in open {
                    let Some(due) = o.due_date else { continue };
                    let Some(reminder) =
                        debt::latest_reminder_due(due, day, cfg.overdue_every_days)
                    else {
                        continue;
                    };
                    let (kind, seq) = reminder.log_key();
                    let seq = i32::try_from(seq).unwrap_or(i32::MAX);
                    let known: i64 = reminders_sent::table
                        .filter(reminders_sent::client_id.eq(client_id))
                        .filter(reminders_sent::due_date.eq(due))
                        .filter(reminders_sent::kind.eq(kind))
                        .filter(reminders_sent::seq.eq(seq))
                        .count()
                        .get_result(conn)?;
                    if known == 0 {
                        next = Some((due, o.amount.0, kind, seq));
                        break;
                    }
                }
                let Some((due, due_amount, kind, seq)) = next else {
                    continue;
                };
                let lang = Lang::parse(&lang).unwrap_or(cfg.lang);
                let text =
                    texts::reminder(lang, &name, due_amount, -balance, due, day, &cfg.signature);
                let at = now.naive_utc();
                // A reminder still waiting (Telegram was down) is replaced by this newer one.
                diesel::update(
                    telegram_outbox::table
                        .filter(telegram_outbox::client_id.eq(client_id))
                        .filter(telegram_outbox::kind.eq("reminder"))
                        .filter(telegram_outbox::status.eq("pending")),
                )
                .set((
                    telegram_outbox::status.eq("cancelled"),
                    telegram_outbox::last_error.eq("replaced by a newer reminder"),
                ))
                .execute(conn)?;
                let outbox = enqueue(conn, chat, "reminder", &text, Some(client_id), None, at)?;
                diesel::insert_into(reminders_sent::table)
                    .values((
                        reminders_sent::client_id.eq(client_id),
                        reminders_sent::due_date.eq(due),
                        reminders_sent::kind.eq(kind),
                        reminders_sent::seq.eq(seq),
                        reminders_sent::sent_at.eq(at),
                        reminders_sent::outbox_id.eq(outbox),
                    ))
                    .execute(conn)?;
                queued += 1;
            }
            Ok(queued)
        })
    }

    /// Messages due now, oldest first.
    /// Nothing while Telegram asked the outbox to wait.
    pub fn due_messages(&mut self, limit: i64) -> AppResult<Vec<OutMessage>> {
        if self.telegram_pause_left()?.is_some() {
            return Ok(Vec::new());
        }
        let now = self.now().naive_utc();
        Ok(telegram_outbox::table
            .filter(telegram_outbox::status.eq("pending"))
            .filter(telegram_outbox::next_try_at.le(now))
            .order((telegram_outbox::next_try_at, telegram_outbox::id))
            .limit(limit)
            .select((
                telegram_outbox::id,
                telegram_outbox::chat_id,
                telegram_outbox::text,
                telegram_outbox::attempts,
            ))
            .load::<(i32, i64, String, i32)>(&mut self.conn)?
            .into_iter()
            .map(|(id, chat_id, text, attempts)| OutMessage {
                id,
                chat_id,
                text,
                attempts,
            })
            .collect())
    }

    /// Claims messages for sending (pending → sending) in one committed write, with the time
    /// their request is made (it is made right after); returns the ids actually claimed
    /// (another bot process may have taken some).
    pub fn claim_messages(&mut self, ids: &[i32]) -> AppResult<Vec<i32>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let now = self.now().naive_utc();
        self.immediate(|conn| {
            let claimed: Vec<i32> = telegram_outbox::table
                .filter(telegram_outbox::id.eq_any(ids))
                .filter(telegram_outbox::status.eq("pending"))
                .select(telegram_outbox::id)
                .load(conn)?;
            diesel::update(telegram_outbox::table.filter(telegram_outbox::id.eq_any(&claimed)))
                .set((
                    telegram_outbox::status.eq("sending"),
                    telegram_outbox::requested_at.eq(now),
                ))
                .execute(conn)?;
            Ok(claimed)
        })
    }

    /// At the bot's start: messages left 'sending' by a crash mid-request become 'uncertain'
    /// (they may have reached Telegram; sending them again could repeat them). A message is
    /// claimed only at the moment its request is made, so messages that waited (for their
    /// turn, or out a 429) are still 'pending' and go out once. Returns how many.
    pub fn settle_interrupted_messages(&mut self) -> AppResult<usize> {
        self.immediate(|conn| {
            Ok(
                diesel::update(
                    telegram_outbox::table.filter(telegram_outbox::status.eq("sending")),
                )
                .set((
                    telegram_outbox::status.eq("uncertain"),
                    telegram_outbox::last_error.eq("interrupted while sending"),
                ))
                .execute(conn)?,
            )
        })
    }

    /// When the next pending message falls due (for the bot thread to sleep until then).
    pub fn next_message_at(&mut self) -> AppResult<Option<NaiveDateTime>> {
        Ok(telegram_outbox::table
            .filter(telegram_outbox::status.eq("pending"))
            .select(diesel::dsl::min(telegram_outbox::next_try_at))
            .first::<Option<NaiveDateTime>>(&mut self.conn)?)
    }

    /// Records Telegram's answer to a claimed message. Only a message being sent changes, so
    /// an answer recorded twice changes nothing the second time.
    pub fn message_delivered(&mut self, id: i32, delivery: &Delivery) -> AppResult<()> {
        let now = self.now().naive_utc();
        self.immediate(|conn| {
            let Some((chat, attempts)) = telegram_outbox::table
                .find(id)
                .filter(telegram_outbox::status.eq("sending"))
                .select((telegram_outbox::chat_id, telegram_outbox::attempts))
                .first::<(i64, i32)>(conn)
                .optional()?
            else {
                return Ok(());
            };
            let attempts = attempts.saturating_add(1);
            let row = telegram_outbox::table.find(id);
            match delivery {
                Delivery::Sent => {
                    diesel::update(row)
                        .set((
                            telegram_outbox::status.eq("sent"),
                            telegram_outbox::attempts.eq(attempts),
                            telegram_outbox::sent_at.eq(now),
                            telegram_outbox::last_error.eq(None::<String>),
                        ))
                        .execute(conn)?;
                }
                Delivery::Retry { error, after } => {
                    let backoff = outbox_delay(attempts);
                    let asked = after
                        .and_then(|d| Duration::from_std(d).ok())
                        .unwrap_or(Duration::zero());
                    if after.is_some() {
                        // Telegram's wait holds the whole outbox, also across a restart.
                        let until = now + asked;
                        let reason = error.as_str();
                        let later_of_postgres = conn.is_postgres();
                        diesel::insert_into(telegram_pause::table)
                            .values((
                                telegram_pause::id.eq(1),
                                telegram_pause::until.eq(until),
                                telegram_pause::reason.eq(reason),
                            ))
                            .on_conflict(telegram_pause::id)
                            .do_update()
                            .set((
                                telegram_pause::until.eq(diesel::dsl::sql::<
                                    diesel::sql_types::Timestamp,
                                >(
                                    // The later of the two pauses (SQLite's two-argument
                                    // `max`, PostgreSQL's `GREATEST`).
                                    if later_of_postgres {
                                        "GREATEST(telegram_pause.until, EXCLUDED.until)"
                                    } else {
                                        "max(until, excluded.until)"
                                    },
                                )),
                                telegram_pause::reason.eq(reason),
                            ))
                            .execute(conn)?;
                    }
                    let give_up = after.is_none()
                        && error.starts_with("telegram:")
                        && attempts >= MAX_UNKNOWN_ATTEMPTS;
                    diesel::update(row)
                        .set((
                            telegram_outbox::status.eq(if give_up { "failed" } else { "pending" }),
                            telegram_outbox::attempts.eq(attempts),
                            telegram_outbox::next_try_at.eq(now + backoff.max(asked)),
                            telegram_outbox::last_error.eq(Some(error.as_str())),
                        ))
                        .execute(conn)?;
                }
                Delivery::Uncertain { error } => {
                    // Its send time counts for pacing, as it may have gone.
                    diesel::update(row)
                        .set((
                            telegram_outbox::status.eq("uncertain"),
                            telegram_outbox::attempts.eq(attempts),
                            telegram_outbox::sent_at.eq(now),
                            telegram_outbox::last_error.eq(Some(error.as_str())),
                        ))
                        .execute(conn)?;
                }
                Delivery::Failed { error, blocked } => {
                    diesel::update(row)
                        .set((
                            telegram_outbox::status.eq("failed"),
                            telegram_outbox::attempts.eq(attempts),
                            telegram_outbox::last_error.eq(Some(error.as_str())),
                        ))
                        .execute(conn)?;
                    if *blocked {
                        diesel::update(
                            telegram_links::table
                                .filter(telegram_links::chat_id.eq(chat))
                                .filter(telegram_links::blocked_at.is_null()),
                        )
                        .set(telegram_links::blocked_at.eq(now))
                        .execute(conn)?;
                    }
                }
            }
            Ok(())
        })
    }

    /// How many messages wait to be sent (or are being sent).
    pub fn messages_pending(&mut self) -> AppResult<i64> {
        Ok(telegram_outbox::table
            .filter(telegram_outbox::status.eq_any(["pending", "sending"]))
            .count()
            .get_result(&mut self.conn)?)
    }

    /// Queues `text` to every linked customer (admin). Refused when the bot has no token.
    /// Returns the broadcast's id and how many customers it goes to.
    pub fn broadcast(&mut self, session: &Session, text: &str) -> AppResult<(i32, i64)> {
        let text = text.trim().to_string();
        if text.is_empty() || text.chars().count() > MAX_MESSAGE {
            return Err(AppError::invalid("text", "must be 1 to 4096 characters"));
        }
        if bot_settings(&mut self.conn)?.token.is_none() {
            return Err(AppError::invalid(
                "telegram.token",
                "the Telegram bot is not set up (no token)",
            ));
        }
        let signature = bot_settings(&mut self.conn)?.signature;
        let signed = signature.under(&text);
        if signed.chars().count() > MAX_MESSAGE {
            return Err(AppError::invalid("text", "must be 1 to 4096 characters"));
        }
        self.write(session, Action::Broadcast, |conn, actor, now| {
            let chats: Vec<(i32, i64)> = telegram_links::table
                .inner_join(clients::table)
                .filter(clients::deleted_at.is_null())
                .filter(telegram_links::blocked_at.is_null())
                .order(telegram_links::client_id)
                .select((telegram_links::client_id, telegram_links::chat_id))
                .load(conn)?;
            let recipients = i32::try_from(chats.len()).unwrap_or(i32::MAX);
            let id: i32 = diesel::insert_into(broadcasts::table)
                .values((
                    broadcasts::text.eq(&text),
                    broadcasts::employee_id.eq(actor.id),
                    broadcasts::recipients.eq(recipients),
                    broadcasts::created_at.eq(now),
                ))
                .returning(broadcasts::id)
                .get_result(conn)?;
            for (client_id, chat) in chats {
                enqueue(
                    conn,
                    chat,
                    "broadcast",
                    &signed,
                    Some(client_id),
                    Some(id),
                    now,
                )?;
            }
            audit::record(
                conn,
                actor,
                now,
                "telegram.broadcast",
                "broadcast",
                Some(id.into()),
                None,
                Some(json!({ "recipients": recipients, "chars": text.chars().count() })),
            )?;
            Ok((id, i64::from(recipients)))
        })
    }

    /// How far a broadcast has got (admin).
    pub fn broadcast_progress(
        &mut self,
        session: &Session,
        id: i32,
    ) -> AppResult<BroadcastProgress> {
        self.read(session, Some(Action::Broadcast), |conn, _| {
            let recipients: i32 = broadcasts::table
                .find(id)
                .select(broadcasts::recipients)
                .first(conn)
                .optional()?
                .ok_or(AppError::not_found("broadcast", id))?;
            let counts: Vec<(String, i64)> = telegram_outbox::table
                .filter(telegram_outbox::broadcast_id.eq(id))
                .group_by(telegram_outbox::status)
                .select((telegram_outbox::status, diesel::dsl::count_star()))
                .load(conn)?;
            let mut p = BroadcastProgress {
                recipients: i64::from(recipients),
                ..Default::default()
            };
            for (status, n) in counts {
                match status.as_str() {
                    "sent" => p.sent = n,
                    "failed" | "uncertain" => p.failed += n,
                    _ => p.pending += n,
                }
            }
            Ok(p)
        })
    }
}

fn uncertain_in(conn: &mut Db) -> AppResult<Vec<UncertainMessage>> {
    let tz = time_zone(conn);
    let rows: Vec<UncertainRow> = telegram_outbox::table
        .left_join(clients::table)
        .filter(telegram_outbox::status.eq("uncertain"))
        .order(telegram_outbox::id.desc())
        .limit(1000)
        .select((
            telegram_outbox::id,
            telegram_outbox::chat_id,
            telegram_outbox::text,
            telegram_outbox::requested_at,
            telegram_outbox::sent_at,
            telegram_outbox::created_at,
            clients::full_name.nullable(),
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(
            |(id, chat, text, requested, sent, created, name)| UncertainMessage {
                id,
                to: name.unwrap_or_else(|| chat.to_string()),
                text,
                at: crate::i18n::local_time(tz, requested.or(sent).unwrap_or(created)),
            },
        )
        .collect())
}

/// Queues uncertain messages again (`only` one of them, or all), each audited; refused when
/// the one named is not uncertain.
fn resend_in(
    conn: &mut Db,
    actor: &Actor,
    now: NaiveDateTime,
    only: Option<i32>,
) -> AppResult<usize> {
    let rows: Vec<(i32, i64, Option<i32>)> = crate::on_db!(&mut *conn, c => {
        let mut query = telegram_outbox::table
            .filter(telegram_outbox::status.eq("uncertain"))
            .select((
                telegram_outbox::id,
                telegram_outbox::chat_id,
                telegram_outbox::client_id,
            ))
            .order(telegram_outbox::id)
            .into_boxed();
        if let Some(id) = only {
            query = query.filter(telegram_outbox::id.eq(id));
        }
        query.load(c)?
    });
    if only.is_some() && rows.is_empty() {
        return Err(AppError::invalid(
            "message",
            "is not waiting for a decision",
        ));
    }
    for (id, chat, client) in &rows {
        diesel::update(telegram_outbox::table.find(id))
            .set((
                telegram_outbox::status.eq("pending"),
                telegram_outbox::next_try_at.eq(now),
                telegram_outbox::last_error.eq(Some("sent again by hand")),
            ))
            .execute(conn)?;
        audit::record(
            conn,
            actor,
            now,
            "telegram.resend",
            "telegram_message",
            Some((*id).into()),
            None,
            Some(json!({ "chat_id": chat, "client_id": client })),
        )?;
    }
    Ok(rows.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::debt::Reminder;

    #[test]
    fn admin_chats_are_numbers() {
        assert_eq!(
            parse_admin_chats("123, -100200 7"),
            Ok(vec![123, -100200, 7])
        );
        assert_eq!(parse_admin_chats(""), Ok(vec![]));
        assert!(parse_admin_chats("12a").is_err());
    }

    #[test]
    fn delays_grow_and_stop_growing() {
        assert_eq!(outbox_delay(1), Duration::seconds(1));
        assert_eq!(outbox_delay(3), Duration::seconds(4));
        assert_eq!(outbox_delay(50), Duration::seconds(300));
    }

    #[test]
    fn reminder_kinds_have_distinct_log_keys() {
        let keys: std::collections::HashSet<_> = [
            Reminder::DaysBefore(3),
            Reminder::DaysBefore(2),
            Reminder::DaysBefore(1),
            Reminder::DueDay,
            Reminder::Overdue { days: 1, seq: 0 },
            Reminder::Overdue { days: 4, seq: 1 },
        ]
        .into_iter()
        .map(Reminder::log_key)
        .collect();
        assert_eq!(keys.len(), 6);
    }
}

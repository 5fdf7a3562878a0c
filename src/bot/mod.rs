//! The Telegram bot: customers link their chat by sharing their own phone number, see their
//! balance, debt and last purchases; the shop's messages (reminders, credit sales, debt
//! payments, low-stock alerts, broadcasts) leave through the outbox of [`crate::app`].
//!
//! It runs on its own `std::thread` with its own single-threaded tokio runtime (started by the
//! GUI process, or alone as `kassa bot`), so the GUI never waits for Telegram. Database work
//! runs in `spawn_blocking` on one [`App`]. Two loops:
//! - updates: long polling with `getUpdates`; each message is answered in the sender's
//!   language (the linked chat's, else Telegram's `language_code`, else the shop's);
//! - outbox: every `tick` it enters the reminders that fell due, then sends the due messages
//!   through teloxide's `Throttle` (1 message/s per chat, 30/s overall, waits out 429
//!   `retry_after`) and records each answer. Stopping lets the messages in flight finish and
//!   be recorded, so a restart never sends one twice.
//!
//! Telegram unreachable, a 429 or a blocked bot never end the thread: they are logged, shown
//! in [`BotStatus`] and retried where that makes sense.

use crate::i18n::MoneyText;
use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, Utc};
use teloxide::adaptors::Throttle;
use teloxide::adaptors::throttle::Limits;
use teloxide::payloads::{GetUpdatesSetters, SendMessageSetters};
use teloxide::prelude::*;
use teloxide::types::{
    AllowedUpdate, ButtonRequest, KeyboardButton, KeyboardMarkup, Message, UpdateKind,
};
use teloxide::{ApiError, RequestError};
use tokio::sync::watch;
use tracing::{info, warn};

use crate::app::{App, Delivery, LinkOutcome, Options, Statement};
use crate::domain::{Money, phone};
use crate::i18n::{Lang, T};

/// The environment variable that points the bot at another Bot API server (a local
/// `telegram-bot-api`, or the fake one in the tests).
pub const API_URL_ENV: &str = "KASSA_TELEGRAM_API";

type Clock = Arc<dyn Fn() -> DateTime<Utc> + Send + Sync>;

/// How the bot thread runs.
#[derive(Clone)]
pub struct BotConfig {
    pub db: PathBuf,
    pub token: String,
    /// Another Bot API server; `None` = api.telegram.org.
    pub api_url: Option<url::Url>,
    /// The long-polling timeout of `getUpdates` (must stay under the HTTP client's 17 s).
    pub poll_timeout_secs: u32,
    /// How often the outbox is looked at when nothing else wakes it.
    pub tick: Duration,
    /// How often the reminder schedule is looked at.
    pub reminders_every: Duration,
    pub limits: Limits,
    /// Replaces the clock of the bot's `App` (tests move through days).
    pub clock: Option<Clock>,
}

impl BotConfig {
    pub fn new(db: PathBuf, token: String) -> BotConfig {
        BotConfig {
            db,
            token,
            api_url: None,
            poll_timeout_secs: 10,
            tick: Duration::from_secs(1),
            reminders_every: Duration::from_secs(60),
            limits: Limits {
                messages_per_sec_chat: 1,
                messages_per_min_chat: 20,
                messages_per_min_channel_or_supergroup: 20,
                messages_per_sec_overall: 30,
            },
            clock: None,
        }
    }

    /// The configuration for `db` from its settings and the environment; `None` when no
    /// token is set (the bot is off).
    pub fn from_settings(db: PathBuf) -> Result<Option<BotConfig>, String> {
        let mut app = App::open_existing(&db, Options::default()).map_err(|e| e.to_string())?;
        let settings = app.bot_settings().map_err(|e| e.to_string())?;
        let Some(token) = settings.token else {
            return Ok(None);
        };
        let mut cfg = BotConfig::new(db, token);
        if let Ok(url) = std::env::var(API_URL_ENV)
            && !url.trim().is_empty()
        {
            cfg.api_url =
                Some(url::Url::parse(url.trim()).map_err(|e| format!("{API_URL_ENV}: {e}"))?);
        }
        Ok(Some(cfg))
    }
}

/// What the bot is doing, for the status bar.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BotState {
    /// No token: the bot is not running.
    Off,
    Connecting,
    Running {
        username: String,
    },
    /// The last call to Telegram failed; it is retried.
    Unreachable {
        error: String,
    },
    /// Another program set a webhook for this bot and it could not be removed: Telegram
    /// then refuses long polling. Retried.
    WebhookConflict {
        error: String,
    },
}

impl std::fmt::Display for BotState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            BotState::Off => write!(f, "off"),
            BotState::Connecting => write!(f, "connecting to Telegram…"),
            BotState::Running { username } => write!(f, "running as @{username}"),
            BotState::Unreachable { error } => write!(f, "Telegram unreachable: {error}"),
            BotState::WebhookConflict { error } => {
                write!(
                    f,
                    "a webhook set by another program blocks the bot: {error}"
                )
            }
        }
    }
}

/// The bot's state and how many messages wait, shared with the GUI.
#[derive(Clone)]
pub struct BotStatus(Arc<Mutex<(BotState, i64)>>);

impl Default for BotStatus {
    fn default() -> Self {
        BotStatus(Arc::new(Mutex::new((BotState::Off, 0))))
    }
}

impl BotStatus {
    pub fn state(&self) -> BotState {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).0.clone()
    }

    pub fn pending(&self) -> i64 {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).1
    }

    fn set_state(&self, state: BotState) {
        let mut g = self.0.lock().unwrap_or_else(|e| e.into_inner());
        if g.0 != state {
            info!(?state, "telegram bot");
            g.0 = state;
        }
    }

    fn set_pending(&self, n: i64) {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).1 = n;
    }
}

/// A running bot thread. [`BotHandle::stop`] waits for the messages in flight to be
/// recorded; dropping the handle asks the thread to stop without waiting.
pub struct BotHandle {
    stop: watch::Sender<bool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl BotHandle {
    pub fn stop(mut self) {
        let _ = self.stop.send(true);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

impl Drop for BotHandle {
    fn drop(&mut self) {
        let _ = self.stop.send(true);
    }
}

/// Starts the bot thread.
pub fn spawn(cfg: BotConfig, status: BotStatus) -> std::io::Result<BotHandle> {
    let (stop_tx, stop_rx) = watch::channel(false);
    let thread = std::thread::Builder::new()
        .name("telegram".into())
        .spawn(move || run_blocking(cfg, status, stop_rx))?;
    Ok(BotHandle {
        stop: stop_tx,
        thread: Some(thread),
    })
}

/// Runs the bot on this thread until `stop` turns true (or its sender is dropped).
pub fn run_blocking(cfg: BotConfig, status: BotStatus, stop: watch::Receiver<bool>) {
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            warn!("telegram bot: no runtime: {e}");
            status.set_state(BotState::Unreachable {
                error: e.to_string(),
            });
            return;
        }
    };
    runtime.block_on(run(cfg, status, stop));
}

type Shared = Arc<Mutex<App>>;
type TBot = Throttle<Bot>;

/// Runs `f` on the bot's `App` in the blocking pool.
async fn db<T: Send + 'static>(
    app: &Shared,
    f: impl FnOnce(&mut App) -> crate::app::AppResult<T> + Send + 'static,
) -> Result<T, String> {
    let app = app.clone();
    tokio::task::spawn_blocking(move || {
        let mut guard = app.lock().unwrap_or_else(|e| e.into_inner());
        f(&mut guard).map_err(|e| e.to_string())
    })
    .await
    .map_err(|e| e.to_string())?
}

async fn run(cfg: BotConfig, status: BotStatus, mut stop: watch::Receiver<bool>) {
    status.set_state(BotState::Connecting);
    let db_path = cfg.db.clone();
    let clock = cfg.clock.clone();
    let opened = tokio::task::spawn_blocking(move || {
        let mut app = App::open_existing(&db_path, Options::default())?;
        if let Some(clock) = clock {
            app.set_clock(move || clock());
        }
        Ok::<App, crate::app::AppError>(app)
    })
    .await;
    let app = match opened {
        Ok(Ok(mut app)) => {
            match app.settle_interrupted_messages() {
                Ok(0) => {}
                Ok(n) => warn!(
                    "telegram: {n} message(s) were cut off mid-request by a crash; \
                     marked uncertain, not sent again"
                ),
                Err(e) => warn!("telegram outbox: {e}"),
            }
            Arc::new(Mutex::new(app))
        }
        Ok(Err(e)) => {
            warn!("telegram bot: cannot open the database: {e}");
            status.set_state(BotState::Unreachable {
                error: e.to_string(),
            });
            return;
        }
        Err(e) => {
            warn!("telegram bot: {e}");
            return;
        }
    };
    let mut bot = Bot::new(cfg.token.clone());
    if let Some(url) = cfg.api_url.clone() {
        bot = bot.set_api_url(url);
    }
    let bot = Throttle::new_spawn(bot, cfg.limits);

    let outbox = tokio::spawn(outbox_loop(
        bot.clone(),
        app.clone(),
        status.clone(),
        cfg.tick,
        cfg.reminders_every,
        cfg.limits,
        stop.clone(),
    ));
    tokio::select! {
        _ = poll_loop(bot, app, status.clone(), cfg.poll_timeout_secs) => {}
        _ = stop.wait_for(|s| *s) => {}
    }
    // The outbox loop sees the same flag and ends after recording what it has in flight.
    let _ = outbox.await;
    status.set_state(BotState::Off);
}

fn backoff(failures: u32) -> Duration {
    Duration::from_secs(1u64 << failures.clamp(1, 5).saturating_sub(1)).min(Duration::from_secs(30))
}

async fn poll_loop(bot: TBot, app: Shared, status: BotStatus, timeout: u32) {
    let mut offset: i32 = 0;
    let mut failures: u32 = 0;
    let mut username: Option<String> = None;
    loop {
        if username.is_none() {
            match bot.get_me().await {
                Ok(me) => {
                    // A webhook left by another tool makes Telegram refuse long polling
                    // (409 Conflict): remove it, keeping the updates it holds.
                    if let Err(e) = bot.delete_webhook().await {
                        failures += 1;
                        warn!("telegram deleteWebhook: {e}");
                        status.set_state(BotState::WebhookConflict {
                            error: e.to_string(),
                        });
                        tokio::time::sleep(backoff(failures)).await;
                        continue;
                    }
                    let name = me.username.clone().unwrap_or_default();
                    status.set_state(BotState::Running {
                        username: name.clone(),
                    });
                    username = Some(name);
                    failures = 0;
                }
                Err(e) => {
                    failures += 1;
                    status.set_state(BotState::Unreachable {
                        error: e.to_string(),
                    });
                    tokio::time::sleep(backoff(failures)).await;
                    continue;
                }
            }
        }
        let updates = bot
            .get_updates()
            .offset(offset)
            .timeout(timeout)
            .allowed_updates(vec![AllowedUpdate::Message])
            .await;
        match updates {
            Ok(updates) => {
                if failures > 0 {
                    failures = 0;
                    status.set_state(BotState::Running {
                        username: username.clone().unwrap_or_default(),
                    });
                }
                for update in updates {
                    offset = i32::try_from(update.id.0)
                        .unwrap_or(i32::MAX)
                        .saturating_add(1);
                    if let UpdateKind::Message(msg) = update.kind {
                        answer(&bot, &app, msg).await;
                    }
                }
            }
            Err(e) => {
                failures += 1;
                warn!("telegram getUpdates: {e}");
                let text = e.to_string();
                if text.contains("webhook") {
                    // Set again by another program since start: remove it at the next turn.
                    username = None;
                    status.set_state(BotState::WebhookConflict { error: text });
                } else {
                    status.set_state(BotState::Unreachable { error: text });
                }
                tokio::time::sleep(backoff(failures)).await;
            }
        }
    }
}

fn lang_from_code(code: Option<&str>) -> Option<Lang> {
    let code = code?.to_ascii_lowercase();
    let base = code.split(['-', '_']).next().unwrap_or("");
    Lang::parse(base)
}

fn contact_keyboard(lang: Lang) -> KeyboardMarkup {
    KeyboardMarkup::new(vec![vec![
        KeyboardButton::new(lang.t(T::BotShareContact)).request(ButtonRequest::Contact),
    ]])
    .resize_keyboard()
    .one_time_keyboard()
}

fn balance_keyboard(lang: Lang) -> KeyboardMarkup {
    KeyboardMarkup::new(vec![vec![KeyboardButton::new(lang.t(T::BotBalanceButton))]])
        .resize_keyboard()
}

/// The statement as the bot writes it.
pub fn statement_text(s: &Statement) -> String {
    let lang = s.lang;
    let mut out = format!("{}\n{}\n", s.name, phone::display(&s.phone));
    if s.balance < 0 {
        out.push_str(&lang.fill(T::BotDebt, &[&Money(-s.balance).text(lang)]));
        out.push('\n');
        // What is owed per due date (payments settle the earliest date first).
        if !s.open.is_empty() {
            out.push_str(lang.t(T::BotDueDates));
            for o in &s.open {
                let date = match o.due_date {
                    Some(d) => d.format("%d.%m.%Y").to_string(),
                    None => lang.t(T::BotNoDueDate).to_string(),
                };
                out.push_str(&format!("\n• {date} — {}", o.amount.text(lang)));
            }
            out.push('\n');
        }
    } else if s.balance > 0 {
        out.push_str(&lang.fill(T::BotPrepaid, &[&Money(s.balance).text(lang)]));
        out.push('\n');
    } else {
        out.push_str(lang.t(T::BotNoDebt));
        out.push('\n');
    }
    if !s.purchases.is_empty() {
        out.push('\n');
        out.push_str(lang.t(T::BotPurchases));
        for (at, total, credit) in &s.purchases {
            out.push_str(&format!("\n• {at} — {}", Money(*total).text(lang)));
            if *credit > 0 {
                let part = lang.fill(T::BotOnCredit, &[&Money(*credit).text(lang)]);
                out.push_str(&format!(" ({part})"));
            }
        }
        out.push('\n');
    }
    if !s.payments.is_empty() {
        out.push('\n');
        out.push_str(lang.t(T::BotPayments));
        for (at, amount, method) in &s.payments {
            out.push_str(&format!(
                "\n• {at} — {} ({})",
                Money(*amount).text(lang),
                lang.method(method)
            ));
        }
        out.push('\n');
    }
    out.trim_end().to_string()
}

/// What a message is asking for.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Ask {
    Start,
    Balance,
    Language(Lang),
    ChatId,
    Help,
}

fn parse_ask(text: &str) -> Ask {
    let word = text.split_whitespace().next().unwrap_or("");
    let command = word.split('@').next().unwrap_or("").to_lowercase();
    if Lang::ALL
        .iter()
        .any(|l| text.trim() == l.t(T::BotBalanceButton))
    {
        return Ask::Balance;
    }
    match command.as_str() {
        "/start" => Ask::Start,
        "/balance" | "/balans" | "/баланс" => Ask::Balance,
        "/uz" => Ask::Language(Lang::Uz),
        "/ru" => Ask::Language(Lang::Ru),
        "/en" => Ask::Language(Lang::En),
        "/id" => Ask::ChatId,
        _ => Ask::Help,
    }
}

/// Answers one message. Failures are logged and answered with "try later"; they never end
/// the loop.
async fn answer(bot: &TBot, app: &Shared, msg: Message) {
    if !msg.chat.is_private() {
        return;
    }
    let Some(from) = msg.from.clone() else {
        return;
    };
    let chat = msg.chat.id.0;
    let from_id = i64::try_from(from.id.0).unwrap_or(i64::MAX);
    let linked_lang = db(app, move |a| a.telegram_language(chat))
        .await
        .ok()
        .flatten();
    let shop = db(app, |a| a.bot_settings()).await;
    let shop_lang = shop.as_ref().map(|s| s.lang).unwrap_or_default();
    let lang = linked_lang
        .or_else(|| lang_from_code(from.language_code.as_deref()))
        .unwrap_or(shop_lang);

    let (text, keyboard): (String, Option<KeyboardMarkup>) = if let Some(contact) = msg.contact() {
        let contact_user = contact
            .user_id
            .map(|u| i64::try_from(u.0).unwrap_or(i64::MAX));
        let phone_number = contact.phone_number.clone();
        let name = match &contact.last_name {
            Some(last) => format!("{} {last}", contact.first_name),
            None => contact.first_name.clone(),
        };
        let outcome = db(app, move |a| {
            a.link_telegram(chat, from_id, contact_user, &phone_number, &name, lang)
        })
        .await;
        match outcome {
            Ok(LinkOutcome::Linked { name }) => (
                lang.fill(T::BotLinked, &[&name]),
                Some(balance_keyboard(lang)),
            ),
            Ok(LinkOutcome::Registered { name }) => (
                lang.fill(T::BotRegistered, &[&name]),
                Some(balance_keyboard(lang)),
            ),
            Ok(LinkOutcome::Unknown { phone }) => (lang.fill(T::BotUnknownPhone, &[&phone]), None),
            Ok(LinkOutcome::NotOwn) => (
                lang.t(T::BotNotOwnContact).to_string(),
                Some(contact_keyboard(lang)),
            ),
            Ok(LinkOutcome::BadPhone) => (lang.t(T::BotBadPhone).to_string(), None),
            Err(e) => {
                warn!("telegram link: {e}");
                (lang.t(T::BotTryLater).to_string(), None)
            }
        }
    } else {
        match parse_ask(msg.text().unwrap_or("")) {
            Ask::Start => match db(app, move |a| a.telegram_statement(chat)).await {
                Ok(Some(s)) => (
                    lang.fill(T::BotWelcomeBack, &[&s.name]),
                    Some(balance_keyboard(lang)),
                ),
                Ok(None) => {
                    let shop_name = shop.map(|s| s.shop_name).unwrap_or_default();
                    (
                        lang.fill(T::BotWelcome, &[&shop_name]),
                        Some(contact_keyboard(lang)),
                    )
                }
                Err(e) => {
                    warn!("telegram start: {e}");
                    (lang.t(T::BotTryLater).to_string(), None)
                }
            },
            Ask::Balance => match db(app, move |a| a.telegram_statement(chat)).await {
                Ok(Some(s)) => (statement_text(&s), None),
                Ok(None) => (
                    lang.t(T::BotNotLinked).to_string(),
                    Some(contact_keyboard(lang)),
                ),
                Err(e) => {
                    warn!("telegram balance: {e}");
                    (lang.t(T::BotTryLater).to_string(), None)
                }
            },
            Ask::Language(new) => {
                if let Err(e) = db(app, move |a| a.set_telegram_language(chat, new)).await {
                    warn!("telegram language: {e}");
                }
                (new.t(T::BotLanguageSet).to_string(), None)
            }
            Ask::ChatId => (lang.fill(T::BotChatId, &[&chat.to_string()]), None),
            Ask::Help => (lang.t(T::BotHelp).to_string(), None),
        }
    };
    let mut request = bot.send_message(ChatId(chat), text);
    if let Some(k) = keyboard {
        request = request.reply_markup(k);
    }
    if let Err(e) = request.await {
        warn!("telegram reply to {chat}: {e}");
    }
}

/// How the outbox records an answer from Telegram.
pub fn delivery_of(result: Result<(), RequestError>) -> Delivery {
    match result {
        Ok(()) => Delivery::Sent,
        Err(RequestError::RetryAfter(after)) => Delivery::Retry {
            error: "telegram: too many requests".into(),
            after: Some(after.duration()),
        },
        Err(
            e @ (RequestError::Network(_) | RequestError::Io(_) | RequestError::InvalidJson { .. }),
        ) => Delivery::Retry {
            error: format!("unreachable: {e}"),
            after: None,
        },
        Err(RequestError::Api(
            e @ (ApiError::BotBlocked
            | ApiError::UserDeactivated
            | ApiError::ChatNotFound
            | ApiError::BotKicked
            | ApiError::BotKickedFromSupergroup
            | ApiError::CantInitiateConversation
            | ApiError::CantTalkWithBots),
        )) => Delivery::Failed {
            error: e.to_string(),
            blocked: true,
        },
        Err(RequestError::Api(ApiError::Unknown(e))) => Delivery::Retry {
            error: format!("telegram: {e}"),
            after: None,
        },
        Err(e) => Delivery::Failed {
            error: e.to_string(),
            blocked: false,
        },
    }
}

/// Sends the outbox: at most one message per chat in flight, and a chat's next message only
/// once its per-minute limit allows it (20/min: one every 3 s). So a chat with many waiting
/// never fills Throttle's queue with requests it would hold for up to a minute, which would
/// hold up other chats, the replies and stopping. Each answer is recorded as it comes. On
/// stop, what is in flight (held by Throttle a second at most) is finished and recorded.
async fn outbox_loop(
    bot: TBot,
    app: Shared,
    status: BotStatus,
    tick: Duration,
    reminders_every: Duration,
    limits: Limits,
    mut stop: watch::Receiver<bool>,
) {
    let (per_min_chat, per_sec_overall) = (
        limits.messages_per_min_chat,
        limits.messages_per_sec_overall,
    );
    let mut recent: std::collections::VecDeque<tokio::time::Instant> = Default::default();
    let spacing = Duration::from_secs(60) / per_min_chat.max(1);
    let mut last_sent: HashMap<i64, tokio::time::Instant> = HashMap::new();
    let mut in_flight: HashSet<i64> = HashSet::new();
    let mut tasks: tokio::task::JoinSet<(i32, i64, Delivery)> = tokio::task::JoinSet::new();
    let mut reminders_at: Option<tokio::time::Instant> = None;
    loop {
        let stopping = *stop.borrow();
        if stopping && tasks.is_empty() {
            return;
        }
        if !stopping {
            if reminders_at.is_none_or(|t| t.elapsed() >= reminders_every) {
                reminders_at = Some(tokio::time::Instant::now());
                if let Err(e) = db(&app, |a| a.queue_due_reminders()).await {
                    warn!("telegram reminders: {e}");
                }
            }
            let due = db(&app, |a| a.due_messages(500)).await.unwrap_or_else(|e| {
                warn!("telegram outbox: {e}");
                Vec::new()
            });
            last_sent.retain(|_, t| t.elapsed() < spacing);
            while recent
                .front()
                .is_some_and(|t| t.elapsed() >= Duration::from_secs(1))
            {
                recent.pop_front();
            }
            // Claim only what Throttle will let go at once (its overall limit per second), so
            // a claimed message is on the wire, not waiting in Throttle's queue, when a crash
            // comes: only those can end up 'uncertain'.
            let mut room = (per_sec_overall as usize).saturating_sub(recent.len());
            let mut chosen = Vec::new();
            for m in due {
                if room == 0 {
                    break;
                }
                if last_sent.contains_key(&m.chat_id) || in_flight.contains(&m.chat_id) {
                    continue;
                }
                room -= 1;
                recent.push_back(tokio::time::Instant::now());
                in_flight.insert(m.chat_id);
                chosen.push(m);
            }
            let ids: Vec<i32> = chosen.iter().map(|m| m.id).collect();
            let claimed = match db(&app, move |a| a.claim_messages(&ids)).await {
                Ok(c) => c,
                Err(e) => {
                    warn!("telegram outbox: {e}");
                    Vec::new()
                }
            };
            for m in chosen {
                if !claimed.contains(&m.id) {
                    in_flight.remove(&m.chat_id);
                    continue;
                }
                last_sent.insert(m.chat_id, tokio::time::Instant::now());
                let bot = bot.clone();
                tasks.spawn(async move {
                    let r = bot.send_message(ChatId(m.chat_id), m.text).await;
                    (m.id, m.chat_id, delivery_of(r.map(|_| ())))
                });
            }
            if let Ok(n) = db(&app, |a| a.messages_pending()).await {
                status.set_pending(n);
            }
        }
        tokio::select! {
            Some(done) = tasks.join_next(), if !tasks.is_empty() => {
                let Ok((id, chat, delivery)) = done else { continue };
                in_flight.remove(&chat);
                match &delivery {
                    Delivery::Sent => {}
                    Delivery::Retry { error, .. } if error.starts_with("unreachable") => {
                        status.set_state(BotState::Unreachable {
                            error: error.clone(),
                        });
                    }
                    Delivery::Retry { error, .. } | Delivery::Failed { error, .. } => {
                        warn!("telegram message {id}: {error}");
                    }
                }
                if let Err(e) = db(&app, move |a| a.message_delivered(id, &delivery)).await {
                    warn!("telegram outbox {id}: {e}");
                }
            }
            _ = tokio::time::sleep(tick) => {}
            _ = stop.changed(), if !stopping => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_and_buttons() {
        assert_eq!(parse_ask("/start"), Ask::Start);
        assert_eq!(parse_ask("/start@kassa_bot payload"), Ask::Start);
        assert_eq!(parse_ask("/BALANCE"), Ask::Balance);
        assert_eq!(parse_ask("💰 Баланс"), Ask::Balance);
        assert_eq!(parse_ask("/ru"), Ask::Language(Lang::Ru));
        assert_eq!(parse_ask("salom"), Ask::Help);
    }

    #[test]
    fn telegram_language_codes() {
        assert_eq!(lang_from_code(Some("ru")), Some(Lang::Ru));
        assert_eq!(lang_from_code(Some("en-US")), Some(Lang::En));
        assert_eq!(lang_from_code(Some("de")), None);
        assert_eq!(lang_from_code(None), None);
    }

    #[test]
    fn statement_shows_debt_due_date_and_history() {
        let s = Statement {
            name: "Ali Valiyev".into(),
            phone: "998901234567".into(),
            balance: -12_000_000,
            open: vec![
                crate::domain::debt::OpenAmount {
                    due_date: chrono::NaiveDate::from_ymd_opt(2026, 12, 10),
                    amount: Money(2_000_000),
                },
                crate::domain::debt::OpenAmount {
                    due_date: chrono::NaiveDate::from_ymd_opt(2026, 12, 24),
                    amount: Money(10_000_000),
                },
            ],
            purchases: vec![("24.11.2026 14:30".into(), 15_000_000, 12_000_000)],
            payments: vec![("20.11.2026 10:00".into(), 3_000_000, "cash".into())],
            lang: Lang::En,
        };
        let text = statement_text(&s);
        assert!(text.contains("You owe: 120 000 so'm"), "{text}");
        assert!(
            text.contains("Due dates:\n• 10.12.2026 — 20 000 so'm\n• 24.12.2026 — 100 000 so'm"),
            "{text}"
        );
        assert!(
            text.contains("150 000 so'm (on credit 120 000 so'm)"),
            "{text}"
        );
        assert!(text.contains("30 000 so'm"), "{text}");
        assert!(text.contains("+998 90 123 45 67"), "{text}");
    }
}

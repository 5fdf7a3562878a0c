//! The Telegram bot: customers link their chat by sharing their own phone number, see their
//! balance, debt and last purchases; the shop's messages (reminders, credit sales, debt
//! payments, low-stock alerts, broadcasts) leave through the outbox of [`crate::app`].
//!
//! It runs on its own `std::thread` with its own single-threaded tokio runtime (started by the
//! GUI process, or alone as `kassa bot`), so the GUI never waits for Telegram. Database work
//! runs in `spawn_blocking` on one [`App`]. Two loops:
//! - [`updates`]: long polling with `getUpdates`; each chat's messages are answered by that
//!   chat's own worker, in the sender's language (the chat's chosen one, else Telegram's
//!   `language_code`, else the shop's);
//! - [`outbox`]: every `tick` it enters the reminders that fell due, then sends the due
//!   messages and records each answer; a message that may have reached Telegram is never
//!   sent again by itself.
//!
//! Every request to Telegram takes its slot from one [`pace::Pacer`] first (at most 30 in any
//! sliding window a little over a second, a chat at most once a second, the outbox's chats once
//! in 3 s, Telegram's 429 waits), so nothing queues out of sight in the HTTP client.
//!
//! The texts themselves are built in [`crate::app::telegram_texts`]. Telegram unreachable, a
//! 429 or a blocked bot never end the thread: they are logged, shown in [`BotStatus`] and
//! retried where that makes sense.

mod outbox;
mod pace;
mod updates;

pub use outbox::delivery_of;

use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, Utc};
use teloxide::prelude::*;
use tokio::sync::watch;
use tracing::{info, warn};

use crate::app::{App, Options};

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
    /// The long-polling timeout of `getUpdates` (must stay under `request_timeout`).
    pub poll_timeout_secs: u32,
    /// How long a request may take before it is given up (17 s, teloxide's own default).
    pub request_timeout: Duration,
    /// How often the outbox is looked at when nothing else wakes it.
    pub tick: Duration,
    /// How often the reminder schedule is looked at.
    pub reminders_every: Duration,
    /// Requests to Telegram in any window of [`pace::WINDOW`] (Telegram allows 30 a second).
    pub per_window: u32,
    /// The least time between two outbox messages to one chat (20 a minute: 3 s).
    pub outbox_chat_gap: Duration,
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
            request_timeout: Duration::from_secs(17),
            tick: Duration::from_secs(1),
            reminders_every: Duration::from_secs(60),
            per_window: 30,
            outbox_chat_gap: Duration::from_secs(3),
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
    /// The shop is on a server and another till (or `kassa bot`) runs its bot: this one waits
    /// and takes over when that one stops.
    Elsewhere,
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
            BotState::Elsewhere => write!(f, "another till runs the shop's bot; waiting"),
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

/// How often a till whose shop's bot runs elsewhere asks again.
const CLAIM_EVERY: Duration = Duration::from_secs(3);

type Shared = Arc<Mutex<App>>;
type TBot = Bot;

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
            // One bot per shop: on a server the tills take turns for it (a file's program
            // lock already keeps a second one away).
            loop {
                match app.claim(crate::app::Duty::Bot) {
                    Ok(true) => break,
                    Ok(false) => status.set_state(BotState::Elsewhere),
                    Err(e) => {
                        warn!("telegram bot: {e}");
                        status.set_state(BotState::Unreachable {
                            error: e.to_string(),
                        });
                    }
                }
                tokio::select! {
                    _ = tokio::time::sleep(CLAIM_EVERY) => {}
                    _ = stop.changed() => return,
                }
                if *stop.borrow() {
                    return;
                }
            }
            status.set_state(BotState::Connecting);
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
    // The HTTP client's timeout bounds how long a send may hang before it counts as
    // 'uncertain' (long polling asks for less than this).
    let client = match teloxide::net::default_reqwest_settings()
        .timeout(cfg.request_timeout)
        .build()
    {
        Ok(c) => c,
        Err(e) => {
            warn!("telegram bot: no HTTP client: {e}");
            status.set_state(BotState::Unreachable {
                error: e.to_string(),
            });
            return;
        }
    };
    let mut bot = Bot::with_client(cfg.token.clone(), client);
    if let Some(url) = cfg.api_url.clone() {
        bot = bot.set_api_url(url);
    }
    let pacer = pace::Pacer::new(cfg.per_window);

    let outbox = tokio::spawn(outbox::outbox_loop(
        outbox::Outbox {
            bot: bot.clone(),
            app: app.clone(),
            status: status.clone(),
            pacer: pacer.clone(),
            tick: cfg.tick,
            reminders_every: cfg.reminders_every,
            chat_gap: cfg.outbox_chat_gap,
        },
        stop.clone(),
    ));
    tokio::select! {
        _ = updates::poll_loop(bot, app, pacer, status.clone(), cfg.poll_timeout_secs) => {}
        _ = stop.wait_for(|s| *s) => {}
    }
    // The outbox loop sees the same flag and ends after recording what it has in flight.
    let _ = outbox.await;
    status.set_state(BotState::Off);
}

//! Updates: long polling with `getUpdates` and the answers to customers' messages. Each chat
//! has its own queue and worker, so a chat that writes a lot waits for its own answers only
//! (Telegram's per-chat limit) while other chats are answered at once; the same command
//! repeated within a few seconds is answered once, and a chat's queue holds a few messages
//! (more from a flooding chat are dropped, with a log line).

use std::collections::HashMap;
use std::time::Duration;

use teloxide::RequestError;
use teloxide::payloads::{GetUpdatesSetters, SendMessageSetters};
use teloxide::prelude::*;
use teloxide::types::{
    AllowedUpdate, ButtonRequest, KeyboardButton, KeyboardMarkup, Message, UpdateKind,
};
use tokio::sync::mpsc;
use tokio::time::Instant;
use tracing::warn;

use super::pace::Pacer;
use super::{BotState, BotStatus, Shared, TBot, db};
use crate::app::LinkOutcome;
use crate::i18n::{Lang, T};

/// Messages a chat may have waiting for an answer; more are dropped.
const CHAT_QUEUE: usize = 8;
/// The same text from the same chat within this time gets one answer.
const REPEAT_WINDOW: Duration = Duration::from_secs(3);
/// A chat's worker ends after this long without messages.
const CHAT_IDLE: Duration = Duration::from_secs(60);

/// The chats with a worker, each with the sending end of its queue.
#[derive(Default)]
struct Chats {
    queues: HashMap<i64, mpsc::Sender<Message>>,
    /// Each chat's last text and when it came, to answer a repeat once.
    last: HashMap<i64, (String, Instant)>,
}

impl Chats {
    /// Hands a message to its chat's worker (started if it has none or it ended).
    fn dispatch(&mut self, bot: &TBot, app: &Shared, pacer: &Pacer, msg: Message) {
        let chat = msg.chat.id.0;
        if let Some(text) = msg.text() {
            let text = text.trim();
            if self
                .last
                .get(&chat)
                .is_some_and(|(t, at)| t == text && at.elapsed() < REPEAT_WINDOW)
            {
                return;
            }
            if self.last.len() > 10_000 {
                self.last.retain(|_, (_, at)| at.elapsed() < REPEAT_WINDOW);
            }
            self.last.insert(chat, (text.to_string(), Instant::now()));
        } else {
            self.last.remove(&chat);
        }
        let msg = match self.queues.get(&chat) {
            None => msg,
            Some(queue) => match queue.try_send(msg) {
                Ok(()) => return,
                Err(mpsc::error::TrySendError::Full(_)) => {
                    warn!(
                        "telegram: chat {chat} writes faster than it is answered; a message is dropped"
                    );
                    return;
                }
                Err(mpsc::error::TrySendError::Closed(msg)) => msg,
            },
        };
        let (tx, rx) = mpsc::channel(CHAT_QUEUE);
        let _ = tx.try_send(msg);
        self.queues.insert(chat, tx);
        self.queues.retain(|_, q| !q.is_closed());
        tokio::spawn(chat_worker(bot.clone(), app.clone(), pacer.clone(), rx));
    }
}

/// Answers one chat's messages in order.
async fn chat_worker(bot: TBot, app: Shared, pacer: Pacer, mut rx: mpsc::Receiver<Message>) {
    loop {
        let msg = match tokio::time::timeout(CHAT_IDLE, rx.recv()).await {
            Ok(Some(msg)) => msg,
            Ok(None) => return,
            Err(_) => {
                // Idle: close the queue, answer what slipped in meanwhile, end.
                rx.close();
                while let Ok(msg) = rx.try_recv() {
                    answer(&bot, &app, &pacer, msg).await;
                }
                return;
            }
        };
        answer(&bot, &app, &pacer, msg).await;
    }
}

/// The wait before asking again after a failed call: 1 s, then 2 s, so polling resumes
/// within about 2 s of Telegram coming back (a refused connection costs nothing).
fn backoff(failures: u32) -> Duration {
    if failures <= 1 {
        Duration::from_secs(1)
    } else {
        Duration::from_secs(2)
    }
}

pub(super) async fn poll_loop(
    bot: TBot,
    app: Shared,
    pacer: Pacer,
    status: BotStatus,
    timeout: u32,
) {
    let mut chats = Chats::default();
    let mut offset: i32 = 0;
    let mut failures: u32 = 0;
    let mut username: Option<String> = None;
    loop {
        if username.is_none() {
            pacer.take(None).await;
            match bot.get_me().await {
                Ok(me) => {
                    // A webhook left by another tool makes Telegram refuse long polling
                    // (409 Conflict): remove it, keeping the updates it holds.
                    pacer.take(None).await;
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
        pacer.take(None).await;
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
                        chats.dispatch(&bot, &app, &pacer, msg);
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
async fn answer(bot: &TBot, app: &Shared, pacer: &Pacer, msg: Message) {
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
                Ok(Some(s)) => (crate::app::telegram_texts::statement(&s), None),
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
    reply(bot, pacer, chat, text, keyboard).await;
}

/// Sends one answer in its turn. A 429 holds this chat only (other chats' answers go on) and
/// the answer is sent again after the wait (a 429 means it was not delivered), a few times at
/// most; other failures are logged.
async fn reply(
    bot: &TBot,
    pacer: &Pacer,
    chat: i64,
    text: String,
    keyboard: Option<KeyboardMarkup>,
) {
    for _ in 0..3 {
        pacer.take(Some(chat)).await;
        let mut request = bot.send_message(ChatId(chat), text.clone());
        if let Some(k) = keyboard.clone() {
            request = request.reply_markup(k);
        }
        match request.await {
            Ok(_) => return,
            Err(RequestError::RetryAfter(after)) => {
                warn!(
                    "telegram reply to {chat}: too many requests, waits {:?}",
                    after.duration()
                );
                pacer.hold_chat(chat, after.duration());
            }
            Err(e) => {
                warn!("telegram reply to {chat}: {e}");
                return;
            }
        }
    }
    warn!("telegram reply to {chat}: given up after three waits");
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
}

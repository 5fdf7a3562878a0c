//! Sending the outbox: pacing (per chat and overall, carried over a restart from the request
//! times the outbox keeps), claiming, and recording Telegram's answer to each message.
//!
//! The guarantee (also in the README): a message is sent again only when it certainly did not
//! reach Telegram. A connection refused or a name that does not resolve (nothing was sent),
//! and Telegram's own answers "too many requests" (429) or a server error (5xx, its body read)
//! are retried. Once the request may have reached Telegram (the connection was made and the
//! request written), a timeout, a connection cut or an unreadable success leave the message
//! `uncertain`: it is never sent again by itself; the owner sees it and may resend it by hand.

use std::collections::HashSet;
use std::time::Duration;

use teloxide::prelude::*;
use teloxide::{ApiError, RequestError};
use tokio::sync::watch;
use tokio::time::Instant;
use tracing::warn;

use super::pace::Pacer;
use super::{BotState, BotStatus, Shared, TBot, db};
use crate::app::Delivery;

/// How the outbox records an answer from Telegram (see the module's guarantee).
pub fn delivery_of(result: Result<(), RequestError>) -> Delivery {
    match result {
        Ok(()) => Delivery::Sent,
        Err(RequestError::RetryAfter(after)) => Delivery::Retry {
            error: "telegram: too many requests".into(),
            after: Some(after.duration()),
        },
        // Nothing left this machine: no connection was made.
        Err(RequestError::Network(e)) if e.is_connect() => Delivery::Retry {
            error: format!("unreachable: {e}"),
            after: None,
        },
        // The connection was made and the request written: it may have arrived.
        Err(e @ (RequestError::Network(_) | RequestError::Io(_))) => Delivery::Uncertain {
            error: format!("no answer: {e}"),
        },
        // An answer that is not Telegram's JSON: an error page of a proxy or a server in
        // trouble (read in full, so the request was refused) is retried; a success that
        // could not be read may have been delivered.
        Err(RequestError::InvalidJson { raw, .. }) => {
            if raw.replace(' ', "").contains("\"ok\":true") {
                Delivery::Uncertain {
                    error: "telegram: an unreadable answer".into(),
                }
            } else {
                Delivery::Retry {
                    error: "unreachable: the server answered with an error page".into(),
                    after: None,
                }
            }
        }
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

/// What the outbox loop works with.
pub(super) struct Outbox {
    pub bot: TBot,
    pub app: Shared,
    pub status: BotStatus,
    pub pacer: Pacer,
    pub tick: Duration,
    pub reminders_every: Duration,
    /// The least time between two outbox messages to one chat.
    pub chat_gap: Duration,
}

/// Sends the outbox: at most one message per chat in flight, a chat's next message only
/// `chat_gap` after its last, and only as many at once as the pacer has slots for: a message
/// is claimed (its request time written) right before its request is made, never left waiting
/// in a queue. Each answer is recorded as it comes; a 429 holds the outbox for the time
/// Telegram asked (in memory and in the database). On stop, what is in flight is finished and
/// recorded.
pub(super) async fn outbox_loop(o: Outbox, mut stop: watch::Receiver<bool>) {
    let Outbox {
        bot,
        app,
        status,
        pacer,
        tick,
        reminders_every,
        chat_gap,
    } = o;
    match db(&app, |a| a.recent_requests(Duration::from_secs(60))).await {
        Ok(requests) => pacer.seed(requests),
        Err(e) => warn!("telegram outbox: {e}"),
    }
    let mut in_flight: HashSet<i64> = HashSet::new();
    let mut tasks: tokio::task::JoinSet<(i32, i64, Delivery)> = tokio::task::JoinSet::new();
    let mut reminders_at: Option<Instant> = None;
    loop {
        let stopping = *stop.borrow();
        if stopping && tasks.is_empty() {
            return;
        }
        if !stopping {
            if reminders_at.is_none_or(|t| t.elapsed() >= reminders_every) {
                reminders_at = Some(Instant::now());
                if let Err(e) = db(&app, |a| a.queue_due_reminders()).await {
                    warn!("telegram reminders: {e}");
                }
            }
            match db(&app, |a| a.telegram_pause_left()).await {
                Ok(Some(left)) => pacer.hold_outbox(left),
                Ok(None) => {}
                Err(e) => warn!("telegram outbox: {e}"),
            }
            let due = db(&app, |a| a.due_messages(500)).await.unwrap_or_else(|e| {
                warn!("telegram outbox: {e}");
                Vec::new()
            });
            // One per chat, in order: the first due message of each chat not in flight.
            let mut seen = HashSet::new();
            let candidates: Vec<_> = due
                .into_iter()
                .filter(|m| !in_flight.contains(&m.chat_id) && seen.insert(m.chat_id))
                .collect();
            let chats: Vec<i64> = candidates.iter().map(|m| m.chat_id).collect();
            let taken: HashSet<i64> = pacer.take_now(&chats, chat_gap).into_iter().collect();
            let chosen: Vec<_> = candidates
                .into_iter()
                .filter(|m| taken.contains(&m.chat_id))
                .collect();
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
                    continue;
                }
                in_flight.insert(m.chat_id);
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
                    Delivery::Retry { after: Some(after), error } => {
                        warn!("telegram message {id}: {error}; the outbox waits {after:?}");
                        pacer.hold_outbox(*after);
                    }
                    Delivery::Retry { error, .. } if error.starts_with("unreachable") => {
                        status.set_state(BotState::Unreachable {
                            error: error.clone(),
                        });
                    }
                    Delivery::Retry { error, .. }
                    | Delivery::Failed { error, .. }
                    | Delivery::Uncertain { error } => {
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

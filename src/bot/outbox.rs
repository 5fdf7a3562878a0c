//! Sending the outbox: pacing (per chat and overall, carried over a restart from the send
//! times the outbox keeps), claiming, and recording Telegram's answer to each message.
//!
//! The guarantee (also in the README): a message is sent again only when it certainly did not
//! reach Telegram. A connection refused or a name that does not resolve (nothing was sent),
//! and Telegram's own answers "too many requests" (429) or a server error (5xx, its body read)
//! are retried. Once the request may have reached Telegram (the connection was made and the
//! request written), a timeout, a connection cut or an unreadable success leave the message
//! `uncertain`: it is never sent again by itself; the owner sees it and may resend it by hand.

use std::collections::{HashMap, HashSet, VecDeque};
use std::time::Duration;

use teloxide::adaptors::throttle::Limits;
use teloxide::prelude::*;
use teloxide::{ApiError, RequestError};
use tokio::sync::watch;
use tokio::time::Instant;
use tracing::warn;

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

/// The pacing of the outbox: the last send per chat (a chat's next message waits `spacing`,
/// which keeps it under 1 per second and 20 per minute) and the sends of the last second
/// (under the overall limit).
struct Pacing {
    spacing: Duration,
    per_second: usize,
    last_sent: HashMap<i64, Instant>,
    recent: VecDeque<Instant>,
}

impl Pacing {
    fn new(limits: Limits) -> Pacing {
        Pacing {
            spacing: Duration::from_secs(60) / limits.messages_per_min_chat.max(1),
            per_second: limits.messages_per_sec_overall.max(1) as usize,
            last_sent: HashMap::new(),
            recent: VecDeque::new(),
        }
    }

    /// Carries the pacing over a restart: `sends` are (chat, how long ago) from the outbox.
    fn seed(&mut self, mut sends: Vec<(i64, Duration)>) {
        let now = Instant::now();
        // Oldest first, so `recent` stays in order.
        sends.sort_by_key(|s| std::cmp::Reverse(s.1));
        for (chat, ago) in sends {
            let Some(at) = now.checked_sub(ago) else {
                continue;
            };
            if ago < self.spacing {
                let e = self.last_sent.entry(chat).or_insert(at);
                *e = (*e).max(at);
            }
            if ago < Duration::from_secs(1) {
                self.recent.push_back(at);
            }
        }
    }

    fn forget_old(&mut self) {
        let spacing = self.spacing;
        self.last_sent.retain(|_, t| t.elapsed() < spacing);
        while self
            .recent
            .front()
            .is_some_and(|t| t.elapsed() >= Duration::from_secs(1))
        {
            self.recent.pop_front();
        }
    }

    fn room(&self) -> usize {
        self.per_second.saturating_sub(self.recent.len())
    }

    fn may_send(&self, chat: i64) -> bool {
        !self.last_sent.contains_key(&chat)
    }

    fn sending(&mut self, chat: i64) {
        let now = Instant::now();
        self.recent.push_back(now);
        self.last_sent.insert(chat, now);
    }
}

/// Sends the outbox: at most one message per chat in flight, and a chat's next message only
/// once its per-minute limit allows it (20/min: one every 3 s). So a chat with many waiting
/// never fills Throttle's queue with requests it would hold for up to a minute, which would
/// hold up other chats, the replies and stopping. Each answer is recorded as it comes. On
/// stop, what is in flight (held by Throttle a second at most) is finished and recorded.
pub(super) async fn outbox_loop(
    bot: TBot,
    app: Shared,
    status: BotStatus,
    tick: Duration,
    reminders_every: Duration,
    limits: Limits,
    mut stop: watch::Receiver<bool>,
) {
    let mut pacing = Pacing::new(limits);
    match db(&app, |a| a.recent_sends(Duration::from_secs(60))).await {
        Ok(sends) => pacing.seed(sends),
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
            let due = db(&app, |a| a.due_messages(500)).await.unwrap_or_else(|e| {
                warn!("telegram outbox: {e}");
                Vec::new()
            });
            pacing.forget_old();
            // Claim only what Throttle will let go at once (its overall limit per second), so
            // a claimed message is on the wire, not waiting in Throttle's queue, when a crash
            // comes: only those can end up 'uncertain'.
            let mut room = pacing.room();
            let mut chosen = Vec::new();
            for m in due {
                if room == 0 {
                    break;
                }
                if !pacing.may_send(m.chat_id) || in_flight.contains(&m.chat_id) {
                    continue;
                }
                room -= 1;
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
                pacing.sending(m.chat_id);
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

#[cfg(test)]
mod tests {
    use super::*;

    fn limits() -> Limits {
        Limits {
            messages_per_sec_chat: 1,
            messages_per_min_chat: 20,
            messages_per_min_channel_or_supergroup: 20,
            messages_per_sec_overall: 30,
        }
    }

    #[test]
    fn pacing_carries_over_a_restart() {
        let mut p = Pacing::new(limits());
        p.seed(vec![
            (1, Duration::from_millis(800)),
            (2, Duration::from_secs(10)),
            (3, Duration::from_millis(200)),
        ]);
        p.forget_old();
        // Chat 1 was written to 0.8 s ago and chat 3 0.2 s ago: both wait out their 3 s.
        assert!(!p.may_send(1));
        assert!(!p.may_send(3));
        assert!(p.may_send(2));
        // Both count against this second's 30.
        assert_eq!(p.room(), 28);
        p.sending(2);
        assert!(!p.may_send(2));
        assert_eq!(p.room(), 27);
    }
}

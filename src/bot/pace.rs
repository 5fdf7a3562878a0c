//! Telegram's pace, kept by the bot itself for every request it makes (replies, the outbox,
//! polling): never more than the overall limit (30) in any sliding window a little longer than
//! a second (the margin covers a request's way to the server), a chat written to at most once a
//! second, and the waits Telegram asks for (429 "retry after N"): for one chat's replies only
//! that chat waits, for the outbox the whole outbox waits (and [`crate::app`] keeps that wait
//! in the database, so a restart keeps it too).
//!
//! Nothing queues inside the HTTP client: a request is made the moment it has its slot, so a
//! message claimed for sending is on the wire, and only such a message can become uncertain
//! after a crash. The window starts full, since the requests a crashed bot made in its last
//! second are not all known (the outbox's are, and are seeded from the database).

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::time::Instant;

/// The window the overall limit is counted over: a second and a margin for the way to the
/// server (a request started at the edge of one window can arrive inside the next).
pub(super) const WINDOW: Duration = Duration::from_millis(1200);
/// The least time between two requests to one chat.
pub(super) const CHAT_GAP: Duration = Duration::from_secs(1);

#[derive(Debug)]
struct State {
    cap: usize,
    /// When each request of the last window was started, oldest first.
    recent: VecDeque<Instant>,
    /// When each chat was last written to.
    chat_last: HashMap<i64, Instant>,
    /// Chats Telegram asked to wait (their replies wait).
    chat_hold: HashMap<i64, Instant>,
    /// The outbox waits until then (a 429 on one of its messages).
    outbox_hold: Option<Instant>,
}

impl State {
    fn forget_old(&mut self, now: Instant) {
        while self
            .recent
            .front()
            .is_some_and(|t| now.duration_since(*t) >= WINDOW)
        {
            self.recent.pop_front();
        }
        if self.chat_last.len() > 1000 {
            self.chat_last
                .retain(|_, t| now.duration_since(*t) < Duration::from_secs(60));
        }
        self.chat_hold.retain(|_, t| *t > now);
        if self.outbox_hold.is_some_and(|t| t <= now) {
            self.outbox_hold = None;
        }
    }

    /// How long `chat` (or any request, for `None`) must still wait, `None` when it may go.
    fn wait(&self, now: Instant, chat: Option<i64>, gap: Duration) -> Option<Duration> {
        let mut until: Option<Instant> = None;
        let mut later = |t: Instant| {
            if t > now {
                until = Some(until.map_or(t, |u| u.max(t)));
            }
        };
        if self.recent.len() >= self.cap
            && let Some(first) = self.recent.get(self.recent.len() - self.cap)
        {
            later(*first + WINDOW);
        }
        if let Some(chat) = chat {
            if let Some(t) = self.chat_last.get(&chat) {
                later(*t + gap);
            }
            if let Some(t) = self.chat_hold.get(&chat) {
                later(*t);
            }
        }
        until.map(|u| u - now)
    }

    fn take(&mut self, now: Instant, chat: Option<i64>) {
        self.recent.push_back(now);
        if let Some(chat) = chat {
            self.chat_last.insert(chat, now);
        }
    }
}

/// The bot's pace, shared by its loops.
#[derive(Clone, Debug)]
pub(super) struct Pacer(Arc<Mutex<State>>);

impl Pacer {
    /// A pacer allowing `per_window` requests per [`WINDOW`], whose window starts full.
    pub(super) fn new(per_window: u32) -> Pacer {
        let cap = per_window.max(1) as usize;
        let now = Instant::now();
        Pacer(Arc::new(Mutex::new(State {
            cap,
            recent: std::iter::repeat_n(now, cap).collect(),
            chat_last: HashMap::new(),
            chat_hold: HashMap::new(),
            outbox_hold: None,
        })))
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Carries the outbox's requests over a restart: (chat, how long ago) from the database.
    pub(super) fn seed(&self, requests: Vec<(i64, Duration)>) {
        let now = Instant::now();
        let mut s = self.lock();
        let mut times: Vec<Instant> = s.recent.drain(..).collect();
        for (chat, ago) in requests {
            let Some(at) = now.checked_sub(ago) else {
                continue;
            };
            times.push(at);
            let last = s.chat_last.entry(chat).or_insert(at);
            *last = (*last).max(at);
        }
        times.sort();
        s.recent = times.into();
        s.forget_old(now);
    }

    /// Waits for a slot for a request (to `chat`, at least [`CHAT_GAP`] after the last one
    /// to it and after any wait Telegram asked of it) and takes it.
    pub(super) async fn take(&self, chat: Option<i64>) {
        loop {
            let wait = {
                let now = Instant::now();
                let mut s = self.lock();
                s.forget_old(now);
                match s.wait(now, chat, CHAT_GAP) {
                    None => {
                        s.take(now, chat);
                        return;
                    }
                    Some(w) => w,
                }
            };
            tokio::time::sleep(wait.max(Duration::from_millis(1))).await;
        }
    }

    /// Takes a slot now for each of `chats` that may be written to now (at least `gap` after
    /// its last request), in order, as long as slots are free; returns those taken. Nothing
    /// while the outbox waits.
    pub(super) fn take_now(&self, chats: &[i64], gap: Duration) -> Vec<i64> {
        let now = Instant::now();
        let mut s = self.lock();
        s.forget_old(now);
        if s.outbox_hold.is_some() {
            return Vec::new();
        }
        let mut taken = Vec::new();
        for &chat in chats {
            if s.recent.len() >= s.cap {
                break;
            }
            if s.wait(now, Some(chat), gap).is_none() {
                s.take(now, Some(chat));
                taken.push(chat);
            }
        }
        taken
    }

    /// Telegram asked `chat` to wait `after`.
    pub(super) fn hold_chat(&self, chat: i64, after: Duration) {
        let until = Instant::now() + after;
        let mut s = self.lock();
        let t = s.chat_hold.entry(chat).or_insert(until);
        *t = (*t).max(until);
    }

    /// Telegram asked the outbox to wait `after` (or the database says it still must).
    pub(super) fn hold_outbox(&self, after: Duration) {
        let until = Instant::now() + after;
        let mut s = self.lock();
        s.outbox_hold = Some(s.outbox_hold.map_or(until, |t| t.max(until)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn never_more_than_the_cap_in_any_window() {
        let p = Pacer::new(30);
        let start = Instant::now();
        let mut times = Vec::new();
        for i in 0..100 {
            p.take(Some(i)).await;
            times.push(Instant::now());
        }
        // The window starts full: nothing before it has passed.
        assert!(times[0] - start >= WINDOW);
        for (i, t) in times.iter().enumerate() {
            let within = times[i..].iter().take_while(|u| **u < *t + WINDOW).count();
            assert!(within <= 30, "{within} in one window");
        }
    }

    #[tokio::test(start_paused = true)]
    async fn a_chat_waits_its_gap_and_its_hold_only() {
        let p = Pacer::new(30);
        p.take(None).await;
        let t0 = Instant::now();
        p.take(Some(1)).await;
        p.take(Some(1)).await;
        assert!(Instant::now() - t0 >= CHAT_GAP);
        p.hold_chat(2, Duration::from_secs(5));
        let t1 = Instant::now();
        // Chat 3 is not held by chat 2's wait.
        p.take(Some(3)).await;
        assert!(Instant::now() - t1 < Duration::from_millis(10));
        p.take(Some(2)).await;
        assert!(Instant::now() - t1 >= Duration::from_secs(5));
    }

    #[tokio::test(start_paused = true)]
    async fn a_restart_counts_the_outboxs_last_requests() {
        let p = Pacer::new(30);
        tokio::time::sleep(WINDOW).await;
        p.seed(vec![
            (1, Duration::from_millis(800)),
            (2, Duration::from_secs(10)),
            (3, Duration::from_millis(200)),
        ]);
        // Chats 1 and 3 were written to within their 3 s; both count against the window.
        let gap = Duration::from_secs(3);
        assert_eq!(p.take_now(&[1, 2, 3], gap), vec![2]);
        assert_eq!(p.lock().recent.len(), 3);
        p.hold_outbox(Duration::from_secs(14));
        assert!(p.take_now(&[4], gap).is_empty());
        tokio::time::sleep(Duration::from_secs(14)).await;
        assert_eq!(p.take_now(&[4], gap), vec![4]);
    }
}

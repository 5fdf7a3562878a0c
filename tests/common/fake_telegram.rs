//! A small fake Telegram Bot API server on 127.0.0.1 for the bot tests: HTTP/1.1 with
//! keep-alive, `getMe`, `getUpdates` (long polling over a queue the test fills),
//! `sendMessage` (recorded), and switches for an outage (the port refuses connections and open
//! ones are closed, as when the server is gone), a proxy's 502 with an HTML body, 429 flood
//! control with `retry_after`, 403 for chats that blocked the bot, a connection cut after a
//! message was taken, and slow answers. Every call's arrival time is kept, for the pace. Method names are matched case-insensitively (teloxide
//! sends PascalCase).

use std::collections::{HashMap, HashSet, VecDeque};
use std::io::{BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

pub const TOKEN: &str = "123456:TEST-token";

#[derive(Clone, Debug)]
pub struct Sent {
    pub chat_id: i64,
    pub text: String,
    pub reply_markup: Value,
    pub at: Instant,
}

#[derive(Clone, Debug)]
pub struct Arrival {
    pub method: String,
    pub chat: Option<i64>,
    pub at: Instant,
    pub taken: bool,
}

#[derive(Default)]
pub struct State {
    next_update: u32,
    updates: VecDeque<(u32, Value)>,
    pub sent: Vec<Sent>,
    /// Every method called, lower case.
    pub calls: Vec<String>,
    /// Every call as it arrived: method (lower case), chat (sendMessage), when, and whether
    /// the message was taken.
    pub arrivals: Vec<Arrival>,
    /// The server is gone: the port refuses connections and open ones are closed (set through
    /// [`FakeTelegram::with`]).
    pub down: bool,
    /// Answer everything with 502 and an HTML page, like a proxy in front of a dead server.
    pub bad_gateway: bool,
    /// The next N sendMessage calls take the message, then the connection drops before the
    /// answer (the client cannot know it arrived).
    pub cut_after_send: u32,
    /// A webhook is set (by another program): getUpdates answers 409 Conflict, as Telegram
    /// does, until deleteWebhook removes it.
    pub webhook: bool,
    /// deleteWebhook is refused (the webhook cannot be removed).
    pub webhook_stuck: bool,
    /// The next N sendMessage calls answer 429 with this retry_after.
    pub flood: Option<(u32, u32)>,
    /// The next N sendMessage calls to this chat answer 429 with this retry_after (Telegram's
    /// per-chat flood control).
    pub flood_chat: HashMap<i64, (u32, u32)>,
    /// Chats that blocked the bot (sendMessage answers 403).
    pub blocked: HashSet<i64>,
    /// sendMessage calls refused with 429, per chat.
    pub refused_429: HashMap<i64, u32>,
    /// How long sendMessage takes to answer after it has recorded the message (a slow
    /// network: a client killed in this window never hears that the message arrived).
    pub delay: Duration,
    next_message: i64,
}

/// The listening socket (absent while down) and the connections it accepted.
struct Net {
    addr: std::net::SocketAddr,
    listener: Mutex<Option<TcpListener>>,
    open: Mutex<Vec<TcpStream>>,
}

impl Net {
    fn go_down(&self) {
        self.listener.lock().unwrap().take();
        for c in self.open.lock().unwrap().drain(..) {
            let _ = c.shutdown(std::net::Shutdown::Both);
        }
    }

    fn come_back(&self) {
        let mut l = self.listener.lock().unwrap();
        while l.is_none() {
            match TcpListener::bind(self.addr) {
                Ok(new) => {
                    new.set_nonblocking(true).expect("nonblocking");
                    *l = Some(new);
                }
                Err(_) => std::thread::yield_now(),
            }
        }
    }
}

#[derive(Clone)]
pub struct FakeTelegram {
    pub url: url::Url,
    state: Arc<(Mutex<State>, Condvar)>,
    net: Arc<Net>,
}

impl FakeTelegram {
    pub fn start() -> FakeTelegram {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
        let addr = listener.local_addr().expect("addr");
        listener.set_nonblocking(true).expect("nonblocking");
        let state: Arc<(Mutex<State>, Condvar)> = Arc::default();
        let net = Arc::new(Net {
            addr,
            listener: Mutex::new(Some(listener)),
            open: Mutex::new(Vec::new()),
        });
        let (s, n) = (state.clone(), net.clone());
        std::thread::spawn(move || {
            loop {
                let accepted = n.listener.lock().unwrap().as_ref().map(|l| l.accept());
                match accepted {
                    Some(Ok((stream, _))) => {
                        let _ = stream.set_nonblocking(false);
                        if let Ok(c) = stream.try_clone() {
                            n.open.lock().unwrap().push(c);
                        }
                        let s = s.clone();
                        std::thread::spawn(move || serve(stream, s));
                    }
                    _ => std::thread::sleep(Duration::from_millis(5)),
                }
            }
        });
        FakeTelegram {
            url: url::Url::parse(&format!("http://{addr}/")).expect("url"),
            state,
            net,
        }
    }

    pub fn with<R>(&self, f: impl FnOnce(&mut State) -> R) -> R {
        let mut g = self.state.0.lock().unwrap();
        let was_down = g.down;
        let r = f(&mut g);
        match (was_down, g.down) {
            (false, true) => self.net.go_down(),
            (true, false) => self.net.come_back(),
            _ => {}
        }
        self.state.1.notify_all();
        r
    }

    fn push_update(&self, message: Value) {
        self.with(|s| {
            s.next_update += 1;
            let id = s.next_update;
            s.next_message += 1;
            let mut m = message;
            m["message_id"] = json!(1000 + s.next_message);
            s.updates
                .push_back((id, json!({ "update_id": id, "message": m })));
        });
    }

    /// A text message from a private chat (chat id = user id, as Telegram does).
    pub fn text(&self, user: i64, lang: &str, text: &str) {
        self.push_update(json!({
            "from": user_json(user, lang),
            "chat": chat_json(user),
            "date": 1_764_000_000,
            "text": text,
        }));
    }

    /// A shared contact; `contact_user` is whose contact it is (the sender's own or not).
    pub fn contact(&self, user: i64, lang: &str, phone: &str, contact_user: Option<i64>) {
        let mut contact =
            json!({ "phone_number": phone, "first_name": "Aziz", "last_name": "Karimov" });
        if let Some(u) = contact_user {
            contact["user_id"] = json!(u);
        }
        self.push_update(json!({
            "from": user_json(user, lang),
            "chat": chat_json(user),
            "date": 1_764_000_000,
            "contact": contact,
        }));
    }

    pub fn sent(&self) -> Vec<Sent> {
        self.with(|s| s.sent.clone())
    }

    pub fn sent_to(&self, chat: i64) -> Vec<String> {
        self.with(|s| {
            s.sent
                .iter()
                .filter(|m| m.chat_id == chat)
                .map(|m| m.text.clone())
                .collect()
        })
    }

    /// Waits until `done` holds for the messages sent (panics after `secs`).
    pub fn wait_for(&self, secs: u64, what: &str, done: impl Fn(&[Sent]) -> bool) -> Vec<Sent> {
        let deadline = Instant::now() + Duration::from_secs(secs);
        let (lock, cv) = &*self.state;
        let mut g = lock.lock().unwrap();
        loop {
            if done(&g.sent) {
                return g.sent.clone();
            }
            let now = Instant::now();
            assert!(
                now < deadline,
                "timed out waiting for {what}; sent: {:#?}",
                g.sent
            );
            g = cv.wait_timeout(g, deadline - now).unwrap().0;
        }
    }

    /// The sendMessage calls as they arrived (taken or refused).
    pub fn send_arrivals(&self) -> Vec<Arrival> {
        self.with(|s| {
            s.arrivals
                .iter()
                .filter(|a| a.method == "sendmessage")
                .cloned()
                .collect()
        })
    }

    /// Waits until `n` messages were sent to `chat` in all, and returns their texts.
    pub fn wait_messages(&self, chat: i64, n: usize) -> Vec<String> {
        self.wait_for(20, &format!("{n} messages to {chat}"), |sent| {
            sent.iter().filter(|m| m.chat_id == chat).count() >= n
        });
        self.sent_to(chat)
    }
}

fn user_json(user: i64, lang: &str) -> Value {
    json!({ "id": user, "is_bot": false, "first_name": "Aziz", "language_code": lang })
}

fn chat_json(user: i64) -> Value {
    json!({ "id": user, "type": "private", "first_name": "Aziz" })
}

fn respond(stream: &mut TcpStream, status: &str, content_type: &str, body: &str) -> bool {
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: keep-alive\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).is_ok() && stream.write_all(body.as_bytes()).is_ok()
}

fn serve(stream: TcpStream, state: Arc<(Mutex<State>, Condvar)>) {
    let mut write = match stream.try_clone() {
        Ok(s) => s,
        Err(_) => return,
    };
    let mut reader = BufReader::new(stream);
    loop {
        let Some((path, body)) = super::read_http_request(&mut reader) else {
            return;
        };
        let params: Value = serde_json::from_slice(&body).unwrap_or(json!({}));
        let method = path.rsplit('/').next().unwrap_or("").to_ascii_lowercase();
        let token_ok = path.starts_with(&format!("/bot{TOKEN}/"));
        let (status, ctype, reply) = handle(&state, &method, token_ok, &params);
        if method == "sendmessage" {
            let delay = state.0.lock().unwrap().delay;
            std::thread::sleep(delay);
        }
        if status.is_empty() {
            let _ = write.shutdown(std::net::Shutdown::Both);
            // Down: the connection drops without an answer, as when the server is gone.
            return;
        }
        if !respond(&mut write, status, ctype, &reply) {
            return;
        }
    }
}

/// Telegram's flood control answer.
fn too_many_requests(secs: u32) -> (&'static str, &'static str, String) {
    (
        "429 Too Many Requests",
        "application/json",
        json!({ "ok": false, "error_code": 429,
            "description": format!("Too Many Requests: retry after {secs}"),
            "parameters": { "retry_after": secs } })
        .to_string(),
    )
}

fn ok(result: Value) -> (&'static str, &'static str, String) {
    (
        "200 OK",
        "application/json",
        json!({ "ok": true, "result": result }).to_string(),
    )
}

fn handle(
    state: &Arc<(Mutex<State>, Condvar)>,
    method: &str,
    token_ok: bool,
    params: &Value,
) -> (&'static str, &'static str, String) {
    let (lock, cv) = &**state;
    let mut g = lock.lock().unwrap();
    g.calls.push(method.to_string());
    let chat = (method == "sendmessage").then(|| params["chat_id"].as_i64().unwrap_or(0));
    g.arrivals.push(Arrival {
        method: method.to_string(),
        chat,
        at: Instant::now(),
        taken: false,
    });
    if g.down {
        return ("", "", String::new());
    }
    if g.bad_gateway {
        return (
            "502 Bad Gateway",
            "text/html",
            "<html><body><h1>502 Bad Gateway</h1></body></html>".to_string(),
        );
    }
    if !token_ok {
        return (
            "401 Unauthorized",
            "application/json",
            json!({ "ok": false, "error_code": 401, "description": "Unauthorized" }).to_string(),
        );
    }
    match method {
        "getme" => ok(json!({
            "id": 4242, "is_bot": true, "first_name": "Kassa", "username": "kassa_test_bot",
            "can_join_groups": false, "can_read_all_group_messages": false,
            "supports_inline_queries": false, "can_connect_to_business": false,
            "has_main_web_app": false
        })),
        "deletewebhook" => {
            if g.webhook_stuck {
                return (
                    "400 Bad Request",
                    "application/json",
                    json!({ "ok": false, "error_code": 400,
                        "description": "Bad Request: webhook can't be deleted" })
                    .to_string(),
                );
            }
            g.webhook = false;
            ok(json!(true))
        }
        "getupdates" if g.webhook => (
            "409 Conflict",
            "application/json",
            json!({ "ok": false, "error_code": 409,
                "description": "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first" })
            .to_string(),
        ),
        "getupdates" => {
            let offset = params["offset"].as_u64().unwrap_or(0) as u32;
            let timeout = params["timeout"].as_u64().unwrap_or(0).min(2);
            let deadline = Instant::now() + Duration::from_secs(timeout);
            loop {
                g.updates.retain(|(id, _)| *id >= offset);
                if !g.updates.is_empty() || g.down {
                    break;
                }
                let now = Instant::now();
                if now >= deadline {
                    break;
                }
                g = cv.wait_timeout(g, deadline - now).unwrap().0;
            }
            if g.down {
                return ("", "", String::new());
            }
            let list: Vec<Value> = g.updates.iter().map(|(_, u)| u.clone()).collect();
            ok(Value::Array(list))
        }
        "sendmessage" => {
            let chat = params["chat_id"].as_i64().unwrap_or(0);
            let per_chat = g.flood_chat.get(&chat).copied();
            if let Some((n, secs)) = per_chat
                && n > 0
            {
                if n > 1 {
                    g.flood_chat.insert(chat, (n - 1, secs));
                } else {
                    g.flood_chat.remove(&chat);
                }
                *g.refused_429.entry(chat).or_default() += 1;
                return too_many_requests(secs);
            }
            if let Some((n, secs)) = g.flood
                && n > 0
            {
                g.flood = if n > 1 { Some((n - 1, secs)) } else { None };
                *g.refused_429.entry(chat).or_default() += 1;
                return too_many_requests(secs);
            }
            if g.blocked.contains(&chat) {
                return (
                    "403 Forbidden",
                    "application/json",
                    json!({ "ok": false, "error_code": 403,
                        "description": "Forbidden: bot was blocked by the user" })
                    .to_string(),
                );
            }
            let text = params["text"].as_str().unwrap_or("").to_string();
            if let Some(a) = g.arrivals.last_mut() {
                a.taken = true;
            }
            g.next_message += 1;
            let id = g.next_message;
            g.sent.push(Sent {
                chat_id: chat,
                text: text.clone(),
                reply_markup: params["reply_markup"].clone(),
                at: Instant::now(),
            });
            cv.notify_all();
            if g.cut_after_send > 0 {
                g.cut_after_send -= 1;
                return ("", "", String::new());
            }
            ok(json!({
                "message_id": id, "date": 1_764_000_000,
                "chat": { "id": chat, "type": "private", "first_name": "Aziz" },
                "from": { "id": 4242, "is_bot": true, "first_name": "Kassa" },
                "text": text
            }))
        }
        other => (
            "404 Not Found",
            "application/json",
            json!({ "ok": false, "error_code": 404, "description": format!("Not Found: method {other}") })
                .to_string(),
        ),
    }
}

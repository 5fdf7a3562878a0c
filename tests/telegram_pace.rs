//! Telegram's pace and waits through crashes, outages and floods: `kassa bot` as a real
//! process killed with SIGKILL mid-request and mid-wait, the bot thread against per-chat
//! flood control and an outage, and `kassa telegram uncertain|resend`. The fake Bot API server
//! (tests/common/fake_telegram.rs) keeps the arrival time of every call, so the checks are on
//! what reached "Telegram", never on the bot's own account of it.

mod common;

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::fake_telegram::{Arrival, FakeTelegram, TOKEN};
use kassa::app::{App, setting_keys};
use kassa::bot::{self, BotConfig, BotStatus};
use kassa::i18n::Lang;

/// A shop with `n` customers linked to chats `base..base+n` and the bot's token set.
fn shop_with_chats(base: i64, n: i64) -> common::Shop {
    let mut shop = common::shop();
    let admin = shop.admin.clone();
    shop.app
        .set_setting(&admin, setting_keys::TELEGRAM_TOKEN, TOKEN)
        .unwrap();
    for i in 0..n {
        let phone = format!("99893{i:07}");
        shop.app
            .create_client(
                &admin,
                &kassa::app::ClientInput {
                    full_name: format!("Mijoz {i}"),
                    phone: phone.clone(),
                    notes: String::new(),
                },
            )
            .unwrap();
        let chat = base + i;
        shop.app
            .link_telegram(chat, chat, Some(chat), &phone, "", Lang::Uz)
            .unwrap();
    }
    shop
}

fn kassa_bot(shop: &common::Shop, fake: &FakeTelegram) -> Child {
    Command::new(env!("CARGO_BIN_EXE_kassa"))
        .args(["--db", common::db_path(&shop.dir).to_str().unwrap(), "bot"])
        .env("KASSA_TELEGRAM_API", fake.url.as_str())
        .env("KASSA_LOG", "off")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

/// Runs `kassa bot` until `n` messages of the outbox are sent, then kills it.
fn bot_until_sent(shop: &mut common::Shop, fake: &FakeTelegram, n: i64) {
    let mut child = kassa_bot(shop, fake);
    wait_until("the messages sent", 120, || {
        count(
            &mut shop.app,
            "SELECT COUNT(*) AS n FROM telegram_outbox WHERE status = 'sent'",
        ) == n
    });
    child.kill().unwrap();
    child.wait().unwrap();
}

fn kassa(shop: &common::Shop, args: &[&str]) -> (bool, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_kassa"))
        .arg("--db")
        .arg(common::db_path(&shop.dir))
        .args(args)
        .output()
        .unwrap();
    (
        out.status.success(),
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    )
}

fn wait_until(what: &str, secs: u64, mut cond: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(secs);
    while !cond() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(10));
    }
}

fn count(app: &mut App, sql: &str) -> i64 {
    common::scalar(app, sql)
}

/// The most requests that arrived within any `window`.
fn most_within(arrivals: &[Arrival], window: Duration) -> usize {
    let mut times: Vec<Instant> = arrivals.iter().map(|a| a.at).collect();
    times.sort();
    (0..times.len())
        .map(|i| {
            times[i..]
                .iter()
                .take_while(|t| **t < times[i] + window)
                .count()
        })
        .max()
        .unwrap_or(0)
}

/// kill -9 with 30 requests in flight (the server answers after 2 s): the restarted bot
/// counts the requests the crashed one made (their time is written before each is made), so
/// no second ever carries more than 30 requests and no chat is written to twice; exactly the
/// messages in flight are uncertain, every other one goes out once. Then `kassa telegram
/// uncertain` lists them and `kassa telegram resend --all` sends them again, audited.
#[test]
fn the_pace_holds_across_kill_9_with_requests_in_flight() {
    const N: i64 = 80;
    let mut shop = shop_with_chats(40_000, N);
    let admin = shop.admin.clone();
    shop.app
        .broadcast(&admin, "Yangi mahsulotlar keldi")
        .unwrap();
    let fake = FakeTelegram::start();
    fake.with(|s| s.delay = Duration::from_secs(2));

    let mut child = kassa_bot(&shop, &fake);
    wait_until("the first requests", 60, || {
        !fake.send_arrivals().is_empty()
    });
    // Let the first batch arrive (requests made together arrive within a moment; the next
    // batch waits for the window): the kill comes with all of it unanswered.
    wait_until("the first batch", 10, || {
        fake.send_arrivals()
            .last()
            .is_some_and(|a| a.at.elapsed() > Duration::from_millis(300))
    });
    child.kill().unwrap(); // SIGKILL, answers still on their way
    child.wait().unwrap();
    let in_flight = fake.send_arrivals().len();
    // Polling took a few of the first window's 30.
    assert!((20..=30).contains(&in_flight), "{in_flight} on the wire");

    fake.with(|s| s.delay = Duration::from_millis(50));
    let mut child = kassa_bot(&shop, &fake);
    wait_until("every message settled", 120, || {
        count(
            &mut shop.app,
            "SELECT COUNT(*) AS n FROM telegram_outbox WHERE status IN ('pending', 'sending')",
        ) == 0
    });
    child.kill().unwrap();
    child.wait().unwrap();

    let arrivals = fake.send_arrivals();
    let most = most_within(&arrivals, Duration::from_secs(1));
    assert!(most <= 30, "{most} requests within one second");
    assert_eq!(arrivals.len() as i64, N, "no message requested twice");
    for chat in 40_000..40_000 + N {
        assert_eq!(fake.sent_to(chat).len(), 1, "chat {chat}");
    }
    assert_eq!(
        count(
            &mut shop.app,
            "SELECT COUNT(*) AS n FROM telegram_outbox WHERE status = 'uncertain'"
        ),
        in_flight as i64
    );
    assert_eq!(
        count(
            &mut shop.app,
            "SELECT COUNT(*) AS n FROM telegram_outbox WHERE status = 'sent'"
        ),
        N - in_flight as i64
    );

    // The owner's commands: the list, a refused resend of a sent message, then all again.
    let (ok, listed) = kassa(&shop, &["telegram", "uncertain"]);
    assert!(ok, "{listed}");
    assert_eq!(listed.lines().count(), in_flight, "{listed}");
    assert!(
        listed
            .lines()
            .all(|l| l.contains("Mijoz ") && l.contains("Yangi mahsulotlar"))
    );
    let sent_id = count(
        &mut shop.app,
        "SELECT MIN(id) AS n FROM telegram_outbox WHERE status = 'sent'",
    );
    let (ok, said) = kassa(&shop, &["telegram", "resend", &sent_id.to_string()]);
    assert!(!ok, "{said}");
    let (ok, said) = kassa(&shop, &["telegram", "resend", "--all"]);
    assert!(ok, "{said}");
    assert!(said.contains(&format!("{in_flight} message(s)")), "{said}");
    assert_eq!(
        count(
            &mut shop.app,
            "SELECT COUNT(*) AS n FROM audit_logs WHERE action = 'telegram.resend'"
        ),
        in_flight as i64
    );
    let (ok, listed) = kassa(&shop, &["telegram", "uncertain"]);
    assert!(ok && listed.contains("No uncertain messages"), "{listed}");
    bot_until_sent(&mut shop, &fake, N);
    assert_eq!(fake.send_arrivals().len() as i64, N + in_flight as i64);
}

/// Telegram answers 429 "retry after 6 s" and the bot is killed during the wait: the
/// restarted bot keeps the wait (it is in the database), and the messages refused by the 429
/// or never requested stay pending and go out once each: none becomes uncertain.
#[test]
fn a_429_wait_survives_kill_9_and_nothing_that_waited_becomes_uncertain() {
    const N: i64 = 45;
    let mut shop = shop_with_chats(50_000, N);
    let admin = shop.admin.clone();
    shop.app.broadcast(&admin, "Bayram chegirmalari").unwrap();
    let fake = FakeTelegram::start();
    fake.with(|s| s.flood = Some((10_000, 6)));

    let mut child = kassa_bot(&shop, &fake);
    // The first batch is refused with 429 and every answer recorded (each message pending
    // again, the wait in the database, no request of the batch still on its way: on a busy
    // machine the batch's last requests may reach the server after the first 429 is recorded,
    // and a request cut off by the kill is rightly uncertain).
    wait_until("the 429s recorded", 60, || {
        let refused = fake.with(|s| s.refused_429.values().sum::<u32>()) as i64;
        refused > 0
            && count(&mut shop.app, "SELECT COUNT(*) AS n FROM telegram_pause") == 1
            && count(
                &mut shop.app,
                "SELECT COUNT(*) AS n FROM telegram_outbox WHERE status = 'sending'",
            ) == 0
            && count(
                &mut shop.app,
                "SELECT COUNT(*) AS n FROM telegram_outbox WHERE status = 'pending' AND attempts = 1",
            ) == refused
    });
    let first_429 = fake.send_arrivals()[0].at;
    child.kill().unwrap(); // SIGKILL during the wait
    child.wait().unwrap();
    let killed = Instant::now();
    let before = fake.send_arrivals().len();
    assert!(before as i64 <= 30, "{before} requests in the first second");
    // Telegram would take messages again now: anything the restarted bot sends before the
    // six seconds are over would arrive.
    fake.with(|s| s.flood = None);

    bot_until_sent(&mut shop, &fake, N);

    let arrivals = fake.send_arrivals();
    let after_restart: Vec<&Arrival> = arrivals[before..].iter().collect();
    let earliest = after_restart.iter().map(|a| a.at).min().unwrap();
    assert!(
        killed < first_429 + Duration::from_secs(6),
        "the kill came late"
    );
    assert!(
        earliest >= first_429 + Duration::from_secs(6),
        "the restarted bot sent {:?} after the 429 asked for 6 s",
        earliest - first_429
    );
    assert_eq!(
        after_restart.len() as i64,
        N,
        "one request per message after the wait"
    );
    for chat in 50_000..50_000 + N {
        assert_eq!(fake.sent_to(chat).len(), 1, "chat {chat}");
    }
    assert_eq!(
        count(
            &mut shop.app,
            "SELECT COUNT(*) AS n FROM telegram_outbox WHERE status = 'uncertain'"
        ),
        0
    );
}

fn bot_thread(shop: &common::Shop, fake: &FakeTelegram) -> bot::BotHandle {
    let mut cfg = BotConfig::new(common::db_path(&shop.dir), TOKEN.to_string());
    cfg.api_url = Some(fake.url.clone());
    cfg.poll_timeout_secs = 1;
    cfg.tick = Duration::from_millis(50);
    let status = BotStatus::default();
    bot::spawn(cfg, status).unwrap()
}

/// A 429 for one chat holds that chat's answer only: another chat asking meanwhile is
/// answered at once, and the held answer goes once, after the wait.
#[test]
fn a_429_for_one_chat_does_not_hold_other_chats() {
    let shop = shop_with_chats(60_000, 0);
    let fake = FakeTelegram::start();
    let handle = bot_thread(&shop, &fake);
    fake.text(60_100, "uz", "/start");
    fake.wait_messages(60_100, 1);

    fake.with(|s| {
        s.flood_chat.insert(60_001, (1, 5));
    });
    fake.text(60_001, "uz", "/start");
    wait_until("the 429", 20, || {
        fake.with(|s| s.refused_429.get(&60_001).copied().unwrap_or(0)) == 1
    });
    let refused_at = Instant::now();
    fake.text(60_002, "ru", "/start");
    let sent = fake.wait_for(10, "the other chat's answer", |sent| {
        sent.iter().any(|m| m.chat_id == 60_002)
    });
    let other = sent.iter().find(|m| m.chat_id == 60_002).unwrap().at - refused_at;
    assert!(other < Duration::from_millis(1500), "{other:?}");
    let sent = fake.wait_for(20, "the held answer", |sent| {
        sent.iter().any(|m| m.chat_id == 60_001)
    });
    let held = sent.iter().find(|m| m.chat_id == 60_001).unwrap().at - refused_at;
    assert!(held >= Duration::from_millis(4900), "{held:?}");
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(fake.sent_to(60_001).len(), 1);
    handle.stop();
}

/// Telegram gone for 20 s: polling is asked again every 2 s at most, so the bot answers
/// within 3 s of Telegram coming back.
#[test]
fn polling_resumes_within_3_s_of_telegram_coming_back() {
    let shop = shop_with_chats(61_000, 0);
    let fake = FakeTelegram::start();
    let handle = bot_thread(&shop, &fake);
    fake.text(61_100, "uz", "/start");
    fake.wait_messages(61_100, 1);

    fake.with(|s| s.down = true);
    let down = Instant::now();
    while down.elapsed() < Duration::from_secs(20) {
        std::thread::sleep(Duration::from_millis(100));
    }
    fake.text(61_101, "uz", "/start");
    let up = Instant::now();
    fake.with(|s| s.down = false);
    let sent = fake.wait_for(30, "the answer after the outage", |sent| {
        sent.iter().any(|m| m.chat_id == 61_101)
    });
    let answered = sent.iter().find(|m| m.chat_id == 61_101).unwrap().at - up;
    eprintln!("answered {answered:?} after Telegram came back");
    assert!(answered < Duration::from_secs(3), "{answered:?}");
    handle.stop();
}

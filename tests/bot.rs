//! The Telegram bot end to end: teloxide pointed at a fake Bot API server on 127.0.0.1
//! (tests/common/fake_telegram.rs), the bot thread on a real SQLite file.

mod common;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::{DateTime, NaiveDate, Utc};
use common::fake_telegram::{FakeTelegram, TOKEN};
use kassa::app::{App, ClientInput, LinkOutcome, SaleLineInput, SaleRequest, setting_keys};
use kassa::bot::{self, BotConfig, BotHandle, BotState, BotStatus};
use kassa::domain::payment::TenderInput;
use kassa::domain::{Discount, Money, PaymentMethod, Quantity};
use kassa::i18n::Lang;
use kassa::store::db::prelude::*;

type SimClock = Arc<Mutex<DateTime<Utc>>>;

fn at(rfc3339: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(rfc3339)
        .unwrap()
        .with_timezone(&Utc)
}

fn start(shop: &common::Shop, fake: &FakeTelegram, clock: &SimClock) -> (BotHandle, BotStatus) {
    start_with(shop, fake, clock, |_| {})
}

fn start_with(
    shop: &common::Shop,
    fake: &FakeTelegram,
    clock: &SimClock,
    adjust: impl FnOnce(&mut BotConfig),
) -> (BotHandle, BotStatus) {
    let mut cfg = BotConfig::new(common::db_path(&shop.dir), TOKEN.to_string());
    cfg.api_url = Some(fake.url.clone());
    cfg.poll_timeout_secs = 1;
    cfg.tick = Duration::from_millis(50);
    cfg.reminders_every = Duration::ZERO;
    let c = clock.clone();
    cfg.clock = Some(Arc::new(move || *c.lock().unwrap()));
    adjust(&mut cfg);
    let status = BotStatus::default();
    let handle = bot::spawn(cfg, status.clone()).expect("bot thread");
    (handle, status)
}

fn client(shop: &mut common::Shop, name: &str, phone: &str) -> i32 {
    let admin = shop.admin.clone();
    shop.app
        .create_client(
            &admin,
            &ClientInput {
                full_name: name.into(),
                phone: phone.into(),
                notes: String::new(),
            },
        )
        .expect("client")
        .id
}

/// Opens a shift for the cashier and sells one unit of `product` on nasiya to `client`.
fn credit_sale(
    shop: &mut common::Shop,
    key: &str,
    product: i32,
    client: i32,
    due: NaiveDate,
) -> i32 {
    let cashier = shop.cashier.clone();
    let _ = shop.app.open_shift(&cashier, Money::ZERO);
    let price = shop
        .app
        .product(&cashier, product)
        .expect("product")
        .sale_price;
    let req = common::one_unit(
        key,
        product,
        PaymentMethod::Nasiya,
        Money(price),
        Some((client, due)),
    );
    shop.app.sell(&cashier, &req).expect("credit sale").sale_id
}

fn product(shop: &mut common::Shop, name: &str, price: i64, stock: i64) -> i32 {
    let manager = shop.manager.clone();
    common::stocked(
        &mut shop.app,
        &manager,
        common::product_input(name, price, price / 2, ""),
        Quantity::units(stock),
    )
}

fn set(shop: &mut common::Shop, key: &str, value: &str) {
    let admin = shop.admin.clone();
    shop.app.set_setting(&admin, key, value).expect("setting");
}

/// Never more than 30 of the (sorted) arrival `times` within any second.
fn at_most_30_a_second(times: &[Instant]) {
    for (i, t) in times.iter().enumerate() {
        let within = times[i..]
            .iter()
            .take_while(|u| **u < *t + Duration::from_secs(1))
            .count();
        assert!(within <= 30, "{within} requests within 1 s");
    }
}

fn count(app: &mut App, sql: &str) -> i64 {
    common::scalar(app, sql)
}

/// Waits until `cond` holds on the database (the bot thread works beside the test).
fn wait_db(app: &mut App, what: &str, cond: impl Fn(&mut App) -> bool) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while !cond(app) {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Waits a few outbox ticks, then checks nothing more arrived for `chat`.
fn settle(fake: &FakeTelegram, chat: i64, expected: usize) {
    std::thread::sleep(Duration::from_millis(400));
    let got = fake.sent_to(chat);
    assert_eq!(got.len(), expected, "messages to {chat}: {got:#?}");
}

#[test]
fn conversation_links_only_the_senders_own_number_and_shows_only_their_data() {
    let mut shop = common::shop();
    let fake = FakeTelegram::start();
    let clock: SimClock = Arc::new(Mutex::new(at("2026-11-24T07:00:00Z")));
    let aziz = client(&mut shop, "Aziz Karimov", "+998 90 123-45-67");
    let other = client(&mut shop, "Olim Toshev", "998911111111");
    let bread = product(&mut shop, "Non", 15_000, 50);
    credit_sale(
        &mut shop,
        "c1",
        bread,
        aziz,
        NaiveDate::from_ymd_opt(2026, 12, 10).unwrap(),
    );
    credit_sale(
        &mut shop,
        "c2",
        bread,
        other,
        NaiveDate::from_ymd_opt(2026, 12, 5).unwrap(),
    );
    let (handle, status) = start(&shop, &fake, &clock);

    // /start in Russian: a greeting and a button that shares the contact.
    fake.text(501, "ru", "/start");
    let sent = fake.wait_for(20, "the greeting", |s| s.iter().any(|m| m.chat_id == 501));
    let hello = sent.iter().find(|m| m.chat_id == 501).unwrap();
    assert!(hello.text.starts_with("Здравствуйте!"), "{}", hello.text);
    assert_eq!(
        hello.reply_markup["keyboard"][0][0]["request_contact"],
        true
    );
    assert!(
        matches!(status.state(), BotState::Running { ref username } if username == "kassa_test_bot")
    );

    // Someone else's contact (forwarded) links nothing.
    fake.contact(501, "ru", "+998 91 111 11 11", Some(777));
    let texts = fake.wait_messages(501, 2);
    assert!(
        texts[1].contains("Чужой контакт не принимается"),
        "{}",
        texts[1]
    );
    // Nor does a contact without a user id (typed in by hand).
    fake.contact(501, "ru", "+998 91 111 11 11", None);
    fake.wait_messages(501, 3);
    assert_eq!(
        count(&mut shop.app, "SELECT COUNT(*) AS n FROM telegram_links"),
        0
    );

    // The sender's own contact, written differently from the stored number, links.
    fake.contact(501, "ru", "+998 (90) 123 45 67", Some(501));
    let texts = fake.wait_messages(501, 4);
    assert!(texts[3].contains("Спасибо, Aziz Karimov!"), "{}", texts[3]);
    let linked: Vec<(i32, i64)> = kassa::store::schema::telegram_links::table
        .select((
            kassa::store::schema::telegram_links::client_id,
            kassa::store::schema::telegram_links::chat_id,
        ))
        .load(shop.app.connection())
        .unwrap();
    assert_eq!(linked, vec![(aziz, 501)]);

    // Balance: own debt, due date, the purchase; nothing of the other customer's.
    fake.text(501, "ru", "💰 Баланс");
    let texts = fake.wait_messages(501, 5);
    let statement = &texts[4];
    assert!(statement.contains("Aziz Karimov"), "{statement}");
    assert!(statement.contains("Ваш долг: 15 000 сум"), "{statement}");
    assert!(
        statement.contains("Сроки оплаты:\n• 10.12.2026 — 15 000 сум"),
        "{statement}"
    );
    assert!(statement.contains("в долг 15 000 сум"), "{statement}");
    assert!(
        !statement.contains("Olim") && !statement.contains("05.12.2026"),
        "{statement}"
    );

    // A chat that is not linked sees nobody's data.
    fake.text(502, "en", "/balance");
    let texts = fake.wait_messages(502, 1);
    assert_eq!(texts[0], "Please share your phone number first: /start");

    // An unknown number registers a new customer (the spec's name + phone registration).
    fake.contact(502, "en", "+998 93 555 44 33", Some(502));
    let texts = fake.wait_messages(502, 2);
    assert!(
        texts[1].contains("Aziz Karimov, you are registered"),
        "{}",
        texts[1]
    );
    assert_eq!(
        count(
            &mut shop.app,
            "SELECT COUNT(*) AS n FROM clients WHERE phone = '998935554433'"
        ),
        1
    );
    fake.text(502, "en", "/balance");
    let texts = fake.wait_messages(502, 3);
    assert!(texts[2].contains("You owe nothing."), "{}", texts[2]);
    assert!(!texts[2].contains("15 000"), "{}", texts[2]);

    // With registration off, an unknown number is refused and nothing is created.
    set(&mut shop, setting_keys::TELEGRAM_REGISTER, "no");
    let before = common::fingerprint(&mut shop.app);
    fake.contact(503, "uz", "+998 94 000 00 01", Some(503));
    let texts = fake.wait_messages(503, 1);
    assert!(
        texts[0].contains("+998 94 000 00 01 raqami"),
        "{}",
        texts[0]
    );
    assert_eq!(common::fingerprint(&mut shop.app), before);

    // Language switch, then the shop's messages: a debt payment and a new credit purchase.
    fake.text(501, "ru", "/en");
    let texts = fake.wait_messages(501, 6);
    assert_eq!(texts[5], "Language: English");
    let cashier = shop.cashier.clone();
    shop.app
        .take_debt_payment(
            &cashier,
            aziz,
            Money::from_major(5_000),
            PaymentMethod::Cash,
            "",
        )
        .unwrap();
    let texts = fake.wait_messages(501, 7);
    assert_eq!(
        texts[6],
        "Payment received: 5 000 so'm. You still owe 10 000 so'm."
    );
    credit_sale(
        &mut shop,
        "c3",
        bread,
        aziz,
        NaiveDate::from_ymd_opt(2026, 12, 20).unwrap(),
    );
    let texts = fake.wait_messages(501, 8);
    assert_eq!(
        texts[7],
        "Purchase on credit: 15 000 so'm. You now owe 25 000 so'm. Due date: 20.12.2026."
    );
    shop.app
        .take_debt_payment(
            &cashier,
            aziz,
            Money::from_major(25_000),
            PaymentMethod::Card,
            "",
        )
        .unwrap();
    let texts = fake.wait_messages(501, 9);
    assert_eq!(
        texts[8],
        "Payment received: 25 000 so'm. You owe nothing now, thank you!"
    );
    settle(&fake, 501, 9);
    handle.stop();
    assert_eq!(status.state(), BotState::Off);
}

#[test]
fn reminders_over_days_are_exactly_once_through_a_restart_and_outages() {
    let mut shop = common::shop();
    let fake = FakeTelegram::start();
    let clock: SimClock = Arc::new(Mutex::new(at("2026-12-05T05:30:00Z")));
    set(&mut shop, setting_keys::OVERDUE_EVERY_DAYS, "2");
    let aziz = client(&mut shop, "Aziz", "998901234567");
    let bread = product(&mut shop, "Non", 40_000, 50);
    let due = NaiveDate::from_ymd_opt(2026, 12, 10).unwrap();
    credit_sale(&mut shop, "r1", bread, aziz, due);
    assert_eq!(
        shop.app
            .link_telegram(601, 601, Some(601), "998901234567", "Aziz", Lang::En)
            .unwrap(),
        LinkOutcome::Linked {
            name: "Aziz".into()
        }
    );
    let chat = 601;
    let (mut handle, mut status) = start(&shop, &fake, &clock);
    // 10:30 in Tashkent (UTC+5) on each day; the reminder hour is 10.
    let day = |d: u32, hm: &str| at(&format!("2026-12-{d:02}T{hm}:00Z"));
    let go = |t: DateTime<Utc>| *clock.lock().unwrap() = t;

    let mut expected: Vec<String> = Vec::new();
    let mut expect = |fake: &FakeTelegram, text: &str| {
        expected.push(text.to_string());
        let got = fake.wait_messages(chat, expected.len());
        assert_eq!(got, expected);
        settle(fake, chat, expected.len());
    };

    for d in [5, 6] {
        go(day(d, "05:30"));
        settle(&fake, chat, 0);
    }
    go(day(7, "05:30"));
    expect(
        &fake,
        "Aziz, 40 000 so'm is due on 10.12.2026; days left: 3. Your total debt: 40 000 so'm.",
    );
    assert!(
        matches!(status.state(), BotState::Running { .. }),
        "{:?}",
        status.state()
    );
    // Before the hour nothing new is due; at the hour the day's reminder goes.
    go(day(8, "04:59"));
    settle(&fake, chat, 1);
    go(day(8, "05:00"));
    expect(
        &fake,
        "Aziz, 40 000 so'm is due on 10.12.2026; days left: 2. Your total debt: 40 000 so'm.",
    );

    // A restart: the new bot thread sends nothing again.
    handle.stop();
    (handle, status) = start(&shop, &fake, &clock);
    settle(&fake, chat, 2);
    go(day(9, "05:30"));
    expect(
        &fake,
        "Aziz, 40 000 so'm is due on 10.12.2026; days left: 1. Your total debt: 40 000 so'm.",
    );

    // Telegram is unreachable on the due day and the day after: the due-day reminder waits,
    // is replaced by the overdue one, and only that one is delivered once Telegram is back.
    fake.with(|s| s.down = true);
    go(day(10, "05:30"));
    wait_db(&mut shop.app, "the due-day reminder queued", |a| {
        common::scalar(
            a,
            "SELECT COUNT(*) AS n FROM reminders_sent WHERE kind = 'due_day'",
        ) == 1
    });
    wait_db(&mut shop.app, "a failed try", |a| {
        common::scalar(
            a,
            "SELECT COUNT(*) AS n FROM telegram_outbox WHERE attempts > 0 AND status = 'pending'",
        ) == 1
    });
    assert!(
        matches!(status.state(), BotState::Unreachable { .. }),
        "{:?}",
        status.state()
    );
    go(day(11, "05:30"));
    wait_db(&mut shop.app, "the overdue reminder queued", |a| {
        common::scalar(
            a,
            "SELECT COUNT(*) AS n FROM reminders_sent WHERE kind = 'overdue'",
        ) == 1
    });
    wait_db(&mut shop.app, "the overdue reminder tried", |a| {
        common::scalar(
            a,
            "SELECT COUNT(*) AS n FROM telegram_outbox WHERE attempts > 0 AND status = 'pending'",
        ) == 1
    });
    fake.with(|s| s.down = false);
    go(day(11, "05:35"));
    expect(
        &fake,
        "Aziz, 40 000 so'm was due on 10.12.2026; days overdue: 1. Your total debt: 40 000 so'm. Please pay it.",
    );
    // Interval 2: nothing on the 12th, the next on the 13th.
    go(day(12, "05:30"));
    settle(&fake, chat, 4);
    go(day(13, "05:30"));
    expect(
        &fake,
        "Aziz, 40 000 so'm was due on 10.12.2026; days overdue: 3. Your total debt: 40 000 so'm. Please pay it.",
    );

    // The bot is down for a whole day (the 15th's reminder falls in it) and comes back the
    // next morning before the hour: nothing at 08:00 local; the missed reminder goes once
    // the day's window opens, and nothing else that day (not after the closing hour either).
    handle.stop();
    go(day(15, "05:30"));
    std::thread::sleep(Duration::from_millis(200));
    go(day(16, "03:00"));
    (handle, status) = start(&shop, &fake, &clock);
    settle(&fake, chat, 5);
    go(day(16, "05:30"));
    expect(
        &fake,
        "Aziz, 40 000 so'm was due on 10.12.2026; days overdue: 6. Your total debt: 40 000 so'm. Please pay it.",
    );
    go(day(16, "17:30"));
    settle(&fake, chat, 6);
    go(day(17, "05:30"));
    expect(
        &fake,
        "Aziz, 40 000 so'm was due on 10.12.2026; days overdue: 7. Your total debt: 40 000 so'm. Please pay it.",
    );

    // Paid off: no more reminders, only the payment message.
    let cashier = shop.cashier.clone();
    shop.app
        .take_debt_payment(
            &cashier,
            aziz,
            Money::from_major(40_000),
            PaymentMethod::Cash,
            "",
        )
        .unwrap();
    expect(
        &fake,
        "Payment received: 40 000 so'm. You owe nothing now, thank you!",
    );
    for d in [18, 19, 21] {
        go(day(d, "05:30"));
        settle(&fake, chat, expected.len());
    }
    handle.stop();
    assert!(status.pending() == 0);

    // The log: one row per reminder, the due-day one replaced while Telegram was down.
    let log: Vec<(String, i32)> = kassa::store::schema::reminders_sent::table
        .order(kassa::store::schema::reminders_sent::id)
        .select((
            kassa::store::schema::reminders_sent::kind,
            kassa::store::schema::reminders_sent::seq,
        ))
        .load(shop.app.connection())
        .unwrap();
    let log: Vec<(&str, i32)> = log.iter().map(|(k, s)| (k.as_str(), *s)).collect();
    assert_eq!(
        log,
        vec![
            ("before_3", 0),
            ("before_2", 0),
            ("before_1", 0),
            ("due_day", 0),
            ("overdue", 0),
            ("overdue", 1),
            ("overdue", 2),
            ("overdue", 3),
        ]
    );
    assert_eq!(
        count(
            &mut shop.app,
            "SELECT COUNT(*) AS n FROM telegram_outbox WHERE status = 'cancelled'"
        ),
        1
    );
    // Every sendMessage the server accepted is one row marked sent, and none is pending.
    let accepted = fake.sent().len() as i64;
    assert_eq!(
        count(
            &mut shop.app,
            "SELECT COUNT(*) AS n FROM telegram_outbox WHERE status = 'sent'"
        ),
        accepted
    );
}

#[test]
fn flood_control_and_a_blocked_bot_are_handled() {
    let mut shop = common::shop();
    let fake = FakeTelegram::start();
    let clock: SimClock = Arc::new(Mutex::new(at("2026-11-24T07:00:00Z")));
    set(&mut shop, setting_keys::TELEGRAM_TOKEN, TOKEN);
    for (i, chat) in [701, 702, 703].into_iter().enumerate() {
        let phone = format!("99890000000{i}");
        client(&mut shop, &format!("Mijoz {i}"), &phone);
        shop.app
            .link_telegram(chat, chat, Some(chat), &phone, "", Lang::Uz)
            .unwrap();
    }
    fake.with(|s| {
        s.flood = Some((1, 2));
        s.blocked.insert(703);
    });
    let (handle, status) = start(&shop, &fake, &clock);
    let admin = shop.admin.clone();
    let t0 = Instant::now();
    let (id, recipients) = shop
        .app
        .broadcast(&admin, "Ertaga doʻkon soat 10 da ochiladi")
        .unwrap();
    assert_eq!(recipients, 3);
    // The 429 is kept as the outbox's wait, in the database (the bot's clock is the test's:
    // it moves on by hand).
    wait_db(&mut shop.app, "the 429 recorded", |a| {
        count(a, "SELECT COUNT(*) AS n FROM telegram_pause") == 1
            && count(
                a,
                "SELECT COUNT(*) AS n FROM telegram_outbox WHERE status = 'pending' AND attempts = 1",
            ) == 1
    });
    assert!(shop.app.telegram_pause_left().unwrap().is_some());
    *clock.lock().unwrap() += chrono::Duration::seconds(3);
    wait_db(&mut shop.app, "the broadcast to finish", |a| {
        a.broadcast_progress(&admin, id).unwrap().done()
    });
    let p = shop.app.broadcast_progress(&admin, id).unwrap();
    assert_eq!((p.recipients, p.sent, p.failed, p.pending), (3, 2, 1, 0));
    // The 429 was waited out (retry_after 2 s) and the message went exactly once.
    assert_eq!(fake.with(|s| s.refused_429.values().sum::<u32>()), 1);
    assert!(t0.elapsed() >= Duration::from_secs(2), "{:?}", t0.elapsed());
    assert_eq!(fake.sent_to(701).len(), 1);
    assert_eq!(fake.sent_to(702).len(), 1);
    assert!(fake.sent_to(703).is_empty());
    // The blocked chat is marked and left out of the next broadcast.
    assert_eq!(
        count(
            &mut shop.app,
            "SELECT COUNT(*) AS n FROM telegram_links WHERE blocked_at IS NOT NULL AND chat_id = 703"
        ),
        1
    );
    let (_, recipients) = shop.app.broadcast(&admin, "Yana bir xabar").unwrap();
    assert_eq!(recipients, 2);
    fake.wait_messages(702, 2);
    assert!(matches!(status.state(), BotState::Running { .. }));
    handle.stop();
}

#[test]
fn broadcast_is_throttled_and_reports_progress() {
    let mut shop = common::shop();
    let fake = FakeTelegram::start();
    let clock: SimClock = Arc::new(Mutex::new(at("2026-11-24T07:00:00Z")));
    let admin = shop.admin.clone();
    let manager = shop.manager.clone();

    // No token: refused with a clear reason, nothing queued.
    let before = common::fingerprint(&mut shop.app);
    let err = shop.app.broadcast(&admin, "Salom").unwrap_err();
    assert!(err.to_string().contains("not set up"), "{err}");
    assert_eq!(common::fingerprint(&mut shop.app), before);

    set(&mut shop, setting_keys::TELEGRAM_TOKEN, TOKEN);
    for i in 0..45 {
        let phone = format!("9989100{i:05}");
        client(&mut shop, &format!("Mijoz {i}"), &phone);
        shop.app
            .link_telegram(800 + i, 800 + i, Some(800 + i), &phone, "", Lang::Uz)
            .unwrap();
    }
    // Only the admin broadcasts; empty text is refused.
    assert!(shop.app.broadcast(&manager, "Salom").is_err());
    assert!(shop.app.broadcast(&admin, "   ").is_err());

    let (handle, _status) = start(&shop, &fake, &clock);
    let (id, recipients) = shop
        .app
        .broadcast(&admin, "Yangi yil chegirmalari!")
        .unwrap();
    assert_eq!(recipients, 45);
    let mut seen = Vec::new();
    wait_db(&mut shop.app, "the broadcast to finish", |a| {
        let p = a.broadcast_progress(&admin, id).unwrap();
        p.done()
    });
    let p = shop.app.broadcast_progress(&admin, id).unwrap();
    seen.push(p);
    assert_eq!((p.sent, p.failed, p.pending), (45, 0, 0));
    let sent = fake.sent();
    assert_eq!(sent.len(), 45);
    for i in 0..45 {
        assert_eq!(
            fake.sent_to(800 + i),
            vec!["Yangi yil chegirmalari!".to_string()]
        );
    }
    // 30 go at once and the rest a window later: never more than 30 within any second of
    // arrival at the server, and the 45 take more than a second in all.
    let mut times: Vec<Instant> = sent.iter().map(|m| m.at).collect();
    times.sort();
    at_most_30_a_second(&times);
    assert!(times[44] - times[0] > Duration::from_secs(1));
    handle.stop();
}

#[test]
fn low_stock_alerts_go_to_the_admin_chats_once_per_crossing() {
    let mut shop = common::shop();
    let fake = FakeTelegram::start();
    let clock: SimClock = Arc::new(Mutex::new(at("2026-11-24T07:00:00Z")));
    set(&mut shop, setting_keys::TELEGRAM_ADMIN_CHATS, "9001, 9002");
    set(&mut shop, setting_keys::TELEGRAM_TOKEN, TOKEN);
    assert!(
        shop.app
            .set_setting(
                &shop.admin.clone(),
                setting_keys::TELEGRAM_ADMIN_CHATS,
                "nine"
            )
            .is_err()
    );
    let milk = product(&mut shop, "Sut 1 l", 12_000, 5); // threshold 2
    let cashier = shop.cashier.clone();
    let manager = shop.manager.clone();
    shop.app.open_shift(&cashier, Money::ZERO).unwrap();
    let sell = |app: &mut App, key: &str, n: i64| {
        app.sell(
            &cashier,
            &SaleRequest {
                idempotency_key: key.into(),
                lines: vec![SaleLineInput {
                    product_id: milk,
                    quantity: Quantity::units(n),
                    discount: Discount::None,
                    marking_codes: Vec::new(),
                }],
                sale_discount: Discount::None,
                tenders: vec![TenderInput {
                    method: PaymentMethod::Cash,
                    amount: Money::from_major(12_000 * n),
                    channel: None,
                }],
                client_id: None,
                due_date: None,
                expected_total: None,
            },
        )
        .unwrap();
    };
    let alerts = |app: &mut App| {
        common::scalar(
            app,
            "SELECT COUNT(*) AS n FROM telegram_outbox WHERE kind = 'low_stock'",
        )
    };
    sell(&mut shop.app, "l1", 2); // 5 -> 3
    assert_eq!(alerts(&mut shop.app), 0);
    sell(&mut shop.app, "l2", 1); // 3 -> 2: crosses
    assert_eq!(alerts(&mut shop.app), 2);
    sell(&mut shop.app, "l3", 1); // 2 -> 1: already below
    assert_eq!(alerts(&mut shop.app), 2);
    let supplier_id = common::supplier(&mut shop.app, &manager, "Sut zavodi");
    shop.app
        .receive_supply(
            &manager,
            &kassa::app::SupplyInput {
                supplier_id,
                payment: None,
                notes: String::new(),
                lines: vec![kassa::app::SupplyLineInput {
                    product_id: milk,
                    quantity: Quantity::units(10),
                    unit_cost: Money::from_major(6_000),
                }],
            },
        )
        .unwrap(); // 1 -> 11
    shop.app
        .adjust_stock(&manager, milk, Quantity::units(-9), "singan")
        .unwrap(); // 11 -> 2: crosses again
    assert_eq!(alerts(&mut shop.app), 4);

    let (handle, _status) = start(&shop, &fake, &clock);
    for chat in [9001, 9002] {
        let texts = fake.wait_messages(chat, 2);
        assert_eq!(
            texts,
            vec!["⚠ Kam qoldi: Sut 1 l — 2 dona (chegara 2 dona)".to_string(); 2]
        );
    }
    settle(&fake, 9001, 2);
    handle.stop();
}

#[test]
fn kassa_bot_runs_alone_answers_and_stops_on_sigterm() {
    let shop = common::shop();
    let db = common::db_path(&shop.dir);
    let fake = FakeTelegram::start();

    // No token anywhere: a clear refusal.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_kassa"))
        .args(["--db", db.to_str().unwrap(), "bot"])
        .env_remove("KASSA_TELEGRAM_TOKEN")
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("No Telegram bot token"));

    let child = std::process::Command::new(env!("CARGO_BIN_EXE_kassa"))
        .args(["--db", db.to_str().unwrap(), "bot"])
        .env("KASSA_TELEGRAM_TOKEN", TOKEN)
        .env("KASSA_TELEGRAM_API", fake.url.as_str())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    fake.text(901, "en", "/start");
    let texts = fake.wait_messages(901, 1);
    assert!(
        texts[0].starts_with("Hello! This is the bot of"),
        "{}",
        texts[0]
    );
    fake.text(901, "en", "/id");
    assert_eq!(fake.wait_messages(901, 2)[1], "This chat's id: 901");
    std::thread::sleep(Duration::from_millis(700));
    let pid = child.id().to_string();
    assert!(
        std::process::Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .unwrap()
            .success()
    );
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{out:?}");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("Telegram bot: running as @kassa_test_bot"),
        "{stdout}"
    );
    assert!(stdout.contains("Stopping the bot"), "{stdout}");
}

/// A webhook left by another tool: the bot removes it at start (keeping pending updates) and
/// answers; one that cannot be removed is named in the status, not blamed on the network.
#[test]
fn a_webhook_left_by_another_program_is_removed_or_named() {
    let mut shop = common::shop();
    let fake = FakeTelegram::start();
    let clock: SimClock = Arc::new(Mutex::new(at("2026-11-24T07:00:00Z")));
    set(&mut shop, setting_keys::TELEGRAM_TOKEN, TOKEN);
    fake.with(|s| s.webhook = true);
    fake.text(801, "uz", "/start");
    let (handle, status) = start(&shop, &fake, &clock);
    // The update that waited behind the webhook is answered.
    fake.wait_messages(801, 1);
    assert!(fake.with(|s| s.calls.iter().any(|c| c == "deletewebhook")));
    assert!(matches!(status.state(), BotState::Running { .. }));
    handle.stop();

    fake.with(|s| {
        s.webhook = true;
        s.webhook_stuck = true;
    });
    let (handle, status) = start(&shop, &fake, &clock);
    let deadline = Instant::now() + Duration::from_secs(60);
    while !matches!(status.state(), BotState::WebhookConflict { .. }) {
        assert!(Instant::now() < deadline, "{:?}", status.state());
        std::thread::sleep(Duration::from_millis(20));
    }
    handle.stop();
}

/// Statuses of the outbox, as "status:count" sorted.
fn outbox_statuses(app: &mut App) -> Vec<(String, i64)> {
    use kassa::store::schema::telegram_outbox::dsl as o;
    let mut rows: Vec<(String, i64)> = o::telegram_outbox
        .group_by(o::status)
        .select((o::status, diesel::dsl::count_star()))
        .load(app.connection())
        .unwrap();
    rows.sort();
    rows
}

/// Once a request may have reached Telegram (the connection was cut after Telegram took the
/// message, or the answer came after the client's timeout), the message is 'uncertain' and
/// never sent again by itself; refused connections and a proxy's 502 page are retried and
/// delivered once. The owner sees the uncertain ones and resends one by hand (audited).
#[test]
fn a_message_that_may_have_arrived_is_never_sent_twice() {
    let mut shop = common::shop();
    let fake = FakeTelegram::start();
    let clock: SimClock = Arc::new(Mutex::new(at("2026-11-24T07:00:00Z")));
    set(&mut shop, setting_keys::TELEGRAM_TOKEN, TOKEN);
    set(&mut shop, setting_keys::SHOP_NAME, "Oʻrikzor");
    let chats = [911i64, 912, 913];
    for (i, chat) in chats.into_iter().enumerate() {
        let phone = format!("99890111000{i}");
        client(&mut shop, &format!("Mijoz {i}"), &phone);
        shop.app
            .link_telegram(chat, chat, Some(chat), &phone, "", Lang::Uz)
            .unwrap();
    }
    let (handle, _status) = start_with(&shop, &fake, &clock, |cfg| {
        cfg.request_timeout = Duration::from_secs(2);
    });
    let admin = shop.admin.clone();
    let settled = |app: &mut App| {
        outbox_statuses(app)
            .iter()
            .all(|(s, _)| s != "pending" && s != "sending")
    };

    // 1. The connection drops after the server took the first message.
    fake.with(|s| s.cut_after_send = 1);
    shop.app.broadcast(&admin, "Birinchi xabar").unwrap();
    wait_db(&mut shop.app, "the first broadcast settled", settled);
    assert_eq!(
        outbox_statuses(&mut shop.app),
        vec![("sent".into(), 2), ("uncertain".into(), 1)]
    );
    assert_eq!(fake.sent().len(), 3, "all three reached the server once");

    // 2. The server answers after the client gave up (3 s against a 2 s timeout).
    fake.with(|s| s.delay = Duration::from_secs(3));
    shop.app.broadcast(&admin, "Ikkinchi xabar").unwrap();
    wait_db(&mut shop.app, "the second broadcast settled", settled);
    fake.with(|s| s.delay = Duration::ZERO);
    assert_eq!(
        outbox_statuses(&mut shop.app),
        vec![("sent".into(), 2), ("uncertain".into(), 4)]
    );

    // 3. A proxy's 502 page and then refused connections: retried, delivered once each
    // (teloxide waits 10 s before reading a server error's body: a bot with its usual 17 s
    // timeout).
    handle.stop();
    let (handle, _status) = start(&shop, &fake, &clock);
    fake.with(|s| s.bad_gateway = true);
    let (third, _) = shop.app.broadcast(&admin, "Uchinchi xabar").unwrap();
    let tried = |id: i32, times: i32| {
        format!(
            "SELECT COUNT(*) AS n FROM telegram_outbox \
             WHERE broadcast_id = {id} AND status = 'pending' AND attempts >= {times}"
        )
    };
    wait_db(&mut shop.app, "the 502s answered", |a| {
        common::scalar(a, &tried(third, 1)) == 3
    });
    // The server is gone: the retries of the third and the fourth broadcast are refused.
    fake.with(|s| {
        s.bad_gateway = false;
        s.down = true;
    });
    let later = |clock: &SimClock| *clock.lock().unwrap() += chrono::Duration::hours(1);
    later(&clock);
    let (fourth, _) = shop.app.broadcast(&admin, "Toʻrtinchi xabar").unwrap();
    wait_db(&mut shop.app, "the refused connections", |a| {
        common::scalar(a, &tried(third, 2)) == 3 && common::scalar(a, &tried(fourth, 1)) == 3
    });
    assert_eq!(fake.sent().len(), 6, "nothing reached the server meanwhile");
    later(&clock);
    fake.with(|s| s.down = false);
    let deadline = Instant::now() + Duration::from_secs(40);
    while !settled(&mut shop.app) {
        if Instant::now() > deadline {
            use kassa::store::schema::telegram_outbox::dsl as o;
            let rows: Vec<(i32, String, i32, Option<String>)> = o::telegram_outbox
                .select((o::id, o::status, o::attempts, o::last_error))
                .load(shop.app.connection())
                .unwrap();
            panic!("not settled: {rows:#?}");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(
        outbox_statuses(&mut shop.app),
        vec![("sent".into(), 8), ("uncertain".into(), 4)]
    );
    // Every chat got each of the four texts exactly once (retries go by their next try, so
    // not in order), signed by the shop.
    for chat in chats {
        let mut got = fake.sent_to(chat);
        got.sort();
        let mut expected = [
            "Birinchi xabar",
            "Ikkinchi xabar",
            "Uchinchi xabar",
            "Toʻrtinchi xabar",
        ]
        .map(|t| format!("{t}\n\n— Oʻrikzor"))
        .to_vec();
        expected.sort();
        assert_eq!(got, expected, "chat {chat}");
    }

    // The owner sees the four uncertain ones and sends one again by hand.
    let uncertain = shop.app.uncertain_messages(&admin).unwrap();
    assert_eq!(uncertain.len(), 4);
    assert!(uncertain.iter().all(|m| m.to.starts_with("Mijoz ")));
    assert!(shop.app.uncertain_messages(&shop.manager.clone()).is_err());
    let again = uncertain[0].id;
    let chat_of_again: i64 = common::scalar(
        &mut shop.app,
        &format!("SELECT chat_id AS n FROM telegram_outbox WHERE id = {again}"),
    );
    shop.app.resend_message(&admin, again).unwrap();
    fake.wait_messages(chat_of_again, 5);
    wait_db(&mut shop.app, "the resend recorded", |a| {
        a.uncertain_messages(&admin).unwrap().len() == 3 && settled(a)
    });
    assert_eq!(
        common::scalar(
            &mut shop.app,
            "SELECT COUNT(*) AS n FROM audit_logs WHERE action = 'telegram.resend'"
        ),
        1
    );
    // A message already sent cannot be "resent".
    assert!(shop.app.resend_message(&admin, again).is_err());
    assert_eq!(
        fake.sent().len(),
        3 * 4 + 1,
        "no other send reached the server"
    );
    handle.stop();
}

/// Each chat is answered by its own worker: sixty customers sharing their numbers at once are
/// all answered within 3 s, a chat flooding the bot does not hold up another chat's answer by
/// more than 1.5 s, and the same command repeated within a few seconds gets one answer.
#[test]
fn many_chats_at_once_and_a_flood_do_not_stall_anyone() {
    let mut shop = common::shop();
    let fake = FakeTelegram::start();
    let clock: SimClock = Arc::new(Mutex::new(at("2026-11-24T07:00:00Z")));
    set(&mut shop, setting_keys::TELEGRAM_TOKEN, TOKEN);
    let (handle, _status) = start(&shop, &fake, &clock);
    // The bot is polling before the clock starts.
    fake.text(5000, "uz", "/start");
    fake.wait_messages(5000, 1);

    let t0 = Instant::now();
    for i in 0..60i64 {
        let user = 6000 + i;
        fake.contact(user, "uz", &format!("+9989033{i:05}"), Some(user));
    }
    let sent = fake.wait_for(30, "60 answers", |sent| {
        (6000..6060).all(|u| sent.iter().any(|m| m.chat_id == u))
    });
    let last = (6000..6060)
        .filter_map(|u| sent.iter().find(|m| m.chat_id == u).map(|m| m.at))
        .max()
        .unwrap();
    let all_answered = last - t0;
    eprintln!("60 chats registering at once: all answered in {all_answered:?}");
    assert!(all_answered < Duration::from_secs(3), "{all_answered:?}");
    // Never more than 30 requests of any kind within any second (polling included).
    let calls = fake.with(|s| s.arrivals.clone());
    let mut times: Vec<Instant> = calls.iter().map(|a| a.at).collect();
    times.sort();
    at_most_30_a_second(&times);

    // One chat floods: 25 /balance (one answer) and 25 different texts.
    for _ in 0..25 {
        fake.text(7000, "uz", "/balance");
    }
    for i in 0..25 {
        fake.text(7000, "uz", &format!("salom {i}"));
    }
    let asked = Instant::now();
    fake.text(7001, "uz", "/start");
    let sent = fake.wait_for(10, "the other chat's answer", |sent| {
        sent.iter().any(|m| m.chat_id == 7001)
    });
    let waited = sent.iter().find(|m| m.chat_id == 7001).unwrap().at - asked;
    eprintln!("another chat's answer during a flood: {waited:?}");
    assert!(waited < Duration::from_millis(1500), "{waited:?}");
    // The flooding chat: its 25 /balance got one answer.
    let flood = fake.wait_for(10, "the flood's first answers", |sent| {
        sent.iter().filter(|m| m.chat_id == 7000).count() >= 2
    });
    let balance_answers = flood
        .iter()
        .filter(|m| m.chat_id == 7000 && m.text == Lang::Uz.t(kassa::i18n::T::BotNotLinked))
        .count();
    assert_eq!(balance_answers, 1, "{flood:#?}");
    handle.stop();
}

/// A chat's language choice is kept whether or not it is linked: /ru before linking is still
/// Russian at the next /start and after linking.
#[test]
fn an_unlinked_chats_language_is_remembered() {
    let mut shop = common::shop();
    let fake = FakeTelegram::start();
    let clock: SimClock = Arc::new(Mutex::new(at("2026-11-24T07:00:00Z")));
    set(&mut shop, setting_keys::TELEGRAM_TOKEN, TOKEN);
    client(&mut shop, "Olga", "998901112233");
    let (handle, _status) = start(&shop, &fake, &clock);
    fake.text(8100, "uz", "/ru");
    fake.wait_messages(8100, 1);
    fake.text(8100, "uz", "/start");
    let got = fake.wait_messages(8100, 2);
    assert!(got[1].starts_with("Здравствуйте!"), "{got:#?}");
    fake.contact(8100, "uz", "+998901112233", Some(8100));
    let got = fake.wait_messages(8100, 3);
    assert_eq!(shop.app.telegram_language(8100).unwrap(), Some(Lang::Ru));
    assert_eq!(got[2], "Спасибо, Olga! Номер привязан. Баланс: /balance");
    handle.stop();
}

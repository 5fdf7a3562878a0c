//! Several writers at once on one database file, as in a running shop: the till selling, a
//! second till, a manager receiving goods and taking debt payments, the admin changing
//! settings, the printer thread emptying the print queue, and the Telegram bot (customers
//! registering through it, its outbox and reminder scheduler) against a fake Bot API server —
//! each on its own connection and thread, for a minute (KASSA_SOAK_SECS to change). No
//! "database is locked", no lost write.

mod common;

use std::time::{Duration, Instant};

use common::*;
use kassa::app::{App, ClientInput, Options, SaleLineInput, SaleRequest};
use kassa::domain::cart::Discount;
use kassa::domain::payment::{PaymentMethod, TenderInput};
use kassa::domain::{Money, Quantity, Role};

#[test]
fn writers_on_every_thread_never_see_a_locked_database() {
    let mut shop = shop();
    let secs: u64 = std::env::var("KASSA_SOAK_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(60);
    let (admin, manager, cashier) = (
        shop.admin.clone(),
        shop.manager.clone(),
        shop.cashier.clone(),
    );
    let cashier2 = employee(&mut shop.app, &admin, "cashier2", Role::Cashier);
    let p = stocked(
        &mut shop.app,
        &manager,
        product_input("Non", 4_000, 3_000, ""),
        Quantity::units(100_000),
    );
    let client = shop
        .app
        .create_client(
            &manager,
            &ClientInput {
                full_name: "Aziz".into(),
                ..Default::default()
            },
        )
        .unwrap()
        .id;
    let db = db_path(&shop.dir);
    let printed_to = shop.dir.path().join("printer.bin");
    shop.app
        .set_setting(
            &admin,
            "printer.port",
            &format!("file:{}", printed_to.display()),
        )
        .unwrap();
    // The customer is on Telegram and owes something due tomorrow: every debt payment
    // queues a message, and the scheduler queues one reminder (at whatever hour the test
    // runs).
    common::reminders_all_day(&mut shop.app, &admin);
    kassa_link(&mut shop.app, &manager, client);
    let tomorrow = chrono::Utc::now()
        .with_timezone(&chrono_tz::Asia::Tashkent)
        .date_naive()
        .succ_opt()
        .unwrap();
    shop.app.open_shift(&admin, Money::ZERO).unwrap();
    shop.app
        .sell(
            &admin,
            &SaleRequest {
                idempotency_key: "credit-before".into(),
                lines: vec![SaleLineInput {
                    product_id: p,
                    quantity: Quantity::units(500),
                    discount: Discount::None,
                    marking_codes: Vec::new(),
                }],
                sale_discount: Discount::None,
                tenders: vec![TenderInput {
                    method: PaymentMethod::Nasiya,
                    amount: Money::from_major(2_000_000),
                    channel: None,
                }],
                client_id: Some(client),
                due_date: Some(tomorrow),
                expected_total: None,
            },
        )
        .unwrap();
    // (That sale, its receipt and its ledger row are counted below as `before`.)
    let before = 1u64;
    let fake = common::fake_telegram::FakeTelegram::start();
    let mut cfg = kassa::bot::BotConfig::new(db.clone(), common::fake_telegram::TOKEN.into());
    cfg.api_url = Some(fake.url.clone());
    cfg.poll_timeout_secs = 1;
    cfg.tick = Duration::from_millis(50);
    cfg.reminders_every = Duration::from_millis(50);
    let bot = kassa::bot::spawn(cfg, kassa::bot::BotStatus::default()).unwrap();
    // The scheduler logs the customer's reminder before the writers start paying the debt.
    let deadline = Instant::now() + Duration::from_secs(30);
    while scalar(&mut shop.app, "SELECT COUNT(*) AS n FROM reminders_sent") == 0 {
        assert!(Instant::now() < deadline, "no reminder was queued");
        std::thread::sleep(Duration::from_millis(20));
    }
    let until = Instant::now() + Duration::from_secs(secs);
    let telegram_customers = {
        let fake = fake.clone();
        std::thread::spawn(move || {
            let mut n = 0i64;
            while Instant::now() < until {
                n += 1;
                let user = 10_000 + n;
                fake.contact(user, "uz", &format!("99893{:07}", n), Some(user));
                std::thread::sleep(Duration::from_millis(100));
            }
            n
        })
    };

    let sellers: Vec<_> = [cashier.clone(), cashier2.clone()]
        .into_iter()
        .map(|who| {
            let db = db.clone();
            std::thread::spawn(move || {
                let mut app = App::open(&db, Options { bcrypt_cost: 4 }).unwrap();
                app.open_shift(&who, Money::ZERO).unwrap();
                let mut n = 0u64;
                while Instant::now() < until {
                    n += 1;
                    app.sell(
                        &who,
                        &SaleRequest {
                            idempotency_key: format!("{}-{n}", who.login),
                            lines: vec![SaleLineInput {
                                product_id: p,
                                quantity: Quantity::units(1),
                                discount: Discount::None,
                                marking_codes: Vec::new(),
                            }],
                            sale_discount: Discount::None,
                            tenders: vec![TenderInput {
                                method: PaymentMethod::Cash,
                                amount: Money::from_major(4_000),
                                channel: None,
                            }],
                            client_id: None,
                            due_date: None,
                            expected_total: None,
                        },
                    )
                    .expect("a sale failed");
                }
                n
            })
        })
        .collect();
    let back_office = {
        let db = db.clone();
        std::thread::spawn(move || {
            let mut app = App::open(&db, Options { bcrypt_cost: 4 }).unwrap();
            // Debt payments belong to the taker's shift.
            app.open_shift(&manager, Money::ZERO).unwrap();
            let mut n = 0u64;
            while Instant::now() < until {
                n += 1;
                app.adjust_stock(&manager, p, Quantity::units(1), "recount")
                    .expect("adjustment failed");
                app.take_debt_payment(
                    &manager,
                    client,
                    Money::from_major(100),
                    PaymentMethod::Card,
                    "",
                )
                .expect("payment failed");
            }
            n
        })
    };
    let settings = {
        let db = db.clone();
        std::thread::spawn(move || {
            let mut app = App::open(&db, Options { bcrypt_cost: 4 }).unwrap();
            let mut n = 0u64;
            while Instant::now() < until {
                n += 1;
                app.set_setting(&admin, "shop.name", &format!("Shop {n}"))
                    .expect("setting failed");
                std::thread::sleep(Duration::from_millis(20));
            }
            n
        })
    };
    let printer = {
        let db = db.clone();
        std::thread::spawn(move || {
            let app = App::open(&db, Options { bcrypt_cost: 4 }).unwrap();
            let mut worker = kassa::devices::printer::PrintWorker::new(app);
            let mut printed = 0u64;
            // Until the writers stop and the queue is empty.
            loop {
                match worker.step().expect("print queue failed") {
                    kassa::devices::printer::Step::Printed(_) => printed += 1,
                    kassa::devices::printer::Step::Failed(id, e) => panic!("job {id}: {e}"),
                    _ if Instant::now() >= until => break,
                    _ => std::thread::sleep(Duration::from_millis(5)),
                }
            }
            while let kassa::devices::printer::Step::Printed(_) = worker.step().unwrap() {
                printed += 1;
            }
            printed
        })
    };
    let sold: u64 = sellers
        .into_iter()
        .map(|t| t.join().expect("seller panicked"))
        .sum();
    let office = back_office.join().expect("back office panicked");
    let changes = settings.join().expect("settings panicked");
    let printed = printer.join().expect("printer panicked");
    let registered = telegram_customers
        .join()
        .expect("telegram customers panicked");
    // Every customer who shared a contact got their answer: registered, never "try later".
    for i in 1..=registered {
        let texts = fake.wait_messages(10_000 + i, 1);
        assert!(texts[0].contains("roʻyxatdan oʻtdingiz"), "{}", texts[0]);
    }
    bot.stop();
    assert_eq!(
        scalar(
            &mut shop.app,
            "SELECT COUNT(*) AS n FROM clients WHERE notes = 'Telegram'"
        ),
        registered
    );
    // One message per debt payment, one reminder; what was sent is marked, nothing twice.
    assert_eq!(
        scalar(
            &mut shop.app,
            "SELECT COUNT(*) AS n FROM telegram_outbox WHERE kind = 'debt_payment'"
        ) as u64,
        office
    );
    assert_eq!(
        scalar(&mut shop.app, "SELECT COUNT(*) AS n FROM reminders_sent"),
        1
    );
    assert_eq!(
        scalar(
            &mut shop.app,
            "SELECT COUNT(*) AS n FROM telegram_outbox WHERE status = 'sent' AND chat_id = 555"
        ),
        fake.sent_to(555).len() as i64
    );

    assert!(sold > 0 && office > 0 && changes > 0);
    assert_eq!(
        scalar(&mut shop.app, "SELECT COUNT(*) AS n FROM sales") as u64,
        sold + before,
        "every sale is there"
    );
    assert_eq!(
        scalar(
            &mut shop.app,
            &format!("SELECT COUNT(*) AS n FROM client_ledger WHERE client_id = {client}")
        ) as u64,
        office + before
    );
    assert_eq!(
        shop.app.product(&shop.manager, p).unwrap().stock,
        Quantity::units(100_000 - 500 - sold as i64 + office as i64).0,
        "no stock change lost"
    );
    // One receipt per sale and one slip per debt payment, all printed.
    assert_eq!(
        printed,
        sold + before + office,
        "every queued document printed"
    );
    assert_eq!(
        scalar(
            &mut shop.app,
            "SELECT COUNT(*) AS n FROM print_jobs WHERE status <> 'done'"
        ),
        0
    );
    let bytes = std::fs::read(&printed_to).unwrap();
    assert_eq!(
        kassa::app::document::escpos::decode(&bytes).inits as u64,
        printed,
        "every printed job reached the printer"
    );
    assert!(shop.app.check().unwrap().is_empty());
    let (broken, _) = shop.app.verify_audit().unwrap();
    assert_eq!(
        broken, None,
        "the audit chain stays whole under concurrent writers"
    );
}

/// Links the customer to chat 555 through the bot's own use case (they share their phone).
fn kassa_link(app: &mut App, manager: &kassa::app::Session, client: i32) {
    let mut input = app.client(manager, client).unwrap();
    input.phone = "998901234567".into();
    app.update_client(
        manager,
        client,
        &ClientInput {
            full_name: input.full_name,
            phone: input.phone,
            notes: input.notes,
        },
    )
    .unwrap();
    let linked = app
        .link_telegram(
            555,
            555,
            Some(555),
            "+998 90 123 45 67",
            "Aziz",
            kassa::i18n::Lang::Uz,
        )
        .unwrap();
    assert!(matches!(linked, kassa::app::LinkOutcome::Linked { .. }));
}

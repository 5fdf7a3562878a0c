//! Several writers at once on one database file, as in a running shop: the till selling, a
//! second till, a manager receiving goods and taking debt payments, the admin changing
//! settings, and the printer thread emptying the print queue — each on its own connection and
//! thread, for a minute (KASSA_SOAK_SECS to change). No "database is locked", no lost write.

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
    let until = Instant::now() + Duration::from_secs(secs);

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
                            }],
                            sale_discount: Discount::None,
                            tenders: vec![TenderInput {
                                method: PaymentMethod::Cash,
                                amount: Money::from_major(4_000),
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

    assert!(sold > 0 && office > 0 && changes > 0);
    assert_eq!(
        scalar(&mut shop.app, "SELECT COUNT(*) AS n FROM sales") as u64,
        sold,
        "every sale is there"
    );
    assert_eq!(
        scalar(
            &mut shop.app,
            &format!("SELECT COUNT(*) AS n FROM client_ledger WHERE client_id = {client}")
        ) as u64,
        office
    );
    assert_eq!(
        shop.app.product(&shop.manager, p).unwrap().stock,
        Quantity::units(100_000 - sold as i64 + office as i64).0,
        "no stock change lost"
    );
    // One receipt per sale and one slip per debt payment, all printed.
    assert_eq!(printed, sold + office, "every queued document printed");
    assert_eq!(
        scalar(
            &mut shop.app,
            "SELECT COUNT(*) AS n FROM print_jobs WHERE status <> 'done'"
        ),
        0
    );
    let bytes = std::fs::read(&printed_to).unwrap();
    assert_eq!(
        kassa::devices::escpos::decode(&bytes).inits as u64,
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

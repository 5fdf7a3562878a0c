//! Tills that keep selling while the shop's PostgreSQL server is away (issue #30): the
//! outbox of kept sales, sent once and in order when the server is back, with a real server
//! stopped (`pg_ctl -m immediate`) and a real sending till killed with SIGKILL. The day of two
//! tills and a back-office PC with the server away and a till killed ends with every report,
//! drawer, debt and stock equal to the same sales made on one SQLite till.

mod common;

use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use chrono::{DateTime, NaiveDate, Utc};
use kassa::app::{
    App, AppError, ClientInput, ClientView, OfflineWarning, Options, ProductView, SaleLineInput,
    SaleRequest, Session, Sold, TillBasis,
};
use kassa::domain::cart::{CartLine, Discount};
use kassa::domain::payment::{PaymentMethod, TenderInput};
use kassa::domain::{Money, Quantity, Role};
use kassa::store::db::prelude::*;
use rand::{Rng, SeedableRng};

const OPTIONS: Options = Options { bcrypt_cost: 4 };

/// The environment variables that turn [`outbox_sender`] into the sending child.
const SEND_DB: &str = "KASSA_TEST_OUTBOX_DB";
const SEND_OUTBOX: &str = "KASSA_TEST_OUTBOX_FILE";

fn at(app: &mut App, rfc3339: &str) {
    common::freeze(app, rfc3339);
}

/// What a till knows of its catalog (read while the server answered).
fn known(app: &mut App, who: &Session) -> HashMap<i32, ProductView> {
    app.catalog(who)
        .expect("catalog")
        .into_iter()
        .map(|p| (p.id, p))
        .collect()
}

/// The till's basis for a sale of `lines` (product, units).
fn basis(
    catalog: &HashMap<i32, ProductView>,
    shift: Option<i32>,
    lines: &[(i32, i64)],
    client: Option<ClientView>,
) -> TillBasis {
    TillBasis {
        shift_id: shift,
        lines: lines
            .iter()
            .map(|(id, n)| {
                let p = &catalog[id];
                CartLine {
                    product_id: p.id,
                    name: p.name.as_str().into(),
                    unit: p.unit(),
                    unit_price: Money(p.sale_price),
                    unit_cost: Money(p.purchase_price),
                    quantity: Quantity::units(*n),
                    discount: Discount::None,
                }
            })
            .collect(),
        stock: lines
            .iter()
            .map(|(id, _)| (*id, Quantity(catalog[id].stock)))
            .collect(),
        client,
    }
}

fn request(
    key: &str,
    lines: &[(i32, i64)],
    tenders: Vec<TenderInput>,
    credit: Option<(i32, NaiveDate)>,
) -> SaleRequest {
    SaleRequest {
        idempotency_key: key.into(),
        lines: lines
            .iter()
            .map(|(id, n)| SaleLineInput {
                product_id: *id,
                quantity: Quantity::units(*n),
                discount: Discount::None,
                marking_codes: Vec::new(),
            })
            .collect(),
        sale_discount: Discount::None,
        tenders,
        client_id: credit.map(|c| c.0),
        due_date: credit.map(|c| c.1),
        expected_total: None,
    }
}

fn tender(method: PaymentMethod, som: i64) -> TenderInput {
    TenderInput {
        method,
        amount: Money::from_major(som),
        channel: None,
    }
}

fn kept(sold: AppResult) -> kassa::app::KeptReceipt {
    match sold {
        Ok(Sold::Kept(k)) => k,
        other => panic!("expected a kept sale, got {other:?}"),
    }
}

type AppResult = Result<Sold, AppError>;

/// Sends the outbox until it is empty (the till tries its server again a moment after it
/// last found it away); what was sent in all.
fn send_all(app: &mut App) -> kassa::app::SendReport {
    let deadline = Instant::now() + Duration::from_secs(120);
    let mut all = kassa::app::SendReport::default();
    loop {
        let r = app.send_outbox(Duration::from_secs(60)).unwrap();
        all.sent += r.sent;
        all.already += r.already;
        all.refused += r.refused;
        all.left = r.left;
        if r.left == 0 || r.refused > 0 {
            return all;
        }
        assert!(
            Instant::now() < deadline,
            "the outbox was never sent: {all:?}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn count_sales(app: &mut App) -> i64 {
    common::scalar(app, "SELECT COUNT(*) AS n FROM sales")
}

/// A till sells on while the server is stopped: each kind of sale is kept with what the till
/// could not check said as a warning, nasiya beyond the admin's offline limit is refused,
/// the shift cannot close while sales wait; when the server is back they arrive once, in
/// order, at the times they were made, with stock, debts and the drawer as if sold online.
#[test]
fn a_till_keeps_selling_while_the_server_is_away() {
    let server = common::pg::PgServer::start();
    let url = server.create_database("shop");
    let dir = tempfile::tempdir().unwrap();
    let mut app = App::open_server(&url, OPTIONS).unwrap();
    at(&mut app, "2026-12-07T04:00:00Z");
    let common::BreadShop {
        admin,
        manager,
        cashier,
        bread,
    } = common::bread_shop(&mut app);
    let milk = common::stocked(
        &mut app,
        &manager,
        common::product_input("Sut", 12_000, 9_000, "4006381333948"),
        Quantity::units(2),
    );
    app.set_settings(
        &admin,
        &[
            ("credit.offline_limit", "50000"),
            ("credit.default_limit", "100000"),
        ],
    )
    .unwrap();
    app.create_client(
        &manager,
        &ClientInput {
            full_name: "Aziz Karimov".into(),
            phone: "+998901234567".into(),
            notes: String::new(),
        },
    )
    .unwrap();
    app.use_outbox(&dir.path().join("outbox.sqlite")).unwrap();
    let shift = app
        .open_shift(&cashier, Money::from_major(100_000))
        .unwrap();
    // What the till reads while the server answers: catalog, card methods, customers, and
    // at log-in what unlocks it.
    app.remember_for_offline(&cashier);
    assert_eq!(
        app.offline_unlock(&cashier),
        None,
        "online: unlocked by the server"
    );
    let catalog = known(&mut app, &cashier);
    let card = app.payment_methods(&cashier).unwrap().0[0].id;
    let aziz = app.clients(&cashier, "aziz", 10).unwrap().remove(0);
    assert_eq!(aziz.effective_limit, Some(10_000_000));
    let online = app
        .sell_at_till(
            &cashier,
            &request(
                "online-1",
                &[(bread, 1)],
                vec![tender(PaymentMethod::Cash, 4_000)],
                None,
            ),
            None,
            &basis(&catalog, Some(shift.id), &[(bread, 1)], None),
        )
        .unwrap();
    assert!(matches!(online, Sold::Online(_)), "{online:?}");

    server.stop();
    let due = NaiveDate::from_ymd_opt(2026, 12, 21).unwrap();
    at(&mut app, "2026-12-07T05:10:00Z");
    let cash_sale = request(
        "away-cash",
        &[(bread, 2)],
        vec![tender(PaymentMethod::Cash, 10_000)],
        None,
    );
    let cash_basis = basis(&catalog, Some(shift.id), &[(bread, 2)], None);
    let cash = kept(app.sell_at_till(&cashier, &cash_sale, None, &cash_basis));
    assert_eq!(
        (cash.total, cash.change, cash.waiting),
        (800_000, 200_000, 1)
    );
    assert!(cash.warnings.is_empty(), "{:?}", cash.warnings);
    assert!(app.outbox_status().unwrap().offline);
    // The till locked after a pause opens with the cashier's password, not another.
    let hash = app.offline_unlock(&cashier).expect("offline unlock");
    assert!(bcrypt::verify(common::PASSWORD, &hash).unwrap());
    assert!(!bcrypt::verify("admin123", &hash).unwrap());
    assert_eq!(app.offline_unlock(&manager), None);
    // The same checkout sent again (the cashier pressed Enter twice): kept once.
    let again = kept(app.sell_at_till(&cashier, &cash_sale, None, &cash_basis));
    assert!(again.duplicate && again.waiting == 1, "{again:?}");
    at(&mut app, "2026-12-07T05:20:00Z");
    let short = kept(app.sell_at_till(
        &cashier,
        &request(
            "away-card",
            &[(milk, 3)],
            vec![TenderInput {
                method: PaymentMethod::Card,
                amount: Money::from_major(36_000),
                channel: Some(card),
            }],
            None,
        ),
        None,
        &basis(&catalog, Some(shift.id), &[(milk, 3)], None),
    ));
    assert_eq!(
        short.warnings,
        vec![OfflineWarning::ShortStock {
            product: "Sut".into(),
            stock: 2_000,
            sold: 3_000
        }]
    );
    // Customers are found from what the till read before.
    let found = app.clients(&cashier, "karim", 10).unwrap();
    assert_eq!(found.len(), 1);
    at(&mut app, "2026-12-07T05:30:00Z");
    let nasiya = kept(app.sell_at_till(
        &cashier,
        &request(
            "away-nasiya",
            &[(milk, 3)],
            vec![tender(PaymentMethod::Nasiya, 36_000)],
            Some((aziz.id, due)),
        ),
        None,
        &basis(
            &catalog,
            Some(shift.id),
            &[(milk, 3)],
            Some(found[0].clone()),
        ),
    ));
    assert_eq!(nasiya.waiting, 3);
    // 36 000 waits for Aziz: 20 000 more passes the offline limit of 50 000.
    let e = app
        .sell_at_till(
            &cashier,
            &request(
                "away-too-much",
                &[(bread, 5)],
                vec![tender(PaymentMethod::Nasiya, 20_000)],
                Some((aziz.id, due)),
            ),
            None,
            &basis(&catalog, Some(shift.id), &[(bread, 5)], Some(aziz.clone())),
        )
        .unwrap_err();
    assert!(matches!(e, AppError::OfflineNasiyaLimit { .. }), "{e:?}");
    let said = kassa::app::error_text(kassa::i18n::Lang::Uz, &e);
    assert!(said.contains("50 000") && said.contains("36 000"), "{said}");
    assert_eq!(app.outbox_status().unwrap().waiting, 3);
    let e = app
        .close_shift(&cashier, Money::from_major(112_000), "")
        .unwrap_err();
    assert!(matches!(e, AppError::OutboxWaiting(3)), "{e:?}");
    // What waits can be listed at the till with the server away.
    let file = dir.path().join("outbox.sqlite");
    let file = file.to_str().unwrap();
    let (ok, out, err) = common::run_kassa(&["--db", &url, "outbox", "--file", file]);
    assert!(ok, "{err}");
    assert!(out.contains("3 sales waiting"), "{out}");
    assert!(
        out.contains("2026-12-07 05:30:00 UTC  away-nasiya"),
        "{out}"
    );

    server.restart();
    at(&mut app, "2026-12-07T06:00:00Z");
    let report = send_all(&mut app);
    assert_eq!(
        (report.sent, report.already, report.left),
        (3, 0, 0),
        "{report:?}"
    );
    assert!(!app.outbox_status().unwrap().offline);
    assert_eq!(app.send_outbox(Duration::from_secs(60)).unwrap().sent, 0);
    assert_eq!(count_sales(&mut app), 4);
    // In the order they were made, each at the time it was made.
    let order = common::scalar_text(
        &mut app,
        "SELECT STRING_AGG(idempotency_key || '@' || CAST(created_at AS TEXT), ',' ORDER BY id) AS t FROM sales",
    );
    assert_eq!(
        order,
        "online-1@2026-12-07 04:00:00,away-cash@2026-12-07 05:10:00,\
         away-card@2026-12-07 05:20:00,away-nasiya@2026-12-07 05:30:00"
    );
    assert_eq!(
        common::scalar(
            &mut app,
            &format!("SELECT stock AS n FROM products WHERE id = {bread}")
        ),
        7_000
    );
    assert_eq!(
        common::scalar(
            &mut app,
            &format!("SELECT stock AS n FROM products WHERE id = {milk}")
        ),
        -4_000
    );
    assert_eq!(app.client(&manager, aziz.id).unwrap().balance, -3_600_000);
    // What the till could not check is in the audit log.
    assert_eq!(
        common::scalar(
            &mut app,
            "SELECT COUNT(*) AS n FROM audit_logs WHERE action = 'sale.negative_stock'"
        ),
        2
    );
    let x = app.x_report(&cashier).unwrap();
    assert_eq!(x.expected_cash, 10_000_000 + 400_000 + 800_000);
    assert_eq!((x.card_sales, x.nasiya_sales), (3_600_000, 3_600_000));
    assert_eq!(app.check().unwrap(), Vec::<(String, Vec<String>)>::new());
    app.close_shift(&cashier, Money::from_major(112_000), "")
        .unwrap();
}

/// The child of [`killing_a_till_while_it_sends_its_outbox_loses_and_doubles_nothing`]:
/// this test program run again, sending the outbox one sale per round and saying `sent`
/// after each round, `empty` at the end. Test-only: nothing of it is in the shipped program.
#[test]
#[ignore = "run by the outbox tests as their child process"]
fn outbox_sender() {
    use std::io::Write;
    let (Ok(url), Ok(file)) = (std::env::var(SEND_DB), std::env::var(SEND_OUTBOX)) else {
        return;
    };
    let mut app = App::open_existing(Path::new(&url), OPTIONS).expect("open");
    app.use_outbox(Path::new(&file)).expect("outbox");
    let mut out = std::io::stdout().lock();
    loop {
        let r = app.send_outbox(Duration::ZERO).expect("send");
        if r.left == 0 {
            writeln!(out, "empty").expect("stdout");
            return;
        }
        writeln!(out, "sent {}", r.sent + r.already).expect("stdout");
        out.flush().expect("stdout");
    }
}

/// Runs [`outbox_sender`] on `outbox` and kills it with SIGKILL once it reported `rounds`
/// rounds (and a random spin more); true when it emptied the outbox first.
fn send_and_kill(url: &str, outbox: &Path, rounds: usize, spin: u32) -> bool {
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args([
            "--ignored",
            "--exact",
            "outbox_sender",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(SEND_DB, url)
        .env(SEND_OUTBOX, outbox)
        .env("KASSA_LOG", "off")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    let reader = std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let deadline = Instant::now() + Duration::from_secs(300);
    let mut seen = 0;
    let mut emptied = false;
    while seen < rounds && !emptied {
        match rx.recv_timeout(Duration::from_secs(1)) {
            // The first line follows libtest's "test outbox_sender ... ".
            Ok(line) if line.ends_with("empty") => emptied = true,
            Ok(line) if line.contains("sent ") => seen += 1,
            Ok(_) => {}
            Err(_) => {
                assert!(Instant::now() < deadline, "the sender reported nothing");
                if let Ok(Some(status)) = child.try_wait() {
                    panic!("the sender ended early: {status}");
                }
            }
        }
    }
    for _ in 0..spin {
        std::hint::spin_loop();
    }
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    reader.join().unwrap();
    emptied || rx.try_iter().any(|l| l.ends_with("empty"))
}

/// Sixty sales kept while the server was away; the till sending them is killed with SIGKILL
/// again and again at random moments (mid-transaction, between the server's commit and the
/// outbox's removal). Every sale reaches the server exactly once, in the order made.
#[test]
fn killing_a_till_while_it_sends_its_outbox_loses_and_doubles_nothing() {
    let server = common::pg::PgServer::start();
    let url = server.create_database("shop");
    let dir = tempfile::tempdir().unwrap();
    let outbox = dir.path().join("outbox.sqlite");
    let mut app = App::open_server(&url, OPTIONS).unwrap();
    let admin = common::admin(&mut app);
    let manager = common::employee(&mut app, &admin, "manager", Role::Manager);
    let cashier = common::employee(&mut app, &admin, "cashier", Role::Cashier);
    let bread = common::stocked(
        &mut app,
        &manager,
        common::product_input("Non", 4_000, 3_000, "4006381333931"),
        Quantity::units(1_000),
    );
    app.use_outbox(&outbox).unwrap();
    let shift = app.open_shift(&cashier, Money::ZERO).unwrap();
    let catalog = known(&mut app, &cashier);
    server.stop();
    const SALES: usize = 60;
    for i in 0..SALES {
        let n = 1 + (i % 3) as i64;
        kept(app.sell_at_till(
            &cashier,
            &request(
                &format!("kept-{i:03}"),
                &[(bread, n)],
                vec![tender(PaymentMethod::Cash, 4_000 * n)],
                None,
            ),
            None,
            &basis(&catalog, Some(shift.id), &[(bread, n)], None),
        ));
    }
    drop(app);
    server.restart();
    let mut rng = rand::rngs::StdRng::seed_from_u64(30);
    let mut kills = 0;
    let mut db = App::open_existing(Path::new(&url), OPTIONS).unwrap();
    loop {
        let emptied = send_and_kill(
            &url,
            &outbox,
            rng.random_range(1..=3),
            rng.random_range(0..300_000),
        );
        kills += usize::from(!emptied);
        // After every kill: each sale on the server once, none lost (on the server or still
        // waiting), and those on the server a prefix of the order made.
        let keys: Vec<String> = {
            #[derive(QueryableByName)]
            struct Key {
                #[diesel(sql_type = diesel::sql_types::Text)]
                idempotency_key: String,
            }
            diesel::sql_query("SELECT idempotency_key FROM sales ORDER BY id")
                .load::<Key>(db.connection())
                .unwrap()
                .into_iter()
                .map(|k| k.idempotency_key)
                .collect()
        };
        let expected: Vec<String> = (0..keys.len()).map(|i| format!("kept-{i:03}")).collect();
        assert_eq!(keys, expected, "after {kills} kills");
        let waiting = kassa::store::outbox::Outbox::open(&outbox)
            .unwrap()
            .count()
            .unwrap()
            .0;
        assert!(
            keys.len() + waiting as usize >= SALES,
            "a sale was lost after {kills} kills"
        );
        if emptied || keys.len() == SALES && waiting == 0 {
            break;
        }
        assert!(kills < 500, "the outbox never emptied");
    }
    assert!(
        kills >= 5,
        "only {kills} kills: the test did not exercise anything"
    );
    assert_eq!(count_sales(&mut db), SALES as i64);
    let sold: i64 = (0..SALES).map(|i| 1 + (i % 3) as i64).sum();
    assert_eq!(
        common::scalar(&mut db, "SELECT stock AS n FROM products"),
        (1_000 - sold) * 1_000
    );
    assert_eq!(db.check().unwrap(), Vec::<(String, Vec<String>)>::new());
}

/// One event of the day.
#[derive(Clone, Debug)]
enum Ev {
    Sale {
        till: usize,
        key: String,
        lines: Vec<(usize, i64)>,
        how: PaymentMethod,
        client: Option<usize>,
    },
    DebtPayment {
        client: usize,
        som: i64,
    },
    Expense {
        som: i64,
    },
    Refund {
        key: String,
    },
    ServerAway,
    ServerBack,
    /// Till 2 dies (its program killed) and another program sends its outbox and is killed
    /// with SIGKILL mid-way; then till 2 starts again.
    KillTill2,
}

/// The day: sales at two tills, the back office taking a debt payment, an expense and a
/// refund, the server away for a while and till 2 killed.
fn the_day() -> Vec<Ev> {
    let mut day = Vec::new();
    let mut n = 0;
    let mut sale = |day: &mut Vec<Ev>, till: usize, i: usize| {
        n += 1;
        let how = match i % 4 {
            0 => PaymentMethod::Cash,
            1 => PaymentMethod::Card,
            2 if i % 8 == 2 => PaymentMethod::Nasiya,
            _ => PaymentMethod::Cash,
        };
        day.push(Ev::Sale {
            till,
            key: format!("day-{n:03}"),
            lines: vec![(i % 5, 1 + (i % 3) as i64), ((i + 2) % 5, 1)],
            how,
            client: (how == PaymentMethod::Nasiya).then_some(i % 2),
        });
    };
    for i in 0..12 {
        sale(&mut day, i % 2, i);
    }
    day.push(Ev::DebtPayment {
        client: 0,
        som: 5_000,
    });
    day.push(Ev::Refund {
        key: "day-002".into(),
    });
    day.push(Ev::Expense { som: 30_000 });
    day.push(Ev::ServerAway);
    for i in 12..24 {
        sale(&mut day, i % 2, i);
    }
    day.push(Ev::KillTill2);
    day.push(Ev::ServerBack);
    for i in 24..34 {
        sale(&mut day, i % 2, i);
    }
    day.push(Ev::DebtPayment {
        client: 1,
        som: 7_000,
    });
    day
}

/// A shop's start, the same on either engine: staff, five products, two customers.
struct Start {
    admin: Session,
    manager: Session,
    cashiers: [Session; 2],
    products: Vec<i32>,
    clients: Vec<i32>,
    category: i32,
}

fn start_shop(app: &mut App) -> Start {
    at(app, "2026-12-07T03:00:00Z");
    let admin = common::admin(app);
    let manager = common::employee(app, &admin, "manager", Role::Manager);
    let c1 = common::employee(app, &admin, "kassir1", Role::Cashier);
    let c2 = common::employee(app, &admin, "kassir2", Role::Cashier);
    let products = [
        ("Non", 4_000, 3_000),
        ("Sut", 12_000, 9_500),
        ("Choy", 25_000, 19_000),
        ("Shakar", 14_000, 11_000),
        ("Guruch", 18_000, 15_500),
    ]
    .iter()
    .enumerate()
    .map(|(i, (name, price, cost))| {
        common::stocked(
            app,
            &manager,
            common::product_input(name, *price, *cost, ""),
            Quantity::units(30 + 5 * i as i64),
        )
    })
    .collect();
    app.set_settings(&admin, &[("credit.offline_limit", "200000")])
        .unwrap();
    let clients = ["Aziz Karimov", "Dilnoza Rahimova"]
        .iter()
        .enumerate()
        .map(|(i, name)| {
            app.create_client(
                &manager,
                &ClientInput {
                    full_name: (*name).into(),
                    phone: format!("+99890123456{i}"),
                    notes: String::new(),
                },
            )
            .unwrap()
            .id
        })
        .collect();
    let category = app.create_expense_category(&manager, "Ijara").unwrap().id;
    Start {
        admin,
        manager,
        cashiers: [c1, c2],
        products,
        clients,
        category,
    }
}

/// Minute `i` of the day (UTC, 09:00 in Tashkent on).
fn minute(i: usize) -> String {
    let t: DateTime<Utc> = DateTime::parse_from_rfc3339("2026-12-07T04:00:00Z")
        .unwrap()
        .with_timezone(&Utc)
        + chrono::Duration::minutes(7 * i as i64);
    t.to_rfc3339()
}

fn sale_request(
    ev: &Ev,
    start: &Start,
    catalog: &HashMap<i32, ProductView>,
) -> (SaleRequest, Vec<(i32, i64)>) {
    let Ev::Sale {
        key,
        lines,
        how,
        client,
        ..
    } = ev
    else {
        unreachable!()
    };
    let lines: Vec<(i32, i64)> =
        lines
            .iter()
            .map(|(p, n)| (start.products[*p], *n))
            .fold(Vec::new(), |mut acc, (p, n)| {
                match acc.iter_mut().find(|l: &&mut (i32, i64)| l.0 == p) {
                    Some(l) => l.1 += n,
                    None => acc.push((p, n)),
                }
                acc
            });
    let total: i64 = lines
        .iter()
        .map(|(p, n)| catalog[p].sale_price / 100 * n)
        .sum();
    let due = NaiveDate::from_ymd_opt(2026, 12, 28).unwrap();
    let req = request(
        key,
        &lines,
        vec![tender(*how, total)],
        client.map(|c| (start.clients[c], due)),
    );
    (req, lines)
}

/// What must be equal between the engines at the end of the day.
fn the_books(app: &mut App, start: &Start) -> String {
    let day = NaiveDate::from_ymd_opt(2026, 12, 7).unwrap();
    let period = kassa::app::Period { from: day, to: day };
    let stats = app.statistics(&start.manager, period, 10).unwrap();
    let board = app.dashboard(&start.manager, period).unwrap();
    let mut books = format!(
        "{stats:?}\nby hour {:?}\nby method {:?}\nrefunds {:?}\n",
        board.by_hour, board.by_method, board.refunds
    );
    for c in &start.clients {
        let v = app.client(&start.manager, *c).unwrap();
        books.push_str(&format!(
            "client {} balance {} open {:?}\n",
            v.full_name, v.balance, v.open
        ));
    }
    for p in app.catalog(&start.manager).unwrap() {
        books.push_str(&format!("{} stock {}\n", p.name, p.stock));
    }
    for s in &start.cashiers {
        let z = app
            .close_shift(s, Money::ZERO, "")
            .map(|z| {
                format!(
                    "sales {} revenue {} cash {} card {} nasiya {} expected {} debts {}",
                    z.sales_count,
                    z.revenue,
                    z.cash_sales,
                    z.card_sales,
                    z.nasiya_sales,
                    z.expected_cash,
                    z.cash_debt_payments
                )
            })
            .unwrap();
        books.push_str(&format!("{} Z: {z}\n", s.login));
    }
    assert_eq!(app.check().unwrap(), Vec::<(String, Vec<String>)>::new());
    books
}

/// A back-office event of the day (a debt payment, an expense, a refund), by the manager.
fn back_office(app: &mut App, start: &Start, ev: &Ev, sales: &HashMap<String, i32>) {
    match ev {
        Ev::DebtPayment { client, som } => {
            app.take_debt_payment(
                &start.manager,
                start.clients[*client],
                Money::from_major(*som),
                PaymentMethod::Card,
                "",
            )
            .unwrap();
        }
        Ev::Expense { som } => {
            let day = NaiveDate::from_ymd_opt(2026, 12, 7).unwrap();
            app.add_expense(
                &start.manager,
                start.category,
                Money::from_major(*som),
                day,
                "",
            )
            .unwrap();
        }
        Ev::Refund { key } => {
            app.refund_sale(&start.manager, sales[key], "qaytdi")
                .unwrap();
        }
        _ => unreachable!("not a back-office event: {ev:?}"),
    }
}

/// The same day on one SQLite till: every event in order on one program, the server never
/// away.
fn day_on_one_till(dir: &Path) -> String {
    let mut app = App::open(&dir.join("one-till.db"), OPTIONS).unwrap();
    let start = start_shop(&mut app);
    let catalog = known(&mut app, &start.manager);
    app.open_shift(&start.manager, Money::ZERO).unwrap();
    for s in &start.cashiers {
        app.open_shift(s, Money::from_major(50_000)).unwrap();
    }
    let mut sales: HashMap<String, i32> = HashMap::new();
    for (i, ev) in the_day().iter().enumerate() {
        at(&mut app, &minute(i));
        match ev {
            Ev::Sale { till, key, .. } => {
                let (req, _) = sale_request(ev, &start, &catalog);
                let r = app.sell(&start.cashiers[*till], &req).unwrap();
                sales.insert(key.clone(), r.sale_id);
            }
            Ev::DebtPayment { .. } | Ev::Expense { .. } | Ev::Refund { .. } => {
                back_office(&mut app, &start, ev, &sales)
            }
            Ev::ServerAway | Ev::ServerBack | Ev::KillTill2 => {}
        }
    }
    at(&mut app, &minute(200));
    the_books(&mut app, &start)
}

/// A till program: its own connection, outbox, cashier and what it read of the catalog.
struct TillPc {
    app: App,
    who: Session,
    shift: i32,
    catalog: HashMap<i32, ProductView>,
}

fn open_till(url: &str, outbox: &Path, login: &str) -> TillPc {
    let mut app = App::open_existing(Path::new(url), OPTIONS).unwrap();
    app.use_outbox(outbox).unwrap();
    let who = app.login(login, common::PASSWORD).unwrap();
    let shift = match app.current_shift(&who).unwrap() {
        Some(s) => s.id,
        None => app.open_shift(&who, Money::from_major(50_000)).unwrap().id,
    };
    let catalog = known(&mut app, &who);
    app.payment_methods(&who).unwrap();
    app.clients(&who, "", 100).unwrap();
    TillPc {
        app,
        who,
        shift,
        catalog,
    }
}

/// Two tills and a back-office PC on one PostgreSQL run a day of sales; the server is away
/// for twelve sales (the tills keep them), till 2 dies while they wait and the program that
/// sends them is killed with SIGKILL mid-way. Every report, drawer, debt and stock then
/// equals the same day on one SQLite till.
#[test]
fn a_day_of_two_tills_with_the_server_away_and_a_till_killed_equals_one_till() {
    let dir = tempfile::tempdir().unwrap();
    let one_till = day_on_one_till(dir.path());

    let server = common::pg::PgServer::start();
    let url = server.create_database("shop");
    let mut office = App::open_server(&url, OPTIONS).unwrap();
    let start = start_shop(&mut office);
    office.open_shift(&start.manager, Money::ZERO).unwrap();
    let outboxes: [PathBuf; 2] = [
        dir.path().join("till1.sqlite"),
        dir.path().join("till2.sqlite"),
    ];
    let mut tills: Vec<Option<TillPc>> = (0..2)
        .map(|t| Some(open_till(&url, &outboxes[t], &start.cashiers[t].login)))
        .collect();
    let mut sales: HashMap<String, i32> = HashMap::new();
    let mut kept_count = 0;
    let mut rng = rand::rngs::StdRng::seed_from_u64(7);
    for (i, ev) in the_day().iter().enumerate() {
        let time = minute(i);
        at(&mut office, &time);
        match ev {
            Ev::Sale { till, key, .. } => {
                let t = tills[*till].as_mut().expect("till running");
                at(&mut t.app, &time);
                let (req, lines) = sale_request(ev, &start, &t.catalog);
                let client = req.client_id.and_then(|c| {
                    t.app
                        .clients(&t.who, "", 100)
                        .ok()?
                        .into_iter()
                        .find(|v| v.id == c)
                });
                let b = basis(&t.catalog, Some(t.shift), &lines, client);
                match t.app.sell_at_till(&t.who, &req, None, &b).unwrap() {
                    Sold::Online(r) => {
                        sales.insert(key.clone(), r.sale_id);
                    }
                    Sold::Kept(_) => kept_count += 1,
                }
            }
            Ev::DebtPayment { .. } | Ev::Expense { .. } | Ev::Refund { .. } => {
                back_office(&mut office, &start, ev, &sales)
            }
            Ev::ServerAway => server.stop(),
            Ev::ServerBack => server.restart(),
            Ev::KillTill2 => {
                // Till 2's program dies; its outbox stays on its disk.
                tills[1] = None;
                let waiting = kassa::store::outbox::Outbox::open(&outboxes[1])
                    .unwrap()
                    .count()
                    .unwrap()
                    .0;
                assert_eq!(waiting, 6, "till 2 kept its six sales");
            }
        }
        if matches!(ev, Ev::ServerBack) {
            // Till 2 starts again: the program sending its outbox is killed with SIGKILL
            // after a sale or two, then the till sends the rest.
            send_and_kill(
                &url,
                &outboxes[1],
                rng.random_range(1..=2),
                rng.random_range(0..300_000),
            );
            let mut t2 = open_till(&url, &outboxes[1], &start.cashiers[1].login);
            at(&mut t2.app, &time);
            send_all(&mut t2.app);
            tills[1] = Some(t2);
        }
    }
    // Till 1 may have kept a sale or two more right after the server came back (it tries
    // its server again a moment after it found it away); everything is sent now.
    assert!(
        kept_count >= 12,
        "the tills kept the sales made while the server was away"
    );
    for t in tills.iter_mut().flatten() {
        assert_eq!(send_all(&mut t.app).left, 0);
    }
    at(&mut office, &minute(200));
    let on_server = the_books(&mut office, &start);
    assert_eq!(on_server, one_till);
    assert_eq!(
        common::scalar(&mut office, "SELECT COUNT(*) AS n FROM sales"),
        34
    );
    let _ = &start.admin;
}

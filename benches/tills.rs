//! Several tills selling at once, on each engine: `cargo bench --bench tills`.
//!
//! Each till is a thread with its own `App` (its own connection, as a till PC has), its own
//! cashier and open shift, and sells one sale a second on a fixed schedule (three lines from
//! a shared catalog, paid in cash), so the tills' writes meet on the same products' stock.
//! Printed per engine: sales made, the commit time of a sale (the whole `App::sell` call:
//! checks, stock, payments, receipt, audit) at p50, p99 and the slowest, and the checks
//! afterwards: every sale made is in the database once, the stock of every product is its
//! movements' sum (`kassa check`'s invariants), the stock that left equals the lines sold.
//!
//! Not criterion: a paced load is measured by its latencies over minutes, not by the
//! fastest loop. `KASSA_TILLS` (10), `KASSA_TILLS_SECONDS` (600) and `KASSA_TILLS_ENGINES`
//! ("postgres,sqlite") choose the run. PostgreSQL is a throwaway server started here
//! (`tests/common/pg.rs`: Debian's own, on a loopback port, fsync on as a shop runs it).

#[path = "../tests/common/mod.rs"]
#[allow(unused_imports)]
mod common;

use std::time::{Duration, Instant};

use kassa::app::{App, Options, SaleLineInput, SaleRequest};
use kassa::domain::cart::Discount;
use kassa::domain::payment::{PaymentMethod, TenderInput};
use kassa::domain::{Money, Quantity, Role};

const PRODUCTS: usize = 200;
const PRICE_SOM: i64 = 4_000;

/// An EAN-13 of its own for product `i`.
fn barcode(i: usize) -> String {
    let mut body = [4u8, 7, 8, 0, 0, 0, 0, 0, 0, 0, 0, 0];
    let mut n = i;
    for d in body.iter_mut().rev().take(9) {
        *d = (n % 10) as u8;
        n /= 10;
    }
    kassa::domain::barcode::ean13_from_body(&body)
}

fn env_or<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

struct Outcome {
    sales: usize,
    latencies: Vec<Duration>,
    late: usize,
}

/// Opens the shop at `address`, stocks the catalog, and runs `tills` tills for `seconds`.
fn run(address: &std::path::Path, tills: usize, seconds: u64) -> Outcome {
    let options = || Options { bcrypt_cost: 4 };
    let mut app = App::open(address, options()).expect("open the shop");
    let admin = common::admin(&mut app);
    let manager = common::employee(&mut app, &admin, "manager", Role::Manager);
    let stock = Quantity::units(10_000);
    let products: Vec<i32> = (0..PRODUCTS)
        .map(|i| {
            let input =
                common::product_input(&format!("Product {i}"), PRICE_SOM, 3_000, &barcode(i));
            common::stocked(&mut app, &manager, input, stock)
        })
        .collect();
    let cashiers: Vec<_> = (0..tills)
        .map(|t| {
            let c = common::employee(&mut app, &admin, &format!("till{t}"), Role::Cashier);
            app.open_shift(&c, Money::ZERO).expect("open shift");
            c
        })
        .collect();
    let start = Instant::now() + Duration::from_millis(500);
    let handles: Vec<_> = cashiers
        .into_iter()
        .enumerate()
        .map(|(t, cashier)| {
            let address = address.to_path_buf();
            let products = products.clone();
            std::thread::spawn(move || {
                let mut app = App::open_existing(&address, options()).expect("till opens");
                let mut latencies = Vec::new();
                let mut late = 0;
                let offset = Duration::from_millis(1000 * t as u64 / tills as u64);
                for k in 0..seconds {
                    let at = start + offset + Duration::from_secs(k);
                    match at.checked_duration_since(Instant::now()) {
                        Some(wait) => std::thread::sleep(wait),
                        None => late += 1,
                    }
                    // Three products, the tills' choices overlapping.
                    let pick = |j: usize| products[(t * 7 + k as usize * 3 + j * 61) % PRODUCTS];
                    let request = SaleRequest {
                        idempotency_key: format!("till{t}-{k}"),
                        lines: (0..3)
                            .map(|j| SaleLineInput {
                                product_id: pick(j),
                                quantity: Quantity::units(1),
                                discount: Discount::None,
                                marking_codes: Vec::new(),
                            })
                            .collect(),
                        sale_discount: Discount::None,
                        tenders: vec![TenderInput {
                            method: PaymentMethod::Cash,
                            amount: Money::from_major(3 * PRICE_SOM),
                            channel: None,
                        }],
                        client_id: None,
                        due_date: None,
                        expected_total: None,
                    };
                    let began = Instant::now();
                    app.sell(&cashier, &request).expect("a sale");
                    latencies.push(began.elapsed());
                }
                (latencies, late)
            })
        })
        .collect();
    let mut outcome = Outcome {
        sales: 0,
        latencies: Vec::new(),
        late: 0,
    };
    for h in handles {
        let (l, late) = h.join().expect("a till");
        outcome.sales += l.len();
        outcome.latencies.extend(l);
        outcome.late += late;
    }
    // None lost, none twice, the books straight.
    let in_db = common::scalar(&mut app, "SELECT COUNT(*) AS n FROM sales");
    assert_eq!(in_db as usize, outcome.sales, "sales in the database");
    let lines = common::scalar(&mut app, "SELECT COUNT(*) AS n FROM sale_items");
    assert_eq!(lines as usize, 3 * outcome.sales, "sale lines");
    let left = common::scalar(&mut app, "SELECT SUM(stock) AS n FROM products");
    assert_eq!(
        left,
        stock.0 * PRODUCTS as i64 - 1000 * 3 * outcome.sales as i64,
        "stock left"
    );
    assert_eq!(
        app.check().expect("check"),
        Vec::<(String, Vec<String>)>::new(),
        "invariants"
    );
    outcome
}

fn report(engine: &str, tills: usize, seconds: u64, o: &mut Outcome) {
    o.latencies.sort();
    let at = |q: f64| {
        let i = ((o.latencies.len() as f64 - 1.0) * q).round() as usize;
        o.latencies[i].as_secs_f64() * 1000.0
    };
    println!(
        "{engine}: {tills} tills x 1 sale/s for {seconds} s: {} sales (all in the database once, \
         stock and invariants checked); commit p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms; \
         {} sale(s) started late",
        o.sales,
        at(0.5),
        at(0.99),
        at(1.0),
        o.late
    );
}

fn main() {
    // `cargo bench --no-run` compiles this; `cargo test --benches` must not start servers.
    if std::env::args().any(|a| a == "--list" || a == "--test") {
        return;
    }
    let tills: usize = env_or("KASSA_TILLS", 10);
    let seconds: u64 = env_or("KASSA_TILLS_SECONDS", 600);
    let engines: String = env_or("KASSA_TILLS_ENGINES", "postgres,sqlite".to_string());
    for engine in engines.split(',') {
        match engine.trim() {
            "postgres" => {
                let server = common::pg::PgServer::start_durable();
                let url = server.create_database("tills");
                let mut o = run(std::path::Path::new(&url), tills, seconds);
                report("PostgreSQL", tills, seconds, &mut o);
            }
            "sqlite" => {
                let dir = tempfile::tempdir().expect("temp dir");
                let mut o = run(&dir.path().join("tills.db"), tills, seconds);
                report("SQLite", tills, seconds, &mut o);
            }
            other => eprintln!("unknown engine {other}"),
        }
    }
}

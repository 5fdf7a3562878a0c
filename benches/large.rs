//! Benchmarks on a busy shop's database (100 000 products, 20 000 customers, 1 000 000 sale
//! lines over a year), each next to the limit it is compared with:
//! barcode lookup vs a bare HashMap lookup, as-you-type search, checkout commit vs the same
//! rows inserted by hand-written SQL, statistics for a month and a year, and the back-office
//! list queries. The database is generated once into `target/bench-large.db` (or taken from
//! `KASSA_BENCH_DB`).

use std::collections::HashMap;
use std::hint::black_box;
use std::path::PathBuf;

use chrono::Duration;
use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use kassa::app::{
    App, Options, Period, ProductQuery, SaleLineInput, SaleRequest, SalesQuery, Session,
};
use kassa::demo::large::{Scale, generate};
use kassa::domain::cart::Discount;
use kassa::domain::payment::{PaymentMethod, TenderInput};
use kassa::domain::search::SearchIndex;
use kassa::domain::{Money, Quantity, debt};
use kassa::store::db::prelude::*;

fn fixture() -> PathBuf {
    if let Ok(p) = std::env::var("KASSA_BENCH_DB") {
        return PathBuf::from(p);
    }
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("target")
        .join("bench-large.db");
    if !path.exists() {
        let tmp = path.with_extension("partial.db");
        let _ = std::fs::remove_file(&tmp);
        let mut app = App::open(&tmp, Options { bcrypt_cost: 4 }).expect("open fixture");
        let t = std::time::Instant::now();
        let summary = generate(&mut app, Scale::LARGE, 7, &mut |_, _| {}).expect("generate");
        eprintln!(
            "{summary} (fixture generated in {:.1} s)",
            t.elapsed().as_secs_f64()
        );
        drop(app);
        std::fs::rename(&tmp, &path).expect("rename fixture");
        for ext in ["partial.db-wal", "partial.db-shm"] {
            let _ = std::fs::remove_file(path.with_extension(ext));
        }
    }
    path
}

fn manager(app: &mut App) -> Session {
    app.login("bigmenejer", kassa::demo::DEMO_PASSWORD)
        .expect("manager")
}

fn bench_catalog(c: &mut Criterion) {
    let path = fixture();
    let mut app = App::open(&path, Options { bcrypt_cost: 4 }).expect("open");
    let s = manager(&mut app);
    let catalog = app.catalog(&s).expect("catalog");
    let index = SearchIndex::build(
        catalog
            .iter()
            .map(|p| (p.name.as_str(), p.barcodes.iter().map(String::as_str))),
    );
    let codes: Vec<String> = catalog
        .iter()
        .step_by(97)
        .filter_map(|p| p.barcodes.first().cloned())
        .collect();
    let bare: HashMap<String, usize> = catalog
        .iter()
        .enumerate()
        .flat_map(|(i, p)| p.barcodes.iter().map(move |b| (b.clone(), i)))
        .collect();

    let mut g = c.benchmark_group("lookup_100k");
    let mut i = 0;
    g.bench_function("barcode_to_product", |b| {
        b.iter(|| {
            i = (i + 1) % codes.len();
            black_box(index.by_barcode(black_box(&codes[i])))
        })
    });
    let mut j = 0;
    g.bench_function("limit_bare_hashmap", |b| {
        b.iter(|| {
            j = (j + 1) % codes.len();
            black_box(bare.get(black_box(codes[j].as_str())))
        })
    });
    g.finish();

    let mut g = c.benchmark_group("search_100k");
    for q in [
        "s",
        "su",
        "sut",
        "мол",
        "молоко",
        "nestle 1 l",
        "gosht",
        "zzzz",
    ] {
        g.bench_with_input(BenchmarkId::from_parameter(q), q, |b, q| {
            b.iter(|| black_box(index.search(black_box(q), 50)))
        });
    }
    g.finish();
}

fn bench_reports(c: &mut Criterion) {
    let path = fixture();
    // A report connection, as the Reports tab's worker threads and `kassa report` open.
    let mut app = App::open(&path, Options { bcrypt_cost: 4 }).expect("open");
    let s = manager(&mut app);
    let today = debt::local_date(app.now(), app.time_zone());
    let month = Period {
        from: today - Duration::days(30),
        to: today,
    };
    let year = Period {
        from: today - Duration::days(365),
        to: today,
    };
    let mut g = c.benchmark_group("statistics_1m_lines");
    g.sample_size(10);
    g.bench_function("month", |b| {
        b.iter(|| black_box(app.statistics(&s, month, 10).expect("stats")))
    });
    g.bench_function("year", |b| {
        b.iter(|| black_box(app.statistics(&s, year, 10).expect("stats")))
    });
    g.finish();

    // Issue #7: the reports and the dashboard on a year of a busy shop.
    let mut g = c.benchmark_group("reports_1m_lines");
    g.sample_size(10);
    for kind in [
        kassa::app::ReportKind::SalesByProduct,
        kassa::app::ReportKind::SalesByCategory,
        kassa::app::ReportKind::SalesByCashier,
        kassa::app::ReportKind::SalesByPayment,
        kassa::app::ReportKind::SlowProducts,
        kassa::app::ReportKind::StockValuation,
        kassa::app::ReportKind::Debts,
    ] {
        g.bench_function(format!("{}_year", kind.code()), |b| {
            b.iter(|| {
                black_box(
                    app.report(&s, kind, year, kassa::i18n::Lang::Uz)
                        .expect("report"),
                )
            })
        });
    }
    g.bench_function("dashboard_month", |b| {
        b.iter(|| black_box(app.dashboard(&s, month).expect("dashboard")))
    });
    g.bench_function("dashboard_year", |b| {
        b.iter(|| black_box(app.dashboard(&s, year).expect("dashboard")))
    });
    g.finish();

    // The back office's lists run on the window's own connection (not mapped).
    drop(app);
    let mut app = App::open(&path, Options { bcrypt_cost: 4 }).expect("open");
    let s = manager(&mut app);
    let mut g = c.benchmark_group("backoffice_lists");
    g.sample_size(20);
    g.bench_function("products_page_first", |b| {
        b.iter(|| {
            black_box(
                app.products_page(
                    &s,
                    &ProductQuery {
                        limit: 50,
                        ..Default::default()
                    },
                )
                .expect("page"),
            )
        })
    });
    g.bench_function("products_page_search", |b| {
        b.iter(|| {
            black_box(
                app.products_page(
                    &s,
                    &ProductQuery {
                        text: "молоко nestle".into(),
                        limit: 50,
                        ..Default::default()
                    },
                )
                .expect("page"),
            )
        })
    });
    g.bench_function("products_page_low_stock", |b| {
        b.iter(|| {
            black_box(
                app.products_page(
                    &s,
                    &ProductQuery {
                        low_stock_only: true,
                        limit: 50,
                        ..Default::default()
                    },
                )
                .expect("page"),
            )
        })
    });
    g.bench_function("sales_page_week", |b| {
        b.iter(|| {
            black_box(
                app.sales_page(
                    &s,
                    &SalesQuery {
                        period: Some(Period {
                            from: today - Duration::days(6),
                            to: today,
                        }),
                        limit: 50,
                        ..Default::default()
                    },
                )
                .expect("page"),
            )
        })
    });
    g.bench_function("sales_page_cash_year", |b| {
        b.iter(|| {
            black_box(
                app.sales_page(
                    &s,
                    &SalesQuery {
                        period: Some(year),
                        method: Some("cash".into()),
                        limit: 50,
                        ..Default::default()
                    },
                )
                .expect("page"),
            )
        })
    });
    g.bench_function("customers_list_500", |b| {
        b.iter(|| black_box(app.clients(&s, "", 500).expect("clients")))
    });
    // The Customers tab's first page over all 20 000 customers, in each order.
    for (name, order) in [
        (
            "customers_page_overdue_first",
            kassa::app::ClientOrder::Overdue,
        ),
        ("customers_page_largest_debt", kassa::app::ClientOrder::Debt),
        ("customers_page_by_name", kassa::app::ClientOrder::Name),
    ] {
        let q = kassa::app::ClientQuery {
            order,
            limit: 50,
            ..Default::default()
        };
        g.bench_function(name, |b| {
            b.iter(|| black_box(app.clients_page(&s, &q).expect("page")))
        });
    }
    g.finish();
}

/// A 20-line sale through the use case, and the same rows inserted by hand in one
/// transaction on a copy of the same database, both with WAL and synchronous=FULL.
fn bench_checkout(c: &mut Criterion) {
    let src = fixture();
    if kassa::store::server_address(&src).is_some() {
        // The comparison needs a copy of the shop's file (VACUUM INTO); the tills' commits on
        // a server are `benches/tills.rs`.
        eprintln!("checkout_20_lines: a shop file only; skipped on a PostgreSQL server");
        return;
    }
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("checkout.db");
    {
        let mut conn =
            diesel::SqliteConnection::establish(src.to_str().expect("utf8")).expect("open");
        diesel::sql_query(format!("VACUUM INTO '{}'", path.display()))
            .execute(&mut conn)
            .expect("copy");
    }
    let mut app = App::open(&path, Options { bcrypt_cost: 4 }).expect("open");
    let s = app
        .login("bigkassir1", kassa::demo::DEMO_PASSWORD)
        .expect("cashier");
    let _ = app.open_shift(&s, Money::ZERO);
    let shift = app.current_shift(&s).expect("shift").expect("open shift");
    let catalog = app.catalog(&s).expect("catalog");
    let picks: Vec<_> = catalog
        .iter()
        .filter(|p| p.unit == "piece")
        .step_by(3)
        .take(20)
        .cloned()
        .collect();
    let total: i64 = picks.iter().map(|p| p.sale_price).sum();
    let mut n = 0u64;
    let mut g = c.benchmark_group("checkout_20_lines");
    g.sample_size(50);
    g.bench_function("sell_use_case", |b| {
        b.iter(|| {
            n += 1;
            let req = SaleRequest {
                idempotency_key: format!("bench-{n}"),
                lines: picks
                    .iter()
                    .map(|p| SaleLineInput {
                        product_id: p.id,
                        quantity: Quantity::units(1),
                        discount: Discount::None,
                        marking_codes: Vec::new(),
                    })
                    .collect(),
                sale_discount: Discount::None,
                tenders: vec![TenderInput {
                    method: PaymentMethod::Card,
                    amount: Money(total),
                    channel: None,
                }],
                client_id: None,
                due_date: None,
                expected_total: Some(Money(total)),
            };
            black_box(app.sell(&s, &req).expect("sale"))
        })
    });
    // The limit: the same rows (sale, 20 lines, 20 movements + stock updates, payment,
    // audit row) with prepared SQL in one immediate transaction, same file and pragmas.
    let conn = app.connection();
    conn.batch_execute(kassa::store::CONNECTION_PRAGMAS)
        .expect("pragmas");
    let emp = s.employee_id;
    g.bench_function("limit_hand_written_sql", |b| {
        b.iter(|| {
            n += 1;
            conn.write_transaction::<_, diesel::result::Error, _>(|conn| {
                let now = chrono::Utc::now().naive_utc();
                let sale_id: i32 = diesel::sql_query(
                    "INSERT INTO sales (idempotency_key, shift_id, employee_id, subtotal, discount, total, created_at) VALUES (?, ?, ?, ?, 0, ?, ?) RETURNING id AS n",
                )
                .bind::<diesel::sql_types::Text, _>(format!("raw-{n}"))
                .bind::<diesel::sql_types::Integer, _>(shift.id)
                .bind::<diesel::sql_types::Integer, _>(emp)
                .bind::<diesel::sql_types::BigInt, _>(total)
                .bind::<diesel::sql_types::BigInt, _>(total)
                .bind::<diesel::sql_types::Timestamp, _>(now)
                .get_result::<Id>(conn)?
                .n;
                for p in &picks {
                    diesel::sql_query("INSERT INTO sale_items (sale_id, product_id, product_name, quantity, unit_price, unit_cost, cost_total, gross, line_discount, sale_discount_share, line_total) VALUES (?, ?, ?, 1000, ?, ?, ?, ?, 0, 0, ?)")
                        .bind::<diesel::sql_types::Integer, _>(sale_id)
                        .bind::<diesel::sql_types::Integer, _>(p.id)
                        .bind::<diesel::sql_types::Text, _>(&p.name)
                        .bind::<diesel::sql_types::BigInt, _>(p.sale_price)
                        .bind::<diesel::sql_types::BigInt, _>(p.purchase_price)
                        .bind::<diesel::sql_types::BigInt, _>(p.purchase_price)
                        .bind::<diesel::sql_types::BigInt, _>(p.sale_price)
                        .bind::<diesel::sql_types::BigInt, _>(p.sale_price)
                        .execute(conn)?;
                    diesel::sql_query("UPDATE products SET stock = stock - 1000 WHERE id = ?").bind::<diesel::sql_types::Integer, _>(p.id).execute(conn)?;
                    diesel::sql_query("INSERT INTO stock_movements (product_id, kind, quantity, sale_id, employee_id, reason, created_at) VALUES (?, 'sale', -1000, ?, ?, '', ?)")
                        .bind::<diesel::sql_types::Integer, _>(p.id)
                        .bind::<diesel::sql_types::Integer, _>(sale_id)
                        .bind::<diesel::sql_types::Integer, _>(emp)
                        .bind::<diesel::sql_types::Timestamp, _>(now)
                        .execute(conn)?;
                }
                diesel::sql_query("INSERT INTO sale_payments (sale_id, method, amount, tendered, change_given) VALUES (?, 'card', ?, ?, 0)")
                    .bind::<diesel::sql_types::Integer, _>(sale_id)
                    .bind::<diesel::sql_types::BigInt, _>(total)
                    .bind::<diesel::sql_types::BigInt, _>(total)
                    .execute(conn)?;
                diesel::sql_query("INSERT INTO audit_logs (employee_id, actor, action, entity, entity_id, after_json, created_at) VALUES (?, 'bench', 'sale.create', 'sale', ?, '{}', ?)")
                    .bind::<diesel::sql_types::Integer, _>(emp)
                    .bind::<diesel::sql_types::BigInt, _>(i64::from(sale_id))
                    .bind::<diesel::sql_types::Timestamp, _>(now)
                    .execute(conn)?;
                Ok(())
            })
            .expect("raw insert")
        })
    });
    g.finish();

    // The till following the catalog (100 000 products in memory): one product changed
    // elsewhere (a price), and the pause after a sale of 20 lines (the stock of 20 products).
    let mut till = kassa::ui::till::Till::new();
    till.load(&mut app, &s);
    let manager = app
        .login("bigmenejer", kassa::demo::DEMO_PASSWORD)
        .expect("manager");
    let mut g = c.benchmark_group("till_catalog_100k");
    g.sample_size(30);
    let target = picks[0].clone();
    let mut price = target.sale_price;
    g.bench_function("apply_one_product_change", |b| {
        b.iter_custom(|iters| {
            let mut spent = std::time::Duration::ZERO;
            for _ in 0..iters {
                price += 100;
                let input = kassa::app::ProductInput {
                    name: target.name.clone(),
                    category_id: target.category_id,
                    unit: kassa::domain::Unit::Piece,
                    purchase_price: Money(target.purchase_price),
                    sale_price: Money(price),
                    low_stock_threshold: Quantity(target.low_stock_threshold),
                    barcodes: target.barcodes.clone(),
                    fiscal: Default::default(),
                };
                app.update_product(&manager, target.id, &input)
                    .expect("price change");
                let t = std::time::Instant::now();
                let mut toast = None;
                till.follow_catalog(&mut app, &s, 0.0, kassa::i18n::Lang::Uz, &mut toast);
                spent += t.elapsed();
            }
            spent
        })
    });
    g.bench_function("after_a_sale_of_20_lines", |b| {
        b.iter_custom(|iters| {
            let mut spent = std::time::Duration::ZERO;
            for _ in 0..iters {
                n += 1;
                let total: i64 =
                    picks.iter().map(|p| p.sale_price).sum::<i64>() + (price - target.sale_price);
                let req = SaleRequest {
                    idempotency_key: format!("follow-{n}"),
                    lines: picks
                        .iter()
                        .map(|p| SaleLineInput {
                            product_id: p.id,
                            quantity: Quantity::units(1),
                            discount: Discount::None,
                            marking_codes: Vec::new(),
                        })
                        .collect(),
                    sale_discount: Discount::None,
                    tenders: vec![TenderInput::new(PaymentMethod::Card, Money(total))],
                    client_id: None,
                    due_date: None,
                    expected_total: None,
                };
                app.sell(&s, &req).expect("sale");
                let t = std::time::Instant::now();
                let mut toast = None;
                till.follow_catalog(&mut app, &s, 0.0, kassa::i18n::Lang::Uz, &mut toast);
                spent += t.elapsed();
            }
            spent
        })
    });
    g.finish();
}

#[derive(QueryableByName)]
struct Id {
    #[diesel(sql_type = diesel::sql_types::Integer)]
    n: i32,
}

criterion_group!(benches, bench_catalog, bench_reports, bench_checkout);
criterion_main!(benches);

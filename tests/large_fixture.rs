//! The bulk generator behind `kassa demo-data --large`, at a small scale: it must leave a
//! database that obeys every invariant the use cases keep, and that the use cases read.

mod common;

use chrono::Duration;
use common::scalar;
use kassa::app::{App, Options, Period, ProductQuery, SalesQuery};
use kassa::demo::large::{Scale, generate};
use kassa::domain::debt;

#[test]
fn a_small_large_shop_keeps_the_invariants() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = App::open(&dir.path().join("kassa.db"), Options { bcrypt_cost: 4 }).unwrap();
    let scale = Scale {
        products: 2_000,
        customers: 300,
        sale_lines: 20_000,
        days: 30,
    };
    let mut phases = Vec::new();
    let summary = generate(&mut app, scale, 1, &mut |p, _| {
        if phases.last().map(String::as_str) != Some(p) {
            phases.push(p.to_string());
        }
    })
    .unwrap();
    assert!(summary.contains("2000 products"), "{summary}");
    assert_eq!(phases.last().map(String::as_str), Some("done"));

    assert_eq!(
        scalar(&mut app, "SELECT COUNT(*) AS n FROM products"),
        2_000
    );
    assert_eq!(scalar(&mut app, "SELECT COUNT(*) AS n FROM clients"), 300);
    assert_eq!(
        scalar(&mut app, "SELECT COUNT(*) AS n FROM sale_items"),
        20_000
    );
    let codes = scalar(&mut app, "SELECT COUNT(*) AS n FROM product_barcodes");
    assert!((2_000..=6_000).contains(&codes), "{codes}");
    assert_eq!(
        scalar(
            &mut app,
            "SELECT COUNT(*) AS n FROM products p WHERE p.stock <> (SELECT COALESCE(SUM(quantity), 0) FROM stock_movements m WHERE m.product_id = p.id)"
        ),
        0
    );
    assert_eq!(
        scalar(
            &mut app,
            "SELECT COUNT(*) AS n FROM products WHERE stock < 0"
        ),
        0
    );
    assert_eq!(
        scalar(
            &mut app,
            "SELECT COUNT(*) AS n FROM sales s WHERE s.total <> (SELECT SUM(line_total) FROM sale_items i WHERE i.sale_id = s.id)"
        ),
        0
    );
    assert_eq!(
        scalar(
            &mut app,
            "SELECT COUNT(*) AS n FROM sales s WHERE s.total > 0 AND s.total <> (SELECT SUM(amount) FROM sale_payments p WHERE p.sale_id = s.id)"
        ),
        0
    );
    assert_eq!(
        scalar(
            &mut app,
            "SELECT COUNT(*) AS n FROM shifts WHERE closed_at IS NULL"
        ),
        0
    );
    assert_eq!(
        scalar(
            &mut app,
            "SELECT COUNT(*) AS n FROM shifts s WHERE s.expected_cash <> s.opening_cash + (SELECT COALESCE(SUM(p.amount), 0) FROM sale_payments p JOIN sales x ON x.id = p.sale_id WHERE x.shift_id = s.id AND p.method = 'cash')"
        ),
        0
    );
    assert_eq!(
        scalar(
            &mut app,
            "SELECT COUNT(*) AS n FROM pragma_foreign_key_check"
        ),
        0,
        "no dangling references"
    );

    // The use cases read it: figures, lists and the till's catalog.
    let s = app.login("bigmenejer", kassa::demo::DEMO_PASSWORD).unwrap();
    let today = debt::local_date(app.now(), app.time_zone());
    let stats = app
        .statistics(
            &s,
            Period {
                from: today - Duration::days(40),
                to: today,
            },
            10,
        )
        .unwrap();
    assert_eq!(
        stats.revenue,
        scalar(&mut app, "SELECT SUM(total) AS n FROM sales")
    );
    assert_eq!(stats.top_products.len(), 10);
    let (page, total) = app
        .products_page(
            &s,
            &ProductQuery {
                text: "молоко".into(),
                limit: 50,
                ..Default::default()
            },
        )
        .unwrap();
    assert!(total > 0 && !page.is_empty());
    let (_, sales) = app
        .sales_page(
            &s,
            &SalesQuery {
                limit: 50,
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(sales, scalar(&mut app, "SELECT COUNT(*) AS n FROM sales"));
    assert_eq!(app.catalog(&s).unwrap().len(), 2_000);
}

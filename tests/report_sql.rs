//! Every report's money figures recomputed from the raw tables by SQL written here, not
//! through the code under test, on generated weeks of a shop (split tenders, credit sales,
//! debt payments, whole and partial refunds from the manager's drawer, expenses), and compared to the
//! tiyin. The period's bounds are computed here too (Tashkent is UTC+5 all year).

mod common;

use std::collections::BTreeMap;

use chrono::{Duration, NaiveDateTime};
use diesel::sql_types::{BigInt, Nullable, Text, Timestamp};
use kassa::app::{App, Cell, Period, ReportKind, ReportTable};
use kassa::i18n::Lang;
use kassa::store::db::prelude::*;

#[derive(QueryableByName, Debug)]
struct Named {
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = BigInt)]
    count: i64,
    #[diesel(sql_type = BigInt)]
    amount: i64,
    #[diesel(sql_type = BigInt)]
    cost: i64,
}

/// A shift's figures as stored.
#[derive(Debug)]
struct ShiftFigures {
    id: i64,
    expected: Option<i64>,
    counted: Option<i64>,
    difference: Option<i64>,
}

/// `sql` for the shop's engine: as written on SQLite; on PostgreSQL with its `?`s numbered
/// and every column of its rows read back as BIGINT where it is a number (a SUM of BIGINT
/// is NUMERIC there): `SELECT name, CAST(count AS BIGINT) … FROM (sql) q`.
fn for_engine(app: &mut App, sql: &str, numbers: &[&str], others: &[&str]) -> String {
    let conn = app.connection();
    if !conn.is_postgres() {
        return sql.to_string();
    }
    let columns: Vec<String> = others
        .iter()
        .map(|c| c.to_string())
        .chain(
            numbers
                .iter()
                .map(|c| format!("CAST({c} AS BIGINT) AS {c}")),
        )
        .collect();
    conn.sql(&format!("SELECT {} FROM ({sql}) q", columns.join(", ")))
}

/// Runs `sql` with the period's UTC bounds as its two `?`s.
fn named(app: &mut App, sql: &str, start: NaiveDateTime, end: NaiveDateTime) -> Vec<Named> {
    let sql = for_engine(app, sql, &["count", "amount", "cost"], &["name"]);
    diesel::sql_query(&sql)
        .bind::<Timestamp, _>(start)
        .bind::<Timestamp, _>(end)
        .load(app.connection())
        .unwrap_or_else(|e| panic!("{e}: {sql}"))
}

fn money(c: &Cell) -> i64 {
    match c {
        Cell::Money(m) => *m,
        other => panic!("not money: {other:?}"),
    }
}

fn int(c: &Cell) -> i64 {
    match c {
        Cell::Int(n) => *n,
        other => panic!("not a count: {other:?}"),
    }
}

fn text(c: &Cell) -> String {
    match c {
        Cell::Text(t) => t.clone(),
        other => panic!("not text: {other:?}"),
    }
}

/// Half away from zero, as a shop rounds.
fn round_div(a: i64, b: i64) -> i64 {
    let (q, r) = (a / b, a % b);
    if 2 * r.abs() >= b.abs() {
        q + a.signum() * b.signum()
    } else {
        q
    }
}

/// name → (count, revenue, cost) from a report's rows, given the columns.
fn by_name(
    t: &ReportTable,
    count: Option<usize>,
    rev: usize,
    cost: Option<usize>,
) -> BTreeMap<String, (i64, i64, i64)> {
    let mut m = BTreeMap::new();
    for r in &t.rows {
        let e = m.entry(text(&r[0])).or_insert((0, 0, 0));
        e.0 += count.map_or(0, |c| int(&r[c]));
        e.1 += money(&r[rev]);
        e.2 += cost.map_or(0, |c| money(&r[c]));
    }
    m
}

#[test]
fn every_report_agrees_with_sql_over_the_raw_tables() {
    let (_dir, mut app) = common::fresh();
    kassa::demo::generate(&mut app, 28, 5).unwrap();
    let admin = common::admin(&mut app);
    // Partial refunds of split-tender sales in the period (the demo's refunds are mostly of
    // one tender): a piece (or half the weight) of the first line, some of them twice, and a
    // few of them refunded to the end afterwards.
    let boss = common::employee(&mut app, &admin, "boss", kassa::domain::Role::Manager);
    app.open_shift(&boss, kassa::domain::Money::from_major(100_000_000))
        .unwrap();
    let split: Vec<i64> = {
        #[derive(QueryableByName)]
        struct Id {
            #[diesel(sql_type = BigInt)]
            id: i64,
        }
        diesel::sql_query(
            "SELECT CAST(s.id AS BIGINT) AS id FROM sales s WHERE s.refunded_at IS NULL
             AND (SELECT COUNT(*) FROM sale_payments p WHERE p.sale_id = s.id) > 1
             ORDER BY s.id DESC LIMIT 12",
        )
        .load::<Id>(app.connection())
        .unwrap()
        .into_iter()
        .map(|r| r.id)
        .collect()
    };
    for (n, id) in split.iter().enumerate() {
        let id = *id as i32;
        for _ in 0..(1 + n % 2) {
            let Some(first) = app.refundable_lines(&boss, id).unwrap().into_iter().next() else {
                break;
            };
            let q = if first.unit == kassa::domain::Unit::Piece {
                kassa::domain::Quantity::units(1)
            } else {
                kassa::domain::Quantity(first.quantity.0 / 2)
            };
            let q = q.min(first.quantity);
            app.refund_lines(
                &boss,
                id,
                &[kassa::app::RefundLine {
                    sale_item_id: first.sale_item_id,
                    quantity: q,
                }],
                "",
            )
            .unwrap();
        }
        if n % 5 == 4 {
            app.refund_sale(&boss, id, "").unwrap();
        }
    }
    let problems: Vec<_> = app
        .check()
        .unwrap()
        .into_iter()
        .filter(|(_, found)| !found.is_empty())
        .collect();
    assert!(problems.is_empty(), "{problems:?}");
    // Sanity: the generated shop has what the figures must cope with.
    for (what, sql) in [
        (
            "split tenders",
            "SELECT COUNT(*) AS n FROM (SELECT sale_id FROM sale_payments GROUP BY sale_id HAVING COUNT(*) > 1) d",
        ),
        (
            "credit sales",
            "SELECT COUNT(*) AS n FROM sale_payments WHERE method = 'nasiya'",
        ),
        (
            "debt payments",
            "SELECT COUNT(*) AS n FROM client_ledger WHERE kind = 'payment'",
        ),
        (
            "whole refunds",
            "SELECT COUNT(*) AS n FROM sales WHERE refunded_at IS NOT NULL",
        ),
        (
            "partial refunds",
            "SELECT COUNT(*) AS n FROM refunds r JOIN sales s ON s.id = r.sale_id WHERE s.refunded_at IS NULL",
        ),
        (
            "partial refunds of split tenders",
            "SELECT COUNT(*) AS n FROM refunds r JOIN sales s ON s.id = r.sale_id WHERE s.refunded_at IS NULL
             AND (SELECT COUNT(*) FROM sale_payments p WHERE p.sale_id = s.id) > 1",
        ),
        ("expenses", "SELECT COUNT(*) AS n FROM expenses"),
        (
            "cash paid to suppliers from a drawer",
            "SELECT COUNT(*) AS n FROM supplier_payments WHERE method = 'cash'",
        ),
        (
            "supplies received in the last two weeks",
            &format!(
                "SELECT COUNT(*) AS n FROM supplies WHERE created_at >= '{}'",
                (app.now() - Duration::days(13)).naive_utc().format("%Y-%m-%d %H:%M:%S")
            ),
        ),
    ] {
        assert!(
            common::scalar(&mut app, sql) > 0,
            "the demo shop has no {what}"
        );
    }
    let tz = chrono_tz::Asia::Tashkent;
    let today = app.now().with_timezone(&tz).date_naive();
    let from = today - Duration::days(13);
    let p = Period { from, to: today };
    // Local midnight in Tashkent is 19:00 UTC the day before.
    let start = (from - Duration::days(1)).and_hms_opt(19, 0, 0).unwrap();
    let end = today.and_hms_opt(19, 0, 0).unwrap();
    let report = |app: &mut App, k| app.report(&admin, k, p, Lang::En).unwrap();

    // Sales by product: revenue and cost of the period's unrefunded lines.
    let sql = named(
        &mut app,
        "SELECT p.name AS name, COUNT(*) AS count, SUM(i.line_total) AS amount, SUM(i.cost_total) AS cost
         FROM sale_items i JOIN sales s ON s.id = i.sale_id JOIN products p ON p.id = i.product_id
         WHERE s.created_at >= ? AND s.created_at < ? AND i.refunded = FALSE
         GROUP BY p.name",
        start,
        end,
    );
    let t = report(&mut app, ReportKind::SalesByProduct);
    let got = by_name(&t, None, 2, Some(3));
    assert_eq!(got.len(), sql.len(), "products sold");
    for s in &sql {
        assert_eq!(got[&s.name].1, s.amount, "{}: revenue", s.name);
        assert_eq!(got[&s.name].2, s.cost, "{}: cost", s.name);
    }
    for r in &t.rows {
        assert_eq!(money(&r[4]), money(&r[2]) - money(&r[3]), "gross profit");
    }
    let revenue: i64 = sql.iter().map(|s| s.amount).sum();
    let cost: i64 = sql.iter().map(|s| s.cost).sum();
    let total = t.total.as_ref().unwrap();
    assert_eq!((money(&total[2]), money(&total[3])), (revenue, cost));

    // Top products: the 20 largest revenues.
    let mut revenues: Vec<i64> = sql.iter().map(|s| s.amount).collect();
    revenues.sort_unstable_by(|a, b| b.cmp(a));
    revenues.truncate(20);
    let t = report(&mut app, ReportKind::TopProducts);
    let top: Vec<i64> = t.rows.iter().map(|r| money(&r[2])).collect();
    assert_eq!(top, revenues, "top 20 by revenue");

    // By category.
    let sql = named(
        &mut app,
        "SELECT COALESCE(c.name, '—') AS name, COUNT(*) AS count, SUM(i.line_total) AS amount, SUM(i.cost_total) AS cost
         FROM sale_items i JOIN sales s ON s.id = i.sale_id JOIN products p ON p.id = i.product_id
         LEFT JOIN categories c ON c.id = p.category_id
         WHERE s.created_at >= ? AND s.created_at < ? AND i.refunded = FALSE
         GROUP BY COALESCE(c.name, '—')",
        start,
        end,
    );
    let got = by_name(
        &report(&mut app, ReportKind::SalesByCategory),
        None,
        2,
        Some(3),
    );
    assert_eq!(got.len(), sql.len());
    for s in &sql {
        assert_eq!(
            (got[&s.name].1, got[&s.name].2),
            (s.amount, s.cost),
            "{}",
            s.name
        );
    }

    // By cashier: sales, revenue, the average rounded half away from zero.
    let sql = named(
        &mut app,
        "SELECT e.full_name AS name, COUNT(*) AS count,
                SUM(s.total - COALESCE((SELECT SUM(r.amount) FROM refunds r WHERE r.sale_id = s.id), 0)) AS amount,
                0 AS cost
         FROM sales s JOIN employees e ON e.id = s.employee_id
         WHERE s.created_at >= ? AND s.created_at < ? AND s.refunded_at IS NULL
         GROUP BY e.id",
        start,
        end,
    );
    let t = report(&mut app, ReportKind::SalesByCashier);
    for s in &sql {
        let row = t
            .rows
            .iter()
            .find(|r| text(&r[0]) == s.name)
            .expect(&s.name);
        assert_eq!(
            (int(&row[1]), money(&row[2])),
            (s.count, s.amount),
            "{}",
            s.name
        );
        assert_eq!(
            money(&row[3]),
            round_div(s.amount, s.count),
            "{}: average",
            s.name
        );
    }
    let (n, sum): (i64, i64) = sql
        .iter()
        .fold((0, 0), |a, s| (a.0 + s.count, a.1 + s.amount));
    let total = t.total.as_ref().unwrap();
    assert_eq!((int(&total[1]), money(&total[2])), (n, sum));
    assert_eq!(money(&total[3]), round_div(sum, n));

    // By payment method: each method's sales and amount; the total counts each sale once.
    let sql = named(
        &mut app,
        "SELECT CASE p.method WHEN 'cash' THEN 'Cash' WHEN 'nasiya' THEN 'Nasiya (credit)'
                    ELSE (SELECT m.name_en FROM payment_methods m WHERE m.id = p.channel_id) END AS name,
                COUNT(DISTINCT p.sale_id) AS count, SUM(p.amount - b.back) AS amount, 0 AS cost
         FROM sale_payments p JOIN sales s ON s.id = p.sale_id
         JOIN (SELECT x.id AS id, COALESCE((SELECT SUM(q.amount) FROM refund_payments q WHERE q.sale_payment_id = x.id), 0) AS back
               FROM sale_payments x) b ON b.id = p.id
         WHERE s.created_at >= ? AND s.created_at < ? AND p.amount > b.back
         GROUP BY p.method, p.channel_id",
        start,
        end,
    );
    assert!(
        sql.iter()
            .filter(|s| s.name != "Cash" && !s.name.starts_with("Nasiya"))
            .count()
            >= 3,
        "sales by several card methods: {sql:?}"
    );
    let t = report(&mut app, ReportKind::SalesByPayment);
    let got = by_name(&t, Some(1), 2, None);
    assert_eq!(got.len(), sql.len(), "one row per method");
    for s in &sql {
        assert_eq!(got[&s.name].0, s.count, "{}: sales", s.name);
        assert_eq!(got[&s.name].1, s.amount, "{}: amount", s.name);
    }
    let sales = named(
        &mut app,
        "SELECT 'all' AS name, COUNT(*) AS count,
                COALESCE(SUM(s.total - COALESCE((SELECT SUM(r.amount) FROM refunds r WHERE r.sale_id = s.id), 0)), 0) AS amount,
                0 AS cost
         FROM sales s WHERE s.created_at >= ? AND s.created_at < ? AND s.refunded_at IS NULL
         AND EXISTS (SELECT 1 FROM sale_payments p WHERE p.sale_id = s.id
                     AND p.amount > COALESCE((SELECT SUM(q.amount) FROM refund_payments q WHERE q.sale_payment_id = p.id), 0))",
        start,
        end,
    );
    let total = t.total.as_ref().unwrap();
    assert_eq!(int(&total[1]), sales[0].count, "each sale once");
    assert_eq!(money(&total[2]), sales[0].amount);

    // Stock valuation: each product's stock at cost and at retail, rounded per product.
    #[derive(QueryableByName)]
    struct Stock {
        #[diesel(sql_type = BigInt)]
        stock: i64,
        #[diesel(sql_type = BigInt)]
        purchase: i64,
        #[diesel(sql_type = BigInt)]
        sale: i64,
    }
    let stock: Vec<Stock> = diesel::sql_query(
        "SELECT stock, purchase_price AS purchase, sale_price AS sale FROM products
         WHERE archived = FALSE AND stock <> 0",
    )
    .load(app.connection())
    .unwrap();
    let at_cost: i64 = stock
        .iter()
        .map(|s| round_div(s.stock * s.purchase, 1000))
        .sum();
    let at_retail: i64 = stock
        .iter()
        .map(|s| round_div(s.stock * s.sale, 1000))
        .sum();
    let t = report(&mut app, ReportKind::StockValuation);
    let total = t.total.as_ref().unwrap();
    assert_eq!((money(&total[5]), money(&total[6])), (at_cost, at_retail));

    // Debts: what each live customer owes by their ledger.
    #[derive(QueryableByName)]
    struct Owed {
        #[diesel(sql_type = Text)]
        name: String,
        #[diesel(sql_type = BigInt)]
        owed: i64,
    }
    let sql = for_engine(
        &mut app,
        "SELECT c.full_name AS name, -SUM(l.amount) AS owed FROM client_ledger l
         JOIN clients c ON c.id = l.client_id AND c.deleted_at IS NULL
         GROUP BY c.id HAVING SUM(l.amount) < 0",
        &["owed"],
        &["name"],
    );
    let owed: Vec<Owed> = diesel::sql_query(sql).load(app.connection()).unwrap();
    assert!(!owed.is_empty());
    let t = report(&mut app, ReportKind::Debts);
    let mut got: Vec<(String, i64)> = t.rows.iter().map(|r| (text(&r[0]), money(&r[2]))).collect();
    let mut want: Vec<(String, i64)> = owed.into_iter().map(|o| (o.name, o.owed)).collect();
    got.sort();
    want.sort();
    assert_eq!(got, want, "debts per customer");
    for r in &t.rows {
        let buckets: i64 = r[5..].iter().map(money).sum();
        assert_eq!(
            buckets,
            money(&r[2]),
            "{}: the ageing adds up to the debt",
            text(&r[0])
        );
    }

    // Expenses by category, by their local date.
    #[derive(QueryableByName)]
    struct Spent {
        #[diesel(sql_type = Text)]
        name: String,
        #[diesel(sql_type = BigInt)]
        amount: i64,
    }
    let sql = for_engine(
        &mut app,
        "SELECT c.name AS name, SUM(e.amount) AS amount FROM expenses e
         JOIN expense_categories c ON c.id = e.category_id
         WHERE e.spent_on >= ? AND e.spent_on <= ? GROUP BY c.id",
        &["amount"],
        &["name"],
    );
    let spent: Vec<Spent> = diesel::sql_query(sql)
        .bind::<diesel::sql_types::Date, _>(from)
        .bind::<diesel::sql_types::Date, _>(today)
        .load(app.connection())
        .unwrap();
    let got = by_name(
        &report(&mut app, ReportKind::ExpensesByCategory),
        Some(1),
        2,
        None,
    );
    assert_eq!(got.len(), spent.len());
    for s in &spent {
        assert_eq!(got[&s.name].1, s.amount, "{}", s.name);
    }

    // Shifts: expected, counted and difference of the shifts opened in the period, and
    // expected = opening + cash sales + cash debt payments − cash paid back − cash paid to
    // suppliers, from the tables.
    let sql = for_engine(
        &mut app,
        "SELECT s.id AS id, s.expected_cash AS expected, s.counted_cash AS counted,
                s.difference AS difference,
                s.opening_cash
                + COALESCE((SELECT SUM(p.amount) FROM sale_payments p JOIN sales x ON x.id = p.sale_id
                            WHERE x.shift_id = s.id AND p.method = 'cash'), 0)
                + COALESCE((SELECT SUM(l.amount) FROM client_ledger l
                            WHERE l.shift_id = s.id AND l.kind = 'payment' AND l.method = 'cash'), 0)
                - COALESCE((SELECT SUM(q.amount) FROM refund_payments q JOIN refunds r ON r.id = q.refund_id
                            WHERE r.shift_id = s.id AND q.method = 'cash'), 0)
                - COALESCE((SELECT SUM(sp.amount) FROM supplier_payments sp
                            WHERE sp.shift_id = s.id AND sp.method = 'cash'), 0) AS drawer
         FROM shifts s WHERE s.opened_at >= ? AND s.opened_at < ? ORDER BY s.id DESC",
        &["id", "drawer"],
        &["expected", "counted", "difference"],
    ) + if app.connection().is_postgres() { " ORDER BY id DESC" } else { "" };
    let shifts: Vec<ShiftFigures> = diesel::sql_query(sql)
        .bind::<Timestamp, _>(start)
        .bind::<Timestamp, _>(end)
        .load::<ShiftWithDrawer>(app.connection())
        .unwrap()
        .into_iter()
        .map(|s| {
            if let Some(e) = s.expected {
                assert_eq!(e, s.drawer, "shift {}: expected cash from the tables", s.id);
            }
            ShiftFigures {
                id: s.id,
                expected: s.expected,
                counted: s.counted,
                difference: s.difference,
            }
        })
        .collect();
    let t = report(&mut app, ReportKind::Shifts);
    assert_eq!(t.rows.len(), shifts.len());
    let opt = |c: &Cell| match c {
        Cell::Money(m) => Some(*m),
        _ => None,
    };
    for (r, s) in t.rows.iter().zip(&shifts) {
        assert_eq!(int(&r[0]), s.id);
        assert_eq!(
            (opt(&r[5]), opt(&r[6]), opt(&r[7])),
            (s.expected, s.counted, s.difference),
            "shift {}",
            s.id
        );
    }
    let diff: i64 = shifts.iter().filter_map(|s| s.difference).sum();
    assert_eq!(money(&t.total.as_ref().unwrap()[7]), diff);

    // Purchases by supplier: supplies received, returns sent back and payments made in the
    // period, and what is owed now (the opening balance and everything received, minus
    // everything returned and paid).
    let bought = named(
        &mut app,
        "SELECT s.name AS name,
                (SELECT COUNT(*) FROM supplies u WHERE u.supplier_id = s.id
                   AND u.created_at >= ?1 AND u.created_at < ?2) AS count,
                COALESCE((SELECT SUM(u.total_cost) FROM supplies u WHERE u.supplier_id = s.id
                   AND u.created_at >= ?1 AND u.created_at < ?2), 0) AS amount,
                COALESCE((SELECT SUM(p.amount) FROM supplier_payments p WHERE p.supplier_id = s.id
                   AND p.created_at >= ?1 AND p.created_at < ?2), 0) AS cost
         FROM suppliers s",
        start,
        end,
    );
    let returned = named(
        &mut app,
        "SELECT s.name AS name, 0 AS count,
                COALESCE((SELECT SUM(r.total_cost) FROM supplier_returns r WHERE r.supplier_id = s.id
                   AND r.created_at >= ?1 AND r.created_at < ?2), 0) AS amount, 0 AS cost
         FROM suppliers s",
        start,
        end,
    );
    let t = report(&mut app, ReportKind::PurchasesBySupplier);
    let active: Vec<&Named> = bought
        .iter()
        .filter(|b| {
            b.count > 0 || b.cost > 0 || returned.iter().any(|r| r.name == b.name && r.amount > 0)
        })
        .collect();
    assert!(!active.is_empty(), "the demo shop buys in the period");
    assert_eq!(t.rows.len(), active.len());
    for b in active {
        let r = t
            .rows
            .iter()
            .find(|r| text(&r[0]) == b.name)
            .expect("supplier row");
        let back = returned
            .iter()
            .find(|r| r.name == b.name)
            .map_or(0, |r| r.amount);
        assert_eq!(
            (int(&r[1]), money(&r[2]), money(&r[3]), money(&r[4])),
            (b.count, b.amount, back, b.cost),
            "{}",
            b.name
        );
    }
    // What we owe suppliers, as of now.
    let owed = named(
        &mut app,
        "SELECT s.name AS name, 0 AS count,
                s.opening_balance
                + COALESCE((SELECT SUM(u.total_cost) FROM supplies u WHERE u.supplier_id = s.id), 0)
                - COALESCE((SELECT SUM(r.total_cost) FROM supplier_returns r WHERE r.supplier_id = s.id), 0)
                - COALESCE((SELECT SUM(p.amount) FROM supplier_payments p WHERE p.supplier_id = s.id), 0)
                  AS amount, 0 AS cost
         FROM suppliers s WHERE ?1 <= ?2",
        start,
        end,
    );
    let t = report(&mut app, ReportKind::SupplierDebts);
    let owing: Vec<&Named> = owed.iter().filter(|o| o.amount != 0).collect();
    assert!(!owing.is_empty(), "the demo shop owes a wholesaler");
    assert_eq!(t.rows.len(), owing.len());
    for o in &owing {
        let r = t
            .rows
            .iter()
            .find(|r| text(&r[0]) == o.name)
            .expect("supplier row");
        assert_eq!(money(&r[6]), o.amount, "{}", o.name);
    }
    assert_eq!(
        money(&t.total.as_ref().unwrap()[6]),
        owing.iter().map(|o| o.amount).sum::<i64>()
    );
}

#[derive(QueryableByName, Debug)]
struct ShiftWithDrawer {
    #[diesel(sql_type = BigInt)]
    id: i64,
    #[diesel(sql_type = Nullable<BigInt>)]
    expected: Option<i64>,
    #[diesel(sql_type = Nullable<BigInt>)]
    counted: Option<i64>,
    #[diesel(sql_type = Nullable<BigInt>)]
    difference: Option<i64>,
    #[diesel(sql_type = BigInt)]
    drawer: i64,
}

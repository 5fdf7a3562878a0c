//! A mixed day at a small shop, checked against figures worked out by hand, and the
//! invariants that must hold after any sequence of use cases:
//! stock = sum of movements, customer balance = sum of ledger, sale lines and tenders add up
//! to the sale total, and the shift's expected cash.

mod common;

use chrono::NaiveDate;
use common::*;
use kassa::app::{ClientInput, Period, SaleLineInput, SaleRequest, Session};
use kassa::domain::cart::Discount;
use kassa::domain::payment::{PaymentMethod, TenderInput};
use kassa::domain::{Money, Quantity, Unit};

fn som(n: i64) -> Money {
    Money::from_major(n)
}

fn sell(
    shop: &mut Shop,
    who: &Session,
    key: &str,
    lines: &[(i32, Quantity)],
    discount: Discount,
    tenders: &[(PaymentMethod, i64)],
    client: Option<(i32, NaiveDate)>,
) -> i32 {
    let req = SaleRequest {
        idempotency_key: key.into(),
        lines: lines
            .iter()
            .map(|&(product_id, quantity)| SaleLineInput {
                product_id,
                quantity,
                discount: Discount::None,
                marking_codes: Vec::new(),
            })
            .collect(),
        sale_discount: discount,
        tenders: tenders
            .iter()
            .map(|&(method, s)| TenderInput {
                method,
                amount: som(s),
                channel: None,
            })
            .collect(),
        client_id: client.map(|c| c.0),
        due_date: client.map(|c| c.1),
        expected_total: None,
    };
    shop.app.sell(who, &req).expect(key).sale_id
}

#[test]
fn a_mixed_day_adds_up() {
    use PaymentMethod::*;
    let mut shop = shop();
    let (manager, cashier) = (shop.manager.clone(), shop.cashier.clone());
    let a = stocked(
        &mut shop.app,
        &manager,
        product_input("Non", 4_000, 3_000, "4006381333931"),
        Quantity::units(100),
    );
    let b = stocked(
        &mut shop.app,
        &manager,
        product_input("Sut", 11_000, 9_000, "96385074"),
        Quantity::units(50),
    );
    let mut olma = product_input("Olma", 15_000, 10_000, "");
    olma.unit = Unit::Weight;
    let c = stocked(&mut shop.app, &manager, olma, Quantity::units(20));
    let x = shop
        .app
        .create_client(
            &cashier,
            &ClientInput {
                full_name: "Aziz".into(),
                phone: "+998 90 123 45 67".into(),
                notes: String::new(),
            },
        )
        .unwrap()
        .id;
    let due = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();

    shop.app.open_shift(&cashier, som(100_000)).unwrap();
    shop.app.open_shift(&manager, som(0)).unwrap();
    let u = Quantity::units;
    let s1 = sell(
        &mut shop,
        &cashier,
        "s1",
        &[(a, u(2)), (b, u(1))],
        Discount::None,
        &[(Cash, 20_000)],
        None,
    );
    let s2 = sell(
        &mut shop,
        &cashier,
        "s2",
        &[(c, Quantity(1500))],
        Discount::None,
        &[(Card, 22_500)],
        None,
    );
    let s3 = sell(
        &mut shop,
        &cashier,
        "s3",
        &[(b, u(3))],
        Discount::None,
        &[(Card, 13_000), (Cash, 20_000)],
        None,
    );
    let s4 = sell(
        &mut shop,
        &cashier,
        "s4",
        &[(a, u(1)), (b, u(1))],
        Discount::None,
        &[(Nasiya, 15_000)],
        Some((x, due)),
    );
    let s5 = sell(
        &mut shop,
        &cashier,
        "s5",
        &[(a, u(2))],
        Discount::None,
        &[(Cash, 10_000)],
        None,
    );
    let s6 = sell(
        &mut shop,
        &manager,
        "s6",
        &[(a, u(9))],
        Discount::Percent(1_000),
        &[(Cash, 32_400)],
        None,
    );
    assert_eq!(
        shop.app.client(&cashier, x).unwrap().balance,
        som(-15_000).0
    );
    assert_eq!(shop.app.client(&cashier, x).unwrap().due_date, Some(due));

    assert_eq!(
        shop.app
            .take_debt_payment(&cashier, x, som(5_000), Cash, "")
            .unwrap(),
        som(-10_000)
    );
    shop.app.refund_sale(&manager, s5, "returned").unwrap();
    shop.app.refund_sale(&manager, s4, "returned").unwrap();
    shop.app
        .adjust_stock(&manager, b, Quantity::units(-1), "broken bottle")
        .unwrap();
    let rent = shop.app.create_expense_category(&manager, "Ijara").unwrap();
    shop.app
        .add_expense(
            &manager,
            rent.id,
            som(50_000),
            NaiveDate::from_ymd_opt(2026, 11, 24).unwrap(),
            "",
        )
        .unwrap();

    // Just after local midnight (00:30 on 25 Nov in Tashkent, still 24 Nov in UTC).
    freeze(&mut shop.app, "2026-11-24T19:30:00Z");
    let s7 = sell(
        &mut shop,
        &cashier,
        "s7",
        &[(a, u(1))],
        Discount::None,
        &[(Card, 4_000)],
        None,
    );

    // Stock, worked out by hand, and as the sum of movements.
    assert_eq!(
        shop.app.product(&manager, a).unwrap().stock,
        u(100 - 2 - 1 - 2 - 9 + 1 + 2 - 1).0
    );
    assert_eq!(
        shop.app.product(&manager, b).unwrap().stock,
        u(50 - 1 - 3 - 1 - 1 + 1).0
    );
    assert_eq!(shop.app.product(&manager, c).unwrap().stock, 18_500);
    assert_eq!(
        scalar(
            &mut shop.app,
            "SELECT COUNT(*) AS n FROM products p WHERE p.stock <> (SELECT COALESCE(SUM(quantity), 0) FROM stock_movements m WHERE m.product_id = p.id)"
        ),
        0
    );

    // The credit sale's refund lowered the debt past zero: the customer is now prepaid.
    let client = shop.app.client(&manager, x).unwrap();
    assert_eq!(client.balance, som(5_000).0);
    assert_eq!(client.due_date, None);
    assert_eq!(
        scalar(
            &mut shop.app,
            &format!("SELECT SUM(amount) AS n FROM client_ledger WHERE client_id = {x}")
        ),
        client.balance
    );

    // Every sale's lines and tenders add up to its total.
    assert_eq!(
        scalar(
            &mut shop.app,
            "SELECT COUNT(*) AS n FROM sales s WHERE s.total <> (SELECT SUM(line_total) FROM sale_items i WHERE i.sale_id = s.id)"
        ),
        0
    );
    assert_eq!(
        scalar(
            &mut shop.app,
            "SELECT COUNT(*) AS n FROM sales s WHERE s.total <> (SELECT SUM(amount) FROM sale_payments p WHERE p.sale_id = s.id)"
        ),
        0
    );
    let detail = shop.app.sale(&manager, s1).unwrap();
    assert_eq!(detail.payments[0].change_given, som(1_000).0);
    let detail = shop.app.sale(&manager, s6).unwrap();
    assert_eq!(detail.sale.discount, som(3_600).0);

    // Cashier's drawer: 100 000 + cash sales 19 000 + 20 000 + 8 000 + debt payment 5 000.
    // Sale 5 was refunded from the manager's drawer, not the cashier's.
    let x_report = shop.app.x_report(&cashier).unwrap();
    assert_eq!(x_report.expected_cash, som(152_000).0);
    // Six sales in the shift, two of them refunded: left out of the count as everywhere.
    assert_eq!(x_report.sales_count, 4);
    assert_eq!(x_report.card_sales, som(22_500 + 13_000 + 4_000).0);
    assert_eq!(x_report.nasiya_sales, som(15_000).0);
    let z = shop
        .app
        .close_shift(&cashier, som(151_000), "short by 1000")
        .unwrap();
    assert_eq!(z.shift.expected_cash, Some(som(152_000).0));
    assert_eq!(z.shift.counted_cash, Some(som(151_000).0));
    assert_eq!(z.shift.difference, Some(som(-1_000).0));
    // Manager's drawer: 32 400 sold, 8 000 paid back.
    assert_eq!(
        shop.app.x_report(&manager).unwrap().expected_cash,
        som(24_400).0
    );

    // Figures for 24 Nov (Tashkent): sales 1, 2, 3 and 6; 4 and 5 were refunded, 7 is on the 25th.
    let day = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
    // (The clock is on the 25th now: a cashier sees today's figures only.)
    assert!(shop.app.statistics(&cashier, Period::day(day), 10).is_err());
    let stats = shop.app.statistics(&manager, Period::day(day), 10).unwrap();
    assert_eq!(stats.sales_count, 4);
    assert_eq!(stats.revenue, som(19_000 + 22_500 + 33_000 + 32_400).0);
    assert_eq!(stats.cogs, som(15_000 + 15_000 + 27_000 + 27_000).0);
    assert_eq!(stats.gross_profit, som(22_900).0);
    assert_eq!(stats.expenses, som(50_000).0);
    assert_eq!(stats.net_profit, som(-27_100).0);
    let top: Vec<(i32, i64, i64)> = stats
        .top_products
        .iter()
        .map(|t| (t.product_id, t.quantity, t.revenue))
        .collect();
    assert_eq!(
        top,
        vec![
            (b, u(4).0, som(44_000).0),
            (a, u(11).0, som(40_400).0),
            (c, 1500, som(22_500).0)
        ]
    );
    let next = shop
        .app
        .statistics(&cashier, Period::day(day.succ_opt().unwrap()), 10)
        .unwrap();
    assert_eq!((next.sales_count, next.revenue), (1, som(4_000).0));
    let _ = (s2, s3, s7);
}

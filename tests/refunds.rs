//! Partial refunds on a real database file: chosen quantities of chosen lines come back, in
//! several steps until nothing is left; stock, the drawer, the customer's debt and the
//! figures change by exactly what was refunded, and the parts add up to the sale to the tiyin.
//! Refusals change nothing.

mod common;

use chrono::NaiveDate;
use kassa::app::{
    App, AppError, ClientInput, Period, RefundLine, SaleLineInput, SaleRequest, Session,
};
use kassa::domain::cart::Discount;
use kassa::domain::payment::{PaymentMethod, TenderInput};
use kassa::domain::{Money, Quantity, Unit};

fn som(x: i64) -> Money {
    Money::from_major(x)
}

fn stock(app: &mut App, product: i32) -> i64 {
    common::scalar(
        app,
        &format!("SELECT stock AS n FROM products WHERE id = {product}"),
    )
}

fn revenue_today(app: &mut App, who: &Session) -> (i64, i64, i64) {
    let today = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
    let s = app
        .statistics(
            who,
            Period {
                from: today,
                to: today,
            },
            0,
        )
        .unwrap();
    (s.sales_count, s.revenue, s.cogs)
}

fn lines(app: &mut App, who: &Session, sale: i32) -> Vec<(i32, i64)> {
    app.refundable_lines(who, sale)
        .unwrap()
        .into_iter()
        .map(|l| (l.sale_item_id, l.quantity.0))
        .collect()
}

/// A sale of 10 pieces of tea and 1,250 kg of rice, with a 7 % sale discount (so that every
/// line carries an odd share), paid 40 000 card, 30 000 nasiya, the rest cash.
fn split_sale(shop: &mut common::Shop) -> (i32, i32, i32, i32) {
    // The manager sells (a cashier may not give the discount) from their own shift, and
    // refunds from it later.
    let manager = shop.manager.clone();
    let tea = common::stocked(
        &mut shop.app,
        &manager,
        common::product_input("Choy", 3_333, 2_001, ""),
        Quantity::units(50),
    );
    let mut rice_input = common::product_input("Guruch", 15_000, 11_111, "");
    rice_input.unit = Unit::Weight;
    let rice = common::stocked(&mut shop.app, &manager, rice_input, Quantity::units(20));
    let client = shop
        .app
        .create_client(
            &manager,
            &ClientInput {
                full_name: "Dilnoza".into(),
                phone: "998901112233".into(),
                notes: String::new(),
            },
        )
        .unwrap()
        .id;
    shop.app.open_shift(&manager, Money::ZERO).unwrap();
    let req = SaleRequest {
        idempotency_key: "split".into(),
        lines: vec![
            SaleLineInput {
                product_id: tea,
                quantity: Quantity::units(10),
                discount: Discount::None,
                marking_codes: Vec::new(),
            },
            SaleLineInput {
                product_id: rice,
                quantity: Quantity(1250),
                discount: Discount::None,
                marking_codes: Vec::new(),
            },
        ],
        sale_discount: Discount::Percent(700),
        tenders: vec![
            TenderInput {
                method: PaymentMethod::Card,
                amount: som(10_000),
                channel: None,
            },
            TenderInput {
                method: PaymentMethod::Nasiya,
                amount: som(30_000),
                channel: None,
            },
            TenderInput {
                method: PaymentMethod::Cash,
                amount: som(100_000),
                channel: None,
            },
        ],
        client_id: Some(client),
        due_date: NaiveDate::from_ymd_opt(2026, 12, 24),
        expected_total: None,
    };
    let sale = shop.app.sell(&manager, &req).unwrap().sale_id;
    (sale, tea, rice, client)
}

#[test]
fn a_sale_refunded_in_steps_adds_up_to_the_tiyin() {
    let mut shop = common::shop();
    let (manager, cashier) = (shop.manager.clone(), shop.cashier.clone());
    let (sale, tea, rice, client) = split_sale(&mut shop);
    let app = &mut shop.app;
    let total = common::scalar(
        app,
        &format!("SELECT total AS n FROM sales WHERE id = {sale}"),
    );
    // 10 × 3 333 + 1,25 × 15 000 = 52 080 so'm, less 7 % = 48 434,40 so'm.
    assert_eq!(total, 4_843_440);
    let before = revenue_today(app, &manager);
    assert_eq!(before.1, total);
    let debt_before = app.client(&manager, client).unwrap().balance;
    assert_eq!(debt_before, -som(30_000).0);
    let (tea_line, rice_line) = {
        let l = lines(app, &manager, sale);
        (l[0].0, l[1].0)
    };

    // Step 1: 3 pieces of tea. Nasiya is given back first: the debt falls, no cash moves.
    let one = app
        .refund_lines(
            &manager,
            sale,
            &[RefundLine {
                sale_item_id: tea_line,
                quantity: Quantity::units(3),
            }],
            "",
        )
        .unwrap();
    // The tea line: gross 33 330, sale discount share 7 % of it (2 333,10 → 233 310 tiyin);
    // 3 of 10 take 999 900 − 69 993 = 929 907 tiyin.
    assert_eq!(one.amount, 929_907);
    assert_eq!(one.back, vec![("nasiya".to_string(), 929_907)]);
    assert!(!one.complete);
    assert_eq!(stock(app, tea), 43_000);
    assert_eq!(
        app.client(&manager, client).unwrap().balance,
        debt_before + 929_907
    );
    let after = revenue_today(app, &manager);
    assert_eq!(after.0, 1, "a partly refunded sale is still a sale");
    assert_eq!(after.1, total - 929_907);
    assert_eq!(app.x_report(&manager).unwrap().cash_refunds, 0);

    // Step 2: 333 g of rice, 7 pieces of tea: past the nasiya left (2 070 093), into card.
    let two = app
        .refund_lines(
            &manager,
            sale,
            &[
                RefundLine {
                    sale_item_id: rice_line,
                    quantity: Quantity(333),
                },
                RefundLine {
                    sale_item_id: tea_line,
                    quantity: Quantity::units(7),
                },
            ],
            "",
        )
        .unwrap();
    assert_eq!(two.back[0], ("nasiya".to_string(), 3_000_000 - 929_907));
    assert_eq!(two.back[1].0, "card");
    assert_eq!(two.back.iter().map(|b| b.1).sum::<i64>(), two.amount);
    assert_eq!(stock(app, tea), 50_000);
    assert_eq!(stock(app, rice), 20_000 - 1250 + 333);
    assert_eq!(app.client(&manager, client).unwrap().balance, 0);
    // Only rice is left to refund: 917 g.
    assert_eq!(lines(app, &manager, sale).len(), 1);
    assert_eq!(lines(app, &manager, sale)[0].1, 917);

    // Refusals change nothing: more than is left, zero, a fraction of a piece, a line of
    // another sale, a line already refunded.
    let snapshot = common::fingerprint(app);
    let rest_line = lines(app, &manager, sale)[0].0;
    for (line, q) in [
        (rest_line, Quantity(918)),
        (rest_line, Quantity(0)),
        (rest_line, Quantity(-1)),
        (tea_line, Quantity(1)),
        (999_999, Quantity(1)),
    ] {
        let r = app.refund_lines(
            &manager,
            sale,
            &[RefundLine {
                sale_item_id: line,
                quantity: q,
            }],
            "",
        );
        assert!(r.is_err(), "refund of {q:?} on line {line} was accepted");
    }
    assert!(matches!(
        app.refund_lines(&cashier, sale, &[], ""),
        Err(AppError::Forbidden { .. })
    ));
    assert_eq!(
        common::fingerprint(app),
        snapshot,
        "a refusal changed something"
    );

    // Step 3: what is left (the whole-refund call takes the rest). Card runs out, then cash
    // comes out of the manager's drawer.
    let x_before = app.x_report(&manager).unwrap();
    let three = app.refund_sale(&manager, sale, "qolgani").unwrap();
    assert!(three.complete);
    assert_eq!(
        one.amount + two.amount + three.amount,
        total,
        "the parts add up"
    );
    let cash_back: i64 = three
        .back
        .iter()
        .filter(|b| b.0 == "cash")
        .map(|b| b.1)
        .sum();
    assert!(cash_back > 0);
    let x_after = app.x_report(&manager).unwrap();
    assert_eq!(x_after.cash_refunds, x_before.cash_refunds + cash_back);
    assert_eq!(x_after.expected_cash, x_before.expected_cash - cash_back);
    assert_eq!(x_after.refunds_count, 3);
    assert_eq!(stock(app, rice), 20_000);
    let gone = revenue_today(app, &manager);
    assert_eq!((gone.0, gone.1, gone.2), (0, 0, 0));
    assert!(matches!(
        app.refund_sale(&manager, sale, ""),
        Err(AppError::AlreadyRefunded)
    ));
    // Every tender gave back exactly what it took; `kassa check` finds nothing wrong.
    assert_eq!(
        common::scalar(
            app,
            &format!(
                "SELECT COUNT(*) AS n FROM sale_payments WHERE sale_id = {sale} AND refunded <> amount"
            )
        ),
        0
    );
    let problems: Vec<_> = app
        .check()
        .unwrap()
        .into_iter()
        .filter(|(_, found)| !found.is_empty())
        .collect();
    assert!(problems.is_empty(), "{problems:?}");
}

#[test]
fn cash_back_needs_the_refunders_drawer_and_the_slip_is_printed() {
    let mut shop = common::shop();
    let (admin, manager, cashier) = (
        shop.admin.clone(),
        shop.manager.clone(),
        shop.cashier.clone(),
    );
    shop.app
        .set_setting(&admin, "printer.port", "tcp:127.0.0.1:9")
        .unwrap();
    let tea = common::stocked(
        &mut shop.app,
        &manager,
        common::product_input("Choy", 5_000, 3_000, ""),
        Quantity::units(10),
    );
    let app = &mut shop.app;
    app.open_shift(&cashier, Money::ZERO).unwrap();
    let req = SaleRequest {
        idempotency_key: "cash".into(),
        lines: vec![SaleLineInput {
            product_id: tea,
            quantity: Quantity::units(4),
            discount: Discount::None,
            marking_codes: Vec::new(),
        }],
        sale_discount: Discount::None,
        tenders: vec![TenderInput {
            method: PaymentMethod::Cash,
            amount: som(20_000),
            channel: None,
        }],
        client_id: None,
        due_date: None,
        expected_total: None,
    };
    let sale = app.sell(&cashier, &req).unwrap().sale_id;
    let line = lines(app, &manager, sale)[0].0;
    let one = [RefundLine {
        sale_item_id: line,
        quantity: Quantity::units(1),
    }];
    let snapshot = common::fingerprint(app);
    assert!(matches!(
        app.refund_lines(&manager, sale, &one, ""),
        Err(AppError::RefundNeedsShift)
    ));
    assert_eq!(common::fingerprint(app), snapshot);
    // An empty drawer cannot pay 5 000 back: refused with what it holds, nothing changed.
    app.open_shift(&manager, Money::ZERO).unwrap();
    let snapshot = common::fingerprint(app);
    match app.refund_lines(&manager, sale, &one, "singan") {
        Err(AppError::RefundDrawerShort { available, needed }) => {
            assert_eq!((available, needed), (Money::ZERO, som(5_000)));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(common::fingerprint(app), snapshot);
    app.close_shift(&manager, Money::ZERO, "").unwrap();
    app.open_shift(&manager, som(8_000)).unwrap();
    let done = app.refund_lines(&manager, sale, &one, "singan").unwrap();
    assert_eq!(done.back, vec![("cash".to_string(), som(5_000).0)]);
    // The cashier's drawer keeps what it took; the manager's paid 5 000 back.
    assert_eq!(app.x_report(&cashier).unwrap().expected_cash, som(20_000).0);
    assert_eq!(app.x_report(&manager).unwrap().expected_cash, som(3_000).0);
    let slip = common::scalar_text(
        app,
        "SELECT document AS t FROM print_jobs WHERE kind = 'refund_slip'",
    );
    assert!(slip.contains("QAYTARISH"), "{slip}");
    assert!(slip.contains("1 dona"), "{slip}");
    assert!(slip.contains("singan"), "{slip}");
    // The sale's receipt now shows the refunded part.
    let data = app.receipt_data(&manager, sale).unwrap();
    let doc = kassa::app::document::receipt(&data, kassa::i18n::Lang::Uz, 48);
    let text = format!("{doc:?}");
    assert!(text.contains("QAYTARILGAN"), "{text}");
    assert!(text.contains("-5 000"), "{text}");
}

//! Non-cash payment methods kept by the admin (Uzcard, Humo, Click…): offered at the till,
//! stored with each tender, reported apart, never counted as drawer cash; a method put away
//! is refused for new sales and still named in history.

mod common;

use chrono::NaiveDate;
use kassa::app::error_text;
use kassa::app::{
    AppError, Cell, PaymentMethodInput, Period, ReportKind, SaleLineInput, SaleRequest,
};
use kassa::domain::cart::Discount;
use kassa::domain::payment::{PaymentMethod, TenderInput};
use kassa::domain::{Money, Quantity};
use kassa::i18n::Lang;

fn method(name: &str, position: i32) -> PaymentMethodInput {
    PaymentMethodInput {
        name_uz: name.into(),
        name_ru: format!("{name} (ru)"),
        name_en: format!("{name} (en)"),
        active: true,
        position,
    }
}

fn card(channel: i32, som: i64) -> TenderInput {
    TenderInput {
        method: PaymentMethod::Card,
        amount: Money::from_major(som),
        channel: Some(channel),
    }
}

#[test]
fn card_methods_are_kept_stored_and_reported_apart() {
    let mut shop = common::shop();
    let (admin, manager, cashier) = (
        shop.admin.clone(),
        shop.manager.clone(),
        shop.cashier.clone(),
    );
    let app = &mut shop.app;
    // Only the admin keeps the list; a name is needed in every language.
    assert!(matches!(
        app.add_payment_method(&manager, &method("Uzcard", 1)),
        Err(AppError::Forbidden { .. })
    ));
    let mut nameless = method("Humo", 2);
    nameless.name_ru = "  ".into();
    let e = app.add_payment_method(&admin, &nameless).unwrap_err();
    let said = error_text(Lang::Uz, &e);
    assert!(said.contains("ruscha"), "{said}");
    let uzcard = app
        .add_payment_method(&admin, &method("Uzcard", 1))
        .unwrap();
    let click = app.add_payment_method(&admin, &method("Click", 2)).unwrap();
    let names: Vec<String> = app
        .payment_methods(&cashier)
        .unwrap()
        .active()
        .map(|m| m.name_uz.clone())
        .collect();
    assert_eq!(names, vec!["Bank kartasi", "Uzcard", "Click"]);

    let tea = common::stocked(
        app,
        &manager,
        common::product_input("Choy", 25_000, 15_000, ""),
        Quantity::units(20),
    );
    app.open_shift(&cashier, Money::from_major(100_000))
        .unwrap();
    let sale = |key: &str, tenders: Vec<TenderInput>| SaleRequest {
        idempotency_key: key.into(),
        lines: vec![SaleLineInput {
            product_id: tea,
            quantity: Quantity::units(4),
            discount: Discount::None,
            marking_codes: Vec::new(),
        }],
        sale_discount: Discount::None,
        tenders,
        client_id: None,
        due_date: None,
        expected_total: None,
    };
    // 100 000: Uzcard 30 000 + Click 15 000 + Click 5 000 + cash 60 000 handed (10 000 change).
    let r = app
        .sell(
            &cashier,
            &sale(
                "split",
                vec![
                    card(uzcard.id, 30_000),
                    card(click.id, 15_000),
                    card(click.id, 5_000),
                    TenderInput::new(PaymentMethod::Cash, Money::from_major(60_000)),
                ],
            ),
        )
        .unwrap();
    assert_eq!(r.change, Money::from_major(10_000).0);
    // A card tender naming no method goes to the first one (the bank card).
    app.sell(
        &cashier,
        &sale(
            "plain",
            vec![TenderInput::new(
                PaymentMethod::Card,
                Money::from_major(100_000),
            )],
        ),
    )
    .unwrap();
    let stored = common::scalar_text(
        app,
        "SELECT group_concat(method || ':' || COALESCE(CAST(channel_id AS TEXT), '-') || ':' || amount, ' ') AS t
         FROM (SELECT * FROM sale_payments ORDER BY id) p",
    );
    assert_eq!(
        stored,
        format!(
            "cash:-:5000000 card:{}:3000000 card:{}:2000000 card:1:10000000",
            uzcard.id, click.id
        )
    );

    // The drawer counts cash only; the X report names each card method.
    let x = app.x_report(&cashier).unwrap();
    assert_eq!(x.cash_sales, Money::from_major(50_000).0);
    assert_eq!(x.card_sales, Money::from_major(150_000).0);
    assert_eq!(x.expected_cash, Money::from_major(150_000).0);
    let by: Vec<(String, i64)> = x
        .card_by_method
        .iter()
        .map(|(m, a)| (m.name_uz.clone(), *a))
        .collect();
    assert_eq!(
        by,
        vec![
            ("Bank kartasi".to_string(), Money::from_major(100_000).0),
            ("Uzcard".to_string(), Money::from_major(30_000).0),
            ("Click".to_string(), Money::from_major(20_000).0),
        ]
    );

    // The report by payment method, in Russian: one row per method.
    let today = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
    let p = Period {
        from: today,
        to: today,
    };
    let t = app
        .report(&manager, ReportKind::SalesByPayment, p, Lang::Ru)
        .unwrap();
    let rows: Vec<(String, i64)> = t
        .rows
        .iter()
        .map(|r| match (&r[0], &r[2]) {
            (Cell::Text(n), Cell::Money(a)) => (n.clone(), *a),
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(
        rows,
        vec![
            ("Банковская карта".to_string(), Money::from_major(100_000).0),
            ("Наличные".to_string(), Money::from_major(50_000).0),
            ("Uzcard (ru)".to_string(), Money::from_major(30_000).0),
            ("Click (ru)".to_string(), Money::from_major(20_000).0),
        ]
    );
    let d = app.dashboard(&manager, p).unwrap();
    let labels: Vec<String> = d
        .by_method
        .iter()
        .map(|(m, ch, _)| d.methods.label(Lang::En, m, *ch))
        .collect();
    assert!(labels.contains(&"Click (en)".to_string()), "{labels:?}");

    // The receipt names the method.
    let data = app.receipt_data(&cashier, r.sale_id).unwrap();
    let doc = format!("{:?}", kassa::app::document::receipt(&data, Lang::Uz, 48));
    assert!(doc.contains("Uzcard") && doc.contains("Click"), "{doc}");

    // Click is put away: offered no more, refused for a sale (nothing written), still named.
    let mut off = method("Click", 2);
    off.active = false;
    app.update_payment_method(&admin, click.id, &off).unwrap();
    let before = common::fingerprint(app);
    assert!(matches!(
        app.sell(&cashier, &sale("late", vec![card(click.id, 100_000)])),
        Err(AppError::MethodUnavailable)
    ));
    assert_eq!(common::fingerprint(app), before);
    assert!(
        !app.payment_methods(&cashier)
            .unwrap()
            .active()
            .any(|m| m.id == click.id)
    );
    let t = app
        .report(&manager, ReportKind::SalesByPayment, p, Lang::Uz)
        .unwrap();
    assert!(t.rows.iter().any(|r| r[0] == Cell::Text("Click".into())));
    // Both changes are in the audit log.
    assert_eq!(
        common::scalar(
            app,
            "SELECT COUNT(*) AS n FROM audit_logs WHERE action LIKE 'payment_method.%'"
        ),
        3
    );
}

/// A debt paid by card names its card method like a sale's tender does; the X report shows
/// the card debt payments apart from the drawer's cash; an unknown or put-away method is
/// refused and changes nothing.
#[test]
fn a_debt_paid_by_card_names_its_method_and_shows_on_the_x_report() {
    let mut shop = common::shop();
    let (admin, cashier) = (shop.admin.clone(), shop.cashier.clone());
    let uzcard = shop
        .app
        .add_payment_method(&admin, &method("Uzcard", 5))
        .unwrap();
    let product = common::stocked(
        &mut shop.app,
        &admin,
        common::product_input("Un", 50_000, 40_000, ""),
        Quantity::units(10),
    );
    let client = shop
        .app
        .create_client(
            &admin,
            &kassa::app::ClientInput {
                full_name: "Qarzdor Aka".into(),
                phone: "+998 90 555 11 22".into(),
                notes: String::new(),
            },
        )
        .unwrap()
        .id;
    shop.app
        .open_shift(&cashier, Money::from_major(10_000))
        .unwrap();
    let today = chrono::Utc::now().date_naive();
    shop.app
        .sell(
            &cashier,
            &SaleRequest {
                idempotency_key: "debt".into(),
                lines: vec![SaleLineInput {
                    product_id: product,
                    quantity: Quantity::units(2),
                    discount: Discount::None,
                    marking_codes: Vec::new(),
                }],
                sale_discount: Discount::None,
                tenders: vec![TenderInput::new(
                    PaymentMethod::Nasiya,
                    Money::from_major(100_000),
                )],
                client_id: Some(client),
                due_date: Some(today + chrono::Duration::days(30)),
                expected_total: None,
            },
        )
        .unwrap();

    let before = common::fingerprint(&mut shop.app);
    let refused = shop.app.take_debt_payment_via(
        &cashier,
        client,
        Money::from_major(30_000),
        PaymentMethod::Card,
        Some(9_999),
        "",
    );
    assert!(
        matches!(refused, Err(AppError::MethodUnavailable)),
        "{refused:?}"
    );
    assert_eq!(before, common::fingerprint(&mut shop.app));

    shop.app
        .take_debt_payment_via(
            &cashier,
            client,
            Money::from_major(30_000),
            PaymentMethod::Card,
            Some(uzcard.id),
            "",
        )
        .unwrap();
    shop.app
        .take_debt_payment(
            &cashier,
            client,
            Money::from_major(5_000),
            PaymentMethod::Cash,
            "",
        )
        .unwrap();
    assert_eq!(
        common::scalar(
            &mut shop.app,
            &format!(
                "SELECT COUNT(*) AS n FROM client_ledger WHERE kind = 'payment' AND method = 'card' AND channel_id = {}",
                uzcard.id
            )
        ),
        1
    );
    let x = shop.app.x_report(&cashier).unwrap();
    assert_eq!(x.card_debt_payments, Money::from_major(30_000).0);
    assert_eq!(x.cash_debt_payments, Money::from_major(5_000).0);
    assert_eq!(
        x.expected_cash,
        Money::from_major(15_000).0,
        "the card part is not drawer cash"
    );
    let figures = kassa::app::document::shift_figures(&x);
    assert!(
        figures
            .iter()
            .any(|f| f.label == kassa::i18n::T::CardDebtPayments)
    );
}

//! Debts told right: a customer's payments settle the credit with the earliest due date
//! first, and every reader says what is owed per due date — the bot's reminder (the amount
//! due on its date and, apart, the whole debt), the bot's statement, the debts report and
//! its ageing (each open amount in its own bucket), the debt slip.

mod common;

use chrono::NaiveDate;
use kassa::app::{App, Cell, ClientInput, Period, ReportKind, Session};
use kassa::domain::payment::PaymentMethod;
use kassa::domain::{Money, Quantity};
use kassa::i18n::Lang;

fn som(x: i64) -> i64 {
    Money::from_major(x).0
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn credit(
    app: &mut App,
    cashier: &Session,
    key: &str,
    product: i32,
    client: i32,
    due: NaiveDate,
    price: i64,
) {
    let req = common::one_unit(
        key,
        product,
        PaymentMethod::Nasiya,
        Money::from_major(price),
        Some((client, due)),
    );
    app.sell(cashier, &req).expect("credit sale");
}

#[test]
fn every_reader_tells_the_debt_per_due_date() {
    let mut shop = common::shop(); // 2026-11-24 12:00 in Tashkent
    let (admin, manager, cashier) = (
        shop.admin.clone(),
        shop.manager.clone(),
        shop.cashier.clone(),
    );
    shop.app
        .set_setting(&admin, "telegram.reminder_hour", "0")
        .unwrap();
    let mut stocked = |name: &str, price: i64| {
        common::stocked(
            &mut shop.app,
            &manager,
            common::product_input(name, price, price / 2, ""),
            Quantity::units(10),
        )
    };
    let (a, b, c) = (
        stocked("Choy", 5_375),
        stocked("Gilam", 300_000),
        stocked("Televizor", 509_565),
    );
    let aziz = shop
        .app
        .create_client(
            &manager,
            &ClientInput {
                full_name: "Aziz Karimov".into(),
                phone: "998901234567".into(),
                notes: String::new(),
            },
        )
        .unwrap()
        .id;
    shop.app.open_shift(&cashier, Money::ZERO).unwrap();
    // Written in this order; due in another.
    credit(
        &mut shop.app,
        &cashier,
        "k1",
        c,
        aziz,
        date(2026, 12, 10),
        509_565,
    );
    credit(
        &mut shop.app,
        &cashier,
        "k2",
        a,
        aziz,
        date(2026, 11, 25),
        5_375,
    );
    credit(
        &mut shop.app,
        &cashier,
        "k3",
        b,
        aziz,
        date(2026, 12, 20),
        300_000,
    );
    shop.app
        .take_debt_payment(
            &cashier,
            aziz,
            Money::from_major(2_000),
            PaymentMethod::Cash,
            "",
        )
        .unwrap();
    // Allocated: 2 000 to 25.11 (3 375 left); 10.12 and 20.12 untouched. Total 812 940.
    shop.app
        .link_telegram(700, 700, Some(700), "998901234567", "Aziz", Lang::En)
        .unwrap();

    // The reminder for tomorrow names tomorrow's amount and the whole debt.
    assert_eq!(shop.app.queue_due_reminders().unwrap(), 1);
    let reminder = common::scalar_text(
        &mut shop.app,
        "SELECT text AS t FROM telegram_outbox WHERE kind = 'reminder'",
    );
    assert_eq!(
        reminder,
        "Aziz Karimov, 3 375 so'm is due on 25.11.2026; days left: 1. Your total debt: 812 940 so'm."
    );

    // The statement lists the open amounts by due date.
    let st = shop.app.telegram_statement(700).unwrap().unwrap();
    let open: Vec<(Option<NaiveDate>, i64)> =
        st.open.iter().map(|o| (o.due_date, o.amount.0)).collect();
    assert_eq!(
        open,
        vec![
            (Some(date(2026, 11, 25)), som(3_375)),
            (Some(date(2026, 12, 10)), som(509_565)),
            (Some(date(2026, 12, 20)), som(300_000)),
        ]
    );
    let text = kassa::app::telegram_texts::statement(&st);
    assert!(
        text.contains("Due dates:\n• 25.11.2026 — 3 375 so'm\n• 10.12.2026 — 509 565 so'm\n• 20.12.2026 — 300 000 so'm"),
        "{text}"
    );

    // 15.12: 25.11 is 20 days late and 10.12 five; 20.12 is not yet due. The ageing puts
    // each open amount in its own bucket (the whole debt is not 20 days late).
    common::freeze(&mut shop.app, "2026-12-15T07:00:00Z");
    let today = date(2026, 12, 15);
    let debts = shop
        .app
        .report(&admin, ReportKind::Debts, Period::day(today), Lang::En)
        .unwrap();
    assert_eq!(debts.rows.len(), 1);
    let row = &debts.rows[0];
    assert_eq!(row[2], Cell::Money(som(812_940)), "owed");
    assert_eq!(
        row[3],
        Cell::Date(Some(date(2026, 11, 25))),
        "earliest open date"
    );
    assert_eq!(row[4], Cell::Int(20), "days overdue");
    assert_eq!(
        row[5..].to_vec(),
        vec![
            Cell::Money(som(300_000)),
            Cell::Money(som(3_375 + 509_565)),
            Cell::Money(0),
            Cell::Money(0),
            Cell::Money(0),
        ],
        "ageing"
    );
    let total = debts.total.as_ref().unwrap();
    assert_eq!(total[2], Cell::Money(som(812_940)));
    assert_eq!(total[6], Cell::Money(som(512_940)));

    // A payment of 600 000 settles 25.11 and 10.12 and 87 060 of 20.12; nothing is late.
    shop.app
        .take_debt_payment(
            &cashier,
            aziz,
            Money::from_major(600_000),
            PaymentMethod::Card,
            "",
        )
        .unwrap();
    let debts = shop
        .app
        .report(&admin, ReportKind::Debts, Period::day(today), Lang::En)
        .unwrap();
    let row = &debts.rows[0];
    assert_eq!(row[2], Cell::Money(som(212_940)));
    assert_eq!(row[3], Cell::Date(Some(date(2026, 12, 20))));
    assert_eq!(row[4], Cell::Int(0));
    assert_eq!(row[5], Cell::Money(som(212_940)));
}

/// A credit limit per customer (or the shop's default): nasiya past it is refused for a
/// cashier with the reason, and goes through when a manager approves on the spot, audited
/// with both names. A cashier cannot approve; "no credit" is a limit of zero.
#[test]
fn nasiya_past_the_credit_limit_needs_a_manager() {
    let mut shop = common::shop();
    let (admin, manager, cashier) = (
        shop.admin.clone(),
        shop.manager.clone(),
        shop.cashier.clone(),
    );
    assert!(
        shop.app
            .set_setting(&admin, "credit.default_limit", "abc")
            .is_err()
    );
    shop.app
        .set_setting(&admin, "credit.default_limit", "100 000")
        .unwrap();
    let tv = common::stocked(
        &mut shop.app,
        &manager,
        common::product_input("Choynak", 80_000, 50_000, ""),
        Quantity::units(10),
    );
    let cup = common::stocked(
        &mut shop.app,
        &manager,
        common::product_input("Piyola", 30_000, 20_000, ""),
        Quantity::units(10),
    );
    let aziz = shop
        .app
        .create_client(
            &manager,
            &ClientInput {
                full_name: "Aziz".into(),
                phone: "998901234567".into(),
                notes: String::new(),
            },
        )
        .unwrap();
    assert_eq!(aziz.effective_limit, Some(som(100_000)));
    let aziz = aziz.id;
    shop.app.open_shift(&cashier, Money::ZERO).unwrap();
    let due = date(2026, 12, 10);
    credit(&mut shop.app, &cashier, "c1", tv, aziz, due, 80_000);

    // 80 000 owed + 30 000 > 100 000: refused, nothing written.
    let request = |key: &str| {
        common::one_unit(
            key,
            cup,
            PaymentMethod::Nasiya,
            Money::from_major(30_000),
            Some((aziz, due)),
        )
    };
    let other_cashier = common::employee(
        &mut shop.app,
        &admin,
        "kassir2",
        kassa::domain::Role::Cashier,
    );
    let before = common::fingerprint(&mut shop.app);
    let err = shop.app.sell(&cashier, &request("c2")).unwrap_err();
    assert_eq!(
        kassa::app::error_text(Lang::Uz, &err),
        "Kredit chegarasidan oshadi: mijozning qarzi 80 000 soʻm, chegara 100 000 soʻm. Menejer tasdiqlashi mumkin."
    );
    // A cashier's "approval" is no approval.
    assert!(
        shop.app
            .sell_approved(&cashier, &request("c2"), Some(&other_cashier))
            .is_err()
    );
    assert!(
        common::fingerprint(&mut shop.app) == before,
        "a refused sale changed the database"
    );

    // The manager logs in at the till and approves.
    let approver = shop.app.login("manager", common::PASSWORD).unwrap();
    shop.app
        .sell_approved(&cashier, &request("c2"), Some(&approver))
        .unwrap();
    assert_eq!(
        shop.app.client(&manager, aziz).unwrap().balance,
        -som(110_000)
    );
    let audit = common::scalar_text(
        &mut shop.app,
        "SELECT actor || ' ' || after_json AS t FROM audit_logs WHERE action = 'sale.credit_over_limit'",
    );
    assert!(
        audit.starts_with("cashier ") && audit.contains("\"approved_by\":\"manager\""),
        "{audit}"
    );

    // Its own limit of zero: no credit at all, even with no debt.
    let bek = shop
        .app
        .create_client(
            &manager,
            &ClientInput {
                full_name: "Bek".into(),
                phone: "998907654321".into(),
                notes: String::new(),
            },
        )
        .unwrap()
        .id;
    assert!(
        shop.app
            .set_credit_limit(&cashier, bek, Some(Money::ZERO))
            .is_err(),
        "a cashier sets no limits"
    );
    let view = shop
        .app
        .set_credit_limit(&manager, bek, Some(Money::ZERO))
        .unwrap();
    assert_eq!(view.effective_limit, Some(0));
    let mut r = request("b1");
    r.client_id = Some(bek);
    assert!(matches!(
        shop.app.sell(&cashier, &r),
        Err(kassa::app::AppError::CreditLimit { .. })
    ));
}

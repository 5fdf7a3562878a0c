//! Bad input: every refusal gives a clear error and leaves every row of the database as it
//! was. Also the idempotency key and refund rules.

mod common;

use chrono::NaiveDate;
use common::*;
use kassa::app::{AppError, ClientInput, SaleLineInput, SaleRequest};
use kassa::domain::cart::Discount;
use kassa::domain::payment::{PaymentMethod, TenderInput};
use kassa::domain::quantity::QuantityError;
use kassa::domain::{Money, Quantity, Unit};

fn request(key: &str, product: i32, qty: Quantity, tenders: Vec<TenderInput>) -> SaleRequest {
    SaleRequest {
        idempotency_key: key.into(),
        lines: vec![SaleLineInput {
            product_id: product,
            quantity: qty,
            discount: Discount::None,
            marking_codes: Vec::new(),
        }],
        sale_discount: Discount::None,
        tenders,
        client_id: None,
        due_date: None,
        expected_total: None,
    }
}

fn cash(som: i64) -> Vec<TenderInput> {
    vec![TenderInput {
        method: PaymentMethod::Cash,
        amount: Money::from_major(som),
        channel: None,
    }]
}

/// Runs `f`, expects an error whose message contains `words`, and checks nothing changed.
fn refused<T: std::fmt::Debug>(
    shop: &mut Shop,
    words: &str,
    f: impl FnOnce(&mut Shop) -> Result<T, AppError>,
) -> AppError {
    let before = fingerprint(&mut shop.app);
    let err = f(shop).expect_err(words);
    let msg = err.to_string();
    assert!(
        msg.to_lowercase().contains(&words.to_lowercase()),
        "message {msg:?} should say {words:?}"
    );
    assert_eq!(
        before,
        fingerprint(&mut shop.app),
        "{words}: the database changed"
    );
    err
}

#[test]
fn bad_sales_change_nothing() {
    let mut shop = shop();
    let (manager, cashier) = (shop.manager.clone(), shop.cashier.clone());
    let p = stocked(
        &mut shop.app,
        &manager,
        product_input("Non", 4_000, 3_000, "4006381333931"),
        Quantity::units(5),
    );
    let mut w = product_input("Olma", 15_000, 10_000, "");
    w.unit = Unit::Weight;
    let apples = stocked(&mut shop.app, &manager, w, Quantity::units(3));

    // No open shift yet.
    refused(&mut shop, "open a shift", |s| {
        s.app
            .sell(&cashier, &request("k", p, Quantity::units(1), cash(4_000)))
    });
    shop.app.open_shift(&cashier, Money::ZERO).unwrap();

    refused(&mut shop, "no product with id 9999", |s| {
        s.app.sell(
            &cashier,
            &request("k", 9999, Quantity::units(1), cash(4_000)),
        )
    });
    refused(&mut shop, "greater than zero", |s| {
        s.app
            .sell(&cashier, &request("k", p, Quantity(0), cash(4_000)))
    });
    refused(&mut shop, "greater than zero", |s| {
        s.app
            .sell(&cashier, &request("k", p, Quantity(-1000), cash(4_000)))
    });
    let e = refused(&mut shop, "whole pieces", |s| {
        s.app
            .sell(&cashier, &request("k", p, Quantity(1500), cash(6_000)))
    });
    assert!(matches!(
        e,
        AppError::Cart(_) | AppError::Quantity(QuantityError::NotWhole)
    ));
    refused(&mut shop, "too large", |s| {
        s.app.sell(
            &cashier,
            &request("k", p, Quantity(4_780_000_000_013), cash(4_000)),
        )
    });
    refused(&mut shop, "not enough non", |s| {
        s.app
            .sell(&cashier, &request("k", p, Quantity::units(6), cash(24_000)))
    });
    refused(&mut shop, "not enough olma", |s| {
        s.app.sell(
            &cashier,
            &request("k", apples, Quantity(3001), cash(50_000)),
        )
    });
    refused(&mut shop, "still to be paid", |s| {
        s.app
            .sell(&cashier, &request("k", p, Quantity::units(1), cash(3_999)))
    });
    refused(&mut shop, "more than the total", |s| {
        s.app.sell(
            &cashier,
            &request(
                "k",
                p,
                Quantity::units(1),
                vec![TenderInput {
                    method: PaymentMethod::Card,
                    amount: Money::from_major(5_000),
                    channel: None,
                }],
            ),
        )
    });
    refused(&mut shop, "greater than zero", |s| {
        s.app.sell(
            &cashier,
            &request(
                "k",
                p,
                Quantity::units(1),
                vec![TenderInput {
                    method: PaymentMethod::Cash,
                    amount: Money(-5),
                    channel: None,
                }],
            ),
        )
    });
    refused(&mut shop, "cart is empty", |s| {
        let mut r = request("k", p, Quantity::units(1), cash(4_000));
        r.lines.clear();
        s.app.sell(&cashier, &r)
    });
    refused(&mut shop, "idempotency_key", |s| {
        s.app
            .sell(&cashier, &request("  ", p, Quantity::units(1), cash(4_000)))
    });
    refused(&mut shop, "prices changed", |s| {
        let mut r = request("k", p, Quantity::units(1), cash(4_000));
        r.expected_total = Some(Money::from_major(3_500));
        s.app.sell(&cashier, &r)
    });
    refused(&mut shop, "may not", |s| {
        let mut r = request("k", p, Quantity::units(1), cash(4_000));
        r.sale_discount = Discount::Percent(500);
        s.app.sell(&cashier, &r)
    });

    // Nasiya needs a customer and a due date that is not in the past.
    let client = shop
        .app
        .create_client(
            &cashier,
            &ClientInput {
                full_name: "Aziz".into(),
                ..Default::default()
            },
        )
        .unwrap()
        .id;
    let nasiya = || {
        vec![TenderInput {
            method: PaymentMethod::Nasiya,
            amount: Money::from_major(4_000),
            channel: None,
        }]
    };
    refused(&mut shop, "nasiya sale needs a customer", |s| {
        s.app
            .sell(&cashier, &request("k", p, Quantity::units(1), nasiya()))
    });
    refused(&mut shop, "nasiya sale needs a customer", |s| {
        let mut r = request("k", p, Quantity::units(1), nasiya());
        r.client_id = Some(client);
        r.due_date = Some(NaiveDate::from_ymd_opt(2026, 11, 23).unwrap());
        s.app.sell(&cashier, &r)
    });
    refused(&mut shop, "no customer with id 777", |s| {
        let mut r = request("k", p, Quantity::units(1), nasiya());
        r.client_id = Some(777);
        r.due_date = Some(NaiveDate::from_ymd_opt(2026, 12, 23).unwrap());
        s.app.sell(&cashier, &r)
    });

    // Archived products cannot be sold.
    shop.app.delete_product(&manager, apples).unwrap();
    refused(&mut shop, "archived", |s| {
        s.app
            .sell(&cashier, &request("k", apples, Quantity(500), cash(10_000)))
    });

    // After all that, a good sale still goes through with the same key.
    let r = shop
        .app
        .sell(&cashier, &request("k", p, Quantity::units(1), cash(5_000)))
        .unwrap();
    assert_eq!(r.change, Money::from_major(1_000).0);
}

#[test]
fn a_retried_checkout_never_sells_twice() {
    let mut shop = shop();
    let (manager, cashier) = (shop.manager.clone(), shop.cashier.clone());
    let p = stocked(
        &mut shop.app,
        &manager,
        product_input("Non", 4_000, 3_000, ""),
        Quantity::units(10),
    );
    shop.app.open_shift(&cashier, Money::ZERO).unwrap();
    let req = request("till-1-checkout-42", p, Quantity::units(2), cash(10_000));
    let first = shop.app.sell(&cashier, &req).unwrap();
    assert!(!first.duplicate);
    let before = fingerprint(&mut shop.app);
    let second = shop.app.sell(&cashier, &req).unwrap();
    assert!(second.duplicate);
    assert_eq!(
        (second.sale_id, second.total, second.change),
        (first.sale_id, first.total, first.change)
    );
    assert_eq!(
        before,
        fingerprint(&mut shop.app),
        "the retry wrote something"
    );
    assert_eq!(scalar(&mut shop.app, "SELECT COUNT(*) AS n FROM sales"), 1);
    assert_eq!(
        shop.app.product(&manager, p).unwrap().stock,
        Quantity::units(8).0
    );
    // A new key is a new sale.
    let third = shop
        .app
        .sell(
            &cashier,
            &request("till-1-checkout-43", p, Quantity::units(2), cash(10_000)),
        )
        .unwrap();
    assert_ne!(third.sale_id, first.sale_id);
}

#[test]
fn refunding_a_credit_sale_lowers_the_debt_and_only_once() {
    let mut shop = shop();
    let (manager, cashier) = (shop.manager.clone(), shop.cashier.clone());
    let p = stocked(
        &mut shop.app,
        &manager,
        product_input("Guruch", 18_000, 15_000, ""),
        Quantity::units(10),
    );
    let client = shop
        .app
        .create_client(
            &cashier,
            &ClientInput {
                full_name: "Nigora".into(),
                ..Default::default()
            },
        )
        .unwrap()
        .id;
    shop.app.open_shift(&cashier, Money::ZERO).unwrap();
    let mut r = request(
        "n1",
        p,
        Quantity::units(2),
        vec![
            TenderInput {
                method: PaymentMethod::Nasiya,
                amount: Money::from_major(30_000),
                channel: None,
            },
            TenderInput {
                method: PaymentMethod::Cash,
                amount: Money::from_major(6_000),
                channel: None,
            },
        ],
    );
    r.client_id = Some(client);
    r.due_date = Some(NaiveDate::from_ymd_opt(2026, 12, 10).unwrap());
    let sale = shop.app.sell(&cashier, &r).unwrap().sale_id;
    assert_eq!(
        shop.app.client(&cashier, client).unwrap().balance,
        Money::from_major(-30_000).0
    );

    refused(&mut shop, "may not", |s| {
        s.app.refund_sale(&cashier, sale, "")
    });
    // 6 000 of it was cash: it comes out of the refunder's drawer, so they need a shift.
    refused(&mut shop, "open your shift first", |s| {
        s.app.refund_sale(&manager, sale, "wrong rice")
    });
    shop.app
        .open_shift(&manager, Money::from_major(10_000))
        .unwrap();
    shop.app.refund_sale(&manager, sale, "wrong rice").unwrap();
    let x = shop.app.x_report(&manager).unwrap();
    assert_eq!(x.cash_refunds, Money::from_major(6_000).0);
    assert_eq!(x.refunds_count, 1);
    assert_eq!(x.expected_cash, Money::from_major(4_000).0);
    let c = shop.app.client(&manager, client).unwrap();
    assert_eq!(c.balance, 0);
    assert_eq!(c.due_date, None);
    assert_eq!(
        shop.app.product(&manager, p).unwrap().stock,
        Quantity::units(10).0
    );
    refused(&mut shop, "already refunded", |s| {
        s.app.refund_sale(&manager, sale, "")
    });
    refused(&mut shop, "no sale with id 4242", |s| {
        s.app.refund_sale(&manager, 4242, "")
    });
}

#[test]
fn bad_catalog_customer_and_money_input_changes_nothing() {
    let mut shop = shop();
    let (admin, manager, cashier) = (
        shop.admin.clone(),
        shop.manager.clone(),
        shop.cashier.clone(),
    );
    let p = stocked(
        &mut shop.app,
        &manager,
        product_input("Non", 4_000, 3_000, "4006381333931"),
        Quantity::units(5),
    );

    // A wrong check digit is the shop's own internal code, not a refusal (labelled Code 128).
    let internal = shop
        .app
        .create_product(&manager, &product_input("X", 1, 1, "4006381333932"))
        .unwrap();
    assert_eq!(internal.barcodes, vec!["4006381333932".to_string()]);
    refused(&mut shop, "not a barcode", |s| {
        s.app
            .create_product(&manager, &product_input("X", 1, 1, "47;80"))
    });
    refused(&mut shop, "already belongs", |s| {
        s.app
            .create_product(&manager, &product_input("X", 1, 1, "4006381333931"))
    });
    refused(&mut shop, "name: must not be empty", |s| {
        s.app
            .create_product(&manager, &product_input("   ", 1, 1, ""))
    });
    refused(&mut shop, "sale_price", |s| {
        let mut i = product_input("X", 1, 1, "");
        i.sale_price = Money(-1);
        s.app.create_product(&manager, &i)
    });
    refused(&mut shop, "no category with id 5", |s| {
        let mut i = product_input("X", 1, 1, "");
        i.category_id = Some(5);
        s.app.create_product(&manager, &i)
    });
    refused(&mut shop, "no product has the barcode 96385074", |s| {
        s.app.product_by_barcode(&cashier, "96385074")
    });
    refused(&mut shop, "not a barcode", |s| {
        s.app.product_by_barcode(&cashier, "12")
    });
    refused(&mut shop, "not enough", |s| {
        s.app
            .adjust_stock(&manager, p, Quantity::units(-6), "count")
    });
    refused(&mut shop, "reason", |s| {
        s.app.adjust_stock(&manager, p, Quantity::units(-1), " ")
    });

    refused(&mut shop, "not a phone number", |s| {
        s.app.create_client(
            &cashier,
            &ClientInput {
                full_name: "A".into(),
                phone: "12345".into(),
                ..Default::default()
            },
        )
    });
    shop.app
        .create_client(
            &cashier,
            &ClientInput {
                full_name: "A".into(),
                phone: "+998 90 123-45-67".into(),
                ..Default::default()
            },
        )
        .unwrap();
    refused(&mut shop, "already registered", |s| {
        s.app.create_client(
            &cashier,
            &ClientInput {
                full_name: "B".into(),
                phone: "90 123 45 67".into(),
                ..Default::default()
            },
        )
    });
    let debtor = shop
        .app
        .create_client(
            &cashier,
            &ClientInput {
                full_name: "C".into(),
                ..Default::default()
            },
        )
        .unwrap()
        .id;
    shop.app
        .adjust_client_balance(&manager, debtor, Money::from_major(-1_000), "old debt")
        .unwrap();
    refused(&mut shop, "still has a balance", |s| {
        s.app.delete_client(&admin, debtor)
    });
    refused(&mut shop, "greater than zero", |s| {
        s.app
            .take_debt_payment(&cashier, debtor, Money::ZERO, PaymentMethod::Cash, "")
    });
    refused(&mut shop, "cash or by card", |s| {
        s.app
            .take_debt_payment(&cashier, debtor, Money(100), PaymentMethod::Nasiya, "")
    });
    refused(&mut shop, "no customer with id 999", |s| {
        s.app
            .take_debt_payment(&cashier, 999, Money(100), PaymentMethod::Cash, "")
    });

    refused(&mut shop, "unknown time zone", |s| {
        s.app.set_setting(&admin, "timezone", "Mars/Olympus")
    });
    refused(&mut shop, "between 0 and", |s| {
        s.app.open_shift(&cashier, Money(-1))
    });
    refused(&mut shop, "no expense category", |s| {
        s.app.add_expense(
            &cashier,
            42,
            Money(100),
            NaiveDate::from_ymd_opt(2026, 11, 24).unwrap(),
            "",
        )
    });
    refused(&mut shop, "end is before", |s| {
        let d = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
        s.app.statistics(
            &cashier,
            kassa::app::Period {
                from: d,
                to: d.pred_opt().unwrap(),
            },
            5,
        )
    });
}

//! Selling beyond the recorded stock: refused by default (nothing written); with
//! `stock.allow_negative = yes` the sale goes through, says which products went below zero,
//! is audited, and the Stock tab's list shows what to count; `kassa check` accepts negative
//! stock only while the setting allows it.

mod common;

use common::{one_unit, product_input, stocked};
use kassa::app::{AppError, setting_keys};
use kassa::domain::{Money, PaymentMethod, Quantity};

#[test]
fn selling_beyond_stock_only_when_the_admin_allows_it() {
    let mut shop = common::shop();
    let (admin, manager, cashier) = (
        shop.admin.clone(),
        shop.manager.clone(),
        shop.cashier.clone(),
    );
    let non = stocked(
        &mut shop.app,
        &manager,
        product_input("Non", 4_000, 3_000, ""),
        Quantity::units(1),
    );
    shop.app.open_shift(&cashier, Money::ZERO).unwrap();
    let sell = |shop: &mut common::Shop, key: &str| {
        let mut req = one_unit(
            key,
            non,
            PaymentMethod::Cash,
            Money::from_major(8_000),
            None,
        );
        req.lines[0].quantity = Quantity::units(2);
        shop.app.sell(&cashier, &req)
    };

    let before = common::fingerprint(&mut shop.app);
    assert!(matches!(
        sell(&mut shop, "a"),
        Err(AppError::InsufficientStock { .. })
    ));
    assert_eq!(common::fingerprint(&mut shop.app), before);

    assert!(
        shop.app
            .set_setting(&admin, setting_keys::ALLOW_NEGATIVE_STOCK, "maybe")
            .is_err()
    );
    shop.app
        .set_setting(&admin, setting_keys::ALLOW_NEGATIVE_STOCK, "yes")
        .unwrap();
    let r = sell(&mut shop, "b").unwrap();
    assert_eq!(r.went_negative, vec!["Non".to_string()]);
    let negative = shop.app.negative_stock(&manager).unwrap();
    assert_eq!(negative.len(), 1);
    assert_eq!(negative[0].stock, -1_000);
    assert_eq!(
        common::scalar(
            &mut shop.app,
            "SELECT COUNT(*) AS n FROM audit_logs WHERE action = 'sale.negative_stock'"
        ),
        1
    );
    assert!(shop.app.check().unwrap().is_empty());

    // Turned off again: the next such sale is refused, and the check names the product.
    shop.app
        .set_setting(&admin, setting_keys::ALLOW_NEGATIVE_STOCK, "no")
        .unwrap();
    assert!(matches!(
        sell(&mut shop, "c"),
        Err(AppError::InsufficientStock { .. })
    ));
    let problems = shop.app.check().unwrap();
    assert!(
        problems
            .iter()
            .any(|(name, rows)| name.starts_with("no negative stock")
                && rows.iter().any(|r| r.contains("Non"))),
        "{problems:?}"
    );
}

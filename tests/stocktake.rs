//! A stocktake: counted by scans (+1 each) and typed quantities (weighed goods by weight)
//! from two sessions; a sale made during the count is not a shortage (expected stock is taken
//! at each product's first count); applying adjusts by (counted − expected) in one batch with
//! its reason and one audit row; a count limited to a category refuses other products.

mod common;

use common::{one_unit, product_input, stocked};
use kassa::domain::{Money, PaymentMethod, Quantity};

#[test]
fn a_count_from_two_sessions_is_applied_as_one_batch() {
    let mut shop = common::shop();
    let (admin, manager, cashier) = (
        shop.admin.clone(),
        shop.manager.clone(),
        shop.cashier.clone(),
    );
    let milk = stocked(
        &mut shop.app,
        &manager,
        product_input("Sut", 12_000, 9_000, "4780000000014"),
        Quantity::units(10),
    );
    let rice = common::weighed("Guruch", 16_000, 12_000, "2000017000008");
    let rice = stocked(&mut shop.app, &manager, rice, Quantity::units(5));

    let id = shop.app.start_stocktake(&manager, &[]).unwrap();
    assert!(
        shop.app.start_stocktake(&admin, &[]).is_err(),
        "one open count"
    );
    // Manager scans three, the admin (another session) types four.
    for _ in 0..3 {
        shop.app
            .count_stock(&manager, id, "4780000000014", None)
            .unwrap();
    }
    let line = shop
        .app
        .count_stock(&admin, id, "4780000000014", Some(Quantity::units(4)))
        .unwrap();
    assert_eq!(
        (line.expected, line.counted, line.difference()),
        (10_000, 7_000, -3_000)
    );
    assert_eq!(line.value(), -2_700_000, "3 at 9 000 so'm");
    // Weighed goods need their weight.
    assert!(
        shop.app
            .count_stock(&manager, id, "2000017000008", None)
            .is_err()
    );
    shop.app
        .count_stock(&manager, id, "2000017000008", Some(Quantity(4_500)))
        .unwrap();
    // A sale during the count.
    shop.app.open_shift(&cashier, Money::ZERO).unwrap();
    shop.app
        .sell(
            &cashier,
            &one_unit(
                "s",
                milk,
                PaymentMethod::Cash,
                Money::from_major(12_000),
                None,
            ),
        )
        .unwrap();
    // Nothing changes until applied; a reason is required.
    assert!(shop.app.apply_stocktake(&manager, id, " ").is_err());
    let open = shop.app.open_stocktake(&manager).unwrap().unwrap();
    assert_eq!(open.lines.len(), 2);
    let lines = shop.app.apply_stocktake(&manager, id, "oy oxiri").unwrap();
    assert_eq!(lines.len(), 2);
    let stock = |shop: &mut common::Shop, id: i32| {
        let m = shop.manager.clone();
        shop.app.product(&m, id).unwrap().stock
    };
    assert_eq!(stock(&mut shop, milk), 6_000, "10 − 1 sold − 3 missing");
    assert_eq!(stock(&mut shop, rice), 4_500);
    assert_eq!(
        common::scalar(
            &mut shop.app,
            "SELECT COUNT(*) AS n FROM stock_movements WHERE reason = 'stocktake #1: oy oxiri'"
        ),
        2
    );
    assert_eq!(
        common::scalar(
            &mut shop.app,
            "SELECT COUNT(*) AS n FROM audit_logs WHERE action = 'stocktake.apply'"
        ),
        1
    );
    assert!(shop.app.open_stocktake(&manager).unwrap().is_none());
    assert!(
        shop.app
            .count_stock(&manager, id, "4780000000014", None)
            .is_err()
    );
    assert!(shop.app.check().unwrap().is_empty());
    // A cashier may not count.
    assert!(shop.app.start_stocktake(&cashier, &[]).is_err());

    // A count of one category refuses products outside it.
    let dairy = shop
        .app
        .create_category(&admin, "Sut mahsulotlari")
        .unwrap()
        .id;
    let id = shop.app.start_stocktake(&manager, &[dairy]).unwrap();
    let err = shop
        .app
        .count_stock(&manager, id, "4780000000014", None)
        .unwrap_err();
    assert!(err.to_string().contains("not in the categories"), "{err}");
}

/// A miscount is corrected to what was actually counted (also to none), audited with the
/// count before; a product not yet counted, a piece count with a fraction and a closed count
/// are refused and change nothing.
#[test]
fn a_miscount_is_corrected() {
    let mut shop = common::shop();
    let manager = shop.manager.clone();
    let milk = stocked(
        &mut shop.app,
        &manager,
        product_input("Sut", 12_000, 9_000, "4780000000014"),
        Quantity::units(10),
    );
    let bread = stocked(
        &mut shop.app,
        &manager,
        product_input("Non", 4_000, 3_000, "4780000000021"),
        Quantity::units(5),
    );
    let id = shop.app.start_stocktake(&manager, &[]).unwrap();
    shop.app
        .count_stock(&manager, id, "4780000000014", Some(Quantity::units(12)))
        .unwrap();
    let before = common::fingerprint(&mut shop.app);
    assert!(
        shop.app
            .correct_count(&manager, id, bread, Quantity::units(1))
            .is_err()
    );
    assert!(
        shop.app
            .correct_count(&manager, id, milk, Quantity(1_500))
            .is_err()
    );
    assert!(
        shop.app
            .correct_count(&shop.cashier.clone(), id, milk, Quantity::units(9))
            .is_err()
    );
    assert_eq!(before, common::fingerprint(&mut shop.app));

    let line = shop
        .app
        .correct_count(&manager, id, milk, Quantity::units(9))
        .unwrap();
    assert_eq!((line.expected, line.counted), (10_000, 9_000));
    // Scans after the correction add to it.
    let line = shop
        .app
        .count_stock(&manager, id, "4780000000014", None)
        .unwrap();
    assert_eq!(line.counted, 10_000);
    shop.app
        .correct_count(&manager, id, milk, Quantity(0))
        .unwrap();
    assert_eq!(
        common::scalar(
            &mut shop.app,
            "SELECT COUNT(*) AS n FROM audit_logs WHERE action = 'stocktake.correct'"
        ),
        2
    );
    shop.app
        .apply_stocktake(&manager, id, "qayta sanash")
        .unwrap();
    assert_eq!(shop.app.product(&manager, milk).unwrap().stock, 0);
    assert!(
        shop.app
            .correct_count(&manager, id, milk, Quantity::units(1))
            .is_err(),
        "closed"
    );
}

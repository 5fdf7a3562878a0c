//! Quick-pick keys through `app`: who may arrange them, what is refused (and changes
//! nothing), what is audited, and a key of an archived product leaving the till.

mod common;

use kassa::app::{AppError, DeleteOutcome};
use kassa::store::db::prelude::*;
use kassa::store::schema::audit_logs;

#[test]
fn quick_keys_are_arranged_by_managers_checked_and_audited() {
    let mut s = common::shop();
    let bread = s
        .app
        .create_product(
            &s.admin,
            &common::product_input("Non", 4_000, 3_000, "4006381333931"),
        )
        .unwrap();
    let milk = s
        .app
        .create_product(
            &s.admin,
            &common::product_input("Sut", 11_000, 9_000, "96385074"),
        )
        .unwrap();

    // Refusals change nothing.
    for (page, position) in [(0, 1), (10, 1), (1, 0), (1, 13)] {
        let e = s
            .app
            .set_quick_key(&s.manager, page, position, Some((bread.id, "")))
            .unwrap_err();
        assert!(
            matches!(e, AppError::Invalid { .. }),
            "{page}/{position}: {e:?}"
        );
    }
    assert!(matches!(
        s.app.set_quick_key(&s.cashier, 1, 1, Some((bread.id, ""))),
        Err(AppError::Forbidden { .. })
    ));
    assert!(
        s.app
            .set_quick_key(&s.manager, 1, 1, Some((99_999, "")))
            .is_err()
    );
    let long = "x".repeat(41);
    assert!(
        s.app
            .set_quick_key(&s.manager, 1, 1, Some((bread.id, &long)))
            .is_err()
    );
    assert!(s.app.quick_keys(&s.cashier).unwrap().is_empty());

    // Put up, replaced, read by a cashier in page order.
    s.app
        .set_quick_key(&s.manager, 2, 1, Some((milk.id, "")))
        .unwrap();
    s.app
        .set_quick_key(&s.manager, 1, 5, Some((milk.id, "Sut")))
        .unwrap();
    s.app
        .set_quick_key(&s.manager, 1, 5, Some((bread.id, "Non")))
        .unwrap();
    let keys = s.app.quick_keys(&s.cashier).unwrap();
    let seen: Vec<_> = keys
        .iter()
        .map(|k| (k.page, k.position, k.product_id, k.text().to_string()))
        .collect();
    assert_eq!(
        seen,
        vec![
            (1, 5, bread.id, "Non".to_string()),
            (2, 1, milk.id, "Sut".to_string())
        ]
    );
    // The replacement is audited with what the key held before.
    let conn = s.app.connection();
    let last: (Option<String>, Option<String>) = audit_logs::table
        .filter(audit_logs::action.eq("quick_key.set"))
        .order(audit_logs::id.desc())
        .select((audit_logs::before_json, audit_logs::after_json))
        .first(conn)
        .unwrap();
    assert!(
        last.0
            .unwrap()
            .contains(&format!("\"product_id\":{}", milk.id))
    );
    assert!(
        last.1
            .unwrap()
            .contains(&format!("\"product_id\":{}", bread.id))
    );

    // Deleting a product on a key takes its key away; bread, once sold-through stock was
    // adjusted, is archived instead, and its key goes too. Neither can be put on a key again.
    assert_eq!(
        s.app.delete_product(&s.manager, milk.id).unwrap(),
        DeleteOutcome::Deleted
    );
    s.app
        .adjust_stock(
            &s.admin,
            bread.id,
            kassa::domain::Quantity::units(3),
            "count",
        )
        .unwrap();
    s.app
        .set_quick_key(&s.manager, 1, 6, Some((bread.id, "")))
        .unwrap();
    assert_eq!(
        s.app.delete_product(&s.manager, bread.id).unwrap(),
        DeleteOutcome::Archived
    );
    assert!(s.app.quick_keys(&s.cashier).unwrap().is_empty());
    for id in [milk.id, bread.id] {
        assert!(
            s.app
                .set_quick_key(&s.manager, 3, 1, Some((id, "")))
                .is_err()
        );
    }
    // Clearing an empty key is harmless.
    s.app.set_quick_key(&s.manager, 1, 5, None).unwrap();
}

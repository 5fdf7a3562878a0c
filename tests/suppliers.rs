//! Suppliers as records: free-text suppliers of an older database become records, supplies
//! paid in full, in part or later, payments from the drawer (seen by the X and Z reports)
//! or by bank, refusals that change nothing, the statement, both reports, and the audit.

mod common;

use common::{PASSWORD, fingerprint, product_input, shop};
use diesel_migrations::MigrationHarness;
use kassa::app::{
    App, AppError, Options, PayFrom, Period, ReportKind, Session, SupplierInput,
    SupplierPaymentInput, SupplyInput, SupplyLineInput, SupplyPayment,
};
use kassa::domain::{Money, Quantity};
use kassa::i18n::Lang;
use kassa::store::db::prelude::*;

fn supply(
    app: &mut App,
    who: &Session,
    supplier_id: i32,
    product: i32,
    units: i64,
    cost_som: i64,
    paid: Option<(i64, PayFrom)>,
) -> Result<i32, AppError> {
    app.receive_supply(
        who,
        &SupplyInput {
            supplier_id,
            notes: String::new(),
            lines: vec![SupplyLineInput {
                product_id: product,
                quantity: Quantity::units(units),
                unit_cost: Money::from_major(cost_som),
            }],
            payment: paid.map(|(som, from)| SupplyPayment {
                amount: Money::from_major(som),
                from,
            }),
        },
    )
}

fn pay(
    app: &mut App,
    who: &Session,
    supplier_id: i32,
    som: i64,
    from: PayFrom,
) -> Result<(), AppError> {
    app.pay_supplier(
        who,
        &SupplierPaymentInput {
            supplier_id,
            amount: Money::from_major(som),
            from,
            note: String::new(),
        },
    )
    .map(drop)
}

fn owed(app: &mut App, who: &Session, id: i32) -> i64 {
    app.supplier(who, id).unwrap().owed
}

#[test]
fn supplies_paid_in_part_then_from_the_drawer_and_by_bank() {
    let mut shop = shop();
    let m = shop.manager.clone();
    let app = &mut shop.app;
    let product = common::stocked(
        app,
        &m,
        product_input("Un 1 kg", 9_000, 7_000, ""),
        Quantity::units(1),
    );
    let baza = app
        .create_supplier(
            &m,
            &SupplierInput {
                name: "Baza Chorsu".into(),
                phone: "90 111 22 33".into(),
                tin: "301234567".into(),
                address: "Toshkent".into(),
                notes: String::new(),
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(baza.phone, "998901112233", "the phone is kept normalised");

    // Names are unique whatever the case; a bad TIN or phone is refused.
    let before = fingerprint(app);
    for bad in [
        SupplierInput {
            name: "baza chorsu".into(),
            ..Default::default()
        },
        SupplierInput {
            name: "X".into(),
            tin: "12345".into(),
            ..Default::default()
        },
        SupplierInput {
            name: "X".into(),
            phone: "12".into(),
            ..Default::default()
        },
        SupplierInput {
            name: "  ".into(),
            ..Default::default()
        },
        // Another supplier's taxpayer number.
        SupplierInput {
            name: "Boshqa baza".into(),
            tin: "301 234 567".into(),
            ..Default::default()
        },
    ] {
        assert!(app.create_supplier(&m, &bad).is_err(), "{bad:?}");
    }
    assert_eq!(before, fingerprint(app));

    // 100 × 7 000 = 700 000 received, 200 000 paid by bank at once.
    let s1 = supply(
        app,
        &m,
        baza.id,
        product,
        100,
        7_000,
        Some((200_000, PayFrom::Bank)),
    )
    .unwrap();
    assert_eq!(owed(app, &m, baza.id), Money::from_major(500_000).0);
    // Paying more than the supply at once is refused, and so is the whole supply.
    let before = fingerprint(app);
    let err = supply(
        app,
        &m,
        baza.id,
        product,
        1,
        7_000,
        Some((600_000, PayFrom::Bank)),
    )
    .unwrap_err();
    assert!(
        matches!(err, AppError::SupplierOverpaid { owed } if owed == Money::from_major(507_000)),
        "{err:?}"
    );
    assert_eq!(
        before,
        fingerprint(app),
        "nothing of the refused supply stays"
    );

    // Cash needs the payer's open shift and enough in the drawer.
    assert!(matches!(
        pay(app, &m, baza.id, 100_000, PayFrom::Drawer),
        Err(AppError::PayoutNeedsShift)
    ));
    app.open_shift(&m, Money::from_major(150_000)).unwrap();
    let before = fingerprint(app);
    let err = pay(app, &m, baza.id, 200_000, PayFrom::Drawer).unwrap_err();
    assert!(
        matches!(err, AppError::DrawerShort { available } if available == Money::from_major(150_000)),
        "{err:?}"
    );
    assert!(matches!(
        pay(app, &m, baza.id, 0, PayFrom::Bank),
        Err(AppError::Payment(_))
    ));
    assert!(matches!(
        pay(app, &m, baza.id, 500_001, PayFrom::Bank),
        Err(AppError::SupplierOverpaid { .. })
    ));
    assert_eq!(before, fingerprint(app), "refused payments change nothing");

    // Later in the day (the statement is in the order things happened).
    common::freeze(app, "2026-11-24T09:00:00Z");
    pay(app, &m, baza.id, 120_000, PayFrom::Drawer).unwrap();
    let x = app.x_report(&m).unwrap();
    assert_eq!(x.cash_to_suppliers, Money::from_major(120_000).0);
    assert_eq!(x.expected_cash, Money::from_major(30_000).0);
    // The X paper says so.
    let figures = kassa::app::document::shift_figures(&x);
    assert!(
        figures
            .iter()
            .any(|f| f.label == kassa::i18n::T::CashToSuppliers)
    );
    assert_eq!(owed(app, &m, baza.id), Money::from_major(380_000).0);

    // Still owed: not archived. Paid off by bank: archived, and no new supplies then.
    assert!(matches!(
        app.set_supplier_archived(&m, baza.id, true),
        Err(AppError::SupplierOwed(o)) if o == Money::from_major(380_000)
    ));
    common::freeze(app, "2026-11-24T10:00:00Z");
    pay(app, &m, baza.id, 380_000, PayFrom::Bank).unwrap();
    assert_eq!(owed(app, &m, baza.id), 0);
    app.set_supplier_archived(&m, baza.id, true).unwrap();
    assert!(
        !app.suppliers(&m, false)
            .unwrap()
            .iter()
            .any(|s| s.supplier.id == baza.id),
        "archived: not offered"
    );
    assert!(
        app.suppliers(&m, true)
            .unwrap()
            .iter()
            .any(|s| s.supplier.id == baza.id)
    );
    assert!(matches!(
        supply(app, &m, baza.id, product, 1, 7_000, None),
        Err(AppError::SupplierArchived(_))
    ));
    app.set_supplier_archived(&m, baza.id, false).unwrap();
    // Received later, not paid: owed in full.
    common::freeze(app, "2026-11-24T11:00:00Z");
    supply(app, &m, baza.id, product, 10, 7_500, None).unwrap();

    // The Z report keeps the cash paid out; the counted drawer matches.
    let z = app.close_shift(&m, Money::from_major(30_000), "").unwrap();
    assert_eq!(z.cash_to_suppliers, Money::from_major(120_000).0);
    assert_eq!(z.shift.difference, Some(0));

    // The statement: supply, bank, cash, bank, supply, with the balance after each.
    let st = app.supplier_statement(&m, baza.id).unwrap();
    let got: Vec<_> = st
        .iter()
        .map(|l| {
            (
                l.supply_id,
                l.method.as_deref(),
                l.purchased,
                l.paid,
                l.balance,
            )
        })
        .collect();
    let som = |s: i64| Money::from_major(s).0;
    assert_eq!(got[0], (Some(s1), None, som(700_000), 0, som(700_000)));
    assert_eq!(
        got[1],
        (Some(s1), Some("bank"), 0, som(200_000), som(500_000))
    );
    assert_eq!(got[2], (None, Some("cash"), 0, som(120_000), som(380_000)));
    assert_eq!(got[3], (None, Some("bank"), 0, som(380_000), 0));
    assert_eq!(got[4].2, som(75_000));
    assert_eq!(got[4].4, som(75_000));
    assert_eq!(got.len(), 5);

    // The reports: purchases by supplier in the period, and what is owed now.
    let today = Period::day(chrono::NaiveDate::from_ymd_opt(2026, 11, 24).unwrap());
    let a = shop.admin.clone();
    let r = app
        .report(&a, ReportKind::PurchasesBySupplier, today, Lang::En)
        .unwrap();
    let row = r
        .rows
        .iter()
        .find(|r| r[0] == kassa::app::Cell::Text("Baza Chorsu".into()))
        .unwrap();
    assert_eq!(row[1], kassa::app::Cell::Int(2));
    assert_eq!(row[2], kassa::app::Cell::Money(som(775_000)));
    assert_eq!(row[3], kassa::app::Cell::Money(0), "nothing returned");
    assert_eq!(row[4], kassa::app::Cell::Money(som(700_000)));
    assert_eq!(row[5], kassa::app::Cell::Money(som(75_000)));
    let d = app
        .report(&a, ReportKind::SupplierDebts, today, Lang::En)
        .unwrap();
    let row = d
        .rows
        .iter()
        .find(|r| r[0] == kassa::app::Cell::Text("Baza Chorsu".into()))
        .unwrap();
    assert_eq!(row[6], kassa::app::Cell::Money(som(75_000)));
    assert_eq!(
        d.total.as_ref().unwrap()[6],
        kassa::app::Cell::Money(som(75_000 + 7_000)),
        "with the opening stock's supplier, not paid"
    );
    // Another day has no purchases, the debt stays.
    let later = Period::day(chrono::NaiveDate::from_ymd_opt(2026, 12, 24).unwrap());
    assert!(
        app.report(&a, ReportKind::PurchasesBySupplier, later, Lang::En)
            .unwrap()
            .rows
            .is_empty()
    );

    // Every change is in the audit log.
    let actions: Vec<String> = app
        .audit_log(&a, &Default::default())
        .unwrap()
        .into_iter()
        .map(|r| r.action)
        .collect();
    for a in [
        "supplier.create",
        "supplier.pay",
        "supplier.archive",
        "supplier.restore",
        "supply.receive",
    ] {
        assert!(actions.iter().any(|x| x == a), "{a} audited");
    }
    assert_eq!(actions.iter().filter(|x| *x == "supplier.pay").count(), 3);
}

#[test]
fn a_cashier_may_not_see_or_pay_suppliers() {
    let mut shop = shop();
    let m = shop.manager.clone();
    let c = shop.cashier.clone();
    let s = common::supplier(&mut shop.app, &m, "Sut zavodi");
    let before = fingerprint(&mut shop.app);
    assert!(matches!(
        shop.app.suppliers(&c, false),
        Err(AppError::Forbidden { .. })
    ));
    assert!(matches!(
        shop.app.supplier_statement(&c, s),
        Err(AppError::Forbidden { .. })
    ));
    assert!(matches!(
        shop.app.create_supplier(
            &c,
            &SupplierInput {
                name: "X".into(),
                ..Default::default()
            }
        ),
        Err(AppError::Forbidden { .. })
    ));
    assert!(matches!(
        pay(&mut shop.app, &c, s, 1, PayFrom::Bank),
        Err(AppError::Forbidden { .. })
    ));
    assert!(matches!(
        shop.app.set_supplier_archived(&c, s, true),
        Err(AppError::Forbidden { .. })
    ));
    assert_eq!(before, fingerprint(&mut shop.app));
}

#[test]
fn free_text_suppliers_of_an_older_database_become_records() {
    if common::file_only() {
        return;
    }
    let (dir, mut app) = common::fresh();
    let admin = common::admin(&mut app);
    let _ = admin;
    drop(app);
    let path = common::db_path(&dir);
    // Back to the schema before suppliers, with supplies as the older program wrote them.
    let mut conn = SqliteConnection::establish(path.to_str().unwrap()).unwrap();
    // Every migration from suppliers (22) on is undone.
    loop {
        let applied = conn.applied_migrations().unwrap();
        let latest = applied.iter().map(|v| v.to_string()).max().unwrap();
        if latest.as_str() < "20261202000022" {
            break;
        }
        conn.revert_last_migration(kassa::store::MIGRATIONS)
            .unwrap();
    }
    for (supplier, notes, cost) in [
        ("Baza Chorsu", "", 300_000),
        ("  Baza Chorsu ", "", 150_000),
        ("Non zavodi", "", 90_000),
        ("narxlar.xlsx", "import narxlar.xlsx", 40_000),
    ] {
        diesel::sql_query(
            "INSERT INTO supplies (supplier, employee_id, total_cost, notes, created_at)
             VALUES (?, 1, ?, ?, '2026-11-20 09:00:00')",
        )
        .bind::<diesel::sql_types::Text, _>(supplier)
        .bind::<diesel::sql_types::BigInt, _>(cost * 100)
        .bind::<diesel::sql_types::Text, _>(notes)
        .execute(&mut conn)
        .unwrap();
    }
    drop(conn);

    let mut app = App::open_existing(&path, Options { bcrypt_cost: 4 }).unwrap();
    let admin = app.login("admin", PASSWORD).unwrap();
    let list = app.suppliers(&admin, true).unwrap();
    let names: Vec<&str> = list.iter().map(|s| s.supplier.name.as_str()).collect();
    assert_eq!(
        names,
        ["Baza Chorsu", "Non zavodi"],
        "one record per name; the import file is none"
    );
    let baza = &list[0];
    assert_eq!(baza.purchased, Money::from_major(450_000).0);
    assert_eq!(baza.owed, 0, "earlier supplies count as paid");
    let st = app.supplier_statement(&admin, baza.supplier.id).unwrap();
    assert_eq!(st.len(), 4);
    assert!(
        st.iter()
            .filter(|l| l.method.is_some())
            .all(|l| l.method.as_deref() == Some("settled"))
    );
    assert!(
        app.report(
            &admin,
            ReportKind::SupplierDebts,
            Period::day(chrono::NaiveDate::from_ymd_opt(2026, 11, 24).unwrap()),
            Lang::Uz
        )
        .unwrap()
        .rows
        .is_empty()
    );
    // The database still checks clean.
    assert_eq!(app.check().unwrap(), Vec::<(String, Vec<String>)>::new());
}

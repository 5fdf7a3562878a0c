//! What a real supplier relationship needs beside supplies and payments: an opening balance,
//! returns to the supplier (stock out, debt down, even below zero), purchase orders received
//! with their difference, and the statement written to Excel and PDF (read back by calamine
//! and poppler's `pdftotext`) and by `kassa report supplier-statement`. Refusals change
//! nothing; `kassa check` stays clean.

mod common;

use common::{fingerprint, product_input, shop};
use kassa::app::{
    AppError, Cell, OrderLineInput, PayFrom, PurchaseOrderInput, ReturnLineInput, StatementWhat,
    SupplierInput, SupplierPaymentInput, SupplierReturnInput, SupplyInput, SupplyLineInput,
};
use kassa::domain::{Money, Quantity};
use kassa::i18n::Lang;
use kassa::store::db::prelude::*;

fn som(s: i64) -> i64 {
    Money::from_major(s).0
}

fn line(product_id: i32, units: i64, cost_som: i64) -> SupplyLineInput {
    SupplyLineInput {
        product_id,
        quantity: Quantity::units(units),
        unit_cost: Money::from_major(cost_som),
    }
}

fn back(product_id: i32, units: i64, cost_som: i64) -> ReturnLineInput {
    ReturnLineInput {
        product_id,
        quantity: Quantity::units(units),
        unit_cost: Money::from_major(cost_som),
    }
}

#[test]
fn an_opening_balance_and_returns_move_the_debt_and_the_stock() {
    let mut shop = shop();
    let (m, c) = (shop.manager.clone(), shop.cashier.clone());
    let app = &mut shop.app;
    let sut = app
        .create_product(
            &m,
            &product_input("Sut 1 l", 14_000, 10_000, "4780000000013"),
        )
        .unwrap()
        .id;
    let baza = app
        .create_supplier(
            &m,
            &SupplierInput {
                name: "Baza Chorsu".into(),
                opening_balance: Money::from_major(500_000),
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(baza.opening_balance, som(500_000));
    assert_eq!(app.supplier(&m, baza.id).unwrap().owed, som(500_000));
    let bad = SupplierInput {
        name: "Minus".into(),
        opening_balance: Money(-1),
        ..Default::default()
    };
    assert!(matches!(
        app.create_supplier(&m, &bad),
        Err(AppError::Invalid {
            field: "opening_balance",
            ..
        })
    ));

    app.receive_supply(
        &m,
        &SupplyInput {
            supplier_id: baza.id,
            notes: String::new(),
            lines: vec![line(sut, 10, 10_000)],
            payment: None,
        },
    )
    .unwrap();
    app.pay_supplier(
        &m,
        &SupplierPaymentInput {
            supplier_id: baza.id,
            amount: Money::from_major(550_000),
            from: PayFrom::Bank,
            note: String::new(),
        },
    )
    .unwrap();
    assert_eq!(app.supplier(&m, baza.id).unwrap().owed, som(50_000));

    // Three go back, expired: stock 7, owed 20 000.
    let ret = |units: i64| SupplierReturnInput {
        supplier_id: baza.id,
        lines: vec![back(sut, units, 10_000)],
        reason: "Muddati oʻtgan".into(),
    };
    let r1 = app.return_to_supplier(&m, &ret(3)).unwrap();
    assert_eq!(app.product(&m, sut).unwrap().stock, Quantity::units(7).0);
    let v = app.supplier(&m, baza.id).unwrap();
    assert_eq!((v.returned, v.owed), (som(30_000), som(20_000)));
    let moves = app.stock_movements(&m, sut, 10).unwrap();
    let mv = moves.iter().find(|x| x.kind == "supplier_return").unwrap();
    assert_eq!(
        (mv.quantity, mv.return_id),
        (-Quantity::units(3).0, Some(r1))
    );

    // Refusals that change nothing: more than in stock (twice on two lines too), no reason,
    // no lines, a cashier.
    let before = fingerprint(app);
    assert!(matches!(
        app.return_to_supplier(&m, &ret(8)),
        Err(AppError::InsufficientStock { .. })
    ));
    let two_lines = SupplierReturnInput {
        lines: vec![back(sut, 4, 10_000), back(sut, 4, 10_000)],
        ..ret(1)
    };
    assert!(matches!(
        app.return_to_supplier(&m, &two_lines),
        Err(AppError::InsufficientStock { .. })
    ));
    let no_reason = SupplierReturnInput {
        reason: "  ".into(),
        ..ret(1)
    };
    assert!(app.return_to_supplier(&m, &no_reason).is_err());
    let no_lines = SupplierReturnInput {
        lines: vec![],
        ..ret(1)
    };
    assert!(app.return_to_supplier(&m, &no_lines).is_err());
    assert!(matches!(
        app.return_to_supplier(&c, &ret(1)),
        Err(AppError::Forbidden { .. })
    ));
    assert_eq!(fingerprint(app), before, "refused returns change nothing");
    let archived = common::supplier(app, &m, "Arxivdagi");
    app.set_supplier_archived(&m, archived, true).unwrap();
    let before = fingerprint(app);
    assert!(matches!(
        app.return_to_supplier(
            &m,
            &SupplierReturnInput {
                supplier_id: archived,
                ..ret(1)
            }
        ),
        Err(AppError::SupplierArchived(_))
    ));
    assert_eq!(fingerprint(app), before, "refused returns change nothing");

    // The rest goes back: the supplier now owes the shop 50 000. A payment is refused, and
    // so is archiving.
    app.return_to_supplier(&m, &ret(7)).unwrap();
    assert_eq!(app.product(&m, sut).unwrap().stock, 0);
    assert_eq!(app.supplier(&m, baza.id).unwrap().owed, -som(50_000));
    assert!(matches!(
        app.pay_supplier(
            &m,
            &SupplierPaymentInput {
                supplier_id: baza.id,
                amount: Money::from_major(1),
                from: PayFrom::Bank,
                note: String::new(),
            },
        ),
        Err(AppError::SupplierOverpaid { .. })
    ));
    assert!(matches!(
        app.set_supplier_archived(&m, baza.id, true),
        Err(AppError::SupplierOwesShop(owes)) if owes == Money::from_major(50_000)
    ));
    assert!(
        kassa::app::error_text(
            Lang::Uz,
            &AppError::SupplierOwesShop(Money::from_major(50_000))
        )
        .contains("50 000 soʻm")
    );

    // The opening balance cannot fall below what was paid beyond the supplies (550 000 paid
    // against 100 000 of supplies).
    let edit = |opening: i64| SupplierInput {
        name: "Baza Chorsu".into(),
        opening_balance: Money::from_major(opening),
        ..Default::default()
    };
    assert!(matches!(
        app.update_supplier(&m, baza.id, &edit(449_999)),
        Err(AppError::OpeningBelowPaid(least)) if least == Money::from_major(450_000)
    ));
    app.update_supplier(&m, baza.id, &edit(450_000)).unwrap();
    assert_eq!(app.supplier(&m, baza.id).unwrap().owed, -som(100_000));
    app.update_supplier(&m, baza.id, &edit(500_000)).unwrap();

    // The statement: opening, supply, payment, two returns, with the balance after each.
    let st = app.supplier_statement(&m, baza.id).unwrap();
    let got: Vec<_> = st
        .iter()
        .map(|l| (l.what, l.purchased, l.paid, l.balance))
        .collect();
    assert_eq!(
        got,
        vec![
            (StatementWhat::Opening, som(500_000), 0, som(500_000)),
            (StatementWhat::Supply, som(100_000), 0, som(600_000)),
            (StatementWhat::Payment, 0, som(550_000), som(50_000)),
            (StatementWhat::Return, 0, som(30_000), som(20_000)),
            (StatementWhat::Return, 0, som(70_000), -som(50_000)),
        ]
    );
    assert_eq!(st[3].describe(Lang::Uz), "Qaytarish №1 — Muddati oʻtgan");

    // The reports: what we owe suppliers shows the opening balance and the returns.
    let today = kassa::app::Period::day(chrono::NaiveDate::from_ymd_opt(2026, 11, 24).unwrap());
    let d = app
        .report(
            &shop.admin,
            kassa::app::ReportKind::SupplierDebts,
            today,
            Lang::En,
        )
        .unwrap();
    let row = d
        .rows
        .iter()
        .find(|r| r[0] == Cell::Text("Baza Chorsu".into()))
        .unwrap();
    assert_eq!(
        row[2..7].to_vec(),
        [500_000, 100_000, 100_000, 550_000, -50_000]
            .map(|s| Cell::Money(som(s)))
            .to_vec()
    );
    let p = app
        .report(
            &shop.admin,
            kassa::app::ReportKind::PurchasesBySupplier,
            today,
            Lang::En,
        )
        .unwrap();
    let row = p
        .rows
        .iter()
        .find(|r| r[0] == Cell::Text("Baza Chorsu".into()))
        .unwrap();
    assert_eq!(row[3], Cell::Money(som(100_000)), "returned in the period");

    // The audit log names the return; the database checks clean.
    use kassa::store::schema::audit_logs;
    let actions: Vec<String> = audit_logs::table
        .select(audit_logs::action)
        .load(app.connection())
        .unwrap();
    assert_eq!(
        actions.iter().filter(|a| *a == "supplier.return").count(),
        2
    );
    assert_eq!(app.check().unwrap(), Vec::<(String, Vec<String>)>::new());
}

#[test]
fn a_purchase_order_is_received_with_what_came_and_keeps_the_difference() {
    let mut shop = shop();
    let (m, c) = (shop.manager.clone(), shop.cashier.clone());
    let app = &mut shop.app;
    let a = app
        .create_product(&m, &product_input("Non", 5_000, 3_000, ""))
        .unwrap()
        .id;
    let b = app
        .create_product(&m, &product_input("Qatiq", 9_000, 6_000, ""))
        .unwrap()
        .id;
    let extra = app
        .create_product(&m, &product_input("Suv", 4_000, 2_000, ""))
        .unwrap()
        .id;
    let baza = common::supplier(app, &m, "Baza");
    let other = common::supplier(app, &m, "Boshqa");
    let order_line = |product_id, units, cost| OrderLineInput {
        product_id,
        quantity: Quantity::units(units),
        unit_cost: Money::from_major(cost),
    };
    let input = PurchaseOrderInput {
        supplier_id: baza,
        lines: vec![
            order_line(a, 10, 3_000),
            order_line(b, 4, 6_000),
            order_line(a, 2, 3_100),
        ],
        note: "Dushanbaga".into(),
    };
    // A cashier may not order; an order moves no stock and no money.
    assert!(matches!(
        app.create_purchase_order(&c, &input),
        Err(AppError::Forbidden { .. })
    ));
    let before = app.supplier(&m, baza).unwrap().owed;
    let id = app.create_purchase_order(&m, &input).unwrap();
    assert_eq!(app.supplier(&m, baza).unwrap().owed, before);
    assert_eq!(app.product(&m, a).unwrap().stock, 0);
    let o = app.purchase_order(&m, id).unwrap();
    assert!(o.is_open());
    assert_eq!(
        o.lines
            .iter()
            .map(|l| (l.product_id, l.ordered))
            .collect::<Vec<_>>(),
        vec![(a, Quantity::units(12).0), (b, Quantity::units(4).0)],
        "the same product twice is one line"
    );
    assert_eq!(o.total_cost, som(12 * 3_000 + 4 * 6_000));
    assert_eq!(
        app.purchase_orders(&m, Some(baza), true, 10).unwrap().len(),
        1
    );

    // Received as another supplier's: refused.
    let mut came = o.as_supply();
    came.supplier_id = other;
    assert!(matches!(
        app.receive_order(&m, id, &came),
        Err(AppError::OrderOfAnotherSupplier(x)) if x == id
    ));
    // What came: 11 bread at 3 100, the sour milk as ordered, 3 water not ordered.
    let mut came = o.as_supply();
    came.lines[0] = line(a, 11, 3_100);
    came.lines.push(line(extra, 3, 2_000));
    let supply = app.receive_order(&m, id, &came).unwrap();
    let o = app.purchase_order(&m, id).unwrap();
    assert_eq!(o.status, "received");
    assert_eq!(o.supply_id, Some(supply));
    assert!(o.has_difference());
    let diff: Vec<_> = o
        .lines
        .iter()
        .map(|l| (l.product_id, l.ordered, l.received, l.difference()))
        .collect();
    let q = |u: i64| Quantity::units(u).0;
    assert_eq!(
        diff,
        vec![
            (a, q(12), q(11), -q(1)),
            (b, q(4), q(4), 0),
            (extra, 0, q(3), q(3)),
        ]
    );
    assert_eq!(o.received_cost, som(11 * 3_100 + 4 * 6_000 + 3 * 2_000));
    assert_eq!(app.product(&m, a).unwrap().stock, q(11));
    assert_eq!(
        app.supplier(&m, baza).unwrap().owed,
        before + o.received_cost,
        "the supply, not the order, is owed"
    );

    // A received order is not received or cancelled again; nothing changes.
    let print = fingerprint(app);
    assert!(matches!(
        app.receive_order(&m, id, &came),
        Err(AppError::OrderNotOpen(x)) if x == id
    ));
    assert!(matches!(
        app.cancel_purchase_order(&m, id),
        Err(AppError::OrderNotOpen(_))
    ));
    assert_eq!(fingerprint(app), print);

    // Another order, cancelled: it cannot be received afterwards.
    let id2 = app
        .create_purchase_order(
            &m,
            &PurchaseOrderInput {
                supplier_id: baza,
                lines: vec![order_line(b, 1, 6_000)],
                note: String::new(),
            },
        )
        .unwrap();
    app.cancel_purchase_order(&m, id2).unwrap();
    let o2 = app.purchase_order(&m, id2).unwrap();
    assert_eq!(o2.status, "cancelled");
    assert!(app.receive_order(&m, id2, &o2.as_supply()).is_err());
    assert!(
        app.purchase_orders(&m, Some(baza), true, 10)
            .unwrap()
            .is_empty()
    );
    let all = app.purchase_orders(&m, None, false, 10).unwrap();
    assert_eq!(
        all.iter().map(|o| o.id).collect::<Vec<_>>(),
        vec![id2, id],
        "newest first"
    );
    assert!(kassa::app::error_text(Lang::Ru, &AppError::OrderNotOpen(7)).contains("Заказ №7"));
    assert_eq!(app.check().unwrap(), Vec::<(String, Vec<String>)>::new());
}

/// The statement in Excel (read back by calamine), in PDF (read back by `pdftotext`) and by
/// `kassa report supplier-statement` as CSV, each with the same figures.
#[test]
fn the_statement_is_written_to_excel_pdf_and_by_the_command_line() {
    use calamine::Reader;
    let mut shop = shop();
    let m = shop.manager.clone();
    let app = &mut shop.app;
    let sut = app
        .create_product(&m, &product_input("Sut 1 l", 14_000, 10_000, ""))
        .unwrap()
        .id;
    let id = app
        .create_supplier(
            &m,
            &SupplierInput {
                name: "Oʻrikzor ulgurji".into(),
                opening_balance: Money::from_major(1_250_000),
                ..Default::default()
            },
        )
        .unwrap()
        .id;
    app.receive_supply(
        &m,
        &SupplyInput {
            supplier_id: id,
            notes: String::new(),
            lines: vec![line(sut, 20, 10_000)],
            payment: Some(kassa::app::SupplyPayment {
                amount: Money::from_major(150_000),
                from: PayFrom::Bank,
            }),
        },
    )
    .unwrap();
    app.return_to_supplier(
        &m,
        &SupplierReturnInput {
            supplier_id: id,
            lines: vec![back(sut, 2, 10_000)],
            reason: "Shikastlangan".into(),
        },
    )
    .unwrap();
    let table = app
        .supplier_statement_report(&m, id, None, Lang::Uz)
        .unwrap();
    assert_eq!(table.rows.len(), 4);
    assert_eq!(
        table.total.as_ref().unwrap()[2..6].to_vec(),
        [1_450_000, 20_000, 150_000, 1_280_000]
            .map(|s| Cell::Money(som(s)))
            .to_vec()
    );
    let dir = tempfile::tempdir().unwrap();
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
    let name = kassa::export::file_name(&table, kassa::export::Format::Xlsx, today);
    assert_eq!(name, "supplier-statement-Oʻrikzor-ulgurji_2026-11-24.xlsx");
    let xlsx = dir.path().join(&name);
    kassa::export::write(&table, kassa::export::Format::Xlsx, Lang::Uz, today, &xlsx).unwrap();
    let mut book = calamine::open_workbook_auto(&xlsx).unwrap();
    let sheet = book.worksheet_range_at(0).unwrap().unwrap();
    let cells: Vec<String> = sheet.cells().map(|(_, _, v)| v.to_string()).collect();
    assert!(
        cells[0].contains("Yetkazib beruvchi bilan hisob-kitob: Oʻrikzor ulgurji"),
        "{cells:?}"
    );
    for want in [
        "Boshlangʻich qarz",
        "Kirim №1",
        "Qaytarish №1 — Shikastlangan",
        "1280000",
    ] {
        assert!(
            cells.iter().any(|c| c.contains(want)),
            "{want} in {cells:?}"
        );
    }
    let pdf = dir.path().join("statement.pdf");
    kassa::export::write(&table, kassa::export::Format::Pdf, Lang::Uz, today, &pdf).unwrap();
    let text = std::process::Command::new("pdftotext")
        .args([pdf.to_str().unwrap(), "-"])
        .output()
        .expect("pdftotext (poppler-utils)");
    let text = String::from_utf8_lossy(&text.stdout);
    for want in ["Oʻrikzor ulgurji", "Qaytarish №1", "1 280 000", "1 250 000"] {
        assert!(text.contains(want), "{want} in {text}");
    }

    // The command line: by name (any case) and by number, the same rows; a report other
    // than the statement refuses --supplier, the statement without it is refused.
    let db = common::db_path(&shop.dir);
    drop(shop.app);
    let kassa = |args: &[&str]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_kassa"))
            .arg("--db")
            .arg(&db)
            .args(args)
            .output()
            .unwrap();
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stdout).to_string(),
            String::from_utf8_lossy(&out.stderr).to_string(),
        )
    };
    let (ok, by_name, err) = kassa(&[
        "report",
        "supplier-statement",
        "--supplier",
        "oʻrikzor ULGURJI",
        "--lang",
        "en",
    ]);
    assert!(ok, "{err}");
    assert_eq!(
        by_name.lines().count(),
        6,
        "header, 4 lines, total: {by_name}"
    );
    assert!(by_name.contains("Return #1 — Shikastlangan"), "{by_name}");
    assert!(by_name.contains("1280000.00"), "{by_name}");
    let (ok, by_id, _) = kassa(&[
        "report",
        "supplier-statement",
        "--supplier",
        &id.to_string(),
        "--lang",
        "en",
    ]);
    assert!(ok);
    assert_eq!(by_id, by_name);
    let (ok, _, err) = kassa(&["report", "supplier-statement"]);
    assert!(!ok && err.contains("--supplier"), "{err}");
    let (ok, _, err) = kassa(&["report", "debts", "--supplier", "1"]);
    assert!(!ok && err.contains("--supplier"), "{err}");
    let (ok, _, err) = kassa(&["report", "supplier-statement", "--supplier", "Yoʻq"]);
    assert!(!ok, "{err}");
}

/// The migration that lets stock movements name a return rebuilds their table: a database
/// with history keeps every movement (same ids, kinds and quantities) and checks clean; the
/// table's guard still refuses an unknown kind and a return movement without its return.
#[test]
fn the_movements_table_is_rebuilt_with_every_row_kept() {
    use diesel_migrations::MigrationHarness;
    if common::file_only() {
        return;
    }
    let (dir, mut app) = common::fresh();
    let admin = common::admin(&mut app);
    let p = common::stocked(
        &mut app,
        &admin,
        product_input("Non", 5_000, 3_000, ""),
        Quantity::units(30),
    );
    app.adjust_stock(&admin, p, Quantity::units(-4), "singan")
        .unwrap();
    type Move = (i32, i32, String, i64);
    let moves = |conn: &mut SqliteConnection| -> Vec<Move> {
        use kassa::store::schema::stock_movements as m;
        m::table
            .select((m::id, m::product_id, m::kind, m::quantity))
            .order(m::id)
            .load(conn)
            .unwrap()
    };
    let before = moves(app.connection().sqlite().expect("a shop file"));
    assert_eq!(before.len(), 2);
    drop(app);
    let path = common::db_path(&dir);
    let mut conn = SqliteConnection::establish(path.to_str().unwrap()).unwrap();
    // Back to before migration 28 (the later ones first).
    while conn
        .applied_migrations()
        .unwrap()
        .iter()
        .any(|v| v.to_string() == "20261207000028")
    {
        conn.revert_last_migration(kassa::store::MIGRATIONS)
            .unwrap();
    }
    let columns: i64 = diesel::sql_query(
        "SELECT COUNT(*) AS n FROM pragma_table_info('stock_movements') WHERE name = 'return_id'",
    )
    .get_result::<N>(&mut conn)
    .unwrap()
    .n;
    assert_eq!(columns, 0, "back to the schema before returns");
    drop(conn);

    let mut app =
        kassa::app::App::open_existing(&path, kassa::app::Options { bcrypt_cost: 4 }).unwrap();
    let after: Vec<Move> = moves(app.connection().sqlite().expect("a shop file"));
    assert_eq!(after, before);
    assert_eq!(app.check().unwrap(), Vec::<(String, Vec<String>)>::new());
    for bad in [
        "INSERT INTO stock_movements (product_id, kind, quantity, reason, created_at)
         VALUES (1, 'gift', -1, '', '2026-11-24 10:00:00')",
        "INSERT INTO stock_movements (product_id, kind, quantity, reason, created_at)
         VALUES (1, 'supplier_return', -1, '', '2026-11-24 10:00:00')",
    ] {
        assert!(
            diesel::sql_query(bad).execute(app.connection()).is_err(),
            "{bad}"
        );
    }
}

#[derive(QueryableByName)]
struct N {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
}

/// Managers at two PCs (or a manager and a till) on one file, each on its own connection and
/// thread, released together: one order received by four at once becomes one supply; two
/// returns and a sale of the same last pieces — only what is on the shelf leaves it. Ten
/// rounds each; the database checks clean after.
#[test]
fn racing_for_one_order_or_the_last_pieces_lets_one_through() {
    use std::sync::{Arc, Barrier};
    let mut shop = shop();
    let (m, c) = (shop.manager.clone(), shop.cashier.clone());
    let baza = common::supplier(&mut shop.app, &m, "Baza");
    let p = shop
        .app
        .create_product(&m, &product_input("Non", 5_000, 3_000, ""))
        .unwrap()
        .id;
    shop.app.open_shift(&c, Money::ZERO).unwrap();
    let db = common::db_path(&shop.dir);
    let open = || kassa::app::App::open(&db, kassa::app::Options { bcrypt_cost: 4 }).unwrap();
    for round in 0..10 {
        // Four receive the same order.
        let order = shop
            .app
            .create_purchase_order(
                &m,
                &PurchaseOrderInput {
                    supplier_id: baza,
                    lines: vec![line(p, 5, 3_000)],
                    note: String::new(),
                },
            )
            .unwrap();
        let came = shop.app.purchase_order(&m, order).unwrap().as_supply();
        let gate = Arc::new(Barrier::new(4));
        let results: Vec<Result<i32, AppError>> = (0..4)
            .map(|_| {
                let (gate, came, m, mut app) = (gate.clone(), came.clone(), m.clone(), open());
                std::thread::spawn(move || {
                    gate.wait();
                    app.receive_order(&m, order, &came)
                })
            })
            .collect::<Vec<_>>()
            .into_iter()
            .map(|t| t.join().unwrap())
            .collect();
        assert_eq!(
            results.iter().filter(|r| r.is_ok()).count(),
            1,
            "round {round}"
        );
        assert!(
            results
                .iter()
                .filter_map(|r| r.as_ref().err())
                .all(|e| matches!(e, AppError::OrderNotOpen(x) if *x == order)),
            "{results:?}"
        );
        let stock = shop.app.product(&m, p).unwrap().stock;
        assert_eq!(
            stock,
            Quantity::units(5).0,
            "round {round}: one supply of 5"
        );

        // Two returns of 3 and a sale of 3 for those 5: one goes through.
        let gate = Arc::new(Barrier::new(3));
        let mut racers = Vec::new();
        for _ in 0..2 {
            let (gate, m, mut app) = (gate.clone(), m.clone(), open());
            racers.push(std::thread::spawn(move || {
                gate.wait();
                app.return_to_supplier(
                    &m,
                    &SupplierReturnInput {
                        supplier_id: baza,
                        lines: vec![back(p, 3, 3_000)],
                        reason: "Muddati oʻtgan".into(),
                    },
                )
                .is_ok()
            }));
        }
        {
            let (gate, c, mut app) = (gate.clone(), c.clone(), open());
            racers.push(std::thread::spawn(move || {
                gate.wait();
                app.sell(
                    &c,
                    &kassa::app::SaleRequest {
                        idempotency_key: format!("race-{round}"),
                        lines: vec![kassa::app::SaleLineInput {
                            product_id: p,
                            quantity: Quantity::units(3),
                            discount: kassa::domain::cart::Discount::None,
                            marking_codes: Vec::new(),
                        }],
                        sale_discount: kassa::domain::cart::Discount::None,
                        tenders: vec![kassa::domain::payment::TenderInput {
                            method: kassa::domain::payment::PaymentMethod::Cash,
                            amount: Money::from_major(15_000),
                            channel: None,
                        }],
                        client_id: None,
                        due_date: None,
                        expected_total: None,
                    },
                )
                .is_ok()
            }));
        }
        let through = racers
            .into_iter()
            .map(|t| t.join().unwrap())
            .filter(|ok| *ok)
            .count();
        assert_eq!(through, 1, "round {round}");
        // What is left goes back so the next round starts from nothing.
        shop.app
            .return_to_supplier(
                &m,
                &SupplierReturnInput {
                    supplier_id: baza,
                    lines: vec![back(p, 2, 3_000)],
                    reason: "Qoldiq".into(),
                },
            )
            .unwrap();
        assert_eq!(shop.app.product(&m, p).unwrap().stock, 0);
    }
    assert_eq!(
        shop.app.check().unwrap(),
        Vec::<(String, Vec<String>)>::new()
    );
}

/// A statement for a period (the monthly reconciliation act): what was owed when the period
/// began, then the period's own lines, and the balance at its end; the same from the command
/// line with --from/--to. Without dates, the whole history.
#[test]
fn a_statement_for_a_period_starts_with_what_was_owed_then() {
    let mut shop = shop();
    let m = shop.manager.clone();
    let app = &mut shop.app;
    let p = app
        .create_product(&m, &product_input("Non", 5_000, 1_000, ""))
        .unwrap()
        .id;
    common::freeze(app, "2026-11-10T07:00:00Z");
    let id = app
        .create_supplier(
            &m,
            &SupplierInput {
                name: "Baza".into(),
                opening_balance: Money::from_major(1_000_000),
                ..Default::default()
            },
        )
        .unwrap()
        .id;
    let receive = |app: &mut kassa::app::App, units: i64| {
        app.receive_supply(
            &m,
            &SupplyInput {
                supplier_id: id,
                notes: String::new(),
                lines: vec![line(p, units, 1_000)],
                payment: None,
            },
        )
        .unwrap()
    };
    receive(app, 200);
    common::freeze(app, "2026-11-20T07:00:00Z");
    app.pay_supplier(
        &m,
        &SupplierPaymentInput {
            supplier_id: id,
            amount: Money::from_major(300_000),
            from: PayFrom::Bank,
            note: String::new(),
        },
    )
    .unwrap();
    common::freeze(app, "2026-12-05T07:00:00Z");
    receive(app, 100);
    app.return_to_supplier(
        &m,
        &SupplierReturnInput {
            supplier_id: id,
            lines: vec![back(p, 20, 1_000)],
            reason: "Singan".into(),
        },
    )
    .unwrap();
    let day = |d: u32, month: u32| chrono::NaiveDate::from_ymd_opt(2026, month, d).unwrap();
    let money_of = |row: &Vec<Cell>| -> Vec<i64> {
        row[2..6]
            .iter()
            .map(|c| match c {
                Cell::Money(m) => *m / 100,
                other => panic!("{other:?}"),
            })
            .collect()
    };
    let november = kassa::app::Period {
        from: day(15, 11),
        to: day(30, 11),
    };
    let t = app
        .supplier_statement_report(&m, id, Some(november), Lang::Ru)
        .unwrap();
    assert_eq!(t.period, Some((day(15, 11), day(30, 11))));
    assert_eq!(t.rows.len(), 2, "the balance at the start and the payment");
    assert_eq!(t.rows[0][1], Cell::Text("Сальдо на начало".into()));
    assert_eq!(money_of(&t.rows[0]), vec![0, 0, 0, 1_200_000]);
    assert_eq!(money_of(&t.rows[1]), vec![0, 0, 300_000, 900_000]);
    assert_eq!(
        money_of(t.total.as_ref().unwrap()),
        vec![0, 0, 300_000, 900_000]
    );
    let december = kassa::app::Period {
        from: day(1, 12),
        to: day(31, 12),
    };
    let t = app
        .supplier_statement_report(&m, id, Some(december), Lang::Ru)
        .unwrap();
    assert_eq!(t.rows.len(), 3);
    assert_eq!(money_of(&t.rows[0])[3], 900_000);
    assert_eq!(
        money_of(t.total.as_ref().unwrap()),
        vec![100_000, 20_000, 0, 980_000]
    );
    assert_eq!(
        app.supplier(&m, id).unwrap().owed,
        Money::from_major(980_000).0
    );
    let whole = app
        .supplier_statement_report(&m, id, None, Lang::Ru)
        .unwrap();
    assert_eq!(
        whole.rows.len(),
        5,
        "opening, supply, payment, supply, return"
    );
    assert_eq!(money_of(whole.total.as_ref().unwrap())[3], 980_000);
    let backwards = kassa::app::Period {
        from: day(2, 12),
        to: day(1, 12),
    };
    assert!(
        app.supplier_statement_report(&m, id, Some(backwards), Lang::Ru)
            .is_err()
    );

    // The command line, by name with dates: the heading names the period.
    let db = common::db_path(&shop.dir);
    drop(shop.app);
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_kassa"))
        .arg("--db")
        .arg(&db)
        .args([
            "report",
            "supplier-statement",
            "--supplier",
            "baza",
            "--from",
            "2026-11-15",
            "--to",
            "2026-11-30",
            "--lang",
            "en",
        ])
        .output()
        .unwrap();
    let csv = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        csv.lines().count(),
        4,
        "header, start, payment, total: {csv}"
    );
    assert!(csv.contains("Balance at the start"), "{csv}");
    assert!(csv.contains("900000.00"), "{csv}");
}

//! The till driven as a person would: by visible labels, keys and scanner bursts, with
//! egui_kittest (no display needed), on a real database file.

mod common;

use common::gui::*;
use egui::{Event, Key, Modifiers};
use egui_kittest::kittest::Queryable;
use kassa::app::{
    App, ClientInput, EmployeeInput, Options, ProductInput, SupplyInput, SupplyLineInput,
};
use kassa::domain::{Money, Quantity, Role, Unit};
use kassa::i18n::{Lang, T};

const PASS: &str = "till-pass-1";
const NON: &str = "4006381333931"; // Non, 4 000
const SUT: &str = "96385074"; // Sut, 11 000

struct Setup {
    _dir: tempfile::TempDir,
    path: std::path::PathBuf,
}

/// A database with a manager, a cashier, three products (one weighed) and a customer.
fn setup() -> Setup {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kassa.db");
    let mut app = App::open(&path, Options { bcrypt_cost: 4 }).unwrap();
    let admin = app.login("admin", "admin123").unwrap();
    let admin = app.change_password(&admin, "admin123", PASS).unwrap();
    for (login, role) in [("kassir", Role::Cashier), ("menejer", Role::Manager)] {
        let input = EmployeeInput {
            full_name: format!("{login} F."),
            login: login.into(),
            role,
            ..Default::default()
        };
        let id = app
            .create_employee(&admin, &input, "first-pass-1")
            .unwrap()
            .id;
        let _ = id;
        let s = app.login(login, "first-pass-1").unwrap();
        app.change_password(&s, "first-pass-1", PASS).unwrap();
    }
    let products = [
        ("Non tandir", 4_000, NON, Unit::Piece),
        ("Sut 2.5% 1 l", 11_000, SUT, Unit::Piece),
        ("Olma", 15_000, "2000001", Unit::Weight),
    ];
    let supplier_id = app
        .create_supplier(
            &admin,
            &kassa::app::SupplierInput {
                name: "Baza".into(),
                ..Default::default()
            },
        )
        .unwrap()
        .id;
    for (name, price, code, unit) in products {
        let p = app
            .create_product(
                &admin,
                &ProductInput {
                    name: name.into(),
                    category_id: None,
                    unit,
                    purchase_price: Money::from_major(price * 3 / 4),
                    sale_price: Money::from_major(price),
                    low_stock_threshold: Quantity::units(1),
                    barcodes: vec![code.into()],
                    fiscal: Default::default(),
                },
            )
            .unwrap();
        app.receive_supply(
            &admin,
            &SupplyInput {
                supplier_id,
                payment: None,
                notes: String::new(),
                lines: vec![SupplyLineInput {
                    product_id: p.id,
                    quantity: Quantity::units(100),
                    unit_cost: Money::from_major(price * 3 / 4),
                }],
            },
        )
        .unwrap();
    }
    app.create_client(
        &admin,
        &ClientInput {
            full_name: "Aziz Rahimov".into(),
            phone: "+998 90 123 45 67".into(),
            notes: String::new(),
        },
    )
    .unwrap();
    Setup { _dir: dir, path }
}

fn open_shift(h: &mut H, cash: &str) {
    h.get_by_label(t(T::StartingCash)).focus();
    h.run();
    h.get_by_label(t(T::StartingCash)).type_text(cash);
    h.run();
    h.get_by_label(t(T::OpenShift)).click();
    h.run();
    assert!(
        h.query_by_label(t(T::Search)).is_some(),
        "the till shows after opening the shift"
    );
}

/// A window of `size` logged in as the cashier, at the till with the shift open (opened here
/// unless an earlier window already did).
fn till_at(path: &std::path::Path, size: (f32, f32)) -> H {
    let mut h = harness_sized(path, None, size);
    log_in(&mut h, "kassir", PASS);
    if h.query_by_label(t(T::StartingCash)).is_some() {
        open_shift(&mut h, "0");
    }
    h
}

/// (method, amount, change) of one sale.
type Payments = Vec<(String, i64, i64)>;

/// Every sale's total and tenders, oldest first.
fn sales(h: &mut H) -> Vec<(i64, Payments)> {
    use kassa::store::db::prelude::*;
    use kassa::store::schema::{sale_payments, sales};
    let conn = h.state_mut().app().connection();
    let ids: Vec<(i32, i64)> = sales::table
        .order(sales::id)
        .select((sales::id, sales::total))
        .load(conn)
        .unwrap();
    ids.into_iter()
        .map(|(id, total)| {
            let pays: Payments = sale_payments::table
                .filter(sale_payments::sale_id.eq(id))
                .order(sale_payments::id)
                .select((
                    sale_payments::method,
                    sale_payments::amount,
                    sale_payments::change_given,
                ))
                .load(conn)
                .unwrap();
            (total, pays)
        })
        .collect()
}

#[test]
fn a_cashier_logs_in_scans_changes_a_quantity_and_pays_cash_with_change() {
    let s = setup();
    let mut h = harness(&s.path, None);
    log_in(&mut h, "kassir", PASS);
    // A cashier lands on the till and sees no back-office tab.
    for tab in [
        T::TabProducts,
        T::TabStock,
        T::TabCustomers,
        T::TabSales,
        T::TabStaff,
        T::TabAudit,
        T::TabSettings,
    ] {
        assert!(
            h.query_by_label(t(tab)).is_none(),
            "a cashier must not see {tab:?}"
        );
    }
    open_shift(&mut h, "100000");

    // One scan, then two scans in the same frame: the second Non merges into its line.
    scan(&mut h, &[NON]);
    scan(&mut h, &[SUT, NON]);
    assert_eq!(
        cart(&h),
        vec![("Non tandir".into(), 2000), ("Sut 2.5% 1 l".into(), 1000)]
    );
    assert!(h.query_by_label("Non tandir").is_some());
    let search = h.get_by_label(t(T::Search)).value().unwrap_or_default();
    assert!(
        search.is_empty(),
        "the scans must not land in the search box: {search:?}"
    );

    // An unknown barcode: a message, the cart stays.
    scan(&mut h, &["4780000000013"]);
    assert_eq!(cart(&h).len(), 2);
    assert!(h.state().toast().unwrap().text.contains("4780000000013"));

    // A weighed product by a scale label: 1.235 kg of apples.
    let mut body = [0u8; 12];
    for (i, c) in "200000101235".bytes().enumerate() {
        body[i] = c - b'0';
    }
    let label = kassa::domain::barcode::ean13_from_body(&body);
    scan(&mut h, &[&label]);
    assert_eq!(cart(&h)[2], ("Olma".into(), 1235));

    // Quantity of the selected line (the apples) to 2 kg with F3.
    press(&mut h, Key::F3);
    set_field(&mut h, t(T::QuantityLabel), "2");
    press(&mut h, Key::Enter);
    assert_eq!(cart(&h)[2].1, 2000);

    // Pay cash: total 2×4 000 + 11 000 + 2×15 000 = 49 000; 50 000 given, 1 000 change.
    press(&mut h, Key::F12);
    assert!(
        h.query_by_label(&format!("{}: 49 000 soʻm", t(T::ToPay)))
            .is_some()
    );
    set_field(&mut h, t(T::CashReceived), "50000");
    assert!(
        h.query_by_label(&format!("{}: 1 000 soʻm", t(T::Change)))
            .is_some(),
        "the change is shown before finishing"
    );
    press(&mut h, Key::Enter);
    assert!(cart(&h).is_empty(), "the cart is cleared after the sale");
    assert_eq!(
        sales(&mut h),
        vec![(4_900_000, vec![("cash".into(), 4_900_000, 100_000)])]
    );
    assert!(
        h.query_by_label(&format!("{}: 1 000 soʻm", t(T::Change)))
            .is_some(),
        "the change stays on screen"
    );
}

#[test]
fn split_and_nasiya_payments() {
    let s = setup();
    let mut h = harness(&s.path, None);
    log_in(&mut h, "kassir", PASS);
    open_shift(&mut h, "0");

    // Split: 15 000 = 5 000 by card + 10 000 cash.
    scan(&mut h, &[NON, SUT]);
    press(&mut h, Key::F12);
    set_field(&mut h, "Bank kartasi", "5000");
    set_field(&mut h, t(T::CashReceived), "10000");
    h.get_by_label(t(T::Finish)).click();
    h.run();
    assert!(cart(&h).is_empty());

    // Nasiya: finishing needs a customer; choose Aziz, keep the default due date.
    scan(&mut h, &[SUT]);
    press(&mut h, Key::F12);
    press(&mut h, Key::F3); // all on nasiya
    assert!(h.query_by_label(t(T::NoCustomer)).is_some());
    press(&mut h, Key::Enter);
    assert_eq!(cart(&h).len(), 1, "no sale without a customer");
    set_field(&mut h, t(T::FindCustomer), "aziz");
    h.query_all_by_label_contains("Aziz Rahimov")
        .last()
        .expect("Aziz in the list")
        .click();
    h.run();
    // The customer's debt and credit limit are shown before finishing.
    assert!(
        h.query_by_label_contains(
            &Lang::Uz.fill(T::CreditLimitLine, &["0 soʻm", t(T::CreditNoLimit)])
        )
        .is_some()
    );
    h.get_by_label(t(T::Finish)).click();
    h.run();
    assert!(cart(&h).is_empty(), "{:?}", h.state().toast());

    let all = sales(&mut h);
    assert_eq!(
        all[0],
        (
            1_500_000,
            vec![("cash".into(), 1_000_000, 0), ("card".into(), 500_000, 0)]
        )
    );
    assert_eq!(all[1], (1_100_000, vec![("nasiya".into(), 1_100_000, 0)]));
    let app = h.state_mut().app();
    let cashier = app.login("kassir", PASS).unwrap();
    let aziz = app.clients(&cashier, "Aziz", 5).unwrap().remove(0);
    assert_eq!(aziz.balance, -1_100_000);
    assert!(aziz.due_date.is_some());
}

#[test]
fn a_failed_checkout_keeps_the_cart_and_says_why() {
    let s = setup();
    let mut h = harness(&s.path, None);
    log_in(&mut h, "kassir", PASS);
    open_shift(&mut h, "0");
    scan(&mut h, &[NON]);
    // Someone else sells out the stock behind the till's back.
    {
        let app = h.state_mut().app();
        let m = app.login("menejer", PASS).unwrap();
        let id = app.product_by_barcode(&m, NON).unwrap().id;
        app.adjust_stock(&m, id, Quantity::units(-100), "count")
            .unwrap();
    }
    press(&mut h, Key::F12);
    press(&mut h, Key::Enter);
    assert_eq!(cart(&h).len(), 1, "the cart is kept");
    assert!(
        h.query_by_label_contains("Non tandir yetarli emas")
            .is_some(),
        "the reason is shown"
    );
    assert!(sales(&mut h).is_empty());
}

#[test]
fn park_and_resume_a_sale() {
    let s = setup();
    let mut h = harness(&s.path, None);
    log_in(&mut h, "kassir", PASS);
    open_shift(&mut h, "0");
    scan(&mut h, &[NON, NON, SUT]);
    press(&mut h, Key::F5);
    assert!(cart(&h).is_empty());
    scan(&mut h, &[SUT]);
    press(&mut h, Key::F6);
    assert!(
        h.query_by_label_contains("Non tandir").is_some(),
        "the parked sale is listed"
    );
    press(&mut h, Key::Enter);
    // The parked sale is back; the one on the till was parked in exchange.
    assert_eq!(
        cart(&h),
        vec![("Non tandir".into(), 2000), ("Sut 2.5% 1 l".into(), 1000)]
    );
    let app = h.state_mut().app();
    let me = app.login("kassir", PASS).unwrap();
    assert_eq!(app.parked_carts(&me).unwrap().len(), 1);
}

#[test]
fn search_by_name_and_close_the_shift_with_a_difference() {
    let s = setup();
    let mut h = harness(&s.path, None);
    log_in(&mut h, "kassir", PASS);
    open_shift(&mut h, "50000");
    // Type a name (Cyrillic finds Latin), pick the result with Enter.
    h.get_by_label(t(T::Search)).focus();
    h.run();
    h.get_by_label(t(T::Search)).type_text("сут");
    h.run();
    assert!(h.query_by_label("Sut 2.5% 1 l").is_some());
    press(&mut h, Key::Enter);
    assert_eq!(cart(&h), vec![("Sut 2.5% 1 l".into(), 1000)]);
    press(&mut h, Key::F12);
    press(&mut h, Key::Enter);
    assert_eq!(sales(&mut h).len(), 1);

    // X report so far, then close: expected 61 000, counted 60 000.
    press(&mut h, Key::F8);
    assert!(h.query_by_label_contains("61 000 soʻm").is_some());
    press(&mut h, Key::Escape);
    // A parked cart is named as a warning; the count is blind until it is entered.
    scan(&mut h, &[NON]);
    press(&mut h, Key::F5);
    press(&mut h, Key::F9);
    assert!(
        h.query_by_label(&Lang::Uz.fill(T::ParkedAtClose, &["1"]))
            .is_some()
    );
    assert!(
        h.query_by_label_contains("61 000").is_none(),
        "expected shown before the count"
    );
    set_field(&mut h, t(T::CountedCash), "60000");
    set_field(&mut h, t(T::Notes), "1 000 soʻm qaytimga berildi");
    assert!(
        h.query_by_label_contains(&format!("{}:", t(T::Difference)))
            .is_none()
    );
    press(&mut h, Key::Enter);
    assert!(
        h.query_by_label(&format!("{}: -1 000 soʻm", t(T::Difference)))
            .is_some()
    );
    assert!(
        h.query_by_label(&format!("{}: 61 000 soʻm", t(T::Expected)))
            .is_some()
    );
    press(&mut h, Key::Enter);
    assert!(h.query_by_label(t(T::ZReport)).is_some());
    press(&mut h, Key::Escape);
    assert!(
        h.query_by_label(t(T::OpenShiftTitle)).is_some(),
        "back to opening a shift"
    );
    {
        use kassa::store::db::prelude::*;
        let app = h.state_mut().app();
        let me = app.login("kassir", PASS).unwrap();
        assert!(app.current_shift(&me).unwrap().is_none());
        let note: String = kassa::store::schema::shifts::table
            .select(kassa::store::schema::shifts::close_note)
            .first(app.connection())
            .unwrap();
        assert_eq!(note, "1 000 soʻm qaytimga berildi");
    }
    // A new shift shows no change from the last one.
    open_shift(&mut h, "0");
    assert!(h.query_by_label_contains(t(T::Change)).is_none());
}

#[test]
fn the_default_admin_must_change_the_password_and_managers_see_the_back_office() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kassa.db");
    let mut h = harness(&path, Some(dir.path().join("lang")));
    h.run();
    h.get_by_label(t(T::Login)).focus();
    h.run();
    h.get_by_label(t(T::Login)).type_text("admin");
    h.get_by_label(t(T::Password)).focus();
    h.run();
    h.get_by_label(t(T::Password)).type_text("admin123");
    h.run();
    press(&mut h, Key::Enter);
    wait_until(&mut h, "the password form", |h| {
        h.query_by_label(t(T::ChangePasswordTitle)).is_some()
    });
    set_field(&mut h, t(T::OldPassword), "admin123");
    set_field(&mut h, t(T::NewPassword), "admin123");
    set_field(&mut h, t(T::RepeatPassword), "admin123");
    press(&mut h, Key::Enter);
    wait_until(&mut h, "the refusal", |h| {
        h.query_by_label(t(T::ErrPasswordSameAsOld)).is_some()
    });
    set_field(&mut h, t(T::NewPassword), "owner-pass-1");
    set_field(&mut h, t(T::RepeatPassword), "owner-pass-1");
    press(&mut h, Key::Enter);
    wait_until(&mut h, "the main window", |h| h.state().session().is_some());
    for tab in [
        T::TabTill,
        T::TabProducts,
        T::TabStaff,
        T::TabAudit,
        T::TabSettings,
    ] {
        assert!(h.query_by_label(t(tab)).is_some(), "the admin sees {tab:?}");
    }
    // Switching the language changes every label at once and is remembered.
    h.get_by_label("English").click();
    h.run();
    assert!(h.query_by_label(Lang::En.t(T::TabProducts)).is_some());
    assert_eq!(
        std::fs::read_to_string(dir.path().join("lang")).unwrap(),
        "en"
    );
}

#[test]
fn an_idle_till_locks_and_keeps_the_cart() {
    let s = setup();
    {
        let mut app = App::open(&s.path, Options { bcrypt_cost: 4 }).unwrap();
        let admin = app.login("admin", PASS).unwrap();
        app.set_setting(&admin, kassa::ui::IDLE_MINUTES_KEY, "0.05")
            .unwrap(); // 3 s
    }
    let mut h = harness(&s.path, None);
    log_in(&mut h, "kassir", PASS);
    assert!(
        h.query_by_label(t(T::Locked)).is_none(),
        "not locked at log-in"
    );
    open_shift(&mut h, "0");
    scan(&mut h, &[NON, SUT]);
    // Each idle frame moves egui's clock by a quarter of a second.
    assert!(
        h.query_by_label(t(T::Locked)).is_none(),
        "not locked while in use"
    );
    for _ in 0..16 {
        h.step();
    }
    assert!(
        h.query_by_label(t(T::Locked)).is_some(),
        "the till locks when idle"
    );
    assert!(
        h.query_by_label(t(T::Search)).is_none(),
        "nothing of the till is reachable"
    );
    set_field(&mut h, t(T::Password), "wrong-pass");
    press(&mut h, Key::Enter);
    wait_until(&mut h, "the refusal", |h| {
        h.query_by_label(t(T::ErrWrongCredentials)).is_some()
    });
    set_field(&mut h, t(T::Password), PASS);
    press(&mut h, Key::Enter);
    wait_until(&mut h, "the till", |h| {
        h.query_by_label(t(T::Search)).is_some()
    });
    assert_eq!(cart(&h).len(), 2, "the cart is kept");
}

#[test]
fn usb_scanner_barcodes_reach_the_till_and_the_receipt_preview_prints_a_copy() {
    use kassa::app::document::escpos::decode;
    use kassa::devices::hid_pos::{Decoder, reports_for};
    use kassa::devices::printer::{PrintWorker, PrinterStatus, Step};
    use kassa::devices::scanner::{ScannerEvent, ScannerState};

    let s = setup();
    let out = s.path.with_file_name("printer.bin");
    {
        let mut app = App::open(&s.path, Options { bcrypt_cost: 4 }).unwrap();
        let admin = app.login("admin", PASS).unwrap();
        app.set_setting(&admin, "printer.port", &format!("file:{}", out.display()))
            .unwrap();
        app.set_setting(&admin, "printer.width", "58").unwrap();
    }
    let mut h = harness(&s.path, None);
    let (tx, rx) = std::sync::mpsc::channel();
    let (wake, _wake_rx) = std::sync::mpsc::channel();
    let status = std::sync::Arc::new(std::sync::Mutex::new(PrinterStatus::default()));
    h.state_mut().attach_scanner(rx);
    h.state_mut().attach_printer(status.clone(), wake);
    log_in(&mut h, "kassir", PASS);
    open_shift(&mut h, "0");

    // What the scanner thread sends: connected, then the barcodes its decoder read.
    tx.send(ScannerEvent::State(ScannerState::Connected(
        "Honeywell 1450g".into(),
    )))
    .unwrap();
    let mut decoder = Decoder::new();
    let mut scanned = None;
    for r in reports_for("]E0", NON.as_bytes()) {
        scanned = decoder.feed(&r).unwrap();
    }
    tx.send(ScannerEvent::Scan(scanned.unwrap().code)).unwrap();
    tx.send(ScannerEvent::Scan(SUT.into())).unwrap();
    h.run();
    assert_eq!(
        cart(&h),
        vec![("Non tandir".into(), 1000), ("Sut 2.5% 1 l".into(), 1000)]
    );
    assert!(
        h.query_by_label(&format!("{} (Honeywell 1450g)", t(T::ScannerOn)))
            .is_some()
    );
    // Unplugged: the status bar says so; a barcode that is not in the catalog is refused.
    tx.send(ScannerEvent::State(ScannerState::Searching))
        .unwrap();
    tx.send(ScannerEvent::Scan("4780000000013".into())).unwrap();
    h.run();
    assert!(h.query_by_label(t(T::ScannerOff)).is_some());
    assert_eq!(cart(&h).len(), 2);

    // Sell (card), then the preview (F7) shows the receipt as printed, with the QR code.
    press(&mut h, Key::F12);
    press(&mut h, Key::F2); // the whole sum by card
    press(&mut h, Key::Enter);
    assert!(cart(&h).is_empty());
    press(&mut h, Key::F7);
    assert!(h.query_by_label(t(T::Preview)).is_some());
    assert!(h.query_by_label("Non tandir").is_some());
    // Ctrl+P: a copy goes to the queue.
    h.key_press_modifiers(Modifiers::COMMAND, Key::P);
    h.run();
    assert_eq!(h.state().toast().unwrap().text, t(T::PrintQueued));
    press(&mut h, Key::Escape);

    // The printer thread's worker prints the sale's receipt and the copy into the file.
    let mut worker = PrintWorker::new(App::open(&s.path, Options { bcrypt_cost: 4 }).unwrap());
    assert!(matches!(worker.step().unwrap(), Step::Printed(_)));
    assert!(matches!(worker.step().unwrap(), Step::Printed(_)));
    let st = worker.status(&Step::Idle).unwrap();
    assert_eq!(st.pending, 0);
    *status.lock().unwrap() = st;
    h.run();
    assert!(h.query_by_label(t(T::PrinterReady)).is_some());
    let d = decode(&std::fs::read(&out).unwrap());
    assert_eq!(d.inits, 2, "two jobs");
    assert_eq!(d.qr.len(), 2);
    assert_eq!(d.qr[0], d.qr[1]);
    assert!(d.lines.iter().any(|l| l == "*** NUSXA ***"));
    assert!(
        d.lines.iter().all(|l| l.chars().count() <= 32),
        "{:?}",
        d.lines
    );
}

/// Nasiya past the customer's credit limit: the till says why and offers a manager's
/// approval; the manager types their own login and password and the sale goes through.
#[test]
fn nasiya_past_the_limit_is_approved_by_a_manager_at_the_till() {
    let s = setup();
    {
        let mut app = App::open(&s.path, Options { bcrypt_cost: 4 }).unwrap();
        let admin = app.login("admin", PASS).unwrap();
        app.set_setting(&admin, "credit.default_limit", "5000")
            .unwrap();
    }
    let mut h = harness(&s.path, None);
    log_in(&mut h, "kassir", PASS);
    open_shift(&mut h, "0");
    scan(&mut h, &[SUT]); // 11 000 on nasiya, the limit is 5 000
    press(&mut h, Key::F12);
    press(&mut h, Key::F3);
    set_field(&mut h, t(T::FindCustomer), "aziz");
    h.get_by_label_contains("Aziz Rahimov").click();
    h.run();
    assert!(
        h.query_by_label_contains(&Lang::Uz.fill(T::CreditLimitLine, &["0 soʻm", "5 000 soʻm"]))
            .is_some()
    );
    h.get_by_label(t(T::Finish)).click();
    h.run();
    assert_eq!(cart(&h).len(), 1, "refused past the limit");
    assert!(
        h.query_by_label_contains("Kredit chegarasidan oshadi")
            .is_some(),
        "the reason is shown"
    );
    assert!(h.query_by_label(t(T::ApproveByManager)).is_some());
    set_field(&mut h, t(T::Login), "menejer");
    set_field(&mut h, t(T::Password), PASS);
    h.get_by_label(t(T::Finish)).click();
    h.run();
    assert!(cart(&h).is_empty(), "{:?}", h.state().toast());
    use kassa::store::db::prelude::*;
    let app = h.state_mut().app();
    let approved: Vec<(String, Option<String>)> = kassa::store::schema::audit_logs::table
        .filter(kassa::store::schema::audit_logs::action.eq("sale.credit_over_limit"))
        .select((
            kassa::store::schema::audit_logs::actor,
            kassa::store::schema::audit_logs::after_json,
        ))
        .load(app.connection())
        .unwrap();
    assert_eq!(approved.len(), 1);
    assert_eq!(approved[0].0, "kassir");
    assert!(
        approved[0]
            .1
            .as_deref()
            .unwrap_or("")
            .contains("\"approved_by\":\"menejer\""),
        "{approved:?}"
    );
}

/// A scan while the payment dialog is open, split across frames so that its first digits
/// reach the focused cash field before its Enter: the product goes to the cart, the cash
/// field holds the new total (never the barcode), the dialog says the total changed, and
/// the sale then completes with the whole new total in cash.
#[test]
fn a_scan_during_payment_goes_to_the_cart_never_into_the_money_field() {
    let s = setup();
    let mut h = harness(&s.path, None);
    log_in(&mut h, "kassir", PASS);
    open_shift(&mut h, "0");
    scan(&mut h, &[NON]);
    press(&mut h, Key::F12);
    assert!(
        h.query_by_label(t(T::PaymentTitle)).is_some(),
        "the payment dialog is open"
    );
    let cash_field = |h: &H| {
        h.get_by_role_and_label(egui::accesskit::Role::TextInput, t(T::CashReceived))
            .value()
            .unwrap_or_default()
    };
    assert_eq!(cash_field(&h), "4000");
    // The first digits in one frame, the rest and Enter in the next.
    let (head, tail) = SUT.split_at(3);
    for c in head.chars() {
        h.input_mut().events.push(Event::Text(c.to_string()));
    }
    h.step();
    for c in tail.chars() {
        h.input_mut().events.push(Event::Text(c.to_string()));
    }
    h.input_mut().events.push(enter());
    h.step();
    h.run();
    let cash = cash_field(&h);
    assert!(
        !cash.contains(head),
        "the scanner typed into the cash field: {cash:?}"
    );
    assert_eq!(cash, "15000", "the cash field takes the new total");
    assert!(
        h.query_by_label_contains(&Lang::Uz.fill(T::TotalChanged, &["4 000 soʻm", "15 000 soʻm"]))
            .is_some(),
        "the dialog says the total changed"
    );
    assert_eq!(cart(&h).len(), 2, "the scanned product is in the cart");
    h.get_by_label(t(T::Finish)).click();
    h.run();
    assert!(cart(&h).is_empty());
    let all = sales(&mut h);
    assert_eq!(all[0], (1_500_000, vec![("cash".into(), 1_500_000, 0)]));
}

/// Esc clears the search and leaves the focus in the search box: what is typed next lands
/// there, without F2.
#[test]
fn after_esc_typing_goes_to_the_search_box() {
    let s = setup();
    let mut h = harness(&s.path, None);
    log_in(&mut h, "kassir", PASS);
    open_shift(&mut h, "0");
    h.get_by_label(t(T::Search)).focus();
    h.run();
    h.get_by_label(t(T::Search)).type_text("non");
    h.run();
    press(&mut h, Key::Escape);
    h.input_mut().events.push(Event::Text("sut".into()));
    h.run();
    let search = h.get_by_label(t(T::Search)).value().unwrap_or_default();
    assert_eq!(search, "sut");
}

/// F4 as a cashier opens a manager's approval: another cashier or a wrong password is
/// refused with a message and no discount; the manager's own password opens the discount
/// dialog, and the sale is audited with both names and the discount.
#[test]
fn f4_as_a_cashier_asks_a_manager_to_approve() {
    use kassa::store::db::prelude::*;
    use kassa::store::schema::{audit_logs, sales};
    let s = setup();
    let mut h = harness(&s.path, None);
    log_in(&mut h, "kassir", PASS);
    open_shift(&mut h, "0");
    // An empty cart: said, not silently ignored.
    press(&mut h, Key::F4);
    assert_eq!(
        h.state().toast().map(|t| t.text.as_str()),
        Some(t(T::DiscountNeedsCart))
    );
    scan(&mut h, &[NON, SUT]);
    press(&mut h, Key::F4);
    assert!(h.query_by_label(t(T::ApproveDiscountTitle)).is_some());
    // The cashier's own password approves nothing.
    set_field(&mut h, t(T::Login), "kassir");
    set_field(&mut h, t(T::Password), PASS);
    press(&mut h, Key::Enter);
    assert!(h.query_by_label(t(T::DiscountLabel)).is_none());
    assert!(h.query_by_label(t(T::ApproveDiscountTitle)).is_some());
    // A wrong password neither.
    set_field(&mut h, t(T::Login), "menejer");
    set_field(&mut h, t(T::Password), "wrong-pass");
    press(&mut h, Key::Enter);
    assert!(
        h.query_by_label(&kassa::app::error_text(
            Lang::Uz,
            &kassa::app::AppError::WrongCredentials
        ))
        .is_some()
    );
    assert!(h.query_by_label(t(T::DiscountLabel)).is_none());
    // The manager's: the discount dialog opens; 10 % on the whole sale.
    set_field(&mut h, t(T::Password), PASS);
    press(&mut h, Key::Enter);
    assert!(h.query_by_label(t(T::DiscountLabel)).is_some());
    click(&mut h, t(T::DiscountSale));
    set_field(&mut h, t(T::DiscountLabel), "10%");
    press(&mut h, Key::Enter);
    assert_eq!(
        h.state().till().unwrap().cart().totals().unwrap().total,
        Money::from_major(13_500)
    );
    press(&mut h, Key::F12);
    h.get_by_label(t(T::Finish)).click();
    h.run();
    assert!(cart(&h).is_empty(), "{:?}", h.state().toast());

    let conn = h.state_mut().app().connection();
    let (sale, discount): (i32, i64) = sales::table
        .select((sales::id, sales::discount))
        .first(conn)
        .unwrap();
    assert_eq!(discount, Money::from_major(1_500).0);
    let rows: Vec<(String, Option<String>)> = audit_logs::table
        .filter(audit_logs::action.eq_any(["sale.discount_approved", "approval.granted"]))
        .order(audit_logs::id)
        .select((audit_logs::action, audit_logs::after_json))
        .load(conn)
        .unwrap();
    assert_eq!(rows.len(), 2, "{rows:?}");
    let approved: serde_json::Value = serde_json::from_str(rows[1].1.as_deref().unwrap()).unwrap();
    assert_eq!(rows[1].0, "sale.discount_approved");
    assert_eq!(approved["approved_by"], "menejer");
    assert_eq!(approved["cashier"], "kassir");
    assert_eq!(approved["discount"], Money::from_major(1_500).0);
    let _ = sale;

    // The approval ended with the sale: the next cart asks again.
    scan(&mut h, &[NON]);
    press(&mut h, Key::F4);
    assert!(h.query_by_label(t(T::ApproveDiscountTitle)).is_some());
}

/// Every notice lies inside the window, in every language, at 1024×768 and 1280×720; so do
/// the status bar's log-out button and the shift's state.
#[test]
fn notices_are_inside_the_window_at_every_size_and_language() {
    let s = setup();
    for (w, hgt) in [(1024.0, 768.0), (1280.0, 720.0)] {
        let mut h = till_at(&s.path, (w, hgt));
        let screen = egui::Rect::from_min_size(egui::Pos2::ZERO, egui::vec2(w, hgt));
        for lang in Lang::ALL {
            click(&mut h, lang.name());
            // An unknown barcode (a valid check digit, in no product).
            scan(&mut h, &["4600000000008"]);
            let notice = h
                .query_all_by_label_contains("4600000000008")
                .last()
                .unwrap_or_else(|| panic!("{lang:?} at {w}×{hgt}: no notice"))
                .rect();
            assert!(
                screen.contains_rect(notice),
                "{lang:?} at {w}×{hgt}: the notice at {notice:?}"
            );
            // F4 with nothing in the cart: a long sentence.
            press(&mut h, Key::F4);
            let text = lang.t(T::DiscountNeedsCart);
            let notice = h
                .query_all_by_label_contains(&text.chars().take(20).collect::<String>())
                .last()
                .unwrap_or_else(|| panic!("{lang:?} at {w}×{hgt}: no F4 notice"))
                .rect();
            assert!(
                screen.contains_rect(notice),
                "{lang:?} at {w}×{hgt}: the F4 notice at {notice:?}"
            );
            let out = h
                .get_by_role_and_label(egui::accesskit::Role::Button, lang.t(T::LogOut))
                .rect();
            assert!(
                screen.contains_rect(out),
                "{lang:?} at {w}×{hgt}: log-out at {out:?}"
            );
            press(&mut h, Key::Escape);
        }
    }
}

/// The payment dialog with five non-cash methods and a nasiya customer fits the window at
/// 1024×768 and 1280×720 in every language: its title, every field and Finish are inside.
#[test]
fn the_payment_dialog_fits_with_every_method_and_a_customer() {
    let s = setup();
    {
        let mut app = App::open_existing(&s.path, Options { bcrypt_cost: 4 }).unwrap();
        let admin = app.login("admin", PASS).unwrap();
        for (i, name) in ["Uzcard", "Humo", "Click", "Payme"].into_iter().enumerate() {
            app.add_payment_method(
                &admin,
                &kassa::app::PaymentMethodInput {
                    name_uz: name.into(),
                    name_ru: name.into(),
                    name_en: name.into(),
                    active: true,
                    position: i as i32 + 1,
                },
            )
            .unwrap();
        }
    }
    for (w, hgt) in [(1024.0, 768.0), (1280.0, 720.0)] {
        let mut h = till_at(&s.path, (w, hgt));
        let screen = egui::Rect::from_min_size(egui::Pos2::ZERO, egui::vec2(w, hgt));
        for lang in Lang::ALL {
            click(&mut h, lang.name());
            scan(&mut h, &[NON]);
            press(&mut h, Key::F12);
            press(&mut h, Key::F3); // all on nasiya: the customer column shows
            for label in [
                lang.t(T::PaymentTitle),
                lang.t(T::CashReceived),
                "Payme",
                lang.t(T::DueDate),
                lang.t(T::Finish),
            ] {
                let r = h
                    .query_all_by_label(label)
                    .last()
                    .unwrap_or_else(|| panic!("{lang:?} at {w}×{hgt}: no {label:?}"))
                    .rect();
                assert!(
                    screen.contains_rect(r),
                    "{lang:?} at {w}×{hgt}: {label:?} at {r:?}"
                );
            }
            press(&mut h, Key::Escape);
        }
    }
}

/// Scans split across many frames at random points, several in one frame, one frame running
/// into the next scan: the cart gets exactly what was scanned, and nothing stays in the
/// search box.
#[test]
fn bursts_split_across_frames_are_all_added_exactly_once() {
    let s = setup();
    let mut h = till_at(&s.path, (1280.0, 720.0));
    // The whole stream a scanner types: 60 scans, NON and SUT in an irregular order.
    let mut stream: Vec<Event> = Vec::new();
    let (mut non, mut sut) = (0, 0);
    for i in 0..60u32 {
        let code = if (i * 7 + i / 3) % 3 == 0 {
            sut += 1;
            SUT
        } else {
            non += 1;
            NON
        };
        stream.extend(code.chars().map(|c| Event::Text(c.to_string())));
        stream.push(enter());
    }
    // Cut it into frames of 1 to 17 events (a deterministic, irregular pattern).
    let mut at = 0;
    let mut n = 0u32;
    while at < stream.len() {
        n += 1;
        let take = (1 + (n * 11 + n * n) % 17) as usize;
        let end = (at + take).min(stream.len());
        h.input_mut().events.extend(stream[at..end].iter().cloned());
        h.step();
        at = end;
    }
    h.run();
    let mut got = cart(&h);
    got.sort();
    assert_eq!(
        got,
        vec![
            ("Non tandir".to_string(), non * 1000),
            ("Sut 2.5% 1 l".to_string(), sut * 1000)
        ]
    );
    assert!(
        h.state().till().unwrap().search().is_empty(),
        "nothing stays in the search box"
    );
}

/// The till follows the catalog while it is open: a product created elsewhere (another
/// connection, as another till or the back office would) is found by its barcode at once; a
/// price changed for a product in the cart updates the line with a notice, and the sale goes
/// through at the new price.
#[test]
fn the_till_sells_the_current_catalog() {
    let s = setup();
    let mut h = till_at(&s.path, (1280.0, 720.0));
    scan(&mut h, &[SUT]);
    let mut other = App::open_existing(&s.path, Options { bcrypt_cost: 4 }).unwrap();
    let manager = other.login("menejer", PASS).unwrap();
    let ayran = other
        .create_product(
            &manager,
            &ProductInput {
                name: "Ayran".into(),
                category_id: None,
                unit: Unit::Piece,
                purchase_price: Money::from_major(5_000),
                sale_price: Money::from_major(7_000),
                low_stock_threshold: Quantity::units(1),
                barcodes: vec!["4780000000137".into()],
                fiscal: Default::default(),
            },
        )
        .unwrap();
    other
        .adjust_stock(&manager, ayran.id, Quantity::units(5), "kirim")
        .unwrap();
    let sut = other.product_by_barcode(&manager, SUT).unwrap();
    let mut input = ProductInput {
        name: sut.name.clone(),
        category_id: sut.category_id,
        unit: Unit::Piece,
        purchase_price: Money(sut.purchase_price),
        sale_price: Money::from_major(12_000),
        low_stock_threshold: Quantity(sut.low_stock_threshold),
        barcodes: sut.barcodes.clone(),
        fiscal: Default::default(),
    };
    other.update_product(&manager, sut.id, &input).unwrap();
    // The next scan (the frame that carries it) sees both changes.
    scan(&mut h, &["4780000000137"]);
    let mut got = cart(&h);
    got.sort();
    assert_eq!(
        got,
        vec![("Ayran".into(), 1000), ("Sut 2.5% 1 l".into(), 1000)]
    );
    let prices: Vec<i64> = h
        .state()
        .till()
        .unwrap()
        .cart()
        .lines()
        .iter()
        .map(|l| l.unit_price.0)
        .collect();
    assert!(prices.contains(&Money::from_major(12_000).0), "{prices:?}");
    assert!(
        h.query_all_by_label_contains("12 000").count() > 0,
        "the new price is shown"
    );
    // Renamed while the till is open: found by the new name, not by the old one.
    input.name = "Sut Musaffo".into();
    other.update_product(&manager, sut.id, &input).unwrap();
    h.step();
    set_field(&mut h, t(T::Search), "musaffo");
    assert!(h.query_by_label("Sut Musaffo").is_some());
    press(&mut h, Key::Escape);
    // The sale goes through at the current prices: 12 000 + 7 000.
    press(&mut h, Key::F12);
    press(&mut h, Key::Enter);
    let total = other
        .sales_page(&manager, &kassa::app::SalesQuery::default())
        .unwrap()
        .0[0]
        .total;
    assert_eq!(total, Money::from_major(19_000).0);
}

/// Choosing the nasiya customer by keyboard alone: F3 puts the whole sum on nasiya and the
/// focus in the customer search; typing filters, ↓ points, Enter chooses, Enter finishes.
#[test]
fn the_nasiya_customer_is_chosen_by_keyboard() {
    let s = setup();
    let mut h = till_at(&s.path, (1280.0, 720.0));
    scan(&mut h, &[SUT]);
    press(&mut h, Key::F12);
    press(&mut h, Key::F3);
    h.get_by_role_and_label(egui::accesskit::Role::TextInput, t(T::FindCustomer))
        .type_text("Aziz");
    h.run();
    press(&mut h, Key::ArrowDown);
    press(&mut h, Key::Enter);
    assert!(
        h.query_by_label(t(T::NoCustomer)).is_none(),
        "the customer is chosen"
    );
    press(&mut h, Key::Enter);
    assert!(cart(&h).is_empty(), "the sale went through");
    let mut app = App::open_existing(&s.path, Options { bcrypt_cost: 4 }).unwrap();
    let manager = app.login("menejer", PASS).unwrap();
    let aziz = app.clients(&manager, "Aziz", 1).unwrap().remove(0);
    assert_eq!(aziz.balance, -Money::from_major(11_000).0);
}

/// The language is the employee's: chosen once, the window speaks it at their every log-in
/// (on any machine, since it is kept in the database), whatever the last person chose.
#[test]
fn the_language_is_remembered_per_employee() {
    let s = setup();
    let mut h = harness(&s.path, None);
    log_in(&mut h, "kassir", PASS);
    click(&mut h, Lang::Ru.name());
    click(&mut h, Lang::Ru.t(T::LogOut));
    // The manager, on the same machine, in Uzbek.
    click(&mut h, Lang::Uz.name());
    log_in(&mut h, "menejer", PASS);
    assert!(h.query_by_label(Lang::Uz.t(T::LogOut)).is_some());
    click(&mut h, Lang::Uz.t(T::LogOut));
    // The cashier again: Russian without asking; a new window (another machine) too.
    log_in(&mut h, "kassir", PASS);
    assert!(h.query_by_label(Lang::Ru.t(T::LogOut)).is_some());
    let mut other = harness(&s.path, None);
    log_in(&mut other, "kassir", PASS);
    assert!(other.query_by_label(Lang::Ru.t(T::LogOut)).is_some());
}

/// A bad amount in the payment dialog is told in the chosen language, with no English.
#[test]
fn a_bad_amount_is_told_in_the_chosen_language() {
    let s = setup();
    let mut h = harness(&s.path, None);
    log_in(&mut h, "kassir", PASS);
    open_shift(&mut h, "0");
    click(&mut h, Lang::Ru.name());
    scan(&mut h, &[NON]);
    press(&mut h, Key::F12);
    set_field(&mut h, Lang::Ru.t(T::CashReceived), "4 000a");
    let expected = kassa::app::error_text(
        Lang::Ru,
        &kassa::domain::Money::parse("4 000a").unwrap_err().into(),
    );
    assert!(expected.starts_with("Неверная сумма"), "{expected}");
    for english in ["not", "amount", "money", "invalid"] {
        assert!(!expected.contains(english), "{expected}");
    }
    assert!(
        h.query_by_label(&expected).is_some(),
        "{expected} is not shown"
    );
}

/// Goods without barcodes by the quick-pick keys: F10 opens them, a digit chooses the page,
/// the arrows a key and Enter adds it; a click adds at once; a weighed product asks for its
/// weight. Keys a manager puts up while the till is open appear without a new log-in.
#[test]
fn quick_keys_add_goods_by_keyboard_and_touch() {
    let s = setup();
    let mut h = harness(&s.path, None);
    log_in(&mut h, "kassir", PASS);
    open_shift(&mut h, "0");
    // No keys yet: the dialog says who arranges them.
    press(&mut h, Key::F10);
    assert!(
        h.query_by_label_contains(&t(T::QuickKeysNone)[..20])
            .is_some()
    );
    press(&mut h, Key::Escape);

    // A manager puts Non on page 2 key 1 (labelled "Non") and Olma (weighed) on page 2 key 6.
    {
        let mut app = App::open_existing(&s.path, Options { bcrypt_cost: 4 }).unwrap();
        let m = app.login("menejer", PASS).unwrap();
        let id = |app: &mut App, name: &str| {
            app.products_page(
                &m,
                &kassa::app::ProductQuery {
                    text: name.into(),
                    limit: 5,
                    ..Default::default()
                },
            )
            .unwrap()
            .0[0]
                .id
        };
        let (non, olma) = (id(&mut app, "Non tandir"), id(&mut app, "Olma"));
        app.set_quick_key(&m, 2, 1, Some((non, "Non"))).unwrap();
        app.set_quick_key(&m, 2, 6, Some((olma, ""))).unwrap();
        let cashier = app.login("kassir", PASS).unwrap();
        assert!(app.set_quick_key(&cashier, 2, 2, Some((non, ""))).is_err());
    }
    // The till reads them within two seconds.
    wait_until(&mut h, "quick keys", |h| {
        h.state().till().unwrap().quick_keys_count() == 2
    });
    press(&mut h, Key::F10);
    h.input_mut().events.push(Event::Text("2".into()));
    h.run();
    press(&mut h, Key::Enter); // key 1 of page 2
    assert_eq!(cart(&h), vec![("Non tandir".into(), 1000)]);
    assert!(h.query_by_label(t(T::QuickKeysTitle)).is_none(), "closed");

    // By arrows: key 6 is one row down and one to the right; it asks for the weight.
    press(&mut h, Key::F10);
    h.input_mut().events.push(Event::Text("2".into()));
    h.run();
    press(&mut h, Key::ArrowDown);
    press(&mut h, Key::ArrowRight);
    press(&mut h, Key::Enter);
    // Nothing enters the cart until the weight is given; Esc leaves the cart as it was.
    assert!(h.query_by_label(t(T::WeightLabel)).is_some());
    assert_eq!(cart(&h), vec![("Non tandir".into(), 1000)]);
    press(&mut h, Key::Escape);
    assert_eq!(cart(&h), vec![("Non tandir".into(), 1000)]);
    press(&mut h, Key::F10);
    h.input_mut().events.push(Event::Text("2".into()));
    h.run();
    press(&mut h, Key::ArrowDown);
    press(&mut h, Key::ArrowRight);
    press(&mut h, Key::Enter);
    // Enter with no weight adds nothing and says why.
    press(&mut h, Key::Enter);
    assert!(h.query_by_label(t(T::WeightNeeded)).is_some());
    assert_eq!(cart(&h), vec![("Non tandir".into(), 1000)]);
    set_field(&mut h, t(T::WeightLabel), "0,750");
    press(&mut h, Key::Enter);
    assert_eq!(
        cart(&h),
        vec![("Non tandir".into(), 1000), ("Olma".into(), 750)]
    );

    // By touch: the side button, then the key.
    click(&mut h, t(T::QuickKeysKey));
    h.query_all_by_label_contains("Non\n")
        .next()
        .expect("the Non key")
        .click();
    h.run();
    assert_eq!(
        cart(&h),
        vec![("Non tandir".into(), 2000), ("Olma".into(), 750)]
    );
}

/// The side buttons (the last is F10's) and the quick-pick dialog's twelve keys and Close
/// lie inside the window at 1024×768 and 1280×720 in every language.
#[test]
fn the_quick_keys_and_the_side_buttons_fit_the_window() {
    let s = setup();
    for (w, hgt) in [(1024.0, 768.0), (1280.0, 720.0)] {
        let mut h = till_at(&s.path, (w, hgt));
        let screen = egui::Rect::from_min_size(egui::Pos2::ZERO, egui::vec2(w, hgt));
        for lang in Lang::ALL {
            click(&mut h, lang.name());
            let side = h
                .get_by_role_and_label(egui::accesskit::Role::Button, lang.t(T::QuickKeysKey))
                .rect();
            assert!(screen.contains_rect(side), "{lang:?} {w}×{hgt}: {side:?}");
            press(&mut h, Key::F10);
            for n in 1..=12 {
                let key = h
                    .query_all_by_label(&n.to_string())
                    .last()
                    .unwrap_or_else(|| panic!("key {n}"))
                    .rect();
                assert!(
                    screen.contains_rect(key),
                    "{lang:?} {w}×{hgt}: key {n} {key:?}"
                );
            }
            let close = h
                .get_by_role_and_label(egui::accesskit::Role::Button, lang.t(T::Close))
                .rect();
            assert!(screen.contains_rect(close), "{lang:?} {w}×{hgt}: {close:?}");
            press(&mut h, Key::Escape);
        }
    }
}

/// A refused scan is heard as well as seen: one tone per refusal (unknown code, misread
/// check digit, a scan during payment), none for a scan that adds.
#[test]
fn refused_scans_are_heard() {
    use kassa::devices::sound::{Sound, Tone};
    let s = setup();
    let mut h = harness(&s.path, None);
    let (tx, rx) = std::sync::mpsc::channel();
    h.state_mut().attach_sound(Sound::to(tx));
    log_in(&mut h, "kassir", PASS);
    open_shift(&mut h, "0");
    scan(&mut h, &[NON]);
    assert_eq!(rx.try_iter().count(), 0, "an added scan is silent");
    scan(&mut h, &["4600000000008"]);
    assert_eq!(rx.try_iter().collect::<Vec<_>>(), vec![Tone::Refused]);
    scan(&mut h, &["4006381333932"]); // NON with a wrong check digit
    assert_eq!(rx.try_iter().count(), 1);
    assert!(h.query_by_label_contains("4006381333932").is_some());
    assert_eq!(cart(&h), vec![("Non tandir".into(), 1000)]);
}

/// Scans into a dialog on a busy machine: the characters arrive a frame apart (a quarter of
/// a second here, far past the burst detector), so they reach the dialog's field; the Enter
/// that ends them adds the product (or refuses an unknown code) and takes the digits back
/// out, never reading them as a quantity, a discount or a page of quick keys.
#[test]
fn slow_scans_into_dialogs_go_to_the_cart() {
    let s = setup();
    let mut h = harness(&s.path, None);
    log_in(&mut h, "menejer", PASS);
    open_shift(&mut h, "0");
    scan(&mut h, &[NON]);
    let slow = |h: &mut H, code: &str| {
        for c in code.chars() {
            h.input_mut().events.push(Event::Text(c.to_string()));
            h.step();
        }
        h.input_mut().events.push(enter());
        h.step();
        h.run();
    };
    // The quantity dialog: the scan's digits leave its field, the line keeps its quantity.
    press(&mut h, Key::F3);
    slow(&mut h, SUT);
    assert_eq!(
        cart(&h),
        vec![("Non tandir".into(), 1000), ("Sut 2.5% 1 l".into(), 1000)]
    );
    let field = h
        .get_by_label(t(T::QuantityLabel))
        .value()
        .unwrap_or_default();
    assert!(
        !field.contains("9638"),
        "the digits were taken back out of the field: {field}"
    );
    // An unknown code is refused where the cashier looks; nothing is added.
    slow(&mut h, "4600000000008");
    assert!(h.query_by_label_contains("4600000000008").is_some());
    assert_eq!(cart(&h).len(), 2);
    press(&mut h, Key::Escape);
    // The discount dialog.
    press(&mut h, Key::F4);
    slow(&mut h, NON);
    assert_eq!(
        cart(&h),
        vec![("Non tandir".into(), 2000), ("Sut 2.5% 1 l".into(), 1000)]
    );
    assert_eq!(
        h.state().till().unwrap().cart().sale_discount(),
        kassa::domain::cart::Discount::None
    );
    press(&mut h, Key::Escape);
    // The quick keys: digits would choose pages, Enter a key; the scan wins.
    press(&mut h, Key::F10);
    slow(&mut h, SUT);
    assert_eq!(
        cart(&h),
        vec![("Non tandir".into(), 2000), ("Sut 2.5% 1 l".into(), 2000)]
    );
}

/// In the nasiya part of the payment dialog, Tab goes from the customer search to the
/// new-customer button and then to the due date (the customer rows are chosen with ↑↓ and
/// Enter, not Tab stops hidden in the scrolled list).
#[test]
fn tab_reaches_the_due_date_from_the_customer_search() {
    let s = setup();
    let mut h = harness(&s.path, None);
    log_in(&mut h, "kassir", PASS);
    open_shift(&mut h, "0");
    scan(&mut h, &[SUT]);
    press(&mut h, Key::F12);
    press(&mut h, Key::F3);
    assert!(h.get_by_label(t(T::FindCustomer)).is_focused());
    press(&mut h, Key::Tab);
    press(&mut h, Key::Tab);
    assert!(h.get_by_label(t(T::DueDate)).is_focused());
}

/// What a scanner on a busy machine does: the code's first `split` digits in one frame,
/// the rest and Enter in a later one (kittest frames stand for the pause between bursts).
fn split_scan(h: &mut H, code: &str, split: usize) {
    let (head, tail) = code.split_at(split);
    for c in head.chars() {
        h.input_mut().events.push(Event::Text(c.to_string()));
    }
    h.step();
    h.step();
    for c in tail.chars() {
        h.input_mut().events.push(Event::Text(c.to_string()));
    }
    h.input_mut().events.push(enter());
    h.step();
    h.run();
}

/// The value of the text field labelled `label`.
fn field_value(h: &H, label: &str) -> String {
    h.get_by_label(label).value().unwrap_or_default()
}

/// A scan split at every point, in every dialog of the till: the product goes to the cart
/// (an unknown code is refused with a notice), the dialog stays as it was (the quick keys
/// close, the payment takes the new total), and no field keeps a digit of it.
#[test]
fn split_scans_in_every_dialog_go_to_the_cart_never_into_a_field() {
    let s = setup();
    let mut h = harness(&s.path, None);
    log_in(&mut h, "kassir", PASS);
    open_shift(&mut h, "0");
    scan(&mut h, &[NON]);
    // A sale, so that F7 has a receipt to show, and a parked cart for F6.
    press(&mut h, Key::F12);
    press(&mut h, Key::Enter);
    assert_eq!(sales(&mut h).len(), 1);
    scan(&mut h, &[SUT]);
    press(&mut h, Key::F5);
    scan(&mut h, &[NON]);
    let non_count = |h: &H| {
        cart(h)
            .iter()
            .find(|l| l.0 == "Non tandir")
            .map_or(0, |l| l.1 / 1000)
    };
    // (the dialog's key, its title, the field that must keep its value)
    let dialogs: Vec<(Key, Option<Key>, T, Option<&str>)> = vec![
        (Key::F3, None, T::QuantityTitle, Some(t(T::QuantityLabel))),
        (Key::F4, None, T::ApproveDiscountTitle, Some(t(T::Login))),
        (
            Key::F12,
            Some(Key::F3),
            T::PaymentTitle,
            Some(t(T::FindCustomer)),
        ),
        (Key::F9, None, T::CloseShiftTitle, Some(t(T::CountedCash))),
        (Key::F6, None, T::ParkedTitle, None),
        (Key::F7, None, T::Preview, None),
    ];
    for (key, then, title, field) in dialogs {
        for split in [1, 4, 9, 12] {
            press(&mut h, key);
            if let Some(k) = then {
                press(&mut h, k);
            }
            assert!(h.query_by_label(t(title)).is_some(), "{title:?} is open");
            let check = field.map(|label| (label, field_value(&h, label)));
            let before = non_count(&h);
            split_scan(&mut h, NON, split);
            assert_eq!(non_count(&h), before + 1, "{title:?} split at {split}");
            assert!(h.query_by_label(t(title)).is_some(), "{title:?} stays open");
            if let Some((label, value)) = &check {
                assert_eq!(&field_value(&h, label), value, "{title:?} split at {split}");
            }
            // An unknown code: refused where the cashier looks, nothing added or typed.
            split_scan(&mut h, "4600000000008", split);
            assert_eq!(non_count(&h), before + 1);
            assert!(
                h.state()
                    .toast()
                    .is_some_and(|t| t.error && t.text.contains("4600000000008")),
                "{title:?}: the refusal is shown"
            );
            if let Some((label, value)) = &check {
                assert_eq!(&field_value(&h, label), value, "{title:?} split at {split}");
            }
            press(&mut h, Key::Escape);
            assert!(
                h.query_by_label(t(title)).is_none(),
                "{title:?} closed by Esc"
            );
        }
    }
    // The payment dialog's cash field: it takes the new total.
    press(&mut h, Key::F12);
    split_scan(&mut h, NON, 6);
    let total = h.state().till().unwrap().cart().totals().unwrap().total;
    assert_eq!(
        field_value(&h, t(T::CashReceived)),
        total.format_number().replace(' ', "")
    );
    press(&mut h, Key::Escape);
    // The quick keys close with a scan; digits typed before it chose a page only.
    for split in [1, 5, 12] {
        press(&mut h, Key::F10);
        let before = non_count(&h);
        split_scan(&mut h, NON, split);
        assert_eq!(non_count(&h), before + 1);
        assert!(h.query_by_label(t(T::QuickKeysTitle)).is_none(), "closed");
    }
    assert_eq!(
        h.state().till().unwrap().search(),
        "",
        "nothing in the search box"
    );
}

/// In the close-shift count an 8-digit amount is real money: typed and entered, it is the
/// count (not a scan), and the expected cash and the difference are shown.
#[test]
fn an_eight_digit_count_is_money_not_a_scan() {
    let s = setup();
    let mut h = harness(&s.path, None);
    log_in(&mut h, "kassir", PASS);
    open_shift(&mut h, "0");
    scan(&mut h, &[NON]);
    press(&mut h, Key::F9);
    for c in "12345678".chars() {
        h.input_mut().events.push(Event::Text(c.to_string()));
        h.step();
    }
    h.input_mut().events.push(enter());
    h.step();
    h.run();
    assert_eq!(cart(&h).len(), 1, "nothing added");
    assert!(
        h.query_by_label_contains(t(T::Difference)).is_some(),
        "the count was taken and the difference shown"
    );
}

/// After choosing a nasiya customer with Enter, the focus goes to the due date.
#[test]
fn choosing_a_nasiya_customer_moves_to_the_due_date() {
    let s = setup();
    let mut h = harness(&s.path, None);
    log_in(&mut h, "kassir", PASS);
    open_shift(&mut h, "0");
    scan(&mut h, &[SUT]);
    press(&mut h, Key::F12);
    press(&mut h, Key::F3);
    assert!(h.get_by_label(t(T::FindCustomer)).is_focused());
    press(&mut h, Key::Enter);
    h.run();
    assert!(h.get_by_label(t(T::DueDate)).is_focused());
}

/// A price changed elsewhere while the payment dialog is open: the dialog takes the new
/// total and says so, and Enter sells at it.
#[test]
fn a_price_changed_during_payment_is_taken_with_a_notice() {
    let s = setup();
    let mut h = harness(&s.path, None);
    log_in(&mut h, "kassir", PASS);
    open_shift(&mut h, "0");
    scan(&mut h, &[NON]);
    press(&mut h, Key::F12);
    assert_eq!(field_value(&h, t(T::CashReceived)), "4000");
    {
        let mut other = App::open_existing(&s.path, Options { bcrypt_cost: 4 }).unwrap();
        let m = other.login("menejer", PASS).unwrap();
        let non = other.product_by_barcode(&m, NON).unwrap();
        other
            .update_product(
                &m,
                non.id,
                &ProductInput {
                    name: non.name.clone(),
                    category_id: None,
                    unit: Unit::Piece,
                    purchase_price: Money(non.purchase_price),
                    sale_price: Money::from_major(4_500),
                    low_stock_threshold: Quantity(non.low_stock_threshold),
                    barcodes: vec![NON.into()],
                    fiscal: Default::default(),
                },
            )
            .unwrap();
    }
    wait_until(&mut h, "the new price", |h| {
        field_value(h, t(T::CashReceived)) == "4500"
    });
    assert!(
        h.query_by_label_contains(&Lang::Uz.fill(T::TotalChanged, &["4 000 soʻm", "4 500 soʻm"]))
            .is_some()
    );
    press(&mut h, Key::Enter);
    assert!(cart(&h).is_empty(), "sold");
    assert_eq!(
        sales(&mut h)[0],
        (450_000, vec![("cash".into(), 450_000, 0)])
    );
}

/// An empty starting cash does not open the shift as 0: the cashier is asked to type the
/// amount; a typed 0 opens it.
#[test]
fn an_empty_starting_cash_is_asked_for_and_a_typed_zero_opens() {
    let s = setup();
    let mut h = harness(&s.path, None);
    log_in(&mut h, "kassir", PASS);
    h.get_by_label(t(T::OpenShift)).click();
    h.run();
    assert!(
        h.query_by_label(t(T::StartingCash)).is_some(),
        "still closed"
    );
    assert_eq!(
        h.state().toast().map(|t| t.text.clone()).as_deref(),
        Some(t(T::StartingCashNeeded))
    );
    {
        let mut app = App::open_read_only(&s.path).unwrap();
        assert_eq!(
            common::scalar(&mut app, "SELECT COUNT(*) AS n FROM shifts"),
            0
        );
    }
    open_shift(&mut h, "0");
}

/// A shift closed from outside (`kassa shifts close-all` beside the running window): the
/// till and its status bar say so within two seconds, and the cart stays.
#[test]
fn a_shift_closed_elsewhere_is_seen_at_the_till() {
    let s = setup();
    let mut h = harness(&s.path, None);
    log_in(&mut h, "kassir", PASS);
    open_shift(&mut h, "0");
    scan(&mut h, &[NON]);
    let mut other = App::open_existing(&s.path, Options { bcrypt_cost: 4 }).unwrap();
    assert_eq!(other.maintenance_close_all_shifts().unwrap().len(), 1);
    wait_until(&mut h, "the closed shift", |h| {
        h.query_by_label(t(T::StartingCash)).is_some()
    });
    assert!(
        h.query_by_label(t(T::NoShift)).is_some(),
        "the status bar says so"
    );
    assert_eq!(cart(&h).len(), 1, "the cart stays for the next shift");
}

/// The database file deleted under the running window: within seconds the window says so in
/// red and refuses to sell; the sale in progress stays in the cart.
#[test]
fn a_database_deleted_under_the_window_stops_sales_and_says_so() {
    let s = setup();
    let mut h = harness(&s.path, None);
    log_in(&mut h, "kassir", PASS);
    open_shift(&mut h, "0");
    scan(&mut h, &[NON]);
    // Deleted by path (nothing opens the file): the window's connections still hold it.
    std::fs::remove_file(&s.path).unwrap();
    let gone = Lang::Uz.fill(T::ErrDatabaseGone, &[&s.path.display().to_string()]);
    wait_until(&mut h, "the notice", |h| h.query_by_label(&gone).is_some());
    press(&mut h, Key::F12);
    press(&mut h, Key::Enter);
    assert_eq!(cart(&h).len(), 1, "not sold: the cart stays");
    assert!(
        h.query_all_by_label_contains("oʻchirildi yoki koʻchirildi")
            .count()
            >= 1
    );
}

/// The disk fills up under the running till (a small file system of its own, filled to the
/// last byte): the sale is refused with "the disk is full" in the cashier's language, not
/// "database error", nothing is written and the cart stays; with room again it sells.
#[test]
fn a_full_disk_is_named_and_the_cart_stays() {
    let s = setup();
    let Some(disk) = common::SmallDisk::mount(8) else {
        return;
    };
    let path = disk.dir.path().join("kassa.db");
    std::fs::copy(&s.path, &path).unwrap();
    let mut h = harness(&path, None);
    log_in(&mut h, "kassir", PASS);
    open_shift(&mut h, "0");
    scan(&mut h, &[NON]);
    // The write-ahead log emptied, so the sale's pages need new room on the disk.
    h.state_mut()
        .app()
        .connection()
        .batch_execute("PRAGMA wal_checkpoint(TRUNCATE);")
        .unwrap();
    let filler = disk.fill();
    press(&mut h, Key::F12);
    press(&mut h, Key::Enter);
    assert_eq!(cart(&h).len(), 1, "not sold: the cart stays");
    assert!(
        h.query_by_label_contains(Lang::Uz.t(T::DbDiskFull))
            .is_some(),
        "the full disk is named"
    );
    assert!(h.query_by_label_contains(Lang::Uz.t(T::DbQuery)).is_none());
    std::fs::remove_file(filler).unwrap();
    assert!(sales(&mut h).is_empty());
    press(&mut h, Key::Escape);
    press(&mut h, Key::F12);
    press(&mut h, Key::Enter);
    assert!(cart(&h).is_empty(), "sold once there is room");
    assert_eq!(sales(&mut h).len(), 1);
    drop(h);
}

/// Another program (Python's sqlite3) holds the database's write lock: the till does not
/// freeze (the payment answers within moments, not after SQLite's 30 s), says it waits and for
/// which program, keeps taking scans, and saves the sale by itself, once, when the lock goes.
#[test]
fn a_write_lock_held_elsewhere_never_freezes_the_till() {
    use std::io::{BufRead, BufReader, Write};
    use std::process::{Command, Stdio};
    let s = setup();
    let mut h = harness(&s.path, None);
    log_in(&mut h, "kassir", PASS);
    open_shift(&mut h, "0");
    scan(&mut h, &[NON]);
    let mut locker = Command::new("python3")
        .arg("-c")
        .arg(
            "import sqlite3, sys\n\
             c = sqlite3.connect(sys.argv[1], isolation_level=None)\n\
             c.execute('BEGIN IMMEDIATE')\n\
             print('locked', flush=True)\n\
             sys.stdin.readline()\n\
             c.execute('COMMIT')\n",
        )
        .arg(&s.path)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("python3");
    let mut line = String::new();
    BufReader::new(locker.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    assert_eq!(line.trim(), "locked");

    let asked = std::time::Instant::now();
    press(&mut h, Key::F12);
    press(&mut h, Key::Enter);
    let answered = asked.elapsed();
    assert!(
        answered < std::time::Duration::from_secs(5),
        "the till froze for {answered:?}"
    );
    let who = Lang::Uz.fill(T::DbBusyProcess, &["", &locker.id().to_string()]);
    let who = who.trim_start_matches(", ");
    assert!(
        h.query_by_label_contains(who).is_some(),
        "the waiting notice names the process ({who})"
    );
    assert!(h.query_by_label_contains("Kutilmoqda").is_some());
    // Scans go on meanwhile; the new total is shown and confirmed with Enter.
    scan(&mut h, &[SUT]);
    assert_eq!(cart(&h).len(), 2);
    press(&mut h, Key::Enter);
    assert!(h.query_by_label_contains(who).is_some(), "still waiting");
    assert!(sales(&mut h).is_empty());

    locker.stdin.take().unwrap().write_all(b"\n").unwrap();
    locker.wait().unwrap();
    wait_until(&mut h, "the sale saved by itself", |h| cart(h).is_empty());
    let sold = sales(&mut h);
    assert_eq!(sold.len(), 1, "saved once");
    assert_eq!(sold[0].0, 15_000 * 100, "both goods");
}

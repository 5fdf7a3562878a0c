//! The back-office tabs driven by their visible labels, and which role sees which tab.

mod common;

use chrono::NaiveDate;
use common::gui::*;
use egui::Key;
use egui_kittest::kittest::Queryable;
use kassa::app::{
    App, ClientInput, EmployeeInput, Options, ProductInput, SaleLineInput, SaleRequest,
};
use kassa::domain::cart::Discount;
use kassa::domain::payment::{PaymentMethod, TenderInput};
use kassa::domain::{Money, Quantity, Role, Unit};
use kassa::i18n::{Lang, T};

const PASS: &str = "office-pass-1";

struct Setup {
    _dir: tempfile::TempDir,
    path: std::path::PathBuf,
}

/// Staff of every role, one product with stock and one sale.
fn setup() -> Setup {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kassa.db");
    let mut app = App::open(&path, Options { bcrypt_cost: 4 }).unwrap();
    let s = app.login("admin", "admin123").unwrap();
    let admin = app.change_password(&s, "admin123", PASS).unwrap();
    for (login, role) in [("kassir", Role::Cashier), ("menejer", Role::Manager)] {
        let input = EmployeeInput {
            full_name: format!("{login} Aka"),
            login: login.into(),
            role,
            ..Default::default()
        };
        app.create_employee(&admin, &input, "first-pass-1").unwrap();
        let s = app.login(login, "first-pass-1").unwrap();
        let s = app.change_password(&s, "first-pass-1", PASS).unwrap();
        // Refunds and debt payments belong to the manager's shift and its drawer.
        if role == Role::Manager {
            app.open_shift(&s, Money::from_major(100_000)).unwrap();
        }
    }
    let p = app
        .create_product(
            &admin,
            &ProductInput {
                name: "Non tandir".into(),
                category_id: None,
                unit: Unit::Piece,
                purchase_price: Money::from_major(3_000),
                sale_price: Money::from_major(4_000),
                low_stock_threshold: Quantity::units(5),
                barcodes: vec!["4006381333931".into()],
                fiscal: Default::default(),
            },
        )
        .unwrap();
    app.adjust_stock(&admin, p.id, Quantity::units(10), "opening count")
        .unwrap();
    app.open_shift(&admin, Money::ZERO).unwrap();
    app.sell(
        &admin,
        &SaleRequest {
            idempotency_key: "s1".into(),
            lines: vec![SaleLineInput {
                product_id: p.id,
                quantity: Quantity::units(2),
                discount: Discount::None,
                marking_codes: Vec::new(),
            }],
            sale_discount: Discount::None,
            tenders: vec![TenderInput {
                method: PaymentMethod::Card,
                amount: Money::from_major(8_000),
                channel: None,
            }],
            client_id: None,
            due_date: None,
            expected_total: None,
        },
    )
    .unwrap();
    Setup { _dir: dir, path }
}

fn open(login: &str) -> (Setup, H) {
    let s = setup();
    let mut h = harness(&s.path, None);
    log_in(&mut h, login, PASS);
    (s, h)
}

/// Customers "Mijoz 1", "Mijoz 2"… with phones `phone_prefix` + their number, each linked to
/// its Telegram chat.
fn linked_customers(h: &mut H, admin: &kassa::app::Session, phone_prefix: &str, chats: &[i64]) {
    for (i, chat) in chats.iter().enumerate() {
        let phone = format!("{phone_prefix}{}", i + 1);
        let input = ClientInput {
            full_name: format!("Mijoz {}", i + 1),
            phone: phone.clone(),
            notes: String::new(),
        };
        app(h).create_client(admin, &input).unwrap();
        app(h)
            .link_telegram(*chat, *chat, Some(*chat), &phone, "", Lang::Uz)
            .unwrap();
    }
}

fn app(h: &mut H) -> &mut App {
    h.state_mut().app()
}

fn session(h: &mut H, login: &str) -> kassa::app::Session {
    app(h).login(login, PASS).unwrap()
}

/// Settings beside the broadcast panel at 1024×768 and 1280×720, in every language: every
/// field and a refusal under its field stay left of the panel (the list scrolls down).
#[test]
fn settings_and_their_refusals_fit_beside_the_broadcast_panel() {
    for size in [(1024.0, 768.0), (1280.0, 720.0)] {
        for lang in Lang::ALL {
            let s = setup();
            let mut h = harness_sized(&s.path, None, size);
            log_in(&mut h, "admin", PASS);
            click(&mut h, lang.name());
            click(&mut h, lang.t(T::TabSettings));
            set_field(&mut h, lang.t(T::PaperWidth), "61");
            click(&mut h, lang.t(T::SaveButton));
            let panel_left = h.get_by_label(lang.t(T::BroadcastText)).rect().left();
            // The field's label and the refusal both name 58.
            let shown: Vec<egui::Rect> = h
                .query_all_by_label_contains("58")
                .map(|n| n.rect())
                .collect();
            assert!(shown.len() >= 2, "{lang:?} {size:?}: no refusal shown");
            for (what, r) in shown.into_iter().map(|r| ("58", r)).chain([(
                "the paper width field",
                h.get_by_label(lang.t(T::PaperWidth)).rect(),
            )]) {
                assert!(
                    r.right() <= panel_left && r.left() >= 0.0,
                    "{lang:?} {size:?}: {what} at {r:?}, the panel starts at {panel_left}"
                );
            }
        }
    }
}

#[test]
fn each_role_sees_its_tabs() {
    let all = [
        T::TabTill,
        T::TabProducts,
        T::TabStock,
        T::TabSuppliers,
        T::TabCustomers,
        T::TabSales,
        T::TabExpenses,
        T::TabReports,
        T::TabStaff,
        T::TabAudit,
        T::TabSettings,
    ];
    for (login, visible) in [
        ("kassir", vec![T::TabTill, T::TabReports]),
        ("menejer", all[..10].to_vec()),
        ("admin", all.to_vec()),
    ] {
        let (_s, h) = open(login);
        for tab in all {
            assert_eq!(
                h.query_by_label(t(tab)).is_some(),
                visible.contains(&tab),
                "{login} and {tab:?}"
            );
        }
    }
}

/// A shop's own code that fails the EAN check digit is saved from the form as an internal
/// code, and the window says so.
#[test]
fn an_internal_code_is_saved_from_the_form_with_a_note() {
    let (_s, mut h) = open("menejer");
    click(&mut h, t(T::TabProducts));
    click(&mut h, t(T::NewProduct));
    set_field(&mut h, t(T::ColName), "Choy Ahmad");
    set_field(&mut h, t(T::Barcodes), "33333333");
    set_field(&mut h, t(T::ColPrice), "25000");
    click(&mut h, t(T::SaveButton));
    let note = Lang::Uz.fill(T::ImportInternalCodes, &["33333333"]);
    assert!(h.query_by_label_contains(&note).is_some(), "no {note:?}");
    let manager = session(&mut h, "menejer");
    let found = app(&mut h).search_products(&manager, "Choy", 10).unwrap();
    assert_eq!(found[0].barcodes, vec!["33333333".to_string()]);
}

#[test]
fn products_are_created_with_errors_at_the_field_edited_searched_and_deleted() {
    let (_s, mut h) = open("menejer");
    click(&mut h, t(T::TabProducts));
    assert!(h.query_by_label("Non tandir").is_some());

    click(&mut h, t(T::NewProduct));
    set_field(&mut h, t(T::ColName), "Qatiq 0.5 l");
    set_field(&mut h, t(T::Barcodes), "40063!81");
    set_field(&mut h, t(T::ColPrice), "9000");
    set_field(&mut h, t(T::PurchasePrice), "7000");
    click(&mut h, t(T::SaveButton));
    // A malformed code is reported at the barcode field, and nothing is saved.
    assert!(h.query_by_label_contains("40063!81").is_some());
    let manager = session(&mut h, "menejer");
    assert_eq!(
        app(&mut h)
            .search_products(&manager, "Qatiq", 10)
            .unwrap()
            .len(),
        0
    );
    set_field(&mut h, t(T::Barcodes), "96385074, 036000291452");
    set_field(&mut h, t(T::ColPrice), "abc");
    click(&mut h, t(T::SaveButton));
    assert!(
        h.query_by_label_contains("abc").is_some(),
        "the price error is shown"
    );
    set_field(&mut h, t(T::ColPrice), "9000");
    click(&mut h, t(T::SaveButton));
    let found = app(&mut h).search_products(&manager, "Qatiq", 10).unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(
        found[0].barcodes,
        vec!["96385074".to_string(), "036000291452".to_string()]
    );
    assert_eq!(found[0].sale_price, Money::from_major(9_000).0);

    // Search (Cyrillic finds Latin), edit, delete.
    set_field(&mut h, t(T::SearchProducts), "ҚАТИҚ");
    assert!(h.query_by_label("Qatiq 0.5 l").is_some());
    assert!(h.query_by_label("Non tandir").is_none());
    click(&mut h, "Qatiq 0.5 l");
    set_field(&mut h, t(T::ColPrice), "9500");
    click(&mut h, t(T::SaveButton));
    assert_eq!(
        app(&mut h).search_products(&manager, "Qatiq", 10).unwrap()[0].sale_price,
        Money::from_major(9_500).0
    );
    click(&mut h, "Qatiq 0.5 l");
    click(&mut h, t(T::Delete));
    click(&mut h, t(T::ConfirmDelete));
    assert!(
        app(&mut h)
            .search_products(&manager, "Qatiq", 10)
            .unwrap()
            .is_empty()
    );

    // The low-stock filter: Non has 8 left, threshold 5 — not low; set the threshold to 10.
    set_field(&mut h, t(T::SearchProducts), "");
    click(&mut h, t(T::LowStockOnly));
    assert!(h.query_by_label("Non tandir").is_none());
    click(&mut h, t(T::LowStockOnly));
    click(&mut h, "Non tandir");
    set_field(&mut h, t(T::LowStockThreshold), "10");
    click(&mut h, t(T::SaveButton));
    click(&mut h, t(T::LowStockOnly));
    assert!(h.query_by_label("Non tandir").is_some());

    // A category made in place.
    click(&mut h, t(T::Categories));
    set_field(&mut h, t(T::NewCategory), "Sut mahsulotlari");
    click(&mut h, t(T::Add));
    assert_eq!(
        app(&mut h).categories(&manager).unwrap()[0].name,
        "Sut mahsulotlari"
    );
}

#[test]
fn stock_is_received_and_adjusted() {
    let (_s, mut h) = open("menejer");
    // The supplier first, in its own tab.
    click(&mut h, t(T::TabSuppliers));
    click(&mut h, t(T::NewSupplier));
    set_field(&mut h, t(T::ColName), "Baza Chorsu");
    set_field(&mut h, t(T::Tin), "12345");
    click(&mut h, t(T::SaveButton));
    assert!(
        h.query_by_label(t(T::ErrTin)).is_some(),
        "a short TIN is refused at the form"
    );
    set_field(&mut h, t(T::Tin), "301 234 567");
    click(&mut h, t(T::SaveButton));
    let manager = session(&mut h, "menejer");
    let suppliers = app(&mut h).suppliers(&manager, false).unwrap();
    assert_eq!(suppliers.len(), 1);
    assert_eq!(suppliers[0].supplier.tin, "301234567");

    click(&mut h, t(T::TabStock));
    set_field(&mut h, t(T::SearchProducts), "non");
    click(&mut h, &t(T::AddToSupply).replace("{}", "Non tandir"));
    h.get_by_role_and_label(egui::accesskit::Role::ComboBox, t(T::Supplier))
        .click();
    h.run();
    click(&mut h, "Baza Chorsu");
    set_field(&mut h, t(T::ColQty), "12");
    set_field(&mut h, t(T::UnitCost), "3200");
    set_field(&mut h, t(T::PaidNow), "10000");
    click(&mut h, t(T::SaveSupply));
    let p = app(&mut h)
        .product_by_barcode(&manager, "4006381333931")
        .unwrap();
    assert_eq!(p.stock, Quantity::units(20).0);
    assert_eq!(p.purchase_price, Money::from_major(3_200).0);
    assert!(
        h.query_all_by_label("Baza Chorsu").count() >= 1,
        "the supply is in the history"
    );
    let owed = app(&mut h).suppliers(&manager, false).unwrap()[0].owed;
    assert_eq!(
        owed,
        Money::from_major(12 * 3_200 - 10_000).0,
        "paid in part by bank"
    );

    // The rest from the manager's drawer: no shift, refused; then paid and in the X report.
    app(&mut h)
        .close_shift(&manager, Money::from_major(100_000), "")
        .unwrap();
    click(&mut h, t(T::TabSuppliers));
    click(&mut h, "Baza Chorsu");
    // Not archived while owed; the refusal goes once the debt is paid.
    click(&mut h, t(T::ArchiveSupplier));
    let still_owed = "Bu yetkazib beruvchiga hali";
    assert!(h.query_by_label_contains(still_owed).is_some());
    set_field(&mut h, t(T::PaymentAmount), "28400");
    click(&mut h, t(T::PayFromDrawer));
    click(&mut h, t(T::PaySupplier));
    assert!(h.query_by_label(t(T::ErrPayoutNeedsShift)).is_some());
    app(&mut h)
        .open_shift(&manager, Money::from_major(50_000))
        .unwrap();
    click(&mut h, t(T::PaySupplier));
    assert_eq!(app(&mut h).suppliers(&manager, false).unwrap()[0].owed, 0);
    assert!(
        h.query_by_label_contains(still_owed).is_none(),
        "the archive refusal is gone once paid"
    );
    let x = app(&mut h).x_report(&manager).unwrap();
    assert_eq!(x.cash_to_suppliers, Money::from_major(28_400).0);
    assert_eq!(x.expected_cash, Money::from_major(50_000 - 28_400).0);
    assert!(
        h.query_by_label(t(T::StmtCash)).is_some(),
        "the statement lists the cash payment"
    );

    click(&mut h, t(T::TabStock));
    click(&mut h, &t(T::ShowMovements).replace("{}", "Non tandir"));
    set_field(&mut h, t(T::AdjustBy), "-3");
    click(&mut h, t(T::Adjust));
    assert!(
        h.query_by_label(&t(T::ErrRequired).replace("{}", t(T::Reason)))
            .is_some(),
        "the missing reason is reported"
    );
    assert_eq!(
        app(&mut h).product(&manager, p.id).unwrap().stock,
        Quantity::units(20).0,
        "no reason, no change"
    );
    set_field(&mut h, t(T::Reason), "broken");
    click(&mut h, t(T::Adjust));
    assert_eq!(
        app(&mut h).product(&manager, p.id).unwrap().stock,
        Quantity::units(17).0
    );
    assert!(
        h.query_by_label("broken").is_some(),
        "the movement is listed"
    );
}

#[test]
fn customers_pay_debts_and_only_the_admin_deletes() {
    let (_s, mut h) = open("menejer");
    click(&mut h, t(T::TabCustomers));
    click(&mut h, t(T::NewCustomer));
    set_field(&mut h, t(T::CustomerName), "Aziz Rahimov");
    set_field(&mut h, t(T::Phone), "12345");
    click(&mut h, t(T::SaveButton));
    assert!(
        h.query_by_label(t(T::ErrPhone)).is_some(),
        "a bad phone is refused"
    );
    set_field(&mut h, t(T::Phone), "+998 90 123 45 67");
    click(&mut h, t(T::SaveButton));
    let manager = session(&mut h, "menejer");
    let aziz = app(&mut h).clients(&manager, "Aziz", 5).unwrap().remove(0);
    app(&mut h)
        .adjust_client_balance(&manager, aziz.id, Money::from_major(-50_000), "old debt")
        .unwrap();
    // The list reloads after a payment; pick Aziz and pay 20 000.
    click(&mut h, "Aziz Rahimov");
    set_field(&mut h, t(T::PaymentAmount), "20000");
    click(&mut h, t(T::TakePayment));
    assert_eq!(
        app(&mut h).client(&manager, aziz.id).unwrap().balance,
        Money::from_major(-30_000).0
    );
    assert!(
        h.query_by_label(t(T::KindPayment)).is_some(),
        "the ledger shows the payment"
    );
    // A manager may not delete.
    assert!(h.query_by_label(t(T::Delete)).is_none());
}

#[test]
fn a_sale_is_found_and_refunded_with_confirmation() {
    let (_s, mut h) = open("menejer");
    click(&mut h, t(T::TabSales));
    click(&mut h, "#1");
    assert!(
        h.query_all_by_label_contains("Non tandir").count() >= 2,
        "the receipt and the refund form are shown"
    );
    // One of the two loaves first. The form lies inside the window.
    let screen = egui::Rect::from_min_size(egui::Pos2::ZERO, egui::vec2(1280.0, 720.0));
    for label in [t(T::RefundChosen), t(T::RefundAll), t(T::Close)] {
        let r = h
            .get_by_role_and_label(egui::accesskit::Role::Button, label)
            .rect();
        assert!(screen.contains_rect(r), "{label} at {r:?}");
    }
    set_field(&mut h, "Non tandir", "1");
    click(&mut h, t(T::RefundChosen));
    assert!(h.query_by_label(t(T::RefundWarning)).is_some());
    click(&mut h, t(T::ConfirmRefund));
    let manager = session(&mut h, "menejer");
    let detail = app(&mut h).sale(&manager, 1).unwrap();
    assert!(detail.sale.refunded_at.is_none());
    assert_eq!(detail.sale.refunded_amount, Money::from_major(4_000).0);
    assert!(
        h.query_by_label("1 dona").is_some(),
        "the form shows what is left"
    );
    // Then the rest, with a reason.
    set_field(&mut h, t(T::RefundReason), "returned");
    click(&mut h, t(T::RefundAll));
    click(&mut h, t(T::ConfirmRefund));
    let detail = app(&mut h).sale(&manager, 1).unwrap();
    assert!(detail.sale.refunded_at.is_some());
    assert_eq!(detail.sale.refund_reason, "returned");
    assert!(
        h.query_by_label(t(T::RefundAll)).is_none(),
        "nothing is left to refund"
    );
}

#[test]
fn expenses_are_added_and_deleted() {
    let (_s, mut h) = open("menejer");
    click(&mut h, t(T::TabExpenses));
    set_field(&mut h, t(T::NewCategory), "Ijara");
    click(&mut h, t(T::AddCategory));
    set_field(&mut h, t(T::ColSum), "1500000");
    set_field(&mut h, t(T::Notes), "Noyabr ijarasi");
    click(&mut h, t(T::Add));
    assert!(h.query_by_label("Noyabr ijarasi").is_some());
    assert!(
        h.query_all_by_label_contains("1 500 000 soʻm").count() >= 2,
        "the row and the sum"
    );
    click(&mut h, t(T::Delete));
    click(&mut h, t(T::ConfirmDelete));
    assert!(h.query_by_label("Noyabr ijarasi").is_none());
    let manager = session(&mut h, "menejer");
    let d = NaiveDate::from_ymd_opt(2000, 1, 1).unwrap();
    assert!(
        app(&mut h)
            .expenses(&manager, d, NaiveDate::from_ymd_opt(2100, 1, 1).unwrap())
            .unwrap()
            .is_empty()
    );
}

#[test]
fn staff_is_managed_by_the_admin_and_read_by_the_manager() {
    let (_s, mut h) = open("menejer");
    click(&mut h, t(T::TabStaff));
    assert!(h.query_by_label("kassir Aka").is_some());
    assert!(
        h.query_by_label(t(T::NewEmployee)).is_none(),
        "read-only for a manager"
    );

    let (_s, mut h) = open("admin");
    click(&mut h, t(T::TabStaff));
    click(&mut h, t(T::NewEmployee));
    set_field(&mut h, t(T::CustomerName), "Yangi Kassir");
    set_field(&mut h, t(T::Login), "kassir2");
    set_field(&mut h, t(T::Passport), "AA1234567");
    set_field(&mut h, t(T::FirstPassword), "first-pass-2");
    click(&mut h, t(T::SaveButton));
    assert!(h.query_by_label("Yangi Kassir").is_some());
    // The admin cannot delete themselves: a clear message, nothing changes.
    click(&mut h, "Administrator");
    click(&mut h, t(T::Delete));
    click(&mut h, t(T::ConfirmDelete));
    assert!(
        h.query_by_label(t(T::ErrSelfDelete)).is_some(),
        "a clear message"
    );
    press(&mut h, Key::Escape);
    let admin = session(&mut h, "admin");
    assert_eq!(app(&mut h).employees(&admin).unwrap().len(), 4);
}

#[test]
fn the_audit_log_filters_and_settings_keep_secrets() {
    let (_s, mut h) = open("admin");
    click(&mut h, t(T::TabAudit));
    // Sentences in the user's language, with the amounts; no action codes.
    assert!(
        h.query_all_by_label_contains("savdo qildi — savdo #1: 8 000 soʻm (karta 8 000)")
            .next()
            .is_some()
    );
    assert!(
        h.query_all_by_label_contains("sale.create")
            .next()
            .is_none()
    );
    // Filtered by a word of the action's name: only sales.
    set_field(&mut h, t(T::Action), "savdo qildi");
    assert!(
        h.query_all_by_label_contains("mahsulot yaratdi")
            .next()
            .is_none(),
        "other actions are filtered out"
    );
    assert!(
        h.query_all_by_label_contains("savdo qildi — savdo #1")
            .next()
            .is_some()
    );

    click(&mut h, t(T::TabSettings));
    set_field(&mut h, t(T::ShopName), "Baraka market");
    set_field(&mut h, t(T::BotToken), "123456:SECRET-TOKEN-VALUE");
    set_field(&mut h, t(T::TimeZone), "Mars/Base");
    set_field(&mut h, t(T::IdleMinutes), "0");
    click(&mut h, t(T::SaveButton));
    assert!(
        h.query_by_label_contains("Mars/Base").is_some(),
        "the bad time zone is reported at its field"
    );
    assert!(h.query_by_label(t(T::SettingsNotSaved)).is_some());
    // All or nothing: the good shop name of the same form was not saved either.
    let admin = session(&mut h, "admin");
    assert_ne!(
        app(&mut h).setting(&admin, "shop.name").unwrap().as_deref(),
        Some("Baraka market")
    );
    assert_eq!(
        app(&mut h).setting(&admin, "session.idle_minutes").unwrap(),
        None
    );
    set_field(&mut h, t(T::TimeZone), "Asia/Tashkent");
    set_field(&mut h, t(T::IdleMinutes), "5");
    click(&mut h, t(T::SaveButton));
    assert_eq!(
        app(&mut h)
            .setting(&admin, "session.idle_minutes")
            .unwrap()
            .as_deref(),
        Some("5")
    );
    assert_eq!(
        app(&mut h).setting(&admin, "shop.name").unwrap().as_deref(),
        Some("Baraka market")
    );
    let shown = app(&mut h)
        .setting(&admin, "telegram.token")
        .unwrap()
        .unwrap();
    assert!(!shown.contains("SECRET"), "{shown}");
    assert!(
        h.query_by_label_contains("SECRET").is_none(),
        "the token is never shown back"
    );
    let _ = ClientInput::default();
}

#[test]
fn the_admin_broadcasts_from_settings_and_sees_the_progress() {
    use common::fake_telegram::{FakeTelegram, TOKEN};
    let (s, mut h) = open("admin");
    // No token: the status bar says the bot is off, and a broadcast is refused with why.
    h.state_mut()
        .attach_bot(kassa::bot::BotStatus::default(), None);
    h.run();
    assert!(h.query_by_label(t(T::TelegramOff)).is_some());
    click(&mut h, t(T::TabSettings));
    set_field(&mut h, t(T::BroadcastText), "Ertaga dam olish kuni");
    click(&mut h, t(T::BroadcastSend));
    assert!(h.query_by_label(t(T::BroadcastNoBot)).is_some());

    // With a token, two linked customers and the bot running against a fake Telegram.
    let admin = session(&mut h, "admin");
    app(&mut h)
        .set_setting(&admin, "telegram.token", TOKEN)
        .unwrap();
    linked_customers(&mut h, &admin, "99890777000", &[301, 302]);
    let fake = FakeTelegram::start();
    let mut cfg = kassa::bot::BotConfig::new(s.path.clone(), TOKEN.into());
    cfg.api_url = Some(fake.url.clone());
    cfg.poll_timeout_secs = 1;
    cfg.tick = std::time::Duration::from_millis(50);
    let status = kassa::bot::BotStatus::default();
    let handle = kassa::bot::spawn(cfg, status.clone()).unwrap();
    h.state_mut().attach_bot(status, Some(handle));
    let running = format!("{} (@kassa_test_bot)", t(T::TelegramOn));
    wait_until(&mut h, "the bot running", |h| {
        h.query_by_label(&running).is_some()
    });

    set_field(&mut h, t(T::BroadcastText), "Ertaga dam olish kuni");
    click(&mut h, t(T::BroadcastSend));
    let done = kassa::i18n::Lang::Uz.fill(T::BroadcastProgressText, &["2", "2", "0", "0"]);
    for _ in 0..100 {
        if h.query_by_label(&done).is_some() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
        h.step();
    }
    assert!(h.query_by_label(&done).is_some(), "progress reaches 2 of 2");
    assert_eq!(fake.sent_to(301), vec!["Ertaga dam olish kuni".to_string()]);
    assert_eq!(fake.sent_to(302), vec!["Ertaga dam olish kuni".to_string()]);
}

/// Messages that may have arrived are listed in Settings; "Send all again" asks once more,
/// Cancel changes nothing, and Yes queues every one of them again, each audited.
#[test]
fn the_admin_sends_all_uncertain_messages_again_after_a_confirmation() {
    use kassa::store::db::RunOnDb;
    let (_s, mut h) = open("admin");
    let admin = session(&mut h, "admin");
    app(&mut h)
        .set_setting(&admin, "telegram.token", common::fake_telegram::TOKEN)
        .unwrap();
    linked_customers(&mut h, &admin, "99890888000", &[401, 402, 403]);
    app(&mut h).broadcast(&admin, "Yakshanba yopiq").unwrap();
    // As the bot leaves them when no answer came.
    diesel::sql_query("UPDATE telegram_outbox SET status = 'uncertain', attempts = 1")
        .execute(app(&mut h).connection())
        .unwrap();
    click(&mut h, t(T::TabSettings));
    let all = Lang::Uz.fill(T::UncertainResendAll, &["3"]);
    wait_until(&mut h, "the list", |h| h.query_by_label(&all).is_some());
    click(&mut h, &all);
    let ask = Lang::Uz.fill(T::UncertainResendAllAsk, &["3"]);
    assert!(h.query_by_label(&ask).is_some());
    click(&mut h, t(T::Cancel));
    assert!(h.query_by_label(&ask).is_none());
    assert_eq!(app(&mut h).uncertain_messages(&admin).unwrap().len(), 3);
    click(&mut h, &all);
    click(&mut h, t(T::UncertainResendAllYes));
    let done = Lang::Uz.fill(T::UncertainResentAll, &["3"]);
    assert!(h.query_by_label(&done).is_some());
    assert!(h.query_by_label(t(T::UncertainNone)).is_some());
    assert_eq!(app(&mut h).uncertain_messages(&admin).unwrap().len(), 0);
    assert_eq!(
        common::scalar(
            app(&mut h),
            "SELECT COUNT(*) AS n FROM telegram_outbox WHERE status = 'pending'"
        ),
        3
    );
    assert_eq!(
        common::scalar(
            app(&mut h),
            "SELECT COUNT(*) AS n FROM audit_logs WHERE action = 'telegram.resend'"
        ),
        3
    );
}

#[test]
fn reports_show_the_dashboard_a_report_and_export_it() {
    let (s, mut h) = open("menejer");
    click(&mut h, t(T::TabReports));
    // The dashboard of today (computed on a worker thread): one card sale of 8 000 soʻm.
    wait_until(&mut h, "the dashboard", |h| {
        h.query_all_by_label("8 000 soʻm").next().is_some()
    });
    assert!(h.query_by_label(t(T::DashByDay)).is_some());
    click(&mut h, t(T::RepSalesByProduct));
    wait_until(&mut h, "the report", |h| {
        h.query_by_label("Non tandir").is_some()
    });
    let folder = s.path.parent().unwrap().join("hisobotlar");
    set_field(&mut h, t(T::ExportFolder), folder.to_str().unwrap());
    // Written on a worker thread with a spinner meanwhile: wait for the message, not a
    // settled frame.
    h.get_by_role_and_label(egui::accesskit::Role::Button, t(T::ExportXlsx))
        .click();
    wait_until(&mut h, "the export", |h| {
        h.state()
            .toast()
            .is_some_and(|t| t.text.contains("sales-by-product_"))
    });
    let files: Vec<_> = std::fs::read_dir(&folder).unwrap().collect();
    assert_eq!(files.len(), 1);
    let name = files[0].as_ref().unwrap().file_name();
    assert!(
        name.to_string_lossy().starts_with("sales-by-product_"),
        "{name:?}"
    );
}

#[test]
fn a_cashier_sees_only_todays_dashboard() {
    let (_s, mut h) = open("kassir");
    click(&mut h, t(T::TabReports));
    wait_until(&mut h, "the dashboard", |h| {
        h.query_by_label(t(T::DashByDay)).is_some()
    });
    assert!(h.query_by_label(t(T::RepSalesByProduct)).is_none());
    assert!(h.query_by_label(t(T::From)).is_none());
}

#[test]
fn the_admin_adds_a_payment_method_and_the_till_offers_it() {
    let (_s, mut h) = open("admin");
    click(&mut h, t(T::TabSettings));
    // The new method's row is the last one of each column.
    for (key, text) in [
        (T::MethodNameUz, "Uzcard"),
        (T::MethodNameRu, "Узкард"),
        (T::MethodNameEn, "Uzcard"),
    ] {
        let role = egui::accesskit::Role::TextInput;
        h.query_all_by_role_and_label(role, t(key))
            .last()
            .expect("the new method's field")
            .focus();
        h.run();
        h.query_all_by_role_and_label(role, t(key))
            .last()
            .unwrap()
            .type_text(text);
        h.run();
    }
    // By keyboard from the last name: past "taken" and the order to the Add button.
    for _ in 0..3 {
        press(&mut h, Key::Tab);
    }
    let add = h.get_by_role_and_label(egui::accesskit::Role::Button, t(T::AddMethod));
    assert!(add.is_focused(), "Tab reaches the Add button");
    press(&mut h, Key::Enter);
    let admin = session(&mut h, "admin");
    let methods = app(&mut h).payment_methods(&admin).unwrap();
    assert_eq!(
        methods
            .active()
            .map(|m| m.name_ru.as_str())
            .collect::<Vec<_>>(),
        vec!["Банковская карта", "Узкард"]
    );
    // At the till, the payment dialog has a field for it; paying by it records it.
    click(&mut h, t(T::TabTill));
    h.input_mut()
        .events
        .push(egui::Event::Text("4006381333931".into()));
    press(&mut h, Key::Enter);
    press(&mut h, Key::F12);
    set_field(&mut h, t(T::CashReceived), "");
    set_field(&mut h, "Uzcard", "4000");
    click(&mut h, t(T::Finish));
    let uzcard = methods.0[1].id;
    let paid = common::scalar(
        app(&mut h),
        &format!("SELECT COUNT(*) AS n FROM sale_payments WHERE channel_id = {uzcard}"),
    );
    assert_eq!(paid, 1, "the sale was paid by Uzcard");
}

/// The manager puts a product on a quick-pick key from the Products tab (found by typing),
/// sees it listed, and clears it again; a page out of range is refused at the form.
#[test]
fn the_manager_arranges_the_quick_keys() {
    let (_s, mut h) = open("menejer");
    click(&mut h, t(T::TabProducts));
    click(&mut h, t(T::QuickKeysEditor));
    set_field(&mut h, t(T::QuickPage), "12");
    set_field(&mut h, t(T::QuickPosition), "3");
    set_field(&mut h, t(T::QuickKeyProduct), "non");
    // The first "Non tandir" is the match under the field (the table comes after).
    h.query_all_by_label("Non tandir")
        .next()
        .expect("the match")
        .click();
    h.run();
    set_field(&mut h, t(T::QuickLabel), "Non");
    click(&mut h, t(T::Save));
    let manager = session(&mut h, "menejer");
    assert!(app(&mut h).quick_keys(&manager).unwrap().is_empty());
    set_field(&mut h, t(T::QuickPage), "1");
    click(&mut h, t(T::Save));
    let keys = app(&mut h).quick_keys(&manager).unwrap();
    assert_eq!(keys.len(), 1, "{:?}", h.state().toast());
    assert_eq!(
        (keys[0].page, keys[0].position, keys[0].text()),
        (1, 3, "Non")
    );
    assert!(h.query_by_label("1 / 3: Non tandir «Non»").is_some());

    // Chosen from the list, then cleared.
    click(&mut h, "1 / 3: Non tandir «Non»");
    click(&mut h, t(T::QuickKeyClear));
    assert!(app(&mut h).quick_keys(&manager).unwrap().is_empty());
    assert!(h.query_by_label(t(T::QuickKeysNone)).is_some());
}

/// The Stock tab shows current figures: a supply received elsewhere (another program on the
/// same file) shows in the search results and the chosen product without searching again.
/// "Set the counted quantity" shows the difference before saving and refuses a count made
/// against a stock that moved meanwhile.
#[test]
fn the_stock_tab_is_current_and_takes_a_counted_quantity() {
    let (s, mut h) = open("menejer");
    click(&mut h, t(T::TabStock));
    set_field(&mut h, t(T::SearchProducts), "non");
    click(&mut h, &t(T::ShowMovements).replace("{}", "Non tandir"));
    let shown = |h: &H, stock: &str| {
        h.query_all_by_label_contains(&format!("{} {stock}", t(T::ColStock)))
            .count()
    };
    assert!(shown(&h, "8") >= 1, "8 of 10 left after the sale of 2");

    // Another program receives 20.
    let mut other = App::open_existing(&s.path, Options { bcrypt_cost: 4 }).unwrap();
    let manager = other.login("menejer", PASS).unwrap();
    let p = other.product_by_barcode(&manager, "4006381333931").unwrap();
    let supplier_id = other
        .create_supplier(
            &manager,
            &kassa::app::SupplierInput {
                name: "Baza".into(),
                ..Default::default()
            },
        )
        .unwrap()
        .id;
    other
        .receive_supply(
            &manager,
            &kassa::app::SupplyInput {
                supplier_id,
                payment: None,
                notes: String::new(),
                lines: vec![kassa::app::SupplyLineInput {
                    product_id: p.id,
                    quantity: Quantity::units(20),
                    unit_cost: Money::from_major(3_000),
                }],
            },
        )
        .unwrap();
    wait_until(&mut h, "the new stock", |h| shown(h, "28") >= 2);

    // Counted 25: the difference -3 is shown before saving.
    click(&mut h, t(T::SetCounted));
    set_field(&mut h, t(T::CountedQuantity), "25");
    assert!(
        h.query_by_label(&Lang::Uz.fill(T::CountDifference, &["-3", "28", "25"]))
            .is_some()
    );
    set_field(&mut h, t(T::Reason), "stocktake");
    // Meanwhile another program sells one: the count is refused, nothing changes.
    other
        .adjust_stock(&manager, p.id, Quantity::units(-1), "broken")
        .unwrap();
    click(&mut h, t(T::Adjust));
    assert_eq!(
        other.product(&manager, p.id).unwrap().stock,
        Quantity::units(27).0
    );
    assert!(
        h.query_by_label(&Lang::Uz.fill(T::ErrStockChanged, &["Non tandir", "27"]))
            .is_some()
    );
    // The difference is now from 27; saved.
    wait_until(&mut h, "the difference from 27", |h| {
        h.query_by_label(&Lang::Uz.fill(T::CountDifference, &["-2", "27", "25"]))
            .is_some()
    });
    click(&mut h, t(T::Adjust));
    assert_eq!(
        other.product(&manager, p.id).unwrap().stock,
        Quantity::units(25).0
    );
}

/// Every view with a time shows it in the shop's time zone (Tashkent, UTC+5 here) in one
/// format: the Sales list, the Stock tab's movements and supplies, a customer's ledger and the
/// audit log. The stored UTC time, five hours off, is shown nowhere.
#[test]
fn every_view_shows_times_in_the_shops_zone() {
    use kassa::store::db::prelude::*;
    use kassa::store::schema::{audit_logs, client_ledger, sales, stock_movements, supplies};
    let (_s, mut h) = open("admin");
    let admin = session(&mut h, "admin");
    let p = app(&mut h)
        .product_by_barcode(&admin, "4006381333931")
        .unwrap();
    let supplier_id = app(&mut h)
        .create_supplier(
            &admin,
            &kassa::app::SupplierInput {
                name: "Baza".into(),
                ..Default::default()
            },
        )
        .unwrap()
        .id;
    app(&mut h)
        .receive_supply(
            &admin,
            &kassa::app::SupplyInput {
                supplier_id,
                payment: None,
                notes: String::new(),
                lines: vec![kassa::app::SupplyLineInput {
                    product_id: p.id,
                    quantity: Quantity::units(5),
                    unit_cost: Money::from_major(3_000),
                }],
            },
        )
        .unwrap();
    let c = app(&mut h)
        .create_client(
            &admin,
            &ClientInput {
                full_name: "Aziz Rahimov".into(),
                phone: "+998 90 123 45 67".into(),
                notes: String::new(),
            },
        )
        .unwrap();
    app(&mut h)
        .adjust_client_balance(&admin, c.id, Money::from_major(-5_000), "old debt")
        .unwrap();
    let conn = app(&mut h).connection();
    let sale: chrono::NaiveDateTime = sales::table.select(sales::created_at).first(conn).unwrap();
    let supply: chrono::NaiveDateTime = supplies::table
        .select(supplies::created_at)
        .first(conn)
        .unwrap();
    let moved: chrono::NaiveDateTime = stock_movements::table
        .order(stock_movements::id.desc())
        .select(stock_movements::created_at)
        .first(conn)
        .unwrap();
    let ledger: chrono::NaiveDateTime = client_ledger::table
        .select(client_ledger::created_at)
        .first(conn)
        .unwrap();
    let audited: chrono::NaiveDateTime = audit_logs::table
        .order(audit_logs::id.desc())
        .select(audit_logs::created_at)
        .first(conn)
        .unwrap();
    let tz = chrono_tz::Asia::Tashkent;
    let local = |at| kassa::i18n::local_time(tz, at);
    let utc = |at: chrono::NaiveDateTime| at.format(kassa::i18n::TIME_FORMAT).to_string();
    let check = |h: &H, view: &str, at: chrono::NaiveDateTime| {
        assert!(
            h.query_all_by_label(&local(at)).next().is_some(),
            "{view}: {} is not shown",
            local(at)
        );
        assert!(
            h.query_all_by_label(&utc(at)).next().is_none(),
            "{view}: the UTC time {} is shown",
            utc(at)
        );
    };

    click(&mut h, t(T::TabSales));
    check(&h, "sales", sale);
    click(&mut h, t(T::TabStock));
    check(&h, "supplies", supply);
    set_field(&mut h, t(T::SearchProducts), "non");
    click(&mut h, &t(T::ShowMovements).replace("{}", "Non tandir"));
    check(&h, "movements", moved);
    click(&mut h, t(T::TabCustomers));
    click(&mut h, "Aziz Rahimov");
    check(&h, "ledger", ledger);
    click(&mut h, t(T::TabAudit));
    check(&h, "audit", audited);
}

/// The Customers tab pages through every customer with a count and orders them on the
/// server: the one overdue debtor, last by name among 61, comes first with "overdue first"
/// and is on the second page by name. The Sales filter finds a customer by typing.
#[test]
fn customers_page_with_a_count_and_the_sales_filter_finds_by_typing() {
    let (s, mut h) = open("admin");
    let mut other = App::open_existing(&s.path, Options { bcrypt_cost: 4 }).unwrap();
    let admin = other.login("admin", PASS).unwrap();
    for i in 1..=60 {
        other
            .create_client(
                &admin,
                &ClientInput {
                    full_name: format!("Mijoz {i:02}"),
                    phone: format!("+998 90 100 {:02} {:02}", i / 100, i % 100),
                    notes: String::new(),
                },
            )
            .unwrap();
    }
    let zafar = other
        .create_client(
            &admin,
            &ClientInput {
                full_name: "Zafar Qarzdor".into(),
                phone: "+998 93 555 44 33".into(),
                notes: String::new(),
            },
        )
        .unwrap();
    // A nasiya sale a month ago, due twenty days ago: overdue now.
    let month_ago = chrono::Utc::now() - chrono::Duration::days(30);
    other.set_clock(move || month_ago);
    let p = other.product_by_barcode(&admin, "4006381333931").unwrap();
    other
        .sell(
            &admin,
            &SaleRequest {
                idempotency_key: "zafar".into(),
                lines: vec![SaleLineInput {
                    product_id: p.id,
                    quantity: Quantity::units(1),
                    discount: Discount::None,
                    marking_codes: Vec::new(),
                }],
                sale_discount: Discount::None,
                tenders: vec![TenderInput::new(
                    PaymentMethod::Nasiya,
                    Money::from_major(4_000),
                )],
                client_id: Some(zafar.id),
                due_date: Some(month_ago.date_naive() + chrono::Duration::days(10)),
                expected_total: None,
            },
        )
        .unwrap();

    click(&mut h, t(T::TabCustomers));
    assert!(
        h.query_by_label(&Lang::Uz.fill(T::PageOf, &["1", "2", "61"]))
            .is_some()
    );
    let zafar_y = h.get_by_label("Zafar Qarzdor").rect().top();
    let mijoz_y = h.get_by_label("Mijoz 01").rect().top();
    assert!(zafar_y < mijoz_y, "the overdue debtor comes first");
    // By name: Zafar is on the second page.
    click(&mut h, t(T::OrderName));
    assert!(h.query_by_label("Zafar Qarzdor").is_none());
    click(&mut h, t(T::NextPage));
    assert!(h.query_by_label("Zafar Qarzdor").is_some());

    // The Sales filter: type, choose, only Zafar's sale is listed.
    click(&mut h, t(T::TabSales));
    let period_from = (chrono::Utc::now() - chrono::Duration::days(40))
        .format("%Y-%m-%d")
        .to_string();
    set_field(&mut h, t(T::From), &period_from);
    set_field(&mut h, t(T::Customer), "zaf");
    click(&mut h, "Zafar Qarzdor  +998 93 555 44 33");
    assert!(h.query_by_label("#2").is_some(), "Zafar's sale");
    assert!(
        h.query_by_label("#1").is_none(),
        "another customer's sale is filtered out"
    );
}

/// The manager imports a supplier's CSV from the Products tab: the preview names the refused
/// row in the window's language, "import the good rows" creates the good one, and the
/// catalog export writes a file the import reads back.
#[test]
fn the_manager_imports_a_product_list_with_a_preview() {
    let (s, mut h) = open("menejer");
    let file = s.path.parent().unwrap().join("narxlar.csv");
    std::fs::write(
        &file,
        "Nomi;Shtrix-kod;Sotuv narxi;Qoldiq\nQatiq 0,5 l;4780000000038;7 500;10\nSuzma;4780000000013;12a;2\n",
    )
    .unwrap();
    click(&mut h, t(T::TabProducts));
    click(&mut h, t(T::CatalogIo));
    set_field(&mut h, t(T::ImportFile), file.to_str().unwrap());
    click(&mut h, t(T::ImportRead));
    let summary = Lang::Uz.fill(T::ImportSummary, &["2", "1", "1", "1", "0"]);
    assert!(h.query_by_label(&summary).is_some(), "no {summary:?}");
    let line = "3-qator: Sotuv narxi: «12a» summa emas";
    assert!(h.query_by_label(line).is_some(), "no {line:?}");
    let manager = session(&mut h, "menejer");
    let before = app(&mut h).catalog_rows(Some(&manager)).unwrap().len();
    click(&mut h, t(T::ImportGood));
    let rows = app(&mut h).catalog_rows(Some(&manager)).unwrap();
    assert_eq!(rows.len(), before + 1);
    let qatiq = rows.iter().find(|r| r.name == "Qatiq 0,5 l").unwrap();
    assert_eq!((qatiq.stock, qatiq.sale_price), (10_000, 750_000));
    // The preview is gone once imported.
    assert!(h.query_by_label(&summary).is_none());
}

/// A busy machine hands the window a Tab and the keys typed after it in one frame. Tab moves
/// the focus only at the frame's end, so the window's input hook (`hold_after_focus_move`)
/// keeps the keys after it for the next frame: the password lands in the password field,
/// not at the end of the login.
#[test]
fn keys_typed_after_tab_in_one_frame_land_in_the_next_field() {
    let s = setup();
    let mut h = harness(&s.path, None);
    h.run();
    set_field(&mut h, t(T::Login), "");
    let key = |key: Key, pressed: bool| egui::Event::Key {
        key,
        physical_key: None,
        pressed,
        repeat: false,
        modifiers: egui::Modifiers::NONE,
    };
    h.input_mut().events.extend([
        egui::Event::Text("menejer".into()),
        key(Key::Tab, true),
        key(Key::Tab, false),
        egui::Event::Text(PASS.into()),
        key(Key::Enter, true),
        key(Key::Enter, false),
    ]);
    let mut held = Vec::new();
    for _ in 0..4 {
        kassa::ui::hold_after_focus_move(&mut held, h.input_mut());
        h.step();
    }
    assert!(held.is_empty());
    wait_until(&mut h, "log-in", |h| h.state().session().is_some());
}

/// The manager counts stock in the Stock tab: starts a count, scans (the wedge types the code
/// and Enter), sees counted against expected, and applies it with a reason.
#[test]
fn the_manager_counts_stock_and_applies_it() {
    let (_s, mut h) = open("menejer");
    click(&mut h, t(T::TabStock));
    click(&mut h, t(T::Stocktake));
    click(&mut h, t(T::StocktakeStart));
    let manager = session(&mut h, "menejer");
    let product = app(&mut h)
        .catalog(&manager)
        .unwrap()
        .into_iter()
        .find(|p| !p.barcodes.is_empty() && p.unit() == Unit::Piece)
        .expect("a product with a barcode");
    for _ in 0..2 {
        set_field(&mut h, t(T::StocktakeBarcode), &product.barcodes[0]);
        press(&mut h, Key::Enter);
    }
    // A typed quantity counts with Enter in its own field too.
    set_field(&mut h, t(T::StocktakeBarcode), &product.barcodes[0]);
    set_field(&mut h, t(T::StocktakeQuantity), "3");
    press(&mut h, Key::Enter);
    let open = app(&mut h).open_stocktake(&manager).unwrap().expect("open");
    assert_eq!(open.lines.len(), 1, "{:?}", h.state().toast());
    assert_eq!(open.lines[0].counted, 5_000);
    let total = Lang::Uz.fill(
        T::StocktakeTotal,
        &[
            "1",
            &kassa::i18n::MoneyText::text(Money(open.lines[0].value()), Lang::Uz),
        ],
    );
    assert!(h.query_by_label(&total).is_some(), "no {total:?}");
    // One scan too many: corrected to what was actually counted.
    h.get_by_role_and_label(egui::accesskit::Role::ComboBox, t(T::StocktakeFix))
        .click();
    h.run();
    click(&mut h, &product.name);
    set_field(&mut h, t(T::StocktakeFixTo), "1");
    click(&mut h, t(T::StocktakeFixSet));
    let open = app(&mut h).open_stocktake(&manager).unwrap().expect("open");
    assert_eq!(open.lines[0].counted, 1_000, "{:?}", h.state().toast());
    set_field(&mut h, t(T::Reason), "oy oxiri");
    click(&mut h, t(T::StocktakeApply));
    assert!(app(&mut h).open_stocktake(&manager).unwrap().is_none());
    assert_eq!(
        app(&mut h).product(&manager, product.id).unwrap().stock,
        1_000
    );
}

/// A count of chosen categories from the window: the categories ticked are named, and a
/// product of another category is refused when scanned.
#[test]
fn a_stocktake_of_chosen_categories() {
    let (_s, mut h) = open("menejer");
    let manager = session(&mut h, "menejer");
    let drinks = app(&mut h)
        .create_category(&manager, "Ichimliklar")
        .unwrap();
    app(&mut h).create_category(&manager, "Non").unwrap();
    click(&mut h, t(T::TabStock));
    click(&mut h, t(T::Stocktake));
    click(&mut h, "Ichimliklar");
    click(&mut h, t(T::StocktakeStartChosen));
    let open = app(&mut h).open_stocktake(&manager).unwrap().expect("open");
    assert_eq!(open.categories, vec![drinks.id]);
    assert!(
        h.query_by_label(&Lang::Uz.fill(T::StocktakeOf, &["Ichimliklar"]))
            .is_some()
    );
    // "Non tandir" has no category: not part of this count.
    set_field(&mut h, t(T::StocktakeBarcode), "4006381333931");
    press(&mut h, Key::Enter);
    let open = app(&mut h).open_stocktake(&manager).unwrap().expect("open");
    assert!(open.lines.is_empty());
}

/// Price tags from the Products tab: a chosen product with its copies, as A4 sticker sheets
/// (a PDF in the exports folder) and to the label printer of the settings (a file port here,
/// written on its own thread), with the printer unset refused with a message.
#[test]
fn the_manager_makes_price_tags_from_the_window() {
    let (s, mut h) = open("menejer");
    click(&mut h, t(T::TabProducts));
    click(&mut h, t(T::PriceTags));
    set_field(&mut h, t(T::LabelFind), "non");
    click(&mut h, &Lang::Uz.fill(T::LabelAdd, &["Non tandir"]));
    set_field(&mut h, t(T::LabelCopies), "3");
    // No label printer yet: said so, nothing sent.
    click(&mut h, t(T::LabelPrint));
    assert!(h.query_by_label(t(T::NoLabelPrinter)).is_some());

    // On sticker sheets: the file the message names holds three labels.
    click(&mut h, t(T::LabelToSheet));
    click(&mut h, t(T::LabelPrint));
    let said = h.state().toast().expect("a message").text.clone();
    let path = said.rsplit(": ").next().unwrap().to_string();
    let pdf = std::fs::read(&path).unwrap_or_else(|e| panic!("{said}: {e}"));
    assert!(pdf.starts_with(b"%PDF-1.4"));
    let text = std::process::Command::new("pdftotext")
        .args([path.as_str(), "-"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&text.stdout);
    assert_eq!(text.matches("4006381333931").count(), 3, "{text}");
    std::fs::remove_file(&path).unwrap();

    // To the label printer (a file port): TSPL with three copies.
    let port = s.path.parent().unwrap().join("labels.prn");
    let admin = session(&mut h, "admin");
    app(&mut h)
        .set_setting(&admin, "labels.port", &format!("file:{}", port.display()))
        .unwrap();
    click(&mut h, t(T::LabelToPrinter));
    click(&mut h, t(T::LabelPrint));
    let sent = Lang::Uz.fill(T::LabelsSent, &["3"]);
    wait_until(&mut h, "the printer's answer", |h| {
        h.query_by_label(&sent).is_some()
    });
    let tspl = String::from_utf8_lossy(&std::fs::read(&port).unwrap()).into_owned();
    assert!(tspl.contains("PRINT 1,3"), "{tspl}");
    assert!(tspl.contains("\"400638133393\""), "{tspl}");

    // A printer that is off (nothing listens on the port): said in the window's words.
    app(&mut h)
        .set_setting(&admin, "labels.port", "tcp:127.0.0.1:9")
        .unwrap();
    click(&mut h, t(T::LabelPrint));
    let failed = Lang::Uz.fill(T::LabelPrinterFailed, &["tcp:127.0.0.1:9"]);
    wait_until(&mut h, "the printer's failure", |h| {
        h.query_by_label(&failed).is_some()
    });
}

/// A supplier's whole relationship from the window: the opening balance in the supplier
/// form; in the Stock tab an order placed, received from the open orders list with less than
/// ordered, and goods sent back (refused without a reason); in the Suppliers tab the return
/// and the order's difference, and the statement saved to Excel.
#[test]
fn goods_are_ordered_received_and_returned_from_the_window() {
    let (s, mut h) = open("menejer");
    let manager = session(&mut h, "menejer");
    click(&mut h, t(T::TabSuppliers));
    click(&mut h, t(T::NewSupplier));
    set_field(&mut h, t(T::ColName), "Baza Chorsu");
    set_field(&mut h, t(T::OpeningBalance), "250 000");
    click(&mut h, t(T::SaveButton));
    let baza = app(&mut h).suppliers(&manager, false).unwrap()[0].clone();
    assert_eq!(baza.supplier.opening_balance, Money::from_major(250_000).0);
    assert_eq!(baza.owed, Money::from_major(250_000).0);

    // An order of 12 bread.
    click(&mut h, t(T::TabStock));
    click(&mut h, t(T::ModeOrder));
    set_field(&mut h, t(T::SearchProducts), "non");
    click(&mut h, &t(T::AddToOrder).replace("{}", "Non tandir"));
    h.get_by_role_and_label(egui::accesskit::Role::ComboBox, t(T::Supplier))
        .click();
    h.run();
    click(&mut h, "Baza Chorsu");
    set_field(&mut h, t(T::ColQty), "12");
    set_field(&mut h, t(T::UnitCost), "3000");
    click(&mut h, t(T::SaveOrder));
    let orders = app(&mut h)
        .purchase_orders(&manager, None, true, 10)
        .unwrap();
    assert_eq!(orders.len(), 1);
    let order = orders[0].id;
    assert!(
        h.state()
            .toast()
            .is_some_and(|x| x.text == Lang::Uz.fill(T::OrderSaved, &[&order.to_string()]))
    );

    // Received from the open orders: 10 came.
    click(&mut h, t(T::ReceiveSupply));
    click(&mut h, t(T::ReceiveOrder));
    assert!(
        h.query_by_label(&Lang::Uz.fill(T::ReceivingOrder, &[&order.to_string()]))
            .is_some()
    );
    set_field(&mut h, t(T::ColQty), "10");
    click(&mut h, t(T::SaveSupply));
    let o = app(&mut h).purchase_order(&manager, order).unwrap();
    assert_eq!(o.status, "received");
    assert_eq!(o.lines[0].difference(), -Quantity::units(2).0);
    let p = app(&mut h)
        .product_by_barcode(&manager, "4006381333931")
        .unwrap();
    assert_eq!(p.stock, Quantity::units(8 + 10).0);

    // Three go back: without a reason refused (nothing changes), then saved.
    click(&mut h, t(T::ModeReturn));
    set_field(&mut h, t(T::SearchProducts), "non");
    click(&mut h, &t(T::AddToReturn).replace("{}", "Non tandir"));
    set_field(&mut h, t(T::ColQty), "3");
    click(&mut h, t(T::SaveReturn));
    assert!(
        h.query_by_label(&Lang::Uz.fill(T::ErrRequired, &[t(T::ReturnWhy)]))
            .is_some(),
        "the missing reason is said under the form"
    );
    let stock = |h: &mut H| {
        app(h)
            .product_by_barcode(&manager, "4006381333931")
            .unwrap()
            .stock
    };
    assert_eq!(stock(&mut h), Quantity::units(18).0);
    set_field(&mut h, t(T::ReturnWhy), "Muddati oʻtgan");
    click(&mut h, t(T::SaveReturn));
    assert_eq!(stock(&mut h), Quantity::units(15).0);
    let owed = app(&mut h)
        .supplier(&manager, baza.supplier.id)
        .unwrap()
        .owed;
    assert_eq!(owed, Money::from_major(250_000 + 30_000 - 9_000).0);

    // The Suppliers tab: the return in the statement, the order with its difference, the
    // statement to Excel.
    click(&mut h, t(T::TabSuppliers));
    click(&mut h, "Baza Chorsu");
    assert!(
        h.query_by_label("Qaytarish №1 — Muddati oʻtgan").is_some(),
        "the return is in the statement"
    );
    assert!(
        h.query_by_label_contains(&format!("{}: 250 000 soʻm", t(T::OpeningBalance)))
            .is_some(),
        "the opening balance in the supplier's figures"
    );
    click(&mut h, t(T::Orders));
    assert!(
        h.query_by_label_contains(&format!("{} -2", t(T::Difference)))
            .is_some(),
        "the order shows what did not come"
    );
    let folder = s.path.parent().unwrap().join("aktlar");
    set_field(&mut h, t(T::ExportFolder), folder.to_str().unwrap());
    // The file is written on a worker thread (a spinner meanwhile): no settled frame to wait
    // for, only the message.
    h.get_by_role_and_label(egui::accesskit::Role::Button, t(T::ExportXlsx))
        .click();
    wait_until(&mut h, "the statement file", |h| {
        h.state()
            .toast()
            .is_some_and(|t| t.text.contains("supplier-statement-Baza-Chorsu_"))
    });
    assert_eq!(std::fs::read_dir(&folder).unwrap().count(), 1);

    // For a period: a bad date is said under the fields; good dates name the file.
    click(&mut h, t(T::ForAPeriod));
    set_field(&mut h, t(T::From), "2026-13-01");
    assert!(h.query_by_label(t(T::BadDate)).is_some());
    set_field(&mut h, t(T::From), "2000-01-01");
    set_field(&mut h, t(T::To), "2100-01-01");
    assert!(h.query_by_label(t(T::BadDate)).is_none());
    // The dates' row pushed the buttons below the window: scrolled to, as a user would.
    h.get_by_role_and_label(egui::accesskit::Role::Button, t(T::ExportPdf))
        .scroll_to_me();
    h.run_steps(10);
    h.get_by_role_and_label(egui::accesskit::Role::Button, t(T::ExportPdf))
        .click();
    wait_until(&mut h, "the statement for the period", |h| {
        h.state().toast().is_some_and(|t| {
            t.text
                .contains("supplier-statement-Baza-Chorsu_2000-01-01_2100-01-01.pdf")
        })
    });
    let pdf = folder.join("supplier-statement-Baza-Chorsu_2000-01-01_2100-01-01.pdf");
    let text = std::process::Command::new("pdftotext")
        .args([pdf.to_str().unwrap(), "-"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(text.contains(t(T::BalanceAtStart)), "{text}");
    assert!(text.contains("01.01.2000"), "{text}");
}

/// A customer's ledger (below the fold at 720 pixels: a taller window here) shows a nasiya
/// sale's due date as dd.mm.yyyy, like every other date, never as 2026-12-10.
#[test]
fn the_customers_ledger_shows_due_dates_as_day_month_year() {
    let s = setup();
    let mut h = harness_sized(&s.path, None, (1280.0, 1400.0));
    log_in(&mut h, "menejer", PASS);
    let admin = session(&mut h, "admin");
    let aziz = app(&mut h)
        .create_client(
            &admin,
            &ClientInput {
                full_name: "Aziz Rahimov".into(),
                phone: "+998901234567".into(),
                notes: String::new(),
            },
        )
        .unwrap();
    let p = app(&mut h)
        .product_by_barcode(&admin, "4006381333931")
        .unwrap();
    let due = kassa::domain::debt::local_date(app(&mut h).now(), app(&mut h).time_zone())
        + chrono::Duration::days(10);
    app(&mut h)
        .sell(
            &admin,
            &SaleRequest {
                idempotency_key: "nasiya-1".into(),
                lines: vec![SaleLineInput {
                    product_id: p.id,
                    quantity: Quantity::units(1),
                    discount: Discount::None,
                    marking_codes: Vec::new(),
                }],
                sale_discount: Discount::None,
                tenders: vec![TenderInput {
                    method: PaymentMethod::Nasiya,
                    amount: Money::from_major(4_000),
                    channel: None,
                }],
                client_id: Some(aziz.id),
                due_date: Some(due),
                expected_total: None,
            },
        )
        .unwrap();
    click(&mut h, t(T::TabCustomers));
    click(&mut h, "Aziz Rahimov");
    assert!(
        h.query_by_label(t(T::KindCredit)).is_some(),
        "the ledger is on screen"
    );
    assert!(
        h.query_by_label(&due.format("%d.%m.%Y").to_string())
            .is_some(),
        "the due date in the ledger as dd.mm.yyyy"
    );
    assert!(
        h.query_all_by_label_contains(&due.format("%Y-%m-%d").to_string())
            .next()
            .is_none(),
        "no ISO date anywhere"
    );
}

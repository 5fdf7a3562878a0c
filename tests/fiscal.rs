//! Fiscal receipts against a fake REGOS: VCR on 127.0.0.1 (tests/common/fake_vcr.rs): every
//! sale and refund registered exactly once with its positions, prices, discounts, VAT, class
//! and package codes and marking codes; the receipt's QR decodes to the tax committee's check
//! URL; outages, late answers, cut connections, refusals and a kill -9 between the request
//! and its answer never register anything twice or lose it; the fiscal Z equals Kassa's.

mod common;

use std::time::Duration;

use common::fake_vcr::{self, FakeVcr};
use kassa::app::{
    App, AppError, FiscalConfig, FiscalState, Options, ProductFiscal, RefundLine, SaleLineInput,
    SaleRequest, Session,
};
use kassa::devices::printer::PrintWorker;
use kassa::domain::cart::Discount;
use kassa::domain::fiscal::Vat;
use kassa::domain::payment::{PaymentMethod, TenderInput};
use kassa::domain::{Money, Quantity};
use kassa::fiscal::regos::RegosVcr;
use kassa::fiscal::{FiscalError, Step, Worker};

fn som(x: i64) -> Money {
    Money::from_major(x)
}

struct Set {
    shop: common::Shop,
    vcr: FakeVcr,
    non: i32,
    water: i32,
    receipts: std::path::PathBuf,
}

fn fiscal(class: &str, vat: Vat, marked: bool) -> ProductFiscal {
    ProductFiscal {
        class_code: class.into(),
        package_code: "1506413".into(),
        unit_code: "1".into(),
        vat,
        marked,
    }
}

/// A shop with the fake VCR set up as its provider, a receipt printer writing to a file,
/// bread (VAT exempt) and bottled water (marked, 12 %).
fn set() -> Set {
    let mut shop = common::shop();
    let vcr = FakeVcr::start();
    let admin = shop.admin.clone();
    let receipts = shop.dir.path().join("receipts.bin");
    shop.app
        .set_settings(
            &admin,
            &[
                ("fiscal.provider", "regos-vcr"),
                ("fiscal.url", vcr.url.as_str()),
                ("fiscal.login", fake_vcr::LOGIN),
                ("fiscal.password", fake_vcr::PASSWORD),
                ("fiscal.pos_id", "till-1"),
                ("printer.port", &format!("file:{}", receipts.display())),
            ],
        )
        .unwrap();
    let manager = shop.manager.clone();
    let mut non = common::product_input("Non tandir", 4_000, 3_000, "4006381333931");
    non.fiscal = fiscal("10901001001000000", Vat::Exempt, false);
    let non = common::stocked(&mut shop.app, &manager, non, Quantity::units(100));
    let mut water = common::product_input("Suv Hydrolife 1 l", 5_600, 4_000, "96385074");
    water.fiscal = fiscal("02201001001000000", Vat::Twelve, true);
    let water = common::stocked(&mut shop.app, &manager, water, Quantity::units(100));
    Set {
        shop,
        vcr,
        non,
        water,
        receipts,
    }
}

fn config(s: &Set) -> FiscalConfig {
    FiscalConfig {
        provider: "regos-vcr".into(),
        url: s.vcr.url.clone(),
        login: fake_vcr::LOGIN.into(),
        password: fake_vcr::PASSWORD.into(),
        pos_id: "till-1".into(),
    }
}

/// A worker on its own connection whose answers count as lost after `timeout`.
fn worker(s: &Set, timeout: Duration) -> Worker {
    let app =
        App::open_existing(&common::db_path(&s.shop.dir), Options { bcrypt_cost: 4 }).unwrap();
    let cfg = config(s);
    let provider = Box::new(RegosVcr::with_timeout(&cfg, timeout));
    Worker::with_provider(app, cfg, provider)
}

fn line(product: i32, pieces: i64, codes: &[&str]) -> SaleLineInput {
    SaleLineInput {
        product_id: product,
        quantity: Quantity::units(pieces),
        discount: Discount::None,
        marking_codes: codes.iter().map(|c| c.to_string()).collect(),
    }
}

fn sell(
    app: &mut App,
    who: &Session,
    key: &str,
    lines: Vec<SaleLineInput>,
    tenders: Vec<(PaymentMethod, i64)>,
    client: Option<i32>,
) -> Result<i32, AppError> {
    app.sell(
        who,
        &SaleRequest {
            idempotency_key: key.into(),
            lines,
            sale_discount: Discount::None,
            tenders: tenders
                .into_iter()
                .map(|(method, som_)| TenderInput {
                    method,
                    amount: som(som_),
                    channel: None,
                })
                .collect(),
            client_id: client,
            due_date: client.map(|_| chrono::NaiveDate::from_ymd_opt(2026, 12, 20).unwrap()),
            expected_total: None,
        },
    )
    .map(|r| r.sale_id)
}

fn marking(n: usize) -> String {
    format!("0104780000000050215{n:04}Kq\u{1d}93Zb{n:02}")
}

#[test]
fn every_sale_and_refund_is_registered_once_with_its_positions() {
    let mut s = set();
    let (cashier, manager) = (s.shop.cashier.clone(), s.shop.manager.clone());
    let app = &mut s.shop.app;
    app.open_shift(&manager, som(100_000)).unwrap();
    app.open_shift(&cashier, Money::ZERO).unwrap();
    // Cash (the manager, who may give a discount): 3 loaves with a line discount and 2
    // bottles (two marking codes).
    let mut bread = line(s.non, 3, &[]);
    bread.discount = Discount::Amount(som(1_000));
    let cash = sell(
        app,
        &manager,
        "cash",
        vec![bread, line(s.water, 2, &[&marking(1), &marking(2)])],
        vec![(PaymentMethod::Cash, 22_200)],
        None,
    )
    .unwrap();
    // Split: card and cash.
    let split = sell(
        app,
        &cashier,
        "split",
        vec![line(s.non, 2, &[])],
        vec![(PaymentMethod::Card, 5_000), (PaymentMethod::Cash, 3_000)],
        None,
    )
    .unwrap();
    // Nasiya.
    let client = app
        .create_client(
            &manager,
            &kassa::app::ClientInput {
                full_name: "Aziz".into(),
                phone: "+998901234567".into(),
                notes: String::new(),
            },
        )
        .unwrap()
        .id;
    let credit = sell(
        app,
        &cashier,
        "credit",
        vec![line(s.non, 1, &[])],
        vec![(PaymentMethod::Nasiya, 4_000)],
        Some(client),
    )
    .unwrap();
    // Refunds: one bottle of the cash sale, all of the split sale.
    let water_line = app
        .refundable_lines(&manager, cash)
        .unwrap()
        .into_iter()
        .find(|l| l.name.starts_with("Suv"))
        .unwrap()
        .sale_item_id;
    let part = app
        .refund_lines(
            &manager,
            cash,
            &[RefundLine {
                sale_item_id: water_line,
                quantity: Quantity::units(1),
            }],
            "",
        )
        .unwrap();
    let whole = app.refund_sale(&manager, split, "").unwrap();
    app.close_shift(&cashier, som(25_200), "").unwrap();

    let mut w = worker(&s, Duration::from_secs(5));
    let (done, failed) = w.drain().unwrap();
    assert_eq!(failed, None);
    // Two shifts opened, three sales, two refunds, the cashier's Z.
    assert_eq!(done, 2 + 3 + 2 + 1);
    let mut want = vec![
        format!("S-{cash}"),
        format!("S-{split}"),
        format!("S-{credit}"),
        format!("R-{}", part.refund_id),
        format!("R-{}", whole.refund_id),
    ];
    want.sort();
    assert_eq!(s.vcr.codes(), want, "each registered once");
    for code in &want {
        assert_eq!(s.vcr.sends_of(code), 1, "{code} sent once");
    }
    // The cash sale as the module got it.
    let sale = s.vcr.receipt(&format!("S-{cash}")).unwrap().params;
    let items = sale["items"].as_array().unwrap();
    assert_eq!(items[0]["ikpu"], "10901001001000000");
    assert_eq!(items[0]["package_code"], "1506413");
    assert_eq!(items[0]["price"], 400_000);
    assert_eq!(items[0]["quantity"], 3_000);
    assert_eq!(items[0]["discount"], 100_000);
    assert_eq!(items[0]["amount"], 1_100_000);
    assert_eq!(items[0]["vat_percent"], serde_json::Value::Null);
    assert_eq!(items[1]["vat_percent"], 12);
    assert_eq!(items[1]["vat_amount"], 120_000, "1 120 000 × 12/112");
    assert_eq!(
        items[1]["labels"],
        serde_json::json!([marking(1), marking(2)])
    );
    assert_eq!(
        sale["payments"],
        serde_json::json!([{ "type": "cash", "amount": 2_220_000 }])
    );
    let nasiya = s.vcr.receipt(&format!("S-{credit}")).unwrap().params;
    assert_eq!(
        nasiya["payments"],
        serde_json::json!([{ "type": "credit", "amount": 400_000 }])
    );
    let split_sale = s.vcr.receipt(&format!("S-{split}")).unwrap().params;
    assert_eq!(split_sale["payments"].as_array().unwrap().len(), 2);
    // The partial refund: the bottle, with its own marking code and the sale's fiscal data.
    let r = s.vcr.receipt(&format!("R-{}", part.refund_id)).unwrap();
    assert_eq!(r.method, "Receipt.Refund");
    assert_eq!(
        r.params["items"][0]["labels"],
        serde_json::json!([marking(1)])
    );
    let sale_answer = s.vcr.receipt(&format!("S-{cash}")).unwrap().answer;
    assert_eq!(
        r.params["receipt"]["fiscal_sign"],
        sale_answer["FiscalSign"]
    );
    assert_eq!(
        s.vcr
            .receipt(&format!("R-{}", whole.refund_id))
            .unwrap()
            .method,
        "Receipt.FullRefund"
    );
    // The fiscal Z of the cashier's shift equals Kassa's: every sale of the shift.
    let z = s.vcr.state.lock().unwrap().z_reports.clone();
    assert_eq!(z.len(), 1);
    assert_eq!(z[0].1, som(22_200 + 8_000 + 4_000).0);
    // The receipts print with the fiscal data and the check page's QR.
    let mut p = PrintWorker::new(
        App::open_existing(&common::db_path(&s.shop.dir), Options { bcrypt_cost: 4 }).unwrap(),
    );
    while let kassa::devices::printer::Step::Printed(_) = p.step().unwrap() {}
    let bytes = std::fs::read(&s.receipts).unwrap();
    let printed = kassa::app::document::escpos::decode(&bytes);
    let qr = sale_answer["QRCodeURL"].as_str().unwrap();
    assert!(qr.starts_with("https://ofd.soliq.uz/check?t="));
    assert!(printed.qr.iter().any(|q| q == qr), "{:?}", printed.qr);
    assert!(printed.lines.iter().any(|l| l.contains("FISKAL CHEK")));
    assert!(matches!(
        s.shop.app.fiscal_state(&manager, cash).unwrap(),
        FiscalState::Done(_)
    ));
    assert!(s.shop.app.check().unwrap().is_empty());
}

#[test]
fn a_product_without_its_class_code_or_marking_codes_is_refused_at_the_till() {
    let mut s = set();
    let (cashier, manager) = (s.shop.cashier.clone(), s.shop.manager.clone());
    let bare = common::stocked(
        &mut s.shop.app,
        &manager,
        common::product_input("Qatiq", 9_000, 7_000, ""),
        Quantity::units(10),
    );
    let app = &mut s.shop.app;
    app.open_shift(&cashier, Money::ZERO).unwrap();
    let before = common::fingerprint(app);
    match sell(
        app,
        &cashier,
        "a",
        vec![line(bare, 1, &[])],
        vec![(PaymentMethod::Cash, 9_000)],
        None,
    ) {
        Err(AppError::NoClassCode(name)) => assert_eq!(name, "Qatiq"),
        other => panic!("{other:?}"),
    }
    let text = kassa::app::error_text(
        kassa::i18n::Lang::Uz,
        &AppError::NoClassCode("Qatiq".into()),
    );
    assert!(text.contains("Qatiq") && text.contains("MXIK"), "{text}");
    match sell(
        app,
        &cashier,
        "b",
        vec![line(s.water, 2, &[&marking(1)])],
        vec![(PaymentMethod::Cash, 11_200)],
        None,
    ) {
        Err(AppError::MarkingCodesNeeded {
            needed: 2,
            given: 1,
            ..
        }) => {}
        other => panic!("{other:?}"),
    }
    assert!(
        sell(
            app,
            &cashier,
            "c",
            vec![line(s.water, 1, &["4780000000013"])],
            vec![(PaymentMethod::Cash, 5_600)],
            None
        )
        .is_err()
    );
    assert_eq!(common::fingerprint(app), before, "refusals change nothing");
}

#[test]
fn outages_late_answers_cuts_and_refusals_never_register_twice() {
    let mut s = set();
    let (cashier, manager) = (s.shop.cashier.clone(), s.shop.manager.clone());
    s.shop.app.open_shift(&cashier, Money::ZERO).unwrap();
    let mut w = worker(&s, Duration::from_millis(800));
    assert_eq!(w.drain().unwrap(), (1, None), "the fiscal shift opened");
    let sale = |s: &mut Set, key: &str| {
        sell(
            &mut s.shop.app,
            &cashier,
            key,
            vec![line(s.non, 1, &[])],
            vec![(PaymentMethod::Cash, 4_000)],
            None,
        )
        .unwrap()
    };
    // Down: the sale is made, its receipt waits; back up: registered once.
    s.vcr.down();
    let a = sale(&mut s, "a");
    let step = w.step().unwrap();
    assert!(
        matches!(step, Step::Failed(FiscalError::Unreachable(_))),
        "{step:?}"
    );
    assert_eq!(s.shop.app.fiscal_status().unwrap().waiting, 1);
    s.vcr.up();
    // Later (the retry delay passed).
    let later = chrono::Utc::now() + chrono::Duration::minutes(5);
    w.app().set_clock(move || later);
    assert_eq!(w.drain().unwrap(), (1, None));
    // Answered after the timeout: the worker looks it up by its code, it is not sent again.
    s.vcr.state.lock().unwrap().late = Some((1, Duration::from_secs(2)));
    let b = sale(&mut s, "b");
    assert!(matches!(
        w.step().unwrap(),
        Step::Failed(FiscalError::NoAnswer(_))
    ));
    let later = chrono::Utc::now() + chrono::Duration::minutes(10);
    w.app().set_clock(move || later);
    assert_eq!(w.drain().unwrap(), (1, None));
    // Cut after registering: the same.
    s.vcr.state.lock().unwrap().cut = 1;
    let c = sale(&mut s, "c");
    assert!(matches!(
        w.step().unwrap(),
        Step::Failed(FiscalError::NoAnswer(_))
    ));
    let later = chrono::Utc::now() + chrono::Duration::minutes(15);
    w.app().set_clock(move || later);
    assert_eq!(w.drain().unwrap(), (1, None));
    // Refused in words: kept for a manager, shown; sent again, registered.
    s.vcr.state.lock().unwrap().refuse = Some((1, "Fiskal modul xotirasi to'ldi".into()));
    let d = sale(&mut s, "d");
    assert!(matches!(
        w.step().unwrap(),
        Step::Failed(FiscalError::Refused(_))
    ));
    match s.shop.app.fiscal_state(&manager, d).unwrap() {
        FiscalState::Refused(why) => assert!(why.contains("to'ldi"), "{why}"),
        other => panic!("{other:?}"),
    }
    assert_eq!(s.shop.app.fiscal_status().unwrap().refused, 1);
    assert_eq!(s.shop.app.fiscal_send_again(&manager, d).unwrap(), 1);
    assert_eq!(w.drain().unwrap(), (1, None));
    for id in [a, b, c, d] {
        assert_eq!(
            s.vcr.sends_of(&format!("S-{id}")),
            if id == d { 2 } else { 1 },
            "S-{id}"
        );
        assert!(s.vcr.receipt(&format!("S-{id}")).is_some());
    }
    assert_eq!(s.vcr.codes().len(), 4);
    assert_eq!(s.shop.app.fiscal_status().unwrap().waiting, 0);
}

/// `kassa fiscal send` killed (SIGKILL) while its request waits for the answer: the next run
/// looks the receipt up by its code and registers nothing twice.
#[test]
fn a_kill_between_the_request_and_the_answer_registers_once() {
    let mut s = set();
    let cashier = s.shop.cashier.clone();
    s.shop.app.open_shift(&cashier, Money::ZERO).unwrap();
    let id = sell(
        &mut s.shop.app,
        &cashier,
        "k",
        vec![line(s.non, 2, &[])],
        vec![(PaymentMethod::Cash, 8_000)],
        None,
    )
    .unwrap();
    let db = common::db_path(&s.shop.dir);
    s.vcr.state.lock().unwrap().hold = true;
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_kassa"))
        .args(["--db", db.to_str().unwrap(), "fiscal", "send"])
        .env("KASSA_LOG", "error")
        .spawn()
        .unwrap();
    let code = format!("S-{id}");
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    while s.vcr.sends_of(&code) == 0 {
        assert!(
            std::time::Instant::now() < deadline,
            "the sale was never sent"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    s.vcr.state.lock().unwrap().hold = false;
    s.vcr.release();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_kassa"))
        .args(["--db", db.to_str().unwrap(), "fiscal", "send"])
        .env("KASSA_LOG", "error")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        s.vcr.sends_of(&code),
        1,
        "looked up by its code, not sent again"
    );
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_kassa"))
        .args(["--db", db.to_str().unwrap(), "fiscal", "status"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&status.stdout);
    assert!(text.contains("Receipts waiting: 0"), "{text}");
    let manager = s.shop.manager.clone();
    assert!(matches!(
        s.shop.app.fiscal_state(&manager, id).unwrap(),
        FiscalState::Done(_)
    ));
}

/// At the till with a provider set up: a marked product enters the cart only with the
/// DataMatrix code scanned from its piece (a barcode is refused in words), the sale carries
/// the codes, and a product without its class code is refused naming it.
#[test]
fn the_till_asks_for_marking_codes_and_refuses_goods_without_a_class_code() {
    use common::gui::*;
    use egui::Key;
    use egui_kittest::kittest::Queryable;
    let mut s = set();
    let (cashier, manager) = (s.shop.cashier.clone(), s.shop.manager.clone());
    common::stocked(
        &mut s.shop.app,
        &manager,
        common::product_input("Qatiq", 9_000, 7_000, "4780000000137"),
        Quantity::units(10),
    );
    s.shop.app.open_shift(&cashier, Money::ZERO).unwrap();
    let path = common::db_path(&s.shop.dir);
    let mut h = harness(&path, None);
    log_in(&mut h, "cashier", common::PASSWORD);
    scan(&mut h, &["96385074"]);
    assert!(
        h.query_by_label(t(kassa::i18n::T::MarkingLabel)).is_some(),
        "asks for the code"
    );
    assert!(cart(&h).is_empty(), "nothing in the cart yet");
    // A barcode is not a marking code.
    set_field(&mut h, t(kassa::i18n::T::MarkingLabel), "4780000000137");
    press(&mut h, Key::Enter);
    assert!(h.query_by_label(t(kassa::i18n::T::MarkingBad)).is_some());
    assert!(cart(&h).is_empty());
    // As a scanner in keyboard mode types it (no group separator).
    let typed = marking(7).replace('\u{1d}', "");
    set_field(&mut h, t(kassa::i18n::T::MarkingLabel), &typed);
    press(&mut h, Key::Enter);
    assert_eq!(cart(&h), vec![("Suv Hydrolife 1 l".into(), 1000)]);
    press(&mut h, Key::F12);
    press(&mut h, Key::Enter);
    assert!(cart(&h).is_empty(), "sold");
    let codes = common::scalar_text(
        &mut s.shop.app,
        "SELECT marking_codes AS t FROM sale_item_fiscal ORDER BY sale_item_id DESC LIMIT 1",
    );
    assert_eq!(codes, typed);
    // No class code: refused, naming the product.
    scan(&mut h, &["4780000000137"]);
    press(&mut h, Key::F12);
    press(&mut h, Key::Enter);
    let refusal = kassa::i18n::Lang::Uz.fill(kassa::i18n::T::ErrNoClassCode, &["Qatiq"]);
    assert!(
        h.query_by_label_contains(&refusal).is_some(),
        "the refusal names the product"
    );
    assert_eq!(cart(&h).len(), 1, "the cart stays");
}

/// The fiscal thread as the window starts it, on its own connection; dropping the sender
/// ends it (as the program ending does).
fn fiscal_thread(s: &Set) -> std::sync::mpsc::Sender<()> {
    let state = std::sync::Arc::new(std::sync::Mutex::new(kassa::fiscal::WorkerState::default()));
    let (wake, rx) = std::sync::mpsc::channel();
    kassa::fiscal::spawn(&common::db_path(&s.shop.dir), state, rx).unwrap();
    wake
}

/// A cashier's day in the window with the provider set up: sales of every kind (cash, a
/// marked good paid by card and cash, nasiya), the provider down for a while, the program
/// ended in the middle and started again, a partial and a full refund from the Sales tab, the
/// shift closed with F9. In the end every sale and refund is registered exactly once, every
/// sale's receipt (or its fiscal slip) carries the tax committee's QR, and the fiscal Z of the
/// shift equals Kassa's.
#[test]
fn a_cashiers_day_in_the_window_is_registered_once_and_the_z_agrees() {
    use common::gui::*;
    use egui::Key;
    use egui_kittest::kittest::Queryable;
    use kassa::i18n::{Lang, T};
    let mut s = set();
    let manager = s.shop.manager.clone();
    s.shop
        .app
        .create_client(
            &manager,
            &kassa::app::ClientInput {
                full_name: "Aziz Rahimov".into(),
                phone: "+998 90 123 45 67".into(),
                notes: String::new(),
            },
        )
        .unwrap();
    let path = common::db_path(&s.shop.dir);
    let wake = fiscal_thread(&s);
    // The manager sells at the till and refunds in the back office, in one shift.
    let mut h = harness(&path, None);
    log_in(&mut h, "manager", common::PASSWORD);
    h.get_by_label(t(T::StartingCash)).focus();
    h.run();
    h.get_by_label(t(T::StartingCash)).type_text("100000");
    h.run();
    h.get_by_label(t(T::OpenShift)).click();
    h.run();
    // 1. Cash: two loaves.
    scan(&mut h, &["4006381333931", "4006381333931"]);
    press(&mut h, Key::F12);
    press(&mut h, Key::Enter);
    assert!(cart(&h).is_empty(), "{:?}", h.state().toast());
    // 2. A marked bottle with its code, by card and cash.
    scan(&mut h, &["96385074"]);
    set_field(
        &mut h,
        t(T::MarkingLabel),
        &marking(1).replace('\u{1d}', ""),
    );
    press(&mut h, Key::Enter);
    press(&mut h, Key::F12);
    set_field(&mut h, "Bank kartasi", "3000");
    set_field(&mut h, t(T::CashReceived), "2600");
    h.get_by_label(t(T::Finish)).click();
    h.run();
    assert!(cart(&h).is_empty(), "{:?}", h.state().toast());
    // 3. Nasiya to Aziz.
    scan(&mut h, &["4006381333931"]);
    press(&mut h, Key::F12);
    press(&mut h, Key::F3);
    set_field(&mut h, t(T::FindCustomer), "aziz");
    h.query_all_by_label_contains("Aziz Rahimov")
        .last()
        .expect("Aziz in the list")
        .click();
    h.run();
    h.get_by_label(t(T::Finish)).click();
    h.run();
    assert!(cart(&h).is_empty(), "{:?}", h.state().toast());
    // 4. The provider is down: the sale goes through all the same, its receipt waits.
    s.vcr.down();
    scan(&mut h, &["4006381333931"]);
    press(&mut h, Key::F12);
    press(&mut h, Key::Enter);
    assert!(cart(&h).is_empty(), "{:?}", h.state().toast());
    // The program ends in the middle of the day and starts again; the provider comes back.
    drop(h);
    drop(wake);
    s.vcr.up();
    let wake = fiscal_thread(&s);
    let mut h = harness(&path, None);
    log_in(&mut h, "manager", common::PASSWORD);
    // A partial refund of the first sale and a full one of the second, from the Sales tab.
    click(&mut h, t(T::TabSales));
    click(&mut h, "#1");
    set_field(&mut h, "Non tandir", "1");
    click(&mut h, t(T::RefundChosen));
    click(&mut h, t(T::ConfirmRefund));
    h.get_by_role_and_label(egui::accesskit::Role::Button, t(T::Close))
        .click();
    h.run();
    click(&mut h, "#2");
    click(&mut h, t(T::RefundAll));
    click(&mut h, t(T::ConfirmRefund));
    let refunds = common::scalar(&mut s.shop.app, "SELECT COUNT(*) AS n FROM refunds");
    assert_eq!(refunds, 2, "{:?}", h.state().toast());
    // Closing the shift at the till.
    // The sale's window closed, then the till (the receipt on screen names the shop, "Kassa",
    // too: the tab is the button).
    h.get_by_role_and_label(egui::accesskit::Role::Button, t(T::Close))
        .click();
    h.run();
    h.get_by_role_and_label(egui::accesskit::Role::Button, Lang::Uz.t(T::TabTill))
        .click();
    h.run();
    press(&mut h, Key::F9);
    set_field(&mut h, t(T::CountedCash), "0");
    press(&mut h, Key::Enter);
    press(&mut h, Key::Enter);
    assert!(h.query_by_label(t(T::ZReport)).is_some(), "the Z is shown");
    // Everything reaches the provider, the fiscal Z last.
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    while s.vcr.state.lock().unwrap().z_reports.is_empty() {
        assert!(std::time::Instant::now() < deadline, "no fiscal Z");
        std::thread::sleep(Duration::from_millis(50));
    }
    drop(wake);
    let sales: Vec<i64> = (1..=4).collect();
    for id in &sales {
        assert!(
            s.vcr.receipt(&format!("S-{id}")).is_some(),
            "sale {id} registered"
        );
    }
    for id in 1..=2 {
        assert!(
            s.vcr.receipt(&format!("R-{id}")).is_some(),
            "refund {id} registered"
        );
    }
    assert_eq!(
        s.vcr.state.lock().unwrap().receipts.len(),
        6,
        "nothing else, nothing twice"
    );
    assert_eq!(
        s.vcr.receipt("R-2").unwrap().method,
        "Receipt.FullRefund",
        "the whole second sale"
    );
    // The fiscal Z equals Kassa's shift.
    let shift = common::scalar(&mut s.shop.app, "SELECT MAX(id) AS n FROM shifts");
    let kassa_sales = common::scalar(
        &mut s.shop.app,
        &format!("SELECT SUM(total) AS n FROM sales WHERE shift_id = {shift}"),
    );
    let kassa_refunds = common::scalar(
        &mut s.shop.app,
        &format!("SELECT SUM(amount) AS n FROM refunds WHERE shift_id = {shift}"),
    );
    let z = s.vcr.state.lock().unwrap().z_reports.clone();
    assert_eq!(z.len(), 1);
    assert_eq!((z[0].1, z[0].2, z[0].3), (kassa_sales, kassa_refunds, 6));
    // Every sale's receipt, or the fiscal slip after it, carries its QR.
    let mut p = PrintWorker::new(App::open_existing(&path, Options { bcrypt_cost: 4 }).unwrap());
    while let kassa::devices::printer::Step::Printed(_) = p.step().unwrap() {}
    let printed = kassa::app::document::escpos::decode(&std::fs::read(&s.receipts).unwrap());
    for id in sales {
        let answer = s.vcr.receipt(&format!("S-{id}")).unwrap().answer;
        let qr = answer["QRCodeURL"].as_str().unwrap().to_string();
        assert!(printed.qr.contains(&qr), "sale {id}: {qr} not printed");
    }
    assert!(s.shop.app.check().unwrap().is_empty());
}

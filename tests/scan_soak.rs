//! The real window under load: a keyboard-wedge scanner's 1 000 scans back to back (5 ms a
//! character, then Enter, typed by xdotool into the program running under Xvfb) while
//! busy loops (four per core) keep the machine saturated; then F12 and Enter sell the cart.
//! The sale must hold exactly what was scanned: nothing lost, merged or doubled.
//!
//! Needs Xvfb, xdotool and ImageMagick's `import` (`apt-get install xvfb xdotool
//! imagemagick`). Ignored by `cargo test`: run it with `scripts/scan-soak` (or
//! `cargo test --test scan_soak -- --ignored --nocapture`); its last figures are in
//! BENCHMARKS.md. `SCANS=200` makes a shorter run.

mod common;

use std::collections::BTreeMap;
use std::io::Write;
use std::process::Command;
use std::time::{Duration, Instant};

use kassa::app::{App, EmployeeInput, Options};
use kassa::domain::barcode::ean13_from_body;
use kassa::domain::{Money, Quantity, Role};

const PASS: &str = "soak-pass-1";

#[test]
#[ignore = "drives a real window under Xvfb for minutes; run scripts/scan-soak"]
fn a_thousand_scans_under_load_are_all_sold_exactly() {
    let scans: usize = std::env::var("SCANS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1000);
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("kassa.db");
    // The shop: 20 products with EAN-13 codes, a cashier whose shift is open.
    let mut codes: Vec<(i32, String)> = Vec::new();
    {
        let mut app = App::open(&db, Options { bcrypt_cost: 4 }).unwrap();
        let admin = app.login("admin", "admin123").unwrap();
        let admin = app.change_password(&admin, "admin123", PASS).unwrap();
        let input = EmployeeInput {
            full_name: "Kassir".into(),
            login: "kassir".into(),
            role: Role::Cashier,
            ..Default::default()
        };
        app.create_employee(&admin, &input, "first-pass-1").unwrap();
        let s = app.login("kassir", "first-pass-1").unwrap();
        let cashier = app.change_password(&s, "first-pass-1", PASS).unwrap();
        for i in 0..20u8 {
            let mut body = [4, 7, 8, 0, 0, 0, 0, 0, 0, 0, 0, 0];
            body[10] = i / 10;
            body[11] = i % 10;
            let code = ean13_from_body(&body);
            let id = common::stocked(
                &mut app,
                &admin,
                common::product_input(&format!("Mahsulot {i}"), 1_000 + i64::from(i), 500, &code),
                Quantity::units(scans as i64 + 10),
            );
            codes.push((id, code));
        }
        app.open_shift(&cashier, Money::ZERO).unwrap();
    }
    // What the scanner will type, and what the sale must hold.
    let mut expected: BTreeMap<i32, i64> = BTreeMap::new();
    // One xdotool command: every key 5 ms after the one before, each code's digits then the
    // Return key, as a scanner sends them (xdotool types a newline as Linefeed, not Enter).
    let mut typing: Vec<String> = vec!["key".into(), "--delay".into(), "5".into()];
    for n in 0..scans {
        let (id, code) = &codes[(n * 7 + n / 5) % codes.len()];
        *expected.entry(*id).or_default() += 1000;
        typing.extend(code.chars().map(String::from));
        typing.push("Return".into());
    }

    let mut win = common::xwin::Window::start(&db, dir.path());
    win.log_in("kassir", PASS);
    let display = win.display.clone();

    // Four busy loops per core.
    let busy = win.load(4);
    let started = Instant::now();
    let status = Command::new("xdotool")
        .args(&typing)
        .env("DISPLAY", &display)
        .status()
        .unwrap();
    assert!(status.success());
    let typing = started.elapsed();
    // Sell: F12 opens the payment with the cash field holding the total, Enter finishes.
    win.step("the payment dialog", &["key", "F12"]);
    win.keys(&["key", "Return"]);
    let mut app = App::open_read_only(&db).unwrap();
    let limit = Instant::now() + Duration::from_secs(300);
    while common::scalar(&mut app, "SELECT COUNT(*) AS n FROM sales") == 0 {
        if Instant::now() > limit {
            // What the window shows, for whoever reads the failure.
            let shot = win.shot("scan-soak-failed.png");
            panic!("no sale after 300 s; the screen is in {}", shot.display());
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    let total = started.elapsed();
    drop(win);
    #[derive(diesel::QueryableByName)]
    struct Line {
        #[diesel(sql_type = diesel::sql_types::Integer)]
        product_id: i32,
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        quantity: i64,
    }
    use kassa::store::db::RunOnDb;
    let lines: Vec<Line> = diesel::sql_query(
        "SELECT product_id, SUM(quantity) AS quantity FROM sale_items GROUP BY product_id",
    )
    .load(app.connection())
    .unwrap();
    let got: BTreeMap<i32, i64> = lines.iter().map(|l| (l.product_id, l.quantity)).collect();
    let scanned: i64 = got.values().sum::<i64>() / 1000;
    let mut report = std::io::stderr();
    let _ = writeln!(
        report,
        "scan soak: {scans} scans typed in {:.1} s with {} busy loops; sold {scanned} pieces; \
         sale recorded {:.1} s after the first key",
        typing.as_secs_f64(),
        busy,
        total.as_secs_f64()
    );
    assert_eq!(got, expected, "the sale differs from what was scanned");
}

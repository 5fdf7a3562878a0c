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
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use kassa::app::{App, EmployeeInput, Options};
use kassa::domain::barcode::ean13_from_body;
use kassa::domain::{Money, Quantity, Role};

const PASS: &str = "soak-pass-1";

/// Children killed when the test ends, however it ends.
struct Kill(Vec<Child>);

impl Drop for Kill {
    fn drop(&mut self) {
        for c in &mut self.0 {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

fn free_display() -> u32 {
    (150..250)
        .find(|n| !std::path::Path::new(&format!("/tmp/.X{n}-lock")).exists())
        .expect("a free X display number")
}

fn xdotool(display: &str, args: &[&str]) -> String {
    let out = Command::new("xdotool")
        .args(args)
        .env("DISPLAY", display)
        .output()
        .expect("xdotool (apt-get install xdotool)");
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

fn screen(display: &str) -> Vec<u8> {
    Command::new("import")
        .args(["-window", "root", "rgb:-"])
        .env("DISPLAY", display)
        .output()
        .expect("import (apt-get install imagemagick)")
        .stdout
}

/// Waits until `done` holds, checking every 200 ms, for at most `limit`.
fn wait_for(what: &str, limit: Duration, mut done: impl FnMut() -> bool) {
    let start = Instant::now();
    while !done() {
        assert!(start.elapsed() < limit, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(200));
    }
}

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

    let n = free_display();
    let display = format!(":{n}");
    let mut children = Kill(Vec::new());
    children.0.push(
        Command::new("Xvfb")
            .args([&display, "-screen", "0", "1280x720x24", "-nolisten", "tcp"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("Xvfb (apt-get install xvfb)"),
    );
    wait_for("Xvfb", Duration::from_secs(20), || {
        std::path::Path::new(&format!("/tmp/.X11-unix/X{n}")).exists()
    });
    children.0.push(
        Command::new(env!("CARGO_BIN_EXE_kassa"))
            .args(["--db", db.to_str().unwrap()])
            .env("DISPLAY", &display)
            .env("HOME", dir.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let mut window = String::new();
    wait_for("the window", Duration::from_secs(60), || {
        window = xdotool(&display, &["search", "--name", "^Kassa$"]);
        !window.is_empty()
    });
    let window = window.lines().next().unwrap_or_default().to_string();
    // Keys sent once the window has the focus wait in its queue until it reads them.
    xdotool(&display, &["windowfocus", "--sync", &window]);
    // Each step waits until the window has drawn the last one: egui moves the focus at the
    // end of a frame, so a Tab and the text after it in one frame would land in one field.
    let step = |what: &str, args: &[&str]| {
        let before = screen(&display);
        xdotool(&display, args);
        wait_for(what, Duration::from_secs(120), || {
            screen(&display) != before
        });
    };
    let blank = screen(&display);
    wait_for("the log-in screen", Duration::from_secs(60), || {
        let now = screen(&display);
        now != blank && now.iter().any(|&b| b < 0x80)
    });
    step("the login typed", &["type", "--delay", "20", "kassir"]);
    step("the focus on the password", &["key", "Tab"]);
    step("the password typed", &["type", "--delay", "20", PASS]);
    step("the till", &["key", "Return"]);

    // Four busy loops per core.
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    for _ in 0..4 * cores {
        children.0.push(
            Command::new("sh")
                .args(["-c", "while :; do :; done"])
                .spawn()
                .unwrap(),
        );
    }
    let started = Instant::now();
    let status = Command::new("xdotool")
        .args(&typing)
        .env("DISPLAY", &display)
        .status()
        .unwrap();
    assert!(status.success());
    let typing = started.elapsed();
    // Sell: F12 opens the payment with the cash field holding the total, Enter finishes.
    step("the payment dialog", &["key", "F12"]);
    xdotool(&display, &["key", "Return"]);
    let mut app = App::open_read_only(&db).unwrap();
    let limit = Instant::now() + Duration::from_secs(300);
    while common::scalar(&mut app, "SELECT COUNT(*) AS n FROM sales") == 0 {
        if Instant::now() > limit {
            // What the window shows, for whoever reads the failure.
            let shot = std::env::temp_dir().join("scan-soak-failed.png");
            let _ = Command::new("import")
                .args(["-window", "root", shot.to_str().unwrap_or_default()])
                .env("DISPLAY", &display)
                .status();
            panic!("no sale after 300 s; the screen is in {}", shot.display());
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    let total = started.elapsed();
    drop(children);
    #[derive(diesel::QueryableByName)]
    struct Line {
        #[diesel(sql_type = diesel::sql_types::Integer)]
        product_id: i32,
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        quantity: i64,
    }
    use diesel::RunQueryDsl;
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
        4 * cores,
        total.as_secs_f64()
    );
    assert_eq!(got, expected, "the sale differs from what was scanned");
}

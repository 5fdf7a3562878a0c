//! The receipt printer with real parts: a fake network printer on a TCP socket on 127.0.0.1
//! (answering DLE EOT status like a real one), a serial printer on a socat pseudo-terminal
//! pair, and the persistent queue across a printer that goes away and a program restart. The
//! bytes that arrive are decoded back into text lines and checked.

mod common;

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command};
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use kassa::app::document::escpos::{CodePage, decode};
use kassa::app::{App, Options, SaleLineInput, SaleRequest};
use kassa::devices::printer::{PrintError, PrintWorker, PrinterState, Step};
use kassa::domain::cart::Discount;
use kassa::domain::payment::{PaymentMethod, TenderInput};
use kassa::domain::{Money, Quantity};

const ONLINE: u8 = 0;
const PAPER_OUT: u8 = 1;

/// A network printer: accepts connections, answers DLE EOT 1 and 4 as the `mode` says,
/// keeps every other byte, one `Vec` per connection.
struct FakePrinter {
    port: u16,
    mode: Arc<AtomicU8>,
    jobs: Arc<Mutex<Vec<Vec<u8>>>>,
    stop: Arc<AtomicU8>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl FakePrinter {
    fn start(port: u16) -> FakePrinter {
        let listener = TcpListener::bind(("127.0.0.1", port)).expect("bind 127.0.0.1");
        listener.set_nonblocking(true).unwrap();
        let port = listener.local_addr().unwrap().port();
        let mode = Arc::new(AtomicU8::new(ONLINE));
        let jobs = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicU8::new(0));
        let (m, j, st) = (mode.clone(), jobs.clone(), stop.clone());
        let thread = std::thread::spawn(move || {
            while st.load(Ordering::SeqCst) == 0 {
                match listener.accept() {
                    Ok((conn, _)) => serve(conn, &m, &j),
                    Err(_) => std::thread::sleep(Duration::from_millis(10)),
                }
            }
        });
        FakePrinter {
            port,
            mode,
            jobs,
            stop,
            thread: Some(thread),
        }
    }

    fn jobs(&self) -> Vec<Vec<u8>> {
        self.jobs
            .lock()
            .unwrap()
            .iter()
            .filter(|j| !j.is_empty())
            .cloned()
            .collect()
    }

    /// The jobs once at least `n` have arrived: the printer records a job when the
    /// connection closes, which it sees a moment after the program has finished writing, so
    /// this waits for that event instead of assuming it already happened.
    fn wait_jobs(&self, n: usize) -> Vec<Vec<u8>> {
        let deadline = std::time::Instant::now() + Duration::from_secs(60);
        loop {
            let jobs = self.jobs();
            if jobs.len() >= n || std::time::Instant::now() > deadline {
                return jobs;
            }
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    /// Switched off: the port is closed and connections are refused.
    fn switch_off(mut self) -> u16 {
        self.stop.store(1, Ordering::SeqCst);
        self.thread.take().unwrap().join().unwrap();
        self.port
    }
}

fn serve(mut conn: TcpStream, mode: &AtomicU8, jobs: &Mutex<Vec<Vec<u8>>>) {
    conn.set_nonblocking(false).unwrap();
    conn.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    let mut data = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        let n = match conn.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => n,
        };
        let mut i = 0;
        while i < n {
            if buf[i] == 0x10 && i + 2 < n && buf[i + 1] == 0x04 {
                let paper_out = mode.load(Ordering::SeqCst) == PAPER_OUT;
                let answer = match (buf[i + 2], paper_out) {
                    (1, false) => 0x12,
                    (1, true) => 0x1A, // offline
                    (4, false) => 0x12,
                    (_, true) => 0x72, // paper end
                    _ => 0x12,
                };
                conn.write_all(&[answer]).unwrap();
                i += 3;
            } else {
                data.push(buf[i]);
                i += 1;
            }
        }
    }
    jobs.lock().unwrap().push(data);
}

fn setup(port: &str, codepage: &str, width: &str) -> common::Shop {
    let mut s = common::shop();
    for (k, v) in [
        ("shop.name", "Oʻrikzor doʻkoni"),
        ("shop.address", "Toshkent, Chilonzor 5"),
        ("printer.port", port),
        ("printer.codepage", codepage),
        ("printer.width", width),
    ] {
        s.app.set_setting(&s.admin, k, v).unwrap();
    }
    s
}

/// Sells `qty` of `product`: cash with 100 000 handed over, card for the exact total.
fn sell(s: &mut common::Shop, key: &str, product: i32, qty: i64, method: PaymentMethod) -> i32 {
    if s.app.current_shift(&s.cashier).unwrap().is_none() {
        s.app.open_shift(&s.cashier, Money::ZERO).unwrap();
    }
    let price = Money(s.app.product(&s.cashier, product).unwrap().sale_price * qty);
    let total = s
        .app
        .sell(
            &s.cashier,
            &SaleRequest {
                idempotency_key: key.into(),
                lines: vec![SaleLineInput {
                    product_id: product,
                    quantity: Quantity::units(qty),
                    discount: Discount::None,
                    marking_codes: Vec::new(),
                }],
                sale_discount: Discount::None,
                tenders: vec![TenderInput {
                    method,
                    amount: if method == PaymentMethod::Cash {
                        Money::from_major(100_000)
                    } else {
                        price
                    },
                    channel: None,
                }],
                client_id: None,
                due_date: None,
                expected_total: None,
            },
        )
        .unwrap();
    total.sale_id
}

/// The printer thread's worker on its own connection, on the shop's (frozen) clock.
fn worker(s: &common::Shop) -> PrintWorker {
    let mut app = App::open(&common::db_path(&s.dir), Options { bcrypt_cost: 4 }).unwrap();
    common::freeze(&mut app, "2026-11-24T07:00:00Z");
    PrintWorker::new(app)
}

fn product(s: &mut common::Shop, name: &str, price: i64) -> i32 {
    common::stocked(
        &mut s.app,
        &s.manager,
        common::product_input(name, price, price / 2, ""),
        Quantity::units(100),
    )
}

#[test]
fn a_network_printer_gets_the_receipt_in_its_code_page() {
    let printer = FakePrinter::start(0);
    let mut s = setup(&format!("tcp:127.0.0.1:{}", printer.port), "PC866", "58");
    let p = product(&mut s, "Sut 1 l «Musaffo»", 12_500);
    let q = product(&mut s, "Сахар-песок", 15_000);
    let sale = sell(&mut s, "n1", p, 2, PaymentMethod::Cash);
    let _ = q;
    let mut w = worker(&s);
    assert!(matches!(w.step().unwrap(), Step::Printed(_)));
    assert_eq!(w.step().unwrap(), Step::Idle);

    let jobs = printer.wait_jobs(1);
    assert_eq!(jobs.len(), 1);
    let d = decode(&jobs[0]);
    assert_eq!(d.code_page, Some(CodePage::Pc866));
    assert_eq!(d.inits, 1);
    assert_eq!(d.cuts, 1);
    assert_eq!(d.drawer_kicks, 1, "cash sale opens the drawer");
    assert_eq!(d.qr, vec![format!("KASSA-SALE-{sale}")]);
    let text = d.lines.join("\n");
    // ʻ cannot be printed in PC866: it arrives as an apostrophe.
    assert_eq!(d.lines[0], "O'rikzor do'koni");
    assert!(text.contains("Toshkent, Chilonzor 5"), "{text}");
    assert!(text.contains(&format!("Chek №{sale}")), "{text}");
    assert!(text.contains("Kassir: cashier name"), "{text}");
    // « » are not in PC866 (WPC1251 has them): plain quotes.
    assert!(text.contains("Sut 1 l \"Musaffo\""), "{text}");
    assert!(text.contains("  2 dona x 12 500"), "{text}");
    assert!(
        d.lines
            .iter()
            .any(|l| l.starts_with("JAMI") && l.ends_with("25 000 so'm")),
        "{text}"
    );
    assert!(
        d.lines
            .iter()
            .any(|l| l.starts_with("Qaytim") && l.ends_with("75 000")),
        "{text}"
    );
    assert!(
        d.lines.iter().all(|l| l.chars().count() <= 32),
        "58 mm: {text}"
    );
    // No stray UTF-8: every byte of the text decodes in CP866.
    assert!(
        !jobs[0].windows(2).any(|w| w == [0xCA, 0xBB]),
        "raw UTF-8 ʻ on paper"
    );

    // A card sale in Russian on 80 mm paper, WPC1251: Cyrillic comes back, no drawer kick.
    s.app.set_setting(&s.admin, "language", "ru").unwrap();
    s.app
        .set_setting(&s.admin, "printer.codepage", "WPC1251")
        .unwrap();
    s.app.set_setting(&s.admin, "printer.width", "80").unwrap();
    let sale2 = sell(&mut s, "n2", q, 1, PaymentMethod::Card);
    assert!(matches!(w.step().unwrap(), Step::Printed(_)));
    let jobs = printer.wait_jobs(2);
    assert_eq!(jobs.len(), 2);
    let d = decode(&jobs[1]);
    assert_eq!(d.code_page, Some(CodePage::Wpc1251));
    assert_eq!(d.drawer_kicks, 0);
    let text = d.lines.join("\n");
    assert!(text.contains(&format!("Чек №{sale2}")), "{text}");
    assert!(text.contains("Сахар-песок"), "{text}");
    assert!(text.contains("Спасибо за покупку!"), "{text}");
    assert!(
        d.lines.iter().any(|l| l.chars().count() > 32),
        "80 mm is wider"
    );
    printer.switch_off();
}

#[test]
fn the_queue_waits_for_an_offline_printer_and_keeps_order() {
    let printer = FakePrinter::start(0);
    let mut s = setup(&format!("tcp:127.0.0.1:{}", printer.port), "PC866", "80");
    let p = product(&mut s, "Non", 4_000);
    let first = sell(&mut s, "a", p, 1, PaymentMethod::Card);
    let mut w = worker(&s);
    assert!(matches!(w.step().unwrap(), Step::Printed(_)));

    // The printer goes away with two receipts to print.
    let port = printer.switch_off();
    let second = sell(&mut s, "b", p, 2, PaymentMethod::Card);
    let third = sell(&mut s, "c", p, 3, PaymentMethod::Card);
    match w.step().unwrap() {
        Step::Failed(_, PrintError::Offline(_)) => {}
        other => panic!("{other:?}"),
    }
    let st = w.status(&Step::Idle).unwrap();
    assert_eq!(st.pending, 2);
    assert!(st.last_error.is_some());
    // Not due again yet: the delay holds it back.
    assert_eq!(w.step().unwrap(), Step::Idle);

    // Back on, out of paper: still nothing printed, the printer said why.
    let printer = FakePrinter::start(port);
    printer.mode.store(PAPER_OUT, Ordering::SeqCst);
    let later = |secs: i64| {
        let t = chrono::DateTime::parse_from_rfc3339("2026-11-24T07:00:00Z")
            .unwrap()
            .with_timezone(&chrono::Utc)
            + chrono::Duration::seconds(secs);
        move || t
    };
    w.app().set_clock(later(5));
    let step = w.step().unwrap();
    match &step {
        Step::Failed(_, PrintError::PaperOut) => {}
        other => panic!("{other:?}"),
    }
    // The status bar says out of paper, not "no connection": after the failed try and while
    // the jobs wait for their next one.
    assert_eq!(w.status(&step).unwrap().state, PrinterState::PaperOut);
    assert_eq!(w.step().unwrap(), Step::Idle);
    assert_eq!(w.status(&Step::Idle).unwrap().state, PrinterState::PaperOut);
    // Paper in: both print, in order.
    printer.mode.store(ONLINE, Ordering::SeqCst);
    w.app().set_clock(later(60));
    assert!(matches!(w.step().unwrap(), Step::Printed(_)));
    assert!(matches!(w.step().unwrap(), Step::Printed(_)));
    assert_eq!(w.step().unwrap(), Step::Idle);
    assert_eq!(w.status(&Step::Idle).unwrap().pending, 0);
    let qrs: Vec<String> = printer
        .wait_jobs(2)
        .iter()
        .flat_map(|j| decode(j).qr)
        .collect();
    assert_eq!(
        qrs,
        vec![
            format!("KASSA-SALE-{second}"),
            format!("KASSA-SALE-{third}")
        ]
    );
    let _ = first;
    printer.switch_off();
}

#[test]
fn pending_jobs_survive_a_restart_and_copies_are_marked() {
    let printer = FakePrinter::start(0);
    let port = printer.switch_off(); // off while selling
    let mut s = setup(&format!("tcp:127.0.0.1:{port}"), "PC866", "80");
    let p = product(&mut s, "Choy", 9_000);
    let sale = sell(&mut s, "r1", p, 1, PaymentMethod::Cash);
    let report = s
        .app
        .close_shift(&s.cashier, Money::from_major(9_000), "")
        .unwrap();
    assert_eq!(report.shift.difference, Some(0));
    // The program stops with two jobs (receipt, Z report) pending.
    let db = common::db_path(&s.dir);
    drop(s.app);

    let printer = FakePrinter::start(port);
    let mut w = PrintWorker::new(App::open(&db, Options { bcrypt_cost: 4 }).unwrap());
    assert!(matches!(w.step().unwrap(), Step::Printed(_)));
    assert!(matches!(w.step().unwrap(), Step::Printed(_)));
    assert_eq!(w.step().unwrap(), Step::Idle);
    let jobs = printer.wait_jobs(2);
    assert_eq!(jobs.len(), 2);
    assert_eq!(decode(&jobs[0]).qr, vec![format!("KASSA-SALE-{sale}")]);
    let z = decode(&jobs[1]).lines.join("\n");
    assert!(z.contains("Z-hisobot"), "{z}");
    assert!(
        z.lines()
            .any(|l| l.starts_with("Farq") && l.ends_with(" 0")),
        "{z}"
    );

    // A copy from the sales history, by the manager: marked, no drawer kick.
    let mut app = App::open(&db, Options { bcrypt_cost: 4 }).unwrap();
    let manager = app.login("manager", common::PASSWORD).unwrap();
    app.print_copy(&manager, sale).unwrap();
    assert!(matches!(w.step().unwrap(), Step::Printed(_)));
    let d = decode(&printer.wait_jobs(3)[2]);
    assert_eq!(d.lines[0], "*** NUSXA ***");
    assert_eq!(d.drawer_kicks, 0);
    printer.switch_off();
}

/// A socat pseudo-terminal pair: the printer end is opened by Kassa as a serial port.
struct PtyPair {
    child: Child,
    kassa_end: String,
    printer_end: String,
}

impl PtyPair {
    fn new(dir: &std::path::Path) -> PtyPair {
        let kassa_end = dir.join("ttyKASSA").display().to_string();
        let printer_end = dir.join("ttyPRINTER").display().to_string();
        let child = Command::new("socat")
            .args([
                &format!("pty,raw,echo=0,link={kassa_end}"),
                &format!("pty,raw,echo=0,link={printer_end}"),
            ])
            .spawn()
            .expect("socat must be installed (apt-get install socat), see the README");
        let start = Instant::now();
        while !(std::path::Path::new(&kassa_end).exists()
            && std::path::Path::new(&printer_end).exists())
        {
            assert!(
                start.elapsed() < Duration::from_secs(10),
                "socat gave no ptys"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        PtyPair {
            child,
            kassa_end,
            printer_end,
        }
    }
}

impl Drop for PtyPair {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn a_serial_printer_on_a_pseudo_terminal_gets_the_slip() {
    let tmp = tempfile::tempdir().unwrap();
    let pty = PtyPair::new(tmp.path());
    let mut s = setup(&format!("serial:{}:19200", pty.kassa_end), "WPC1251", "58");
    s.app.set_setting(&s.admin, "language", "ru").unwrap();
    // The printer end: read everything that arrives (the serial printer does not answer
    // status queries, like many cheap ones).
    let mut printer_end = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open(&pty.printer_end)
        .unwrap();
    let client = s
        .app
        .create_client(
            &s.manager,
            &kassa::app::ClientInput {
                full_name: "Гульнора Тошматова".into(),
                phone: "+998 90 123-45-67".into(),
                notes: String::new(),
            },
        )
        .unwrap();
    s.app
        .adjust_client_balance(
            &s.manager,
            client.id,
            Money::from_major(-50_000),
            "old debt",
        )
        .unwrap();
    s.app.open_shift(&s.cashier, Money::ZERO).unwrap();
    s.app
        .take_debt_payment(
            &s.cashier,
            client.id,
            Money::from_major(20_000),
            PaymentMethod::Cash,
            "",
        )
        .unwrap();
    let reader = std::thread::spawn(move || {
        let mut got = Vec::new();
        let mut buf = [0u8; 1024];
        let start = Instant::now();
        // Until the cut and the drawer kick have arrived.
        while start.elapsed() < Duration::from_secs(20) {
            let n = printer_end.read(&mut buf).unwrap_or(0);
            got.extend_from_slice(&buf[..n]);
            let d = decode(&got);
            if d.cuts == 1 && d.drawer_kicks == 1 {
                break;
            }
        }
        got
    });
    let mut w = worker(&s);
    assert!(matches!(w.step().unwrap(), Step::Printed(_)));
    let bytes = reader.join().unwrap();
    let d = decode(&bytes);
    assert_eq!(d.code_page, Some(CodePage::Wpc1251));
    let text = d.lines.join("\n");
    assert!(text.contains("Оплата долга"), "{text}");
    assert!(text.contains("Гульнора Тошматова"), "{text}");
    assert!(text.contains("Остаток долга: 30 000 сум"), "{text}");
    assert_eq!(d.drawer_kicks, 1, "cash taken opens the drawer");
}

#[test]
fn a_credit_sale_receipt_names_the_customer_the_debt_and_the_due_date() {
    let printer = FakePrinter::start(0);
    let mut s = setup(&format!("tcp:127.0.0.1:{}", printer.port), "UTF-8", "58");
    let p = product(&mut s, "Guruch Lazer 5 kg", 60_000);
    let client = s
        .app
        .create_client(
            &s.manager,
            &kassa::app::ClientInput {
                full_name: "Shoira Gʻulomova".into(),
                phone: "+998 91 222-33-44".into(),
                notes: String::new(),
            },
        )
        .unwrap();
    s.app.open_shift(&s.cashier, Money::ZERO).unwrap();
    let due = chrono::NaiveDate::from_ymd_opt(2026, 12, 10).unwrap();
    let sale = s
        .app
        .sell(
            &s.cashier,
            &SaleRequest {
                idempotency_key: "credit".into(),
                lines: vec![SaleLineInput {
                    product_id: p,
                    quantity: Quantity::units(2),
                    discount: Discount::None,
                    marking_codes: Vec::new(),
                }],
                sale_discount: Discount::None,
                tenders: vec![
                    TenderInput {
                        method: PaymentMethod::Cash,
                        amount: Money::from_major(20_000),
                        channel: None,
                    },
                    TenderInput {
                        method: PaymentMethod::Nasiya,
                        amount: Money::from_major(100_000),
                        channel: None,
                    },
                ],
                client_id: Some(client.id),
                due_date: Some(due),
                expected_total: None,
            },
        )
        .unwrap();
    let mut w = worker(&s);
    assert!(matches!(w.step().unwrap(), Step::Printed(_)));
    let d = decode(&printer.wait_jobs(1)[0]);
    assert_eq!(d.code_page, None, "UTF-8 printers get no ESC t");
    let text = d.lines.join("\n");
    assert!(text.contains(&format!("Chek №{}", sale.sale_id)), "{text}");
    // UTF-8: the Uzbek letter itself.
    assert!(text.contains("Mijoz: Shoira Gʻulomova"), "{text}");
    assert!(text.contains("Qarz qoldigʻi: 100 000 soʻm"), "{text}");
    assert!(text.contains("Qaytarish muddati: 2026-12-10"), "{text}");
    assert!(
        d.lines
            .iter()
            .any(|l| l.starts_with("Nasiya") && l.ends_with("100 000")),
        "{text}"
    );
    assert_eq!(d.drawer_kicks, 1, "part of it was cash");
    printer.switch_off();
}

/// While nothing prints, the printer is probed: a switched-off network printer shows "off"
/// before any receipt fails, one out of paper shows so, and switched back on it shows
/// ready. A probe prints nothing.
#[test]
fn an_idle_printer_is_probed_and_nothing_is_printed() {
    use kassa::devices::printer::PrinterState;
    let fake = FakePrinter::start(0);
    let s = setup(&format!("tcp:127.0.0.1:{}", fake.port), "PC866", "80");
    let mut w = worker(&s);
    let state = |w: &mut PrintWorker| w.status(&Step::Idle).unwrap();

    w.probe_if_due().unwrap();
    assert_eq!(state(&mut w).state, PrinterState::Ready);
    fake.mode.store(PAPER_OUT, Ordering::SeqCst);
    w.probe().unwrap();
    assert_eq!(state(&mut w).state, PrinterState::PaperOut);
    fake.mode.store(ONLINE, Ordering::SeqCst);
    w.probe().unwrap();
    assert_eq!(state(&mut w).state, PrinterState::Ready);
    assert!(fake.jobs().is_empty(), "a probe printed {:?}", fake.jobs());

    let port = fake.switch_off();
    w.probe().unwrap();
    let st = state(&mut w);
    assert_eq!(st.state, PrinterState::Offline);
    assert_eq!(st.pending, 0);
    assert!(st.last_error.is_some());
    // A probe within the interval is not repeated, except for a new port setting.
    let fake = FakePrinter::start(port);
    w.probe_if_due().unwrap();
    assert_eq!(state(&mut w).state, PrinterState::Offline);
    w.probe().unwrap();
    assert_eq!(state(&mut w).state, PrinterState::Ready);
    assert!(fake.jobs().is_empty());
}

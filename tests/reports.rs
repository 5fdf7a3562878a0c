//! Reports, dashboard and exports: the figures of a small hand-checked day, every report
//! cross-checked with the statistics use case to the tiyin (also on generated weeks of
//! sales), the Excel file read back, the PDF's text extracted, and `kassa report`.

mod common;

use chrono::NaiveDate;
use common::*;
use kassa::app::{Cell, ClientInput, Period, ReportKind, SaleLineInput, SaleRequest};
use kassa::domain::cart::Discount;
use kassa::domain::payment::{PaymentMethod, TenderInput};
use kassa::domain::{Money, Quantity, Unit};
use kassa::export::{self, Format};
use kassa::i18n::Lang;

fn som(n: i64) -> i64 {
    Money::from_major(n).0
}

fn day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 24).unwrap()
}

struct Day {
    shop: Shop,
}

/// 24.11.2026 (the shop's clock is fixed at 12:00 Tashkent): three sales and one refunded,
/// one expense.
///   Non   4 000 (cost 3 000), category "Non"   — 2 sold for cash         8 000 / 6 000
///   Молоко 12 000 (cost 9 000), category "Sut" — 1 sold by card         12 000 / 9 000
///   Guruch 15 000/kg (cost 10 000), no category — 1.5 kg on nasiya      22 500 / 15 000
///   a cash sale of Non + Молоко (16 000), refunded: in no figure
///   rent 50 000
/// Revenue 42 500, cost 30 000, gross profit 12 500, net profit -37 500.
fn hand_checked_day() -> Day {
    let mut shop = shop();
    let (admin, manager, cashier) = (
        shop.admin.clone(),
        shop.manager.clone(),
        shop.cashier.clone(),
    );
    let non_cat = shop.app.create_category(&manager, "Non").unwrap().id;
    let sut_cat = shop.app.create_category(&manager, "Sut").unwrap().id;
    let mut non = product_input("Non", 4_000, 3_000, "");
    non.category_id = Some(non_cat);
    let non = stocked(&mut shop.app, &manager, non, Quantity::units(10));
    let mut milk = product_input("Молоко", 12_000, 9_000, "");
    milk.category_id = Some(sut_cat);
    let milk = stocked(&mut shop.app, &manager, milk, Quantity::units(5));
    let mut rice = product_input("Guruch", 15_000, 10_000, "");
    rice.unit = Unit::Weight;
    let rice = stocked(&mut shop.app, &manager, rice, Quantity::units(20));
    let client = shop
        .app
        .create_client(
            &manager,
            &ClientInput {
                full_name: "Gʻulom Oʻrinov".into(),
                phone: "998901112233".into(),
                notes: String::new(),
            },
        )
        .unwrap()
        .id;
    shop.app.open_shift(&cashier, Money::ZERO).unwrap();
    let mut sell = |key: &str,
                    lines: &[(i32, Quantity)],
                    method: PaymentMethod,
                    amount: i64,
                    client: Option<i32>| {
        shop.app
            .sell(
                &cashier,
                &SaleRequest {
                    idempotency_key: key.into(),
                    lines: lines
                        .iter()
                        .map(|&(product_id, quantity)| SaleLineInput {
                            product_id,
                            quantity,
                            discount: Discount::None,
                            marking_codes: Vec::new(),
                        })
                        .collect(),
                    sale_discount: Discount::None,
                    tenders: vec![TenderInput {
                        method,
                        amount: Money::from_major(amount),
                        channel: None,
                    }],
                    client_id: client,
                    due_date: client.map(|_| day() + chrono::Duration::days(10)),
                    expected_total: None,
                },
            )
            .unwrap()
            .sale_id
    };
    sell(
        "s1",
        &[(non, Quantity::units(2))],
        PaymentMethod::Cash,
        8_000,
        None,
    );
    sell(
        "s2",
        &[(milk, Quantity::units(1))],
        PaymentMethod::Card,
        12_000,
        None,
    );
    sell(
        "s3",
        &[(rice, Quantity(1500))],
        PaymentMethod::Nasiya,
        22_500,
        Some(client),
    );
    let refunded = sell(
        "s4",
        &[(non, Quantity::units(1)), (milk, Quantity::units(1))],
        PaymentMethod::Cash,
        16_000,
        None,
    );
    // The cash goes back out of the manager's own drawer.
    shop.app
        .open_shift(&manager, Money::from_major(20_000))
        .unwrap();
    shop.app
        .refund_sale(&manager, refunded, "mijoz qaytardi")
        .unwrap();
    let rent = shop
        .app
        .create_expense_category(&admin, "Ijara")
        .unwrap()
        .id;
    shop.app
        .add_expense(&admin, rent, Money::from_major(50_000), day(), "")
        .unwrap();
    Day { shop }
}

fn texts(row: &[Cell]) -> Vec<String> {
    row.iter().map(Cell::display).collect()
}

#[test]
fn a_hand_checked_day_in_every_report() {
    let Day { mut shop } = hand_checked_day();
    let manager = shop.manager.clone();
    let p = Period::day(day());
    let stats = shop.app.statistics(&manager, p, 10).unwrap();
    assert_eq!(
        (
            stats.sales_count,
            stats.revenue,
            stats.cogs,
            stats.gross_profit,
            stats.expenses,
            stats.net_profit
        ),
        (
            3,
            som(42_500),
            som(30_000),
            som(12_500),
            som(50_000),
            som(-37_500)
        )
    );
    let report = |shop: &mut Shop, kind| shop.app.report(&manager, kind, p, Lang::Uz).unwrap();

    let by_product = report(&mut shop, ReportKind::SalesByProduct);
    let rows: Vec<Vec<String>> = by_product.rows.iter().map(|r| texts(r)).collect();
    assert_eq!(
        rows,
        vec![
            vec!["Guruch", "1.5", "22 500", "15 000", "7 500"],
            vec!["Молоко", "1", "12 000", "9 000", "3 000"],
            vec!["Non", "2", "8 000", "6 000", "2 000"],
        ]
    );
    assert_eq!(
        texts(by_product.total.as_ref().unwrap()),
        // No quantity total: 2 pieces, 1 piece and 1.5 kg do not add up.
        vec!["", "", "42 500", "30 000", "12 500"]
    );

    let by_category = report(&mut shop, ReportKind::SalesByCategory);
    let rows: Vec<Vec<String>> = by_category.rows.iter().map(|r| texts(r)).collect();
    assert_eq!(
        rows,
        vec![
            vec!["—", "1", "22 500", "15 000", "7 500"],
            vec!["Sut", "1", "12 000", "9 000", "3 000"],
            vec!["Non", "1", "8 000", "6 000", "2 000"],
        ]
    );

    let by_payment = report(&mut shop, ReportKind::SalesByPayment);
    let rows: Vec<Vec<String>> = by_payment.rows.iter().map(|r| texts(r)).collect();
    assert_eq!(
        rows,
        vec![
            vec!["Nasiya", "1", "22 500"],
            vec!["Bank kartasi", "1", "12 000"],
            vec!["Naqd", "1", "8 000"]
        ]
    );

    let by_cashier = report(&mut shop, ReportKind::SalesByCashier);
    assert_eq!(
        texts(&by_cashier.rows[0]),
        // 42 500 / 3 = 14 166,666…: rounded, not cut.
        vec!["cashier name", "3", "42 500", "14 166,67"]
    );

    let debts = report(&mut shop, ReportKind::Debts);
    assert_eq!(
        texts(&debts.rows[0]),
        vec![
            "Gʻulom Oʻrinov",
            "+998 90 111 22 33",
            "22 500",
            "04.12.2026",
            "0",
            "22 500",
            "0",
            "0",
            "0",
            "0"
        ]
    );

    // Stock: Non 10 - 2 = 8, Молоко 5 - 1 = 4 (the refund put its units back), Guruch 18.5 kg.
    let stock = report(&mut shop, ReportKind::StockValuation);
    let total = stock.total.as_ref().unwrap();
    assert_eq!(total[5], Cell::Money(som(8 * 3_000 + 4 * 9_000 + 185_000)));
    assert_eq!(total[6], Cell::Money(som(8 * 4_000 + 4 * 12_000 + 277_500)));

    let expenses = report(&mut shop, ReportKind::ExpensesByCategory);
    assert_eq!(texts(&expenses.rows[0]), vec!["Ijara", "1", "50 000"]);
    // The amount spent is titled as an amount, not as takings, in every language.
    assert_eq!(expenses.columns[2], kassa::i18n::T::ColSum);
    for lang in kassa::i18n::Lang::ALL {
        assert_ne!(lang.t(expenses.columns[2]), lang.t(kassa::i18n::T::Revenue));
    }

    // The cashier's shift and the manager's, whose drawer paid the refund back.
    let shifts = report(&mut shop, ReportKind::Shifts);
    assert_eq!(shifts.rows.len(), 2);

    let top = report(&mut shop, ReportKind::TopProducts);
    assert_eq!(top.rows[0][0], Cell::Text("Guruch".into()));
    let slow = report(&mut shop, ReportKind::SlowProducts);
    assert_eq!(slow.rows.len(), 3);

    // The dashboard agrees, and compares with the day before (no sales).
    let d = shop.app.dashboard(&manager, p).unwrap();
    assert_eq!(d.figures.revenue, stats.revenue);
    assert_eq!(d.figures.net_profit, stats.net_profit);
    assert_eq!(d.figures.average, som(42_500) / 3);
    assert_eq!(d.previous.unwrap().revenue, 0);
    assert_eq!(d.by_day, vec![(day(), som(42_500), som(12_500))]);
    assert_eq!(d.by_hour[12], som(42_500), "sold at 12:00 in Tashkent");
    assert_eq!(d.by_hour.iter().sum::<i64>(), som(42_500));
    assert_eq!(
        d.by_method.iter().map(|(_, _, a)| a).sum::<i64>(),
        som(42_500)
    );
    assert_eq!(
        d.refunds,
        (1, som(16_000)),
        "the refund is shown, apart from the figures"
    );
}

#[test]
fn a_cashier_sees_today_only() {
    let Day { mut shop } = hand_checked_day();
    let cashier = shop.cashier.clone();
    let today = Period::day(day());
    assert!(shop.app.statistics(&cashier, today, 5).is_ok());
    let d = shop.app.dashboard(&cashier, today).unwrap();
    assert_eq!(d.previous, None);
    let week = Period {
        from: day() - chrono::Duration::days(6),
        to: day(),
    };
    assert!(shop.app.statistics(&cashier, week, 5).is_err());
    assert!(shop.app.dashboard(&cashier, week).is_err());
    assert!(
        shop.app
            .report(&cashier, ReportKind::SalesByProduct, today, Lang::Uz)
            .is_err()
    );
}

#[test]
fn reports_agree_with_the_statistics_on_generated_weeks() {
    let (_dir, mut app) = fresh();
    kassa::demo::generate(&mut app, 21, 11).unwrap();
    // The demo's refunds come after their sales, and cash paid back out of a drawer.
    assert!(
        common::scalar(
            &mut app,
            "SELECT COUNT(*) AS n FROM sales WHERE refunded_at IS NOT NULL"
        ) > 0
    );
    assert_eq!(
        common::scalar(
            &mut app,
            "SELECT COUNT(*) AS n FROM sales WHERE refunded_at < created_at"
        ),
        0,
        "a refund dated before its sale"
    );
    assert_eq!(
        common::scalar(
            &mut app,
            "SELECT COUNT(*) AS n FROM sales s WHERE s.refunded_at IS NOT NULL AND s.refund_shift_id IS NULL
             AND EXISTS (SELECT 1 FROM sale_payments p WHERE p.sale_id = s.id AND p.method = 'cash' AND p.amount > 0)"
        ),
        0,
        "cash paid back out of no drawer"
    );
    let admin = admin(&mut app);
    let today = kassa::domain::debt::local_date(app.now(), app.time_zone());
    for back in [0i64, 3, 7, 20] {
        let p = Period {
            from: today - chrono::Duration::days(back),
            to: today,
        };
        let s = app.statistics(&admin, p, 5).unwrap();
        let r = |app: &mut kassa::app::App, k| app.report(&admin, k, p, Lang::En).unwrap();
        let by_product = r(&mut app, ReportKind::SalesByProduct);
        assert_eq!(
            by_product.money_sum(2),
            s.revenue,
            "{back}: product revenue"
        );
        assert_eq!(by_product.money_sum(3), s.cogs, "{back}: product cost");
        assert_eq!(by_product.money_sum(4), s.gross_profit, "{back}");
        assert_eq!(
            r(&mut app, ReportKind::SalesByCategory).money_sum(2),
            s.revenue
        );
        assert_eq!(
            r(&mut app, ReportKind::SalesByCategory).money_sum(4),
            s.gross_profit
        );
        assert_eq!(
            r(&mut app, ReportKind::SalesByCashier).money_sum(2),
            s.revenue
        );
        assert_eq!(
            r(&mut app, ReportKind::SalesByPayment).money_sum(2),
            s.revenue
        );
        assert_eq!(
            r(&mut app, ReportKind::ExpensesByCategory).money_sum(2),
            s.expenses
        );
        let d = app.dashboard(&admin, p).unwrap();
        assert_eq!(d.figures.revenue, s.revenue);
        assert_eq!(d.by_day.iter().map(|x| x.1).sum::<i64>(), s.revenue);
        assert_eq!(d.by_day.iter().map(|x| x.2).sum::<i64>(), s.gross_profit);
        assert_eq!(d.by_hour.iter().sum::<i64>(), s.revenue);
        assert_eq!(d.by_method.iter().map(|x| x.2).sum::<i64>(), s.revenue);
        if back > 0 {
            assert!(
                s.revenue > 0,
                "the generated shop sold something in {back} days"
            );
        }
    }
    // Debts: the report's total is what the customers owe by their ledgers.
    let debts = app
        .report(&admin, ReportKind::Debts, Period::day(today), Lang::En)
        .unwrap();
    let owed = common::scalar(
        &mut app,
        "SELECT COALESCE(-SUM(b), 0) AS n FROM (SELECT SUM(amount) AS b FROM client_ledger l
         JOIN clients c ON c.id = l.client_id AND c.deleted_at IS NULL
         GROUP BY client_id HAVING SUM(amount) < 0) d",
    );
    assert_eq!(debts.money_sum(2), owed);
}

#[test]
fn exported_files_read_back() {
    let Day { mut shop } = hand_checked_day();
    let manager = shop.manager.clone();
    let table = shop
        .app
        .report(
            &manager,
            ReportKind::SalesByProduct,
            Period::day(day()),
            Lang::Uz,
        )
        .unwrap();
    let dir = shop.dir.path().join("out");

    let xlsx = dir.join("r.xlsx");
    export::write(&table, Format::Xlsx, Lang::Uz, day(), &xlsx).unwrap();
    use calamine::{Data, Reader, Xlsx, open_workbook};
    let mut book: Xlsx<_> = open_workbook(&xlsx).unwrap();
    let sheet = book.worksheet_range("Mahsulotlar boʻyicha savdo").unwrap();
    assert_eq!(
        sheet.get_value((0, 0)),
        Some(&Data::String(
            "Mahsulotlar boʻyicha savdo. Davr: 24.11.2026 — 24.11.2026".into()
        ))
    );
    assert_eq!(sheet.get_value((2, 0)), Some(&Data::String("Nomi".into())));
    assert_eq!(
        sheet.get_value((3, 0)),
        Some(&Data::String("Guruch".into()))
    );
    assert_eq!(
        sheet.get_value((3, 1)),
        Some(&Data::Float(1.5)),
        "quantities are numbers"
    );
    assert_eq!(
        sheet.get_value((3, 2)),
        Some(&Data::Float(22_500.0)),
        "money is a number of so'm"
    );
    assert_eq!(
        sheet.get_value((4, 0)),
        Some(&Data::String("Молоко".into()))
    );
    assert_eq!(sheet.get_value((6, 0)), Some(&Data::String("Jami".into())));
    assert_eq!(sheet.get_value((6, 2)), Some(&Data::Float(42_500.0)));
    // With the shop and who printed it when, as the PDF has them: on the second row.
    let signed = dir.join("signed.xlsx");
    let heading = export::Heading {
        shop: "Oʻrikzor".into(),
        by: "Madina Sobirova".into(),
        at: "24.11.2026 12:05".into(),
    };
    export::write_with(&table, Format::Xlsx, Lang::Uz, day(), &signed, &heading).unwrap();
    let mut book: Xlsx<_> = open_workbook(&signed).unwrap();
    let sheet = book.worksheets().remove(0).1;
    let imprint = sheet
        .get_value((1, 0))
        .map(|d| d.to_string())
        .unwrap_or_default();
    assert!(
        imprint.starts_with("Oʻrikzor · ") && imprint.contains("Madina Sobirova, 24.11.2026 12:05"),
        "{imprint}"
    );

    // The shifts report: opening and closing times are Excel date-times, not text.
    let shifts = shop
        .app
        .report(&manager, ReportKind::Shifts, Period::day(day()), Lang::Uz)
        .unwrap();
    assert!(!shifts.rows.is_empty());
    let file = dir.join("shifts.xlsx");
    export::write(&shifts, Format::Xlsx, Lang::Uz, day(), &file).unwrap();
    let mut book: Xlsx<_> = open_workbook(&file).unwrap();
    let sheet = book.worksheets().remove(0).1;
    let opened = sheet.get_value((3, 2)).cloned();
    assert!(
        matches!(opened, Some(Data::DateTime(ref d))
            if d.is_datetime()
                && d.as_f64().floor() as i64
                    == (day() - chrono::NaiveDate::from_ymd_opt(1899, 12, 30).unwrap()).num_days()),
        "{opened:?}"
    );

    let pdf = dir.join("r.pdf");
    let heading = export::Heading {
        shop: "Oʻrikzor doʻkoni".into(),
        by: "Dilshod Karimov".into(),
        at: "24.11.2026 21:05".into(),
    };
    export::write_with(&table, Format::Pdf, Lang::Uz, day(), &pdf, &heading).unwrap();
    let bytes = std::fs::read(&pdf).unwrap();
    let text = pdf_text(&bytes);
    // The metadata are PDF text strings (UTF-16BE with a byte-order mark): a viewer's title
    // bar shows ʻ and Cyrillic as they are.
    let info = |key: &[u8]| {
        let doc = lopdf::Document::load_mem(&bytes).unwrap();
        let info = doc.trailer.get(b"Info").unwrap().as_reference().unwrap();
        let raw = doc
            .get_dictionary(info)
            .unwrap()
            .get(key)
            .unwrap()
            .as_str()
            .unwrap()
            .to_vec();
        assert_eq!(&raw[..2], &[0xFE, 0xFF], "{raw:?}");
        let units: Vec<u16> = raw[2..]
            .chunks(2)
            .map(|p| u16::from_be_bytes([p[0], p[1]]))
            .collect();
        String::from_utf16(&units).unwrap()
    };
    assert_eq!(
        info(b"Title"),
        "Mahsulotlar boʻyicha savdo. Davr: 24.11.2026 — 24.11.2026"
    );
    assert_eq!(info(b"Author"), "Dilshod Karimov");
    for expected in [
        "Oʻrikzor doʻkoni",
        "Chop etdi: Dilshod Karimov, 24.11.2026 21:05",
        "Mahsulotlar boʻyicha savdo",
        "Guruch",
        "Молоко",
        "1,5",
        "22 500",
        "42 500",
        "Jami",
        "1-sahifa / 1",
    ] {
        assert!(
            text.contains(expected),
            "{expected:?} not in the PDF text: {text}"
        );
    }
    // One number format: these amounts are whole so'm, so none has decimals, and the totals
    // row is written once (bold by stroking, not by a second copy).
    assert!(!text.contains("22 500,00"), "{text}");
    assert_eq!(text.matches("42 500").count(), 1, "{text}");

    let csv = export::csv(&table, Lang::En);
    assert_eq!(
        csv.lines().collect::<Vec<_>>(),
        vec![
            "Name,Qty,Revenue,Cost of goods sold,Gross profit",
            "Guruch,1.5,22500.00,15000.00,7500.00",
            "Молоко,1,12000.00,9000.00,3000.00",
            "Non,2,8000.00,6000.00,2000.00",
            "Total,,42500.00,30000.00,12500.00",
        ]
    );
}

#[test]
fn kassa_report_writes_every_format() {
    let Day { shop } = hand_checked_day();
    let db = db_path(&shop.dir);
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_kassa"))
            .arg("--db")
            .arg(&db)
            .args(args)
            .env("KASSA_LOG", "off")
            .output()
            .unwrap()
    };
    let out = run(&[
        "report",
        "sales-by-payment",
        "--from",
        "2026-11-24",
        "--to",
        "2026-11-24",
        "--lang",
        "en",
    ]);
    assert!(out.status.success(), "{out:?}");
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "Payment method,Number of sales,Revenue\nNasiya (credit),1,22500.00\nBank card,1,12000.00\nCash,1,8000.00\nTotal,3,42500.00\n"
    );
    for format in ["xlsx", "pdf", "csv"] {
        let file = shop.dir.path().join(format!("debts.{format}"));
        let out = run(&[
            "report",
            "debts",
            "--format",
            format,
            "--out",
            file.to_str().unwrap(),
        ]);
        assert!(out.status.success(), "{out:?}");
        assert!(std::fs::metadata(&file).unwrap().len() > 0);
        if format == "csv" {
            // A file for Excel: UTF-8 with a byte-order mark.
            let bytes = std::fs::read(&file).unwrap();
            assert!(bytes.starts_with("\u{feff}".as_bytes()), "no BOM");
        }
    }
    let out = run(&["report", "profits"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("the reports are: sales-by-product"));
    let out = run(&["report", "debts", "--format", "doc"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("csv, xlsx or pdf"));
}

/// The text of a PDF written by the exporter: each text operator's glyph ids (2 bytes each,
/// the embedded font's Identity-H encoding) mapped to characters through the font's
/// ToUnicode map, one line per operator.
fn pdf_text(bytes: &[u8]) -> String {
    use lopdf::{Document, Object};
    let doc = Document::load_mem(bytes).expect("a PDF");
    let mut map = std::collections::HashMap::new();
    for (_, obj) in doc.objects.iter() {
        if let Object::Stream(s) = obj {
            let data = s
                .decompressed_content()
                .unwrap_or_else(|_| s.content.clone());
            let text = String::from_utf8_lossy(&data);
            if !text.contains("beginbfchar") {
                continue;
            }
            for line in text.lines() {
                let parts: Vec<&str> = line
                    .split(['<', '>', ' '])
                    .filter(|p| !p.is_empty())
                    .collect();
                if let [gid, uni] = parts.as_slice()
                    && let (Ok(g), Ok(u)) =
                        (u32::from_str_radix(gid, 16), u32::from_str_radix(uni, 16))
                    && let Some(c) = char::from_u32(u)
                {
                    map.insert(g, c);
                }
            }
        }
    }
    let mut out = String::new();
    for (_, page) in doc.get_pages() {
        let content = doc.get_and_decode_page_content(page).expect("page content");
        for op in content.operations {
            if op.operator != "Tj" {
                continue;
            }
            if let Some(Object::String(b, _)) = op.operands.first() {
                for pair in b.chunks(2) {
                    let g = u32::from(pair[0]) << 8 | u32::from(*pair.get(1).unwrap_or(&0));
                    out.push(*map.get(&g).unwrap_or(&'?'));
                }
                out.push('\n');
            }
        }
    }
    out
}

/// A sale paid partly by card and partly in cash is in both methods' rows, but it is one
/// sale in the total; no report header in any language shows an unfilled placeholder.
#[test]
fn split_sales_count_once_and_no_header_shows_a_placeholder() {
    let mut shop = shop();
    let (manager, cashier) = (shop.manager.clone(), shop.cashier.clone());
    let non = stocked(
        &mut shop.app,
        &manager,
        product_input("Non", 4_000, 3_000, ""),
        Quantity::units(10),
    );
    shop.app.open_shift(&cashier, Money::ZERO).unwrap();
    for (key, tenders) in [
        (
            "split",
            vec![(PaymentMethod::Card, 1_000), (PaymentMethod::Cash, 3_000)],
        ),
        ("cash", vec![(PaymentMethod::Cash, 4_000)]),
    ] {
        shop.app
            .sell(
                &cashier,
                &SaleRequest {
                    idempotency_key: key.into(),
                    lines: vec![SaleLineInput {
                        product_id: non,
                        quantity: Quantity::units(1),
                        discount: Discount::None,
                        marking_codes: Vec::new(),
                    }],
                    sale_discount: Discount::None,
                    tenders: tenders
                        .into_iter()
                        .map(|(method, som)| TenderInput {
                            method,
                            amount: Money::from_major(som),
                            channel: None,
                        })
                        .collect(),
                    client_id: None,
                    due_date: None,
                    expected_total: None,
                },
            )
            .unwrap();
    }
    let p = Period::day(day());
    let by_payment = shop
        .app
        .report(&manager, ReportKind::SalesByPayment, p, Lang::En)
        .unwrap();
    let rows: Vec<Vec<String>> = by_payment.rows.iter().map(|r| texts(r)).collect();
    assert_eq!(
        rows,
        vec![vec!["Cash", "2", "7 000"], vec!["Bank card", "1", "1 000"]]
    );
    assert_eq!(
        texts(by_payment.total.as_ref().unwrap()),
        vec!["", "2", "8 000"],
        "two sales, not three"
    );
    let sales = common::scalar(
        &mut shop.app,
        "SELECT COUNT(*) AS n FROM sales WHERE refunded_at IS NULL",
    );
    assert_eq!(sales, 2);

    for kind in ReportKind::ALL {
        for lang in Lang::ALL {
            let table = shop.app.report(&manager, kind, p, lang).unwrap();
            for c in &table.columns {
                let header = lang.t(*c);
                assert!(
                    !header.contains('{'),
                    "{kind:?} in {lang:?}: the header {header:?} has a placeholder"
                );
            }
            let csv = export::csv(&table, lang);
            let first = csv.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
            assert!(!csv.contains("{}"), "{kind:?} in {lang:?}: {first}");
        }
    }
}

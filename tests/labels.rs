//! Price tags through the real command line to a file port, decoded as a TSPL printer reads
//! them: the size, the code page, each product's name in Windows-1251, its price with the
//! currency and unit, the EAN-13 data and the copies (a supply's pieces received).

mod common;

use common::{db_path, product_input, stocked};
use kassa::domain::Quantity;

fn commands(bytes: &[u8]) -> Vec<String> {
    encoding_rs::WINDOWS_1251
        .decode(bytes)
        .0
        .split("\r\n")
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

#[test]
fn a_supplys_labels_and_chosen_products_on_a_tspl_port() {
    let mut shop = common::shop();
    let manager = shop.manager.clone();
    stocked(
        &mut shop.app,
        &manager,
        product_input("Молоко 1 л", 12_000, 9_500, "4780000000014"),
        Quantity::units(3),
    );
    let rice = common::weighed("Guruch «Lazer»", 16_000, 12_000, "2000017000008");
    stocked(&mut shop.app, &manager, rice, Quantity(2_500));
    let port = shop.dir.path().join("labels.prn");
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_kassa"))
            .arg("--db")
            .arg(db_path(&shop.dir))
            .args(args)
            .env("KASSA_LOG", "off")
            .output()
            .unwrap()
    };
    let file = format!("file:{}", port.display());

    // The second supply is the rice (the milk's was the first).
    let out = run(&[
        "labels", "--supply", "2", "--size", "40x30", "--port", &file, "--lang", "ru",
    ]);
    assert!(out.status.success(), "{out:?}");
    let out = run(&[
        "labels", "--supply", "1", "--port", &file, "--lang", "uz", "--date",
    ]);
    assert!(out.status.success(), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stdout).contains("3 label(s) for 1 product(s)"));
    let got = commands(&std::fs::read(&port).unwrap());
    // The rice: one label for a weighed product, price per kg in Russian.
    assert_eq!(got[0], "SIZE 40 mm, 30 mm");
    assert!(got.contains(&"CODEPAGE 1251".to_string()));
    assert!(
        got.contains(&"TEXT 12,8,\"2\",0,1,1,\"Guruch \\[\"]Lazer\\[\"]\"".to_string()),
        "{got:#?}"
    );
    assert!(
        got.contains(&"TEXT 12,50,\"3\",0,1,1,\"16 000 сум / кг\"".to_string()),
        "{got:#?}"
    );
    assert!(
        got.iter()
            .any(|l| l.starts_with("BARCODE")
                && l.ends_with("\"EAN13\",104,1,0,2,2,\"200001700000\""))
            || got
                .iter()
                .any(|l| l.contains("\"EAN13\"") && l.ends_with("\"200001700000\"")),
        "{got:#?}"
    );
    let prints: Vec<&String> = got.iter().filter(|l| l.starts_with("PRINT")).collect();
    assert_eq!(prints, vec!["PRINT 1,1", "PRINT 1,3"]);
    // The milk: 58x40, Cyrillic name, Uzbek price words, the date.
    assert!(got.contains(&"SIZE 58 mm, 40 mm".to_string()));
    assert!(
        got.contains(&"TEXT 12,8,\"3\",0,1,1,\"Молоко 1 л\"".to_string()),
        "{got:#?}"
    );
    assert!(
        got.contains(&"TEXT 12,64,\"4\",0,1,1,\"12 000 so'm / dona\"".to_string()),
        "{got:#?}"
    );
    assert!(got.iter().any(|l| l.ends_with("\"478000000001\"")));
    // Today's date (the command line's clock) in small type above the bars.
    assert!(
        got.iter()
            .any(|l| l.starts_with("TEXT 12,114,\"1\",0,1,1,\"")
                && l.len() == "TEXT 12,114,\"1\",0,1,1,\"02.12.2026\"".len()),
        "{got:#?}"
    );

    // Chosen by barcode, with copies; an unknown barcode and a bad size are refused.
    std::fs::remove_file(&port).unwrap();
    let out = run(&[
        "labels",
        "--barcode",
        "4780000000014",
        "--copies",
        "5",
        "--size",
        "30x20",
        "--port",
        &file,
    ]);
    assert!(out.status.success(), "{out:?}");
    let got = commands(&std::fs::read(&port).unwrap());
    assert!(
        got.contains(&"PRINT 1,5".to_string()) && got.contains(&"SIZE 30 mm, 20 mm".to_string())
    );
    let out = run(&["labels", "--barcode", "4780000000021", "--port", &file]);
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("4780000000021"),
        "{out:?}"
    );
    let out = run(&[
        "labels",
        "--barcode",
        "4780000000014",
        "--size",
        "50x30",
        "--port",
        &file,
    ]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("58x40, 40x30 or 30x20"));
}

/// Weighed products get PLU numbers for the label scale: `kassa export-plu --assign` gives
/// those without a scale code the next free PLU and writes the scale's list; a label the scale
/// prints from it (2P + PLU + grams) reads back as that product's code and weight.
#[test]
fn weighed_products_get_plu_numbers_for_the_scale() {
    let mut shop = common::shop();
    let manager = shop.manager.clone();
    // One already has a scale code (PLU 00017), one has none.
    stocked(
        &mut shop.app,
        &manager,
        common::weighed("Guruch", 16_000, 12_000, "2000017"),
        Quantity(2_500),
    );
    let apples = shop
        .app
        .create_product(
            &manager,
            &common::weighed("Olma, qizil", 18_500, 14_000, ""),
        )
        .unwrap();
    let file = shop.dir.path().join("plu.csv");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_kassa"))
        .arg("--db")
        .arg(db_path(&shop.dir))
        .args(["export-plu", "--assign", "--out", file.to_str().unwrap()])
        .env("KASSA_LOG", "off")
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let text = std::fs::read_to_string(&file).unwrap();
    assert_eq!(
        text.trim_start_matches('\u{feff}')
            .lines()
            .collect::<Vec<_>>(),
        vec![
            "PLU,Code,Name,PricePerKg",
            "00017,2000017,Guruch,16000",
            "00018,2000018,\"Olma, qizil\",18500",
        ]
    );
    assert_eq!(
        shop.app.product(&manager, apples.id).unwrap().barcodes,
        vec!["2000018".to_string()]
    );
    // The scale prints 2000018 + 01250 g + check digit.
    let body: [u8; 12] = [2, 0, 0, 0, 0, 1, 8, 0, 1, 2, 5, 0];
    let label = kassa::domain::barcode::ean13_from_body(&body);
    let read = kassa::domain::scale::parse(&label).unwrap();
    assert_eq!(read.product_code, "2000018");
    assert_eq!(
        read.value,
        kassa::domain::scale::ScaleValue::Weight(Quantity(1_250))
    );
    assert_eq!(
        common::scalar(
            &mut shop.app,
            "SELECT COUNT(*) AS n FROM audit_logs WHERE action = 'product.plu_assign'"
        ),
        1
    );
}

/// Runs a program and returns its standard output; panics with what it said when it fails.
fn tool(program: &str, args: &[&str]) -> String {
    let out = std::process::Command::new(program)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{program} (README: poppler-utils, zbar-tools): {e}"));
    assert!(out.status.success(), "{program} {args:?}: {out:?}");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A4 sticker sheets as PDF: the text read back by poppler's `pdftotext` (names in Latin and
/// Cyrillic, prices with the currency and unit, the digits), the pages by `pdfinfo`, and
/// the bars, rendered by `pdftoppm`, read by `zbarimg` as the products' EAN-13 and Code 128
/// codes; a category's products; a bad sheet refused.
#[test]
fn labels_on_a4_sticker_sheets_scan_back() {
    let mut shop = common::shop();
    let manager = shop.manager.clone();
    let drinks = shop.app.create_category(&manager, "Ichimliklar").unwrap();
    let milk = common::product_input("Молоко «Nestle» 1 л", 12_000, 9_500, "4780000000014");
    let milk = kassa::app::ProductInput {
        category_id: Some(drinks.id),
        ..milk
    };
    stocked(&mut shop.app, &manager, milk, Quantity::units(3));
    let own = common::product_input("Oʻzimizning non", 4_000, 3_000, "KASSA-0042");
    stocked(&mut shop.app, &manager, own, Quantity::units(2));
    let dir = shop.dir.path();
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_kassa"))
            .arg("--db")
            .arg(db_path(&shop.dir))
            .args(args)
            .env("KASSA_LOG", "off")
            .output()
            .unwrap()
    };

    // 40 of each on 5×13 sheets: 80 labels, two pages of 65.
    let pdf = dir.join("sheet.pdf");
    let out = run(&[
        "labels",
        "--barcode",
        "4780000000014",
        "--barcode",
        "KASSA-0042",
        "--copies",
        "40",
        "--pdf",
        pdf.to_str().unwrap(),
        "--sheet",
        "5x13",
        "--date",
        "--lang",
        "uz",
    ]);
    assert!(out.status.success(), "{out:?}");
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("80 label(s) for 2 product(s) on 2 sheet(s)")
    );
    let info = tool("pdfinfo", &[pdf.to_str().unwrap()]);
    assert!(
        info.lines()
            .any(|l| l.starts_with("Pages:") && l.ends_with(" 2")),
        "{info}"
    );
    assert!(info.contains("Narx yorliqlari"), "{info}");
    let text = tool("pdftotext", &["-layout", pdf.to_str().unwrap(), "-"]);
    let count = |s: &str| text.matches(s).count();
    assert_eq!(count("Молоко «Nestle» 1 л"), 40, "{text}");
    assert_eq!(count("Oʻzimizning non"), 40, "{text}");
    assert_eq!(count("12 000 soʻm / dona"), 40, "{text}");
    assert_eq!(count("4780000000014"), 40);
    assert_eq!(count("KASSA-0042"), 40);

    // The bars of page 1 as a scanner reads them.
    let png = dir.join("page");
    tool(
        "pdftoppm",
        &[
            "-r",
            "200",
            "-png",
            "-f",
            "1",
            "-l",
            "1",
            pdf.to_str().unwrap(),
            png.to_str().unwrap(),
        ],
    );
    let image = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "png"))
        .unwrap();
    let scanned = tool("zbarimg", &["-q", image.to_str().unwrap()]);
    // zbarimg reports each distinct symbol of an image once.
    let mut read: Vec<&str> = scanned.lines().collect();
    read.sort_unstable();
    assert_eq!(
        read,
        ["CODE-128:KASSA-0042", "EAN-13:4780000000014"],
        "{scanned}"
    );

    // A category, in Russian, on 3×8 sheets: one label per product.
    let pdf = dir.join("category.pdf");
    let out = run(&[
        "labels",
        "--category",
        "Ichimliklar",
        "--pdf",
        pdf.to_str().unwrap(),
        "--lang",
        "ru",
    ]);
    assert!(out.status.success(), "{out:?}");
    let text = tool("pdftotext", &[pdf.to_str().unwrap(), "-"]);
    assert!(text.contains("12 000 сум / шт."), "{text}");
    assert!(!text.contains("Oʻzimizning"), "{text}");
    // Unknown sheets and categories are refused.
    let out = run(&[
        "labels",
        "--category",
        "Ichimliklar",
        "--pdf",
        "x.pdf",
        "--sheet",
        "2x7",
    ]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("3x8, 4x10 or 5x13"));
    let out = run(&[
        "labels",
        "--category",
        "Yoʻq",
        "--pdf",
        pdf.to_str().unwrap(),
    ]);
    assert!(!out.status.success());
}

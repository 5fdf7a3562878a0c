//! The catalog in and out through the real command line on real files: `kassa
//! export-catalog` to xlsx and CSV and `kassa import` of them into an empty database gives
//! the same catalog; a supplier's CSV in Windows-1251 with bad rows is refused whole (nothing
//! changes, non-zero exit, every row's problems named in the shop's language) unless
//! --skip-bad; --dry-run changes nothing; a re-import changes nothing; stock enters as a supply
//! or an adjustment, never written over.

mod common;

use common::{Shop, db_path, product_input, stocked};
use kassa::app::{CatalogRow, ProductInput};
use kassa::domain::{Money, Quantity, Unit};

fn kassa(shop: &Shop, args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_kassa"))
        .arg("--db")
        .arg(db_path(&shop.dir))
        .args(args)
        .env("KASSA_LOG", "off")
        .output()
        .expect("kassa runs")
}

/// `kassa import FILE --lang en` with `extra` arguments: whether it succeeded, and what it said.
fn import_en(shop: &Shop, file: &std::path::Path, extra: &[&str]) -> (bool, String) {
    let mut args = vec!["import", file.to_str().unwrap(), "--lang", "en"];
    args.extend_from_slice(extra);
    let out = kassa(shop, &args);
    (out.status.success(), text(&out))
}

fn text(o: &std::process::Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// A small shop: categories, several barcodes, a weighed product with grams, tiyin.
fn stocked_shop() -> Shop {
    let mut shop = common::shop();
    let admin = shop.admin.clone();
    let manager = shop.manager.clone();
    let dairy = shop
        .app
        .create_category(&admin, "Sut mahsulotlari")
        .unwrap()
        .id;
    let mut milk = product_input("Sut 2,5% 1 l", 12_000, 9_500, "4780000000014");
    milk.barcodes.push("4780000000021".into());
    milk.category_id = Some(dairy);
    // Fiscal data travels with the catalog (class and package codes, VAT, marking).
    milk.fiscal = kassa::app::ProductFiscal {
        class_code: "10401001001000000".into(),
        package_code: "1506413".into(),
        unit_code: String::new(),
        vat: kassa::domain::fiscal::Vat::Twelve,
        marked: true,
    };
    stocked(&mut shop.app, &manager, milk, Quantity::units(24));
    let rice = ProductInput {
        name: "Guruch «Lazer»".into(),
        category_id: None,
        unit: Unit::Weight,
        purchase_price: Money(1_250_050),
        sale_price: Money(1_600_000),
        low_stock_threshold: Quantity(2_500),
        barcodes: vec!["2000017000008".into()],
        fiscal: kassa::app::ProductFiscal {
            class_code: "11001001001000002".into(),
            vat: kassa::domain::fiscal::Vat::Exempt,
            ..Default::default()
        },
    };
    stocked(&mut shop.app, &manager, rice, Quantity(12_345));
    let bread = product_input("Хлеб белый", 4_000, 3_000, "");
    shop.app.create_product(&manager, &bread).unwrap();
    shop
}

fn catalog(shop: &mut Shop) -> Vec<CatalogRow> {
    let manager = shop.manager.clone();
    shop.app.catalog_rows(Some(&manager)).unwrap()
}

#[test]
fn export_then_import_into_an_empty_database_gives_the_same_catalog() {
    let mut source = stocked_shop();
    let expected = catalog(&mut source);
    assert_eq!(expected.len(), 3);
    for (ext, lang) in [("xlsx", "uz"), ("csv", "ru")] {
        let file = source.dir.path().join(format!("catalog.{ext}"));
        let out = kassa(
            &source,
            &[
                "export-catalog",
                "--out",
                file.to_str().unwrap(),
                "--lang",
                lang,
            ],
        );
        assert!(out.status.success(), "{}", text(&out));
        let mut target = common::shop();
        let out = kassa(&target, &["import", file.to_str().unwrap(), "--lang", "en"]);
        assert!(out.status.success(), "{}", text(&out));
        assert!(
            text(&out).contains("Import: 3 new, 0 updated, 0 unchanged, 1 new categories, stock entered for 2 products."),
            "{}",
            text(&out)
        );
        assert_eq!(catalog(&mut target), expected, "{ext}");
        // The stock came in as a supply named after the file, and the checks hold.
        assert_eq!(
            common::scalar(
                &mut target.app,
                &format!("SELECT COUNT(*) AS n FROM supplies WHERE supplier = 'catalog.{ext}'")
            ),
            1
        );
        assert!(target.app.check().unwrap().is_empty());
        // Importing the same file again changes nothing.
        let before = common::fingerprint(&mut target.app);
        let out = kassa(&target, &["import", file.to_str().unwrap(), "--lang", "en"]);
        assert!(out.status.success(), "{}", text(&out));
        assert!(
            text(&out).contains("0 new, 0 updated, 3 unchanged"),
            "{}",
            text(&out)
        );
        let after = common::fingerprint(&mut target.app);
        // Only the audit row of the import itself was added.
        assert_eq!(
            common::scalar(
                &mut target.app,
                "SELECT COUNT(*) AS n FROM audit_logs WHERE action = 'catalog.import'"
            ),
            2
        );
        assert_eq!(catalog(&mut target), expected);
        let _ = (before, after);
    }
}

#[test]
fn a_suppliers_file_with_bad_rows_changes_nothing_unless_asked() {
    let mut shop = stocked_shop();
    // Windows-1251, semicolons, Russian headers, as Excel in Russian saves a CSV.
    let csv = "Наименование;Штрих-код;Ед. изм.;Цена закупки;Цена продажи;Остаток\r\n\
               Кефир 1 л;4780000000038;шт;8 000;10 500;12\r\n\
               Сметана;4780000000013;шт;9000;12a;3\r\n\
               Сыр;4780000000014 2000017000008;кг;50000;65000;1,5\r\n\
               Творог;4780000000038;литр;;7000;2\r\n\
               Молоко 1 л;4780000000021;шт;9 600;12 500;30\r\n";
    let (bytes, _, _) = encoding_rs::WINDOWS_1251.encode(csv);
    let file = shop.dir.path().join("postavshik.csv");
    std::fs::write(&file, &bytes).unwrap();

    let before = common::fingerprint(&mut shop.app);
    let out = kassa(&shop, &["import", file.to_str().unwrap(), "--lang", "ru"]);
    assert!(!out.status.success());
    let said = text(&out);
    for expected in [
        "Строка 3: Цена продажи: «12a» — не сумма",
        "Строка 4: штрихкод 2000017000008 принадлежит другому товару: Guruch «Lazer»",
        "Строка 5: неизвестная единица «литр» (шт или кг); штрихкод 4780000000038 уже есть в строке 2",
        "Отклонено строк: 3; ничего не импортировано",
    ] {
        assert!(said.contains(expected), "{expected:?} not in {said}");
    }
    assert_eq!(
        common::fingerprint(&mut shop.app),
        before,
        "nothing changed"
    );

    let out = kassa(
        &shop,
        &[
            "import",
            file.to_str().unwrap(),
            "--dry-run",
            "--lang",
            "en",
        ],
    );
    assert!(!out.status.success());
    assert!(
        text(&out).contains("Dry run: 1 new, 1 to update, 0 unchanged, 3 refused"),
        "{}",
        text(&out)
    );
    assert_eq!(
        common::fingerprint(&mut shop.app),
        before,
        "a dry run changes nothing"
    );

    let out = kassa(
        &shop,
        &[
            "import",
            file.to_str().unwrap(),
            "--skip-bad",
            "--lang",
            "en",
        ],
    );
    assert!(out.status.success(), "{}", text(&out));
    let rows = catalog(&mut shop);
    let kefir = rows
        .iter()
        .find(|r| r.name == "Кефир 1 л")
        .expect("kefir created");
    assert_eq!((kefir.stock, kefir.sale_price), (12_000, 1_050_000));
    // The milk matched by its second barcode: renamed, repriced, stock 24 → 30 by an
    // adjustment with the file named as the reason.
    let milk = rows
        .iter()
        .find(|r| r.name == "Молоко 1 л")
        .expect("milk updated");
    assert_eq!(
        (milk.stock, milk.sale_price, milk.purchase_price),
        (30_000, 1_250_000, 960_000)
    );
    assert_eq!(milk.barcodes, vec!["4780000000014", "4780000000021"]);
    assert_eq!(
        common::scalar(
            &mut shop.app,
            "SELECT COUNT(*) AS n FROM stock_movements \
             WHERE kind = 'adjustment' AND quantity = 6000 AND reason = 'import postavshik.csv'"
        ),
        1
    );
    assert!(shop.app.check().unwrap().is_empty());
}

/// A product's past sale and purchase prices, newest first, with who set them and the supply
/// that brought a purchase price; imports record theirs too.
#[test]
fn price_history_names_every_change() {
    let mut shop = common::shop();
    let (admin, manager) = (shop.admin.clone(), shop.manager.clone());
    let p = shop
        .app
        .create_product(&manager, &product_input("Non", 4_000, 3_000, ""))
        .unwrap();
    common::freeze(&mut shop.app, "2026-11-25T07:00:00Z");
    let mut input = product_input("Non", 4_500, 3_000, "");
    input.low_stock_threshold = Quantity(0);
    shop.app.update_product(&admin, p.id, &input).unwrap();
    common::freeze(&mut shop.app, "2026-11-26T07:00:00Z");
    let supplier_id = common::supplier(&mut shop.app, &manager, "Non zavodi");
    let supply = shop
        .app
        .receive_supply(
            &manager,
            &kassa::app::SupplyInput {
                supplier_id,
                payment: None,
                notes: String::new(),
                lines: vec![kassa::app::SupplyLineInput {
                    product_id: p.id,
                    quantity: Quantity::units(10),
                    unit_cost: Money::from_major(3_200),
                }],
            },
        )
        .unwrap();
    let h = shop.app.price_history(&manager, p.id).unwrap();
    type Seen<'a> = (bool, i64, Option<&'a str>, Option<i32>, &'a str);
    let seen: Vec<Seen> = h
        .iter()
        .map(|c| (c.sale, c.price, c.by.as_deref(), c.supply_id, c.at.as_str()))
        .collect();
    let manager_name = common::scalar_text(
        &mut shop.app,
        "SELECT full_name AS t FROM employees WHERE login = 'manager'",
    );
    let admin_name = common::scalar_text(
        &mut shop.app,
        "SELECT full_name AS t FROM employees WHERE login = 'admin'",
    );
    assert_eq!(
        seen,
        vec![
            (
                false,
                320_000,
                Some(manager_name.as_str()),
                Some(supply),
                "26.11.2026 12:00"
            ),
            (
                true,
                450_000,
                Some(admin_name.as_str()),
                None,
                "25.11.2026 12:00"
            ),
            (
                false,
                300_000,
                Some(manager_name.as_str()),
                None,
                "24.11.2026 12:00"
            ),
            (
                true,
                400_000,
                Some(manager_name.as_str()),
                None,
                "24.11.2026 12:00"
            ),
        ]
    );
    // A cashier may not read it.
    let cashier = shop.cashier.clone();
    assert!(shop.app.price_history(&cashier, p.id).is_err());
}

/// A file with some columns changes only those: "Nomi, Shtrix-kod, Sotuv narxi" over a
/// weighed product with a category and a cost reprices it and leaves its cost, category, unit
/// and stock alone; the dry run says exactly what the import then does; a unit change over
/// stock is refused; an empty cell in a present column means "none"/0.
#[test]
fn an_import_changes_only_what_the_file_has() {
    let mut shop = common::shop();
    let (admin, manager) = (shop.admin.clone(), shop.manager.clone());
    let veg = shop.app.create_category(&admin, "Sabzavot").unwrap().id;
    let cucumber = ProductInput {
        name: "Bodring".into(),
        category_id: Some(veg),
        unit: Unit::Weight,
        purchase_price: Money(900_000),
        sale_price: Money(1_200_000),
        low_stock_threshold: Quantity(5_000),
        barcodes: vec!["2000017000015".into()],
        fiscal: Default::default(),
    };
    stocked(&mut shop.app, &manager, cucumber, Quantity(186_052));
    let before = catalog(&mut shop);
    let file = shop.dir.path().join("narxlar.csv");
    std::fs::write(
        &file,
        "Nomi,Shtrix-kod,Sotuv narxi\nBodring,2000017000015,13 000\n",
    )
    .unwrap();

    let (ok, said) = import_en(&shop, &file, &["--dry-run"]);
    assert!(ok, "{said}");
    assert!(
        said.contains("Dry run: 0 new, 1 to update, 0 unchanged, 0 refused"),
        "{said}"
    );
    for mapping in [
        "Nomi → Name",
        "Shtrix-kod → Barcodes",
        "Sotuv narxi → Sale price",
    ] {
        assert!(said.contains(mapping), "{mapping:?} not in {said}");
    }
    let (_, said) = import_en(&shop, &file, &[]);
    assert!(said.contains("0 new, 1 updated, 0 unchanged"), "{}", said);
    let after = catalog(&mut shop);
    let (b, a) = (&before[0], &after[0]);
    assert_eq!(a.sale_price, 1_300_000);
    assert_eq!(
        (
            &a.category,
            a.unit,
            a.purchase_price,
            a.stock,
            a.low_stock_threshold
        ),
        (&b.category, Unit::Weight, 900_000, 186_052, 5_000),
        "only the sale price changed"
    );
    // The command line's price change has an author in the price history: the owner.
    let id = shop
        .app
        .product_by_barcode(&manager, "2000017000015")
        .unwrap()
        .id;
    let newest = shop.app.price_history(&manager, id).unwrap().remove(0);
    assert_eq!((newest.sale, newest.price), (true, 1_300_000));
    assert!(newest.by.is_some(), "{newest:?}");
    // The same file again: the dry run and the import agree that nothing changes.
    let (_, said) = import_en(&shop, &file, &["--dry-run"]);
    assert!(
        said.contains("Dry run: 0 new, 0 to update, 1 unchanged, 0 refused"),
        "{}",
        said
    );
    let (_, said) = import_en(&shop, &file, &[]);
    assert!(said.contains("0 new, 0 updated, 1 unchanged"), "{}", said);

    // A unit column turning the weighed product with stock into pieces is refused whole.
    std::fs::write(
        &file,
        "Nomi,Shtrix-kod,Sotuv narxi,Birlik\nBodring,2000017000015,13 000,dona\n",
    )
    .unwrap();
    let fingerprint = common::fingerprint(&mut shop.app);
    let (ok, said) = import_en(&shop, &file, &[]);
    assert!(!ok);
    assert!(
        said.contains("Bodring has stock: the file changes its unit"),
        "{}",
        said
    );
    assert_eq!(common::fingerprint(&mut shop.app), fingerprint);

    // Present but empty cells: no category, cost 0.
    std::fs::write(
        &file,
        "Nomi,Shtrix-kod,Kategoriya,Kirim narxi,Sotuv narxi\nBodring,2000017000015,,,13 000\n",
    )
    .unwrap();
    let (ok, said) = import_en(&shop, &file, &[]);
    assert!(ok, "{}", said);
    let now = &catalog(&mut shop)[0];
    assert_eq!(
        (&now.category, now.purchase_price, now.unit),
        (&None, 0, Unit::Weight)
    );
    assert!(shop.app.check().unwrap().is_empty());
}

/// Stock below zero (where the shop allows it) goes out and comes back: the export writes
/// "-1", the import into the same shop changes nothing, into a new one sets -1 by an
/// adjustment.
#[test]
fn negative_stock_goes_out_and_comes_back() {
    let mut shop = common::shop();
    let (admin, manager, cashier) = (
        shop.admin.clone(),
        shop.manager.clone(),
        shop.cashier.clone(),
    );
    shop.app
        .set_setting(
            &admin,
            kassa::app::setting_keys::ALLOW_NEGATIVE_STOCK,
            "yes",
        )
        .unwrap();
    let p = shop
        .app
        .create_product(
            &manager,
            &product_input("Non", 4_000, 3_000, "4780000000045"),
        )
        .unwrap()
        .id;
    shop.app.open_shift(&cashier, Money::ZERO).unwrap();
    common::sell_one(&mut shop.app, &cashier, p, "k1");
    assert_eq!(catalog(&mut shop)[0].stock, -1_000);
    let file = shop.dir.path().join("katalog.csv");
    let out = kassa(&shop, &["export-catalog", "--out", file.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out));
    let (ok, said) = import_en(&shop, &file, &[]);
    assert!(ok, "{}", said);
    assert!(said.contains("0 new, 0 updated, 1 unchanged"), "{}", said);

    let mut other = common::shop();
    let admin = other.admin.clone();
    other
        .app
        .set_setting(
            &admin,
            kassa::app::setting_keys::ALLOW_NEGATIVE_STOCK,
            "yes",
        )
        .unwrap();
    let (ok, said) = import_en(&other, &file, &[]);
    assert!(ok, "{}", said);
    assert_eq!(catalog(&mut other)[0].stock, -1_000);
    // With the unicode minus sign too.
    let csv = std::fs::read_to_string(&file).unwrap().replace("-1", "−2");
    std::fs::write(&file, csv).unwrap();
    let (ok, said) = import_en(&other, &file, &[]);
    assert!(ok, "{}", said);
    assert_eq!(catalog(&mut other)[0].stock, -2_000);
}

/// A shop's own numeric codes that fail the EAN check digit (OpenSourcePOS's 33333333) come
/// in as internal codes with a warning naming them, sell at the till by scan, and are
/// labelled with Code 128, never as an EAN; --map moves a column the guess got wrong.
#[test]
fn internal_codes_come_in_with_a_warning_and_map_overrides() {
    let mut shop = common::shop();
    let file = shop.dir.path().join("ospos.csv");
    std::fs::write(
        &file,
        "Barcode,Item Name,Category,Supplier ID,Cost Price,Unit Price,Reorder Level,quantity1\n\
         33333333,Choy Ahmad,Ichimlik,,20000,25000,2,10\n",
    )
    .unwrap();
    let (ok, said) = import_en(&shop, &file, &["--dry-run"]);
    assert!(ok, "{said}");
    assert!(said.contains("Unit Price → Sale price"), "{said}");
    assert!(said.contains("Cost Price → Purchase price"), "{said}");
    assert!(
        said.contains("these codes fail the EAN check digit") && said.contains("33333333"),
        "{said}"
    );
    let (ok, said) = import_en(&shop, &file, &[]);
    assert!(ok, "{}", said);
    let rows = catalog(&mut shop);
    assert_eq!(
        (
            rows[0].barcodes.clone(),
            rows[0].sale_price,
            rows[0].purchase_price,
            rows[0].stock
        ),
        (vec!["33333333".to_string()], 2_500_000, 2_000_000, 10_000)
    );
    let cashier = shop.cashier.clone();
    assert_eq!(
        shop.app
            .product_by_barcode(&cashier, "33333333")
            .unwrap()
            .name,
        "Choy Ahmad"
    );
    // On a label: Code 128 with the code as it is.
    let labels = shop
        .app
        .labels(
            None,
            &kassa::app::LabelSource::Barcodes(vec!["33333333".into()]),
            Some(1),
            false,
            kassa::i18n::Lang::Uz,
        )
        .unwrap();
    let tspl = kassa::app::document::tspl::labels(
        &labels,
        kassa::app::document::tspl::LabelSize::Small,
        Default::default(),
    )
    .unwrap();
    let tspl = String::from_utf8_lossy(&tspl).into_owned();
    assert!(
        tspl.contains("\"128\",") && tspl.contains("\"33333333\""),
        "{tspl}"
    );

    // --map: the sale price taken from another column.
    let (_, said) = import_en(
        &shop,
        &file,
        &["--dry-run", "--map", "sale-price=Cost Price"],
    );
    assert!(
        said.contains("Cost Price → Sale price") && said.contains("Unit Price → not used"),
        "{said}"
    );
    let out = kassa(
        &shop,
        &["import", file.to_str().unwrap(), "--map", "price=3"],
    );
    assert!(
        !out.status.success() && text(&out).contains("no field"),
        "{}",
        text(&out)
    );
}

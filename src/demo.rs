//! `kassa demo-data`: a realistic small shop, made through the same use cases a person
//! would use (so the demo data obeys every invariant): a manager and two cashiers, about 300
//! products with Uzbek and Russian names and valid EAN-13 barcodes, customers, supplies, and
//! some weeks of shifts with cash, card, split and nasiya sales, debt payments, expenses and
//! a few refunds.

pub mod large;

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use crate::store::db::prelude::*;
use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use rand::rngs::StdRng;
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};

use crate::app::{
    App, AppError, ClientInput, EmployeeInput, ProductInput, SaleLineInput, SaleRequest, Session,
    SupplyInput, SupplyLineInput,
};
use crate::domain::barcode::ean13_from_body;
use crate::domain::cart::Discount;
use crate::domain::payment::{PaymentMethod, TenderInput};
use crate::domain::{Money, Quantity, Role, Unit};
use crate::store::schema::sales;

/// The first 11 digits of each demo category's class codes (the tax committee's groups:
/// bread, dairy, drinks, sweets, meat, fruit and vegetables, groceries, household).
const DEMO_CLASS_GROUPS: &[&str] = &[
    "10901001001",
    "10401001001",
    "02202001001",
    "10806001001",
    "10201001001",
    "10701001001",
    "11001001001",
    "03402001001",
];

/// The demo staff's password (printed by the command).
pub const DEMO_PASSWORD: &str = "demo12345";

/// (category, [(name, price in so'm, unit)]); names are Uzbek (Latin) or Russian as shops
/// write them. Each base product is multiplied by a few brands/sizes below.
/// A base product: name, price in so'm, unit.
type Base = (&'static str, i64, Unit);

const CATALOG: &[(&str, &[Base])] = &[
    (
        "Non mahsulotlari",
        &[
            ("Non tandir", 4_000, Unit::Piece),
            ("Батон нарезной", 6_000, Unit::Piece),
            ("Lavash", 3_000, Unit::Piece),
            ("Патир", 8_000, Unit::Piece),
            ("Кекс", 12_000, Unit::Piece),
        ],
    ),
    (
        "Sut mahsulotlari",
        &[
            ("Sut 2.5%", 11_000, Unit::Piece),
            ("Кефир 3.2%", 10_000, Unit::Piece),
            ("Qatiq", 9_000, Unit::Piece),
            ("Сметана 20%", 14_000, Unit::Piece),
            ("Tvorog", 22_000, Unit::Piece),
            ("Сыр Российский", 95_000, Unit::Weight),
            ("Sariyog'", 28_000, Unit::Piece),
            ("Йогурт клубничный", 7_000, Unit::Piece),
        ],
    ),
    (
        "Ichimliklar",
        &[
            ("Coca-Cola", 9_000, Unit::Piece),
            ("Fanta", 9_000, Unit::Piece),
            ("Mineral suv Hydrolife", 4_000, Unit::Piece),
            ("Сок яблочный", 14_000, Unit::Piece),
            ("Choy ko'k", 18_000, Unit::Piece),
            ("Чай чёрный", 24_000, Unit::Piece),
            ("Kofe 3в1", 2_500, Unit::Piece),
            ("Энергетик", 15_000, Unit::Piece),
        ],
    ),
    (
        "Shirinliklar",
        &[
            ("Shokolad", 16_000, Unit::Piece),
            ("Печенье овсяное", 12_000, Unit::Piece),
            ("Konfet assorti", 60_000, Unit::Weight),
            ("Вафли", 9_000, Unit::Piece),
            ("Holva", 35_000, Unit::Weight),
            ("Мороженое пломбир", 8_000, Unit::Piece),
        ],
    ),
    (
        "Go'sht mahsulotlari",
        &[
            ("Mol go'shti", 110_000, Unit::Weight),
            ("Qo'y go'shti", 120_000, Unit::Weight),
            ("Курица бройлер", 38_000, Unit::Weight),
            ("Kolbasa doktorskaya", 75_000, Unit::Weight),
            ("Сосиски молочные", 48_000, Unit::Weight),
        ],
    ),
    (
        "Meva va sabzavotlar",
        &[
            ("Olma", 15_000, Unit::Weight),
            ("Картофель", 6_000, Unit::Weight),
            ("Piyoz", 4_000, Unit::Weight),
            ("Помидоры", 18_000, Unit::Weight),
            ("Bodring", 12_000, Unit::Weight),
            ("Банан", 22_000, Unit::Weight),
            ("Sabzi", 5_000, Unit::Weight),
            ("Limon", 25_000, Unit::Weight),
        ],
    ),
    (
        "Bakaleya",
        &[
            ("Guruch lazer", 18_000, Unit::Piece),
            ("Макароны", 9_000, Unit::Piece),
            ("Un oliy nav", 8_000, Unit::Piece),
            ("Сахар", 13_000, Unit::Piece),
            ("Paxta yog'i", 24_000, Unit::Piece),
            ("Гречка", 16_000, Unit::Piece),
            ("Tuz", 3_000, Unit::Piece),
            ("Mosh", 20_000, Unit::Piece),
        ],
    ),
    (
        "Maishiy kimyo",
        &[
            ("Kir yuvish kukuni", 32_000, Unit::Piece),
            ("Средство для посуды", 14_000, Unit::Piece),
            ("Sovun", 5_000, Unit::Piece),
            ("Шампунь", 36_000, Unit::Piece),
            ("Tish pastasi", 15_000, Unit::Piece),
            ("Туалетная бумага", 18_000, Unit::Piece),
        ],
    ),
];

const BRANDS: &[&str] = &[
    "", "Musaffo", "Nestle", "Bonvita", "Anor", "Lazzat", "Extra", "Premium",
];
/// Pack sizes that make sense for each category, in CATALOG's order.
const SIZES: &[&[&str]] = &[
    &["", "kichik", "katta", "400 g", "600 g", "yarim", "2 dona"],
    &["0.5 l", "1 l", "200 g", "400 g", "0.9 l", "1.5 l", "250 g"],
    &["0.5 l", "1 l", "1.5 l", "0.33 l", "2 l", "100 g", "250 g"],
    &["50 g", "90 g", "200 g", "400 g", "100 g", "1 kg", "300 g"],
    &[""],
    &[""],
    &["1 kg", "2 kg", "5 kg", "500 g", "900 g", "3 kg", "10 kg"],
    &[
        "400 g", "1 kg", "3 kg", "250 ml", "500 ml", "90 g", "4 dona",
    ],
];

const CLIENTS: &[(&str, &str)] = &[
    ("Aziz Rahimov", "+998 90 123 45 67"),
    ("Нигора Юсупова", "+998 91 234 56 78"),
    ("Bekzod Tursunov", "+998 93 345 67 89"),
    ("Дилноза Каримова", "+998 94 456 78 90"),
    ("Shaxzod Olimov", "+998 97 567 89 01"),
    ("Малика Ахмедова", "+998 99 678 90 12"),
    ("Jasur Qodirov", "+998 88 789 01 23"),
    ("Gulnora Ismoilova", "+998 95 890 12 34"),
];

fn input(full_name: &str, login: &str, role: Role) -> EmployeeInput {
    EmployeeInput {
        full_name: full_name.into(),
        phone: String::new(),
        address: "Toshkent".into(),
        passport: String::new(),
        notes: "demo".into(),
        login: login.into(),
        role,
    }
}

struct DemoProduct {
    id: i32,
    unit: Unit,
    popularity: u32,
}

/// Fills `app`'s database; returns a summary for the user.
pub fn generate(app: &mut App, days: u32, seed: u64) -> Result<String, AppError> {
    let existing: i64 = sales::table.count().get_result(app.connection())?;
    if existing > 0 {
        return Err(AppError::InUse(
            "the database already has sales; run demo-data on a new database (--db)".into(),
        ));
    }
    let days = days.clamp(1, 366);
    let mut rng = StdRng::seed_from_u64(seed);
    let tz = app.time_zone();
    let real_now = Utc::now();
    let today = crate::domain::debt::local_date(real_now, tz);
    let start_day = today - Duration::days(i64::from(days));

    // A movable clock: the demo walks through past days.
    let clock = Arc::new(AtomicI64::new(real_now.timestamp_millis()));
    let at = |d: NaiveDate, h: u32, m: u32| -> DateTime<Utc> {
        let local = d.and_hms_opt(h, m, 0).unwrap_or_default();
        tz.from_local_datetime(&local)
            .earliest()
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or(real_now)
    };
    let set = |t: DateTime<Utc>| clock.store(t.timestamp_millis(), Ordering::SeqCst);
    {
        let c = clock.clone();
        app.set_clock(move || {
            DateTime::from_timestamp_millis(c.load(Ordering::SeqCst)).unwrap_or_else(Utc::now)
        });
    }
    set(at(start_day - Duration::days(1), 9, 0));

    let suffix: u32 = rng.random_range(100..999);
    let logins = [
        format!("menejer{suffix}"),
        format!("kassir{suffix}a"),
        format!("kassir{suffix}b"),
    ];
    app.maintenance_create_employee(
        &input("Dilshod Karimov", &logins[0], Role::Manager),
        DEMO_PASSWORD,
    )?;
    app.maintenance_create_employee(
        &input("Madina Sobirova", &logins[1], Role::Cashier),
        DEMO_PASSWORD,
    )?;
    app.maintenance_create_employee(
        &input("Ойбек Назаров", &logins[2], Role::Cashier),
        DEMO_PASSWORD,
    )?;
    let manager = app.login(&logins[0], DEMO_PASSWORD)?;
    let cashiers: Vec<Session> = vec![
        app.login(&logins[1], DEMO_PASSWORD)?,
        app.login(&logins[2], DEMO_PASSWORD)?,
    ];

    // The cards and QR payments a shop here takes, beside the bank card every database has.
    let mut channels = vec![None];
    for (i, name) in ["Uzcard", "Humo", "Click", "Payme"].into_iter().enumerate() {
        let m = app.maintenance_add_payment_method(&crate::app::PaymentMethodInput {
            name_uz: name.into(),
            name_ru: name.into(),
            name_en: name.into(),
            active: true,
            position: i as i32 + 1,
        })?;
        channels.push(Some(m.id));
    }

    // Catalog.
    let mut products: Vec<DemoProduct> = Vec::new();
    let mut barcode_seq: u64 = u64::from(rng.random_range(10_000u32..90_000)) * 1000;
    for (c, (sizes, (category, items))) in SIZES.iter().zip(CATALOG).enumerate() {
        let cat = app.create_category(&manager, category)?;
        // Plausible class codes (MXIK) of the category's group, package codes and VAT:
        // bread VAT-exempt, bottled water marked.
        let group = DEMO_CLASS_GROUPS.get(c).copied().unwrap_or("11001001001");
        for (i, (name, price, unit)) in items.iter().enumerate() {
            let variants = if *unit == Unit::Weight { 1 } else { 7 };
            for v in 0..variants {
                let brand = BRANDS[(i + v) % BRANDS.len()];
                let size = sizes[(i * 3 + v) % sizes.len()];
                let full = match (*unit, v) {
                    (Unit::Weight, _) => name.to_string(),
                    (_, 0) => format!("{name} {size}").trim().to_string(),
                    _ => format!("{name} {brand} {size}")
                        .replace("  ", " ")
                        .trim()
                        .to_string(),
                };
                let sale_som = price + (v as i64) * price / 10;
                let sale_som = (sale_som / 500).max(1) * 500;
                let cost_som = sale_som * rng.random_range(70..85) / 100;
                let mut barcodes = Vec::new();
                if *unit == Unit::Piece {
                    barcode_seq += u64::from(rng.random_range(1u32..50));
                    let mut body = [0u8; 12];
                    let digits = format!("478{barcode_seq:09}");
                    for (k, ch) in digits.bytes().take(12).enumerate() {
                        body[k] = ch - b'0';
                    }
                    barcodes.push(ean13_from_body(&body));
                }
                let p = app.create_product(
                    &manager,
                    &ProductInput {
                        name: full,
                        category_id: Some(cat.id),
                        unit: *unit,
                        purchase_price: Money::from_major(cost_som),
                        sale_price: Money::from_major(sale_som),
                        low_stock_threshold: Quantity::units(if *unit == Unit::Weight {
                            5
                        } else {
                            10
                        }),
                        barcodes,
                        fiscal: crate::app::ProductFiscal {
                            class_code: format!("{group}{:06}", i * 10 + v),
                            package_code: format!("15064{:02}", c * 3 + (v % 3)),
                            unit_code: if *unit == Unit::Weight { "2" } else { "1" }.into(),
                            vat: if c == 0 {
                                crate::domain::fiscal::Vat::Exempt
                            } else {
                                crate::domain::fiscal::Vat::Twelve
                            },
                            marked: name.starts_with("Mineral suv"),
                        },
                    },
                )?;
                products.push(DemoProduct {
                    id: p.id,
                    unit: *unit,
                    popularity: rng.random_range(1..20),
                });
            }
        }
    }

    // Goods without barcodes (the weighed ones) on the till's quick-pick keys, twelve a page.
    let per_page = crate::app::QUICK_KEYS_PER_PAGE;
    let weighed = products.iter().filter(|p| p.unit == Unit::Weight);
    for (n, p) in (0..crate::app::QUICK_PAGES * per_page).zip(weighed) {
        app.set_quick_key(
            &manager,
            n / per_page + 1,
            n % per_page + 1,
            Some((p.id, "")),
        )?;
    }

    // Two wholesalers; the opening stock comes from them, one supply per category-sized
    // batch, paid by bank except the last one, half of which is still owed.
    let mut wholesalers = Vec::new();
    for (name, phone, tin, address) in [
        (
            "Ulgurji baza \"Chorsu\"",
            "+998901112233",
            "301234567",
            "Toshkent, Chorsu bozori",
        ),
        (
            "\"Oziq-ovqat savdo\" MChJ",
            "+998712003040",
            "305556677",
            "Toshkent, Sergeli",
        ),
    ] {
        // The first wholesaler was owed money before the shop started keeping suppliers.
        let opening_balance = if wholesalers.is_empty() {
            Money::from_major(3_450_000)
        } else {
            Money(0)
        };
        wholesalers.push(
            app.create_supplier(
                &manager,
                &crate::app::SupplierInput {
                    name: name.into(),
                    phone: phone.into(),
                    tin: tin.into(),
                    address: address.into(),
                    notes: String::new(),
                    opening_balance,
                },
            )?
            .id,
        );
    }
    let batches = products.chunks(40).count();
    for (i, chunk) in products.chunks(40).enumerate() {
        let lines = chunk
            .iter()
            .map(|p| {
                let qty = Quantity::units(rng.random_range(150..400));
                Ok(SupplyLineInput {
                    product_id: p.id,
                    quantity: qty,
                    unit_cost: Money(app.product(&manager, p.id)?.purchase_price),
                })
            })
            .collect::<Result<Vec<_>, AppError>>()?;
        let cost: i64 = lines
            .iter()
            .map(|l| crate::domain::cart::line_gross(l.unit_cost, l.quantity).map_or(0, |m| m.0))
            .sum();
        let paid = if i + 1 == batches { cost / 2 } else { cost };
        app.receive_supply(
            &manager,
            &SupplyInput {
                supplier_id: wholesalers[i % wholesalers.len()],
                notes: "demo".into(),
                lines,
                payment: (paid > 0).then_some(crate::app::SupplyPayment {
                    amount: Money(paid),
                    from: crate::app::PayFrom::Bank,
                }),
            },
        )?;
    }

    let mut client_ids = Vec::new();
    for (name, phone) in CLIENTS {
        client_ids.push(
            app.create_client(
                &manager,
                &ClientInput {
                    full_name: (*name).into(),
                    phone: (*phone).into(),
                    notes: String::new(),
                },
            )?
            .id,
        );
    }
    let rent = app.create_expense_category(&manager, "Ijara")?;
    let power = app.create_expense_category(&manager, "Elektr energiya")?;
    let misc = app.create_expense_category(&manager, "Хозяйственные расходы")?;

    let weights: Vec<u32> = products.iter().map(|p| p.popularity).collect();
    let total_weight: u32 = weights.iter().sum();
    let pick = |rng: &mut StdRng| -> usize {
        let mut x = rng.random_range(0..total_weight);
        for (i, w) in weights.iter().enumerate() {
            if x < *w {
                return i;
            }
            x -= w;
        }
        weights.len() - 1
    };

    let mut sale_count = 0u32;
    let mut refunds = 0u32;
    let mut key = 0u64;
    for day_index in 0..days {
        let day = start_day + Duration::days(i64::from(day_index));
        let cashier = &cashiers[day_index as usize % cashiers.len()];
        // Once a week a wholesaler brings goods before opening; half is paid by bank, the
        // rest is owed.
        if day_index % 7 == 2 {
            set(at(day, 8, 30));
            let mut lines = Vec::new();
            let mut cost = 0i64;
            for p in products
                .iter()
                .skip(day_index as usize % 5)
                .step_by(9)
                .take(4)
            {
                let quantity = Quantity::units(20);
                let unit_cost = Money(app.product(&manager, p.id)?.purchase_price);
                cost += crate::domain::cart::line_gross(unit_cost, quantity).map_or(0, |m| m.0);
                lines.push(SupplyLineInput {
                    product_id: p.id,
                    quantity,
                    unit_cost,
                });
            }
            let supplier_id = wholesalers[(day_index as usize / 7) % wholesalers.len()];
            // Every other week two pieces of the first product go back: past their date.
            let back = ((day_index / 7) % 2 == 1).then(|| crate::app::ReturnLineInput {
                product_id: lines[0].product_id,
                quantity: Quantity::units(2),
                unit_cost: lines[0].unit_cost,
            });
            app.receive_supply(
                &manager,
                &SupplyInput {
                    supplier_id,
                    notes: String::new(),
                    lines,
                    payment: (cost > 1).then_some(crate::app::SupplyPayment {
                        amount: Money(cost / 2),
                        from: crate::app::PayFrom::Bank,
                    }),
                },
            )?;
            if let Some(line) = back {
                app.return_to_supplier(
                    &manager,
                    &crate::app::SupplierReturnInput {
                        supplier_id,
                        lines: vec![line],
                        reason: "Muddati oʻtgan".into(),
                    },
                )?;
            }
        }
        set(at(day, 8, 55));
        let opening = Money::from_major(200_000);
        app.open_shift(cashier, opening)?;
        let n_sales = rng.random_range(25..60);
        let mut minutes: Vec<u32> = (0..n_sales).map(|_| rng.random_range(0..12 * 60)).collect();
        minutes.sort_unstable();
        let mut last_sale = None;
        for m in minutes {
            set(at(day, 9 + m / 60, m % 60));
            let n_lines = rng.random_range(1..8);
            let mut lines = Vec::new();
            for _ in 0..n_lines {
                let p = &products[pick(&mut rng)];
                let quantity = match p.unit {
                    Unit::Piece => Quantity::units(rng.random_range(1..4)),
                    Unit::Weight => Quantity(rng.random_range(200..2500)),
                };
                lines.push(SaleLineInput {
                    product_id: p.id,
                    quantity,
                    discount: Discount::None,
                    marking_codes: Vec::new(),
                });
            }
            key += 1;
            let mut req = SaleRequest {
                idempotency_key: format!("demo-{seed}-{key}"),
                lines,
                sale_discount: Discount::None,
                tenders: vec![],
                client_id: None,
                due_date: None,
                expected_total: None,
            };
            // Price the cart the way the till does, then choose how it is paid.
            let total = price(app, cashier, &req)?;
            let roll = rng.random_range(0..100);
            req.tenders = if roll < 55 {
                let handed = ((total.0 + 499_999) / 500_000) * 500_000;
                vec![TenderInput {
                    method: PaymentMethod::Cash,
                    amount: Money(handed.max(total.0)),
                    channel: None,
                }]
            } else if roll < 85 {
                vec![TenderInput {
                    method: PaymentMethod::Card,
                    amount: total,
                    channel: channels.choose(&mut rng).copied().flatten(),
                }]
            } else if roll < 93 && total.0 > 2 {
                let card = Money(total.0 / 2);
                vec![
                    TenderInput {
                        method: PaymentMethod::Card,
                        amount: card,
                        channel: channels.choose(&mut rng).copied().flatten(),
                    },
                    TenderInput {
                        method: PaymentMethod::Cash,
                        amount: Money(total.0 - card.0),
                        channel: None,
                    },
                ]
            } else {
                req.client_id = client_ids.choose(&mut rng).copied();
                req.due_date = Some(day + Duration::days(rng.random_range(5..30)));
                vec![TenderInput {
                    method: PaymentMethod::Nasiya,
                    amount: total,
                    channel: None,
                }]
            };
            match app.sell(cashier, &req) {
                Ok(r) => {
                    sale_count += 1;
                    last_sale = Some(r.sale_id);
                }
                // The demo shop runs out of a product now and then, like a real one.
                Err(AppError::InsufficientStock { .. }) => {}
                Err(e) => return Err(e),
            }
        }
        // A customer pays part of their debt.
        if rng.random_bool(0.5) {
            let cid = *client_ids.choose(&mut rng).unwrap_or(&client_ids[0]);
            let balance = app.client(cashier, cid)?.balance;
            if balance < 0 {
                let pay = Money((-balance / 2).max(100));
                set(at(day, 18, 30));
                app.take_debt_payment(cashier, cid, pay, PaymentMethod::Cash, "demo")?;
            }
        }
        // Now and then the manager refunds a sale, after it was made (the day's sales end
        // before 21:00), paying cash back out of their own drawer.
        if rng.random_bool(0.15)
            && let Some(sale_id) = last_sale
        {
            set(at(day, 21, 0));
            let float = Money::from_major(500_000);
            app.open_shift(&manager, float)?;
            // Every other refund returns one piece of the sale's first line (part of it),
            // the others the whole sale.
            let lines = app.refundable_lines(&manager, sale_id)?;
            match lines.first() {
                Some(first) if refunds % 2 == 1 && first.quantity > Quantity::units(1) => {
                    let one = crate::app::RefundLine {
                        sale_item_id: first.sale_item_id,
                        quantity: if first.unit == crate::domain::Unit::Piece {
                            Quantity::units(1)
                        } else {
                            Quantity(first.quantity.0 / 2)
                        },
                    };
                    app.refund_lines(&manager, sale_id, &[one], "Bittasini qaytardi")?;
                }
                _ => {
                    app.refund_sale(&manager, sale_id, "Mijoz qaytardi")?;
                }
            }
            // And pays a wholesaler part of what the shop owes out of the same drawer.
            let owed = app.supplier(&manager, wholesalers[0])?.owed;
            let in_drawer = app.x_report(&manager)?.expected_cash;
            let cash = owed.min(Money::from_major(300_000).0).min(in_drawer);
            if cash > 0 {
                app.pay_supplier(
                    &manager,
                    &crate::app::SupplierPaymentInput {
                        supplier_id: wholesalers[0],
                        amount: Money(cash),
                        from: crate::app::PayFrom::Drawer,
                        note: String::new(),
                    },
                )?;
            }
            let expected = app.x_report(&manager)?.expected_cash;
            app.close_shift(&manager, Money(expected), "")?;
            refunds += 1;
        }
        set(at(day, 21, 5));
        let expected = app.x_report(cashier)?.expected_cash;
        let diff = [0, 0, 0, -100_000, 50_000, -200_000][rng.random_range(0..6)];
        app.close_shift(cashier, Money(expected + diff), "")?;
        if day_index % 7 == 0 {
            app.add_expense(
                &manager,
                rent.id,
                Money::from_major(3_000_000),
                day,
                "Do'kon ijarasi",
            )?;
        }
        if day_index % 10 == 3 {
            app.add_expense(
                &manager,
                power.id,
                Money::from_major(rng.random_range(300_000..600_000)),
                day,
                "",
            )?;
        }
        if rng.random_bool(0.3) {
            app.add_expense(
                &manager,
                misc.id,
                Money::from_major(rng.random_range(20_000..150_000)),
                day,
                "",
            )?;
        }
    }
    app.set_clock(Utc::now);
    Ok(format!(
        "Demo shop created in {}:\n  {} products, {} customers, {} sales over {} days ({} refunded)\n  staff: {} (manager), {} and {} (cashiers), password {}\n  the admin is admin / admin123 (to be changed at first login)",
        app.path().display(),
        products.len(),
        client_ids.len(),
        sale_count,
        days,
        refunds,
        logins[0],
        logins[1],
        logins[2],
        DEMO_PASSWORD
    ))
}

/// The total of a sale request at current prices, computed with the domain cart.
fn price(app: &mut App, session: &Session, req: &SaleRequest) -> Result<Money, AppError> {
    let mut cart = crate::domain::Cart::new();
    for l in &req.lines {
        let p = app.product(session, l.product_id)?;
        cart.add(crate::domain::CartLine {
            product_id: p.id,
            unit: p.unit(),
            name: p.name.into(),
            unit_price: Money(p.sale_price),
            unit_cost: Money(p.purchase_price),
            quantity: l.quantity,
            discount: Discount::None,
        })?;
    }
    Ok(cart.totals()?.total)
}

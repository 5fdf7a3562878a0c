//! `kassa demo-data --large`: a year of a busy shop (100 000 products with 1–3 barcodes,
//! 20 000 customers, 1 000 000 sale lines) for measuring speed. Writing that many rows one
//! use case at a time would take an hour, so this fixture writes in bulk, straight into the
//! tables, in a few large transactions; it keeps every invariant the use cases keep (stock
//! = sum of movements, balance = sum of ledger, lines and tenders add up to each sale, shift
//! expected cash), which `tests/large_fixture.rs` checks at a small scale.

use std::collections::HashMap;

use crate::store::db::prelude::*;
use chrono::{Duration, NaiveDateTime, TimeZone, Utc};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use crate::app::{App, AppError, AppResult, EmployeeInput};
use crate::domain::barcode::ean13_from_body;
use crate::domain::cart::{Cart, CartLine, Discount};
use crate::domain::rounding::div_round;
use crate::domain::search::fold;
use crate::domain::{Money, Quantity, Role, Unit, debt};
use crate::store::schema::{
    categories, client_ledger, clients, product_barcodes, products, sale_items, sale_payments,
    sales, shifts, stock_movements,
};

/// How big a shop to make.
#[derive(Clone, Copy, Debug)]
pub struct Scale {
    pub products: usize,
    pub customers: usize,
    pub sale_lines: usize,
    pub days: u32,
}

impl Scale {
    pub const LARGE: Scale = Scale {
        products: 100_000,
        customers: 20_000,
        sale_lines: 1_000_000,
        days: 365,
    };
}

const UZ_WORDS: &[&str] = &[
    "Non",
    "Sut",
    "Qatiq",
    "Guruch",
    "Un",
    "Shakar",
    "Tuz",
    "Choy",
    "Qahva",
    "Sariyog'",
    "Pishloq",
    "Tuxum",
    "Go'sht",
    "Tovuq",
    "Baliq",
    "Olma",
    "Anor",
    "Uzum",
    "Qovun",
    "Tarvuz",
    "Piyoz",
    "Sabzi",
    "Kartoshka",
    "Pomidor",
    "Bodring",
    "Yog'",
    "Makaron",
    "Mosh",
    "No'xat",
    "Loviya",
    "Asal",
    "Murabbo",
    "Shokolad",
    "Pechenye",
    "Konfet",
    "Sharbat",
    "Suv",
    "Limonad",
    "Sovun",
    "Shampun",
    "Kukun",
    "Qog'oz",
    "Gugurt",
    "Sham",
    "Ziravor",
    "Zira",
    "Qalampir",
];
const RU_WORDS: &[&str] = &[
    "Хлеб",
    "Молоко",
    "Кефир",
    "Рис",
    "Мука",
    "Сахар",
    "Соль",
    "Чай",
    "Кофе",
    "Масло",
    "Сыр",
    "Яйца",
    "Мясо",
    "Курица",
    "Рыба",
    "Яблоки",
    "Гранат",
    "Виноград",
    "Дыня",
    "Арбуз",
    "Лук",
    "Морковь",
    "Картофель",
    "Помидоры",
    "Огурцы",
    "Макароны",
    "Горох",
    "Фасоль",
    "Мёд",
    "Варенье",
    "Шоколад",
    "Печенье",
    "Конфеты",
    "Сок",
    "Вода",
    "Лимонад",
    "Мыло",
    "Шампунь",
    "Порошок",
    "Салфетки",
    "Спички",
    "Свечи",
    "Специи",
    "Перец",
];
const BRANDS: &[&str] = &[
    "Musaffo",
    "Nestle",
    "Bonvita",
    "Anor",
    "Lazzat",
    "Extra",
    "Premium",
    "Coca-Cola",
    "Pepsi",
    "Hydrolife",
    "Baraka",
    "Toshkent",
    "Samarqand",
    "Buxoro",
    "Farg'ona",
    "Чистая линия",
    "Простоквашино",
    "Домик в деревне",
    "Макфа",
    "Ahmad",
];
const SIZES: &[&str] = &[
    "100 g", "200 g", "250 g", "400 g", "500 g", "900 g", "1 kg", "2 kg", "0.33 l", "0.5 l", "1 l",
    "1.5 l", "2 l", "5 l",
];
const FIRST: &[&str] = &[
    "Aziz",
    "Bekzod",
    "Dilshod",
    "Jasur",
    "Sardor",
    "Shaxzod",
    "Otabek",
    "Nodir",
    "Gulnora",
    "Madina",
    "Nigora",
    "Dilnoza",
    "Malika",
    "Shahnoza",
    "Zarina",
    "Ойбек",
    "Рустам",
    "Тимур",
    "Нигора",
    "Дилноза",
    "Малика",
    "Алишер",
    "Фарход",
];
const LAST: &[&str] = &[
    "Rahimov",
    "Tursunov",
    "Karimov",
    "Olimov",
    "Qodirov",
    "Yusupov",
    "Ismoilov",
    "Ahmedov",
    "Sobirov",
    "Nazarov",
    "Абдуллаев",
    "Юсупов",
    "Каримов",
    "Ахмедов",
    "Хасанов",
    "Рахимов",
    "Султанов",
];

struct GenProduct {
    id: i32,
    name: String,
    unit: Unit,
    price: i64,
    cost: i64,
}

fn ts(t: chrono::DateTime<Utc>) -> NaiveDateTime {
    t.naive_utc()
}

/// Generates the shop. `progress(phase, fraction)` is called as work goes on.
pub fn generate(
    app: &mut App,
    scale: Scale,
    seed: u64,
    progress: &mut dyn FnMut(&str, f64),
) -> AppResult<String> {
    let started = std::time::Instant::now();
    let existing: i64 = products::table.count().get_result(app.connection())?;
    if existing > 0 {
        return Err(AppError::InUse(
            "the database already has products; run demo-data --large on a new database (--db)"
                .into(),
        ));
    }
    let mut rng = StdRng::seed_from_u64(seed);
    let tz = app.time_zone();
    let now = app.now();
    let today = debt::local_date(now, tz);
    let first_day = today - Duration::days(i64::from(scale.days));

    progress("staff", 0.0);
    let cashier_ids: Vec<i32> = (0..4)
        .map(|i| {
            app.maintenance_create_employee(
                &EmployeeInput {
                    full_name: format!("Kassir {}", i + 1),
                    login: format!("bigkassir{}", i + 1),
                    role: Role::Cashier,
                    ..Default::default()
                },
                super::DEMO_PASSWORD,
            )
        })
        .collect::<AppResult<_>>()?;
    app.maintenance_create_employee(
        &EmployeeInput {
            full_name: "Katta Menejer".into(),
            login: "bigmenejer".into(),
            role: Role::Manager,
            ..Default::default()
        },
        super::DEMO_PASSWORD,
    )?;

    let conn = app.connection();
    let created = ts(now - Duration::days(i64::from(scale.days) + 1));

    // Categories and products.
    let products_list: Vec<GenProduct> = conn.write_transaction::<_, AppError, _>(|conn| {
        let mut cat_ids = Vec::new();
        for (i, w) in UZ_WORDS.iter().enumerate().take(40) {
            let id: i32 = diesel::insert_into(categories::table)
                .values((
                    categories::name.eq(format!("{w} {}", i + 1)),
                    categories::created_at.eq(created),
                ))
                .returning(categories::id)
                .get_result(conn)?;
            cat_ids.push(id);
        }
        let mut list = Vec::with_capacity(scale.products);
        let mut barcode_seq: u64 = 100_000_000;
        let chunk = 2_000;
        let mut next_id = 1i32;
        for start in (0..scale.products).step_by(chunk) {
            let end = (start + chunk).min(scale.products);
            let mut rows = Vec::with_capacity(end - start);
            let mut codes = Vec::new();
            for i in start..end {
                let russian = i % 3 == 0;
                let base = if russian {
                    RU_WORDS[i % RU_WORDS.len()]
                } else {
                    UZ_WORDS[i % UZ_WORDS.len()]
                };
                let weighed = i % 25 == 0;
                let name = if weighed {
                    format!("{base} {} №{}", BRANDS[(i / 7) % BRANDS.len()], i)
                } else {
                    format!(
                        "{base} {} {} №{}",
                        BRANDS[(i / 3) % BRANDS.len()],
                        SIZES[(i / 11) % SIZES.len()],
                        i
                    )
                };
                let price_som: i64 = rng.random_range(2..400) * 500;
                let cost_som = price_som * rng.random_range(65..90) / 100;
                let unit = if weighed { Unit::Weight } else { Unit::Piece };
                rows.push((
                    products::id.eq(next_id),
                    products::name.eq(name.clone()),
                    products::search_key.eq(fold(&name)),
                    products::category_id.eq(Some(cat_ids[i % cat_ids.len()])),
                    products::unit.eq(unit.as_str()),
                    products::purchase_price.eq(Money::from_major(cost_som).0),
                    products::sale_price.eq(Money::from_major(price_som).0),
                    products::stock.eq(0i64),
                    products::low_stock_threshold.eq(Quantity::units(5).0),
                    (
                        products::archived.eq(false),
                        products::created_at.eq(created),
                        products::updated_at.eq(created),
                    ),
                ));
                for _ in 0..rng.random_range(1..=3) {
                    barcode_seq += 1;
                    let digits = format!("478{barcode_seq:09}");
                    let mut body = [0u8; 12];
                    for (k, ch) in digits.bytes().take(12).enumerate() {
                        body[k] = ch - b'0';
                    }
                    codes.push((
                        product_barcodes::product_id.eq(next_id),
                        product_barcodes::barcode.eq(ean13_from_body(&body)),
                    ));
                }
                list.push(GenProduct {
                    id: next_id,
                    name,
                    unit,
                    price: Money::from_major(price_som).0,
                    cost: Money::from_major(cost_som).0,
                });
                next_id += 1;
            }
            for part in rows.chunks(500) {
                diesel::insert_into(products::table)
                    .values(part)
                    .execute(conn)?;
            }
            for part in codes.chunks(1000) {
                diesel::insert_into(product_barcodes::table)
                    .values(part)
                    .execute(conn)?;
            }
            progress("products", end as f64 / scale.products as f64);
        }
        Ok(list)
    })?;

    // Customers.
    let client_ids: Vec<i32> = conn.write_transaction::<_, AppError, _>(|conn| {
        let mut ids = Vec::with_capacity(scale.customers);
        for start in (0..scale.customers).step_by(1000) {
            let end = (start + 1000).min(scale.customers);
            let rows: Vec<_> = (start..end)
                .map(|i| {
                    (
                        clients::id.eq(i as i32 + 1),
                        clients::full_name.eq(format!(
                            "{} {} {}",
                            FIRST[i % FIRST.len()],
                            LAST[(i / FIRST.len()) % LAST.len()],
                            i
                        )),
                        clients::phone.eq(format!("99890{:07}", i)),
                        clients::notes.eq(""),
                        clients::created_at.eq(created),
                        clients::updated_at.eq(created),
                    )
                })
                .collect();
            for part in rows.chunks(500) {
                diesel::insert_into(clients::table)
                    .values(part)
                    .execute(conn)?;
            }
            ids.extend((start..end).map(|i| i as i32 + 1));
            progress("customers", end as f64 / scale.customers.max(1) as f64);
        }
        Ok(ids)
    })?;

    // Opening stock: enough of everything for the year, as one adjustment each.
    conn.write_transaction::<_, AppError, _>(|conn| {
        let rows: Vec<_> = products_list
            .iter()
            .map(|p| {
                (
                    stock_movements::product_id.eq(p.id),
                    stock_movements::kind.eq("adjustment"),
                    stock_movements::quantity.eq(Quantity::units(100_000).0),
                    stock_movements::reason.eq("opening stock"),
                    stock_movements::created_at.eq(created),
                )
            })
            .collect();
        for part in rows.chunks(1000) {
            diesel::insert_into(stock_movements::table)
                .values(part)
                .execute(conn)?;
        }
        Ok(())
    })?;

    // A year of sales, a shift per day, popular products sold more often.
    let lines_per_day = scale.sale_lines.div_ceil(scale.days as usize);
    let popular = (products_list.len() / 20).max(1);
    let mut lines_done = 0usize;
    let mut sale_id = 0i32;
    let mut item_id = 0i32;
    let mut balances: HashMap<i32, i64> = HashMap::new();
    for day_index in 0..scale.days {
        if lines_done >= scale.sale_lines {
            break;
        }
        let day = first_day + Duration::days(i64::from(day_index));
        let at = |h: u32, m: u32, s: u32| {
            let local = day.and_hms_opt(h, m, s).unwrap_or_default();
            tz.from_local_datetime(&local)
                .earliest()
                .map(|t| t.with_timezone(&Utc))
                .unwrap_or(now)
        };
        conn.write_transaction::<_, AppError, _>(|conn| {
            let cashier = cashier_ids[day_index as usize % cashier_ids.len()];
            let opening = Money::from_major(300_000).0;
            let shift_id: i32 = diesel::insert_into(shifts::table)
                .values((
                    shifts::employee_id.eq(cashier),
                    shifts::opened_at.eq(ts(at(8, 55, 0))),
                    shifts::opening_cash.eq(opening),
                ))
                .returning(shifts::id)
                .get_result(conn)?;
            let mut sale_rows = Vec::new();
            let mut item_rows = Vec::new();
            let mut pay_rows = Vec::new();
            let mut moves = Vec::new();
            let mut ledger = Vec::new();
            let mut cash_in = 0i64;
            let mut day_lines = 0usize;
            let mut second = 0u32;
            while day_lines < lines_per_day && lines_done + day_lines < scale.sale_lines {
                second += rng.random_range(20..90);
                let when = ts(at(9, 0, 0) + Duration::seconds(i64::from(second % (12 * 3600))));
                let n = rng
                    .random_range(1..=7)
                    .min(lines_per_day - day_lines)
                    .min(scale.sale_lines - lines_done - day_lines);
                let mut cart = Cart::new();
                for _ in 0..n {
                    let idx = if rng.random_bool(0.7) {
                        rng.random_range(0..popular)
                    } else {
                        rng.random_range(0..products_list.len())
                    };
                    let p = &products_list[idx];
                    let quantity = match p.unit {
                        Unit::Piece => Quantity::units(rng.random_range(1..4)),
                        Unit::Weight => Quantity(rng.random_range(150..2500)),
                    };
                    let _ = cart.add(CartLine {
                        product_id: p.id,
                        name: p.name.as_str().into(),
                        unit: p.unit,
                        unit_price: Money(p.price),
                        unit_cost: Money(p.cost),
                        quantity,
                        discount: Discount::None,
                    });
                }
                if rng.random_bool(0.05) {
                    let _ = cart.set_sale_discount(Discount::Percent(500));
                }
                let Ok((totals, amounts)) = cart.line_amounts() else {
                    continue;
                };
                sale_id += 1;
                let roll = rng.random_range(0..100);
                let client = if roll >= 92 {
                    Some(client_ids[rng.random_range(0..client_ids.len())])
                } else {
                    None
                };
                let due = client.map(|_| day + Duration::days(rng.random_range(7..30)));
                sale_rows.push((
                    sales::id.eq(sale_id),
                    sales::idempotency_key.eq(format!("large-{seed}-{sale_id}")),
                    sales::shift_id.eq(shift_id),
                    sales::employee_id.eq(cashier),
                    sales::client_id.eq(client),
                    sales::subtotal.eq(totals.subtotal.0),
                    sales::discount.eq(totals.discount().0),
                    sales::total.eq(totals.total.0),
                    sales::due_date.eq(due),
                    sales::created_at.eq(when),
                ));
                for (line, a) in cart.lines().iter().zip(&amounts) {
                    item_id += 1;
                    let cost_total = div_round(
                        i128::from(line.unit_cost.0) * i128::from(line.quantity.0),
                        1000,
                    )
                    .unwrap_or(0);
                    item_rows.push((
                        sale_items::id.eq(item_id),
                        sale_items::sale_id.eq(sale_id),
                        sale_items::sold_at.eq(when),
                        sale_items::product_id.eq(line.product_id),
                        sale_items::product_name.eq(line.name.to_string()),
                        sale_items::quantity.eq(line.quantity.0),
                        sale_items::unit_price.eq(line.unit_price.0),
                        sale_items::unit_cost.eq(line.unit_cost.0),
                        sale_items::cost_total.eq(cost_total),
                        sale_items::gross.eq(a.gross.0),
                        (
                            sale_items::line_discount.eq(a.line_discount.0),
                            sale_items::sale_discount_share.eq(a.sale_discount_share.0),
                            sale_items::line_total.eq(a.total.0),
                        ),
                    ));
                    moves.push((
                        stock_movements::product_id.eq(line.product_id),
                        stock_movements::kind.eq("sale"),
                        stock_movements::quantity.eq(-line.quantity.0),
                        stock_movements::sale_id.eq(Some(sale_id)),
                        stock_movements::employee_id.eq(Some(cashier)),
                        stock_movements::created_at.eq(when),
                    ));
                }
                let total = totals.total.0;
                let (method, amount) = match (client, roll) {
                    (Some(_), _) => ("nasiya", total),
                    (None, r) if r < 55 => ("cash", total),
                    _ => ("card", total),
                };
                if amount > 0 {
                    pay_rows.push((
                        sale_payments::sale_id.eq(sale_id),
                        sale_payments::method.eq(method),
                        sale_payments::amount.eq(amount),
                        sale_payments::tendered.eq(amount),
                        sale_payments::change_given.eq(0i64),
                    ));
                }
                if method == "cash" {
                    cash_in += amount;
                }
                if let (Some(c), true) = (client, amount > 0) {
                    *balances.entry(c).or_default() -= amount;
                    ledger.push((
                        client_ledger::client_id.eq(c),
                        client_ledger::kind.eq("credit_sale"),
                        client_ledger::amount.eq(-amount),
                        client_ledger::sale_id.eq(Some(sale_id)),
                        client_ledger::shift_id.eq(Some(shift_id)),
                        client_ledger::due_date.eq(due),
                        client_ledger::employee_id.eq(Some(cashier)),
                        client_ledger::note.eq(""),
                        client_ledger::created_at.eq(when),
                    ));
                }
                day_lines += cart.len();
            }
            for part in sale_rows.chunks(500) {
                diesel::insert_into(sales::table)
                    .values(part)
                    .execute(conn)?;
            }
            for part in item_rows.chunks(500) {
                diesel::insert_into(sale_items::table)
                    .values(part)
                    .execute(conn)?;
            }
            for part in pay_rows.chunks(1000) {
                diesel::insert_into(sale_payments::table)
                    .values(part)
                    .execute(conn)?;
            }
            for part in moves.chunks(1000) {
                diesel::insert_into(stock_movements::table)
                    .values(part)
                    .execute(conn)?;
            }
            for part in ledger.chunks(1000) {
                diesel::insert_into(client_ledger::table)
                    .values(part)
                    .execute(conn)?;
            }
            let expected = opening + cash_in;
            diesel::update(shifts::table.find(shift_id))
                .set((
                    shifts::closed_at.eq(ts(at(21, 5, 0))),
                    shifts::expected_cash.eq(expected),
                    shifts::counted_cash.eq(expected),
                    shifts::difference.eq(0i64),
                ))
                .execute(conn)?;
            lines_done += day_lines;
            Ok(())
        })?;
        progress("sales", lines_done as f64 / scale.sale_lines as f64);
    }

    // Half of the debtors paid back part of their debt (by card, outside any shift).
    conn.write_transaction::<_, AppError, _>(|conn| {
        let pay_at = ts(now - Duration::days(1));
        let rows: Vec<_> = balances
            .iter()
            .filter(|(c, b)| **b < 0 && *c % 2 == 0)
            .map(|(c, b)| {
                (
                    client_ledger::client_id.eq(*c),
                    client_ledger::kind.eq("payment"),
                    client_ledger::amount.eq((-b / 2).max(1)),
                    client_ledger::method.eq(Some("card")),
                    client_ledger::note.eq(""),
                    client_ledger::created_at.eq(pay_at),
                )
            })
            .collect();
        for part in rows.chunks(1000) {
            diesel::insert_into(client_ledger::table).values(part).execute(conn)?;
        }
        // Stock is the sum of the movements, by construction.
        diesel::sql_query(
            "UPDATE products SET stock = (SELECT COALESCE(SUM(quantity), 0) FROM stock_movements m WHERE m.product_id = products.id)",
        )
        .execute(conn)?;
        crate::app::record_audit(
            conn,
            "cli",
            ts(now),
            "demo.large",
            "database",
            serde_json::json!({
                "products": scale.products,
                "customers": scale.customers,
                "sale_lines": lines_done,
            }),
        )?;
        Ok(())
    })?;
    progress("done", 1.0);
    Ok(format!(
        "Large demo shop created in {:.1} s: {} products, {} customers, {} sales with {} lines over {} days\n  staff: bigmenejer (manager), bigkassir1..4 (cashiers), password {}",
        started.elapsed().as_secs_f64(),
        products_list.len(),
        client_ids.len(),
        sale_id,
        lines_done,
        scale.days,
        super::DEMO_PASSWORD
    ))
}

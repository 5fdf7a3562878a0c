//! What goes on price tags and barcode labels: chosen products (by barcode or id), a
//! category's products or a supply's lines, each with its name, price per unit in the shop's
//! words, first barcode and the number of copies (a supply's received quantity of pieces;
//! one for weighed goods). The TSPL itself is `document::tspl`.

use crate::store::db::prelude::*;

use super::document::tspl::Label;
use super::{App, AppError, AppResult, Session, load_actor};
use crate::domain::{Action, Money, Unit};
use crate::i18n::{Lang, MoneyText};
use crate::store::schema::{product_barcodes, products, supply_items};

/// Which products get labels.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LabelSource {
    Barcodes(Vec<String>),
    /// A supply's lines, with the quantity received as the copies.
    Supply(i32),
    /// Chosen products by id, each with its number of copies.
    Products(Vec<(i32, u32)>),
    /// Every product on sale in a category (by name), one copy each, by name.
    Category(String),
}

/// The most labels one request prints per product.
pub const MAX_COPIES: u32 = 1000;

fn label_of(
    conn: &mut Db,
    product_id: i32,
    copies: u32,
    lang: Lang,
    date: Option<&str>,
) -> AppResult<Label> {
    let (name, unit, price): (String, String, i64) = products::table
        .find(product_id)
        .select((products::name, products::unit, products::sale_price))
        .first(conn)
        .optional()?
        .ok_or(AppError::not_found("product", product_id))?;
    let barcode = product_barcodes::table
        .filter(product_barcodes::product_id.eq(product_id))
        .order(product_barcodes::id)
        .select(product_barcodes::barcode)
        .first::<String>(conn)
        .optional()?;
    let unit_word = crate::i18n::unit_word(lang, Unit::parse(&unit).unwrap_or(Unit::Piece));
    Ok(Label {
        name,
        price: format!("{} / {unit_word}", Money(price).text(lang)),
        barcode,
        date: date.map(str::to_string),
        copies: copies.min(MAX_COPIES),
    })
}

impl App {
    /// The labels for `source`; `copies` replaces each product's count when given; `dated`
    /// prints today's date on them. Managers and admins (`None`: the command line).
    pub fn labels(
        &mut self,
        session: Option<&Session>,
        source: &LabelSource,
        copies: Option<u32>,
        dated: bool,
        lang: Lang,
    ) -> AppResult<Vec<Label>> {
        let today = crate::i18n::date_text(crate::domain::debt::local_date(
            self.now(),
            self.time_zone(),
        ));
        let date = dated.then_some(today.as_str());
        self.conn.transaction(|conn| {
            if let Some(s) = session {
                load_actor(conn, s, Some(Action::ReceiveSupply))?;
            }
            let mut out = Vec::new();
            match source {
                LabelSource::Barcodes(codes) => {
                    for code in codes {
                        let code = crate::domain::barcode::validate_shop(code)?;
                        let id: i32 = product_barcodes::table
                            .filter(product_barcodes::barcode.eq(&code))
                            .select(product_barcodes::product_id)
                            .first(conn)
                            .optional()?
                            .ok_or_else(|| {
                                AppError::invalid("barcode", format!("no product has {code}"))
                            })?;
                        out.push(label_of(conn, id, copies.unwrap_or(1), lang, date)?);
                    }
                }
                LabelSource::Products(chosen) => {
                    for (id, n) in chosen {
                        out.push(label_of(conn, *id, copies.unwrap_or(*n), lang, date)?);
                    }
                }
                LabelSource::Category(name) => {
                    use crate::store::schema::categories;
                    let category: i32 = categories::table
                        .filter(categories::name.eq(name.trim()))
                        .select(categories::id)
                        .first(conn)
                        .optional()?
                        .ok_or_else(|| {
                            AppError::invalid("category", format!("no category {name}"))
                        })?;
                    let ids: Vec<i32> = products::table
                        .filter(products::category_id.eq(category))
                        .filter(products::archived.eq(false))
                        .order(products::name)
                        .select(products::id)
                        .load(conn)?;
                    for id in ids {
                        out.push(label_of(conn, id, copies.unwrap_or(1), lang, date)?);
                    }
                }
                LabelSource::Supply(id) => {
                    let lines: Vec<(i32, i64, String)> = supply_items::table
                        .inner_join(products::table)
                        .filter(supply_items::supply_id.eq(id))
                        .order(supply_items::id)
                        .select((
                            supply_items::product_id,
                            supply_items::quantity,
                            products::unit,
                        ))
                        .load(conn)?;
                    if lines.is_empty() {
                        return Err(AppError::not_found("supply", *id));
                    }
                    for (product, quantity, unit) in lines {
                        let received = match Unit::parse(&unit) {
                            Some(Unit::Weight) => 1,
                            _ => u32::try_from(quantity.max(0) / 1000).unwrap_or(MAX_COPIES),
                        };
                        out.push(label_of(
                            conn,
                            product,
                            copies.unwrap_or(received),
                            lang,
                            date,
                        )?);
                    }
                }
            }
            Ok(out)
        })
    }
}

/// A weighed product as a label scale is programmed with it: its PLU (the five-digit item
/// code), the seven-digit code the till knows (`2P` + PLU, see `domain::scale`), its name and
/// price per kilogram.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PluRow {
    pub plu: String,
    pub code: String,
    pub name: String,
    pub price_per_kg: i64,
}

/// A product code a scale prints for weight: 20–24 and a five-digit PLU.
fn scale_code(code: &str) -> Option<&str> {
    (code.len() == 7
        && code.bytes().all(|b| b.is_ascii_digit())
        && matches!(code.as_bytes()[1], b'0'..=b'4')
        && code.starts_with('2'))
    .then(|| &code[2..])
}

impl App {
    /// Gives every weighed product without a scale code one (`20` + the next free PLU), so
    /// that labels its scale prints scan at the till; returns how many got one. Managers and
    /// admins (`None`: the command line); audited.
    pub fn assign_plu(&mut self, session: Option<&Session>) -> AppResult<usize> {
        let now = self.now().naive_utc();
        self.immediate(|conn| {
            let actor = match session {
                Some(s) => load_actor(conn, s, Some(Action::ManageProducts))?,
                None => super::Actor::system("kassa export-plu"),
            };
            let codes: Vec<(i32, String)> = product_barcodes::table
                .select((product_barcodes::product_id, product_barcodes::barcode))
                .load(conn)?;
            let next = codes
                .iter()
                .filter_map(|(_, c)| scale_code(c)?.parse::<u32>().ok())
                .max()
                .unwrap_or(0)
                + 1;
            let has: std::collections::HashSet<i32> = codes
                .iter()
                .filter(|(_, c)| scale_code(c).is_some())
                .map(|(id, _)| *id)
                .collect();
            let weighed: Vec<i32> = products::table
                .filter(products::unit.eq(Unit::Weight.as_str()))
                .filter(products::archived.eq(false))
                .order(products::id)
                .select(products::id)
                .load(conn)?;
            let missing: Vec<i32> = weighed.into_iter().filter(|id| !has.contains(id)).collect();
            let given = missing.len();
            for (plu, id) in (next..).zip(missing) {
                if plu > 99_999 {
                    return Err(AppError::invalid("plu", "all 99 999 PLU numbers are taken"));
                }
                diesel::insert_into(product_barcodes::table)
                    .values((
                        product_barcodes::product_id.eq(id),
                        product_barcodes::barcode.eq(format!("20{plu:05}")),
                    ))
                    .execute(conn)?;
            }
            if given > 0 {
                super::audit::record(
                    conn,
                    &actor,
                    now,
                    "product.plu_assign",
                    "product",
                    None,
                    None,
                    Some(serde_json::json!({ "products": given })),
                )?;
            }
            Ok(given)
        })
    }

    /// The weighed products with a scale code, by PLU.
    pub fn plu_rows(&mut self, session: Option<&Session>) -> AppResult<Vec<PluRow>> {
        let read = |conn: &mut Db| -> AppResult<Vec<PluRow>> {
            let rows: Vec<(String, String, i64)> = product_barcodes::table
                .inner_join(products::table)
                .filter(products::unit.eq(Unit::Weight.as_str()))
                .filter(products::archived.eq(false))
                .select((
                    product_barcodes::barcode,
                    products::name,
                    products::sale_price,
                ))
                .load(conn)?;
            let mut out: Vec<PluRow> = rows
                .into_iter()
                .filter_map(|(code, name, price)| {
                    Some(PluRow {
                        plu: scale_code(&code)?.to_string(),
                        code,
                        name,
                        price_per_kg: price,
                    })
                })
                .collect();
            out.sort_by(|a, b| a.plu.cmp(&b.plu));
            Ok(out)
        };
        match session {
            Some(s) => self.read(s, Some(Action::ManageProducts), |conn, _| read(conn)),
            None => self.conn.transaction(read),
        }
    }
}

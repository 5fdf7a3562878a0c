//! What goes on price tags and barcode labels: chosen products (by barcode) or a supply's
//! lines, each with its name, price per unit in the shop's words, first barcode and the
//! number of copies (a supply's received quantity of pieces; one for weighed goods). The TSPL
//! itself is `document::tspl`.

use diesel::prelude::*;
use diesel::sqlite::SqliteConnection;

use super::document::tspl::Label;
use super::{App, AppError, AppResult, Session, load_actor};
use crate::domain::{Action, Money, Unit};
use crate::i18n::{Lang, MoneyText, T};
use crate::store::schema::{product_barcodes, products, supply_items};

/// Which products get labels.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LabelSource {
    Barcodes(Vec<String>),
    /// A supply's lines, with the quantity received as the copies.
    Supply(i32),
}

/// The most labels one request prints per product.
pub const MAX_COPIES: u32 = 1000;

fn label_of(
    conn: &mut SqliteConnection,
    product_id: i32,
    copies: u32,
    lang: Lang,
    date: Option<&str>,
) -> AppResult<Label> {
    let (name, unit, price): (String, String, i64) = products::table
        .find(product_id)
        .select((products::name, products::unit, products::sale_price))
        .first(conn)?;
    let barcode = product_barcodes::table
        .filter(product_barcodes::product_id.eq(product_id))
        .order(product_barcodes::id)
        .select(product_barcodes::barcode)
        .first::<String>(conn)
        .optional()?;
    let unit_word = match Unit::parse(&unit).unwrap_or(Unit::Piece) {
        Unit::Piece => lang.t(T::UnitPcs),
        Unit::Weight => lang.t(T::UnitKg),
    };
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
        let today = crate::domain::debt::local_date(self.now(), self.time_zone())
            .format("%d.%m.%Y")
            .to_string();
        let date = dated.then_some(today.as_str());
        self.conn.transaction(|conn| {
            if let Some(s) = session {
                load_actor(conn, s, Some(Action::ReceiveSupply))?;
            }
            let mut out = Vec::new();
            match source {
                LabelSource::Barcodes(codes) => {
                    for code in codes {
                        let code = crate::domain::barcode::validate(code)?;
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

//! Stocktake: a count of the whole shop or chosen categories, by scanning (each scan +1) or
//! typing quantities (weighed goods by weight), from one or several counting sessions at
//! once (the counts live in the database). Each product's expected stock is taken at its
//! first count, so sales made during the count do not show as shortages: applying adds
//! (counted − expected) to the stock as it is then, as one batch of adjustments with a
//! reason and one audit row.

use crate::store::db::prelude::*;
use chrono::NaiveDateTime;
use serde_json::json;

use super::catalog::move_stock;
use super::{App, AppError, AppResult, Session, audit};
use crate::domain::{Action, Quantity, Unit};
use crate::store::schema::{product_barcodes, products, stocktake_counts, stocktakes};

/// One counted product: expected (at its first count) and counted, and the difference in
/// quantity and at cost.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CountLine {
    pub product_id: i32,
    pub name: String,
    pub unit: Unit,
    pub expected: i64,
    pub counted: i64,
    /// The purchase price, for the value of the difference.
    pub cost: i64,
}

impl CountLine {
    pub fn difference(&self) -> i64 {
        self.counted - self.expected
    }

    /// The difference at cost, in tiyin (rounded to whole tiyin).
    pub fn value(&self) -> i64 {
        let v = i128::from(self.difference()) * i128::from(self.cost) / 1000;
        i64::try_from(v).unwrap_or(if v < 0 { i64::MIN } else { i64::MAX })
    }
}

/// A stocktake and its counts so far.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stocktake {
    pub id: i32,
    /// Category ids counted; empty: the whole shop.
    pub categories: Vec<i32>,
    pub status: String,
    pub lines: Vec<CountLine>,
}

/// The stored category list ("3,7"; empty: the whole shop).
fn categories(stored: &str) -> Vec<i32> {
    stored
        .split(',')
        .filter_map(|c| c.trim().parse().ok())
        .collect()
}

fn open_stocktake(conn: &mut Db, id: i32) -> AppResult<Vec<i32>> {
    let (status, cats): (String, String) = stocktakes::table
        .find(id)
        .select((stocktakes::status, stocktakes::categories))
        .first(conn)
        .optional()?
        .ok_or(AppError::not_found("stocktake", id))?;
    if status != "open" {
        return Err(AppError::invalid("stocktake", "is already closed"));
    }
    Ok(categories(&cats))
}

fn lines(conn: &mut Db, id: i32) -> AppResult<Vec<CountLine>> {
    let rows: Vec<(i32, String, String, i64, i64, i64)> = stocktake_counts::table
        .inner_join(products::table)
        .filter(stocktake_counts::stocktake_id.eq(id))
        .order(products::name)
        .select((
            products::id,
            products::name,
            products::unit,
            stocktake_counts::expected,
            stocktake_counts::counted,
            products::purchase_price,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(
            |(product_id, name, unit, expected, counted, cost)| CountLine {
                product_id,
                name,
                unit: Unit::parse(&unit).unwrap_or(Unit::Piece),
                expected,
                counted,
                cost,
            },
        )
        .collect())
}

impl App {
    /// Starts a count of the whole shop (`categories` empty) or of those categories.
    /// Managers and admins; one open stocktake at a time.
    pub fn start_stocktake(&mut self, session: &Session, categories: &[i32]) -> AppResult<i32> {
        self.write(session, Action::ManageProducts, |conn, actor, now| {
            let open: i64 = stocktakes::table
                .filter(stocktakes::status.eq("open"))
                .count()
                .get_result(conn)?;
            if open > 0 {
                return Err(AppError::invalid("stocktake", "another count is open"));
            }
            let cats: Vec<String> = categories.iter().map(i32::to_string).collect();
            let id: i32 = diesel::insert_into(stocktakes::table)
                .values((
                    stocktakes::categories.eq(cats.join(",")),
                    stocktakes::status.eq("open"),
                    stocktakes::started_by.eq(actor.id),
                    stocktakes::started_at.eq(now),
                ))
                .returning(stocktakes::id)
                .get_result(conn)?;
            audit::record(
                conn,
                actor,
                now,
                "stocktake.start",
                "stocktake",
                Some(id.into()),
                None,
                Some(json!({ "categories": categories })),
            )?;
            Ok(id)
        })
    }

    /// The open stocktake, if any, with its counts.
    pub fn open_stocktake(&mut self, session: &Session) -> AppResult<Option<Stocktake>> {
        self.read(session, Some(Action::ManageProducts), |conn, _| {
            let Some((id, cats, status)) = stocktakes::table
                .filter(stocktakes::status.eq("open"))
                .select((stocktakes::id, stocktakes::categories, stocktakes::status))
                .first::<(i32, String, String)>(conn)
                .optional()?
            else {
                return Ok(None);
            };
            Ok(Some(Stocktake {
                id,
                categories: categories(&cats),
                status,
                lines: lines(conn, id)?,
            }))
        })
    }

    /// Counts a product found by barcode: `quantity` more (a scan is one piece; weighed
    /// goods need their weight). The first count of a product takes its expected stock.
    /// Returns the product's count so far.
    pub fn count_stock(
        &mut self,
        session: &Session,
        stocktake: i32,
        barcode: &str,
        quantity: Option<Quantity>,
    ) -> AppResult<CountLine> {
        let code = crate::domain::barcode::validate_shop(barcode)?;
        self.write(session, Action::ManageProducts, |conn, _actor, now| {
            let cats = open_stocktake(conn, stocktake)?;
            let (id, name, unit, stock, category, cost): (
                i32,
                String,
                String,
                i64,
                Option<i32>,
                i64,
            ) = product_barcodes::table
                .inner_join(products::table)
                .filter(product_barcodes::barcode.eq(&code))
                .select((
                    products::id,
                    products::name,
                    products::unit,
                    products::stock,
                    products::category_id,
                    products::purchase_price,
                ))
                .first(conn)
                .optional()?
                .ok_or_else(|| AppError::invalid("barcode", format!("no product has {code}")))?;
            if !cats.is_empty() && !category.is_some_and(|c| cats.contains(&c)) {
                return Err(AppError::invalid(
                    "barcode",
                    format!("{name} is not in the categories being counted"),
                ));
            }
            let unit = Unit::parse(&unit).unwrap_or(Unit::Piece);
            let q = match quantity {
                Some(q) => q.validate_for(unit)?,
                None if unit == Unit::Weight => {
                    return Err(AppError::invalid(
                        "quantity",
                        "weigh it and type the weight",
                    ));
                }
                None => Quantity::units(1),
            };
            count_into(conn, stocktake, id, stock, q.0, now)?;
            let (expected, counted): (i64, i64) = stocktake_counts::table
                .find((stocktake, id))
                .select((stocktake_counts::expected, stocktake_counts::counted))
                .first(conn)?;
            Ok(CountLine {
                product_id: id,
                name,
                unit,
                expected,
                counted,
                cost,
            })
        })
    }

    /// Corrects a miscount: the product's count becomes `counted` (its expected stock stays
    /// as taken at its first count). Managers and admins; audited with the count before.
    pub fn correct_count(
        &mut self,
        session: &Session,
        stocktake: i32,
        product_id: i32,
        counted: Quantity,
    ) -> AppResult<CountLine> {
        self.write(session, Action::ManageProducts, |conn, actor, now| {
            open_stocktake(conn, stocktake)?;
            let (name, unit): (String, String) = products::table
                .find(product_id)
                .select((products::name, products::unit))
                .first(conn)
                .optional()?
                .ok_or(AppError::not_found("product", product_id))?;
            let unit = Unit::parse(&unit).unwrap_or(Unit::Piece);
            if counted.0 != 0 {
                counted.validate_for(unit)?;
            }
            let before: i64 = stocktake_counts::table
                .find((stocktake, product_id))
                .select(stocktake_counts::counted)
                .first(conn)
                .optional()?
                .ok_or_else(|| {
                    AppError::invalid("product", format!("{name} is not counted yet"))
                })?;
            diesel::update(stocktake_counts::table.find((stocktake, product_id)))
                .set((
                    stocktake_counts::counted.eq(counted.0),
                    stocktake_counts::updated_at.eq(now),
                ))
                .execute(conn)?;
            audit::record(
                conn,
                actor,
                now,
                "stocktake.correct",
                "stocktake",
                Some(stocktake.into()),
                Some(json!({ "product_id": product_id, "counted": before })),
                Some(json!({ "product_id": product_id, "name": name, "counted": counted.0 })),
            )?;
            let line = lines(conn, stocktake)?
                .into_iter()
                .find(|l| l.product_id == product_id)
                .ok_or(AppError::not_found("product", product_id))?;
            Ok(line)
        })
    }

    /// Applies the counts: each counted product's stock changes by (counted − expected) as
    /// one batch of adjustments with `reason`, audited; the stocktake closes.
    pub fn apply_stocktake(
        &mut self,
        session: &Session,
        stocktake: i32,
        reason: &str,
    ) -> AppResult<Vec<CountLine>> {
        let reason = super::required_text("reason", reason, 200)?;
        self.write(session, Action::ManageProducts, |conn, actor, now| {
            open_stocktake(conn, stocktake)?;
            let lines = lines(conn, stocktake)?;
            let note = format!("stocktake #{stocktake}: {reason}");
            let mut changed = 0;
            for l in &lines {
                if l.difference() != 0 {
                    move_stock(
                        conn,
                        l.product_id,
                        "adjustment",
                        l.difference(),
                        None,
                        None,
                        actor.id,
                        &note,
                        now,
                    )?;
                    changed += 1;
                }
            }
            diesel::update(stocktakes::table.find(stocktake))
                .set((
                    stocktakes::status.eq("applied"),
                    stocktakes::applied_at.eq(Some(now)),
                    stocktakes::reason.eq(&reason),
                ))
                .execute(conn)?;
            let value: i64 = lines.iter().map(CountLine::value).sum();
            audit::record(
                conn,
                actor,
                now,
                "stocktake.apply",
                "stocktake",
                Some(stocktake.into()),
                None,
                Some(json!({
                    "reason": reason,
                    "counted": lines.len(),
                    "changed": changed,
                    "value": value,
                })),
            )?;
            Ok(lines)
        })
    }
}

fn count_into(
    conn: &mut Db,
    stocktake: i32,
    product: i32,
    stock: i64,
    quantity: i64,
    now: NaiveDateTime,
) -> AppResult<()> {
    diesel::insert_into(stocktake_counts::table)
        .values((
            stocktake_counts::stocktake_id.eq(stocktake),
            stocktake_counts::product_id.eq(product),
            stocktake_counts::expected.eq(stock),
            stocktake_counts::counted.eq(quantity),
            stocktake_counts::first_counted_at.eq(now),
            stocktake_counts::updated_at.eq(now),
        ))
        .on_conflict((stocktake_counts::stocktake_id, stocktake_counts::product_id))
        .do_update()
        .set((
            stocktake_counts::counted.eq(stocktake_counts::counted + quantity),
            stocktake_counts::updated_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}
